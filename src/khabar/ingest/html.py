"""HTML pages to raw records: the article's text as lines, plus the page's metadata.

The main text is found by trafilatura (comments left out, tables kept as `| a | b |` lines,
lists as `- item` lines). The record's text is the title line, then one paragraph, crosshead,
caption or table row per line, so khabar's line classifier sees the same kind of input it sees
for plain-text dumps. Title, author, date, site name and URL come from the page's `<title>`,
`<meta>` and JSON-LD; fields the caller already has win over what the page says.

Nothing here raises on bad input: every page becomes a `RawRecord` or a `Rejected` with a
one-line reason (`decode_html_bytes` is the exception: like `decode_bytes`, it raises
`DecodeError` for bytes that are not text; `html_bytes_to_record` turns that into a `Rejected`).
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from khabar.errors import DecodeError

# The module, not its names: readers.py imports this module, so at import time readers may be
# only half-initialised; RawRecord and Rejected are looked up when a page is converted.
from khabar.ingest import readers as _readers
from khabar.ingest.decode import Decoded, _looks_like_utf16, _plausibility, decode_bytes, trusted_charset

if TYPE_CHECKING:
    from khabar.ingest.readers import RawRecord, Rejected

#: Suffixes of files read as HTML pages.
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
#: Pages above this many characters (after scripts and styles are cut out) are rejected.
MAX_HTML_CHARS = 20_000_000
#: Pages above this many characters get scripts, styles, SVG and data: URIs cut out before parsing.
SHRINK_ABOVE_CHARS = 1_000_000
#: trafilatura's trade-off between recall and precision: "balanced", "recall" or "precision".
#: Chosen on the train half of the trafilatura evaluation set (benchmarks/html_extraction.py):
#: "balanced" and "precision" tie on F1 there (0.921 and 0.922), "balanced" keeps more text
#: (recall 0.944 against 0.927), and "recall" is worse on both (F1 0.915: more boilerplate).
DEFAULT_MODE = "balanced"

#: Turn `<figure>` captions (which trafilatura drops) into lines. Off: on the train half of the
#: trafilatura set they cost 0.002 F1 (captions are often among the snippets that must not
#: appear); on for callers who want the line classifier to see and label them.
KEEP_CAPTIONS = False

NO_TEXT = "no article text found in HTML"

# Quiet trafilatura/htmldate's "not valid HTML"-style warnings when the application has not
# configured logging (a NullHandler stops the last-resort stderr handler, and nothing else).
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head>", re.IGNORECASE)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|h[1-6]|article|section|header|footer|nav|main|aside|ul|ol|li|table|tr|td"
    r"|span|a|img|figure|figcaption|blockquote|strong|em|b|i|meta|link|script|style|title)"
    r"(?:\s[^<>]{0,2000})?/?>",
    re.IGNORECASE,
)
_CHARSET = re.compile(
    rb"""<meta[^>]{0,1024}?charset\s*=\s*["']?\s*([a-z0-9_:.\-]{2,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-z0-9_:.\-]{2,40})""", re.IGNORECASE
)
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
_IMAGE_LINE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")


def looks_like_html(text: str) -> bool:
    """Whether `text` is an HTML page or fragment rather than plain text (a cheap sniff).

    True for a doctype or `<html>` at the start, or several HTML tags near the start; False
    for plain text that merely contains `<` or `>` signs.
    """
    if not text:
        return False
    head = text[:4096]
    if _HTML_START.match(head) or _HTML_ANYWHERE.search(head):
        return True
    tags = 0
    for _ in _BLOCK_TAG.finditer(head):
        tags += 1
        if tags >= 3:
            return True
    return tags >= 2 and head.lstrip().startswith("<")


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-z][^<>]{0,2000}>", re.IGNORECASE)


def br_to_lines(text: str) -> str:
    """`text` with its `<br>` tags as line breaks when they are its only markup (a dump that
    kept a page's line breaks); text with other tags is left to the HTML path."""
    if "<" not in text or not _BR.search(text) or _ANY_TAG.search(_BR.sub("", text)):
        return text
    return _BR.sub("\n", text)


