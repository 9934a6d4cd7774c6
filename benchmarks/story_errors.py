"""Story clustering's pairwise errors by cause: `python benchmarks/story_errors.py`.

The four development golds (ANT March, ANT June, SaudiNewsNet 2015-08-03 and 2015-08-04
through the pipeline, as `clustering.py --band` scores them; never a held-out gold), clustered
at one threshold (default: the shipped one). The stream is greedy and never moves an article,
so every predicted pair, and every gold pair it misses, is made by the decision of the pair's
later article: it joined story T (or began one), and its earlier partner sits in story S. Each
error pair is counted under that decision, so the counts add up exactly to the pairs a pairwise
F1 scores.

**Gold pairs split** (the later article did not join S, the story of its earlier partner), by
where the candidate S was lost:

* `already in pieces`: T holds an earlier article of the same gold story too (its story had been
  split by an earlier decision; the article could join one piece only);
* `copy forced elsewhere`: a near-duplicate of another article put it in T;
* `aged out`: S had left the active window;
* `not retrieved`: S was active but not among the candidates of the inverted index (the score
  it would have had is given: over the threshold or not);
* `below threshold`: retrieved, scored under the threshold;
* `outscored`: scored over the threshold, but a wrong story T scored higher;

and, for `not retrieved` and `below threshold`, by what the pair looks like (first match):
`short` (the article or S's first article has under SHORT body words: a title-only item, a
video caption), `time decay` / `same outlet` / a penalty term (with that term off the score
reaches the threshold), `text, follow-up` (the article comes SIX_HOURS or more after S's first
article: an update told in other words) and `text, same time` (another telling of the same
moment that shares few words).

**Wrong pairs merged** (the later article joined T, which holds articles of other gold stories),
by decision: `collateral` (T also holds articles of its own gold story: the mixing was done by an
earlier decision), `copy forced`, else a wrong join, by what it looks like (first match): `short`,
`bonus decides` (with the title predicate bonus or the name agreement off the score is under the
threshold), `roundup` (the article's title or T's first title lists several events: SEPARATORS),
`same outlet` (T already has the article's outlet: one outlet's series or template), `shared
names` (the article names someone or somewhere T names: another development of one saga, or
two stories of one place on one day) and `text only` (no name in common).

`--variants V ...` instead judges changes aimed at the causes, measured and not kept (docs/
performance.md, "the errors by cause"), as `clustering.py --band --orders` judges a setting:
pairwise F1 averaged over the thresholds 0.13-0.17, per gold, with the articles' times, cut to
the day in three random orders (their mean), cut to the day by outlet, and undated by outlet.
`-` is the defaults; `bridge=M` merges the stories an article bridges (a second candidate
scoring at least the threshold + M is merged into the one it joins; `bridge=M,day=D` only
stories begun within D days of each other); `stem=S1,S2` strips the first of these suffixes a
clustering term (match key) ends with when three letters or more remain (`stem=ه`: ة and the
pronoun ه); `short=N:W` gives an article with fewer than N body words the title weight W.

`--list` prints each error decision (pairs, cause, score, titles); `--order ORDER` feeds the
golds in one of `clustering.py --band --orders`'s orders (`day-random-1`, `day-outlet`,
`undated-outlet` ...); `--threshold T`; `--set FIELD=VALUE ...` changes ClusterConfig fields
(as `clustering.py --band`).
"""

from __future__ import annotations

import argparse
import heapq
import math
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from benchmarks import clustering as B
from khabar.model import Article
from khabar.stories import ClusterConfig
from khabar.stories.cluster import (
    STOPWORDS,
    ArticleFeatures,
    Decision,
    StoryClusterer,
    StoryState,
    _dot,
    _norm,
    features,
    term_counts,
)
from khabar.stories.stream import StoryStream

