"""The curation window: the annotators' versions of one document side by side,
each candidate item accepted into the gold layer or rejected with one key.

The table lists every item (spans, then links) with one ✓ column per
annotator and its state (rejected items struck through); the text beside it
shows the gold layer painted and open items with a dashed underline. Decisions
are `app.team.curation` operations, undone exactly on the session's main stack.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QShowEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QToolBar,
    QWidget,
)

from app.errors import ParallaxError
from app.models import GOLD, AnnotatorId, CodePoint, DocumentId, Label, LabelId, SpanId, SpanRow
from app.storage.changes import Changes, Outcome
from app.storage.project import Project
from app.team import curation as adj
from app.team.curation import Candidate, State, StateChange
from app.team.progress import CurationState, curation_states, finish_curation
from ui.deferred import Coalescer
from ui.open_project import OpenProject
from ui.plain import tooltip
from ui.scoped_undo import ScopedUndo
from ui.table_model import RowTableModel
from ui.workspace.article_view import ArticleView, Mark

STATE_COLORS = {State.AGREED: "#009E73", State.ACCEPTED: "#0072B2", State.REJECTED: "#D55E00", State.OPEN: "#E69F00"}
ITEM, TEXT = 0, 1  # then one column per annotator, then the state


class CandidateTableModel(RowTableModel[Candidate]):
    """The items of one document: label, text, a ✓ per annotator, state."""

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.document_id: int | None = None
        self.annotators: list[str] = []
        self.columns = ("Item", "Text", "State")
        self.colors: dict[str, str] = {}
        self.titles: dict[str, str] = {}

    def load(self) -> list[Candidate]:
        found = [] if self.document_id is None else adj.candidates(self.project, self.document_id)
        self.annotators = sorted({name for c in found for name in c.annotators})
        self.columns = ("Item", "Text", *self.annotators, "State")
        self.colors = {x.name: x.color for x in self.project.labels()}
        self.titles = {d.uuid: d.title or f"Document {d.id}" for d in self.project.documents()}
        return found

    def refresh(self) -> None:
        """Re-read; when the same items remain, only their cells change (the view keeps its place)."""
        old_keys, old_columns = [c.key for c in self.rows], self.columns
        rows = self.load()
        if [c.key for c in rows] != old_keys or self.columns != old_columns:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
        elif rows:
            self.rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.columns) - 1))

    def show(self, document_id: int) -> None:
        self.document_id = document_id
        self.reload()

    def row_of(self, key: str) -> int:
        return next((i for i, c in enumerate(self.rows) if c.key == key), -1)

    def cell(self, row: Candidate, column: int, role: int) -> Any:
        state_column = len(self.columns) - 1
        if role == Qt.ItemDataRole.DisplayRole:
            if column == ITEM:
                rivals = ", ".join(dict.fromkeys(key.rsplit(":", 1)[-1] for key in row.rivals))
                return row.label + (f" (or {rivals})" if rivals else "") if row.kind == "span" else f"link: {row.label}"
            if column == TEXT:
                return " ".join(row.quote.split())
            if column == state_column:
                return row.state.value
            return "✓" if self.annotators[column - 2] in row.annotators else ""
        if role == Qt.ItemDataRole.ToolTipRole and column == TEXT:
            where = [self.titles.get(uuid, "?") for uuid, _ in row.ends or ()]
            return tooltip(row.quote + (f"\nfrom “{where[0]}” to “{where[1]}”" if where else ""))
        if role == Qt.ItemDataRole.DecorationRole and column == ITEM and row.label in self.colors:
            return QColor(self.colors[row.label])
        if role == Qt.ItemDataRole.ForegroundRole and column == state_column:
            return QColor(STATE_COLORS[row.state])
        if role == Qt.ItemDataRole.FontRole and row.state == State.REJECTED and column == TEXT:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return Qt.AlignmentFlag.AlignCenter
        return None


class CurationWindow(QMainWindow):
    """Curate one document at a time; every decision is one undoable step on the main stack."""

    def __init__(self, session: OpenProject, document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.session, self.project = session, session.project
        self.document_id = document_id
        self.model = CandidateTableModel(self.project)
        self.table = QTableView()
        self.view = ArticleView()
        self.chooser = QComboBox()
        self.counts_label = QLabel()
        self._build()
        self.refresher = Coalescer(self._on_changes, self)
        self._missed = Changes()
        session.operation_did_execute.connect(self._on_session_operation)
        self.resize(1200, 700)
        self.show_document(document_id)

    # ---- building ----------------------------------------------------
    def _build(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.model.modelReset.connect(self._fit_columns)
        self.view.text_clicked.connect(self._on_view_text_clicked)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(table)
        splitter.addWidget(self.view)
        splitter.setSizes([560, 640])
        self.setCentralWidget(splitter)
        self._fill_chooser()
        self.chooser.setMinimumContentsLength(24)
        self.chooser.activated.connect(lambda index: self.show_document(int(self.chooser.itemData(index))))
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)  # only fixed words and numbers
        self._build_toolbar()
        self.statusBar().addPermanentWidget(self.counts_label)

    def _fill_chooser(self) -> None:
        self.chooser.clear()
        for index, document in enumerate(self.project.documents()):
            self.chooser.addItem(document.title or f"Document {document.id}", document.id)
            self.chooser.setItemData(
                index, tooltip(f"{document.title}\n{document.source}"), Qt.ItemDataRole.ToolTipRole
            )
        self.chooser.setCurrentIndex(self.chooser.findData(self.document_id))

    def _build_toolbar(self) -> None:
        bar = QToolBar("Curation")
        bar.setMovable(False)
        self.addToolBar(bar)
        bar.addWidget(self.chooser)
        bar.addSeparator()
        self.actions_: dict[str, QAction] = {}
        for name, text, keys, slot in (
            ("accept", "Accept", ["A"], lambda: self.decide(State.ACCEPTED)),
            ("keep", "Keep both", ["K"], lambda: self.decide(State.ACCEPTED, keep_rivals=True)),
            ("reject", "Reject", ["R"], lambda: self.decide(State.REJECTED)),
            ("reset", "Reopen", ["O", "Backspace"], lambda: self.decide(State.OPEN)),
            ("previous", "Prev. open", ["P"], lambda: self.step_open(-1)),
            ("next", "Next open", ["N"], lambda: self.step_open(1)),
            ("agreed", "All agreed", ["Shift+A"], self.accept_agreed),
            ("finish", "Finish", ["F"], self.toggle_finished),
        ):
            action = QAction(f"{text} ({keys[0]})", self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setToolTip(f"{text} ({' or '.join(keys)})")
            action.triggered.connect(lambda _=False, run=slot: run())
            bar.addAction(action)
            self.actions_[name] = action
        bar.addSeparator()
        self.undo = ScopedUndo(
            self,
            self.session.undo_stack,
            lambda changes: changes.curation,
            "the curation window",
            lambda text: self.statusBar().showMessage(text, 8000),
        )
        bar.addActions([self.undo.undo, self.undo.redo])

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)

    # ---- showing -----------------------------------------------------
    def show_document(self, document_id: int) -> None:
        """Show a document's items; agreed items go into gold unless that was done here before."""
        self.document_id = document_id
        document = self.project.document(document_id)
        self.chooser.setCurrentIndex(self.chooser.findData(document_id))
        self.setWindowTitle(f"Curation — {document.title or f'Document {document_id}'}")
        self.model.show(document_id)
        self.view.set_marks("curation", [])  # they belong to the text shown before
        self.view.show_text(document.text)
        if not adj.preaccepted(self.project, document_id):
            self._record(
                "Pre-accept agreed items",
                lambda: adj.preaccept_agreed(self.project, document_id, self.session.annotator),
            )
        self.refresh()
        self.step_open(1, from_row=-1)

    def refresh(self) -> None:
        """Re-read the items, the gold spans and the counts; keep the current item."""
        current = self.current()
        self.model.refresh()
        self._paint()
        found = self.model.row_of(current.key) if current else -1
        if found >= 0:
            self.select_row(found, scroll=False)
        counts = Counter(c.state for c in self.model.rows)
        stage = curation_states(self.project).get(self.document_id, CurationState.OPEN)
        self.counts_label.setText(
            f"<b>curation {stage.value}</b> · "
            + " · ".join(f"<span style='color:{STATE_COLORS[s]}'>{s.value}</span> {counts[s]}" for s in State)
        )

    def _paint(self) -> None:
        gold = next((a.id for a in self.project.annotators() if a.name == GOLD), None)
        spans = [s for s in self.project.span_rows(self.document_id) if s.annotator_id == gold]
        ids: set[int] = {s.id for s in spans}
        linked: set[int] = {x for link in self.project.links() for x in (link.source_span_id, link.target_span_id)}
        labels: dict[int, Label] = {x.id: x for x in self.project.labels()}
        self.view.set_spans(spans, labels, linked & ids, {gold: GOLD} if gold is not None else {})
        self.view.set_marks(
            "curation",
            [Mark(c.start, c.end, OPEN_MARK) for c in self.model.rows if c.kind == "span" and c.state == State.OPEN],
        )
        self._show_current()

    def flush(self) -> None:
        """Run a pending refresh now (tests, and before a screenshot)."""
        self.refresher.flush()
        self.view.finish_highlighting()

    # ---- the current item ---------------------------------------------
    def current(self) -> Candidate | None:
        row = self.table.currentIndex().row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def select_row(self, row: int, scroll: bool = True) -> None:
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(self.model.index(row, ITEM), flags)
        if scroll:
            self.table.scrollTo(self.model.index(row, ITEM))

    def _on_table_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    def _show_current(self) -> None:
        item = self.current()
        if item is None:
            self.view.select_span(None)
            return
        shown = SpanRow(
            SpanId(-1),
            DocumentId(self.document_id),
            CodePoint(item.start),
            CodePoint(item.end),
            LabelId(-1),
            AnnotatorId(-1),
            item.quote,
            "",
        )
        self.view.select_span(shown)

    def _on_view_text_clicked(self, offset: int) -> None:
        covering = [i for i, c in enumerate(self.model.rows) if c.start <= offset < c.end and c.kind == "span"]
        if covering:
            self.select_row(min(covering, key=lambda i: self.model.rows[i].end - self.model.rows[i].start))

    def step_open(self, step: int, from_row: int | None = None) -> None:
        """Select the next (or previous) open item after the current one, wrapping around."""
        rows, start = self.model.rows, self.table.currentIndex().row() if from_row is None else from_row
        for offset in range(1, len(rows) + 1):
            row = (start + step * offset) % len(rows)
            if rows[row].state == State.OPEN:
                self.select_row(row)
                return
        self.statusBar().showMessage("No open items left in this document.", 4000)

    # ---- deciding ----------------------------------------------------
    def decide(self, state: State, keep_rivals: bool = False) -> None:
        """Set the current item's state; after accepting or rejecting, move to the next open item.
        Accepting rejects competing items (same place, other label) unless `keep_rivals` (K)."""
        item = self.current()
        if item is None:
            self.statusBar().showMessage("Pick an item in the list first.", 4000)
            return
        verb = {State.ACCEPTED: "Accept", State.REJECTED: "Reject", State.OPEN: "Reopen"}[state]
        done = self._record(
            f"{verb} {item.label} “{' '.join(item.quote.split())[:30]}”",
            lambda: adj.set_state(
                self.project, self.document_id, item.key, state, self.session.annotator, keep_rivals=keep_rivals
            ),
        )
        self.refresh()
        if done and state != State.OPEN:
            self.step_open(1)

    def toggle_finished(self) -> None:
        """Mark the document's curation finished (gold exports take finished documents), or reopen it."""
        done = curation_states(self.project)[self.document_id] == CurationState.FINISHED
        text = "Reopen curation" if done else "Finish curation"
        self.session.run(
            f"{text} of “{self.project.document(self.document_id).title}”",
            lambda: finish_curation(self.project, self.document_id, not done),
            self,
        )
        self.refresh()

    def accept_agreed(self) -> None:
        self._record(
            "Accept agreed items", lambda: adj.preaccept_agreed(self.project, self.document_id, self.session.annotator)
        )
        self.refresh()

    def _record(self, text: str, operation: Callable[[], Outcome[StateChange]]) -> bool:
        """Run a curation edit and push it on the main undo stack; False if refused or empty."""
        try:
            outcome = operation()
        except ParallaxError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return False
        if outcome.value.empty:
            return False
        self.session.record(text, outcome, self)
        return True

    def _on_session_operation(self, changes: Changes, initiator: object) -> None:
        if initiator is self:  # our own edits refresh at once
            return
        if self.isVisible():
            self.refresher.add(changes)
        else:  # hidden: catch up when shown again
            self._missed = self._missed | changes

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        missed, self._missed = self._missed, Changes()
        if missed != Changes():
            self._on_changes(missed)

    def _on_changes(self, changes: Changes) -> None:
        if changes.documents:
            self._fill_chooser()
            if self.chooser.findData(self.document_id) < 0:  # its document is gone (an import undone)
                self.close()
                return
        if changes.spans or changes.links or changes.labels or changes.annotators:
            self.refresh()


def _open_mark() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineColor(QColor(STATE_COLORS[State.OPEN]))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
    return fmt


OPEN_MARK = _open_mark()  # open items in the text: a dashed underline (gold is painted, rejected is plain)
