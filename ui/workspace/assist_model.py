"""The trained recommender seen from the GUI: when to retrain, progress, proposals per document.

All work happens in `app.assist.worker`'s child processes; this object only
sends requests and turns their answers (futures completing on a reader
thread) into queued Qt signals, so nothing here can block typing.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.assist.extents import Extents
from app.assist.model import ALIASES, Scores
from app.assist.proposals import Proposal, Tagged, entity_labels, from_entities
from app.assist.saved_model import SavedModel, cache_file, learnt_from, load, save
from app.assist.training import MIN_SPANS, due, training_request
from app.models import LabelKind
from app.storage.project import Project

if TYPE_CHECKING:  # multiprocessing and pickle load with the first worker, not at start-up
    from app.assist.worker import ModelRecommender

TRAIN_AFTER_IDLE_MS = 2000


class ModelDriver(QObject):
    progress = Signal(int)  # percent while training
    trained = Signal(object)  # Scores, or None for an installed pipeline
    failed = Signal(str)
    found = Signal(int)  # a document's model proposals arrived
    installed = Signal(list)  # names of the installed spaCy pipelines
    outdated = Signal()  # a training finished for spans since replaced: train again
    _answered = Signal(object, object)  # (what, context), future

    def __init__(self, project: Project, parent: QObject | None = None, annotator: int = 0) -> None:
        super().__init__(parent)
        self.project = project
        self.enabled = True
        self.pipeline: str | None = None  # None: learn from the annotator's spans
        self.scores: Scores | None = None
        self.training = False
        self.min_spans = MIN_SPANS  # shown in the panel
        self._current = False  # the worker's model fits the current annotator and settings
        self._epoch = 0  # bumped by reset(): answers to older requests are ignored
        self._trained_on = 0
        self._recommender: ModelRecommender | None = None
        # document -> (generation, proposals), as arrays: a 1 MB article may get thousands
        self._found: dict[int, tuple[int, Extents]] = {}
        self._asked: set[tuple[int, int]] = set()  # (generation, document) requests in flight
        self._waiting: tuple[list[Tagged], int] | None = None  # a training due, waiting for idle
        self._idle = QTimer(self, interval=TRAIN_AFTER_IDLE_MS, singleShot=True)
        self._idle.timeout.connect(self._start_training)
        self._poll = QTimer(self, interval=200)
        self._poll.timeout.connect(self._on_poll_timeout)
        self._answered.connect(self._on_answered)
        self._prepare = ThreadPoolExecutor(1, thread_name_prefix="assist-samples")
        # The model of an earlier session (`app.assist.saved_model`): looked for before the first training.
        self.cache = cache_file(Path(project.path), annotator)  # the annotator's own (see `reset`)
        self._cache_checked = False
        self._restoring = False
        self._learning: list[Tagged] = []  # the spans of the training under way
        self._saving = ThreadPoolExecutor(1, thread_name_prefix="assist-cache")  # finished on close, not cancelled

    @property
    def generation(self) -> int:
        return self._recommender.generation if self._recommender else 0

    def _model(self) -> ModelRecommender:
        if self._recommender is None:
            from app.assist.worker import ModelRecommender

            self._recommender = ModelRecommender()
        return self._recommender

    def _ask(self, future: Future[Any], what: str, context: Any = None) -> None:
        future.add_done_callback(lambda done: self._answered.emit((what, context), done))

    # ---- training ------------------------------------------------------
    def consider_training(
        self, spans: list[Tagged], kinds: dict[int, LabelKind], force: bool = False, count: int | None = None
    ) -> None:
        """Train when enough new entity spans have accumulated (or `force`); `count`: those entity spans, if known.

        Not at once: once the window has been idle for `TRAIN_AFTER_IDLE_MS` (each call starts the
        wait again), so opening an article and typing keep the CPU; `force` trains now."""
        if not self.enabled or self.pipeline is not None or self.training or self._restoring:
            return
        if not self._cache_checked and not force:  # first, the model this project had last time
            self._cache_checked = self._restoring = True
            epoch, path = self._epoch, self.cache
            job = self._prepare.submit(lambda: load(path, spans))
            job.add_done_callback(lambda done: self._answered.emit(("cached", (epoch, spans, kinds, count)), done))
            return
        self._cache_checked = True
        if count is None:
            count = sum(kinds.get(s.label_id) == LabelKind.ENTITY for s in spans)
        if not due(count, self._trained_on, force):
            return
        self._waiting = (spans, count)
        if force:
            self._start_training()
        else:
            self._idle.start()

    def _start_training(self) -> None:
        if self._waiting is None or not self.enabled or self.pipeline is not None or self.training:
            return
        (spans, count), self._waiting = self._waiting, None
        self._idle.stop()
        self.training, self._trained_on, self._learning = True, count, spans
        self.progress.emit(0)
        self._poll.start()
        model, epoch = self._model(), self._epoch  # the processes start here, on the GUI thread
        # The trainer reads the tagged documents itself; the request is built on the assist thread.
        job = self._prepare.submit(lambda: model.train(training_request(self.project, spans)))
        job.add_done_callback(lambda done: self._sent(done, epoch))

    def _sent(self, done: Future[Future[Scores]], epoch: int) -> None:
        """The samples are on their way to the trainer (or gathering them failed)."""
        if done.cancelled():
            return
        if done.exception() is None:
            self._ask(done.result(), "trained", epoch)
        else:
            self._answered.emit(("trained", epoch), done)

    def reset(self, annotator: int | None = None) -> None:
        """Forget the model (another annotator's spans): no proposals until the next training, or
        until that `annotator`'s kept model (if any) is read."""
        if annotator is not None:
            self.cache = cache_file(Path(self.project.path), annotator)
        self._waiting = None
        self._idle.stop()
        self._trained_on, self.scores, self._current = 0, None, False
        self._cache_checked = self._restoring = False
        self._epoch += 1
        self._found.clear()

    def use_pipeline(self, name: str | None) -> None:
        """Propose with an installed spaCy pipeline, or (None) with one trained here."""
        self.reset()
        self.pipeline = name
        if name is not None:
            self._ask(self._model().use_installed(name), "installed", self._epoch)

    def installed_names(self) -> None:
        """Ask which spaCy pipelines are installed; answered by `installed` (a list)."""
        self._ask(self._model().installed_names(), "names")

    def _finish_training(self) -> None:
        self.training = False
        self._poll.stop()

    def _on_poll_timeout(self) -> None:
        done = self._recommender.progress() if self._recommender else None
        if done is not None:
            self.progress.emit(round(done * 100))

    # ---- proposing -----------------------------------------------------
    def proposals(self, doc_id: int) -> Sequence[Proposal] | None:
        """The current model's proposals for a document, asking for them if needed (None: not yet)."""
        if not self.enabled or not self.generation or not self._current:
            return []
        held = self._found.get(doc_id)
        if held is not None and held[0] == self.generation:
            return held[1]
        if (self.generation, doc_id) not in self._asked:
            self._asked.add((self.generation, doc_id))
            text = self.project.text(doc_id)
            self._ask(self._model().propose(text), "proposed", (self.generation, doc_id, text))
        return None

    def _on_answered(self, what: tuple[str, Any], future: Future[Any]) -> None:
        kind, context = what
        if self.project.closed or future.cancelled():
            return
        if kind == "trained":
            self._finish_training()
        if kind == "cached" and context[0] == self._epoch:  # an older read's answer leaves a newer one's flag
            self._restoring = False
        error = future.exception()
        if error is not None:
            self.failed.emit(str(error))
            return
        if kind in ("trained", "installed") and context != self._epoch:
            self.outdated.emit()
        elif kind in ("trained", "installed"):
            self._now_current(future.result() if kind == "trained" else None)
            if kind == "trained":
                self._keep(self.scores)
        elif kind == "cached":
            self._restore(context, future.result())
        elif kind == "restored" and context == self._epoch and not self._current:
            self._now_current(future.result())
        elif kind == "names":
            self.installed.emit(list(future.result()))
        elif kind == "proposed":
            generation, doc_id, text = context
            self._asked.discard((generation, doc_id))
            if generation == self.generation:
                aliases = ALIASES if self.pipeline else None
                entities = from_entities(doc_id, text, future.result(), entity_labels(self.project), aliases)
                found = Extents(doc_id, text, entities)
                self._found[doc_id] = (generation, found)
                self.found.emit(doc_id)

    def _now_current(self, scores: Scores | None) -> None:
        """A model (trained, installed or restored) now answers for the annotator's spans."""
        self.scores = scores
        self._found.clear()
        self._current = True
        self.trained.emit(scores)

    # ---- kept between sessions -----------------------------------------
    def _restore(self, context: tuple[int, list[Tagged], dict[int, LabelKind], int | None], saved: Any) -> None:
        """Propose with the cached model if it fits the spans; then train only when due, as usual."""
        epoch, spans, kinds, count = context
        if epoch != self._epoch:
            return
        if isinstance(saved, SavedModel):
            self._trained_on = saved.count
            self._ask(self._model().restore(saved.config, saved.weights, saved.scores), "restored", epoch)
        self.consider_training(spans, kinds, count=count)

    def _keep(self, scores: Scores | None) -> None:
        """Write the model just trained to the cache, off the GUI thread."""
        if self._recommender is None or self._recommender.trained_model is None:
            return
        # Taken, not kept: spaCy's weights (tens of MB) are needed once, for the cache file.
        trained, self._recommender.trained_model = self._recommender.trained_model, None
        spans, count, path = self._learning, self._trained_on, self.cache
        self._saving.submit(lambda: save(path, SavedModel(*trained, scores, learnt_from(spans), count)))

    def close(self) -> None:
        self._idle.stop()
        self._poll.stop()
        self._prepare.shutdown(wait=True, cancel_futures=True)
        self._saving.shutdown(wait=True)
        if self._recommender is not None:
            self._recommender.close()
            self._recommender = None
