"""CoNLL-2003 NER (BIO): entity spans only, for NER readers (Hugging Face's
conll2003 loader, flair's ColumnCorpus, seqeval-based scripts).

The layout is the four columns of CoNLL-2003, separated by one space:

    TOKEN -X- _ TAG

(word, part of speech and chunk as placeholders, entity tag). Each document
begins with the line `-DOCSTART- -X- O O` and a blank line; each sentence
ends with a blank line. Tags are IOB2: `B-LABEL` on an entity's first token,
`I-LABEL` on the rest, `O` outside; whitespace in a label name becomes "_".
(That is the exact line `spacy convert -c ner` splits documents at; other
readers skip any line starting with `-DOCSTART-`.)

Tokens: runs of letters/digits (with their combining marks), numbers with
inner "." or "," ("3.5", "1,000"), and every other visible character alone
(an emoji keeps its modifiers). Whitespace, NBSP and zero-width spaces
separate tokens. This is finer than the original CoNLL tokens ("Jean-Marc"
is three tokens), so fewer entities cut a token.
Sentences end at every newline, and after ".", "!" or "?" (and closing
quotes) followed by space and a capital letter, except after an initial or
a common abbreviation; a sentence never ends inside an exported entity.

Entity spans that cut a token, or cover none, are left out and named in the
report's warnings. Of overlapping entity spans the longest (in tokens) is
kept, the earlier on a tie (spaCy's `filter_spans` rule); the others are
left out and warned about. Spans with the same extent and label (several
annotators) are written once.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from app.formats.atomic import atomic_text
from app.formats.dataset import EVERYTHING, Dataset, ExportReport, Progress, Selection, collect
from app.models import Document, LabelKind
from app.storage.project import Project
from app.text.tokens import Token, sentence_breaks, tokenize

DOCSTART = "-DOCSTART- -X- O O"  # spaCy's conll_ner_to_docs splits documents at exactly this


Entity = tuple[int, int, str]  # first token, last token + 1, tag label
Sentence = list[tuple[Token, str]]  # a sentence's tokens with their BIO tags


def export_conll(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    """Write the selected documents' entity spans to `out` as CoNLL-2003 BIO."""

    def write(handle: IO[str], document: Document, sentences: list[Sentence]) -> None:
        handle.write(f"{DOCSTART}\n\n")
        for sentence in sentences:
            handle.writelines(f"{document.text[a:b]} -X- _ {tag}\n" for (a, b), tag in sentence)
            handle.write("\n")

    return export_sentences(project, out, selection, progress, write)


def export_sentences(
    project: Project,
    out: Path,
    selection: Selection,
    progress: Progress | None,
    write: Callable[[IO[str], Document, list[Sentence]], None],
) -> ExportReport:
    """One text file of the selected documents' tagged sentences, `write` putting down each document.

    Shared by the token-based single-file exports (CoNLL, CoNLL-U); the file is
    written whole or not at all; the labels whose tags lose spaces are named.
    """
    data = collect(project, selection, progress)
    warnings: list[str] = []
    written = 0
    with atomic_text(Path(out)) as handle:
        for document in data.documents:
            sentences, count = tagged_sentences(document, data, warnings)
            written += count
            write(handle, document, sentences)
    warnings.extend(renamed_labels(data))
    return ExportReport(str(out), len(data.documents), written, 0, tuple(warnings))


def tagged_sentences(document: Document, data: Dataset, warnings: list[str]) -> tuple[list[Sentence], int]:
    """The document's sentences as (token, BIO tag) lists, and how many entities they tag.

    Shared by every token-based export (CoNLL-U, Hugging Face, TSV3).
    """
    tokens = tokenize(document.text)
    entities = _entities(document, data, tokens, warnings)
    sentences = [[(tokens[i], tag) for i, tag in s] for s in _sentences(document.text, tokens, entities)]
    return sentences, len(entities)


def renamed_labels(data: Dataset, why: str = "no spaces in a CoNLL tag") -> list[str]:
    renamed = sorted({x.name for x in data.labels if x.kind is LabelKind.ENTITY and _tag(x.name) != x.name})
    return [f"label {name!r} is written as {_tag(name)!r} ({why})" for name in renamed]


def _tag(label: str) -> str:
    return "_".join(label.split())


def _entities(document: Document, data: Dataset, tokens: list[Token], warnings: list[str]) -> list[Entity]:
    """Entity spans as token ranges: whole tokens only, no overlaps."""
    starts = [t[0] for t in tokens]
    candidates: list[Entity] = []
    seen: set[tuple[int, int, str]] = set()
    for span in data.spans_of(document.id):
        label = data.label_of(span)
        if label.kind is not LabelKind.ENTITY or (span.start, span.end, label.name) in seen:
            continue
        seen.add((span.start, span.end, label.name))
        where = f"{document.title!r}: entity {span.quote!r} ({label.name}, {span.start}-{span.end})"
        first = bisect.bisect_left(starts, span.start)  # tokens[first:last] start inside the span
        last = bisect.bisect_left(starts, span.end)
        cut = [
            t
            for t in (tokens[max(first - 1, 0)], tokens[max(last - 1, 0)])
            if tokens and (t[0] < span.start < t[1] or t[0] < span.end < t[1])
        ]
        if cut:
            token = document.text[cut[0][0] : cut[0][1]]
            warnings.append(f"{where} cuts the token {token!r}; left out")
        elif first >= last:
            warnings.append(f"{where} covers no token; left out")
        else:
            candidates.append((first, last, _tag(label.name)))
    return _without_overlaps(document, candidates, tokens, warnings)


def _without_overlaps(
    document: Document, candidates: list[Entity], tokens: list[Token], warnings: list[str]
) -> list[Entity]:
    kept: list[Entity] = []
    taken: set[int] = set()
    for entity in sorted(candidates, key=lambda e: (e[0] - e[1], e[0])):
        if taken.isdisjoint(range(entity[0], entity[1])):
            kept.append(entity)
            taken.update(range(entity[0], entity[1]))
            continue
        start, end = tokens[entity[0]][0], tokens[entity[1] - 1][1]
        warnings.append(
            f"{document.title!r}: entity {document.text[start:end]!r} ({entity[2]},"
            f" {start}-{end}) overlaps a longer or earlier one; left out"
        )
    return sorted(kept)


def _sentences(text: str, tokens: list[Token], entities: list[Entity]) -> Iterator[list[tuple[int, str]]]:
    """Token indices with their tags, one list per sentence."""
    tags = ["O"] * len(tokens)
    inside: list[tuple[int, int]] = []
    for first, last, label in entities:
        tags[first:last] = [f"B-{label}"] + [f"I-{label}"] * (last - first - 1)
        inside.append((tokens[first][0], tokens[last - 1][1]))
    breaks = [b for b in sentence_breaks(text) if not any(s < b < e for s, e in inside)]
    sentence: list[tuple[int, str]] = []
    current = 0
    for index, (start, _) in enumerate(tokens):
        number = bisect.bisect_right(breaks, start)
        if number != current and sentence:
            yield sentence
            sentence = []
        current = number
        sentence.append((index, tags[index]))
    if sentence:
        yield sentence
