"""Quantities: digits and number words, qualifiers, units, counted nouns, and what is not one."""

from __future__ import annotations

import pytest

import khabar
import khabar.extract.mention_stages
from khabar.extract.quantities import find_quantities, parse_number_words, quantity_kind
from khabar.text import normalize_text

STAGES = ["lines", "body", "language", "sentences", "pii", "quantities"]


def one(text: str):
    found = find_quantities(text)
    assert len(found) == 1, [(q.text, q.value) for q in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "span", "value", "counted"),
    [
        ("أرسلت الوزارة 340 طبيباً إلى المدينة", "340 طبيباً", 340, "طبيب"),
        ("وصل ٧٨٠ زائراً إلى المعرض", "٧٨٠ زائراً", 780, "زائر"),
        ("يسكن الحي ٢٣٬٧٥٠ نسمة", "٢٣٬٧٥٠ نسمة", 23750, "نسمة"),
        ("بلغ الإنتاج ١٢٬٣٠٠٫٥ طن", "١٢٬٣٠٠٫٥ طن", 12300.5, "طن"),
        ("شارك خمسمائة وستين متطوعاً في الحملة", "خمسمائة وستين متطوعاً", 560, "متطوع"),
        ("استقبلت المدينة ثلاثة آلاف لاجئ", "ثلاثة آلاف لاجئ", 3000, "لاجئ"),
        ("يستفيد من البرنامج مليون ونصف تلميذ", "مليون ونصف تلميذ", 1_500_000, "تلميذ"),
        ("خصصت الحكومة مئتي ألف دينار للمشروع", "مئتي ألف دينار", 200_000, "دينار"),
        ("بلغ عدد المسافرين ألفين مسافر", "ألفين مسافر", 2000, "مسافر"),
        ("خدم في الجيش سبعة وعشرين عاماً", "سبعة وعشرين عاماً", 27, "عام"),
        ("سجلت المحطة ثلاث عشرة هزة", "ثلاث عشرة هزة", 13, "هزة"),
        ("أقيم السباق على مسافة 42 كم", "42 كم", 42, "كم"),
        ("تبعد القرية 95 ميلاً عن الساحل", "95 ميلاً", 95, "ميل"),
        ("صدّرت الشركة 700 برميل يومياً", "700 برميل", 700, "برميل"),
        ("نقلت الشاحنات 18 طناً من الطحين", "18 طناً", 18, "طن"),
        ("ارتفع السعر بنسبة 7.5%", "7.5%", 7.5, "%"),
        ("تراجعت البطالة إلى ٤٫٢٪", "٤٫٢٪", 4.2, "%"),
        ("زادت المبيعات 12 في المئة", "12 في المئة", 12, "%"),
        ("بلغت الكلفة 2.4 مليار دولار", "2.4 مليار دولار", 2_400_000_000, "دولار"),
        ("جمعت الحملة ٣ ملايين ريال", "٣ ملايين ريال", 3_000_000, "ريال"),
        ("دفعت الأسرة مليوني ليرة", "مليوني ليرة", 2_000_000, "ليرة"),
        ("افتتحت البلدية 4 مدارس جديدة", "4 مدارس", 4, "مدرسة"),
        ("نفذت الفرق 6 حملات توعية", "6 حملات", 6, "حملة"),
        ("أنقذت فرق الإنقاذ 5 مفقودين", "5 مفقودين", 5, "مفقود"),
        ("أصيب 8 أشخاص في الحادث", "8 أشخاص", 8, "شخص"),
        ("نجا ثلاثة آخرون من الحادث", "ثلاثة آخرون", 3, "شخص"),
        ("وصف الطبيب حالة أربعة من الجرحى بالخطرة", "أربعة من الجرحى", 4, "جريح"),
        ("استمرت الجلسة أربع ساعات ونصف", "أربع ساعات ونصف", 4.5, "ساعة"),
        ("أنجز المشروع خلال أسبوع واحد", "أسبوع واحد", 1, "أسبوع"),
        ("تولى المنصب لمدة عامين", "عامين", 2, "عام"),
        ("قسمت الدراسة على مرحلتين", "مرحلتين", 2, "مرحلة"),
        ("انتشلت الفرق جثتا رجلين من النهر", "جثتا رجلين", 2, "جثة"),
        ("رصدت المحطة 6 درجات مئوية", "6 درجات مئوية", 6, "درجة مئوية"),
        # a number word with a glued ب: the span is the number and what it counts
        ("فاز الفريق بأربعة أهداف نظيفة", "أربعة أهداف", 4, "هدف"),
    ],
)
def test_numbers_with_what_they_count(text: str, span: str, value: float, counted: str) -> None:
    q = one(text)
    assert q.text == span
    assert text[q.start : q.end] == span
    assert q.value == pytest.approx(value)
    assert normalize_text(q.counted) == normalize_text(counted)


