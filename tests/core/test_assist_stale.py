"""The index of stale places: taken by stretch or by first token, each place once."""

from __future__ import annotations

from app.assist.stale import StalePlaces

TOKENS = tuple(["the", "drone", "of", "the", "sensor", "of", "the", "drone", "said", "the"])


def _firsts() -> dict[str, list[int]]:
    firsts: dict[str, list[int]] = {}
    for at, token in enumerate(TOKENS):
        firsts.setdefault(token, []).append(at)
    return firsts


def test_places_where_the_whole_phrase_occurs_are_taken_once() -> None:
    stale = StalePlaces(_firsts())
    stale.mark([("the", "drone")])
    assert stale.take_in(TOKENS, 0, 4) == [0]  # "the of" at 3 is noted, taken, not returned
    assert stale.take_in(TOKENS, 0, 4) == []
    assert stale.take_in(TOKENS, 0, len(TOKENS)) == [6]
    assert not stale


def test_a_long_stretch_is_taken_token_by_token_with_the_same_answer() -> None:
    tokens = TOKENS * 10  # long enough to be taken token by token
    firsts: dict[str, list[int]] = {}
    for at, token in enumerate(tokens):
        firsts.setdefault(token, []).append(at)
    phrases = [("of",), ("the", "sensor"), ("drone", "said")]
    whole, pieces = StalePlaces(firsts), StalePlaces(firsts)
    whole.mark(phrases)
    pieces.mark(phrases)
    found = whole.take_in(tokens, 1, len(tokens))
    assert found == [
        at for low in range(1, len(tokens), 7) for at in pieces.take_in(tokens, low, min(low + 7, len(tokens)))
    ]
    assert found[:4] == [2, 3, 5, 7]
    assert bool(whole) and bool(pieces)  # the "the" at 0 waits in both
    assert whole.take_in(tokens, 0, 1) == pieces.take_in(tokens, 0, 1) == []
    assert not whole and not pieces


def test_some_places_at_a_time_and_put_back_when_the_deadline_comes() -> None:
    stale = StalePlaces(_firsts())
    stale.mark([("the",)])
    assert stale.take_some(TOKENS, 2) == [0, 3]
    stale.put_back(TOKENS, [3])
    assert stale.take_some(TOKENS, 5) == [3, 6, 9]
    assert not stale
    stale.put_back(TOKENS, [6])  # its phrases were forgotten: any phrase may start there
    assert stale.take_in(TOKENS, 0, len(TOKENS)) == [6]


def test_marking_again_notes_the_places_taken_before() -> None:
    stale = StalePlaces(_firsts())
    stale.mark([("the",)])
    assert stale.take_in(TOKENS, 0, 5) == [0, 3]
    stale.mark([("the",)])
    assert stale.take_in(TOKENS, 0, len(TOKENS)) == [0, 3, 6, 9]
