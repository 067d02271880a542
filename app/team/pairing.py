"""Pairing spans for agreement: F1, and overlapping intervals matched one to one
(as many pairs as possible, then the most overlap: Hungarian method per cluster)."""

from __future__ import annotations

from collections.abc import Sequence

Interval = tuple[int, int]


def f1(matches: int, count_a: int, count_b: int) -> float | None:
    return 2 * matches / (count_a + count_b) if count_a + count_b else None


def overlap_pairs(a: Sequence[Interval], b: Sequence[Interval]) -> list[tuple[int, int]]:
    """Pair overlapping intervals of `a` and `b` one to one (indices): as many
    pairs as possible, then the most overlap in total."""
    pairs = []
    for rows, cols in _clusters(a, b):
        weight = [[_overlap(a[i], b[j]) for j in cols] for i in rows]
        big = sum(map(sum, weight)) + 1  # one more pair always beats any amount of overlap
        cost = [[-(big + w) if w else 0 for w in row] for row in weight]
        flip = len(rows) > len(cols)
        chosen = _assign([list(c) for c in zip(*cost, strict=True)] if flip else cost)
        for r, c in enumerate(chosen):
            i, j = (c, r) if flip else (r, c)
            if weight[i][j]:
                pairs.append((rows[i], cols[j]))
    return sorted(pairs)


def _overlap(x: Interval, y: Interval) -> int:
    return max(0, min(x[1], y[1]) - max(x[0], y[0]))


def _clusters(a: Sequence[Interval], b: Sequence[Interval]) -> list[tuple[list[int], list[int]]]:
    """Groups of intervals chained by overlaps; no interval overlaps another group's."""
    items = sorted([(s, e, 0, i) for i, (s, e) in enumerate(a)] + [(s, e, 1, j) for j, (s, e) in enumerate(b)])
    groups: list[tuple[list[int], list[int]]] = []
    end = -1
    for start, stop, side, index in items:
        if start >= end:
            groups.append(([], []))
        groups[-1][side].append(index)
        end = max(end, stop)
    return [g for g in groups if g[0] and g[1]]


def _assign(cost: list[list[int]]) -> list[int]:
    """Hungarian method: the column of each row at least total cost (rows <= columns)."""
    n, m = len(cost), len(cost[0])
    u, v, owner, way = [0] * (n + 1), [0] * (m + 1), [0] * (m + 1), [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0], col = row, 0
        least, used = [float("inf")] * (m + 1), [False] * (m + 1)
        while owner[col]:
            used[col], here, delta, nxt = True, owner[col], float("inf"), 0
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = cost[here - 1][j - 1] - u[here] - v[j]
                    if reduced < least[j]:
                        least[j], way[j] = reduced, col
                    if least[j] < delta:
                        delta, nxt = least[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += int(delta)
                    v[j] -= int(delta)
                else:
                    least[j] -= delta
            col = nxt
        while col:
            owner[col], col = owner[way[col]], way[col]
    result = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            result[owner[j] - 1] = j - 1
    return result
