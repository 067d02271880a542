"""Rows read back from the project file are not validated by pydantic again, yet equal validated
records, and what the schema cannot say (a label's hotkey) is still checked."""

from __future__ import annotations

import pytest

from app.models import Document, Label, LabelKind, Link, LinkKind
from app.storage import rows


def test_rows_read_back_equal_validated_records() -> None:
    doc = rows.document((1, "u", "Title", "Outlet", "https://x", None, "Text.", "sha", '{"a": 1}', "2024-01-01"))
    label = rows.label((2, " PERSON ", "entity", "#0072B2", "1", 0))
    link = rows.link((3, "v", "same_as", 4, 5, 1, "", "2024-01-01"))
    assert doc == Document(
        id=1, uuid="u", title="Title", source="Outlet", url="https://x", published=None,
        text="Text.", text_sha256="sha", meta={"a": 1}, imported_at="2024-01-01",
    )  # fmt: skip
    assert list(doc.__dict__) == list(Document.model_fields)
    assert label == Label(id=2, name="PERSON", kind="entity", color="#0072B2", hotkey="1")
    assert label.kind is LabelKind.ENTITY and link.kind is LinkKind.SAME_AS
    assert link == Link(
        id=3, uuid="v", kind="same_as", source_span_id=4, target_span_id=5, annotator_id=1, created_at="2024-01-01"
    )


@pytest.mark.parametrize("hotkey", ["12", " ", "\x07"])
def test_a_stored_hotkey_that_is_not_one_printable_key_is_refused_as_before(hotkey: str) -> None:
    with pytest.raises(ValueError, match="one printable character"):
        rows.label((2, "PERSON", "entity", "#0072B2", hotkey, 0))
