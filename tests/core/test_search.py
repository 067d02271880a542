"""Corpus search: folded both ways, prefixes, safe with any input, hits mapped onto the real
text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.models import NewDocument
from app.storage.project import Project
from app.storage.search import fts_query
from app.text.fold import fold
from tests.core.store_helpers import add_doc, fresh_copy

TURKISH = "Dışişleri Bakanı Mevlüt Çavuşoğlu, Işık Koşaner ile görüştü. 😀 İstanbul'da."
PLAIN = "Foreign Minister Mevlut Cavusoglu met ISIK KOSANER; all permits were granted."
ASTRAL = "👍🏽👨‍👩‍👧 e\u0301te\u0301 \u05e9\u05dc\u05d5\u05dd\u00a0السلام\r\nresumed talks about Çavuşoğlu"


@pytest.fixture
def docs(project: Project) -> dict[str, int]:
    return {
        "turkish": add_doc(project, TURKISH, "Bakan"),
        "plain": add_doc(project, PLAIN, "Minister meets envoy"),
        "astral": add_doc(project, ASTRAL, "Mixed scripts"),
    }


def found(project: Project, query: str) -> set[int]:
    return {hit.document_id for hit in project.search(query)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Cavusoglu", {"turkish", "plain", "astral"}),
        ("Çavuşoğlu", {"turkish", "plain", "astral"}),
        ("ÇAVUŞOĞLU", {"turkish", "plain", "astral"}),
        ("cAvUsOgLu", {"turkish", "plain", "astral"}),
        ("isik", {"turkish", "plain"}),
        ("Işık", {"turkish", "plain"}),
        ("IŞIK", {"turkish", "plain"}),
        ("istanbul", {"turkish"}),
        ("İSTANBUL", {"turkish"}),
        ("mevlut", {"turkish", "plain"}),
        ("Mevlüt", {"turkish", "plain"}),
        ("dısısleri", {"turkish"}),
        ("disisleri", {"turkish"}),
        ("ete", {"astral"}),  # "e\u0301te\u0301": combining accents dropped
        ("été", {"astral"}),  # and a precomposed query finds the decomposed text
        ("e\u0301te\u0301", {"astral"}),  # a decomposed query too
        ("C\u0327avus\u0327og\u0306lu", {"turkish", "plain", "astral"}),
        ("שלום", {"astral"}),
        ("السلام", {"astral"}),
        ("cavus*", {"turkish", "plain", "astral"}),
        ("Çavuş*", {"turkish", "plain", "astral"}),
        ("cavus", set()),  # no star, no prefix match
        ("Cavusoglu isik", {"turkish", "plain"}),  # every word must occur
        ("Cavusoglu nowhere", set()),
        ("minister envoy", {"plain"}),  # words may match in the title
    ],
)
def test_folded_search(project: Project, docs: dict[str, int], query: str, expected: set[str]) -> None:
    assert found(project, query) == {docs[name] for name in expected}


def test_hangul_syllables_are_not_confused(project: Project) -> None:
    korea, estuary = add_doc(project, "한국 외교부"), add_doc(project, "하구 근처")
    assert found(project, "한국") == {korea}
    assert found(project, "하구") == {estuary}
    assert len(fold("한국")) == 2 and fold("한국") != fold("하구")


@pytest.mark.parametrize(
    "query",
    [
        'all-permits "',
        '"',
        "'",
        '"unbalanced',
        "*",
        "**",
        "a*b*",
        "(",
        ")",
        "(a OR b",
        "AND",
        "OR",
        "NOT",
        "NEAR(a b)",
        "NEAR",
        "a:b",
        "title:Cavusoglu",
        "text:",
        "^",
        "^isik",
        "-x",
        "+",
        "{}",
        "[a]",
        "\\",
        "%",
        "_",
        "__",
        "' OR 1=1 --",
        "",
        "   ",
        "\x00",
        "\u0301",
        "😀",
        "a\x02b\x03",
        "col:umn AND (x OR",
        'all permits" OR "x',
    ],
)
def test_user_punctuation_never_raises(project: Project, docs: dict[str, int], query: str) -> None:
    assert isinstance(project.search(query), list)


def test_punctuated_query_still_finds_the_words(project: Project, docs: dict[str, int]) -> None:
    assert found(project, 'all-permits "') == {docs["plain"]}
    assert found(project, '"Çavuşoğlu,"') == {docs["turkish"], docs["plain"], docs["astral"]}
    assert fts_query('all-permits "') == '"all" "permits"'


@given(st.text(max_size=30))
@settings(max_examples=100, deadline=None, database=None)
def test_any_query_is_safe(query: str) -> None:
    # The FTS syntax is built only from quoted words and a trailing star.
    match = fts_query(query)
    for term in match.split():
        assert term.startswith('"') and term.rstrip("*").endswith('"')
        assert '"' not in term.rstrip("*")[1:-1]


@pytest.mark.parametrize(
    ("query", "doc", "word"),
    [
        ("Cavusoglu", "turkish", "Çavuşoğlu"),
        ("Cavusoglu", "astral", "Çavuşoğlu"),
        ("Çavuşoğlu", "plain", "Cavusoglu"),
        ("isik", "turkish", "Işık"),
        ("kosaner", "plain", "KOSANER"),
        ("resumed", "astral", "resumed"),
        ("Istanbul", "turkish", "İstanbul"),
        ("gorus*", "turkish", "görüştü"),
        ("السلام", "astral", "السلام"),
    ],
)
def test_hit_points_at_the_real_word(project: Project, docs: dict[str, int], query: str, doc: str, word: str) -> None:
    [hit] = [h for h in project.search(query) if h.document_id == docs[doc]]
    text = project.text(docs[doc])
    assert text[hit.match_start : hit.match_end] == word
    assert fold(text[hit.match_start : hit.match_end]).startswith(fold(query).rstrip("*"))
    assert word in hit.snippet  # the snippet is original text, not folded
    assert hit.title == project.document(docs[doc]).title


def test_snippet_is_context_around_the_match(project: Project) -> None:
    text = "x" * 200 + " Çavuşoğlu said " + "y" * 200
    doc = add_doc(project, text, "Long")
    [hit] = project.search("cavusoglu")
    assert hit.document_id == doc
    assert text[hit.match_start : hit.match_end] == "Çavuşoğlu"
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "Çavuşoğlu said" in hit.snippet and len(hit.snippet) < 200


def test_match_in_the_title_only(project: Project, docs: dict[str, int]) -> None:
    [hit] = project.search("envoy")
    assert hit.document_id == docs["plain"]
    assert (hit.match_start, hit.match_end) == (-1, -1)
    assert PLAIN.startswith(hit.snippet)


def test_limit(project: Project) -> None:
    for n in range(5):
        add_doc(project, f"report number {n}")
    assert len(project.search("report", limit=3)) == 3
    assert len(project.search("report")) == 5


@given(st.text())
@settings(max_examples=200, deadline=None, database=None)
def test_fold_keeps_length_and_is_idempotent(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded


TRICKY = st.one_of(
    st.sampled_from(["\x01", "\x02", "\x03", "😀", "\U0001f3fd", "\u0301", "\r", "ı", "한"]),
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
)  # cannot be stored


@given(st.text(TRICKY, max_size=20), st.text(TRICKY, max_size=20), st.sampled_from(["Çavuşoğlu", "CAVUSOGLU", "Çavuş"]))
@example("ab\x02cd \x03", "", "Çavuş")  # the very characters search marks a hit with
@example("ab\x03cd\x02", "\x03", "CAVUSOGLU")
@example("\r\n", "", "Çavuşoğlu")  # stored as "\n": one code point shorter than given
@settings(
    max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # see test_offsets_property
def test_hit_offsets_hold_whatever_comes_before(_template_project: Path, before: str, after: str, word: str) -> None:
    """Astral characters, marks, controls (search's own markers too) before the word."""
    text = f"{before} {word} {after}"
    with fresh_copy(_template_project) as path, Project.open(path) as project:
        doc = add_doc(project, text)
        hits = project.search("cavus*")
        assert [h.document_id for h in hits] == [doc]
        start, end = hits[0].match_start, hits[0].match_end
        stored = project.text(doc)  # offsets are into the stored text: "\r\n" is kept as "\n"
        assert fold(stored[start:end]).startswith("cavus")
        assert start <= len(before) + 1  # the first match, at the word or before it


def test_the_filter_matches_outlet_names_and_each_word_anywhere(project: Project) -> None:
    """The newcomer typed "Devoir" into the document filter and found nothing."""

    def add(text: str, source: str) -> int:
        return project.add_documents([NewDocument(text=text, title="Permits", source=source)]).value.added[0]

    devoir_drones = add("Ottawa suspended the drone sensor permits.", "Le Devoir")
    devoir_other = add("Ottawa held talks in Ankara.", "Le Devoir")
    hurriyet = add("Ankara answered the drone sensor decision.", "Hürriyet")
    quoting = add("As Le Devoir reported, the permits were suspended.", "Reuters")

    def matching(query: str) -> set[int]:
        return set(project.matching_documents(query, 100))

    assert matching("Devoir") == {devoir_drones, devoir_other, quoting}
    assert matching("HURRIYET") == matching("Hürriyet") == {hurriyet}  # folded as the index folds
    assert matching("devoir drone") == {devoir_drones}  # the outlet's word, the article's word
    assert matching("dev* ankara") == {devoir_other}
    assert matching("devoi") == set()  # a word, not a part of one, as in the texts
    assert matching("reuters devoir") == {quoting}
    assert project.matching_documents("devoir", 2) and len(project.matching_documents("devoir", 2)) == 2
