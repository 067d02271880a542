"""UIMA CAS XMI (dkpro-cassis) and CoNLL-U: export -> the real reader -> import, and INCEpTION's own files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from app.errors import ImportRefused
from app.formats.conllu import export_conllu
from app.formats.dataset import Selection
from app.formats.readers import guess_format, import_annotations
from app.formats.tokens import decode_tags
from app.formats.xmi.reader import import_xmi
from app.formats.xmi.writer import CLAIM, LINK, NAMED_ENTITY, TYPESYSTEM, export_xmi
from app.models import NewDocument
from app.storage.project import Project
from tests.core.exchange_helpers import ENTITIES, TEXTS, add_claim, add_corpus, fresh, spans_by_text

FIXTURES = Path(__file__).parent / "fixtures" / "exchange"


@pytest.fixture
def corpus(project: Project) -> Project:
    first, _ = add_corpus(project)
    denial = add_claim(project, first, "bob")
    person = next(s for s in project.spans(first) if s.quote == "Mevlüt Çavuşoğlu")
    project.add_link("supports", person.id, denial.id, "bob")
    return project


def test_xmi_is_read_back_by_cassis_with_utf16_offsets(corpus: Project, tmp_path: Path) -> None:
    cassis = pytest.importorskip("cassis")
    out = tmp_path / "inception.zip"
    report = export_xmi(corpus, out)
    assert (report.documents, report.spans, report.links) == (2, 11, 1)
    with zipfile.ZipFile(out) as archive:
        types = cassis.load_typesystem(archive.read(TYPESYSTEM).decode("utf-8"))
        names = sorted(n for n in archive.namelist() if n.endswith(".xmi"))
        cas = cassis.load_cas_from_xmi(archive.read(names[0]).decode("utf-8"), typesystem=types)
        raw = archive.read(names[0]).decode("utf-8")
    assert cas.sofa_string == TEXTS[0]
    entities = [(e.get_covered_text(), e.value, e.annotator) for e in cas.select(NAMED_ENTITY)]
    assert entities == [(q, label, "ana") for q, label in ENTITIES[0]]
    [claim] = cas.select(CLAIM)
    assert claim.get_covered_text().startswith("Le ministre")
    [link] = cas.select(LINK)
    assert (link.value, link.Governor.value, link.Dependent.xmiID) == ("supports", "PERSON", claim.xmiID)
    # On disk the offsets are UTF-16 code units, as Java counts them: "😀" is two.
    smiley = TEXTS[0].index("😀")
    assert f'begin="{smiley}" end="{smiley + 2}"' in raw
    assert len(cas.select("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token")) == 20


def test_a_link_keeps_its_author_when_only_its_spans_authors_are_exported(corpus: Project, tmp_path: Path) -> None:
    cassis = pytest.importorskip("cassis")
    first = corpus.documents()[0].id
    person, other = [s for s in corpus.spans(first) if s.annotator_id == corpus.annotator("ana").id][:2]
    corpus.add_link("same_as", person.id, other.id, "carl")  # carl tagged no span of his own
    out = tmp_path / "ana-and-bob.zip"
    export_xmi(corpus, out, Selection(annotators=frozenset({"ana", "bob"})))
    with zipfile.ZipFile(out) as archive:
        types = cassis.load_typesystem(archive.read(TYPESYSTEM).decode("utf-8"))
        name = sorted(n for n in archive.namelist() if n.endswith(".xmi"))[0]
        cas = cassis.load_cas_from_xmi(archive.read(name).decode("utf-8"), typesystem=types)
    assert sorted((link.value, link.annotator) for link in cas.select(LINK)) == [
        ("same_as", "carl"),
        ("supports", "bob"),
    ]


def test_a_link_across_documents_or_to_a_span_not_chosen_is_left_out(corpus: Project, tmp_path: Path) -> None:
    first, second = (d.id for d in corpus.documents())
    here = next(s for s in corpus.spans(first) if s.quote == "Mevlüt Çavuşoğlu")
    corpus.add_link("same_as", here.id, corpus.spans(second)[0].id, "ana")
    across = ("1 links join two documents; a CAS holds one document, so they are left out",)
    report = export_xmi(corpus, tmp_path / "all.zip")
    assert (report.links, report.warnings) == (1, across)
    ana = export_xmi(corpus, tmp_path / "ana.zip", Selection(annotators=frozenset({"ana"})))
    assert (ana.links, ana.warnings) == (0, across)  # "supports" ends at bob's claim, not exported


def test_xmi_round_trip(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "inception.zip"
    export_xmi(corpus, out)
    assert guess_format(out) == "xmi"
    with fresh(tmp_path / "b.parallax", with_documents=False) as other:
        report = import_annotations(other, out)
        assert (report.spans_added, report.links_added, report.documents_added) == (11, 1, 2)
        assert spans_by_text(other) == spans_by_text(corpus)
        assert {a.name for a in other.annotators()} >= {"ana", "bob"}
        claims = [x for x in other.labels() if x.kind.value == "claim"]
        assert [x.name for x in claims] == [next(x.name for x in corpus.labels() if x.kind.value == "claim")]
        assert import_xmi(other, out).spans_skipped == 11


def test_inception_files_import_with_every_span(project: Project) -> None:
    report = import_xmi(project, FIXTURES / "inception-smileys.xmi")
    [span] = project.spans()
    assert (span.quote, span.start) == ("John", 20)  # UTF-16 21 in the file: one emoji before it
    assert report.warnings[0].startswith("no TypeSystem.xml")
    import_xmi(project, FIXTURES / "inception-cross-sentence.xmi")
    found = {s.quote for s in project.spans()}
    assert "He loves her .\nShe loves him not ." in found


def test_a_crlf_sofa_is_normalised(project: Project, tmp_path: Path) -> None:
    cassis = pytest.importorskip("cassis")
    from app.formats.xmi.writer import typesystem

    types = typesystem()
    cas = cassis.Cas(typesystem=types)
    cas.sofa_string = "Wescam 😀\r\nsold to Baykar."
    cas.add(types.get_type(NAMED_ENTITY)(begin=18, end=24, value="ORG"))
    path = tmp_path / "doc.xmi"
    path.write_text(cas.to_xmi(), encoding="utf-8")
    (tmp_path / "TypeSystem.xml").write_text(types.to_xml(), encoding="utf-8")
    import_xmi(project, path)
    [span] = project.spans()
    assert (span.quote, project.text(span.document_id)) == ("Baykar", "Wescam 😀\nsold to Baykar.")


def test_a_broken_xmi_is_refused_by_name(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "broken.xmi"
    path.write_text("<xmi:XMI", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"broken.xmi: broken.xmi: not a UIMA CAS XMI file"):
        import_xmi(project, path)
    assert project.documents() == []


def test_conllu_is_read_by_the_conllu_package(corpus: Project, tmp_path: Path) -> None:
    conllu = pytest.importorskip("conllu")
    corpus.add_documents([NewDocument(title="tabs", text="Wescam\tsold\u00a0MX-15s  to Baykar.")])
    out = tmp_path / "ner.conllu"
    report = export_conllu(corpus, out)
    sentences = conllu.parse(out.read_text(encoding="utf-8"))
    assert sentences[0].metadata["sent_id"].endswith("-1") and "newdoc id" in sentences[0].metadata
    escapes = {"\\s": " ", "\\t": "\t", "\\u00A0": "\u00a0"}
    for sentence in sentences:  # the tokens and their spacing give back `# text`
        rebuilt = ""
        for token in sentence:
            misc = token["misc"] or {}
            gap = " "
            if misc.get("SpaceAfter") == "No":
                gap = ""
            elif "SpacesAfter" in misc:
                gap = misc["SpacesAfter"]
                for code, char in escapes.items():
                    gap = gap.replace(code, char)
            rebuilt += token["form"] + gap
        assert rebuilt.rstrip(" ") == sentence.metadata["text"]
    found = []
    for sentence in sentences:
        tags = [token["misc"]["NER"] for token in sentence]
        forms = [token["form"] for token in sentence]
        found += [(" ".join(forms[a:b]), label) for a, b, label in decode_tags(out, "", tags)]
    assert report.spans == 10 == len(found)
    assert ("Kyiv 🇺🇦", "LOCATION") in found and ("Mevlüt Çavuşoğlu", "PERSON") in found


def test_conllu_round_trip(corpus: Project, tmp_path: Path) -> None:
    from app.formats.conllu import import_conllu

    out = tmp_path / "ner.conllu"
    export_conllu(corpus, out)
    assert guess_format(out) == "conllu"
    with fresh(tmp_path / "b.parallax") as other:
        assert import_conllu(other, out).spans_added == 10
        entities = {x for x in spans_by_text(corpus) if x[4] != "CLAIM"}
        assert spans_by_text(other) == entities
    bad = tmp_path / "bad.conllu"
    bad.write_text("# sent_id = 1\n1\tWescam\t_\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"bad.conllu: line 2: not a CoNLL-U token line"):
        import_conllu(corpus, bad)