@pytest.mark.parametrize(
    ("text", "qualifier", "value"),
    [
        ("حضر نحو 900 شخص", "نحو", 900),
        ("قتل أكثر من 40 مدنياً", "أكثر من", 40),
        ("نزح قرابة 7 آلاف ساكن", "قرابة", 7000),
        ("بلغت الخسائر ما يزيد على 5 ملايين دولار", "ما يزيد على", 5_000_000),
        ("وصلت حوالي 30 شاحنة", "حوالي", 30),
        ("يضم المخيم أقل من 200 خيمة", "أقل من", 200),
    ],
)
def test_qualifiers_are_kept_as_written_and_left_out_of_the_span(
    text: str, qualifier: str, value: float
) -> None:
    q = one(text)
    assert q.qualifier == qualifier
    assert q.value == value
    assert not q.text.startswith(qualifier)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("يتراوح العدد بين 10 و15 متطوعاً", 10, 15),
        ("سيصل 20-25 خبيراً الأسبوع المقبل", 20, 25),
        # in words, a unit + و + a larger unit or ten is a range, not a sum (walk 21: ثمانية
        # وعشرة had been 18, which is ثمانية عشر); a multiplier after the second scales both
        ("أصيب ما بين ثمانية وعشرة متطوعين في الحريق", 8, 10),
        ("يمتد المخيم الصيفي خمسة وستة أسابيع", 5, 6),
        ("تتراوح الكلفة بين ستة وسبعة ملايين دينار", 6_000_000, 7_000_000),
    ],
)
def test_ranges_set_value_max(text: str, low: float, high: float) -> None:
    q = one(text)
    assert (q.value, q.value_max) == (low, high)


@pytest.mark.parametrize(
    ("text", "kind", "unit"),
    [
        ("بلغت القيمة 50 يورو", "money", "EUR"),
        ("زادت الأسعار 3%", "percent", "percent"),
        ("امتد الطريق 12 كيلومتراً", "measure", "km"),
        ("استمر الإضراب 9 أيام", "duration", "day"),
        ("شارك 40 طالباً", "count", ""),
    ],
)
def test_units_and_kinds(text: str, kind: str, unit: str) -> None:
    q = one(text)
    assert quantity_kind(q) == kind
    assert q.unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "للتواصل اتصلوا على الرقم 0096277123456",  # phone number
        "تأسس النادي عام 1962",  # year
        "منذ 2019 لم تتغير الأسعار",  # year
        "عقد الاجتماع الثالث للجنة",  # ordinal
        "وهو ثاني تعديل هذا الشهر",  # ordinal
        "سجل الهدف في الدقيقة 71",  # label
        "تنص المادة 12 من القانون",  # label
        "انتهت المباراة 3-1",  # score
        "أكثر 7 عادات تضر بالصحة",  # listicle headline
        "وقعت الهزة الساعة الخامسة و20 دقيقة",  # clock time
        "تعمل الطائرة A330 على الخط",  # model number
        "سُجل الهدف (٦٤) برأسية",  # minute in parentheses
        "بلغ سعر البنزين أوكتان 95",  # label
        "رقم الحساب 3601115957 لدى المصرف",  # account number
        "عاش في المدينة بين 1922 و1936 قبل أن يهاجر",  # a range of years
        "يفتح المتحف من 9 صباحاً حتى 5 مساءً",  # clock times
        "حلقت طائرة من طراز 72 ذات المحركين فوق المدينة",  # ذات: "having", a model number
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_a_percent_sign_written_before_the_number() -> None:
    q = one("بلغت نسبة النمو %55 هذا العام")
    assert (q.text, q.value, q.unit) == ("%55", 55, "percent")


def test_phone_numbers_flagged_as_pii_are_skipped_by_the_stage() -> None:
    text = "عنوان الخبر\nوصلت 12 شاحنة إلى المدينة.\nللتواصل عبر واتساب على الرقم 009647701234567"
    article = khabar.process(text, stages=STAGES)
    assert [(q.value, q.counted) for q in article.quantities] == [(12, "شاحنة")]


def test_related_headlines_are_not_read() -> None:
    text = (
        "عنوان الخبر الرئيسي\n"
        "وزعت الجمعية 300 سلة غذائية على الأسر المحتاجة في المدينة يوم أمس.\n"
        "موضوعات متعلقة:\n"
        "5 نصائح لتوفير الكهرباء في الصيف\n"
        "أكثر 10 مدن ازدحاماً في العالم\n"
    )
    article = khabar.process(text, stages=STAGES)
    assert [q.value for q in article.quantities] == [300]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["ثلاثمائة", "وخمسة", "وعشرين"], 325),
        (["ألفين"], 2000),
        (["مليون", "ونصف"], 1_500_000),
        (["نصف", "مليون"], 500_000),
        (["أحد", "عشر"], 11),
        (["تسعة", "آلاف", "وخمسمئة"], 9500),
        (["ثمانية", "وعشرون"], 28),
        # after a count, ألفا / مليونا is the accusative thousand or million (ألفاً), not the
        # dual's construct form (ألفا جندي: two thousand), which it stays at the start
        (["ثلاثة", "وخمسون", "ألفا"], 53_000),
        (["خمسة", "عشر", "مليونا"], 15_000_000),
        (["ألفا"], 2000),
    ],
)
def test_number_words(words: list[str], value: float) -> None:
    parsed = parse_number_words([normalize_text(w) for w in words])
    assert parsed is not None
    assert parsed[0] == value
    assert parsed[1] == len(words)


