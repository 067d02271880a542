"""The label palette: one button per label, with its colour and hotkey."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from app.models import Label, LabelKind
from ui.plain import tooltip


def swatch(color: str, kind: LabelKind, size: int = 14) -> QIcon:
    """A filled square for entities, an underline bar for claims (as drawn in the text)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    if kind == LabelKind.ENTITY:
        painter.fillRect(1, 1, size - 2, size - 2, QColor(color))
    else:
        painter.fillRect(0, size - 4, size, 3, QColor(color))
    painter.end()
    return QIcon(pixmap)


class LabelPalette(QWidget):
    label_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.setSpacing(2)
        self.buttons: dict[int, QPushButton] = {}

    def set_labels(self, labels: list[Label]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        for label in labels:
            key = f"{label.hotkey}  " if label.hotkey else "    "
            button = QPushButton(swatch(label.color, label.kind), f"{key}{label.name}")
            button.setToolTip(
                tooltip(f"{label.name}: {label.kind.value} label" + (f", key {label.hotkey}" if label.hotkey else ""))
            )
            button.setStyleSheet("text-align: left; padding: 3px 6px;")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the text selection focused
            button.clicked.connect(lambda _=False, lid=label.id: self.label_chosen.emit(lid))
            self._layout.addWidget(button)
            self.buttons[label.id] = button
        self._layout.addStretch(1)
