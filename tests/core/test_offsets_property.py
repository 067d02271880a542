"""Offsets are Python code points, whatever the text: property-tested with emoji (astral,
skin tones, ZWJ sequences), combining marks, right-to-left scripts, NBSP and CRLF. Spans
quote exactly text[start:end], survive close and reopen unchanged, and a tampered quote is
caught on load."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import CorruptProject
from app.storage.project import Project
from tests.core.store_helpers import add_doc, fresh_copy

ATOMS = (
    "a",
    "Z",
    "7",
    " ",
    "\n",
    # no "\r\n": the core stores line ends as LF (tests/core/test_untrusted_inputs.py)
    "\t",
    ".",
    "😀",
    "👍🏽",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇹🇷",
    "𝔘",  # astral, skin tone, ZWJ family, flags
    "e\u0301",
    "\u0301",
    "n\u0303\u0323",  # combining marks, also stacked and stray
    "Ç",
    "ş",
    "ı",
    "İ",
    "ß",
    "مرحبا",
    "ש",
    "\u05e9\u05c1",
    "\u200f",
    "\u200d",
    "\u202e",  # RTL, marks, ZWJ, overrides
    "\u00a0",
    "\u2009",
    "한",
    "中",
)

# Each example builds its own project in its own folder (copied from the session template),
# so nothing leaks between examples. The one function-scoped fixture around these tests is
# conftest's autouse redirection of HOME and XDG folders, which is right to share.
PROPERTY = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

texts = st.lists(st.sampled_from(ATOMS), min_size=1, max_size=30).map("".join)


@st.composite
def text_and_ranges(
    draw: st.DrawFn,
    source: st.SearchStrategy[str] = texts,
) -> tuple[str, list[tuple[int, int]]]:
    text = draw(source)
    ranges = []
    for _ in range(draw(st.integers(1, 5))):
        start = draw(st.integers(0, len(text) - 1))
        ranges.append((start, draw(st.integers(start + 1, len(text)))))
    return text, ranges


def check_round_trip(template: Path, text: str, ranges: list[tuple[int, int]]) -> None:
    with fresh_copy(template) as path:
        with Project.open(path) as project:
            doc = add_doc(project, text)
            made = []
            for start, end in ranges:
                span = project.add_span(doc, start, end, "CLAIM", "ana").value
                assert (span.start, span.end, span.quote) == (start, end, text[start:end])
                made.append(span)
            loaded = project.spans(doc)
            assert sorted(loaded, key=lambda s: s.id) == made
        with Project.open(path) as project:
            assert project.text(doc) == text
            assert project.spans(doc) == loaded
            assert project.documents()[0].length == len(text)


@given(text_and_ranges())
@PROPERTY
def test_quotes_are_code_point_slices_and_survive_reopen(
    _template_project: Path, case: tuple[str, list[tuple[int, int]]]
) -> None:
    check_round_trip(_template_project, *case)


# Any storable text: no lone surrogates (not UTF-8), no NUL (refused by add_documents), no CR (made LF).
@given(
    text_and_ranges(
        st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r"), min_size=1, max_size=40)
    )
)
@PROPERTY
def test_any_text_at_all(_template_project: Path, case: tuple[str, list[tuple[int, int]]]) -> None:
    check_round_trip(_template_project, *case)


@pytest.mark.parametrize(
    ("text", "start", "end", "quote"),
    [
        ("😀x", 0, 1, "😀"),  # one code point here, two UTF-16 units in Qt
        ("😀x", 1, 2, "x"),
        ("👍🏽!", 0, 2, "👍🏽"),  # a skin-toned thumb is two code points
        ("👍🏽!", 0, 1, "👍"),  # and may be split between them, as Python would
        ("e\u0301t", 0, 2, "e\u0301"),
        ("e\u0301t", 1, 3, "\u0301t"),
        ("a\r\nb", 1, 2, "\n"),  # CRLF is stored as LF
        ("שלום עולם", 5, 9, "עולם"),
        ("a\u00a0b", 1, 2, "\u00a0"),
    ],
)
def test_examples(project: Project, text: str, start: int, end: int, quote: str) -> None:
    doc = add_doc(project, text)
    assert project.add_span(doc, start, end, "PERSON", "ana").value.quote == quote


@given(text_and_ranges(), st.sampled_from(["quote", "start", "end"]))
@PROPERTY
def test_tampering_is_caught_on_load(
    _template_project: Path, case: tuple[str, list[tuple[int, int]]], column: str
) -> None:
    text, ranges = case
    with fresh_copy(_template_project) as path:
        with Project.open(path) as project:
            doc = add_doc(project, text)
            span = project.add_span(doc, *ranges[0], "CLAIM", "ana").value
        changed = _tampered(text, span.start, span.end, span.quote, column)
        if changed is None:
            return  # this edit would still quote the same text: nothing to catch
        copy = path.with_name("tampered.parallax")
        shutil.copyfile(path, copy)
        with closing(sqlite3.connect(copy)) as conn:
            conn.execute(f'UPDATE span SET "{column}" = ? WHERE id = ?', (changed, span.id))
            conn.commit()
        with Project.open(copy) as project, pytest.raises(CorruptProject, match=span.uuid):
            project.spans()
        with Project.open(path) as project:  # the original is untouched and fine
            assert project.spans() == [span]


def _tampered(text: str, start: int, end: int, quote: str, column: str) -> str | int | None:
    if column == "quote":
        return quote[:-1] + ("x" if quote[-1] != "x" else "y")
    if column == "start":
        moved = start + 1 if start + 1 < end else start - 1
        return moved if moved >= 0 and text[moved:end] != quote else None
    moved = end - 1 if end - 1 > start else end + 1
    return moved if moved <= len(text) and text[start:moved] != quote else None
