"""khabar.text.tokens: tokens with offsets, conservative clitic splitting and match keys."""

from __future__ import annotations

from importlib import resources

import pytest

from khabar.text import (
    Token,
    arabic_letter_share,
    match_key,
    match_keys,
    normalize_text,
    split_clitics,
    tokenize,
)
from khabar.text.tokens import load_spelling_variants, parse_spelling_variants


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.text, t.kind) for t in tokenize(text)]


# --------------------------------------------------------------------------- tokenize

TOKENIZE_CASES = [
    (
        "colon_without_space_separates_words",
        "الوزير:الحوار",
        [("الوزير", "word"), (":", "punct"), ("الحوار", "word")],
    ),
    (
        "glued_sentences_give_three_tokens",
        "المدينة.وعاد",
        [("المدينة", "word"), (".", "punct"), ("وعاد", "word")],
    ),
    (
        "letter_with_tatweel_then_asterisk",
        "معلمة بـ *",
        [("معلمة", "word"), ("بـ", "word"), ("*", "punct")],
    ),
    (
        "tatweel_and_diacritics_stay_inside_the_word",
        "الـمُتَحَدِّثُ باسم",
        [("الـمُتَحَدِّثُ", "word"), ("باسم", "word")],
    ),
    (
        "no_break_space_separates_words",
        "امس\u00a0الخميس",
        [("امس", "word"), ("الخميس", "word")],
    ),
    (
        "curly_quotes_are_punctuation",
        "“مهم”.",
        [("“", "punct"), ("مهم", "word"), ("”", "punct"), (".", "punct")],
    ),
    (
        "brackets_and_numbers",
        "(58 كم)",
        [("(", "punct"), ("58", "number"), ("كم", "word"), (")", "punct")],
    ),
    (
        "decimal_and_thousands_numbers",
        "3.5 ٣٫٥ 1,000 ١٬٠٠٠ ۱۴۰۳",
        [("3.5", "number"), ("٣٫٥", "number"), ("1,000", "number"), ("١٬٠٠٠", "number")]
        + [("۱۴۰۳", "number")],
    ),
    (
        "full_stop_after_number_is_punctuation",
        "560.",
        [("560", "number"), (".", "punct")],
    ),
    (
        "number_glued_to_word_splits",
        "2016م",
        [("2016", "number"), ("م", "word")],
    ),
    (
        "slash_between_words",
        "تموز/يوليو",
        [("تموز", "word"), ("/", "punct"), ("يوليو", "word")],
    ),
    (
        "latin_words_and_acronyms",
        "BBC G20 COVID-19",
        [("BBC", "latin"), ("G20", "latin"), ("COVID", "latin"), ("-", "punct"), ("19", "number")],
    ),
    (
        "latin_glued_to_arabic_splits",
        "موقعFacebook",
        [("موقع", "word"), ("Facebook", "latin")],
    ),
    (
        "run_of_the_same_punctuation_is_one_token",
        "ماذا... حقا؟!",
        [("ماذا", "word"), ("...", "punct"), ("حقا", "word"), ("؟", "punct"), ("!", "punct")],
    ),
    (
        "arabic_punctuation",
        "نعم، لا؛ ٥٠٪",
        [("نعم", "word"), ("،", "punct"), ("لا", "word"), ("؛", "punct")]
        + [("٥٠", "number"), ("٪", "punct")],
    ),
    (
        "symbols",
        "+ $ ﷼ ــــ",
        [("+", "symbol"), ("$", "symbol"), ("﷼", "symbol"), ("ــــ", "symbol")],
    ),
    (
        "zero_width_and_bidi_marks_are_not_tokens",
        "\u200fخبر\u200b \ufeffعاجل\u200e",
        [("خبر", "word"), ("عاجل", "word")],
    ),
    (
        "zero_width_non_joiner_inside_a_word",
        "می\u200cخواهم",
        [("می\u200cخواهم", "word")],
    ),
    (
        "stray_diacritic_is_not_a_token",
        "\u064e خبر",
        [("خبر", "word")],
    ),
    (
        "presentation_forms_are_arabic_words",
        "ﻻ ﺍﻟﻌﺮﺏ",
        [("ﻻ", "word"), ("ﺍﻟﻌﺮﺏ", "word")],
    ),
    ("empty_text", "", []),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [(t, e) for _, t, e in TOKENIZE_CASES],
    ids=[name for name, _, _ in TOKENIZE_CASES],
)
def test_tokenize_kinds_and_boundaries(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [t for _, t, _ in TOKENIZE_CASES])
def test_token_offsets_and_norms_match_the_original(text: str) -> None:
    previous_end = 0
    for tok in tokenize(text):
        assert isinstance(tok, Token)
        assert text[tok.start : tok.end] == tok.text
        assert previous_end <= tok.start < tok.end
        assert tok.norm == normalize_text(tok.text)
        assert not any(ch.isspace() for ch in tok.text)
        previous_end = tok.end