def test_offsets_survive_diacritics_and_no_break_spaces() -> None:
    text = "حضر المباراة 35\u00a0ألف مشجعٍ تقريباً"
    q = one(text)
    assert text[q.start : q.end] == "35\u00a0ألف مشجعٍ"
    assert (q.value, q.counted) == (35000, "مشجع")


@pytest.mark.parametrize(
    "text",
    [
        "وقع الحادث قبل سبعة وعشرين عاماً",  # a relative date, not an amount
        "لم يتقاض الموظفون رواتبهم منذ نحو خمسة أشهر",
        "نزحت آلاف الأسر من القرى الحدودية",  # a vague plural
    ],
)
def test_relative_dates_and_vague_plurals_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_masculine_duals_of_known_nouns_count_two() -> None:
    found = [(q.value, q.counted) for q in find_quantities("وأصيب مسلحان وغرق قاربين قرب الساحل")]
    assert found == [(2, "مسلح"), (2, "قارب")]


def test_a_count_before_an_event_is_still_a_quantity() -> None:
    found = [(q.value, q.counted) for q in find_quantities("سجل الهدف قبل ثلاث دقائق من النهاية")]
    assert found == [(3, "دقيقة")]


@pytest.mark.parametrize(("text", "span", "value"), [
    ("بلغ عدد سكان المحافظة ثلاثة ملايين و888 ألف نسمة", "ثلاثة ملايين و888 ألف نسمة", 3_888_000),
    ("وبلغت الكلفة مليونين و500 ألف دولار", "مليونين و500 ألف دولار", 2_500_000),
    # the multiplier after digits, then the rest in digits: one number, not 4,000 and 651
    ("وصل إلى الميناء 4 آلاف و651 طنا من القمح", "4 آلاف و651 طنا", 4651),
    ("بلغت قيمة العقد 12 مليونا و300 ألف ريال", "12 مليونا و300 ألف ريال", 12_300_000),
    ("بلغ عدد زوار المعرض 650 ألفاً هذا العام", "650 ألفاً", 650_000),
    ("وتجاوز عدد المشتركين 25 مليوناً", "25 مليوناً", 25_000_000),
    ("ألفا شخص شاركوا في المسيرة", "ألفا شخص", 2000),  # alone, ألفا is the dual
    ("خلال الأربع وعشرين ساعة الماضية", "الأربع وعشرين ساعة", 24),
])
def test_numbers_in_words_and_digits_together(text: str, span: str, value: float) -> None:
    (q,) = find_quantities(text)
    assert (q.text, q.value) == (span, value)


def test_taliban_is_a_name_not_two_students() -> None:
    found = [(q.value, q.counted) for q in find_quantities(
        "وأعلنت حركة طالبان مقتل قائدها، وقال مقاتلو طالبان إنهم سيطروا على بلدتين")]
    assert found == [(2, "بلدة")]


@pytest.mark.parametrize(("text", "value"), [
    # typed in visual order with a right-to-left mark after the point: 56.95, not 95.56
    ("وارتفع خام برنت إلى 95.\u200f56 دولار للبرميل", 56.95),
    ("وبلغت المبيعات 04.\u200f5 مليون وحدة", 5_040_000),
    ("وتراجع المؤشر 5.\u200f0 في المائة", 0.5),
    ("وتراجع المؤشر 2.5 في المائة", 2.5),  # no mark: as written
    ("وبلغ السعر 10.\u200f000 دولار", 10),  # 000 is no whole part: not visual order
])
def test_a_decimal_typed_in_visual_order_is_read_the_right_way_round(text: str, value: float) -> None:
    assert [q.value for q in find_quantities(text)] == [value]


def test_a_preposition_after_a_number_is_not_what_it_counts() -> None:
    counted = [q.counted for q in find_quantities("واعتقلت القوات 35 داخل المدينة وأصابت 4 أمام المبنى")]
    assert "داخل" not in counted and "أمام" not in counted, counted


def test_tons_with_the_accusative_alif_without_its_tanween() -> None:
    found = [(q.value, q.unit) for q in find_quantities("وصلت الطائرة وعلى متنها 12 طنا من الأدوية")]
    assert found == [(12, "t")]
    assert [q.unit for q in find_quantities("قطعت السيارة 10 كما قال السائق")] != ["km"]


def test_and_a_name_after_a_number_is_not_what_it_counts() -> None:
    assert [(q.value, q.counted) for q in find_quantities("وتفاوضت مجموعة 5 وإيران على الاتفاق النووي")] == [(5, "")]


