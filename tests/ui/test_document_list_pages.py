"""The document list on 10,000 documents reads the rows in view only: scrolled to the
end it shows the project's last rows, it never holds more than a few pages, and
sorting, filtering and the row update after a tag still show what the project says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.models import DocumentRow, NewDocument
from app.storage.project import Project
from ui.workspace.document_list import DocumentList
from ui.workspace.document_model import KEPT_PAGES, PAGE_ROWS

pytestmark = pytest.mark.gui
COUNT = 10_000


@pytest.fixture(scope="module")
def big_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10,000 small documents, dated in a shuffled order, some undated, titles in mixed case."""
    path = tmp_path_factory.mktemp("big") / "big.parallax"
    with Project.create(path) as project:
        project.add_documents(
            [
                NewDocument(
                    text=f"Article {n} on the drone permits.",
                    title=f"{'ABCDEfghij'[n % 10]}itle {n:05d}",
                    source=f"Outlet {n % 7}",
                    published=None if n % 97 == 0 else f"2021-{1 + n * 7 % 12:02d}-{1 + n % 28:02d}",
                )
                for n in range(COUNT)
            ]
        )
    return path


@pytest.fixture
def big(big_template: Path, tmp_path: Path) -> Iterator[Project]:
    path = tmp_path / "big.parallax"
    path.write_bytes(big_template.read_bytes())
    with Project.open(path) as project:
        yield project


def shown_rows(documents: DocumentList) -> list[tuple[int, str]]:
    """(id, title) of every row the table paints now, top to bottom."""
    table = documents.table
    top = table.rowAt(0)
    bottom = table.rowAt(table.viewport().height() - 1)
    bottom = table.model().rowCount() - 1 if bottom < 0 else bottom
    return [
        (table.model().index(r, 0).data(Qt.ItemDataRole.UserRole), table.model().index(r, 0).data())
        for r in range(top, bottom + 1)
    ]


def shown_list(qtbot, project: Project, height: int) -> DocumentList:
    """The list on `project`, 420 px wide, shown and exposed (rows in view are what it reads)."""
    documents = DocumentList(project)
    qtbot.addWidget(documents)
    documents.resize(420, height)
    documents.show()
    qtbot.waitExposed(documents)
    return documents


def as_shown(doc: DocumentRow) -> tuple[int, str]:
    return doc.id, doc.title or "(untitled)"


def test_scrolled_to_the_end_the_list_shows_the_last_rows_and_holds_a_few_pages(
    qtbot, big: Project, tmp_path: Path
) -> None:
    documents = shown_list(qtbot, big, 600)
    truth = big.document_rows()
    assert documents.model.rowCount() == COUNT
    first = shown_rows(documents)
    assert first == [as_shown(d) for d in truth[: len(first)]] and len(first) > 10
    assert documents.model.held() <= PAGE_ROWS  # the first screen: one page read, not 10,000 rows
    documents.table.scrollToBottom()
    documents.grab().save(str(tmp_path / "end.png"))  # paints the last rows
    last = shown_rows(documents)
    assert last == [as_shown(d) for d in truth[-len(last) :]]
    assert last[-1] == as_shown(truth[-1])
    assert truth[-1].published is None  # undated ones come last
    for row in range(0, COUNT, 97):  # a walk through every page: the pages held stay few
        documents.model.index(row, 1).data()
    assert documents.model.held() <= KEPT_PAGES * PAGE_ROWS
    assert documents.model.index(COUNT - 1, 2).data() == ""
    assert [documents.model.index(5000, c).data() for c in range(4)] == [
        truth[5000].title,
        truth[5000].source,
        truth[5000].published,
        0,
    ]


