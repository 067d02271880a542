"""Labels and annotators."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.errors import InvalidOperation, NotFound
from app.models import Annotator, Label, LabelId, LabelKind
from app.storage import rows
from app.storage.changes import Changes, Delete, Outcome, Removed, Update
from app.storage.checks import annotator_in, key_column, valid
from app.storage.default_labels import PALETTE
from app.storage.documents import DocumentStore


class LabelStore(DocumentStore):
    def labels(self) -> list[Label]:
        return [rows.label(r) for r in self.query(f"SELECT {rows.LABEL_COLUMNS} FROM label ORDER BY position, id")]

    def label(self, key: int | str) -> Label:
        found = self.query(f"SELECT {rows.LABEL_COLUMNS} FROM label WHERE {key_column(key)} = ?", (key,))
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
