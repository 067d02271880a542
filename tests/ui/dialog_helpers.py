"""Small helpers shared by the dialog tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

SHOTS = Path("/tmp/shots")


def double_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    """A real double click: Qt 6's QTest.mouseDClick sends only the second press."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def screenshot(widget: QWidget, name: str) -> Path:
    """Save a picture of `widget` under /tmp/shots for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / f"{name}.png"
    widget.grab().save(str(target))
    return target
