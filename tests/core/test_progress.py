"""Assignments, finished / nothing-to-tag marks and curation state: undoable, shown per
annotator and per document, and carried through a merge (documents matched by text)."""

from __future__ import annotations

from pathlib import Path

from app.models import NewDocument
from app.storage.project import Project
from app.team.curation import State, candidates, set_state
from app.team.merge import merge_projects
from app.team.progress import CurationState, Mark, assign, finish_curation, gold_documents, mark, team_progress

TEXTS = ("Ottawa approved the permits.", "Turkey received the sensors.", "Nothing of note happened.")


def corpus(path: Path, first: str = "") -> Project:
    project = Project.create(path)
    if first:  # another document first, so ids differ between files
        project.add_documents([NewDocument(text=first)])
    project.add_documents([NewDocument(text=t, title=t[:6], source="Globe") for t in TEXTS])
    return project


def ids(project: Project) -> dict[str, int]:
    return {project.text(d.id): d.id for d in project.documents()}


def test_assignments_marks_and_progress_round_trip_through_merge(tmp_path: Path) -> None:
    with corpus(tmp_path / "ana.parallax") as ana:
        doc = ids(ana)
        ana.add_span(doc[TEXTS[0]], 0, 6, "LOCATION", "ana")
        mark(ana, doc[TEXTS[0]], "ana", Mark.FINISHED)
        mark(ana, doc[TEXTS[2]], "ana", Mark.NOTHING)
    with corpus(tmp_path / "team.parallax", first="The lead's own article.") as team:
        doc = ids(team)
        outcome = assign(team, [doc[TEXTS[0]], doc[TEXTS[1]], doc[TEXTS[2]]], ["ana", "ben"])
        team.apply(outcome.undo)  # undoable
        assert team_progress(team).annotators == ()
        assign(team, [doc[TEXTS[0]], doc[TEXTS[1]], doc[TEXTS[2]]], ["ana", "ben"])
    report = merge_projects([tmp_path / "ana.parallax"], tmp_path / "team.parallax")
    assert report.sources[0].marks_added == 2
    with Project.open(tmp_path / "team.parallax") as team:
        doc = ids(team)
        progress = team_progress(team)
        people = {a.name: (a.assigned, a.finished, a.annotated) for a in progress.annotators}
        assert people == {"ana": (3, 2, 1), "ben": (3, 0, 0)}
        first = next(d for d in progress.documents if d.document_id == doc[TEXTS[0]])
        assert first.assigned == ("ana", "ben") and first.marks == {"ana": Mark.FINISHED}
        assert first.title == TEXTS[0][:6] and first.outlet == "Globe"
        assert progress.curation == {CurationState.OPEN: 4, CurationState.IN_PROGRESS: 0, CurationState.FINISHED: 0}
        key = candidates(team, doc[TEXTS[0]])[0].key
        set_state(team, doc[TEXTS[0]], key, State.ACCEPTED, "lead")
        assert team_progress(team).curation[CurationState.IN_PROGRESS] == 1
        undo = finish_curation(team, doc[TEXTS[0]]).undo
        assert team_progress(team).curation[CurationState.FINISHED] == 1
        assert gold_documents(team) == (frozenset({doc[TEXTS[0]]}), gold_documents(team)[1])
        assert "3 not finished left out" in gold_documents(team)[1]
        assert gold_documents(team, unfinished=True)[0] == frozenset(doc.values())
        team.apply(undo)
        assert team_progress(team).curation[CurationState.FINISHED] == 0
