"""Repaint only what a change of formats redrew: the lines it touched, not the whole view.

Left to itself, QPlainTextEdit's layout repaints the whole viewport (and the proposal
overlay above it) after every block highlighted again, even one far off screen. Only the
formats change here (tints, underlines): what can move is the glyphs next to a new format
boundary (shaping stops at one, so a kerning pair across it is lost or regained), and
through their widths, rarely, where the block's lines break. So the lines holding the
changed characters and their neighbours repaint, and any line that broke elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import cast

from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QPaintEvent, QSyntaxHighlighter, QTextBlock
from PySide6.QtWidgets import QPlainTextEdit

Units = tuple[int, int]  # UTF-16 positions [start, end) in the document
BAND_GAP = 24  # px: rectangles of a repainted region closer than this (about a line) are painted as one


def rehighlight_quietly(
    view: QPlainTextEdit,
    highlighter: QSyntaxHighlighter,
    numbers: Iterable[int],
    changed: Sequence[Units] | None = None,
) -> None:
    """Highlight these blocks again, repainting only their lines on screen that hold `changed`
    characters (or broke anew); all of each block's part on screen if `changed` is None."""
    document = view.document()
    blocks = [document.findBlockByNumber(n) for n in sorted(numbers)]
    if not blocks:
        return
    layout = document.documentLayout()
    size = layout.documentSize()
    before = [line_breaks(block) for block in blocks] if changed is not None else []
    blocked = layout.blockSignals(True)  # its update(everything) is what is left out
    try:
        for block in blocks:
            highlighter.rehighlightBlock(block)
    finally:
        layout.blockSignals(blocked)
    if layout.documentSize() != size:  # blocks laid out for the first time hold more lines than assumed
        layout.documentSizeChanged.emit(layout.documentSize())  # the scroll bar must hear
    viewport = view.viewport()
    for index, block in enumerate(blocks):
        rect = shown_rect(view, block)
        if rect is None:
            continue
        if changed is None:
            viewport.update(rect)
            continue
        for band in changed_lines(view, block, before[index], changed):
            viewport.update(band)


def line_breaks(block: QTextBlock) -> list[Units]:
    """Where each laid-out line of the block starts and how long it is (none if not laid out)."""
    layout = block.layout()
    if layout is None:
        return []
    return [(line.textStart(), line.textLength()) for line in map(layout.lineAt, range(layout.lineCount()))]


def changed_lines(
    view: QPlainTextEdit, block: QTextBlock, before: list[Units], changed: Sequence[Units]
) -> list[QRect]:
    """The bands (viewport coordinates, full width) of the block's lines to repaint."""
    layout, width = block.layout(), view.viewport().width()
    after = line_breaks(block)
    top = view.blockBoundingGeometry(block).translated(view.contentOffset()).top()
    if len(after) != len(before):  # the block grew or shrank: everything below it moved
        return [QRect(0, int(top), width, view.viewport().height())]
    position = block.position()
    # A character's neighbours count: a kerning pair across a new boundary changes both glyphs' places.
    near = [(start - position - 1, end - position + 1) for start, end in changed]
    bands = []
    for index, (start, length) in enumerate(after):
        moved = before[index] != (start, length)
        if moved or any(start < high and start + length > low for low, high in near):
            line = layout.lineAt(index)
            bands.append(QRectF(0, top + line.y(), width, line.height()).toAlignedRect())
    return bands


def shown_rect(view: QPlainTextEdit, block: QTextBlock) -> QRect | None:
    """The block's rectangle in viewport coordinates (full width), None if it is not on screen.
    One block's geometry, not every block's on screen (each measured from the first one shown)."""
    rect = _full_width(view, block, view.contentOffset())
    if rect.bottom() < 0 or rect.top() > view.viewport().height() or not block.isVisible():
        return None
    return rect


def on_screen(view: QPlainTextEdit) -> dict[int, QRect]:
    """The blocks on screen, by number, with their rectangles in viewport coordinates."""
    found: dict[int, QRect] = {}
    block, offset, bottom = view.firstVisibleBlock(), view.contentOffset(), view.viewport().height()
    while block.isValid():
        rect = _full_width(view, block, offset)
        if rect.top() > bottom:
            break
        found[block.blockNumber()] = rect
        block = block.next()
    return found


def _full_width(view: QPlainTextEdit, block: QTextBlock, offset: QPointF) -> QRect:
    """The block's rectangle in viewport coordinates (`offset`: the view's content offset), full width."""
    rect = view.blockBoundingGeometry(block).translated(offset).toAlignedRect()
    return QRect(0, rect.top(), view.viewport().width(), rect.height())


def paint_in_bands(event: QPaintEvent, paint: Callable[[QPaintEvent], None]) -> None:
    """Paint a region's rectangles in bands down the view, each band on its own.

    QPlainTextEdit draws every line meeting the bounding rectangle of what is repainted (only
    the region's pixels change): a hotkey's span at the top of the screen and the proposals
    it added at the bottom drew every line between. The bands never overlap, so no pixel is
    drawn twice (an antialiased edge drawn twice would come out darker)."""
    rects = sorted(cast(Iterable[QRect], event.region()), key=QRect.top)  # iterable at run time
    if len(rects) < 2:
        paint(event)
        return
    bands: list[QRect] = []
    for rect in rects:
        if bands and rect.top() <= bands[-1].bottom() + BAND_GAP:
            bands[-1] = bands[-1].united(rect)
        else:
            bands.append(rect)
    if len(bands) == 1:
        paint(event)
        return
    for band in bands:
        paint(QPaintEvent(band))
