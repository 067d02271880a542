"""The shipped sample project: example spans at the right offsets, links, one review session."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.errors import ParallaxError
from app.events.store import events
from app.models import LinkKind
from app.review.sessions import disputes, sessions, verdicts
from app.sample import build_sample
from app.storage.project import Project


def test_sample_has_spans_claims_links_and_a_review(tmp_path: Path) -> None:
    path = tmp_path / "sample.parallax"
    summary = build_sample(path)
    with Project.open(path) as project:
        spans = project.spans()
        assert len(spans) == summary.spans >= 20
        for span in spans:  # every quote is exactly the text at its offsets
            assert project.text(span.document_id)[span.start : span.end] == span.quote
        labels = {project.label(s.label_id).name for s in spans}
        assert {"PERSON", "LOCATION", "DATE", "QUANTITY", "EQUIPMENT", "CLAIM"} <= labels
        kinds = {link.kind for link in project.links()}
        assert kinds == set(LinkKind)
        assert len({s.document_id for s in spans}) == 5
        (review,) = sessions(project)
        assert len(disputes(project, review)) == 2
        assert len(verdicts(project, review.id)) == 1
        (event,) = events(project)  # grouped by the events package: the five articles report one decision
        assert sorted(event.documents) == sorted(d.id for d in project.documents()) and summary.events == 1


def test_empty_sample_has_the_articles_only(tmp_path: Path) -> None:
    path = tmp_path / "clean.parallax"
    build_sample(path, annotated=False)
    with Project.open(path) as project:
        assert len(project.documents()) == 5
        assert project.spans() == [] and project.links() == [] and sessions(project) == []
        assert [len(e.documents) for e in events(project)] == [5]


def test_cli_new_sample_prints_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.parallax"
    assert main(["new", str(path), "--sample"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"created {path}: 5 sample articles, 24 example spans, 7 links, 1 review session, 1 event"]


def test_an_existing_file_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "mine.parallax"
    path.write_bytes(b"someone's work")
    with pytest.raises(ParallaxError):
        build_sample(path)
    assert path.read_bytes() == b"someone's work"


def test_a_quote_missing_from_the_corpus_leaves_no_half_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.sample

    bad = ("Canada Blocks", "PERSON", "a phrase no article has", 0, "")
    monkeypatch.setattr(app.sample, "SPANS", (*app.sample.SPANS, bad))
    path = tmp_path / "half.parallax"
    with pytest.raises(ParallaxError, match="a phrase no article has"):
        build_sample(path)
    assert not path.exists() and list(tmp_path.iterdir()) == []
