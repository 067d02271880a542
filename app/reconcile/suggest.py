"""Suggest disagreements between articles, successions of role holders, and entity clusters.

Conflicts are looked for only inside passage pairs `app.reconcile.align` relates (score
at least RELATED_THRESHOLD, below the display threshold: reworded leads carry
the main claims), with general rules, no word lists about any one story:

- weekday / date: event time, not report time (weekdays as far apart as the articles'
  published days are each paper's own day of a story that goes on). Weekdays and relative dates are resolved
  against each article's published date (`app.reconcile.when`); a weekday that falls on the
  other article's date agrees. Day dates or month dates of the same precision that nowhere
  agree differ; bare years only with the same word beside them ("in 2019" / "in 2020");
- number / quantifier: amounts ("29 permits", "six-week", "all permits", "some but not all")
  whose nouns agree (same first content word after them, or two shared among the next four)
  but whose values differ. A vague or rounded amount ("about 1,000" / "1,012", "hundreds" /
  "612") that could be the other is a minor difference (`Suggestion.minor`), not a conflict;
  two prices ("for $4.8 billion") are of one thing when the word before "for" is the same;
- person: the same role phrase of two words or more ("Canadian foreign minister") followed by
  different names in related documents: a succession (`updates`, with both dates) unless
  both articles carry the same date (then `contradicts`);
- organisation / place: in passages aligned at 60 or more, a capitalised run swapped for
  another while the words on both sides match and the names are not one entity;
- place: one place put in different countries or regions (`app.reconcile.places`);
- number (tallies): arrests, deaths or injuries counted differently on one occasion in related
  articles, aligned or not, "no arrests" a count of zero; amounts of what happened on two
  different days or in two different years are not compared (`app.reconcile.tallies`); so
  are measures of the event named before their number ("magnitude 6.1");
- characterisation: a "civil war" in one article, the war's side fighting another named party
  in a related one (`app.reconcile.characterisations`);
- quote: the same words quoted with different speakers or statement dates
  (`app.reconcile.quotes`);
- same_as: one suggestion per entity cluster across all articles (`app.reconcile.entities`).

Suggestions are one row per fact: pairwise disagreements that share a mention (the same
words in the same article) are merged, so "all permits" against "some" and "29 permits" in
two other outlets is one row listing what each outlet says (`Suggestion.mentions`).
Every suggestion's `id` is a hash of its kind and differing tokens, so a
rejection (`app.reconcile.decisions.reject`) is remembered across runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from app.reconcile.align import Alignment, align_texts
from app.reconcile.characterisations import characterisation_conflicts
from app.reconcile.conflicts import Finding, is_number, passage_conflicts, role_conflicts, same_counts
from app.reconcile.entities import Cluster, entity_clusters, name_key, spelling_differences
from app.reconcile.mention import Detail, LinkKindName, Mention, Suggestion, SuggestionKind
from app.reconcile.names import entity_label
from app.reconcile.places import place_conflicts
from app.reconcile.quotes import quote_conflicts
from app.reconcile.tallies import MEASURE, TALLY, all_tallies, occasions, same_occasion, tally_conflicts
from app.reconcile.unionfind import find_root
from app.reconcile.when import published_day
from app.text.clip import Texts, clip_around
from app.text.sentences import sentences_by_doc

if TYPE_CHECKING:
    from app.storage.project import Project

RELATED_THRESHOLD = 50.0
Published = Mapping[int, str | None] | Mapping[int, dt.date | None]


# ---- entry points -------------------------------------------------------
def suggest_conflicts(
    project: Project,
    alignments: Sequence[Alignment] | None = None,
    *,
    include_rejected: bool = False,
    include_linked: bool = False,
) -> list[Suggestion]:
    """Suggestions for a project in `order`, leaving out rejected and already linked ones."""
    documents = project.documents()
    texts = {int(d.id): project.text(d.id) for d in documents}
    published = {int(d.id): d.published for d in documents}
    found = suggest_texts(texts, alignments, published=published)
    return undecided(project, found, include_rejected=include_rejected, include_linked=include_linked)


def undecided(
    project: Project, found: Iterable[Suggestion], *, include_rejected: bool = False, include_linked: bool = False
) -> list[Suggestion]:
    """`found` without the suggestions rejected in the project or already linked there, in `order`."""
    from app.reconcile.decisions import linked_keys, rejected_ids

    skip = set() if include_rejected else rejected_ids(project)
    linked = set() if include_linked else linked_keys(project)
    kept = [s for s in found if s.id not in skip and not skip & set(s.parts) and not all_linked(s, linked)]
    return sorted(kept, key=order)


def suggest_texts(
    by_id: Texts, alignments: Sequence[Alignment] | None = None, *, published: Published | None = None
) -> list[Suggestion]:
    """Pure form of `suggest_conflicts`: texts (and published dates) by document id."""
    texts = {int(doc): text for doc, text in by_id.items()}
    days = {doc: _day(published.get(doc)) if published else None for doc in texts}
    sentences = sentences_by_doc(texts)  # split once, read by every rule below
    if alignments is None:
        alignments = align_texts(texts, threshold=RELATED_THRESHOLD, sentences=sentences)
    related = {(a.doc_a, a.doc_b) for a in alignments} | {(a.doc_b, a.doc_a) for a in alignments}
    clusters = entity_clusters(texts)
    related |= _sharing_entities(clusters)
    same = {(m.doc, m.key): n for n, c in enumerate(clusters) for m in c.mentions}
    pairs = [
        *role_conflicts(texts, related, days, sentences),
        *quote_conflicts(texts, related, days, sentences),
        *place_conflicts(texts, related, clusters, sentences),
        *(s for a in alignments for s in passage_conflicts(a, texts, days, same)),
    ]
    counts = all_tallies(texts, days, sentences, related)  # amounts of what happened, each on its occasion
    when = occasions(counts)
    pairs = same_occasion(pairs, when)
    pairs += same_occasion(same_counts(pairs, texts, related, days, sentences), when)  # a per-finding filter
    pairs += tally_conflicts(counts, texts, related, pairs)
    pairs += characterisation_conflicts(texts, related, sentences)
    rows = [_row(group, days) for group in _by_fact(pairs)]
    rows += [_cluster_row(c, days) for c in clusters if _related_cluster(c, related)]
    found: dict[str, Suggestion] = {}
    for s in rows:
        if s.id in found:
            s = replace(found[s.id], score=max(s.score, found[s.id].score))
        found[s.id] = s
    return sorted(found.values(), key=order)


def order(s: Suggestion) -> tuple[int, bool, float, int, int, int, int, str]:
    """Disagreements first, then successions, then entity clusters; minor ones last in their group; best first."""
    group = {"contradicts": 0, "updates": 1, "same_as": 2}[s.link_kind]
    return (group, s.minor, -s.score, s.doc_a, s.start_a, s.doc_b, s.start_b, s.id)


def format_suggestions(suggestions: Iterable[Suggestion], by_id: Texts | None = None) -> str:
    """One tab-separated line per suggestion, then (when `texts` is given) one line per article:
    its document, date and the passage clipped around the differing words."""
    texts = {int(doc): text for doc, text in by_id.items()} if by_id is not None else None
    lines = []
    for s in suggestions:
        lines.append(
            f"{s.id}\t{s.kind}\t{s.score:.0f}\t{s.doc_a}:{s.start_a}-{s.end_a}\t"
            f"{s.doc_b}:{s.start_b}-{s.end_b}\t{s.link_kind}\t{s.reason}"
        )
        if texts is not None:
            for m in s.mentions:
                quote = clip_around(texts[m.doc], m.passage_start, m.passage_end, m.start, m.end)
                lines.append(f"  {m.doc} {m.published or '(no date)'}: {m.said or m.text}  « {quote} »")
    return "\n".join(lines)


def passage_key(s: Suggestion) -> tuple[str, tuple[int, int, int], tuple[int, int, int]]:
    """(link kind, one end, other end) in a fixed order, to match existing links."""
    ends = sorted([(s.doc_a, s.start_a, s.end_a), (s.doc_b, s.start_b, s.end_b)])
    return s.link_kind, ends[0], ends[1]


def all_linked(s: Suggestion, linked: set[tuple[str, tuple[int, int, int], tuple[int, int, int]]]) -> bool:
    """Whether every link accepting `s` would make exists already."""
    from app.reconcile.decisions import planned_links

    wanted = planned_links(s)
    return bool(wanted) and all(
        (s.link_kind, *sorted([_end(s.mentions[i]), _end(s.mentions[j])])) in linked for i, j in wanted
    )


def _end(m: Mention) -> tuple[int, int, int]:
    return (m.doc, m.passage_start, m.passage_end)


def _day(value: str | dt.date | None) -> dt.date | None:
    return value if isinstance(value, dt.date) else published_day(value)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# ---- one row per fact ---------------------------------------------------
def _by_fact(pairs: list[Finding]) -> list[list[Finding]]:
    """Pairwise findings of one kind that share a mention (same words, same article), joined."""
    parent = list(range(len(pairs)))

    seen: dict[tuple[str, str, int, int], int] = {}
    for n, (kind, link, x, y, *_rest) in enumerate(pairs):
        for m in (x, y):
            key = (kind, link, m.doc, m.start)
            if key in seen:
                parent[find_root(parent, n)] = find_root(parent, seen[key])
            else:
                seen[key] = n
    groups: dict[int, list[Finding]] = {}
    for n, pair in enumerate(pairs):
        groups.setdefault(find_root(parent, n), []).append(pair)
    return list(groups.values())


def _row(group: list[Finding], days: Mapping[int, dt.date | None]) -> Suggestion:
    kind, link, first_x, first_y, reason, _, _ = group[0]
    mentions: dict[tuple[int, int], Mention] = {}
    for _, _, x, y, *_rest in group:
        for m in (x, y):
            mentions.setdefault((m.doc, m.start), replace(m, published=_iso(days.get(m.doc))))
    tally = any(p[4].startswith((TALLY, MEASURE)) for p in group)  # a tally row keeps each count an article gives
    if kind in ("number", "quantifier") and not tally:  # else per article one number and one quantity word, first found
        kept: dict[tuple[int, bool], Mention] = {}
        for m in mentions.values():
            kept.setdefault((m.doc, is_number(m.value)), m)
        mentions = {(m.doc, m.start): m for m in kept.values()}
    ordered = sorted(mentions.values(), key=lambda m: (m.doc, m.start))
    score = max(p[5] for p in group) + min(10, 3 * (len(ordered) - 2))
    minor = all(p[6] for p in group)
    if len(ordered) > 2:
        by_words: dict[str, list[int]] = {}
        for m in ordered:
            by_words.setdefault(m.said or m.text, []).append(m.doc)
        says = " / ".join(f"{words} ({', '.join(map(str, sorted(set(docs))))})" for words, docs in by_words.items())
        reason = f"{reason.split(':')[0]} across {len({m.doc for m in ordered})} articles: {says}"
    return _make(
        cast(SuggestionKind, kind),
        cast(LinkKindName, link),
        (first_x, first_y),
        tuple(ordered),
        reason,
        score * (0.6 if minor else 1),
        minor,
    )


def _make(
    kind: SuggestionKind,
    link_kind: LinkKindName,
    pair: tuple[Mention, Mention],
    mentions: tuple[Mention, ...],
    reason: str,
    score: float,
    minor: bool = False,
    label_hint: str = "",
) -> Suggestion:
    a, b = sorted(pair, key=lambda m: (m.doc, m.passage_start))
    details = tuple(Detail(m.doc, m.start, m.end, m.text) for m in (a, b))
    extra = tuple(
        Detail(m.doc, m.start, m.end, m.text)
        for m in mentions
        if (m.doc, m.start) not in {(a.doc, a.start), (b.doc, b.start)}
    )
    keys = sorted({(m.doc, m.start, m.end, m.value) for m in mentions})
    digest = _digest((kind, link_kind, keys))
    if link_kind == "same_as":
        parts = tuple(sorted({_digest((kind, m.doc, m.value)) for m in mentions}))
    else:
        parts = tuple(
            sorted(
                {
                    _digest(
                        (kind, link_kind, sorted([(x.doc, x.start, x.end, x.value), (y.doc, y.start, y.end, y.value)]))
                    )
                    for n, x in enumerate(mentions)
                    for y in mentions[n + 1 :]
                    if x.doc != y.doc and x.value != y.value
                }
            )
        )
    return Suggestion(
        digest,
        kind,
        a.doc,
        a.passage_start,
        a.passage_end,
        b.doc,
        b.passage_start,
        b.passage_end,
        details + extra,
        reason,
        link_kind,
        round(min(score, 100.0), 1),
        label_hint,
        mentions,
        minor,
        parts,
    )


def _digest(value: object) -> str:
    return hashlib.sha1(repr(value).encode("utf-8")).hexdigest()[:16]


# ---- same_as: one row per entity cluster ----------------------------------
SHARED_ENTITIES = 3  # articles naming this many entities in common report one story (reworded leads align poorly)


def _sharing_entities(clusters: list[Cluster]) -> set[tuple[int, int]]:
    shared: dict[tuple[int, int], int] = {}
    for c in clusters:
        docs = sorted(c.documents)
        for n, a in enumerate(docs):
            for b in docs[n + 1 :]:
                shared[(a, b)] = shared.get((a, b), 0) + 1
    pairs = {pair for pair, count in shared.items() if count >= SHARED_ENTITIES}
    return pairs | {(b, a) for a, b in pairs}


def _related_cluster(c: Cluster, related: set[tuple[int, int]]) -> bool:
    """A cluster joins articles about one story: at least two of its documents are related."""
    docs = sorted(c.documents)
    return any((a, b) in related for n, a in enumerate(docs) for b in docs[n + 1 :])


def _cluster_row(c: Cluster, days: Mapping[int, dt.date | None]) -> Suggestion:
    mentions = tuple(
        Mention(m.doc, m.start, m.end, m.text, m.start, m.end, name_key(m.text), _iso(days.get(m.doc)))
        for m in c.mentions
    )
    spellings = sorted(c.spellings, key=lambda t: (-len(t), t))
    by_spelling = {t: sorted({m.doc for m in c.mentions if m.text == t}) for t in spellings}
    listing = ", ".join(f"{t} ({', '.join(map(str, docs))})" for t, docs in by_spelling.items())
    varied = len(spellings) > 1
    how = f" ({', '.join(spelling_differences(spellings))} differ)" if varied else ""
    reason = f"same entity in {len(c.documents)} articles{how}: {listing}"
    a = mentions[0]
    b = next(m for m in mentions if m.doc != a.doc)
    hint = entity_label(c.key, {m.cue for m in c.mentions})
    score = (85 if varied else 70) + min(10, 2 * len(c.documents))
    return _make("same_as", "same_as", (a, b), mentions, reason, score, label_hint=hint)
