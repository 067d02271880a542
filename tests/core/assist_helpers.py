"""The sample corpus tagged the way a consistent annotator would, for the recommender tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.formats.articles import import_paths
from app.resources import sample_corpus_path
from app.storage.project import Project

GAZETTEER = Path(__file__).parent / "fixtures" / "sample_entities.json"


def gold_entities(text: str) -> list[tuple[int, int, str]]:
    """Every whole-word occurrence of a gazetteer name, longest first, never overlapping."""
    names = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    pairs = sorted(
        ((name, label) for label, found in names.items() if label != "about" for name in found),
        key=lambda pair: -len(pair[0]),
    )
    taken: list[tuple[int, int, str]] = []
    for name, label in pairs:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if all(match.end() <= s or match.start() >= e for s, e, _ in taken):
                taken.append((match.start(), match.end(), label))
    return sorted(taken)


def sample_project(project: Project) -> list[int]:
    """Import the five sample articles; their ids in file order."""
    import_paths(project, [sample_corpus_path()])
    by_title = {d.title: d.id for d in project.documents()}
    manifest = json.loads((sample_corpus_path() / "manifest.json").read_text(encoding="utf-8"))
    return [by_title[d["title"]] for d in manifest["documents"]]


def tag_gold(project: Project, doc_id: int, annotator: str) -> int:
    """Tag one document with every gazetteer entity; how many spans were made."""
    entities = gold_entities(project.text(doc_id))
    with project.batch():
        for start, end, label in entities:
            project.add_span(doc_id, start, end, label, annotator)
    return len(entities)
