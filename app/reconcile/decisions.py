"""Accepting and rejecting reconciliation suggestions, stored in the project.

`accept` turns a suggestion into spans and links in one transaction
(`Project.batch()`), reusing a span that already covers the same text with
the same label and annotator; its Outcome's undo deletes what it created.
A suggestion names a fact in several articles (`Suggestion.mentions`): for an
entity cluster every member is linked `same_as` to the first; for a disagreement
or a succession the first mention is linked to each mention that says otherwise
(`planned_links`).
`reject` keeps the suggestion's id, and the ids of its pairs (`Suggestion.parts`),
in the project setting `reconcile.rejected` (a JSON list), so it stays hidden across
runs, also when a newly imported article adds a mention to the row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.errors import InvalidOperation
from app.models import DocumentId, Label, LabelKind, Link, Span, SpanId
from app.reconcile.mention import Suggestion
from app.storage.changes import Changes, Delete, Outcome
from app.storage.rows import string_set

if TYPE_CHECKING:
    from app.storage.project import Project

REJECTED_KEY = "reconcile.rejected"


@dataclass(frozen=True)
class Accepted:
    spans: tuple[Span, ...]  # one per mention, in the suggestion's order
    links: tuple[Link, ...]

    @property
    def link(self) -> Link:
        """The first link (a pair suggestion makes exactly one)."""
        return self.links[0]


def planned_links(suggestion: Suggestion) -> list[tuple[int, int]]:
    """(i, j) indices into `suggestion.mentions` of the links accepting it makes."""
    ms = suggestion.mentions
    if suggestion.link_kind == "same_as":
        return [
            (0, j) for j in range(1, len(ms)) if (ms[j].doc, ms[j].passage_start) != (ms[0].doc, ms[0].passage_start)
        ]
    first = next((i for i, m in enumerate(ms) if any(o.value != m.value for o in ms)), 0)
    return [(first, j) for j, m in enumerate(ms) if m.value != ms[first].value and m.doc != ms[first].doc]


def rejected_ids(project: Project) -> set[str]:
    """Ids of the suggestions rejected in this project."""
    return string_set(project.get_setting(REJECTED_KEY))


def reject(project: Project, suggestion: Suggestion | str) -> Outcome[None]:
    """Remember that a suggestion was rejected; undoable (the undo forgets it again)."""
    idents = {suggestion} if isinstance(suggestion, str) else {suggestion.id, *suggestion.parts}
    ids = rejected_ids(project) | idents
    return project.set_setting(REJECTED_KEY, json.dumps(sorted(ids)))


def linked_keys(project: Project) -> set[tuple[str, tuple[int, int, int], tuple[int, int, int]]]:
    """(kind, one end, other end) of every link, ends as (document, start, end) in order."""
    spans: dict[SpanId, tuple[int, int, int]] = {s.id: (s.document_id, s.start, s.end) for s in project.spans()}
    keys = set()
    for link in project.links():
        ends = sorted([spans[link.source_span_id], spans[link.target_span_id]])
        keys.add((link.kind.value, ends[0], ends[1]))
    return keys


def accept(
    project: Project, suggestion: Suggestion, annotator: int | str, label: int | str | None = None
) -> Outcome[Accepted]:
    """Create the spans (or reuse identical ones) and every link of the suggestion, as one transaction."""
    chosen = project.label(label) if label is not None else _default_label(project, suggestion)
    pairs = planned_links(suggestion)
    used = sorted({i for pair in pairs for i in pair})
    created: list[SpanId] = []
    spans: dict[int, Span] = {}
    links: list[Link] = []
    with project.batch():
        who = project.annotator(annotator) if isinstance(annotator, str) else None
        annotator_id = who.id if who is not None else annotator
        for i in used:
            m = suggestion.mentions[i]
            existing = next(
                (
                    s
                    for s in project.spans(m.doc)
                    if (s.start, s.end, s.label_id, s.annotator_id)
                    == (m.passage_start, m.passage_end, chosen.id, annotator_id)
                ),
                None,
            )
            if existing is None:
                existing = project.add_span(m.doc, m.passage_start, m.passage_end, chosen.id, annotator_id).value
                created.append(existing.id)
            spans[i] = existing
        for i, j in pairs:
            if _linked(project, suggestion.link_kind, spans[i], spans[j]):
                if len(pairs) == 1:
                    raise InvalidOperation(f"these passages are already linked as {suggestion.link_kind}")
                continue
            links.append(
                project.add_link(
                    suggestion.link_kind, spans[i].id, spans[j].id, annotator_id, note=suggestion.reason
                ).value
            )
        if not links:
            raise InvalidOperation(f"these passages are already linked as {suggestion.link_kind}")
    documents = frozenset(DocumentId(suggestion.mentions[i].doc) for i in used)
    changes = Changes(spans=bool(created), links=True, annotators=True, document_ids=documents)
    undo = Delete(spans=tuple(created), links=tuple(link.id for link in links))
    return Outcome(Accepted(tuple(spans[i] for i in used), tuple(links)), changes, undo)


def _linked(project: Project, kind: str, a: Span, b: Span) -> bool:
    return any(
        link.kind.value == kind and {link.source_span_id, link.target_span_id} == {a.id, b.id}
        for link in project.links(a.id)
    )


def _default_label(project: Project, suggestion: Suggestion) -> Label:
    labels = project.labels()
    if suggestion.link_kind == "contradicts":
        claims = [x for x in labels if x.kind == LabelKind.CLAIM]
        if not claims:
            raise InvalidOperation("the project has no claim label to mark the two passages with")
        return claims[0]
    entities = [x for x in labels if x.kind == LabelKind.ENTITY]
    if not entities:
        raise InvalidOperation("the project has no entity label to mark the two names with")
    return next((x for x in entities if x.name == suggestion.label_hint), entities[0])
