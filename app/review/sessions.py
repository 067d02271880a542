"""Dispute review: sessions, their scope, the disputes in it and the verdicts on them.

A review session is one sitting of one reviewer over a scope of links (by
default every `contradicts` link). Each link in scope is a *dispute*; the
reviewer records at most one verdict per link per session. Several sessions
may judge the same link; a `Dispute` carries the verdicts of every session so
their disagreement shows.

Every edit is one transaction and returns an `Outcome`, like every `Project`
operation: its value, `Changes(reviews=True, ...)` naming the session and
link touched, and a step that undoes it. The steps perform themselves
(`Project.apply(step)` calls `step.apply(project)`), so review edits share
the one undo stack and the one change signal without storage knowing them.

Scope rules:
- `kinds`: the link kinds reviewed.
- `document_ids`: a link is in scope if either statement is in one of these
  documents, or both when `within` is set. None means every document.
- `label`: a link is in scope if either statement carries this label (by name).
- `only_undecided`: leave out links that another session has a verdict on.
  Links this session has judged stay in it, so recording a verdict never
  shrinks the session and its progress only ever moves forward.
The scope is evaluated when asked, so links added later join an open session.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from app.errors import CorruptProject, InvalidOperation, NotFound
from app.models import LinkId, SpanId
from app.review.disputes import VERDICT_COLUMNS, load_disputes, read_verdicts
from app.review.models import DECISION_TEXT, Decision, Dispute, Progress, ReviewSession, Scope, Verdict
from app.storage.changes import Changes, Outcome
from app.storage.project import Project, now
from app.text.words import a_or_an

T = TypeVar("T")

__all__ = [
    "DECISION_TEXT",
    "Decision",
    "DeleteSession",
    "Dispute",
    "Progress",
    "PutVerdict",
    "RestoreSession",
    "ReviewSession",
    "ReviewStep",
    "Scope",
    "Verdict",
    "count_in_scope",
    "delete_session",
    "describe_scope",
    "disputes",
    "find_session",
    "latest_decisions",
    "progress",
    "session",
    "sessions",
    "set_paused",
    "set_verdict",
    "start_session",
    "verdicts",
]


# ---- undo steps --------------------------------------------------------------
@dataclass(frozen=True)
class PutVerdict:
    """Make the verdict of (session, link) exactly `verdict` (same id), or remove it."""

    session_id: int
    link_id: int
    verdict: Verdict | None

    def apply(self, project: Project) -> Outcome[Verdict | None]:
        return _put(project, self)


@dataclass(frozen=True)
class DeleteSession:
    session_id: int

    def apply(self, project: Project) -> Outcome[None]:
        return _delete_session(project, self)


@dataclass(frozen=True)
class RestoreSession:
    session: ReviewSession
    verdicts: tuple[Verdict, ...]

    def apply(self, project: Project) -> Outcome[None]:
        return _restore_session(project, self)


ReviewStep = PutVerdict | DeleteSession | RestoreSession


def _outcome(value: T, undo: ReviewStep, session_id: int, link_id: int | None = None) -> Outcome[T]:
    """A review edit's Outcome: which session (and link's verdict) it touched."""
    links = frozenset({link_id}) if link_id is not None else frozenset()
    changes = Changes(reviews=True, review_session_ids=frozenset({session_id}), verdict_link_ids=links)
    return Outcome(value, changes, undo)


# ---- sessions ----------------------------------------------------------------
SESSION_COLUMNS = "id, uuid, name, reviewer, scope, created_at, closed_at"


def _session(row: Sequence[Any]) -> ReviewSession:
    try:
        scope = Scope.model_validate(json.loads(row[4]) or {})
    except ValueError as exc:  # bad JSON or a scope this version cannot read
        raise CorruptProject(f"review session {row[2]!r} has an unreadable scope ({exc})") from exc
    return ReviewSession(
        id=row[0], uuid=row[1], name=row[2], reviewer=row[3], scope=scope, created_at=row[5], closed_at=row[6]
    )


def sessions(project: Project) -> list[ReviewSession]:
    """Every review session, oldest first."""
    return [_session(r) for r in project.query(f"SELECT {SESSION_COLUMNS} FROM review_session ORDER BY id")]


def session(project: Project, session_id: int) -> ReviewSession:
    found = project.query(f"SELECT {SESSION_COLUMNS} FROM review_session WHERE id = ?", (session_id,))
    if not found:
        raise NotFound(f"review session {session_id} does not exist")
    return _session(found[0])


def find_session(project: Project, key: int | str) -> ReviewSession:
    """A session by id, or by name (exact, then ignoring case); a number-like string may be either."""
    if isinstance(key, int):
        return session(project, key)
    all_sessions = sessions(project)
    for matches in (
        [s for s in all_sessions if s.name == key],
        [s for s in all_sessions if s.name.casefold() == key.strip().casefold()],
    ):
        if len(matches) > 1:
            raise InvalidOperation(
                f"{len(matches)} review sessions are named {key!r}; give the id instead"
                f" ({', '.join(str(s.id) for s in matches)})"
            )
        if matches:
            return matches[0]
    if key.strip().isdigit():
        return session(project, int(key))
    names = ", ".join(repr(s.name) for s in all_sessions) or "none yet"
    raise NotFound(f"{project.path}: no review session {key!r} (sessions: {names})")


def start_session(project: Project, name: str, reviewer: str, scope: Scope | None = None) -> Outcome[ReviewSession]:
    """Open a new session; undone by deleting it."""
    name, reviewer = name.strip(), reviewer.strip()
    if not name or not reviewer:
        raise InvalidOperation("a review session needs a name and a reviewer")
    if any(s.name.casefold() == name.casefold() for s in sessions(project)):
        raise InvalidOperation(f"a review session named {name!r} already exists")
    chosen = scope or Scope()
    if not chosen.kinds:
        raise InvalidOperation("a review session needs at least one link kind")
    with project.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO review_session (uuid, name, reviewer, scope, created_at) VALUES (?, ?, ?, ?, ?)",
            (str(uuid.uuid4()), name, reviewer, chosen.model_dump_json(), now()),
        )
        created = _session(
            conn.execute(f"SELECT {SESSION_COLUMNS} FROM review_session WHERE id = ?", (cursor.lastrowid,)).fetchone()
        )
    return _outcome(created, DeleteSession(created.id), created.id)


def set_paused(project: Project, session_id: int, paused: bool) -> ReviewSession:
    """Pause (closed_at = now) or resume a session. A status, not an edit: not undoable."""
    session(project, session_id)
    with project.transaction() as conn:
        conn.execute("UPDATE review_session SET closed_at = ? WHERE id = ?", (now() if paused else None, session_id))
    return session(project, session_id)


def delete_session(project: Project, session_id: int) -> Outcome[None]:
    """Remove a session and its verdicts; undone by restoring both, ids included."""
    return _delete_session(project, DeleteSession(session_id))


def _delete_session(project: Project, step: DeleteSession) -> Outcome[None]:
    gone = session(project, step.session_id)
    held = tuple(verdicts(project, step.session_id))
    with project.transaction() as conn:
        conn.executemany("DELETE FROM verdict_evidence WHERE verdict_id = ?", [(v.id,) for v in held])
        conn.execute("DELETE FROM verdict WHERE session_id = ?", (gone.id,))
        conn.execute("DELETE FROM review_session WHERE id = ?", (gone.id,))
    return _outcome(None, RestoreSession(gone, held), gone.id)


def _restore_session(project: Project, step: RestoreSession) -> Outcome[None]:
    item = step.session
    with project.transaction() as conn:
        try:
            conn.execute(
                f"INSERT INTO review_session ({SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    item.id,
                    item.uuid,
                    item.name,
                    item.reviewer,
                    item.scope.model_dump_json(),
                    item.created_at,
                    item.closed_at,
                ),
            )
            for held in step.verdicts:
                _insert_verdict(conn, held)
        except sqlite3.IntegrityError as exc:
            raise InvalidOperation(f"cannot restore review session {item.name!r}: {exc}") from exc
    return _outcome(None, DeleteSession(item.id), item.id)


# ---- verdicts ----------------------------------------------------------------
def verdicts(project: Project, session_id: int | None = None) -> list[Verdict]:
    """Verdicts of one session (or all), oldest decision first, with their evidence spans."""
    return read_verdicts(project, session_id)


def _verdict_of(project: Project, session_id: int, link_id: int) -> Verdict | None:
    return next((v for v in verdicts(project, session_id) if v.link_id == link_id), None)


def set_verdict(
    project: Project,
    session_id: int,
    link_id: int,
    decision: Decision | str | None,
    rationale: str = "",
    evidence: Iterable[int] = (),
) -> Outcome[Verdict | None]:
    """Record (or replace) this session's verdict on a link; None removes it. Undoable."""
    session(project, session_id)
    project.link(link_id)
    if decision is None:
        return _put(project, PutVerdict(session_id, link_id, None))
    try:
        chosen = Decision(decision)
    except ValueError as exc:
        allowed = ", ".join(d.value for d in Decision)
        raise InvalidOperation(f"unknown decision {decision!r} (one of {allowed})") from exc
    spans = tuple(dict.fromkeys(SpanId(s) for s in evidence))
    missing = set(spans) - set(project.spans_by_id(spans))
    if missing:
        raise NotFound(f"evidence span {min(missing)} does not exist")
    old = _verdict_of(project, session_id, link_id)
    verdict = Verdict(
        id=old.id if old else 0,
        session_id=session_id,
        link_id=LinkId(link_id),
        decision=chosen,
        rationale=rationale,
        evidence=spans,
        decided_at=now(),
    )
    return _put(project, PutVerdict(session_id, link_id, verdict))


