"""Plain text files (.txt, .md, .text, no extension): one article per file."""

from __future__ import annotations

from pathlib import Path

from app.formats.articles.metadata import Found, guess_title, make_document, strip_date_header
from app.formats.articles.records import ManifestEntry
from app.formats.articles.text import read_text, require_text
from app.models import NewDocument


def parse_text(path: Path, entry: ManifestEntry | None) -> list[NewDocument]:
    text = read_text(path)
    body, header, published = strip_date_header(text)
    require_text(path, body)
    found = Found(
        title=guess_title(body, path.stem),
        published=published,
        meta={"removed_header": header} if header else {},
    )
    return [make_document(path, body, found, entry)]
