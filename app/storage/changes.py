"""What an operation changed, and the step that undoes it.

Every mutating `Project` method returns an `Outcome`: its value, a `Changes`
record (which kinds of data were touched, so each view can decide whether to
refresh) and an `UndoStep`. `Project.apply(step)` performs a step and returns
a new Outcome whose `undo` is the redo, so undo and redo are plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from app.models import Document, DocumentId, Label, Link, Span

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    documents: bool = False
    labels: bool = False
    annotators: bool = False
    spans: bool = False
    links: bool = False
    settings: bool = False  # project settings (e.g. rejected suggestions)
    events: bool = False  # event groups (app/events/)
    # Documents whose spans changed, so a view repaints only those.
    document_ids: frozenset[DocumentId] = frozenset()

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            documents=self.documents or other.documents,
            labels=self.labels or other.labels,
            annotators=self.annotators or other.annotators,
            spans=self.spans or other.spans,
            links=self.links or other.links,
            settings=self.settings or other.settings,
            events=self.events or other.events,
            document_ids=self.document_ids | other.document_ids,
        )


@dataclass(frozen=True)
class Removed:
    """Everything a delete took out, ids and uuids included, to put back exactly."""

    documents: tuple[Document, ...] = ()
    labels: tuple[Label, ...] = ()
    spans: tuple[Span, ...] = ()
    links: tuple[Link, ...] = ()
    # Review rows that hung on the removed links and spans, as stored.
    verdicts: tuple[tuple[Any, ...], ...] = ()
    evidence: tuple[tuple[Any, ...], ...] = ()


@dataclass(frozen=True)
class Restore:
    removed: Removed


@dataclass(frozen=True)
class Delete:
    documents: tuple[int, ...] = ()
    labels: tuple[int, ...] = ()
    spans: tuple[int, ...] = ()
    links: tuple[int, ...] = ()


@dataclass(frozen=True)
class Update:
    """Set fields of one span, link or label back to earlier values."""

    table: Literal["span", "link", "label", "setting"]
    id: int
    fields: dict[str, Any] = field(default_factory=dict)


UndoStep = Restore | Delete | Update


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T
    changes: Changes
    undo: UndoStep
