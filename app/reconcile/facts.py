"""Find the facts in a passage that `app.reconcile.suggest` compares: tokens, weekdays, dates, amounts and
quantifiers with the nouns after them (names and roles: `app.reconcile.names`).

Kept apart from `app.reconcile.suggest`, which only decides which facts of aligned passages disagree and
turns them into suggestions; everything here reads one text at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from app.reconcile.align import SAME_EVENT, STOPWORDS
from app.reconcile.when import RELATIVE, month_year, relative, weekday_date, ymd_of
from app.text.fold import fold
from app.text.sentences import word_set
from app.text.worddiff import tokenize


def _wordlist(text: str) -> list[str]:
    return text.split()


WEEKDAYS = word_set("monday tuesday wednesday thursday friday saturday sunday")
_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        start=1,
    )
    for name in names.split()
}
_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        _wordlist(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
            " seventeen eighteen nineteen twenty"
        )
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12, "dozens": 24, "hundreds": 200}
MEASURES = word_set(
    "magnitude aged age population toll tally total count figure level category rate score temperature depth"
)  # words naming what a number after them measures
_COPULAS = word_set("was is were are be been to at reached hit topped exceeded")
_GLUED_UNIT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(km|mi|m|kg|mph|kmh|ft|cm|mm|bn|mn|k|%)")
_UNIVERSAL = word_set("all every each entire whole")
_PARTIAL = word_set("some several few many most part")  # not "certain": it picks items out, counts none
_NEGATIVE = word_set("no none zero")
_VERBS = word_set(
    "is are was were be been being has have had will would can could should may might must do does did said says told"
)
_FUTURE = word_set("will shall 'll")
_SCHEDULED = word_set("due set expected scheduled planned plans plan going poised")  # "… to sign on Monday"
PLACE_CUES = word_set("in at near from into across outside inside toward towards via")
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"  # noqa: E501
_DATES = re.compile(
    rf"\b(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})\b"
    rf"|\b(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}})\b)?"
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})(?:,?\s+(?P<y2>\d{{4}})\b)?"
    rf"|\b(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}})\b"
    r"|\b(?P<y4>1[89]\d\d|20\d\d)\b(?!-\d)"
)
_MONTH_ONLY = re.compile(
    rf"\b(?P<cue>in|last|since|until|by|early|late|mid|from|this past)[\s-]+(?P<m>{_MONTH})(?![\w.]|\.?\s*\d)"
)


def month_names() -> frozenset[str]:
    """Folded month names and their abbreviations ("jan", "january", …)."""
    return frozenset(_MONTHS)


class Tok(NamedTuple):
    start: int
    end: int
    text: str
    key: str  # folded, possessive dropped


class Fact(NamedTuple):
    kind: str
    value: object
    start: int
    end: int
    label: str  # shown in the reason
    near: tuple[str, ...] = ()  # content stems after it (amounts) or the words beside it (years)
    when: tuple[int | None, int | None, int | None] | None = None  # weekday: its calendar date, if known
    event: str = ""  # amounts: what happened to what is counted ("~die" for "killing 950", "1,000 people died")


# ---- tokens and facts -----------------------------------------------------
def tokens(text: str, start: int, end: int) -> list[Tok]:
    found = []
    for t in tokenize(text[start:end]):
        key = fold(t.text)
        key = key[:-2] if key.endswith(("'s", "’s")) else key
        found.append(Tok(start + t.start, start + t.end, t.text, key))
    return found


def is_word(t: Tok) -> bool:
    return t.text[0].isalnum()


def facts(text: str, toks: list[Tok], start: int, end: int, published: dt.date | None = None) -> list[Fact]:
    """Weekdays, dates, years and amounts in text[start:end]; weekdays, relative dates and
    months without a year resolved against the article's `published` day when it is known."""
    found = []
    headline = _headline(text, start)
    for n, t in enumerate(toks):
        if t.key in WEEKDAYS and t.text[0].isupper():
            on = weekday_date(t.key, published, ahead=_future(toks, n, headline))
            found.append(Fact("weekday", t.key, t.start, t.end, t.text, (), ymd_of(on)))
    covered: list[tuple[int, int]] = []
    for m in _DATES.finditer(text, start, end):
        g = m.groupdict()
        year = g["iy"] or g["y1"] or g["y2"] or g["y3"] or g["y4"]
        month = g["im"] or g["m1"] or g["m2"] or g["m3"]
        day = g["id"] or g["d1"] or g["d2"]
        number = _month(month)
        resolved = int(year) if year else (month_year(number, published, False) if number else None)
        value = (resolved, number, int(day) if day else None)
        found.append(Fact("date", value, m.start(), m.end(), m.group(), _beside(toks, m.start(), m.end())))
        covered.append((m.start(), m.end()))
    for m in _MONTH_ONLY.finditer(text, start, end):
        if not any(s <= m.start("m") < e for s, e in covered):
            number = _month(m.group("m"))
            value = (month_year(number, published, m.group("cue") == "last") if number else None, number, None)
            found.append(Fact("date", value, m.start(), m.end(), m.group(), _beside(toks, m.start(), m.end())))
            covered.append((m.start(), m.end()))
    for m in RELATIVE.finditer(text, start, end):
        resolved_ymd = relative(m.group(), published)
        if resolved_ymd is not None:
            found.append(Fact("date", resolved_ymd, m.start(), m.end(), m.group(), _beside(toks, m.start(), m.end())))
            covered.append((m.start(), m.end()))
    for i, t in enumerate(toks):
        if not any(s <= t.start < e for s, e in covered):
            found.extend(_amount(toks, i))
    return found


