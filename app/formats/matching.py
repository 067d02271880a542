"""Shared by the brat, Label Studio and doccano importers.

An importer parses its whole input into a `Plan` (documents by text sha256,
spans with code-point offsets into the normalised text, links between planned
spans), refusing on the first problem, before anything is written. `apply_plan`
then writes the plan in ONE transaction through `bulk_insert`, which mirrors
the INSERTs of `app.storage.project` (the store should own such a bulk path; see
`bulk_insert`). Re-importing the same input changes nothing: a span equal to
an existing one (document, start, end, label, annotator) or with a known uuid
is skipped, and so is a link equal to an existing one. A file that names no
annotator (`Plan.unnamed`) cannot say whose a span is: one equal to an existing
span of anyone (document, start, end, label) is that span.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid as uuidlib
from bisect import bisect_left
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.errors import ImportRefused
from app.formats.import_report import AnnotationImportReport
from app.models import COLOR_PATTERN, NewDocument
from app.storage import rows
from app.storage.default_labels import PALETTE
from app.storage.project import Project, now, sha256

# Characters that end a line for str.splitlines (and so for brat's line reader).
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass(frozen=True)
class Normalised:
    """A text as it arrived (`raw`) and as stored (`text`: no BOM, LF line ends)."""

    raw: str
    text: str
    dropped: tuple[int, ...]  # raw positions of removed characters

    def offset(self, raw_offset: int) -> int:
        """The position in `text` of a position in `raw`."""
        return raw_offset - bisect_left(self.dropped, raw_offset)


def normalise(raw: str) -> Normalised:
    """Drop a leading BOM, turn CRLF and lone CR into LF, remembering where."""
    dropped = [0] if raw.startswith("\ufeff") else []
    dropped += [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"]
    text = raw[1:] if dropped[:1] == [0] else raw
    return Normalised(raw, text.replace("\r\n", "\n").replace("\r", "\n"), tuple(dropped))


def read_text(path: Path) -> str:
    """A whole annotation file as text (UTF-8, a byte-order mark dropped), or ImportRefused saying why."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ImportRefused(path, f"cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ImportRefused(path, f"not UTF-8 text (byte {exc.start})") from exc


@dataclass
class PlannedSpan:
    key: Hashable  # the importer's own name for it, unique within the plan
    sha: str  # document text sha256
    start: int
    end: int
    label: str
    annotator: str
    note: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    uuid: str | None = None


@dataclass
class PlannedLink:
    kind: str
    source: Hashable
    target: Hashable
    annotator: str
    note: str = ""
    uuid: str | None = None


@dataclass
class Plan:
    path: Path
    documents: dict[str, NewDocument] = field(default_factory=dict)
    label_kinds: dict[str, str] = field(default_factory=dict)  # for labels created new
    # Kinds the file itself states (a Parallax sidecar, a claim layer): a label of
    # the project with another kind refuses the file, as the native import does.
    stated_kinds: dict[str, str] = field(default_factory=dict)
    label_colors: dict[str, str] = field(default_factory=dict)
    spans: list[PlannedSpan] = field(default_factory=list)
    links: list[PlannedLink] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Identical twins (same extent, label, annotator) are two spans when the format can
    # hold them apart (brat ids, Label Studio regions); else a stacked copy is one span.
    keep_twins: bool = False
    skipped: dict[str, list[str]] = field(default_factory=dict)  # why -> where, one warning per why
    # The name made up for spans of a file that names no annotator (token formats): such a
    # span already in the project under anyone is that span, so a re-import adds nothing.
    unnamed: str = ""

    def skip(self, why: str, where: str) -> None:
        """Note a line that is not imported; `summary` folds them into one warning per reason."""
        self.skipped.setdefault(why, []).append(where)

    def summary(self) -> list[str]:
        shown = 3
        return [
            f"{why}: {len(places)} skipped ({', '.join(places[:shown])}{', …' if len(places) > shown else ''})"
            for why, places in self.skipped.items()
        ]

    def add_document(self, doc: NewDocument) -> str:
        digest = sha256(doc.text)
        self.documents.setdefault(digest, doc)
        return digest

    def add_span(self, span: PlannedSpan, where: str) -> None:
        text = self.documents[span.sha].text
        if not 0 <= span.start < span.end <= len(text):
            raise ImportRefused(
                self.path, f"{where}: span {span.start}-{span.end} is outside the text (0-{len(text)}, start < end)"
            )
        if not span.label.strip():
            raise ImportRefused(self.path, f"{where}: a span has no label")
        self.spans.append(span)


