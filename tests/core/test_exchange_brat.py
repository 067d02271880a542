"""brat standoff: export folder, import back, offsets checked, refusals change nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.errors import ImportRefused, ParallaxError
from app.formats.brat.reader import import_brat
from app.formats.brat.writer import export_brat
from app.formats.dataset import Selection
from app.models import NewDocument
from app.storage.project import Project

TEXT_A = "Mevlüt Çavuşoğlu said 😀 on Monday\nthat forty\nmissiles hit Kharkiv."
TEXT_B = "Ankara denied it. Forty missiles? No, twelve."


def _build(project: Project) -> dict[str, Any]:
    a, b = project.add_documents(
        [NewDocument(text=TEXT_A, title="Çavuşoğlu speaks!", source="Outlet"), NewDocument(text=TEXT_B, title="Denial")]
    ).value.added
    forty = TEXT_A.index("forty")
    project.add_label("Named Thing", "entity")
    person = project.add_span(a, 0, 16, "PERSON", "alice", note="foreign\nminister").value
    claim_a = project.add_span(a, forty, forty + 14, "CLAIM", "bob").value  # crosses a newline
    place = project.add_span(b, 0, 6, "LOCATION", "alice").value
    claim_b = project.add_span(b, 18, 33, "CLAIM", "alice").value
    project.add_span(b, 38, 44, "Named Thing", "bob")
    project.add_link("supports", person.id, claim_a.id, "bob")
    project.add_link("contradicts", claim_a.id, claim_b.id, "alice", note="40 vs 12")
    return {"a": a, "b": b, "claim_a": claim_a, "place": place}


def _spans(project: Project) -> list[tuple[Any, ...]]:
    labels = {x.id: (x.name, x.kind.value) for x in project.labels()}
    people = {x.id: x.name for x in project.annotators()}
    return sorted(
        (
            project.document(s.document_id).text_sha256,
            s.start,
            s.end,
            s.quote,
            labels[s.label_id],
            people[s.annotator_id],
            s.uuid,
            s.note,
        )
        for s in project.spans()
    )


def _links(project: Project) -> list[tuple[Any, ...]]:
    uuids = {s.id: s.uuid for s in project.spans()}
    return sorted(
        (x.uuid, x.kind.value, uuids[x.source_span_id], uuids[x.target_span_id], x.note) for x in project.links()
    )


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Project]:
    with Project.create(tmp_path / "empty.parallax") as fresh:
        yield fresh


def test_round_trip_keeps_spans_links_and_identity(project: Project, empty: Project, tmp_path: Path) -> None:
    _build(project)
    report = export_brat(project, tmp_path / "brat")
    assert (report.documents, report.spans, report.links, report.warnings) == (2, 5, 2, ())

    imported = import_brat(empty, tmp_path / "brat")

    assert (imported.documents_added, imported.spans_added, imported.links_added) == (2, 5, 2)
    assert imported.labels_added == 1  # "Named Thing"; the defaults were already there
    assert _spans(empty) == _spans(project)
    assert _links(empty) == _links(project)
    assert [d.title for d in empty.documents()] == [d.title for d in project.documents()]


def test_ann_lines_follow_brat(project: Project, tmp_path: Path) -> None:
    ids = _build(project)
    export_brat(project, tmp_path / "brat")
    folder = tmp_path / "brat"
    [ann_a] = folder.glob("cavusoglu-speaks-*.ann")
    lines = ann_a.read_text(encoding="utf-8").splitlines()
    start = ids["claim_a"].start
    newline = TEXT_A.index("\n", start)
    assert lines == [
        "T1\tPERSON 0 16\tMevlüt Çavuşoğlu",
        "#1\tAnnotatorNotes T1\tforeign minister",
        f"T2\tCLAIM {start} {newline};{newline + 1} {start + 14}\tforty missiles",
        "R1\tsupports Arg1:T1 Arg2:T2",
    ]
    assert ann_a.with_suffix(".txt").read_bytes() == TEXT_A.encode("utf-8")
    conf = (folder / "annotation.conf").read_text(encoding="utf-8")
    assert "\nCLAIM\n" in conf and "\nNamed_Thing\n" in conf
    assert "contradicts\tArg1:<ENTITY>, Arg2:<ENTITY>" in conf
    cross = (folder / "cross_document_links.tsv").read_text(encoding="utf-8").splitlines()
    assert cross[0].split("\t")[:4] == ["link_uuid", "kind", "source_file", "source_id"]
    assert "\tcontradicts\t" in cross[1]


def test_reimport_changes_nothing(project: Project, empty: Project, tmp_path: Path) -> None:
    _build(project)
    export_brat(project, tmp_path / "brat")
    import_brat(empty, tmp_path / "brat")
    before = (empty.stats(), _spans(empty), _links(empty))

    again = import_brat(empty, tmp_path / "brat")

    assert (again.spans_added, again.links_added, again.documents_added) == (0, 0, 0)
    assert (again.spans_skipped, again.documents_matched) == (5, 2)
    assert (empty.stats(), _spans(empty), _links(empty)) == before


def test_mismatched_offsets_refuse_the_whole_folder(project: Project, empty: Project, tmp_path: Path) -> None:
    _build(project)
    export_brat(project, tmp_path / "brat")
    [ann_b] = (tmp_path / "brat").glob("denial-*.ann")
    ann_b.write_text(ann_b.read_text(encoding="utf-8").replace("LOCATION 0 6", "LOCATION 1 7"), encoding="utf-8")
    before = (empty.stats(), _spans(empty), empty.documents())

    with pytest.raises(ImportRefused) as refused:
        import_brat(empty, tmp_path / "brat")

    message = str(refused.value)
    assert ann_b.name in message and "line 1" in message
    assert "'Ankara'" in message and "'nkara '" in message
    assert (empty.stats(), _spans(empty), empty.documents()) == before


def test_plain_brat_folder_with_crlf_and_bom(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    raw = "\ufeffFirst line\r\nKyiv said 30 drones\r\nwere shot down."
    (folder / "doc1.txt").write_bytes(raw.encode("utf-8"))
    kyiv, drones = raw.index("Kyiv"), raw.index("30 drones")
    (folder / "doc1.ann").write_text(
        f"T1\tGPE {kyiv} {kyiv + 4}\tKyiv\n"
        f"T2\tCLAIM {drones} {drones + 9}\t30 drones\n"
        "A1\tNegated T2\n"
        "R1\tsupports Arg1:T1 Arg2:T2\n"
        f"T3\tGPE {kyiv} {kyiv + 4};{drones + 3} {drones + 9}\tKyiv drones\n"
        "*\tEquiv T1 T3\n",
        encoding="utf-8",
    )

    report = import_brat(project, folder, annotator="carol")

    text = "First line\nKyiv said 30 drones\nwere shot down."
    [doc] = project.documents()
    assert project.document(doc.id).text == text
    spans = project.spans(doc.id)
    assert [(s.quote, s.start, project.label(s.label_id).name) for s in spans] == [
        ("Kyiv", text.index("Kyiv"), "GPE"),
        ("Kyiv said 30 drones", text.index("Kyiv"), "GPE"),
        ("30 drones", text.index("30 drones"), "CLAIM"),
    ]
    gap = text.index("30 drones")
    assert spans[1].attrs == {"brat_fragments": [[gap - 10, gap - 6], [gap + 3, gap + 9]]}
    assert project.label("GPE").kind.value == "entity" and project.label("CLAIM").kind.value == "claim"
    assert {project.annotators()[0].name} == {"carol"}
    assert report.links_added == 2 and report.labels_added == 1
    assert sorted(x.kind.value for x in project.links()) == ["same_as", "supports"]
    assert any("A lines" in w and "1 skipped" in w for w in report.warnings), report.warnings
    assert any("discontinuous span T3" in w for w in report.warnings)


def test_export_refuses_a_foreign_folder_and_replaces_its_own(project: Project, tmp_path: Path) -> None:
    _build(project)
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(ParallaxError, match="not a Parallax brat export"):
        export_brat(project, foreign)
    assert [p.name for p in foreign.iterdir()] == ["cat.jpg"]

    export_brat(project, tmp_path / "brat")
    (tmp_path / "brat" / "stale.ann").write_text("", encoding="utf-8")
    report = export_brat(project, tmp_path / "brat", Selection(labels=frozenset({"CLAIM"})))

    assert not (tmp_path / "brat" / "stale.ann").exists()
    assert report.spans == 2 and report.links == 1
    sidecar = json.loads((tmp_path / "brat" / "parallax.json").read_text(encoding="utf-8"))
    assert sidecar["format"] == "parallax-brat"
    assert not list(tmp_path.glob(".brat.*"))


def test_a_changed_cross_document_quote_is_refused(project: Project, empty: Project, tmp_path: Path) -> None:
    _build(project)
    export_brat(project, tmp_path / "brat")
    table = tmp_path / "brat" / "cross_document_links.tsv"
    table.write_text(table.read_text(encoding="utf-8").replace("Forty missiles?", "Forty missiles!"), encoding="utf-8")

    with pytest.raises(ImportRefused, match=r"cross_document_links.tsv line 2.*'Forty missiles!'"):
        import_brat(empty, tmp_path / "brat")
    assert empty.documents() == [] and empty.spans() == []