@pytest.mark.parametrize("text", [
    "ستقام بطولة المدارس 2024 بسبب تأجيلها العام الماضي في الصيف.",
    "نقل 7 جراء الحريق إلى المستشفى.",
    "وصل 15 حيث كانت الحافلات تنتظرهم.",
])
def test_a_word_of_cause_or_a_conjunction_after_a_number_is_not_what_it_counts(text: str) -> None:
    assert all(q.counted not in ("بسبب", "جراء", "حيث") for q in find_quantities(text)), [
        (q.text, q.counted) for q in find_quantities(text)]


def test_a_day_of_the_month_counts_no_months() -> None:
    found = find_quantities("وتصرف الرواتب يوم 25 من الشهر الجاري.")
    assert all(not q.counted for q in found), [(q.text, q.counted) for q in found]


@pytest.mark.parametrize("text, counted", [
    ("ووصل إلى المخيم 1500 لاجئ خلال يومين.", "لاجئ"),  # year-like numbers count too
    ("وباعت الشركة 2000 برميل يوميا.", "برميل"),
    ("تعاقد النادي مع 5 لاعبين جدد.", "لاعب"),
    ("واشترى 20 لترا من الوقود.", "لتر"),
])
def test_nouns_that_start_with_lam_or_ba_are_still_counted(text: str, counted: str) -> None:
    assert [q.counted for q in find_quantities(text)][:1] == [counted], find_quantities(text)


@pytest.mark.parametrize("text", [
    "وأقيمت البطولة عام 2018 بروسيا وسط حضور كبير.",
    "وتحسن الأداء في 2016 بفضل الإصلاحات.",
    "وولد في 2011 لكنه غادر البلاد صغيرا.",
])
def test_a_year_then_a_preposition_or_a_conjunction_counts_nothing(text: str) -> None:
    assert all(not q.counted for q in find_quantities(text)), [(q.text, q.counted) for q in find_quantities(text)]


@pytest.mark.parametrize(("text", "span", "value"), [
    # Gulf papers type the Arabic comma as the decimal mark and as the thousands separator
    ("وارتفعت القروض إلى 322،8 مليار ريال بنهاية العام", "322،8 مليار ريال", 322_800_000_000),
    ("وبلغت الخسائر 2،9 مليار دولار", "2،9 مليار دولار", 2_900_000_000),
    ("وبلغ عدد الصفقات 85،539 صفقة", "85،539 صفقة", 85_539),
    ("وصرف قرضاً بقيمة 184،716.34 ريالاً", "184،716.34 ريالاً", 184_716.34),
    ("وصرف له تعويض قدره (29،176،352 ريال)", "29،176،352 ريال", 29_176_352),
    ("أجاب ٣٧،١٪ من البقالات", "٣٧،١٪", 37.1),
])
def test_an_arabic_comma_between_digits_is_a_separator(text: str, span: str, value: float) -> None:
    assert [(q.text, q.value) for q in find_quantities(text)] == [(span, value)]


@pytest.mark.parametrize("text", [
    "وشارك في دورات الأعوام 2014،2015 مليار مرة",  # a list of years, no number
    "وبلغت القيمة 1,2,3 مليون ريال",  # digits that cannot be read
])
def test_a_number_that_cannot_be_read_leaves_no_bare_multiplier(text: str) -> None:
    assert all(q.value not in (1_000_000, 1_000_000_000) for q in find_quantities(text)), [
        (q.text, q.value) for q in find_quantities(text)]


def test_a_channel_named_with_a_number_counts_nothing() -> None:
    from khabar.extract.quantities import find_quantities

    assert [q.value for q in find_quantities("وقالت قناة فرانس 24 إن الحصيلة ارتفعت إلى 30 قتيلا.")] == [30]
    assert find_quantities("صورة: فرانس 24/ أ ف ب") == []


def test_a_clock_time_in_gmt_with_an_arabic_comma_counts_nothing() -> None:
    from khabar.extract.quantities import find_quantities

    assert find_quantities("وبدأ الاقتراع صباحا واستمر حتى 20،30 تغ دون توقف.") == []


def test_a_verb_after_a_figure_is_not_what_it_counts_and_adad_counts_the_noun_after_it() -> None:
    from khabar.extract.quantities import find_quantities

    (voters,) = find_quantities("ويبلغ عدد الناخبين نحو 24,5 مليون يتوزعون على المحافظات.")
    assert (voters.value, voters.counted) == (24_500_000, "")
    (toll,) = find_quantities("ورفع الانفجار إلى 245 عدد الضحايا في المدينة.")
    assert (toll.value, toll.counted) == (245, "ضحية")
    # a nisba plural in -يون is a noun
    assert [q.counted for q in find_quantities("ووصل 30 يمنيون إلى المطار.")] == ["يمنيون"]


def test_minutes_or_verses_listed_with_an_arabic_comma_are_no_decimal() -> None:
    from khabar.extract.quantities import find_quantities

    assert [q.text for q in find_quantities("وسجل هدفين في الدقيقتين 44،72 من المباراة.")] == ["هدفين"]
    assert find_quantities("وتلا الإمام الآيتين 14،15 من السورة.") == []
    # the comma is a decimal mark after other words
    assert [q.value for q in find_quantities("ارتفعت القروض إلى 322،8 مليار ريال.")] == [322_800_000_000]


