"""The recommenders on the sample corpus: string matching, rejections, accepting, training."""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from app.assist.decisions import accept, reject, rejected_keys
from app.assist.proposals import Proposal, Tagged, fresh, label_kinds, own_spans
from app.assist.string_match import StringMatcher, occurrences, phrase_of, tokens_of
from app.assist.training import MIN_SPANS, due, gathered, training_request, training_set
from app.errors import CorruptProject
from app.storage.project import Project
from app.text.fold import fold
from tests.core.assist_helpers import sample_project, tag_gold


def _tag(project: Project, doc_id: int, text: str, label: str, nth: int = 0) -> None:
    body = project.text(doc_id)
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    project.add_span(doc_id, start, start + len(text), label, "ann")


def _proposals(project: Project) -> list[Proposal]:
    annotator = project.annotator("ann").id
    spans = own_spans(project, annotator)
    matcher = StringMatcher(spans)
    found = [p for d in project.documents() for p in matcher.propose(d.id, project.text(d.id))]
    return fresh(found, spans, label_kinds(project), rejected_keys(project))


def test_tagging_one_wescam_proposes_every_other_in_the_project(project: Project) -> None:
    ids = sample_project(project)
    _tag(project, ids[4], "Wescam", "ORG")
    found = _proposals(project)
    assert [(p.document_id, p.text, p.label_id) for p in found] == [(ids[1], "WESCAM", project.label("ORG").id)]
    assert project.text(ids[1])[found[0].start : found[0].end] == "WESCAM"


def test_folding_joins_spellings_with_and_without_diacritics(project: Project) -> None:
    ids = sample_project(project)
    _tag(project, ids[3], "Mevlüt Çavuşoğlu", "PERSON")
    texts = sorted((ids.index(p.document_id), p.text) for p in _proposals(project))
    assert texts == [(1, "Mevlut Cavusoglu"), (4, "Mevlut Cavusoglu")]


def test_matches_respect_word_boundaries() -> None:
    text = "Turk, Turkey, Turkish; the TURK’s view and a turk."
    matcher = StringMatcher([Tagged(1, 0, 4, 7, "Turk")])
    assert [(p.start, p.text) for p in matcher.propose(1, text)] == [(0, "Turk"), (27, "TURK"), (45, "turk")]


def test_the_longest_known_phrase_wins_and_the_majority_label() -> None:
    text = "L3Harris Wescam and L3Harris alone; Wescam."
    spans = [Tagged(9, 0, 15, 2, "L3Harris Wescam"), Tagged(9, 0, 8, 3, "L3Harris"), Tagged(9, 0, 6, 2, "Wescam")]
    spans += [Tagged(9, 0, 6, 5, "Wescam"), Tagged(9, 0, 6, 5, "Wescam")]
    found = [(p.text, p.label_id) for p in StringMatcher(spans).propose(1, text)]
    assert found == [("L3Harris Wescam", 2), ("L3Harris", 3), ("Wescam", 5)]


def test_occurrences_finds_a_text_across_the_whole_project(project: Project) -> None:
    ids = sample_project(project)
    found = occurrences(project, "Garneau", project.label("PERSON").id)
    per_doc = {ids.index(d): sum(p.document_id == d for p in found) for d in {p.document_id for p in found}}
    expected = {ids.index(d): project.text(d).count("Garneau") for d in ids if "Garneau" in project.text(d)}
    assert per_doc == expected and sum(expected.values()) >= 5


def test_a_rejection_is_remembered_in_the_project_and_undone(project: Project) -> None:
    ids = sample_project(project)
    _tag(project, ids[4], "Garneau", "PERSON")
    before = _proposals(project)
    gone = reject(project, before[:1])
    assert before[0] not in _proposals(project) and len(_proposals(project)) == len(before) - 1
    path = project.path
    project.close()
    with Project.open(path) as reopened:
        assert before[0].key in rejected_keys(reopened)
        assert before[0] not in _proposals(reopened)
        reopened.apply(gone.undo)
        assert _proposals(reopened) == before


def test_accepting_many_is_one_undoable_step_of_ordinary_spans(project: Project) -> None:
    ids = sample_project(project)
    _tag(project, ids[4], "Azerbaijan", "LOCATION")
    found = _proposals(project)
    assert len(found) > 10
    done = accept(project, found, "ann")
    assert {(s.document_id, s.start, s.end, s.quote) for s in done.value} == {
        (p.document_id, p.start, p.end, p.text) for p in found
    }
    assert all(s.annotator_id == project.annotator("ann").id for s in done.value)
    assert _proposals(project) == []
    project.apply(done.undo)
    assert _proposals(project) == found
    assert len(project.spans()) == 1


