"""Review plumbing shared by the review views: undo commands on the main stack,
the change broadcast between review views, and safe display helpers."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QLabel, QWidget

from app import review
from app.review import ReviewOutcome
from app.review_models import Statement
from app.store import Project
from ui.session import Session

T = TypeVar("T")
QUOTE_STYLE = "background-color:#fde68a; font-weight:bold"


class ReviewHub(QObject):
    """Tells every review view that a review edit happened (one hub per Session)."""

    changed = Signal(int, int, object)  # review session id, link id (0: none), initiator


def review_hub(session: Session) -> ReviewHub:
    found = session.findChild(ReviewHub)
    return found if found is not None else ReviewHub(session)


class ReviewCommand(QUndoCommand):
    """A review edit already made; undo and redo replay its inverse step."""

    def __init__(self, project: Project, text: str, outcome: ReviewOutcome[Any], hub: ReviewHub) -> None:
        super().__init__(text)
        self._project, self._step, self._hub = project, outcome.undo, hub
        self._first = True  # QUndoStack.push calls redo(); the edit is already done

    def undo(self) -> None:
        self._replay()

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._replay()

    def _replay(self) -> None:
        outcome = review.apply_review(self._project, self._step)
        self._step = outcome.undo
        self._hub.changed.emit(outcome.session_id, outcome.link_id or 0, self)


def run_review(session: Session, text: str, operation: Callable[[], ReviewOutcome[T]],
               initiator: object = None) -> T:
    """Perform a review edit, make it undoable and announce it; errors propagate, nothing changed."""
    outcome = operation()
    hub = review_hub(session)
    session.undo_stack.push(ReviewCommand(session.project, text, outcome, hub))
    hub.changed.emit(outcome.session_id, outcome.link_id or 0, initiator)
    return outcome.value


def statement_html(role: str, statement: Statement) -> str:
    """A statement for a rich-text view; every imported string escaped."""
    source = statement.source
    where = " · ".join((source.outlet or "outlet unknown", source.published or "date unknown"))
    note = f"<p><i>Span note:</i> {html.escape(statement.span.note)}</p>" if statement.span.note else ""
    return (f"<p style='color:#52606d'><b>{role}</b> · {html.escape(statement.label)}</p>"
            f"<p style='white-space:pre-wrap'>{html.escape(statement.before)}<a name='quote'></a>"
            f"<span style='{QUOTE_STYLE}'>{html.escape(statement.quote)}</span>{html.escape(statement.after)}</p>"
            f"<p style='color:#52606d'>{html.escape(where)}<br>“{html.escape(source.title or 'untitled')}”</p>"
            + note)


def plain_label(text: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


class _CloseWith(QObject):
    """Closes a window just before its owner closes (while the project is still open)."""

    def __init__(self, window: QWidget, owner: QWidget) -> None:
        super().__init__(window)
        self._window = window
        owner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self._window.close()
        return False


def close_with_owner(window: QWidget) -> None:
    """Make a review window close (and save) when the window that owns it closes."""
    owner = window.parentWidget()
    if owner is not None:
        _CloseWith(window, owner.window())

