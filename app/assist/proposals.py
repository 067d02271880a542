"""What a recommender proposes, and which proposals are still worth showing."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
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

    @property
    def key(self) -> str:
        return proposal_key(self.document_id, self.start, self.end, self.label_id)


def proposal_key(document_id: int, start: int, end: int, label_id: int) -> str:
    """Stable identity of a proposal, the form a rejection is remembered in."""
    return f"{document_id}:{start}:{end}:{label_id}"


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
    rejected: set[str] | Rejected,
) -> list[Proposal]:
    """Drop proposals that are rejected, of a vanished label, or overlap a span of the same kind
    (`Keeps`); the rest in text order, each once."""
    keeps = Keeps(spans, kinds, rejected)
    kept = []
    for item in proposals:
        checkpoint()  # off the GUI thread: wait here while the GUI holds the gate
        if keeps(item.document_id, item.start, item.end, item.label_id):
            kept.append(item)
    return sorted(dict.fromkeys(kept), key=text_order)  # in order already: a set's shuffle cost a full sort


class Rejected:
    """Rejected proposal keys and the documents they name, found once per change, not per `Keeps`
    (one is made for every refiltered stretch, and the keys may be many)."""

    __slots__ = ("documents", "keys")

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self.keys: set[str] = set()
        self.documents: set[int] = set()
        self.replace(keys)

    def replace(self, keys: Iterable[str]) -> None:
        self.keys = set(keys)
        self.documents = refusing_of(self.keys)

    def __contains__(self, key: object) -> bool:
        return key in self.keys


def refusing_of(keys: Iterable[str]) -> set[int]:
    """The documents some key names (no key made for the others); a key of another form, which
    the setting may hold, names none: it can match no proposal."""
    return {int(head) for key in keys if (head := key.partition(":")[0]).isdecimal()}


class Keeps:
    """Whether a proposal is still worth showing, asked of its parts (no object needed).

    Not if it is rejected, of a vanished label, or overlaps a span of the same kind:
    an entity inside a claim is still proposed (different kinds); an entity
    overlapping an entity the annotator already tagged is not. `spans` are the
    annotator's spans of the proposals' document(s).
    """

    def __init__(self, spans: Iterable[Tagged], kinds: dict[int, LabelKind], rejected: set[str] | Rejected) -> None:
        self.kinds = kinds
        ranges: dict[tuple[int, LabelKind], list[tuple[int, int]]] = defaultdict(list)
        for span in spans:
            if span.label_id in kinds:
                ranges[span.document_id, kinds[span.label_id]].append((span.start, span.end))
        self._taken = {key: RangeIndex(found) for key, found in ranges.items()}
        if isinstance(rejected, Rejected):
            self.rejected, self._refusing = rejected.keys, rejected.documents
        else:
            self.rejected, self._refusing = rejected, refusing_of(rejected)

    def __call__(self, document_id: int, start: int, end: int, label_id: int) -> bool:
        kind = self.kinds.get(label_id)
        if kind is None:
            return False
        if document_id in self._refusing and proposal_key(document_id, start, end, label_id) in self.rejected:
            return False
        ranges = self._taken.get((document_id, kind))
        return ranges is None or not ranges.overlaps(start, end)


class RangeIndex:
    """Ranges [start, end) answering "does anything overlap this?" in O(log n)."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        ordered = sorted(ranges)
        self._starts: Sequence[int] = [start for start, _ in ordered]
        self._reach: Sequence[int] = list(accumulate((end for _, end in ordered), max))  # furthest end so far

    @classmethod
    def of_sorted(cls, starts: Sequence[int], ends: Sequence[int]) -> RangeIndex:
        """From parallel sequences already in start order (a document's string matches): no copy of the starts."""
        made = cls()
        made._starts, made._reach = starts, array("i", accumulate(ends, max))
        return made

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self._starts, end)  # ranges that start before `end`
        return before > 0 and self._reach[before - 1] > start


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
