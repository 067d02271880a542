"""Pairwise disagreements between two related passages, and role holders across documents.

The rules are described in `app.reconcile.suggest`, which groups what this module finds into
one row per fact. Each finding is a `Finding` tuple: (kind, link kind, mention in one article,
mention in the other, reason, score, minor).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from itertools import combinations, product

from app.reconcile.align import Alignment, content_stems
from app.reconcile.entities import name_key
from app.reconcile.facts import PLACE_CUES, Fact, Tok, facts, tokens
from app.reconcile.mention import Mention
from app.reconcile.names import ROLE_NOUNS, TITLES, name_run, role_names
from app.reconcile.when import weekday_of
from app.text.fold import fold
from app.text.sentences import SentencesByDoc
from app.text.worddiff import diff_words

Finding = tuple[str, str, Mention, Mention, str, float, bool]
BASE = {"weekday": 50, "date": 45, "number": 45, "quantifier": 40, "person": 45, "organisation": 35, "place": 35}
_VAGUE = frozenset(
    [
        *("about", "around", "nearly", "almost", "roughly", "approximately", "some", "over", "under", "estimated"),
        *("up", "than", "least"),  # "more than 30", "at least 30": a bound, not a count
    ]
)
_VAGUE_WORDS = {"dozens": (24, 99), "hundreds": (200, 999), "thousands": (2000, 9999), "scores": (40, 99)}


def mention(text: str, doc: int, passage: tuple[int, int], start: int, end: int, value: str, said: str = "") -> Mention:
    """A `Mention` of text[start:end] inside its passage."""
    return Mention(doc, start, end, text[start:end], passage[0], passage[1], value, said=said)


# ---- facts that disagree ------------------------------------------------
def disagreements(fa: list[Fact], fb: list[Fact], gap: int | None = None) -> Iterator[tuple[str, Fact, Fact, str]]:
    """(kind, fact in a, fact in b, why) for the facts of two related passages that disagree;
    `gap`: days from a's published day to b's, when both are known."""
    dates_a, dates_b = [f for f in fa if f.kind == "date"], [f for f in fb if f.kind == "date"]
    days_a, days_b = [f for f in fa if f.kind == "weekday"], [f for f in fb if f.kind == "weekday"]
    clash = None if _next_days(days_a, days_b, gap) else _weekday_clash(days_a, days_b, dates_a, dates_b)
    if clash:
        yield "weekday", clash[0], clash[1], "weekday differs"
    pair = _unmatched_dates(dates_a, dates_b)
    if pair:
        yield "date", pair[0], pair[1], "date differs"
    amounts_b = [f for f in fb if f.kind == "amount"]
    told: set[str] = set()  # one number and one quantity disagreement per passage pair
    for x in (f for f in fa if f.kind == "amount"):
        same_thing = [
            y
            for y in amounts_b
            if (x.near[0] == y.near[0] != "$" or len(set(x.near) & set(y.near) - {"$"}) >= 2 or _same_price(x, y))
            and _same_event(x, y)
        ]
        if same_thing and not any(_compatible_amounts(x, y) for y in same_thing):
            y = same_thing[0]
            numbers = isinstance(x.value, float) and isinstance(y.value, float)
            kind = "number" if numbers else "quantifier"
            if kind not in told:
                told.add(kind)
                yield kind, x, y, "number differs" if numbers else "quantity differs"


def _same_price(x: Fact, y: Fact) -> bool:
    """Two prices of the same thing: sums after "for" with the same word before that ("buy Yahoo
    for $4.8 billion", "buy Yahoo Inc (YHOO.O) for about $5 billion"), as other amounts share
    their first noun after."""
    return x.event == y.event == "~paid" and len(x.near) > 1 and x.near[1:2] == y.near[1:2]


def _compatible_amounts(x: Fact, y: Fact) -> bool:
    """Equal, or "several" / "some" against a count above zero ("several arrests" / "five arrests")."""
    if x.value == y.value:
        return True
    values = {x.value, y.value}
    return "partial" in values and any(isinstance(v, float) and v > 0 for v in values)


def _same_event(x: Fact, y: Fact) -> bool:
    """Both count what one event did: 950 killed and 1,500 injured are two counts."""
    return not (x.event and y.event) or x.event == y.event


def _next_days(days_a: list[Fact], days_b: list[Fact], gap: int | None) -> bool:
    """Weekdays as far apart as the articles' published days ("No one was arrested Tuesday" in
    Tuesday's paper, "arrested Wednesday" in Wednesday's): each reports its own day of a story
    that goes on, not one event dated two ways. (A later article misdating the event by exactly
    the gap between the papers is missed: the words cannot tell the two apart.)"""
    if not gap:
        return False
    for x, y in product(days_a, days_b):
        if x.when and y.when and None not in x.when + y.when:
            apart = dt.date(*x.when) - dt.date(*y.when)  # type: ignore[arg-type]  # no None: checked
            if -apart.days == gap:
                return True
    return False


def _weekday_clash(
    days_a: list[Fact], days_b: list[Fact], dates_a: list[Fact], dates_b: list[Fact]
) -> tuple[Fact, Fact] | None:
    """Weekdays that name different days: by calendar date when both sides resolve to one, else
    by name. A weekday falling on the other side's date ("on Monday" / "October 5") agrees."""
    if not (days_a or days_b):
        return None
    full_a = [f for f in dates_a if None not in _ymd(f)]
    full_b = [f for f in dates_b if None not in _ymd(f)]
    side_a, side_b = days_a or full_a, days_b or full_b
    if not side_a or not side_b:
        return None
    when_a = {f.when for f in days_a if f.when} | {_ymd(f) for f in full_a}
    when_b = {f.when for f in days_b if f.when} | {_ymd(f) for f in full_b}
    if when_a and when_b:
        return None if when_a & when_b else (side_a[0], side_b[0])
    names_a = {f.value for f in days_a} | {weekday_of(_ymd(f)) for f in full_a}
    names_b = {f.value for f in days_b} | {weekday_of(_ymd(f)) for f in full_b}
    if names_a & names_b - {None} or not (days_a and days_b):
        return None  # a weekday against an unresolved date of another weekday: the date rule judges
    return days_a[0], days_b[0]


