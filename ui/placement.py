"""Windows sized and placed within the screen's free area: left to the window manager, a
window larger than the screen opens partly off it (the main window's 1,400 x 860 px on a
1,280 x 800 or 1,366 x 768 laptop hid the Labels dock and the status bar)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

TITLE_BAR = 40  # room kept for the window manager's frame, which a widget's size leaves out


def place_over_owner(window: QWidget) -> None:
    """Centre a new review window on the window that owns it, within that screen's free area
    (left to the window manager, a 780 px tall window could open partly below the screen's edge)."""
    owner = window.parentWidget()
    screen = fit_on_screen(window, owner)
    frame = QRect(window.rect())
    frame.moveCenter(owner.window().frameGeometry().center() if owner is not None else screen.center())
    left = max(screen.left(), min(frame.left(), screen.right() + 1 - frame.width()))
    top = max(screen.top(), min(frame.top(), screen.bottom() + 1 - TITLE_BAR - frame.height()))
    window.move(left, top)


def fit_on_screen(window: QWidget, on: QWidget | None = None) -> QRect:
    """Shrink a top-level window to the free area of its screen (or of `on`'s) if it is larger,
    its frame included; returns that area."""
    screen = (on or window).screen().availableGeometry()
    window.resize(min(window.width(), screen.width()), min(window.height(), screen.height() - TITLE_BAR))
    return screen
