"""Story synthesis benchmark: `python benchmarks/synthesis.py` (one command, ~2 min on 2 cores).

* gold checks — seeds (benchmarks/data/synthesis_seeds_gold.json) and every multi-outlet
  story of the demo corpus (src/khabar/demo/gold.json, key "synthesis"): facts with their
  outlet counts, conflicts, speakers with their outlets, quotes merged across outlets;
* summary quality on the multi-outlet stories of ../shared/eval/stories_ant_2018-03-11_13.jsonl
  (gold story grouping): ROUGE-1/2 F1 of the summary against each article's lead (its first
  sentence, up to 25 words), averaged per story, with an Arabic-aware tokenizer (khabar match
  keys: normalized letters, clitics split) — summary parameters were set on days 11–12, day
  13 is reported apart; redundancy = max pairwise cosine among summary sentences; baseline in
  the same run: the earliest article's lead-3;
* single articles: BBC/CNN standfirsts (../shared/data/ant/derived_summarization_bbc_cnn_
  standfirst.jsonl.gz): ROUGE of khabar's one-article summary (the lead), of the centroid/MMR
  summary run on one article, and of a lead-3 baseline against the editor's standfirst;
* speed: stories/s synthesizing every story of SaudiNewsNet, after the full pipeline and
  clustering (`--limit N` articles, default 3000, because the pipeline — not synthesis — takes
  ~20 ms an article; `--limit 0` for all 31k). Timings are noisy on a shared 2-core machine.

Writes benchmarks/results/synthesis.json. Options: --quick (no standfirst, no speed),
--limit N, --standfirst-limit N, --db PATH (also time `Corpus.story()` over every story of an
ingested database, e.g. all of SaudiNewsNet, where the pipeline has already run).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SEEDS_GOLD = ROOT / "benchmarks" / "data" / "synthesis_seeds_gold.json"
DEMO_GOLD = ROOT / "src" / "khabar" / "demo" / "gold.json"
STANDFIRST = SHARED / "data" / "ant" / "derived_summarization_bbc_cnn_standfirst.jsonl.gz"
SNN_DATA = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
RESULTS = ROOT / "benchmarks" / "results" / "synthesis.json"

for p in (str(ROOT / "src"), str(ROOT)):
    if p not in sys.path:
        sys.path.insert(0, p)

from khabar.model import Article
from khabar.stories.synthesis import StoryReport, lead_sentences, summarize, synthesize
from khabar.text import match_keys

SEED_OUTLETS = {"000": "شبكة اخبار العراق", "002": "إرفع صوتك"}


# --------------------------------------------------------------------------- ROUGE


def rouge_tokens(text: str) -> list[str]:
    """Arabic-aware ROUGE tokens: khabar match keys (normalized, clitics split), no punctuation."""
    return [k for k in match_keys(text) if k]


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(candidate: str, reference: str, n: int) -> dict[str, float]:
    """ROUGE-N precision, recall and F1 (clipped n-gram counts)."""
    c, r = _ngrams(rouge_tokens(candidate), n), _ngrams(rouge_tokens(reference), n)
    overlap = sum((c & r).values())
    p = overlap / sum(c.values()) if c else 0.0
    rec = overlap / sum(r.values()) if r else 0.0
    f = 2 * p * rec / (p + rec) if p + rec else 0.0
    return {"p": p, "r": rec, "f": f}


def redundancy(sentences: Sequence[str]) -> float:
    """Max pairwise cosine (term counts over match keys) among the sentences; 0 for one."""
    vecs = [Counter(rouge_tokens(s)) for s in sentences]
    best = 0.0
    for a, b in itertools.combinations(vecs, 2):
        dot = sum(a[k] * b[k] for k in a.keys() & b.keys())
        na = sum(v * v for v in a.values()) ** 0.5
        nb = sum(v * v for v in b.values()) ** 0.5
        if na and nb:
            best = max(best, dot / (na * nb))
    return best


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return round(sum(values) / len(values), 4) if values else 0.0


def lead_text(article: Article, max_words: int = 25) -> str:
    """An article's lead for scoring: its first sentence, cut at `max_words` words."""
    sents = lead_sentences(article, max_sentences=1)
    words = (sents[0].text if sents else "").split()
    return " ".join(words[:max_words])


def lead3(article: Article) -> str:
    sents = lead_sentences(article, max_sentences=3, min_words=10_000)
    return " ".join(s.text for s in sents)


