"""`ProjectFile`: one open `.parallax` file, its lock, its transactions.

The bottom layer of `Project` (see `app/storage/project.py`): opening,
closing, one transaction per operation, batches, and the generic delete and
restore that every kind of row shares.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from app.errors import InvalidOperation, NotFound, ProjectError, ProjectReadOnly
from app.models import DocumentId
from app.storage import connection, sidecars
from app.storage.changes import Delete, Outcome, Removed, Restore
from app.storage.removal import changes_of, collect, delete_rows, insert_rows
from app.storage.span_counts import SpanCounts, by_document


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ProjectFile:
    """The open file; `Project` adds the operations on documents, labels, spans and links."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: Any) -> None:
        self.path = path
        self._conn = conn
        self._lock = lock
        self._mutex = threading.RLock()
        self._texts: dict[DocumentId, str] = {}
        self._span_counts = SpanCounts()  # kept across the operations that say what they did
        self._batch_depth = 0
        self._batch_begun = False
        self._wal = False  # switched to write-ahead logging by this connection's first write
        self.notices: list[str] = []  # what opening did that the user should hear of (logs set aside)

    # ---- opening and closing -------------------------------------------
    @classmethod
    @contextmanager
    def snapshot(cls, path: str | Path) -> Iterator[Self]:
        """Open a private copy of a project (a colleague's file to merge or read):
        the original is never written, locked or upgraded."""
        source = Path(path).absolute()
        if not source.exists():
            raise NotFound(f"{source}: no such project file")
        notices: list[str] = []
        with sidecars.scratch_folder() as folder:
            copy = folder / source.name
            connection.copy_to(source, copy, notices)
            try:
                project = cls.open(copy)
            except ProjectError as exc:  # name the user's file, never the copy
                raise type(exc)(str(exc).replace(str(copy), str(source))) from exc
            with project:
                project.notices = notices
                yield project

    @classmethod
    def open(cls, path: str | Path) -> Self:
        target = Path(path).absolute()
        if not target.exists():
            raise NotFound(f"{target}: no such project file")
        connection.check_writable(target)
        lock = connection.acquire_lock(target)
        notices: list[str] = []
        try:
            conn = connection.connect(target, notices)
        except BaseException:
            lock.release()
            raise
        project = cls(target, conn, lock)
        project.notices = notices
        return project

    def close(self) -> None:
        with self._mutex:
            if self._conn is None:
                return
            try:
                connection.close(self._conn)
            finally:
                self._conn = None  # type: ignore[assignment]
                self._lock.release()

    @property
    def closed(self) -> bool:
        return self._conn is None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; anything raised inside rolls it all back.

        For app/ modules that write their own tables or bulk rows (imports,
        merge, review); they must build an Outcome whose undo the store knows.

        Inside `batch()` it is a savepoint instead: still all-or-nothing, but
        committed with its neighbours.
        """
        with self._mutex:
            if self._batch_depth:
                if not self._batch_begun:  # a batch begins at its first operation, not before
                    self._begin()
                    self._batch_begun = True
                yield from self._savepoint()
                return
            self._begin()
            with self._ending():
                yield self._conn

    def _begin(self) -> None:
        try:
            if not self._wal:  # once per open, not a PRAGMA query before every durable span
                connection.begin_writing(self._conn)
                self._wal = True
            self._conn.execute("BEGIN IMMEDIATE")
            self._span_counts.unknown()
        except sqlite3.OperationalError as exc:
            raise ProjectReadOnly(f"{self.path}: cannot write ({exc})") from exc

    @contextmanager
    def _ending(self) -> Iterator[None]:
        """Commit if the block succeeds, else roll back; a failed write names the file."""
        conn = self._conn
        try:
            yield
            conn.execute("COMMIT")
            self._span_counts.committed()
        except BaseException as exc:
            self._span_counts.forget()
            if conn.in_transaction:  # SQLite itself rolls back on a full disk or I/O error
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise ProjectError(f"{self.path}: the change was not saved ({exc})") from exc
            if isinstance(exc, sqlite3.DatabaseError) and str(exc) == "not authorized":  # the Guard said no
                raise ProjectError(
                    f"{self.path}: the change was not saved: another program added a trigger to the file"
                    " that Parallax does not make; close the project and open it again to have it checked"
                ) from exc
            raise

    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        if not conn.in_transaction:  # SQLite rolled the whole batch back (disk full): stop it
            raise ProjectError(f"{self.path}: an earlier failure undid this batch; nothing in it was saved")
        conn.execute("SAVEPOINT operation")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled everything back already (disk full)
                conn.execute("ROLLBACK TO operation")
                conn.execute("RELEASE operation")
            raise
        finally:
            self._span_counts.unknown()  # a batch's commit says nothing of its operations' counts
        conn.execute("RELEASE operation")

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many operations into one commit (bulk imports): each stays
        all-or-nothing, but the group costs one disk sync instead of one each.
        Nothing in the group is durable until the block ends. A group whose
        operations all were refused writes nothing, not even the file header."""
        with self._mutex:
            if self._batch_depth:
                self._batch_depth += 1
                try:
                    yield
                finally:
                    self._batch_depth -= 1
                return
            self._batch_depth, self._batch_begun = 1, False
            try:
                yield
                if self._batch_begun:
                    with self._ending():
                        pass
            except BaseException:
                self._span_counts.forget()
                if self._batch_begun and self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            finally:
                self._batch_depth, self._batch_begun = 0, False

    def executemany(self, conn: sqlite3.Connection, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """One statement for many rows (bulk inserts), guarded, without the per-statement trace."""
        connection.guard_of(conn).executemany(conn, sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Read rows with SQL (for app/ modules with their own tables: review, adjudication)."""
        with self._mutex:
            return self._conn.execute(sql, params).fetchall()

    # ---- deleting and restoring rows -------------------------------------
    def restore(self, removed: Removed) -> Outcome[None]:
        """Put back exactly what a delete removed, same ids and uuids."""
        with self.transaction() as conn:
            try:
                insert_rows(conn, removed)
            except sqlite3.IntegrityError as exc:
                raise InvalidOperation(f"cannot restore: {exc}") from exc
            self._span_counts.changed(by_document(removed.spans, +1))
        undo = Delete(
            documents=tuple(d.id for d in removed.documents),
            labels=tuple(x.id for x in removed.labels),
            spans=tuple(s.id for s in removed.spans),
            links=tuple(x.id for x in removed.links),
        )
        return Outcome(None, changes_of(removed), undo)

    def _delete(self, target: Delete) -> Outcome[Removed]:
        """Delete what `target` names plus everything that depends on it."""
        with self.transaction() as conn:
            removed = collect(conn, target)
            delete_rows(conn, removed)
            self._span_counts.changed(by_document(removed.spans, -1))
        for doc in removed.documents:
            self._texts.pop(doc.id, None)
        return Outcome(removed, changes_of(removed), Restore(removed))
