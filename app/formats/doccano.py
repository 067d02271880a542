"""Read a doccano sequence-labeling export (JSONL, one text per line).

Accepted lines: `{"text", "label": [[start, end, "LABEL"], ...]}` (also under
`labels`), entity objects `{"id", "start_offset", "end_offset", "label"}`
under `entities` with `relations` `{"from_id", "to_id", "type"}` (a project
with relations), as doccano writes them. doccano's export holds no span text,
so offsets cannot be checked against it; their unit matters on texts with
characters beyond U+FFFF (emoji): doccano's annotation screen counts UTF-16
code units, like JavaScript (doccano issue #2290, still open), while early
releases and Python tools count code points. `offsets="auto"` takes, for the
whole file, the one reading that puts every span inside the text, never inside
a character, and cutting no word; it says so in the report, and refuses the
file when both readings fit ("utf16" or "codepoints" then force one). doccano's "count grapheme clusters
as one character" mode is not supported. The annotator is `annotator`, else a
`user`/`username` field, else the file name (doccano names each member's
file after them), else "doccano". Bad JSON or wrong types refuse the whole
file with the line number; everything is written in one transaction.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import ValidationError

from app.errors import ImportRefused
from app.formats.import_report import AnnotationImportReport
from app.formats.matching import Plan, PlannedLink, PlannedSpan, apply_plan, normalise, read_text
from app.models import LinkKind, NewDocument
from app.storage.project import Project
from app.text.utf16 import Utf16

Units = Literal["auto", "utf16", "codepoints"]
KINDS = {kind.value for kind in LinkKind}
DEFAULT_ANNOTATOR = "doccano"
SHAPE = (
    'expected [start, end, "LABEL"] or {"start_offset", "end_offset", "label"} with whole-number'
    " offsets and a label name"
)


def import_doccano(
    project: Project, path: Path, annotator: str | None = None, offsets: Units = "auto"
) -> AnnotationImportReport:
    """Import a doccano JSONL export; `annotator`, if given, is credited with every span."""
    return apply_plan(project, read_doccano(Path(path), annotator, offsets))


def read_doccano(path: Path, annotator: str | None = None, offsets: Units = "auto") -> Plan:
    if offsets not in ("auto", "utf16", "codepoints"):
        raise ImportRefused(path, f"unknown offset unit {offsets!r} (auto, utf16 or codepoints)")
    content = read_text(path)
    plan = Plan(path)
    if offsets == "auto":
        offsets, telling = _unit_of(path, content)
        if telling:
            unit = "UTF-16 code units" if offsets == "utf16" else "code points"
            plan.warnings.append(
                f"{_lines(telling)}: texts with characters beyond U+FFFF; offsets read as {unit}, the only"
                " reading that keeps every span whole (--offsets utf16 or codepoints chooses)"
            )
    fallback = annotator or (path.stem if path.stem.lower() != "all" else "") or DEFAULT_ANNOTATOR
    for number, line in enumerate(content.split("\n"), start=1):
        if line.strip():
            _read_line(plan, number, line, annotator, fallback, offsets)
    return plan


def _read_line(plan: Plan, number: int, line: str, annotator: str | None, fallback: str, units: Units) -> None:
    where = f"line {number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportRefused(plan.path, f"{where}: not valid JSON ({exc.msg}, column {exc.colno})") from exc
    text = record.get("text", record.get("data")) if isinstance(record, dict) else None
    if not isinstance(text, str):
        raise ImportRefused(plan.path, f'{where}: expected an object with a "text" string')
    assert isinstance(record, dict)
    entities = _entities(plan, where, record)
    norm = normalise(text)
    if not norm.text.strip():
        plan.warnings.append(f"{where}: empty text, skipped")
        return
    try:
        doc = NewDocument(text=norm.text, title=_text(record.get("title")), source=_text(record.get("source")))
    except ValidationError as exc:
        raise ImportRefused(plan.path, f"{where}: {exc.errors()[0]['msg']}") from exc
    sha = plan.add_document(doc)
    who = annotator or _text(record.get("user")) or _text(record.get("username")) or fallback
    places = _code_points(plan, where, text, [(e[0], e[1]) for e in entities], units)
    keys: dict[Any, tuple[int, int]] = {}
    for index, ((start, end), (_, _, label, ident)) in enumerate(zip(places, entities, strict=True)):
        key = (number, index)
        plan.add_span(
            PlannedSpan(key, sha, norm.offset(start), norm.offset(end), label, who), f"{where}, span {index + 1}"
        )
        if isinstance(ident, int | str):
            keys[ident] = key
    _relations(plan, where, record.get("relations"), keys, who)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _entities(plan: Plan, where: str, record: dict[str, Any]) -> list[tuple[int, int, str, Any]]:
    items = record.get("entities", record.get("label", record.get("labels", [])))
    if not isinstance(items, list):
        raise ImportRefused(plan.path, f"{where}: the spans must be a list")
    if items and all(isinstance(x, str) for x in items):
        raise ImportRefused(
            plan.path,
            f"{where}: the labels are category names, not spans; this looks like a text-classification export",
        )
    found = []
    for index, item in enumerate(items, start=1):
        parts: list[Any] = []
        if isinstance(item, dict):
            parts = [item.get("start_offset"), item.get("end_offset"), item.get("label"), item.get("id")]
        elif isinstance(item, list) and len(item) == 3:
            parts = [*item, None]
        ok = (
            len(parts) == 4
            and isinstance(parts[2], str)
            and parts[2].strip()
            and all(isinstance(x, int) and not isinstance(x, bool) for x in parts[:2])
        )
        if not ok:
            raise ImportRefused(plan.path, f"{where}, span {index}: {SHAPE}")
        found.append((int(parts[0]), int(parts[1]), str(parts[2]).strip(), parts[3]))
    return found


def _unit_of(path: Path, content: str) -> tuple[Units, list[int]]:
    """The one offset unit that reads the whole file sensibly, or a refusal naming the choice.

    doccano stores no span text, so a reading is judged by where it puts spans:
    within the text, not inside a character, and not cutting a word or starting
    or ending on a space. Only texts with characters beyond U+FFFF can tell.
    """
    bad = {"utf16": [0, 0], "codepoints": [0, 0]}  # out of range, cutting words
    telling: list[int] = []
    for number, line in enumerate(content.split("\n"), start=1):
        text, pairs = _peek(line)
        index = Utf16(text)
        as_units = [(index.to_points(a), index.to_points(b)) for a, b in pairs]
        if as_units == pairs:
            continue
        telling.append(number)
        for name, reading in (("utf16", as_units), ("codepoints", pairs)):
            for a, b in reading:
                if a is None or b is None or not 0 <= a < b <= len(text):
                    bad[name][0] += 1
                elif _cuts(text, a, b):
                    bad[name][1] += 1
    if not telling:
        return "codepoints", []  # both readings agree everywhere
    fits = [name for name, (outside, _) in bad.items() if not outside]
    if not fits:
        return "utf16", []  # the full read names the first span that fits no text
    clean = [name for name in fits if not bad[name][1]]
    for choice in (fits, clean):
        if len(choice) == 1:
            return cast(Units, choice[0]), telling
    raise ImportRefused(
        path,
        f"{_lines(telling)}: texts with characters beyond U+FFFF, and the offsets read as well as UTF-16 code"
        " units (doccano's annotation screen) as they do as code points; name the unit"
        " (--offsets utf16 or --offsets codepoints); nothing was imported",
    )


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10]) + (" ..." if len(numbers) > 10 else "")
    return f"line{'s' if len(numbers) > 1 else ''} {shown}"


def _peek(line: str) -> tuple[str, list[tuple[int, int]]]:
    """A line's text and offsets, or nothing if it is malformed (the full read refuses it)."""
    try:
        record = json.loads(line) if line.strip() else None
    except (json.JSONDecodeError, RecursionError):
        return "", []
    if not isinstance(record, dict) or not isinstance(record.get("text", record.get("data")), str):
        return "", []
    items = record.get("entities", record.get("label", record.get("labels", [])))
    pairs = []
    for item in items if isinstance(items, list) else []:
        found = [item.get("start_offset"), item.get("end_offset")] if isinstance(item, dict) else item
        if isinstance(found, list) and len(found) >= 2 and all(type(x) is int for x in found[:2]):
            pairs.append((found[0], found[1]))
    return str(record.get("text", record.get("data"))), pairs


