"""`parallax export` and `import-annotations`: datasets out and annotations in."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from app.cli.common import names, notices
from app.errors import ParallaxError
from app.formats.dataset import Selection
from app.formats.readers import import_annotations
from app.formats.writers import export
from app.models import GOLD
from app.storage.project import Project


def _check_selection(project: Project, selection: Selection) -> None:
    """Refuse filters that name nothing in the project instead of writing an empty file."""
    known = (
        ("document", selection.documents, {d.id for d in project.documents()}),
        ("label", selection.labels, {x.name for x in project.labels()}),
        ("annotator", selection.annotators, {a.name for a in project.annotators()} | {GOLD}),
    )
    for what, wanted, present in known:
        missing = sorted(str(x) for x in (wanted or set()) - present)
        if missing:
            raise ParallaxError(f"the project has no {what} {', '.join(missing)} (see `parallax info`)")


def cmd_export(args: argparse.Namespace) -> int:
    ids = names(args.documents)
    if ids is not None and not all(x.isdigit() for x in ids):
        raise ParallaxError(f"--documents takes document ids (see `parallax info`), got {args.documents!r}")
    if args.gold and args.annotators:
        raise ParallaxError("--gold exports the gold layer only; leave out --annotators (or --gold)")
    if args.unfinished and not args.gold:
        raise ParallaxError("--unfinished goes with --gold")
    selection = Selection(
        documents=frozenset(int(x) for x in ids) if ids is not None else None,
        labels=names(args.labels),
        annotators=frozenset({GOLD}) if args.gold else names(args.annotators),
    )
    with Project.snapshot(args.project) as project:
        _check_selection(project, selection)
        if args.gold:
            from app.team.progress import gold_documents

            chosen, said = gold_documents(project, args.unfinished)
            if selection.documents is not None:
                chosen = chosen & selection.documents
            selection = replace(selection, documents=chosen)
            print(said, file=sys.stderr)
        report = export(project, args.format, args.output, selection)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"wrote {report.path}: {report.documents} documents, {report.spans} spans, {report.links} links"
        + (f", {len(report.warnings)} warnings" if report.warnings else "")
    )
    return 0


def cmd_import_annotations(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        notices(project)
        report = import_annotations(project, args.source, args.format, args.annotator, args.offsets)
    for warning in report.notes("name one with --annotator"):
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"{report.path}: {report.documents_added} documents added, {report.documents_matched} matched;"
        f" {report.spans_added} spans added, {report.spans_skipped} already there;"
        f" {report.links_added} links added; {report.labels_added} labels and"
        f" {report.annotators_added} annotators added"
    )
    return 0
