"""Whose are a token file's spans? Asked before importing a file that names no annotator.

CoNLL-2003, CoNLL-U and Hugging Face files (and Prodigy lines without `_annotator_id`)
say nothing about who tagged them; the CLI takes `--annotator`, the window this field.
Keeping the suggested name ("kim (CoNLL-2003)") keeps the import's rule that a span
already in the project, whoever tagged it, is recognised rather than added again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QWidget

from app.formats.import_report import shown
from app.formats.tokens import Unnamed
from ui.dialogs.name_dialog import NameDialog

# How the window's summary says where the name came from (the CLI says "--annotator").
NAMING = "the name in the import's Annotator field; type another there to credit them to someone"


class ImportAnnotatorDialog(NameDialog):
    """One editable field, the suggested name first, then the project's annotators."""

    def __init__(self, parent: QWidget | None, path: Path, unnamed: Unnamed, known: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Whose are these spans?")
        self.unnamed = unnamed
        which = "Some lines of" if unnamed.partly else "The file"
        self.about = about = QLabel(
            f"{which} {shown(path.name)} ({unnamed.title}) {'name' if unnamed.partly else 'names'} no annotator.\n\n"
            f"Keep {unnamed.name!r} and spans already in the project, whoever tagged them, are"
            " recognised, not added again. Another name imports every span of the file as that"
            " annotator's own layer" + (" (lines that name their annotator included)." if unnamed.partly else ".")
        )
        about.setTextFormat(Qt.TextFormat.PlainText)
        about.setWordWrap(True)
        self.field = QComboBox()
        self.field.setEditable(True)
        self.field.addItems(list(dict.fromkeys([unnamed.name, *known])))
        self.field.setCurrentIndex(0)
        line = self.field.lineEdit()
        assert line is not None  # an editable combo box has one
        self.ok_button.setText("Import")
        form = QFormLayout(self)
        form.addRow(about)
        form.addRow("&Annotator:", self.field)
        form.addRow(self.buttons)
        self.watch(line)
        self.setMinimumWidth(480)

    def typed(self) -> str:
        return self.field.currentText()

    def chosen(self) -> str | None:
        """The annotator to import as: None for the suggested name (the import's own rule)."""
        return None if self.name() == self.unnamed.name else self.name()


def ask_import_annotator(parent: QWidget, path: Path, unnamed: Unnamed, known: list[str]) -> tuple[bool, str | None]:
    """(go ahead, annotator to pass the import); (False, None) when the user cancels."""
    dialog = ImportAnnotatorDialog(parent, path, unnamed, known)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False, None
    return True, dialog.chosen()