# --------------------------------------------------------------------------- gold checks


def seed_articles() -> list[Article]:
    from khabar.pipeline import process

    return [process(p.read_text(encoding="utf-8"), outlet=SEED_OUTLETS[p.name[:3]])
            for p in sorted(SEEDS.glob("*.txt"))]


def _fact_matches(report: StoryReport, value: float, what: str | None) -> list[Any]:
    return [f for f in report.facts if abs(f.value - value) < 1e-6
            and (what is None or f.key.split(":")[0] == what or f.what == what or f.counted == what)]


def check_story(report: StoryReport, gold: dict[str, Any]) -> dict[str, Any]:
    """Score one story's report against its gold (see the docstring at the top)."""
    out: dict[str, Any] = {"facts": [], "conflicts": [], "speakers": [], "quotes": [], "entities": [],
                           "timeline": []}
    for g in gold.get("facts", []):
        found = _fact_matches(report, g["value"], g.get("what"))
        got = max((f.n_outlets for f in found), default=0)
        out["facts"].append({"value": g["value"], "want_outlets": g["n_outlets"], "got_outlets": got,
                             "ok": got == g["n_outlets"]})
    want_conflicts = {frozenset(c["values"]) for c in gold.get("conflicts", [])}
    got_conflicts = {frozenset(v.value for v in c.values) for c in report.conflicts}
    for c in want_conflicts:
        out["conflicts"].append({"values": sorted(c), "ok": c in got_conflicts})
    out["false_conflicts"] = [sorted(c) for c in got_conflicts - want_conflicts]
    speakers: dict[str, set[str]] = defaultdict(set)
    for q in report.quotes:
        speakers[q.speaker].update(q.outlets)
    for name, n in gold.get("speakers", {}).items():
        key = set(match_keys(name))
        got = max((len(o) for s, o in speakers.items() if key <= set(match_keys(s))), default=0)
        out["speakers"].append({"speaker": name, "want_outlets": n, "got_outlets": got, "ok": got == n})
    for g in gold.get("merged_quotes", []):
        wanted = [" ".join(rouge_tokens(c)) for c in g["contains"]]
        got = 0
        for q in report.quotes:
            texts = [" ".join(rouge_tokens(s.text)) for s in q.sources]
            if all(any(w in t for t in texts) for w in wanted):
                got = max(got, len(q.outlets))
        out["quotes"].append({"speaker": g["speaker"], "want_outlets": g["n_outlets"], "got_outlets": got,
                              "ok": got == g["n_outlets"]})
    ents = {" ".join(match_keys(e.canonical)): e.n_outlets for e in report.entities}
    for name, n in gold.get("entities", {}).items():
        got = ents.get(" ".join(match_keys(name)), 0)
        out["entities"].append({"entity": name, "want_outlets": n, "got_outlets": got, "ok": got == n})
    for g in gold.get("timeline", []):
        got = max((len(t.outlets) for t in report.timeline if t.date[-5:] == g["month_day"]), default=0)
        out["timeline"].append({"date": g["month_day"], "want_outlets": g["n_outlets"], "got_outlets": got,
                                "ok": got == g["n_outlets"]})
    return out