def _future(toks: list[Tok], i: int, headline: bool = False) -> bool:
    """Whether toks[i] is in a clause told in the future tense: "will announce … on Monday", "is
    due to sign … on Monday", and a headline's "Verizon to announce … on Monday" (headlines
    say "to" + verb after the subject for what is to come)."""
    start = max(0, i - 10)
    for k in range(i - 1, start - 1, -1):
        u = toks[k]
        if not is_word(u) and u.text in ".;:!?":
            return False
        if u.key in _FUTURE or (u.key == "to" and k > 0 and _ahead(toks[k - 1], toks[k + 1], headline)):
            return True
    return False


def _ahead(before: Tok, after: Tok, headline: bool) -> bool:
    """Whether "to" between these points ahead: "due to", "set to", a headline's "Acme to buy"
    (a name, then a verb: "sells Widgets to Bolt" is no future)."""
    if before.key in _SCHEDULED:
        return True
    return headline and before.text[0].isupper() and before.key not in STOPWORDS and after.text[0].islower()


HEADLINE_MAX = 300  # characters: a longer first line is body text (and nothing past it is read)


def _headline(text: str, start: int) -> bool:
    """Whether text[start:] begins on the text's first line, a short one with no end mark."""
    if start >= HEADLINE_MAX:
        return False
    end = text.find("\n", 0, HEADLINE_MAX)
    if end < 0 and len(text) > HEADLINE_MAX:
        return False
    first = text[: end if end >= 0 else len(text)].rstrip()
    return start < len(first) and not first.endswith((".", "!", "?", "…", '"', "”"))


def _beside(toks: list[Tok], start: int, end: int) -> tuple[str, ...]:
    return (
        tuple(t.key for t in toks if t.end <= start and is_word(t))[-1:]
        + tuple(t.key for t in toks if t.start >= end and is_word(t))[:1]
    )


def _month(name: str | None) -> int | None:
    if name is None:
        return None
    return int(name) if name.isdigit() else _MONTHS.get(name.rstrip(".").lower())


