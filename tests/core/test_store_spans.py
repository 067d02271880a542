"""Spans: add with every refusal, notes and other updates, delete with their links, undo/redo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.errors import InvalidOperation, NotFound
from app.storage.changes import Delete, Restore, Update
from app.storage.project import Project
from tests.core.store_helpers import Sample, add_doc, dump

TEXT = "Çavuşoğlu 👍🏽 said no."  # 21 code points


@pytest.fixture
def doc(project: Project) -> int:
    return add_doc(project, TEXT, "one")


def test_add_span(project: Project, project_path: Path, doc: int) -> None:
    ana = project.annotator("ana")
    before = dump(project_path)
    outcome = project.add_span(doc, 10, 12, "PERSON", ana.id, note="a thumb", attrs={"k": [1, "ü"]})
    span = outcome.value
    assert (span.document_id, span.start, span.end, span.quote) == (doc, 10, 12, "👍🏽")
    assert (span.label_id, span.annotator_id) == (project.label("PERSON").id, ana.id)
    assert (span.note, span.attrs) == ("a thumb", {"k": [1, "ü"]})
    assert project.spans(doc) == [span] == project.spans()
    assert project.span(span.id) == span
    assert outcome.changes.spans and outcome.changes.document_ids == {doc}
    assert not outcome.changes.links and not outcome.changes.labels
    assert outcome.undo == Delete(spans=(span.id,))

    removed = project.apply(outcome.undo)
    assert removed.value.spans == (span,)
    assert dump(project_path) == before
    project.apply(removed.undo)  # redo: the very same span comes back
    assert project.spans() == [span]


def test_whole_text_and_label_by_id(project: Project, doc: int) -> None:
    label = project.label("CLAIM")
    span = project.add_span(doc, 0, len(TEXT), label.id, "ana").value
    assert span.quote == TEXT and span.label_id == label.id


def test_spans_are_listed_by_document_then_start(project: Project) -> None:
    first, second = add_doc(project, "abcdef"), add_doc(project, "ghijkl")
    made = [
        project.add_span(d, s, s + 1, "DATE", "ana").value
        for d, s in ((second, 0), (first, 4), (first, 1), (second, 3))
    ]
    assert [(s.document_id, s.start) for s in project.spans()] == [(first, 1), (first, 4), (second, 0), (second, 3)]
    assert [s.id for s in project.spans(second)] == [made[0].id, made[3].id]


BAD_SPANS: list[tuple[str, dict[str, Any], type[Exception]]] = [
    ("end past the text", {"end": len(TEXT) + 1}, InvalidOperation),
    ("start past the text", {"start": len(TEXT), "end": len(TEXT) + 2}, InvalidOperation),
    ("empty", {"start": 3, "end": 3}, InvalidOperation),
    ("backwards", {"start": 4, "end": 3}, InvalidOperation),
    ("negative start", {"start": -1}, InvalidOperation),
    ("negative both", {"start": -3, "end": -1}, InvalidOperation),
    ("bool start", {"start": False}, InvalidOperation),
    ("bool end", {"end": True}, InvalidOperation),
    ("float start", {"start": 0.0}, InvalidOperation),
    ("float end", {"end": 2.5}, InvalidOperation),
    ("string offset", {"end": "2"}, InvalidOperation),
    ("unknown label name", {"label": "NOPE"}, NotFound),
    ("unknown label id", {"label": 999}, NotFound),
    ("unknown document", {"document_id": 999}, NotFound),
    ("unknown annotator id", {"annotator": 999}, NotFound),
    ("blank annotator name", {"annotator": "  "}, InvalidOperation),
    ("note not text", {"note": None}, InvalidOperation),
    ("attrs not a mapping", {"attrs": ["x"]}, InvalidOperation),
]


@pytest.mark.parametrize(("fields", "error"), [(f, e) for _, f, e in BAD_SPANS], ids=[name for name, _, _ in BAD_SPANS])
def test_add_span_refused(
    project: Project, project_path: Path, doc: int, fields: dict[str, Any], error: type[Exception]
) -> None:
    ana = project.annotator("ana").id
    before = dump(project_path, shadow=True)
    call: dict[str, Any] = {"document_id": doc, "start": 0, "end": 2, "label": "PERSON", "annotator": ana} | fields
    with pytest.raises(error):
        project.add_span(**call)
    assert dump(project_path, shadow=True) == before


def test_refused_span_does_not_create_its_annotator(project: Project, doc: int) -> None:
    with pytest.raises(InvalidOperation):
        project.add_span(doc, 5, 5, "PERSON", "newcomer")
    with pytest.raises(NotFound):
        project.add_span(doc, 0, 1, "NOPE", "newcomer")
    assert project.annotators() == []


def test_update_span_note_label_attrs_with_undo(project: Project, project_path: Path, doc: int) -> None:
    span = project.add_span(doc, 0, 9, "PERSON", "ana", note="first").value
    before = dump(project_path)
    outcome = project.update_span(span.id, note="second", label_id="ORG", attrs={"x": 1})
    org = project.label("ORG").id
    assert outcome.value == span.model_copy(update={"note": "second", "label_id": org, "attrs": {"x": 1}})
    assert project.span(span.id) == outcome.value
    assert outcome.undo == Update("span", span.id, {"note": "first", "label_id": span.label_id, "attrs": {}})
    assert outcome.changes.spans and outcome.changes.document_ids == {doc}

    redo = project.apply(outcome.undo).undo
    assert dump(project_path) == before
    project.apply(redo)
    assert project.span(span.id) == outcome.value


def test_clear_a_note(project: Project, doc: int) -> None:
    span = project.add_span(doc, 0, 9, "PERSON", "ana", note="to drop").value
    assert project.update_span(span.id, note="").value.note == ""


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"start": 1}, InvalidOperation),
        ({"quote": "x"}, InvalidOperation),
        ({"document_id": 1}, InvalidOperation),
        ({"label_id": "NOPE"}, NotFound),
        ({"label_id": 999}, NotFound),
        ({"note": None}, InvalidOperation),
        ({"note": 5}, InvalidOperation),
        ({"attrs": "x"}, InvalidOperation),
    ],
)
def test_update_span_refused(
    project: Project, project_path: Path, doc: int, fields: dict[str, Any], error: type[Exception]
) -> None:
    span = project.add_span(doc, 0, 9, "PERSON", "ana", note="kept").value
    before = dump(project_path, shadow=True)
    with pytest.raises(error):
        project.update_span(span.id, **fields)
    assert dump(project_path, shadow=True) == before


def test_unknown_span(project: Project, project_path: Path) -> None:
    sample = Sample(project)
    before = dump(project_path, shadow=True)
    with pytest.raises(NotFound):
        project.span(999)
    with pytest.raises(NotFound):
        project.update_span(999, note="x")
    with pytest.raises(NotFound):
        project.delete_spans([sample.person, 999])  # all or nothing
    assert dump(project_path, shadow=True) == before


def test_delete_span_takes_its_links(project: Project, project_path: Path) -> None:
    sample = Sample(project)
    before = dump(project_path)
    kept = project.link(sample.contra)
    outcome = project.delete_spans([sample.person])
    removed = outcome.value
    assert [s.id for s in removed.spans] == [sample.person]
    assert [x.id for x in removed.links] == [sample.same]
    assert not removed.labels and not removed.documents
    assert project.links() == [kept]
    assert sample.person not in {s.id for s in project.spans()}
    assert outcome.changes.spans and outcome.changes.links
    assert outcome.changes.document_ids == {sample.first}
    assert outcome.undo == Restore(removed)

    after = dump(project_path)
    redo = project.apply(outcome.undo)
    assert dump(project_path) == before
    assert project.apply(redo.undo).value == removed
    assert dump(project_path) == after


def test_delete_several_spans_at_once(project: Project, project_path: Path) -> None:
    sample = Sample(project)
    before = dump(project_path)
    outcome = project.delete_spans([sample.claim, sample.denial, sample.claim])
    assert {s.id for s in outcome.value.spans} == {sample.claim, sample.denial}
    assert {x.id for x in outcome.value.links} == {sample.same, sample.contra}
    assert [s.id for s in project.spans()] == [sample.person]
    project.apply(outcome.undo)
    assert dump(project_path) == before


def test_a_sequence_undone_and_redone_step_by_step(project: Project, project_path: Path) -> None:
    """An undo stack in miniature: undo everything back, then redo it all forward."""
    doc = add_doc(project, TEXT)
    project.annotator("ana")  # made on first use, and not part of any undo
    states, undos = [dump(project_path)], []

    def do(outcome: Any) -> Any:
        undos.append(outcome.undo)
        states.append(dump(project_path))
        return outcome.value

    a = do(project.add_span(doc, 0, 9, "PERSON", "ana")).id
    b = do(project.add_span(doc, 0, 9, "PERSON", "ana")).id  # a twin: allowed
    do(project.add_link("same_as", a, b, "ana"))
    do(project.update_span(a, note="n"))
    do(project.delete_spans([b]))
    do(project.delete_label(project.label("PERSON").id))
    redos = []
    for undo, state in zip(reversed(undos), reversed(states[:-1]), strict=True):
        redos.append(project.apply(undo).undo)
        assert dump(project_path) == state
    for redo, state in zip(reversed(redos), states[1:], strict=True):
        project.apply(redo)
        assert dump(project_path) == state
