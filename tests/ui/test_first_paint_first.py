"""The first window is not held back by what it does not show: a long article's spans
beyond the first screen are read after its view is first painted, not before; an edit
made before that read is in the view once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject

from app.models import DocumentId, NewDocument
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings

pytestmark = pytest.mark.gui
PARAGRAPH = "Officials in Ottawa said the Wescam sensor was reviewed again on {n}."


@pytest.fixture
def long_project(tmp_path: Path) -> Iterator[tuple[Project, DocumentId]]:
    project = Project.create(tmp_path / "long.parallax")
    text = "\n\n".join(PARAGRAPH.format(n=n) for n in range(400))
    (doc,) = project.add_documents([NewDocument(text=text, title="Long")]).value.added
    with project.batch():
        at = -1
        while (at := text.find("Ottawa", at + 1)) >= 0:
            project.add_span(doc, at, at + 6, "LOCATION", "Bo")
    yield project, doc
    project.close()


@pytest.fixture
def long_window(qtbot, long_project: tuple[Project, DocumentId], tmp_path: Path) -> Iterator[MainWindow]:
    """A window on the long project, built (its first pane restored to the article), not shown."""
    window = MainWindow(OpenProject(long_project[0], "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    yield window
    window.close()


class Order(QObject):
    """Records the view's paints beside the moment the rest of the spans is read."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.seen.append("paint")
        return False


def test_the_rest_of_the_spans_is_read_after_the_first_paint(
    qtbot, long_project: tuple[Project, DocumentId], long_window: MainWindow
) -> None:
    (project, doc), window = long_project, long_window
    view = window.workspace.area.panes[0].view
    assert window.workspace.area.panes[0].document_id == doc  # restored at start
    painter = view.painter
    assert painter.rest is not None and len(view._spans) < len(project.span_rows(doc))  # the first screen's
    order = Order()
    view.viewport().installEventFilter(order)
    rest = painter.rest
    painter.rest = lambda: (order.seen.append("rest"), rest())[1]
    window.resize(1200, 800)
    window.show()
    qtbot.waitUntil(lambda: painter.rest is None)
    assert order.seen[0] == "paint" and "rest" in order.seen  # painted first, then the rest read
    assert view.spans == project.span_rows(doc)


def test_a_tag_before_the_rest_is_read_is_in_the_view_once(
    long_project: tuple[Project, DocumentId], long_window: MainWindow
) -> None:
    (project, doc), window = long_project, long_window
    view = window.workspace.area.panes[0].view
    assert view.painter.rest is not None  # never shown: the rest not read yet
    start = view.text.rindex("Wescam")  # past the first screen
    window.session.run("tag", lambda: project.add_span(doc, start, start + 6, "ORG", "Ana"))
    window.workspace.refresher.flush()  # the view's refresh, as the next event-loop turn runs it
    window.refresher.flush()  # and the window's (the list's row)
    assert view.spans == project.span_rows(doc)  # every span once, in order
    assert len({s.id for s in view.spans}) == len(view.spans)


def test_restore_opens_the_saved_documents_still_there_and_skips_the_rest(qtbot, tmp_path: Path) -> None:
    project = Project.create(tmp_path / "three.parallax")
    ids = project.add_documents([NewDocument(text=f"Text {n}.", title=f"T{n}") for n in range(3)]).value.added
    settings = UserSettings(tmp_path / "settings.json")
    panes = [{"document": 999}, {"document": ids[2], "top": 0}, {"document": "x"}, {"document": True}]
    settings.set_view_state(project.path, {"pane_count": 4, "panes": panes})
    window = MainWindow(OpenProject(project, "Ana"), settings)
    qtbot.addWidget(window)
    assert [p.document_id for p in window.workspace.area.panes] == [None, ids[2], None, None]
    window.close()
    fresh = Project.open(tmp_path / "three.parallax")
    first = MainWindow(OpenProject(fresh, "Ana"), UserSettings(tmp_path / "other.json"))  # nothing saved: the first two
    qtbot.addWidget(first)
    assert [p.document_id for p in first.workspace.area.panes[:2]] == list(ids[:2])
    first.close()
