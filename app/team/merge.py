"""Team merge: gather several annotators' project files into one.

Each source goes in through the native JSONL path (`app.formats.native.writer`
records, stored by `app.formats.native.reader`), in memory and in ONE
transaction per source, so the rules are the native import's:

- documents are matched by text sha256; a new one keeps the source's uuid;
- labels are matched by name (case-insensitive, as the label table compares
  names); a label that is `entity` on one side and `claim` on the other is a
  clash: the whole source is refused, naming the label, both kinds and both
  files, and nothing from it is written;
- annotators are matched by name; every span and link stays its annotator's;
- spans and links keep their uuids and created_at; one whose uuid is already
  in the target is skipped. On top of that, merge skips (and counts) a span
  whose document, extent, label and annotator equal a target span's under
  another uuid (the same file imported into two projects), and a link that
  then equals a target link (kind, ends, annotator).

So merging the same file twice changes nothing. Merging again is a sync
(`app.team.sync`): each annotator's own file is the truth for their spans and
links (added, changed, deleted are counted), while the target's curation,
gold, sessions and verdicts stay and are re-attached by identity; what cannot
re-attach is listed. Review sessions, verdicts and curation decisions of the
sources come along too (`app.team.carry`).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import InvalidOperation, ParallaxError
from app.formats.dataset import collect
from app.formats.native.reader import _Refused, _store
from app.formats.native.writer import records
from app.storage.changes import Outcome
from app.storage.project import Project
from app.team.carry import SourceReview, carry, read_review
from app.team.sync import Sync, SyncRefused, owned
from app.team.tables import EVERYTHING, capture

Groups = dict[str, list[tuple[int, dict[str, Any]]]]
MergeProgress = Callable[[int, int, Path], None]  # sources done, sources in all, the one next
_COUNTS = (
    "documents_added",
    "documents_matched",
    "labels_added",
    "annotators_added",
    "spans_added",
    "spans_skipped",
    "spans_duplicate",
    "links_added",
    "links_skipped",
    "links_duplicate",
    "spans_changed",
    "spans_deleted",
    "links_changed",
    "links_deleted",
    "sessions_added",
    "verdicts_added",
    "verdicts_reattached",
    "curation_added",
)


@dataclass(frozen=True)
class SourceReport:
    """What merging one source file did (all zero if it was refused)."""

    path: str
    documents_added: int = 0
    documents_matched: int = 0  # already in the target (same text sha256)
    labels_added: int = 0
    annotators_added: int = 0
    spans_added: int = 0
    spans_skipped: int = 0  # uuid already in the target
    spans_duplicate: int = 0  # same document, extent, label and annotator under another uuid
    links_added: int = 0
    links_skipped: int = 0  # uuid already in the target
    links_duplicate: int = 0  # same kind, ends and annotator under another uuid
    spans_changed: int = 0  # an owned annotator's span the source moved, relabelled or noted
    spans_deleted: int = 0  # gone from its annotator's file (or a span it was on)
    links_changed: int = 0
    links_deleted: int = 0
    sessions_added: int = 0  # review sessions carried from the source
    verdicts_added: int = 0
    verdicts_reattached: int = 0  # moved from a deleted link to one on the same pair of statements
    curation_added: int = 0
    unattached: tuple[str, ...] = ()  # verdicts and evidence that could not re-attach
    warnings: tuple[str, ...] = ()
    refused: str | None = None  # why nothing from this source was merged


@dataclass(frozen=True)
class MergeReport:
    target: str
    sources: tuple[SourceReport, ...] = field(default_factory=tuple)

    @property
    def refused(self) -> tuple[SourceReport, ...]:
        return tuple(s for s in self.sources if s.refused is not None)


class _Clash(Exception):
    """A reason to refuse a whole source, raised inside its transaction."""


def merge_projects(sources: Sequence[Path], target: Path, progress: MergeProgress | None = None) -> MergeReport:
    """Merge `sources` into `target`, creating it (without default labels) if missing."""
    target = Path(target).absolute()
    _check_distinct(sources, target)
    project = Project.open(target) if target.exists() else Project.create(target, default_labels=False)
    with project:
        return merge_into(project, sources, progress)


def merge_into(project: Project, sources: Sequence[Path], progress: MergeProgress | None = None) -> MergeReport:
    """Merge `sources` into an open project (File > Merge), one transaction per source.

    A source that cannot be opened or clashes is reported as refused; the
    others are still merged.
    """
    _check_distinct(sources, project.path)
    reports = []
    for done, source in enumerate(sources):
        if progress:
            progress(done, len(sources), Path(source))
        reports.append(_merge_one(project, Path(source).absolute()))
    return MergeReport(str(project.path), tuple(reports))


def merge_undoable(
    project: Project, sources: Sequence[Path], progress: MergeProgress | None = None
) -> Outcome[MergeReport]:
    """`merge_into` as one undoable step (File > Merge): its undo puts the tables back as they were."""
    before = capture(project)
    report = merge_into(project, sources, progress)
    return Outcome(report, EVERYTHING, before)


def _check_distinct(sources: Sequence[Path], target: Path) -> None:
    if not sources:
        raise InvalidOperation("nothing to merge: name at least one project file")
    for source in sources:
        if _same_file(Path(source), Path(target)):
            raise InvalidOperation(f"{source}: cannot merge a project into itself")


def _same_file(first: Path, second: Path) -> bool:
    if first.resolve() == second.resolve():
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _merge_one(project: Project, source: Path) -> SourceReport:
    try:
        with Project.snapshot(source) as opened:  # a colleague's file is only read
            groups = _groups(opened)
            review = read_review(opened)
        duplicates = dict.fromkeys(("spans_duplicate", "links_duplicate"), 0)
        warnings: list[str] = []
        with project.transaction() as conn:  # one transaction: everything from this source or nothing
            _check_labels(conn, groups, source, project.path)
            counts, stored, sync = _sync(conn, groups, review, source, duplicates, warnings)
    except _Clash as exc:
        return SourceReport(str(source), refused=str(exc))
    except _Refused as exc:
        return SourceReport(str(source), refused=f"{source}: {_unlined(str(exc))}; nothing from it was merged")
    except sqlite3.IntegrityError as exc:
        return SourceReport(
            str(source), refused=f"{source}: refused by the target's checks ({exc}); nothing from it was merged"
        )
    except SyncRefused as exc:
        return SourceReport(str(source), refused=f"{exc}; nothing from it was merged")
    except ParallaxError as exc:  # cannot be opened: missing, not a project, in use, too new
        return SourceReport(str(source), refused=str(exc))
    found: dict[str, Any] = {key: value for key, value in (counts | duplicates).items() if key in _COUNTS}
    return SourceReport(
        str(source),
        warnings=tuple(warnings + [_unlined(w) for w in stored]),
        unattached=tuple(sync),
        **found,
    )


def _sync(
    conn: sqlite3.Connection,
    groups: Groups,
    review: SourceReview,
    source: Path,
    duplicates: dict[str, int],
    warnings: list[str],
) -> tuple[dict[str, int], list[str], list[str]]:
    """Labels, annotators and documents first; then the owners' changes and deletions; then what is new;
    then the source's review sessions and verdicts. Returns counts, store warnings, what did not re-attach."""
    empty: Groups = {"span": [], "link": []}
    counts, stored = _store(conn, {**groups, **empty})
    sync = Sync(conn, groups, owned(conn, groups, source), source)
    sync.before_store()
    new = _without_duplicates(conn, groups, duplicates, warnings)
    more, stored_more = _store(conn, {**new, "label": [], "annotator": []})
    sync.after_store()
    carried, lost = carry(conn, review, source)
    total = Counter(counts) + Counter({k: v for k, v in more.items() if not k.startswith("documents")})
    return dict(total + sync.counts + carried), stored + stored_more, sync.unattached + lost


