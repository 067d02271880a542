"""Child process for bench_start: open a project the way `parallax open FILE` does, report when painted.

`python -m bench.start_probe FILE` prints "shown" as soon as the main window
has been painted, then lets the event loop run for a few seconds (the assist
controller starts, its thread matches, its workers spawn and train, as for a
user) and prints "memory <peak RSS MB> <worker processes' RSS MB>".
`--no-assist FILE` never starts the assist controller (its cost is the
difference); `--bare` shows an empty QMainWindow instead (the floor).
With PARALLAX_PROBE_DOCUMENTS=2,3 the window opens on those documents (as a saved view
would) instead of the first opening's choice.
With PARALLAX_TRACEMALLOC=PATH (and `python -X tracemalloc=25`), a tracemalloc
snapshot taken when memory is read is dumped to PATH, to see where it went.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# How long the window runs after its first paint before memory is read (longer under tracemalloc).
SETTLE_MS = int(os.environ.get("PARALLAX_SETTLE_MS", 4000))
BEGAN = time.perf_counter()


def trace(what: str) -> None:
    """With PARALLAX_TRACE=1, when each step happened and the RSS then (stderr), to see where the start-up goes."""
    if os.environ.get("PARALLAX_TRACE"):
        print(f"{time.perf_counter() - BEGAN:7.3f} s  {rss_mb():6.1f} MB  {what}", file=sys.stderr, flush=True)


def rss_mb(pid: int | str = "self") -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # the process has ended
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    bare, no_assist = sys.argv[1] == "--bare", sys.argv[1] == "--no-assist"
    if not bare:
        import app.cli  # noqa: F401  (the console script imports the CLI first, then the GUI)
        from ui.app import AppController
        from ui.settings import UserSettings
        from ui.workspace.proposals import ProposalController

        started = ProposalController.start

        def start(self: ProposalController) -> None:
            if not no_assist:
                trace("assist starts")
                started(self)

        ProposalController.start = start  # type: ignore[method-assign]
        trace("imported")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    class Painted(QObject):
        """On the window alone, installed before show(): it sees the first paint, even one inside show().
        (An application-wide Python filter would run for every event of every widget being built:
        ~50 ms of the probe's own, which `parallax open` never pays.)"""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not hasattr(self, "done"):
                self.done = True
                trace("first paint")
                QTimer.singleShot(0, lambda: print("shown", flush=True))  # once this paint is finished
            return False

    qapp = QApplication(sys.argv[:1])
    painted = Painted()
    if bare:
        window = QMainWindow()
        window.installEventFilter(painted)
        window.show()
    else:
        from app.assist.pause import favour_the_gui_thread
        from ui.app import return_large_blocks

        qapp.setStyle("Fusion")  # as ui.app.run does, with the two settings below
        favour_the_gui_thread()
        return_large_blocks()
        settings = UserSettings(Path(tempfile.mkdtemp()) / "settings.json")
        settings.annotator = "bench"
        chosen = os.environ.get("PARALLAX_PROBE_DOCUMENTS")
        if chosen:  # a view saved on these documents
            panes = [{"document": int(d)} for d in chosen.split(",")]
            settings.set_view_state(Path(sys.argv[-1]).absolute(), {"pane_count": len(panes), "panes": panes})
        controller = AppController(settings)  # owns the window, as in ui.app.run
        keep = controller._keep

        def watched_keep(widget: QWidget) -> None:  # the window is shown in _keep: watch it from just before
            widget.installEventFilter(painted)
            keep(widget)

        controller._keep = watched_keep  # type: ignore[method-assign]
        opened = controller.open(Path(sys.argv[-1]))
        assert opened is not None
        trace("window built and shown")
    peak = [rss_mb()]

    def sample() -> None:
        peak[0] = max(peak[0], rss_mb())

    sampler = QTimer(interval=100)
    sampler.timeout.connect(sample)
    sampler.start()

    def settled() -> None:  # read while the window (and its workers) still run; quitting closes it
        import multiprocessing  # here, not at the top: the probe's own import is no part of the start

        sample()
        workers = sum(rss_mb(child.pid) for child in multiprocessing.active_children() if child.pid)
        dump = os.environ.get("PARALLAX_TRACEMALLOC")
        if dump:
            import tracemalloc

            tracemalloc.take_snapshot().dump(dump)
        print(f"memory {peak[0]:.1f} {workers:.1f}", flush=True)
        qapp.quit()

    QTimer.singleShot(SETTLE_MS, settled)
    qapp.exec()


if __name__ == "__main__":
    main()