def test_a_range_of_trillions_is_a_range_not_one_number_with_digits_added() -> None:
    """بين 3.6 تريليون و6 تريليونات: the plural تريليونات is a multiplier too, so the 6 after و is
    the range's upper end, not 6 more added to 3.6 trillion (3,600,000,000,006)."""
    (reserves,) = find_quantities("وتقدر الاحتياطيات بما بين 3.6 تريليون و6 تريليونات قدم مكعبة.")
    assert (reserves.value, reserves.value_max) == (3_600_000_000_000, 6_000_000_000_000)
    (debt,) = find_quantities("وبلغت الديون العامة 6 تريليونات دولار العام الماضي.")
    assert (debt.value, debt.counted) == (6_000_000_000_000, "دولار")
    # alone, like مليارات, it is no figure (تريليونات الدولارات: trillions of dollars)
    assert find_quantities("وأنفقت الدول تريليونات الدولارات على التسلح.") == []


def test_adad_counts_the_noun_after_it_only_after_digits() -> None:
    """review 20: خمس عدد السكان is a fifth of the population, not 5 inhabitants."""
    assert [q.counted for q in find_quantities("ويشكل اللاجئون خمس عدد السكان في البلاد.")] != ["سكان"]


def test_a_number_in_three_parts_adds_every_part() -> None:
    """97 مليوناً و815 ألفاً و186 مسافراً (review 20: the third part had been a number of its own)."""
    assert [(q.value, q.counted) for q in find_quantities("وبلغ عدد المسافرين 97 مليوناً و815 ألفاً و186 مسافراً.")] == [
        (97_815_186, "مسافر")]
    assert [q.value for q in find_quantities("وحصل على ثلاثة ملايين و69 ألفا و243 صوتا.")] == [3_069_243]


@pytest.mark.parametrize(("text", "value"), [
    # a dot before three digits groups thousands when what is counted takes no fraction
    ("وأسفر النزاع عن مقتل أكثر من 12.000 شخص خلال عامين", 12000),
    ("ووزعت الجمعية 3.500 سلة غذائية على الأسر", 3500),
    # a price or a measure keeps its decimals, and so does a number with other digits
    ("وبلغ سعر الكيلو 2.750 دينار في السوق", 2.75),
    ("وشحنت السفينة 4.250 طن من القمح", 4.25),
    ("وارتفعت النسبة إلى 0.125 في المئة", 0.125),
    ("وأصيب 1.5 شخص في المتوسط يوميا", 1.5),
])
def test_a_dot_before_three_digits_groups_thousands_of_things_not_of_prices(text: str, value: float) -> None:
    found = find_quantities(text)
    assert [q.value for q in found][:1] == [value]


@pytest.mark.parametrize("text", [
    "وعند الساعة التاسعة وعشرين دقيقة من مساء أمس اندلع الحريق في المستودع",
    "وفي تمام الحادية عشرة وخمس دقائق أغلقت اللجنة باب التسجيل",
])
def test_the_minutes_of_a_clock_time_in_words_count_nothing(text: str) -> None:
    assert [q.text for q in find_quantities(text)] == []


def test_minutes_after_an_ordinal_that_is_no_hour_still_count() -> None:
    found = find_quantities("وأمضى المتسابق في المرحلة الثالثة وعشرين دقيقة إضافية")
    assert [q.value for q in found] == [20]


def test_the_franc_is_a_currency_and_no_entity() -> None:
    article = khabar.process("بلغت صادرات الساعات 307 ملايين فرنك سويسري.\nوربحت الشركة 12 مليون فرنك.",
                             title="خبر")
    assert [(q.value, q.unit) for q in article.quantities] == [(307e6, "CHF"), (12e6, "franc")]
    assert not [e for e in article.entities if "فرنك" in e.text]


@pytest.mark.parametrize(
    "text",
    [
        "وحلقت مقاتلة من طراز ميغ-31 تابعة لسلاح الجو فوق البحر.",
        "ونفذ طاقم الطائرة ميغ 31 تدريبا في الجنوب.",
        "وأقلعت طائرة بوينغ 737-800 تابعة لشركة الطيران المحلية صباحاً.",
        "وتسلمت القاعدة طائرات إف-35 بي الجديدة.",
        "وسقطت طائرة نقل آن–26 قبل وصولها إلى المدرج.",
    ],
)
def test_the_number_of_a_model_counts_nothing(text: str) -> None:
    # walk 22: ميغ-31 تابعة / ميغ 31 أقلعت were four facts of a story (31 تابعة, 31 أقلعت …)
    assert find_quantities(text) == [], [(q.text, q.counted) for q in find_quantities(text)]


