"""The events panel: the project's articles grouped by the event they report.

Top-level rows are events (their name and size), children their articles.
Opening an event (double-click, Enter or "Side by side") puts up to four of
its articles in the panes; compare mode and suggestions then work within it.
Group, merge, split and move are undoable edits (`app.events.store`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import ParallaxError
from app.events import store
from app.storage.changes import Changes, Outcome
from ui.open_project import OpenProject
from ui.workspace.compare_view import MAX_PANES
from ui.workspace.workspace import Workspace

EVENT, ARTICLE = 1, 2  # item kinds, in UserRole + 1


class EventsPanel(QWidget):
    event_opened = Signal(object)  # tuple of document ids
    error = Signal(str)

    def __init__(self, session: OpenProject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Event / article", "Size / date"])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.group_button = self._button("Group articles", self.regroup, "Group every article into events afresh")
        self.open_button = self._button("Side by side", self.open_selected, "Open the event's articles in the panes")
        self.merge_button = self._button("Merge", self.merge_selected, "Merge the selected events into one")
        self.split_button = self._button("Split off", self.split_selected, "Move the selected articles to a new event")
        self.move_button = self._button("Move to…", self.show_move_menu, "Move the selected articles to another event")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # two rows: five buttons in one row were cut ("roup article") in the default dock width
        for row in ((self.group_button, self.open_button), (self.merge_button, self.split_button, self.move_button)):
            buttons = QHBoxLayout()
            for button in row:
                buttons.addWidget(button)
            buttons.addStretch()
            layout.addLayout(buttons)
        layout.addWidget(self.tree)
        session.operation_did_execute.connect(self._on_session_operation)
        self._stale = True  # filled when first in front: the tab starts behind Documents
        self._in_front = False

    def _button(self, text: str, slot: Callable[[], None], tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # ---- reading -----------------------------------------------------------
    def reload(self) -> None:
        """Refill the tree now if it is in front, else when it next is (reading every event costs)."""
        self._stale = not self._in_front
        if not self._stale:
            self._fill()

    def set_in_front(self, in_front: bool) -> None:
        """Its dock's tab was selected or left (`QDockWidget.visibilityChanged`)."""
        self._in_front = in_front
        if in_front and self._stale:
            self.reload()

    def _fill(self) -> None:
        project = self.session.project
        titles = {d.id: (d.title, d.source, d.published) for d in project.document_rows()}  # no texts read
        self.tree.clear()
        for item in store.events(project):
            top = QTreeWidgetItem([item.name, str(len(item.documents))])
            top.setData(0, Qt.ItemDataRole.UserRole, item.id)
            top.setData(0, Qt.ItemDataRole.UserRole + 1, EVENT)
            top.setToolTip(0, item.name)
            for doc in item.documents:
                title, source, published = titles[doc]
                child = QTreeWidgetItem([title or f"Document {doc}", published or ""])
                child.setData(0, Qt.ItemDataRole.UserRole, doc)
                child.setData(0, Qt.ItemDataRole.UserRole + 1, ARTICLE)
                child.setToolTip(0, f"{title}\n{source or 'outlet unknown'} · {published or 'date unknown'}")
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self._update_buttons()

    def _on_session_operation(self, changes: Changes, _initiator: object) -> None:
        if changes.events or changes.documents:
            self.reload()

    def _selected(self, kind: int) -> list[int]:
        return [i.data(0, Qt.ItemDataRole.UserRole) for i in self.tree.selectedItems() if self._kind(i) == kind]

    @staticmethod
    def _kind(item: QTreeWidgetItem) -> int:
        return int(item.data(0, Qt.ItemDataRole.UserRole + 1))

    def _current_event(self) -> int | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        top = item if self._kind(item) == EVENT else item.parent()
        return None if top is None else int(top.data(0, Qt.ItemDataRole.UserRole))

    def _update_buttons(self) -> None:
        articles = self._selected(ARTICLE)
        self.open_button.setEnabled(self._current_event() is not None)
        self.merge_button.setEnabled(len(self._selected(EVENT)) >= 2)
        self.split_button.setEnabled(bool(articles))
        self.move_button.setEnabled(bool(articles) and self.tree.topLevelItemCount() > 1)

    # ---- actions -----------------------------------------------------------
    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._kind(item) == EVENT:
            self.open_selected()
        else:
            self.event_opened.emit((int(item.data(0, Qt.ItemDataRole.UserRole)),))

    def open_selected(self) -> None:
        chosen = self._current_event()
        if chosen is not None:
            self.event_opened.emit(store.event(self.session.project, chosen).documents)

    def regroup(self) -> None:
        self._edit("Group articles into events", lambda: store.regroup(self.session.project))

    def merge_selected(self) -> None:
        chosen = self._selected(EVENT)
        self._edit(f"Merge {len(chosen)} events", lambda: store.merge(self.session.project, chosen))

    def split_selected(self) -> None:
        articles = self._selected(ARTICLE)
        source = self._current_event()
        if source is None or not articles:
            return
        if len(articles) == len(store.event(self.session.project, source).documents):
            self.error.emit("Splitting needs some, not all, of an event's articles.")
            return
        self._edit("Split event", lambda: store.split(self.session.project, source, articles))

    def move_to(self, target: int | None) -> None:
        """Move the selected articles to event `target` (None: a new event each)."""
        articles = self._selected(ARTICLE)
        project = self.session.project
        for doc in articles:
            if store.event_of(project, doc) != target:
                self._edit("Move article to event", partial(store.move, project, doc, target))

    def show_move_menu(self) -> None:
        menu = QMenu(self)
        for item in store.events(self.session.project):
            action = QAction(f"{item.name} ({len(item.documents)})", menu)
            action.triggered.connect(lambda _checked=False, target=item.id: self.move_to(target))
            menu.addAction(action)
        menu.addSeparator()
        alone = menu.addAction("A new event")
        alone.triggered.connect(lambda _checked=False: self.move_to(None))
        menu.popup(self.move_button.mapToGlobal(self.move_button.rect().bottomLeft()))

    def _edit(self, text: str, operation: Callable[[], Outcome[Any]]) -> None:
        try:
            self.session.run(text, operation, initiator=self)
        except ParallaxError as exc:
            self.error.emit(str(exc))


def open_side_by_side(workspace: Workspace, doc_ids: Sequence[int]) -> None:
    """Put up to four of an event's articles in the panes, first to last."""
    shown = list(doc_ids)[:MAX_PANES]
    if len(shown) > 1:
        workspace.set_pane_count(len(shown))
    for index, doc in enumerate(shown):
        workspace.open_document(doc, index if len(shown) > 1 else None)
