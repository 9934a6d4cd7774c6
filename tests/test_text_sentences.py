"""khabar.text.sentences: sentence spans into the original text, robust to scraped-news quirks."""

from __future__ import annotations

import re

import pytest

from khabar.text import split_sentences
from khabar.text.sentences import MAX_QUOTED_ENDS


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


CASES = [
    # --- glued sentences: the full stop stays with the first one
    (
        "glued_sentences_split_after_full_stop",
        "أنهى الفريق مهمته في المدينة.وعاد المدربون إلى العاصمة.",
        ["أنهى الفريق مهمته في المدينة.", "وعاد المدربون إلى العاصمة."],
    ),
    (
        "glued_sentences_split_after_closing_quote_and_full_stop",
        "قال المتحدث إن “الطريق مفتوح”.وتابع أن العمل مستمر.",
        ["قال المتحدث إن “الطريق مفتوح”.", "وتابع أن العمل مستمر."],
    ),
    (
        "glued_sentences_split_after_ellipsis",
        "انتظر الجميع طويلا…وجاء الخبر أخيرا.",
        ["انتظر الجميع طويلا…", "وجاء الخبر أخيرا."],
    ),
    # --- terminators
    (
        "question_mark_semicolon_and_full_stop_end_sentences",
        "هل انتهت الأزمة؟ يبدو ذلك؛ لكن الحذر واجب.",
        ["هل انتهت الأزمة؟", "يبدو ذلك؛", "لكن الحذر واجب."],
    ),
    (
        "latin_question_and_exclamation_marks_end_sentences",
        "من الفائز? لا أحد! انتهى.",
        ["من الفائز?", "لا أحد!", "انتهى."],
    ),
    (
        "terminator_cluster_is_one_sentence_end",
        "هل هذا معقول؟! لا أحد يصدق ما جرى!!! ثم عاد الهدوء.",
        ["هل هذا معقول؟!", "لا أحد يصدق ما جرى!!!", "ثم عاد الهدوء."],
    ),
    (
        "ellipsis_character_ends_a_sentence",
        "انتظر الجميع طويلا… ثم جاء الخبر.",
        ["انتظر الجميع طويلا…", "ثم جاء الخبر."],
    ),
    (
        "three_dots_end_a_sentence",
        "انتظر الجميع طويلا... ثم جاء الخبر.",
        ["انتظر الجميع طويلا...", "ثم جاء الخبر."],
    ),
    (
        "title_ending_with_exclamation_mark_is_one_sentence",
        "الوزير:الحوار هو الحل الوحيد للأزمة!",
        ["الوزير:الحوار هو الحل الوحيد للأزمة!"],
    ),
    (
        "colon_without_space_does_not_split",
        "المتحدث:الوضع مستقر والعمل مستمر في المدينة",
        ["المتحدث:الوضع مستقر والعمل مستمر في المدينة"],
    ),
    (
        "asterisk_after_letter_with_tatweel_stays_in_sentence",
        "الحقول المطلوبة معلمة بـ *",
        ["الحقول المطلوبة معلمة بـ *"],
    ),
    # --- whitespace
    (
        "no_break_space_inside_sentence_is_kept",
        "وصل الرئيس مساء\u00a0الثلاثاء إلى المطار.",
        ["وصل الرئيس مساء\u00a0الثلاثاء إلى المطار."],
    ),
    (
        "no_break_space_after_full_stop_separates_and_is_stripped",
        "\u00a0وصل الرئيس مساء الثلاثاء.\u00a0وقال إن الزيارة ناجحة.\u00a0",
        ["وصل الرئيس مساء الثلاثاء.", "وقال إن الزيارة ناجحة."],
    ),
    (
        "invisible_bidi_marks_are_stripped_at_sentence_edges",
        "\u200fقال الوزير إن الاتفاق قريب.\u200f وأضاف أنه متفائل.\u200e",
        ["قال الوزير إن الاتفاق قريب.", "وأضاف أنه متفائل."],
    ),
    # --- line breaks always end a sentence
    (
        "line_break_ends_a_sentence",
        "العنوان الرئيسي للخبر\nالنص الأول. النص الثاني\n\n  سطر أخير بلا نقطة  ",
        ["العنوان الرئيسي للخبر", "النص الأول.", "النص الثاني", "سطر أخير بلا نقطة"],
    ),
    (
        "carriage_return_line_breaks_end_sentences",
        "السطر الأول\r\nالسطر الثاني\rالسطر الثالث",
        ["السطر الأول", "السطر الثاني", "السطر الثالث"],
    ),
    (
        "line_break_resets_an_open_quote",
        "قال المسؤول “إن الوضع صعب\nوأضاف أن الحل قريب. ثم غادر” القاعة.",
        ["قال المسؤول “إن الوضع صعب", "وأضاف أن الحل قريب.", "ثم غادر” القاعة."],
    ),
    # --- numbers, abbreviations, URLs
    (
        "decimal_number_with_full_stop_does_not_split",
        "بلغ النمو 3.5 في المئة هذا العام.",
        ["بلغ النمو 3.5 في المئة هذا العام."],
    ),
    (
        "decimal_typed_in_visual_order_with_a_direction_mark_does_not_split",
        "وانخفض الدولار 5.\u200f0 في المائة أمس. وارتفع الذهب.",
        ["وانخفض الدولار 5.\u200f0 في المائة أمس.", "وارتفع الذهب."],
    ),
    (
        "eastern_arabic_decimal_does_not_split",
        "ارتفع المؤشر ٣٫٥ نقطة أمس. وتراجع الدولار.",
        ["ارتفع المؤشر ٣٫٥ نقطة أمس.", "وتراجع الدولار."],
    ),
    (
        "eastern_digits_with_full_stop_do_not_split",
        "سجلت الحرارة ١٢.٥ درجة.",
        ["سجلت الحرارة ١٢.٥ درجة."],
    ),
    (
        "number_at_sentence_end_splits",
        "وصل إلى البلاد 560. وسيصل غيرهم لاحقا.",
        ["وصل إلى البلاد 560.", "وسيصل غيرهم لاحقا."],
    ),
    (
        "single_letter_title_abbreviation_does_not_split",
        "التقى د. أحمد سالم بالوفد الزائر.",
        ["التقى د. أحمد سالم بالوفد الزائر."],
    ),
    (
        "chained_initials_do_not_split",
        "تحاضر أ.د. سعاد محمود اليوم. ويحضر الطلاب.",
        ["تحاضر أ.د. سعاد محمود اليوم.", "ويحضر الطلاب."],
    ),
    (
        "initial_glued_to_name_does_not_split",
        "استقبل م.خالد الوفد في مكتبه.",
        ["استقبل م.خالد الوفد في مكتبه."],
    ),
    (
        "era_letter_after_a_year_ends_the_sentence",
        "ولد عام 1950 م. وتوفي عام 1430 هـ. ودفن في مسقط رأسه.",
        ["ولد عام 1950 م.", "وتوفي عام 1430 هـ.", "ودفن في مسقط رأسه."],
    ),
    (
        "domain_name_does_not_split",
        "زوروا موقع example.com للمزيد من التفاصيل.",
        ["زوروا موقع example.com للمزيد من التفاصيل."],
    ),
    (
        "url_and_email_do_not_split",
        "راسلونا على info@example.org أو زوروا https://www.example.com/news?id=5 اليوم.",
        ["راسلونا على info@example.org أو زوروا https://www.example.com/news?id=5 اليوم."],
    ),
    (
        "full_stop_after_url_ends_the_sentence",
        "التفاصيل على www.example.net/a.html. وشكرا للمتابعة.",
        ["التفاصيل على www.example.net/a.html.", "وشكرا للمتابعة."],
    ),
    (
        "latin_titles_and_initials_do_not_split",
        "Mr. Smith met Dr. Jones in the U.S. today. They talked.",
        ["Mr. Smith met Dr. Jones in the U.S. today.", "They talked."],
    ),
    (
        "list_number_at_line_start_does_not_split",
        "1. البند الأول\n٢. البند الثاني",
        ["1. البند الأول", "٢. البند الثاني"],
    ),
    # --- quotes and brackets
    (
        "closing_quote_after_terminator_stays_with_the_sentence",
        'قال "انتهى."',
        ['قال "انتهى."'],
    ),
    (
        "sentence_after_a_closed_quote_starts_after_the_closing_mark",
        'قال "انتهى الأمر." ثم غادر القاعة.',
        ['قال "انتهى الأمر."', "ثم غادر القاعة."],
    ),
    (
        "full_stop_inside_a_continuing_quote_does_not_split",
        "قال “تأخرنا. لكننا وصلنا” ثم ابتسم.",
        ["قال “تأخرنا. لكننا وصلنا” ثم ابتسم."],
    ),
    (
        "ellipsis_inside_a_continuing_quote_does_not_split",
        "قال «انتظرنا طويلا… لكننا لم نيأس» ثم غادر.",
        ["قال «انتظرنا طويلا… لكننا لم نيأس» ثم غادر."],
    ),
    (
        "full_stop_inside_continuing_brackets_does_not_split",
        "زار الوفد المصنع (انظر الصورة. المصدر وكالة محلية) وغادر ظهرا.",
        ["زار الوفد المصنع (انظر الصورة. المصدر وكالة محلية) وغادر ظهرا."],
    ),
    (
        "brackets_with_numbers_stay_in_the_sentence",
        "وصلت القوات إلى البلدة (45 كم شمال المدينة) صباح اليوم. وبدأ الانتشار.",
        ["وصلت القوات إلى البلدة (45 كم شمال المدينة) صباح اليوم.", "وبدأ الانتشار."],
    ),
    (
        "closing_bracket_after_terminator_stays_with_the_sentence",
        "عاد الفريق إلى الملعب (بعد غياب طويل.) واستأنف التدريب.",
        ["عاد الفريق إلى الملعب (بعد غياب طويل.)", "واستأنف التدريب."],
    ),
    (
        "square_brackets_inside_a_quote",
        "أكد أن “القوات [الخاصة] وصلت إلى المدينة”.وبدأت العملية.",
        ["أكد أن “القوات [الخاصة] وصلت إلى المدينة”.", "وبدأت العملية."],
    ),
    (
        "quote_opened_and_never_closed_does_not_swallow_the_paragraph",
        "قال المدير إن “المشروع تأخر كثيرا. وأضاف أن التمويل وصل. ثم غادر القاعة.",
        ["قال المدير إن “المشروع تأخر كثيرا.", "وأضاف أن التمويل وصل.", "ثم غادر القاعة."],
    ),
    (
        "second_opening_quote_replaces_an_unclosed_one",
        "أكد الوزير أن “الخطة جاهزة، وأن “التنفيذ يبدأ قريبا” حسب قوله."
        "وأضاف أن الميزانية كافية.وختم بالشكر.",
        [
            "أكد الوزير أن “الخطة جاهزة، وأن “التنفيذ يبدأ قريبا” حسب قوله.",
            "وأضاف أن الميزانية كافية.",
            "وختم بالشكر.",
        ],
    ),
    (
        "closing_mark_written_as_opening_mark",
        "أوضح أن “الدعم مستمر للقوات، “مؤكدا أن “المرحلة المقبلة حاسمة”.وختم حديثه.",
        ["أوضح أن “الدعم مستمر للقوات، “مؤكدا أن “المرحلة المقبلة حاسمة”.", "وختم حديثه."],
    ),
    (
        "reversed_curly_quotes_are_read_from_context",
        "”النص بين علامتين معكوستين.“ وقال آخر إن الأمر انتهى.",
        ["”النص بين علامتين معكوستين.“", "وقال آخر إن الأمر انتهى."],
    ),
    (
        "stray_closing_quote_without_opening_is_ignored",
        "أرسل 300 جندي إلى الجبهة”، مبينا أن “الدعم مستمر”.وانتهى المؤتمر.",
        ["أرسل 300 جندي إلى الجبهة”، مبينا أن “الدعم مستمر”.", "وانتهى المؤتمر."],
    ),
    (
        "quote_with_too_many_sentence_ends_is_treated_as_unbalanced",
        "صرح قائلا “وصلنا. بدأنا. عملنا. أنجزنا. رحلنا” ثم صمت.",
        ["صرح قائلا “وصلنا.", "بدأنا.", "عملنا.", "أنجزنا.", "رحلنا” ثم صمت."],
    ),
    (
        "quote_with_few_sentence_ends_is_protected",
        "صرح قائلا “وصلنا. بدأنا. عملنا. رحلنا” ثم صمت.",
        ["صرح قائلا “وصلنا. بدأنا. عملنا. رحلنا” ثم صمت."],
    ),
    (
        "ascii_quotes_glued_to_colon",
        'قال الناطق:"لا تعليق الآن." وانصرف.',
        ['قال الناطق:"لا تعليق الآن."', "وانصرف."],
    ),
    # --- no punctuation-only sentences
    (
        "leading_ellipsis_stays_with_the_sentence",
        "...وتابع الحديث عن الخطة.",
        ["...وتابع الحديث عن الخطة."],
    ),
    (
        "trailing_punctuation_joins_the_previous_sentence",
        "انتهى الخبر. --",
        ["انتهى الخبر. --"],
    ),
    (
        "punctuation_only_line_is_kept",
        "انتهى الخبر.\n***\nبداية خبر آخر",
        ["انتهى الخبر.", "***", "بداية خبر آخر"],
    ),
    ("empty_text_has_no_sentences", "", []),
    ("whitespace_only_text_has_no_sentences", " \n\u00a0\t\n\u200f ", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in CASES], ids=[name for name, _, _ in CASES]
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_max_quoted_ends_matches_the_documented_limit() -> None:
    assert MAX_QUOTED_ENDS == 3


# A multi-line, seed-like scraped article that mixes the quirks above.
ARTICLE = (
    "الوزير:الاتفاق سيوقع خلال أيام!\n"
    "الوزير:الاتفاق سيوقع خلال أيام!\n"
    "آخر تحديث:\n"
    " عمّان/وكالة الأنباء- قال وزير الخارجية في مؤتمر صحفي، مساء امس\u00a0الخميس، إن “أهم "
    "ما في الاتفاق هو الاستقرار بعد سنوات الصراع، ومن “الضروري أن نتابع التنفيذ” وفق "
    "وصفه.وأضاف أن الاتفاق يشمل (12 بندا أساسيا) ويغطي الحدود “كاملة”.وبين، أن “اللجان "
    "[الفنية] ستبدأ عملها قريبا، “مشيرا إلى أن “التمويل متوفر”.وكان الوزير أعلن عن إرسال "
    "250 خبيرا”، موضحا أن “الخبراء سيعملون على الأرض”.\n"
    "التعليقات\n"
    "الحقول المطلوبة معلمة بـ *"
)

ARTICLE_SENTENCES = [
    "الوزير:الاتفاق سيوقع خلال أيام!",
    "الوزير:الاتفاق سيوقع خلال أيام!",
    "آخر تحديث:",
    "عمّان/وكالة الأنباء- قال وزير الخارجية في مؤتمر صحفي، مساء امس\u00a0الخميس، إن “أهم ما "
    "في الاتفاق هو الاستقرار بعد سنوات الصراع، ومن “الضروري أن نتابع التنفيذ” وفق وصفه.",
    "وأضاف أن الاتفاق يشمل (12 بندا أساسيا) ويغطي الحدود “كاملة”.",
    "وبين، أن “اللجان [الفنية] ستبدأ عملها قريبا، “مشيرا إلى أن “التمويل متوفر”.",
    "وكان الوزير أعلن عن إرسال 250 خبيرا”، موضحا أن “الخبراء سيعملون على الأرض”.",
    "التعليقات",
    "الحقول المطلوبة معلمة بـ *",
]


def test_seed_like_article_is_split_into_its_sentences() -> None:
    assert sentences(ARTICLE) == ARTICLE_SENTENCES


def _check_span_invariants(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and piece.strip("\u200b\u200e\u200f\ufeff")
        assert "\n" not in piece and "\r" not in piece
        previous_end = end
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    for m in re.finditer(r"[^\W_]", text):
        assert m.start() in covered, (text, m.start())


@pytest.mark.parametrize("text", [t for _, t, _ in CASES] + [ARTICLE])
def test_spans_are_ordered_stripped_and_keep_every_letter(text: str) -> None:
    _check_span_invariants(text)


def test_split_sentences_property_spans_are_well_formed() -> None:
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(
        [
            "قال", "الوزير", "وأضاف", "د", "م", "1950", "٣٫٥", "3", "5", "example", "com",
            ".", ".", "!", "؟", "؛", "…", "...", "?", ":", "،",
            '"', "“", "”", "«", "»", "(", ")", "[", "]",
            " ", " ", " ", "\n", "\u00a0", "\u200f", "ـ", "\u064e",
            "https://x.org/a?b=1", "a@b.io",
        ]
    )  # fmt: skip

    @settings(max_examples=500, deadline=None)
    @given(st.lists(pieces, max_size=40).map("".join))
    def check(text: str) -> None:
        _check_span_invariants(text)

    check()


def test_an_arabic_abbreviation_with_dots_is_no_sentence_end() -> None:
    text = "وقال لشبكة بي.بي.سي إن الوضع هادئ. ونقلت سي.آي.إيه التقرير.وأضاف المصدر أنه دقيق."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "وقال لشبكة بي.بي.سي إن الوضع هادئ.",
        "ونقلت سي.آي.إيه التقرير.",
        "وأضاف المصدر أنه دقيق.",
    ]
    # glued sentences of short words still split
    assert len(split_sentences("انتهى.قال.وأضاف")) == 3


@pytest.mark.parametrize(("text", "sentences"), [
    ("ونقلت شبكة بي. بي. سي. البريطانية الخبر. ثم نفته.",
     ["ونقلت شبكة بي. بي. سي. البريطانية الخبر.", "ثم نفته."]),
    ("وذكرت بي.بي.سي. الإخبارية أن الجلسة انتهت. وغادر النواب.",
     ["وذكرت بي.بي.سي. الإخبارية أن الجلسة انتهت.", "وغادر النواب."]),
    # the last dot of a chain before any other word still ends the sentence
    ("نشرت الخبر سي.إن.إن. وقال الوزير إنه صحيح.", ["نشرت الخبر سي.إن.إن.", "وقال الوزير إنه صحيح."]),
    # short words that are not letter names, dotted with spaces, are sentences
    ("قال: لا. لا. لا يمكن.", ["قال: لا.", "لا.", "لا يمكن."]),
])
def test_latin_letters_dotted_with_spaces_or_before_an_adjective_are_one_name(
    text: str, sentences: list[str]
) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == sentences
