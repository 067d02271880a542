"""brat standoff: a collection folder brat opens as it is.

Per document `<slug>-<uuid8>.txt` (the text, UTF-8, LF) and `.ann` with
`T` lines (code-point offsets, as brat counts them), `#` AnnotatorNotes and
`R` lines for links inside the document. brat reads `.ann` line by line, so a
span is written as fragments split at line breaks (`start end;start end`,
brat's discontinuous syntax; its text is the fragments joined by a space, as
brat checks). Links between documents, which brat cannot show, go to
`cross_document_links.tsv`. `annotation.conf`/`visual.conf` declare the labels
(claims too, as entities) and link kinds. `parallax.json` maps every T/R id to
its span/link uuid, annotator, exact extent and note, and brat type names to
label names, so `app.formats.brat.reader` reads the folder back losslessly.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import unicodedata
import uuid
from pathlib import Path
from typing import Any

from app.errors import ParallaxError
from app.formats.dataset import EVERYTHING, Dataset, ExportReport, Progress, Selection, collect
from app.formats.matching import LINE_BREAKS
from app.models import Document, Label, LinkKind, Span
from app.storage.project import Project

SIDECAR = "parallax.json"
CROSS_LINKS = "cross_document_links.tsv"
CROSS_COLUMNS = (
    "link_uuid",
    "kind",
    "source_file",
    "source_id",
    "source_quote",
    "target_file",
    "target_id",
    "target_quote",
    "annotator",
    "note",
)


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] as maximal pieces without line breaks."""
    pieces: list[tuple[int, int]] = []
    begin = None
    for i in range(start, end):
        if text[i] in LINE_BREAKS:
            if begin is not None:
                pieces.append((begin, i))
            begin = None
        elif begin is None:
            begin = i
    if begin is not None:
        pieces.append((begin, end))
    return pieces


def export_brat(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    """Write the chosen documents as a brat collection folder `out` (replaced whole)."""
    out = Path(out)
    _check_target(out)
    data = collect(project, selection, progress)
    temp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.tmp")
    temp.mkdir()
    try:
        report = _write(data, temp, out)
        _swap(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return report


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ParallaxError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / SIDECAR).exists():
        raise ParallaxError(
            f"{out}: folder is not empty and is not a Parallax brat export; choose a new or empty folder"
        )


def _swap(temp: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.old")
    if out.exists():
        os.replace(out, old)
    try:
        os.replace(temp, out)
    except BaseException:
        if old.exists():
            os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def type_names(labels: list[Label]) -> dict[str, str]:
    """Label name -> a brat type name (ASCII letters, digits, _ and -), unique."""
    names: dict[str, str] = {}
    for label in labels:
        ascii_name = unicodedata.normalize("NFKD", label.name).encode("ascii", "ignore").decode()
        base = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_name).strip("_") or "label"
        name, n = base, 1
        while name.lower() in {v.lower() for v in names.values()}:
            n += 1
            name = f"{base}_{n}"
        names[label.name] = name
    return names


def file_stems(documents: list[Document]) -> dict[int, str]:
    stems: dict[int, str] = {}
    for doc in documents:
        ascii_title = unicodedata.normalize("NFKD", doc.title).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:40].strip("-") or "document"
        stem, size = f"{slug}-{doc.uuid[:8]}", 8
        while stem in stems.values():
            size += 4
            stem = f"{slug}-{doc.uuid.replace('-', '')[:size]}"
        stems[doc.id] = stem
    return stems


