"""Read a Label Studio JSON export (a list of tasks) of a Text + Labels project.

Each task's `data.text` becomes a document (matched by text sha256, CRLF and a
BOM normalised); each annotation (`annotations`, or `completions` in old
releases) gives `labels` results as spans and `relation` results as links.
Offsets are checked against `value.text`: current Label Studio stores code
points, releases before late 2021 stored UTF-16 code units (JavaScript string
indices), so both readings are tried, on the text as given and as normalised,
and the one that reproduces `value.text` is used. If none does, the whole file
is refused, naming the task, the result, the expected and the found text.
The annotator is `annotator` if given, else `data.parallax_annotators` (a
Parallax export), else the e-mail in `completed_by`, else its user id.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import ImportRefused
from app.formats.import_report import AnnotationImportReport
from app.formats.matching import (
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
from app.text.utf16 import Utf16

KINDS = {kind.value for kind in LinkKind}
DEFAULT_ANNOTATOR = "labelstudio"


def import_labelstudio(project: Project, path: Path, annotator: str | None = None) -> AnnotationImportReport:
    """Import a Label Studio JSON export; `annotator`, if given, is credited with everything."""
    return apply_plan(project, read_labelstudio(Path(path), annotator))


def read_labelstudio(path: Path, annotator: str | None = None) -> Plan:
    plan = Plan(path, keep_twins=True)
    other = 0
    for number, task in enumerate(_load(path), start=1):
        where = f"task {number}" + (f" (id {task['id']})" if isinstance(task, dict) and "id" in task else "")
        other += _read_task(plan, where, task, annotator)
    if other:
        plan.warnings.append(
            f"{other} results are not text labels or relations (choices, text areas,"
            " ...); Parallax has no place for them, so they were skipped"
        )
    return plan


def _load(path: Path) -> list[Any]:
    try:
        found = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise ImportRefused(path, f"cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ImportRefused(path, f"not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ImportRefused(path, f"not valid JSON at {where}: {exc.msg}") from exc
    if isinstance(found, dict) and "data" in found:
        found = [found]
    if not isinstance(found, list):
        raise ImportRefused(path, "not a Label Studio export (expected a list of tasks)")
    return found


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _read_task(plan: Plan, where: str, task: Any, annotator: str | None) -> int:
    """Add one task to the plan; return how many results were of other kinds."""
    data = task.get("data") if isinstance(task, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ImportRefused(plan.path, f'{where}: no data.text (Parallax reads a Text tag with value="$text")')
    norm = normalise(data["text"])
    if not norm.text.strip():
        plan.warnings.append(f"{where}: empty text, skipped")
        return 0
    try:
        doc = NewDocument(
            text=norm.text,
            title=_text(data.get("title")),
            source=_text(data.get("source")),
            url=_text(data.get("url")),
            published=_text(data.get("published")) or None,
        )
    except ValidationError as exc:
        raise ImportRefused(plan.path, f"{where}: {exc.errors()[0]['msg']}") from exc
    sha = plan.add_document(doc)
    annotations = task.get("annotations", task.get("completions")) or []
    if not isinstance(annotations, list):
        raise ImportRefused(plan.path, f"{where}: annotations must be a list")
    names = data.get("parallax_annotators")
    names = names if isinstance(names, list) else []
    other = 0
    for number, item in enumerate(annotations):
        if not isinstance(item, dict) or not isinstance(item.get("result", []), list):
            raise ImportRefused(plan.path, f"{where}: annotation {number + 1} has no result list")
        if item.get("was_cancelled"):
            continue
        who = annotator or (_text(names[number]) if number < len(names) else "") or _completed_by(item)
        reader = _Annotation(plan, f"{where}, annotation {number + 1}", sha, norm, who)
        other += reader.read(item.get("result", []))
    return other


def _completed_by(item: dict[str, Any]) -> str:
    value = item.get("completed_by")
    if isinstance(value, dict):
        value = value.get("email") or value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"labelstudio-user-{value}"
    return value.strip() if isinstance(value, str) and value.strip() else DEFAULT_ANNOTATOR


class _Annotation:
    """One annotation's results: regions first, then relations between them."""

    def __init__(self, plan: Plan, where: str, sha: str, norm: Normalised, who: str) -> None:
        self.plan, self.where, self.sha, self.norm, self.who = plan, where, sha, norm, who
        self.regions: dict[str, list[tuple[str, str]]] = {}  # result id -> span keys

    def read(self, results: list[Any]) -> int:
        other = 0
        relations = []
        for number, result in enumerate(results, start=1):
            kind = result.get("type") if isinstance(result, dict) else None
            if kind == "labels":
                self._region(number, result)
            elif kind == "relation":
                relations.append((number, result))
            else:
                other += 1
        for number, result in relations:
            self._relation(number, result)
        return other

    def _region(self, number: int, result: dict[str, Any]) -> None:
        where = f"{self.where}, result {number}" + (f" (id {result['id']})" if "id" in result else "")
        value = result.get("value")
        ok = (
            isinstance(value, dict)
            and isinstance(value.get("labels"), list)
            and all(isinstance(value.get(k), int) and not isinstance(value.get(k), bool) for k in ("start", "end"))
        )
        if not ok or not all(isinstance(x, str) for x in value["labels"]):  # type: ignore[index]
            raise ImportRefused(
                self.plan.path,
                f"{where}: a labels result needs integer value.start and value.end and a value.labels list of names",
            )
        assert isinstance(value, dict)
        quote = value.get("text") if isinstance(value.get("text"), str) else None
        start, end = locate(self.norm, value["start"], value["end"], quote, self.plan.path, where)
        meta = result.get("meta")
        notes = meta.get("text") if isinstance(meta, dict) else None
        note = "\n".join(x for x in notes if isinstance(x, str)) if isinstance(notes, list) else ""
        keys = []
        for label in value["labels"]:
            key = (where, label)
            self.plan.add_span(PlannedSpan(key, self.sha, start, end, label, self.who, note), where)
            keys.append(key)
        self.regions[str(result.get("id", f"#{number}"))] = keys

    def _relation(self, number: int, result: dict[str, Any]) -> None:
        where = f"{self.where}, result {number}"
        ends = [self.regions.get(str(result.get(k))) for k in ("from_id", "to_id")]
        labels = [x for x in result.get("labels") or [] if x in KINDS]
        if not ends[0] or not ends[1] or not labels:
            self.plan.warnings.append(
                f"{where}: relation without two text regions of this annotation or"
                f" without a link kind ({', '.join(sorted(KINDS))}); skipped"
            )
            return
        source, target = (ends[1], ends[0]) if result.get("direction") == "left" else (ends[0], ends[1])
        for kind in labels:
            self.plan.links += [PlannedLink(kind, s, t, self.who) for s in source for t in target]


def locate(norm: Normalised, start: int, end: int, quote: str | None, path: Path, where: str) -> tuple[int, int]:
    """Code-point offsets into the normalised text for a Label Studio region."""
    raw, text = norm.raw, norm.text
    readings = []  # (start, end) in the normalised text, and the text found there
    for source, convert in ((raw, norm.offset), (text, int)):
        units = Utf16(source)
        for a, b in ((start, end), (units.to_points(start), units.to_points(end))):
            if a is not None and b is not None and 0 <= a < b <= len(source):
                readings.append(((convert(a), convert(b)), source[a:b]))
    if not readings:
        raise ImportRefused(
            path, f"{where}: span {start}-{end} is outside the text (0-{len(raw)}, start < end); nothing was imported"
        )
    for place, found in readings:
        if quote is None or _same(found, quote):
            return place
    raise refuse_mismatch(path, where, quote or "", readings[0][1])


def _same(found: str, quote: str) -> bool:
    """Equal, or equal once Label Studio's escaped newlines and spacing are set aside."""

    def loose(value: str) -> str:
        return " ".join(value.replace("\\n", "\n").split())

    return found == quote or loose(found) == loose(quote)
