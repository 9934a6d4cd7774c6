"""A bounded cache for long runs that keeps what is used, without an LRU's per-hit bookkeeping.

Per-word caches (NER features and score rows) used to be emptied when full. In a long ingest
that throws away the few thousand frequent words with the rare ones, and the worker runs at
its cold-start speed for the next thousands of articles (about 1.5× slower; every ~12,000
articles per worker on the news corpora). Two generations instead: new keys go to the young
one; a hit in the old one moves the key to the young one; when the young one is full it
becomes the old one and the old one is dropped. What is used at least once per generation
stays, memory stays bounded (at most twice the generation size), and a hit on the young
generation is a single dict lookup that hot loops can do themselves (`young.get`).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["GenerationalCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class GenerationalCache(Generic[K, V]):
    """About `2 * generation` keys at most (plus what is put between two `age` calls); `get`
    promotes old hits, `put` never drops anything itself: `age()` (between units of work) starts a new generation when the young one is full
    and returns the dropped one, so that a caller holding resources per value can release
    them at a moment when nothing it handed out is still in use."""

    __slots__ = ("generation", "old", "young")

    def __init__(self, generation: int) -> None:
        if generation < 1:
            raise ValueError("generation must be at least 1")
        self.generation = generation
        self.young: dict[K, V] = {}
        self.old: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self.young) + len(self.old)

    def __contains__(self, key: object) -> bool:
        return key in self.young or key in self.old

    def get(self, key: K) -> V | None:
        value = self.young.get(key)
        if value is None:
            value = self.old.pop(key, None)
            if value is not None:
                self.young[key] = value
        return value

    def put(self, key: K, value: V) -> None:
        self.young[key] = value

    def age(self) -> dict[K, V]:
        """Start a new generation if the young one is full; returns what was dropped."""
        if len(self.young) < self.generation:
            return {}
        dropped, self.old, self.young = self.old, self.young, {}
        return dropped

    def clear(self) -> None:
        self.young, self.old = {}, {}
