"""Prodigy-style JSONL (ner.manual / db-out): one text per line, in and out.

    {"text": "...", "tokens": [{"text", "start", "end", "id", "ws"}],
     "spans": [{"start", "end", "label", "token_start", "token_end"}],
     "answer": "accept", "meta": {"title", "source"}}

Offsets are Python string indices (code points), as Prodigy writes them;
`token_end` is inclusive. The export writes one line per document and
annotator, as `prodigy db-out` writes a multi-user dataset: `_annotator_id`
and `_session_id` are Prodigy's "<dataset>-<session>", here
`parallax-<annotator>`, and the spans that annotator's entity spans on our
tokens (the CoNLL tokenizer; spans that cut a token or overlap a longer one
of the same annotator are left out and warned about, as for CoNLL). The
import takes `spans` by their character offsets, checks
`token_start`/`token_end` against `tokens` when both are there, and skips
lines answered "reject" or "ignore". The annotator is the one given, else
the line's `_annotator_id` (our `parallax-` taken off), else its
`_session_id`, else one named after the file (`app.formats.tokens.annotator_for`).
One transaction; the first bad line refuses the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import ImportRefused
from app.formats.atomic import atomic_text
from app.formats.conll import Sentence, renamed_labels, tagged_sentences
from app.formats.dataset import Dataset, ExportReport, Progress, Selection, collect
from app.formats.import_report import AnnotationImportReport
from app.formats.matching import Plan, PlannedSpan, normalise, read_text
from app.formats.tokens import TITLES, annotator_for, apply_tokens, decode_tags
from app.models import Document, LabelKind, NewDocument, Span
from app.storage.project import Project

EVERYTHING = Selection()
DATASET = "parallax"  # the Prodigy dataset our export's lines name in `_annotator_id`


def export_prodigy(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    """One line per document and annotator, as Prodigy's db-out writes a multi-user dataset."""
    data = collect(project, selection, progress)
    warnings: list[str] = []
    written = 0
    with atomic_text(Path(out)) as handle:
        for document in data.documents:
            for who, layer in _layers(data, document):
                sentences, count = tagged_sentences(document, layer, warnings)
                written += count
                handle.write(json.dumps(_record(out, document, sentences, who), ensure_ascii=False) + "\n")
    # The spans' labels are read off the BIO tags, which hold no spaces: renamed labels are said.
    warnings.extend(renamed_labels(data, "no spaces in a tag"))
    return ExportReport(str(out), len(data.documents), written, 0, tuple(warnings))


def _layers(data: Dataset, document: Document) -> Iterator[tuple[str | None, Dataset]]:
    """Each annotator's entity spans on `document` (by name); a document nobody tagged once, unnamed."""
    names = data.annotator_names
    mine: dict[str, list[Span]] = {}
    for span in data.spans_of(document.id):
        if data.label_of(span).kind is LabelKind.ENTITY:
            mine.setdefault(names[span.annotator_id], []).append(span)
    if not mine:
        yield None, data
    for who in sorted(mine):
        yield who, replace(data, spans=mine[who], _by_document={document.id: mine[who]})


def _record(out: Path, document: Document, sentences: list[Sentence], who: str | None) -> dict[str, Any]:
    rows = [row for sentence in sentences for row in sentence]
    tokens, index = spacy_tokens(document.text, [span for span, _ in rows])
    spans = [
        {
            "start": rows[first][0][0],
            "end": rows[last - 1][0][1],
            "text": document.text[rows[first][0][0] : rows[last - 1][0][1]],
            "label": label,
            "token_start": index[first],
            "token_end": index[last - 1],
        }
        for first, last, label in decode_tags(out, document.title, [tag for _, tag in rows])
    ]
    meta = {"title": document.title, "source": document.source, "url": document.url}
    record = {"text": document.text, "meta": meta, "tokens": tokens, "spans": spans, "answer": "accept"}
    if who is not None:  # Prodigy's review recipe groups a text's answers by this id
        record["_session_id"] = record["_annotator_id"] = f"{DATASET}-{who}"
    return record


def spacy_tokens(text: str, words: list[tuple[int, int]]) -> tuple[list[dict[str, Any]], list[int]]:
    """Prodigy's tokens as spaCy makes them: one space folds into `ws`, other whitespace is a token.

    So `Doc(words=[t["text"]], spaces=[t["ws"]])` gives back the text exactly. Also returns
    where each of `words` landed in the list.
    """
    pieces: list[tuple[int, int]] = []
    at = 0
    for start, end in [*words, (len(text), len(text))]:
        # Before this word: one space folds into the previous token's `ws`; the rest of the
        # whitespace (newlines, tabs, more spaces) is a token, its own last space in its `ws`.
        gap_start = at + 1 if pieces and text.startswith(" ", at) else at
        if gap_start < start:
            pieces.append((gap_start, start - 1 if start - gap_start > 1 and text[start - 1] == " " else start))
        if start < end:
            pieces.append((start, end))
        at = end
    index = {piece: i for i, piece in enumerate(pieces)}
    tokens = [
        {
            "text": text[a:b],
            "start": a,
            "end": b,
            "id": i,
            "ws": text.startswith(" ", b) and (i + 1 == len(pieces) or pieces[i + 1][0] > b),
        }
        for i, (a, b) in enumerate(pieces)
    ]
    return tokens, [index[w] for w in words]