def test_sorting_ten_thousand_keeps_the_selection_and_sorts_as_the_rows_say(qtbot, big: Project) -> None:
    documents = DocumentList(big)
    qtbot.addWidget(documents)
    table, model = documents.table, documents.model
    chosen = big.document_ids()[7777]
    table.selectRow(model.row_of(chosen))
    truth = big.document_rows()
    for column, key in ((0, lambda d: d.title.casefold()), (1, lambda d: d.source.casefold())):
        table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
        expected = sorted(truth, key=key, reverse=True)  # stable: ties keep project order
        assert [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(COUNT)] == [d.id for d in expected]
        (selected,) = table.selectionModel().selectedRows()
        assert selected.data(Qt.ItemDataRole.UserRole) == chosen
    table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    dates = [model.index(r, 2).data() for r in range(COUNT)]
    assert dates == sorted(dates) and dates[0] == ""  # undated first, as "" sorts
    assert model.held() <= KEPT_PAGES * PAGE_ROWS
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # back to project order
    assert [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(COUNT)] == [d.id for d in truth]
    assert model.row_of(chosen) == 7777


def test_the_filter_then_a_tag_update_one_row_of_ten_thousand(qtbot, big: Project) -> None:
    documents = DocumentList(big)
    qtbot.addWidget(documents)
    model = documents.model
    documents.filter.setText("article 09999")
    documents.flush_filter()
    wanted = big.matching_documents("article 09999", 100)
    assert model.rowCount() == len(wanted) >= 1
    documents.filter.clear()
    assert model.rowCount() == COUNT
    last = big.document_ids()[-1]
    row = model.row_of(last)
    assert row == COUNT - 1 and model.index(row, 3).data() == 0  # its page is read now
    far = big.document_ids()[COUNT // 2]  # its page was never read
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
    changed_columns: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b: changed_columns.append((a.column(), b.column())))
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    for doc in (last, far):
        big.add_span(doc, 0, 7, "PERSON", "ana")
    model.update_documents([last, far])
    assert changed == [(COUNT - 1, COUNT - 1)] and resets == []  # one row repainted, nothing reloaded
    assert changed_columns == [(3, 3)]  # its span count only
    assert model.index(COUNT - 1, 3).data() == 1
    assert model.index(model.row_of(far) or 0, 3).data() == 1  # read fresh when first shown
    assert model.index(0, 0).parent() == QModelIndex()


def test_a_filter_matching_nothing_says_so_and_clearing_it_takes_the_words_away(
    qtbot, big: Project, tmp_path: Path
) -> None:
    """The newcomer's run: an empty table under the filter, and nothing saying why."""
    documents = shown_list(qtbot, big, 300)
    documents.filter.setText("<b>zanzibar</b>")
    documents.flush_filter()
    assert documents.model.rowCount() == 0
    assert documents.no_match.isVisible()
    assert documents.no_match.text() == "No document matches “<b>zanzibar</b>”."  # shown as typed, not as markup
    assert documents.grab().save(str(tmp_path / "no_match.png"))
    documents.filter.setText("article 00042")
    documents.flush_filter()
    assert documents.model.rowCount() >= 1 and not documents.no_match.isVisible()
    documents.filter.clear()
    assert not documents.no_match.isVisible() and documents.model.rowCount() == COUNT


def test_the_filter_finds_an_outlet_by_its_name(qtbot, big: Project, tmp_path: Path) -> None:
    """The newcomer typed an outlet's name ("Devoir") and the list showed nothing."""
    documents = shown_list(qtbot, big, 300)
    qtbot.keyClicks(documents.filter, "OUTLET 3")
    documents.flush_filter()
    model = documents.model
    outlets = {model.index(r, 1).data() for r in range(model.rowCount())}
    assert outlets == {"Outlet 3"} and model.rowCount() == len(range(3, COUNT, 7))
    assert not documents.no_match.isVisible()
    assert documents.grab().save(str(tmp_path / "outlet_filter.png"))
    documents.filter.setText("outlet 3 article 10")  # the outlet's words and the article's
    documents.flush_filter()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Aitle 00010"]
