"""Finding text in one document: every match, as code-point ranges.

Both sides are folded (app.text.fold keeps code-point length), so "cavusoglu"
finds "Çavuşoğlu" and every offset is an offset into the real text.
"""

from __future__ import annotations

import re
import unicodedata

from app.text.fold import fold


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every occurrence of `needle` (case and accents ignored), left to right, not overlapping."""
    wanted = fold(needle)
    if not wanted.strip():
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(wanted), fold(text))]


def word_hits(text: str, query: str) -> list[tuple[int, int]]:
    """Where the words of a corpus search occur in `text`: whole words, `word*` a prefix
    (the same reading of the query as the full-text index)."""
    bare = "".join(char for char in fold(query) if not unicodedata.combining(char))
    terms = re.findall(r"(\w+)(\*?)", bare)
    if not terms:
        return []
    pattern = "|".join(r"\b" + re.escape(word) + (r"\w*" if star else r"\b") for word, star in terms)
    return [(m.start(), m.end()) for m in re.finditer(pattern, fold(text))]
