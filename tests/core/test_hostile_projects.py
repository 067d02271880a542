"""Received project files that are hostile: each opens safely or is refused naming the
user's file, runs none of its own SQL, stays within the checks' time budget, and is left
byte-identical. Opening, the read-only commands and merge treat them alike."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.cli import main
from app.errors import ProjectError
from app.storage import connection
from app.storage.guard import STEPS_PER_CALL, Guard
from app.storage.project import Project
from app.team.merge import merge_projects
from tests.core import hostile_projects as h

TABLES = (
    "document",
    "label",
    "annotator",
    "span",
    "link",
    "review_session",
    "verdict",
    "verdict_evidence",
    "setting",
    "adjudication",
    "document_search_content",
)
TRIGGERS = {
    f"trigger on {table}": h.Case(
        h.sql(f"CREATE TRIGGER evil_{table} AFTER INSERT ON {table} BEGIN DELETE FROM link; END"),
        "refused",
        (f"trigger 'evil_{table}'", "does not make"),
    )
    for table in TABLES
}
FOREVER = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n"
ABORT = "RAISE(ABORT, 'document text is immutable')"

CASES: dict[str, h.Case] = {
    **TRIGGERS,
    "trigger that swallows span inserts": h.Case(
        h.sql("CREATE TRIGGER quiet BEFORE INSERT ON span BEGIN SELECT RAISE(IGNORE); END"),
        "refused",
        ("trigger 'quiet'",),
    ),
    "our trigger with another body": h.Case(
        h.rewrite("document_text_immutable", ABORT, "NULL"), "refused", ("trigger 'document_text_immutable'", "differs")
    ),
    "view that never ends": h.Case(h.sql(f"CREATE VIEW forever AS {FOREVER}"), "refused", ("view 'forever'",)),
    "table replaced by a never-ending view": h.Case(
        h.sql("DROP TABLE setting", f"CREATE VIEW setting(key, value) AS SELECT i, i FROM ({FOREVER})"),
        "refused",
        ("view 'setting'",),
    ),
    "extra table": h.Case(h.sql("CREATE TABLE loot (body TEXT)"), "refused", ("table 'loot'",)),
    "extra index on an expression": h.Case(
        h.sql("CREATE INDEX odd ON span (abs(start))"), "refused", ("index 'odd' on table 'span'",)
    ),
    "extra virtual table": h.Case(h.sql("CREATE VIRTUAL TABLE peek USING fts5 (body)"), "refused", ("table 'peek'",)),
    "planner statistics": h.Case(h.sql("ANALYZE"), "refused", ("table 'sqlite_stat1'",)),
    "missing table": h.Case(h.sql("DROP TABLE adjudication"), "refused", ("table 'adjudication' is missing",)),
    "missing index": h.Case(h.sql("DROP INDEX span_by_label"), "refused", ("index 'span_by_label'", "missing")),
    "missing immutable-text trigger": h.Case(
        h.sql("DROP TRIGGER document_text_immutable"), "refused", ("trigger 'document_text_immutable'", "missing")
    ),
    "missing search index": h.Case(h.sql("DROP TABLE document_search"), "refused", ("document_search", "missing")),
    "span range check removed": h.Case(
        h.rewrite("span", 'CHECK (start < "end")', "CHECK (1)"), "refused", ("table 'span' differs",)
    ),
    "label kinds widened": h.Case(
        h.rewrite("label", "'entity', 'claim'", "'entity', 'claim', 'other'"), "refused", ("table 'label' differs",)
    ),
    "colour check removed": h.Case(
        h.rewrite("label", "CHECK (color GLOB", "CHECK (1 OR color GLOB"), "refused", ("table 'label'",)
    ),
    "label names case-sensitive": h.Case(h.rewrite("label", "COLLATE NOCASE", ""), "refused", ("table 'label'",)),
    "link kinds widened": h.Case(
        h.rewrite("link", "'updates')", "'updates', 'owns')"), "refused", ("table 'link' differs",)
    ),
    "column added": h.Case(h.sql("ALTER TABLE span ADD COLUMN secret TEXT"), "refused", ("table 'span' differs",)),
    "STRICT dropped": h.Case(h.rewrite("annotator", ") STRICT", ")"), "refused", ("table 'annotator'",)),
    "default changed": h.Case(
        h.rewrite("document", "DEFAULT '{}'", "DEFAULT '[]'"), "refused", ("table 'document' differs",)
    ),
    "unreadable schema text": h.Case(
        h.rewrite("setting", "CREATE TABLE", "CREATE TABEL"), "refused", ("damaged", "malformed")
    ),
    "foreign write-ahead log": h.Case(h.foreign_wal, "opens"),
    "another project's write-ahead log": h.Case(h.other_project_wal, "opens"),
    "stale write-ahead log of this file": h.Case(h.stale_own_wal, "opens"),
    "foreign hot journal": h.Case(h.foreign_journal, "opens"),
    "stale hot journal of this file": h.Case(h.stale_own_journal, "opens"),
    "journal beside a file left in WAL mode": h.Case(h.journal_beside_wal_mode, "opens", read_only="refused"),
    "trigger added in the write-ahead log": h.Case(h.trigger_in_wal, "refused", ("trigger 'spy'",)),
    "header counts 2 billion pages": h.Case(
        h.header(28, (2**31 - 1).to_bytes(4, "big")), "refused", ("header counts 2147483647 pages",)
    ),
    "256 MiB of holes": h.Case(h.huge_sparse, "refused", ("damaged",)),
    "page size not a power of two": h.Case(h.header(16, (3000).to_bytes(2, "big")), "refused", ("page size",)),
    "unknown journal format": h.Case(h.header(18, b"\x03\x03"), "refused", ("journal format",)),
    "truncated to half": h.Case(h.cut(lambda d: len(d) // 2), "refused", ("damaged",)),
    "truncated mid-page": h.Case(h.cut(lambda d: len(d) // 2 + 1000), "refused", ("damaged",)),
    "last page cut off": h.Case(h.cut(lambda d: len(d) - h.page_size(d)), "refused", ("damaged",)),
    "bits flipped in the span table": h.Case(h.flip(h.root_page("span"), 0), "refused", ("damaged",)),
    "bits flipped in the schema page": h.Case(h.flip(lambda _: 1, 100), "refused", ("damaged",)),
    "bits flipped in an index": h.Case(h.flip(h.root_page("span_by_document"), 0), "refused", ("damaged",)),
    "bits flipped in the document table": h.Case(h.flip(h.root_page("document"), 0), "refused", ("damaged",)),
    "not ours": h.Case(h.header(68, b"\x00\x00\x00\x00"), "refused", ("not a Parallax project",)),
    "future version": h.Case(h.version(99), "refused", ("newer Parallax", "schema 99")),
    "version zero": h.Case(h.version(0), "refused", ("no upgrade known from schema 0",)),
    "current file claiming version 1": h.Case(h.version(1), "refused", ("table 'adjudication'", "does not make")),
    "version 1 with a trigger": h.Case(
        h.old_version_with(1, "CREATE TRIGGER old_evil AFTER INSERT ON span BEGIN DELETE FROM link; END"),
        "refused",
        ("trigger 'old_evil'",),
    ),
    "version 2 with a view": h.Case(
        h.old_version_with(2, f"CREATE VIEW old_view AS {FOREVER}"), "refused", ("view 'old_view'",)
    ),
    "version 2 missing verdicts": h.Case(
        h.old_version_with(2, "DROP TABLE verdict_evidence"), "refused", ("table 'verdict_evidence' is missing",)
    ),
}
# Steps of the checks' virtual machine, in thousands: 20 million steps is well inside the
# 2 s the checks may take (SQLite runs some 50-200 million a second here; see bench_open.py).
STEP_LIMIT = 20_000


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("base") / "base.parallax"
    h.build_base(path)
    return path


_made: dict[str, h.Files] = {}


def received(base: Path, folder: Path, name: str) -> Path:
    """The case's files laid out in `folder` as the user received them."""
    if name not in _made:
        _made[name] = CASES[name].make(base)
    path = folder / "received.parallax"
    h.write(_made[name], path)
    return path


