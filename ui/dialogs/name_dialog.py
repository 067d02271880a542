"""The guard both annotator dialogs share: OK only for a name that is not blank."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QPushButton, QWidget

MAX_NAME_LENGTH = 100


class NameDialog(QDialog):
    """OK and Cancel buttons (`buttons`, laid out by the subclass) for a dialog asking for a name:
    OK is disabled while the name is blank, and a blank name is never accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def name(self) -> str:
        """The name typed, trimmed; subclasses say where it is typed (`typed`)."""
        return self.typed().strip()

    def typed(self) -> str:
        raise NotImplementedError

    def watch(self, line: QLineEdit) -> None:
        """Keep OK enabled only while `line` (where the name is typed) holds a name."""
        line.setMaxLength(MAX_NAME_LENGTH)
        line.textChanged.connect(self._on_name_changed)
        self._on_name_changed(line.text())

    def _on_name_changed(self, _text: str) -> None:
        self.ok_button.setEnabled(bool(self.name()))

    def accept(self) -> None:
        if self.name():  # never accept a blank name, whoever calls accept()
            super().accept()
