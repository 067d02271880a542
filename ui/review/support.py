"""Helpers shared by the review views: statements and verdicts as safe rich
text, report writing, error boxes. Review edits go through `OpenProject.run` like
every other operation (one undo stack, one change signal)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QListWidget, QListWidgetItem, QMessageBox, QWidget

from app.errors import ParallaxError
from app.models import SpanId
from app.review.models import Statement
from app.review.report import when, write_report
from app.review.sessions import Dispute
from app.storage.project import Project
from ui.plain import tooltip
from ui.review.report_pdf import report_pdf

T = TypeVar("T")
QUOTE_STYLE = "background-color:#fde68a; font-weight:bold"


def statement_html(role: str, statement: Statement) -> str:
    """A statement for a rich-text view; every imported string escaped."""
    source = statement.source
    where = " · ".join((source.outlet or "outlet unknown", source.published or "date unknown"))
    note = f"<p><i>Span note:</i> {html.escape(statement.span.note)}</p>" if statement.span.note else ""
    return (
        f"<p style='color:#52606d'><b>{role}</b> · {html.escape(statement.label)}</p>"
        f"<p style='white-space:pre-wrap'>{html.escape(statement.before)}<a name='quote'></a>"
        f"<span style='{QUOTE_STYLE}'>{html.escape(statement.quote)}</span>{html.escape(statement.after)}</p>"
        f"<p style='color:#52606d'>{html.escape(where)}<br>“{html.escape(source.title or 'untitled')}”</p>" + note
    )


def plain_label(text: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


class _CloseWith(QObject):
    """Closes a window just before its owner closes (while the project is still open)."""

    def __init__(self, window: QWidget, owner: QWidget) -> None:
        super().__init__(window)
        self._window = window
        owner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self._window.close()
        return False


def close_with_owner(window: QWidget) -> None:
    """Make a review window close (and save) when the window that owns it closes."""
    owner = window.parentWidget()
    if owner is not None:
        _CloseWith(window, owner.window())


def show_error(parent: QWidget, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "Parallax", text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.open()


def ask_report_path(parent: QWidget, name: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Write the dispute report", f"{name}.html", "HTML page (*.html);;PDF document (*.pdf)"
    )
    return Path(chosen) if chosen else None


def save_report(parent: QWidget, project: Project, review_session_id: int, target: Path) -> Path | None:
    """Write a session's report (.html unless .pdf is asked for); errors shown in a dialog."""
    if target.suffix.lower() not in (".html", ".htm", ".pdf"):
        target = target.with_name(target.name + ".html")
    try:
        write_report(project, review_session_id, target, report_pdf)
    except ParallaxError as exc:
        show_error(parent, str(exc))
        return None
    return target


@dataclass
class Draft:
    """What the reviewer has typed or picked for one dispute and not yet saved."""

    rationale: str = ""
    evidence: list[SpanId] = field(default_factory=list)


def fill_verdicts(target: QListWidget, item: Dispute, session_id: int) -> None:
    """One line per session's verdict on the pair, this session's named as such, sources by name."""
    target.clear()
    for judgement in item.judgements:
        verdict = judgement.verdict
        who = "This session" if verdict.session_id == session_id else judgement.session_name
        line = f"{who} ({judgement.reviewer}, {when(verdict.decided_at)}): {item.verdict_text(verdict)}" + (
            f" — {verdict.rationale}" if verdict.rationale else ""
        )
        row = QListWidgetItem(" ".join(line.split()))
        row.setToolTip(tooltip(line))
        target.addItem(row)
    if not item.judgements:
        target.addItem("No verdicts on this pair yet.")


def evidence_item(project: Project, span_id: SpanId) -> QListWidgetItem:
    span = project.span(span_id)
    doc = project.document(span.document_id)
    item = QListWidgetItem(" ".join(f"“{span.quote}” — {doc.source or doc.title}".split()))
    item.setData(Qt.ItemDataRole.UserRole, span_id)
    item.setToolTip(tooltip(span.quote))
    return item
