"""Label Studio JSON: code-point offsets out, code points or old UTF-16 offsets in, checked."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.errors import ImportRefused
from app.formats.labelstudio.reader import import_labelstudio
from app.formats.labelstudio.writer import export_labelstudio
from app.models import NewDocument
from app.storage.project import Project

EMOJI_TEXT = "😀🚀 Mevlüt Çavuşoğlu said\n40 missiles hit Kharkiv 👍🏽 on Monday."


def _utf16(text: str, point: int) -> int:
    return len(text[:point].encode("utf-16-le")) // 2


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Project]:
    with Project.create(tmp_path / "empty.parallax") as fresh:
        yield fresh


def _spans(project: Project) -> list[tuple[Any, ...]]:
    labels = {x.id: x.name for x in project.labels()}
    people = {x.id: x.name for x in project.annotators()}
    return sorted(
        (
            project.document(s.document_id).text_sha256,
            s.start,
            s.end,
            s.quote,
            labels[s.label_id],
            people[s.annotator_id],
            s.note,
        )
        for s in project.spans()
    )


def _links(project: Project) -> list[tuple[Any, ...]]:
    spans = {s.id: (s.start, s.quote) for s in project.spans()}
    return sorted((x.kind.value, spans[x.source_span_id], spans[x.target_span_id]) for x in project.links())


def _build(project: Project) -> tuple[int, int]:
    doc, other = project.add_documents(
        [
            NewDocument(text=EMOJI_TEXT, title="Çavuşoğlu", source="Outlet"),
            NewDocument(text="Ankara denied it.", title="Denial"),
        ]
    ).value.added
    person = project.add_span(
        doc, EMOJI_TEXT.index("Mevlüt"), EMOJI_TEXT.index(" said"), "PERSON", "alice", note="minister"
    ).value
    claim_start = EMOJI_TEXT.index("40")
    claim = project.add_span(doc, claim_start, EMOJI_TEXT.index(" on"), "CLAIM", "alice").value
    project.add_span(doc, EMOJI_TEXT.index("Kharkiv"), EMOJI_TEXT.index(" 👍"), "LOCATION", "bob")
    project.add_span(doc, EMOJI_TEXT.index("Monday"), len(EMOJI_TEXT) - 1, "DATE", "bob")
    denial = project.add_span(other, 0, 6, "LOCATION", "alice").value
    project.add_link("supports", person.id, claim.id, "alice")
    project.add_link("contradicts", claim.id, denial.id, "alice")  # across documents
    return doc, other


def test_export_writes_code_point_offsets_and_a_config(project: Project, tmp_path: Path) -> None:
    _build(project)
    report = export_labelstudio(project, tmp_path / "tasks.json")
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))

    task = next(t for t in tasks if t["data"]["title"] == "Çavuşoğlu")
    assert task["data"]["text"] == EMOJI_TEXT and task["data"]["parallax_annotators"] == ["alice", "bob"]
    assert all("completed_by" not in a for a in task["annotations"])  # Label Studio would refuse names
    alice = task["annotations"][0]["result"]
    person = alice[0]
    assert person["type"] == "labels" and person["value"]["labels"] == ["PERSON"]
    start, end = person["value"]["start"], person["value"]["end"]
    assert EMOJI_TEXT[start:end] == person["value"]["text"] == "Mevlüt Çavuşoğlu"
    assert start == EMOJI_TEXT.index("Mevlüt") != _utf16(EMOJI_TEXT, start)  # code points, not UTF-16
    assert person["meta"] == {"text": ["minister"]}
    [relation] = [r for r in alice if r["type"] == "relation"]
    assert relation["labels"] == ["supports"] and relation["from_id"] == person["id"]
    assert (report.documents, report.spans, report.links) == (2, 5, 1)
    assert any("different documents" in w for w in report.warnings)

    config = ET.fromstring((tmp_path / "labeling_config.xml").read_text(encoding="utf-8"))
    assert config.find("Labels").get("toName") == "text"  # type: ignore[union-attr]
    assert {x.get("value") for x in config.iter("Label")} == {x.name for x in project.labels()}
    assert {x.get("value") for x in config.iter("Relation")} >= {"contradicts", "supports"}
    assert config.find("Text").get("value") == "$text"  # type: ignore[union-attr]


def test_round_trip_restores_spans_and_links(project: Project, empty: Project, tmp_path: Path) -> None:
    _build(project)
    export_labelstudio(project, tmp_path / "tasks.json")

    report = import_labelstudio(empty, tmp_path / "tasks.json")

    assert (report.documents_added, report.spans_added, report.links_added) == (2, 5, 1)
    assert _spans(empty) == _spans(project)
    assert _links(empty) == [x for x in _links(project) if x[0] == "supports"]
    again = import_labelstudio(empty, tmp_path / "tasks.json")
    assert (again.spans_added, again.spans_skipped, again.links_added) == (0, 5, 0)


def _task(text: str, regions: list[tuple[int, int, str, str]], **annotation: Any) -> dict[str, Any]:
    result = [
        {
            "id": f"r{i}",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": a, "end": b, "text": quote, "labels": [label]},
        }
        for i, (a, b, quote, label) in enumerate(regions)
    ]
    return {"id": 7, "data": {"text": text}, "annotations": [{"result": result, **annotation}]}


def test_old_utf16_offsets_and_crlf_text_land_on_code_points(project: Project, tmp_path: Path) -> None:
    raw = "👍🏽 Türkiye\r\nsaid 😀 Kyiv: 30 drones."
    text = raw.replace("\r\n", "\n")
    [existing] = project.add_documents([NewDocument(text=text)]).value.added
    kyiv, drones = raw.index("Kyiv"), raw.index("30 drones")
    tasks = [
        _task(
            raw,
            [
                (_utf16(raw, kyiv), _utf16(raw, kyiv + 4), "Kyiv", "LOCATION"),
                (drones, drones + 9, "30 drones", "CLAIM"),
            ],
            completed_by={"id": 3, "email": "ana@example.org"},
        )
    ]
    (tmp_path / "old.json").write_text(json.dumps(tasks), encoding="utf-8")

    report = import_labelstudio(project, tmp_path / "old.json")

    assert (report.documents_matched, report.documents_added, report.spans_added) == (1, 0, 2)
    spans = project.spans(existing)
    assert [(s.start, s.end, s.quote) for s in spans] == [
        (text.index("Kyiv"), text.index("Kyiv") + 4, "Kyiv"),
        (text.index("30"), text.index("30") + 9, "30 drones"),
    ]
    assert [a.name for a in project.annotators()] == ["ana@example.org"]


def test_relations_direction_and_user_ids(project: Project, tmp_path: Path) -> None:
    text = "Russia said 40. Ukraine said 12."
    task = _task(text, [(0, 6, "Russia", "ORG"), (16, 23, "Ukraine", "ORG")], completed_by=1)
    task["annotations"][0]["result"].append(
        {"type": "relation", "from_id": "r0", "to_id": "r1", "direction": "left", "labels": ["contradicts"]}
    )
    (tmp_path / "rel.json").write_text(json.dumps([task]), encoding="utf-8")

    import_labelstudio(project, tmp_path / "rel.json")

    [link] = project.links()
    assert (project.span(link.source_span_id).quote, project.span(link.target_span_id).quote) == ("Ukraine", "Russia")
    assert [a.name for a in project.annotators()] == ["labelstudio-user-1"]


def test_mismatched_text_refuses_the_whole_file(project: Project, tmp_path: Path) -> None:
    good = _task("Ankara denied it.", [(0, 6, "Ankara", "LOCATION")])
    bad = _task("Kyiv said 30 drones.", [(1, 5, "Kyiv", "LOCATION")])
    (tmp_path / "bad.json").write_text(json.dumps([good, bad]), encoding="utf-8")
    before = (project.stats(), project.spans(), project.documents())

    with pytest.raises(ImportRefused) as refused:
        import_labelstudio(project, tmp_path / "bad.json")

    message = str(refused.value)
    assert "bad.json" in message and "task 2" in message and "result 1" in message
    assert "'Kyiv'" in message and "'yiv '" in message
    assert (project.stats(), project.spans(), project.documents()) == before


def test_not_json_is_refused_with_its_line(project: Project, tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('[\n{"data": {"text": "x"}\n', encoding="utf-8")
    with pytest.raises(ImportRefused, match="line 3"):
        import_labelstudio(project, tmp_path / "broken.json")


def test_round_trip_keeps_document_metadata(project: Project, empty: Project, tmp_path: Path) -> None:
    project.add_documents(
        [NewDocument(text=EMOJI_TEXT, title="T", source="Outlet", url="https://x.example/a", published="2021-04-12")]
    )
    out = tmp_path / "tasks.json"
    export_labelstudio(project, out)
    import_labelstudio(empty, out)
    (doc,) = [empty.document(d.id) for d in empty.documents()]
    assert (doc.title, doc.source, doc.url, doc.published) == ("T", "Outlet", "https://x.example/a", "2021-04-12")
