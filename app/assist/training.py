"""What the trained recommender learns from: the annotator's entity spans, per sentence.

A sentence is a training sample when the annotator has read it: it holds one
of their spans, or lies before their last span in the document (annotators
work top to bottom, so untagged words there are taken as "no entity").
Sentences after the last span are left out: nobody has looked at them yet.
Claims are not learned (a claim is a statement, not a name).

Every fifth sample is held out to measure the model's precision and recall.

The GUI does not build the samples: it sends the trainer a `TrainingRequest` (the project
file's path, the label names and the spans as four arrays), and the trainer reads the texts
from the file itself (`gathered`): the samples of a 1 MB article with 10,000 spans, and their
pickled copy on the way, held ~5 MB more in the window's process while it trained.
"""

from __future__ import annotations

import sqlite3
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from app.assist.pause import checkpoint
from app.assist.proposals import Tagged
from app.errors import CorruptProject
from app.models import LabelKind
from app.storage.project import Project
from app.storage.project_file import sha256
from app.text.sentences import split_sentences

Entity = tuple[int, int, str]  # start, end (code points within the sample), label name
HELD_OUT_EVERY = 5
MIN_HELD_OUT = 10  # fewer samples than this: train on all, measure nothing
MIN_SPANS = 20  # fewer entity spans than this teach a model nothing worth showing
RETRAIN_AFTER = 10  # new spans (or a tenth more, if more) before training again


def due(count: int, trained_on: int, force: bool = False) -> bool:
    """Whether `count` entity spans call for a (re)training, the last one having seen `trained_on`."""
    if count < MIN_SPANS:
        return False
    return force or not trained_on or count >= trained_on + max(RETRAIN_AFTER, trained_on // 10)


@dataclass(frozen=True, slots=True)
class Sample:
    """One sentence, `document[start:end]`, with its entities (offsets within the sentence).

    Samples keep the whole document's text, not a copy of their sentence: the ~2,000
    sentences of a 1 MB article held 4 MB more as copies."""

    document: str = field(repr=False)
    start: int
    end: int
    entities: tuple[Entity, ...]

    @property
    def text(self) -> str:
        return self.document[self.start : self.end]


@dataclass(frozen=True)
class TrainingSet:
    train: tuple[Sample, ...]
    held_out: tuple[Sample, ...]
    labels: tuple[str, ...]  # every label name the model may propose
    span_count: int

    @property
    def empty(self) -> bool:
        return self.span_count == 0


@dataclass(frozen=True)
class TrainingRequest:
    """What the trainer needs to gather its samples from the project file: a few hundred KB
    to pickle, where the samples held the texts and every entity as objects."""

    path: str
    labels: dict[int, str]  # entity label id -> name
    documents: array[int]  # per span, in the order given
    starts: array[int]
    ends: array[int]
    label_ids: array[int]

    def spans(self) -> list[Tagged]:
        columns = zip(self.documents, self.starts, self.ends, self.label_ids, strict=True)
        return [Tagged(d, s, e, x, "") for d, s, e, x in columns]  # the quote is not learned


def training_request(project: Project, spans: list[Tagged]) -> TrainingRequest:
    """The request for one annotator's spans (`spans`: theirs, from `own_spans`)."""
    labels = entity_names(project)
    chosen = [s for s in spans if s.label_id in labels]
    return TrainingRequest(
        str(project.path),
        labels,
        *(array("q", (getattr(s, f) for s in chosen)) for f in ("document_id", "start", "end", "label_id")),
    )


def gathered(request: TrainingRequest) -> TrainingSet:
    """The samples of a request, the texts read from its project file (read-only)."""
    spans = request.spans()
    texts = stored_texts(Path(request.path), sorted({s.document_id for s in spans}))
    return samples_of(texts.__getitem__, request.labels, [s for s in spans if s.document_id in texts])


def stored_texts(path: Path, ids: list[int]) -> dict[int, str]:
    """These documents' texts (those still there), each checked against its stored hash. The
    window's process opened and checked the file; this only reads it."""
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as conn:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA busy_timeout = 2000")
            texts = {}
            for doc_id in ids:
                found = conn.execute("SELECT text, text_sha256 FROM document WHERE id = ?", (doc_id,)).fetchone()
                if found is None:  # deleted since: so are its spans
                    continue
                if sha256(found[0]) != found[1]:
                    raise CorruptProject(f"{path}: the text of document {doc_id} is damaged")
                texts[doc_id] = found[0]
            return texts
    except sqlite3.Error as exc:
        raise CorruptProject(f"{path}: the trainer could not read it ({exc})") from exc


def entity_names(project: Project) -> dict[int, str]:
    return {x.id: x.name for x in project.labels() if x.kind == LabelKind.ENTITY}


def training_set(project: Project, spans: list[Tagged]) -> TrainingSet:
    """The samples of one annotator's entity spans (`spans`: theirs, from `own_spans`), in this process."""
    return samples_of(project.text, entity_names(project), spans)


def samples_of(text: Callable[[int], str], labels: dict[int, str], spans: list[Tagged]) -> TrainingSet:
    """The samples of these spans (those of an entity label in `labels`), `text` giving each document's."""
    by_doc: dict[int, list[Tagged]] = defaultdict(list)
    for span in spans:
        if span.label_id in labels:
            by_doc[span.document_id].append(span)
    samples: list[Sample] = []
    for doc_id in sorted(by_doc):
        samples += document_samples(text(doc_id), by_doc[doc_id], labels)
    count = sum(len(x) for x in by_doc.values())
    if len(samples) < MIN_HELD_OUT:
        return TrainingSet(tuple(samples), (), tuple(sorted(set(labels.values()))), count)
    held = tuple(s for i, s in enumerate(samples) if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1)
    kept = tuple(s for i, s in enumerate(samples) if i % HELD_OUT_EVERY != HELD_OUT_EVERY - 1)
    return TrainingSet(kept, held, tuple(sorted(set(labels.values()))), count)


def document_samples(text: str, spans: list[Tagged], labels: dict[int, str]) -> list[Sample]:
    """The read sentences of one document, each with the spans wholly inside it."""
    if not spans:
        return []
    read_until = max(s.end for s in spans)
    # In text order, found by bisection: a 1 MB article has thousands of sentences and spans.
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    starts = [s.start for s in ordered]
    samples = []
    for sentence in split_sentences(text):
        checkpoint()  # off the GUI thread: wait here while the GUI holds the gate
        if sentence.start >= read_until:
            break
        first, last = bisect_left(starts, sentence.start), bisect_right(starts, sentence.end)
        inside = tuple(
            (s.start - sentence.start, s.end - sentence.start, labels[s.label_id])
            for s in ordered[first:last]
            if s.end <= sentence.end
        )
        samples.append(Sample(text, sentence.start, sentence.end, inside))
    return samples
