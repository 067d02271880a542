"""`parallax export` and `parallax import-annotations` on an annotated sample project."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.cli import main
from app.storage.project import Project


@pytest.fixture
def annotated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.parallax"
    assert main(["new", str(path), "--sample", "--empty"]) == 0
    with Project.open(path) as project:
        by_title = {d.title: d.id for d in project.documents()}
        left = by_title["Canada halts some Turkey weapons export; UN field mission to Azerbaijan"]
        right = by_title["Canada Blocks Defense Exports To Turkey Over Transfer Of Drones To Azerbaijan"]
        spans = []
        for doc_id, quote, label in (
            (left, "Mevlüt Çavuşoğlu", "PERSON"),
            (right, "Mevlut Cavusoglu", "PERSON"),
            (left, "Canada has halted some but not all of its military exports", "CLAIM"),
            (right, "The export ban affects 29 permits", "CLAIM"),
        ):
            start = project.text(doc_id).index(quote)
            spans.append(project.add_span(doc_id, start, start + len(quote), label, "Ana").value.id)
        project.add_link("same_as", spans[0], spans[1], "Ana")
        project.add_link("contradicts", spans[2], spans[3], "Ana", note="some vs 29 permits")
    capsys.readouterr()
    return path


def test_export_then_import_into_new_project_is_identical(
    annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, copy = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "copy.parallax"
    assert main(["export", str(annotated), "-f", "jsonl", "-o", str(first)]) == 0
    assert main(["new", str(copy), "--no-labels"]) == 0
    assert main(["import-annotations", str(copy), str(first)]) == 0
    assert "4 spans added" in capsys.readouterr().out
    assert main(["export", str(copy), "-f", "jsonl", "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_claim_pairs_export_reads_back(annotated: Path, tmp_path: Path) -> None:
    out = tmp_path / "pairs.jsonl"
    assert main(["export", str(annotated), "-f", "nli-jsonl", "-o", str(out)]) == 0
    (pair,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert pair["label"] == "contradiction"
    assert pair["premise"].startswith("Canada has halted some")


def test_export_filters_by_label(annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "people.jsonl"
    assert main(["export", str(annotated), "-f", "jsonl", "-o", str(out), "--labels", "PERSON"]) == 0
    spans = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if json.loads(x)["type"] == "span"]
    assert sorted(s["quote"] for s in spans) == ["Mevlut Cavusoglu", "Mevlüt Çavuşoğlu"]


def test_import_of_mismatched_offsets_is_refused_and_changes_nothing(
    annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "a.jsonl"
    main(["export", str(annotated), "-f", "jsonl", "-o", str(out)])
    lines = out.read_text(encoding="utf-8").splitlines()
    broken = [json.loads(x) for x in lines]
    span = next(r for r in broken if r["type"] == "span")
    span["start"] += 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in broken) + "\n", encoding="utf-8")
    target = tmp_path / "target.parallax"
    main(["new", str(target)])
    capsys.readouterr()
    before = dump(target)
    assert main(["import-annotations", str(target), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.jsonl" in err and span["quote"] in err
    assert dump(target) == before


def dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def test_align_and_suggest_print_for_scripts(annotated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["align", str(annotated), "--json"]) == 0
    alignments = json.loads(capsys.readouterr().out)
    assert any(a["kind"] == "verbatim" for a in alignments)
    assert main(["suggest", str(annotated)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("weekday differs" in line for line in lines)
    assert all(len(line.split("\t")) == 7 for line in lines)


def test_merge_twice_changes_nothing_and_agreement_prints(
    annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "ben.parallax"
    assert main(["new", str(other), "--sample", "--empty"]) == 0
    with Project.open(other) as project:
        doc = next(d.id for d in project.documents() if d.title.startswith("Canada halts"))
        start = project.text(doc).index("Mevlüt Çavuşoğlu")
        project.add_span(doc, start, start + len("Mevlüt Çavuşoğlu"), "PERSON", "Ben")
    team = tmp_path / "team.parallax"
    assert main(["merge", str(annotated), str(other), "-o", str(team)]) == 0
    first = dump(team)
    assert main(["merge", str(annotated), str(other), "-o", str(team)]) == 0
    assert dump(team) == first
    capsys.readouterr()
    assert main(["agreement", str(team), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report  # Ana and Ben both tagged the same person in one article
    assert main(["agreement", str(team)]) == 0
    assert "Ana" in capsys.readouterr().out


def test_merge_refuses_a_label_kind_clash(annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "clash.parallax"
    main(["new", str(other), "--no-labels"])
    main(["labels", str(other), "add", "PERSON", "--kind", "claim"])
    capsys.readouterr()
    assert main(["merge", str(annotated), str(other), "-o", str(tmp_path / "team.parallax")]) == 1
    out = capsys.readouterr().out
    assert "PERSON" in out and "clash.parallax" in out


def test_report_of_a_review_session(
    annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    """(`qapp`: the PDF is laid out by Qt; one application object serves every test.)"""
    from app.review.sessions import Decision, Scope, disputes, set_verdict, start_session

    with Project.open(annotated) as project:
        session = start_session(project, "Round 1", "Rev", Scope()).value
        (dispute,) = disputes(project, session)
        set_verdict(project, session.id, dispute.link.id, Decision("conflict_confirmed"), "29 is not some")
    out = tmp_path / "report.html"
    assert main(["report", str(annotated), "--session", "Round 1", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "29 is not some" in page and "Canada has halted some" in page
    assert main(["report", str(annotated), "--session", "nope", "-o", str(out)]) == 1
    assert "nope" in capsys.readouterr().err
    pdf = tmp_path / "report.pdf"  # printed by ui/review/report_pdf, which the CLI loads only for this
    assert main(["report", str(annotated), "--session", "Round 1", "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 1000


def test_export_refuses_filters_that_name_nothing(
    annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.jsonl"
    assert main(["export", str(annotated), "-f", "jsonl", "-o", str(out), "--documents", "99"]) == 1
    assert "no document 99" in capsys.readouterr().err
    assert main(["export", str(annotated), "-f", "jsonl", "-o", str(out), "--labels", "NOPE"]) == 1
    assert "no label NOPE" in capsys.readouterr().err
    assert not out.exists()


def test_read_only_commands_work_while_the_project_is_open(annotated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(annotated):  # as the desktop app holds it
        assert main(["info", str(annotated), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["documents"] == 5
        assert main(["search", str(annotated), "Garneau"]) == 0
        assert main(["labels", str(annotated), "add", "X"]) == 1  # writing still needs the project
        assert "open in another" in capsys.readouterr().err