def _unmatched_dates(dates_a: list[Fact], dates_b: list[Fact]) -> tuple[Fact, Fact] | None:
    """Dates of one passage paired with those of the other: agreeing pairs first ("last month" /
    "in December"), then the first comparable pair left over that disagrees ("May 2012" / "April")."""
    left_a, left_b = list(dates_a), list(dates_b)
    for x, y in product(dates_a, dates_b):
        if x in left_a and y in left_b and _compatible(x, y):
            left_a.remove(x)
            left_b.remove(y)
    return next(((x, y) for x, y in product(left_a, left_b) if _comparable(x, y)), None)


def _ymd(fact: Fact) -> tuple[int | None, int | None, int | None]:
    assert isinstance(fact.value, tuple)
    year, month, day = fact.value
    return year, month, day


def _compatible(x: Fact, y: Fact) -> bool:
    return all(p == q for p, q in zip(_ymd(x), _ymd(y), strict=True) if p is not None and q is not None)


def _comparable(x: Fact, y: Fact) -> bool:
    """Same precision; bare years only with a shared neighbouring word ("in 2019" / "in 2020")."""
    (_, mx, dx), (_, my, dy) = _ymd(x), _ymd(y)
    if (mx is None) != (my is None) or (dx is None) != (dy is None):
        return False
    return mx is not None or bool(set(x.near) & set(y.near))


def minor_difference(text_a: str, x: Fact, text_b: str, y: Fact) -> bool:
    """A vague or rounded amount that could be the other ("about 1,000" / "1,012", "hundreds" / "612")."""
    if not (isinstance(x.value, float) and isinstance(y.value, float)):
        return False
    for text, f, other in ((text_a, x, y), (text_b, y, x)):
        assert isinstance(other.value, float) and isinstance(f.value, float)
        word = fold(text[f.start : f.end])
        if word in _VAGUE_WORDS:
            low, high = _VAGUE_WORDS[word]
            if low / 2 <= other.value <= high:
                return True
        before = fold(text[max(0, f.start - 20) : f.start]).split()[-2:]
        if set(before) & _VAGUE and abs(f.value - other.value) <= 0.1 * max(f.value, other.value):
            return True
    return False


# ---- conflicts inside one aligned passage pair ---------------------------
def passage_conflicts(
    a: Alignment, texts: Mapping[int, str], days: Mapping[int, dt.date | None], same: Mapping[tuple[int, str], int]
) -> list[Finding]:
    """Findings in one aligned passage pair; `same` maps (document, name key) to its entity cluster."""
    text_a, text_b = texts[a.doc_a], texts[a.doc_b]
    toks_a, toks_b = tokens(text_a, a.start_a, a.end_a), tokens(text_b, a.start_b, a.end_b)
    pa, pb = (a.start_a, a.end_a), (a.start_b, a.end_b)
    out: list[Finding] = []
    facts_a = _events(text_a, facts(text_a, toks_a, a.start_a, a.end_a, days.get(a.doc_a)), days.get(a.doc_a))
    facts_b = _events(text_b, facts(text_b, toks_b, a.start_b, a.end_b, days.get(a.doc_b)), days.get(a.doc_b))
    day_a, day_b = days.get(a.doc_a), days.get(a.doc_b)
    gap = (day_b - day_a).days if day_a and day_b else None
    for kind, x, y, why in disagreements(facts_a, facts_b, gap):
        minor = kind == "number" and minor_difference(text_a, x, text_b, y)
        reason = f"{'number differs slightly (rounding or vague)' if minor else why}: {x.label} / {y.label}"
        mx = mention(text_a, a.doc_a, pa, x.start, x.end, _value(x), x.label)
        my = mention(text_b, a.doc_b, pb, y.start, y.end, _value(y), y.label)
        out.append((kind, "contradicts", mx, my, reason, BASE[kind] + a.score / 2, minor))
    if a.score >= 60:
        out += _swapped_names(a, texts, toks_a, toks_b, same)
    return out


