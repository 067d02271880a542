"""Web archives (.warc, .warc.gz): each HTML response's article, streamed.

Records are read one at a time with warcio, never the whole file. Each HTTP
response with status 200 and an HTML content type is extracted as the HTML
importer does (`html_document`); its target URL becomes the document's url
(unless the page names its own) and the crawl date goes into meta. Articles
are stored in groups of `BATCH` (one `add_documents` each), so a huge
archive never sits in memory.

Anything hostile is skipped and counted by reason, never raised: a record
that is not HTML, not a 200, larger than `MAX_RECORD_BYTES`, with no article
text, or a file that ends mid-record or whose lengths are wrong (warcio then
cannot find the next record: the rest of the file is skipped, counted once).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from app.errors import ImportRefused
from app.formats.articles.html import html_document
from app.formats.articles.text import MAX_TEXT_BYTES
from app.models import DocumentId, NewDocument
from app.storage.project import Project

MAX_RECORD_BYTES = MAX_TEXT_BYTES
BATCH = 100
SUFFIXES = (".warc", ".warc.gz")

Progress = Callable[[int, int], None]  # (bytes read, file size)


@dataclass
class WarcReport:
    path: Path
    added: list[DocumentId] = field(default_factory=list)
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> records
    records: int = 0  # every record seen, requests and metadata included

    def describe(self) -> str:
        """'3 records skipped: 2 not HTML, 1 truncated' (empty when none were)."""
        total = sum(self.skipped.values())
        if not total:
            return ""
        parts = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items(), key=lambda x: (-x[1], x[0])))
        return f"{total} record{'s' * (total != 1)} skipped: {parts}"


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES)


def import_warc(
    project: Project,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> WarcReport:
    """Import every article in one archive; see the module docstring."""
    report = WarcReport(path)
    try:
        handle = path.open("rb")
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(path, f"cannot read: {exc.strerror or exc}") from exc
    with handle:
        waiting: list[NewDocument] = []
        for doc in _documents(path, handle, report):
            waiting.append(doc)
            if len(waiting) >= BATCH:
                _store(project, waiting, report)
            if progress is not None:
                progress(handle.tell(), size)
            if cancelled is not None and cancelled():
                break
        _store(project, waiting, report)
        if progress is not None:
            progress(size, size)
    return report


def _store(project: Project, docs: list[NewDocument], report: WarcReport) -> None:
    if docs:
        result = project.add_documents(docs).value
        report.added += result.added
        report.duplicates += len(result.duplicates)
        docs.clear()


def _documents(path: Path, handle: BinaryIO, report: WarcReport) -> Iterator[NewDocument]:
    from warcio.archiveiterator import ArchiveIterator  # here: only archives need it

    records = iter(ArchiveIterator(handle))
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except Exception as exc:  # gzip, zlib, warcio's own: a hostile file must not stop the import
            report.skipped[_damage(exc)] += 1  # warcio cannot resynchronise: the rest is lost
            return
        report.records += 1
        if record.rec_type != "response":
            continue
        try:
            found = _article(path, record, report)
        except Exception:  # a record warcio parsed but cannot read to its end
            report.skipped["truncated"] += 1
            return
        if found is not None:
            yield found


def _damage(exc: BaseException) -> str:
    name = type(exc).__name__
    return "truncated" if "EOF" in name or "truncat" in str(exc).lower() else "unreadable"


def _article(path: Path, record: Any, report: WarcReport) -> NewDocument | None:
    http = record.http_headers
    if http is None or not str(http.get_statuscode() or "").startswith("2"):
        report.skipped["not a 200 HTTP response"] += 1
        return None
    kind = str(http.get_header("Content-Type") or "").lower()
    if "html" not in kind:
        report.skipped["not HTML"] += 1
        return None
    payload = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(payload) > MAX_RECORD_BYTES:
        report.skipped["too large"] += 1
        return None
    if getattr(record.raw_stream, "limit", 0) > 0:  # the file ended before the length the record declared
        report.skipped["truncated"] += 1
        return None
    url = str(record.rec_headers.get_header("WARC-Target-URI") or "")
    crawled = str(record.rec_headers.get_header("WARC-Date") or "")
    named = Path(url.rstrip("/").rsplit("/", 1)[-1] or path.name)
    try:
        doc = html_document(payload, named, None)
    except ImportRefused:
        report.skipped["no article text"] += 1
        return None
    meta = {**doc.meta, "file": path.name, "warc_target_uri": url, "warc_date": crawled}
    return doc.model_copy(update={"url": doc.url or url, "meta": meta})
