"""khabar.text.normalize: matching normalization with an offset map back to the original."""

from __future__ import annotations

import random

import pytest

from khabar.text import Normalized, collapse_spaces, normalize, normalize_text

# (rule, original, normalized) — one or more examples for every rule.
NORMALIZATION_RULES = [
    ("alef with hamza above", "أحمد", "احمد"),
    ("alef with hamza below", "إسلام", "اسلام"),
    ("alef with madda", "آمال", "امال"),
    ("alef wasla", "ٱلكتاب", "الكتاب"),
    ("alef with wavy hamza above", "\u0672", "ا"),
    ("alef with wavy hamza below", "\u0673", "ا"),
    ("alef maqsura", "مصطفى", "مصطفي"),
    ("teh marbuta", "مدرسة", "مدرسه"),
    ("waw with hamza", "مؤتمر", "موتمر"),
    ("yeh with hamza", "رئيس", "رييس"),
    ("bare hamza kept", "سماء", "سماء"),
    ("tatweel removed", "جـــديد", "جديد"),
    ("harakat and tanween removed", "مُحَمَّدٌ", "محمد"),
    ("sukun and kasra removed", "مِنْ", "من"),
    ("superscript alef removed", "رحمٰن", "رحمن"),
    ("quranic marks removed", "الكتابۖ", "الكتاب"),
    ("small high signs removed", "محمد\u0610", "محمد"),
    ("eastern arabic digits", "٢٠٢٤", "2024"),
    ("persian digits", "۱۴۰۳", "1403"),
    ("arabic decimal separator", "١٢٫٥", "12.5"),
    ("arabic thousands separator", "١٬٠٠٠", "1,000"),
    ("arabic comma", "نعم، لا", "نعم, لا"),
    ("arabic semicolon", "أولا؛ ثانيا", "اولا; ثانيا"),
    ("arabic question mark", "لماذا؟", "لماذا?"),
    ("arabic percent sign", "٥٠٪", "50%"),
    ("persian kaf", "کتاب", "كتاب"),
    ("persian yeh", "یوم", "يوم"),
    ("ae", "\u06d5", "ه"),
    ("heh with yeh above", "\u06c0", "ه"),
    ("no-break space", "امس\u00a0الخميس", "امس الخميس"),
    ("narrow no-break space", "10\u202fكم", "10 كم"),
    ("figure space", "10\u2007000", "10 000"),
    ("em space", "قال\u2003الوزير", "قال الوزير"),
    ("tab", "قال\tالوزير", "قال الوزير"),
    ("zero width space", "الخبر\u200bالعاجل", "الخبرالعاجل"),
    ("zero width non-joiner", "می\u200cخواهم", "ميخواهم"),
    ("zero width joiner", "ب\u200dن", "بن"),
    ("word joiner", "ب\u2060ن", "بن"),
    ("byte order mark", "\ufeffخبر", "خبر"),
    ("left-to-right mark", "BBC\u200e نيوز", "bbc نيوز"),
    ("right-to-left mark", "\u200fخبر", "خبر"),
    ("arabic letter mark", "\u061cخبر", "خبر"),
    ("bidi embedding and override", "\u202bخبر\u202c \u202eنص\u202c", "خبر نص"),
    ("bidi isolates", "\u2067خبر\u2069 \u2066x\u2069", "خبر x"),
    ("lam-alef ligature", "ﻻ", "لا"),
    ("lam-alef with hamza ligature", "ﻷ", "لا"),
    ("presentation forms word", "ﺍﻟﻌﺮﺏ", "العرب"),
    ("allah ligature", "ﷲ", "الله"),
    ("presentation form keheh", "ﮐ", "ك"),
    ("isolated diacritic form vanishes", "ب\ufe70", "ب"),
    ("latin lowercased", "BBC News", "bbc news"),
    ("accented latin lowercased", "ÉCOLE", "école"),
    ("double curly quotes", "“نص”", '"نص"'),
    ("guillemets", "«نص»", '"نص"'),
    ("low double quote", "„نص“", '"نص"'),
    ("single curly quotes", "‘نص’", "'نص'"),
    ("runs of spaces and newlines kept", "قال  الوزير\n\nثم", "قال  الوزير\n\nثم"),
    ("other letters unchanged", "ڤيتنام گ پ چ", "ڤيتنام گ پ چ"),
]


@pytest.mark.parametrize(
    ("original", "expected"),
    [(o, e) for _, o, e in NORMALIZATION_RULES],
    ids=[rule for rule, _, _ in NORMALIZATION_RULES],
)
def test_normalization_rule_applies_in_both_paths(original: str, expected: str) -> None:
    assert normalize_text(original) == expected
    assert normalize(original).text == expected