def _put(project: Project, step: PutVerdict) -> Outcome[Verdict | None]:
    old = _verdict_of(project, step.session_id, step.link_id)
    with project.transaction() as conn:
        if old is not None:
            conn.execute("DELETE FROM verdict_evidence WHERE verdict_id = ?", (old.id,))
            conn.execute("DELETE FROM verdict WHERE id = ?", (old.id,))
        written = _insert_verdict(conn, step.verdict) if step.verdict is not None else None
    return _outcome(written, PutVerdict(step.session_id, step.link_id, old), step.session_id, step.link_id)


def _insert_verdict(conn: sqlite3.Connection, item: Verdict) -> Verdict:
    """Insert a verdict with its id (a new one when 0) and its evidence."""
    cursor = conn.execute(
        f"INSERT INTO verdict ({VERDICT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
        (item.id or None, item.session_id, item.link_id, item.decision.value, item.rationale, item.decided_at),
    )
    written = item.model_copy(update={"id": int(cursor.lastrowid or item.id)})
    conn.executemany(
        "INSERT INTO verdict_evidence (verdict_id, span_id) VALUES (?, ?)",
        [(written.id, span_id) for span_id in written.evidence],
    )
    return written


def latest_decisions(project: Project) -> dict[LinkId, Decision]:
    """Link id -> the decision of its latest verdict in any session (by decided_at, then id)."""
    return {v.link_id: v.decision for v in verdicts(project)}


