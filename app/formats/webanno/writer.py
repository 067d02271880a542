"""Write WebAnno TSV 3.3 (INCEpTION's `ctsv3`): a ZIP of `<document>/<annotator>.tsv`.

As INCEpTION's own export, each annotator's spans of a document are one file
named after them (a document nobody tagged is `INITIAL_CAS.tsv`); characters
outside INCEpTION's user names are percent-encoded in the file name, so
"Example annotator" is `Example%20annotator.tsv` and reads back as it was.

Layers: entity spans on DKPro's `NamedEntity` (`value` = label), claim spans
on the span layer `webanno.custom.Claim`, links within a document on one
relation layer per base layer (`webanno.custom.EntityLink`,
`webanno.custom.ClaimLink`, `value` = link kind). Tokens and sentences are
the CoNLL tokenizer's; a span inside one token is written on a sub-token row
(`1-3.1`). Offsets are UTF-16 code units, as INCEpTION (Java) counts them:
an emoji beyond U+FFFF counts two. Left out, with a warning: spans that cut
a token while covering several, links between an entity and a claim, links
across documents (a TSV file holds one document).
"""

from __future__ import annotations

import bisect
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from app.formats.atomic import atomic_binary
from app.formats.dataset import Dataset, ExportReport, Progress, Selection, collect
from app.models import Document, LabelKind, Span
from app.storage.project import Project
from app.text.tokens import sentence_breaks, tokenize
from app.text.utf16 import Utf16
from app.text.words import a_or_an

EVERYTHING = Selection()
NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
CLAIM = "webanno.custom.Claim"
LINKS = {NAMED_ENTITY: "webanno.custom.EntityLink", CLAIM: "webanno.custom.ClaimLink"}
HEADER = (
    "#FORMAT=WebAnno TSV 3.3\n"
    f"#T_SP={NAMED_ENTITY}|value\n#T_SP={CLAIM}|value\n"
    + "".join(f"#T_RL={link}|value|BT_{base}\n" for base, link in LINKS.items())
    + "\n\n"
)
_RESERVED = re.compile(r"->|[\\\[\]|_;\t\n*]")
_SAFE = re.compile(r"[\w.@-]")


def escape(value: str) -> str:
    return _RESERVED.sub(lambda m: "\\" + m.group(0), value)


def file_stem(annotator: str) -> str:
    """The annotator's file name: INCEpTION's user names (letters, digits, `._@-`) as they are, every
    other character percent-encoded (UTF-8), so any name comes back whole (`annotator_of`)."""
    return "".join(c if _SAFE.fullmatch(c) else "".join(f"%{b:02X}" for b in c.encode()) for c in annotator)


def annotator_of(stem: str) -> str:
    return unquote(stem)  # INCEpTION's user names hold no "%": their files read as they are


