"""Labels: add, update, delete, lookups, and every refusal leaving the file as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.errors import InvalidOperation, NotFound
from app.models import Label, LabelKind
from app.storage.changes import Delete, Restore, Update
from app.storage.default_labels import DEFAULT_LABELS
from app.storage.project import Project
from tests.core.store_helpers import Sample, dump


def test_new_project_has_default_labels_in_order(project: Project) -> None:
    labels = project.labels()
    assert [(x.name, x.kind, x.color) for x in labels] == list(DEFAULT_LABELS)
    assert [x.hotkey for x in labels] == [str(n) for n in range(1, len(DEFAULT_LABELS) + 1)]
    assert [x.position for x in labels] == list(range(len(DEFAULT_LABELS)))


def test_add_label_and_undo_redo(project: Project, project_path: Path) -> None:
    before = dump(project_path)
    outcome = project.add_label("  WEAPON ", "entity", "#aB12eF", hotkey="w")
    label = outcome.value
    assert label == Label(
        id=label.id, name="WEAPON", kind=LabelKind.ENTITY, color="#aB12eF", hotkey="w", position=len(DEFAULT_LABELS)
    )
    assert outcome.changes.labels and not outcome.changes.spans
    assert project.label("WEAPON") == project.label(label.id) == label
    assert project.label("weapon") == label  # names are case-insensitive
    assert outcome.undo == Delete(labels=(label.id,))

    undone = project.apply(outcome.undo)
    assert undone.value.labels == (label,)
    assert dump(project_path) == before
    project.apply(undone.undo)  # redo
    assert project.label(label.id) == label


def test_add_label_picks_a_palette_colour(project: Project) -> None:
    label = project.add_label("EVENT", LabelKind.CLAIM).value
    assert label.kind is LabelKind.CLAIM and label.hotkey is None
    assert label.color.startswith("#") and len(label.color) == 7


BAD_LABELS: list[tuple[str, dict[str, Any], str]] = [
    ("duplicate name", {"name": "PERSON", "kind": "entity"}, "already exists"),
    ("duplicate name, other case", {"name": "person", "kind": "entity"}, "already exists"),
    ("duplicate hotkey", {"name": "NEW", "kind": "entity", "hotkey": "1"}, "hotkey '1'"),
    ("blank name", {"name": "   ", "kind": "entity"}, "name"),
    ("bad kind", {"name": "NEW", "kind": "relation"}, "kind"),
    ("kind in capitals", {"name": "NEW", "kind": "ENTITY"}, "kind"),
    ("colour by name", {"name": "NEW", "kind": "entity", "color": "red"}, "color"),
    ("short colour", {"name": "NEW", "kind": "entity", "color": "#12345"}, "color"),
    ("long colour", {"name": "NEW", "kind": "entity", "color": "#1234567"}, "color"),
    ("not hex", {"name": "NEW", "kind": "entity", "color": "#GGGGGG"}, "color"),
    ("trailing newline", {"name": "NEW", "kind": "entity", "color": "#123456\n"}, "color"),
]


@pytest.mark.parametrize(
    ("fields", "message"), [(f, m) for _, f, m in BAD_LABELS], ids=[name for name, _, _ in BAD_LABELS]
)
def test_add_label_refused(project: Project, project_path: Path, fields: dict[str, Any], message: str) -> None:
    before = dump(project_path, shadow=True)
    with pytest.raises(InvalidOperation, match=message):
        project.add_label(**fields)
    assert dump(project_path, shadow=True) == before


def test_update_label_and_undo_redo(project: Project, project_path: Path) -> None:
    original = project.label("ORG")
    before = dump(project_path)
    outcome = project.update_label(original.id, name="Organisation", color="#000000", hotkey="o")
    assert outcome.value == original.model_copy(update={"name": "Organisation", "color": "#000000", "hotkey": "o"})
    assert project.label(original.id) == outcome.value
    assert outcome.undo == Update("label", original.id, {"name": "ORG", "color": original.color, "hotkey": "2"})
    assert outcome.changes.labels and not outcome.changes.spans

    redo = project.apply(outcome.undo).undo
    assert project.label(original.id) == original
    assert dump(project_path) == before
    project.apply(redo)
    assert project.label(original.id).name == "Organisation"


def test_changing_a_label_kind_says_spans_changed(project: Project) -> None:
    outcome = project.update_label(project.label("DATE").id, kind="claim")
    assert outcome.value.kind is LabelKind.CLAIM
    assert outcome.changes.spans


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"name": "PERSON"}, InvalidOperation, "already exists"),
        ({"hotkey": "1"}, InvalidOperation, "hotkey '1'"),
        ({"color": "blue"}, InvalidOperation, "color"),
        ({"kind": "topic"}, InvalidOperation, "kind"),
        ({"name": ""}, InvalidOperation, "name"),
        ({"id": 99}, InvalidOperation, "no field 'id'"),
        ({"shortcut": "x"}, InvalidOperation, "no field 'shortcut'"),
    ],
)
def test_update_label_refused(
    project: Project, project_path: Path, fields: dict[str, Any], error: type[Exception], message: str
) -> None:
    before = dump(project_path, shadow=True)
    with pytest.raises(error, match=message):
        project.update_label(project.label("ORG").id, **fields)
    assert dump(project_path, shadow=True) == before


def test_unknown_label(project: Project, project_path: Path) -> None:
    before = dump(project_path, shadow=True)
    for call in (
        lambda: project.label(999),
        lambda: project.label("NOPE"),
        lambda: project.update_label(999, name="X"),
        lambda: project.delete_label(999),
    ):
        with pytest.raises(NotFound):
            call()
    assert dump(project_path, shadow=True) == before


def test_delete_label_takes_its_spans_and_their_links(project: Project, project_path: Path) -> None:
    sample = Sample(project)
    before = dump(project_path)
    claim = project.label("CLAIM")
    outcome = project.delete_label(claim.id)
    removed = outcome.value
    assert removed.labels == (claim,)
    assert {s.id for s in removed.spans} == {sample.claim, sample.denial}
    assert {x.id for x in removed.links} == {sample.same, sample.contra}  # both touch a claim
    assert not removed.documents
    assert [s.id for s in project.spans()] == [sample.person]
    assert project.links() == []
    assert outcome.changes.labels and outcome.changes.spans and outcome.changes.links
    assert outcome.changes.document_ids == {sample.first, sample.second}
    assert outcome.undo == Restore(removed)

    after = dump(project_path)
    redo = project.apply(outcome.undo)
    assert dump(project_path) == before  # same ids, uuids, every column
    assert project.apply(redo.undo).value == removed  # redo deletes the same rows again
    assert dump(project_path) == after


def test_delete_unused_label(project: Project, project_path: Path) -> None:
    before = dump(project_path)
    outcome = project.delete_label(project.label("EQUIPMENT").id)
    assert outcome.value.spans == () and outcome.value.links == ()
    project.apply(outcome.undo)
    assert dump(project_path) == before


def test_restore_refused_when_the_hotkey_was_taken_meanwhile(project: Project, project_path: Path) -> None:
    outcome = project.delete_label(project.label("ORG").id)
    project.add_label("ORGANISATION", "entity", hotkey="2")
    before = dump(project_path, shadow=True)
    with pytest.raises(InvalidOperation, match="cannot restore"):
        project.apply(outcome.undo)
    assert dump(project_path, shadow=True) == before
