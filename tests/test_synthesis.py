"""Story synthesis: what a story says, each statement with its sources (khabar.stories.synthesis)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, shared_path

from khabar import Corpus, process
from khabar.cli import cli
from khabar.model import Article
from khabar.stories.synthesis import REPORT_KEYS, summarize, synthesize

# Two outlets on one (invented) factory fire: they agree on the injured and on a quote, and
# disagree on the death toll.
FIRE_A = """مصرع 7 أشخاص في حريق بمصنع للنسيج في مدينة الزهراء
الزهراء - لقي 7 أشخاص مصرعهم وأصيب 15 آخرون في حريق اندلع مساء الأحد 8 آذار 2026 في مصنع للنسيج بمدينة الزهراء.
وقال مدير الدفاع المدني سامي الخطيب إن "فرق الإطفاء سيطرت على الحريق بعد ثلاث ساعات من العمل المتواصل".
وأضاف الخطيب أن التحقيقات جارية لمعرفة أسباب الحريق في المصنع الذي يعمل فيه 400 عامل.
"""
FIRE_B = """حريق مصنع الزهراء: 9 قتلى و15 مصاباً
أعلنت السلطات ارتفاع حصيلة حريق مصنع النسيج في مدينة الزهراء إلى 9 قتلى و15 مصاباً.
وقال سامي الخطيب مدير الدفاع المدني إن "فرق الإطفاء سيطرت على الحريق بعد ثلاث ساعات من العمل".
وكان الحريق قد اندلع في المصنع مساء الأحد 8 آذار 2026، ثم امتد إلى مستودع مجاور.
"""
# One outlet that gives a new figure and a total: not a contradiction of the outlet giving the
# new figure only.
TROOPS_A = """الحكومة ترسل 300 جندي إضافي إلى الحدود الشرقية
أعلنت وزارة الدفاع إرسال 300 جندي إضافي إلى الحدود الشرقية ليرتفع عدد القوات هناك إلى 2100 عسكري.
وقال المتحدث باسم الوزارة نبيل الراشد إن "التعزيزات تهدف إلى تأمين المعابر قبل موسم الحصاد".
"""
TROOPS_B = """تعزيزات عسكرية جديدة على الحدود الشرقية
قررت وزارة الدفاع نشر 300 عسكري إضافي على الحدود الشرقية خلال الأسبوع الجاري.
وأوضح نبيل الراشد المتحدث باسم الوزارة أن "التعزيزات تهدف إلى تأمين المعابر قبل موسم الحصاد".
"""
LONE = """افتتاح مكتبة عامة جديدة في حي النخيل
افتتحت البلدية صباح اليوم مكتبة عامة جديدة في حي النخيل تضم 12 ألف كتاب.
وتفتح المكتبة أبوابها يومياً من التاسعة صباحاً حتى السابعة مساءً.
وقالت مديرة المكتبة سلمى العتيبي إن "المكتبة ستنظم ورشاً للقراءة للأطفال كل أسبوع".
"""


def _fire() -> list[Article]:
    return [process(FIRE_A, outlet="صحيفة المثال", published="2026-03-09T08:00:00"),
            process(FIRE_B, outlet="وكالة الأنباء النموذجية", published="2026-03-09T10:00:00")]


def test_a_figure_two_outlets_report_is_one_fact_with_both_outlets() -> None:
    report = synthesize(_fire())
    injured = [f for f in report.facts if f.key == "injured:15"]
    assert len(injured) == 1
    assert set(injured[0].outlets) == {"صحيفة المثال", "وكالة الأنباء النموذجية"}
    # `15 آخرون` after `أصيب` and `15 مصاباً` are the same thing in different words
    assert {m.text for m in injured[0].mentions} >= {"15 آخرون", "15 مصاباً"}


def test_outlets_disagreeing_on_a_death_toll_is_a_conflict_with_both_values_and_sources() -> None:
    report = synthesize(_fire())
    assert len(report.conflicts) == 1
    conflict = report.conflicts[0]
    by_value = {v.value: v.outlets for v in conflict.values}
    assert by_value == {7: ("صحيفة المثال",), 9: ("وكالة الأنباء النموذجية",)}


def test_outlets_dating_one_event_differently_is_a_date_conflict() -> None:
    a, _ = _fire()
    b = process(FIRE_B.replace("مساء الأحد 8 آذار 2026", "مساء السبت 7 آذار 2026"),
                outlet="وكالة الأنباء النموذجية", published="2026-03-09T10:00:00")
    dated = [c for c in synthesize([a, b]).conflicts if c.what == "التاريخ"]
    assert len(dated) == 1
    assert {v.value: v.outlets for v in dated[0].values} == {
        "2026-03-08": ("صحيفة المثال",), "2026-03-07": ("وكالة الأنباء النموذجية",)}
    # the same day from both outlets is no conflict
    assert not [c for c in synthesize(_fire()).conflicts if c.what == "التاريخ"]


def test_a_new_figure_and_a_total_from_one_outlet_are_two_facts_not_a_conflict() -> None:
    report = synthesize([process(TROOPS_A, outlet="أ"), process(TROOPS_B, outlet="ب")])
    facts = {f.value: f.n_outlets for f in report.facts}
    assert facts[300] == 2  # جندي and عسكري are both troops
    assert facts[2100] == 1
    assert report.conflicts == ()


def test_the_same_quote_in_two_outlets_is_one_quote_with_two_sources() -> None:
    articles = _fire()
    report = synthesize(articles)
    fire = [q for q in report.quotes if "الإطفاء" in q.text]
    assert len(fire) == 1
    assert fire[0].speaker == "سامي الخطيب"
    assert len(fire[0].sources) == 2
    text = {a.id: a.text for a in articles}
    for source in fire[0].sources:
        assert text[source.article_id][source.start:source.end] == source.text


def test_a_quote_an_article_repeats_cites_that_article_once() -> None:
    quote = 'وقال سامي الخطيب مدير الدفاع المدني إن "فرق الإطفاء سيطرت على الحريق بعد ثلاث ساعات من العمل".\n'
    repeated = process(FIRE_B + quote * 3, outlet="وكالة الأنباء النموذجية", published="2026-03-09T10:00:00")
    assert sum("الإطفاء" in q.text for q in repeated.quotes) == 4
    report = synthesize([_fire()[0], repeated])
    fire = [q for q in report.quotes if "الإطفاء" in q.text]
    assert len(fire) == 1
    assert sorted(s.article_id for s in fire[0].sources) == sorted({a.id for a in (_fire()[0], repeated)})


def test_a_short_quote_carried_by_several_outlets_is_one_quote() -> None:
    # two content words: too few to measure overlap by, the same words all the same
    texts = [("وكالة الشمال", 'وقال وزير المالية رامي الحداد للصحافيين: "هذه الأزمة قد انتهت".'),
             ("صحيفة الجنوب", 'وقال وزير المالية رامي الحداد في مؤتمر صحافي: "هذه الأزمة قد انتهت".')]
    articles = [process(f"الحكومة تعلن انتهاء أزمة الوقود\n{t}\n", outlet=o, published="2026-04-02T10:00:00")
                for o, t in texts]
    assert all(len(a.quotes) == 1 for a in articles)
    quotes = synthesize(articles).quotes
    assert len(quotes) == 1
    assert quotes[0].outlets == ("وكالة الشمال", "صحيفة الجنوب")


def test_summary_sentences_cite_their_article_and_offsets_without_repeating() -> None:
    articles = _fire()
    report = synthesize(articles)
    assert 3 <= len(report.summary) <= 6
    text = {a.id: a.text for a in articles}
    for s in report.summary:
        assert text[s.article_id][s.start:s.end] == s.text
    assert len({s.text for s in report.summary}) == len(report.summary)
    # the two near-identical quote sentences are not both picked
    assert sum("فرق الإطفاء" in s.text for s in report.summary) <= 1


def test_a_one_article_story_is_summarised_by_its_lead() -> None:
    article = process(LONE, outlet="صحيفة المثال")
    report = synthesize([article])
    assert report.summary[0].text.startswith("افتتحت البلدية")
    assert report.headline == "افتتاح مكتبة عامة جديدة في حي النخيل"


def test_timeline_dates_are_in_order_with_every_outlet_that_dates_them() -> None:
    report = synthesize(_fire())
    days = [t.date for t in report.timeline]
    assert days == sorted(days)
    march_8 = [t for t in report.timeline if t.date == "2026-03-08"]
    assert march_8 and len(march_8[0].outlets) == 2


def test_report_dict_has_the_shape_the_web_reader_renders() -> None:
    data = synthesize(_fire()).to_dict()
    assert set(REPORT_KEYS) <= set(data)
    fact = data["facts"][0]
    assert set(fact) == {"key", "what", "value", "unit", "counted", "text", "outlets", "articles",
                         "n_outlets", "n_texts", "mentions"}
    assert set(fact["mentions"][0]) == {"article_id", "outlet", "text", "start", "end"}
    assert set(data["summary"][0]) == {"text", "article_id", "outlet", "start", "end", "dated"}
    assert set(data["quotes"][0]) == {"speaker", "text", "verb", "direct", "outlets", "sources"}
    assert set(data["quotes"][0]["sources"][0]) == {"article_id", "outlet", "start", "end", "text"}
    assert set(data["conflicts"][0]) == {"what", "values"}
    assert set(data["conflicts"][0]["values"][0]) == {"value", "text", "outlets", "articles"}
    assert set(data["timeline"][0]) == {"date", "granularity", "text", "outlets", "articles"}
    assert set(data["entities"][0]) == {"canonical", "label", "salience", "n_articles", "n_outlets", "key"}
    json.dumps(data, ensure_ascii=False)


def test_reprints_count_once_in_the_summary_and_are_listed_as_a_copy_group() -> None:
    a, b = _fire()
    copy = process(FIRE_A, outlet="موقع ثالث", published="2026-03-09T09:00:00")
    report = synthesize([a, b, copy], copy_groups={a.id: a.id, copy.id: a.id, b.id: b.id})
    assert report.copy_groups == ((a.id, (a.id, copy.id)),)
    assert all(s.article_id != copy.id for s in report.summary)
    injured = next(f for f in report.facts if f.key == "injured:15")
    assert (injured.n_outlets, injured.n_texts) == (3, 2)  # the reprint is a third outlet, not a third text


def test_a_figure_only_reprints_of_one_copy_give_is_one_text_and_ranks_after_independent_ones() -> None:
    from khabar.stories.render import to_html, to_markdown

    a, b = _fire()
    copies = [process(FIRE_A, outlet=f"موقع {n}", published="2026-03-09T09:00:00") for n in ("أول", "ثان", "ثالث")]
    groups = {a.id: a.id, b.id: b.id, **{c.id: a.id for c in copies}}
    report = synthesize([a, b, *copies], copy_groups=groups)
    by_key = {f.key: f for f in report.facts}
    only_a = [f for f in report.facts if set(f.articles) == {a.id, *(c.id for c in copies)}]
    assert only_a and all((f.n_outlets, f.n_texts) == (4, 1) for f in only_a)
    both = by_key["injured:15"]
    assert (both.n_outlets, both.n_texts) == (5, 2)
    order = [f.key for f in report.facts]
    assert all(order.index(both.key) < order.index(f.key) for f in only_a)
    data = {"id": "s1", "title": report.headline, "size": 5, "articles": [], **report.to_dict()}
    assert "4 outlets (1 text)" in to_markdown(data) and "5 outlets (2 texts)" in to_markdown(data)
    assert "(نص واحد)" in to_html([data]) and "(نصان)" in to_html([data])


# --------------------------------------------------------------------------- seeds and demo


def test_seeds_facts_speakers_and_dates_match_the_issue() -> None:
    seeds = shared_path("seeds")
    outlets = {"000": "شبكة اخبار العراق", "002": "إرفع صوتك"}
    articles = [process(p.read_text(encoding="utf-8"), outlet=outlets[p.name[:3]])
                for p in sorted(seeds.glob("*.txt"))]
    report = synthesize(articles)
    facts = {f.value: set(f.outlets) for f in report.facts}
    assert facts[560] == set(outlets.values())
    assert facts[4647] == {"شبكة اخبار العراق"}
    assert report.conflicts == ()
    speakers: dict[str, set[str]] = {}
    for q in report.quotes:
        speakers.setdefault(q.speaker, set()).update(q.outlets)
    assert speakers["آشتون كارتر"] == set(outlets.values())
    assert speakers["نصير نوري"] == {"شبكة اخبار العراق"}
    assert speakers["سعد الحديثي"] == {"إرفع صوتك"}
    qayyarah = [e for e in report.entities if e.canonical == "القيارة"]
    assert qayyarah and qayyarah[0].n_outlets == 2
    july_11 = [t for t in report.timeline if t.date.endswith("-07-11")]
    assert july_11 and set(july_11[0].outlets) == set(outlets.values())


def test_demo_gold_facts_conflicts_speakers_and_merged_quotes() -> None:
    import sys

    sys.path.insert(0, str(ROOT))
    from benchmarks import synthesis as bench

    result = bench.eval_demo()
    assert result["conflicts_accuracy"] == 1.0
    assert result["conflicts_precision"] == 1.0
    assert result["speakers_accuracy"] == 1.0
    assert result["quotes_accuracy"] == 1.0
    assert result["facts_accuracy"] >= 0.95


# --------------------------------------------------------------------------- store and CLI


@pytest.fixture
def fire_db(tmp_path: Path) -> Path:
    inputs = tmp_path / "in.jsonl"
    rows = [{"text": FIRE_A, "outlet": "صحيفة المثال", "date": "2026-03-09 08:00:00"},
            {"text": FIRE_B, "outlet": "وكالة <b>النموذج</b> & شركاه",
             "date": "2026-03-09 10:00:00"},
            {"text": LONE, "outlet": "صحيفة المثال", "date": "2026-03-12 09:00:00"}]
    inputs.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "fire.db"
    with Corpus(db) as corpus:
        corpus.ingest([inputs])
    return db


def _fire_story(db: Path) -> str:
    with Corpus(db) as corpus:
        return next(s for s in corpus.list_stories() if s["size"] == 2)["id"]


def test_corpus_story_carries_the_synthesis(fire_db: Path) -> None:
    sid = _fire_story(fire_db)
    with Corpus(fire_db) as corpus:
        data = corpus.story(sid)
        for key in ("id", "title", "size", "articles", *REPORT_KEYS):
            assert key in data
        assert data["conflicts"] and data["summary"]
        for s in data["summary"]:
            assert corpus.article(s["article_id"]).text[s["start"]:s["end"]] == s["text"]
        # a story's names carry the keys of the names index, so a client can join the two
        indexed = {e["key"] for e in corpus.entities(limit=200)}
        assert data["entities"] and {e["key"] for e in data["entities"]} <= indexed


def test_story_command_prints_text_json_and_markdown(fire_db: Path) -> None:
    sid = _fire_story(fire_db)
    runner = CliRunner()
    text = runner.invoke(cli, ["--db", str(fire_db), "story", sid])
    assert text.exit_code == 0, text.output
    assert "Conflicting figures" in text.output and "سامي الخطيب" in text.output
    js = runner.invoke(cli, ["--db", str(fire_db), "story", sid, "--json"])
    assert json.loads(js.output)["id"] == sid
    md = runner.invoke(cli, ["--db", str(fire_db), "story", sid, "--markdown"])
    assert md.output.startswith("## ") and "### Summary" in md.output


def test_report_of_a_day_is_escaped_right_to_left_html(fire_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "day.html"
    result = CliRunner().invoke(cli, ["--db", str(fire_db), "report", "--day", "2026-03-09",
                                      "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert "<b>النموذج</b>" not in page and "&lt;b&gt;النموذج&lt;/b&gt; &amp; شركاه" in page
    assert "مكتبة" not in page  # a story of another day
    assert 'name="viewport"' in page and "<title>خبر · 2026-03-09 · " in page  # readable on a phone, in Arabic
    story = CliRunner().invoke(cli, ["--db", str(fire_db), "report", "--story", _fire_story(fire_db),
                                     "--format", "html"]).output
    heading = story.split("<title>")[1].split("</title>")[0]
    assert story.count(f">{heading}</h") == 1  # the story's heading once, not as h1 and h2


def test_report_counts_its_outlets_in_the_case_after_min(fire_db: Path) -> None:
    """Two articles from two outlets: مقالتان من مصدرين (after the preposition the dual is
    genitive), not من مصدران."""
    page = CliRunner().invoke(cli, ["--db", str(fire_db), "report", "--story", _fire_story(fire_db),
                                    "--format", "html"]).output
    assert '<p class="meta">مقالتان من مصدرين · ' in page, page.split('class="meta">')[1][:60]


def test_markdown_report_escapes_markup_from_the_articles(fire_db: Path) -> None:
    """An outlet named `وكالة <b>النموذج</b>` is text in the Markdown too: a renderer that passes
    HTML through (most do) shows it, it does not render it."""
    runner = CliRunner()
    for args in (["story", _fire_story(fire_db), "--markdown"], ["report", "--day", "2026-03-09"]):
        md = runner.invoke(cli, ["--db", str(fire_db), *args]).output
        assert "النموذج" in md, md
        # every < is escaped: preceded by an odd number of backslashes
        assert not re.search(r"(?<!\\)(?:\\\\)*<", md), [line for line in md.splitlines() if "<" in line]
        assert "\\<b>النموذج\\</b> & شركاه" in md


def test_report_needs_exactly_one_of_story_or_day(fire_db: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(fire_db), "report"]).exit_code == 2
    assert runner.invoke(cli, ["--db", str(fire_db), "report", "--day", "9 March"]).exit_code == 2
    missing = runner.invoke(cli, ["--db", str(fire_db), "report", "--story", "nope"])
    assert missing.exit_code == 3


def test_articles_without_extraction_or_no_articles_still_give_a_report() -> None:
    assert synthesize([]).summary == ()
    bare = Article(id="x", title="عنوان قصير",
                   text="عنوان قصير\nالجملة الأولى في النص تتحدث عن أمر مهم جدا اليوم. والجملة الثانية تكمل الحديث.")
    report = synthesize([bare])
    assert report.summary[0].text == "الجملة الأولى في النص تتحدث عن أمر مهم جدا اليوم."
    assert report.facts == () and report.quotes == ()


# A league table in two outlets: the leader's points and the runner-up's are two subjects.
LEAGUE_A = """ليفربول يعزز صدارته للدوري
عزز نادي ليفربول صدارته لدوري الدرجة الأولى برصيد 41 نقطة بعد فوزه على ضيفه 2-0 مساء الجمعة.
وفي المباراة الأخرى تعادل نادي أرسنال مع نادي تشيلسي، ليبقى أرسنال ثانياً برصيد 36 نقطة.
"""
LEAGUE_B = """فوز جديد لليفربول في الدوري
فاز نادي ليفربول على ضيفه بهدفين دون رد في الجولة العشرين من دوري الدرجة الأولى.
ورفع نادي ليفربول رصيده إلى 41 نقطة في الصدارة.
"""
LEAGUE_C = """تعادل أرسنال وتشيلسي
تعادل نادي أرسنال مع نادي تشيلسي سلبياً مساء الجمعة في الجولة العشرين.
وبقي نادي أرسنال في المركز الثاني برصيد 36 نقطة.
"""
# The toll clause by clause: a cue after a comma belongs to the next number.
BLAST_A = """انفجار في سوق الخضار
أدى انفجار في سوق الخضار صباح الأربعاء لمقتل 11 شخصاً على الأقل، وإصابة 30 آخرين بجروح مختلفة.
"""
BLAST_B = """حصيلة انفجار السوق
قالت وزارة الصحة إن الانفجار أسفر عن مقتل 11 شخصاً، كما أدى لإصابة 30 شخصاً نقلوا إلى المستشفيات.
"""


def test_numbers_of_different_subjects_or_stated_together_are_no_conflict() -> None:
    report = synthesize([process(LEAGUE_A, outlet="أ"), process(LEAGUE_B, outlet="ب"),
                         process(LEAGUE_C, outlet="ج")])
    assert report.conflicts == ()  # 41 is the leader's, 36 the runner-up's: outlet A gives both
    facts = {f.value: f.n_outlets for f in report.facts}
    assert facts[41] == 2 and facts[36] == 2
    # without the article that states both, the sentences still name different clubs
    report = synthesize([process(LEAGUE_B, outlet="ب"), process(LEAGUE_C, outlet="ج")])
    assert report.conflicts == ()


def test_a_numbers_class_comes_from_its_own_clause() -> None:
    report = synthesize([process(BLAST_A, outlet="أ"), process(BLAST_B, outlet="ب")])
    keys = {f.key: f.n_outlets for f in report.facts}
    # لمقتل / لإصابة: the preposition glued to the cue; the comma ends the first number's clause
    assert keys.get("dead:11") == 2 and keys.get("injured:30") == 2, keys
    assert report.conflicts == ()


def test_a_week_sorts_among_the_days_of_the_timeline() -> None:
    from khabar.stories.synthesis import _timeline_key

    assert sorted(["2018-03-14", "2018-W10", "2018-02"], key=_timeline_key) == ["2018-02", "2018-W10", "2018-03-14"]


def test_the_same_figures_retold_in_other_words_are_summarised_once() -> None:
    from khabar.stories.synthesis import summarize

    a = process("هجوم على سوق الخضار\nقتل 11 شخصاً وأصيب 30 آخرون في هجوم بسيارة مفخخة على سوق الخضار وسط المدينة صباح الأربعاء.\n"
                "وقال شهود إن الانفجار وقع في ساعة الذروة حين كان السوق مزدحماً بالمتسوقين.\n", outlet="أ")
    b = process("انفجار في المدينة\nأسفر انفجار سيارة مفخخة في سوق شعبي عن سقوط 11 قتيلاً و30 جريحاً بحسب حصيلة رسمية.\n"
                "وأغلقت قوات الأمن الطرق المؤدية إلى السوق وبدأت تحقيقاً في الحادث.\n", outlet="ب")
    texts = [s.text for s in summarize([a, b])]
    assert sum(("11" in t and "30" in t) for t in texts) == 1, texts


def test_a_short_speaker_joins_a_longer_name_it_starts_or_ends() -> None:
    from khabar.stories.synthesis import _speaker_map

    shown = _speaker_map(["كارتر", "آشتون كارتر", "الوزير كارتر", "ترامب", "دونالد ترامب جينا هاسبل"])
    assert shown["كارتر"] == shown["الوزير كارتر"] == "آشتون كارتر"
    # a name run over two people must not take every quote of the one inside it
    assert shown["ترامب"] == "ترامب"
    # a definite name with words run on after it once is shown as the name written most
    shown = _speaker_map(["الجيش الإسرائيلي"] * 7 + ["الجيش الإسرائيلي القناصين"])
    assert set(shown.values()) == {"الجيش الإسرائيلي"}


def test_a_body_is_not_shown_as_its_spokesman() -> None:
    from khabar.stories.synthesis import _speaker_map

    shown = _speaker_map(["الجيش الإسرائيلي", "متحدث باسم الجيش الإسرائيلي", "الخارجية الأمريكية",
                          "وزارة الخارجية الأمريكية", "كارتر", "آشتون كارتر"])
    assert shown["الجيش الإسرائيلي"] == "الجيش الإسرائيلي"
    # a body's shorter name still joins the body's fuller one, and a surname its person
    assert shown["الخارجية الأمريكية"] == "وزارة الخارجية الأمريكية"
    assert shown["كارتر"] == "آشتون كارتر"


def test_a_body_whose_name_starts_with_no_head_word_is_not_shown_as_its_official() -> None:
    from khabar.stories.synthesis import _speaker_map

    shown = _speaker_map(["قصر الإليزيه", "مسؤول في قصر الإليزيه", "الكرملين", "مصدر في الكرملين",
                          "ماكرون", "إيمانويل ماكرون"])
    assert shown["قصر الإليزيه"] == "قصر الإليزيه"
    assert shown["الكرملين"] == "الكرملين"
    assert shown["ماكرون"] == "إيمانويل ماكرون"


def test_a_surname_joins_the_name_written_far_more_often_and_a_glued_letter_is_no_other_name() -> None:
    from khabar.stories.synthesis import _speaker_map

    shown = _speaker_map(["ريكس تيلرسون"] * 9 + ["لريكس تيلرسون"] * 2 + ["تيلرسون"] * 5
                         + ["تيلرسون كوزير", "تيلرسون ويعين بومبيو"])
    assert shown["تيلرسون"] == shown["لريكس تيلرسون"] == "ريكس تيلرسون", shown
    # the first and the last name of a fuller name written elsewhere are that person
    shown = _speaker_map(["نادر الخطيب", "نادر بن سالم الخطيب", "نادر بن سالم الخطيب"])
    assert shown["نادر الخطيب"] == "نادر بن سالم الخطيب"
    # a glued letter folds only into a bare form written more often (وليد is no و + ليد)
    shown = _speaker_map(["وليد الحسن", "ليد الحسن"])
    assert shown["وليد الحسن"] == "وليد الحسن"
    # not a nasab: a son of the founder is no grandson of his
    shown = _speaker_map(["سلطان بن عبدالعزيز", "سلطان بن سلمان بن عبدالعزيز", "سلطان بن سلمان بن عبدالعزيز"])
    assert shown["سلطان بن عبدالعزيز"] == "سلطان بن عبدالعزيز"
    # two people of one first name, both written often: محمد stays itself
    shown = _speaker_map(["محمد"] + ["محمد بن سلمان"] * 5 + ["محمد بن نايف"] * 4)
    assert shown["محمد"] == "محمد"


def test_outlets_spellings_of_one_foreign_name_are_one_speaker() -> None:
    from khabar.stories.synthesis import _speaker_map

    shown = _speaker_map(["غونزالو هيغواين", "جونزالو هيجوين", "جونزالو هيجوين", "غونزالو هيغوايين",
                          "إيمانويل مارسيني", "إيمانويل مارسيني", "إيمانويل مارسينيي"])
    assert {shown[n] for n in ("غونزالو هيغواين", "جونزالو هيجوين", "غونزالو هيغوايين")} == {"جونزالو هيجوين"}
    assert shown["إيمانويل مارسينيي"] == "إيمانويل مارسيني"
    # Arabic given names a long vowel apart are two people; bodies one letter apart are two bodies
    shown = _speaker_map(["محمد علي", "محمود علي", "سعيد الخطيب", "سعد الخطيب",
                          "وزارة الداخلية", "وزارة الخارجية", "محمد الشناوي", "محمد النني"])
    assert all(shown[n] == n for n in shown), shown


def test_a_story_lists_each_name_once_under_the_type_most_of_its_mentions_have() -> None:
    from dataclasses import replace

    from khabar.model import EntitySpan

    text = "قال وزير الخارجية سمير داود إن داود سيزور المدينة. وأكد داود أن الزيارة مهمة. وختم داود."
    a = process(text, outlet="أ", title="داود يزور المدينة")
    spans = [EntitySpan(text.index("سمير داود"), text.index("سمير داود") + 9, "سمير داود", label="PER")]
    at = [i for i in range(len(text)) if text.startswith("داود", i)][1:]
    spans += [EntitySpan(i, i + 4, "داود", label=label) for i, label in zip(at, ("PER", "LOC", "PER"))]
    a = replace(a, entities=tuple(replace(e, canonical=e.text) for e in spans))
    b = replace(a, id="b", outlet="ب")
    names = [(e.canonical, e.label) for e in synthesize([a, b]).entities]
    assert names == [("سمير داود", "PER")], names


def _with_names(text: str, outlet: str, names: list[tuple[str, str]]) -> Article:
    """The article of `text` as the pipeline makes it, with these names (and no other) as its
    entities, each where it first occurs; the outlet is its id too."""
    from dataclasses import replace

    from khabar.model import EntitySpan

    article = process(text, outlet=outlet)
    spans = [EntitySpan(text.index(n), text.index(n) + len(n), n, label=label, canonical=n)
             for n, label in names]
    return replace(article, id=outlet, entities=tuple(spans))


def test_names_the_index_holds_under_one_key_are_one_entity_of_the_story() -> None:
    a = _with_names("زار الرئيس عبدربه منصور هادي المملكة العربية السعودية أمس في زيارة رسمية.", "أ",
                   [("عبدربه منصور هادي", "PER"), ("المملكة العربية السعودية", "LOC")])
    b = _with_names("وصل عبد ربه منصور هادي إلى السعودية في زيارة رسمية تستمر يومين.", "ب",
                   [("عبد ربه منصور هادي", "PER"), ("السعودية", "LOC")])
    entities = synthesize([a, b]).entities
    assert sorted((e.label, e.n_articles, e.n_outlets) for e in entities) == [("LOC", 2, 2), ("PER", 2, 2)], entities


def test_a_surname_joins_its_person_though_the_full_name_is_written_two_ways() -> None:
    from khabar.stories.synthesis import _speaker_map

    shown = _speaker_map(["صالح"] * 5 + ["علي عبدالله صالح"] * 3 + ["علي عبد الله صالح"] * 2)
    assert shown["صالح"] == "علي عبدالله صالح", shown
    story = [_with_names("التقى عبدربه منصور هادي الوفد في عدن أمس.", "أ", [("عبدربه منصور هادي", "PER")]),
             _with_names("استقبل عبد ربه منصور هادي الوفد في مكتبه.", "ب", [("عبد ربه منصور هادي", "PER")]),
             _with_names("وقال هادي إن المحادثات كانت مثمرة.", "ج", [("هادي", "LOC")])]
    names = [(e.label, e.n_articles) for e in synthesize(story).entities]
    assert names == [("PER", 3)], names


def test_one_place_spelled_two_ways_is_one_name_of_the_story() -> None:
    story = [_with_names("هبطت الطائرة في مطار كاتماندو بعد رحلة قصيرة.", "أ", [("كاتماندو", "LOC")]),
             _with_names("تحطمت الطائرة أثناء هبوطها في مطار كاتمندو الدولي.", "ب", [("كاتمندو", "LOC")])]
    names = [(e.label, e.n_articles) for e in synthesize(story).entities]
    assert names == [("LOC", 2)], names


def test_a_surname_the_tagger_made_a_place_is_the_person_of_the_story() -> None:
    story = [_with_names("وصل سامر الخطيب إلى العاصمة أمس في زيارة رسمية.", "أ", [("سامر الخطيب", "PER")]),
             _with_names("استقبل الرئيس سامر الخطيب في القصر بعد ظهر أمس.", "ب", [("سامر الخطيب", "PER")]),
             _with_names("وقال الخطيب إن الزيارة تفتح صفحة جديدة بين البلدين.", "ج", [("الخطيب", "LOC")])]
    names = [(e.canonical, e.label, e.n_articles) for e in synthesize(story).entities]
    assert names == [("سامر الخطيب", "PER", 3)], names


def test_a_numbered_documents_date_is_no_event_of_the_timeline() -> None:
    a = process("إحالة مسؤولين في مستشفى الزهراء إلى التحقيق\n"
                "قررت وزارة الصحة يوم الأحد 8 آذار 2026 إحالة ثلاثة مسؤولين في مستشفى الزهراء إلى التحقيق.\n"
                "وتنظر لجنة التحقيق في مخالفات نظام المهن الصحية الصادر بالمرسوم رقم م/ 59 في 4 / 11 / 1426هـ.\n",
                outlet="أ")
    b = process("التحقيق مع ثلاثة مسؤولين في مستشفى الزهراء\n"
                "أحالت وزارة الصحة يوم الأحد 8 آذار 2026 ثلاثة مسؤولين في مستشفى الزهراء إلى لجنة تحقيق.\n"
                "وتعمل لجنة التحقيق في مستشفى الزهراء بموجب القرار رقم 12 وتاريخ 3 / 2 / 2020.\n", outlet="ب")
    dates = [e.date for e in synthesize([a, b]).timeline]
    assert dates == ["2026-03-08"], dates


def test_a_name_tagged_a_place_and_a_body_as_often_is_listed_once() -> None:
    text = "بدأت السفن عبور ميناء الزهراء الجديد أمس في أول تشغيل تجريبي للميناء."
    story = [_with_names(text, "أ", [("الزهراء", "LOC")]), _with_names(text, "ب", [("الزهراء", "ORG")])]
    names = [(e.canonical, e.label) for e in synthesize(story).entities]
    assert names == [("الزهراء", "LOC")], names


def test_a_sentence_that_only_announces_the_text_after_it_or_prays_is_no_summary_sentence() -> None:
    a = process("وزارة الزراعة تعلن خطة لدعم مزارعي القمح\n"
                "صدر عن وزارة الزراعة بيان بشأن خطة دعم مزارعي القمح في المناطق الشمالية فيما يلي نصه :-\n"
                "قررت وزارة الزراعة صرف دعم نقدي لمزارعي القمح في المناطق الشمالية بقيمة 40 مليون دينار.\n",
                outlet="أ")
    b = process("دعم نقدي لمزارعي القمح\n"
                "أعلنت وزارة الزراعة صرف دعم نقدي لمزارعي القمح في المناطق الشمالية بعد موسم جفاف طويل.\n"
                "وقال الوزير في رسالته إلى المزارعين ما يلي:\n"
                "وصدر عن الوزير قرار بدعم المزارعين فيما يلي نصه :بسم الله الرحمن الرحيم\n"
                "حفظ الله مزارعي القمح في المناطق الشمالية وبارك في موسمهم القادم .\n"
                "إن الوزارة ستقف مع مزارعي القمح حتى يعود الموسم إلى سابق عهده.\n", outlet="ب")
    summary = [s.text for s in summarize([a, b])]
    assert summary and not any(t.rstrip(" -").endswith(":") or "نصه" in t or t.startswith("حفظ الله")
                               for t in summary), summary


def test_a_number_of_times_comes_after_the_counts_of_things() -> None:
    a = process("زيارة الوزير للمعبر الحدودي\nزار الوزير المعبر الحدودي 3 مرات هذا العام وتفقد 12 شاحنة محملة بالقمح.\n",
                outlet="أ")
    b = process("الوزير في المعبر\nتفقد الوزير في المعبر الحدودي أمس شحنة القمح قبل دخولها إلى البلاد.\n", outlet="ب")
    counted = [f.counted for f in synthesize([a, b]).facts]
    assert counted.index("شاحنة") < counted.index("مرة"), counted


def test_one_outlets_two_figures_are_no_conflict_between_outlets() -> None:
    from dataclasses import replace

    noon = process("الذهب يرتفع في التعاملات\nارتفع سعر أونصة الذهب في التعاملات الفورية إلى 1300 دولار ظهر اليوم.\n",
                   outlet="أ", published="2026-03-09T12:00:00")
    close = replace(process("الذهب يرتفع عند الإغلاق\nارتفع سعر أونصة الذهب في التعاملات الفورية إلى 1310 دولار عند الإغلاق.\n",
                            outlet="أ", published="2026-03-09T18:00:00"), id="close")
    other = process("أسواق المعادن اليوم\nتابع المستثمرون سعر أونصة الذهب في التعاملات الفورية طوال اليوم.\n",
                    outlet="ب", published="2026-03-09T19:00:00")
    assert synthesize([noon, close, other]).conflicts == ()


def test_a_toll_so_far_is_no_bound_and_can_conflict() -> None:
    a = process("حصيلة الهجوم على القرية\nقتل حتى الآن 26 شخصاً في الهجوم على القرية الجبلية فجر الأحد.\n", outlet="أ")
    b = process("ارتفاع حصيلة هجوم القرية\nقتل 30 شخصاً في الهجوم على القرية الجبلية فجر الأحد بحسب السلطات.\n", outlet="ب")
    (conflict,) = synthesize([a, b]).conflicts
    assert {v.value for v in conflict.values} == {26, 30}


def test_a_count_of_members_is_no_toll() -> None:
    a = process("حصيلة الانفجار\nقتل 18 شخصاً في انفجار بمخزن للوقود قرب الميناء صباح الثلاثاء.\n", outlet="أ")
    b = process("لجنة تحقيق في الانفجار\nشكلت الحكومة لجنة تحقيق مؤلفة من 18 شخصاً للنظر في أسباب انفجار الميناء.\n", outlet="ب")
    facts = {f.key: f.n_outlets for f in synthesize([a, b]).facts}
    assert facts.get("dead:18") == 1, facts


def test_spans_of_time_come_after_the_counts_in_the_facts() -> None:
    # the age comes first in both texts: by outlets and position alone it would lead the facts
    a = process("إصابة متظاهرين\nشاب يبلغ 21 عاماً بين 40 متظاهراً أصيبوا في مواجهات استمرت ثلاث ساعات.\n", outlet="أ")
    b = process("مواجهات في المدينة\nأصيب شاب يبلغ 21 عاماً، وقالت مصادر طبية إن 40 متظاهراً أصيبوا.\n", outlet="ب")
    keys = [f.key for f in synthesize([a, b]).facts]
    assert keys.index("unit:year:21") > max(i for i, k in enumerate(keys) if not k.startswith("unit:year")
                                             and not k.startswith("unit:h")), keys


def test_a_words_one_or_two_things_are_no_facts() -> None:
    a = process("تصويت في المجلس\nوصوتت ولاية واحدة ضد القرار، وتضرر منزلان، وقتل 12 شخصاً في الهجوم.\n", outlet="أ")
    b = process("القرار يمر\nوصوتت ولاية واحدة ضد القرار، وقالت الشرطة إن 12 شخصاً قتلوا وأصيب رجلان.\n", outlet="ب")
    facts = synthesize([a, b]).facts
    texts = " ".join(f.text for f in facts)
    assert "12" in texts and "واحدة" not in texts and "منزل" not in texts, [f.text for f in facts]
    # two people are still a figure
    assert any(f.value == 2 for f in facts), [f.text for f in facts]


# --------------------------------------------------------------------------- timeline

BRIDGE = """افتتاح جسر الوادي الجديد
افتتح الوزير مساء أمس الأربعاء الجسر الجديد فوق النهر في مدينة الوادي بعد أعمال استمرت منذ أربعة أشهر.
وكانت المدينة قد شهدت فيضانا كبيرا عام 1998 دمر الجسر القديم بالكامل.
ويعاني السكان من الازدحام منذ شهر نيسان الماضي بسبب إغلاق الطريق الرئيسي.
وقال الوزير في 11 آذار 2026 إن أعمال الطريق الثاني تنتهي الأسبوع المقبل.
وتتحسن حركة المرور يوماً بعد يوم في شوارع المدينة القديمة.
"""
ROAD = """جسر الوادي يفتح أمام السيارات
وأعلنت البلدية صباح أمس خطة لتوسعة الطريق المؤدي إلى الجسر الجديد في مدينة الوادي.
"""


def test_the_timeline_lists_events_not_background_and_each_sentence_once() -> None:
    report = synthesize([process(BRIDGE, outlet="صحيفة المثال", published="2026-03-12T08:00:00"),
                         process(ROAD, outlet="وكالة الأنباء النموذجية", published="2026-03-12T09:00:00")])
    dates = [t.date for t in report.timeline]
    # no منذ periods (2025-11, 2025-04), no background year (1998), no "يوماً بعد يوم" (tomorrow)
    assert dates == ["2026-03-11", "2026-W12"]
    assert report.timeline[0].text.startswith("افتتح الوزير")
    texts = [t.text for t in report.timeline]
    assert len(texts) == len(set(texts))


def test_one_reprinted_sentence_dated_against_two_crawl_days_is_listed_once() -> None:
    report = synthesize([process(ROAD, outlet="صحيفة المثال", published="2026-03-12T09:00:00"),
                         process(ROAD, outlet="موقع ثالث", published="2026-03-13T09:00:00"),
                         process(ROAD, outlet="موقع رابع", published="2026-03-13T10:00:00")])
    # under the day more outlets give
    assert [(t.date, len(t.outlets)) for t in report.timeline] == [("2026-03-12", 2)]


def test_without_days_the_timeline_keeps_months_and_years() -> None:
    text = "تاريخ الجسر\nبني الجسر القديم عام 1960 على النهر في مدينة الوادي.\nوجرى ترميمه في أيار 2001 بعد تصدعه.\n"
    report = synthesize([process(text, outlet="صحيفة المثال", published="2026-03-12T08:00:00")])
    assert [t.date for t in report.timeline] == ["1960", "2001-05"]


# --------------------------------------------------------------------------- stale "today"

def test_a_summary_sentence_saying_today_with_an_earlier_weekday_shows_its_day() -> None:
    from khabar.stories.render import to_text

    first = "الوزارة تعلن خطة المياه\nأعلنت وزارة المياه اليوم الأربعاء خطة لإصلاح شبكة الأنابيب في مدينة الوادي خلال عامين.\n"
    later = "البرلمان يصوت\nناقش البرلمان السبت مشروع القانون وصوت عليه أغلب النواب بعد جلسة طويلة في العاصمة.\n"
    report = synthesize([process(first, outlet="صحيفة المثال", published="2026-03-11T09:00:00"),
                         process(later, outlet="وكالة الأنباء النموذجية", published="2026-03-14T09:00:00")])
    stale = next(s for s in report.summary if s.text.startswith("أعلنت"))
    assert "اليوم الأربعاء (11 مارس) خطة" in stale.dated
    assert stale.text.startswith("أعلنت وزارة المياه اليوم الأربعاء خطة")  # the source text is kept
    fresh = next(s for s in report.summary if s.text.startswith("ناقش"))
    assert fresh.dated == ""
    data = {"id": "s1", "articles": [], **report.to_dict()}
    assert "اليوم الأربعاء (11 مارس)" in to_text(data)


def test_a_verse_in_a_statements_boilerplate_is_no_summary_sentence() -> None:
    verse = "وقال الله تعالى في كتابه الكريم: ((ولكم في القصاص حياة يا أولي الألباب)) صدق الله العظيم."
    a = process("تنفيذ حكم\nنفذت السلطات حكم القصاص في جان أدين بقتل مواطن في المدينة الشرقية.\n" + verse + "\n",
                outlet="أ")
    b = process("القصاص من جان\nنفذ حكم القصاص أمس في جان قتل مواطناً بعد خلاف بينهما في المدينة الشرقية.\n"
                + verse + "\n", outlet="ب")
    sentences = [s.text for s in synthesize([a, b]).summary]
    assert sentences and not any("الله" in s for s in sentences), sentences


def test_a_timeline_entry_leaves_the_dateline_out() -> None:
    a = process("افتتاح الجسر\nالمنامة/وكالة الأنباء المحلية- افتتح وزير الأشغال الجسر الجديد اليوم الخميس 12 مارس 2026 "
                "بحضور عدد من المسؤولين.\n", outlet="أ")
    b = process("الجسر الجديد\nافتتح وزير الأشغال يوم الخميس 12 مارس 2026 الجسر الجديد الذي يربط ضفتي الخليج.\n",
                outlet="ب")
    assert a.dateline
    entries = [t.text for t in synthesize([a, b]).timeline]
    assert entries and not any(t.startswith("المنامة") for t in entries), entries


def test_a_short_clause_cut_at_a_semicolon_is_no_summary_sentence() -> None:
    a = process("الإغاثة تصل\nتواصل تدفق المواد الإغاثية إلى الميناء، أمس؛ ووصلت سفينة تحمل ثلاثة آلاف طن من القمح "
                "والأدوية للمتضررين من الحرب.\n", outlet="أ")
    b = process("سفينة إغاثة\nوصلت إلى الميناء سفينة تحمل ثلاثة آلاف طن من القمح والأدوية للمتضررين من الحرب.\n",
                outlet="ب")
    sentences = [s.text for s in synthesize([a, b]).summary]
    assert sentences and not any(s.rstrip().endswith("؛") for s in sentences), sentences


def test_a_figure_and_the_same_figure_rounded_are_no_conflict() -> None:
    a = process("تراجع المخزون\nتراجعت مخزونات الخام الأمريكية بمقدار 4.41 مليون برميل الأسبوع الماضي "
                "وفق بيانات الحكومة.\n", outlet="أ")
    b = process("المخزونات تهبط\nوقالت الحكومة إن مخزونات الخام الأمريكية تراجعت بمقدار 4.4 مليون برميل "
                "الأسبوع الماضي.\n", outlet="ب")
    assert not synthesize([a, b]).conflicts
    c = process("المخزونات تهبط\nوقالت الحكومة إن مخزونات الخام الأمريكية تراجعت بمقدار 3.9 مليون برميل "
                "الأسبوع الماضي.\n", outlet="ج")
    assert synthesize([a, c]).conflicts  # a real difference still is one
    d = process("المخزونات تهبط\nوقالت الحكومة إن مخزونات الخام الأمريكية تراجعت بمقدار 4.46 مليون برميل "
                "الأسبوع الماضي.\n", outlet="د")
    e = process("تراجع المخزون\nتراجعت مخزونات الخام الأمريكية بمقدار 4.4 مليون برميل الأسبوع الماضي "
                "وفق بيانات الحكومة.\n", outlet="هـ")
    assert synthesize([d, e]).conflicts  # 4.46 rounds to 4.5, not 4.4


def test_a_fact_shows_its_figure_without_a_glued_preposition() -> None:
    from khabar.stories.synthesis import _without_glued_preposition

    assert _without_glued_preposition("بثلاثة أهداف") == "ثلاثة أهداف"
    assert _without_glued_preposition("ب12 طناً") == "12 طناً"
    assert _without_glued_preposition("بلدتين") == "بلدتين"  # two towns: its ب is no preposition


def test_a_timeline_sentence_is_filed_under_its_first_day_not_a_later_one() -> None:
    # the match is on Wednesday; Saturday is only when the camp ends
    a = process("النادي يلعب\nيلعب النادي الأهلي مساء اليوم الأربعاء مباراة ودية أمام فريق الساحل ويستمر معسكره "
                "حتى السبت المقبل في المدينة.\n", outlet="أ", published="2026-03-11T08:00:00")
    b = process("مباراة ودية\nيلتقي الأهلي الأربعاء فريق الساحل في مباراة ودية ضمن معسكره الصيفي في المدينة.\n",
                outlet="ب", published="2026-03-11T07:00:00")
    # b's sentence takes Wednesday; a's must not then be shown under Saturday
    timeline = synthesize([b, a]).timeline
    assert [t.date for t in timeline] == ["2026-03-11"], [(t.date, t.text) for t in timeline]


def test_a_timeline_entry_cites_only_the_articles_that_say_much_the_same() -> None:
    fire = "حريق في مستودع\nاندلع حريق كبير في مستودع للأخشاب بالمنطقة الصناعية مساء الأحد 8 مارس 2026 وأخمدته الفرق.\n"
    fire2 = ("مستودع الأخشاب\nأخمدت فرق الدفاع المدني حريقا كبيرا اندلع في مستودع للأخشاب بالمنطقة الصناعية "
             "مساء الأحد 8 مارس 2026.\n")
    match = "مباراة الكأس\nفاز فريق النجوم على فريق الوادي بثلاثة أهداف في نهائي الكأس مساء الأحد 8 مارس 2026.\n"
    arts = [process(fire, outlet="أ"), process(fire2, outlet="ب"), process(match, outlet="ج")]
    timeline = synthesize(arts).timeline
    entry = next(t for t in timeline if t.date == "2026-03-08")
    assert set(entry.articles) == {arts[0].id, arts[1].id}, entry
    assert set(entry.outlets) == {"أ", "ب"}


def test_a_storys_name_keys_are_the_names_index_keys() -> None:
    from khabar.store.mentions import entity_key

    text = ("لقاء في الرياض\nاستقبل الملك سلمان بن عبدالعزيز آل سعود في الرياض اليوم رئيس الوزراء "
            "وبحث معه العلاقات الثنائية بين البلدين الشقيقين.")
    data = synthesize([process(text, outlet="صحيفة المثال")]).to_dict()
    names = {e["canonical"]: e["key"] for e in data["entities"]}
    assert names["سلمان بن عبدالعزيز آل سعود"] == entity_key("سلمان بن عبدالعزيز", "PER")


def test_values_of_one_thing_on_different_days_are_no_conflict() -> None:
    """Wednesday's close and Thursday's, or a toll from a 2013 raid in a chronology, are not
    rival figures (walk 20); undated, or on the same day, they are."""
    def close(day: str, points: str, outlet: str) -> Article:
        return process(f"المؤشر يغلق على ارتفاع\nأغلق مؤشر البورصة {day} عند مستوى {points} نقطة "
                       "بتداولات نشطة شملت معظم القطاعات في السوق.",
                       outlet=outlet, published="2026-03-12T18:00:00")

    dated = synthesize([close("يوم الأربعاء 11 آذار 2026", "9372", "صحيفة المثال"),
                        close("يوم الخميس 12 آذار 2026", "9481", "وكالة الأنباء النموذجية")])
    assert not [c for c in dated.conflicts if "نقطة" in c.values[0].text]
    same_day = synthesize([close("يوم الخميس 12 آذار 2026", "9372", "صحيفة المثال"),
                           close("يوم الخميس 12 آذار 2026", "9481", "وكالة الأنباء النموذجية")])
    assert [c for c in same_day.conflicts if "نقطة" in c.values[0].text]


def _crash(first: str, second: str, *, published: str = "2026-03-08T23:30:00") -> list[Article]:
    a = process(f"سقوط مروحية في النهر\nسقطت مروحية سياحية في النهر مساء الأحد، وقال متحدث باسم الشرطة إن {first} في الحادث.\n",
                outlet="أ", published="2026-03-08T23:00:00")
    b = process(f"مصرع ركاب مروحية\nسقطت مروحية سياحية في النهر مساء الأحد وعلى متنها ستة أشخاص. {second}\n",
                outlet="ب", published=published)
    return [a, b]


def test_a_toll_given_as_at_least_after_its_number_is_a_bound_not_a_rival() -> None:
    """walk 22: قتيلان على الأقل (at least two) against another outlet's three dead read as a
    conflict; أكثر من before a number was a bound already, على الأقل after it was not."""
    assert not synthesize(_crash("قتيلين على الأقل سقطا", "وقالت الشرطة إن 3 أشخاص لقوا حتفهم.")).conflicts
    # without the bound they still conflict
    assert synthesize(_crash("قتيلين سقطا", "وقالت الشرطة إن 3 أشخاص لقوا حتفهم.")).conflicts


def test_others_after_a_figure_of_the_same_thing_are_more_of_them_not_the_toll() -> None:
    """walk 22: وفاة راكبين في الموقع … وفاة 3 آخرين في المستشفى (five dead) had 3 as the
    article's toll, a conflict with another outlet's two."""
    second = "وأعلنت الشرطة وفاة راكبين في الموقع، بينما أعلنت وفاة 3 آخرين في المستشفى."
    assert not synthesize(_crash("قتيلين سقطا", second)).conflicts
    # 3 آخرين after a figure of another thing (the injured) is that article's count of the dead
    other = "وأعلنت الشرطة إصابة شخصين بجروح، بينما أعلنت مقتل 3 آخرين في المستشفى."
    assert synthesize(_crash("قتيلين سقطا", other)).conflicts


def test_a_toll_that_rises_over_days_is_no_conflict() -> None:
    """walk 22: 12 dead on Monday and 15 on Tuesday is the toll risen (a chronology), not two
    outlets disagreeing; a smaller toll a day later, or two tolls of one day, still conflict."""
    def toll(n: str, outlet: str, published: str) -> Article:
        return process(f"حصيلة السيول\nقتل {n} في السيول التي ضربت المدينة الساحلية مساء الاثنين.\n",
                       outlet=outlet, published=published)

    monday = toll("12 شخصا", "أ", "2026-03-09T20:00:00")
    assert not synthesize([monday, toll("15 شخصا", "ب", "2026-03-10T10:00:00")]).conflicts
    (same_day,) = synthesize([monday, toll("15 شخصا", "ب", "2026-03-09T22:00:00")]).conflicts
    assert {v.value for v in same_day.values} == {12, 15}
    (fell,) = synthesize([monday, toll("10 أشخاص", "ب", "2026-03-10T10:00:00")]).conflicts
    assert {v.value for v in fell.values} == {10, 12}


def test_readings_of_different_months_or_days_are_no_conflict() -> None:
    """walk 22: one outlet's index of January (56.8 points, in a sentence that also names
    February) against another's of February was a conflict; so was Monday's oil price against
    Tuesday's when no sentence dated either."""
    a = process("مؤشر مديري المشتريات\nتراجع مؤشر مديري المشتريات من 56.8 نقطة في شهر يناير إلى 55.1 نقطة في شهر فبراير.\n",
                outlet="أ", published="2026-03-05T10:00:00")
    b = process("مؤشر مديري المشتريات\nسجل مؤشر مديري المشتريات 53.2 نقطة في شهر فبراير، ولم يتغير كثيرا عن قراءة شهر يناير.\n",
                outlet="ب", published="2026-03-05T11:00:00")
    assert not synthesize([a, b]).conflicts

    def price(value: str, outlet: str, published: str) -> Article:
        return process(f"أسعار النفط\nوبلغ سعر خام برنت {value} دولار للبرميل في التعاملات الآسيوية.\n",
                       outlet=outlet, published=published)

    assert not synthesize([price("65.5", "أ", "2026-03-09T09:00:00"), price("63.2", "ب", "2026-03-10T09:00:00")]).conflicts
    # the same day, they disagree
    (conflict,) = synthesize([price("65.5", "أ", "2026-03-09T09:00:00"), price("63.2", "ب", "2026-03-09T11:00:00")]).conflicts
    assert {v.value for v in conflict.values} == {65.5, 63.2}


