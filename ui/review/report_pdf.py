"""Print a report page (HTML from `app.review.report`) to PDF with Qt's text layout.

Works without a window: from the command line a GUI application object is
made on first use, on the offscreen platform unless QT_QPA_PLATFORM says
otherwise. The PDF is written atomically (temporary file, then renamed).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
from PySide6.QtGui import (
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from app.formats.atomic import atomic_binary

_app: QGuiApplication | None = None  # kept alive when made here


def _ensure_application() -> None:
    global _app
    if QGuiApplication.instance() is None:
        platform = [] if os.environ.get("QT_QPA_PLATFORM") else ["-platform", "offscreen"]
        _app = QGuiApplication(["parallax", *platform])


# A4 less 15 mm margins (180 x 267 mm), in the layout's pixels at 96 per inch: the page is laid out
# at this size here, so page breaks can be placed, and the writer scales it onto the paper.
PAGE = QSizeF(180 / 25.4 * 96, 267 / 25.4 * 96)


def laid_out(page: str) -> QTextDocument:
    """The report as pages, a page break before each dispute that would not fit on the rest of its page."""
    _ensure_application()
    document = QTextDocument()
    document.setHtml(page)
    document.setPageSize(PAGE)
    keep_disputes_whole(document)
    return document


def dispute_starts(document: QTextDocument) -> list[QTextBlock]:
    """The first block of each dispute: the rule above its "Dispute N of M" heading."""
    found, block = [], document.begin()
    while block.isValid():
        if block.text().startswith("Dispute ") and " of " in block.text() and block.blockFormat().headingLevel():
            rule = block.previous()
            ruled = rule.isValid() and rule.blockFormat().hasProperty(
                QTextFormat.Property.BlockTrailingHorizontalRulerWidth
            )
            found.append(rule if ruled else block)
        block = block.next()
    return found


def dispute_end(document: QTextDocument, starts: list[QTextBlock], index: int) -> float:
    """Where dispute `index` ends: the bottom of its last block (not the next one's top, which a break moves)."""
    last = starts[index + 1].previous() if index + 1 < len(starts) else document.lastBlock()
    return float(document.documentLayout().blockBoundingRect(last).bottom())


def keep_disputes_whole(document: QTextDocument) -> None:
    layout, height = document.documentLayout(), document.pageSize().height()
    starts = dispute_starts(document)
    for index, start in enumerate(starts):
        top = layout.blockBoundingRect(start).top()
        end = dispute_end(document, starts, index)
        if int(top // height) != int((end - 1) // height) and end - top < height:
            form = start.blockFormat()
            form.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            QTextCursor(start).setBlockFormat(form)  # the layout below it moves; later tops are read afresh


def pdf_bytes(page: str, title: str = "Dispute report") -> bytes:
    """The PDF of an HTML page, A4 with 15 mm margins, no dispute split across pages if it fits on one."""
    document = laid_out(page)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("Parallax")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document.print_(writer)
    del writer  # the file is finished when the writer goes
    buffer.close()
    return bytes(data.data())


def report_pdf(page: str, out: Path) -> None:
    """Write `page` as a PDF to `out`, whole or not at all."""
    title = document_title(page)
    with atomic_binary(out) as handle:
        handle.write(pdf_bytes(page, title))


def document_title(page: str) -> str:
    _ensure_application()  # before any QTextDocument: without it fonts have no size
    document = QTextDocument()
    document.setHtml(page)
    return str(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle)) or "Dispute report"
