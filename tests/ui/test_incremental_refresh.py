"""Views that update one row and one span: after tags, undo, redo and relabels they
show exactly what a full re-read of the project would."""

# ruff: noqa: F811  (the `window` fixture is imported from test_workspace)

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.storage.changes import Changes
from ui.main_window import MainWindow
from ui.workspace.document_list import DocumentListModel

from .test_workspace import pane, press, select, window  # noqa: F401

pytestmark = pytest.mark.gui


def span_counts(window: MainWindow) -> dict[int, int]:
    model = window.documents.model
    return {model.index(r, 0).data(Qt.ItemDataRole.UserRole): model.index(r, 3).data() for r in range(model.rowCount())}


def assert_views_match_project(window: MainWindow) -> None:
    project = window.session.project
    for index in (0, 1):
        view = pane(window, index).view
        doc_id = pane(window, index).document_id
        assert doc_id is not None
        assert view.spans == project.span_rows(doc_id)
        assert set(view.layout_.by_id.values()) == set(project.span_rows(doc_id))
        assert {s for filed in view.layout_.by_block.values() for s in filed} == set(project.span_rows(doc_id))
    assert span_counts(window) == {d.id: d.span_count for d in project.documents()}


def test_tagging_undo_and_redo_update_only_what_changed_and_match_a_full_read(qtbot, window: MainWindow) -> None:
    resets: list[int] = []
    window.documents.model.modelReset.connect(lambda: resets.append(1))
    for word in ("Garneau", "Monday", "Mevlüt"):
        select(window, 0, word)
        press(qtbot, window, 0, "1")
    select(window, 1, "Tuesday")
    press(qtbot, window, 1, "2")
    assert_views_match_project(window)
    assert span_counts(window) == {1: 3, 2: 1}
    stack = window.session.undo_stack
    stack.undo()
    stack.undo()
    window.flush()
    assert_views_match_project(window)
    assert span_counts(window) == {1: 2, 2: 0}
    stack.redo()
    window.flush()
    assert_views_match_project(window)
    assert resets == []  # rows were updated in place, never reloaded


def test_relabelling_a_span_repaints_it_with_the_new_label(qtbot, window: MainWindow) -> None:
    select(window, 0, "Garneau")
    press(qtbot, window, 0, "1")
    span = window.workspace.selected_span()
    assert span is not None
    other = next(x for x in window.session.project.labels() if x.id != span.label_id)
    window.session.run("relabel", lambda: window.session.project.update_span(span.id, label_id=other.id))
    window.flush()
    view = pane(window, 0).view
    (shown,) = view.spans_at(span.start)
    assert shown.label_id == other.id
    assert_views_match_project(window)
    block = view.document().findBlock(view.layout_.offsets.to_qt(span.start))
    tints = {r.format.background().color().name() for r in block.layout().formats()}
    assert any(t.lower() == other.color.lower() for t in tints)


def test_changes_without_span_ids_say_so_and_merge_that_way() -> None:
    named = Changes(spans=True, span_ids=frozenset({1}))
    assert not named.spans_unlisted
    assert Changes(spans=True).spans_unlisted
    assert (named | Changes(spans=True)).spans_unlisted


def test_document_list_sorts_and_keeps_the_selected_row(qtbot, window: MainWindow, project_path: Path) -> None:
    table, model = window.documents.table, window.documents.model
    assert isinstance(model, DocumentListModel)
    row = model.row_of(2)
    assert row is not None
    table.selectRow(row)
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert titles == sorted(titles, key=str.casefold, reverse=True)
    (selected,) = table.selectionModel().selectedRows()
    assert selected.data(Qt.ItemDataRole.UserRole) == 2
