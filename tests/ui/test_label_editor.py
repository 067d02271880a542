from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.models import Label, NewDocument
from app.storage.changes import Changes
from app.storage.project import Project
from tests.ui.dialog_helpers import double_click, screenshot
from ui.dialogs.label_editor import (
    COLOR,
    HOTKEY,
    KIND,
    NAME,
    LabelEditorDialog,
    delete_question,
    plain_message_box,
)
from ui.open_project import OpenProject

pytestmark = pytest.mark.gui

Row = tuple[str, str, str, str | None]


@pytest.fixture
def session(qtbot: QtBot, project: Project) -> Iterator[OpenProject]:
    opened = OpenProject(project, "tester")
    yield opened
    opened.undo_stack.clear()


@pytest.fixture
def dialog(qtbot: QtBot, session: OpenProject) -> LabelEditorDialog:
    editor = LabelEditorDialog(session)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    return editor


@pytest.fixture
def errors(dialog: LabelEditorDialog, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(dialog, "_show_error", shown.append)
    dialog.model.edit_failed.disconnect()
    dialog.model.edit_failed.connect(dialog._show_error)
    return shown


def file_labels(path: Path) -> dict[str, Row]:
    """The label rows as stored in the project file, read by a separate connection."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        found = conn.execute("SELECT name, kind, color, hotkey FROM label ORDER BY position, id")
        return {row[0]: row for row in found}


def row_of(dialog: LabelEditorDialog, name: str) -> int:
    return next(row for row in range(dialog.model.rowCount()) if dialog.model.label_at(row).name == name)


def open_editor(qtbot: QtBot, dialog: LabelEditorDialog, row: int, column: int) -> QWidget:
    index = dialog.model.index(row, column)
    double_click(qtbot, dialog.table.viewport(), dialog.table.visualRect(index).center())
    editor = dialog.table.indexWidget(index)
    assert editor is not None
    return editor


def type_into_cell(qtbot: QtBot, dialog: LabelEditorDialog, row: int, column: int, text: str) -> None:
    editor = open_editor(qtbot, dialog, row, column)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(editor, text)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    press_return(qtbot, dialog, editor, row, column)


def press_return(qtbot: QtBot, dialog: LabelEditorDialog, editor: QWidget, row: int, column: int) -> None:
    """Enter commits through a queued call; wait until the delegate closes the editor."""
    delegate = dialog.table.itemDelegateForIndex(dialog.model.index(row, column))
    with qtbot.waitSignal(delegate.closeEditor):
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def person_with_spans(project: Project, count: int) -> Label:
    added = project.add_documents([NewDocument(title="One", text="Ada met Bob and Cy in Oslo.")])
    doc = added.value.added[0]
    for start, end in [(0, 3), (8, 11), (16, 18)][:count]:
        project.add_span(doc, start, end, "PERSON", "tester")
    return project.label("PERSON")


def test_table_shows_the_project_labels(dialog: LabelEditorDialog, project: Project) -> None:
    model = dialog.model
    assert model.rowCount() == len(project.labels()) == 7
    first = model.index(0, NAME)
    assert [model.index(0, c).data() for c in (NAME, KIND, COLOR, HOTKEY)] == ["PERSON", "entity", "#0072B2", "1"]
    assert model.index(0, COLOR).data(Qt.ItemDataRole.DecorationRole) == QColor("#0072B2")
    assert first.flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.index(0, COLOR).flags() & Qt.ItemFlag.ItemIsEditable
    screenshot(dialog, "label_editor")


def test_model_passes_qt_model_tester(qtmodeltester, dialog: LabelEditorDialog) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(dialog.model)


def test_rename_in_place_is_undoable(
    qtbot: QtBot, dialog: LabelEditorDialog, session: OpenProject, project_path: Path
) -> None:
    with qtbot.waitSignal(session.operation_did_execute):
        type_into_cell(qtbot, dialog, row_of(dialog, "ORG"), NAME, "COMPANY")
    assert "COMPANY" in file_labels(project_path) and "ORG" not in file_labels(project_path)
    assert dialog.model.index(1, NAME).data() == "COMPANY"
    assert session.undo_stack.undoText() == "Rename label"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # outside an editor Enter presses no button
    assert dialog.isVisible() and dialog.model.rowCount() == 7
    session.undo_stack.undo()
    assert "ORG" in file_labels(project_path)
    assert dialog.model.index(1, NAME).data() == "ORG"


def test_rename_button_opens_the_name_for_editing(qtbot: QtBot, dialog: LabelEditorDialog, project_path: Path) -> None:
    assert not dialog.rename_button.isEnabled()
    row = row_of(dialog, "DATE")
    qtbot.mouseClick(
        dialog.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.table.visualRect(dialog.model.index(row, HOTKEY)).center(),
    )
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    editor = dialog.table.indexWidget(dialog.model.index(row, NAME))
    assert isinstance(editor, QLineEdit) and editor.text() == "DATE"
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "WHEN")
    press_return(qtbot, dialog, editor, row, NAME)
    assert "WHEN" in file_labels(project_path)


def test_ctrl_z_in_the_dialog_undoes_on_the_main_stack(
    qtbot: QtBot, dialog: LabelEditorDialog, session: OpenProject, project_path: Path
) -> None:
    type_into_cell(qtbot, dialog, 0, NAME, "HUMAN")
    assert "HUMAN" in file_labels(project_path)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "PERSON" in file_labels(project_path)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "HUMAN" in file_labels(project_path)


def test_duplicate_name_is_refused_with_a_message(
    qtbot: QtBot, dialog: LabelEditorDialog, errors: list[str], project_path: Path
) -> None:
    before = file_labels(project_path)
    type_into_cell(qtbot, dialog, row_of(dialog, "ORG"), NAME, "PERSON")
    assert errors == ["a label named 'PERSON' already exists"]
    assert file_labels(project_path) == before
    assert dialog.model.index(row_of(dialog, "ORG"), NAME).data() == "ORG"


def test_hotkey_edit_and_duplicate_hotkey(
    qtbot: QtBot, dialog: LabelEditorDialog, errors: list[str], session: OpenProject, project_path: Path
) -> None:
    claim = row_of(dialog, "CLAIM")
    type_into_cell(qtbot, dialog, claim, HOTKEY, "c")
    assert file_labels(project_path)["CLAIM"][3] == "c"
    type_into_cell(qtbot, dialog, claim, HOTKEY, "1")
    assert errors == ["hotkey '1' is already used by another label"]
    assert file_labels(project_path)["CLAIM"][3] == "c"
    assert dialog.model.index(claim, HOTKEY).data() == "c"
    type_into_cell(qtbot, dialog, claim, HOTKEY, "")
    assert file_labels(project_path)["CLAIM"][3] is None
    assert session.undo_stack.undoText() == "Change label hotkey"


def test_hotkey_editor_takes_one_character(qtbot: QtBot, dialog: LabelEditorDialog) -> None:
    editor = open_editor(qtbot, dialog, 0, HOTKEY)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "xyz")
    assert editor.text() == "x"


def test_kind_change_with_the_combo(
    qtbot: QtBot, dialog: LabelEditorDialog, session: OpenProject, project_path: Path
) -> None:
    editor = open_editor(qtbot, dialog, row_of(dialog, "DATE"), KIND)
    assert isinstance(editor, QComboBox) and editor.currentText() == "entity"
    with qtbot.waitSignal(session.operation_did_execute) as done:
        qtbot.keyClick(editor, Qt.Key.Key_Down)
    assert done.args[0].spans  # kind changes restyle spans
    assert file_labels(project_path)["DATE"][1] == "claim"
    assert session.undo_stack.undoText() == "Change label kind"


def test_recolour_with_the_button(
    qtbot: QtBot, dialog: LabelEditorDialog, session: OpenProject, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def pick(initial: QColor) -> QColor:
        asked.append(initial.name())
        return QColor("#123abc")

    monkeypatch.setattr(dialog, "_ask_color", pick)
    assert not dialog.recolour_button.isEnabled()
    qtbot.mouseClick(
        dialog.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.table.visualRect(dialog.model.index(2, NAME)).center(),
    )
    qtbot.mouseClick(dialog.recolour_button, Qt.MouseButton.LeftButton)
    assert asked == ["#009e73"]
    assert file_labels(project_path)["LOCATION"][2] == "#123ABC"
    assert session.undo_stack.undoText() == "Recolour label"


def test_double_click_on_swatch_recolours(
    qtbot: QtBot, dialog: LabelEditorDialog, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialog, "_ask_color", lambda initial: QColor("#ff0000"))
    swatch = dialog.table.visualRect(dialog.model.index(0, COLOR)).center()
    double_click(qtbot, dialog.table.viewport(), swatch)
    assert file_labels(project_path)["PERSON"][2] == "#FF0000"


def test_cancelled_colour_dialog_changes_nothing(
    qtbot: QtBot, dialog: LabelEditorDialog, session: OpenProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialog, "_ask_color", lambda initial: None)
    dialog.select_label(dialog.model.label_at(0).id)
    qtbot.mouseClick(dialog.recolour_button, Qt.MouseButton.LeftButton)
    assert session.undo_stack.count() == 0


def test_add_label_then_name_it(
    qtbot: QtBot, dialog: LabelEditorDialog, session: OpenProject, project_path: Path
) -> None:
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "New label" in file_labels(project_path)
    row = row_of(dialog, "New label")
    editor = dialog.table.indexWidget(dialog.model.index(row, NAME))
    assert isinstance(editor, QLineEdit)  # the name is open for typing at once
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "VEHICLE")
    press_return(qtbot, dialog, editor, row, NAME)
    assert file_labels(project_path)["VEHICLE"][1] == "entity"
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.table.indexWidget(dialog.table.currentIndex()), Qt.Key.Key_Escape)
    assert "New label" in file_labels(project_path)
    session.undo_stack.undo()
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert set(file_labels(project_path)) == {"PERSON", "ORG", "LOCATION", "DATE", "QUANTITY", "EQUIPMENT", "CLAIM"}
    assert dialog.model.rowCount() == 7


def test_delete_asks_with_the_span_count(
    qtbot: QtBot,
    dialog: LabelEditorDialog,
    session: OpenProject,
    project: Project,
    project_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = person_with_spans(project, 3)
    asked: list[tuple[str, int]] = []
    answer = [False]

    def confirm(label: Label, spans: int) -> bool:
        asked.append((label.name, spans))
        return answer[0]

    monkeypatch.setattr(dialog, "_confirm_delete", confirm)
    dialog.select_label(person.id)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert asked == [("PERSON", 3)] and "PERSON" in file_labels(project_path)
    answer[0] = True
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert "PERSON" not in file_labels(project_path)
    assert project.spans() == [] and dialog.model.rowCount() == 6
    assert not dialog.delete_button.isEnabled()  # the selection went with the row
    session.undo_stack.undo()
    assert len(project.spans()) == 3 and dialog.model.label_at(0).name == "PERSON"


def test_refreshes_on_changes_made_elsewhere(
    qtbot: QtBot, dialog: LabelEditorDialog, session: OpenProject, project: Project
) -> None:
    with qtbot.waitSignal(dialog.model.dataChanged):
        session.run("Rename label", lambda: project.update_label(project.label("ORG").id, name="AGENCY"))
    assert dialog.model.index(1, NAME).data() == "AGENCY"
    with qtbot.waitSignal(dialog.model.modelReset):
        session.run("Add label", lambda: project.add_label("SHIP", "entity"))
    assert dialog.model.rowCount() == 8
    with qtbot.assertNotEmitted(dialog.model.modelReset), qtbot.assertNotEmitted(dialog.model.dataChanged):
        session.notify(Changes(documents=True))


def test_names_are_shown_as_typed(qtbot: QtBot, dialog: LabelEditorDialog, project_path: Path) -> None:
    type_into_cell(qtbot, dialog, 0, NAME, "<b>who</b>")
    assert file_labels(project_path)["<b>who</b>"][0] == "<b>who</b>"
    assert dialog.model.index(0, NAME).data() == "<b>who</b>"


def test_message_boxes_are_plain_text(qtbot: QtBot) -> None:
    box = plain_message_box(None, QMessageBox.Icon.Warning, "Labels", "<i>x</i>", QMessageBox.StandardButton.Ok)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText and box.text() == "<i>x</i>"


def test_delete_question_wording() -> None:
    assert delete_question("ORG", 0) == "Delete the label “ORG”? No spans use it."
    assert "its 1 span?" in delete_question("ORG", 1)
    assert "its 4 spans?" in delete_question("ORG", 4)
