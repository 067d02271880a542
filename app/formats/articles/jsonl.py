"""JSONL: one article per line, `{"text": ..., "title": ..., "meta": {...}}`.

Any bad line refuses the whole file, naming the line and the field; blank
lines are ignored. Keys other than the known ones go into meta.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import ImportRefused
from app.formats.articles.metadata import guess_title
from app.formats.articles.records import JsonlRecord, ManifestEntry, describe
from app.formats.articles.text import MIB, decode, normalise_newlines, read_limited, refuse_binary
from app.models import NewDocument
from app.storage.rows import trusted
from app.text.utf8 import Utf8, utf8

MAX_JSONL_BYTES = 100 * MIB


class ScannedDocuments(list[NewDocument]):
    """Documents, with `scans`: the `utf8` of each text the parser checked so, else None, for
    the store to take (`add_documents(docs, scans)`) rather than encode the text again."""

    def __init__(self, pairs: Iterable[tuple[NewDocument, Utf8 | None]]) -> None:
        pairs = list(pairs)
        super().__init__(doc for doc, _ in pairs)
        self.scans = [scan for _, scan in pairs]


def parse_jsonl(path: Path, entry: ManifestEntry | None = None) -> ScannedDocuments:
    """Every document of the file; the manifest (`entry`) does not apply to JSONL."""
    decoded = decode(path, read_limited(path, MAX_JSONL_BYTES), binary_check=False)
    if any(char in decoded for char in _CONTROLS_JSON_LETS_BY):
        refuse_binary(path, decoded)
    text = normalise_newlines(decoded)
    # Only an escape brings a surrogate, a control character (but a raw DEL) or a CR into a
    # string (the file's own CRs are LF now): without one, no text needs a look of its own.
    look = "\x7f" in text or any(escape in text for escape in ("\\u", "\\b", "\\r"))
    try:
        docs = ScannedDocuments(_documents(path, text, look))
    except Exception:
        refuse_binary(path, decoded)  # a binary file is refused as that, not for its first bad line
        raise
    if not docs:
        raise ImportRefused(path, "no text (no JSON lines in the file)")
    return docs


# The whole file's binary check (`refuse_binary`: NULs, many control characters) runs only
# when it can find something. Strict JSON allows no raw control character in a string, nor
# between values but tab, LF and CR (which it does not count): a line holding one is refused,
# and the check runs then. That leaves DEL, legal in a string, and the separators \x1c-\x1f,
# which str.isspace() skips as blank lines (a NUL, too, is looked for: UTF-16 files have no
# NUL byte check). So a valid file costs six memchr scans, not a pass over every byte.
_CONTROLS_JSON_LETS_BY = "\x7f\x1c\x1d\x1e\x1f\x00"


def _documents(path: Path, text: str, look: bool) -> Iterator[tuple[NewDocument, Utf8 | None]]:
    """The document (and the scan of its text, if it had one) of each line of `text` that is not
    blank; `look`: whether texts must be checked (see parse_jsonl). Lines end at LF only, not at
    U+2028 and friends (which may sit raw inside JSON strings)."""
    number, start = 1, 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        raw = _object_in_place(text, start, end)
        if raw is None:  # not exactly one object: the line read on its own says what it is
            line = text[start:end]
            raw = _object(path, number, line) if line and not line.isspace() else None
        if raw is not None:
            surrogates = look and (text.find("\\ud", start, end) >= 0 or text.find("\\uD", start, end) >= 0)
            yield _document(path, number, raw, surrogates, look)
        number, start = number + 1, end + 1


def _object_in_place(text: str, start: int, end: int) -> dict[str, Any] | None:
    """The line text[start:end] decoded where it lies when it is exactly one JSON object (no
    copy of it made: a quarter of the reading time), else None."""
    try:
        raw, stop = _DECODER.raw_decode(text, start)
    except Exception:  # bad JSON, a NaN, nesting too deep: the line on its own tells which
        return None
    return raw if stop == end and isinstance(raw, dict) else None


def _object(path: Path, number: int, line: str) -> dict[str, Any]:
    """The line's JSON object, or ImportRefused saying why it is none."""
    try:
        raw = _DECODER.decode(line)
    except (json.JSONDecodeError, ValueError) as exc:
        detail = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise ImportRefused(path, f"line {number}: invalid JSON ({detail})") from exc
    if not isinstance(raw, dict):
        raise ImportRefused(path, f"line {number}: expected a JSON object, got {_kind(raw)}")
    return raw


def _document(
    path: Path, number: int, raw: dict[str, Any], surrogates: bool, look: bool
) -> tuple[NewDocument, Utf8 | None]:
    """The document of line `number`, decoded as `raw`; `surrogates`: whether its line has a
    \\uD800-\\uDFFF escape, the only way one gets in (the file itself decoded as UTF-8)."""
    lone = _lone_surrogate(raw) if surrogates else None  # the text, the bulk, is left to _checked_text
    if lone is not None:
        raise ImportRefused(path, _lone_message(number, lone))
    try:
        record = JsonlRecord.model_validate(raw)
    except ValidationError as exc:
        raise ImportRefused(path, f"line {number}: {describe(exc)}") from exc
    body, scan = _checked_text(path, number, record.text) if look else (record.text, None)
    meta = {**record.extras(), **(record.meta or {}), "file": path.name, "line": number}
    values = {
        "text": body,
        "title": record.title or guess_title(body, f"{path.stem} line {number}"),
        "source": record.source or "",
        "url": record.url or "",
        "published": record.published,
        "meta": meta,
    }
    return trusted(NewDocument, values), scan  # every field checked already, by JsonlRecord's validation


def _checked_text(path: Path, number: int, text: str) -> tuple[str, Utf8]:
    """The text with LF line ends, refused if it holds a lone surrogate or looks binary: all
    seen in its UTF-8 bytes, encoded once, at C speed (scanning each line for the escapes that
    could bring them in cost three times as much); and that scan of it, for the store."""
    try:
        scan = utf8(text)
    except UnicodeEncodeError as exc:
        raise ImportRefused(path, _lone_message(number, text[exc.start])) from None
    if b"\r" in scan.data:  # only an escaped \r can bring one in: the file's own were made LF
        text = normalise_newlines(text)
        scan = utf8(text)
    try:
        refuse_binary(path, text, scan)
    except ImportRefused as exc:
        raise ImportRefused(path, f"line {number}: 'text' {exc.reason}") from exc
    return text, scan


def _lone_message(number: int, lone: str) -> str:
    return f"line {number}: holds a lone surrogate {lone!r}, which is not text"


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)  # made once: json.loads(..., kw) builds one per line


def _lone_surrogate(raw: dict[str, Any]) -> str | None:
    """The first lone surrogate in a record's keys and values (less a text that is a string:
    _checked_text looks at it), else None.

    Strict UTF-8 encoding of all its strings joined finds one at C speed: Python never pairs
    surrogates when encoding, so joining cannot make two lone ones into a character.
    """
    strings: list[str] = list(raw)
    nested: list[Any] = []
    for key, value in raw.items():
        if isinstance(value, str):
            if key != "text":
                strings.append(value)
        elif isinstance(value, dict | list):
            nested.append(value)
    pending = nested[::-1]
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
