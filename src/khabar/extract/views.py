"""A JSON-ready view of what was extracted from one article (for `khabar extract FILE --json`).

>>> import khabar
>>> from khabar.extract.views import extract_view
>>> article = khabar.process("عنوان\\nوصل إلى المدينة 560 جندياً أمس بعد رحلة طويلة.", published="2026-03-12",
...     stages=["lines", "body", "language", "sentences", "pii", "quotes", "quantities", "dates"])
>>> view = extract_view(article)
>>> view["quantities"][0]["value"], view["dates"][0]["value"], view["dates"][0]["resolved_by"]
(560, '2026-03-11', 'relative')
"""

from __future__ import annotations

from typing import Any

from khabar.extract.dates import DateMention, find_dates
from khabar.extract.mention_stages import content_lines
from khabar.extract.quantities import quantity_kind
from khabar.model import Article


def _date_details(article: Article) -> dict[tuple[int, int], DateMention]:
    """How each date was resolved (not stored on DateSpan yet): recomputed from the text."""
    spans = content_lines(article, title=False)
    return {
        (m.start, m.end): m for m in find_dates(article.text, spans, published=article.published)
    }


def extract_view(article: Article) -> dict[str, Any]:
    """Entities, quotes, quantities and dates of an article as plain dicts."""
    details = _date_details(article) if article.dates else {}
    dates = []
    for d in article.dates:
        extra = details.get((d.start, d.end))
        item: dict[str, Any] = {
            "text": d.text,
            "start": d.start,
            "end": d.end,
            "value": d.value,
            "granularity": d.granularity,
            "calendar": d.calendar,
            "resolved_by": getattr(d, "resolved_by", "") or (extra.resolved_by if extra else ""),
        }
        if extra is not None:
            if extra.candidates:
                item["candidate_years"] = list(extra.candidates)
            if extra.weekday:
                item["weekday"] = extra.weekday
            if extra.part_of_day:
                item["part_of_day"] = extra.part_of_day
            if extra.relative:
                item["relative"] = extra.relative
        dates.append(item)
    return {
        "entities": [
            {
                "type": e.label,
                "label": e.label,  # as the entity listings (khabar entities, /api/entities) name it
                "text": e.text,
                "start": e.start,
                "end": e.end,
                "canonical": e.canonical or e.text,
            }
            for e in article.entities
        ],
        "quotes": [
            {
                "speaker": q.speaker,
                "speaker_text": article.text[q.speaker_start : q.speaker_end]
                if q.speaker_start >= 0
                else "",
                "verb": q.verb,
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "direct": q.direct,
            }
            for q in article.quotes
        ],
        "quantities": [
            {
                "value": q.value,
                "value_max": q.value_max,
                "unit": q.unit,
                "counted": q.counted,
                "qualifier": q.qualifier,
                "kind": quantity_kind(q),
                "text": q.text,
                "start": q.start,
                "end": q.end,
            }
            for q in article.quantities
        ],
        "dates": dates,
    }
