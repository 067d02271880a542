"""`parallax demo`, `new`, `import`, `info`, `search`, `labels`: making and filling a project."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from app.cli.common import gui, notices
from app.errors import ParallaxError
from app.formats.articles import ImportReport, import_paths
from app.formats.import_report import shown
from app.resources import sample_corpus_path
from app.sample import build_sample
from app.storage.project import Project


def cmd_demo(args: argparse.Namespace) -> int:
    if args.project is None:
        from ui.app import demo_project_path  # the user data folder is Qt's to say

        args.project = demo_project_path()
    path = args.project.absolute()
    if path.exists():
        print(f"Sample project: {path} (kept from before, with your work)")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"Sample project: {path} ({build_sample(path, annotated=not args.empty).describe()})")
    sys.stdout.flush()
    return gui(project=path)


def cmd_new(args: argparse.Namespace) -> int:
    if args.sample and not args.no_labels:
        summary = build_sample(args.project, annotated=not args.empty)
        print(f"created {args.project}: {summary.describe()}")
        return 0
    with Project.create(args.project, default_labels=not args.no_labels) as project:
        print(f"created {project.path}")
        if args.sample:
            return _report(_import(project, [sample_corpus_path()]))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    paths = list(args.paths) + ([sample_corpus_path()] if args.sample else [])
    if not paths:
        raise ParallaxError("nothing to import: name files or folders, or use --sample")
    with Project.open(args.project) as project:
        notices(project)
        status = _report(_import(project, paths))
        _place_in_events(project)
        return status


def _place_in_events(project: Project) -> None:
    from app.events.commands import place_new

    place_new(project)


def _import(project: Project, paths: list[Path]) -> ImportReport:
    return import_paths(
        project, paths, progress=_progress_printer(sys.stderr), archive_progress=_archive_printer(sys.stderr)
    )


def _archive_printer(stream: TextIO) -> Callable[[Path, int, int], None]:
    """How far into a web archive the import is: live on a terminal, per tenth otherwise."""
    shown: dict[Path, int] = {}

    def show(path: Path, done: int, size: int) -> None:
        tenth = done * 10 // max(size, 1)
        if stream.isatty():
            stream.write(f"\r\x1b[Kreading {path.name[:50]}: {done * 100 // max(size, 1)}%")
        elif shown.get(path) != tenth:
            stream.write(f"reading {path.name}: {tenth * 10}%\n")
        shown[path] = tenth
        stream.flush()

    return show


def _progress_printer(stream: TextIO) -> Callable[[int, int, Path], None]:
    """Live progress on a terminal; a line per tenth of the work otherwise."""
    interactive = stream.isatty()

    def show(done: int, total: int, path: Path) -> None:
        if interactive:
            end = "\n" if done == total else ""
            stream.write(f"\r\x1b[Kimporting {done}/{total}: {path.name[:60]}{end}")
        elif total >= 20 and (done * 10 // total) != ((done - 1) * 10 // total):
            stream.write(f"importing {done}/{total} files\n")
        stream.flush()

    return show


def _report(report: ImportReport) -> int:
    """Print one line per file; exit 1 when any file was refused."""
    for item in report.files:
        detail = f" ({item.reason})" if item.reason else ""
        stream = sys.stderr if item.status == "refused" else sys.stdout
        print(f"{item.status:8} {shown(item.path)}{detail}", file=stream)
    refused = sum(1 for item in report.files if item.status == "refused")
    added = sum(len(item.added) for item in report.files)
    skipped = sum(item.duplicates for item in report.files)
    print(
        f"{added} documents added, {skipped} duplicates skipped, {refused} files refused"
        + (" (cancelled)" if report.cancelled else "")
    )
    return 1 if refused else 0


def cmd_info(args: argparse.Namespace) -> int:
    with Project.snapshot(args.project) as project:
        stats = project.stats()
        if args.json:
            print(stats.model_dump_json(indent=2))
            return 0
        print(f"{args.project.absolute()}\n  documents: {stats.documents}")
        for title, counts in (
            ("spans by label", stats.spans_by_label),
            ("spans by annotator", stats.spans_by_annotator),
            ("links by kind", stats.links_by_kind),
        ):
            print(f"  {title}:" + ("" if counts else " none"))
            for name, count in counts.items():
                print(f"    {name:<20} {count:>7}")
        for doc in project.documents():
            print(f"  [{doc.id}] {doc.published or '----------'}  {doc.source or '?':<20.20}  {doc.title}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with Project.snapshot(args.project) as project:
        hits = project.search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([hit.model_dump() for hit in hits], ensure_ascii=False, indent=2))
        return 0
    for hit in hits:
        print(f"[{hit.document_id}] {hit.title}\n    {hit.snippet}")
    print(f"{len(hits)} documents match {args.query!r}")
    return 0


def cmd_labels_list(args: argparse.Namespace) -> int:
    with Project.snapshot(args.project) as project:
        for label in project.labels():
            print(f"{label.hotkey or '-':>2}  {label.name:<20} {label.kind.value:<7} {label.color}")
    return 0


def cmd_labels_add(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        notices(project)
        label = project.add_label(args.name, args.kind, args.color, args.hotkey).value
        print(f"added label {label.name} ({label.kind.value}, {label.color})")
    return 0
