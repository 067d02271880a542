"""Weekdays of a story that goes on over several days, and the future tense of headlines."""

from __future__ import annotations

import datetime as dt

from app.reconcile.facts import facts, tokens
from app.reconcile.mention import Suggestion
from app.reconcile.suggest import suggest_texts

CAMP = "Police and protesters faced off outside the town hall in Leeds, where the camp has stood for a week."


def _weekdays(texts: dict[int, str], published: dict[int, str | None]) -> list[Suggestion]:
    return [s for s in suggest_texts(texts, published=published) if s.kind == "weekday"]


def _on(text: str, published: dt.date) -> list[object]:
    return [f.when for f in facts(text, tokens(text, 0, len(text)), 0, len(text), published) if f.kind == "weekday"]


def test_each_days_paper_reporting_its_own_day_is_no_conflict() -> None:
    texts = {
        1: f"{CAMP} No one was arrested Tuesday after a fight broke out between the two groups near the camp.",
        2: f"{CAMP} Two people were arrested Wednesday after a fight broke out between the two groups near the camp.",
    }
    assert _weekdays(texts, {1: "2023-03-07", 2: "2023-03-08"}) == []  # Tuesday's paper, Wednesday's paper


def test_one_event_dated_two_ways_on_the_same_day_still_differs() -> None:
    texts = {
        1: f"{CAMP} Two people were arrested Tuesday after a fight broke out between the two groups near the camp.",
        2: f"{CAMP} Two people were arrested Wednesday after a fight broke out between the two groups near the camp.",
    }
    [row] = _weekdays(texts, {1: "2023-03-09", 2: "2023-03-09"})
    assert row.link_kind == "contradicts"


def test_a_headline_subject_to_verb_is_the_future() -> None:
    sunday = dt.date(2016, 7, 24)
    assert _on("Acme to announce deal to buy Widgets on Monday: source\n\nMore follows.", sunday) == [(2016, 7, 25)]
    assert _on("Acme to announce deal to buy Widgets on Monday: source", sunday) == [(2016, 7, 25)]
    assert _on("Acme is due to sign the deal on Monday.", sunday) == [(2016, 7, 25)]
    # In a sentence of the body "X to …" is no future tense: the latest Monday before the paper.
    assert _on("Intro line.\nHe went to Acme on Monday to sign.", sunday) == [(2016, 7, 18)]
    assert _on("Acme sold its stake to Widgets on Monday.", sunday) == [(2016, 7, 18)]
    assert _on("Acme sells Widgets to Bolt on Monday", sunday) == [(2016, 7, 18)]  # "to" a name: no verb
