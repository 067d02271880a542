"""Reconciliation on real-news patterns: counts denied or differing on one occasion (not two), sums
with million/billion, the future tense of a weekday, spans since the last such event, and a civil
war against a war between two parties."""

from __future__ import annotations

import datetime as dt

from app.reconcile.characterisations import characterisation_conflicts
from app.reconcile.facts import facts, tokens
from app.reconcile.mention import Suggestion
from app.reconcile.suggest import suggest_texts
from app.reconcile.tallies import all_tallies
from app.reconcile.when import weekday_date
from app.text.sentences import sentences_by_doc


def _disagreements(texts: dict[int, str], published: dict[int, str | None]) -> list[Suggestion]:
    return [s for s in suggest_texts(texts, published=published) if s.link_kind != "same_as"]


def _quoted(s: Suggestion, texts: dict[int, str]) -> set[tuple[int, str]]:
    return {(m.doc, texts[m.doc][m.start : m.end]) for m in s.mentions}


PROTEST = (
    "Police cleared the protest camp outside the town hall in Leeds early on Monday after a night of standoffs."
    " Officers in riot gear moved in shortly after the deadline passed."
)


def test_no_arrests_against_a_count_of_arrests_on_the_same_day() -> None:
    texts = {
        1: PROTEST + " No arrests have been made, a police spokesman said.",
        2: PROTEST + " Seven demonstrators were arrested during the confrontation, police said.",
    }
    found = _disagreements(texts, {1: "2023-03-06", 2: "2023-03-06"})
    [row] = [s for s in found if s.kind == "number"]
    assert row.link_kind == "contradicts" and not row.minor
    assert {(1, "No"), (2, "Seven")} <= _quoted(row, texts)  # "No arrests": a count of zero


def test_counts_of_two_different_days_are_not_compared() -> None:
    texts = {
        1: "No arrests were made at the protest outside the town hall in Leeds on Sunday, police said.",
        2: "Five arrests were made at the protest outside the town hall in Leeds on Monday, police said.",
    }
    found = _disagreements(texts, {1: "2023-03-06", 2: "2023-03-06"})
    assert [s for s in found if s.kind in ("number", "quantifier")] == []


def test_a_past_attack_is_compared_with_the_past_attack_not_with_todays() -> None:
    lead = "Two bombs exploded at the central bus station in Quetta on Friday, police said."
    texts = {
        1: lead + " The blasts killed 20 people. Four years ago a bomb at the same station killed 14 people.",
        2: lead + " At least 20 people were killed. In March 2019, a bombing there left 19 people dead.",
    }
    found = _disagreements(texts, {1: "2023-06-09", 2: "2023-06-09"})
    [row] = [s for s in found if s.kind == "number"]
    assert _quoted(row, texts) == {(1, "14"), (2, "19")}  # today's 20 agree


def test_a_sum_in_billions_is_its_value_and_different_sums_are_not_one_thing() -> None:
    text = "The group will buy the port operator for $4.8 billion, and paid $55 million in fees."
    amounts = [f for f in facts(text, tokens(text, 0, len(text)), 0, len(text)) if f.kind == "amount"]
    assert [f.value for f in amounts] == [4.8e9, 5.5e7]
    texts = {
        1: "Atlas Group agreed on Monday to buy the port operator Harbourline for $4.8 billion in cash.",
        2: "Atlas Group agreed on Monday to buy the port operator Harbourline, valued at $4.4 billion last year.",
    }
    assert [s for s in _disagreements(texts, {1: "2023-05-08", 2: "2023-05-08"}) if s.kind == "number"] == []


def test_a_weekday_in_the_future_tense_is_the_next_one() -> None:
    sunday = dt.date(2023, 5, 7)
    assert weekday_date("monday", sunday, ahead=True) == dt.date(2023, 5, 8)
    text = "The company will announce the deal on Monday, a source said."
    [day] = [f for f in facts(text, tokens(text, 0, len(text)), 0, len(text), sunday) if f.kind == "weekday"]
    assert day.when == (2023, 5, 8)


