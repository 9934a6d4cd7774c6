"""robots.txt, read once per site and kept for a while (`urllib.robotparser` does the matching).

As RFC 9309 says: a robots.txt that does not exist (any 4xx) allows everything; one that
cannot be read (5xx, timeout, connection refused) disallows everything until it can be read.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["RobotsAnswer", "RobotsCache"]

#: robots.txt files above this size are cut here (RFC 9309 asks for at least 500 KiB).
MAX_ROBOTS_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class RobotsAnswer:
    allowed: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class _Entry:
    parser: urllib.robotparser.RobotFileParser | None
    allow_all: bool
    reason: str
    fetched: float


def site_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RobotsCache:
    """`allowed(url)` for one user agent. `fetch(url)` returns (status, body bytes, error):
    status 0 with an error when nothing came back."""

    def __init__(
        self,
        fetch: Callable[[str], tuple[int, bytes, str]],
        agent: str = "khabar",
        *,
        ttl: float = 24 * 3600,
        unreachable_ttl: float = 600,
        on_crawl_delay: Callable[[str, float], None] | None = None,
    ) -> None:
        self._fetch = fetch
        self.agent = agent
        self.ttl = ttl
        self.unreachable_ttl = unreachable_ttl
        self._on_crawl_delay = on_crawl_delay
        self._sites: dict[str, _Entry] = {}
        # one lock per site: a site's robots.txt is read once even when two threads need it
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _load(self, site: str) -> _Entry:
        status, body, error = self._fetch(site + "/robots.txt")
        now = time.monotonic()
        if status == 200:
            parser = urllib.robotparser.RobotFileParser(site + "/robots.txt")
            text = body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace")
            parser.parse(text.splitlines())
            delay = parser.crawl_delay(self.agent)
            if delay and self._on_crawl_delay:
                host = urlsplit(site).hostname or ""
                self._on_crawl_delay(host, min(float(delay), 60.0))  # a huge delay would stall us
            return _Entry(parser, False, "", now)
        if 400 <= status < 500:
            return _Entry(None, True, "", now)
        why = f"HTTP {status}" if status else error or "no answer"
        return _Entry(None, False, f"robots.txt unreachable ({why})", now)

    def allowed(self, url: str) -> RobotsAnswer:
        site = site_of(url)
        with self._guard:
            lock = self._locks.setdefault(site, threading.Lock())
        with lock:
            return self._allowed(site, url)

    def _allowed(self, site: str, url: str) -> RobotsAnswer:
        entry = self._sites.get(site)
        if entry is not None:
            ttl = self.ttl if entry.parser is not None or entry.allow_all else self.unreachable_ttl
            if time.monotonic() - entry.fetched > ttl:
                entry = None
        if entry is None:
            entry = self._sites[site] = self._load(site)
        if entry.allow_all:
            return RobotsAnswer(True)
        if entry.parser is None:
            return RobotsAnswer(False, entry.reason)
        if entry.parser.can_fetch(self.agent, url):
            return RobotsAnswer(True)
        return RobotsAnswer(False, "disallowed by robots.txt")