# Text with removed characters (tatweel, diacritics, zero-width, bidi) and expansions (ligatures).
OFFSET_SAMPLES = [
    "قال الـمُتَحَدِّثُ\u200f باسم الوزارة",
    "وصل ٥٦٠ جندياً إلى\u00a0القاعدة",
    "الخبر\u200b العاجل ﻻ ﷲ ﺍﻟﻌﺮﺏ",
    "\ufeff\u202bنص\u202c “مقتبس” BBC",
    "مُحَمَّدٌ",
    "",
    "plain ascii text",
]


@pytest.mark.parametrize("original", OFFSET_SAMPLES)
def test_offsets_point_at_the_character_that_produced_each_normalized_char(original: str) -> None:
    result = normalize(original)
    assert len(result.offsets) == len(result.text) + 1
    assert result.offsets[-1] == len(original)
    for i, ch in enumerate(result.text):
        source = normalize_text(original[result.offsets[i]])
        assert ch in source
        if len(source) == 1:
            assert source == ch


@pytest.mark.parametrize(
    ("original", "needle", "expected_original"),
    [
        # span after a removed tatweel and diacritics; trailing damma belongs to the word,
        # the RLM after it does not
        ("قال الـمُتَحَدِّثُ\u200f باسم الوزارة", "المتحدث", "الـمُتَحَدِّثُ"),
        ("قال الـمُتَحَدِّثُ\u200f باسم الوزارة", "باسم", "باسم"),
        ("قال الـمُتَحَدِّثُ\u200f باسم الوزارة", "متحدث", "مُتَحَدِّثُ"),
        # tanween after the last letter is kept with it
        ("وصل ٥٦٠ جندياً إلى\u00a0القاعدة", "جنديا", "جندياً"),
        ("وصل ٥٦٠ جندياً إلى\u00a0القاعدة", "560", "٥٦٠"),
        ("وصل ٥٦٠ جندياً إلى\u00a0القاعدة", "الي القاعده", "إلى\u00a0القاعدة"),
        # after a zero-width space and around ligatures
        ("الخبر\u200b العاجل ﻻ ﷲ ﺍﻟﻌﺮﺏ", "العاجل", "العاجل"),
        ("الخبر\u200b العاجل ﻻ ﷲ ﺍﻟﻌﺮﺏ", "لا", "ﻻ"),
        ("الخبر\u200b العاجل ﻻ ﷲ ﺍﻟﻌﺮﺏ", "الله", "ﷲ"),
        ("الخبر\u200b العاجل ﻻ ﷲ ﺍﻟﻌﺮﺏ", "العرب", "ﺍﻟﻌﺮﺏ"),
        # after removed bidi controls and a BOM
        ("\ufeff\u202bنص\u202c “مقتبس” BBC", "نص", "نص"),
        ("\ufeff\u202bنص\u202c “مقتبس” BBC", '"مقتبس"', "“مقتبس”"),
        ("\ufeff\u202bنص\u202c “مقتبس” BBC", "bbc", "BBC"),
    ],
)
def test_to_original_maps_a_normalized_span_back_to_the_original_text(
    original: str, needle: str, expected_original: str
) -> None:
    result = normalize(original)
    start = result.text.index(needle)
    s, e = result.to_original(start, start + len(needle))
    assert original[s:e] == expected_original
    assert normalize_text(original[s:e]) == needle


