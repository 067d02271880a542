"""`parallax align`, `suggest` and `events`: reconciliation across articles."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from app.cli.common import names
from app.storage.project import Project


def cmd_align(args: argparse.Namespace) -> int:
    from app.events.commands import align_for
    from app.reconcile.align import format_alignments

    ids = names(args.documents)
    with Project.snapshot(args.project) as project:
        found = align_for(project, sorted(int(x) for x in ids) if ids else None, args)
        texts = _texts(project) if args.quotes else None
    return _show(args, found, lambda: format_alignments(found, texts))


def cmd_suggest(args: argparse.Namespace) -> int:
    from app.events.commands import suggest_for
    from app.reconcile.suggest import format_suggestions

    with Project.snapshot(args.project) as project:
        found = suggest_for(project, args)
        texts = _texts(project) if args.quotes else None
    return _show(args, found, lambda: format_suggestions(found, texts))


def _texts(project: Project) -> dict[int, str]:
    """Every document's text by id, for printing the passages (`--quotes`)."""
    return {int(d.id): project.text(d.id) for d in project.documents()}


def _show(args: argparse.Namespace, found: Sequence[Any], as_text: Callable[[], str]) -> int:
    """Print what was found: JSON with `--json`, else the text lines (nothing when none)."""
    if args.json:
        print(json.dumps([asdict(x) for x in found], ensure_ascii=False, indent=2))
    elif found:
        print(as_text())
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from app.events.commands import list_events

    return list_events(args)


def scale_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, help="run per-event jobs on a local Dask cluster of N workers")
    parser.add_argument("--scheduler", help="run per-event jobs on the Dask cluster at ADDRESS")
