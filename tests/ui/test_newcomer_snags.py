"""Snags found by using the window as a newcomer would (issue 12, under a real X server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.sample import build_sample
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import Session
from ui.settings import UserSettings
from ui.workspace.article_view import ArticleView
from ui.workspace.selection_look import distance

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    path = tmp_path / "sample.parallax"
    build_sample(path)
    main = MainWindow(Session(Project.open(path), "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.resize(1300, 800)
    main.show()
    qtbot.waitExposed(main)
    main.flush()
    yield main
    main.close()


def doc_id(window: MainWindow, title: str) -> int:
    return next(d.id for d in window.session.project.documents() if d.title.startswith(title))


def over(base: QColor, color: QColor) -> QColor:
    """`color` drawn over `base`, as the screen shows it."""
    a = color.alphaF()
    mixed = (b * (1 - a) + c * a for b, c in zip(base.getRgbF()[:3], color.getRgbF()[:3], strict=True))
    return QColor.fromRgbF(*mixed)


def label_tints(view: ArticleView) -> dict[str, QColor]:
    base = view.palette().base().color()
    tints = {}
    for label in view.labels.values():
        tint = QColor(label.color)
        tint.setAlpha(70)  # as the highlighter draws an entity
        tints[label.name] = over(base, tint)
    return tints


def assert_unlike_labels(view: ArticleView, layer: str) -> None:
    marks = view.marks[layer]
    assert marks, layer
    base = view.palette().base().color()
    for mark in marks:
        shown = over(base, mark.format.background().color())
        for name, tint in label_tints(view).items():
            assert distance(shown, tint) > 150, (layer, name, shown.name(), tint.name())


def test_find_and_search_hits_never_look_like_a_label_tint(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A find hit was amber at 35 %: on screen #FFE3A5 beside ORG's tint #F8E5B9."""
    pane = window.workspace.area.panes[1]
    pane.view.setFocus()
    qtbot.keyClick(pane.view, "f", Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(pane.find_bar.edit, "turkey")
    assert len(pane.view.marks["find"]) > 3
    assert_unlike_labels(pane.view, "find")
    assert window.grab().save(str(tmp_path / "find_hits.png"))
    window.documents.filter.setText("garneau")
    blocks = doc_id(window, "Canada Blocks")
    window.workspace.open_document(blocks, 0)
    window._on_document_activated(blocks)
    assert_unlike_labels(window.workspace.area.panes[0].view, "search")
