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
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from app.assist.proposals import Proposal, Tagged
from app.storage.project import Project
from app.storage.search import fts_query
from app.text.fold import fold

_TOKEN = re.compile(r"\w+|[^\w\s]")
MIN_CHARS = 2  # a tagged "a" or "," would be proposed everywhere

Phrase = tuple[str, ...]


@lru_cache(maxsize=256)
def folded_tokens(text: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]:
    """The folded tokens of a text with their start and end offsets (cached: texts never change)."""
    found = list(_TOKEN.finditer(fold(text)))
    return tuple(m.group() for m in found), tuple(m.start() for m in found), tuple(m.end() for m in found)


def phrase_of(text: str) -> Phrase:
    return tuple(_TOKEN.findall(fold(text)))


class StringMatcher:
    """Built from the annotator's spans; proposes their texts elsewhere."""

    def __init__(self, spans: Iterable[Tagged]) -> None:
        votes: dict[Phrase, Counter[int]] = defaultdict(Counter)
        order: dict[tuple[Phrase, int], int] = {}
        for position, span in enumerate(spans):
            phrase = phrase_of(span.quote)
            if len(span.quote.strip()) >= MIN_CHARS and any(t[0].isalnum() or t[0] == "_" for t in phrase):
                votes[phrase][span.label_id] += 1
                order[(phrase, span.label_id)] = position
        self.phrases: dict[Phrase, int] = {
            phrase: max(counts, key=lambda label: (counts[label], order[(phrase, label)]))
            for phrase, counts in votes.items()
        }
        # For each first token, the phrase lengths starting with it, longest first.
        lengths: dict[str, set[int]] = defaultdict(set)
        for phrase in self.phrases:
            lengths[phrase[0]].add(len(phrase))
        self._lengths = {token: sorted(found, reverse=True) for token, found in lengths.items()}

    def __len__(self) -> int:
        return len(self.phrases)

    def propose(self, document_id: int, text: str) -> list[Proposal]:
        """Every occurrence of a known phrase in `text`, left to right, never overlapping."""
        tokens, starts, ends = folded_tokens(text)
        found: list[Proposal] = []
        index, count = 0, len(tokens)
        while index < count:
            step = 1
            for length in self._lengths.get(tokens[index], ()):
                label = self.phrases.get(tokens[index : index + length])
                if label is not None:
                    start, end = starts[index], ends[index + length - 1]
                    found.append(Proposal(document_id, start, end, label, text[start:end], "string"))
                    step = length
                    break
            index += step
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
