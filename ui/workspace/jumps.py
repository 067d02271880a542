"""Bringing things into view across panes (links, passages, search hits) and the
panes' saved state: the part of the workspace that moves, not edits.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QTextCharFormat

from app.storage.project import Project
from app.text.find import word_hits
from ui.workspace.article_pane import ArticlePane
from ui.workspace.article_view import Mark
from ui.workspace.compare_view import PaneArea
from ui.workspace.find_bar import find_format


def passage_format(strong: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    color = QColor("#FFB000")
    color.setAlpha(150 if strong else 50)
    fmt.setBackground(color)
    if strong:
        fmt.setFontUnderline(True)
    return fmt


class PaneJumps:
    """Mixed into `Workspace`, which provides these."""

    project: Project
    area: PaneArea

    def open_document(self, doc_id: int, pane_index: int | None = None) -> None:
        raise NotImplementedError

    def pane_with(self, doc_id: int) -> ArticlePane | None:
        return next((p for p in self.area.visible_panes() if p.document_id == doc_id), None)

    def _set_active(self, pane: ArticlePane, marked: bool | None = None) -> None:
        raise NotImplementedError

    def show_link(self, link_id: int) -> None:
        """Bring both spans of a link into view, in two panes, and flash them."""
        link = self.project.link(link_id)
        spans = [self.project.span(link.source_span_id), self.project.span(link.target_span_id)]
        used: set[int] = set()
        for span in spans:
            pane = self.pane_with(span.document_id)
            if pane is None or pane.index in used:
                free = [p for p in self.area.visible_panes() if p.index not in used]
                pane = next((p for p in free if p.document_id is None), free[-1 if used else 0])
                self.open_document(span.document_id, pane.index)
            used.add(pane.index)
            shown = next((s for s in pane.view.spans if s.id == span.id), None)
            if shown is not None:  # None: another annotator's span, hidden
                pane.view.select_span(shown)
                pane.view.flash(shown)
        self.area.overlay.update()

    def show_passages(
        self,
        first: tuple[int, int, int],
        second: tuple[int, int, int],
        details: list[tuple[int, int, int]] | None = None,
    ) -> None:
        """Show two passages ((document, start, end)) side by side, marked, with their
        differing words (`details`) marked more strongly."""
        used: list[ArticlePane] = []
        for doc, start, end in (first, second):
            pane = next((p for p in self.area.visible_panes() if p.document_id == doc and p not in used), None)
            if pane is None:
                pane = next(p for p in self.area.visible_panes() if p not in used)
                self.open_document(doc, pane.index)
            used.append(pane)
            strong = [Mark(s, e, passage_format(True)) for d, s, e in details or [] if d == doc]
            pane.view.set_marks("suggestion", [Mark(start, end, passage_format(False)), *strong])
            pane.view.select_text(start, start)
            pane.view.centerCursor()
        self.area.overlay.update()

    def show_match(self, pane: ArticlePane, query: str) -> int:
        """Mark every hit of a corpus search in a pane and bring the first to its middle."""
        hits = word_hits(pane.view.text, query)
        look = find_format(False, [label.color for label in pane.view.labels.values()])
        pane.view.set_marks("search", [Mark(start, end, look) for start, end in hits])
        if hits:
            pane.view.select_text(hits[0][0], hits[0][0])
            pane.view.centerCursor()
        return len(hits)

    def clear_passages(self) -> None:
        for pane in self.area.panes:
            pane.view.set_marks("suggestion", [])

    # ---- view state --------------------------------------------------
    def view_state(self) -> dict[str, Any]:
        return {
            "pane_count": self.area.pane_count,
            "panes": [
                {"document": p.document_id, "top": p.view.first_visible_offset() if p.document_id is not None else 0}
                for p in self.area.panes
            ],
            "sizes": self.area.splitter.sizes(),
        }

    def restore_view_state(self, state: dict[str, Any]) -> None:
        self.area.set_pane_count(int(state.get("pane_count", 2)))
        if not state.get("panes"):  # first opening: two linked articles side by side, else the first two
            first = self.project.first_linked_pair() or [d.id for d in self.project.document_rows(limit=2)]
            state = {**state, "panes": [{"document": d} for d in first]}
        saved_ids = [p.get("document") for p in state.get("panes", []) if isinstance(p, dict)]
        wanted = [d for d in saved_ids if isinstance(d, int) and not isinstance(d, bool)]
        known = {d.id for d in self.project.document_rows(wanted)}  # those still there: not every id read
        for pane, saved in zip(self.area.panes, state.get("panes", []), strict=False):
            if isinstance(saved, dict) and saved.get("document") in known:
                self.open_document(int(saved["document"]), pane.index)
                top = int(saved.get("top", 0))
                # Lines depend on the final pane widths: scroll once the window is laid out.
                # The view is the timer's context: a window dropped before then drops the call too.
                QTimer.singleShot(0, pane.view, lambda view=pane.view, at=top: view.scroll_to_top(at))
        if isinstance(state.get("sizes"), list):
            self.area.splitter.setSizes([int(x) for x in state["sizes"]])
        self._set_active(self.area.panes[0], marked=False)  # marked once the user picks a pane
