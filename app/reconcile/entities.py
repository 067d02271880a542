"""Entity clusters across all articles: every name mention, grouped by the entity it names.

A mention is a run of one to four capitalised words (role words and titles in front cut off:
"Foreign Minister Marc Garneau" gives "Marc Garneau"). A capitalised word opening a sentence
counts only if the same word is capitalised mid-sentence somewhere; a word that also occurs in
lower case ("church", "police") and a one-word demonym used as an adjective ("Canadian
technology") are not names.

Mentions are keyed by a spelling-blind key (`name_key`): transliterated to ASCII (`anyascii`:
"Çavuşoğlu" = "Cavusoglu"), lower case, possessive dropped, dots in acronyms dropped ("U.N." =
"UN"), hyphens as spaces. Keys are then joined (union-find) when

- one is the other's trailing words and the words in front are rare, as given names are
  ("Garneau" / "Marc Garneau", "Karabakh" / "Nagorno-Karabakh"; not "Canada" / "Global Affairs
  Canada"), and no other cluster ends the same way;
- an acronym stands for words of the other ("UN" / "United Nations", "Occupy LA" / "Occupy Los
  Angeles");
- the same three or more words in another order ("Culture and Information Department");
- a word differs by a typo (rapidfuzz ratio at least 85) and both spellings are rare words
  (`wordfreq` Zipf frequency under 4, so common words never match) and neither is the other
  plus a suffix ("Azerbaijani" is not a typo of "Azerbaijan").

`entity_clusters` returns the clusters named in two or more documents, for
`app.reconcile.suggest` to turn into one same_as suggestion each.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from app.reconcile.align import STOPWORDS
from app.reconcile.facts import WEEKDAYS, Tok, month_names, tokens
from app.reconcile.names import ORG_WORDS, ROLE_NOUNS, TITLES
from app.reconcile.unionfind import find_root

MAX_WORDS = 4
RARE = 4.0  # Zipf frequency: "karabakh" 2.6, "elena" 3.8, "canada" 5.0, "church" 5.2
GIVEN_NAME = 4.6  # leading words this rare may be dropped for a short form ("marc" 4.0, "andrew" 4.6)
_EXTRA_TITLES = frozenset(
    ["cmdr", "commander", "patriarch", "honourable", "honorable", "inspector", "sgt", "gen", "col", "lt", "capt"]
)
_DEMONYM = re.compile(r"(?:ian|ish|ese|ani|eli|ean|ic)$")
_PLURAL_DEMONYM = re.compile(r"(?:ians|eans|ans|ese|is)$")
_ACRONYM_PLURAL = re.compile(r"[A-Z][A-Z0-9]+s")


@dataclass(frozen=True)
class NameMention:
    """One name as written in one document."""

    doc: int
    start: int
    end: int
    text: str
    key: str  # `name_key(text)`
    cue: str  # the folded word before it ("in", "minister", …)


@dataclass(frozen=True)
class Cluster:
    """One entity: its mentions in every document, first occurrence of each spelling per document."""

    key: str  # the longest key, naming the cluster
    mentions: tuple[NameMention, ...]

    @property
    def documents(self) -> frozenset[int]:
        return frozenset(m.doc for m in self.mentions)

    @property
    def spellings(self) -> frozenset[str]:
        return frozenset(m.text for m in self.mentions)


def name_key(text: str) -> str:
    """Spelling-blind key of a name: "Mevlüt Çavuşoğlu's" and "MEVLUT CAVUSOGLU" give "mevlut cavusoglu"."""
    ascii_text = anyascii(text).lower()
    ascii_text = re.sub(r"['’]s$", "", ascii_text)
    ascii_text = re.sub(r"(?<=\w)\.(?=\w|$)|(?<=\s)\.|^\.", "", ascii_text).replace(".", "")
    return " ".join(re.sub(r"[-‐–_/]", " ", ascii_text).split())


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common an English word is (0 = unknown, 7 = "the"), from `wordfreq`'s shipped lists."""
    return float(zipf_frequency(word, "en"))


