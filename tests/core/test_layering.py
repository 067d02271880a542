"""`app/` is the Qt-free core: importing every module of it loads no Qt, and no module of it
names Qt, even in an import tucked inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import app
from tests.core.store_helpers import run_python

QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")

IMPORT_ALL = f"""
import importlib, pkgutil, sys
import app
names = ["app"] + [m.name for m in pkgutil.walk_packages(app.__path__, "app.")]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in {QT!r})
print(len(names))
print(" ".join(names))
print(" ".join(qt))
"""


def test_importing_every_app_module_loads_no_qt() -> None:
    done = run_python(IMPORT_ALL)
    assert done.returncode == 0, done.stderr
    count, names, qt = [*done.stdout.splitlines(), "", "", ""][:3]
    expected = {"app.storage.project", "app.storage.connection", "app.storage.search", "app.storage.migrations"}
    assert expected <= set(names.split())
    assert int(count) > 5
    assert qt == "", f"importing app loaded Qt: {qt}"


def test_no_app_module_names_qt() -> None:
    offenders = []
    for source in sorted(Path(app.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            offenders += [f"{source.name}:{node.lineno} {m}" for m in modules if m.split(".")[0] in QT]
    assert offenders == []
