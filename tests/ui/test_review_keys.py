"""Review keys work as each dispute opens (the rationale box never takes the focus by itself);
an empty session cannot be started; pausing shows in the sessions list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.models import LinkKind
from app.review import sessions as review
from app.review.sessions import Decision, Scope
from app.storage.project import Project
from tests.core.review_helpers import sample_links
from ui.open_project import OpenProject
from ui.review.review_window import ReviewWindow
from ui.review.sessions_dialog import NewReviewDialog, ReviewSessionsDialog

pytestmark = pytest.mark.gui


def test_number_keys_record_verdicts_as_each_dispute_opens(qtbot: QtBot, project: Project, tmp_path) -> None:
    sample_links(project)
    opened = OpenProject(project, "Rita")
    started = review.start_session(project, "Keys", "Rita").value
    window = ReviewWindow(opened, started.id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    assert QApplication.focusWidget() is not window.rationale
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_1)
    assert len(review.verdicts(project, started.id)) == 1 and window.rationale.toPlainText() == ""
    QTest.mouseClick(window.rationale, Qt.MouseButton.LeftButton)  # the reviewer clicks in to type
    assert QApplication.focusWidget() is window.rationale
    QTest.keyClicks(window.rationale, "29 permits")  # digits are text here
    QTest.keyClick(window.rationale, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    last = review.verdicts(project, started.id)[-1]
    assert (last.decision, last.rationale) == (Decision.BOTH_WRONG, "29 permits")
    assert QApplication.focusWidget() is not window.rationale  # the next dispute opens with keys live
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_2)
    assert [v.decision for v in review.verdicts(project, started.id)][-1] == Decision.NOT_A_CONFLICT
    window.grab().save(str(tmp_path / "review.png"))
    window.close()
    opened.undo_stack.clear()


def test_an_empty_session_cannot_be_started(qtbot: QtBot, project: Project) -> None:
    sample_links(project)
    dialog = NewReviewDialog(project, "Rita")
    qtbot.addWidget(dialog)
    start = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert start.isEnabled() and dialog.count.text() == "3 disputes in this scope"
    dialog.kinds[LinkKind.CONTRADICTS].setChecked(False)
    dialog.kinds[LinkKind.SAME_AS].setChecked(True)
    assert not start.isEnabled() and "nothing to review" in dialog.count.text()
    assert review.count_in_scope(project, Scope(kinds=(LinkKind.SUPPORTS,))) == 1


def test_pausing_shows_in_the_sessions_list(qtbot: QtBot, project: Project) -> None:
    sample_links(project)
    opened = OpenProject(project, "Rita")
    started = review.start_session(project, "Paused", "Rita").value
    sessions = ReviewSessionsDialog(opened)
    qtbot.addWidget(sessions)
    window = ReviewWindow(opened, started.id)
    qtbot.addWidget(window)
    window.show()
    assert sessions.table.item(0, 3).text() == "open"
    window.close()  # Pause
    assert sessions.table.item(0, 3).text().startswith("paused")
    opened.undo_stack.clear()


def test_undo_in_the_review_window_undoes_only_its_verdicts(qtbot: QtBot, project: Project) -> None:
    sample_links(project)
    opened = OpenProject(project, "Rita")
    started = review.start_session(project, "Undo", "Rita").value
    window = ReviewWindow(opened, started.id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_1)
    assert len(review.verdicts(project, started.id)) == 1
    opened.run("Rename label", lambda: project.update_label(project.label("ORG").id, name="ORGANISATION"))
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.label("ORGANISATION") and len(review.verdicts(project, started.id)) == 1  # neither undone
    assert "Not undoing “Rename label”" in window.message.text()
    opened.undo_stack.undo()  # from the main window
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert review.verdicts(project, started.id) == []
    window.close()
    opened.undo_stack.clear()
