"""Crafted hostile project files, made at test time from a real project.

Each case turns the bytes of a sound project (`base`) into the files a user
might receive: `{"": main file, "-wal": ..., "-journal": ...}`. Logs are
real ones, made by SQLite on scratch databases; schema changes are made with
plain SQLite (or by rewriting `sqlite_schema` text, as an attacker would).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from app.models import NewDocument
from app.storage import connection, migrations
from app.storage.project import Project
from tests.core.store_helpers import Sample

Files = dict[str, bytes]


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Files]  # given the base project's path (never changed)
    outcome: str  # "opens" (as the base, logs set aside) or "refused"
    words: tuple[str, ...] = ()  # the refusal must say these
    read_only: str | None = None  # the outcome for a read-only command, if not the same


def build_base(path: Path) -> None:
    with Project.create(path) as project:
        Sample(project)
        project.add_documents([NewDocument(text=f"Filler article {i}. " + "word " * 200) for i in range(20)])


def _scratch(base: Path, name: str = "scratch.parallax") -> Path:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    target = folder / name
    shutil.copyfile(base, target)
    return target


def _done(path: Path) -> Files:
    files = {s: path.with_name(path.name + s).read_bytes() for s in ("", "-wal", "-journal") if _exists(path, s)}
    shutil.rmtree(path.parent)
    return files


def _exists(path: Path, suffix: str) -> bool:
    return path.with_name(path.name + suffix).exists()


def sql(*statements: str) -> Callable[[Path], Files]:
    """Run plain SQL on a copy (no foreign keys, no defensive mode: what an attacker has)."""

    def make(base: Path) -> Files:
        path = _scratch(base)
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:
            for statement in statements:
                conn.execute(statement)
        return _done(path)

    return make


def rewrite(name: str, old: str, new: str) -> Callable[[Path], Files]:
    """Edit the stored CREATE text of one object in place (writable_schema)."""

    def make(base: Path) -> Files:
        path = _scratch(base)
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:
            conn.execute("PRAGMA writable_schema = ON")
            changed = conn.execute(
                "UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE name = ? AND instr(sql, ?)",
                (old, new, name, old),
            ).rowcount
            assert changed == 1, f"{old!r} is not in {name}"
        return _done(path)

    return make


def header(offset: int, value: bytes) -> Callable[[Path], Files]:
    def make(base: Path) -> Files:
        data = base.read_bytes()
        return {"": data[:offset] + value + data[offset + len(value) :]}

    return make


def page_size(data: bytes) -> int:
    return int.from_bytes(data[16:18], "big")


def flip(page: Callable[[Path], int], offset: int) -> Callable[[Path], Files]:
    """Flip every bit of 8 bytes at `offset` into a page (numbered from 1)."""

    def make(base: Path) -> Files:
        data = bytearray(base.read_bytes())
        at = (page(base) - 1) * page_size(data) + offset
        data[at : at + 8] = bytes(b ^ 0xFF for b in data[at : at + 8])
        return {"": bytes(data)}

    return make


def root_page(table: str) -> Callable[[Path], int]:
    def find(base: Path) -> int:
        with closing(sqlite3.connect(f"file:{base}?mode=ro", uri=True)) as conn:
            found: int = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,)).fetchone()[0]
            return found

    return find


def cut(keep: Callable[[bytes], int]) -> Callable[[Path], Files]:
    def make(base: Path) -> Files:
        data = base.read_bytes()
        return {"": data[: keep(data)]}

    return make


def huge_sparse(base: Path) -> Files:
    """The file grown to 256 MiB of holes, its header counting every page (SQLite trusts it)."""
    data = bytearray(base.read_bytes())
    pages = (256 << 20) // page_size(data)
    data[28:32] = pages.to_bytes(4, "big")
    return {"": bytes(data), "sparse-to": pages.to_bytes(8, "big")}


# ---- logs: real write-ahead logs and hot journals from scratch databases -----------------


def _live_wal(path: Path, *statements: str) -> bytes:
    """The -wal SQLite holds for `path` after `statements`, before any checkpoint."""
    return _in_wal_mode(path, *statements)["-wal"]


def _in_wal_mode(path: Path, *statements: str) -> Files:
    """`path` switched to WAL mode (its header says so) and its -wal after `statements`, both
    read before the close would fold the log back."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        for statement in statements:
            conn.execute(statement)
        return {"": path.read_bytes(), "-wal": path.with_name(path.name + "-wal").read_bytes()}


