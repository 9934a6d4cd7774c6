"""The data that flows through khabar: one frozen `Article` and typed spans into its text.

Every span's `start`/`end` are character offsets into `Article.text`, the text exactly as it
was received. Stages never mutate an article; they return `dataclasses.replace(article, ...)`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

#: Line kinds a cleaner may assign; boilerplate kinds are dropped from the body.
CONTENT_LINE_KINDS = frozenset({"title", "body", "subheading", "byline", "dateline", "caption"})
BOILERPLATE_LINE_KINDS = frozenset(
    {
        "duplicate_title",
        "timestamp_label",
        "comments",
        "comment_form",
        "related_header",
        "related_link",
        "share",
        "contact_promo",
        "newsletter",
        "copyright",
        "navigation",
        "advert",
        "read_more",
    }
)
LINE_KINDS = CONTENT_LINE_KINDS | BOILERPLATE_LINE_KINDS | {"unclassified"}


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of `Article.text`, [start, end)."""

    kind: ClassVar[str] = "span"
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["kind"] = self.kind
        return data


@dataclass(frozen=True, slots=True)
class Line(Span):
    """One non-blank line of the raw text with what it is and why we think so."""

    kind: ClassVar[str] = "line"
    line_kind: str = "unclassified"
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Sentence(Span):
    kind: ClassVar[str] = "sentence"


@dataclass(frozen=True, slots=True)
class EntitySpan(Span):
    """A person, organisation, place or other named thing, with its canonical name."""

    kind: ClassVar[str] = "entity"
    label: str = "MISC"  # PER, ORG, LOC, MISC
    canonical: str = ""
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class QuoteSpan(Span):
    """What someone said; `text` is the quote, the speaker span is separate."""

    kind: ClassVar[str] = "quote"
    speaker: str = ""
    speaker_start: int = -1
    speaker_end: int = -1
    verb: str = ""
    direct: bool = True


@dataclass(frozen=True, slots=True)
class QuantitySpan(Span):
    kind: ClassVar[str] = "quantity"
    value: float = 0.0
    value_max: float | None = None
    unit: str = ""
    counted: str = ""
    qualifier: str = ""


@dataclass(frozen=True, slots=True)
class DateSpan(Span):
    kind: ClassVar[str] = "date"
    value: str = ""  # ISO date (or date-time) it resolves to, "" when unresolved
    calendar: str = "gregorian"  # or "hijri"
    granularity: str = "day"
    resolved_by: str = ""  # how the value was found: explicit, publication date, weekday, ...
    candidates: tuple[int, ...] = ()  # possible years when the text leaves the year open
    weekday: str = ""
    part_of_day: str = ""
    relative: str = ""  # yesterday, today, last week, ...


@dataclass(frozen=True, slots=True)
class PIISpan(Span):
    """Personal data found in the text (phone numbers, e-mail addresses)."""

    kind: ClassVar[str] = "pii"
    pii_kind: str = "phone"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article from one outlet.

    `id` is derived from the outlet and the normalized body (see `article_id`), so the same
    text from the same outlet is the same article however it was encoded or re-ingested,
    while an exact reprint by another outlet stays a separate article (a copy group joins
    them later).
    """

    id: str
    text: str
    outlet: str = ""
    url: str = ""
    title: str = ""
    author: str = ""
    dateline: str = ""  # as written, e.g. "بغداد/شبكة اخبار العراق-"
    dateline_place: str = ""
    dateline_source: str = ""  # the outlet or agency named in the dateline
    published: datetime | None = None
    body: str = ""
    language: str = ""
    external_id: str = ""
    origin: str = ""  # where it came from: file path, path:line for JSONL, "-" for stdin
    lines: tuple[Line, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[EntitySpan, ...] = ()
    quotes: tuple[QuoteSpan, ...] = ()
    quantities: tuple[QuantitySpan, ...] = ()
    dates: tuple[DateSpan, ...] = ()
    pii: tuple[PIISpan, ...] = ()
    metadata: tuple[tuple[str, str], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings, spans as dicts)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif f.name == "metadata":
                value = dict(value)
            elif isinstance(value, tuple):
                value = [v.to_dict() for v in value]
            out[f.name] = value
        return out


@dataclass(frozen=True, slots=True)
class Story:
    """Articles from one or more outlets about one event."""

    id: str
    article_ids: tuple[str, ...]
    title: str = ""
    outlets: tuple[str, ...] = ()
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_ids": list(self.article_ids),
            "title": self.title,
            "outlets": list(self.outlets),
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }


def article_id(normalized_body: str, outlet: str = "") -> str:
    """Content hash of an article: 16 hex digits of SHA-256 over outlet and normalized body.

    Whitespace runs are collapsed first so re-wrapped lines and CRLF endings hash the same.
    """
    body = " ".join(normalized_body.split())
    digest = hashlib.sha256(f"{' '.join(outlet.split())}\x00{body}".encode())
    return digest.hexdigest()[:16]


def raw_text_hash(text: str, outlet: str = "") -> str:
    """Hash of a record's raw text as received (whitespace collapsed) and its outlet.

    Recognises a re-ingested input before any processing, so an article keeps the id it got
    the first time even if the cleaner has since learnt more about its outlet.
    """
    body = " ".join(text.split())
    return hashlib.sha256(f"{' '.join(outlet.split())}\x00{body}".encode()).hexdigest()[:24]
