"""Read Parallax native JSONL (see `app.formats.native.writer`) into a project.

The file goes in whole or not at all, in one transaction. Documents are
matched by text sha256 (added with their own uuid when missing), labels and
annotators by name, spans and links keep their uuids and created_at; a span
or link whose uuid is already present is skipped, so importing a file twice
changes nothing. Every span's quote is checked against its document's text
before anything is kept.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from collections import Counter
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import ImportRefused
from app.formats.import_report import AnnotationImportReport
from app.formats.matching import read_text
from app.formats.native.writer import FORMAT, FORMAT_VERSION
from app.models import Label, LabelId, LinkKind
from app.storage.default_labels import PALETTE
from app.storage.project import Project, now, sha256
from app.storage.search import search_row

_REQUIRED = object()
Record = tuple[int, dict[str, Any]]  # (line number, parsed object)


class _Refused(Exception):
    """A reason to refuse the file, raised inside the transaction to roll it back."""


def import_native(project: Project, path: Path) -> AnnotationImportReport:
    """Add the labels, annotators, documents, spans and links of a native file."""
    path = Path(path)
    groups = _read(path)
    try:
        with _bulk_transaction(project) as conn:
            counts, warnings = _store(conn, groups)
    except _Refused as exc:
        raise ImportRefused(path, str(exc)) from None
    except sqlite3.IntegrityError as exc:
        raise ImportRefused(path, f"refused by the project's checks ({exc})") from exc
    return AnnotationImportReport(path=str(path), warnings=tuple(warnings), **counts)


def _bulk_transaction(project: Project) -> AbstractContextManager[sqlite3.Connection]:
    """Stop-gap until `Project` offers a bulk insert that keeps uuids: one write
    transaction on the project's own connection (private API, see module docs)."""
    return project.transaction()


# ---- reading and checking lines ----------------------------------------
def _read(path: Path) -> dict[str, list[Record]]:
    content = read_text(path)
    groups: dict[str, list[Record]] = {k: [] for k in ("label", "annotator", "document", "span", "link")}
    header_seen = False
    for number, line in enumerate(content.split("\n"), start=1):  # not splitlines(): U+2028 is data
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportRefused(path, f"line {number}: not JSON ({exc.msg})") from exc
        kind = record.get("type") if isinstance(record, dict) else None
        if not header_seen:
            _check_header(path, number, record, kind)
            header_seen = True
        elif kind not in groups:
            raise ImportRefused(path, f"line {number}: unknown record type {kind!r}")
        else:
            groups[kind].append((number, record))
    if not header_seen:
        raise ImportRefused(path, "empty file, not Parallax native JSONL")
    return groups


def _check_header(path: Path, number: int, record: Any, kind: Any) -> None:
    if kind != FORMAT:
        raise ImportRefused(path, f"line {number}: not Parallax native JSONL (no header line)")
    version = record.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ImportRefused(
            path, f"written by a newer Parallax (format version {version!r}); this one reads version {FORMAT_VERSION}"
        )


def _get(line: Record, key: str, types: type | tuple[type, ...], default: Any = _REQUIRED) -> Any:
    number, record = line
    if key not in record:
        if default is _REQUIRED:
            raise _Refused(f"line {number}: {record['type']} record lacks {key!r}")
        return default
    value = record[key]
    if not isinstance(value, types) or (isinstance(value, bool) and types is int):
        raise _Refused(f"line {number}: {key!r} has the wrong type ({type(value).__name__})")
    return value


# ---- storing -----------------------------------------------------------
def _store(conn: sqlite3.Connection, groups: dict[str, list[Record]]) -> tuple[dict[str, int], list[str]]:
    counts: Counter[str] = Counter()
    warnings: list[str] = []
    for line in groups["label"]:
        _label(conn, line, counts, warnings)
    for line in groups["annotator"]:
        _annotator(conn, _get(line, "name", str), counts, line[0])
    documents = {doc_uuid: doc for doc_uuid, doc in (_document(conn, x, counts) for x in groups["document"])}
    spans = {_get(x, "uuid", str): _span(conn, x, documents, counts, warnings) for x in groups["span"]}
    for line in groups["link"]:
        _link(conn, line, spans, counts)
    return dict(counts), warnings


