"""Agreement figures against values worked out by hand (arithmetic in the comments)
and, where installed, against scikit-learn and the `krippendorff` package."""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from dataclasses import asdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models import NewDocument
from app.storage.project import Project
from app.team.agreement import (
    ALL_LABELS,
    ALL_LINKS,
    AgreementReport,
    Score,
    agreement,
    overlap_pairs,
)
from app.team.agreement_tables import format_agreement, table_rows, to_tsv
from app.team.token_agreement import OUTSIDE, Tokens, alpha_of, cohen_kappa, krippendorff_alpha

TEXT = "Alice met Bob and Carol in Paris."
# tokens:  Alice 0-5 | met 6-9 | Bob 10-13 | and 14-17 | Carol 18-23 | in 24-26 | Paris 27-32 | . 32-33


def add(project: Project, doc: int, who: str, *spans: tuple[int, int, str]) -> list[int]:
    return [project.add_span(doc, start, end, label, who).value.id for start, end, label in spans]


def doc(project: Project, text: str = TEXT) -> int:
    return project.add_documents([NewDocument(text=text)]).value.added[0]


def score(scores: tuple[Score, ...], name: str) -> Score:
    return next(s for s in scores if s.name == name)


@pytest.fixture
def small(project: Project) -> AgreementReport:
    """ana: Alice, Bob (PERSON), Paris (LOCATION); ben: Alice, "Bob and" (PERSON)."""
    first = doc(project)
    add(project, first, "ana", (0, 5, "PERSON"), (10, 13, "PERSON"), (27, 32, "LOCATION"))
    add(project, first, "ben", (0, 5, "PERSON"), (10, 17, "PERSON"))
    alone = doc(project, "Only ana read this one.")  # ben made no span here: left out for the pair
    add(project, alone, "ana", (0, 4, "PERSON"))
    add(project, first, "gold", (18, 23, "PERSON"))  # the reserved annotator is never counted
    return agreement(project)


def test_span_f1_exact_and_overlap(small: AgreementReport) -> None:
    (pair,) = small.pairs
    assert (pair.first, pair.second, pair.documents, pair.tokens) == ("ana", "ben", 1, 8)
    overall = score(pair.labels, ALL_LABELS)
    # ana 3 spans, ben 2. Exact: Alice only -> 2·1/(3+2) = 0.4. Overlap: Alice, Bob~"Bob and" -> 2·2/5 = 0.8
    assert (overall.count_a, overall.count_b, overall.exact, overall.overlap) == (3, 2, 1, 2)
    assert overall.exact_f1 == pytest.approx(0.4) and overall.overlap_f1 == pytest.approx(0.8)
    person = score(pair.labels, "PERSON")  # 2 vs 2: exact 2·1/4 = 0.5, overlap 2·2/4 = 1
    assert person.exact_f1 == pytest.approx(0.5) and person.overlap_f1 == pytest.approx(1.0)
    location = score(pair.labels, "LOCATION")  # 1 vs 0: nothing matches
    assert (location.exact_f1, location.overlap_f1) == (0.0, 0.0)
    assert small.annotators == ("ana", "ben") and small.documents == 1


def test_token_kappa_and_alpha(small: AgreementReport) -> None:
    overall = score(small.pairs[0].labels, ALL_LABELS)
    # ana: P O P O O O L O    ben: P O P P O O O O    agree on 6 of 8 tokens
    # ana P2 O5 L1, ben P3 O5 L0: chance = (2·3 + 5·5 + 1·0)/64 = 31/64
    # κ = (48/64 − 31/64) / (1 − 31/64) = 17/33
    assert overall.kappa == pytest.approx(17 / 33)
    # α: 16 values, P5 O10 L1, Σn_c² = 126, n² − Σn_c² = 130; disagreeing units (O,P) and (L,O)
    # each add (2² − 2)/(2 − 1) = 2, so α = 1 − 15·4/130 = 70/130
    assert overall.alpha == pytest.approx(70 / 130)
    person = score(small.pairs[0].labels, "PERSON")
    # PERSON covers ana {0,2}, ben {0,2,3}: both 2, ben only 1, neither 5; rows T2 F6, cols T3 F5
    # κ = (8·7 − (2·3 + 6·5)) / (64 − 36) = 20/28
    assert person.kappa == pytest.approx(20 / 28)
    assert score(small.pairs[0].labels, "LOCATION").kappa == 0.0  # ben never says LOCATION: κ = 0


def test_long_span_against_two_short_ones_is_one_overlap_match(project: Project) -> None:
    first = doc(project)
    add(project, first, "ana", (0, 33, "CLAIM"))
    add(project, first, "ben", (0, 13, "CLAIM"), (14, 33, "CLAIM"))
    claim = score(agreement(project).pairs[0].labels, "CLAIM")
    assert (claim.exact, claim.overlap) == (0, 1)
    assert claim.overlap_f1 == pytest.approx(2 * 1 / (1 + 2))  # not 2·2/3


