"""FEEDS.toml: the feeds `khabar watch` follows and how politely it fetches them.

    poll_interval = 600          # seconds between passes over the feeds
    user_agent = "khabar/0.1 (+mailto:desk@example.org)"
    timeout = 20                 # seconds per request
    max_bytes = 5_000_000        # larger pages are not read (the feed summary is kept)
    retries = 3
    backoff = 1.0                # first retry after 1 s, then 2 s, 4 s ...
    max_redirects = 5
    concurrency = 8              # hosts fetched at the same time (one request at a time each)

    [rate]                       # seconds between two requests to one host
    default = 2.0
    "example.com" = 5.0          # covers www.example.com too

    [[feed]]
    url = "https://example.com/rss.xml"
    outlet = "صحيفة المثال"       # optional: the feed's title otherwise

`feeds = ["https://...", ...]` is a shorter way to list feeds without outlets.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from typing import Any

from khabar.errors import InputError
from khabar.sources.fetch import FetchOptions

__all__ = ["WatchConfig", "load_watch_config"]

_OPTION_TYPES = {"user_agent": str, "timeout": float, "max_bytes": int, "retries": int,
                 "backoff": float, "max_backoff": float, "max_redirects": int, "concurrency": int}


@dataclass(frozen=True, slots=True)
class WatchConfig:
    feeds: tuple[Any, ...]
    poll_interval: float = 300.0
    options: FetchOptions = field(default_factory=FetchOptions)


def _number(where: str, value: Any, kind: type) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else kind):
        raise InputError(f"{where}: expected {kind.__name__}, got {value!r}")
    if kind is not str and value < 0:
        raise InputError(f"{where}: must not be negative")
    return kind(value)


def load_watch_config(path: str | os.PathLike[str]) -> WatchConfig:
    """Read a FEEDS.toml; raises `InputError` with a one-line reason when it is not usable."""
    from khabar.sources.feeds import FeedSpec

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    feeds: list[FeedSpec] = []
    listed = data.get("feeds", [])
    blocks = data.get("feed", [])
    if not isinstance(listed, list) or not isinstance(blocks, list):
        raise InputError(f"{path}: `feeds` must be a list of URLs and `[[feed]]` tables")
    for entry in [*listed, *blocks]:
        if isinstance(entry, str):
            feeds.append(FeedSpec(entry.strip()))
        elif isinstance(entry, dict) and isinstance(entry.get("url"), str):
            feeds.append(FeedSpec(entry["url"].strip(), str(entry.get("outlet") or "")))
        else:
            raise InputError(f"{path}: a feed needs a url, got {entry!r}")
    if not feeds:
        raise InputError(f"{path}: no feeds listed (add [[feed]] tables with a url)")
    for spec in feeds:
        if not spec.url.startswith(("http://", "https://")):
            raise InputError(f"{path}: not an http(s) feed URL: {spec.url!r}")
    options: dict[str, Any] = {}
    for key, kind in _OPTION_TYPES.items():
        if key in data:
            options[key] = _number(f"{path}: {key}", data[key], kind)
    rate = data.get("rate", {})
    if not isinstance(rate, dict):
        raise InputError(f"{path}: [rate] must be a table of host = seconds")
    hosts = {}
    for host, seconds in rate.items():
        value = _number(f"{path}: rate.{host}", seconds, float)
        if host == "default":
            options["host_interval"] = value
        else:
            hosts[host.lower()] = value
    options["host_intervals"] = hosts
    poll = _number(f"{path}: poll_interval", data.get("poll_interval", 300.0), float)
    return WatchConfig(tuple(feeds), poll, replace(FetchOptions(), **options))
