"""The annotation workspace: panes plus what the user does in them.

Tagging, selecting, linking, deleting and stepping through spans. Every edit
is one `OpenProject.run` call (one transaction, undoable); views refresh when the
session broadcasts what changed.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QInputDialog, QVBoxLayout, QWidget

from app.assist.pause import GATE
from app.errors import ParallaxError
from app.models import Label, LinkKind, SpanRow, span_row
from app.storage.changes import Changes
from app.text.snapping import snap_to_words
from ui.open_project import OpenProject
from ui.workspace.after_edit import AfterEdit
from ui.workspace.article_pane import ArticlePane
from ui.workspace.compare_mode import CompareMode
from ui.workspace.compare_view import PaneArea
from ui.workspace.jumps import PaneJumps, passage_format
from ui.workspace.span_edits import SpanEdits
from ui.workspace.span_menu import build_span_menu
from ui.workspace.visible_first import ReadSpans

USER_FOCUS = (Qt.FocusReason.MouseFocusReason, Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
LINK_KEYS = {"c": LinkKind.CONTRADICTS, "s": LinkKind.SUPPORTS, "a": LinkKind.SAME_AS, "u": LinkKind.UPDATES}


__all__ = ["LINK_KEYS", "Workspace", "passage_format"]


class Workspace(QWidget, PaneJumps, SpanEdits):
    message = Signal(str)  # for the status bar
    view_changed = Signal()  # panes, documents in them, or scrolling changed
    error = Signal(str)  # for a dialog

    def __init__(self, session: OpenProject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.area = PaneArea(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.area)
        self.snap_to_words = True
        self.show_others = True
        self.labels: dict[int, Label] = {}
        self.active: ArticlePane = self.area.panes[0]
        self.active_marked = False  # visibly marked: then a double-click opens into it
        self.current: tuple[ArticlePane, SpanRow] | None = None
        self.compare = CompareMode(self.project, self.area, self)
        self.compare.message.connect(self.message)
        for pane in self.area.panes:
            self._wire(pane)
            pane.view.verticalScrollBar().valueChanged.connect(self.view_changed)
        self.refresher = AfterEdit(self._on_changes, self)
        session.operation_did_execute.connect(self.refresher.add)
        self._reload_labels()

    def _wire(self, pane: ArticlePane) -> None:
        view = pane.view
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        view.span_clicked.connect(lambda span, p=pane: self._on_span_clicked(p, span))
        view.key_typed.connect(lambda key, p=pane: self._on_key_typed(p, key))
        view.step_requested.connect(lambda step, p=pane: self.step_span(p, step))
        view.delete_requested.connect(self.delete_selected_span)
        view.text_clicked.connect(lambda offset, p=pane: self.compare.on_text_clicked(p, offset))
        pane.document_dropped.connect(lambda doc_id, p=pane: self.open_document(doc_id, p.index))
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(lambda pos, p=pane: self._context_menu(p, pos))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
            # The user's own pick (click, Tab) marks the pane; focus Qt moves by itself does not.
            chosen = event.reason() in USER_FOCUS
            for pane in self.area.panes:
                if pane.view is watched or pane.find_bar.edit is watched:
                    self._set_active(pane, marked=True if chosen else None)
        elif event.type() == QEvent.Type.MouseButtonPress:  # a click in a pane already focused
            clicked = next((p for p in self.area.panes if p.view.viewport() is watched), None)
            if clicked is not None:
                self._set_active(clicked, marked=True)
        return False

    def _set_active(self, pane: ArticlePane, marked: bool | None = None) -> None:
        self.active = pane
        if marked is not None:
            self.active_marked = marked
        for other in self.area.panes:
            other.set_active(self.active_marked and other is pane)

    def target_pane(self) -> ArticlePane:
        """Where a double-clicked document opens: the marked pane, else the first empty one
        (none empty: the active pane, marked now, so the replaced pane is the one showing it)."""
        if self.active_marked and not self.active.isHidden():
            return self.active
        visible = self.area.visible_panes()
        empty = next((p for p in visible if p.document_id is None), None)
        if empty is None:
            self._set_active(self.active if not self.active.isHidden() else visible[0], marked=True)
            return self.active
        return empty

    # ---- documents in panes ------------------------------------------
    def open_document(self, doc_id: int, pane_index: int | None = None) -> None:
        """Show a document in a pane: the one given, else `target_pane()`."""
        with GATE.hold():  # background builds wait (the view holds on until its first paint)
            pane = self.area.panes[pane_index] if pane_index is not None else self.target_pane()
            if pane.isHidden():
                self.area.set_pane_count(pane.index + 1)
            _, linked, names = self._span_state(doc_id, spans=False)
            source = ReadSpans(partial(self.visible_spans, doc_id))  # the first screen's spans first, the rest next
            pane.show_document(self.project.document(doc_id), source, self.labels, linked, names)
            if any(held and held[0] is pane for held in (self.current, self.anchor)):
                self._forget_selection(pane, pane.view.spans)
            self._refresh_links()
            self._set_active(pane)
            if self.compare.enabled:
                self.compare.refresh()
            self.view_changed.emit()

    def set_pane_count(self, count: int) -> None:
        self.area.set_pane_count(count)
        if self.compare.enabled:
            self.compare.refresh()
        self.view_changed.emit()

    def focus_pane(self, index: int) -> None:
        if index < self.area.pane_count:
            self.area.panes[index].view.setFocus()
            self._set_active(self.area.panes[index], marked=True)

    def open_find(self) -> None:
        """Find in the active pane's article (Ctrl+F)."""
        self._set_active(self.active, marked=True)
        self.active.find_bar.open_bar()

    # ---- refresh -----------------------------------------------------
    def _on_changes(self, changes: Changes) -> None:
        if changes.labels:
            self._reload_labels()
        if changes.labels or changes.links or changes.documents or changes.spans_unlisted:
            for pane in self.area.panes:
                if pane.document_id is not None and (
                    changes.labels or changes.links or changes.documents or pane.document_id in changes.document_ids
                ):
                    self._refresh_pane(pane)
            self._refresh_links()
        elif changes.spans:  # the spans named, and only those: a hotkey repaints one span
            for pane in self.area.panes:
                if pane.document_id is not None and pane.document_id in changes.document_ids:
                    self._update_spans(pane, changes)
        if changes.documents:  # after the panes: ids can be reused once an import is undone
            self.compare.forget()

    def _reload_labels(self) -> None:
        self.labels = {label.id: label for label in self.project.labels()}
        for pane in self.area.panes:
            if pane.document_id is not None:
                self._refresh_pane(pane)

    def visible_spans(self, doc_id: int, before: int | None = None) -> list[SpanRow]:
        if self.project.closed:  # a pane's deferred read, after the window closed
            return []
        spans = self.project.span_rows(doc_id, before=before)
        if not self.show_others:
            spans = [s for s in spans if s.annotator_id == self.session.annotator_id]
        return spans

    def _span_state(self, doc_id: int, spans: bool = True) -> tuple[list[SpanRow], set[int], dict[int, str]]:
        shown = self.visible_spans(doc_id) if spans else []
        linked: set[int] = {x for link in self.project.links() for x in (link.source_span_id, link.target_span_id)}
        names: dict[int, str] = {a.id: a.name for a in self.project.annotators()}
        return shown, linked, names

    def _refresh_pane(self, pane: ArticlePane) -> None:
        if pane.document is None:
            return
        try:
            spans, linked, names = self._span_state(pane.document.id)
        except ParallaxError:  # the document was deleted (e.g. an import undone)
            pane.show_document(None)
            self._forget_selection(pane, [])
            return
        pane.view.set_spans(spans, self.labels, linked, names)
        self._forget_selection(pane, spans)
        self._refresh_links()

    def _update_spans(self, pane: ArticlePane, changes: Changes) -> None:
        assert pane.document_id is not None
        changed = self.project.span_rows(pane.document_id, changes.span_ids)
        if not self.show_others:
            changed = [s for s in changed if s.annotator_id == self.session.annotator_id]
        if changes.annotators:
            pane.view.annotator_names = {a.id: a.name for a in self.project.annotators()}
        pane.view.change_spans(changed, {int(i) for i in changes.span_ids} - {s.id for s in changed})
        self._forget_selection(pane, pane.view.spans)

    def _forget_selection(self, pane: ArticlePane, spans: list[SpanRow]) -> None:
        """Drop held spans of this pane that no longer exist; take fresh copies of the rest."""
        for held in ("current", "anchor"):
            entry = getattr(self, held)
            if entry and entry[0] is pane:
                by_id = pane.view.span_with_id if spans is pane.view.spans else None  # 10,000 spans: no walk
                fresh = by_id(entry[1].id) if by_id else next((s for s in spans if s.id == entry[1].id), None)
                setattr(self, held, (pane, fresh) if fresh else None)

    def _refresh_links(self) -> None:
        shown = {p.document_id for p in self.area.visible_panes() if p.document_id is not None}
        links = self.project.links()
        spans = self.project.spans_by_id(x for link in links for x in (link.source_span_id, link.target_span_id))
        self.area.set_links(
            [
                (link, spans[link.source_span_id], spans[link.target_span_id])
                for link in links
                if {spans[link.source_span_id].document_id, spans[link.target_span_id].document_id} <= shown
            ]
        )

    def set_show_others(self, show: bool) -> None:
        self.show_others = show
        for pane in self.area.panes:
            self._refresh_pane(pane)

    # ---- tagging -----------------------------------------------------
    def tag_selection(self, label_id: int, pane: ArticlePane | None = None) -> SpanRow | None:
        """Save the selected text of a pane as a span with this label (no text selected but a
        span clicked: relabel that span, as its key would)."""
        self.refresher.run_steps()  # a tag just made shows picked first: this key relabels it
        pane = pane or self._pane_with_selection()
        chosen = pane.view.selection_offsets() if pane.document else None
        if chosen is None and self.current is not None and pane.view.selected is not None:
            return self.relabel_selected(label_id)
        if pane.document is None or chosen is None:
            self.message.emit("Select some text first, then press a label's key.")
            return None
        start, end = snap_to_words(pane.document.text, *chosen) if self.snap_to_words else chosen
        if start >= end:
            return None
        label, doc_id = self.labels[label_id], pane.document.id
        added = self._run(
            f"Tag “{pane.document.text[start:end][:30]}” as {label.name}",
            lambda: self.project.add_span(doc_id, start, end, label_id, self.session.annotator_id),
        )
        if added is None:
            return None
        span = span_row(added)
        # Durable and undoable now; showing it picked and saying so wait for the handler to return.
        self.refresher.later(partial(self.tagged, pane, span))
        return span

    def _pane_with_selection(self) -> ArticlePane:
        """The active pane if text is selected there, else any pane with a selection."""
        candidates = [self.active, *self.area.visible_panes()]
        return next((p for p in candidates if p.view.textCursor().hasSelection()), self.active)

    def _on_key_typed(self, pane: ArticlePane, key: str) -> None:
        label = next((x for x in self.labels.values() if x.hotkey == key), None)
        if label is not None and pane.view.textCursor().hasSelection():
            self.tag_selection(label.id, pane)
        elif label is not None and pane.view.selected is not None and self.current and self.current[0] is pane:
            self.relabel_selected(label.id)
        elif key.lower() in LINK_KEYS and self.current and self.anchor:
            self.link_selected(LINK_KEYS[key.lower()])

    # ---- selecting and stepping -------------------------------------
    def _on_span_clicked(self, pane: ArticlePane, span: SpanRow | None, link: bool = True) -> None:
        self.pick(pane, span, link)
        if span is not None:
            self.message.emit(self.link_hint() or self.describe(span))

    def describe(self, span: SpanRow) -> str:
        label = self.labels.get(span.label_id)
        return f"{label.name if label else '?'}: “{span.quote[:80]}”" + (f" — {span.note}" if span.note else "")

    def select_span(self, pane: ArticlePane, span: SpanRow, flash: bool = False, link: bool = True) -> None:
        pane.view.select_span(span)
        if flash:
            pane.view.flash(span)
        self._on_span_clicked(pane, span, link)

    def step_span(self, pane: ArticlePane, step: int) -> None:
        spans = pane.view.spans
        if not spans:
            return
        current = pane.view.selected
        index = spans.index(current) + step if current in spans else (0 if step > 0 else -1)
        self.select_span(pane, spans[index % len(spans)], link=False)  # stepping starts no link

    # ---- edits on the selected span ---------------------------------
    def edit_note(self) -> None:
        span = self.selected_span()
        if span is None:
            self.message.emit("Click a span first, then edit its note.")
            return
        # Imported text goes in the title bar (always plain), never in the dialog's label.
        title = f"Note on “{' '.join(span.quote.split())[:50]}”"
        note, ok = QInputDialog.getMultiLineText(self, title, "Note:", span.note)
        if ok and note != span.note:
            self._run("Edit note", lambda: self.project.update_span(span.id, note=note))

    def _context_menu(self, pane: ArticlePane, pos: QPoint) -> None:
        menu = build_span_menu(self, pane, pane.view.offset_at(pos))
        menu.exec(pane.view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _say(self, text: str) -> None:
        self.message.emit(text)

    def _run(self, text: str, operation: Any) -> Any:
        try:
            return self.session.run(text, operation, initiator=self)
        except ParallaxError as exc:
            self.error.emit(str(exc))
            return None
