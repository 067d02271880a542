"""A sheet of every keyboard shortcut (F1), with a filter box."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

Shortcut = tuple[str, str]  # (keys, what they do)

DEFAULT_SHORTCUTS: tuple[Shortcut, ...] = (
    ("Ctrl+N", "New project"),
    ("Ctrl+O", "Open project"),
    ("Ctrl+I", "Import files"),
    ("Ctrl+K", "Search the corpus (the document filter; opening a document marks every hit)"),
    ("Ctrl+F", "Find in the article of the active pane (Enter / F3 next, Shift+Enter / Shift+F3 previous, Esc)"),
    ("Ctrl+1 … Ctrl+4", "Focus pane 1 to 4"),
    ("1 … 9", "Apply the label with that hotkey to the selection; on a clicked span, change its label"),
    ("Right-click", "On a span: relabel, note, link, delete; on selected text: tag"),
    ("Tab", "Pick the next span in the pane (moves the pick only; after two clicks, the link target)"),
    ("Shift+Tab", "Pick the previous span in the pane"),
    ("Delete", "Remove the selected span"),
    ("Ctrl+E", "Edit the note of the selected span"),
    ("Enter", "Accept the proposal (dashed outline) under the cursor as a span"),
    ("Shift+Enter", "Accept every proposal of this text and label in the project"),
    ("1 … 9 (cursor in a proposal)", "Accept the proposal with that label instead"),
    ("Backspace", "Reject the proposal under the cursor (remembered in the project)"),
    ("Shift+Backspace", "Reject every proposal of this text and label in the project"),
    ("F8 / Shift+F8", "Go to the next / previous proposal"),
    ("C", "After clicking two spans (any panes): link them as contradicts (Link menu)"),
    ("S", "After clicking two spans (any panes): link them as supports (Link menu)"),
    ("A", "After clicking two spans (any panes): link them as same as (Link menu)"),
    ("U", "After clicking two spans (any panes): link them as updates (Link menu)"),
    ("Ctrl+L", "Edit the label set"),
    ("Ctrl+M", "Compare mode: aligned passages and word differences"),
    ("Ctrl+Shift+F", "Find suggestions: conflicts and same-entity pairs (Enter accepts, Delete rejects)"),
    ("Ctrl+R", "Review sessions (in a review: 1-6 verdicts, N/P next/previous, U next undecided)"),
    ("Ctrl+Shift+C", "Curate the document into gold (A accept, R reject, O reopen, N/P next/previous open)"),
    ("Ctrl+Shift+E", "Export a dataset"),
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z", "Redo"),
    ("F1", "This sheet of shortcuts"),
    ("Ctrl+Q", "Quit"),
)

KEYS, ACTION = range(2)


class ShortcutsDialog(QDialog):
    """A two-column table (keys, action); typing in the filter hides other rows."""

    def __init__(self, shortcuts: Sequence[Shortcut] = DEFAULT_SHORTCUTS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self._shortcuts = list(shortcuts)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter shortcuts")
        self.filter_edit.setClearButtonEnabled(True)
        self.table = self._make_table(shortcuts)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.resize(860, 720)

    def _make_table(self, shortcuts: Sequence[Shortcut]) -> QTableWidget:
        table = QTableWidget(len(shortcuts), 2)
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        for row, (keys, action) in enumerate(shortcuts):
            table.setItem(row, KEYS, _keys_item(keys))
            table.setItem(row, ACTION, QTableWidgetItem(action))
        # Rows grow to fit wrapped actions, so no description is cut off.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.resizeColumnToContents(KEYS)
        table.setColumnWidth(KEYS, table.columnWidth(KEYS) + 24)
        table.horizontalHeader().setSectionResizeMode(ACTION, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        return table

    def apply_filter(self, text: str) -> None:
        """Show only rows whose keys or action contain `text` (any case)."""
        wanted = text.strip().casefold()
        for row, (keys, action) in enumerate(self._shortcuts):
            matches = wanted in keys.casefold() or wanted in action.casefold()
            self.table.setRowHidden(row, not matches)

    def visible_shortcuts(self) -> list[Shortcut]:
        return [item for row, item in enumerate(self._shortcuts) if not self.table.isRowHidden(row)]


def _keys_item(keys: str) -> QTableWidgetItem:
    item = QTableWidgetItem(keys)
    font = item.font()
    font.setBold(True)
    item.setFont(font)
    return item
