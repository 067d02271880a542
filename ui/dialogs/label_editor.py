"""Edit the project's label set: names, kinds, colours, hotkeys; add and delete.

`LabelTableModel` is a thin item model over `project.labels()`; every edit is
one `session.run(...)` call, so it lands on the main undo stack, and the model
reloads from the project whenever `operation_did_execute` reports labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import ParallaxError
from app.models import Label, LabelKind
from app.storage.changes import Changes, Outcome
from ui.open_project import OpenProject

NAME, KIND, COLOR, HOTKEY = range(4)
HEADERS = ("Name", "Kind", "Colour", "Hotkey")
FIELDS = ("name", "kind", "color", "hotkey")
EDITABLE = frozenset({NAME, KIND, HOTKEY})
UNDO_TEXT = {
    "name": "Rename label",
    "kind": "Change label kind",
    "color": "Recolour label",
    "hotkey": "Change label hotkey",
}
AnyIndex = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


class LabelTableModel(QAbstractTableModel):
    """The project's labels, one per row; edits go through the session."""

    edit_failed = Signal(str)

    def __init__(self, session: OpenProject, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._labels: list[Label] = session.project.labels()
        session.operation_did_execute.connect(self._on_session_operation_did_execute)

    # ---- reading ---------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._labels)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        label = self._labels[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return _text(label, index.column())
        if role == Qt.ItemDataRole.DecorationRole and index.column() == COLOR:
            return QColor(label.color)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COLOR:
            return "Double-click to choose another colour"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def label_at(self, row: int) -> Label:
        return self._labels[row]

    def row_of(self, label_id: int) -> int:
        return next((row for row, item in enumerate(self._labels) if item.id == label_id), -1)

    # ---- writing ---------------------------------------------------------
    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in EDITABLE:
            return False
        label = self._labels[index.row()]
        field = FIELDS[index.column()]
        clean = _clean(field, value)
        if clean == getattr(label, field):
            return True
        return self.update(label.id, field, clean)

    def update(self, label_id: int, field: str, value: Any) -> bool:
        """Change one field of a label as one undoable edit; False (and `edit_failed`) if refused."""
        project = self._session.project
        try:
            self._session.run(UNDO_TEXT[field], lambda: project.update_label(label_id, **{field: value}))
        except ParallaxError as exc:
            self.edit_failed.emit(str(exc))
            self.reload()
            return False
        return True

    def reload(self) -> None:
        """Read the labels again; same rows update in place, others reset the model."""
        labels = self._session.project.labels()
        if [x.id for x in labels] != [x.id for x in self._labels]:
            self.beginResetModel()
            self._labels = labels
            self.endResetModel()
        elif labels != self._labels:
            self._labels = labels
            last = self.index(len(labels) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _on_session_operation_did_execute(self, changes: Changes, initiator: object) -> None:
        if changes.labels:
            self.reload()


def _text(label: Label, column: int) -> str:
    if column == NAME:
        return label.name
    if column == KIND:
        return label.kind.value
    if column == COLOR:
        return label.color.upper()
    return label.hotkey or ""


def _clean(field: str, value: Any) -> Any:
    text = str(value).strip()
    if field == "hotkey":
        return text or None
    if field == "kind":
        return LabelKind(text)
    return text


class KindDelegate(QStyledItemDelegate):
    """A combo box of label kinds; picking one commits at once."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems([kind.value for kind in LabelKind])
        combo.activated.connect(lambda _row: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class HotkeyDelegate(QStyledItemDelegate):
    """A one-character line edit; clearing it removes the hotkey."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setMaxLength(1)
        editor.setPlaceholderText("none")
        return editor


def plain_message_box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, buttons: QMessageBox.StandardButton
) -> QMessageBox:
    """A message box that shows `text` literally, never as HTML."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


class LabelEditorDialog(QDialog):
    """The label set as a table with Add, Rename, Recolour and Delete; edits are undoable."""

    def __init__(self, session: OpenProject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Labels")
        self._session = session
        self.model = LabelTableModel(session, self)
        self.table = self._make_table()
        self.add_button = QPushButton("Add")
        self.rename_button = QPushButton("Rename")
        self.recolour_button = QPushButton("Recolour…")
        self.delete_button = QPushButton("Delete…")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._build_layout()
        self._add_undo_actions()
        self._connect()
        self._on_selection_changed()
        self.resize(560, 380)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        table.setItemDelegateForColumn(KIND, KindDelegate(table))
        table.setItemDelegateForColumn(HOTKEY, HotkeyDelegate(table))
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (KIND, COLOR, HOTKEY):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _build_layout(self) -> None:
        side = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.recolour_button, self.delete_button):
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        for pressable in self.findChildren(QPushButton):
            pressable.setAutoDefault(False)  # Enter on the table presses no button

    def _add_undo_actions(self) -> None:
        """Ctrl+Z / Ctrl+Shift+Z work while this window has focus, on the main stack."""
        stack = self._session.undo_stack
        undo = stack.createUndoAction(self)
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = stack.createRedoAction(self)
        redo.setShortcuts(redo_keys())
        self.addActions([undo, redo])

    def _connect(self) -> None:
        self.add_button.clicked.connect(self.add_label)
        self.rename_button.clicked.connect(self.rename_selected)
        self.recolour_button.clicked.connect(self.recolour_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.buttons.rejected.connect(self.reject)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_selection_changed)
        self.model.edit_failed.connect(self._show_error)

    # ---- actions ---------------------------------------------------------
    def selected_label(self) -> Label | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.label_at(rows[0].row()) if rows else None

    def select_label(self, label_id: int) -> None:
        row = self.model.row_of(label_id)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(self.model.index(row, NAME), flags)

    def add_label(self) -> None:
        """Add a label with a free name and start editing its name."""
        project = self._session.project
        name = _free_name({x.name for x in project.labels()})
        created = self._attempt("Add label", lambda: project.add_label(name, LabelKind.ENTITY))
        if created is not None:
            self.select_label(created.id)
            self.table.edit(self.model.index(self.model.row_of(created.id), NAME))

    def rename_selected(self) -> None:
        """Open the selected label's name for editing in place."""
        label = self.selected_label()
        if label is not None:
            self.table.edit(self.model.index(self.model.row_of(label.id), NAME))

    def recolour_selected(self) -> None:
        label = self.selected_label()
        if label is None:
            return
        chosen = self._ask_color(QColor(label.color))
        if chosen is not None and chosen.isValid():
            self.model.update(label.id, "color", chosen.name().upper())

    def delete_selected(self) -> None:
        label = self.selected_label()
        if label is None:
            return
        spans = self._session.project.stats().spans_by_label.get(label.name, 0)
        if self._confirm_delete(label, spans):
            project = self._session.project
            self._attempt("Delete label", lambda: project.delete_label(label.id))

    def _attempt(self, text: str, operation: Callable[[], Outcome[T]]) -> T | None:
        try:
            return self._session.run(text, operation)
        except ParallaxError as exc:
            self._show_error(str(exc))
            self.model.reload()
            return None

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.column() == COLOR:
            self.recolour_selected()

    def _on_selection_changed(self) -> None:
        chosen = self.selected_label() is not None
        for button in (self.rename_button, self.recolour_button, self.delete_button):
            button.setEnabled(chosen)

    # ---- questions (monkeypatched in tests) ------------------------------
    def _ask_color(self, initial: QColor) -> QColor | None:
        chosen = QColorDialog.getColor(initial, self, "Label colour")
        return chosen if chosen.isValid() else None

    def _confirm_delete(self, label: Label, spans: int) -> bool:
        box = plain_message_box(
            self,
            QMessageBox.Icon.Warning,
            "Delete label",
            delete_question(label.name, spans),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _show_error(self, message: str) -> None:
        plain_message_box(self, QMessageBox.Icon.Warning, "Labels", message, QMessageBox.StandardButton.Ok).exec()


def redo_keys() -> list[QKeySequence]:
    """The platform's redo keys, always including Ctrl+Shift+Z, each once."""
    keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    wanted = QKeySequence("Ctrl+Shift+Z")
    return keys if wanted in keys else [wanted, *keys]


def delete_question(name: str, spans: int) -> str:
    if spans == 0:
        return f"Delete the label “{name}”? No spans use it."
    noun = "span" if spans == 1 else "spans"
    return (
        f"Delete the label “{name}” and its {spans} {noun}? Links from or to those spans"
        " are deleted too. Undo (Ctrl+Z) brings everything back."
    )


def _free_name(taken: set[str]) -> str:
    name, number = "New label", 2
    while name in taken:
        name, number = f"New label {number}", number + 1
    return name
