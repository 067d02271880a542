"""Read WebAnno TSV 3.x, as INCEpTION and WebAnno export it (`ctsv3`).

Takes one `.tsv`, a folder of them, or a ZIP (INCEpTION's export names each
annotator's file after them: `annotation/<document>/<user>.tsv`; ours percent-encode
other characters of a name, decoded here). Offsets in
the file are UTF-16 code units; they are checked against each token's text
and turned into code points. The text is rebuilt from the `#Text=` lines
placed at their first token's offset (what lay between two sentences is not
in the file; a gap becomes line breaks); when a project document has the
same characters, whitespace aside, the spans land on it instead.

Every span layer (`#T_SP`) is read: an annotation's label is its first
feature value (or the layer's name when it has none), multi-token and
stacked annotations are joined by their `[N]` ids, sub-token rows give
their own extent. `webanno.custom.Claim` spans are claims, all others
entities. Relation layers (`#T_RL`) become links when their first feature
names a Parallax link kind (the others are skipped with a warning). Chain
layers and slot features are skipped with a warning. One transaction; the
first line that does not parse refuses the whole import, naming it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import ImportRefused
from app.formats.import_report import AnnotationImportReport
from app.formats.matching import Plan, PlannedLink, PlannedSpan, apply_plan, normalise
from app.formats.tokens import TextFinder, refuse_kind_clashes
from app.formats.webanno.writer import CLAIM, annotator_of
from app.models import LinkKind, NewDocument
from app.storage.project import Project

KINDS = {kind.value for kind in LinkKind}
DEFAULT_ANNOTATOR = "webanno"
_ROW = re.compile(r"(?P<sentence>\d+)-(?P<token>\d+)(?:\.\d+)?")
_ITEM = re.compile(r"(?P<value>.*?)(?:\[(?P<id>\d+)(?:_(?P<target>\d+))?\])?")
_SPLIT_BAR = re.compile(r"(?<!\\)\|")


def unescape(value: str) -> str:
    return re.sub(r"\\(->|[\\\[\]|_;\t\n*])", r"\1", value)


@dataclass
class _Layer:
    kind: str  # SP, RL, CH
    name: str
    features: list[str]
    first_column: int = 0
    base: str = ""  # relation layers: the span layer they join

    @property
    def width(self) -> int:
        slots = sum(1 for f in self.features if f.startswith("ROLE_"))
        return len(self.features) + slots + (1 if self.kind == "RL" else 0)


@dataclass
class _Row:
    number: int  # line number
    address: str
    start: int  # UTF-16 units
    end: int
    text: str
    cells: list[str]


@dataclass
class _Span:
    layer: str
    label: str
    rows: list[_Row] = field(default_factory=list)


def import_tsv3(project: Project, path: Path, annotator: str | None = None) -> AnnotationImportReport:
    plan = read_tsv3(project, Path(path), annotator)
    refuse_kind_clashes(project, plan)
    return apply_plan(project, plan)


def read_tsv3(project: Project, path: Path, annotator: str | None = None) -> Plan:
    plan, finder = Plan(path), TextFinder(project)
    found = False
    for name, content in _files(path):
        found = True
        stem = Path(name).stem
        owner = None if stem in ("INITIAL_CAS", "CURATION_USER") or path.name == name else annotator_of(stem)
        _read_file(plan, finder, name, content, annotator or owner or DEFAULT_ANNOTATOR)
    if not found:
        raise ImportRefused(path, "no .tsv files")
    return plan


def _files(path: Path) -> Iterator[tuple[str, str]]:
    try:
        if path.is_dir():
            items = [(str(p.relative_to(path)), p.read_bytes()) for p in sorted(path.rglob("*.tsv"))]
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                items = [(i.filename, archive.read(i)) for i in archive.infolist() if i.filename.endswith(".tsv")]
        else:
            items = [(path.name, path.read_bytes())]
    except (OSError, zipfile.BadZipFile) as exc:
        raise ImportRefused(path, f"cannot read ({exc})") from exc
    for name, raw in items:
        try:
            yield name, raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused(path, f"{name}: not UTF-8 text (byte {exc.start})") from exc


def _read_file(plan: Plan, finder: TextFinder, name: str, content: str, who: str) -> None:
    lines = content.split("\n")
    if not lines[0].strip().startswith("#FORMAT=WebAnno TSV 3"):
        raise ImportRefused(plan.path, f"{name} line 1: not WebAnno TSV 3 (expected #FORMAT=WebAnno TSV 3.x)")
    layers: list[_Layer] = []
    sentences: list[tuple[str, list[_Row]]] = []
    column = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        if line.startswith(("#T_SP=", "#T_RL=", "#T_CH=")):
            parts = line[6:].split("|")
            layer = _Layer(line[3:5], parts[0], [p for p in parts[1:] if not p.startswith("BT_")], column)
            layer.base = next((p[3:] for p in parts[1:] if p.startswith("BT_")), "")
            layers.append(layer)
            column += layer.width
        elif line.startswith("#Text="):
            if sentences and not sentences[-1][1]:
                sentences[-1] = (sentences[-1][0] + "\n" + unescape(line[6:]), [])
            else:
                sentences.append((unescape(line[6:]), []))
        elif line and not line.startswith("#"):
            if not sentences:
                raise ImportRefused(plan.path, f"{name} line {number}: a token row before any #Text= line")
            sentences[-1][1].append(_row(plan, f"{name} line {number}", number, line, column))
    _build(plan, finder, name, layers, sentences, who)


def _row(plan: Plan, where: str, number: int, line: str, width: int) -> _Row:
    parts = line.split("\t")
    offsets = parts[1].split("-") if len(parts) > 2 else []
    if (
        len(parts) < 3 + width
        or not _ROW.fullmatch(parts[0])
        or len(offsets) != 2
        or not all(o.isdigit() for o in offsets)
    ):
        raise ImportRefused(
            plan.path, f"{where}: expected ID, BEGIN-END, token and {width} annotation columns, got {line!r}"
        )
    return _Row(number, parts[0], int(offsets[0]), int(offsets[1]), unescape(parts[2]), parts[3 : 3 + width])


def _build(
    plan: Plan, finder: TextFinder, name: str, layers: list[_Layer], sentences: list[tuple[str, list[_Row]]], who: str
) -> None:
    text, units = _text(plan, name, sentences)
    norm = normalise(text)
    if not norm.text.strip():
        plan.warnings.append(f"{name}: empty text, skipped")
        return
    mapped = finder.remap(norm.text)
    target_text, move = mapped if mapped else (norm.text, None)
    title = Path(name).parent.name or Path(name).stem  # INCEpTION: <document>/<annotator>.tsv
    sha = plan.add_document(NewDocument(text=target_text, title=title))

    def place(unit: int, end: bool) -> int:
        point = norm.offset(units[unit])
        return move(point, end) if move else point

    rows = [row for _, members in sentences for row in members]
    spans = _spans(layers, rows)
    keys: dict[tuple[str, str, int], Hashable] = {}  # (layer, row address, stack id) -> span key
    skipped = {x.name for x in layers if x.kind == "CH"} | {
        x.name for x in layers if any(f.startswith("ROLE_") for f in x.features)
    }
    plan.warnings += [
        f"{name}: layer {x} (chain or slot features) has no Parallax equivalent; skipped" for x in sorted(skipped)
    ]
    for (layer, ident), span in spans.items():
        start, end = min(r.start for r in span.rows), max(r.end for r in span.rows)
        key = (name, layer, ident)
        plan.label_kinds.setdefault(span.label, "claim" if layer == CLAIM else "entity")
        begin, finish = place(start, False), place(end, True)
        plan.add_span(PlannedSpan(key, sha, begin, finish, span.label, who), f"{name} line {span.rows[0].number}")
        for row in span.rows:
            keys[(layer, row.address, int(ident) if isinstance(ident, int) else 0)] = key
            keys.setdefault((layer, row.address, -1), key)
    _relations(plan, name, layers, rows, keys, who)


def _text(plan: Plan, name: str, sentences: list[tuple[str, list[_Row]]]) -> tuple[str, list[int]]:
    """The document text and, for each offset in the file, its code point offset.

    INCEpTION counts UTF-16 units; a file whose tokens only match when read as
    code points (written by a tool that got this wrong) is read so, with a warning.
    """
    try:
        return _placed(plan, name, sentences, utf16=True)
    except ImportRefused as first:
        if all(ord(c) <= 0xFFFF for sentence, _ in sentences for c in sentence):
            raise
        try:
            found = _placed(plan, name, sentences, utf16=False)
        except ImportRefused:
            raise first from None
        plan.warnings.append(f"{name}: offsets count code points, not UTF-16 units as INCEpTION writes them")
        return found


def _placed(plan: Plan, name: str, sentences: list[tuple[str, list[_Row]]], utf16: bool) -> tuple[str, list[int]]:
    pieces: list[str] = []
    units: list[int] = [0]  # units[u] = code points before offset u
    length = 0  # in the file's unit
    unit = "UTF-16" if utf16 else "code points"
    for sentence, rows in sentences:
        begin = rows[0].start if rows else length
        if begin < length:
            raise ImportRefused(
                plan.path,
                f"{name} line {rows[0].number}: sentence starts at {begin}, before the text so far ends ({length})",
            )
        pieces.append("\n" * (begin - length))  # what lay between sentences is not in the file
        for _ in range(begin - length):
            units.append(units[-1] + 1)
        pieces.append(sentence)
        for char in sentence:
            units += [units[-1]] if utf16 and ord(char) > 0xFFFF else []
            units.append(units[-1] + 1)
        length = begin + (len(sentence.encode("utf-16-le")) // 2 if utf16 else len(sentence))
    text = "".join(pieces)
    for _, rows in sentences:
        for row in rows:
            if not 0 <= row.start <= row.end < len(units) or text[units[row.start] : units[row.end]] != row.text:
                there = text[units[row.start] : units[row.end]] if row.end < len(units) else ""
                raise ImportRefused(
                    plan.path,
                    f"{name} line {row.number}: token {row.text!r} at {row.start}-{row.end} ({unit})"
                    f" does not match the #Text= lines, which have {there!r} there",
                )
    return text, units


def _spans(layers: list[_Layer], rows: list[_Row]) -> dict[tuple[str, object], _Span]:
    spans: dict[tuple[str, object], _Span] = {}
    for layer in (x for x in layers if x.kind == "SP" and not any(f.startswith("ROLE_") for f in x.features)):
        for row in rows:
            columns = [row.cells[layer.first_column + i] for i in range(len(layer.features))] or ["*"]
            stacks = [_SPLIT_BAR.split(cell) for cell in columns]
            if columns[0] == "_" or not columns[0]:
                continue
            for index in range(len(stacks[0])):
                values = [_ITEM.fullmatch(s[index] if index < len(s) else "*") for s in stacks]
                ident = next((m["id"] for m in values if m and m["id"]), None)
                label = next((unescape(m["value"]) for m in values if m and m["value"] not in ("*", "_", "")), "")
                key = (layer.name, int(ident) if ident else f"{row.address}#{index}")
                span = spans.setdefault(key, _Span(layer.name, label or layer.name.rsplit(".", 1)[-1]))
                span.rows.append(row)
    return spans


def _relations(
    plan: Plan,
    name: str,
    layers: list[_Layer],
    rows: list[_Row],
    keys: dict[tuple[str, str, int], Hashable],
    who: str,
) -> None:
    for layer in (x for x in layers if x.kind == "RL"):
        for row in rows:
            values = row.cells[layer.first_column] if layer.features else "*"
            refs = row.cells[layer.first_column + len(layer.features)]
            if refs in ("_", ""):
                continue
            for value, ref in zip(_SPLIT_BAR.split(values), _SPLIT_BAR.split(refs), strict=False):
                where = f"{name} line {row.number}"
                kind = unescape(_ITEM.fullmatch(value)["value"]) if _ITEM.fullmatch(value) else value  # type: ignore[index]
                match = re.fullmatch(r"(\d+-\d+(?:\.\d+)?)(?:\[(\d+)_(\d+)\])?", ref)
                if match is None:
                    raise ImportRefused(plan.path, f"{where}: {ref!r} is not a relation source (S-T or S-T[G_D])")
                governor = keys.get((layer.base, match[1], int(match[2] or 0))) or keys.get((layer.base, match[1], -1))
                dependent = keys.get((layer.base, row.address, int(match[3] or 0))) or keys.get(
                    (layer.base, row.address, -1)
                )
                if kind not in KINDS:
                    plan.warnings.append(f"{where}: relation {kind!r} is not a Parallax link kind; skipped")
                elif governor is None or dependent is None:
                    plan.warnings.append(
                        f"{where}: relation {kind!r} joins annotations that are not spans here; skipped"
                    )
                else:
                    plan.links.append(PlannedLink(kind, governor, dependent, who))
