"""Issue 10, defects 10-12: received annotation files are imported exactly or refused:
identical twin spans keep their identity through brat and Label Studio, a label whose
kind clashes with the project's refuses the file, and skipped brat lines are summarised."""

from __future__ import annotations

from pathlib import Path

import pytest

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
