"""Read CoNLL-2003 style NER files: one token a line, the tag in the last column.

Columns are separated by spaces or tabs (the word first, the entity tag last;
POS and chunk columns in between are ignored). Blank lines end sentences;
a `-DOCSTART-` line starts a document (a file without one is one document).
Tags are BIO (IOB2), IOB1 (the original CoNLL-2003 files) or BIOES; see
`app.formats.tokens.decode_tags`. Tokens are put back on the project document
with the same characters (our own export), else joined by spaces into a new
document titled after the file. One transaction; the first bad line refuses
the whole file.
"""

from __future__ import annotations

from pathlib import Path

from app.errors import ImportRefused
from app.formats.import_report import AnnotationImportReport
from app.formats.matching import Plan, read_text
from app.formats.tokens import TITLES, TextFinder, add_tagged, annotator_for, apply_tokens
from app.models import NewDocument
from app.storage.project import Project

Sentence = list[tuple[str, str]]  # (token, tag)


def import_conll(project: Project, path: Path, annotator: str | None = None) -> AnnotationImportReport:
    plan = read_conll(project, Path(path), annotator)
    return apply_tokens(project, plan)


def read_conll(project: Project, path: Path, annotator: str | None = None) -> Plan:
    documents: list[tuple[int, list[Sentence]]] = []  # first line, sentences
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        columns = raw.split()
        if columns[:1] == ["-DOCSTART-"] or not documents:
            documents.append((number, [[]]))
            if columns[:1] == ["-DOCSTART-"]:
                continue
        sentences = documents[-1][1]
        if not columns:
            if sentences[-1]:
                sentences.append([])
        elif len(columns) < 2:
            raise ImportRefused(path, f"line {number}: {raw.strip()!r} has no tag column (token ... TAG)")
        else:
            sentences[-1].append((columns[0], columns[-1]))
    plan, finder = Plan(path), TextFinder(project)
    who = annotator_for(plan, annotator, TITLES["conll"])
    kept = [(line, [s for s in sentences if s]) for line, sentences in documents]
    kept = [(line, sentences) for line, sentences in kept if sentences]
    if not kept:
        raise ImportRefused(path, "no tokens: not a CoNLL file (token ... TAG, one per line)")
    for index, (line, sentences) in enumerate(kept, start=1):
        placed = finder.place([[t for t, _ in s] for s in sentences])
        title = path.stem if len(kept) == 1 else f"{path.stem} #{index}"
        doc = NewDocument(text=placed.text, title=title)
        tags = [tag for s in sentences for _, tag in s]
        add_tagged(plan, f"document at line {line}", line, doc, placed.offsets, tags, who)
    return plan
