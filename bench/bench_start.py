"""Start to first window and memory, with a project of 10,000 documents.

Each run is a fresh `python -m bench.start_probe` process, timed from spawn to
its first painted window; the floor is the same process showing a bare
QMainWindow. Run: python -m bench.bench_start
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.corpus import project_copy
from bench.table import Figure


def probe(arg: str) -> tuple[float, float]:
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bench.start_probe", arg], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - began
    child.wait()
    assert line.startswith("shown"), line
    return elapsed, float(line.split()[1])


def runs(arg: str, count: int = 5) -> tuple[float, float]:
    found = [probe(arg) for _ in range(count)]
    return statistics.median(t for t, _ in found), max(m for _, m in found)


def figures() -> Iterator[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        path = project_copy(10_000, Path(tmp))
        probe(str(path))  # warm the file cache and any once-only checks
        floor_time, floor_memory = runs("--bare")
        start, memory = runs(str(path))
        yield Figure("start to first window, 10,000 docs", start, 0.5, unit="s", floor=floor_time)
        yield Figure("memory with 10,000 docs open (RSS)", memory, 120, unit="MB", floor=floor_memory)


def main() -> None:
    from bench.table import print_table

    print_table(list(figures()))


if __name__ == "__main__":
    main()