def _write(data: Dataset, folder: Path, out: Path) -> ExportReport:
    types = type_names(data.labels)
    stems = file_stems(data.documents)
    who = data.annotator_names
    sidecar: dict[str, Any] = {
        "format": "parallax-brat",
        "version": 1,
        "labels": {types[x.name]: {"name": x.name, "kind": x.kind.value, "color": x.color} for x in data.labels},
        "documents": {},
        "spans": {},
        "links": {},
    }
    ids: dict[int, tuple[str, str]] = {}  # span id -> (file stem, T id)
    warnings: list[str] = []
    written = 0
    for doc in data.documents:
        stem = stems[doc.id]
        lines: list[str] = []
        entries: dict[str, dict[str, Any]] = {}
        for span in data.spans_of(doc.id):
            pieces = fragments(doc.text, span.start, span.end)
            if not pieces:
                warnings.append(f"span {span.uuid} in {stem} covers only line breaks; brat cannot hold it")
                continue
            tid = f"T{len(entries) + 1}"
            ids[span.id] = (stem, tid)
            lines += _t_lines(tid, types[data.label_of(span).name], doc.text, pieces, span)
            entries[tid] = {
                "uuid": span.uuid,
                "type": types[data.label_of(span).name],
                "annotator": who[span.annotator_id],
                "start": span.start,
                "end": span.end,
                "note": span.note,
                "attrs": span.attrs,
            }
        sidecar["spans"][stem] = entries
        sidecar["links"][stem] = {}
        sidecar["documents"][stem] = {
            "uuid": doc.uuid,
            "title": doc.title,
            "source": doc.source,
            "url": doc.url,
            "published": doc.published,
            "sha256": doc.text_sha256,
        }
        (folder / f"{stem}.txt").write_text(doc.text, encoding="utf-8", newline="\n")
        written += len(entries)
        _write_lines(folder / f"{stem}.ann", lines)
    cross, links = _links(data, ids, sidecar, folder, warnings)
    _write_lines(folder / "annotation.conf", _annotation_conf(types))
    _write_lines(folder / "visual.conf", _visual_conf(data.labels, types))
    (folder / CROSS_LINKS).write_text(cross, encoding="utf-8", newline="")
    (folder / SIDECAR).write_text(json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return ExportReport(str(out), len(data.documents), written, links, tuple(warnings))


def _t_lines(tid: str, type_name: str, text: str, pieces: list[tuple[int, int]], span: Span) -> list[str]:
    offsets = ";".join(f"{a} {b}" for a, b in pieces)
    quote = " ".join(text[a:b] for a, b in pieces)
    lines = [f"{tid}\t{type_name} {offsets}\t{quote}"]
    if span.note:
        note = " ".join(span.note.split())  # one line, as brat stores notes
        lines.append(f"#{tid[1:]}\tAnnotatorNotes {tid}\t{note}")
    return lines


def _links(
    data: Dataset, ids: dict[int, tuple[str, str]], sidecar: dict[str, Any], folder: Path, warnings: list[str]
) -> tuple[str, int]:
    """R lines appended to each .ann; the cross-document table and the number of links written."""
    buffer = io.StringIO()
    table = csv.writer(buffer, dialect="excel-tab", lineterminator="\n")
    table.writerow(CROSS_COLUMNS)
    spans, who = data.span_by_id, data.annotator_names
    extra: dict[str, list[str]] = {}
    count = 0
    for link in data.links:
        if link.source_span_id not in ids or link.target_span_id not in ids:
            warnings.append(f"link {link.uuid} touches a span brat cannot hold; left out")
            continue
        (s_stem, s_tid), (t_stem, t_tid) = ids[link.source_span_id], ids[link.target_span_id]
        count += 1
        if s_stem == t_stem:
            rid = f"R{len(sidecar['links'][s_stem]) + 1}"
            extra.setdefault(s_stem, []).append(f"{rid}\t{link.kind.value} Arg1:{s_tid} Arg2:{t_tid}")
            sidecar["links"][s_stem][rid] = {
                "uuid": link.uuid,
                "kind": link.kind.value,
                "annotator": who[link.annotator_id],
                "note": link.note,
            }
            continue
        source, target = spans[link.source_span_id], spans[link.target_span_id]
        table.writerow(
            (
                link.uuid,
                link.kind.value,
                f"{s_stem}.ann",
                s_tid,
                source.quote,
                f"{t_stem}.ann",
                t_tid,
                target.quote,
                who[link.annotator_id],
                link.note,
            )
        )
    for stem, lines in extra.items():
        with (folder / f"{stem}.ann").open("a", encoding="utf-8", newline="\n") as handle:
            handle.write("".join(line + "\n" for line in lines))
    return buffer.getvalue(), count


def _annotation_conf(types: dict[str, str]) -> list[str]:
    relations = [f"{kind.value}\tArg1:<ENTITY>, Arg2:<ENTITY>" for kind in LinkKind]
    return [
        "# Written by Parallax: every label (claims too) is an entity type.",
        "[entities]",
        *types.values(),
        "",
        "[relations]",
        *relations,
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
    ]


def _visual_conf(labels: list[Label], types: dict[str, str]) -> list[str]:
    shown = {x.name: " ".join(x.name.replace("|", "/").split()) for x in labels}
    return [
        "[labels]",
        *(f"{types[x.name]} | {shown[x.name]}" for x in labels),
        "",
        "[drawing]",
        *(f"{types[x.name]}\tbgColor:{x.color}" for x in labels),
    ]


def _write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
