"""Dispute review in the core: sessions, scope, verdicts, undo steps, persistence."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.errors import CorruptProject, InvalidOperation, NotFound
from app.models import LinkKind
from app.review import sessions as review
from app.review.disputes import context
from app.review.sessions import Decision, PutVerdict, Scope
from app.storage.project import Project
from tests.core.review_helpers import SampleLinks, sample_links


@pytest.fixture
def links(project: Project) -> SampleLinks:
    return sample_links(project)


def start(project: Project, name: str = "First pass", scope: Scope | None = None) -> review.ReviewSession:
    return review.start_session(project, name, "Rita", scope).value


def linked(project: Project, session: review.ReviewSession) -> list[int]:
    return [d.link.id for d in review.disputes(project, session)]


def test_a_new_session_reviews_every_contradiction_in_date_order(project: Project, links: SampleLinks) -> None:
    session = start(project)
    assert session.scope == Scope() and session.closed_at is None and session.reviewer == "Rita"
    # The first statement's article: 2020-10-06 first, undated ones after, in project order.
    assert linked(project, session) == [links.scope, links.day, links.extent]
    assert review.progress(project, session) == (0, 3)
    assert review.sessions(project) == [session]


def test_a_dispute_carries_both_statements_in_context_and_the_link(project: Project, links: SampleLinks) -> None:
    dispute = next(d for d in review.disputes(project, start(project)) if d.link.id == links.day)
    # Sides in a stable order (date, then outlet), not the link's direction: both undated here.
    second, first = dispute.first, dispute.second
    assert (second.source.outlet, first.source.outlet) == ("Al Arabiya English", "GreekReporter.com")
    assert first.source.published is None
    assert first.quote == "On Tuesday, Canada canceled its permits to export drone technology to Turkey"
    assert first.before.endswith("Nagorno-Karabakh, Armenia. ")
    assert first.after == " for its part in the Azerbaijani conflict. File photo"
    assert first.source.outlet == "GreekReporter.com" and first.label == "CLAIM"
    assert second.source.name == "Al Arabiya English" and second.source.published is None
    assert second.after.startswith(" after a review found")
    assert dispute.annotator == "Ana" and dispute.note == "Which day?" and dispute.judgements == ()


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope(kinds=(LinkKind.SUPPORTS,)), ["supports"]),
        (Scope(kinds=(LinkKind.CONTRADICTS, LinkKind.SUPPORTS)), ["scope", "day", "supports", "extent"]),
        (Scope(label="claim"), ["scope", "day", "extent"]),  # label names ignore case
        (Scope(label="PERSON"), []),
        (Scope(document_ids=(2,)), ["day"]),  # GreekReporter: one end is enough
        (Scope(document_ids=(3,)), ["day", "extent"]),
        (Scope(document_ids=(2, 3), within=True), ["day"]),
        (Scope(document_ids=(3,), within=True), []),
    ],
)
def test_scope_chooses_links(project: Project, links: SampleLinks, scope: Scope, expected: list[str]) -> None:
    assert linked(project, start(project, scope=scope)) == [getattr(links, name) for name in expected]


def test_only_undecided_skips_links_other_sessions_judged_but_keeps_its_own(
    project: Project, links: SampleLinks
) -> None:
    earlier = start(project, "Earlier")
    review.set_verdict(project, earlier.id, links.day, Decision.CONFLICT_CONFIRMED)
    fresh = start(project, "Fresh", Scope(only_undecided=True))
    assert linked(project, fresh) == [links.scope, links.extent]
    review.set_verdict(project, fresh.id, links.scope, Decision.UNDETERMINED)
    assert review.progress(project, fresh) == (1, 2)  # its own verdict keeps the link in
    review.set_verdict(project, earlier.id, links.scope, Decision.NOT_A_CONFLICT)
    assert linked(project, fresh) == [links.scope, links.extent]


def test_verdicts_upsert_and_remove(project: Project, links: SampleLinks) -> None:
    session = start(project)
    first = review.set_verdict(project, session.id, links.day, "first_source_right", "Tuesday?").value
    assert first is not None and first.decision is Decision.FIRST_SOURCE_RIGHT
    again = review.set_verdict(
        project,
        session.id,
        links.day,
        Decision.SECOND_SOURCE_RIGHT,
        "April 12 was a Monday",
        [links.evidence, links.evidence],
    ).value
    assert again is not None and again.id == first.id and again.evidence == (links.evidence,)
    assert review.verdicts(project, session.id) == [again]
    assert review.progress(project, session) == (1, 3)
    assert review.set_verdict(project, session.id, links.day, None).value is None
    assert review.verdicts(project) == [] and review.progress(project, session) == (0, 3)


def test_bad_verdicts_are_refused_and_change_nothing(project: Project, links: SampleLinks) -> None:
    session = start(project)
    with pytest.raises(InvalidOperation, match="unknown decision 'maybe'"):
        review.set_verdict(project, session.id, links.day, "maybe")
    with pytest.raises(NotFound, match="evidence span 999"):
        review.set_verdict(project, session.id, links.day, Decision.BOTH_WRONG, evidence=[999])
    with pytest.raises(NotFound, match="link 999"):
        review.set_verdict(project, session.id, 999, Decision.BOTH_WRONG)
    with pytest.raises(NotFound, match="review session 99"):
        review.set_verdict(project, 99, links.day, Decision.BOTH_WRONG)
    assert review.verdicts(project) == []


def test_sessions_need_a_unique_name_and_a_reviewer(project: Project, links: SampleLinks) -> None:
    start(project)
    with pytest.raises(InvalidOperation, match="already exists"):
        review.start_session(project, " first PASS ", "Sam")
    with pytest.raises(InvalidOperation, match="name and a reviewer"):
        review.start_session(project, "Other", "  ")
    with pytest.raises(InvalidOperation, match="link kind"):
        review.start_session(project, "Other", "Sam", Scope(kinds=()))
    assert [s.name for s in review.sessions(project)] == ["First pass"]


def test_undo_steps_put_back_exactly(project: Project, links: SampleLinks) -> None:
    session = start(project)
    recorded = review.set_verdict(project, session.id, links.day, Decision.BOTH_WRONG, "x", [links.evidence])
    assert recorded.undo == PutVerdict(session.id, links.day, None) and recorded.changes.verdict_link_ids == {links.day}
    assert recorded.changes.reviews and recorded.changes.review_session_ids == {session.id}
    changed = review.set_verdict(project, session.id, links.day, Decision.UNDETERMINED)
    undone = project.apply(changed.undo)
    assert review.verdicts(project) == [recorded.value]  # same id, rationale, evidence and time
    project.apply(undone.undo)
    assert review.verdicts(project) == [changed.value]


def test_starting_and_deleting_sessions_are_undoable(project: Project, links: SampleLinks) -> None:
    started = review.start_session(project, "S", "Rita")
    review.set_verdict(project, started.value.id, links.day, Decision.BOTH_WRONG, "why", [links.evidence])
    before = (review.sessions(project), review.verdicts(project))
    deleted = review.delete_session(project, started.value.id)
    assert review.sessions(project) == [] and review.verdicts(project) == []
    restored = project.apply(deleted.undo)
    assert (review.sessions(project), review.verdicts(project)) == before
    assert restored.undo == review.DeleteSession(started.value.id)
    gone = project.apply(started.undo)  # undoing the start removes it with its verdicts
    assert review.sessions(project) == [] and isinstance(gone.undo, review.RestoreSession)


def test_pause_and_resume(project: Project, links: SampleLinks) -> None:
    session = start(project)
    paused = review.set_paused(project, session.id, True)
    assert paused.paused and paused.closed_at
    assert not review.set_paused(project, session.id, False).paused


def test_verdicts_persist_across_reopening(project_path: Path) -> None:
    with Project.open(project_path) as project:
        links = sample_links(project)
        session = start(project, scope=Scope(only_undecided=True, label="CLAIM"))
        review.set_verdict(
            project, session.id, links.day, Decision.SECOND_SOURCE_RIGHT, "Monday\n12 April", [links.evidence]
        )
        review.set_paused(project, session.id, True)
        expected = review.disputes(project, session.id)
    with Project.open(project_path) as project:
        again = review.find_session(project, "First pass")
        assert again.scope == Scope(only_undecided=True, label="CLAIM") and again.paused
        assert review.disputes(project, again) == expected
        judged = next(d for d in expected if d.link.id == links.day).judgement_in(again.id)
        assert judged is not None and judged.verdict.rationale == "Monday\n12 April"
        assert [e.quote for e in judged.evidence] == ["in an April 12 statement"]
        assert review.progress(project, again) == (1, 3)


def test_sessions_that_disagree_are_flagged(project: Project, links: SampleLinks) -> None:
    one, two, three = start(project, "One"), start(project, "Two"), start(project, "Three")
    review.set_verdict(project, one.id, links.day, Decision.SECOND_SOURCE_RIGHT)
    review.set_verdict(project, two.id, links.day, Decision.SECOND_SOURCE_RIGHT)
    review.set_verdict(project, one.id, links.scope, Decision.CONFLICT_CONFIRMED)
    by_link: dict[int, review.Dispute] = {d.link.id: d for d in review.disputes(project, three)}
    assert not by_link[links.day].disagreement and not by_link[links.scope].disagreement
    review.set_verdict(project, three.id, links.day, Decision.FIRST_SOURCE_RIGHT)
    day = next(d for d in review.disputes(project, one) if d.link.id == links.day)
    assert day.disagreement
    assert [(j.session_name, j.reviewer) for j in day.others(one.id)] == [("Two", "Rita"), ("Three", "Rita")]
    assert review.latest_decisions(project) == {
        links.day: Decision.FIRST_SOURCE_RIGHT,
        links.scope: Decision.CONFLICT_CONFIRMED,
    }


def test_deleting_a_judged_link_is_undoable_through_the_store(project: Project, links: SampleLinks) -> None:
    session = start(project)
    review.set_verdict(project, session.id, links.day, Decision.SECOND_SOURCE_RIGHT, "why", [links.evidence])
    before = review.disputes(project, session)
    removed = project.delete_links([links.day])
    assert review.verdicts(project) == [] and review.progress(project, session) == (0, 2)
    project.apply(removed.undo)
    assert review.disputes(project, session) == before
    gone = project.delete_spans([links.evidence])  # evidence goes with its span, and comes back
    assert review.verdicts(project)[0].evidence == ()
    project.apply(gone.undo)
    assert review.verdicts(project)[0].evidence == (links.evidence,)


def test_find_session_by_name_or_id(project: Project, links: SampleLinks) -> None:
    first, second = start(project, "Week 1"), start(project, "2")
    assert review.find_session(project, "week 1") == first
    assert review.find_session(project, first.id) == first
    assert review.find_session(project, "2") == second  # a name wins over an id
    assert review.find_session(project, str(second.id)) == second
    with pytest.raises(NotFound, match=r"no review session 'nope'.*'Week 1', '2'"):
        review.find_session(project, "nope")


def test_describe_scope(project: Project, links: SampleLinks) -> None:
    scope = Scope(
        kinds=(LinkKind.CONTRADICTS, LinkKind.SAME_AS),
        document_ids=(2,),
        within=True,
        label="CLAIM",
        only_undecided=True,
    )
    assert review.describe_scope(project, scope) == (
        "contradicts and same as links, between Canada Cancels Drone Technology Export Permits to Turkey,"
        " with a CLAIM statement, not judged in another session"
    )
    assert review.describe_scope(project, Scope(label="ORG")).endswith("links, with an ORG statement")


TEXT = (
    "Intro line without stop\nMr. Garneau spoke on Monday. He said the U.S. agreed. Then he left!\n"
    "wrapped line\ncontinues here. Last one.\n\nNew paragraph. Second sentence."
)


@pytest.mark.parametrize(
    ("quote", "extra", "expected"),
    [
        ("spoke", 0, ("Mr. Garneau ", "spoke", " on Monday.")),
        ("spoke", 1, ("Intro line without stop\nMr. Garneau ", "spoke", " on Monday. He said the U.S. agreed.")),
        ("U.S.", 0, ("He said the ", "U.S.", " agreed.")),
        ("continues", 0, ("wrapped line\n", "continues", " here.")),
        ("Last", 1, ("wrapped line\ncontinues here. ", "Last", " one.")),  # the paragraph ends the context
        ("Second", 1, ("New paragraph. ", "Second", " sentence.")),
    ],
)
def test_context_finds_the_surrounding_sentences(quote: str, extra: int, expected: tuple[str, str, str]) -> None:
    start_at = TEXT.index(quote)
    assert context(TEXT, start_at, start_at + len(quote), extra) == expected


def test_context_is_cut_to_a_limit_at_words() -> None:
    text = "word " * 300 + "QUOTE" + " more" * 300 + "."
    before, quote, after = context(text, 1500, 1505, limit=40)
    assert quote == "QUOTE" and before.startswith("…word") and after.endswith("more…")
    assert len(before) <= 41 and len(after) <= 41


def test_an_unreadable_scope_is_reported_by_name(project_path: Path) -> None:
    with Project.open(project_path) as project:
        start(project)
    with closing(sqlite3.connect(project_path)) as raw, raw:
        raw.execute('UPDATE review_session SET scope = \'{"kinds": ["hates"]}\'')
    with Project.open(project_path) as project, pytest.raises(CorruptProject, match="'First pass' has an unreadable"):
        review.sessions(project)
