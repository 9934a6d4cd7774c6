"""How story clustering's idf is estimated, measured: `python benchmarks/story_idf.py VARIANT ...`.

The clusterer learns document frequencies incrementally over the stream it clusters
(`StoryClusterer.learn`, before an article's own vectors are made). This benchmark measures
variants of that estimate on the four development golds, without changing the library: each
variant is a subclass of `StoryClusterer` put into a `StoryStream`. Neither round kept one
(docs/performance.md, "Story clustering: how the idf is estimated" and "Story clustering: the
idf over a window"); the figures there come from this command.

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
  the D days before, each with the stream clock at its own time, as a store with history would
  have them (through the window, when there is one);
* `window-days=W`: the counts hold only the articles counted in the last W days of the stream
  clock, kept by the hour (an article's terms leave between W days and W days and an hour after
  it was counted; before the stream has a clock, they wait for its first hour);
* `horizon=N`: counts of more than N documents scaled down to N (df·N/n), relative frequencies
  kept: the idf of a stream of N documents whatever the volume;
* `decay-docs=H`, `decay-days=H`: exponentially decayed counts, half-life H articles or H days
  of the stream clock;
* `shift=S`: every threshold moved by S.

For each run: pairwise F1 (BCubed F1) averaged over thresholds 0.13-0.17 on ANT March (all three
days, as `clustering.py --band`), ANT March days 11-12 alone, ANT June, SNN 2015-08-03 and
2015-08-04, pairwise F1 at the shipped threshold after `@`, and two means: with ANT March's
three days (`--band`'s) and with its days 11-12 (day 13 is the held-out day of `--quick`).
`--moved` prints, instead, the gold pairs each variant joins or parts against the defaults at
the shipped threshold (by gold story, with the stream positions of their articles).
`--held-out` scores the held-out golds instead (ANT day 13, SNN 2015-07-26 and 2015-08-09) at
the shipped threshold: for a last look after every choice, never to choose.
`--dev-only` leaves ANT March's day 13 (held out) unscored: ANT March is scored on days 11-12.
`--thresholds FROM:TO:STEP` scores each threshold of that grid instead of the band, and prints
the pairwise F1 at each with the best one and the best band of five.
`--decisions` prints instead, per development gold at the shipped threshold, what the threshold
sees: each article's best score among the active stories that already hold an article of its
gold story and among the others (exact scores over every active story), as quartiles.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
from collections import Counter, deque
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
from khabar.stories.cluster import ArticleFeatures, StoryClusterer, _dot, _is_term, _norm, features
from khabar.stories.stream import StoryStream
from khabar.text import match_key

HOUR = 3600.0  # window-days keeps and drops the counts by the hour of the stream clock


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
                 background: dict[str, float] | None = None, name_floor: float = 0.0,
                 horizon: float = 0.0, decay_docs: float = 0.0,
                 decay_days: float = 0.0, window_days: float = 0.0) -> None:
        super().__init__(config)
        self.horizon = horizon
        # window-days: the counts learnt in each hour of the stream clock (POSIX seconds //
        # 3600; None: before the stream had a clock), taken out of `df` and `n_docs` once the
        # hour is older than the window
        self.window_days = window_days
        self.df_hours: dict[int | None, Counter[str]] = {}
        self.docs_hours: dict[int | None, int] = {}
        self._expire_at = math.inf  # the clock at which the oldest hour leaves the window
        # exponentially decayed counts (half-life in articles or in days of the stream clock),
        # each kept as (value, clock when last counted) and decayed when read
        self.decay_docs = decay_docs
        self.decay_days = decay_days
        self._rate = (math.log(2) / decay_docs if decay_docs
                      else math.log(2) / (decay_days * 86400.0) if decay_days else 0.0)
        self._dec: dict[str, tuple[float, float]] = {}
        self._ndec = (0.0, 0.0)
        self._seen = 0
        self.record: list[tuple[str, list[tuple[str, float, float, float]], set[str]]] | None = None
        self._last: tuple[ArticleFeatures, dict[str, float], dict[str, float]] | None = None
        self.delay_docs = delay_docs
        self.delay_hours = delay_hours
        self.background = background or {}
        self.background_docs = 0.0
        self.name_floor = name_floor
        self._pending: list[tuple[float, tuple[str, ...]]] = []  # in arrival order
        self.history_docs = self.history_left = 0

    def _clock(self, t: float | None = None) -> float:
        if self.decay_docs:
            return float(self._seen)
        t = self.now if t is None else t
        return t if t is not None else self._ndec[1]

    def _decayed(self, value: tuple[float, float], x: float) -> float:
        v, ref = value
        return v * math.exp(-self._rate * (x - ref)) if x > ref else v

    def _learn_decayed(self, distinct: Iterable[str], t: float | None = None) -> None:
        self._seen += 1
        x = self._clock(t)
        self._ndec = (self._decayed(self._ndec, x) + 1.0, x)
        dec = self._dec
        for term in distinct:
            old = dec.get(term)
            dec[term] = ((self._decayed(old, x) if old else 0.0) + 1.0, x)

    def learn_at(self, t: float, terms: Iterable[str]) -> None:
        """Count a history article of time `t` (warm-days) with the stream clock at `t`, as the
        stream that stored it counted it (a store keeps its clock: its newest article's time)."""
        if self.now is None or t > self.now:
            self.now = t
        distinct = tuple(terms.keys() if isinstance(terms, dict) else set(terms))
        if self._rate:
            self._learn_decayed(distinct, t)
        self._count(distinct)

    def _count(self, terms: Iterable[str]) -> None:
        """The library's count (`StoryClusterer.learn`), through the window when there is one."""
        if self.window_days:
            self._learn_hour(terms.keys() if isinstance(terms, dict) else set(terms))
        StoryClusterer.learn(self, terms)

    def learn(self, terms: Iterable[str]) -> None:
        if self._rate:
            self._learn_decayed(terms.keys() if isinstance(terms, dict) else set(terms))
        if not (self.delay_docs or self.delay_hours):
            return self._count(terms)
        distinct = tuple(terms.keys() if isinstance(terms, dict) else set(terms))
        t = self.now  # `add` has just advanced the clock to the article's time (dated ones)
        if t is None and not self.delay_docs:
            return self._count(distinct)
        pending = self._pending
        horizon = t - self.delay_hours * 3600.0 if self.delay_hours and t is not None else None
        while pending and ((horizon is not None and pending[0][0] <= horizon)
                           or (self.delay_docs and len(pending) >= self.delay_docs)):
            self._count(pending.pop(0)[1])
        pending.append((t if t is not None else -math.inf, distinct))

    # -- window-days: counts by the hour of the stream clock (measured in the library's
    # StoryClusterer and StoryStore, with the store's counts by hour, in December 2026, then
    # taken out: see docs/performance.md, "the idf over a window")

    def _learn_hour(self, distinct: Iterable[str]) -> None:
        now = self.now
        if now is None:
            hour = None
        else:
            hour = math.floor(now / HOUR)
            if now >= self._expire_at:
                self._expire_hours(now)
            if None in self.docs_hours:  # counted before there was a clock: this hour's now
                self.df_hours.setdefault(hour, Counter()).update(self.df_hours.pop(None))
                self.docs_hours[hour] = self.docs_hours.get(hour, 0) + self.docs_hours.pop(None)
                self._set_expiry()
        counts = self.df_hours.get(hour)
        if counts is None:
            counts = self.df_hours[hour] = Counter()
            self.docs_hours[hour] = 0
            self._set_expiry()
        counts.update(distinct)
        self.docs_hours[hour] += 1

    def _set_expiry(self) -> None:
        oldest = min((h for h in self.docs_hours if h is not None), default=None)
        self._expire_at = (math.inf if oldest is None
                           else (oldest + 1) * HOUR + self.window_days * 86400.0)

    def _expire_hours(self, now: float) -> None:
        """Take the hours older than the window (every second of them before now - window)
        out of the counts."""
        limit = math.floor((now - self.window_days * 86400.0) / HOUR)
        df = self.df
        for hour in sorted(h for h in self.docs_hours if h is not None and h < limit):
            counts = self.df_hours.pop(hour)
            self.n_docs -= self.docs_hours.pop(hour)
            left = {t: v for t, n in counts.items() if (v := df[t] - n) > 0}
            deque(map(df.pop, counts.keys() - left.keys()), maxlen=0)
            dict.update(df, left)  # set, not added (Counter.update adds)
        self._set_expiry()

    def vectors(self, f: ArticleFeatures, tf: Any = None) -> tuple[dict[str, float], dict[str, float]]:
        if not (self.background or self.name_floor or self.horizon or self._rate):
            vec, tvec = super().vectors(f, tf)
            self._last = (f, vec, tvec)
            return vec, tvec
        tf = self._tf(f) if tf is None else tf
        n = self.n_docs + self.background_docs
        get = self.df.get
        if self._rate:
            x = self._clock()
            n = self._decayed(self._ndec, x) + self.background_docs
            dec, decayed = self._dec, self._decayed

            def get(t: str, default: float = 0.0) -> float:
                v = dec.get(t)
                return decayed(v, x) if v else default
        # horizon=W: counts of more than W documents scaled down to W (relative frequencies kept)
        scale = self.horizon / n if self.horizon and n > self.horizon else 1.0
        lognum = math.log(n * scale + self.config.idf_prior_docs)
        bg, log = self.background.get, math.log
        floor = self.name_floor * lognum
        names = f.name_words if self.name_floor else frozenset()

        def idf(t: str) -> float:
            v = lognum - log((get(t, 0) + bg(t, 0.0)) * scale + 1.0)
            return max(v, floor) if t in names else v

        vec = _norm({t: (1.0 + log(n)) * idf(t) for t, n in tf.items()})
        tvec = _norm({t: idf(t) for t in f.title_keys if _is_term(t)})
        self._last = (f, vec, tvec)
        return vec, tvec

    def candidates(self, vec: dict[str, float]) -> list[str]:
        found = super().candidates(vec)
        if self.record is not None and self._last is not None and self._last[1] is vec:
            f, vec, tvec = self._last
            rows = [(sid, self.score(f, vec, tvec, story), *self.components(vec, tvec, story))
                    for sid, story in self.active.items()]
            self.record.append((f.id, rows, set(found)))
        return found

    def components(self, vec: dict[str, float], tvec: dict[str, float], story: Any) -> tuple[float, float]:
        """The text link (centroid and seed cosines mixed) and the best title cosine, as `_score`."""
        c = self.config
        raw = _dot(vec, story.centroid)
        cos = raw / story.cnorm if story.cnorm else 0.0
        if story.size and c.seed_link:
            seed = raw / story.size if story.size == 1 or not story.seed else _dot(vec, story.seed)
            cos = (1.0 - c.seed_link) * cos + c.seed_link * seed
        return cos, story.title_cos(tvec) if tvec else 0.0


def parse(spec: str) -> dict[str, float]:
    out: dict[str, float] = {}
    if spec == "-":
        return out
    for part in spec.split(","):
        name, _, value = part.partition("=")
        if name not in ("delay-docs", "delay-hours", "background", "name-floor", "warm-days",
                        "horizon", "window-days", "shift", "decay-docs", "decay-days"):
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
                    name_floor=variant.get("name-floor", 0.0), horizon=variant.get("horizon", 0.0),
                    decay_docs=variant.get("decay-docs", 0.0), window_days=variant.get("window-days", 0.0),
                    decay_days=variant.get("decay-days", 0.0))
    if background:
        cl.background_docs = variant["background"]
    if variant.get("warm-days"):
        start = min(a.published.timestamp() for a in articles if a.published)
        since = start - variant["warm-days"] * 86400.0
        for t, aid, terms in corpus_terms(golds_kind):
            if since <= t < start and aid not in gold_ids:
                cl.learn_at(t, terms)
    cl.history_docs = cl.n_docs  # what the counts hold after the history ...
    cl.history_left = cl.n_docs  # ... and what is left of it when the gold's first article comes
    if variant.get("warm-days") and cl.window_days:
        limit = math.floor((start - cl.window_days * 86400.0) / HOUR)
        cl.history_left = sum(n for h, n in cl.docs_hours.items() if h is None or h >= limit)
    stream.clusterer = cl
    return stream


