"""A story record (`Corpus.story()`'s dict) as readable text, Markdown or HTML.

Sources are cited by number: ``[2]`` is the story's second article, listed under "Sources"
with its outlet, time and title. HTML is escaped everywhere and laid out right to left
(``lang="ar" dir="rtl"``); one page can hold several stories (a day's report).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from khabar.times import minute

__all__ = ["to_html", "to_markdown", "to_text"]



def count(n: int, noun: str) -> str:
    """``1 article``, ``3 articles``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


# Arabic counts agree with their number: one, two (the dual), 3-10 (plural), 11 and more
# (singular, accusative; 100, 101, 102 … the bare singular). Per noun: (one, two, plural, many).
_NOUNS_AR = {
    "outlet": ("مصدر واحد", "مصدران", "مصادر", "مصدراً"),
    "article": ("مقالة واحدة", "مقالتان", "مقالات", "مقالة"),
    "story": ("قصة واحدة", "قصتان", "قصص", "قصة"),
    "quote": ("تصريح واحد", "تصريحان", "تصريحات", "تصريحاً"),
    "removed_line": ("سطر محذوف", "سطران محذوفان", "أسطر محذوفة", "سطراً محذوفاً"),
    "text": ("نص واحد", "نصان", "نصوص", "نصاً"),
}


def arabic_count(n: int, noun: str, *, genitive: bool = False) -> tuple[str | None, str]:
    """(the number as digits, or None where the word says it, the noun agreeing with it):
    ``(None, "مصدران")`` for 2, ``("5", "مصادر")``, ``("12", "مصدراً")``; `genitive` after a
    preposition (``من مصدرين``: only the dual changes)."""
    one, two, plural, many = _NOUNS_AR[noun]
    if n == 0:
        return None, f"لا {plural}"
    if n == 1:
        return None, one
    if n == 2:
        if genitive:
            two = " ".join(w[:-2] + "ين" if w.endswith("ان") else w for w in two.split())
        return None, two
    if 3 <= n % 100 <= 10:
        word = plural
    elif n % 100 in (0, 1, 2):
        word = many.replace("اً", "").replace("ً", "")
    else:
        word = many
    return f"{n:,}", word


def arabic_count_text(n: int, noun: str, *, genitive: bool = False) -> str:
    """`arabic_count` as one string: مصدران, 5 مصادر."""
    number, word = arabic_count(n, noun, genitive=genitive)
    return word if number is None else f"{number} {word}"


def count_outlets(n: int) -> str:
    """``2 outlets``; articles whose outlet nobody gave count as none: say so."""
    return count(n, "outlet") if n else "no named outlet"


def fact_sources(fact: dict[str, Any]) -> str:
    """``3 outlets``, or ``4 outlets (1 text)`` when some of them reprint one copy."""
    texts = fact.get("n_texts") or 0
    named = count_outlets(fact["n_outlets"])
    return f"{named} ({count(texts, 'text')})" if 0 < texts < fact["n_outlets"] else named

def _texts_ar(fact: dict[str, Any]) -> str:
    """`` (نص واحد)`` after the outlets of a fact that some of them reprint, else nothing."""
    texts = fact.get("n_texts") or 0
    return f" ({arabic_count_text(texts, 'text')})" if 0 < texts < fact.get("n_outlets", 0) else ""


def _cite(data: dict[str, Any]) -> dict[str, int]:
    return {a["id"]: i for i, a in enumerate(data.get("articles", []), 1)}


def _refs(cite: dict[str, int], ids: Sequence[str]) -> str:
    nums = sorted({cite[i] for i in ids if i in cite})
    return "".join(f"[{n}]" for n in nums)


def _outlets(names: Sequence[str], none: str = "(no outlet)") -> str:
    """Outlets joined with an Arabic comma; articles whose outlet nobody gave say so."""
    return "، ".join(n for n in names if n) or none


def _value(v: Any) -> str:
    if isinstance(v, float) and not v.is_integer():
        return f"{v:g}"
    return f"{int(v):,}" if isinstance(v, (int, float)) else str(v)


def _central_lead(data: dict[str, Any]) -> dict[str, Any] | None:
    """The central article (the member closest to the story's centroid) when its title is not
    the story's headline: the page's lead under the headline."""
    central = data.get("central")
    headline = " ".join((data.get("headline") or data.get("title") or "").split())
    if not central or not central.get("title") or " ".join(central["title"].split()) == headline:
        return None
    return central


