"""Merge carries review sessions, verdicts and curation decisions from a source.

Read from the source (`read_review`) before its transaction, written into the
target (`carry`) after its spans and links are in. Identity, never row ids:
a session by uuid (a new one whose name is taken gets the file's name after
it), a verdict by (session uuid, link uuid), evidence by span uuid, a
curation decision by (document, item) with the document matched by text.
A verdict or decision the target already has is kept as the target has it.
A verdict whose link did not come over (a duplicate of a target link under
another uuid) goes to a link on the same pair of statements (see
`app.team.sync.find_link`); one that finds none is listed.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.storage.project import Project
from app.team.sync import End, decision_on, find_link


@dataclass
class SourceReview:
    sessions: list[tuple[Any, ...]] = field(default_factory=list)  # uuid, name, reviewer, scope, created, closed
    verdicts: list[tuple[Any, ...]] = field(default_factory=list)  # session uuid, link uuid, decision, rationale,
    # decided_at, kind, ends (two (text sha, start, end)), evidence span uuids
    curation: list[tuple[Any, ...]] = field(default_factory=list)  # text sha, item, state, decided_by, decided_at
    documents: dict[int, str] = field(default_factory=dict)  # the source's document ids -> text sha256


def read_review(project: Project) -> SourceReview:
    found = SourceReview()
    found.documents = {r[0]: r[1] for r in project.query("SELECT id, text_sha256 FROM document")}
    try:
        found.sessions = project.query(
            "SELECT uuid, name, reviewer, scope, created_at, closed_at FROM review_session ORDER BY id"
        )
        evidence: dict[int, list[str]] = {}
        for verdict_id, span_uuid in project.query(
            "SELECT e.verdict_id, s.uuid FROM verdict_evidence e JOIN span s ON s.id = e.span_id ORDER BY e.rowid"
        ):
            evidence.setdefault(verdict_id, []).append(span_uuid)
        for row in project.query(
            "SELECT v.id, s.uuid, l.uuid, v.decision, v.rationale, v.decided_at, l.kind,"
            ' da.text_sha256, a.start, a."end", db.text_sha256, b.start, b."end"'
            " FROM verdict v JOIN review_session s ON s.id = v.session_id JOIN link l ON l.id = v.link_id"
            " JOIN span a ON a.id = l.source_span_id JOIN span b ON b.id = l.target_span_id"
            " JOIN document da ON da.id = a.document_id JOIN document db ON db.id = b.document_id ORDER BY v.id"
        ):
            found.verdicts.append((*row[1:7], (row[7:10], row[10:13]), evidence.get(row[0], [])))
        found.curation = project.query(
            "SELECT d.text_sha256, j.item, j.state, j.decided_by, j.decided_at FROM adjudication j"
            " JOIN document d ON d.uuid = j.document_uuid"
        )
    except sqlite3.OperationalError:  # an older schema without review tables
        pass
    return found


def carry(conn: sqlite3.Connection, review: SourceReview, source: Path) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    unattached: list[str] = []
    sessions = _sessions(conn, review, source, counts)
    links = {r[0]: r[1] for r in conn.execute("SELECT uuid, id FROM link")}
    spans = {r[0]: r[1] for r in conn.execute("SELECT uuid, id FROM span")}
    docs = {r[0]: r[1] for r in conn.execute("SELECT text_sha256, id FROM document")}
    for session_uuid, link_uuid, decision, rationale, decided_at, kind, ends, evidence in review.verdicts:
        session_id = sessions[session_uuid]
        link_id = links.get(link_uuid)
        if (
            link_id is not None
            and conn.execute(
                "SELECT 1 FROM verdict WHERE session_id = ? AND link_id = ?", (session_id, link_id)
            ).fetchone()
        ):
            continue  # the target's verdict stands
        if link_id is None:
            where: tuple[End, End] = tuple((docs[sha], start, end) for sha, start, end in ends)  # type: ignore[assignment]
            link_id = find_link(conn, kind, where, session_id)
            if link_id is not None:
                decision = decision_on(conn, link_id, where[0], decision)
        if link_id is None:
            unattached.append(f"{source.name}: a verdict ({decision}) of its review session found no link to go on")
            continue
        cursor = conn.execute(
            "INSERT INTO verdict (session_id, link_id, decision, rationale, decided_at) VALUES (?, ?, ?, ?, ?)",
            (session_id, link_id, decision, rationale, decided_at),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO verdict_evidence (verdict_id, span_id) VALUES (?, ?)",
            [(cursor.lastrowid, spans[s]) for s in evidence if s in spans],
        )
        counts["verdicts_added"] += 1
    uuids = {r[0]: r[1] for r in conn.execute("SELECT text_sha256, uuid FROM document")}
    for sha, item, state, decided_by, decided_at in review.curation:
        counts["curation_added"] += conn.execute(
            "INSERT OR IGNORE INTO adjudication (document_uuid, item, state, decided_by, decided_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (uuids[sha], item, state, decided_by, decided_at),
        ).rowcount
    return counts, unattached


def _sessions(conn: sqlite3.Connection, review: SourceReview, source: Path, counts: Counter[str]) -> dict[str, int]:
    ids = {r[0]: r[1] for r in conn.execute("SELECT uuid, id FROM review_session")}
    names = {r[0].casefold() for r in conn.execute("SELECT name FROM review_session")}
    docs = {r[0]: r[1] for r in conn.execute("SELECT text_sha256, id FROM document")}
    for session_uuid, name, reviewer, scope, created_at, closed_at in review.sessions:
        if session_uuid in ids:
            continue
        scope = _scope(scope, review.documents, docs)
        if name.casefold() in names:
            name = f"{name} ({source.stem})"
        cursor = conn.execute(
            "INSERT INTO review_session (uuid, name, reviewer, scope, created_at, closed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (session_uuid or str(uuidlib.uuid4()), name, reviewer, scope, created_at, closed_at),
        )
        ids[session_uuid], counts["sessions_added"] = int(cursor.lastrowid or 0), counts["sessions_added"] + 1
        names.add(name.casefold())
    return ids


def _scope(scope: str, theirs: dict[int, str], ours: dict[str, int]) -> str:
    """The scope with the source's document ids turned into the target's."""
    data = json.loads(scope or "{}")
    if data.get("document_ids") is not None:
        data["document_ids"] = [ours[theirs[i]] for i in data["document_ids"] if i in theirs and theirs[i] in ours]
    return json.dumps(data)
