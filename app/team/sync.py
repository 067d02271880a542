"""Re-merge as sync: an annotator's own file is the truth for their spans and links.

`merge` calls these inside the one transaction of a source. A source *owns*
the annotators it brings work for (gold excepted), unless another source
that still exists claimed them first; the claims live in the `team.owners`
setting, so an annotator who deleted all their work is still synced.

For an owned annotator, a team span or link with a uuid the source also has
takes the source's extent, label, note and attributes (a link: its kind,
ends and note): *changed*; one that an earlier merge brought from this source
and that the source no longer has (nor an equal one under another uuid) is
*deleted*, with every link on it. Work that never came from the source (made
in the team file, or brought by another file) is left alone: the uuids each
source brought are kept in the `team.merged:<path>` setting. Curation keys items
by content and gold is its own annotator, so both stay as they are.

Verdicts and evidence hanging on what was deleted are taken out first
(`Orphans`) and re-attached by identity once the source's new spans and links
are in: a verdict goes to a link on the same pair of statements (spans in the
same two documents that overlap the old ends, same kind preferred) that has
none in that session; evidence to a span of the same document and extent.
What cannot re-attach is listed and kept as JSON in the `team.unattached`
setting, never dropped silently.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.storage import removal
from app.storage.changes import Delete

GOLD = "gold"
OWNERS, UNATTACHED, MERGED = "team.owners", "team.unattached", "team.merged:"
Groups = dict[str, list[tuple[int, dict[str, Any]]]]
End = tuple[int, int, int]  # (document id, start, end)


class SyncRefused(Exception):
    """A source whose changed span does not fit the text: refuse the whole source."""


def get_setting(conn: sqlite3.Connection, key: str) -> Any:
    found = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return json.loads(found[0]) if found else None


def put_setting(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, ensure_ascii=False, sort_keys=True)),
    )


def owned(conn: sqlite3.Connection, groups: Groups, source: Path) -> set[str]:
    """The annotators this source is the truth for; records the claim."""
    owners: dict[str, str] = get_setting(conn, OWNERS) or {}
    listed = {r["name"].strip() for _, r in groups["annotator"]}
    working = {r["annotator"].strip() for kind in ("span", "link") for _, r in groups[kind]}
    before = {name for name, path in owners.items() if path == str(source) and name in listed}
    mine = set()
    for name in (working | before) - {GOLD}:
        claim = owners.get(name)
        if claim is None or claim == str(source) or not Path(claim).exists():
            mine.add(name)
            owners[name] = str(source)
    if mine:
        put_setting(conn, OWNERS, owners)
    return mine


@dataclass
class Orphan:
    """A verdict whose link was deleted, with what identifies its dispute."""

    session_id: int
    session: str
    decision: str
    rationale: str
    decided_at: str
    kind: str
    ends: tuple[End, End]
    quotes: tuple[str, str]
    evidence: list[tuple[End, str]]


@dataclass
class Orphans:
    verdicts: list[Orphan] = field(default_factory=list)
    evidence: list[tuple[int, End, str]] = field(default_factory=list)  # (surviving verdict id, span, quote)


@dataclass
class Sync:
    """One source's sync, in its transaction."""

    conn: sqlite3.Connection
    groups: Groups
    names: set[str]
    source: Path
    counts: Counter[str] = field(default_factory=Counter)
    unattached: list[str] = field(default_factory=list)
    orphans: Orphans = field(default_factory=Orphans)
    brought: set[str] = field(default_factory=set)  # uuids earlier merges took from this source
    _link_updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def before_store(self) -> None:
        """Update changed spans, delete what the owners no longer have (after labels and documents are in)."""
        if not self.names:
            return
        docs = self._documents()
        self.brought = set(get_setting(self.conn, MERGED + str(self.source)) or [])
        wanted = {
            r["uuid"]: r
            for _, r in self.groups["span"]
            if r["annotator"].strip() in self.names and r["document"] in docs
        }
        by_content = {
            (docs[r["document"]], r["start"], r["end"], r["label"].casefold(), r["annotator"].strip())
            for r in wanted.values()
        }
        gone_spans = []
        for row in self._rows(
            'SELECT s.id, s.uuid, s.document_id, s.start, s."end", l.name, s.note, s.attrs, a.name FROM span s'
            " JOIN label l ON l.id = s.label_id JOIN annotator a ON a.id = s.annotator_id"
        ):
            span_id, uuid, doc, start, end, label, note, attrs, who = row
            if who not in self.names:
                continue
            new = wanted.get(uuid)
            if new is None:
                if uuid in self.brought and (doc, start, end, label.casefold(), who) not in by_content:
                    gone_spans.append(span_id)
                continue
            if (
                docs[new["document"]],
                new["start"],
                new["end"],
                new["label"].casefold(),
                new.get("note", ""),
                new.get("attrs", {}),
            ) != (
                doc,
                start,
                end,
                label.casefold(),
                note,
                json.loads(attrs),
            ):
                self._update_span(span_id, docs[new["document"]], new)
        gone_links = self._links_gone(set(gone_spans))
        self._take_out(gone_spans, gone_links)

    def _documents(self) -> dict[str, int]:
        """Source document uuid -> team document id (matched by text)."""
        found = {}
        for _, doc in self.groups["document"]:
            row = self.conn.execute("SELECT id FROM document WHERE text_sha256 = ?", (doc["text_sha256"],)).fetchone()
            if row:
                found[doc["uuid"]] = int(row[0])
        return found

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def _update_span(self, span_id: int, doc: int, new: dict[str, Any]) -> None:
        text = self.conn.execute("SELECT text FROM document WHERE id = ?", (doc,)).fetchone()[0]
        start, end = new["start"], new["end"]
        if not 0 <= start < end <= len(text) or text[start:end] != new["quote"]:
            raise SyncRefused(f"{self.source}: span {new['uuid']} at {start}-{end} does not fit its document's text")
        label = self.conn.execute("SELECT id FROM label WHERE name = ?", (new["label"].strip(),)).fetchone()
        self.conn.execute(
            'UPDATE span SET document_id = ?, start = ?, "end" = ?, label_id = ?, quote = ?, note = ?, attrs = ?'
            " WHERE id = ?",
            (doc, start, end, label[0], new["quote"], new.get("note", ""), json.dumps(new.get("attrs", {})), span_id),
        )
        self.counts["spans_changed"] += 1

    def _links_gone(self, gone_spans: set[int]) -> list[int]:
        wanted = {r["uuid"]: r for _, r in self.groups["link"] if r["annotator"].strip() in self.names}
        span_uuid = {r[0]: r[1] for r in self._rows("SELECT id, uuid FROM span")}
        contents = {(r["kind"], r["source_span"], r["target_span"], r["annotator"].strip()) for r in wanted.values()}
        gone = []
        for link_id, uuid, kind, a, b, note, who in self._rows(
            "SELECT l.id, l.uuid, l.kind, l.source_span_id, l.target_span_id, l.note, n.name FROM link l"
            " JOIN annotator n ON n.id = l.annotator_id"
        ):
            if a in gone_spans or b in gone_spans:
                gone.append(link_id)  # on a deleted span, whoever made it
            elif who in self.names:
                new = wanted.get(uuid)
                if new is None:
                    if uuid in self.brought and (kind, span_uuid[a], span_uuid[b], who) not in contents:
                        gone.append(link_id)
                elif (new["kind"], new["source_span"], new["target_span"], new.get("note", "")) != (
                    kind,
                    span_uuid[a],
                    span_uuid[b],
                    note,
                ):
                    self._link_updates.append((link_id, new))  # after the store: its ends may be new spans
        return gone

    def _take_out(self, spans: list[int], links: list[int]) -> None:
        removed = removal.collect(self.conn, Delete(spans=tuple(spans), links=tuple(links)))
        ends: dict[int, End] = {s.id: (s.document_id, s.start, s.end) for s in removed.spans}
        quotes: dict[int, str] = {s.id: s.quote for s in removed.spans}

        def end_of(span_id: int) -> tuple[End, str]:
            if span_id not in ends:
                row = self.conn.execute(
                    'SELECT document_id, start, "end", quote FROM span WHERE id = ?', (span_id,)
                ).fetchone()
                ends[span_id], quotes[span_id] = (row[0], row[1], row[2]), row[3]
            return ends[span_id], quotes[span_id]

        sessions = {r[0]: r[1] for r in self._rows("SELECT id, name FROM review_session")}
        links_by_id = {x.id: x for x in removed.links}
        gone_verdicts = {v[0] for v in removed.verdicts}
        evidence: dict[int, list[int]] = {}
        for _, verdict_id, span_id in removed.evidence:
            evidence.setdefault(verdict_id, []).append(span_id)
        for verdict_id, session_id, link_id, decision, rationale, decided_at in removed.verdicts:
            link = links_by_id[link_id]
            (a, qa), (b, qb) = end_of(link.source_span_id), end_of(link.target_span_id)
            self.orphans.verdicts.append(
                Orphan(
                    session_id,
                    sessions.get(session_id, "?"),
                    decision,
                    rationale,
                    decided_at,
                    link.kind.value,
                    (a, b),
                    (qa, qb),
                    [end_of(s) for s in evidence.get(verdict_id, [])],
                )
            )
        for verdict_id, spans_of in evidence.items():
            if verdict_id not in gone_verdicts:
                self.orphans.evidence += [(verdict_id, *end_of(s)) for s in spans_of]
        removal.delete_rows(self.conn, removed)
        self.counts["spans_deleted"] += len(removed.spans)
        self.counts["links_deleted"] += len(removed.links)

    def after_store(self) -> None:
        """Apply link changes, then re-attach what the deletions left without a home."""
        spans = {r[0]: r[1] for r in self._rows("SELECT uuid, id FROM span")}
        for link_id, new in self._link_updates:
            a, b = spans.get(new["source_span"]), spans.get(new["target_span"])
            if a is None or b is None or a == b:
                continue
            self.conn.execute(
                "UPDATE link SET kind = ?, source_span_id = ?, target_span_id = ?, note = ? WHERE id = ?",
                (new["kind"], a, b, new.get("note", ""), link_id),
            )
            self.counts["links_changed"] += 1
        self._reattach()
        mine = sorted(r["uuid"] for kind in ("span", "link") for _, r in self.groups[kind])
        if mine or self.brought:
            put_setting(self.conn, MERGED + str(self.source), mine)

    def _reattach(self) -> None:
        lost = []
        for orphan in self.orphans.verdicts:
            link = find_link(self.conn, orphan.kind, orphan.ends, orphan.session_id)
            if link is None:
                lost.append(orphan)
                continue
            cursor = self.conn.execute(
                "INSERT INTO verdict (session_id, link_id, decision, rationale, decided_at) VALUES (?, ?, ?, ?, ?)",
                (
                    orphan.session_id,
                    link,
                    decision_on(self.conn, link, orphan.ends[0], orphan.decision),
                    orphan.rationale,
                    orphan.decided_at,
                ),
            )
            self.counts["verdicts_reattached"] += 1
            for end, quote in orphan.evidence:
                self._evidence(int(cursor.lastrowid or 0), end, quote, orphan.session)
        for verdict_id, end, quote in self.orphans.evidence:
            name = self.conn.execute(
                "SELECT s.name FROM verdict v JOIN review_session s ON s.id = v.session_id WHERE v.id = ?",
                (verdict_id,),
            ).fetchone()[0]
            self._evidence(verdict_id, end, quote, name)
        if lost:
            kept = (get_setting(self.conn, UNATTACHED) or []) + [
                {
                    "session": o.session,
                    "decision": o.decision,
                    "rationale": o.rationale,
                    "decided_at": o.decided_at,
                    "kind": o.kind,
                    "statements": [
                        {"document": e[0], "start": e[1], "end": e[2], "quote": q}
                        for e, q in zip(o.ends, o.quotes, strict=True)
                    ],
                }
                for o in lost
            ]
            put_setting(self.conn, UNATTACHED, kept)
        for o in lost:
            self.unattached.append(
                f"review session {o.session!r}: verdict {o.decision} on “{o.quotes[0]}” ↔ “{o.quotes[1]}”"
                f" no longer attaches (its link is gone from {self.source.name}); kept in setting {UNATTACHED}"
            )

    def _evidence(self, verdict_id: int, end: End, quote: str, session: str) -> None:
        found = self.conn.execute(
            'SELECT id FROM span WHERE document_id = ? AND start = ? AND "end" = ? ORDER BY id', end
        ).fetchone()
        if found is None:
            self.unattached.append(
                f"review session {session!r}: evidence “{quote}” no longer attaches (its span is gone)"
            )
            return
        self.conn.execute(
            "INSERT OR IGNORE INTO verdict_evidence (verdict_id, span_id) VALUES (?, ?)", (verdict_id, found[0])
        )


