"""The events panel through the real window: grouping, opening an event side
by side, moving an article with undo, suggestions within events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.events import store
from app.formats.articles import import_paths
from app.resources import sample_corpus_path
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings

pytestmark = pytest.mark.gui
FIXTURES = Path(__file__).parent.parent / "core" / "fixtures" / "events"


@pytest.fixture
def window(qtbot, project_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    project = Project.open(project_path)
    import_paths(project, [sample_corpus_path(), *sorted(FIXTURES.glob("*.txt"))])
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.resize(1400, 900)
    main.show()
    main.events.parentWidget().raise_()  # the Events tab, in front of Documents
    yield main
    main.close()


def event_items(window: MainWindow) -> list[str]:
    tree = window.events.tree
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def test_the_hidden_events_tab_is_filled_when_first_shown(qtbot, window: MainWindow) -> None:
    window.documents.parentWidget().raise_()  # Events behind Documents, as a window opens
    store.regroup(window.session.project)  # grouped elsewhere: the hidden tab is not refilled yet
    window.events.reload()
    assert event_items(window) == []
    window.events.parentWidget().raise_()
    names = event_items(window)
    assert len(names) == 3 and "Turkey" in names[0]


def test_group_open_side_by_side_move_and_undo(qtbot, window: MainWindow, tmp_path: Path) -> None:
    panel = window.events
    assert event_items(window) == []
    panel.group_button.click()
    names = event_items(window)
    assert len(names) == 3 and "Turkey" in names[0]
    project = window.session.project
    drone = store.events(project)[0]
    # open the drone event: four of its five articles side by side, compare mode ready
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    panel.open_button.click()
    shown = [p.document_id for p in window.workspace.area.visible_panes()]
    assert shown == list(drone.documents[:4])
    window.workspace.compare.set_enabled(True)
    assert window.workspace.area.overlay.bands
    window.events.parentWidget().raise_()
    panel.tree.topLevelItem(0).setExpanded(True)
    window.grab().save(str(tmp_path / "events.png"))
    # move the first quake article into the drone event, then undo
    quake = store.events(project)[1]
    item = next(
        panel.tree.topLevelItem(i)
        for i in range(3)
        if panel.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == quake.id
    )
    panel.tree.clearSelection()
    item.child(0).setSelected(True)
    before = store.events(project)
    panel.move_to(drone.id)
    assert len(store.event(project, drone.id).documents) == 6
    assert panel.tree.topLevelItem(0).text(1) == "6"
    window.session.undo_stack.undo()
    assert store.events(project) == before
    assert panel.tree.topLevelItem(0).text(1) == "5"
    window.session.undo_stack.redo()
    assert len(store.event(project, drone.id).documents) == 6


def test_suggestions_panel_stays_within_events(window: MainWindow) -> None:
    window.events.group_button.click()
    event_of = {d: e.id for e in store.events(window.session.project) for d in e.documents}
    window.suggestions.refresh()
    rows = window.suggestions.model.rows
    assert rows and all(event_of[s.doc_a] == event_of[s.doc_b] for s in rows)


def test_every_button_shows_its_whole_label_in_the_default_dock(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.events.parentWidget().raise_()
    qtbot.waitExposed(window)
    window.events.grab().save(str(tmp_path / "events_panel.png"))
    panel = window.events
    for button in (panel.group_button, panel.open_button, panel.merge_button, panel.split_button, panel.move_button):
        assert button.width() >= button.sizeHint().width(), button.text()  # else "roup article" is shown
