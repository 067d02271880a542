"""Undo commands: every edit is a `Project` operation whose Outcome carries
its own inverse, so one command class serves every kind of edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.changes import Changes, Outcome, UndoStep
from app.store import Project


class OperationCommand(QUndoCommand):
    """An edit already performed; undo/redo replay its inverse steps."""

    def __init__(self, project: Project, text: str, outcome: Outcome[Any],
                 broadcast: Callable[[Changes, object], None]) -> None:
        super().__init__(text)
        self._project = project
        self._step: UndoStep = outcome.undo
        self._broadcast = broadcast
        self._first = True  # QUndoStack.push calls redo(); the edit is already done

    def undo(self) -> None:
        self._replay()

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._replay()

    def _replay(self) -> None:
        outcome = self._project.apply(self._step)
        self._step = outcome.undo
        self._broadcast(outcome.changes, self)
