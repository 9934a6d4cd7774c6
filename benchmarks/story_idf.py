"""How story clustering's idf is estimated, measured: `python benchmarks/story_idf.py VARIANT ...`.

The clusterer learns document frequencies incrementally over the stream it clusters
(`StoryClusterer.learn`, before an article's own vectors are made). This benchmark measures
variants of that estimate on the four development golds, without changing the library: each
variant is a subclass of `StoryClusterer` put into a `StoryStream`. None was kept (see
docs/performance.md, "Story clustering: how the idf is estimated"); the figures there come
from this command.

Each argument is one run: one variant, or several joined with commas, `-` for the defaults.

* `delay-docs=K`: an article's terms enter the counts only after K more articles have arrived
  (a burst does not lower its own words' idf while its story is being built);
* `delay-hours=H`: ... only once the stream clock is H hours past the article (combined with
  delay-docs: whichever comes first);
* `background=B[:L]`: B pseudo-documents of general Arabic added to the counts, a term in a share
  1 - exp(-f·L) of them (f its word frequency in wordfreq's Arabic list, summed over the words
  with the same match key; L words a document, 300 unless given). Needs `pip install wordfreq`
  (not a khabar dependency; its data is CC BY-SA 4.0);
* `name-floor=F`: a word of one of the article's names (entities stage) gets an idf of at least
  F times the highest idf;
* `warm-days=D`: before the gold's first article, the clusterer learns the document
  frequencies of every article of the same corpus (ANT or SaudiNewsNet, not in the gold) of
  the D days before, as a store with history would have them.

For each run: pairwise F1 (BCubed F1) averaged over thresholds 0.13-0.17 on ANT March (all three
days, as `clustering.py --band`), ANT March days 11-12 alone, ANT June, SNN 2015-08-03 and
2015-08-04, pairwise F1 at the shipped threshold after `@`, and two means: with ANT March's
three days (`--band`'s) and with its days 11-12 (day 13 is the held-out day of `--quick`).
`--moved` prints, instead, the gold pairs each variant joins or parts against the defaults at
the shipped threshold (by gold story, with the stream positions of their articles).
`--held-out` scores the held-out golds instead (ANT day 13, SNN 2015-07-26 and 2015-08-09) at
the shipped threshold: for a last look after every choice, never to choose.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from benchmarks import clustering as B
from khabar.stories import ClusterConfig
from khabar.stories.cluster import ArticleFeatures, StoryClusterer, _is_term, _norm, features
from khabar.stories.stream import StoryStream
from khabar.text import match_key


def wordfreq_table() -> dict[str, float]:
    """Arabic word frequencies of wordfreq's large list by match key (frequencies of the words
    with one key summed; keys with digits dropped: wordfreq writes every digit as 0)."""
    try:
        import wordfreq
    except ImportError:
        raise SystemExit("background=...: needs wordfreq (pip install wordfreq; its data is CC BY-SA 4.0)")
    table: dict[str, float] = {}
    for word, freq in wordfreq.get_frequency_dict("ar", wordlist="large").items():
        key = match_key(word)
        if len(key) > 1 and not any(c.isdigit() for c in key):
            table[key] = table.get(key, 0.0) + freq
    return table


class IdfVariant(StoryClusterer):
    """`StoryClusterer` with another idf estimate (all off: the same decisions)."""

    def __init__(self, config: ClusterConfig, *, delay_docs: int = 0, delay_hours: float = 0.0,
                 background: dict[str, float] | None = None, name_floor: float = 0.0) -> None:
        super().__init__(config)
        self.delay_docs = delay_docs
        self.delay_hours = delay_hours
        self.background = background or {}
        self.background_docs = 0.0
        self.name_floor = name_floor
        self._pending: list[tuple[float, tuple[str, ...]]] = []  # in arrival order

    def learn_now(self, terms: Iterable[str]) -> None:
        super().learn(terms)

    def learn(self, terms: Iterable[str]) -> None:
        if not (self.delay_docs or self.delay_hours):
            return super().learn(terms)
        distinct = tuple(terms.keys() if isinstance(terms, dict) else set(terms))
        t = self.now  # `add` has just advanced the clock to the article's time (dated ones)
        if t is None and not self.delay_docs:
            return super().learn(distinct)
        pending = self._pending
        horizon = t - self.delay_hours * 3600.0 if self.delay_hours and t is not None else None
        while pending and ((horizon is not None and pending[0][0] <= horizon)
                           or (self.delay_docs and len(pending) >= self.delay_docs)):
            super().learn(pending.pop(0)[1])
        pending.append((t if t is not None else -math.inf, distinct))

    def vectors(self, f: ArticleFeatures, tf: Any = None) -> tuple[dict[str, float], dict[str, float]]:
        if not (self.background or self.name_floor):
            return super().vectors(f, tf)
        tf = self._tf(f) if tf is None else tf
        lognum = math.log(self.n_docs + self.config.idf_prior_docs + self.background_docs)
        get, bg, log = self.df.get, self.background.get, math.log
        floor = self.name_floor * lognum
        names = f.name_words if self.name_floor else frozenset()

        def idf(t: str) -> float:
            v = lognum - log(get(t, 0) + 1.0 + bg(t, 0.0))
            return max(v, floor) if t in names else v

        vec = _norm({t: (1.0 + log(n)) * idf(t) for t, n in tf.items()})
        tvec = _norm({t: idf(t) for t in f.title_keys if _is_term(t)})
        return vec, tvec


def parse(spec: str) -> dict[str, float]:
    out: dict[str, float] = {}
    if spec == "-":
        return out
    for part in spec.split(","):
        name, _, value = part.partition("=")
        if name not in ("delay-docs", "delay-hours", "background", "name-floor", "warm-days"):
            raise SystemExit(f"unknown variant {part!r}")
        if name == "background":
            docs, _, words = value.partition(":")
            out["background"] = float(docs)
            out["background-words"] = float(words or 300)
        else:
            out[name] = float(value)
    return out


_TABLE: dict[str, float] | None = None
_CORPUS: dict[str, list[tuple[float, str, tuple[str, ...]]]] = {}


def corpus_terms(kind: str) -> list[tuple[float, str, tuple[str, ...]]]:
    """(time, id, distinct clustering terms) of every dated article of ANT or SaudiNewsNet
    (title + body as read, as `clustering.py`'s raw ANT figures), in time order."""
    if kind in _CORPUS:
        return _CORPUS[kind]
    tf = StoryClusterer()._tf
    rows = []
    path = B.ANT_DATA if kind == "ant" else B.SNN_DATA
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if kind == "ant":
                if '"docno"' not in line:
                    continue
                a = B._ant_article(json.loads(line))
            else:
                a = B._snn_article(i, json.loads(line))
            if a.published is not None:
                rows.append((a.published.timestamp(), a.id, tuple(tf(features(a)))))
    rows.sort()
    _CORPUS[kind] = rows
    return rows


def make_stream(config: ClusterConfig, variant: dict[str, float], golds_kind: str,
                articles: list[Any], gold_ids: set[str]) -> StoryStream:
    global _TABLE
    stream = StoryStream(config)
    background = None
    if variant.get("background"):
        if _TABLE is None:
            _TABLE = wordfreq_table()
        docs, words = variant["background"], variant["background-words"]
        background = {k: docs * -math.expm1(-f * words) for k, f in _TABLE.items()}
    cl = IdfVariant(config, delay_docs=int(variant.get("delay-docs", 0)),
                    delay_hours=variant.get("delay-hours", 0.0), background=background,
                    name_floor=variant.get("name-floor", 0.0))
    if background:
        cl.background_docs = variant["background"]
    if variant.get("warm-days"):
        start = min(a.published.timestamp() for a in articles if a.published)
        since = start - variant["warm-days"] * 86400.0
        for t, aid, terms in corpus_terms(golds_kind):
            if since <= t < start and aid not in gold_ids:
                cl.learn_now(terms)
    stream.clusterer = cl
    return stream


def run(golds: dict[str, Any], spec: str) -> dict[str, Any]:
    variant = parse(spec)
    row: dict[str, Any] = {}
    for name, (articles, gold, days) in golds.items():
        kind = "ant" if name.startswith("ant") else "snn"
        subsets = {name: gold}
        if name == "ant_march":
            subsets["ant_march_days_11_12"] = {i: s for i, s in gold.items() if days.get(i) in B.TUNE_DAYS}
        runs: dict[str, list[dict[str, Any]]] = {k: [] for k in subsets}
        at: dict[str, float] = {}
        for t in B.BAND:
            config = replace(ClusterConfig(), threshold=t)
            stream = make_stream(config, variant, kind, articles, set(gold))
            pred = {a.article_id: a.story for a in stream.assign(articles)}
            for key, sub in subsets.items():
                sc = B.scores(pred, sub)
                runs[key].append(sc)
                if t == 0.15:
                    at[key] = sc["pairwise"]["f1"]
        for key, rs in runs.items():
            row[key] = {kind: round(sum(r[kind]["f1"] for r in rs) / len(rs), 4) for kind in ("pairwise", "bcubed")}
            row[key]["pairwise_at_0.15"] = at[key]
    three = ("ant_june", "snn_2015-08-03", "snn_2015-08-04")
    row["mean_pairwise"] = round(sum(row[k]["pairwise"] for k in ("ant_march", *three)) / 4, 4)
    row["mean_pairwise_ant_days_11_12"] = round(
        sum(row[k]["pairwise"] for k in ("ant_march_days_11_12", *three)) / 4, 4)
    print(f"{spec:28} " + "  ".join(f"{k} {v['pairwise']:.4f} ({v['bcubed']:.3f}) @{v['pairwise_at_0.15']:.3f}"
                                     for k, v in row.items() if isinstance(v, dict))
          + f"  mean {row['mean_pairwise']:.4f}, with days 11-12 {row['mean_pairwise_ant_days_11_12']:.4f}",
          flush=True)
    return row


def held_out(specs: list[str]) -> dict[str, Any]:
    ant = B.ant_processed()
    day13 = {i: s for i, s in ant[1].items() if ant[2].get(i) in B.HELD_OUT_DAYS}
    sets = {"ant_march_day_13": ("ant", ant[0], day13)}
    for key, path, _ in B.SNN_HELD_OUT_SETS:
        articles, gold = B.snn_gold(path)
        sets[key] = ("snn", articles, gold)
    out = {}
    for spec in specs:
        variant = parse(spec)
        row = {}
        for name, (kind, articles, gold) in sets.items():
            stream = make_stream(ClusterConfig(), variant, kind, articles, set(gold))
            sc = B.scores({a.article_id: a.story for a in stream.assign(articles)}, gold)
            row[name] = {"bcubed": sc["bcubed"]["f1"], "pairwise": sc["pairwise"]["f1"]}
        out[spec] = row
        print(f"{spec:28} held out, BCubed / pairwise F1 at the shipped threshold: "
              + "  ".join(f"{k} {v['bcubed']:.3f} / {v['pairwise']:.3f}" for k, v in row.items()), flush=True)
    return out


def moved(golds: dict[str, Any], spec: str) -> dict[str, Any]:
    """At the shipped threshold, the gold pairs a variant joins or parts against the defaults,
    by gold story (or pair of stories), with the positions in the stream of their articles."""
    import itertools
    from collections import Counter

    variant = parse(spec)
    out: dict[str, Any] = {}
    for name, (articles, gold, _) in golds.items():
        kind = "ant" if name.startswith("ant") else "snn"
        preds = [{a.article_id: a.story for a in make_stream(ClusterConfig(), v, kind, articles, set(gold)).assign(articles)}
                 for v in ({}, variant)]
        order = {a.id: n for n, a in enumerate(sorted(articles, key=lambda a: a.published.timestamp()))}
        ids = [i for i in gold if i in preds[0]]
        counts: dict[str, Counter[Any]] = {k: Counter() for k in ("right joined", "right parted", "wrong joined", "wrong parted")}
        where: dict[Any, set[int]] = {}
        for a, b in itertools.combinations(ids, 2):
            before, after = preds[0][a] == preds[0][b], preds[1][a] == preds[1][b]
            if before == after:
                continue
            same = gold[a] == gold[b]
            key = gold[a] if same else tuple(sorted((gold[a], gold[b])))
            counts[("right " if same else "wrong ") + ("joined" if after else "parted")][key] += 1
            where.setdefault(key, set()).update((order[a], order[b]))
        out[name] = {k: sum(v.values()) for k, v in counts.items()}
        print(f"{spec} against the defaults, {name} ({len(articles)} articles): "
              + ", ".join(f"{k} {n}" for k, n in out[name].items()))
        for k, c in counts.items():
            for key, n in c.most_common():
                print(f"    {k}: {n} pairs of {key}, stream positions {sorted(where[key])}")
    return out


def main(argv: Iterable[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("variants", nargs="*", default=["-"],
                    help="one run each: '-' (defaults) or e.g. delay-docs=30,delay-hours=3")
    ap.add_argument("--held-out", action="store_true", help="score the held-out golds instead")
    ap.add_argument("--moved", action="store_true",
                    help="instead of scores: the gold pairs each variant joins or parts at the shipped threshold")
    args = ap.parse_args(list(argv) if argv is not None else None)
    if args.held_out:
        return {"held_out": held_out(args.variants)}
    ant = B.ant_processed()
    june = B.ant_processed(B.ant_gold(B.ANT_DEV_2))
    golds = {"ant_march": ant, "ant_june": june,
             "snn_2015-08-03": (*B.snn_gold(), {}), "snn_2015-08-04": (*B.snn_gold(B.SNN_DEV_2), {})}
    if args.moved:
        return {spec: moved(golds, spec) for spec in args.variants}
    return {spec: run(golds, spec) for spec in args.variants}


if __name__ == "__main__":
    main()
