"""The schema a project file must hold, compared before any of its tables is read.

A received file may carry triggers that run on the user's edits, views that
never finish, or tables with their constraints removed. So its whole
`sqlite_schema` (tables, indexes, triggers, views) must equal what Parallax
itself makes for that schema version: `schema_v1.sql` plus the ordered
migrations, which a test keeps equal to `schema.sql` at the current version.
The reference is built in an in-memory database, so it is the same SQLite
that wrote both; statements are compared as token lists (case, whitespace and
comments aside), never executed.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from functools import cache
from pathlib import Path

from app.errors import SchemaMismatch
from app.storage.migrations import MIGRATIONS

SCHEMA_V1 = Path(__file__).with_name("schema_v1.sql")

# One SQL token: a quoted string or name, a comment, a word or number, or one symbol.
_TOKEN = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]"""
    r"|--[^\n]*|/\*.*?(?:\*/|$)|\s+|\w+|.",
    re.DOTALL,
)

Entry = tuple[str, str, str]  # type, name, table


def normalise(sql: str | None) -> tuple[str, ...]:
    """The statement as tokens: comments and spacing dropped, words in lower case."""
    if sql is None:  # automatic indexes of UNIQUE and PRIMARY KEY constraints
        return ()
    kept: list[str] = []
    for token in _TOKEN.findall(sql):
        if token.isspace() or token.startswith(("--", "/*")):
            continue
        kept.append(token if token[0] in "'\"`[" else token.lower())
    return tuple(kept)


@cache
def reference(version: int) -> dict[Entry, tuple[str, ...]]:
    """What Parallax makes at `version`: schema_v1.sql, then each upgrade step."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        conn.executescript(SCHEMA_V1.read_text(encoding="utf-8"))
        for step in range(1, version):
            MIGRATIONS[step](conn)
        return entries(conn)


def entries(conn: sqlite3.Connection) -> dict[Entry, tuple[str, ...]]:
    found = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    return {(kind, name, table): normalise(sql) for kind, name, table, sql in found}


def check_schema(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse the file if any schema object is extra, missing or different, naming it."""
    expected = reference(version)
    present = entries(conn)
    extra = sorted(present.keys() - expected.keys())
    if extra:
        raise SchemaMismatch(f"{path}: refused: it holds {_name(extra[0])}, which Parallax does not make")
    missing = sorted(expected.keys() - present.keys())
    if missing:
        raise SchemaMismatch(f"{path}: refused: {_name(missing[0])} is missing")
    changed = sorted(entry for entry in present if present[entry] != expected[entry])
    if changed:
        raise SchemaMismatch(
            f"{path}: refused: {_name(changed[0])} differs from the one Parallax makes at schema {version}"
            " (a changed column or constraint)"
        )


def _name(entry: Entry) -> str:
    kind, name, table = entry
    where = f" on table {table!r}" if kind in ("index", "trigger") else ""
    return f"a {kind} {name!r}{where}" if kind != "index" else f"an index {name!r}{where}"
