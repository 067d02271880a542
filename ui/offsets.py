"""The one place where code-point offsets meet Qt's UTF-16 positions.

Parallax stores offsets as Python str indices (code points, `app.models.CodePoint`;
the core's plain `int` offsets are code points too). Qt counts UTF-16
code units, so each astral character (emoji, many CJK extensions) counts one
in Python and two in Qt. An `OffsetMap` is built once per document text and
converts both ways in O(log n).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import NewType

from app.models import CodePoint

# A position in Qt's text (QTextCursor, QTextDocument): counted in UTF-16 code units.
Utf16Pos = NewType("Utf16Pos", int)

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    def __init__(self, text: str) -> None:
        self.length = len(text)
        # Code-point indices of astral characters, in order.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # Their UTF-16 positions (each earlier astral character adds one unit).
        self._astral_utf16 = [i + n for n, i in enumerate(self._astral)]

    @property
    def utf16_length(self) -> int:
        return self.length + len(self._astral)

    def to_qt(self, offset: int) -> Utf16Pos:
        """Code-point offset -> UTF-16 position."""
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} outside 0-{self.length}")
        return Utf16Pos(offset + bisect_left(self._astral, offset) if self._astral else offset)

    def to_qt_all(self, offsets: list[int]) -> list[Utf16Pos]:
        """Many code-point offsets -> UTF-16 positions at once (a document's spans, when it opens)."""
        if offsets and not (min(offsets) >= 0 and max(offsets) <= self.length):
            raise ValueError(f"an offset outside 0-{self.length}")
        astral = self._astral
        return [Utf16Pos(o + bisect_left(astral, o)) for o in offsets] if astral else list(map(Utf16Pos, offsets))

    def from_qt(self, position: Utf16Pos) -> CodePoint:
        """UTF-16 position -> code-point offset; inside a surrogate pair rounds down."""
        if not 0 <= position <= self.utf16_length:
            raise ValueError(f"position {position} outside 0-{self.utf16_length}")
        before = bisect_left(self._astral_utf16, position)  # astral chars starting before
        if before and self._astral_utf16[before - 1] == position - 1:
            return CodePoint(self._astral[before - 1])  # between the two halves of a pair
        return CodePoint(position - before)


def qt_selected_text(selected: str) -> str:
    """Undo Qt's `selectedText()` habit of turning line breaks into U+2029."""
    return selected.replace("\u2029", "\n")
