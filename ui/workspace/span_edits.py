"""Picking spans and the edits on the picked one: relabel, delete, link it to the span picked
before.

Mixed into `Workspace` (which provides the state declared here); each edit is
one undoable operation run through `_run`, and says in the status bar what it did.
"""

from __future__ import annotations

from typing import Any

from app.models import Label, LinkKind, SpanRow, span_row
from app.storage.project import Project
from ui.open_project import OpenProject
from ui.workspace.article_pane import ArticlePane
from ui.workspace.compare_view import PaneArea


class SpanEdits:
    project: Project
    session: OpenProject
    labels: dict[int, Label]
    area: PaneArea
    current: tuple[ArticlePane, SpanRow] | None
    _anchor: tuple[ArticlePane, SpanRow] | None = None

    def _say(self, text: str) -> None:
        raise NotImplementedError

    def _run(self, text: str, operation: Any) -> Any:
        raise NotImplementedError

    @property
    def anchor(self) -> tuple[ArticlePane, SpanRow] | None:
        """The span picked before the current one (in this pane or another): a link's source."""
        return self._anchor

    @anchor.setter
    def anchor(self, held: tuple[ArticlePane, SpanRow] | None) -> None:
        # Marked as picked too: in the current span's own pane it would otherwise look unpicked.
        self._anchor = held
        for pane in self.area.panes:
            pane.view.set_anchored(held[1] if held and held[0] is pane else None)

    def selected_span(self) -> SpanRow | None:
        return self.current[1] if self.current else None

    def _named(self, span: SpanRow, label_id: int | None = None) -> str:
        label = self.labels.get(span.label_id if label_id is None else label_id)
        return f"{label.name if label else '?'} “{span.quote[:40]}”"

    def pick(self, pane: ArticlePane, span: SpanRow | None, link: bool = True) -> None:
        """Make `span` the current span (None: plain text clicked, which ends any link in progress).

        A click (or a new tag) makes the span picked before it a link's source: click one span,
        then another, then press the link key. Stepping (Tab, `link=False`) only moves the pick:
        the source chosen by a click stays, so the target can be stepped to."""
        if span is None:
            self.current = self.anchor = None
            return
        if link and self.current and self.current[1].id != span.id:  # in this pane or another one
            self.anchor = self.current
        elif not link and self.anchor and self.anchor[1].id == span.id:  # stepped onto the source
            self.anchor = None
        self.current = (pane, span)

    def link_hint(self) -> str:
        """What to press to link the two picked spans ("" while there is no pair)."""
        if not (self.anchor and self.current) or self.anchor[1].id == self.current[1].id:
            return ""
        return (
            f"Link “{self.anchor[1].quote[:40]}” → “{self.current[1].quote[:40]}”: press "
            "C contradicts, S supports, A same as, U updates"
        )

    def tagged(self, pane: ArticlePane, span: SpanRow) -> None:
        """A span was just added from the selection: show it picked, and say so (run once the
        key's handler returned, before any further input: `AfterEdit`)."""
        if pane.document_id != span.document_id:  # the pane shows another article by now
            return
        span = pane.view.span_with_id(span.id) or span  # the view's own copy, once it has the span
        # The unsnapped drag gives way to the span's own mark, which shows the saved (snapped)
        # range; another label key now relabels it instead of adding a twin. The caret stays where
        # the drag left it, on screen: moved to the span's end on a line cut at the screen's edge, Qt
        # scrolled by a line (the whole view repainted, 3 -> 11 ms a key).
        cursor = pane.view.textCursor()
        cursor.clearSelection()
        pane.view.setTextCursor(cursor)
        pane.view.select_span(span, scroll=False)
        self.pick(pane, span)
        held = self.anchor
        if held and held[0] is pane and held[1].start <= span.start and span.end <= held[1].end:
            self.anchor = None  # the span around it was picked by the double-click's first click, not chosen
        hint = self.link_hint()
        self._say(f"Tagged {self._named(span)} — Ctrl+Z undoes" + (f". {hint}" if hint else ""))

    def delete_selected_span(self) -> None:
        span = self.selected_span()
        if span is None:
            return
        if self._run(f"Delete span “{span.quote[:30]}”", lambda: self.project.delete_spans([span.id])) is None:
            return
        self.current = self.anchor = None  # no pair left half-picked (it stayed marked, and linked next)
        self._say(f"Deleted {self._named(span)} — Ctrl+Z undoes")

    def relabel_selected(self, label_id: int) -> SpanRow | None:
        """Give the selected span another label (undoable)."""
        span, label = self.selected_span(), self.labels.get(label_id)
        if span is None or label is None or self.current is None:
            self._say("Click a span first, then press a label's key to change its label.")
            return None
        if span.label_id == label_id:
            self._say(f"“{span.quote[:40]}” is already {label.name}.")
            return span
        changed = self._run(
            f"Relabel “{span.quote[:30]}” as {label.name}",
            lambda: self.project.update_span(span.id, label_id=label_id),
        )
        if changed is None:
            return None
        old = self.labels.get(span.label_id)
        self._say(f"Relabelled “{span.quote[:40]}” {old.name if old else '?'} → {label.name} — Ctrl+Z undoes")
        fresh = span_row(changed)
        self.current = (self.current[0], fresh)
        return fresh

    def link_selected(self, kind: LinkKind) -> None:
        if not (self.current and self.anchor):
            self._say("Click one span, then another (in any pane), then choose the link kind.")
            return
        source, target = self.anchor[1], self.current[1]
        link = self._run(
            f"Link as {kind.value}",
            lambda: self.project.add_link(kind, source.id, target.id, self.session.annotator_id),
        )
        if link is not None:
            self._say(f"Linked “{source.quote[:30]}” {kind.value} “{target.quote[:30]}” — Ctrl+Z undoes")
            self.anchor = None
