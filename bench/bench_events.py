"""Event grouping and per-event reconciliation on generated news, fixed seed.

One figure per line, each beside its goal; the floor (plain SQLite reading the
same texts, and the all-pairs reconciliation that per-event jobs replace) is
measured in the same run.
Run: python bench/bench_events.py [--quick]   (needs the `scale` extra for the Dask lines)
"""

from __future__ import annotations

import math
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from app.events.features import profile
from app.events.grouping import group
from app.events.jobs import Runner, run, started, suggest_events
from app.events.store import events, regroup
from app.models import NewDocument
from app.reconcile.suggest import suggest_texts
from app.storage.project import Project

FUNCTION = tuple(
    str.split("the of and to in a that for on with as by was is at from has said it its were have after over this")
)


def made_up(rng: random.Random, count: int) -> list[str]:
    letters, vowels = "bdfgklmnprstvz", "aeiou"
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(letters) + rng.choice(vowels) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class News:
    """Events, each with its own cast, place, date and topic words; articles
    share a seed report and reword it, as outlets do."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = made_up(self.rng, 6000)
        # Small pools, so events share names and words: the cast of one recurs in others.
        self.names = [w.capitalize() for w in made_up(random.Random(seed + 1), 1500)]

    def event(self, number: int) -> dict[str, Any]:
        rng = self.rng
        return {
            "cast": rng.sample(self.names, 4),
            "place": rng.choice(self.names),
            "topic": rng.sample(self.words[:3000], 25),
            "day": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
        }

    def sentence(self, event: dict[str, Any]) -> str:
        rng = self.rng
        words = []
        for _ in range(rng.randint(12, 22)):
            roll = rng.random()
            if roll < 0.35:
                words.append(rng.choice(FUNCTION))
            elif roll < 0.55:
                words.append(rng.choice(event["topic"]))
            elif roll < 0.62:
                words.append(rng.choice(event["cast"]))
            elif roll < 0.64:
                words.append(f"in {event['place']}")
            elif roll < 0.66:
                words.append(str(rng.randint(2, 900)))
            else:
                words.append(rng.choice(self.words))
        return " ".join(words).capitalize() + "."

    def articles(self, count: int, per_event: int) -> Iterator[tuple[int, NewDocument]]:
        for number in range(count):
            event = self.event(number)
            seed_report = [self.sentence(event) for _ in range(14)]
            for copy in range(per_event):
                kept = [s if self.rng.random() < 0.6 else self.sentence(event) for s in seed_report]
                text = " ".join(kept) + f" ({number}-{copy})"
                title = " ".join(self.rng.sample(event["cast"][:2] + event["topic"][:6], 5)).title()
                yield number, NewDocument(text=text, title=title, source=f"Outlet {copy}", published=event["day"])


def timed(what: str, goal: str, work: Callable[[], Any]) -> Any:
    started_at = time.perf_counter()
    result = work()
    print(f"{what:<62} {time.perf_counter() - started_at:8.2f} s   (goal {goal})")
    return result


def bcubed(groups: list[list[int]], gold: dict[int, int]) -> tuple[float, float]:
    found = {doc: i for i, members in enumerate(groups) for doc in members}
    by_gold: dict[int, set[int]] = {}
    for doc, g in gold.items():
        by_gold.setdefault(g, set()).add(doc)
    members = {i: set(m) for i, m in enumerate(groups)}
    p = sum(len(members[found[d]] & by_gold[gold[d]]) / len(members[found[d]]) for d in gold) / len(gold)
    r = sum(len(members[found[d]] & by_gold[gold[d]]) / len(by_gold[gold[d]]) for d in gold) / len(gold)
    return p, r


@contextmanager
def project_with(folder: Path, docs: list[NewDocument], name: str) -> Iterator[Project]:
    with Project.create(folder / f"{name}-{len(docs)}.parallax") as project:
        project.add_documents(docs)
        yield project


def bench_grouping(folder: Path, count: int, per_event: int) -> None:
    labelled = list(News(7).articles(count, per_event))
    docs = [d for _, d in labelled]
    count = len(docs)
    with project_with(folder, docs, "grouping") as project:
        path = project.path
        with closing(sqlite3.connect(path)) as conn:
            timed(
                f"floor: plain SQLite reads {count:,} texts",
                "-",
                lambda: conn.execute("SELECT text FROM document").fetchall(),
            )
        ids = [d.id for d in sorted(project.documents(), key=lambda d: d.id)]
        texts = {i: project.text(i) for i in ids}
        found = timed(
            f"profiles of {count:,} articles (names, places, dates, terms)",
            "< 30 s",
            lambda: [profile(i, texts[i], d.title, d.published) for i, d in zip(ids, docs, strict=True)],
        )
        groups = timed(f"group {count:,} articles (TF-IDF blocking + refine)", "< 30 s", lambda: group(found))
        p, r = bcubed(groups, {i: labelled[n][0] for n, i in enumerate(ids)})
        print(f"{'  B-cubed on the generated events':<62} P {p:.3f} R {r:.3f}   (goal >= 0.9)")
        timed(f"regroup a {count:,}-article project (all of it, written)", "< 60 s", lambda: regroup(project))


def bench_suggestions(folder: Path, count: int, per_event: int, all_pairs: tuple[int, ...]) -> None:
    docs = [d for _, d in News(11).articles(count, per_event)]
    with project_with(folder, docs, "suggestions") as project:
        timed(f"group {len(docs):,} articles into events", "< 10 s", lambda: regroup(project))
        one = timed(
            f"suggestions over {len(docs):,} articles in {count} events, one process",
            "< 60 s",
            lambda: suggest_events(project),
        )
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("two workers: skipped (pip install '.[scale]')")
        else:
            with started(Runner(workers=2)) as two:
                run(len, [[1]], two)  # workers up and importing our code before the clock
                two_found = timed(
                    "suggestions, same, two Dask workers (cluster already up)",
                    "< one process",
                    lambda: suggest_events(project, two),
                )
            timed("  start and stop a two-worker LocalCluster", "-", lambda: _cluster_cost())
            print(f"{'  two workers give the same suggestions':<62} {two_found == one}")
        texts = {d.id: project.text(d.id) for d in project.documents()}
        event_of = {d: e.id for e in events(project) for d in e.documents}
    ordered = sorted(texts)
    measured: list[tuple[int, float]] = []
    for size in all_pairs:
        chosen = {i: texts[i] for i in ordered[:size]}
        started_at = time.perf_counter()
        found = suggest_texts(chosen)
        seconds = time.perf_counter() - started_at
        measured.append((size, seconds))
        print(f"{f'floor replaced: all-pairs suggestions over {size} articles':<62} {seconds:8.2f} s   (goal -)")
        across = sum(1 for x in found if event_of[x.doc_a] != event_of[x.doc_b])
        print(f"{'  of them across two events (per-event jobs never make these)':<62} {across:8d} of {len(found)}")
    (n1, t1), (n2, t2) = measured[-2:]
    print(f"{'  all-pairs time grows as n^k, k =':<62} {math.log(t2 / t1) / math.log(n2 / n1):8.2f}")


def _cluster_cost() -> None:
    with started(Runner(workers=2)) as two:
        run(len, [[1]], two)


def main() -> None:
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory() as folder:
        for count, per_event in ((100, 10),) if quick else ((100, 10), (2000, 5)):
            bench_grouping(Path(folder), count, per_event)
        bench_suggestions(Path(folder), 20 if quick else 100, 10, (100, 200) if quick else (250, 500, 1000))


if __name__ == "__main__":
    main()
