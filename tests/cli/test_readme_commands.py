"""README's command table names every option each command takes (a new flag gets its row's mention)."""

from __future__ import annotations

import argparse

import pytest

from app.cli.parser import build_parser
from tests.conftest import REPO

ROWS = [line for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
COMMANDS = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_is_in_the_command_table(name: str) -> None:
    rows = [
        row for row in ROWS if f"parallax {name}" in row.split(" | ")[0] or (row.startswith("| `…") and name in row)
    ]
    assert rows, f"no row for `parallax {name}`"
    options = [
        a.option_strings for a in COMMANDS[name]._actions if a.option_strings and "--help" not in a.option_strings
    ]
    missing = [
        names[-1]
        for names in options
        if not any(f"{o} " in row or f"{o}]" in row or f"{o}`" in row for o in names for row in rows)
    ]
    assert missing == []
