"""`OpenProject`: the open project, its undo stack and the change broadcast.

Views never write to the project directly: they call `session.run(...)`, which
performs one `Project` operation (one transaction, durable at once), pushes its
undo command and emits `operation_did_execute(changes, initiator)` so each
view can decide whether to refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.storage.changes import Changes, Outcome
from app.storage.project import Project
from ui.commands import OperationCommand

T = TypeVar("T")


class OpenProject(QObject):
    operation_did_execute = Signal(object, object)  # Changes, initiator
    annotator_changed = Signal(str)
    error = Signal(str)  # an undo or redo step could not be applied

    def __init__(self, project: Project, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = QUndoStack(self)
        self._annotator = project.annotator(annotator)

    @property
    def annotator(self) -> str:
        return self._annotator.name

    @property
    def annotator_id(self) -> int:
        return self._annotator.id

    def set_annotator(self, name: str) -> None:
        self._annotator = self.project.annotator(name)
        self.annotator_changed.emit(self._annotator.name)

    def run(self, text: str, operation: Callable[[], Outcome[T]], initiator: object = None) -> T:
        """Perform an undoable edit; errors propagate with the project unchanged."""
        outcome = operation()
        self.undo_stack.push(OperationCommand(self.project, text, outcome, self._emit, self.error.emit))
        self._emit(outcome.changes, initiator)
        return outcome.value

    def record(self, text: str, outcome: Outcome[T], initiator: object = None) -> None:
        """Make work already done (an import) undoable and tell the views."""
        self.undo_stack.push(OperationCommand(self.project, text, outcome, self._emit, self.error.emit))
        self._emit(outcome.changes, initiator)

    def _emit(self, changes: Changes, initiator: object) -> None:
        self.operation_did_execute.emit(changes, initiator)

    def notify(self, changes: Changes, initiator: object = None) -> None:
        """Broadcast a change that is not undoable (e.g. an import)."""
        self._emit(changes, initiator)

    def close(self) -> None:
        self.undo_stack.clear()
        self.project.close()
