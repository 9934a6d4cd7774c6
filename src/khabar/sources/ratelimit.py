"""Per-host rate limits: at most one request to a host every `interval` seconds.

The interval runs from the end of one request to the start of the next, so however long the
network takes, the host never sees two requests closer together than its interval (a limit
that ran from start to start could be beaten by a slow first request arriving late).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from urllib.parse import urlsplit

__all__ = ["HostRateLimiter", "host_of"]


def host_of(url: str) -> str:
    """The host a rate limit applies to: the URL's host name, lowercase, without the port."""
    return (urlsplit(url).hostname or "").lower()


class HostRateLimiter:
    """Spaces requests per host. `interval` is the default; `per_host` overrides it by host
    name (`example.com`, which also covers `www.example.com`, unless that has its own entry)."""

    def __init__(
        self,
        interval: float = 1.0,
        per_host: Mapping[str, float] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if interval < 0 or any(v < 0 for v in (per_host or {}).values()):
            raise ValueError("rate-limit intervals must be >= 0 seconds")
        self.default = interval
        self.per_host = {k.lower(): float(v) for k, v in (per_host or {}).items()}
        self._floor: dict[str, float] = {}  # from robots.txt Crawl-delay
        self._next: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def interval(self, host: str) -> float:
        host = host.lower()
        configured = self.default
        parts = host.split(".")
        for i in range(len(parts)):  # the most specific configured suffix wins
            candidate = ".".join(parts[i:])
            if candidate in self.per_host:
                configured = self.per_host[candidate]
                break
        return max(configured, self._floor.get(host, 0.0))

    def at_least(self, host: str, seconds: float) -> None:
        """Never go faster than `seconds` per request to `host` (a robots.txt Crawl-delay)."""
        self._floor[host.lower()] = max(self._floor.get(host.lower(), 0.0), seconds)

    def ended(self, host: str, seconds_ago: float) -> None:
        """A request to `host` ended `seconds_ago` (in an earlier run): wait its interval from then."""
        host = host.lower()
        due = self._clock() - max(0.0, seconds_ago) + self.interval(host)
        with self._lock(host):
            self._next[host] = max(self._next.get(host, 0.0), due)

    def _lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold the host's only slot: wait for its turn, and start its interval on leaving."""
        host = host.lower()
        with self._lock(host):
            wait = self._next.get(host, 0.0) - self._clock()
            if wait > 0:
                self._sleep(wait)
            try:
                yield
            finally:
                self._next[host] = self._clock() + self.interval(host)
