"""SQL column lists and row -> model conversion, in one place."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pydantic import TypeAdapter

from app.models import Annotator, Document, Label, Link, Span

DOCUMENT_COLUMNS = "id, uuid, title, source, url, published, text, text_sha256, meta, imported_at"
LABEL_COLUMNS = "id, name, kind, color, hotkey, position"
SPAN_COLUMNS = 'id, uuid, document_id, start, "end", label_id, annotator_id, quote, attrs, note, created_at'
VERDICT_COLUMNS = "id, session_id, link_id, decision, rationale, decided_at"
LINK_COLUMNS = "id, uuid, kind, source_span_id, target_span_id, annotator_id, note, created_at"


def _json(value: str) -> dict[str, Any]:
    if value == "{}":
        return {}
    loaded = json.loads(value)
    return loaded if isinstance(loaded, dict) else {}


def document(row: sqlite3.Row | tuple[Any, ...]) -> Document:
    keys = ("id", "uuid", "title", "source", "url", "published", "text", "text_sha256")
    values = dict(zip(keys, row[:8], strict=True))
    return Document(**values, meta=_json(row[8]), imported_at=row[9])


def label(row: tuple[Any, ...]) -> Label:
    keys = ("id", "name", "kind", "color", "hotkey", "position")
    return Label(**dict(zip(keys, row, strict=True)))


def annotator(row: tuple[Any, ...]) -> Annotator:
    return Annotator(id=row[0], name=row[1])


def span(row: tuple[Any, ...]) -> Span:
    keys = ("id", "uuid", "document_id", "start", "end", "label_id", "annotator_id", "quote")
    values = dict(zip(keys, row[:8], strict=True))
    return Span(**values, attrs=_json(row[8]), note=row[9], created_at=row[10])


_SPAN_LIST = TypeAdapter(list[Span])


def spans_as_json(where: str) -> str:
    """SQL returning the matching spans as one JSON array, so pydantic can
    validate them all at once in Rust (twice as fast as row by row)."""
    fields = ", ".join(
        f"'{name}', {column}"
        for name, column in (
            ("id", "id"),
            ("uuid", "uuid"),
            ("document_id", "document_id"),
            ("start", "start"),
            ("end", '"end"'),
            ("label_id", "label_id"),
            ("annotator_id", "annotator_id"),
            ("quote", "quote"),
            ("attrs", "json(attrs)"),
            ("note", "note"),
            ("created_at", "created_at"),
        )
    )
    return (
        f"SELECT coalesce(json_group_array(json_object({fields})), '[]') FROM"
        f" (SELECT * FROM span {where} ORDER BY document_id, start, id)"
    )


def spans_from_json(array: str) -> list[Span]:
    return _SPAN_LIST.validate_json(array)


def link(row: tuple[Any, ...]) -> Link:
    keys = ("id", "uuid", "kind", "source_span_id", "target_span_id", "annotator_id", "note", "created_at")
    return Link(**dict(zip(keys, row, strict=True)))


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
        json.dumps(item.attrs),
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
