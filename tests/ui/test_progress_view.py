"""The team progress dialog: assignments made from it (undoable), marks from the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.models import NewDocument
from app.storage.project import Project
from ui.open_project import OpenProject
from ui.team.progress_view import ProgressDialog

pytestmark = pytest.mark.gui


def test_assign_and_see_progress(
    qtbot: QtBot, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _second = project.add_documents(
        [NewDocument(text="Ottawa approved.", title="Permits", source="Globe"), NewDocument(text="Turkey denied.")]
    ).value.added
    project.add_span(first, 0, 6, "LOCATION", "ana")
    session = OpenProject(project, "lead")
    dialog = ProgressDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.documents.item(0, 0).text() == "Permits · Globe"
    dialog.documents.selectRow(0)
    monkeypatch.setattr(dialog, "ask_names", lambda: "ana, ben")
    dialog.assign_selected()
    assert dialog.documents.item(0, 1).text() == "ana, ben"
    people = {dialog.people.item(r, 0).text(): dialog.people.item(r, 1).text() for r in range(dialog.people.rowCount())}
    assert people == {"ana": "1", "ben": "1"}
    dialog.grab().save(str(tmp_path / "progress.png"))
    session.undo_stack.undo()
    assert dialog.documents.item(0, 1).text() == ""
    session.undo_stack.clear()
