"""The trained recommender kept between sessions: a cache file per project, not project data.

Training spaCy takes tens of seconds on a 2-core machine; without a cache every open trained
again. After each training the model (spaCy's config and weights), its scores and the spans
it learnt from are written to one zip in the user's cache folder, named after the project
file's path and the annotator (each annotator's model is kept: switching back trains nothing).
On the next open it is used again while the annotator's spans still hold every span it learnt
from (so spans since deleted or relabelled train anew); the usual
rule (`app.assist.training.due`) then decides when enough new spans call for a retraining.
A missing, damaged or foreign cache file is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from platformdirs import user_cache_path

from app.assist.model import Scores
from app.assist.proposals import Tagged

Learnt = frozenset[tuple[int, int, int, int, str]]  # (document, start, end, label, quote)


@dataclass(frozen=True)
class SavedModel:
    config: str
    weights: bytes
    scores: Scores | None
    learnt: Learnt
    count: int  # the entity spans it was trained on, for `due`


def learnt_from(spans: Iterable[Tagged]) -> Learnt:
    return frozenset((s.document_id, s.start, s.end, s.label_id, s.quote) for s in spans)


def cache_file(project_path: Path, annotator: int, folder: Path | None = None) -> Path:
    """Where a project's model for one annotator is kept (the user cache folder unless `folder`
    is given): one per annotator, so switching annotator and back does not train again."""
    key = hashlib.sha256(f"{project_path.resolve()}\0{annotator}".encode()).hexdigest()[:24]
    return (folder or user_cache_path("parallax", appauthor=False) / "models") / f"{key}.zip"


def save(path: Path, model: SavedModel) -> None:
    """Write the cache file whole (a temporary file renamed), so a crash leaves the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "scores": asdict(model.scores) if model.scores else None,
        "learnt": sorted(model.learnt),
        "count": model.count,
    }
    partial = path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.cfg", model.config)
        archive.writestr("weights.bin", model.weights)
        archive.writestr("meta.json", json.dumps(meta))
    partial.replace(path)


def load(path: Path, spans: Iterable[Tagged] | None = None) -> SavedModel | None:
    """The cached model, or None when there is none, it cannot be read or (`spans` given) it does
    not fit them; that is checked before the weights (tens of MB) are read."""
    try:
        with zipfile.ZipFile(path) as archive:
            meta = json.loads(archive.read("meta.json"))
            learnt = frozenset((int(d), int(s), int(e), int(x), str(q)) for d, s, e, x, q in meta["learnt"])
            if spans is not None and not learnt <= learnt_from(spans):
                return None
            config = archive.read("config.cfg").decode("utf-8")
            weights = archive.read("weights.bin")
        scores = Scores(**meta["scores"]) if meta["scores"] else None
        return SavedModel(config, weights, scores, learnt, int(meta["count"]))
    except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile):
        return None