#: fewer body words than this: a title-only item, a caption, a brief
SHORT = 50
#: an article this long after the first article of the story it missed is a follow-up
SIX_HOURS = 6 * 3600.0
#: a title that strings events together (a roundup, a press review: `... و... و...`, `|`, `:`
#: twice); kept simple on purpose, a rough sign
SEPARATORS = re.compile(r"\||،.*،|[:؛].*[:؛]|\bأبرز\b|\bجولة\b|\bعناوين\b|\bالصحف\b")

#: the score terms switched off one at a time (ClusterConfig fields and their "off")
TERMS: dict[str, dict[str, float]] = {
    "time decay": {"decay_grace_days": 1e9},
    "same outlet": {"same_outlet_penalty": 0.0, "same_outlet_share_penalty": 0.0},
    "person clash": {"person_clash": 0.0},
    "title name clash": {"title_name_clash": 0.0},
    "date clash": {"date_clash": 0.0},
    "title actor clash": {"title_actor_clash": 0.0},
    "name agreement": {"name_agreement": 0.0},
    "title predicate bonus": {"title_predicate_bonus": 0.0},
}
BONUSES = ("name agreement", "title predicate bonus")


def dev_golds() -> dict[str, tuple[list[Article], dict[str, str]]]:
    ant = B.ant_processed()
    return {"ant_march": (ant[0], ant[1]),
            "ant_june": B.ant_processed(B.ant_gold(B.ANT_DEV_2))[:2],
            "snn_2015-08-03": B.snn_gold(), "snn_2015-08-04": B.snn_gold(B.SNN_DEV_2)}


@dataclass
class Look:
    """One article's decision, with what it saw of the stories that matter to it."""

    article: str
    story: str  # the story it joined (its own id when it began one)
    forced: bool
    candidates: set[str]
    active: set[str]
    # story id -> (score, {term: score with the term off}, text link cosine, title cosine)
    scored: dict[str, tuple[float, dict[str, float], float, float]] = field(default_factory=dict)


class Recorder(StoryClusterer):
    """`StoryClusterer` that records, at each decision, the active stories, the candidates and
    the exact score (and with each TERMS off) of every active story holding an article of the
    same gold story and of every candidate. The same decisions as the plain clusterer."""

    def __init__(self, config: ClusterConfig, gold: dict[str, str]) -> None:
        super().__init__(config)
        self.gold = gold
        self.members: dict[str, list[str]] = defaultdict(list)
        self.looks: list[Look] = []
        self._f: ArticleFeatures | None = None
        self._tvec: dict[str, float] = {}
        self._look: Look | None = None

    def vectors(self, f: ArticleFeatures, tf: Any = None) -> Any:
        vec, tvec = super().vectors(f, tf)
        self._tvec = tvec
        return vec, tvec

    def candidates(self, vec: dict[str, float]) -> list[str]:
        found = super().candidates(vec)
        f, look = self._f, self._look
        if f is None or look is None:
            return found
        look.candidates = set(found)
        look.active = set(self.active)
        mine = self.gold.get(f.id)
        wanted = set(found) | {sid for sid in self.active
                               if any(self.gold.get(m) == mine for m in self.members[sid])}
        config = self.config
        for sid in wanted:
            story = self.active[sid]
            without = {}
            for term, off in TERMS.items():
                self.config = replace(config, **off)
                without[term] = self.score(f, vec, self._tvec, story)
            self.config = config
            cos = _dot(vec, story.centroid) / story.cnorm if story.cnorm else 0.0
            tcos = story.title_cos(self._tvec) if self._tvec else 0.0
            look.scored[sid] = (self.score(f, vec, self._tvec, story), without, cos, tcos)
        return found

    def add(self, f: ArticleFeatures, *, force_story: str | None = None) -> Any:
        self._f = f
        self._look = Look(f.id, "", force_story is not None, set(), set(self.active))
        decision = super().add(f, force_story=force_story)
        self._look.story = decision.story_id
        self.looks.append(self._look)
        self.members[decision.story_id].append(f.id)
        self._f = self._look = None
        return decision


