"""Links: add with every refusal, notes and kinds updated, delete, undo/redo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.errors import InvalidOperation, NotFound
from app.models import LinkKind
from app.storage.changes import Delete, Restore, Update
from app.storage.project import Project
from tests.core.store_helpers import Sample, dump


@pytest.fixture
def sample(project: Project) -> Sample:
    return Sample(project)


@pytest.mark.parametrize("kind", list(LinkKind))
def test_add_link_of_each_kind(project: Project, project_path: Path, sample: Sample, kind: LinkKind) -> None:
    before = dump(project_path)
    outcome = project.add_link(kind.value, sample.person, sample.claim, sample.annotator, note="n")
    link = outcome.value
    assert (link.kind, link.source_span_id, link.target_span_id) == (kind, sample.person, sample.claim)
    assert (link.annotator_id, link.note) == (sample.annotator, "n")
    assert project.link(link.id) == link and link in project.links()
    assert link in project.links(sample.person) and link in project.links(sample.claim)
    assert link not in project.links(sample.denial)
    assert outcome.changes.links and outcome.changes.document_ids == {sample.first}
    assert outcome.undo == Delete(links=(link.id,))

    redo = project.apply(outcome.undo).undo
    assert dump(project_path) == before
    project.apply(redo)
    assert project.link(link.id) == link


def test_link_across_documents_touches_both(project: Project, sample: Sample) -> None:
    outcome = project.add_link(LinkKind.SUPPORTS, sample.claim, sample.denial, "ana")
    assert outcome.changes.document_ids == {sample.first, sample.second}


BAD_LINKS: list[tuple[str, dict[str, Any], type[Exception]]] = [
    ("missing source", {"source": 999}, NotFound),
    ("missing target", {"target": 999}, NotFound),
    ("same span twice", {"target": "SOURCE"}, InvalidOperation),
    ("unknown kind", {"kind": "refutes"}, InvalidOperation),
    ("kind in capitals", {"kind": "SAME_AS"}, InvalidOperation),
    ("unknown annotator id", {"annotator": 999}, NotFound),
    ("blank annotator", {"annotator": " "}, InvalidOperation),
    ("note not text", {"note": None}, InvalidOperation),
]


@pytest.mark.parametrize(("fields", "error"), [(f, e) for _, f, e in BAD_LINKS], ids=[name for name, _, _ in BAD_LINKS])
def test_add_link_refused(
    project: Project, project_path: Path, sample: Sample, fields: dict[str, Any], error: type[Exception]
) -> None:
    call: dict[str, Any] = {
        "kind": "supports",
        "source": sample.person,
        "target": sample.claim,
        "annotator": "someone new",
    } | fields
    if call["target"] == "SOURCE":
        call["target"] = call["source"]
    before = dump(project_path, shadow=True)
    with pytest.raises(error):
        project.add_link(**call)
    assert dump(project_path, shadow=True) == before


def test_update_link_note_and_kind_with_undo(project: Project, project_path: Path, sample: Sample) -> None:
    old = project.link(sample.contra)
    before = dump(project_path)
    outcome = project.update_link(sample.contra, note="", kind="updates")
    assert outcome.value == old.model_copy(update={"note": "", "kind": LinkKind.UPDATES})
    assert project.link(sample.contra) == outcome.value
    assert outcome.undo == Update("link", sample.contra, {"note": "who is right?", "kind": LinkKind.CONTRADICTS})
    redo = project.apply(outcome.undo).undo
    assert dump(project_path) == before
    project.apply(redo)
    assert project.link(sample.contra) == outcome.value


@pytest.mark.parametrize(
    ("link_id", "fields", "error"),
    [
        (None, {"kind": "refutes"}, InvalidOperation),
        (None, {"source_span_id": 1}, InvalidOperation),
        (None, {"note": 3}, InvalidOperation),
        (999, {"note": "x"}, NotFound),
    ],
)
def test_update_link_refused(
    project: Project,
    project_path: Path,
    sample: Sample,
    link_id: int | None,
    fields: dict[str, Any],
    error: type[Exception],
) -> None:
    before = dump(project_path, shadow=True)
    with pytest.raises(error):
        project.update_link(link_id or sample.same, **fields)
    assert dump(project_path, shadow=True) == before


def test_delete_links_with_undo_and_redo(project: Project, project_path: Path, sample: Sample) -> None:
    before = dump(project_path)
    spans = project.spans()
    outcome = project.delete_links([sample.same, sample.contra])
    removed = outcome.value
    assert {x.id for x in removed.links} == {sample.same, sample.contra}
    assert not removed.spans and project.spans() == spans  # the spans stay
    assert project.links() == []
    assert outcome.undo == Restore(removed)

    after = dump(project_path)
    redo = project.apply(outcome.undo)
    assert dump(project_path) == before
    project.apply(redo.undo)
    assert dump(project_path) == after


def test_delete_unknown_link(project: Project, project_path: Path, sample: Sample) -> None:
    before = dump(project_path, shadow=True)
    with pytest.raises(NotFound, match="link 999"):
        project.delete_links([sample.same, 999])
    with pytest.raises(NotFound):
        project.link(999)
    assert dump(project_path, shadow=True) == before
