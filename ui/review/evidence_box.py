"""The evidence of a verdict being drafted: the spans listed, Add (a searchable
picker) and Remove. The window owns the draft; the box reports each change."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from app.models import SpanId
from app.storage.project import Project
from ui.review.evidence_dialog import EvidenceDialog
from ui.review.support import evidence_item, plain_label


class EvidenceBox(QWidget):
    def __init__(self, project: Project, changed: Callable[[list[SpanId]], None]) -> None:
        super().__init__()
        self.project, self._changed = project, changed
        self.spans: list[SpanId] = []
        self.dialog: EvidenceDialog | None = None
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # digits stay verdict keys
        self.list.setMaximumHeight(80)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(plain_label("Evidence:"), 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        for text, slot in (("Add evidence…", self.add), ("Remove evidence", self.remove)):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, run=slot: run())
            buttons.addWidget(button)
        row.addLayout(buttons)

    def show_spans(self, spans: list[SpanId]) -> None:
        self.spans = list(spans)
        self.list.clear()
        for span_id in self.spans:
            self.list.addItem(evidence_item(self.project, span_id))

    def add(self) -> EvidenceDialog:
        """Open the picker; its choice is added."""
        self.dialog = EvidenceDialog(self.project, self)
        self.dialog.span_chosen.connect(self.picked)
        self.dialog.open()
        return self.dialog

    def picked(self, span_id: int) -> None:
        if SpanId(span_id) not in self.spans:
            self._changed([*self.spans, SpanId(span_id)])

    def remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self._changed(self.spans[:row] + self.spans[row + 1 :])
