"""The workspace's coalesced refresh, plus the steps an edit leaves for after its key returned.

A hotkey's handler does only what makes the span durable (the transaction and its undo
command); showing the new span picked and saying so in the status bar are steps queued
here and run in the same posted call as the refresh, after it. Input that arrives
before that call (keys typed faster than the event loop runs, Ctrl+Z right after the
key, a click) first runs the queued steps, so it finds the state the steps leave, as if
they had run inside the handler.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject

from app.storage.changes import Changes
from ui.deferred import Coalescer

# Input that may act on what the steps set (the picked span, the selection). A key's
# release is not among them: QTest.keyClick and the OS send it right after its press,
# and nothing acts on it.
ACTING = frozenset(
    {
        QEvent.Type.ShortcutOverride,
        QEvent.Type.KeyPress,
        QEvent.Type.Shortcut,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.ContextMenu,
        QEvent.Type.InputMethod,
    }
)


class AfterEdit(Coalescer):
    """A `Coalescer` whose flush then runs the steps `later` queued, in order."""

    def __init__(self, callback: Callable[[Changes], None], parent: QObject | None = None) -> None:
        super().__init__(callback, parent)
        self._steps: list[Callable[[], None]] = []
        self._watching = False

    def later(self, step: Callable[[], None]) -> None:
        """Run `step` once the handler returned (with the refresh), or before the next input."""
        self._steps.append(step)
        if not self._watching:  # watched only while steps wait: no Python call per event otherwise
            self._watching = True
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)
        self.post()

    def run_steps(self) -> None:
        """Run the queued steps now (before input that depends on them)."""
        if self._watching:
            self._watching = False
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        while self._steps:
            self._steps.pop(0)()

    def flush(self) -> None:
        # The refresh first: the steps then pick the view's own copy of a new span, in lines
        # already re-highlighted, so the pick lays out no line the refresh lays out again.
        super().flush()
        self.run_steps()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTING:
            self.run_steps()
        return False
