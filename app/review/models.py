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
    """A pair of statements under review, whoever linked it: every link of one kind whose ends
    overlap the same two stretches of the same two documents (see `app.review.disputes`).

    `first` and `second` are in a stable order (by date, then outlet), never the links' direction,
    so "Al Arabiya right" stays on Al Arabiya whichever way a link runs. A verdict's first/second
    decision is stored relative to the link it is on; `side_of` and `decision_for` translate."""

    link: Link  # the one a new verdict goes on (see `link_in`)
    links: tuple[Link, ...] = ()  # every link on the pair, oldest first
    forward: tuple[bool, ...] = ()  # per link: does it run from the first statement to the second?
    first: Statement  # the earlier source's statement
    second: Statement
    annotators: tuple[str, ...] = ()  # who linked it, by name
    judgements: tuple[Judgement, ...] = ()  # from every session, oldest first

    @property
    def annotator(self) -> str:
        return ", ".join(self.annotators)

    @property
    def note(self) -> str:
        return "; ".join(dict.fromkeys(x.note for x in self.links or (self.link,) if x.note))

    def link_in(self, session_id: int) -> LinkId:
        """The link this session's verdict is (or goes) on."""
        own = self.judgement_in(session_id)
        return own.verdict.link_id if own else self.link.id

    def _forward(self, link_id: int) -> bool:
        """Does this link run from the first statement to the second?"""
        found = [way for x, way in zip(self.links, self.forward, strict=True) if x.id == link_id]
        return found[0] if found else self.link.source_span_id == self.first.span.id

    def side_of(self, verdict: Verdict) -> Statement | None:
        """The statement a "source right" verdict says is right (None for other decisions)."""
        if verdict.decision not in (Decision.FIRST_SOURCE_RIGHT, Decision.SECOND_SOURCE_RIGHT):
            return None
        first = (verdict.decision is Decision.FIRST_SOURCE_RIGHT) == self._forward(verdict.link_id)
        return self.first if first else self.second

    def decision_for(self, statement: Statement, session_id: int) -> Decision:
        """The stored decision meaning "`statement`'s source is right", for this session's link."""
        first = (statement.span.id == self.first.span.id) == self._forward(self.link_in(session_id))
        return Decision.FIRST_SOURCE_RIGHT if first else Decision.SECOND_SOURCE_RIGHT

    def verdict_text(self, verdict: Verdict | None) -> str:
        """A decision in words fit for the link kind, sources named ("Al Arabiya right")."""
        if verdict is None:
            return "No verdict yet"
        side = self.side_of(verdict)
        if side is not None:
            return f"{side.source.name} right"
        return decision_text(verdict.decision, self.link.kind)

    def judgement_in(self, session_id: int) -> Judgement | None:
        return next((j for j in self.judgements if j.verdict.session_id == session_id), None)

    def decision_in(self, session_id: int) -> Decision | None:
        found = self.judgement_in(session_id)
        return found.verdict.decision if found else None

    def others(self, session_id: int) -> tuple[Judgement, ...]:
        return tuple(j for j in self.judgements if j.verdict.session_id != session_id)

    def _meaning(self, judgement: Judgement) -> str:
        side = self.side_of(judgement.verdict)
        return f"right:{side.span.id}" if side is not None else judgement.verdict.decision.value

    def conflicting_in(self, session_id: int) -> bool:
        """Verdicts of one session on several links of this pair that say different things."""
        return len({self._meaning(j) for j in self.judgements if j.verdict.session_id == session_id}) > 1

    @property
    def disagreement(self) -> bool:
        """True when sessions reached different decisions on this pair."""
        return len({self._meaning(j) for j in self.judgements}) > 1


# Verdict words for kinds that are not contradictions: "conflict" would mislead there.
_KIND_WORDS: dict[LinkKind, tuple[str, str]] = {
    LinkKind.CONTRADICTS: ("Conflict confirmed", "Not a conflict"),
    LinkKind.SUPPORTS: ("Support confirmed", "Does not support"),
    LinkKind.SAME_AS: ("Same confirmed", "Not the same"),
    LinkKind.UPDATES: ("Update confirmed", "Not an update"),
}


def decision_text(decision: Decision, kind: LinkKind = LinkKind.CONTRADICTS) -> str:
    if decision is Decision.CONFLICT_CONFIRMED:
        return _KIND_WORDS[kind][0]
    if decision is Decision.NOT_A_CONFLICT:
        return _KIND_WORDS[kind][1]
    return DECISION_TEXT[decision]