def test_a_count_of_planes_of_a_model_is_still_a_count() -> None:
    assert [(q.value, q.counted) for q in find_quantities("اشترت الشركة 20 طائرة بوينغ جديدة.")] == [(20, "طائرة")]
    # a range and a negative rate keep their numbers
    assert [q.value for q in find_quantities("قتل ما بين 10-15 شخصا في الهجوم.")] == [10]
    assert [q.value for q in find_quantities("تراجع التضخم إلى -1.0% على أساس شهري.")] == [1]
    # a maker's name before a rate is a company (its share rose 4.1%)
    assert [q.value for q in find_quantities("وزاد سهم إيرباص 4.1 في المائة في التداولات.")] == [4.1]


def test_others_after_a_number_count_what_the_number_before_them_counts() -> None:
    # walk 22: 9 ملايين أخرى and تسعة ملايين يورو were two facts of one story
    found = find_quantities("وستصل قيمة الصفقة إلى 40 مليون يورو إضافة إلى 6 ملايين أخرى.")
    assert [(q.value, q.counted, q.unit) for q in found] == [(40_000_000, "يورو", "EUR"), (6_000_000, "يورو", "EUR")]
    found = find_quantities("ووزعت الجمعية 300 سلة غذائية و200 أخرى.")
    assert [(q.value, q.counted) for q in found] == [(300, "سلة"), (200, "سلة")]
    # with nothing counted before it, it stays as written
    assert [q.counted for q in find_quantities("وافتتحت 3 أخرى.")] == ["أخرى"]


@pytest.mark.parametrize("text", [
    "صدر الألبوم في مارس/آذار 2017 بيعت منه نسخ كثيرة",
    "افتتح المتحف في أيلول 2019 وزاره الملايين",
])
def test_a_year_after_a_month_name_counts_nothing(text: str) -> None:
    assert find_quantities(text) == []


def test_a_quantity_after_a_dated_clause_still_counts() -> None:
    found = [(q.value, q.counted) for q in find_quantities("صدر في شهر يونيو 2016 وباع 300 ألف نسخة")]
    assert found == [(300000, "نسخة")]


@pytest.mark.parametrize("text", [
    "وفي العام الحالي 2018 نجحت الشركة في زيادة أرباحها",
    "خلال السنة المالية 2019 تراجعت الإيرادات",
    "منذ بداية الموسم الماضي 2021 غاب اللاعب عن الملعب",
    "في العام الحالى 2020 افتتحت البلدية حديقة",
])
def test_a_year_after_a_year_cue_and_its_adjective_counts_nothing(text: str) -> None:
    assert find_quantities(text) == []


def test_a_count_after_a_qualified_year_still_counts() -> None:
    found = [(q.value, q.counted) for q in find_quantities("وفي العام الماضي 2022 باعت الشركة 500 سيارة")]
    assert found == [(500, "سيارة")]


def test_a_year_in_words_after_a_year_noun_counts_nothing() -> None:
    assert find_quantities("وهي أدنى نسبة منذ العام ألفين في البلاد") == []


def test_instead_of_is_not_what_a_number_counts() -> None:
    found = find_quantities("وعدلت الأرقام لتظهر 120 ألفا بدلا من 90 ألفا")
    assert [(q.value, q.counted) for q in found] == [(120000, ""), (90000, "")]


def test_one_after_a_noun_with_a_glued_and_counts_the_noun() -> None:
    found = find_quantities("نريد دولة واحدة وجيشا واحدا وقانون واحد ووزير واحد")
    assert [q.counted for q in found] == ["دولة", "جيش", "قانون", "وزير"]


@pytest.mark.parametrize("text", [
    "وفي 2007 ضرب الإعصار سواحل البلاد",
    "وفي 2011 قمعها النظام بالقوة",
    "فاز الفريق في نهائي 2017 بكرديف",
    "ضمن مباريات الدور 32 لبطولة الأندية",
    "ويعد سامر واحدا من آلاف المتطوعين",
])
def test_years_before_a_verb_rounds_and_one_of_count_nothing(text: str) -> None:
    assert find_quantities(text) == []


def test_a_count_after_in_still_counts_a_known_noun() -> None:
    assert [(q.value, q.counted) for q in find_quantities("ووزعت المساعدات في 2000 منزل")] == [(2000, "منزل")]


def test_tokens_are_the_token_pattern_matches() -> None:
    # `_all_tokens` reads (space, token) pairs; the tokens must be the pattern's own matches
    import random
    import re

    from khabar.extract.quantities import _TOKEN_RE, tokens

    rng = random.Random(9)
    alphabet = "قال الوزير إن 3.5 12,000 abc , . « » - \n\t\u00a0\u2003\u200b\u064e؟٪%xyz١٢"
    texts = ["", " ", "  \n", "a", "قال", " 12.5% ", "الوزير  قال:«نعم»  "]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(400)]
    for text in texts:
        norm = normalize_text(text)
        got = [(t.start, t.end, t.text) for t in tokens(norm)]
        assert got == [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(norm)], ascii(text)
        if len(norm) > 4:
            inner = [(t.start, t.end, t.text) for t in tokens(norm, 2, len(norm) - 2)]
            assert inner == [g for g in got if g[0] >= 2 and g[1] <= len(norm) - 2]


