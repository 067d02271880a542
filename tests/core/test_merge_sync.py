"""Re-merge as sync: each annotator's own file is the truth for their work; the team file's
curation, sessions and verdicts stay, re-attached by identity; sessions come from sources too."""

from __future__ import annotations

from pathlib import Path

from app.models import NewDocument
from app.review.sessions import set_verdict, start_session, verdicts
from app.storage.project import Project
from app.team.curation import State, candidates, set_state
from app.team.merge import format_merge, merge_projects
from tests.core.store_helpers import dump

TEXT_1 = "Ottawa approved the permits in May. Turkey received the sensors."
TEXT_2 = "Ottawa denied any permits. Turkey never got sensors."


def make(path: Path, annotator: str) -> Path:
    """Two articles; a CLAIM in each, an ORG span, a contradicts link between the claims."""
    with Project.create(path, default_labels=False) as project:
        for name, kind in (("ORG", "entity"), ("LOCATION", "entity"), ("CLAIM", "claim")):
            project.add_label(name, kind)
        docs = project.add_documents(
            [NewDocument(text=TEXT_1, title="A", source="Globe"), NewDocument(text=TEXT_2, title="B", source="Star")]
        ).value.added
        first = project.add_span(docs[0], 0, 34, "CLAIM", annotator).value.id
        second = project.add_span(docs[1], 0, 25, "CLAIM", annotator).value.id
        project.add_span(docs[0], 36, 42, "ORG", annotator)
        project.add_link("contradicts", first, second, annotator)
    return path


def spans_of(team: Path, who: str) -> list[tuple[object, ...]]:
    with Project.open(team) as project:
        names = {x.id: x.name for x in project.labels()}
        person = project.annotator(who).id
        return sorted((s.quote, names[s.label_id]) for s in project.spans() if s.annotator_id == person)


def test_relabel_and_delete_in_a_source_show_in_the_team_file_which_keeps_its_curation(tmp_path: Path) -> None:
    ana, ben = make(tmp_path / "ana.parallax", "ana"), make(tmp_path / "ben.parallax", "ben")
    team = tmp_path / "team.parallax"
    merge_projects([ana, ben], team)
    with Project.open(team) as project:  # the lead curates: ORG "Turkey" into gold, and judges the dispute
        doc = next(d.id for d in project.documents() if d.title == "A")
        org = next(c for c in candidates(project, doc) if c.label == "ORG")
        set_state(project, doc, org.key, State.ACCEPTED, "lead")
        review = start_session(project, "Round 1", "lead").value
        ben_link = next(x for x in project.links() if x.annotator_id == project.annotator("ben").id)
        set_verdict(project, review.id, ben_link.id, "conflict_confirmed", "checked")
    with Project.open(ana) as project:  # ana relabels ORG as LOCATION and deletes her contradiction
        org_span = next(s for s in project.spans() if s.quote == "Turkey")
        project.update_span(org_span.id, label_id=project.label("LOCATION").id)
        project.delete_links([project.links()[0].id])
    with Project.open(ben) as project:  # ben deletes his ORG span
        project.delete_spans([next(s.id for s in project.spans() if s.quote == "Turkey")])
    report = merge_projects([ana, ben], team)
    first, second = report.sources
    assert (first.spans_changed, first.spans_deleted, first.links_deleted, first.links_added) == (1, 0, 1, 0)
    assert (second.spans_changed, second.spans_deleted, second.links_deleted) == (0, 1, 0)
    assert "1 spans changed" in format_merge(report)
    assert ("Turkey", "LOCATION") in spans_of(team, "ana") and ("Turkey", "ORG") not in spans_of(team, "ana")
    assert "Turkey" not in [q for q, _ in spans_of(team, "ben")]
    assert spans_of(team, "gold") == [("Turkey", "ORG")]  # curation kept
    with Project.open(team) as project:
        (kept,) = verdicts(project)
        assert (kept.link_id, kept.decision, kept.rationale) == (ben_link.id, "conflict_confirmed", "checked")
    before = dump(team)
    again = merge_projects([ana, ben], team)
    assert dump(team) == before  # a sync with nothing new changes nothing
    assert all((s.spans_changed, s.spans_deleted, s.links_deleted) == (0, 0, 0) for s in again.sources)