@dataclass
class _Row:
    address: str
    start: int  # code points
    end: int
    cells: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def export_tsv3(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    """A ZIP laid out as INCEpTION exports: `<document>/<annotator>.tsv`, one file per annotator."""
    data = collect(project, selection, progress)
    warnings: list[str] = []
    spans = links = 0
    people = data.annotator_names
    with atomic_binary(Path(out)) as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, document in enumerate(data.documents, start=1):
            stem = re.sub(r"[^\w.-]+", "_", document.title).strip("._")[:60] or "document"
            by_annotator: dict[str, list[Span]] = defaultdict(list)
            for span in data.spans_of(document.id):
                by_annotator[people[span.annotator_id]].append(span)
            for who, mine in sorted(by_annotator.items()) or [("INITIAL_CAS", [])]:
                content, counts = document_tsv(document, data, mine, warnings)
                spans, links = spans + counts[0], links + counts[1]
                archive.writestr(f"{number:04d}-{stem}/{file_stem(who)}.tsv", content)
    return ExportReport(str(out), len(data.documents), spans, links, tuple(warnings))


def layer_of(data: Dataset, span: Span) -> str:
    return NAMED_ENTITY if data.label_of(span).kind is LabelKind.ENTITY else CLAIM


def document_tsv(
    document: Document, data: Dataset, mine: list[Span], warnings: list[str]
) -> tuple[str, tuple[int, int]]:
    """One document's spans `mine` (one annotator's) as TSV 3.3, with the number of spans and links written."""
    text, units = document.text, Utf16(document.text)
    breaks = sentence_breaks(text)
    sentences: dict[int, list[_Row]] = defaultdict(list)
    for start, end in tokenize(text):
        sentences[bisect.bisect_right(breaks, start)].append(_Row("", start, end))
    rows: list[_Row] = []
    for index, members in enumerate(sentences.values(), start=1):
        for position, row in enumerate(members, start=1):
            row.address = f"{index}-{position}"
            rows.append(row)
    subs: dict[str, list[_Row]] = defaultdict(list)  # token address -> its sub-token rows
    starts = [r.start for r in rows]
    covered = {span.id: _rows_of(span, rows, starts, subs, warnings, document.title) for span in mine}
    stacked: dict[tuple[str, str], int] = defaultdict(int)
    for span in mine:
        for row in covered[span.id]:
            stacked[(row.address, layer_of(data, span))] += 1
    placed: dict[int, tuple[str, list[_Row], int]] = {}  # span id -> layer, rows, disambiguation id
    for span in mine:
        layer, where = layer_of(data, span), covered[span.id]
        if not where:
            continue
        ambiguous = len(where) > 1 or stacked[(where[0].address, layer)] > 1
        ident = len(placed) + 1 if ambiguous else 0
        for row in where:
            row.cells[layer].append(escape(data.label_of(span).name) + (f"[{ident}]" if ident else ""))
        placed[span.id] = (layer, where, ident)
    written = _relations(document, data, placed, warnings)
    lines = [HEADER]
    groups: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        groups[row.address.split("-")[0]].append(row)
    for members in groups.values():
        lines.append(f"#Text={escape(text[members[0].start : members[-1].end])}\n")
        for row in (r for token in members for r in (token, *subs[token.address])):
            begin, end = units.to_units(row.start), units.to_units(row.end)
            cells = [_cell(row, NAMED_ENTITY), _cell(row, CLAIM)]
            for link in LINKS.values():
                cells += [_cell(row, link), _cell(row, link + "#ref")]
            lines.append(
                f"{row.address}\t{begin}-{end}\t{escape(text[row.start : row.end])}\t" + "\t".join(cells) + "\t\n"
            )
        lines.append("\n")
    return "".join(lines).rstrip("\n") + "\n", (len(placed), written)


def _cell(row: _Row, key: str) -> str:
    return "|".join(row.cells[key]) if row.cells.get(key) else "_"


def _rows_of(
    span: Span, rows: list[_Row], starts: list[int], subs: dict[str, list[_Row]], warnings: list[str], title: str
) -> list[_Row]:
    """The token rows a span covers, or a new sub-token row for a span inside one token."""
    first = max(bisect.bisect_right(starts, span.start) - 1, 0)
    last = bisect.bisect_left(starts, span.end)
    inside = [r for r in rows[first:last] if r.end > span.start]
    if not inside:
        warnings.append(f"{title!r}: span {span.quote!r} ({span.start}-{span.end}) covers no token; left out")
        return []
    if inside[0].start >= span.start and inside[-1].end <= span.end:
        return inside
    if len(inside) == 1:
        token = inside[0]
        sub = _Row(
            f"{token.address}.{len(subs[token.address]) + 1}", max(span.start, token.start), min(span.end, token.end)
        )
        subs[token.address].append(sub)
        return [sub]
    warnings.append(f"{title!r}: span {span.quote!r} ({span.start}-{span.end}) cuts a token; left out")
    return []


def _relations(
    document: Document, data: Dataset, placed: dict[int, tuple[str, list[_Row], int]], warnings: list[str]
) -> int:
    written = 0
    for link in data.links:
        source, target = placed.get(link.source_span_id), placed.get(link.target_span_id)
        if source is None or target is None:
            if source is not None:  # warned once, by the file holding the source
                across = link.target_span_id not in {s.id for s in data.spans_of(document.id)}
                why = "to another document" if across else "to another annotator's span (one file each)"
                warnings.append(f"{document.title!r}: {a_or_an(link.kind.value)} link {why} is left out")
            continue
        if source[0] != target[0]:
            what = a_or_an(link.kind.value)
            warnings.append(f"{document.title!r}: {what} link between an entity and a claim is left out")
            continue
        key = LINKS[source[0]]
        row = target[1][0]
        reference = source[1][0].address + (f"[{source[2]}_{target[2]}]" if source[2] or target[2] else "")
        row.cells[key].append(escape(link.kind.value))
        row.cells[key + "#ref"].append(reference)
        written += 1
    return written