def _span(data: dict[str, Any]) -> str:
    # times keep their offsets: sources from different zones are never shown as one clock
    first, last = minute(data.get("first_seen")), minute(data.get("last_seen"))
    if not first:
        return "undated"
    return first if first == last or not last else f"{first} .. {last}"


def _lines(data: dict[str, Any], md: bool) -> list[str]:
    cite = _cite(data)
    h = "## " if md else ""
    sub = "### " if md else "== "
    bullet = "- " if md else "  • "
    out = [f"{h}{data.get('headline') or data.get('title') or data['id']}", ""]
    lead = _central_lead(data)
    if lead:
        out += [f"Lead article: {lead['title']} ({lead.get('outlet') or '?'}) {_refs(cite, [lead['article_id']])}".rstrip(),
                ""]
    out.append(f"story {data['id']} · {count(data.get('size', len(cite)), 'article')} from "
               f"{count_outlets(data.get('n_outlets', 0))} · {_span(data)} · language {data.get('language') or '?'}")
    out.append("")
    if data.get("summary"):
        out.append(f"{sub}Summary")
        for s in data["summary"]:
            out.append(f"{bullet}{' '.join((s.get('dated') or s['text']).split())} {_refs(cite, [s['article_id']])}")
        out.append("")
    if data.get("facts"):
        out.append(f"{sub}Facts")
        for f in data["facts"][:15]:
            what = f" ({f['what']})" if f.get("what") and f["what"] not in f["text"] else ""
            named = f"{fact_sources(f)}: {_outlets(f['outlets'])}" if f["n_outlets"] else "no named outlet"
            out.append(f"{bullet}{f['text']}{what} — {named} {_refs(cite, f['articles'])}")
        out.append("")
    if data.get("conflicts"):
        out.append(f"{sub}Conflicting figures")
        for c in data["conflicts"]:
            vals = " vs ".join(f"{v['text']} ({_outlets(v['outlets'])} {_refs(cite, v['articles'])})"
                               for v in c["values"])
            out.append(f"{bullet}{c['what']}: {vals}")
        out.append("")
    if data.get("quotes"):
        out.append(f"{sub}Who said what")
        # the most cited first (their order); at most 3 a speaker and 12 in all, the rest counted
        per_speaker: dict[str, int] = {}
        shown_n = 0
        for q in data["quotes"]:
            if shown_n >= 12 or per_speaker.get(q["speaker"], 0) >= 3:
                continue
            per_speaker[q["speaker"]] = per_speaker.get(q["speaker"], 0) + 1
            shown_n += 1
            text = " ".join(q["text"].split())
            shown = f"«{text}»" if q.get("direct") else text
            out.append(f"{bullet}{q['speaker']} ({q.get('verb') or ''}): {shown} — "
                       f"{_outlets(q['outlets'])} {_refs(cite, [s['article_id'] for s in q['sources']])}")
        if len(data["quotes"]) > shown_n:
            out.append(f"{bullet}(+{len(data['quotes']) - shown_n} more quotes: --json, or the reader)")
        out.append("")
    if data.get("timeline"):
        out.append(f"{sub}Timeline")
        for t in data["timeline"]:
            out.append(f"{bullet}{t['date']}: {t['text']} {_refs(cite, t['articles'])}")
        out.append("")
    if data.get("entities"):
        out.append(f"{sub}Names")
        out.append(bullet + "، ".join(f"{e['canonical']} ({e['label']})" for e in data["entities"][:10]))
        out.append("")
    out.append(f"{sub}Sources")
    groups = {m: g["id"] for g in data.get("copy_groups", []) for m in g["members"]}
    for a in data.get("articles", []):
        copy = f" (same text as [{cite[groups[a['id']]]}])" if groups.get(a["id"], a["id"]) != a["id"] and groups[a["id"]] in cite else ""
        out.append(f"{'' if not md else '- '}[{cite[a['id']]}] {a['outlet'] or '(no outlet)'} · "
                   f"{minute(a.get('published')) or 'undated'} · {a.get('title') or '(no title)'} · {a['id']}{copy}")
    return out


def to_text(data: dict[str, Any]) -> str:
    """A story for the terminal."""
    return "\n".join(_lines(data, md=False)).rstrip() + "\n"


def to_markdown(data: dict[str, Any]) -> str:
    """A story as Markdown (one `##` section). Markup in what the articles say (a `<script>` in
    a title) is text: every `<` is escaped (`\\<`, which Markdown shows as `<`), and so is every
    backslash, so a renderer that passes HTML through never runs it; the report itself writes no
    `<` and no backslash."""
    text = "\n".join(_lines(data, md=True)).rstrip()
    return text.replace("\\", "\\\\").replace("<", "\\<") + "\n"


