"""CoNLL-U export: one token a line, entity tags in MISC, for Universal Dependencies tools.

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
"""

from __future__ import annotations

from pathlib import Path

from app.formats.atomic import atomic_text
from app.formats.conll import renamed_labels, tagged_sentences
from app.formats.dataset import ExportReport, Progress, Selection, collect
from app.formats.matching import LINE_BREAKS
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
    data = collect(project, selection, progress)
    warnings: list[str] = []
    written = 0
    with atomic_text(Path(out)) as handle:
        for document in data.documents:
            sentences, count = tagged_sentences(document, data, warnings)
            written += count
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
    warnings.extend(renamed_labels(data))
    return ExportReport(str(out), len(data.documents), written, 0, tuple(warnings))
