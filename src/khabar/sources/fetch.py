"""Polite HTTP fetching: per-host rate limits, robots.txt, retries with backoff, timeouts,
a size cap, a user agent naming khabar, and redirects followed one hop at a time (each hop is
checked against robots.txt and waits its turn like any other request).

`PoliteClient.get` never raises for what the network or the server does: the `Response` says
what came back, or `error` says why nothing usable did, in one line.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

from khabar.errors import KhabarError
from khabar.sources.ratelimit import HostRateLimiter, host_of
from khabar.sources.robots import RobotsCache

__all__ = ["FetchOptions", "PoliteClient", "Response", "default_user_agent"]

REDIRECTS = (301, 302, 303, 307, 308)
#: Statuses worth another try: the server is busy or broken for now.
RETRY_STATUSES = (429, 500, 502, 503, 504)


def default_user_agent() -> str:
    from khabar import __version__

    return f"khabar/{__version__} (Arabic news monitor; +https://github.com/khabar-news/khabar)"


def require_httpx() -> Any:
    try:
        import httpx
    except ImportError:
        raise KhabarError("fetching feeds needs httpx and feedparser: pip install 'khabar[sources]'") from None
    return httpx


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How politely and patiently to fetch. Intervals and timeouts are in seconds."""

    user_agent: str = field(default_factory=default_user_agent)
    #: Seconds between the end of one request to a host and the start of the next.
    host_interval: float = 1.0
    #: Per-host overrides of `host_interval` (`example.com` covers its subdomains).
    host_intervals: Mapping[str, float] = field(default_factory=dict)
    #: Whole-request limit (connect, headers and body together).
    timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    #: Retries after a timeout, a connection error or a 429/5xx answer.
    retries: int = 3
    #: First retry after `backoff` seconds, then twice as long each time (at most `max_backoff`).
    backoff: float = 1.0
    max_backoff: float = 60.0
    robots: bool = True
    #: Hosts fetched at the same time (each host still gets one request at a time).
    concurrency: int = 8


@dataclass(slots=True)
class Response:
    """What one GET came to after redirects and retries."""

    url: str
    final_url: str = ""
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    error: str = ""
    attempts: int = 0
    redirects: int = 0

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


class PoliteClient:
    """A synchronous HTTP client that keeps to `FetchOptions`. `stop` (an Event) cuts waits
    short: a stopped client gives up instead of sleeping through its backoff."""

    def __init__(self, options: FetchOptions | None = None, *, stop: threading.Event | None = None,
                 limiter: HostRateLimiter | None = None) -> None:
        httpx = require_httpx()
        self.options = options or FetchOptions()
        self.stop = stop or threading.Event()
        self.limiter = limiter or HostRateLimiter(self.options.host_interval, self.options.host_intervals)
        self._httpx = httpx
        self._client = httpx.Client(
            headers={"User-Agent": self.options.user_agent,
                     "Accept-Language": "ar,en;q=0.5"},
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=False,
        )
        agent = self.options.user_agent.split("/", 1)[0].strip() or "khabar"
        self.robots = RobotsCache(self._fetch_robots, agent, on_crawl_delay=self.limiter.at_least)
        #: Requests sent so far (robots.txt, retries and redirect hops included).
        self.requests = 0
        self._count_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fetch_robots(self, url: str) -> tuple[int, bytes, str]:
        response = self._get(url, {}, check_robots=False)
        return response.status, response.content, response.error

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """GET `url` (following redirects, retrying, within robots.txt and the rate limits)."""
        return self._get(url, dict(headers or {}), check_robots=self.options.robots)

    def _get(self, url: str, headers: dict[str, str], *, check_robots: bool) -> Response:
        current = url
        result = Response(url)
        for hop in range(self.options.max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                result.error = f"not an http(s) URL: {current[:200]}"
                return result
            if check_robots:
                answer = self.robots.allowed(current)
                if not answer.allowed:
                    result.final_url, result.error = current, answer.reason
                    return result
            attempt = self._with_retries(current, headers)
            attempt.url, attempt.redirects = url, hop
            attempt.attempts += result.attempts
            result = attempt
            if result.error or result.status not in REDIRECTS:
                return result
            location = result.headers.get("location", "")
            if not location:
                result.error = f"HTTP {result.status} redirect without a Location"
                return result
            current = urljoin(current, location.strip())
        result.error = f"too many redirects (more than {self.options.max_redirects})"
        return result

    def _with_retries(self, url: str, headers: dict[str, str]) -> Response:
        opts = self.options
        result = Response(url, final_url=url)
        for attempt in range(opts.retries + 1):
            result = self._once(url, headers)
            result.attempts = attempt + 1
            retryable = (bool(result.error) and result.status == 0) or result.status in RETRY_STATUSES
            if not retryable or attempt == opts.retries or self.stop.is_set():
                break
            delay = min(opts.max_backoff, opts.backoff * 2**attempt)
            retry_after = _retry_after(result.headers.get("retry-after", ""))
            if retry_after is not None:
                delay = min(opts.max_backoff, max(delay, retry_after))
            if self.stop.wait(delay):
                break
        if result.status in RETRY_STATUSES and not result.error:
            tries = f" after {result.attempts} attempts" if result.attempts > 1 else ""
            result.error = f"HTTP {result.status}{tries}"
        elif result.error and result.status == 0 and result.attempts > 1:
            result.error += f" ({result.attempts} attempts)"
        return result

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        httpx = self._httpx
        opts = self.options
        result = Response(url, final_url=url)
        with self.limiter.slot(host_of(url)):
            with self._count_lock:
                self.requests += 1
            started = time.monotonic()
            try:
                with self._client.stream("GET", url, headers=headers) as answer:
                    result.status = answer.status_code
                    result.headers = {k.lower(): v for k, v in answer.headers.items()}
                    if answer.status_code in REDIRECTS or answer.status_code == 304:
                        return result
                    declared = answer.headers.get("content-length", "")
                    if declared.isascii() and declared.isdigit() and int(declared) > opts.max_bytes:
                        raise _TooLarge
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in answer.iter_bytes():
                        size += len(chunk)
                        if size > opts.max_bytes:
                            raise _TooLarge
                        if time.monotonic() - started > opts.timeout:
                            raise _TooSlow
                        chunks.append(chunk)
                    result.content = b"".join(chunks)
            except _TooLarge:
                result.error = f"page larger than {_size(opts.max_bytes)}"
                result.status = result.status or 200
            except (_TooSlow, httpx.TimeoutException):
                result.status, result.error = 0, f"timed out after {opts.timeout:g}s"
            except httpx.TooManyRedirects:  # not raised with follow_redirects=False; kept for safety
                result.status, result.error = 0, "too many redirects"
            except httpx.HTTPError as exc:
                result.status, result.error = 0, f"connection failed: {type(exc).__name__}"
        return result


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MiB"
    if n >= 1024:
        return f"{n / 1024:g} KiB"
    return f"{n} bytes"


def _retry_after(value: str) -> float | None:
    """Seconds to wait from a Retry-After header (seconds, or an HTTP date)."""
    value = value.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # "²".isdigit() is True too
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
