"""Team merge benchmarks: a first merge of three annotators' files, then a re-merge (sync)
after each relabelled and deleted some spans, at 1,000 and 10,000 articles.

Floor: the same rows copied with plain SQLite (ATTACH + INSERT ... SELECT) in the same
run. Generated data from a fixed seed; one figure per line, each beside its goal.
Run: python bench/bench_merge.py [articles ...]
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from app.models import NewDocument
from app.storage.project import Project
from app.team.merge import merge_projects

GOALS = {1000: 10.0, 10000: 120.0}  # seconds for a first merge of three files (re-merge alike)
WORDS = [
    "permits",
    "drone",
    "sensors",
    "export",
    "Ottawa",
    "Ankara",
    "review",
    "minister",
    "cancelled",
    "suspended",
    "technology",
]


def make_sources(folder: Path, articles: int, seed: int = 5) -> list[Path]:
    rng = random.Random(seed)
    texts = [" ".join(rng.choice(WORDS) for _ in range(120)) + f" ({n})." for n in range(articles)]
    paths = []
    for who in ("ana", "ben", "cem"):
        path = folder / f"{who}.parallax"
        with Project.create(path) as project, project.batch():
            docs = project.add_documents([NewDocument(text=t, title=f"Article {n}") for n, t in enumerate(texts)])
            for doc in docs.value.added:
                first = project.add_span(doc, 0, 7, rng.choice(("ORG", "LOCATION")), who).value.id
                second = project.add_span(doc, 8, 15, "ORG", who).value.id
                project.add_link("same_as", first, second, who)
        paths.append(path)
    return paths


def edit_sources(paths: list[Path], seed: int = 6) -> None:
    """Each annotator relabels a tenth of their spans and deletes another tenth."""
    rng = random.Random(seed)
    for path in paths:
        with Project.open(path) as project, project.batch():
            location = project.label("LOCATION").id
            spans = project.spans()
            rng.shuffle(spans)
            tenth = len(spans) // 10
            for span in spans[:tenth]:
                project.update_span(span.id, label_id=location)
            project.delete_spans([s.id for s in spans[tenth : 2 * tenth]])


def plain_copy(paths: list[Path], target: Path) -> float:
    """The floor: every span and link row of the sources copied with plain SQLite."""
    started = time.perf_counter()
    conn = sqlite3.connect(target)
    for number, path in enumerate(paths):
        conn.execute(f"ATTACH ? AS s{number}", (str(path),))
        conn.execute(f"CREATE TABLE span_{number} AS SELECT * FROM s{number}.span")
        conn.execute(f"CREATE TABLE link_{number} AS SELECT * FROM s{number}.link")
        conn.commit()
        conn.execute(f"DETACH s{number}")
    conn.close()
    return time.perf_counter() - started


def run(articles: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sources = make_sources(root, articles)
        floor = plain_copy(sources, root / "floor.sqlite")
        started = time.perf_counter()
        merge_projects(sources, root / "team.parallax")
        first = time.perf_counter() - started
        edit_sources(sources)
        started = time.perf_counter()
        report = merge_projects(sources, root / "team.parallax")
        again = time.perf_counter() - started
        changed = sum(s.spans_changed for s in report.sources)
        deleted = sum(s.spans_deleted for s in report.sources)
        goal = GOALS.get(articles, GOALS[10000])
        print(f"{articles} articles x 3 annotators: first merge {first:.2f} s (goal < {goal:.0f} s)")
        print(f"{articles} articles x 3 annotators: re-merge {again:.2f} s, {changed} changed, {deleted} deleted")
        print(f"{articles} articles x 3 annotators: floor, plain SQLite row copy {floor:.3f} s")


if __name__ == "__main__":
    for count in [int(a) for a in sys.argv[1:]] or [1000]:
        run(count)
