"""A spaCy NER pipeline trained on a `TrainingSet`, or one the user has installed.

Blank language pipeline (`spacy.blank`), nothing downloaded: the tokenizer
comes with spaCy, the weights are learned here. Training is plain
`nlp.update` over shuffled minibatches with a fixed seed; precision and
recall are spaCy's own entity scores on the held-out samples.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from app.assist.training import Entity, Sample, TrainingSet
from app.errors import ParallaxError
from app.text.sentences import split_sentences

Progress = Callable[[float], None]  # fraction done, 0-1
BATCH = 16  # samples per update

# A small network: fast to train on a few thousand words, fast to run on 5,000.
NER_CONFIG: dict[str, Any] = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "nO": None,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": 64,
            "depth": 2,
            "embed_size": 2000,
            "window_size": 1,
            "maxout_pieces": 3,
            "subword_features": True,
        },
    }
}

# Entity names of the usual installed pipelines (OntoNotes, WikiNER) -> our default labels.
ALIASES = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "DATE": "DATE",
    "TIME": "DATE",
    "QUANTITY": "QUANTITY",
    "CARDINAL": "QUANTITY",
    "MONEY": "QUANTITY",
    "PERCENT": "QUANTITY",
    "PRODUCT": "EQUIPMENT",
}


class AssistUnavailable(ParallaxError):
    """spaCy (the `assist` extra) is missing, or the named pipeline is not installed."""


def _spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise AssistUnavailable(
            "the trained recommender needs spaCy: pip install 'parallax-annotate[assist]'"
        ) from None
    return spacy


@dataclass(frozen=True)
class Scores:
    precision: float | None  # None: too few samples to hold any out
    recall: float | None
    f1: float | None
    held_out: int  # samples measured on
    spans: int  # spans learned from
    seconds: float


class TrainedModel:
    """A pipeline with an `ner` component; proposes (start, end, label name) in a text."""

    def __init__(self, nlp: Any, scores: Scores | None = None) -> None:
        self.nlp = nlp
        self.scores = scores

    @classmethod
    def installed(cls, name: str) -> TrainedModel:
        """Load an installed pipeline (package name or folder); never downloads."""
        spacy = _spacy()
        try:
            nlp = spacy.load(name, exclude=["parser", "lemmatizer", "textcat", "senter"])
        except OSError as exc:
            raise AssistUnavailable(f"spaCy pipeline {name!r} is not installed: {exc}") from None
        if "ner" not in nlp.pipe_names:
            raise AssistUnavailable(f"spaCy pipeline {name!r} has no entity recogniser (ner)")
        return cls(nlp)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.nlp.get_pipe("ner").labels)

    def propose(self, text: str) -> list[Entity]:
        """Entities found in `text`, sentence by sentence, as code-point ranges of `text`."""
        sentences = split_sentences(text)
        found: list[Entity] = []
        for sentence, doc in zip(sentences, self.nlp.pipe(text[s.start : s.end] for s in sentences), strict=True):
            found += [(sentence.start + e.start_char, sentence.start + e.end_char, e.label_) for e in doc.ents]
        return found

    def to_disk(self, folder: str) -> None:
        self.nlp.to_disk(folder)

    def to_bytes(self) -> tuple[str, bytes]:
        """The pipeline's config and weights, to rebuild it in another process."""
        return str(self.nlp.config.to_str()), bytes(self.nlp.to_bytes())

    @classmethod
    def from_bytes(cls, config: str, weights: bytes, scores: Scores | None = None) -> TrainedModel:
        spacy = _spacy()
        from thinc.api import Config

        settings = Config().from_str(config)
        nlp = spacy.util.get_lang_class(settings["nlp"]["lang"]).from_config(settings)
        return cls(nlp.from_bytes(weights), scores)


def train(
    data: TrainingSet, lang: str = "en", epochs: int = 0, seed: int = 0, progress: Progress | None = None
) -> TrainedModel:
    """Train a blank `lang` pipeline on `data.train`, score it on `data.held_out`."""
    spacy = _spacy()
    from spacy.training import Example
    from thinc.api import fix_random_seed

    began = time.perf_counter()
    fix_random_seed(seed)
    nlp = spacy.blank(lang)
    ner = nlp.add_pipe("ner", config=NER_CONFIG)
    for label in data.labels:
        ner.add_label(label)
    examples = [Example(nlp.make_doc(s.text), _reference(nlp, s)) for s in data.train]
    optimizer = nlp.initialize(lambda: examples)
    rounds = epochs or epochs_for(sum(len(s.text) for s in data.train))
    shuffle = random.Random(seed)
    for epoch in range(rounds):
        shuffle.shuffle(examples)
        for first in range(0, len(examples), BATCH):
            batch = examples[first : first + BATCH]
            nlp.update(batch, sgd=optimizer, drop=0.2)
        if progress is not None:
            progress((epoch + 1) / rounds)
    scores = score(nlp, data.held_out)
    return TrainedModel(
        nlp,
        Scores(*scores, held_out=len(data.held_out), spans=data.span_count, seconds=time.perf_counter() - began),
    )


def epochs_for(characters: int) -> int:
    """More passes over little data, fewer over much: at most about 800,000 characters' worth of updates."""
    return max(5, min(30, 800_000 // max(characters, 1)))


def score(nlp: Any, samples: Iterable[Sample]) -> tuple[float | None, float | None, float | None]:
    from spacy.training import Example

    held = list(samples)
    if not held:
        return None, None, None
    examples = [Example(nlp.make_doc(s.text), _reference(nlp, s)) for s in held]
    found = nlp.evaluate(examples)
    return found["ents_p"], found["ents_r"], found["ents_f"]


def _reference(nlp: Any, sample: Sample) -> Any:
    """The gold doc: entities snapped out to whole tokens, overlaps resolved longest first."""
    from spacy.util import filter_spans

    doc = nlp.make_doc(sample.text)
    spans = [doc.char_span(s, e, label=label, alignment_mode="expand") for s, e, label in sample.entities]
    doc.ents = filter_spans([s for s in spans if s is not None])
    return doc
