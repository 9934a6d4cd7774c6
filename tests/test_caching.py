"""khabar.caching.GenerationalCache: bounded, and what is used survives."""

from __future__ import annotations

import pytest

from khabar.caching import GenerationalCache


def test_used_keys_survive_and_memory_stays_bounded() -> None:
    cache: GenerationalCache[str, int] = GenerationalCache(3)
    cache.put("frequent", 1)
    for i in range(100):
        assert cache.get("frequent") == 1  # a hit in each generation keeps it
        cache.put(f"rare{i}", i)
        cache.age()
        assert len(cache) <= 6
    assert "frequent" in cache
    assert "rare0" not in cache


def test_age_drops_the_old_generation_only_when_the_young_one_is_full() -> None:
    cache: GenerationalCache[str, int] = GenerationalCache(2)
    cache.put("a", 1)
    assert cache.age() == {}
    cache.put("b", 2)
    assert cache.age() == {}  # a and b are now the old generation
    assert cache.get("a") == 1  # promoted back to the young one
    cache.put("c", 3)
    assert cache.age() == {"b": 2}
    assert cache.get("b") is None
    assert cache.get("a") == 1 and cache.get("c") == 3


def test_generation_must_be_positive() -> None:
    with pytest.raises(ValueError):
        GenerationalCache(0)
