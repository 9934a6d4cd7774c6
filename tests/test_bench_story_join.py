"""benchmarks/story_join.py: the learned join decision's machinery. Its signals start with the
library's exact score, a model of the hand score alone decides as the library does, the records
are labelled by the gold, and the fit recovers known weights."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

import numpy as np
import pytest
from conftest import ROOT

from khabar.model import Article
from khabar.stories import ClusterConfig, cluster_articles
from khabar.stories.cluster import features
from khabar.stories.stream import StoryStream

sys.path.insert(0, str(ROOT))
from benchmarks.story_join import SIGNALS, JoinModel, Learned, TreeModel, _logistic, fit, record

T0 = datetime.fromisoformat("2026-07-02T08:00:00+03:00")


def _art(aid: str, outlet: str, title: str, body: str, hours: float) -> Article:
    return Article(id=aid, text=body, outlet=outlet, title=title, body=body,
                   published=T0 + timedelta(hours=hours))


BRIDGE = ("افتتح وزير النقل صباح الخميس جسرا جديدا فوق النهر يربط ضفتي مدينة الحلة، وقال إن الجسر "
          "سيخفف الزحام عن الطرق القديمة ويختصر الرحلة إلى نصف ساعة.")
ARTICLES = [
    _art("j1", "صحيفة الفرات", "افتتاح جسر جديد في الحلة", BRIDGE, 0),
    _art("j2", "إذاعة بابل", "وزير النقل يفتتح جسر الحلة الجديد",
         "افتتح وزير النقل جسر الحلة الجديد فوق النهر صباح الخميس، وأكد أن الجسر يربط ضفتي المدينة "
         "ويخفف الزحام عن الطرق القديمة ويختصر الرحلة.", 1),
    _art("j3", "قناة الوادي", "مهرجان للتمور في كربلاء",
         "انطلق في كربلاء مهرجان للتمور بمشاركة مئة مزارع يعرضون أصنافا نادرة، ويستمر المهرجان ثلاثة "
         "أيام مع مسابقات لأفضل إنتاج.", 2),
    _art("j4", "صحيفة الفرات", "زحام المهرجان في كربلاء",
         "ازدحمت ساحات مهرجان التمور في كربلاء بالزوار، وعرض المزارعون أصنافا نادرة وسط مسابقات "
         "لأفضل إنتاج وإقبال على الشراء.", 3),
    _art("j5", "إذاعة بابل", "جسر الحلة يخفف الزحام",
         "قال سائقون إن جسر الحلة الجديد خفف الزحام عن الطرق القديمة منذ افتتاحه صباح الخميس، "
         "واختصرت الرحلة بين ضفتي المدينة.", 4),
]
GOLD = {"j1": "bridge", "j2": "bridge", "j3": "dates", "j4": "dates", "j5": "bridge"}

#: the hand score itself: center + (bias + score) / slope = score
HAND = JoinModel(SIGNALS, (0.0,) * len(SIGNALS), (1.0,) * len(SIGNALS),
                 (1.0,) + (0.0,) * (len(SIGNALS) - 1), -0.15, 1.0, 0.15)


def test_a_model_of_the_hand_score_alone_decides_as_the_library() -> None:
    for threshold in (0.05, 0.15, 0.3):
        config = ClusterConfig(threshold=threshold)
        stream = StoryStream(config)
        stream.clusterer = Learned(config, HAND)
        mine = [(a.article_id, a.story) for a in stream.assign(ARTICLES)]
        assert mine == [(a.article_id, a.story) for a in cluster_articles(ARTICLES, config)]


def test_the_signals_begin_with_the_library_score_and_name_each_value() -> None:
    config = ClusterConfig()
    clusterer = Learned(config)
    seen = []
    for a in ARTICLES:
        f = features(a)
        tf = clusterer._tf(f)
        vec, tvec = clusterer.vectors(f, tf)
        for sid in clusterer.candidates(vec):
            story = clusterer.active[sid]
            x = clusterer.signals(f, vec, tvec, story)
            assert len(x) == len(SIGNALS)
            assert x[0] == clusterer.score(f, vec, tvec, story)
            seen.append(dict(zip(SIGNALS, x)))
        clusterer.add(f)
    assert seen and any(s["same_outlet"] for s in seen)


def test_records_are_labelled_by_the_gold_mates_of_the_candidate() -> None:
    data = record({"g": (ARTICLES, GOLD)}, orders=("times",))
    x, y, pairs = data["g"]
    assert x.shape == (len(y), len(SIGNALS)) and len(pairs) == len(y)
    assert y.any()  # j2 and j5 find the bridge story among their candidates
    # a positive candidate counts its mates, a negative one its members: both at least 1
    assert (pairs >= 1).all()


def test_the_fit_recovers_known_weights_and_a_strong_anchor_keeps_the_hand_score() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4000, 2))
    y = (rng.random(4000) < 1 / (1 + np.exp(-(1.5 * x[:, 0] - 2 * x[:, 1] + 0.5)))).astype(float)
    w, b = _logistic(x, y, 0.0)
    assert np.allclose(w, [1.5, -2.0], atol=0.2) and abs(b - 0.5) < 0.2
    # signals of which only the score tells: anchored and shrunk hard, the model is the score
    s = rng.uniform(0.0, 0.4, size=3000)
    xs = np.zeros((3000, len(SIGNALS)))
    xs[:, 0] = s
    xs[:, 1:] = rng.normal(size=(3000, len(SIGNALS) - 1))
    ys = (rng.random(3000) < 1 / (1 + np.exp(-(30 * (s - 0.2))))).astype(float)
    model = fit(xs, ys, l2=1e9, anchor=True)
    for row in xs[:50]:
        assert abs(model.score(row) - row[0]) < 1e-3


def test_trees_score_a_whole_article_s_candidates_as_one_at_a_time() -> None:
    pytest.importorskip("sklearn")  # --trees only: khabar does not depend on scikit-learn
    data = record({"g": (ARTICLES, GOLD)}, orders=("times",))
    x, y, _ = data["g"]
    x = np.vstack([x] * 20)
    y = np.concatenate([y] * 20)
    y[:3] = 1.0 - y[:3]  # two classes whatever the fixture gives
    model = fit(x, y, trees=5)
    assert isinstance(model, TreeModel)
    assert np.allclose(model.scores(x[:4]), [model.score(r) for r in x[:4]])
    stream = StoryStream(ClusterConfig())
    stream.clusterer = Learned(stream.config, model)
    assert len(stream.assign(ARTICLES)) == len(ARTICLES)
