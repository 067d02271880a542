"""Proposals in the workspace: computed off the GUI thread, drawn dashed, accepted by key.

Enter accepts the proposal under the cursor, Shift+Enter every proposal of
that text and label in the project; a label's hotkey accepts it with that
label instead; Backspace rejects it, Shift+Backspace rejects them all;
F8 / Shift+F8 go to the next / previous proposal. Each
acceptance is an ordinary span of the annotator, made by `Project.add_span`
through `Session.run`, so it undoes like any span. Proposals themselves are
never written to the project: exports, agreement and gold cannot see them.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent

from app.assist.decisions import accept, reject, rejected_keys
from app.assist.proposals import Proposal, Tagged, fresh, label_kinds, merge, own_spans
from app.assist.string_match import StringMatcher, occurrences
from app.errors import ParallaxError
from app.storage.changes import Changes
from ui.deferred import Coalescer
from ui.offsets import Utf16Pos
from ui.workspace.article_pane import ArticlePane
from ui.workspace.assist_model import ModelDriver
from ui.workspace.proposal_overlay import ProposalOverlay
from ui.workspace.workspace import Workspace

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ProposalController(QObject):
    proposals_changed = Signal()  # what the panes show changed
    status = Signal(str)  # a summary for the Assist panel
    _matched = Signal(int, object)  # version, {document: string proposals}
    _gathered = Signal(str, object)  # "accept" / "reject", proposals of one text across the project

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent or workspace)
        self.workspace, self.session, self.project = workspace, workspace.session, workspace.session.project
        self.string_enabled = True
        self.started = False  # nothing is computed (no thread, no worker) before start()
        self.model = ModelDriver(self.project, self)
        self.overlays = {pane.index: ProposalOverlay(pane.view) for pane in workspace.area.panes}
        self.shown: dict[int, list[Proposal]] = {}  # pane index -> proposals drawn there
        self._threads = ThreadPoolExecutor(1, thread_name_prefix="assist")
        self._version = 0
        self.matched: dict[int, list[Proposal]] = {}  # the string matcher's latest answer, per open document
        self._spans: dict[int, list[Tagged]] = {}
        self._all_spans: list[Tagged] = []
        self._kinds: dict[int, Any] = {}
        self._rejected: set[str] = set()
        self._open: set[int] = set()
        for pane in workspace.area.panes:
            pane.view.installEventFilter(self)
            pane.view.cursorPositionChanged.connect(lambda p=pane: self._on_cursor_moved(p))
        self._matched.connect(self._on_matched)
        self._gathered.connect(self._on_gathered)
        self.model.found.connect(lambda _doc: self.redraw())
        self.model.trained.connect(lambda _scores: self.refresh())  # spans added meanwhile: train again
        self.model.outdated.connect(self.refresh)
        self.refresher = Coalescer(self._on_changes, self)
        self.session.operation_did_execute.connect(self.refresher.add)
        self.session.annotator_changed.connect(self._on_annotator_changed)
        workspace.view_changed.connect(self._on_view_changed)

    def start(self) -> None:
        """Begin proposing; the window calls it once it has been painted, so start-up does not wait."""
        if not self.started:
            self.started = True
            self.refresh()

    # ---- computing -----------------------------------------------------
    def refresh(self, retrain: bool = False) -> None:
        """Take a fresh snapshot of the annotator's spans and recompute what is shown."""
        if self.project.closed or not self.started:  # queued before the window closed, or not started
            return
        self._version += 1
        self._all_spans = own_spans(self.project, self.session.annotator_id)
        self._spans = defaultdict(list)
        for span in self._all_spans:
            self._spans[span.document_id].append(span)
        self._kinds, self._rejected = label_kinds(self.project), rejected_keys(self.project)
        self._open = self._open_documents()
        texts = {doc: self.project.text(doc) for doc in self._open}
        if self.string_enabled and self._all_spans:
            job = self._threads.submit(_match, self._all_spans, texts)
            job.add_done_callback(partial(self._emit_matched, self._version))
        else:
            self.matched = {}
        self.model.consider_training(self._all_spans, self._kinds, force=retrain)
        self.redraw()

    def _emit_matched(self, version: int, done: Future[dict[int, list[Proposal]]]) -> None:
        self._matched.emit(version, done)  # from the assist thread: queued to the GUI thread

    def _open_documents(self) -> set[int]:
        return {p.document_id for p in self.workspace.area.visible_panes() if p.document_id is not None}

    def _on_matched(self, version: int, done: Future[dict[int, list[Proposal]]]) -> None:
        if version == self._version and not done.cancelled() and done.exception() is None:
            self.matched = done.result()
            self.redraw()

    def redraw(self) -> None:
        """Filter the latest proposals against the snapshot and draw them in every pane."""
        if self.project.closed:
            return
        colors: dict[int, str] = {label.id: label.color for label in self.workspace.labels.values()}
        for pane in self.workspace.area.panes:
            doc = pane.document_id
            found: list[Proposal] = []
            if doc is not None and pane.document is not None:
                string = self.matched.get(doc, []) if self.string_enabled else []
                found = fresh(
                    merge(string, self.model.proposals(doc) or []), self._spans[doc], self._kinds, self._rejected
                )
            self.shown[pane.index] = found
            self.overlays[pane.index].set_proposals(pane.document.text if pane.document else "", found, colors)
        self.proposals_changed.emit()
        self.status.emit(f"{sum(len(x) for x in self.shown.values())} proposals in the open articles")

    def _on_changes(self, changes: Changes) -> None:
        if changes.spans or changes.labels or changes.settings or changes.documents or changes.annotators:
            self.refresh()

    def _on_annotator_changed(self, _name: str) -> None:
        self.model.reset()
        self.refresh()

    def _on_view_changed(self) -> None:
        if self._open_documents() != self._open:
            self.refresh()

    # ---- the proposal under the cursor -----------------------------------
    def proposal_at_cursor(self, pane: ArticlePane) -> Proposal | None:
        overlay = self.overlays[pane.index]
        offset = overlay.offsets.from_qt(Utf16Pos(min(pane.view.textCursor().position(), overlay.offsets.utf16_length)))
        shown = self.shown.get(pane.index, [])
        return next((p for p in shown if p.start <= offset < p.end), None) or next(
            (p for p in shown if p.end == offset), None
        )

    def _on_cursor_moved(self, pane: ArticlePane) -> None:
        found = self.proposal_at_cursor(pane)
        self.overlays[pane.index].set_current(found)
        if found is not None:
            self.workspace.message.emit(self.describe(found))

    def describe(self, proposal: Proposal) -> str:
        label = self.workspace.labels.get(proposal.label_id)
        by = "string match" if proposal.source == "string" else "trained model"
        return (
            f"Proposal ({by}): {label.name if label else '?'} “{proposal.text[:60]}” — Enter accepts,"
            " Shift+Enter accepts all of this text, Backspace rejects, F8 next"
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        pane = next((p for p in self.workspace.area.panes if p.view is watched), None)
        if pane is None:
            return False
        shift = event.modifiers() == Qt.KeyboardModifier.ShiftModifier
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.key() == Qt.Key.Key_F8 and (plain or shift):
            return self.step(pane, -1 if shift else 1)
        typed = event.text() if plain and not pane.view.textCursor().hasSelection() else ""
        if typed and self._relabel(pane, typed):
            return True
        if event.key() not in (*ENTER, Qt.Key.Key_Backspace) or not (plain or shift):
            return False
        found = self.proposal_at_cursor(pane)
        if found is None:
            return False
        accepting = event.key() in ENTER
        if shift:
            self.gather("accept" if accepting else "reject", found)
        elif accepting:
            self.accept([found])
        else:
            self.reject([found])
        return True

    def _relabel(self, pane: ArticlePane, key: str) -> bool:
        """A label's hotkey with the cursor in a proposal: accept it with that label instead."""
        label = next((x for x in self.workspace.labels.values() if x.hotkey == key), None)
        found = self.proposal_at_cursor(pane) if label is not None else None
        if label is None or found is None:
            return False
        self.accept([replace(found, label_id=label.id)])
        return True

    def step(self, pane: ArticlePane, step: int) -> bool:
        """Move the cursor to the next (or previous) proposal in the pane."""
        shown = self.shown.get(pane.index, [])
        if not shown:
            return False
        here = self.overlays[pane.index].offsets.from_qt(Utf16Pos(pane.view.textCursor().position()))
        after = [p for p in shown if (p.start > here if step > 0 else p.end < here)]
        target = (after[0] if step > 0 else after[-1]) if after else shown[0 if step > 0 else -1]
        pane.view.select_text(target.start, target.start)
        pane.view.centerCursor()
        return True

    # ---- decisions -----------------------------------------------------
    def accept(self, proposals: list[Proposal]) -> None:
        first = proposals[0]
        label = self.workspace.labels.get(first.label_id)
        more = f" ({len(proposals)} places)" if len(proposals) > 1 else ""
        title = f"Accept “{first.text[:30]}” as {label.name if label else '?'}{more}"
        self._run(title, lambda: accept(self.project, proposals, self.session.annotator_id))

    def reject(self, proposals: list[Proposal]) -> None:
        more = f" ({len(proposals)} places)" if len(proposals) > 1 else ""
        self._run(f"Reject proposal “{proposals[0].text[:30]}”{more}", lambda: reject(self.project, proposals))

    def gather(self, action: str, proposal: Proposal) -> None:
        """Find every proposal of this text and label in the project, then accept or reject them all."""
        self.workspace.message.emit(f"Finding every “{proposal.text[:40]}” in the project…")
        job = self._threads.submit(occurrences, self.project, proposal.text, proposal.label_id)
        job.add_done_callback(lambda done: self._gathered.emit(action, done))

    def _on_gathered(self, action: str, done: Future[list[Proposal]]) -> None:
        if self.project.closed or done.cancelled():
            return
        if done.exception() is not None:
            self.workspace.error.emit(str(done.exception()))
            return
        found = fresh(done.result(), self._all_spans, self._kinds, self._rejected)
        if found:
            (self.accept if action == "accept" else self.reject)(found)

    def _run(self, title: str, operation: Any) -> None:
        try:
            self.session.run(title, operation, initiator=self)
        except ParallaxError as exc:
            self.workspace.error.emit(str(exc))
            return
        self.workspace.message.emit(title.replace("Accept", "Accepted", 1).replace("Reject", "Rejected", 1))

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)
        self.model.close()


def _match(spans: list[Tagged], texts: dict[int, str]) -> dict[int, list[Proposal]]:
    """String proposals for each open document (runs on the assist thread)."""
    matcher = StringMatcher(spans)
    return {doc: matcher.propose(doc, text) for doc, text in texts.items()}
