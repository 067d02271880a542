from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

import ui.dialogs.import_worker as import_worker
from app.errors import ProjectReadOnly
from app.formats.articles import FileReport, ImportReport
from app.formats.articles import import_paths as real_import_paths
from app.storage.project import Project
from tests.ui.dialog_helpers import screenshot
from ui.dialogs.import_worker import (
    ImportProgressDialog,
    ImportReportDialog,
    ImportRun,
    detail_lines,
    import_with_progress,
    summary_lines,
)
from ui.open_project import OpenProject

pytestmark = pytest.mark.gui

Shown = list[tuple[ImportReport, int]]


@pytest.fixture
def session(qtbot: QtBot, project: Project) -> Iterator[OpenProject]:
    opened = OpenProject(project, "tester")
    yield opened
    opened.undo_stack.clear()


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.resize(600, 400)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    """Summaries that would have been shown, instead of a blocking dialog."""
    reports: Shown = []
    monkeypatch.setattr(import_worker, "_show_report", lambda parent, report, total: reports.append((report, total)))
    return reports


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(import_worker, "_show_error", lambda parent, message: messages.append(message))
    return messages


def write_articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for number in range(count):
        (folder / f"{number:02d}.txt").write_text(
            f"Article {number}\n\nReport number {number} about the harbour.\n", encoding="utf-8"
        )
    return folder