def test_training_samples_are_the_read_sentences_every_fifth_held_out(project: Project) -> None:
    ids = sample_project(project)
    count = sum(tag_gold(project, d, "ann") for d in ids[:4])
    _tag(project, ids[0], "suspended the export of certain drone technologies", "CLAIM")  # not learned
    data = training_set(project, own_spans(project, project.annotator("ann").id))
    assert data.span_count == count
    samples = [*data.train, *data.held_out]
    assert sum(len(s.entities) for s in samples) <= count
    assert len(data.held_out) == len(samples) // 5
    assert all(s.text[a:b] and label != "CLAIM" for s in samples for a, b, label in s.entities)
    assert "PERSON" in data.labels and "CLAIM" not in data.labels


def test_the_trainer_gathers_the_same_samples_from_the_file_as_the_window_would(project: Project) -> None:
    ids = sample_project(project)
    for d in ids[:3]:
        tag_gold(project, d, "ann")
    _tag(project, ids[0], "suspended the export of certain drone technologies", "CLAIM")  # not learned
    spans = own_spans(project, project.annotator("ann").id)
    request = training_request(project, spans)
    assert len(request.documents) < len(spans)  # the claim is not sent
    assert gathered(request) == training_set(project, spans)
    project.delete_document(ids[0])  # before the trainer reads it: its spans are gone too
    assert gathered(request) == training_set(project, own_spans(project, project.annotator("ann").id))


def test_the_trainer_refuses_a_text_that_contradicts_its_hash(project: Project, tmp_path: Path) -> None:
    ids = sample_project(project)
    tag_gold(project, ids[0], "ann")
    request = training_request(project, own_spans(project, project.annotator("ann").id))
    copy = tmp_path / "damaged.parallax"
    with (
        closing(sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)) as conn,
        closing(sqlite3.connect(copy)) as to,
    ):
        conn.backup(to)
        to.execute("DROP TRIGGER document_text_immutable")
        to.execute("UPDATE document SET text = text || ' ' WHERE id = ?", (ids[0],))
        to.commit()
    with pytest.raises(CorruptProject, match=f"damaged.parallax: the text of document {ids[0]} is damaged"):
        gathered(replace(request, path=str(copy)))


def test_sentences_after_the_last_span_are_not_yet_read(project: Project) -> None:
    ids = sample_project(project)
    _tag(project, ids[4], "Azerbaijan", "LOCATION", nth=1)  # in the second sentence (the title is first)
    data = training_set(project, own_spans(project, project.annotator("ann").id))
    assert [len(s.entities) for s in data.train] == [0, 1] and data.held_out == ()
    assert data.train[1].text.startswith("A Turkish Bayraktar TB2 drone")


def test_training_is_due_with_enough_spans_and_again_as_they_accumulate() -> None:
    assert not due(MIN_SPANS - 1, 0) and not due(MIN_SPANS - 1, 0, force=True)
    assert due(MIN_SPANS, 0)
    assert not due(MIN_SPANS + 9, MIN_SPANS) and due(MIN_SPANS + 10, MIN_SPANS)
    assert not due(1_050, 1_000) and due(1_100, 1_000)  # a tenth more once there are many
    assert due(MIN_SPANS, MIN_SPANS, force=True)  # "Retrain now"


def test_the_matcher_elects_the_majority_label_then_the_newest_as_spans_come_and_go() -> None:
    rng = random.Random(3)
    quotes = ["Wescam", "L3Harris Wescam", "Garneau", "Ottawa"]
    matcher, live, when = StringMatcher([]), [], {}
    for step in range(400):
        if live and rng.random() < 0.4:
            span = live.pop(rng.randrange(len(live)))
            matcher.remove(span)
        else:
            span = Tagged(1, 0, 0, rng.choice([1, 2, 3]), rng.choice(quotes))
            live.append(span)
            matcher.add(span)
            when[(span.quote, span.label_id)] = step
        expected = {}
        for quote in quotes:
            counts = Counter(s.label_id for s in live if s.quote == quote)
            if counts:
                expected[phrase_of(quote)] = max(counts, key=lambda label: (counts[label], when[(quote, label)]))
        assert matcher.phrases == expected, step


def test_a_text_folded_in_pieces_gives_the_tokens_of_the_whole() -> None:
    rng = random.Random(5)
    words = ["Çavuşoğlu", "WESCAM,", "Işık", "drone’s", "😀", "a\x07b", "  ", "\n\n", "L3Harris", "ﬁne", "-"]
    for _ in range(20):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 80)))
        whole = list(re.finditer(r"\w+|[^\w\s]", fold(text)))
        expected = ([m.group() for m in whole], [m.start() for m in whole], [m.end() for m in whole])
        for chunk in (1, 7, 50, len(text) + 1):
            tokens, starts, ends = tokens_of(text, chunk)
            assert (list(tokens), list(starts), list(ends)) == expected, (text, chunk)
