"""Compare mode: aligned passages in adjacent panes are tinted and joined by
bands; clicking one scrolls the other panes to its match and marks, inside
the pair, the words that were removed, added or changed.

The alignment itself is computed in app/reconcile/align.py; this module only paints it.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor

from app.storage.project import Project
from ui.workspace.article_pane import ArticlePane
from ui.workspace.article_view import Mark
from ui.workspace.compare_view import PaneArea

if TYPE_CHECKING:  # the aligner (rapidfuzz and all) loads when compare mode first runs, not at start
    from app.reconcile.align import Alignment

PASSAGE_COLORS = {"verbatim": "#8fbc8f", "near-copy": "#87a8d0", "paraphrase": "#c8b26a"}
REMOVED, ADDED, CHANGED = "#e06c5a", "#4caf50", "#e0a030"


def _tint(color: str, alpha: int) -> QTextCharFormat:
    fmt = QTextCharFormat()
    tint = QColor(color)
    tint.setAlpha(alpha)
    fmt.setBackground(tint)
    return fmt


def _word(color: str, strike: bool = False) -> QTextCharFormat:
    fmt = _tint(color, 110)
    fmt.setFontStrikeOut(strike)
    return fmt


class Band:
    """One aligned passage pair as drawn between two adjacent panes."""

    def __init__(
        self,
        left: ArticlePane,
        right: ArticlePane,
        left_range: tuple[int, int],
        right_range: tuple[int, int],
        alignment: Alignment,
    ) -> None:
        self.left, self.right = left, right
        self.left_range, self.right_range = left_range, right_range
        self.alignment = alignment
        self.color = PASSAGE_COLORS.get(alignment.kind, "#999999")


def oriented(alignment: Alignment, doc: int) -> tuple[tuple[int, int], tuple[int, int], int]:
    """(range in `doc`, range in the other document, the other document)."""
    if alignment.doc_a == doc:
        return (alignment.start_a, alignment.end_a), (alignment.start_b, alignment.end_b), alignment.doc_b
    return (alignment.start_b, alignment.end_b), (alignment.start_a, alignment.end_a), alignment.doc_a


class CompareMode(QObject):
    """Aligned passages of neighbouring panes, tinted and joined; says what it shows through `message`."""

    message = Signal(str)

    def __init__(self, project: Project, area: PaneArea, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.area = area
        self.enabled = False
        self.current: Alignment | None = None
        self._cache: dict[tuple[int, int], list[Alignment]] = {}

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        self.current = None
        self.refresh()

    def forget(self) -> None:
        """Drop cached alignments (documents were added or removed)."""
        self._cache.clear()
        self.current = None
        if self.enabled:
            self.refresh()

    def alignments(self, a: int, b: int) -> list[Alignment]:
        """The aligned passages of two documents (texts never change: cached)."""
        key = (min(a, b), max(a, b))
        if key not in self._cache:
            project = self.project
            from app.reconcile.align import align_texts

            self._cache[key] = align_texts({key[0]: project.text(key[0]), key[1]: project.text(key[1])})
        return self._cache[key]

    def refresh(self) -> None:
        panes = [p for p in self.area.visible_panes() if p.document_id is not None]
        marks: dict[int, list[Mark]] = {p.index: [] for p in self.area.panes}
        bands: list[Band] = []
        if self.enabled:
            for left, right in pairwise(panes):
                for alignment in self.alignments(left.document_id or 0, right.document_id or 0):
                    here, there, _ = oriented(alignment, left.document_id or 0)
                    fmt = _tint(PASSAGE_COLORS.get(alignment.kind, "#999999"), 70)
                    marks[left.index].append(Mark(*here, fmt))
                    marks[right.index].append(Mark(*there, fmt))
                    bands.append(Band(left, right, here, there, alignment))
        for pane in self.area.panes:
            pane.view.set_marks("passages", marks[pane.index])
        self.area.overlay.bands = bands
        if self.enabled:
            self.message.emit(
                f"Compare mode: {len(bands)} aligned passages (green verbatim, blue near-copy, ochre paraphrase)"
                " — click one to see its match and the words that differ"
            )
        self._mark_words()
        self.area.overlay.update()

    def on_text_clicked(self, pane: ArticlePane, offset: int) -> None:
        """Select the aligned passage under the click and bring its matches into view."""
        if not self.enabled or pane.document_id is None:
            return
        doc = pane.document_id
        found = [
            a
            for other in self.area.visible_panes()
            if other is not pane and other.document_id is not None
            for a in self.alignments(doc, other.document_id)
            if oriented(a, doc)[0][0] <= offset < oriented(a, doc)[0][1]
        ]
        self.current = max(found, key=lambda a: a.score) if found else None
        if self.current is not None:
            self.message.emit(f"{self.current.kind} ({self.current.score:.0f}): {self.current.reason}")
            for other in self.area.visible_panes():
                if other is not pane and other.document_id in (self.current.doc_a, self.current.doc_b):
                    self._scroll_to(other, oriented(self.current, other.document_id)[0][0])
        self._mark_words()

    def _scroll_to(self, pane: ArticlePane, offset: int) -> None:
        cursor = QTextCursor(pane.view.document())
        cursor.setPosition(pane.view.layout_.offsets.to_qt(offset))
        pane.view.setTextCursor(cursor)
        pane.view.centerCursor()

    def _mark_words(self) -> None:
        """Inside the selected pair: struck-out removed words, green added, amber changed."""
        for pane in self.area.panes:
            pane.view.set_marks("words", [])
        current = self.current
        if current is None or not self.enabled:
            return
        panes = {p.document_id: p for p in self.area.visible_panes()}
        if current.doc_a not in panes or current.doc_b not in panes:
            return
        text = self.project.text
        from app.text.worddiff import diff_words  # rapidfuzz: loaded on first use

        ops = diff_words(
            text(current.doc_a)[current.start_a : current.end_a],
            text(current.doc_b)[current.start_b : current.end_b],
            base_a=current.start_a,
            base_b=current.start_b,
        )
        left: list[Mark] = []
        right: list[Mark] = []
        for op in ops:
            if op.op in ("delete", "replace") and op.a_end > op.a_start:
                left.append(
                    Mark(
                        op.a_start, op.a_end, _word(REMOVED if op.op == "delete" else CHANGED, strike=op.op == "delete")
                    )
                )
            if op.op in ("insert", "replace") and op.b_end > op.b_start:
                right.append(Mark(op.b_start, op.b_end, _word(ADDED if op.op == "insert" else CHANGED)))
        panes[current.doc_a].view.set_marks("words", left)
        panes[current.doc_b].view.set_marks("words", right)
