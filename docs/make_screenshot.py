"""Rebuild docs/screenshot.png: the sample project exactly as it ships (`app.sample`).

Run: QT_QPA_PLATFORM=offscreen python docs/make_screenshot.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.sample import build_sample
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings

PANES = ("Canada cancels all permits", "Canada Blocks")  # three links join these two


def main() -> None:
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.parallax"
        build_sample(path)
        project = Project.open(path)
        window = MainWindow(OpenProject(project, "Ana"), UserSettings(Path(tmp) / "settings.json"))
        window.resize(1500, 900)
        window.show()
        app.processEvents()  # let the window restore its (empty) view state first
        for index, prefix in enumerate(PANES):
            doc = next(d.id for d in project.documents() if d.title.startswith(prefix))
            window.workspace.open_document(doc, index)
        window.flush()
        app.processEvents()
        window.grab().save(str(Path(__file__).with_name("screenshot.png")))
        window.close()


if __name__ == "__main__":
    main()
