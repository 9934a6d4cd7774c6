"""Stages that turn a raw article into a clean one: lines, body, id, language, sentences, PII."""

from __future__ import annotations

import re
from dataclasses import replace

from khabar.model import Article, Line, PIISpan, Sentence, article_id
from khabar.pipeline import stage
from khabar.text import arabic_letter_share, normalize_text, split_sentences

_SENTENCE_END = ("." , "،", ",", ":", "؛", ";")
_BYLINE_START = re.compile(r"^\s*(بقلم|كتب|كتبت|إعداد|اعداد|تحرير)\b")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_ANY_LETTER = re.compile(r"[^\W\d_]")

MAX_TITLE_WORDS = 25


def _line_key(text: str) -> str:
    return " ".join(normalize_text(text).split()).strip(" .!?:-–—|")


def _split_lines(text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    for raw_line in text.splitlines(keepends=True):
        content = raw_line.rstrip("\r\n")
        stripped = content.strip()
        if stripped:
            start = position + (len(content) - len(content.lstrip()))
            spans.append((start, start + len(stripped)))
        position += len(raw_line)
    return spans


def _headline_shaped(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= MAX_TITLE_WORDS and not line.rstrip().endswith(_SENTENCE_END) and not (
        _BYLINE_START.match(line)
    )


@stage("lines", provides=("lines", "title"))
def split_lines(article: Article) -> Article:
    """Non-blank lines with offsets; the title line and its repeats found (more kinds: [clean])."""
    spans = _split_lines(article.text)
    title = article.title.strip()
    title_key = _line_key(title) if title else ""
    lines: list[Line] = []
    for index, (start, end) in enumerate(spans):
        line = article.text[start:end]
        key = _line_key(line)
        if title_key and key == title_key:
            if any(existing.line_kind == "title" for existing in lines):
                lines.append(Line(start, end, line, "duplicate_title", "repeats the title line"))
            else:
                lines.append(Line(start, end, line, "title", "matches the title in the metadata"))
            continue
        if not title_key and index == 0 and len(spans) > 1 and _headline_shaped(line):
            title, title_key = line, key
            lines.append(Line(start, end, line, "title", "first line, headline-shaped"))
            continue
        lines.append(Line(start, end, line, "body", "no other kind recognised"))
    return replace(article, lines=tuple(lines), title=title)


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
