"""Start to first window and memory, with a project of 10,000 documents.

Each run is a fresh `python -m bench.start_probe` process opening the project
as `parallax open FILE` does, timed from spawn to its first painted window
(the probe watches that window's events only, so it adds nothing to building
it); the floor is the same process showing a bare QMainWindow. Memory is the peak
RSS over the few seconds after that, while the assist controller starts (its
string-matching thread, its worker processes training on the 10,000 spans).
Each figure is also given without the assist controller started, and memory once more
with two typical news articles open instead (a view saved on documents 2 and 3, the
first two news articles after the big one): the goal is read on the big article.
Run: python -m bench.bench_start
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import CACHE, project_copy
from bench.table import Figure


def child_env() -> dict[str, str]:
    """As installed: bytecode cached (kept out of the tree), even if this shell says not to write it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    return env


@dataclass(frozen=True)
class Run:
    seconds: float  # spawn to first painted window
    memory: float  # peak RSS of the process over the settling seconds after that (MB)
    workers: float  # RSS of its child processes (the trained recommender's), MB


NEWS = "2,3"  # document ids of two news articles (the big one is 1)


def probe(arg: str, path: Path | None = None, documents: str | None = None) -> Run:
    command = [sys.executable, "-m", "bench.start_probe", arg, *([str(path)] if path else [])]
    env = child_env() | ({"PARALLAX_PROBE_DOCUMENTS": documents} if documents else {})
    began = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - began
    memory = child.stdout.readline().split()
    child.wait()
    assert line.startswith("shown") and memory[0] == "memory", (line, memory)
    return Run(elapsed, float(memory[1]), float(memory[2]))


def runs(arg: str, path: Path | None = None, count: int = 5, documents: str | None = None) -> Run:
    found = [probe(arg, path, documents) for _ in range(count)]
    return Run(*(statistics.median(getattr(r, f) for r in found) for f in ("seconds", "memory", "workers")))


def figures() -> Iterator[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        path = project_copy(10_000, Path(tmp))
        probe("--bare")  # write the bytecode caches, warm the file cache and any once-only checks
        probe(str(path))
        floor = runs("--bare")
        without = runs("--no-assist", path)
        full = runs(str(path))
        news = runs(str(path), count=3, documents=NEWS)
        yield Figure("start to first window, 10,000 docs", full.seconds, 0.5, unit="s", floor=floor.seconds)
        yield Figure("  same, assist controller never started", without.seconds, 0.5, unit="s", floor=floor.seconds)
        yield Figure("memory with 10,000 docs open (peak RSS, 4 s)", full.memory, 120, unit="MB", floor=floor.memory)
        yield Figure("  same, assist controller never started", without.memory, 120, unit="MB", floor=floor.memory)
        yield Figure("  same, two news articles open instead", news.memory, 120, unit="MB", floor=floor.memory)
        yield Figure("  assist's worker processes (RSS, not in the above)", full.workers, 400, unit="MB")


def main() -> None:
    from bench.table import print_table

    print_table(list(figures()))


if __name__ == "__main__":
    main()
