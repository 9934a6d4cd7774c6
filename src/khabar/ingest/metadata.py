"""Publication times as they come in dumps: ISO 8601, `YYYY-MM-DD HH:MM:SS`, RFC 2822, epochs."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime

_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_EPOCH = re.compile(r"^\d{9,13}(\.\d+)?$")
#: Publication years taken as given; a date outside them (year 1, 99999, an epoch in
#: milliseconds read as seconds) is a broken field, kept as `published_raw`, not a date.
YEARS = range(1800, 2201)


def parse_published(value: str | datetime | None) -> datetime | None:
    """A datetime for a metadata date string, or None when it is not a date we can read
    (or one outside `YEARS`).

    Times without a zone stay naive: we do not know the outlet's zone and will not guess.
    """
    found = _parse_published(value)
    return found if found is not None and found.year in YEARS else None


def _parse_published(value: str | datetime | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    text = value.strip().translate(_EASTERN_DIGITS)
    if not text:
        return None
    if _EPOCH.match(text):
        seconds = float(text)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None