def find_link(conn: sqlite3.Connection, kind: str, ends: tuple[End, End], session_id: int) -> int | None:
    """A link on the same pair of statements (ends overlapping `ends` in the same documents, either way)
    without a verdict in the session: same kind first, then the oldest."""
    (da, sa, ea), (db, sb, eb) = ends
    found = conn.execute(
        "SELECT l.id FROM link l JOIN span a ON a.id = l.source_span_id JOIN span b ON b.id = l.target_span_id"
        ' WHERE ((a.document_id = ?1 AND a.start < ?3 AND a."end" > ?2'
        ' AND b.document_id = ?4 AND b.start < ?6 AND b."end" > ?5)'
        ' OR (a.document_id = ?4 AND a.start < ?6 AND a."end" > ?5'
        ' AND b.document_id = ?1 AND b.start < ?3 AND b."end" > ?2))'
        " AND NOT EXISTS (SELECT 1 FROM verdict v WHERE v.link_id = l.id AND v.session_id = ?7)"
        " ORDER BY l.kind <> ?8, l.id LIMIT 1",
        (da, sa, ea, db, sb, eb, session_id, kind),
    ).fetchone()
    return int(found[0]) if found else None


FLIPPED = {"first_source_right": "second_source_right", "second_source_right": "first_source_right"}


def decision_on(conn: sqlite3.Connection, link_id: int, first: End, decision: str) -> str:
    """A first/second decision made on a link whose source was `first`, for `link_id`: flipped when
    that link runs the other way (so "Al Arabiya right" stays on Al Arabiya)."""
    doc, start, end = conn.execute(
        'SELECT s.document_id, s.start, s."end" FROM link l JOIN span s ON s.id = l.source_span_id WHERE l.id = ?',
        (link_id,),
    ).fetchone()
    same_way = doc == first[0] and start < first[2] and first[1] < end
    return decision if same_way else FLIPPED.get(decision, decision)