def shas(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if not p.name.startswith(".")}


def test_there_are_forty_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", sorted(CASES))
def test_open(base: Path, tmp_path: Path, name: str) -> None:
    case = CASES[name]
    path = received(base, tmp_path, name)
    before = shas(tmp_path)
    if case.outcome == "refused":
        with pytest.raises(ProjectError) as raised:
            Project.open(path)
        message = str(raised.value)
        assert str(path) in message, message
        for word in case.words:
            assert word in message, message
        assert shas(tmp_path) == before  # not a byte written, beside it either
        return
    with Project.open(path) as project:
        with Project.open(base) as original:
            assert project.documents() == original.documents()
            assert (project.spans(), project.links()) == (original.spans(), original.links())
        notices = project.notices
    made = _made[name]
    clean = made[""][18] == 1  # closed in rollback mode: every log beside it is a stray
    if clean:
        assert path.read_bytes() == made[""]  # opening and closing wrote nothing
    strays = [s for s in ("-wal", "-journal") if s in made and (clean or s == "-journal")]
    moved = sorted(p for p in tmp_path.iterdir() if ".stray-" in p.name)
    assert [p.name.rsplit("-", 1)[1] for p in moved] == sorted(s[1:] for s in strays)
    for kept in moved:
        assert kept.read_bytes() == made["-" + kept.name.rsplit("-", 1)[1]]  # kept whole, for recovery
        assert any(kept.name in notice and str(path) in notice for notice in notices), notices


