"""Word-level diff: operations and exact code-point offsets, accents and emoji included."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from app.text.worddiff import DiffOp, changed_fraction, diff_words, tokenize


def test_replace_between_equal_runs() -> None:
    a, b = "the cat sat on the mat", "the dog sat on the mat"
    assert diff_words(a, b) == [
        DiffOp("equal", 0, 3, 0, 3),
        DiffOp("replace", 4, 7, 4, 7),
        DiffOp("equal", 8, 22, 8, 22),
    ]


def test_insert_and_delete_have_empty_ranges_on_the_other_side() -> None:
    a, b = "Canada cancelled permits.", "Canada cancelled all permits on Monday."
    ops = diff_words(a, b)
    assert [o.op for o in ops] == ["equal", "insert", "equal", "insert", "equal"]
    insert_all = ops[1]
    assert (insert_all.a_start, insert_all.a_end) == (16, 16)  # after "cancelled"
    assert b[insert_all.b_start : insert_all.b_end] == "all"
    assert b[ops[3].b_start : ops[3].b_end] == "on Monday"
    back = diff_words(b, a)
    assert [o.op for o in back] == ["equal", "delete", "equal", "delete", "equal"]
    assert back[1].b_start == back[1].b_end == 16


def test_accents_and_emoji_offsets_are_code_points() -> None:
    a = "Mevlüt Çavuşoğlu 😀 met Lavrov"
    b = "Mevlut Cavusoglu 😀 met Lavrov on Monday"
    exact = diff_words(a, b)
    assert exact[0] == DiffOp("replace", 0, 16, 0, 16)
    assert exact[1] == DiffOp("equal", 17, 29, 17, 29)
    assert a[17:29] == "😀 met Lavrov"
    folded = diff_words(a, b, ignore_case_and_accents=True)
    assert folded == [DiffOp("equal", 0, 29, 0, 29), DiffOp("insert", 29, 29, 30, 39)]
    assert b[30:39] == "on Monday"


def test_tokens_keep_marks_modifiers_and_joined_emoji_whole() -> None:
    text = "Cafe\u0301 👍🏽 👨\u200d👩\u200d👧 end-use don't 1,000.5 U.S."
    assert [t.text for t in tokenize(text)] == [
        "Cafe\u0301",
        "👍🏽",
        "👨\u200d👩\u200d👧",
        "end-use",
        "don't",
        "1,000.5",
        "U.S",
        ".",
    ]
    for t in tokenize(text):
        assert text[t.start : t.end] == t.text


def test_white_space_is_no_change_and_base_offsets_shift() -> None:
    assert diff_words("a  b\nc", "a b c") == [DiffOp("equal", 0, 6, 0, 5)]
    assert diff_words("x y", "x z", base_a=100, base_b=7) == [
        DiffOp("equal", 100, 101, 7, 8),
        DiffOp("replace", 102, 103, 9, 10),
    ]


def test_empty_passages() -> None:
    assert diff_words("", "") == []
    assert diff_words("", "new words") == [DiffOp("insert", 0, 0, 0, 9)]
    assert diff_words("old", "") == [DiffOp("delete", 0, 3, 0, 0)]


def test_changed_fraction() -> None:
    assert changed_fraction(diff_words("same words", "same words")) == 0.0
    assert changed_fraction(diff_words("one", "two")) == 1.0


WORDS = st.sampled_from(["Çavuşoğlu", "cavusoglu", "😀", "all", "some", "29", "permits", ",", "."])


@given(st.lists(WORDS, max_size=12), st.lists(WORDS, max_size=12), st.booleans())
def test_operations_cover_both_token_sequences_in_order(a_words: list[str], b_words: list[str], fold: bool) -> None:
    a, b = " ".join(a_words), " ".join(b_words)
    ops = diff_words(a, b, ignore_case_and_accents=fold)
    for side, text in ((0, a), (1, b)):
        ranges = [(o.a_start, o.a_end) if side == 0 else (o.b_start, o.b_end) for o in ops]
        covered = [t.text for start, end in ranges for t in tokenize(text[start:end])]
        assert covered == [t.text for t in tokenize(text)]
        assert all(x[1] <= y[0] for x, y in pairwise(ranges))
    for o in ops:
        if o.op == "equal":
            same = (
                [t.text for t in tokenize(a[o.a_start : o.a_end])],
                [t.text for t in tokenize(b[o.b_start : o.b_end])],
            )
            assert len(same[0]) == len(same[1])
