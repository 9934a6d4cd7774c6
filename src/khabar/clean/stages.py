"""Stages that turn a raw article into a clean one: lines, body, id, language, sentences, PII."""

from __future__ import annotations

from dataclasses import replace

from khabar.clean.language import detect_language
from khabar.clean.lines import RepeatedLines, classify_lines
from khabar.clean.pii import find_pii
from khabar.model import BOILERPLATE_LINE_KINDS, Article, Sentence, article_id
from khabar.pipeline import stage
from khabar.text import normalize_text, split_sentences


@stage("lines", provides=("lines", "title", "author", "dateline", "published"), uses=("repeated_lines",))
def classify_article_lines(article: Article, repeated_lines: RepeatedLines | None = None) -> Article:
    """Every line's kind and reason; title, author, dateline and a date found in the text."""
    outlet_lines = repeated_lines(article.outlet) if repeated_lines and article.outlet else None
    verdict = classify_lines(article.text, title=article.title, outlet=article.outlet, repeated=outlet_lines)
    return replace(
        article,
        lines=verdict.lines,
        title=article.title or verdict.title,
        author=article.author or verdict.author,
        dateline=verdict.dateline,
        dateline_place=verdict.dateline_place,
        dateline_source=verdict.dateline_agency,
        published=article.published or verdict.published,
    )


BODY_KINDS = frozenset({"body", "subheading"})


@stage("body", requires=("lines",), provides=("body",))
def join_body(article: Article) -> Article:
    """The clean body: body and subheading lines joined by newlines; with none, the lines that
    are not site chrome (a headline alone, a caption). A text of chrome only (a copyright line,
    a comments counter, a menu) has no body: `khabar ingest` quarantines it as "empty body after
    cleaning"."""
    body = "\n".join(line.text for line in article.lines if line.line_kind in BODY_KINDS)
    if not body:
        body = "\n".join(line.text for line in article.lines if line.line_kind not in BOILERPLATE_LINE_KINDS)
    return replace(article, body=body)


@stage("identify", requires=("body",), provides=("id",))
def assign_id(article: Article) -> Article:
    """Content-hash id from the outlet and the normalized body."""
    return replace(article, id=article_id(normalize_text(article.body), article.outlet))


@stage("language", requires=("body",), provides=("language",))
def mark_language(article: Article) -> Article:
    """The body's language: `ar` from letter counts, others by langid; `und` when too short."""
    return replace(article, language=detect_language(article.body))


@stage("sentences", requires=("lines",), provides=("sentences",))
def split_body_sentences(article: Article) -> Article:
    """Sentences of the body lines, as spans into the original text."""
    sentences: list[Sentence] = []
    for line in article.lines:
        if line.line_kind not in BODY_KINDS:
            continue
        for start, end in split_sentences(line.text):
            sentences.append(Sentence(line.start + start, line.start + end, line.text[start:end]))
    return replace(article, sentences=tuple(sentences))


@stage("pii", provides=("pii",))
def flag_pii(article: Article) -> Article:
    """Phone numbers, e-mail addresses and ID numbers in the text, flagged as personal data."""
    return replace(article, pii=tuple(find_pii(article.text)))
