"""Adjudication into the gold layer: candidates, agreement, decisions, exact undo, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import InvalidOperation, NotFound
from app.formats.dataset import Selection
from app.formats.writers import export
from app.models import GOLD, DocumentId
from app.storage.project import Project
from app.team import curation as adj
from app.team.curation import State
from tests.core.store_helpers import add_doc, dump

TEXT = "Mevlüt Çavuşoğlu met Lavrov in Moscow on Monday."
OTHER = "Lavrov denied meeting anyone 😀 in Moscow."
PERSON, LAVROV, MOSCOW = "span:0:16:PERSON", "span:21:27:PERSON", "span:31:37:LOCATION"


@pytest.fixture
def doc(project: Project) -> DocumentId:
    """Two annotators: they agree on two persons and differ on Moscow and Monday."""
    doc_id = add_doc(project, TEXT, "Talks")
    for who in ("ana", "bo"):
        project.add_span(doc_id, 0, 16, "PERSON", who)
        project.add_span(doc_id, 21, 27, "PERSON", who)
    project.add_span(doc_id, 31, 37, "LOCATION", "ana")
    project.add_span(doc_id, 31, 37, "ORG", "bo")
    project.add_span(doc_id, 41, 47, "DATE", "bo")
    return doc_id


def states(project: Project, doc_id: int) -> dict[str, State]:
    return {c.key: c.state for c in adj.candidates(project, doc_id)}


def gold_spans(project: Project, doc_id: int) -> list[tuple[int, int, str]]:
    gold = project.annotator(GOLD).id
    labels = {x.id: x.name for x in project.labels()}
    return [(s.start, s.end, labels[s.label_id]) for s in project.spans(doc_id) if s.annotator_id == gold]


# ---- candidates and agreement ---------------------------------------------
def test_spans_group_by_extent_and_label_in_text_order(project: Project, doc: DocumentId) -> None:
    found = adj.candidates(project, doc)
    assert [c.key for c in found] == [PERSON, LAVROV, "span:31:37:ORG", MOSCOW, "span:41:47:DATE"]
    person = found[0]
    assert (person.kind, person.label, person.quote, person.annotators) == ("span", "PERSON", TEXT[:16], ("ana", "bo"))
    assert len(person.sources) == 2 and person.gold == () and person.home == project.document(doc).uuid
    assert [c.annotators for c in found[2:]] == [("bo",), ("ana",), ("bo",)]


def test_agreed_needs_two_annotators_and_every_annotator_of_the_document(project: Project, doc: DocumentId) -> None:
    assert [c.agreed for c in adj.candidates(project, doc)] == [True, True, False, False, False]
    project.add_span(doc, 41, 47, "DATE", "cy")  # a third annotator who skipped the persons
    assert [c.key for c in adj.candidates(project, doc) if c.agreed] == []
    alone = add_doc(project, "Only one annotator here.")
    project.add_span(alone, 0, 4, "PERSON", "ana")
    assert [(c.agreed, c.state) for c in adj.candidates(project, alone)] == [(False, State.OPEN)]


def test_counts_cover_every_state(project: Project, doc: DocumentId) -> None:
    assert adj.counts(project, doc) == {State.AGREED: 0, State.ACCEPTED: 0, State.REJECTED: 0, State.OPEN: 5}
    with pytest.raises(NotFound):
        adj.candidates(project, 999)


# ---- pre-accepting and deciding ---------------------------------------------
def test_preaccept_puts_agreed_items_into_gold_once(project: Project, doc: DocumentId) -> None:
    assert not adj.preaccepted(project, doc)
    change = adj.preaccept_agreed(project, doc, "judge").value
    assert change.after == {PERSON: State.AGREED, LAVROV: State.AGREED}
    assert gold_spans(project, doc) == [(0, 16, "PERSON"), (21, 27, "PERSON")]
    gold = next(s for s in project.spans(doc) if s.annotator_id == project.annotator(GOLD).id)
    assert sorted(gold.attrs["adjudicated_from"]) == sorted(adj.candidates(project, doc)[0].sources)
    assert adj.preaccepted(project, doc)
    assert adj.preaccept_agreed(project, doc, "judge").value.empty
    assert adj.counts(project, doc)[State.AGREED] == 2


def test_preaccepted_only_once_something_went_in(project: Project, doc: DocumentId) -> None:
    alone = add_doc(project, "Only one annotator here.")
    project.add_span(alone, 0, 4, "PERSON", "ana")
    assert adj.preaccept_agreed(project, alone, "judge").value.empty and not adj.preaccepted(project, alone)
    project.add_span(alone, 0, 4, "PERSON", "bo")  # agreement arrives later
    assert adj.preaccept_agreed(project, alone, "judge").value.after == {"span:0:4:PERSON": State.AGREED}
    assert adj.preaccepted(project, alone) and not adj.preaccepted(project, doc)


def test_accept_reject_reset_change_state_gold_and_table(project: Project, project_path: Path, doc: DocumentId) -> None:
    adj.set_state(project, doc, MOSCOW, State.ACCEPTED, "judge")
    adj.set_state(project, doc, "span:31:37:ORG", State.REJECTED, "judge")
    adj.set_state(project, doc, PERSON, State.REJECTED, "judge")
    assert states(project, doc) == {
        PERSON: State.REJECTED,
        LAVROV: State.OPEN,
        "span:31:37:ORG": State.REJECTED,
        MOSCOW: State.ACCEPTED,
        "span:41:47:DATE": State.OPEN,
    }
    assert gold_spans(project, doc) == [(31, 37, "LOCATION")]
    table = dump(project_path)["adjudication"]
    assert sorted((r[3], r[4], r[5]) for r in table) == [
        (PERSON, "rejected", "judge"),
        ("span:31:37:ORG", "rejected", "judge"),
    ]
    adj.set_state(project, doc, PERSON, State.ACCEPTED, "judge")  # accepting clears the rejection
    adj.set_state(project, doc, MOSCOW, State.OPEN, "judge")
    assert states(project, doc)[PERSON] == State.AGREED and states(project, doc)[MOSCOW] == State.OPEN
    assert gold_spans(project, doc) == [(0, 16, "PERSON")]
    assert [r[3] for r in dump(project_path)["adjudication"]] == ["span:31:37:ORG"]


def test_setting_the_same_state_again_changes_nothing(project: Project, project_path: Path, doc: DocumentId) -> None:
    adj.preaccept_agreed(project, doc, "judge")
    before = dump(project_path)
    assert adj.set_state(project, doc, PERSON, State.ACCEPTED, "judge").value.empty
    assert adj.set_state(project, doc, MOSCOW, State.OPEN, "judge").value.empty
    assert dump(project_path) == before
    with pytest.raises(NotFound):
        adj.set_state(project, doc, "span:0:1:PERSON", State.ACCEPTED, "judge")


@pytest.mark.parametrize(
    ("key", "state"),
    [(MOSCOW, State.ACCEPTED), (PERSON, State.REJECTED), (LAVROV, State.OPEN), (MOSCOW, State.REJECTED)],
)
def test_each_decision_reverts_exactly_and_redoes_exactly(
    project: Project, project_path: Path, doc: DocumentId, key: str, state: State
) -> None:
    adj.preaccept_agreed(project, doc, "judge")
    adj.set_state(project, doc, "span:31:37:ORG", State.REJECTED, "judge")
    before = dump(project_path)
    change = adj.set_state(project, doc, key, state, "judge").value
    after = dump(project_path)
    assert after != before and change.changes.spans and doc in change.changes.document_ids
    redo = adj.revert(project, change)
    assert dump(project_path) == before
    assert redo.before == change.after and redo.after == change.before
    adj.revert(project, redo)
    assert dump(project_path) == after


def test_preaccept_reverts_exactly(project: Project, project_path: Path, doc: DocumentId) -> None:
    before = dump(project_path)
    change = adj.preaccept_agreed(project, doc, "judge").value
    after = dump(project_path)
    adj.revert(project, adj.revert(project, change))
    assert dump(project_path) == after
    adj.revert(project, adj.set_state(project, doc, PERSON, State.OPEN, "judge").value)
    assert dump(project_path) == after
    adj.revert(project, change)
    assert dump(project_path) == {**before, "annotator": after["annotator"]}  # 'gold' was made in an earlier step


def test_a_failure_midway_leaves_the_file_unchanged(
    project: Project, project_path: Path, doc: DocumentId, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = add_doc(project, OTHER, "Denial")
    there = project.add_span(other, 0, 6, "PERSON", "ana").value
    here = next(s for s in project.spans(doc) if s.start == 21)
    project.add_link("same_as", there.id, here.id, "ana")
    link = next(c for c in adj.candidates(project, doc) if c.kind == "link")
    before = dump(project_path)

    def broken(*_args: object) -> None:
        raise InvalidOperation("disk on fire")

    monkeypatch.setattr(project, "add_link", broken)
    with pytest.raises(InvalidOperation, match="disk on fire"):
        adj.set_state(project, doc, link.key, State.ACCEPTED, "judge")
    assert dump(project_path) == before


def test_gold_made_by_hand_is_listed_as_accepted_and_can_be_rejected(
    project: Project, project_path: Path, doc: DocumentId
) -> None:
    project.add_span(doc, 6, 16, "PERSON", GOLD)
    [hand] = [c for c in adj.candidates(project, doc) if c.key == "span:6:16:PERSON"]
    assert (hand.state, hand.annotators, len(hand.gold)) == (State.ACCEPTED, (), 1)
    before = dump(project_path)
    change = adj.set_state(project, doc, hand.key, State.REJECTED, "judge").value
    assert change.after == {hand.key: State.REJECTED} and "span:6:16:PERSON" not in states(project, doc)
    adj.revert(project, change)
    assert dump(project_path) == before


# ---- links ---------------------------------------------------------------------
@pytest.fixture
def linked(project: Project, doc: DocumentId) -> DocumentId:
    """Both annotators say Lavrov in `doc` is Lavrov in another article; ana adds a support."""
    other = add_doc(project, OTHER, "Denial")
    for who in ("ana", "bo"):
        there = project.add_span(other, 0, 6, "PERSON", who).value
        here = next(s for s in project.spans(doc) if s.start == 21 and s.annotator_id == project.annotator(who).id)
        ends = (there.id, here.id) if who == "ana" else (here.id, there.id)  # direction differs
        project.add_link("same_as", *ends, who)
    ana = project.annotator("ana").id
    moscow = next(s for s in project.spans(doc) if s.start == 31 and s.annotator_id == ana)
    person = next(s for s in project.spans(doc) if s.start == 0 and s.annotator_id == ana)
    project.add_link("supports", person.id, moscow.id, "ana")
    return other


def links(project: Project, doc_id: int) -> list[adj.Candidate]:
    return [c for c in adj.candidates(project, doc_id) if c.kind == "link"]


def link(project: Project, doc_id: int, kind: str) -> adj.Candidate:
    return next(c for c in links(project, doc_id) if c.label == kind)


def test_links_group_by_kind_and_endpoint_items(project: Project, doc: DocumentId, linked: DocumentId) -> None:
    here, there = links(project, doc), links(project, linked)
    assert [(c.label, c.annotators, c.agreed, c.start) for c in here] == [  # text order
        ("supports", ("ana",), False, 0),
        ("same_as", ("ana", "bo"), True, 21),
    ]
    assert [c.key for c in there] == [here[1].key]  # listed in both documents, one key
    uuids = {project.document(doc).uuid, project.document(linked).uuid}
    assert {u for u, _ in here[1].ends or ()} == uuids and here[1].quote == "Lavrov ↔ Lavrov"
    home = here[0].home
    assert here[0].ends == ((home, PERSON), (home, MOSCOW)) and here[0].quote == "Mevlüt Çavuşoğlu → Moscow"
    assert json.loads(here[0].key.removeprefix("link:")) == ["supports", [home, PERSON], [home, MOSCOW]]


def test_direction_counts_for_supports_only(project: Project, doc: DocumentId) -> None:
    spans = {(s.start, project.annotator("ana").id == s.annotator_id): s.id for s in project.spans(doc)}
    project.add_link("supports", spans[0, True], spans[21, True], "ana")
    project.add_link("supports", spans[21, False], spans[0, False], "bo")
    project.add_link("contradicts", spans[0, True], spans[21, True], "ana")
    project.add_link("contradicts", spans[21, False], spans[0, False], "bo")
    found = [(c.label, c.annotators) for c in links(project, doc)]
    assert sorted(found) == [("contradicts", ("ana", "bo")), ("supports", ("ana",)), ("supports", ("bo",))]


def test_accepting_a_link_accepts_its_endpoints_and_adds_a_gold_link(
    project: Project, doc: DocumentId, linked: DocumentId
) -> None:
    support = link(project, doc, "supports")
    change = adj.set_state(project, doc, support.key, State.ACCEPTED, "judge").value
    assert change.after == {PERSON: State.AGREED, MOSCOW: State.ACCEPTED, support.key: State.ACCEPTED}
    gold = project.annotator(GOLD).id
    [made] = [x for x in project.links() if x.annotator_id == gold]
    assert (made.kind, project.span(made.source_span_id).start, project.span(made.target_span_id).start) == (
        "supports",
        0,
        31,
    )
    adj.set_state(project, doc, MOSCOW, State.REJECTED, "judge")  # takes the gold link with it
    assert states(project, doc)[support.key] == State.OPEN
    assert not [x for x in project.links() if x.annotator_id == gold]
    with pytest.raises(InvalidOperation, match="was rejected"):
        adj.set_state(project, doc, support.key, State.ACCEPTED, "judge")


def test_preaccept_takes_agreed_cross_document_links(project: Project, doc: DocumentId, linked: DocumentId) -> None:
    change = adj.preaccept_agreed(project, doc, "judge").value
    same = link(project, doc, "same_as")
    assert change.after[same.key] == State.AGREED
    assert gold_spans(project, linked) == [(0, 6, "PERSON")]  # the far endpoint came along
    assert doc in change.changes.document_ids and linked in change.changes.document_ids
    assert states(project, linked)[same.key] == State.AGREED


# ---- export ------------------------------------------------------------------------
def test_gold_export_holds_exactly_the_accepted_and_agreed_items(
    project: Project, doc: DocumentId, linked: DocumentId, tmp_path: Path
) -> None:
    adj.preaccept_agreed(project, doc, "judge")
    adj.set_state(project, doc, MOSCOW, State.ACCEPTED, "judge")
    adj.set_state(project, doc, "span:31:37:ORG", State.REJECTED, "judge")
    adj.set_state(project, doc, link(project, doc, "supports").key, State.ACCEPTED, "judge")
    out = tmp_path / "gold.jsonl"
    export(project, "jsonl", out, Selection(annotators=frozenset({GOLD})))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    spans = sorted((r["document"], r["start"], r["end"], r["label"]) for r in records if r["type"] == "span")
    expected = sorted(
        (c.home, c.start, c.end, c.label)
        for d in (doc, linked)
        for c in adj.candidates(project, d)
        if c.kind == "span" and c.state in (State.AGREED, State.ACCEPTED)
    )
    assert spans == expected and len(spans) == 4
    assert {r["annotator"] for r in records if r["type"] in ("span", "link")} == {GOLD}
    assert sorted(r["kind"] for r in records if r["type"] == "link") == ["same_as", "supports"]


def test_a_curation_edit_undoes_and_redoes_through_project_apply(
    project: Project, project_path: Path, doc: DocumentId
) -> None:
    before = dump(project_path)
    outcome = adj.preaccept_agreed(project, doc, "judge")
    after = dump(project_path)
    assert outcome.changes.curation and outcome.changes.spans
    undone = project.apply(outcome.undo)
    assert dump(project_path) == {**before, "annotator": after["annotator"]}
    assert undone.changes.curation and undone.value.after == outcome.value.before
    project.apply(undone.undo)
    assert dump(project_path) == after
