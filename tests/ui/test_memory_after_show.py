"""What the main window lets go of once it is up."""

from __future__ import annotations

import gc
import linecache
from pathlib import Path

import pytest

import ui.workspace.proposals as a_module
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings

pytestmark = pytest.mark.gui


def test_module_sources_read_at_import_are_let_go_after_the_first_paint(
    qtbot, project_path: Path, tmp_path: Path
) -> None:
    source = a_module.__file__
    assert source is not None
    linecache.getlines(source)  # as PySide6's import hook leaves every module imported after it
    assert source in linecache.cache
    main = MainWindow(OpenProject(Project.open(project_path), "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: source not in linecache.cache)
    main.close()


def test_start_up_objects_are_frozen_after_the_first_paint_and_thawed_at_close(
    qtbot, project_path: Path, tmp_path: Path
) -> None:
    gc.unfreeze()
    main = MainWindow(OpenProject(Project.open(project_path), "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    assert gc.get_freeze_count() == 0  # nothing before the window is painted
    main.show()
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)  # full collections now skip them
    main.close()
    assert gc.get_freeze_count() == 0  # a closed window's cycles are collected again
