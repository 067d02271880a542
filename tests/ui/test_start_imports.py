"""The main window's module loads without the importers, the sample and every format's
reader and writer: those load when their menu item is chosen (~50 ms of the start)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui
HEAVY = ("app.formats.readers", "app.formats.writers", "app.formats.articles", "app.sample", "ui.dialogs.export_dialog")
IMPORT_WINDOW = f"""
import json, sys
import app.cli, ui.app, ui.main_window
print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))
"""


def test_the_window_module_loads_no_importer_and_no_format() -> None:
    done = subprocess.run([sys.executable, "-c", IMPORT_WINDOW], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []
