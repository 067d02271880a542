"""What a recommender proposes, and which proposals are still worth showing."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal, NamedTuple

from app.assist.pause import checkpoint
from app.models import LabelKind
from app.storage.project import Project

Source = Literal["string", "model"]


@dataclass(frozen=True, order=True, slots=True)  # slots: a big article has ~100,000
class Proposal:
    """A stretch of text a recommender would tag: code points into the document."""

    document_id: int
    start: int
    end: int
    label_id: int
    text: str  # the covered text, as in the document
    source: Source = "string"
    score: float = 1.0

    @property
    def key(self) -> str:
        """Stable identity of a proposal, the form a rejection is remembered in."""
        return f"{self.document_id}:{self.start}:{self.end}:{self.label_id}"


def text_order(item: Proposal) -> tuple[int, int, int, int]:
    """Sort key: document, then text order (plain tuples compare far faster than dataclasses)."""
    return item.document_id, item.start, item.end, item.label_id


class Tagged(NamedTuple):
    """One of the annotator's spans, as the recommenders learn from it."""

    document_id: int
    start: int
    end: int
    label_id: int
    quote: str


def own_spans(project: Project, annotator_id: int) -> list[Tagged]:
    """Every span of one annotator, in document and text order (one query)."""
    found = project.query(
        'SELECT document_id, start, "end", label_id, quote FROM span WHERE annotator_id = ?'
        ' ORDER BY document_id, start, "end"',
        (annotator_id,),
    )
    return list(map(Tagged._make, found))


def label_kinds(project: Project) -> dict[int, LabelKind]:
    return {label.id: label.kind for label in project.labels()}


def fresh(
    proposals: Iterable[Proposal],
    spans: Sequence[Tagged],
    kinds: dict[int, LabelKind],
    rejected: set[str],
) -> list[Proposal]:
    """Drop proposals that are rejected, of a vanished label, or overlap a span of the same kind.

    An entity inside a claim is still proposed (different kinds); an entity
    overlapping an entity the annotator already tagged is not. `spans` are
    the annotator's spans of the proposals' document(s).
    """
    index: dict[tuple[int, LabelKind], RangeIndex] = {}
    for span in spans:
        if span.label_id in kinds:
            index.setdefault((span.document_id, kinds[span.label_id]), RangeIndex()).add(span.start, span.end)
    kept = []
    for item in proposals:
        checkpoint()  # off the GUI thread: wait here while the GUI holds the gate
        kind = kinds.get(item.label_id)
        if kind is None or item.key in rejected:
            continue
        ranges = index.get((item.document_id, kind))
        if ranges is None or not ranges.overlaps(item.start, item.end):
            kept.append(item)
    return sorted(set(kept), key=text_order)


class RangeIndex:
    """Ranges [start, end) answering "does anything overlap this?" in O(log n)."""

    def __init__(self) -> None:
        self._ranges: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._reach: list[int] = []  # the furthest end among the ranges up to each one

    def add(self, start: int, end: int) -> None:
        self._ranges.append((start, end))
        self._starts = []  # rebuilt on the next question

    def overlaps(self, start: int, end: int) -> bool:
        if not self._starts and self._ranges:
            self._ranges.sort()
            self._starts = [s for s, _ in self._ranges]
            self._reach = list(accumulate((e for _, e in self._ranges), max))
        before = bisect_left(self._starts, end)  # ranges that start before `end`
        return before > 0 and self._reach[before - 1] > start


def merge(first: Iterable[Proposal], second: Iterable[Proposal]) -> list[Proposal]:
    """Proposals of two recommenders; where they overlap, `first` (string match) wins."""
    merged = sorted(first, key=text_order)
    taken: dict[int, RangeIndex] = {}
    for item in merged:
        checkpoint()  # off the GUI thread: wait here while the GUI holds the gate
        taken.setdefault(item.document_id, RangeIndex()).add(item.start, item.end)
    for item in second:
        ranges = taken.get(item.document_id)
        if ranges is None or not ranges.overlaps(item.start, item.end):
            merged.append(item)
    return sorted(merged, key=text_order)


def entity_labels(project: Project) -> dict[str, int]:
    """Entity label ids by upper-cased name, for mapping a model's label names back."""
    return {x.name.upper(): x.id for x in project.labels() if x.kind == LabelKind.ENTITY}


def from_entities(
    document_id: int,
    text: str,
    entities: Iterable[tuple[int, int, str]],
    labels: dict[str, int],
    aliases: dict[str, str] | None = None,
) -> list[Proposal]:
    """A model's (start, end, label name) as proposals; names the project lacks are dropped."""
    found = []
    for start, end, name in entities:
        key = name.upper()
        label = labels.get(key, labels.get((aliases or {}).get(key, "")))
        if label is not None and 0 <= start < end <= len(text):
            found.append(Proposal(document_id, start, end, label, text[start:end], "model"))
    return found
