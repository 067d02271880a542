"""The row of verdict buttons under a dispute, worded for it: the two sources by
name ("Al Arabiya right", in the dispute's stable order) and confirm / reject
in words fit for the link kind ("Not the same" for `same_as`, never "conflict").

Keys 1-6 follow the buttons. A choice is a `Decision`, or for 3 and 4 the
statement whose source is right (the window turns it into the stored decision
for the link the verdict goes on)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from app.review.models import DECISION_TEXT, Decision, Dispute, Statement, decision_text
from app.text.clip import clip

FIRST, SECOND = "first", "second"
Choice = Decision | str  # a Decision, or FIRST / SECOND: that statement's source is right
CHOICES: tuple[Choice, ...] = (
    Decision.CONFLICT_CONFIRMED,
    Decision.NOT_A_CONFLICT,
    FIRST,
    SECOND,
    Decision.BOTH_WRONG,
    Decision.UNDETERMINED,
)
KEYS = {choice: str(number) for number, choice in enumerate(CHOICES, start=1)}
MAX_NAME = 18  # characters of an outlet's name on a button ("GreekReporter.com" whole)
MAX_TITLE = 15  # and of a source with no outlet, named by its quoted title: the row fits 1,024 px
SPACING = 3  # px between buttons
KEYS_AT_REST, KEYS_TYPING = "Keys:", "Ctrl +"
STYLE = "QPushButton:checked { background-color: #0072B2; color: white; font-weight: bold }"


def statement_of(dispute: Dispute, choice: Choice) -> Statement | None:
    return dispute.first if choice == FIRST else dispute.second if choice == SECOND else None


def choice_text(dispute: Dispute | None, choice: Choice) -> str:
    if dispute is None:
        return (
            DECISION_TEXT[Decision.FIRST_SOURCE_RIGHT if choice == FIRST else Decision.SECOND_SOURCE_RIGHT]
            if (choice in (FIRST, SECOND))
            else DECISION_TEXT[Decision(choice)]
        )
    statement = statement_of(dispute, choice)
    if statement is not None:
        return f"{statement.source.name} right"
    return decision_text(Decision(choice), dispute.link.kind)


def short_name(name: str) -> str:
    """A source's name cut to fit a button; a quoted title keeps its closing quote."""
    quoted = name.endswith("”")
    limit = MAX_TITLE if quoted else MAX_NAME
    if len(name) <= limit:
        return name
    return clip(name[:-1], limit - 1) + "”" if quoted else clip(name, limit)


def button_text(dispute: Dispute | None, choice: Choice) -> str:
    """The caption: key and choice, a source's name cut so the row never widens the window
    (the tooltip has it whole)."""
    statement = statement_of(dispute, choice) if dispute else None
    text = f"{short_name(statement.source.name)} right" if statement else choice_text(dispute, choice)
    return f"{KEYS[choice]}  {text}"


class VerdictBar(QWidget):
    """Buttons 1-6 and 0 (clear); `pressed(choice)` is called with the button's choice.

    One row when the window is wide enough, else two (1-4 over 5, 6, 0): seven buttons in a
    row made the review window 965-1,000 px wide at least, too wide for a small screen."""

    def __init__(self, pressed: Callable[[Choice], None], cleared: Callable[[], None]) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(SPACING)
        self.buttons: dict[Choice, QPushButton] = {}
        # "Ctrl +" before the row while the rationale box has the focus: a digit is text there.
        self.keys_label = QLabel(KEYS_AT_REST)
        self.keys_label.setFixedWidth(
            max(self.fontMetrics().horizontalAdvance(t) for t in (KEYS_AT_REST, KEYS_TYPING)) + 8
        )
        self.grid.addWidget(self.keys_label, 0, 0)
        for choice in KEYS:
            button = QPushButton(button_text(None, choice))
            button.setCheckable(True)
            button.setStyleSheet(STYLE)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, chosen=choice: pressed(chosen))
            self.buttons[choice] = button
        self.clear_button = QPushButton("0  Clear")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(lambda _=False: cleared())
        self.rows = 0
        self._lay_out(1)

    def _in_order(self) -> list[QPushButton]:
        return [*self.buttons.values(), self.clear_button]

    def width_for(self, rows: int) -> int:
        """The width the label and buttons need, laid in this many rows (columns sized to their widest)."""
        buttons = self._in_order()
        columns = -(-len(buttons) // rows)
        widths = [max(b.sizeHint().width() for b in buttons[c::columns]) for c in range(columns)]
        return self.keys_label.minimumWidth() + sum(widths) + SPACING * columns

    def _lay_out(self, rows: int) -> None:
        if rows == self.rows:
            return
        self.rows, buttons = rows, self._in_order()
        columns = -(-len(buttons) // rows)
        for button in buttons:
            self.grid.removeWidget(button)
        for at, button in enumerate(buttons):
            self.grid.addWidget(button, at // columns, 1 + at % columns)
        self.updateGeometry()

    def _fit(self) -> None:
        self._lay_out(1 if self.width() >= self.width_for(1) else 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:
        return QSize(self.width_for(1), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        """Two rows' width: the window may be narrower than one row needs."""
        return QSize(self.width_for(2), super().minimumSizeHint().height())

    def show_dispute(self, dispute: Dispute | None, session_id: int) -> None:
        """Word the buttons for this dispute and check the one this session chose."""
        own = dispute.judgement_in(session_id) if dispute else None
        side = dispute.side_of(own.verdict) if dispute and own else None
        for choice, button in self.buttons.items():
            button.setText(button_text(dispute, choice))
            button.setToolTip(choice_text(dispute, choice))
            button.setEnabled(dispute is not None)
            statement = statement_of(dispute, choice) if dispute else None
            if own is None:
                button.setChecked(False)
            elif statement is not None:
                button.setChecked(side is statement)
            else:
                button.setChecked(own.verdict.decision == choice)
        self.clear_button.setEnabled(dispute is not None)
        self.updateGeometry()  # the names' widths changed
        self._fit()

    def set_typing(self, typing: bool) -> None:
        """While the rationale box has the focus, digits are text: the row says Ctrl + its keys."""
        self.keys_label.setText(f"<b>{KEYS_TYPING}</b>" if typing else KEYS_AT_REST)
