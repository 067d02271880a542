"""The PDF report keeps each dispute on one page when it fits on one."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocument

from app.models import NewDocument
from app.review import sessions as review
from app.review.report import report_html
from app.storage.project import Project
from tests.core.review_helpers import sample_links, span_of
from ui.review.report_pdf import PAGE, dispute_end, dispute_starts, laid_out, pdf_bytes

pytestmark = pytest.mark.gui


def pages(document: QTextDocument) -> list[tuple[int, int]]:
    """(first page, last page) of each dispute."""
    layout, starts, height = document.documentLayout(), dispute_starts(document), PAGE.height()
    return [
        (int(layout.blockBoundingRect(b).top() // height), int((dispute_end(document, starts, i) - 1) // height))
        for i, b in enumerate(starts)
    ]


def test_no_dispute_is_split_across_pages(qapp: object, project: Project) -> None:
    sample_links(project)
    claims = [
        span_of(
            project,
            "Canada Cancels Drone",
            "On Tuesday, Canada canceled its permits to export drone technology to Turkey",
        ),
        span_of(
            project,
            "Canada suspends export",
            "Canada on October 5 suspended the export of certain drone technologies to Turkey",
        ),
        span_of(project, "Canada Blocks", "Canada suspended military export permits to Turkey last October"),
    ]
    for number in range(12):  # many disputes (each its own pair of statements), so several pages
        doc = project.add_documents([NewDocument(text=f"Statement {number}: " + "words " * 150, title=f"T{number}")])
        other = project.add_span(doc.value.added[0], 0, 12, "CLAIM", "ana").value.id
        project.add_link("contradicts", claims[number % 3], other, "ana", note="long note " * 30)
    session = review.start_session(project, "Many", "Rita").value
    page = report_html(project, session)
    plain = QTextDocument()
    plain.setHtml(page)
    plain.setPageSize(PAGE)
    assert any(first != last for first, last in pages(plain))  # without the breaks some dispute straddles
    document = laid_out(page)
    spread = pages(document)
    assert len(spread) == len(review.disputes(project, session)) and spread[-1][1] >= 2
    assert all(first == last for first, last in spread)
    assert pdf_bytes(page).startswith(b"%PDF")
