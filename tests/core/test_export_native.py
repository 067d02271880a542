"""Native JSONL: lossless export, import into new and existing projects, refusals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.errors import ImportRefused
from app.formats.dataset import Selection, collect
from app.formats.native import writer as native
from app.formats.native.reader import import_native
from app.formats.native.writer import export_native
from app.models import NewDocument
from app.storage.connection import schema_version
from app.storage.project import Project

RAW = "Mevlüt Çavuşoğlu a parlé à Ankara 😀.\r\nLe ministre a nié.\r\n\r\nSource : AFP\u2028fin"
OTHER = "Garneau says 3 ships 🚢 arrived; Lévesque disagrees.\nNaïve café owners cheered."


def _fill(project: Project) -> dict[str, int]:
    """Two documents (one CRLF-normalised, with emoji, accents, U+2028), spans, links."""
    project.add_label("Événement", "entity", "#123456")
    texts = [RAW.replace("\r\n", "\n"), OTHER]
    added = project.add_documents(
        [
            NewDocument(
                title="Çavuşoğlu à Ankara",
                source="Le Monde",
                url="https://example.org/a",
                published="2024-03-01",
                text=texts[0],
                meta={"lang": "fr", "tags": ["é", 1]},
            ),
            NewDocument(title="Ships", source="CBC", text=texts[1]),
        ]
    ).value.added
    a, b = added

    def span(doc: int, text: str, piece: str, label: str, who: str, **extra: object) -> int:
        start = text.index(piece)
        return project.add_span(doc, start, start + len(piece), label, who, **extra).value.id  # type: ignore[arg-type]

    ids = {
        "person": span(a, texts[0], "Mevlüt Çavuşoğlu", "PERSON", "ana", note="ministre ✓"),
        "place": span(a, texts[0], "Ankara", "LOCATION", "ana", attrs={"certain": True, "q": "ü"}),
        "claim_a": span(a, texts[0], "Le ministre a nié.", "CLAIM", "ana"),
        "emoji": span(a, texts[0], "😀", "Événement", "bob"),
        "garneau": span(b, texts[1], "Garneau", "PERSON", "bob"),
        "claim_b": span(b, texts[1], "Garneau says 3 ships 🚢 arrived", "CLAIM", "bob"),
        "tail": span(a, texts[0], "AFP\u2028fin", "ORG", "bob"),
    }
    project.add_link("contradicts", ids["claim_a"], ids["claim_b"], "ana", note="ça contredit")
    project.add_link("same_as", ids["person"], ids["garneau"], "bob")
    return ids


def test_export_import_export_is_byte_identical(project: Project, tmp_path: Path) -> None:
    _fill(project)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    report = export_native(project, first)
    assert (report.documents, report.spans, report.links) == (2, 7, 2)
    with Project.create(tmp_path / "empty.parallax", default_labels=False) as fresh:
        imported = import_native(fresh, first)
        export_native(fresh, second)
    assert first.read_bytes() == second.read_bytes()
    assert (imported.documents_added, imported.spans_added, imported.links_added) == (2, 7, 2)
    assert (imported.labels_added, imported.annotators_added) == (8, 2)
    assert "😀" in first.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    assert b"\r" not in first.read_bytes()


def test_file_layout_refers_by_uuid_and_name(project: Project, tmp_path: Path) -> None:
    _fill(project)
    out = tmp_path / "out.jsonl"
    export_native(project, out)
    lines = out.read_bytes().decode("utf-8").split("\n")
    assert lines[-1] == ""
    records = [json.loads(line) for line in lines[:-1]]
    assert records[0] == {"type": "parallax", "version": 1, "schema": schema_version()}
    types = [r["type"] for r in records]
    assert types == sorted(types, key=["parallax", "label", "annotator", "document", "span", "link"].index)
    docs = {r["uuid"]: r for r in records if r["type"] == "document"}
    for span in (r for r in records if r["type"] == "span"):
        assert docs[span["document"]]["text"][span["start"] : span["end"]] == span["quote"]
        assert isinstance(span["label"], str) and isinstance(span["annotator"], str)
    span_uuids = {r["uuid"] for r in records if r["type"] == "span"}
    for link in (r for r in records if r["type"] == "link"):
        assert {link["source_span"], link["target_span"]} <= span_uuids
    assert any("\u2028" in d["text"] for d in docs.values())


def test_uuids_and_timestamps_are_kept(project: Project, tmp_path: Path) -> None:
    _fill(project)
    out = tmp_path / "out.jsonl"
    export_native(project, out)
    with Project.create(tmp_path / "new.parallax") as fresh:
        import_native(fresh, out)
        assert {(s.uuid, s.created_at, s.quote, s.note, json.dumps(s.attrs)) for s in fresh.spans()} == {
            (s.uuid, s.created_at, s.quote, s.note, json.dumps(s.attrs)) for s in project.spans()
        }
        assert {(x.uuid, x.created_at, x.kind, x.note) for x in fresh.links()} == {
            (x.uuid, x.created_at, x.kind, x.note) for x in project.links()
        }
        theirs = {d.uuid: fresh.document(d.id) for d in fresh.documents()}
        for summary in project.documents():
            mine = project.document(summary.id)
            assert theirs[mine.uuid].model_dump(exclude={"id"}) == mine.model_dump(exclude={"id"})
        assert fresh.search("cavusoglu")  # the search index was filled too


def test_importing_twice_changes_nothing(project: Project, tmp_path: Path) -> None:
    _fill(project)
    out, again = tmp_path / "out.jsonl", tmp_path / "again.jsonl"
    export_native(project, out)
    report = import_native(project, out)
    assert (report.documents_added, report.documents_matched) == (0, 2)
    assert (report.spans_added, report.spans_skipped) == (0, 7)
    assert (report.links_added, report.links_skipped) == (0, 2)
    assert (report.labels_added, report.annotators_added, report.warnings) == (0, 0, ())
    export_native(project, again)
    assert again.read_bytes() == out.read_bytes()


def test_documents_are_matched_by_text(project: Project, tmp_path: Path) -> None:
    _fill(project)
    out = tmp_path / "out.jsonl"
    export_native(project, out)
    with Project.create(tmp_path / "other.parallax") as other:
        existing = other.add_documents([NewDocument(title="mine", text=OTHER)]).value.added[0]
        report = import_native(other, out)
        assert (report.documents_added, report.documents_matched) == (1, 1)
        assert other.document(existing).title == "mine"  # the project's own record is kept
        quotes = sorted(s.quote for s in other.spans(existing))
        assert quotes == ["Garneau", "Garneau says 3 ships 🚢 arrived"]


def _rewrite(source: Path, target: Path, change: dict[str, object], record_type: str) -> int:
    """Copy a native file, changing the first record of a type; return its line number."""
    lines = source.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        record = json.loads(line) if line else {}
        if record.get("type") == record_type:
            lines[number - 1] = json.dumps(record | change, ensure_ascii=False)
            target.write_text("\n".join(lines), encoding="utf-8")
            return number
    raise AssertionError(record_type)


def test_an_offset_mismatch_refuses_the_whole_file(project: Project, tmp_path: Path) -> None:
    _fill(project)
    out, bad = tmp_path / "out.jsonl", tmp_path / "bad.jsonl"
    export_native(project, out)
    first_span = next(
        json.loads(x) for x in out.read_text(encoding="utf-8").split("\n") if x and json.loads(x)["type"] == "span"
    )
    start, end = first_span["start"], first_span["end"]
    number = _rewrite(out, bad, {"start": start + 1, "end": end + 1}, "span")
    with Project.create(tmp_path / "new.parallax") as fresh:
        with pytest.raises(ImportRefused) as caught:
            import_native(fresh, bad)
        doc = next(
            json.loads(x)
            for x in out.read_text(encoding="utf-8").split("\n")
            if x and json.loads(x).get("uuid") == first_span["document"]
        )
        expected = (
            f"line {number}: span {first_span['uuid']} says {first_span['quote']!r} but the text"
            f" at {start + 1}-{end + 1} is {doc['text'][start + 1 : end + 1]!r}"
        )
        assert expected in str(caught.value)
        assert (fresh.documents(), fresh.spans(), fresh.annotators()) == ([], [], [])  # nothing kept


@pytest.mark.parametrize(
    ("change", "record_type", "message"),
    [
        ({"kind": "claim"}, "label", "label 'PERSON' is 'claim' here but 'entity' in the project"),
        ({"version": 2}, "parallax", "newer Parallax"),
        ({"type": "nonsense"}, "annotator", "unknown record type 'nonsense'"),
        ({"text_sha256": "0" * 64}, "document", "does not match its text_sha256"),
        ({"source_span": "no-such-span"}, "link", "refers to span no-such-span"),
        ({"label": "NOPE"}, "span", "label 'NOPE' is neither in this file nor in the project"),
        ({"start": "3"}, "span", "'start' has the wrong type (str)"),
    ],
)
def test_bad_files_are_refused_whole(
    project: Project, tmp_path: Path, change: dict[str, object], record_type: str, message: str
) -> None:
    _fill(project)
    out, bad = tmp_path / "out.jsonl", tmp_path / "bad.jsonl"
    export_native(project, out)
    _rewrite(out, bad, change, record_type)
    with Project.create(tmp_path / "new.parallax") as fresh:
        labels = fresh.labels()
        with pytest.raises(ImportRefused, match=re.escape(message)):
            import_native(fresh, bad)
        assert (fresh.documents(), fresh.labels(), fresh.links()) == ([], labels, [])


def test_not_a_native_file_is_refused(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    for content, message in (
        (b'{"text": "hi"}\n', "no header line"),
        (b"", "empty file"),
        (b"\xff\xfe", "not UTF-8"),
        (b"{oops\n", "line 1: not JSON"),
    ):
        path.write_bytes(content)
        with pytest.raises(ImportRefused, match=message):
            import_native(project, path)


def test_selection_limits_the_export(project: Project, tmp_path: Path) -> None:
    _fill(project)
    first = project.documents()[0]
    out = tmp_path / "out.jsonl"
    report = export_native(project, out, Selection(documents=frozenset({first.id}), annotators=frozenset({"ana"})))
    assert (report.documents, report.spans, report.links) == (1, 3, 0)
    with Project.create(tmp_path / "new.parallax") as fresh:
        assert import_native(fresh, out).spans_added == 3


def test_a_failed_export_leaves_no_file_and_keeps_the_old_one(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(project)
    out = tmp_path / "out.jsonl"
    out.write_text("old", encoding="utf-8")
    calls = iter(range(100))

    def failing(record: dict[str, object]) -> str:
        if next(calls) == 5:
            raise OSError("disk full")
        return json.dumps(record)

    monkeypatch.setattr(native, "dumps", failing)
    with pytest.raises(OSError, match="disk full"):
        export_native(project, out)
    assert out.read_text(encoding="utf-8") == "old"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_taken_hotkey_is_dropped_with_a_warning(project: Project, tmp_path: Path) -> None:
    _fill(project)
    project.update_label(project.label("Événement").id, hotkey="e")
    out = tmp_path / "out.jsonl"
    export_native(project, out)
    with Project.create(tmp_path / "new.parallax") as fresh:
        fresh.add_label("Other", "entity", hotkey="e")
        report = import_native(fresh, out)
        assert report.warnings == ("label 'Événement': hotkey 'e' is taken in the project; left without",)
        assert fresh.label("Événement").hotkey is None


def test_a_file_with_crlf_line_ends_still_imports(project: Project, tmp_path: Path) -> None:
    _fill(project)
    out, crlf = tmp_path / "out.jsonl", tmp_path / "crlf.jsonl"
    export_native(project, out)
    crlf.write_bytes(b"\xef\xbb\xbf" + out.read_bytes().replace(b"\n", b"\r\n"))  # e.g. git autocrlf + BOM
    with Project.create(tmp_path / "new.parallax") as fresh:
        assert import_native(fresh, crlf).spans_added == 7
        export_native(fresh, tmp_path / "back.jsonl")
    assert (tmp_path / "back.jsonl").read_bytes() == out.read_bytes()


KNOWN = Path(__file__).parent / "fixtures" / "native" / "known.jsonl"


def test_a_known_project_exports_exactly_as_pinned(tmp_path: Path) -> None:
    """The file of a known project, byte for byte (written by the exporter before it was made
    faster): same-range spans, equal dates, undated documents, a link author with no spans."""
    with Project.create(tmp_path / "known.parallax", default_labels=False) as project:
        import_native(project, KNOWN)
        export_native(project, tmp_path / "again.jsonl")
        report = export_native(project, tmp_path / "some.jsonl", Selection(labels=frozenset({"LOCATION"})))
    header, *rest = (tmp_path / "again.jsonl").read_bytes().split(b"\n")
    assert json.loads(header) == {"type": "parallax", "version": 1, "schema": schema_version()}
    assert rest == KNOWN.read_bytes().split(b"\n")[1:]
    some = [json.loads(x) for x in (tmp_path / "some.jsonl").read_text(encoding="utf-8").split("\n")[1:-1]]
    assert (report.documents, report.spans, report.links) == (4, 3, 1)
    assert [x["name"] for x in some if x["type"] == "annotator"] == ["ana", "bob", "cem", "dan"]


def test_written_lines_are_the_records_merge_reads(tmp_path: Path) -> None:
    """The exporter writes span lines without building records; they must be exactly
    `dumps` of the records `collect` + `records` give (what merge takes in)."""
    with Project.create(tmp_path / "known.parallax", default_labels=False) as project:
        import_native(project, KNOWN)
        for selection in (Selection(), Selection(labels=frozenset({"LOCATION", "ORG"}), annotators=frozenset({"bob"}))):
            export_native(project, tmp_path / "out.jsonl", selection)
            names = {a.id: a.name for a in project.annotators()}
            expected = "".join(native.dumps(r) + "\n" for r in native.records(collect(project, selection), names))
            assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == expected
