"""Event grouping and per-event reconciliation on generated news, fixed seed.

One figure per line, each beside its goal; the floor (plain SQLite reading the
same texts, and the all-pairs reconciliation that per-event jobs replace) is
measured in the same run.
Run: python -m bench.bench_events [--quick]  (or `python -m bench events`; the Dask lines need `.[scale]`)
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
from functools import partial
from pathlib import Path
from typing import Any

from app.events.features import profile
from app.events.grouping import group
from app.events.jobs import Runner, run, started, suggest_events
from app.events.store import events, regroup
from app.models import NewDocument
from app.reconcile.suggest import suggest_texts
from app.storage.project import Project
from bench.table import Figure

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
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
            elif roll < 0.67:
                words.append(f"{rng.randint(2, 900)} {rng.choice(event['topic'])}")
            elif roll < 0.68:
                words.append(f"on {rng.choice(WEEKDAYS)}")
            else:
                words.append(rng.choice(self.words))
        return " ".join(words).capitalize() + "."

    def retell(self, sentence: str, event: dict[str, Any]) -> str:
        """Copied, copied with one fact changed (a number, a weekday), or new."""
        roll = self.rng.random()
        if roll < 0.5:
            return sentence
        if roll < 0.75:
            words = sentence.split()
            for i, word in enumerate(words):
                if word.isdigit():
                    words[i] = str(int(word) + self.rng.randint(1, 9))
                    return " ".join(words)
                if word.rstrip(".") in WEEKDAYS:
                    words[i] = self.rng.choice([d for d in WEEKDAYS if d != word.rstrip(".")])
                    return " ".join(words)
            return sentence
        return self.sentence(event)

    def articles(self, count: int, per_event: int) -> Iterator[tuple[int, NewDocument]]:
        for number in range(count):
            event = self.event(number)
            seed_report = [self.sentence(event) for _ in range(14)]
            for copy in range(per_event):
                kept = [self.retell(s, event) for s in seed_report]
                text = " ".join(kept) + f" ({number}-{copy})"
                title = " ".join(self.rng.sample(event["cast"][:2] + event["topic"][:6], 5)).title()
                yield number, NewDocument(text=text, title=title, source=f"Outlet {copy}", published=event["day"])


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started_at = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started_at


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


def bench_grouping(folder: Path, count: int, per_event: int) -> Iterator[Figure]:
    labelled = list(News(7).articles(count, per_event))
    docs = [d for _, d in labelled]
    count = len(docs)
    with project_with(folder, docs, "grouping") as project:
        path = project.path
        with closing(sqlite3.connect(path)) as conn:
            _, floor = timed(lambda: conn.execute("SELECT text FROM document").fetchall())
        ids = [d.id for d in sorted(project.documents(), key=lambda d: d.id)]
        texts = {i: project.text(i) for i in ids}
        found, seconds = timed(
            lambda: [profile(i, texts[i], d.title, d.published) for i, d in zip(ids, docs, strict=True)]
        )
        yield Figure(f"events: profiles of {count:,} articles (floor: SQLite reads the texts)", seconds, 30, "s", floor)
        groups, seconds = timed(lambda: group(found))
        yield Figure(f"events: group {count:,} articles (TF-IDF blocking + refine)", seconds, 30, "s")
        p, r = bcubed(groups, {i: labelled[n][0] for n, i in enumerate(ids)})
        yield Figure(f"events: B-cubed precision, {count:,} generated articles", p * 100, 90, "%", None, True)
        yield Figure(f"events: B-cubed recall, {count:,} generated articles", r * 100, 90, "%", None, True)
        _, seconds = timed(lambda: regroup(project))
        yield Figure(f"events: regroup a {count:,}-article project (written)", seconds, 60, "s")


def bench_suggestions(folder: Path, count: int, per_event: int, all_pairs: tuple[int, ...]) -> Iterator[Figure]:
    docs = [d for _, d in News(11).articles(count, per_event)]
    with project_with(folder, docs, "suggestions") as project:
        _, seconds = timed(lambda: regroup(project))
        yield Figure(f"events: group {len(docs):,} articles into {count} events", seconds, 10, "s")
        one, seconds = timed(lambda: suggest_events(project))
        yield Figure(f"events: suggestions over {len(docs):,} articles in {count} events", seconds, 60, "s")
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("events: two Dask workers skipped (pip install '.[scale]')", file=sys.stderr)
        else:
            with started(Runner(workers=2)) as two:
                run(len, [[1]], two)  # workers up and importing our code before the clock
                two_found, two_seconds = timed(lambda: suggest_events(project, two))
            assert two_found == one, "two workers must give the same suggestions"
            yield Figure("  same, two Dask workers (cluster up; goal: one process)", two_seconds, seconds, "s")
            _, cost = timed(_cluster_cost)
            yield Figure("  start and stop a two-worker LocalCluster", cost, 30, "s")
        texts = {d.id: project.text(d.id) for d in project.documents()}
        event_of = {d: e.id for e in events(project) for d in e.documents}
    ordered = sorted(texts)
    measured: list[tuple[int, float]] = []
    for size in all_pairs:
        chosen = {i: texts[i] for i in ordered[:size]}
        found, seconds = timed(partial(suggest_texts, chosen))
        measured.append((size, seconds))
        across = sum(1 for x in found if event_of[x.doc_a] != event_of[x.doc_b])
        yield Figure(
            f"events: all-pairs over {size} articles, replaced ({across} of {len(found)} cross events)",
            seconds,
            600,
            "s",
        )
    if len(measured) >= 2:
        (n1, t1), (n2, t2) = measured[-2:]
        print(f"events: all-pairs time grows as n^{math.log(t2 / t1) / math.log(n2 / n1):.2f}", file=sys.stderr)


def _cluster_cost() -> None:
    with started(Runner(workers=2)) as two:
        run(len, [[1]], two)


def figures(quick: bool = True) -> Iterator[Figure]:
    """Grouping 10,000 articles, suggestions over 1,000 in 100 events; all-pairs at 500 only
    when quick (the full run adds 250 and 1,000 and a 1,000-article grouping: several minutes)."""
    with tempfile.TemporaryDirectory() as folder:
        for count, per_event in ((2000, 5),) if quick else ((100, 10), (2000, 5)):
            yield from bench_grouping(Path(folder), count, per_event)
        yield from bench_suggestions(Path(folder), 100, 10, (500,) if quick else (250, 500, 1000))


def main() -> None:
    from bench.table import print_table

    if "--quick" in sys.argv:  # a smoke run: small sizes
        with tempfile.TemporaryDirectory() as folder:
            print_table([*bench_grouping(Path(folder), 100, 10), *bench_suggestions(Path(folder), 20, 10, (100, 200))])
        return
    print_table(list(figures(quick=False)))


if __name__ == "__main__":
    main()
