"""Stages that turn a raw article into a clean one: lines, body, id, language, sentences, PII."""

from __future__ import annotations

import re
from dataclasses import replace

from khabar.clean.lines import RepeatedLines, classify_lines
from khabar.model import Article, PIISpan, Sentence, article_id
from khabar.pipeline import stage
from khabar.text import arabic_letter_share, normalize_text, split_sentences

_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_ANY_LETTER = re.compile(r"[^\W\d_]")


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
    """The clean body: body and subheading lines joined by newlines."""
    body = "\n".join(line.text for line in article.lines if line.line_kind in BODY_KINDS)
    if not body:
        body = "\n".join(line.text for line in article.lines)
    return replace(article, body=body)


@stage("identify", requires=("body",), provides=("id",))
def assign_id(article: Article) -> Article:
    """Content-hash id from the outlet and the normalized body."""
    return replace(article, id=article_id(normalize_text(article.body), article.outlet))


@stage("language", requires=("body",), provides=("language",))
def detect_language(article: Article) -> Article:
    """`ar` when most letters of the body are Arabic, `und` otherwise."""
    sample = article.body[:5000]
    if not _ANY_LETTER.search(sample):
        return replace(article, language="und")
    share = arabic_letter_share(sample)
    return replace(article, language="ar" if share >= 0.5 else "und")


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


_DIGIT = r"[0-9\u0660-\u0669\u06F0-\u06F9]"
_PHONE = re.compile(
    rf"(?<![\w.,\u066B\u066C/-])(?:\+|00)?{_DIGIT}(?:[ \-\u00A0]?{_DIGIT}){{7,15}}(?![\w.,\u066B\u066C/-])"
)
_PHONE_PREFIXED = re.compile(rf"^(?:\+|00|0){_DIGIT}")
_EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _is_phone(candidate: str) -> bool:
    digits = [c for c in candidate.translate(_ASCII_DIGITS) if c.isdigit()]
    if len(digits) < 8:
        return False
    # Long plain digit runs without a 0/00/+ prefix are more often ids or amounts.
    return bool(_PHONE_PREFIXED.match(candidate)) or len(digits) >= 10


@stage("pii", provides=("pii",))
def find_pii(article: Article) -> Article:
    """Phone numbers and e-mail addresses in the text, flagged as personal data."""
    found: list[PIISpan] = []
    for match in _EMAIL.finditer(article.text):
        found.append(PIISpan(match.start(), match.end(), match.group(), pii_kind="email"))
    for match in _PHONE.finditer(article.text):
        if _is_phone(match.group()):
            found.append(PIISpan(match.start(), match.end(), match.group(), pii_kind="phone"))
    found.sort(key=lambda s: s.start)
    return replace(article, pii=tuple(found))
