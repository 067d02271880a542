"""The one place where code-point offsets meet Qt's UTF-16 positions.

Parallax stores offsets as Python str indices (code points, `app.models.CodePoint`;
the core's plain `int` offsets are code points too). Qt counts UTF-16
code units, so each astral character (emoji, many CJK extensions) counts one
in Python and two in Qt. An `OffsetMap` is built once per document text and
converts both ways in O(log n).
"""

from __future__ import annotations

from typing import NewType

from app.models import CodePoint
from app.text.utf16 import Utf16

# A position in Qt's text (QTextCursor, QTextDocument): counted in UTF-16 code units.
Utf16Pos = NewType("Utf16Pos", int)


class OffsetMap:
    """The core's `Utf16` with Qt's types, range checks, and rounding inside a surrogate pair."""

    def __init__(self, text: str) -> None:
        self.units = Utf16(text)

    @property
    def utf16_length(self) -> int:
        return self.units.length + len(self.units.astral)

    def to_qt(self, offset: int) -> Utf16Pos:
        """Code-point offset -> UTF-16 position."""
        if not 0 <= offset <= self.units.length:
            raise ValueError(f"offset {offset} outside 0-{self.units.length}")
        return Utf16Pos(self.units.to_units(offset) if self.units.astral else offset)

    def to_qt_all(self, offsets: list[int]) -> list[Utf16Pos]:
        """Many code-point offsets -> UTF-16 positions at once (a document's spans, when it opens)."""
        if offsets and not (min(offsets) >= 0 and max(offsets) <= self.units.length):
            raise ValueError(f"an offset outside 0-{self.units.length}")
        if not self.units.astral:
            return list(map(Utf16Pos, offsets))
        to_units = self.units.to_units
        return [Utf16Pos(to_units(o)) for o in offsets]

    def from_qt(self, position: Utf16Pos) -> CodePoint:
        """UTF-16 position -> code-point offset; inside a surrogate pair rounds down."""
        if not 0 <= position <= self.utf16_length:
            raise ValueError(f"position {position} outside 0-{self.utf16_length}")
        point = self.units.to_points(position)
        if point is None:  # between the two halves of a pair: the pair begins one unit before
            point = self.units.to_points(position - 1)
        assert point is not None  # a pair's first half is a character's start
        return CodePoint(point)


def qt_selected_text(selected: str) -> str:
    """Undo Qt's `selectedText()` habit of turning line breaks into U+2029."""
    return selected.replace("\u2029", "\n")
