"""Two to four article panes side by side, with lines joining linked spans.

Like a diff tool joining changed blocks: for each link whose two spans sit in
adjacent panes and are both in view, a curve is drawn across the gap.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.models import Link, LinkKind, Span, SpanRow
from ui.workspace.article_pane import ArticlePane

AnySpan = Span | SpanRow

MAX_PANES = 4
LINK_COLORS = {
    LinkKind.CONTRADICTS: "#D55E00",
    LinkKind.SUPPORTS: "#009E73",
    LinkKind.SAME_AS: "#0072B2",
    LinkKind.UPDATES: "#CC79A7",
}


class ConnectorOverlay(QWidget):
    """Draws the link curves; lets every mouse event through to the panes."""

    def __init__(self, area: PaneArea) -> None:
        super().__init__(area)
        self.area = area
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.links: list[tuple[Link, AnySpan, AnySpan]] = []
        self.bands: list[Any] = []  # compare mode's aligned passages (ui.workspace.compare_mode.Band)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for band in self.bands:
            self._draw_band(painter, band)
        panes = self.area.visible_panes()
        for left, right in pairwise(panes):
            for link, a, b in self.links:
                for first, second in ((a, b), (b, a)):
                    if first.document_id == left.document_id and second.document_id == right.document_id:
                        self._draw(painter, link, left, first, right, second)

    def _extent(self, pane: ArticlePane, start: int, end: int, right_edge: bool) -> tuple[QPointF, QPointF] | None:
        """Top and bottom of a passage at a pane's inner edge, or None when out of view."""
        view = pane.view
        top, bottom = view.offset_rect(start).top(), view.offset_rect(end).bottom()
        height = view.viewport().height()
        if bottom < 0 or top > height:
            return None
        x = view.viewport().width() if right_edge else 0
        first = view.viewport().mapTo(self.area, QPoint(x, max(top, 0)))
        last = view.viewport().mapTo(self.area, QPoint(x, min(bottom, height)))
        return QPointF(first), QPointF(last)

    def _draw_band(self, painter: QPainter, band: Any) -> None:
        (a_start, a_end), (b_start, b_end) = band.left_range, band.right_range
        left = self._extent(band.left, a_start, a_end, right_edge=True)
        right = self._extent(band.right, b_start, b_end, right_edge=False)
        if left is None or right is None:
            return
        (a_top, a_bottom), (b_top, b_bottom) = left, right
        middle = (a_top.x() + b_top.x()) / 2
        path = QPainterPath(a_top)
        path.cubicTo(QPointF(middle, a_top.y()), QPointF(middle, b_top.y()), b_top)
        path.lineTo(b_bottom)
        path.cubicTo(QPointF(middle, b_bottom.y()), QPointF(middle, a_bottom.y()), a_bottom)
        path.closeSubpath()
        color = QColor(band.color)
        color.setAlpha(95)
        painter.fillPath(path, color)

    def _anchor(self, pane: ArticlePane, span: AnySpan, right_edge: bool) -> QPointF | None:
        view = pane.view
        rect = view.span_rect(span)
        if not view.viewport().rect().contains(rect.center()):
            return None
        x = view.viewport().width() if right_edge else 0
        point = view.viewport().mapTo(self.area, QPoint(x, rect.center().y()))
        return QPointF(point)

    def _draw(
        self, painter: QPainter, link: Link, left: ArticlePane, a: AnySpan, right: ArticlePane, b: AnySpan
    ) -> None:
        start, end = self._anchor(left, a, True), self._anchor(right, b, False)
        if start is None or end is None:
            return
        middle = (start.x() + end.x()) / 2
        path = QPainterPath(start)
        path.cubicTo(QPointF(middle, start.y()), QPointF(middle, end.y()), end)
        pen = QPen(QColor(LINK_COLORS[link.kind]), 2)
        if link.kind == LinkKind.SAME_AS:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawPath(path)


class PaneArea(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setHandleWidth(28)  # room for the connector curves
        self.splitter.setChildrenCollapsible(False)
        self.panes = [ArticlePane(i) for i in range(MAX_PANES)]
        for pane in self.panes:
            self.splitter.addWidget(pane)
            pane.view.verticalScrollBar().valueChanged.connect(self._on_view_scrolled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.overlay = ConnectorOverlay(self)
        self.splitter.splitterMoved.connect(self._on_view_scrolled)
        self.set_pane_count(2)

    def set_pane_count(self, count: int) -> None:
        count = max(2, min(MAX_PANES, count))
        for index, pane in enumerate(self.panes):
            pane.setVisible(index < count)
        self.splitter.setSizes([1000] * count + [0] * (MAX_PANES - count))
        self.overlay.update()

    @property
    def pane_count(self) -> int:
        return len(self.visible_panes())

    def visible_panes(self) -> list[ArticlePane]:
        return [pane for pane in self.panes if not pane.isHidden()]

    def set_links(self, links: list[tuple[Link, AnySpan, AnySpan]]) -> None:
        self.overlay.links = links
        self.overlay.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.overlay.setGeometry(self.rect())
        self.overlay.raise_()

    def _on_view_scrolled(self, *_: object) -> None:
        self.overlay.update()
