"""Exchange-format benchmarks: export and re-import 1,000 articles with 10 spans each.

Each format's export, then its import into a copy of the project holding the
same articles (the import matches them by text, or by characters for token
formats, and skips spans already there). Generated articles (bench.corpus),
entity spans on whole words from a fixed seed. Floors, same run: the
documents and spans written with json.dumps from plain SQLite rows (export),
and that file read back with json.loads (import).
Run: python -m bench.bench_exchange
"""

from __future__ import annotations

import json
import random
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from app.formats.readers import import_annotations
from app.formats.writers import FORMATS, export
from app.storage.project import Project
from bench.bench_export import raw_export
from bench.corpus import articles
from bench.table import Figure

ARTICLES, PER_ARTICLE = 1_000, 10
FORMATS_TIMED = ("tsv3", "xmi", "conll", "conllu", "huggingface", "prodigy")
EXPORT_GOAL, IMPORT_GOAL = 10.0, 20.0  # seconds, for 1,000 articles


def build(path: Path, with_spans: bool) -> None:
    rng = random.Random(11)
    entities = [x.name for x in Project.create(path).labels() if x.kind.value == "entity"]
    with Project.open(path) as project:
        ids = project.add_documents(articles(ARTICLES)).value.added
        if not with_spans:
            return
        with project.batch():
            for doc in ids:
                words = [m.span() for m in re.finditer(r"\w+", project.text(doc))]
                for start, end in rng.sample(words, PER_ARTICLE):
                    project.add_span(doc, start, end, rng.choice(entities), "bench")


def floor_import(path: Path) -> float:
    began = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            json.loads(line)
    return time.perf_counter() - began


def figures() -> Iterator[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source, empty = folder / "source.parallax", folder / "empty.parallax"
        build(source, True)
        build(empty, False)
        raw = folder / "raw.jsonl"
        export_floor = raw_export(source, raw)
        import_floor = floor_import(raw)
        for name in FORMATS_TIMED:
            out = folder / f"out-{name}{FORMATS[name].suffix}"
            with Project.open(source) as project:
                began = time.perf_counter()
                report = export(project, name, out)
                exported = time.perf_counter() - began
            yield Figure(f"{name}: export {ARTICLES:,} articles", exported, EXPORT_GOAL, unit="s", floor=export_floor)
            target = folder / f"into-{name}.parallax"
            shutil.copyfile(empty, target)
            with Project.open(target) as project:
                began = time.perf_counter()
                back = import_annotations(project, out)
                imported = time.perf_counter() - began
            assert back.documents_added == 0 and back.spans_added == report.spans, (name, back, report.spans)
            yield Figure(f"{name}: import them back", imported, IMPORT_GOAL, unit="s", floor=import_floor)


def main() -> None:
    from bench.table import print_table

    print_table(list(figures()))


if __name__ == "__main__":
    main()