def analyse(articles: list[Article], gold: dict[str, str], config: ClusterConfig,
            order: str = "times") -> dict[str, Any]:
    """The error pairs of one gold, by cause (see the module docstring), and each error
    decision (for `--list`)."""
    feats = {f.id: f for f in (features(a) for a in B._orders(articles, order))}
    stream = StoryStream(config)
    stream.clusterer = rec = Recorder(config, gold)
    assignments = stream.assign(list(feats.values()))
    pred = {a.article_id: a.story for a in assignments}
    t = config.threshold
    story_of: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    first: dict[str, str] = {}  # story -> its first article
    split: Counter[str] = Counter()
    split_kind: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    wrong_kind: Counter[str] = Counter()
    listing: list[dict[str, Any]] = []
    near: dict[str, list[float]] = defaultdict(list)

    for look in rec.looks:
        x = look.article
        f = feats[x]
        mine = gold.get(x)
        T = look.story
        in_t = members.get(T, [])
        mates_in_t = [m for m in in_t if gold.get(m) == mine]
        if mine is not None:
            # gold pairs this decision splits: earlier articles of its gold story outside T
            pieces: Counter[str] = Counter(story_of[m] for m in story_of
                                           if gold.get(m) == mine and story_of[m] != T)
            for S, n in pieces.items():
                sc = look.scored.get(S)
                if mates_in_t:
                    stage, kind = "already in pieces", ""
                elif look.forced:
                    stage, kind = "copy forced elsewhere", ""
                elif S not in look.active:
                    stage, kind = "aged out", ""
                elif S not in look.candidates:
                    stage = ("not retrieved (would have joined)" if sc and sc[0] >= t
                             else "not retrieved (under the threshold too)")
                    kind = _split_kind(f, feats[first[S]], sc, t)
                elif sc[0] < t:
                    stage = "below threshold"
                    kind = _split_kind(f, feats[first[S]], sc, t)
                else:
                    stage, kind = "outscored by a wrong story", ""
                split[stage] += n
                if kind:
                    split_kind[kind] += n
                    if sc:
                        near[f"split {kind}"].append(sc[2])
                listing.append({"error": "split", "pairs": n, "stage": stage, "kind": kind,
                                "score": sc[0] if sc else None, "article": x, "story": S,
                                "title": f.title, "story_title": feats[first[S]].title,
                                "outlet": f.outlet})
        others = [m for m in in_t if gold.get(m) != mine]
        if others and mine is not None:
            sc = look.scored.get(T)
            if mates_in_t:
                stage, kind = "collateral", ""
            elif look.forced:
                stage, kind = "copy forced", ""
            else:
                stage = "wrong join"
                kind = _wrong_kind(f, feats[first[T]], sc, t, in_t, feats)
            wrong[stage] += len(others)
            if kind:
                wrong_kind[kind] += len(others)
                if sc:
                    near[f"wrong {kind}"].append(sc[2])
            listing.append({"error": "wrong", "pairs": len(others), "stage": stage, "kind": kind,
                            "score": sc[0] if sc else None, "article": x, "story": T,
                            "title": f.title, "story_title": feats[first[T]].title,
                            "outlet": f.outlet})
        if T not in first:
            first[T] = x
        members[T].append(x)
        story_of[x] = T
    scored = B.scores(pred, gold)["pairwise"]
    tp = scored["pred_pairs"] - sum(wrong.values())
    return {"pairwise": scored, "right_pairs": tp, "split": dict(split.most_common()),
            "split_by_kind": dict(split_kind.most_common()), "wrong": dict(wrong.most_common()),
            "wrong_by_kind": dict(wrong_kind.most_common()),
            "median_link_cos": {k: round(statistics.median(v), 3) for k, v in sorted(near.items())},
            "listing": listing}


