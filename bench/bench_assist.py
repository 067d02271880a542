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
from collections.abc import Callable, Iterator
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
from bench.table import Figure
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


def figures() -> Iterator[Figure]:
    """Every figure below, for `python -m bench assist` (about a minute: two trainings on 1,000 spans)."""
    found: list[Figure] = []
    measure(found)
    yield from found


def main() -> None:
    from bench.table import print_table

    found: list[Figure] = []
    measure(found)
    print_table(found)
    keystrokes()


def measure(found: list[Figure]) -> None:
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

        kinds, rejected = label_kinds(project), rejected_keys(project)
        matcher = StringMatcher(spans)

        def cold() -> object:  # the folded tokens are cached per text: measure without the cache
            folded_tokens.cache_clear()
            return fresh(matcher.propose(big_id, big), [], kinds, rejected)

        string_ms = median_ms(cold)
        floor_ms = median_ms(lambda: _TOKEN.findall(fold(big)))
        build_ms = median_ms(lambda: StringMatcher(spans))
        found.append(
            Figure("assist: string proposals, 5,000-word article (floor: fold+tokens)", string_ms, 50, floor=floor_ms)
        )
        found.append(Figure(f"assist: string matcher built from {len(matcher)} phrases", build_ms, 50))

        data = training_set(project, spans)
        samples_ms = median_ms(lambda: training_set(project, spans), repeat=5)
        found.append(Figure("assist: training samples gathered (assist thread)", samples_ms, 50))
        began = time.perf_counter()
        model = train(data)
        train_s = time.perf_counter() - began
        one = time.perf_counter()
        train(data, epochs=1)
        epoch_s = time.perf_counter() - one
        scores = model.scores
        assert scores is not None and scores.precision is not None and scores.recall is not None
        found.append(
            Figure(f"assist: training on {data.span_count} spans (floor: one pass)", train_s, 30, "s", epoch_s)
        )
        found.append(Figure("assist: held-out precision of that model", scores.precision * 100, 70, "%", None, True))
        found.append(Figure("assist: held-out recall of that model", scores.recall * 100, 70, "%", None, True))

        model_ms = median_ms(lambda: model.propose(big), repeat=7)
        tokens_ms = median_ms(lambda: [model.nlp.make_doc(big[s.start : s.end]) for s in split_sentences(big)], 7)
        found.append(
            Figure("assist: model proposals, 5,000-word article (floor: tokenizer)", model_ms, 500, floor=tokens_ms)
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
        found.append(Figure("assist: training in the worker process (with its start-up)", background_s, 30, "s"))
        found.append(Figure("assist: model proposals via the worker (round trip)", round_ms, 500))
        found.extend(gui_thread(project, big_id))
        project.close()


def gui_thread(project: Project, big_id: int) -> list[Figure]:
    """What the GUI thread itself spends when spans change, the proposing done elsewhere."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    from ui.open_project import OpenProject
    from ui.settings import UserSettings

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        window = MainWindow(OpenProject(project, "ann"), UserSettings(Path(folder) / "settings.json"))
        window.assist.model.enabled = False  # measured above; here only the GUI thread's share
        window.resize(1400, 860)
        window.show()
        window.workspace.open_document(big_id, 0)
        window.flush()
        deadline = time.perf_counter() + 30
        while not window.assist.shown.get(0) and time.perf_counter() < deadline:  # the matcher's answer
            app.processEvents()
        controller = window.assist

        def cycle() -> None:  # a span change until its string proposals are drawn
            controller.refresh()
            while controller.building:  # sleep until the thread's answer is drawn
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

        cycle_ms = median_ms(cycle)
        apply_ms = median_ms(controller.redraw)
        shown = len(controller.shown.get(0, []))
        controller.string_enabled = False  # the GUI thread's own share: no job running beside it
        refresh_ms = median_ms(controller.refresh)
        annotator = project.annotator("ann").id
        floor_ms = median_ms(lambda: own_spans(project, annotator))
        window.assist.close()
        window.hide()
    app.processEvents()
    return [
        Figure(
            "assist: GUI thread's snapshot after a span change (floor: spans query)", refresh_ms, 16, floor=floor_ms
        ),
        Figure(f"assist: GUI thread filters and draws {shown} proposals", apply_ms, 16),
        Figure("assist: span change to string proposals drawn", cycle_ms, 50),
    ]


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
