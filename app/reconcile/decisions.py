"""Accepting and rejecting reconciliation suggestions, stored in the project.

`accept` turns a suggestion into two spans and a link in one transaction
(`Project.batch()`), reusing a span that already covers the same text with
the same label and annotator; its Outcome's undo deletes what it created.
`reject` keeps the suggestion's id in the project setting
`reconcile.rejected` (a JSON list), so it stays hidden across runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.errors import InvalidOperation
from app.models import DocumentId, Label, LabelKind, Link, Span, SpanId
from app.storage.changes import Changes, Delete, Outcome

if TYPE_CHECKING:
    from app.reconcile.suggest import Suggestion
    from app.storage.project import Project

REJECTED_KEY = "reconcile.rejected"


@dataclass(frozen=True)
class Accepted:
    spans: tuple[Span, Span]
    link: Link


def rejected_ids(project: Project) -> set[str]:
    """Ids of the suggestions rejected in this project."""
    stored = project.get_setting(REJECTED_KEY)
    if not stored:
        return set()
    try:
        found = json.loads(stored)
    except ValueError:
        return set()
    return {str(x) for x in found} if isinstance(found, list) else set()


def reject(project: Project, suggestion: Suggestion | str) -> Outcome[None]:
    """Remember that a suggestion was rejected; undoable (the undo forgets it again)."""
    ident = suggestion if isinstance(suggestion, str) else suggestion.id
    ids = rejected_ids(project) | {ident}
    return project.set_setting(REJECTED_KEY, json.dumps(sorted(ids)))


def linked_keys(project: Project) -> set[tuple[str, tuple[int, int, int], tuple[int, int, int]]]:
    """(kind, one end, other end) of every link, ends as (document, start, end) in order."""
    spans = {s.id: (int(s.document_id), s.start, s.end) for s in project.spans()}
    keys = set()
    for link in project.links():
        ends = sorted([spans[link.source_span_id], spans[link.target_span_id]])
        keys.add((link.kind.value, ends[0], ends[1]))
    return keys


def accept(
    project: Project, suggestion: Suggestion, annotator: int | str, label: int | str | None = None
) -> Outcome[Accepted]:
    """Create both spans (or reuse identical ones) and the link, as one transaction."""
    chosen = project.label(label) if label is not None else _default_label(project, suggestion)
    ends = (
        (suggestion.doc_a, suggestion.start_a, suggestion.end_a),
        (suggestion.doc_b, suggestion.start_b, suggestion.end_b),
    )
    created: list[SpanId] = []
    spans: list[Span] = []
    with project.batch():
        who = project.annotator(annotator) if isinstance(annotator, str) else None
        annotator_id = who.id if who is not None else annotator
        for doc, start, end in ends:
            existing = next(
                (
                    s
                    for s in project.spans(doc)
                    if (s.start, s.end, s.label_id, s.annotator_id) == (start, end, chosen.id, annotator_id)
                ),
                None,
            )
            if existing is None:
                existing = project.add_span(doc, start, end, chosen.id, annotator_id).value
                created.append(existing.id)
            spans.append(existing)
        for link in project.links(spans[0].id):
            if link.kind.value == suggestion.link_kind and {link.source_span_id, link.target_span_id} == {
                spans[0].id,
                spans[1].id,
            }:
                raise InvalidOperation(f"these passages are already linked as {suggestion.link_kind}")
        link = project.add_link(
            suggestion.link_kind, spans[0].id, spans[1].id, annotator_id, note=suggestion.reason
        ).value
    documents = frozenset(DocumentId(doc) for doc, _, _ in ends)
    changes = Changes(spans=bool(created), links=True, annotators=True, document_ids=documents)
    return Outcome(Accepted((spans[0], spans[1]), link), changes, Delete(spans=tuple(created), links=(link.id,)))


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