def refuse_mismatch(path: Path, where: str, expected: str, found: str) -> ImportRefused:
    return ImportRefused(
        path,
        f"{where}: the offsets do not match the text: the file says"
        f" {expected!r}, the text there is {found!r}; nothing was imported",
    )


def apply_plan(project: Project, plan: Plan) -> AnnotationImportReport:
    """Write a plan in one transaction; on any error nothing is stored."""
    with project.transaction() as conn:
        counts = bulk_insert(project, conn, plan)
    return AnnotationImportReport(path=str(plan.path), warnings=(*plan.warnings, *plan.summary()), **counts)


def bulk_insert(project: Project, conn: sqlite3.Connection, plan: Plan) -> dict[str, int]:
    """Insert a plan's rows inside the caller's transaction (mirrors app.storage.project's INSERTs).

    Belongs in the store: `Project.add_documents/add_label/add_span/add_link`
    each commit on their own, so a whole-file import cannot use them.
    """
    counts = dict.fromkeys(
        (
            "documents_added",
            "documents_matched",
            "spans_added",
            "spans_skipped",
            "links_added",
            "links_skipped",
            "labels_added",
            "annotators_added",
        ),
        0,
    )
    stamp = now()
    docs: dict[str, int] = {}
    for digest, doc in plan.documents.items():
        found = conn.execute("SELECT id FROM document WHERE text_sha256 = ?", (digest,)).fetchone()
        counts["documents_matched" if found else "documents_added"] += 1
        docs[digest] = found[0] if found else project.insert_document_row(conn, doc, digest, stamp)
    labels = _labels(conn, plan, counts)
    recognised: dict[Hashable, int] = {}
    if plan.unnamed:
        recognised, plan = _recognise_unnamed(conn, plan, docs, labels, counts)
    people = _annotators(conn, plan, counts)
    span_ids = recognised | _spans(conn, plan, docs, labels, people, counts, stamp)
    _links(conn, plan, span_ids, people, counts, stamp)
    return counts


def _recognise_unnamed(
    conn: sqlite3.Connection, plan: Plan, docs: dict[str, int], labels: dict[str, int], counts: dict[str, int]
) -> tuple[dict[Hashable, int], Plan]:
    """The unnamed spans already in the project (same extent and label, whoever tagged them), and the rest."""
    existing: dict[tuple[Any, ...], int] = {}
    for r in conn.execute('SELECT id, document_id, start, "end", label_id FROM span ORDER BY id'):
        existing.setdefault(tuple(r[1:]), r[0])
    found: dict[Hashable, int] = {}
    for item in plan.spans:
        known = existing.get((docs[item.sha], item.start, item.end, labels[item.label.strip()]))
        if item.annotator == plan.unnamed and known is not None:
            found[item.key] = known
    counts["spans_skipped"] += len(found)
    return found, replace(plan, spans=[s for s in plan.spans if s.key not in found])


