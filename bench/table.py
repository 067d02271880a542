"""One figure per benchmark: what was measured, its goal, and an honest floor.

The floor is the same work done by the plainest means in the same run (plain
SQLite, bare Qt), so `ratio` says how far Parallax is from what the machine
can do, whatever the machine.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    measured: float
    goal: float
    unit: str = "ms"
    floor: float | None = None
    higher_is_better: bool = False  # rates (articles/s) rather than times

    @property
    def ok(self) -> bool:
        return self.measured >= self.goal if self.higher_is_better else self.measured <= self.goal

    @property
    def ratio(self) -> float | None:
        if not self.floor:
            return None
        return self.floor / self.measured if self.higher_is_better else self.measured / self.floor


def number(value: float, unit: str) -> str:
    if unit in ("ms", "MB"):
        return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:,.0f} {unit}"


def render(figures: Iterable[Figure]) -> str:
    rows = [("figure", "measured", "goal", "floor", "ratio", "")]
    for f in figures:
        goal = ("≥ " if f.higher_is_better else "≤ ") + number(f.goal, f.unit)
        floor = number(f.floor, f.unit) if f.floor is not None else "—"
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else "—"
        rows.append((f.name, number(f.measured, f.unit), goal, floor, ratio, "ok" if f.ok else "SLOW"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths, strict=True)))
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_table(figures: Iterable[Figure]) -> None:
    print(render(figures), flush=True)


def p99(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def median_time(work: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)
