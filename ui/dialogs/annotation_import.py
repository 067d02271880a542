"""Import spans and links from a file or a folder (File ▸ Import annotations, Import annotation folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.formats.doccano import Units
from ui.dialogs import export_dialog
from ui.dialogs.import_annotator import NAMING, ask_import_annotator
from ui.dialogs.messages import show_error
from ui.open_project import OpenProject


def import_annotations_file(parent: QWidget, session: OpenProject) -> None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        "Import annotations",
        "",
        "Annotations (*.jsonl *.json *.conll *.iob *.txt *.tsv *.xmi *.zip);;All files (*)",
    )
    if name:
        import_annotations(parent, session, Path(name))


def import_brat_folder(parent: QWidget, session: OpenProject) -> None:
    folder = QFileDialog.getExistingDirectory(parent, "Import an annotation folder")
    if folder:  # the format is guessed from the folder's files: brat, XMI, TSV3 or Hugging Face
        import_annotations(parent, session, Path(folder))


def import_annotations(
    parent: QWidget, session: OpenProject, path: Path, fmt: str | None = None, offsets: Units = "auto"
) -> None:
    """Import spans and links from a file; one transaction, refused whole on a bad offset.

    A token file that names no annotator asks whose its spans are first (the CLI's --annotator).
    """
    from app.formats.readers import import_annotations as read_into
    from app.formats.readers import prepare

    annotator = session.annotator if fmt == "doccano" else None
    prepared = prepare(path, fmt)  # a Prodigy file is read once, for the question and the import
    unnamed = prepared.unnamed
    if unnamed is not None:
        known = [session.annotator, *sorted(a.name for a in session.project.annotators())]
        go, annotator = ask_import_annotator(parent, path, unnamed, known)
        if not go:
            return
    marker = session.project.id_marker()
    report, error = export_dialog.run_with_progress(
        parent,
        "Importing annotations…",
        lambda _progress: read_into(session.project, path, fmt, annotator, offsets, prepared),
    )
    if error and offsets == "auto" and "--offsets" in error:  # a doccano file that only its maker can read
        chosen = ask_offsets(parent, path)
        if chosen is not None:
            import_annotations(parent, session, path, fmt, chosen)
        return
    if error:
        show_error(parent, error)
        return
    session.record(f"Import annotations from {path.name}", session.project.added_since(marker))
    export_dialog._message(
        parent,
        QMessageBox.Icon.Information,
        f"{path.name}: {report.spans_added} spans and {report.links_added} links added"
        f" ({report.spans_skipped} already there), {report.documents_added} new documents."
        + "".join(f"\n• {w}" for w in report.notes(NAMING)[:20]),
    )


def ask_offsets(parent: QWidget, path: Path) -> Units | None:
    """Ask what a doccano file's offsets count when both readings fit its texts."""
    box = QMessageBox(QMessageBox.Icon.Question, "What do the offsets count?", "", parent=parent)
    box.setText(
        f"{path.name} has texts with emoji or other characters beyond U+FFFF, and its span offsets"
        " fit them read either way. Which did the tool that wrote it count?"
    )
    units = box.addButton("UTF-16 code units (doccano's screen)", QMessageBox.ButtonRole.AcceptRole)
    points = box.addButton("Code points (Python tools)", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return "utf16" if clicked is units else "codepoints" if clicked is points else None
