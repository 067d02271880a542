"""What the trained recommender learns from: the annotator's entity spans, per sentence.

A sentence is a training sample when the annotator has read it: it holds one
of their spans, or lies before their last span in the document (annotators
work top to bottom, so untagged words there are taken as "no entity").
Sentences after the last span are left out: nobody has looked at them yet.
Claims are not learned (a claim is a statement, not a name).

Every fifth sample is held out to measure the model's precision and recall.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from app.assist.pause import checkpoint
from app.assist.proposals import Tagged
from app.models import LabelKind
from app.storage.project import Project
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

    Samples keep the whole document's text, not a copy of their sentence: a 1 MB article
    then exists once in the GUI process while training starts (its ~2,000 sentence copies
    held 4 MB more), and pickling to the trainer sends it once (pickle memoises it)."""

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


def training_set(project: Project, spans: list[Tagged]) -> TrainingSet:
    """The samples of one annotator's entity spans (`spans`: theirs, from `own_spans`)."""
    labels: dict[int, str] = {x.id: x.name for x in project.labels() if x.kind == LabelKind.ENTITY}
    by_doc: dict[int, list[Tagged]] = defaultdict(list)
    for span in spans:
        if span.label_id in labels:
            by_doc[span.document_id].append(span)
    samples: list[Sample] = []
    for doc_id in sorted(by_doc):
        samples += document_samples(project.text(doc_id), by_doc[doc_id], labels)
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
