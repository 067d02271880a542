"""Where a place is: one place put in two different countries or regions by related articles.

A place is said to lie in another when the sentence structure says so:

- "the region of Nagorno-Karabakh, Armenia." (a name, a comma, a name closing the clause, not
  inside a list);
- "Armenia's Nagorno-Karabakh region", "Afghanistan's Paktika province";
- "Nagorno-Karabakh is internationally recognized as part of Azerbaijan", "… is located in …".

In the comma form the container must be a place somewhere in the articles (named after "in",
"from", "at", …).
Places and containers are compared as entities (`app.reconcile.entities.name_key` and the
clusters), so "Karabakh" and "Nagorno-Karabakh" are one place and "U.S." and "US" one country.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from itertools import combinations

from app.reconcile.conflicts import Finding, mention
from app.reconcile.entities import Cluster, name_key
from app.text.sentences import SentencesByDoc

_NAME = r"[A-Z][\w’'.-]*(?:[ \t]+[A-Z][\w’'.-]*){0,3}"
_UNIT = r"(?:region|province|district|state|county|territory|enclave|oblast|governorate)"
_PATTERNS = (
    re.compile(rf"(?<!, )(?P<x>{_NAME}),[ \t]+(?P<y>{_NAME})(?=[ \t]*[.;:)–—]|,[ \t]+(?!and\b|or\b)[a-z]|$)"),
    re.compile(rf"(?P<y>{_NAME})['’]s[ \t]+(?P<x>{_NAME})[ \t]+{_UNIT}\b"),
    re.compile(
        rf"(?P<x>{_NAME})(?:[ \t]+{_UNIT})?[ \t]+(?:is|was|lies|remains)[ \t]+(?:[a-z]+[ \t]+){{0,3}}?"
        rf"(?:part of|belonging to|located in|situated in|inside)[ \t]+(?P<y>{_NAME})"
    ),
)
_PLACE_CUE = r"\b(?:in|from|at|near|across|into|inside|outside)[ \t]+"


def place_conflicts(
    texts: Mapping[int, str], related: set[tuple[int, int]], clusters: list[Cluster], sentences: SentencesByDoc
) -> list[Finding]:
    """Findings for a place put inside different containers in two related articles."""
    entity = {m.key: n for n, c in enumerate(clusters) for m in c.mentions}
    said: defaultdict[int, list[tuple[int, tuple[int, int], int, int, str, str]]] = defaultdict(list)
    for doc, text in sorted(texts.items()):
        for s in sentences[doc]:
            for n, pattern in enumerate(_PATTERNS):
                for m in pattern.finditer(text, s.start, s.end):
                    x, y = _strip(m.group("x")), _strip(m.group("y"))
                    kx, ky = name_key(x), name_key(y)
                    if kx == ky or (n == 0 and not _place(texts, y)):  # "X, Y" needs Y known as a place
                        continue
                    place = entity.get(kx)
                    if place is None:
                        continue  # a place named in one article only: nothing to compare
                    where = entity.get(ky)
                    container = f"c{where}" if where is not None else ky
                    said[place].append((doc, (s.start, s.end), m.start(), m.end(), y, container))
    out: list[Finding] = []
    for place, entries in sorted(said.items()):
        for (da, pa, sa, ea, ya, ca), (db, pb, sb, eb, yb, cb) in combinations(entries, 2):
            if da == db or (da, db) not in related or ca == cb:
                continue
            name = clusters[place].key
            mx = mention(texts[da], da, pa, sa, ea, ca, f"in {ya}")
            my = mention(texts[db], db, pb, sb, eb, cb, f"in {yb}")
            reason = f"place differs: {texts[da][sa:ea]} / {texts[db][sb:eb]} ({name}: in {ya} / in {yb})"
            out.append(("place", "contradicts", mx, my, reason, 60.0, False))
    return out


def _strip(name: str) -> str:
    return re.sub(r"^(?:The|A|An)\s+", "", name.strip()).rstrip(".")


def _place(texts: Mapping[int, str], name: str) -> bool:
    """Named as a place somewhere: after "in", "from", "at", …"""
    pattern = re.compile(_PLACE_CUE + re.escape(name) + r"\b")
    return any(pattern.search(text) for text in texts.values())
