"""Spans and links: tagging text and joining statements across documents."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable
from typing import Any, NoReturn

from app.errors import CorruptProject, InvalidOperation, NotFound
from app.models import AnnotatorId, DocumentId, LabelId, Link, LinkId, LinkKind, Span, SpanId, SpanRow
from app.storage import rows
from app.storage.changes import Changes, Delete, Outcome, Removed, Update
from app.storage.checks import annotator_in, annotator_key, check_range, key_column, link_kind, valid
from app.storage.labels import LabelStore
from app.storage.project_file import now


def _span_insert(label_column: str, annotator_column: str) -> str:
    return (
        f"INSERT INTO span ({rows.SPAN_COLUMNS}) SELECT NULL, ?, ?, ?, ?, label.id, annotator.id, ?, ?, ?, ?"
        f" FROM label, annotator WHERE label.{label_column} = ? AND annotator.{annotator_column} = ?"
        " RETURNING id, label_id, annotator_id"
    )


# A new span, its label and annotator each named by id or by name (`key_column`): the
# statement made once.
_SPAN_INSERT = {(a, b): _span_insert(a, b) for a in ("id", "name") for b in ("id", "name")}


def _span_values(item: Span) -> tuple[Any, ...]:
    """`rows.span_values` less id, label_id and annotator_id (columns 0, 5, 6), which the
    INSERT's SELECT finds."""
    values = rows.span_values(item)
    return (*values[1:5], *values[7:])