_DATELINE = re.compile(r"\W*(?:[A-Z][\w .'’-]{0,30}[,:–—-])?\s*")  # "KABUL, " before the date


def _events(text: str, found: list[Fact], published: dt.date | None) -> list[Fact]:
    """Facts without the dateline: the article's own date opening a line ("KABUL, 23 June 2022,
    (TON): …", "April 15, 2021") is report time, not event time."""
    if published is None:
        return found
    day = (published.year, published.month, published.day)

    def dateline(f: Fact) -> bool:
        line = text.rfind("\n", 0, f.start) + 1
        return f.kind == "date" and f.value == day and bool(_DATELINE.fullmatch(text, line, f.start))

    return [f for f in found if not dateline(f)]


def _value(f: Fact) -> str:
    if f.kind == "weekday" and f.when:
        return "-".join(str(p) for p in f.when)
    if f.kind == "date":
        return "-".join("?" if p is None else str(p) for p in _ymd(f))
    return str(f.value)


def _swapped_names(
    a: Alignment, texts: Mapping[int, str], toks_a: list[Tok], toks_b: list[Tok], same: Mapping[tuple[int, str], int]
) -> list[Finding]:
    """A capitalised run replaced by another while the words on both sides match, and the two
    are not one entity written two ways (hyphen, dots, accents, short form)."""
    text_a, text_b = texts[a.doc_a], texts[a.doc_b]
    ops = diff_words(
        text_a[a.start_a : a.end_a],
        text_b[a.start_b : a.end_b],
        ignore_case_and_accents=True,
        base_a=a.start_a,
        base_b=a.start_b,
    )
    out: list[Finding] = []
    for before, op, after in zip(ops, ops[1:], ops[2:], strict=False):
        if op.op != "replace" or before.op != "equal" or after.op != "equal":
            continue
        run_a = [t for t in toks_a if op.a_start <= t.start < op.a_end]
        run_b = [t for t in toks_b if op.b_start <= t.start < op.b_end]
        if not (name_run(run_a) and name_run(run_b)):
            continue
        name_a, name_b = text_a[op.a_start : op.a_end], text_b[op.b_start : op.b_end]
        key_a, key_b = name_key(name_a), name_key(name_b)
        cluster_a, cluster_b = same.get((a.doc_a, key_a)), same.get((a.doc_b, key_b))
        if key_a == key_b or (cluster_a is not None and cluster_a == cluster_b) or _short_form(key_a, key_b):
            continue
        cue = [t.key for t in toks_a if t.end <= op.a_start][-1:]
        if cue and cue[0] in ROLE_NOUNS | TITLES:
            continue  # a role holder: `role_conflicts` tells succession from contradiction
        kind = "place" if cue and cue[0] in PLACE_CUES else "organisation"
        mx = mention(text_a, a.doc_a, (a.start_a, a.end_a), op.a_start, op.a_end, key_a)
        my = mention(text_b, a.doc_b, (a.start_b, a.end_b), op.b_start, op.b_end, key_b)
        reason = f"{kind} differs in the same wording: {name_a} / {name_b}"
        out.append((kind, "contradicts", mx, my, reason, BASE[kind] + a.score / 2, False))
    return out


