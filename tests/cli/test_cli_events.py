"""`parallax events`, and align/suggest/import once a project has events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main

FIXTURES = Path(__file__).parent.parent / "core" / "fixtures" / "events"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_regroup_list_and_place_new_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "feed.parallax"
    assert run(capsys, "new", project)[0] == 0  # not the sample project: that comes grouped
    assert run(capsys, "import", project, FIXTURES / "quake_1.txt", FIXTURES / "final_1.txt", "--sample")[0] == 0
    code, out, err = run(capsys, "events", project)
    assert code == 0 and out == "" and "--regroup" in err
    code, out, _ = run(capsys, "events", project, "--regroup")
    assert code == 0 and out.count("] ") >= 3 and "(5 articles)" in out
    code, out, _ = run(capsys, "import", project, FIXTURES / "quake_2.txt", FIXTURES / "final_2.txt")
    assert "new documents placed in 2 events" in out
    code, out, _ = run(capsys, "events", project, "--json")
    listed = json.loads(out)
    assert sorted(len(e["documents"]) for e in listed) == [2, 2, 5]
    quake = next(e for e in listed if any("Peru" in d["title"] for d in e["documents"]))
    assert all("Peru" in d["title"] or "Chala" in d["title"] for d in quake["documents"])
    assert "Peru" in quake["name"]


def test_suggest_and_align_stay_within_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "feed.parallax"
    run(capsys, "new", project, "--sample")
    run(capsys, "import", project, *sorted(FIXTURES.glob("*.txt")))
    run(capsys, "events", project, "--regroup")
    listed = json.loads(run(capsys, "events", project, "--json")[1])
    event_of = {d["id"]: e["id"] for e in listed for d in e["documents"]}
    code, out, _ = run(capsys, "suggest", project, "--json")
    found = json.loads(out)
    assert code == 0 and found
    assert all(event_of[s["doc_a"]] == event_of[s["doc_b"]] for s in found)
    code, out, _ = run(capsys, "align", project, "--json")
    assert code == 0 and all(event_of[a["doc_a"]] == event_of[a["doc_b"]] for a in json.loads(out))


def test_workers_below_one_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "feed.parallax"
    run(capsys, "new", project, "--sample")
    code, _, err = run(capsys, "suggest", project, "--workers", "0")
    assert code == 1 and "--workers must be at least 1" in err


def test_import_of_a_web_archive_reports_progress_and_skips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.core.test_warc import archive

    project = tmp_path / "crawl.parallax"
    run(capsys, "new", project)
    path = archive(tmp_path / "crawl.warc.gz", True)
    code, out, err = run(capsys, "import", project, path)
    assert code == 0
    assert "reading crawl.warc.gz: 100%" in err
    assert "3 records skipped" in out and "2 documents added" in out
