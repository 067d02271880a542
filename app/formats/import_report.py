"""What importing one annotation file did, shared by every annotation importer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnnotationImportReport:
    path: str
    documents_added: int = 0
    documents_matched: int = 0  # already in the project (same text sha256)
    spans_added: int = 0
    spans_skipped: int = 0  # already present (same uuid)
    links_added: int = 0
    links_skipped: int = 0  # already present (same uuid)
    labels_added: int = 0
    annotators_added: int = 0
    warnings: tuple[str, ...] = ()
