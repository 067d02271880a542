"""Paint spans: entities as a tinted background, claims as a coloured underline.

The span layout is computed once per document (`SpanLayout`, block by block,
in UTF-16 positions); `highlightBlock` only looks up its block and merges the
overlapping spans into non-overlapping segments, so overlaps stay readable.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from typing import NamedTuple

from PySide6.QtCore import SIGNAL, SLOT, QObject
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from app.models import Label, LabelKind, SpanRow
from ui.offsets import OffsetMap


class SpanLayout:
    """Spans filed under the text blocks they touch, ready for the highlighter; updated in place.

    A block's spans are cut to block-local UTF-16 ranges only when it is highlighted (a block
    on screen): a tuple per span and block held ~0.7 MB more for a 1 MB article with 10,000
    spans, and the block starts as machine integers save another ~0.6 MB of int objects."""

    def __init__(self, text: str, spans: list[SpanRow]) -> None:
        self.offsets = OffsetMap(text)
        # UTF-16 start of every block (blocks are separated by "\n").
        # QPlainTextEdit starts a new block at each of these, not only at "\n".
        newlines = [m.start() for m in re.finditer("[\n\u2029\ufdd0\ufdd1]", text)]
        self._block_starts = array("i", [0])
        self._block_starts.extend(position + 1 for position in self.offsets.to_qt_all(newlines))
        self.by_block: dict[int, list[SpanRow]] = defaultdict(list)
        self.by_id: dict[int, SpanRow] = {int(s.id): s for s in spans}  # every span laid out (the view's too)
        # `add` for all at once, inlined: 10,000 spans lay out in milliseconds.
        to_qt, by_block, starts = self.offsets.to_qt_all, self.by_block, self._block_starts
        last = len(starts) - 1
        for span, start, end in zip(spans, to_qt([s.start for s in spans]), to_qt([s.end for s in spans]), strict=True):
            block = bisect_right(starts, start) - 1
            if block == last or end < starts[block + 1]:  # the common case: one block
                by_block[block].append(span)
            else:
                for number in self.blocks_of(span):
                    by_block[number].append(span)

    def add(self, span: SpanRow) -> list[int]:
        """Lay out one span; returns the blocks it touches."""
        self.by_id[span.id] = span
        blocks = self.blocks_of(span)
        for block in blocks:
            self.by_block[block].append(span)
        return blocks

    def remove(self, span: SpanRow) -> list[int]:
        if self.by_id.get(span.id) == span:
            del self.by_id[span.id]
        blocks = self.blocks_of(span)
        for block in blocks:
            self.by_block[block] = [s for s in self.by_block[block] if s != span]
        return blocks

    def blocks_of(self, span: SpanRow) -> list[int]:
        """The blocks a span has characters in."""
        start, end = self.offsets.to_qt(span.start), self.offsets.to_qt(span.end)
        starts = self._block_starts
        block = bisect_right(starts, start) - 1
        if block + 1 == len(starts) or end < starts[block + 1]:  # the common case: one block
            return [block]
        found = []
        while block < len(starts) and starts[block] < end:
            if self._stop(block, end) > max(start, starts[block]):
                found.append(block)
            block += 1
        return found

    def pieces(self, block: int) -> list[tuple[int, int, SpanRow]]:
        """The spans in one block as (start, end, span), in block-local UTF-16 units."""
        base, to_qt = self._block_starts[block], self.offsets.to_qt
        found = []
        for span in self.by_block.get(block, ()):
            end = self._stop(block, to_qt(span.end))
            found.append((max(to_qt(span.start) - base, 0), end - base, span))
        return found

    def units(self, spans: list[SpanRow]) -> list[tuple[int, int]]:
        """The spans' UTF-16 ranges in the document."""
        to_qt = self.offsets.to_qt
        return [(to_qt(span.start), to_qt(span.end)) for span in spans]

    def _stop(self, block: int, end: int) -> int:
        """Where a span ending at `end` stops within `block` (a block's text ends before its separator)."""
        starts = self._block_starts
        return min(end, starts[block + 1] - 1) if block + 1 < len(starts) else end


class Dirty(NamedTuple):
    """What a change of spans repaints: blocks to highlight again, and the UTF-16 ranges that changed."""

    blocks: set[int]
    ranges: list[tuple[int, int]]


