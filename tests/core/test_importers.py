"""Importers against a real project file: sample corpus, encodings, JSONL, HTML, progress, cancel."""

from __future__ import annotations

import hashlib
import json
import socket
import uuid
from pathlib import Path

import pytest

from app.formats.articles import FileReport, ImportReport, import_paths
from app.formats.articles.jsonl import parse_jsonl
from app.storage.documents import random_uuids
from app.storage.project import Project
from app.text.utf8 import utf8

SAMPLE = Path(__file__).resolve().parents[2] / "sample_corpus"
BODY = "First line of the story.\nSecond line, with a\u00a0non-breaking space.\n"


def only(report: ImportReport) -> FileReport:
    assert len(report.files) == 1
    return report.files[0]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


# ---- the sample corpus ----------------------------------------------------
def test_sample_corpus_takes_metadata_from_the_manifest(project: Project) -> None:
    report = import_paths(project, [SAMPLE])
    assert report.counts == {"imported": 5, "skipped": 0, "refused": 0, "added": 5, "duplicates": 0}
    manifest = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))["documents"]
    for entry, item in zip(manifest, report.files, strict=True):
        assert item.path.name == entry["file"]
        doc = project.document(item.added[0])
        assert (doc.title, doc.source, doc.published) == (entry["title"], entry["source"], entry["published"])
        assert doc.meta["file"] == entry["file"] and doc.meta["notes"] == entry["notes"]
    assert project.document(report.files[3].added[0]).meta["author"] == "Rachel Brooks"


def test_sample_date_header_is_removed_and_becomes_published(project: Project) -> None:
    report = import_paths(project, [SAMPLE / "000_7a6b2ce8cf9b9deb.txt"])
    doc = project.document(only(report).added[0])
    raw = (SAMPLE / "000_7a6b2ce8cf9b9deb.txt").read_text(encoding="utf-8")
    assert raw.startswith(" date 2020-10-06 Canada on October 5")
    assert doc.text == raw.removeprefix(" date 2020-10-06 ")
    assert doc.text.startswith("Canada on October 5")
    assert doc.published == "2020-10-06"
    assert doc.meta["removed_header"] == " date 2020-10-06 "


def test_sample_texts_are_stored_exactly_as_written(project: Project) -> None:
    report = import_paths(project, [SAMPLE])
    for item in report.files[1:]:
        raw = item.path.read_text(encoding="utf-8")
        assert project.text(item.added[0]) == raw
    texts = [project.text(item.added[0]) for item in report.files]
    assert "[ad_1]" in texts[2] and "\u00a0" in texts[1] and "\u00a0" in texts[3]


def test_importing_twice_skips_every_document_as_duplicate(project: Project) -> None:
    import_paths(project, [SAMPLE])
    again = import_paths(project, [SAMPLE])
    assert [item.status for item in again.files] == ["skipped"] * 5
    assert all(item.duplicates == 1 and "already in the project" in item.reason for item in again.files)
    assert again.added == () and again.duplicates == 5 and again.refused == []
    assert project.stats().documents == 5


# ---- encodings and line endings -------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32"])
def test_byte_order_marks_are_honoured(project: Project, tmp_path: Path, encoding: str) -> None:
    boms = {"utf-16-le-bom": (b"\xff\xfe", "utf-16-le"), "utf-16-be-bom": (b"\xfe\xff", "utf-16-be")}
    bom, codec = boms.get(encoding, (b"", encoding))
    path = write(tmp_path / "in" / "story.txt", bom + BODY.encode(codec))
    doc = project.document(only(import_paths(project, [path])).added[0])
    assert doc.text == BODY
    assert not doc.text.startswith("\ufeff")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_lone_cr_become_lf(project: Project, tmp_path: Path, newline: str) -> None:
    path = write(tmp_path / "story.txt", BODY.replace("\n", newline))
    doc = project.document(only(import_paths(project, [path])).added[0])
    assert doc.text == BODY and "\r" not in doc.text


def test_mixed_line_endings_in_utf16(project: Project, tmp_path: Path) -> None:
    text = "Headline\r\nOne.\rTwo.\nThree.\r\n"
    path = write(tmp_path / "story.md", b"\xff\xfe" + text.encode("utf-16-le"))
    assert project.text(only(import_paths(project, [path])).added[0]) == "Headline\nOne.\nTwo.\nThree.\n"


# ---- metadata without a manifest ------------------------------------------
def test_header_and_title_without_manifest(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path / "story", "date 2021-01-02\nDrones over the Caucasus\nBody text.\n")
    doc = project.document(only(import_paths(project, [path])).added[0])
    assert doc.published == "2021-01-02" and doc.meta["removed_header"] == "date 2021-01-02\n"
    assert doc.title == "Drones over the Caucasus"
    assert doc.text == "Drones over the Caucasus\nBody text.\n"
    assert doc.meta == {"removed_header": "date 2021-01-02\n", "file": "story"}


