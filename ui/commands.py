"""Undo commands: every edit is a `Project` operation whose Outcome carries
its own inverse, so one command class serves every kind of edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.changes import Changes, Outcome, UndoStep
from app.errors import ParallaxError
from app.store import Project


class OperationCommand(QUndoCommand):
    """An edit already performed; undo/redo replay its inverse steps."""

    def __init__(self, project: Project, text: str, outcome: Outcome[Any],
                 broadcast: Callable[[Changes, object], None], failed: Callable[[str], None]) -> None:
        super().__init__(text)
        self._project = project
        self._step: UndoStep = outcome.undo
        self._broadcast = broadcast
        self._failed = failed
        self._first = True  # QUndoStack.push calls redo(); the edit is already done

    def undo(self) -> None:
        self._replay()

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._replay()

    def _replay(self) -> None:
        try:
            outcome = self._project.apply(self._step)
        except ParallaxError as exc:
            # The file is unchanged (one transaction); drop this step so the stack
            # never claims a state the project is not in.
            self.setObsolete(True)
            self._failed(f"Cannot {self.text()!r} any more: {exc}")
            return
        self._step = outcome.undo
        self._broadcast(outcome.changes, self)
