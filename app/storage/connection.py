"""Opening a project file safely: ownership, version, damage, locks, pragmas.

A project file may come from someone else, so it is opened defensively: the
header is read before SQLite sees the file; logs SQLite would replay into it
are set aside (`sidecars`); then a read-only look checks its whole schema
(`schema_check`) and, once per new or uncleanly closed file, every page,
before any statement reads its tables. Every statement runs under a `Guard`
(bounded in time, no SQL the file brought along). Nothing is written until
the first edit, so opening and closing leaves the file byte-identical.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
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
from app.storage import sidecars, verified
from app.storage.guard import Guard
from app.storage.migrations import MIGRATIONS
from app.storage.schema_check import check_schema

SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x50524C58  # 'PRLX'
STATEMENT_SECONDS = 10.0  # no statement on an open project may take longer
CHECK_SECONDS = 2.0  # the checks before opening, plus the whole-file check's share below
CHECK_BYTES_PER_SECOND = 50_000_000  # a whole-file check may take this long per byte too


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
    journal_format: int = sidecars.ROLLBACK  # 1: closed in rollback mode, 2: left in WAL mode
    page_size: int = 4096
    pages: int = 0  # the header's page count, 0 when SQLite would not trust it


def read_header(path: Path) -> Header:
    """Read ownership, version and journal format straight from the 100-byte SQLite header."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror})") from exc
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotAProject(f"{path}: not a Parallax project (not an SQLite database)")
    size = int.from_bytes(header[16:18], "big")
    trusted = header[24:28] == header[92:96]  # SQLite's own rule for the page count
    return Header(
        application_id=int.from_bytes(header[68:72], "big"),
        user_version=int.from_bytes(header[60:64], "big"),
        journal_format=header[18] if header[18] == header[19] else 0,
        page_size=65536 if size == 1 else size,
        pages=int.from_bytes(header[28:32], "big") if trusted else 0,
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


def begin_writing(conn: sqlite3.Connection) -> None:
    """Switch to write-ahead logging before the first write (it rewrites the header)."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit survives power loss too; costs ~0.1 ms a commit here.
        conn.execute("PRAGMA synchronous = FULL")


def connect(path: Path, notices: list[str] | None = None, look: Guard | None = None) -> sqlite3.Connection:
    """Open an existing file of ours at the current schema, migrating if older.

    Logs set aside are reported in `notices`. Nothing is written to the file
    here unless it is migrated. `look` guards the checks (a test's, to watch them).
    """
    header = read_header(path)
    current = schema_version()
    _check_header(path, header, current)
    moved = sidecars.set_aside_strays(path, header.journal_format)
    if notices is not None:
        notices.extend(moved)
    with inspected(path, header, look) as (_, version):
        pass
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        _configure(conn)
        guard = Guard(STATEMENT_SECONDS)
        guard.install(conn)
        if version < current:
            begin_writing(conn)
            _backup(conn, path, version)
            _migrate(conn, path, version, current)
    except sqlite3.DatabaseError as exc:
        _abandon(conn)
        raise CorruptProject(f"{path}: the file is damaged ({exc})") from exc
    except BaseException:
        _abandon(conn)
        raise
    _opened[id(conn)] = _Opened(path, guard)
    return conn


def guard_of(conn: sqlite3.Connection) -> Guard:
    """The guard `connect` installed on `conn` (for its untraced bulk inserts)."""
    return _opened[id(conn)].guard


@contextmanager
def inspected(path: Path, header: Header, guard: Guard | None = None) -> Iterator[tuple[sqlite3.Connection, int]]:
    """Look at `path` read-only and yield its schema version once everything checks.

    A cleanly closed file is read `immutable` (SQLite ignores every log beside
    it and takes no locks); a file left in WAL mode is read with its log, and
    logs SQLite makes for the look are removed again if the file is refused.
    Inside the block the look's connection is open (`copy_to` copies from it)."""
    made = [path.with_name(path.name + s) for s in ("-wal", "-shm") if not path.with_name(path.name + s).exists()]
    clean = header.journal_format == sidecars.ROLLBACK
    _check_size(path, header, clean)
    whole = header.journal_format != sidecars.ROLLBACK or not verified.is_verified(path)
    # Holes in a sparse file cost the check nothing, so only stored bytes earn it time.
    stored = min(path.stat().st_size, path.stat().st_blocks * 512)
    seconds = CHECK_SECONDS + (stored / CHECK_BYTES_PER_SECOND if whole else 0)
    guard = guard or Guard(seconds)
    uri = f"{path.as_uri()}?mode=ro" + ("&immutable=1" if clean else "")
    try:
        with closing(sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)) as conn:
            _configure(conn)
            guard.install(conn)
            yield conn, _check_inside(conn, path, whole)
    except sqlite3.DatabaseError as exc:
        _remove_made(made)
        if guard.exhausted:
            raise CorruptProject(
                f"{path}: refused: reading it took longer than {guard.seconds:.0f} s (a damaged or hostile file)"
            ) from exc
        raise CorruptProject(f"{path}: the file is damaged ({exc})") from exc
    except BaseException:
        _remove_made(made)
        raise
    if whole and clean:
        verified.mark_verified(path)


def _check_inside(conn: sqlite3.Connection, path: Path, whole: bool) -> int:
    """Ownership and version as SQLite sees them (a log may hold newer ones), schema, pages."""
    current = schema_version()
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    _check_header(path, Header(app_id, version), current)
    check_schema(conn, path, version)
    if whole:
        _quick_check(conn, path)
    return version


def _check_size(path: Path, header: Header, clean: bool) -> None:
    """A cleanly closed file holds exactly the pages its header counts."""
    if header.page_size < 512 or header.page_size & (header.page_size - 1):
        raise CorruptProject(f"{path}: the file is damaged (page size {header.page_size})")
    if header.journal_format not in (sidecars.ROLLBACK, sidecars.WAL):
        raise CorruptProject(f"{path}: the file is damaged (unknown journal format in its header)")
    size = path.stat().st_size
    if clean and header.pages and header.pages * header.page_size != size:
        raise CorruptProject(
            f"{path}: the file is damaged (its header counts {header.pages} pages of {header.page_size} bytes,"
            f" the file holds {size} bytes)"
        )


def _remove_made(made: list[Path]) -> None:
    for side in made:
        side.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Opened:
    path: Path  # its file, to remember it verified at close
    guard: Guard  # the guard installed on it


_opened: dict[int, _Opened] = {}  # connection id -> what `connect` made of it


def copy_to(source: Path, target: Path, notices: list[str] | None = None) -> None:
    """Copy someone's project without writing to it: no lock, no WAL switch, no migration.

    The same checks as opening run on the source, read-only, so an error
    names the user's file; logs beside a cleanly closed source are ignored.
    (A file that is open elsewhere is copied as of its last commit.)
    """
    header = read_header(source)
    _check_header(source, header, schema_version())
    if header.journal_format == sidecars.WAL and source.with_name(source.name + "-journal").exists():
        # SQLite would roll that journal into the file; only an open (which sets it aside) may proceed.
        raise ProjectError(
            f"{source}: refused: {source.name}-journal beside it is not from its last session;"
            " open the file in Parallax once (it sets the journal aside) and try again"
        )
    if notices is not None:
        notices.extend(sidecars.strays(source, header.journal_format))
    with inspected(source, header) as (original, _):
        try:
            with closing(sqlite3.connect(target)) as copy:
                original.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.DatabaseError as exc:
            raise CorruptProject(f"{source}: the file is damaged ({exc})") from exc
    verified.mark_verified(target)


def _abandon(conn: sqlite3.Connection) -> None:
    """Close after a failed open; past the WAL switch, fold the log back as `close` does."""
    try:
        close(conn)
    except sqlite3.Error:
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
    verified.mark_verified(path)  # made here: no need to check it whole on its first open


def close(conn: sqlite3.Connection) -> None:
    """Fold the write-ahead log back so the file is complete on its own."""
    opened = _opened.pop(id(conn), None)
    path = opened.path if opened else None
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError:
        # Another program is reading the file (a backup tool, a viewer): the
        # log stays until it lets go, and SQLite folds it back then. Nothing is lost.
        path = None
    finally:
        conn.close()
    if path is not None:  # closed cleanly: in rollback mode, complete on its own
        verified.mark_verified(path)
