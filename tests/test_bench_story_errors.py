"""benchmarks/story_errors.py: its error pairs add up to the pairs the pairwise score counts,
each under the decision of the pair's later article, and its recording clusterer decides as
the library's."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

from conftest import ROOT

from khabar.model import Article
from khabar.stories import ClusterConfig, cluster_articles

sys.path.insert(0, str(ROOT))
from benchmarks.clustering import scores
from benchmarks.story_errors import analyse

T0 = datetime.fromisoformat("2026-06-10T09:00:00+03:00")


def _art(aid: str, outlet: str, title: str, body: str, hours: float) -> Article:
    return Article(id=aid, text=body, outlet=outlet, title=title, body=body,
                   published=T0 + timedelta(hours=hours))


FAIR = ("افتتح محافظ نينوى صباح الأحد معرضا للكتاب يشارك فيه ستون ناشرا، ويستمر المعرض أسبوعا "
        "في قاعة الجامعة مع ندوات ثقافية كل مساء وأمسيات شعرية للشباب.")
ARTICLES = [
    _art("e1", "صحيفة النهر", "افتتاح معرض للكتاب في مدينة الموصل", FAIR, 0),
    _art("e2", "إذاعة الشمال", "ستون ناشرا في معرض الموصل للكتاب",
         "يشارك ستون ناشرا في معرض الكتاب الذي افتتحه محافظ نينوى في قاعة الجامعة، وتقام ندوات "
         "ثقافية كل مساء طوال أسبوع المعرض وأمسيات شعرية للشباب.", 1),
    # the gold makes this another story (another fair), the text is nearly the first's
    _art("e3", "قناة الرافدين", "افتتاح معرض للكتاب في مدينة الموصل",
         FAIR.replace("ستون", "سبعون").replace("أسبوعا", "عشرة أيام"), 2),
    # the gold puts this with the fair, in words it shares with none of it
    _art("e4", "صحيفة النهر", "زحام عند أبواب القاعة",
         "اصطف الزوار منذ الفجر أمام الأبواب وطالت الطوابير حتى الظهيرة وسط حرارة شديدة ودعوات "
         "إلى تمديد ساعات الدوام.", 5),
    _art("e5", "إذاعة الشمال", "أمطار غزيرة تغلق طرقا في أربيل",
         "أغلقت الأمطار الغزيرة طرقا عدة في أربيل مساء الأحد، ودعت مديرية الدفاع المدني السائقين "
         "إلى الحذر حتى تنحسر المياه.", 6),
]
GOLD = {"e1": "fair", "e2": "fair", "e3": "other fair", "e4": "fair", "e5": "rain"}


def test_the_error_pairs_add_up_to_the_pairwise_counts() -> None:
    r = analyse(ARTICLES, GOLD, ClusterConfig())
    p = r["pairwise"]
    assert p == scores({a.article_id: a.story for a in cluster_articles(ARTICLES)}, GOLD)["pairwise"]
    assert sum(r["split"].values()) == p["gold_pairs"] - r["right_pairs"]
    assert sum(r["wrong"].values()) == p["pred_pairs"] - r["right_pairs"]
    # what it looks like is given for the pairs lost under the threshold or to retrieval
    lost = sum(v for k, v in r["split"].items() if k.startswith(("below", "not retrieved")))
    assert sum(r["split_by_kind"].values()) == lost
    assert sum(r["wrong_by_kind"].values()) == r["wrong"].get("wrong join", 0)


def test_a_near_copy_of_another_story_is_a_wrong_join_and_a_reworded_report_a_split() -> None:
    r = analyse(ARTICLES, GOLD, ClusterConfig())
    rows = {(x["error"], x["article"]): x for x in r["listing"]}
    assert rows[("wrong", "e3")]["stage"] in ("wrong join", "copy forced")
    assert rows[("wrong", "e3")]["pairs"] == 2  # with e1 and e2
    split = rows[("split", "e4")]
    assert split["stage"] in ("below threshold", "not retrieved (under the threshold too)")
    assert split["kind"]  # a cause given for it


def test_the_recording_clusterer_decides_as_the_library() -> None:
    library = {a.article_id: a.story for a in cluster_articles(ARTICLES)}
    r = analyse(ARTICLES, GOLD, ClusterConfig())
    joined = {x["article"]: x["story"] for x in r["listing"] if x["error"] == "wrong"}
    for aid, story in joined.items():
        assert library[aid] == story
    assert r["pairwise"] == scores(library, GOLD)["pairwise"]
