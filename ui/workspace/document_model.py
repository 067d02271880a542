"""The document list's model: the rows of the pages in view only, read from the
covering index when the view first asks for them.

Unfiltered and unsorted, the list is the index itself: a page is read by its
position (LIMIT/OFFSET), and nothing else is held, so the first screen costs a
count and one small query. Filtered or sorted, it holds the ids shown, in order
(an `array`: 80 kB for 10,000), and reads a page's rows by id. Sorting reads the
rows once, keeps the ids, and lets the rows go. At most a few pages are held.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, Qt

from app.models import DocumentId, DocumentRow
from app.storage.project import Project
from ui.plain import tooltip
from ui.table_model import Index
from ui.workspace.article_pane import DOCUMENT_MIME, document_mime

COLUMNS = ("Title", "Outlet", "Date", "Spans")
SPANS_COLUMN = COLUMNS.index("Spans")  # the only column a span changes
PAGE_ROWS = 128  # rows read at once: a few screens
KEPT_PAGES = 8  # pages held at most; the oldest read is let go first
SORT_KEYS: tuple[Callable[[DocumentRow], Any], ...] = (
    lambda d: (d.title or "").casefold(),
    lambda d: d.source.casefold(),
    lambda d: d.published or "",
    lambda d: d.span_count,
)


class DocumentListModel(QAbstractTableModel):
    """A thin adapter over `Project.document_ids()` / `document_rows(ids)`; the project stays the truth."""

    columns = COLUMNS

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self._ids: array[int] | None = None  # the rows shown, by id; None: every document in project order
        self._listed: array[int] | None = None  # every id in project order, once a filter or sort needed it
        self._count = 0  # how many rows, while `_ids` is None (it is not read to start)
        self.allowed: set[int] | None = None  # the filter's documents; None shows all
        self.order: tuple[int, Qt.SortOrder] | None = None
        self._pages: OrderedDict[int, list[DocumentRow]] = OrderedDict()  # page number -> its rows
        self.reload()

    # ---- what is shown -------------------------------------------------
    def reload(self) -> None:
        self._listed = None  # documents came or went
        self._show()

    def set_allowed(self, allowed: set[int] | None) -> None:
        self.allowed = allowed
        self._show()

    def _show(self) -> None:
        self.beginResetModel()
        self._set_ids()
        self.endResetModel()

    def _set_ids(self) -> None:
        self._pages.clear()
        if self.allowed is None and self.order is None:  # as the index lists them: read by pages, no ids
            self._ids, self._count = None, self.project.document_count()
        else:
            self._ids = self._ordered()

    @property
    def ids(self) -> array[int]:
        """Every shown row's document id, in order (read now if the list shows all, unsorted)."""
        if self._ids is None:
            self._ids = array("q", self._project_order())
        return self._ids

    def _project_order(self) -> array[int]:
        if self._listed is None:  # kept: each keystroke of the filter would read it again
            self._listed = array("q", self.project.document_ids())
        return self._listed

    def _ordered(self) -> array[int]:
        """The shown ids: the filter's, in project order, then sorted (stably) if a column is chosen."""
        allowed, listed = self.allowed, self._project_order()
        ids = array("q", listed if allowed is None else (i for i in listed if i in allowed))
        if self.order is None:
            return ids
        column, order = self.order
        shown = set(ids) if allowed is not None else None
        rows = [d for d in self.project.document_rows() if shown is None or d.id in shown]  # in project order
        rows.sort(key=SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)
        return array("q", (d.id for d in rows))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python (no proxy calling `data()` per comparison); the selection follows its rows."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [self.ids[i.row()] for i in before]
        self.order = (column, order) if 0 <= column < len(COLUMNS) else None
        self._set_ids()
        after = [self.index(self.ids.index(doc_id), p.column()) for doc_id, p in zip(held, before, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def row_of(self, doc_id: int) -> int | None:
        """The row showing this document, if shown."""
        try:
            return self.ids.index(doc_id)
        except ValueError:
            return None

    def update_documents(self, ids: Iterable[int]) -> None:
        """Re-read the span counts of these documents only, and repaint their rows if held
        (a row not held is read fresh when shown: no count is read for it, ~0.3 ms a key
        for an article with 10,000 spans)."""
        wanted = set(ids)
        places = [
            (number, at) for number, page in self._pages.items() for at, doc in enumerate(page) if doc.id in wanted
        ]
        counts = self.project.span_counts({self._pages[number][at].id for number, at in places}) if places else {}
        for number, at in places:
            doc = self._pages[number][at]
            count = counts.get(doc.id)
            if count is not None and count != doc.span_count:
                self._pages[number][at] = doc._replace(span_count=count)
                cell = self.index(number * PAGE_ROWS + at, SPANS_COLUMN)
                self.dataChanged.emit(cell, cell)  # one cell: the view repaints it alone, not all it shows

    def held(self) -> int:
        """How many rows are read and held now: a few pages, however long the list."""
        return sum(len(page) for page in self._pages.values())

    def row(self, number: int) -> DocumentRow:
        """The document shown at this row, its page read now if it was not."""
        page = self._pages.get(number // PAGE_ROWS)
        if page is None:
            page = self._read_page(number // PAGE_ROWS)
        return page[number % PAGE_ROWS]

    def _read_page(self, number: int) -> list[DocumentRow]:
        if self._ids is None:
            page = self.project.document_rows(offset=number * PAGE_ROWS, limit=PAGE_ROWS)
        else:
            ids = [DocumentId(i) for i in self._ids[number * PAGE_ROWS : (number + 1) * PAGE_ROWS]]
            found = {d.id: d for d in self.project.document_rows(ids)}
            # A document deleted a moment ago shows blank until the list reloads (the change is on its way).
            page = [found.get(i) or DocumentRow(i, "", "", None, 0) for i in ids]
        self._pages[number] = page
        while len(self._pages) > KEPT_PAGES:
            self._pages.popitem(last=False)
        return page

    # ---- Qt's model interface ------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count if self._ids is None else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self.row(index.row()).id
        if role == Qt.ItemDataRole.DisplayRole:
            doc = self.row(index.row())
            return (doc.title or "(untitled)", doc.source, doc.published or "", doc.span_count)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return tooltip(self.row(index.row()).title)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [DOCUMENT_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        return document_mime(self.row(indexes[0].row()).id) if indexes else QMimeData()
