"""Streaming story clustering (khabar.stories.cluster/stream) and its store (StoryStore)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from khabar.model import Article
from khabar.store import Store
from khabar.store.stories import StoryStore
from khabar.stories import cluster_articles, cluster_records, list_stories
from khabar.stories.cluster import ClusterConfig

T0 = datetime.fromisoformat("2026-03-09T18:00:00+03:00")


def art(aid: str, outlet: str, title: str, body: str, hours: float = 0.0) -> Article:
    return Article(id=aid, text=f"{title}\n{body}", outlet=outlet, title=title, body=body,
                   published=T0 + timedelta(hours=hours))


AQABA_1 = art(
    "aqaba-1", "وكالة الرافدين", "سيول جارفة تقتل 12 شخصا في العقبة",
    "لقي اثنا عشر شخصا حتفهم مساء الاثنين جراء سيول جارفة ضربت مدينة العقبة جنوب الأردن، "
    "وقالت مديرية الدفاع المدني إن فرق الإنقاذ انتشلت الجثث من الأودية وأخلت عشرات المنازل "
    "في الأحياء المنخفضة، فيما أغلقت السلطات الطريق الصحراوي المؤدي إلى المدينة.", 0)
AQABA_2 = art(
    "aqaba-2", "صحيفة الفجر", "العقبة: 12 وفاة في سيول مفاجئة والدفاع المدني يخلي منازل",
    "أعلن الدفاع المدني الأردني وفاة 12 شخصا في سيول مفاجئة اجتاحت العقبة مساء الاثنين، "
    "وأوضح أن فرق الإنقاذ أخلت منازل في الأحياء المنخفضة بعد ارتفاع منسوب المياه في الأودية، "
    "وأغلقت الطريق الصحراوي أمام حركة السير.", 5)
SALALAH = art(
    "salalah-1", "بوابة الشام", "فيضانات في صلالة تودي بحياة خمسة أشخاص",
    "قالت هيئة الدفاع المدني في سلطنة عمان إن خمسة أشخاص لقوا حتفهم في فيضانات ضربت ولاية "
    "صلالة في محافظة ظفار بعد أمطار غزيرة استمرت يومين، وجرى إخلاء سكان القرى الساحلية "
    "وإغلاق الطرق الجبلية.", 6 * 24)
MEASLES = art(
    "measles-1", "وكالة الرافدين", "العراق يطلق حملة وطنية للتلقيح ضد الحصبة",
    "أطلقت وزارة الصحة العراقية حملة وطنية للتلقيح ضد الحصبة تستهدف ثلاثة ملايين طفل في جميع "
    "المحافظات وتستمر عشرة أيام، وقال المتحدث باسم الوزارة إن الفرق الصحية ستزور المنازل "
    "والمدارس.", 2)
MEASLES_2 = art(
    "measles-2", "صحيفة الفجر", "حملة تلقيح ضد الحصبة تستهدف 3 ملايين طفل عراقي",
    "بدأت وزارة الصحة في العراق حملة التلقيح الوطنية ضد الحصبة التي تستهدف ثلاثة ملايين طفل "
    "في المحافظات كافة لمدة عشرة أيام، وستزور الفرق الصحية المدارس والمنازل.", 20)
MEASLES_REPRINT = art("measles-copy", "بوابة الشام", MEASLES.title, MEASLES.body, 3)


def stories_of(articles: list[Article]) -> dict[str, str]:
    return {a.article_id: a.story for a in cluster_articles(articles)}


def test_two_outlets_same_event_make_one_story() -> None:
    story = stories_of([AQABA_1, AQABA_2, MEASLES])
    assert story["aqaba-1"] == story["aqaba-2"] == "aqaba-1"
    assert story["measles-1"] == "measles-1"


def test_two_floods_on_different_days_are_two_stories() -> None:
    story = stories_of([AQABA_1, AQABA_2, SALALAH])
    assert story["salalah-1"] != story["aqaba-1"]


def test_exact_reprint_shares_copy_group_and_story() -> None:
    result = {a.article_id: a for a in cluster_articles([MEASLES, MEASLES_REPRINT, AQABA_1])}
    assert result["measles-copy"].copy_group == "measles-1"
    assert result["measles-copy"].story == "measles-1"
    assert result["aqaba-1"].copy_group == "aqaba-1"


def test_input_order_does_not_matter_within_a_batch() -> None:
    articles = [AQABA_1, AQABA_2, SALALAH, MEASLES, MEASLES_2, MEASLES_REPRINT]
    expected = stories_of(articles)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = articles[:]
        rng.shuffle(shuffled)
        assert stories_of(shuffled) == expected
    # story ids are the first article by publication time
    assert expected["measles-2"] == "measles-1"


def test_cluster_records_yields_id_story_copy_group() -> None:
    rows = [{k: r[k] for k in ("id", "story", "copy_group")}
            for r in cluster_records([AQABA_1, AQABA_2])]
    assert rows == [
        {"id": "aqaba-1", "story": "aqaba-1", "copy_group": "aqaba-1"},
        {"id": "aqaba-2", "story": "aqaba-1", "copy_group": "aqaba-2"},
    ]


def test_story_ids_are_stable_across_ingest_runs(tmp_path: Path) -> None:
    path = tmp_path / "stories.db"
    with Store(path) as store:
        first = StoryStore(store).assign([AQABA_1, MEASLES])
        assert [a.story for a in first] == ["aqaba-1", "measles-1"]
    with Store(path) as store:  # a later run: state comes from the database
        stories = StoryStore(store)
        later = stories.assign([AQABA_2, MEASLES_REPRINT, MEASLES_2, AQABA_1])
        got = {a.article_id: (a.story, a.copy_group) for a in later}
        assert "aqaba-1" not in got  # already assigned: nothing changes
        assert got["aqaba-2"] == ("aqaba-1", "aqaba-2")
        assert got["measles-copy"] == ("measles-1", "measles-1")
        assert got["measles-2"][0] == "measles-1"
        assert stories.assign([AQABA_1, AQABA_2]) == []  # re-ingest: no-op
        summary = {s["id"]: s for s in list_stories(store, "size", None)}
        assert summary["measles-1"]["size"] == 3
        assert summary["measles-1"]["n_outlets"] == 3
        assert summary["aqaba-1"]["outlets"] == ["وكالة الرافدين", "صحيفة الفجر"]
        one = stories.story("aqaba-1")
        assert [a["id"] for a in one["articles"]] == ["aqaba-1", "aqaba-2"]
        groups = stories.copy_groups()
        assert groups == [{"id": "measles-1", "size": 2, "n_outlets": 2,
                           "members": ["measles-1", "measles-copy"]}]
    with Store(path) as store:  # a third run sees the same stories, in a new week
        stories = StoryStore(store)
        assert stories.assign([SALALAH])[0].story == "salalah-1"
        assert [s["id"] for s in stories.list_stories("recency", 1)] == ["salalah-1"]
        assert stories.story_of("measles-2") == "measles-1"


def test_backfill_assigns_articles_stored_before_stories(tmp_path: Path) -> None:
    from khabar.pipeline import process

    with Store(tmp_path / "old.db") as store:
        a = process(AQABA_1.text, outlet="وكالة الرافدين", published=AQABA_1.published)
        b = process(AQABA_2.text, outlet="صحيفة الفجر", published=AQABA_2.published)
        store.add_batch([a, b])
        stories = StoryStore(store)
        assert set(stories.unassigned_ids()) == {a.id, b.id}
        assert stories.backfill() == 2
        assert stories.unassigned_ids() == []
        assert stories.story_of(b.id) == stories.story_of(a.id) == a.id
        assert stories.story(a.id)["articles"][0]["title"]


def test_story_state_round_trips_bit_for_bit_and_old_state_still_loads() -> None:
    """Saved state holds vectors packed (terms + float64 bytes); loading gives the very same
    floats, so a resumed ingest decides as an uninterrupted one. State saved before packing
    (plain term → weight objects) still loads."""
    import json
    import math

    from khabar.stories.cluster import StoryState

    state = StoryState("s1", "عنوان", 10.0, 20.0, size=2,
                       centroid={"تيلرسون": 0.1 + 0.2, "اقال": math.pi, "pompeo": 1e-300})
    state.seed = {"تيلرسون": 1 / 3}
    state.title_vecs = [{"اقال": 0.7071067811865476, "وزير": 2 ** -0.5}, {}]
    state.outlets.update({"BBC": 1, "CNN": 1})
    raw = json.dumps(state.to_json(), ensure_ascii=False)
    back = StoryState.from_json("s1", "عنوان", None, None, 2, json.loads(raw))
    assert back.centroid == state.centroid and list(back.centroid) == list(state.centroid)
    assert back.seed == state.seed and back.title_vecs == state.title_vecs
    assert back.cnorm == math.sqrt(sum(v * v for v in state.centroid.values()))
    assert (back.first, back.last, back.outlets) == (10.0, 20.0, state.outlets)
    assert back.title_cos({"وزير": 1.0}) == state.title_vecs[0]["وزير"]

    old = {"centroid": {"اقال": 0.5}, "seed": {"اقال": 0.5}, "title_vecs": [{"اقال": 1.0}],
           "outlets": {"BBC": 1}, "entities": {}, "facts": [], "indexed": ["اقال"],
           "first": 1.0, "last": 2.0}
    loaded = StoryState.from_json("s2", "", None, None, 1, old)
    assert loaded.centroid == {"اقال": 0.5} and loaded.title_vecs == [{"اقال": 1.0}]


def test_damaged_story_state_is_a_clear_error_naming_the_story(tmp_path: Path) -> None:
    import json

    import pytest

    from khabar.errors import InputError

    path = tmp_path / "stories.db"
    with Store(path) as store:
        StoryStore(store).assign([AQABA_1, MEASLES])
    for damage in ('{"packed": 1, "centroid": {"terms": ["a", "b"], "weights": "AAAA"}}',
                   '{"packed": 1, "centroid": {"terms": ["a"], "weights": "not base64!"}}',
                   '{"centroid": [1, 2'):
        with Store(path) as store:
            store.conn.execute("UPDATE stories SET state=? WHERE id='aqaba-1'", (damage,))
            store.conn.commit()
            with pytest.raises(InputError, match="story aqaba-1: its clustering state"):
                StoryStore(store).assign([AQABA_2])
    with Store(path) as store:  # nothing was written by the refused runs
        assert store.conn.execute("SELECT COUNT(*) FROM story_articles").fetchone()[0] == 2
        assert json.loads(store.conn.execute(
            "SELECT state FROM stories WHERE id='measles-1'").fetchone()[0])["packed"] == 1


def _with_names(article: Article, *names: tuple[str, str]) -> Article:
    """`article` with entity spans for `names` ((text, label) pairs found in its text)."""
    from dataclasses import replace

    from khabar.model import EntitySpan

    spans = []
    for name, label in names:
        start = article.text.index(name)
        spans.append(EntitySpan(start, start + len(name), name, label=label, canonical=name))
    return replace(article, entities=tuple(spans))



def _inspection(aid: str, outlet: str, town: str, count: int, hours: float, wording: int) -> Article:
    # one ministry's news, told in two outlets' words, for one town or another
    if wording == 1:
        return art(aid, outlet, f"مكتب العمل في {town} يضبط {count} مخالفة لقرار منع العمل تحت الشمس",
                   f"ضبط مكتب العمل في {town} {count} مخالفة لقرار منع العمل تحت أشعة الشمس خلال "
                   f"جولات ميدانية على مواقع البناء، وقال مدير المكتب إن الفرق ستواصل جولاتها حتى "
                   f"نهاية الصيف.", hours)
    return art(aid, outlet, f"ضبط {count} مخالفة لمنع العمل تحت الشمس في {town}",
               f"رصدت فرق التفتيش التابعة لمكتب العمل في {town} {count} مخالفة لقرار منع العمل تحت "
               f"أشعة الشمس، وشملت الجولات مواقع البناء والورش، وأكد المكتب استمرار الحملات خلال "
               f"الصيف.", hours)


def test_names_the_story_lacks_ask_more_of_the_text() -> None:
    """Name agreement: an article whose names the story has none of scores name_agreement ×
    name_neutral lower than on its words alone, one whose names it has all of scores
    name_agreement × (1 − name_neutral) higher, and text without entities is scored on its
    words alone (reports of one template about other towns share the wording, not the names)."""
    from khabar.stories.cluster import ClusterConfig

    tabuk = _with_names(_inspection("tabuk", "صحيفة الفجر", "تبوك", 46, 0, 1),
                        ("مكتب العمل في تبوك", "ORG"), ("تبوك", "LOC"))
    tabuk_2 = _with_names(_inspection("tabuk-2", "بوابة الشام", "تبوك", 46, 1, 2),
                          ("مكتب العمل في تبوك", "ORG"), ("تبوك", "LOC"))
    khaybar = _with_names(_inspection("khaybar", "بوابة الشام", "خيبر", 42, 1, 2),
                          ("مكتب العمل في خيبر", "ORG"), ("خيبر", "LOC"))
    on, off = ClusterConfig(), ClusterConfig(name_agreement=0.0)

    def second_score(config: ClusterConfig, second: Article, *, names: bool = True) -> float:
        pair = [tabuk, second] if names else [replace_entities(tabuk), replace_entities(second)]
        (assignment,) = [a for a in cluster_articles(pair, config) if a.article_id == second.id]
        assert assignment.story == "tabuk"  # the texts alone are close enough to join here
        return assignment.score

    gap_same = second_score(on, tabuk_2) - second_score(off, tabuk_2)
    gap_other = second_score(on, khaybar) - second_score(off, khaybar)
    assert abs(gap_same - on.name_agreement * (1 - on.name_neutral)) < 2e-4, gap_same
    assert abs(gap_other + on.name_agreement * on.name_neutral) < 2e-4, gap_other
    assert second_score(on, khaybar, names=False) == second_score(off, khaybar, names=False)


def replace_entities(article: Article) -> Article:
    from dataclasses import replace

    return replace(article, entities=())


def test_outlets_cited_by_their_kind_are_no_names_of_the_story() -> None:
    """A report's source (قالت قناة «الأفق», لصحيفة (المساء)) says where it comes from, not what
    it is about: name agreement leaves it out, and keeps the other organisations, those named
    with the same words in their ordinary sense too (قناة السويس, وكالة الطاقة)."""
    from khabar.model import EntitySpan
    from khabar.stories.cluster import features

    text = ("قالت قناة «الأفق» إن الجيش الوطني انسحب، ونقلت لصحيفة (المساء) ما قاله حزب الوسط "
            "عن قناة السويس ووكالة الطاقة الذرية.")
    names = [("الأفق", "ORG"), ("الجيش الوطني", "ORG"), ("المساء", "ORG"), ("حزب الوسط", "ORG"),
             ("قناة السويس", "LOC"), ("وكالة الطاقة الذرية", "ORG")]
    spans = tuple(EntitySpan(text.index(n), text.index(n) + len(n), n, label=label, canonical=n)
                  for n, label in names)
    article = Article(id="a", text=text, body=text, entities=spans)
    assert features(article).entities == {"الجيش الوطني", "حزب الوسط", "قناة السويس",
                                          "وكالة الطاقة الذرية"}


DINNER = ("وأقيمت مأدبة عشاء كبرى للمدعوين القادمين من القرى المجاورة، وأحيت فرقة شعبية الأمسية "
          "بالعرضة والسامري، وألقى خال العريس كلمة رحب فيها بالضيوف")


def _notice(aid: str, outlet: str, family: str, groom: str, father: str, minutes: float,
            hall: str = "النخيل", town: str = "الخبر",
            extra: str = "وتبادل الحضور القصائد والأهازيج الشعبية حتى ساعة متأخرة") -> Article:
    # one outlet's page of social notices: one template, another family each time
    return _with_names(
        art(aid, outlet, f"تهاني آل {family}",
            f"احتفت أسرة {family} بعقد قران ابنها {groom} على كريمة {father} في قاعة {hall} "
            f"بمدينة {town} بحضور الأهل والأصدقاء، {extra}. مع أطيب التهاني للعروسين.", minutes / 60),
        (groom, "PER"), (father, "PER"))


def test_one_outlets_briefs_naming_other_people_are_other_stories() -> None:
    """Person clash: an article from an outlet the story already has, both naming people and
    none in common, pays person_clash (one outlet's same-template notices about other families
    are other events). The same person written with or without the father's name is one
    person; across outlets disjoint people cost nothing (each outlet quotes its own official)."""
    from khabar.stories.cluster import ClusterConfig, _same_person

    first = _notice("n1", "صحيفة الواحة", "الحربي", "سامي بن فهد الحربي", "ناصر العتيبي", 0)
    other = _notice("n2", "صحيفة الواحة", "القحطاني", "ماجد بن علي القحطاني", "سعد الدوسري", 1,
                    "الياسمين", "الدمام", DINNER)
    elsewhere = _notice("n3", "بوابة الشام", "القحطاني", "ماجد بن علي القحطاني", "سعد الدوسري", 2,
                        "الياسمين", "الدمام", DINNER)
    # the titles name the families too: the title name clash (tested below) is off here
    on = ClusterConfig(title_name_clash=0.0)
    off = ClusterConfig(person_clash=0.0, title_name_clash=0.0)

    def story(config: ClusterConfig | None, *articles: Article) -> dict[str, str]:
        return {a.article_id: a.story for a in cluster_articles(list(articles), config)}

    assert story(off, first, other)["n2"] == "n1"  # the template alone is close enough
    assert story(on, first, other)["n2"] == "n2"
    assert story(on, first, elsewhere)["n3"] == "n1"  # another outlet: no person clash
    again = _notice("n4", "صحيفة الواحة", "الحربي", "سامي الحربي", "ناصر بن محمد العتيبي", 3,
                    extra=DINNER)  # the same wedding told again
    assert story(on, first, again)["n4"] == "n1"  # the same people, named more or less fully
    assert story(None, first, again)["n4"] == "n1"
    assert _same_person({"محمد بن سلمان"}, {"محمد بن سلمان بن عبدالعزيز"})
    assert _same_person({"محمد العيسى"}, {"محمد بن عبدالله العيسى"})
    assert not _same_person({"الزهراني"}, {"صالح الزهراني"})  # a family name alone: any member
    assert not _same_person({"صالح الزهراني"}, {"علي بن صالح الزهراني"})


def test_story_state_keeps_its_people_and_state_saved_before_has_no_clash() -> None:
    """The members' PER names are saved with the story; a story saved before they were kept
    (its names have no labels) never pays the person clash, whatever joins it later."""
    import json

    from khabar.stories.cluster import StoryClusterer, StoryState, features

    clusterer = StoryClusterer()
    first = _notice("n1", "صحيفة الواحة", "الحربي", "سامي بن فهد الحربي", "ناصر العتيبي", 0)
    other = _notice("n2", "صحيفة الواحة", "القحطاني", "ماجد بن علي القحطاني", "سعد الدوسري", 1,
                    "الياسمين", "الدمام", DINNER)
    clusterer.add(features(first))
    saved = clusterer.active["n1"].to_json()
    assert saved["persons"] == {"سامي بن فهد الحربي": 1, "ناصر العتيبي": 1}
    back = StoryState.from_json("n1", first.title, None, None, 1, json.loads(json.dumps(saved)))
    assert back.persons == clusterer.active["n1"].persons
    f = features(other)
    vec, tvec = clusterer.vectors(f)
    with_names = clusterer.score(f, vec, tvec, back)
    legacy = {k: v for k, v in saved.items() if k != "persons"}
    old = StoryState.from_json("n1", first.title, None, None, 1, legacy)
    assert old.persons is None and "persons" not in old.to_json()
    old_score = clusterer.score(f, vec, tvec, old)
    assert abs(old_score - with_names - clusterer.config.person_clash) < 1e-9
    clusterer.restore(old)
    clusterer._update(old, f, vec, tvec)  # a member joins a story saved before: still unknown
    assert old.persons is None


def test_template_briefs_whose_titles_name_other_places_or_people_are_other_stories() -> None:
    """Title name clash: across outlets too, an article whose title names a place or person no
    member of the story names, in a story whose titles name one the article never names, pays
    title_name_clash (one template's briefs about another town or family). A title naming the
    story's own town, or a story whose titles name nothing, costs nothing."""
    from khabar.stories.cluster import ClusterConfig

    def inspection(aid: str, outlet: str, town: str, count: int, hours: float, wording: int) -> Article:
        return _with_names(_inspection(aid, outlet, town, count, hours, wording), (town, "LOC"))

    tabuk = inspection("tabuk", "صحيفة الفجر", "تبوك", 46, 0, 1)
    khaybar = inspection("khaybar", "بوابة الشام", "خيبر", 42, 1, 2)
    tabuk_2 = inspection("tabuk-2", "بوابة الشام", "تبوك", 46, 1, 2)
    off = ClusterConfig(title_name_clash=0.0)

    def score(config: ClusterConfig | None, first: Article, second: Article) -> tuple[str, float]:
        (a,) = [a for a in cluster_articles([first, second], config) if a.article_id == second.id]
        return a.story, a.score

    def gap(first: Article, second: Article) -> float:
        (story_off, off_score), (story_on, on_score) = score(off, first, second), score(None, first, second)
        assert story_off == first.id  # the wording alone joins them
        return off_score - on_score if story_on == first.id else off_score

    clash = ClusterConfig().title_name_clash
    assert abs(gap(tabuk, khaybar) - clash) < 1e-3
    assert gap(tabuk, tabuk_2) == 0.0
    # an untitled report names no place in its title: no clash
    untitled = _with_names(art("untitled", "صحيفة الفجر", "", khaybar.body, 2), ("خيبر", "LOC"))
    assert gap(tabuk, untitled) == 0.0
    # a glued preposition on the title's name is the same name: بتبوك
    def glued(body: str) -> Article:
        return _with_names(art("glued", "بوابة الشام", "ضبط 46 مخالفة لمنع العمل تحت الشمس بتبوك",
                               body, 1), ("تبوك", "LOC"))

    assert gap(tabuk, glued(tabuk_2.body)) == 0.0
    assert abs(gap(khaybar, glued(tabuk.body)) - clash) < 1e-3  # (khaybar's wording: a near copy)


def test_story_state_keeps_its_titles_names_and_state_saved_before_has_no_title_clash() -> None:
    import json

    from khabar.stories.cluster import StoryClusterer, StoryState, features

    tabuk = _with_names(_inspection("tabuk", "صحيفة الفجر", "تبوك", 46, 0, 1), ("تبوك", "LOC"))
    khaybar = _with_names(_inspection("khaybar", "بوابة الشام", "خيبر", 42, 1, 2), ("خيبر", "LOC"))
    clusterer = StoryClusterer()
    clusterer.add(features(tabuk))
    saved = json.loads(json.dumps(clusterer.active["tabuk"].to_json()))
    assert saved["title_names"] == ["تبوك"]
    back = StoryState.from_json("tabuk", tabuk.title, None, None, 1, saved)
    assert (back.title_names, back.name_words) == ({"تبوك"}, {"تبوك"})
    f = features(khaybar)
    vec, tvec = clusterer.vectors(f)
    legacy = StoryState.from_json("tabuk", tabuk.title, None, None, 1,
                                  {k: v for k, v in saved.items() if k != "title_names"})
    assert legacy.title_names is None and "title_names" not in legacy.to_json()
    gap = clusterer.score(f, vec, tvec, legacy) - clusterer.score(f, vec, tvec, back)
    assert abs(gap - clusterer.config.title_name_clash) < 1e-9


def test_a_score_bounded_by_a_floor_is_exact_when_it_reaches_the_floor() -> None:
    """Story assignment skips the name clash checks for a story that cannot beat the best one
    so far (nor the threshold) without them: what `_score` returns under a floor is then a bound
    under the floor, at or above the exact score, and the exact score whenever it reaches it."""
    from khabar.stories.cluster import StoryClusterer, features

    tabuk = _with_names(_inspection("tabuk", "صحيفة الفجر", "تبوك", 46, 0, 1), ("تبوك", "LOC"))
    khaybar = _with_names(_inspection("khaybar", "بوابة الشام", "خيبر", 42, 1, 2), ("خيبر", "LOC"))
    clusterer = StoryClusterer()
    clusterer.add(features(tabuk))
    story = clusterer.active["tabuk"]
    f = features(khaybar)
    vec, tvec = clusterer.vectors(f)
    exact = clusterer.score(f, vec, tvec, story)
    clash = clusterer.config.title_name_clash
    assert clash > 0
    for floor in (exact - 0.5, exact, exact + clash / 2, exact + clash - 1e-9):
        assert clusterer._score(f, vec, tvec, story, floor) == exact  # reaches it, or the bound does
    above = clusterer._score(f, vec, tvec, story, exact + clash + 0.01)
    assert exact <= above < exact + clash + 0.01
    assert abs(above - exact - clash) < 1e-9  # the clash left out


def test_a_text_inside_a_much_longer_page_shares_its_copy_group_but_not_its_story() -> None:
    """A paper's page of the day holds a royal audience and a congratulation cable; the cable
    printed alone elsewhere is a copy of part of the page (one copy group) but no report of the
    audience: it is clustered on its own. A copy of about the same length still follows the
    story of the text it copies."""
    audience = ("استقبل الملك في قصر الضيافة مساء أمس رئيس حزب التجديد الوطني اللبناني، وجرى خلال "
                "اللقاء بحث مستجدات الأوضاع على الساحة اللبنانية وسبل دعم الاستقرار في البلاد. "
                "وأعرب رئيس الحزب عن شكره وتقديره لما يلقاه لبنان من دعم متواصل في مختلف الظروف، "
                "وحضر اللقاء وزير الخارجية ورئيس الديوان الملكي وعدد من كبار المسؤولين. ")
    cable = ("وبعث الملك برقية تهنئة إلى رئيس جمهورية كولومبيا بمناسبة ذكرى استقلال بلاده، أعرب فيها "
             "باسمه واسم شعب المملكة وحكومتها عن أصدق التهاني وأطيب التمنيات بالصحة والسعادة "
             "لفخامته، ولحكومة وشعب كولومبيا الصديق اطراد التقدم والازدهار في ظل قيادته الحكيمة.")
    page = art("page", "صحيفة الواحة", "الملك يبحث مع رئيس حزب التجديد أوضاع لبنان", audience + cable, 0)
    alone = art("cable", "بوابة الشام", "الملك يهنئ رئيس كولومبيا بذكرى الاستقلال", cable, 1)
    cut = art("cut", "وكالة الرافدين", "الملك يستقبل رئيس حزب التجديد الوطني",
              audience + cable.split("،")[0] + ".", 2)
    got = {a.article_id: a for a in cluster_articles([page, alone, cut])}
    assert got["cable"].copy_group == "page"
    assert got["cable"].score < 1.0  # scored on its text, not put in the page's story
    # most of the page: a cut reprint, put in the page's story
    assert (got["cut"].copy_group, got["cut"].story, got["cut"].score) == ("page", "page", 1.0)


def test_a_title_name_the_story_writes_otherwise_is_no_clash() -> None:
    """The story's titles write the article's title name though its entities missed it, or one
    writes a name a letter apart from the other (كابل, كابول): no title name clash."""
    from khabar.stories.cluster import ClusterConfig, _near

    a = _with_names(art("a", "صحيفة الفجر", "الهلال يواجه غازينتاب التركي وديا اليوم",
                        "يلتقي فريق الهلال مساء اليوم نظيره غازينتاب التركي في أولى مبارياته الودية ضمن "
                        "معسكره في النمسا، ويغيب عن اللقاء عدد من اللاعبين للإصابة.", 0),
                    ("غازينتاب", "ORG"), ("النمسا", "LOC"))
    b = _with_names(art("b", "بوابة الشام", "الهلال يلاقي غازي عنتاب التركي وديا اليوم",
                        "يخوض نادي الهلال أولى تجاربه الإعدادية أمام غازي عنتاب التركي في سالزبورغ، وسط "
                        "غيابات بسبب الإصابات.", 1), ("نادي الهلال", "ORG"))
    off = ClusterConfig(title_name_clash=0.0)
    with_clash = {x.article_id: (x.story, x.score) for x in cluster_articles([a, b])}
    without = {x.article_id: (x.story, x.score) for x in cluster_articles([a, b], off)}
    assert with_clash["b"] == without["b"] and with_clash["b"][0] == "a"
    assert _near("كابول", {"كابل"}) and _near("جازينتاب", {"غازينتاب"})
    assert not _near("تبوك", {"تبو"}) and not _near("خيبر", {"تبوك"})


def test_cluster_records_gives_each_input_its_line_in_input_order_under_its_own_id() -> None:
    text = "أعلنت البلدية افتتاح حديقة عامة جديدة في الحي الشمالي تضم ملاعب ومسارات للمشي."
    later = "ارتفعت أسعار الخضار في الأسواق المحلية بعد موجة الحر التي ضربت المنطقة هذا الأسبوع."
    rows = list(cluster_records([
        {"id": "n-3", "text": later, "outlet": "صحيفة", "date": "2026-03-10 12:00"},
        {"id": "n-1", "text": text, "outlet": "صحيفة", "date": "2026-03-10 09:00"},
        {"id": "n-2", "text": text, "outlet": "صحيفة", "date": "2026-03-10 09:00"},  # the same article again
        {"text": later + " وتوقع التجار استقرارها قريبا.", "outlet": "موقع"},
    ]))
    assert [r["id"] for r in rows][:3] == ["n-3", "n-1", "n-2"]
    assert rows[1]["article_id"] == rows[2]["article_id"] and rows[1]["story"] == rows[2]["story"]
    assert rows[3]["id"] == rows[3]["article_id"]  # no id of its own: its content id


def _score_against(config: ClusterConfig, first: Article, second: Article) -> float:
    """The score `second` gets against the story `first` begins, under `config`."""
    from khabar.stories.cluster import StoryClusterer, features

    clusterer = StoryClusterer(config)
    clusterer.add(features(first))
    f = features(second)
    vec, tvec = clusterer.vectors(f)
    return clusterer.score(f, vec, tvec, clusterer.active[first.id])


def _statement(aid: str, outlet: str, weekday: str, day: str, hours: float, wording: int) -> Article:
    """A finance minister's pledge on the sales tax, told `weekday` (resolved to `day`)."""
    from dataclasses import replace

    from khabar.model import DateSpan

    titles = ("وزير المالية يتعهد بمراجعة ضريبة المبيعات على السلع الأساسية",
              "وزير المالية: سنراجع ضريبة المبيعات على السلع الأساسية")
    lead = ("قال وزير المالية في مؤتمر صحفي عقده " + weekday + " إن الحكومة ستراجع ضريبة المبيعات "
            "المفروضة على السلع الأساسية بعد احتجاجات النقابات المهنية، ")
    rest = ("وأضاف أن لجنة من الوزارة ستلتقي ممثلي التجار والنقابات خلال الأسبوع لبحث نسب الضريبة "
            "على الخبز والأرز والزيت والحليب.",
            "موضحا أن لجنة وزارية ستجتمع بممثلي النقابات والتجار هذا الأسبوع لمناقشة نسب الضريبة "
            "على الزيت والخبز والحليب والأرز.")
    a = art(aid, outlet, titles[wording], lead + rest[wording], hours)
    at = a.text.index(weekday)
    background = a.text.index("الأساسية")  # a date far before publication is no event day
    return replace(a, dates=(DateSpan(at, at + len(weekday), weekday, value=day),
                             DateSpan(background, background + 3, "x", value="2025-11-02")))


def test_a_statement_of_another_day_is_another_development() -> None:
    """Event-day clash: an article that names a day of the week before its publication pays
    date_clash against a story whose full dates hold none of its days (a minister's Sunday
    pledge and his Monday one are two developments); the same day named again costs nothing,
    nor does a story that names no full date."""
    from dataclasses import replace

    from khabar.stories.cluster import ClusterConfig, features

    sunday = _statement("s1", "وكالة الرافدين", "يوم الأحد", "2026-03-08", 0, 0)
    monday = _statement("s2", "صحيفة الفجر", "يوم الاثنين", "2026-03-09", 2, 1)
    again = _statement("s3", "صحيفة الفجر", "يوم الأحد", "2026-03-08", 2, 1)
    assert features(monday).days == frozenset({"d:2026-03-09"})  # not the year-old date

    score = _score_against

    off = ClusterConfig(date_clash=0.0)
    clash = ClusterConfig().date_clash
    assert clash > 0
    plain = score(off, sunday, monday)
    assert abs(plain - score(ClusterConfig(), sunday, monday) - clash) < 1e-9
    assert abs(score(ClusterConfig(), sunday, again) - score(off, sunday, again)) < 1e-9
    undated = replace(sunday, dates=())
    assert abs(score(ClusterConfig(), undated, monday) - score(off, undated, monday)) < 1e-9

    # with the threshold just under the plain score: joined without the clash, apart with it
    threshold = plain - clash / 2
    joined = cluster_articles([sunday, monday], ClusterConfig(threshold=threshold, date_clash=0.0))
    apart = cluster_articles([sunday, monday], ClusterConfig(threshold=threshold))
    assert joined[1].story == "s1"
    assert apart[1].story == "s2"


def test_a_month_named_by_its_first_day_is_no_event_day() -> None:
    """A Hijri month is resolved to the Gregorian day it starts on (granularity month): named
    in the week after it began (`شهر رمضان الجاري`) it is no day of an event the article
    reports, and makes it pay no event-day clash."""
    import khabar
    from khabar.stories.cluster import features

    # (Thursday, two days before a Saturday's publication: since walk 21 a bare weekday that is
    # the day after publication reads as that coming day, so not Sunday here)
    text = ("أعلنت وزارة العمل مساء الخميس تقليص ساعات الدوام الرسمي في الدوائر الحكومية "
            "خلال شهر رمضان الجاري إلى خمس ساعات يوميا.")
    article = khabar.process(text, published="2026-02-21T10:00:00")
    spans = {d.text: (d.value, d.granularity) for d in article.dates}
    assert spans.get("مساء الخميس", ("",))[0] == "2026-02-19"
    assert any(g == "month" and len(v) == 10 for v, g in spans.values()), spans
    assert features(article).days == frozenset({"d:2026-02-19"})


# A saga in three reports of one afternoon: the government's bread decision, another outlet's
# report of the same decision (its own closing paragraph), and the unions' strike call, a new
# development whose closing paragraph retells the same weeks of protests as the first report.
_PROTESTS = ("ويأتي ذلك بعد أسابيع من الاحتجاجات في المدن الكبرى على ارتفاع أسعار الخبز والوقود، "
             "إذ خرج آلاف المتظاهرين إلى الشوارع مطالبين بإلغاء الزيادات التي أقرتها الحكومة في "
             "موازنة العام، وأغلق التجار محالهم في الأسواق القديمة احتجاجا على الضرائب الجديدة، ")
BREAD = art(
    "bread-1", "وكالة الرافدين", "الحكومة تعيد دعم رغيف الخبز وتخفض سعره إلى النصف",
    "أعلن رئيس الوزراء مساء اليوم إعادة دعم رغيف الخبز وخفض سعره إلى النصف اعتبارا من الأسبوع "
    "المقبل، وقال في كلمة متلفزة إن المخابز ستتلقى الطحين المدعوم مباشرة من مطاحن الدولة، وإن "
    "وزارة التموين ستراقب الأوزان والأسعار في كل المحافظات وتعاقب المخالفين بإغلاق المخبز، مضيفا "
    "أن بطاقات التموين ستبقى سارية وأن الأسر الفقيرة ستحصل على حصة إضافية من الطحين كل شهر. "
    + _PROTESTS + "فيما دعت أحزاب المعارضة إلى حوار وطني شامل حول السياسة الاقتصادية والدعم "
    "الحكومي للسلع.", 0)
BREAD_2 = art(
    "bread-2", "صحيفة الفجر", "خفض سعر الخبز المدعوم إلى النصف بقرار من رئيس الوزراء",
    "قرر رئيس الوزراء خفض سعر رغيف الخبز المدعوم إلى النصف بدءا من الأسبوع المقبل، موضحا في "
    "كلمته المتلفزة أن مطاحن الدولة ستزود المخابز بالطحين المدعوم مباشرة، وأن وزارة التموين "
    "ستراقب الأسعار والأوزان في المحافظات كلها وستغلق المخابز المخالفة، وأن الأسر الفقيرة ستنال "
    "حصة إضافية من الطحين شهريا مع بقاء بطاقات التموين. وقال خبراء إن القرار سيكلف الخزينة مبالغ "
    "كبيرة في ظل عجز متزايد، وطالبوا بخطة لتعويض الإيرادات وضبط الإنفاق.", 3)
STRIKE = art(
    "strike-1", "بوابة الشام", "النقابات تدعو إلى إضراب عام ضد ضريبة الوقود",
    "دعا اتحاد النقابات المهنية إلى إضراب عام يوم الخميس رفضا لضريبة الوقود الجديدة، وقال رئيس "
    "الاتحاد إن الإضراب سيشمل المدارس والمستشفيات والنقل العام والموانئ، وإن النقابات ستعتصم أمام "
    "مبنى البرلمان حتى يسحب النواب الضريبة من مشروع القانون، محذرا من أن الإضراب قد يمتد أسبوعا "
    "كاملا إذا رفضت الحكومة الجلوس إلى طاولة الحوار مع العمال. " + _PROTESTS
    + "فيما دعت المعارضة إلى حوار وطني شامل حول السياسة الاقتصادية ودعم السلع.", 4)


def test_a_heavier_lead_judges_a_development_by_its_lead_not_by_the_sagas_background() -> None:
    """The lead weighs lead_tf more than the rest of the body: weighted up, a report of the same
    decision in other words comes closer, and a new development whose body retells the same
    background moves away; with the threshold between the development's two scores, it joins
    the story when the lead weighs as the body does and stays apart with the lead weighted up
    (measured on the golds and not kept as the default: see ClusterConfig.lead_tf)."""
    from khabar.stories.cluster import ClusterConfig

    def score(config: ClusterConfig, second: Article) -> float:
        return _score_against(config, BREAD, second)

    flat, heavy = ClusterConfig(lead_tf=1.0), ClusterConfig(lead_tf=2.0)
    assert score(heavy, BREAD_2) > score(flat, BREAD_2)
    assert score(heavy, STRIKE) < score(flat, STRIKE)
    assert score(heavy, BREAD_2) > 2 * score(heavy, STRIKE)

    threshold = (score(heavy, STRIKE) + score(flat, STRIKE)) / 2
    joined = cluster_articles([BREAD, STRIKE], ClusterConfig(threshold=threshold, lead_tf=1.0))
    apart = cluster_articles([BREAD, STRIKE], ClusterConfig(threshold=threshold, lead_tf=2.0))
    assert joined[1].story == "bread-1"
    assert apart[1].story == "strike-1"
    assert {a.article_id: a.story for a in cluster_articles([BREAD, BREAD_2, STRIKE])} == {
        "bread-1": "bread-1", "bread-2": "bread-1", "strike-1": "strike-1"}


# A school closure in one city, reported by the ministry and by a paper that leads with the
# city, and the teachers' union's rejection of it: another party's action, its own story.
CLOSURE = _with_names(art(
    "closure-1", "وكالة الرافدين", "وزارة الصحة تعلن إغلاق المدارس في البصرة بسبب الكوليرا",
    "أعلنت وزارة الصحة إغلاق المدارس في البصرة أسبوعين بعد تسجيل إصابات بالكوليرا بين التلاميذ، "
    "وقالت إن فرقها ستعقم المباني وتفحص خزانات المياه قبل عودة الدروس.", 0),
    ("وزارة الصحة", "ORG"), ("البصرة", "LOC"))
CLOSURE_2 = _with_names(art(
    "closure-2", "صحيفة الفجر", "البصرة: إغلاق المدارس أسبوعين بعد إصابات بالكوليرا",
    "قررت وزارة الصحة إغلاق مدارس البصرة مدة أسبوعين إثر إصابات بالكوليرا بين التلاميذ، على أن "
    "تعقم الفرق المباني وتفحص خزانات المياه قبل استئناف الدروس.", 2),
    ("البصرة", "LOC"), ("وزارة الصحة", "ORG"))
UNION = _with_names(art(
    "union-1", "بوابة الشام", "نقابة المعلمين ترفض إغلاق المدارس في البصرة",
    "رفضت نقابة المعلمين قرار وزارة الصحة إغلاق المدارس في البصرة بسبب الكوليرا، وقالت إن تعقيم "
    "المباني وفحص خزانات المياه ممكن دون وقف الدروس أسبوعين.", 3),
    ("نقابة المعلمين", "ORG"), ("وزارة الصحة", "ORG"), ("البصرة", "LOC"))


def test_a_title_leading_with_a_party_the_story_never_headlines_is_another_development() -> None:
    """Title actor clash: the first word of a title that belongs to one of the article's names
    is the party it leads with; when none of the story's titles writes it, the score loses
    title_actor_clash (the union's rejection of a closure is not the closure). A report that
    leads with a party the story's titles do name costs nothing, nor does a title that names
    nobody; with the threshold between the union's two scores it joins only without the clash."""
    from dataclasses import replace

    from khabar.stories.cluster import ClusterConfig, features

    assert features(UNION).title_actor == "نقابه"  # a match key: the union, not the city
    assert features(CLOSURE_2).title_actor == "بصره"  # the city, which the story's title writes

    def score(config: ClusterConfig, second: Article) -> float:
        return _score_against(config, CLOSURE, second)

    off = ClusterConfig(title_actor_clash=0.0)
    clash = ClusterConfig().title_actor_clash
    assert clash > 0
    assert abs(score(off, UNION) - score(ClusterConfig(), UNION) - clash) < 1e-9
    assert abs(score(off, CLOSURE_2) - score(ClusterConfig(), CLOSURE_2)) < 1e-9
    unnamed = replace(UNION, entities=())
    assert features(unnamed).title_actor == ""
    assert abs(score(off, unnamed) - score(ClusterConfig(), unnamed)) < 1e-9

    # the stream's own score (it learns the article's terms before scoring it)
    plain = cluster_articles([CLOSURE, UNION], ClusterConfig(threshold=-1.0, title_actor_clash=0.0))[1].score
    threshold = plain - clash / 2
    joined = cluster_articles([CLOSURE, UNION], ClusterConfig(threshold=threshold, title_actor_clash=0.0))
    apart = cluster_articles([CLOSURE, UNION], ClusterConfig(threshold=threshold))
    assert joined[1].story == "closure-1"
    assert apart[1].story == "union-1"


def test_copy_groups_of_a_later_run_are_judged_on_the_stored_texts(tmp_path: Path) -> None:
    """A later run loads the earlier articles' signatures, not their shingle sets: a candidate
    copy is read again from the store, so two runs give the groups one run gives."""
    from test_stories_dedup import LONG_A, LONG_A_CUT, LONG_B

    a = art("long-a", "وكالة الرافدين", "نشرة الأخبار المحلية", LONG_A, 0)
    b = art("long-b", "صحيفة الفجر", "نشرة الأخبار المحلية", LONG_B, 1)
    cut = art("long-a-cut", "بوابة الشام", "نشرة الأخبار المحلية", LONG_A_CUT, 2)
    one_run = {x.article_id: x.copy_group for x in cluster_articles([a, b, cut])}
    assert one_run == {"long-a": "long-a", "long-b": "long-b", "long-a-cut": "long-a"}
    path = tmp_path / "stories.db"
    with Store(path) as store:
        store.add_batch([a, b, cut])
        StoryStore(store).assign([a])
    with Store(path) as store:  # a later run: long-a's signature comes from the database
        got = {x.article_id: x.copy_group for x in StoryStore(store).assign([b, cut])}
    assert got == {"long-b": "long-b", "long-a-cut": "long-a"}


@pytest.mark.parametrize(("title", "kinds"), [
    ("انفجار يهز سوقا شعبيا في الموصل", {"explode"}),
    ("مقتل ثلاثة جنود بهجوم على حاجز قرب كركوك", {"kill", "attack"}),
    ("الشرطة تعتقل مشتبها وتستدعي شهودا في قضية السطو", {"arrest", "summon"}),
    ("وزير الخارجية يزور بغداد الأسبوع المقبل", {"visit"}),
    # with the article ال a word names the saga's background, not the headline's news
    ("البرلمان يناقش الاتفاق النووي وسط الاحتجاجات", set()),
    ("أسعار الذهب ترتفع في الأسواق المحلية", set()),
])
def test_a_title_reports_the_kinds_of_action_its_words_name(title: str, kinds: set[str]) -> None:
    from khabar.stories.cluster import title_predicates

    assert title_predicates(title) == kinds


MOSUL_BLAST = _with_names(art(
    "blast-1", "وكالة الرافدين", "انفجار يهز سوقا شعبيا في الموصل",
    "هز انفجار عنيف سوقا شعبيا وسط مدينة الموصل ظهر الجمعة، وقال مصدر في الشرطة إن فرق "
    "الإسعاف نقلت عددا من المصابين إلى المستشفى الجمهوري، فيما طوقت القوات الأمنية المكان.", 0),
    ("الموصل", "LOC"))
MOSUL_BLAST_2 = _with_names(art(
    "blast-2", "صحيفة الفجر", "تفجير في سوق بالموصل وإصابة عدد من المتسوقين",
    "أفاد شهود عيان بوقوع تفجير في سوق مزدحم بمدينة الموصل، وأكدت مديرية الصحة استقبال جرحى "
    "من المتسوقين، بينما أغلقت قوات الأمن الشوارع المؤدية إلى السوق.", 3),
    ("الموصل", "LOC"))
MOSUL_VISIT = _with_names(art(
    "visit-1", "صحيفة الفجر", "محافظ نينوى يزور سوق الموصل ويتفقد المصابين",
    "زار محافظ نينوى سوق مدينة الموصل وتفقد المصابين في المستشفى الجمهوري، ووعد بتعويض أصحاب "
    "المحال المتضررة وإعادة فتح الشوارع المؤدية إلى السوق.", 3),
    ("نينوى", "LOC"), ("الموصل", "LOC"))
BASRA_BLAST = _with_names(art(
    "blast-3", "صحيفة الفجر", "انفجار في سوق بالبصرة وإصابة عدد من المتسوقين",
    "أفاد شهود عيان بوقوع انفجار في سوق مزدحم بمدينة البصرة، وأكدت مديرية الصحة استقبال جرحى "
    "من المتسوقين، بينما أغلقت قوات الأمن الشوارع المؤدية إلى السوق.", 3),
    ("البصرة", "LOC"))


def test_a_title_reporting_the_same_kind_of_action_on_the_same_day_gains_the_predicate_bonus() -> None:
    """Title predicate bonus: two outlets' headlines of one development name its action in other
    words of one kind (انفجار, تفجير: explode) and share a name (the city); within
    title_predicate_days of the story's first article the score gains title_predicate_bonus. A
    headline of another kind of action (the governor's visit) gains nothing, nor does one of the
    same kind a day later (a second blast is another development), nor one of the same kind
    somewhere else (a blast in Basra), nor one whose names are unknown (text without NER)."""
    from dataclasses import replace

    from khabar.stories.cluster import features

    assert features(MOSUL_BLAST).title_predicates == {"explode"}
    assert features(MOSUL_BLAST_2).title_predicates == {"explode", "injure"}
    assert features(MOSUL_VISIT).title_predicates == {"visit"}
    off = ClusterConfig(title_predicate_bonus=0.0)
    bonus = ClusterConfig().title_predicate_bonus
    assert bonus > 0

    def gain(second: Article) -> float:
        return (_score_against(ClusterConfig(), MOSUL_BLAST, second)
                - _score_against(off, MOSUL_BLAST, second))

    assert abs(gain(MOSUL_BLAST_2) - bonus) < 1e-9
    assert abs(gain(MOSUL_VISIT)) < 1e-9
    next_day = replace(MOSUL_BLAST_2, published=MOSUL_BLAST.published + timedelta(hours=20))
    assert abs(gain(next_day)) < 1e-9
    assert features(BASRA_BLAST).title_predicates == {"explode", "injure"}
    assert abs(gain(BASRA_BLAST)) < 1e-9
    assert abs(gain(replace(MOSUL_BLAST_2, entities=()))) < 1e-9

    # the stream's own score: with the threshold between the two, the report joins only with it
    plain = cluster_articles([MOSUL_BLAST, MOSUL_BLAST_2],
                             ClusterConfig(threshold=-1.0, title_predicate_bonus=0.0))[1].score
    threshold = plain + bonus / 2
    apart = cluster_articles([MOSUL_BLAST, MOSUL_BLAST_2],
                             ClusterConfig(threshold=threshold, title_predicate_bonus=0.0))
    joined = cluster_articles([MOSUL_BLAST, MOSUL_BLAST_2], ClusterConfig(threshold=threshold))
    assert apart[1].story == "blast-2"
    assert joined[1].story == "blast-1"


def test_story_state_keeps_its_titles_kinds_of_action_and_state_saved_before_gets_no_bonus() -> None:
    import json

    from khabar.stories.cluster import StoryClusterer, StoryState, features

    clusterer = StoryClusterer()
    clusterer.add(features(MOSUL_BLAST))
    saved = json.loads(json.dumps(clusterer.active["blast-1"].to_json()))
    assert saved["title_predicates"] == ["explode"]
    back = StoryState.from_json("blast-1", MOSUL_BLAST.title, None, None, 1, saved)
    assert back.title_predicates == {"explode"}
    f = features(MOSUL_BLAST_2)
    vec, tvec = clusterer.vectors(f)
    legacy = StoryState.from_json("blast-1", MOSUL_BLAST.title, None, None, 1,
                                  {k: v for k, v in saved.items() if k != "title_predicates"})
    assert legacy.title_predicates is None and "title_predicates" not in legacy.to_json()
    gap = clusterer.score(f, vec, tvec, back) - clusterer.score(f, vec, tvec, legacy)
    assert abs(gap - clusterer.config.title_predicate_bonus) < 1e-9


def test_state_text_is_the_json_of_the_state_as_it_changes() -> None:
    """`StoryState.to_json_text` (what the store saves; it writes the seed and the member titles
    once per story) is `json.dumps` of `to_json()`, character for character, after every
    article, when member titles drop out (two kept here) and for a story that is still its
    seed."""
    import json

    from khabar.stories.cluster import features
    from khabar.stories.stream import StoryStream

    stream = StoryStream(ClusterConfig(title_vecs=2))
    clusterer = stream.clusterer
    later = art("aqaba-3", "بوابة الشام", "الدفاع المدني: حصيلة سيول العقبة 12 وفاة",
                AQABA_2.body, 8)
    sizes: set[int] = set()
    for a in (AQABA_1, MEASLES, MEASLES_REPRINT, AQABA_2, later, MEASLES_2, SALALAH):
        stream.add(features(a))
        sizes.update(s.size for s in clusterer.active.values())
        for state in clusterer.active.values():
            for _ in range(2):  # written, then from what it kept
                assert state.to_json_text() == json.dumps(
                    state.to_json(), ensure_ascii=False, separators=(",", ":"))
            assert len(state.packed_json) <= len(state.title_vecs) + 1
    assert max(sizes) >= 3 and 1 in sizes  # titles did drop out; stories still their seed


FESTIVAL = art(
    "festival-1", "صحيفة الفجر", "افتتاح مهرجان الربيع للزهور في حلب",
    "افتتح محافظ حلب صباح الخميس مهرجان الربيع للزهور في الحديقة العامة بمشاركة أربعين مشتلا "
    "من المحافظات، ويستمر المهرجان أسبوعا تعرض فيه أصناف نادرة من الورود والنباتات المنزلية، "
    "وقال المنظمون إن الدخول مجاني للعائلات طوال أيام المعرض.", 0)
FESTIVAL_2 = art(
    "festival-2", "وكالة الرافدين", "أربعون مشتلا في مهرجان الربيع للزهور بحلب",
    "يشارك أربعون مشتلا من المحافظات في مهرجان الربيع للزهور الذي افتتحه محافظ حلب في الحديقة "
    "العامة، ويعرض المهرجان طوال أسبوع أصنافا نادرة من الورود والنباتات، والدخول مجاني.", 3)
FESTIVAL_COLUMN = art(
    "festival-column", "وكالة الرافدين", "مهرجان الربيع للزهور في حلب.. وماذا بعد؟",
    "كتب رئيس التحرير: تعاني أحياء المدينة القديمة من انقطاع المياه منذ شهور، وتتراكم النفايات "
    "في الأزقة، وينتظر السكان إصلاح شبكة الصرف الصحي التي وعدت بها البلدية قبل عامين، فيما "
    "ترتفع أسعار الخبز والوقود كل أسبوع ولا يجد الموظفون ما يسد حاجة أسرهم.", 3)


def test_a_headline_the_bodies_do_not_back_up_counts_only_as_far_as_they_do() -> None:
    """Title cosine cap: the headlines' cosine counts at most `title_cos_cap` times the bodies'
    link. A column whose headline repeats an event's words over a body about other things (the
    old city's water and bread prices) loses what the headline alone gave it; a second outlet's
    report of the event, whose body tells it too, keeps its whole score."""
    from khabar.stories.cluster import StoryClusterer, features

    off = ClusterConfig(title_cos_cap=0.0)
    cap = ClusterConfig().title_cos_cap
    assert cap > 0
    assert _score_against(ClusterConfig(), FESTIVAL, FESTIVAL_2) == _score_against(
        off, FESTIVAL, FESTIVAL_2)
    capped = _score_against(ClusterConfig(), FESTIVAL, FESTIVAL_COLUMN)
    plain = _score_against(off, FESTIVAL, FESTIVAL_COLUMN)
    assert capped < plain
    # the loss is the title weight times what the headline's cosine had over cap · link
    clusterer = StoryClusterer(off)
    clusterer.add(features(FESTIVAL))
    f = features(FESTIVAL_COLUMN)
    _, tvec = clusterer.vectors(f)
    story = clusterer.active["festival-1"]
    link = _score_against(ClusterConfig(title_weight=0.0, name_agreement=0.0), FESTIVAL,
                          FESTIVAL_COLUMN)
    tcos = story.title_cos(tvec)
    assert tcos > cap * link
    assert abs((plain - capped) - off.title_weight * (tcos - cap * link)) < 1e-9
    # in a stream with the threshold between the two scores, the column joins only uncapped
    threshold = (capped + plain) / 2
    apart = cluster_articles([FESTIVAL, FESTIVAL_COLUMN], ClusterConfig(threshold=threshold))
    joined = cluster_articles([FESTIVAL, FESTIVAL_COLUMN],
                              ClusterConfig(threshold=threshold, title_cos_cap=0.0))
    assert apart[1].story == "festival-column"
    assert joined[1].story == "festival-1"
