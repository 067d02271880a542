"""Version 5: a version-4 file (as Parallax left it before the document list's covering
index) opens, is backed up, gains the index, and lists the same documents in the
same order, read from the index alone."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from app.storage.connection import APPLICATION_ID, schema_version
from app.storage.documents import LIST_ORDER
from app.storage.migrations import MIGRATIONS
from app.storage.project import Project, sha256
from app.storage.schema_check import SCHEMA_V1
from tests.core.store_helpers import dump, pragma, read_only

# (title, source, published): undated ones last, the same date in id order
ROWS = (
    ("Zeta", "Outlet B", "2021-04-02"),
    ("alpha", "Outlet A", None),
    ("Beta", "Outlet A", "2021-04-01"),
    ("Gamma", "Outlet C", "2021-04-02"),
    ("", "Outlet C", "2020-12-31"),
)


def make_v4(path: Path) -> None:
    """A version-4 project written with raw SQL: version 1's schema and the steps to 4."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.executescript(f"BEGIN;\n{SCHEMA_V1.read_text(encoding='utf-8')}\nCOMMIT;")
        conn.execute("BEGIN")
        for step in (1, 2, 3):
            MIGRATIONS[step](conn)
        for number, (title, source, published) in enumerate(ROWS, start=1):
            text = f"Article {number} about the permits."
            conn.execute(
                "INSERT INTO document (id, uuid, title, source, url, published, text, text_sha256,"
                " meta, imported_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, '{}', '2021-05-01T00:00:00+00:00')",
                (number, f"doc-{number}", title, source, published, text, sha256(text)),
            )
            conn.execute("INSERT INTO document_search (rowid, title, text) VALUES (?, ?, ?)", (number, title, text))
        conn.execute("INSERT INTO label VALUES (1, 'PERSON', 'entity', '#0072B2', '1', 0)")
        conn.execute("INSERT INTO annotator VALUES (1, 'ana')")
        for span_id, doc in ((1, 3), (2, 3), (3, 5)):
            conn.execute(
                "INSERT INTO span VALUES (?, ?, ?, 0, 7, 1, 1, 'Article', '{}', '', '2021-05-01')",
                (span_id, f"span-{span_id}", doc),
            )
        conn.execute("PRAGMA user_version = 4")
        conn.execute("COMMIT")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def test_a_version_4_file_gains_the_listing_index_and_lists_the_same(tmp_path: Path) -> None:
    path = tmp_path / "v4.parallax"
    make_v4(path)
    before = dump(path)
    assert pragma(path, "user_version") == 4
    with Project.open(path) as project:
        listed = project.document_rows()
        assert [d.id for d in listed] == [5, 3, 1, 4, 2] == project.document_ids()
        assert [(d.title, d.source, d.published) for d in listed] == [ROWS[i - 1] for i in (5, 3, 1, 4, 2)]
        assert {d.id: d.span_count for d in listed} == {1: 0, 2: 0, 3: 2, 4: 0, 5: 1}
        assert project.document_rows([2, 3]) == [listed[1], listed[4]]  # a page: the same rows, list order
    assert pragma(path, "user_version") == schema_version() == 5
    assert dump(path) == before  # only an index was added
    [backup] = sorted(tmp_path.glob("v4.v4-backup-*.parallax"))
    assert pragma(backup, "user_version") == 4
    with read_only(path) as conn:
        (indexed,) = conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'document_listing'").fetchone()
        assert "published IS NULL, published, id, title, source" in indexed
        for sql in (
            f"SELECT id FROM document ORDER BY {LIST_ORDER}",
            f"SELECT id, title, source, published FROM document ORDER BY {LIST_ORDER}",
        ):  # the list never reads the table's pages, which hold the texts, nor sorts
            plan = " ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert plan == "SCAN document USING COVERING INDEX document_listing", sql
    with Project.open(path) as project:  # the migrated file passes the schema check
        assert len(project.document_rows()) == len(ROWS)
