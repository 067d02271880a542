"""Documents: adding articles (with their search rows), reading them, searching."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import cast

from app.errors import CorruptProject, InvalidOperation, NotFound
from app.models import Document, DocumentId, DocumentRow, DocumentSummary, NewDocument, SearchHit
from app.storage import rows
from app.storage.changes import Changes, Delete, Outcome, Removed
from app.storage.project_file import ProjectFile, now, sha256
from app.storage.search import (
    SEARCH_INSERT,
    Outlets,
    index_text,
    matching_ids,
    needs_folding,
    search_documents,
    search_row,
)
from app.text.fold import fold
from app.text.utf8 import Utf8, utf8

# The document list's order, as the covering index `document_listing` holds it (schema.sql).
LIST_ORDER = "published IS NULL, published, id"


def lf(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_META = json.JSONEncoder(ensure_ascii=False)  # as json.dumps(..., ensure_ascii=False), made once


def _document_values(doc: NewDocument, digest: str, stamp: str, doc_uuid: str | None = None) -> tuple[object, ...]:
    """A new document's row from `uuid` on, as the INSERTs below list the columns."""
    meta = _META.encode(doc.meta) if doc.meta else "{}"
    doc_uuid = doc_uuid or str(uuid.uuid4())
    return (doc_uuid, doc.title, doc.source, doc.url, doc.published, doc.text, digest, meta, stamp)


def random_uuids(count: int) -> list[str]:
    """`count` random (version 4) UUIDs as text, as str(uuid.uuid4()) writes them, from one
    read of the system's randomness: a third of the time of calling uuid4 for each."""
    digits = os.urandom(16 * count).hex()
    return [
        f"{digits[at : at + 8]}-{digits[at + 8 : at + 12]}-4{digits[at + 13 : at + 16]}"
        f"-{_VARIANT[digits[at + 16]]}{digits[at + 17 : at + 20]}-{digits[at + 20 : at + 32]}"
        for at in range(0, 32 * count, 32)
    ]


# The variant digit: 10xx in binary (RFC 9562), the random digit's two low bits kept.
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


@dataclass(frozen=True)
class AddedDocuments:
    added: tuple[DocumentId, ...]
    duplicates: tuple[int, ...]  # positions in the input whose text was already there


