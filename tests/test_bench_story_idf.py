"""benchmarks/story_idf.py: the idf variants it measures start from the library's clusterer
(all variants off: the same stories and scores) and change only what they say."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime, timedelta

from conftest import ROOT

from khabar.model import Article
from khabar.stories import ClusterConfig, cluster_articles
from khabar.stories.cluster import features

sys.path.insert(0, str(ROOT))
from benchmarks.story_idf import IdfVariant, make_stream

T0 = datetime.fromisoformat("2026-05-02T08:00:00+03:00")


def _art(aid: str, outlet: str, title: str, body: str, hours: float) -> Article:
    return Article(id=aid, text=f"{title}\n{body}", outlet=outlet, title=title, body=body,
                   published=T0 + timedelta(hours=hours))


ARTICLES = [
    _art("a1", "جريدة الساحل", "افتتاح جسر جديد فوق نهر العاصي في مدينة حماة",
         "افتتح محافظ حماة صباح السبت جسرا جديدا فوق نهر العاصي يربط الأحياء الشرقية بوسط المدينة "
         "بعد عامين من العمل، وقال المهندس المشرف إن الجسر يخفف الازدحام عن الطرق القديمة.", 0),
    _art("a2", "إذاعة المدينة", "حماة تفتتح جسر العاصي الجديد بعد عامين من الأشغال",
         "شهدت مدينة حماة افتتاح الجسر الجديد فوق نهر العاصي، وأوضح المحافظ أن المشروع يربط "
         "الأحياء الشرقية بالوسط ويخفف الازدحام في الطرق القديمة.", 2),
    _art("a3", "جريدة الساحل", "مهرجان للكتاب في اللاذقية يستقبل مئة دار نشر",
         "انطلقت في اللاذقية فعاليات مهرجان الكتاب السنوي بمشاركة مئة دار نشر عربية، ويستمر "
         "المهرجان عشرة أيام مع ندوات وأمسيات شعرية في المركز الثقافي.", 5),
    _art("a4", "موقع الشمال", "ندوات وأمسيات شعرية في مهرجان اللاذقية للكتاب",
         "تتواصل في المركز الثقافي باللاذقية ندوات مهرجان الكتاب الذي تشارك فيه مئة دار نشر، "
         "وتقام كل مساء أمسية شعرية لشعراء من المدينة والساحل.", 7),
]


def _run(**variant: float) -> list[tuple[str, str, float]]:
    stream = make_stream(ClusterConfig(), variant, "ant", ARTICLES, set())
    return [(a.article_id, a.story, a.score) for a in stream.assign(ARTICLES)]


def test_the_variant_clusterer_with_nothing_changed_decides_as_the_library() -> None:
    library = [(a.article_id, a.story, a.score) for a in cluster_articles(ARTICLES)]
    assert _run() == library
    assert len({story for _, story, _ in library}) == 2  # the bridge, the book fair


def test_delayed_learning_leaves_an_article_out_of_the_counts_until_later() -> None:
    cl = IdfVariant(ClusterConfig(), delay_docs=2)
    feats = [features(a) for a in ARTICLES]
    for f in feats[:2]:
        cl.add(f)
    assert cl.n_docs == 0 and not cl.df  # two articles wait
    cl.add(feats[2])
    assert cl.n_docs == 1 and cl.df[next(iter(cl._tf(feats[0])))] == 1  # the first is counted
    hours = IdfVariant(ClusterConfig(), delay_hours=3)
    for f in feats[:2]:  # 0 h and 2 h: the first is not yet 3 hours old
        hours.add(f)
    assert hours.n_docs == 0
    hours.add(feats[2])  # 5 h: both are
    assert hours.n_docs == 2


def test_a_name_floor_raises_only_the_idf_of_the_articles_names() -> None:
    cl = IdfVariant(ClusterConfig(), name_floor=0.9)
    plain = IdfVariant(ClusterConfig())
    f = features(ARTICLES[0])
    f.name_words = frozenset({"حماه"})  # as the entities stage would give it (a match key)
    for c in (cl, plain):
        for g in (features(a) for a in ARTICLES):
            c.learn(c._tf(g))
    vec, _ = cl.vectors(f)
    base, _ = plain.vectors(f)
    assert vec["حماه"] > base["حماه"]
    assert all(vec[t] <= base[t] for t in vec if t != "حماه")  # the others only lose share


def test_decayed_counts_halve_over_their_half_life_and_a_horizon_scales_big_counts_down() -> None:
    feats = [features(a) for a in ARTICLES]  # hours 0, 2, 5, 7
    cl = IdfVariant(ClusterConfig(), decay_days=5 / 24)
    for f in feats[:3]:
        cl.add(f)
    # at hour 5: the articles of hours 0 and 2 count a half and 2^(-3/5), the third one
    assert abs(cl._decayed(cl._ndec, cl._clock()) - (0.5 + 2 ** (-3 / 5) + 1)) < 1e-9
    big = IdfVariant(ClusterConfig(), horizon=2)
    plain = IdfVariant(ClusterConfig())
    for c in (big, plain):
        for f in feats[:2]:
            c.learn(c._tf(f))
    assert big.vectors(feats[2]) == plain.vectors(feats[2])  # two documents: under the horizon
    for c in (big, plain):
        c.learn(c._tf(feats[2]))
    assert big.vectors(feats[3]) != plain.vectors(feats[3])


def test_a_window_takes_the_counts_out_by_the_hour_once_they_are_older_than_it() -> None:
    feats = [features(a) for a in ARTICLES]  # hours 0, 2, 5, 7
    cl = IdfVariant(ClusterConfig(), window_days=5 / 24)  # five hours
    for f in feats[:3]:
        cl.add(f)
    assert cl.n_docs == 3  # hour 5: the article of hour 0 has not left yet (hour 0 ends at 1)
    cl.add(feats[3])  # hour 7: hours 0 and 1 are over five hours old
    assert cl.n_docs == 3 and set(cl.docs_hours) == {int(f.time // 3600) for f in feats[1:]}
    assert cl.df == sum((Counter(dict.fromkeys(cl._tf(f), 1)) for f in feats[1:]), Counter())


def test_warm_days_count_the_history_at_its_own_times() -> None:
    from benchmarks import story_idf

    # every 6 hours from five days before the articles to 54 hours before them
    story_idf._CORPUS["ant"] = [(T0.timestamp() - 5 * 86400 + h * 3600, f"h{h}", ("جسر", "حماه"))
                                for h in range(0, 72, 6)]
    try:
        day = {"window-days": 1}
        cold = make_stream(ClusterConfig(), day, "ant", ARTICLES, set()).clusterer
        warm = make_stream(ClusterConfig(), {**day, "warm-days": 4}, "ant", ARTICLES, set()).clusterer
        # counted at their own times, through a day's window as a store would count them: the
        # last day's five are left, and the clock is the newest one's
        assert warm.n_docs == 5 and warm.now == T0.timestamp() - 54 * 3600
        old = make_stream(ClusterConfig(), {"warm-days": 4}, "ant", ARTICLES, set())
        feats = [features(a) for a in ARTICLES]
        for f in feats:  # a day's window: the history has left the counts by the first article
            cold.add(f)
            warm.add(f)
            old.clusterer.add(f)
        assert warm.df == cold.df and old.clusterer.df["جسر"] > cold.df["جسر"]
    finally:
        del story_idf._CORPUS["ant"]