def _whatwg_encoding(label: str) -> str | None:
    """Python codec for an encoding label, as browsers read it (latin-1 means windows-1252)."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a byte-oriented page cannot really be UTF-16; browsers read UTF-8
    return name


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page declares in its first 4 KB (`<meta charset>`, http-equiv, `<?xml>`)."""
    head = data[:4096]
    for pattern in (_XML_ENCODING, _CHARSET):
        match = pattern.search(head)
        if match:
            encoding = _whatwg_encoding(match.group(1).decode("ascii", "ignore"))
            if encoding:
                return encoding
    return None


def decode_html(data: bytes) -> Decoded:
    """Decode an HTML page: BOM, then the declared charset (but valid UTF-8 with non-ASCII
    characters is UTF-8 whatever is declared: `trusted_charset`), then a guess among UTF-8,
    Windows-1256 and ISO-8859-6 (the one that reads most like Arabic).

    Raises `DecodeError` with a one-line reason for bytes that are not text.
    """
    if not data or not data.strip():
        raise DecodeError("empty file")
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    utf16 = _looks_like_utf16(data)
    if utf16:
        return decode_bytes(data)
    if b"\x00" in data[:65536]:
        raise DecodeError("binary file (contains NUL bytes and is not UTF-16)")
    declared = trusted_charset(data, declared_encoding(data))
    if declared and declared != "cp1252":
        try:
            return _checked_text(Decoded(data.decode(declared), declared))
        except UnicodeDecodeError:
            pass  # the declaration lies; guess below
    try:
        return _checked_text(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    # Single-byte: Arabic sites often declare ISO-8859-1 for Windows-1256 bytes, so a declared
    # Latin encoding competes with the Arabic ones on how Arabic the result reads.
    candidates = [Decoded(data.decode(enc, "replace"), enc) for enc in ("cp1256", "iso-8859-6")]
    if declared:
        candidates.append(Decoded(data.decode(declared, "replace"), declared))
    best = max(candidates, key=lambda c: _plausibility(c.text))
    if declared and _plausibility(best.text) <= 0:
        best = candidates[-1]
    return _checked_text(best)


def _checked_text(decoded: Decoded) -> Decoded:
    sample = decoded.text[:65536]
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\r\f") + sample.count("\ufffd")
    if controls > 0.05 * len(sample):
        raise DecodeError(f"binary file ({decoded.encoding} decoding is mostly control characters)")
    if not decoded.text.strip():
        raise DecodeError("empty file (only whitespace)")
    return decoded


def decode_html_bytes(data: bytes) -> str:
    """The text of an HTML page's bytes (see `decode_html`); raises `DecodeError` if not text."""
    return decode_html(data).text


def _cut_blocks(html: str, start_tag: str, end_tag: str, keep: str = "") -> str:
    """`html` without `<start_tag ...> ... </end_tag>` blocks, in one linear pass.

    A block whose opening tag contains `keep` (e.g. JSON-LD scripts) is kept; an unclosed
    block runs to the end of the page.
    """
    lower = html.lower()
    parts: list[str] = []
    pos = 0
    while True:
        start = lower.find(start_tag, pos)
        if start < 0:
            break
        tag_end = lower.find(">", start)
        if tag_end < 0:
            break
        # the end is looked for right after the start: a comment's first ">" may be its "-->"
        end = lower.find(end_tag, start + len(start_tag))
        end = len(html) if end < 0 else end + len(end_tag)
        if keep and keep in lower[start:tag_end]:
            parts.append(html[pos:end])
        else:
            parts.append(html[pos:start])
        pos = end
    parts.append(html[pos:])
    return "".join(parts)


_DATA_URI = re.compile(r"""(["'(])data:[^"')]{200,}""", re.IGNORECASE)
_LONG_ATTRIBUTE = re.compile(r"""=\s*("[^"<>]{5000,}"|'[^'<>]{5000,}')""")


def _shrink(html: str) -> str:
    """Cut what never holds article text out of a big page: scripts (not JSON-LD), styles, SVG,
    comments, data: URIs and very long attribute values."""
    html = _cut_blocks(html, "<script", "</script>", keep="ld+json")
    html = _cut_blocks(html, "<style", "</style>")
    html = _cut_blocks(html, "<svg", "</svg>")
    html = _cut_blocks(html, "<!--", "-->")
    html = _DATA_URI.sub(r"\1data:,", html)
    return _LONG_ATTRIBUTE.sub('=""', html)


def _one_line(text: Any) -> str:
    if text is None:
        return ""
    if isinstance(text, (list, tuple)):
        text = ", ".join(str(t) for t in text if t)
    return _SPACES.sub(" ", str(text)).strip()


def _key(line: str) -> str:
    return _SPACES.sub(" ", line).strip().casefold()


def _body_lines(text: str) -> list[str]:
    lines = []
    for raw in text.split("\n"):
        line = _one_line(raw)
        if line and not _IMAGE_LINE.match(line):
            lines.append(line)
    return lines


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "aside", "footer"])


