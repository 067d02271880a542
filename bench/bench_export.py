"""Export benchmark: 100,000 spans to Parallax JSONL (goal <= 2 s).

Generated data from a fixed seed; one figure per line beside its goal.
Run: python bench/bench_export.py
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from app.formats.writers import export
from app.models import NewDocument
from app.storage.project import Project

WORDS = ["Canada", "Turkey", "drone", "export", "permits", "Garneau", "Çavuşoğlu", "review", "😀", "Monday"]


def build(path: Path, rng: random.Random, documents: int = 200, spans: int = 100_000) -> None:
    with Project.create(path) as project:
        texts = [" ".join(rng.choice(WORDS) for _ in range(1_500)) for _ in range(documents)]
        new = [NewDocument(text=t, title=f"Article {n}") for n, t in enumerate(texts)]
        ids = project.add_documents(new).value.added
        labels = [x.id for x in project.labels()]
        annotators = [project.annotator(name).id for name in ("ana", "ben", "cem")]
        with project.batch():  # one commit for the setup; each span is still checked
            for _ in range(spans):
                n = rng.randrange(documents)
                start = rng.randrange(len(texts[n]) - 20)
                project.add_span(ids[n], start, start + rng.randint(1, 20), rng.choice(labels), rng.choice(annotators))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.parallax"
        build(path, random.Random(3))
        with Project.open(path) as project:
            began = time.perf_counter()
            report = export(project, "jsonl", Path(tmp) / "out.jsonl")
            elapsed = time.perf_counter() - began
        size = (Path(tmp) / "out.jsonl").stat().st_size / 1e6
        print(
            f"export {report.spans:,} spans in {report.documents} documents to JSONL: {elapsed:.2f} s"
            f" ({size:.0f} MB) (goal <= 2 s)"
        )


if __name__ == "__main__":
    main()