FormatKey = tuple[int | None, bool, int | None, bool]
# How QSyntaxHighlighter hears of text changes (Qt's own signal and private slot).
REFORMAT = ("contentsChange(int,int,int)", "_q_reformatBlocks(int,int,int)")


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.layout: SpanLayout | None = None
        self.labels: dict[int, Label] = {}
        self.linked: set[int] = set()
        self.dark = False
        self._formats: dict[FormatKey, QTextCharFormat] = {}
        self._claims: dict[int, bool] = {}  # label id -> is a claim label

    @contextmanager
    def detached(self) -> Iterator[None]:
        """Change the text without a Python call per block (a 1 MB article has thousands);
        blocks are highlighted on demand afterwards. Without the private slot, just slower."""
        document = self.document()
        cut = QObject.disconnect(document, SIGNAL(REFORMAT[0]), self, SLOT(REFORMAT[1]))
        try:
            yield
        finally:
            if cut:
                QObject.connect(document, SIGNAL(REFORMAT[0]), self, SLOT(REFORMAT[1]))

    def set_spans(self, layout: SpanLayout, labels: dict[int, Label], linked: set[int], repaint: bool = True) -> None:
        """Take a new layout; repaint everything (or nothing, before the text is set)."""
        if labels != self.labels:
            self._formats.clear()
            self._claims = {i: x.kind == LabelKind.CLAIM for i, x in labels.items()}
        self.layout, self.labels, self.linked = layout, labels, linked
        if repaint:
            self.rehighlight()

    def update_spans(self, spans: list[SpanRow], linked: set[int]) -> Dirty:
        """Apply a change of spans or links; returns the blocks to highlight again."""
        assert self.layout is not None
        layout, new = self.layout, {int(s.id): s for s in spans}
        gone = [s for i, s in layout.by_id.items() if new.get(i) != s]
        added = [s for i, s in new.items() if layout.by_id.get(i) != s]
        dirty: set[int] = set()
        for span in gone:
            dirty.update(layout.remove(span))
        for span in added:
            dirty.update(layout.add(span))
        flipped = self.linked ^ linked
        relinked = [span for span in spans if span.id in flipped]
        for span in relinked:
            dirty.update(layout.blocks_of(span))
        self.linked = linked
        return Dirty(dirty, layout.units([*gone, *added, *relinked]))

    def change_spans(self, old: list[SpanRow], new: list[SpanRow]) -> Dirty:
        """Swap a few spans (added, changed, removed); returns the blocks to highlight again."""
        assert self.layout is not None
        dirty: set[int] = set()
        for gone in old:
            dirty.update(self.layout.remove(gone))
        for added in new:
            dirty.update(self.layout.add(added))
        return Dirty(dirty, self.layout.units([*old, *new]))

    def highlightBlock(self, text: str) -> None:
        if self.layout is None:
            return
        pieces = self.layout.pieces(self.currentBlock().blockNumber())
        if not pieces:
            return
        if len(pieces) == 1:
            start, end, span = pieces[0]
            self.setFormat(start, end - start, self._format([span]))
            return
        cuts = sorted({p[0] for p in pieces} | {p[1] for p in pieces})
        for left, right in pairwise(cuts):
            covering = [span for start, end, span in pieces if start <= left and end >= right]
            if covering:
                self.setFormat(left, right - left, self._format(covering))

    def _format(self, spans: list[SpanRow]) -> QTextCharFormat:
        # The shortest (innermost) entity gives the tint, the shortest claim the underline.
        entity: SpanRow | None = None
        claim: SpanRow | None = None
        claim_linked = False
        for span in spans:
            if self._claims.get(span.label_id, False):
                claim_linked = claim_linked or span.id in self.linked
                if claim is None or span.end - span.start < claim.end - claim.start:
                    claim = span
            elif entity is None or span.end - span.start < entity.end - entity.start:
                entity = span
        key = (
            entity.label_id if entity else None,
            entity is not None and entity.id in self.linked,
            claim.label_id if claim else None,
            claim_linked,
        )
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._build_format(*key)
        return fmt

    def _build_format(
        self, entity: int | None, entity_linked: bool, claim: int | None, claim_linked: bool
    ) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if entity is not None:
            tint = QColor(self.labels[entity].color)
            tint.setAlpha(110 if self.dark else 70)  # a tint that leaves text readable
            fmt.setBackground(tint)
            if entity_linked:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(QColor(self.labels[entity].color))
        if claim is not None:
            style = (
                QTextCharFormat.UnderlineStyle.WaveUnderline
                if claim_linked
                else QTextCharFormat.UnderlineStyle.SingleUnderline
            )
            fmt.setUnderlineStyle(style)
            fmt.setUnderlineColor(QColor(self.labels[claim].color))
        return fmt
