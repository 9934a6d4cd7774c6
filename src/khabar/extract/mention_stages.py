"""Stages that find quotes, quantities and dates in an article's body.

>>> import khabar
>>> text = "عنوان\\nوقال الوزير سمير داود إن \\"الحكومة سترسل 500 جندي\\"."
>>> article = khabar.process(text, stages=["lines", "body", "language", "sentences", "pii", "quotes", "quantities"])
>>> [(q.speaker, q.text) for q in article.quotes]
[('سمير داود', 'الحكومة سترسل 500 جندي')]
>>> [(q.value, q.counted) for q in article.quantities]
[(500, 'جندي')]
"""

from __future__ import annotations

from dataclasses import replace

from khabar.extract.dates import find_dates, to_date_span
from khabar.extract.quantities import find_quantities
from khabar.extract.quotes import find_quotes
from khabar.model import CONTENT_LINE_KINDS, Article
from khabar.pipeline import stage

#: Line kinds whose text is the article (the same as the sentences stage uses).
BODY_KINDS = frozenset({"body", "subheading"})


def body_lines(article: Article) -> list[tuple[int, int]]:
    """Spans of the body and subheading lines (all lines when the article has no line kinds)."""
    spans = [(line.start, line.end) for line in article.lines if line.line_kind in BODY_KINDS]
    if not spans and not article.lines:
        return [(s.start, s.end) for s in article.sentences]
    return spans


def content_lines(article: Article, *, title: bool = True) -> list[tuple[int, int]]:
    """Spans of the lines that are the article's own text (no boilerplate), title optional."""
    kinds = CONTENT_LINE_KINDS if title else (CONTENT_LINE_KINDS - {"title"}) | {"timestamp_label"}
    spans = [(line.start, line.end) for line in article.lines if line.line_kind in kinds]
    if not spans and not article.lines:
        return [(s.start, s.end) for s in article.sentences]
    return spans


@stage("quotes", requires=("sentences",), provides=("quotes",), languages=("ar",))
def extract_quotes(article: Article) -> Article:
    """Direct and indirect quotes with speaker, reporting verb and span."""
    quotes = find_quotes(
        article.text,
        body_lines(article),
        [(s.start, s.end) for s in article.sentences],
        entities=article.entities,
        name_lines=content_lines(article),
        titles=[(line.start, line.end) for line in article.lines if line.line_kind == "title"],
    )
    return replace(article, quotes=tuple(quotes))


@stage(
    "quantities", requires=("sentences", "pii"), provides=("quantities",), languages=("ar", "und")
)
def extract_quantities(article: Article) -> Article:
    """Numbers with what they count (units, currencies, percentages); phone numbers excluded."""
    spans = content_lines(article)
    pii = [(p.start, p.end) for p in article.pii]
    return replace(article, quantities=tuple(find_quantities(article.text, spans, pii=pii)))


@stage("dates", requires=("sentences", "published"), provides=("dates",), languages=("ar", "und"))
def extract_dates(article: Article) -> Article:
    """Dates and times, resolved against the publication date when there is one."""
    mentions = find_dates(
        article.text, content_lines(article, title=False), published=article.published
    )
    return replace(article, dates=tuple(to_date_span(m) for m in mentions))
