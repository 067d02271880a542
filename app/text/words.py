"""Small pieces of English for messages that put a name into a sentence."""

from __future__ import annotations


def a_or_an(word: str) -> str:
    """`word` with its indefinite article: "an updates", "a contradicts", "an ORG" (by the first letter)."""
    return f"{'an' if word[:1].lower() in 'aeiou' and word[:1] else 'a'} {word}"
