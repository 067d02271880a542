"""Rebuild docs/screenshot.png: the sample project with a few spans and links.

Run: QT_QPA_PLATFORM=offscreen python docs/make_screenshot.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.formats.articles import import_paths
from app.models import LinkKind
from app.resources import sample_corpus_path
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import Session
from ui.settings import UserSettings

TAGS = [  # (document title start, quote, label)
    ("Canada halts", "Mevlüt Çavuşoğlu", "PERSON"),
    ("Canada Blocks", "Mevlut Cavusoglu", "PERSON"),
    ("Canada halts", "Marc Garneau", "PERSON"),
    ("Canada Blocks", "Marc Garneau", "PERSON"),
    ("Canada halts", "Canada has halted some but not all of its military exports to Turkey", "CLAIM"),
    ("Canada Blocks", "The export ban affects 29 permits for military goods and technologies", "CLAIM"),
    ("Canada halts", "April 12, 2021", "DATE"),
    ("Canada Blocks", "L3Harris Wescam", "ORG"),
    ("Canada Blocks", "29 permits", "QUANTITY"),
    ("Canada halts", "Turkey", "LOCATION"),
    ("Canada Blocks", "Bayraktar TB2", "EQUIPMENT"),
]
LINKS = [(0, 1, LinkKind.SAME_AS), (2, 3, LinkKind.SAME_AS), (4, 5, LinkKind.CONTRADICTS)]


def main() -> None:
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.create(Path(tmp) / "sample.parallax")
        import_paths(project, [sample_corpus_path()])
        titles = {d.title: d.id for d in project.documents()}
        spans = []
        for prefix, quote, label in TAGS:
            doc = next(i for t, i in titles.items() if t.startswith(prefix))
            start = project.text(doc).index(quote)
            spans.append(project.add_span(doc, start, start + len(quote), label, "Ana").value.id)
        for a, b, kind in LINKS:
            project.add_link(kind, spans[a], spans[b], "Ana")
        window = MainWindow(Session(project, "Ana"), UserSettings(Path(tmp) / "settings.json"))
        window.resize(1500, 900)
        window.show()
        app.processEvents()  # let the window restore its (empty) view state first
        left = next(i for t, i in titles.items() if t.startswith("Canada halts"))
        right = next(i for t, i in titles.items() if t.startswith("Canada Blocks"))
        window.workspace.open_document(left, 0)
        window.workspace.open_document(right, 1)
        for pane, quote in ((0, "Canada has halted"), (1, "Garneau said he had")):
            view = window.workspace.area.panes[pane].view
            view.verticalScrollBar().setValue(0)
            cursor = view.document().find(quote)
            view.setTextCursor(cursor)
            view.centerCursor()
            cursor.clearSelection()
            view.setTextCursor(cursor)
        window.flush()
        app.processEvents()
        window.grab().save(str(Path(__file__).with_name("screenshot.png")))
        window.close()


if __name__ == "__main__":
    main()
