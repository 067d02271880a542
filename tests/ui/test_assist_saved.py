"""The trained recommender is kept between sessions: a second open proposes with it, no training."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.assist.proposals import Tagged
from app.assist.saved_model import load
from app.models import LabelKind
from app.storage.project import Project
from tests.core.assist_helpers import sample_project, tag_gold
from ui.workspace.assist_model import ModelDriver

pytestmark = [pytest.mark.gui, pytest.mark.slow]


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the user cache folder, per test
    return tmp_path / "cache"


def _own(project: Project, who: str) -> tuple[list[Tagged], dict[int, LabelKind]]:
    person = next(a for a in project.annotators() if a.name == who)
    spans = [Tagged(s.document_id, s.start, s.end, s.label_id, s.quote) for s in project.spans()]
    mine = [t for t, s in zip(spans, project.spans(), strict=True) if s.annotator_id == person.id]
    return mine, {label.id: label.kind for label in project.labels()}


def _driver(project: Project, who: str = "Ana") -> tuple[ModelDriver, list[int]]:
    """A model driver for an annotator and the training progress it reports (empty: no training ran)."""
    driver = ModelDriver(project, annotator=project.annotator(who).id)
    progress: list[int] = []
    driver.progress.connect(progress.append)
    return driver, progress


def test_a_second_session_proposes_with_the_kept_model_without_training(
    qtbot, project_path: Path, cache_home: Path
) -> None:
    project = Project.open(project_path)
    ids = sample_project(project)
    for doc in ids[:4]:
        tag_gold(project, doc, "Ana")
    spans, kinds = _own(project, "Ana")
    first, trained_first = _driver(project)
    with qtbot.waitSignal(first.trained, timeout=300_000):
        first.consider_training(spans, kinds, force=True)
    assert trained_first and first.scores is not None
    first.close()  # waits for the cache file to be written
    kept = load(first.cache)
    entities = sum(kinds[s.label_id] == LabelKind.ENTITY for s in spans)
    assert kept is not None and kept.count == entities and first.cache.is_relative_to(cache_home)

    second, trained_second = _driver(project)
    with qtbot.waitSignal(second.trained, timeout=60_000):
        second.consider_training(spans, kinds)
    assert trained_second == [] and not second.training  # no training: the kept model answers
    assert second.scores == first.scores
    qtbot.waitUntil(lambda: bool(second.proposals(ids[4])), timeout=60_000)  # it proposes in an untagged article
    second.close()

    tag_gold(project, ids[4], "Lee")  # another annotator's spans: the kept model is not theirs
    lee, _ = _own(project, "Lee")
    assert load(first.cache, lee) is None and load(first.cache, spans) is not None  # refused on its meta
    third, _ = _driver(project, "Lee")
    assert third.cache != first.cache  # Lee's model goes to a file of its own: Ana's stays
    third.reset(project.annotator("Ana").id)  # switching back to Ana reads Ana's kept model
    assert third.cache == first.cache and load(third.cache, spans) is not None
    third.close()
    project.close()