@pytest.mark.parametrize(
    ("text", "norm", "prefixes", "stem"),
    [
        ("وبالموصل", "وبالموصل", ("و", "ب", "ال"), "موصل"),
        ("الـمُتَحَدِّثُ", "المتحدث", ("ال",), "متحدث"),
        ("للعراق", "للعراق", ("ل", "ال"), "عراق"),
        ("الأمريكية", "الامريكيه", ("ال",), "امريكيه"),
        ("Facebook", "facebook", (), "facebook"),
        ("٥٦٠", "560", (), "560"),
        ("٣٫٥", "3.5", (), "3.5"),
        ("وزير", "وزير", (), "وزير"),
    ],
)
def test_token_norm_prefixes_and_stem(
    text: str, norm: str, prefixes: tuple[str, ...], stem: str
) -> None:
    (tok,) = tokenize(text)
    assert (tok.norm, tok.prefixes, tok.stem) == (norm, prefixes, stem)


# --------------------------------------------------------------------------- clitics

CLITIC_SPLITS = [
    ("الموصل", ("ال",), "موصل"),
    ("والموصل", ("و", "ال"), "موصل"),
    ("فالموصل", ("ف", "ال"), "موصل"),
    ("بالعراق", ("ب", "ال"), "عراق"),
    ("كالعاده", ("ك", "ال"), "عاده"),
    ("للعراق", ("ل", "ال"), "عراق"),
    ("وبالموصل", ("و", "ب", "ال"), "موصل"),
    ("فبالتالي", ("ف", "ب", "ال"), "تالي"),
    ("وكالعاده", ("و", "ك", "ال"), "عاده"),
    ("وللموصل", ("و", "ل", "ال"), "موصل"),
    ("فللحكومه", ("ف", "ل", "ال"), "حكومه"),
    ("والله", ("و",), "الله"),
    ("والتي", ("و",), "التي"),
    ("فالذي", ("ف",), "الذي"),
    ("وبالله", ("و",), "بالله"),
]

CLITIC_KEPT = [
    "الله",  # stem would have 2 letters
    "الي",
    "الا",
    "التي",
    "لله",
    "والي",  # و + الي: rest has only 3 letters
    "وزير",  # bare و before a non-determiner word
    "وكاله",
    "وكالات",
    "ولايه",
    "فرنسا",
    "بغداد",  # prepositions without ال are never split
    "كارتر",
    "لبنان",
    "بريطانيا",
    "موصل",
    "ال",
    "و",
]


@pytest.mark.parametrize(("word", "prefixes", "stem"), CLITIC_SPLITS)
def test_split_clitics_strips_determiner_combinations(
    word: str, prefixes: tuple[str, ...], stem: str
) -> None:
    assert split_clitics(word) == (prefixes, stem)


@pytest.mark.parametrize("word", CLITIC_KEPT)
def test_split_clitics_is_conservative(word: str) -> None:
    assert split_clitics(word) == ((), word)


@pytest.mark.parametrize("word", ["abc", "560", "الموصل1", "ال موصل", ""])
def test_split_clitics_leaves_non_arabic_words_alone(word: str) -> None:
    assert split_clitics(word) == ((), word)


# --------------------------------------------------------------------------- match keys

EQUAL_KEYS = [
    ("الأمريكي", "الأميركي"),
    ("أميركا", "أمريكا"),
    ("الأميركيون", "الامريكيون"),
    ("والأميركيين", "أمريكيين"),
    ("الموصل", "موصل"),
    ("بالموصل", "الموصل"),
    ("وللموصل", "الموصل"),
    ("سورية", "سوريا"),
    ("بسورية", "بسورية"),
    ("مُحَمَّد", "محمد"),
    ("الـموصل", "الموصل"),
    ("٥٦٠", "560"),
    ("ترمب", "ترامب"),
    ("فايسبوك", "فيسبوك"),
    ("الكونجرس", "الكونغرس"),
    ("إنكلترا", "إنجلترا"),
    ("الإنكليزية", "الإنجليزية"),
    ("إسطنبول", "استانبول"),
    ("الالتزام", "التزام"),
    ("FaceBook", "facebook"),
    ("ﺍﻟﻌﺮﺏ", "العرب"),
]

DIFFERENT_KEYS = [
    ("وزير", "زير"),
    ("فرنسا", "رنسا"),
    ("بغداد", "غداد"),
    ("كارتر", "ارتر"),
    ("لبنان", "بنان"),
    ("الله", "له"),
    ("سوري", "سوريا"),
    ("بوتين", "بوتان"),
]


