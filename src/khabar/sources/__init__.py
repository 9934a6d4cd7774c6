"""Live and archived sources: RSS/Atom feeds with polite page fetching (`khabar fetch`,
`khabar watch`). WARC files are read by `khabar.ingest.warc` like any other input.

Needs the `sources` extra (feedparser, httpx, warcio): `pip install 'khabar[sources]'`.
"""

from khabar.sources.config import WatchConfig, load_watch_config
from khabar.sources.feeds import (
    FeedFetcher,
    FeedItem,
    FeedReport,
    FeedSpec,
    FetchReport,
    fetch_feeds,
    parse_feed,
    watch,
)
from khabar.sources.fetch import FetchOptions, PoliteClient, Response
from khabar.sources.ratelimit import HostRateLimiter

__all__ = [
    "FeedFetcher",
    "FeedItem",
    "FeedReport",
    "FeedSpec",
    "FetchOptions",
    "FetchReport",
    "HostRateLimiter",
    "PoliteClient",
    "Response",
    "WatchConfig",
    "fetch_feeds",
    "load_watch_config",
    "parse_feed",
    "watch",
]
