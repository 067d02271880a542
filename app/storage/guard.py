"""Every statement on a project file runs under a guard: bounded in time, and
unable to run SQL that a file brought along.

The schema check refuses files with foreign triggers or views before any of
their tables is read; the guard holds even if the schema changes while the
file is open (another program adds a trigger): SQLite asks the authorizer
about every access a trigger or view makes, and the guard denies those whose
trigger or view Parallax did not make.
"""

from __future__ import annotations

import sqlite3
import time

# The only trigger or view Parallax makes (schema.sql); a test keeps this in step.
OUR_TRIGGERS_AND_VIEWS = frozenset({"document_text_immutable"})

# SQLite calls the progress handler every this many virtual-machine steps.
STEPS_PER_CALL = 1000


class Guard:
    """The time budget of each statement, and a record of what it refused.

    `seconds` bounds one statement (the trace callback marks where each
    starts); `steps` counts the virtual-machine steps of all of them in
    thousands, so a test can see the budget at work without a clock.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.steps = 0
        self.exhausted = False
        self.denied: list[str] = []
        self._deadline = time.monotonic() + seconds

    def install(self, conn: sqlite3.Connection) -> None:
        conn.set_progress_handler(self._progress, STEPS_PER_CALL)
        conn.set_trace_callback(self._statement_started)
        conn.set_authorizer(self._authorize)

    def _statement_started(self, sql: str) -> None:
        if not sql.startswith("--"):  # "-- TRIGGER name" marks a trigger inside a statement
            self._deadline = time.monotonic() + self.seconds

    def _progress(self) -> int:
        self.steps += 1
        if time.monotonic() > self._deadline:
            self.exhausted = True
            return 1  # SQLite interrupts the statement
        return 0

    def _authorize(self, action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None) -> int:
        if source is not None and source not in OUR_TRIGGERS_AND_VIEWS:
            self.denied.append(f"{source}: action {action} on {arg1}")
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_ATTACH:  # no file may pull in another
            self.denied.append(f"attach {arg1}")
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK
