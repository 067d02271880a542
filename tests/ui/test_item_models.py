"""Every custom item model passes pytest-qt's model tester on real data."""

from __future__ import annotations

import pytest

from app.models import NewDocument
from app.storage.project import Project
from ui.workspace.document_list import DocumentListModel
from ui.workspace.links_panel import LinksModel

pytestmark = pytest.mark.gui


@pytest.fixture
def linked(project: Project) -> Project:
    a, b = project.add_documents(
        [
            NewDocument(text="All 29 permits 😀.", title="<i>A</i>"),
            NewDocument(text="Some permits.", title="B", source="Outlet"),
        ]
    ).value.added
    left = project.add_span(a, 0, 14, "CLAIM", "Ana").value
    right = project.add_span(b, 0, 13, "CLAIM", "Ana").value
    project.add_link("contradicts", left.id, right.id, "Ana", note="29 vs some")
    return project


def test_document_list_model(qtmodeltester, linked: Project) -> None:
    model = DocumentListModel(linked)
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["<i>A</i>", "B"]
    assert model.index(0, 3).data() == 1


def test_links_model(qtmodeltester, linked: Project) -> None:
    model = LinksModel(linked)
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(7)] == [
        "contradicts",
        "All 29 permits",
        "“<i>A</i>…” · undated",
        "Some permits.",
        "Outlet · undated",
        "Ana",
        "29 vs some",
    ]
