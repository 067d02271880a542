"""Read a brat standoff collection folder (every `.txt` with its `.ann`).

Offsets are checked as brat checks them: the text of each `T` line must equal
the `.txt` at its fragments, joined by a space. The first mismatch refuses the
whole folder, naming the file, line, expected and found text. Documents are
matched by text sha256 (added if new; CRLF and a BOM are normalised and the
offsets moved with them). A Parallax export's `parallax.json` restores span
and link uuids, annotators, exact extents, notes and label names and kinds;
`cross_document_links.tsv` restores links between documents. Everything is
written in one transaction; importing the same folder again changes nothing.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import ImportRefused
from app.formats.brat.writer import CROSS_COLUMNS, CROSS_LINKS, SIDECAR, fragments
from app.formats.import_report import AnnotationImportReport
from app.formats.matching import (
    LINE_BREAKS,
    Normalised,
    Plan,
    PlannedLink,
    PlannedSpan,
    apply_plan,
    normalise,
    refuse_mismatch,
)
from app.models import LinkKind, NewDocument
from app.storage.project import Project

KINDS = {kind.value for kind in LinkKind}
DEFAULT_ANNOTATOR = "brat"
_NAMES = {"E": "events", "A": "attributes", "M": "modifications", "N": "normalisations"}


@dataclass
class _File:
    """What one .ann file holds, before it joins the plan."""

    stem: str
    sha: str
    norm: Normalised
    spans: dict[str, PlannedSpan] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    relations: list[tuple[int, str, str, str, str]] = field(default_factory=list)  # line, id, kind, a1, a2


def import_brat(project: Project, folder: Path, annotator: str | None = None) -> AnnotationImportReport:
    """Import a brat folder; `annotator`, if given, is credited with every span and link."""
    return apply_plan(project, read_brat(Path(folder), annotator))


def read_brat(folder: Path, annotator: str | None = None) -> Plan:
    if not folder.is_dir():
        raise ImportRefused(folder, "not a folder (a brat collection is a folder of .txt and .ann files)")
    texts = sorted(folder.glob("*.txt"))
    if not texts:
        raise ImportRefused(folder, "no .txt files, so no brat documents")
    plan, sidecar = Plan(folder, keep_twins=True), _sidecar(folder)
    for txt in texts:
        _read_document(plan, txt, sidecar, annotator)
    _read_cross(plan, folder / CROSS_LINKS, annotator)
    orphans = [ann for ann in sorted(folder.glob("*.ann")) if not ann.with_suffix(".txt").exists()]
    plan.warnings += [f"{ann.name}: no {ann.stem}.txt beside it, skipped" for ann in orphans]
    return plan


def _sidecar(folder: Path) -> dict[str, Any]:
    path = folder / SIDECAR
    if not path.exists():
        return {}
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(path, f"not valid JSON ({exc})") from exc
    if not isinstance(found, dict):
        raise ImportRefused(path, "not a Parallax brat sidecar (expected an object)")
    return found


def _part(sidecar: dict[str, Any], section: str, key: str) -> dict[str, Any]:
    value = sidecar.get(section, {})
    value = value.get(key, {}) if isinstance(value, dict) else {}
    return value if isinstance(value, dict) else {}


def _read_utf8(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportRefused(path, f"not UTF-8 text (byte {exc.start})") from exc


def _read_document(plan: Plan, txt: Path, sidecar: dict[str, Any], annotator: str | None) -> None:
    norm, stem = normalise(_read_utf8(txt)), txt.stem
    if not norm.text.strip():
        plan.warnings.append(f"{txt.name}: empty text, skipped")
        return
    meta = _part(sidecar, "documents", stem)
    try:
        doc = NewDocument(
            text=norm.text,
            title=meta.get("title") or stem,
            source=meta.get("source") or "",
            url=meta.get("url") or "",
            published=meta.get("published"),
        )
    except ValidationError as exc:
        raise ImportRefused(plan.path / SIDECAR, f"document {stem}: {exc.errors()[0]['msg']}") from exc
    found = _File(stem, plan.add_document(doc), norm)
    ann = txt.with_suffix(".ann")
    for number, line in enumerate(_read_utf8(ann).splitlines() if ann.exists() else [], start=1):
        _read_line(plan, found, f"{ann.name} line {number}", number, line, sidecar, annotator)
    _finish(plan, found, sidecar, annotator)


def _read_line(
    plan: Plan, found: _File, where: str, number: int, line: str, sidecar: dict[str, Any], annotator: str | None
) -> None:
    if not line.strip():
        return
    head, _, rest = line.partition("\t")
    if head.startswith("T"):
        _read_t(plan, found, where, head, rest, sidecar, annotator)
    elif head.startswith("#"):
        kind, _, note = rest.partition("\t")
        if kind.split(" ")[0] == "AnnotatorNotes" and len(kind.split(" ")) == 2:
            found.notes[kind.split(" ")[1]] = note
    elif head.startswith("R"):
        parts = rest.split("\t")[0].split(" ")
        args = dict(p.split(":", 1) for p in parts[1:] if ":" in p)
        if len(parts) != 3 or set(args) != {"Arg1", "Arg2"}:
            raise ImportRefused(plan.path, f"{where}: not a brat relation line: {line!r}")
        found.relations.append((number, head, parts[0], args["Arg1"], args["Arg2"]))
    elif head.startswith("*"):
        parts = rest.split("\t")[0].split(" ")
        if parts[0] != "Equiv":
            plan.skip(f"brat * {parts[0]} lines (only Equiv becomes same_as links)", where)
        found.relations += [(number, head, "same_as", a, b) for a, b in pairwise(parts[1:]) if parts[0] == "Equiv"]
    elif head[:1] in ("E", "A", "M", "N"):
        plan.skip(f"brat {_NAMES[head[:1]]} ({head[:1]} lines) have no Parallax equivalent", where)
    else:
        raise ImportRefused(plan.path, f"{where}: not a brat annotation line: {line!r}")


def _read_t(
    plan: Plan, found: _File, where: str, tid: str, rest: str, sidecar: dict[str, Any], annotator: str | None
) -> None:
    spec, tab, quote = rest.partition("\t")
    type_name, _, offsets = spec.partition(" ")
    try:
        pieces = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
    except ValueError:
        pieces = []
    raw = found.norm.raw
    if not tab or not type_name or not pieces or any(len(p) != 2 or not 0 <= p[0] <= p[1] <= len(raw) for p in pieces):
        raise ImportRefused(
            plan.path,
            f"{where}: not a valid brat text-bound line: {tid}\t{rest!r} (the text has {len(raw)} characters)",
        )
    there = " ".join(raw[a:b] for a, b in pieces)
    if there != quote:
        raise refuse_mismatch(plan.path, where, quote, there)
    norm = [(found.norm.offset(a), found.norm.offset(b)) for a, b in pieces]
    label = _part(sidecar, "labels", type_name)
    name = str(label["name"]) if isinstance(label.get("name"), str) else type_name
    plan.label_kinds.setdefault(name, str(label.get("kind", "entity")))
    if isinstance(label.get("kind"), str):
        plan.stated_kinds.setdefault(name, label["kind"])
    plan.label_colors.setdefault(name, str(label.get("color", "")))
    span = PlannedSpan((found.stem, tid), found.sha, norm[0][0], norm[-1][1], name, annotator or DEFAULT_ANNOTATOR)
    entry = _part(sidecar, "spans", found.stem).get(tid)
    if _fits(entry, found.norm.text, norm, type_name):
        assert isinstance(entry, dict)
        span.start, span.end, span.uuid = entry["start"], entry["end"], str(entry.get("uuid") or "") or None
        span.annotator = annotator or str(entry.get("annotator") or DEFAULT_ANNOTATOR)
        span.note = str(entry.get("note") or "")
        span.attrs = entry["attrs"] if isinstance(entry.get("attrs"), dict) else {}
    elif any(ch not in LINE_BREAKS for a, b in pairwise(norm) for ch in found.norm.text[a[1] : b[0]]):
        span.attrs = {"brat_fragments": [list(p) for p in norm]}
        plan.warnings.append(f"{where}: discontinuous span {tid} imported as one span covering its gaps")
    found.spans[tid] = span


def _fits(entry: Any, text: str, pieces: list[tuple[int, int]], type_name: str) -> bool:
    """Whether a sidecar entry still describes this T line (brat may reuse freed ids)."""
    if not isinstance(entry, dict) or entry.get("type") != type_name:
        return False
    start, end = entry.get("start"), entry.get("end")
    return (
        isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start < end <= len(text)
        and fragments(text, start, end) == pieces
    )


def _finish(plan: Plan, found: _File, sidecar: dict[str, Any], annotator: str | None) -> None:
    for tid, span in found.spans.items():
        note = found.notes.get(tid)
        if note is not None and note != " ".join(span.note.split()):
            span.note = note  # edited in brat
        plan.add_span(span, f"{found.stem}.ann {tid}")
    links = _part(sidecar, "links", found.stem)
    for number, rid, kind, source, target in found.relations:
        where = f"{found.stem}.ann line {number}"
        if kind not in KINDS:
            plan.skip(f"relations of type {kind!r} (not a Parallax link kind)", where)
            continue
        missing = [x for x in (source, target) if x not in found.spans]
        if missing:
            raise ImportRefused(plan.path, f"{where}: {rid} refers to {missing[0]}, which is not in the file")
        entry = links.get(rid) if isinstance(links.get(rid), dict) else None
        if entry is not None and entry.get("kind") != kind:
            entry = None
        plan.links.append(
            PlannedLink(
                kind,
                (found.stem, source),
                (found.stem, target),
                annotator or str((entry or {}).get("annotator") or DEFAULT_ANNOTATOR),
                str((entry or {}).get("note") or ""),
                str((entry or {}).get("uuid") or "") or None,
            )
        )


def _read_cross(plan: Plan, path: Path, annotator: str | None) -> None:
    if not path.exists():
        return
    spans = {s.key: s for s in plan.spans}
    with path.open(encoding="utf-8", newline="") as handle:
        table = csv.reader(handle, dialect="excel-tab")
        if tuple(next(table, ())) != CROSS_COLUMNS:
            raise ImportRefused(path, f"line 1: expected the columns {', '.join(CROSS_COLUMNS)}")
        first = table.line_num + 1
        for row in table:
            where, first = f"{path.name} line {first}", table.line_num + 1
            if len(row) != len(CROSS_COLUMNS) or row[1] not in KINDS:
                raise ImportRefused(
                    plan.path,
                    f"{where}: expected {len(CROSS_COLUMNS)} columns and a link kind ({', '.join(sorted(KINDS))})",
                )
            ends = [(Path(row[2]).stem, row[3], row[4]), (Path(row[5]).stem, row[6], row[7])]
            for stem, tid, quote in ends:
                span = spans.get((stem, tid))
                if span is None:
                    raise ImportRefused(plan.path, f"{where}: {tid} of {stem} is not in the folder")
                there = plan.documents[span.sha].text[span.start : span.end]
                if there != quote:
                    raise refuse_mismatch(plan.path, where, quote, there)
            plan.links.append(
                PlannedLink(
                    row[1], ends[0][:2], ends[1][:2], annotator or row[8] or DEFAULT_ANNOTATOR, row[9], row[0] or None
                )
            )
