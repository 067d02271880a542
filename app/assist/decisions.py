"""Accepting proposals (ordinary spans of the annotator) and rejecting them (remembered).

As `app.reconcile.decisions` does for suggestions, a rejection is kept in
the project setting `assist.rejected` (a JSON list of proposal keys), so a
rejected proposal stays hidden across runs and for the string matcher and
the model alike. Both operations return an undoable `Outcome`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from app.assist.proposals import Proposal
from app.errors import InvalidOperation
from app.models import DocumentId, Span
from app.storage.changes import Changes, Delete, Outcome
from app.storage.project import Project

REJECTED_KEY = "assist.rejected"


def rejected_keys(project: Project) -> set[str]:
    """Keys of the proposals rejected in this project (an unreadable setting counts as none)."""
    stored = project.get_setting(REJECTED_KEY)
    if not stored:
        return set()
    try:
        found = json.loads(stored)
    except ValueError:
        return set()
    return {str(x) for x in found} if isinstance(found, list) else set()


def reject(project: Project, proposals: Sequence[Proposal]) -> Outcome[None]:
    """Remember that these proposals were rejected; the undo forgets it again."""
    if not proposals:
        raise InvalidOperation("there is no proposal to reject")
    keys = rejected_keys(project) | {p.key for p in proposals}
    return project.set_setting(REJECTED_KEY, json.dumps(sorted(keys)))


def accept(project: Project, proposals: Sequence[Proposal], annotator: int | str) -> Outcome[list[Span]]:
    """Make each proposal a span of the annotator, all in one transaction (one undo step)."""
    if not proposals:
        raise InvalidOperation("there is no proposal to accept")
    if len(proposals) == 1:
        one = proposals[0]
        added = project.add_span(one.document_id, one.start, one.end, one.label_id, annotator)
        return Outcome([added.value], added.changes, added.undo)
    spans: list[Span] = []
    changes = Changes()
    with project.batch():
        for item in proposals:
            outcome = project.add_span(item.document_id, item.start, item.end, item.label_id, annotator)
            spans.append(outcome.value)
            changes = changes | outcome.changes
    documents = frozenset(DocumentId(s.document_id) for s in spans)
    changes = changes | Changes(spans=True, document_ids=documents)
    return Outcome(spans, changes, Delete(spans=tuple(s.id for s in spans)))
