"""Proposals in the workspace: computed off the GUI thread, drawn dashed, accepted by key.

Enter accepts the proposal under the cursor, Shift+Enter every proposal of
that text and label in the project; a label's hotkey accepts it with that
label instead; Backspace rejects it, Shift+Backspace rejects them all;
F8 / Shift+F8 go to the next / previous proposal. Each
acceptance is an ordinary span of the annotator, made by `Project.add_span`
through `OpenProject.run`, so it undoes like any span. Proposals themselves are
never written to the project: exports, agreement and gold cannot see them.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent

from app.assist.decisions import accept, reject, rejected_keys
from app.assist.extents import Extents
from app.assist.live import AnnotatorProposals, Stretches
from app.assist.pause import MAX_HOLD
from app.assist.proposals import Proposal, Tagged, fresh, label_kinds
from app.assist.string_match import occurrences
from app.errors import ParallaxError
from app.storage.changes import Changes
from ui.deferred import Coalescer
from ui.offsets import Utf16Pos
from ui.workspace.article_pane import ArticlePane
from ui.workspace.assist_model import ModelDriver
from ui.workspace.assist_spans import own_spans
from ui.workspace.proposal_overlay import ProposalOverlay
from ui.workspace.workspace import Workspace

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# A key paints its own span first: the proposals it changes elsewhere on screen follow once
# keys pause this long (a tagged word proposed all over the screen was half of a key's cost),
SCREEN_AFTER_MS = 30
REPAIR_SECONDS = 0.002  # then the off-screen ones, at most this long per event-loop turn


class ProposalController(QObject):
    proposals_changed = Signal()  # what the panes show changed
    status = Signal(str)  # a summary for the Assist panel
    _built = Signal(int, object)  # version, Future[AnnotatorProposals]
    _gathered = Signal(str, object)  # "accept" / "reject", proposals of one text across the project

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent or workspace)
        self.workspace, self.session, self.project = workspace, workspace.session, workspace.session.project
        self.string_enabled = True
        self.started = False  # nothing is computed (no thread, no worker) before start()
        self.model = ModelDriver(self.project, self, annotator=self.session.annotator_id)
        self.overlays = {pane.index: ProposalOverlay(pane.view) for pane in workspace.area.panes}
        # pane index -> proposals drawn there, in text order (none until the first build is drawn)
        self.shown: dict[int, Extents] = {pane.index: Extents() for pane in workspace.area.panes}
        self._threads = ThreadPoolExecutor(1, thread_name_prefix="assist")
        self._version = 0
        # The proposals in the open documents, kept current edit by edit (None until first built).
        self.live: AnnotatorProposals | None = None
        self._log: list[Edit] | None = []  # edits since the snapshot being built off the thread
        self._open: set[int] = set()
        for pane in workspace.area.panes:
            pane.view.installEventFilter(self)
            pane.view.cursorPositionChanged.connect(lambda p=pane: self._on_cursor_moved(p))
            pane.view.first_painted.connect(self._on_view_changed)
        self._built.connect(self._on_built)
        self._gathered.connect(self._on_gathered)
        self.model.found.connect(self._on_model_found)
        self.model.trained.connect(lambda _scores: self._on_trained())
        self.model.outdated.connect(self.refresh)
        self._reopened = QTimer(self, interval=0, singleShot=True)
        self._reopened.timeout.connect(self._on_reopened_timeout)
        self._repairs = QTimer(self, interval=0)
        self.screen_stale = False  # proposals on screen wait for keys to pause (SCREEN_AFTER_MS)
        self._repairs.timeout.connect(self._on_repair_timeout)
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
        """Snapshot the annotator's spans and rebuild every open document's proposals off the GUI thread."""
        if self.project.closed or not self.started:  # queued before the window closed, or not started
            return
        self._version, self._log = self._version + 1, []
        own = self._own_spans()
        kinds, rejected = label_kinds(self.project), rejected_keys(self.project)
        self._open = self._open_documents()
        documents = {doc: (self.project.text(doc), self.model.proposals(doc) or []) for doc in self._open}
        job = self._threads.submit(_build, own, kinds, rejected, self.string_enabled, documents)
        job.add_done_callback(partial(self._emit_built, self._version))
        self.model.consider_training(list(own.values()), kinds, force=retrain)

    def _own_spans(self, ids: Iterable[int] | None = None) -> dict[int, Tagged]:
        """The annotator's spans (those of `ids` only, if given), by id."""
        views = {p.document_id: p.view for p in self.workspace.area.panes if p.document_id is not None}
        return own_spans(self.project, self.session.annotator_id, views, ids)

    @property
    def building(self) -> bool:
        """A rebuild of every open document's proposals is under way off the GUI thread."""
        return self._log is not None

    def _emit_built(self, version: int, done: Future[AnnotatorProposals]) -> None:
        self._built.emit(version, done)  # from the assist thread: queued to the GUI thread

    def _open_documents(self) -> set[int]:
        return {p.document_id for p in self.workspace.area.visible_panes() if p.document_id is not None}

    def _on_built(self, version: int, done: Future[AnnotatorProposals]) -> None:
        if version != self._version or done.cancelled() or self.project.closed:
            return
        if done.exception() is not None:
            self._log = None
            self.workspace.error.emit(f"Proposals: {done.exception()}")
            return
        live, log, self._log = done.result(), self._log or [], None
        for edit in log:  # what happened while it was being built
            _apply(live, edit)
        for doc in live.docs:
            live.set_model(doc, self.model.proposals(doc) or [])
        self.live = live
        self.redraw()

    def _edit(self, edit: Edit) -> None:
        """Apply one edit to the proposals shown (and remember it for the build in flight)."""
        if self._log is not None:
            self._log.append(edit)
        if self.live is not None:
            # Now only the edited stretches (a tagged word's own proposal gives way to its tint).
            self.redraw(_apply(self.live, edit, {}))
            if self.live.pending:
                self.screen_stale = True
                self._repairs.start(SCREEN_AFTER_MS)
            self.model.consider_training(list(self.live.own.values()), self.live.kinds, count=self.live.entities)

    def _on_repair_timeout(self) -> None:
        """Keys paused: the screen's stale proposals at once, then the rest a little per turn."""
        if self.live is None or not self.live.pending or self.project.closed:
            self._repairs.stop()
            self.screen_stale = False
            return
        self._repairs.setInterval(0)
        if self.screen_stale:
            self.screen_stale = False
            self.redraw(self.live.repair_in(screen_stretches(self.workspace, self.overlays)))
        else:
            self.redraw(self.live.repair_some(time.perf_counter() + REPAIR_SECONDS))

    def redraw(self, stretches: Stretches | None = None) -> None:
        """Draw the current proposals in every pane (`stretches`: only these changed)."""
        if self.project.closed:
            return
        colors: dict[int, str] = {label.id: label.color for label in self.workspace.labels.values()}
        for pane in self.workspace.area.panes:
            doc = pane.document_id
            found = self.live.docs.get(doc) if self.live is not None and doc is not None else None
            extents = found.shown if found is not None else Extents()
            self.shown[pane.index] = extents
            touched = None if stretches is None else stretches.get(doc or 0, [])
            if touched != []:
                text = pane.document.text if pane.document else ""
                self.overlays[pane.index].set_proposals(text, extents, colors, touched)
        self.proposals_changed.emit()
        self.status.emit(f"{sum(len(x) for x in self.shown.values())} proposals in the open articles")

    def _on_changes(self, changes: Changes) -> None:
        if self.project.closed:  # queued before the window closed
            return
        if changes.labels or changes.documents or changes.annotators or changes.spans_unlisted:
            self.refresh()
            return
        if changes.spans:
            found = self._own_spans(changes.span_ids)
            self._edit(("spans", {i: found.get(i) for i in changes.span_ids}))
        if changes.settings:
            self._edit(("rejected", rejected_keys(self.project)))

    def _on_model_found(self, doc_id: int) -> None:
        proposals = self.model.proposals(doc_id)
        if self.live is not None and proposals is not None:
            self.live.set_model(doc_id, proposals)
            self.redraw()

    def _on_trained(self) -> None:
        """A new model: ask it about the open documents; train again if spans came meanwhile."""
        for doc in self._open:
            self.model.proposals(doc)
        if self.live is not None:
            self.model.consider_training(list(self.live.own.values()), self.live.kinds, count=self.live.entities)

    def _on_annotator_changed(self, _name: str) -> None:
        self.model.reset(self.session.annotator_id)
        self.live = None
        self.refresh()

    def _on_view_changed(self) -> None:
        self._reopened.start(0)  # on the next turn, unless an article waits for its first paint

    def _on_reopened_timeout(self) -> None:
        if any(p.view.opening and p.view.opening.active for p in self.workspace.area.visible_panes()):
            self._reopened.start(round(MAX_HOLD * 1000))  # after its first paint (first_painted), or this
            return
        if self._open_documents() != self._open:
            self.refresh()

    # ---- the proposal under the cursor -----------------------------------
    def proposal_at_cursor(self, pane: ArticlePane) -> Proposal | None:
        overlay = self.overlays[pane.index]
        offset = overlay.offsets.from_qt(Utf16Pos(min(pane.view.textCursor().position(), overlay.offsets.utf16_length)))
        extents = self.shown[pane.index]
        low, high = extents.meeting(offset, offset + 1)  # by bisection: an article may show 100,000
        near = extents[low:high]
        return next((p for p in near if p.start <= offset < p.end), None) or next(
            (p for p in near if p.end == offset), None
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
        shown = self.shown[pane.index]
        if not shown:
            return False
        here = self.overlays[pane.index].offsets.from_qt(Utf16Pos(pane.view.textCursor().position()))
        if step > 0:
            at = bisect_right(shown.starts, here)
            target = shown[at] if at < len(shown) else shown[0]
        else:
            at = bisect_left(shown.starts, here) - 1
            while at >= 0 and shown.ends[at] >= here:  # the arrays: no Proposal made per step back
                at -= 1
            target = shown[at] if at >= 0 else shown[-1]
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
        live = self.live
        found = fresh(done.result(), list(live.own.values()), live.kinds, live.rejected) if live else []
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
        self._repairs.stop()
        self._reopened.stop()
        self._threads.shutdown(wait=True, cancel_futures=True)
        self.model.close()


def screen_stretches(workspace: Workspace, overlays: dict[int, ProposalOverlay]) -> dict[int, tuple[int, int]]:
    """The stretch of each shown document on screen (and what starts just above it)."""
    shown = {}
    for pane in workspace.area.visible_panes():
        if pane.document_id is not None:
            low, high = overlays[pane.index].visible_range()
            shown[pane.document_id] = (low - 300, high + 1)
    return shown


def _build(*args: Any) -> AnnotatorProposals:
    """`AnnotatorProposals.build`, and each document's index of first tokens: ~40 ms for a 1 MB
    article, spent here off the GUI thread rather than on the first key."""
    live = AnnotatorProposals.build(*args)
    for doc in live.docs.values():
        doc.first_tokens()
    return live


Edit = tuple[str, Any]  # ("spans", {span id: Tagged | None}) or ("rejected", set of keys)


def _apply(live: AnnotatorProposals, edit: Edit, visible: dict[int, tuple[int, int]] | None = None) -> Stretches:
    kind, value = edit
    return live.apply(value, visible) if kind == "spans" else live.set_rejected(value)
