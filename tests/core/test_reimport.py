"""Export -> import into the same project is idempotent, in every format that has both ends,
and annotator names with spaces and other characters come back as they were written."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from app.formats.prodigy import given_to, read_prodigy
from app.formats.readers import FORMATS as READERS
from app.formats.readers import import_annotations, prepare, unnamed_default
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


def _owned(project: Project) -> list[tuple[str, str]]:
    names = {a.id: a.name for a in project.annotators()}
    return sorted((s.quote, names[s.annotator_id]) for s in project.spans())


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
    if fmt == "prodigy":  # ours names its annotators: as a Prodigy file that names none
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        unnamed = [{k: v for k, v in r.items() if k not in ("_annotator_id", "_session_id")} for r in lines]
        out.write_text("".join(json.dumps(r) + "\n" for r in unnamed), encoding="utf-8")
    with Project.create(tmp_path / "other.parallax") as other:
        report = import_annotations(other, out, fmt)
        assert report.spans_added == 4
        (who,) = _people(other)
        assert who.startswith("kim (")
        assert who == unnamed_default(out, fmt).name  # what the window's Annotator field suggests
        (note, *_) = report.notes("name one with --annotator")  # each front end words how to name one
        assert who in note and "name one with --annotator" in note and "4 new spans" in note
        assert not any("--annotator" in warning for warning in report.warnings)  # the core speaks no CLI
        chosen = import_annotations(other, out, fmt, "Lee")  # the user's choice wins, and is a second layer
        assert (chosen.spans_added, _people(other)) == (4, ["Lee", who])


def test_prodigy_export_names_each_annotator_as_prodigy_does(tagged: Project, tmp_path: Path) -> None:
    out = tmp_path / "db-out.jsonl"
    export(tagged, "prodigy", out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # One line per text and annotator, as `prodigy db-out` writes a multi-user dataset ("<dataset>-<session>").
    assert sorted(r["_annotator_id"] for r in lines) == sorted(f"parallax-{name}" for name in ODD_NAMES)
    assert all(r["_session_id"] == r["_annotator_id"] for r in lines)
    assert {r["text"] for r in lines} == {TEXT}
    with Project.create(tmp_path / "other.parallax") as other:
        report = import_annotations(other, out)
        assert (report.spans_added, _people(other)) == (4, sorted(ODD_NAMES))
        assert not any("names no annotator" in warning for warning in report.warnings)
        assert _owned(other) == _owned(tagged)


def test_prodigy_carries_its_annotator(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "db-out.jsonl"
    records = [
        {"text": "Ottawa said no.", "spans": [{"start": 0, "end": 6, "label": "LOCATION"}], "_annotator_id": "ner-kim"},
        {"text": "Ankara said yes.", "spans": [{"start": 0, "end": 6, "label": "LOCATION"}], "_session_id": "ner-lee"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = import_annotations(project, path, "prodigy")
    assert (report.spans_added, _people(project)) == (2, ["ner-kim", "ner-lee"])
    assert not any("names no annotator" in note for note in report.notes("name one with --annotator"))
    assert unnamed_default(path) is None  # the window asks nothing
    records.append({"text": "Bonn said maybe.", "spans": [{"start": 0, "end": 4, "label": "LOCATION"}]})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    partly = unnamed_default(path)
    assert partly is not None and (partly.name, partly.partly) == ("db-out (Prodigy)", True)


@pytest.mark.parametrize("fmt", ["conll", "conllu", "huggingface", "prodigy"])
def test_a_renamed_label_is_said(project: Project, tmp_path: Path, fmt: str) -> None:
    (doc,) = project.add_documents([NewDocument(title="Permits", text=TEXT)]).value.added
    project.add_label("Armed group", "entity")
    project.add_span(doc, 0, 12, "Armed group", "kim")
    report = export(project, fmt, tmp_path / f"out{WRITERS[fmt].suffix}")
    assert [w for w in report.warnings if "'Armed group' is written as 'Armed_group'" in w] != []


def test_prodigy_partly_unnamed_counts_the_lines_the_import_keeps(tmp_path: Path) -> None:
    """A blank-text line is skipped by the import: its (un)named spans must not sway the question."""
    path = tmp_path / "mixed.jsonl"
    span = [{"start": 0, "end": 1, "label": "LOCATION"}]
    named = {"text": "Ottawa said no.", "spans": span, "_annotator_id": "ner-kim"}
    unnamed = {"text": "Bonn said maybe.", "spans": span}
    blank_unnamed = {"text": "   ", "spans": span}
    blank_named = {"text": " \n ", "spans": span, "_annotator_id": "ner-lee"}
    path.write_text("".join(json.dumps(r) + "\n" for r in (named, blank_unnamed)), encoding="utf-8")
    assert unnamed_default(path) is None  # every kept line names its annotator
    path.write_text("".join(json.dumps(r) + "\n" for r in (unnamed, blank_named)), encoding="utf-8")
    whole = unnamed_default(path)
    assert whole is not None and not whole.partly  # the one kept line names nobody


@pytest.mark.parametrize("chosen", [None, "Lee"])
def test_a_prepared_prodigy_file_is_imported_from_its_plan(
    project: Project, tmp_path: Path, chosen: str | None
) -> None:
    """The window reads a Prodigy file once: the plan that answered its question is the import's."""
    path = tmp_path / "mixed.jsonl"
    span = [{"start": 0, "end": 6, "label": "LOCATION"}]
    records = [
        {"text": "Ottawa said no.", "spans": span, "_annotator_id": "ner-kim"},
        {"text": "Ankara said yes.", "spans": span},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    prepared = prepare(path)
    assert prepared.plan is not None and prepared.unnamed is not None and prepared.unnamed.partly
    assert prepared.plan.spans != read_prodigy(path, "Lee").spans  # (so the next check can fail)
    if chosen:  # the plan given to the one chosen is the plan read for them
        assert given_to(prepared.plan, chosen) == read_prodigy(path, chosen)
    path.unlink()  # not read again
    report = import_annotations(project, path, None, chosen, prepared=prepared)
    assert report.spans_added == 2
    assert _people(project) == (["Lee"] if chosen else ["mixed (Prodigy)", "ner-kim"])
