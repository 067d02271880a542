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
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TypeAlias, overload

from app.assist.extents import Extents
from app.assist.pause import checkpoint
from app.assist.proposals import Proposal, Tagged
from app.storage.project import Project
from app.storage.search import fts_query
from app.text.fold import fold

_TOKEN = re.compile(r"\w+|[^\w\s]")
MIN_CHARS = 2  # a tagged "a" or "," would be proposed everywhere
FOLD_CHUNK = 1 << 16  # code points folded at once

Phrase = tuple[str, ...]


class TokenEnds(Sequence[int]):
    """Each token's end offset, found from its start: folding keeps one character for one, so a
    token ends its length after its start (an array of them held 0.6 MB for a 1 MB article)."""

    __slots__ = ("_starts", "_tokens")

    def __init__(self, tokens: tuple[str, ...], starts: array[int]) -> None:
        self._tokens, self._starts = tokens, starts

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._starts[index] + len(self._tokens[index])


Tokens: TypeAlias = "tuple[tuple[str, ...], array[int], TokenEnds]"  # the tokens, their starts, their ends


@lru_cache(maxsize=256)
def folded_tokens(text: str) -> Tokens:
    """The folded tokens of a text with their start and end offsets (cached: texts never change)."""
    return tokens_of(text)


def tokens_of(text: str, chunk: int = FOLD_CHUNK) -> Tokens:
    """Tokens are interned and offsets kept as machine integers: a 1 MB article has ~200,000
    tokens, mostly repeats, and as separate objects they held ~19 MB per cached text.

    The text is folded `chunk` code points at a time, cut at a space (never inside a token;
    folding keeps every offset): folding a 1 MB article at once held a 4 MB copy of it."""
    tokens: list[str] = []
    starts = array("i")  # a document's code points fit in 32 bits
    at = 0
    while at < len(text):
        cut = text.find(" ", at + chunk)
        cut = len(text) if cut < 0 else cut
        for m in _TOKEN.finditer(fold(text[at:cut])):  # one match object at a time
            tokens.append(sys.intern(m.group()))
            starts.append(at + m.start())
        at = cut
    frozen = tuple(tokens)
    return frozen, starts, TokenEnds(frozen, starts)


def phrase_of(text: str) -> Phrase:
    return tuple(map(sys.intern, _TOKEN.findall(fold(text))))  # the tokens shared with `folded_tokens`


class StringMatcher:
    """Built from the annotator's spans; proposes their texts elsewhere."""

    def __init__(self, spans: Iterable[Tagged]) -> None:
        # Per phrase, its elected label then a flat run of (label, votes, when last voted) triples, as
        # one tuple (a Counter per phrase and a dict of vote times held ~380 bytes per phrase; a list
        # of triples beside a dict of elected labels, 10,000 spans' matcher 2.8 MB, this 2.4 MB).
        self._votes: dict[Phrase, tuple[int, ...]] = {}
        self._added = 0
        # For each first token, how many known phrases of each length start with it.
        self._lengths_of: dict[str, Counter[int]] = defaultdict(Counter)
        self._lengths: dict[str, list[int]] = {}  # the same lengths, longest first
        for span in spans:
            self.add(span)

    def __len__(self) -> int:
        return len(self._votes)

    @property
    def phrases(self) -> dict[Phrase, int]:
        """Each known phrase's label (made on demand: the matcher itself reads `_votes`)."""
        return {phrase: votes[0] for phrase, votes in self._votes.items()}

    def add(self, span: Tagged) -> Phrase | None:
        """Learn one more span; returns its phrase if what the matcher proposes for it changed."""
        phrase = phrase_of(span.quote)
        if len(span.quote.strip()) < MIN_CHARS or not any(t[0].isalnum() or t[0] == "_" for t in phrase):
            return None
        was, votes = self._split(phrase)
        at = _slot(votes, span.label_id)
        if at is None:
            votes += (span.label_id, 1, self._added)
        else:
            votes[at + 1] += 1
            votes[at + 2] = self._added  # the newest wins a tie
        self._added += 1
        return self._elect(phrase, was, votes)

    def remove(self, span: Tagged) -> Phrase | None:
        """Forget one span learnt before; returns its phrase if what is proposed for it changed."""
        phrase = phrase_of(span.quote)
        was, votes = self._split(phrase)
        at = _slot(votes, span.label_id)
        if at is None:
            return None
        votes[at + 1] -= 1
        if votes[at + 1] == 0:
            del votes[at : at + 3]
        return self._elect(phrase, was, votes)

    def _split(self, phrase: Phrase) -> tuple[int | None, list[int]]:
        """A phrase's elected label (None if unknown) and its vote triples, to change."""
        found = self._votes.get(phrase)
        return (None, []) if found is None else (found[0], list(found[1:]))

    def _elect(self, phrase: Phrase, was: int | None, votes: list[int]) -> Phrase | None:
        """Keep `votes` as the phrase's; returns the phrase if its elected label changed."""
        now = votes[max(range(0, len(votes), 3), key=lambda i: (votes[i + 1], votes[i + 2]))] if votes else None
        if now is None:
            self._votes.pop(phrase, None)
        else:
            self._votes[phrase] = (now, *votes)
        if now == was:
            return None
        lengths = self._lengths_of[phrase[0]]
        if now is None:
            lengths[len(phrase)] -= 1
        else:
            lengths[len(phrase)] += 1 if was is None else 0
        self._lengths[phrase[0]] = sorted((n for n, c in lengths.items() if c > 0), reverse=True)
        return phrase

    def match_at(self, tokens: tuple[str, ...], index: int) -> tuple[int, int] | None:
        """The longest known phrase starting at token `index`: (its length in tokens, its label)."""
        for length in self._lengths.get(tokens[index], ()):
            votes = self._votes.get(tokens[index : index + length])
            if votes is not None and index + length <= len(tokens):  # a slice cut short by the end
                return length, votes[0]
        return None

    def propose(self, document_id: int, text: str) -> list[Proposal]:
        """Every occurrence of a known phrase in `text`, left to right, never overlapping."""
        return list(self.scan(document_id, text))

    def scan(self, document_id: int, text: str) -> Extents:
        """`propose` as arrays (no object per match)."""
        tokens, starts, _ends = folded_tokens(text)
        made, _reached = self.scan_from(tokens, 0, _on)
        lasts = map(int.__add__, made[0::3], made[1::3])  # each match's last token, plus one
        rows = (
            (starts[at], starts[last - 1] + len(tokens[last - 1]), label, 0)  # its end, as `TokenEnds` finds it
            for at, last, label in zip(made[0::3], lasts, made[2::3], strict=True)
        )
        return Extents.of_rows(document_id, text, rows)

    def scan_from(self, tokens: tuple[str, ...], index: int, going: Callable[[int], bool]) -> tuple[array[int], int]:
        """The greedy left-to-right scan from token `index`, never overlapping, for as long as
        `going(next token)` says after each token or match: (first token, length, label) per
        match, flat, and the token it stopped at."""
        made, count = array("i"), len(tokens)
        while index < count:
            found = self.match_at(tokens, index)
            if found is None:
                index += 1
            else:
                made += array("i", (index, *found))
                index += found[0]
            if not going(index):
                break
        return made, index


def _on(_index: int) -> bool:
    """A whole scan goes on to the end, pausing while the GUI holds the gate (off its thread)."""
    checkpoint()
    return True


def _slot(votes: list[int], label: int) -> int | None:
    """Where `label`'s triple starts in a phrase's votes."""
    return next((i for i in range(0, len(votes), 3) if votes[i] == label), None)


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
