"""Parallax for scripts: open a project, import articles, tag text, link spans, export.

    from app import api

    with api.open_project("demo.parallax", create=True) as project:
        api.import_files(project, [api.SAMPLE_CORPUS])
        first, second = (d.id for d in project.documents()[:2])
        a = api.tag(project, first, "Turkey", "LOCATION", annotator="script")
        b = api.tag(project, second, "Turkey", "LOCATION", annotator="script")
        api.link(project, "same_as", a, b, annotator="script")
        api.export(project, "jsonl", "out.jsonl")

Each call is one `Project` operation (one transaction, saved at once). For
everything else use the `Project` methods themselves (`app.storage.project`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.errors import NotFound
from app.events.store import place_new
from app.formats.articles import ImportReport, import_paths
from app.formats.dataset import EVERYTHING, ExportReport, Selection
from app.formats.writers import FORMATS
from app.formats.writers import export as _export
from app.models import LinkKind, Span
from app.resources import sample_corpus_path
from app.storage.project import Project

__all__ = ["FORMATS", "SAMPLE_CORPUS", "Project", "export", "import_files", "link", "open_project", "tag"]

SAMPLE_CORPUS = sample_corpus_path()


def open_project(path: str | Path, *, create: bool = False) -> Project:
    """Open a project file (or, with `create`, make a new one with the default labels)."""
    return Project.create(path) if create else Project.open(path)


def import_files(project: Project, paths: Sequence[str | Path]) -> ImportReport:
    """Import text, HTML and JSONL articles from files or folders (searched recursively).

    As `parallax import` and the window do: once the project has events, new articles join them.
    """
    report = import_paths(project, [Path(p) for p in paths])
    place_new(project)
    return report


def tag(
    project: Project, document: int, text: str, label: str, *, annotator: str, occurrence: int = 0, note: str = ""
) -> Span:
    """Tag the `occurrence`-th (0 = first) appearance of `text` in a document with a label."""
    body = project.text(document)
    start = -1
    for _ in range(occurrence + 1):
        start = body.find(text, start + 1)
        if start < 0:
            raise NotFound(f"document {document} has no occurrence {occurrence + 1} of {text!r}")
    return project.add_span(document, start, start + len(text), label, annotator, note).value


def link(project: Project, kind: LinkKind | str, source: Span, target: Span, *, annotator: str, note: str = "") -> int:
    """Link two spans (`contradicts`, `supports`, `same_as`, `updates`); returns the link's id."""
    return project.add_link(kind, source.id, target.id, annotator, note).value.id


def export(project: Project, format: str, out: str | Path, selection: Selection = EVERYTHING) -> ExportReport:
    """Write a dataset in one of `FORMATS` (jsonl, spacy, conll, brat, labelstudio, nli-jsonl, nli-csv)."""
    if format not in FORMATS:
        raise NotFound(f"no export format {format!r} (one of {', '.join(FORMATS)})")
    return _export(project, format, Path(out), selection)
