"""JSONL: one article per line, `{"text": ..., "title": ..., "meta": {...}}`.

Any bad line refuses the whole file, naming the line and the field; blank
lines are ignored. Keys other than the known ones go into meta.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import ImportRefused
from app.formats.articles.metadata import guess_title
from app.formats.articles.records import JsonlRecord, ManifestEntry, describe
from app.formats.articles.text import MIB, decode, normalise_newlines, read_limited, refuse_binary
from app.models import NewDocument
from app.storage.rows import trusted

MAX_JSONL_BYTES = 100 * MIB


def parse_jsonl(path: Path, entry: ManifestEntry | None = None) -> list[NewDocument]:
    """Every document of the file; the manifest (`entry`) does not apply to JSONL."""
    text = normalise_newlines(decode(path, read_limited(path, MAX_JSONL_BYTES)))
    # split("\n"), not splitlines(): U+2028 and friends may sit raw inside JSON strings.
    lines = enumerate(text.split("\n"), start=1)
    docs = [_document(path, number, line) for number, line in lines if line and not line.isspace()]
    if not docs:
        raise ImportRefused(path, "no text (no JSON lines in the file)")
    return docs


def _document(path: Path, number: int, line: str) -> NewDocument:
    record = _record(path, number, line)
    body = _checked_text(path, number, record.text)
    meta = {**record.extras(), **(record.meta or {}), "file": path.name, "line": number}
    values = {
        "text": body,
        "title": record.title or guess_title(body, f"{path.stem} line {number}"),
        "source": record.source or "",
        "url": record.url or "",
        "published": record.published,
        "meta": meta,
    }
    return trusted(NewDocument, values)  # every field checked already, by JsonlRecord's validation


def _checked_text(path: Path, number: int, text: str) -> str:
    """The text with LF line ends, refused if it holds a lone surrogate or looks binary: all
    seen in its UTF-8 bytes, encoded once, at C speed (scanning each line for the escapes that
    could bring them in cost three times as much)."""
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ImportRefused(path, _lone_message(number, text[exc.start])) from None
    if b"\r" in encoded:  # only an escaped \r can bring one in: the file's own were made LF
        text = normalise_newlines(text)
        encoded = text.encode("utf-8")
    try:
        refuse_binary(path, text, encoded)
    except ImportRefused as exc:
        raise ImportRefused(path, f"line {number}: 'text' {exc.reason}") from exc
    return text


def _lone_message(number: int, lone: str) -> str:
    return f"line {number}: holds a lone surrogate {lone!r}, which is not text"


def _record(path: Path, number: int, line: str) -> JsonlRecord:
    try:
        raw = _DECODER.decode(line)
    except (json.JSONDecodeError, ValueError) as exc:
        detail = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise ImportRefused(path, f"line {number}: invalid JSON ({detail})") from exc
    if not isinstance(raw, dict):
        raise ImportRefused(path, f"line {number}: expected a JSON object, got {_kind(raw)}")
    # Only a \\uD800-\\uDFFF escape can bring one in (the file itself decoded as UTF-8).
    # The text, the bulk of the line, is looked at by _check_text.
    lone = _lone_surrogate(_besides_text(raw)) if "\\ud" in line or "\\uD" in line else None
    if lone is not None:
        raise ImportRefused(path, _lone_message(number, lone))
    try:
        return JsonlRecord.model_validate(raw)
    except ValidationError as exc:
        raise ImportRefused(path, f"line {number}: {describe(exc)}") from exc


def _besides_text(raw: dict[str, Any]) -> list[Any]:
    """The keys and values of a record, less the text (when it is a string)."""
    return [*raw, *(value for key, value in raw.items() if key != "text" or not isinstance(value, str))]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)  # made once: json.loads(..., kw) builds one per line


def _lone_surrogate(items: list[Any]) -> str | None:
    """The first lone surrogate in the strings (keys too) of parsed JSON values, else None.

    Strict UTF-8 encoding of all of them joined finds one at C speed: Python never pairs
    surrogates when encoding, so joining cannot make two lone ones into a character.
    """
    strings: list[str] = []
    pending = items[::-1]
    while pending:  # a walk without recursion: nesting as deep as the decoder allows is fine
        value = pending.pop()
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            pending.extend([*value.keys(), *value.values()][::-1])
        elif isinstance(value, list):
            pending.extend(value[::-1])
    joined = "".join(strings)
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError as exc:
        return joined[exc.start]
    return None


def _kind(value: object) -> str:
    names = {list: "a list", str: "a string", bool: "true/false", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
