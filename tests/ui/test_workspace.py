"""The annotation workspace driven through real widgets, checked in the real file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from app.models import NewDocument
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings
from ui.workspace.article_pane import ArticlePane
from ui.workspace.article_view import span_tooltip

pytestmark = pytest.mark.gui

LEFT = "Intro 😀👍🏽 e\u0301 — Mevlüt Çavuşoğlu met Garneau on Monday.\nAll 29 permits were cancelled."
RIGHT = "Garneau spoke with Mevlut Cavusoglu on Tuesday.\r\nSome permits were cancelled."


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Read the project file through a separate connection, as another program would."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def window(qtbot, project_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    project = Project.open(project_path)
    project.add_documents(
        [
            NewDocument(text=LEFT, title="Left"),
            NewDocument(
                text=RIGHT.replace("\r\n", "\n"),
                title="<b>Right</b><img src='http://x.invalid/a.png'>",
                source="Outlet B",
                published="2021-04-13",
            ),
        ]
    )
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.resize(1300, 800)
    main.show()
    main.workspace.open_document(1, 0)
    main.workspace.open_document(2, 1)
    yield main
    main.close()


def pane(window: MainWindow, index: int) -> ArticlePane:
    return window.workspace.area.panes[index]


def select(window: MainWindow, index: int, word: str) -> None:
    """Select `word` with a QTextCursor in UTF-16 positions, as a mouse drag does."""
    view = pane(window, index).view
    document = view.document()
    found = document.find(word)
    assert not found.isNull(), word
    cursor = QTextCursor(document)
    cursor.setPosition(found.selectionStart())
    cursor.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.setFocus()


def press(qtbot, window: MainWindow, index: int, key: str | Qt.Key) -> None:
    """Press a key in a pane, then let the deferred view refresh run."""
    qtbot.keyClick(pane(window, index).view, key)
    window.flush()


def click_span(qtbot, window: MainWindow, index: int, word: str) -> None:
    view = pane(window, index).view
    found = view.document().find(word)
    cursor = QTextCursor(view.document())
    cursor.setPosition(found.selectionStart() + 1)
    view.setTextCursor(cursor)
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_hotkey_tags_selection_with_code_point_offsets_after_emoji(
    qtbot, window: MainWindow, project_path: Path
) -> None:
    select(window, 0, "Çavuşoğlu")
    press(qtbot, window, 0, "1")  # PERSON
    stored = rows(project_path, 'SELECT start, "end", quote FROM span')
    start = LEFT.index("Çavuşoğlu")
    assert stored == [(start, start + len("Çavuşoğlu"), "Çavuşoğlu")]
    assert LEFT[:start].count("😀") == 1  # the emoji sits before: UTF-16 would be off by 3


def test_selection_snaps_to_words_and_palette_click_tags(qtbot, window: MainWindow, project_path: Path) -> None:
    view = pane(window, 1).view
    start = RIGHT.index("Tuesday") + 2
    view.select_text(start, start + 3)  # "esd", inside the word
    window.palette_.buttons[window.session.project.label("DATE").id].click()
    window.flush()
    assert rows(project_path, "SELECT quote FROM span") == [("Tuesday",)]


def test_link_two_spans_in_different_panes_by_key(qtbot, window: MainWindow, project_path: Path) -> None:
    select(window, 0, "Monday")
    press(qtbot, window, 0, "4")
    select(window, 1, "Tuesday")
    press(qtbot, window, 1, "4")
    click_span(qtbot, window, 0, "Monday")
    click_span(qtbot, window, 1, "Tuesday")
    press(qtbot, window, 1, "c")
    links = rows(
        project_path,
        "SELECT l.kind, a.quote, b.quote FROM link l JOIN span a ON a.id ="
        " l.source_span_id JOIN span b ON b.id = l.target_span_id",
    )
    assert links == [("contradicts", "Monday", "Tuesday")]
    assert window.links.links_model.rowCount() == 1
    assert len(window.workspace.area.overlay.links) == 1


def test_undo_and_redo_every_kind_of_edit(qtbot, window: MainWindow, project_path: Path) -> None:
    session, project = window.session, window.session.project
    select(window, 0, "Garneau")
    press(qtbot, window, 0, "1")
    select(window, 1, "Garneau")
    press(qtbot, window, 1, "1")
    window.workspace.link_selected(__import__("app.models").models.LinkKind.SAME_AS)
    span_id = rows(project_path, "SELECT id FROM span ORDER BY id")[0][0]
    session.run("note", lambda: project.update_span(int(span_id), note="check the date"))  # type: ignore[arg-type]
    session.run("rename", lambda: project.update_label(project.label("PERSON").id, name="PEOPLE"))
    snapshot = rows(
        project_path,
        "SELECT * FROM span UNION ALL SELECT id, uuid, kind, source_span_id,"
        " target_span_id, annotator_id, note, created_at, 0, 0, 0 FROM link",
    )
    counts = []
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
        counts.append(
            rows(
                project_path,
                "SELECT (SELECT count(*) FROM span), (SELECT count(*) FROM link),"
                " (SELECT name FROM label WHERE id = 1),"
                " (SELECT group_concat(note) FROM span)",
            )[0]
        )
    assert counts == [
        (2, 1, "PERSON", "check the date,"),
        (2, 1, "PERSON", ","),
        (2, 0, "PERSON", ","),
        (1, 0, "PERSON", ""),
        (0, 0, "PERSON", None),
    ]
    while session.undo_stack.canRedo():
        session.undo_stack.redo()
    assert (
        rows(
            project_path,
            "SELECT * FROM span UNION ALL SELECT id, uuid, kind, source_span_id,"
            " target_span_id, annotator_id, note, created_at, 0, 0, 0 FROM link",
        )
        == snapshot
    )
    assert rows(project_path, "SELECT name FROM label WHERE id = 1") == [("PEOPLE",)]


def test_delete_key_removes_selected_span_and_ctrl_z_restores(qtbot, window: MainWindow, project_path: Path) -> None:
    select(window, 1, "permits")
    press(qtbot, window, 1, "5")
    before = rows(project_path, "SELECT * FROM span")
    click_span(qtbot, window, 1, "permits")
    press(qtbot, window, 1, Qt.Key.Key_Delete)
    assert rows(project_path, "SELECT count(*) FROM span") == [(0,)]
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.flush()
    assert rows(project_path, "SELECT * FROM span") == before


def highlighted_ranges(window: MainWindow, index: int) -> list[tuple[int, int]]:
    block = pane(window, index).view.document().firstBlock()
    found = []
    while block.isValid():
        for fmt in block.layout().formats():
            if fmt.format.background().style() != Qt.BrushStyle.NoBrush:
                found.append((block.position() + fmt.start, fmt.length))
        block = block.next()
    return found


def test_reopen_shows_same_highlights_and_panes(qtbot, window: MainWindow, project_path: Path, tmp_path: Path) -> None:
    select(window, 0, "Çavuşoğlu")
    press(qtbot, window, 0, "1")
    painted = highlighted_ranges(window, 0)
    assert len(painted) == 1
    window.close()  # nothing to save: the span is already in the file
    again = MainWindow(OpenProject(Project.open(project_path), "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(again)
    again.show()
    assert pane(again, 0).document_id == 1 and pane(again, 1).document_id == 2
    assert highlighted_ranges(again, 0) == painted
    again.close()


def test_imported_titles_are_plain_text(window: MainWindow) -> None:
    title = pane(window, 1).title
    assert title.textFormat() == Qt.TextFormat.PlainText
    assert title.text().startswith("<b>Right</b>")
    assert pane(window, 1).byline.text() == "Outlet B · 2021-04-13"


def test_tab_steps_through_spans_and_ctrl_number_focuses_panes(qtbot, window: MainWindow) -> None:
    for word in ("Mevlüt", "Garneau"):
        select(window, 0, word)
        press(qtbot, window, 0, "1")
    view = pane(window, 0).view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    first = view.selected
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert first is not None and view.selected is not None
    assert [first.quote, view.selected.quote] == ["Mevlüt", "Garneau"]
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.selected.quote == "Mevlüt"
    window.workspace.focus_pane(1)
    assert window.workspace.active is pane(window, 1)


def test_search_box_filters_document_list(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.documents.filter, "cavusoglu tuesday")
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == 1)  # once typing pauses
    window.documents.filter.clear()
    assert window.documents.model.rowCount() == 2


def test_view_state_is_saved_soon_after_a_change_without_closing(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.workspace.open_document(2, 0)
    qtbot.waitUntil(
        lambda: (
            UserSettings(tmp_path / "settings.json")
            .view_state(window.session.project.path)
            .get("panes", [{}])[0]
            .get("document")
            == 2
        ),
        timeout=5000,
    )


def test_dragging_a_document_onto_a_pane_shows_it_there(qtbot, window: MainWindow) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent

    model = window.documents.model
    row = model.row_of(1)
    assert row is not None
    data = model.mimeData([model.index(row, 0)])
    target = pane(window, 1)
    drop = QDropEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(target.document_dropped):
        target.dropEvent(drop)
    assert target.document_id == 1


def test_double_clicking_a_document_opens_it_in_the_active_pane(qtbot, window: MainWindow) -> None:
    window.workspace.focus_pane(0)
    table = window.documents.table
    index = next(
        window.documents.model.index(r, 0)
        for r in range(window.documents.model.rowCount())
        if window.documents.model.index(r, 0).data(Qt.ItemDataRole.UserRole) == 2
    )
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # Qt 6 needs the press
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane(window, 0).document_id == 2


def test_tooltips_show_label_annotator_and_note_as_plain_text(qtbot, window: MainWindow) -> None:
    select(window, 0, "Garneau")
    press(qtbot, window, 0, "1")
    span = window.workspace.selected_span()
    assert span is not None
    window.session.run(
        "note", lambda: window.session.project.update_span(span.id, note="<img src='http://x.invalid/p.png'> check")
    )
    window.flush()
    view = pane(window, 0).view
    text = span_tooltip(view.spans_at(span.start), view.labels, view.annotator_names)
    assert "PERSON · Ana" in text and "&lt;img src=" in text and "<img" not in text


def test_reopening_restores_the_first_visible_line(qtbot, project_path: Path, tmp_path: Path) -> None:
    long_text = "\n\n".join(
        f"Paragraph {n}: Garneau spoke about permits and drones at length, again and again." for n in range(300)
    )
    project = Project.open(project_path)
    (doc,) = project.add_documents([NewDocument(text=long_text, title="Long")]).value.added
    settings = UserSettings(tmp_path / "settings.json")
    first = MainWindow(OpenProject(project, "Ana"), settings)
    qtbot.addWidget(first)
    first.resize(1200, 800)
    first.show()
    first.workspace.open_document(doc, 0)
    view = pane(first, 0).view
    view.scroll_to_top(long_text.index("Paragraph 150:"))
    top = view.first_visible_offset()
    assert long_text[top:].startswith("Paragraph 150:")
    first.close()
    again = MainWindow(OpenProject(Project.open(project_path), "Ana"), settings)
    qtbot.addWidget(again)
    again.resize(1200, 800)
    again.show()
    qtbot.waitUntil(lambda: pane(again, 0).view.first_visible_offset() == top, timeout=3000)
    again.close()


def test_opening_a_search_result_marks_the_hit(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.documents.filter, "tuesday")
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == 1)  # once typing pauses
    window.workspace.focus_pane(0)
    window.documents.table.activated.emit(window.documents.model.index(0, 0))
    view = pane(window, 0).view
    assert pane(window, 0).document_id == 2
    (mark,) = view.marks["search"]
    assert RIGHT.replace("\r\n", "\n")[mark.start : mark.end] == "Tuesday"
