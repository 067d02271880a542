"""The curation window driven by keys, checked in the project file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.models import DocumentId, LinkKind, NewDocument
from app.storage.project import Project
from app.team import curation as adj
from app.team.curation import State
from app.team.progress import CurationState, curation_states
from tests.ui.dialog_helpers import colours_in, screenshot
from ui.open_project import OpenProject
from ui.team.curation_view import CurationWindow

pytestmark = pytest.mark.gui

TEXT = "Mevlüt Çavuşoğlu met Sergei Lavrov in Moscow on Monday 😀.\nThe <b>talks</b> lasted 3 hours, the ministry said."
OTHER = "Lavrov denied meeting anyone in Moscow."


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def gold_spans(path: Path) -> list[tuple[object, ...]]:
    return rows(
        path,
        'SELECT s.start, s."end", l.name FROM span s JOIN label l ON l.id = s.label_id'
        " JOIN annotator a ON a.id = s.annotator_id WHERE a.name = 'gold' ORDER BY s.start, l.name",
    )


@pytest.fixture
def docs(project: Project) -> tuple[DocumentId, DocumentId]:
    """ana and bo agree on both persons and the date; they differ on Moscow, the talks and the ministry."""
    first, second = project.add_documents(
        [
            NewDocument(text=TEXT, title="Talks <i>in</i> Moscow", source="Outlet A"),
            NewDocument(text=OTHER, title="Denial"),
        ]
    ).value.added
    for who in ("ana", "bo"):
        project.add_span(first, 0, 16, "PERSON", who)
        project.add_span(first, 21, 34, "PERSON", who)
        project.add_span(first, 48, 54, "DATE", who)
    moscow = project.add_span(first, 38, 44, "LOCATION", "ana").value
    project.add_span(first, 38, 44, "ORG", "bo")
    project.add_span(first, 58, 109, "CLAIM", "ana")
    project.add_span(first, 95, 103, "ORG", "bo")
    there = project.add_span(second, 32, 38, "LOCATION", "ana").value
    project.add_link("same_as", moscow.id, there.id, "ana")
    return first, second


@pytest.fixture
def session(project: Project) -> Iterator[OpenProject]:
    opened = OpenProject(project, "judge")
    yield opened
    opened.undo_stack.clear()


@pytest.fixture
def window(qtbot: QtBot, session: OpenProject, docs: tuple[DocumentId, DocumentId]) -> CurationWindow:
    shown = CurationWindow(session, docs[0])
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    shown.flush()
    return shown


def press(
    qtbot: QtBot, window: CurationWindow, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(window.table, key, modifier)
    window.flush()


def item(window: CurationWindow) -> adj.Candidate:
    current = window.current()
    assert current is not None
    return current


def states(window: CurationWindow) -> list[str]:
    column = window.model.columnCount() - 1
    return [window.model.index(row, column).data() for row in range(window.model.rowCount())]


def test_opening_preaccepts_agreed_items_and_selects_the_first_open(window: CurationWindow, project_path: Path) -> None:
    assert gold_spans(project_path) == [(0, 16, "PERSON"), (21, 34, "PERSON"), (48, 54, "DATE")]
    assert states(window) == ["agreed", "agreed", "open", "open", "agreed", "open", "open", "open"]
    assert window.model.columns == ("Item", "Text", "ana", "bo", "State")
    assert item(window).key == "span:38:44:ORG"  # label order: ORG first
    assert window.counts_label.text().count("open</span> 5") == 1
    assert window.session.undo_stack.count() == 1  # the pre-accepting is one undoable step


def test_keys_accept_reject_step_and_undo(
    qtbot: QtBot, window: CurationWindow, project_path: Path, docs: tuple[DocumentId, DocumentId]
) -> None:
    press(qtbot, window, Qt.Key.Key_A)  # accept ORG: its rival LOCATION (same "Moscow") is rejected with it
    assert (38, 44, "ORG") in gold_spans(project_path)
    assert rows(project_path, "SELECT item, state, decided_by FROM adjudication") == [
        ("span:38:44:LOCATION", "rejected", "judge")
    ]
    assert item(window).label == "CLAIM"  # the next open item
    press(qtbot, window, Qt.Key.Key_N)
    assert item(window).key == "span:95:103:ORG"
    press(qtbot, window, Qt.Key.Key_P)
    assert item(window).label == "CLAIM"
    assert adj.counts(window.project, docs[0]) == {State.AGREED: 3, State.ACCEPTED: 1, State.REJECTED: 1, State.OPEN: 3}
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the acceptance, rival and all
    assert rows(project_path, "SELECT item FROM adjudication") == []
    assert (38, 44, "ORG") not in gold_spans(project_path)
    press(qtbot, window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert (38, 44, "ORG") in gold_spans(project_path)


def test_competing_items_are_grouped_and_k_keeps_both(
    qtbot: QtBot, window: CurationWindow, project_path: Path, docs: tuple[DocumentId, DocumentId]
) -> None:
    moscow = next(row for row, c in enumerate(window.model.rows) if c.key == "span:38:44:LOCATION")
    assert window.model.index(moscow, 0).data() == "LOCATION (or ORG)"
    window.select_row(moscow)
    press(qtbot, window, Qt.Key.Key_K)  # accept LOCATION and keep ORG open on purpose
    assert (38, 44, "LOCATION") in gold_spans(project_path)
    assert rows(project_path, "SELECT item FROM adjudication") == []
    states = {c.key: c.state for c in adj.candidates(window.project, docs[0])}
    assert states["span:38:44:ORG"] == State.OPEN and states["span:38:44:LOCATION"] == State.ACCEPTED


def test_finishing_a_document_and_undo_scoped_to_the_window(
    qtbot: QtBot, window: CurationWindow, project_path: Path, docs: tuple[DocumentId, DocumentId]
) -> None:
    from app.review import sessions as review

    press(qtbot, window, Qt.Key.Key_F)
    assert curation_states(window.project)[docs[0]] == CurationState.FINISHED
    assert "curation finished" in window.counts_label.text()
    link = window.project.links()[0].id
    started = review.start_session(window.project, "R", "judge", review.Scope(kinds=(LinkKind.SAME_AS,)))
    window.session.record("Start review", started)
    window.session.run(
        "Verdict", lambda: review.set_verdict(window.project, started.value.id, link, "conflict_confirmed")
    )
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the verdict is not curation's
    assert len(review.verdicts(window.project)) == 1
    assert "Not undoing “Verdict”" in window.statusBar().currentMessage()
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()  # the review is undone from elsewhere; now the top step is curation's
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert curation_states(window.project)[docs[0]] != CurationState.FINISHED


def test_a_reopened_agreed_item_stays_open_when_the_document_is_shown_again(
    qtbot: QtBot, window: CurationWindow, project_path: Path, docs: tuple[DocumentId, DocumentId]
) -> None:
    window.select_row(window.model.row_of("span:0:16:PERSON"))
    press(qtbot, window, Qt.Key.Key_O)
    window.show_document(docs[1])
    window.show_document(docs[0])
    assert states(window)[0] == "open" and (0, 16, "PERSON") not in gold_spans(project_path)
    QTest.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)  # accept all agreed
    window.flush()
    assert states(window)[0] == "agreed"


def test_reopen_and_link_items(qtbot: QtBot, window: CurationWindow, project_path: Path) -> None:
    window.select_row(window.model.row_of("span:0:16:PERSON"))
    press(qtbot, window, Qt.Key.Key_O)
    assert (0, 16, "PERSON") not in gold_spans(project_path)
    assert states(window)[0] == "open"
    link = next(i for i, c in enumerate(window.model.rows) if c.kind == "link")
    window.select_row(link)
    press(qtbot, window, Qt.Key.Key_A)  # takes both Moscow spans into gold, in two documents
    assert rows(
        project_path, "SELECT kind FROM link l JOIN annotator a ON a.id = l.annotator_id WHERE a.name = 'gold'"
    ) == [("same_as",)]
    assert (32, 38, "LOCATION") in gold_spans(project_path)


def test_keys_work_from_the_text_too_and_backspace_reopens(
    qtbot: QtBot, window: CurationWindow, project_path: Path
) -> None:
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_A)
    window.flush()
    assert (38, 44, "ORG") in gold_spans(project_path)
    window.select_row(window.model.row_of("span:38:44:ORG"))
    QTest.keyClick(window.view, Qt.Key.Key_Backspace)
    window.flush()
    assert (38, 44, "ORG") not in gold_spans(project_path)
    assert window.session.undo_stack.undoText() == "Reopen ORG “Moscow”"


def test_changes_made_elsewhere_show_up(
    qtbot: QtBot, window: CurationWindow, session: OpenProject, docs: tuple[DocumentId, DocumentId]
) -> None:
    session.run("Tag", lambda: session.project.add_span(docs[0], 58, 61, "ORG", "cy"))
    window.flush()
    assert window.model.columns == ("Item", "Text", "ana", "bo", "cy", "State")
    assert "span:58:61:ORG" in [c.key for c in window.model.rows]
    window.hide()
    session.undo_stack.undo()
    assert "span:58:61:ORG" in [c.key for c in window.model.rows]  # hidden: no work
    window.show()
    assert "span:58:61:ORG" not in [c.key for c in window.model.rows]


def test_refused_link_shows_a_message_and_changes_nothing(
    qtbot: QtBot, window: CurationWindow, project_path: Path
) -> None:
    window.select_row(window.model.row_of("span:38:44:LOCATION"))
    press(qtbot, window, Qt.Key.Key_R)
    before = rows(project_path, "SELECT * FROM span"), window.session.undo_stack.count()
    window.select_row(next(i for i, c in enumerate(window.model.rows) if c.kind == "link"))
    press(qtbot, window, Qt.Key.Key_A)
    assert "was rejected" in window.statusBar().currentMessage()
    assert (rows(project_path, "SELECT * FROM span"), window.session.undo_stack.count()) == before


def test_chooser_switches_documents_and_text_stays_plain(
    window: CurationWindow, docs: tuple[DocumentId, DocumentId]
) -> None:
    assert window.chooser.currentText() == "Talks <i>in</i> Moscow"
    assert window.view.toPlainText() == TEXT
    window.chooser.setCurrentIndex(window.chooser.findData(docs[1]))
    window.chooser.activated.emit(window.chooser.currentIndex())
    assert window.document_id == docs[1] and window.view.toPlainText() == OTHER
    assert [c.kind for c in window.model.rows] == ["span", "link"]


def test_model_passes_qt_model_tester(qtmodeltester, window: CurationWindow) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.model)


def test_the_picture_shows_every_item_in_its_label_colour(qtbot: QtBot, window: CurationWindow) -> None:
    press(qtbot, window, Qt.Key.Key_A)
    press(qtbot, window, Qt.Key.Key_R)
    press(qtbot, window, Qt.Key.Key_N)
    window.resize(1250, 520)
    window.flush()
    shown = colours_in(screenshot(window, "curation"))
    labels = {row.label for row in window.model.rows if row.kind == "span"}
    assert len(labels) >= 2
    for label in labels:  # the swatch in each row is painted in its label's colour
        assert QColor(window.model.colors[label]).name() in shown, label
