"""A learned join decision for story clustering: `python benchmarks/story_join.py`.

The streaming clusterer joins an article to its best candidate story when a hand-built score
(body and title cosines, names, clashes, time decay, same-outlet penalty ...) reaches the
threshold. This script learns that decision instead: for every (article, candidate story) the
clusterer scores, it records the signals the clusterer computes and a few cheap others
(`Learned.signals`, named in `SIGNALS`: the hand score itself, the centroid, seed and title
cosines, the share and count of shared names, each clash and bonus as 0/1, the time gap to the
story's first article, undated, same outlet and its share of the story, shared figures, the
story's size and outlets, the article's length), labelled by the gold (1 when the candidate holds an earlier
article of the article's gold story), and fits a logistic regression (plain numpy: Newton's
method with a small L2 penalty on standardized signals). The model scores a candidate on the
hand score's scale (`JoinModel`: center + logit / slope, slope the logit per unit of hand score
fitted on the same data), so the band of thresholds 0.13-0.17 means for it what it means for
the hand score.

The states are the stream's: a decision changes the stories later articles see, so the
signals are recorded in the streams the clusterer really produces, on the four development
golds (ANT March, ANT June, SaudiNewsNet 2015-08-03 and 2015-08-04 through the pipeline, as
`clustering.py --band` reads them; never a held-out gold) in every order of `clustering.py
--band --orders` (the articles' times, cut to the day in three random orders, by outlet, and
undated by outlet). Round 1 records the hand scorer's streams; round 2 (`--rounds 2`) adds
those of the round-1 model's own streams (on the training golds) and fits again.

Leave one gold out: for each development gold, a model is fitted on the other three and that
gold is scored with it as `clustering.py --band --orders` scores a setting (pairwise F1 averaged
over thresholds 0.13-0.17, the random orders averaged), so no figure is on data its model saw;
the hand-built score's figures are printed first. Options: `--rounds 2`; `--l2 X` (penalty on
standardized signals, default 1); `--near LO:HI` fits on the candidates whose hand score is
within (the decision's region); `--weigh` counts a candidate as the pairs joining it makes
(its gold mates there, else its members: pairwise F1 counts pairs); `--anchor` fits a
correction to the hand score's own logit (the L2 penalty shrinks it to none: the hand score);
`--use NAME ...` fits these signals only (`--use score --l2 0` is the hand score itself: the
same figures, a check of the machinery); `--fit-all PATH` fits on all four golds and writes the
model (JSON). `--cache PATH` keeps the golds through the pipeline in a pickle.

Measured, nothing kept (docs/performance.md, "a learned join decision"): no setting beat the
hand-built score across the orders; `ClusterConfig` and the library are unchanged, and the
scoring lives here (`Learned`: the library's clusterer with `_score` replaced).
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from benchmarks import clustering as B
from khabar.model import Article
from khabar.stories import ClusterConfig
from khabar.stories.cluster import (
    ArticleFeatures,
    StoryClusterer,
    StoryState,
    _dot,
    _full_dates,
    _same_person,
    _written_in_article,
    _written_in_story,
)
from khabar.stories.stream import StoryStream

#: the orders of `clustering.py --band --orders`, and the scenarios they are averaged into
ORDERS = ("times", *B.ORDERS)
SCENARIOS = {"times": ("times",), "day, random orders (mean of 3)": B.ORDERS[:3],
             "day, by outlet": ("day-outlet",), "undated, by outlet": ("undated-outlet",)}
#: L2 penalty of the fit (on standardized signals; the intercept is not penalized)
L2 = 1.0
#: the hand score's default threshold: where the model's logit 0 sits on the hand scale
CENTER = ClusterConfig().threshold

Golds = dict[str, tuple[list[Article], dict[str, str]]]


def dev_golds(cache: Path | None = None) -> Golds:
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    ant = B.ant_processed()
    golds = {"ant_march": (ant[0], ant[1]),
             "ant_june": B.ant_processed(B.ant_gold(B.ANT_DEV_2))[:2],
             "snn_2015-08-03": B.snn_gold(), "snn_2015-08-04": B.snn_gold(B.SNN_DEV_2)}
    if cache is not None:
        with cache.open("wb") as fh:
            pickle.dump(golds, fh)
    return golds


#: the signals `Learned.signals` gives for one (article, candidate story), in order
SIGNALS = ("score", "centroid_cos", "seed_cos", "title_cos", "name_share", "names_both",
           "shared_names", "person_clash", "title_name_clash", "title_actor_clash",
           "title_predicate", "gap_days", "undated", "same_outlet", "outlet_share", "date_clash",
           "facts_shared", "story_size", "story_outlets", "body_words")


@dataclass(frozen=True, slots=True)
class JoinModel:
    """A logistic regression over `SIGNALS` (standardized by `mean` / `scale`) that scores a
    candidate story on the hand score's scale: `center + logit / slope`, where `slope` is the
    logit per unit of hand score of the same data, so `ClusterConfig.threshold` moves the cut as
    it moves the hand score's. Plain Python at scoring time; fitted by `fit`."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    slope: float
    center: float

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> JoinModel:
        names = tuple(d["names"])
        if names != SIGNALS:
            raise ValueError(f"join model signals {names} are not this code's {SIGNALS}")
        return cls(names, tuple(map(float, d["mean"])), tuple(map(float, d["scale"])),
                   tuple(map(float, d["weights"])), float(d["bias"]), float(d["slope"]),
                   float(d["center"]))

    def to_dict(self) -> dict[str, Any]:
        return {"names": list(self.names), "mean": list(self.mean), "scale": list(self.scale),
                "weights": list(self.weights), "bias": self.bias, "slope": self.slope,
                "center": self.center}

    def logit(self, x: Sequence[float]) -> float:
        z = self.bias
        for v, m, s, w in zip(x, self.mean, self.scale, self.weights):
            z += w * (v - m) / s
        return z

    def score(self, x: Sequence[float]) -> float:
        return self.center + self.logit(x) / self.slope


