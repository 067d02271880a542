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
from app.team.progress import finish_curation
from ui.main_window import MainWindow
from ui.open_project import OpenProject
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
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
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
    out = tmp_path / "gold.jsonl"

    def gold_spans(*extra: str) -> list[tuple[str, str]]:
        assert cli(["export", str(path), "-f", "jsonl", "-o", str(out), "--gold", *extra]) == 0
        lines = map(json.loads, out.read_text(encoding="utf-8").splitlines())
        return [(r["quote"], r["annotator"]) for r in lines if r["type"] == "span"]

    assert gold_spans() == []  # curation not finished: the document is left out, and the export says so
    assert "1 not finished left out" in capsys.readouterr().err
    assert gold_spans("--unfinished") == [("Garneau", GOLD)]
    finish_curation(project, 1)
    window.close()
    assert gold_spans() == [("Garneau", GOLD)]
    assert "gold of the 1 documents whose curation is finished" in capsys.readouterr().err
    assert cli(["export", str(path), "-f", "jsonl", "-o", str(out), "--gold", "--annotators", "Ana"]) == 1


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


def test_an_annotator_marks_the_active_document_finished(window: MainWindow) -> None:
    from app.team.progress import Mark, team_progress

    project = window.session.project
    assert window.workspace.active.document_id == 1  # the article open in the active pane
    window.mark_document("finished")
    (doc,) = team_progress(project).documents
    assert doc.marks == {"Ana": Mark.FINISHED}
    window.session.undo_stack.undo()
    assert team_progress(project).documents[0].marks == {}
