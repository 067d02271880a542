"""Bring articles into a project from text, JSONL and HTML files or folders.

`import_paths` never raises for a bad input file: each file is read whole,
then stored in one transaction (all of it or none of it) and gets a
`FileReport`. Errors of the project itself (read-only, corrupt) do propagate.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.errors import ImportRefused
from app.formats.articles.html import parse_html
from app.formats.articles.jsonl import ScannedDocuments, parse_jsonl
from app.formats.articles.metadata import MANIFEST_NAME, load_manifest
from app.formats.articles.plain import parse_text
from app.formats.articles.records import ManifestEntry
from app.formats.articles.warc import import_warc, is_warc
from app.models import DocumentId, NewDocument
from app.storage.project import Project

__all__ = ["FileReport", "ImportReport", "import_paths", "parse_file"]

Status = Literal["imported", "skipped", "refused"]
Parser = Callable[[Path, ManifestEntry | None], list[NewDocument]]

PARSERS: dict[str, Parser] = {
    ".txt": parse_text,
    ".text": parse_text,
    ".md": parse_text,
    "": parse_text,
    ".jsonl": parse_jsonl,
    ".html": parse_html,
    ".htm": parse_html,
}


BATCH_SECONDS = 0.25  # at most this much import work is lost to a crash


@dataclass(frozen=True)
class FileReport:
    path: Path
    status: Status  # skipped: every document in it was already in the project
    reason: str = ""  # why refused or skipped, for a person
    added: tuple[DocumentId, ...] = ()
    duplicates: int = 0  # documents whose text was already in the project (or earlier in the file)
    cancelled: bool = False  # a web archive whose import was cancelled part-way (what was read stays)


@dataclass(frozen=True)
class ImportReport:
    files: tuple[FileReport, ...]
    cancelled: bool = False

    @property
    def added(self) -> tuple[DocumentId, ...]:
        return tuple(doc for item in self.files for doc in item.added)

    @property
    def refused(self) -> list[FileReport]:
        return [item for item in self.files if item.status == "refused"]

    @property
    def duplicates(self) -> int:
        return sum(item.duplicates for item in self.files)

    @property
    def counts(self) -> dict[str, int]:
        """Files by status, plus documents added and duplicates skipped."""
        by_status = {status: 0 for status in ("imported", "skipped", "refused")}
        for item in self.files:
            by_status[item.status] += 1
        return by_status | {"added": len(self.added), "duplicates": self.duplicates}


def import_paths(
    project: Project,
    paths: Sequence[Path],
    *,
    progress: Callable[[int, int, Path], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    archive_progress: Callable[[Path, int, int], None] | None = None,
) -> ImportReport:
    """Import files and folders (recursively); one transaction per file.

    `progress(done, total, path)` is called after each file; `cancelled()` is
    asked before each one, and files already done stay imported. Inside a web
    archive, `archive_progress(path, bytes_read, size)` is called as records
    are read and `cancelled()` is asked after each article.
    """
    files = expand(paths)
    manifests = _Manifests()
    reports: list[FileReport] = []
    while len(reports) < len(files):
        # Files are committed in groups of up to BATCH_SECONDS of work: one disk
        # sync per group instead of per file; each file is still all-or-nothing.
        with project.batch():
            started = time.monotonic()
            while len(reports) < len(files) and time.monotonic() - started < BATCH_SECONDS:
                if cancelled is not None and cancelled():
                    break
                path = files[len(reports)]
                reports.append(_import_file(project, path, manifests, (archive_progress, cancelled)))
                if progress is not None:
                    progress(len(reports), len(files), path)
                if reports[-1].cancelled:
                    break
        stopped = bool(reports) and reports[-1].cancelled  # inside a web archive
        if stopped or (cancelled is not None and len(reports) < len(files) and cancelled()):
            return ImportReport(tuple(reports), cancelled=True)
    return ImportReport(tuple(reports))


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files named, and files inside folders named (sorted, no hidden ones), each once."""
    found: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        for item in _walk(path) if path.is_dir() else [path]:
            try:
                key = item.resolve()
            except (OSError, RuntimeError):  # a symbolic link that loops: reported by _import_file
                key = item.absolute()
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and name != MANIFEST_NAME:
                yield Path(root) / name


def parse_file(path: Path, entry: ManifestEntry | None = None) -> list[NewDocument]:
    """The documents in one file, or ImportRefused saying why there are none."""
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        known = ", ".join(sorted(suffix for suffix in PARSERS if suffix))
        raise ImportRefused(path, f"unsupported file type {path.suffix!r} (expected {known} or no extension)")
    try:
        return parser(path, entry)
    except ImportRefused:
        raise
    except Exception as exc:  # a hostile file must not stop the import of the others
        raise ImportRefused(path, f"could not be read ({type(exc).__name__}: {exc})") from exc


Archive = tuple[Callable[[Path, int, int], None] | None, Callable[[], bool] | None]  # progress, cancelled


def _import_file(project: Project, path: Path, manifests: _Manifests, archive: Archive = (None, None)) -> FileReport:
    if not path.exists():
        looping = path.is_symlink()
        return FileReport(path, "refused", "a symbolic link that loops" if looping else "no such file or folder")
    if path.name == MANIFEST_NAME:
        return FileReport(path, "skipped", "manifest.json holds metadata for its folder, not articles")
    if is_warc(path):
        return _import_warc(project, path, archive)
    try:
        docs = parse_file(path, manifests.entry(path))
    except ImportRefused as exc:
        return FileReport(path, "refused", exc.reason)
    scans = docs.scans if isinstance(docs, ScannedDocuments) else None  # the JSONL parser's, not made again
    result = project.add_documents(docs, scans).value
    duplicates = len(result.duplicates)
    if not result.added:
        return FileReport(path, "skipped", _all_duplicates(duplicates), duplicates=duplicates)
    return FileReport(path, "imported", added=result.added, duplicates=duplicates)


def _import_warc(project: Project, path: Path, archive: Archive) -> FileReport:
    show, cancelled = archive
    progress = None if show is None else (lambda done, size: show(path, done, size))
    try:
        found = import_warc(project, path, progress=progress, cancelled=cancelled)
    except ImportRefused as exc:
        return FileReport(path, "refused", exc.reason)
    status: Status = "imported" if found.added else "skipped"
    reason = found.describe() or ("" if found.added else "no new articles in the archive")
    return FileReport(path, status, reason, tuple(found.added), found.duplicates, found.cancelled)


def _all_duplicates(count: int) -> str:
    return "already in the project" if count == 1 else f"all {count} documents already in the project"


class _Manifests:
    """Each folder's manifest.json, read once per import."""

    def __init__(self) -> None:
        self._folders: dict[Path, dict[str, ManifestEntry] | ImportRefused] = {}

    def entry(self, path: Path) -> ManifestEntry | None:
        """The manifest entry for `path`; ImportRefused when its folder's manifest is invalid."""
        folder = path.parent
        if folder not in self._folders:
            try:
                self._folders[folder] = load_manifest(folder)
            except ImportRefused as exc:
                self._folders[folder] = exc
            except Exception as exc:  # e.g. JSON nested too deep
                reason = f"could not be read ({type(exc).__name__}: {exc})"
                self._folders[folder] = ImportRefused(folder / MANIFEST_NAME, reason)
        loaded = self._folders[folder]
        if isinstance(loaded, ImportRefused):
            raise ImportRefused(path, f"{MANIFEST_NAME} in this folder is invalid: {loaded.reason}")
        return loaded.get(path.name)
