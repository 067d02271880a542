"""The Assist panel: which recommenders propose, and how far to trust the trained one.

Shows the trained model's held-out precision and recall beside it, its
training progress, and lets the user retrain now or propose with an
installed spaCy pipeline instead (chosen by name; nothing is downloaded).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.assist.model import Scores
from ui.workspace.proposals import ProposalController

KEYS_HINT = (
    "Proposals are outlined: dashes = string match, dash-dots = trained model.  Enter accept ·"
    " Shift+Enter accept all of this text · Backspace reject · F8 next proposal"
)


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class TextLine(QWidget):
    """One line of plain text whose changes repaint it and nothing else.

    A QLabel's new text asks its layout to lay out again, and that climbs to the main
    window (docks, separators, status bar) on every hotkey, as the proposal count changes.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, self.fontMetrics().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(self.text, Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)


def describe_scores(scores: Scores | None, pipeline: str | None) -> str:
    if pipeline is not None:
        return f"Model: installed pipeline {pipeline} (not measured on this project)"
    if scores is None:
        return "Model: not trained yet"
    if scores.precision is None or scores.recall is None:
        return f"Model: trained on {scores.spans} spans; too few sentences to hold any out for measuring"
    return (
        f"Model: trained on {scores.spans} spans in {scores.seconds:.0f} s — held-out precision"
        f" {scores.precision:.0%}, recall {scores.recall:.0%} ({scores.held_out} sentences)"
    )


class AssistPanel(QWidget):
    def __init__(self, controller: ProposalController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        model = controller.model
        self.string_box = QCheckBox("Propose other occurrences of tagged text (string match)")
        self.string_box.setChecked(controller.string_enabled)
        self.string_box.toggled.connect(self._on_string_toggled)
        self.model_box = QCheckBox("Propose with a model trained on my spans")
        self.model_box.setChecked(model.enabled)
        self.model_box.toggled.connect(self._on_model_toggled)
        self.retrain = QPushButton("Retrain now")
        self.retrain.clicked.connect(lambda: controller.refresh(retrain=True))
        self.pipeline = QPushButton("Use installed pipeline…")
        self.pipeline.clicked.connect(model.installed_names)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFormat("Training… %p%")
        self.progress.hide()
        self.scores = _plain(f"Model: trains once you have tagged {model.min_spans} entities")
        self.count = TextLine()
        self.keys = _plain(KEYS_HINT)
        row = QHBoxLayout()
        row.addWidget(self.model_box, 1)
        row.addWidget(self.retrain)
        row.addWidget(self.pipeline)
        layout = QVBoxLayout(self)
        layout.addWidget(self.string_box)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.scores)
        layout.addWidget(self.count)
        layout.addWidget(self.keys)
        layout.addStretch(1)
        controller.status.connect(self.count.set_text)
        model.progress.connect(self._on_model_progress)
        model.trained.connect(self._on_model_trained)
        model.failed.connect(self._on_model_failed)
        model.installed.connect(self._on_model_installed)

    def _on_string_toggled(self, on: bool) -> None:
        self.controller.string_enabled = on
        self.controller.refresh()

    def _on_model_toggled(self, on: bool) -> None:
        self.controller.model.enabled = on
        self.controller.refresh()

    def _on_model_progress(self, percent: int) -> None:
        if self.progress.isHidden():
            self.scores.setText("Model: training on your spans in the background…")
        self.progress.setValue(percent)
        self.progress.show()

    def _on_model_trained(self, scores: Scores | None) -> None:
        self.progress.hide()
        self.scores.setText(describe_scores(scores, self.controller.model.pipeline))

    def _on_model_failed(self, message: str) -> None:
        self.progress.hide()
        self.scores.setText(f"Model: {message}")

    def _on_model_installed(self, names: list[str]) -> None:
        own = "(train on my spans)"
        name, ok = QInputDialog.getItem(
            self, "Installed spaCy pipeline", "Pipeline name or folder:", [own, *names], 0, True
        )
        if ok and name:
            self.controller.model.use_pipeline(None if name == own else name)
            self.scores.setText("Model: loading…" if name != own else describe_scores(None, None))
            self.controller.refresh(retrain=name == own)
