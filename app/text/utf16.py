"""Offsets in UTF-16 code units (JavaScript string indices, Java's, Qt's) <-> code points.

Parallax stores code points; UIMA/WebAnno (Java), Label Studio and doccano (JavaScript)
and Qt count UTF-16 units, in which each character beyond the Basic Multilingual Plane
(emoji, many CJK extensions) counts two.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16:
    """One text's offsets both ways, in O(log n) per offset."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # Code-point positions of the characters beyond the Basic Multilingual Plane (two units
        # each), found by a regex at C speed, not a Python loop over every character; machine
        # integers (5,500 emoji in a 1 MB article held 0.4 MB as int objects in lists).
        found = () if text.isascii() else (match.start() for match in _ASTRAL.finditer(text))
        self.astral = array("q", found)
        self._units = array("q", (i + n for n, i in enumerate(self.astral)))  # their UTF-16 positions

    def to_units(self, point: int) -> int:
        return point + bisect_left(self.astral, point)

    def to_points(self, unit: int) -> int | None:
        """None if `unit` falls between the two halves of a surrogate pair or past the end."""
        before = bisect_left(self._units, unit)
        if before and self._units[before - 1] + 1 == unit:
            return None
        point = unit - before
        return point if 0 <= point <= self.length else None
