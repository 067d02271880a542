"""Curation: deciding candidates (`app.team.candidates`) into one gold layer.

- Agreed items are pre-accepted by `preaccept_agreed`. The curation view calls
  it on opening a document until it has once put something into gold there
  (`preaccepted`, a project setting written in the same step), so an agreed
  item the adjudicator reopened stays open, and agreements made later are
  taken in on a later opening as long as none were before.
- Accepting a span item rejects its rivals (competing candidates) in the same
  step, unless `keep_rivals` says the user keeps both on purpose.
- Accepting a link accepts its open endpoint spans too; a rejected endpoint
  refuses. Rejecting or resetting a span drops the gold links on it (those
  links become open).

Each operation is one transaction and returns an Outcome of a `StateChange`;
`revert` undoes it exactly (same rows, ids and uuids) and returns the change
that redoes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.errors import InvalidOperation
from app.models import GOLD, DocumentId
from app.storage.changes import Changes, Outcome, UndoStep
from app.storage.project import Project, now
from app.team.candidates import (
    ROW_COLUMNS,
    Candidate,
    Item,
    ItemChange,
    Row,
    State,
    StateChange,
    _preaccepted_key,
    _Survey,
    candidates,
    counts,
    preaccepted,
)

__all__ = [
    "Candidate",
    "ItemChange",
    "State",
    "StateChange",
    "candidates",
    "counts",
    "preaccept_agreed",
    "preaccepted",
    "revert",
    "set_state",
]


# ---- deciding ------------------------------------------------------------
def set_state(
    project: Project, document_id: int, key: str, state: State | str, adjudicator: str, keep_rivals: bool = False
) -> Outcome[StateChange]:
    """Accept (`accepted` or `agreed`), reject or reopen one item, in one transaction.

    Accepting a span item rejects the items competing with it, unless `keep_rivals`."""
    target = State(state)
    survey = _Survey(project)
    item = survey.find(document_id, key)
    if item.state == target or {item.state, target} == {State.AGREED, State.ACCEPTED}:
        return _outcome(StateChange(document_id))
    edit = _Edit(project, survey, document_id, adjudicator)
    with project.batch():
        if target in (State.AGREED, State.ACCEPTED):
            edit.accept(item)
            for rival in () if keep_rivals else item.rivals:
                found = survey.find(document_id, rival)
                if found.state != State.REJECTED:
                    edit.drop_gold(found)
                    edit.decide(found, State.REJECTED)
        else:
            edit.drop_gold(item)
            edit.decide(item, State.REJECTED if target == State.REJECTED else None)
        return _outcome(edit.finish())


def preaccept_agreed(project: Project, document_id: int, adjudicator: str) -> Outcome[StateChange]:
    """Put every open agreed item of the document into gold, in one transaction.

    A link whose endpoint was rejected stays open. If anything went in, the
    document is marked `preaccepted` in the same step."""
    survey = _Survey(project)
    edit = _Edit(project, survey, document_id, adjudicator)
    with project.batch():
        for item in survey.items(document_id):
            rejected_end = any(
                survey.find(survey.doc_of[uuid], key).state == State.REJECTED for uuid, key in item.ends or ()
            )
            if item.agreed and item.state == State.OPEN and not rejected_end:
                edit.accept(item)
        marker = _preaccepted_key(project, document_id)
        if edit.undo and project.get_setting(marker) is None:
            edit.undo.insert(0, project.set_setting(marker, now()).undo)  # undone last
        return _outcome(edit.finish())


@dataclass(frozen=True)
class RevertCuration:
    """The undo step of a curation edit: `revert` it, exactly."""

    change: StateChange

    def apply(self, project: Project) -> Outcome[StateChange]:
        return _outcome(revert(project, self.change))


def _outcome(change: StateChange) -> Outcome[StateChange]:
    return Outcome(change, change.changes | Changes(curation=True), RevertCuration(change))


def revert(project: Project, change: StateChange) -> StateChange:
    """Undo `change` exactly, in one transaction; returns the change that redoes it."""
    redo: list[UndoStep] = []
    with project.batch():
        for step in change.undo:
            redo.append(project.apply(step).undo)
        with project.transaction() as conn:
            for uuid, item, row in change.rows_before:
                conn.execute("DELETE FROM adjudication WHERE document_uuid = ? AND item = ?", (uuid, item))
                if row is not None:
                    conn.execute(f"INSERT INTO adjudication ({ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", row)
    items = tuple(ItemChange(x.home, x.key, x.after, x.before) for x in change.items)
    return StateChange(
        change.document_id, items, change.changes, tuple(reversed(redo)), change.rows_after, change.rows_before
    )


class _Edit:
    """One adjudication transaction in progress: what it did and how to take it back."""

    def __init__(self, project: Project, survey: _Survey, document_id: int, adjudicator: str) -> None:
        self.project, self.survey, self.document_id = project, survey, document_id
        self.adjudicator = adjudicator
        self.involved = {document_id}
        self.before = survey.states(self.involved)
        self.undo: list[UndoStep] = []
        self.changes = Changes(spans=True, links=True)
        self.rows: dict[Item, Row | None] = {}  # rows touched, as they were
        self.made: dict[Item, int] = {}  # gold spans added by this edit

    def _store(self, outcome: Outcome[Any]) -> Any:
        self.undo.append(outcome.undo)
        self.changes |= outcome.changes
        return outcome.value

    def accept(self, item: Candidate) -> int:
        """Put an item into gold; returns the id of its (first) gold span or link."""
        if item.kind == "span":
            return self._accept_span(self.survey.doc_of[item.home], item)
        ids = []
        for uuid, key in item.ends or ():
            doc_id = self.survey.doc_of[uuid]
            if doc_id not in self.involved:
                self.involved.add(doc_id)
                self.before |= self.survey.states({doc_id})
            end = self.survey.find(doc_id, key)
            if end.state == State.REJECTED:
                raise InvalidOperation(f"“{end.quote}” ({end.label}) was rejected; accept it before a link on it")
            ids.append(self._accept_span(doc_id, end))
        self.decide(item, None)
        if item.gold:
            return item.gold[0]
        return int(self._store(self.project.add_link(item.label, ids[0], ids[1], GOLD)).id)

    def _accept_span(self, doc_id: int, item: Candidate) -> int:
        self.decide(item, None)
        ref = (item.home, item.key)
        if not item.gold and ref not in self.made:
            label = next(x.id for x in self.survey.labels.values() if x.name == item.label)
            added = self.project.add_span(
                doc_id, item.start, item.end, label, GOLD, attrs={"adjudicated_from": list(item.sources)}
            )
            self.made[ref] = int(self._store(added).id)
        return item.gold[0] if item.gold else self.made[ref]

    def drop_gold(self, item: Candidate) -> None:
        if item.gold:
            remove = self.project.delete_spans if item.kind == "span" else self.project.delete_links
            self._store(remove(item.gold))

    def decide(self, item: Candidate, state: State | None) -> None:
        """Record (or, with None, clear) the item's row in the adjudication table."""
        ref = (item.home, item.key)
        old = _row(self.project, ref)
        if ref not in self.rows:
            self.rows[ref] = old
        if old is None and state is None:
            return
        with self.project.transaction() as conn:
            conn.execute("DELETE FROM adjudication WHERE document_uuid = ? AND item = ?", ref)
            if state is not None:
                conn.execute(
                    "INSERT INTO adjudication (document_uuid, item, state, decided_by, decided_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (*ref, state.value, self.adjudicator, now()),
                )

    def finish(self) -> StateChange:
        """The change as done; called inside the transaction, so it reads what it wrote."""
        survey = _Survey(self.project)
        after = survey.states(self.involved)
        for ref in self.before.keys() - after.keys():  # gone from the list (gold without sources)
            after[ref] = survey.state(False, False, *ref)
        items = tuple(
            ItemChange(*ref, self.before.get(ref, State.OPEN), state)
            for ref, state in after.items()
            if self.before.get(ref, State.OPEN) != state
        )
        rows = {ref: row for ref, row in self.rows.items() if row != _row(self.project, ref)}
        changes = self.changes | Changes(document_ids=frozenset(DocumentId(i) for i in self.involved))
        return StateChange(
            self.document_id,
            items,
            changes,
            tuple(reversed(self.undo)),
            tuple((*ref, row) for ref, row in rows.items()),
            tuple((*ref, _row(self.project, ref)) for ref in rows),
        )


def _row(project: Project, ref: Item) -> Row | None:
    found = project.query(f"SELECT {ROW_COLUMNS} FROM adjudication WHERE document_uuid = ? AND item = ?", ref)
    return found[0] if found else None
