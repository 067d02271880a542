"""Events in the project file, and every edit of them as an undoable operation.

Tables `event` and `event_member` (schema version 4). A member is a document
by uuid, so a deleted and restored document keeps its event; listing skips
members whose document is gone.

Every edit is one transaction and returns an `Outcome(value, changes, undo)`
like any `Project` operation. Each edit is a `PutEvents` step (event rows to
make exist, memberships to set, events to drop); the step performs itself
(`Project.apply(step)`, a `FeatureStep`) and returns the step that reverses
it, so undo and redo are plain data on the same stack as everything else.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.errors import InvalidOperation, NotFound
from app.events.features import Profile, profile
from app.events.grouping import DEFAULT, Settings, assign, event_name, group
from app.models import DocumentId
from app.storage.changes import Changes, Outcome
from app.storage.project import Project, now

EventRow = tuple[int, str, str]  # id, name, created_at


@dataclass(frozen=True)
class Event:
    id: int
    name: str
    created_at: str
    documents: tuple[DocumentId, ...]  # in published order, then id


@dataclass(frozen=True)
class PutEvents:
    """Make these event rows exist exactly, set these memberships (None: in no
    event), then drop these events (with any members left in them)."""

    events: tuple[EventRow, ...] = ()
    members: tuple[tuple[str, int | None], ...] = ()
    drop: tuple[int, ...] = ()

    def apply(self, project: Project) -> Outcome[None]:
        """Perform this step (undo or redo); the outcome's `undo` reverses it."""
        return Outcome(None, CHANGES, _put(project, self))


CHANGES = Changes(events=True)


# ---- reading -------------------------------------------------------------------
def events(project: Project) -> list[Event]:
    """Every event with at least one document, largest first, then by id."""
    found: dict[int, list[DocumentId]] = {}
    for event_id, doc_id in project.query(
        "SELECT m.event_id, d.id FROM event_member m JOIN document d ON d.uuid = m.document_uuid"
        " ORDER BY d.published IS NULL, d.published, d.id"
    ):
        found.setdefault(event_id, []).append(DocumentId(doc_id))
    rows = project.query("SELECT id, name, created_at FROM event ORDER BY id")
    listed = [Event(i, name, at, tuple(found[i])) for i, name, at in rows if i in found]
    return sorted(listed, key=lambda e: (-len(e.documents), e.id))


def event(project: Project, event_id: int) -> Event:
    for item in events(project):
        if item.id == event_id:
            return item
    raise NotFound(f"{project.path}: no event {event_id} (see `parallax events`)")


def event_of(project: Project, doc_id: int) -> int | None:
    found = project.query(
        "SELECT m.event_id FROM event_member m JOIN document d ON d.uuid = m.document_uuid WHERE d.id = ?",
        (doc_id,),
    )
    return int(found[0][0]) if found else None


def profiles(project: Project, doc_ids: Iterable[int] | None = None) -> list[Profile]:
    """The event evidence of documents (all by default), in id order."""
    wanted = None if doc_ids is None else set(doc_ids)
    return [
        profile(d.id, project.text(d.id), d.title, d.published)
        for d in sorted(project.documents(), key=lambda d: d.id)
        if wanted is None or d.id in wanted
    ]


# ---- editing -------------------------------------------------------------------
def regroup(
    project: Project, settings: Settings = DEFAULT, computed: Sequence[Profile] | None = None
) -> Outcome[list[Event]]:
    """Group every document afresh, replacing all events (one undoable step).

    `computed`: profiles made elsewhere (on Dask workers); made here if None.
    """
    found = list(computed) if computed is not None else profiles(project)
    by_doc = {p.doc: p for p in found}
    uuids = _uuids(project)
    next_id = _next_id(project)
    stamp = now()
    rows: list[EventRow] = []
    members: list[tuple[str, int | None]] = []
    for offset, docs in enumerate(group(found, settings)):
        rows.append((next_id + offset, event_name([by_doc[d] for d in docs]), stamp))
        members += [(uuids[d], next_id + offset) for d in docs]
    old = tuple(r[0] for r in project.query("SELECT id FROM event"))
    undo = _put(project, PutEvents(tuple(rows), tuple(members), old))
    return Outcome(events(project), CHANGES, undo)


def assign_new(project: Project, settings: Settings = DEFAULT) -> Outcome[list[int]]:
    """Put documents that are in no event into events, leaving the others where
    they are (run after an import). Value: the events created or joined."""
    uuids = _uuids(project)
    current = _memberships(project)
    placed = {doc: current[u] for doc, u in uuids.items() if u in current}
    waiting = [doc for doc in sorted(uuids) if doc not in placed]
    if not waiting:
        return Outcome([], Changes(), PutEvents())
    everyone = {p.doc: p for p in profiles(project)}
    chosen = assign([everyone[d] for d in waiting], [everyone[d] for d in placed], placed, settings)
    fresh: dict[int, int] = {}
    next_id = _next_id(project)
    for key in sorted({e for e in chosen.values() if e < 0}, reverse=True):
        fresh[key] = next_id + len(fresh)
    final = {doc: fresh.get(e, e) for doc, e in chosen.items()}
    touched = sorted(set(final.values()))
    membership = placed | final
    rows = _named_rows(project, touched, membership, everyone)
    undo = _put(project, PutEvents(rows, tuple((uuids[d], e) for d, e in sorted(final.items()))))
    return Outcome(touched, CHANGES, undo)


def place_new(project: Project) -> list[int]:
    """After an import (CLI, scripts): the new documents put into events if the project has any
    (a project never grouped stays so); the events created or joined."""
    return assign_new(project).value if events(project) else []


