"""A label confusion matrix drawn as a heat map: rows and columns are labels
(the last is "O", no label), each cell the number of tokens one annotator gave
the row's label and another the column's. The colour scale leaves out O/O,
which would swamp everything else; the diagonal is agreement."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

CELL = 46
HOT = QColor("#b91c1c")  # confusion
AGREE = QColor("#0072B2")  # the diagonal


class HeatMap(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: tuple[str, ...] = ()
        self.counts: tuple[tuple[int, ...], ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_matrix(self, labels: tuple[str, ...], counts: tuple[tuple[int, ...], ...]) -> None:
        self.labels, self.counts = labels, counts
        self.updateGeometry()
        self.update()

    def _names(self) -> int:
        return max((self.fontMetrics().horizontalAdvance(x) for x in self.labels), default=0) + 12

    def sizeHint(self) -> QSize:
        side = self._names() + CELL * len(self.labels) + 16
        return QSize(side, side)

    def cell_color(self, row: int, column: int) -> QColor:
        """Stronger for more tokens, against the largest count other than O/O."""
        last = len(self.labels) - 1
        top = max((n for i, r in enumerate(self.counts) for j, n in enumerate(r) if (i, j) != (last, last)), default=0)
        value = self.counts[row][column]
        color = QColor(AGREE if row == column else HOT)
        color.setAlphaF(0.0 if not top or (row, column) == (last, last) else min(1.0, value / top) * 0.85)
        return color

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        text = self.palette().color(QPalette.ColorRole.Text)
        if not self.labels or not any(map(any, self.counts)):
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No tokens compared yet.")
            painter.end()
            return
        left = top = self._names()
        for index, name in enumerate(self.labels):
            painter.setPen(text)
            painter.drawText(
                QRectF(0, top + index * CELL, left - 6, CELL),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            painter.save()
            painter.translate(left + index * CELL + CELL / 2, top - 6)
            painter.rotate(-90)
            painter.drawText(
                QRectF(0, -CELL / 2, left - 6, CELL), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name
            )
            painter.restore()
        for i, row in enumerate(self.counts):
            for j, value in enumerate(row):
                box = QRectF(left + j * CELL, top + i * CELL, CELL - 2, CELL - 2)
                painter.fillRect(box, self.cell_color(i, j))
                painter.setPen(QColor("#cbd2d9"))
                painter.drawRect(box)
                painter.setPen(text)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(value))
        painter.end()
