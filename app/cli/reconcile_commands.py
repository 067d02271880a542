"""`parallax align`, `suggest` and `events`: reconciliation across articles."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from app.cli.common import names
from app.storage.project import Project


def cmd_align(args: argparse.Namespace) -> int:
    from app.events.commands import align_for
    from app.reconcile.align import format_alignments

    ids = names(args.documents)
    with Project.snapshot(args.project) as project:
        found = align_for(project, sorted(int(x) for x in ids) if ids else None, args)
        texts = {int(d.id): project.text(d.id) for d in project.documents()} if args.quotes else None
    if args.json:
        print(json.dumps([asdict(a) for a in found], ensure_ascii=False, indent=2))
    elif found:
        print(format_alignments(found, texts))
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    from app.events.commands import suggest_for
    from app.reconcile.suggest import format_suggestions

    with Project.snapshot(args.project) as project:
        found = suggest_for(project, args)
        texts = {int(d.id): project.text(d.id) for d in project.documents()} if args.quotes else None
    if args.json:
        print(json.dumps([asdict(s) for s in found], ensure_ascii=False, indent=2))
    elif found:
        print(format_suggestions(found, texts))
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from app.events.commands import list_events

    return list_events(args)


def scale_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, help="run per-event jobs on a local Dask cluster of N workers")
    parser.add_argument("--scheduler", help="run per-event jobs on the Dask cluster at ADDRESS")
