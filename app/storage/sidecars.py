"""What lies beside a project file: SQLite's logs, and our own leftovers.

Parallax always closes a file in rollback-journal mode, with the header
saying so (bytes 18-19 are 1). A `-wal` or `-journal` beside such a file is
not from its last session: a stray from another file of the same name, or a
stale one. SQLite would replay it into the file, so it is moved aside first,
kept under a clear name for recovery, and the user is told.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ROLLBACK, WAL = 1, 2  # header bytes 18-19: the journal format of the last session


def set_aside_strays(path: Path, journal_format: int) -> list[str]:
    """Move aside the logs SQLite must not replay into `path`; say what was moved."""
    suffixes = ("-journal",) if journal_format == WAL else ("-wal", "-journal")
    notices = []
    for suffix in suffixes:
        stray = path.with_name(path.name + suffix)
        if not stray.exists():
            continue
        kept = _free_name(path, suffix)
        os.replace(stray, kept)
        notices.append(
            f"{path}: {stray.name} beside it was not written by its last session (Parallax closed the"
            f" file cleanly), so it was not applied; it is kept as {kept.name}"
        )
    return notices


def strays(path: Path, journal_format: int) -> list[str]:
    """The logs a read-only reader ignores (it never moves a colleague's files)."""
    suffixes = ("-journal",) if journal_format == WAL else ("-wal", "-journal")
    return [
        f"{path}: {path.name + s} beside it is not from its last session; it was ignored"
        for s in suffixes
        if path.with_name(path.name + s).exists()
    ]


def _free_name(path: Path, suffix: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.stray-{stamp}{suffix}")
    counter = 1
    while kept.exists():
        counter += 1
        kept = path.with_name(f"{path.name}.stray-{stamp}-{counter}{suffix}")
    return kept


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def owner_pid(name: str) -> int | None:
    """The process id a leftover's name carries (`…-p1234-…`), if any."""
    for part in name.replace(".", "-").split("-"):
        if part.startswith("p") and part[1:].isdigit():
            return int(part[1:])
    return None


def is_abandoned(leftover: Path) -> bool:
    """A leftover whose writer is gone: named with a process id that is not running."""
    pid = owner_pid(leftover.name)
    return pid is not None and pid != os.getpid() and not pid_alive(pid)
