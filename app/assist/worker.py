"""The trained recommender off the GUI thread: training and proposing in two child processes.

A thread would share the GIL with the GUI and make typing stutter while
spaCy trains; a process does not. One process trains (with progress put on
a queue), the other holds the current model and proposes, so proposing never
waits for a retraining. Processes are spawned, never forked (forking a Qt
process with threads running is unsafe). Every call returns a
`concurrent.futures.Future`; the UI turns its completion into a signal.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection
from typing import Any

from app.assist.model import AssistUnavailable, Scores, TrainedModel, train
from app.assist.training import Entity, TrainingRequest, TrainingSet, gathered
from app.errors import ParallaxError

BACKGROUND_NICE = 10


class WorkerProcess:
    """One child process answering calls in order; its answers resolve futures."""

    def __init__(self, context: Any, progress: Any = None) -> None:
        ours, theirs = context.Pipe()
        self._conn: Connection = ours
        self._process = context.Process(target=_serve, args=(theirs, progress), daemon=True)
        self._process.start()
        theirs.close()
        self._futures: dict[int, Future[Any]] = {}
        self._lock = threading.Lock()
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()

    def call(self, name: str, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            self._next += 1
            self._futures[self._next] = future
            try:
                self._conn.send((self._next, name, args))
            except (OSError, ValueError):
                self._futures.pop(self._next)
                future.set_exception(AssistUnavailable("the recommender's worker process has stopped"))
        return future

    def _read(self) -> None:
        while True:
            try:
                ident, ok, value = self._conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._futures.pop(ident)
            future.set_result(value) if ok else future.set_exception(value)
        with self._lock:
            pending, self._futures = list(self._futures.values()), {}
        for future in pending:
            future.set_exception(AssistUnavailable("the recommender's worker process has stopped"))

    def close(self) -> None:
        self._process.terminate()
        self._process.join(5)
        self._conn.close()


def _serve(conn: Connection, progress: Any) -> None:
    """The child's loop: run each call, send back (id, ok, value or error)."""
    if hasattr(os, "nice"):  # background work: the window gets the CPU first (2 cores, spaCy training)
        os.nice(BACKGROUND_NICE)
    state: dict[str, TrainedModel] = {}
    while True:
        try:
            ident, name, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send((ident, True, _HANDLERS[name](state, progress, *args)))
        except ParallaxError as exc:
            conn.send((ident, False, exc))
        except Exception as exc:  # spaCy's own errors may not pickle: pass their message on
            conn.send((ident, False, AssistUnavailable(f"the trained recommender failed: {exc}")))


def _train(state: dict[str, TrainedModel], progress: Any, data: TrainingSet | TrainingRequest, lang: str) -> Any:
    if isinstance(data, TrainingRequest):  # the samples are gathered here, from the project file
        data = gathered(data)
    model = train(data, lang, progress=progress.put if progress is not None else None)
    return (*model.to_bytes(), model.scores)


def _load(state: dict[str, TrainedModel], progress: Any, config: str, weights: bytes) -> tuple[str, ...]:
    state["model"] = TrainedModel.from_bytes(config, weights)
    return state["model"].labels


def _installed(state: dict[str, TrainedModel], progress: Any, name: str) -> tuple[str, ...]:
    state["model"] = TrainedModel.installed(name)
    return state["model"].labels


def _propose(state: dict[str, TrainedModel], progress: Any, text: str) -> list[Entity]:
    return state["model"].propose(text) if "model" in state else []


def _installed_names(state: dict[str, TrainedModel], progress: Any) -> list[str]:
    from app.assist.model import _spacy

    return sorted(_spacy().util.get_installed_models())


_HANDLERS: dict[str, Callable[..., Any]] = {
    "train": _train,
    "load": _load,
    "installed": _installed,
    "propose": _propose,
    "installed_names": _installed_names,
}


class ModelRecommender:
    """The trained (or installed) model, driven from the GUI process without blocking it."""

    def __init__(self, lang: str = "en") -> None:
        context = multiprocessing.get_context("spawn")
        self.lang = lang
        self._progress: Any = context.Queue()
        self._trainer = WorkerProcess(context, self._progress)
        self._proposer = WorkerProcess(context)
        self.labels: tuple[str, ...] = ()
        self.generation = 0  # bumped when a new model is in place; older proposals are stale
        self.trained_model: tuple[str, bytes] | None = None  # the last training's config and weights

    def train(self, data: TrainingSet | TrainingRequest) -> Future[Scores]:
        """Train on `data` (or the samples the trainer gathers for a request), then make the result
        the proposing model; resolves to its scores."""
        done: Future[Scores] = Future()

        def trained(future: Future[Any]) -> None:
            if future.exception() is not None:
                done.set_exception(future.exception())
                return
            config, weights, scores = future.result()
            self.trained_model = (config, weights)  # for `app.assist.saved_model`
            self._load(config, weights, scores, done)

        self._trainer.call("train", data, self.lang).add_done_callback(trained)
        return done

    def restore(self, config: str, weights: bytes, scores: Scores | None) -> Future[Scores | None]:
        """Propose with a model trained in an earlier session; resolves to its scores."""
        done: Future[Scores | None] = Future()
        self._load(config, weights, scores, done)
        return done

    def _load(self, config: str, weights: bytes, scores: Scores | None, done: Future[Any]) -> None:
        """Make this model the proposing one; `done` then resolves to `scores`."""
        self._proposer.call("load", config, weights).add_done_callback(lambda f: self._loaded(f, done, scores))

    def use_installed(self, name: str) -> Future[tuple[str, ...]]:
        """Propose with an installed spaCy pipeline instead (package name or folder)."""
        done: Future[tuple[str, ...]] = Future()
        self._proposer.call("installed", name).add_done_callback(lambda f: self._loaded(f, done, None))
        return done

    def _loaded(self, future: Future[Any], done: Future[Any], value: Any) -> None:
        if future.exception() is not None:
            done.set_exception(future.exception())
            return
        self.labels = future.result()
        self.generation += 1
        done.set_result(value if value is not None else self.labels)

    def propose(self, text: str) -> Future[list[Entity]]:
        return self._proposer.call("propose", text)

    def installed_names(self) -> Future[list[str]]:
        return self._proposer.call("installed_names")

    def progress(self) -> float | None:
        """The latest training progress reported (0-1), or None if nothing new."""
        latest = None
        while True:
            try:
                latest = float(self._progress.get_nowait())
            except queue.Empty:
                return latest

    def close(self) -> None:
        self._trainer.close()
        self._proposer.close()
        self._progress.close()
