"""Claim pairs for NLI: JSONL and CSV, read back as NLI tooling reads them."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from app.formats.claim_pairs import COLUMNS, export_claim_pairs_csv, export_claim_pairs_jsonl
from app.formats.dataset import Selection
from app.models import NewDocument
from app.storage.project import Project

A = 'Le ministre a dit : « 3 navires sont arrivés ».\nGarneau a confirmé, "sans réserve".'
B = "Only two ships 🚢 arrived, officials said.\nGarneau denied it."


@pytest.fixture
def filled(project: Project) -> dict[str, int]:
    a, b = project.add_documents(
        [
            NewDocument(title="Navires", source="Le Devoir", published="2024-05-01", text=A),
            NewDocument(title="Ships", source="CBC", text=B),
        ]
    ).value.added

    def span(doc: int, piece: str, label: str) -> int:
        start = project.text(doc).index(piece)
        return int(project.add_span(doc, start, start + len(piece), label, "ana").value.id)

    c1, c2 = span(a, "« 3 navires sont arrivés »", "CLAIM"), span(b, "Only two ships 🚢 arrived", "CLAIM")
    c3, c4 = span(a, 'Garneau a confirmé, "sans réserve".', "CLAIM"), span(b, "Garneau denied it.", "CLAIM")
    p1, p2 = span(a, "Garneau", "PERSON"), span(b, "Garneau", "PERSON")
    return {
        "contradicts": project.add_link("contradicts", c1, c2, "bob", note="2 ≠ 3").value.id,
        "supports": project.add_link("supports", c3, c1, "ana").value.id,
        "same_as": project.add_link("same_as", c4, c2, "ana").value.id,
        "updates": project.add_link("updates", c2, c4, "ana").value.id,
        "entities": project.add_link("same_as", p1, p2, "ana").value.id,
        "mixed": project.add_link("contradicts", c3, p2, "ana").value.id,
    }


def _verdict(path: Path, link_id: int, decision: str, decided_at: str) -> None:
    """Write a verdict the way the review feature will (no store API for it yet)."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT OR IGNORE INTO review_session (id, uuid, name, reviewer, created_at)"
            " VALUES (1, 's1', 'first pass', 'rita', '2024-06-01')"
        )
        session = conn.execute(
            "INSERT INTO review_session (uuid, name, reviewer, created_at) VALUES (?, 'pass', 'rita', ?)",
            (decided_at, decided_at),
        ).lastrowid
        conn.execute(
            "INSERT INTO verdict (session_id, link_id, decision, decided_at) VALUES (?, ?, ?, ?)",
            (session, link_id, decision, decided_at),
        )
    conn.close()


EXPECTED = [
    {
        "premise": "« 3 navires sont arrivés »",
        "hypothesis": "Only two ships 🚢 arrived",
        "label": "contradiction",
        "link_kind": "contradicts",
        "premise_document": "Navires",
        "hypothesis_document": "Ships",
        "premise_source": "Le Devoir",
        "hypothesis_source": "CBC",
        "premise_published": "2024-05-01",
        "hypothesis_published": None,
        "annotator": "bob",
        "note": "2 ≠ 3",
    },
    {
        "premise": 'Garneau a confirmé, "sans réserve".',
        "hypothesis": "« 3 navires sont arrivés »",
        "label": "entailment",
        "link_kind": "supports",
        "premise_published": "2024-05-01",
        "hypothesis_published": "2024-05-01",
        "annotator": "ana",
        "note": "",
    },
    {
        "premise": "Garneau denied it.",
        "hypothesis": "Only two ships 🚢 arrived",
        "label": "entailment",
        "link_kind": "same_as",
        "premise_source": "CBC",
    },
]


def test_jsonl_rows(project: Project, project_path: Path, filled: dict[str, int], tmp_path: Path) -> None:
    _verdict(project_path, filled["contradicts"], "undetermined", "2024-06-01T10:00:00+00:00")
    _verdict(project_path, filled["contradicts"], "first_source_right", "2024-06-02T09:00:00+00:00")
    out = tmp_path / "pairs.jsonl"
    report = export_claim_pairs_jsonl(project, out)
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    rows = [json.loads(line) for line in lines[:-1]]
    assert [list(row) for row in rows] == [list(COLUMNS)] * 3
    for row, expected in zip(rows, EXPECTED, strict=True):
        assert row | expected == row
    links = {x.id: x for x in project.links()}
    kinds = ("contradicts", "supports", "same_as")
    assert [r["link_uuid"] for r in rows] == [links[filled[k]].uuid for k in kinds]
    spans = {s.uuid: s.quote for s in project.spans()}
    assert all(spans[r["premise_span_uuid"]] == r["premise"] for r in rows)
    assert [r["verdict"] for r in rows] == ["first_source_right", None, None]  # the latest verdict wins
    assert (report.documents, report.spans, report.links) == (2, 4, 3)
    assert report.warnings == (
        "1 'updates' link(s) between claims skipped (no NLI label)",
        "1 link(s) between a claim and an entity skipped",
    )


def test_csv_reads_back_with_dictreader(project: Project, filled: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    report = export_claim_pairs_csv(project, out)
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        rows = list(reader)
    assert len(rows) == report.links == 3
    for row, expected in zip(rows, EXPECTED, strict=True):
        assert row | {k: "" if v is None else v for k, v in expected.items()} == row
    assert {r["verdict"] for r in rows} == {""}


def test_csv_reads_back_with_pandas(project: Project, filled: dict[str, int], tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    out = tmp_path / "pairs.csv"
    export_claim_pairs_csv(project, out)
    frame = pandas.read_csv(out, keep_default_na=False, dtype=str)
    assert list(frame.columns) == list(COLUMNS)
    assert list(frame["premise"]) == [e["premise"] for e in EXPECTED]
    assert list(frame["label"]) == ["contradiction", "entailment", "entailment"]


def test_selection_and_empty_output(project: Project, filled: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    first = project.documents()[0].id
    report = export_claim_pairs_csv(project, out, Selection(documents=frozenset({first})))
    assert report.links == 1  # only the supports link has both claims in that document
    report = export_claim_pairs_csv(project, out, Selection(labels=frozenset({"PERSON"})))
    assert (report.links, report.warnings) == (0, ())
    assert out.read_bytes() == (",".join(COLUMNS) + "\r\n").encode()
