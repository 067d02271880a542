"""Undo commands. An edit is done before its command is pushed; undo and redo
replay the inverse step the edit returned, and each replay returns the next.

`ReplayCommand` holds what every kind shares (the first redo is skipped, a
step that can no longer apply is dropped and reported); subclasses only say
how to replay: store operations here, review and curation in their modules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.errors import ParallaxError
from app.storage.changes import Changes, Outcome, UndoStep
from app.storage.project import Project

Report = Callable[[str], None]


class ReplayCommand(QUndoCommand):
    def __init__(self, text: str, failed: Report | None = None) -> None:
        super().__init__(text)
        self._failed = failed
        self._first = True  # QUndoStack.push calls redo(); the edit is already done

    def replay(self) -> None:
        raise NotImplementedError

    def undo(self) -> None:
        self._guarded()

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._guarded()

    def _guarded(self) -> None:
        try:
            self.replay()
        except ParallaxError as exc:
            # The file is unchanged (one transaction); drop this step so the stack
            # never claims a state the project is not in.
            self.setObsolete(True)
            if self._failed is not None:
                self._failed(f"Cannot {self.text()!r} any more: {exc}")


class OperationCommand(ReplayCommand):
    """A `Project` operation; its Outcome's undo step is replayed with `Project.apply`."""

    def __init__(
        self,
        project: Project,
        text: str,
        outcome: Outcome[Any],
        broadcast: Callable[[Changes, object], None],
        failed: Report,
    ) -> None:
        super().__init__(text, failed)
        self._project = project
        self._step: UndoStep = outcome.undo
        self._broadcast = broadcast

    def replay(self) -> None:
        outcome = self._project.apply(self._step)
        self._step = outcome.undo
        self._broadcast(outcome.changes, self)