def _page_lines(tree: Any) -> list[str]:
    """The page's text split at block-element boundaries, in document order (linear time)."""
    from lxml import etree

    pieces: list[str] = []
    skipping = 0
    for event, elem in etree.iterwalk(tree, events=("start", "end")):
        tag = elem.tag if isinstance(elem.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                skipping += 1
            if not skipping:
                if tag in _BLOCK_TAGS:
                    pieces.append("\n")
                if elem.text and tag:
                    pieces.append(elem.text)
        else:
            if tag in _SKIP_TAGS:
                skipping -= 1
            if not skipping:
                if tag in _BLOCK_TAGS:
                    pieces.append("\n")
                if elem.tail and elem.getparent() is not None:
                    pieces.append(elem.tail)
    return [line for line in (_one_line(x) for x in "".join(pieces).split("\n")) if line]


def _resplit(line: str, html: str) -> list[str]:
    """Lines for a text that trafilatura's last-resort extractor returned as one run-on line
    (the `<article>` or `<body>` text), found again in the page's own block structure."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return [line]
    page = _page_lines(tree)
    for start, first in enumerate(page):
        if not line.startswith(first):
            continue
        pos, end = len(first), start + 1
        while pos < len(line) and end < len(page):
            nxt = page[end]
            if line.startswith(" " + nxt, pos):
                pos += 1 + len(nxt)
            elif line.startswith(nxt, pos):  # inline boundary without a space
                pos += len(nxt)
            else:
                break
            end += 1
        if pos == len(line):
            return page[start:end]
    return [line]


def _extract(html: str, url: str, mode: str, keep_captions: bool) -> tuple[Any, Any]:
    """trafilatura's Document for a page and the page's tree (as extraction saw it), or Nones."""
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return None, None
    if keep_captions:
        # trafilatura drops <figure> captions with the images; keep them as paragraphs so the
        # line classifier can label them.
        for caption in list(tree.iter("figcaption")):
            caption.tag = "p"
            parent = caption.getparent()
            if parent is not None and parent.tag == "figure":
                parent.tag = "div"
    _unwrap_layout_tables(tree)
    _drop_teaser_articles(tree)
    # bare_extraction works on a copy: `tree` stays whole for the metadata read from it below.
    doc = bare_extraction(
        tree,
        url=url or None,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
        include_links=False,
        favor_recall=mode == "recall",
        favor_precision=mode == "precision",
        with_metadata=True,
        deduplicate=False,
        # Only dates the page states (meta tags, markup, URL): htmldate's extensive search
        # turns a copyright year in the footer into 1 January.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    return doc, tree


def _text_of(elem: Any) -> str:
    try:
        return _one_line(elem.text_content())
    except (AttributeError, ValueError):
        return ""


_VISIBLE_TEXT = ".//text()[not(ancestor::script) and not(ancestor::style)]"
_LAYOUT_BLOCKS = frozenset(["p", "div", "table", "h1", "h2", "h3", "h4", "ul", "ol", "article"])


def _unwrap_layout_tables(tree: Any) -> None:
    """Old pages lay the whole page out in a `<table>`: trafilatura would turn the article into
    one `| nav | headline date paragraphs |` row, its `<br>` breaks lost. A table with a cell
    that holds a text (long, or in paragraphs or `<br>` runs) becomes plain blocks."""
    for table in list(tree.iter("table")):
        cells = [c for c in table.iter("td", "th")
                 if next(c.iterancestors("table"), None) is table]
        layout = False
        for cell in cells:
            size = sum(len(t.strip()) for t in cell.xpath(_VISIBLE_TEXT))
            breaks = sum(1 for _ in cell.iter("br"))
            # short cells hold data, even in <p>s, and a long cell alone is a long datum; text
            # of some length in paragraphs or <br> runs is a page laid out in a table
            if size > 150 and (breaks >= 2 or any(
                    child.tag in _LAYOUT_BLOCKS for child in cell.iterdescendants()
                    if isinstance(child.tag, str))):
                layout = True
                break
        if not layout:
            continue
        parts = [e for e in table.iter("tbody", "thead", "tfoot", "tr", "td", "th")
                 if next(e.iterancestors("table"), None) is table]
        for elem in [table, *parts]:  # renamed after the walk: the walk looks for "table"
            elem.tag = "div"


def _drop_teaser_articles(tree: Any) -> None:
    """With several top-level `<article>` elements (the story and teasers of others), keep the
    story: the one with the most text. The others go when the story holds the page's `<h1>`;
    when no article holds it (a live page's entries under one headline), only the clear
    teasers go: a linked heading over a little text."""
    articles = [a for a in tree.iter("article") if next(a.iterancestors("article"), None) is None]
    if len(articles) < 2:
        return
    with_h1 = [a for a in articles if next(a.iter("h1"), None) is not None]
    sizes = {id(a): len(_text_of(a)) for a in articles}
    main = max(articles, key=lambda a: sizes[id(a)])
    if with_h1 and with_h1 != [main]:
        return  # the headline away from the longest text (a cover, a long "more" box): unsure
    for article in articles:
        parent = article.getparent()
        if article is main or parent is None:
            continue
        if not with_h1 and not (2 * sizes[id(article)] <= sizes[id(main)]
                                and sizes[id(article)] <= _TEASER_CHARS
                                and _has_linked_heading(article)):
            continue
        if article.tail:  # text after the teaser belongs to its parent
            previous = article.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + article.tail
            else:
                parent.text = (parent.text or "") + article.tail
        parent.remove(article)


_TEASER_CHARS = 400


def _has_linked_heading(article: Any) -> bool:
    """Whether an article has a heading that links elsewhere (`<h3><a>` or `<a><h3>`), as a
    teaser of another story does; a live entry's heading is plain text."""
    for heading in article.iter("h2", "h3", "h4"):
        if (next(heading.iter("a"), None) is not None
                or next(heading.iterancestors("a"), None) is not None):
            return True
    return False


# Names under which pages state when an article was published (meta property/name/itemprop,
# lowercased); "date" is the weakest, read only after the others.
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "published_time", "pubdate", "publishdate", "publish-date", "publish_date",
    "date.published", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "parsely-pub-date", "sailthru.date", "og:article:published_time",
)
_ARTICLE_TYPES = re.compile(r"article|posting|report", re.IGNORECASE)
# a modification time said outright; a bare "update" is a live page's entry, not a modification
_MODIFIED_CLASS = re.compile(
    r"modif|updated|update[-_]?(?:time|date|stamp|at|on)\b|last[-_]?update|edited", re.IGNORECASE
)
_PUBLISHED_CLASS = re.compile(r"publish|pubdate|post-date|entry-date", re.IGNORECASE)
_DATE_ONLY = re.compile(r"^\s*\d{4}-\d\d-\d\d\s*$")
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')


def _json_ld_published(tree: Any) -> list[str]:
    """JSON-LD `datePublished` values, those of Article-like objects first (arrays, `@graph`
    and nested objects included)."""
    import json

    first: list[str] = []
    rest: list[str] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 8:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str | int) and str(value).strip():
                kind = node.get("@type", "")
                kind = " ".join(map(str, kind)) if isinstance(kind, list) else str(kind)
                (first if _ARTICLE_TYPES.search(kind) else rest).append(str(value))
            for key, item in node.items():
                if key != "datePublished":
                    walk(item, depth + 1)

    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            walk(json.loads(script.text), 0)
        except (ValueError, RecursionError):
            # broken JSON (a stray comma, an unescaped quote): the field is still readable
            rest.extend(_JSON_LD_PUBLISHED.findall(script.text))
    return first + rest


