"""Find in the current article (Ctrl+F): every match marked, Enter / F3 next, Shift+Enter / Shift+F3 previous."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut, QTextCharFormat
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from app.text.find import find_all
from ui.workspace.article_view import ArticleView, Mark

LAYER = "find"


def find_format(current: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    color = QColor("#FFB000")  # amber: no label tint is amber at this strength
    color.setAlpha(230 if current else 90)
    fmt.setBackground(color)
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
        marks = [Mark(s, e, find_format(i == self.current)) for i, (s, e) in enumerate(self.hits)]
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