def _amount(toks: list[Tok], i: int) -> list[Fact]:
    """An amount at toks[i] with the content stems after it: "29 permits", "some but not all of its exports"."""
    t, key = toks[i], toks[i].key
    head, _, tail = key.partition("-")
    glued = _GLUED_UNIT.fullmatch(head)
    if glued and not tail:
        head, tail = glued.group(1), glued.group(2)  # "46km": 46 kilometres
    value: object
    if head.replace(",", "").replace(".", "").isdigit() and not re.fullmatch(r"1[89]\d\d|20\d\d", head):
        value = float(head.replace(",", ""))
    elif head in _NUMBER_WORDS:
        value = float(_NUMBER_WORDS[head])
    elif key in _UNIVERSAL | _PARTIAL | _NEGATIVE:
        following = toks[i + 1].key if i + 1 < len(toks) else ""
        if following.replace(",", "").isdigit() or following in _NUMBER_WORDS:
            return []  # "some 30", "all seven": the number speaks
        negated = i > 0 and toks[i - 1].key == "not"
        if negated and i > 2 and toks[i - 2].key == "but" and toks[i - 3].key in _PARTIAL:
            return []  # the "not all" of "some but not all": one amount, found at "some"
        value = "partial" if negated or key in _PARTIAL else "universal" if key in _UNIVERSAL else "none"
        if [u.key for u in toks[i + 1 : i + 3]] == ["but", "not"] and i + 3 < len(toks):
            end = toks[i + 3]  # "some but not all": one fact, partial
            near = [u.key[:5] for u in toks[i + 4 : i + 12] if is_word(u) and u.key not in STOPWORDS][:4]
            label = " ".join(u.text for u in toks[i : i + 4])
            return [Fact("amount", "partial", t.start, end.end, label, tuple(near))] if near else []
    else:
        return []
    if _since_last(toks, i):
        return []
    near = [tail[:5]] if tail and tail not in _SCALES else []
    measure = _measure_before(toks, i) if isinstance(value, float) else ""
    if measure:
        near.insert(0, measure)
    scale = _SCALES.get(tail) or (_SCALES.get(toks[i + 1].key) if i + 1 < len(toks) else None)
    if isinstance(value, float) and scale:  # "$4.8 billion", "4.8bn" is 4.8e9: the scale is no noun
        value *= scale
    skip = i + 1 if scale and tail not in _SCALES else i
    if isinstance(value, float) and (tail == "%" or (i + 1 < len(toks) and toks[i + 1].text == "%")):
        near = ["perce"]  # "4.5%" / "4.5 %" as "4.5 percent": the sign is the unit, the noun follows
        skip = i if tail == "%" else i + 1
    money = isinstance(value, float) and (i > 0 and toks[i - 1].text in _CURRENCY)
    if money:  # what a sum pays for comes before it ("buy Yahoo for $4.8 billion"): its words count too
        near = ["$", *_words_before(toks, i - 1)[:2], *near]
    for u in toks[skip + 1 : skip + 9]:
        if (not is_word(u) and u.text not in "-") or u.key in _VERBS:
            break  # the amount's noun phrase ends at a clause mark or a verb ("1,200 were injured")
        if is_word(u) and u.key not in STOPWORDS and u.key not in _UNIVERSAL | _PARTIAL | _NEGATIVE:
            near.append(u.key[:5])
    event = _event(toks, i) or ("~paid" if money and _paid_for(toks, i - 1) else "")
    if (not near and event in ("~die", "~injure", "~arrest")) and isinstance(value, float):
        near = [event]  # "at least 25 were dead": what happened names what is counted
    if not near or near == ["$"]:
        return []
    label = _amount_label(toks, i)
    before = _event_before(toks, i)
    casualty = before >= 0 and SAME_EVENT[toks[before].key[:5]] in ("~die", "~injure", "~arrest")
    if casualty and isinstance(value, float):  # "killing at least 950 people" says more than "950 people"
        after = toks[i + 1] if i + 1 < len(toks) and is_word(toks[i + 1]) and toks[i + 1].key not in STOPWORDS else None
        label = " ".join(u.text for u in toks[before : i + 1]) + (f" {after.text}" if after else "")
    return [Fact("amount", value, t.start, t.end, label, tuple(near[:4]), None, event)]


_APPROX = word_set("more than over about at least nearly almost some around another up to less fewer under")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "mn": 1e6, "bn": 1e9}
_CURRENCY = frozenset("$€£¥")


_SPANS = word_set("years year months month weeks week days decades decade")


