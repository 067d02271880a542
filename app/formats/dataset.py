"""What an export takes from a project: a filtered, consistent snapshot.

Every exporter reads a `Dataset`, never the database, so the choice of
documents, labels and annotators is made once, here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from app.models import Annotator, Document, DocumentId, Label, LabelId, Link, Span, SpanId
from app.storage.project import Project

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Selection:
    """Which part of a project to export; None means everything."""

    documents: frozenset[int] | None = None
    labels: frozenset[str] | None = None  # label names
    annotators: frozenset[str] | None = None  # annotator names


EVERYTHING = Selection()


@dataclass(frozen=True)
class Dataset:
    documents: list[Document]
    labels: list[Label]
    annotators: list[Annotator]
    spans: list[Span]  # spans of the chosen documents, labels and annotators
    links: list[Link]  # links whose two spans are both chosen
    _by_document: dict[DocumentId, list[Span]] = field(default_factory=dict, repr=False)

    def spans_of(self, document_id: DocumentId) -> list[Span]:
        return self._by_document.get(document_id, [])

    def label_of(self, span: Span) -> Label:
        return self.label_by_id[span.label_id]

    # Made once per dataset (label_of asks for every span); `replace()` makes a new one.
    @cached_property
    def label_by_id(self) -> dict[LabelId, Label]:
        return {label.id: label for label in self.labels}

    @cached_property
    def span_by_id(self) -> dict[SpanId, Span]:
        return {span.id: span for span in self.spans}

    @cached_property
    def annotator_names(self) -> dict[int, str]:
        return {a.id: a.name for a in self.annotators}


@dataclass(frozen=True)
class ExportReport:
    path: str
    documents: int
    spans: int
    links: int
    warnings: tuple[str, ...] = ()


def collect(project: Project, selection: Selection = Selection(), progress: Progress | None = None) -> Dataset:
    """Snapshot the chosen documents with their spans and links."""
    labels = [x for x in project.labels() if selection.labels is None or x.name in selection.labels]
    annotators = [a for a in project.annotators() if selection.annotators is None or a.name in selection.annotators]
    label_ids = {x.id for x in labels}
    annotator_ids = {a.id for a in annotators}
    by_document: dict[DocumentId, list[Span]] = defaultdict(list)
    for span in project.spans():  # one query for all: 200 documents are not 200 round trips
        if span.label_id in label_ids and span.annotator_id in annotator_ids:
            by_document[span.document_id].append(span)
    documents = project.whole_documents(selection.documents)  # one query, in list order
    if progress and documents:  # read at once: there is no part-way to tell
        progress(len(documents), len(documents))
    spans = [s for doc in documents for s in by_document[doc.id]]
    chosen = {s.id for s in spans}
    links = [x for x in project.links() if x.source_span_id in chosen and x.target_span_id in chosen]
    return Dataset(documents, labels, annotators, spans, links, {d.id: by_document[d.id] for d in documents})
