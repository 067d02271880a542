"""Undo and redo that act on what the focused window shows.

There is one undo stack per open project; a window that shows only part of
it (curation, a review session) gets actions that undo the top step only if
that step is its own kind (`belongs(changes)`), and otherwise say what the
step is and where to undo it, instead of silently undoing work elsewhere."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget

from app.storage.changes import Changes
from ui.commands import OperationCommand

Belongs = Callable[[Changes], bool]
Tell = Callable[[str], None]


class ScopedUndo(QObject):
    def __init__(self, owner: QWidget, stack: QUndoStack, belongs: Belongs, what: str, tell: Tell) -> None:
        super().__init__(owner)  # a child: Qt drops the connection below when either side goes
        self.stack, self.belongs, self.what, self.tell = stack, belongs, what, tell
        self.undo = QAction("Undo", owner)
        self.undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.undo.triggered.connect(lambda _=False: self.step(back=True))
        self.redo = QAction("Redo", owner)
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo.triggered.connect(lambda _=False: self.step(back=False))
        owner.addActions([self.undo, self.redo])
        stack.indexChanged.connect(self._on_index)
        self._update()

    @Slot(int)
    def _on_index(self, _index: int) -> None:
        if shiboken6.isValid(self.stack):  # a stack being destroyed still signals as it clears
            self._update()

    def _next(self, back: bool) -> OperationCommand | None:
        found = self.stack.command(self.stack.index() - 1 if back else self.stack.index())
        return found if isinstance(found, OperationCommand) else None

    def mine(self, back: bool) -> bool:
        command = self._next(back)
        return command is not None and self.belongs(command.changes)

    def _update(self) -> None:
        for action, back, verb in ((self.undo, True, "Undo"), (self.redo, False, "Redo")):
            command = self._next(back)
            action.setText(f"{verb} {command.text()}" if command and self.mine(back) else verb)

    def step(self, back: bool) -> None:
        command = self._next(back)
        if command is None:
            self.tell("Nothing to undo." if back else "Nothing to redo.")
        elif self.mine(back):
            self.stack.undo() if back else self.stack.redo()
        else:
            verb = "undo" if back else "redo"
            self.tell(
                f"Not {verb}ing “{command.text()}”: it was not done in {self.what}."
                f" {verb.capitalize()} it in the window where it was made (or the main window)."
            )
