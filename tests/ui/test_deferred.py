"""Coalesced refreshes run once, after the handler that asked, and before the next paint."""

from __future__ import annotations

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.storage.changes import Changes
from ui.deferred import Coalescer


class Painted(QWidget):
    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def paintEvent(self, _event: QPaintEvent) -> None:
        self.log.append("paint")


def test_a_refresh_asked_after_a_repaint_still_runs_before_it(qtbot) -> None:
    log: list[str] = []
    widget = Painted(log)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    QApplication.processEvents()
    log.clear()
    refreshed: list[Changes] = []
    coalescer = Coalescer(lambda changes: (refreshed.append(changes), log.append("refresh")), widget)
    widget.update()  # a key's handler repaints (a selection moved), then its changes are broadcast
    coalescer.add(Changes(spans=True, span_ids=frozenset({1})))
    coalescer.add(Changes(links=True))
    assert refreshed == []  # not inside the handler
    qtbot.waitUntil(lambda: "paint" in log)
    assert log[0] == "refresh" and log.count("refresh") == 1  # once, and the paint shows it
    assert refreshed == [Changes(spans=True, links=True, span_ids=frozenset({1}))]


def test_a_refresh_flushed_by_hand_does_not_run_again(qtbot) -> None:
    refreshed: list[Changes] = []
    coalescer = Coalescer(refreshed.append)
    coalescer.add(Changes(spans=True, span_ids=frozenset({1})))
    coalescer.flush()
    QApplication.processEvents()
    assert len(refreshed) == 1
    coalescer.add(Changes(links=True))  # the first posted call is still on its way: it carries this one
    QApplication.processEvents()
    assert refreshed[1:] == [Changes(links=True)]
