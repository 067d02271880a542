"""Find in one article, and every hit of a corpus search, in code points."""

from __future__ import annotations

from app.text.find import find_all, word_hits

TEXT = "Mevlüt Çavuşoğlu 😀 met Cavusoglu; cavusoglu again. Permits, permit, permitted."


def test_find_all_ignores_case_and_accents_and_keeps_offsets() -> None:
    hits = find_all(TEXT, "cavusoglu")
    assert [TEXT[s:e] for s, e in hits] == ["Çavuşoğlu", "Cavusoglu", "cavusoglu"]
    assert find_all(TEXT, "  ") == [] and find_all(TEXT, "nowhere") == []


def test_word_hits_match_whole_words_and_prefixes() -> None:
    assert [TEXT[s:e] for s, e in word_hits(TEXT, "permit")] == ["permit"]
    assert [TEXT[s:e] for s, e in word_hits(TEXT, "permit*")] == ["Permits", "permit", "permitted"]
    assert [TEXT[s:e] for s, e in word_hits(TEXT, "met Çavuşoğlu")] == ["Çavuşoğlu", "met", "Cavusoglu", "cavusoglu"]
    assert word_hits(TEXT, "!!") == []
