"""Child process for bench_start: open a project in the main window, print when it is painted.

`python -m bench.start_probe FILE` prints "shown <RSS MB>" once the first window has
been painted; `--bare` shows an empty QMainWindow instead (the floor).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    bare = sys.argv[1] == "--bare"
    from PySide6.QtWidgets import QApplication, QMainWindow

    qapp = QApplication(sys.argv[:1])
    if bare:
        window = QMainWindow()
    else:
        import app.cli  # noqa: F401  (the real entry point's imports count)
        from app.storage.project import Project
        from ui.main_window import MainWindow
        from ui.open_project import Session
        from ui.settings import UserSettings

        settings = UserSettings(Path(tempfile.mkdtemp()) / "settings.json")
        window = MainWindow(Session(Project.open(sys.argv[1]), "bench"), settings)
    window.show()
    qapp.processEvents()
    window.repaint()
    print(f"shown {rss_mb():.1f}", flush=True)


if __name__ == "__main__":
    main()