def _time_candidates(tree: Any) -> tuple[list[str], list[str]]:
    """`<time datetime>` values: (marked as the publication time, others inside the article);
    the page's only `<time>` counts as inside."""
    marked: list[str] = []
    inside: list[str] = []
    times = [t for t in tree.iter("time") if (t.get("datetime") or "").strip()]
    for elem in times:
        parent = elem.getparent()
        classes = f"{elem.get('class') or ''} {parent.get('class') or '' if parent is not None else ''}"
        prop = (elem.get("itemprop") or "").lower()
        if prop == "datemodified" or _MODIFIED_CLASS.search(classes):
            continue
        value = elem.get("datetime", "")
        if "pubdate" in elem.attrib or prop == "datepublished" or _PUBLISHED_CLASS.search(classes):
            marked.append(value)
        elif len(times) == 1 or next(elem.iterancestors("article", "main"), None) is not None:
            inside.append(value)
    return marked, inside


def _stated_published(tree: Any) -> str:
    """The publication time the page states (meta tags, JSON-LD, itemprop, `<time>`), as an
    ISO string with its offset; a day alone as `YYYY-MM-DD`; "" when it states none.

    Published beats modified: modified times are never read here. A stronger source that
    gives the day alone takes its time of day from a weaker one that agrees on the day.
    """
    from khabar.ingest.metadata import parse_published

    metas: dict[str, list[str]] = {}
    for elem in tree.iter("meta"):
        value = elem.get("content") or elem.get("datetime") or ""
        if value.strip():
            for attribute in ("property", "name", "itemprop"):
                metas.setdefault((elem.get(attribute) or "").strip().lower(), []).append(value)
    itemprops = [e.get("content") or e.get("datetime") or _text_of(e)
                 for e in tree.xpath('//*[@itemprop="datePublished" and not(self::meta)]')]
    marked, inside = _time_candidates(tree)
    candidates = [v for name in _PUBLISHED_META for v in metas.get(name, ())]
    candidates += _json_ld_published(tree) + itemprops + marked + inside + metas.get("date", [])

    read = [(raw, when) for raw in candidates
            if (when := parse_published(raw)) is not None and not _placeholder(when)]
    if not read:
        return ""
    raw, chosen = read[0]
    if _DATE_ONLY.match(raw):
        # the day alone: a weaker source may give the time of day, one with its offset first
        timed = [w for r, w in read[1:] if not _DATE_ONLY.match(r) and w.date() == chosen.date()]
        if not timed:
            return chosen.date().isoformat()
        chosen = next((w for w in timed if w.tzinfo is not None), timed[0])
    if chosen.tzinfo is None:
        # a naive time (sailthru.date, a pubdate meta, minutes only) says less than the same
        # article's time stated elsewhere with its offset: the store would read it as UTC
        chosen = next((w for _, w in read if w.tzinfo is not None and _same_time(chosen, w)),
                      chosen)
    return chosen.replace(microsecond=0).isoformat()


_MAX_OFFSET = timedelta(hours=14)


def _same_time(naive: datetime, zoned: datetime) -> bool:
    """Whether a naive time and a zoned one can state the same publication: the same day on
    the zoned one's clock, or the same minute seen from some real UTC offset (a whole
    quarter hour, at most 14 hours)."""
    if naive.date() == zoned.date():
        return True
    utc = zoned.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    offset = naive.replace(second=0, microsecond=0) - utc
    return abs(offset) <= _MAX_OFFSET and offset % timedelta(minutes=15) == timedelta(0)


def _placeholder(when: Any) -> bool:
    """A CMS's empty date field rendered as the Unix epoch (1970-01-01T01:00:00+01:00)."""
    return abs(when.replace(tzinfo=when.tzinfo or UTC).timestamp()) <= 86400


def _date_line_near(tree: Any, title: str, page: list[str] | None = None) -> str:
    """The publication time from a date line printed next to the headline but outside the
    text trafilatura kept (`نشر في: 14 مارس 2026 الساعة 16:10`), read as the text path
    reads date lines."""
    from khabar.clean.lines import classify_lines

    if not title:
        return ""
    page = _page_lines(tree) if page is None else page
    key = _key(title)
    for at, line in enumerate(page):
        if _key(line) == key:
            for near in page[at + 1:at + 4] + page[max(0, at - 3):at][::-1]:
                if len(near.split()) <= 12:
                    found = classify_lines(near).published
                    if found is not None:
                        return found.isoformat()
            return ""
    return ""


