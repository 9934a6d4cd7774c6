"""Publication times as they come in dumps: ISO 8601, `YYYY-MM-DD HH:MM:SS`, RFC 2822, epochs,
and Arabic dates as sites print them (`الخميس 5 مارس 2026`, `5 آذار 2026 - 10:30 ص`, Hijri days)."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime, time

_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_EPOCH = re.compile(r"^\d{9,13}(\.\d+)?$")
#: Publication years taken as given; a date outside them (year 1, 99999, an epoch in
#: milliseconds read as seconds) is a broken field, kept as `published_raw`, not a date.
YEARS = range(1800, 2201)


def parse_published(value: str | datetime | date | float | None) -> datetime | None:
    """A datetime for a metadata date, or None when it is not a date we can read (or one
    outside `YEARS`). A string may be in a dump format or an Arabic date line; a `date` is its
    midnight; a number is a Unix epoch (seconds or milliseconds), as in JSONL.

    Times without a zone stay naive: we do not know the outlet's zone and will not guess.
    """
    found = _parse_published(value)
    return found if found is not None and found.year in YEARS else None


def _parse_published(value: str | datetime | date | float | None) -> datetime | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, (int, float)):
        value = str(value)  # what the JSONL reader makes of a number
    if not isinstance(value, str):
        return None
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
    english = _english_date(text)  # before RFC 2822's parser, which reads 2:30 PM as 02:30
    if english is not None:
        return english
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y",
                "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return _arabic_date(value)


_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_ENGLISH_FORMATS = tuple(f"{day} {time}".strip() for day in (
    "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%d %B, %Y", "%d %b, %Y")
    for time in ("", "%I:%M %p", "%I:%M:%S %p", "%H:%M", "%H:%M:%S", "at %I:%M %p", "- %I:%M %p"))


def _english_date(text: str) -> datetime | None:
    """A date as English-language sites print it (March 11, 2018 2:30 PM; 11 Mar 2018; a
    weekday first), in the C locale's month names whatever the machine's locale."""
    if not any(c.isascii() and c.isalpha() for c in text):
        return None
    text = _WEEKDAY.sub("", " ".join(text.replace(".", " ").split()) if "." in text[:5] else " ".join(text.split()))
    for fmt in _ENGLISH_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _arabic_date(value: str) -> datetime | None:
    """An Arabic date as a site prints it: read by the parser of the text's date lines (month
    names of every region, 12-hour marks), else one explicit Hijri day."""
    from khabar.clean.lines import line_key, parse_date_line

    key = line_key(value)
    if not key or len(key) > 80:  # a date line, not a paragraph
        return None
    found = parse_date_line(key)
    if found is False and ":" in key:  # a label of several words, as the cleaning stage reads it
        found = parse_date_line(re.sub(r"^[^:\d]*:\s*", "", key))
    if isinstance(found, datetime):
        return found
    if found is True or not any(c.isdigit() for c in key):
        return None
    from khabar.extract.dates import find_dates

    mentions = find_dates(value, infer_reference=False)
    if len(mentions) != 1:
        return None
    mention = mentions[0]
    whole = not value[: mention.start].strip(" ،,:-") and not value[mention.end :].strip(" .،,")
    if (whole and mention.calendar == "hijri" and mention.resolved_by == "explicit"
            and mention.granularity == "day" and mention.value):
        return datetime.fromisoformat(mention.value)
    return None
