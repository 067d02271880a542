"""Align passages across articles: verbatim quotes, near-copies and paraphrases.

Each article is split into sentences (`app.text.sentences`) and folded
(`app.text.fold.fold`: case and diacritics off, one character per character,
so offsets survive). Candidate pairs come from blocking: two sentences of
different articles are compared only if they share at least two content
stems (first five letters of a non-stop word, or a whole number) that are not
in a large share of all sentences. Each candidate gets:

- near-copy evidence (rapidfuzz, C): `fuzz.ratio` of the folded sentences, and
  `fuzz.partial_ratio` for a quote inside a longer sentence (discounted when
  the shorter side is short, so "he said." matches nothing);
- paraphrase evidence: the content stems compared as a bag (Dice, each stem
  weighted by its rarity across the sentences) and in order (rapidfuzz's
  Indel similarity over the stem sequences), averaged.

The score is the near-copy score when it reaches 75, else 20 + 100 × the
paraphrase evidence when the pair shares a name or a number (else without
the 20). A pair is also tried with the next or previous sentence merged on
either side (copies often merge or split sentences) and keeps its best form.
Pairs at or above `threshold` are kept; per pair of articles each passage
takes part in at most two alignments, strongest first, and overlapping
duplicates are dropped.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from app.text.clip import Texts, clip, format_pairs
from app.text.fold import fold
from app.text.sentences import Sentence, SentencesByDoc, sentences_by_doc, word_set
from app.text.worddiff import diff_words

if TYPE_CHECKING:
    from app.storage.project import Project

Kind = Literal["verbatim", "near-copy", "paraphrase"]
DEFAULT_THRESHOLD = 60.0
QUOTE_WORDS = 8  # a shared run of this many words is a quote
LEAD = 2  # sentences 0-2 (a headline, a dateline, the lead) open an article


STOPWORDS = word_set(
    "a about above after again against all also am an and any are as at be because been before being "
    "below between both but by can could did do does doing down during each either few for from further "
    "had has have having he her here hers him his how however i if in into is it its itself just me more "
    "most my no nor not now of off on once only or other our out over own same she should so some such "
    "than that the their them then there these they this those through to too under until up very was we "
    "were what when where which while who whom why will with would you your said says say told stated "
    "added according one new s t"
)
_WORD = re.compile(r"[^\W_]+")
_NAME = re.compile(r"[^\W\d_][\w'’.\-]*")
_NUMBER = re.compile(r"[^\W_]*\d+(?:[.,:]\d+)*[^\W_]*")


@dataclass(frozen=True)
class Alignment:
    doc_a: int
    start_a: int
    end_a: int
    doc_b: int
    start_b: int
    end_b: int
    score: float  # 0-100
    kind: Kind
    reason: str


@dataclass(frozen=True)
class _Passage:
    doc: int
    first: int  # sentence indices first..last, inclusive
    last: int
    start: int
    end: int
    folded: str
    stems: tuple[str, ...]
    stem_set: frozenset[str]
    names: Mapping[str, str]  # folded name -> surface form
    numbers: frozenset[str]
    words: Mapping[str, str]  # stem -> first surface word


def align_documents(
    project: Project, doc_ids: Iterable[int] | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[Alignment]:
    """Alignments between the given documents of a project (all of them by default)."""
    ids = list(doc_ids) if doc_ids is not None else [d.id for d in project.documents()]
    return align_texts({doc: project.text(doc) for doc in ids}, threshold=threshold)


def align_texts(
    by_id: Texts, threshold: float = DEFAULT_THRESHOLD, sentences: SentencesByDoc | None = None
) -> list[Alignment]:
    """Alignments between texts keyed by document id, sorted by (doc_a, start_a, doc_b, start_b);
    `sentences`: the texts' sentences when the caller has split them already."""
    texts = {int(doc): text for doc, text in by_id.items()}
    split = sentences if sentences is not None else sentences_by_doc(texts)
    passages = {doc: _passages(doc, text, split[doc]) for doc, text in sorted(texts.items())}
    counts = Counter(stem for ps in passages.values() for p in ps for stem in set(p.stems))
    total = max(1, sum(len(ps) for ps in passages.values()))
    weight = {stem: math.log(1 + total / n) for stem, n in counts.items()}
    found: list[Alignment] = []
    merged: dict[tuple[int, int, int], _Passage] = {}
    by_pair: defaultdict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for x, y in _candidates(passages, counts, total):
        by_pair[(x.doc, y.doc)].append((x.first, y.first))
    for (doc_a, doc_b), pairs in sorted(by_pair.items()):
        scored = [
            _best_form(passages[doc_a], passages[doc_b], i, j, (texts, weight, merged), threshold)
            for i, j in sorted(pairs)
        ]
        found += _select([s for s in scored if s is not None and s[0] >= threshold], texts, weight)
    return sorted(found, key=lambda a: (a.doc_a, a.start_a, a.doc_b, a.start_b, a.end_a, a.end_b))


