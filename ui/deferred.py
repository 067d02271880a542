"""Deferred GUI work: coalesced change broadcasts, and work held until the first paint.

Many edits in one event-loop turn refresh once: a view's refresh runs after the
edit's handler has returned, so a hotkey's span is committed and the key handled
before any repainting work starts.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from app.storage.changes import Changes

_FLUSH = QEvent.Type(QEvent.registerEventType())  # a Coalescer's posted call


class Coalescer(QObject):
    """Runs `callback` once with every change added since it last ran, once the adding handler returned.

    The call is a posted event, not a zero timer: Qt posts repaints at low priority,
    so the refresh runs before the paint that shows it, and a key paints once, not
    first the stale view and then the refreshed one.
    """

    def __init__(self, callback: Callable[[Changes], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._callback = callback
        self._pending: Changes | None = None
        self._posted = False

    def add(self, changes: Changes, _initiator: object = None) -> None:
        self._pending = changes if self._pending is None else self._pending | changes
        self.post()

    def post(self) -> None:
        """Have the flush run once the current handler returned (once, however often asked)."""
        if not self._posted:
            self._posted = True
            QCoreApplication.postEvent(self, QEvent(_FLUSH))

    def event(self, event: QEvent) -> bool:
        if event.type() == _FLUSH:
            self._posted = False
            self.flush()
            return True
        return super().event(event)

    def flush(self) -> None:
        """Run the refresh now (also used by tests and before closing)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self._callback(pending)


class AfterFirstPaint(QObject):
    """Run a callback once, on the event-loop turn after a widget is first painted.

    Start-up work that is not needed to draw the first window (background
    workers, recommenders) waits here, so the window appears first.
    """

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False