def test_to_original_of_an_empty_span_is_empty() -> None:
    result = normalize("مُحَمَّد علي")
    assert result.to_original(2, 2) == (result.offsets[2], result.offsets[2])
    assert result.to_original(len(result.text), len(result.text)) == (12, 12)


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (3, 2), (0, 99)])
def test_to_original_rejects_spans_out_of_range(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        normalize("مُحَمَّد").to_original(start, end)


def test_ligature_expansion_maps_every_char_to_the_ligature() -> None:
    result = normalize("ﻻ ب")
    assert result.text == "لا ب"
    assert result.offsets == (0, 0, 1, 2, 3)
    # a span ending inside the expansion still ends after the ligature
    assert result.to_original(0, 1) == (0, 1)


def test_normalized_without_original_still_maps_spans() -> None:
    result = Normalized("اب", (0, 2, 3))
    assert result.to_original(0, 1) == (0, 1)
    assert result.to_original(0, 2) == (0, 3)
    assert result == Normalized("اب", (0, 2, 3), "اَب")  # original is not compared


def test_offsets_are_identity_when_nothing_is_removed() -> None:
    text = "أعلن الوزير ABC ٥"
    result = normalize(text)
    assert result.offsets == tuple(range(len(text) + 1))
    assert result.text == "اعلن الوزير abc 5"


def _random_corpus(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pools = [
        [chr(cp) for cp in range(0x0600, 0x0700)],
        [chr(cp) for cp in range(0x0750, 0x0780)],
        [chr(cp) for cp in range(0xFB50, 0xFE00)],
        [chr(cp) for cp in range(0xFE70, 0xFF00)],
        [chr(cp) for cp in range(0x2000, 0x2070)],
        [chr(cp) for cp in range(0x20, 0x250)],
        list(" \n\t\u00a0"),
    ]
    corpus = []
    for _ in range(count):
        corpus.append(
            "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 40)))
        )
    return corpus


def test_fast_path_equals_offset_path_on_a_random_corpus() -> None:
    for text in _random_corpus(seed=20240611, count=3000):
        result = normalize(text)
        assert result.text == normalize_text(text), ascii(text)
        assert len(result.offsets) == len(result.text) + 1


def test_fast_path_equals_offset_path_for_every_mapped_code_point() -> None:
    code_points = [*range(0x0800), *range(0x2000, 0x2100), *range(0xFB50, 0x10000)]
    for cp in code_points:
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        assert normalize(ch).text == normalize_text(ch), hex(cp)


def test_long_texts_normalize_as_their_characters_one_by_one() -> None:
    # a long text is mapped as an array (its own path); a character alone by str.translate
    rng = random.Random(25)
    pools = ["".join(chr(cp) for cp in range(0x0600, 0x0700)), "\n \t\u00a0\u200b\u200f\ufeff",
             "".join(chr(cp) for cp in range(0x20, 0x250)), "\u2ffe\u2fff\u3000\ufef5\U0001f600"]
    for length in (255, 256, 257, 1000, 5000):
        for odd in ("", "\u3000", "\ufef5", "\U0001f600", "\ud800", "\u2fff"):
            text = "".join(rng.choice(rng.choice(pools[:3])) for _ in range(length)) + odd
            expected = "".join(map(normalize_text, text))
            assert normalize_text(text) == expected, (length, ascii(odd))
            result = normalize(text)
            assert result.text == expected
            if not odd or odd == "\u2fff":  # one character, or none, for each (no expansion)
                assert result.offsets == (*(i for i, ch in enumerate(text) if normalize_text(ch)), len(text))
    text = "أحمد\u064e " * 300 + "\u0640" * 300  # removed characters at the end
    assert normalize_text(text) == "احمد " * 300
    assert normalize_text("\u064e" * 400) == ""
    assert normalize("\u064e" * 400).offsets == (400,)
    assert normalize(text).offsets[:6] == (0, 1, 2, 3, 5, 6)


def test_normalize_text_is_idempotent_on_a_random_corpus() -> None:
    for text in _random_corpus(seed=7, count=1000):
        once = normalize_text(text)
        assert normalize_text(once) == once, ascii(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال   الوزير", "قال الوزير"),
        ("  قال\u00a0\u00a0الوزير\t ", "قال الوزير"),
        ("سطر  أول \n  سطر ثان", "سطر أول\nسطر ثان"),
        ("", ""),
    ],
)
def test_collapse_spaces_collapses_horizontal_runs_and_keeps_lines(
    text: str, expected: str
) -> None:
    assert collapse_spaces(text) == expected


_PROPERTY_ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةٱ"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u06d6\u0640"
    "٠١٢٣٤٥٦٧٨٩۰۱۲٫٬،؛؟٪کیەۀ"
    "\u00a0\u202f\u2007\u2003\t\n \u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202b\u2067"
    "ﻻﻷﷲﺍﻟﻌﺮﺏﹰﹲﷺ"
    "AZaz09.,!?\"'“”„«»‘’İÉ"
)


def test_normalize_property_fast_path_and_offsets() -> None:
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet=_PROPERTY_ALPHABET, max_size=60) | st.text(max_size=30))
    def check(s: str) -> None:
        result = normalize(s)
        assert result.text == normalize_text(s)
        offsets = result.offsets
        assert len(offsets) == len(result.text) + 1
        assert offsets[-1] == len(s)
        assert all(0 <= o < len(s) for o in offsets[:-1])
        assert all(a <= b for a, b in zip(offsets, offsets[1:]))
        n = len(result.text)
        for i in range(n + 1):
            for j in range(i, min(n, i + 6) + 1):
                a, b = result.to_original(i, j)
                assert 0 <= a <= b <= len(s)
                aligned_start = i == 0 or i == n or offsets[i - 1] != offsets[i]
                aligned_end = j == n or j == 0 or offsets[j - 1] != offsets[j]
                if i < j and aligned_start and aligned_end:
                    assert normalize_text(s[a:b]) == result.text[i:j]

    check()
