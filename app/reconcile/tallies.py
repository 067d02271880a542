"""Tallies: how many were arrested, killed or injured, compared across related articles.

Such counts often sit in passages that `app.reconcile.align` does not pair ("No arrests have
yet been made" / "Four demonstrators were arrested"), so they are read from every sentence of
related articles, not only aligned ones. A tally is an amount whose event class
(`app.reconcile.align.SAME_EVENT`) is an arrest, a death or an injury, or such an event
denied ("no arrests", "no one was arrested", "nobody was killed": zero).

Each tally is put on its occasion, so that counts of two days or two attacks are not compared:
the sentence's own day (a weekday or date, resolved against the published day), a past year
when the sentence is about history ("in January 2018", "three years ago"; a sentence opening
with "That" or "This" continues the one before), else the first day the article named before
it (news opens with the main event), else its published day. Two related articles' tallies of
one event class on one occasion that differ are a `number` disagreement; one that equals any
of the other article's tallies agrees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from itertools import permutations

from app.reconcile.align import SAME_EVENT
from app.reconcile.conflicts import BASE, Finding, mention, minor_difference
from app.reconcile.facts import Fact, Tok, facts, tokens
from app.reconcile.when import ymd_of
from app.text.fold import fold
from app.text.sentences import Sentence, SentencesByDoc

EVENTS = frozenset(["~die", "~injure", "~arrest"])
# What a number measures of the event itself, named before it ("magnitude 6.1", "the magnitude
# of the quake … was 5.9"): one value per event, compared like the tallies.
EVENT_MEASURES = frozenset(["magni", "categ", "depth"])
TALLY = "count differs"  # the reasons' heads: `app.reconcile.suggest` keeps each article's counts in the row
MEASURE = "measure differs"
_DENIALS = frozenset(["no", "nobody", "none"])
_CONTINUES = frozenset(["that", "this", "it"])
_NOT_PEOPLE = frozenset(
    [
        "provi",
        "distr",
        "regio",
        "count",
        "state",
        "citie",
        "towns",
        "villa",
        "days",
        "weeks",
        "month",
        "years",
        "hours",
        "times",
    ]
)
_BE = frozenset(["was", "were", "has", "have", "had", "been", "is", "are"])
Occasion = tuple[str, object] | None  # ("day", (y, m, d)) or ("year", y); None: no date known


class Tally:
    __slots__ = ("doc", "fact", "occasion", "sentence")

    def __init__(self, doc: int, fact: Fact, occasion: Occasion, sentence: tuple[int, int]) -> None:
        self.doc, self.fact, self.occasion, self.sentence = doc, fact, occasion, sentence


def tallies(doc: int, text: str, published: dt.date | None, sentences: list[Sentence]) -> list[Tally]:
    """The article's tallies, each on its occasion."""
    found: list[Tally] = []
    lead: Occasion = None
    previous: Occasion = None
    for sentence in sentences:
        toks = tokens(text, sentence.start, sentence.end)
        said = facts(text, toks, sentence.start, sentence.end, published)
        own = _own_occasion(said, toks, published)
        if own is None and toks and toks[0].key in _CONTINUES and previous is not None:
            own = previous
        if own is not None and own[0] != "year":
            lead = own  # an undated sentence goes on with the last day named
        occasion = own or lead or (("day", ymd_of(published)) if published else None)
        amounts = [_as_tally(f, toks) for f in said if f.kind == "amount"]
        counts = [f for f in amounts if f.event in EVENTS]  # quantity words too: "several arrests"
        counts += [f for f in _denials(toks) if f.start not in {c.start for c in counts}]
        counts += [_as_measure(f, toks) for f in amounts if f.near and f.near[0] in EVENT_MEASURES]
        found += [Tally(doc, f, occasion, (sentence.start, sentence.end)) for f in counts]
        previous = occasion
    return found


Tallies = Mapping[int, list[Tally]]


def all_tallies(
    texts: Mapping[int, str],
    days: Mapping[int, dt.date | None],
    sentences: SentencesByDoc,
    related: set[tuple[int, int]],
) -> dict[int, list[Tally]]:
    """The tallies of the articles related to another (only those are compared)."""
    docs = sorted({a for a, _ in related} & texts.keys())
    return {doc: tallies(doc, texts[doc], days.get(doc), sentences[doc]) for doc in docs}


def tally_conflicts(
    by_doc: Tallies, texts: Mapping[int, str], related: set[tuple[int, int]], found: list[Finding]
) -> list[Finding]:
    """Counted tallies of related articles that differ on one occasion (see the module docstring),
    but for a count already `found` differing from that other article (in aligned passages)."""
    counted = {doc: [t for t in found if _counted(t.fact)] for doc, found in by_doc.items()}
    told = {(m.doc, m.start, other.doc) for f in found if f[0] == "number" for m, other in ((f[2], f[3]), (f[3], f[2]))}
    out: list[Finding] = []
    for a, b in permutations(sorted(counted), 2):
        if (a, b) not in related:
            continue
        for x in counted[a]:
            same = [y for y in counted[b] if y.fact.event == x.fact.event and together(y.occasion, x.occasion)]
            if not same or any(y.fact.value == x.fact.value for y in same) or (a, x.fact.start, b) in told:
                continue
            y = same[0]
            minor = minor_difference(texts[a], x.fact, texts[b], y.fact)
            head = MEASURE if x.fact.event.startswith("#") else TALLY
            reason = f"{head}{' slightly' if minor else ''}: {x.fact.label} / {y.fact.label}"
            mx = mention(texts[a], a, x.sentence, x.fact.start, x.fact.end, str(x.fact.value), x.fact.label)
            my = mention(texts[b], b, y.sentence, y.fact.start, y.fact.end, str(y.fact.value), y.fact.label)
            out.append(("number", "contradicts", mx, my, reason, BASE["number"] + 20, minor))
    return out


