"""The house's size rules: no module over 400 lines, no class over 300 (a bigger one is usually two)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for package in ("app", "ui") for p in (ROOT / package).rglob("*.py"))
MODULE_LINES, CLASS_LINES = 400, 300


def test_the_sources_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert {"app/storage/project.py", "ui/main_window.py", "app/cli/__init__.py"} <= names


def test_no_module_is_over_400_lines() -> None:
    long = {
        p.relative_to(ROOT).as_posix(): n
        for p in SOURCES
        if (n := len(p.read_text("utf-8").splitlines())) > MODULE_LINES
    }
    assert long == {}


def test_no_class_is_over_300_lines() -> None:
    big = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and (size := (node.end_lineno or 0) - node.lineno + 1) > CLASS_LINES:
                big[f"{path.relative_to(ROOT).as_posix()}:{node.name}"] = size
    assert big == {}
