"""The pause gate: a background build held at its checkpoints gets nowhere until released."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

from app.assist.live import AnnotatorProposals
from app.assist.pause import GATE, PauseGate
from app.assist.proposals import Tagged
from app.models import LabelKind

KINDS = {1: LabelKind.ENTITY, 2: LabelKind.CLAIM}
WORDS = ["Canada", "Turkey", "drone", "sensor", "Wescam", "the", "of", "said", ","]


def _build_inputs() -> tuple[dict[int, Tagged], dict[int, tuple[str, list]]]:
    rng = random.Random(3)
    text = " ".join(rng.choice(WORDS) for _ in range(3000))
    start = text.index("Wescam")
    own = {1: Tagged(7, start, start + 6, 1, "Wescam")}
    return own, {7: (text, [])}


def _build() -> AnnotatorProposals:
    own, documents = _build_inputs()
    return AnnotatorProposals.build(own, KINDS, set(), True, documents)


def test_a_held_gate_stops_a_build_at_a_checkpoint_and_releasing_it_lets_the_build_finish() -> None:
    expected = _build().docs[7].shown.items
    assert len(expected) > 50  # "Wescam" is proposed all over the text
    with ThreadPoolExecutor(1) as threads:
        hold = GATE.hold(seconds=60)
        try:
            job = threads.submit(_build)
            assert GATE.wait_for_waiters(1, timeout=30), "the build never reached a checkpoint"
            assert not job.done()  # paused there, not finished
        finally:
            hold.release()
        assert job.result(timeout=60).docs[7].shown.items == expected  # the same build, once released
    assert GATE.waiting == 0 and not GATE.paused


def test_the_thread_holding_the_gate_is_never_stopped_by_it() -> None:
    gate = PauseGate()
    with gate.hold(seconds=60):
        gate.checkpoint()  # returns at once: the GUI thread runs the same code in live edits
        assert gate.paused
    assert not gate.paused


def test_a_hold_ends_by_itself_at_its_deadline() -> None:
    gate = PauseGate()
    hold = gate.hold(seconds=0)  # as a hold would end that is never released (a pane never painted)
    with ThreadPoolExecutor(1) as threads:
        threads.submit(gate.checkpoint).result(timeout=30)  # not stopped: the hold has expired
    assert not hold.active and not gate.paused
