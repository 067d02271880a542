"""Import spans and links from a file or a folder (File ▸ Import annotations, Import annotation folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.dialogs import export_dialog
from ui.dialogs.messages import show_error
from ui.open_project import Session


def import_annotations_file(parent: QWidget, session: Session) -> None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        "Import annotations",
        "",
        "Annotations (*.jsonl *.json *.conll *.iob *.txt *.tsv *.xmi *.zip);;All files (*)",
    )
    if name:
        import_annotations(parent, session, Path(name))


def import_brat_folder(parent: QWidget, session: Session) -> None:
    folder = QFileDialog.getExistingDirectory(parent, "Import an annotation folder")
    if folder:  # the format is guessed from the folder's files: brat, XMI, TSV3 or Hugging Face
        import_annotations(parent, session, Path(folder))


def import_annotations(parent: QWidget, session: Session, path: Path, fmt: str | None = None) -> None:
    """Import spans and links from a file; one transaction, refused whole on a bad offset."""
    from app.formats.readers import import_annotations as read_into

    marker = session.project.id_marker()
    report, error = export_dialog.run_with_progress(
        parent,
        "Importing annotations…",
        lambda _progress: read_into(session.project, path, fmt, session.annotator if fmt == "doccano" else None),
    )
    if error:
        show_error(parent, error)
        return
    session.record(f"Import annotations from {path.name}", session.project.added_since(marker))
    export_dialog._message(
        parent,
        QMessageBox.Icon.Information,
        f"{path.name}: {report.spans_added} spans and {report.links_added} links added"
        f" ({report.spans_skipped} already there), {report.documents_added} new documents."
        + "".join(f"\n• {w}" for w in report.warnings[:20]),
    )
