"""Core benchmarks: import rate against raw executemany, and span-add latency.

Generated data from a fixed seed; one figure per line, each beside its goal.
Run: python bench/bench_core.py
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from app.formats.articles import import_paths
from app.storage.project import Project
from app.text.fold import fold

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
]


def article(rng: random.Random, n: int) -> dict[str, str]:
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))) + "." for _ in range(rng.randint(4, 9))
    ]
    return {
        "title": f"Article {n}: " + " ".join(rng.choice(WORDS) for _ in range(6)),
        "source": rng.choice(["Outlet A", "Outlet B", "Outlet C"]),
        "published": f"2021-04-{rng.randint(1, 28):02}",
        "text": "\n\n".join(paragraphs),
    }


def raw_executemany(path: Path, docs: list[dict[str, str]]) -> float:
    """The floor: one executemany into the same tables, no checks, one transaction."""
    Project.create(path, default_labels=False).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO document (uuid, title, source, url, published, text, text_sha256, meta, imported_at)"
        " VALUES (?, ?, ?, '', ?, ?, ?, '{}', '2026-01-01')",
        [
            (
                str(uuid.uuid4()),
                d["title"],
                d["source"],
                d["published"],
                d["text"],
                hashlib.sha256(d["text"].encode()).hexdigest(),
            )
            for d in docs
        ],
    )
    conn.executemany(
        "INSERT INTO document_search (rowid, title, text) VALUES (?, ?, ?)",
        [(i + 1, fold(d["title"]), fold(d["text"])) for i, d in enumerate(docs)],
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def bench_import(folder: Path, count: int = 10_000) -> None:
    rng = random.Random(7)
    docs = [article(rng, n) for n in range(count)]
    jsonl = folder / "articles.jsonl"
    jsonl.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8")
    texts = folder / "texts"
    texts.mkdir()
    for n, d in enumerate(docs):
        (texts / f"{n:05}.txt").write_text(d["title"] + "\n\n" + d["text"], encoding="utf-8")
    raw = count / raw_executemany(folder / "raw.parallax", docs)
    print(f"raw executemany into document + search index: {raw:8.0f} articles/s")
    for name, source in (("JSONL file", jsonl), ("folder of .txt files", texts)):
        with Project.create(folder / f"{name[:4]}.parallax", default_labels=False) as project:
            started = time.perf_counter()
            report = import_paths(project, [source])
            rate = count / (time.perf_counter() - started)
            assert len(report.added) == count, report.files[:3]
        print(
            f"import {count:,} articles from a {name}: {rate:8.0f} articles/s = {rate / raw:5.0%} of raw (goal >= 50%)"
        )


def bench_span_latency(folder: Path, count: int = 5_000) -> None:
    rng = random.Random(11)
    with Project.create(folder / "spans.parallax") as project:
        text = article(rng, 0)["text"] * 40
        (doc_id,) = project.add_documents([__import__("app.models").models.NewDocument(text=text)]).value.added
        annotator = project.annotator("bench").id
        label = project.label("PERSON").id
        times = []
        for _ in range(count):
            start = rng.randrange(0, len(text) - 20)
            began = time.perf_counter()
            project.add_span(doc_id, start, start + rng.randint(1, 20), label, annotator)
            times.append(time.perf_counter() - began)
    times.sort()
    p50, p99 = statistics.median(times), times[int(len(times) * 0.99)]
    print(
        f"add one span through Project ({count:,} spans, synchronous=FULL): "
        f"p50 {p50 * 1e3:.3f} ms, p99 {p99 * 1e3:.3f} ms (goal p99 <= 1 ms)"
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        bench_import(Path(tmp))
        bench_span_latency(Path(tmp))