def _tally(checks: Sequence[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in ("facts", "conflicts", "speakers", "quotes", "entities", "timeline"):
        items = [i for c in checks for i in c.get(part, [])]
        if items:
            out[f"{part}_accuracy"] = round(sum(i["ok"] for i in items) / len(items), 4)
            out[f"{part}_n"] = len(items)
    wrong = sum(len(c.get("false_conflicts", [])) for c in checks)
    right = sum(i["ok"] for c in checks for i in c.get("conflicts", []))
    out["conflicts_precision"] = round(right / (right + wrong), 4) if right + wrong else 1.0
    return out


def eval_seeds() -> dict[str, Any]:
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    report = synthesize(seed_articles())
    check = check_story(report, gold)
    return {"checks": check, **_tally([check])}


def demo_reports() -> dict[str, StoryReport]:
    from benchmarks.clustering import demo_gold

    articles, gold, _ = demo_gold()
    by_story: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_story[gold[a.id]].append(a)
    data = json.loads(DEMO_GOLD.read_text(encoding="utf-8"))
    reprints = {m: group[0] for group in data.get("exact_reprints", []) + data.get("near_reprints", [])
                for m in group}
    return {sid: synthesize(arts, copy_groups={a.id: reprints.get(a.id, a.id) for a in arts})
            for sid, arts in by_story.items()}


def eval_demo() -> dict[str, Any]:
    data = json.loads(DEMO_GOLD.read_text(encoding="utf-8"))
    reports = demo_reports()
    checks = {sid: check_story(reports[sid], g) for sid, g in data["synthesis"].items() if sid != "about"}
    return {"stories": len(checks), "checks": checks, **_tally(list(checks.values()))}


# --------------------------------------------------------------------------- summaries


def eval_ant_summaries() -> dict[str, Any]:
    from benchmarks.clustering import ant_gold, ant_processed

    articles, gold, days = ant_processed(ant_gold())
    by_story: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_story[gold[a.id]].append(a)
    rows = []
    for sid, arts in by_story.items():
        if len({a.outlet for a in arts}) < 2:
            continue
        report = synthesize(arts)
        summary = " ".join(s.text for s in report.summary)
        first = min(arts, key=lambda a: a.published.timestamp() if a.published else 0)
        base = lead3(first)
        leads = [lead_text(a) for a in arts]
        leads = [ld for ld in leads if ld]
        day = min(days.get(a.id, "") for a in arts)
        rows.append({
            "story": sid, "day": day, "articles": len(arts),
            "r1": _mean(rouge_n(summary, ld, 1)["f"] for ld in leads),
            "r2": _mean(rouge_n(summary, ld, 2)["f"] for ld in leads),
            "base_r1": _mean(rouge_n(base, ld, 1)["f"] for ld in leads),
            "base_r2": _mean(rouge_n(base, ld, 2)["f"] for ld in leads),
            "redundancy": redundancy([s.text for s in report.summary]),
            "base_redundancy": redundancy([s.text for s in lead_sentences(first, max_sentences=3, min_words=10_000)]),
            "sentences": len(report.summary),
        })

    def agg(sel: list[dict[str, Any]]) -> dict[str, Any]:
        return {"stories": len(sel), **{k: _mean(r[k] for r in sel) for k in
                ("r1", "r2", "base_r1", "base_r2", "redundancy", "base_redundancy", "sentences")},
                "max_redundancy": round(max((r["redundancy"] for r in sel), default=0.0), 4)}

    return {"all": agg(rows), "tune_days_11_12": agg([r for r in rows if r["day"] < "2018-03-13"]),
            "held_out_day_13": agg([r for r in rows if r["day"] >= "2018-03-13"])}


def eval_standfirst(limit: int | None) -> dict[str, Any]:
    rows = {"lead (khabar, one-article story)": [], "centroid/MMR on one article": [], "lead-3 baseline": []}
    n = 0
    with gzip.open(STANDFIRST, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            ref = d.get("reference_summary") or ""
            text = d.get("text") or ""
            if not ref.strip() or not text.strip():
                continue
            art = Article(id=d.get("docno", str(n)), text=text, body=text, title="", outlet=d.get("src", ""))
            ours = " ".join(s.text for s in synthesize([art]).summary)
            mmr = " ".join(s.text for s in summarize([art], max_sentences=3))
            for name, cand in (("lead (khabar, one-article story)", ours), ("centroid/MMR on one article", mmr),
                               ("lead-3 baseline", lead3(art))):
                rows[name].append((rouge_n(cand, ref, 1)["f"], rouge_n(cand, ref, 2)["f"], len(rouge_tokens(cand))))
            n += 1
            if limit and n >= limit:
                break
    return {"articles": n, **{name: {"r1": _mean(r[0] for r in v), "r2": _mean(r[1] for r in v),
                                     "tokens": _mean(r[2] for r in v)} for name, v in rows.items()}}


# --------------------------------------------------------------------------- speed


def eval_speed(limit: int | None) -> dict[str, Any]:
    from khabar.pipeline import process
    from khabar.stories import cluster_articles

    articles = []
    t0 = time.perf_counter()
    with gzip.open(SNN_DATA, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit and i >= limit:
                break
            d = json.loads(line)
            if not (d.get("content") or "").strip():
                continue
            published = None
            if d.get("date_extracted"):
                try:
                    published = datetime.fromisoformat(d["date_extracted"])
                except ValueError:
                    published = None
            a = process(d["content"], outlet=d.get("source", ""), title=d.get("title") or "", published=published)
            if (a.body or "").strip():
                articles.append(a)
    t_pipeline = time.perf_counter() - t0
    unique = {a.id: a for a in articles}
    assignments = cluster_articles(list(unique.values()))
    stories: dict[str, list[Article]] = defaultdict(list)
    groups = {}
    for asg in assignments:
        stories[asg.story].append(unique[asg.article_id])
        groups[asg.article_id] = asg.copy_group
    t1 = time.perf_counter()
    sizes = Counter()
    for arts in stories.values():
        synthesize(arts, copy_groups={a.id: groups[a.id] for a in arts})
        sizes[min(len(arts), 10)] += 1
    t_syn = time.perf_counter() - t1
    multi = [arts for arts in stories.values() if len(arts) > 1]
    t2 = time.perf_counter()
    for arts in multi:
        synthesize(arts, copy_groups={a.id: groups[a.id] for a in arts})
    t_multi = time.perf_counter() - t2
    return {"articles": len(unique), "limit": limit or None, "stories": len(stories),
            "multi_article_stories": len(multi), "pipeline_seconds": round(t_pipeline, 1),
            "synthesis_seconds": round(t_syn, 2), "stories_per_s": round(len(stories) / t_syn, 1),
            "multi_article_stories_per_s": round(len(multi) / t_multi, 1) if t_multi else None,
            "largest_story": max((len(a) for a in stories.values()), default=0)}


def eval_speed_store(db: str) -> dict[str, Any]:
    """Stories/s synthesizing every story of an ingested khabar database (e.g. all of
    SaudiNewsNet: `khabar --db snn.db ingest …/saudinewsnet.jsonl.gz`), articles read from the
    store included, as `Corpus.story()` does."""
    from khabar import Corpus

    with Corpus(db) as corpus:
        rows = corpus.list_stories(limit=None)
        t0 = time.perf_counter()
        for row in rows:
            corpus.story(row["id"])
        seconds = time.perf_counter() - t0
    return {"database": db, "stories": len(rows), "articles": sum(r["size"] for r in rows),
            "seconds": round(seconds, 1), "stories_per_s": round(len(rows) / seconds, 1) if seconds else None}


# --------------------------------------------------------------------------- main


def main(argv: Iterable[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="gold checks and ANT summaries only")
    ap.add_argument("--limit", type=int, default=3000, help="SaudiNewsNet articles for the speed run (0: all)")
    ap.add_argument("--standfirst-limit", type=int, default=0, help="BBC/CNN articles (0: all)")
    ap.add_argument("--db", help="also time Corpus.story() over every story of this khabar database")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args(list(argv) if argv is not None else None)
    result: dict[str, Any] = {}
    result["seeds"] = seeds = eval_seeds()
    print("seeds:", json.dumps({k: v for k, v in seeds.items() if k != "checks"}))
    result["demo"] = demo = eval_demo()
    print("demo gold:", json.dumps({k: v for k, v in demo.items() if k != "checks"}))
    for sid, check in demo["checks"].items():
        bad = [(part, i) for part in ("facts", "conflicts", "speakers", "quotes") for i in check[part] if not i["ok"]]
        if bad or check["false_conflicts"]:
            print(f"  {sid}: misses {json.dumps(bad, ensure_ascii=False)} false conflicts {check['false_conflicts']}")
    result["ant_summaries"] = ant = eval_ant_summaries()
    for key, s in ant.items():
        print(f"ANT multi-outlet {key:16} stories {s['stories']:3}  ROUGE-1 {s['r1']:.3f} ROUGE-2 {s['r2']:.3f}"
              f"  (earliest lead-3: {s['base_r1']:.3f}/{s['base_r2']:.3f})  redundancy mean {s['redundancy']:.3f}"
              f" max {s['max_redundancy']:.3f} (lead-3 {s['base_redundancy']:.3f})  sentences {s['sentences']:.1f}")
    if not args.quick:
        result["standfirst"] = sf = eval_standfirst(args.standfirst_limit or None)
        print(f"BBC/CNN standfirst ({sf['articles']} articles):")
        for name, s in sf.items():
            if isinstance(s, dict):
                print(f"  {name:34} ROUGE-1 {s['r1']:.3f} ROUGE-2 {s['r2']:.3f}  tokens {s['tokens']:.0f}")
        result["speed"] = sp = eval_speed(args.limit or None)
        print("speed (SaudiNewsNet):", json.dumps(sp))
    if args.db:
        result["speed_store"] = st = eval_speed_store(args.db)
        print("speed (every story of the store, read + synthesized):", json.dumps(st, ensure_ascii=False))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return result


if __name__ == "__main__":
    main()
