"""Who said it, and when: quotes with their speaker and the date of the statement.

A quote is a run of at least six words between quotation marks (curly or straight). Its
speaker is the name nearest to it in its sentence, outside the quotation marks, that a verb
of saying goes with ("Garneau had stated", "said Garneau"); a pronoun
("he added") takes the last name of a person before the sentence. Its date is a date, weekday
or relative date of its sentence outside the quotation marks, else of the sentence before
("Already last October… At the time, Garneau had stated “…”"), resolved against the
article's published day (`app.reconcile.facts`).

The same words (rapidfuzz partial ratio at least 90 on folded text) quoted in two related
articles are a finding when the speakers differ (different surnames) or when the dates are
known in both and disagree on a month or a year they both give.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz

from app.reconcile.conflicts import Finding, mention
from app.reconcile.entities import NameMention, name_mentions
from app.reconcile.facts import PLACE_CUES, Fact, facts, tokens
from app.text.fold import fold
from app.text.sentences import Sentence, SentencesByDoc

MIN_WORDS = 6
_QUOTE = re.compile(r"“([^”\n]+)”?|\"([^\"\n]+)\"")
_SPEECH = r"(?:said|says|say|stated|states|told|tells|added|adds|wrote|writes|asked|asks|continued|announced|declared)"
_SPOKE_AFTER = re.compile(rf"^\W*(?:\w+\W+){{0,3}}?{_SPEECH}\b", re.IGNORECASE)  # "Garneau had stated"
_SPOKE_BEFORE = re.compile(rf"\b(?:{_SPEECH}|according to)\W+(?:\w+\W+)?$", re.IGNORECASE)  # "said Garneau"
_PRONOUN = re.compile(r"\b(?:he|she|they)\s+(?:said|added|stated|told|wrote|asked|continued|says)\b", re.IGNORECASE)
Ymd = tuple[int | None, int | None, int | None]


@dataclass(frozen=True)
class Quote:
    doc: int
    start: int  # the quoted words, without the marks
    end: int
    sentence: Sentence
    folded: str
    speaker: str  # name key, "" when unknown
    speaker_text: str
    when: Ymd | None
    when_text: str


def quotes(doc: int, text: str, published: dt.date | None, sentences: list[Sentence]) -> list[Quote]:
    """Every quote of six words or more in one article, with its speaker and date."""
    names = name_mentions(doc, text)
    found = []
    for m in _QUOTE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        start, end = m.start(group), m.end(group)
        if len(text[start:end].split()) < MIN_WORDS:
            continue
        n = next((k for k, s in enumerate(sentences) if s.start <= start < s.end), None)
        if n is None:
            continue
        sentence = sentences[n]
        speaker = _speaker(text, names, sentence, (m.start(), m.end()))
        if speaker is None and n + 1 < len(sentences) and m.end() >= sentence.end - 1:
            follow = sentences[n + 1]  # "“… Fatherland.” Volkov said": the splitter cut after the quote
            speaker = _speaker(text, names, Sentence(follow.start, min(follow.end, follow.start + 60)), (0, 0))
        when = _date(text, sentence, (m.start(), m.end()), published)
        if when is None and n > 0:
            when = _date(text, sentences[n - 1], (m.start(), m.end()), published)
        speaker_key, speaker_text = speaker if speaker else ("", "")
        ymd, when_text = when if when else (None, "")
        found.append(Quote(doc, start, end, sentence, fold(text[start:end]), speaker_key, speaker_text, ymd, when_text))
    return found


def quote_conflicts(
    texts: Mapping[int, str],
    related: set[tuple[int, int]],
    days: Mapping[int, dt.date | None],
    sentences: SentencesByDoc,
) -> list[Finding]:
    """Findings for the same words attributed to different people or dated differently."""
    by_doc = {doc: quotes(doc, text, days.get(doc), sentences[doc]) for doc, text in sorted(texts.items())}
    out: list[Finding] = []
    for a, b in combinations(sorted(by_doc), 2):
        if (a, b) not in related:
            continue
        for x in by_doc[a]:
            for y in by_doc[b]:
                if not _same_words(x.folded, y.folded):
                    continue
                finding = _compare(texts, x, y)
                if finding is not None:
                    out.append(finding)
    return out


def _compare(texts: Mapping[int, str], x: Quote, y: Quote) -> Finding | None:
    words = " ".join(texts[x.doc][x.start : x.end].split()[:6]) + "…"
    if x.speaker and y.speaker and x.speaker.split()[-1] != y.speaker.split()[-1]:
        why = f"quote attributed to different people: ‘{words}’ {x.speaker_text} / {y.speaker_text}"
        value_x, value_y = x.speaker, y.speaker
    elif x.when and y.when and _dates_differ(x.when, y.when):
        why = f"quote dated differently: ‘{words}’ {x.when_text} / {y.when_text}"
        value_x, value_y = "-".join(map(str, x.when)), "-".join(map(str, y.when))
    else:
        return None
    said_x = f"{x.speaker_text or 'unknown speaker'}, {x.when_text or 'undated'}"
    said_y = f"{y.speaker_text or 'unknown speaker'}, {y.when_text or 'undated'}"
    mx = mention(texts[x.doc], x.doc, (x.sentence.start, x.sentence.end), x.start, x.end, value_x, said_x)
    my = mention(texts[y.doc], y.doc, (y.sentence.start, y.sentence.end), y.start, y.end, value_y, said_y)
    return ("quote", "contradicts", mx, my, why, 70.0, False)


def _same_words(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return len(short.split()) >= MIN_WORDS and fuzz.partial_ratio(short, long) >= 90


def _dates_differ(a: Ymd, b: Ymd) -> bool:
    """Differ on a year or a month that both give."""
    return any(p is not None and q is not None and p != q for p, q in zip(a[:2], b[:2], strict=True))


def _outside(text: str, sentence: Sentence, quote: tuple[int, int]) -> list[tuple[int, int]]:
    """The parts of a sentence outside one quote (other quotes in it are cut too)."""
    parts, at = [], sentence.start
    for m in _QUOTE.finditer(text, sentence.start, sentence.end):
        parts.append((at, m.start()))
        at = m.end()
    parts.append((at, sentence.end))
    return [(s, e) for s, e in parts if e > s and not (s >= quote[0] and e <= quote[1])]


def _speaker(text: str, names: list[NameMention], sentence: Sentence, quote: tuple[int, int]) -> tuple[str, str] | None:
    parts = _outside(text, sentence, quote)
    inside = [
        m
        for m in names
        if any(s <= m.start and m.end <= e for s, e in parts)
        and (
            _SPOKE_AFTER.search(text[m.end : m.end + 40]) or _SPOKE_BEFORE.search(text[max(0, m.start - 30) : m.start])
        )
        and m.cue not in PLACE_CUES  # "speaking in Istanbul, said": a place speaks not
    ]
    if inside:
        best = min(inside, key=lambda m: min(abs(m.start - quote[1]), abs(quote[0] - m.end)))
        return best.key, best.text
    if any(_PRONOUN.search(text, s, e) for s, e in parts):
        before = [m for m in names if m.end <= sentence.start and len(m.key.split()) >= 2]
        if before:
            return before[-1].key, before[-1].text
    return None


def _date(text: str, sentence: Sentence, quote: tuple[int, int], published: dt.date | None) -> tuple[Ymd, str] | None:
    for s, e in _outside(text, sentence, quote):
        found: list[Fact] = [
            f for f in facts(text, tokens(text, s, e), s, e, published) if f.kind in ("date", "weekday")
        ]
        for f in found:
            ymd = f.when if f.kind == "weekday" else f.value
            if isinstance(ymd, tuple) and (f.kind == "date" or ymd is not None):
                return ymd, f.label
    return None
