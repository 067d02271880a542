"""How a selection looks: solid and dark with white text, so it can never read as a label.

Labels are drawn as pale tints (entities) or thin underlines (claims); the
selection is an opaque fill in whichever of a few dark colours lies farthest
from every label colour of the project, so even a user's own dark label
cannot be confused with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QPalette, QTextCharFormat
from PySide6.QtWidgets import QWidget

CANDIDATES = ("#1B1B1B", "#3A0CA3", "#5C3C00")  # near-black, deep indigo, dark brown
TEXT = QColor("#FFFFFF")
FLASH = QColor(255, 215, 0, 120)  # a jump's brief mark: translucent gold


def distance(a: QColor, b: QColor) -> float:
    """A plain RGB distance, weighted as the eye weighs the channels ("redmean")."""
    mean = (a.red() + b.red()) / 2
    dr, dg, db = a.red() - b.red(), a.green() - b.green(), a.blue() - b.blue()
    return float(((2 + mean / 256) * dr * dr + 4 * dg * dg + (2 + (255 - mean) / 256) * db * db) ** 0.5)


def farthest(candidates: Iterable[str], label_colors: Iterable[str]) -> QColor:
    """Of the candidates, the colour farthest from every label colour (the nearest one counts)."""
    colors = [QColor(c) for c in label_colors]
    return max(
        (QColor(c) for c in candidates),
        key=lambda candidate: min((distance(candidate, c) for c in colors), default=0.0),
    )


def selection_color(label_colors: Iterable[str]) -> QColor:
    return farthest(CANDIDATES, label_colors)


def apply_selection_look(widget: QWidget, label_colors: Iterable[str]) -> QColor:
    """Give the widget's own text selection the same look; returns the colour."""
    color = selection_color(label_colors)
    palette = widget.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, color)
        palette.setColor(group, QPalette.ColorRole.HighlightedText, TEXT)
    widget.setPalette(palette)
    return color


def picked_format(color: QColor, picked: bool) -> QTextCharFormat:
    """A span's mark over the text: a picked one opaque with white text (it never reads as a label's tint)."""
    fmt = QTextCharFormat()
    fmt.setBackground(color)
    if picked:
        fmt.setForeground(TEXT)
    return fmt
