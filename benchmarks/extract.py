"""Quotes, quantities and dates: quality on seeds/demo gold, Wojood and TimeML, and speed.

    python benchmarks/extract.py               # everything (speed on 5,000 SaudiNewsNet articles)
    python benchmarks/extract.py --speed 0     # quality only
    python benchmarks/extract.py --errors      # also print misses and false positives
    python benchmarks/extract.py --set dev --speed 0 --errors   # the development set only

Scores on seeds and demo gold (the gold lists the key items of each article, not every mention):
- quotes: a prediction is right when its speaker equals the gold speaker (normalized; a
  multi-word name inside the other counts) and its text contains the gold `contains`. Recall
  over gold quotes; precision over predictions that overlap a gold quote (predictions elsewhere
  are unjudged and counted separately).
- quantities: right when the prediction overlaps the gold text and has the gold value and
  counted noun (or unit code). Precision over predictions that overlap a gold quantity or a
  `not_quantities` string (every one of those is a false positive).
- dates: right when the prediction overlaps the gold text and has the gold value (seeds have no
  publication date: the month/day, the candidate years and "unresolved" are what is checked).
  Precision over every day-granular prediction (the gold lists every day-resolvable date).
Wojood (test split): exact-span P/R/F1 for DATE, TIME, QUANTITY, MONEY, PERCENT, CARDINAL.
Arabic TimeML (silver, report only): share of TIMEX3 DATE values we find and agree with.
Speed: the three stages on one core over the first 5,000 non-empty SaudiNewsNet records.
Results go to benchmarks/results/extract.json; tests/test_extract_gate.py pins floors.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import khabar
import khabar.extract.mention_stages
from khabar.extract.dates import find_dates
from khabar.extract.mention_stages import content_lines
from khabar.extract.quantities import find_quantities, quantity_kind
from khabar.model import Article
from khabar.pipeline import DEFAULT_STAGES, Pipeline, registered_stages
from khabar.text import normalize_text

try:  # the entity stage (another module): also scored "with entities" when it is there
    import khabar.extract.stages
except ImportError:  # pragma: no cover
    pass

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MINE = ("quotes", "quantities", "dates")


def _norm(text: str) -> str:
    return " ".join(normalize_text(text).split())


def pipeline(entities: bool = False) -> Pipeline:
    names = [n for n in DEFAULT_STAGES if n not in MINE and n != "entities"]
    if entities and "entities" in registered_stages():
        names.append("entities")
    return Pipeline([*names, *MINE])


# --------------------------------------------------------------------------- gold items


def seeds_items() -> list[dict[str, Any]]:
    gold_path = SHARED / "eval" / "seeds_gold.json"
    if not gold_path.exists():
        return []
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return [
        {
            "id": name,
            "text": (SHARED / "seeds" / name).read_text(encoding="utf-8"),
            "gold": entry,
            "outlet": entry.get("outlet") or "",
            "published": None,
        }
        for name, entry in gold["articles"].items()
    ]


def demo_items() -> list[dict[str, Any]]:
    folder = resources.files("khabar.demo")
    rows = [
        json.loads(x)
        for x in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return [
        {
            "id": r["id"],
            "text": r["text"],
            "gold": gold["articles"][r["id"]],
            "outlet": r["outlet"],
            "published": r.get("date"),
        }
        for r in rows
    ]


def test_items() -> list[dict[str, Any]]:
    """The blind test set: 20 articles written and completely annotated by someone who never
    saw the extractors (benchmarks/data/extract_test*). Never tune on it."""
    folder = ROOT / "benchmarks" / "data"
    rows = [json.loads(x) for x in (folder / "extract_test.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    gold = json.loads((folder / "extract_test_gold.json").read_text(encoding="utf-8"))
    return [
        {"id": r["id"], "text": r["text"], "gold": gold["articles"][r["id"]], "outlet": r["outlet"],
         "published": r.get("date")}
        for r in rows
    ]


def dev_items() -> list[dict[str, Any]]:
    """The development set: 33 articles written for tuning quotes and quantities by someone who
    had not read the test set (benchmarks/data/extract_dev*); dates are not annotated there."""
    folder = ROOT / "benchmarks" / "data"
    rows = [json.loads(x) for x in (folder / "extract_dev.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    gold = json.loads((folder / "extract_dev_gold.json").read_text(encoding="utf-8"))
    return [
        {"id": r["id"], "text": r["text"], "gold": gold["articles"][r["id"]], "outlet": r["outlet"],
         "published": r.get("date")}
        for r in rows
    ]


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    out = []
    if not needle:
        return out
    start = text.find(needle)
    while start >= 0:
        out.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return out


def _overlap(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < a[1] and a[0] < e for s, e in spans)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def speaker_match(pred: str, gold: str) -> bool:
    p, g = _norm(pred), _norm(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    short, long_ = sorted((p, g), key=len)
    return len(short.split()) >= 2 and short in long_


def _value_equal(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def score(
    items: list[dict[str, Any]],
    *,
    entities: bool = False,
    errors: list[str] | None = None,
    complete: bool = False,
) -> dict[str, Any]:
    """Scores against gold. With `complete` (gold lists every item), a prediction that matches
    nothing is a false positive; otherwise only predictions overlapping gold are judged."""
    pipe = pipeline(entities)
    q_tp = q_fp = q_fn = q_unjudged = 0
    n_tp = n_fp = n_fn = 0
    d_tp = d_fp = d_fn = 0
    for item in items:
        article = pipe(
            Article(
                id="",
                text=item["text"],
                outlet=item["outlet"],
                published=khabar.pipeline.parse_published(item["published"]),
            )
        )
        text, gold = item["text"], item["gold"]
        # quotes
        gold_quotes = gold.get("quotes", [])
        regions = [occ for g in gold_quotes for occ in _occurrences(text, g["contains"])]
        matched_gold = set()
        for q in article.quotes:
            hits = [
                i
                for i, g in enumerate(gold_quotes)
                if _norm(g["contains"]) in _norm(q.text) and speaker_match(q.speaker, g["speaker"])
            ]
            if hits:
                q_tp += 1
                matched_gold.update(hits)
            elif _overlap((q.start, q.end), regions):
                q_fp += 1
                if errors is not None:
                    errors.append(f"{item['id']} quote FP: {q.speaker} | {q.verb} | {q.text[:60]}")
            elif complete:
                q_fp += 1
                if errors is not None:
                    errors.append(f"{item['id']} quote FP: {q.speaker} | {q.verb} | {q.text[:60]}")
            else:
                q_unjudged += 1
        for i, g in enumerate(gold_quotes):
            if i not in matched_gold:
                q_fn += 1
                if errors is not None:
                    errors.append(
                        f"{item['id']} quote FN: {g['speaker']} | {g['verb']} | {g['contains'][:60]}"
                    )
        # quantities
        gold_q = gold.get("quantities", [])
        gold_regions = [(occ, g) for g in gold_q for occ in _occurrences(text, g["text"])]
        not_regions = [occ for x in gold.get("not_quantities", []) for occ in _occurrences(text, x)]
        found = set()
        for q in article.quantities:
            span = (q.start, q.end)
            right = [
                i
                for i, g in enumerate(gold_q)
                if _overlap(span, _occurrences(text, g["text"]))
                and (
                    _value_equal(q.value, g["value"])
                    or (q.value_max is not None and _value_equal(q.value_max, g["value"]))
                )
                and (
                    _norm(q.counted) == _norm(g.get("counted", "\0"))
                    or (g.get("unit") and g["unit"] == q.unit)
                )
            ]
            if right:
                n_tp += 1
                found.update(right)
            elif complete or _overlap(span, [occ for occ, _ in gold_regions]) or _overlap(span, not_regions):
                n_fp += 1
                if errors is not None:
                    errors.append(f"{item['id']} quantity FP: {q.text!r} {q.value} {q.counted!r}")
        for i, g in enumerate(gold_q):
            if i not in found:
                n_fn += 1
                if errors is not None:
                    errors.append(
                        f"{item['id']} quantity FN: {g['text']!r} {g['value']} {g.get('counted', g.get('unit'))!r}"
                    )
        # dates (a gold without a "dates" key did not annotate them: not scored)
        if "dates" not in gold:
            continue
        gold_d = gold.get("dates", [])
        spans = content_lines(article, title=False)
        mentions = {
            (m.start, m.end): m for m in find_dates(text, spans, published=article.published)
        }
        found = set()
        for d in article.dates:
            if d.granularity != "day":
                continue
            m = mentions.get((d.start, d.end))
            right = [
                i
                for i, g in enumerate(gold_d)
                if _overlap((d.start, d.end), _occurrences(text, g["text"]))
                and _date_right(d.value, m, g)
            ]
            if right:
                d_tp += 1
                found.update(right)
            else:
                d_fp += 1
                if errors is not None:
                    errors.append(f"{item['id']} date FP: {d.text!r} {d.value}")
        for i, g in enumerate(gold_d):
            if i not in found:
                d_fn += 1
                if errors is not None:
                    errors.append(f"{item['id']} date FN: {g['text']!r} {g.get('value')}")
    quotes = _prf(q_tp, q_fp, q_fn)
    quotes["unjudged"] = q_unjudged
    return {
        "articles": len(items),
        "quotes": quotes,
        "quantities": _prf(n_tp, n_fp, n_fn),
        "dates": _prf(d_tp, d_fp, d_fn),
    }


def _date_right(value: str, mention: Any, gold: dict[str, Any]) -> bool:
    if "value" in gold:
        return value[:10] == gold["value"]
    if gold.get("month") and gold.get("day"):
        if not value.endswith(f"-{gold['month']:02d}-{gold['day']:02d}"):
            return False
        if gold.get("year") is None and not value.startswith("XXXX"):
            return False
        wanted = gold.get("year_if_inferred_from_weekday_in_2000_2030")
        if wanted:
            return mention is not None and set(wanted) <= set(mention.candidates)
        return True
    if gold.get("relative"):
        return (
            value == ""
            and mention is not None
            and mention.weekday == gold.get("weekday", mention.weekday)
        )
    return False


# --------------------------------------------------------------------------- Wojood

WOJOOD_TYPES = ("DATE", "TIME", "QUANTITY", "MONEY", "PERCENT", "CARDINAL")


def _wojood_sentences(path: Path) -> list[tuple[list[str], set[tuple[str, int, int]]]]:
    sentences = []
    toks: list[str] = []
    tags: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if toks:
                sentences.append((toks, _iob_spans(tags)))
            toks, tags = [], []
            continue
        parts = line.split()
        toks.append(parts[0])
        tags.append(parts[1:])
    return sentences


def _iob_spans(tags: list[list[str]]) -> set[tuple[str, int, int]]:
    spans = set()
    open_: dict[str, int] = {}
    for i, row in enumerate(tags + [[]]):
        labels = {t[2:]: t[0] for t in row if t != "O" and len(t) > 2}
        for label, start in list(open_.items()):
            if labels.get(label) != "I":
                spans.add((label, start, i))
                del open_[label]
        for label, kind in labels.items():
            if kind == "B" or label not in open_:
                if label in open_:
                    spans.add((label, open_[label], i))
                open_[label] = i
    return {s for s in spans if s[0] in WOJOOD_TYPES}


def _quantity_type(q: Any) -> str:
    kind = quantity_kind(q)
    return {"percent": "PERCENT", "money": "MONEY", "measure": "QUANTITY", "duration": "DATE"}.get(
        kind, "CARDINAL"
    )


def wojood(errors: list[str] | None = None) -> dict[str, Any]:
    path = SHARED / "data" / "wojood_sample" / "test.txt"
    if not path.exists():
        return {}
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for toks, gold in _wojood_sentences(path):
        # the text as written: no spaces around the separators inside a number (13.2, 2,500)
        pieces, starts, pos = [], [], 0
        for k, t in enumerate(toks):
            glue = k > 0 and (
                (
                    t in (".", ",", "٫", "٬")
                    and toks[k - 1].isdigit()
                    and k + 1 < len(toks)
                    and toks[k + 1].isdigit()
                )
                or (
                    toks[k - 1] in (".", ",", "٫", "٬")
                    and t.isdigit()
                    and k > 1
                    and toks[k - 2].isdigit()
                )
            )
            if k > 0 and not glue:
                pieces.append(" ")
                pos += 1
            starts.append(pos)
            pieces.append(t)
            pos += len(t)
        text = "".join(pieces)
        ends = [s + len(t) for s, t in zip(starts, toks)]

        def token_range(
            start: int, end: int, starts: list[int] = starts, ends: list[int] = ends
        ) -> tuple[int, int]:
            first = next(i for i, e in enumerate(ends) if e > start)
            last = max(i for i, s in enumerate(starts) if s < end)
            return first, last + 1

        pred = set()
        for d in find_dates(text, None, published=None):
            label = "TIME" if d.granularity in ("hour", "minute") else "DATE"
            pred.add((label, *token_range(d.start, d.end)))
        for q in find_quantities(text, None):
            label = _quantity_type(q)
            start, end = q.start, q.end
            if label == "CARDINAL" and q.counted:
                # Wojood marks the number alone; drop the counted noun
                cut = q.text.rstrip()
                last_space = cut.rfind(" ")
                if last_space > 0:
                    end = start + last_space
            pred.add((label, *token_range(start, end)))
        for span in pred & gold:
            tp[span[0]] += 1
        for span in pred - gold:
            fp[span[0]] += 1
        for span in gold - pred:
            fn[span[0]] += 1
            if errors is not None:
                errors.append(f"wojood FN {span[0]}: {' '.join(toks[span[1] : span[2]])}")
    out = {label: _prf(tp[label], fp[label], fn[label]) for label in WOJOOD_TYPES}
    out["micro"] = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out


# --------------------------------------------------------------------------- TimeML silver

_TIMEX_RE = re.compile(r"<TIMEX3([^>]*)>(.*?)</TIMEX3>", re.DOTALL)
_ATTR_RE = re.compile(r'(\w+)="([^"]*)"')


def timeml() -> dict[str, Any]:
    folder = SHARED / "data" / "arabic_timeml_silver" / "Corpus_test"
    if not folder.exists():
        return {}
    total = found = agree = 0
    full_dates = 0
    docs = []
    for path in sorted(folder.glob("*.tml")):
        raw = path.read_text(encoding="utf-8")
        body = re.sub(r"<\?xml.*?\?>|<!DOCTYPE.*?>|</?TimeML>", "", raw, flags=re.DOTALL)
        text_parts, timexes, pos, last = [], [], 0, 0
        for m in _TIMEX_RE.finditer(body):
            chunk = re.sub(r"<[^>]+>", "", body[last : m.start()])
            text_parts.append(chunk)
            pos += len(chunk)
            attrs = dict(_ATTR_RE.findall(m.group(1)))
            inner = m.group(2)
            timexes.append((pos, pos + len(inner), inner, attrs))
            text_parts.append(inner)
            pos += len(inner)
            last = m.end()
        text_parts.append(re.sub(r"<[^>]+>", "", body[last:]))
        docs.append(("".join(text_parts), timexes, _guess_dct(timexes)))
    votes = Counter(dct for _t, _x, dct in docs if dct)
    fallback = votes.most_common(1)[0][0] if votes else None
    for text, timexes, dct in docs:
        mentions = find_dates(text, None, published=dct or fallback)
        for start, end, _inner, attrs in timexes:
            if attrs.get("type") != "DATE" or not re.match(
                r"^\d{4}(-\d{2}(-\d{2})?)?$", attrs.get("value", "")
            ):
                continue
            total += 1
            full_dates += len(attrs["value"]) == 10
            hit = [m for m in mentions if m.start < end and start < m.end]
            if hit:
                found += 1
                if any(m.value[: len(attrs["value"])] == attrs["value"] for m in hit):
                    agree += 1
    return {
        "silver_timex_dates": total,
        "found": found,
        "found_share": round(found / total, 4) if total else 0.0,
        "value_agreement_when_found": round(agree / found, 4) if found else 0.0,
        "note": "silver (HeidelTime-style output), no document dates: each document's date is guessed from its اليوم/أمس/غدا TIMEX values, else the corpus's most common guess",
    }


def _guess_dct(timexes: list[tuple[int, int, str, dict[str, str]]]) -> date | None:
    offsets = {"اليوم": 0, "امس": 1, "الامس": 1, "البارحه": 1, "غدا": -1, "الغد": -1}
    votes: Counter[date] = Counter()
    for _s, _e, inner, attrs in timexes:
        key = normalize_text(inner).strip()
        value = attrs.get("value", "")
        if key in offsets and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            votes[date.fromisoformat(value) + timedelta(days=offsets[key])] += 1
    return votes.most_common(1)[0][0] if votes else None


# --------------------------------------------------------------------------- speed


def speed(limit: int) -> dict[str, Any]:
    path = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
    if not path.exists() or limit <= 0:
        return {}
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            if row.get("content", "").strip():
                records.append(row)
            if len(records) >= limit:
                break
    base = Pipeline(DEFAULT_STAGES)
    stages = [registered_stages()[name] for name in MINE]
    articles = [
        base(
            Article(
                id="",
                text=r["content"],
                outlet=r.get("source", ""),
                title=r.get("title", ""),
                published=khabar.pipeline.parse_published(r.get("date_extracted")),
            )
        )
        for r in records
    ]
    for current in stages:  # warm the tables
        current(articles[0])
    per_stage: dict[str, float] = {}
    started = time.perf_counter()
    cpu_started = time.process_time()
    counts = Counter()
    for article in articles:
        for current in stages:
            t0 = time.process_time()
            article = current(article)
            per_stage[current.name] = per_stage.get(current.name, 0.0) + time.process_time() - t0
        counts["quotes"] += len(article.quotes)
        counts["quantities"] += len(article.quantities)
        counts["dates"] += len(article.dates)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    full = Pipeline([*DEFAULT_STAGES, *MINE])
    started = time.process_time()
    for r in records[:1000]:
        full(
            Article(
                id="",
                text=r["content"],
                outlet=r.get("source", ""),
                title=r.get("title", ""),
                published=khabar.pipeline.parse_published(r.get("date_extracted")),
            )
        )
    full_seconds = time.process_time() - started
    return {
        "corpus": "saudinewsnet",
        "articles": len(records),
        "cpu_seconds_three_stages": round(cpu_seconds, 2),
        "articles_per_s_three_stages": round(len(records) / cpu_seconds, 1),
        "wall_articles_per_s_three_stages": round(len(records) / seconds, 1),
        "cpu_seconds_by_stage": {k: round(v, 2) for k, v in per_stage.items()},
        "articles_per_s_full_pipeline": round(1000 / full_seconds, 1),
        "note": "rates from CPU time of this one process (the machine is shared); full pipeline on the first 1,000",
        "found": dict(counts),
    }


# --------------------------------------------------------------------------- stress

STRESS_LINES = {
    "straight quotes": '"',
    "guillemets": "«",
    "curly pairs": "“a” ",
    "verb + open mark": 'قال إن "',
    "quoted statements": 'وقال المصدر إن "الوضع جيد جدا" ',
}


def stress(kib: int) -> dict[str, Any]:
    """Seconds for quotes on one line of `kib` KiB made of quotation marks (and cues): the
    extractor must stay linear on hostile input (a quadratic pass takes hours at 1 MiB)."""
    from khabar.extract.quotes import find_quotes

    if kib <= 0:
        return {}
    out: dict[str, Any] = {"kib": kib}
    for name, unit in STRESS_LINES.items():
        line = unit * (kib * 1024 // len(unit))
        started = time.process_time()
        found = find_quotes(line)
        out[name] = {"seconds": round(time.process_time() - started, 2), "quotes": len(found)}
    return out


# --------------------------------------------------------------------------- main


SETS = ("seeds", "demo", "dev", "test")


def gold_scores(
    entities: bool = False, errors: list[str] | None = None, sets: Iterable[str] = SETS
) -> dict[str, Any]:
    sets = set(sets)
    out = {}
    seeds = seeds_items()
    if seeds and "seeds" in sets:
        out["seeds"] = score(seeds, entities=entities, errors=errors)
    if "demo" in sets:
        out["demo"] = score(demo_items(), entities=entities, errors=errors)
    if seeds and {"seeds", "demo"} <= sets:
        out["seeds+demo"] = score(seeds + demo_items(), entities=entities)
    if "dev" in sets and (ROOT / "benchmarks" / "data" / "extract_dev_gold.json").exists():
        out["dev"] = score(dev_items(), entities=entities, errors=errors, complete=True)
    if "test" in sets and (ROOT / "benchmarks" / "data" / "extract_test_gold.json").exists():
        out["test (blind)"] = score(test_items(), entities=entities, errors=errors, complete=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=int, default=5000, help="SNN articles to time (0: skip)")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument(
        "--stress", type=int, default=1024, help="KiB of quotation marks on one line (0: skip)"
    )
    parser.add_argument(
        "--set",
        default=",".join(SETS),
        help="comma-separated gold sets to score: seeds,demo,dev,test (tune on dev; test is blind)",
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "extract.json"))
    args = parser.parse_args()
    errors: list[str] | None = [] if args.errors else None
    sets = [x.strip() for x in args.set.split(",") if x.strip()]
    results: dict[str, Any] = {"gold": gold_scores(False, errors, sets)}
    if "entities" in registered_stages():
        try:
            results["gold_with_entities"] = gold_scores(True, sets=sets)
        except Exception as exc:  # noqa: BLE001  (the entity stage belongs to another module: report it, don't fail)
            results["gold_with_entities"] = {"error": repr(exc)}
    results["wojood_test"] = wojood(errors if args.errors else None)
    results["timeml_silver"] = timeml()
    results["speed"] = speed(args.speed)
    results["stress"] = stress(args.stress)
    print(
        f"{'set':26} {'quotes P':>8} {'R':>6} {'(unjudged)':>10} {'qty P':>7} {'R':>6} {'F1':>6} {'dates P':>8} {'R':>6} {'F1':>6}"
    )
    for group in ("gold", "gold_with_entities"):
        for name, r in results.get(group, {}).items():
            if not isinstance(r, dict) or "quotes" not in r:
                continue
            q, n, d = r["quotes"], r["quantities"], r["dates"]
            label = name + (" +entities" if group != "gold" else "")
            print(
                f"{label:26} {q['precision']:>8.3f} {q['recall']:>6.3f} {q['unjudged']:>10} {n['precision']:>7.3f} "
                f"{n['recall']:>6.3f} {n['f1']:>6.3f} {d['precision']:>8.3f} {d['recall']:>6.3f} {d['f1']:>6.3f}"
            )
    if results["wojood_test"]:
        print("wojood test (exact spans):")
        for label, r in results["wojood_test"].items():
            if r["tp"] + r["fp"] + r["fn"] == 0:
                print(f"  {label:9} n/a (no such spans in the test split, none predicted)")
                continue
            print(
                f"  {label:9} P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}  (tp {r['tp']} fp {r['fp']} fn {r['fn']})"
            )
    if results["timeml_silver"]:
        t = results["timeml_silver"]
        print(
            f"timeml silver: {t['silver_timex_dates']} DATE values, found {t['found_share']:.3f}, "
            f"value agreement when found {t['value_agreement_when_found']:.3f} (report only)"
        )
    if results["speed"]:
        s = results["speed"]
        print(
            f"speed: {s['articles']:,} SNN articles, quotes+quantities+dates {s['articles_per_s_three_stages']:,.0f} articles/s "
            f"(CPU s by stage {s['cpu_seconds_by_stage']}; wall {s['wall_articles_per_s_three_stages']:,.0f}/s), full pipeline {s['articles_per_s_full_pipeline']:,.0f} articles/s, one core"
        )
    if results["stress"]:
        t = results["stress"]
        print(
            f"stress: one {t['kib']:,} KiB line, quotes CPU s: "
            + ", ".join(f"{k} {v['seconds']}" for k, v in t.items() if k != "kib")
        )
    for line in errors or []:
        print("  " + line)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
