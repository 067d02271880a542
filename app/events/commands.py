"""What the `parallax events`, `align` and `suggest` commands do with events;
`app/cli.py` only parses the arguments and calls these."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from app.events import store
from app.events.jobs import Runner, align_events, profiles_on, suggest_events
from app.events.store import Event, events, regroup
from app.reconcile.align import Alignment
from app.reconcile.mention import Suggestion
from app.storage.project import Project


def runner_of(args: argparse.Namespace) -> Runner:
    return Runner(workers=getattr(args, "workers", None), scheduler=getattr(args, "scheduler", None))


def align_for(project: Project, doc_ids: Sequence[int] | None, args: argparse.Namespace) -> list[Alignment]:
    """Alignments within each event (all documents as one set when there are none)."""
    return align_events(project, doc_ids, runner_of(args))


def suggest_for(project: Project, args: argparse.Namespace) -> list[Suggestion]:
    return suggest_events(project, runner_of(args), include_rejected=args.all, include_linked=args.all)


def place_new(project: Project) -> None:
    """After an import: put new documents into events, if the project has any."""
    placed = store.place_new(project)
    if placed:
        print(f"new documents placed in {len(placed)} events (see `parallax events`)")


def list_events(args: argparse.Namespace) -> int:
    runner = runner_of(args)
    if args.regroup:
        with Project.open(args.project) as project:
            computed = profiles_on(project, runner) if runner.distributed else None
            found = regroup(project, computed=computed).value
            print_events(project, found, args.json)
        return 0
    with Project.snapshot(args.project) as project:
        print_events(project, events(project), args.json)
    return 0


def print_events(project: Project, found: list[Event], as_json: bool) -> None:
    docs = {d.id: d for d in project.documents()}
    if as_json:
        listed = [
            {
                "id": e.id,
                "name": e.name,
                "documents": [
                    {"id": d, "title": docs[d].title, "source": docs[d].source, "published": docs[d].published}
                    for d in e.documents
                ],
            }
            for e in found
        ]
        print(json.dumps(listed, ensure_ascii=False, indent=2))
        return
    for e in found:
        print(f"[{e.id}] {e.name}  ({len(e.documents)} articles)")
        for d in e.documents:
            print(f"    [{d}] {docs[d].published or '----------'}  {docs[d].source or '?':<20.20}  {docs[d].title}")
    if not found:
        print("no events yet: run `parallax events PROJECT --regroup`", file=sys.stderr)
