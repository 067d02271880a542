"""The suggestions panel: one row per fact across the articles (a disagreement, a succession,
an entity cluster).

Each row says why ("weekday differs: Monday / Tuesday") and what each article says, with
its outlet and date; the tooltip quotes each passage clipped around the differing words.
Selecting one shows its first two passages side by side; Accept (Enter) creates the spans
and every link of the row in one undoable step, Reject (Delete) remembers the rejection in
the project.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import ParallaxError
from app.models import LinkKind
from app.reconcile.decisions import accept
from app.reconcile.mention import Suggestion
from app.storage.project import Project
from app.text.clip import clip_around
from ui.open_project import OpenProject
from ui.plain import tooltip
from ui.table_model import RowTableModel
from ui.workspace.compare_view import LINK_COLORS

COLUMNS = ("Kind", "Why", "What each article says", "Articles", "Score")


class SuggestionsModel(RowTableModel[Suggestion]):
    columns = COLUMNS

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def load(self) -> list[Suggestion]:
        from app.events.jobs import suggest_events  # the finder (rapidfuzz and all): on first use

        return suggest_events(self.project)  # within each event; all articles as one when there are none

    def cell(self, row: Suggestion, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            kind = f"{row.kind} (minor)" if row.minor else row.kind
            says = self._says(row)
            articles = f"{len(row.documents)}: " + ", ".join(self._name(doc) for doc in row.documents)
            return (kind, row.reason, says, articles, f"{row.score:.0f}")[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self._quotes(row) if column == 2 else row.reason)
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QColor(LINK_COLORS[LinkKind(row.link_kind)])
        return None

    def _says(self, row: Suggestion) -> str:
        """Each distinct wording with the outlets that use it: "Tuesday: GreekReporter · Monday: Al Arabiya"."""
        outlets: dict[str, list[str]] = {}
        for m in row.mentions:
            names = outlets.setdefault(m.said or m.text, [])
            if self._name(m.doc) not in names:
                names.append(self._name(m.doc))
        return " · ".join(f"{words}: {', '.join(names)}" for words, names in outlets.items())

    def _name(self, doc: int) -> str:
        found = self.project.document(doc)
        return found.source or found.title[:30].rstrip()

    def _quotes(self, row: Suggestion) -> str:
        """Each article's passage, clipped around the words that differ, with its date."""
        lines = []
        for m in row.mentions:
            quote = clip_around(self.project.text(m.doc), m.passage_start, m.passage_end, m.start, m.end, 160)
            lines.append(f"{self._name(m.doc)} ({m.published or 'no date'}): {quote}")
        return "\n".join(lines)


class SuggestionTable(QTableView):
    accept_pressed = Signal()
    reject_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_pressed.emit()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.reject_pressed.emit()
        else:
            super().keyPressEvent(event)


class SuggestionsPanel(QWidget):
    suggestion_selected = Signal(object)  # Suggestion
    error = Signal(str)

    def __init__(self, session: OpenProject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = SuggestionsModel(session.project)
        self.table = SuggestionTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            stretch = column in (1, 2, 3)
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.ResizeToContents
            )
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.table.accept_pressed.connect(self.accept_current)
        self.table.reject_pressed.connect(self.reject_current)
        self.status = QLabel("Press Find to compare the articles.")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        for text, slot in (
            ("Find", self.refresh),
            ("Accept (Enter)", self.accept_current),
            ("Reject (Del)", self.reject_current),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, run=slot: run())
            buttons.addWidget(button)
        buttons.addWidget(self.status, 1)
        session.operation_did_execute.connect(self._on_session_operation)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        self.model.reload()
        count = self.model.rowCount()
        self.status.setText(f"{count} suggestions" if count else "No suggestions: nothing disagrees.")

    def _on_session_operation(self, changes: Any, initiator: object) -> None:
        """After an undo or redo (or links made elsewhere), show the list as it now is."""
        if initiator is not self and self.model.rowCount() and (changes.settings or changes.links):
            self.refresh()

    def current(self) -> Suggestion | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def accept_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return

        try:
            outcome = accept(self.session.project, chosen, self.session.annotator_id)
        except ParallaxError as exc:
            self.error.emit(str(exc))
            return
        self.session.record(f"Accept suggestion: {chosen.reason}", outcome, initiator=self)
        self._drop(chosen)

    def reject_current(self) -> None:
        chosen = self.current()
        if chosen is not None:
            from app.reconcile.decisions import reject

            self.session.run(
                f"Reject suggestion: {chosen.reason}", lambda: reject(self.session.project, chosen), initiator=self
            )
            self._drop(chosen)

    def _drop(self, chosen: Suggestion) -> None:
        """Take a decided row out and move to the next one."""
        row = self.model.rows.index(chosen)
        self.model.beginRemoveRows(self.table.rootIndex(), row, row)
        self.model.rows.pop(row)
        self.model.endRemoveRows()
        self.status.setText(f"{self.model.rowCount()} suggestions left")
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))

    def _on_row_changed(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            self.suggestion_selected.emit(self.model.rows[current.row()])