_TITLE_SEPARATOR = re.compile(r"\s+[|–—\-•·»«~:]\s+|\s*::\s*")
_SITE_WORD = re.compile(
    r"^(?:موقع|جريدة|جريده|صحيفة|صحيفه|شبكة|شبكه|وكالة|وكاله|قناة|قناه|بوابة|بوابه|مجلة|مجله|"
    r"إذاعة|اذاعة|راديو|تلفزيون|منصة|منصه)\s"
)
_BRAND_CLASS = re.compile(r"logo|brand|site-?name|site-?title|masthead", re.IGNORECASE)
_FOOTER_LINE = re.compile(r"©|حقوق|copyright", re.IGNORECASE)
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MAX_NAME_WORDS = 6


def _site_names(tree: Any, sitename: str, page: list[str] | None = None) -> tuple[set[str], str]:
    """Keys of the names the site goes by (og:site_name, logo and brand elements) and the
    page's copyright lines (of `page`, the page's lines when given), where the name is printed
    again."""
    names = {_key(sitename)} if sitename else set()
    for elem in tree.iter("meta"):
        kind = (elem.get("property") or elem.get("name") or "").lower()
        if kind in ("og:site_name", "application-name", "apple-mobile-web-app-title"):
            names.add(_key(elem.get("content") or ""))
    for elem in tree.iter():
        if not isinstance(elem.tag, str):
            continue
        if _BRAND_CLASS.search(f"{elem.get('class') or ''} {elem.get('id') or ''}"):
            text = _text_of(elem)
            if 0 < len(text.split()) <= 6:
                names.add(_key(text))
    page = _page_lines(tree) if page is None else page
    footer = " ".join(line for line in page if _FOOTER_LINE.search(line))
    names.discard("")
    return names, _key(footer)


def _is_chrome(text: str, names: set[str], footer: str) -> bool:
    """Whether a title candidate is the site's name rather than a headline (a name is short:
    a long title that some page also sets as its site name is still the headline)."""
    key = _key(text)
    words = len(key.split())
    return 0 < words <= _MAX_NAME_WORDS and (
        key in names
        or (words <= 3 and bool(_SITE_WORD.match(key + " ")))
        or (words <= 5 and key in footer)
    )


