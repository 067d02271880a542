"""Word-level diff of two passages, for painting what changed between copies.

Tokens are words (letters, digits and combining marks, with inner apostrophes,
hyphens and number separators: "end-use", "don't", "1,000.5") and single
symbols (punctuation, an emoji with its modifiers). White space is never a
token, so re-spacing is no change. The token sequences are aligned by their
longest common subsequence (rapidfuzz's Indel opcodes, in C); a run of
deletions next to a run of insertions is reported as one `replace`.

Offsets are code points into each passage (plus `base_a` / `base_b`, so a
caller can diff two slices and get document offsets back). An `insert` has an
empty range in `a` placed where the new words go, a `delete` an empty range
in `b`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, NamedTuple

from rapidfuzz.distance import Indel

from app.text.fold import fold

OpKind = Literal["equal", "insert", "delete", "replace"]

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = rf"[\w{_MARKS}]+(?:['’\-.,:/][\w{_MARKS}]+)*"
_SYMBOL = r"[^\w\s](?:\u200d[^\s]|[\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\u20e3" + _MARKS + r"])*"
_TOKEN = re.compile(f"{_WORD}|{_SYMBOL}")


class Token(NamedTuple):
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DiffOp:
    op: OpKind
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def tokenize(text: str) -> list[Token]:
    """Word and symbol tokens of `text` with their code-point ranges."""
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def diff_words(
    a: str, b: str, *, ignore_case_and_accents: bool = False, base_a: int = 0, base_b: int = 0
) -> list[DiffOp]:
    """The operations turning passage `a` into passage `b`, word by word, in order.

    With `ignore_case_and_accents`, "Çavuşoğlu" and "cavusoglu" count as equal.
    """
    tokens_a, tokens_b = tokenize(a), tokenize(b)
    key = fold if ignore_case_and_accents else _same
    keys_a = [key(t.text) for t in tokens_a]
    keys_b = [key(t.text) for t in tokens_b]
    ops: list[DiffOp] = []
    pending: tuple[int, int, int, int] | None = None  # a deletion/insertion run not yet emitted
    for code in Indel.opcodes(keys_a, keys_b):
        if code.tag == "equal":
            if pending is not None:
                ops.append(_change(pending, tokens_a, tokens_b, len(a), len(b)))
                pending = None
            ops.append(
                _change(
                    (code.src_start, code.src_end, code.dest_start, code.dest_end),
                    tokens_a,
                    tokens_b,
                    len(a),
                    len(b),
                    "equal",
                )
            )
            continue
        if pending is None:
            pending = (code.src_start, code.src_end, code.dest_start, code.dest_end)
        else:
            pending = (pending[0], code.src_end, pending[2], code.dest_end)
    if pending is not None:
        ops.append(_change(pending, tokens_a, tokens_b, len(a), len(b)))
    if base_a or base_b:
        ops = [DiffOp(o.op, o.a_start + base_a, o.a_end + base_a, o.b_start + base_b, o.b_end + base_b) for o in ops]
    return ops


def changed_fraction(ops: list[DiffOp]) -> float:
    """Share of the two passages' characters inside non-equal operations (0 = same words)."""
    changed = sum((o.a_end - o.a_start) + (o.b_end - o.b_start) for o in ops if o.op != "equal")
    total = sum((o.a_end - o.a_start) + (o.b_end - o.b_start) for o in ops)
    return changed / total if total else 0.0


def _same(text: str) -> str:
    return text


def _change(
    run: tuple[int, int, int, int],
    tokens_a: list[Token],
    tokens_b: list[Token],
    len_a: int,
    len_b: int,
    tag: OpKind | None = None,
) -> DiffOp:
    a1, a2, b1, b2 = run
    if tag is None:
        tag = "replace" if a2 > a1 and b2 > b1 else "delete" if a2 > a1 else "insert"
    start_a, end_a = _range(tokens_a, a1, a2, len_a)
    start_b, end_b = _range(tokens_b, b1, b2, len_b)
    return DiffOp(tag, start_a, end_a, start_b, end_b)


def _range(tokens: list[Token], first: int, stop: int, length: int) -> tuple[int, int]:
    """Code-point range of tokens[first:stop]; an empty run sits after the token before it."""
    if stop > first:
        return tokens[first].start, tokens[stop - 1].end
    if first > 0:
        return tokens[first - 1].end, tokens[first - 1].end
    position = tokens[0].start if tokens else 0
    return min(position, length), min(position, length)
