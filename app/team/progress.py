"""Who tags what, how far they are, and how far curation is.

Small state in the project's `setting` table, keyed by a document's text
sha256 (the same in every annotator's file and in the team file, where
document ids and even uuids differ), so it travels with a merge:

- ``team.assigned:<sha>``: JSON list of the annotators assigned the document
  (the lead's; a merge keeps the target's and adds a source's only where the
  target has none);
- ``team.mark:<sha>:<annotator>``: ``finished`` or ``nothing`` (nothing to
  tag), set by the annotator in their file; a merge brings the source's;
- ``curation.finished:<sha>``: the lead finished curating the document.

A document's curation state is *finished* when so marked, *in progress* when
it has gold spans or links or any curation decision, else *open*. Gold
exports take finished documents only unless told otherwise (`gold_documents`).
Every change is one `Project.set_setting` call or a batch of them: undoable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.errors import InvalidOperation
from app.models import GOLD
from app.storage.changes import Changes, Outcome, UndoStep
from app.storage.project import Project

ASSIGNED, MARK, FINISHED = "team.assigned:", "team.mark:", "curation.finished:"
CARRIED = (ASSIGNED, MARK)  # what a merge brings from a source


class Mark(StrEnum):
    FINISHED = "finished"
    NOTHING = "nothing"  # nothing to tag in this document


class CurationState(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in progress"
    FINISHED = "finished"


@dataclass(frozen=True)
class DocumentProgress:
    document_id: int
    title: str
    outlet: str
    assigned: tuple[str, ...]
    marks: dict[str, Mark]  # annotator -> their mark
    annotated: tuple[str, ...]  # who made spans here (gold left out)
    curation: CurationState


@dataclass(frozen=True)
class AnnotatorProgress:
    name: str
    assigned: int
    finished: int  # assigned documents marked finished or nothing to tag
    annotated: int  # documents with their spans


@dataclass(frozen=True)
class TeamProgress:
    documents: tuple[DocumentProgress, ...]
    annotators: tuple[AnnotatorProgress, ...]
    curation: dict[CurationState, int]


@dataclass(frozen=True)
class Steps:
    """Several setting changes undone together (newest first)."""

    steps: tuple[UndoStep, ...]

    def apply(self, project: Project) -> Outcome[None]:
        redo = [project.apply(step).undo for step in self.steps]
        return Outcome(None, Changes(settings=True), Steps(tuple(reversed(redo))))


def _sha(project: Project, document_id: int) -> str:
    return project.document(document_id).text_sha256


def assign(project: Project, document_ids: Iterable[int], annotators: Sequence[str]) -> Outcome[None]:
    """Assign these documents to these annotators (replacing earlier assignments); undoable."""
    names = sorted({a.strip() for a in annotators if a.strip()})
    if GOLD in names:
        raise InvalidOperation("documents are assigned to annotators, not to the gold layer")
    with project.batch():
        undo = [
            project.set_setting(ASSIGNED + _sha(project, d), json.dumps(names) if names else None).undo
            for d in document_ids
        ]
    return Outcome(None, Changes(settings=True), Steps(tuple(reversed(undo))))


def mark(project: Project, document_id: int, annotator: str, value: Mark | str | None) -> Outcome[None]:
    """An annotator marks a document finished or nothing-to-tag (None: not yet); undoable."""
    chosen = Mark(value).value if value is not None else None
    return project.set_setting(f"{MARK}{_sha(project, document_id)}:{annotator.strip()}", chosen)


def finish_curation(project: Project, document_id: int, finished: bool = True) -> Outcome[None]:
    """The lead marks the document's curation finished (or reopens it); undoable."""
    done = project.set_setting(FINISHED + _sha(project, document_id), "1" if finished else None)
    return Outcome(None, Changes(settings=True, curation=True), done.undo)