def _headline(tree: Any, title: str, lines: list[str], sitename: str,
              page: list[str] | None = None) -> str:
    """`title` unless it is the site's name; then another part of `<title>`, or the heading
    the article's text starts with or follows."""
    if not title or len(_key(title).split()) > _MAX_NAME_WORDS:
        return title  # too long for a site's name (see _is_chrome): spare the walk for names
    names, footer = _site_names(tree, sitename, page)
    head = tree.find(".//head/title")
    page_title = _text_of(head) if head is not None else ""
    parts = [p.strip() for p in _TITLE_SEPARATOR.split(page_title) if p.strip()]
    if len(parts) == 2 and title and _key(title) == _key(parts[0]) and (
            len(parts[0].split()) <= 2 and len(parts[1].split()) >= 4):
        names.add(_key(parts[0]))  # "Site - Headline": a short name before a long headline
    if not title or not _is_chrome(title, names, footer):
        return title
    names.add(_key(title))
    headings: dict[str, str] = {}
    for elem in tree.iter(*_HEADING_TAGS, "b", "strong", "font"):
        # a headline has a few words ("More", "Search" are buttons), and bold text that
        # ends like a sentence is a lead paragraph
        text = _text_of(elem)
        words = len(text.split())
        if 3 <= words <= (30 if elem.tag in _HEADING_TAGS else 20) and not (
                elem.tag not in _HEADING_TAGS and text.endswith((".", "؟", "?", "!"))
        ) and not _is_chrome(text, names, footer):
            headings.setdefault(_key(text), text)
    if lines and _key(lines[0]) in headings:
        return lines[0]
    if lines:  # the last heading before the element the article's text starts in
        start = _key(lines[0])[:40]
        last = ""
        for elem in tree.iter():
            if not isinstance(elem.tag, str):
                continue
            if elem.tag in _HEADING_TAGS and _key(_text_of(elem)) in headings:
                last = _text_of(elem)
            elif elem.text and start and _key(elem.text).startswith(start):
                if last:
                    return last
                break
    for part in sorted(parts, key=lambda p: -len(p.split())):
        if len(part.split()) >= 3 and not _is_chrome(part, names, footer):
            return part
    return title


def _page_metadata(doc: Any, tree: Any, lines: list[str]) -> dict[str, str]:
    """Title and publication time: what the page states beats trafilatura's pick (a logo,
    the day of a modification or of the URL)."""
    title = _one_line(doc.title)
    # the page's lines serve the site's name and the date line: built once, and only when asked
    page = _page_lines(tree) if title and len(_key(title).split()) <= _MAX_NAME_WORDS else None
    title = _headline(tree, title, lines, _one_line(doc.sitename), page)
    published = _stated_published(tree)
    day = _one_line(doc.date)
    if not published:
        near = _date_line_near(tree, title, page)
        published = near if near and (not day or near[:10] == day[:10]) else day
    return {"title": title, "published": published}


