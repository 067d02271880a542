"""File ▸ Export through the real dialog, read back by its consumer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.models import NewDocument
from app.storage.project import Project
from ui.dialogs import export_dialog
from ui.dialogs.export_dialog import ExportDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def filled(project: Project) -> Project:
    docs = project.add_documents(
        [
            NewDocument(text="Garneau met 😀 Çavuşoğlu.", title="A"),
            NewDocument(text="Cavusoglu met Garneau.", title="B"),
        ]
    ).value.added
    project.add_span(docs[0], 14, 23, "PERSON", "Ana")
    project.add_span(docs[1], 0, 9, "PERSON", "Ben")
    project.add_span(docs[1], 14, 21, "PERSON", "Ana")
    return project


def test_export_only_checked_annotator_to_label_studio(
    qtbot, filled: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(export_dialog, "_message", lambda _parent, _icon, text: shown.append(text))
    dialog = ExportDialog(filled)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("labelstudio"))
    out = tmp_path / "tasks.json"
    dialog.output.setText(str(out))
    ben = dialog.annotators.findItems("Ben", export_dialog.Qt.MatchFlag.MatchExactly)[0]
    ben.setCheckState(export_dialog.Qt.CheckState.Unchecked)
    report = dialog.run()
    assert report is not None and shown and "Wrote" in shown[0]
    tasks = json.loads(out.read_text(encoding="utf-8"))
    results = [r for task in tasks for a in task["annotations"] for r in a["result"]]
    assert sorted(r["value"]["text"] for r in results) == ["Garneau", "Çavuşoğlu"]


def test_format_change_updates_suffix(qtbot, filled: Project) -> None:
    dialog = ExportDialog(filled)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("spacy"))
    assert dialog.output.text().endswith(".spacy")
    dialog.format.setCurrentIndex(dialog.format.findData("brat"))
    assert not Path(dialog.output.text()).suffix


def test_gold_takes_finished_documents_unless_told_otherwise(qtbot, filled: Project) -> None:
    from app.team.progress import finish_curation

    dialog = ExportDialog(filled)
    qtbot.addWidget(dialog)
    assert not dialog.unfinished.isEnabled()
    dialog.gold.setChecked(True)
    assert dialog.selection().documents == frozenset() and "not finished left out" in dialog.gold_said
    first = filled.documents()[0].id
    finish_curation(filled, first)
    assert dialog.selection().documents == frozenset({first})
    dialog.unfinished.setChecked(True)
    assert dialog.selection().documents == frozenset(d.id for d in filled.documents())
