"""How many spans each document has, held between reads and kept exact across this
connection's own commits.

Counting an article's spans reads its whole stretch of the span index (10,000 rows, ~0.3 ms):
the document list did that on every hotkey. A count read once is held instead, and each
commit either says what it did to the counts (a span added: +1 to its document; a delete or
restore: its spans, by document; an edit that moves no span: nothing) or drops every held
count, to be read again when next asked. Only operations that say so keep the counts, so a
writer that knows nothing of this (an import, a merge, a feature's own transaction, a batch)
can never leave one stale. All writes go through the one open connection (the file is locked).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.models import DocumentId, Span


class SpanCounts:
    def __init__(self) -> None:
        self._held: dict[DocumentId, int] = {}
        # The open transaction's effect on the counts, once it said; None: it has not (or cannot).
        self._pending: dict[DocumentId, int] | None = None

    # ---- reading ------------------------------------------------------
    def held(self, ids: Iterable[int]) -> tuple[dict[DocumentId, int], list[int]]:
        """The counts held for these documents, and the ids whose count must be read."""
        known: dict[DocumentId, int] = {}
        missing: list[int] = []
        for doc_id in ids:
            count = self._held.get(DocumentId(doc_id))
            if count is None:
                missing.append(doc_id)
            else:
                known[DocumentId(doc_id)] = count
        return known, missing

    def hold(self, counts: Mapping[DocumentId, int]) -> None:
        """Counts just read (outside any write, under the project's lock)."""
        self._held.update(counts)

    # ---- writing ------------------------------------------------------
    def unknown(self) -> None:
        """The open transaction's effect is unknown (it begins; or an operation of a batch
        ended, whose commit would otherwise apply only the last one's)."""
        self._pending = None

    def changed(self, deltas: Mapping[DocumentId, int]) -> None:
        """The open transaction's whole effect on span counts (empty: none), said once it is done."""
        self._pending = dict(deltas)

    def committed(self) -> None:
        """The transaction committed: apply what it said, or forget every count if it said nothing."""
        pending, self._pending = self._pending, None
        if pending is None:
            self._held.clear()
            return
        for doc_id, delta in pending.items():
            if doc_id in self._held:
                self._held[doc_id] += delta

    def forget(self) -> None:
        """Unknown effect (a failed commit, a batch): read every count again."""
        self._pending = None
        self._held.clear()


def by_document(spans: Iterable[Span], sign: int) -> dict[DocumentId, int]:
    """`sign` per span, summed by document: the effect of adding (+1) or removing (-1) them."""
    deltas: dict[DocumentId, int] = {}
    for span in spans:
        deltas[span.document_id] = deltas.get(span.document_id, 0) + sign
    return deltas