def _label(conn: sqlite3.Connection, line: Record, counts: Counter[str], warnings: list[str]) -> None:
    number = line[0]
    name, kind = _get(line, "name", str), _get(line, "kind", str)
    found = conn.execute("SELECT id, name, kind FROM label WHERE name = ?", (name.strip(),)).fetchone()
    if found:
        if found[2] != kind:
            raise _Refused(
                f"line {number}: label {name!r} is {kind!r} here but {found[2]!r}"
                f" in the project; rename one of them first"
            )
        return
    position = conn.execute("SELECT count(*) FROM label").fetchone()[0]
    try:
        color = _get(line, "color", str, PALETTE[position % len(PALETTE)])
        item = Label(
            id=LabelId(0),
            name=name,
            kind=kind,
            color=color,
            hotkey=_get(line, "hotkey", (str, type(None)), None),
            position=_get(line, "position", int, position),
        )
    except ValidationError as exc:
        raise _Refused(f"line {number}: invalid label {name!r}: {exc.errors()[0]['msg']}") from None
    hotkey = item.hotkey
    if hotkey and conn.execute("SELECT 1 FROM label WHERE hotkey = ?", (hotkey,)).fetchone():
        warnings.append(f"label {item.name!r}: hotkey {hotkey!r} is taken in the project; left without")
        hotkey = None
    conn.execute(
        "INSERT INTO label (name, kind, color, hotkey, position) VALUES (?, ?, ?, ?, ?)",
        (item.name, item.kind.value, item.color, hotkey, item.position),
    )
    counts["labels_added"] += 1


def _annotator(conn: sqlite3.Connection, name: str, counts: Counter[str], number: int) -> int:
    clean = name.strip()
    if not clean:
        raise _Refused(f"line {number}: an annotator needs a name")
    counts["annotators_added"] += conn.execute("INSERT OR IGNORE INTO annotator (name) VALUES (?)", (clean,)).rowcount
    return int(conn.execute("SELECT id FROM annotator WHERE name = ?", (clean,)).fetchone()[0])


def _document(conn: sqlite3.Connection, line: Record, counts: Counter[str]) -> tuple[str, tuple[int, str]]:
    number = line[0]
    text = _get(line, "text", str)
    doc_uuid = _get(line, "uuid", str, None) or str(uuidlib.uuid4())
    digest = sha256(text)
    if _get(line, "text_sha256", str, digest) != digest:
        raise _Refused(f"line {number}: document {doc_uuid}: text does not match its text_sha256")
    if not text or "\r" in text:
        raise _Refused(
            f"line {number}: document {doc_uuid}: text is empty or has \\r line ends"
            " (stored texts use \\n only; offsets would not fit)"
        )
    found = conn.execute("SELECT id FROM document WHERE text_sha256 = ?", (digest,)).fetchone()
    if found:
        counts["documents_matched"] += 1
        return doc_uuid, (int(found[0]), text)
    if conn.execute("SELECT 1 FROM document WHERE uuid = ?", (doc_uuid,)).fetchone():
        raise _Refused(f"line {number}: document {doc_uuid} is already in the project with another text")
    title = _get(line, "title", str, "")
    meta = _get(line, "meta", dict, {})
    cursor = conn.execute(
        "INSERT INTO document (uuid, title, source, url, published, text, text_sha256, meta, imported_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_uuid,
            title,
            _get(line, "source", str, ""),
            _get(line, "url", str, ""),
            _get(line, "published", (str, type(None)), None),
            text,
            digest,
            json.dumps(meta, ensure_ascii=False),
            _get(line, "imported_at", str, now()),
        ),
    )
    doc_id = int(cursor.lastrowid or 0)
    conn.execute(*search_row(doc_id, title, text))
    counts["documents_added"] += 1
    return doc_uuid, (doc_id, text)


