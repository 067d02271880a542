"""What an operation changed, and the step that undoes it.

Every mutating `Project` method returns an `Outcome`: its value, a `Changes`
record (which kinds of data were touched, so each view can decide whether to
refresh) and an `UndoStep`. `Project.apply(step)` performs a step and returns
a new Outcome whose `undo` is the redo, so undo and redo are plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Generic, Literal, Protocol, TypeVar

from app.models import Document, DocumentId, Label, Link, Span, SpanId

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """Which kinds of data an operation touched, so each view decides whether to refresh."""

    documents: bool = False
    labels: bool = False
    annotators: bool = False
    spans: bool = False
    links: bool = False
    settings: bool = False  # project settings (e.g. rejected suggestions)
    reviews: bool = False  # review sessions and verdicts
    curation: bool = False  # curation decisions (the gold layer's bookkeeping)
    events: bool = False  # event groups (app/events/)
    # Documents whose spans changed, so a view repaints only those.
    document_ids: frozenset[DocumentId] = frozenset()
    # Review sessions and links whose verdicts changed.
    review_session_ids: frozenset[int] = frozenset()
    verdict_link_ids: frozenset[int] = frozenset()
    # Spans added, changed or removed, so a view updates only those; complete unless
    # `spans_unlisted` (set on its own when spans changed and none are named).
    span_ids: frozenset[SpanId] = frozenset()
    spans_unlisted: bool = False

    def __post_init__(self) -> None:
        if self.spans and not self.span_ids:
            object.__setattr__(self, "spans_unlisted", True)

    def __or__(self, other: Changes) -> Changes:
        """Everything either record says changed: flags or-ed, id sets joined."""
        merged = {f.name: getattr(self, f.name) | getattr(other, f.name) for f in fields(self)}
        return Changes(**merged)


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


@dataclass(frozen=True)
class IdMarker:
    """The highest id of each table at one moment (before a bulk import)."""

    documents: int
    labels: int
    spans: int
    links: int


class FeatureStep(Protocol):
    """An undo step of a feature package (review, curation): it performs itself.

    `Project.apply` hands such a step its project; the step returns the Outcome
    of doing it, whose `undo` reverses it. The project is typed loosely here so
    that storage never imports the packages above it.
    """

    def apply(self, project: Any) -> Outcome[Any]: ...


UndoStep = Restore | Delete | Update | FeatureStep


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T
    changes: Changes
    undo: UndoStep
