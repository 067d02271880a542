"""Suggest contradictions between related passages, and same_as links between name spellings.

Conflicts are looked for only inside passage pairs `app.align` relates (score
at least RELATED_THRESHOLD, below the display threshold: reworded leads carry
the main claims), with general rules, no word lists about any one story:

- weekday: both passages name weekdays and share none ("Monday" / "Tuesday");
- date: day dates ("April 12", "12 April 2021", "2020-10-06") or month dates
  of the same precision that nowhere agree; bare years only with the same
  word beside them ("in 2019" / "in 2020");
- number / quantifier: amounts ("29 permits", "six-week", "all permits",
  "some but not all") whose nouns agree (same first content word after them,
  or two shared among the next four) but whose values differ;
- person: the same role phrase of two words or more ("Canadian foreign
  minister") followed by different names, in two documents that have at
  least one related passage pair;
- organisation / place: in passages aligned at 60 or more, a capitalised run
  swapped for another while the words on both sides match (place after
  in/at/from/…, organisation otherwise).

same_as: capitalised runs of two to four words, in different documents, that
fold (case, diacritics) to the same text but are spelled differently.

Every suggestion's `id` is a hash of its kind and differing tokens, so a
rejection (`app.reconcile_store.reject`) is remembered across runs.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations, product
from typing import TYPE_CHECKING, Literal, NamedTuple

from app.align import STOPWORDS, Alignment, Texts, align_texts
from app.sentences import split_sentences
from app.textfold import fold
from app.worddiff import diff_words, tokenize

if TYPE_CHECKING:
    from app.store import Project

SuggestionKind = Literal["weekday", "date", "number", "quantifier", "person", "organisation", "place", "same_as"]
LinkKindName = Literal["contradicts", "same_as"]
RELATED_THRESHOLD = 50.0
_BASE = {"weekday": 50, "date": 45, "number": 45, "quantifier": 40, "person": 45, "organisation": 35, "place": 35}


def _wordlist(text: str) -> list[str]:
    return text.split()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
_MONTHS = {name: n for n, names in enumerate((
    "jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
    "sep sept september", "oct october", "nov november", "dec december"), start=1) for name in names.split()}
_NUMBER_WORDS = {w: n for n, w in enumerate(_wordlist(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen twenty"))} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
                                               "dozen": 12, "dozens": 24, "hundreds": 200}
_UNIVERSAL = _words("all every each entire whole")
_PARTIAL = _words("some several certain few many most part")
_NEGATIVE = _words("no none zero")
ROLE_NOUNS = _words(
    "minister secretary president chancellor premier governor senator mayor spokesman spokeswoman spokesperson"
    " ambassador director chief ceo chairman chairwoman chair leader general commander judge prosecutor envoy"
    " king queen prince princess pope head deputy lawmaker congressman congresswoman colonel captain"
    " lieutenant officer professor coach manager founder owner chairperson editor")
_TITLES = _words("mr mrs ms dr sir dame lord lady")
_VERBS = _words("is are was were be been being has have had will would can could should may might must do does"
                " did said says told")
_PLACE_CUES = _words("in at near from into across outside inside toward towards via")
_ORG_WORDS = _words(
    "ministry department agency company corp corporation inc ltd group party council committee bank"
    " university news times post agency office army forces government commission association union fund"
    " institute foundation court parliament congress senate")
_PARTICLES = _words("de van von der den bin al da di du la le el")
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"  # noqa: E501
_DATES = re.compile(
    rf"\b(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})\b"
    rf"|\b(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}})\b)?"
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})(?:,?\s+(?P<y2>\d{{4}})\b)?"
    rf"|\b(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}})\b"
    r"|\b(?P<y4>1[89]\d\d|20\d\d)\b(?!-\d)")


@dataclass(frozen=True)
class Detail:
    """One differing token run, for highlighting."""

    doc: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Suggestion:
    id: str
    kind: SuggestionKind
    doc_a: int
    start_a: int
    end_a: int
    doc_b: int
    start_b: int
    end_b: int
    details: tuple[Detail, ...]
    reason: str
    link_kind: LinkKindName
    score: float
    label_hint: str = ""  # same_as: PERSON, ORG or LOCATION; contradicts: "" (the first claim label)


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    key: str  # folded, possessive dropped


class _Fact(NamedTuple):
    kind: str
    value: object
    start: int
    end: int
    label: str  # shown in the reason
    near: tuple[str, ...] = ()  # content stems after it (amounts) or the words beside it (years)


# ---- entry points -------------------------------------------------------
def suggest_conflicts(project: Project, alignments: Sequence[Alignment] | None = None, *,
                      include_rejected: bool = False, include_linked: bool = False) -> list[Suggestion]:
    """Suggestions for a project, best first, leaving out rejected and already linked ones."""
    from app.reconcile_store import linked_keys, rejected_ids

    texts = {d.id: project.text(d.id) for d in project.documents()}
    found = suggest_texts(texts, alignments)
    skip = set() if include_rejected else rejected_ids(project)
    linked = set() if include_linked else linked_keys(project)
    return [s for s in found if s.id not in skip and passage_key(s) not in linked]


def suggest_texts(by_id: Texts, alignments: Sequence[Alignment] | None = None) -> list[Suggestion]:
    """Pure form of `suggest_conflicts`: texts by document id; alignments computed when not given."""
    texts = {int(doc): text for doc, text in by_id.items()}
    if alignments is None:
        alignments = align_texts(texts, threshold=RELATED_THRESHOLD)
    related = {(a.doc_a, a.doc_b) for a in alignments} | {(a.doc_b, a.doc_a) for a in alignments}
    found: dict[str, Suggestion] = {}
    for s in [*_role_conflicts(texts, related), *(s for a in alignments for s in _passage_conflicts(a, texts)),
              *_same_as(texts)]:
        if s.id in found:  # the same tokens from another rule or passage: first reason, best score
            s = replace(found[s.id], score=max(s.score, found[s.id].score))
        found[s.id] = s
    return sorted(found.values(), key=lambda s: (-s.score, s.doc_a, s.start_a, s.doc_b, s.start_b, s.id))


def format_suggestions(suggestions: Iterable[Suggestion], by_id: Texts | None = None) -> str:
    """One tab-separated line per suggestion (plus both passages when `texts` is given), for the CLI."""
    texts = {int(doc): text for doc, text in by_id.items()} if by_id is not None else None
    lines = []
    for s in suggestions:
        lines.append(f"{s.id}\t{s.kind}\t{s.score:.0f}\t{s.doc_a}:{s.start_a}-{s.end_a}\t"
                     f"{s.doc_b}:{s.start_b}-{s.end_b}\t{s.link_kind}\t{s.reason}")
        if texts is not None:
            lines.extend(f"  {mark} {_clip(texts[doc][start:end])}" for mark, doc, start, end in (
                ("<", s.doc_a, s.start_a, s.end_a), (">", s.doc_b, s.start_b, s.end_b)))
    return "\n".join(lines)


def passage_key(s: Suggestion) -> tuple[str, tuple[int, int, int], tuple[int, int, int]]:
    """(link kind, one end, other end) in a fixed order, to match existing links."""
    ends = sorted([(s.doc_a, s.start_a, s.end_a), (s.doc_b, s.start_b, s.end_b)])
    return s.link_kind, ends[0], ends[1]


def _make(kind: SuggestionKind, a: tuple[int, int, int], b: tuple[int, int, int], details: tuple[Detail, Detail],
          reason: str, score: float, link_kind: LinkKindName = "contradicts", label_hint: str = "") -> Suggestion:
    if (b[0], b[1]) < (a[0], a[1]):
        a, b, details = b, a, (details[1], details[0])
    digest = hashlib.sha1(repr((kind, link_kind, details)).encode("utf-8")).hexdigest()[:16]
    return Suggestion(digest, kind, *a, *b, details, reason, link_kind, round(min(score, 100.0), 1), label_hint)


# ---- tokens and facts -----------------------------------------------------
def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    found = []
    for t in tokenize(text[start:end]):
        key = fold(t.text)
        key = key[:-2] if key.endswith(("'s", "’s")) else key
        found.append(_Tok(start + t.start, start + t.end, t.text, key))
    return found


def _is_word(t: _Tok) -> bool:
    return t.text[0].isalnum()


def _capitalised(t: _Tok) -> bool:
    return t.text[0].isupper() and t.key not in STOPWORDS


def _facts(text: str, toks: list[_Tok], start: int, end: int) -> list[_Fact]:
    """Weekdays, dates, years and amounts in text[start:end]."""
    found = [_Fact("weekday", t.key, t.start, t.end, t.text) for t in toks if t.key in WEEKDAYS and t.text[0].isupper()]
    covered: list[tuple[int, int]] = []
    for m in _DATES.finditer(text, start, end):
        g = m.groupdict()
        year = g["iy"] or g["y1"] or g["y2"] or g["y3"] or g["y4"]
        month = g["im"] or g["m1"] or g["m2"] or g["m3"]
        day = g["id"] or g["d1"] or g["d2"]
        value = (int(year) if year else None, _month(month), int(day) if day else None)
        beside = tuple(t.key for t in toks if t.end <= m.start() and _is_word(t))[-1:] + tuple(
            t.key for t in toks if t.start >= m.end() and _is_word(t))[:1]
        found.append(_Fact("date", value, m.start(), m.end(), m.group(), beside))
        covered.append((m.start(), m.end()))
    for i, t in enumerate(toks):
        if not any(s <= t.start < e for s, e in covered):
            found.extend(_amount(toks, i))
    return found


def _month(name: str | None) -> int | None:
    if name is None:
        return None
    return int(name) if name.isdigit() else _MONTHS.get(name.rstrip(".").lower())


def _amount(toks: list[_Tok], i: int) -> list[_Fact]:
    """An amount at toks[i] with the content stems after it: "29 permits", "some but not all of its exports"."""
    t, key = toks[i], toks[i].key
    head, _, tail = key.partition("-")
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
        value = "partial" if negated or key in _PARTIAL else "universal" if key in _UNIVERSAL else "none"
    else:
        return []
    near = [tail[:5]] if tail else []
    for u in toks[i + 1:i + 9]:
        if (not _is_word(u) and u.text not in "-") or u.key in _VERBS:
            break  # the amount's noun phrase ends at a clause mark or a verb ("1,200 were injured")
        if _is_word(u) and u.key not in STOPWORDS and u.key not in _UNIVERSAL | _PARTIAL | _NEGATIVE:
            near.append(u.key[:5])
    if not near:
        return []
    return [_Fact("amount", value, t.start, t.end, _amount_label(toks, i), tuple(near[:4]))]


def _amount_label(toks: list[_Tok], i: int) -> str:
    """The amount and its noun for a reason: "all permits", "some … military exports"."""
    words = [u for u in toks[i + 1:i + 9] if _is_word(u)]
    first = next((k for k, u in enumerate(words) if u.key not in STOPWORDS and not _amount_word(u.key)), None)
    if first is None:
        return toks[i].text
    shown = [u.text for u in words[first:first + 2] if u.key not in STOPWORDS]
    if first <= 2:
        return " ".join([toks[i].text, *(u.text for u in words[:first]), *shown])
    return " ".join([toks[i].text, "…", *shown])


def _amount_word(key: str) -> bool:
    return key in _UNIVERSAL | _PARTIAL | _NEGATIVE


def _disagreements(fa: list[_Fact], fb: list[_Fact]) -> Iterator[tuple[SuggestionKind, _Fact, _Fact, str]]:
    days_a, days_b = [f for f in fa if f.kind == "weekday"], [f for f in fb if f.kind == "weekday"]
    if days_a and days_b and not {f.value for f in days_a} & {f.value for f in days_b}:
        yield "weekday", days_a[0], days_b[0], "weekday differs"
    dates_a, dates_b = [f for f in fa if f.kind == "date"], [f for f in fb if f.kind == "date"]
    if not any(_compatible(x, y) for x, y in product(dates_a, dates_b)):
        clash = next(((x, y) for x, y in product(dates_a, dates_b) if _comparable(x, y)), None)
        if clash:
            yield "date", clash[0], clash[1], "date differs"
    amounts_b = [f for f in fb if f.kind == "amount"]
    told: set[str] = set()  # one number and one quantity disagreement per passage pair
    for x in (f for f in fa if f.kind == "amount"):
        same_thing = [y for y in amounts_b if x.near[0] == y.near[0] or len(set(x.near) & set(y.near)) >= 2]
        if same_thing and all(y.value != x.value for y in same_thing):
            y = same_thing[0]
            numbers = isinstance(x.value, float) and isinstance(y.value, float)
            kind: SuggestionKind = "number" if numbers else "quantifier"
            if kind not in told:
                told.add(kind)
                yield kind, x, y, "number differs" if numbers else "quantity differs"


def _ymd(fact: _Fact) -> tuple[int | None, int | None, int | None]:
    assert isinstance(fact.value, tuple)
    year, month, day = fact.value
    return year, month, day


def _compatible(x: _Fact, y: _Fact) -> bool:
    return all(p == q for p, q in zip(_ymd(x), _ymd(y), strict=True) if p is not None and q is not None)


def _comparable(x: _Fact, y: _Fact) -> bool:
    """Same precision; bare years only with a shared neighbouring word ("in 2019" / "in 2020")."""
    (_, mx, dx), (_, my, dy) = _ymd(x), _ymd(y)
    if (mx is None) != (my is None) or (dx is None) != (dy is None):
        return False
    return mx is not None or bool(set(x.near) & set(y.near))


# ---- conflicts ----------------------------------------------------------
def _passage_conflicts(a: Alignment, texts: Mapping[int, str]) -> list[Suggestion]:
    text_a, text_b = texts[a.doc_a], texts[a.doc_b]
    toks_a, toks_b = _tokens(text_a, a.start_a, a.end_a), _tokens(text_b, a.start_b, a.end_b)
    pa, pb = (a.doc_a, a.start_a, a.end_a), (a.doc_b, a.start_b, a.end_b)
    out = []
    facts_a, facts_b = _facts(text_a, toks_a, a.start_a, a.end_a), _facts(text_b, toks_b, a.start_b, a.end_b)
    for kind, x, y, why in _disagreements(facts_a, facts_b):
        details = (Detail(a.doc_a, x.start, x.end, text_a[x.start:x.end]),
                   Detail(a.doc_b, y.start, y.end, text_b[y.start:y.end]))
        out.append(_make(kind, pa, pb, details, f"{why}: {x.label} / {y.label}", _BASE[kind] + a.score / 2))
    if a.score >= 60:
        out += _swapped_names(a, texts, toks_a, toks_b)
    return out


def _swapped_names(a: Alignment, texts: Mapping[int, str], toks_a: list[_Tok], toks_b: list[_Tok]) -> list[Suggestion]:
    """A capitalised run replaced by another while the words on both sides match."""
    text_a, text_b = texts[a.doc_a], texts[a.doc_b]
    ops = diff_words(text_a[a.start_a:a.end_a], text_b[a.start_b:a.end_b], ignore_case_and_accents=True,
                     base_a=a.start_a, base_b=a.start_b)
    out = []
    for before, op, after in zip(ops, ops[1:], ops[2:], strict=False):
        if op.op != "replace" or before.op != "equal" or after.op != "equal":
            continue
        run_a = [t for t in toks_a if op.a_start <= t.start < op.a_end]
        run_b = [t for t in toks_b if op.b_start <= t.start < op.b_end]
        if not (_name_run(run_a) and _name_run(run_b)):
            continue
        cue = [t.key for t in toks_a if t.end <= op.a_start][-1:]
        kind: SuggestionKind = "place" if cue and cue[0] in _PLACE_CUES else (
            "person" if cue and cue[0] in ROLE_NOUNS | _TITLES else "organisation")
        name_a, name_b = text_a[op.a_start:op.a_end], text_b[op.b_start:op.b_end]
        details = (Detail(a.doc_a, op.a_start, op.a_end, name_a), Detail(a.doc_b, op.b_start, op.b_end, name_b))
        out.append(_make(kind, (a.doc_a, a.start_a, a.end_a), (a.doc_b, a.start_b, a.end_b), details,
                         f"{kind} differs in the same wording: {name_a} / {name_b}", _BASE[kind] + a.score / 2))
    return out


def _name_run(run: list[_Tok]) -> bool:
    return 0 < len(run) <= 4 and all(_capitalised(t) and t.key not in WEEKDAYS | _MONTHS.keys() | ROLE_NOUNS
                                     for t in run)


def _role_conflicts(texts: Mapping[int, str], related: set[tuple[int, int]]) -> list[Suggestion]:
    """The same role phrase ("Canadian foreign minister") naming different people in related documents."""
    by_role: defaultdict[str, list[tuple[int, tuple[int, int], Detail]]] = defaultdict(list)
    for doc, text in sorted(texts.items()):
        for sentence in split_sentences(text):
            toks = _tokens(text, *sentence)
            for role, name in _role_names(toks):
                by_role[role].append((doc, sentence, Detail(doc, name[0].start, name[-1].end,
                                                            text[name[0].start:name[-1].end])))
    out = []
    for role, entries in sorted(by_role.items()):
        for (doc_a, sa, da), (doc_b, sb, db) in combinations(entries, 2):
            if doc_a != doc_b and (doc_a, doc_b) in related and not _same_person(da.text, db.text):
                out.append(_make("person", (doc_a, *sa), (doc_b, *sb), (da, db),
                                 f"person differs for '{role}': {da.text} / {db.text}", _BASE["person"] + 25))
    return out


def _role_names(toks: list[_Tok]) -> Iterator[tuple[str, list[_Tok]]]:
    for i, t in enumerate(toks[:-1]):
        if t.key not in ROLE_NOUNS or not _capitalised(toks[i + 1]) or toks[i + 1].key in ROLE_NOUNS:
            continue
        name = [toks[i + 1]]
        for u in toks[i + 2:i + 5]:
            if not (_capitalised(u) or u.key in _PARTICLES) or u.start > name[-1].end + 1:
                break
            name.append(u)
        role = [t]
        for u in reversed(toks[max(0, i - 3):i]):
            if not _is_word(u) or u.key in STOPWORDS or u.end < role[0].start - 1:
                break
            role.insert(0, u)
        if len(role) >= 2:
            yield " ".join(u.key for u in role), name


def _same_person(a: str, b: str) -> bool:
    fa, fb = fold(a).split(), fold(b).split()
    return fa[-1] == fb[-1] or set(fa) <= set(fb) or set(fb) <= set(fa)


# ---- same_as ------------------------------------------------------------
def _same_as(texts: Mapping[int, str]) -> list[Suggestion]:
    """Names spelled differently (case, diacritics) that fold to the same text, across documents."""
    spellings: defaultdict[str, dict[tuple[int, str], Detail]] = defaultdict(dict)
    cues: defaultdict[str, set[str]] = defaultdict(set)
    for doc, text in sorted(texts.items()):
        for run, cue in _name_runs(text, _tokens(text, 0, len(text))):
            surface = text[run[0].start:run[-1].end]
            key = " ".join(t.key for t in run)
            spellings[key].setdefault((doc, surface), Detail(doc, run[0].start, run[-1].end, surface))
            cues[key].add(cue)
    out = []
    for key, found in sorted(spellings.items()):
        hint = _entity_label(key, cues[key])
        for ((doc_a, text_a), da), ((doc_b, text_b), db) in combinations(sorted(found.items()), 2):
            if doc_a == doc_b or text_a == text_b:
                continue
            why = "diacritics" if text_a.lower() != text_b.lower() else "case"
            out.append(_make("same_as", (doc_a, da.start, da.end), (doc_b, db.start, db.end), (da, db),
                             f"same name, {why} differ: {text_a} / {text_b}", 90 if why == "diacritics" else 80,
                             "same_as", hint))
    return out


def _name_runs(text: str, toks: list[_Tok]) -> Iterator[tuple[list[_Tok], str]]:
    """Runs of 2-4 capitalised words one space apart (leading role words cut), with the word before."""
    i = 0
    while i < len(toks):
        if not _capitalised(toks[i]):
            i += 1
            continue
        j = i + 1
        while j < len(toks) and _capitalised(toks[j]) and text[toks[j - 1].end:toks[j].start] in (" ", "\xa0"):
            j += 1
        run = toks[i:j]
        roles = [k for k, t in enumerate(run) if t.key in ROLE_NOUNS | _TITLES]
        cut = roles[-1] + 1 if roles else 0
        cue = toks[i + cut - 1].key if i + cut > 0 else ""
        if 2 <= len(run) - cut <= 4 and not any(t.key in WEEKDAYS | _MONTHS.keys() for t in run):
            yield run[cut:], cue
        i = j


def _entity_label(key: str, cues: set[str]) -> str:
    words = key.split()
    if cues & (ROLE_NOUNS | _TITLES) or (len(words) <= 3 and all(w.isalpha() for w in words)
                                          and not set(words) & _ORG_WORDS and not cues & _PLACE_CUES):
        return "PERSON"
    return "LOCATION" if cues & _PLACE_CUES and not set(words) & _ORG_WORDS else "ORG"


def _clip(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"
