"""Ordered upgrade steps: MIGRATIONS[v] brings a version-v file to v + 1.

Each step runs inside the caller's exclusive transaction. Steps are frozen
history: never edit one that has shipped; add the next instead. A test fails
if schema.sql's version has no chain of steps reaching it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from app.text.fold import fold


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Version 2 added dispute review and the folded full-text index."""
    conn.execute(
        "CREATE TABLE review_session (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
        " name TEXT NOT NULL, reviewer TEXT NOT NULL,"
        " scope TEXT NOT NULL DEFAULT '{}',"
        " created_at TEXT NOT NULL, closed_at TEXT) STRICT"
    )
    conn.execute(
        "CREATE TABLE verdict (id INTEGER PRIMARY KEY,"
        " session_id INTEGER NOT NULL REFERENCES review_session (id),"
        " link_id INTEGER NOT NULL REFERENCES link (id),"
        " decision TEXT NOT NULL CHECK (decision IN ('conflict_confirmed', 'not_a_conflict',"
        " 'first_source_right', 'second_source_right', 'both_wrong', 'undetermined')),"
        " rationale TEXT NOT NULL DEFAULT '', decided_at TEXT NOT NULL,"
        " UNIQUE (session_id, link_id)) STRICT"
    )
    conn.execute(
        "CREATE TABLE verdict_evidence (verdict_id INTEGER NOT NULL REFERENCES verdict (id),"
        " span_id INTEGER NOT NULL REFERENCES span (id), PRIMARY KEY (verdict_id, span_id)) STRICT"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE document_search USING fts5 (title, text, tokenize = 'unicode61 remove_diacritics 2')"
    )
    rows = conn.execute("SELECT id, title, text FROM document").fetchall()
    conn.executemany(
        "INSERT INTO document_search (rowid, title, text) VALUES (?, ?, ?)",
        [(doc_id, fold(title), fold(text)) for doc_id, title, text in rows],
    )


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Version 3 added project settings and adjudication decisions."""
    conn.execute("CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT")
    conn.execute(
        "CREATE TABLE adjudication (id INTEGER PRIMARY KEY, document_uuid TEXT NOT NULL,"
        " item TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('accepted', 'rejected')),"
        " decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, UNIQUE (document_uuid, item)) STRICT"
    )


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """Version 4 added events (groups of articles on one happening)."""
    conn.execute("CREATE TABLE event (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL) STRICT")
    conn.execute(
        "CREATE TABLE event_member (document_uuid TEXT PRIMARY KEY,"
        " event_id INTEGER NOT NULL REFERENCES event (id)) STRICT"
    )
    conn.execute("CREATE INDEX event_member_by_event ON event_member (event_id)")


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    """Version 5 added the document list's covering index (its first screen without reading the texts)."""
    conn.execute("CREATE INDEX document_listing ON document (published IS NULL, published, id, title, source)")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
}