class DocumentStore(ProjectFile):
    @cached_property
    def _outlets(self) -> Outlets:  # the filter's outlet names, kept while the file is unchanged
        return Outlets()

    def add_documents(
        self, docs: Sequence[NewDocument], scans: Sequence[Utf8 | None] | None = None
    ) -> Outcome[AddedDocuments]:
        """Store articles in one transaction; texts already present are skipped.

        Line ends become LF first, as every file importer does: the views count
        a CRLF as one character, so a text stored with CRs would shift every span.
        `scans`, if given, holds `utf8(doc.text)` for each document an importer had
        scanned so (else None): its texts are not encoded again.
        """
        docs = list(docs)
        prepared: list[tuple[str, bool]] = []  # each text's hash, and whether its search row is folded
        for position, doc in enumerate(docs):
            # Each text is encoded once; its bytes are also the quick place to look for CR and NUL.
            scan = scans[position] if scans is not None else None
            scan = utf8(doc.text) if scan is None else scan
            if b"\r" in scan.data:
                doc = docs[position] = doc.model_copy(update={"text": lf(doc.text)})
                scan = utf8(doc.text)
            if b"\x00" in scan.odd:  # SQLite's length() and FTS highlight() stop at a NUL
                raise InvalidOperation(f"document {position + 1} ({doc.title!r}) contains a NUL character")
            prepared.append((hashlib.sha256(scan.data).hexdigest(), needs_folding(scan.odd)))
        digests = [digest for digest, _ in prepared]
        stamp = now()
        with self.transaction() as conn:
            found = conn.execute(
                "SELECT text_sha256 FROM document WHERE text_sha256 IN (SELECT value FROM json_each(?))",
                (json.dumps(digests),),
            )
            seen = {row[0] for row in found}
            duplicates: list[int] = []
            new: list[tuple[NewDocument, str, str]] = []
            for position, (doc, (digest, folded)) in enumerate(zip(docs, prepared, strict=True)):
                if digest in seen:
                    duplicates.append(position)
                else:  # folded now, for the new texts only: a duplicate's would be thrown away
                    seen.add(digest)
                    new.append((doc, digest, fold(doc.text) if folded else doc.text))
            # The ids SQLite would give one by one (max + 1: no AUTOINCREMENT), so both tables
            # are filled by one executemany each rather than two statements per article.
            first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM document").fetchone()[0]
            added = [DocumentId(first + n) for n in range(len(new))]
            self.executemany(
                conn,
                "INSERT INTO document (id, uuid, title, source, url, published, text, text_sha256,"
                " meta, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (doc_id, *_document_values(doc, digest, stamp, doc_uuid))
                    for doc_id, (doc, digest, _), doc_uuid in zip(added, new, random_uuids(len(new)), strict=True)
                ],
            )
            self.executemany(
                conn,
                SEARCH_INSERT,
                [(doc_id, index_text(doc.title), text) for doc_id, (doc, _, text) in zip(added, new, strict=True)],
            )
        changes = Changes(documents=bool(added))
        undo = Delete(documents=tuple(added))
        return Outcome(AddedDocuments(tuple(added), tuple(duplicates)), changes, undo)

    def insert_document_row(self, conn: sqlite3.Connection, doc: NewDocument, digest: str, stamp: str) -> DocumentId:
        """Insert one document and its search row."""
        cursor = conn.execute(
            "INSERT INTO document (uuid, title, source, url, published, text, text_sha256,"
            " meta, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _document_values(doc, digest, stamp),
        )
        doc_id = DocumentId(int(cursor.lastrowid or 0))
        conn.execute(*search_row(doc_id, doc.title, doc.text))
        return doc_id

    def documents(self, ids: Iterable[int] | None = None) -> list[DocumentSummary]:
        """Summaries of all documents (or of those `ids`), in list order."""
        where, params = "", cast(tuple[str, ...], ())
        if ids is not None:
            where, params = "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(ids))),)
        found = self.query(
            f"SELECT id, uuid, title, source, url, published, length(text) FROM document {where} ORDER BY {LIST_ORDER}",
            params,
        )
        counts = self.span_counts(r[0] for r in found) if ids is not None else self._all_span_counts()
        keys = ("id", "uuid", "title", "source", "url", "published", "length", "span_count")
        return [
            rows.trusted(DocumentSummary, dict(zip(keys, (*row, counts.get(row[0], 0)), strict=True))) for row in found
        ]

    def document_rows(
        self, ids: Iterable[int] | None = None, *, offset: int = 0, limit: int | None = None
    ) -> list[DocumentRow]:
        """Documents as the document list shows them, in list order: every one, those `ids`, or
        `limit` from `offset` (a screenful: the list reads no more). All from the covering index."""
        count = "(SELECT count(*) FROM span WHERE document_id = document.id)"
        if ids is not None:
            found = self.query(
                f"SELECT id, title, source, published, {count} FROM document"
                f" WHERE id IN (SELECT value FROM json_each(?)) ORDER BY {LIST_ORDER}",
                (json.dumps(sorted(set(ids))),),
            )
        elif limit is not None:
            found = self.query(
                f"SELECT id, title, source, published, {count} FROM document ORDER BY {LIST_ORDER} LIMIT ? OFFSET ?",
                (limit, offset),
            )
        else:
            listed = self.query(f"SELECT id, title, source, published FROM document ORDER BY {LIST_ORDER}")
            counts = self._all_span_counts()
            return [DocumentRow(i, t, source, published, counts.get(i, 0)) for i, t, source, published in listed]
        return [DocumentRow._make(row) for row in found]

    def document_count(self) -> int:
        return int(self.query("SELECT count(*) FROM document")[0][0])

    def _all_span_counts(self) -> dict[DocumentId, int]:
        """One pass over the span index: cheaper than a count per document."""
        return dict(self.query("SELECT document_id, count(*) FROM span GROUP BY document_id"))

    def document_ids(self) -> list[DocumentId]:
        """Every document's id, in list order (without reading their texts)."""
        found = self.query(f"SELECT id FROM document ORDER BY {LIST_ORDER}")
        return [row[0] for row in found]

    def span_counts(self, ids: Iterable[int]) -> dict[DocumentId, int]:
        """How many spans each of these documents has (cheaper than their summaries); a count
        read once is held while this project's own edits keep it exact (`span_counts.py`)."""
        with self._mutex:
            known, missing = self._span_counts.held(set(ids))
            if missing:
                found = self.query(
                    "SELECT value, (SELECT count(*) FROM span WHERE document_id = value) FROM json_each(?)",
                    (json.dumps(sorted(missing)),),
                )
                read = {DocumentId(doc_id): count for doc_id, count in found}
                if not self._conn.in_transaction:  # read inside a write: it may yet roll back
                    self._span_counts.hold(read)
                known |= read
            return known

    def document(self, doc_id: int) -> Document:
        # The text comes from the checked cache: one copy of a 1 MB article in memory, not two.
        columns = rows.DOCUMENT_COLUMNS.replace(" text,", " NULL,")
        found = self.query(f"SELECT {columns} FROM document WHERE id = ?", (doc_id,))
        if not found:
            raise NotFound(f"document {doc_id} does not exist")
        return rows.document((*found[0][:6], self.text(doc_id), *found[0][7:]))

    def whole_documents(self, ids: Iterable[int] | None = None) -> list[Document]:
        """All documents (or those `ids`) with their texts, checked against their hashes, in list
        order: one query, not one per document, for exports of 10,000 articles."""
        where, params = "", cast(tuple[str, ...], ())
        if ids is not None:
            where, params = "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(ids))),)
        found = self.query(f"SELECT {rows.DOCUMENT_COLUMNS} FROM document {where} ORDER BY {LIST_ORDER}", params)
        return [rows.document((*row[:6], self._checked(row[0], row[6], row[7]), *row[7:])) for row in found]

    def text(self, doc_id: int) -> str:
        """A document's text, checked against its stored hash; cached, since it never changes."""
        key = DocumentId(doc_id)
        if key not in self._texts:
            found = self.query("SELECT text, text_sha256 FROM document WHERE id = ?", (doc_id,))
            if not found:
                raise NotFound(f"document {doc_id} does not exist")
            return self._checked(key, *found[0])
        return self._texts[key]

    def _checked(self, doc_id: int, text: str, digest: str) -> str:
        """The cached text if there is one (one copy in memory, not two), else `text` checked and cached."""
        key = DocumentId(doc_id)
        if key not in self._texts:
            if sha256(text) != digest:
                raise CorruptProject(f"{self.path}: the text of document {doc_id} is damaged")
            self._texts[key] = text
        return self._texts[key]

    def delete_document(self, doc_id: int) -> Outcome[Removed]:
        return self._delete(Delete(documents=(doc_id,)))

    def search(self, query: str, limit: int = 50, document_id: int | None = None) -> list[SearchHit]:
        """Best hits first, each with its first match; `document_id` searches that one only."""
        with self._mutex:
            return search_documents(self._conn, query, limit, document_id)

    def matching_documents(self, query: str, limit: int) -> list[DocumentId]:
        """Ids of documents holding every word, unranked and unhighlighted (for filtering a list)."""
        with self._mutex:
            return matching_ids(self._conn, query, limit, self._outlets)
