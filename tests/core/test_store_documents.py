"""Documents: add (with duplicates), read, delete with cascade and undo; immutable text;
stable uuids; stats."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.errors import InvalidOperation, NotFound
from app.models import NewDocument
from app.storage.changes import Delete, Restore
from app.storage.project import Project, sha256
from tests.core.store_helpers import Sample, add_doc, dump


def test_add_documents_skips_texts_already_there(project: Project) -> None:
    first = project.add_documents(
        [
            NewDocument(
                text="one",
                title="First",
                source="Outlet",
                url="https://x.test/1",
                published="2020-10-06",
                meta={"lang": "tr", "by": "Çelik"},
            ),
            NewDocument(text="two"),
            NewDocument(text="one", title="same text, other title"),
        ]
    )
    assert first.value.duplicates == (2,)
    assert len(first.value.added) == 2
    assert first.changes.documents
    assert first.undo == Delete(documents=first.value.added)
    again = project.add_documents([NewDocument(text="two"), NewDocument(text="three")])
    assert again.value.duplicates == (0,) and len(again.value.added) == 1

    one = project.document(first.value.added[0])
    assert (one.title, one.source, one.url, one.published) == ("First", "Outlet", "https://x.test/1", "2020-10-06")
    assert one.meta == {"lang": "tr", "by": "Çelik"}
    assert one.text == project.text(one.id) == "one" and one.text_sha256 == sha256("one")
    summaries = project.documents()
    assert [s.title for s in summaries] == ["First", "", ""]  # dated first, then by id
    assert summaries[0].length == 3 and summaries[0].span_count == 0


def test_adding_only_duplicates_changes_nothing(project: Project, project_path: Path) -> None:
    add_doc(project, "one")
    before = dump(project_path, shadow=True)
    outcome = project.add_documents([NewDocument(text="one")])
    assert outcome.value.added == () and not outcome.changes.documents
    assert dump(project_path, shadow=True) == before


def test_text_with_a_nul_is_refused_whole(project: Project, project_path: Path) -> None:
    before = dump(project_path, shadow=True)
    with pytest.raises(InvalidOperation, match=r"document 2 \('bad'\) contains a NUL"):
        project.add_documents([NewDocument(text="fine"), NewDocument(text="a\x00b", title="bad")])
    assert dump(project_path, shadow=True) == before


def test_undo_add_documents(project: Project, project_path: Path) -> None:
    before = dump(project_path)
    outcome = project.add_documents([NewDocument(text="one"), NewDocument(text="two")])
    project.apply(outcome.undo)
    assert dump(project_path) == before
    assert project.search("one") == []


def test_unknown_document(project: Project, project_path: Path) -> None:
    before = dump(project_path, shadow=True)
    for call in (lambda: project.document(9), lambda: project.text(9), lambda: project.delete_document(9)):
        with pytest.raises(NotFound, match="document 9"):
            call()
    assert dump(project_path, shadow=True) == before


def test_span_count_in_summaries(project: Project) -> None:
    sample = Sample(project)
    counts = {s.id: s.span_count for s in project.documents()}
    assert counts == {sample.first: 2, sample.second: 1}
    lengths = {s.id: s.length for s in project.documents()}
    assert lengths[sample.second] == len(project.text(sample.second))  # code points, 😀 is one


def test_delete_document_takes_spans_links_and_search_row(project: Project, project_path: Path) -> None:
    sample = Sample(project)
    before = dump(project_path)
    document = project.document(sample.second)
    outcome = project.delete_document(sample.second)
    removed = outcome.value
    assert removed.documents == (document,)
    assert [s.id for s in removed.spans] == [sample.denial]
    assert {x.id for x in removed.links} == {sample.same, sample.contra}
    assert [d.id for d in project.documents()] == [sample.first]
    assert project.links() == [] and {s.document_id for s in project.spans()} == {sample.first}
    assert [h.document_id for h in project.search("denied")] == []
    assert [h.document_id for h in project.search("Lavrov")] == [sample.first]
    assert outcome.changes.documents and outcome.changes.spans and outcome.changes.links
    assert sample.second in outcome.changes.document_ids
    assert outcome.undo == Restore(removed)
    with pytest.raises(NotFound):
        project.text(sample.second)

    after = dump(project_path)
    redo = project.apply(outcome.undo)
    assert dump(project_path) == before  # search row included
    assert [h.document_id for h in project.search("denied")] == [sample.second]
    assert project.text(sample.second) == document.text
    assert project.apply(redo.undo).value == removed
    assert dump(project_path) == after


def test_document_text_cannot_be_changed_even_by_raw_sql(project_path: Path) -> None:
    with Project.open(project_path) as project:
        doc = add_doc(project, "the original")
    with closing(sqlite3.connect(project_path)) as conn:
        for sql in (
            "UPDATE document SET text = 'forged' WHERE id = ?",
            "UPDATE document SET text_sha256 = 'x' WHERE id = ?",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="document text is immutable"):
                conn.execute(sql, (doc,))
        conn.execute("UPDATE document SET title = 'a new title' WHERE id = ?", (doc,))  # allowed
        conn.commit()
    with Project.open(project_path) as project:
        assert project.text(doc) == "the original"


def test_uuids_are_unique_and_stable(project_path: Path) -> None:
    with Project.open(project_path) as project:
        Sample(project)
        docs = {d.id: d.uuid for d in project.documents()}
        spans = {s.id: s.uuid for s in project.spans()}
        links = {x.id: x.uuid for x in project.links()}
        everything = [*docs.values(), *spans.values(), *links.values()]
        assert len(set(everything)) == len(everything)
        project.update_span(min(spans), note="edited")
        project.update_link(min(links), note="edited")
        project.apply(project.delete_document(min(docs)).undo)
    with Project.open(project_path) as project:
        assert {d.id: d.uuid for d in project.documents()} == docs
        assert {s.id: s.uuid for s in project.spans()} == spans
        assert {x.id: x.uuid for x in project.links()} == links


def test_stats(project: Project) -> None:
    empty = project.stats()
    assert empty.documents == 0 and empty.spans_by_annotator == {} and empty.links_by_kind == {}
    assert set(empty.spans_by_label.values()) == {0}
    assert list(empty.spans_by_label) == [label.name for label in project.labels()]

    sample = Sample(project)
    project.add_span(sample.second, 0, 9, "PERSON", "bo")
    stats = project.stats()
    assert stats.documents == 2
    assert stats.spans_by_label["PERSON"] == 2 and stats.spans_by_label["CLAIM"] == 2
    assert stats.spans_by_label["ORG"] == 0
    assert stats.spans_by_annotator == {"ana": 3, "bo": 1}
    assert stats.links_by_kind == {"contradicts": 1, "same_as": 1}

    project.delete_label(project.label("CLAIM").id)
    stats = project.stats()
    assert "CLAIM" not in stats.spans_by_label and stats.links_by_kind == {}
    assert stats.spans_by_annotator == {"ana": 1, "bo": 1}


def test_deleting_a_reviewed_link_takes_its_verdicts_and_undo_restores_them(project: Project) -> None:
    (a, b) = project.add_documents([NewDocument(text="All 29 permits."), NewDocument(text="Some permits.")]).value.added
    left = project.add_span(a, 0, 15, "CLAIM", "Ana").value
    right = project.add_span(b, 0, 13, "CLAIM", "Ana").value
    link = project.add_link("contradicts", left.id, right.id, "Ana").value
    with closing(sqlite3.connect(project.path)) as raw:  # review tables are filled by app.review.sessions
        raw.execute(
            "INSERT INTO review_session (id, uuid, name, reviewer, scope, created_at)"
            " VALUES (1, 'u', 'S', 'Rev', '{}', 't')"
        )
        raw.execute(
            "INSERT INTO verdict (id, session_id, link_id, decision, rationale, decided_at)"
            " VALUES (1, 1, ?, 'conflict_confirmed', 'why', 't')",
            (link.id,),
        )
        raw.execute("INSERT INTO verdict_evidence (verdict_id, span_id) VALUES (1, ?)", (right.id,))
        raw.commit()
    removed = project.delete_spans([right.id])
    assert len(removed.value.verdicts) == 1 and len(removed.value.evidence) == 1
    project.apply(removed.undo)
    with closing(sqlite3.connect(project.path)) as raw:
        assert raw.execute("SELECT decision, rationale FROM verdict").fetchall() == [("conflict_confirmed", "why")]
        assert raw.execute("SELECT span_id FROM verdict_evidence").fetchall() == [(right.id,)]