def test_overlap_pairing_maximises_pairs_before_overlap() -> None:
    # A0 0-10, A1 9-11; B0 5-10, B1 0-2. Greedy by largest overlap takes A0~B0 (5) and strands
    # A1 and B1; the best pairing is A0~B1 and A1~B0: two pairs.
    assert overlap_pairs([(0, 10), (9, 11)], [(5, 10), (0, 2)]) == [(0, 1), (1, 0)]
    # among equally many pairs, the most overlap: A0 0-4 should go with B1 0-4, not B0 3-8
    assert overlap_pairs([(0, 4), (3, 9)], [(3, 8), (0, 4)]) == [(0, 1), (1, 0)]
    assert overlap_pairs([(0, 5)], [(5, 9)]) == []  # touching is not overlapping
    assert overlap_pairs([], [(0, 1)]) == []


intervals = st.lists(st.tuples(st.integers(0, 20), st.integers(1, 6)).map(lambda t: (t[0], t[0] + t[1])), max_size=5)


@given(intervals, intervals)
def test_overlap_pairing_is_optimal_one_to_one(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    def overlap(i: int, j: int) -> int:
        return max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))

    pairs = overlap_pairs(a, b)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    assert all(overlap(i, j) for i, j in pairs)
    best = (0, 0)  # brute force: (pairs, overlap) over every one-to-one choice
    for size in range(min(len(a), len(b)) + 1):
        for rows in itertools.combinations(range(len(a)), size):
            for cols in itertools.permutations(range(len(b)), size):
                found = [overlap(i, j) for i, j in zip(rows, cols, strict=True)]
                if all(found):
                    best = max(best, (size, sum(found)))
    assert (len(pairs), sum(overlap(i, j) for i, j in pairs)) == best


def test_tokens_take_the_shortest_covering_span() -> None:
    tokens = Tokens(TEXT)
    assert list(tokens.covered(11, 15)) == [2, 3]  # a span cutting "Bob" and "and" covers both
    labels = tokens.labels([(0, 33, "CLAIM"), (10, 23, "GROUP"), (10, 13, "PERSON")])
    assert labels == ["CLAIM", "CLAIM", "PERSON", "GROUP", "GROUP", "CLAIM", "CLAIM", "CLAIM"]
    assert tokens.labels([(0, 5, "B"), (0, 5, "A")])[0] == "A"  # a tie goes to the name sorting first
    assert tokens.labels([])[0] == OUTSIDE
    assert tokens.coverage([(0, 33, "CLAIM"), (10, 13, "PERSON")]) == {"CLAIM": set(range(8)), "PERSON": {2}}


def test_kappa_edge_cases() -> None:
    assert cohen_kappa(Counter({("O", "O"): 5})) is None  # no variation: κ undefined
    assert cohen_kappa(Counter()) is None
    # perfect disagreement on two balanced classes: p_o = 0, p_e = 1/2, κ = −1
    assert cohen_kappa(Counter({("A", "B"): 2, ("B", "A"): 2})) == -1.0


def test_kappa_matches_scikit_learn() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    draw = random.Random(7)
    for _ in range(50):
        size = draw.randint(2, 40)
        a = [draw.choice("OPLC") for _ in range(size)]
        b = [x if draw.random() < 0.6 else draw.choice("OPL") for x in a]
        expected = cohen_kappa(Counter(zip(a, b, strict=True)))
        if expected is not None:
            assert expected == pytest.approx(metrics.cohen_kappa_score(a, b))


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example C:
# 4 observers, 12 units, missing values; α = 0.743.
TEXTBOOK = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_alpha_textbook_example() -> None:
    assert krippendorff_alpha(zip(*TEXTBOOK, strict=True)) == pytest.approx(0.743, abs=5e-4)
    assert alpha_of(Counter({("A",): 3})) is None  # no unit with two values
    assert alpha_of(Counter({("A", "A"): 3})) is None  # one value only: no expected disagreement


def test_alpha_matches_the_krippendorff_package() -> None:
    krippendorff = pytest.importorskip("krippendorff")
    numpy = pytest.importorskip("numpy")

    def package(rows: list[list[int | None]]) -> float:
        data = numpy.array([[numpy.nan if v is None else v for v in row] for row in rows], dtype=float)
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))

    assert krippendorff_alpha(zip(*TEXTBOOK, strict=True)) == pytest.approx(package(TEXTBOOK))
    draw = random.Random(11)
    for _ in range(30):
        coders, units = draw.randint(2, 5), draw.randint(3, 25)
        rows = [[draw.choice([None, 0, 1, 1, 2]) for _ in range(units)] for _ in range(coders)]
        ours = krippendorff_alpha(zip(*rows, strict=True))
        values = {v for row in rows for v in row if v is not None}
        pairable = [u for u in zip(*rows, strict=True) if sum(v is not None for v in u) >= 2]
        if ours is not None and len(values) > 1 and pairable:
            assert ours == pytest.approx(package(rows))


