"""Paint spans: entities as a tinted background, claims as a coloured underline.

The span layout is computed once per document (`SpanLayout`, block by block,
in UTF-16 positions); `highlightBlock` only looks up its block and merges the
overlapping spans into non-overlapping segments, so overlaps stay readable.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from typing import NamedTuple

from PySide6.QtCore import SIGNAL, SLOT, QObject, QRect
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit

from app.models import Label, LabelKind, SpanRow
from ui.offsets import OffsetMap


class Piece(NamedTuple):
    """The part of one span inside one text block, in block-local UTF-16 units."""

    start: int
    end: int
    span: SpanRow


class SpanLayout:
    """Spans split per text block, ready for the highlighter; updated in place."""

    def __init__(self, text: str, spans: list[SpanRow]) -> None:
        self.offsets = OffsetMap(text)
        # UTF-16 start of every block (blocks are separated by "\n").
        # QPlainTextEdit starts a new block at each of these, not only at "\n".
        newlines = [m.start() for m in re.finditer("[\n\u2029\ufdd0\ufdd1]", text)]
        self._block_starts = [0, *(position + 1 for position in self.offsets.to_qt_all(newlines))]
        self.by_block: dict[int, list[Piece]] = defaultdict(list)
        self.spans: set[SpanRow] = set(spans)
        # `add` for all at once, inlined: 10,000 spans lay out in milliseconds.
        to_qt, by_block, starts = self.offsets.to_qt_all, self.by_block, self._block_starts
        last = len(starts) - 1
        for span, start, end in zip(spans, to_qt([s.start for s in spans]), to_qt([s.end for s in spans]), strict=True):
            block = bisect_right(starts, start) - 1
            if block == last or end < starts[block + 1]:  # the common case: one block
                base = starts[block]
                by_block[block].append(Piece(start - base, end - base, span))
            else:
                for number, piece in self._pieces(span):
                    by_block[number].append(piece)

    def add(self, span: SpanRow) -> list[int]:
        """Lay out one span; returns the blocks it touches."""
        self.spans.add(span)
        blocks = []
        for block, piece in self._pieces(span):
            self.by_block[block].append(piece)
            blocks.append(block)
        return blocks

    def remove(self, span: SpanRow) -> list[int]:
        self.spans.discard(span)
        blocks = [block for block, _ in self._pieces(span)]
        for block in blocks:
            self.by_block[block] = [p for p in self.by_block[block] if p.span != span]
        return blocks

    def blocks_of(self, span: SpanRow) -> list[int]:
        return [block for block, _ in self._pieces(span)]

    def _pieces(self, span: SpanRow) -> list[tuple[int, Piece]]:
        start, end = self.offsets.to_qt(span.start), self.offsets.to_qt(span.end)
        starts = self._block_starts
        block = bisect_right(starts, start) - 1
        base = starts[block]
        if block + 1 == len(starts) or end < starts[block + 1]:  # the common case: one block
            return [(block, Piece(start - base, end - base, span))]
        found = []
        while block < len(starts) and starts[block] < end:
            base = starts[block]
            stop = (starts[block + 1] - 1) if block + 1 < len(starts) else end
            piece_end = min(end, stop) - base
            if piece_end > max(start - base, 0):
                found.append((block, Piece(max(start - base, 0), piece_end, span)))
            block += 1
        return found


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

    def update_spans(self, spans: list[SpanRow], linked: set[int]) -> set[int]:
        """Apply a change of spans or links; returns the blocks to highlight again."""
        assert self.layout is not None
        layout, new = self.layout, set(spans)
        dirty: set[int] = set()
        for gone in layout.spans - new:
            dirty.update(layout.remove(gone))
        for added in new - layout.spans:
            dirty.update(layout.add(added))
        flipped = self.linked ^ linked
        for span in new:
            if span.id in flipped:
                dirty.update(layout.blocks_of(span))
        self.linked = linked
        return dirty

    def change_spans(self, old: list[SpanRow], new: list[SpanRow]) -> set[int]:
        """Swap a few spans (added, changed, removed); returns the blocks to highlight again."""
        assert self.layout is not None
        dirty: set[int] = set()
        for gone in old:
            dirty.update(self.layout.remove(gone))
        for added in new:
            dirty.update(self.layout.add(added))
        return dirty

    def highlightBlock(self, text: str) -> None:
        if self.layout is None:
            return
        pieces = self.layout.by_block.get(self.currentBlock().blockNumber())
        if not pieces:
            return
        if len(pieces) == 1:
            only = pieces[0]
            self.setFormat(only.start, only.end - only.start, self._format([only.span]))
            return
        cuts = sorted({p.start for p in pieces} | {p.end for p in pieces})
        for left, right in pairwise(cuts):
            covering = [p.span for p in pieces if p.start <= left and p.end >= right]
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


def rehighlight_quietly(view: QPlainTextEdit, highlighter: QSyntaxHighlighter, numbers: Iterable[int]) -> None:
    """Highlight these blocks again, repainting only the part of them on screen.

    Left to itself, QPlainTextEdit's layout repaints the whole viewport (and the proposal
    overlay above it) after every block highlighted again, even one far off screen: a
    hotkey's span, and every background-highlighting turn, cost a full repaint. Only the
    formats change here (tints, underlines: never a line's height), so nothing else moves.
    """
    document = view.document()
    blocks = [document.findBlockByNumber(n) for n in sorted(numbers)]
    if not blocks:
        return
    layout = document.documentLayout()
    size = layout.documentSize()
    blocked = layout.blockSignals(True)  # its update(everything) is what is left out
    try:
        for block in blocks:
            highlighter.rehighlightBlock(block)
    finally:
        layout.blockSignals(blocked)
    if layout.documentSize() != size:  # blocks laid out for the first time hold more lines than assumed
        layout.documentSizeChanged.emit(layout.documentSize())  # the scroll bar must hear
    shown = on_screen(view)
    for block in blocks:
        rect = shown.get(block.blockNumber())
        if rect is not None:
            view.viewport().update(rect)


def on_screen(view: QPlainTextEdit) -> dict[int, QRect]:
    """The blocks on screen, by number, with their rectangles in viewport coordinates."""
    found: dict[int, QRect] = {}
    block, offset, bottom = view.firstVisibleBlock(), view.contentOffset(), view.viewport().height()
    width = view.viewport().width()
    while block.isValid():
        rect = view.blockBoundingGeometry(block).translated(offset).toAlignedRect()
        if rect.top() > bottom:
            break
        found[block.blockNumber()] = QRect(0, rect.top(), width, rect.height())
        block = block.next()
    return found
