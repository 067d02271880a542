"""Paint spans: entities as a tinted background, claims as a coloured underline.

The span layout is computed once per document (`SpanLayout`, block by block,
in UTF-16 positions); `highlightBlock` only looks up its block and merges the
overlapping spans into non-overlapping segments, so overlaps stay readable.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from app.models import Label, LabelKind, Span
from ui.offsets import OffsetMap


@dataclass(frozen=True)
class Piece:
    """The part of one span inside one text block, in block-local UTF-16 units."""

    start: int
    end: int
    span: Span


class SpanLayout:
    """Spans split per text block, ready for the highlighter."""

    def __init__(self, text: str, spans: list[Span]) -> None:
        self.offsets = OffsetMap(text)
        # UTF-16 start of every block (blocks are separated by "\n").
        newlines = (m.start() for m in re.finditer("\n", text))
        self._block_starts = [0, *(self.offsets.to_qt(i) + 1 for i in newlines)]
        self.by_block: dict[int, list[Piece]] = defaultdict(list)
        for span in spans:
            self._add(span)

    def _add(self, span: Span) -> None:
        start, end = self.offsets.to_qt(span.start), self.offsets.to_qt(span.end)
        block = bisect_right(self._block_starts, start) - 1
        while block < len(self._block_starts) and self._block_starts[block] < end:
            base = self._block_starts[block]
            stop = (self._block_starts[block + 1] - 1) if block + 1 < len(self._block_starts) else end
            piece_end = min(end, stop) - base
            if piece_end > max(start - base, 0):
                self.by_block[block].append(Piece(max(start - base, 0), piece_end, span))
            block += 1


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.layout: SpanLayout | None = None
        self.labels: dict[int, Label] = {}
        self.linked: set[int] = set()
        self.dark = False

    def set_spans(self, layout: SpanLayout, labels: dict[int, Label], linked: set[int]) -> None:
        self.layout, self.labels, self.linked = layout, labels, linked
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        if self.layout is None:
            return
        pieces = self.layout.by_block.get(self.currentBlock().blockNumber())
        if not pieces:
            return
        cuts = sorted({p.start for p in pieces} | {p.end for p in pieces})
        for left, right in zip(cuts, cuts[1:], strict=False):
            covering = [p.span for p in pieces if p.start <= left and p.end >= right]
            if covering:
                self.setFormat(left, right - left, self._format(covering))

    def _format(self, spans: list[Span]) -> QTextCharFormat:
        fmt = QTextCharFormat()
        entities = [s for s in spans if self._kind(s) == LabelKind.ENTITY]
        claims = [s for s in spans if self._kind(s) == LabelKind.CLAIM]
        if entities:  # the shortest (innermost) entity gives the tint
            inner = min(entities, key=lambda s: s.end - s.start)
            fmt.setBackground(self._tint(inner))
            if inner.id in self.linked:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(QColor(self.labels[inner.label_id].color))
        if claims:
            claim = min(claims, key=lambda s: s.end - s.start)
            linked = any(c.id in self.linked for c in claims)
            style = (QTextCharFormat.UnderlineStyle.WaveUnderline if linked
                     else QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineStyle(style)
            fmt.setUnderlineColor(QColor(self.labels[claim.label_id].color))
        return fmt

    def _kind(self, span: Span) -> LabelKind:
        label = self.labels.get(span.label_id)
        return label.kind if label else LabelKind.ENTITY

    def _tint(self, span: Span) -> QColor:
        color = QColor(self.labels[span.label_id].color)
        color.setAlpha(110 if self.dark else 70)  # a tint that leaves text readable
        return color
