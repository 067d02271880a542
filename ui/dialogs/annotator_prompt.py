"""Ask once for the annotator's name; it is kept in the user settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.settings import UserSettings

QUESTION = "Your name (recorded on every span and link you make)"
MAX_NAME_LENGTH = 100


class AnnotatorDialog(QDialog):
    """One line edit for a name; OK stays disabled while it is blank."""

    def __init__(self, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        question = QLabel(QUESTION)
        question.setTextFormat(Qt.TextFormat.PlainText)
        question.setWordWrap(True)
        self.name_edit = QLineEdit(name)
        self.name_edit.setMaxLength(MAX_NAME_LENGTH)
        self.name_edit.setPlaceholderText("e.g. Ada Lovelace")
        question.setBuddy(self.name_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._on_name_edit_text_changed)
        self._on_name_edit_text_changed(self.name_edit.text())
        self.setMinimumWidth(420)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def name(self) -> str:
        return self.name_edit.text().strip()

    def _on_name_edit_text_changed(self, _text: str) -> None:
        self.ok_button.setEnabled(bool(self.name()))

    def accept(self) -> None:
        if self.name():  # never accept a blank name, whoever calls accept()
            super().accept()


def ask_annotator_name(parent: QWidget | None, settings: UserSettings) -> str | None:
    """The saved annotator name, or ask for one and save it; None if the user cancels."""
    if settings.annotator.strip():
        return settings.annotator.strip()
    dialog = AnnotatorDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    settings.annotator = dialog.name()
    return dialog.name()