def _foreign_db(folder: Path) -> Path:
    other = folder / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.executemany("INSERT INTO notes VALUES (?)", [("x" * 3000,)] * 40)
        conn.commit()
    return other


def foreign_wal(base: Path) -> Files:
    """A log from an unrelated SQLite database of the same page size."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    wal = _live_wal(_foreign_db(folder), "INSERT INTO notes SELECT body FROM notes")
    shutil.rmtree(folder)
    return {"": base.read_bytes(), "-wal": wal}


def other_project_wal(base: Path) -> Files:
    """A log from another Parallax project: its documents must not appear."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    other = folder / "other.parallax"
    Project.create(other).close()
    wal = _live_wal(
        other,
        "INSERT INTO document (uuid, text, text_sha256, imported_at) VALUES ('u', 'Someone else', 'h', 'now')",
    )
    shutil.rmtree(folder)
    return {"": base.read_bytes(), "-wal": wal}


def stale_own_wal(base: Path) -> Files:
    """This very file's log from an earlier session, which deleted every link."""
    path = _scratch(base)
    wal = _live_wal(path, "DELETE FROM link")
    shutil.rmtree(path.parent)
    return {"": base.read_bytes(), "-wal": wal}


def trigger_in_wal(base: Path) -> Files:
    """A file left in WAL mode whose log adds a trigger: SQLite shows it, so it is refused."""
    path = _scratch(base)
    files = _in_wal_mode(path, "CREATE TRIGGER spy AFTER INSERT ON span BEGIN DELETE FROM link; END")
    shutil.rmtree(path.parent)
    return files


HOT_JOURNAL = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("PRAGMA cache_size = 2")  # pages spill to the file: the journal is hot
conn.execute("BEGIN")
conn.execute(sys.argv[2])
os._exit(0)  # killed mid-transaction: no rollback, the journal stays
"""


def _hot_journal(path: Path, statement: str) -> bytes:
    done = subprocess.run([sys.executable, "-c", HOT_JOURNAL, str(path), statement], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return path.with_name(path.name + "-journal").read_bytes()


def foreign_journal(base: Path) -> Files:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    journal = _hot_journal(_foreign_db(folder), "UPDATE notes SET body = upper(body)")
    shutil.rmtree(folder)
    return {"": base.read_bytes(), "-journal": journal}


def stale_own_journal(base: Path) -> Files:
    """This file's hot journal from a transaction that ended long ago."""
    path = _scratch(base)
    journal = _hot_journal(path, "UPDATE document SET meta = '{\"x\": 1}'")
    shutil.rmtree(path.parent)
    return {"": base.read_bytes(), "-journal": journal}


def journal_beside_wal_mode(base: Path) -> Files:
    """A file left in WAL mode (its own log is real) with a foreign journal beside it."""
    path = _scratch(base)
    files = _in_wal_mode(path, "UPDATE label SET position = position + 1")
    shutil.rmtree(path.parent)
    return files | {"-journal": foreign_journal(base)["-journal"]}


# ---- versions ----------------------------------------------------------------------------


def version(number: int) -> Callable[[Path], Files]:
    return header(60, number.to_bytes(4, "big"))


def old_version_with(number: int, *statements: str) -> Callable[[Path], Files]:
    """A file of schema `number` (v1 plus the upgrade steps before it), then `statements`."""

    def make(base: Path) -> Files:
        folder = Path(tempfile.mkdtemp(prefix="hostile-"))
        path = folder / "old.parallax"
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:
            conn.executescript((Path(connection.__file__).with_name("schema_v1.sql")).read_text(encoding="utf-8"))
            for step in range(1, number):
                migrations.MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA user_version = {number}")
            for statement in statements:
                conn.execute(statement)
        return _done(path)

    return make


def write(files: Files, path: Path) -> None:
    """Lay the case's files out at `path` (a sparse tail where the case asks for one)."""
    for suffix, data in files.items():
        if suffix == "sparse-to":
            continue
        path.with_name(path.name + suffix).write_bytes(data)
    if "sparse-to" in files:
        with path.open("r+b") as handle:
            handle.truncate(int.from_bytes(files["sparse-to"], "big") * page_size(files[""]))
