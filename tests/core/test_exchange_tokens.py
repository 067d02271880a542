"""CoNLL-2003 import, Prodigy JSONL and Hugging Face token classification: export -> real reader -> import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import ImportRefused
from app.formats.conll import export_conll
from app.formats.conll_reader import import_conll
from app.formats.huggingface import export_huggingface, import_huggingface
from app.formats.prodigy import export_prodigy, import_prodigy
from app.storage.project import Project
from tests.core.exchange_helpers import add_corpus, crlf, fresh, spans_by_text

FIXTURES = Path(__file__).parent / "fixtures" / "exchange"


@pytest.fixture
def corpus(project: Project) -> Project:
    add_corpus(project)
    return project


def test_conll_round_trip_through_spacy_convert(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "ner.conll"
    export_conll(corpus, out)
    spacy_out = tmp_path / "spacy"
    spacy_out.mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", "-c", "ner", str(out), str(spacy_out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "No document delimiters found" not in run.stdout + run.stderr
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    docs = list(DocBin().from_disk(spacy_out / "ner.spacy").get_docs(Vocab()))
    assert len(docs) == 2 and ("ORG", "L3Harris") in [(e.label_, e.text) for e in docs[0].ents]
    for target, with_documents in ((tmp_path / "b.parallax", True), (tmp_path / "c.parallax", False)):
        with fresh(target, with_documents) as other:
            report = import_conll(other, crlf(out))
            assert report.spans_added == 10
            if with_documents:
                assert report.documents_added == 0 and spans_by_text(other) == spans_by_text(corpus)
            else:
                quotes = {(q.replace(" ", ""), label) for _, _, _, q, label in spans_by_text(other)}
                assert quotes == {(q.replace(" ", ""), label) for _, _, _, q, label in spans_by_text(corpus)}


def test_conll_iob1_and_bio_read_alike(project: Project, tmp_path: Path) -> None:
    iob1 = "U.N. I-ORG\nofficial O\nEkeus I-PER\nheads O\nfor O\nBaghdad I-LOC\nBush I-PER\nClinton B-PER\n. O\n"
    bio = "U.N. B-ORG\nofficial O\nEkeus B-PER\nheads O\nfor O\nBaghdad B-LOC\nBush B-PER\nClinton B-PER\n. O\n"
    (tmp_path / "iob1.txt").write_text(iob1, encoding="utf-8")
    (tmp_path / "bio.txt").write_text(bio, encoding="utf-8")
    import_conll(project, tmp_path / "iob1.txt")
    first = {(s.quote, s.start) for s in project.spans()}
    import_conll(project, tmp_path / "bio.txt", "other")
    assert len(project.documents()) == 1  # the same tokens: the same document
    assert {(s.quote, s.start) for s in project.spans()} == first
    assert sorted(q for q, _ in first) == ["Baghdad", "Bush", "Clinton", "Ekeus", "U.N."]


def test_the_original_conll2003_sample_imports_every_entity(project: Project) -> None:
    report = import_conll(project, FIXTURES / "conll2003-sample.txt")
    labels = {x.id: x.name for x in project.labels()}
    found = [(s.quote, labels[s.label_id]) for s in project.spans()]
    assert report.documents_added == 1 and len(found) == report.spans_added
    assert ("EU", "ORG") in found and ("Peter Blackburn", "PER") in found and ("BRUSSELS", "LOC") in found


def test_conll_refusals_name_the_line(project: Project, tmp_path: Path) -> None:
    bad = tmp_path / "bad.conll"
    bad.write_text("-DOCSTART- -X- O O\n\nWescam B-ORG\nsold\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"bad.conll: line 4: 'sold' has no tag column"):
        import_conll(project, bad)
    bad.write_text("Wescam X-ORG\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"'X-ORG' is not a BIO tag"):
        import_conll(project, bad)
    assert project.spans() == [] and project.documents() == []


def test_a_label_kind_clash_is_refused(project: Project, tmp_path: Path) -> None:
    claim = next(x.name for x in project.labels() if x.kind.value == "claim")
    path = tmp_path / "clash.conll"
    path.write_text(f"Wescam B-{claim}\nsold O\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=rf"label '{claim}' is a claim label in the project"):
        import_conll(project, path)
    assert project.documents() == []


def test_prodigy_round_trip(corpus: Project, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    out = tmp_path / "prodigy.jsonl"
    report = export_prodigy(corpus, out)
    assert report.spans == 10
    nlp = spacy.blank("xx")
    for line in out.read_text(encoding="utf-8").splitlines():
        task = json.loads(line)  # as Prodigy's train recipes build a Doc: words + whitespace
        doc = spacy.tokens.Doc(
            nlp.vocab, words=[t["text"] for t in task["tokens"]], spaces=[t["ws"] for t in task["tokens"]]
        )
        for span in task["spans"]:
            found = doc.char_span(span["start"], span["end"], span["label"])
            assert found is not None and found.text == span["text"]
            assert (found.start, found.end - 1) == (span["token_start"], span["token_end"])
    with fresh(tmp_path / "b.parallax") as other:
        assert import_prodigy(other, out).spans_added == 10
        assert spans_by_text(other) == spans_by_text(corpus)
        assert import_prodigy(other, out).spans_skipped == 10  # once only


def test_prodigy_text_with_crlf_and_rejected_answers(project: Project, tmp_path: Path) -> None:
    text = "Wescam 😀\r\nsold to Baykar."
    path = tmp_path / "db-out.jsonl"
    lines = [
        {
            "text": text,
            "spans": [{"start": 10, "end": 14, "label": "ORG"}],
            "answer": "accept",
            "_annotator_id": "ds-kim",
        },
        {"text": "Nothing.", "spans": [{"start": 0, "end": 7, "label": "ORG"}], "answer": "reject"},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    report = import_prodigy(project, path)
    [span] = project.spans()
    assert (span.quote, span.start, project.text(span.document_id)) == ("sold", 9, "Wescam 😀\nsold to Baykar.")
    assert report.warnings == ("line 2: answered 'reject', skipped",)
    assert project.annotators()[-1].name == "ds-kim"


def test_prodigy_token_indices_are_checked(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    task = {
        "text": "Wescam sold",
        "tokens": [{"text": "Wescam", "start": 0, "end": 6, "id": 0}, {"text": "sold", "start": 7, "end": 11, "id": 1}],
        "spans": [{"start": 0, "end": 6, "label": "ORG", "token_start": 0, "token_end": 1}],
    }
    path.write_text(json.dumps(task) + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"bad.jsonl: line 1, span 1: tokens 0-1 do not start and end at 0-6"):
        import_prodigy(project, path)
    assert project.documents() == []


def test_prodigy_published_example_imports_every_span(project: Project) -> None:
    path = FIXTURES / "prodigy-ner-example.jsonl"
    expected = sum(len(json.loads(line).get("spans", [])) for line in path.read_text(encoding="utf-8").splitlines())
    report = import_prodigy(project, path)
    assert report.spans_added == expected > 0


def test_huggingface_round_trip_through_datasets_and_a_collator(corpus: Project, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    transformers = pytest.importorskip("transformers")
    tokenizers = pytest.importorskip("tokenizers")
    out = tmp_path / "hf"
    report = export_huggingface(corpus, out)
    assert report.spans == 10
    train = datasets.load_dataset(str(out), split="train")
    feature = train.features["ner_tags"].feature
    assert isinstance(feature, datasets.ClassLabel) and feature.names[0] == "O"
    first = train[0]
    named = [feature.int2str(t) for t in first["ner_tags"]]
    assert first["tokens"][:2] == ["Mevlüt", "Çavuşoğlu"] and named[:2] == ["B-PERSON", "I-PERSON"]
    # A tokenizer built here, offline: one id per word of the export.
    words = sorted({t for row in train["tokens"] for t in row})
    vocab = {"[PAD]": 0, "[UNK]": 1, **{w: i + 2 for i, w in enumerate(words)}}
    core = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab, unk_token="[UNK]"))
    core.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    tokenizer = transformers.PreTrainedTokenizerFast(tokenizer_object=core, pad_token="[PAD]", unk_token="[UNK]")

    def align(batch: dict[str, list[list[object]]]) -> dict[str, object]:
        encoded = tokenizer(batch["tokens"], is_split_into_words=True, truncation=True)
        encoded["labels"] = [
            [-100 if w is None else tags[w] for w in encoded.word_ids(i)] for i, tags in enumerate(batch["ner_tags"])
        ]
        return encoded

    features = train.map(align, batched=True, remove_columns=train.column_names)
    collator = transformers.DataCollatorForTokenClassification(tokenizer, return_tensors="np")
    batch = collator([features[i] for i in range(len(features))])
    assert batch["input_ids"].shape == batch["labels"].shape
    assert (batch["labels"] == -100).sum() > 0  # padding labelled -100
    assert 1 not in batch["input_ids"]  # every token known: no [UNK]
    with fresh(tmp_path / "b.parallax") as other:
        assert import_huggingface(other, out).spans_added == 10
        assert spans_by_text(other) == spans_by_text(corpus)
