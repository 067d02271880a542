"""The scripting entry point does what its docstring and the README show, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import api
from app.errors import NotFound


def test_the_documented_script_tags_links_and_exports(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with api.open_project(tmp_path / "demo.parallax", create=True) as project:
        report = api.import_files(project, [api.SAMPLE_CORPUS])
        assert len(report.added) == 5
        first, second = (d.id for d in project.documents()[:2])
        a = api.tag(project, first, "Turkey", "LOCATION", annotator="script")
        b = api.tag(project, second, "Turkey", "LOCATION", annotator="script", occurrence=1)
        link_id = api.link(project, "same_as", a, b, annotator="script")
        api.export(project, "jsonl", out)
        text = project.text(second)
        assert b.start == text.find("Turkey", text.find("Turkey") + 1) and b.quote == "Turkey"
    with api.open_project(tmp_path / "demo.parallax") as again:  # saved at once, nothing to save
        assert [s.id for s in again.spans()] == [a.id, b.id] and again.link(link_id).kind == "same_as"
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    spans = [r for r in records if r["type"] == "span"]
    assert [s["quote"] for s in spans] == ["Turkey", "Turkey"]
    assert [r["kind"] for r in records if r["type"] == "link"] == ["same_as"]


def test_asking_for_text_that_is_not_there_says_so(project_path: Path) -> None:
    with api.open_project(project_path) as project:
        api.import_files(project, [api.SAMPLE_CORPUS])
        doc = project.documents()[0].id
        with pytest.raises(NotFound, match="no occurrence 1 of 'Atlantis'"):
            api.tag(project, doc, "Atlantis", "LOCATION", annotator="script")
        with pytest.raises(NotFound, match="no export format 'xlsx'"):
            api.export(project, "xlsx", project_path.with_suffix(".xlsx"))
        assert project.spans() == []


def test_imports_join_events_as_the_cli_and_window_place_them(tmp_path: Path) -> None:
    from app.events.store import event_of, events
    from app.sample import build_sample

    fixtures = Path(__file__).parent / "fixtures" / "events"
    build_sample(tmp_path / "demo.parallax")  # the sample comes grouped: one event
    with api.open_project(tmp_path / "demo.parallax") as project:
        report = api.import_files(project, sorted(fixtures.glob("quake_*.txt")))
        assert len(report.added) == 3
        assert all(event_of(project, doc) is not None for doc in report.added)
        assert sorted(len(e.documents) for e in events(project)) == [3, 5]
