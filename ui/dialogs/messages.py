"""Errors shown in the window, never only on the terminal."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import ParallaxError


def show_error(parent: QWidget | None, text: str) -> QMessageBox:
    """A warning box, plain text (messages quote imported names), not blocking the caller."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Parallax", text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def run_guarded(parent: QWidget, text: str, slot: Callable[[], object]) -> None:
    """Run a menu action; its errors go to a box in the window, not only to the terminal."""
    try:
        slot()
    except (ParallaxError, OSError) as exc:
        show_error(parent, f"{text.split(chr(9))[0].replace('&', '').rstrip('…')}: {exc}")
