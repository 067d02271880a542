"""Adjudication: merging the annotators' spans and links into one gold layer.

The gold layer is the spans and links of the reserved annotator `gold`. For one
document the other annotators' work is grouped into candidate items:

- A span item is every non-gold span with the same start, end and label, keyed
  ``span:{start}:{end}:{label name}``.
- A link item is every non-gold link whose endpoints fall in the same two span
  items, keyed ``link:`` + JSON ``[kind, [doc uuid, span key], [doc uuid, span
  key]]``. Direction counts for `supports` and `updates`; for `same_as` and
  `contradicts` the endpoints are sorted. A link is listed in each document it
  touches; its decision is stored under the document of its first endpoint.
- Agreed: made by at least two annotators and by every annotator with a
  non-gold span in the document (for a link: in both its documents). With one
  annotator nothing is agreed.
- State, derived from the file: an item with gold (a gold span of that extent
  and label; a gold link between such gold spans) is `agreed` when agreed, else
  `accepted`; otherwise `rejected` when the adjudication table says so; else
  `open`. Gold made by hand, or whose sources were deleted, is listed as accepted.
  Only rejections are rows; an acceptance is its gold span. Keys name labels, so
  renaming a label reopens its rejected items.
- Agreed items are pre-accepted by `preaccept_agreed`. The curation view calls
  it on opening a document until it has once put something into gold there
  (`preaccepted`, a project setting written in the same step), so an agreed
  item the adjudicator reopened stays open, and agreements made later are
  taken in on a later opening as long as none were before.
- Accepting a link accepts its open endpoint spans too; a rejected endpoint
  refuses. Rejecting or resetting a span drops the gold links on it (those
  links become open).

Each operation is one transaction and returns a `StateChange`; `revert` undoes
it exactly (same rows, ids and uuids) and returns the change that redoes it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from app.errors import InvalidOperation, NotFound
from app.models import GOLD, SYMMETRIC, DocumentId, LinkKind, Span
from app.storage.changes import Changes, Outcome, UndoStep
from app.storage.project import Project, now

Ref = tuple[str, str]  # an endpoint: (document uuid, span key)
Row = tuple[Any, ...]  # an adjudication row as stored
Item = tuple[str, str]  # (document uuid, item key): an adjudication row's identity
ROW_COLUMNS = "id, document_uuid, item, state, decided_by, decided_at"


class State(StrEnum):
    AGREED = "agreed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    OPEN = "open"


@dataclass(frozen=True)
class Candidate:
    key: str
    kind: Literal["span", "link"]
    label: str  # the label name, or the link kind
    start: int  # a link's: where its endpoint in this document starts
    end: int
    quote: str  # a link's: both quotes, joined by an arrow
    annotators: tuple[str, ...]  # who made it, by name
    sources: tuple[str, ...]  # uuids of the spans or links it groups
    agreed: bool
    state: State
    home: str  # uuid of the document whose adjudication row holds its decision
    gold: tuple[int, ...] = ()  # ids of the gold spans or links that carry it
    ends: tuple[Ref, Ref] | None = None  # a link's endpoints


@dataclass(frozen=True)
class ItemChange:
    home: str  # the item's document uuid (a link's: its first endpoint's)
    key: str
    before: State
    after: State


@dataclass(frozen=True)
class StateChange:
    """What an adjudication did, and exactly how to take it back (see `revert`)."""

    document_id: int
    items: tuple[ItemChange, ...] = ()  # every item whose state changed
    changes: Changes = field(default_factory=Changes)
    undo: tuple[UndoStep, ...] = ()  # store steps, in the order to apply them
    rows_before: tuple[tuple[str, str, Row | None], ...] = ()  # (document uuid, item, row)
    rows_after: tuple[tuple[str, str, Row | None], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.items or self.undo or self.rows_before)

    @property
    def before(self) -> dict[str, State]:
        return {x.key: x.before for x in self.items}

    @property
    def after(self) -> dict[str, State]:
        return {x.key: x.after for x in self.items}


# ---- reading -------------------------------------------------------------
def candidates(project: Project, document_id: int) -> list[Candidate]:
    """The document's span items in text order, then its link items in text order."""
    return _Survey(project).items(document_id)


def counts(project: Project, document_id: int) -> dict[State, int]:
    found = Counter(c.state for c in candidates(project, document_id))
    return {state: found[state] for state in State}


def preaccepted(project: Project, document_id: int) -> bool:
    """Has `preaccept_agreed` put agreed items into gold here before?"""
    return project.get_setting(_preaccepted_key(project, document_id)) is not None


def _preaccepted_key(project: Project, document_id: int) -> str:
    return f"adjudication.preaccepted:{project.document(document_id).uuid}"