def run(golds: dict[str, Any], spec: str, thresholds: tuple[float, ...] = B.BAND,
        dev_only: bool = False) -> dict[str, Any]:
    """The band mean of one variant on each development gold (`thresholds` other than the band:
    pairwise F1 at each of them too, and the best one). `dev_only`: ANT March scored on its days
    11-12 alone (day 13, held out, neither scored nor printed)."""
    variant = parse(spec)
    shift = variant.get("shift", 0.0)
    row: dict[str, Any] = {}
    curves: dict[str, list[float]] = {}
    for name, (articles, gold, days) in golds.items():
        kind = "ant" if name.startswith("ant") else "snn"
        subsets = {} if dev_only and name == "ant_march" else {name: gold}
        if name == "ant_march":
            subsets["ant_march_days_11_12"] = {i: s for i, s in gold.items() if days.get(i) in B.TUNE_DAYS}
        runs: dict[str, list[dict[str, Any]]] = {k: [] for k in subsets}
        at: dict[str, float] = {}
        for t in thresholds:
            config = replace(ClusterConfig(), threshold=round(t + shift, 4))
            stream = make_stream(config, variant, kind, articles, set(gold))
            pred = {a.article_id: a.story for a in stream.assign(articles)}
            for key, sub in subsets.items():
                sc = B.scores(pred, sub)
                runs[key].append(sc)
                if t == 0.15:
                    at[key] = sc["pairwise"]["f1"]
        for key, rs in runs.items():
            row[key] = {kind: round(sum(r[kind]["f1"] for r in rs) / len(rs), 4) for kind in ("pairwise", "bcubed")}
            row[key]["pairwise_at_0.15"] = at.get(key, float("nan"))
            curves[key] = [r["pairwise"]["f1"] for r in rs]
    three = ("ant_june", "snn_2015-08-03", "snn_2015-08-04")
    if not dev_only:
        row["mean_pairwise"] = round(sum(row[k]["pairwise"] for k in ("ant_march", *three)) / 4, 4)
    row["mean_pairwise_ant_days_11_12"] = round(
        sum(row[k]["pairwise"] for k in ("ant_march_days_11_12", *three)) / 4, 4)
    label = f"{spec:28} " if thresholds == B.BAND else f"{spec:28} mean over {len(thresholds)} thresholds: "
    print(label + "  ".join(f"{k} {v['pairwise']:.4f} ({v['bcubed']:.3f}) @{v['pairwise_at_0.15']:.3f}"
                            for k, v in row.items() if isinstance(v, dict))
          + ("" if dev_only else f"  mean {row['mean_pairwise']:.4f},")
          + f" with days 11-12 {row['mean_pairwise_ant_days_11_12']:.4f}", flush=True)
    if thresholds != B.BAND:
        # pairwise F1 at each threshold; the best, and the best band of five around a centre
        keys = list(curves)
        mean = [sum(curves[k][i] for k in keys if k != "ant_march") / 4 for i in range(len(thresholds))]
        curves["mean of the four"] = mean
        row["curves"] = {k: [round(x, 4) for x in v] for k, v in curves.items()}
        row["thresholds"] = [round(t + shift, 4) for t in thresholds]
        print("    threshold     " + " ".join(f"{t + shift:6.3f}" for t in thresholds))
        for k, v in curves.items():
            best = max(range(len(v)), key=lambda i: (v[i], -abs(thresholds[i] - 0.15)))
            five = [sum(v[max(0, i - 2): i + 3]) / len(v[max(0, i - 2): i + 3]) for i in range(len(v))]
            bb = max(range(2, len(v) - 2), key=lambda i: five[i]) if len(v) >= 5 else best
            print(f"    {k:22}" + " ".join(f"{x:6.3f}" for x in v)
                  + f"   best {v[best]:.3f} at {thresholds[best] + shift:.3f};"
                  + f" best band of 5 {five[bb]:.4f} around {thresholds[bb] + shift:.3f}", flush=True)
    return row


