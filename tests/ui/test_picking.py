"""Picking spans as a newcomer meets it: the status bar says what an edit did, no caret blinks
inside a picked span, and stepping with Tab moves the pick without starting a link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_newcomer_snags import click_span, doc_id, picked_ranges, sample_window
from ui.main_window import MainWindow
from ui.workspace.article_view import ArticleView

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    main = sample_window(qtbot, tmp_path)
    main.workspace.open_document(doc_id(main, "Canada Blocks"), 0)
    yield main
    main.close()


def said(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def key(qtbot, window: MainWindow, view: ArticleView, pressed: str | Qt.Key) -> None:
    qtbot.keyClick(view, pressed)
    window.flush()


def test_the_status_bar_says_what_a_tag_relabel_and_delete_did(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """After a tag it read as for a click (`LOCATION: “that Ankara”`), not that a span was added."""
    view = window.workspace.area.panes[0].view
    start = view.text.index("Armenia")
    view.select_text(start + 1, start + 4)  # "rme": snapped to the word
    view.setFocus()
    key(qtbot, window, view, "3")
    assert said(window) == "Tagged LOCATION “Armenia” — Ctrl+Z undoes"
    assert window.grab().save(str(tmp_path / "tagged.png"))
    key(qtbot, window, view, "2")
    assert said(window) == "Relabelled “Armenia” LOCATION → ORG — Ctrl+Z undoes"
    key(qtbot, window, view, Qt.Key.Key_Delete)
    assert said(window) == "Deleted ORG “Armenia” — Ctrl+Z undoes"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.flush()
    assert said(window) == "Undone: Delete span “Armenia”"
    click_span(qtbot, view, "Armenia")  # a click only describes
    assert said(window) == "ORG: “Armenia”"


def test_no_caret_blinks_inside_a_picked_span(qtbot, window: MainWindow, tmp_path: Path) -> None:
    view = window.workspace.area.panes[0].view
    view.setFocus()
    assert view.cursorWidth() > 0
    click_span(qtbot, view, "Mevlut Cavusoglu")  # the click leaves the caret inside the span
    start = view.text.index("Mevlut Cavusoglu")
    assert start < view.layout_.offsets.from_qt(view.textCursor().position()) < start + len("Mevlut Cavusoglu")
    assert view.cursorWidth() == 0
    assert view.grab().save(str(tmp_path / "picked_no_caret.png"))
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the user moves the caret: it shows again
    assert view.cursorWidth() > 0
    click_span(qtbot, view, "29 permits")
    assert view.cursorWidth() == 0
    plain = view.text.index("Turkey")
    view.select_text(plain, plain)
    point = view.cursorRect(view.textCursor()).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)  # plain text: nothing picked
    assert view.selected is None and view.cursorWidth() > 0


def test_stepping_with_tab_moves_the_pick_and_starts_no_link(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """Tab made the span it left a link's source: two spans dark while stepping."""
    view = window.workspace.area.panes[0].view
    view.setFocus()
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        assert len(picked_ranges(view)) == 1 and window.workspace.anchor is None
    assert not said(window).startswith("Link")
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert len(picked_ranges(view)) == 1 and window.workspace.anchor is None
    assert window.grab().save(str(tmp_path / "stepping.png"))


def test_a_link_started_by_clicks_keeps_its_source_while_tab_steps_to_the_target(qtbot, window: MainWindow) -> None:
    view = window.workspace.area.panes[0].view
    click_span(qtbot, view, "Mevlut Cavusoglu")
    click_span(qtbot, view, "Baku")  # the source is chosen: Mevlut Cavusoglu
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # the target moves on from Baku
    target = view.selected
    assert target is not None and target.quote != "Baku"
    assert window.workspace.anchor is not None and window.workspace.anchor[1].quote == "Mevlut Cavusoglu"
    assert said(window).startswith(f"Link “Mevlut Cavusoglu” → “{target.quote[:40]}”")
    key(qtbot, window, view, "s")
    (link,) = [k for k in window.session.project.links() if k.target_span_id == target.id]
    assert window.session.project.span(link.source_span_id).quote == "Mevlut Cavusoglu"
    assert said(window).endswith("— Ctrl+Z undoes")


def test_a_word_tagged_inside_a_claim_is_not_offered_a_link_to_it(qtbot, window: MainWindow) -> None:
    """Double-clicking a word inside a claim picked the claim with the first click: the new span
    was then offered as a link's target from the claim around it."""
    view = window.workspace.area.panes[0].view
    claim = next(s for s in view.spans if s.quote.startswith("Canada has halted"))
    click_span(qtbot, view, claim.quote)
    start = view.text.index("NATO")
    view.select_text(start, start + 4)
    key(qtbot, window, view, "2")
    assert said(window) == "Tagged ORG “NATO” — Ctrl+Z undoes"
    assert window.workspace.anchor is None and len(picked_ranges(view)) == 1
