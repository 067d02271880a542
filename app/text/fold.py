"""Folding for search: case and diacritics removed, code-point length kept.

"Çavuşoğlu" folds to "cavusoglu" and "Işık" to "isik". Each character maps to
exactly one character, so an offset in folded text is the same offset in the
original, which lets search hits be shown in the real text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that carry no combining mark in Unicode, so NFD cannot strip them.
_SPECIAL = {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ŀ": "l"}


# Control characters separate words anyway; as spaces they cannot be mistaken for the
# markers (\x02, \x03) search puts around a hit.
_CONTROLS = {code: " " for code in (*range(32), 127)}


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    if unicodedata.category(char) == "Cc":
        return " "
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if unicodedata.combining(base):  # a lone combining mark stays as it is
        return char
    if not all(unicodedata.combining(mark) for mark in marks):
        base = char  # not letter + marks (a Hangul syllable splits into letters): keep it
    lower = base.lower()
    if len(lower) != 1:  # a few letters lower-case to two code points
        lower = base
    return _SPECIAL.get(lower, lower)


class _FoldTable(dict[int, str]):
    """A str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = fold_char(chr(code))
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Return `text` folded for matching; `len(fold(t)) == len(t)` always."""
    if text.isascii():
        return text.lower().translate(_CONTROLS)
    return text.translate(_TABLE)  # C speed once each character has been seen
