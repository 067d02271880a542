"""Two to four article panes side by side, with lines joining linked spans.

Like a diff tool joining changed blocks: for each link whose two spans sit in
adjacent panes and are both in view, a curve is drawn across the gap.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.models import Link, LinkKind, Span, SpanRow
from ui.article_pane import ArticlePane

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

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        panes = self.area.visible_panes()
        for left, right in pairwise(panes):
            for link, a, b in self.links:
                for first, second in ((a, b), (b, a)):
                    if first.document_id == left.document_id and second.document_id == right.document_id:
                        self._draw(painter, link, left, first, right, second)

    def _anchor(self, pane: ArticlePane, span: AnySpan, right_edge: bool) -> QPointF | None:
        view = pane.view
        rect = view.span_rect(span)
        if not view.viewport().rect().contains(rect.center()):
            return None
        x = view.viewport().width() if right_edge else 0
        point = view.viewport().mapTo(self.area, QPoint(x, rect.center().y()))
        return QPointF(point)

    def _draw(self, painter: QPainter, link: Link, left: ArticlePane, a: AnySpan,
              right: ArticlePane, b: AnySpan) -> None:
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