def _since_last(toks: list[Tok], i: int) -> bool:
    """ "The deadliest in three years", "the first such attack for two years": how long since the
    last such event, a span each outlet counts its own way, not a count of this one."""
    if i + 1 >= len(toks) or toks[i + 1].key not in _SPANS or i == 0 or toks[i - 1].key not in ("in", "for"):
        return False
    return any(u.key == "first" or (u.key.endswith("est") and len(u.key) > 4) for u in toks[max(0, i - 6) : i])


def _paid_for(toks: list[Tok], i: int) -> bool:
    """Whether the sum whose currency sign is toks[i] is a price: "for (about) $4.8 billion"."""
    k = i - 1
    while k >= 0 and toks[k].key in _APPROX:
        k -= 1
    return k >= 0 and toks[k].key == "for"


def _words_before(toks: list[Tok], i: int) -> list[str]:
    """Up to three content stems before toks[i], back to the clause's start, past a bracketed
    aside and a company's legal form ("buy Yahoo Inc (YHOO.O) for": yahoo, buy)."""
    found: list[str] = []
    aside = False
    for u in reversed(toks[max(0, i - 12) : i]):
        if u.text in ")]":
            aside = True
        elif u.text in "([":
            aside = False
        elif aside:
            continue
        elif not is_word(u) and u.text in ",;:–—.":
            break
        elif is_word(u) and u.key not in _NOT_CONTENT and not u.key[0].isdigit():
            found.append(u.key[:5])
    return found[:3]


_LEGAL_FORMS = word_set("inc corp ltd plc llc co sa ag nv")
_NOT_CONTENT = STOPWORDS | _APPROX | _LEGAL_FORMS  # not a stem `_words_before` names a thing by
_AUXILIARY = word_set("have has had been were was are is be being reportedly")


def _event_before(toks: list[Tok], i: int) -> int:
    """Index of an event verb just before the amount ("killing at least 950"), else -1."""
    k = i - 1
    while k >= 0 and toks[k].key in _APPROX and i - k <= 3:
        k -= 1
    return k if k >= 0 and toks[k].key[:5] in SAME_EVENT else -1


def _event(toks: list[Tok], i: int) -> str:
    """What happened to the counted people or things, as an event class of `SAME_EVENT`:
    the verb before the amount ("killing at least 950") or after its noun ("1,000 people have died")."""
    k = _event_before(toks, i)
    if k >= 0:
        return SAME_EVENT[toks[k].key[:5]]
    for u in toks[i + 1 : i + 8]:
        if not is_word(u) and u.text not in "-":
            break
        if u.key[:5] in SAME_EVENT:
            return SAME_EVENT[u.key[:5]]
    return ""


def _measure_before(toks: list[Tok], i: int) -> str:
    """What a number measures when the word for it comes first: "magnitude (of) 6.1", "aged 94",
    "the death toll … has climbed to 1,000", "the magnitude of the quake … was 5.9"."""
    if i > 0 and toks[i - 1].key in MEASURES:
        return toks[i - 1].key[:5]
    if i > 1 and toks[i - 1].key == "of" and toks[i - 2].key in MEASURES:
        return toks[i - 2].key[:5]  # "a magnitude of 6.1", "a depth of 10 km"
    if i == 0 or toks[i - 1].key not in _COPULAS:
        return ""
    for u in reversed(toks[max(0, i - 16) : i - 1]):
        if not is_word(u) and u.text in ",;:()–—":
            break  # the clause starts here
        if u.key in MEASURES:
            return u.key[:5]
    return ""


def _amount_label(toks: list[Tok], i: int) -> str:
    """The amount and its noun for a reason: "all permits", "some … military exports"."""
    words = [u for u in toks[i + 1 : i + 9] if is_word(u)]
    first = next((k for k, u in enumerate(words) if u.key not in STOPWORDS and not _amount_word(u.key)), None)
    if first is None:
        return toks[i].text
    shown = [u.text for u in words[first : first + 2] if u.key not in STOPWORDS]
    if first <= 2:
        return " ".join([toks[i].text, *(u.text for u in words[:first]), *shown])
    return " ".join([toks[i].text, "…", *shown])


def _amount_word(key: str) -> bool:
    return key in _UNIVERSAL | _PARTIAL | _NEGATIVE
