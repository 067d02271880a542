"""Errors shown in the window, never only on the terminal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, text: str) -> QMessageBox:
    """A warning box, plain text (messages quote imported names), not blocking the caller."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Parallax", text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
