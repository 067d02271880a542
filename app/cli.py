"""The `parallax` command line. Errors go to stderr with exit status 1."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from app import __version__
from app.errors import ParallaxError
from app.formats.articles import ImportReport, import_paths
from app.formats.dataset import Selection
from app.formats.readers import FORMATS as ANNOTATION_FORMATS
from app.formats.readers import import_annotations
from app.formats.writers import FORMATS as EXPORT_FORMATS
from app.formats.writers import export
from app.models import GOLD, LabelKind
from app.resources import sample_corpus_path
from app.sample import build_sample
from app.storage.project import Project


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        return _gui()
    try:
        result: int = args.run(args)
        return result
    except ParallaxError as exc:
        print(f"parallax: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("parallax: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
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
    demo.set_defaults(run=_cmd_demo)
    opener = commands.add_parser("open", help="open a project in the desktop app")
    opener.add_argument("project", type=Path)
    opener.set_defaults(run=lambda args: _gui(project=args.project))

    new = commands.add_parser("new", help="create a project file (with the default label set)")
    new.add_argument("project", type=Path, help="the .parallax file to create")
    new.add_argument("--sample", action="store_true", help="the sample project: articles plus example annotations")
    new.add_argument("--empty", action="store_true", help="with --sample: the sample articles only")
    new.add_argument("--no-labels", action="store_true", help="start with an empty label set")
    new.set_defaults(run=_cmd_new)

    imp = commands.add_parser("import", help="import text, HTML, JSONL files or folders")
    imp.add_argument("project", type=Path)
    imp.add_argument("paths", type=Path, nargs="*", help="files or folders (searched recursively)")
    imp.add_argument("--sample", action="store_true", help="import the bundled sample corpus")
    imp.set_defaults(run=_cmd_import)

    export = commands.add_parser("export", help="write a labeled dataset (see README for each format)")
    export.add_argument("project", type=Path)
    export.add_argument("--format", "-f", required=True, choices=list(EXPORT_FORMATS))
    export.add_argument("-o", "--output", type=Path, required=True, help="file (or folder for brat)")
    export.add_argument("--documents", help="comma-separated document ids (default: all)")
    export.add_argument("--labels", help="comma-separated label names (default: all)")
    export.add_argument("--annotators", help="comma-separated annotator names (default: all)")
    export.add_argument("--gold", action="store_true", help="only the adjudicated gold layer")
    export.set_defaults(run=_cmd_export)

    annotations = commands.add_parser(
        "import-annotations",
        help="import spans and links (Parallax JSONL, brat, Label Studio, doccano, CoNLL, Prodigy, Hugging Face,"
        " INCEpTION XMI and TSV3)",
    )
    annotations.add_argument("project", type=Path)
    annotations.add_argument("source", type=Path, help="a file, or a folder (brat, XMI, TSV3, Hugging Face)")
    annotations.add_argument("--format", "-f", choices=list(ANNOTATION_FORMATS), help="default: guessed from the file")
    annotations.add_argument("--annotator", help="credit every span and link to this annotator")
    annotations.set_defaults(run=_cmd_import_annotations)

    align = commands.add_parser("align", help="aligned passages across articles (tab-separated)")
    align.add_argument("project", type=Path)
    align.add_argument("--documents", help="comma-separated document ids (default: all)")
    align.add_argument("--quotes", action="store_true", help="also print both passages")
    align.add_argument("--json", action="store_true", help="print JSON for scripts")
    _scale_options(align)
    align.set_defaults(run=_cmd_align)

    suggest = commands.add_parser("suggest", help="suggested conflicts and same-entity links, best first")
    suggest.add_argument("project", type=Path)
    suggest.add_argument("--quotes", action="store_true", help="also print both passages")
    suggest.add_argument("--json", action="store_true", help="print JSON for scripts")
    suggest.add_argument("--all", action="store_true", help="include rejected and already linked ones")
    _scale_options(suggest)
    suggest.set_defaults(run=_cmd_suggest)

    grouped = commands.add_parser("events", help="list the events (groups of articles on one happening)")
    grouped.add_argument("project", type=Path)
    grouped.add_argument("--regroup", action="store_true", help="group every article afresh first")
    grouped.add_argument("--json", action="store_true", help="print JSON for scripts")
    _scale_options(grouped)
    grouped.set_defaults(run=_cmd_events)

    merge = commands.add_parser("merge", help="merge annotators' project files into a team project")
    merge.add_argument("sources", type=Path, nargs="+", help="the .parallax files to merge")
    merge.add_argument("-o", "--output", type=Path, required=True, help="the team project (created if missing)")
    merge.set_defaults(run=_cmd_merge)

    agree = commands.add_parser("agreement", help="inter-annotator agreement: span F1, token kappa, alpha, links")
    agree.add_argument("project", type=Path)
    agree.add_argument("--json", action="store_true", help="print JSON for scripts")
    agree.set_defaults(run=_cmd_agreement)

    report = commands.add_parser("report", help="write a review session's dispute report (.html or .pdf)")
    report.add_argument("project", type=Path)
    report.add_argument("--session", "-s", required=True, help="session name or id")
    report.add_argument("-o", "--output", type=Path, required=True, help="report.html or report.pdf")
    report.set_defaults(run=_cmd_report)

    info = commands.add_parser("info", help="counts of documents, spans per label and annotator, links")
    info.add_argument("project", type=Path)
    info.add_argument("--json", action="store_true", help="print JSON for scripts")
    info.set_defaults(run=_cmd_info)

    search = commands.add_parser("search", help="full-text search (case and accents ignored)")
    search.add_argument("project", type=Path)
    search.add_argument("query", help="words that must all occur; word* matches a prefix")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true", help="print JSON for scripts")
    search.set_defaults(run=_cmd_search)

    labels = commands.add_parser("labels", help="list the label set, or add a label")
    labels.add_argument("project", type=Path)
    actions = labels.add_subparsers(metavar="ACTION")
    listing = actions.add_parser("list", help="list labels (the default)")
    listing.set_defaults(run=_cmd_labels_list)
    add = actions.add_parser("add", help="add a label")
    add.add_argument("name")
    add.add_argument("--kind", choices=[k.value for k in LabelKind], default=LabelKind.ENTITY.value)
    add.add_argument("--color", help="#rrggbb (default: next palette colour)")
    add.add_argument("--hotkey", help="one key, e.g. 8")
    add.set_defaults(run=_cmd_labels_add)
    labels.set_defaults(run=_cmd_labels_list)
    return parser


def _scale_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, help="run per-event jobs on a local Dask cluster of N workers")
    parser.add_argument("--scheduler", help="run per-event jobs on the Dask cluster at ADDRESS")


def _gui(project: Path | None = None, demo: bool = False) -> int:
    """Start the desktop app. Imported here so the core never loads Qt."""
    from ui.app import run

    return run(project=project, demo=demo)


def _cmd_demo(args: argparse.Namespace) -> int:
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
    return _gui(project=path)


def _cmd_new(args: argparse.Namespace) -> int:
    if args.sample and not args.no_labels:
        summary = build_sample(args.project, annotated=not args.empty)
        print(f"created {args.project}: {summary.describe()}")
        return 0
    with Project.create(args.project, default_labels=not args.no_labels) as project:
        print(f"created {project.path}")
        if args.sample:
            return _report(_import(project, [sample_corpus_path()]))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    paths = list(args.paths) + ([sample_corpus_path()] if args.sample else [])
    if not paths:
        raise ParallaxError("nothing to import: name files or folders, or use --sample")
    with Project.open(args.project) as project:
        status = _report(_import(project, paths))
        _place_in_events(project)
        return status


def _place_in_events(project: Project) -> None:
    from app.events.commands import place_new

    place_new(project)


def _import(project: Project, paths: list[Path]) -> ImportReport:
    return import_paths(project, paths, progress=_progress_printer(sys.stderr))


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
        print(f"{item.status:8} {item.path}{detail}", file=stream)
    refused = sum(1 for item in report.files if item.status == "refused")
    added = sum(len(item.added) for item in report.files)
    skipped = sum(item.duplicates for item in report.files)
    print(
        f"{added} documents added, {skipped} duplicates skipped, {refused} files refused"
        + (" (cancelled)" if report.cancelled else "")
    )
    return 1 if refused else 0


def _names(value: str | None) -> frozenset[str] | None:
    return frozenset(x.strip() for x in value.split(",") if x.strip()) if value else None


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


def _cmd_export(args: argparse.Namespace) -> int:
    ids = _names(args.documents)
    if ids is not None and not all(x.isdigit() for x in ids):
        raise ParallaxError(f"--documents takes document ids (see `parallax info`), got {args.documents!r}")
    selection = Selection(
        documents=frozenset(int(x) for x in ids) if ids is not None else None,
        labels=_names(args.labels),
        annotators=frozenset({GOLD}) if args.gold else _names(args.annotators),
    )
    with Project.snapshot(args.project) as project:
        _check_selection(project, selection)
        report = export(project, args.format, args.output, selection)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"wrote {report.path}: {report.documents} documents, {report.spans} spans, {report.links} links"
        + (f", {len(report.warnings)} warnings" if report.warnings else "")
    )
    return 0


def _cmd_import_annotations(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        report = import_annotations(project, args.source, args.format, args.annotator)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"{report.path}: {report.documents_added} documents added, {report.documents_matched} matched;"
        f" {report.spans_added} spans added, {report.spans_skipped} already there;"
        f" {report.links_added} links added; {report.labels_added} labels and"
        f" {report.annotators_added} annotators added"
    )
    return 0


def _cmd_align(args: argparse.Namespace) -> int:
    from app.events.commands import align_for
    from app.reconcile.align import format_alignments

    ids = _names(args.documents)
    with Project.snapshot(args.project) as project:
        found = align_for(project, sorted(int(x) for x in ids) if ids else None, args)
        texts = {int(d.id): project.text(d.id) for d in project.documents()} if args.quotes else None
    if args.json:
        print(json.dumps([asdict(a) for a in found], ensure_ascii=False, indent=2))
    elif found:
        print(format_alignments(found, texts))
    return 0


def _cmd_suggest(args: argparse.Namespace) -> int:
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


def _cmd_events(args: argparse.Namespace) -> int:
    from app.events.commands import list_events

    return list_events(args)


def _cmd_merge(args: argparse.Namespace) -> int:
    from app.team.merge import format_merge, merge_projects

    report = merge_projects(list(args.sources), args.output, progress=None)
    print(format_merge(report))
    return 1 if report.refused else 0


def _cmd_agreement(args: argparse.Namespace) -> int:
    from app.team.agreement import agreement
    from app.team.agreement_tables import format_agreement

    with Project.snapshot(args.project) as project:
        report = agreement(project)
    print(json.dumps(asdict(report), ensure_ascii=False, indent=2) if args.json else format_agreement(report))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from app.review.report import PdfWriter, write_report

    pdf: PdfWriter | None = None
    if args.output.suffix.lower() == ".pdf":
        from ui.review.report_pdf import report_pdf  # Qt's text layout, loaded only for a PDF

        pdf = report_pdf
    with Project.snapshot(args.project) as project:
        chosen = write_report(project, args.session, args.output, pdf)
    print(f"{args.output}: dispute report of review session {chosen.name!r}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
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


def _cmd_search(args: argparse.Namespace) -> int:
    with Project.snapshot(args.project) as project:
        hits = project.search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([hit.model_dump() for hit in hits], ensure_ascii=False, indent=2))
        return 0
    for hit in hits:
        print(f"[{hit.document_id}] {hit.title}\n    {hit.snippet}")
    print(f"{len(hits)} documents match {args.query!r}")
    return 0


def _cmd_labels_list(args: argparse.Namespace) -> int:
    with Project.snapshot(args.project) as project:
        for label in project.labels():
            print(f"{label.hotkey or '-':>2}  {label.name:<20} {label.kind.value:<7} {label.color}")
    return 0


def _cmd_labels_add(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        label = project.add_label(args.name, args.kind, args.color, args.hotkey).value
        print(f"added label {label.name} ({label.kind.value}, {label.color})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
