"""What importing one annotation file did, shared by every annotation importer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def shown(path: Path | str) -> str:
    """A file name on one line: newlines and other controls in it written as escapes."""
    return _CONTROL.sub(lambda found: ascii(found.group())[1:-1], str(path))


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

    def notes(self, naming: str) -> tuple[str, ...]:
        """The warnings as a front end shows them; `naming` says how to name an annotator there."""
        return self.warnings


@dataclass(frozen=True)
class UnnamedImportReport(AnnotationImportReport):
    """A token file that named no annotator: its spans went to `unnamed` ("kim (CoNLL-2003)")."""

    unnamed: str = ""

    def notes(self, naming: str) -> tuple[str, ...]:
        """The warnings, led by whom the spans went to (`naming`: "name one with --annotator")."""
        note = (
            f"the file names no annotator: its {self.spans_added} new spans are under {self.unnamed!r}"
            f" ({naming}); {self.spans_skipped} already in the project were recognised, whoever tagged them"
        )
        return (note, *self.warnings)
