"""benchmarks/story_signals.py: the headline's names it adds go only where the variant says,
and its recording clusterer decides as the library's."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

from conftest import ROOT

from khabar.model import Article, EntitySpan
from khabar.stories import ClusterConfig, cluster_articles
from khabar.stories.cluster import features
from khabar.stories.stream import StoryStream

sys.path.insert(0, str(ROOT))
from benchmarks.story_signals import (
    Recorder,
    blame,
    gazetteer_title_names,
    ner_title_names,
    with_title_names,
)

T0 = datetime.fromisoformat("2026-06-10T09:00:00+03:00")


def _art(aid: str, outlet: str, title: str, body: str, hours: float,
         names: tuple[tuple[str, str], ...] = ()) -> Article:
    entities = []
    for name, label in names:
        start = body.index(name)
        entities.append(EntitySpan(start, start + len(name), name, label=label, canonical=name))
    return Article(id=aid, text=body, outlet=outlet, title=title, body=body,
                   published=T0 + timedelta(hours=hours), entities=tuple(entities))


ARTICLES = [
    _art("b1", "صحيفة النهر", "افتتاح معرض للكتاب في مدينة الموصل",
         "افتتح محافظ نينوى صباح الأحد معرضا للكتاب يشارك فيه ستون ناشرا، ويستمر المعرض أسبوعا "
         "في قاعة الجامعة مع ندوات ثقافية كل مساء.", 0, (("نينوى", "LOC"),)),
    _art("b2", "إذاعة الشمال", "ستون ناشرا في معرض الموصل للكتاب",
         "يشارك ستون ناشرا في معرض الكتاب الذي افتتحه محافظ نينوى في قاعة الجامعة، وتقام ندوات "
         "ثقافية كل مساء طوال أسبوع المعرض.", 1, (("نينوى", "LOC"),)),
    _art("b3", "صحيفة النهر", "أمطار غزيرة تغلق طرقا في أربيل",
         "أغلقت الأمطار الغزيرة طرقا عدة في أربيل مساء الأحد، ودعت مديرية الدفاع المدني السائقين "
         "إلى الحذر حتى تنحسر المياه.", 3, (("أربيل", "LOC"),)),
]


def test_a_headline_only_name_is_added_where_the_variant_feeds_it() -> None:
    f = features(ARTICLES[0])
    assert "موصل" not in f.name_words  # the body never writes الموصل
    names = [("الموصل", "LOC")]
    every = with_title_names(f, names, "all")
    assert "الموصل" in every.entities and "موصل" in every.name_words
    assert every.title_actor == "موصل" and "موصل" in every.title_names
    only_names = with_title_names(f, names, "names")
    assert "الموصل" in only_names.entities and only_names.name_words == f.name_words
    only_words = with_title_names(f, names, "words")
    assert only_words.entities == f.entities and "موصل" in only_words.name_words


def test_a_name_the_body_names_or_text_without_names_adds_nothing() -> None:
    f = features(ARTICLES[0])
    assert with_title_names(f, [("نينوى", "LOC")], "all") == f
    assert with_title_names(f, [("بغداد", "MISC")], "all") == f  # not a PER/LOC/ORG name
    bare = features(_art("b9", "صحيفة النهر", ARTICLES[0].title, ARTICLES[0].body, 0))
    assert with_title_names(bare, [("الموصل", "LOC")], "all") == bare


def test_both_finders_read_a_place_in_a_title() -> None:
    titles = ["الأمطار تغمر شوارع بغداد وتعطل الدوام"]
    assert ("بغداد", "LOC") in gazetteer_title_names(titles)[0]
    assert ("بغداد", "LOC") in ner_title_names(titles)[0]


def test_the_recording_clusterer_decides_as_the_library() -> None:
    library = [(a.article_id, a.story, a.score) for a in cluster_articles(ARTICLES)]
    gold = {"b1": "fair", "b2": "fair", "b3": "rain"}
    stream = StoryStream(ClusterConfig())
    stream.clusterer = rec = Recorder(ClusterConfig(), gold)
    assert [(a.article_id, a.story, a.score) for a in stream.assign(ARTICLES)] == library
    assert len({story for _, story, _ in library}) == 2  # the book fair, the rain
    # b2 met the fair's story (right) and b3 both stories (the fair's wrong)
    assert {(r["article"], r["story"], r["right"], r["joined"]) for r in rec.rows} == {
        ("b2", "b1", True, True), ("b3", "b1", False, False)}


def test_blame_counts_no_error_where_there_is_none() -> None:
    gold = {"b1": "fair", "b2": "fair", "b3": "rain"}
    feats = {"toy": [features(a) for a in ARTICLES]}
    result = blame(feats, {"toy": (ARTICLES, gold)})
    assert result == {"toy": {"right_not_joined": {}, "wrong_joined": {}}}
    wrong = {"b1": "fair", "b2": "other", "b3": "rain"}  # b2 joined a story of another gold story
    result = blame(feats, {"toy": (ARTICLES, wrong)})
    assert result["toy"]["wrong_joined"]["all"] == 1
