"""Starting the desktop app: the start screen, opening projects, the demo.

`AppController` owns the windows; one main window per open project.
"""

from __future__ import annotations

import sys
import traceback
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from app.assist.pause import favour_the_gui_thread
from app.errors import ParallaxError
from app.storage.project import Project
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings, data_folder

FILE_FILTER = "Parallax projects (*.parallax)"
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
MMAP_THRESHOLD = 128 * 1024  # glibc's initial value, kept


def return_large_blocks() -> None:
    """Keep glibc's mmap threshold where it starts (128 KB), so that large blocks freed go back to
    the system. Left alone, glibc raises the threshold to each large block freed (up to 32 MB):
    after the first big builds (a 1 MB article's arrays) later ones come from the heap and stay
    there once freed. Peak RSS with 10,000 documents and the 1 MB article open: -1.1 MB.
    Other C libraries have no mallopt: nothing changes there."""
    import ctypes  # here: only the GUI's start pays for it

    with suppress(AttributeError, OSError, TypeError):  # TypeError: Windows' CDLL wants a name
        ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def demo_project_path() -> Path:
    return data_folder() / "sample.parallax"


def ensure_demo_project() -> Path:
    """The sample project in the user data folder; built once, then kept (it holds the user's work)."""
    path = demo_project_path()
    if not path.exists():
        from app.sample import build_sample  # here: opening any other project never needs it

        path.parent.mkdir(parents=True, exist_ok=True)
        build_sample(path)
    return path


class AppController(QObject):
    def __init__(self, settings: UserSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or UserSettings()
        self.windows: list[QWidget] = []

    def show_start(self) -> None:
        from ui.dialogs.start_screen import StartScreen

        screen = StartScreen(self.settings)
        screen.open_requested.connect(lambda path: self._from_start(screen, path, create=False))
        screen.new_requested.connect(lambda path: self._from_start(screen, path, create=True))
        screen.sample_requested.connect(lambda: self._from_start(screen, ensure_demo_project(), False))
        self._keep(screen)

    def _from_start(self, screen: QWidget, path: Path, create: bool) -> None:
        if self.open(path, create=create) is not None:
            screen.close()

    def open(self, path: Path, create: bool = False, parent: QWidget | None = None) -> MainWindow | None:
        """Open (or create) a project in a new window; errors are shown, not raised."""
        existing = next(
            (w for w in self.windows if isinstance(w, MainWindow) and w.session.project.path == Path(path).absolute()),
            None,
        )
        if existing is not None:  # already open here: bring it forward
            existing.raise_()
            existing.activateWindow()
            return existing
        try:
            project = Project.create(path) if create else Project.open(path)
        except ParallaxError as exc:
            self._error(parent, str(exc))
            return None
        for notice in project.notices:  # a stray log beside the file was set aside, not applied
            QMessageBox.information(parent, "Parallax", notice)
        name = self._annotator_name(parent)
        if name is None:
            project.close()
            return None
        window = MainWindow(OpenProject(project, name), self.settings)
        window.new_project_requested.connect(lambda: self._ask_and_open(window, create=True))
        window.open_project_requested.connect(lambda: self._ask_and_open(window, create=False))
        window.sample_requested.connect(lambda: self.open(ensure_demo_project(), parent=window))
        self.settings.add_recent(project.path)
        self._keep(window)
        return window

    def _annotator_name(self, parent: QWidget | None) -> str | None:
        from ui.dialogs.annotator_prompt import ask_annotator_name

        return ask_annotator_name(parent, self.settings)

    def _ask_and_open(self, parent: QWidget, create: bool) -> None:
        if create:
            name, _ = QFileDialog.getSaveFileName(parent, "New project", "untitled.parallax", FILE_FILTER)
        else:
            name, _ = QFileDialog.getOpenFileName(parent, "Open project", "", FILE_FILTER)
        if name:
            path = Path(name)
            if create and path.suffix != ".parallax":
                path = path.with_suffix(".parallax")
            self.open(path, create=create, parent=parent)

    def _keep(self, widget: QWidget) -> None:
        self.windows.append(widget)
        widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        widget.destroyed.connect(lambda *_: self.windows.remove(widget) if widget in self.windows else None)
        widget.show()

    def _error(self, parent: QWidget | None, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Parallax", text, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()


def _report_unexpected(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """A bug in a slot: keep the traceback on the terminal, and say so in the window too."""
    traceback.print_exception(kind, exc, tb)
    box = QMessageBox(QMessageBox.Icon.Critical, "Parallax", f"Unexpected error: {exc}", parent=None)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText("Your work is saved (every edit is). The details are on the terminal.")
    box.exec()


def run(project: Path | None = None, demo: bool = False) -> int:
    """Entry point for `parallax`, `parallax demo` and `parallax open FILE`."""
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    qapp.setApplicationName("Parallax")
    qapp.setStyle("Fusion")
    favour_the_gui_thread()  # background threads (assist builds) hand the interpreter back sooner
    return_large_blocks()
    sys.excepthook = _report_unexpected
    controller = AppController()
    if demo:
        window = controller.open(ensure_demo_project())
        if window is None:
            return 1
    elif project is not None:
        if controller.open(project) is None:
            return 1
    else:
        controller.show_start()
    return int(qapp.exec())