Occasions = dict[tuple[int, int], Occasion]  # (document, start of an amount) -> its occasion


def occasions(by_doc: Tallies) -> Occasions:
    """Each tallied amount's occasion, found by where it stands."""
    return {(t.doc, t.fact.start): t.occasion for found in by_doc.values() for t in found}


def same_occasion(findings: list[Finding], when: Occasions) -> list[Finding]:
    """The findings without amounts of what happened on two different occasions ("no one was
    arrested Tuesday" / "five arrests" on Wednesday)."""
    return [
        f
        for f in findings
        if f[0] not in ("number", "quantifier")
        or not {(f[2].doc, f[2].start), (f[3].doc, f[3].start)} <= when.keys()
        or together(when[(f[2].doc, f[2].start)], when[(f[3].doc, f[3].start)])
    ]


def together(a: Occasion, b: Occasion) -> bool:
    """One occasion: the same day or year ("Tuesday night" runs into Wednesday's early hours)."""
    return a == b or bool(_days(a) & _days(b))


def _days(occasion: Occasion) -> set[object]:
    if occasion is None or occasion[0] == "year":
        return {occasion}
    ymd = occasion[1]
    assert isinstance(ymd, tuple)
    day = dt.date(*ymd)
    return {day, day + dt.timedelta(days=1)} if occasion[0] == "night" else {day}


def _counted(f: Fact) -> bool:
    """A count of people: a whole number, not of places or times ("two provinces", "three years");
    or a measure of the event."""
    if f.event.startswith("#"):
        return isinstance(f.value, float)
    whole = isinstance(f.value, float) and f.value.is_integer()
    pronoun = f.label.split()[0].lower() == "one"  # "that one killed 31", "one of the wounded"
    return whole and not pronoun and not (f.near and f.near[0] in _NOT_PEOPLE)


def _own_occasion(said: list[Fact], toks: list[Tok], published: dt.date | None) -> Occasion:
    """The day a sentence names ("Tuesday night" also the next), or the past year it is about."""
    for f in said:
        if f.kind == "weekday" and f.when is not None:
            after = [u.key for u in toks if u.start >= f.end][:1]
            return ("night" if after in (["night"], ["overnight"]) else "day"), f.when
    for f in said:
        if f.kind != "date" or not isinstance(f.value, tuple):
            continue
        year, month, day = f.value
        if published is not None and year is not None and year < published.year:
            return "year", year
        if None not in (year, month, day):
            return "day", f.value
    return None


def _as_tally(f: Fact, toks: list[Tok]) -> Fact:
    """An amount as a tally: what happened to the counted ("18 protesters were arrested" is an
    arrest, not a protest), and "no arrests" a count of zero."""
    after = [u for u in toks if f.end <= u.start][:8] if f.event not in EVENTS else []
    for u in after:
        if not u.text[0].isalnum() and u.text not in "-":
            break
        if SAME_EVENT.get(u.key[:5], "") in EVENTS:
            f = f._replace(event=SAME_EVENT[u.key[:5]])
            break
    return f._replace(value=0.0) if f.value == "none" else f


def _as_measure(f: Fact, toks: list[Tok]) -> Fact:
    """A measured value as a tally of its own class ("#magni"), apart from the counts, labelled
    with the word for the measure ("magnitude 5.9", "6.1-magnitude")."""
    own = next((u.text for u in toks if u.start == f.start), "")
    words = [u.text for u in toks if u.end <= f.start and u.key[:5] == f.near[0]]
    label = own if f.near[0] in fold(own) else f"{words[-1]} {own}" if words else f.label
    return f._replace(event=f"#{f.near[0]}", label=label)


def _denials(toks: list[Tok]) -> list[Fact]:
    """ "No arrests", "no deaths", "no one was arrested", "nobody was killed": a tally of zero."""
    found = []
    for i, t in enumerate(toks):
        if t.key not in _DENIALS:
            continue
        k = i + 1
        if (t.key == "no" and k < len(toks) and toks[k].key == "one") or t.key != "no":
            k += t.key == "no"  # past "one"; then the verb: "no one was arrested", "nobody has been hurt"
            while k < len(toks) and toks[k].key in _BE:
                k += 1
        if k < len(toks) and SAME_EVENT.get(toks[k].key[:5], "") in EVENTS:
            u = toks[k]
            label = " ".join(v.text for v in toks[i : k + 1])
            found.append(Fact("amount", 0.0, t.start, u.end, label, (), None, SAME_EVENT[u.key[:5]]))
    return found