def html_to_record(
    html: str,
    origin: str,
    *,
    url: str = "",
    fields: Mapping[str, str] | None = None,
    mode: str = DEFAULT_MODE,
    keep_captions: bool = KEEP_CAPTIONS,
) -> RawRecord | Rejected:
    """A raw record (title line, then the article's lines) for one HTML page, or why not.

    `fields` (canonical names: title, outlet, url, published, external_id, author) win over
    the page's own metadata. `mode` is trafilatura's recall/precision trade-off;
    `keep_captions` keeps `<figcaption>` text as lines.
    """
    caller = {k: v for k, v in (fields or {}).items() if isinstance(v, str) and v.strip()}
    if not isinstance(html, str):
        return _readers.Rejected(
            origin, f"HTML extraction failed: expected text, got {type(html).__name__}"
        )
    if not html.strip():
        return _readers.Rejected(origin, "empty HTML page")
    try:
        html = _BAD_CHARS.sub("", html)
        if len(html) > SHRINK_ABOVE_CHARS:
            html = _shrink(html)
        if len(html) > MAX_HTML_CHARS:
            size = len(html) / 1_000_000
            return _readers.Rejected(
                origin, f"HTML page too large ({size:.0f} million characters without scripts)"
            )
        doc, tree = _extract(html, url or caller.get("url", ""), mode, keep_captions)
    except ImportError:
        return _readers.Rejected(origin, "HTML input needs trafilatura (pip install trafilatura)")
    except Exception as exc:  # noqa: BLE001 - hostile pages must not stop a batch
        why = ("its markup is nested too deeply" if isinstance(exc, RecursionError)
               else "the page could not be parsed")
        return _readers.Rejected(origin, f"HTML extraction failed: {why}")
    if doc is None:
        return _readers.Rejected(origin, NO_TEXT, caller.get("title", "")[:200])

    lines = _body_lines(doc.text or "")
    if len(lines) == 1 and len(html) < SHRINK_ABOVE_CHARS:
        try:
            lines = _resplit(lines[0], html)
        except Exception:  # noqa: BLE001, S110 - keep the run-on line
            pass
    try:
        found = _page_metadata(doc, tree, lines)
    except Exception:  # noqa: BLE001 - a hostile page keeps trafilatura's own reading
        found = {"title": _one_line(doc.title), "published": _one_line(doc.date)}
    found.update({
        "author": _one_line(doc.author),
        "outlet": _one_line(doc.sitename) or _one_line(doc.hostname),
        "url": _one_line(doc.url) or url,
    })
    merged = {k: v for k, v in found.items() if v}
    merged.update(caller)
    if not lines:
        return _readers.Rejected(origin, NO_TEXT, merged.get("title", "")[:200])
    title = merged.get("title", "")
    if title:
        if _key(lines[0]) == _key(title):
            lines = lines[1:]
        elif _key(found["title"]) and _key(lines[0]) == _key(found["title"]):
            lines = lines[1:]  # the page's headline, replaced by the caller's title
        lines.insert(0, _one_line(title))
    if len(lines) < (2 if title else 1):
        return _readers.Rejected(origin, NO_TEXT, title[:200])
    extra = {
        "description": _one_line(doc.description),
        "hostname": _one_line(doc.hostname),
        "categories": _one_line(doc.categories),
        "tags": _one_line(doc.tags),
        "language": _one_line(doc.language),
        "image": _one_line(doc.image),
        "source_format": "html",
        # the outlet is only the web host, guessed from the URL: a caller's --outlet beats it
        "outlet_from": "host" if ("outlet" not in caller and _is_host(merged.get("outlet", ""),
                                                                     merged.get("url", ""))) else "",
    }
    return _readers.RawRecord(
        text="\n".join(lines),
        origin=origin,
        fields=merged,
        extra={k: v for k, v in extra.items() if v},
    )


def _is_host(outlet: str, url: str) -> bool:
    """Whether an outlet name is only a web host (trafilatura names a page without a site name
    after its URL's host)."""
    if not outlet:
        return False
    host = (urlsplit(url).hostname or "") if url else ""
    name = outlet.strip().lower().removeprefix("www.")
    return name == host.removeprefix("www.") or bool(_HOST_LIKE.fullmatch(name))


_HOST_LIKE = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")


def html_bytes_to_record(
    data: bytes,
    origin: str,
    *,
    url: str = "",
    fields: Mapping[str, str] | None = None,
    mode: str = DEFAULT_MODE,
    keep_captions: bool = KEEP_CAPTIONS,
) -> RawRecord | Rejected:
    """`html_to_record` for a page's bytes (decoded by `decode_html`); the record's `encoding`
    says how it was decoded."""
    try:
        decoded = decode_html(data)
    except DecodeError as exc:
        return _readers.Rejected(origin, str(exc), data[:80].decode("latin-1"))
    result = html_to_record(
        decoded.text, origin, url=url, fields=fields, mode=mode, keep_captions=keep_captions
    )
    if isinstance(result, _readers.RawRecord):
        return _readers.RawRecord(
            text=result.text,
            origin=result.origin,
            fields=result.fields,
            extra=result.extra,
            encoding=decoded.encoding,
        )
    return result
