"""Regressions found in review: evidence order through undo, hotkeys."""

from __future__ import annotations

import pytest

from app.errors import InvalidOperation
from app.models import NewDocument
from app.review.sessions import Decision, Scope, set_verdict, start_session, verdicts
from app.storage.project import Project


def test_undoing_a_delete_keeps_the_order_of_evidence(project: Project) -> None:
    a, b = project.add_documents(
        [
            NewDocument(text="All 29 permits were cancelled by Garneau."),
            NewDocument(text="Some permits were cancelled."),
        ]
    ).value.added
    left = project.add_span(a, 0, 14, "CLAIM", "Ana").value
    right = project.add_span(b, 0, 13, "CLAIM", "Ana").value
    person = project.add_span(a, 33, 40, "PERSON", "Ana").value
    denial = project.add_span(b, 14, 27, "CLAIM", "Ana").value
    link = project.add_link("contradicts", left.id, right.id, "Ana").value
    session = start_session(project, "S", "Rev", Scope()).value
    set_verdict(project, session.id, link.id, Decision("conflict_confirmed"), "", [person.id, denial.id])
    before = [v.evidence for v in verdicts(project, session.id)]
    assert before == [(person.id, denial.id)]
    project.apply(project.delete_spans([person.id]).undo)
    assert [v.evidence for v in verdicts(project, session.id)] == before


@pytest.mark.parametrize("hotkey", ["", "12", " ", "\\n", "\\x00"])
def test_a_hotkey_is_one_printable_character(project: Project, hotkey: str) -> None:
    with pytest.raises(InvalidOperation, match="hotkey"):
        project.add_label("WEAPON", "entity", hotkey=hotkey)
