"""Proposals drawn over an article view: a dashed outline in the label's colour
(dashes for the string matcher, dash-dots for the trained model).

Real spans are tints and underlines painted into the text (highlighter.py);
a proposal is only a dashed box on a transparent layer above the viewport,
so the two cannot be confused and a proposal never touches the text's
formats. The proposal under the cursor gets a thicker outline.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QTextBlock
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.assist.extents import SOURCES, Extents
from app.assist.proposals import Proposal
from ui.offsets import OffsetMap, Utf16Pos


class ProposalOverlay(QWidget):
    """Sits exactly over a `QPlainTextEdit`'s viewport; lets every mouse event through.

    A 1 MB article can hold 100,000 proposals: a paint draws only those meeting the
    exposed rectangle (found by bisection on their starts), with each one's line
    rectangles cached until the view scrolls or the text is laid out anew (a
    `QPlainTextEdit` measures blocks from the first one shown, so its content
    coordinates move with every scroll).
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
        self._geometry: dict[tuple[int, int], list[QRectF]] = {}  # (start, end) -> rects, content coordinates
        self._measured_at = -1  # the scroll position the cached rectangles belong to
        self._block_tops: dict[int, QPointF] = {}  # block number -> its top left, same coordinates
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
            self._measured_at = -1  # measured afresh
            touched = None
        self.extents, self.colors = extents, colors
        if self.current is not None and not self._holds(self.current):
            self.current = None
        if touched is None:
            self.update()
            return
        low, high = self._visible_range(self.rect())
        seen = [(start, end) for start, end in touched if start <= high and end >= low]
        covered = sum(min(end, high) - max(start, low) for start, end in seen)
        if len(seen) > 8 or 4 * covered > high - low:  # much changed on screen: one repaint from cached
            # rectangles is cheaper than measuring each stretch's
            self.update()
            return
        for start, end in seen:
            self._update_range(start, end)

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
        if dy or rect.contains(self._viewport.rect()):
            self.update()
        else:
            self.update(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._measured_at = -1  # a new width wraps the lines anew: measured afresh
            self._fit()
        return False

    def _fit(self) -> None:
        self.setGeometry(self._viewport.geometry())
        self.raise_()

    def visible_range(self) -> tuple[int, int]:
        """The code points on screen."""
        return self._visible_range(self.rect())

    def _visible_range(self, rect: QRect) -> tuple[int, int]:
        """The code points shown in `rect` (viewport coordinates), widened to whole lines."""
        first = self.view.cursorForPosition(QPoint(0, rect.top())).position()
        last = self.view.cursorForPosition(QPoint(self.width(), rect.bottom())).position()
        return self.offsets.from_qt(Utf16Pos(first)), self.offsets.from_qt(Utf16Pos(last))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.extents:
            return
        exposed = event.rect()
        low, high = self._visible_range(exposed)
        begin, stop = self.extents.meeting(low, high + 1)
        shift = self.view.contentOffset()
        painter = QPainter(self)  # crisp cosmetic lines: a tenth of the cost of antialiased rounded boxes
        pens: dict[tuple[int, bool, int], QPen] = {}
        current = self.current
        chosen_row = None if current is None else (current.start, current.end, current.label_id, current.source)
        for start, end, label, source in self.extents.rows(begin, stop):  # rows, not objects: no text sliced
            if end < low:
                continue
            chosen = chosen_row == (start, end, label, SOURCES[source])
            key = (label, chosen, source)
            pen = pens.get(key)
            if pen is None:
                pen = pens[key] = QPen(QColor(self.colors.get(label, "#666666")), 2 if chosen else 1)
                pen.setStyle(Qt.PenStyle.DashLine if SOURCES[source] == "string" else Qt.PenStyle.DashDotLine)
            painter.setPen(pen)
            for rect in self._content_rects(start, end):
                drawn = rect.translated(shift).adjusted(-1, 0, 0, -1)
                if drawn.intersects(exposed):
                    painter.drawRect(drawn)

    def rects(self, start: int, end: int) -> list[QRectF]:
        """One rectangle per laid-out line the range covers, in viewport coordinates."""
        shift = self.view.contentOffset()
        return [rect.translated(shift) for rect in self._content_rects(start, end)]

    def _content_rects(self, start: int, end: int) -> list[QRectF]:
        scrolled = self.view.verticalScrollBar().value()
        if scrolled != self._measured_at:
            self._geometry.clear()
            self._block_tops.clear()
            self._measured_at = scrolled
        found = self._geometry.get((start, end))
        if found is None:
            found = self._measure(start, end)
            if found:  # blocks not laid out yet answer nothing: measure them again later
                self._geometry[(start, end)] = found
        return found

    def _measure(self, start: int, end: int) -> list[QRectF]:
        begin, stop = self.offsets.to_qt(start), self.offsets.to_qt(end)
        found: list[QRectF] = []
        block = self.view.document().findBlock(begin)
        while block.isValid() and block.position() < stop:
            found += self._block_rects(block, begin - block.position(), stop - block.position())
            block = block.next()
        return found

    def _block_rects(self, block: QTextBlock, begin: int, stop: int) -> list[QRectF]:
        layout = block.layout()
        if layout is None or not block.isVisible():
            return []
        top_left = self._block_tops.get(block.blockNumber())
        if top_left is None:  # found by walking from the first block shown: once per block
            top_left = self._block_tops[block.blockNumber()] = self.view.blockBoundingGeometry(block).topLeft()
        found = []
        for index in range(layout.lineCount()):
            line = layout.lineAt(index)
            left, right = max(begin, line.textStart()), min(stop, line.textStart() + line.textLength())
            if left >= right:
                continue
            x1, x2 = _x(line.cursorToX(left)), _x(line.cursorToX(right))
            found.append(QRectF(top_left.x() + x1, top_left.y() + line.y(), x2 - x1, line.height()))
        return found


def _x(result: object) -> float:
    """`QTextLine.cursorToX` answers (x, position) in PySide6; the x is what we need."""
    return float(result[0] if isinstance(result, tuple) else result)  # type: ignore[arg-type]
