"""Where a document's title, outlet, date and meta come from.

A sidecar `manifest.json` in the file's folder wins field by field; what it
leaves empty comes from the file itself: a leading `date YYYY-MM-DD` header
(removed from the stored text, kept in meta["removed_header"]), a short first
line as the title, else the file name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import ImportRefused
from app.formats.articles.records import Manifest, ManifestEntry, describe
from app.formats.articles.text import decode, read_limited
from app.models import NewDocument

MANIFEST_NAME = "manifest.json"
MAX_TITLE_LENGTH = 150

_DATE_HEADER = re.compile(r"\A[ \t]*date:?[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|[ \t]*\n|\Z)", re.IGNORECASE)
_SENTENCE_END = tuple(".!?…:;,")
_CLOSERS = "\"'”’»)]"


@dataclass(frozen=True)
class Found:
    """Metadata a file's own content gives."""

    title: str = ""
    source: str = ""
    url: str = ""
    published: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def load_manifest(folder: Path) -> dict[str, ManifestEntry]:
    """The folder's manifest entries by file name; empty when it has no manifest."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    text = decode(path, read_limited(path))
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        raise ImportRefused(path, _manifest_problem(exc, raw)) from exc
    entries: dict[str, ManifestEntry] = {}
    for entry in manifest.documents:
        if entry.file in entries:
            raise ImportRefused(path, f"{entry.file!r} is listed twice")
        entries[entry.file] = entry
    return entries


def _manifest_problem(error: ValidationError, raw: object) -> str:
    loc = error.errors(include_url=False)[0]["loc"]
    if not loc:
        return "must be a JSON object with a 'documents' list"
    if len(loc) < 3 or loc[0] != "documents" or not isinstance(loc[1], int):
        return describe(error)
    entry = raw["documents"][loc[1]] if isinstance(raw, dict) else None
    name = f" ({entry['file']!r})" if isinstance(entry, dict) and isinstance(entry.get("file"), str) else ""
    return f"document {loc[1] + 1}{name}: {describe(error, skip=2)}"


def strip_date_header(text: str) -> tuple[str, str, str | None]:
    """(text without the header, the header as removed, its date) for a leading `date YYYY-MM-DD`."""
    match = _DATE_HEADER.match(text)
    if not match:
        return text, "", None
    try:
        date.fromisoformat(match.group(1))
    except ValueError:
        return text, "", None
    return text[match.end() :], match.group(0), match.group(1)


def guess_title(text: str, fallback: str) -> str:
    """The first non-empty line when it reads like a headline, else `fallback`."""
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        ends_sentence = stripped.rstrip(_CLOSERS).endswith(_SENTENCE_END)
        return stripped if len(stripped) <= MAX_TITLE_LENGTH and not ends_sentence else fallback
    return fallback


def make_document(path: Path, text: str, found: Found, entry: ManifestEntry | None) -> NewDocument:
    """Combine the manifest entry (when there is one) with what the file says."""
    meta = dict(found.meta)
    if entry is not None:
        meta.update(entry.extras())
    if "removed_header" in found.meta:  # a fact about the stored text: the manifest cannot override it
        meta["removed_header"] = found.meta["removed_header"]
    meta["file"] = path.name
    given = entry or ManifestEntry(file=path.name)
    return NewDocument(
        text=text,
        title=_first(given.title, found.title, path.stem),
        source=_first(given.source, found.source),
        url=_first(given.url, found.url),
        published=given.published or found.published,
        meta=meta,
    )


def _first(*values: str | None) -> str:
    return next((value for value in values if value), "")
