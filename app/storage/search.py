"""Corpus search over the FTS5 index of folded titles and texts.

Folding keeps code-point length (app.text.fold), so the first highlighted
match in the folded text is at the same offset in the real text.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from contextlib import closing
from functools import cache
from typing import Any

from app.models import DocumentId, SearchHit
from app.text.fold import fold
from app.text.utf8 import of_utf8

START, STOP = "\x02", "\x03"
CONTEXT = 60


SEARCH_INSERT = "INSERT INTO document_search (rowid, title, text) VALUES (?, ?, ?)"


def search_row(doc_id: int, title: str, text: str) -> tuple[str, tuple[Any, ...]]:
    """The statement that indexes one document."""
    return SEARCH_INSERT, search_values(doc_id, title, text)


def search_values(doc_id: int, title: str, text: str) -> tuple[Any, ...]:
    """The parameters of SEARCH_INSERT for one document."""
    return (doc_id, index_text(title), index_text(text))


def index_text(text: str) -> str:
    """What the index stores: the text itself when the tokenizer folds every character
    of it as `fold` would (English, French, most Latin-script news), else `fold(text)`.

    Both keep code-point offsets, so highlights land in the real text either way; and
    a text needs no Python pass over each character, which was a third of an import.
    """
    return fold(text) if needs_folding(of_utf8(text.encode("utf-8", "surrogatepass")).odd) else text


def needs_folding(odd: bytes) -> bool:
    """Whether a text (`odd`: its odd UTF-8 bytes, app.text.utf8) has a character the tokenizer
    may read other than `fold` does, so that its index row must be `fold(text)`: a C-speed look,
    no folding yet. Its odd characters are everything outside plain ASCII, and the control
    characters (the \x02, \x03 markers of a highlight among them)."""
    odd_chars = set(odd.decode("utf-8", "surrogatepass"))
    return bool(odd_chars) and not all(map(_tokenized_alike, odd_chars))


TOKENIZER = "unicode61 remove_diacritics 2"  # as document_search is declared in schema.sql


@cache
def _tokenized_alike(char: str) -> bool:
    """Whether FTS5 reads `char` and `fold(char)` as the same tokens, asked of SQLite itself."""
    if unicodedata.category(char) == "Cc":
        return False
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = '{TOKENIZER}')")
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')")
        conn.executemany(
            "INSERT INTO t (rowid, x) VALUES (?, ?)", [(1, f"q{char}q {char}"), (2, f"q{fold(char)}q {fold(char)}")]
        )
        tokens = [conn.execute("SELECT term, col, offset FROM v WHERE doc = ?", (n,)).fetchall() for n in (1, 2)]
    return tokens[0] == tokens[1]


def fts_query(query: str) -> str:
    """User words to an FTS5 query: every word must occur; `word*` is a prefix.

    Words are quoted, so punctuation in user input is never FTS syntax. Combining
    marks are dropped, so "état" typed decomposed (e + U+0301) is still one word, "etat".
    """
    return _fts(query_terms(query))


Term = tuple[str, str]  # a folded word, and "*" if it is a prefix else ""


def query_terms(query: str) -> list[Term]:
    """The user's words, folded as the index folds them, each with its prefix star."""
    return re.findall(r"(\w+)(\*?)", _bare(query))


def _bare(text: str) -> str:
    return "".join(char for char in fold(text) if not unicodedata.combining(char))


def _fts(terms: Iterable[Term]) -> str:
    return " ".join(f'"{word}"{star}' for word, star in terms)


def search_documents(
    conn: sqlite3.Connection, query: str, limit: int, document_id: int | None = None
) -> list[SearchHit]:
    match = fts_query(query)
    if not match:
        return []
    only = "AND s.rowid = ?" if document_id is not None else ""
    found = conn.execute(
        "SELECT s.rowid, d.title, d.text, highlight(document_search, 1, ?, ?)"
        " FROM document_search s JOIN document d ON d.id = s.rowid"
        f" WHERE document_search MATCH ? {only} ORDER BY rank LIMIT ?",
        (START, STOP, match, *([document_id] if document_id is not None else []), limit),
    ).fetchall()
    return [_hit(doc_id, title, text, marked) for doc_id, title, text, marked in found]