@pytest.mark.parametrize(("text", "expected"), [
    # an adjective of an amount whose noun is left out counts nothing
    ("وبلغت العائدات 1.5 مليار متوقعة هذا العام", [("1.5 مليار", 1.5e9, "")]),
    ("وخصصت البلدية 200 مليون إضافية للطرق", [("200 مليون", 2e8, "")]),
    # a conjunction and a verb, a function word or a number begins a new clause
    ("وقتل 4 وأصيب 11 آخرون في الحادث", [("4", 4, ""), ("11 آخرون", 11, "شخص")]),
    ("وتوزعت 7 وستة آخرون على المستشفيات", [("7", 7, ""), ("ستة آخرون", 6, "شخص")]),
    # the span of a number word leaves its glued و out
    ("أصيب في الحادث خمسة رجال وثلاثة أطفال", [("خمسة رجال", 5, "رجل"), ("ثلاثة أطفال", 3, "طفل")]),
    # a noun that begins with و is still counted
    ("وعين 5 وزراء جدد ووفرت 300 وظيفة", [("5 وزراء", 5, "وزير"), ("300 وظيفة", 300, "وظيفة")]),
    # a count and a half or a quarter
    ("ويبلغ عدد سكانها 14 ونصف مليون نسمة", [("14 ونصف مليون نسمة", 14.5e6, "نسمة")]),
    ("واستقبلت المدينة 6 ملايين وربع المليون زائر", [("6 ملايين وربع المليون زائر", 6.25e6, "زائر")]),
    ("وتبلغ الديون نحو أربعة ونصف ترليون دولار", [("أربعة ونصف ترليون دولار", 4.5e12, "دولار")]),
    ("وغاب 3 ونصف اللاعبين مصابون", [("3", 3, "")]),
])
def test_what_follows_a_number_and_what_it_counts(text: str, expected: list) -> None:
    found = [(q.text, q.value, q.counted) for q in find_quantities(text)]
    assert found == expected


@pytest.mark.parametrize("text", [
    "وتعادل المنتخب مع ألمانيا والأرجنتين في المباراتين الوديتين",
    "ونشر البيان باللغتين العربية والإنجليزية",
    "وتعهدت الحكومتان بدعم المشروع والحكومتين الأخريين",
])
def test_a_place_or_a_definite_dual_with_its_conjunction_is_no_count(text: str) -> None:
    assert [q.text for q in find_quantities(text) if q.value == 2] == []


@pytest.mark.parametrize(("text", "expected"), [
    # an adjective in the dual after a dual noun agrees with it; a score is two counts
    ("وعثرت الفرق على جثتين جديدتين قرب النهر", [("جثتين", 2, "جثة")]),
    ("وانتهت المباراة بهدفين لهدفين", [("بهدفين", 2, "هدف"), ("لهدفين", 2, "هدف")]),
    # the -ات plural of a masculine noun, and of the derived forms' verbal nouns
    ("وحقق النادي 4 انتصارات و3 تعادلات في 5 قطاعات", [
        ("4 انتصارات", 4, "انتصار"), ("3 تعادلات", 3, "تعادل"), ("5 قطاعات", 5, "قطاع")]),
    ("وأجرى المدرب 3 تغييرات وشهد النادي 3 استقالات", [
        ("3 تغييرات", 3, "تغيير"), ("3 استقالات", 3, "استقالة")]),
    # units of storage and currencies of their own
    ("وتبلغ سعة الذاكرة 64 جيجا بايت", [("64 جيجا بايت", 64, "جيجابايت")]),
    ("وبلغت الأرباح 2.5 تريليون وون", [("2.5 تريليون وون", 2.5e12, "وون")]),
    # a wish, a rate and a verbal noun after a year count nothing
    ("وألف مبروك للعروسين", []),
    ("ورفض البرلمان في 2014 تعديل القانون", []),
])
def test_counted_nouns_of_duals_plurals_and_units(text: str, expected: list) -> None:
    assert [(q.text, q.value, q.counted) for q in find_quantities(text)] == expected


@pytest.mark.parametrize("text", [
    "ودعا الجميع إلى الوقوف صفاً واحداً خلف القيادة",
    "وعمل أهالي الحي يدا واحدة",
    "وهتف المتظاهرون بصوت واحد",
])
def test_the_idioms_of_unity_count_nothing(text: str) -> None:
    assert find_quantities(text) == []


def test_a_long_number_in_words_is_read_whole() -> None:
    text = "وبلغت قيمة العقد تسعة وتسعين مليونا وخمسمائة وستة آلاف وسبعمائة وخمسة وسبعين ريالًا"
    assert [(q.value, q.counted) for q in find_quantities(text)] == [(99506775, "ريال")]


def test_a_counted_noun_that_begins_with_wa_before_brackets_is_still_counted() -> None:
    text = "وتبلغ سعة السفينة 224 وحدة (تي إي يو) من الحاويات"
    assert [(q.value, q.counted) for q in find_quantities(text)] == [(224, "وحدة")]