def test_a_verdict_on_a_deleted_link_moves_to_the_same_pair_or_is_listed(tmp_path: Path) -> None:
    ana, ben = make(tmp_path / "ana.parallax", "ana"), make(tmp_path / "ben.parallax", "ben")
    team = tmp_path / "team.parallax"
    merge_projects([ana, ben], team)
    with Project.open(team) as project:
        review = start_session(project, "Round 1", "lead").value
        ana_link = next(x for x in project.links() if x.annotator_id == project.annotator("ana").id)
        set_verdict(project, review.id, ana_link.id, "not_a_conflict", "permits differ")
    with Project.open(ana) as project:
        project.delete_links([project.links()[0].id])
    report = merge_projects([ana], team)
    assert report.sources[0].verdicts_reattached == 1 and report.sources[0].unattached == ()
    with Project.open(team) as project:
        (moved,) = verdicts(project)
        assert project.link(moved.link_id).annotator_id == project.annotator("ben").id
        assert moved.rationale == "permits differ"
    with Project.open(ben) as project:
        project.delete_links([project.links()[0].id])
    report = merge_projects([ben], team)
    (lost,) = report.sources[0].unattached
    assert "Round 1" in lost and "not_a_conflict" in lost and "no longer attaches" in lost
    with Project.open(team) as project:
        assert verdicts(project) == []
        assert "permits differ" in (project.get_setting("team.unattached") or "")


def test_merge_carries_review_sessions_and_verdicts_from_sources(tmp_path: Path) -> None:
    ana = make(tmp_path / "ana.parallax", "ana")
    with Project.open(ana) as project:
        review = start_session(project, "Ana's check", "ana").value
        set_verdict(project, review.id, project.links()[0].id, "undetermined", "ask the lead")
    team = tmp_path / "team.parallax"
    with Project.create(team, default_labels=False) as project:  # a document first, so ids differ from ana's
        project.add_documents([NewDocument(text="Another article first.")])
    report = merge_projects([ana], team)
    assert (report.sources[0].sessions_added, report.sources[0].verdicts_added) == (1, 1)
    with Project.open(team) as project:
        (carried,) = verdicts(project)
        assert carried.rationale == "ask the lead" and project.link(carried.link_id).kind == "contradicts"
    before = dump(team)
    merge_projects([ana], team)
    assert dump(team) == before


def test_a_moved_source_named_verdict_stays_on_its_source_when_the_new_link_runs_the_other_way(
    tmp_path: Path,
) -> None:
    ana, ben = make(tmp_path / "ana.parallax", "ana"), make(tmp_path / "ben.parallax", "ben")
    with Project.open(ben) as project:  # ben links the claims the other way round
        (link,) = project.links()
        project.delete_links([link.id])
        project.add_link("contradicts", link.target_span_id, link.source_span_id, "ben")
    team = tmp_path / "team.parallax"
    merge_projects([ana, ben], team)
    with Project.open(team) as project:
        review = start_session(project, "Round 1", "lead").value
        ana_link = next(x for x in project.links() if x.annotator_id == project.annotator("ana").id)
        set_verdict(project, review.id, ana_link.id, "first_source_right")  # ana's source: the Globe
    with Project.open(ana) as project:
        project.delete_links([project.links()[0].id])
    merge_projects([ana], team)
    with Project.open(team) as project:
        (moved,) = verdicts(project)
        link = project.link(moved.link_id)
        assert project.span(link.target_span_id).quote.startswith("Ottawa approved")  # the Globe's claim
        assert moved.decision == "second_source_right"  # still the Globe right
