"""The start screen shown when Parallax runs without a project.

It only asks: each choice is emitted as a signal (`open_requested`,
`new_requested`, `sample_requested`) and the main window does the opening.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.plain import tooltip
from ui.settings import UserSettings

PROJECT_FILTER = "Parallax projects (*.parallax)"
SUFFIX = ".parallax"
PATH_ROLE = Qt.ItemDataRole.UserRole
DESCRIPTION = "Annotate news articles side by side and reconcile what their sources say."


def _plain_label(text: str, point_size: float | None = None, bold: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    font = label.font()
    if point_size is not None:
        font.setPointSizeF(point_size)
    font.setBold(bold)
    label.setFont(font)
    return label


def with_suffix(path: Path) -> Path:
    """The path a save dialog meant: `.parallax` added when missing."""
    return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)


class StartScreen(QWidget):
    """App name, three big buttons and the recent projects list."""

    open_requested = Signal(Path)
    new_requested = Signal(Path)
    sample_requested = Signal()

    def __init__(self, settings: UserSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setObjectName("start_screen")
        self.new_button = self._big_button("New project…", "Create an empty project file")
        self.open_button = self._big_button("Open…", "Open an existing project file")
        self.sample_button = self._big_button("Open sample", "Explore five sample articles")
        self.recent_list = QListWidget()
        self.recent_list.setObjectName("recent_projects")
        self.recent_list.setUniformItemSizes(True)
        self.recent_list.setAlternatingRowColors(True)
        self.empty_note = _plain_label("No recent projects yet.")
        self.empty_note.setEnabled(False)
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self._build_layout()
        self._connect()
        self.refresh()

    def _big_button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setMinimumSize(QSize(170, 56))
        font = button.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        button.setFont(font)
        return button

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        for button in (self.new_button, self.open_button, self.sample_button):
            buttons.addWidget(button)
        column = QVBoxLayout()
        column.setSpacing(12)
        column.addStretch(2)
        column.addWidget(self._title())
        column.addWidget(_plain_label(DESCRIPTION))
        column.addSpacing(24)
        column.addLayout(buttons)
        column.addSpacing(28)
        heading = _plain_label("Recent projects", bold=True)
        heading.setAlignment(Qt.AlignmentFlag.AlignLeft)
        column.addWidget(heading)
        column.addWidget(self.recent_list, 3)
        column.addWidget(self.empty_note)
        column.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 4)
        outer.addStretch(1)

    def _title(self) -> QLabel:
        title = _plain_label("Parallax", point_size=self.font().pointSizeF() * 2.6, bold=True)
        title.setObjectName("app_name")
        return title

    def _connect(self) -> None:
        self.new_button.clicked.connect(self._on_new_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.sample_button.clicked.connect(self.sample_requested)
        self.recent_list.itemActivated.connect(self._on_recent_activated)

    # ---- the recent list -------------------------------------------------
    def refresh(self) -> None:
        """Reload the recent projects from the settings."""
        self.recent_list.clear()
        for path in self._settings.recent_projects():
            self.recent_list.addItem(self._recent_item(path))
        has_any = self.recent_list.count() > 0
        self.recent_list.setVisible(has_any)
        self.empty_note.setVisible(not has_any)
        if has_any:
            self.recent_list.setCurrentRow(0)

    def _recent_item(self, path: Path) -> QListWidgetItem:
        missing = not path.exists()
        name = f"{path.name}  (missing)" if missing else path.name
        item = QListWidgetItem(f"{name}  —  {path.parent}")
        item.setData(PATH_ROLE, str(path))
        item.setToolTip(tooltip(str(path)))
        item.setSizeHint(QSize(0, self.fontMetrics().height() + 12))
        if missing:
            item.setForeground(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            item.setToolTip(tooltip(f"{path} no longer exists"))
        return item

    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        path = Path(item.data(PATH_ROLE))
        if path.exists():
            self.open_requested.emit(path)

    # ---- the buttons -----------------------------------------------------
    def _on_new_clicked(self) -> None:
        path = self._ask_new_path()
        if path is not None:
            self.new_requested.emit(with_suffix(path))

    def _on_open_clicked(self) -> None:
        path = self._ask_open_path()
        if path is not None:
            self.open_requested.emit(path)

    def _start_folder(self) -> str:
        recent = self._settings.recent_projects()
        return str(recent[0].parent) if recent else str(Path.home())

    def _ask_new_path(self) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, "New project", self._start_folder(), PROJECT_FILTER)
        return Path(chosen) if chosen else None

    def _ask_open_path(self) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Open project", self._start_folder(), f"{PROJECT_FILTER};;All files (*)"
        )
        return Path(chosen) if chosen else None
