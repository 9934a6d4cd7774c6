"""The fetch log of live sources: all of the SQL for feeds and feed items (migration 0006).

    log = FetchLog(store)
    log.feed("https://example.com/rss")          # FeedState or None: validators, last check
    log.known({"https://example.com/a", ...})    # item keys that already have an outcome
    log.record_items([ItemOutcome(...), ...])    # after their records were ingested
    log.save_feed(FeedState(...))                # after every item of the feed has an outcome

Callers ingest an item's record before they record its outcome, and save a feed's validators
only after recording every item it listed: a run stopped at any point is redone from where it
stopped, and re-ingesting the few records in between adds nothing (same raw text, same article).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from khabar.store.sqlite import Store

__all__ = ["FeedState", "FetchLog", "ItemOutcome"]

#: Outcomes of one feed item.
STATUSES = ("page", "summary", "failed")


def _now() -> str:
    # milliseconds: a restarted fetcher spaces its first requests from these times
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the log knows of one feed."""

    url: str
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    checked_at: str | None = None
    changed_at: str | None = None
    http_status: int | None = None
    error: str = ""
    items: int = 0


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What became of one feed item: its page ingested, its summary instead, or nothing."""

    item_key: str
    feed_url: str
    status: str
    url: str = ""
    guid: str = ""
    title: str = ""
    reason: str = ""
    http_status: int | None = None
    final_url: str = ""
    bytes: int = 0
    fetched_at: str = ""


class FetchLog:
    """Feeds and feed items of one `Store` (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn

    def feed(self, url: str) -> FeedState | None:
        row = self.conn.execute(
            "SELECT url, title, etag, last_modified, checked_at, changed_at, http_status, error, items"
            " FROM fetch_feeds WHERE url=?",
            (url,),
        ).fetchone()
        return FeedState(*row) if row else None

    def feeds(self) -> list[FeedState]:
        rows = self.conn.execute(
            "SELECT url, title, etag, last_modified, checked_at, changed_at, http_status, error, items"
            " FROM fetch_feeds ORDER BY url"
        ).fetchall()
        return [FeedState(*row) for row in rows]

    def save_feed(self, state: FeedState) -> None:
        """Insert or replace a feed's state (`checked_at` defaults to now)."""
        self.conn.execute(
            "INSERT INTO fetch_feeds(url, title, etag, last_modified, checked_at, changed_at,"
            " http_status, error, items) VALUES (?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(url) DO UPDATE SET title=excluded.title, etag=excluded.etag,"
            " last_modified=excluded.last_modified, checked_at=excluded.checked_at,"
            " changed_at=excluded.changed_at, http_status=excluded.http_status,"
            " error=excluded.error, items=excluded.items",
            (state.url, state.title, state.etag, state.last_modified, state.checked_at or _now(),
             state.changed_at, state.http_status, state.error, state.items),
        )

    def known(self, keys: Iterable[str]) -> set[str]:
        """The item keys among `keys` that already have an outcome."""
        wanted = list(dict.fromkeys(k for k in keys if k))
        found: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0] for row in self.conn.execute(
                    f"SELECT item_key FROM fetch_items WHERE item_key IN ({marks})", chunk
                )
            )
        return found

    def record_items(self, outcomes: Iterable[ItemOutcome]) -> int:
        """Record outcomes in one transaction; an item already recorded keeps its first outcome."""
        rows = [
            (o.item_key, o.feed_url, o.url, o.guid, o.title, o.status, o.reason, o.http_status,
             o.final_url, o.bytes, o.fetched_at or _now())
            for o in outcomes
        ]
        for row in rows:
            if row[5] not in STATUSES:
                raise ValueError(f"unknown item status {row[5]!r}")
        cur = self.conn.cursor()
        self.store.begin_write(cur)
        try:
            cur.executemany(
                "INSERT OR IGNORE INTO fetch_items(item_key, feed_url, url, guid, title, status,"
                " reason, http_status, final_url, bytes, fetched_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")
        return len(rows)

    def items(
        self, *, feed_url: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Recorded items, newest first, optionally of one feed or one status."""
        where, args = [], []
        if feed_url:
            where.append("feed_url=?")
            args.append(feed_url)
        if status:
            where.append("status=?")
            args.append(status)
        sql = (
            "SELECT item_key, feed_url, url, guid, title, status, reason, http_status, final_url,"
            " bytes, fetched_at FROM fetch_items"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY fetched_at DESC, rowid DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        cols = ["item_key", "feed_url", "url", "guid", "title", "status", "reason", "http_status",
                "final_url", "bytes", "fetched_at"]
        return [dict(zip(cols, row)) for row in self.conn.execute(sql, args)]

    def recent_requests(self, since: str) -> list[tuple[str, str]]:
        """(URL, when) of every feed checked and item fetched at or after `since` (ISO time):
        what a restarted fetcher must space its first requests from. Each time is logged
        after its request ended, so it is never earlier than the request."""
        return [tuple(row) for row in self.conn.execute(
            "SELECT url, checked_at FROM fetch_feeds WHERE checked_at >= ?"
            " UNION ALL SELECT url, fetched_at FROM fetch_items WHERE fetched_at >= ? AND url != ''"
            " UNION ALL SELECT final_url, fetched_at FROM fetch_items WHERE fetched_at >= ? AND final_url != ''",
            (since, since, since),
        )]

    def counts(self) -> dict[str, int]:
        """Items per status."""
        return dict(self.conn.execute("SELECT status, COUNT(*) FROM fetch_items GROUP BY status"))
