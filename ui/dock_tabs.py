"""Tabbing dock widgets together without the stray tab bar Qt 6 leaves behind.

When a second dock area gets a tab group before the window is shown,
`QMainWindowLayout::getTabBar` first recounts the bars in use, which makes a
bar for the group being built, and then makes another one for it: the first
is never used again but, made before the window was shown, shows with it, a
dead copy of the group's tabs at the window's bottom edge (over the status
bar at the default size). Only bars made by one `tabify` call are touched: the
last is the group's, any made before it are those dead copies, hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar


def window_tab_bars(window: QMainWindow) -> list[QTabBar]:
    """The tab bars of the window's dock groups (its own children, in the order made)."""
    return window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)


def tabify(window: QMainWindow, first: QDockWidget, *others: QDockWidget) -> None:
    """Put `others` in tabs behind `first`, hiding any bar Qt made and left unused on the way."""
    before = {id(bar) for bar in window_tab_bars(window)}
    for dock in others:
        window.tabifyDockWidget(first, dock)
    made = [bar for bar in window_tab_bars(window) if id(bar) not in before]
    for dead in made[:-1]:
        dead.hide()
