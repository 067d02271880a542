"""Records are plain frozen objects validated by pydantic when built by a call, as pydantic models were."""

from __future__ import annotations

import pickle

import pytest

from app.models import Label, LabelKind, LinkKind, NewDocument, Span
from app.review.models import ReviewSession, Scope


def test_a_record_built_by_a_call_is_checked_and_converted() -> None:
    label = Label(id=1, name="  PERSON ", kind="entity", color="#0072B2", hotkey="1")
    assert label.name == "PERSON" and label.kind is LabelKind.ENTITY  # its validators and types ran
    with pytest.raises(ValueError, match="pattern"):
        Label(id=1, name="PERSON", kind="entity", color="blue")
    with pytest.raises(ValueError, match="one printable character"):
        Label(id=1, name="PERSON", kind="entity", color="#0072B2", hotkey="12")
    with pytest.raises(ValueError, match="at least 1 character"):
        NewDocument(text="")
    with pytest.raises(ValueError, match="Extra inputs"):
        NewDocument(text="x", colour="red")


def test_records_within_records_come_back_as_records() -> None:
    session = ReviewSession(
        id=1, uuid="u", name="n", reviewer="r", scope={"kinds": ["supports"]}, created_at="2024-01-01"
    )
    assert type(session.scope) is Scope and session.scope.kinds == (LinkKind.SUPPORTS,)
    again = ReviewSession(**session.model_dump())
    assert again == session and hash(again) == hash(session)
    assert Scope.model_validate({"kinds": ["supports"]}) == session.scope
    assert session.model_dump()["scope"] == {
        "kinds": (LinkKind.SUPPORTS,), "only_undecided": False, "document_ids": None, "within": False, "label": None
    }  # fmt: skip
    assert session.scope.model_dump_json() == (
        '{"kinds":["supports"],"only_undecided":false,"document_ids":null,"within":false,"label":null}'
    )


def test_a_record_is_frozen_copied_by_model_copy_and_pickled() -> None:
    label = Label(id=1, name="PERSON", kind="entity", color="#0072B2")
    with pytest.raises(TypeError):
        label.name = "ORG"  # type: ignore[misc]
    renamed = label.model_copy(update={"name": "ORG"})
    assert (renamed.name, label.name) == ("ORG", "PERSON") and renamed != label
    assert pickle.loads(pickle.dumps(label)) == label
    assert repr(label) == (
        "Label(id=1, name='PERSON', kind=<LabelKind.ENTITY: 'entity'>, color='#0072B2', hotkey=None, position=0)"
    )


def test_exactly_typed_fields_give_the_record_pydantic_makes_of_others() -> None:
    attrs = {"checked": True}
    fields = {"id": 1, "uuid": "u", "document_id": 2, "start": 0, "end": 5, "label_id": 3, "annotator_id": 4}
    exact = Span(**fields, quote="hello", attrs=attrs, created_at="2024-01-01")  # kept as given: no pydantic
    converted = Span(**fields | {"id": "1", "start": 0.0}, quote="hello", attrs=attrs, created_at="2024-01-01")
    assert exact == converted and type(converted.id) is int and type(converted.start) is int
    assert exact.attrs == attrs and exact.attrs is not attrs  # copied, as pydantic copies a dict
    assert exact.note == "" and list(exact.model_dump()) == list(Span.model_fields)
    with pytest.raises(ValueError, match="Field required"):
        Span(**fields, quote="hello")  # created_at missing: pydantic's error
    with pytest.raises(ValueError, match="Input should be a valid integer"):
        Span(**fields | {"start": "five"}, quote="hello", created_at="t")
