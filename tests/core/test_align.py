"""Alignment across articles: the sample corpus's shared statements, unrelated articles, offsets, order."""

from __future__ import annotations

from itertools import combinations

import pytest

from app.formats.articles import import_paths
from app.reconcile.align import Alignment, align_documents, align_texts, format_alignments
from app.resources import sample_corpus_path
from app.storage.project import Project
from app.text.sentences import split_sentences
from tests.core.store_helpers import add_doc

UNRELATED = (
    "The village bakery won the regional bread contest on Saturday. Judges praised its rye loaf and the"
    " crust of its sourdough. The owner, Paula Reyes, said the recipe came from her grandmother in 1962."
    " Next year the bakery plans to open a second shop near the harbour and to hire four apprentices."
    " Customers queued for two hours before the doors opened, and the shelves were empty by noon."
)


@pytest.fixture
def sample(project: Project) -> Project:
    import_paths(project, [sample_corpus_path()])
    return project


def docs_containing(project: Project, phrase: str) -> dict[int, int]:
    """Document id -> offset of `phrase`, for every document that has it."""
    found = {}
    for doc in project.documents():
        at = project.text(doc.id).find(phrase)
        if at >= 0:
            found[int(doc.id)] = at
    return found


def covering(alignments: list[Alignment], a: tuple[int, int], b: tuple[int, int]) -> Alignment | None:
    """The alignment whose passages contain offset a[1] of doc a[0] and offset b[1] of doc b[0]."""
    for x in alignments:
        for (da, pa), (db, pb) in ((a, b), (b, a)):
            if (x.doc_a, x.doc_b) == (da, db) and x.start_a <= pa < x.end_a and x.start_b <= pb < x.end_b:
                return x
    return None


def test_garneau_statement_is_aligned_across_the_articles_that_quote_it(sample: Project) -> None:
    alignments = align_documents(sample)
    where = docs_containing(sample, "found credible evidence that Canadian technology exported to Turkey")
    assert len(where) == 3
    for a, b in combinations(sorted(where.items()), 2):
        match = covering(alignments, a, b)
        assert match is not None, f"statement not aligned between documents {a[0]} and {b[0]}"
        assert match.kind == "verbatim" and match.score >= 90
        assert "shares quote" in match.reason and "found credible evidence" in match.reason
        assert "same numbers: 2020" in match.reason


def test_the_end_use_sentence_is_aligned_in_all_four_articles(sample: Project) -> None:
    alignments = align_documents(sample)
    where = docs_containing(sample, "not consistent with Canadian foreign policy")
    assert len(where) == 4
    for a, b in combinations(sorted(where.items()), 2):
        match = covering(alignments, a, b)
        assert match is not None and match.kind == "verbatim", (a, b)


def test_an_unrelated_article_aligns_with_nothing(sample: Project) -> None:
    bakery = add_doc(sample, UNRELATED, "Bakery")
    alignments = align_documents(sample)
    assert alignments  # the sample articles still align with each other
    assert not [x for x in alignments if bakery in (x.doc_a, x.doc_b)]
    assert align_documents(sample, [bakery, 1]) == []


def test_alignments_are_sorted_deterministic_and_on_sentence_boundaries(sample: Project) -> None:
    texts = {int(d.id): sample.text(d.id) for d in sample.documents()}
    first, second = align_texts(texts), align_texts(dict(reversed(list(texts.items()))))
    assert first == second
    keys = [(x.doc_a, x.start_a, x.doc_b, x.start_b, x.end_a, x.end_b) for x in first]
    assert keys == sorted(keys)
    bounds = {
        doc: ({s.start for s in split_sentences(t)}, {s.end for s in split_sentences(t)}) for doc, t in texts.items()
    }
    for x in first:
        assert x.doc_a < x.doc_b and 0 <= x.score <= 100 and x.reason
        assert x.kind in ("verbatim", "near-copy", "paraphrase")
        for doc, start, end in ((x.doc_a, x.start_a, x.end_a), (x.doc_b, x.start_b, x.end_b)):
            assert start in bounds[doc][0] and end in bounds[doc][1]


def test_threshold_filters_and_lower_threshold_finds_more(sample: Project) -> None:
    strict = align_documents(sample, threshold=90)
    default = align_documents(sample)
    loose = align_documents(sample, threshold=45)
    assert strict and all(x.score >= 90 for x in strict)
    assert len(strict) < len(default) < len(loose)


def test_near_copy_and_paraphrase_in_general_text() -> None:
    texts = {
        1: "Officials in Lisbon confirmed that 40 workers were evacuated from the Tagus refinery on Friday."
        " The mayor, Carla Mendes, urged residents to keep their windows closed.",
        2: "Officials in Lisbon confirmed that 40 workers had been evacuated from the Tagus refinery on Friday."
        " Residents were told by mayor Carla Mendes to keep windows shut as smoke spread.",
    }
    found = align_texts(texts)
    assert [x.kind for x in found] == ["near-copy", "paraphrase"]
    assert "same numbers: 40" in found[0].reason
    assert "same names:" in found[1].reason and "Mendes" in found[1].reason


def test_a_sentence_matches_a_run_of_two_when_the_copy_split_it() -> None:
    whole = (
        "The ministry said the convoy of forty trucks reached Kharkiv at dawn and unloaded medical supplies"
        " for the regional hospital before noon."
    )
    texts = {
        1: f"Intro words here. {whole} Unrelated closing remark about weather.",
        2: "A different opening. The ministry said the convoy of forty trucks reached Kharkiv at dawn."
        " It unloaded medical supplies for the regional hospital before noon. Other news follows.",
    }
    found = align_texts(texts)
    assert len(found) == 1
    match = found[0]
    assert texts[1][match.start_a : match.end_a] == whole
    assert texts[2][match.start_b : match.end_b].startswith("The ministry said")
    assert texts[2][match.start_b : match.end_b].endswith("before noon.")


def test_format_alignments_lists_one_line_per_alignment_and_the_quotes() -> None:
    texts = {
        1: "Garneau said the review found credible evidence of misuse in 2020.",
        2: "Garneau said the review found credible evidence of misuse in 2020!",
    }
    found = align_texts(texts)
    assert len(found) == 1
    plain = format_alignments(found)
    assert plain.startswith("1:0-66\t2:0-66\t") and "\tverbatim\t" in plain
    assert format_alignments(found, texts).splitlines()[1] == "  < " + texts[1]
    assert format_alignments([]) == ""


def test_single_document_and_empty_input() -> None:
    assert align_texts({}) == []
    assert align_texts({1: "Only one article. It says things."}) == []


def test_paraphrased_leads_are_aligned() -> None:
    a = (
        "Kabul: A powerful earthquake struck a rural, mountainous region of eastern Afghanistan on Wednesday,"
        " killing 1,000 and injuring over 1,500 people, authorities said. Officials warned the toll would rise."
    )
    b = (
        "At least 1000 people have died and another 1,500 were injured in a temblor that struck Afghanistan's"
        " Paktika province on Wednesday morning, officials said. Rescue teams arrived by helicopter."
    )
    found = align_texts({1: a, 2: b}, threshold=50)
    assert found and found[0].start_a == 0 and found[0].start_b == 0
    assert "same numbers: 1000" in found[0].reason  # "1,000" and "1000" are one number
