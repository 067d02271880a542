"""spaCy DocBin export: loads with DocBin().from_disk, every span where it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.errors import ParallaxError
from app.formats.dataset import Selection
from app.formats.spacy_docbin import export_spacy_docbin
from app.models import NewDocument
from app.storage.project import Project

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402

TEXT = "Mevlüt Çavuşoğlu a parlé à Ankara 😀 mardi.\nLe ministre a nié l'accord avec la Banque de France."


def _span(project: Project, doc: int, piece: str, label: str, who: str = "ana", nth: int = 0) -> None:
    start = -1
    for _ in range(nth + 1):
        start = project.text(doc).index(piece, start + 1)
    project.add_span(doc, start, start + len(piece), label, who)


def _load(path: Path) -> list:  # type: ignore[type-arg]
    nlp = spacy.blank("xx")
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


@pytest.fixture
def filled(project: Project) -> Project:
    doc = project.add_documents(
        [NewDocument(title="Ankara", source="Le Monde", published="2024-03-01", text=TEXT)]
    ).value.added[0]
    _span(project, doc, "Mevlüt Çavuşoğlu", "PERSON")
    _span(project, doc, "Ankara", "LOCATION")
    _span(project, doc, "Banque de France", "ORG")
    _span(project, doc, "France", "LOCATION")  # inside the ORG: overlaps
    _span(project, doc, "😀", "EQUIPMENT")
    _span(project, doc, "Le ministre a nié l'accord avec la Banque de France.", "CLAIM")
    return project


def test_docbin_loads_and_every_span_quotes_its_text(filled: Project, tmp_path: Path) -> None:
    out = tmp_path / "train.spacy"
    report = export_spacy_docbin(filled, out)
    assert (report.documents, report.spans) == (1, 6)
    [doc] = _load(out)
    quotes = {s.uuid: s.quote for s in filled.spans()}
    placed = [*doc.ents, *doc.spans["overlapping_entities"], *doc.spans["claims"]]
    assert sorted(s.id_ for s in placed) == sorted(quotes)
    for span in [*placed, *doc.spans["entities"]]:
        assert span.text == quotes[span.id_]
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Mevlüt Çavuşoğlu", "PERSON"),
        ("Ankara", "LOCATION"),
        ("😀", "EQUIPMENT"),
        ("Banque de France", "ORG"),
    ]
    assert [(e.text, e.label_) for e in doc.spans["overlapping_entities"]] == [("France", "LOCATION")]
    assert len(doc.spans["entities"]) == 5
    assert [t.ent_iob_ for t in doc[:3]] == ["B", "I", "O"]
    assert doc.user_data == {
        "document_uuid": filled.documents()[0].uuid,
        "title": "Ankara",
        "source": "Le Monde",
        "url": "",
        "published": "2024-03-01",
    }
    assert report.warnings == (
        "'Ankara': entity 'France' (LOCATION, 88-94) overlaps a longer or"
        ' earlier one; in doc.spans["overlapping_entities"], not doc.ents',
    )


def test_a_span_inside_a_token_is_widened_and_reported(project: Project, tmp_path: Path) -> None:
    doc = project.add_documents([NewDocument(title="T", text="Garneau-Lévesque spoke.")]).value.added[0]
    project.add_span(doc, 1, 7, "PERSON", "ana")  # "arneau"
    out = tmp_path / "x.spacy"
    report = export_spacy_docbin(project, out)
    assert report.warnings == (
        "'T': span 'arneau' (PERSON, 1-7) does not fall on token boundaries; exported widened to 'Garneau' (0-7)",
    )
    assert [e.text for e in _load(out)[0].ents] == ["Garneau"]


def test_duplicates_from_several_annotators_are_exported_once(project: Project, tmp_path: Path) -> None:
    doc = project.add_documents([NewDocument(title="T", text="Garneau spoke.")]).value.added[0]
    project.add_span(doc, 0, 7, "PERSON", "ana")
    project.add_span(doc, 0, 7, "PERSON", "bob")
    out = tmp_path / "x.spacy"
    report = export_spacy_docbin(project, out)
    assert len(report.warnings) == 1 and "exported once" in report.warnings[0]
    assert len(_load(out)[0].spans["entities"]) == 1
    only_bob = export_spacy_docbin(project, out, Selection(annotators=frozenset({"bob"})))
    assert (only_bob.spans, only_bob.warnings) == (1, ())


def test_an_unannotated_document_keeps_entities_unset(project: Project, tmp_path: Path) -> None:
    project.add_documents([NewDocument(title="T", text="Nothing tagged here.")])
    out = tmp_path / "x.spacy"
    export_spacy_docbin(project, out)
    assert {t.ent_iob_ for t in _load(out)[0]} == {""}


def test_the_docbin_trains_a_spacy_ner(filled: Project, tmp_path: Path) -> None:
    from spacy.training import Example

    out = tmp_path / "train.spacy"
    export_spacy_docbin(filled, out)
    nlp = spacy.blank("xx")
    nlp.add_pipe("ner")
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in _load(out)]
    optimizer = nlp.initialize(lambda: examples)
    losses = nlp.update(examples, sgd=optimizer)
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "LOCATION", "ORG", "EQUIPMENT"}
    assert losses["ner"] > 0


def test_without_spacy_the_error_says_how_to_install(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(ParallaxError, match="spaCy is not installed: pip install spacy"):
        export_spacy_docbin(project, tmp_path / "x.spacy")
    assert not list(tmp_path.glob("*.spacy"))
