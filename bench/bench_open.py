"""Opening a project: every open under 100 ms however large the file (issue 12, item 3).

The whole-file check runs once per file new to this machine or not closed
cleanly; every later open pays only the header, the schema comparison and
the guard. Floor: plain `sqlite3.connect` and one query, in the same run.

    python bench/bench_open.py
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.models import NewDocument
from app.storage.project import Project

GOAL_MS = 100.0
WORDS = [
    "minister",
    "permit",
    "export",
    "drone",
    "sensor",
    "Turkey",
    "Canada",
    "review",
    "cancelled",
    "said",
    "officials",
]


def build(path: Path, count: int) -> None:
    rng = random.Random(count)
    docs = [
        NewDocument(text=f"Article {i}. " + " ".join(rng.choice(WORDS) for _ in range(300)), title=f"Article {i}")
        for i in range(count)
    ]
    with Project.create(path) as project:
        project.add_documents(docs)


def timed(action: object, repeat: int = 7) -> float:
    """The median of `repeat` runs, in milliseconds."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def floor(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("SELECT count(*) FROM document").fetchone()


def first_open(path: Path, folder: Path) -> float:
    copy = folder / "received.parallax"  # a new file to this machine: checked whole once
    shutil.copyfile(path, copy)
    started = time.perf_counter()
    Project.open(copy).close()
    elapsed = (time.perf_counter() - started) * 1000
    copy.unlink()
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_STATE_HOME"] = folder  # which files were checked: not the user's own list
        for count in (1_000, 10_000):
            path = Path(folder) / f"p{count}.parallax"
            build(path, count)
            size = path.stat().st_size / 1e6
            Project.open(path).close()
            opens = timed(lambda path=path: Project.open(path).close())
            base = timed(lambda path=path: floor(path))
            first = first_open(path, Path(folder))
            print(f"open+close, {count:>6} documents ({size:5.1f} MB): {opens:7.1f} ms   goal < {GOAL_MS:.0f} ms")
            print(f"  floor: sqlite3.connect + one query:      {base:7.1f} ms")
            print(f"  first open of a received copy (checked whole): {first:7.1f} ms   once per file")


if __name__ == "__main__":
    main()
