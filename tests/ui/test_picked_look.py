"""A picked span is drawn in the selection's look, once per change of what is picked, and
still after another text is shown (its extra selections are set afresh)."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models import AnnotatorId, DocumentId, Label, LabelId, LabelKind, SpanId, SpanRow
from ui.workspace.article_view import ArticleView

pytestmark = pytest.mark.gui
LABELS = {1: Label(id=LabelId(1), name="PERSON", kind=LabelKind.ENTITY, color="#E69F00", hotkey="1")}


def span(start: int, end: int, id_: int = 1) -> SpanRow:
    return SpanRow(SpanId(id_), DocumentId(1), start, end, LabelId(1), AnnotatorId(1), "", "")


@pytest.fixture
def view(qtbot: QtBot) -> ArticleView:
    shown = ArticleView()
    qtbot.addWidget(shown)
    shown.resize(500, 300)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def picked_at(view: ArticleView, start: int, end: int) -> bool:
    """Pixels in the selection's colour between the two offsets (white text is drawn over it)."""
    QApplication.processEvents()
    image, left, right = view.viewport().grab().toImage(), view.offset_rect(start), view.offset_rect(end)
    row = [image.pixelColor(x, left.center().y()).rgb() for x in range(left.x(), right.x())]
    return row.count(view.selection_color.rgb()) > len(row) // 3


def test_a_span_picked_in_a_text_shown_anew_at_the_same_offsets_is_drawn_picked(view: ArticleView) -> None:
    view.show_text("Garneau met Cavusoglu on Monday.", [span(0, 7)], LABELS)
    view.select_span(view.spans[0], scroll=False)
    assert picked_at(view, 0, 7)
    view.show_text("Trudeau met Erdogan on Tuesday.", [span(0, 7)], LABELS)
    assert not picked_at(view, 0, 7)
    view.select_span(view.spans[0], scroll=False)  # the same offsets, the same colour: another text
    assert picked_at(view, 0, 7)


def test_the_extra_selections_are_set_only_when_what_is_picked_changes(view: ArticleView) -> None:
    view.show_text("Garneau met Cavusoglu on Monday.", [span(0, 7), span(12, 21, 2)], LABELS)
    with patch.object(view, "setExtraSelections", wraps=view.setExtraSelections) as setting:
        view.select_span(view.spans[0], scroll=False)
        view.set_anchored(None)
        view.select_span(view.span_with_id(1), scroll=False)  # the same span again
        assert setting.call_count == 1
        view.select_span(view.spans[1], scroll=False)
        assert setting.call_count == 2
    assert picked_at(view, 12, 21) and not picked_at(view, 0, 7)


def test_a_pick_scrolled_off_screen_leaves_the_extra_selections_and_comes_back_in_view(view: ArticleView) -> None:
    """Qt lays out the paragraph of every extra selection set or taken away: a pick left far
    above the screen was laid out anew on the next key, which moved the text (a whole repaint)."""
    paragraph = "Garneau met Cavusoglu on Monday in Ankara to discuss the permits."
    text = "\n".join(f"{n} {paragraph}" for n in range(400))
    far = text.index("Garneau", len(text) // 2)
    view.show_text(text, [span(2, 9), span(far, far + 7, 2)], LABELS)
    view.select_span(view.spans[0], scroll=False)
    assert [e.cursor.selectionStart() for e in view.extraSelections()] == [2]
    view.select_span(view.spans[1])  # scrolled to: the first pick is far above the screen now
    view.set_anchored(view.span_with_id(1))  # a link's source, picked too, off screen
    assert [e.cursor.selectionStart() for e in view.extraSelections()] == [far]
    view.verticalScrollBar().setValue(0)  # back up: the source is drawn picked again
    assert [e.cursor.selectionStart() for e in view.extraSelections()] == [2]  # and the far one left
    assert picked_at(view, 2, 9)
