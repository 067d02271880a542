"""Review sessions: the list (progress, resume, report, delete), the dialog that
starts one with its scope, and the evidence picker.

Dialogs open with `open()` (window-modal, no nested event loop) and report
through signals, so the main window and tests drive them the same way.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import ParallaxError
from app.models import LinkKind
from app.review import sessions as review
from app.review.report import when
from app.review.sessions import Scope
from app.storage.changes import Changes
from app.storage.project import Project
from ui.open_project import OpenProject
from ui.placement import place_over_owner
from ui.plain import tooltip
from ui.review.evidence_dialog import EvidenceDialog
from ui.review.review_window import ReviewWindow
from ui.review.support import ask_report_path, close_with_owner, save_report, show_error

__all__ = ["EvidenceDialog", "NewReviewDialog", "ReviewSessionsDialog", "open_review"]

COLUMNS = ("Session", "Reviewer", "Progress", "Status", "Started", "Scope")
_open_windows: dict[tuple[int, int], ReviewWindow] = {}  # (id of the OpenProject, review session id)


def open_review(session: OpenProject, review_session_id: int, parent: QWidget | None = None) -> ReviewWindow:
    """Show the review window of a session, raising it if it is already open."""
    key = (id(session), review_session_id)
    window = _open_windows.get(key)
    if window is None:
        window = ReviewWindow(session, review_session_id, parent)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _=None: _open_windows.pop(key, None))
        _open_windows[key] = window
        place_over_owner(window)
    window.show()
    if QGuiApplication.platformName() != "offscreen":  # which has no stacking, and says so
        window.raise_()
    window.activateWindow()
    return window


class NewReviewDialog(QDialog):
    """Name, reviewer and scope of a new session."""

    def __init__(self, project: Project, reviewer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New review session")
        self.resize(680, 480)
        self.name = QLineEdit(f"Review {len(review.sessions(project)) + 1}")
        self.reviewer = QLineEdit(reviewer)
        self.kinds = {kind: QCheckBox(kind.value.replace("_", " ")) for kind in LinkKind}
        self.kinds[LinkKind.CONTRADICTS].setChecked(True)
        kinds = QHBoxLayout()
        for box in self.kinds.values():
            kinds.addWidget(box)
            box.toggled.connect(self._update_ok)
        self.only_undecided = QCheckBox("Only links no other session has judged")
        self.documents = QListWidget()
        for doc in project.documents():
            item = QListWidgetItem(" · ".join(x for x in (doc.title or f"document {doc.id}", doc.source) if x))
            item.setToolTip(tooltip(doc.title))
            item.setData(Qt.ItemDataRole.UserRole, doc.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.documents.addItem(item)
        self.within = QCheckBox("Both statements in the checked documents (else: either)")
        self.label = QComboBox()
        self.label.addItem("Any label", None)
        for label in project.labels():
            self.label.addItem(label.name, label.name)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Reviewer", self.reviewer)
        form.addRow("Link kinds", kinds)
        form.addRow("", self.only_undecided)
        form.addRow("Documents\n(none checked: all)", self.documents)
        form.addRow("", self.within)
        form.addRow("Statement label", self.label)
        self.count = QLabel()
        form.addRow("", self.count)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for line in (self.name, self.reviewer):
            line.textChanged.connect(self._update_ok)
        self.project = project
        self.documents.itemChanged.connect(self._update_ok)
        for box in (self.only_undecided, self.within):
            box.toggled.connect(self._update_ok)
        self.label.currentIndexChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        """Start needs a name, a reviewer and at least one dispute in scope (an empty session is refused)."""
        scope = self.scope()
        found = review.count_in_scope(self.project, scope) if scope.kinds else 0
        self.count.setText(f"{found} disputes in this scope" if found else "No links in this scope: nothing to review")
        ready = bool(self.name.text().strip() and self.reviewer.text().strip() and found)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def scope(self) -> Scope:
        items = [self.documents.item(row) for row in range(self.documents.count())]
        chosen = tuple(int(i.data(Qt.ItemDataRole.UserRole)) for i in items if i.checkState() == Qt.CheckState.Checked)
        return Scope(
            kinds=tuple(k for k, box in self.kinds.items() if box.isChecked()),
            only_undecided=self.only_undecided.isChecked(),
            document_ids=chosen or None,
            within=bool(chosen) and self.within.isChecked(),
            label=self.label.currentData(),
        )


class ReviewSessionsDialog(QDialog):
    """Every review session with its progress; New…, Resume, Report…, Delete."""

    window_opened = Signal(object)  # the ReviewWindow
    report_written = Signal(str)

    def __init__(self, session: OpenProject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.project = session, session.project
        self.setWindowTitle("Review sessions")
        self.resize(860, 360)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.resume())
        buttons = QHBoxLayout()
        for text, slot in (
            ("New…", self.new_session),
            ("Resume", self.resume),
            ("Report…", self.export_report),
            ("Delete", self.delete),
        ):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, s=slot: s())
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        session.operation_did_execute.connect(self._on_operation)
        self.reload()
        close_with_owner(self)

    def _on_operation(self, changes: Changes, _initiator: object) -> None:
        if changes.reviews:
            self.reload()

    def reload(self) -> None:
        chosen = self.selected_id()
        found = review.sessions(self.project)
        self.table.setRowCount(len(found))
        for row, item in enumerate(found):
            done, total = review.progress(self.project, item)
            status = f"paused {when(item.closed_at)}" if item.closed_at else "open"
            values = (
                item.name,
                item.reviewer,
                f"{done} of {total}",
                status,
                when(item.created_at),
                review.describe_scope(self.project, item.scope),
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, item.id)
                cell.setToolTip(tooltip(value))
                self.table.setItem(row, column, cell)
            if item.id == chosen:
                self.table.selectRow(row)
        if self.selected_id() is None and found:
            self.table.selectRow(len(found) - 1)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return int(rows[0].data(Qt.ItemDataRole.UserRole)) if rows else None

    def new_session(self) -> NewReviewDialog:
        self.new_dialog = NewReviewDialog(self.project, self.session.annotator, self)
        self.new_dialog.accepted.connect(self._on_new_accepted)
        self.new_dialog.open()
        return self.new_dialog

    def _on_new_accepted(self) -> None:
        dialog = self.new_dialog
        try:
            created = self.session.run(
                f"Start review session {dialog.name.text().strip()}",
                lambda: review.start_session(self.project, dialog.name.text(), dialog.reviewer.text(), dialog.scope()),
            )
        except ParallaxError as exc:
            self.show_error(str(exc))
            return
        self.reload()
        self.open_window(created.id)

    def open_window(self, review_session_id: int) -> ReviewWindow:
        window = open_review(self.session, review_session_id, self.parentWidget())
        self.window_opened.emit(window)
        return window

    def resume(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self.open_window(chosen)

    def delete(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            name = review.session(self.project, chosen).name
            self.session.run(f"Delete review session {name}", lambda: review.delete_session(self.project, chosen))

    def ask_report_path(self, name: str) -> Path | None:
        return ask_report_path(self, name)

    def export_report(self) -> None:
        chosen = self.selected_id()
        target = self.ask_report_path(review.session(self.project, chosen).name) if chosen is not None else None
        written = save_report(self, self.project, chosen, target) if chosen is not None and target else None
        if written is not None:
            self.report_written.emit(str(written))

    def show_error(self, text: str) -> None:
        show_error(self, text)


def show_reviews(session: OpenProject, parent: QWidget | None = None) -> ReviewSessionsDialog:
    """Open the review sessions list (non-modal); the main window's Review menu calls this."""
    dialog = ReviewSessionsDialog(session, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