def curation_states(project: Project) -> dict[int, CurationState]:
    finished = _keys(project, FINISHED)
    busy = {
        r[0]
        for r in project.query(
            "SELECT d.id FROM document d WHERE EXISTS (SELECT 1 FROM adjudication j WHERE j.document_uuid = d.uuid)"
            " OR EXISTS (SELECT 1 FROM span s JOIN annotator a ON a.id = s.annotator_id"
            " WHERE s.document_id = d.id AND a.name = ?)",
            (GOLD,),
        )
    }
    return {
        d.id: CurationState.FINISHED
        if d.text_sha256 in finished
        else CurationState.IN_PROGRESS
        if d.id in busy
        else CurationState.OPEN
        for d in _documents(project)
    }


def _keys(project: Project, prefix: str) -> dict[str, str]:
    found = project.query("SELECT key, value FROM setting WHERE key >= ? AND key < ?", (prefix, prefix + "\uffff"))
    return {key[len(prefix) :]: value for key, value in found}


@dataclass(frozen=True)
class _Doc:
    id: int
    title: str
    source: str
    text_sha256: str


def _documents(project: Project) -> list[_Doc]:
    """In the project's document order."""
    shas = dict(project.query("SELECT id, text_sha256 FROM document"))
    return [_Doc(d.id, d.title, d.source, shas[d.id]) for d in project.documents()]


def team_progress(project: Project) -> TeamProgress:
    """Progress per document and per annotator, and curation progress."""
    assigned = {sha: tuple(json.loads(v)) for sha, v in _keys(project, ASSIGNED).items()}
    marks: dict[str, dict[str, Mark]] = {}
    for key, value in _keys(project, MARK).items():
        sha, _, who = key.partition(":")
        marks.setdefault(sha, {})[who] = Mark(value)
    annotated: dict[int, set[str]] = {}
    for doc_id, name in project.query(
        "SELECT DISTINCT s.document_id, a.name FROM span s JOIN annotator a ON a.id = s.annotator_id WHERE a.name <> ?",
        (GOLD,),
    ):
        annotated.setdefault(doc_id, set()).add(name)
    states = curation_states(project)
    documents = tuple(
        DocumentProgress(
            d.id,
            d.title,
            d.source,
            assigned.get(d.text_sha256, ()),
            marks.get(d.text_sha256, {}),
            tuple(sorted(annotated.get(d.id, ()))),
            states[d.id],
        )
        for d in _documents(project)
    )
    people = sorted({a for d in documents for a in (*d.assigned, *d.marks, *d.annotated)}, key=str.casefold)
    annotators = tuple(
        AnnotatorProgress(
            name,
            sum(1 for d in documents if name in d.assigned),
            sum(1 for d in documents if name in d.assigned and name in d.marks),
            sum(1 for d in documents if name in d.annotated),
        )
        for name in people
    )
    counts = {state: sum(1 for d in documents if d.curation == state) for state in CurationState}
    return TeamProgress(documents, annotators, counts)


def gold_documents(project: Project, unfinished: bool = False) -> tuple[frozenset[int], str]:
    """The documents a gold export takes, and a sentence saying which."""
    states = curation_states(project)
    finished = frozenset(i for i, s in states.items() if s == CurationState.FINISHED)
    if unfinished:
        return frozenset(states), f"gold of all {len(states)} documents ({len(finished)} with curation finished)"
    left = len(states) - len(finished)
    return finished, (
        f"gold of the {len(finished)} documents whose curation is finished"
        + (f"; {left} not finished left out (--unfinished takes them too)" if left else "")
    )


def format_progress(progress: TeamProgress) -> str:
    """Per annotator, per document (title · outlet, never a bare id), then curation, as plain text."""
    lines = ["Annotators (assigned, finished or nothing to tag, documents with spans):"]
    lines += [
        f"  {a.name}: {a.assigned} assigned, {a.finished} finished, {a.annotated} annotated"
        for a in progress.annotators
    ]
    lines.append("Documents:")
    for d in progress.documents:
        name = " · ".join(x for x in (d.title or "untitled", d.outlet) if x)
        marks = ", ".join(f"{who} {value.value}" for who, value in sorted(d.marks.items())) or "no marks"
        lines.append(f"  {name}: assigned {', '.join(d.assigned) or 'nobody'}; {marks}; curation {d.curation.value}")
    counts = ", ".join(f"{n} {state.value}" for state, n in progress.curation.items())
    return "\n".join([*lines, f"Curation: {counts}"])
