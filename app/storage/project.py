"""`Project`: the open project file and every operation on it.

Each public mutator is one transaction: it commits whole or changes nothing,
and returns an `Outcome` saying what changed and how to undo it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, overload

from app.errors import CorruptProject, InvalidOperation, NotFound, ProjectError, ProjectReadOnly
from app.models import (
    Annotator,
    AnnotatorId,
    Document,
    DocumentId,
    DocumentSummary,
    Label,
    LabelId,
    LabelKind,
    Link,
    LinkId,
    LinkKind,
    NewDocument,
    ProjectStats,
    SearchHit,
    Span,
    SpanId,
    SpanRow,
)
from app.storage import connection, rows
from app.storage.changes import Changes, Delete, Outcome, Removed, Restore, UndoStep, Update
from app.storage.checks import annotator_in, check_range, link_kind, valid
from app.storage.default_labels import DEFAULT_LABELS, PALETTE
from app.storage.removal import changes_of, collect, delete_rows, insert_rows
from app.storage.search import search_documents, search_row


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AddedDocuments:
    added: tuple[DocumentId, ...]
    duplicates: tuple[int, ...]  # positions in the input whose text was already there


class Project:
    """One open `.parallax` file. Use `Project.create` or `Project.open`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: Any) -> None:
        self.path = path
        self._conn = conn
        self._lock = lock
        self._mutex = threading.RLock()
        self._texts: dict[DocumentId, str] = {}
        self._batch_depth = 0

    # ---- opening and closing -------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, default_labels: bool = True) -> Project:
        target = Path(path).absolute()
        connection.create(target)
        project = cls.open(target)
        if default_labels:
            for hotkey, (name, kind, color) in enumerate(DEFAULT_LABELS, start=1):
                project.add_label(name, kind, color, hotkey=str(hotkey))
        return project

    @classmethod
    @contextmanager
    def snapshot(cls, path: str | Path) -> Iterator[Project]:
        """Open a private copy of a project (a colleague's file to merge or read):
        the original is never written, locked or upgraded."""
        source = Path(path).absolute()
        if not source.exists():
            raise NotFound(f"{source}: no such project file")
        with tempfile.TemporaryDirectory(prefix="parallax-") as folder:
            copy = Path(folder) / source.name
            connection.copy_to(source, copy)
            with cls.open(copy) as project:
                yield project

    @classmethod
    def open(cls, path: str | Path) -> Project:
        target = Path(path).absolute()
        if not target.exists():
            raise NotFound(f"{target}: no such project file")
        connection.check_writable(target)
        lock = connection.acquire_lock(target)
        try:
            conn = connection.connect(target)
        except BaseException:
            lock.release()
            raise
        return cls(target, conn, lock)

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

    def __enter__(self) -> Project:
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
                yield from self._savepoint()
                return
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise ProjectReadOnly(f"{self.path}: cannot write ({exc})") from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:  # SQLite itself rolls back on a full disk or I/O error
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise ProjectError(f"{self.path}: the change was not saved ({exc})") from exc
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
        conn.execute("RELEASE operation")

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many operations into one commit (bulk imports): each stays
        all-or-nothing, but the group costs one disk sync instead of one each.
        Nothing in the group is durable until the block ends."""
        with self.transaction():
            self._batch_depth += 1
            try:
                yield
            finally:
                self._batch_depth -= 1

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Read rows with SQL (for app/ modules with their own tables: review, adjudication)."""
        with self._mutex:
            return self._conn.execute(sql, params).fetchall()

    # ---- documents -----------------------------------------------------
    def add_documents(self, docs: Sequence[NewDocument]) -> Outcome[AddedDocuments]:
        """Store articles in one transaction; texts already present are skipped."""
        for position, doc in enumerate(docs):
            if "\x00" in doc.text:  # SQLite's length() and FTS highlight() stop at a NUL
                raise InvalidOperation(f"document {position + 1} ({doc.title!r}) contains a NUL character")
        added: list[DocumentId] = []
        duplicates: list[int] = []
        seen: set[str] = set()
        stamp = now()
        with self.transaction() as conn:
            for position, doc in enumerate(docs):
                digest = sha256(doc.text)
                doc_id = None if digest in seen else self.insert_document_row(conn, doc, digest, stamp, True)
                if doc_id is None:
                    duplicates.append(position)
                    continue
                seen.add(digest)
                added.append(doc_id)
        changes = Changes(documents=bool(added))
        undo = Delete(documents=tuple(added))
        return Outcome(AddedDocuments(tuple(added), tuple(duplicates)), changes, undo)

    @overload
    def insert_document_row(
        self, conn: sqlite3.Connection, doc: NewDocument, digest: str, stamp: str
    ) -> DocumentId: ...

    @overload
    def insert_document_row(
        self, conn: sqlite3.Connection, doc: NewDocument, digest: str, stamp: str, skip_duplicate: bool
    ) -> DocumentId | None: ...

    def insert_document_row(
        self, conn: sqlite3.Connection, doc: NewDocument, digest: str, stamp: str, skip_duplicate: bool = False
    ) -> DocumentId | None:
        """Insert one document and its search row; with skip_duplicate, None if its text is there."""
        cursor = conn.execute(
            "INSERT INTO document (uuid, title, source, url, published, text, text_sha256,"
            " meta, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + (" ON CONFLICT (text_sha256) DO NOTHING" if skip_duplicate else ""),
            (
                str(uuid.uuid4()),
                doc.title,
                doc.source,
                doc.url,
                doc.published,
                doc.text,
                digest,
                json.dumps(doc.meta, ensure_ascii=False),
                stamp,
            ),
        )
        if cursor.rowcount == 0:
            return None
        doc_id = DocumentId(int(cursor.lastrowid or 0))
        conn.execute(*search_row(doc_id, doc.title, doc.text))
        return doc_id

    def documents(self) -> list[DocumentSummary]:
        found = self.query(
            "SELECT d.id, d.uuid, d.title, d.source, d.url, d.published, length(d.text),"
            " (SELECT count(*) FROM span s WHERE s.document_id = d.id)"
            " FROM document d ORDER BY d.published IS NULL, d.published, d.id"
        )
        keys = ("id", "uuid", "title", "source", "url", "published", "length", "span_count")
        return [DocumentSummary(**dict(zip(keys, row, strict=True))) for row in found]

    def document(self, doc_id: int) -> Document:
        found = self.query(f"SELECT {rows.DOCUMENT_COLUMNS} FROM document WHERE id = ?", (doc_id,))
        if not found:
            raise NotFound(f"document {doc_id} does not exist")
        return rows.document(found[0])

    def text(self, doc_id: int) -> str:
        """A document's text, checked against its stored hash; cached, since it never changes."""
        key = DocumentId(doc_id)
        if key not in self._texts:
            found = self.query("SELECT text, text_sha256 FROM document WHERE id = ?", (doc_id,))
            if not found:
                raise NotFound(f"document {doc_id} does not exist")
            text, digest = found[0]
            if sha256(text) != digest:
                raise CorruptProject(f"{self.path}: the text of document {doc_id} is damaged")
            self._texts[key] = text
        return self._texts[key]

    def delete_document(self, doc_id: int) -> Outcome[Removed]:
        return self._delete(Delete(documents=(doc_id,)))

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        with self._mutex:
            return search_documents(self._conn, query, limit)

    # ---- labels and annotators -----------------------------------------
    def labels(self) -> list[Label]:
        return [rows.label(r) for r in self.query(f"SELECT {rows.LABEL_COLUMNS} FROM label ORDER BY position, id")]

    def label(self, key: int | str) -> Label:
        column = "name" if isinstance(key, str) else "id"
        found = self.query(f"SELECT {rows.LABEL_COLUMNS} FROM label WHERE {column} = ?", (key,))
        if not found:
            raise NotFound(f"label {key!r} does not exist")
        return rows.label(found[0])

    def add_label(
        self, name: str, kind: LabelKind | str, color: str | None = None, hotkey: str | None = None
    ) -> Outcome[Label]:
        count = len(self.labels())
        item = valid(
            Label,
            id=0,
            name=name,
            kind=kind,
            color=color or PALETTE[count % len(PALETTE)],
            hotkey=hotkey,
            position=count,
        )
        with self.transaction() as conn:
            cursor = self._write_label(
                conn,
                "INSERT INTO label (name, kind, color, hotkey, position) VALUES (?, ?, ?, ?, ?)",
                item,
                rows.label_values(item)[1:],
            )
            created = item.model_copy(update={"id": LabelId(int(cursor.lastrowid or 0))})
        return Outcome(created, Changes(labels=True), Delete(labels=(created.id,)))

    def update_label(self, label_id: int, **fields: Any) -> Outcome[Label]:
        old = self.label(label_id)
        unknown = set(fields) - {"name", "kind", "color", "hotkey", "position"}
        if unknown:
            raise InvalidOperation(f"labels have no field {sorted(unknown)[0]!r}")
        item = valid(Label, **(old.model_dump() | fields))
        with self.transaction() as conn:
            self._write_label(
                conn,
                "UPDATE label SET name = ?, kind = ?, color = ?, hotkey = ?, position = ? WHERE id = ?",
                item,
                (*rows.label_values(item)[1:], item.id),
            )
        before = {key: getattr(old, key) for key in fields}
        changes = Changes(labels=True, spans="kind" in fields)
        return Outcome(item, changes, Update("label", item.id, before))

    def _write_label(self, conn: sqlite3.Connection, sql: str, item: Label, values: tuple[Any, ...]) -> sqlite3.Cursor:
        try:
            return conn.execute(sql, values)
        except sqlite3.IntegrityError as exc:
            if item.hotkey and "hotkey" in str(exc):
                raise InvalidOperation(f"hotkey {item.hotkey!r} is already used by another label") from exc
            raise InvalidOperation(f"a label named {item.name!r} already exists") from exc

    def delete_label(self, label_id: int) -> Outcome[Removed]:
        """Remove a label with its spans and their links (all restorable by undo)."""
        return self._delete(Delete(labels=(label_id,)))

    def annotators(self) -> list[Annotator]:
        return [rows.annotator(r) for r in self.query("SELECT id, name FROM annotator ORDER BY id")]

    def annotator(self, name: str) -> Annotator:
        """The annotator called `name`, created on first use."""
        with self.transaction() as conn:
            return annotator_in(conn, name)[0]

    # ---- spans ---------------------------------------------------------
    def add_span(
        self,
        document_id: int,
        start: int,
        end: int,
        label: int | str,
        annotator: int | str,
        note: str = "",
        attrs: dict[str, Any] | None = None,
    ) -> Outcome[Span]:
        """Tag text[start:end] (code points) of a document with a label."""
        text = self.text(document_id)
        check_range(document_id, start, end, len(text))
        label_id = self.label(label).id
        item = valid(
            Span,
            id=SpanId(0),
            uuid=str(uuid.uuid4()),
            document_id=DocumentId(document_id),
            start=start,
            end=end,
            label_id=label_id,
            annotator_id=AnnotatorId(0),
            quote=text[start:end],
            attrs=attrs or {},
            note=note,
            created_at=now(),
        )
        with self.transaction() as conn:  # a new annotator is made in the same transaction
            who, created = annotator_in(conn, annotator)
            item = item.model_copy(update={"annotator_id": who.id})
            cursor = conn.execute(
                f"INSERT INTO span ({rows.SPAN_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows.span_values(item)[1:],
            )
            item = item.model_copy(update={"id": SpanId(int(cursor.lastrowid or 0))})
        changes = Changes(spans=True, annotators=created, document_ids=frozenset({item.document_id}))
        return Outcome(item, changes, Delete(spans=(item.id,)))

    def spans(self, document_id: int | None = None) -> list[Span]:
        """Spans of one document (or all), each checked against the text it quotes."""
        where, params = ("WHERE document_id = ?", (document_id,)) if document_id is not None else ("", ())
        found = rows.spans_from_json(self.query(rows.spans_as_json(where), params)[0][0])
        for item in found:
            if self.text(item.document_id)[item.start : item.end] != item.quote:
                raise CorruptProject(
                    f"{self.path}: span {item.uuid} no longer matches document {item.document_id}"
                    f" at {item.start}-{item.end} (stored {item.quote!r})"
                )
        return found

    def spans_by_id(self, span_ids: Iterable[int]) -> dict[SpanId, Span]:
        """Several spans at once, by id (missing ids are simply absent)."""
        found = self.query(
            f"SELECT {rows.SPAN_COLUMNS} FROM span WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(span_ids))),),
        )
        return {item.id: item for item in map(rows.span, found)}

    def span_rows(self, document_id: int) -> list[SpanRow]:
        """A document's spans for drawing, in text order, each checked against its quote."""
        text = self.text(document_id)
        found = [
            SpanRow._make(r)
            for r in self.query(
                'SELECT id, document_id, start, "end", label_id, annotator_id, quote, note FROM span'
                " WHERE document_id = ? ORDER BY start, id",
                (document_id,),
            )
        ]
        for item in found:
            if text[item.start : item.end] != item.quote:
                raise CorruptProject(
                    f"{self.path}: span {item.id} no longer matches document"
                    f" {document_id} at {item.start}-{item.end} (stored {item.quote!r})"
                )
        return found

    def span(self, span_id: int) -> Span:
        found = self.query(f"SELECT {rows.SPAN_COLUMNS} FROM span WHERE id = ?", (span_id,))
        if not found:
            raise NotFound(f"span {span_id} does not exist")
        return rows.span(found[0])

    def update_span(self, span_id: int, **fields: Any) -> Outcome[Span]:
        """Change a span's note, label or attrs (its extent is fixed: delete and re-add)."""
        old = self.span(span_id)
        unknown = set(fields) - {"note", "label_id", "attrs"}
        if unknown:
            raise InvalidOperation(f"cannot change a span's {sorted(unknown)[0]!r}")
        if "label_id" in fields:
            fields["label_id"] = self.label(fields["label_id"]).id
        item = valid(Span, **(old.model_dump() | fields))
        with self.transaction() as conn:
            conn.execute(
                "UPDATE span SET note = ?, label_id = ?, attrs = ? WHERE id = ?",
                (item.note, item.label_id, json.dumps(item.attrs), item.id),
            )
        before = {key: getattr(old, key) for key in fields}
        changes = Changes(spans=True, document_ids=frozenset({item.document_id}))
        return Outcome(item, changes, Update("span", item.id, before))

    def delete_spans(self, span_ids: Iterable[int]) -> Outcome[Removed]:
        """Remove spans and every link touching them."""
        return self._delete(Delete(spans=tuple(span_ids)))

    # ---- links ---------------------------------------------------------
    def add_link(
        self, kind: LinkKind | str, source: int, target: int, annotator: int | str, note: str = ""
    ) -> Outcome[Link]:
        chosen_kind = link_kind(kind)
        if source == target:
            raise InvalidOperation("a link needs two different spans")
        spans = [self.span(source), self.span(target)]
        item = valid(
            Link,
            id=LinkId(0),
            uuid=str(uuid.uuid4()),
            kind=chosen_kind,
            source_span_id=SpanId(source),
            target_span_id=SpanId(target),
            annotator_id=AnnotatorId(0),
            note=note,
            created_at=now(),
        )
        with self.transaction() as conn:
            who, created = annotator_in(conn, annotator)
            item = item.model_copy(update={"annotator_id": who.id})
            cursor = conn.execute(
                f"INSERT INTO link ({rows.LINK_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?)", rows.link_values(item)[1:]
            )
            item = item.model_copy(update={"id": LinkId(int(cursor.lastrowid or 0))})
        touched = frozenset(s.document_id for s in spans)
        changes = Changes(links=True, annotators=created, document_ids=touched)
        return Outcome(item, changes, Delete(links=(item.id,)))

    def links(self, span_id: int | None = None) -> list[Link]:
        where = "WHERE source_span_id = ?1 OR target_span_id = ?1" if span_id is not None else ""
        params = (span_id,) if span_id is not None else ()
        return [rows.link(r) for r in self.query(f"SELECT {rows.LINK_COLUMNS} FROM link {where} ORDER BY id", params)]

    def link(self, link_id: int) -> Link:
        found = self.query(f"SELECT {rows.LINK_COLUMNS} FROM link WHERE id = ?", (link_id,))
        if not found:
            raise NotFound(f"link {link_id} does not exist")
        return rows.link(found[0])

    def update_link(self, link_id: int, **fields: Any) -> Outcome[Link]:
        old = self.link(link_id)
        unknown = set(fields) - {"note", "kind"}
        if unknown:
            raise InvalidOperation(f"cannot change a link's {sorted(unknown)[0]!r}")
        if "kind" in fields:
            fields["kind"] = link_kind(fields["kind"])
        item = valid(Link, **(old.model_dump() | fields))
        with self.transaction() as conn:
            conn.execute("UPDATE link SET note = ?, kind = ? WHERE id = ?", (item.note, item.kind.value, item.id))
        before = {key: getattr(old, key) for key in fields}
        return Outcome(item, Changes(links=True), Update("link", item.id, before))

    def delete_links(self, link_ids: Iterable[int]) -> Outcome[Removed]:
        return self._delete(Delete(links=tuple(link_ids)))

    # ---- undo, redo and restore ----------------------------------------
    def apply(self, step: UndoStep) -> Outcome[Any]:
        """Perform an undo (or redo) step; the Outcome's `undo` reverses it."""
        if isinstance(step, Restore):
            return self.restore(step.removed)
        if isinstance(step, Delete):
            return self._delete(step)
        if step.table == "span":
            return self.update_span(step.id, **step.fields)
        if step.table == "link":
            return self.update_link(step.id, **step.fields)
        if step.table == "setting":
            return self.set_setting(step.fields["key"], step.fields["value"])
        return self.update_label(step.id, **step.fields)

    def restore(self, removed: Removed) -> Outcome[None]:
        """Put back exactly what a delete removed, same ids and uuids."""
        with self.transaction() as conn:
            try:
                insert_rows(conn, removed)
            except sqlite3.IntegrityError as exc:
                raise InvalidOperation(f"cannot restore: {exc}") from exc
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
        for doc in removed.documents:
            self._texts.pop(doc.id, None)
        return Outcome(removed, changes_of(removed), Restore(removed))

    # ---- settings ------------------------------------------------------
    def get_setting(self, key: str) -> str | None:
        found = self.query("SELECT value FROM setting WHERE key = ?", (key,))
        return str(found[0][0]) if found else None

    def set_setting(self, key: str, value: str | None) -> Outcome[None]:
        """Set (or, with None, clear) a project-wide setting; undoable."""
        old = self.get_setting(key)
        with self.transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM setting WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key)"
                    " DO UPDATE SET value = excluded.value",
                    (key, value),
                )
        return Outcome(None, Changes(settings=True), Update("setting", 0, {"key": key, "value": old}))

    # ---- undoing bulk work -----------------------------------------------
    def id_marker(self) -> Delete:
        """The highest id of each kind now; pass it to `added_since` after a bulk import."""

        def top(table: str) -> tuple[int, ...]:
            return (self.query(f"SELECT coalesce(max(id), 0) FROM {table}")[0][0],)

        return Delete(documents=top("document"), labels=top("label"), spans=top("span"), links=top("link"))

    def added_since(self, marker: Delete) -> Outcome[None]:
        """What was added after `marker` (an import), as an Outcome whose undo removes it.

        Sound because imports run alone: the GUI is modal while they do.
        """

        def newer(table: str, top: tuple[int, ...]) -> tuple[int, ...]:
            return tuple(r[0] for r in self.query(f"SELECT id FROM {table} WHERE id > ? ORDER BY id", top))

        undo = Delete(
            documents=newer("document", marker.documents),
            labels=newer("label", marker.labels),
            spans=newer("span", marker.spans),
            links=newer("link", marker.links),
        )
        changes = Changes(
            documents=bool(undo.documents),
            labels=bool(undo.labels),
            annotators=True,
            spans=bool(undo.spans),
            links=bool(undo.links),
        )
        return Outcome(None, changes, undo)

    # ---- statistics ----------------------------------------------------
    def stats(self) -> ProjectStats:
        def counts(sql: str) -> dict[str, int]:
            return {name: count for name, count in self.query(sql)}

        return ProjectStats(
            documents=self.query("SELECT count(*) FROM document")[0][0],
            spans_by_label=counts(
                "SELECT l.name, count(s.id) FROM label l LEFT JOIN span s"
                " ON s.label_id = l.id GROUP BY l.id ORDER BY l.position, l.id"
            ),
            spans_by_annotator=counts(
                "SELECT a.name, count(s.id) FROM annotator a LEFT JOIN span s"
                " ON s.annotator_id = a.id GROUP BY a.id ORDER BY a.name"
            ),
            links_by_kind=counts("SELECT kind, count(*) FROM link GROUP BY kind ORDER BY kind"),
        )
