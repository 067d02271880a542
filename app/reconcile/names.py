"""Names in a passage: role phrases with the names they introduce ("Canadian foreign minister
Marc Garneau"), capitalised name runs, and a PERSON / ORG / LOCATION guess for an entity."""

from __future__ import annotations

from collections.abc import Iterator

from app.reconcile.align import STOPWORDS
from app.reconcile.facts import PLACE_CUES, WEEKDAYS, Tok, is_word, month_names
from app.text.sentences import word_set


def capitalised(t: Tok) -> bool:
    return t.text[0].isupper() and t.key not in STOPWORDS


ROLE_NOUNS = word_set(
    "minister secretary president chancellor premier governor senator mayor spokesman spokeswoman spokesperson"
    " ambassador director chief ceo chairman chairwoman chair leader general commander judge prosecutor envoy"
    " king queen prince princess pope head deputy lawmaker congressman congresswoman colonel captain"
    " lieutenant officer professor coach manager founder owner chairperson editor"
)
TITLES = word_set("mr mrs ms dr sir dame lord lady")
ORG_WORDS = word_set(
    "ministry department agency company corp corporation inc ltd group party council committee bank"
    " university news times post agency office army forces government commission association union fund"
    " institute foundation court parliament congress senate"
)
_PARTICLES = word_set("de van von der den bin al da di du la le el")
_MONTHS = month_names()
_NOT_NAMES = WEEKDAYS | _MONTHS | ROLE_NOUNS  # capitalised, yet no one's name


def name_run(run: list[Tok]) -> bool:
    return 0 < len(run) <= 4 and all(capitalised(t) and t.key not in _NOT_NAMES for t in run)


def role_names(toks: list[Tok]) -> Iterator[tuple[str, list[Tok]]]:
    for i, t in enumerate(toks[:-1]):
        if t.key not in ROLE_NOUNS or not capitalised(toks[i + 1]) or toks[i + 1].key in ROLE_NOUNS:
            continue
        name = [toks[i + 1]]
        for u in toks[i + 2 : i + 5]:
            if not (capitalised(u) or u.key in _PARTICLES) or u.start > name[-1].end + 1:
                break
            name.append(u)
        role = [t]
        for u in reversed(toks[max(0, i - 3) : i]):
            if not is_word(u) or u.key in STOPWORDS or u.end < role[0].start - 1:
                break
            role.insert(0, u)
        if len(role) >= 2:
            yield " ".join(u.key for u in role), name


def entity_label(key: str, cues: set[str]) -> str:
    words = key.split()
    if cues & (ROLE_NOUNS | TITLES) or (
        len(words) <= 3 and all(w.isalpha() for w in words) and not set(words) & ORG_WORDS and not cues & PLACE_CUES
    ):
        return "PERSON"
    return "LOCATION" if cues & PLACE_CUES and not set(words) & ORG_WORDS else "ORG"