def test_an_outlets_own_articles_are_one_source_of_a_figure() -> None:
    """walk 22: a figure one outlet gave in two articles and a wire copy two other outlets
    reprinted read as 3 outlets, 4 texts (so no reprint note): it is 2 independent sources."""
    from khabar.stories.render import fact_sources

    a, b = _fire()
    follow_up = process(FIRE_B.replace("مساء الأحد", "مساء يوم الأحد"), outlet="وكالة الأنباء النموذجية",
                        published="2026-03-09T12:00:00")
    copy = process(FIRE_A, outlet="موقع ثالث", published="2026-03-09T09:00:00")
    groups = {a.id: a.id, copy.id: a.id, b.id: b.id, follow_up.id: follow_up.id}
    report = synthesize([a, b, follow_up, copy], copy_groups=groups)
    injured = next(f for f in report.facts if f.key == "injured:15")
    assert set(injured.articles) == {a.id, b.id, follow_up.id, copy.id}
    assert (injured.n_outlets, injured.n_texts) == (3, 2)
    data = report.to_dict()
    assert fact_sources(next(f for f in data["facts"] if f["key"] == "injured:15")) == "3 outlets (2 texts)"


def test_a_fact_reads_in_words_that_name_what_it_counts() -> None:
    """walk 22: '9 ملايين أخرى' (nine million more) and 'تسعة ملايين يورو' are one fact; it
    should read as the euros, not as 'more'."""
    a = process("صفقة اللاعب\nوستصل قيمة الصفقة إلى 40 مليون يورو إضافة إلى 9 ملايين أخرى حسب الأداء.\n", outlet="أ")
    b = process("انتقال اللاعب\nودفع النادي 40 مليون يورو، وقد يدفع تسعة ملايين يورو إضافية حسب الأداء.\n", outlet="ب")
    fact = next(f for f in synthesize([a, b]).facts if f.value == 9_000_000)
    assert fact.text == "تسعة ملايين يورو" and fact.n_outlets == 2, fact


def test_a_datelines_place_is_no_name_of_the_story() -> None:
    """walk 22: دبي، الإمارات العربية المتحدة (CNN) – at the head of every CNN article put the
    newsroom's city and country among the names of a football story."""
    a = process("الأهلي بطلا للدوري\nدبي، الإمارات العربية المتحدة (CNN) – توج الأهلي بلقب الدوري بعد تعادل الإسماعيلي مع بتروجيت.\n",
                outlet="CNN")
    b = process("الأهلي يحسم اللقب\nحسم الأهلي لقب الدوري قبل خمس جولات من النهاية بعد تعادل الإسماعيلي مع بتروجيت.\n",
                outlet="ب")
    assert a.dateline and "دبي" in a.dateline
    names = {e.canonical for e in synthesize([a, b]).entities}
    assert "الأهلي" in names and not names & {"دبي", "الإمارات العربية المتحدة"}, names
