"""linecache keeps no source PySide6's import hook read, and every other line it is asked for."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import PySide6.QtCore  # noqa: F401  (the hook is in place once PySide6 is imported)
import pytest

import ui  # noqa: F401  (installs the cache)

pytestmark = pytest.mark.gui


def test_a_module_imported_after_pyside6_leaves_no_source_in_linecache(tmp_path: Path, monkeypatch) -> None:
    module = tmp_path / "parallax_probe_module.py"
    module.write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    exec("import parallax_probe_module", {})  # an import statement: the hook wraps __import__
    assert "parallax_probe_module" in sys.modules
    assert str(module) not in linecache.cache  # read by the hook (it looks for "PySide6"), not kept
    assert linecache.getline(str(module), 1) == "VALUE = 1\n"  # what a traceback asks for: read and kept
    assert str(module) in linecache.cache
    sys.modules.pop("parallax_probe_module")