def format_alignments(alignments: Sequence[Alignment], by_id: Texts | None = None) -> str:
    """One line per alignment (plus both quotes when texts are given), for the CLI."""
    return format_pairs(
        alignments,
        lambda a: (
            f"{a.doc_a}:{a.start_a}-{a.end_a}\t{a.doc_b}:{a.start_b}-{a.end_b}\t{a.score:.0f}\t{a.kind}\t{a.reason}"
        ),
        by_id,
    )


# Words news reports use for one event, one stem each, so paraphrased leads share them
# ("killing 1,000" / "1,000 people have died"; "earthquake" / "temblor"). General news
# vocabulary, not any one story's.
SAME_EVENT = {
    stem: group
    for group, stems in {
        "~die": "kille killi died dies dead death fatal perish",
        "~injure": "injur wound hurt",
        "~quake": "earth quake tembl tremo seism",
        "~hit": "struc strik shook jolts jolte rocke",
        "~arrest": "arres detai",
        "~protest": "prote demon rally ralli",
        "~stop": "cance revok halte halts block banne stopp",
        "~police": "polic cops",
    }.items()
    for stem in stems.split()
}
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")


def content_stems(folded: str) -> list[str]:
    """Content stems of folded text, in order: numbers whole ("1,000" = "1000"), words cut to
    five letters, words for one kind of event as one stem (`SAME_EVENT`)."""
    return [
        SAME_EVENT.get(w[:5], w[:5]) if w.isalpha() else w
        for w in _WORD.findall(_THOUSANDS.sub("", folded))
        if w not in STOPWORDS and (len(w) > 1 or w.isdigit())
    ]


def _passages(doc: int, text: str, sentences: list[Sentence]) -> list[_Passage]:
    folded = fold(text)
    midsentence = {
        m.group()
        for m in _NAME.finditer(text)
        if m.group()[0].isupper() and m.start() > 0 and text[m.start() - 1] not in ".\n\"“‘'"
    }
    return [
        _passage(doc, (i, i), (s.start, s.end), text[s.start : s.end], folded[s.start : s.end], midsentence)
        for i, s in enumerate(sentences)
    ]


def _passage(
    doc: int, sentences: tuple[int, int], where: tuple[int, int], original: str, segment: str, midsentence: set[str]
) -> _Passage:
    """Features of one passage; a capitalised first word is a name only if seen so mid-sentence."""
    names: dict[str, str] = {}
    for n, m in enumerate(_NAME.finditer(original)):
        word = m.group().rstrip(".’'-")
        key = segment[m.start() : m.start() + len(word)]  # folding keeps offsets
        if word[0].isupper() and key not in STOPWORDS and (n > 0 or word in midsentence):
            names.setdefault(key, word)
    words: dict[str, str] = {}
    for m in _WORD.finditer(segment):
        words.setdefault(m.group()[:5] if m.group().isalpha() else m.group(), original[m.start() : m.end()])
    numbers = frozenset(_THOUSANDS.sub("", n) for n in _NUMBER.findall(segment))  # "1,000" = "1000"
    stems = content_stems(segment)
    return _Passage(doc, *sentences, *where, segment, tuple(stems), frozenset(stems), names, numbers, words)


