"""Event edits on the undo stack: each `app.events.store` operation is pushed as
an `EventCommand` whose undo and redo replay its `PutEvents` step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from app.events.store import EventOutcome, apply_events, assign_new, events
from ui.commands import ReplayCommand
from ui.open_project import Session

T = TypeVar("T")


class EventCommand(ReplayCommand):
    def __init__(self, session: Session, text: str, outcome: EventOutcome[Any]) -> None:
        super().__init__(text, session.error.emit)
        self._session, self._step = session, outcome.undo

    def replay(self) -> None:
        outcome = apply_events(self._session.project, self._step)
        self._step = outcome.undo
        self._session.notify(outcome.changes, self)


def run_events(session: Session, text: str, operation: Callable[[], EventOutcome[T]], initiator: object = None) -> T:
    """Perform an event edit, make it undoable and announce it; errors propagate, nothing changed."""
    outcome = operation()
    session.undo_stack.push(EventCommand(session, text, outcome))
    session.notify(outcome.changes, initiator)
    return outcome.value


def place_new(session: Session) -> None:
    """After an import: put the new documents into events, if the project has any."""
    project = session.project
    if events(project):
        run_events(session, "Place new articles in events", lambda: assign_new(project))
