"""CoNLL-2003 BIO export, read back with a small reader as NER tools read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.formats.conll import DOCSTART, export_conll
from app.models import NewDocument
from app.storage.project import Project
from app.text.tokens import sentence_breaks, tokenize

TEXT = (
    "Mevlüt Çavuşoğlu a parlé à Ankara 😀 mardi. Le ministre a nié l'accord.\n"
    "Dr. Smith of the U.S. Army met Jean-Marc Garneau in New\u00a0York."
)
SECOND = "Garneau-Lévesque said 3,5 % of the Banque de France reserves are gone."


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, tag), splitting lines on " " as the conll2003 loader does."""
    documents: list[list[list[tuple[str, str]]]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            assert line == DOCSTART
            documents.append([[]])
        elif not line:
            if documents[-1][-1]:
                documents[-1].append([])
        else:
            columns = line.split(" ")
            assert len(columns) == 4 and columns[1:3] == ["-X-", "_"], line
            documents[-1][-1].append((columns[0], columns[3]))
    return [[s for s in doc if s] for doc in documents]


def entities(sentences: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """(label, tokens joined without spaces) for every BIO entity; checks the tags are well formed."""
    found: list[tuple[str, list[str]]] = []
    for sentence in sentences:
        previous = "O"
        for token, tag in sentence:
            assert tag == "O" or tag[:2] in ("B-", "I-"), tag
            if tag.startswith("B-"):
                found.append((tag[2:], [token]))
            elif tag.startswith("I-"):
                assert previous[2:] == tag[2:] and previous != "O", "I- must continue an entity"
                found[-1][1].append(token)
            previous = tag
    return [(label, "".join(tokens)) for label, tokens in found]


def _add(project: Project, doc: int, piece: str, label: str, who: str = "ana") -> None:
    start = project.text(doc).index(piece)
    project.add_span(doc, start, start + len(piece), label, who)


@pytest.fixture
def filled(project: Project) -> Project:
    first, second = project.add_documents(
        [NewDocument(title="Ankara", text=TEXT, published="2024-01-01"), NewDocument(title="Banque", text=SECOND)]
    ).value.added
    for piece, label in (
        ("Mevlüt Çavuşoğlu", "PERSON"),
        ("Ankara", "LOCATION"),
        ("😀", "EQUIPMENT"),
        ("U.S. Army", "ORG"),
        ("Jean-Marc Garneau", "PERSON"),
        ("New\u00a0York", "LOCATION"),
        ("Le ministre a nié l'accord.", "CLAIM"),
    ):
        _add(project, first, piece, label)
    _add(project, first, "Army", "ORG", "bob")  # overlaps the longer "U.S. Army"
    for piece, label in (
        ("Garneau-Lévesque", "PERSON"),
        ("3,5 %", "QUANTITY"),
        ("Banque de France", "ORG"),
        ("France", "LOCATION"),
        ("Banque de Fr", "ORG"),
    ):
        _add(project, second, piece, label)
    return project


def test_entities_survive_the_trip(filled: Project, tmp_path: Path) -> None:
    out = tmp_path / "ner.conll"
    report = export_conll(filled, out)
    assert (report.documents, report.spans, report.links) == (2, 9, 0)
    first, second = read_conll(out)
    assert entities(first) == [
        ("PERSON", "MevlütÇavuşoğlu"),
        ("LOCATION", "Ankara"),
        ("EQUIPMENT", "😀"),
        ("ORG", "U.S.Army"),
        ("PERSON", "Jean-MarcGarneau"),
        ("LOCATION", "NewYork"),
    ]
    assert entities(second) == [("PERSON", "Garneau-Lévesque"), ("QUANTITY", "3,5%"), ("ORG", "BanquedeFrance")]
    assert [[t for t, _ in s][-1] for s in first] == [".", ".", "."]  # three sentences
    assert set(report.warnings) == {
        "'Ankara': entity 'Army' (ORG, 93-97) overlaps a longer or earlier one; left out",
        "'Banque': entity 'France' (LOCATION, 45-51) overlaps a longer or earlier one; left out",
        "'Banque': entity 'Banque de Fr' (ORG, 35-47) cuts the token 'France'; left out",
    }


def test_the_file_layout(filled: Project, tmp_path: Path) -> None:
    out = tmp_path / "ner.conll"
    export_conll(filled, out)
    content = out.read_bytes().decode("utf-8")
    assert content.startswith(f"{DOCSTART}\n\nMevlüt -X- _ B-PERSON\nÇavuşoğlu -X- _ I-PERSON\n")
    assert content.count(DOCSTART) == 2 and f"\n\n{DOCSTART}\n\nGarneau -X- _ B-PERSON\n" in content
    assert content.endswith(". -X- _ O\n\n") and "\n\n\n" not in content and "\r" not in content
    assert "\u00a0" not in content and "CLAIM" not in content


def test_seqeval_reads_it(filled: Project, tmp_path: Path) -> None:
    seqeval = pytest.importorskip("seqeval.metrics")
    out = tmp_path / "ner.conll"
    export_conll(filled, out)
    tags = [[tag for _, tag in s] for doc in read_conll(out) for s in doc]
    assert seqeval.f1_score(tags, tags) == 1.0


def test_spacy_reads_the_tags(filled: Project, tmp_path: Path) -> None:
    converters = pytest.importorskip("spacy.training.converters")
    out = tmp_path / "ner.conll"
    export_conll(filled, out)
    data = out.read_text(encoding="utf-8")
    assert DOCSTART == "-DOCSTART- -X- O O"  # spaCy's document delimiter, as is
    docs = list(converters.conll_ner_to_docs(data, no_print=True))
    assert len(docs) == 2
    assert [(e.label_, e.text) for e in docs[1].ents] == [
        ("PERSON", "Garneau - Lévesque"),
        ("QUANTITY", "3,5 %"),
        ("ORG", "Banque de France"),
    ]


def test_label_names_with_spaces_become_one_tag(project: Project, tmp_path: Path) -> None:
    project.add_label("WEAPON SYSTEM", "entity")
    doc = project.add_documents([NewDocument(title="T", text="The S-400 arrived.")]).value.added[0]
    project.add_span(doc, 4, 9, "WEAPON SYSTEM", "ana")
    out = tmp_path / "ner.conll"
    report = export_conll(project, out)
    lines = "S -X- _ B-WEAPON_SYSTEM\n- -X- _ I-WEAPON_SYSTEM\n400 -X- _ I-WEAPON_SYSTEM\n"
    assert lines in out.read_text(encoding="utf-8")
    assert report.warnings == ("label 'WEAPON SYSTEM' is written as 'WEAPON_SYSTEM' (no spaces in a CoNLL tag)",)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("a\u00a0b\u200bc\u2028d\te", ["a", "b", "c", "d", "e"]),
        ("été e\u0301te\u0301", ["été", "e\u0301te\u0301"]),
        ("👍🏽 ❤️ 👨\u200d👩\u200d👧!", ["👍🏽", "❤️", "👨\u200d👩\u200d👧", "!"]),
        ("Kyiv 🇺🇦🇨🇦.", ["Kyiv", "🇺🇦", "🇨🇦", "."]),
        ("3.5 1,000 l'État", ["3.5", "1,000", "l", "'", "État"]),
    ],
)
def test_tokens_never_hold_whitespace(text: str, tokens: list[str]) -> None:
    found = [text[a:b] for a, b in tokenize(text)]
    assert found == tokens
    assert all(len(t.split()) == 1 for t in found)


def test_sentence_breaks() -> None:
    text = "M. Macron est venu. Il a parlé.\nDr. Smith left the U.S. Then? Yes! « Non. »"
    ends = [text[:b].split()[-1] for b in sentence_breaks(text)]
    assert ends == ["venu.", "parlé.", "Then?", "Yes!"]  # not after an initial: "U.S. Then" stays


def test_a_sentence_never_ends_inside_an_entity(project: Project, tmp_path: Path) -> None:
    doc = project.add_documents([NewDocument(title="T", text="Come to New\nYork. Then go.")]).value.added[0]
    project.add_span(doc, 8, 16, "LOCATION", "ana")
    out = tmp_path / "ner.conll"
    export_conll(project, out)
    [sentences] = read_conll(out)
    assert [[t for t, _ in s] for s in sentences] == [["Come", "to", "New", "York", "."], ["Then", "go", "."]]
    assert entities(sentences) == [("LOCATION", "NewYork")]
