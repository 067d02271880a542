from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.storage.project import Project
from tests.ui.dialog_helpers import double_click, screenshot
from ui.dialogs.start_screen import StartScreen, with_suffix
from ui.settings import UserSettings

pytestmark = pytest.mark.gui


@pytest.fixture
def settings(tmp_path: Path) -> UserSettings:
    return UserSettings(tmp_path / "settings.json")


def make_screen(qtbot: QtBot, settings: UserSettings) -> StartScreen:
    screen = StartScreen(settings)
    qtbot.addWidget(screen)
    screen.resize(820, 560)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def item_center(screen: StartScreen, row: int) -> QPoint:
    item = screen.recent_list.item(row)
    return screen.recent_list.visualItemRect(item).center()


def test_recent_projects_listed_with_missing_greyed(
    qtbot: QtBot, settings: UserSettings, project_path: Path, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.parallax"
    settings.add_recent(gone)
    settings.add_recent(project_path)
    screen = make_screen(qtbot, settings)
    texts = [screen.recent_list.item(i).text() for i in range(screen.recent_list.count())]
    assert texts[0].startswith("test.parallax") and "(missing)" not in texts[0]
    assert texts[1].startswith("gone.parallax  (missing)  —  ")
    grey = screen.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert screen.recent_list.item(1).foreground().color() == grey
    assert not screen.empty_note.isVisible()
    screenshot(screen, "start_screen")


def test_no_recent_projects_shows_a_note(qtbot: QtBot, settings: UserSettings) -> None:
    screen = make_screen(qtbot, settings)
    assert screen.empty_note.isVisible()
    assert not screen.recent_list.isVisible()
    screenshot(screen, "start_screen_empty")


def test_double_click_on_recent_opens_it(qtbot: QtBot, settings: UserSettings, project_path: Path) -> None:
    settings.add_recent(project_path)
    screen = make_screen(qtbot, settings)
    with qtbot.waitSignal(screen.open_requested) as opened:
        double_click(qtbot, screen.recent_list.viewport(), item_center(screen, 0))
    assert opened.args == [project_path]
    with Project.open(opened.args[0]) as project:  # the path really is the project
        assert project.labels()


def test_enter_on_recent_opens_it(qtbot: QtBot, settings: UserSettings, project_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.parallax"
    Project.create(other).close()
    settings.add_recent(project_path)
    settings.add_recent(other)
    screen = make_screen(qtbot, settings)
    screen.recent_list.setFocus()
    qtbot.keyClick(screen.recent_list, Qt.Key.Key_Down)
    with qtbot.waitSignal(screen.open_requested) as opened:
        qtbot.keyClick(screen.recent_list, Qt.Key.Key_Return)
    assert opened.args == [project_path]


def test_missing_recent_is_not_opened(qtbot: QtBot, settings: UserSettings, tmp_path: Path) -> None:
    settings.add_recent(tmp_path / "gone.parallax")
    screen = make_screen(qtbot, settings)
    with qtbot.assertNotEmitted(screen.open_requested):
        double_click(qtbot, screen.recent_list.viewport(), item_center(screen, 0))


def test_new_button_asks_for_a_path_and_adds_the_suffix(
    qtbot: QtBot, settings: UserSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = make_screen(qtbot, settings)
    monkeypatch.setattr(screen, "_ask_new_path", lambda: tmp_path / "fresh")
    with qtbot.waitSignal(screen.new_requested) as created:
        qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    assert created.args == [tmp_path / "fresh.parallax"]


def test_cancelled_dialogs_emit_nothing(qtbot: QtBot, settings: UserSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    screen = make_screen(qtbot, settings)
    monkeypatch.setattr(screen, "_ask_new_path", lambda: None)
    monkeypatch.setattr(screen, "_ask_open_path", lambda: None)
    with qtbot.assertNotEmitted(screen.new_requested), qtbot.assertNotEmitted(screen.open_requested):
        qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(screen.open_button, Qt.MouseButton.LeftButton)


def test_open_button_emits_the_chosen_path(
    qtbot: QtBot, settings: UserSettings, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = make_screen(qtbot, settings)
    monkeypatch.setattr(screen, "_ask_open_path", lambda: project_path)
    with qtbot.waitSignal(screen.open_requested) as opened:
        qtbot.mouseClick(screen.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [project_path]


def test_sample_button(qtbot: QtBot, settings: UserSettings) -> None:
    screen = make_screen(qtbot, settings)
    with qtbot.waitSignal(screen.sample_requested):
        qtbot.mouseClick(screen.sample_button, Qt.MouseButton.LeftButton)


def test_file_names_are_shown_as_plain_text(qtbot: QtBot, settings: UserSettings, tmp_path: Path) -> None:
    odd = tmp_path / "<b>bold<i>.parallax"
    Project.create(odd).close()
    settings.add_recent(odd)
    screen = make_screen(qtbot, settings)
    assert screen.recent_list.item(0).text().startswith("<b>bold<i>.parallax")
    for label in screen.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_with_suffix() -> None:
    assert with_suffix(Path("a/b")) == Path("a/b.parallax")
    assert with_suffix(Path("a/b.parallax")) == Path("a/b.parallax")
    assert with_suffix(Path("a/b.v2")) == Path("a/b.v2.parallax")
