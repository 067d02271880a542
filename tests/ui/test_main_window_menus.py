"""Menu entries that open the review tools, driven through the real main window."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main as cli
from app.models import GOLD, NewDocument
from app.storage.project import Project
from app.team.curation import State, candidates, set_state
from ui.main_window import MainWindow
from ui.open_project import Session
from ui.settings import UserSettings
from ui.team import actions as team
from ui.team.curation_view import CurationWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, project_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    project = Project.open(project_path)
    (doc,) = project.add_documents([NewDocument(text="Garneau spoke to Cavusoglu.", title="A")]).value.added
    project.add_span(doc, 0, 7, "PERSON", "Ana")
    project.add_span(doc, 0, 7, "PERSON", "Ben")
    project.add_span(doc, 17, 26, "PERSON", "Ben")
    main = MainWindow(Session(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def test_curate_opens_on_the_active_document(qtbot, window: MainWindow) -> None:
    window.curate()
    (curation,) = window.findChildren(CurationWindow)
    qtbot.waitExposed(curation)
    assert curation.document_id == 1
    curation.close()


def test_gold_export_holds_only_adjudicated_spans(
    window: MainWindow, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = window.session.project
    items = {c.key: c for c in candidates(project, 1)}
    set_state(project, 1, "span:0:7:PERSON", State.ACCEPTED, "Rev")
    set_state(project, 1, "span:17:26:PERSON", State.REJECTED, "Rev")
    assert set(items) == {"span:0:7:PERSON", "span:17:26:PERSON"}
    path = project.path
    window.close()
    out = tmp_path / "gold.jsonl"
    assert cli(["export", str(path), "-f", "jsonl", "-o", str(out), "--gold"]) == 0
    spans = [r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines()) if r["type"] == "span"]
    assert [(s["quote"], s["annotator"]) for s in spans] == [("Garneau", GOLD)]


def test_merge_from_the_menu_is_one_undoable_step(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.dialogs import export_dialog

    shown: list[str] = []
    monkeypatch.setattr(export_dialog, "_message", lambda _parent, _icon, text: shown.append(text))
    other = Project.create(tmp_path / "ben.parallax")
    (doc,) = other.add_documents([NewDocument(text="Another article about Garneau.", title="B")]).value.added
    other.add_span(doc, 22, 29, "PERSON", "Ben")
    other.close()
    project = window.session.project
    team.merge_paths(window, window.session, [tmp_path / "ben.parallax"])
    assert len(project.documents()) == 2 and shown and "ben.parallax" in shown[0]
    window.session.undo_stack.undo()
    assert [d.title for d in project.documents()] == ["A"]
    window.session.undo_stack.redo()
    assert len(project.spans()) == 4
