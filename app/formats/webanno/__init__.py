"""WebAnno / INCEpTION TSV 3.3."""
