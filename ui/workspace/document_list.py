"""The document list: title, outlet, date and span count, filtered by search.

Built for 10,000 documents: the filter runs a short while after typing stops
and asks the index only for matching ids (no ranking, no highlighting); a
change of spans re-reads only the rows of the documents it touched; columns
have fixed widths, so nothing measures every row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from app.models import DocumentRow
from app.storage.project import Project
from ui.plain import tooltip
from ui.table_model import Index, RowTableModel
from ui.workspace.article_pane import DOCUMENT_MIME, document_mime

COLUMNS = ("Title", "Outlet", "Date", "Spans")
FILTER_DELAY_MS = 150  # typing faster than this searches once, when it pauses
# A guard against pathological queries only: a filter must not hide matching documents.
FILTER_LIMIT = 100_000
SORT_KEYS: tuple[Callable[[DocumentRow], Any], ...] = (
    lambda d: (d.title or "").casefold(),
    lambda d: d.source.casefold(),
    lambda d: d.published or "",
    lambda d: d.span_count,
)


class DocumentListModel(RowTableModel[DocumentRow]):
    """A thin adapter over `Project.document_rows()`; the project stays the truth."""

    columns = COLUMNS

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.everything: list[DocumentRow] = []  # in project order
        self.allowed: set[int] | None = None  # the filter's documents; None shows all
        self.order: tuple[int, Qt.SortOrder] | None = None
        self._row_of: dict[int, int] = {}  # document id -> row shown
        self._position: dict[int, int] = {}  # document id -> index in `everything`
        self.reload()

    def load(self) -> list[DocumentRow]:
        return self.project.document_rows()

    def reload(self) -> None:
        self.everything = self.load()
        self._position = {d.id: n for n, d in enumerate(self.everything)}
        self._show()

    def set_allowed(self, allowed: set[int] | None) -> None:
        self.allowed = allowed
        self._show()

    def _visible(self) -> list[DocumentRow]:
        allowed = self.allowed
        return list(self.everything) if allowed is None else [d for d in self.everything if d.id in allowed]

    def _show(self) -> None:
        self.beginResetModel()
        self.rows = self._visible()
        self._sort_rows()
        self.endResetModel()

    def _sort_rows(self) -> None:
        if self.order is not None:
            column, order = self.order
            self.rows.sort(key=SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)
        self._row_of = {d.id: n for n, d in enumerate(self.rows)}

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python (no proxy calling `data()` per comparison); the selection follows its rows."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self.rows[i.row()].id for i in before]
        self.order = (column, order) if 0 <= column < len(COLUMNS) else None
        self.rows = self._visible()
        self._sort_rows()
        after = [self.index(self._row_of[i], p.column()) for i, p in zip(ids, before, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def update_documents(self, ids: Iterable[int]) -> None:
        """Re-read the span counts of these documents only, and repaint their rows."""
        counts = self.project.span_counts(ids)
        for doc_id, count in counts.items():
            position = self._position.get(doc_id)
            if position is None or self.everything[position].span_count == count:
                continue
            doc = self.everything[position] = self.everything[position]._replace(span_count=count)
            row = self._row_of.get(doc_id)
            if row is not None:
                self.rows[row] = doc
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def cell(self, doc: DocumentRow, column: int, role: int) -> Any:
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


class DocumentList(QWidget):
    document_activated = Signal(int)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.model = DocumentListModel(project)
        self.filter = QLineEdit(placeholderText="Search the corpus (Ctrl+K)…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_changed)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.flush_filter)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # project order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self._size_columns()
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)

    def _size_columns(self) -> None:
        """Widths from the font, not the contents: sizing to contents reads every row."""
        header, metrics = self.table.horizontalHeader(), self.table.fontMetrics()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Narrow enough that the title keeps most of a quarter-width dock; each can be widened by hand.
        for column, sample in ((1, "Outlet nam"), (2, "2021-04-29"), (3, "Spans")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 12)

    def reload(self) -> None:
        self.model.reload()

    def update_documents(self, ids: Iterable[int]) -> None:
        self.model.update_documents(ids)

    def _on_filter_changed(self, text: str) -> None:
        if text.strip():
            self._filter_timer.start()
        else:  # cleared: show everything at once
            self.flush_filter()

    def flush_filter(self) -> None:
        """Apply the filter now (it otherwise runs once typing pauses)."""
        self._filter_timer.stop()
        if self.project.closed:  # the window closed before typing paused
            return
        text = self.filter.text()
        found = self.project.matching_documents(text, FILTER_LIMIT) if text.strip() else None
        allowed: set[int] | None = set(found) if found is not None else None
        if allowed != self.model.allowed:
            self.model.set_allowed(allowed)

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.document_activated.emit(self.model.data(index, Qt.ItemDataRole.UserRole))
