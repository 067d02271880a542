"""File ▸ Import annotations on a token file that names no annotator: the window asks whose its spans are."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app.formats.tokens import Unnamed
from app.storage.project import Project
from ui.dialogs import export_dialog
from ui.dialogs.annotation_import import import_annotations
from ui.dialogs.import_annotator import ImportAnnotatorDialog
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings

pytestmark = pytest.mark.gui
CONLL = "Wescam B-ORG\nsold O\nsensors O\nto O\nBaykar B-ORG\n. O\n"


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(export_dialog, "_message", lambda _parent, _icon, text: shown.append(text))
    return shown


@pytest.fixture
def window(qtbot, project_path: Path, tmp_path: Path, said: list[str]) -> Iterator[MainWindow]:
    main = MainWindow(OpenProject(Project.open(project_path), "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def when_asked(answer: Callable[[ImportAnnotatorDialog], None], asked: list[ImportAnnotatorDialog]) -> list[bool]:
    """Answer the dialog once it is up (exec blocks until then); clear the list returned to stop looking."""
    looking = [True]

    def look() -> None:
        if not looking:
            return
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ImportAnnotatorDialog):
            QTimer.singleShot(10, look)
            return
        asked.append(dialog)
        answer(dialog)

    QTimer.singleShot(0, look)
    return looking


def _people(window: MainWindow) -> dict[int, str]:
    return {a.id: a.name for a in window.session.project.annotators()}


def test_the_window_asks_whose_the_spans_are_and_credits_the_name_given(
    window: MainWindow, tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "kim.conll"
    path.write_text(CONLL, encoding="utf-8")
    asked: list[ImportAnnotatorDialog] = []

    def name_lee(dialog: ImportAnnotatorDialog) -> None:
        assert dialog.name() == "kim (CoNLL-2003)"  # what the summary would otherwise pick
        assert "Ana" in [dialog.field.itemText(i) for i in range(dialog.field.count())]
        dialog.grab().save(str(tmp_path / "import-annotator.png"))
        dialog.field.setEditText("Lee")
        dialog.ok_button.click()

    when_asked(name_lee, asked)
    import_annotations(window, window.session, path)
    assert asked and "The file kim.conll (CoNLL-2003) names no annotator" in asked[0].about.text()
    people = _people(window)
    assert sorted(people[s.annotator_id] for s in window.session.project.spans()) == ["Lee", "Lee"]
    assert said and not any("names no annotator" in text for text in said)
    assert (tmp_path / "import-annotator.png").stat().st_size > 0


def test_keeping_the_suggested_name_recognises_spans_and_the_summary_speaks_of_the_field(
    window: MainWindow, tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "kim.conll"
    path.write_text(CONLL, encoding="utf-8")
    asked: list[ImportAnnotatorDialog] = []
    for _ in range(2):  # the second time, every span is recognised: nothing is added
        when_asked(lambda dialog: dialog.ok_button.click(), asked)
        import_annotations(window, window.session, path)
    assert len(asked) == 2
    people = _people(window)
    assert sorted(people[s.annotator_id] for s in window.session.project.spans()) == ["kim (CoNLL-2003)"] * 2
    assert "its 2 new spans are under 'kim (CoNLL-2003)' (the name in the import's Annotator field" in said[0]
    assert "its 0 new spans" in said[1] and "2 already in the project were recognised" in said[1]
    assert not any("--annotator" in text for text in said)  # the window has no such option


def test_cancel_imports_nothing(window: MainWindow, tmp_path: Path, said: list[str]) -> None:
    path = tmp_path / "kim.conll"
    path.write_text(CONLL, encoding="utf-8")
    asked: list[ImportAnnotatorDialog] = []
    when_asked(lambda dialog: dialog.reject(), asked)
    import_annotations(window, window.session, path)
    assert asked and window.session.project.spans() == [] and said == []


def test_a_prodigy_file_that_names_its_annotators_is_not_asked_about(
    window: MainWindow, tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "db-out.jsonl"
    record = {"text": "Ottawa said no.", "spans": [{"start": 0, "end": 6, "label": "LOCATION"}]}
    path.write_text(json.dumps(record | {"_annotator_id": "ner-kim"}) + "\n", encoding="utf-8")
    asked: list[ImportAnnotatorDialog] = []
    looking = when_asked(lambda dialog: dialog.reject(), asked)  # would cancel the import, were it asked
    import_annotations(window, window.session, path)
    looking.clear()
    assert asked == [] and [_people(window)[s.annotator_id] for s in window.session.project.spans()] == ["ner-kim"]


def test_a_blank_name_cannot_be_imported_as(qtbot, tmp_path: Path) -> None:
    dialog = ImportAnnotatorDialog(None, tmp_path / "kim.conll", Unnamed("kim (CoNLL-2003)", "CoNLL-2003"), ["Ana"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ok_button.isEnabled() and dialog.ok_button.text() == "Import"
    dialog.field.setEditText("   ")
    dialog.grab().save(str(tmp_path / "import-annotator-blank.png"))
    assert not dialog.ok_button.isEnabled()
    dialog.accept()  # called directly, as a default button would
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    dialog.field.setEditText("Lee")
    assert dialog.ok_button.isEnabled() and dialog.chosen() == "Lee"