def _cuts(text: str, start: int, end: int) -> bool:
    """A span that cuts a word in two at either end, or begins or ends with a space."""
    inside = text[start:end]
    cut_start = start > 0 and text[start - 1].isalnum() and text[start].isalnum()
    cut_end = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    return cut_start or cut_end or inside[:1].isspace() or inside[-1:].isspace()


def _code_points(
    plan: Plan, where: str, text: str, pairs: list[tuple[int, int]], units: Units
) -> list[tuple[int, int]]:
    """The offsets as code points into `text`, read in the file's unit (see `_unit_of`)."""
    index = Utf16(text)
    as_units = [(index.to_points(a), index.to_points(b)) for a, b in pairs]
    chosen: list[tuple[int | None, int | None]] = as_units if units == "utf16" else list(pairs)
    for position, ((a, b), (start, end)) in enumerate(zip(chosen, pairs, strict=True), start=1):
        if a is None or b is None or not 0 <= a < b <= len(text):
            unit = "UTF-16 code units" if chosen is as_units else "code points"
            raise ImportRefused(
                plan.path,
                f"{where}, span {position}: {start}-{end} is not a range of the"
                f" text in {unit} (start < end, within the text, not inside a character)",
            )
    return [(a, b) for a, b in chosen if a is not None and b is not None]


def _relations(plan: Plan, where: str, relations: Any, keys: dict[Any, tuple[int, int]], who: str) -> None:
    if relations is None:
        return
    if not isinstance(relations, list) or not all(isinstance(x, dict) for x in relations):
        raise ImportRefused(plan.path, f"{where}: relations must be a list of objects")
    for number, item in enumerate(relations, start=1):
        source, target = (
            keys.get(x) if isinstance(x, int | str) else None for x in (item.get("from_id"), item.get("to_id"))
        )
        kind = item.get("type")
        if source is None or target is None:
            raise ImportRefused(plan.path, f"{where}, relation {number}: from_id/to_id must name entities of this line")
        if kind not in KINDS:
            plan.warnings.append(
                f"{where}, relation {number}: type {kind!r} is not a Parallax link kind"
                f" ({', '.join(sorted(KINDS))}); skipped"
            )
            continue
        plan.links.append(PlannedLink(str(kind), source, target, who))
