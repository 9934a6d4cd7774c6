"""Line classification, metadata from lines, PII and language: own examples with real-site quirks."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import khabar
from khabar.clean.lines import classify_lines, line_key
from khabar.clean.pii import REDACTION, find_pii, redact
from khabar.cli import cli

MESSY = (
    "انقطاع الكهرباء عن ثلاث محافظات بعد عاصفة رملية\n"
    "\n"
    "انقطاع الكهرباء عن ثلاث محافظات بعد عاصفة رملية\n"
    "آخر تحديث:\n"
    "\n"
    " الموصل/وكالة أنباء النهرين- أعلنت وزارة الكهرباء، مساء امس\u00a0الثلاثاء، انقطاع التيار عن ثلاث محافظات "
    "بسبب عاصفة رملية قوية.وأضاف المتحدث باسم الوزارة أن “فرق الصيانة تعمل على مدار الساعة.\n"
    "مواضيع ذات صلة:\n"
    "أكثر 7 مدن عربية تأثراً بالعواصف الرملية\n"
    "الأرصاد: موجة حر مبكرة الأسبوع المقبل\n"
    "وقال مدير الشبكة الوطنية سليم الجبوري إن 40 محطة تحويل توقفت عن العمل، مؤكداً أن إعادة التيار ستتم تدريجياً خلال يومين.\n"
    "خطة طوارئ للمستشفيات\n"
    "وأوضح الجبوري أن المستشفيات الكبرى تعمل بالمولدات الاحتياطية منذ منتصف الليل، وأن الوقود المتوفر يكفي لأسبوع كامل.\n"
    "*الصورة: عمال صيانة يصلحون خطاً للضغط العالي قرب الموصل/أ ف ب\n"
    "للتواصل مع التحرير عبر واتساب على الرقم 009647701234567\n"
    "التعليقات (3)\n"
    "أضف تعليقاً\n"
    "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *\n"
)


def kinds_of(text: str, **kwargs: str) -> list[tuple[str, str]]:
    verdict = classify_lines(text, **kwargs)
    return [(line.line_kind, line.text[:20]) for line in verdict.lines]


def test_every_line_of_a_messy_page_gets_its_kind_and_a_reason() -> None:
    verdict = classify_lines(MESSY)
    kinds = [line.line_kind for line in verdict.lines]
    assert kinds == [
        "title", "duplicate_title", "timestamp_label", "body", "related_header", "related_link",
        "related_link", "body", "subheading", "body", "caption", "contact_promo", "comments",
        "comment_form", "comment_form",
    ]
    assert all(line.reason for line in verdict.lines)
    assert verdict.title == "انقطاع الكهرباء عن ثلاث محافظات بعد عاصفة رملية"
    assert verdict.dateline == "الموصل/وكالة أنباء النهرين-"
    assert verdict.dateline_place == "الموصل"
    assert verdict.dateline_agency == "وكالة أنباء النهرين"


def test_clean_body_keeps_text_and_crossheads_and_drops_chrome() -> None:
    article = khabar.process(MESSY)
    assert "خطة طوارئ للمستشفيات" in article.body
    assert "مواضيع ذات صلة" not in article.body
    assert "الأرصاد: موجة حر" not in article.body
    assert "أضف تعليقاً" not in article.body
    assert "*الصورة" not in article.body
    assert not article.body.startswith("انقطاع الكهرباء")  # the title is not body
    assert [p.text for p in article.pii] == ["009647701234567"]


@pytest.mark.parametrize(
    "line, kind",
    [
        ("بقلم: سامية الخطيب", "byline"),
        ("كتب - هشام الدسوقي", "byline"),
        ("بيروت - ريما حداد:", "byline"),
        ("العقبة - موقع الرصيف", "dateline"),
        ("الرئيسية » أخبار » اقتصاد", "navigation"),
        ("شارك الخبر", "share"),
        ("© 2026 جميع الحقوق محفوظة لموقع الرصيف", "copyright"),
        ("اشترك في النشرة البريدية ليصلك كل جديد", "newsletter"),
        ("إعلان", "advert"),
        ("اقرأ المزيد من أخبار الرياضة", "read_more"),
        ("(صورة أرشيفية)", "caption"),
        ("الخميس 12 آذار 2026 - 14:30", "timestamp_label"),
        ("2026/03/12 10:45", "timestamp_label"),
        ("نُشر في: 12 مارس 2026", "timestamp_label"),
    ],
)
def test_single_chrome_lines_between_paragraphs(line: str, kind: str) -> None:
    text = (
        "عنوان الخبر عن افتتاح المعرض\n"
        "افتتح محافظ المدينة صباح اليوم معرض الصناعات الوطنية بمشاركة مئة شركة محلية وعربية.\n"
        f"{line}\n"
        "ويستمر المعرض خمسة أيام، ويتوقع المنظمون أن يزوره أكثر من عشرين ألف شخص.\n"
    )
    assert [k for k, _ in kinds_of(text)][2] == kind


@pytest.mark.parametrize(
    "line, published",
    [
        ("الأحد، 8 شباط/فبراير 2026 05:20 م", datetime(2026, 2, 8, 17, 20)),
        ("8 فبراير 2026 - 5:20 PM", datetime(2026, 2, 8, 17, 20)),
        ("2026/02/08 05:20 م", datetime(2026, 2, 8, 17, 20)),
        ("8 فبراير 2026 5:20م", datetime(2026, 2, 8, 17, 20)),
        ("8 فبراير 2026 12:45 ص", datetime(2026, 2, 8, 0, 45)),
        ("8 فبراير 2026 12:05 م", datetime(2026, 2, 8, 12, 5)),
        ("8 فبراير 2026 09:40 ص", datetime(2026, 2, 8, 9, 40)),
        ("8 فبراير 2026 05:20 مساءً", datetime(2026, 2, 8, 17, 20)),
        ("8 فبراير 2026 الساعة 5 مساء", datetime(2026, 2, 8, 17, 0)),
        ("8 فبراير 2026 الساعة 7 صباحاً", datetime(2026, 2, 8, 7, 0)),
        ("8 فبراير 2026 الساعة 10 ليلاً", datetime(2026, 2, 8, 22, 0)),
        ("8 فبراير 2026 17:20 م", datetime(2026, 2, 8, 17, 20)),  # a 24-hour time with a mark
        ("8 فبراير 2026م", datetime(2026, 2, 8)),  # م after the year is the era, not p.m.
        ("8 فبراير 2026م - 5:20 م", datetime(2026, 2, 8, 17, 20)),
        # a Hijri date beside the Gregorian one, either side of الموافق
        ("الجمعة ٣ رجب ١٤٤٨هـ - الموافق ١١ ديسمبر ٢٠٢٦م", datetime(2026, 12, 11)),
        ("11 ديسمبر 2026 الموافق 3 رجب 1448 هـ", datetime(2026, 12, 11)),
        # the update time after the publication time
        ("الجمعة 11 كانون الأول 2026 - 09:15 | آخر تحديث: 13:40", datetime(2026, 12, 11, 9, 15)),
    ],
)
def test_date_lines_with_a_12_hour_clock_are_timestamps(line: str, published: datetime) -> None:
    text = (
        "عنوان الخبر عن افتتاح المعرض\n"
        f"{line}\n"
        "افتتح محافظ المدينة صباح اليوم معرض الصناعات الوطنية بمشاركة مئة شركة محلية وعربية.\n"
    )
    verdict = classify_lines(text)
    assert verdict.lines[1].line_kind == "timestamp_label"
    assert verdict.published == published
    assert line not in khabar.process(text).body


@pytest.mark.parametrize(
    "stamps, published",
    [
        # the update line first: the publication time still wins
        (["آخر تحديث: 14 فبراير 2026 - 08:00 م", "نشر في: 12 فبراير 2026 - 10:15 ص"],
         datetime(2026, 2, 12, 10, 15)),
        (["Updated: 14 فبراير 2026 20:00", "12 فبراير 2026 10:15"], datetime(2026, 2, 12, 10, 15)),
        (["تاريخ التحديث: 14 فبراير 2026", "تاريخ النشر: 12 فبراير 2026"], datetime(2026, 2, 12)),
        # only an update time: it is the best date there is
        (["آخر تحديث: 14 فبراير 2026 - 08:00 م"], datetime(2026, 2, 14, 20, 0)),
    ],
)
def test_an_update_time_is_not_the_publication_time(stamps: list[str], published: datetime) -> None:
    text = ("حريق في مستودع للأخشاب بالمنطقة الصناعية\n" + "\n".join(stamps) + "\n"
            "اندلع حريق كبير في مستودع للأخشاب فجر اليوم، وتمكنت فرق الإطفاء من السيطرة عليه.\n")
    verdict = classify_lines(text)
    assert [line.line_kind for line in verdict.lines[1:1 + len(stamps)]] == ["timestamp_label"] * len(stamps)
    assert verdict.published == published


@pytest.mark.parametrize(
    "line",
    [
        "8 فبراير 2026 5 م",  # a bare number before م: metres as likely as p.m.
        "ارتفاع الجدار 5 م",
    ],
)
def test_a_mark_not_after_a_clock_time_is_not_a_time(line: str) -> None:
    text = "عنوان الخبر عن افتتاح المعرض\n" + line + "\nافتتح محافظ المدينة صباح اليوم معرض الصناعات الوطنية.\n"
    verdict = classify_lines(text)
    assert verdict.published is None
    assert verdict.lines[1].line_kind != "timestamp_label"


@pytest.mark.parametrize(
    "paragraph",
    [
        "شارك آلاف المواطنين في المسيرة التي جابت شوارع المدينة احتجاجاً على ارتفاع الأسعار.",
        "كتب الرئيس في تغريدة على حسابه أن المفاوضات ستستأنف الأسبوع المقبل في العاصمة.",
        "للتواصل مع الأهالي، أطلقت البلدية خطاً ساخناً يعمل على مدار الساعة طوال فترة الأزمة.",
        "التعليقات التي نشرها المتابعون على المنصات كشفت حجم الغضب من القرار الأخير للوزارة.",
    ],
)
def test_running_text_that_starts_like_a_cue_stays_body(paragraph: str) -> None:
    text = "عنوان الخبر\nفقرة أولى طويلة بما يكفي لتكون نصاً عادياً في متن الخبر المنشور اليوم.\n" + paragraph + "\n"
    assert kinds_of(text)[2][0] == "body"


def test_article_without_a_title_line_starts_with_its_byline() -> None:
    text = "بقلم منى العلي:\nأعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق المتضررة من الجفاف.\n"
    verdict = classify_lines(text)
    assert [line.line_kind for line in verdict.lines] == ["byline", "body"]
    assert verdict.title == ""
    assert verdict.author == "منى العلي"


def test_metadata_title_marks_its_line_and_repeats() -> None:
    text = "سطر قائمة\nعنوان من البيانات\nعنوان من البيانات\nنص الخبر الكامل هنا يكفي لجملة واحدة على الأقل.\n"
    verdict = classify_lines(text, title="عنوان من البيانات")
    kinds = [line.line_kind for line in verdict.lines]
    assert kinds[1:3] == ["title", "duplicate_title"]


def test_a_line_the_outlet_prints_everywhere_is_chrome(tmp_path: Path) -> None:
    chrome = "خدمة الرسائل القصيرة من الرصيف متاحة الآن للمشتركين"
    rows = [
        {"source": "الرصيف", "content": f"خبر رقم {i} عن الطقس\nتوقعت الأرصاد أمطاراً غزيرة في المنطقة رقم {i} خلال الساعات المقبلة.\n{chrome}"}
        for i in range(6)
    ]
    path = tmp_path / "outlet.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    with khabar.Corpus(tmp_path / "k.db") as corpus:
        corpus.ingest([path])
        articles = corpus.articles(limit=None)
    assert len(articles) == 6
    for article in articles:
        last = article.lines[-1]
        assert last.line_kind in ("contact_promo", "advert", "navigation")
        assert "of this outlet's 6 articles" in last.reason
        assert chrome not in article.body
    # The same line from a single article of an outlet is just text.
    lone = khabar.process(rows[0]["content"], outlet="الرصيف")
    assert chrome in lone.body


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("هاتف الحجز 00201001234567", ["phone"]),
        ("راسلونا على desk@rasif.example", ["email"]),
        ("وأظهرت الوثيقة رقم الهوية 1098765432 الخاص بالمتهم", ["national_id"]),
        ("الرقم القومي: ٢٩٠٠١٠١٢٣٤٥٦٧٨", ["national_id"]),
        ("بلغت الصادرات 1250000000 دولار", []),
        ("في عام 2016 سجلت 4647 حالة", []),
        # an identity or residence card named without رقم before it, or with رقم after it
        ("وتبين أن الموقوف يحمل الهوية الوطنية 1098765432 منتهية الصلاحية", ["national_id"]),
        ("يحمل هوية وطنية رقم 1098765432", ["national_id"]),
        ("وضبطت بطاقة الهوية الوطنية رقم 1098765432", ["national_id"]),
        ("وأقر الوافد صاحب الإقامة رقم 2456789013 بالمخالفة", ["national_id"]),
        ("وسلمته هويته رقم 1098765432", ["national_id"]),
        # numbers of things are neither phones nor identities
        ("وتحمل المنشأة السجل التجاري رقم 1010123456", []),
        ("وصدر الحكم في القضية رقم 4412345678 أمس", []),
        ("وارتفعت رسوم الإقامة إلى 100000 ريال", []),
        # إقامة is also "building", هوية "identity": a figure after them is no ID
        ("أعلنت وزارة الإسكان عن إقامة 120000 وحدة سكنية جديدة", []),
        ("وتم تجديد الإقامة لـ 1500000 وافد هذا العام", []),
        ("كشفت الجمعية عن الهوية البصرية الجديدة 2026", []),
    ],
)
def test_pii_kinds(text: str, kinds: list[str]) -> None:
    assert [p.pii_kind for p in find_pii(text)] == kinds


def test_redaction_keeps_offsets_and_hides_every_pii_string() -> None:
    article = khabar.process(MESSY)
    hidden = redact(article)
    assert len(hidden.text) == len(article.text)
    assert "009647701234567" not in hidden.text + hidden.body + "".join(s.text for s in hidden.lines)
    assert REDACTION * 15 in hidden.text


@pytest.mark.parametrize(
    "text, language",
    [
        ("أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق المتضررة.", "ar"),
        ("The government announced a new plan to support farmers in drought-hit regions today.", "en"),
        ("Le gouvernement a annoncé aujourd'hui un nouveau plan pour soutenir les agriculteurs.", "fr"),
        ("دولت امروز برنامه جدیدی برای کمک به کشاورزان در مناطق خشک اعلام کرد.", "fa"),
        ("١٢ ٣٤", "und"),
    ],
)
def test_language_is_marked(text: str, language: str) -> None:
    assert khabar.process("عنوان\n" + text if language == "und" else text).language in (language, "und" if language == "und" else language)


def test_clean_command_json_shape(tmp_path: Path) -> None:
    path = tmp_path / "messy.txt"
    path.write_text(MESSY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["clean", str(path), "--json"])
    assert result.exit_code == 0, result.output
    view = json.loads(result.output)
    assert set(view) >= {"title", "author", "dateline", "source", "published", "body", "paragraphs", "lines", "pii", "language"}
    assert view["dateline"]["place"] == "الموصل"
    assert view["lines"][1] == {**view["lines"][1], "n": 3, "kind": "duplicate_title", "removed": True}
    assert view["pii"][0]["kind"] == "phone"
    redacted = json.loads(CliRunner().invoke(cli, ["clean", str(path), "--json", "--redact-pii"]).output)
    assert "009647701234567" not in json.dumps(redacted, ensure_ascii=False)
    readable = CliRunner().invoke(cli, ["clean", str(path)]).output
    assert "✗ duplicate_title" in readable and "↳" in readable


def test_export_redacts_on_request(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    (tmp_path / "a.txt").write_text(MESSY, encoding="utf-8")
    runner = CliRunner()
    runner.invoke(cli, ["--db", str(db), "ingest", str(tmp_path / "a.txt")])
    plain = runner.invoke(cli, ["--db", str(db), "export"]).output
    hidden = runner.invoke(cli, ["--db", str(db), "export", "--redact-pii"]).output
    assert "009647701234567" in plain and "009647701234567" not in hidden


@pytest.mark.parametrize(("line", "place", "agency"), [
    ("دبي، الإمارات العربية المتحدة (CNN) -- أعلنت شركة الطيران خطة لتوسيع أسطولها", "دبي", "CNN"),
    ("(CNN)-- قتل مهاجم خمسة أشخاص في هجوم على سوق شعبي", "", "CNN"),
    ("لندن، المملكة المتحدة (رويترز) - قالت الحكومة إنها ستراجع القرار", "لندن", "رويترز"),
])
def test_a_dateline_with_a_country_and_an_agency_code_opens_the_body(line: str, place: str, agency: str) -> None:
    article = khabar.process(f"عنوان الخبر في سطر أول\n{line} بعد ظهر اليوم.\nسطر ثان من المتن يكمل الخبر بتفاصيل أخرى.")
    assert (article.dateline_place, article.dateline_source) == (place, agency)
    assert article.dateline and line.startswith(article.dateline)


def test_a_sentence_with_a_bracket_and_a_dash_is_no_dateline() -> None:
    article = khabar.process("عنوان الخبر في سطر أول\nوقال الوزير، في تصريح (خاص) - إن الخطة جاهزة للتنفيذ قريباً.\nسطر آخر.")
    assert article.dateline == ""


@pytest.mark.parametrize(("line", "author"), [
    ("حوار: آسيا العتروس", "آسيا العتروس"),
    ("أجرت الحوار: سلمى حداد", "سلمى حداد"),
    ("حاورهم: علي حسن", "علي حسن"),
])
def test_an_interviewer_line_is_the_byline(line: str, author: str) -> None:
    article = khabar.process(f"لقاء مع كاتبة\n{line}\nقالت الكاتبة إن روايتها الجديدة تتناول حياة الصيادين في المدن الساحلية.\n")
    assert article.author == author
    assert line not in article.body


@pytest.mark.parametrize(
    "first, author, place, source",
    [
        ("سلمى الحربي- الرصيف- جدة: افتتح محافظ جدة أمس معرض الكتاب بمشاركة مئتي دار نشر.",
         "سلمى الحربي", "جدة", "الرصيف"),
        ("سلمى الحربي، خالد العمري- الرصيف- ينبع: افتتح المحافظ أمس معرض الكتاب بمشاركة واسعة.",
         "سلمى الحربي، خالد العمري", "ينبع", "الرصيف"),
        ("الرصيف- الدمام: أعلنت إدارة الجسر إعادة فتح المسار الثالث أمام الشاحنات صباح اليوم.",
         "", "الدمام", "الرصيف"),
        # compiled from reports, no place; a name and the outlet, no place; a place we do not
        # know after the outlet's one-word name; a tatweel inside a name and one as the dash
        ("سلمى الحربي- الرصيف- متابعة: أدان المجلس الهجوم على المسجد بأشد العبارات.",
         "سلمى الحربي", "", "الرصيف"),
        ("سلمى الحربي- الرصيف: ذكرت صحيفة أجنبية أن الاتفاق بات قريباً جداً.", "سلمى الحربي", "", "الرصيف"),
        ("نبض- القريّات: احتفل أهالي المحافظة بالعيد في الساحة العامة.", "", "القريّات", "نبض"),
        ("بـدر الجبل- الرصيف- جدة: أعلنت الأمانة عن خطة لتطوير الواجهة البحرية.", "بـدر الجبل", "جدة", "الرصيف"),
        ("الرصيف ـ جدة: دشن المحافظ مهرجان الصيف في الواجهة البحرية اليوم.", "", "جدة", "الرصيف"),
    ],
)
def test_a_reporters_credit_opening_the_body_is_the_dateline(first: str, author: str, place: str,
                                                             source: str) -> None:
    text = "افتتاح معرض الكتاب\n" + first + "\nوتستمر فعاليات المعرض عشرة أيام.\n"
    article = khabar.process(text)
    assert (article.author, article.dateline_place, article.dateline_source) == (author, place, source)
    assert article.dateline == first[: first.index(":") + 1]


def test_a_sentence_with_dashes_and_a_colon_is_no_credit() -> None:
    text = ("عنوان الخبر\nالمنتخب- كما قال المدرب- جاهز: لن نخسر هذه المرة أمام أي فريق.\n"
            "وتقام المباراة مساء الغد على الملعب الوطني.\n")
    assert khabar.process(text).dateline == ""
    text = "عنوان الخبر\nالرئيس- الحكومة: قرار نهائي لا رجعة فيه بعد اليوم.\nوتقام الجلسة غداً.\n"
    assert khabar.process(text).dateline == ""
    # dashed appositions: a role or a verb first, a day or a verb for the place, a definite noun
    # before no place, a preposition on the "outlet"
    for line in ("الرئيس الأمريكي- سامر يوسف- أكد: أن بلاده ستنسحب من الاتفاق قريباً.",
                 "أكد وزير الصحة- توفيق السالم- أمس: أن الوضع الصحي مستقر تماماً.",
                 "المنتخب الوطني- الأخضر- جاهز: لن نخسر هذه المرة أمام أي فريق.",
                 "مصادر مطلعة- لنبض- تؤكد: أن القرار صدر بالفعل هذا الصباح."):
        article = khabar.process("عنوان الخبر\n" + line + "\nوتفاصيل أخرى في الخبر.\n")
        assert (article.dateline, article.author) == ("", ""), line


def test_name_place_and_compiled_credit_lines() -> None:
    text = ("انتحار عامل في مصنع\nغالب المطيري – بريدة\n"
            "عثر على عامل وافد متوفى داخل سكنه في المنطقة الصناعية مساء أمس الخميس.\n")
    article = khabar.process(text)
    assert (article.author, article.dateline_place) == ("غالب المطيري", "بريدة")
    assert article.lines[1].line_kind == "byline" and "غالب" not in article.body
    compiled = khabar.process("قرار جديد للتأمينات\nالرصيف – متابعات\n"
                              "أكدت وزارة العمل أن للمقيمين المسجلين حق الاشتراك في التأمينات.\n")
    assert compiled.lines[1].line_kind == "byline" and compiled.author == ""
    assert "متابعات" not in compiled.body


def test_a_tag_list_glued_after_the_last_sentence_is_not_body() -> None:
    text = ("وفاة معلمة بعد صدمة\nتوفيت معلمة بعد صدمة عصبية إثر رفض قبول ابنتها في كلية الطب.\n"
            "وقال زوجها إن ابنته حصلت على معدل مرتفع. سمات تبوك جامعة معلمة قبول\n")
    article = khabar.process(text)
    assert article.body.endswith("حصلت على معدل مرتفع.")
    tail = article.lines[-1]
    assert tail.line_kind == "navigation" and tail.text == "سمات تبوك جامعة معلمة قبول"
    assert text[tail.start:tail.end] == tail.text
    # a sentence that only mentions features is body
    plain = khabar.process("عنوان\nوتحدث الخبير عن سمات القائد الناجح في المؤسسات الحديثة.\n")
    assert "سمات القائد" in plain.body


def test_a_link_to_the_story_glued_after_the_last_sentence_is_not_body() -> None:
    text = ("الشركة تعلن نتائجها\nأعلنت شركة النخيل عن نتائجها للربع الثاني.\n"
            "وقال المدير إن الأرباح ارتفعت بنسبة 5%. رابط الخبر بصحيفة الرصيف: الشركة تعلن نتائجها\n")
    article = khabar.process(text)
    assert article.body.endswith("ارتفعت بنسبة 5%.")
    tail = article.lines[-1]
    assert tail.line_kind == "related_link" and tail.text == "رابط الخبر بصحيفة الرصيف: الشركة تعلن نتائجها"
    assert text[tail.start:tail.end] == tail.text
    # a sentence about a link is body
    plain = khabar.process("عنوان\nوأكد الخبير أن رابط الخبر المنشور في الموقع لا يعمل منذ أمس.\n")
    assert "رابط الخبر" in plain.body


def test_a_share_bar_glued_before_the_first_sentence_is_not_body() -> None:
    text = ("افتتاح مستشفى جديد\nشارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك افتتح وزير الصحة أمس "
            "مستشفى جديدا في المدينة بسعة مئتي سرير.\nوقال الوزير إن المستشفى سيخدم الأحياء الشرقية.\n")
    article = khabar.process(text)
    assert article.body.startswith("افتتح وزير الصحة أمس")
    bar = next(line for line in article.lines if line.line_kind == "share")
    assert bar.text == "شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك" and text[bar.start:bar.end] == bar.text
    # a sentence that begins with شارك is body
    plain = khabar.process("عنوان\nشارك آلاف المواطنين في الحملة الوطنية للتشجير أمس في المدينة.\n")
    assert plain.body.startswith("شارك آلاف")


def test_a_contact_the_writer_line_is_no_body() -> None:
    text = ("مقال الرأي\nإن المدن تحتاج إلى حدائق أكثر ومساحات خضراء يرتادها الناس في كل الأوقات.\n"
            "writer@example.comللتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (7) ثم مسافة ثم نص الرسالة "
            "إلى 88000 - Stc 630000 - Mobily 730000 - Zain\n")
    article = khabar.process(text)
    assert article.lines[-1].line_kind == "contact_promo" and "للتواصل" not in article.body


def test_an_outlets_credit_beside_a_name_or_a_place_is_read_from_its_other_articles(tmp_path: Path) -> None:
    cities = ["جدة", "الرياض", "الدمام", "تبوك", "أبها", "الطائف"]
    reporters = ["سلمى الحربي", "خالد العمري", "نورة القحطاني", "فهد الزهراني", "منى الغامدي", "راشد الدوسري"]
    rows = []
    for i, (city, name) in enumerate(zip(cities, reporters)):
        credit = f"{name} – عين المدينة" if i % 2 else f"عين المدينة – {city}"
        rows.append({"source": "عين", "content": f"خبر محلي رقم {i}\n{credit}\n"
                     f"أعلنت الجهات المختصة في المنطقة رقم {i} عن افتتاح مشروع جديد لخدمة السكان هذا الأسبوع."})
    path = tmp_path / "credits.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    with khabar.Corpus(tmp_path / "c.db") as corpus:
        corpus.ingest([path])
        articles = {a.lines[0].text: a for a in corpus.articles(limit=None)}
    for i, (city, name) in enumerate(zip(cities, reporters)):
        article = articles[f"خبر محلي رقم {i}"]
        assert "عين المدينة" not in article.body
        if i % 2:
            assert article.author == name  # not the outlet's name
        else:
            assert article.author == "" and article.dateline_place == city


def test_a_style_sheet_glued_after_the_text_is_not_body() -> None:
    text = ("استطلاع الرأي\nما النوع الذي تفضله وإلى أي جانب أنت في هذا الجدل؟ "
            "#poll_box ul { padding: 0; margin: 0; } .poll_item { background: #FFFFFF; border: solid 1px #ccc; }\n")
    article = khabar.process(text)
    assert article.body.endswith("في هذا الجدل؟") and "padding" not in article.body
    assert article.lines[-1].line_kind == "navigation" and text[article.lines[-1].start:article.lines[-1].end].startswith("#poll_box")
    # an English phrase in brackets inside Arabic text stays
    plain = khabar.process("عنوان\nوقال الخبير إن الشركة (Apple Inc.) ستطرح هاتفها الجديد قريباً في الأسواق.\n")
    assert "Apple" in plain.body


def test_a_last_sentence_that_starts_with_simat_is_kept() -> None:
    text = ("المرحلة المقبلة\nقال الوزير إن التعليم يبني الإنسان. سمات المرحلة المقبلة تتطلب وعيا أكبر من الجميع\n")
    article = khabar.process(text)
    assert "سمات المرحلة المقبلة تتطلب وعيا أكبر من الجميع" in article.body


def test_a_site_menu_and_the_name_above_it_are_not_the_title() -> None:
    text = (
        "صوت الوادي\n"
        "نافذة على أخبار الريف والمدينة\n"
        "الرئيسية محليات عالم اقتصاد ثقافة رياضة\n"
        "تقارير\n"
        "مزارعو السهل يبدؤون قطاف الزيتون مبكراً بسبب موجة الحر\n"
        "بدأ مزارعو السهل الشمالي قطاف الزيتون قبل موعده المعتاد بأسبوعين، خشية أن تتلف الثمار مع استمرار الحر.\n"
    )
    verdict = classify_lines(text)
    assert [line.line_kind for line in verdict.lines] == [
        "navigation", "navigation", "navigation", "navigation", "title", "body"]
    assert verdict.title == "مزارعو السهل يبدؤون قطاف الزيتون مبكراً بسبب موجة الحر"


def test_a_row_of_menu_items_between_pipes_is_navigation() -> None:
    text = (
        "الرئيسية | أخبار محلية | عربي ودولي | مال وأعمال | منوعات | فيديو\n"
        "الملاعب\n"
        "النادي الأهلي يعلن تعاقده مع حارس مرمى جديد لثلاثة مواسم\n"
        "أعلن النادي الأهلي اليوم تعاقده مع حارس المرمى الدولي لثلاثة مواسم قادمة بعد مفاوضات طويلة.\n"
    )
    verdict = classify_lines(text, outlet="صدى الملاعب")
    assert [line.line_kind for line in verdict.lines][:3] == ["navigation", "navigation", "title"]


def test_the_outlets_name_and_a_contact_link_above_the_title_are_navigation() -> None:
    text = (
        "أنباء الساحل\n"
        "اتصل بنا\n"
        "افتتاح جسر جديد يربط ضفتي النهر بعد ثلاث سنوات من العمل\n"
        "افتتح وزير النقل صباح اليوم الجسر الجديد الذي يربط ضفتي النهر بطول ثمانمئة متر.\n"
    )
    verdict = classify_lines(text, outlet="أنباء الساحل")
    assert [line.line_kind for line in verdict.lines] == ["navigation", "navigation", "title", "body"]


@pytest.mark.parametrize(
    "line, kind",
    [
        ("5 دقائق للقراءة", "navigation"),
        ("قراءة في 3 دقائق", "navigation"),
        ("4 تعليقات على “افتتاح الجسر الجديد”", "comments"),
        ("تعليقان على \"افتتاح الجسر\"", "comments"),
        ("→ المقال السابق: أمطار غزيرة على الساحل", "related_link"),
        ("الخبر التالي: ارتفاع أسعار الخضار ←", "related_link"),
    ],
)
def test_reading_time_comment_counts_and_neighbour_posts(line: str, kind: str) -> None:
    text = (
        "عنوان الخبر عن افتتاح الجسر\n"
        "افتتح محافظ المدينة صباح اليوم الجسر الجديد بمشاركة مئات من سكان الضفتين والمسؤولين.\n"
        f"{line}\n"
    )
    assert [k for k, _ in kinds_of(text)][2] == kind


@pytest.mark.parametrize(
    "line, kind",
    [
        ("نستخدم ملفات تعريف الارتباط لتحسين تصفحك للموقع. أوافق", "navigation"),
        ("تخطَّ إلى المحتوى", "navigation"),
        ("عرض النسخة الكاملة", "navigation"),
        ("طباعة", "navigation"),
        ("التصنيفات: اقتصاد، زراعة", "navigation"),
        ("محتوى ممول", "advert"),
        ("لا توجد تعليقات", "comments"),
        ("نص التعليق", "comment_form"),
        ("احفظ اسمي وبريدي في هذا المتصفح للمرة القادمة التي أعلّق فيها.", "comment_form"),
        ("اشترك لتصلك أهم الأخبار كل صباح", "newsletter"),
        ("أدخل بريدك الإلكتروني", "newsletter"),
        ("المقالات المنشورة تعبر عن رأي كاتبها ولا تعكس بالضرورة رأي الموقع.", "copyright"),
        ("تحديث مستمر", "timestamp_label"),
        ("تابعونا على جوجل نيوز", "contact_promo"),
        ("تابعوا أخبارنا عبر تطبيق نبض", "contact_promo"),
    ],
)
def test_site_formulas_are_chrome(line: str, kind: str) -> None:
    text = (
        "عنوان الخبر عن افتتاح الجسر\n"
        "افتتح محافظ المدينة صباح اليوم الجسر الجديد بمشاركة مئات من سكان الضفتين والمسؤولين.\n"
        f"{line}\n"
        "ويبلغ طول الجسر ثمانمئة متر، ويتوقع أن يخفف الازدحام على الطريق القديم بين الضفتين.\n"
    )
    assert [k for k, _ in kinds_of(text)][2] == kind


def test_share_buttons_one_to_a_line_are_share() -> None:
    text = (
        "افتتاح جسر جديد يربط ضفتي النهر بعد ثلاث سنوات من العمل\n"
        "افتتح وزير النقل صباح اليوم الجسر الجديد الذي يربط ضفتي النهر بطول ثمانمئة متر.\n"
        "ويتوقع أن يخفف الجسر الازدحام على الطريق القديم الذي يعبره آلاف السائقين كل يوم.\n"
        "شارك المقال:\n"
        "تويتر\n"
        "فيسبوك\n"
        "البريد الإلكتروني\n"
        "نسخ الرابط\n"
    )
    assert [k for k, _ in kinds_of(text)][3:] == ["share"] * 5


def test_network_names_together_without_a_header_are_share() -> None:
    text = (
        "افتتاح جسر جديد يربط ضفتي النهر بعد ثلاث سنوات من العمل\n"
        "افتتح وزير النقل صباح اليوم الجسر الجديد الذي يربط ضفتي النهر بطول ثمانمئة متر.\n"
        "واتساب\n"
        "X\n"
        "ويتوقع أن يخفف الجسر الازدحام على الطريق القديم الذي يعبره آلاف السائقين كل يوم.\n"
    )
    assert [k for k, _ in kinds_of(text)][2:4] == ["share", "share"]


def test_a_comment_form_email_field_is_no_share_button() -> None:
    text = (
        "افتتاح جسر جديد يربط ضفتي النهر بعد ثلاث سنوات من العمل\n"
        "افتتح وزير النقل صباح اليوم الجسر الجديد الذي يربط ضفتي النهر بطول ثمانمئة متر.\n"
        "أضف تعليقك\n"
        "الاسم\n"
        "البريد الإلكتروني\n"
    )
    assert [k for k, _ in kinds_of(text)][2:] == ["comment_form"] * 3


def test_a_hijri_date_alone_is_a_timestamp_converted_to_its_gregorian_day() -> None:
    text = "عنوان الخبر عن افتتاح المعرض\nالسبت 20 شعبان 1447هـ\nافتتح محافظ المدينة صباح اليوم معرض الصناعات الوطنية بمشاركة مئة شركة.\n"
    verdict = classify_lines(text)
    assert verdict.lines[1].line_kind == "timestamp_label"
    assert verdict.published == datetime(2026, 2, 8)


BODY_LINE = "أعلنت البلدية اليوم بدء أعمال صيانة واسعة لشبكة المياه في الأحياء الشرقية تستمر أسبوعين.\n"


@pytest.mark.parametrize(
    "line, author, dateline",
    [
        ("مراسلنا في صنعاء", "", "صنعاء"),
        ("هدى الصافي، مراسلة «الموقع» في نابلس – h.safi@example.org", "هدى الصافي", "نابلس"),
        ("ع. بن سالم", "ع. بن سالم", ""),
        ("/م.ن/", "", ""),
        ("أسرة التحرير", "", ""),
        ("القاهرة – حوار: منى الشريف", "منى الشريف", "القاهرة"),
        ("الموصل - مراسل الموقع", "", "الموصل"),
        ("عمّان – فريق التحرير الرياضي", "", "عمّان"),
        ("تقرير: خالد البنا – الإسكندرية", "خالد البنا", "الإسكندرية"),
        ("كتب/ فؤاد المقطري", "فؤاد المقطري", ""),
        ("إعداد وترجمة: سلمى حداد", "سلمى حداد", ""),
    ],
)
def test_byline_shapes(line: str, author: str, dateline: str) -> None:
    text = "عنوان الخبر عن صيانة شبكة المياه\n" + line + "\n" + BODY_LINE
    verdict = classify_lines(text)
    assert verdict.lines[1].line_kind == "byline"
    assert verdict.author == author
    assert verdict.dateline == dateline


@pytest.mark.parametrize(
    "first, dateline",
    [
        ("تبسة –", "تبسة –"),
        ("تعز/ خاص", "تعز/ خاص"),
        ("غرداية –", "غرداية –"),
    ],
)
def test_a_dateline_alone_on_its_line(first: str, dateline: str) -> None:
    text = "عنوان الخبر عن صيانة شبكة المياه\n" + first + "\n" + BODY_LINE
    verdict = classify_lines(text)
    assert verdict.lines[1].line_kind == "dateline"
    assert verdict.dateline == dateline


@pytest.mark.parametrize(
    "opening, dateline",
    [
        ("نابلس 3-11-2026 (وفا) - ", "نابلس 3-11-2026 (وفا) -"),
        ("بنغازي (ليبيا) – وكالات: ", "بنغازي (ليبيا) – وكالات:"),
        ("وهران – خاص «الموقع»: ", "وهران – خاص «الموقع»:"),
        ("المكلا/ خاص: ", "المكلا/ خاص:"),
    ],
)
def test_datelines_with_a_day_an_agency_or_a_special_credit(opening: str, dateline: str) -> None:
    text = "عنوان الخبر عن صيانة شبكة المياه\n" + opening + BODY_LINE
    assert classify_lines(text, outlet="الموقع").dateline == dateline


def test_a_sponsored_offer_under_its_label_is_advert_but_a_crosshead_is_not() -> None:
    text = (
        "افتتاح جسر جديد يربط ضفتي النهر بعد ثلاث سنوات من العمل\n"
        "افتتح وزير النقل صباح اليوم الجسر الجديد الذي يربط ضفتي النهر بطول ثمانمئة متر.\n"
        "محتوى ممول\n"
        "احجز رحلتك الآن واحصل على خصم 30% على تذاكر الطيران الداخلي\n"
        "ويتوقع أن يخفف الجسر الازدحام على الطريق القديم الذي يعبره آلاف السائقين كل يوم.\n"
        "محتوى إعلاني\n"
        "كلفة المشروع\n"
        "وبلغت كلفة المشروع نحو أربعين مليون دولار، موّلت الحكومة نصفها وتكفل صندوق التنمية بالباقي.\n"
    )
    assert [k for k, _ in kinds_of(text)][2:7] == ["advert", "advert", "body", "advert", "subheading"]


def test_a_name_alone_between_the_header_lines_is_the_byline() -> None:
    text = (
        "افتتاح جسر جديد يربط ضفتي النهر بعد ثلاث سنوات من العمل\n"
        "الاثنين 7 ديسمبر 2026 - 10:20\n"
        "مريم الشامي\n"
        "5 دقائق للقراءة\n"
        "افتتح وزير النقل صباح اليوم الجسر الجديد الذي يربط ضفتي النهر بطول ثمانمئة متر.\n"
    )
    verdict = classify_lines(text)
    assert verdict.lines[2].line_kind == "byline"
    assert verdict.author == "مريم الشامي"


def test_a_crosshead_after_a_list_of_short_items() -> None:
    text = (
        "الحكومة تقر خطة لدعم صغار المزارعين في المحافظات الجنوبية\n"
        "أقرت الحكومة في اجتماعها الأسبوعي خطة لدعم صغار المزارعين تتضمن ثلاثة إجراءات رئيسية هذا الموسم:\n"
        "1. توزيع البذور المحسنة مجاناً.\n"
        "2. تأجيل أقساط القروض الزراعية.\n"
        "ترحيب حذر\n"
        "ورحبت نقابة المزارعين بالخطة، لكنها طالبت بضمانات لوصول الدعم إلى مستحقيه في القرى البعيدة عن المدن.\n"
    )
    assert [k for k, _ in kinds_of(text)][2:5] == ["body", "body", "subheading"]


def test_the_authors_biography_after_the_text_is_a_byline() -> None:
    text = (
        "بقلم: د. نادر الحسيني\n"
        "تعيش مدننا أزمة سكن حادة لا تحلها المشاريع الكبيرة وحدها، بل تحتاج إلى سياسات إيجار عادلة.\n"
        "وقد أثبتت تجارب عديدة أن دعم الإيجار أقل كلفة من بناء مساكن جديدة في أطراف المدن البعيدة.\n"
        "والسؤال اليوم ليس هل نملك المال، بل هل نملك الإرادة لنعيد ترتيب الأولويات.\n"
        "د. نادر الحسيني أستاذ التخطيط العمراني في جامعة دمشق.\n"
    )
    verdict = classify_lines(text)
    assert verdict.lines[-1].line_kind == "byline"
    assert verdict.author == "نادر الحسيني"


def test_a_caption_closed_by_a_photo_credit_in_brackets() -> None:
    text = (
        "افتتاح جسر جديد يربط ضفتي النهر بعد ثلاث سنوات من العمل\n"
        "الوزير يقص شريط الافتتاح (الصفحة الرسمية للوزارة)\n"
        "افتتح وزير النقل صباح اليوم الجسر الجديد الذي يربط ضفتي النهر بطول ثمانمئة متر.\n"
    )
    assert kinds_of(text)[1][0] == "caption"


def test_a_reply_button_is_comments_inside_a_comment_list_only() -> None:
    text = (
        "افتتاح جسر جديد يربط ضفتي النهر بعد ثلاث سنوات من العمل\n"
        "افتتح وزير النقل صباح اليوم الجسر الجديد الذي يربط ضفتي النهر بطول ثمانمئة متر.\n"
        "ويتوقع أن يخفف الجسر الازدحام على الطريق القديم الذي يعبره آلاف السائقين كل يوم.\n"
        "تعليقان على “افتتاح جسر جديد”\n"
        "سامر\n"
        "خبر جميل وننتظر افتتاح الجسر الثاني قريبا.\n"
        "رد\n"
    )
    assert [k for k, _ in kinds_of(text)[3:]] == ["comments"] * 4
    # a reply in an interview, or a count in a sentence, opens no comment list
    text = (
        "حوار مع وزير النقل عن الجسر الجديد\n"
        "افتتح وزير النقل صباح اليوم الجسر الجديد الذي يربط ضفتي النهر بطول ثمانمئة متر.\n"
        "سؤال: هل ستبنون جسرا آخر؟\n"
        "رد\n"
        "لم نقرر بعد، لكن الدراسات جارية وستنتهي قبل نهاية العام المقبل كما قال الوزير.\n"
        "3 تعليقات على القرار أثارت الجدل في مواقع التواصل خلال يوم واحد.\n"
        "ويتوقع أن يخفف الجسر الازدحام على الطريق القديم الذي يعبره آلاف السائقين كل يوم.\n"
    )
    assert [k for k, _ in kinds_of(text)][4:] == ["body"] * 3


def test_a_short_title_over_a_home_link_stays_the_title() -> None:
    text = (
        "أمطار غزيرة على الساحل\n"
        "الرئيسية\n"
        "هطلت أمطار غزيرة على المدن الساحلية منذ فجر اليوم، وأغلقت السلطات عدداً من الطرق الفرعية.\n"
    )
    verdict = classify_lines(text)
    assert verdict.title == "أمطار غزيرة على الساحل"


def test_a_section_label_between_the_header_lines_is_no_byline() -> None:
    text = (
        "افتتاح جسر جديد يربط ضفتي النهر بعد ثلاث سنوات من العمل\n"
        "الاثنين 7 ديسمبر 2026 - 10:20\n"
        "أخبار محلية\n"
        "5 دقائق للقراءة\n"
        "افتتح وزير النقل صباح اليوم الجسر الجديد الذي يربط ضفتي النهر بطول ثمانمئة متر.\n"
    )
    verdict = classify_lines(text)
    assert verdict.lines[2].line_kind != "byline"
    assert verdict.author == ""


def test_the_site_name_over_a_row_of_menu_items_is_not_the_title() -> None:
    text = (
        "صحيفة الغد المشرق\n"
        "سياسة | اقتصاد | رياضة | ثقافة | منوعات\n"
        "وزارة التعليم تعلن موعد بدء العام الدراسي الجديد في المدارس الحكومية\n"
        "أعلنت وزارة التعليم اليوم أن العام الدراسي الجديد سيبدأ في الأسبوع الأول من سبتمبر في جميع المدارس.\n"
    )
    verdict = classify_lines(text)
    assert verdict.title == "وزارة التعليم تعلن موعد بدء العام الدراسي الجديد في المدارس الحكومية"
    assert verdict.lines[0].line_kind == "navigation"


# -- review 17c: the dev3 rules on real pages ----------------------------------------------------

TITLE17 = "انطلاق موسم الحصاد في المحافظات الشمالية وسط توقعات بإنتاج وفير"
PARA17 = "بدأ المزارعون في المحافظات الشمالية حصاد القمح صباح اليوم وسط توقعات بإنتاج يفوق العام الماضي."
PARA17B = "وقال مدير الزراعة إن الوزارة وفرت الحصادات والوقود لكل المزارعين في الوقت المناسب هذا الموسم."


def test_a_table_row_between_pipes_is_text_not_a_menu() -> None:
    text = "\n".join([TITLE17, PARA17, "| المحافظة | عدد المقاعد | نسبة المشاركة | الفائز |",
                      "| بغداد | 69 | 34 % | تحالف الفتح |", PARA17B])
    assert [k for k, _ in kinds_of(text)][2:4] != ["navigation", "navigation"]
    assert "navigation" not in [k for k, _ in kinds_of(text)]


def test_a_title_and_a_name_are_no_initials_and_a_name_between_paragraphs_signs_nothing() -> None:
    verdict = classify_lines("\n".join([TITLE17, PARA17, "د. أحمد زويل", PARA17B, PARA17]))
    assert verdict.lines[2].line_kind != "byline" and not verdict.author
    verdict = classify_lines("\n".join([TITLE17, PARA17, "ع. الحسن", PARA17B, PARA17]))
    assert verdict.lines[2].line_kind != "byline" and not verdict.author
    # at the head of the text it signs it
    verdict = classify_lines("\n".join([TITLE17, "ع. الحسن", PARA17, PARA17B]))
    assert verdict.lines[1].line_kind == "byline" and verdict.author == "ع. الحسن"


def test_the_title_is_kept_when_the_outlet_is_named_after_it() -> None:
    verdict = classify_lines("\n".join([TITLE17, PARA17, PARA17B]), outlet=TITLE17, title=TITLE17)
    assert verdict.lines[0].line_kind == "title"


def test_a_sentence_that_opens_with_the_home_word_is_no_menu() -> None:
    line = "الصفحة الرئيسية للموقع تعرضت لهجوم إلكتروني واسع"
    assert [k for k, _ in kinds_of("\n".join([TITLE17, PARA17, line, PARA17B]))][2] != "navigation"
    assert kinds_of("\n".join(["الرئيسية محليات رياضة اقتصاد", TITLE17, PARA17]))[0][0] == "navigation"


def test_a_list_of_platforms_announced_by_a_sentence_is_text() -> None:
    text = "\n".join([TITLE17, PARA17, "وحجبت السلطات المنصات التالية:", "فيسبوك", "واتساب", PARA17B])
    assert [k for k, _ in kinds_of(text)][3:5] == ["body", "body"]


def test_a_subject_line_is_no_link_to_the_next_post() -> None:
    text = "\n".join([TITLE17, PARA17, "الموضوع: إعادة هيكلة الديون الخارجية", PARA17B])
    assert kinds_of(text)[2][0] != "related_link"


def test_a_hijri_day_between_paragraphs_stays_text_and_dates_nothing() -> None:
    verdict = classify_lines("\n".join([TITLE17, PARA17, PARA17B, PARA17, PARA17B, PARA17, PARA17B, PARA17,
                                        "وستبدأ المرحلة الأولى يوم:", "1 رمضان 1447", PARA17B]))
    assert verdict.lines[9].line_kind == "body" and verdict.published is None


def test_a_last_list_item_or_a_last_saying_is_no_biography() -> None:
    verdict = classify_lines("\n".join([TITLE17, "بقلم: سامي العلي", PARA17, PARA17B, PARA17,
                                        "* الأرقام تقديرية وقد تتغير لاحقا."]))
    assert verdict.lines[-1].line_kind != "byline"
    verdict = classify_lines("\n".join([TITLE17, "بقلم: سامي العلي", PARA17, PARA17B, PARA17,
                                        "سامي العلي قال في حديثه إن الحكومة لم تستشر أحدا."]))
    assert verdict.lines[-1].line_kind != "byline"
    verdict = classify_lines("\n".join([TITLE17, "بقلم: سامي العلي", PARA17, PARA17B, PARA17,
                                        "سامي العلي كاتب وباحث في الاقتصاد الزراعي."]))
    assert verdict.lines[-1].line_kind == "byline"


def test_a_sentence_with_not_necessarily_is_no_disclaimer() -> None:
    line = "وقال إن هذه الأرقام لا تعكس بالضرورة الواقع الحقيقي للاقتصاد في البلاد بسبب غياب الإحصاءات الرسمية."
    assert kinds_of("\n".join([TITLE17, PARA17, line, PARA17B]))[2][0] == "body"


def test_a_headline_over_a_breadcrumb_printed_one_crumb_a_line_stays_the_title() -> None:
    verdict = classify_lines("\n".join(["انفجار في مرفأ بيروت", "الرئيسية", "أخبار لبنان",
                                        "مئات الجرحى وأضرار واسعة في العاصمة اللبنانية", PARA17, PARA17B]))
    assert verdict.title == "انفجار في مرفأ بيروت"


def test_a_lists_last_item_or_an_interviews_question_is_no_crosshead() -> None:
    text = "\n".join([TITLE17, PARA17, "1 - أحمد علي: مصري الجنسية.", "2 - سامي حسن: سوري الجنسية.",
                      "3 - متين أحمد: هندي الجنسية", PARA17B])
    assert kinds_of(text)[4][0] == "body"
    text = "\n".join([TITLE17, PARA17, "- هل بدأت الحصاد؟", "- نعم.", "هل الموسم أفضل من العام الماضي؟", PARA17B])
    assert kinds_of(text)[4][0] == "body"


def test_a_sliders_latin_controls_run_into_the_dateline_are_a_line_of_their_own() -> None:
    text = (" Next Previous وكالة النهار – جدة\n"
            "هطلت أمطار غزيرة على أحياء المدينة صباح اليوم وأغلقت بعض الطرق الرئيسية.\n"
            "Next Previous\n"
            "وحذر الدفاع المدني السكان من الاقتراب من مجاري السيول حتى إشعار آخر.")
    verdict = classify_lines(text, title="أمطار غزيرة", outlet="وكالة النهار")
    assert [(line.line_kind, line.text) for line in verdict.lines][:2] == [
        ("navigation", "Next Previous"), ("dateline", "وكالة النهار – جدة")]
    assert all(text[line.start:line.end] == line.text for line in verdict.lines)
    assert (verdict.dateline, verdict.dateline_place, verdict.author) == ("وكالة النهار – جدة", "جدة", "")
    assert [line.line_kind for line in verdict.lines][2:] == ["body", "navigation", "body"]
    # English text that begins with such a word is left alone
    english = classify_lines("Share prices rose sharply in early trading on the exchange today.", title="x")
    assert [line.text for line in english.lines] == ["Share prices rose sharply in early trading on the exchange today."]


def test_an_agency_then_a_place_on_a_line_of_their_own_is_a_dateline_not_a_byline() -> None:
    body = "\nهطلت أمطار غزيرة على أحياء المدينة صباح اليوم وأغلقت بعض الطرق الرئيسية."
    verdict = classify_lines("وكالة النهار – الرياض" + body, title="أمطار")
    assert (verdict.dateline_place, verdict.dateline_agency, verdict.author) == ("الرياض", "وكالة النهار", "")
    verdict = classify_lines("وكالة النهار – سامي الحربي" + body, title="أمطار")
    assert verdict.author == "سامي الحربي"  # a reporter, not a place


def test_a_short_dash_crosshead_between_paragraphs_is_body_not_a_dateline() -> None:
    paragraph = "وقال المتحدث باسم الوزارة إن المفاوضات بين الطرفين ستستأنف الأسبوع المقبل في العاصمة."
    text = ("قمة الطاقة\n" + paragraph + "\n" + paragraph.replace("المفاوضات", "المحادثات") + "\n"
            "السعودية- وأمريكا والاتفاق الجديد:\n" + paragraph.replace("الوزارة", "الحكومة") + "\n")
    verdict = classify_lines(text, title="قمة الطاقة")
    assert (verdict.dateline, verdict.author) == ("", "")
    assert [line.line_kind for line in khabar.process(text, stages="lines,body").lines][3] == "body"
    # the article's own dateline, at the top, is still read
    dated = text.replace("قمة الطاقة\n", "قمة الطاقة\nالمكلا/ خاص: ", 1)
    verdict = classify_lines(dated, title="قمة الطاقة")
    assert (verdict.dateline, verdict.dateline_place) == ("المكلا/ خاص:", "المكلا")


def test_a_related_headline_after_its_label_and_a_colon_is_chrome_even_as_a_question() -> None:
    text = ("وقالت الوزارة في بيان إن العمل في المشروع سيبدأ خلال الأسبوع المقبل في جميع المحافظات الشمالية.\n"
            "اقرأ أيضا : لماذا تركز مزاعم التمويل على الشركة المنفذة للمشروع؟\n"
            "وأضاف البيان أن الحكومة خصصت مبلغا كبيرا لدعم المشروع خلال السنوات الثلاث المقبلة في المنطقة.\n")
    kinds = [line.line_kind for line in khabar.process(text, stages="lines,body").lines]
    assert kinds == ["body", "related_link", "body"]


# -- dev4: page widgets and one-item-a-line menus above the headline ---------------------------

_DEV4_PARAGRAPH = ("أعلنت البلدية صباح اليوم عن خطة جديدة لتوسيع شبكة الحافلات في الأحياء الشرقية خلال "
                   "الأشهر الستة المقبلة بكلفة تقديرية كبيرة.")


def test_widgets_and_a_menu_one_item_a_line_above_the_headline_are_not_the_title() -> None:
    headline = "البلدية توسع شبكة الحافلات في الأحياء الشرقية"
    for head in (
        "الدوحة 39° غائم جزئياً\n",
        "مواقيت الصلاة: الفجر 3:40 | الظهر 11:35 | العصر 2:58 | المغرب 6:25 | العشاء 7:55\n",
        "المؤشر العام 9,812.40 ▲ 0.2% | الذهب 2,310 ▼ 0.5%\n",
        "FR | AR\n",
        "English\n",
        "شاهد البث المباشر\n",
        "نستخدم ملفات تعريف الارتباط لتحسين تجربتك في التصفح، وباستمرارك في استخدام الموقع فإنك توافق على ذلك.\nموافق\n",
        "موقع الميناء\nبث مباشر\nسياسة\nاقتصاد\nرياضة\nثقافة\n",
        "Home / الأخبار / محليات\n",
    ):
        text = head + headline + "\n" + _DEV4_PARAGRAPH + "\n" + _DEV4_PARAGRAPH.replace("الحافلات", "القطارات") + "\n"
        verdict = classify_lines(text)
        assert verdict.title == headline, head
        kinds = [line.line_kind for line in verdict.lines]
        assert kinds[:len(head.splitlines())] == ["navigation"] * len(head.splitlines()), head
        assert kinds[-2:] == ["body", "body"]
    # a headline with a temperature in it is still a headline, and a short real title still one
    text = "موجة حر ترفع الحرارة إلى 48° في الجنوب\n" + _DEV4_PARAGRAPH
    assert classify_lines(text).title == "موجة حر ترفع الحرارة إلى 48° في الجنوب"


def test_related_headers_of_gulf_egyptian_and_maghrebi_pages_and_their_inline_forms() -> None:
    second = _DEV4_PARAGRAPH.replace("الحافلات", "القطارات")
    for header in ("أخبار قد تهمك", "ترشيحاتنا", "À lire aussi", "اقرأ المزيد"):
        text = ("البلدية توسع شبكة الحافلات\n" + _DEV4_PARAGRAPH + "\n" + second + "\n" + header + "\n"
                "افتتاح سوق شعبي جديد في الحي القديم\nإغلاق جسر المدينة ليلاً لأعمال الصيانة\n")
        kinds = [line.line_kind for line in classify_lines(text).lines]
        assert kinds == ["title", "body", "body", "related_header", "related_link", "related_link"], header
    for inline in ("طالع أيضًا: افتتاح سوق شعبي جديد في الحي القديم", "ذات صلة: إغلاق جسر المدينة ليلاً لأعمال الصيانة",
                   "اقرأ أيضا.. إغلاق جسر المدينة ليلاً لأعمال الصيانة"):
        text = "البلدية توسع شبكة الحافلات\n" + _DEV4_PARAGRAPH + "\n" + inline + "\n" + second + "\n"
        kinds = [line.line_kind for line in classify_lines(text).lines]
        assert kinds == ["title", "body", "related_link", "body"], inline
    # `اقرأ المزيد` over one line of text is a read-more link, as before
    text = "البلدية توسع شبكة الحافلات\n" + _DEV4_PARAGRAPH + "\n" + second + "\nاقرأ المزيد\n"
    assert [line.line_kind for line in classify_lines(text).lines][-1] == "read_more"


def test_live_page_clock_times_two_labelled_stamps_and_header_controls_are_chrome() -> None:
    from datetime import datetime

    update = "فرق الإنقاذ تواصل البحث عن مفقودين في الأحياء المنكوبة بعد ليلة من الأمطار الغزيرة."
    text = ("مباشر: أمطار غزيرة تغرق الأحياء المنخفضة\nتحديث تلقائي\n"
            "نُشر: 3 مارس 2026 07:10 | حُدّث: 3 مارس 2026 09:45\n"
            "استمع إلى الخبر\nحجم الخط: أ+ أ-\n4 دقائق\n"
            "18:05\n" + update + "\n17:40\n" + update.replace("فرق", "طواقم") + "\n"
            "تنويه: تم تحديث هذا الخبر بإضافة حصيلة جديدة للمفقودين.\n")
    verdict = classify_lines(text)
    kinds = [line.line_kind for line in verdict.lines]
    assert kinds == ["title", "timestamp_label", "timestamp_label", "navigation", "navigation", "navigation",
                     "timestamp_label", "body", "timestamp_label", "body", "timestamp_label"]
    assert verdict.published == datetime(2026, 3, 3, 7, 10)
    # a short line of figures in the text is no clock (a score, a ratio between paragraphs)
    text = "نتيجة المباراة\n" + update + "\n3:1\n" + update + "\n"
    assert [line.line_kind for line in classify_lines(text).lines][2] != "timestamp_label"


def test_page_foot_of_tags_one_a_line_polls_comments_share_tools_and_disclaimers_is_chrome() -> None:
    second = _DEV4_PARAGRAPH.replace("الحافلات", "القطارات")
    foot = [
        ("#النقل #المدينة #الحافلات", "navigation"),
        ("إخلاء مسؤولية: ما ورد في هذا التقرير لا يمثل نصيحة استثمارية بأي شكل.", "copyright"),
        ("رابط مختصر: https://example.org/n/123", "share"),
        ("نسخ الرابط", "share"),
        ("Partager", "share"),
        ("Publicité", "advert"),
        ("الكلمات المفتاحية", "navigation"),
        ("النقل العام", "navigation"),
        ("البلدية", "navigation"),
        ("استطلاع الرأي", "navigation"),
        ("هل تستخدم الحافلات في تنقلاتك اليومية؟", "navigation"),
        ("نعم", "navigation"),
        ("لا", "navigation"),
        ("صوّت", "navigation"),
        ("نشرة المدينة", "newsletter"),
        ("أخبار الحي في بريدك كل مساء", "newsletter"),
        ("تعليقات الزوار", "comments"),
        ("لا توجد تعليقات حتى الآن", "comments"),
        ("المرجو احترام قواعد النشر", "comment_form"),
        ("عنوان التعليق", "comment_form"),
        ("نشر", "comment_form"),
        ("من نحن - اتصل بنا - سياسة الخصوصية - شروط الاستخدام", "navigation"),
    ]
    text = ("البلدية توسع شبكة الحافلات\n" + _DEV4_PARAGRAPH + "\n" + second + "\n"
            + "\n".join(line for line, _ in foot) + "\n")
    kinds = [line.line_kind for line in classify_lines(text).lines]
    assert kinds == ["title", "body", "body"] + [kind for _, kind in foot]
    # a list between dashes inside the text is the text's
    listed = "المنتخبات المتأهلة - مصر - تونس - المغرب - الجزائر"
    text = "البلدية توسع شبكة الحافلات\n" + _DEV4_PARAGRAPH + "\n" + second + "\n" + listed + "\n" + _DEV4_PARAGRAPH + "\n"
    assert [line.line_kind for line in classify_lines(text).lines][3] in ("body", "subheading")


def test_captions_with_a_credit_after_a_dash_the_outlets_own_photo_and_jaanib_min() -> None:
    second = _DEV4_PARAGRAPH.replace("الحافلات", "القطارات")
    for caption in ("رئيس البلدية خلال جولته في الحي - صورة أرشيفية", "محطة الحافلات الجديدة (من المصدر)",
                    "المحطة بعد افتتاحها (نشرة الميناء)", "جانب من حفل الافتتاح", "تصوير - سامي الخطيب",
                    "شاهد.. لحظة وصول أول حافلة إلى المحطة", "توقيع الاتفاقية في الرباط (و م ع)"):
        text = "البلدية توسع شبكة الحافلات\n" + _DEV4_PARAGRAPH + "\n" + caption + "\n" + second + "\n"
        verdict = classify_lines(text, outlet="نشرة الميناء")
        assert [line.line_kind for line in verdict.lines] == ["title", "body", "caption", "body"], caption
        assert (verdict.author, verdict.dateline) == ("", ""), caption
    # `جانب من` opening a sentence of the text stays text
    sentence = "جانب من المشكلة يعود إلى تأخر صرف المخصصات المالية للمشروع منذ العام الماضي."
    text = "البلدية توسع شبكة الحافلات\n" + _DEV4_PARAGRAPH + "\n" + sentence + "\n" + second + "\n"
    assert [line.line_kind for line in classify_lines(text).lines][2] == "body"


def test_place_colon_name_bylines_editor_initials_and_datelines_of_bylines() -> None:
    second = _DEV4_PARAGRAPH.replace("الحافلات", "القطارات")
    text = "البلدية توسع شبكة الحافلات\nالدوحة: نورة المهندي\n" + _DEV4_PARAGRAPH + "\n" + second + "\nع.ح\n"
    verdict = classify_lines(text)
    assert [line.line_kind for line in verdict.lines] == ["title", "byline", "body", "body", "byline"]
    assert (verdict.author, verdict.dateline, verdict.dateline_place) == ("نورة المهندي", "الدوحة", "الدوحة")
    # a headline `place: two words` is no byline
    verdict = classify_lines("غزة: هدنة هشة\n" + _DEV4_PARAGRAPH)
    assert (verdict.title, verdict.author) == ("غزة: هدنة هشة", "")
    # `place – name` gives the place; a section's label is no place
    verdict = classify_lines("البلدية توسع شبكة الحافلات\nبيروت – سامي الخوري\n" + _DEV4_PARAGRAPH)
    assert (verdict.author, verdict.dateline) == ("سامي الخوري", "بيروت")
    verdict = classify_lines("البلدية توسع شبكة الحافلات\nرأي – سامي الخوري\n" + _DEV4_PARAGRAPH)
    assert (verdict.author, verdict.dateline) == ("سامي الخوري", "")
    # a credit that opens the text with a colon keeps its dash
    verdict = classify_lines("البلدية توسع شبكة الحافلات\nالقاهرة - هند فاروق:\n" + _DEV4_PARAGRAPH)
    assert verdict.dateline == "القاهرة -"
    # `place/ outlet:` glued to the first sentence, the outlet vouching for it
    verdict = classify_lines("البلدية توسع شبكة الحافلات\nأربيل/ نشرة الميناء: " + _DEV4_PARAGRAPH, outlet="نشرة الميناء")
    assert (verdict.dateline, verdict.dateline_place) == ("أربيل/ نشرة الميناء:", "أربيل")


def test_dev4_rules_spare_real_text_that_resembles_the_chrome() -> None:
    second = _DEV4_PARAGRAPH.replace("الحافلات", "القطارات")
    for line in (
        "من هنا، اختر أمر مسح بيانات التصفح في أعلى الشاشة لحذف ملفات تعريف الارتباط ومحفوظات الاستعراض، ثم وافق على الحذف",
        "وقال البيان إن على الشركات المعلنة الالتزام بالقوانين المحلية بالإضافة إلى قواعد النشر الخاصة بالمنصة في كل بلد.",
        "* تصوير الكلى بالموجات الصوتية للتأكد من سلامتها قبل العملية.",
        "سامي خالد – الدمام _ تصوير – ماجد علي – أحمد حسن",
    ):
        text = "البلدية توسع شبكة الحافلات\n" + _DEV4_PARAGRAPH + "\n" + line + "\n" + second + "\n"
        assert [x.line_kind for x in classify_lines(text).lines][2] in ("body", "byline", "subheading"), line
    # an outlet's dateline in brackets at the head of the page is no caption
    text = "الرياض، السعودية (نشرة الميناء) --\n" + _DEV4_PARAGRAPH + "\n" + second
    assert classify_lines(text, outlet="نشرة الميناء").lines[0].line_kind != "caption"
    # `outlet - place` over the headline is no one-word menu item
    text = "نشرة - الدمام\nالبلدية توسع شبكة الحافلات في المدينة\n" + _DEV4_PARAGRAPH
    assert classify_lines(text).lines[0].line_kind != "navigation"


def test_the_outlets_repeated_lines_inside_a_block_take_the_blocks_kind() -> None:
    second = _DEV4_PARAGRAPH.replace("الحافلات", "القطارات")
    foot = [("استطلاع الرأي", "navigation"), ("هل تستخدم الحافلات يومياً؟", "navigation"), ("نعم", "navigation"),
            ("لا", "navigation"), ("صوّت", "navigation"), ("نشرة المدينة", "newsletter"),
            ("أخبار الحي في بريدك كل مساء", "newsletter"), ("التعليقات", "comments"), ("سمير", "comments"),
            ("خطوة ممتازة طال انتظارها", "comments"), ("رد", "comments")]
    text = ("البلدية توسع شبكة الحافلات\n" + _DEV4_PARAGRAPH + "\n" + second + "\n"
            + "\n".join(line for line, _ in foot) + "\n")
    everywhere = {line_key(line) for line, _ in foot}
    verdict = classify_lines(text, repeated=lambda key: (6, 6) if key in everywhere else None)
    assert [line.line_kind for line in verdict.lines] == ["title", "body", "body"] + [kind for _, kind in foot]


@pytest.mark.parametrize(("tail", "kind"), [
    ("يمكنكم استلام إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق الرصيف على هاتفكم المحمول.",
     "contact_promo"),
    ("** جميع المقالات المنشورة تمثل رأي كتابها فقط.", "copyright"),
])
def test_an_app_promo_and_a_writers_disclaimer_after_the_text_are_no_body(tail: str, kind: str) -> None:
    text = ("عنوان الخبر\nأعلنت البلدية أمس عن خطة جديدة لتوسعة الطرق في الأحياء الشرقية من المدينة.\n"
            f"{tail}\n")
    article = khabar.process(text)
    assert article.lines[-1].line_kind == kind and tail not in article.body


def test_the_sms_numbers_and_a_more_link_on_lines_of_their_own_are_no_body() -> None:
    text = ("مقال الرأي\nإن المدن تحتاج إلى حدائق أكثر ومساحات خضراء يرتادها الناس في كل الأوقات.\n"
            "88591 - Stc\n635031 - Mobily\n737221 - Zain\n...المزيد\n")
    article = khabar.process(text)
    assert [line.line_kind for line in article.lines[-4:]] == ["contact_promo"] * 3 + ["read_more"]
    assert article.body == "إن المدن تحتاج إلى حدائق أكثر ومساحات خضراء يرتادها الناس في كل الأوقات."


@pytest.mark.parametrize("text", [
    "عنوان\nشارك عبر تويتر آلاف المستخدمين في حملة لدعم المرضى في المدينة أمس.\n",
    "عنوان\nودعت الوزارة المواطنين إلى تحميل أحدث نسخة من تطبيق الصحة لتلقي التحديثات.\n",
    "عنوان\nأعلنت الحكومة قرارا جديدا. وتداول ناشطون رابط المقال على مواقع التواصل: الحكومة تتراجع\n",
])
def test_sentences_that_look_like_chrome_stay_body(text: str) -> None:
    article = khabar.process(text)
    assert article.body == text.split("\n")[1], [(line.line_kind, line.text) for line in article.lines]
