"""An undo step for a merge: the annotation and review tables as they were.

A re-merge adds, changes and deletes rows across many tables at once, so its
undo puts those tables back whole (rows as stored, ids and rowids included).
Documents are only ever added by a merge, so for them the step keeps the
highest id and removes the newer ones (handing them to the redo).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.storage.changes import Changes, Outcome
from app.storage.search import search_row

# Parents first: inserted in this order, deleted in the reverse.
TABLES = (
    "label",
    "annotator",
    "span",
    "link",
    "review_session",
    "verdict",
    "verdict_evidence",
    "adjudication",
    "setting",
)
EVERYTHING = Changes(
    documents=True,
    labels=True,
    annotators=True,
    spans=True,
    links=True,
    settings=True,
    reviews=True,
    curation=True,
)

Rows = tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class TableState:
    """Make these tables hold exactly `rows`, and the documents exactly the first `documents` ids plus `extra`."""

    rows: dict[str, Rows]
    documents: int
    extra: Rows = ()  # document rows to put back (a redo)

    def apply(self, project: Any) -> Outcome[None]:
        now = capture(project)
        with project.transaction() as conn:
            newer = conn.execute(f"SELECT {_DOC} FROM document WHERE id > ?", (self.documents,)).fetchall()
            for table in reversed(TABLES):
                conn.execute(f"DELETE FROM {table}")
            conn.executemany("DELETE FROM document_search WHERE rowid = ?", [(r[0],) for r in newer])
            conn.execute("DELETE FROM document WHERE id > ?", (self.documents,))
            for row in self.extra:
                conn.execute(f"INSERT INTO document ({_DOC}) VALUES ({', '.join('?' * len(row))})", row)
                conn.execute(*search_row(row[0], row[2], row[6]))
            for table in TABLES:
                columns = _columns(conn, table)
                marks = ", ".join("?" * len(columns))
                conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", self.rows[table])
        redo = TableState(now.rows, now.documents, tuple(newer))
        return Outcome(None, EVERYTHING, redo)


_DOC = "id, uuid, title, source, url, published, text, text_sha256, meta, imported_at"


def _columns(conn: Any, table: str) -> list[str]:
    names = [f'"{r[1]}"' for r in conn.execute(f"PRAGMA table_info({table})")]
    return ["rowid", *names] if table == "verdict_evidence" else names  # its order is its rowid


def capture(project: Any) -> TableState:
    """The tables as they are now (call before the merge)."""
    rows = {}
    for table in TABLES:
        columns = [f'"{r[1]}"' for r in project.query(f"PRAGMA table_info({table})")]
        columns = ["rowid", *columns] if table == "verdict_evidence" else columns
        rows[table] = tuple(project.query(f"SELECT {', '.join(columns)} FROM {table}"))
    top = project.query("SELECT coalesce(max(id), 0) FROM document")[0][0]
    return TableState(rows, int(top))
