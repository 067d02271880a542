"""The main window's module loads without the importers, the sample and every format's
reader and writer: those load when their menu item is chosen (~50 ms of the start); nor `html`
(its entities table, ~0.5 MB, for a tooltip escape)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui
HEAVY = (
    "html",
    "app.formats.readers",
    "app.formats.writers",
    "app.formats.articles",
    "app.sample",
    "ui.dialogs.export_dialog",
)
IMPORT_WINDOW = f"""
import json, sys
import app.cli, ui.app, ui.main_window
print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))
"""


def test_the_window_module_loads_no_importer_and_no_format() -> None:
    done = subprocess.run([sys.executable, "-c", IMPORT_WINDOW], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("text", ["<b>&amp;</b>", 'O\'Neil said "no"', "plain", "<img src=x onerror='a()'>&"])
def test_tooltips_escape_as_the_standard_library_does(text: str) -> None:
    import html

    from ui.plain import escape

    assert escape(text) == html.escape(text)


OPEN_WINDOW = """
import json, sys
from pathlib import Path
import app.cli
from ui.app import AppController
from ui.settings import UserSettings
from PySide6.QtWidgets import QApplication
qapp = QApplication([])
settings = UserSettings(Path(sys.argv[2]))
settings.annotator = "Ana"
window = AppController(settings).open(Path(sys.argv[1]))
window.workspace.open_document(int(sys.argv[3]), 0)
window.flush()
for _ in range(20):
    qapp.processEvents()
loaded = lambda: [name for name in ("pydantic", "pydantic_core") if name in sys.modules]
print(json.dumps(loaded()))
project = window.session.project
span = project.add_span(int(sys.argv[3]), 0, 3, "PERSON", "Ana").value  # as a hotkey does
project.add_link("supports", span.id, project.spans()[0].id, "Ana")
print(json.dumps(loaded()))
window.close()
"""


def test_opening_a_project_and_tagging_imports_no_pydantic(project_path, tmp_path) -> None:
    """Records read back are not validated, and a span or link made of exactly typed fields needs no
    conversion: pydantic (~9 MB) loads only for a record that does (an import, a label edited)."""
    from app.storage.project import Project
    from tests.core.assist_helpers import sample_project, tag_gold

    with Project.open(project_path) as project:
        ids = sample_project(project)
        tag_gold(project, ids[4], "Ana")
        first = project.spans()[0]
        project.add_link("same_as", first.id, project.spans()[1].id, "Ana")  # the links pane reads spans
    env = {"QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-c", OPEN_WINDOW, str(project_path), str(tmp_path / "settings.json"), str(ids[4])]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=os.environ | env)
    opened, tagged = (json.loads(line) for line in done.stdout.strip().splitlines()[-2:])
    assert opened == [] and tagged == []