def _split_kind(f: ArticleFeatures, seed: ArticleFeatures, sc: Any, t: float) -> str:
    if len(f.body_keys) < SHORT or len(seed.body_keys) < SHORT:
        return "short"
    if sc is not None:
        for term, v in sc[1].items():
            if term not in BONUSES and v >= t > sc[0]:
                return term
    gap = (f.time - seed.time) if f.time is not None and seed.time is not None else 0.0
    return "text, follow-up (6 h or more after)" if gap >= SIX_HOURS else "text, same time"


def _wrong_kind(f: ArticleFeatures, seed: ArticleFeatures, sc: Any, t: float, in_t: list[str],
                feats: dict[str, ArticleFeatures]) -> str:
    if len(f.body_keys) < SHORT or len(seed.body_keys) < SHORT:
        return "short"
    if sc is not None:
        for term in BONUSES:
            if sc[1][term] < t <= sc[0]:
                return f"bonus decides ({term})"
    if SEPARATORS.search(f.title or "") or SEPARATORS.search(seed.title or ""):
        return "roundup"
    if f.outlet and any(feats[m].outlet == f.outlet for m in in_t):
        return "same outlet"
    names = set()
    for m in in_t:
        names |= feats[m].entities
    if f.entities and not f.entities.isdisjoint(names):
        return "shared names"
    return "text only (no name in common)"


class Bridge(StoryClusterer):
    """`StoryClusterer` that merges into the story an article joins every other candidate story
    the article scores at least `merge_at` with (begun within `days` of it, when given): the
    pieces of one story an article bridges. The merged story's articles keep their story id in
    the stream; `alias` maps it to the story it went into."""

    def __init__(self, config: ClusterConfig, merge_at: float, days: float = 0.0) -> None:
        super().__init__(config)
        self.merge_at, self.days = merge_at, days
        self.alias: dict[str, str] = {}

    def resolve(self, sid: str) -> str:
        while sid in self.alias:
            sid = self.alias[sid]
        return sid

    def add(self, f: ArticleFeatures, *, force_story: str | None = None) -> Any:
        if force_story is not None:
            return super().add(f, force_story=self.resolve(force_story))
        self._advance(f.time)
        tf = self._tf(f)
        self.learn(tf)
        vec, tvec = self.vectors(f, tf)
        scored = sorted(((self.score(f, vec, tvec, self.active[sid]), sid)
                         for sid in self.candidates(vec)), key=lambda x: (-x[0], x[1]))
        if not scored or scored[0][0] < self.config.threshold:
            t = f.time if f.time is not None else self.now
            story = self.active[f.id] = StoryState(f.id, f.title, t, t)
            self._update(story, f, vec, tvec)
            return Decision(f.id, f.id, 0.0, True)
        best_score, best = scored[0]
        story = self.active[best]
        for sc, sid in scored[1:]:
            other = self.active.get(sid)
            if sc < self.merge_at or other is None:
                continue
            if self.days and (story.first is None or other.first is None
                              or abs(story.first - other.first) > self.days * 86400.0):
                continue
            self._merge(story, other)
        self._update(story, f, vec, tvec)
        return Decision(f.id, best, round(best_score, 4), False)

    def _merge(self, story: StoryState, other: StoryState) -> None:
        for k, w in other.centroid.items():
            story.centroid[k] = story.centroid.get(k, 0.0) + w
        story.size += other.size
        story.cnorm = math.sqrt(sum(v * v for v in story.centroid.values()))
        for tvec in other.title_vecs:
            story.add_title(tvec, self.config.title_vecs)
        story.outlets.update(other.outlets)
        story.entities.update(other.entities)
        if story.persons is not None and other.persons:
            story.persons.update(other.persons)
        story.name_words |= other.name_words
        if story.title_names is not None and other.title_names:
            story.title_names |= other.title_names
        if story.title_predicates is not None and other.title_predicates:
            story.title_predicates |= other.title_predicates
        story.facts |= other.facts
        if other.first is not None:
            story.first = other.first if story.first is None else min(story.first, other.first)
        if other.last is not None:
            story.last = other.last if story.last is None else max(story.last, other.last)
        if story.last is not None:
            heapq.heappush(self._expiry, (story.last, story.id))
        self._drop(other.id)
        self.alias[other.id] = story.id
        self._reindex(story)


