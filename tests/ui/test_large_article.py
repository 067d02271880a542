"""A long article with spans and proposals everywhere: what is on screen is painted right,
wherever the view is scrolled, though only the visible part is painted (and tinted) first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from tests.ui.dialog_helpers import article_tagged_everywhere, hue_near, shown_window, wait_for_proposals
from ui.main_window import MainWindow
from ui.workspace.article_pane import ArticlePane

pytestmark = pytest.mark.gui
PARAGRAPH = "Officials in Ottawa said the Wescam sensor was reviewed again on {n}."
COUNT = 600  # paragraphs: far more than a screen


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    text = "\n\n".join(PARAGRAPH.format(n=n) for n in range(COUNT))
    project, doc = article_tagged_everywhere(tmp_path / "long.parallax", text, "Ottawa", title="Long")
    wescam = text.index("Wescam")  # one of Ana's: the matcher proposes every other Wescam
    project.add_span(doc, wescam, wescam + 6, "ORG", "Ana")
    main = shown_window(qtbot, project, tmp_path / "settings.json")
    main.workspace.open_document(doc, 0)
    yield main
    main.close()


def test_scrolled_anywhere_every_proposal_in_view_is_outlined_in_its_colour(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    wait_for_proposals(qtbot, window)
    pane: ArticlePane = window.workspace.area.panes[0]
    overlay = window.assist.overlays[pane.index]
    org = QColor(window.workspace.labels[window.session.project.label("ORG").id].color).hue()
    assert len(overlay.extents) == COUNT - 1  # every Wescam but the tagged one
    for where in (0.5, 1.0):
        pane.view.scroll_to_top(int(len(pane.view.text) * where))
        QApplication.processEvents()  # the scroll painted
        low, high = overlay.visible_range()
        in_view = [p for p in overlay.extents if p.start < high and p.end > low]
        assert len(in_view) >= 5
        image = overlay.grab().toImage()
        assert image.save(str(tmp_path / f"overlay-{where}.png"))
        for proposal in in_view:
            (rect,) = overlay.rects(proposal.start, proposal.end)
            box = rect.toRect()
            if box.top() < 0 or box.bottom() >= image.height():
                continue  # cut by the edge of the view
            top = [hue_near(image, x, box.top(), org) for x in range(box.left(), box.right())]
            assert sum(top) > box.width() // 4, (where, proposal)  # a dashed outline, in ORG's colour
            middle = image.pixelColor(box.center())
            assert not hue_near(image, box.center().x(), box.center().y(), org), middle.name()  # only an outline


def test_scrolling_to_the_end_right_after_opening_shows_the_spans_tinted_there(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    view = window.workspace.area.panes[0].view
    location = QColor(window.workspace.labels[window.session.project.label("LOCATION").id].color).hue()
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())  # before any background pass finished
    QApplication.processEvents()
    last = view.text.rindex("Ottawa")
    rect = view.offset_rect(last + 2)
    image = view.viewport().grab().toImage()
    assert image.save(str(tmp_path / "end.png"))
    assert 0 <= rect.center().y() < image.height()
    assert hue_near(image, rect.center().x(), rect.center().y(), location)


def test_blocks_are_highlighted_as_they_come_into_view_and_not_before(qtbot, window: MainWindow) -> None:
    view = window.workspace.area.panes[0].view
    qtbot.waitUntil(lambda: view.painter.rest is None)  # the rest of the spans read
    last = view.document().findBlockByNumber(view.document().blockCount() - 1)
    assert "Ottawa" in last.text()
    assert not last.layout().formats()  # far below the screen: no formats held for it yet
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    assert last.layout().formats()  # scrolled into view: tinted before it is painted


def test_blocks_shown_by_enlarging_the_view_are_tinted(qtbot, window: MainWindow, tmp_path: Path) -> None:
    view = window.workspace.area.panes[0].view
    qtbot.waitUntil(lambda: view.painter.rest is None)
    location = QColor(window.workspace.labels[window.session.project.label("LOCATION").id].color).hue()
    bottom = view.viewport().height()
    window.resize(1300, 1500)
    QApplication.processEvents()
    assert view.viewport().height() > bottom + 200
    image = view.viewport().grab().toImage()
    assert image.save(str(tmp_path / "taller.png"))
    below = [at for at in range(len(view.text)) if view.text.startswith("Ottawa", at)]
    rects = [view.offset_rect(at + 2) for at in below]
    newly = [r for r in rects if bottom + 20 < r.center().y() < image.height() - 5]
    assert len(newly) >= 3
    assert all(hue_near(image, r.center().x(), r.center().y(), location) for r in newly)