def decisions(golds: dict[str, Any], spec: str) -> dict[str, Any]:
    """What the threshold sees: at the shipped threshold, for each article the best score (and
    its text link and title cosine) among the active stories that already hold an article of its
    gold story ("right") and among those that hold none ("wrong"), exact scores over every active
    story (not only the retrieved candidates). Printed per development gold: quartiles of both,
    the share of right / wrong bests at or over a few thresholds, and the threshold with the most
    right decisions on these states (join a right story: the best score is a right one and
    reaches it; none to join: the best wrong one stays under it)."""
    variant = parse(spec)
    out: dict[str, Any] = {}
    for name, (articles, gold, days) in golds.items():
        kind = "ant" if name.startswith("ant") else "snn"
        sub = gold
        if name == "ant_march":
            sub = {i: s for i, s in gold.items() if days.get(i) in B.TUNE_DAYS}
            name = "ant_march_days_11_12"
        stream = make_stream(ClusterConfig(), variant, kind, articles, set(gold))
        cl = stream.clusterer
        cl.record = []
        assigned = stream.assign(articles)
        pos = {a.article_id: n for n, a in enumerate(assigned)}
        story_of = {a.article_id: a.story for a in assigned}
        members: dict[str, list[str]] = {}
        for a in assigned:
            members.setdefault(a.story, []).append(a.article_id)
        rights, wrongs, firsts = [], [], []  # (score, link, title cos) of the best; firsts: no right story
        joined_right = 0
        for aid, rows, _ in cl.record:
            if aid not in sub:
                continue
            g = sub[aid]
            best_r = best_w = None
            for sid, score, link, tcos in rows:
                before = [m for m in members.get(sid, ()) if pos[m] < pos[aid]]
                right = any(gold.get(m) == g for m in before)
                if right and (best_r is None or score > best_r[0]):
                    best_r = (score, link, tcos)
                if not right and (best_w is None or score > best_w[0]):
                    best_w = (score, link, tcos)
            w = best_w or (-1.0, 0.0, 0.0)
            if best_r is None:
                firsts.append(w)
            else:
                rights.append(best_r)
                wrongs.append(w)
                joined_right += story_of[aid] != aid and gold.get(story_of[aid]) == g
        def q(xs: list[float]) -> str:
            xs = sorted(xs)
            if not xs:
                return "-"
            return "/".join(f"{xs[min(len(xs) - 1, int(p * len(xs)))]:.3f}" for p in (0.25, 0.5, 0.75))
        grid = [round(0.05 + 0.005 * i, 3) for i in range(51)]
        def right_decisions(t: float, rights: list = rights, wrongs: list = wrongs,
                            firsts: list = firsts) -> int:
            ok = sum(1 for r, w in zip(rights, wrongs) if r[0] >= t and r[0] >= w[0])
            return ok + sum(1 for w in firsts if w[0] < t)
        best_t = max(grid, key=lambda t: (right_decisions(t), -abs(t - 0.15)))
        res = {"articles with a right story": len(rights), "articles with none": len(firsts),
               "right best score q25/50/75": q([r[0] for r in rights]),
               "right best link": q([r[1] for r in rights]), "right best title cos": q([r[2] for r in rights]),
               "wrong best score (articles with a right story)": q([w[0] for w in wrongs]),
               "wrong best score (articles with none)": q([w[0] for w in firsts]),
               "wrong best link (none)": q([w[1] for w in firsts]),
               "wrong best title cos (none)": q([w[2] for w in firsts]),
               "right >= t at 0.13/0.15/0.17": "/".join(
                   f"{sum(r[0] >= t for r in rights) / max(1, len(rights)):.2f}" for t in (0.13, 0.15, 0.17)),
               "none's wrong >= t at 0.13/0.15/0.17": "/".join(
                   f"{sum(w[0] >= t for w in firsts) / max(1, len(firsts)):.2f}" for t in (0.13, 0.15, 0.17)),
               "right decisions at 0.15": right_decisions(0.15),
               "best threshold on these states": f"{best_t} ({right_decisions(best_t)})",
               "history documents counted / left at the gold's first article":
                   f"{cl.history_docs} / {cl.history_left}"}
        out[name] = res
        print(f"{spec} {name}: " + "; ".join(f"{k} {v}" for k, v in res.items()), flush=True)
    return out


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
    ap.add_argument("--thresholds", help="FROM:TO:STEP (e.g. 0.09:0.25:0.01): pairwise F1 at each, the"
                    " best and the mean over them, instead of the band 0.13-0.17")
    ap.add_argument("--dev-only", action="store_true",
                    help="ANT March on its days 11-12 alone (held-out day 13 not scored)")
    ap.add_argument("--decisions", action="store_true",
                    help="instead of scores: the best right and wrong scores each article sees (dev golds)")
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
    if args.decisions:
        return {spec: decisions(golds, spec) for spec in args.variants}
    thresholds = B.BAND
    if args.thresholds:
        lo, hi, step = map(float, args.thresholds.split(":"))
        thresholds = tuple(round(lo + step * i, 4) for i in range(round((hi - lo) / step) + 1))
    return {spec: run(golds, spec, thresholds, args.dev_only) for spec in args.variants}


if __name__ == "__main__":
    main()
