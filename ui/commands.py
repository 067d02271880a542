"""The one undo command. An operation is done before its command is pushed;
undo and redo replay the step its Outcome returned (`Project.apply`), and each
replay returns the next. Store, review and curation edits are all the same
kind: their steps either belong to storage or perform themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.errors import ParallaxError
from app.storage.changes import Changes, Outcome, UndoStep
from app.storage.project import Project

Report = Callable[[str], None]


class OperationCommand(QUndoCommand):
    def __init__(
        self,
        project: Project,
        text: str,
        outcome: Outcome[Any],
        broadcast: Callable[[Changes, object], None],
        failed: Report,
    ) -> None:
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
