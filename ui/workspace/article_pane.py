"""One pane: the article's title, outlet and date above its text."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.models import Document, Label, SpanRow
from ui.workspace.article_view import ArticleView
from ui.workspace.find_bar import FindBar
from ui.workspace.visible_first import SpanSource

DOCUMENT_MIME = "application/x-parallax-document-id"
ACTIVE_COLOR = "#6A3D9A"  # the active pane's frame: a purple no default label uses


def document_mime(document_id: int) -> QMimeData:
    data = QMimeData()
    data.setData(DOCUMENT_MIME, str(document_id).encode())
    return data


def _plain_label(font_size: float, bold: bool = False) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # titles come from imported files
    label.setWordWrap(True)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(font_size)
    font.setBold(bold)
    label.setFont(font)
    return label


class ArticlePane(QFrame):
    document_dropped = Signal(int)  # a document was dragged onto this pane
    focused = Signal()

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.document: Document | None = None
        self.setObjectName("pane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.active = False
        self.setAcceptDrops(True)
        self.title = _plain_label(12.5, bold=True)
        self.byline = _plain_label(9.5)
        self.view = ArticleView(self)
        self.view.setAcceptDrops(False)  # drops go to the pane
        self.find_bar = FindBar(self.view, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.byline)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view, 1)
        self.show_document(None)

    @property
    def document_id(self) -> int | None:
        return self.document.id if self.document else None

    def show_document(
        self,
        document: Document | None,
        spans: list[SpanRow] | SpanSource | None = None,
        labels: dict[int, Label] | None = None,
        linked: set[int] | None = None,
        annotator_names: dict[int, str] | None = None,
    ) -> None:
        self.document = document
        if document is None:
            self.title.setText(f"Pane {self.index + 1}")
            self.byline.setText("Double-click a document in the list, or drag it here.")
            self.view.show_text("")
        else:
            self.title.setText(document.title or "(untitled)")
            parts = [document.source or "unknown outlet", document.published or "undated"]
            self.byline.setText(" · ".join(parts))
            self.view.show_text(document.text, spans, labels, linked, annotator_names)
        self.find_bar.forget()

    def set_active(self, active: bool) -> None:
        """Mark the pane a double-click opens into: a coloured frame, and its title says so."""
        if active == self.active and self.styleSheet():  # unchanged: a style sheet costs ~1 ms to apply
            return
        self.active = active
        border = f"3px solid {ACTIVE_COLOR}" if active else "3px solid transparent"
        self.setStyleSheet(f"QFrame#pane {{ border: {border}; border-radius: 3px; }}")
        self.title.setStyleSheet(f"color: {ACTIVE_COLOR};" if active else "")
        self.setToolTip("Active pane: a double-clicked document opens here" if active else "")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(DOCUMENT_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        raw = bytes(event.mimeData().data(DOCUMENT_MIME).data()).decode()
        if raw.isdigit():
            self.document_dropped.emit(int(raw))
            event.acceptProposedAction()