@pytest.mark.parametrize(("a", "b"), EQUAL_KEYS)
def test_match_key_equal_for_variants_of_the_same_word(a: str, b: str) -> None:
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT_KEYS)
def test_match_key_keeps_different_words_apart(a: str, b: str) -> None:
    assert match_key(a) != match_key(b)


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("الموصل", "موصل"),
        ("وبالموصل", "موصل"),
        ("الأميركية", "امريكيه"),
        ("سورية", "سوريا"),
        ("٥٦٠", "560"),
        ("١٢٫٥", "12.5"),
        ("BBC", "bbc"),
        ("الله", "الله"),
        ("إلى", "الي"),
        ("وزير", "وزير"),
        ("بغداد", "بغداد"),
        ("  الموصل  ", "موصل"),
    ],
)
def test_match_key_value(word: str, key: str) -> None:
    assert match_key(word) == key


def test_match_keys_skip_punctuation_and_follow_token_order() -> None:
    text = "وصل 560 جنديا أميركيا إلى الموصل.وأكد كارتر:التحالف “مستمر”!"
    assert match_keys(text) == [
        "وصل", "560", "جنديا", "امريكيا", "الي", "موصل", "واكد", "كارتر", "تحالف", "مستمر",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "وصل 560 جنديا أميركيا إلى الموصل.",
        "قال د. أحمد لـ BBC إن “الالتزام” بالاتفاق ضروري؛ وللعراق ١٢٫٥ مليون!",
        "والله فبالتالي سورية ترمب",
        "ًًكتب ..5 x٫٣ abc١٢ ـــكلمة \u200cزي \u200fمرحبا\u200b؟؟!! 3.14,15 e\u0301te ﻻ",
    ],
)
def test_match_keys_equal_match_key_of_each_token(text: str) -> None:
    tokens = [t for t in tokenize(text) if t.kind in ("word", "latin", "number")]
    assert match_keys(text) == [match_key(t.text) for t in tokens]


# --------------------------------------------------------------------------- spelling variants


def _variants_text() -> str:
    return resources.files("khabar.resources").joinpath("spelling_variants.tsv").read_text("utf-8")


def test_spelling_variants_file_has_a_header_and_a_small_honest_table() -> None:
    text = _variants_text()
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("khabar authors" in line for line in header)
    assert any("prefix:" in line for line in header)
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert 20 <= len(rows) <= 60
    assert all(len(row.split("\t")) == 2 for row in rows)


def test_spelling_variants_are_normalized_and_never_chain() -> None:
    words, prefixes = load_spelling_variants()
    assert words and prefixes
    for variant, canonical in list(words.items()) + list(prefixes):
        assert variant == normalize_text(variant) and canonical == normalize_text(canonical)
        assert variant != canonical
        assert split_clitics(variant) == ((), variant)
    for canonical in set(words.values()):
        assert match_key(canonical) == canonical
    for variant, replacement in prefixes:
        assert not any(replacement.startswith(v) for v, _ in prefixes)


@pytest.mark.parametrize(
    "bad",
    ["only_one_field", "a\tb\tc", "\tcanonical", "x\ty\nx\tz"],
)
def test_parse_spelling_variants_rejects_malformed_rows(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_spelling_variants(bad)


def test_parse_spelling_variants_reads_both_row_kinds() -> None:
    words, prefixes = parse_spelling_variants(
        "# comment\n\nسورية\tسوريا\nprefix:أميرك\tأمريك\nprefix:ا\tب\n"
    )
    assert words == {"سوريه": "سوريا"}
    assert prefixes == (("اميرك", "امريك"), ("ا", "ب"))


# --------------------------------------------------------------------------- language share


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("", 0.0),
        ("123 ٤٥٦ ... !", 0.0),
        ("BBC News", 0.0),
        ("خبر عاجل", 1.0),
        ("ab عر", 0.5),
        ("عـَر ab", 0.5),  # tatweel and diacritics are not letters
        ("ﺍﻟﻌﺮﺏ abcde", 0.5),  # presentation forms count as Arabic letters
    ],
)
def test_arabic_letter_share(text: str, share: float) -> None:
    assert arabic_letter_share(text) == pytest.approx(share)


# --------------------------------------------------------------------------- properties


def test_tokenize_property_tokens_are_exact_and_disjoint() -> None:
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = (
        "ابتجدرسعفقكلمنهويءأإآةىؤئ\u064e\u0651\u0640\u200c"
        "0123456789٠١٢٣٫٬.,:;!?؟،؛…*()“”\"'-/ \n\u00a0\u200fAbcZ$+ﻻ"
    )

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=50) | st.text(max_size=20))
    def check(text: str) -> None:
        previous_end = 0
        for tok in tokenize(text):
            assert text[tok.start : tok.end] == tok.text
            assert previous_end <= tok.start < tok.end
            assert tok.kind in ("word", "latin", "number", "punct", "symbol")
            assert not any(ch.isspace() for ch in tok.text)
            assert tok.norm == normalize_text(tok.text)
            if tok.kind == "word":
                written = "".join(tok.prefixes)
                if tok.prefixes[-2:] == ("ل", "ال"):  # ل + ال is written لل
                    written = "".join(tok.prefixes[:-2]) + "لل"
                assert written + tok.stem == tok.norm
            previous_end = tok.end
        keys = match_keys(text)
        assert len(keys) == sum(t.kind in ("word", "latin", "number") for t in tokenize(text))

    check()


