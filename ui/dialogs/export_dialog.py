"""File ▸ Export: choose a format, a destination and what to include; the
export runs off the GUI thread behind a progress dialog and writes atomically
(a temporary file replaced at the end), so a failure never leaves half a file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from app.errors import ParallaxError
from app.formats.dataset import ExportReport, Selection
from app.formats.writers import FORMATS, export
from app.models import GOLD
from app.storage.project import Project


class Worker(QThread):
    """Runs one long call; reports progress and the result through queued signals."""

    progressed = Signal(int, int)
    finished_with = Signal(object, str)  # result, error message ("" when fine)

    def __init__(self, job: Callable[[Callable[[int, int], None]], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job = job

    def run(self) -> None:
        try:
            result = self._job(self.progressed.emit)
        except ParallaxError as exc:
            self.finished_with.emit(None, str(exc))
        except Exception as exc:  # the GUI must never wait forever on a dead worker
            self.finished_with.emit(None, f"{type(exc).__name__}: {exc}")
        else:
            self.finished_with.emit(result, "")


def run_with_progress(parent: QWidget, title: str, job: Callable[[Callable[[int, int], None]], Any]) -> tuple[Any, str]:
    """Run `job(progress)` on a worker thread behind a modal progress dialog."""
    dialog = QProgressDialog(title, "", 0, 0, parent)
    dialog.setCancelButton(None)  # exports are short and atomic: nothing to cancel
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    worker, loop = Worker(job, parent), QEventLoop()
    outcome: dict[str, Any] = {"result": None, "error": ""}

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def on_finished(result: Any, error: str) -> None:
        outcome.update(result=result, error=error)
        loop.quit()

    worker.progressed.connect(on_progress)
    worker.finished_with.connect(on_finished)
    worker.start()
    loop.exec()
    worker.wait()
    dialog.close()
    return outcome["result"], str(outcome["error"])


def _checklist(items: list[tuple[str, object]]) -> QListWidget:
    widget = QListWidget()
    for text, key in items:
        item = QListWidgetItem(text)  # list items show plain text
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setCheckState(Qt.CheckState.Checked)
        widget.addItem(item)
    widget.setMaximumHeight(130)
    return widget


def _checked(widget: QListWidget) -> frozenset[Any] | None:
    """The checked keys, or None when all are checked (exports then include new items too)."""
    items = [widget.item(i) for i in range(widget.count())]
    keys = [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]
    return None if len(keys) == len(items) else frozenset(keys)


class ExportDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("Export")
        self.format = QComboBox()
        for name, fmt in FORMATS.items():
            self.format.addItem(fmt.title, name)
        self.output = QLineEdit(str(project.path.with_name(project.path.stem + "-export.jsonl")))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._on_browse_clicked)
        self.format.currentIndexChanged.connect(self._on_format_changed)
        row = QHBoxLayout()
        row.addWidget(self.output, 1)
        row.addWidget(browse)
        self.documents = _checklist([(d.title or f"document {d.id}", d.id) for d in project.documents()])
        self.labels = _checklist([(x.name, x.name) for x in project.labels()])
        self.annotators = _checklist([(a.name, a.name) for a in project.annotators()])
        self.gold = QCheckBox("Adjudicated gold layer only")
        self.gold.setToolTip("Only the spans and links accepted in curation (the annotator 'gold')")
        self.gold.toggled.connect(self.annotators.setDisabled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("Save to", row)
        form.addRow("Documents", self.documents)
        form.addRow("Labels", self.labels)
        form.addRow("Annotators", self.annotators)
        form.addRow("", self.gold)
        form.addRow(buttons)
        self.resize(560, 560)

    def format_name(self) -> str:
        return str(self.format.currentData())

    def selection(self) -> Selection:
        annotators = frozenset({GOLD}) if self.gold.isChecked() else _checked(self.annotators)
        return Selection(documents=_checked(self.documents), labels=_checked(self.labels), annotators=annotators)

    def _on_format_changed(self) -> None:
        suffix = FORMATS[self.format_name()].suffix
        current = Path(self.output.text())
        stem = current.name.split(".")[0] if current.name else "export"
        self.output.setText(str(current.with_name(stem + suffix)))

    def _on_browse_clicked(self) -> None:
        if FORMATS[self.format_name()].suffix:
            name, _ = QFileDialog.getSaveFileName(self, "Export to", self.output.text())
        else:
            name = QFileDialog.getExistingDirectory(self, "Export into folder", self.output.text())
        if name:
            self.output.setText(name)

    def run(self) -> ExportReport | None:
        """Export as chosen; show the result or the error. Returns the report."""
        out, name, selection = Path(self.output.text()), self.format_name(), self.selection()
        report, error = run_with_progress(
            self.parentWidget() or self,
            "Exporting…",
            lambda progress: export(self.project, name, out, selection, progress),
        )
        if error:
            _message(self, QMessageBox.Icon.Warning, f"Export failed: {error}")
            return None
        lines = [
            f"Wrote {report.path}",
            f"{report.documents} documents, {report.spans} spans, {report.links} links",
        ] + [f"• {w}" for w in report.warnings[:20]]
        _message(self, QMessageBox.Icon.Information, "\n".join(lines))
        return report  # type: ignore[no-any-return]


def _message(parent: QWidget, icon: QMessageBox.Icon, text: str) -> None:
    box = QMessageBox(icon, "Parallax", text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
