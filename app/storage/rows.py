"""SQL column lists and row -> model conversion, in one place."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, TypeVar

from app.models import Annotator, Document, Label, LabelKind, Link, LinkKind, Record, Span, one_key

DOCUMENT_COLUMNS = "id, uuid, title, source, url, published, text, text_sha256, meta, imported_at"
LABEL_COLUMNS = "id, name, kind, color, hotkey, position"
SPAN_COLUMNS = 'id, uuid, document_id, start, "end", label_id, annotator_id, quote, attrs, note, created_at'
VERDICT_COLUMNS = "id, session_id, link_id, decision, rationale, decided_at"
M = TypeVar("M", bound=Record)
LINK_COLUMNS = "id, uuid, kind, source_span_id, target_span_id, annotator_id, note, created_at"


def stored_object(value: str) -> dict[str, Any]:
    """A stored attrs or meta column (JSON text) as a dict; anything but an object reads as empty."""
    if value == "{}":
        return {}
    loaded = json.loads(value)
    return loaded if isinstance(loaded, dict) else {}


# Rows read back are built `trusted`, not validated again: the file's schema was checked on
# open and its CHECK constraints (kinds, colours, blank names) by quick_check, so validating
# only built pydantic's schemas at start-up (~3.4 MB and ~20 ms before the first window).
# What the schema does not say is checked here, as the models do.


def document(row: sqlite3.Row | tuple[Any, ...]) -> Document:
    doc_id, uuid, title, source, url, published, text, digest, meta, imported_at = row
    values = {"title": title, "source": source, "url": url, "published": published, "meta": stored_object(meta)}
    return trusted(
        Document, values | {"id": doc_id, "uuid": uuid, "text": text, "text_sha256": digest, "imported_at": imported_at}
    )


def label(row: tuple[Any, ...]) -> Label:
    label_id, name, kind, color, hotkey, position = row
    values = {"id": label_id, "name": name.strip(), "kind": LabelKind(kind), "color": color}
    return trusted(Label, values | {"hotkey": one_key(hotkey), "position": position})


def annotator(row: tuple[Any, ...]) -> Annotator:
    return trusted(Annotator, {"id": row[0], "name": row[1]})


def span(row: tuple[Any, ...]) -> Span:
    keys = ("id", "uuid", "document_id", "start", "end", "label_id", "annotator_id", "quote")
    values = dict(zip(keys, row[:8], strict=True))
    return trusted(Span, values | {"attrs": stored_object(row[8]), "note": row[9], "created_at": row[10]})


_SPAN_KEYS = tuple(Span.model_fields)  # the order of SPAN_COLUMNS


def trusted(model: type[M], values: dict[str, Any]) -> M:
    """A record from values the store checked on the way in (STRICT tables keep the types), not
    validated again: 100,000 spans export in a second and 10,000 documents list in milliseconds."""
    item = model.__new__(model)
    _set(item, "__dict__", values)
    return item


_set = object.__setattr__


def stored_spans(found: list[tuple[Any, ...]]) -> list[Span]:
    """Spans from rows of SPAN_COLUMNS, not validated again."""
    keys = _SPAN_KEYS
    return [trusted(Span, dict(zip(keys, (*row[:8], stored_object(row[8]), *row[9:]), strict=True))) for row in found]


def link(row: tuple[Any, ...]) -> Link:
    keys = ("id", "uuid", "kind", "source_span_id", "target_span_id", "annotator_id", "note", "created_at")
    values = dict(zip(keys, row, strict=True))
    return trusted(Link, values | {"kind": LinkKind(values["kind"])})


def span_values(item: Span) -> tuple[Any, ...]:
    return (
        item.id,
        item.uuid,
        item.document_id,
        item.start,
        item.end,
        item.label_id,
        item.annotator_id,
        item.quote,
        json.dumps(item.attrs) if item.attrs else "{}",
        item.note,
        item.created_at,
    )


def link_values(item: Link) -> tuple[Any, ...]:
    return (
        item.id,
        item.uuid,
        item.kind.value,
        item.source_span_id,
        item.target_span_id,
        item.annotator_id,
        item.note,
        item.created_at,
    )


def document_values(item: Document) -> tuple[Any, ...]:
    return (
        item.id,
        item.uuid,
        item.title,
        item.source,
        item.url,
        item.published,
        item.text,
        item.text_sha256,
        json.dumps(item.meta, ensure_ascii=False),
        item.imported_at,
    )


def label_values(item: Label) -> tuple[Any, ...]:
    return (item.id, item.name, item.kind.value, item.color, item.hotkey, item.position)


def string_set(stored: str | None) -> set[str]:
    """A setting holding a JSON list, as a set of strings; absent or unreadable counts as empty."""
    if not stored:
        return set()
    try:
        found = json.loads(stored)
    except ValueError:
        return set()
    return {str(x) for x in found} if isinstance(found, list) else set()