def move(project: Project, doc_id: int, target: int | None) -> Outcome[int]:
    """Move a document into event `target`, or (None) into a new event of its own."""
    uuids = _uuids(project)
    if doc_id not in uuids:
        raise NotFound(f"document {doc_id} does not exist")
    source = event_of(project, doc_id)
    if target is not None:
        event(project, target)
    destination = target if target is not None else _next_id(project)
    if destination == source:
        raise InvalidOperation(f"document {doc_id} is already in event {destination}")
    return _reassign(project, {doc_id: destination})


def merge(project: Project, event_ids: Sequence[int]) -> Outcome[int]:
    """Merge events into the first one named; the others disappear."""
    if len(set(event_ids)) < 2:
        raise InvalidOperation("merging needs at least two different events")
    chosen = [event(project, e) for e in event_ids]
    into = chosen[0].id
    return _reassign(project, {d: into for e in chosen[1:] for d in e.documents})


def split(project: Project, event_id: int, doc_ids: Sequence[int]) -> Outcome[int]:
    """Take some of an event's documents out into a new event."""
    source = event(project, event_id)
    wanted = set(doc_ids)
    if not wanted or not wanted < set(source.documents):
        raise InvalidOperation(f"split needs some, not all, of event {event_id}'s documents")
    return _reassign(project, dict.fromkeys(sorted(wanted), _next_id(project)))


# ---- helpers -------------------------------------------------------------------
def _reassign(project: Project, moves: Mapping[int, int]) -> Outcome[int]:
    """Set the event of some documents, renaming every event touched; events left
    empty are dropped. Value: the event the documents are now in."""
    uuids = _uuids(project)
    current = _memberships(project)
    membership = {doc: current[u] for doc, u in uuids.items() if u in current}
    touched = sorted({*moves.values(), *(membership[d] for d in moves if d in membership)})
    membership |= moves
    alive = [e for e in touched if e in membership.values()]
    everyone = {p.doc: p for p in profiles(project, [d for d, e in membership.items() if e in alive])}
    rows = _named_rows(project, alive, membership, everyone)
    members = tuple((uuids[d], e) for d, e in sorted(moves.items()))
    undo = _put(project, PutEvents(rows, members, tuple(e for e in touched if e not in alive)))
    return Outcome(next(iter(moves.values())), CHANGES, undo)


def _named_rows(
    project: Project, event_ids: Sequence[int], membership: Mapping[int, int], everyone: Mapping[int, Profile]
) -> tuple[EventRow, ...]:
    existing = {i: at for i, at in project.query("SELECT id, created_at FROM event")}
    stamp = now()
    rows = []
    for e in event_ids:
        members = [everyone[d] for d, x in sorted(membership.items()) if x == e and d in everyone]
        rows.append((e, event_name(members), existing.get(e, stamp)))
    return tuple(rows)


def _put(project: Project, step: PutEvents) -> PutEvents:
    """Write one step in one transaction; returns the step that reverses it."""
    with project.transaction() as conn:
        ids = {row[0] for row in step.events} | set(step.drop)
        before = {r[0]: (r[0], r[1], r[2]) for r in _rows(conn, "SELECT id, name, created_at FROM event", ids)}
        lost = conn.execute(
            "SELECT document_uuid FROM event_member WHERE event_id IN (SELECT value FROM json_each(?))",
            (_json(step.drop),),
        ).fetchall()
        uuids = {u for u, _ in step.members} | {u for (u,) in lost}
        held = dict(_memberships_in(conn, uuids))
        conn.executemany(
            "INSERT INTO event (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id)"
            " DO UPDATE SET name = excluded.name, created_at = excluded.created_at",
            step.events,
        )
        conn.executemany("DELETE FROM event_member WHERE document_uuid = ?", [(u,) for u, e in step.members])
        conn.executemany(
            "INSERT INTO event_member (document_uuid, event_id) VALUES (?, ?)",
            [(u, e) for u, e in step.members if e is not None],
        )
        conn.execute("DELETE FROM event_member WHERE event_id IN (SELECT value FROM json_each(?))", (_json(step.drop),))
        conn.execute("DELETE FROM event WHERE id IN (SELECT value FROM json_each(?))", (_json(step.drop),))
    return PutEvents(
        events=tuple(before[i] for i in sorted(before)),
        members=tuple((u, held.get(u)) for u in sorted(uuids)),
        drop=tuple(sorted(ids - set(before))),
    )


def _json(values: Iterable[Any]) -> str:
    return json.dumps(sorted(values))


def _rows(conn: sqlite3.Connection, sql: str, ids: Iterable[int]) -> list[tuple[int, str, str]]:
    return conn.execute(f"{sql} WHERE id IN (SELECT value FROM json_each(?))", (_json(ids),)).fetchall()


def _memberships_in(conn: sqlite3.Connection, uuids: Iterable[str]) -> list[tuple[str, int]]:
    return conn.execute(
        "SELECT document_uuid, event_id FROM event_member WHERE document_uuid IN (SELECT value FROM json_each(?))",
        (_json(uuids),),
    ).fetchall()


def _memberships(project: Project) -> dict[str, int]:
    return {u: int(e) for u, e in project.query("SELECT document_uuid, event_id FROM event_member")}


def _uuids(project: Project) -> dict[int, str]:
    return {int(i): u for i, u in project.query("SELECT id, uuid FROM document")}


def _next_id(project: Project) -> int:
    return int(project.query("SELECT coalesce(max(id), 0) + 1 FROM event")[0][0])
