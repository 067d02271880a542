"""`Project`: the open project file and every operation on it.

Each public mutator is one transaction: it commits whole or changes nothing,
and returns an `Outcome` saying what changed and how to undo it. The class is
built in layers, one module each: `ProjectFile` (the file, transactions,
delete/restore) ← `DocumentStore` ← `LabelStore` ← `AnnotationStore` (spans,
links) ← `Project` (undo steps, settings, bulk-import markers, statistics).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

from app.models import ProjectStats
from app.storage import connection
from app.storage.annotations import AnnotationStore
from app.storage.changes import Changes, Delete, IdMarker, Outcome, Restore, UndoStep, Update
from app.storage.default_labels import DEFAULT_LABELS
from app.storage.documents import AddedDocuments
from app.storage.project_file import now, sha256

__all__ = ["AddedDocuments", "Project", "now", "sha256"]


class Project(AnnotationStore):
    """One open `.parallax` file. Use `Project.create` or `Project.open`."""

    @classmethod
    def create(cls, path: str | Path, *, default_labels: bool = True) -> Self:
        target = Path(path).absolute()
        connection.create(target)
        project = cls.open(target)
        if default_labels:
            for hotkey, (name, kind, color) in enumerate(DEFAULT_LABELS, start=1):
                project.add_label(name, kind, color, hotkey=str(hotkey))
        return project

    # ---- undo, redo and restore ----------------------------------------
    def apply(self, step: UndoStep) -> Outcome[Any]:
        """Perform an undo (or redo) step; the Outcome's `undo` reverses it."""
        if isinstance(step, Restore):
            return self.restore(step.removed)
        if isinstance(step, Delete):
            return self._delete(step)
        if not isinstance(step, Update):  # review, curation: the step performs itself
            return step.apply(self)
        if step.table == "span":
            return self.update_span(step.id, **step.fields)
        if step.table == "link":
            return self.update_link(step.id, **step.fields)
        if step.table == "setting":
            return self.set_setting(step.fields["key"], step.fields["value"])
        return self.update_label(step.id, **step.fields)

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
    def id_marker(self) -> IdMarker:
        """The highest id of each kind now; pass it to `added_since` after a bulk import."""

        def top(table: str) -> int:
            return int(self.query(f"SELECT coalesce(max(id), 0) FROM {table}")[0][0])

        return IdMarker(documents=top("document"), labels=top("label"), spans=top("span"), links=top("link"))

    def added_since(self, marker: IdMarker) -> Outcome[None]:
        """What was added after `marker` (an import), as an Outcome whose undo removes it.

        Sound because imports run alone: the GUI is modal while they do.
        """

        def newer(table: str, top: int) -> tuple[int, ...]:
            return tuple(r[0] for r in self.query(f"SELECT id FROM {table} WHERE id > ? ORDER BY id", (top,)))

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
