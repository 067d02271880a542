"""Annotators: made on first use by name, looked up by id, never blank."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import InvalidOperation, NotFound
from app.storage.project import Project
from tests.core.store_helpers import add_doc, dump


def test_annotator_is_made_once_and_trimmed(project: Project) -> None:
    ana = project.annotator("  Ana Lima ")
    assert ana.name == "Ana Lima"
    assert project.annotator("Ana Lima") == ana
    bo = project.annotator("Bo")
    assert project.annotators() == [ana, bo]
    assert ana.id != bo.id


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_blank_annotator_refused(project: Project, project_path: Path, name: str) -> None:
    before = dump(project_path, shadow=True)
    with pytest.raises(InvalidOperation, match="needs a name"):
        project.annotator(name)
    assert dump(project_path, shadow=True) == before


def test_span_by_a_new_annotator_makes_the_annotator(project: Project) -> None:
    doc = add_doc(project, "some text")
    outcome = project.add_span(doc, 0, 4, "CLAIM", "newcomer")
    newcomer = project.annotators()[-1]
    assert newcomer.name == "newcomer" and outcome.value.annotator_id == newcomer.id
    assert outcome.changes.annotators
    again = project.add_span(doc, 5, 9, "CLAIM", "newcomer")
    assert again.value.annotator_id == newcomer.id and not again.changes.annotators
    assert project.add_span(doc, 0, 9, "CLAIM", newcomer.id).value.annotator_id == newcomer.id


def test_unknown_annotator_id(project: Project, project_path: Path) -> None:
    doc = add_doc(project, "some text")
    before = dump(project_path, shadow=True)
    with pytest.raises(NotFound, match="annotator 42"):
        project.add_span(doc, 0, 4, "CLAIM", 42)
    assert dump(project_path, shadow=True) == before
