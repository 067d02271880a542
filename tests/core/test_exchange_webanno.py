"""WebAnno / INCEpTION TSV 3.3: export -> import round trip, UTF-16 offsets, and INCEpTION's own files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from app.errors import ImportRefused
from app.formats.readers import guess_format, import_annotations
from app.formats.webanno.reader import import_tsv3
from app.formats.webanno.writer import export_tsv3
from app.models import NewDocument
from app.storage.project import Project
from tests.core.exchange_helpers import TEXTS, add_claim, add_corpus, crlf, fresh, spans_by_text

FIXTURES = Path(__file__).parent / "fixtures" / "exchange"


@pytest.fixture
def corpus(project: Project) -> Project:
    first, _ = add_corpus(project)
    add_claim(project, first, "ana")
    text = project.text(first)
    harris = text.index("Harris")
    project.add_span(first, harris, harris + 6, "ORG", "ana")  # inside the token "L3Harris": a sub-token row
    spans = {s.quote: s for s in project.spans()}
    project.add_link("same_as", spans["L3Harris"].id, spans["Harris"].id, "ana")  # both stacked on row 2-4
    project.add_link("supports", spans["Wescam"].id, spans["Baykar"].id, "ana")
    return project


def _read(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [archive.read(n).decode("utf-8") for n in sorted(archive.namelist())]


def test_the_file_counts_utf16_units(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "tsv3.zip"
    report = export_tsv3(corpus, out)
    assert (report.documents, report.spans, report.links, report.warnings) == (2, 12, 2, ())
    first = _read(out)[0]
    assert first.startswith(
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value\n"
    )
    smiley = TEXTS[0].index("😀")
    assert f"\t{smiley}-{smiley + 2}\t😀\tEQUIPMENT\t" in first  # two UTF-16 units
    thumb = TEXTS[0].index("👍🏽") + 1  # one emoji before it on the line
    assert f"\t{thumb}-{thumb + 4}\t👍🏽\tEQUIPMENT\t" in first  # thumb + skin tone: four units
    assert "\t2-4.1\t" not in first and "\n2-4.1\t" in first  # the sub-token row for "Harris"
    assert "same\\_as" in first  # "_" is reserved: escaped


def test_round_trip_onto_the_same_documents(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "tsv3.zip"
    export_tsv3(corpus, out)
    assert guess_format(out) == "tsv3"
    with fresh(tmp_path / "b.parallax") as other:
        report = import_annotations(other, out)
        assert (report.spans_added, report.links_added, report.documents_added) == (12, 2, 0)
        assert spans_by_text(other) == spans_by_text(corpus)
        people = {a.id: a.name for a in other.annotators()}
        assert {people[s.annotator_id] for s in other.spans()} == {"ana"}  # from the file name
        kinds = {(x.name, x.kind.value) for x in other.labels()}
        assert {(x.name, x.kind.value) for x in corpus.labels() if x.name in {n for n, _ in kinds}} == kinds


def test_an_export_named_after_its_format_is_recognised(corpus: Project, tmp_path: Path) -> None:
    # `parallax export P -f tsv3 -o out.tsv3` then `import-annotations Q out.tsv3`: the ZIP is read by content.
    out = tmp_path / "out.tsv3"
    export_tsv3(corpus, out)
    assert guess_format(out) == "tsv3"


def test_round_trip_into_an_empty_project_with_crlf(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "tsv3.zip"
    export_tsv3(corpus, out)
    with zipfile.ZipFile(out) as archive:
        archive.extractall(tmp_path / "files")
    first = sorted((tmp_path / "files").rglob("*.tsv"))[0]
    assert first.name == "ana.tsv"  # INCEpTION's layout: <document>/<annotator>.tsv
    with fresh(tmp_path / "c.parallax", with_documents=False) as other:
        report = import_tsv3(other, crlf(first), "kim")
        assert report.spans_added == 7 and report.links_added == 1
        found = {(q, label) for _, _, _, q, label in spans_by_text(other)}
        assert found == {(q, label) for text, _, _, q, label in spans_by_text(corpus) if text == TEXTS[0]}
        [doc] = other.documents()
        assert other.text(doc.id) == TEXTS[0]  # one sentence break, one newline


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("inception-tsv3-emoji.tsv", [("😊", "Span")]),
        (
            "inception-tsv3-stacked.tsv",
            [(w, "NE") for w in ("This", "This", "is", "is", "a", "a", "test", "test", ".", ".")],
        ),
        ("inception-tsv3-cross-sentence.tsv", [("He loves her .\nShe loves him not .", "PERSON")]),
        ("inception-tsv3-subtokens.tsv", [("his i", "Span")]),
        ("inception-tsv3-line-break.tsv", [("This", "Span")]),
        ("inception-tsv3-dependency.tsv", [("This", "POS1"), ("is", "POS2")]),
        ("inception-tsv3-relation-ids.tsv", [("This", "NamedEntity"), (".", "NamedEntity"), (".", "NamedEntity")]),
    ],
)
def test_inception_files_import_with_every_span(project: Project, name: str, expected: list[tuple[str, str]]) -> None:
    report = import_tsv3(project, FIXTURES / name)
    labels = {x.id: x.name for x in project.labels()}
    # Stacked copies of one span (same extent and label) are one span in Parallax: counted as skipped.
    assert sorted((s.quote, labels[s.label_id]) for s in project.spans()) == sorted(set(expected))
    assert report.spans_added + report.spans_skipped == len(expected)


def test_the_same_document_from_tsv3_and_xmi(project: Project) -> None:
    from app.formats.xmi.reader import import_xmi

    import_tsv3(project, FIXTURES / "inception-tsv3-cross-sentence.tsv")
    import_xmi(project, FIXTURES / "inception-cross-sentence.xmi")
    assert len(project.documents()) == 1  # INCEpTION's two files of one document: the same text
    assert len({(s.start, s.end) for s in project.spans()}) == 1


def test_a_relation_with_disambiguation_ids(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "rel.tsv"
    content = (
        (FIXTURES / "inception-tsv3-relation-ids.tsv")
        .read_text(encoding="utf-8")
        .replace("\t*\t1-1[0_1]", "\tsupports\t1-1[0_1]")
    )
    path.write_text(content, encoding="utf-8")
    report = import_tsv3(project, path)
    [link] = project.links()
    assert report.links_added == 1 and project.span(link.source_span_id).quote == "This"
    assert project.span(link.target_span_id).quote == "."


def test_a_token_that_does_not_match_its_text_is_refused(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    good = (FIXTURES / "inception-tsv3-emoji.tsv").read_text(encoding="utf-8")
    path.write_text(good.replace("1-4\t10-12", "1-4\t10-11"), encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"bad.tsv line 9: token '😊' at 10-11 \(UTF-16\) does not match"):
        import_tsv3(project, path)
    path.write_text(good.replace("1-2\t2-6\tlike\t_\t", "1-2\t2-6\tlike"), encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"bad.tsv line 7: expected ID, BEGIN-END, token and 1 annotation columns"):
        import_tsv3(project, path)
    assert project.documents() == []


def test_a_claim_layer_clash_is_refused(project: Project, tmp_path: Path) -> None:
    project.add_documents([NewDocument(title="t", text="x")])
    entity = next(x.name for x in project.labels() if x.kind.value == "entity")
    path = tmp_path / "claim.tsv"
    path.write_text(
        f"#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Claim|value\n\n\n#Text=Wescam sold .\n"
        f"1-1\t0-6\tWescam\t{entity}\t\n1-2\t7-11\tsold\t_\t\n1-3\t12-13\t.\t_\t\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ImportRefused, match=rf"label '{entity}' is an entity label in the project, but this file has it as a claim"
    ):
        import_tsv3(project, path)


def test_a_file_counting_code_points_is_read_with_a_warning(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "codepoints.tsv"
    good = (FIXTURES / "inception-tsv3-emoji.tsv").read_text(encoding="utf-8")
    path.write_text(good.replace("10-12\t😊", "10-11\t😊").replace("13-14\t.", "12-13\t."), encoding="utf-8")
    report = import_tsv3(project, path)
    [span] = project.spans()
    assert span.quote == "😊" and report.warnings == (
        "codepoints.tsv: offsets count code points, not UTF-16 units as INCEpTION writes them",
    )


def test_one_file_per_annotator_as_inception_exports(project: Project, tmp_path: Path) -> None:
    (doc,) = project.add_documents([NewDocument(title="Permits", text="Wescam sold sensors to Baykar.")]).value.added
    wescam = project.add_span(doc, 0, 6, "ORG", "ana").value
    baykar = project.add_span(doc, 23, 29, "ORG", "bob").value
    project.add_span(doc, 0, 6, "ORG", "bob")
    project.add_link("supports", wescam.id, baykar.id, "ana")
    out = tmp_path / "tsv3.zip"
    report = export_tsv3(project, out)
    assert sorted(zipfile.ZipFile(out).namelist()) == ["0001-Permits/ana.tsv", "0001-Permits/bob.tsv"]
    assert report.warnings == ("'Permits': a supports link to another annotator's span (one file each) is left out",)
    with fresh(tmp_path / "b.parallax", with_documents=False) as other:
        import_tsv3(other, out)
        people = {a.id: a.name for a in other.annotators()}
        assert sorted((s.quote, people[s.annotator_id]) for s in other.spans()) == [
            ("Baykar", "bob"),
            ("Wescam", "ana"),
            ("Wescam", "bob"),
        ]
        assert [d.title for d in other.documents()] == ["0001-Permits"]


def test_a_left_out_link_is_named_with_its_article(project: Project, tmp_path: Path) -> None:
    (doc,) = project.add_documents([NewDocument(title="Permits", text="Wescam sold sensors to Baykar.")]).value.added
    wescam = project.add_span(doc, 0, 6, "ORG", "ana").value
    claim = project.add_span(doc, 0, 29, "CLAIM", "ana").value
    baykar = project.add_span(doc, 23, 29, "ORG", "bob").value
    project.add_link("updates", wescam.id, claim.id, "ana")
    project.add_link("contradicts", wescam.id, baykar.id, "ana")
    report = export_tsv3(project, tmp_path / "tsv3.zip")
    assert sorted(report.warnings) == [
        "'Permits': a contradicts link to another annotator's span (one file each) is left out",
        "'Permits': an updates link between an entity and a claim is left out",
    ]
