"""Print a report page (HTML from `app.review.report`) to PDF with Qt's text layout.

Works without a window: from the command line a GUI application object is
made on first use, on the offscreen platform unless QT_QPA_PLATFORM says
otherwise. The PDF is written atomically (temporary file, then renamed).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.formats.atomic import atomic_binary

_app: QGuiApplication | None = None  # kept alive when made here


def _ensure_application() -> None:
    global _app
    if QGuiApplication.instance() is None:
        platform = [] if os.environ.get("QT_QPA_PLATFORM") else ["-platform", "offscreen"]
        _app = QGuiApplication(["parallax", *platform])


def pdf_bytes(page: str, title: str = "Dispute report") -> bytes:
    """The PDF of an HTML page, A4 with 15 mm margins."""
    _ensure_application()
    document = QTextDocument()
    document.setHtml(page)
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
