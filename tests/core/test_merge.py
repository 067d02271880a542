"""Team merge: documents by text, labels by name, everyone's spans and links kept as theirs."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.errors import InvalidOperation
from app.models import NewDocument
from app.storage.project import Project
from app.team.merge import format_merge, merge_into, merge_projects, merge_undoable
from tests.core.store_helpers import dump

TEXT_1 = "Mevlüt Çavuşoğlu met Lavrov in Moscow on Monday."
TEXT_2 = "Cavusoglu denied meeting Lavrov 😀 at all."


def make(
    path: Path, annotator: str, *, kinds: dict[str, str] | None = None, texts: tuple[str, ...] = (TEXT_1, TEXT_2)
) -> Path:
    """A teammate's project: both articles, two spans and a link by `annotator`."""
    with Project.create(path, default_labels=False) as project:
        for name, kind in (kinds or {"PERSON": "entity", "CLAIM": "claim"}).items():
            project.add_label(name, kind)
        docs = project.add_documents([NewDocument(text=t, title=t[:9]) for t in texts]).value.added
        person = project.add_span(docs[0], 0, 16, "PERSON", annotator).value.id
        other = project.add_span(docs[-1], 0, 9, "PERSON", annotator).value.id
        project.add_link("same_as", person, other, annotator)
    return path


