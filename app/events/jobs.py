"""Per-event jobs: alignment, suggestions and profiles, in one process or on Dask.

Reconciliation compares articles within an event, never across events, so
its cost is the sum over events instead of all pairs of the corpus. Each
event is one job: its texts go out, alignments or suggestions come back.
With a `Runner` that names workers or a scheduler the jobs run on Dask
distributed (a `LocalCluster` of `workers` processes, or the cluster at
`scheduler`); workers only compute, and whatever is written to the project
is written here, by the main process. Without Dask installed the same code
runs in this process (`Runner()`); asking for workers then is an error that
says how to install it.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from app.errors import ParallaxError
from app.events.features import Profile, profile
from app.events.store import events
from app.reconcile.align import DEFAULT_THRESHOLD, Alignment, align_texts
from app.reconcile.suggest import Suggestion, passage_key, suggest_texts
from app.storage.project import Project

P = TypeVar("P")
R = TypeVar("R")
PROFILE_CHUNK = 500  # articles per profiling job
Texts = dict[int, str]


@dataclass(frozen=True)
class Runner:
    workers: int | None = None  # a LocalCluster of this many worker processes
    scheduler: str | None = None  # or the address of a running Dask scheduler
    client: Any = None  # a connected dask.distributed Client (see `started`)

    @property
    def distributed(self) -> bool:
        return self.workers is not None or self.scheduler is not None or self.client is not None


def run(job: Callable[[P], R], payloads: Sequence[P], runner: Runner = Runner()) -> list[R]:
    """`job` over every payload, results in payload order."""
    if not runner.distributed or not payloads:
        return [job(p) for p in payloads]
    if runner.client is not None:
        return list(runner.client.gather(runner.client.map(job, list(payloads), pure=False)))
    with started(runner) as connected:
        return run(job, payloads, connected)


@contextmanager
def started(runner: Runner) -> Iterator[Runner]:
    """Keep one cluster up (and connected) for several `run`s."""
    if not runner.distributed or runner.client is not None:
        yield runner
        return
    with _client(runner) as client:
        yield Runner(runner.workers, runner.scheduler, client)


@contextmanager
def _client(runner: Runner) -> Iterator[Any]:
    try:
        distributed: Any = importlib.import_module("distributed")  # untyped: Any on purpose
    except ImportError as exc:
        raise ParallaxError("--workers and --scheduler need Dask: pip install 'parallax-annotate[scale]'") from exc
    if runner.scheduler is not None:
        with distributed.Client(runner.scheduler) as client:
            yield client
        return
    if runner.workers is not None and runner.workers < 1:
        raise ParallaxError(f"--workers must be at least 1, got {runner.workers}")
    with (
        distributed.LocalCluster(
            n_workers=runner.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def scopes(project: Project, doc_ids: Sequence[int] | None = None) -> list[list[int]]:
    """The document sets to reconcile: each event with two or more of the
    chosen documents; all of them as one set when the project has no events."""
    chosen = {int(d) for d in doc_ids} if doc_ids is not None else {int(d.id) for d in project.documents()}
    found = events(project)
    if not found:
        return [sorted(chosen)] if len(chosen) > 1 else []
    groups = [sorted({int(d) for d in e.documents} & chosen) for e in found]
    return [g for g in groups if len(g) > 1]


def _texts(project: Project, scope: Sequence[int]) -> Texts:
    return {doc: project.text(doc) for doc in scope}


def _align_job(payload: tuple[Texts, float]) -> list[Alignment]:
    return align_texts(payload[0], threshold=payload[1])


def align_events(
    project: Project,
    doc_ids: Sequence[int] | None = None,
    runner: Runner = Runner(),
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Alignment]:
    """Alignments within each event, sorted as `align_texts` sorts them."""
    jobs = [(_texts(project, scope), threshold) for scope in scopes(project, doc_ids)]
    found = [a for batch in run(_align_job, jobs, runner) for a in batch]
    return sorted(found, key=lambda a: (a.doc_a, a.start_a, a.doc_b, a.start_b, a.end_a, a.end_b))


def _suggest_job(texts: Texts) -> list[Suggestion]:
    return suggest_texts(texts)


def suggest_events(
    project: Project,
    runner: Runner = Runner(),
    *,
    include_rejected: bool = False,
    include_linked: bool = False,
) -> list[Suggestion]:
    """Suggestions within each event, best first, leaving out rejected and linked ones."""
    from app.reconcile.decisions import linked_keys, rejected_ids

    jobs = [_texts(project, scope) for scope in scopes(project)]
    found = [s for batch in run(_suggest_job, jobs, runner) for s in batch]
    skip = set() if include_rejected else rejected_ids(project)
    linked = set() if include_linked else linked_keys(project)
    kept = [s for s in found if s.id not in skip and passage_key(s) not in linked]
    return sorted(kept, key=lambda s: (-s.score, s.doc_a, s.start_a, s.doc_b, s.start_b, s.id))


Article = tuple[int, str, str, str | None]  # id, text, title, published


def _profile_job(chunk: list[Article]) -> list[Profile]:
    return [profile(doc, text, title, published) for doc, text, title, published in chunk]


def profiles_on(project: Project, runner: Runner = Runner()) -> list[Profile]:
    """Every document's profile, computed in chunks by the runner's workers."""
    docs = sorted(project.documents(), key=lambda d: d.id)
    articles = [(int(d.id), project.text(d.id), d.title, d.published) for d in docs]
    chunks = [articles[i : i + PROFILE_CHUNK] for i in range(0, len(articles), PROFILE_CHUNK)]
    return [p for batch in run(_profile_job, chunks, runner) for p in batch]