def _unlined(message: str) -> str:
    """The native importer's messages start with a line number, which means nothing here."""
    return re.sub(r"^line \d+: ", "", message)


def _groups(project: Project) -> Groups:
    """The project as native records, grouped by type as the native importer takes them."""
    data = collect(project)
    names = {a.id: a.name for a in project.annotators()}
    groups: Groups = {k: [] for k in ("label", "annotator", "document", "span", "link")}
    for number, record in enumerate(records(data, names)[1:], start=2):  # after the header line
        groups[record["type"]].append((number, record))
    return groups


def _check_labels(conn: sqlite3.Connection, groups: Groups, source: Path, target: Path) -> None:
    clashes = []
    for _, label in groups["label"]:
        found = conn.execute("SELECT name, kind FROM label WHERE name = ?", (label["name"].strip(),)).fetchone()
        if found and found[1] != label["kind"]:
            clashes.append(
                f"label {label['name']!r} is {label['kind']} in {source.name}"
                f" but {found[1]} in {target.name}" + ("" if found[0] == label["name"] else f" (as {found[0]!r})")
            )
    if clashes:
        raise _Clash(
            f"{source}: {'; '.join(clashes)}. Rename or change one of them and merge again;"
            " nothing from this file was merged"
        )


def _without_duplicates(
    conn: sqlite3.Connection, groups: Groups, counts: dict[str, int], warnings: list[str]
) -> Groups:
    """Drop spans (and then links) equal to the target's under another uuid; count them.

    A link to a dropped span is pointed at the target's equal span instead.
    """
    span_uuids = {r[0]: r[1] for r in conn.execute("SELECT uuid, id FROM span")}
    spans_by_key = {
        tuple(r[1:]): r[0]
        for r in conn.execute(
            'SELECT s.uuid, d.text_sha256, s.start, s."end", s.label_id, a.name FROM span s'
            " JOIN document d ON d.id = s.document_id JOIN annotator a ON a.id = s.annotator_id"
        )
    }
    links = {
        tuple(r)
        for r in conn.execute(
            "SELECT kind, source_span_id, target_span_id, a.name FROM link JOIN annotator a ON a.id = annotator_id"
        )
    }
    link_uuids = {r[0] for r in conn.execute("SELECT uuid FROM link")}
    shas = {doc["uuid"]: doc["text_sha256"] for _, doc in groups["document"]}
    label_ids = {label["name"]: _label_id(conn, label["name"]) for _, label in groups["label"]}
    alias: dict[str, str] = {}
    kept_spans = []
    for number, span in groups["span"]:
        key = (
            shas.get(span["document"]),
            span["start"],
            span["end"],
            label_ids.get(span["label"]),
            span["annotator"].strip(),
        )
        existing = spans_by_key.get(key)
        if span["uuid"] not in span_uuids and existing is not None:
            alias[span["uuid"]] = existing
            counts["spans_duplicate"] += 1
        else:
            kept_spans.append((number, span))
    kept_links = []
    for number, link in groups["link"]:
        ends = [alias.get(link[end], link[end]) for end in ("source_span", "target_span")]
        link = {**link, "source_span": ends[0], "target_span": ends[1]}
        ids = [span_uuids.get(end) for end in ends]
        if (
            link["uuid"] not in link_uuids
            and ids[0] is not None
            and (ids[0] == ids[1] or (link["kind"], *ids, link["annotator"].strip()) in links)
        ):
            counts["links_duplicate"] += 1
            if ids[0] == ids[1]:
                warnings.append(f"link {link['uuid']}: both its spans equal one span of the target; left out")
            continue
        kept_links.append((number, link))
    return {**groups, "span": kept_spans, "link": kept_links}


