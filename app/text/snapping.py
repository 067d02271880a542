"""Snap a selection to whole words, as brat and Prodigy do by default."""

from __future__ import annotations


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "_'’-" or (0x0300 <= ord(char) <= 0x036F)


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim surrounding whitespace, then widen both ends to word boundaries.

    Returns (start, end) with start < end, or the trimmed input unchanged when
    it is punctuation only. A selection that is all whitespace returns (start, start).
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, start
    if _is_word(text[start]):
        while start > 0 and _is_word(text[start - 1]):
            start -= 1
    if _is_word(text[end - 1]):
        while end < len(text) and _is_word(text[end]):
            end += 1
    # Possessive or trailing hyphen picked up by widening: keep the word itself.
    while end - start > 1 and text[end - 1] in "'’-":
        end -= 1
    return start, end
