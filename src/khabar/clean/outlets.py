"""What an outlet prints in many of its articles: the evidence that a line is site chrome."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable

from khabar.clean.lines import MAX_CUE_WORDS, credit_parts, line_key

Loader = Callable[[str], tuple[int, dict[int, int]]]


def line_hash(key: str) -> int:
    """A stable 63-bit hash of a line key (fits SQLite's INTEGER)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def chrome_candidates(text: str) -> set[int]:
    """Hashes of the short lines of one article (long paragraphs are never chrome), and of
    the two sides of a short `A – B` line: an outlet that credits itself on one side
    (`سلمى الحربي – الرصيف`, `الرصيف – جدة`) shows it there in many articles."""
    found = set()
    for raw in text.splitlines():
        # the words of a short line; a longer line stops at MAX_CUE_WORDS + 1 parts (a paragraph
        # is not split into all its words only to be found too long)
        n = len(raw.split(None, MAX_CUE_WORDS))
        if raw.strip() and n <= MAX_CUE_WORDS:
            key = line_key(raw)
            if key:
                found.add(line_hash(key))
                if n <= 7:
                    parts = credit_parts(raw)
                    if len(parts) == 2:
                        found.update(line_hash(k) for k in map(line_key, parts) if k)
    return found


class OutletLines:
    """Per-outlet counts of articles and of articles containing each short line.

    Counts come from the store (through `loader`) and from articles added during this run;
    `pending()` returns what was added since the last call, for the store to persist.
    """

    def __init__(self, loader: Loader | None = None) -> None:
        self._loader = loader
        self._articles: dict[str, int] = {}
        self._lines: dict[str, Counter[int]] = {}
        self._pending: dict[str, tuple[int, Counter[int]]] = {}

    def _ensure(self, outlet: str) -> None:
        if outlet not in self._articles:
            total, counts = self._loader(outlet) if self._loader else (0, {})
            self._articles[outlet] = total
            self._lines[outlet] = Counter(counts)

    def add(self, outlet: str, hashes: Iterable[int]) -> None:
        """Count one article of `outlet` with these line hashes."""
        if not outlet:
            return
        self._ensure(outlet)
        hashes = set(hashes)
        self._articles[outlet] += 1
        self._lines[outlet].update(hashes)
        added, counter = self._pending.get(outlet, (0, Counter()))
        counter.update(hashes)
        self._pending[outlet] = (added + 1, counter)

    def lookup(self, outlet: str) -> Callable[[str], tuple[int, int] | None]:
        """For the `lines` stage: line key -> (articles with it, articles of the outlet)."""
        self._ensure(outlet)
        total = self._articles[outlet]
        counts = self._lines[outlet]

        def seen(key: str) -> tuple[int, int] | None:
            count = counts.get(line_hash(key), 0)
            return (count, total) if count else None

        return seen

    def counts_for(self, outlet: str, hashes: Iterable[int]) -> tuple[int, dict[int, int]]:
        """(articles of the outlet, {hash: articles with it}) for these line hashes only."""
        self._ensure(outlet)
        counts = self._lines[outlet]
        return self._articles[outlet], {h: counts[h] for h in hashes if h in counts}

    def __call__(self, outlet: str) -> Callable[[str], tuple[int, int] | None]:
        return self.lookup(outlet)

    def pending(self) -> dict[str, tuple[int, Counter[int]]]:
        out, self._pending = self._pending, {}
        return out
