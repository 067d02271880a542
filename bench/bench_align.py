"""Alignment and suggestion benchmarks on generated articles that copy and reword each other.

Generated data from a fixed seed; one figure per line, each beside its goal.
Run: python -m bench.bench_align
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from itertools import accumulate
from pathlib import Path

from app.formats.articles import import_paths
from app.reconcile.align import align_texts
from app.reconcile.suggest import suggest_conflicts, suggest_texts
from app.resources import sample_corpus_path
from app.storage.project import Project
from app.text.fold import fold
from app.text.sentences import split_sentences
from bench.table import Figure, print_table

EVAL_NEWS = Path(__file__).resolve().parent.parent / "eval" / "news"

FUNCTION_WORDS = tuple(
    str.split(
        "the of and to in a that for on with as by was is at from has said it its were"
        " have after over this be an which had not but they their"
    )
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def vocabulary(rng: random.Random, count: int) -> list[str]:
    """Made-up words in random order (rank 1 is the most frequent)."""
    onsets, vowels, codas = list("bdfgklmnprstvz"), list("aeiou"), ["", "n", "r", "s", "l"]
    words: set[str] = set()
    while len(words) < count:
        words.add(
            "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(rng.randint(2, 3)))
        )
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng, 4000)
        self.names = [w.capitalize() for w in vocabulary(random.Random(seed + 1), 300)]
        self.zipf = list(accumulate(1 / rank for rank in range(1, len(self.words) + 1)))

    def word(self) -> str:
        rng = self.rng
        if rng.random() < 0.4:
            return rng.choice(FUNCTION_WORDS)
        if rng.random() < 0.08:
            return rng.choice(self.names)
        if rng.random() < 0.03:
            return str(rng.randint(2, 2030))
        return rng.choices(self.words, cum_weights=self.zipf)[0]

    def sentence(self, length: int | None = None) -> list[str]:
        words = [self.word() for _ in range(length or self.rng.randint(12, 30))]
        if self.rng.random() < 0.2:
            words[self.rng.randrange(len(words))] = self.rng.choice(WEEKDAYS)
        return words

    def reword(self, words: list[str], share: float) -> list[str]:
        """Replace, drop or insert about `share` of the words; sometimes change a weekday or number."""
        out = []
        for w in words:
            roll = self.rng.random()
            if roll < share / 3:
                continue
            out.append(self.word() if roll < 2 * share / 3 else w)
            if self.rng.random() < share / 3:
                out.append(self.word())
        return out or words

    def article(self, pool: list[list[str]], words: int, copied: float) -> str:
        sentences: list[list[str]] = []
        while sum(map(len, sentences)) < words:
            if self.rng.random() < copied:
                source = self.rng.choice(pool)
                sentences.append(self.reword(source, self.rng.choice((0.0, 0.1, 0.4))))
            else:
                sentences.append(self.sentence())
        paragraphs = [sentences[i : i + 4] for i in range(0, len(sentences), 4)]
        return "\n\n".join(" ".join(" ".join(s)[:1].upper() + " ".join(s)[1:] + "." for s in p) for p in paragraphs)


def timed(work: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def figures() -> Iterator[Figure]:
    gen = Generator(11)
    pool = [gen.sentence() for _ in range(120)]
    pair = {1: gen.article(pool, 5000, 0.3), 2: gen.article(pool, 5000, 0.3)}
    floor, _ = timed(lambda: [split_sentences(fold(t)) for t in pair.values()])  # reading alone
    seconds, _ = timed(lambda: align_texts(pair))
    yield Figure("align two 5,000-word articles", seconds * 1e3, 100, floor=floor * 1e3)

    gen = Generator(12)
    pool = [gen.sentence() for _ in range(300)]
    fifty = {n: gen.article(pool, 800, 0.5) for n in range(1, 51)}
    seconds, _ = timed(lambda: align_texts(fifty), repeat=3)
    yield Figure("align 50 articles of ~800 words, every pair", seconds, 2.0, unit="s")

    with tempfile.TemporaryDirectory() as folder:
        project = Project.create(Path(folder) / "bench.parallax")
        import_paths(project, [sample_corpus_path()])
        texts = {d.id: project.text(d.id) for d in project.documents()}
        seconds, _ = timed(lambda: align_texts(texts))
        yield Figure("align the 5 sample articles, every pair", seconds * 1e3, 500)
        suggest_texts({1: "warm-up: load the date parser and word lists once."} | {2: "Warm up."})
        seconds, _ = timed(lambda: suggest_conflicts(project))
        yield Figure("suggest conflicts and same_as in the 5 sample articles", seconds * 1e3, 1000)
        project.close()
    ten = {n: t for n, t in enumerate(texts.values())}
    ten |= {5 + n: p.read_text(encoding="utf-8") for n, p in enumerate(sorted(EVAL_NEWS.glob("*.txt")))}
    first_ten = dict(list(ten.items())[:10])
    seconds, _ = timed(lambda: suggest_texts(first_ten), repeat=3)
    yield Figure("suggestions on 10 real articles (sample + eval/news)", seconds * 1e3, 1000)
    seconds, _ = timed(lambda: suggest_texts(ten), repeat=3)
    yield Figure(f"suggestions on all {len(ten)} real articles", seconds * 1e3, 2000)
    gen = Generator(13)
    pool = [gen.sentence() for _ in range(150)]
    generated = {n: gen.article(pool, 800, 0.5) for n in range(1, 11)}
    seconds, _ = timed(lambda: suggest_texts(generated), repeat=3)
    yield Figure("suggestions on 10 generated articles of ~800 words", seconds * 1e3, 1000)


def main() -> None:
    print_table(list(figures()))


if __name__ == "__main__":
    main()
