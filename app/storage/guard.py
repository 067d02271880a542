"""Every statement on a project file runs under a guard: bounded in time, and
unable to run SQL that a file brought along.

The schema check refuses files with foreign triggers or views before any of
their tables is read; the guard holds even if the schema changes while the
file is open (another program adds a trigger): SQLite asks the authorizer
about every access a trigger makes, and the guard denies the writes of a
trigger Parallax did not make.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

# The only trigger or view Parallax makes (schema.sql); a test keeps this in step.
OUR_TRIGGERS_AND_VIEWS = frozenset({"document_text_immutable"})

_WRITES = frozenset({sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE})

# SQLite calls the progress handler every this many virtual-machine steps.
STEPS_PER_CALL = 1000


class Guard:
    """The time budget of each statement, and a record of what it refused.

    `seconds` bounds one statement (the trace callback marks where each
    starts); `steps` counts the virtual-machine steps of all of them in
    thousands, so a test can see the budget at work without a clock.
    """

    def __init__(self, seconds: float, *, record: bool = False) -> None:
        self.seconds = seconds
        self.statements: list[str] | None = [] if record else None  # every statement run, for tests
        self.steps = 0
        self.exhausted = False
        self.denied: list[str] = []
        self._deadline = time.monotonic() + seconds

    def install(self, conn: sqlite3.Connection) -> None:
        conn.set_progress_handler(self._progress, STEPS_PER_CALL)
        conn.set_trace_callback(self._statement_started)
        conn.set_authorizer(self._authorize)

    def executemany(self, conn: sqlite3.Connection, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """`conn.executemany` with the trace callback off: Python hands it each statement's
        expanded SQL (every parameter quoted into the text, 3 KB per article), which was a
        third of an import. Each row still gets its own budget: the deadline restarts as
        executemany takes the row, just before SQLite runs it."""
        if self.statements is not None:
            self.statements.append(sql)
        conn.set_trace_callback(None)
        try:
            conn.executemany(sql, self._restarting(rows))
        finally:
            conn.set_trace_callback(self._statement_started)

    def _restarting(self, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        for row in rows:
            self._deadline = time.monotonic() + self.seconds
            yield row

    def _statement_started(self, sql: str) -> None:
        if self.statements is not None:
            self.statements.append(sql)
        if not sql.startswith("--"):  # "-- TRIGGER name" marks a trigger inside a statement
            self._deadline = time.monotonic() + self.seconds

    def _progress(self) -> int:
        self.steps += 1
        if time.monotonic() > self._deadline:
            self.exhausted = True
            return 1  # SQLite interrupts the statement
        return 0

    def _authorize(self, action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None) -> int:
        # (A trigger's reads cannot be told from those of a WITH clause, whose name SQLite
        # passes here too; its writes can, and they are the ones that destroy work.)
        if source is not None and source not in OUR_TRIGGERS_AND_VIEWS and action in _WRITES:
            self.denied.append(f"{source}: action {action} on {arg1}")
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_ATTACH:  # no file may pull in another
            self.denied.append(f"attach {arg1}")
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK
