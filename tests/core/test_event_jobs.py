"""Per-event reconciliation: within events only, and the same on a two-worker Dask cluster."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.events.jobs import Runner, align_events, profiles_on, scopes, started, suggest_events
from app.events.store import events, profiles, regroup
from app.formats.articles import import_paths
from app.reconcile.align import align_documents
from app.reconcile.suggest import suggest_conflicts
from app.resources import sample_corpus_path
from app.storage.project import Project

FIXTURES = Path(__file__).parent / "fixtures" / "events"


@pytest.fixture
def grouped(project: Project) -> Project:
    import_paths(project, [sample_corpus_path(), *sorted(FIXTURES.glob("*.txt"))])
    regroup(project)
    assert len(events(project)) == 3
    return project


def test_without_events_everything_is_one_scope(project: Project) -> None:
    import_paths(project, [sample_corpus_path()])
    assert scopes(project) == [sorted(d.id for d in project.documents())]
    assert align_events(project) == align_documents(project)
    assert suggest_events(project) == suggest_conflicts(project)


def test_alignments_and_suggestions_stay_within_events(grouped: Project) -> None:
    event_of = {d: e.id for e in events(grouped) for d in e.documents}
    found = suggest_events(grouped)
    assert found
    assert all(event_of[s.doc_a] == event_of[s.doc_b] for s in found)
    aligned = align_events(grouped)
    assert aligned and all(event_of[a.doc_a] == event_of[a.doc_b] for a in aligned)
    # within the drone event, exactly what reconciling those five alone gives
    sample = next(e for e in events(grouped) if len(e.documents) == 5)
    alone = {(a.doc_a, a.start_a, a.doc_b, a.start_b) for a in align_documents(grouped, sample.documents)}
    assert {(a.doc_a, a.start_a, a.doc_b, a.start_b) for a in aligned if a.doc_a in sample.documents} == alone


@pytest.mark.slow
def test_two_worker_local_cluster_gives_the_same_results(grouped: Project) -> None:
    pytest.importorskip("distributed")
    with started(Runner(workers=2)) as two:
        assert len(two.client.scheduler_info()["workers"]) == 2
        assert suggest_events(grouped, two) == suggest_events(grouped)
        assert align_events(grouped, runner=two) == align_events(grouped)
        assert profiles_on(grouped, two) == profiles(grouped)
