"""Recommender benchmarks: proposing on a 5,000-word article, training on 1,000 spans.

Articles are the sample corpus's sentences shuffled with a fixed seed; spans
are the test gazetteer's names (tests/core/fixtures/sample_entities.json).
Each figure is printed beside its goal and an honest floor measured in the
same run: folding and tokenizing the text (string matcher), spaCy's
tokenizer alone (trained model), one training pass (training).
Run: python bench/bench_assist.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.assist.decisions import rejected_keys
from app.assist.model import train
from app.assist.proposals import fresh, label_kinds, own_spans
from app.assist.string_match import _TOKEN, StringMatcher, folded_tokens
from app.assist.training import training_set
from app.assist.worker import ModelRecommender
from app.models import NewDocument
from app.resources import sample_corpus_path
from app.storage.project import Project
from app.text.fold import fold
from app.text.sentences import split_sentences
from tests.core.assist_helpers import tag_gold

SEED = 14
SPANS = 1_000


def sentences() -> list[str]:
    found = []
    for path in sorted(sample_corpus_path().glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found += [text[s.start : s.end] for s in split_sentences(text) if len(text[s.start : s.end].split()) > 4]
    return found


def article(rng: random.Random, pool: list[str], words: int) -> str:
    chosen: list[str] = []
    while sum(len(s.split()) for s in chosen) < words:
        chosen.append(rng.choice(pool))
    paragraphs = [" ".join(chosen[i : i + 4]) for i in range(0, len(chosen), 4)]
    return "\n\n".join(paragraphs)


def median_ms(run: Callable[[], object], repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def line(what: str, value: float, unit: str, goal: str, floor: str = "") -> None:
    print(f"{what:<52} {value:9.1f} {unit:<3} goal {goal:<9} {floor}")


def main() -> None:
    rng = random.Random(SEED)
    pool = sentences()
    with tempfile.TemporaryDirectory() as folder:
        project = Project.create(Path(folder) / "bench.parallax")
        big = article(rng, pool, 5_000)
        project.add_documents([NewDocument(text=big, title="5,000 words")])
        big_id = project.documents()[0].id
        count = 0
        while count < SPANS:  # 400-word articles tagged by the gazetteer until 1,000 spans
            added = project.add_documents([NewDocument(text=article(rng, pool, 400), title=f"a{count}")]).value
            count += tag_gold(project, added.added[0], "ann") if added.added else 0
        annotator = project.annotator("ann").id
        spans = own_spans(project, annotator)
        print(f"{len(big.split())} words in the article; {len(spans)} spans learned from")

        kinds, rejected = label_kinds(project), rejected_keys(project)
        matcher = StringMatcher(spans)
        found = matcher.propose(big_id, big)

        def cold() -> object:  # the folded tokens are cached per text: measure without the cache
            folded_tokens.cache_clear()
            return fresh(matcher.propose(big_id, big), [], kinds, rejected)

        string_ms = median_ms(cold)
        floor_ms = median_ms(lambda: _TOKEN.findall(fold(big)))
        build_ms = median_ms(lambda: StringMatcher(spans))
        line(
            "string matcher: proposals, 5,000-word article",
            string_ms,
            "ms",
            "<= 50",
            f"floor {floor_ms:.1f} ms (fold+tokens)",
        )
        line(
            "string matcher: built from the spans",
            build_ms,
            "ms",
            "-",
            f"{len(matcher)} phrases, {len(found)} proposals",
        )

        data = training_set(project, spans)
        samples_ms = median_ms(lambda: training_set(project, spans), repeat=5)
        line(
            "training samples gathered (GUI thread)",
            samples_ms,
            "ms",
            "<= 50",
            f"{len(data.train)} + {len(data.held_out)} sentences",
        )
        began = time.perf_counter()
        model = train(data)
        train_s = time.perf_counter() - began
        one = time.perf_counter()
        train(data, epochs=1)
        epoch_s = time.perf_counter() - one
        scores = model.scores
        assert scores is not None and scores.precision is not None and scores.recall is not None
        line(
            f"training on {data.span_count} spans (in process)",
            train_s,
            "s",
            "< 30",
            f"floor {epoch_s:.1f} s (one pass)",
        )
        print(f"  held-out precision {scores.precision:.2f}, recall {scores.recall:.2f} on {scores.held_out} sentences")

        model_ms = median_ms(lambda: model.propose(big), repeat=7)
        tokens_ms = median_ms(lambda: [model.nlp.make_doc(big[s.start : s.end]) for s in split_sentences(big)], 7)
        line(
            "trained model: proposals, 5,000-word article",
            model_ms,
            "ms",
            "<= 500",
            f"floor {tokens_ms:.1f} ms (tokenizer)",
        )

        began = time.perf_counter()
        worker = ModelRecommender()
        try:
            worker.train(data).result(600)
            background_s = time.perf_counter() - began
            worker.propose(big).result(60)  # warm
            round_ms = median_ms(lambda: worker.propose(big).result(60), repeat=5)
        finally:
            worker.close()
        line("training in the background process (with start-up)", background_s, "s", "< 30")
        line("trained model via the worker process (round trip)", round_ms, "ms", "<= 500")
        gui_thread(project, big_id)
        project.close()
    keystrokes()


def gui_thread(project: Project, big_id: int) -> None:
    """What the GUI thread itself spends when spans change, the proposing done elsewhere."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    from ui.open_project import Session
    from ui.settings import UserSettings

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        window = MainWindow(Session(project, "ann"), UserSettings(Path(folder) / "settings.json"))
        window.assist.model.enabled = False  # measured above; here only the GUI thread's share
        window.resize(1400, 860)
        window.show()
        window.workspace.open_document(big_id, 0)
        window.flush()
        deadline = time.perf_counter() + 30
        while not window.assist.shown[0] and time.perf_counter() < deadline:  # the matcher's answer
            app.processEvents()
        controller = window.assist

        def cycle() -> None:  # a span change until its string proposals are drawn
            before = controller._string
            controller.refresh()
            while controller._string is before:
                app.processEvents()

        cycle_ms = median_ms(cycle)
        apply_ms = median_ms(controller._apply)
        shown = len(controller.shown[0])
        controller.string_enabled = False  # the GUI thread's own share: no job running beside it
        refresh_ms = median_ms(controller.refresh)
        annotator = project.annotator("ann").id
        floor_ms = median_ms(lambda: own_spans(project, annotator))
        shown = len(controller.shown[0])
        line(
            "GUI thread: snapshot after a span change",
            refresh_ms,
            "ms",
            "<= 16",
            f"floor {floor_ms:.1f} ms (spans query)",
        )
        line("GUI thread: filter and draw the proposals", apply_ms, "ms", "<= 16", f"{shown} shown")
        line("span change to string proposals drawn (thread)", cycle_ms, "ms", "<= 50")
        window.assist.close()
        window.hide()
    app.processEvents()


def keystrokes() -> None:
    """On the sample corpus tagged by the gazetteer: selections needed with and without string matching."""
    from tests.core.assist_helpers import gold_entities

    texts = [p.read_text(encoding="utf-8") for p in sorted(sample_corpus_path().glob("*.txt"))]
    gold = [(t[s:e], label) for t in texts for s, e, label in gold_entities(t)]
    distinct = len(set(gold))
    print(f"sample corpus: {len(gold)} entity spans; by hand {len(gold)} selections + {len(gold)} label keys;")
    print(f"  with string matching {distinct} selections + {distinct} label keys + {distinct} Shift+Enter")


if __name__ == "__main__":
    main()
