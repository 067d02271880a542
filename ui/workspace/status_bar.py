"""The status bar: who is annotating, the others' spans toggle, and what undo/redo just did
(so an old message never outlives the edit it described)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QStatusBar
from shiboken6 import isValid

from ui.open_project import OpenProject

MESSAGE_MS = 8000


class StatusLine:
    def __init__(self, bar: QStatusBar, session: OpenProject) -> None:
        self.bar, self.session = bar, session
        self.annotator_label = QLabel()
        self.annotator_label.setTextFormat(Qt.TextFormat.PlainText)
        self.others_box = QCheckBox("Show other annotators' spans")
        self.others_box.setChecked(True)
        bar.addPermanentWidget(self.others_box)
        bar.addPermanentWidget(self.annotator_label)
        self._index = session.undo_stack.index()
        self._next_redo = session.undo_stack.command(self._index)  # what a redo would replay
        session.undo_stack.indexChanged.connect(self._on_index_changed)
        session.annotator_changed.connect(self.show_annotator)
        self.show_annotator(session.annotator)

    def show(self, text: str, ms: int = MESSAGE_MS) -> None:
        self.bar.showMessage(text, ms)

    def show_annotator(self, name: str) -> None:
        self.annotator_label.setText(f"Annotator: {name}")

    def _on_index_changed(self, index: int) -> None:
        stack, before, next_redo = self.session.undo_stack, self._index, self._next_redo
        if not isValid(stack) or not isValid(self.bar):  # the stack clears itself while being deleted
            return
        self._index, self._next_redo = index, stack.command(index)
        undone, done = stack.command(index), stack.command(index - 1)
        if index < before and undone is not None:
            self.show(f"Undone: {undone.text()}")
        elif index > before and done is not None:
            self.show(f"Redone: {done.text()}" if done is next_redo else done.text())
        else:  # a step dropped as obsolete: whatever the bar said is stale
            self.bar.clearMessage()
