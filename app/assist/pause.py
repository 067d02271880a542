"""A pause for background work while the GUI thread needs the interpreter to itself.

Python threads share one interpreter lock. A pure-Python build running beside the
GUI (the proposals of a 1 MB article: ~1.2 s) turns each of the GUI thread's many
short hand-offs (SQLite releases the lock per row, Qt per call) into a wait of up
to the switch interval: opening and painting that article took 140-200 ms instead
of ~35. So the GUI holds this gate while latency matters (an article opening,
until its first paint), and background loops call `checkpoint()` at cheap places:
there they wait, not holding the lock, until the gate is released.

A hold never lasts past its deadline, so a hold that is never released (a pane
that never paints) delays background work once, by at most that long.
"""

from __future__ import annotations

import threading
import time

MAX_HOLD = 0.5  # seconds a hold lasts at most


class Hold:
    """One holder's pause; `release()` ends it (more than once is harmless). Also a context manager."""

    def __init__(self, gate: PauseGate, deadline: float) -> None:
        self.gate, self.deadline, self.thread = gate, deadline, threading.get_ident()

    def release(self) -> None:
        self.gate._release(self)
        self.deadline = 0.0

    @property
    def active(self) -> bool:
        """Not released yet, nor past its deadline."""
        return self.deadline > time.monotonic()

    def __enter__(self) -> Hold:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


class PauseGate:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._holds: set[Hold] = set()
        # Read without the lock by `checkpoint`: a stale read costs one checkpoint's delay, no more.
        self.paused = False
        self.waiting = 0  # threads waiting at a checkpoint now

    def hold(self, seconds: float = MAX_HOLD) -> Hold:
        """Pause background work at its next checkpoint, until released or `seconds` have passed."""
        hold = Hold(self, time.monotonic() + seconds)
        with self._changed:
            self._holds.add(hold)
            self.paused = True
        return hold

    def _release(self, hold: Hold) -> None:
        with self._changed:
            self._holds.discard(hold)
            self.paused = bool(self._holds)
            self._changed.notify_all()

    def checkpoint(self) -> None:
        """Wait here while the gate is held by another thread (cheap when it is not)."""
        if not self.paused:
            return
        me = threading.get_ident()
        with self._changed:
            while True:
                now = time.monotonic()
                self._holds = {h for h in self._holds if h.deadline > now}
                self.paused = bool(self._holds)
                if not self._holds or any(h.thread == me for h in self._holds):
                    return  # released, expired, or held by this very thread: go on
                self.waiting += 1
                self._changed.notify_all()
                self._changed.wait(min(h.deadline for h in self._holds) - now)
                self.waiting -= 1

    def wait_for_waiters(self, count: int, timeout: float) -> bool:
        """Block until `count` threads wait at a checkpoint (tests and probes); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self.waiting >= count, timeout)


GATE = PauseGate()  # the one the GUI holds and the assist's builds check


checkpoint = GATE.checkpoint  # one call in the hot loops, not two
