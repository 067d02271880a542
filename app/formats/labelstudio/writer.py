"""Label Studio tasks JSON, plus the labeling config that opens them.

One task per document: `data` holds the text and its title, source and uuid;
one annotation per annotator holds `labels` results (one per span) and
`relation` results for links inside the document. Offsets are Unicode code
points, as Label Studio's Text tag stores them: its frontend converts browser
(UTF-16) positions to code points before saving (`charsToCodePoints` in
`web/libs/editor/src/utils/selection-tools.js`, "global offsets in
codepoints"); only releases before late 2021 stored UTF-16 units, which the
importer also recognises. Annotations carry no `completed_by`: Label Studio
resolves that to one of its own users (id or e-mail) and refuses the import
otherwise; annotator names travel in `data.parallax_annotators`, in the
order of `annotations`. Notes go to region `meta.text`. Links between
documents cannot be expressed (relations live inside one annotation) and are
reported as warnings. `labeling_config.xml` is written beside the JSON.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from app.formats.atomic import atomic_text
from app.formats.dataset import EVERYTHING, Dataset, ExportReport, Progress, Selection, collect
from app.models import Document, Label, Link, LinkKind, Span
from app.storage.project import Project

CONFIG_NAME = "labeling_config.xml"


def export_labelstudio(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    """Write a Label Studio import file `out` and `labeling_config.xml` beside it."""
    out = Path(out)
    data = collect(project, selection, progress)
    warnings: list[str] = []
    tasks, spans, links = [], 0, 0
    inside, crossing = _links_by_document(data)
    for doc in data.documents:
        task, counts = _task(data, doc, inside.get(doc.id, []), warnings)
        tasks.append(task)
        spans, links = spans + counts[0], links + counts[1]
    if crossing:
        warnings.append(
            f"{crossing} links join spans of different documents; Label Studio relations"
            " stay inside one task, so they are not in this file"
        )
    with atomic_text(out.with_name(CONFIG_NAME)) as handle:
        handle.write(labeling_config(data.labels))
    with atomic_text(out) as handle:
        json.dump(tasks, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return ExportReport(str(out), len(tasks), spans, links, tuple(warnings))


def labeling_config(labels: list[Label]) -> str:
    """A Named Entity Recognition config with every label and every link kind."""
    from xml.sax.saxutils import quoteattr  # pulls in urllib and http: loaded when exporting, not at start

    label_lines = "".join(f"    <Label value={quoteattr(x.name)} background={quoteattr(x.color)}/>\n" for x in labels)
    relation_lines = "".join(f"    <Relation value={quoteattr(k.value)}/>\n" for k in LinkKind)
    return (
        "<View>\n"
        f'  <Labels name="label" toName="text">\n{label_lines}  </Labels>\n'
        '  <Text name="text" value="$text"/>\n'
        f"  <Relations>\n{relation_lines}  </Relations>\n"
        "</View>\n"
    )


def _links_by_document(data: Dataset) -> tuple[dict[int, list[Link]], int]:
    """Links inside each document, and how many links join two documents."""
    where = {s.id: s.document_id for s in data.spans}
    inside: dict[int, list[Link]] = defaultdict(list)
    crossing = 0
    for link in data.links:
        if where[link.source_span_id] == where[link.target_span_id]:
            inside[where[link.source_span_id]].append(link)
        else:
            crossing += 1
    return inside, crossing


def region_ids(spans: list[Span]) -> dict[int, str]:
    """A short, task-unique id per span, from its uuid."""
    ids: dict[int, str] = {}
    for span in spans:
        size = 10
        while (short := span.uuid.replace("-", "")[:size]) in ids.values():
            size += 4
        ids[span.id] = short
    return ids


def _task(
    data: Dataset, doc: Document, inside: list[Link], warnings: list[str]
) -> tuple[dict[str, Any], tuple[int, int]]:
    spans = data.spans_of(doc.id)
    ids = region_ids(spans)
    by_person: dict[int, list[dict[str, Any]]] = defaultdict(list)
    owner: dict[int, int] = {}
    for span in spans:
        by_person[span.annotator_id].append(_region(ids[span.id], span, data.label_of(span).name))
        owner[span.id] = span.annotator_id
    links = 0
    for link in inside:
        if owner[link.source_span_id] != owner[link.target_span_id]:
            warnings.append(
                f"link {link.uuid} joins spans of two annotators; a Label Studio relation"
                " stays inside one annotation, so it is not in this file"
            )
            continue
        by_person[owner[link.source_span_id]].append(_relation(ids, link))
        links += 1
    names = data.annotator_names
    people = [a.id for a in data.annotators if a.id in by_person]
    task = {
        "data": {
            "text": doc.text,
            "title": doc.title,
            "source": doc.source,
            "url": doc.url,
            "published": doc.published,
            "parallax_uuid": doc.uuid,
            "parallax_annotators": [names[p] for p in people],
        },
        "annotations": [{"result": by_person[p]} for p in people],
    }
    return task, (len(spans), links)


def _region(region_id: str, span: Span, label: str) -> dict[str, Any]:
    region: dict[str, Any] = {
        "id": region_id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": span.start, "end": span.end, "text": span.quote, "labels": [label]},
    }
    if span.note:
        region["meta"] = {"text": [span.note]}
    return region


def _relation(ids: dict[int, str], link: Link) -> dict[str, Any]:
    return {
        "from_id": ids[link.source_span_id],
        "to_id": ids[link.target_span_id],
        "type": "relation",
        "direction": "right",
        "labels": [link.kind.value],
    }
