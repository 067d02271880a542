from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from tests.ui.dialog_helpers import screenshot
from ui.dialogs.shortcuts_sheet import DEFAULT_SHORTCUTS, ShortcutsDialog

pytestmark = pytest.mark.gui


def make_sheet(qtbot: QtBot, shortcuts: tuple[tuple[str, str], ...] = DEFAULT_SHORTCUTS) -> ShortcutsDialog:
    sheet = ShortcutsDialog(shortcuts)
    qtbot.addWidget(sheet)
    sheet.show()
    qtbot.waitExposed(sheet)
    return sheet


def test_default_sheet_lists_every_shortcut(qtbot: QtBot) -> None:
    sheet = make_sheet(qtbot)
    assert sheet.visible_shortcuts() == list(DEFAULT_SHORTCUTS)
    keys = [keys for keys, _ in DEFAULT_SHORTCUTS]
    table = sheet.table
    assert [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())] == list(
        DEFAULT_SHORTCUTS
    )
    for wanted in (
        "Ctrl+N",
        "Ctrl+O",
        "Ctrl+I",
        "Ctrl+F",
        "Ctrl+1 … Ctrl+4",
        "1 … 9",
        "Tab",
        "Shift+Tab",
        "Delete",
        "Ctrl+E",
        "C",
        "S",
        "A",
        "U",
        "Ctrl+L",
        "Ctrl+Z",
        "Ctrl+Shift+Z",
        "F1",
        "Ctrl+Q",
    ):
        assert wanted in keys
    actions = " ".join(action for _, action in DEFAULT_SHORTCUTS)
    for kind in ("contradicts", "supports", "same as", "updates"):
        assert kind in actions
    screenshot(sheet, "shortcuts_sheet")


def test_typing_in_the_filter_hides_other_rows(qtbot: QtBot) -> None:
    sheet = make_sheet(qtbot)
    qtbot.keyClicks(sheet.filter_edit, "LINK THEM")
    shown = sheet.visible_shortcuts()
    assert [keys for keys, _ in shown] == ["C", "S", "A", "U"]
    sheet.filter_edit.selectAll()
    qtbot.keyClicks(sheet.filter_edit, "ctrl+z")
    assert sheet.visible_shortcuts() == [("Ctrl+Z", "Undo")]
    qtbot.keyClick(sheet.filter_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(sheet.filter_edit, Qt.Key.Key_Backspace)
    assert len(sheet.visible_shortcuts()) == len(DEFAULT_SHORTCUTS)


def test_takes_its_own_list_as_plain_text(qtbot: QtBot) -> None:
    sheet = make_sheet(qtbot, (("<b>X</b>", "<i>shown as typed</i>"),))
    assert sheet.visible_shortcuts() == [("<b>X</b>", "<i>shown as typed</i>")]
    assert sheet.table.item(0, 0).text() == "<b>X</b>"


def test_cells_are_read_only(qtbot: QtBot) -> None:
    sheet = make_sheet(qtbot)
    sheet.table.setCurrentCell(0, 1)
    qtbot.keyClick(sheet.table, Qt.Key.Key_F2)
    assert sheet.table.state() != sheet.table.State.EditingState


def test_close_button_and_escape_close_it(qtbot: QtBot) -> None:
    sheet = make_sheet(qtbot)
    close = sheet.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    with qtbot.waitSignal(sheet.rejected):
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not sheet.isVisible()
    sheet.show()
    with qtbot.waitSignal(sheet.rejected):
        qtbot.keyClick(sheet.table, Qt.Key.Key_Escape)
