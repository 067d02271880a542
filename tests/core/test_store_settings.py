"""Project settings: set, clear, undo and redo, kept across reopening."""

from __future__ import annotations

from pathlib import Path

from app.storage.project import Project


def test_setting_round_trip_with_undo(project_path: Path) -> None:
    with Project.open(project_path) as project:
        assert project.get_setting("rejected") is None
        first = project.set_setting("rejected", '["a"]')
        second = project.set_setting("rejected", '["a", "b"]')
        assert project.get_setting("rejected") == '["a", "b"]'
        redo = project.apply(second.undo)
        assert project.get_setting("rejected") == '["a"]'
        project.apply(redo.undo)
        assert project.get_setting("rejected") == '["a", "b"]'
        project.apply(project.apply(second.undo).undo)
        project.apply(first.undo)
        project.apply(project.set_setting("rejected", '["c"]').undo)
        assert project.get_setting("rejected") is None
        project.set_setting("theme", "dark")
    with Project.open(project_path) as again:
        assert again.get_setting("theme") == "dark"
