"""One document's proposals as parallel arrays, and the shown ones computed in bulk.

A 1 MB article has ~100,000 proposals. As `Proposal` objects, each with its
own text slice, plus the dicts indexing them, they held ~40 MB of the GUI
process; as arrays of machine integers they hold ~3 MB. A `Proposal` is made
only when one is asked for (the few on screen, the one under the cursor), its
text sliced from the document's then.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from heapq import merge as merged_in_order
from typing import overload

from app.assist.pause import checkpoint
from app.assist.proposals import Keeps, Proposal, RangeIndex, Rejected, Source, Tagged, text_order
from app.models import LabelKind

SOURCES: tuple[Source, Source] = ("string", "model")  # stored as 0 / 1

Row = tuple[int, int, int, int]  # start, end, label id, source (0 string, 1 model): the text order


class Extents(Sequence[Proposal]):
    """A document's proposals in text order (start, end, label), answering "which meet [a, b)?" by bisection."""

    def __init__(self, document_id: int = 0, text: str = "", proposals: Iterable[Proposal] = ()) -> None:
        self.document_id, self.text = document_id, text
        self.starts, self.ends, self.labels = array("i"), array("i"), array("i")  # code points fit in 32 bits
        self.sources = bytearray()  # an index into SOURCES
        self.longest = 0  # the longest proposal's length, for `meeting`
        self.replace(0, 0, list(proposals))

    @classmethod
    def of_rows(cls, document_id: int, text: str, rows: Iterable[Row]) -> Extents:
        """From (start, end, label, source) rows already in text order, made one at a time."""
        made = cls(document_id, text)
        for start, end, label, source in rows:
            made.starts.append(start)
            made.ends.append(end)
            made.labels.append(label)
            made.sources.append(source)
        made.longest = max(map(int.__sub__, made.ends, made.starts), default=0)
        return made

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> Proposal: ...

    @overload
    def __getitem__(self, index: slice) -> list[Proposal]: ...

    def __getitem__(self, index: int | slice) -> Proposal | list[Proposal]:
        if isinstance(index, slice):
            return [self._made(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._made(index)

    def __iter__(self) -> Iterator[Proposal]:
        return (self._made(i) for i in range(len(self)))

    def __contains__(self, item: object) -> bool:
        return isinstance(item, Proposal) and self.find(item) is not None

    def _made(self, index: int) -> Proposal:
        start, end = self.starts[index], self.ends[index]
        label, source = self.labels[index], SOURCES[self.sources[index]]
        return Proposal(self.document_id, start, end, label, self.text[start:end], source)

    def row(self, index: int) -> Row:
        return self.starts[index], self.ends[index], self.labels[index], self.sources[index]

    def rows(self, low: int = 0, high: int | None = None) -> Iterator[Row]:
        return map(self.row, range(low, len(self) if high is None else high))

    def find(self, item: Proposal) -> int | None:
        """The index holding `item`, if it is here."""
        if item.document_id != self.document_id or item.source not in SOURCES:
            return None
        wanted = (item.start, item.end, item.label_id, SOURCES.index(item.source))
        at = bisect_left(self.starts, item.start)
        while at < len(self) and self.starts[at] == item.start:
            if self.row(at) == wanted:
                return at
            at += 1
        return None

    def meeting(self, start: int, end: int) -> tuple[int, int]:
        """The index range holding every item that overlaps [start, end) (and maybe a few that do not)."""
        return bisect_left(self.starts, start - self.longest), bisect_left(self.starts, end)

    def replace(self, low: int, high: int, items: list[Proposal]) -> None:
        """Put `items` (of this document) in place of [low, high), which the caller chose to keep the text order."""
        items.sort(key=text_order)
        self.replace_rows(low, high, [(p.start, p.end, p.label_id, SOURCES.index(p.source)) for p in items])

    def replace_rows(self, low: int, high: int, rows: Sequence[Row]) -> None:
        """`replace` with rows already in text order (no `Proposal` made)."""
        self.starts[low:high] = array("i", [row[0] for row in rows])
        self.ends[low:high] = array("i", [row[1] for row in rows])
        self.labels[low:high] = array("i", [row[2] for row in rows])
        self.sources[low:high] = bytes(row[3] for row in rows)
        self.longest = max(self.longest, max((row[1] - row[0] for row in rows), default=0))


def shown_of(
    strings: Extents,
    model: Extents,
    spans: Sequence[Tagged],
    kinds: dict[int, LabelKind],
    rejected: set[str] | Rejected,
) -> Extents:
    """The proposals worth showing in one whole document (as `fresh` on both recommenders', the
    string match winning where the two overlap), without a `Proposal` object per string match
    (~100,000 in a 1 MB article)."""
    rows = kept_rows(strings, model, Keeps(spans, kinds, rejected), 0, len(strings.text) + 1, pausing=True)
    return Extents.of_rows(strings.document_id, strings.text, rows)


def kept_rows(
    strings: Extents, model: Extents, keeps: Keeps, start: int, end: int, pausing: bool = False
) -> Iterator[Row]:
    """The rows of both recommenders meeting [start, end) that `keeps` keeps, in text order; where
    a string match and a model's proposal overlap, the string match wins (`pausing`: off the GUI
    thread, waiting while the GUI holds the gate)."""
    doc = strings.document_id
    reach = max(strings.longest, model.longest)
    low, high = strings.meeting(start - reach, end + reach)  # whatever can overlap a row meeting [start, end)
    if (low, high) == (0, len(strings)):  # the whole document: no copy of its arrays
        taken = RangeIndex.of_sorted(strings.starts, strings.ends)
    else:
        taken = RangeIndex.of_sorted(strings.starts[low:high], strings.ends[low:high])

    def kept(row: Row) -> bool:
        if pausing:
            checkpoint()
        return row[0] < end and row[1] > start and keeps(doc, row[0], row[1], row[2])

    low, high = strings.meeting(start, end)
    found = filter(kept, strings.rows(low, high))
    low, high = model.meeting(start, end)
    models = sorted(
        {
            r
            for r in model.rows(low, high)
            if r[0] < end and r[1] > start and not taken.overlaps(r[0], r[1]) and keeps(doc, *r[:3])
        }
    )
    return merged_in_order(found, models)
