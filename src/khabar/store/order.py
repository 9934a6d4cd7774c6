"""How the store orders articles in time.

`published` is stored as an ISO string with the outlet's offset, and strings with different
offsets do not sort in time order ('2026-04-15T01:00:00+03:00' is 22:00 UTC on the 14th, before
'2026-04-14T23:30:00+00:00'). SQLite's julianday() reads the offset (a naive time counts as
UTC, as the stories' timestamps do), and migration 0010 indexes that expression, so the
queries below must spell it exactly as `julianday(<alias>published)`.
"""

from __future__ import annotations

__all__ = ["instant", "newest_first", "oldest_first"]


def instant(alias: str = "") -> str:
    """The SQL for an article's publication instant (NULL when undated or unreadable)."""
    return f"julianday({alias + '.' if alias else ''}published)"


def newest_first(alias: str = "") -> str:
    """An ORDER BY clause: newest publication first, undated last, then in ingest order."""
    at = instant(alias)
    seq = f"{alias}.seq" if alias else "seq"
    return f"{at} DESC NULLS LAST, {seq}"


def oldest_first(alias: str = "") -> str:
    """An ORDER BY clause: oldest publication first, undated last, then in ingest order."""
    at = instant(alias)
    seq = f"{alias}.seq" if alias else "seq"
    return f"{at} NULLS LAST, {seq}"