def entity_clusters(texts: Mapping[int, str]) -> list[Cluster]:
    """Clusters of name mentions that span two or more documents, largest spread first."""
    found = [m for doc, text in sorted(texts.items()) for m in name_mentions(doc, text, texts)]
    lower_words = {w for text in texts.values() for w in re.findall(r"(?<![\w.])[a-z][a-z'’\-]+", text)}
    by_key: defaultdict[str, list[NameMention]] = defaultdict(list)
    for m in found:
        if m.key and not _common_word(m, lower_words):
            by_key[m.key].append(m)
    parent = {k: k for k in by_key}
    plural_acronyms = frozenset(m.key for m in found if _ACRONYM_PLURAL.fullmatch(m.text))
    for a, b in _joins(list(by_key), plural_acronyms):
        parent[find_root(parent, a)] = find_root(parent, b)
    grouped: defaultdict[str, list[NameMention]] = defaultdict(list)
    for key, ms in by_key.items():
        grouped[find_root(parent, key)].extend(ms)
    clusters = []
    for ms in grouped.values():
        if len({m.doc for m in ms}) < 2:
            continue
        first: dict[tuple[int, str], NameMention] = {}
        for m in sorted(ms, key=lambda m: (m.doc, m.start)):
            first.setdefault((m.doc, m.text), m)
        count = {k: sum(m.key == k for m in ms) for k in {m.key for m in ms}}
        # the fullest name, most often written, in its best-known spelling (a typo is unknown)
        name = max(count, key=lambda k: (len(k.split()), count[k], sum(map(zipf, k.split())), k))
        clusters.append(Cluster(name, tuple(first.values())))
    return sorted(clusters, key=lambda c: (-len(c.documents), -len(c.spellings), c.key))


def name_mentions(doc: int, text: str, corpus: Mapping[int, str] | None = None) -> list[NameMention]:
    """Every name mention in one text (see the module docstring for what counts)."""
    toks = _split_compounds(tokens(text, 0, len(text)))
    midsentence = _midsentence_words(corpus or {doc: text})
    found = []
    i = 0
    while i < len(toks):
        if not _name_word(toks[i]):
            i += 1
            continue
        j = i + 1
        while True:
            while (
                j < len(toks)
                and _name_word(toks[j])
                and text[toks[j - 1].end : toks[j].start] in (" ", "\xa0")
                and not _possessive(toks[j - 1])
            ):
                j += 1
            if not _joined_by_connector(text, toks, j):
                break
            j += 2
        found.extend(_mention(doc, text, toks, i, j, midsentence))
        i = j
    return found


def _mention(doc: int, text: str, toks: list[Tok], i: int, j: int, midsentence: frozenset[str]) -> list[NameMention]:
    run = toks[i:j]
    titles = ROLE_NOUNS | TITLES | _EXTRA_TITLES
    roles = [k for k, t in enumerate(run) if t.key in titles]
    cut = roles[-1] + 1 if roles else 0
    while cut < len(run) and run[cut].key in ("of", "and"):
        cut += 1  # "Head of Information and Culture Department": the name starts after the role
    run = run[cut:]
    words = [t for t in run if t.key not in ("of", "and")]
    if not run or len(words) > MAX_WORDS or (j - i) > MAX_WORDS + 4:
        return []  # a headline in title case, not a name
    opens_sentence = cut == 0 and _opens_sentence(text, run[0].start)
    rare_first = zipf(run[0].key) < 3.7 and len(run) > 1  # "Bilal Karimi, a spokesman": a given name
    if opens_sentence and run[0].key not in midsentence and not rare_first:
        run = run[1:]  # "Police managed", "Those suspensions": the first word is not a name
        if not run:
            return []
    after = toks[i + cut + len(run)] if i + cut + len(run) < len(toks) else None
    if len(run) == 1 and _DEMONYM.search(run[0].key) and after is not None and after.text[0].isalpha():
        return []  # "Canadian technology", "Turkish Foreign Minister"
    start, end = run[0].start, run[-1].end
    if re.search(r"\w\.\w$", text[start:end]) and text[end : end + 1] == ".":
        end += 1  # "U.N." keeps its last dot
    if text[start:end].endswith(("'s", "’s")):
        end -= 2  # the name without its possessive
    surface = text[start:end]
    if len(run) == 1 and _PLURAL_DEMONYM.search(run[0].key):
        return []  # "Armenians", "Canadians": people of a place, not one entity
    cue = toks[i + cut - 1].key if i + cut > 0 else ""
    return [NameMention(doc, start, end, surface, name_key(surface), cue)]


