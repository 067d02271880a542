"""Checks shared by the store's operations: a refused operation raises before
anything is written, with a message a person can act on."""

from __future__ import annotations

import sqlite3
from typing import Any, TypeVar

from app.errors import InvalidOperation, NotFound
from app.models import Annotator, LinkKind, Record
from app.storage import rows

RecordT = TypeVar("RecordT", bound=Record)


def valid(model: type[RecordT], **fields: Any) -> RecordT:
    """Build a record, turning a validation failure into a refused operation."""
    try:
        return model(**fields)
    except ValueError as exc:
        first = exc.errors()[0] if hasattr(exc, "errors") else {"msg": str(exc), "loc": ()}
        where = ".".join(str(part) for part in first.get("loc", ()))
        what = model.__name__.lower()
        message = PLAIN_MESSAGES.get(where, str(first["msg"]).removeprefix("Value error, "))
        raise InvalidOperation(f"invalid {what} {where}: {message}".replace(" :", ":")) from exc


# Validation messages a person can act on, instead of pydantic's wording.
PLAIN_MESSAGES = {"color": "a colour is written #rrggbb, such as #0072B2"}


def annotator_in(conn: sqlite3.Connection, who: int | str) -> tuple[Annotator, bool]:
    """The annotator with this id, or this name (made if new, inside the caller's transaction)."""
    key, created = annotator_key(conn, who)
    row = conn.execute(f"SELECT id, name FROM annotator WHERE {key_column(key)} = ?", (key,)).fetchone()
    if row is None:
        raise NotFound(f"annotator {who} does not exist")
    return rows.annotator(row), created


def key_column(key: int | str) -> str:
    """The column that finds a label or annotator named by `key`: its id, or its name."""
    return "name" if isinstance(key, str) else "id"


def annotator_key(conn: sqlite3.Connection, who: int | str) -> tuple[int | str, bool]:
    """How to find the annotator `who` (its id, or its clean name) and whether it was just
    made: a name new to the project is added, inside the caller's transaction."""
    if not isinstance(who, str):
        return who, False
    clean = who.strip()
    if not clean:
        raise InvalidOperation("an annotator needs a name")
    created = conn.execute("INSERT OR IGNORE INTO annotator (name) VALUES (?)", (clean,)).rowcount
    return clean, created > 0


def link_kind(kind: LinkKind | str) -> LinkKind:
    try:
        return LinkKind(kind)
    except ValueError as exc:
        allowed = ", ".join(k.value for k in LinkKind)
        raise InvalidOperation(f"unknown link kind {kind!r} (one of {allowed})") from exc


def check_range(document_id: int, start: int, end: int, length: int) -> None:
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
        raise InvalidOperation(f"span offsets must be whole numbers, got {start!r}-{end!r}")
    if not 0 <= start < end <= length:
        raise InvalidOperation(f"span {start}-{end} is outside document {document_id} (0-{length}, start < end)")