class TreeModel:
    """Gradient-boosted trees (scikit-learn, `--trees`: needs scikit-learn, which khabar does not
    depend on) over `SIGNALS`, on the hand score's scale as `JoinModel`: center + (logit -
    cut) / slope. Scored a whole article's candidates at a time."""

    def __init__(self, estimator: Any, slope: float, cut: float, center: float) -> None:
        self.estimator, self.slope, self.cut, self.center = estimator, slope, cut, center

    def scores(self, x: np.ndarray) -> np.ndarray:
        return self.center + (self.estimator.decision_function(x) - self.cut) / self.slope

    def score(self, x: Sequence[float]) -> float:
        return float(self.scores(np.asarray([x], dtype=np.float64))[0])


class Learned(StoryClusterer):
    """`StoryClusterer` scoring each candidate story with `join_model` (None: the hand-built
    score, exactly as the library's)."""

    def __init__(self, config: ClusterConfig, model: JoinModel | TreeModel | None = None
                 ) -> None:
        super().__init__(config)
        self.join_model = model
        self._f: ArticleFeatures | None = None
        self._tvec: dict[str, float] = {}
        self._batch: dict[str, float] = {}  # a TreeModel's scores of this article's candidates

    def vectors(self, f: ArticleFeatures, tf: Any = None) -> Any:
        vec, tvec = super().vectors(f, tf)
        self._tvec = tvec
        return vec, tvec

    def candidates(self, vec: dict[str, float]) -> list[str]:
        found = super().candidates(vec)
        model, f = self.join_model, self._f
        self._batch = {}
        if isinstance(model, TreeModel) and found and f is not None:
            rows = [self.signals(f, vec, self._tvec, self.active[sid]) for sid in found]
            self._batch = dict(zip(found, model.scores(np.asarray(rows))))
        return found

    def add(self, f: ArticleFeatures, *, force_story: str | None = None) -> Any:
        self._f = f
        try:
            return super().add(f, force_story=force_story)
        finally:
            self._f = None

    def signals(self, f: ArticleFeatures, vec: dict[str, float], tvec: dict[str, float],
                story: StoryState) -> list[float]:
        """The `SIGNALS` of the article against one candidate story, from what the hand score
        looks at (its exact value first) and the story's state: no state of its own, so a
        story restored from a store is scored as one built in the stream."""
        c = self.config
        score = StoryClusterer._score(self, f, vec, tvec, story, -math.inf)
        raw = _dot(vec, story.centroid)
        ccos = raw / story.cnorm if story.cnorm else 0.0
        if story.size > 1 and story.seed:
            seed = _dot(vec, story.seed)
        else:
            seed = raw / story.size if story.size else 0.0
        tcos = story.title_cos(tvec) if tvec else 0.0
        both = bool(f.entities and story.entities)
        shared = sum(1 for e in f.entities if e in story.entities) if both else 0
        share = shared / len(f.entities) if both else 0.0
        same = bool(f.outlet and f.outlet in story.outlets)
        person = bool(same and f.persons and story.persons
                      and not _same_person(f.persons, story.persons))
        title = bool(f.title_names and story.title_names
                     and f.title_names.isdisjoint(story.name_words)
                     and story.title_names.isdisjoint(f.name_words)
                     and not _written_in_story(f.title_names, story)
                     and not _written_in_article(story.title_names, f))
        actor = bool(f.title_actor and story.title_index and f.title_actor not in story.title_index)
        t = f.time if f.time is not None else self.now
        gap = (abs(t - story.first) / 86400.0 if t is not None and story.first is not None
               else 0.0)
        predicate = bool(f.title_predicates and story.title_predicates
                         and not f.title_predicates.isdisjoint(story.title_predicates)
                         and shared and gap <= c.title_predicate_days)
        date = bool(f.days and f.days.isdisjoint(story.facts) and _full_dates(story.facts))
        facts = len(f.facts & story.facts) if f.facts and story.facts else 0
        return [score, ccos, seed, tcos, share, float(both), math.log1p(shared), float(person),
                float(title), float(actor), float(predicate), min(gap, 3.0),
                float(t is None), float(same),
                story.outlets[f.outlet] / story.size if same and story.size else 0.0,
                float(date), math.log1p(facts), math.log1p(story.size),
                math.log1p(len(story.outlets)), math.log1p(len(f.body_keys))]

    def _score(self, f: ArticleFeatures, vec: dict[str, float], tvec: dict[str, float],
               story: StoryState, floor: float) -> float:
        if self.join_model is None:
            return super()._score(f, vec, tvec, story, floor)
        if story.id in self._batch:
            return float(self._batch[story.id])
        return self.join_model.score(self.signals(f, vec, tvec, story))


