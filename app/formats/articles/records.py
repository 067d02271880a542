"""The shapes of metadata records in input files (JSONL lines, manifest entries).

Strict pydantic models: a number where a string belongs is an error, not a
conversion. `describe` turns a validation error into one short sentence.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator


def check_published(value: str | None) -> str | None:
    """An ISO 8601 date or date-time, kept as written; "" means unknown."""
    if value is None or not value.strip():
        return None
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"must be an ISO date like 2021-04-12, got {value!r}") from None
    return value


class _Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None

    @field_validator("published")
    @classmethod
    def _published(cls, value: str | None) -> str | None:
        return check_published(value)

    def extras(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class JsonlRecord(_Record):
    """One line of a JSONL file: one article."""

    text: str
    meta: dict[str, Any] | None = None

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        if not value or value.isspace():  # as `not value.strip()`, without copying the text
            raise ValueError("is empty")
        return value


class ManifestEntry(_Record):
    """What manifest.json says about one file of its folder."""

    file: str

    @field_validator("file")
    @classmethod
    def _file(cls, value: str) -> str:
        if not value or "/" in value or "\\" in value:
            raise ValueError(f"must be a file name in the manifest's folder, got {value!r}")
        return value


class Manifest(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    documents: list[ManifestEntry]


_PHRASES = {
    "missing": "is missing",
    "string_type": "must be a string",
    "dict_type": "must be an object",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
}


def describe(error: ValidationError, skip: int = 0) -> str:
    """ "'title' must be a string" for the first problem (skipping `skip` outer loc parts)."""
    first = error.errors(include_url=False)[0]
    parts = [str(part) for part in first["loc"][skip:]]
    where = _location(parts)
    if first["type"] == "value_error":
        phrase = str(first["msg"]).removeprefix("Value error, ")
    else:
        phrase = _PHRASES.get(first["type"], str(first["msg"]))
    return f"{where} {phrase}" if where else phrase


def _location(parts: list[str]) -> str:
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        out += f"[{part}]" if part.isdigit() else f".{part}"
    return f"'{out}'"
