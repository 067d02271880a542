"""The Agreement view: a table of agreement figures and a bar chart of one measure
(everyone, a pair, or an annotator against gold), agreement per document, and
the label confusion matrix as a heat map (`ui.team.heatmap`).

Everything comes from `app.team.agreement`; this module only shows it. The chart
is drawn with QPainter (QtCharts is not part of PySide6-Essentials).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.storage.project import Project
from app.team.agreement import ALL_LABELS, ALL_LINKS, AgreementReport, agreement
from app.team.agreement_tables import (
    COLUMNS,
    DOCUMENT_COLUMNS,
    MEASURES,
    Row,
    document_cells,
    number,
    pair_name,
    pair_rows,
    table_rows,
    to_tsv,
)
from ui.table_model import RowTableModel
from ui.team.heatmap import HeatMap

TOTALS = frozenset({ALL_LABELS, ALL_LINKS})
EVERYONE = "Everyone (F1 and κ: mean over pairs; α: all annotators)"
TOTAL_COLOR, LINK_COLOR = "#555555", "#8a8a8a"
Bar = tuple[str, float | None, str]  # name, value, colour


class AgreementModel(RowTableModel[Row]):
    """The rows of `table_rows(report, pair)`; `pair` None is everyone."""

    columns = COLUMNS

    def __init__(self, report: AgreementReport) -> None:
        super().__init__()
        self.report = report
        self.pair: int | None = None  # an index in report.pairs; -1 - i: report.versus_gold[i]
        self.reload()

    def show_pair(self, pair: int | None) -> None:
        self.pair = pair
        self.reload()

    def load(self) -> list[Row]:
        if self.pair is not None and self.pair < 0:
            return pair_rows(self.report.versus_gold[-1 - self.pair])
        return table_rows(self.report, self.pair)

    def cell(self, row: Row, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells()[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.FontRole and row.name in TOTALS:
            font = QFont()
            font.setBold(True)
            return font
        return None


class BarChart(QWidget):
    """Horizontal bars, one per (name, value); None is drawn as a dash, no bar."""

    ROW = 24
    MARGIN = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[Bar], empty_text: str = "") -> None:
        self.bars, self.empty_text = bars, empty_text
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, self.ROW * max(len(self.bars), 2) + 2 * self.MARGIN + self.fontMetrics().height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def scale(self) -> tuple[float, float]:
        """The axis: 0 to 1, reaching down to a negative value in steps of 0.25."""
        values = [v for _, v, _ in self.bars if v is not None]
        return min(0.0, math.floor(min(values, default=0.0) * 4) / 4), 1.0

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.Text)
        if not self.bars or all(v is None for _, v, _ in self.bars):
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            painter.end()
            return
        metrics = self.fontMetrics()
        names = min(max(metrics.horizontalAdvance(name) for name, _, _ in self.bars) + 12, self.width() // 3)
        figures = metrics.horizontalAdvance("−0.000") + 8
        left, right = self.MARGIN + names, self.width() - self.MARGIN - figures
        low, high = self.scale()

        def x(value: float) -> float:
            return left + (value - low) / (high - low) * (right - left)

        bottom = self.MARGIN + self.ROW * len(self.bars)
        grid = QColor(text)
        grid.setAlpha(50)
        steps = round((high - low) * 4)
        for step in range(steps + 1):
            tick = low + step / 4
            painter.setPen(grid if tick else text)
            painter.drawLine(round(x(tick)), self.MARGIN, round(x(tick)), bottom)
            painter.setPen(text)
            painter.drawText(
                QRectF(x(tick) - 30, bottom + 2, 60, metrics.height()), Qt.AlignmentFlag.AlignHCenter, f"{tick:g}"
            )
        for index, (name, value, color) in enumerate(self.bars):
            top = self.MARGIN + index * self.ROW
            painter.setPen(text)
            painter.drawText(
                QRectF(self.MARGIN, top, names - 8, self.ROW),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, names - 8),
            )
            end = x(value) if value is not None else x(0)
            if value is not None:
                bar = QRectF(min(x(0), end), top + 4, abs(end - x(0)), self.ROW - 8)
                painter.fillRect(bar, QColor(color))
            painter.drawText(
                QRectF(max(x(0), end) + 4, top, figures, self.ROW),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                number(value),
            )
        painter.end()


class AgreementDialog(QDialog):
    """Agreement between the project's annotators (gold left out), per label and link kind."""

    def __init__(self, project: Project, parent: QWidget | None = None, report: AgreementReport | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Agreement — {project.path.name}")
        self.report = report if report is not None else agreement(project)
        self.colors = {x.name: x.color for x in project.labels()}
        self.summary = QLabel(self._summary())
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.pairs = QComboBox()
        self.pairs.addItem(EVERYONE, None)
        for index, pair in enumerate(self.report.pairs):
            self.pairs.addItem(pair_name(pair), index)
        for index, pair in enumerate(self.report.versus_gold):
            self.pairs.addItem(f"{pair.first} against gold", -1 - index)
        self.model = AgreementModel(self.report)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.measure = QComboBox()
        for key, title in MEASURES.items():
            self.measure.addItem(title, key)
        self.measure.setCurrentIndex(self.measure.findData("overlap_f1"))
        self.chart = BarChart()
        self.documents = QTableWidget(len(self.report.by_document), len(DOCUMENT_COLUMNS))
        self.documents.setHorizontalHeaderLabels(DOCUMENT_COLUMNS)
        self.documents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.documents.verticalHeader().hide()
        for row, item in enumerate(self.report.by_document):
            for column, text in enumerate(document_cells(item)):
                self.documents.setItem(row, column, QTableWidgetItem(text))
        self.documents.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.heatmap = HeatMap()
        self.heatmap.set_matrix(self.report.confusion_labels, self.report.confusion)
        self.copy = QPushButton("Copy as TSV")
        self.copy.setAutoDefault(False)
        self.copy.clicked.connect(self._on_copy_clicked)
        self._layout()
        self.pairs.currentIndexChanged.connect(self._on_pairs_changed)
        self.measure.currentIndexChanged.connect(self._refresh_chart)
        self._refresh_chart()
        self.resize(760, 640)

    def _layout(self) -> None:
        choices = QFormLayout()
        choices.addRow("Compare:", self.pairs)
        choices.addRow("Chart:", self.measure)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        figures = QWidget()
        inner = QVBoxLayout(figures)
        inner.addLayout(choices)
        inner.addWidget(self.table, 1)
        inner.addWidget(self.chart)
        confusion = QWidget()
        heat = QVBoxLayout(confusion)
        heat.addWidget(
            QLabel("Tokens one annotator gave the row's label and another the column's (every pair, both ways).")
        )
        heat.addWidget(self.heatmap, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(figures, "Figures")
        self.tabs.addTab(self.documents, "Per document")
        self.tabs.addTab(confusion, "Label confusion")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def _summary(self) -> str:
        report = self.report
        if not report.pairs:
            return (
                "Agreement needs spans from at least two annotators in the same document"
                f" (annotators found: {', '.join(report.annotators) or 'none'}; gold is left out)."
            )
        return (
            f"{len(report.annotators)} annotators ({', '.join(report.annotators)}); gold left out."
            f" Documents annotated by two or more: {report.documents}; tokens: {report.tokens}."
            " A document counts for a pair when both made a span in it."
        )

    def bars(self) -> list[Bar]:
        """The chart's bars: the chosen measure per row (κ and α only for labels)."""
        key = self.measure.currentData()
        return [
            (row.name, getattr(row, key), self._color(row))
            for row in self.model.rows
            if not (row.link and key in ("kappa", "alpha"))
        ]

    def _color(self, row: Row) -> str:
        if row.name in TOTALS:
            return TOTAL_COLOR
        return LINK_COLOR if row.link else self.colors.get(row.name, LINK_COLOR)

    def _on_pairs_changed(self, _index: int) -> None:
        self.model.show_pair(self.pairs.currentData())
        self._refresh_chart()

    def _refresh_chart(self) -> None:
        self.chart.set_bars(self.bars(), "Nothing to chart: no figure is defined for this choice.")

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(to_tsv(self.model.rows))
