"""Every benchmark in one table: `python -m bench` (add names to run some: `python -m bench ui core`).

Figures come from generated projects of 1,000 and 10,000 articles (fixed seed,
cached in the temp folder after the first run), each beside its goal and a
floor measured in the same run (plain SQLite, bare Qt, the stdlib).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.table import Figure, print_table


def suites() -> dict[str, Callable[[], Iterator[Figure]]]:
    from bench import bench_align, bench_assist, bench_core, bench_events, bench_export, bench_start, bench_ui

    return {
        "start": bench_start.figures,  # first: a fresh process, before this one grows
        "ui": bench_ui.figures,
        "core": bench_core.figures,
        "export": bench_export.figures,
        "align": bench_align.figures,
        "events": bench_events.figures,  # grouping 10,000 articles, suggestions within 100 events
        "assist": bench_assist.figures,  # recommenders: string matcher, training 1,000 spans, the GUI share
    }


def main(names: list[str]) -> int:
    chosen = suites()
    unknown = set(names) - set(chosen)
    if unknown:
        print(f"unknown: {', '.join(sorted(unknown))}; choose from {', '.join(chosen)}", file=sys.stderr)
        return 2
    figures: list[Figure] = []
    began = time.perf_counter()
    for name, run in chosen.items():
        if not names or name in names:
            print(f"[{name}] …", file=sys.stderr, flush=True)
            figures.extend(run())
    print_table(figures)
    slow = sum(not f.ok for f in figures)
    print(f"\n{len(figures) - slow} of {len(figures)} within goal; {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
