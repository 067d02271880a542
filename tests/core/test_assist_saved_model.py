"""The recommender's cache file: written whole, read back, refused quietly when damaged or foreign."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from app.assist.model import Scores
from app.assist.proposals import Tagged
from app.assist.saved_model import SavedModel, cache_file, learnt_from, load, save

SPANS = [Tagged(1, 0, 6, 3, "Ottawa"), Tagged(2, 10, 16, 4, "Wescam")]


def test_a_saved_model_comes_back_and_fits_only_spans_that_hold_all_it_learnt(tmp_path: Path) -> None:
    path = cache_file(tmp_path / "a.parallax", 1, tmp_path / "cache")
    assert path != cache_file(tmp_path / "b.parallax", 1, tmp_path / "cache")  # one file per project
    assert path != cache_file(tmp_path / "a.parallax", 2, tmp_path / "cache")  # and per annotator
    scores = Scores(0.5, 0.25, 0.33, 4, 20, 1.5)
    save(path, SavedModel('[nlp]\nlang = "en"\n', b"\x00\x01weights", scores, learnt_from(SPANS), 2))
    kept = load(path)
    assert kept is not None and (kept.config, kept.weights, kept.scores, kept.count) == (
        '[nlp]\nlang = "en"\n',
        b"\x00\x01weights",
        scores,
        2,
    )
    assert load(path, [*SPANS, Tagged(3, 0, 4, 3, "Bonn")]) is not None  # more spans since: still fits
    assert load(path, SPANS[:1]) is None  # a span it learnt from is gone (or another annotator's)
    assert load(path, [Tagged(1, 0, 6, 4, "Ottawa"), SPANS[1]]) is None  # relabelled


def test_a_missing_or_damaged_cache_file_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "x.zip"
    assert load(path) is None
    path.parent.mkdir()
    path.write_bytes(b"not a zip")
    assert load(path) is None and load(path, SPANS) is None


def test_the_weights_are_read_only_when_the_model_fits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.zip"
    save(path, SavedModel("[nlp]", b"weights" * 1000, None, learnt_from(SPANS), 2))
    read: list[str] = []
    real = zipfile.ZipFile.read

    def spy(archive: zipfile.ZipFile, name: str, pwd: bytes | None = None) -> bytes:
        read.append(name)
        return real(archive, name, pwd)

    monkeypatch.setattr(zipfile.ZipFile, "read", spy)  # the standard library's reader, watched
    assert load(path, SPANS[:1]) is None and "weights.bin" not in read  # refused on the meta alone
    assert load(path, SPANS) is not None and "weights.bin" in read
