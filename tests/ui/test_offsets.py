"""Code-point <-> UTF-16 conversion, checked against a real QPlainTextEdit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from ui.offsets import OffsetMap, qt_selected_text

pytestmark = pytest.mark.gui

PIECES = ["a", "é", "e\u0301", "😀", "👍🏽", "👩\u200d👩\u200d👧", "\u00a0", "مرحبا", "שלום", "\n", " ", "𝔘", "Ç"]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join)


@given(text=texts, data=st.data())
@settings(max_examples=60, deadline=None)
def test_round_trip_matches_qt(qapp: object, text: str, data: st.DataObject) -> None:
    editor = QPlainTextEdit()  # one per example: qtbot is function-scoped
    editor.setPlainText(text)
    offsets = OffsetMap(text)
    assert offsets.utf16_length == editor.document().characterCount() - 1
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    cursor = QTextCursor(editor.document())
    cursor.setPosition(offsets.to_qt(start))
    cursor.setPosition(offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    assert qt_selected_text(cursor.selectedText()) == text[start:end]
    assert offsets.from_qt(cursor.selectionStart()) == start
    assert offsets.from_qt(cursor.selectionEnd()) == end
    editor.deleteLater()


def test_position_inside_a_surrogate_pair_rounds_down() -> None:
    offsets = OffsetMap("a😀b")
    assert [offsets.to_qt(i) for i in range(4)] == [0, 1, 3, 4]
    assert [offsets.from_qt(p) for p in range(5)] == [0, 1, 1, 2, 3]


def test_out_of_range_is_refused() -> None:
    offsets = OffsetMap("😀")
    with pytest.raises(ValueError):
        offsets.to_qt(2)
    with pytest.raises(ValueError):
        offsets.from_qt(3)