class Recording(Learned):
    """`StoryClusterer` (hand score, or `model` when given) that records the signals and the
    gold label of every candidate story it scores; the same decisions as the plain one."""

    def __init__(self, config: ClusterConfig, gold: dict[str, str],
                 model: JoinModel | TreeModel | None = None) -> None:
        super().__init__(config, model)
        self.gold = gold
        self.members: dict[str, list[str]] = defaultdict(list)
        self.rows: list[list[float]] = []
        self.labels: list[int] = []
        self.pairs: list[int] = []  # the pairs joining it makes: right ones if a mate is there

    def candidates(self, vec: dict[str, float]) -> list[str]:
        found = super().candidates(vec)
        f = self._f
        mine = self.gold.get(f.id) if f is not None else None
        if mine is None:
            return found
        for sid in found:
            self.rows.append(self.signals(f, vec, self._tvec, self.active[sid]))
            mates = sum(1 for m in self.members[sid] if self.gold.get(m) == mine)
            self.labels.append(int(mates > 0))
            self.pairs.append(mates or len(self.members[sid]))
        return found

    def add(self, f: ArticleFeatures, *, force_story: str | None = None) -> Any:
        decision = super().add(f, force_story=force_story)
        self.members[decision.story_id].append(f.id)
        return decision


def record(golds: Golds, model: JoinModel | TreeModel | None = None,
           orders: Iterable[str] = ORDERS) -> dict[str, tuple[np.ndarray, ...]]:
    """Signals and labels of every scored candidate of each gold's streams (all `orders`, at
    the default threshold), scored by the hand score or by `model`."""
    out = {}
    for name, (articles, gold) in golds.items():
        rows: list[list[float]] = []
        labels: list[int] = []
        pairs: list[int] = []
        for order in orders:
            stream = StoryStream(ClusterConfig())
            stream.clusterer = rec = Recording(stream.config, gold, model)
            stream.assign(B._orders(articles, order))
            rows += rec.rows
            labels += rec.labels
            pairs += rec.pairs
        out[name] = (np.asarray(rows, dtype=np.float64), np.asarray(labels, dtype=np.float64),
                     np.asarray(pairs, dtype=np.float64))
    return out