class Stemmed(StoryClusterer):
    """`StoryClusterer` whose terms (body and title) lose the first of `suffixes` they end with
    when three letters or more remain."""

    def __init__(self, config: ClusterConfig, suffixes: tuple[str, ...]) -> None:
        super().__init__(config)
        self.suffixes = suffixes
        self._stems: dict[str, str] = {}

    def stem(self, key: str) -> str:
        out = self._stems.get(key)
        if out is None:
            out = key
            if key and "\u0621" <= key[0] <= "\u064a":
                for suffix in self.suffixes:
                    if key.endswith(suffix) and len(key) - len(suffix) >= 3:
                        out = key[: -len(suffix)]
                        break
            self._stems[key] = out
        return out

    def _tf(self, f: ArticleFeatures) -> Any:
        c = self.config
        return term_counts([self.stem(k) for k in f.title_keys], [self.stem(k) for k in f.body_keys],
                           c.lead_words, c.body_words, c.lead_tf, c.title_tf)

    def vectors(self, f: ArticleFeatures, tf: Any = None) -> Any:
        vec, _ = super().vectors(f, tf)
        lognum = math.log(self.n_docs + self.config.idf_prior_docs)
        keys = [self.stem(t) for t in f.title_keys if len(t) > 1 and t not in STOPWORDS]
        tvec = _norm({t: lognum - math.log(self.df.get(t, 0) + 1.0) for t in keys if len(t) > 1})
        return vec, tvec


class ShortTitle(StoryClusterer):
    """`StoryClusterer` that scores an article with fewer than `words` body words with the
    title weight `weight` (its body says little; its headline says what happened)."""

    def __init__(self, config: ClusterConfig, words: int, weight: float) -> None:
        super().__init__(config)
        self.words, self.weight = words, weight

    def add(self, f: ArticleFeatures, *, force_story: str | None = None) -> Any:
        if len(f.body_keys) >= self.words:
            return super().add(f, force_story=force_story)
        config = self.config
        self.config = replace(config, title_weight=self.weight)
        try:
            return super().add(f, force_story=force_story)
        finally:
            self.config = config


def variant_clusterer(variant: str, config: ClusterConfig) -> StoryClusterer:
    """The clusterer of one `--variants` spec (see the module docstring)."""
    if variant == "-":
        return StoryClusterer(config)
    name, _, value = variant.partition("=")
    if name == "bridge":
        margin, _, days = value.partition(",day=")
        return Bridge(config, config.threshold + float(margin), float(days or 0))
    if name == "stem":
        return Stemmed(config, tuple(value.split(",")))
    if name == "short":
        words, _, weight = value.partition(":")
        return ShortTitle(config, int(words), float(weight))
    raise SystemExit(f"unknown variant {variant!r} (-, bridge=M[,day=D], stem=S1,S2, short=N:W)")


#: the inputs `--variants` scores (as `clustering.py --band --orders`; the random orders averaged)
SCENARIOS = {"times": ("times",), "day, random orders (mean of 3)": B.ORDERS[:3],
             "day, by outlet": ("day-outlet",), "undated, by outlet": ("undated-outlet",)}


