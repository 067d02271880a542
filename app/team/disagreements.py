"""The disagreements of one annotator, as a list to send back to them (CSV).

Built from the curation candidates (`app.team.candidates`), document by
document, among the documents the annotator made spans in:

- where the document has gold, against gold: a gold span they did not make
  (``missed``), a span of theirs that is not in gold (``not in gold``);
- elsewhere, against the other annotators: a span of theirs that not every
  other annotator of the document made (``only some``), one that others made
  and they did not (``others only``).

Competing items (same place, other label) show up as two rows, one each.
Each row says where (document title and outlet, code-point offsets) and
quotes the text and its sentence, so the annotator finds it without the tool.
"""

from __future__ import annotations

import csv
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from app.errors import NotFound
from app.formats.atomic import atomic_text
from app.models import GOLD
from app.storage.project import Project
from app.team.candidates import Candidate, State, candidates
from app.text.sentences import split_sentences


@dataclass(frozen=True)
class Disagreement:
    document: str  # title
    outlet: str
    start: int  # code points, end exclusive
    end: int
    quote: str
    sentence: str
    label: str
    problem: str  # missed, not in gold, only some, others only
    others: str  # who else made it (or "gold")


COLUMNS = tuple(f.name for f in fields(Disagreement))


def disagreements(project: Project, annotator: str) -> list[Disagreement]:
    names = {a.name for a in project.annotators()}
    if annotator not in names or annotator == GOLD:
        raise NotFound(f"{project.path}: no annotator {annotator!r} (annotators: {', '.join(sorted(names - {GOLD}))})")
    found = []
    for doc in project.documents():
        items = [c for c in candidates(project, doc.id) if c.kind == "span"]
        authors = {a for c in items for a in c.annotators}
        if annotator not in authors:
            continue
        gold = any(c.gold for c in items)
        text = project.text(doc.id)
        sentences = split_sentences(text)
        for item in items:
            problem = _problem(item, annotator, authors, gold)
            if problem:
                begin = max([s[0] for s in sentences if s[0] <= item.start] or [0])
                finish = min([s[1] for s in sentences if s[1] >= item.end] or [len(text)])
                quote = text[item.start : item.end]
                others = "gold" if gold else ", ".join(a for a in item.annotators if a != annotator)
                sentence = " ".join(f"{text[begin : item.start]}[{quote}]{text[item.end : finish]}".split())
                where = (doc.title, doc.source, item.start, item.end)
                found.append(Disagreement(*where, quote, sentence, item.label, problem, others))
    return found


def _problem(item: Candidate, who: str, authors: set[str], gold: bool) -> str:
    mine = who in item.annotators
    if gold:
        in_gold = item.state in (State.ACCEPTED, State.AGREED)
        return "missed" if in_gold and not mine else "not in gold" if mine and not in_gold else ""
    if mine and set(item.annotators) != authors:
        return "only some"
    return "others only" if not mine and item.annotators else ""


def write_disagreements(project: Project, annotator: str, out: Path) -> int:
    """Write the annotator's disagreements as CSV (header first, UTF-8); returns the row count."""
    rows = disagreements(project, annotator)
    with atomic_text(Path(out), newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(astuple(row) for row in rows)
    return len(rows)
