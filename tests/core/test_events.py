"""Event grouping: the sample corpus (one event) among unrelated articles,
incremental assignment, and undoable edits, on a real project file."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import InvalidOperation
from app.events import store
from app.events.features import profile
from app.events.store import assign_new, event_of, events, merge, move, regroup, split
from app.formats.articles import import_paths
from app.resources import sample_corpus_path
from app.storage.project import Project

FIXTURES = Path(__file__).parent / "fixtures" / "events"


def titles(project: Project, doc_ids: tuple[int, ...]) -> set[str]:
    return {project.document(d).title for d in doc_ids}


def by_file(project: Project) -> dict[str, int]:
    """Document id by the stem of the file it came from (fixture titles name them)."""
    return {d.title: d.id for d in project.documents()}


def import_unrelated(project: Project) -> None:
    assert not import_paths(project, sorted(FIXTURES.glob("*.txt"))).refused


def groups_as_titles(project: Project) -> list[set[str]]:
    return sorted((titles(project, e.documents) for e in events(project)), key=sorted)


def test_sample_corpus_is_one_event_among_unrelated_ones(project: Project) -> None:
    import_paths(project, [sample_corpus_path()])
    sample = {d.title for d in project.documents()}
    import_unrelated(project)
    regroup(project)
    found = groups_as_titles(project)
    quake = {t for t in titles(project, tuple(d.id for d in project.documents())) if "Peru" in t or "Arequipa" in t}
    assert sample in found
    assert quake in found and len(quake) == 3
    assert len(found) == 3  # drone permits, Peru earthquake, cup final
    drone = next(e for e in events(project) if titles(project, e.documents) == sample)
    assert "Turkey" in drone.name and "Canad" in drone.name


def test_names_give_most_shared_names_and_date() -> None:
    members = [
        profile(1, "Dina Boluarte visited Arequipa.", "Quake in Peru", "2024-06-28"),
        profile(2, "In Arequipa, Dina Boluarte spoke.", "Peru quake", "2024-06-28"),
    ]
    from app.events.grouping import event_name

    assert event_name(members) == "Peru, Dina Boluarte, Arequipa · 2024-06-28"


def test_new_articles_join_their_event_and_others_start_one(project: Project) -> None:
    files = sorted(FIXTURES.glob("*.txt"))
    import_paths(project, [f for f in files if f.name in {"quake_1.txt", "final_1.txt"}])
    regroup(project)
    before = {e.id: e.documents for e in events(project)}
    assert len(before) == 2
    import_paths(project, [f for f in files if f.name not in {"quake_1.txt", "final_1.txt"}])
    import_paths(project, [sample_corpus_path()])
    outcome = assign_new(project)
    after = {e.id: e.documents for e in events(project)}
    # the two first events kept their ids and gained their new articles; the drone one is new
    for event_id, docs in before.items():
        assert set(docs) < set(after[event_id]) and len(after[event_id]) == 3
    assert len(after) == 3
    assert all(event_of(project, d.id) is not None for d in project.documents())
    # undo puts the new articles back outside any event, the old ones untouched
    project.apply(outcome.undo)
    assert {e.id: e.documents for e in events(project)} == before
    assert assign_new(project).value  # and again: incremental, same result
    assert {e.id: set(e.documents) for e in events(project)} == {k: set(v) for k, v in after.items()}


def test_assign_new_with_nothing_waiting_changes_nothing(project: Project) -> None:
    import_unrelated(project)
    regroup(project)
    outcome = assign_new(project)
    assert outcome.value == [] and not outcome.changes.events


def test_move_undo_and_redo(project: Project) -> None:
    import_unrelated(project)
    regroup(project)
    ids = by_file(project)
    quake = event_of(project, ids["Peru quake kills two, injures dozens near Chala"])
    final = event_of(project, ids["Rovers win the cup final on penalties at Wembley"])
    assert quake is not None and final is not None and quake != final
    before = events(project)
    outcome = move(project, ids["Peru quake kills two, injures dozens near Chala"], final)
    assert outcome.changes.events
    assert event_of(project, ids["Peru quake kills two, injures dozens near Chala"]) == final
    assert len(store.event(project, final).documents) == 4
    redo = project.apply(outcome.undo)
    assert events(project) == before  # names, ids and members exactly as they were
    project.apply(redo.undo)
    assert event_of(project, ids["Peru quake kills two, injures dozens near Chala"]) == final


def test_move_into_a_new_event_then_undo_drops_it(project: Project) -> None:
    import_unrelated(project)
    regroup(project)
    before = events(project)
    doc = before[0].documents[0]
    outcome = move(project, doc, None)
    assert len(events(project)) == 3 and event_of(project, doc) == outcome.value
    project.apply(outcome.undo)
    assert events(project) == before
    assert project.query("SELECT count(*) FROM event")[0][0] == 2


def test_merge_and_split_are_undoable(project: Project) -> None:
    import_unrelated(project)
    regroup(project)
    before = events(project)
    first, second = before[0].id, before[1].id
    merged = merge(project, [first, second])
    assert [len(e.documents) for e in events(project)] == [6]
    project.apply(merged.undo)
    assert events(project) == before
    part = before[0].documents[:1]
    parted = split(project, first, part)
    assert sorted(len(e.documents) for e in events(project)) == [1, 2, 3]
    project.apply(parted.undo)
    assert events(project) == before


def test_bad_edits_are_refused_and_change_nothing(project: Project) -> None:
    import_unrelated(project)
    regroup(project)
    before = events(project)
    with pytest.raises(InvalidOperation):
        merge(project, [before[0].id])
    with pytest.raises(InvalidOperation):
        split(project, before[0].id, before[0].documents)
    with pytest.raises(InvalidOperation):
        move(project, before[0].documents[0], before[0].id)
    assert events(project) == before


def test_regroup_undo_restores_the_edited_grouping(project: Project) -> None:
    import_unrelated(project)
    regroup(project)
    move(project, events(project)[0].documents[0], None)
    edited = events(project)
    outcome = regroup(project)
    assert len(events(project)) == 2
    project.apply(outcome.undo)
    assert events(project) == edited


def test_deleted_document_leaves_its_event_and_comes_back(project: Project) -> None:
    import_unrelated(project)
    regroup(project)
    doc = events(project)[0].documents[0]
    removed = project.delete_document(doc)
    assert all(doc not in e.documents for e in events(project))
    project.apply(removed.undo)
    assert event_of(project, doc) is not None