def spelling_differences(spellings: list[str]) -> list[str]:
    """How the spellings of one entity differ, for a reason: "accents", "case", "dots", …"""
    found: list[str] = []
    longest = max(spellings, key=len)
    for other in spellings:
        if other == longest:
            continue
        a, b = longest, other
        checks = (
            ("accents", anyascii(a) != a or anyascii(b) != b),
            ("case", (a.lower() != a and a.lower() == b.lower()) or a.isupper() != b.isupper()),
            ("hyphens", ("-" in a) != ("-" in b) and name_key(a) == name_key(b)),
            ("dots", ("." in a) != ("." in b)),
            ("short form", len(name_key(b).split()) < len(name_key(a).split())),
        )
        hits = [word for word, hit in checks if hit]
        if not hits and name_key(a) != name_key(b):
            hits = ["acronym" if len(name_key(b)) <= 5 < len(name_key(a)) else "typo"]
        found += [h for h in hits if h not in found]
    return found


def _joined_by_connector(text: str, toks: list[Tok], j: int) -> bool:
    """ "Department of National Defence", "Information and Culture Department": "of" joins two
    capitalised runs; "and" only when the name ends in an organisation word (not "Canada and Turkey")."""
    if j + 1 >= len(toks) or toks[j].key not in ("of", "and") or not _name_word(toks[j + 1]):
        return False
    if text[toks[j - 1].end : toks[j].start] != " " or text[toks[j].end : toks[j + 1].start] != " ":
        return False
    if toks[j].key == "of":
        return True
    k = j + 1
    while k + 1 < len(toks) and _name_word(toks[k + 1]) and text[toks[k].end : toks[k + 1].start] == " ":
        k += 1
    return toks[k].key in ORG_WORDS


def _possessive(t: Tok) -> bool:
    return t.text.endswith(("'s", "’s"))


def _split_compounds(toks: list[Tok]) -> list[Tok]:
    """ "pro-Kremlin" gives the name "Kremlin"; "Nagorno-Karabakh" stays whole."""
    out = []
    for t in toks:
        m = re.match(r"[a-z]+-(?=[A-Z])", t.text)
        if m and t.text[0].islower():
            cut = m.end()
            out.append(Tok(t.start + cut, t.end, t.text[cut:], t.key[cut:]))
        else:
            out.append(t)
    return out


def _name_word(t: Tok) -> bool:
    return t.text[0].isupper() and t.key not in STOPWORDS | WEEKDAYS and t.key not in month_names()


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \"'“‘(")
    if before.endswith("."):  # "Cmdr. Andy Smith", "Dr. Ana Costa": a title's dot ends no sentence
        word = re.search(r"(\w+)\.$", text[max(0, start - 12) : start].rstrip(" \"'“‘("))
        if word and word.group(1).lower() in TITLES | _EXTRA_TITLES:
            return False
    return not before or before[-1] in ".!?\n:;—–-|" or start < 2