def judge(variant: str, golds: dict[str, tuple[list[Article], dict[str, str]]]) -> dict[str, Any]:
    """Pairwise F1 of one variant averaged over the band of thresholds, per gold and scenario."""
    out: dict[str, Any] = {}
    for scenario, orders in SCENARIOS.items():
        row: dict[str, Any] = {}
        for name, (articles, gold) in golds.items():
            runs = []
            for order in orders:
                items = B._orders(articles, order)
                for t in B.BAND:
                    stream = StoryStream(replace(ClusterConfig(), threshold=t))
                    stream.clusterer = clusterer = variant_clusterer(variant, stream.config)
                    resolve = getattr(clusterer, "resolve", lambda s: s)
                    pred = {a.article_id: resolve(a.story) for a in stream.assign(items)}
                    runs.append(B.scores(pred, gold)["pairwise"]["f1"])
            row[name] = round(sum(runs) / len(runs), 4)
        row["mean"] = round(sum(row.values()) / len(golds), 4)
        out[scenario] = row
        print(f"{variant:18} {scenario:31} " + "  ".join(f"{n} {v:.4f}" for n, v in row.items()),
              flush=True)
    return out


def _print(name: str, r: dict[str, Any]) -> None:
    p = r["pairwise"]
    print(f"{name}: pairwise P/R/F1 {p['precision']:.3f}/{p['recall']:.3f}/{p['f1']:.3f}; "
          f"gold pairs {p['gold_pairs']}, found {r['right_pairs']}, split "
          f"{p['gold_pairs'] - r['right_pairs']}; predicted {p['pred_pairs']}, wrong "
          f"{p['pred_pairs'] - r['right_pairs']}")
    print("  split, where lost:  " + "; ".join(f"{k} {v}" for k, v in r["split"].items()))
    print("  split, what it is:  " + "; ".join(f"{k} {v}" for k, v in r["split_by_kind"].items()))
    print("  wrong, decision:    " + "; ".join(f"{k} {v}" for k, v in r["wrong"].items()))
    print("  wrong, what it is:  " + "; ".join(f"{k} {v}" for k, v in r["wrong_by_kind"].items()))


def main(argv: Iterable[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", action="store_true", help="print each error decision")
    ap.add_argument("--order", default="times", help="an order of clustering.py --band --orders")
    ap.add_argument("--threshold", type=float, help="default: ClusterConfig's")
    ap.add_argument("--set", nargs="*", default=[], metavar="FIELD=VALUE",
                    help="ClusterConfig fields changed (as clustering.py --band)")
    ap.add_argument("--variants", nargs="+", metavar="V",
                    help="judge these changes over the band and the orders instead (-, bridge=M, "
                         "bridge=M,day=D, stem=S1,S2, short=N:W)")
    args = ap.parse_args(list(argv) if argv is not None else None)
    if args.variants:
        golds = dev_golds()
        return {v: judge(v, golds) for v in args.variants}
    config = ClusterConfig()
    for setting in args.set:
        config = B._override(config, setting)
    if args.threshold is not None:
        config = replace(config, threshold=args.threshold)
    out: dict[str, Any] = {}
    total: dict[str, Counter[str]] = defaultdict(Counter)
    for name, (articles, gold) in dev_golds().items():
        r = out[name] = analyse(articles, gold, config, args.order)
        _print(name, r)
        for key in ("split", "split_by_kind", "wrong", "wrong_by_kind"):
            total[key].update(r[key])
        if args.list:
            for row in sorted(r["listing"], key=lambda x: -x["pairs"]):
                score = "  -  " if row["score"] is None else f"{row['score']:.3f}"
                print(f"    {row['error']:5} {row['pairs']:3} {score} {row['stage']} [{row['kind']}] "
                      f"{row['outlet']}: {(row['title'] or '')[:70]} || {(row['story_title'] or '')[:60]}")
    print(f"all four ({config.threshold}, {args.order}):")
    for key in ("split", "split_by_kind", "wrong", "wrong_by_kind"):
        print(f"  {key:14} " + "; ".join(f"{k} {v}" for k, v in total[key].most_common()))
    return out


if __name__ == "__main__":
    main()
