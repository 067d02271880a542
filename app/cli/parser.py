"""The `parallax` argument parser: every command, its options, and the function that runs it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app import __version__
from app.cli import common, reconcile_commands, team_commands
from app.cli.lazy import Later, Names
from app.models import LabelKind

# Imported when one of their commands runs (or its formats are checked): not for `parallax open`.
project_commands, data_commands = Later("app.cli.project_commands"), Later("app.cli.data_commands")
ANNOTATION_FORMATS, EXPORT_FORMATS = Names("app.formats.readers"), Names("app.formats.writers")


def _on_project(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, **kwargs: Any
) -> argparse.ArgumentParser:
    """A command whose first argument is the project file."""
    command = commands.add_parser(name, **kwargs)
    command.add_argument("project", type=Path)
    return command


def _json_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--json", action="store_true", help="print JSON for scripts")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parallax",
        description="Annotate news articles side by side and reconcile what they disagree on. "
        "Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"parallax {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = commands.add_parser("demo", help="build the sample project (once) and open it in the desktop app")
    demo.add_argument("project", type=Path, nargs="?", help="where to keep it (default: your user data folder)")
    demo.add_argument("--empty", action="store_true", help="the sample articles without example annotations")
    demo.set_defaults(run=project_commands.cmd_demo)
    opener = _on_project(commands, "open", help="open a project in the desktop app")
    opener.set_defaults(run=lambda args: common.gui(project=args.project))

    new = commands.add_parser("new", help="create a project file (with the default label set)")
    new.add_argument("project", type=Path, help="the .parallax file to create")
    new.add_argument("--sample", action="store_true", help="the sample project: articles plus example annotations")
    new.add_argument("--empty", action="store_true", help="with --sample: the sample articles only")
    new.add_argument("--no-labels", action="store_true", help="start with an empty label set")
    new.set_defaults(run=project_commands.cmd_new)

    imp = _on_project(commands, "import", help="import text, HTML, JSONL files or folders")
    imp.add_argument("paths", type=Path, nargs="*", help="files or folders (searched recursively)")
    imp.add_argument("--sample", action="store_true", help="import the bundled sample corpus")
    imp.set_defaults(run=project_commands.cmd_import)

    export = _on_project(commands, "export", help="write a labeled dataset (see README for each format)")
    export.add_argument(
        "--format", "-f", required=True, choices=EXPORT_FORMATS, metavar="FORMAT", help="one of %(choices)s"
    )
    export.add_argument("-o", "--output", type=Path, required=True, help="file (or folder for brat)")
    export.add_argument("--documents", help="comma-separated document ids (default: all)")
    export.add_argument("--labels", help="comma-separated label names (default: all)")
    export.add_argument("--annotators", help="comma-separated annotator names (default: all)")
    export.add_argument(
        "--gold", action="store_true", help="only the curated gold layer, of documents whose curation is finished"
    )
    export.add_argument("--unfinished", action="store_true", help="with --gold: documents not finished too")
    export.set_defaults(run=data_commands.cmd_export)

    annotations = _on_project(
        commands,
        "import-annotations",
        help="import spans and links (Parallax JSONL, brat, Label Studio, doccano, CoNLL, Prodigy, Hugging Face,"
        " INCEpTION XMI and TSV3)",
    )
    annotations.add_argument("source", type=Path, help="a file, or a folder (brat, XMI, TSV3, Hugging Face)")
    annotations.add_argument(
        "--format",
        "-f",
        choices=ANNOTATION_FORMATS,
        metavar="FORMAT",
        help="one of %(choices)s (default: guessed from the file)",
    )
    annotations.add_argument("--annotator", help="credit every span and link to this annotator")
    annotations.add_argument(
        "--offsets",
        choices=["auto", "utf16", "codepoints"],
        default="auto",
        help="doccano only: what its offsets count (default: the one reading that keeps spans whole)",
    )
    annotations.set_defaults(run=data_commands.cmd_import_annotations)

    align = _on_project(commands, "align", help="aligned passages across articles (tab-separated)")
    align.add_argument("--documents", help="comma-separated document ids (default: all)")
    align.add_argument("--quotes", action="store_true", help="also print both passages")
    _json_option(align)
    reconcile_commands.scale_options(align)
    align.set_defaults(run=reconcile_commands.cmd_align)

    suggest = _on_project(commands, "suggest", help="suggested conflicts and same-entity links, best first")
    suggest.add_argument("--quotes", action="store_true", help="also print both passages")
    _json_option(suggest)
    suggest.add_argument("--all", action="store_true", help="include rejected and already linked ones")
    reconcile_commands.scale_options(suggest)
    suggest.set_defaults(run=reconcile_commands.cmd_suggest)

    grouped = _on_project(commands, "events", help="list the events (groups of articles on one happening)")
    grouped.add_argument("--regroup", action="store_true", help="group every article afresh first")
    _json_option(grouped)
    reconcile_commands.scale_options(grouped)
    grouped.set_defaults(run=reconcile_commands.cmd_events)

    merge = commands.add_parser("merge", help="merge annotators' project files into a team project")
    merge.add_argument("sources", type=Path, nargs="+", help="the .parallax files to merge")
    merge.add_argument("-o", "--output", type=Path, required=True, help="the team project (created if missing)")
    merge.set_defaults(run=team_commands.cmd_merge)

    agree = _on_project(commands, "agreement", help="inter-annotator agreement: span F1, token kappa, alpha, links")
    _json_option(agree)
    agree.set_defaults(run=team_commands.cmd_agreement)

    differ = _on_project(commands, "disagreements", help="one annotator's disagreements as CSV, to send back to them")
    differ.add_argument("--annotator", "-a", required=True)
    differ.add_argument("-o", "--output", type=Path, required=True, help="a .csv file")
    differ.set_defaults(run=team_commands.cmd_disagreements)

    progress = _on_project(commands, "progress", help="assignments, marks and curation progress per annotator")
    progress.set_defaults(run=team_commands.cmd_progress)

    report = _on_project(commands, "report", help="write a review session's dispute report (.html or .pdf)")
    report.add_argument("--session", "-s", required=True, help="session name or id")
    report.add_argument("-o", "--output", type=Path, required=True, help="report.html or report.pdf")
    report.set_defaults(run=team_commands.cmd_report)

    info = _on_project(commands, "info", help="counts of documents, spans per label and annotator, links")
    _json_option(info)
    info.set_defaults(run=project_commands.cmd_info)

    search = _on_project(commands, "search", help="full-text search (case and accents ignored)")
    search.add_argument("query", help="words that must all occur; word* matches a prefix")
    search.add_argument("--limit", type=int, default=20)
    _json_option(search)
    search.set_defaults(run=project_commands.cmd_search)

    labels = _on_project(commands, "labels", help="list the label set, or add a label")
    actions = labels.add_subparsers(metavar="ACTION")
    listing = actions.add_parser("list", help="list labels (the default)")
    listing.set_defaults(run=project_commands.cmd_labels_list)
    add = actions.add_parser("add", help="add a label")
    add.add_argument("name")
    add.add_argument("--kind", choices=[k.value for k in LabelKind], default=LabelKind.ENTITY.value)
    add.add_argument("--color", help="#rrggbb (default: next palette colour)")
    add.add_argument("--hotkey", help="one key, e.g. 8")
    add.set_defaults(run=project_commands.cmd_labels_add)
    labels.set_defaults(run=project_commands.cmd_labels_list)
    return parser
