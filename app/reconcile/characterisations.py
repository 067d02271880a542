"""What kind of war: a "civil war" in one article, a war between two parties in another.

A civil war is fought inside one country; "the conflict between Azerbaijan and Armenia",
"fighting with Armenia" or "Azerbaijan and Armenian forces fought" name two sides. When an
article calls a war involving X a civil war and a related article has X fighting another named
party, the two characterise the war differently (`contradicts`). Names are compared by their
first five folded letters, so "Armenian forces" is Armenia's side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import permutations

from app.reconcile.conflicts import Finding, mention
from app.text.fold import fold
from app.text.sentences import SentencesByDoc

_NAME = r"[A-Z][\w’'-]+"
_CIVIL = re.compile(r"\bcivil war\b", re.IGNORECASE)
_WAR = r"(?:war|conflict|fighting|clashes|hostilities)"
_TWO_SIDES = (
    re.compile(rf"\b{_WAR}\s+between\s+(?:the\s+)?(?P<a>{_NAME})(?:\s{_NAME})?\s+and\s+(?:the\s+)?(?P<b>{_NAME})"),
    re.compile(rf"\b{_WAR}\s+(?:with|against)\s+(?:the\s+)?(?P<b>{_NAME})"),
    re.compile(rf"\b(?P<a>{_NAME})\s+and\s+(?P<b>{_NAME})(?:\s+[a-z]+){{0,2}}\s+(?:fought|clashed|went to war)\b"),
)
_SKIP = frozenset(["the", "a", "an", "in", "on", "its", "their", "his", "her", "this", "that", "last"])


def _stem(name: str) -> str:
    return fold(name)[:5]


def _names(sentence: str) -> set[str]:
    return {_stem(m) for m in re.findall(_NAME, sentence) if fold(m) not in _SKIP}


def _two_sides(text: str, start: int, end: int) -> Iterator[tuple[int, int, set[str]]]:
    """(start, end, the sides' stems) of each phrase naming two warring sides in text[start:end]."""
    for pattern in _TWO_SIDES:
        for m in pattern.finditer(text, start, end):
            sides = {_stem(m.group(g)) for g in ("a", "b") if g in pattern.groupindex}
            if "a" not in pattern.groupindex:  # "fighting with Armenia": the other side is named before
                before = _names(text[start : m.start()])
                sides |= {before.pop()} if len(before) == 1 else set()
            if len(sides) == 2:
                yield m.start(), m.end(), sides


def characterisation_conflicts(
    texts: Mapping[int, str], related: set[tuple[int, int]], sentences: SentencesByDoc
) -> list[Finding]:
    """A civil war in one article, a war between two named parties in a related one."""
    out: list[Finding] = []
    for a, b in permutations(sorted(texts), 2):
        if (a, b) not in related:
            continue
        text_a, text_b = texts[a], texts[b]
        for sa in sentences[a]:
            for civil in _CIVIL.finditer(text_a, *sa):
                names = _names(text_a[sa[0] : sa[1]])
                for sb in sentences[b]:
                    if _CIVIL.search(text_b, *sb):
                        continue
                    for start, end, sides in _two_sides(text_b, *sb):
                        if len(sides & names) != 1:
                            continue
                        mx = mention(text_a, a, sa, civil.start(), civil.end(), "civil war", "civil war")
                        said = text_b[start:end]
                        my = mention(text_b, b, sb, start, end, "two sides", said)
                        reason = f"characterisation differs: civil war / {said} (two sides)"
                        out.append(("characterisation", "contradicts", mx, my, reason, 55.0, False))
    return out
