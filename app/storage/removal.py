"""Deleting with everything that depends on it, and putting it back exactly.

`collect` gathers what a delete takes (documents bring their spans, labels
their spans, spans their links, links their verdicts); `delete_rows` removes
it; `insert_rows` restores it with the same ids, uuids and evidence order.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from app.errors import NotFound
from app.storage import rows
from app.storage.changes import Changes, Delete, Removed
from app.storage.connection import guard_of
from app.storage.search import SEARCH_INSERT, search_values


def collect(conn: sqlite3.Connection, target: Delete) -> Removed:
    """Gather the named rows and their dependants, failing if any is missing."""

    def fetch(table: str, columns: str, ids: Iterable[int], convert: Any) -> list[Any]:
        wanted = sorted(set(ids))
        found = [
            convert(r)
            for r in conn.execute(
                f"SELECT {columns} FROM {table} WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(wanted),)
            )
        ]
        missing = set(wanted) - {x.id for x in found}
        if missing:
            raise NotFound(f"{table} {min(missing)} does not exist")
        return found

    def ids_where(sql: str, keys: Sequence[int]) -> list[int]:
        return [r[0] for r in conn.execute(sql, (json.dumps(list(keys)),))]

    documents = fetch("document", rows.DOCUMENT_COLUMNS, target.documents, rows.document)
    labels = fetch("label", rows.LABEL_COLUMNS, target.labels, rows.label)
    span_ids = set(target.spans)
    span_ids |= set(
        ids_where("SELECT id FROM span WHERE document_id IN (SELECT value FROM json_each(?))", target.documents)
    )
    span_ids |= set(ids_where("SELECT id FROM span WHERE label_id IN (SELECT value FROM json_each(?))", target.labels))
    spans = fetch("span", rows.SPAN_COLUMNS, span_ids, rows.span)
    link_ids = set(target.links) | set(
        ids_where(
            "SELECT id FROM link WHERE source_span_id IN (SELECT value FROM json_each(?1))"
            " OR target_span_id IN (SELECT value FROM json_each(?1))",
            sorted(span_ids),
        )
    )
    links = fetch("link", rows.LINK_COLUMNS, link_ids, rows.link)
    verdicts = conn.execute(
        f"SELECT {rows.VERDICT_COLUMNS} FROM verdict WHERE link_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(link_ids)),),
    ).fetchall()
    evidence = conn.execute(
        "SELECT rowid, verdict_id, span_id FROM verdict_evidence WHERE span_id IN (SELECT value FROM json_each(?1))"
        " OR verdict_id IN (SELECT value FROM json_each(?2))",
        (json.dumps(sorted(span_ids)), json.dumps([v[0] for v in verdicts])),
    ).fetchall()
    return Removed(tuple(documents), tuple(labels), tuple(spans), tuple(links), tuple(verdicts), tuple(evidence))


def changes_of(removed: Removed) -> Changes:
    return Changes(
        documents=bool(removed.documents),
        labels=bool(removed.labels),
        spans=bool(removed.spans),
        links=bool(removed.links),
        document_ids=frozenset(s.document_id for s in removed.spans) | frozenset(d.id for d in removed.documents),
        span_ids=frozenset(s.id for s in removed.spans),
    )


def delete_rows(conn: sqlite3.Connection, removed: Removed) -> None:
    """Delete what `collect` gathered, dependants first."""
    conn.executemany("DELETE FROM verdict_evidence WHERE rowid = ?", [(e[0],) for e in removed.evidence])
    conn.executemany("DELETE FROM verdict WHERE id = ?", [(v[0],) for v in removed.verdicts])
    for table, items in (
        ("link", removed.links),
        ("span", removed.spans),
        ("label", removed.labels),
        ("document", removed.documents),
    ):
        conn.executemany(f"DELETE FROM {table} WHERE id = ?", [(x.id,) for x in items])
    conn.executemany("DELETE FROM document_search WHERE rowid = ?", [(d.id,) for d in removed.documents])


def insert_rows(conn: sqlite3.Connection, removed: Removed) -> None:
    """Put removed rows back exactly, ids, uuids and evidence order included."""
    bulk = guard_of(conn)  # articles' texts in bulk: without the per-statement trace (see Guard.executemany)
    bulk.executemany(
        conn,
        f"INSERT INTO document ({rows.DOCUMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [rows.document_values(doc) for doc in removed.documents],
    )
    bulk.executemany(conn, SEARCH_INSERT, [search_values(doc.id, doc.title, doc.text) for doc in removed.documents])
    conn.executemany(
        f"INSERT INTO label ({rows.LABEL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
        [rows.label_values(x) for x in removed.labels],
    )
    conn.executemany(
        f"INSERT INTO span ({rows.SPAN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [rows.span_values(s) for s in removed.spans],
    )
    conn.executemany(
        f"INSERT INTO link ({rows.LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [rows.link_values(x) for x in removed.links],
    )
    conn.executemany(f"INSERT INTO verdict ({rows.VERDICT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", removed.verdicts)
    # With its rowid: evidence is listed in rowid order, which undo must keep.
    conn.executemany("INSERT INTO verdict_evidence (rowid, verdict_id, span_id) VALUES (?, ?, ?)", removed.evidence)
