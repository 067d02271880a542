"""The links panel: every link with both quoted texts and their sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.models import Link, Span
from app.storage.project import Project
from ui.plain import tooltip
from ui.table_model import RowTableModel
from ui.workspace.compare_view import LINK_COLORS

COLUMNS = ("Kind", "From", "Source", "To", "Source", "Annotator", "Note")


@dataclass(frozen=True)
class LinkRow:
    link: Link
    source: Span
    target: Span
    source_doc: str
    target_doc: str
    annotator: str


def _where(project: Project, doc_id: int, cache: dict[int, str]) -> str:
    if doc_id not in cache:
        doc = project.document(doc_id)
        outlet = doc.source or f"“{doc.title[:24].rstrip()}…”"
        cache[doc_id] = f"{outlet} · {doc.published or 'undated'}"
    return cache[doc_id]


def load_rows(project: Project) -> list[LinkRow]:
    links = project.links()
    spans = project.spans_by_id(x for link in links for x in (link.source_span_id, link.target_span_id))
    names = {a.id: a.name for a in project.annotators()}
    cache: dict[int, str] = {}
    return [
        LinkRow(
            link,
            spans[link.source_span_id],
            spans[link.target_span_id],
            _where(project, spans[link.source_span_id].document_id, cache),
            _where(project, spans[link.target_span_id].document_id, cache),
            names.get(link.annotator_id, "?"),
        )
        for link in links
    ]


class LinksModel(RowTableModel[LinkRow]):
    columns = COLUMNS

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.reload()

    def load(self) -> list[LinkRow]:
        return load_rows(self.project)

    def cell(self, row: LinkRow, column: int, role: int) -> Any:
        values = (
            row.link.kind.value,
            row.source.quote,
            row.source_doc,
            row.target.quote,
            row.target_doc,
            row.annotator,
            row.link.note,
        )
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(values[column].split())
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(values[column])
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QColor(LINK_COLORS[row.link.kind])
        if role == Qt.ItemDataRole.UserRole:
            return row.link.id
        return None


class LinksPanel(QTableView):
    link_selected = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.links_model = LinksModel(project)
        self.setModel(self.links_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        header = self.horizontalHeader()
        for column in range(len(COLUMNS)):
            mode = QHeaderView.ResizeMode.Stretch if column in (1, 3) else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, mode)
        self.selectionModel().currentRowChanged.connect(self._on_row_changed)

    def reload(self) -> None:
        self.links_model.reload()

    def current_link_id(self) -> int | None:
        index = self.currentIndex()
        return self.links_model.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None

    def select_link(self, link_id: int) -> None:
        for row, item in enumerate(self.links_model.rows):
            if item.link.id == link_id:
                self.selectRow(row)

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.link_selected.emit(self.links_model.rows[current.row()].link.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        link_id = self.current_link_id()
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and link_id is not None:
            self.delete_requested.emit(link_id)
            return
        super().keyPressEvent(event)