def table(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return sorted(conn.execute(sql).fetchall(), key=repr)


def test_merge_keeps_every_annotator_and_matches_documents_by_text(tmp_path: Path) -> None:
    ana, ben = make(tmp_path / "ana.parallax", "ana"), make(tmp_path / "ben.parallax", "ben")
    team = tmp_path / "team.parallax"
    report = merge_projects([ana, ben], team)
    assert not report.refused
    first, second = report.sources
    assert (first.documents_added, first.spans_added, first.links_added, first.labels_added) == (2, 2, 1, 2)
    assert (second.documents_added, second.documents_matched, second.spans_added, second.links_added) == (0, 2, 2, 1)
    assert second.labels_added == 0 and second.annotators_added == 1
    # documents keep the first source's uuids; spans and links keep theirs, each with its annotator
    assert table(team, "SELECT uuid FROM document") == table(ana, "SELECT uuid FROM document")
    assert table(team, "SELECT uuid FROM span") == sorted(
        table(ana, "SELECT uuid FROM span") + table(ben, "SELECT uuid FROM span"), key=repr
    )
    assert table(team, "SELECT a.name, count(*) FROM span JOIN annotator a ON a.id = annotator_id GROUP BY a.name") == [
        ("ana", 2),
        ("ben", 2),
    ]
    assert table(
        team,
        "SELECT l.uuid, a.name, s.quote, t.quote FROM link l JOIN annotator a ON a.id ="
        " l.annotator_id JOIN span s ON s.id = source_span_id JOIN span t ON t.id = target_span_id",
    ) == sorted(
        [
            (u, who, "Mevlüt Çavuşoğlu", "Cavusoglu")
            for who, u in (
                ("ana", table(ana, "SELECT uuid FROM link")[0][0]),
                ("ben", table(ben, "SELECT uuid FROM link")[0][0]),
            )
        ],
        key=repr,
    )
    assert table(team, "SELECT name, kind FROM label") == [("CLAIM", "claim"), ("PERSON", "entity")]
    assert "2 documents added" in format_merge(report)


def test_merging_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    ana, ben = make(tmp_path / "ana.parallax", "ana"), make(tmp_path / "ben.parallax", "ben")
    team = tmp_path / "team.parallax"
    merge_projects([ana, ben], team)
    before = dump(team)
    report = merge_projects([ana, ben, ana], team)
    assert dump(team) == before
    for source in report.sources:
        assert (source.spans_added, source.links_added, source.documents_added, source.labels_added) == (0, 0, 0, 0)
        assert (source.spans_skipped, source.links_skipped, source.documents_matched) == (2, 1, 2)


def test_same_span_under_another_uuid_is_skipped_and_counted(tmp_path: Path) -> None:
    # Two projects where "ana" made the same span and link independently: other uuids, same content.
    first, second = make(tmp_path / "a1.parallax", "ana"), make(tmp_path / "a2.parallax", "ana")
    team = tmp_path / "team.parallax"
    report = merge_projects([first, second], team)
    again = report.sources[1]
    assert (again.spans_added, again.spans_duplicate, again.links_added, again.links_duplicate) == (0, 2, 0, 1)
    assert table(team, "SELECT count(*) FROM span") == [(2,)] and table(team, "SELECT count(*) FROM link") == [(1,)]
    before = dump(team)
    merge_projects([second], team)
    assert dump(team) == before


def test_a_link_to_a_duplicate_span_points_at_the_equal_target_span(tmp_path: Path) -> None:
    first, second = make(tmp_path / "a1.parallax", "ana"), make(tmp_path / "a2.parallax", "ana")
    with Project.open(second) as project:  # a link only the second file has, from a duplicate span
        spans = project.spans()
        project.add_link("contradicts", spans[1].id, spans[0].id, "ana")
    team = tmp_path / "team.parallax"
    report = merge_projects([first, second], team)
    assert (report.sources[1].links_added, report.sources[1].links_duplicate) == (1, 1)
    assert table(
        team,
        "SELECT kind, s.quote, t.quote FROM link JOIN span s ON s.id = source_span_id"
        " JOIN span t ON t.id = target_span_id",
    ) == [("contradicts", "Cavusoglu", "Mevlüt Çavuşoğlu"), ("same_as", "Mevlüt Çavuşoğlu", "Cavusoglu")]


def test_label_kind_clash_refuses_that_source_only(tmp_path: Path) -> None:
    ana = make(tmp_path / "ana.parallax", "ana")
    odd = make(
        tmp_path / "odd.parallax",
        "odd",
        kinds={"person": "claim", "CLAIM": "claim"},
        texts=("Another article entirely, with its own text.",),
    )
    ben = make(tmp_path / "ben.parallax", "ben")
    team = tmp_path / "team.parallax"
    merge_projects([ana], team)
    before = dump(team)
    report = merge_projects([odd], team)
    assert dump(team) == before  # nothing from the clashing file, not even its new document
    (refused,) = report.refused
    assert refused.refused is not None and refused.spans_added == 0
    for part in ("'person'", "claim in odd.parallax", "entity in team.parallax", "(as 'PERSON')"):
        assert part in refused.refused
    assert "REFUSED" in format_merge(report)
    report = merge_projects([odd, ben], team)  # the others still go in
    assert [s.refused is None for s in report.sources] == [False, True]
    assert report.sources[1].spans_added == 2


def test_labels_match_by_name_ignoring_case(tmp_path: Path) -> None:
    ana = make(tmp_path / "ana.parallax", "ana")
    ben = make(tmp_path / "ben.parallax", "ben", kinds={"person": "entity", "Claim": "claim"})
    team = tmp_path / "team.parallax"
    report = merge_projects([ana, ben], team)
    assert report.sources[1].labels_added == 0
    assert table(team, "SELECT l.name, count(*) FROM span JOIN label l ON l.id = label_id GROUP BY l.name") == [
        ("PERSON", 4)
    ]


def test_merging_a_project_into_itself_is_refused(tmp_path: Path) -> None:
    ana = make(tmp_path / "ana.parallax", "ana")
    before = dump(ana)
    with pytest.raises(InvalidOperation, match="into itself"):
        merge_projects([ana], ana)
    (tmp_path / "alias.parallax").symlink_to(ana)
    with pytest.raises(InvalidOperation, match="into itself"):
        merge_projects([tmp_path / "alias.parallax"], ana)
    with Project.open(ana) as project, pytest.raises(InvalidOperation, match="into itself"):
        merge_into(project, [tmp_path / "ben.parallax", ana])
    with pytest.raises(InvalidOperation, match="nothing to merge"):
        merge_projects([], tmp_path / "team.parallax")
    assert dump(ana) == before and not (tmp_path / "team.parallax").exists()


def test_a_source_that_cannot_be_opened_is_reported(tmp_path: Path) -> None:
    ana = make(tmp_path / "ana.parallax", "ana")
    (tmp_path / "notes.parallax").write_text("not a project")
    report = merge_projects(
        [tmp_path / "missing.parallax", tmp_path / "notes.parallax", ana], tmp_path / "team.parallax"
    )
    reasons = [s.refused or "" for s in report.sources]
    assert "no such project file" in reasons[0] and "not a Parallax project" in reasons[1] and not reasons[2]


def test_new_target_has_no_default_labels(tmp_path: Path) -> None:
    ana = make(tmp_path / "ana.parallax", "ana", kinds={"PERSON": "entity"})
    report = merge_projects([ana], tmp_path / "team.parallax")
    assert table(tmp_path / "team.parallax", "SELECT name FROM label") == [("PERSON",)]
    assert report.sources[0].warnings == ()


def test_merge_into_an_open_project_is_one_undoable_step(project: Project, tmp_path: Path) -> None:
    ana, ben = make(tmp_path / "ana.parallax", "ana"), make(tmp_path / "ben.parallax", "ben")
    project.add_documents([NewDocument(text=TEXT_1)])
    before = dump(project.path)
    outcome = merge_undoable(project, [ana, ben])
    assert outcome.value.sources[0].documents_matched == 1
    merged = dump(project.path)
    redo = project.apply(outcome.undo)
    assert dump(project.path) == before
    project.apply(redo.undo)
    assert dump(project.path) == merged


def test_merge_never_writes_to_its_sources(tmp_path: Path) -> None:
    ana = make(tmp_path / "ana.parallax", "ana")
    before, files = ana.read_bytes(), sorted(p.name for p in tmp_path.iterdir())
    report = merge_projects([ana], tmp_path / "team.parallax")
    assert not report.refused
    assert ana.read_bytes() == before  # not even its header: no WAL switch, no upgrade
    assert sorted(p.name for p in tmp_path.iterdir() if "team" not in p.name) == files


def test_merge_reads_a_source_that_is_open_elsewhere(tmp_path: Path) -> None:
    ana = make(tmp_path / "ana.parallax", "ana")
    with Project.open(ana):
        report = merge_projects([ana], tmp_path / "team.parallax")
    assert not report.refused
    assert table(tmp_path / "team.parallax", "SELECT count(*) FROM span") == [(2,)]
