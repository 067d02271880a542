"""The review window: one dispute at a time, both statements in context, and a
verdict recorded with one key.

Keys: 1-6 record a verdict (see `verdict_bar`; Ctrl+1-6 also while typing the
rationale) and move on; 0 clears it; N or → next, P or ← previous, U next
undecided; Esc leaves the rationale box. Each dispute opens with the focus on
the window, never in the rationale box, so the number keys are verdicts until
the reviewer clicks into the box. Verdicts go through `OpenProject.run`; Ctrl+Z here
undoes only this session's verdicts (`ui.scoped_undo`).
A rationale or evidence changed on a decided dispute is saved (undoably) when
the reviewer moves on, leaves the box, or closes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import ParallaxError
from app.models import SpanId
from app.review import sessions as review
from app.review.sessions import Decision, Dispute
from app.storage.changes import Changes, Outcome
from ui.deferred import Coalescer
from ui.open_project import OpenProject
from ui.review.evidence_box import EvidenceBox
from ui.review.support import (
    Draft,
    ask_report_path,
    close_with_owner,
    fill_verdicts,
    plain_label,
    save_report,
    show_error,
    statement_html,
)
from ui.review.verdict_bar import KEYS, Choice, VerdictBar, choice_text, statement_of
from ui.scoped_undo import ScopedUndo


class ReviewWindow(QWidget):
    dispute_shown = Signal(int)  # link id
    report_written = Signal(str)  # path

    def __init__(self, session: OpenProject, review_session_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session, self.project = session, session.project
        self.review = review.set_paused(self.project, review_session_id, False)  # opening resumes it
        self.items: list[Dispute] = []
        self.index = 0
        self.drafts: dict[int, Draft] = {}
        self._showing = False
        self._closed = False
        self.setWindowTitle(f"Review: {self.review.name} — Parallax")
        self.resize(1150, 780)
        self._build()
        self._build_actions()
        session.operation_did_execute.connect(self._on_operation)
        self.refresher = Coalescer(self._on_project_changed, self)
        session.operation_did_execute.connect(self.refresher.add)
        self.reload()
        self.go(self._first_undecided(0))
        close_with_owner(self)

    # ---- building ------------------------------------------------------
    def _build(self) -> None:
        self.title = plain_label(
            f"{self.review.name} — reviewer {self.review.reviewer}", "font-size: 15px; font-weight: bold"
        )
        self.progress = plain_label(style="font-weight: bold")
        self.scope = plain_label(f"Scope: {review.describe_scope(self.project, self.review.scope)}", "color: #52606d")
        self.position = plain_label()
        self.panels = (QTextEdit(), QTextEdit())
        split = QSplitter(Qt.Orientation.Horizontal)
        for panel in self.panels:
            panel.setReadOnly(True)
            panel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            split.addWidget(panel)
        self.link_info = plain_label()
        self.verdict_list = QListWidget()  # every session's verdict on this link
        self.verdict_list.setMaximumHeight(72)
        self.verdict_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.disagree = plain_label("", "color: #b91c1c; font-weight: bold")
        self.verdicts = VerdictBar(self.record, self.clear_verdict)
        self.rationale = QPlainTextEdit()
        self.rationale.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # never focused by opening a dispute
        self.rationale.setPlaceholderText("Rationale (saved with the verdict; Esc to stop typing)")
        self.rationale.setMaximumHeight(90)
        self.rationale.textChanged.connect(self._on_rationale_edited)
        self.rationale.installEventFilter(self)
        self.evidence_box = EvidenceBox(self.project, self._on_evidence)
        self.evidence = self.evidence_box.list
        nav = QHBoxLayout()
        self._button("◀ Previous (P)", self.previous, nav)
        self._button("Next (N) ▶", self.next, nav)
        self._button("Next undecided (U)", self.next_undecided, nav)
        self.message = plain_label(
            "Keys: 1–6 verdict (Ctrl+1–6 while typing) · 0 clear · N/→ next · P/← previous"
            " · U next undecided · Ctrl+Z undo",
            "color: #52606d",
        )
        nav.addStretch(1)
        self._button("Report…", self.export_report, nav)
        self._button("Pause", self.close, nav)
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        for widget, stretch in ((self.title, 1), (self.position, 0), (self.progress, 0)):
            header.addWidget(widget, stretch)
        layout.addLayout(header)
        widgets: tuple[QWidget, ...] = (self.scope, split, self.link_info, self.disagree, self.verdict_list)
        for part in (*widgets, self.verdicts):
            layout.addWidget(part, 1 if part is split else 0)
        layout.addWidget(self.rationale)
        layout.addWidget(self.evidence_box)
        layout.addLayout(nav)
        layout.addWidget(self.message)  # its own row: between the buttons it wrapped onto 6 lines at 669 px
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _button(self, text: str, slot: Callable[[], object], layout: QHBoxLayout | QVBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda _=False: slot())
        layout.addWidget(button)
        return button

    def _action(self, keys: list[str], slot: Callable[[], object]) -> QAction:
        action = QAction(self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        for choice, key in KEYS.items():
            self._action([key, f"Ctrl+{key}"], partial(self.record, choice))
        self._action(["0", "Ctrl+0"], self.clear_verdict)
        self._action(["N", "Right"], self.next)
        self._action(["P", "Left"], self.previous)
        self._action(["U"], self.next_undecided)
        self._action(["Escape"], self.setFocus)
        self.undo = ScopedUndo(
            self, self.session.undo_stack, self._mine, "this review session", lambda text: self.message.setText(text)
        )

    def _mine(self, changes: Changes) -> bool:
        return changes.reviews and self.review.id in changes.review_session_ids

    # ---- data and display ------------------------------------------------
    @property
    def current(self) -> Dispute | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def reload(self, keep: int | None = None) -> None:
        """Read the disputes again, staying on link `keep` (default: the current one) if it is still there."""
        link = keep if keep is not None else (self.current.link.id if self.current else None)
        self.review = review.session(self.project, self.review.id)
        self.items = review.disputes(self.project, self.review)
        ids: list[int] = [d.link.id for d in self.items]
        self.index = ids.index(link) if link in ids else min(self.index, max(len(ids) - 1, 0))
        self._show()

    def go(self, index: int) -> None:
        if not self.items:
            return
        self.save_edits()
        self.index = max(0, min(index, len(self.items) - 1))
        self.setFocus()  # out of the rationale box: the number keys are verdicts again
        self._show()

    def next(self) -> None:
        self.go(self.index + 1)

    def previous(self) -> None:
        self.go(self.index - 1)

    def next_undecided(self) -> None:
        self.go(self._first_undecided(self.index + 1))

    def _first_undecided(self, start: int) -> int:
        count = len(self.items)
        for step in range(count):
            position = (start + step) % count
            if self.items[position].decision_in(self.review.id) is None:
                return position
        return self.index

    def decided(self) -> int:
        return sum(1 for d in self.items if d.decision_in(self.review.id) is not None)

    def _draft(self, item: Dispute) -> Draft:
        if item.link.id not in self.drafts:
            own = item.judgement_in(self.review.id)
            self.drafts[item.link.id] = Draft(own.verdict.rationale, list(own.verdict.evidence)) if own else Draft()
        return self.drafts[item.link.id]

    def _show(self) -> None:
        self._showing = True
        item = self.current
        self.progress.setText(f"{self.decided()} of {len(self.items)} decided")
        self.position.setText(f"Dispute {self.index + 1} of {len(self.items)}" if item else "No disputes in scope")
        self.verdicts.show_dispute(item, self.review.id)
        for widget in (self.rationale, self.evidence_box):
            widget.setEnabled(item is not None)
        if item is None:
            for panel in self.panels:
                panel.setPlainText("")
            self.link_info.setText("")
            self.verdict_list.clear()
            self.disagree.setVisible(False)
            self._showing = False
            return
        self._show_dispute(item)
        self._showing = False
        self.dispute_shown.emit(item.link.id)

    def _show_dispute(self, item: Dispute) -> None:
        for panel, role, statement in zip(
            self.panels, ("First statement", "Second statement"), (item.first, item.second), strict=True
        ):
            panel.setHtml(statement_html(role, statement))
            panel.scrollToAnchor("quote")
        note = f" · note: {item.note}" if item.note else ""
        self.link_info.setText(f"{item.link.kind.value.replace('_', ' ')} link by {item.annotator}{note}")
        fill_verdicts(self.verdict_list, item, self.review.id)
        conflicting = item.conflicting_in(self.review.id)
        self.disagree.setText(
            "⚠ Verdicts of this session on this pair contradict each other"
            if conflicting
            else "⚠ Sessions disagree on this pair"
        )
        self.disagree.setVisible(conflicting or item.disagreement)
        draft = self._draft(item)
        if self.rationale.toPlainText() != draft.rationale:
            self.rationale.setPlainText(draft.rationale)
        self.evidence_box.show_spans(draft.evidence)

    # ---- verdicts --------------------------------------------------------
    def record(self, choice: Choice) -> None:
        """Record this session's verdict on the current dispute, then move to the next one."""
        item = self.current
        if item is None:
            return
        draft = self._draft(item)
        side = statement_of(item, choice)
        decision = item.decision_for(side, self.review.id) if side is not None else Decision(choice)
        self._put(f"Verdict: {choice_text(item, choice)}", item.link_in(self.review.id), decision, draft)
        if self.index < len(self.items) - 1:
            self.go(self.index + 1)

    def clear_verdict(self) -> None:
        item = self.current
        if item is not None and item.decision_in(self.review.id) is not None:
            link = item.link_in(self.review.id)
            self._edit("Clear verdict", lambda: review.set_verdict(self.project, self.review.id, link, None))

    def save_edits(self) -> None:
        """Save a changed rationale or evidence of the current, decided dispute."""
        item = self.current
        own = item.judgement_in(self.review.id) if item else None
        if item is None or own is None:
            return
        draft = self._draft(item)
        if (draft.rationale, tuple(draft.evidence)) != (own.verdict.rationale, own.verdict.evidence):
            self._put("Edit verdict", own.verdict.link_id, own.verdict.decision, draft)

    def _put(self, text: str, link: int, decision: Decision, draft: Draft) -> None:
        rationale, evidence = draft.rationale, list(draft.evidence)
        self._edit(text, lambda: review.set_verdict(self.project, self.review.id, link, decision, rationale, evidence))

    def _edit(self, text: str, operation: Callable[[], Outcome[Any]]) -> None:
        try:
            self.session.run(text, operation, self)
        except ParallaxError as exc:
            self.show_error(str(exc))

    def _on_rationale_edited(self) -> None:
        if not self._showing and self.current is not None:
            self._draft(self.current).rationale = self.rationale.toPlainText()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.rationale and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            if event.type() == QEvent.Type.FocusOut:
                self.save_edits()
            self.verdicts.set_typing(event.type() == QEvent.Type.FocusIn)
        return super().eventFilter(watched, event)

    # ---- evidence --------------------------------------------------------
    def add_evidence(self) -> None:
        self.evidence_dialog = self.evidence_box.add()

    def _on_evidence(self, spans: list[SpanId]) -> None:
        if self.current is not None:
            self._draft(self.current).evidence = spans
            self.save_edits()
            self._show()

    # ---- reacting to changes ---------------------------------------------
    def _on_operation(self, changes: Changes, initiator: object) -> None:
        if not changes.reviews:
            return  # the coalesced refresher handles everything else
        if not any(s.id == self.review.id for s in review.sessions(self.project)):
            self.close()  # its start was undone
            return
        link_id = next(iter(changes.verdict_link_ids), 0)
        if initiator is not self:
            self.drafts.pop(link_id, None)  # an undo or redo: show what is stored
        follow = initiator is not self and self.review.id in changes.review_session_ids and link_id
        self.reload(keep=link_id if follow else None)

    def _on_project_changed(self, changes: Changes) -> None:
        if changes.links or changes.spans or changes.documents or changes.labels:
            self.reload()

    # ---- report, errors, closing -----------------------------------------
    def ask_report_path(self) -> Path | None:
        return ask_report_path(self, self.review.name)

    def export_report(self) -> None:
        self.save_edits()
        target = self.ask_report_path()
        written = save_report(self, self.project, self.review.id, target) if target else None
        if written is not None:
            self.message.setText(f"Report written to {written.name}")
            self.report_written.emit(str(written))

    def show_error(self, text: str) -> None:
        show_error(self, text)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing pauses the session (unless the project has already been closed)."""
        if not self._closed:
            self._closed = True
            if not self.project.closed and any(s.id == self.review.id for s in review.sessions(self.project)):
                self.save_edits()
                review.set_paused(self.project, self.review.id, True)
                self.session.notify(Changes(reviews=True, review_session_ids=frozenset({self.review.id})), self)
            self.session.operation_did_execute.disconnect(self._on_operation)
            self.session.operation_did_execute.disconnect(self.refresher.add)
        super().closeEvent(event)
