"""The Agreement view: its table model, chart and TSV copy, on the sample corpus."""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.formats.articles import import_paths
from app.models import NewDocument
from app.resources import sample_corpus_path
from app.storage.project import Project
from app.team.agreement import ALL_LABELS, ALL_LINKS, agreement
from app.team.agreement_tables import table_rows, to_tsv
from tests.ui.dialog_helpers import screenshot
from ui.team.agreement_view import AgreementDialog, AgreementModel

pytestmark = pytest.mark.gui

NAMES = {
    "Canada": "LOCATION",
    "Turkey": "LOCATION",
    "Azerbaijan": "LOCATION",
    "Armenia": "LOCATION",
    "Nagorno-Karabakh": "LOCATION",
    "Marc Garneau": "PERSON",
    "Champagne": "PERSON",
    "Global Affairs Canada": "ORG",
    "Baykar": "ORG",
    "L3Harris": "ORG",
    "drone": "EQUIPMENT",
    "Bayraktar TB2": "EQUIPMENT",
    "2020": "DATE",
    "Monday": "DATE",
}


def activate(widget: QWidget) -> None:
    """Lay out now what the event loop would lay out next (the chart's new height)."""
    layout = widget.layout()
    assert layout is not None
    layout.activate()


@pytest.fixture
def team(project: Project) -> Project:
    """The sample corpus tagged by three annotators who mostly, not always, agree."""
    import_paths(project, [sample_corpus_path()])
    draw = random.Random(3)
    first_claims: dict[str, list[int]] = {}
    for doc in project.documents():
        text = project.text(doc.id)
        mentions = [(m.start(), m.end(), NAMES[m.group()]) for m in re.finditer("|".join(NAMES), text)][:40]
        sentence = re.search(r"[A-Z][^.]{40,}\.", text)
        assert sentence is not None
        for who, care in (("ana", 0.9), ("ben", 0.75), ("cem", 0.6)):
            for start, end, label in mentions:
                if draw.random() > care:
                    continue
                if draw.random() > care:
                    label = draw.choice(["PERSON", "ORG", "LOCATION"])
                if draw.random() > care + 0.05 and end < len(text) - 2:
                    end += 2
                project.add_span(doc.id, start, end, label, who)
            start, end = sentence.span()
            trimmed = end - (0 if draw.random() < care else 12)
            first_claims.setdefault(who, []).append(project.add_span(doc.id, start, trimmed, "CLAIM", who).value.id)
    for who, claims in first_claims.items():
        for left, right in itertools.pairwise(claims):
            project.add_link("contradicts" if who != "cem" or left % 2 else "supports", left, right, who)
    project.add_span(project.documents()[0].id, 0, 4, "PERSON", "gold")
    return project


def test_model_passes_the_model_tester(qtmodeltester: Any, team: Project) -> None:
    model = AgreementModel(agreement(team))
    qtmodeltester.check(model)
    model.show_pair(0)
    qtmodeltester.check(model)
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Exact F1"
    assert model.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole) is not None


def test_dialog_shows_everyone_then_one_pair(qtbot: QtBot, team: Project) -> None:
    dialog = AgreementDialog(team)
    qtbot.addWidget(dialog)
    dialog.show()
    report = dialog.report
    assert report.annotators == ("ana", "ben", "cem")  # gold left out
    assert [dialog.pairs.itemText(i) for i in range(1, 4)] == ["ana vs ben", "ana vs cem", "ben vs cem"]
    names = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert names[names.index(ALL_LABELS) + 1 :] == ["Links: contradicts", "Links: supports", ALL_LINKS]
    overall = dialog.model.rows[names.index(ALL_LABELS)]
    assert overall.alpha == report.labels[-1].alpha and overall.overlap_f1 is not None
    assert dialog.bars()[names.index(ALL_LABELS)][1] == overall.overlap_f1
    dialog.pairs.setCurrentIndex(1)
    assert dialog.model.rows == table_rows(report, 0)
    dialog.measure.setCurrentIndex(dialog.measure.findData("kappa"))
    bars = dialog.bars()
    assert len(bars) == names.index(ALL_LABELS) + 1  # κ is for labels, not links
    assert bars[-1][1] == report.pairs[0].labels[-1].kappa
    activate(dialog)
    screenshot(dialog, "agreement_pair")
    dialog.pairs.setCurrentIndex(0)
    dialog.measure.setCurrentIndex(dialog.measure.findData("overlap_f1"))
    dialog.resize(780, 720)
    activate(dialog)
    screenshot(dialog, "agreement")


def test_copy_as_tsv(qtbot: QtBot, team: Project) -> None:
    dialog = AgreementDialog(team)
    qtbot.addWidget(dialog)
    dialog.copy.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == to_tsv(table_rows(dialog.report))
    assert copied.splitlines()[0].split("\t")[:3] == ["Label / link kind", "Items", "Exact F1"]


def test_too_few_annotators_says_so(qtbot: QtBot, project: Project) -> None:
    (doc,) = project.add_documents([NewDocument(text="Only ana tagged this.")]).value.added
    project.add_span(doc, 0, 3, "PERSON", "ana")
    dialog = AgreementDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "at least two annotators" in dialog.summary.text() and dialog.pairs.count() == 1
    assert all(value is None for _, value, _ in dialog.bars())
    screenshot(dialog, "agreement_empty")


def test_the_view_shows_per_document_figures_gold_and_the_confusion_heat_map(
    qtbot: QtBot, project: Project, tmp_path
) -> None:
    (doc,) = project.add_documents(
        [NewDocument(text="Acme met Bob in Paris.", title="Meeting", source="Reuters")]
    ).value.added
    for who, label in (("ana", "ORG"), ("ben", "LOCATION"), ("gold", "ORG")):
        project.add_span(doc, 0, 4, label, who)
        project.add_span(doc, 9, 12, "PERSON", who)
    dialog = AgreementDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.documents.rowCount() == 1 and dialog.documents.item(0, 0).text() == "Meeting · Reuters"
    labels = dialog.heatmap.labels
    org, location = labels.index("ORG"), labels.index("LOCATION")
    assert dialog.heatmap.counts[org][location] == 1 and dialog.heatmap.counts[location][org] == 1
    assert dialog.heatmap.cell_color(org, location).alphaF() > 0.3  # the mix-up stands out
    assert dialog.heatmap.cell_color(len(labels) - 1, len(labels) - 1).alphaF() == 0  # O/O would swamp it
    assert [dialog.pairs.itemText(i) for i in range(dialog.pairs.count())][-2:] == [
        "ana against gold",
        "ben against gold",
    ]
    dialog.pairs.setCurrentIndex(dialog.pairs.count() - 2)
    overall = next(r for r in dialog.model.rows if r.name == ALL_LABELS)
    assert overall.exact_f1 == 1.0  # ana agrees with gold exactly
    dialog.tabs.setCurrentIndex(2)
    dialog.grab().save(str(tmp_path / "confusion.png"))
