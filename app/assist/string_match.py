"""The string-matching recommender (as INCEpTION's): what was tagged once is
proposed wherever else the same words occur.

Text is compared folded (`app.text.fold`: case and diacritics removed, one
character for one), as token sequences: "WESCAM," and "Wescam's" both hold
the token "wescam", while "Wescams" does not, so word boundaries hold.
Where one text was given several labels, the most frequent wins (the newest
on a tie). Longer phrases win over shorter ones starting at the same place.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from app.assist.pause import checkpoint
from app.assist.proposals import Proposal, Tagged
from app.storage.project import Project
from app.storage.search import fts_query
from app.text.fold import fold

_TOKEN = re.compile(r"\w+|[^\w\s]")
MIN_CHARS = 2  # a tagged "a" or "," would be proposed everywhere

Phrase = tuple[str, ...]


@lru_cache(maxsize=256)
def folded_tokens(text: str) -> tuple[tuple[str, ...], array[int], array[int]]:
    """The folded tokens of a text with their start and end offsets (cached: texts never change).

    Tokens are interned and offsets kept as machine integers: a 1 MB article has ~200,000
    tokens, mostly repeats, and as separate objects they held ~19 MB per cached text."""
    found = list(_TOKEN.finditer(fold(text)))
    tokens = tuple(sys.intern(m.group()) for m in found)
    return tokens, array("q", (m.start() for m in found)), array("q", (m.end() for m in found))


def phrase_of(text: str) -> Phrase:
    return tuple(_TOKEN.findall(fold(text)))


class StringMatcher:
    """Built from the annotator's spans; proposes their texts elsewhere."""

    def __init__(self, spans: Iterable[Tagged]) -> None:
        self._votes: dict[Phrase, Counter[int]] = defaultdict(Counter)
        self._order: dict[tuple[Phrase, int], int] = {}
        self._added = 0
        self.phrases: dict[Phrase, int] = {}
        # For each first token, how many known phrases of each length start with it.
        self._lengths_of: dict[str, Counter[int]] = defaultdict(Counter)
        self._lengths: dict[str, list[int]] = {}  # the same lengths, longest first
        for span in spans:
            self.add(span)

    def __len__(self) -> int:
        return len(self.phrases)

    def add(self, span: Tagged) -> Phrase | None:
        """Learn one more span; returns its phrase if what the matcher proposes for it changed."""
        phrase = phrase_of(span.quote)
        if len(span.quote.strip()) < MIN_CHARS or not any(t[0].isalnum() or t[0] == "_" for t in phrase):
            return None
        self._votes[phrase][span.label_id] += 1
        self._order[(phrase, span.label_id)] = self._added  # the newest wins a tie
        self._added += 1
        return self._elect(phrase)

    def remove(self, span: Tagged) -> Phrase | None:
        """Forget one span learnt before; returns its phrase if what is proposed for it changed."""
        phrase = phrase_of(span.quote)
        counts = self._votes.get(phrase)
        if counts is None or counts[span.label_id] <= 0:
            return None
        counts[span.label_id] -= 1
        if counts[span.label_id] == 0:
            del counts[span.label_id]
        if not counts:
            del self._votes[phrase]
        return self._elect(phrase)

    def _elect(self, phrase: Phrase) -> Phrase | None:
        counts = self._votes.get(phrase)
        was = self.phrases.get(phrase)
        now = max(counts, key=lambda label: (counts[label], self._order[(phrase, label)])) if counts else None
        if now == was:
            return None
        lengths = self._lengths_of[phrase[0]]
        if now is None:
            del self.phrases[phrase]
            lengths[len(phrase)] -= 1
        else:
            self.phrases[phrase] = now
            lengths[len(phrase)] += 1 if was is None else 0
        self._lengths[phrase[0]] = sorted((n for n, c in lengths.items() if c > 0), reverse=True)
        return phrase

    def match_at(self, tokens: tuple[str, ...], index: int) -> tuple[int, int] | None:
        """The longest known phrase starting at token `index`: (its length in tokens, its label)."""
        for length in self._lengths.get(tokens[index], ()):
            label = self.phrases.get(tokens[index : index + length])
            if label is not None and index + length <= len(tokens):  # a slice cut short by the end
                return length, label
        return None

    def propose(self, document_id: int, text: str) -> list[Proposal]:
        """Every occurrence of a known phrase in `text`, left to right, never overlapping."""
        return [proposal for _, proposal in self.propose_indexed(document_id, text)]

    def propose_indexed(self, document_id: int, text: str) -> list[tuple[int, Proposal]]:
        """`propose`, each proposal with the index of its first token."""
        tokens, starts, ends = folded_tokens(text)
        found: list[tuple[int, Proposal]] = []
        index, count = 0, len(tokens)
        while index < count:
            match = self.match_at(tokens, index)
            if match is None:
                index += 1
                continue
            checkpoint()  # off the GUI thread: wait here while the GUI holds the gate
            length, label = match
            start, end = starts[index], ends[index + length - 1]
            found.append((index, Proposal(document_id, start, end, label, text[start:end], "string")))
            index += length
        return found


def occurrences(project: Project, text: str, label_id: int) -> list[Proposal]:
    """Every whole-word occurrence of `text` (folded) in the project, as proposals of one label.

    The search index narrows the documents to those holding all its words;
    the matcher then checks each for the exact phrase.
    """
    match = fts_query(text)
    if not match:
        return []
    candidates = [
        row[0] for row in project.query("SELECT rowid FROM document_search WHERE document_search MATCH ?", (match,))
    ]
    matcher = StringMatcher([Tagged(0, 0, len(text), label_id, text)])
    found: list[Proposal] = []
    for doc_id in sorted(candidates):
        found += matcher.propose(doc_id, project.text(doc_id))
    return found
