"""One dispute per pair of statements, whoever linked it; verdicts name sources in a stable order."""

from __future__ import annotations

from app.models import LinkKind, NewDocument
from app.review import sessions as review
from app.review.models import Decision
from app.review.report import by_source, report_html
from app.storage.project import Project
from tests.core.review_helpers import Tree, table

EARLY = "Ottawa cancelled all permits on Monday. More later."
LATE = "Ottawa cancelled some permits on Tuesday. More later."


def two_articles(project: Project) -> tuple[int, int]:
    docs = project.add_documents(
        [
            NewDocument(text=LATE, title="Late", source="Reuters", published="2020-10-06"),
            NewDocument(text=EARLY, title="Early", source="Al Arabiya", published="2020-10-05"),
        ]
    ).value.added
    return docs[1], docs[0]  # early, late


def test_links_of_several_annotators_on_one_pair_make_one_dispute_counted_once(project: Project) -> None:
    early, late = two_articles(project)
    a1 = project.add_span(early, 0, 38, "CLAIM", "ana").value.id
    b1 = project.add_span(late, 0, 40, "CLAIM", "ana").value.id
    a2 = project.add_span(early, 0, 30, "CLAIM", "ben").value.id  # overlapping, not equal
    b2 = project.add_span(late, 0, 40, "CLAIM", "ben").value.id
    project.add_link("contradicts", a1, b1, "ana")
    project.add_link("contradicts", b2, a2, "ben")  # the other way round
    project.add_link("contradicts", a1, b1, "gold")
    session = review.start_session(project, "R", "lead").value
    (dispute,) = review.disputes(project, session)
    assert dispute.annotators == ("ana", "ben", "gold") and len(dispute.links) == 3
    assert (dispute.first.source.outlet, dispute.second.source.outlet) == ("Al Arabiya", "Reuters")
    assert review.progress(project, session) == (0, 1)
    assert {name: t.disputes for name, t in by_source([dispute], session.id).items()} == {
        "Al Arabiya": 1,
        "Reuters": 1,
    }
    page = report_html(project, session)
    assert len(Tree(page).root.find_all("div", "dispute")) == 1 and "link by ana, ben, gold" in page


def test_a_source_named_verdict_stays_on_that_source_when_the_link_is_reversed(project: Project) -> None:
    early, late = two_articles(project)
    a = project.add_span(early, 0, 38, "CLAIM", "ana").value.id
    b = project.add_span(late, 0, 40, "CLAIM", "ana").value.id
    for ends in ((a, b), (b, a)):
        link = project.add_link("contradicts", *ends, "ana").value.id
        session = review.start_session(project, f"R{ends[0]}", "lead").value
        (dispute,) = review.disputes(project, session)
        decision = dispute.decision_for(dispute.second, session.id)  # "Reuters right"
        review.set_verdict(project, session.id, dispute.link_in(session.id), decision)
        (judged,) = review.disputes(project, session)
        assert judged.verdict_text(judged.judgement_in(session.id).verdict) == "Reuters right"  # type: ignore[union-attr]
        assert by_source([judged], session.id)["Reuters"].right == 1
        review.delete_session(project, session.id)
        project.delete_links([link])


def test_contradicting_verdicts_of_one_session_on_one_pair_are_flagged(project: Project) -> None:
    early, late = two_articles(project)
    a = project.add_span(early, 0, 38, "CLAIM", "ana").value.id
    b = project.add_span(late, 0, 40, "CLAIM", "ana").value.id
    c = project.add_span(late, 0, 40, "CLAIM", "ben").value.id
    first = project.add_link("contradicts", a, b, "ana").value.id
    second = project.add_link("contradicts", c, a, "ben").value.id
    session = review.start_session(project, "R", "lead").value
    review.set_verdict(project, session.id, first, Decision.FIRST_SOURCE_RIGHT)  # Al Arabiya right
    review.set_verdict(project, session.id, second, Decision.SECOND_SOURCE_RIGHT)  # Al Arabiya again
    (dispute,) = review.disputes(project, session)
    assert not dispute.conflicting_in(session.id)
    review.set_verdict(project, session.id, second, Decision.FIRST_SOURCE_RIGHT)  # Reuters right
    (dispute,) = review.disputes(project, session)
    assert dispute.conflicting_in(session.id)
    assert "contradict each other" in report_html(project, session)


def test_verdict_words_fit_the_link_kind(project: Project) -> None:
    early, late = two_articles(project)
    a = project.add_span(early, 0, 6, "ORG", "ana").value.id
    b = project.add_span(late, 0, 6, "ORG", "ana").value.id
    link = project.add_link("same_as", a, b, "ana").value.id
    session = review.start_session(project, "Names", "lead", review.Scope(kinds=(LinkKind.SAME_AS,))).value
    review.set_verdict(project, session.id, link, Decision.NOT_A_CONFLICT)
    (dispute,) = review.disputes(project, session)
    assert dispute.verdict_text(dispute.judgement_in(session.id).verdict) == "Not the same"  # type: ignore[union-attr]
    rows = table(Tree(report_html(project, session)).root, "by-verdict")
    assert [r[0] for r in rows[1:3]] == ["Same confirmed", "Not the same"]
    assert not [r for r in rows if "conflict" in r[0].lower()]