# ---- disputes ----------------------------------------------------------------
def disputes(project: Project, review: ReviewSession | int) -> list[Dispute]:
    """The disputes in a session's scope (one per pair of statements), by date of the first link's
    source document, then position."""
    chosen = review if isinstance(review, ReviewSession) else session(project, review)
    return load_disputes(project, _scoped_link_ids(project, chosen))


def count_in_scope(project: Project, scope: Scope) -> int:
    """How many disputes a new session with this scope would have (a session with none is not started)."""
    draft = ReviewSession(id=0, uuid="", name="", reviewer="", scope=scope, created_at="")
    return len(disputes(project, draft))


def progress(project: Project, review: ReviewSession | int) -> Progress:
    chosen = review if isinstance(review, ReviewSession) else session(project, review)
    items = disputes(project, chosen)
    return Progress(sum(1 for d in items if d.judgement_in(chosen.id) is not None), len(items))


def _scoped_link_ids(project: Project, review: ReviewSession) -> list[LinkId]:
    scope = review.scope
    where = ["l.kind IN (SELECT value FROM json_each(?))"]
    params: list[Any] = [json.dumps([k.value for k in scope.kinds])]
    if scope.document_ids is not None:
        joiner = " AND " if scope.within else " OR "
        where.append(
            "(" + joiner.join(f"{side}.document_id IN (SELECT value FROM json_each(?))" for side in ("a", "b")) + ")"
        )
        params += [json.dumps(list(scope.document_ids))] * 2
    if scope.label is not None:  # label names compare without case (COLLATE NOCASE)
        where.append("EXISTS (SELECT 1 FROM label x WHERE x.id IN (a.label_id, b.label_id) AND x.name = ?)")
        params.append(scope.label.strip())
    if scope.only_undecided:
        where.append(
            "(EXISTS (SELECT 1 FROM verdict v WHERE v.link_id = l.id AND v.session_id = ?)"
            " OR NOT EXISTS (SELECT 1 FROM verdict v WHERE v.link_id = l.id AND v.session_id <> ?))"
        )
        params += [review.id, review.id]
    found = project.query(
        "SELECT l.id FROM link l JOIN span a ON a.id = l.source_span_id JOIN span b ON b.id = l.target_span_id"
        " JOIN document d ON d.id = a.document_id WHERE "
        + " AND ".join(where)
        + " ORDER BY d.published IS NULL, d.published, d.id, a.start, b.document_id, b.start, l.id",
        params,
    )
    return [LinkId(r[0]) for r in found]


def describe_scope(project: Project, scope: Scope) -> str:
    """One line saying what a scope covers, for headers."""
    parts = [" and ".join(k.value.replace("_", " ") for k in scope.kinds) + " links"]
    if scope.document_ids is not None:
        titles: dict[int, str] = {d.id: d.title or f"document {d.id}" for d in project.documents()}
        names = ", ".join(titles.get(i, f"document {i} (deleted)") for i in scope.document_ids)
        parts.append(("between " if scope.within else "touching ") + (names or "no documents"))
    if scope.label:
        parts.append(f"with {a_or_an(scope.label)} statement")
    if scope.only_undecided:
        parts.append("not judged in another session")
    return ", ".join(parts)
