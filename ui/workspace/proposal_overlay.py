"""Proposals drawn over an article view: a dashed outline in the label's colour
(dashes for the string matcher, dash-dots for the trained model).

Real spans are tints and underlines painted into the text (highlighter.py);
a proposal is only a dashed box on a transparent layer above the viewport,
so the two cannot be confused and a proposal never touches the text's
formats. The proposal under the cursor gets a thicker outline.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QTextBlock
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.assist.proposals import Proposal
from ui.offsets import OffsetMap, Utf16Pos


class ProposalOverlay(QWidget):
    """Sits exactly over a `QPlainTextEdit`'s viewport; lets every mouse event through."""

    def __init__(self, view: QPlainTextEdit) -> None:
        super().__init__(view)
        self.view = view
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.proposals: list[Proposal] = []
        self._starts: list[int] = []
        self.colors: dict[int, str] = {}
        self.current: Proposal | None = None
        self._text = ""
        self.offsets = OffsetMap("")
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        view.verticalScrollBar().valueChanged.connect(self.update)
        view.horizontalScrollBar().valueChanged.connect(self.update)
        view.updateRequest.connect(lambda *_: self.update())
        self._fit()

    def set_proposals(self, text: str, proposals: list[Proposal], colors: dict[int, str]) -> None:
        if text is not self._text:
            self._text, self.offsets = text, OffsetMap(text)
        self.proposals = sorted(proposals, key=lambda p: (p.start, p.end))
        self._starts = [p.start for p in self.proposals]
        self.colors = colors
        if self.current not in self.proposals:
            self.current = None
        self.update()

    def set_current(self, proposal: Proposal | None) -> None:
        if proposal != self.current:
            self.current = proposal
            self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._fit()
        return False

    def _fit(self) -> None:
        self.setGeometry(self._viewport.geometry())
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.proposals:
            return
        first = self.view.cursorForPosition(QPoint(0, 0)).position()
        last = self.view.cursorForPosition(QPoint(self.width(), self.height())).position()
        low, high = self.offsets.from_qt(Utf16Pos(first)), self.offsets.from_qt(Utf16Pos(last))
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Proposals are short: any that ends in view starts at most 500 code points earlier.
        for proposal in self.proposals[bisect_left(self._starts, low - 500) :]:
            if proposal.start > high:
                break
            if proposal.end < low:
                continue
            pen = QPen(QColor(self.colors.get(proposal.label_id, "#666666")), 2.5 if proposal == self.current else 1.3)
            pen.setStyle(Qt.PenStyle.DashLine if proposal.source == "string" else Qt.PenStyle.DashDotLine)
            painter.setPen(pen)
            for rect in self.rects(proposal.start, proposal.end):
                painter.drawRoundedRect(rect.adjusted(-1, 0, 1, 0), 3, 3)

    def rects(self, start: int, end: int) -> list[QRectF]:
        """One rectangle per laid-out line the range covers, in viewport coordinates."""
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
        top_left = self.view.blockBoundingGeometry(block).translated(self.view.contentOffset()).topLeft()
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
