"""Passages clipped to one line, for the CLI listings of `app.reconcile.align` and `app.reconcile.suggest`.

Separate so both listings share one formatter without either module importing the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Protocol, TypeVar

from app.models import DocumentId

Texts = Mapping[int, str] | Mapping[DocumentId, str]  # document id -> text


class Pair(Protocol):
    """Two passages, (doc_a, start_a, end_a) and (doc_b, start_b, end_b): an alignment or a suggestion."""

    @property
    def doc_a(self) -> int: ...
    @property
    def start_a(self) -> int: ...
    @property
    def end_a(self) -> int: ...
    @property
    def doc_b(self) -> int: ...
    @property
    def start_b(self) -> int: ...
    @property
    def end_b(self) -> int: ...


P = TypeVar("P", bound=Pair)


def clip(text: str, width: int = 100) -> str:
    """Text on one line (whitespace runs made one space), cut to `width` characters ending in "…"."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def format_pairs(pairs: Iterable[P], head: Callable[[P], str], by_id: Texts | None = None) -> str:
    """One `head` line per pair, plus both passages clipped ("  < …", "  > …") when texts are given."""
    texts = {int(doc): text for doc, text in by_id.items()} if by_id is not None else None
    lines = []
    for p in pairs:
        lines.append(head(p))
        if texts is not None:
            lines.append(f"  < {clip(texts[p.doc_a][p.start_a : p.end_a])}")
            lines.append(f"  > {clip(texts[p.doc_b][p.start_b : p.end_b])}")
    return "\n".join(lines)
