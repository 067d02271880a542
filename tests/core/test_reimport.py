"""Export -> import into the same project is idempotent, in every format that has both ends,
and annotator names with spaces and other characters come back as they were written."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from app.formats.readers import FORMATS as READERS
from app.formats.readers import import_annotations
from app.formats.writers import FORMATS as WRITERS
from app.formats.writers import export
from app.models import NewDocument
from app.storage.project import Project

ODD_NAMES = ("Example annotator", "Zoë O'Neil / 100%", "ana_b")
TEXT = "Marc Garneau said Canada cancelled the permits in Ottawa on Monday."


def _people(project: Project) -> list[str]:
    return sorted(a.name for a in project.annotators())


def _spans(project: Project) -> list[tuple[int, int, int, int, int]]:
    return sorted((s.document_id, s.start, s.end, s.label_id, s.annotator_id) for s in project.spans())


@pytest.fixture
def tagged(project: Project) -> Project:
    (doc,) = project.add_documents([NewDocument(title="Permits", text=TEXT)]).value.added
    words = (("Marc Garneau", "PERSON"), ("Canada", "LOCATION"), ("Ottawa", "LOCATION"))
    for who, (word, label) in zip(ODD_NAMES, words, strict=True):
        start = TEXT.index(word)
        project.add_span(doc, start, start + len(word), label, who)
    first = project.spans()[0]
    monday = project.add_span(doc, TEXT.index("Monday"), TEXT.index("Monday") + 6, "DATE", first_name := ODD_NAMES[0])
    project.add_link("supports", first.id, monday.value.id, first_name)  # within one document and one annotator
    return project


@pytest.mark.parametrize("fmt", sorted(set(READERS) & set(WRITERS)))
def test_reimporting_an_export_adds_nothing(tagged: Project, tmp_path: Path, fmt: str) -> None:
    before, people, links = _spans(tagged), _people(tagged), len(tagged.links())
    out = tmp_path / f"out{WRITERS[fmt].suffix}"
    export(tagged, fmt, out)
    report = import_annotations(tagged, out, fmt)
    assert (report.spans_added, report.links_added, report.annotators_added) == (0, 0, 0)
    assert len(tagged.links()) == links
    assert report.spans_skipped == len(before)
    assert (_spans(tagged), _people(tagged)) == (before, people)


def test_tsv3_file_names_carry_any_annotator_name(tagged: Project, tmp_path: Path) -> None:
    out = tmp_path / "out.zip"
    export(tagged, "tsv3", out)
    names = sorted(Path(n).stem for n in zipfile.ZipFile(out).namelist())
    assert names == ["Example%20annotator", "Zoë%20O%27Neil%20%2F%20100%25", "ana_b"]  # INCEpTION names kept as is
    with Project.create(tmp_path / "other.parallax") as other:
        import_annotations(other, out)
        assert _people(other) == sorted(ODD_NAMES)


@pytest.mark.parametrize("fmt", ["conll", "conllu", "huggingface", "prodigy"])
def test_a_token_file_without_annotator_is_named_after_the_file(tagged: Project, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"kim{WRITERS[fmt].suffix}"
    export(tagged, fmt, out)
    with Project.create(tmp_path / "other.parallax") as other:
        report = import_annotations(other, out, fmt)
        assert report.spans_added == 4
        (who,) = _people(other)
        assert who.startswith("kim (")
        assert any(who in warning and "--annotator" in warning for warning in report.warnings)
        chosen = import_annotations(other, out, fmt, "Lee")  # the user's choice wins, and is a second layer
        assert (chosen.spans_added, _people(other)) == (4, ["Lee", who])


def test_prodigy_carries_its_annotator(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "db-out.jsonl"
    records = [
        {"text": "Ottawa said no.", "spans": [{"start": 0, "end": 6, "label": "LOCATION"}], "_annotator_id": "ner-kim"},
        {"text": "Ankara said yes.", "spans": [{"start": 0, "end": 6, "label": "LOCATION"}], "_session_id": "ner-lee"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = import_annotations(project, path, "prodigy")
    assert (report.spans_added, _people(project)) == (2, ["ner-kim", "ner-lee"])
    assert not any("--annotator" in warning for warning in report.warnings)


@pytest.mark.parametrize("fmt", ["conll", "conllu", "huggingface", "prodigy"])
def test_a_renamed_label_is_said(project: Project, tmp_path: Path, fmt: str) -> None:
    (doc,) = project.add_documents([NewDocument(title="Permits", text=TEXT)]).value.added
    project.add_label("Armed group", "entity")
    project.add_span(doc, 0, 12, "Armed group", "kim")
    report = export(project, fmt, tmp_path / f"out{WRITERS[fmt].suffix}")
    assert [w for w in report.warnings if "'Armed group' is written as 'Armed_group'" in w] != []