class AnnotationStore(LabelStore):
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
        item = valid(
            Span,
            id=SpanId(0),
            uuid=str(uuid.uuid4()),
            document_id=DocumentId(document_id),
            start=start,
            end=end,
            label_id=LabelId(0),  # both ids are looked up by the INSERT below
            annotator_id=AnnotatorId(0),
            quote=text[start:end],
            attrs=attrs or {},
            note=note,
            created_at=now(),
        )
        with self.transaction() as conn:  # a new annotator is made in the same transaction
            who, created = annotator_key(conn, annotator)
            # One statement finds the label and the annotator and writes the span, so a durable
            # span costs three statements, as in plain SQLite (one more for a new annotator's
            # name). A missing label or annotator writes no row: _missing says which it was.
            sql = _SPAN_INSERT[key_column(label), key_column(who)]
            found = conn.execute(sql, (*_span_values(item), label, who)).fetchall()
            if not found:
                self._missing(conn, label, who)
            self._span_counts.changed({item.document_id: 1})
        [(span_id, label_id, annotator_id)] = found
        values = item.__dict__ | {"id": span_id, "label_id": label_id, "annotator_id": annotator_id}
        item = rows.trusted(Span, values)  # validated above; the ids come from the store
        changes = Changes(
            spans=True, annotators=created, document_ids=frozenset({item.document_id}), span_ids=frozenset({item.id})
        )
        return Outcome(item, changes, Delete(spans=(item.id,)))

    @staticmethod
    def _missing(conn: sqlite3.Connection, label: int | str, who: int | str) -> NoReturn:
        """Say which of a span's label and annotator does not exist."""
        if conn.execute(f"SELECT 1 FROM label WHERE {key_column(label)} = ?", (label,)).fetchone() is None:
            raise NotFound(f"label {label!r} does not exist")
        raise NotFound(f"annotator {who} does not exist")

    def spans(self, document_id: int | None = None) -> list[Span]:
        """Spans of one document (or all), each checked against the text it quotes."""
        where, params = ("WHERE document_id = ?", (document_id,)) if document_id is not None else ("", ())
        found = self.query(f"SELECT {rows.SPAN_COLUMNS} FROM span {where} ORDER BY document_id, start, id", params)
        self._check_quotes(found)
        return rows.stored_spans(found)

    def span_records(self) -> list[tuple[Any, ...]]:
        """Every span as a row of `rows.SPAN_COLUMNS` (attrs as stored JSON text), in no
        particular order, each checked against the text it quotes: for readers of 100,000
        spans (exports) that need no models and sort by their own key."""
        found = self.query(f"SELECT {rows.SPAN_COLUMNS} FROM span")
        self._check_quotes(found)
        return found

    def _check_quotes(self, found: list[tuple[Any, ...]]) -> None:
        texts: dict[int, str] = {}
        for row in found:
            text = texts.get(row[2])
            if text is None:
                text = texts[row[2]] = self.text(row[2])
            if text[row[3] : row[4]] != row[7]:
                raise CorruptProject(
                    f"{self.path}: span {row[1]} no longer matches document {row[2]}"
                    f" at {row[3]}-{row[4]} (stored {row[7]!r})"
                )

    def spans_by_id(self, span_ids: Iterable[int]) -> dict[SpanId, Span]:
        """Several spans at once, by id (missing ids are simply absent)."""
        found = self.query(
            f"SELECT {rows.SPAN_COLUMNS} FROM span WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(span_ids))),),
        )
        return {item.id: item for item in map(rows.span, found)}

    def span_rows(self, document_id: int, ids: Iterable[int] | None = None, before: int | None = None) -> list[SpanRow]:
        """A document's spans (or those of `ids` in it, or those starting `before` an offset) for drawing,
        in text order, each checked against its quote."""
        text = self.text(document_id)
        # With ids, look each up by id ("+" keeps SQLite off the index of all the document's spans).
        only = "" if ids is None else " AND id IN (SELECT value FROM json_each(?))"
        where = "document_id = ?" if ids is None else "+document_id = ?"
        params: tuple[object, ...] = (document_id,) if ids is None else (document_id, json.dumps(sorted(set(ids))))
        if before is not None:  # the first screen of a long article
            only, params = only + " AND start < ?", (*params, before)
        found = [
            SpanRow._make(r)
            for r in self.query(
                'SELECT id, document_id, start, "end", label_id, annotator_id, quote, note FROM span'
                f" WHERE {where}{only} ORDER BY start, id",
                params,
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
            self._span_counts.changed({})  # a span relabelled or annotated: no count moves
        before = {key: getattr(old, key) for key in fields}
        changes = Changes(spans=True, document_ids=frozenset({item.document_id}), span_ids=frozenset({item.id}))
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
            self._span_counts.changed({})
        touched = frozenset(s.document_id for s in spans)
        changes = Changes(links=True, annotators=created, document_ids=touched)
        return Outcome(item, changes, Delete(links=(item.id,)))

    def links(self, span_id: int | None = None) -> list[Link]:
        where = "WHERE source_span_id = ?1 OR target_span_id = ?1" if span_id is not None else ""
        params = (span_id,) if span_id is not None else ()
        return [rows.link(r) for r in self.query(f"SELECT {rows.LINK_COLUMNS} FROM link {where} ORDER BY id", params)]

    def link_records(self) -> list[tuple[Any, ...]]:
        """Every link as a row of `rows.LINK_COLUMNS`, by id, as stored (for exports)."""
        return self.query(f"SELECT {rows.LINK_COLUMNS} FROM link ORDER BY id")

    def first_linked_pair(self) -> tuple[DocumentId, DocumentId] | None:
        """The two documents of the oldest link that joins two documents (what to show first)."""
        found = self.query(
            "SELECT a.document_id, b.document_id FROM link l JOIN span a ON a.id = l.source_span_id"
            " JOIN span b ON b.id = l.target_span_id WHERE a.document_id != b.document_id ORDER BY l.id LIMIT 1"
        )
        return (DocumentId(found[0][0]), DocumentId(found[0][1])) if found else None

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
            self._span_counts.changed({})
        before = {key: getattr(old, key) for key in fields}
        return Outcome(item, Changes(links=True), Update("link", item.id, before))

    def delete_links(self, link_ids: Iterable[int]) -> Outcome[Removed]:
        return self._delete(Delete(links=tuple(link_ids)))
