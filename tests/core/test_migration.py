"""Upgrading a version-1 file: backed up first, migrated in one transaction, ending with the
same schema a new project has; a failing step leaves the file at version 1."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import app.storage
from app import resources
from app.errors import ProjectError
from app.storage import migrations
from app.storage.connection import APPLICATION_ID, schema_version
from app.storage.migrations import MIGRATIONS
from app.storage.project import Project, sha256
from tests.core.store_helpers import dump, kill_once_said, pragma, read_only, sha

SCHEMA_V1 = Path(app.storage.__file__).parent / "schema_v1.sql"  # shipped: the schema check needs it
V1_TABLES = {"document", "label", "annotator", "span", "link"}

TEXTS = (
    "Mevlüt Çavuşoğlu met Sergey Lavrov in Moscow. 😀",
    "Cavusoglu denied it; Işık Koşaner said nothing.",
)


def make_v1(path: Path) -> None:
    """A version-1 project written with raw SQL, as version 1 of Parallax left it."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.executescript(f"BEGIN;\n{SCHEMA_V1.read_text(encoding='utf-8')}\nCOMMIT;")
        conn.execute("BEGIN")
        for number, text in enumerate(TEXTS, start=1):
            conn.execute(
                "INSERT INTO document (id, uuid, title, source, url, published, text, text_sha256,"
                " meta, imported_at) VALUES (?, ?, ?, 'Outlet', '', '2020-10-0' || ?, ?, ?, ?, ?)",
                (
                    number,
                    f"doc-{number}",
                    f"Başlık {number}",
                    number,
                    text,
                    sha256(text),
                    json.dumps({"lang": "tr"}),
                    "2020-10-10T00:00:00+00:00",
                ),
            )
        conn.execute("INSERT INTO label VALUES (1, 'PERSON', 'entity', '#0072B2', '1', 0)")
        conn.execute("INSERT INTO label VALUES (2, 'CLAIM', 'claim', '#D55E00', NULL, 1)")
        conn.execute("INSERT INTO annotator VALUES (1, 'ana')")
        for span_id, doc, start, end, label in ((1, 1, 7, 16, 1), (2, 2, 0, 9, 1), (3, 2, 0, 19, 2)):
            quote = TEXTS[doc - 1][start:end]
            conn.execute(
                "INSERT INTO span VALUES (?, ?, ?, ?, ?, ?, 1, ?, '{}', '', '2020-10-10')",
                (span_id, f"span-{span_id}", doc, start, end, label, quote),
            )
        conn.execute("INSERT INTO link VALUES (1, 'link-1', 'same_as', 1, 2, 1, 'ç', '2020-10-10')")
        conn.execute("COMMIT")


@pytest.fixture
def v1_path(tmp_path: Path) -> Path:
    path = tmp_path / "old.parallax"
    make_v1(path)
    assert pragma(path, "user_version") == 1
    assert pragma(path, "application_id") == APPLICATION_ID
    return path


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.v1-backup-*{path.suffix}"))


def schema_of(path: Path) -> dict[str, Any]:
    """Everything that makes two schemas the same, per table."""
    with read_only(path) as conn:
        objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        tables = sorted(name for kind, name, _, _ in objects if kind == "table")
        return {
            "objects": sorted((kind, name, table) for kind, name, table, _ in objects),
            # CHECKs and collations live only in the SQL; whitespace is the author's
            "sql": sorted((name, "".join((sql or "").split())) for _, name, _, sql in objects),
            "columns": {t: conn.execute(f'PRAGMA table_xinfo("{t}")').fetchall() for t in tables},
            "foreign keys": {t: conn.execute(f'PRAGMA foreign_key_list("{t}")').fetchall() for t in tables},
            "indexes": {t: sorted(conn.execute(f'PRAGMA index_list("{t}")').fetchall()) for t in tables},
            "application_id": conn.execute("PRAGMA application_id").fetchone()[0],
            "user_version": conn.execute("PRAGMA user_version").fetchone()[0],
        }


def test_every_schema_version_has_an_upgrade_step() -> None:
    assert set(MIGRATIONS) == set(range(1, schema_version()))


def test_v1_fixture_is_the_current_schema_minus_version_2() -> None:
    """The frozen file must not drift: what it lacks is exactly what version 2 added."""
    current = resources.schema_path()
    frozen = SCHEMA_V1.read_text(encoding="utf-8")
    for table in V1_TABLES:
        assert f"CREATE TABLE {table} " in frozen
    for added in ("review_session", "verdict", "verdict_evidence", "document_search"):
        assert added in current.read_text(encoding="utf-8")
        assert f"TABLE {added} " not in frozen
    assert "PRAGMA user_version = 1;" in frozen


