"""What an article says about its event: content terms, names, places, dates.

A `Profile` is computed from the text alone (plus the published date), so it
can be made on a Dask worker. Terms are the first six letters of folded
content words; names are runs of capitalised words (a leading stopword such
as "The" dropped), places the names after "in", "at" or "near"; dates are
the published day and day-month dates the text mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from app.text.fold import fold
from app.text.sentences import word_set

_STOP = word_set(
    """a about above after again against all also although am among an and another any are around as at away back
    be became because been before being below between both but by can could did do does doing done down during
    each either even ever every few for from further get got had has have having he her here hers herself him
    himself his how however i if in into is it its itself just last later least less like made make many may me
    might more most much must my near neither never new next no nor not now of off on once one only onto or
    other others our ours out over own per said same say says she should since so some still such than that
    the their theirs them then there these they this those though through thus to too toward under until up
    upon us very via was we were what when where whether which while who whom whose why will with within without
    would yet you your yours year years week weeks day days time times monday tuesday wednesday thursday friday
    saturday sunday today yesterday tomorrow mr mrs ms dr according told tell including people report reported
    reports reuters news first two three four five six seven eight nine ten percent"""
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_CAPITAL_RUN = re.compile(
    r"(?:[A-Z][\w'’\-.]*[\w])(?:[ \t]+(?:(?:of|de|van|von|al|bin|la|le)[ \t]+)?[A-Z][\w'’\-.]*[\w])*"
)
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"  # noqa: E501
_DAY_MONTH = re.compile(rf"\b(?:(\d{{1,2}})\s+({_MONTH})|({_MONTH})\s+(\d{{1,2}}))(?!\d)")
_PLACE_CUE = frozenset({"in", "at", "near", "from"})
TERM_LENGTH = 6


@dataclass(frozen=True)
class Profile:
    """One document's event evidence; all strings folded except `surface`."""

    doc: int
    terms: Counter[str]  # content-word stems with counts
    names: Counter[str]  # folded name -> count
    surface: dict[str, str]  # folded name -> its first surface form
    places: frozenset[str]
    dates: frozenset[str]  # "MM-DD" day-month dates mentioned
    published: str | None  # ISO day


def profile(doc: int, text: str, title: str = "", published: str | None = None) -> Profile:
    """The evidence in one article (title counted twice: it names the event)."""
    body = f"{title}\n{title}\n{text}" if title else text
    folded = fold(body)
    terms: Counter[str] = Counter()
    for match in _WORD.finditer(folded):
        word = match.group().strip("'’-")
        if len(word) > 2 and word not in _STOP:
            terms[word[:TERM_LENGTH]] += 1
    names: Counter[str] = Counter()
    surface: dict[str, str] = {}
    places: set[str] = set()
    for match in _CAPITAL_RUN.finditer(body):
        words = match.group().split()
        while words and fold(words[0]) in _STOP | _MONTHS.keys():
            words.pop(0)
        if not words:
            continue
        name = " ".join(words)
        key = fold(name).replace(".", "")
        names[key] += 1
        surface.setdefault(key, name)
        before = folded[max(0, match.start() - 6) : match.start()].split()
        if before and before[-1] in _PLACE_CUE:
            places.add(key)
    return Profile(doc, terms, names, surface, frozenset(places), _dates(body), (published or "")[:10] or None)


def _dates(text: str) -> frozenset[str]:
    found: set[str] = set()
    for match in _DAY_MONTH.finditer(text):
        day, month = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        number = _MONTHS.get(month.lower().rstrip("."))
        if number and 1 <= int(day) <= 31:
            found.add(f"{number:02d}-{int(day):02d}")
    return frozenset(found)
