"""A doccano file whose offsets read both ways: the import dialog asks which unit, then imports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.storage.project import Project
from ui.dialogs import export_dialog
from ui.dialogs.annotation_import import import_annotations
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setattr(export_dialog, "_message", lambda *_args: None)  # the summary box after importing
    main = MainWindow(OpenProject(Project.open(project_path), "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


@pytest.mark.parametrize(("answer", "quote"), [("Code points", "b"), ("UTF-16", "a")])
def test_the_dialog_asks_what_the_offsets_count(window: MainWindow, tmp_path: Path, answer: str, quote: str) -> None:
    path = tmp_path / "ana.jsonl"
    path.write_text(json.dumps({"text": "😀😀 a b c", "label": [[5, 6, "X"]]}) + "\n", encoding="utf-8")
    asked: list[str] = []

    def answer_when_asked() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.windowTitle() != "What do the offsets count?":
            QTimer.singleShot(10, answer_when_asked)
            return
        asked.append(box.text())
        box.grab().save(str(tmp_path / "question.png"))
        [button] = [b for b in box.buttons() if b.text().startswith(answer)]
        button.click()

    QTimer.singleShot(0, answer_when_asked)
    import_annotations(window, window.session, path, "doccano")
    assert asked and "ana.jsonl" in asked[0] and "beyond U+FFFF" in asked[0]
    assert [s.quote for s in window.session.project.spans()] == [quote]
    assert (tmp_path / "question.png").stat().st_size > 0
