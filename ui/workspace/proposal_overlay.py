"""Proposals drawn over an article view: a dashed outline in the label's colour
(dashes for the string matcher, dash-dots for the trained model).

Real spans are tints and underlines painted into the text (highlighter.py);
a proposal is only a dashed box on a transparent layer above the viewport,
so the two cannot be confused and a proposal never touches the text's
formats. The proposal under the cursor gets a thicker outline.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QRegion, QTextBlock, QTextLine
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.assist.extents import SOURCES, Extents
from app.assist.proposals import Proposal
from ui.offsets import OffsetMap, Utf16Pos

# Characters of right-to-left scripts (Hebrew to N'Ko and Syriac supplements, presentation forms, astral ones).
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")
MANY_STRETCHES = 32  # changed stretches on screen past which one band covers them all
KEPT_OUTLINES = 5_000  # proposals whose measured outlines are kept: a few screens' worth
STRING = SOURCES.index("string")  # the source index of a string match, as the arrays hold it


class ProposalOverlay(QWidget):
    """Sits exactly over a `QPlainTextEdit`'s viewport; lets every mouse event through.

    A 1 MB article can hold 100,000 proposals: a paint draws only those meeting the
    exposed region (found by bisection on their starts), with each one's line
    rectangles measured once from its block's top left, kept until the text is laid
    out anew (a new width); only the blocks' tops are found again after a scroll (a
    `QPlainTextEdit` measures blocks from the first one shown). A change repaints the
    lines it touched, not the whole overlay: the overlay is transparent, so each of
    its repaints makes Qt repaint the text beneath it too.
    """

    def __init__(self, view: QPlainTextEdit) -> None:
        super().__init__(view)
        self.view = view
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.extents = Extents()
        self.colors: dict[int, str] = {}
        self.current: Proposal | None = None
        self._text = ""
        self.offsets = OffsetMap("")
        # (start, end) -> its outlines as drawn: (block number, rectangle from the block's top left),
        # kept until the text is laid out anew (a new width), however the view scrolls
        self._drawn: dict[tuple[int, int], list[tuple[int, QRectF]]] = {}
        self._measured_at = -1  # the scroll position the block tops belong to
        self._block_tops: dict[int, QPointF] = {}  # block number -> its top left, viewport coordinates
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        view.updateRequest.connect(self._on_update_request)
        self._fit()

    def set_proposals(
        self,
        text: str,
        extents: Extents,
        colors: dict[int, str],
        touched: list[tuple[int, int]] | None = None,
    ) -> None:
        """Show these proposals (kept in text order by their owner); repaint `touched` stretches only, if given."""
        if text is not self._text:
            self._text, self.offsets = text, OffsetMap(text)
            self._drawn.clear()  # measured afresh
            self._measured_at = -1
            touched = None
        self.extents, self.colors = extents, colors
        if self.current is not None and not self._holds(self.current):
            self.current = None
        if touched is None:
            self.update()
            return
        low, high = self._visible_range(self.rect())
        seen = [(max(start, low), min(end, high)) for start, end in touched if start <= high and end >= low]
        if len(seen) > MANY_STRETCHES:  # one band over them all: a band each cost more than it saved
            seen = [(min(start for start, _ in seen), max(end for _, end in seen))]
        for start, end in seen:  # each stretch's lines: no proposal measured for it
            band = self._band(start, end)
            if band is None:  # not laid out yet: repaint it all
                self.update()
                return
            self.update(band)

    def _band(self, start: int, end: int) -> QRect | None:
        """Where code points [start, end) are drawn, in viewport coordinates (a margin for the
        outlines' width): on one line, from its first character to its last (the text beneath
        repaints with the overlay, and a narrow band blends fewer glyphs); the whole lines
        holding it if it wraps. None if they are not laid out."""
        self._check_scrolled()
        first, last = self._line_span(start), self._line_span(max(start, end - 1))
        if first is None or last is None:
            return None
        (top, line, block), (_, last_line, last_block) = first, last
        base = block.position()
        begins, limit = base + line.textStart(), base + line.textStart() + line.textLength()
        one_line = block == last_block and line.lineNumber() == last_line.lineNumber()
        shown = self.offsets.from_qt(Utf16Pos(begins)), self.offsets.from_qt(Utf16Pos(limit))
        if one_line and not RIGHT_TO_LEFT.search(self._text, *shown):
            # The line left to right throughout (else the stretch need not lie between its ends' places).
            left = _x(line.cursorToX(self.offsets.to_qt(start) - base))
            right = _x(line.cursorToX(min(self.offsets.to_qt(end), limit) - base))
            x = self._block_top(block).x()
            return QRectF(x + left - 4, top - 3, right - left + 8, line.height() + 6).toAlignedRect()
        bottom = self._block_top(last_block).y() + last_line.y() + last_line.height()
        return QRectF(0, top - 3, self.width(), bottom - top + 6).toAlignedRect()

    def _line_span(self, offset: int) -> tuple[float, QTextLine, QTextBlock] | None:
        """Top (viewport coordinates) of the laid-out line holding `offset`, the line and its block."""
        position = self.offsets.to_qt(offset)
        block = self.view.document().findBlock(position)
        layout = block.layout()
        if not block.isValid() or layout is None or not block.isVisible():
            return None
        line = layout.lineForTextPosition(position - block.position())
        if not line.isValid():
            return None
        return self._block_top(block).y() + line.y(), line, block

    def _holds(self, proposal: Proposal) -> bool:
        return self.extents.find(proposal) is not None

    def set_current(self, proposal: Proposal | None) -> None:
        if proposal != self.current:
            for old in (self.current, proposal):
                if old is not None:
                    self._update_range(old.start, old.end)
            self.current = proposal

    def _update_range(self, start: int, end: int) -> None:
        for rect in self.rects(start, end):
            self.update(rect.adjusted(-4, -3, 4, 3).toAlignedRect())

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if not shiboken6.isValid(self._viewport):  # a view being destroyed (at exit) still signals
            return
        if dy or rect.contains(self._viewport.rect()):
            self.update()
        else:
            self.update(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._drawn.clear()  # a new width wraps the lines anew: measured afresh
            self._measured_at = -1
            self._fit()
        return False

    def _fit(self) -> None:
        self.setGeometry(self._viewport.geometry())
        self.raise_()

    def visible_range(self) -> tuple[int, int]:
        """The code points on screen."""
        return self._visible_range(self.rect())

    def _visible_range(self, rect: QRect, lines: ScreenLines | None = None) -> tuple[int, int]:
        """The code points shown in `rect` (viewport coordinates), widened to whole lines."""
        top, bottom = rect.top(), rect.bottom()
        if lines is None:  # each end on its own: the lines between are not walked
            first, last = self._screen_lines(top, top).at(top), self._screen_lines(bottom, bottom).at(bottom)
        else:
            first, last = lines.at(top), lines.at(bottom)
        return self.offsets.from_qt(Utf16Pos(first[0])), self.offsets.from_qt(Utf16Pos(last[1]))

    def _screen_lines(self, low: int, high: int) -> ScreenLines:
        """The laid-out lines of the blocks reaching below `low`, down to the first line reaching below `high`.

        As `cursorForPosition` at either end of a line answers, walking the blocks from the first
        one shown (whose tops are kept) and the lines of those reaching below `low` only: it
        hit-tested every line and cost ~0.3 ms a call. One table serves every rectangle of a
        paint (a walk for each cost ~0.1 ms)."""
        self._check_scrolled()
        lines = ScreenLines()
        block = self.view.firstVisibleBlock()
        while block.isValid():
            top, layout = self._block_top(block).y(), block.layout()
            below = block.next()
            if layout is not None and block.isVisible() and layout.lineCount():
                if below.isValid() and top + self.view.blockBoundingRect(block).height() <= low:
                    block = below  # wholly above: its lines are not walked
                    continue
                position = block.position()
                for line in map(layout.lineAt, range(layout.lineCount())):
                    at = position + line.textStart()
                    bottom = top + line.y() + line.height()
                    lines.add(bottom, at, at + line.textLength())
                    if bottom > high:
                        return lines
            block = below
        return lines

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.extents:
            return
        exposed = QRectF(event.rect())
        self._check_scrolled()
        painter = QPainter(self)  # crisp cosmetic lines: a tenth of the cost of antialiased rounded boxes
        pens: dict[tuple[int, bool, int], QPen] = {}
        current, drawn, tops = self.current, self._drawn, self._block_tops
        chosen_row = None if current is None else (current.start, current.end, current.label_id, current.source)
        shown = self.extents
        starts, ends, labels, sources = shown.starts, shown.ends, shown.labels, shown.sources
        for begin, stop in self._meeting(event.region()):  # the arrays, not objects: no text sliced
            for index in range(begin, stop):
                start, end, label, source = starts[index], ends[index], labels[index], sources[index]
                boxes = drawn.get((start, end))
                if boxes is None:
                    boxes = self._boxes(start, end)
                chosen = chosen_row is not None and chosen_row == (start, end, label, SOURCES[source])
                key = (label, chosen, source)
                pen = pens.get(key)
                if pen is None:
                    pen = pens[key] = QPen(QColor(self.colors.get(label, "#666666")), 2 if chosen else 1)
                    pen.setStyle(Qt.PenStyle.DashLine if source == STRING else Qt.PenStyle.DashDotLine)
                painter.setPen(pen)
                for number, box in boxes:
                    top = tops.get(number)
                    if top is None:
                        top = self._block_top(self.view.document().findBlockByNumber(number))
                    box = box.translated(top)
                    if box.intersects(exposed):
                        painter.drawRect(box)

    def _meeting(self, region: QRegion) -> list[tuple[int, int]]:
        """Index ranges of the proposals meeting the region's rectangles, merged (each drawn once)."""
        rects = list(cast(Iterable[QRect], region))  # iterable at run time
        lines = self._screen_lines(min(r.top() for r in rects), max(r.bottom() for r in rects)) if rects else None
        spans = [self._visible_range(rect, lines) for rect in rects]
        ranges = sorted(self.extents.meeting(low, high + 1) for low, high in spans)
        merged: list[tuple[int, int]] = []
        for begin, stop in ranges:
            if merged and begin <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
            else:
                merged.append((begin, stop))
        return merged

    def rects(self, start: int, end: int) -> list[QRectF]:
        """One rectangle per laid-out line the range covers, in viewport coordinates."""
        self._check_scrolled()
        found = self._drawn.get((start, end)) or self._boxes(start, end)
        tops = [self._block_top(self.view.document().findBlockByNumber(number)) for number, _box in found]
        return [box.translated(top).adjusted(1, 0, 0, 1) for (_number, box), top in zip(found, tops, strict=True)]

    def _check_scrolled(self) -> None:
        """Drop the block tops found at another scroll position (they move with it)."""
        scrolled = self.view.verticalScrollBar().value()
        if scrolled != self._measured_at:
            self._block_tops.clear()
            self._measured_at = scrolled

    def _boxes(self, start: int, end: int) -> list[tuple[int, QRectF]]:
        """The outlines of [start, end) as drawn, each from its block's top left, kept."""
        found = [(number, rect.adjusted(-1, 0, 0, -1)) for number, rect in self._measure(start, end)]
        if found:  # blocks not laid out yet answer nothing: measure them again later
            if len(self._drawn) >= KEPT_OUTLINES:  # read through a whole 1 MB article, all would be kept
                self._drawn.clear()
            self._drawn[(start, end)] = found
        return found

    def _measure(self, start: int, end: int) -> list[tuple[int, QRectF]]:
        begin, stop = self.offsets.to_qt(start), self.offsets.to_qt(end)
        found: list[tuple[int, QRectF]] = []
        block = self.view.document().findBlock(begin)
        while block.isValid() and block.position() < stop:
            number = block.blockNumber()
            found += [(number, rect) for rect in _block_rects(block, begin - block.position(), stop - block.position())]
            block = block.next()
        return found

    def _block_top(self, block: QTextBlock) -> QPointF:
        top_left = self._block_tops.get(block.blockNumber())
        if top_left is None:  # found by walking from the first block shown: once per block and scroll
            geometry = self.view.blockBoundingGeometry(block)
            top_left = self._block_tops[block.blockNumber()] = geometry.topLeft() + self.view.contentOffset()
        return top_left