def test_link_agreement(project: Project) -> None:
    first, second = doc(project), doc(project, "Bob says he never met Alice in Paris.")
    # ana: Alice, claim (whole sentence), Paris in the first; Alice, claim, Paris in the second
    a = add(project, first, "ana", (0, 5, "PERSON"), (0, 33, "CLAIM"), (27, 32, "LOCATION"))
    a2 = add(project, second, "ana", (22, 27, "PERSON"), (0, 37, "CLAIM"), (31, 36, "LOCATION"))
    # ben: the same entities, his claims a little shorter
    b = add(project, first, "ben", (0, 5, "PERSON"), (0, 32, "CLAIM"), (27, 32, "LOCATION"))
    b2 = add(project, second, "ben", (22, 27, "PERSON"), (0, 36, "CLAIM"), (31, 36, "LOCATION"))
    project.add_link("same_as", a[0], a2[0], "ana")
    project.add_link("same_as", b2[0], b[0], "ben")  # other direction: same_as ignores it
    project.add_link("contradicts", a[1], a2[1], "ana")
    project.add_link("contradicts", b[1], b2[1], "ben")  # ends overlap ana's, not equal
    project.add_link("supports", a[2], a2[2], "ana")
    project.add_link("supports", b2[2], b[2], "ben")  # other direction: supports keeps it
    report = agreement(project)
    links = report.pairs[0].links
    # same_as: exact and overlap; contradicts: overlap only; supports: neither
    # overall exact 2·1/(3+3) = 1/3, overlap 2·2/6 = 2/3
    overall = score(links, ALL_LINKS)
    assert (overall.count_a, overall.count_b, overall.exact, overall.overlap) == (3, 3, 1, 2)
    assert overall.exact_f1 == pytest.approx(1 / 3) and overall.overlap_f1 == pytest.approx(2 / 3)
    assert (score(links, "same_as").exact_f1, score(links, "same_as").overlap_f1) == (1.0, 1.0)
    assert (score(links, "contradicts").exact_f1, score(links, "contradicts").overlap_f1) == (0.0, 1.0)
    assert (score(links, "supports").exact_f1, score(links, "supports").overlap_f1) == (0.0, 0.0)
    assert [t.name for t in report.links] == ["contradicts", "supports", "same_as", ALL_LINKS]
    assert report.links[-1].items == 6


def test_three_annotators_alpha_with_missing_documents(project: Project) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    numpy = pytest.importorskip("numpy")
    first, second = doc(project), doc(project, "Carol met Alice.")  # tokens: Carol met Alice .
    add(project, first, "ana", (0, 5, "PERSON"), (27, 32, "LOCATION"))
    add(project, first, "ben", (0, 5, "PERSON"), (10, 13, "PERSON"))
    add(project, first, "cem", (0, 5, "ORG"), (27, 32, "LOCATION"))
    add(project, second, "ana", (0, 5, "PERSON"))
    add(project, second, "cem", (0, 5, "PERSON"), (10, 15, "PERSON"))  # ben never opened it
    report = agreement(project)
    assert [(p.first, p.second) for p in report.pairs] == [("ana", "ben"), ("ana", "cem"), ("ben", "cem")]
    assert report.documents == 2 and report.tokens == 12
    codes = {"O": 0, "PERSON": 1, "LOCATION": 2, "ORG": 3}
    ana = "PERSON O O O O O LOCATION O | PERSON O O O"
    ben = "PERSON O PERSON O O O O O | - - - -"  # "-": ben has no value for the second document
    cem = "ORG O O O O O LOCATION O | PERSON O PERSON O"
    data = numpy.array([[codes.get(v, numpy.nan) for v in row.replace("|", "").split()] for row in (ana, ben, cem)])
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert report.labels[-1].name == ALL_LABELS and report.labels[-1].alpha == pytest.approx(expected)
    assert report.pairs[1].documents == 2 and report.pairs[0].documents == 1


def test_report_serialises_and_prints(small: AgreementReport) -> None:
    assert json.loads(json.dumps(asdict(small)))["pairs"][0]["first"] == "ana"
    text = format_agreement(small)
    assert "Annotators: ana, ben (gold left out)" in text and "ana vs ben: documents both annotated 1, tokens 8" in text
    assert "All labels             5     0.400       0.800      0.515             0.538" in text
    rows = table_rows(small)
    assert [r.name for r in rows] == ["PERSON", "LOCATION", ALL_LABELS, ALL_LINKS]
    assert to_tsv(rows).splitlines()[3] == "All labels\t5\t0.400\t0.800\t0.515\t0.538"
    assert to_tsv(rows).splitlines()[4] == "All links\t0\t—\t—\t—\t—"


def test_one_annotator_is_not_enough(project: Project) -> None:
    add(project, doc(project), "ana", (0, 5, "PERSON"))
    report = agreement(project)
    assert report.pairs == () and report.documents == 0
    assert "at least two annotators" in format_agreement(report)
    assert table_rows(report)[0].overlap_f1 is None
