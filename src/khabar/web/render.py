"""HTML pieces for the reader: every piece of text from an article is escaped here or by Jinja's
autoescape, never pasted in raw.

Bidi: Arabic text with numbers and Latin names renders right only when those runs are isolated,
so `bidi()` wraps each run of Latin letters or digits in `<bdi dir="ltr">`. Text from articles is
always placed inside an isolating element (`<bdi>` or a class with `unicode-bidi: isolate`), so
bidi control characters in it (U+202E and friends) cannot reorder anything outside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

from khabar.model import BOILERPLATE_LINE_KINDS
from khabar.stories.render import arabic_count

# A left-to-right run: Latin letters or digits, with the punctuation that lives inside code, URLs
# and numbers, opening/closing brackets and quotes at its edges, and further Latin words after
# spaces. A lone bracket or quote next to Arabic is not a run (it must mirror with the Arabic).
# An Arabic comma, decimal or thousands mark between digits is inside the number
# (`322،8 مليار`): the browser draws `322،8` as one run, and cut there it would draw `8،322`.
_INNER = r"A-Za-z0-9.,:;/%'\"&+_@=<>()\[\]{}#?!*~|\\\-"
_ARABIC_SEPARATOR = r"(?<=[0-9])[\u060c\u066b\u066c](?=[0-9])"
_WORD = rf"[<(\[\"']*[A-Za-z0-9](?:(?:[{_INNER}]|{_ARABIC_SEPARATOR})*[A-Za-z0-9>)\]\"'%])?"
_LTR_RUN = re.compile(rf"{_WORD}(?: (?=[<(\[\"']*[A-Za-z]){_WORD})*")

def count_ar(n: int, noun: str) -> Markup:
    """``2`` outlets as مصدران, ``5`` as ٥ مصادر (the digits isolated left to right), ``12`` as
    ١٢ مصدراً: Arabic number agreement for the reader's counts (`arabic_count`)."""
    number, word = arabic_count(n, noun)
    if number is None:
        return Markup(escape(word))
    return Markup(f'<bdi dir="ltr">{number}</bdi> {escape(word)}')


LABELS_AR = {"PER": "شخص", "ORG": "جهة", "LOC": "مكان", "MISC": "أخرى"}
PII_KINDS_AR = {"phone": "رقم هاتف", "email": "بريد إلكتروني", "national_id": "رقم هوية"}
LINE_KINDS_AR = {
    "title": "عنوان", "body": "متن", "subheading": "عنوان فرعي", "byline": "كاتب", "dateline": "سطر المكان",
    "caption": "تعليق صورة", "duplicate_title": "عنوان مكرر", "timestamp_label": "وقت النشر",
    "comments": "تعليقات", "comment_form": "نموذج تعليق", "related_header": "عنوان روابط ذات صلة",
    "related_link": "رابط ذو صلة", "share": "مشاركة", "contact_promo": "ترويج تواصل",
    "newsletter": "نشرة بريدية", "copyright": "حقوق النشر", "navigation": "تصفح", "advert": "إعلان",
    "read_more": "اقرأ المزيد", "unclassified": "غير مصنف",
}