def _short_form(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return bool(short) and (long.endswith(" " + short) or long.startswith(short + " "))


# ---- role holders --------------------------------------------------------
def role_conflicts(
    texts: Mapping[int, str],
    related: set[tuple[int, int]],
    days: Mapping[int, dt.date | None],
    sentences: SentencesByDoc,
) -> list[Finding]:
    """The same role phrase ("Canadian foreign minister") naming different people in related
    documents: a succession (`updates`, both dates in the reason) unless both dates are the same."""
    by_role: defaultdict[str, list[tuple[int, tuple[int, int], int, int]]] = defaultdict(list)
    for doc, text in sorted(texts.items()):
        for sentence in sentences[doc]:
            for role, name in role_names(tokens(text, *sentence)):
                by_role[role].append((doc, (sentence.start, sentence.end), name[0].start, name[-1].end))
    out: list[Finding] = []
    for role, entries in sorted(by_role.items()):
        for (doc_a, sa, s1, e1), (doc_b, sb, s2, e2) in combinations(entries, 2):
            name_a, name_b = texts[doc_a][s1:e1], texts[doc_b][s2:e2]
            if doc_a == doc_b or (doc_a, doc_b) not in related or _same_person(name_a, name_b):
                continue
            day_a, day_b = days.get(doc_a), days.get(doc_b)
            mx = mention(texts[doc_a], doc_a, sa, s1, e1, name_key(name_a))
            my = mention(texts[doc_b], doc_b, sb, s2, e2, name_key(name_b))
            if day_a is not None and day_a == day_b:
                reason = f"person differs for '{role}' on {day_a.isoformat()}: {name_a} / {name_b}"
                out.append(("person", "contradicts", mx, my, reason, BASE["person"] + 25, False))
                continue
            if day_a and day_b and day_b < day_a:
                mx, my, name_a, name_b, day_a, day_b = my, mx, name_b, name_a, day_b, day_a
            reason = (
                f"'{role}' changed hands: {name_a} ({_shown(day_a)}) then {name_b} ({_shown(day_b)})"
                if day_a and day_b
                else f"'{role}' held by different people: {name_a} ({_shown(day_a)}) / {name_b} ({_shown(day_b)})"
            )
            out.append(("person", "updates", mx, my, reason, BASE["person"] + 20, False))
    return out


def _shown(day: dt.date | None) -> str:
    return day.isoformat() if day else "undated"


def _same_person(a: str, b: str) -> bool:
    fa, fb = name_key(a).split(), name_key(b).split()
    return (
        not fa
        or not fb
        or fa[-1] == fb[-1]
        or set(fa) <= set(fb)
        or set(fb) <= set(fa)
        or bool(re.fullmatch(r"\W*", a))
    )


# ---- the same counted thing elsewhere ------------------------------------
def same_counts(
    findings: list[Finding],
    texts: Mapping[int, str],
    related: set[tuple[int, int]],
    days: Mapping[int, dt.date | None],
    sentences: SentencesByDoc,
) -> list[Finding]:
    """Amounts of the thing a number or quantity finding counts, said elsewhere in the related
    articles ("29 permits for military goods" beside "all permits … military goods"), paired
    with a finding's mention so that `app.reconcile.suggest` lists them in the same row."""
    cache: dict[tuple[int, int], list[Fact]] = {}
    out: list[Finding] = []
    for kind, link, x, y, reason, score, minor in findings:
        if kind not in ("number", "quantifier"):
            continue
        found = [f for m in (x, y) for f in _fact_at(texts, m, days, cache)]
        nouns = {f.near[0] for f in found if f.near and f.near[0] != "$"}  # sums: no noun to look for
        event = found[0].event if found else ""
        stems = set(content_stems(fold(texts[x.doc][x.passage_start : x.passage_end])))
        stems |= set(content_stems(fold(texts[y.doc][y.passage_start : y.passage_end])))
        docs = {x.doc, y.doc} | {b for a, b in related if a in (x.doc, y.doc)}
        for doc in sorted(docs):
            for where in sentences[doc]:
                for f in _sentence_facts(texts, doc, where, days, cache):
                    if (
                        f.kind != "amount"
                        or not f.near
                        or f.near[0] not in nouns
                        or f.event != event
                        or (doc, f.start) in {(x.doc, x.start), (y.doc, y.start)}
                    ):
                        continue
                    if len(set(content_stems(fold(texts[doc][where[0] : where[1]]))) & stems - nouns) < 2:
                        continue
                    if any(m.doc == doc and is_number(m.value) == isinstance(f.value, float) for m in (x, y)):
                        continue  # that article's number (or quantity word) is in the row already
                    new = mention(texts[doc], doc, where, f.start, f.end, _value(f), f.label)
                    ref = x if x.value != new.value else y
                    out.append((kind, link, ref, new, reason, score, minor))
    return out


def is_number(value: str) -> bool:
    """Whether a mention's value is a number (not a quantity word such as "all")."""
    try:
        float(value)
    except ValueError:
        return False
    return True


def _sentence_facts(
    texts: Mapping[int, str],
    doc: int,
    where: tuple[int, int],
    days: Mapping[int, dt.date | None],
    cache: dict[tuple[int, int], list[Fact]],
) -> list[Fact]:
    if (doc, where[0]) not in cache:
        text = texts[doc]
        cache[(doc, where[0])] = facts(text, tokens(text, *where), where[0], where[1], days.get(doc))
    return cache[(doc, where[0])]


def _fact_at(
    texts: Mapping[int, str], m: Mention, days: Mapping[int, dt.date | None], cache: dict[tuple[int, int], list[Fact]]
) -> list[Fact]:
    """The amount fact a mention was made from."""
    return [
        f for f in _sentence_facts(texts, m.doc, (m.passage_start, m.passage_end), days, cache) if f.start == m.start
    ]
