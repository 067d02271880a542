"""The document list: title, outlet, date and span count, filtered by search.

Built for 10,000 documents: the model holds ids and reads only the rows in
view (`document_model.py`); the filter runs a short while after typing stops
and asks the index only for matching ids (no ranking, no highlighting); a
change of spans re-reads only the rows of the documents it touched; columns
have fixed widths, so nothing measures every row.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from app.storage.project import Project
from ui.workspace.document_model import DocumentListModel

__all__ = ["DocumentList", "DocumentListModel"]

FILTER_DELAY_MS = 150  # typing faster than this searches once, when it pauses
# A guard against pathological queries only: a filter must not hide matching documents.
FILTER_LIMIT = 100_000
DATE_COLUMN = 2
MIN_TITLE = 120  # px the title keeps before the date column is hidden


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
        self.no_match = QLabel()  # an empty table alone reads as a broken list
        self.no_match.setTextFormat(Qt.TextFormat.PlainText)  # the user's words, shown as typed
        self.no_match.setWordWrap(True)
        self.no_match.setMargin(4)
        self.no_match.hide()
        self.table = QTableView()
        self.table.setModel(self.model)
        # Project order: the indicator first, so enabling sorting does not sort by a column to undo it.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
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
        layout.addWidget(self.no_match)
        layout.addWidget(self.table)

    def _size_columns(self) -> None:
        """Widths from the font, not the contents: sizing to contents reads every row."""
        header, metrics = self.table.horizontalHeader(), self.table.fontMetrics()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Narrow enough that the title keeps most of a quarter-width dock; each can be widened by hand.
        for column, sample in ((1, "Outlet nam"), (2, "2021-04-29"), (3, "Spans")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 12)
        self.date_width = header.sectionSize(DATE_COLUMN)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """In a narrow dock (a 1,024 px window) the fixed columns left the title ~45 px ("Can…"
        for every article): below that the date gives way (each pane's header shows it)."""
        super().resizeEvent(event)
        header = self.table.horizontalHeader()
        fixed = sum(header.sectionSize(c) for c in (1, 3)) + self.date_width  # a hidden section's size is 0
        self.table.setColumnHidden(DATE_COLUMN, self.width() - fixed < MIN_TITLE)

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
        nothing = found is not None and not found
        self.no_match.setText(f"No document matches “{text.strip()}”." if nothing else "")
        self.no_match.setVisible(nothing)

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.document_activated.emit(self.model.data(index, Qt.ItemDataRole.UserRole))
