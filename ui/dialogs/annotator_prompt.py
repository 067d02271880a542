"""Ask once for the annotator's name; it is kept in the user settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.dialogs.name_dialog import NameDialog
from ui.settings import UserSettings

QUESTION = "Your name (recorded on every span and link you make)"


class AnnotatorDialog(NameDialog):
    """One line edit for a name; OK stays disabled while it is blank."""

    def __init__(self, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        question = QLabel(QUESTION)
        question.setTextFormat(Qt.TextFormat.PlainText)
        question.setWordWrap(True)
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText("e.g. Ada Lovelace")
        question.setBuddy(self.name_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.buttons)
        self.watch(self.name_edit)
        self.setMinimumWidth(420)

    def typed(self) -> str:
        return self.name_edit.text()


def ask_annotator_name(parent: QWidget | None, settings: UserSettings) -> str | None:
    """The saved annotator name, or ask for one and save it; None if the user cancels."""
    if settings.annotator.strip():
        return settings.annotator.strip()
    dialog = AnnotatorDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    settings.annotator = dialog.name()
    return dialog.name()
