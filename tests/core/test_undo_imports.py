"""A bulk import becomes one undo step: `added_since(id_marker())`."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from app.formats.readers import import_annotations
from app.formats.writers import export
from app.models import NewDocument
from app.storage.project import Project


def dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [line for line in conn.iterdump() if "document_search" not in line]


def test_annotation_import_undo_and_redo(project: Project, tmp_path: Path) -> None:
    source = Project.create(tmp_path / "source.parallax")
    (doc,) = source.add_documents([NewDocument(text="Mevlüt Çavuşoğlu 😀 met Garneau.", title="A")]).value.added
    first = source.add_span(doc, 0, 16, "PERSON", "Ben").value
    second = source.add_span(doc, 23, 30, "PERSON", "Ben").value
    source.add_link("same_as", first.id, second.id, "Ben")
    source.add_label("WEAPON", "entity")
    export(source, "jsonl", tmp_path / "out.jsonl")
    source.close()

    before = dump(project.path)
    marker = project.id_marker()
    import_annotations(project, tmp_path / "out.jsonl")
    outcome = project.added_since(marker)
    after = dump(project.path)
    assert len(outcome.undo.spans) == 2 and len(outcome.undo.links) == 1 and len(outcome.undo.documents) == 1
    assert len(outcome.undo.labels) == 1  # WEAPON was new here
    redo = project.apply(outcome.undo)
    assert [x for x in dump(project.path) if not x.startswith('INSERT INTO "annotator"')] == [
        x for x in before if not x.startswith('INSERT INTO "annotator"')
    ]
    project.apply(redo.undo)
    assert dump(project.path) == after
    assert project.search("cavusoglu")[0].title == "A"
