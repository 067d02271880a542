"""Suggest contradictions between related passages, and same_as links between name spellings.

Conflicts are looked for only inside passage pairs `app.reconcile.align` relates (score
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

The facts themselves (tokens, weekdays, dates, amounts, role phrases, name
runs) are found by `app.reconcile.facts`; this module compares them and makes the
suggestions.

Every suggestion's `id` is a hash of its kind and differing tokens, so a
rejection (`app.reconcile.decisions.reject`) is remembered across runs.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations, product
from typing import TYPE_CHECKING, Literal

from app.reconcile.align import Alignment, align_texts
from app.reconcile.facts import (
    PLACE_CUES,
    ROLE_NOUNS,
    TITLES,
    Fact,
    Tok,
    entity_label,
    facts,
    name_run,
    name_runs,
    role_names,
    tokens,
)
from app.text.clip import Texts, format_pairs
from app.text.fold import fold
from app.text.sentences import split_sentences
from app.text.worddiff import diff_words

if TYPE_CHECKING:
    from app.storage.project import Project

SuggestionKind = Literal["weekday", "date", "number", "quantifier", "person", "organisation", "place", "same_as"]
LinkKindName = Literal["contradicts", "same_as"]
RELATED_THRESHOLD = 50.0
_BASE = {"weekday": 50, "date": 45, "number": 45, "quantifier": 40, "person": 45, "organisation": 35, "place": 35}


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


# ---- entry points -------------------------------------------------------
def suggest_conflicts(
    project: Project,
    alignments: Sequence[Alignment] | None = None,
    *,
    include_rejected: bool = False,
    include_linked: bool = False,
) -> list[Suggestion]:
    """Suggestions for a project, best first, leaving out rejected and already linked ones."""
    from app.reconcile.decisions import linked_keys, rejected_ids

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
    for s in [
        *_role_conflicts(texts, related),
        *(s for a in alignments for s in _passage_conflicts(a, texts)),
        *_same_as(texts),
    ]:
        if s.id in found:  # the same tokens from another rule or passage: first reason, best score
            s = replace(found[s.id], score=max(s.score, found[s.id].score))
        found[s.id] = s
    return sorted(found.values(), key=lambda s: (-s.score, s.doc_a, s.start_a, s.doc_b, s.start_b, s.id))


def format_suggestions(suggestions: Iterable[Suggestion], by_id: Texts | None = None) -> str:
    """One tab-separated line per suggestion (plus both passages when `texts` is given), for the CLI."""
    return format_pairs(
        suggestions,
        lambda s: (
            f"{s.id}\t{s.kind}\t{s.score:.0f}\t{s.doc_a}:{s.start_a}-{s.end_a}\t"
            f"{s.doc_b}:{s.start_b}-{s.end_b}\t{s.link_kind}\t{s.reason}"
        ),
        by_id,
    )


def passage_key(s: Suggestion) -> tuple[str, tuple[int, int, int], tuple[int, int, int]]:
    """(link kind, one end, other end) in a fixed order, to match existing links."""
    ends = sorted([(s.doc_a, s.start_a, s.end_a), (s.doc_b, s.start_b, s.end_b)])
    return s.link_kind, ends[0], ends[1]


def _make(
    kind: SuggestionKind,
    a: tuple[int, int, int],
    b: tuple[int, int, int],
    details: tuple[Detail, Detail],
    reason: str,
    score: float,
    link_kind: LinkKindName = "contradicts",
    label_hint: str = "",
) -> Suggestion:
    if (b[0], b[1]) < (a[0], a[1]):
        a, b, details = b, a, (details[1], details[0])
    digest = hashlib.sha1(repr((kind, link_kind, details)).encode("utf-8")).hexdigest()[:16]
    return Suggestion(digest, kind, *a, *b, details, reason, link_kind, round(min(score, 100.0), 1), label_hint)


# ---- facts that disagree ------------------------------------------------
def _disagreements(fa: list[Fact], fb: list[Fact]) -> Iterator[tuple[SuggestionKind, Fact, Fact, str]]:
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


# ---- conflicts ----------------------------------------------------------
def _passage_conflicts(a: Alignment, texts: Mapping[int, str]) -> list[Suggestion]:
    text_a, text_b = texts[a.doc_a], texts[a.doc_b]
    toks_a, toks_b = tokens(text_a, a.start_a, a.end_a), tokens(text_b, a.start_b, a.end_b)
    pa, pb = (a.doc_a, a.start_a, a.end_a), (a.doc_b, a.start_b, a.end_b)
    out = []
    facts_a, facts_b = facts(text_a, toks_a, a.start_a, a.end_a), facts(text_b, toks_b, a.start_b, a.end_b)
    for kind, x, y, why in _disagreements(facts_a, facts_b):
        details = (
            Detail(a.doc_a, x.start, x.end, text_a[x.start : x.end]),
            Detail(a.doc_b, y.start, y.end, text_b[y.start : y.end]),
        )
        out.append(_make(kind, pa, pb, details, f"{why}: {x.label} / {y.label}", _BASE[kind] + a.score / 2))
    if a.score >= 60:
        out += _swapped_names(a, texts, toks_a, toks_b)
    return out


def _swapped_names(a: Alignment, texts: Mapping[int, str], toks_a: list[Tok], toks_b: list[Tok]) -> list[Suggestion]:
    """A capitalised run replaced by another while the words on both sides match."""
    text_a, text_b = texts[a.doc_a], texts[a.doc_b]
    ops = diff_words(
        text_a[a.start_a : a.end_a],
        text_b[a.start_b : a.end_b],
        ignore_case_and_accents=True,
        base_a=a.start_a,
        base_b=a.start_b,
    )
    out = []
    for before, op, after in zip(ops, ops[1:], ops[2:], strict=False):
        if op.op != "replace" or before.op != "equal" or after.op != "equal":
            continue
        run_a = [t for t in toks_a if op.a_start <= t.start < op.a_end]
        run_b = [t for t in toks_b if op.b_start <= t.start < op.b_end]
        if not (name_run(run_a) and name_run(run_b)):
            continue
        cue = [t.key for t in toks_a if t.end <= op.a_start][-1:]
        kind: SuggestionKind = (
            "place"
            if cue and cue[0] in PLACE_CUES
            else ("person" if cue and cue[0] in ROLE_NOUNS | TITLES else "organisation")
        )
        name_a, name_b = text_a[op.a_start : op.a_end], text_b[op.b_start : op.b_end]
        details = (Detail(a.doc_a, op.a_start, op.a_end, name_a), Detail(a.doc_b, op.b_start, op.b_end, name_b))
        out.append(
            _make(
                kind,
                (a.doc_a, a.start_a, a.end_a),
                (a.doc_b, a.start_b, a.end_b),
                details,
                f"{kind} differs in the same wording: {name_a} / {name_b}",
                _BASE[kind] + a.score / 2,
            )
        )
    return out


def _role_conflicts(texts: Mapping[int, str], related: set[tuple[int, int]]) -> list[Suggestion]:
    """The same role phrase ("Canadian foreign minister") naming different people in related documents."""
    by_role: defaultdict[str, list[tuple[int, tuple[int, int], Detail]]] = defaultdict(list)
    for doc, text in sorted(texts.items()):
        for sentence in split_sentences(text):
            toks = tokens(text, *sentence)
            for role, name in role_names(toks):
                by_role[role].append(
                    (doc, sentence, Detail(doc, name[0].start, name[-1].end, text[name[0].start : name[-1].end]))
                )
    out = []
    for role, entries in sorted(by_role.items()):
        for (doc_a, sa, da), (doc_b, sb, db) in combinations(entries, 2):
            if doc_a != doc_b and (doc_a, doc_b) in related and not _same_person(da.text, db.text):
                out.append(
                    _make(
                        "person",
                        (doc_a, *sa),
                        (doc_b, *sb),
                        (da, db),
                        f"person differs for '{role}': {da.text} / {db.text}",
                        _BASE["person"] + 25,
                    )
                )
    return out


def _same_person(a: str, b: str) -> bool:
    fa, fb = fold(a).split(), fold(b).split()
    return fa[-1] == fb[-1] or set(fa) <= set(fb) or set(fb) <= set(fa)


# ---- same_as ------------------------------------------------------------
def _same_as(texts: Mapping[int, str]) -> list[Suggestion]:
    """Names spelled differently (case, diacritics) that fold to the same text, across documents."""
    spellings: defaultdict[str, dict[tuple[int, str], Detail]] = defaultdict(dict)
    cues: defaultdict[str, set[str]] = defaultdict(set)
    for doc, text in sorted(texts.items()):
        for run, cue in name_runs(text, tokens(text, 0, len(text))):
            surface = text[run[0].start : run[-1].end]
            key = " ".join(t.key for t in run)
            spellings[key].setdefault((doc, surface), Detail(doc, run[0].start, run[-1].end, surface))
            cues[key].add(cue)
    out = []
    for key, found in sorted(spellings.items()):
        hint = entity_label(key, cues[key])
        for ((doc_a, text_a), da), ((doc_b, text_b), db) in combinations(sorted(found.items()), 2):
            if doc_a == doc_b or text_a == text_b:
                continue
            why = "diacritics" if text_a.lower() != text_b.lower() else "case"
            out.append(
                _make(
                    "same_as",
                    (doc_a, da.start, da.end),
                    (doc_b, db.start, db.end),
                    (da, db),
                    f"same name, {why} differ: {text_a} / {text_b}",
                    90 if why == "diacritics" else 80,
                    "same_as",
                    hint,
                )
            )
    return out
