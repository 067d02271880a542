"""Annotation files in: Parallax native JSONL, brat, Label Studio, doccano, and the
exchange formats of INCEpTION, CoNLL, Prodigy and Hugging Face.

Documents are matched by text; each file is imported in one transaction or
refused whole, naming the first offset that does not match its text.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.errors import ImportRefused
from app.formats.brat.reader import import_brat
from app.formats.conll_reader import import_conll
from app.formats.conllu import import_conllu
from app.formats.doccano import Units, import_doccano
from app.formats.huggingface import import_huggingface
from app.formats.import_report import AnnotationImportReport
from app.formats.labelstudio.reader import import_labelstudio
from app.formats.native.reader import import_native
from app.formats.prodigy import ProdigyPlan, import_prodigy, read_prodigy, unnamed_lines
from app.formats.tokens import TITLES, Unnamed, unnamed_name
from app.formats.webanno.reader import import_tsv3
from app.storage.project import Project

Importer = Callable[[Project, Path, str | None], AnnotationImportReport]


def import_xmi(project: Project, path: Path, annotator: str | None = None) -> AnnotationImportReport:
    """cassis and lxml load only when an XMI file is read (they cost the start-up ~60 ms)."""
    from app.formats.xmi.reader import import_xmi as read

    return read(project, path, annotator)


FORMATS: dict[str, Importer] = {
    "jsonl": lambda project, path, _annotator: import_native(project, path),
    "brat": lambda project, path, annotator: import_brat(project, path, annotator),
    "labelstudio": lambda project, path, annotator: import_labelstudio(project, path, annotator),
    "doccano": lambda project, path, annotator: import_doccano(project, path, annotator),
    "conll": import_conll,
    "prodigy": import_prodigy,
    "huggingface": import_huggingface,
    "xmi": import_xmi,
    "tsv3": import_tsv3,
    "conllu": import_conllu,
}


def guess_format(path: Path) -> str | None:
    """By the folder's files or the file's suffix and first bytes."""
    exchange = guess_exchange(path)
    if exchange:
        return exchange
    if path.is_dir():
        return "brat"
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")[:4096].lstrip()
    except OSError:
        return None
    if head.startswith("{") and '"type":"parallax"' in head.replace(" ", "").split("\n", 1)[0]:
        return "jsonl"
    if head.startswith("["):
        return "labelstudio"
    if head.startswith("{"):
        return "doccano"
    return None


def guess_exchange(path: Path) -> str | None:
    """The formats of issue 14: XMI (zip, folder or file), Hugging Face folders, CoNLL, Prodigy."""
    if path.is_dir():
        if any(path.glob("*.ann")):
            return None  # brat (its cross_document_links.tsv is not TSV3)
        if any(path.rglob("*.xmi")):
            return "xmi"
        if any(p.read_bytes()[:30].startswith(b"#FORMAT=WebAnno TSV 3") for p in path.rglob("*.tsv")):
            return "tsv3"
        return "huggingface" if (path / "README.md").exists() and any(path.glob("*.jsonl")) else None
    if zipfile.is_zipfile(path):  # by content: an export is often named `out.tsv3`, not `.zip`
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        if any(n.endswith(".tsv") for n in names):
            return "tsv3"
        return "xmi" if path.suffix.lower() == ".zip" or any(n.endswith(".xmi") for n in names) else None
    if path.suffix.lower() == ".xmi":
        return "xmi"
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")[:4096]
    except OSError:
        return None
    first = head.lstrip().split("\n", 1)[0]
    if head.startswith("#FORMAT=WebAnno TSV 3"):
        return "tsv3"
    if path.suffix.lower() == ".conllu" or first.startswith(("# newdoc", "# sent_id")):
        return "conllu"
    if first.startswith("-DOCSTART-") or path.suffix.lower() in (".conll", ".iob", ".bio"):
        return "conll"
    keys = _first_keys(path) if first.startswith("{") else set()
    if {"tokens", "ner_tags"} <= keys:
        return "huggingface"
    if "text" in keys and ("spans" in keys or "_view_id" in keys) and not keys & {"label", "labels", "entities"}:
        return "prodigy"
    return None


def _first_keys(path: Path) -> set[str]:
    """The keys of a JSONL file's first record (whole: a long text hides the keys after it)."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            record = json.loads(handle.readline())
    except (OSError, ValueError):
        return set()
    return set(record) if isinstance(record, dict) else set()


@dataclass(frozen=True)
class Prepared:
    """A file looked at before its import: its format, whose its spans become when it names no
    annotator (the window asks; None if it names them), and a Prodigy file's plan, read once
    for that question and then applied by `import_annotations`."""

    format: str | None
    unnamed: Unnamed | None
    plan: ProdigyPlan | None = None


def prepare(path: Path, fmt: str | None = None) -> Prepared:
    name = fmt or guess_format(path)
    if name not in TITLES:
        return Prepared(name, None)
    if name != "prodigy":
        return Prepared(name, Unnamed(unnamed_name(path, TITLES[name]), TITLES[name]))
    try:
        plan = read_prodigy(path)
    except ImportRefused:
        return Prepared(name, None)  # unreadable: the import reads it again and says why
    unnamed, lines = unnamed_lines(plan)
    asked = Unnamed(unnamed_name(path, TITLES[name]), TITLES[name], unnamed < lines) if unnamed else None
    return Prepared(name, asked, plan)


def unnamed_default(path: Path, fmt: str | None = None) -> Unnamed | None:
    """Whose a token file's spans become when it names no annotator and no one is chosen; None if it names them."""
    return prepare(path, fmt).unnamed


def import_annotations(
    project: Project,
    path: Path,
    fmt: str | None = None,
    annotator: str | None = None,
    offsets: Units = "auto",
    prepared: Prepared | None = None,
) -> AnnotationImportReport:
    """Import one annotation file; `offsets` is the unit of a doccano file's offsets; `prepared`
    is what `prepare` read of this same file (its plan is not read again)."""
    name = fmt or (prepared.format if prepared else None) or guess_format(path)
    if name is None:
        raise ImportRefused(path, f"cannot tell the format; name it ({', '.join(FORMATS)})")
    if offsets != "auto" and name != "doccano":
        raise ImportRefused(path, f"--offsets applies to doccano files only, not {name}")
    try:
        if name == "doccano":
            return import_doccano(project, path, annotator, offsets)
        if name == "prodigy" and prepared and prepared.plan:
            return import_prodigy(project, path, annotator, prepared.plan)
        return FORMATS[name](project, path, annotator)
    except RecursionError as exc:  # json and xml parsers recurse once per level
        raise ImportRefused(path, "nested too deeply to read (a damaged or hostile file)") from exc
    except UnicodeEncodeError as exc:  # a lone surrogate (\\ud800) that no UTF-8 text can hold
        raise ImportRefused(path, f"holds a lone surrogate {exc.object[exc.start : exc.end]!r}, not text") from exc
