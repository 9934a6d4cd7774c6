"""How khabar reads and shows an article's time.

An article's day is the calendar day in its own published offset, the day the outlet printed:
an article published at 01:00+03:00 on the 15th is on the 15th, although it is 22:00 UTC on
the 14th. Stored `published` values are ISO strings with the outlet's offset (or none, for a
naive time), so that day is their first ten characters. A time shown keeps its offset, so
that times from outlets in different zones are never mistaken for one another.

The store also keeps UTC timestamps (`published_ts`, a story's `first_ts`/`last_ts`) to order
and window articles; `day_window` turns a day into the timestamps that can hold it.

    >>> minute("2026-04-15T01:00:00+03:00"), minute("2026-04-15T01:00:00"), day("2026-04-15T01:00:00+03:00")
    ('2026-04-15T01:00+03:00', '2026-04-15T01:00', '2026-04-15')
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["AHEAD", "BEHIND", "day", "instant", "minute"]

#: The widest UTC offsets in use (UTC+14:00 in Kiribati, UTC−12:00): a local day D starts
#: between AHEAD seconds before and BEHIND seconds after D's midnight in UTC.
AHEAD = 14 * 3600.0
BEHIND = 12 * 3600.0


def day(value: str | None) -> str:
    """The calendar day (YYYY-MM-DD) of a stored ISO time, in its own offset; '' for none."""
    return (value or "")[:10]


def minute(value: str | None) -> str:
    """A stored ISO time to the minute, with its offset when it has one ('' for none); a naive
    midnight is a date given without a time (a dump's "2026-03-05"), shown as the day alone
    rather than an invented 00:00.

    >>> minute("2026-04-14T22:00:00+00:00"), minute("2026-03-05T00:00:00")
    ('2026-04-14T22:00+00:00', '2026-03-05')
    """
    if not value:
        return ""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:  # not ISO (a hand-edited database): as it was always shown
        return value[:16]
    if when.tzinfo is None and not (when.hour or when.minute or when.second or when.microsecond):
        return when.date().isoformat()
    return when.isoformat(timespec="minutes")


def instant(value: str) -> float | None:
    """A stored ISO time as seconds since the epoch, to put times with different offsets in
    order (a naive time counts as UTC, as the store's timestamps do); None when not ISO.

    >>> instant("2026-04-15T01:00:00+03:00") < instant("2026-04-14T23:30:00+00:00")
    True
    """
    try:
        when = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