@pytest.mark.parametrize("text", [
    "قال الوزير:«سنبدأ غداً»، وأضاف.ثم غادر",
    "ارتفع المؤشر ٣٫٥٪ إلى 1,250.75 نقطة (Reuters) \u200f— يوم الأحد؟",
    "وبالإضافة إلى ذلك\u00a0فإن العدد 42 ...",
    "",
])
def test_token_spans_are_tokenize_without_analyses(text: str) -> None:
    from khabar.text import token_spans

    assert token_spans(text) == [(t.text, t.start, t.end) for t in tokenize(text)]



def _reference_tokens(text: str) -> list[tuple[str, int, int, str]]:
    """`(text, start, end, group)` as token_spans first found them: a word's letters and marks
    as an alternation tried at every letter, and a Python loop over the matches (the faster
    form must find the same tokens)."""
    import re
    import unicodedata

    from khabar.text import tokens as t

    word = rf"[{t._M}]*[{t._L}](?:[{t._L}{t._M}]|[\u200c\u200d](?=[{t._L}{t._M}]))*"
    pattern = re.compile(rf"(?P<word>{word})|(?P<number>{t._NUMBER})|(?P<latin>{t._LATIN})"
                         rf"|(?P<other>(?P<ch>[^{t._INVISIBLE}])(?P=ch)*)")
    out = []
    for m in pattern.finditer(text):
        if m.lastgroup == "other" and unicodedata.category(m[0][0])[0] in "MCZ":
            continue
        out.append((m[0], *m.span(), m.lastgroup))
    return out


@pytest.mark.parametrize("text", [
    "ب\u200cا ب\u200c\u200cا ب\u200c \u064bب\u200dب\u200c ا\u200c\u064b \u200dب",
    "\u00ad\u00ad a\u0301 \u064b \x01\x01x \ue000 \u0301!! ##وسم_عربي ＃هاشتاغ",
    "كلمة\u200c. 3.5٫٢ G20 mp3 e\u0301te ﻻ ـــ ـكتب",
])
def test_token_spans_and_match_keys_as_the_reference(text: str) -> None:
    from khabar.text import token_spans

    found = _reference_tokens(text)
    assert token_spans(text) == [(s, a, b) for s, a, b, _ in found]
    assert [(t.text, t.start, t.end) for t in tokenize(text)] == [(s, a, b) for s, a, b, _ in found]
    assert match_keys(text) == [match_key(s) for s, _, _, group in found if group != "other"]


def test_token_spans_property_as_the_reference() -> None:
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from khabar.text import token_spans

    alphabet = "ابتك\u064e\u0651\u0640\u200c\u200d\u200f 0١.,#_ab\u0301\u00ad\x01!\ue000ﻻ"

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=40) | st.text(max_size=20))
    def check(text: str) -> None:
        found = _reference_tokens(text)
        assert token_spans(text) == [(s, a, b) for s, a, b, _ in found]
        assert match_keys(text) == [match_key(s) for s, _, _, group in found if group != "other"]

    check()


@pytest.mark.parametrize(("word", "expected"), [
    ("تامين", True), ("تطوير", True), ("انتاج", True), ("احتفال", True), ("انتخاب", True),
    ("استيراد", True), ("اقتصاد", True),
    # adjectives, names, past verbs and the pattern تفاعل (also a past verb) are not
    ("مركزي", False), ("تركيا", False), ("ابراهيم", False), ("استقبل", False), ("انتقد", False),
    ("اعتبر", False), ("تعاون", False), ("اسرائيل", False), ("تامينات", False),
])
def test_derived_verbal_noun(word: str, expected: bool) -> None:
    from khabar.text import derived_verbal_noun
    assert derived_verbal_noun(word) is expected


@pytest.mark.parametrize("word", ["وبالموصل", "والله", "الحكومة", "للبنان", "مدينتي", "G20",
                                  "٣٫٥", "ـــ", "أَحْمَد", "ﻻ", "«"])
def test_word_parts_are_a_tokens_norm_prefixes_and_stem(word: str) -> None:
    from khabar.text import normalize_text, split_clitics, tokenize, word_parts

    norm = normalize_text(word)
    assert word_parts(word) == (norm, *split_clitics(norm))
    for token in tokenize(word):
        if token.kind == "word":
            assert word_parts(token.text) == (token.norm, token.prefixes, token.stem)
