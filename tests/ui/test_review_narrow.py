"""The review window on a small screen: the verdict buttons take two rows when one does not
fit, so the window's minimum width leaves room (it was 965-1,000 px) and nothing is cut."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.review import sessions as review
from app.sample import build_sample
from app.storage.project import Project
from tests.ui.test_newcomer_snags import long_titled
from ui.open_project import OpenProject
from ui.review.review_window import ReviewWindow
from ui.review.verdict_bar import VerdictBar

pytestmark = pytest.mark.gui


@pytest.fixture
def shown(qtbot, tmp_path: Path) -> Iterator[ReviewWindow]:
    """The sample's review session on its dispute with the widest captions (a long title)."""
    path = tmp_path / "sample.parallax"
    build_sample(path)
    opened = OpenProject(Project.open(path), "Rita")
    (started,) = review.sessions(opened.project)
    window = ReviewWindow(opened, started.id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.go(window.items.index(long_titled(window)[0]))
    yield window
    window.close()
    opened.undo_stack.clear()
    opened.project.close()


def cut(bar: VerdictBar) -> list[str]:
    """The buttons not shown whole: outside the bar, or narrower than their caption."""
    inside = QRect(0, 0, bar.width(), bar.height())
    return [
        b.text()
        for b in bar._in_order()
        if not (b.isVisible() and inside.contains(b.geometry()) and b.width() >= b.sizeHint().width())
    ]


def laid_out(qtbot, bar: VerdictBar, rows: int) -> None:
    """Until the bar has this many rows and its layout has placed them (a posted request)."""
    qtbot.waitUntil(lambda: bar.rows == rows and not cut(bar))


def test_a_narrow_review_window_lays_the_verdicts_in_two_rows(qtbot, shown: ReviewWindow, tmp_path: Path) -> None:
    bar = shown.verdicts
    assert shown.minimumSizeHint().width() <= 900
    shown.resize(shown.minimumSizeHint().width(), 700)
    laid_out(qtbot, bar, 2)
    first, fifth = bar.buttons[next(iter(bar.buttons))], list(bar.buttons.values())[4]
    assert fifth.y() > first.y() and fifth.x() == first.x()  # 5 under 1
    assert shown.grab().save(str(tmp_path / "review_narrow.png"))
    with qtbot.waitActive(shown):
        shown.activateWindow()
    QTest.mouseClick(shown.rationale, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is shown.rationale and "Ctrl +" in bar.keys_label.text()
    assert cut(bar) == []
    assert shown.grab().save(str(tmp_path / "review_narrow_typing.png"))
    QTest.keyClick(shown.rationale, Qt.Key.Key_Escape)
    decided = len(review.verdicts(shown.project, shown.review.id))
    QTest.keyClick(QApplication.focusWidget() or shown, Qt.Key.Key_5)  # the keys still record
    assert len(review.verdicts(shown.project, shown.review.id)) == decided + 1
    shown.resize(1150, 780)
    laid_out(qtbot, bar, 1)  # room again: one row