class ScreenLines:
    """Laid-out lines in order down the screen: each one's bottom edge and code units [start, end)."""

    def __init__(self) -> None:
        self.bottoms: list[float] = []
        self.units: list[tuple[int, int]] = []

    def add(self, bottom: float, start: int, end: int) -> None:
        self.bottoms.append(bottom)
        self.units.append((start, end))

    def at(self, y: float) -> tuple[int, int]:
        """The code units of the first line reaching below `y`, else of the last line there is."""
        index = bisect_right(self.bottoms, y)
        if index < len(self.units):
            return self.units[index]
        return self.units[-1] if self.units else (0, 0)


def _block_rects(block: QTextBlock, begin: int, stop: int) -> list[QRectF]:
    """The rectangles of the block's code units [begin, stop) on each of its lines, from its top left."""
    layout = block.layout()
    if layout is None or not block.isVisible():
        return []
    found = []
    first = layout.lineForTextPosition(max(begin, 0))  # straight to the first line: blocks are paragraphs
    for index in range(first.lineNumber() if first.isValid() else 0, layout.lineCount()):
        line = layout.lineAt(index)
        line_start = line.textStart()
        if line_start >= stop:
            break
        left, right = max(begin, line_start), min(stop, line_start + line.textLength())
        if left >= right:
            continue
        x1, x2 = _x(line.cursorToX(left)), _x(line.cursorToX(right))
        found.append(QRectF(x1, line.y(), x2 - x1, line.height()))
    return found


def _x(result: object) -> float:
    """`QTextLine.cursorToX` answers (x, position) in PySide6; the x is what we need."""
    return float(result[0] if isinstance(result, tuple) else result)  # type: ignore[arg-type]