def matching_ids(conn: sqlite3.Connection, query: str, limit: int, outlets: Outlets | None = None) -> list[DocumentId]:
    """Documents holding every word in their title, text or outlet's name, in no particular
    order: no ranking, no highlight ("devoir drone": Le Devoir's articles about drones)."""
    terms = query_terms(query)
    if not terms:
        return []
    found = _indexed(conn, terms, limit)
    groups = _outlets_by_rest(conn, terms, outlets)
    if not groups:  # no outlet named: the index's answer as it is (most keystrokes)
        return found
    ids = dict.fromkeys(found)  # DocumentId is an int: no call per row
    for rest, names in groups.items():
        if len(ids) >= limit:
            break
        # The outlets' documents off the covering index (a join to read `source` per match
        # read each document's row: 15-30 ms for "le devoir drone" on 10,000 documents).
        named = "SELECT id FROM document WHERE source IN (SELECT value FROM json_each(?))"
        theirs = [row[0] for row in conn.execute(named, (json.dumps(names),))]
        if rest:  # the words the outlet's name lacks must be in the article
            wanted = set(_indexed(conn, rest, None))
            theirs = [i for i in theirs if i in wanted]
        ids.update(dict.fromkeys(theirs))
    return list(ids)[:limit]


def _indexed(conn: sqlite3.Connection, terms: Iterable[Term], limit: int | None) -> list[DocumentId]:
    """The documents whose title or text holds every word."""
    match = "SELECT rowid FROM document_search WHERE document_search MATCH ? LIMIT ?"
    return [row[0] for row in conn.execute(match, (_fts(terms), -1 if limit is None else limit))]


class Outlets:
    """The outlets of one connection's project and the words of their names, read again only
    once the file changed (the scan is ~0.7 ms on 10,000 documents: once per keystroke else)."""

    def __init__(self) -> None:
        self._stamp: tuple[int, int] | None = None
        self._named: list[tuple[str, set[str]]] = []

    def of(self, conn: sqlite3.Connection) -> list[tuple[str, set[str]]]:
        # Another connection's commit changes data_version; this one's rows, total_changes.
        stamp = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        if stamp != self._stamp:
            names = conn.execute("SELECT DISTINCT source FROM document")
            self._named = [(name, set(re.findall(r"\w+", _bare(name)))) for (name,) in names]
            self._stamp = stamp
        return self._named


def _outlets_by_rest(
    conn: sqlite3.Connection, terms: list[Term], outlets: Outlets | None
) -> dict[tuple[Term, ...], list[str]]:
    """The outlets naming some of the words, grouped by the words their name lacks.

    Outlets are few (a handful to hundreds, read off the covering index), so their names
    are matched here rather than indexed: no schema change."""
    groups: dict[tuple[Term, ...], list[str]] = {}
    for name, words in (outlets or Outlets()).of(conn):
        rest = tuple(t for t in terms if not _named(t, words))
        if len(rest) < len(terms):
            groups.setdefault(rest, []).append(name)
    return groups


def _named(term: Term, words: set[str]) -> bool:
    word, star = term
    return word in words if not star else any(w.startswith(word) for w in words)


def _hit(doc_id: int, title: str, text: str, marked: str) -> SearchHit:
    start = marked.find(START)
    if start < 0:  # the words matched in the title only
        return SearchHit(
            document_id=DocumentId(doc_id), title=title, snippet=text[: 2 * CONTEXT], match_start=-1, match_end=-1
        )
    end = marked.find(STOP, start) - 1  # minus the one START marker before it
    left, right = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    snippet = ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
    return SearchHit(
        document_id=DocumentId(doc_id), title=title, snippet=" ".join(snippet.split()), match_start=start, match_end=end
    )
