"""An opened article is painted visible blocks first: the spans of the first screen are
read and highlighted before anything else, the rest of the spans are read on the
event-loop turn after the view is painted (a new window paints after pending timers
run: read on the next turn, they held its first paint back ~50 ms on 10,000 spans).
Off-screen blocks are highlighted only when they come into view (scrolled to, or the
view resized): a highlighted block holds its own text layout and formats in Qt, and
highlighting all ~20,000 blocks of a 1 MB article cost ~27 MB for lines nobody saw.

Nothing shown is ever wrong meanwhile: the first screen's spans are every span that
starts before its last block ends, so those blocks are complete; scrolling, or anyone
asking for the spans, reads the rest at once before going on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QSyntaxHighlighter
from PySide6.QtWidgets import QPlainTextEdit

from app.models import SpanRow
from ui.workspace.repaint import on_screen, rehighlight_quietly

FINISH_STEP = 200  # blocks highlighted per call when everything is asked for at once
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
        self.pending: set[int] = set()  # blocks with spans not painted yet (painted when they come into view)
        self.painted: set[int] = set()  # blocks painted since the text was shown
        self.rest: Callable[[], None] | None = None  # reads the spans not read yet
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
        """All spans are read: every block not painted yet waits until it comes into view."""
        self.pending = set(blocks) - self.painted
        self.paint_visible()

    def screen_end(self) -> int:
        """The UTF-16 position where the last block on screen ends (the first block's end if none is)."""
        view, shown = self.view, on_screen(self.view)
        last = view.document().findBlockByNumber(max(shown)) if shown else view.firstVisibleBlock()
        return last.position() + last.length() if last.isValid() else 0

    def paint_visible(self) -> None:
        """Highlight the blocks on screen that still wait for their spans (scrolled, resized, read)."""
        if self.rest is not None and self.view.verticalScrollBar().value() > 0:
            self.read_rest()  # scrolled past the first screen: its spans are not enough
        if not self.pending:
            return
        self._paint(list(on_screen(self.view)))

    def resized(self) -> None:
        """More (or other) blocks may be on screen. Before the rest is read they wait for it:
        blocks below the first screen's would be painted without their later spans."""
        if self.rest is None:
            self.paint_visible()

    def _paint(self, numbers: list[int]) -> None:
        self.painted.update(numbers)
        waiting = [n for n in numbers if n in self.pending]
        self.pending.difference_update(waiting)
        rehighlight_quietly(self.view, self.highlighter, waiting)  # repaints only what is on screen

    def finish(self) -> None:
        """Read and paint everything now (tests, and before taking a screenshot)."""
        self.read_rest()
        while self.pending:
            self._paint(sorted(self.pending)[:FINISH_STEP])

    def cancel(self) -> None:
        """New spans replace the ones being read (and painted): nothing left to do."""
        self.rest = None
        self._reading.stop()
        self._watch_paint(False)
        self.pending.clear()
