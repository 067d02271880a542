"""Import files off the GUI thread behind a window-modal progress dialog.

`import_with_progress` lists the files, runs `app.formats.articles.import_paths` on an
`ImportThread`, shows "Importing 3 of 10: name.txt" and waits in a local event
loop. Cancel stops between files: each file is its own transaction, so the
files before it stay imported and nothing is half-stored. The dialog is modal,
so the GUI thread does not touch the project while the worker uses it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QCloseEvent, QTextOption
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ParallaxError
from app.formats.articles import ImportReport, expand, import_paths
from app.storage.project import Project
from ui.event_edits import place_new
from ui.open_project import OpenProject
from ui.plain import tooltip

log = logging.getLogger(__name__)
LABEL_WIDTH = 380  # pixels; longer file names are elided in the middle


class ImportThread(QThread):
    """Runs one import; its signals reach GUI-thread receivers queued."""

    listed = Signal(int, str)  # number of files, name of the first
    progressed = Signal(int, int, str)  # files done, total, name of the next ("" when done)
    completed = Signal(object)  # ImportReport
    failed = Signal(str)  # why the import stopped (a project error, not a bad file)

    def __init__(self, project: Project, paths: Sequence[Path], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._paths = list(paths)
        self._files: list[Path] = []
        self._cancel = threading.Event()
        self._archive_percent: dict[Path, int] = {}

    def cancel(self) -> None:
        """Stop before the next file (thread-safe)."""
        self._cancel.set()

    def run(self) -> None:
        try:
            self._files = expand(self._paths)
            self.listed.emit(len(self._files), self._name_of(0))
            report = import_paths(
                self._project,
                self._files,
                progress=self._on_progress,
                cancelled=self._cancel.is_set,
                archive_progress=self._on_archive_progress,
            )
        except ParallaxError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # an uncaught error would leave the GUI waiting forever
            log.exception("import stopped")
            self.failed.emit(f"The import stopped: {type(exc).__name__}: {exc}")
        else:
            self.completed.emit(report)

    def _on_progress(self, done: int, total: int, path: Path) -> None:
        self.progressed.emit(done, total, self._name_of(done))

    def _on_archive_progress(self, path: Path, done: int, size: int) -> None:
        """Inside a web archive: its name and how far into it, when the percentage moves."""
        percent = done * 100 // max(size, 1)
        if percent != self._archive_percent.get(path):
            self._archive_percent[path] = percent
            self.progressed.emit(self._files.index(path), len(self._files), f"{path.name} ({percent}%)")

    def _name_of(self, position: int) -> str:
        return self._files[position].name if position < len(self._files) else ""


class ImportProgressDialog(QProgressDialog):
    """Cancel (button, Escape or closing) asks the import to stop but keeps the dialog
    up, still modal, until the current file is done."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Importing")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # file names are never markup
        self.message.setMinimumWidth(LABEL_WIDTH)
        self.setLabel(self.message)
        self.cancel_button = QPushButton("Cancel")
        self.setCancelButton(self.cancel_button)
        self.canceled.disconnect(self.cancel)  # cancel() would hide the dialog at once
        self.canceled.connect(self._on_canceled)
        self.show_text("Looking for files…")

    def show_text(self, text: str) -> None:
        metrics = self.message.fontMetrics()
        self.message.setText(metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, LABEL_WIDTH))
        self.message.setToolTip(tooltip(text))

    def reject(self) -> None:
        self.canceled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
        self.canceled.emit()

    def _on_canceled(self) -> None:
        if self.cancel_button.isEnabled():
            self.cancel_button.setEnabled(False)
            self.show_text("Cancelling after the current file…")
            self.cancel_requested.emit()


