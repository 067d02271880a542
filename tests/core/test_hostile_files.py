"""Hostile input files: each is refused with a reason naming the problem, and leaves the project as it was."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.formats.articles import FileReport, import_paths
from app.storage.project import Project

SAMPLE = Path(__file__).resolve().parents[2] / "sample_corpus"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
BIG = 50_000_000
SCRIPT_ONLY = (
    "<html><head><title>Empty</title><script>var secret = 'SCRIPT-TEXT';</script></head>"
    "<body><nav><a href='/'>Home</a></nav><script>document.write('SCRIPT-TEXT')</script>"
    "<footer>Copyright</footer></body></html>"
)
ARTICLE_WITH_SCRIPT = (
    "<html><body><article><p>Officials confirmed the permits were cancelled on Monday"
    " after the review.</p><script>alert('SCRIPT-TEXT')</script><p>The ministry"
    " gave no further details.</p></article></body></html>"
)


def sparse(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(BIG)


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


# name -> (contents or a writer, expected status, words the reason must contain)
CASES: dict[str, tuple[bytes | str | Callable[[Path], None], str, tuple[str, ...]]] = {
    "empty.txt": (b"", "refused", ("no text",)),
    "blank.txt": (" \n\t \r\n\u00a0\n", "refused", ("no text",)),
    "header-only.txt": (" date 2020-10-06 \n", "refused", ("no text",)),
    "image.png": (PNG, "refused", ("unsupported file type", ".png")),
    "image.txt": (PNG, "refused", ("looks binary",)),
    "image": (PNG, "refused", ("looks binary",)),
    "nul.txt": (b"Some ordinary text\x00with a NUL in it.\n", "refused", ("looks binary", "NUL")),
    "controls.txt": (bytes(range(1, 9)) * 4 + b"some text", "refused", ("looks binary", "control")),
    "latin1.txt": ("Caf\u00e9 society.".encode("latin-1"), "refused", ("invalid UTF-8 at byte 3",)),
    "utf16.txt": (b"\xff\xfe" + "UTF-16 with a BOM is fine.\r\n".encode("utf-16-le"), "imported", ()),
    "utf16-odd.txt": (b"\xff\xfe" + "odd".encode("utf-16-le") + b"x", "refused", ("invalid UTF-16-LE", "byte 8")),
    "utf16-nul.txt": (b"\xff\xfe" + "text\x00more".encode("utf-16-le"), "refused", ("looks binary",)),
    "big.txt": (sparse, "refused", ("too large", "47.7 MiB", "10.0 MiB")),
    "script-only.html": (SCRIPT_ONLY, "refused", ("no article text found",)),
    "article-with-script.html": (ARTICLE_WITH_SCRIPT, "imported", ()),
    "binary.html": (PNG, "refused", ("looks binary",)),
    "latin1.html": (b"<html><body><p>Caf\xe9 society.</p></body></html>", "refused", ("invalid UTF-8 at byte 18",)),
    "base64.html": (b'<meta charset="base64"><p>Caf\xe9</p>', "refused", ("unknown text encoding 'base64'",)),
    "wrong-type.jsonl": (
        lines('{"text": "ok"}', '{"text": "ok too", "title": 5}'),
        "refused",
        ("line 2", "'title' must be a string"),
    ),
    "invalid.jsonl": (lines('{"text": "ok"}', "", '{"text": "broken'), "refused", ("line 3", "invalid JSON")),
    "nan.jsonl": (lines('{"text": "ok", "meta": {"score": NaN}}'), "refused", ("line 1", "invalid JSON", "NaN")),
    "no-text.jsonl": (lines('{"title": "No body"}'), "refused", ("line 1", "'text' is missing")),
    "empty-text.jsonl": (lines('{"text": "  "}'), "refused", ("line 1", "'text' is empty")),
    "not-object.jsonl": (lines("[1, 2]"), "refused", ("line 1", "expected a JSON object", "a list")),
    "meta-list.jsonl": (lines('{"text": "ok", "meta": []}'), "refused", ("line 1", "'meta' must be an object")),
    "bad-date.jsonl": (
        lines('{"text": "ok", "published": "April 5"}'),
        "refused",
        ("line 1", "'published' must be an ISO date", "April 5"),
    ),
    "nul-text.jsonl": (lines('{"text": "a\\u0000b"}'), "refused", ("line 1", "'text' looks binary")),
    "control-escapes.jsonl": (
        lines('{"text": "fine"}', '{"text": "x' + "\\u0001\\u001F\\b\\u007f" * 3 + '"}'),
        "refused",
        ("line 2", "'text' looks binary (12 control characters)"),
    ),
    "raw-del.jsonl": (  # DEL is legal raw inside a JSON string; this line, not the file, is binary
        lines(*['{"text": "' + "plain prose " * 200 + '"}'] * 5, '{"text": "a' + "\x7f" * 9 + '"}'),
        "refused",
        ("line 6", "'text' looks binary (9 control characters)"),
    ),
    "deep.jsonl": ("[" * 100_000 + "\n", "refused", ("could not be read", "RecursionError")),
    # The whole file's binary check runs only when it could find something: still first.
    "binary-after-bad-line.jsonl": (
        lines('{"text": 5}', "\x01\x02\x03\x04\x05\x06\x07\x08\x0e" * 4),
        "refused",
        ("looks binary (36 control characters)",),
    ),
    "separator-blank-lines.jsonl": (lines('{"text": "ok"}', *["\x1c\x1d\x1e\x1f"] * 4), "refused", ("looks binary",)),
    "value-across-lines.jsonl": (lines('{"text":', '"split"}'), "refused", ("line 1", "invalid JSON")),
    "spaces-around.jsonl": (lines('  {"text": "padded"}  ', "\t"), "imported", ()),
    "blank-lines.jsonl": ("\n\n  \n", "refused", ("no text",)),
    "report.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "refused", ("unsupported file type", ".pdf")),
}


def dump_sha(project: Project) -> str:
    """A fingerprint of every row of every table, read through a second connection."""
    with sqlite3.connect(f"file:{project.path}?mode=ro", uri=True) as conn:
        dump = "\n".join(conn.iterdump())
    conn.close()
    return hashlib.sha256(dump.encode("utf-8")).hexdigest()


@pytest.fixture
def seeded(project: Project) -> Project:
    assert import_paths(project, [SAMPLE]).counts["added"] == 5
    return project


def make(folder: Path, name: str) -> Path:
    contents = CASES[name][0]
    path = folder / name
    if callable(contents):
        contents(path)
    else:
        path.write_bytes(contents.encode("utf-8") if isinstance(contents, str) else contents)
    return path


def check(item: FileReport, name: str) -> None:
    _, status, words = CASES[name]
    assert item.status == status, item
    for word in words:
        assert word in item.reason, item


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_hostile_file(seeded: Project, tmp_path: Path, name: str) -> None:
    path = make(tmp_path, name)
    before = (seeded.stats(), seeded.documents(), dump_sha(seeded))
    report = import_paths(seeded, [path])
    assert len(report.files) == 1 and report.files[0].path == path
    check(report.files[0], name)
    after = (seeded.stats(), seeded.documents(), dump_sha(seeded))
    if CASES[name][1] == "refused":
        assert after == before
    else:
        assert after[0].documents == before[0].documents + 1
        assert "SCRIPT-TEXT" not in seeded.text(report.added[0])


def test_large_file_is_refused_without_being_read(
    seeded: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make(tmp_path, "big.txt")

    real_open, real_read = Path.open, Path.read_bytes

    def refuse_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise AssertionError(f"{self} was opened")
        return real_open(self, *args, **kwargs)

    def refuse_read(self: Path) -> bytes:
        if self == path:
            raise AssertionError(f"{self} was read")
        return real_read(self)

    monkeypatch.setattr(Path, "open", refuse_open)
    monkeypatch.setattr(Path, "read_bytes", refuse_read)
    check(import_paths(seeded, [path]).files[0], "big.txt")


def test_a_folder_of_hostile_files_imports_the_good_ones(seeded: Project, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"  # beside the project file, not around it
    folder.mkdir()
    for name in CASES:
        make(folder, name)
    report = import_paths(seeded, [folder, folder / "not-there.txt"])
    by_name = {item.path.name: item for item in report.files}
    assert set(by_name) == {*CASES, "not-there.txt"}
    for name in CASES:
        check(by_name[name], name)
    assert by_name["not-there.txt"].status == "refused"
    assert by_name["not-there.txt"].reason == "no such file or folder"
    assert seeded.stats().documents == 5 + sum(status == "imported" for _, status, _ in CASES.values())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_refused_without_blocking(seeded: Project, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    item = import_paths(seeded, [pipe]).files[0]
    assert item.status == "refused" and item.reason == "not a regular file"


MANIFESTS = {
    "invalid JSON": ('{"documents": [', ("invalid JSON at line 1",)),
    "wrong top level": ("[]", ("must be a JSON object",)),
    "wrong type": (
        json.dumps({"documents": [{"file": "a.txt"}, {"file": "b.txt", "title": 3}]}),
        ("document 2 ('b.txt')", "'title' must be a string"),
    ),
    "missing file": (json.dumps({"documents": [{"title": "x"}]}), ("'file' is missing",)),
    "listed twice": (json.dumps({"documents": [{"file": "a.txt"}, {"file": "a.txt"}]}), ("listed twice",)),
    "bad date": (
        json.dumps({"documents": [{"file": "a.txt", "published": "yesterday"}]}),
        ("'published' must be an ISO date",),
    ),
}


@pytest.mark.parametrize("case", sorted(MANIFESTS))
def test_invalid_manifest_refuses_its_folder(seeded: Project, tmp_path: Path, case: str) -> None:
    """A bad manifest refuses every file of its folder: importing them without it would
    store wrong metadata, and since texts never change a later import could not correct it."""
    manifest, words = MANIFESTS[case]
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "manifest.json").write_text(manifest, encoding="utf-8")
    (folder / "a.txt").write_text("Story A.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Story B.\n", encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text("Story C.\n", encoding="utf-8")
    before = dump_sha(seeded)
    report = import_paths(seeded, [folder])
    assert [item.status for item in report.files] == ["refused", "refused"]
    for item in report.files:
        assert "manifest.json in this folder is invalid" in item.reason
        assert all(word in item.reason for word in words), item.reason
    assert dump_sha(seeded) == before
    assert [item.status for item in import_paths(seeded, [tmp_path / "elsewhere.txt"]).files] == ["imported"]


def test_naming_the_manifest_itself_is_not_an_error(project: Project) -> None:
    item = import_paths(project, [SAMPLE / "manifest.json"]).files[0]
    assert item.status == "skipped" and "metadata" in item.reason
    assert project.stats().documents == 0
