"""The read-only text of one article with its spans painted on it.

Speaks code points to the rest of the app; UTF-16 stays inside (ui/offsets.py).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from functools import partial
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from app.assist.pause import GATE, Hold
from app.models import Label, Span, SpanRow
from ui.offsets import Utf16Pos
from ui.plain import tooltip
from ui.workspace.highlighter import SpanHighlighter, SpanLayout
from ui.workspace.repaint import paint_in_bands, rehighlight_quietly
from ui.workspace.selection_look import FLASH, apply_selection_look, picked_format
from ui.workspace.visible_first import SpanSource, VisibleFirst

FLASH_MS = 700
KEY_HOLD_SECONDS = 0.1  # background work waits at most this long for a key's paint
CARET_WIDTH = 1  # px, Qt's own default


class Mark(NamedTuple):
    """A range painted over the text: code points, with its character format."""

    start: int
    end: int
    format: QTextCharFormat


def span_order(span: SpanRow) -> tuple[int, int]:
    """The order of `ArticleView.spans`: as the store lists them (start, then id)."""
    return span.start, span.id


def span_tooltip(spans: list[SpanRow], labels: dict[int, Label], names: dict[int, str]) -> str:
    """Label, annotator and note of each span; escaped, so imported text stays plain."""
    lines = []
    for span in spans:
        label = labels.get(span.label_id)
        line = f"{label.name if label else '?'} · {names.get(span.annotator_id, '?')}"
        if span.note:
            line += f"\n{span.note}"
        lines.append(line)
    return tooltip("\n\n".join(lines))


def same_marks(shown: tuple[object, ...], before: tuple[object, ...]) -> bool:
    """The same layers of marks (the very lists: kept, so no other can take a list's place) and spans."""
    return len(shown) == len(before) and all(
        a is b if isinstance(a, list) else a == b for a, b in zip(shown, before, strict=True)
    )


def shown_code_points(view: ArticleView) -> tuple[int, int]:
    """The code points of the blocks on screen."""
    first, offsets = view.firstVisibleBlock(), view.layout_.offsets
    low = first.position() if first.isValid() else 0
    high = min(view.painter.screen_end(), offsets.utf16_length)  # (a block's end counts its separator)
    return offsets.from_qt(Utf16Pos(low)), offsets.from_qt(Utf16Pos(high))


class ArticleView(QPlainTextEdit):
    span_clicked = Signal(object)  # the clicked SpanRow, or None for plain text
    text_clicked = Signal(int)  # a plain click, at this code-point offset
    key_typed = Signal(str)  # a printable key without modifiers (label hotkeys, link keys)
    step_requested = Signal(int)  # +1 next span, -1 previous (Tab, Shift+Tab)
    delete_requested = Signal()
    first_painted = Signal()  # a text just shown was painted for the first time

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
        self._spans: list[SpanRow] = []  # in span_order
        self.labels: dict[int, Label] = {}
        self.annotator_names: dict[int, str] = {}
        self.layout_: SpanLayout = SpanLayout("", [])
        self.selected: SpanRow | None = None
        self.anchored: SpanRow | None = None  # a link's first span, shown picked beside `selected`
        self._flashed: SpanRow | None = None
        self._caret_for: SpanRow | None = None  # the pick the caret's width was last set for
        self._extras_shown: tuple[object, ...] | None = None  # what the extra selections were last set from
        self.marks: dict[str, list[Mark]] = {}
        self.selection_color = apply_selection_look(self, ())
        self.painter = VisibleFirst(self, self.highlighter)
        self.verticalScrollBar().valueChanged.connect(lambda _line: self._refresh_extra())  # picks come into view
        self.opening: Hold | None = None  # background work waits from show_text to the first paint
        self._keyed: Hold | None = None  # and from a key to the paint answering it

    @property
    def spans(self) -> list[SpanRow]:
        """Every span shown, in span_order (read in full first if the view opened with the first screen's)."""
        self.painter.read_rest()
        return self._spans

    # ---- content -------------------------------------------------------
    def show_text(
        self,
        text: str,
        spans: list[SpanRow] | SpanSource | None = None,
        labels: dict[int, Label] | None = None,
        linked: set[int] | None = None,
        annotator_names: dict[int, str] | None = None,
    ) -> None:
        """Show a document: the text at once, then the spans in view, then the rest in the background.

        Given a `SpanSource`, only the first screen's spans are read before the first paint.
        Background builds (app.assist.pause) wait meanwhile: they would slow it several times.
        """
        if self.opening is not None:
            self.opening.release()
        self.opening = GATE.hold() if text else None
        self.text = text
        self.selected = self._flashed = self.anchored = None
        self.marks.clear()  # marks are offsets into the previous text
        self._extras_shown = None  # (and the extra selections' cursors moved with it)
        self.painter.cancel()
        self.highlighter.layout = None  # nothing to paint while Qt lays the text out
        with self.highlighter.detached():
            self.setPlainText(text)  # plain text: never interpreted as HTML
        labels, linked, names = labels or {}, linked or set(), annotator_names or {}
        rest = None
        if spans is not None and not isinstance(spans, list):
            # A UTF-16 position is never less than the code point it stands for: a bound that is safe.
            source, spans = spans, spans.before(self.painter.screen_end())
            rest = partial(self._read_rest, source, labels, linked, names)
        self._take_spans(spans or [], labels, linked, names, repaint=False)
        self._refresh_extra()
        self.painter.start(set(self.layout_.by_block), rest)

    def _read_rest(self, source: SpanSource, labels: dict[int, Label], linked: set[int], names: dict[int, str]) -> None:
        self._take_spans(source.all(), labels, linked, names, repaint=False)
        self.painter.more(set(self.layout_.by_block))
        self._after_spans_changed()

    def finish_highlighting(self) -> None:
        """Paint every block now (tests, and before taking a screenshot)."""
        self.painter.finish()

    def set_spans(
        self, spans: list[SpanRow], labels: dict[int, Label], linked: set[int], annotator_names: dict[int, str]
    ) -> None:
        """New spans for the text shown; only the blocks that changed repaint."""
        self.painter.read_rest()
        if labels != self.labels:
            self._take_spans(spans, labels, linked, annotator_names, repaint=True)
            self.painter.cancel()
        else:
            self._spans, self.annotator_names = spans, annotator_names
            rehighlight_quietly(self, self.highlighter, *self.highlighter.update_spans(spans, linked))
        self._after_spans_changed()

    def change_spans(self, changed: list[SpanRow], removed: set[int]) -> None:
        """A few spans added, changed (`changed`) or gone (`removed` ids): only their blocks repaint."""
        self.painter.read_rest()  # spans not read yet first (read now, they hold this edit already)
        by_id = self.layout_.by_id  # the layout keeps it, in `change_spans` below
        old = [by_id[i] for i in removed | {s.id for s in changed} if i in by_id]
        for span in old:  # found by bisection: no walk over 10,000 spans
            at = bisect_left(self.spans, span_order(span), key=span_order)
            if at < len(self.spans) and self.spans[at].id == span.id:
                del self.spans[at]
            else:  # given out of order: find it the slow way
                self.spans.remove(span)
        for span in changed:
            insort(self.spans, span, key=span_order)
        rehighlight_quietly(self, self.highlighter, *self.highlighter.change_spans(old, changed))
        self._after_spans_changed()

    def _take_spans(
        self,
        spans: list[SpanRow],
        labels: dict[int, Label],
        linked: set[int],
        annotator_names: dict[int, str],
        repaint: bool,
    ) -> None:
        self._spans, self.labels, self.annotator_names = spans, labels, annotator_names
        self.layout_ = SpanLayout(self.text, spans)
        self.highlighter.dark = self.palette().base().color().lightness() < 128
        self.highlighter.set_spans(self.layout_, labels, linked, repaint=repaint)
        self.selection_color = apply_selection_look(self, (label.color for label in labels.values()))

    def _after_spans_changed(self) -> None:
        held = (self.selected, self.anchored)
        self.selected, self.anchored = (self.layout_.by_id.get(span.id) if span else None for span in held)
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
        return self.layout_.by_id.get(span_id)

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
    def set_anchored(self, span: SpanRow | None) -> None:
        if span is not self.anchored:  # a hotkey's path: no refresh for panes it leaves alone
            self.anchored = span
            self._refresh_extra()

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
        if self.selected is not self._caret_for:  # picked: no caret in it, as none over a text tool's selection
            self._caret_for = self.selected
            width = 0 if self.selected else CARET_WIDTH
            if self.cursorWidth() != width:  # (setting it repaints the caret's place)
                self.setCursorWidth(width)
        picked = self.selection_color
        # Picked spans on screen only: Qt lays out the paragraph of every extra selection set or
        # taken away, and laying out one above the screen anew moved the text (a full repaint).
        held = [(s, c) for s, c in ((self.anchored, picked), (self.selected, picked), (self._flashed, FLASH)) if s]
        low, high = shown_code_points(self) if held else (0, 0)
        held = [(s, c) for s, c in held if s.end >= low and s.start <= high]
        shown = (*self.marks.values(), *((s.start, s.end, c.rgba()) for s, c in held))
        if self._extras_shown is not None and same_marks(shown, self._extras_shown):
            return  # a hotkey asks three times, for one change
        self._extras_shown = shown
        extras = [self._extra(m.start, m.end, m.format) for layer in self.marks.values() for m in layer]
        extras += [self._extra(s.start, s.end, picked_format(color, color is picked)) for s, color in held]
        self.setExtraSelections(extras)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.painter.resized()  # blocks come into view without a scroll: highlight them

    def paintEvent(self, event: QPaintEvent) -> None:
        paint_in_bands(event, super().paintEvent)
        if self._keyed is not None:
            self._keyed.release()
            self._keyed = None
        if self.opening is not None:
            self.opening.release()
            self.opening = None
            self.first_painted.emit()

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
        if self._keyed is None or not self._keyed.active:  # a key that paints nothing holds briefly
            self._keyed = GATE.hold(seconds=KEY_HOLD_SECONDS)
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and plain:
            self.delete_requested.emit()
            return
        if plain and event.text() and event.text().isprintable() and not event.text().isspace():
            self.key_typed.emit(event.text())
            return
        self.setCursorWidth(CARET_WIDTH)  # a key moving the caret shows it, a span picked or not
        super().keyPressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            under = self.spans_at(self.offset_at(event.pos()))
            if under:
                QToolTip.showText(event.globalPos(), span_tooltip(under, self.labels, self.annotator_names), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
