"""Union-find over a parent table: joining things into groups (events, facts, entity names)."""

from __future__ import annotations

from typing import Protocol, TypeVar

K = TypeVar("K")


class Parents(Protocol[K]):
    """Each item's parent: a list over indices or a dict over keys; a root is its own parent."""

    def __getitem__(self, key: K, /) -> K: ...

    def __setitem__(self, key: K, value: K, /) -> None: ...


def find_root(parent: Parents[K], item: K) -> K:
    """The root of `item`'s group, halving the path on the way so later finds are short."""
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item
