"""`parallax export -f` and `parallax import-annotations` for the INCEpTION, CoNLL, Prodigy and Hugging Face formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.storage.project import Project


@pytest.fixture
def annotated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.parallax"
    assert main(["new", str(path), "--sample"]) == 0
    with Project.open(path) as project:
        by_title = {d.title: d.id for d in project.documents()}
        left = by_title["Canada halts some Turkey weapons export; UN field mission to Azerbaijan"]
        spans = []
        for quote, label in (("Mevlüt Çavuşoğlu", "PERSON"), ("Canada has halted some but not all", "CLAIM")):
            start = project.text(left).index(quote)
            spans.append(project.add_span(left, start, start + len(quote), label, "Ana").value.id)
        for doc_id in by_title.values():  # every "Turkey" in every article
            text = project.text(doc_id)
            start = text.find("Turkey")
            while start >= 0:
                project.add_span(doc_id, start, start + 6, "LOCATION", "Ana")
                start = text.find("Turkey", start + 1)
        project.add_link("supports", spans[0], spans[1], "Ana")
    capsys.readouterr()
    return path


def _spans(path: Path, kinds: set[str]) -> set[tuple[str, int, int, str]]:
    with Project.open(path) as project:
        labels = {x.id: x for x in project.labels()}
        texts = {d.id: project.text(d.id)[:40] for d in project.documents()}
        return {
            (texts[s.document_id], s.start, s.end, labels[s.label_id].name)
            for s in project.spans()
            if labels[s.label_id].kind.value in kinds
        }


@pytest.mark.parametrize(
    ("fmt", "out", "kinds", "links"),
    [
        ("tsv3", "ner.zip", {"entity", "claim"}, 0),  # the one link joins an entity and a claim
        ("xmi", "inception.zip", {"entity", "claim"}, 1),
        ("conll", "ner.conll", {"entity"}, 0),
        ("huggingface", "hf", {"entity"}, 0),
        ("prodigy", "prodigy.jsonl", {"entity"}, 0),
    ],
)
def test_export_then_import_on_the_sample_corpus(
    annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, out: str, kinds: set[str], links: int
) -> None:
    target = tmp_path / out
    assert main(["export", str(annotated), "-f", fmt, "-o", str(target)]) == 0
    assert "wrote" in capsys.readouterr().out
    other = tmp_path / "other.parallax"
    assert main(["new", str(other), "--sample"]) == 0
    assert main(["import-annotations", str(other), str(target)]) == 0  # the format is guessed
    printed = capsys.readouterr().out
    assert "0 documents added" in printed and f"{links} links added" in printed
    assert _spans(other, kinds) == _spans(annotated, kinds)
    assert len(_spans(other, kinds)) > 10


def test_conllu_export_prints_its_counts(annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conllu = pytest.importorskip("conllu")
    out = tmp_path / "ner.conllu"
    assert main(["export", str(annotated), "-f", "conllu", "-o", str(out)]) == 0
    written = int(capsys.readouterr().out.split(" documents, ")[1].split(" spans")[0])
    sentences = conllu.parse(out.read_text(encoding="utf-8"))
    tags = [t["misc"]["NER"] for s in sentences for t in s]
    assert sum(tag.startswith("B-") for tag in tags) == written > 10
    assert tags.count("B-LOCATION") >= 10  # every "Turkey"


def test_a_token_file_naming_nobody_says_to_use_the_annotator_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kim.conll"
    path.write_text("Wescam B-ORG\nsold O\n", encoding="utf-8")
    project = tmp_path / "p.parallax"
    assert main(["new", str(project)]) == 0
    assert main(["import-annotations", str(project), str(path)]) == 0
    err = capsys.readouterr().err
    assert (
        "the file names no annotator: its 1 new spans are under 'kim (CoNLL-2003)' (name one with --annotator)" in err
    )
