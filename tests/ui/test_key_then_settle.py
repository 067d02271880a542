"""A hotkey's handler makes the span durable and undoable, and returns; showing it picked and the
status message follow on the next event-loop turn, or before any input that comes first (keys
typed faster than the loop runs, Ctrl+Z right after the key, a click)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from app.models import NewDocument
from app.storage.changes import Changes
from app.storage.project import Project
from tests.ui.dialog_helpers import shown_window
from ui.main_window import MainWindow
from ui.workspace.after_edit import AfterEdit
from ui.workspace.article_view import ArticleView

pytestmark = pytest.mark.gui

TEXT = "Marc Garneau met Mevlüt Çavuşoğlu in Ankara on Monday.\nAll 29 permits were cancelled."
PERSON, ORG = "1", "2"  # the default labels' hotkeys


def stored(path: Path) -> list[tuple[object, ...]]:
    """The spans in the file, read through a separate connection, as another program would."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        sql = "SELECT s.quote, l.name FROM span s JOIN label l ON l.id = s.label_id ORDER BY s.id"
        return conn.execute(sql).fetchall()


@pytest.fixture
def path(project_path: Path) -> Path:
    with closing(Project.open(project_path)) as project:
        project.add_documents([NewDocument(text=TEXT, title="One")])
    return project_path


@pytest.fixture
def window(qtbot, path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    main = shown_window(qtbot, Project.open(path), tmp_path / "settings.json")
    main.workspace.open_document(1, 0)
    main.flush()
    yield main
    main.close()


def selected(window: MainWindow, word: str) -> ArticleView:
    view = window.workspace.area.panes[0].view
    start = view.text.index(word)
    view.select_text(start, start + len(word))
    view.setFocus()
    return view


def said(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def test_the_key_returns_with_the_span_durable_and_undoable_then_shows_it_picked(
    qtbot, window: MainWindow, path: Path
) -> None:
    view = selected(window, "Garneau")
    qtbot.keyClick(view, PERSON)
    assert stored(path) == [("Garneau", "PERSON")]  # on disk when the handler returned
    assert window.session.undo_stack.count() == 1
    assert view.textCursor().hasSelection() and not said(window).startswith("Tagged")  # not yet: next turn
    QApplication.processEvents()
    assert said(window) == "Tagged PERSON “Garneau” — Ctrl+Z undoes"
    picked = window.workspace.selected_span()
    assert picked is not None and picked.quote == "Garneau"
    assert view.selected is not None and view.selected.id == picked.id
    assert not view.textCursor().hasSelection()  # the drag gave way to the span's own mark


def test_two_keys_queued_before_the_event_loop_runs_tag_then_relabel(qtbot, window: MainWindow, path: Path) -> None:
    view = selected(window, "Ankara")
    for key, text in ((Qt.Key.Key_1, PERSON), (Qt.Key.Key_2, ORG)):  # both wait in the queue
        QCoreApplication.postEvent(view, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text))
    QApplication.processEvents()
    window.flush()
    assert stored(path) == [("Ankara", "ORG")]  # one span, relabelled by the second key: no twin
    assert said(window) == "Relabelled “Ankara” PERSON → ORG — Ctrl+Z undoes"
    assert window.session.undo_stack.count() == 2


def test_two_key_clicks_in_a_row_tag_then_relabel(qtbot, window: MainWindow, path: Path) -> None:
    view = selected(window, "Monday")
    qtbot.keyClick(view, PERSON)
    qtbot.keyClick(view, ORG)  # no event-loop turn between them
    window.flush()
    assert stored(path) == [("Monday", "ORG")]
    picked = window.workspace.selected_span()
    assert picked is not None and picked.quote == "Monday" and picked.label_id == window.session.project.label("ORG").id


def test_ctrl_z_right_after_the_key_undoes_the_tag_and_leaves_nothing_picked(
    qtbot, window: MainWindow, path: Path
) -> None:
    view = selected(window, "Çavuşoğlu")
    qtbot.keyClick(view, PERSON)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # before the loop ran
    window.flush()
    assert stored(path) == []
    assert said(window) == "Undone: Tag “Çavuşoğlu” as PERSON"  # not the tag's message, shown after it
    assert window.workspace.selected_span() is None and view.selected is None
    window.session.undo_stack.redo()
    window.flush()
    assert stored(path) == [("Çavuşoğlu", "PERSON")]


def test_a_click_right_after_the_key_picks_the_clicked_span_after_the_new_one(
    qtbot, window: MainWindow, path: Path
) -> None:
    view = selected(window, "Garneau")
    qtbot.keyClick(view, PERSON)
    window.flush()
    view = selected(window, "permits")
    qtbot.keyClick(view, ORG)
    start = view.text.index("Garneau") + 2  # then, before the loop ran, a click on the first span
    view.select_text(start, start)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(view.textCursor()).center())
    window.flush()
    picked, anchor = window.workspace.selected_span(), window.workspace.anchor
    assert picked is not None and picked.quote == "Garneau"
    assert anchor is not None and anchor[1].quote == "permits"  # the new span is the link's source
    assert said(window).startswith("Link “permits” → “Garneau”")


def test_queued_steps_run_after_the_refresh_or_before_input_to_any_widget(qtbot) -> None:
    log: list[str] = []
    box = QLineEdit()
    qtbot.addWidget(box)
    after = AfterEdit(lambda changes: log.append("refresh"), box)
    after.add(Changes(spans=True, span_ids=frozenset({1})))
    after.later(lambda: log.append("step 1"))
    after.later(lambda: log.append("step 2"))
    assert log == []  # not inside the handler that queued them
    QApplication.processEvents()
    assert log == ["refresh", "step 1", "step 2"]
    after.later(lambda: log.append("step 3"))
    qtbot.keyClick(box, "x")  # a key to another widget, before the loop ran: the step first
    assert log[-1] == "step 3" and box.text() == "x"
    QApplication.processEvents()
    assert log.count("step 3") == 1 and log.count("refresh") == 1


def test_tagging_leaves_the_caret_where_the_drag_ended(qtbot, window: MainWindow) -> None:
    """Moved to the snapped span's end, the caret could land on a line cut by the screen's
    edge, and Qt scrolled the view by a line to show it: the whole view repainted on a key."""
    view = window.workspace.area.panes[0].view
    start = view.text.index("Garneau")
    view.select_text(start, start + 4)  # "Garn": the span snaps to the word
    view.setFocus()
    qtbot.keyClick(view, PERSON)
    QApplication.processEvents()
    assert view.selected is not None and view.selected.quote == "Garneau"
    cursor = view.textCursor()
    assert not cursor.hasSelection() and cursor.position() == start + 4
