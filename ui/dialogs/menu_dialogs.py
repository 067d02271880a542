"""Dialogs the main window's menus open, as functions of (parent, open project)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ui.open_project import OpenProject
from ui.settings import UserSettings

ARTICLE_FILTER = "Articles (*.txt *.md *.html *.htm *.jsonl *.warc *.warc.gz);;All files (*)"


def edit_labels(parent: QWidget, session: OpenProject) -> None:
    from ui.dialogs.label_editor import LabelEditorDialog

    LabelEditorDialog(session, parent).exec()


def change_annotator(parent: QWidget, session: OpenProject, settings: UserSettings) -> bool:
    """Ask for a name; True when the annotator changed."""
    from ui.dialogs.annotator_prompt import AnnotatorDialog

    dialog = AnnotatorDialog(parent, session.annotator)
    if dialog.exec() and dialog.name():
        settings.annotator = dialog.name()
        session.set_annotator(dialog.name())
        return True
    return False


def show_shortcuts(parent: QWidget) -> None:
    from ui.dialogs.shortcuts_sheet import ShortcutsDialog

    ShortcutsDialog(parent=parent).exec()


def export_dataset(parent: QWidget, session: OpenProject) -> None:
    from ui.dialogs.export_dialog import ExportDialog

    dialog = ExportDialog(session.project, parent)
    if dialog.exec():
        dialog.run()


def import_paths(parent: QWidget, session: OpenProject, paths: list[Path]) -> None:
    if paths:
        from ui.dialogs.import_worker import import_with_progress

        import_with_progress(parent, session, paths)


def import_files(parent: QWidget, session: OpenProject) -> None:
    names, _ = QFileDialog.getOpenFileNames(parent, "Import articles", "", ARTICLE_FILTER)
    import_paths(parent, session, [Path(n) for n in names])


def import_folder(parent: QWidget, session: OpenProject) -> None:
    folder = QFileDialog.getExistingDirectory(parent, "Import a folder of articles")
    if folder:
        import_paths(parent, session, [Path(folder)])


def import_annotations(parent: QWidget, session: OpenProject, folder: bool = False) -> None:
    """File ▸ Import annotations (a file) or Import annotation folder; every format's reader loads then."""
    from ui.dialogs.annotation_import import import_annotations_file, import_brat_folder

    (import_brat_folder if folder else import_annotations_file)(parent, session)
