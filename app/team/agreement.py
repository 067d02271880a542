"""Inter-annotator agreement: span F1, Cohen's κ, Krippendorff's α, link F1.

Rules (the figures mean exactly this):

- The reserved annotator "gold" is left out; every other annotator counts.
- A document counts for a pair of annotators when both made at least one
  span in it ("annotated"); nothing tells "found nothing" from "never
  looked", so documents only one of them touched are left out. α over all
  annotators uses every document at least two annotated, each token rated
  by the annotators who annotated its document (the others are missing).
- Span F1 = 2·matches / (spans of A + spans of B), per label and over all
  labels. Exact: same start, end and label. Overlap: same label and sharing
  a character, paired one to one (a long span against two short ones inside
  it is one match): the pairing has as many pairs as possible and, among
  those, the most characters in common (Hungarian method per cluster of
  overlapping spans).
- Tokens are `app.text.tokens.Tokens`. Overall κ and α: each token gets the
  label of the annotator's shortest span covering it, or "O". Per label,
  binary: does a span of that label cover the token (a claim containing a
  name still covers the name's tokens). κ is per pair; α (nominal) per pair
  and over all annotators. Undefined values (no variation) are None.
- Links: an annotator's link matches another's of the same kind whose ends
  match (exact: same extent and label; overlap: paired as above); same_as
  and contradicts ignore direction, supports and updates do not. Matching
  is one to one; F1 as for spans, per kind and overall. A link counts for a
  pair when both its ends lie in documents the pair both annotated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

from app.models import GOLD, SYMMETRIC, LinkKind
from app.storage.project import Project
from app.team.token_agreement import Pattern, Tokens, alpha_of, cohen_kappa

ALL_LABELS, ALL_LINKS = "All labels", "All links"
Interval = tuple[int, int]


# ---- measures ------------------------------------------------------------
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


# ---- the report ----------------------------------------------------------
@dataclass(frozen=True)
class Score:
    """One pair on one label or link kind (or on all: ALL_LABELS, ALL_LINKS)."""

    name: str
    count_a: int
    count_b: int
    exact: int
    overlap: int
    exact_f1: float | None
    overlap_f1: float | None
    kappa: float | None = None  # labels only
    alpha: float | None = None  # labels only


@dataclass(frozen=True)
class PairAgreement:
    first: str
    second: str
    documents: int  # annotated by both
    tokens: int
    labels: tuple[Score, ...]  # per label, ALL_LABELS last
    links: tuple[Score, ...]  # per kind, ALL_LINKS last


@dataclass(frozen=True)
class Total:
    """A label or link kind over all annotators: items in documents annotated by two or more."""

    name: str
    items: int
    alpha: float | None = None  # over all annotators (labels only)


@dataclass(frozen=True)
class AgreementReport:
    annotators: tuple[str, ...]
    documents: int  # annotated by at least two
    tokens: int  # in those documents
    labels: tuple[Total, ...]  # per label, ALL_LABELS last
    links: tuple[Total, ...]  # per kind, ALL_LINKS last
    pairs: tuple[PairAgreement, ...]


class _Span(NamedTuple):
    id: int
    document: int
    start: int
    end: int
    label: str


class _Link(NamedTuple):
    kind: str
    ends: tuple[_Span, _Span]


class _Data:
    """What agreement reads from a project, gold left out."""

    def __init__(self, project: Project) -> None:
        people = {a.id: a.name for a in project.annotators() if a.name.strip().lower() != GOLD}
        names = {x.id: x.name for x in project.labels()}
        stored = project.spans()
        every = {s.id: _Span(s.id, s.document_id, s.start, s.end, names[s.label_id]) for s in stored}
        self.annotators = tuple(sorted(set(people.values())))
        self.spans: dict[str, dict[int, list[_Span]]] = {a: {} for a in self.annotators}
        for item in stored:
            if item.annotator_id in people:
                self.spans[people[item.annotator_id]].setdefault(item.document_id, []).append(every[item.id])
        self.links: dict[str, list[_Link]] = {a: [] for a in self.annotators}
        for link in project.links():
            if link.annotator_id in people:
                ends = (every[link.source_span_id], every[link.target_span_id])
                self.links[people[link.annotator_id]].append(_Link(link.kind.value, ends))
        used = {s.label for by_doc in self.spans.values() for spans in by_doc.values() for s in spans}
        self.labels = [name for name in names.values() if name in used]
        kinds = {x.kind for links in self.links.values() for x in links}
        self.kinds = [k.value for k in LinkKind if k.value in kinds]
        shared = Counter(doc for by_doc in self.spans.values() for doc in by_doc)
        self.documents = sorted(doc for doc, count in shared.items() if count >= 2)
        self.tokens = {doc: Tokens(project.text(doc)) for doc in self.documents}


def agreement(project: Project) -> AgreementReport:
    """Every measure for every pair of annotators, and α over all of them."""
    data = _Data(project)
    pairs = tuple(_pair(data, a, b) for a, b in combinations(data.annotators, 2))
    return AgreementReport(
        data.annotators,
        len(data.documents),
        sum(map(len, data.tokens.values())),
        _label_totals(data),
        _link_totals(data),
        pairs,
    )


def _pair(data: _Data, a: str, b: str) -> PairAgreement:
    shared = sorted(set(data.spans[a]) & set(data.spans[b]))
    counts: dict[str, Counter[str]] = {label: Counter() for label in data.labels}
    partner: dict[int, int] = {}  # span id -> the id of the overlap pair it belongs to
    overall: Counter[Pattern] = Counter()
    binary: dict[str, Counter[Pattern]] = {label: Counter() for label in data.labels}
    for doc in shared:
        sa, sb = data.spans[a][doc], data.spans[b][doc]
        for label in data.labels:
            _match(counts[label], partner, [s for s in sa if s.label == label], [s for s in sb if s.label == label])
        tokens = data.tokens[doc]
        overall.update(zip(tokens.labels(s[2:] for s in sa), tokens.labels(s[2:] for s in sb), strict=True))
        cover_a, cover_b = tokens.coverage(s[2:] for s in sa), tokens.coverage(s[2:] for s in sb)
        for label in data.labels:
            x, y = cover_a.get(label, set()), cover_b.get(label, set())
            binary[label].update(
                {
                    (True, True): len(x & y),
                    (True, False): len(x - y),
                    (False, True): len(y - x),
                    (False, False): len(tokens) - len(x | y),
                }
            )
    scores = [_span_score(label, counts[label], binary[label]) for label in data.labels]
    scores.append(_span_score(ALL_LABELS, sum(counts.values(), Counter()), overall))
    return PairAgreement(
        a,
        b,
        len(shared),
        sum(len(data.tokens[d]) for d in shared),
        tuple(scores),
        _link_scores(data, a, b, set(shared), partner),
    )


def _match(counts: Counter[str], partner: dict[int, int], xa: list[_Span], xb: list[_Span]) -> None:
    exact = Counter(s[2:4] for s in xa) & Counter(s[2:4] for s in xb)
    counts.update(a=len(xa), b=len(xb), exact=exact.total())
    pairs = overlap_pairs([s[2:4] for s in xa], [s[2:4] for s in xb])
    for i, j in pairs:
        partner[xa[i].id] = partner[xb[j].id] = len(partner)
    counts["overlap"] += len(pairs)


def _span_score(label: str, c: Counter[str], table: Counter[Pattern]) -> Score:
    return Score(
        label,
        c["a"],
        c["b"],
        c["exact"],
        c["overlap"],
        f1(c["exact"], c["a"], c["b"]),
        f1(c["overlap"], c["a"], c["b"]),
        cohen_kappa(table),
        alpha_of(table),
    )


def _link_scores(data: _Data, a: str, b: str, shared: set[int], partner: dict[int, int]) -> tuple[Score, ...]:
    def keys(who: str, exact: bool) -> Counter[Pattern]:
        found: Counter[Pattern] = Counter()
        for link in data.links[who]:
            if all(end.document in shared for end in link.ends):
                ends = [end[1:] if exact or end.id not in partner else (partner[end.id],) for end in link.ends]
                found[(link.kind, *(sorted(ends) if link.kind in SYMMETRIC else ends))] += 1
        return found

    exact_a, exact_b, over_a, over_b = keys(a, True), keys(b, True), keys(a, False), keys(b, False)
    scores = []
    for kind in [*data.kinds, None]:

        def of(found: Counter[Pattern], kind: str | None = kind) -> Counter[Pattern]:
            return Counter({k: n for k, n in found.items() if kind is None or k[0] == kind})

        count_a, count_b = of(exact_a).total(), of(exact_b).total()
        exact = (of(exact_a) & of(exact_b)).total()
        overlap = (of(over_a) & of(over_b)).total()
        scores.append(
            Score(
                kind or ALL_LINKS,
                count_a,
                count_b,
                exact,
                overlap,
                f1(exact, count_a, count_b),
                f1(overlap, count_a, count_b),
            )
        )
    return tuple(scores)


def _label_totals(data: _Data) -> tuple[Total, ...]:
    overall: Counter[Pattern] = Counter()
    binary: dict[str, Counter[Pattern]] = {label: Counter() for label in data.labels}
    items: Counter[str] = Counter()
    for doc in data.documents:
        tokens = data.tokens[doc]
        spans = [data.spans[a][doc] for a in data.annotators if doc in data.spans[a]]
        items.update(s.label for group in spans for s in group)
        overall.update(zip(*(tokens.labels(s[2:] for s in group) for group in spans), strict=True))
        covers = [tokens.coverage(s[2:] for s in group) for group in spans]
        for label in data.labels:
            sets = [cover.get(label, set()) for cover in covers]
            binary[label].update(zip(*([i in x for i in range(len(tokens))] for x in sets), strict=True))
    totals = [Total(label, items[label], alpha_of(binary[label])) for label in data.labels]
    return (*totals, Total(ALL_LABELS, items.total(), alpha_of(overall)))


def _link_totals(data: _Data) -> tuple[Total, ...]:
    counted = set(data.documents)
    kinds = Counter(
        x.kind for links in data.links.values() for x in links if all(end.document in counted for end in x.ends)
    )
    return (*(Total(kind, kinds[kind]) for kind in data.kinds), Total(ALL_LINKS, kinds.total()))


# ---- tables --------------------------------------------------------------
COLUMNS = ("Label / link kind", "Items", "Exact F1", "Overlap F1", "Cohen's κ", "Krippendorff's α")
MEASURES = {"exact_f1": "Exact F1", "overlap_f1": "Overlap F1", "kappa": "Cohen's κ", "alpha": "Krippendorff's α"}


@dataclass(frozen=True)
class Row:
    """One line of the agreement table: a label, a link kind or a total."""

    name: str
    link: bool
    items: int
    exact_f1: float | None
    overlap_f1: float | None
    kappa: float | None = None
    alpha: float | None = None

    def cells(self) -> tuple[str, ...]:
        values = (self.exact_f1, self.overlap_f1, self.kappa, self.alpha)
        return (self.name, str(self.items), *(number(v) for v in values))


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def pair_name(pair: PairAgreement) -> str:
    return f"{pair.first} vs {pair.second}"


def table_rows(report: AgreementReport, pair: int | None = None) -> list[Row]:
    """The table for one pair (its index in `report.pairs`), or for everyone:
    F1 and κ averaged over the pairs where defined, α over all annotators,
    items counted over all annotators."""
    if pair is not None:
        found = report.pairs[pair]
        return [
            Row(
                _link_name(s.name) if link else s.name,
                link,
                s.count_a + s.count_b,
                s.exact_f1,
                s.overlap_f1,
                s.kappa,
                s.alpha,
            )
            for link, scores in ((False, found.labels), (True, found.links))
            for s in scores
        ]
    rows = []
    for index, total in enumerate(report.labels):
        scores = [p.labels[index] for p in report.pairs]
        rows.append(
            Row(
                total.name,
                False,
                total.items,
                _mean(s.exact_f1 for s in scores),
                _mean(s.overlap_f1 for s in scores),
                _mean(s.kappa for s in scores),
                total.alpha,
            )
        )
    for index, total in enumerate(report.links):
        links = [p.links[index] for p in report.pairs]
        rows.append(
            Row(
                _link_name(total.name),
                True,
                total.items,
                _mean(x.exact_f1 for x in links),
                _mean(x.overlap_f1 for x in links),
            )
        )
    return rows


def _link_name(kind: str) -> str:
    return kind if kind == ALL_LINKS else f"Links: {kind}"


def _mean(values: Iterable[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return sum(found) / len(found) if found else None


def to_tsv(rows: Iterable[Row]) -> str:
    """Tab-separated, header first, for pasting into a spreadsheet."""
    return "".join("\t".join(line) + "\n" for line in [COLUMNS, *(row.cells() for row in rows)])


def format_agreement(report: AgreementReport) -> str:
    """The whole report as plain text for the command line."""
    who = ", ".join(report.annotators) or "none"
    lines = [
        f"Annotators: {who} (gold left out)",
        f"Documents annotated by two or more: {report.documents}, tokens: {report.tokens}",
    ]
    if not report.pairs:
        return "\n".join([*lines, "Agreement needs spans from at least two annotators in the same document."])
    lines += ["", "Everyone (F1 and κ: mean over pairs; α: all annotators)", *_text_table(table_rows(report))]
    for index, pair in enumerate(report.pairs):
        lines += [
            "",
            f"{pair_name(pair)}: documents both annotated {pair.documents}, tokens {pair.tokens}",
            *_text_table(table_rows(report, index)),
        ]
    return "\n".join(lines)


def _text_table(rows: list[Row]) -> list[str]:
    cells = [COLUMNS, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    return [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in cells
    ]
