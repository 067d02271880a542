"""Parallax native JSONL: the lossless export, read back by
`app.formats.native.reader.import_native`.

One JSON object per line, each with a "type":

    {"type": "parallax", "version": 1, "schema": 2}      always the first line
    {"type": "label", "name", "kind", "color", "hotkey", "position"}
    {"type": "annotator", "name"}
    {"type": "document", "uuid", "title", "source", "url", "published", "text",
     "text_sha256", "meta", "imported_at"}
    {"type": "span", "uuid", "document" (uuid), "start", "end", "label" (name),
     "annotator" (name), "quote", "attrs", "note", "created_at"}
    {"type": "link", "uuid", "kind", "source_span", "target_span" (span uuids),
     "annotator" (name), "note", "created_at"}

Records refer to each other by uuid or name, never by row id. Offsets are
code points, end exclusive. Order is fixed by content, not by row ids: labels
by (position, name), annotators by name, documents by (published, uuid) with
undated ones last, spans by (document, start, end, uuid), links by
(created_at, uuid). Keys are sorted and text is UTF-8 (not \\u-escaped), so
export -> import into an empty project -> export is byte-identical. Lines end
with "\\n" only; U+2028/U+2029 may occur raw inside strings, so readers must
split on "\\n", not on every Unicode line break.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.formats.atomic import atomic_text
from app.formats.dataset import EVERYTHING, Dataset, ExportReport, Progress, Selection, collect
from app.models import AnnotatorId, Document, Link, Span
from app.storage.connection import schema_version
from app.storage.project import Project

FORMAT = "parallax"
FORMAT_VERSION = 1


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # made once: dumps() would build one per line


def dumps(record: dict[str, Any]) -> str:
    """One record as one line of the format (no newline)."""
    return _ENCODER.encode(record)


def export_native(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    """Write the selected part of `project` to `out` as native JSONL."""
    data = collect(project, selection, progress)
    names = {a.id: a.name for a in project.annotators()}  # link authors may be outside the selection
    with atomic_text(Path(out)) as handle:
        for record in records(data, names):
            handle.write(dumps(record) + "\n")
    return ExportReport(str(out), len(data.documents), len(data.spans), len(data.links))


def records(data: Dataset, annotator_names: dict[AnnotatorId, str]) -> list[dict[str, Any]]:
    """Every line of the file, in file order."""
    header: dict[str, Any] = {"type": FORMAT, "version": FORMAT_VERSION, "schema": schema_version()}
    labels = sorted(data.labels, key=lambda x: (x.position, x.name))
    used = {s.annotator_id for s in data.spans} | {x.annotator_id for x in data.links}
    used |= {a.id for a in data.annotators}
    documents = sorted(data.documents, key=lambda d: (d.published is None, d.published or "", d.uuid))
    doc_uuid = {d.id: d.uuid for d in data.documents}
    spans = sorted(data.spans, key=lambda s: (doc_uuid[s.document_id], s.start, s.end, s.uuid))
    span_uuid = {s.id: s.uuid for s in data.spans}
    label_name = {x.id: x.name for x in data.labels}
    return [
        header,
        *(
            {
                "type": "label",
                "name": x.name,
                "kind": x.kind.value,
                "color": x.color,
                "hotkey": x.hotkey,
                "position": x.position,
            }
            for x in labels
        ),
        *({"type": "annotator", "name": name} for name in sorted(annotator_names[i] for i in used)),
        *(_document(d) for d in documents),
        *(_span(s, doc_uuid, label_name, annotator_names) for s in spans),
        *(_link(x, span_uuid, annotator_names) for x in sorted(data.links, key=lambda x: (x.created_at, x.uuid))),
    ]


def _document(doc: Document) -> dict[str, Any]:
    fields = ("uuid", "title", "source", "url", "published", "text", "text_sha256", "meta", "imported_at")
    return {"type": "document", **{key: getattr(doc, key) for key in fields}}


def _span(
    span: Span, doc_uuid: dict[Any, str], label_name: dict[Any, str], annotator_names: dict[AnnotatorId, str]
) -> dict[str, Any]:
    return {
        "type": "span",
        "uuid": span.uuid,
        "document": doc_uuid[span.document_id],
        "start": span.start,
        "end": span.end,
        "label": label_name[span.label_id],
        "annotator": annotator_names[span.annotator_id],
        "quote": span.quote,
        "attrs": span.attrs,
        "note": span.note,
        "created_at": span.created_at,
    }


def _link(link: Link, span_uuid: dict[Any, str], annotator_names: dict[AnnotatorId, str]) -> dict[str, Any]:
    return {
        "type": "link",
        "uuid": link.uuid,
        "kind": link.kind.value,
        "source_span": span_uuid[link.source_span_id],
        "target_span": span_uuid[link.target_span_id],
        "annotator": annotator_names[link.annotator_id],
        "note": link.note,
        "created_at": link.created_at,
    }
