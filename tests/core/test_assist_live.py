"""Proposals kept up to date edit by edit are exactly those a full recompute gives."""

from __future__ import annotations

import random

from app.assist.live import DocumentProposals
from app.assist.proposals import Proposal, RangeIndex, Tagged, fresh, text_order
from app.assist.string_match import StringMatcher
from app.models import LabelKind

WORDS = ["Canada", "Turkey", "drone", "sensor", "Wescam", "L3Harris", "the", "of", "said", "Garneau", ",", "."]
KINDS = {1: LabelKind.ENTITY, 2: LabelKind.ENTITY, 3: LabelKind.CLAIM}


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(600))


def _random_span(rng: random.Random, text: str) -> Tagged:
    words = [i for i in range(len(text)) if (i == 0 or text[i - 1] == " ") and text[i] != " "]
    at = rng.randrange(len(words) - 4)
    start = words[at]
    end = text.index(" ", words[at + rng.randint(0, 2)])
    return Tagged(1, start, end, rng.choice(list(KINDS)), text[start:end])


def _model(rng: random.Random, text: str) -> list[Proposal]:
    found = []
    for _ in range(40):
        span = _random_span(rng, text)
        found.append(Proposal(1, span.start, span.end, rng.choice([1, 2]), span.quote, "model"))
    return found


def merge(first: list[Proposal], second: list[Proposal]) -> list[Proposal]:
    """The reference, on objects: proposals of two recommenders of one document; where they
    overlap, `first` (string match) wins."""
    taken = RangeIndex((item.start, item.end) for item in first)
    return sorted(first + [item for item in second if not taken.overlaps(item.start, item.end)], key=text_order)


def test_spans_added_and_removed_one_by_one_give_what_a_full_recompute_gives() -> None:
    for seed in range(6):
        rng = random.Random(seed)
        text = _text(rng)
        spans = [_random_span(rng, text) for _ in range(20)]
        matcher = StringMatcher(spans)
        model = _model(rng, text)
        rejected: set[str] = set()
        live = DocumentProposals(1, text, matcher, model, spans, KINDS, rejected)
        for step in range(60):
            if step % 4 == 3 and spans:
                span = spans.pop(rng.randrange(len(spans)))
                changed, _ = matcher.remove(span), live.remove_span(span)
            else:
                span = _random_span(rng, text)
                spans.append(span)
                changed, _ = matcher.add(span), live.add_span(span)
            live.refilter(span.start, span.end)
            live.mark([changed] if changed else [])
            if seed % 2:  # a visible stretch first, then the rest in pieces, as the window does
                window = rng.randrange(len(text))
                live.repair(matcher, window, window + 300)
                while live.pending:
                    live.repair(matcher, rng.randrange(len(text)), None)
            live.repair(matcher)
            if step == 30:  # the model retrained: other proposals
                model = _model(rng, text)
                live.set_model(model)
            if step % 10 == 5:  # a rejection of one shown proposal
                shown = live.shown[rng.randrange(len(live.shown))]
                rejected.add(shown.key)
                live.refilter(shown.start, shown.end)
            whole = DocumentProposals(1, text, matcher, model, spans, KINDS, rejected)
            assert list(live.string) == list(whole.string), (seed, step)
            assert list(live.shown.rows()) == list(whole.shown.rows()), (seed, step)
            # and the whole build, in arrays, is what the plain functions on objects give
            reference = fresh(merge(matcher.propose(1, text), model), spans, KINDS, rejected)
            assert list(whole.shown) == reference, (seed, step)
        assert len(live.shown) > 20  # the check compared something


def test_a_burst_of_edits_repaired_screen_by_screen_then_in_pieces_gives_a_full_recompute() -> None:
    """Keys with no pause between them: many phrases noted before the rest is repaired, each
    key's screen repaired at once, the rest in background pieces (one cut short by its deadline)."""
    for seed in range(8):
        rng = random.Random(100 + seed)
        text = _text(rng)
        spans = [_random_span(rng, text) for _ in range(10)]
        matcher = StringMatcher(spans)
        model = _model(rng, text)
        live = DocumentProposals(1, text, matcher, model, spans, KINDS, set())
        for step in range(40):
            span = _random_span(rng, text)
            spans.append(span)
            changed, _ = matcher.add(span), live.add_span(span)
            live.refilter(span.start, span.end)
            live.mark([changed] if changed else [])
            window = rng.randrange(len(text))
            live.repair(matcher, window, window + rng.choice([40, 300, 2000]))
            if step % 13 == 12:  # a pause: some background pieces, the first with its deadline passed
                live.repair(matcher, until=-1.0)
                for _ in range(rng.randrange(1, 4)):
                    live.repair(matcher, until=float("inf"))
        while live.pending:
            live.repair(matcher, until=float("inf"))
        whole = DocumentProposals(1, text, matcher, model, spans, KINDS, set())
        assert list(live.string) == list(whole.string), seed
        assert list(live.shown.rows()) == list(whole.shown.rows()), seed
        assert len(whole.shown) > 20  # the check compared something


def test_a_repair_reports_only_the_stretches_that_changed() -> None:
    text = "the drone sensor of Canada said the drone"
    spans = [Tagged(1, 4, 9, 1, "drone")]
    matcher = StringMatcher(spans)
    live = DocumentProposals(1, text, matcher, [], spans, KINDS, set())
    live.mark([("drone",)])  # noted again, though nothing the matcher proposes changed
    assert live.repair(matcher) == []
    assert not live.pending
    added = Tagged(1, 10, 16, 2, "sensor")
    matcher.add(added)
    live.add_span(added)
    live.refilter(added.start, added.end)
    live.mark([("sensor",)])
    assert live.repair(matcher) == [(10, 16)]
    assert [p.text for p in live.string] == ["drone", "sensor", "drone"]
