"""Opening an article has the interpreter to itself: background builds wait at the pause
gate from the open until its first paint, and the proposals are rebuilt only after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.assist.pause import GATE
from app.models import NewDocument
from app.storage.project import Project
from tests.ui.dialog_helpers import shown_window
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui
TEXT = "Officials in Ottawa said the Wescam sensor was reviewed again. " * 40


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    project = Project.create(tmp_path / "two.parallax")
    titles = ("First", "Second", "Third")  # the first two open at start (two panes)
    first, *_ = project.add_documents([NewDocument(text=f"{TEXT} {t}.", title=t) for t in titles]).value.added
    wescam = TEXT.index("Wescam")  # one of Ana's spans: the matcher proposes every other Wescam
    project.add_span(first, wescam, wescam + 6, "ORG", "Ana")
    main = shown_window(qtbot, project, tmp_path / "settings.json")
    assist = main.assist
    qtbot.waitUntil(lambda: assist.live is not None and not assist.building, timeout=20_000)
    yield main
    main.close()


def test_an_opening_article_holds_background_builds_until_its_first_paint_then_they_rebuild(
    qtbot, window: MainWindow
) -> None:
    project, assist = window.session.project, window.assist
    third = next(d.id for d in project.documents() if d.title == "Third")
    pane = window.workspace.area.panes[1]
    pane.view.viewport().setUpdatesEnabled(False)  # the paint has not come yet
    window.workspace.open_document(third, 1)
    for _ in range(5):
        QApplication.processEvents()
    assert GATE.paused and pane.view.opening is not None and pane.view.opening.active
    assert not assist.building and assist.live is not None and third not in assist.live.docs
    with qtbot.waitSignal(pane.view.first_painted, timeout=5_000):
        pane.view.viewport().setUpdatesEnabled(True)  # the first paint
    assert not GATE.paused and pane.view.opening is None
    qtbot.waitUntil(lambda: third in assist.live.docs and not assist.building, timeout=20_000)
    assert any(p.text == "Wescam" for p in assist.shown[1])  # and its proposals are drawn