def _span(
    conn: sqlite3.Connection,
    line: Record,
    documents: dict[str, tuple[int, str]],
    counts: Counter[str],
    warnings: list[str],
) -> int:
    number, span_uuid = line[0], _get(line, "uuid", str)
    doc_uuid = _get(line, "document", str)
    if doc_uuid not in documents:
        found = conn.execute("SELECT id, text FROM document WHERE uuid = ?", (doc_uuid,)).fetchone()
        if not found:
            raise _Refused(
                f"line {number}: span {span_uuid} refers to document {doc_uuid},"
                " which is neither in this file nor in the project"
            )
        documents[doc_uuid] = (int(found[0]), found[1])
    doc_id, text = documents[doc_uuid]
    start, end, quote = _get(line, "start", int), _get(line, "end", int), _get(line, "quote", str)
    if not 0 <= start < end <= len(text):
        raise _Refused(
            f"line {number}: span {span_uuid} at {start}-{end} is outside its document (0-{len(text)}, start < end)"
        )
    if text[start:end] != quote:
        raise _Refused(
            f"line {number}: span {span_uuid} says {quote!r} but the text at {start}-{end} is {text[start:end]!r}"
        )
    label_id = _label_id(conn, line)
    existing = conn.execute(
        'SELECT id, document_id, start, "end", label_id FROM span WHERE uuid = ?', (span_uuid,)
    ).fetchone()
    if existing:
        if tuple(existing[1:]) != (doc_id, start, end, label_id):
            warnings.append(
                f"line {number}: span {span_uuid} is already in the project with another"
                " document, extent or label; the project's version was kept"
            )
        counts["spans_skipped"] += 1
        return int(existing[0])
    annotator_id = _annotator(conn, _get(line, "annotator", str), counts, number)
    cursor = conn.execute(
        'INSERT INTO span (uuid, document_id, start, "end", label_id, annotator_id, quote, attrs, note,'
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            span_uuid,
            doc_id,
            start,
            end,
            label_id,
            annotator_id,
            quote,
            json.dumps(_get(line, "attrs", dict, {})),
            _get(line, "note", str, ""),
            _get(line, "created_at", str, now()),
        ),
    )
    counts["spans_added"] += 1
    return int(cursor.lastrowid or 0)


def _label_id(conn: sqlite3.Connection, line: Record) -> int:
    """Labels of the file are stored first, so the project now has every label the file names."""
    name = _get(line, "label", str)
    found = conn.execute("SELECT id FROM label WHERE name = ?", (name.strip(),)).fetchone()
    if not found:
        raise _Refused(f"line {line[0]}: label {name!r} is neither in this file nor in the project")
    return int(found[0])


def _link(conn: sqlite3.Connection, line: Record, spans: dict[str, int], counts: Counter[str]) -> None:
    number, link_uuid = line[0], _get(line, "uuid", str)
    kind = _get(line, "kind", str)
    if kind not in {k.value for k in LinkKind}:
        raise _Refused(f"line {number}: link {link_uuid} has unknown kind {kind!r}")
    ends = [_span_id(conn, number, link_uuid, _get(line, key, str), spans) for key in ("source_span", "target_span")]
    if ends[0] == ends[1]:
        raise _Refused(f"line {number}: link {link_uuid} joins a span to itself")
    if conn.execute("SELECT 1 FROM link WHERE uuid = ?", (link_uuid,)).fetchone():
        counts["links_skipped"] += 1
        return
    annotator_id = _annotator(conn, _get(line, "annotator", str), counts, number)
    conn.execute(
        "INSERT INTO link (uuid, kind, source_span_id, target_span_id, annotator_id, note,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (link_uuid, kind, *ends, annotator_id, _get(line, "note", str, ""), _get(line, "created_at", str, now())),
    )
    counts["links_added"] += 1


def _span_id(conn: sqlite3.Connection, number: int, link_uuid: str, span_uuid: str, spans: dict[str, int]) -> int:
    if span_uuid in spans:
        return spans[span_uuid]
    found = conn.execute("SELECT id FROM span WHERE uuid = ?", (span_uuid,)).fetchone()
    if not found:
        raise _Refused(
            f"line {number}: link {link_uuid} refers to span {span_uuid},"
            " which is neither in this file nor in the project"
        )
    return int(found[0])
