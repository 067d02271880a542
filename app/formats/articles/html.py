"""Saved web pages (.html, .htm): the article text, extracted with trafilatura.

Only the file's own text is handed to trafilatura (never a URL), so nothing
is fetched and no script runs. Navigation, footers, asides, forms, scripts
and styles are pruned before extraction, so the fallback extractors cannot
pick them up either.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.errors import ImportRefused
from app.formats.articles.metadata import Found, guess_title, make_document
from app.formats.articles.records import ManifestEntry, check_published
from app.formats.articles.text import decode, normalise_newlines, read_limited
from app.models import NewDocument

_PRUNE = ["//nav", "//footer", "//aside", "//form", "//script", "//noscript", "//style", "//template"]
# Dates only from the page's own metadata and markup, never guessed from the prose.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def parse_html(path: Path, entry: ManifestEntry | None) -> list[NewDocument]:
    return [html_document(read_limited(path), path, entry)]


def html_document(data: bytes, path: Path, entry: ManifestEntry | None) -> NewDocument:
    """The article in one page's bytes (`path` names it in messages and metadata)."""
    page = decode(path, data, fallback=declared_charset(data))
    extracted = _extract(page)
    body = normalise_newlines(str(extracted.text or "")) if extracted is not None else ""
    if not body.strip():
        raise ImportRefused(path, "no article text found")
    return make_document(path, body, _found(path, body, extracted), entry)


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in a <meta> tag near its start."""
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _extract(page: str) -> Any:
    import trafilatura  # here, not at the top: it takes a while to load and only HTML needs it

    return trafilatura.bare_extraction(
        page,
        url=None,
        fast=False,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_tables=True,
        prune_xpath=_PRUNE,
        date_extraction_params=_DATE_PARAMS,
    )


def _found(path: Path, body: str, page: Any) -> Found:
    meta = {key: str(value) for key in ("author", "description", "hostname") if (value := getattr(page, key, None))}
    return Found(
        title=str(page.title or "") or guess_title(body, path.stem),
        source=str(page.sitename or page.hostname or ""),
        url=str(page.url or ""),
        published=_published(page.date),
        meta=meta,
    )


def _published(value: object) -> str | None:
    try:
        return check_published(str(value)) if value else None
    except ValueError:
        return None
