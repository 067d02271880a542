"""Claim pairs for natural-language inference (NLI), as JSONL or CSV.

One row per link between two claim spans (label kind "claim"), in the order
the links were made:

- premise: the link's source span quote; hypothesis: its target span quote;
- label: contradicts -> "contradiction", supports -> "entailment",
  same_as -> "entailment". `updates` links have no NLI label and are
  skipped (counted in the warnings), as are links between a claim and an
  entity (counted too); entity-to-entity links are not claims and are left
  out quietly;
- link_uuid, link_kind, premise/hypothesis span uuids, document titles,
  sources (outlets) and published dates, the link's annotator and note;
- verdict: the decision of the latest verdict on the link (by decided_at,
  then verdict id) from dispute review, or empty.

JSONL: one object per line, UTF-8, missing values null (for `datasets`
`load_dataset("json", ...)` and pandas `read_json(lines=True)`). CSV: UTF-8
without BOM, a header row, RFC 4180 quoting (newlines inside quotes stay),
missing values empty.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from app.formats.atomic import atomic_text
from app.formats.dataset import EVERYTHING, ExportReport, Progress, Selection, collect
from app.models import Document, DocumentId, LabelKind, Link, LinkKind, Span, SpanId
from app.storage.project import Project

NLI_LABELS = {LinkKind.CONTRADICTS: "contradiction", LinkKind.SUPPORTS: "entailment", LinkKind.SAME_AS: "entailment"}
COLUMNS = (
    "premise",
    "hypothesis",
    "label",
    "link_uuid",
    "link_kind",
    "premise_span_uuid",
    "hypothesis_span_uuid",
    "premise_document",
    "hypothesis_document",
    "premise_source",
    "hypothesis_source",
    "premise_published",
    "hypothesis_published",
    "annotator",
    "note",
    "verdict",
)

Row = dict[str, Any]


def export_claim_pairs_jsonl(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    rows, report = claim_pairs(project, out, selection, progress)
    with atomic_text(Path(out)) as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return report


def export_claim_pairs_csv(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    rows, report = claim_pairs(project, out, selection, progress)
    with atomic_text(Path(out), newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({key: "" if value is None else value for key, value in row.items()} for row in rows)
    return report


def claim_pairs(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> tuple[list[Row], ExportReport]:
    """The rows (in COLUMNS order) and the report of an export to `out`."""
    data = collect(project, selection, progress)
    annotators = {a.id: a.name for a in project.annotators()}  # link authors may be outside the selection
    verdicts = latest_verdicts(project)
    spans = data.span_by_id
    by_id = {d.id: d for d in data.documents}
    skipped = {"updates": 0, "mixed": 0}
    rows: list[Row] = []
    used: set[SpanId] = set()
    for link in data.links:  # in creation order (row id)
        ends = spans[link.source_span_id], spans[link.target_span_id]
        kinds = [data.label_of(s).kind for s in ends]
        if kinds.count(LabelKind.CLAIM) == 1:
            skipped["mixed"] += 1
        elif kinds.count(LabelKind.CLAIM) == 2 and link.kind is LinkKind.UPDATES:
            skipped["updates"] += 1
        elif kinds.count(LabelKind.CLAIM) == 2:
            rows.append(_row(by_id, link, ends, annotators[link.annotator_id], verdicts.get(link.id)))
            used.update(s.id for s in ends)
    documents = {spans[i].document_id for i in used}
    report = ExportReport(str(out), len(documents), len(used), len(rows), _warnings(skipped))
    return rows, report


def latest_verdicts(project: Project) -> dict[int, str]:
    """Link id -> the decision of its latest verdict. Stop-gap read of the verdict table
    through the project's private `_read` until the review feature offers one."""
    found = project.query("SELECT link_id, decision FROM verdict ORDER BY decided_at, id")
    return {int(link_id): str(decision) for link_id, decision in found}


def _row(
    documents: dict[DocumentId, Document], link: Link, ends: tuple[Span, Span], annotator: str, verdict: str | None
) -> Row:
    premise, hypothesis = (documents[s.document_id] for s in ends)
    return dict(
        zip(
            COLUMNS,
            (
                ends[0].quote,
                ends[1].quote,
                NLI_LABELS[link.kind],
                link.uuid,
                link.kind.value,
                ends[0].uuid,
                ends[1].uuid,
                premise.title,
                hypothesis.title,
                premise.source,
                hypothesis.source,
                premise.published,
                hypothesis.published,
                annotator,
                link.note,
                verdict,
            ),
            strict=True,
        )
    )


def _warnings(skipped: dict[str, int]) -> tuple[str, ...]:
    found = []
    if skipped["updates"]:
        found.append(f"{skipped['updates']} 'updates' link(s) between claims skipped (no NLI label)")
    if skipped["mixed"]:
        found.append(f"{skipped['mixed']} link(s) between a claim and an entity skipped")
    return tuple(found)
