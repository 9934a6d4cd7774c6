-- Live sources: what was fetched when, so a restarted `khabar fetch`/`khabar watch` neither
-- refetches nor misses items. A feed's validators (ETag, Last-Modified) are saved only after
-- every item it listed has an outcome, so a run stopped halfway re-reads the feed next time.
CREATE TABLE fetch_feeds (
    url TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    checked_at TEXT,
    changed_at TEXT,
    http_status INTEGER,
    error TEXT NOT NULL DEFAULT '',
    items INTEGER NOT NULL DEFAULT 0
);

-- One row per feed item (keyed by its link, or its guid when it has no link): whether its
-- page was ingested ('page'), only its feed summary ('summary', with the reason the page
-- failed) or nothing ('failed', with the reason).
CREATE TABLE fetch_items (
    item_key TEXT PRIMARY KEY,
    feed_url TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    guid TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    http_status INTEGER,
    final_url TEXT NOT NULL DEFAULT '',
    bytes INTEGER NOT NULL DEFAULT 0,
    fetched_at TEXT NOT NULL
);
CREATE INDEX fetch_items_feed ON fetch_items(feed_url, fetched_at);
CREATE INDEX fetch_items_status ON fetch_items(status);