def _html_story(data: dict[str, Any]) -> str:
    cite = _cite(data)
    e = escape
    parts = [f'<article class="story" id="story-{e(data["id"])}">',
             f"<h2>{e(data.get('headline') or data.get('title') or data['id'])}</h2>",
             *([f'<p class="central">المقالة الأقرب إلى مركز القصة: <bdi>{e(lead["title"])}</bdi>'
                f' (<bdi>{e(lead.get("outlet") or "؟")}</bdi>)</p>'] if (lead := _central_lead(data)) else []),
             (f'<p class="meta">{e(arabic_count_text(int(data.get("size", len(cite))), "article"))} من '
              f'{e(arabic_count_text(int(data.get("n_outlets", 0)), "outlet", genitive=True) if data.get("n_outlets") else "مصدر غير مسمّى")}'
              f" · <bdi>{e(_span(data))}</bdi></p>")]

    def refs(ids: Sequence[str]) -> str:
        nums = sorted({cite[i] for i in ids if i in cite})
        return " ".join(f'<a href="#src-{e(data["id"])}-{n}">[{n}]</a>' for n in nums)

    if data.get("summary"):
        parts.append("<h3>الخلاصة</h3><ul>")
        parts += [f"<li>{e(' '.join((s.get('dated') or s['text']).split()))} {refs([s['article_id']])}</li>"
                  for s in data["summary"]]
        parts.append("</ul>")
    if data.get("facts"):
        parts.append("<h3>الأرقام</h3><ul>")
        parts += [f"<li>{e(f['text'])} — {e(_outlets(f['outlets'], 'مصدر غير مسمّى'))}{e(_texts_ar(f))} {refs(f['articles'])}</li>"
                  for f in data["facts"][:15]]
        parts.append("</ul>")
    if data.get("conflicts"):
        parts.append('<h3>أرقام متضاربة</h3><ul class="conflicts">')
        for c in data["conflicts"]:
            vals = " / ".join(f"{e(v['text'])} ({e(_outlets(v['outlets'], 'مصدر غير مسمّى'))} {refs(v['articles'])})" for v in c["values"])
            parts.append(f"<li>{e(c['what'])}: {vals}</li>")
        parts.append("</ul>")
    if data.get("quotes"):
        parts.append("<h3>من قال ماذا</h3><ul>")
        for q in data["quotes"][:20]:
            parts.append(f"<li><b>{e(q['speaker'])}</b>: <q>{e(' '.join(q['text'].split()))}</q> — "
                         f"{e(_outlets(q['outlets'], 'مصدر غير مسمّى'))} {refs([s['article_id'] for s in q['sources']])}</li>")
        parts.append("</ul>")
    if data.get("timeline"):
        parts.append("<h3>التسلسل الزمني</h3><ol>")
        parts += [f"<li><bdi>{e(t['date'])}</bdi>: {e(t['text'])} {refs(t['articles'])}</li>" for t in data["timeline"]]
        parts.append("</ol>")
    parts.append("<h3>المصادر</h3><ol>")
    for a in data.get("articles", []):
        when = minute(a.get("published"))
        parts.append(f'<li id="src-{e(data["id"])}-{cite[a["id"]]}">{e(a["outlet"] or "مصدر غير مسمّى")} · '
                     + (f'<bdi dir="ltr">{e(when)}</bdi>' if when else "بلا تاريخ")
                     + f" · {e(a.get('title') or 'بلا عنوان')}</li>")
    parts.append("</ol></article>")
    return "\n".join(parts)


def to_html(stories: Sequence[dict[str, Any]], title: str = "khabar") -> str:
    """A standalone right-to-left HTML page with one or more stories (everything escaped)."""
    body = "\n".join(_html_story(s) for s in stories) or "<p>لا توجد قصص</p>"
    # one story: its own heading is the page's (it was printed twice)
    single = len(stories) == 1 and (stories[0].get("headline") or stories[0].get("title")) == title
    return (
        '<!doctype html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        "<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:auto;padding:1rem;"
        "line-height:1.7}article{border-bottom:1px solid #ccc;padding-bottom:1rem}"
        ".meta{color:#555}.conflicts li{color:#a00}</style>\n</head>\n<body>\n"
        + ("" if single else f"<h1>{escape(title)}</h1>\n") + f"{body}\n</body>\n</html>\n"
    )
