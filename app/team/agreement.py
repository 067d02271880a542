"""Inter-annotator agreement: span F1, Cohen's κ, Krippendorff's α, link F1.

Rules (the figures mean exactly this):

- The reserved annotator "gold" (that exact name, as curation has it) is left
  out of the pairs; an annotator counts only with at least one span or link
  (opening the team file does not make the lead one). Each annotator is also
  compared with gold (`versus_gold`), on documents both annotated.
- Per document (`by_document`): every pair who both annotated it, the ALL
  LABELS figures averaged over those pairs.
- The confusion matrix (`confusion`): per token, the label each of two
  annotators gave it (shortest covering span, else "O"), counted over every
  pair and document, both ways round, so it is symmetric; each pair's own
  matrix (rows: first annotator, columns: second) is `PairAgreement.confusion`.
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
- Tokens are `app.team.token_agreement.Tokens`. Overall κ and α: each token gets the
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
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

from app.models import GOLD, SYMMETRIC, LinkKind
from app.storage.project import Project
from app.team.pairing import f1, overlap_pairs
from app.team.token_agreement import OUTSIDE, Pattern, Tokens, alpha_of, cohen_kappa

ALL_LABELS, ALL_LINKS = "All labels", "All links"


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
    confusion: tuple[tuple[int, ...], ...] = ()  # [first's label][second's label], over report.confusion_labels


@dataclass(frozen=True)
class DocumentAgreement:
    """One document: who annotated it, and the ALL LABELS figures averaged over its pairs."""

    document_id: int
    title: str
    outlet: str
    annotators: tuple[str, ...]
    exact_f1: float | None
    overlap_f1: float | None
    kappa: float | None
    alpha: float | None  # over the annotators of this document


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
    versus_gold: tuple[PairAgreement, ...] = ()  # each annotator (first) against gold (second)
    by_document: tuple[DocumentAgreement, ...] = ()
    confusion_labels: tuple[str, ...] = ()  # the labels in use, then "O"
    confusion: tuple[tuple[int, ...], ...] = ()  # over every pair, both ways round


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
        self.project = project
        stored, links = project.spans(), project.links()
        working = {s.annotator_id for s in stored} | {x.annotator_id for x in links}
        people = {a.id: a.name for a in project.annotators() if a.id in working}  # gold included, for versus_gold
        names = {x.id: x.name for x in project.labels()}
        every = {s.id: _Span(s.id, s.document_id, s.start, s.end, names[s.label_id]) for s in stored}
        self.annotators = tuple(sorted(set(people.values()) - {GOLD}))
        self.spans: dict[str, dict[int, list[_Span]]] = {a: {} for a in people.values()}
        for item in stored:
            if item.annotator_id in people:
                self.spans[people[item.annotator_id]].setdefault(item.document_id, []).append(every[item.id])
        self.links: dict[str, list[_Link]] = {a: [] for a in people.values()}
        for link in links:
            if link.annotator_id in people:
                ends = (every[link.source_span_id], every[link.target_span_id])
                self.links[people[link.annotator_id]].append(_Link(link.kind.value, ends))
        used = {s.label for by_doc in self.spans.values() for spans in by_doc.values() for s in spans}
        self.labels = [name for name in names.values() if name in used]
        kinds = {x.kind for links in self.links.values() for x in links}
        self.kinds = [k.value for k in LinkKind if k.value in kinds]
        shared = Counter(doc for a in self.annotators for doc in self.spans[a])
        self.documents = sorted(doc for doc, count in shared.items() if count >= 2)
        self.tokens: dict[int, Tokens] = {}

    def tokens_of(self, doc: int) -> Tokens:
        if doc not in self.tokens:
            self.tokens[doc] = Tokens(self.project.text(doc))
        return self.tokens[doc]


def agreement(project: Project) -> AgreementReport:
    """Every measure for every pair of annotators, and α over all of them."""
    data = _Data(project)
    pairs = tuple(_pair(data, a, b) for a, b in combinations(data.annotators, 2))
    gold = tuple(
        _pair(data, a, GOLD)
        for a in data.annotators
        if GOLD in data.spans and set(data.spans[a]) & set(data.spans[GOLD])
    )
    size = len(data.labels) + 1
    confusion = [[0] * size for _ in range(size)]
    for pair in pairs:
        for i, row in enumerate(pair.confusion):
            for j, n in enumerate(row):
                confusion[i][j] += n
                confusion[j][i] += n
    return AgreementReport(
        data.annotators,
        len(data.documents),
        sum(len(data.tokens_of(d)) for d in data.documents),
        _label_totals(data),
        _link_totals(data),
        pairs,
        gold,
        _by_document(data),
        (*data.labels, OUTSIDE),
        tuple(map(tuple, confusion)),
    )


def _by_document(data: _Data) -> tuple[DocumentAgreement, ...]:
    found = []
    titles = {int(d.id): (d.title, d.source) for d in data.project.documents()}
    for doc in data.documents:
        who = [a for a in data.annotators if doc in data.spans[a]]
        scores = [_pair(data, a, b, {doc}).labels[-1] for a, b in combinations(who, 2)]
        tokens = data.tokens_of(doc)
        alpha = alpha_of(Counter(zip(*(tokens.labels(s[2:] for s in data.spans[a][doc]) for a in who), strict=True)))
        title, outlet = titles.get(doc, ("", ""))
        found.append(
            DocumentAgreement(
                doc,
                title,
                outlet,
                tuple(who),
                _mean(s.exact_f1 for s in scores),
                _mean(s.overlap_f1 for s in scores),
                _mean(s.kappa for s in scores),
                alpha,
            )
        )
    return tuple(found)


def _mean(values: Iterable[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return sum(found) / len(found) if found else None


def _pair(data: _Data, a: str, b: str, only: set[int] | None = None) -> PairAgreement:
    shared = sorted(set(data.spans[a]) & set(data.spans[b]) & (only if only is not None else set(data.spans[a])))
    counts: dict[str, Counter[str]] = {label: Counter() for label in data.labels}
    partner: dict[int, int] = {}  # span id -> the id of the overlap pair it belongs to
    overall: Counter[Pattern] = Counter()
    binary: dict[str, Counter[Pattern]] = {label: Counter() for label in data.labels}
    for doc in shared:
        sa, sb = data.spans[a][doc], data.spans[b][doc]
        for label in data.labels:
            _match(counts[label], partner, [s for s in sa if s.label == label], [s for s in sb if s.label == label])
        tokens = data.tokens_of(doc)
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
        sum(len(data.tokens_of(d)) for d in shared),
        tuple(scores),
        _link_scores(data, a, b, set(shared), partner),
        _matrix(overall, [*data.labels, OUTSIDE]),
    )


def _matrix(table: Counter[Pattern], labels: list[str]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(table[(x, y)] for y in labels) for x in labels)


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
        tokens = data.tokens_of(doc)
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
        x.kind for a in data.annotators for x in data.links[a] if all(end.document in counted for end in x.ends)
    )
    return (*(Total(kind, kinds[kind]) for kind in data.kinds), Total(ALL_LINKS, kinds.total()))
