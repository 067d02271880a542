"""The command line, run in-process and once through the installed script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.parallax"
    assert run(capsys, "new", path, "--sample")[0] == 0
    return path


def test_help_lists_every_command() -> None:
    script = Path(sys.executable).parent / "parallax"  # installed beside this Python
    assert script.exists(), "the parallax console script is not installed"
    out = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("new", "import", "info", "search", "labels", "demo", "open"):
        assert command in out


def test_new_with_sample_then_info(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", sample, "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["documents"] == 5
    assert set(stats["spans_by_label"]) >= {"PERSON", "ORG", "LOCATION", "DATE", "QUANTITY", "EQUIPMENT", "CLAIM"}
    code, out, _ = run(capsys, "info", sample)
    assert "GreekReporter.com" in out and "2020-10-06" in out


def test_import_again_reports_duplicates(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", sample, "--sample")
    assert code == 0
    assert "0 documents added, 5 duplicates skipped" in out


def test_search_folds_diacritics(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", sample, "Cavusoglu", "--json")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 3  # "Çavuşoğlu" in one article, "Cavusoglu" in two
    texts = {hit["snippet"] for hit in hits}
    assert any("Çavuşoğlu" in t for t in texts) and any("Cavusoglu" in t for t in texts)


def test_labels_add_and_list(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "labels", sample, "add", "WEAPON", "--color", "#123456", "--hotkey", "8")
    assert code == 0
    code, out, _ = run(capsys, "labels", sample, "list")
    assert "WEAPON" in out and "#123456" in out


def test_errors_go_to_stderr_with_nonzero_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sample: Path
) -> None:
    missing = tmp_path / "nope.parallax"
    code, out, err = run(capsys, "info", missing)
    assert code == 1 and out == "" and str(missing) in err
    code, _, err = run(capsys, "labels", sample, "add", "PERSON")
    assert code == 1 and "already exists" in err
    not_ours = tmp_path / "notes.txt"
    not_ours.write_text("hello")
    code, _, err = run(capsys, "info", not_ours)
    assert code == 1 and "not a Parallax project" in err


def test_import_refusal_exits_nonzero_and_names_the_file(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa not text \x00\x00")
    code, _, err = run(capsys, "import", sample, bad)
    assert code == 1 and "bad.txt" in err


def test_import_shows_progress_for_many_files(sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i:02}.txt").write_text(f"Article number {i} about drones.\n")
    code, out, err = run(capsys, "import", sample, folder)
    assert code == 0 and "30 documents added" in out
    assert "importing 30/30 files" in err


def test_output_into_a_closed_pipe_is_quiet(sample: Path) -> None:
    # `parallax info X | head -3`: the reader goes away; no traceback, as with other Unix tools.
    script = Path(sys.executable).parent / "parallax"
    proc = subprocess.Popen([str(script), "info", str(sample)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    with proc.stderr:
        err = proc.stderr.read().decode()
    proc.wait()
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode != 0
