"""Choosing an evidence span for a verdict: a searchable list of every span."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.storage.project import Project


class EvidenceDialog(QDialog):
    """A searchable list of every span in the project; choosing one emits `span_chosen`."""

    span_chosen = Signal(int)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add evidence")
        self.resize(720, 480)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by quote, outlet or title")
        self.filter.textChanged.connect(self._on_filter_changed)
        self.filter.returnPressed.connect(self.accept)
        self.list = QListWidget()
        titles = {d.id: " · ".join(x for x in (d.source, d.title) if x) for d in project.documents()}
        for span in project.spans():
            text = " ".join(f"“{span.quote}” — {titles.get(span.document_id, '')}".split())
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, span.id)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.filter, self.list, buttons):
            layout.addWidget(widget)

    def _on_filter_changed(self, text: str) -> None:
        needle = text.casefold().strip()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())
        visible = [self.list.item(r) for r in range(self.list.count()) if not self.list.item(r).isHidden()]
        if visible:
            self.list.setCurrentItem(visible[0])

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            self.span_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        super().accept()
