"""Records of dispute review (see `app.review.sessions` for the operations on them)."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from app.models import DocumentId, Link, LinkId, LinkKind, Record, Span, SpanId


class Decision(StrEnum):
    CONFLICT_CONFIRMED = "conflict_confirmed"
    NOT_A_CONFLICT = "not_a_conflict"
    FIRST_SOURCE_RIGHT = "first_source_right"
    SECOND_SOURCE_RIGHT = "second_source_right"
    BOTH_WRONG = "both_wrong"
    UNDETERMINED = "undetermined"


DECISION_TEXT: dict[Decision, str] = {
    Decision.CONFLICT_CONFIRMED: "Conflict confirmed",
    Decision.NOT_A_CONFLICT: "Not a conflict",
    Decision.FIRST_SOURCE_RIGHT: "First source right",
    Decision.SECOND_SOURCE_RIGHT: "Second source right",
    Decision.BOTH_WRONG: "Both wrong",
    Decision.UNDETERMINED: "Undetermined",
}


class Scope(Record):
    """Which links a session reviews (rules in `app.review.sessions`)."""

    kinds: tuple[LinkKind, ...] = (LinkKind.CONTRADICTS,)
    only_undecided: bool = False
    document_ids: tuple[int, ...] | None = None
    within: bool = False  # with document_ids: both statements must be in those documents
    label: str | None = None


class ReviewSession(Record):
    id: int
    uuid: str
    name: str
    reviewer: str
    scope: Scope
    created_at: str
    closed_at: str | None = None  # set while the session is paused

    @property
    def paused(self) -> bool:
        return self.closed_at is not None


class Verdict(Record):
    id: int
    session_id: int
    link_id: LinkId
    decision: Decision
    rationale: str = ""
    evidence: tuple[SpanId, ...] = ()
    decided_at: str


class Progress(NamedTuple):
    decided: int
    total: int


class Source(Record):
    """Where a statement was published."""

    document_id: DocumentId
    title: str
    outlet: str  # the document's source; may be empty
    published: str | None
    url: str = ""

    @property
    def name(self) -> str:
        """The outlet, or the article's title when the outlet is unknown (for grouping and headers)."""
        return self.outlet or f"“{self.title or f'document {self.document_id}'}”"


class Evidence(Record):
    span_id: SpanId
    quote: str
    source: Source


class Statement(Record):
    """One side of a dispute: the span, its label, where it appeared and the sentences around it."""

    span: Span
    label: str
    source: Source
    before: str  # text of the surrounding sentences before the quote
    quote: str
    after: str


class Judgement(Record):
    """A verdict as shown: with its session's name and reviewer and its evidence quoted."""

    verdict: Verdict
    session_name: str
    reviewer: str
    evidence: tuple[Evidence, ...] = ()


class Dispute(Record):
    link: Link
    first: Statement  # the link's source span
    second: Statement  # the link's target span
    annotator: str
    judgements: tuple[Judgement, ...] = ()  # from every session, oldest first

    @property
    def note(self) -> str:
        return self.link.note

    def judgement_in(self, session_id: int) -> Judgement | None:
        return next((j for j in self.judgements if j.verdict.session_id == session_id), None)

    def decision_in(self, session_id: int) -> Decision | None:
        found = self.judgement_in(session_id)
        return found.verdict.decision if found else None

    def others(self, session_id: int) -> tuple[Judgement, ...]:
        return tuple(j for j in self.judgements if j.verdict.session_id != session_id)

    @property
    def disagreement(self) -> bool:
        """True when sessions reached different decisions on this link."""
        return len({j.verdict.decision for j in self.judgements}) > 1
