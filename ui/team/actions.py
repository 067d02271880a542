"""Team work started from the main window's menus: merge projects, agreement, curation, progress.

Functions of (parent window, open project): the main window only wires them to menu entries.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.dialogs.messages import show_error
from ui.open_project import OpenProject


def merge_projects(parent: QWidget, session: OpenProject) -> None:
    names, _ = QFileDialog.getOpenFileNames(
        parent, "Merge annotators' projects into this one", "", "Parallax projects (*.parallax)"
    )
    if names:
        merge_paths(parent, session, [Path(n) for n in names])


def merge_paths(parent: QWidget, session: OpenProject, paths: list[Path]) -> None:
    """Merge other project files into this one, as one undoable step."""
    from app.team.merge import format_merge, merge_undoable
    from ui.dialogs import export_dialog  # here: every format's writer loads with it

    outcome, error = export_dialog.run_with_progress(
        parent, "Merging…", lambda _p: merge_undoable(session.project, paths)
    )
    if error:
        show_error(parent, error)
        return
    report = outcome.value
    session.record(f"Merge {len(paths)} project(s)", outcome)
    icon = QMessageBox.Icon.Warning if report.refused else QMessageBox.Icon.Information
    export_dialog._message(parent, icon, format_merge(report))


def show_agreement(parent: QWidget, session: OpenProject) -> None:
    from app.team.agreement import agreement
    from ui.dialogs import export_dialog
    from ui.team.agreement_view import AgreementDialog

    report, error = export_dialog.run_with_progress(
        parent, "Computing agreement…", lambda _progress: agreement(session.project)
    )
    if error:
        show_error(parent, error)
        return
    AgreementDialog(session.project, parent, report=report).exec()


def curate(parent: QWidget, session: OpenProject, document_id: int | None) -> None:
    """Open the curation window on this document (or the first one)."""
    from ui.team.curation_view import CurationWindow

    documents = session.project.documents()
    if not documents:
        show_error(parent, "Import some articles first.")
        return
    window = CurationWindow(session, document_id or documents[0].id, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()


def show_progress(parent: QWidget, session: OpenProject) -> None:
    from ui.team.progress_view import ProgressDialog

    ProgressDialog(session, parent).exec()


def mark_document(parent: QWidget, session: OpenProject, document_id: int | None, value: str) -> None:
    """The annotator marks a document finished or nothing-to-tag (undoable)."""
    from app.team.progress import mark

    if document_id is None:
        show_error(parent, "Open a document first.")
        return
    title = session.project.document(document_id).title
    session.run(f"Mark “{title}” {value}", lambda: mark(session.project, document_id, session.annotator, value), parent)
