"""`Changes` records merge without losing anything, and every feature's undo step goes through `Project.apply`."""

from __future__ import annotations

from dataclasses import fields

import pytest

from app.storage.changes import Changes

SET = {
    "document_ids": frozenset({7}),
    "review_session_ids": frozenset({3}),
    "verdict_link_ids": frozenset({5}),
    "span_ids": frozenset({9}),
}
DERIVED = {"spans": {"spans_unlisted"}}  # spans changed, none named: views must reload them all


@pytest.mark.parametrize("name", [f.name for f in fields(Changes)])
def test_merging_two_records_keeps_every_field_from_either_side(name: str) -> None:
    touched = Changes(**{name: SET.get(name, True)})  # type: ignore[arg-type]
    for merged in (touched | Changes(), Changes() | touched):
        assert getattr(merged, name) == SET.get(name, True)
        others = {f.name for f in fields(Changes)} - {name} - DERIVED.get(name, set())
        assert not any(getattr(merged, other) for other in others)


def test_id_sets_are_joined() -> None:
    merged = Changes(spans=True, document_ids=frozenset({1})) | Changes(links=True, document_ids=frozenset({2}))
    assert merged == Changes(spans=True, links=True, document_ids=frozenset({1, 2}))