@pytest.mark.parametrize(("text", "expected"), [
    # a noun that begins with و before a number of them is counted (review of the و rule)
    ("وأعلنت الشركة توفير 500 وظيفة 200 منها للنساء", [("500 وظيفة", 500, "وظيفة"), ("200", 200, "")]),
    ("وزار الوفد 4 ولايات 2 منها في الجنوب", [("4 ولايات", 4, "ولاية"), ("2", 2, "")]),
    # a second dual joined by و is a count, not an adjective
    ("واشترى سيارتين ودراجتين لأبنائه", [("سيارتين", 2, "سيارة"), ("ودراجتين", 2, "ودراجة")]),
    # one vote is a count; the idiom is بصوت واحد
    ("وفاز المرشح بفارق صوت واحد فقط", [("صوت واحد", 1, "صوت")]),
    # feminine nouns of the derived forms keep their ة
    ("وشهدت المنطقة 3 انتفاضات", [("3 انتفاضات", 3, "انتفاضة")]),
    # a future verb after a number begins a clause
    ("وارتفع العدد إلى 50 وسيتم الإعلان عنه غدا", []),
])
def test_review_of_the_counted_noun_rules(text: str, expected: list) -> None:
    assert [(q.text, q.value, q.counted) for q in find_quantities(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a scaled amount without a unit takes the unit of the scaled amount before it
    ("ويحتاج البلد إلى 22 مليار دولار في الأجل القصير، ونحو 65 ملياراً على المدى المتوسط",
     [("22 مليار دولار", 22e9, "دولار"), ("65 ملياراً", 65e9, "دولار")]),
    ("وبلغ الفائض 33.4 مليار يورو مقارنة مع 15.1 مليار في الربع الثالث",
     [("33.4 مليار يورو", 33.4e9, "يورو"), ("15.1 مليار", 15.1e9, "يورو")]),
    # not after an amount without a scale, nor after a percentage or a count of years
    ("ويضم المعرض 300 جناح، وزاره 40 ألفا", [("300 جناح", 300, "جناح"), ("40 ألفا", 40000, "")]),
    ("وارتفعت الأسعار 5% وبلغ عدد الزوار 200 ألف", [("5%", 5, "%"), ("200 ألف", 200000, "")]),
    # a round's name, a year, madam, one of them, a verb after an ordinal: no count
    ("وتأهل المنتخب إلى دور الـ 16 من البطولة", []),
    ("ووقعت المعركة سنة 630 للميلاد", []),
    ("وقال: الحمد لله على السلامة يا ست فاتن", []),
    ("وكان الجنود يشعرون بأنه واحد منهم", []),
    ("وفي دورته الـ13 انطلقت أعمال المؤتمر اليوم", []),
    ("وفي مؤتمر الطاقة الـ13 انطلقت الجلسات اليوم", []),
    # most of them, each one, for a country, a budget's year: not what is counted
    ("وقبض على 431 أغلبهم من الجنسية نفسها", [("431", 431, "")]),
    ("وحدد لكل واحدة منها دورها", []),
    ("وبلغت 12 نقطة للسويد و100 لإيطاليا", [("12 نقطة", 12, "نقطة"), ("100", 100, "")]),
    ("وقالت المفوضية إن مشروع موازنة 2019 مبني على افتراض الخروج", []),
    ("وخصصت الميزانية 2000 وظيفة جديدة", [("2000 وظيفة", 2000, "وظيفة")]),
])
def test_ellipsis_and_numbers_that_count_nothing(text: str, expected: list) -> None:
    assert [(q.text, q.value, q.counted) for q in find_quantities(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # review of this session's rules: a count after an amount is not in its currency
    ("وبلغ الدين العام 50 مليار دولار، فيما يبلغ عدد السكان 30 مليونا حسب الإحصاءات",
     [("50 مليار دولار", 50e9, "دولار"), ("30 مليونا", 30e6, "")]),
    ("وبلغ الاستثمار 300 مليون دولار، وبلغ عدد الوظائف بين مليون و3.1 مليون وظيفة",
     [("300 مليون دولار", 300e6, "دولار"), ("مليون", 1e6, ""), ("3.1 مليون وظيفة", 3.1e6, "وظيفة")]),
    ("وتضم المدينة 3 جامعات ولكل واحدة منها فرع", [("3 جامعات", 3, "جامعة")]),
    # joined by إلى across a long clause: the same barrels
    ("واستهلكت 2.8 مليون برميل لتوليد الكهرباء وتحلية المياه، والتي قد ترتفع إلى خمسة ملايين بعد عقد",
     [("2.8 مليون برميل", 2.8e6, "برميل"), ("خمسة ملايين", 5e6, "برميل")]),
])
def test_review_of_the_sessions_quantity_rules(text: str, expected: list) -> None:
    assert [(q.text, q.value, q.counted) for q in find_quantities(text)] == expected
