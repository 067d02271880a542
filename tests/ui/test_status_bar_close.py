"""Deleting the open project's undo stack while the status bar listens (a window dropped
without closing, interpreter exit) prints no "QUndoStack already deleted" error."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QStatusBar

from app.models import NewDocument
from app.storage.project import Project
from ui.open_project import OpenProject
from ui.workspace.status_bar import StatusLine

pytestmark = pytest.mark.gui


def test_deleting_the_session_with_edits_on_the_stack_raises_nothing(
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = Project.create(tmp_path / "p.parallax")
    (doc_id,) = project.add_documents([NewDocument(text="Ottawa said so.", title="t")]).value.added
    label = project.labels()[0].id
    session = OpenProject(project, "Ana")
    bar = QStatusBar()
    qtbot.addWidget(bar)
    line = StatusLine(bar, session)
    session.run("Tag Ottawa", lambda: project.add_span(doc_id, 0, 6, label, session.annotator_id))
    assert bar.currentMessage() == "Tag Ottawa"  # the bar does follow the stack
    with qtbot.capture_exceptions() as raised:
        shiboken6.delete(session)  # its undo stack clears itself (indexChanged) while being deleted
    project.close()
    assert raised == []
    assert "already deleted" not in capsys.readouterr().err
    assert line.bar is bar
