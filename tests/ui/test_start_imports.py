"""The main window's module loads without the importers, the sample and every format's
reader and writer: those load when their menu item is chosen (~50 ms of the start); nor `html`
(its entities table, ~0.5 MB, for a tooltip escape)."""

from __future__ import annotations

import json
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
