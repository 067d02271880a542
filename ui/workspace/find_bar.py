"""Find in the current article (Ctrl+F): every match marked, Enter / F3 next, Shift+Enter / Shift+F3 previous."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut, QTextCharFormat
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from app.text.find import find_all
from ui.workspace.article_view import ArticleView, Mark
from ui.workspace.selection_look import farthest

LAYER = "find"
# Vivid, opaque highlighter fills. A label is drawn as a pale tint (every channel high), so a
# vivid fill never reads as one; of these, the one farthest from the project's label colours.
HIT_CANDIDATES = ("#FFFF00", "#7CFC00", "#00FFFF", "#FF66FF")  # yellow, lawn green, cyan, pink


def hit_color(label_colors: Iterable[str]) -> QColor:
    return farthest(HIT_CANDIDATES, label_colors)


def find_format(current: bool, label_colors: Iterable[str] = ()) -> QTextCharFormat:
    """A search hit's look (find in the article, corpus search): never a label's."""
    fmt = QTextCharFormat()
    fmt.setBackground(hit_color(label_colors))
    fmt.setForeground(QColor("#000000"))  # readable on every candidate
    if current:
        fmt.setFontUnderline(True)
    return fmt


def _tool_button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    return button


class FindBar(QWidget):
    def __init__(self, view: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.hits: list[tuple[int, int]] = []
        self.current = -1
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find in this article")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._search)
        self.edit.installEventFilter(self)
        self.count = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        for text, tip, step in (("▲", "Previous (Shift+F3)", -1), ("▼", "Next (F3)", 1)):
            button = _tool_button(text, tip)
            button.clicked.connect(lambda _=False, s=step: self.step(s))
            layout.addWidget(button)
        close = _tool_button("✕", "Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout.addWidget(close)
        for keys, step in (("F3", 1), ("Shift+F3", -1)):
            shortcut = QShortcut(QKeySequence(keys), self.parentWidget() or self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.step(s) if self.isVisible() else None)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self._search(self.edit.text())

    def close_bar(self) -> None:
        self.hide()
        self.view.set_marks(LAYER, [])
        self.view.setFocus()

    def forget(self) -> None:
        """The pane shows another document: old offsets mean nothing there."""
        self.hits, self.current = [], -1
        if self.isVisible():
            self._search(self.edit.text())

    def _search(self, needle: str) -> None:
        self.hits = find_all(self.view.text, needle) if needle else []
        self.current = 0 if self.hits else -1
        self._show()

    def step(self, step: int) -> None:
        if self.hits:
            self.current = (self.current + step) % len(self.hits)
            self._show()

    def _show(self) -> None:
        colors = [label.color for label in self.view.labels.values()]
        looks = (find_format(False, colors), find_format(True, colors))
        marks = [Mark(s, e, looks[i == self.current]) for i, (s, e) in enumerate(self.hits)]
        self.view.set_marks(LAYER, marks)
        if self.current >= 0:
            start, end = self.hits[self.current]
            self.view.select_text(start, end)
            self.view.centerCursor()
            self.count.setText(f"{self.current + 1} of {len(self.hits)}")
        else:
            self.count.setText("no match" if self.edit.text() else "")

    def eventFilter(self, watched: object, event: object) -> bool:
        if watched is self.edit and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.step(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return False