def _candidates(
    passages: Mapping[int, list[_Passage]], counts: Counter[str], total: int
) -> list[tuple[_Passage, _Passage]]:
    """Pairs from different documents sharing two stems that are not everywhere (blocking)."""
    cap = max(30, total // 10)
    postings: defaultdict[str, list[_Passage]] = defaultdict(list)
    for ps in passages.values():
        for p in ps:
            for stem in set(p.stems):
                if counts[stem] <= cap:
                    postings[stem].append(p)
    shared: Counter[tuple[int, int, int, int]] = Counter()
    for group in postings.values():
        for x, y in combinations(group, 2):
            if x.doc != y.doc:
                shared[(x.doc, x.first, y.doc, y.first)] += 1
    index = {(p.doc, p.first): p for ps in passages.values() for p in ps}
    return [(index[(a, i)], index[(b, j)]) for (a, i, b, j), n in shared.items() if n >= 2]


_Context = tuple[Mapping[int, str], Mapping[str, float], dict[tuple[int, int, int], _Passage]]


def _best_form(
    side_a: list[_Passage], side_b: list[_Passage], i: int, j: int, context: _Context, threshold: float
) -> tuple[float, _Passage, _Passage] | None:
    """The pair's score, or a better one with a neighbouring sentence merged in on one side."""
    texts, weight, cache = context
    x, y = side_a[i], side_b[j]
    best = (_score(x, y, weight), x, y)
    if best[0] < threshold - 20:
        return None
    for xs, ys in (((i, i + 1), (j, j)), ((i - 1, i), (j, j)), ((i, i), (j, j + 1)), ((i, i), (j - 1, j))):
        if min(*xs, *ys) < 0 or xs[1] >= len(side_a) or ys[1] >= len(side_b):
            continue
        mx, my = _merge(side_a, xs, texts, cache), _merge(side_b, ys, texts, cache)
        score = _score(mx, my, weight)
        if score > best[0] + 2:  # merging must clearly help
            best = (score, mx, my)
    return best


def _merge(
    side: list[_Passage], span: tuple[int, int], texts: Mapping[int, str], cache: dict[tuple[int, int, int], _Passage]
) -> _Passage:
    first, last = side[span[0]], side[span[1]]
    if first is last:
        return first
    key = (first.doc, first.first, last.last)
    if key not in cache:
        original = texts[first.doc][first.start : last.end]
        merged = _passage(first.doc, (first.first, last.last), (first.start, last.end), original, fold(original), set())
        cache[key] = replace(merged, names={**last.names, **first.names})
    return cache[key]


def _score(x: _Passage, y: _Passage, weight: Mapping[str, float]) -> float:
    common = x.stem_set & y.stem_set
    if not common:
        return 0.0
    mass = sum(weight[s] for s in common)
    dice = 2 * mass / (sum(weight[s] for s in x.stem_set) + sum(weight[s] for s in y.stem_set))
    paraphrase = 50 * (dice + Indel.normalized_similarity(x.stems, y.stems))
    if x.names.keys() & y.names.keys() or x.numbers & y.numbers:
        paraphrase += 20
        if x.first <= LEAD and y.first <= LEAD:
            paraphrase += 4  # both leads: news tells the main event first, in its own words
    near = 0.0
    if len(common) >= 0.6 * min(len(x.stem_set), len(y.stem_set)):
        near = fuzz.ratio(x.folded, y.folded, score_cutoff=75)
        shorter, longer = sorted((len(x.folded), len(y.folded)))
        if near < 75 and shorter >= 30 and shorter < 0.85 * longer:  # a quote inside a longer sentence
            near = fuzz.partial_ratio(x.folded, y.folded, score_cutoff=75) * min(1.0, shorter / 80)
    return round(min(100.0, near if near >= 75 else paraphrase), 1)


def _select(
    scored: list[tuple[float, _Passage, _Passage]], texts: Mapping[int, str], weight: Mapping[str, float]
) -> list[Alignment]:
    """Strongest first; drop overlapping duplicates; each passage in at most two alignments."""
    kept: list[tuple[_Passage, _Passage]] = []
    uses: Counter[tuple[int, int]] = Counter()
    out = []
    for score, x, y in sorted(scored, key=lambda s: (-s[0], s[1].start, s[2].start)):
        if any(_overlaps(x, kx) and _overlaps(y, ky) for kx, ky in kept):
            continue
        keys = [(0, k) for k in range(x.first, x.last + 1)] + [(1, k) for k in range(y.first, y.last + 1)]
        if any(uses[k] >= 2 for k in keys):
            continue
        uses.update(keys)
        kept.append((x, y))
        out.append(_alignment(score, x, y, texts, weight))
    return out


def _overlaps(p: _Passage, q: _Passage) -> bool:
    return p.start < q.end and q.start < p.end


def _alignment(
    score: float, x: _Passage, y: _Passage, texts: Mapping[int, str], weight: Mapping[str, float]
) -> Alignment:
    text_a, text_b = texts[x.doc][x.start : x.end], texts[y.doc][y.start : y.end]
    run = _longest_shared_run(text_a, text_b)
    kind: Kind
    if run[1] >= QUOTE_WORDS:
        kind, why = "verbatim", f"shares quote '{clip(text_a[run[0][0] : run[0][1]], 60)}'"
    elif score >= 75 and fuzz.ratio(x.folded, y.folded) >= 75:
        kind, why = "near-copy", f"near-copy ({fuzz.ratio(x.folded, y.folded):.0f}% of characters shared)"
    else:
        common = sorted(set(x.stems) & set(y.stems), key=lambda s: (-weight.get(s, 1.0), s))
        words = [x.words[s] for s in common if s in x.words and not s.isdigit() and fold(x.words[s]) not in x.names][:5]
        kind, why = "paraphrase", "shares words: " + ", ".join(words) if words else "paraphrase"
    names = [x.names[k] for k in sorted(x.names.keys() & y.names.keys())]
    numbers = sorted(x.numbers & y.numbers)
    parts = [why] + ([f"same names: {', '.join(names)}"] if names else [])
    parts += [f"same numbers: {', '.join(numbers)}"] if numbers else []
    return Alignment(x.doc, x.start, x.end, y.doc, y.start, y.end, score, kind, "; ".join(parts))


def _longest_shared_run(a: str, b: str) -> tuple[tuple[int, int], int]:
    """Range in `a` of the longest run of words also in `b` (case and accents ignored), and its length."""
    best: tuple[tuple[int, int], int] = ((0, 0), 0)
    for op in diff_words(a, b, ignore_case_and_accents=True):
        if op.op == "equal":
            count = len(_WORD.findall(a[op.a_start : op.a_end]))
            if count > best[1]:
                best = ((op.a_start, op.a_end), count)
    return best
