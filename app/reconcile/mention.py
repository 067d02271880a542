"""The shared records of reconciliation: what one article says about a fact (`Mention`,
`Detail`) and the `Suggestion` that lists a fact across articles. Kept apart so the rule
modules, `suggest` and `decisions` import them without a cycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Detail:
    """One differing token run, for highlighting."""

    doc: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """What one article says about the fact: the differing words inside their passage."""

    doc: int
    start: int  # the differing words (for same_as: the name)
    end: int
    text: str
    passage_start: int  # the sentence (for same_as: the name again), what accepting tags
    passage_end: int
    value: str  # what the words mean, to group agreeing outlets ("2021-04-12", "all", "mevlut cavusoglu")
    published: str | None = None  # the article's published date, ISO, when known
    said: str = ""  # the words as a reason shows them ("all permits", "last October")


SuggestionKind = Literal[
    "weekday",
    "date",
    "number",
    "quantifier",
    "quote",
    "person",
    "organisation",
    "place",
    "same_as",
    "characterisation",
]
LinkKindName = Literal["contradicts", "same_as", "updates"]


@dataclass(frozen=True)
class Suggestion:
    """One fact across articles. doc_a…end_b and `details` are its first two mentions
    (kept for pairwise consumers); `mentions` lists every article's words."""

    id: str
    kind: SuggestionKind
    doc_a: int
    start_a: int
    end_a: int
    doc_b: int
    start_b: int
    end_b: int
    details: tuple[Detail, ...]
    reason: str
    link_kind: LinkKindName
    score: float
    label_hint: str = ""  # same_as: PERSON, ORG or LOCATION; contradicts: "" (the first claim label)
    mentions: tuple[Mention, ...] = ()
    minor: bool = False  # a rounding or vague amount, not a real conflict
    parts: tuple[str, ...] = ()  # ids of its pairs (same_as: of its members): a rejection outlives a new article

    @property
    def documents(self) -> tuple[int, ...]:
        return tuple(sorted({m.doc for m in self.mentions}))
