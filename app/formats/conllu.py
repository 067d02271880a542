"""CoNLL-U: one token a line, entity tags in MISC, for Universal Dependencies tools (out and in).

    # newdoc id = <document uuid>
    # sent_id = <document id>-<n>
    # text = <the sentence as written>
    1<TAB>Mevlüt<TAB>_<TAB>_<TAB>_<TAB>_<TAB>_<TAB>_<TAB>_<TAB>NER=B-PERSON

The ten columns are ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC;
only ID, FORM and MISC are filled (no tagger or parser runs here). MISC holds
`NER=<BIO tag>` (the convention of CoNLL-U NER corpora and of UD's own NER
annotations) and `SpaceAfter=No` where the next token follows without a
space, or `SpacesAfter=` (UD's escaped form: `\\s`, `\\t`, `\\u00A0`) where other
whitespace follows, so `# text` is exactly the tokens with their spacing (a line separator
other than LF, which never ends a sentence here, is written as a space).
Tokens, sentences and entities are the CoNLL export's (same warnings).
The import reads `NER=` BIO tags back (multiword ranges and empty nodes
skipped) and puts the tokens on the project document with the same
characters, as the CoNLL import does.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from app.errors import ImportRefused
from app.formats.conll import Sentence, export_sentences
from app.formats.dataset import ExportReport, Progress, Selection
from app.formats.import_report import AnnotationImportReport
from app.formats.matching import LINE_BREAKS, Plan, read_text
from app.formats.tokens import TITLES, TextFinder, add_tagged, annotator_for, apply_tokens
from app.models import Document, NewDocument
from app.storage.project import Project

EVERYTHING = Selection()
_ONE_LINE = {ord(c): " " for c in LINE_BREAKS}  # a comment is one line
_ESCAPES = {" ": "\\s", "\t": "\\t", "\n": "\\n", "\\": "\\\\", "|": "\\p"}


def spaces_after(gap: str) -> str | None:
    """The MISC item for the whitespace after a token; None for one plain space."""
    if gap == " ":
        return None
    if gap == "":
        return "SpaceAfter=No"
    return "SpacesAfter=" + "".join(_ESCAPES.get(c, c if c.isprintable() else f"\\u{ord(c):04X}") for c in gap)


def export_conllu(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:

    def write(handle: IO[str], document: Document, sentences: list[Sentence]) -> None:
        text = document.text
        handle.write(f"# newdoc id = {document.uuid}\n")
        for number, sentence in enumerate(sentences, start=1):
            first, last = sentence[0][0][0], sentence[-1][0][1]
            line = text[first:last].translate(_ONE_LINE)
            handle.write(f"# sent_id = {document.id}-{number}\n# text = {line}\n")
            for index, ((a, b), tag) in enumerate(sentence):
                following = sentence[index + 1][0][0] if index + 1 < len(sentence) else b
                space = spaces_after(text[b:following]) if index + 1 < len(sentence) else None
                misc = "|".join(x for x in (f"NER={tag}", space) if x)
                handle.write(f"{index + 1}\t{text[a:b]}\t_\t_\t_\t_\t_\t_\t_\t{misc}\n")
            handle.write("\n")

    return export_sentences(project, out, selection, progress, write)


def import_conllu(project: Project, path: Path, annotator: str | None = None) -> AnnotationImportReport:
    """Entities from `NER=` in MISC (BIO); `# newdoc` starts a document (a file without one is one)."""
    plan = read_conllu(project, Path(path), annotator)
    return apply_tokens(project, plan)


def read_conllu(project: Project, path: Path, annotator: str | None = None) -> Plan:
    documents: list[tuple[int, list[list[tuple[str, str]]]]] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if line.startswith("# newdoc") or (not documents and line.strip()):
            documents.append((number, [[]]))
        if line.startswith("#"):
            continue
        sentences = documents[-1][1] if documents else [[]]
        columns = line.split("\t")
        if not line.strip():
            if sentences[-1]:
                sentences.append([])
        elif len(columns) != 10 or not columns[0].replace("-", "").replace(".", "").isdigit():
            raise ImportRefused(path, f"line {number}: not a CoNLL-U token line (ten tab-separated columns)")
        elif columns[0].isdigit():  # not a multiword range (1-2) or an empty node (1.1)
            misc = dict(item.partition("=")[::2] for item in columns[9].split("|") if "=" in item)
            sentences[-1].append((columns[1], misc.get("NER", "O")))
    plan, finder = Plan(path), TextFinder(project)
    who = annotator_for(plan, annotator, TITLES["conllu"])
    for index, (first, found) in enumerate(documents, start=1):
        kept = [s for s in found if s]
        if not kept:
            continue
        placed = finder.place([[form for form, _ in s] for s in kept])
        doc = NewDocument(text=placed.text, title=path.stem if len(documents) == 1 else f"{path.stem} #{index}")
        tags = [tag for s in kept for _, tag in s]
        add_tagged(plan, f"document at line {first}", first, doc, placed.offsets, tags, who)
    if not plan.documents:
        raise ImportRefused(path, "no tokens: not a CoNLL-U file")
    return plan
