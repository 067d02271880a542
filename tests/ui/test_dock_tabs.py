"""The main window's dock tabs: one bar per tab group, none stray under the status bar."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDockWidget, QTabBar

from app.storage.project import Project
from tests.ui.dialog_helpers import shown_window
from ui.dock_tabs import window_tab_bars
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, project_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    # at its own default size (1400 × 860), where the stray bar lay over the status bar
    main = shown_window(qtbot, Project.open(project_path), tmp_path / "settings.json", size=None)
    yield main
    main.close()


def shown_groups(window: MainWindow) -> list[tuple[str, ...]]:
    bars: list[QTabBar] = [bar for bar in window_tab_bars(window) if bar.isVisible()]
    status = window.statusBar().geometry()
    assert not [bar for bar in bars if bar.geometry().intersects(status)]
    return sorted(tuple(bar.tabText(i) for i in range(bar.count())) for bar in bars)


def test_one_tab_bar_per_dock_group(window: MainWindow, tmp_path: Path) -> None:
    window.grab().save(str(tmp_path / "docks.png"))
    assert shown_groups(window) == [("Documents", "Events"), ("Links", "Suggestions", "Assist")]


def test_docks_still_move_between_groups(qtbot, window: MainWindow) -> None:
    docks = {dock.windowTitle(): dock for dock in window.findChildren(QDockWidget)}
    assert docks["Suggestions"].features() & QDockWidget.DockWidgetFeature.DockWidgetMovable
    window.tabifyDockWidget(docks["Documents"], docks["Suggestions"])  # what dropping it on the tabs does
    moved = [("Documents", "Events", "Suggestions"), ("Links", "Assist")]
    qtbot.waitUntil(lambda: shown_groups(window) == moved)
