"""Small charts drawn on the server as inline SVG: no JavaScript, no chart library, no CDN.

Every chart reads right to left like the page around it: labels sit on the right, time runs
from right (earliest) to left (latest), bars grow leftwards. Each chart has a `<title>` and an
`aria-label`, every bar and dot its number, and all text from articles is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup, escape

_FONT = 'font-family="inherit"'


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _svg(width: float, height: float, label: str, body: list[str], cls: str) -> Markup:
    title = escape(label)
    return Markup(
        f'<svg class="chart {cls}" role="img" aria-label="{title}" viewBox="0 0 {width:.0f} {height:.0f}"'
        f' width="{width:.0f}" height="{height:.0f}" xmlns="http://www.w3.org/2000/svg" {_FONT}>'
        f"<title>{title}</title>{''.join(body)}</svg>"
    )


_ANCHOR = {"right": "start", "left": "end", "middle": "middle"}


def _text(x: float, y: float, text: str, *, align: str = "right", cls: str = "lbl", extra: str = "") -> str:
    """A label laid out right to left; `align` says which of its edges sits at x (with
    direction="rtl" an SVG text's start is its right edge)."""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{_ANCHOR[align]}" direction="rtl" class="{cls}"{extra}>'
            f"{escape(text)}</text>")


def bar_list(items: Sequence[Mapping[str, Any]], *, label: str, value_key: str = "n",
             name_key: str = "name", href_key: str | None = "href", cls: str = "bars",
             width: int = 420) -> Markup:
    """Horizontal bars, one per item: the name on the right, the bar growing leftwards, the
    number at the bar's end. Names link to `item[href_key]` when given."""
    if not items:
        return Markup("")
    row, label_w, pad = 22, 150, 36
    height = row * len(items) + 8
    top = max(float(i[value_key]) for i in items) or 1.0
    room = width - label_w - pad - 8
    body = []
    for index, item in enumerate(items):
        y = 4 + index * row
        value = float(item[value_key])
        length = max(2.0, room * value / top)
        right = width - label_w
        name = str(item[name_key])
        text = _text(width - 4, y + 15, _short(name, 22))
        href = item.get(href_key) if href_key else None
        if href:
            text = f'<a href="{escape(href)}">{text}</a>'
        body.append(f"<g><title>{escape(name)}: {value:g}</title>{text}"
                    f'<rect class="bar" x="{right - length:.1f}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" rx="2"/>'
                    + _text(right - length - 4, y + 15, f"{value:g}", cls="num") + "</g>")
    return _svg(width, height, label, body, cls)


def per_day(days: Sequence[Mapping[str, Any]], *, label: str, key: str = "stories",
            width: int = 640) -> Markup:
    """Vertical bars, one per day, earliest on the right; the count above each bar and the day
    (MM-DD) under every few bars."""
    if not days:
        return Markup("")
    height, top_pad, bottom = 150, 18, 34
    n = len(days)
    slot = (width - 16) / n
    top = max(int(d[key]) for d in days) or 1
    body = [f'<line class="axis" x1="8" y1="{height - bottom}" x2="{width - 8}" y2="{height - bottom}"/>']
    every = max(1, round(n / 10))
    for index, d in enumerate(days):
        value = int(d[key])
        h = (height - bottom - top_pad) * value / top
        x = width - 8 - (index + 1) * slot  # index 0 (earliest) at the right
        bar_w = max(1.0, slot * 0.7)
        x0 = x + (slot - bar_w) / 2
        body.append(f"<g><title>{escape(d['day'])}: {value}</title>"
                    f'<rect class="bar" x="{x0:.1f}" y="{height - bottom - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}"/>')
        if value and (n <= 31 or value == top):
            body.append(_text(x + slot / 2, height - bottom - h - 4, str(value), align="middle", cls="num"))
        if index % every == 0 or index == n - 1:
            body.append(_text(x + slot / 2, height - bottom + 14, str(d["day"])[5:], align="middle", cls="tick"))
        body.append("</g>")
    first, last = str(days[0]["day"]), str(days[-1]["day"])
    body.append(_text(width - 8, height - 4, first, align="right", cls="tick"))
    body.append(_text(8, height - 4, last, align="left", cls="tick"))
    return _svg(width, height, label, body, "perday")


