"""Domain records: validated on the way in, frozen after (see `app.record`: pydantic checks a
record built by a call, and loads only when one needs it)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple, NewType

from app.record import Field, field_validator
from app.record import Record as Record  # the records' base, for app/ modules defining their own

# An offset into a document text, counted in Unicode code points (Python str indices).
# Qt counts UTF-16 units instead (`ui.offsets.Utf16Pos`); `ui/offsets.py` converts, nowhere else.
CodePoint = NewType("CodePoint", int)
DocumentId = NewType("DocumentId", int)
LabelId = NewType("LabelId", int)
AnnotatorId = NewType("AnnotatorId", int)
SpanId = NewType("SpanId", int)
LinkId = NewType("LinkId", int)

COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"


class LabelKind(StrEnum):
    ENTITY = "entity"
    CLAIM = "claim"


class LinkKind(StrEnum):
    CONTRADICTS = "contradicts"
    SUPPORTS = "supports"
    SAME_AS = "same_as"
    UPDATES = "updates"


# The annotator name of the curated layer, and the link kinds whose direction means nothing.
GOLD = "gold"
SYMMETRIC = frozenset({LinkKind.SAME_AS, LinkKind.CONTRADICTS})


class DocumentMeta(Record):
    """What an importer knows about an article besides its text."""

    title: str = ""
    source: str = ""
    url: str = ""
    published: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class NewDocument(DocumentMeta):
    """An article on its way into a project (text already normalised)."""

    text: str = Field(min_length=1)


class Document(DocumentMeta):
    id: DocumentId
    uuid: str
    text: str
    text_sha256: str
    imported_at: str


class DocumentSummary(Record):
    """A document without its text, for lists."""

    id: DocumentId
    uuid: str
    title: str
    source: str
    url: str
    published: str | None
    length: int
    span_count: int


class Label(Record):
    id: LabelId
    name: str
    kind: LabelKind
    color: str = Field(pattern=COLOR_PATTERN)
    hotkey: str | None = None
    position: int = 0

    @field_validator("hotkey")
    @classmethod
    def _one_key(cls, hotkey: str | None) -> str | None:
        return one_key(hotkey)

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, name: str) -> str:
        if not name.strip():
            raise ValueError("a label name cannot be blank")
        return name.strip()


def one_key(hotkey: str | None) -> str | None:
    """A label's hotkey as given, if it is one (the rule `Label` and the store's reads share)."""
    if hotkey is not None and (len(hotkey) != 1 or not hotkey.isprintable() or hotkey.isspace()):
        raise ValueError("a hotkey is one printable character, such as 8 or q")
    return hotkey


class Annotator(Record):
    id: AnnotatorId
    name: str


class Span(Record):
    id: SpanId
    uuid: str
    document_id: DocumentId
    start: CodePoint
    end: CodePoint
    label_id: LabelId
    annotator_id: AnnotatorId
    quote: str
    attrs: dict[str, Any] = Field(default_factory=dict)
    note: str = ""
    created_at: str


class SpanRow(NamedTuple):
    """A span as views draw it: no JSON, no validation, so 10,000 load in milliseconds."""

    id: SpanId
    document_id: DocumentId
    start: CodePoint
    end: CodePoint
    label_id: LabelId
    annotator_id: AnnotatorId
    quote: str
    note: str


class DocumentRow(NamedTuple):
    """A document as the document list shows it: no text, no validation, so 10,000 load in milliseconds."""

    id: DocumentId
    title: str
    source: str
    published: str | None
    span_count: int


def span_row(span: Span) -> SpanRow:
    return SpanRow(
        span.id, span.document_id, span.start, span.end, span.label_id, span.annotator_id, span.quote, span.note
    )


class Link(Record):
    id: LinkId
    uuid: str
    kind: LinkKind
    source_span_id: SpanId
    target_span_id: SpanId
    annotator_id: AnnotatorId
    note: str = ""
    created_at: str


class SearchHit(Record):
    document_id: DocumentId
    title: str
    snippet: str
    match_start: int  # code-point offset of the first match in the text, -1 if in title only
    match_end: int


class ProjectStats(Record):
    documents: int
    spans_by_label: dict[str, int]
    spans_by_annotator: dict[str, int]
    links_by_kind: dict[str, int]
