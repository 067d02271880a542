"""A review session driven through the real widgets: started from the dialog,
judged with keys, undone, paused, resumed and written out as a report."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.models import LinkKind
from app.review import sessions as review
from app.review.sessions import Decision, Scope
from app.storage.project import Project
from tests.core.review_helpers import SampleLinks, Tree, sample_links, table
from tests.ui.dialog_helpers import screenshot
from ui.open_project import OpenProject
from ui.placement import TITLE_BAR, place_over_owner
from ui.review.review_window import ReviewWindow
from ui.review.sessions_dialog import EvidenceDialog, NewReviewDialog, ReviewSessionsDialog, _open_windows, open_review
from ui.review.verdict_bar import SECOND

pytestmark = pytest.mark.gui


@pytest.fixture
def links(project: Project) -> SampleLinks:
    return sample_links(project)


@pytest.fixture
def session(project: Project, links: SampleLinks) -> Iterator[OpenProject]:
    opened = OpenProject(project, "Rita")
    yield opened
    opened.undo_stack.clear()


def press(
    qtbot: QtBot, window: ReviewWindow, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(window, key, modifier)
    window.refresher.flush()


def button(parent: ReviewSessionsDialog, text: str) -> QPushButton:
    return next(b for b in parent.findChildren(QPushButton) if b.text() == text)


@pytest.fixture(autouse=True)
def _close_review_windows() -> Iterator[None]:
    """Windows opened through the sessions dialog delete themselves on close, so qtbot cannot close them."""
    yield
    for window in list(_open_windows.values()):
        window.close()


def shown(qtbot: QtBot, window: ReviewWindow) -> ReviewWindow:
    if not window.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose):
        qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.setFocus()
    return window


def start_from_dialog(qtbot: QtBot, session: OpenProject, name: str) -> tuple[ReviewSessionsDialog, ReviewWindow]:
    dialog = ReviewSessionsDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.mouseClick(button(dialog, "New…"), Qt.MouseButton.LeftButton)
    new = dialog.new_dialog
    assert new.reviewer.text() == "Rita" and new.name.text() == "Review 1"
    new.name.selectAll()
    QTest.keyClicks(new.name, name)
    with qtbot.waitSignal(dialog.window_opened) as opened:
        QTest.mouseClick(new.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    return dialog, shown(qtbot, opened.args[0])


def test_a_review_from_start_to_report(
    qtbot: QtBot, session: OpenProject, links: SampleLinks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = session.project
    dialog, window = start_from_dialog(qtbot, session, "Week <1>")
    assert window.position.text() == "Dispute 1 of 3" and window.progress.text() == "0 of 3 decided"
    assert window.current is not None and window.current.link.id == links.scope
    assert "Canada on October 5 suspended" in window.panels[0].toPlainText()
    assert "Canada suspended military export permits" in window.panels[1].toPlainText()

    window.rationale.setFocus()
    QTest.keyClicks(window.rationale, "Drone sensors vs all 29 permits")  # digits typed here are text
    press(qtbot, window, Qt.Key.Key_Escape)
    press(qtbot, window, Qt.Key.Key_1)
    [first] = review.verdicts(project)
    assert (first.link_id, first.decision, first.rationale) == (
        links.scope,
        Decision.CONFLICT_CONFIRMED,
        "Drone sensors vs all 29 permits",
    )
    assert window.current is not None and window.current.link.id == links.day  # moved on
    assert window.progress.text() == "1 of 3 decided" and window.rationale.toPlainText() == ""

    window.add_evidence()
    picker = window.evidence_dialog
    QTest.keyClicks(picker.filter, "april 12")
    picker.accept()
    assert window.evidence.count() == 1 and "April 12 statement" in window.evidence.item(0).text()
    assert window.verdicts.buttons[SECOND].text() == "4  GreekReporter.com right"  # sources by name
    press(qtbot, window, Qt.Key.Key_4)
    assert review.verdicts(project)[-1].evidence == (links.evidence,)
    # stored relative to the link (GreekReporter -> Al Arabiya), named by source in the window
    assert review.verdicts(project)[-1].decision == Decision.FIRST_SOURCE_RIGHT
    assert window.current is not None and window.current.link.id == links.extent

    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo goes back to that dispute
    assert [v.link_id for v in review.verdicts(project)] == [links.scope]
    assert window.current is not None and window.current.link.id == links.day
    assert window.progress.text() == "1 of 3 decided" and not any(
        b.isChecked() for b in window.verdicts.buttons.values()
    )
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.verdicts.buttons[SECOND].isChecked() and window.evidence.count() == 1

    press(qtbot, window, Qt.Key.Key_P)
    assert (
        window.position.text() == "Dispute 1 of 3" and window.verdicts.buttons[Decision.CONFLICT_CONFIRMED].isChecked()
    )
    press(qtbot, window, Qt.Key.Key_Right)
    press(qtbot, window, Qt.Key.Key_Left)
    assert window.position.text() == "Dispute 1 of 3"
    press(qtbot, window, Qt.Key.Key_U)
    assert window.current is not None and window.current.link.id == links.extent
    window.rationale.setFocus()
    QTest.keyClicks(window.rationale, "Some exports = the cancelled permits")
    press(qtbot, window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # a verdict key while typing
    assert review.progress(project, window.review) == (3, 3) and window.progress.text() == "3 of 3 decided"

    press(qtbot, window, Qt.Key.Key_P)
    screenshot(window, "review")
    out = tmp_path / "report.html"
    monkeypatch.setattr(window, "ask_report_path", lambda: out)
    with qtbot.waitSignal(window.report_written):
        window.export_report()
    tree = Tree(out.read_text(encoding="utf-8"))
    assert tree.root.find("h1").text() == "Dispute report: Week <1>"
    assert dict(table(tree.root, "meta"))["Progress"] == "3 of 3 disputes decided"
    sections = tree.root.find_all("div", "dispute")
    assert [s.attrs["data-decision"] for s in sections] == [
        "conflict_confirmed",
        "first_source_right",  # GreekReporter, the day link's source
        "not_a_conflict",
    ]
    assert "Some exports = the cancelled permits" in sections[2].find("p", "rationale").text()
    for section, dispute in zip(sections, review.disputes(project, window.review), strict=True):
        assert [q.text() for q in section.find_all("span", "quote")][:2] == [dispute.first.quote, dispute.second.quote]

    window.close()  # pauses
    assert review.find_session(project, "Week <1>").paused
    dialog.reload()
    progress, status = dialog.table.item(0, 2), dialog.table.item(0, 3)
    assert progress is not None and progress.text() == "3 of 3"
    assert status is not None and status.text().startswith("paused")


def test_the_pdf_report_has_pages(
    qtbot: QtBot, session: OpenProject, links: SampleLinks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = review.start_session(session.project, "PDF", "Rita").value
    review.set_verdict(session.project, started.id, links.day, Decision.BOTH_WRONG, "Neither day is sourced")
    dialog = ReviewSessionsDialog(session)
    qtbot.addWidget(dialog)
    out = tmp_path / "report.pdf"
    monkeypatch.setattr(dialog, "ask_report_path", lambda _name: out)
    with qtbot.waitSignal(dialog.report_written):
        QTest.mouseClick(button(dialog, "Report…"), Qt.MouseButton.LeftButton)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") and b"/Type /Page" in data
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "Dispute report: PDF" in text and "Neither day is sourced" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(tmp_path / "review_report")], check=True)


def test_resume_opens_the_first_undecided_and_shows_disagreement(
    qtbot: QtBot, session: OpenProject, links: SampleLinks
) -> None:
    project = session.project
    one = review.start_session(project, "One", "Rita").value
    two = review.start_session(project, "Two", "Sam").value
    review.set_verdict(project, one.id, links.scope, Decision.CONFLICT_CONFIRMED)
    review.set_verdict(project, two.id, links.day, Decision.FIRST_SOURCE_RIGHT, "Greek time")
    review.set_verdict(project, one.id, links.day, Decision.SECOND_SOURCE_RIGHT)
    review.set_paused(project, one.id, True)
    dialog = ReviewSessionsDialog(session)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.window_opened) as opened:
        QTest.mouseClick(button(dialog, "Resume"), Qt.MouseButton.LeftButton)
    window = shown(qtbot, opened.args[0])
    assert not review.session(project, one.id).paused
    assert window.current is not None and window.current.link.id == links.extent
    assert not window.disagree.isVisibleTo(window)
    press(qtbot, window, Qt.Key.Key_P)
    assert window.disagree.isVisibleTo(window)
    screenshot(window, "review_disagree")
    dialog.show()
    dialog.reload()
    screenshot(dialog, "review_sessions")
    lines = [window.verdict_list.item(row).text() for row in range(window.verdict_list.count())]
    assert lines[0].startswith("Two (Sam, ") and lines[0].endswith("GreekReporter.com right — Greek time")
    assert lines[1].startswith("This session (Rita, ") and len(lines) == 2
    assert open_review(session, one.id) is window  # resuming again raises the same window


def test_the_window_follows_project_edits_and_undo_of_its_start(
    qtbot: QtBot, session: OpenProject, links: SampleLinks
) -> None:
    started = session.run("Start", lambda: review.start_session(session.project, "S", "Rita"))
    window = shown(qtbot, ReviewWindow(session, started.id))
    session.run("Delete link", lambda: session.project.delete_links([links.day]))
    window.refresher.flush()
    assert window.position.text().endswith("of 2")
    session.undo_stack.undo()
    window.refresher.flush()
    assert window.position.text().endswith("of 3")
    with qtbot.waitSignal(window.destroyed, raising=False, timeout=200):
        session.undo_stack.undo()  # undoing the start removes the session: its window closes
    assert review.sessions(session.project) == [] and not window.isVisible()


def test_new_review_dialog_builds_the_scope(qtbot: QtBot, project: Project, links: SampleLinks) -> None:
    dialog = NewReviewDialog(project, "Rita")
    qtbot.addWidget(dialog)
    assert dialog.scope() == Scope()
    dialog.kinds[LinkKind.SUPPORTS].setChecked(True)
    dialog.only_undecided.setChecked(True)
    dialog.documents.item(2).setCheckState(Qt.CheckState.Checked)
    dialog.within.setChecked(True)
    dialog.label.setCurrentText("CLAIM")
    dialog.show()
    screenshot(dialog, "review_new")
    doc_id = dialog.documents.item(2).data(Qt.ItemDataRole.UserRole)
    assert dialog.scope() == Scope(
        kinds=(LinkKind.CONTRADICTS, LinkKind.SUPPORTS),
        only_undecided=True,
        document_ids=(doc_id,),
        within=True,
        label="CLAIM",
    )
    for box in dialog.kinds.values():
        box.setChecked(False)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_evidence_dialog_filters_and_chooses(qtbot: QtBot, project: Project, links: SampleLinks) -> None:
    dialog = EvidenceDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.filter, "APRIL 12")
    visible = [dialog.list.item(r) for r in range(dialog.list.count()) if not dialog.list.item(r).isHidden()]
    assert [i.text() for i in visible] == [
        "“in an April 12 statement” — Canada Blocks Defense Exports To Turkey Over Transfer Of Drones To Azerbaijan"
    ]
    with qtbot.waitSignal(dialog.span_chosen) as chosen:
        QTest.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert chosen.args == [links.evidence]


def test_closing_the_main_window_pauses_the_review_first(qtbot: QtBot, project_path: Path, tmp_path: Path) -> None:
    from ui.main_window import MainWindow
    from ui.review.sessions_dialog import show_reviews
    from ui.settings import UserSettings

    project = Project.open(project_path)
    links = sample_links(project)
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.show()
    dialog = show_reviews(main.session, main)
    started = main.session.run("Start", lambda: review.start_session(project, "S", "Rita"))
    assert dialog.table.rowCount() == 1  # the list follows review edits
    with qtbot.waitSignal(dialog.window_opened) as opened:
        dialog.resume()
    window = opened.args[0]
    window.rationale.setPlainText("typed, then the app was closed")
    window.record(Decision.BOTH_WRONG)
    main.session.undo_stack.undo()  # the main stack undoes review edits too
    assert review.verdicts(project) == []
    main.session.undo_stack.redo()
    window.previous()
    window.rationale.setPlainText("edited, then the app was closed")
    main.close()
    assert not window.isVisible() and not dialog.isVisible()
    with Project.open(project_path) as reopened:
        [verdict] = review.verdicts(reopened)
        assert (verdict.link_id, verdict.rationale) == (links.scope, "edited, then the app was closed")
        assert review.session(reopened, started.id).paused


def test_a_review_window_opens_centred_on_its_owner_and_within_the_screen(
    qtbot: QtBot, session: OpenProject, tmp_path: Path
) -> None:
    """Left to the window manager, the 1,150 x 780 window opened partly below a 1,080 px screen's edge."""
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.setGeometry(100, 150, 500, 400)
    owner.show()
    qtbot.waitExposed(owner)
    started = review.start_session(session.project, "Placed", "Rita").value
    window = shown(qtbot, open_review(session, started.id, owner))
    free, placed = owner.screen().availableGeometry(), window.frameGeometry()
    # The offscreen screen is 800 x 800: the window's height fits, title bar and all; its width
    # cannot (the review window needs ~1,030 px), so it starts at the screen's left edge.
    assert placed.top() >= free.top() and placed.bottom() <= free.bottom()
    assert placed.left() == free.left()
    screenshot(window, "review_placed")


def test_place_over_owner_centres_on_the_owner_and_keeps_the_title_bar_room_at_the_bottom(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.setGeometry(100, 150, 500, 400)
    window = QWidget(owner, Qt.WindowType.Window)
    window.resize(300, 200)
    place_over_owner(window)
    assert window.geometry().center() == owner.frameGeometry().center()
    owner.setGeometry(100, 650, 500, 140)  # near the bottom: centred, the window would cross the edge
    place_over_owner(window)
    free = owner.screen().availableGeometry()
    assert window.geometry().bottom() + TITLE_BAR == free.bottom()
    assert window.geometry().center().x() == owner.frameGeometry().center().x()