def test_v1_file_is_backed_up_and_migrated(v1_path: Path) -> None:
    before = dump(v1_path)
    assert set(before) == V1_TABLES
    with Project.open(v1_path) as project:
        assert [h.document_id for h in project.search("Cavusoglu")] != []
        assert {h.document_id for h in project.search("Cavusoglu")} == {1, 2}
        assert {h.document_id for h in project.search("Çavuşoğlu")} == {1, 2}
        assert [h.document_id for h in project.search("isik")] == [2]
        spans = project.spans()  # every quote checked against its text
        assert [s.uuid for s in spans] == ["span-1", "span-2", "span-3"]
        assert spans[0].quote == "Çavuşoğlu"
        assert [x.uuid for x in project.links()] == ["link-1"]
        assert project.document(1).meta == {"lang": "tr"}
        project.add_span(1, 0, 6, "PERSON", "bo")  # and it works as a current project

    assert pragma(v1_path, "user_version") == schema_version() == 5
    after = dump(v1_path)
    assert {t: after[t] for t in ("document", "label", "link")} == {t: before[t] for t in ("document", "label", "link")}
    assert after["span"][: len(before["span"])] == before["span"]
    assert after["review_session"] == after["verdict"] == after["verdict_evidence"] == []
    assert len(after["document_search"]) == len(TEXTS)

    [backup] = backups(v1_path)
    assert pragma(backup, "user_version") == 1
    assert pragma(backup, "application_id") == APPLICATION_ID
    assert pragma(backup, "integrity_check") == "ok"
    assert dump(backup) == before
    assert backup.read_bytes()[18:20] == b"\x01\x01"  # a rollback-journal file, complete alone
    assert sorted(p.name for p in backup.parent.glob(f"{backup.name}-*")) == []


def test_backup_is_the_same_database_byte_for_byte(v1_path: Path) -> None:
    original = v1_path.read_bytes()
    Project.open(v1_path).close()
    [backup] = backups(v1_path)
    copy = backup.read_bytes()
    assert len(copy) == len(original)
    # Only header counters may differ: file change counter (24-27), schema cookie (40-43),
    # version-valid-for (92-95). Every page after the header is the same.
    differ = {i for i, (a, b) in enumerate(zip(original, copy, strict=True)) if a != b}
    assert differ <= set(range(24, 28)) | set(range(40, 44)) | set(range(92, 96))


def test_migrated_schema_equals_a_new_project(v1_path: Path, project_path: Path) -> None:
    Project.open(v1_path).close()
    assert schema_of(v1_path) == schema_of(project_path)


def test_a_failing_step_rolls_back_to_version_1(v1_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = MIGRATIONS[1]

    def half_done(conn: sqlite3.Connection) -> None:
        real(conn)  # every table made, every row indexed ...
        raise RuntimeError("power cut")  # ... and then it fails

    before, schema = dump(v1_path, shadow=True), schema_of(v1_path)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, half_done)
    with pytest.raises(RuntimeError, match="power cut"):
        Project.open(v1_path)
    assert v1_path.read_bytes()[18:20] == b"\x01\x01"  # not left in WAL mode either
    assert pragma(v1_path, "user_version") == 1
    assert schema_of(v1_path) == schema
    assert dump(v1_path, shadow=True) == before
    assert sorted(p.name for p in v1_path.parent.glob(f"{v1_path.name}-*")) == []

    monkeypatch.setitem(migrations.MIGRATIONS, 1, real)
    with Project.open(v1_path) as project:  # the lock was let go; the next try succeeds
        assert len(project.spans()) == 3
    assert pragma(v1_path, "user_version") == schema_version()


MIGRATE_AND_HOLD = """
import sys
from app.storage.project import Project
project = Project.open(sys.argv[1])
print("migrated", flush=True)
sys.stdin.read()
"""


def test_crash_after_migrating_before_close(v1_path: Path) -> None:
    """The new version number may still sit in the write-ahead log, not the file header."""
    kill_once_said(MIGRATE_AND_HOLD, "migrated", str(v1_path))
    assert Path(f"{v1_path}-wal").exists()
    with Project.open(v1_path) as project:
        assert [s.uuid for s in project.spans()] == ["span-1", "span-2", "span-3"]
        assert {h.document_id for h in project.search("cavusoglu")} == {1, 2}
    assert pragma(v1_path, "user_version") == schema_version()
    [backup] = backups(v1_path)  # the version-1 backup is still the only one
    assert pragma(backup, "user_version") == 1


def test_a_version_without_upgrade_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ancient.parallax"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("CREATE TABLE document (id INTEGER PRIMARY KEY)")
    before = sha(path)
    with pytest.raises(ProjectError, match=f"{path}: no upgrade known from schema 0"):
        Project.open(path)
    assert sha(path) == before
    assert list(tmp_path.glob("ancient.v0-backup-*")) == []