def test_the_span_since_the_last_such_event_is_no_count() -> None:
    texts = {
        1: "A car bomb killed 12 people in the market of Kirkuk on Friday, the deadliest attack in three years.",
        2: "A car bomb killed 12 people in the market of Kirkuk on Friday, the first such attack for two years.",
    }
    assert _disagreements(texts, {1: "2023-06-09", 2: "2023-06-09"}) == []


def test_a_civil_war_against_a_war_between_two_parties() -> None:
    texts = {
        1: "Sudan was backed by its neighbour in its civil war over the disputed border region.",
        2: "Aid groups warned about the conflict between Sudan and Chad over the border region.",
        3: "Aid groups warned about the civil war in Sudan over the border region.",
    }
    related = {(a, b) for a in texts for b in texts if a != b}
    found = characterisation_conflicts(texts, related, sentences_by_doc(texts))
    assert {(x.doc, y.doc) for _, _, x, y, *_ in found} == {(1, 2), (3, 2)}
    assert all(link == "contradicts" and "civil war" in reason for _, link, _, _, reason, *_ in found)


def test_tallies_are_read_only_from_related_articles() -> None:
    texts = {1: "Four people were arrested on Monday.", 2: "Nine people were arrested on Monday.", 3: "Two died."}
    related = {(1, 2), (2, 1)}
    found = all_tallies(texts, {}, sentences_by_doc(texts), related)
    assert sorted(found) == [1, 2]  # article 3 is compared with none: its counts are not read
    assert [t.fact.value for t in found[1]] == [4.0]


def test_a_hedged_price_against_an_exact_one_for_the_same_purchase() -> None:
    texts = {
        1: "Acme Corp will buy Widgets Inc (WDG.N) for about $5 billion, according to a person familiar with it.",
        2: "Acme Corp has agreed to buy the toy maker Widgets for $4.6 billion, the two companies said.",
    }
    [row] = [s for s in _disagreements(texts, {1: "2023-05-07", 2: "2023-05-08"}) if s.kind == "number"]
    assert {(1, "5"), (2, "4.6")} <= _quoted(row, texts)


def test_two_sums_of_different_things_are_not_compared() -> None:
    texts = {
        1: "Acme Corp will buy Widgets for $4.6 billion. Its stakes in Bolt have a combined value of $40 billion.",
        2: "Acme Corp will buy Widgets for $4.6 billion. Widgets' market value was more than $37 billion on Monday.",
    }
    assert [s for s in _disagreements(texts, {1: "2023-05-08", 2: "2023-05-08"}) if s.kind == "number"] == []


def test_a_measure_of_the_event_compared_outside_aligned_passages() -> None:
    lead = "An earthquake killed 12 people in the hills of Paktika province early on Wednesday, officials said."
    texts = {
        1: f"{lead} It had a magnitude of 6.1, the agency's first reading showed.",
        2: f"{lead} Rescuers dug through rubble all day. The survey put the quake's magnitude at 5.9.",
    }
    [row] = [s for s in _disagreements(texts, {1: "2022-06-22", 2: "2022-06-22"}) if s.kind == "number"]
    assert row.reason.startswith("measure differs") and {(1, "6.1"), (2, "5.9")} <= _quoted(row, texts)
    assert "magnitude 6.1" in row.reason and "magnitude 5.9" in row.reason  # the measure named, not the words after
    texts[2] = texts[2].replace("5.9", "6.1")
    assert [s for s in _disagreements(texts, {1: "2022-06-22", 2: "2022-06-22"}) if s.kind == "number"] == []


def test_a_percent_sign_is_the_word_percent() -> None:
    said = "Acme will reach an estimated {} share of the national advertising market next year, analysts said."
    texts = {1: said.format("4.5%"), 2: said.format("5.2 %")}
    [row] = [s for s in _disagreements(texts, {1: "2023-05-08", 2: "2023-05-08"}) if s.kind == "number"]
    assert {(1, "4.5"), (2, "5.2")} <= _quoted(row, texts)
    texts[2] = said.format("4.5 percent")
    assert [s for s in _disagreements(texts, {1: "2023-05-08", 2: "2023-05-08"}) if s.kind == "number"] == []