def _ts(value: str | None) -> float | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def coverage(articles: Sequence[Mapping[str, Any]], outlets: Sequence[str], *, label: str,
             width: int = 640) -> Markup:
    """A story's coverage over time: one row per outlet (named on the right), one dot per time
    bucket (hour, or day for longer stories) sized by how many articles the outlet ran then,
    earliest on the right."""
    dated = [(a.get("outlet") or "؟", t) for a in articles if (t := _ts(a.get("published"))) is not None]
    if not dated:
        return Markup("")
    rows = list(dict.fromkeys([*outlets, *(o for o, _ in dated)]))
    rows = [o for o in rows if any(o == d for d, _ in dated)]
    start = min(t for _, t in dated)
    end = max(t for _, t in dated)
    bucket = next(b for b in (3600, 6 * 3600, 86400, 7 * 86400, 30 * 86400, 365 * 86400)
                  if (end - start) / b <= 48)
    start -= start % bucket
    n_buckets = int((end - start) // bucket) + 1
    label_w, row_h, top, bottom = 170, 26, 8, 36
    plot_w = width - label_w - 20
    height = top + row_h * len(rows) + bottom
    slot = plot_w / n_buckets
    counts: dict[tuple[str, int], int] = {}
    for outlet, t in dated:
        key = (outlet, int((t - start) // bucket))
        counts[key] = counts.get(key, 0) + 1
    peak = max(counts.values())
    right = width - label_w
    body = []
    for r, outlet in enumerate(rows):
        y = top + r * row_h + row_h / 2
        body.append(f'<line class="grid" x1="10" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}"/>')
        body.append(f"<g><title>{escape(outlet)}</title>{_text(width - 4, y + 4, _short(outlet, 24))}</g>")
    for (outlet, b), n in sorted(counts.items(), key=lambda kv: (rows.index(kv[0][0]), kv[0][1])):
        y = top + rows.index(outlet) * row_h + row_h / 2
        x = right - (b + 0.5) * slot
        radius = 4 + 6 * (n / peak) ** 0.5
        when = datetime.fromtimestamp(start + b * bucket, UTC)
        # one axis for outlets in different zones is UTC, and says so (the page's times keep offsets)
        stamp = when.strftime("%Y-%m-%d %H:00 UTC" if bucket < 86400 else "%Y-%m-%d UTC")
        body.append(f"<g><title>{escape(outlet)} · {stamp}: {n}</title>"
                    f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}"/>'
                    + (_text(x, y + 4, str(n), align="middle", cls="dotnum") if n > 1 else "") + "</g>")
    axis_y = top + row_h * len(rows) + 4
    body.append(f'<line class="axis" x1="10" y1="{axis_y}" x2="{right:.1f}" y2="{axis_y}"/>')
    fmt = "%m-%d %H:00" if bucket < 86400 else "%Y-%m-%d"
    first = datetime.fromtimestamp(start, UTC).strftime(fmt)
    last = datetime.fromtimestamp(start + (n_buckets - 1) * bucket, UTC).strftime(fmt)
    unit = {3600: "ساعة", 6 * 3600: "ست ساعات", 86400: "يوم", 7 * 86400: "أسبوع"}.get(bucket, "شهر")
    body.append(_text(right, axis_y + 16, first, align="right", cls="tick"))
    body.append(_text(10, axis_y + 16, last, align="left", cls="tick"))
    body.append(_text((right + 10) / 2, axis_y + 28, f"كل نقطة: مقالات المصدر في {unit} (بتوقيت UTC)", align="middle", cls="tick"))
    return _svg(width, height, label, body, "coverage")


def fact_matrix(facts: Sequence[Mapping[str, Any]], outlets: Sequence[str], *, label: str,
                width: int = 640) -> Markup:
    """Which outlets carried which facts: one row per fact (its words on the right), one column
    per outlet (names at the top, slanted), a filled square where the outlet reported it."""
    if not facts or not outlets:
        return Markup("")
    cols = list(outlets)[:12]
    label_w, cell, head = 230, 28, 120
    width = max(width, label_w + cell * len(cols) + 20)
    height = head + cell * len(facts) + 8
    right = width - label_w
    body = []
    for c, outlet in enumerate(cols):
        x = right - (c + 0.5) * cell
        body.append(f"<g><title>{escape(outlet)}</title>"
                    f'<text x="{x:.1f}" y="{head - 6}" text-anchor="end" direction="rtl" class="lbl col"'
                    f' transform="rotate(-50 {x:.1f} {head - 6})">{escape(_short(outlet, 18))}</text></g>')
    for r, fact in enumerate(facts):
        y = head + r * cell
        text = fact.get("label") or fact.get("text") or ""
        carried = set(fact.get("outlets") or ())
        body.append(f"<g><title>{escape(text)}: {len(carried)}</title>"
                    + _text(width - 4, y + cell / 2 + 4, _short(text, 30)) + "</g>")
        for c, outlet in enumerate(cols):
            x = right - (c + 1) * cell
            cls = "cell on" if outlet in carried else "cell"
            body.append(f'<rect class="{cls}" x="{x + 3:.1f}" y="{y + 3:.1f}" width="{cell - 6}" height="{cell - 6}" rx="3">'
                        f"<title>{escape(outlet)} · {escape(text)}: {'نعم' if outlet in carried else 'لا'}</title></rect>")
    return _svg(width, height, label, body, "facts")