def _labels(conn: sqlite3.Connection, plan: Plan, counts: dict[str, int]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for name in dict.fromkeys(s.label.strip() for s in plan.spans):
        row = conn.execute("SELECT id, kind FROM label WHERE name = ?", (name,)).fetchone()
        stated = plan.stated_kinds.get(name)
        if row is not None and stated is not None and stated != row[1]:
            raise ImportRefused(
                plan.path,
                f"label {name!r} is {stated!r} here but {row[1]!r} in the project; rename one of them first;"
                " nothing was imported",
            )
        if row is None:
            position = conn.execute("SELECT count(*) FROM label").fetchone()[0]
            color = plan.label_colors.get(name, "")
            if not re.match(COLOR_PATTERN, color):
                color = PALETTE[position % len(PALETTE)]
            kind = plan.label_kinds.get(name, "entity")
            cursor = conn.execute(
                "INSERT INTO label (name, kind, color, hotkey, position) VALUES (?, ?, ?, NULL, ?)",
                (name, kind if kind in ("entity", "claim") else "entity", color, position),
            )
            row, counts["labels_added"] = (cursor.lastrowid,), counts["labels_added"] + 1
        ids[name] = row[0]
    return ids


def _annotators(conn: sqlite3.Connection, plan: Plan, counts: dict[str, int]) -> dict[str, int]:
    ids: dict[str, int] = {}
    names = [s.annotator for s in plan.spans] + [x.annotator for x in plan.links]
    for name in dict.fromkeys(n.strip() for n in names):
        if not name:
            raise ImportRefused(plan.path, "an annotator name is blank")
        cursor = conn.execute("INSERT OR IGNORE INTO annotator (name) VALUES (?)", (name,))
        counts["annotators_added"] += cursor.rowcount
        ids[name] = conn.execute("SELECT id FROM annotator WHERE name = ?", (name,)).fetchone()[0]
    return ids


def _spans(
    conn: sqlite3.Connection,
    plan: Plan,
    docs: dict[str, int],
    labels: dict[str, int],
    people: dict[str, int],
    counts: dict[str, int],
    stamp: str,
) -> dict[Hashable, int]:
    # Spans already there, by what they cover; with keep_twins each matches one planned
    # span at most, so identical twins stay two spans, on re-import too.
    existing: dict[tuple[Any, ...], list[int]] = {}
    for r in conn.execute('SELECT id, document_id, start, "end", label_id, annotator_id FROM span ORDER BY id'):
        existing.setdefault(tuple(r[1:]), []).append(r[0])
    uuids = {r[0]: r[1] for r in conn.execute("SELECT uuid, id FROM span")}
    claimed = {uuids[item.uuid] for item in plan.spans if item.uuid in uuids}  # matched by uuid below
    ids: dict[Hashable, int] = {}
    for item in plan.spans:
        doc_id = docs[item.sha]
        key = (doc_id, item.start, item.end, labels[item.label.strip()], people[item.annotator.strip()])
        known = uuids.get(item.uuid) if item.uuid else None
        pool = [x for x in existing.get(key, []) if x not in claimed]
        if known is None and pool:
            known = pool[0]
        if known is not None:
            if plan.keep_twins and known in existing.get(key, []):
                existing[key].remove(known)
            ids[item.key] = known
            counts["spans_skipped"] += 1
            continue
        quote = plan.documents[item.sha].text[item.start : item.end]
        values = (
            item.uuid or str(uuidlib.uuid4()),
            doc_id,
            item.start,
            item.end,
            key[3],
            key[4],
            quote,
            json.dumps(item.attrs),
            item.note,
            stamp,
        )
        cursor = conn.execute(
            f"INSERT INTO span ({rows.SPAN_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values
        )
        ids[item.key] = int(cursor.lastrowid or 0)
        if not plan.keep_twins:  # a stacked copy later in the file is the same span
            existing.setdefault(key, []).append(ids[item.key])
        counts["spans_added"] += 1
    return ids


def _links(
    conn: sqlite3.Connection,
    plan: Plan,
    span_ids: dict[Hashable, int],
    people: dict[str, int],
    counts: dict[str, int],
    stamp: str,
) -> None:
    existing = {tuple(r) for r in conn.execute("SELECT kind, source_span_id, target_span_id, annotator_id FROM link")}
    uuids = {r[0] for r in conn.execute("SELECT uuid FROM link")}
    for item in plan.links:
        key = (item.kind, span_ids[item.source], span_ids[item.target], people[item.annotator.strip()])
        if key in existing or (item.uuid and item.uuid in uuids) or key[1] == key[2]:
            counts["links_skipped"] += 1
            continue
        conn.execute(
            f"INSERT INTO link ({rows.LINK_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?)",
            (item.uuid or str(uuidlib.uuid4()), *key, item.note, stamp),
        )
        existing.add(key)
        counts["links_added"] += 1
