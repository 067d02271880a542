"""A hotkey tints its span and repaints the lines around it, not the whole article view;
blocks highlighted in the background still count their lines for the scroll bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from unittest.mock import patch

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtGui import QColor, QPaintEvent, QRegion, QTextCharFormat
from PySide6.QtWidgets import QApplication

from tests.ui.dialog_helpers import article_tagged_everywhere, hue_near, shown_window, wait_for_proposals
from ui.main_window import MainWindow
from ui.workspace import article_view, repaint
from ui.workspace.article_view import ArticleView, Mark
from ui.workspace.repaint import on_screen, paint_in_bands

pytestmark = pytest.mark.gui
PERSON_KEY = "1"  # the default labels' hotkeys: 1 PERSON, 2 ORG, 3 LOCATION
SHORT = "Official{n} said the sensor was reviewed."  # one line each: a block per line
LONG = "Officials in Ottawa said the Wescam sensor was reviewed again, and again, on day {n}. " * 6


class Painted(QObject):
    """The union of what a widget repainted."""

    def __init__(self) -> None:
        super().__init__()
        self.region = QRegion()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.region = self.region.united(event.region())
        return False


def open_article(qtbot, tmp_path: Path, text: str, tagged: str | None = None) -> MainWindow:
    project, doc = article_tagged_everywhere(tmp_path / "article.parallax", text, tagged)
    window = shown_window(qtbot, project, tmp_path / "settings.json")
    QApplication.processEvents()  # laid out at its final size: a new width lays the text out anew
    window.workspace.open_document(doc, 0)
    QApplication.processEvents()
    window.workspace.area.panes[0].view.finish_highlighting()
    QApplication.processEvents()
    return window


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    main = open_article(qtbot, tmp_path, "\n".join(SHORT.format(n=n) for n in range(300)))
    yield main
    main.close()


def test_a_hotkey_tints_its_span_and_repaints_only_the_lines_around_it(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    wait_for_proposals(qtbot, window)  # its redraw, late under load, would repaint the whole view
    view: ArticleView = window.workspace.area.panes[0].view
    start = view.text.index("Official12 ")
    view.select_text(start, start + len("Official12"))
    view.setFocus()
    QApplication.processEvents()  # the selection painted before the key
    painted = Painted()
    view.viewport().installEventFilter(painted)
    qtbot.keyClick(view, PERSON_KEY)
    qtbot.waitUntil(lambda: any(s.start == start for s in view.spans))
    for _ in range(5):
        QApplication.processEvents()  # the deferred refreshes and their paints
    span = view.offset_rect(start + 3).center()
    assert painted.region.contains(span)
    assert not painted.region.contains(view.offset_rect(0).center())  # the first line, far above
    assert not painted.region.contains(view.offset_rect(view.text.index("Official24 ")).center())
    view.select_span(None, scroll=False)  # the selection look off the span, to see its tint
    QApplication.processEvents()
    image = view.viewport().grab().toImage()
    assert image.save(str(tmp_path / "tagged.png"))
    person = QColor(window.workspace.labels[window.session.project.label("PERSON").id].color).hue()
    assert hue_near(image, span.x() + 2, span.y(), person)


def test_after_highlighting_in_the_background_the_scroll_bar_reaches_the_last_line(qtbot, tmp_path: Path) -> None:
    text = "\n".join(LONG.format(n=n) for n in range(300))  # wrapped: each block holds many lines
    window = open_article(qtbot, tmp_path, text, tagged="Ottawa")
    view: ArticleView = window.workspace.area.panes[0].view
    bar = view.verticalScrollBar()
    assert bar.maximum() > 3 * view.document().blockCount()  # the blocks' lines are counted
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert view.document().blockCount() - 1 in on_screen(view)
    window.close()


class PaintedOverlay(Painted):
    """The union of what the proposal overlay repainted, and how many of its paints covered it whole."""

    def __init__(self, whole: QRect) -> None:
        super().__init__()
        self.whole, self.full = whole, 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.full += QRegion(self.whole).subtracted(event.region()).isEmpty()
        return super().eventFilter(watched, event)


def test_a_phrase_newly_proposed_all_over_the_screen_repaints_its_lines_not_the_whole_overlay(
    qtbot, tmp_path: Path
) -> None:
    lines = ["Official{n} said the sensor was reviewed.", "Nobody{n} spoke of it again."]
    window = open_article(qtbot, tmp_path, "\n".join(lines[n % 2].format(n=n) for n in range(300)))
    wait_for_proposals(qtbot, window)
    view: ArticleView = window.workspace.area.panes[0].view
    overlay = window.assist.overlays[0]
    start = view.text.index("sensor", view.text.index("Official12 "))
    view.select_text(start, start + len("sensor"))
    view.setFocus()
    QApplication.processEvents()
    painted = PaintedOverlay(overlay.rect())
    overlay.installEventFilter(painted)
    qtbot.keyClick(view, PERSON_KEY)
    qtbot.waitUntil(lambda: len(overlay.extents) > 100)  # "sensor" now proposed on every other line
    for _ in range(5):
        QApplication.processEvents()
    low, high = overlay.visible_range()
    on_screen = [p for p in overlay.extents if low <= p.start < high]
    assert len(on_screen) > 8  # more stretches than the old "repaint it all" rule allowed
    assert all(painted.region.contains(overlay.rects(p.start, p.end)[0].center().toPoint()) for p in on_screen)
    # Only the new boxes' stretch of their lines: not the line's start, far to their left.
    starts = [view.text.rfind("\n", 0, p.start) + 1 for p in on_screen if p.start != start]
    assert len(starts) > 8 and not any(painted.region.contains(view.offset_rect(at + 2).center()) for at in starts)
    quiet = [view.text.index(f"Nobody{n} ") for n in range(1, 60, 2)]
    unchanged = [at for at in quiet if low <= at < high]
    assert unchanged and not any(painted.region.contains(view.offset_rect(at).center()) for at in unchanged)
    assert painted.full == 0
    assert view.grab().save(str(tmp_path / "overlay.png"))  # the text with the boxes drawn over it
    window.close()


def test_the_overlay_finds_the_code_points_on_screen_as_hit_testing_does(qtbot, tmp_path: Path) -> None:
    """`visible_range` walks the block tops it keeps instead of asking `cursorForPosition`
    (~0.3 ms a call, four a key); both name the same lines, scrolled anywhere, wrapped or not."""
    text = "\n".join((LONG if n % 3 else SHORT).format(n=n) for n in range(300))
    window = open_article(qtbot, tmp_path, text, tagged="Ottawa")
    wait_for_proposals(qtbot, window)
    view: ArticleView = window.workspace.area.panes[0].view
    overlay = window.assist.overlays[0]
    bar = view.verticalScrollBar()
    for where in (0, 0.37, 0.5, 1):
        bar.setValue(round(bar.maximum() * where))
        QApplication.processEvents()
        shared = overlay._screen_lines(0, overlay.height())  # one table for every rectangle of a paint
        for rect in (overlay.rect(), overlay.rect().adjusted(0, 40, 0, -90), overlay.rect().adjusted(0, 200, 0, -10)):
            first = view.cursorForPosition(QPoint(0, rect.top())).position()
            last = view.cursorForPosition(QPoint(overlay.width(), rect.bottom())).position()
            low, high = overlay._visible_range(rect)
            assert low == first and high >= last, where  # (the line's trailing space counted too)
            assert not view.text[last:high].strip(), where
            assert overlay._visible_range(rect, shared) == (low, high), where
    window.close()


def test_a_hotkey_in_a_long_paragraph_repaints_the_lines_of_its_span_not_the_whole_paragraph(
    qtbot, tmp_path: Path
) -> None:
    """A paragraph wraps over many lines; only the line holding the new span repaints (and its tint
    lands on the word after a run of emoji: UTF-16 positions, two units each, not code points)."""
    emoji = "😀 " * 150  # 150 units more than code points: a few lines
    paragraphs = [LONG.format(n=n) for n in range(40)]
    paragraphs[0] = emoji + (LONG[: LONG.index("}.") + 3] * 3).format(n=0).replace("Wescam", "Zyxwvut", 2)
    paragraphs[0] = paragraphs[0].replace("Zyxwvut", "Wescam", 1)
    window = open_article(qtbot, tmp_path, "\n".join(paragraphs))
    wait_for_proposals(qtbot, window)
    view: ArticleView = window.workspace.area.panes[0].view
    start = view.text.index("Zyxwvut")  # once in the article: no proposal elsewhere repaints
    begins, ends = view.text.index(emoji), view.text.index("\n", start)
    view.select_text(start, start + len("Zyxwvut"))
    view.setFocus()
    QApplication.processEvents()
    painted = Painted()
    view.viewport().installEventFilter(painted)
    qtbot.keyClick(view, PERSON_KEY)
    qtbot.waitUntil(lambda: any(s.start == start for s in view.spans))
    for _ in range(5):
        QApplication.processEvents()
    word = view.offset_rect(start + 3).center()
    first_line, last_line = view.offset_rect(begins + 1).center(), view.offset_rect(ends - 1).center()
    assert first_line.y() + 40 < word.y() < last_line.y() - 40  # lines of the paragraph well above and below
    assert view.viewport().rect().contains(first_line) and view.viewport().rect().contains(last_line)
    assert painted.region.contains(word)
    assert not painted.region.contains(first_line) and not painted.region.contains(last_line)
    height = view.offset_rect(start).height()
    others = [
        QPoint(word.x(), y) for y in range(first_line.y(), last_line.y() + 1, height) if abs(y - word.y()) > height
    ]
    assert len(others) > 8 and not any(painted.region.contains(point) for point in others)  # (its neighbours may)
    view.select_span(None, scroll=False)
    QApplication.processEvents()
    image = view.viewport().grab().toImage()
    person = QColor(window.workspace.labels[window.session.project.label("PERSON").id].color).hue()
    assert hue_near(image, word.x(), word.y(), person)
    window.close()


def test_a_repaint_of_lines_far_apart_paints_them_band_by_band_as_a_full_repaint_would(
    qtbot, window: MainWindow
) -> None:
    """Marks on the first and the last line repaint two bands, each painted on its own (the lines
    between are not drawn); what shows is what a full repaint shows."""
    view: ArticleView = window.workspace.area.panes[0].view
    wait_for_proposals(qtbot, window)
    last = view.offset_at(QPoint(2, view.viewport().height() - 10))
    mark = QTextCharFormat()
    mark.setBackground(QColor("#FFD700"))
    bands: list[QRect] = []
    view.set_marks("test", [Mark(1, 6, mark), Mark(last, last + 5, mark)])

    def recorded(event: QPaintEvent, paint: Callable[[QPaintEvent], None]) -> None:
        def band(part: QPaintEvent) -> None:
            bands.append(part.rect())
            paint(part)

        repaint.paint_in_bands(event, band)

    with patch.object(article_view, "paint_in_bands", recorded):
        QApplication.processEvents()
    assert len(bands) == 2 and bands[0].bottom() < view.offset_rect(0).bottom() + 3
    assert bands[1].top() > view.viewport().height() - 40
    shown = window.screen().grabWindow(window.winId()).toImage()
    with patch.object(article_view, "paint_in_bands", lambda event, paint: paint(event)):  # Qt's own way
        window.repaint()
    assert window.screen().grabWindow(window.winId()).toImage() == shown


def test_paint_in_bands_groups_a_region_into_bands_a_line_or_more_apart() -> None:
    region = QRegion(QRect(0, 0, 100, 18)).united(QRect(0, 30, 50, 18)).united(QRect(0, 300, 100, 18))
    seen: list[QRect] = []
    paint_in_bands(QPaintEvent(region), lambda event: seen.append(event.rect()))
    assert seen == [QRect(0, 0, 100, 48), QRect(0, 300, 100, 18)]
    seen.clear()
    paint_in_bands(
        QPaintEvent(QRegion(QRect(0, 0, 100, 18)).united(QRect(0, 20, 100, 18))), lambda e: seen.append(e.rect())
    )
    assert seen == [QRect(0, 0, 100, 38)]  # one band: painted as given


def test_a_changed_stretch_repaints_its_own_place_on_a_left_to_right_line_and_the_whole_line_else(
    qtbot, tmp_path: Path
) -> None:
    """Right-to-left text on the line: a stretch's characters need not lie between its ends' places."""
    lines = ["Official{n} said the sensor was reviewed.", "Official{n} said مرحبا the sensor was reviewed."]
    window = open_article(qtbot, tmp_path, "\n".join(lines[n % 2].format(n=n) for n in range(60)))
    view: ArticleView = window.workspace.area.panes[0].view
    overlay = window.assist.overlays[0]
    plain = view.text.index("sensor", view.text.index("Official4 "))
    mixed = view.text.index("sensor", view.text.index("Official5 "))
    narrow = overlay._band(plain, plain + len("sensor"))
    assert narrow is not None and narrow.contains(view.offset_rect(plain + 3).center())
    assert narrow.width() < overlay.width() / 3 and not narrow.contains(view.offset_rect(plain - 12).center())
    whole = overlay._band(mixed, mixed + len("sensor"))
    assert whole is not None and whole.width() == overlay.width()
    window.close()
