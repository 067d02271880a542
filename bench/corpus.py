"""Generated projects for the benchmarks, from a fixed seed, cached in the temp folder.

`project_copy(docs)` gives a fresh copy of a project holding `docs` generated
news articles plus one 1 MB article with 10,000 spans (the "big" document).
Building the 10,000-article project takes a few seconds, so it is built once
per corpus version and copied for each run.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from app.models import NewDocument
from app.storage.connection import schema_version
from app.storage.project import Project

VERSION = 1  # bump when the generated content changes
CACHE = Path(tempfile.gettempdir()) / "parallax-bench"
BIG_TITLE = "Big article (1 MB, 10,000 spans)"
WORDS = [
    "Canada",
    "Turkey",
    "drone",
    "export",
    "permits",
    "minister",
    "Garneau",
    "Çavuşoğlu",
    "review",
    "evidence",
    "sensor",
    "Azerbaijan",
    "Armenia",
    "conflict",
    "cancelled",
    "suspended",
    "Monday",
    "Tuesday",
    "29",
    "all",
    "some",
    "the",
    "of",
    "and",
    "said",
    "😀",
]
OUTLETS = ("Outlet A", "Outlet B", "Outlet C", "Le Devoir", "Hürriyet")


def article(rng: random.Random, n: int) -> NewDocument:
    """A news-sized article (~3 KB): a title, an outlet, a date, a few paragraphs."""
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))) + "." for _ in range(rng.randint(4, 9))
    ]
    return NewDocument(
        title=f"Article {n}: " + " ".join(rng.choice(WORDS) for _ in range(6)),
        source=rng.choice(OUTLETS),
        published=f"2021-04-{rng.randint(1, 28):02}",
        text="\n\n".join(paragraphs) + f"\n\n(ref {n})",  # unique, so none is a duplicate
    )


def articles(count: int, seed: int = 7) -> list[NewDocument]:
    rng = random.Random(seed)
    return [article(rng, n) for n in range(count)]


def big_text(rng: random.Random, size: int = 1_000_000) -> str:
    parts, length = [], 0
    while length < size:
        paragraph = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 120))) + ".\n\n"
        parts.append(paragraph)
        length += len(paragraph)
    return "".join(parts)[:size]


def build(path: Path, docs: int, spans: int = 10_000) -> None:
    rng = random.Random(5)
    with Project.create(path) as project:
        text = big_text(rng)
        (big,) = project.add_documents([NewDocument(text=text, title=BIG_TITLE, published="2021-04-01")]).value.added
        if docs:
            project.add_documents(articles(docs))
        annotator = project.annotator("bench").id
        labels = [x.id for x in project.labels()]
        with project.batch():  # one commit for the setup; each span is still checked
            for _ in range(spans):
                start = rng.randrange(0, len(text) - 30)
                project.add_span(big, start, start + rng.randint(3, 30), rng.choice(labels), annotator)


def cached(docs: int) -> Path:
    """The cached project with `docs` articles plus the big one (built on first use)."""
    path = CACHE / f"v{VERSION}-schema{schema_version()}-{docs}.parallax"  # a new schema: built afresh
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".building")
        partial.unlink(missing_ok=True)
        build(partial, docs)
        partial.rename(path)
        (partial.parent / f".{partial.name}.lock").unlink(missing_ok=True)
    return path


def project_copy(docs: int, folder: Path) -> Path:
    """A private copy of the cached project in `folder`, safe to write."""
    target = folder / f"bench-{docs}.parallax"
    shutil.copyfile(cached(docs), target)
    return target


def big_document_id(project: Project) -> int:
    return next(d.id for d in project.documents() if d.title == BIG_TITLE)
