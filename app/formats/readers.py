"""Annotation files in: Parallax native JSONL, brat, Label Studio, doccano.

Documents are matched by text; each file is imported in one transaction or
refused whole, naming the first offset that does not match its text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.formats.brat.reader import import_brat
from app.formats.doccano import import_doccano
from app.formats.import_report import AnnotationImportReport
from app.formats.labelstudio.reader import import_labelstudio
from app.formats.native.reader import import_native
from app.storage.project import Project

Importer = Callable[[Project, Path, str | None], AnnotationImportReport]

FORMATS: dict[str, Importer] = {
    "jsonl": lambda project, path, _annotator: import_native(project, path),
    "brat": lambda project, path, annotator: import_brat(project, path, annotator),
    "labelstudio": lambda project, path, annotator: import_labelstudio(project, path, annotator),
    "doccano": lambda project, path, annotator: import_doccano(project, path, annotator),
}


def guess_format(path: Path) -> str | None:
    """brat for folders, else by the file's first bytes: a Parallax header or a JSON list."""
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


def import_annotations(
    project: Project, path: Path, fmt: str | None = None, annotator: str | None = None
) -> AnnotationImportReport:
    from app.errors import ImportRefused

    name = fmt or guess_format(path)
    if name is None:
        raise ImportRefused(path, "cannot tell the format; name it (jsonl, brat, labelstudio, doccano)")
    return FORMATS[name](project, path, annotator)
