"""The read-only text of one article with its spans painted on it.

Speaks code points to the rest of the app; UTF-16 stays inside (ui/offsets.py).
"""

from __future__ import annotations

import time
from bisect import bisect_left, insort
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QKeyEvent, QMouseEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from app.models import Label, Span, SpanRow
from ui.offsets import Utf16Pos
from ui.plain import tooltip
from ui.workspace.highlighter import SpanHighlighter, SpanLayout
from ui.workspace.selection_look import TEXT, apply_selection_look

FLASH_MS = 700


class Mark(NamedTuple):
    """A range painted over the text: code points, with its character format."""

    start: int
    end: int
    format: QTextCharFormat


def span_order(span: SpanRow) -> tuple[int, int]:
    """The order of `ArticleView.spans`: as the store lists them (start, then id)."""
    return span.start, span.id


BACKFILL_BLOCKS = 300  # blocks highlighted per event-loop turn after opening, at most
BACKFILL_SECONDS = 0.005  # and for no longer than this


class ArticleView(QPlainTextEdit):
    span_clicked = Signal(object)  # the clicked SpanRow, or None for plain text
    text_clicked = Signal(int)  # a plain click, at this code-point offset
    key_typed = Signal(str)  # a printable key without modifiers (label hotkeys, link keys)
    step_requested = Signal(int)  # +1 next span, -1 previous (Tab, Shift+Tab)
    delete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = QFont("DejaVu Serif")
        font.setPointSizeF(11.5)
        self.setFont(font)
        self.highlighter = SpanHighlighter(self.document())
        self.text = ""
        self.spans: list[SpanRow] = []  # in span_order
        self._by_id: dict[int, SpanRow] = {}
        self.labels: dict[int, Label] = {}
        self.annotator_names: dict[int, str] = {}
        self.layout_: SpanLayout = SpanLayout("", [])
        self.selected: SpanRow | None = None
        self._flashed: SpanRow | None = None
        self.marks: dict[str, list[Mark]] = {}
        self.selection_color = apply_selection_look(self, ())
        self._pending: set[int] = set()  # blocks whose spans are not painted yet
        self._backfill = QTimer(self)
        self._backfill.setInterval(0)
        self._backfill.timeout.connect(self._on_backfill_timeout)
        self.verticalScrollBar().valueChanged.connect(self._paint_visible)

    # ---- content -------------------------------------------------------
    def show_text(
        self,
        text: str,
        spans: list[SpanRow] | None = None,
        labels: dict[int, Label] | None = None,
        linked: set[int] | None = None,
        annotator_names: dict[int, str] | None = None,
    ) -> None:
        """Show a document: the text at once, then the spans in view, then the rest in the background."""
        self.text = text
        self.selected = self._flashed = None
        self.marks.clear()  # marks are offsets into the previous text
        self.highlighter.layout = None  # nothing to paint while Qt lays the text out
        with self.highlighter.detached():
            self.setPlainText(text)  # plain text: never interpreted as HTML
        self._take_spans(spans or [], labels or {}, linked or set(), annotator_names or {}, repaint=False)
        self._pending = set(self.layout_.by_block)
        self._refresh_extra()
        self._paint_visible()
        if self._pending:
            self._backfill.start()

    def _paint_visible(self) -> None:
        """Highlight the blocks on screen that still wait for their spans."""
        if not self._pending:
            return
        block, offset = self.firstVisibleBlock(), self.contentOffset()
        bottom = self.viewport().height()
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() <= bottom:
            if block.blockNumber() in self._pending:
                self._pending.discard(block.blockNumber())
                self.highlighter.rehighlightBlock(block)
            block = block.next()

    def _on_backfill_timeout(self) -> None:
        document, stop = self.document(), time.perf_counter() + BACKFILL_SECONDS
        for number in sorted(self._pending)[:BACKFILL_BLOCKS]:
            self._pending.discard(number)
            self.highlighter.rehighlightBlock(document.findBlockByNumber(number))
            if time.perf_counter() > stop:  # keep keys and scrolling answered meanwhile
                break
        if not self._pending:
            self._backfill.stop()

    def finish_highlighting(self) -> None:
        """Paint every block now (tests, and before taking a screenshot)."""
        while self._pending:
            self._on_backfill_timeout()

    def set_spans(
        self, spans: list[SpanRow], labels: dict[int, Label], linked: set[int], annotator_names: dict[int, str]
    ) -> None:
        """New spans for the text shown; only the blocks that changed repaint."""
        if labels != self.labels:
            self._take_spans(spans, labels, linked, annotator_names, repaint=True)
            self._pending.clear()
        else:
            self.spans, self.annotator_names = spans, annotator_names
            self._by_id = {s.id: s for s in spans}
            self.highlighter.update_spans(spans, linked)
        self._after_spans_changed()

    def change_spans(self, changed: list[SpanRow], removed: set[int]) -> None:
        """A few spans added, changed (`changed`) or gone (`removed` ids): only their blocks repaint."""
        by_id = self._by_id
        old = [by_id.pop(i) for i in removed | {s.id for s in changed} if i in by_id]
        for span in old:  # found by bisection: no walk over 10,000 spans
            at = bisect_left(self.spans, span_order(span), key=span_order)
            if at < len(self.spans) and self.spans[at].id == span.id:
                del self.spans[at]
            else:  # given out of order: find it the slow way
                self.spans.remove(span)
        for span in changed:
            insort(self.spans, span, key=span_order)
            by_id[span.id] = span
        self.highlighter.change_spans(old, changed)
        self._after_spans_changed()

    def _take_spans(
        self,
        spans: list[SpanRow],
        labels: dict[int, Label],
        linked: set[int],
        annotator_names: dict[int, str],
        repaint: bool,
    ) -> None:
        self.spans, self.labels, self.annotator_names = spans, labels, annotator_names
        self._by_id = {s.id: s for s in spans}
        self.layout_ = SpanLayout(self.text, spans)
        self.highlighter.dark = self.palette().base().color().lightness() < 128
        self.highlighter.set_spans(self.layout_, labels, linked, repaint=repaint)
        self.selection_color = apply_selection_look(self, (label.color for label in labels.values()))

    def _after_spans_changed(self) -> None:
        if self.selected is not None:
            self.selected = self._by_id.get(self.selected.id)
        self._refresh_extra()

    # ---- offsets -------------------------------------------------------
    def selection_offsets(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        offsets = self.layout_.offsets
        start, end = (
            offsets.from_qt(Utf16Pos(cursor.selectionStart())),
            offsets.from_qt(Utf16Pos(cursor.selectionEnd())),
        )
        return start, end

    def select_text(self, start: int, end: int) -> None:
        """Select text[start:end] (code points), as a user's drag would."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.layout_.offsets.to_qt(start))
        cursor.setPosition(self.layout_.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def span_with_id(self, span_id: int) -> SpanRow | None:
        return self._by_id.get(span_id)

    def spans_at(self, offset: int) -> list[SpanRow]:
        found = [s for s in self.spans if s.start <= offset < s.end]
        return sorted(found, key=lambda s: s.end - s.start)

    def offset_at(self, point: QPoint) -> int:
        return self.layout_.offsets.from_qt(Utf16Pos(self.cursorForPosition(point).position()))

    def span_rect(self, span: SpanRow | Span) -> QRect:
        """Where the span's first character is drawn, in viewport coordinates."""
        return self.offset_rect(span.start)

    def first_visible_offset(self) -> int:
        """The code point at the top left of the view (kept across sessions)."""
        return self.offset_at(QPoint(2, 2))

    def scroll_to_top(self, offset: int) -> None:
        """Scroll so that the line holding `offset` is the first one shown."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.layout_.offsets.to_qt(min(max(offset, 0), len(self.text))))
        block = cursor.block()
        line = block.layout().lineForTextPosition(cursor.positionInBlock()) if block.layout() else None
        within = line.lineNumber() if line is not None and line.isValid() else 0
        self.verticalScrollBar().setValue(block.firstLineNumber() + within)

    def offset_rect(self, offset: int) -> QRect:
        """The cursor rectangle at a code-point offset, in viewport coordinates."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.layout_.offsets.to_qt(offset))
        return self.cursorRect(cursor)

    # ---- selecting spans -----------------------------------------------
    def select_span(self, span: SpanRow | None, scroll: bool = True) -> None:
        self.selected = span
        if span is not None and scroll:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.layout_.offsets.to_qt(span.start))
            self.setTextCursor(cursor)
            self.centerCursor()
        self._refresh_extra()

    def flash(self, span: SpanRow) -> None:
        """Briefly mark a span so the eye finds it after a jump."""
        self._flashed = span
        self._refresh_extra()
        QTimer.singleShot(FLASH_MS, self._end_flash)

    def _end_flash(self) -> None:
        self._flashed = None
        self._refresh_extra()

    def set_marks(self, layer: str, marks: list[Mark]) -> None:
        """Paint ranges above the spans (compare mode's passages and word changes)."""
        self.marks[layer] = marks
        self._refresh_extra()

    def _extra(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        extra = QTextEdit.ExtraSelection()
        extra.cursor = QTextCursor(self.document())
        extra.cursor.setPosition(self.layout_.offsets.to_qt(start))
        extra.cursor.setPosition(self.layout_.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        extra.format = fmt
        return extra

    def _refresh_extra(self) -> None:
        extras = [self._extra(m.start, m.end, m.format) for layer in self.marks.values() for m in layer]
        flash = QColor("#FFD700")
        flash.setAlpha(120)
        for span, color in ((self.selected, self.selection_color), (self._flashed, flash)):
            if span is None:
                continue
            fmt = QTextCharFormat()
            fmt.setBackground(color)  # the selection is opaque: it never reads as a label's tint
            if span is self.selected:
                fmt.setForeground(TEXT)
            extras.append(self._extra(span.start, span.end, fmt))
        self.setExtraSelections(extras)

    # ---- input ---------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            offset = self.offset_at(event.position().toPoint())
            under = self.spans_at(offset)
            self.select_span(under[0] if under else None, scroll=False)
            self.span_clicked.emit(self.selected)
            self.text_clicked.emit(offset)

    def event(self, event: QEvent) -> bool:
        tab = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in tab:
            self.step_requested.emit(-1 if event.key() == Qt.Key.Key_Backtab else 1)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and plain:
            self.delete_requested.emit()
            return
        if plain and event.text() and event.text().isprintable() and not event.text().isspace():
            self.key_typed.emit(event.text())
            return
        super().keyPressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            under = self.spans_at(self.offset_at(event.pos()))
            if under:
                QToolTip.showText(event.globalPos(), self.tooltip_for(under), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def tooltip_for(self, spans: list[SpanRow]) -> str:
        """Label, annotator and note of each span; escaped, so imported text stays plain."""
        lines = []
        for span in spans:
            label = self.labels.get(span.label_id)
            who = self.annotator_names.get(span.annotator_id, "?")
            line = f"{label.name if label else '?'} · {who}"
            if span.note:
                line += f"\n{span.note}"
            lines.append(line)
        return tooltip("\n\n".join(lines))
