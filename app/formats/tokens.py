"""Shared by the token-based formats (CoNLL-2003, Hugging Face, CoNLL-U, Prodigy).

Token files hold tokens, not the text they came from. `TextFinder` puts them
back on a project document whose text has the same characters once whitespace
is dropped (our own exports, or the same article tokenised elsewhere), so a
round trip lands on the same document with the same code point offsets;
otherwise the tokens joined by spaces (sentences by newlines) become a new
document. `decode_tags` reads BIO (IOB2), IOB1 and BIOES alike.

Token files name no annotator (Prodigy's may): their spans are the chosen
annotator's, else a name made from the file (`kim (CoNLL-2003)`, said in the
summary: `AnnotationImportReport.notes`, worded by each front end), and then a
span already in the project under anyone is recognised, not added again
(`Plan.unnamed`): re-importing our own export adds nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from app.errors import ImportRefused
from app.formats.import_report import AnnotationImportReport, UnnamedImportReport
from app.formats.matching import Plan, PlannedSpan, apply_plan
from app.models import NewDocument
from app.storage.project import Project
from app.text.words import a_or_an

_GAP = re.compile(r"[\s\u200b\u2060\ufeff]+")  # what our tokenizer leaves between tokens
TAG = re.compile(r"(?P<prefix>[BIES])[-_](?P<label>.+)")


def decode_tags(path: object, where: str, tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, last token + 1, label) per entity; `O` outside.

    An entity starts at B-/S-, or at I-/E- after another label or O (IOB1, and
    lenient IOB2); it ends after E-/S-. Anything else is refused.
    """
    found: list[tuple[int, int, str]] = []
    open_label: str | None = None
    for index, tag in enumerate(tags):
        if tag == "O":
            open_label = None
            continue
        match = TAG.fullmatch(tag)
        if match is None:
            raise ImportRefused(path, f"{where}, token {index + 1}: {tag!r} is not a BIO tag (O, B-X, I-X, E-X, S-X)")
        prefix, label = match["prefix"], match["label"]
        if prefix in "BS" or open_label != label:
            found.append((index, index + 1, label))
        else:
            first, _, _ = found[-1]
            found[-1] = (first, index + 1, label)
        open_label = None if prefix in "ES" else label
    return found


def skeleton(text: str) -> str:
    return _GAP.sub("", text)


@dataclass(frozen=True)
class Placed:
    text: str
    offsets: list[tuple[int, int]]  # one (start, end) per token, code points into `text`
    matched: bool  # found on a project document


class TextFinder:
    """Project documents by their text without whitespace."""

    def __init__(self, project: Project) -> None:
        self._texts: dict[str, str] = {}
        for summary in project.documents():
            text = project.document(summary.id).text
            self._texts.setdefault(skeleton(text), text)

    def place(self, sentences: Sequence[Sequence[str]]) -> Placed:
        tokens = [t for sentence in sentences for t in sentence]
        text = self._texts.get("".join(skeleton(t) for t in tokens))
        if text is not None:
            offsets = _find(text, tokens)
            if offsets is not None:
                return Placed(text, offsets, True)
        return _joined(sentences)

    def remap(self, text: str) -> tuple[str, Callable[[int, bool], int]] | None:
        """The project text with `text`'s characters (whitespace aside), and where offsets move to.

        `move(offset, end)` maps a start to its next visible character, an end past its previous one.
        """
        target = self._texts.get(skeleton(text))
        if target is None or target == text:
            return None
        source, dest = _visible(text), _visible(target)

        def move(offset: int, end: bool) -> int:
            index = bisect.bisect_left(source, offset)
            if end:
                return dest[index - 1] + 1 if index else 0
            return dest[index] if index < len(dest) else len(target)

        return target, move


def _visible(text: str) -> list[int]:
    return [i for i, char in enumerate(text) if not _GAP.fullmatch(char)]


def _find(text: str, tokens: Sequence[str]) -> list[tuple[int, int]] | None:
    offsets, at = [], 0
    for token in tokens:
        gap = _GAP.match(text, at)
        at = gap.end() if gap else at
        if not text.startswith(token, at):
            return None
        offsets.append((at, at + len(token)))
        at += len(token)
    return offsets


def _joined(sentences: Sequence[Sequence[str]]) -> Placed:
    lines, offsets, at = [], [], 0
    for sentence in sentences:
        line = " ".join(sentence)
        for token in sentence:
            offsets.append((at, at + len(token)))
            at += len(token) + 1
        lines.append(line)
        at += 0 if sentence else 1
    return Placed("\n".join(lines), offsets, False)


def add_tagged(
    plan: Plan, where: str, key: object, doc: NewDocument, offsets: list[tuple[int, int]], tags: Sequence[str], who: str
) -> int:
    """Add a document and the entity spans its tags name; returns how many."""
    sha = plan.add_document(doc)
    entities = decode_tags(plan.path, where, tags)
    for number, (first, last, label) in enumerate(entities):
        plan.label_kinds.setdefault(label, "entity")
        span = PlannedSpan((key, number), sha, offsets[first][0], offsets[last - 1][1], label, who)
        plan.add_span(span, f"{where}, entity {number + 1}")
    return len(entities)


def refuse_kind_clashes(project: Project, plan: Plan) -> None:
    """A file that says a label is an entity (or a claim) may not retag the project's label of the other kind."""
    kinds = {label.name: label.kind.value for label in project.labels()}
    for name, kind in plan.label_kinds.items():
        if name in kinds and kinds[name] != kind:
            raise ImportRefused(
                plan.path,
                f"label {name!r} is {a_or_an(kinds[name])} label in the project, but this file has it as"
                f" {a_or_an(kind)}; rename one of them; nothing was imported",
            )


# The token formats as the summary and the import dialog name them.
TITLES = {"conll": "CoNLL-2003", "conllu": "CoNLL-U", "huggingface": "Hugging Face", "prodigy": "Prodigy"}


@dataclass(frozen=True)
class Unnamed:
    """A token file that names no annotator (for some of its lines, `partly`): whose its spans will be."""

    name: str  # what the import calls the annotator unless told another
    title: str  # the format, as said to the user
    partly: bool = False  # a Prodigy file whose other lines name their annotators


def unnamed_name(path: Path, format_title: str) -> str:
    return f"{path.stem or path.resolve().name} ({format_title})"


def annotator_for(plan: Plan, chosen: str | None, format_title: str) -> str:
    """Whose a token file's spans are: the annotator chosen, else one named after the file."""
    if chosen:
        return chosen
    plan.unnamed = unnamed_name(plan.path, format_title)
    return plan.unnamed


def apply_tokens(project: Project, plan: Plan) -> AnnotationImportReport:
    """Apply a token file's plan; the report says whom the spans went to when the file named nobody."""
    refuse_kind_clashes(project, plan)
    report = apply_plan(project, plan)
    return UnnamedImportReport(**asdict(report), unnamed=plan.unnamed) if plan.unnamed else report