def bidi(text: Any) -> Markup:
    """Escape `text` and isolate its runs of Latin letters and digits (left to right).

    >>> str(bidi('قال Ashton Carter إن 560 جندياً (2016) في <عمّان>'))
    'قال <bdi dir="ltr">Ashton Carter</bdi> إن <bdi dir="ltr">560</bdi> جندياً <bdi dir="ltr">(2016)</bdi> في &lt;عمّان&gt;'
    >>> str(bidi("اضغط javascript:alert(1) الآن"))
    'اضغط <bdi dir="ltr">javascript:alert(1)</bdi> الآن'
    >>> str(bidi("بلغت 322،8 مليار، في 2015، وليس 2016"))
    'بلغت <bdi dir="ltr">322،8</bdi> مليار، في <bdi dir="ltr">2015</bdi>، وليس <bdi dir="ltr">2016</bdi>'
    """
    text = "" if text is None else str(text)
    out: list[str] = []
    last = 0
    for m in _LTR_RUN.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        out.append(f'<bdi dir="ltr">{escape(m.group())}</bdi>')
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def safe_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address, else None: a `javascript:` or `data:` URL from an
    article never becomes a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def entity_href(name: str) -> str:
    return "/entities/" + quote(name, safe="")


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted stretch of the text: [start, end), CSS classes, a tooltip, a link."""

    start: int
    end: int
    classes: tuple[str, ...]
    title: str = ""
    href: str | None = None


def article_marks(data: Mapping[str, Any]) -> list[Mark]:
    """The highlights of an article page's data: entities, quotes (and speakers), quantities,
    dates and personal data, from their offsets into the article's text."""
    marks: list[Mark] = []
    for e in data.get("entities", ()):
        name = e.get("canonical") or e["text"]
        label = e.get("type") or e.get("label") or "MISC"
        marks.append(Mark(e["start"], e["end"], ("ent", f"ent-{label.lower()}"),
                          f"{LABELS_AR.get(label, label)}: {name}", entity_href(name)))
    for q in data.get("quotes", ()):
        kind = "مباشر" if q.get("direct", True) else "غير مباشر"
        marks.append(Mark(q["start"], q["end"], ("quote",), f"اقتباس {kind} — {q.get('speaker') or '؟'}"))
        start, end = q.get("speaker_start", -1), q.get("speaker_end", -1)
        if start is not None and start >= 0 and end > start:
            marks.append(Mark(start, end, ("speaker",), f"المتحدث: {q.get('speaker') or ''}"))
    for q in data.get("quantities", ()):
        value = q.get("value")
        if q.get("value_max") is not None:
            value = f"{value}–{q['value_max']}"
        # the counted word as the text writes it (عام, ريال, %); the unit code (year, riyal,
        # percent) only where there is none, so an Arabic tooltip stays Arabic
        what = " ".join(str(x) for x in (q.get("qualifier"), value, q.get("counted") or q.get("unit")) if x)
        marks.append(Mark(q["start"], q["end"], ("qty",), f"كمية: {what}"))
    for d in data.get("dates", ()):
        marks.append(Mark(d["start"], d["end"], ("date",), f"تاريخ: {d.get('value') or '؟'}"))
    for p in data.get("pii", ()):
        kind = p.get("kind", "")
        marks.append(Mark(p["start"], p["end"], ("pii",), f"بيانات شخصية: {PII_KINDS_AR.get(kind, kind)}"))
    return marks


def highlight(text: str, start: int, end: int, marks: Sequence[Mark]) -> Markup:
    """`text[start:end]` escaped, with each stretch covered by marks wrapped in one `<mark>`
    carrying the classes of every mark over it (flat, so overlapping spans never nest wrongly)."""
    inside = [m for m in marks if m.start < end and m.end > start and m.end > m.start]
    cuts = {start, end}
    for m in inside:
        cuts.add(max(m.start, start))
        cuts.add(min(m.end, end))
    points = sorted(cuts)
    out: list[str] = []
    for a, b in pairwise(points):
        piece = bidi(text[a:b])
        over = [m for m in inside if m.start <= a and m.end >= b]
        if not over:
            out.append(str(piece))
            continue
        classes = " ".join(dict.fromkeys(c for m in over for c in m.classes))
        title = " · ".join(dict.fromkeys(m.title for m in over if m.title))
        href = next((m.href for m in over if m.href), None)
        inner = f'<a href="{escape(href)}">{piece}</a>' if href else str(piece)
        out.append(f'<mark class="hl {escape(classes)}" title="{escape(title)}">{inner}</mark>')
    return Markup("".join(out))


def body_blocks(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The article body as blocks for the template: content lines (highlighted), and each run of
    removed lines folded together with their kinds and reasons, where they were."""
    text: str = data.get("text") or ""
    marks = article_marks(data)
    lines: Iterable[Mapping[str, Any]] = data.get("lines") or ()
    blocks: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    seen_title = False

    def flush() -> None:
        if removed:
            blocks.append({"kind": "removed", "lines": list(removed)})
            removed.clear()

    for line in lines:
        kind = line["kind"]
        if kind in BOILERPLATE_LINE_KINDS:
            removed.append({"kind": kind, "kind_ar": LINE_KINDS_AR.get(kind, kind),
                            "reason": line.get("reason", ""), "text": bidi(line["text"])})
            continue
        if kind == "title" and not seen_title:
            seen_title = True  # the page shows the title as its heading
            continue
        flush()
        blocks.append({"kind": kind, "html": highlight(text, line["start"], line["end"], marks)})
    flush()
    if not blocks and data.get("body"):
        # no line information (an article stored without the lines stage): the plain body
        blocks = [{"kind": "body", "html": bidi(p)} for p in data["body"].split("\n") if p.strip()]
    return blocks
