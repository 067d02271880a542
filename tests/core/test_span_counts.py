"""`Project.span_counts` holds counts between reads: after every kind of write (its own
edits, undo and redo, batches, imports, deletes that cascade, refused operations) it still
says what a fresh count of the file says."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import NotFound
from app.models import LinkKind, NewDocument
from app.storage.project import Project
from tests.core.store_helpers import add_doc, read_only

TEXT = "Garneau met Çavuşoğlu in Ankara on Monday; Garneau left on Tuesday."


def counted(path: Path, ids: list[int]) -> dict[int, int]:
    """The counts as another program reads them from the file."""
    with read_only(path) as conn:
        return {i: conn.execute("SELECT count(*) FROM span WHERE document_id = ?", (i,)).fetchone()[0] for i in ids}


@pytest.fixture
def docs(project: Project) -> list[int]:
    return [add_doc(project, TEXT + " One.", "one"), add_doc(project, TEXT + " Two.", "two")]


def check(project: Project, path: Path, docs: list[int]) -> None:
    assert project.span_counts(docs) == counted(path, docs)


def word(name: str) -> tuple[int, int]:
    start = TEXT.index(name)
    return start, start + len(name)


def test_counts_follow_edits_undo_and_redo(project: Project, project_path: Path, docs: list[int]) -> None:
    one, two = docs
    ana = project.annotator("ana").id
    check(project, project_path, docs)  # read once, then held
    first = project.add_span(one, *word("Garneau"), "PERSON", ana)
    check(project, project_path, docs)
    second = project.add_span(two, *word("Ankara"), "LOCATION", ana)
    third = project.add_span(one, *word("Monday"), "DATE", ana)
    check(project, project_path, docs)
    project.update_span(first.value.id, label_id=project.label("ORG").id, note="a note")
    link = project.add_link(LinkKind.SAME_AS, first.value.id, second.value.id, ana)
    project.update_link(link.value.id, note="same")
    check(project, project_path, docs)
    removed = project.delete_spans([first.value.id, third.value.id])  # its link goes too
    assert project.span_counts(docs) == {one: 0, two: 1} == counted(project_path, docs)
    restored = project.apply(removed.undo)
    check(project, project_path, docs)
    project.apply(restored.undo)
    check(project, project_path, docs)
    undone = project.apply(second.undo)
    assert project.span_counts(docs) == {one: 0, two: 0} == counted(project_path, docs)
    project.apply(undone.undo)
    check(project, project_path, docs)


def test_counts_after_refused_edits_batches_imports_and_cascades(
    project: Project, project_path: Path, docs: list[int]
) -> None:
    one, two = docs
    ana = project.annotator("ana").id
    check(project, project_path, docs)
    with pytest.raises(NotFound):
        project.add_span(one, *word("Ankara"), "NO SUCH LABEL", ana)
    check(project, project_path, docs)
    with project.batch():  # many operations, one commit
        project.add_span(one, *word("Çavuşoğlu"), "PERSON", ana)
        with pytest.raises(NotFound):
            project.add_span(two, *word("Ankara"), "NO SUCH LABEL", ana)  # refused inside: the rest stands
        project.add_span(two, *word("Tuesday"), "DATE", ana)
        project.add_span(two, *word("Monday"), "DATE", ana)
    assert project.span_counts(docs) == {one: 1, two: 2} == counted(project_path, docs)
    three = project.add_documents([NewDocument(text=TEXT + " Three.", title="three")]).value.added[0]
    project.add_span(three, *word("Garneau"), "PERSON", ana)
    check(project, project_path, [*docs, three])
    removed = project.delete_label(project.label("DATE").id)  # its spans, in both documents, go with it
    assert project.span_counts([*docs, three]) == {one: 1, two: 0, three: 1} == counted(project_path, [*docs, three])
    project.apply(removed.undo)
    check(project, project_path, [*docs, three])
    gone = project.delete_document(one)
    check(project, project_path, [*docs, three])
    project.apply(gone.undo)
    check(project, project_path, [*docs, three])


def test_a_count_read_inside_a_write_that_rolls_back_is_not_held(
    project: Project, project_path: Path, docs: list[int]
) -> None:
    one = docs[0]
    ana = project.annotator("ana").id
    with pytest.raises(RuntimeError), project.transaction() as conn:
        conn.execute(
            'INSERT INTO span (uuid, document_id, start, "end", label_id, annotator_id, quote, attrs, note,'
            " created_at) VALUES ('x', ?, 0, 7, ?, ?, 'Garneau', '{}', '', '2026-01-01')",
            (one, project.label("PERSON").id, ana),
        )
        assert project.span_counts([one]) == {one: 1}  # the transaction sees its own row
        raise RuntimeError("the operation fails: nothing is written")
    check(project, project_path, docs)
