"""Compare mode and the suggestions panel on the sample corpus, through the real window."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.formats.articles import import_paths
from app.resources import sample_corpus_path
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, project_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    project = Project.open(project_path)
    import_paths(project, [sample_corpus_path()])
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.resize(1400, 900)
    main.show()
    yield main
    main.close()


def doc_id(window: MainWindow, prefix: str) -> int:
    return next(d.id for d in window.session.project.documents() if d.title.startswith(prefix))


def test_compare_mode_tints_aligned_passages_and_marks_changed_words(window: MainWindow) -> None:
    workspace = window.workspace
    halts, blocks = doc_id(window, "Canada halts"), doc_id(window, "Canada Blocks")
    workspace.open_document(halts, 0)
    workspace.open_document(blocks, 1)
    workspace.compare.set_enabled(True)
    left, right = workspace.area.panes[0], workspace.area.panes[1]
    assert workspace.area.overlay.bands and left.view.marks["passages"] and right.view.marks["passages"]
    text = window.session.project.text(halts)
    workspace.compare.on_text_clicked(left, text.index("Following this review") + 3)
    current = workspace.compare.current
    assert current is not None and current.kind == "verbatim"
    # The Garneau statement is aligned: the other pane scrolled to it and its extra words are marked.
    other = window.session.project.text(blocks)
    assert other[current.start_b if current.doc_b == blocks else current.start_a :].startswith("“Following this review")
    added = [other[m.start : m.end] for m in right.view.marks["words"]]
    assert any("Garneau" in word for word in added)
    workspace.compare.set_enabled(False)
    assert not left.view.marks["passages"] and not workspace.area.overlay.bands


def test_accept_and_reject_suggestions_with_undo(qtbot, window: MainWindow, project_path: Path) -> None:
    window.find_suggestions()
    panel = window.suggestions
    reasons = [row.reason for row in panel.model.rows]
    assert any(r.startswith("weekday differs") for r in reasons)
    assert any("Mevlüt Çavuşoğlu" in r and "Mevlut Cavusoglu" in r for r in reasons)
    weekday = next(i for i, row in enumerate(panel.model.rows) if row.kind == "weekday")
    panel.table.selectRow(weekday)
    chosen = panel.current()
    assert chosen is not None
    marked = [p.view.marks.get("suggestion") for p in window.workspace.area.visible_panes()]
    assert all(marked)
    panel.accept_current()
    window.flush()
    with closing(sqlite3.connect(project_path)) as conn:
        assert conn.execute("SELECT kind, note FROM link").fetchall() == [("contradicts", chosen.reason)]
        assert conn.execute("SELECT count(*) FROM span").fetchone() == (2,)
    window.session.undo_stack.undo()
    with closing(sqlite3.connect(project_path)) as conn:
        assert conn.execute("SELECT count(*) FROM link").fetchone() == (0,)
    panel.table.selectRow(0)
    rejected = panel.current()
    assert rejected is not None
    panel.reject_current()
    panel.refresh()
    assert rejected.id not in {row.id for row in panel.model.rows}
    window.session.undo_stack.undo()  # forget the rejection
    panel.refresh()
    assert rejected.id in {row.id for row in panel.model.rows}


def test_a_cluster_row_lists_every_article_and_accepts_in_one_undo_step(
    qtbot, window: MainWindow, project_path: Path, tmp_path: Path
) -> None:
    window.find_suggestions()
    panel = window.suggestions
    row = next(i for i, s in enumerate(panel.model.rows) if s.kind == "same_as" and "Cavusoglu" in s.reason)
    chosen = panel.model.rows[row]
    says = panel.model.data(panel.model.index(row, 2))
    assert "Mevlüt Çavuşoğlu" in says and "Mevlut Cavusoglu" in says
    assert panel.model.data(panel.model.index(row, 3)).startswith("3: ")
    quotes = panel.model.data(panel.model.index(row, 2), Qt.ItemDataRole.ToolTipRole)
    assert "Çavuşoğlu" in quotes
    panel.table.selectRow(row)
    window.grab().save(str(tmp_path / "suggestions.png"))
    panel.accept_current()
    window.flush()
    with closing(sqlite3.connect(project_path)) as conn:
        assert conn.execute("SELECT count(*) FROM link WHERE kind = 'same_as'").fetchone() == (
            len(chosen.mentions) - 1,
        )
    window.session.undo_stack.undo()  # one step takes every link back
    with closing(sqlite3.connect(project_path)) as conn:
        assert conn.execute("SELECT count(*) FROM link").fetchone() == (0,)
