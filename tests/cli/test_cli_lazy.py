"""`parallax open FILE` parses its command without importing every other command's
modules (importers, the sample, every format); the formats are still checked and
listed when an option names one, and a command runs from its module as before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

HEAVY = ("app.formats.readers", "app.formats.writers", "app.formats.articles", "app.sample", "app.cli.data_commands")
PARSE_OPEN = f"""
import json, sys
from app.cli.parser import build_parser
args = build_parser().parse_args(["open", "some.parallax"])
assert str(args.project) == "some.parallax"
print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))
"""


def test_parsing_open_imports_no_other_command() -> None:
    done = subprocess.run([sys.executable, "-c", PARSE_OPEN], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_formats_are_still_checked_and_listed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["export", str(tmp_path / "x.parallax"), "-f", "nope", "-o", str(tmp_path / "out")])
    error = capsys.readouterr().err
    assert "invalid choice: 'nope'" in error and "'jsonl'" in error and "'conllu'" in error
    with pytest.raises(SystemExit):
        main(["import-annotations", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "--format FORMAT" in shown and "one of jsonl, brat, labelstudio, doccano" in shown


def test_a_lazily_imported_command_runs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "new.parallax"
    assert main(["new", str(path)]) == 0
    assert main(["info", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out[out.index("{") :])["documents"] == 0
