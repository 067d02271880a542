"""JSONL: one article per line, `{"text": ..., "title": ..., "meta": {...}}`.

Any bad line refuses the whole file, naming the line and the field; blank
lines are ignored. Keys other than the known ones go into meta.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import ImportRefused
from app.formats.articles.metadata import guess_title
from app.formats.articles.records import JsonlRecord, ManifestEntry, describe
from app.formats.articles.text import MIB, decode, normalise_newlines, read_limited, refuse_binary
from app.models import NewDocument

MAX_JSONL_BYTES = 100 * MIB
_SURROGATE = re.compile("[\ud800-\udfff]")
# JSON refuses raw C0 controls inside strings, so a decoded text holds one only through an
# escape (\b, \u0000-\u001f, \u007f) or as a raw DEL. A line with none of these (false
# alarms, such as an escaped backslash before "b", only cost the full count) needs no
# count of its text's control characters.
_CONTROL_ESCAPES = ("\\u000", "\\u001", "\\u007", "\\b", "\x7f")


def parse_jsonl(path: Path, entry: ManifestEntry | None = None) -> list[NewDocument]:
    """Every document of the file; the manifest (`entry`) does not apply to JSONL."""
    text = normalise_newlines(decode(path, read_limited(path, MAX_JSONL_BYTES)))
    # split("\n"), not splitlines(): U+2028 and friends may sit raw inside JSON strings.
    docs = [_document(path, number, line) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if not docs:
        raise ImportRefused(path, "no text (no JSON lines in the file)")
    return docs


def _document(path: Path, number: int, line: str) -> NewDocument:
    record = _record(path, number, line)
    body = normalise_newlines(record.text)
    try:
        if any(escape in line for escape in _CONTROL_ESCAPES):
            refuse_binary(path, body)
    except ImportRefused as exc:
        raise ImportRefused(path, f"line {number}: 'text' {exc.reason}") from exc
    meta = {**record.extras(), **(record.meta or {}), "file": path.name, "line": number}
    return NewDocument.model_construct(  # every field checked already, by JsonlRecord's validation
        text=body,
        title=record.title or guess_title(body, f"{path.stem} line {number}"),
        source=record.source or "",
        url=record.url or "",
        published=record.published,
        meta=meta,
    )


def _record(path: Path, number: int, line: str) -> JsonlRecord:
    try:
        raw = _DECODER.decode(line)
    except (json.JSONDecodeError, ValueError) as exc:
        detail = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise ImportRefused(path, f"line {number}: invalid JSON ({detail})") from exc
    if not isinstance(raw, dict):
        raise ImportRefused(path, f"line {number}: expected a JSON object, got {_kind(raw)}")
    # Only a \\uD800-\\uDFFF escape can bring one in (the file itself decoded as UTF-8).
    lone = _lone_surrogate(raw) if "\\ud" in line or "\\uD" in line else None
    if lone is not None:
        raise ImportRefused(path, f"line {number}: holds a lone surrogate {lone!r}, which is not text")
    try:
        return JsonlRecord.model_validate(raw)
    except ValidationError as exc:
        raise ImportRefused(path, f"line {number}: {describe(exc)}") from exc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)  # made once: json.loads(..., kw) builds one per line


def _lone_surrogate(value: Any) -> str | None:
    """The first lone surrogate in the strings (keys too) of parsed JSON, else None; strict
    UTF-8 encoding finds one at C speed, the regex only says which it was."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            found = _SURROGATE.search(value)
            return found.group() if found else None
        return None
    items = [*value.keys(), *value.values()] if isinstance(value, dict) else value if isinstance(value, list) else []
    return next((lone for lone in map(_lone_surrogate, items) if lone is not None), None)


def _kind(value: object) -> str:
    names = {list: "a list", str: "a string", bool: "true/false", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
