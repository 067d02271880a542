"""Sentence splitting for news text, with code-point offsets into the original.

Rules, in order:
- A blank line always ends a sentence; so does a single line break, unless the
  line stops mid-sentence (no end mark) and the next line goes on in lower case
  (a hard-wrapped line).
- Inside a paragraph a sentence ends at `.`, `!`, `?` or `…` (plus any closing
  quotes or brackets) followed by white space and a word that does not start
  in lower case ("…heads.” One of" splits; "…asked?” he said" does not).
- Not after a title ("Dr.", "Gen."), an initial ("J."), a month or "No."
  before a number ("Oct. 2"); after an abbreviation that can also end a
  sentence ("U.S.", "Inc.", "etc.") only when a usual sentence opener
  ("The", "He", "In", …) follows.

Each sentence is trimmed of surrounding white space; white-space-only pieces
are dropped. Offsets are Python string indices (code points).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple


def word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list (stop words, cue words) as a set."""
    return frozenset(words.split())


class Sentence(NamedTuple):
    start: int
    end: int


_TITLES = word_set(
    "mr mrs ms mx dr prof sr jr st mt ft gen col lt sgt capt cmdr adm maj cpl gov sen rep rev hon"
    " pres supt insp det fr messrs mme mlle mssrs amb atty"
)
_BEFORE_NUMBER = word_set(
    "no nos vol vols pp p fig figs art arts sec ch para ref jan feb mar apr jun jul aug sep sept"
    " oct nov dec approx ca est"
)
_AMBIGUOUS = word_set("etc inc ltd co corp bros dept univ ave blvd rd al vs cf eg ie plc llc ag sa")
_OPENERS = word_set(
    "the a an he she it they we i you in on at but and this that these those there his her their its our"
    " as after before when while if for however meanwhile also then so yet according since what who why"
    " how some many most all no one two mr mrs ms dr with by from last next"
)

_END = re.compile(r"(?:[.!?…]+|\.\.\.)[\"'“”‘’«»)\]}]*(?=\s|$)")
_WORD_BEFORE = re.compile(r"([^\s\"'“”‘’«»(\[{]+)[.!?…]+[\"'“”‘’«»)\]}]*$")
_DOTTED = re.compile(r"(?:[^\W\d_]\.){2,}$|(?:[^\W\d_]\.)+[^\W\d_]$")
_NEXT_WORD = re.compile(r"[\"'“”‘’«»(\[{]*([^\W_]+)")
_LINE = re.compile(r"[^\n]*(?:\n|$)")


SentencesByDoc = Mapping[int, list[Sentence]]  # each article's sentences, split once per reconciliation run


def sentences_by_doc(texts: Mapping[int, str]) -> dict[int, list[Sentence]]:
    return {doc: split_sentences(text) for doc, text in texts.items()}


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text`, in order, as trimmed (start, end) code-point ranges."""
    found: list[Sentence] = []
    for block_start, block_end in _blocks(text):
        start = block_start
        for mark in _END.finditer(text, block_start, block_end):
            if _is_boundary(text, mark.start(), mark.end(), block_end):
                _emit(text, start, mark.end(), found)
                start = mark.end()
        _emit(text, start, block_end, found)
    return found


def _blocks(text: str) -> list[tuple[int, int]]:
    """Runs of lines that belong together: hard-wrapped lines are joined."""
    blocks: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for line in _LINE.finditer(text):
        if line.start() == len(text) and line.end() == len(text):
            break
        content = line.group().rstrip("\n")
        if not content.strip():
            _close(current, blocks)
            current = None
            continue
        if current is not None and _continues(text[current[0] : current[1]], content):
            current = (current[0], line.start() + len(content))
            continue
        _close(current, blocks)
        current = (line.start(), line.start() + len(content))
    _close(current, blocks)
    return blocks


def _close(block: tuple[int, int] | None, blocks: list[tuple[int, int]]) -> None:
    """Store a finished block, if any."""
    if block is not None:
        blocks.append(block)


def _continues(previous: str, line: str) -> bool:
    tail, head = previous.rstrip(), line.lstrip()
    return bool(tail) and tail[-1] not in '.!?…:"”’»' and head[:1].islower()


def _is_boundary(text: str, mark_start: int, mark_end: int, block_end: int) -> bool:
    following = text[mark_end:block_end].lstrip()
    if not following:
        return True
    if following[0].islower():
        return False
    if text[mark_start] != ".":
        return True
    before = _WORD_BEFORE.search(text, max(0, mark_start - 40), mark_end)
    if before is None:
        return True
    word = before.group(1)
    key = word.lower().replace(".", "")
    next_word = _NEXT_WORD.match(following)
    opener = next_word is not None and next_word.group(1).lower() in _OPENERS
    if key in _TITLES or (len(word) == 1 and word.isalpha() and word.isupper()):
        return False  # "Dr. Smith", "J. Smith"
    if key in _BEFORE_NUMBER and following[0].isdigit():
        return False  # "Oct. 2", "No. 5"
    if key in _AMBIGUOUS or key in _BEFORE_NUMBER or _DOTTED.search(word):
        return opener  # "the U.S. The next day" splits, "the U.S. Navy" does not
    return True


def _emit(text: str, start: int, end: int, found: list[Sentence]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        found.append(Sentence(start + lead, start + lead + len(stripped)))
