"""An opened article is painted visible blocks first: the spans of the first screen are
read and highlighted before anything else, the rest of the spans are read on the
event-loop turn after the view is painted (a new window paints after pending timers
run: read on the next turn, they held its first paint back ~50 ms on 10,000 spans),
and the off-screen blocks are highlighted a few milliseconds per turn.

Nothing shown is ever wrong meanwhile: the first screen's spans are every span that
starts before its last block ends, so those blocks are complete; scrolling, or anyone
asking for the spans, reads the rest at once before going on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QSyntaxHighlighter
from PySide6.QtWidgets import QPlainTextEdit

from app.models import SpanRow
from ui.workspace.highlighter import on_screen, rehighlight_quietly

BACKFILL_BLOCKS = 300  # blocks highlighted per event-loop turn after opening, at most
BACKFILL_SECONDS = 0.005  # and for no longer than this
BACKFILL_STEP = 20  # blocks highlighted between two looks at the clock
UNPAINTED_READ_MS = 1000  # a view not painted by then (hidden, or not shown yet) reads the rest anyway


class SpanSource(Protocol):
    """Where a view reads a document's spans: those starting before an offset, or all."""

    def before(self, end: int) -> list[SpanRow]: ...

    def all(self) -> list[SpanRow]: ...


class ReadSpans:
    """A `SpanSource` reading through `read(before)` (None: every span)."""

    def __init__(self, read: Callable[[int | None], list[SpanRow]]) -> None:
        self.read = read

    def before(self, end: int) -> list[SpanRow]:
        return self.read(end)

    def all(self) -> list[SpanRow]:
        return self.read(None)


class VisibleFirst(QObject):
    def __init__(self, view: QPlainTextEdit, highlighter: QSyntaxHighlighter) -> None:
        super().__init__(view)
        self.view, self.highlighter = view, highlighter
        self.pending: set[int] = set()  # blocks whose spans are not painted yet
        self.painted: set[int] = set()  # blocks painted since the text was shown
        self.rest: Callable[[], None] | None = None  # reads the spans not read yet
        self._backfill = QTimer(self, interval=0)
        self._backfill.timeout.connect(self._on_backfill_timeout)
        self._reading = QTimer(self, interval=UNPAINTED_READ_MS, singleShot=True)
        self._reading.timeout.connect(self._on_reading_timeout)
        self._awaiting_paint = False  # the viewport is watched for the paint after which the rest is read
        view.verticalScrollBar().valueChanged.connect(self.paint_visible)

    def start(self, blocks: set[int], rest: Callable[[], None] | None = None) -> None:
        """Text and (some) spans are in place: paint what is on screen, schedule the rest."""
        self.pending, self.painted, self.rest = set(blocks), set(), rest
        self.paint_visible()
        if rest is not None:
            self._reading.start(UNPAINTED_READ_MS)
            self._watch_paint(True)
        elif self.pending:
            self._backfill.start()

    def _watch_paint(self, on: bool) -> None:
        if on != self._awaiting_paint:
            self._awaiting_paint = on
            viewport = self.view.viewport()
            viewport.installEventFilter(self) if on else viewport.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._awaiting_paint:
            self._watch_paint(False)
            self._reading.start(0)  # the turn after this paint
        return False

    def _on_reading_timeout(self) -> None:
        if self._awaiting_paint and self.view.isVisible():  # shown: its paint is on its way, wait for it
            self._reading.start(UNPAINTED_READ_MS)
        else:
            self.read_rest()

    def read_rest(self) -> None:
        self._watch_paint(False)
        if self.rest is not None:
            rest, self.rest = self.rest, None
            self._reading.stop()
            rest()  # calls `more` with the blocks of the whole layout

    def more(self, blocks: set[int]) -> None:
        """All spans are read: every block not painted yet waits for the background pass."""
        self.pending = set(blocks) - self.painted
        if self.pending:
            self._backfill.start()

    def screen_end(self) -> int:
        """The UTF-16 position where the last block on screen ends."""
        view = self.view
        block, offset, bottom = view.firstVisibleBlock(), view.contentOffset(), view.viewport().height()
        last = block
        while block.isValid() and view.blockBoundingGeometry(block).translated(offset).top() <= bottom:
            last, block = block, block.next()
        return last.position() + last.length() if last.isValid() else 0

    def paint_visible(self) -> None:
        """Highlight the blocks on screen that still wait for their spans."""
        if self.rest is not None and self.view.verticalScrollBar().value() > 0:
            self.read_rest()  # scrolled past the first screen: its spans are not enough
        if not self.pending:
            return
        self._paint(list(on_screen(self.view)))

    def _paint(self, numbers: list[int]) -> None:
        self.painted.update(numbers)
        waiting = [n for n in numbers if n in self.pending]
        self.pending.difference_update(waiting)
        rehighlight_quietly(self.view, self.highlighter, waiting)  # repaints only what is on screen

    def _on_backfill_timeout(self) -> None:
        stop = time.perf_counter() + BACKFILL_SECONDS
        chosen = sorted(self.pending)[:BACKFILL_BLOCKS]
        for at in range(0, len(chosen), BACKFILL_STEP):
            self._paint(chosen[at : at + BACKFILL_STEP])
            if time.perf_counter() > stop:  # keep keys and scrolling answered meanwhile
                break
        if not self.pending:
            self._backfill.stop()

    def finish(self) -> None:
        """Read and paint everything now (tests, and before taking a screenshot)."""
        self.read_rest()
        while self.pending:
            self._on_backfill_timeout()

    def cancel(self) -> None:
        """New spans replace the ones being read (and painted): nothing left to do."""
        self.rest = None
        self._reading.stop()
        self._watch_paint(False)
        self.pending.clear()
        self._backfill.stop()