@lru_cache(maxsize=64)
def _midsentence_cache(texts: tuple[str, ...]) -> frozenset[str]:
    words = set()
    for text in texts:
        for t in tokens(text, 0, len(text)):
            if t.text[0].isupper() and not _opens_sentence(text, t.start):
                words.add(t.key)
    return frozenset(words)


def _midsentence_words(corpus: Mapping[int, str]) -> frozenset[str]:
    return _midsentence_cache(tuple(corpus[d] for d in sorted(corpus)))


def _common_word(m: NameMention, lower_words: set[str]) -> bool:
    """A one-word mention that the articles also write in lower case ("Church" / "church")."""
    return " " not in m.key and m.key in lower_words


def _joins(keys: list[str], plural_acronyms: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Pairs of keys naming one entity: short forms, acronyms, typos (see the module docstring)."""
    known = set(keys)
    joins: list[tuple[str, str]] = []
    by_tail: defaultdict[str, list[str]] = defaultdict(list)
    tails_of: defaultdict[str, set[str]] = defaultdict(set)
    for key in keys:
        words = key.split()
        for n in range(1, len(words)):
            tails_of[" ".join(words[:n])].add(" ".join(words[n:]))
    for key in keys:
        words = key.split()
        for n in range(1, len(words)):
            head = " ".join(words[:n])
            if all(zipf(w) < GIVEN_NAME for w in words[:n]) and _one_name(tails_of[head]):
                by_tail[" ".join(words[n:])].append(key)
    for short in keys:
        longer = by_tail.get(short, [])
        if longer and short not in plural_acronyms and _one_family(longer):
            joins.append((short, max(longer, key=len)))
    acronyms = {}
    for key in keys:
        if len(key.split()) >= 2:
            acronyms["".join(w[0] for w in key.split())] = key
            acronyms["".join(w if len(w) <= 2 else w[0] for w in key.split())] = key  # "US Geological Survey"
    for key in keys:
        words = key.split()
        for n, w in enumerate(words):
            if 2 <= len(w) <= 5 and w in acronyms and acronyms[w] != key:
                expanded = " ".join([*words[:n], acronyms[w], *words[n + 1 :]])
                if expanded in known:
                    joins.append((key, expanded))
    by_bag: defaultdict[tuple[str, ...], list[str]] = defaultdict(list)
    for key in keys:
        if len(key.split()) >= 3:
            by_bag[tuple(sorted(key.split()))].append(key)
    joins += [(group[0], other) for group in by_bag.values() for other in group[1:]]  # word order swapped
    joins += _typos(keys)
    return joins


def _one_name(tails: set[str]) -> bool:
    """Words in front of one name only (a given name), not a modifier of many ("Occupy …")."""
    first = min(tails)
    return all(t == first or fuzz.ratio(t, first) >= 85 for t in tails)


def _one_family(longer: list[str]) -> bool:
    """The longer names a short form could stand for are all one name ("Alexander Volkov" in
    "Cyril Alexander Volkov"), not two people sharing a surname."""
    longest = max(longer, key=len)
    return all(longest.endswith(k) for k in longer)


def _typos(keys: list[str]) -> list[tuple[str, str]]:
    by_shape: defaultdict[int, list[str]] = defaultdict(list)
    for key in keys:
        by_shape[len(key.split())].append(key)
    joins = []
    for group in by_shape.values():
        rare = [k for k in group if any(len(w) >= 5 and zipf(w) < RARE for w in k.split())]
        for n, a in enumerate(rare):
            for b in rare[n + 1 :]:
                if _typo_of(a.split(), b.split()):
                    joins.append((a, b))
    return joins


def _typo_of(a: list[str], b: list[str]) -> bool:
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differ) != 1:
        return False
    x, y = differ[0]
    if min(len(x), len(y)) < 5 or x.startswith(y) or y.startswith(x):
        return False
    return zipf(x) < RARE and zipf(y) < RARE and fuzz.ratio(x, y) >= 85
