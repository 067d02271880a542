"""The document list: title, outlet, date and span count, filtered by search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from app.models import DocumentSummary
from app.storage.project import Project
from ui.plain import tooltip
from ui.table_model import Index, RowTableModel
from ui.workspace.article_pane import DOCUMENT_MIME, document_mime

COLUMNS = ("Title", "Outlet", "Date", "Spans")


class DocumentListModel(RowTableModel[DocumentSummary]):
    """A thin adapter over `Project.documents()`; the project stays the truth."""

    columns = COLUMNS

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.reload()

    def load(self) -> list[DocumentSummary]:
        return self.project.documents()

    def cell(self, doc: DocumentSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (doc.title or "(untitled)", doc.source, doc.published or "", doc.span_count)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return tooltip(doc.title)
        if role == Qt.ItemDataRole.UserRole:
            return doc.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [DOCUMENT_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        return document_mime(self.rows[indexes[0].row()].id) if indexes else QMimeData()


class SearchFilter(QSortFilterProxyModel):
    """Shows only the documents the full-text search found (all when empty)."""

    def __init__(self) -> None:
        super().__init__()
        self.allowed: set[int] | None = None

    def set_allowed(self, allowed: set[int] | None) -> None:
        if hasattr(self, "endFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self.allowed = allowed
            self.endFilterChange()
        else:
            self.allowed = allowed
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if self.allowed is None:
            return True
        model = self.sourceModel()
        return model.data(model.index(row, 0, parent), Qt.ItemDataRole.UserRole) in self.allowed


class DocumentList(QWidget):
    document_activated = Signal(int)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.model = DocumentListModel(project)
        self.proxy = SearchFilter()
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit(placeholderText="Search the corpus (Ctrl+K)…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_changed)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # project order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)

    def reload(self) -> None:
        self.model.reload()

    def _on_filter_changed(self, text: str) -> None:
        hits = self.project.search(text, limit=10_000) if text.strip() else None
        self.proxy.set_allowed({hit.document_id for hit in hits} if hits is not None else None)

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.document_activated.emit(self.proxy.data(index, Qt.ItemDataRole.UserRole))