@dataclass
class ProdigyPlan(Plan):
    """The import's plan, which also says whose each kept line's spans are (the window's question)."""

    owners: dict[int, str] = field(default_factory=dict)  # line number -> whose its spans are


def import_prodigy(
    project: Project, path: Path, annotator: str | None = None, plan: ProdigyPlan | None = None
) -> AnnotationImportReport:
    """`plan`: the file's plan as read for `unnamed_lines`, applied without reading the file again."""
    if plan is None:
        plan = read_prodigy(Path(path), annotator)
    elif annotator:
        plan = given_to(plan, annotator)
    return apply_tokens(project, plan)


def given_to(plan: ProdigyPlan, annotator: str) -> ProdigyPlan:
    """The plan as `read_prodigy(path, annotator)` makes it: every span theirs, no name made up."""
    spans = [replace(span, annotator=annotator) for span in plan.spans]
    return replace(plan, spans=spans, unnamed="", owners=dict.fromkeys(plan.owners, annotator))


def read_prodigy(path: Path, annotator: str | None = None) -> ProdigyPlan:
    plan = ProdigyPlan(path)
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if line.strip():
            _read_line(plan, number, line, annotator)
    return plan


def _read_line(plan: ProdigyPlan, number: int, line: str, annotator: str | None) -> None:
    where = f"line {number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportRefused(plan.path, f"{where}: not valid JSON ({exc.msg}, column {exc.colno})") from exc
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ImportRefused(plan.path, f'{where}: expected an object with a "text" string')
    if record.get("answer", "accept") != "accept":
        plan.warnings.append(f"{where}: answered {record.get('answer')!r}, skipped")
        return
    text, spans, tokens = record["text"], record.get("spans") or [], record.get("tokens") or []
    if not isinstance(spans, list) or not isinstance(tokens, list):
        raise ImportRefused(plan.path, f"{where}: spans and tokens must be lists")
    norm = normalise(text)
    if not norm.text.strip():
        plan.warnings.append(f"{where}: empty text, skipped")
        return
    found = record.get("meta")
    meta: dict[str, Any] = found if isinstance(found, dict) else {}
    try:
        doc = NewDocument(text=norm.text, title=_text(meta.get("title")), source=_text(meta.get("source")))
    except ValidationError as exc:
        raise ImportRefused(plan.path, f"{where}: {exc.errors()[0]['msg']}") from exc
    sha = plan.add_document(doc)
    who = annotator or carried_annotator(record) or (annotator_for(plan, None, TITLES["prodigy"]) if spans else "")
    if spans:
        plan.owners[number] = who
    for index, span in enumerate(spans, start=1):
        start, end, label = _span(plan, f"{where}, span {index}", span, text, tokens)
        plan.label_kinds.setdefault(label, "entity")
        planned = PlannedSpan((number, index), sha, norm.offset(start), norm.offset(end), label, who)
        plan.add_span(planned, f"{where}, span {index}")


def _span(plan: Plan, where: str, span: Any, text: str, tokens: list[Any]) -> tuple[int, int, str]:
    ok = isinstance(span, dict) and isinstance(span.get("label"), str) and span["label"].strip()
    start, end = (span.get("start"), span.get("end")) if isinstance(span, dict) else (None, None)
    if not ok or not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
        raise ImportRefused(plan.path, f'{where}: expected {{"start", "end", "label"}} with whole-number offsets')
    assert isinstance(start, int) and isinstance(end, int)
    if not 0 <= start < end <= len(text):
        raise ImportRefused(plan.path, f"{where}: {start}-{end} is not a range of the text (0-{len(text)})")
    if isinstance(span.get("text"), str) and span["text"] != text[start:end]:
        raise ImportRefused(
            plan.path, f"{where}: the file says {span['text']!r}, the text there is {text[start:end]!r}"
        )
    first, last = span.get("token_start"), span.get("token_end")
    if tokens and isinstance(first, int) and isinstance(last, int):
        edges = [t.get(key) if isinstance(t, dict) else None for t, key in _ends(tokens, first, last)]
        if edges != [start, end]:
            raise ImportRefused(
                plan.path, f"{where}: tokens {first}-{last} do not start and end at {start}-{end} ({edges})"
            )
    return start, end, str(span["label"]).strip()


def _ends(tokens: list[Any], first: int, last: int) -> list[tuple[Any, str]]:
    inside = 0 <= first <= last < len(tokens)
    return [(tokens[first], "start"), (tokens[last], "end")] if inside else [({}, "start"), ({}, "end")]


def unnamed_lines(plan: ProdigyPlan) -> tuple[int, int]:
    """(lines whose spans go to the name made up for the file, lines with spans), read off the
    import's own plan (`read_prodigy`): the lines it keeps, as it keeps them."""
    unnamed = sum(1 for who in plan.owners.values() if plan.unnamed and who == plan.unnamed)
    return unnamed, len(plan.owners)


def carried_annotator(record: dict[str, Any]) -> str:
    """The line's annotator: Prodigy's `_annotator_id` ("<dataset>-<session>"), else its `_session_id`.

    Our own export's dataset, `parallax-`, is taken off again, so a re-import keeps the name.
    """
    carried = _text(record.get("_annotator_id")) or _text(record.get("_session_id"))
    ours = carried.removeprefix(f"{DATASET}-")
    return ours if ours.strip() else carried


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
