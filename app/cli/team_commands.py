"""`parallax merge`, `agreement`, `disagreements`, `progress`, `report`: team work and review."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from app.storage.project import Project


def cmd_merge(args: argparse.Namespace) -> int:
    from app.team.merge import format_merge, merge_projects

    report = merge_projects(list(args.sources), args.output, progress=None)
    print(format_merge(report))
    return 1 if report.refused else 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from app.team.agreement import agreement
    from app.team.agreement_tables import format_agreement

    with Project.snapshot(args.project) as project:
        report = agreement(project)
    print(json.dumps(asdict(report), ensure_ascii=False, indent=2) if args.json else format_agreement(report))
    return 0


def cmd_disagreements(args: argparse.Namespace) -> int:
    from app.team.disagreements import write_disagreements

    with Project.snapshot(args.project) as project:
        count = write_disagreements(project, args.annotator, args.output)
    print(f"wrote {args.output}: {count} disagreements of {args.annotator}")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from app.team.progress import format_progress, team_progress

    with Project.snapshot(args.project) as project:
        print(format_progress(team_progress(project)))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from app.review.report import PdfWriter, write_report

    pdf: PdfWriter | None = None
    if args.output.suffix.lower() == ".pdf":
        from ui.review.report_pdf import report_pdf  # Qt's text layout, loaded only for a PDF

        pdf = report_pdf
    with Project.snapshot(args.project) as project:
        chosen = write_report(project, args.session, args.output, pdf)
    print(f"{args.output}: dispute report of review session {chosen.name!r}")
    return 0