class ImportRun(QObject):
    """One import: a worker thread, its progress dialog and the wait for both."""

    progressed = Signal(int, int, str)  # re-emitted on the GUI thread once the label shows it

    def __init__(self, parent: QWidget | None, project: Project, paths: Sequence[Path]) -> None:
        super().__init__()
        self.dialog = ImportProgressDialog(parent)
        self.worker = ImportThread(project, paths)
        self.report: ImportReport | None = None
        self.error: str | None = None
        self.total = 0
        self._loop = QEventLoop()
        self.worker.listed.connect(self._on_thread_listed)
        self.worker.progressed.connect(self._on_thread_progressed)
        self.worker.completed.connect(self._on_thread_completed)
        self.worker.failed.connect(self._on_thread_failed)
        self.dialog.cancel_requested.connect(self.worker.cancel)

    def exec(self) -> ImportReport | None:
        """Run the import and wait for it; None if it failed (see `error`)."""
        self.dialog.show()
        self.worker.start()
        if not self._ended():
            self._loop.exec()
        self.worker.wait()
        self.dialog.hide()
        self.dialog.deleteLater()
        return self.report

    def _ended(self) -> bool:
        return self.report is not None or self.error is not None

    @Slot(int, str)
    def _on_thread_listed(self, total: int, first: str) -> None:
        self.total = total
        self.dialog.setRange(0, max(total, 1))
        self.dialog.setValue(0)
        self._show_next(0, total, first)

    @Slot(int, int, str)
    def _on_thread_progressed(self, done: int, total: int, upcoming: str) -> None:
        if self.dialog.cancel_button.isEnabled():
            self._show_next(done, total, upcoming)
        self.progressed.emit(done, total, upcoming)
        # Last: a modal dialog's setValue processes events, which may deliver the
        # next progress report before this call returns.
        self.dialog.setValue(done)

    def _show_next(self, done: int, total: int, upcoming: str) -> None:
        if done < total:
            self.dialog.show_text(f"Importing {done + 1} of {total}: {upcoming}")

    @Slot(object)
    def _on_thread_completed(self, report: ImportReport) -> None:
        self.report = report
        self._loop.quit()

    @Slot(str)
    def _on_thread_failed(self, message: str) -> None:
        self.error = message
        self._loop.quit()


def import_with_progress(parent: QWidget | None, session: OpenProject, paths: list[Path]) -> ImportReport | None:
    """Import `paths` (files or folders) with a progress dialog, then show a summary.

    Returns the report, or None when a project error stopped the import (shown
    to the user). Views hear about new documents through `session.notify`.
    """
    marker = session.project.id_marker()
    run = ImportRun(parent, session.project, paths)
    report = run.exec()
    session.record(f"Import {len(paths)} path(s)", session.project.added_since(marker))  # undoable
    place_new(session)  # a project with events: new articles join theirs (one more undo step)
    if report is None:
        _show_error(parent, run.error or "The import stopped.")
        return None
    _show_report(parent, report, run.total)
    return report


# ---- the summary ---------------------------------------------------------
def summary_lines(report: ImportReport, total: int) -> list[str]:
    """A few plain sentences: what was added, what was skipped, what was refused."""
    counts = report.counts
    added = counts["added"]
    lines = [f"Added {_count(added, 'document')} from {_count(counts['imported'], 'file')}."]
    if report.cancelled:
        lines.insert(0, f"Cancelled after {len(report.files)} of {_count(total, 'file')}; the rest were not imported.")
    if counts["duplicates"]:
        lines.append(f"Skipped {_count(counts['duplicates'], 'duplicate')} (text already in the project).")
    if counts["refused"]:
        lines.append(f"Refused {_count(counts['refused'], 'file')}; see below.")
    if total == 0:
        lines = ["No files were found to import."]
    return lines


def detail_lines(report: ImportReport) -> list[str]:
    """Each file that was refused or skipped: its path, then why, indented."""
    return [f"{item.path}\n    {item.status}: {item.reason}" for item in report.files if item.status != "imported"]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class ImportReportDialog(QDialog):
    """The import summary as plain text, with refused and skipped files listed."""

    def __init__(self, report: ImportReport, total: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import cancelled" if report.cancelled else "Import finished")
        self.summary = QLabel("\n".join(summary_lines(report, total)))
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit("\n".join(detail_lines(report)))
        self.details.setReadOnly(True)
        self.details.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        has_details = bool(self.details.toPlainText())
        self.details.setVisible(has_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(560, 320 if has_details else 120)


def _show_report(parent: QWidget | None, report: ImportReport, total: int) -> None:
    ImportReportDialog(report, total, parent).exec()


def _show_error(parent: QWidget | None, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "Import", message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