@pytest.mark.parametrize("first_line", ["This is a sentence, not a headline.", "x" * 151, "Who knew?"])
def test_title_falls_back_to_file_stem(project: Project, tmp_path: Path, first_line: str) -> None:
    path = write(tmp_path / "my-article.txt", f"\n\n{first_line}\nMore.\n")
    assert project.document(only(import_paths(project, [path])).added[0]).title == "my-article"


def test_manifest_wins_but_header_fills_gaps(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write(folder / "a.txt", " date 2019-05-06 Lead paragraph here.\n")
    write(folder / "b.txt", "Own headline\nBody.\n")
    write(
        folder / "manifest.json",
        json.dumps(
            {
                "documents": [
                    {"file": "a.txt", "title": "From manifest", "source": "Outlet", "published": None, "lang": "en"},
                ]
            }
        ),
    )
    report = import_paths(project, [folder])
    assert [item.path.name for item in report.files] == ["a.txt", "b.txt"]
    first, second = (project.document(item.added[0]) for item in report.files)
    assert (first.title, first.source, first.published) == ("From manifest", "Outlet", "2019-05-06")
    assert first.text == "Lead paragraph here.\n" and first.meta["lang"] == "en"
    assert (second.title, second.source, second.published) == ("Own headline", "", None)


# ---- JSONL ----------------------------------------------------------------
def jsonl(*records: object) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def test_jsonl_imports_every_line(project: Project, tmp_path: Path) -> None:
    path = write(
        tmp_path / "batch.jsonl",
        jsonl(
            {
                "text": "First story.\r\nWith CRLF.",
                "title": "One",
                "source": "Wire",
                "published": "2021-04-12",
                "url": "https://example.invalid/1",
                "meta": {"lang": "en"},
                "section": "world",
            },
            {"text": "Second story\u2028with a line separator.", "published": None},
        )
        + "\n   \n"
        + jsonl({"text": "Third.", "meta": {"file": "ignored"}}),
    )
    item = only(import_paths(project, [path]))
    assert item.status == "imported" and len(item.added) == 3 and item.duplicates == 0
    one, two, three = (project.document(doc) for doc in item.added)
    assert (one.title, one.source, one.url, one.published) == ("One", "Wire", "https://example.invalid/1", "2021-04-12")
    assert one.text == "First story.\nWith CRLF."
    assert one.meta == {"section": "world", "lang": "en", "file": "batch.jsonl", "line": 1}
    assert two.text == "Second story\u2028with a line separator." and two.published is None
    assert three.meta == {"file": "batch.jsonl", "line": 5} and three.title == "batch line 5"


def test_jsonl_texts_scanned_once_reach_the_store_as_their_own(project: Project, tmp_path: Path) -> None:
    """The parser's UTF-8 scan of each escaped text is handed to the store (not encoded again):
    each must be its own text's, or a hash, a dedup or a search row would belong to another."""
    envoys = "Çavuşoğlu met 😀 envoys."
    texts = [envoys, "Işık Koşaner said\r\nno.", "plain words", "мой дом", envoys]
    path = write(tmp_path / "escaped.jsonl", "\n".join(json.dumps({"text": text}) for text in texts))  # \u escapes
    parsed = parse_jsonl(path)
    assert [scan == utf8(doc.text) for doc, scan in zip(parsed, parsed.scans, strict=True)] == [True] * 5
    assert parsed[1].text == "Işık Koşaner said\nno."  # the escaped CRLF made LF, and scanned after that
    item = only(import_paths(project, [path]))
    assert len(item.added) == 4 and item.duplicates == 1
    for doc_id, text in zip(item.added, [texts[0], "Işık Koşaner said\nno.", texts[2], texts[3]], strict=True):
        stored = project.document(doc_id)
        assert stored.text == text and stored.text_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert [hit.document_id for hit in project.search("isik")] == [item.added[1]]  # its folded search row
    unescaped = write(tmp_path / "raw.jsonl", json.dumps({"text": "Ça va"}, ensure_ascii=False))
    assert parse_jsonl(unescaped).scans == [None]  # nothing to look at: the store encodes it


def test_new_documents_get_random_version_4_uuids() -> None:
    made = random_uuids(2_000)
    assert len(set(made)) == 2_000
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122
    assert {text[19] for text in made} == set("89ab")  # every variant digit occurs


def test_jsonl_duplicates_within_file_and_against_project(project: Project, tmp_path: Path) -> None:
    first = write(tmp_path / "a.jsonl", jsonl({"text": "Alpha."}, {"text": "Beta."}, {"text": "Alpha."}))
    item = only(import_paths(project, [first]))
    assert item.status == "imported" and len(item.added) == 2 and item.duplicates == 1
    second = write(tmp_path / "b.jsonl", jsonl({"text": "Beta."}, {"text": "Gamma."}))
    item = only(import_paths(project, [second]))
    assert item.status == "imported" and len(item.added) == 1 and item.duplicates == 1
    item = only(import_paths(project, [first]))
    assert item.status == "skipped" and item.duplicates == 3 and "all 3 documents" in item.reason
    assert sorted(project.text(d.id) for d in project.documents()) == ["Alpha.", "Beta.", "Gamma."]


# ---- HTML -----------------------------------------------------------------
PARAGRAPHS = [
    "Canada has cancelled export permits for drone sensors to Turkey after a review found they"
    " were used in Nagorno-Karabakh.",
    "Foreign Minister Marc Garneau said the use of the technology was not consistent with Canadian"
    " foreign policy or end-use assurances.",
    "Turkey called the decision unfortunate and said it would review its procurement from Canadian"
    " firms in the coming months.",
]
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Canada halts drone exports | Example News</title>
<meta property="og:title" content="Canada halts drone exports">
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://news.example.invalid/canada-drones">
<meta property="article:published_time" content="2021-04-12T10:00:00Z">
<script>alert(1)</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li></ul></nav>
<div class="ad">Buy cheap sunglasses now! Advertisement</div>
<article>
<h1>Canada halts drone exports</h1>
<p>{PARAGRAPHS[0]}</p>
<img src="http://example.invalid/x.png" alt="drone picture">
<script>alert(1)</script>
<p>{PARAGRAPHS[1]}</p>
<p>{PARAGRAPHS[2]}</p>
</article>
<aside>Most read: ten things you missed</aside>
<footer><p>Copyright 2021 Example News. All rights reserved. Privacy policy.</p></footer>
</body></html>
"""


def _no_network(*args: object) -> None:
    raise AssertionError("the importer tried to use the network")


def test_html_keeps_only_the_article(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)
    path = write(tmp_path / "page.html", PAGE.replace("\n", "\r\n"))
    doc = project.document(only(import_paths(project, [path])).added[0])
    assert doc.text == "\n".join(["Canada halts drone exports", *PARAGRAPHS])
    for noise in ("alert", "Home", "World news", "sunglasses", "Copyright", "Most read", "x.png", "picture"):
        assert noise not in doc.text
    assert (doc.title, doc.source, doc.url, doc.published) == (
        "Canada halts drone exports",
        "Example News",
        "https://news.example.invalid/canada-drones",
        "2021-04-12",
    )
    assert doc.meta["file"] == "page.html"


def test_html_in_a_declared_legacy_charset(project: Project, tmp_path: Path) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"')
    page = page.replace("Turkey called", "Türkiye called")
    path = write(tmp_path / "legacy.htm", page.encode("cp1252"))
    assert "Türkiye called" in project.text(only(import_paths(project, [path])).added[0])


# ---- folders, progress, cancelling ----------------------------------------
def test_folders_expand_sorted_skipping_hidden_files(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    for name in ("b.txt", "a.txt", "sub/c.txt", ".hidden.txt", ".git/d.txt", "sub/.e.txt"):
        write(folder / name, f"Story {name}.\n")
    report = import_paths(project, [folder, folder / "a.txt"])
    found = [item.path.relative_to(folder).as_posix() for item in report.files]
    assert found == ["a.txt", "b.txt", "sub/c.txt"]


def test_progress_is_reported_per_file(project: Project, tmp_path: Path) -> None:
    paths = [write(tmp_path / f"{i}.txt", f"Story {i}.\n") for i in range(3)]
    calls: list[tuple[int, int, Path]] = []
    import_paths(project, [*paths, tmp_path / "missing.txt"], progress=lambda *call: calls.append(call))
    assert calls == [(1, 4, paths[0]), (2, 4, paths[1]), (3, 4, paths[2]), (4, 4, tmp_path / "missing.txt")]


def test_cancel_stops_between_files_and_keeps_earlier_ones(project: Project, tmp_path: Path) -> None:
    paths = [write(tmp_path / f"{i}.txt", f"Story {i}.\n") for i in range(5)]
    done: list[int] = []
    report = import_paths(project, paths, progress=lambda d, t, p: done.append(d), cancelled=lambda: len(done) >= 2)
    assert report.cancelled and [item.path for item in report.files] == paths[:2]
    assert sorted(project.text(d.id) for d in project.documents()) == ["Story 0.\n", "Story 1.\n"]


def test_report_properties(project: Project, tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Good story.\n")
    bad = write(tmp_path / "bad.pdf", b"%PDF-1.4")
    report = import_paths(project, [good, bad])
    assert report.added == report.files[0].added and len(report.added) == 1
    assert [item.path for item in report.refused] == [bad]
    assert report.counts == {"imported": 1, "skipped": 0, "refused": 1, "added": 1, "duplicates": 0}
