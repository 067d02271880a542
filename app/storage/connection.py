"""Opening a project file safely: ownership, version, damage, locks, pragmas.

A project file may come from someone else, so it is opened defensively: the
header is read before SQLite sees the file, the schema is not trusted, and a
quick_check runs before any use.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from app.errors import (
    CorruptProject,
    NotAProject,
    ProjectError,
    ProjectInUse,
    ProjectReadOnly,
    SchemaTooNew,
)
from app.resources import schema_path
from app.storage.migrations import MIGRATIONS

SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x50524C58  # 'PRLX'


def _schema_sql() -> str:
    return schema_path().read_text(encoding="utf-8")


def schema_version() -> int:
    """The version schema.sql builds (its `PRAGMA user_version`)."""
    found = re.search(r"PRAGMA user_version = (\d+);", _schema_sql())
    if found is None:
        raise RuntimeError("schema.sql carries no PRAGMA user_version")
    return int(found.group(1))


@dataclass(frozen=True)
class Header:
    application_id: int
    user_version: int


def read_header(path: Path) -> Header:
    """Read ownership and version straight from the 100-byte SQLite header."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror})") from exc
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotAProject(f"{path}: not a Parallax project (not an SQLite database)")
    return Header(
        application_id=int.from_bytes(header[68:72], "big"),
        user_version=int.from_bytes(header[60:64], "big"),
    )


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def acquire_lock(path: Path) -> FileLock:
    """Take the per-project lock or say who cannot have it. The OS frees it if we die."""
    lock = FileLock(lock_path(path), timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise ProjectInUse(
            f"{path}: the project is open in another Parallax window or process; close it there first"
        ) from exc
    except OSError as exc:
        raise ProjectReadOnly(f"{path}: cannot create its lock file ({exc.strerror})") from exc
    return lock


def check_writable(path: Path) -> None:
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        raise ProjectReadOnly(f"{path}: the file is read-only; copy it somewhere writable")
    if not os.access(folder, os.W_OK):
        raise ProjectReadOnly(f"{path}: its folder {folder} is read-only; copy it somewhere writable")


def _configure(conn: sqlite3.Connection) -> None:
    # Never run functions named by the file's own schema (views, triggers).
    conn.execute("PRAGMA trusted_schema = OFF")
    setconfig = getattr(conn, "setconfig", None)  # Python >= 3.12
    if setconfig is not None:
        setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)  # type: ignore[attr-defined]
    conn.execute("PRAGMA writable_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 2000")


def _use_wal(conn: sqlite3.Connection) -> None:
    # Writes the file header, so only once the file is known to be sound.
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit survives power loss too; costs ~0.1 ms a commit here.
    conn.execute("PRAGMA synchronous = FULL")


def connect(path: Path) -> sqlite3.Connection:
    """Open an existing file of ours at the current schema, migrating if older."""
    header = read_header(path)
    current = schema_version()
    _check_header(path, header, current)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    wal = False
    try:
        _configure(conn)
        _quick_check(conn, path)
        _use_wal(conn)
        wal = True
        # The header read above misses a commit still in the write-ahead log
        # (say a migration, then a crash before close): ask SQLite again.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        _check_header(path, Header(conn.execute("PRAGMA application_id").fetchone()[0], version), current)
        if version < current:
            _backup(conn, path, version)
            _migrate(conn, path, version, current)
    except sqlite3.DatabaseError as exc:
        _abandon(conn, wal)
        raise CorruptProject(f"{path}: the file is damaged ({exc})") from exc
    except BaseException:
        _abandon(conn, wal)
        raise
    return conn


def copy_to(source: Path, target: Path) -> None:
    """Copy someone's project without writing to it: no lock, no WAL switch, no migration.

    The header is checked first; SQLite reads the source read-only (a file
    that is open elsewhere is copied as of its last commit).
    """
    _check_header(source, read_header(source), schema_version())
    try:
        with (
            closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as original,
            closing(sqlite3.connect(target)) as copy,
        ):
            original.execute("PRAGMA trusted_schema = OFF")
            original.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as exc:
        raise CorruptProject(f"{source}: the file is damaged ({exc})") from exc


def _abandon(conn: sqlite3.Connection, wal: bool) -> None:
    """Close after a failed open; past the WAL switch, fold the log back as `close` does."""
    try:
        if wal:
            close(conn)
    except sqlite3.Error:
        pass
    finally:
        conn.close()


def _check_header(path: Path, header: Header, current: int) -> None:
    """Refuse a file that is not ours, too new, or too old to upgrade."""
    if header.application_id != APPLICATION_ID:
        raise NotAProject(f"{path}: an SQLite database, but not a Parallax project")
    if header.user_version > current:
        raise SchemaTooNew(
            f"{path}: made by a newer Parallax (schema {header.user_version}, "
            f"this version reads up to {current}); update Parallax to open it"
        )
    for step in range(header.user_version, current):
        if step not in MIGRATIONS:
            raise ProjectError(f"{path}: no upgrade known from schema {step}")


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise CorruptProject(f"{path}: the file is damaged: {'; '.join(problems)}")


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.v{version}-backup-{stamp}{path.suffix}")
    counter = 1
    while target.exists():  # never overwrite an earlier backup
        counter += 1
        target = path.with_name(f"{path.stem}.v{version}-backup-{stamp}-{counter}{path.suffix}")
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
        # The copied header says WAL; make the backup a complete single file.
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
    return target


def _migrate(conn: sqlite3.Connection, path: Path, version: int, current: int) -> None:
    conn.execute("BEGIN EXCLUSIVE")
    try:
        for step in range(version, current):
            MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA user_version = {current}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def create(path: Path) -> None:
    """Write a new, empty project at `path` atomically (via a temporary file)."""
    if path.exists():
        raise ProjectError(f"{path}: already exists; open it, or choose another name")
    check_writable(path)
    temporary = path.with_name(f".{path.name}.creating")
    temporary.unlink(missing_ok=True)
    conn = sqlite3.connect(temporary, isolation_level=None)
    try:
        conn.executescript(f"BEGIN;\n{_schema_sql()}\nCOMMIT;")
    finally:
        conn.close()
    os.replace(temporary, path)


def close(conn: sqlite3.Connection) -> None:
    """Fold the write-ahead log back so the file is complete on its own."""
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError:
        # Another program is reading the file (a backup tool, a viewer): the
        # log stays until it lets go, and SQLite folds it back then. Nothing is lost.
        pass
    finally:
        conn.close()
