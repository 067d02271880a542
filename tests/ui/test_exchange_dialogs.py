"""The exchange formats in the Export dialog and in File ▸ Import annotation(s), through the real main window."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from app.models import NewDocument
from app.storage.project import Project
from ui.dialogs import export_dialog
from ui.dialogs.annotation_import import import_annotations_file, import_brat_folder
from ui.dialogs.export_dialog import ExportDialog
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings

pytestmark = pytest.mark.gui
FIXTURES = Path(__file__).parent.parent / "core" / "fixtures" / "exchange"


@pytest.fixture
def window(qtbot, project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    project = Project.open(project_path)
    project.add_documents([NewDocument(text="He loves her .\nShe loves him not .", title="A")])
    monkeypatch.setattr(export_dialog, "_message", lambda *_args: None)
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def test_the_export_dialog_offers_and_writes_the_new_formats(qtbot, window: MainWindow, tmp_path: Path) -> None:
    project = window.session.project
    project.add_span(project.documents()[0].id, 0, 2, "PERSON", "Ana")
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    offered = {dialog.format.itemData(i) for i in range(dialog.format.count())}
    assert {"tsv3", "xmi", "conllu", "huggingface", "prodigy"} <= offered
    dialog.format.setCurrentIndex(dialog.format.findData("tsv3"))
    assert dialog.output.text().endswith(".zip")
    dialog.format.setCurrentIndex(dialog.format.findData("huggingface"))
    assert not Path(dialog.output.text()).suffix  # a folder
    dialog.format.setCurrentIndex(dialog.format.findData("xmi"))
    dialog.output.setText(str(tmp_path / "inception.zip"))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "export-dialog.png"))
    report = dialog.run()
    assert report is not None and report.spans == 1
    assert "TypeSystem.xml" in zipfile.ZipFile(tmp_path / "inception.zip").namelist()


def test_importing_an_inception_file_is_one_undo_step(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = str(FIXTURES / "inception-tsv3-cross-sentence.tsv")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args, **_kw: (chosen, ""))
    import_annotations_file(window, window.session)
    project = window.session.project
    [span] = project.spans()
    assert span.quote == "He loves her .\nShe loves him not ."  # on the document already there
    assert len(project.documents()) == 1
    window.session.undo_stack.undo()
    assert project.spans() == []
    folder = tmp_path / "xmi"
    folder.mkdir()
    (folder / "anna.xmi").write_bytes((FIXTURES / "inception-cross-sentence.xmi").read_bytes())
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args, **_kw: str(folder))
    import_brat_folder(window, window.session)  # File ▸ Import annotation folder: the format is guessed (XMI here)
    assert len(project.spans()) == 1
    assert {a.name for a in project.annotators()} >= {"anna"}  # INCEpTION names the file after the annotator
