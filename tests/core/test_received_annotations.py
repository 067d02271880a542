"""Issue 10, defects 10-12: received annotation files are imported exactly or refused:
identical twin spans keep their identity through brat and Label Studio, a label whose
kind clashes with the project's refuses the file, and skipped brat lines are summarised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.errors import ImportRefused
from app.formats.readers import import_annotations
from app.formats.writers import export
from app.models import NewDocument
from app.storage.project import Project
from tests.core.store_helpers import dump

TEXT = "Garneau said the permits were cancelled on Monday."


def _with_twins(path: Path) -> Project:
    project = Project.create(path)
    (doc,) = project.add_documents([NewDocument(text=TEXT, title="Talks")]).value.added
    project.add_span(doc, 0, 7, "PERSON", "ana")
    project.add_span(doc, 0, 7, "PERSON", "ana", note="the twin with the note")
    project.add_span(doc, 8, 39, "CLAIM", "ana")
    return project


@pytest.mark.parametrize(("fmt", "out"), [("brat", "brat"), ("labelstudio", "tasks.json")])
def test_identical_twins_come_back_as_two_spans(tmp_path: Path, fmt: str, out: str) -> None:
    with _with_twins(tmp_path / "a.parallax") as original:
        export(original, fmt, tmp_path / out)
        with Project.create(tmp_path / "b.parallax") as fresh:
            report = import_annotations(fresh, tmp_path / out, fmt)
            assert report.spans_added == 3
            notes = sorted(s.note for s in fresh.spans() if s.quote == "Garneau")
            assert notes == ["", "the twin with the note"]
        before = dump(original.path)
        again = import_annotations(original, tmp_path / out, fmt)  # into the project it came from
        assert (again.spans_added, again.spans_skipped) == (0, 3)
    assert dump(tmp_path / "a.parallax") == before


def test_brat_refuses_a_label_whose_kind_clashes(tmp_path: Path) -> None:
    with _with_twins(tmp_path / "a.parallax") as original:
        original.add_label("Statement", "claim")
        original.add_span(1, 43, 49, "Statement", "ana")
        export(original, "brat", tmp_path / "brat")
    with Project.create(tmp_path / "b.parallax") as other:
        other.add_label("Statement", "entity")
        before = dump(other.path)
        with pytest.raises(ImportRefused, match="label 'Statement' is 'claim' here but 'entity' in the project"):
            import_annotations(other, tmp_path / "brat", "brat")
        assert dump(other.path) == before


def test_skipped_brat_lines_are_summarised_one_warning_per_kind(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    lines = ["T1\tPERSON 0 7\tGarneau", "T2\tPERSON 43 49\tMonday", "*\tAlias T1 T2", "*\tEquiv T1 T2"]
    lines += [f"A{i}\tNegated T1" for i in range(1, 101)]
    lines += ["R1\tcauses Arg1:T1 Arg2:T2"]
    (folder / "doc.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_annotations(project, folder, "brat")
    assert report.spans_added == 2 and report.links_added == 1  # the Equiv
    assert len(report.warnings) == 3, report.warnings
    alias, attributes, relations = report.warnings
    assert alias == "brat * Alias lines (only Equiv becomes same_as links): 1 skipped (doc.ann line 3)"
    assert attributes.startswith("brat attributes (A lines) have no Parallax equivalent: 100 skipped (doc.ann line 5,")
    assert attributes.endswith("line 7, …)")
    assert "'causes'" in relations and "1 skipped (doc.ann line 105)" in relations


def _doccano(path: Path, text: str, spans: list[list[object]]) -> Path:
    path.write_text(json.dumps({"text": text, "label": spans}, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_doccano_code_point_offsets_on_emoji_text_are_not_shifted(project: Project, tmp_path: Path) -> None:
    path = _doccano(tmp_path / "ana.jsonl", "😀 Ottawa said no.", [[2, 8, "GPE"]])  # code points
    report = import_annotations(project, path, "doccano")
    assert [s.quote for s in project.spans()] == ["Ottawa"]  # read as UTF-16 it was ' Ottaw'
    assert any("offsets read as code points" in w for w in report.warnings), report.warnings


def test_doccano_offsets_that_read_both_ways_are_refused_until_the_unit_is_named(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _doccano(tmp_path / "ana.jsonl", "😀😀 a b c", [[5, 6, "X"]])  # "b" in code points, "a" in UTF-16
    before = dump(project_path)
    assert main(["import-annotations", str(project_path), str(path)]) == 1
    assert "--offsets utf16 or --offsets codepoints" in capsys.readouterr().err
    assert dump(project_path) == before
    assert main(["import-annotations", str(project_path), str(path), "--offsets", "codepoints"]) == 0
    assert main(["import-annotations", str(project_path), str(path), "--offsets", "utf16", "--annotator", "bo"]) == 0
    with Project.open(project_path) as project:
        names = {a.id: a.name for a in project.annotators()}
        assert sorted((names[s.annotator_id], s.quote) for s in project.spans()) == [("ana", "b"), ("bo", "a")]


def test_offsets_apply_to_doccano_only(project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tasks.json"
    path.write_text("[]", encoding="utf-8")
    assert main(["import-annotations", str(project_path), str(path), "--offsets", "utf16"]) == 1
    assert "doccano files only" in capsys.readouterr().err
