"""Edits on the selected span: relabel, delete, link it to the span picked before.

Mixed into `Workspace` (which provides the state declared here); each edit is
one undoable operation run through `_run`.
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

    def delete_selected_span(self) -> None:
        span = self.selected_span()
        if span is None:
            return
        self._run(f"Delete span “{span.quote[:30]}”", lambda: self.project.delete_spans([span.id]))
        self.current = self.anchor = None  # no pair left half-picked (it stayed marked, and linked next)

    def relabel_selected(self, label_id: int) -> SpanRow | None:
        """Give the selected span another label (undoable)."""
        span, label = self.selected_span(), self.labels.get(label_id)
        if span is None or label is None or self.current is None:
            self._say("Click a span first, then press a label's key to change its label.")
            return None
        if span.label_id == label_id:
            self._say(f"“{span.quote[:40]}” is already {label.name}.")
            return span
        old = self.labels.get(span.label_id)
        changed = self._run(
            f"Relabel “{span.quote[:30]}” as {label.name}",
            lambda: self.project.update_span(span.id, label_id=label_id),
        )
        if changed is None:
            return None
        self._say(f"“{span.quote[:40]}”: {old.name if old else '?'} → {label.name} (Ctrl+Z undoes)")
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
            self._say(f"Linked “{source.quote[:30]}” {kind.value} “{target.quote[:30]}”")
            self.anchor = None
