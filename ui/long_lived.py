"""Keep the window's long-lived objects out of the cyclic collector's full passes.

A full pass of Python's collector walks every tracked object: with a 10,000-document
project and a 1 MB article open that is 30-45 ms, at a moment nobody chooses, often
inside a keystroke (bench_ui: one key took 45 ms, 34 ms of it collection). gc.freeze()
moves what is alive now into a permanent generation those passes skip; objects made
later are collected as before. The price: what is frozen and later becomes cyclic
garbage stays until the process ends, so only start-up's objects (modules, widgets, the
project) are frozen, after a window's first paint, and thawed when a window closes (its
cycles are then collected as usual).
"""

from __future__ import annotations

import gc


def freeze_start_up() -> None:
    gc.collect()  # start-up's own garbage is freed, not frozen (once, before the user acts)
    gc.freeze()


def thaw() -> None:
    """A window closes: what was frozen goes back to the collector, cycles and all."""
    gc.unfreeze()
