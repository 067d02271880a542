"""Regressions found in review: stale compare cache, stale marks, block separators,
undo steps that can no longer apply."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat

from app.models import NewDocument
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings
from ui.workspace.article_view import ArticleView, Mark

pytestmark = pytest.mark.gui
STATEMENT = (
    "Following this review, which found credible evidence that Canadian technology exported to "
    "Turkey was used in Nagorno-Karabakh, today I am announcing the cancellation of permits."
)


@pytest.fixture
def window(qtbot, project_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    project = Project.open(project_path)
    project.add_documents([NewDocument(text="Intro. " + STATEMENT, title="A")])
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def test_compare_mode_forgets_alignments_when_an_id_is_reused(window: MainWindow) -> None:
    session, project = window.session, window.session.project
    marker = project.id_marker()
    project.add_documents([NewDocument(text="Garneau said: " + STATEMENT, title="B")])
    session.record("import", project.added_since(marker))
    window.flush()
    window.workspace.open_document(1, 0)
    window.workspace.open_document(2, 1)
    window.workspace.compare.set_enabled(True)
    assert window.workspace.area.overlay.bands
    session.undo_stack.undo()
    window.flush()
    (short,) = project.add_documents([NewDocument(text="Unrelated.", title="C")]).value.added
    session.notify(project.added_since(marker).changes)
    window.flush()
    assert short == 2  # the id was reused
    window.workspace.open_document(short, 1)  # raised ValueError with the stale cache
    assert not window.workspace.area.overlay.bands


def test_a_view_drops_its_marks_when_it_shows_another_text(qapp: object) -> None:
    view = ArticleView()
    view.show_text("A long first text for marks.")
    view.set_marks("suggestion", [Mark(10, 20, QTextCharFormat())])
    view.show_text("Short.")
    assert view.marks == {}
    assert view.extraSelections() == []


def test_spans_after_a_paragraph_separator_paint_on_their_own_block(qapp: object) -> None:
    from app.models import Label, LabelKind, SpanRow

    text = "aa\u2029bb\ncc"
    view = ArticleView()
    label = Label(id=1, name="PERSON", kind=LabelKind.ENTITY, color="#0072B2")
    span = SpanRow(1, 1, 6, 8, 1, 1, "cc", "")  # type: ignore[arg-type]
    view.show_text(text, [span], {1: label}, set(), {1: "Ana"})
    view.finish_highlighting()
    painted = [
        (block.blockNumber(), r.start, r.length)
        for block in _blocks(view)
        for r in block.layout().formats()
        if r.format.background().style() != Qt.BrushStyle.NoBrush
    ]
    assert painted == [(2, 0, 2)]


def _blocks(view: ArticleView) -> Iterator:  # type: ignore[type-arg]
    block = view.document().firstBlock()
    while block.isValid():
        yield block
        block = block.next()


def test_an_undo_that_can_no_longer_apply_is_reported_and_dropped(window: MainWindow) -> None:
    session, project = window.session, window.session.project
    span = session.run("tag", lambda: project.add_span(1, 0, 5, "PERSON", "Ana"))
    session.run("delete", lambda: project.delete_spans([span.id]))
    with closing(sqlite3.connect(project.path)) as raw:  # another program takes the id meanwhile
        raw.execute(
            'INSERT INTO span (id, uuid, document_id, start, "end", label_id, annotator_id, quote,'
            " created_at) VALUES (?, 'x', 1, 0, 5, 1, 1, 'Intro', 't')",
            (span.id,),
        )
        raw.commit()
    errors: list[str] = []
    session.error.connect(errors.append)
    session.undo_stack.undo()
    assert errors and "Cannot" in errors[0]
    assert session.undo_stack.count() == 1  # the broken step is gone; "tag" remains