@pytest.mark.parametrize("name", sorted(CASES))
def test_checks_run_no_sql_of_the_file_within_budget(base: Path, tmp_path: Path, name: str) -> None:
    path = received(base, tmp_path, name)
    look = Guard(connection.CHECK_SECONDS, record=True)
    try:
        connection.close(connection.connect(path, [], look))
    except ProjectError:
        assert CASES[name].outcome == "refused"
    assert not look.exhausted and look.steps <= STEP_LIMIT, look.steps * STEPS_PER_CALL
    assert look.denied == []
    if CASES[name].outcome == "opens":
        assert look.statements, "the checks ran under the guard"
    for statement in look.statements or ():
        assert statement.startswith(("PRAGMA", "SELECT type, name, tbl_name, sql FROM sqlite_schema")), statement


@pytest.mark.parametrize("name", sorted(CASES))
def test_read_only_command_and_merge(base: Path, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`info` (every read-only command shares its way in, see below) and merge."""
    (tmp_path / "in").mkdir()
    path = received(base, tmp_path / "in", name)
    before = shas(tmp_path / "in")
    status = main(["info", str(path)])
    out, err = capsys.readouterr()
    report = merge_projects([path], tmp_path / "team.parallax", progress=None)
    assert shas(tmp_path / "in") == before
    if (CASES[name].read_only or CASES[name].outcome) == "refused":
        assert status == 1 and str(path) in err and "parallax-p" not in err, err
        assert report.refused and str(path) in str(report.sources[0].refused), report
    else:
        assert status == 0 and "documents: 22" in out, err
        assert not report.refused


READ_ONLY = {
    "export": ["export", "{p}", "-f", "jsonl", "-o", "{o}/out.jsonl"],
    "align": ["align", "{p}"],
    "suggest": ["suggest", "{p}"],
    "agreement": ["agreement", "{p}"],
    "report": ["report", "{p}", "-s", "1", "-o", "{o}/r.html"],
    "info": ["info", "{p}"],
    "search": ["search", "{p}", "Lavrov"],
    "labels": ["labels", "{p}", "list"],
}


@pytest.mark.parametrize("command", sorted(READ_ONLY))
@pytest.mark.parametrize("name", ["trigger on span", "bits flipped in the span table", "foreign write-ahead log"])
def test_every_read_only_command(
    base: Path, tmp_path: Path, name: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    path = received(base, tmp_path / "in", name)
    before = shas(tmp_path / "in")
    argv = [a.format(p=path, o=tmp_path) for a in READ_ONLY[command]]
    status = main(argv)
    err = capsys.readouterr().err
    assert shas(tmp_path / "in") == before
    if CASES[name].outcome == "refused":
        assert status == 1 and str(path) in err and "parallax-p" not in err, err
    else:
        assert "damaged" not in err and "refused" not in err, err


def test_the_guard_stops_a_statement_that_never_ends(base: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.parallax"
    shutil.copyfile(base, path)
    conn = connection.connect(path)
    guard = Guard(0.0)  # every statement is already past its budget
    guard.install(conn)
    with pytest.raises(Exception, match="interrupted"):
        conn.execute(FOREVER).fetchall()
    assert guard.exhausted
    connection.close(conn)


def test_a_trigger_added_while_the_project_is_open_cannot_write(base: Path, tmp_path: Path) -> None:
    """The schema is checked at open; the guard holds if another program adds a trigger later."""
    path = tmp_path / "copy.parallax"
    shutil.copyfile(base, path)
    with Project.open(path) as project:
        links = project.links()
        with closing(sqlite3.connect(path)) as other:
            other.execute("CREATE TRIGGER evil AFTER INSERT ON span BEGIN DELETE FROM link; END")
            other.commit()
        spans = project.spans()
        with pytest.raises(ProjectError, match="added a trigger"):
            project.add_span(1, 1, 5, "PERSON", "ana")
        assert (project.spans(), project.links()) == (spans, links)
