"""Issue 10, defects 5-8: messages name the user's file, no tracebacks for hostile input,
line ends normalised in the core, leftovers of killed processes cleaned at the next run,
and a plain open or a refused import leaves the file byte-identical."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from app.cli import main
from app.errors import ImportRefused
from app.formats.articles import import_paths
from app.formats.readers import import_annotations
from app.models import NewDocument
from app.storage.project import Project
from tests.core.hostile_projects import flip, foreign_wal, root_page
from tests.core.store_helpers import kill_once_said, sha


def test_crlf_added_through_the_core_is_stored_as_lf(project: Project) -> None:
    (doc,) = project.add_documents([NewDocument(text="one\r\ntwo\rthree\r\n")]).value.added
    assert project.text(doc) == "one\ntwo\nthree\n"
    span = project.add_span(doc, 8, 13, "PERSON", "ana").value
    assert span.quote == "three"  # what the views show at 8-13


def test_a_plain_open_and_a_refused_import_leave_the_file_byte_identical(project_path: Path, tmp_path: Path) -> None:
    before = sha(project_path)
    Project.open(project_path).close()
    assert sha(project_path) == before
    (tmp_path / "empty.txt").write_bytes(b"")
    with Project.open(project_path) as project:
        assert import_paths(project, [tmp_path / "empty.txt"]).files[0].status == "refused"
    assert sha(project_path) == before


def test_a_damaged_file_is_named_not_its_temporary_copy(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project_path.write_bytes(flip(root_page("label"), 0)(project_path)[""])
    assert main(["info", str(project_path)]) == 1
    err = capsys.readouterr().err
    assert str(project_path) in err and tempfile.gettempdir() + "/parallax-" not in err, err


def test_a_symlink_loop_given_to_import_is_refused_plainly(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    assert main(["import", str(project_path), str(tmp_path / "loop")]) == 1
    captured = capsys.readouterr()
    assert "symbolic link that loops" in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize("fmt", [None, "jsonl", "labelstudio", "doccano"])
def test_deeply_nested_json_given_to_import_annotations_is_refused(
    project_path: Path, tmp_path: Path, fmt: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "\n" if fmt != "doccano" else '{"text": ' + "[" * 100_000 + "\n")
    before = sha(project_path)
    assert main(["import-annotations", str(project_path), str(deep), *(["-f", fmt] if fmt else [])]) == 1
    err = capsys.readouterr().err
    assert str(deep) in err and "Traceback" not in err, err
    assert sha(project_path) == before


def test_a_lone_surrogate_in_jsonl_is_one_plain_line(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n{"text": "bad \\ud800 here"}\n', encoding="utf-8")
    [item] = import_paths(project, [path]).files
    assert item.status == "refused"
    assert item.reason == "line 2: holds a lone surrogate '\\ud800', which is not text"


def test_a_lone_surrogate_anywhere_in_a_jsonl_record_is_refused(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "nested.jsonl"
    for record, where in (
        ('{"text": "ok \\ud83d\\ude00", "meta": {"tags": ["a", {"deep": "x \\udc00"}]}}', "'\\udc00'"),
        ('{"text": "ok", "meta": {"k\\udbff": 1}}', "'\\udbff'"),
        ('{"text": "ok", "extra": ["\\ud800"]}', "'\\ud800'"),
        ('{"text": "upper case \\uDC01"}', "'\\udc01'"),
    ):
        path.write_text(record + "\n", encoding="utf-8")
        [item] = import_paths(project, [path]).files
        assert item.reason == f"line 1: holds a lone surrogate {where}, which is not text"
    path.write_text('{"text": "a pair is fine \\ud83d\\ude00", "meta": {"\\u00e9": ["\\u00e7"]}}\n', encoding="utf-8")
    [item] = import_paths(project, [path]).files
    assert item.status == "imported" and project.text(item.added[0]) == "a pair is fine 😀"


def test_a_newline_in_a_file_name_keeps_one_line_per_file(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "two\nlines.txt").write_text("An article.\n", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("Another article.\n", encoding="utf-8")
    assert main(["import", str(project_path), str(tmp_path / "two\nlines.txt"), str(tmp_path / "plain.txt")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and out[0].endswith("two\\nlines.txt"), out


HOLD_EXPORT = """
import sys
from pathlib import Path
from app.formats.atomic import atomic_binary
with atomic_binary(Path(sys.argv[1])) as handle:
    handle.write(b"half")
    print("writing", flush=True)
    sys.stdin.read()
"""

HOLD_SNAPSHOT = """
import sys
from app.storage.project import Project
with Project.snapshot(sys.argv[1]):
    print("reading", flush=True)
    sys.stdin.read()
"""


def test_a_killed_export_leaves_a_temporary_file_the_next_export_removes(project_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    kill_once_said(HOLD_EXPORT, "writing", str(out))
    assert [p.name.endswith(".tmp") for p in tmp_path.glob(".out.jsonl.*")] == [True]
    assert main(["export", str(project_path), "-f", "jsonl", "-o", str(out)]) == 0
    assert list(tmp_path.glob(".out.jsonl.*")) == [] and out.exists()


def test_a_killed_read_only_command_leaves_a_copy_the_next_one_removes(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # the child's temporary folder
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # and ours
    kill_once_said(HOLD_SNAPSHOT, "reading", str(project_path))
    [left] = list(scratch.iterdir())
    assert (left / project_path.name).exists()
    assert main(["info", str(project_path)]) == 0
    assert list(scratch.iterdir()) == []


def test_the_cli_says_a_stray_log_was_set_aside(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = foreign_wal(project_path)
    project_path.with_name(project_path.name + "-wal").write_bytes(files["-wal"])
    assert main(["labels", str(project_path), "add", "Weapon"]) == 0
    err = capsys.readouterr().err
    assert "parallax: note:" in err and "was not applied; it is kept as test.parallax.stray-" in err, err
    assert not project_path.with_name(project_path.name + "-wal").exists()


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "conll", "conllu", "prodigy"])
def test_a_file_not_utf8_or_unreadable_is_refused_by_name(project: Project, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Montréal".encode("latin-1"))
    with pytest.raises(ImportRefused, match=r"latin1\.txt: not UTF-8 text \(byte 5\)"):
        import_annotations(project, path, fmt)
    with pytest.raises(ImportRefused, match=r"cannot read \("):
        import_annotations(project, tmp_path, fmt)  # a folder, not a file
    assert project.documents() == []