def _label_id(conn: sqlite3.Connection, name: str) -> int | None:
    found = conn.execute("SELECT id FROM label WHERE name = ?", (name.strip(),)).fetchone()
    return int(found[0]) if found else None


def format_merge(report: MergeReport) -> str:
    """A plain-text summary for the command line, one block per source."""
    lines = [f"merged into {report.target}:"]
    for source in report.sources:
        if source.refused:
            lines.append(f"  {source.path}: REFUSED: {source.refused}")
            continue
        lines.append(
            f"  {source.path}: {source.documents_added} documents added ({source.documents_matched} matched),"
            f" {source.spans_added} spans added ({source.spans_skipped} already there,"
            f" {source.spans_duplicate} duplicates), {source.links_added} links added"
            f" ({source.links_skipped} already there, {source.links_duplicate} duplicates),"
            f" {source.labels_added} labels and {source.annotators_added} annotators new"
        )
        if source.spans_changed or source.spans_deleted or source.links_changed or source.links_deleted:
            lines.append(
                f"    synced: {source.spans_changed} spans changed, {source.spans_deleted} deleted;"
                f" {source.links_changed} links changed, {source.links_deleted} deleted"
            )
        if source.sessions_added or source.verdicts_added or source.verdicts_reattached or source.curation_added:
            lines.append(
                f"    review: {source.sessions_added} sessions and {source.verdicts_added} verdicts carried,"
                f" {source.verdicts_reattached} verdicts re-attached, {source.curation_added} curation decisions"
            )
        lines.extend(f"    NOT RE-ATTACHED: {u}" for u in source.unattached)
        lines.extend(f"    warning: {w}" for w in source.warnings)
    return "\n".join(lines)
