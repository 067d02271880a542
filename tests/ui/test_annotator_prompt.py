from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.ui.dialog_helpers import screenshot
from ui.dialogs.annotator_prompt import QUESTION, AnnotatorDialog, ask_annotator_name
from ui.settings import UserSettings

pytestmark = pytest.mark.gui


@pytest.fixture
def settings(tmp_path: Path) -> UserSettings:
    return UserSettings(tmp_path / "settings.json")


def make_dialog(qtbot: QtBot) -> AnnotatorDialog:
    dialog = AnnotatorDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_ok_is_disabled_while_the_name_is_blank(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "   ")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "Ada")
    assert dialog.ok_button.isEnabled()
    screenshot(dialog, "annotator_prompt")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.name() == "Ada"


def test_enter_accepts_only_a_name(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    with qtbot.assertNotEmitted(dialog.accepted):
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.name_edit, "Grace Hopper ")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.name() == "Grace Hopper"


def test_question_is_plain_text(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    label = dialog.findChild(QLabel)
    assert label.text() == QUESTION and label.textFormat() == Qt.TextFormat.PlainText


def test_saved_name_is_returned_without_asking(
    qtbot: QtBot, settings: UserSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.annotator = "Ada"

    def never(self: AnnotatorDialog) -> int:
        raise AssertionError("asked although a name was saved")

    monkeypatch.setattr(AnnotatorDialog, "exec", never)
    assert ask_annotator_name(None, settings) == "Ada"


def test_asks_types_and_saves_the_name(qtbot: QtBot, settings: UserSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    def type_and_ok(self: AnnotatorDialog) -> int:
        qtbot.addWidget(self)
        self.show()
        qtbot.keyClicks(self.name_edit, "  Ada Lovelace  ")
        qtbot.mouseClick(self.ok_button, Qt.MouseButton.LeftButton)
        return self.result()

    monkeypatch.setattr(AnnotatorDialog, "exec", type_and_ok)
    assert ask_annotator_name(None, settings) == "Ada Lovelace"
    assert UserSettings(settings.path).annotator == "Ada Lovelace"  # written to the file


def test_cancel_returns_none_and_saves_nothing(
    qtbot: QtBot, settings: UserSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def type_and_cancel(self: AnnotatorDialog) -> int:
        qtbot.addWidget(self)
        self.show()
        qtbot.keyClicks(self.name_edit, "Ada")
        qtbot.keyClick(self.name_edit, Qt.Key.Key_Escape)
        return self.result()

    monkeypatch.setattr(AnnotatorDialog, "exec", type_and_cancel)
    assert ask_annotator_name(None, settings) is None
    assert UserSettings(settings.path).annotator == ""
