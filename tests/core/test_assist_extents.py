"""A document's proposals held as arrays answer as the list of `Proposal` objects they replace."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from app.assist.extents import Extents
from app.assist.proposals import Keeps, Proposal, Rejected, text_order
from app.models import LabelKind

TEXT = "Wescam sensors 😀 on Bayraktar drones, said Çavuşoğlu; Wescam again. " * 4


def _random(rng: random.Random, count: int) -> list[Proposal]:
    found = set()
    while len(found) < count:
        start = rng.randrange(len(TEXT) - 12)
        end = start + rng.randint(1, 12)
        found.add(Proposal(7, start, end, rng.choice([1, 2, 3]), TEXT[start:end], rng.choice(["string", "model"])))
    return sorted(found, key=text_order)


def test_extents_give_back_the_proposals_in_text_order_with_their_texts() -> None:
    rng = random.Random(1)
    proposals = _random(rng, 60)
    extents = Extents(7, TEXT, reversed(proposals))
    assert list(extents) == proposals and len(extents) == 60
    assert extents[0] == proposals[0] and extents[-1] == proposals[-1]
    assert extents[10:20] == proposals[10:20] and extents[50:99] == proposals[50:]
    with pytest.raises(IndexError):
        extents[60]
    assert all(extents.find(p) == i for i, p in enumerate(proposals))
    assert proposals[5] in extents
    other = Proposal(7, proposals[5].start, proposals[5].end, proposals[5].label_id, "x", "string")
    if other.source == proposals[5].source:
        other = Proposal(7, other.start, other.end, other.label_id, other.text, "model")
    assert other not in extents and replace(proposals[5], document_id=8) not in extents


def test_meeting_holds_every_proposal_that_overlaps_and_replace_keeps_the_arrays_in_step() -> None:
    rng = random.Random(2)
    proposals = _random(rng, 80)
    extents = Extents(7, TEXT, proposals)
    for _ in range(50):
        start = rng.randrange(len(TEXT))
        end = start + rng.randint(1, 20)
        low, high = extents.meeting(start, end)
        near = extents[low:high]
        assert {p for p in proposals if p.start < end and p.end > start} <= set(near)
        # What meets the stretch goes, a new proposal between the neighbours comes, as a refilter does.
        before = text_order(extents[low - 1]) if low else (0, -1, 0, 0)
        after = text_order(extents[high]) if high < len(extents) else (8, 0, 0, 0)
        new = [p for p in _random(rng, 5) if before < text_order(p) < after][:1]
        kept = sorted({p for p in near if not (p.start < end and p.end > start)} | set(new), key=text_order)
        extents.replace(low, high, list(reversed(kept)))
        proposals = proposals[:low] + kept + proposals[high:]
        assert list(extents) == proposals
        assert list(extents.rows()) == [(p.start, p.end, p.label_id, p.source == "model") for p in proposals]


def test_a_rejection_of_another_form_in_the_setting_refuses_nothing_and_breaks_nothing() -> None:
    """The setting holds whatever strings it was given: one not made by Proposal.key ('junk',
    '²:…') stopped every build with a ValueError."""
    rejected = {"junk", "²:1:2:3", "", Proposal(1, 0, 4, 1, "Ankara").key}
    keeps = Keeps([], {1: LabelKind.ENTITY}, rejected)
    assert not keeps(1, 0, 4, 1)  # the real rejection still holds
    assert keeps(1, 5, 9, 1) and keeps(2, 0, 4, 1)


def test_rejections_held_once_refuse_as_the_plain_keys_do_and_follow_a_replace() -> None:
    """`Rejected` finds the documents its keys name once per change (each `Keeps` walked every
    key); a `Keeps` made from it answers as one made from the plain set."""
    kinds = {1: LabelKind.ENTITY}
    keys = {"junk", Proposal(1, 0, 4, 1, "Ankara").key, Proposal(3, 5, 9, 1, "Wesc").key}
    held = Rejected(keys)
    assert held.documents == {1, 3}
    asked = [(doc, start, end, 1) for doc in (1, 2, 3) for start, end in ((0, 4), (5, 9))]
    plain, shared = Keeps([], kinds, keys), Keeps([], kinds, held)
    assert [shared(*x) for x in asked] == [plain(*x) for x in asked] == [False, True, True, True, True, False]
    held.replace({Proposal(2, 0, 4, 1, "Anka").key})
    assert held.documents == {2} and Proposal(2, 0, 4, 1, "Anka").key in held
    assert [Keeps([], kinds, held)(*x) for x in asked] == [True, True, False, True, True, True]
