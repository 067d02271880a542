"""Small helpers shared by the dialog tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.models import NewDocument
from app.storage.project import Project

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# This test's own folder (pytest's tmp_path), set by the autouse fixture in tests/ui/conftest.py.
shots_folder: Path | None = None


def double_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    """A real double click: Qt 6's QTest.mouseDClick sends only the second press."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def screenshot(widget: QWidget, name: str) -> Path:
    """Save a picture of `widget` in the test's tmp_path, for a person to look at."""
    assert shots_folder is not None, "tests/ui/conftest.py sets the folder for each test"
    target = shots_folder / f"{name}.png"
    assert widget.grab().save(str(target)), f"could not save {target}"
    return target


def colours_in(picture: Path) -> set[str]:
    """Every colour that appears in a picture, as '#rrggbb'."""
    image = QImage(str(picture)).convertToFormat(QImage.Format.Format_RGB32)
    pixels = memoryview(image.constBits()).cast("I")  # 0xffRRGGBB each
    return {f"#{value & 0xFFFFFF:06x}" for value in set(pixels)}


def shown_window(
    qtbot: QtBot, project: Project, settings: Path, size: tuple[int, int] | None = (1300, 800), annotator: str = "Ana"
) -> MainWindow:
    """A main window on `project` (user settings in the file `settings`), shown at `size` (None:
    its own default) and exposed; closed by qtbot at the test's end if the test does not."""
    from ui.main_window import MainWindow  # the whole UI: loaded by the tests that show it
    from ui.open_project import OpenProject
    from ui.settings import UserSettings

    main = MainWindow(OpenProject(project, annotator), UserSettings(settings))
    qtbot.addWidget(main)
    if size is not None:
        main.resize(*size)
    main.show()
    qtbot.waitExposed(main)
    return main


def wait_for_proposals(qtbot: QtBot, window: MainWindow) -> None:
    """Until the assist has built the open articles' proposals and repaired every edit: its
    redraw would otherwise land at any moment (late under load) and repaint whole views."""
    assist = window.assist
    qtbot.waitUntil(lambda: assist.live is not None and not assist.building and not assist.live.pending, timeout=20_000)


def hue_near(image: QImage, x: int, y: int, hue: int) -> bool:
    """The pixel at (x, y) is saturated and of about this hue: a label's tint, not grey."""
    color = image.pixelColor(x, y)
    return color.saturation() > 40 and min(abs(color.hue() - hue), 360 - abs(color.hue() - hue)) < 14


def article_tagged_everywhere(path: Path, text: str, word: str | None, title: str = "Article") -> tuple[Project, int]:
    """A new project holding one article, with another annotator's (Bo's) LOCATION span on every
    `word` in it: tints all through the text. The project and the article's id."""
    project = Project.create(path)
    (doc,) = project.add_documents([NewDocument(text=text, title=title)]).value.added
    with project.batch():
        at = -1
        while word and (at := text.find(word, at + 1)) >= 0:
            project.add_span(doc, at, at + len(word), "LOCATION", "Bo")
    return project, doc
