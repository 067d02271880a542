"""Team progress: per annotator (assigned, finished, annotated), per document
(assigned to, marks, curation state) and curation overall, from
`app.team.progress`. Assign… gives the selected documents to annotators; the
marks are set by each annotator on their own document (Review menu)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import ParallaxError
from app.storage.changes import Changes
from app.team.progress import assign, team_progress
from ui.open_project import OpenProject
from ui.review.support import show_error

PEOPLE = ("Annotator", "Assigned", "Finished", "Annotated")
DOCUMENTS = ("Document", "Assigned to", "Marks", "Curation")


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


class ProgressDialog(QDialog):
    def __init__(self, session: OpenProject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.project = session, session.project
        self.setWindowTitle(f"Team progress — {self.project.path.name}")
        self.resize(820, 560)
        self.people, self.documents = _table(PEOPLE), _table(DOCUMENTS)
        self.curation = QLabel()
        self.assign_button = QPushButton("Assign selected documents…")
        self.assign_button.clicked.connect(lambda _=False: self.assign_selected())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Annotators"))
        layout.addWidget(self.people, 1)
        layout.addWidget(QLabel("Documents"))
        layout.addWidget(self.documents, 2)
        row = QHBoxLayout()
        row.addWidget(self.curation, 1)
        row.addWidget(self.assign_button)
        layout.addLayout(row)
        session.operation_did_execute.connect(self._on_operation)
        self.refresh()

    def refresh(self) -> None:
        found = team_progress(self.project)
        self.ids = [d.document_id for d in found.documents]
        _fill(self.people, [(a.name, str(a.assigned), str(a.finished), str(a.annotated)) for a in found.annotators])
        _fill(
            self.documents,
            [
                (
                    " · ".join(x for x in (d.title or "untitled", d.outlet) if x),
                    ", ".join(d.assigned),
                    ", ".join(f"{who}: {m.value}" for who, m in sorted(d.marks.items())),
                    d.curation.value,
                )
                for d in found.documents
            ],
        )
        self.curation.setText("Curation: " + ", ".join(f"{n} {s.value}" for s, n in found.curation.items()))

    def selected(self) -> list[int]:
        return sorted({self.ids[i.row()] for i in self.documents.selectedIndexes()})

    def ask_names(self) -> str | None:
        text, ok = QInputDialog.getText(self, "Assign", "Annotators (comma-separated; empty clears):")
        return text if ok else None

    def assign_selected(self) -> None:
        chosen = self.selected()
        names = self.ask_names() if chosen else None
        if names is None:
            return
        try:
            self.session.run(
                f"Assign {len(chosen)} document(s)",
                lambda: assign(self.project, chosen, [n for n in names.split(",")]),
                self,
            )
        except ParallaxError as exc:
            show_error(self, str(exc))

    def _on_operation(self, changes: Changes, _initiator: object) -> None:
        if changes.settings or changes.spans or changes.documents or changes.curation:
            self.refresh()
