"""Conflict and same_as suggestions; accepting (undo, redo) and rejecting (kept across reopening)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import InvalidOperation
from app.formats.articles import import_paths
from app.reconcile.decisions import accept, reject, rejected_ids
from app.reconcile.mention import Suggestion
from app.reconcile.suggest import format_suggestions, order, suggest_conflicts, suggest_texts
from app.resources import sample_corpus_path
from app.storage.project import Project


@pytest.fixture
def sample(project: Project) -> Project:
    import_paths(project, [sample_corpus_path()])
    return project


def detail_texts(s: Suggestion) -> set[str]:
    return {d.text for d in s.details}


def find(found: list[Suggestion], kind: str, *texts: str) -> Suggestion:
    for s in found:
        if s.kind == kind and set(texts) <= detail_texts(s):
            return s
    raise AssertionError(f"no {kind} suggestion with {texts}: {[(s.kind, s.reason) for s in found]}")


def test_sample_disagreements_are_suggested_with_reasons(sample: Project) -> None:
    found = suggest_conflicts(sample)
    weekday = find(found, "weekday", "Monday", "Tuesday")
    assert weekday.link_kind == "contradicts" and weekday.reason in (
        "weekday differs: Monday / Tuesday",
        "weekday differs: Tuesday / Monday",
    )
    quantity = find(found, "quantifier", "all", "some")
    assert "all permits" in quantity.reason and "some military" in quantity.reason
    person = find(found, "person", "Francois-Philippe Champagne", "Marc Garneau")
    assert "canadian foreign minister" in person.reason
    for s in found:
        assert s.reason and 0 < s.score <= 100
        for d in s.details:
            assert sample.text(d.doc)[d.start : d.end] == d.text
        assert (s.doc_a, s.start_a) < (s.doc_b, s.start_b)
    assert found == sorted(found, key=order)
    kinds = [s.link_kind for s in found]
    assert kinds.index("same_as") > max(i for i, k in enumerate(kinds) if k != "same_as")  # disagreements first


def test_diacritic_and_case_variants_are_suggested_as_same_as(sample: Project) -> None:
    found = suggest_conflicts(sample)
    turkish = find(found, "same_as", "Mevlüt Çavuşoğlu", "Mevlut Cavusoglu")
    assert turkish.link_kind == "same_as" and turkish.label_hint == "PERSON"
    assert "accents" in turkish.reason and {m.text for m in turkish.mentions} >= {"Cavusoglu", "Mevlüt Çavuşoğlu"}
    assert len({m.doc for m in turkish.mentions}) == 3  # one row for the whole cluster
    company = find(found, "same_as", "L3Harris WESCAM", "L3Harris Wescam")
    assert "case" in company.reason
    assert sample.text(turkish.doc_a)[turkish.start_a : turkish.end_a] in {"Mevlüt Çavuşoğlu", "Mevlut Cavusoglu"}


def test_ids_are_stable_and_unique(sample: Project) -> None:
    first, second = suggest_conflicts(sample), suggest_conflicts(sample)
    assert [s.id for s in first] == [s.id for s in second]
    assert len({s.id for s in first}) == len(first)


def test_general_rules_on_unseen_text() -> None:
    texts = {
        1: "Officials in Lisbon said on Wednesday that 40 workers were evacuated from the Tagus refinery"
        " after the fire, and all roads nearby were closed by the Civil Protection Agency.",
        2: "Officials in Porto said on Thursday that 45 workers were evacuated from the Tagus refinery"
        " after the fire, and some roads nearby were closed by the National Republican Guard.",
    }
    found = suggest_texts(texts)
    kinds = {s.kind: s for s in found}
    assert kinds["weekday"].reason == "weekday differs: Wednesday / Thursday"
    assert kinds["number"].reason == "number differs: 40 workers / 45 workers"
    assert kinds["quantifier"].reason == "quantity differs: all roads nearby / some roads nearby"
    assert kinds["place"].reason == "place differs in the same wording: Lisbon / Porto"
    assert kinds["organisation"].details[0].text == "Civil Protection Agency"


def test_dates_and_roles_on_unseen_text() -> None:
    texts = {
        1: "The summit opened on March 3, 2024 in Geneva, where Brazilian Foreign Minister Ana Costa spoke"
        " about the grain corridor and the new shipping rules for the Black Sea ports.",
        2: "The summit opened on 5 March 2024 in Geneva, where Brazilian Foreign Minister Pedro Lima spoke"
        " about the grain corridor and the new shipping rules for the Black Sea ports.",
    }
    found = suggest_texts(texts, published={1: "2024-03-05", 2: "2024-03-05"})
    assert find(found, "date", "March 3, 2024", "5 March 2024").reason == "date differs: March 3, 2024 / 5 March 2024"
    role = find(found, "person", "Ana Costa", "Pedro Lima")
    assert role.link_kind == "contradicts"  # the same day: two holders of one role cannot both be right
    assert role.reason == "person differs for 'brazilian foreign minister' on 2024-03-05: Ana Costa / Pedro Lima"


def test_agreeing_or_unrelated_texts_give_no_conflicts() -> None:
    same = "Turkey's foreign minister met his counterpart on Monday and 29 permits were cancelled."
    assert suggest_texts({1: same, 2: same}) == []
    unrelated = {
        1: "The bakery won a bread contest on Saturday with 3 loaves and all its staff.",
        2: "Rain is expected on Tuesday across 12 counties, and some rivers may flood.",
    }
    assert [s for s in suggest_texts(unrelated) if s.link_kind == "contradicts"] == []


def test_accept_creates_spans_and_link_in_one_step_undo_and_redo(sample: Project) -> None:
    weekday = find(suggest_conflicts(sample), "weekday", "Monday", "Tuesday")
    before = (len(sample.spans()), len(sample.links()))
    done = accept(sample, weekday, "ana")
    spans, link = done.value.spans, done.value.link
    assert link.kind.value == "contradicts" and link.note == weekday.reason
    assert {(s.document_id, s.start, s.end) for s in spans} == {
        (weekday.doc_a, weekday.start_a, weekday.end_a),
        (weekday.doc_b, weekday.start_b, weekday.end_b),
    }
    assert all(sample.label(s.label_id).name == "CLAIM" for s in spans)
    assert done.changes.links and done.changes.document_ids == {weekday.doc_a, weekday.doc_b}
    assert weekday.id not in {s.id for s in suggest_conflicts(sample)}  # linked now

    undone = sample.apply(done.undo)
    assert (len(sample.spans()), len(sample.links())) == before
    sample.apply(undone.undo)  # redo: the same spans and link come back
    assert sample.link(link.id).source_span_id == link.source_span_id
    assert {s.id for s in sample.spans()} >= {s.id for s in spans}


def test_accept_reuses_an_identical_span_and_refuses_a_second_link(sample: Project) -> None:
    company = find(suggest_conflicts(sample), "same_as", "L3Harris WESCAM", "L3Harris Wescam")
    existing = sample.add_span(company.doc_a, company.start_a, company.end_a, "ORG", "ana").value
    done = accept(sample, company, "ana")
    assert existing.id in {s.id for s in done.value.spans}
    assert all(sample.label(s.label_id).name == "ORG" for s in done.value.spans)
    assert len(sample.spans()) == 2
    with pytest.raises(InvalidOperation, match="already linked"):
        accept(sample, company, "ana")
    assert len(sample.spans()) == 2 and len(sample.links()) == 1
    sample.apply(done.undo)  # undo keeps the span that was there before
    assert [s.id for s in sample.spans()] == [existing.id] and sample.links() == []


def test_accept_with_an_explicit_label_and_without_claim_labels(sample: Project) -> None:
    company = find(suggest_conflicts(sample), "same_as", "L3Harris WESCAM", "L3Harris Wescam")
    done = accept(sample, company, "ana", label="EQUIPMENT")
    assert {sample.label(s.label_id).name for s in done.value.spans} == {"EQUIPMENT"}
    sample.delete_label(sample.label("CLAIM").id)
    weekday = find(suggest_conflicts(sample), "weekday", "Monday", "Tuesday")
    with pytest.raises(InvalidOperation, match="no claim label"):
        accept(sample, weekday, "ana")


def test_rejections_are_kept_across_reopening_and_undoable(project_path: Path) -> None:
    with Project.open(project_path) as project:
        import_paths(project, [sample_corpus_path()])
        person = find(suggest_conflicts(project), "person", "Marc Garneau")
        outcome = reject(project, person)
        assert person.id in rejected_ids(project)
    with Project.open(project_path) as project:
        stored = rejected_ids(project)
        assert stored == {person.id, *person.parts}
        assert person.id not in {s.id for s in suggest_conflicts(project)}
        assert person.id in {s.id for s in suggest_conflicts(project, include_rejected=True)}
        reject(project, person.id)  # rejecting twice keeps one entry
        assert rejected_ids(project) == stored
        project.apply(outcome.undo)
        assert rejected_ids(project) == set()


def test_format_suggestions() -> None:
    texts = {
        1: "The talks began on Monday in Vienna with 12 delegations attending.",
        2: "The talks began on Friday in Vienna with 12 delegations attending.",
    }
    found = [s for s in suggest_texts(texts) if s.kind == "weekday"]
    assert len(found) == 1
    line = format_suggestions(found)
    assert line.split("\t")[1:3] == ["weekday", found[0].id and f"{found[0].score:.0f}"]
    assert line.endswith("contradicts\tweekday differs: Monday / Friday")
    listing = format_suggestions(found, texts).splitlines()
    assert listing[2] == f"  2 (no date): Friday  « {texts[2]} »"


def test_reworded_report_of_another_event() -> None:
    texts = {
        1: "A magnitude 6.8 earthquake struck eastern Turkey on Friday evening, killing at least 120 people and"
        ' injuring more than 1,600, officials said. "All our teams are in the field," President Recep Tayyip'
        " Erdoğan told reporters in Istanbul. In 1999, two powerful quakes killed about 18,000 people in the"
        " northwest.",
        2: "At least 31 people have died and more than 1,200 were injured after a powerful earthquake struck"
        " eastern Turkey on Friday, the government said. President Recep Tayyip Erdogan, speaking in Istanbul,"
        ' said "all our teams are in the field". In 1999, two quakes killed about 17,000 people in the'
        " north-west of the country.",
    }
    found = suggest_texts(texts)
    reasons = {s.reason for s in found}
    assert "number differs: killing at least 120 people / 31 people" in reasons
    assert (
        "number differs slightly (rounding or vague): killed about 18,000 people / killed about 17,000 people"
        in reasons
    )  # "about"
    assert "same entity in 2 articles (accents differ): Recep Tayyip Erdogan (2), Recep Tayyip Erdoğan (1)" in reasons
    assert not [s for s in found if s.kind in ("weekday", "date", "quote")]  # Friday and 1999 agree; one speaker
