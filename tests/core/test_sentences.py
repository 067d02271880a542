"""Sentence splitting: abbreviations, initials, quotes, paragraphs, and code-point offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.resources import sample_corpus_path
from app.text.sentences import split_sentences


def pieces(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_plain_sentences_split_on_end_marks() -> None:
    assert pieces("Canada acted. Turkey objected! Why? Nobody knows…") == [
        "Canada acted.",
        "Turkey objected!",
        "Why?",
        "Nobody knows…",
    ]


def test_titles_initials_and_months_before_numbers_do_not_end_sentences() -> None:
    text = "Dr. Smith met Gen. Jones and J. R. Tolkien on Oct. 2, 2020 in St. Louis. They left."
    assert pieces(text) == ["Dr. Smith met Gen. Jones and J. R. Tolkien on Oct. 2, 2020 in St. Louis.", "They left."]


def test_dotted_abbreviations_end_a_sentence_only_before_an_opener() -> None:
    assert pieces("The U.S. Navy and the U.N. agency met. It rained.") == [
        "The U.S. Navy and the U.N. agency met.",
        "It rained.",
    ]
    assert pieces("He flew to the U.S. The next day he left.") == ["He flew to the U.S.", "The next day he left."]
    assert pieces("Apple Inc. The company grew.") == ["Apple Inc.", "The company grew."]
    assert pieces("Apple Inc. CEO spoke.") == ["Apple Inc. CEO spoke."]


def test_numbers_and_lowercase_continuations_do_not_split() -> None:
    assert pieces("Growth was 3.5 percent. Prices rose.") == ["Growth was 3.5 percent.", "Prices rose."]
    assert pieces("He paused... and went on. Done.") == ["He paused... and went on.", "Done."]


def test_quotes_close_the_sentence_they_end() -> None:
    text = "One said “This is how we get revenge.” Another wept. “Would Canada stop?” he asked."
    assert pieces(text) == ["One said “This is how we get revenge.”", "Another wept.", "“Would Canada stop?” he asked."]
    assert pieces('"We call for calm," he said. "Now."') == ['"We call for calm," he said.', '"Now."']
    # A quotation mark used as a closer after the full stop (as scraped) stays with its sentence.
    assert pieces("“It is assessed case by case.“\nThis decision followed.") == [
        "“It is assessed case by case.“",
        "This decision followed.",
    ]


def test_lines_and_paragraphs() -> None:
    text = "Headline Without Stop\nBody starts here. It goes on\nacross a wrapped line.\n\n\nNew paragraph"
    assert pieces(text) == [
        "Headline Without Stop",
        "Body starts here.",
        "It goes on\nacross a wrapped line.",
        "New paragraph",
    ]


def test_offsets_are_code_points_and_trimmed() -> None:
    text = "  😀 Çavuşoğlu spoke.   E\u0301te is here!  \n"
    found = split_sentences(text)
    assert [(s.start, s.end) for s in found] == [(2, 20), (23, 36)]
    assert text[2:20] == "😀 Çavuşoğlu spoke."
    assert text[23:36] == "E\u0301te is here!"


def test_empty_and_blank_texts() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t ") == []


def test_sample_article_wrapped_line_stays_one_sentence() -> None:
    path = next(p for p in sorted(sample_corpus_path().glob("*.txt")) if p.name.startswith("001"))
    text = path.read_text(encoding="utf-8")
    found = pieces(text)
    assert any(s.startswith("The nation of Canada is canceling") and "credible evidence" in s for s in found)
    assert "Already as early as last October,\xa0Canada had suspended" in "".join(found)


@given(st.text(alphabet=st.sampled_from(list("ab C.!?“”\"' \n😀é\u0301U.S")), max_size=80))
def test_sentences_are_ordered_trimmed_and_disjoint(text: str) -> None:
    found = split_sentences(text)
    previous_end = 0
    for s in found:
        piece = text[s.start : s.end]
        assert piece and piece == piece.strip()
        assert s.start >= previous_end
        previous_end = s.end
    covered = "".join(text[s.start : s.end] for s in found)
    assert "".join(covered.split()) == "".join(text.split())  # nothing but white space is dropped
