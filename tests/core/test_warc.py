"""WARC import: archives written here with warcio, hostile records included."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from app.formats.articles import import_paths
from app.formats.articles.warc import import_warc
from app.storage.project import Project

PAGE = """<html><head><title>{title}</title><meta charset="utf-8"></head><body>
<nav>Home | World | Sport</nav>
<article><h1>{title}</h1>
<p>{body} The council met on Tuesday and voted seven to two in favour of the plan, officials said.</p>
<p>Residents had argued for months that the old bridge over the river was unsafe for buses and lorries.</p>
<p>Work is expected to begin in the spring and to last about eighteen months, the mayor told reporters.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def response(
    writer: WARCWriter, url: str, payload: bytes, kind: str = "text/html; charset=utf-8", status: str = "200 OK"
) -> None:
    http = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(payload),
        length=len(payload),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-05-02T10:00:00Z"},
    )
    writer.write_record(record)


def page(title: str, body: str) -> bytes:
    return PAGE.format(title=title, body=body).encode("utf-8")


def archive(path: Path, gzipped: bool, extra: bool = True) -> Path:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        response(
            writer,
            "https://news.example/a/bridge-vote.html",
            page("Council votes for new bridge", "A new bridge will be built."),
        )
        if extra:
            response(writer, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, kind="image/png")
            response(writer, "https://news.example/gone", page("Gone", "Not here."), status="404 Not Found")
            response(writer, "https://news.example/empty", b"<html><body><nav>menu</nav></body></html>")
        response(
            writer,
            "https://news.example/b/bridge-reaction.html",
            page("Residents welcome bridge vote", "People cheered."),
        )
    return path


@pytest.mark.parametrize("gzipped", [True, False])
def test_articles_are_imported_with_url_and_crawl_date(project: Project, tmp_path: Path, gzipped: bool) -> None:
    path = archive(tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc"), gzipped)
    seen: list[tuple[int, int]] = []
    report = import_warc(project, path, progress=lambda done, total: seen.append((done, total)))
    assert len(report.added) == 2
    docs = [project.document(d) for d in report.added]
    assert [d.title for d in docs] == ["Council votes for new bridge", "Residents welcome bridge vote"]
    assert docs[0].url == "https://news.example/a/bridge-vote.html"
    assert docs[0].meta["warc_date"] == "2024-05-02T10:00:00Z"
    assert "Home | World" not in docs[0].text and "voted seven to two" in docs[0].text
    assert report.skipped == {"not HTML": 1, "not a 200 HTTP response": 1, "no article text": 1}
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)


def test_a_truncated_archive_keeps_what_came_before(project: Project, tmp_path: Path) -> None:
    whole = archive(tmp_path / "whole.warc.gz", True, extra=False).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) - 200])
    report = import_warc(project, cut)
    assert len(report.added) == 1
    assert report.skipped == {"truncated": 1}


@pytest.mark.parametrize(("delta", "added", "skipped"), [(5000, 0, "truncated"), (-100, 1, "unreadable")])
def test_wrong_content_length_is_skipped_not_raised(
    project: Project, tmp_path: Path, delta: int, added: int, skipped: str
) -> None:
    """Too long: the record runs past the end of the file. Too short: the next
    record cannot be found. Either way the rest of the file is counted once."""
    plain = archive(tmp_path / "plain.warc", False, extra=False).read_bytes()
    first = plain.index(b"Content-Length: ", plain.index(b"WARC-Type: response"))
    end = plain.index(b"\r\n", first)
    length = int(plain[first + 16 : end])
    broken = tmp_path / "broken.warc"
    broken.write_bytes(plain[: first + 16] + str(length + delta).encode() + plain[end:])
    report = import_warc(project, broken)
    assert len(report.added) == added
    assert report.skipped == {skipped: 1}


def test_garbage_and_huge_records(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(gzip.compress(b"this is not a web archive\r\n" * 100))
    assert import_warc(project, garbage).added == []
    monkeypatch.setattr("app.formats.articles.warc.MAX_RECORD_BYTES", 500)
    report = import_warc(project, archive(tmp_path / "big.warc.gz", True, extra=False))
    assert report.added == [] and report.skipped == {"too large": 2}


def test_import_paths_takes_archives_and_reports_skips(project: Project, tmp_path: Path) -> None:
    path = archive(tmp_path / "crawl.warc.gz", True)
    report = import_paths(project, [path])
    assert report.counts["added"] == 2
    assert report.files[0].reason == "3 records skipped: 1 no article text, 1 not HTML, 1 not a 200 HTTP response"
    again = import_paths(project, [path])
    assert again.files[0].status == "skipped" and again.duplicates == 2
