"""A window torn down without closing (dropped, or alive at interpreter exit) must print no
error: its article views' viewports go before the views stop signalling updateRequest (the
proposal overlay listens), and a pane's restored scroll is still queued."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import shiboken6

from app.models import NewDocument
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings

pytestmark = pytest.mark.gui

TEXT = "Ottawa suspended the permits.\n" * 200


def test_deleting_a_window_with_an_article_open_raises_nothing(qtbot, tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p.parallax")
    (doc_id,) = project.add_documents([NewDocument(text=TEXT, title="t")]).value.added
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    main.show()
    qtbot.waitExposed(main)
    main.workspace.open_document(doc_id, 0)
    overlay = main.assist.overlays[0]
    with qtbot.capture_exceptions() as raised:
        shiboken6.delete(main)  # the restored pane's scroll, queued at start, was due after this
        qtbot.wait(20)
    project.close()
    assert not shiboken6.isValid(overlay)  # really gone, with its view
    assert raised == []


EXITING = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.models import NewDocument
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings

qapp = QApplication(sys.argv)
folder = Path(sys.argv[1])
project = Project.create(folder / "p.parallax")
(doc_id,) = project.add_documents([NewDocument(text=sys.argv[2], title="t")]).value.added
main = MainWindow(OpenProject(project, "Ana"), UserSettings(folder / "settings.json"))
main.show()
main.workspace.open_document(doc_id, 0)
for _ in range(5):
    qapp.processEvents()
print("shown")
"""


def test_exiting_with_the_window_open_prints_no_error(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-c", EXITING, str(tmp_path), TEXT], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0 and run.stdout.strip() == "shown", run.stderr
    assert "Traceback" not in run.stderr and "already deleted" not in run.stderr, run.stderr
