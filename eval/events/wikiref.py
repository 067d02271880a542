"""Event grouping precision and recall on WikiRef220 (multi-source news, public).

WikiRef220 (Gialampoukidis et al. 2016) is 220 news articles from many outlets,
each file named after the Wikipedia topic whose references it came from, e.g.
`ParisAttacks2015 (10).txt`, `malaysia.airlines.flight.14.txt`. The file
name is the gold label. Get the files from the public repository
dpacassi/dynamic-event-detection-in-data-streams, folder
app/data_processing/test_data/wikiref/WikiRef220, and pass that folder.

Two views are printed, B-cubed and pairwise, each as precision / recall / F1:
- `events`: the topics that are one happening (Paris attacks 2015, MH370,
  Tohoku earthquake, Cypriot crisis, Greek elections 2012) plus the
  one-article topics as unrelated noise: "clearly different events".
- `all`: every file, the broad topics (Michelle Obama, Premier League,
  Samsung Galaxy S5, ...) included as if each were one event, which they are
  not (a league season is many matches): a floor, not the target.

    python eval/events/wikiref.py /path/to/WikiRef220
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import combinations
from pathlib import Path

from app.events.features import profile
from app.events.grouping import group

EVENTS = {"ParisAttacks2015", "malaysia.airlines.flight", "tohoku.earthquake.tsunami", "cypriot.financial.crisis"}
EVENTS |= {"greek.elections"}


def gold_label(path: Path) -> str:
    return re.sub(r"[ .]*(\(\d+\)|\d+)$", "", path.stem)


def bcubed(found: Mapping[int, int], gold: Mapping[int, str]) -> tuple[float, float]:
    by_found: dict[int, set[int]] = {}
    by_gold: dict[str, set[int]] = {}
    for doc, c in found.items():
        by_found.setdefault(c, set()).add(doc)
        by_gold.setdefault(gold[doc], set()).add(doc)
    precision = recall = 0.0
    for doc in found:
        mine, truth = by_found[found[doc]], by_gold[gold[doc]]
        precision += len(mine & truth) / len(mine)
        recall += len(mine & truth) / len(truth)
    return precision / len(found), recall / len(found)


def pairwise(found: Mapping[int, int], gold: Mapping[int, str]) -> tuple[float, float]:
    same_found = same_gold = both = 0
    for a, b in combinations(sorted(found), 2):
        f, g = found[a] == found[b], gold[a] == gold[b]
        same_found += f
        same_gold += g
        both += f and g
    return (both / same_found if same_found else 1.0), (both / same_gold if same_gold else 1.0)


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(name: str, files: Sequence[Path]) -> None:
    gold = {i: gold_label(path) for i, path in enumerate(files)}
    profiles = []
    for i, path in enumerate(files):
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        title, _, body = text.partition("\n")
        profiles.append(profile(i, body, title=title))
    started = time.perf_counter()
    groups = group(profiles)
    seconds = time.perf_counter() - started
    found = {doc: number for number, members in enumerate(groups) for doc in members}
    sizes = Counter(gold.values())
    print(f"{name}: {len(files)} articles, {len(sizes)} gold groups, {len(groups)} found ({seconds:.2f} s)")
    for metric, (p, r) in (("B-cubed", bcubed(found, gold)), ("pairwise", pairwise(found, gold))):
        print(f"  {metric:<9} precision {p:.3f}  recall {r:.3f}  F1 {f1(p, r):.3f}   (goal >= 0.9)")


def main(folder: str) -> None:
    files = sorted(Path(folder).glob("*.txt"))
    if not files:
        raise SystemExit(f"{folder}: no .txt files (see this script's docstring)")
    counts = Counter(gold_label(p) for p in files)
    chosen = [p for p in files if gold_label(p) in EVENTS or counts[gold_label(p)] == 1]
    evaluate("events", chosen)
    evaluate("all", files)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "eval/events/WikiRef220")
