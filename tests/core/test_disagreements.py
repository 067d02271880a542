"""An annotator's disagreements as CSV, read back with the csv module; and the progress command."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.cli import main
from app.models import NewDocument
from app.storage.project import Project
from app.team.curation import State, set_state

TEXT = "Ankara received sensors from Ottawa. Turkey denied it."
OTHER = "Nothing was said in Berlin."


def test_disagreements_against_gold_and_against_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "team.parallax"
    with Project.create(path) as project:
        first, second = project.add_documents(
            [NewDocument(text=TEXT, title="Permits", source="Globe"), NewDocument(text=OTHER, title="Berlin")]
        ).value.added
        project.add_span(first, 0, 6, "LOCATION", "ana")
        project.add_span(first, 0, 6, "LOCATION", "ben")
        project.add_span(first, 37, 43, "ORG", "ana")  # Turkey: ana says ORG, ben LOCATION
        project.add_span(first, 37, 43, "LOCATION", "ben")
        set_state(project, first, "span:37:43:LOCATION", State.ACCEPTED, "lead")  # gold: LOCATION
        set_state(project, first, "span:0:6:LOCATION", State.ACCEPTED, "lead")
        project.add_span(second, 20, 26, "LOCATION", "ben")  # no gold here: against the others
        project.add_span(second, 0, 7, "ORG", "ana")
    out = tmp_path / "ana.csv"
    assert main(["disagreements", str(path), "--annotator", "ana", "-o", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = {(r["document"], r["quote"], r["label"], r["problem"], r["others"]) for r in rows}
    assert found == {
        ("Permits", "Turkey", "ORG", "not in gold", "gold"),
        ("Permits", "Turkey", "LOCATION", "missed", "gold"),
        ("Berlin", "Nothing", "ORG", "only some", ""),
        ("Berlin", "Berlin", "LOCATION", "others only", "ben"),
    }
    turkey = next(r for r in rows if r["problem"] == "missed")
    assert (turkey["outlet"], turkey["start"], turkey["end"]) == ("Globe", "37", "43")
    assert turkey["sentence"] == "[Turkey] denied it."
    assert main(["disagreements", str(path), "--annotator", "zed", "-o", str(out)]) == 1
    capsys.readouterr()
    assert main(["progress", str(path)]) == 0
    printed = capsys.readouterr().out
    assert "Permits · Globe: assigned nobody; no marks; curation in progress" in printed
    assert "ana: 0 assigned, 0 finished, 2 annotated" in printed
