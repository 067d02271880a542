"""Snags a new annotator hits (issue 12), through the real window on the shipped sample project."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu

from app.sample import build_sample
from app.storage.project import Project
from tests.ui.dialog_helpers import shown_window
from ui.main_window import MainWindow
from ui.workspace.article_pane import ArticlePane
from ui.workspace.selection_look import CANDIDATES, distance
from ui.workspace.span_menu import build_span_menu

pytestmark = pytest.mark.gui


def rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.parallax"
    build_sample(path)
    return path


@pytest.fixture
def window(qtbot, sample: Path, tmp_path: Path) -> Iterator[MainWindow]:
    main = shown_window(qtbot, Project.open(sample), tmp_path / "settings.json")
    main.flush()
    yield main
    main.close()


def pane(window: MainWindow, index: int) -> ArticlePane:
    return window.workspace.area.panes[index]


def doc_id(window: MainWindow, title: str) -> int:
    return next(d.id for d in window.session.project.documents() if d.title.startswith(title))


def point_in(pane: ArticlePane, phrase: str) -> QPoint:
    view = pane.view
    found = view.document().find(phrase)
    assert not found.isNull(), phrase
    cursor = QTextCursor(view.document())
    cursor.setPosition(found.selectionStart() + 1)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    return view.cursorRect(cursor).center() + QPoint(2, 0)


def click(qtbot, pane: ArticlePane, phrase: str) -> None:
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(pane, phrase))


def label_of(path: Path, quote: str, span_id: int | None = None) -> str:
    """The label of the one span with this quote (or of this span)."""
    sql = "SELECT l.name FROM span s JOIN label l ON l.id = s.label_id WHERE s.quote = ?"
    ((name,),) = rows(path, sql + (f" AND s.id = {int(span_id)}" if span_id else ""), (quote,))
    return str(name)


def test_sample_opens_with_tinted_spans_and_links(window: MainWindow, tmp_path: Path) -> None:
    assert pane(window, 0).view.spans and pane(window, 1).view.spans
    assert window.links.links_model.rowCount() == 7
    assert window.documents.table.model().rowCount() == 5
    shot = tmp_path / "sample.png"
    assert window.grab().save(str(shot))


def test_relabel_by_key_is_undoable_and_the_status_bar_follows(qtbot, window: MainWindow, sample: Path) -> None:
    window.workspace.open_document(doc_id(window, "Canada Cancels Drone"), 1)
    left = pane(window, 1)  # GreekReporter: "Marc Garneau" is a PERSON
    click(qtbot, left, "Marc Garneau")
    assert left.view.selected is not None and left.view.selected.quote == "Marc Garneau"
    garneau = left.view.selected.id
    qtbot.keyClick(left.view, "2")  # ORG
    window.flush()
    assert label_of(sample, "Marc Garneau", garneau) == "ORG"
    assert "PERSON → ORG" in window.statusBar().currentMessage()
    window.session.undo_stack.undo()
    window.flush()
    assert label_of(sample, "Marc Garneau", garneau) == "PERSON"
    assert window.statusBar().currentMessage().startswith("Undone: Relabel")
    window.session.undo_stack.redo()
    assert label_of(sample, "Marc Garneau", garneau) == "ORG"
    assert window.statusBar().currentMessage().startswith("Redone: Relabel")
    window.palette_.buttons[window.session.project.label("LOCATION").id].click()  # the palette relabels too
    window.flush()
    assert label_of(sample, "Marc Garneau", garneau) == "LOCATION"


def test_relabel_from_the_span_menu_is_undoable(qtbot, window: MainWindow, sample: Path) -> None:
    window.workspace.open_document(doc_id(window, "Canada Cancels Drone"), 1)
    right = pane(window, 1)
    point_in(right, "On Tuesday, Canada")
    offset = right.view.text.index("On Tuesday") + 3
    menu = build_span_menu(window.workspace, right, offset)
    titles = [a.text() for a in menu.actions()]
    assert titles[0] == "&Relabel as" and "Edit &note…\tCtrl+E" in titles and "&Delete span\tDel" in titles
    relabel = menu.actions()[0].menu()
    assert isinstance(relabel, QMenu)
    checked = [a.text().split("\t")[0] for a in relabel.actions() if a.isChecked()]
    assert checked == ["DATE"]  # "On Tuesday" is the innermost span there
    next(a for a in relabel.actions() if a.text().startswith("QUANTITY")).trigger()
    window.flush()
    assert label_of(sample, "On Tuesday") == "QUANTITY"
    window.session.undo_stack.undo()
    assert label_of(sample, "On Tuesday") == "DATE"


def test_selection_colour_is_distinct_from_every_label_colour(qtbot, window: MainWindow) -> None:
    view = pane(window, 0).view
    labels = window.session.project.labels()
    white = QColor("white")
    for label in labels:  # the raw colour and the pale tint it is drawn as
        raw = QColor(label.color)
        tint = QColor.fromRgbF(
            *(0.73 * w + 0.27 * c for w, c in zip(white.getRgbF()[:3], raw.getRgbF()[:3], strict=True))
        )
        assert distance(view.selection_color, raw) > 150, label.name
        assert distance(view.selection_color, tint) > 300, label.name
    assert view.palette().highlight().color() == view.selection_color  # a dragged selection looks the same
    # A label in the selection's own colour: the selection moves to another dark colour.
    before = view.selection_color.name()
    assert before in [c.lower() for c in CANDIDATES]
    window.session.run("Add label", lambda: window.session.project.add_label("INK", "entity", before))
    window.flush()
    assert view.selection_color.name() != before
    assert min(distance(view.selection_color, QColor(x.color)) for x in window.session.project.labels()) > 100


def test_after_tagging_the_span_shows_the_snapped_range(qtbot, window: MainWindow, sample: Path) -> None:
    window.workspace.open_document(doc_id(window, "Canada suspends"), 0)
    view = pane(window, 0).view
    start = view.text.index("Armenia") + 2
    view.select_text(start, start + 3)
    view.setFocus()
    qtbot.keyClick(view, "3")
    window.flush()
    assert not view.textCursor().hasSelection()  # the drag no longer hides the saved range
    assert view.selected is not None and view.selected.quote == "Armenia"
    qtbot.keyClick(view, "1")  # another key now relabels the new span, no twin is added
    assert rows(sample, "SELECT count(*) FROM span WHERE quote = 'Armenia'") == [(1,)]
    assert label_of(sample, "Armenia") == "PERSON"


def test_two_spans_in_one_pane_can_be_linked(qtbot, window: MainWindow, sample: Path) -> None:
    window.workspace.open_document(doc_id(window, "Canada Blocks"), 0)
    left = pane(window, 0)
    click(qtbot, left, "Mevlut Cavusoglu")
    click(qtbot, left, "29 permits")
    qtbot.keyClick(left.view, "s")
    window.flush()
    assert rows(
        sample,
        "SELECT a.quote, b.quote FROM link l JOIN span a ON a.id = l.source_span_id"
        " JOIN span b ON b.id = l.target_span_id WHERE l.kind = 'supports' AND a.quote = 'Mevlut Cavusoglu'",
    ) == [("Mevlut Cavusoglu", "29 permits")]


def test_double_click_fills_an_empty_pane_until_a_pane_is_marked(qtbot, window: MainWindow, tmp_path: Path) -> None:
    workspace = window.workspace
    workspace.set_pane_count(3)
    assert not any(p.active for p in workspace.area.panes)  # nothing marked yet
    blocks = doc_id(window, "Canada Blocks")
    window.documents.document_activated.emit(blocks)
    assert pane(window, 2).document_id == blocks  # the empty pane, not the one worked in
    assert not any(p.active for p in workspace.area.panes)
    qtbot.mouseClick(pane(window, 0).view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert pane(window, 0).active and not pane(window, 1).active
    assert "solid #6A3D9A" in pane(window, 0).styleSheet()
    halts = doc_id(window, "Canada halts some")
    window.documents.document_activated.emit(halts)
    assert pane(window, 0).document_id == halts  # now the marked pane
    assert window.grab().save(str(tmp_path / "active.png"))


def test_find_in_the_article_marks_every_match(qtbot, window: MainWindow, tmp_path: Path) -> None:
    right = pane(window, 1)
    right.view.setFocus()
    qtbot.keyClick(right.view, "f", Qt.KeyboardModifier.ControlModifier)
    bar = right.find_bar
    assert bar.isVisible() and bar.edit.hasFocus()
    qtbot.keyClicks(bar.edit, "turkey")
    total = right.view.text.lower().count("turkey")
    assert total > 3 and len(right.view.marks["find"]) == total
    assert bar.count.text() == f"1 of {total}"
    first = right.view.selection_offsets()
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.count.text() == f"2 of {total}" and right.view.selection_offsets() != first
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == f"1 of {total}" and right.view.selection_offsets() == first
    assert window.grab().save(str(tmp_path / "find.png"))
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible() and right.view.marks["find"] == []


def test_corpus_search_marks_every_hit(qtbot, window: MainWindow) -> None:
    window.documents.filter.setText("garneau")
    blocks = doc_id(window, "Canada Blocks")
    window.workspace.open_document(blocks, 0)
    window._on_document_activated(blocks)
    marks = pane(window, 0).view.marks["search"]
    text = pane(window, 0).view.text
    assert len(marks) == text.count("Garneau") >= 2
    assert all(text[m.start : m.end] == "Garneau" for m in marks)


def test_panes_keep_priority_at_1024_by_700(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.resize(1024, 700)
    QApplication.processEvents()
    left, bottom = window.docks
    assert left.width() <= 1024 // 4 + 10
    assert bottom.height() <= 700 // 4 + 10
    for index in (0, 1):
        assert pane(window, index).width() >= 280
    assert window.grab().save(str(tmp_path / "small.png"))


def test_export_of_the_sample_suggests_a_visible_folder(tmp_path: Path) -> None:
    from ui.app import ensure_demo_project
    from ui.dialogs.export_dialog import default_export_path
    from ui.settings import data_folder

    sample = ensure_demo_project()
    assert sample.is_relative_to(data_folder())
    suggested = default_export_path(sample)
    assert not suggested.is_relative_to(data_folder()) and suggested.parent.is_relative_to(Path.home())
    assert default_export_path(tmp_path / "mine.parallax") == tmp_path / "mine-export.jsonl"
    with Project.open(sample) as project:  # the demo is the sample with its examples
        assert project.spans() and project.links()


def test_every_menu_shortcut_is_on_the_f1_sheet(window: MainWindow) -> None:
    from PySide6.QtGui import QAction, QKeySequence

    from ui.dialogs.shortcuts_sheet import DEFAULT_SHORTCUTS

    listed = " ".join(keys for keys, _ in DEFAULT_SHORTCUTS)
    shortcuts = {
        action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
        for action in window.findChildren(QAction)
        if not action.shortcut().isEmpty()
    }
    assert "Ctrl+K" in shortcuts and "Ctrl+F" in shortcuts
    missing = {s for s in shortcuts if s not in listed}
    assert missing <= {"Ctrl+2", "Ctrl+3", "Ctrl+Y"}, missing  # inside "Ctrl+1 … Ctrl+4"; Ctrl+Y = redo too


def test_a_failing_menu_action_is_reported_in_the_window(window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    missing = tmp_path / "gone.parallax"
    window._guarded("&Open project…", lambda: Project.open(missing))
    (box,) = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert box.text().startswith("Open project:") and str(missing) in box.text()


def test_with_no_pane_empty_or_marked_the_replaced_pane_is_marked(window: MainWindow) -> None:
    workspace = window.workspace
    assert all(p.document_id is not None for p in workspace.area.visible_panes())
    assert not any(p.active for p in workspace.area.panes)
    shown_before = {p.document_id for p in workspace.area.visible_panes()}
    other = next(d.id for d in window.session.project.documents() if d.id not in shown_before)
    window.documents.document_activated.emit(other)
    (shown,) = [p for p in workspace.area.visible_panes() if p.document_id == other]
    assert shown.active and shown is workspace.active


def test_the_sample_opens_on_two_linked_articles(window: MainWindow) -> None:
    """A newcomer's first window shows a link's curve, not two unrelated articles."""
    shown = {p.document_id for p in window.workspace.area.panes[:2]}
    ends = [
        {
            window.session.project.span(link.source_span_id).document_id,
            window.session.project.span(link.target_span_id).document_id,
        }
        for link in window.session.project.links()
    ]
    assert len(shown) == 2 and shown in ends


def test_the_sample_opens_with_its_event_listed(window: MainWindow, tmp_path: Path) -> None:
    tree = window.events.tree
    window.events.parentWidget().raise_()  # the Events tab, beside the document list
    assert tree.topLevelItemCount() == 1  # grouped when the sample was built, no click needed
    assert tree.topLevelItem(0).text(1) == "5" and "Turkey" in tree.topLevelItem(0).text(0)
    window.grab().save(str(tmp_path / "sample-events.png"))