class _Survey:
    """The project as adjudication sees it, read once per operation."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.labels = {x.id: x for x in project.labels()}
        self.names: dict[int, str] = {a.id: a.name for a in project.annotators()}
        self.uuids: dict[int, str] = {d.id: d.uuid for d in project.documents()}
        self.doc_of = {uuid: doc_id for doc_id, uuid in self.uuids.items()}
        self._spans: dict[int, list[Span]] = {}
        self._rows: dict[str, dict[str, str]] = {}
        self._items: dict[int, list[Candidate]] = {}

    def spans(self, doc_id: int) -> list[Span]:
        if doc_id not in self._spans:
            self._spans[doc_id] = self.project.spans(doc_id)
        return self._spans[doc_id]

    def rows(self, uuid: str) -> dict[str, str]:
        if uuid not in self._rows:
            found = self.project.query("SELECT item, state FROM adjudication WHERE document_uuid = ?", (uuid,))
            self._rows[uuid] = {item: state for item, state in found}
        return self._rows[uuid]

    def is_gold(self, annotator_id: int) -> bool:
        return self.names.get(annotator_id) == GOLD

    def authors(self, doc_id: int) -> set[str]:
        return {self.names[s.annotator_id] for s in self.spans(doc_id) if not self.is_gold(s.annotator_id)}

    def ref(self, span: Span) -> Ref:
        return self.uuids[span.document_id], f"span:{span.start}:{span.end}:{self.labels[span.label_id].name}"

    def state(self, gold: bool, agreed: bool, home: str, key: str) -> State:
        if gold:
            return State.AGREED if agreed else State.ACCEPTED
        return State.REJECTED if self.rows(home).get(key) == "rejected" else State.OPEN

    def items(self, doc_id: int) -> list[Candidate]:
        if doc_id not in self.uuids:
            raise NotFound(f"document {doc_id} does not exist")
        if doc_id not in self._items:
            self._items[doc_id] = self.span_items(doc_id) + self.link_items(doc_id)
        return self._items[doc_id]

    def find(self, doc_id: int, key: str) -> Candidate:
        found = next((c for c in self.items(doc_id) if c.key == key), None)
        if found is None:
            raise NotFound(f"document {doc_id} has no item {key!r} to adjudicate")
        return found

    def span_items(self, doc_id: int) -> list[Candidate]:
        made: dict[str, list[Span]] = defaultdict(list)
        gold: dict[str, list[Span]] = defaultdict(list)
        for span in self.spans(doc_id):
            (gold if self.is_gold(span.annotator_id) else made)[self.ref(span)[1]].append(span)
        authors, home = self.authors(doc_id), self.uuids[doc_id]
        items = []
        for key in made.keys() | gold.keys():
            sources, first = made.get(key, []), (made.get(key) or gold[key])[0]
            names = sorted({self.names[s.annotator_id] for s in sources})
            agreed = len(names) >= 2 and authors <= set(names)
            items.append(
                Candidate(
                    key,
                    "span",
                    self.labels[first.label_id].name,
                    first.start,
                    first.end,
                    first.quote,
                    tuple(names),
                    tuple(s.uuid for s in sources),
                    agreed,
                    self.state(key in gold, agreed, home, key),
                    home,
                    tuple(s.id for s in gold.get(key, [])),
                )
            )
        position = {x.name: x.position for x in self.labels.values()}
        return sorted(items, key=lambda c: (c.start, c.end, position[c.label], c.label))

    def link_items(self, doc_id: int) -> list[Candidate]:
        here = {s.id for s in self.spans(doc_id)}
        links = [x for x in self.project.links() if x.source_span_id in here or x.target_span_id in here]
        ends = self.project.spans_by_id(i for x in links for i in (x.source_span_id, x.target_span_id))
        made: dict[str, list[str]] = defaultdict(list)  # key -> link uuids
        makers: dict[str, set[str]] = defaultdict(set)
        gold: dict[str, list[int]] = defaultdict(list)
        shape: dict[str, tuple[LinkKind, Span, Span]] = {}
        for link in links:
            a, b = ends[link.source_span_id], ends[link.target_span_id]
            if link.kind in SYMMETRIC and self.ref(b) < self.ref(a):
                a, b = b, a
            if self.ref(a) == self.ref(b):
                continue  # both ends in one span item: nothing to link in gold
            key = "link:" + json.dumps([link.kind.value, self.ref(a), self.ref(b)], ensure_ascii=False)
            shape.setdefault(key, (link.kind, a, b))
            if not self.is_gold(link.annotator_id):
                made[key].append(link.uuid)
                makers[key].add(self.names[link.annotator_id])
            elif self.is_gold(a.annotator_id) and self.is_gold(b.annotator_id):
                gold[key].append(link.id)
        items = []
        for key in made.keys() | gold.keys():
            kind, a, b = shape[key]
            authors = self.authors(a.document_id) & self.authors(b.document_id)
            agreed = len(makers[key]) >= 2 and authors <= makers[key]
            anchor = a if a.document_id == doc_id else b
            home = self.uuids[a.document_id]
            arrow = " ↔ " if kind in SYMMETRIC else " → "
            items.append(
                Candidate(
                    key,
                    "link",
                    kind.value,
                    anchor.start,
                    anchor.end,
                    a.quote + arrow + b.quote,
                    tuple(sorted(makers[key])),
                    tuple(made[key]),
                    agreed,
                    self.state(key in gold, agreed, home, key),
                    home,
                    tuple(gold[key]),
                    (self.ref(a), self.ref(b)),
                )
            )
        return sorted(items, key=lambda c: (c.start, c.end, c.key))

    def states(self, doc_ids: set[int]) -> dict[Item, State]:
        return {(c.home, c.key): c.state for doc_id in sorted(doc_ids) for c in self.items(doc_id)}


# ---- deciding ------------------------------------------------------------
def set_state(
    project: Project, document_id: int, key: str, state: State | str, adjudicator: str
) -> Outcome[StateChange]:
    """Accept (`accepted` or `agreed`), reject or reopen one item, in one transaction."""
    target = State(state)
    survey = _Survey(project)
    item = survey.find(document_id, key)
    if item.state == target or {item.state, target} == {State.AGREED, State.ACCEPTED}:
        return _outcome(StateChange(document_id))
    edit = _Edit(project, survey, document_id, adjudicator)
    with project.batch():
        if target in (State.AGREED, State.ACCEPTED):
            edit.accept(item)
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