def _logistic(x: np.ndarray, y: np.ndarray, l2: float, weight: np.ndarray | None = None,
              offset: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Weights and intercept of an L2-penalized logistic regression (Newton's method), each
    example counted `weight` times (default once), its logit `offset` + the fitted part."""
    n, d = x.shape
    weight = np.ones(n) if weight is None else weight
    offset = np.zeros(n) if offset is None else offset
    a = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(offset + a @ w)))
        grad = a.T @ (weight * (p - y)) + penalty * w
        hess = (a * (weight * p * (1.0 - p))[:, None]).T @ a + np.diag(penalty) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return w[:-1], float(w[-1])


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, center: float = CENTER,
        use: Iterable[str] = SIGNALS, near: tuple[float, float] | None = None,
        pairs: np.ndarray | None = None, anchor: bool = False, trees: int = 0
        ) -> JoinModel | TreeModel:
    """A `JoinModel` fitted on signals `x` and labels `y`, with the signals `use` only (the
    others weigh 0), on the candidates whose hand score is within `near` when given."""
    if near is not None:
        keep = (x[:, 0] >= near[0]) & (x[:, 0] <= near[1])
        x, y = x[keep], y[keep]
        pairs = None if pairs is None else pairs[keep]
    cols = [i for i, n in enumerate(SIGNALS) if n in set(use)]
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    # the hand score alone on the same data: its logit per unit is the model's scale, and its
    # logit at the default threshold the model's cut (the operating point of the hand score's:
    # pairwise F1 wants more joins than a cut at p = 0.5 of 6% positives makes)
    hw, hb = _logistic(x[:, :1], y, 0.0, pairs)
    slope = float(hw[0])
    cut = hb + slope * center
    if trees:
        from sklearn.ensemble import GradientBoostingClassifier

        est = GradientBoostingClassifier(n_estimators=trees, max_depth=2, learning_rate=0.1,
                                         random_state=0)
        est.fit(x, y, sample_weight=pairs)
        return TreeModel(est, slope, cut, center)
    z = (x - mean) / scale
    w = np.zeros(len(SIGNALS))
    if anchor:
        # a correction to the hand score's own logit, shrunk toward none by the L2 penalty
        w[cols], b = _logistic(z[:, cols], y, l2, pairs, offset=slope * x[:, 0] + hb)
        w[0] += slope * scale[0]
        b += hb + slope * mean[0]
    else:
        w[cols], b = _logistic(z[:, cols], y, l2, pairs)
    r = lambda v: round(float(v), 6)
    return JoinModel(SIGNALS, tuple(map(r, mean)), tuple(map(r, scale)), tuple(map(r, w)),
                     r(b - cut), r(slope), center)


def judge(golds: Golds, models: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Pairwise F1 averaged over the band of thresholds, per scenario, of each gold clustered
    with its model (None: the hand score)."""
    out: dict[str, dict[str, float]] = {}
    for scenario, orders in SCENARIOS.items():
        row: dict[str, float] = {}
        for name, (articles, gold) in golds.items():
            runs = []
            for order in orders:
                items = B._orders(articles, order)
                for t in B.BAND:
                    stream = StoryStream(replace(ClusterConfig(), threshold=t))
                    stream.clusterer = Learned(stream.config, models[name])
                    pred = {a.article_id: a.story for a in stream.assign(items)}
                    runs.append(B.scores(pred, gold)["pairwise"]["f1"])
            row[name] = round(sum(runs) / len(runs), 4)
        row["mean"] = round(sum(row.values()) / len(golds), 4)
        out[scenario] = row
    return out


def _print(label: str, table: dict[str, dict[str, float]]) -> None:
    for scenario, row in table.items():
        print(f"{label:24} {scenario:31} " + "  ".join(f"{n} {v:.4f}" for n, v in row.items()),
              flush=True)


def _stack(data: dict[str, tuple[np.ndarray, ...]], names: Iterable[str]) -> tuple[np.ndarray, ...]:
    names = list(names)
    return tuple(np.concatenate([data[n][i] for n in names]) for i in range(3))


def models_for(golds: Golds, train: dict[str, list[str]], rounds: int, weigh: bool = False,
               **how: Any) -> dict[str, Any]:
    """For each key, a model fitted on the golds `train[key]` (round 1: the hand scorer's
    streams; round 2 adds the streams of that round-1 model); with `weigh`, each candidate
    counted as the pairs joining it makes (pairwise F1 counts pairs)."""
    data = record(golds)
    out = {}
    for key, names in train.items():
        x, y, p = _stack(data, names)
        model = fit(x, y, pairs=p if weigh else None, **how)
        for _ in range(rounds - 1):
            own = _stack(record({n: golds[n] for n in names}, model), names)
            x, y, p = (np.concatenate([a, b]) for a, b in zip(_stack(data, names), own))
            model = fit(x, y, pairs=p if weigh else None, **how)
        out[key] = model
    return out


def _dump(model: JoinModel) -> str:
    return json.dumps(model.to_dict(), indent=1) + "\n"


def main(argv: Iterable[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fit-all", type=Path, metavar="PATH",
                    help="only fit on all four and write the model (JSON) there")
    ap.add_argument("--rounds", type=int, default=1, help="2: also the model's own streams")
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--use", nargs="+", default=list(SIGNALS), help="the signals fitted (others weigh 0)")
    ap.add_argument("--trees", type=int, default=0, help="N gradient-boosted trees of depth 2 instead (needs scikit-learn)")
    ap.add_argument("--anchor", action="store_true", help="fit a correction to the hand score's logit (L2 shrinks it to none)")
    ap.add_argument("--weigh", action="store_true", help="count each candidate as the pairs joining it makes")
    ap.add_argument("--near", help="LO:HI: fit on candidates whose hand score is within")
    ap.add_argument("--cache", type=Path, help="pickle of the golds through the pipeline")
    ap.add_argument("--no-hand", action="store_true", help="without the hand score's figures")
    args = ap.parse_args(list(argv) if argv is not None else None)
    t0 = time.process_time()
    golds = dev_golds(args.cache)
    near = tuple(map(float, args.near.split(":"))) if args.near else None
    how = {"weigh": args.weigh, "l2": args.l2, "use": args.use, "near": near, "anchor": args.anchor,
           "trees": args.trees}
    if args.fit_all:
        if args.trees:
            raise SystemExit("--fit-all writes a logistic model only")
        model = models_for(golds, {"all": list(golds)}, args.rounds, **how)["all"]
        args.fit_all.write_text(_dump(model), encoding="utf-8")
        print(f"wrote {args.fit_all} ({time.process_time() - t0:.0f} s CPU)")
        return model.to_dict()
    out: dict[str, Any] = {}
    if not args.no_hand:
        out["hand"] = judge(golds, dict.fromkeys(golds))
        _print("hand-built score", out["hand"])
    train = {g: [n for n in golds if n != g] for g in golds}
    models = models_for(golds, train, args.rounds, **how)
    for g, m in models.items():
        weights = (m.estimator.feature_importances_ if isinstance(m, TreeModel) else m.weights)
        print(f"  fold {g} ({'importances' if isinstance(m, TreeModel) else 'weights'}): "
              + ", ".join(f"{n} {w:+.2f}" for n, w in zip(SIGNALS, weights))
              + f", slope {m.slope:.1f}", flush=True)
    out["learned"] = judge(golds, models)
    _print(f"learned, {args.rounds} round(s)", out["learned"])
    print(f"({time.process_time() - t0:.0f} s CPU)")
    return out


if __name__ == "__main__":
    main()
