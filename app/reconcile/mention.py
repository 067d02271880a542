"""What one article says about a fact, as `app.reconcile.suggest` lists it: the shared records
of the reconciliation rules (kept apart so the rule modules and `suggest` import them without a cycle)."""

from __future__ import annotations

from dataclasses import dataclass


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