def file_titles(path: Path) -> list[str]:
    """Document titles as stored in the project file, read by a separate connection."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [row[0] for row in conn.execute("SELECT title FROM document ORDER BY id")]


def watch_runs(monkeypatch: pytest.MonkeyPatch, on_progress: Callable[[ImportRun, int], None]) -> None:
    """Make import_with_progress build runs that call `on_progress(run, done)` on the GUI thread."""

    class WatchedRun(ImportRun):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            self.progressed.connect(lambda done, total, name: on_progress(self, done))

    monkeypatch.setattr(import_worker, "ImportRun", WatchedRun)


def test_imports_a_folder_of_thirty_files(
    qtbot: QtBot, window: QWidget, session: OpenProject, project_path: Path, tmp_path: Path, shown: Shown
) -> None:
    folder = write_articles(tmp_path / "articles", 30)
    with qtbot.waitSignal(session.operation_did_execute) as told:
        report = import_with_progress(window, session, [folder])
    assert report is not None and not report.cancelled
    assert report.counts == {"imported": 30, "skipped": 0, "refused": 0, "added": 30, "duplicates": 0}
    assert file_titles(project_path) == [f"Article {n}" for n in range(30)]
    assert told.args[0].documents
    assert shown == [(report, 30)]
    assert session.undo_stack.count() == 1  # the whole import is one undoable step
    session.undo_stack.undo()
    assert file_titles(project_path) == []
    session.undo_stack.redo()
    assert file_titles(project_path) == [f"Article {n}" for n in range(30)]


def test_progress_dialog_names_the_next_file(
    qtbot: QtBot, window: QWidget, session: OpenProject, tmp_path: Path, shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_articles(tmp_path / "articles", 3)
    (folder / "02.txt").rename(folder / "<b>02<i>.txt")  # sorted last: "0" < "<"
    seen: list[tuple[int, str, bool, Qt.TextFormat]] = []

    def look(run: ImportRun, done: int) -> None:
        dialog = run.dialog
        assert dialog.windowModality() == Qt.WindowModality.WindowModal
        seen.append((done, dialog.message.text(), dialog.isVisible(), dialog.message.textFormat()))
        if done == 2:
            screenshot(dialog, "import_progress")

    watch_runs(monkeypatch, look)
    import_with_progress(window, session, [folder])
    assert [(done, text) for done, text, _, _ in seen] == [
        (1, "Importing 2 of 3: 01.txt"),
        (2, "Importing 3 of 3: <b>02<i>.txt"),
        (3, "Importing 3 of 3: <b>02<i>.txt"),
    ]
    assert all(visible and fmt == Qt.TextFormat.PlainText for _, _, visible, fmt in seen)


def test_cancel_after_the_first_file_keeps_it(
    qtbot: QtBot,
    window: QWidget,
    session: OpenProject,
    project: Project,
    project_path: Path,
    tmp_path: Path,
    shown: Shown,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = write_articles(tmp_path / "articles", 30)
    clicked = threading.Event()

    def import_waiting_for_cancel(project: Project, paths: list[Path], **hooks: Any) -> ImportReport:
        """The real import, paused after the first file until Cancel has been clicked."""

        def progress(done: int, total: int, path: Path) -> None:
            hooks["progress"](done, total, path)
            if done == 1:
                assert clicked.wait(10)

        return real_import_paths(project, paths, progress=progress, cancelled=hooks["cancelled"])

    def click_cancel(run: ImportRun, done: int) -> None:
        if done == 1:
            qtbot.mouseClick(run.dialog.cancel_button, Qt.MouseButton.LeftButton)
            assert run.dialog.message.text() == "Cancelling after the current file…"
            assert run.dialog.isVisible() and not run.dialog.cancel_button.isEnabled()
            clicked.set()

    monkeypatch.setattr(import_worker, "import_paths", import_waiting_for_cancel)
    watch_runs(monkeypatch, click_cancel)
    report = import_with_progress(window, session, [folder])
    assert report is not None and report.cancelled
    assert len(report.files) == 1 and shown == [(report, 30)]
    assert file_titles(project_path) == ["Article 0"]
    assert [hit.document_id for hit in project.search("harbour")] == list(report.added)
    assert summary_lines(report, 30)[0] == "Cancelled after 1 of 30 files; the rest were not imported."


def test_escape_also_cancels(qtbot: QtBot) -> None:
    dialog = ImportProgressDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.cancel_requested):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    with qtbot.assertNotEmitted(dialog.cancel_requested):
        dialog.close()  # asking twice changes nothing, and the dialog stays
    assert dialog.isVisible()


def test_refused_and_duplicate_files_are_reported(
    qtbot: QtBot, window: QWidget, session: OpenProject, project_path: Path, tmp_path: Path, shown: Shown
) -> None:
    folder = write_articles(tmp_path / "articles", 2)
    (folder / "copy.txt").write_text((folder / "00.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n")
    report = import_with_progress(window, session, [folder])
    assert report is not None
    assert report.counts == {"imported": 2, "skipped": 1, "refused": 2, "added": 2, "duplicates": 1}
    assert file_titles(project_path) == ["Article 0", "Article 1"]
    assert summary_lines(report, 5) == [
        "Added 2 documents from 2 files.",
        "Skipped 1 duplicate (text already in the project).",
        "Refused 2 files; see below.",
    ]
    details = detail_lines(report)
    assert details[0] == f"{folder / 'copy.txt'}\n    skipped: already in the project"
    assert details[1].startswith(f"{folder / 'empty.txt'}\n    refused: no text")
    assert details[2].startswith(f"{folder / 'photo.png'}\n    refused: unsupported file type '.png'")


def test_a_project_error_is_shown_and_returns_none(
    qtbot: QtBot,
    window: QWidget,
    session: OpenProject,
    tmp_path: Path,
    shown: Shown,
    errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def read_only(project: Project, paths: list[Path], **hooks: Any) -> ImportReport:
        raise ProjectReadOnly("test.parallax: the file is read-only; copy it somewhere writable")

    monkeypatch.setattr(import_worker, "import_paths", read_only)
    with qtbot.waitSignal(session.operation_did_execute):
        assert import_with_progress(window, session, [write_articles(tmp_path / "a", 1)]) is None
    assert errors == ["test.parallax: the file is read-only; copy it somewhere writable"]
    assert shown == []


def test_an_unexpected_error_does_not_hang(
    qtbot: QtBot,
    window: QWidget,
    session: OpenProject,
    tmp_path: Path,
    errors: list[str],
    shown: Shown,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(project: Project, paths: list[Path], **hooks: Any) -> ImportReport:
        raise RuntimeError("boom")

    monkeypatch.setattr(import_worker, "import_paths", broken)
    monkeypatch.setattr(import_worker.log, "exception", lambda *args: None)
    assert import_with_progress(window, session, [tmp_path]) is None
    assert errors == ["The import stopped: RuntimeError: boom"]


def test_nothing_to_import(qtbot: QtBot, window: QWidget, session: OpenProject, tmp_path: Path, shown: Shown) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    report = import_with_progress(window, session, [empty])
    assert report is not None and report.files == ()
    assert summary_lines(report, 0) == ["No files were found to import."]


def test_report_dialog_is_plain_text(qtbot: QtBot, tmp_path: Path) -> None:
    report = ImportReport(
        (
            FileReport(tmp_path / "a.txt", "imported", added=(1, 2), duplicates=1),  # type: ignore[arg-type]
            FileReport(tmp_path / "<i>b</i>.html", "refused", "invalid UTF-8 at byte 12 (save the file as UTF-8)"),
        ),
        cancelled=False,
    )
    dialog = ImportReportDialog(report, 2)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Import finished"
    assert dialog.summary.textFormat() == Qt.TextFormat.PlainText
    assert dialog.summary.text() == (
        "Added 2 documents from 1 file.\nSkipped 1 duplicate (text already in the project).\nRefused 1 file; see below."
    )
    assert "<i>b</i>.html\n    refused: invalid UTF-8 at byte 12" in dialog.details.toPlainText()
    assert dialog.details.isVisible()
    screenshot(dialog, "import_report")


def test_report_dialog_without_problems_has_no_details(qtbot: QtBot, tmp_path: Path) -> None:
    report = ImportReport(
        (FileReport(tmp_path / "a.txt", "imported", added=(1,)),),  # type: ignore[arg-type]
        cancelled=False,
    )
    dialog = ImportReportDialog(report, 1)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary.text() == "Added 1 document from 1 file."
    assert not dialog.details.isVisible()


def test_progress_inside_a_web_archive(
    qtbot: QtBot, window: QWidget, session: OpenProject, tmp_path: Path, shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.test_warc import archive

    path = archive(tmp_path / "crawl.warc.gz", True)
    seen: list[str] = []
    watch_runs(monkeypatch, lambda run, done: seen.append(run.dialog.message.text()))
    report = import_with_progress(window, session, [path])
    assert report is not None and len(report.added) == 2
    assert any(text.endswith("crawl.warc.gz (100%)") for text in seen), seen


def test_imported_articles_join_events_in_one_more_undo_step(
    qtbot: QtBot, window: QWidget, session: OpenProject, tmp_path: Path, shown: Shown
) -> None:
    from app.events import store
    from app.resources import sample_corpus_path

    real_import_paths(session.project, [sample_corpus_path()])
    store.regroup(session.project)
    assert [len(e.documents) for e in store.events(session.project)] == [5]
    folder = write_articles(tmp_path / "articles", 2)
    import_with_progress(window, session, [folder])
    assert len(store.events(session.project)) >= 2  # the harbour reports are not about drones
    assert all(store.event_of(session.project, d.id) is not None for d in session.project.documents())
    assert session.undo_stack.count() == 2  # the import, then placing its articles
    session.undo_stack.undo()
    assert [len(e.documents) for e in store.events(session.project)] == [5]
