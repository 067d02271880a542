"""Agreement per document, each annotator against gold, and the label confusion matrix,
checked against scikit-learn on random cases; who counts as an annotator."""

from __future__ import annotations

import random
from itertools import combinations

from sklearn.metrics import cohen_kappa_score, confusion_matrix

from app.models import NewDocument
from app.storage.project import Project
from app.team.agreement import ALL_LABELS, agreement
from app.team.agreement_tables import format_agreement, number

LABELS = ("ORG", "PERSON", "LOCATION")
WORDS = 16


def text(n: int) -> str:
    return " ".join(f"w{n}x{i}" for i in range(WORDS))  # tokens of 4-5 characters, one space apart


def token_bounds(body: str) -> list[tuple[int, int]]:
    found, start = [], 0
    for word in body.split(" "):
        found.append((start, start + len(word)))
        start += len(word) + 1
    return found


def random_spans(draw: random.Random, body: str) -> list[tuple[int, int, str]]:
    """Non-overlapping spans over whole tokens, so each token's label is plain to see."""
    bounds, spans, i = token_bounds(body), [], 0
    while i < WORDS:
        width = draw.randint(1, 3)
        if draw.random() < 0.45 and i + width <= WORDS:
            spans.append((bounds[i][0], bounds[i + width - 1][1], draw.choice(LABELS)))
        i += width
    return spans


def token_labels(body: str, spans: list[tuple[int, int, str]]) -> list[str]:
    labels = ["O"] * WORDS
    for start, end, label in spans:
        for index, (a, b) in enumerate(token_bounds(body)):
            if a < end and start < b:
                labels[index] = label
    return labels


def test_confusion_per_document_and_gold_match_scikit_learn(project: Project) -> None:
    for seed in range(6):
        draw = random.Random(seed)
        with Project.create(project.path.with_name(f"r{seed}.parallax")) as case:
            bodies = [text(n) for n in range(3)]
            docs = case.add_documents([NewDocument(text=b, title=f"T{n}", source="Out") for n, b in enumerate(bodies)])
            made: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
            for who in ("ana", "ben", "cem", "gold"):
                for doc, body in zip(docs.value.added, bodies, strict=True):
                    spans = random_spans(draw, body) if draw.random() < 0.85 else []
                    for start, end, label in spans:
                        case.add_span(doc, start, end, label, who)
                    if spans:
                        made[(who, doc)] = spans
            report = agreement(case)
            assert report.pairs and report.by_document and report.versus_gold  # every case has something to check
            labels = list(report.confusion_labels)
            assert labels[-1] == "O" and set(labels[:-1]) <= set(LABELS)
            total = [[0] * len(labels) for _ in labels]
            for pair in report.pairs:
                shared = [d for d in docs.value.added if (pair.first, d) in made and (pair.second, d) in made]
                ya = [x for d in shared for x in token_labels(bodies[d - 1], made[(pair.first, d)])]
                yb = [x for d in shared for x in token_labels(bodies[d - 1], made[(pair.second, d)])]
                expected = confusion_matrix(ya, yb, labels=labels).tolist() if ya else [[0] * len(labels)] * len(labels)
                assert [list(r) for r in pair.confusion] == expected
                for i, row in enumerate(expected):
                    for j, n in enumerate(row):
                        total[i][j] += n
                        total[j][i] += n
            assert [list(r) for r in report.confusion] == total
            for item in report.by_document:
                who = [a for a in ("ana", "ben", "cem") if (a, item.document_id) in made]
                assert item.annotators == tuple(who) and item.title.startswith("T") and item.outlet == "Out"
                body = bodies[item.document_id - 1]
                kappas, exact = [], []
                for a, b in combinations(who, 2):
                    sa, sb = set(made[(a, item.document_id)]), set(made[(b, item.document_id)])
                    exact.append(2 * len(sa & sb) / (len(sa) + len(sb)))
                    ya, yb = token_labels(body, list(sa)), token_labels(body, list(sb))
                    if len(set(ya) | set(yb)) > 1:
                        kappas.append(cohen_kappa_score(ya, yb))
                assert item.exact_f1 is not None and abs(item.exact_f1 - sum(exact) / len(exact)) < 1e-9
                if kappas and item.kappa is not None:
                    assert abs(item.kappa - sum(kappas) / len(kappas)) < 1e-9
            for versus in report.versus_gold:
                assert versus.second == "gold"
                shared = [d for d in docs.value.added if (versus.first, d) in made and ("gold", d) in made]
                sa = {(d, *s) for d in shared for s in made[(versus.first, d)]}
                sg = {(d, *s) for d in shared for s in made[("gold", d)]}
                overall = next(s for s in versus.labels if s.name == ALL_LABELS)
                assert overall.exact_f1 == (2 * len(sa & sg) / (len(sa) + len(sg)) if sa or sg else None)


def test_only_people_with_work_are_annotators_and_gold_is_exactly_gold(project: Project) -> None:
    (doc,) = project.add_documents([NewDocument(text="Alice met Bob in Paris.")]).value.added
    project.add_span(doc, 0, 5, "PERSON", "ana")
    project.add_span(doc, 10, 13, "PERSON", "Gold")  # a person called Gold, not the gold layer
    project.add_span(doc, 0, 5, "PERSON", "gold")
    project.annotator("lead")  # the lead opened the team file: known, but made nothing
    report = agreement(project)
    assert report.annotators == ("Gold", "ana")
    assert [(p.first, p.second) for p in report.pairs] == [("Gold", "ana")]
    assert [p.first for p in report.versus_gold] == ["Gold", "ana"]
    assert "lead" not in format_agreement(report) and "Label confusion" in format_agreement(report)


def test_a_tiny_negative_prints_as_zero() -> None:
    assert number(-0.0001) == "0.000" and number(-0.01) == "-0.010" and number(None) == "—"
