"""Quantities in Arabic news text: numbers (digits or words) with what they count.

    >>> [(q.text, q.value, q.counted) for q in find_quantities("أرسلت 560 جندياً إلى المنطقة")]
    [('560 جندياً', 560, 'جندي')]

Numbers are read from Western or Eastern digits (``١٤٬٥٠٠٫٥``) and from number words, compounds
and duals (``خمسمائة وستين``, ``ثلاثة آلاف``, ``مليون ونصف``, ``مئتي ألف``, ``ألفين``); a range
(``10-15``, ``بين 10 و15``) sets ``value_max``; a qualifier written before the number (``نحو``,
``أكثر من``...) is kept as written. The counted noun is the noun after the number reduced to a
singular-ish base (tanween and case endings dropped, sound and common broken plurals made
singular); units, currencies and the percent sign get a unit code.

Phone numbers (PII spans), years, ordinals, labels (``الدقيقة 34``, ``أوكتان 95``), clock times,
scores and listicle counts (``أكثر 5 أمراض``) are not quantities.

Everything runs on the normalized text (khabar.text.normalize) and reports offsets into the
original text. The small helpers at the end (`load_table`, `normalized`, `Tok`, `tokens`) are
shared with the quote and date extractors.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache, lru_cache
from importlib import resources

from khabar.model import QuantitySpan
from khabar.text.normalize import DIACRITICS, TATWEEL, Normalized, normalize, normalize_text

__all__ = ["find_quantities", "parse_number_words", "quantity_kind"]


# --------------------------------------------------------------------------- shared helpers


@cache
def load_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a TSV file in khabar/resources/extract (comments and blank lines skipped)."""
    text = (resources.files("khabar.resources") / "extract" / name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(tuple(part.strip() for part in line.split("\t")))
    return tuple(rows)


@cache
def weekday_names() -> tuple[str, ...]:
    """The weekdays as written with their article (`الخميس`), from relative_dates.tsv: the one
    list that dates, entities, quotes and story matching all read."""
    return tuple(row[0] for row in load_table("relative_dates.tsv")
                 if row[1] == "weekday" and row[0].startswith("ال"))


@lru_cache(maxsize=8)
def normalized(text: str) -> Normalized:
    """`normalize(text)`, cached so the three extractors of one article normalize it once."""
    return normalize(text)


def norm_index(norm: Normalized, pos: int) -> int:
    """The index in the normalized text of the first character at or after original `pos`."""
    return bisect_left(norm.offsets, pos)


_LIGHT_DROP = {ord(c): None for c in DIACRITICS} | {ord(TATWEEL): None}


def light(text: str) -> str:
    """`text` without diacritics and tatweel, letters otherwise as written."""
    return text.translate(_LIGHT_DROP)


class Tok:
    """A token of the normalized text: [start, end) offsets into it and its text."""

    __slots__ = ("end", "start", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text

    def __repr__(self) -> str:
        return f"Tok({self.start}, {self.end}, {self.text!r})"


_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[\u0621-\u064a]+|[a-z]+|[^\s]")


@lru_cache(maxsize=4)
def _all_tokens(norm_text: str) -> tuple[list[Tok], list[int]]:
    # the matches' fields read by `map` (C speed) rather than a Python loop over them
    found = list(_TOKEN_RE.finditer(norm_text))
    starts = list(map(re.Match.start, found))
    return list(map(Tok, starts, map(re.Match.end, found), map(re.Match.group, found))), starts


def tokens(norm_text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    """Tokens of the normalized text between `start` and `end` (digits, Arabic words, Latin, marks).

    The whole text is tokenized once (cached) and sliced, so the extractors share the work.
    A token is kept when it starts inside the window and ends by its end.
    """
    end = len(norm_text) if end is None else end
    toks, starts = _all_tokens(norm_text)
    first = bisect_left(starts, start)
    last = bisect_left(starts, end, first)
    while last > first and toks[last - 1].end > end:
        last -= 1
    return toks[first:last]


def sentence_windows(
    text: str, spans: Iterable[tuple[int, int]] | None
) -> tuple[Normalized, list[tuple[int, int]]]:
    """The normalized text and the body spans as normalized [start, end) windows."""
    norm = normalized(text)
    if spans is None:
        return norm, [(0, len(norm.text))]
    windows = []
    for start, end in spans:
        windows.append((norm_index(norm, start), norm_index(norm, end)))
    return norm, windows


# --------------------------------------------------------------------------- tables


def _key(word: str) -> str:
    return normalize_text(word)


@lru_cache(maxsize=1)
def _number_words() -> dict[str, tuple[float, str]]:
    return {_key(w): (float(v), kind) for w, v, kind in load_table("number_words.tsv")}


@lru_cache(maxsize=1)
def _units() -> dict[tuple[str, ...], tuple[str, str, str]]:
    out: dict[tuple[str, ...], tuple[str, str, str]] = {}
    for form, singular, code, kind in load_table("units.tsv"):
        out[tuple(_key(form).split())] = (singular, code, kind)
    return out


@lru_cache(maxsize=1)
def _unit_by_singular() -> dict[str, tuple[str, str]]:
    return {_key(s): (code, kind) for _form, s, code, kind in load_table("units.tsv")}


@lru_cache(maxsize=1)
def _qualifiers() -> dict[tuple[str, ...], str]:
    return {tuple(_key(p).split()): kind for p, kind in load_table("qualifiers.tsv")}


@lru_cache(maxsize=1)
def _plurals() -> dict[str, tuple[str, str]]:
    return {_key(f): (s, n) for f, s, n in load_table("plurals.tsv")}


@lru_cache(maxsize=1)
def _known_singulars() -> frozenset[str]:
    """The counted nouns of plurals.tsv: what a number is known to count."""
    return frozenset(_key(s) for s, _n in _plurals().values())


@lru_cache(maxsize=1)
def _month_words() -> frozenset[str]:
    text = (resources.files("khabar.resources") / "month_names.tsv").read_text(encoding="utf-8")
    words = set()
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(_key(line.split("\t")[0]).split()[0])
    return frozenset(words)


def quantity_kind(span: QuantitySpan) -> str:
    """percent, money, measure, duration or count (a number with or without a counted noun)."""
    if span.unit == "percent":
        return "percent"
    found = _unit_by_singular().get(_key(span.counted))
    if found:
        return {"currency": "money"}.get(found[1], found[1])
    return "count"


# Words that cannot be what a number counts.
_STOP = frozenset(
    _key(w)
    for w in [
        "في",
        "من",
        "على",
        "الى",
        "إلى",
        "عن",
        "مع",
        "حتى",
        "منذ",
        "او",
        "أو",
        "ثم",
        "لكن",
        "بل",
        "قد",
        "لقد",
        "ما",
        "لا",
        "لم",
        "لن",
        "ان",
        "أن",
        "إن",
        "كان",
        "كانت",
        "كانوا",
        "تم",
        "هو",
        "هي",
        "هم",
        "هن",
        "هذا",
        "هذه",
        "ذلك",
        "تلك",
        "التي",
        "الذي",
        "الذين",
        "بعد",
        "قبل",
        "خلال",
        "عند",
        "بين",
        "نحو",
        "حول",
        "دون",
        "ضد",
        "عبر",
        "لدى",
        "لدي",
        "وفق",
        "وفقا",
        "اي",
        "أي",
        "كل",
        "بعض",
        "غير",
        "سوى",
        "فقط",
        "أيضا",
        "ايضا",
        "فيما",
        "بينما",
        "كما",
        "مثل",
        "حيث",
        "إذ",
        "اذ",
        "إذا",
        "اذا",
        "و",
        "ف",
        "ب",
        "ل",
        "ك",
        "يا",
        "عام",
        "سنة",
        "العام",
        "مقابل",
        "مقارنة",
        "بنسبة",
        "نسبة",
        "بواقع",
        "بمعدل",
        "بقيمة",
        "قيمة",
        "منها",
        "منهم",
        "منه",
        "وفي",
        "ومن",
        "وعلى",
        "والى",
        "وإلى",
        "وعن",
        "ومع",
        "وهو",
        "وهي",
        "وهذا",
        "وذلك",
        "وقد",
        "ولا",
        "ولم",
        "وكان",
        "وكانت",
        "وتم",
        "وبعد",
        "وقبل",
        "فيها",
        "فيه",
        "عليه",
        "عليها",
        "اليه",
        "إليه",
        "لها",
        "له",
        "بها",
        "به",
        "ألف",
        "آلاف",
        "مليون",
        "مليار",
    ]
)
_STOP = _STOP | frozenset(
    _key(w)
    for w in [
        # prepositions of place and time: `35 داخل المدينة` counts no داخل
        # of cause and source, and conjunctions: كأس العالم 2018 بسبب الأزمة counts no بسبب
        "بسبب", "بفعل", "جراء", "إثر", "اثر", "عقب", "بحسب", "حسب", "لأن", "حيث", "إذ", "كما",
        "بينما", "عندما", "لكنه", "لكنها", "لكي", "بعدما", "بواسطة", "بأكمله", "بأكملها",
        "داخل", "خارج", "أثناء", "اثناء", "ضمن", "قرب", "وسط", "أمام", "خلف", "فوق", "تحت",
        "حوالي", "قرابة",
        "بدلا", "بدل",  # 135 ألفا بدلا من 103 آلاف: instead of
        "وليس", "ليس", "فإن", "وإن", "لكن",  # 65 وليس 66, فإن واحدا من كل ثلاثة
        "ربما",
        "تقريبا",
        "حاليا",
        "سابقا",
        "لاحقا",
        "يوميا",
        "سنويا",
        "شهريا",
        "أسبوعيا",
        "مؤخرا",
        "نفسه",
        "نفسها",
        "ذاته",
        "ذاتها",
    ]
)
# adjectives of an amount whose noun is left out (1.5 مليار متوقعة, 200 مليون إضافية): they
# describe the amount and count nothing (آخرون does: 10 آخرون); not function words, which
# other stages read _STOP as
_NOT_COUNTED = frozenset(
    _key(w)
    for w in [
        "إضافية", "إضافي", "إضافيا", "إضافيين", "إضافيون",
        "متوقعة", "متوقع", "متوقعا", "المتوقعة", "المتوقع",
        "جديدة", "جديد", "جديدا",
        "سنوية", "سنوي", "شهرية", "شهري", "يومية", "يومي", "أسبوعية", "أسبوعي",
        "إجمالية", "إجمالي", "إجماليا", "كاملة", "كامل", "كاملا", "مماثلة", "مماثل", "مماثلا",
        "متبقية", "متبقي", "متبقيا", "مخصصة", "فائضة", "تقريبية", "تقديرية",
        "لكل",  # 64 لكل دولار: a rate, per dollar
        "مبروك",  # ألف مبروك: a wish, not a thousand of anything
        # قبض على 431 أغلبهم سعوديون: most of them, not what is counted
        "أغلبهم", "معظمهم", "بعضهم", "جميعهم", "كلهم", "أكثرهم", "أغلبها", "معظمها", "بعضها",
        "جميعها", "كلها", "أغلبهن", "معظمهن",
        # طائرة من طراز 72 ذات المحركين: "having", not what is counted (here, not in _STOP: the
        # quotes stage reads ذات المصادر as a speaker, "the same sources")
        "ذات", "ذو", "ذي",
    ]
)
_LABEL_WORDS = frozenset(
    _key(w) for w in ["رقم", "رقمه", "رقمها", "أوكتان", "أوكتين", "نمرة", "الرقم", "برقم"]
)
_YEAR_CUES = frozenset(
    _key(w)
    for w in [
        "عام",
        "العام",
        "عامي",
        "سنة",
        "السنة",
        "سنه",
        "منذ",
        "موسم",
        "الموسم",
        "مطلع",
        "بداية",
        "نهاية",
        "أواخر",
        "أوائل",
        "أواسط",
        "منتصف",
        "خلال",
        "ربيع",
        "صيف",
        "خريف",
        "شتاء",
    ]
)
# العام الحالي 2018, السنة المالية 2019: the year cue two words back
_YEAR_CUE_QUALIFIERS = frozenset(
    _key(w)
    for w in [
        "الحالي",
        "الحالية",
        "الماضي",
        "الماضية",
        "المقبل",
        "المقبلة",
        "القادم",
        "القادمة",
        "الجاري",
        "الجارية",
        "المنصرم",
        "المنصرمة",
        "الفائت",
        "الفائتة",
        "السابق",
        "المنقضي",
        "الدراسي",
        "الدراسية",
        "المالي",
        "المالية",
        "الميلادي",
        "الميلادية",
        "الهجري",
        "الهجرية",
    ]
)
_CLOCK_WORDS = frozenset(
    _key(w)
    for w in [
        "الواحدة",
        "الثانية",
        "الثالثة",
        "الرابعة",
        "الخامسة",
        "السادسة",
        "السابعة",
        "الثامنة",
        "التاسعة",
        "العاشرة",
        "الحادية",
        "عشرة",
        "الساعة",
    ]
)
# names that read as a masculine dual by rule: حركة طالبان is no "two students" in the news
_NAMES_LIKE_DUALS = frozenset(_key(w) for w in ["طالبان"])
_FEM_DUAL_STOP = frozenset(
    _key(w)
    for w in [
        "مارتين",
        "كريستين",
        "أوغستين",
        "كونستانتين",
        "إبستين",
        "فالنتين",
        "ساتين",
        "ستين",
        "أوكتان",
        "أوكتين",
        "بروتين",
        "فيتامين",
    ]
)
# Nouns that label a number rather than being counted by it: الدقيقة 34، الجولة 18، المادة 5
_LABEL_NOUNS = frozenset(
    _key(w)
    for w in [
        "الدقيقة",
        "الدور",  # الدور 32: the round of 32
        "الجولة",
        "الشوط",
        "المادة",
        "البند",
        "الفقرة",
        "الفصل",
        "الصفحة",
        "العدد",
        "الرقم",
        "المرتبة",
        "المركز",
        "الحلقة",
        "الجزء",
        "الطبعة",
        "الدورة",
        "الإصدار",
        "النسخة",
        "الطريق",
        "القرار",
        "الغرفة",
        "المقعد",
        "المنصة",
        "البوابة",
        "الرحلة",
        "الموديل",
        "الطراز",
        "الفئة",
        "الكيلو",
        "الأسبوع",
        "اليوم",
        "الشهر",
        "العام",
        "السنة",
        "المرحلة",
        "الفريق",
        "الكتيبة",
        "اللواء",
        "الفرقة",
        "القاعة",
        "المبنى",
        "الطابق",
        "الشارع",
        "المخرج",
        "الجناح",
        "الملعب",
        "الهدف",
        "رقم",
        "أوكتان",
    ]
)
_TIME_PARTS = frozenset(
    _key(w)
    for w in [
        "صباحا",
        "مساء",
        "مساءا",
        "ظهرا",
        "فجرا",
        "ليلا",
        "عصرا",
        "صباح",
        "ظهر",
        "عصر",
        "فجر",
        "ليل",
    ]
)


# --------------------------------------------------------------------------- numbers


def _digits_value(token: str, original: str) -> float | None:
    """The value of a digit token (normalized), using the original text to tell ، from ٬.

    An Arabic comma between digits is a separator as a Latin comma is (Gulf papers write
    ``322،8 مليار`` and ``85،539 صفقة``), except where it can only list numbers: a "fraction" of
    four or more digits (``2014،2015``).
    """
    if "،" in original and "," in token and "." not in token:
        parts = token.split(",")
        if len(parts) == 2 and len(parts[1]) > 3:
            return None
    if "," in token and "." in token:
        if token.index(",") < token.index(".") and all(
            len(p) == 3 for p in token.split(".")[0].split(",")[1:]
        ):
            token = token.replace(",", "")
        else:
            return None
    if "," in token:
        parts = token.split(",")
        if all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3:
            token = token.replace(",", "")
        elif len(parts) == 2:
            token = token.replace(",", ".")
        else:
            return None
    if token.count(".") > 1:
        parts = token.split(".")
        if all(len(p) == 3 for p in parts[1:]):
            token = token.replace(".", "")
        else:
            return None
    try:
        return float(token)
    except ValueError:
        return None


def _num_word(word: str) -> tuple[float, str] | None:
    return _number_words().get(word)


def _strip_prefix_num(word: str, first: bool) -> tuple[str, tuple[float, str]] | None:
    """A number word, possibly with a proclitic و/ب/ل (و only to continue a compound)."""
    found = _num_word(word)
    if found:
        return word, found
    if len(word) > 3 and word[0] in "وبل" and word != "لست":
        rest = word[1:]
        found = _num_word(rest)
        if found and (word[0] == "و" or len(rest) >= 4):
            return rest, found
    return None


def parse_number_words(words: Sequence[str]) -> tuple[float, int, float] | None:
    """(value, words used, last multiplier) for number words at the start of `words` (normalized)."""
    total = 0.0
    current = 0.0
    last_mult = 0.0
    used = 0
    seen = False
    i = 0
    while i < len(words):
        word = words[i]
        connector = False
        if word == "و" and seen and i + 1 < len(words):
            i += 1
            word = words[i]
            connector = True
        elif seen and word.startswith("و") and _num_word(word[1:]):
            word = word[1:]
            connector = True
        elif not seen:
            found = _strip_prefix_num(word, True)
            if not found:
                return None
            word = found[0]
        found_word = _num_word(word)
        if found_word is None:
            break
        value, kind = found_word
        if (
            seen
            and not connector
            and kind in ("small", "teen_unit", "fraction")
            and not (word in ("عشر", "عشره") and 0 < current < 10)
        ):
            break
        if kind == "teen_unit":
            if i + 1 < len(words) and words[i + 1] in ("عشر", "عشره"):
                current += value + 10
                i += 2
                used = i
                seen = True
                continue
            break
        if kind == "small":
            if word in ("عشر", "عشره") and 0 < current < 10 and not connector:
                current += 10
            elif connector and 0 < current % 100 < 10 and value < 20:
                # a unit + و + a unit or ten is two numbers (ما بين ثمانية وعشرة: eight to ten;
                # 18 is ثمانية عشر, 28 ثمانية وعشرون): only tens follow a unit after و
                break
            else:
                current += value
        elif kind == "multiplier":
            if value == 100:
                current = (current or 1) * 100
            else:
                current = (current or 1) * value
                total += current
                current = 0
                last_mult = value
        elif kind == "dual_multiplier":
            if current and word.endswith("ا"):
                # خمسون ألفا(ً), ثلاثون مليونا(ً): after a count, the accusative of the thousand or
                # million it multiplies, written like the dual's construct (ألفا جندي: 2,000)
                current *= value / 2
                total += current
                current = 0
                last_mult = value / 2
                seen = True
                i += 1
                used = i
                continue
            if current:
                break
            total += value
            last_mult = value / 2
        elif kind == "fraction":
            if connector and last_mult:
                total += value * last_mult
                last_mult = 0
            elif connector and 0 < current < 100 and not (i + 1 < len(words) and words[i + 1].startswith("ال")):
                current += value  # ثلاثة ونصف ترليون: three and a half
            elif (
                not seen
                and i + 1 < len(words)
                and (_num_word(words[i + 1]) or ("", ""))[1] in ("multiplier",)
            ):
                current = value
            else:
                break
        seen = True
        i += 1
        used = i
    if not seen or used == 0:
        return None
    return total + current, used, last_mult


# --------------------------------------------------------------------------- counted nouns


def singular(raw: str, plural_context: bool) -> str:
    """A counted noun reduced to its singular base (tanween, case endings, plurals)."""
    word = light(raw)
    key = _key(word)
    found = _plurals().get(key)
    if found:
        return found[0]
    unit = _units().get((key,))
    if unit:
        return unit[0]
    tanween = ("\u064b" in raw or len(word) >= 4) and word.endswith("ا") and not word.endswith("اا")
    if tanween and len(word) >= 3 and word[-2] not in "اءئ":
        word = word[:-1]
        key = _key(word)
        found = _plurals().get(key)
        if found:
            return found[0]
        unit = _units().get((key,))
        if unit:
            return unit[0]
    if plural_context:
        if word.endswith("ات") and len(word) >= 5:
            stem = word[:-2]
            if stem[0] in "اإأ" and stem[-2] == "ا" and len(stem) >= (7 if stem.startswith("است") else 5):
                return stem  # verbal nouns of the derived forms: انتخابات, إنجازات, استثمارات
            return stem + "ة"
        if (word.endswith(("ين", "ون"))) and len(word) >= 6:
            return word[:-2]
    return word


# --------------------------------------------------------------------------- the extractor


def _is_word(tok: Tok) -> bool:
    return "\u0621" <= tok.text[0] <= "\u064a"


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


@lru_cache(maxsize=4096)
def _known_name(word: str) -> bool:
    """A place or body of the known-names list (إيران, روسيا): no counted noun."""
    from khabar.extract.known_names import known_names
    from khabar.extract.ner import word_key

    return known_names().entries.get((word_key(word),), "O") in ("LOC", "ORG")


def _match_units(toks: Sequence[Tok], j: int) -> tuple[int, tuple[str, str, str]] | None:
    units = _units()
    for size in (3, 2, 1):
        if j + size > len(toks):
            continue
        key = tuple(t.text for t in toks[j : j + size])
        if size == 1 and key[0] != "%":
            word = key[0]
            found = units.get((word,))
            # the accusative's alif without its tanween (دولارا، طنا; not كما, which is no كم)
            if found is None and word.endswith("ا") and (len(word) > 3 or word == "طنا"):
                found = units.get((word[:-1],))
            if found is None and word[0] in "وب" and len(word) > 3:
                continue
            if found:
                return j + 1, found
            continue
        found = units.get(key)
        if found:
            return j + size, found
    return None


def _qualifier(toks: Sequence[Tok], i: int) -> tuple[int, str] | None:
    quals = _qualifiers()
    for size in (4, 3, 2, 1):
        if i - size < 0:
            continue
        words = [t.text for t in toks[i - size : i]]
        key = tuple(words)
        if key in quals:
            return i - size, quals[key]
        # a proclitic on the first word: وبنحو, بنحو, لنحو, وأكثر من
        first = words[0]
        if len(first) > 3 and first[0] in "وبلف":
            trimmed = (first[1:], *words[1:])
            if trimmed in quals:
                return i - size, quals[trimmed]
            if len(first) > 4 and first[1] in "بل" and (first[2:], *words[1:]) in quals:
                return i - size, quals[(first[2:], *words[1:])]
    return None


def _adjacent(a: Tok, b: Tok) -> bool:
    return a.end == b.start


_HYPHENS = frozenset("-\u2010\u2011\u2013")
# makers and type words whose number names a model (بوينغ 737, ميغ 31, من طراز 320), not a count
_MODEL_WORDS = frozenset(_key(w) for w in (
    "بوينغ", "بوينج", "ميغ", "ميج", "سوخوي", "توبوليف", "أنتونوف", "إيرباص", "إليوشن", "إف", "طراز"))


def _designation(toks: Sequence[Tok], i: int) -> bool:
    """The number at toks[i] names a model: a word joined to it by a hyphen, no space either
    side (ميغ-31, إف-35, آن-26, تو-154, البولونيوم-210; not صفر - 6 or إلى -1.0%), or a maker or
    type word right before a whole number with no unit after it (بوينغ 737, ميغ 31)."""
    if i >= 2 and toks[i - 1].text in _HYPHENS and _adjacent(toks[i - 1], toks[i]) \
            and _adjacent(toks[i - 2], toks[i - 1]):
        word = toks[i - 2].text
        return _is_word(toks[i - 2]) or (word[0].isascii() and word[0].isalpha())
    # a whole number with no unit after it (سهم إيرباص 4.1 في المائة is a share's rise)
    return (i >= 1 and toks[i - 1].text in _MODEL_WORDS and toks[i].text.isdigit()
            and not _match_units(toks, i + 1))


def find_quantities(
    text: str,
    spans: Iterable[tuple[int, int]] | None = None,
    *,
    pii: Iterable[tuple[int, int]] = (),
    with_bare: bool = True,
) -> list[QuantitySpan]:
    """Quantities in `text` within the (body sentence) `spans`, as spans of the original text.

    `pii` spans (phone numbers...) are never quantities. `with_bare` keeps numbers that count
    nothing named (``ارتفع العدد إلى 12``) with an empty `counted`.
    """
    norm, windows = sentence_windows(text, spans)
    pii_norm = [(norm_index(norm, s), norm_index(norm, e)) for s, e in pii]
    out: list[QuantitySpan] = []
    for wstart, wend in windows:
        out.extend(
            _window_quantities(text, norm, tokens(norm.text, wstart, wend), pii_norm, with_bare)
        )
    if "\u200f" in text or "\u200e" in text or "\u061c" in text:
        out = [_bidi_reversed_decimal(q) for q in out]
    if "\u060c" in text:
        out = [q for q in out if not _listed_numbers(text, q)]
    return out


# الدقيقتين 44،72, الآيتين 44،45: minutes, verses or articles listed with an Arabic comma, not
# a decimal (the comma is one in 322،8 مليار)
_LIST_NOUNS = frozenset(_key(w) for w in (
    "الدقيقتين الدقائق دقيقتي دقائق الآيتين الآيات الآيه آيتي المادتين المواد البندين البنود"
    " الفقرتين الفقرات الصفحتين الصفحات الحلقتين الحلقات المرحلتين الجولتين الجولات").split())
_COMMA_PAIR = re.compile(r"^[0-9\u0660-\u0669]{1,3}\u060c[0-9\u0660-\u0669]{1,3}(?![0-9\u0660-\u0669])")


def _listed_numbers(text: str, q: QuantitySpan) -> bool:
    if not _COMMA_PAIR.match(q.text):
        return False
    before = text[max(0, q.start - 30):q.start].split()
    return bool(before) and _key(before[-1]) in _LIST_NOUNS


# A decimal with a direction mark after its point (`95.\u200f56 دولار`) was typed in visual
# order by some outlets' systems: the digits after the mark are the whole part (56.95, as the
# same price in other outlets and in the same article's other figures shows).
_BIDI_DECIMAL = re.compile(r"([0-9\u0660-\u0669]+)[.\u066b][\u200e\u200f\u061c]([0-9\u0660-\u0669]+)")
_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def _bidi_reversed_decimal(q: QuantitySpan) -> QuantitySpan:
    m = _BIDI_DECIMAL.search(q.text)
    if m is None:
        return q
    first, second = m.group(1).translate(_TO_ASCII), m.group(2).translate(_TO_ASCII)
    if len(second) > 1 and second.startswith("0"):
        return q  # 10.\u200f000: no whole part starts with 0, so this is not visual order
    written, meant = float(f"{first}.{second}"), float(f"{second}.{first}")
    if not written:
        return q

    def fix(value: float | None) -> float | None:
        if value is None:
            return None
        fixed = round(value * meant / written, 6)
        return int(fixed) if fixed == int(fixed) and isinstance(value, int) else fixed

    return replace(q, value=fix(q.value), value_max=fix(q.value_max) if q.value_max == q.value else q.value_max)


def _window_quantities(
    text: str, norm: Normalized, toks: list[Tok], pii: list[tuple[int, int]], with_bare: bool
) -> list[QuantitySpan]:
    out: list[QuantitySpan] = []
    months = _month_words()
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        first = tok.text[0]
        result = None
        if first.isdigit():
            result = _digit_quantity(text, norm, toks, i, pii, months, with_bare)
        elif _is_word(tok) and _maybe_number(tok.text, toks, i):
            result = _word_quantity(text, norm, toks, i, months)
        if result is None:
            i += 1
            continue
        span, next_i = result
        if span is not None and not _not_a_quantity(span, toks, i, next_i):
            if _key(span.counted) in _OTHER_ONES and _key(span.text.split()[-1]) in _OTHER_ONES \
                    and out and out[-1].counted \
                    and _key(out[-1].counted) not in _OTHER_ONES:
                # 30 مليون يورو و9 ملايين أخرى: nine million more euros, not nine million "others"
                span = replace(span, counted=out[-1].counted, unit=out[-1].unit)
            elif (not span.counted and out and out[-1].unit and out[-1].counted
                  and _key(span.text.split()[-1]) in _SCALES
                  and any(_key(w) in _SCALES for w in out[-1].text.split())
                  and "عدد" not in text[out[-1].end:span.start]
                  and not (next_i < n and len(toks[next_i].text) <= 2 and toks[next_i].text not in ("في", "من", "و"))):
                # 22 مليار دولار …، ونحو 65 ملياراً: billions of the same dollars (an amount
                # with a scale and a unit before it in the sentence; not after 5% or 16 عاما, nor
                # before an abbreviation that may be its own unit: 250 ألف م3)
                span = replace(span, counted=out[-1].counted, unit=out[-1].unit)
            out.append(span)
        i = max(next_i, i + 1)
    return out


# a scale word that ends an amount, whose unit an amount before it names
_SCALES = frozenset(_key(w) for w in (
    "ألف ألفا آلاف مليون مليونا ملايين مليار مليارا مليارات تريليون تريليونا ترليون ترليونا").split())
# "others" after a number: more of what the number before it counts (ملايين أخرى, 200 أخرى)
_OTHER_ONES = frozenset(_key(w) for w in ("أخرى", "أخريات"))


_RELATIVE_CUES = frozenset(_key(w) for w in ["قبل", "منذ", "بعد", "وقبل", "ومنذ", "وبعد"])
_TIME_UNITS = frozenset(
    _key(w) for w in ["يوم", "ساعة", "أسبوع", "شهر", "عام", "سنة", "دقيقة", "ثانية", "عقد"]
)
# vague plurals of the number words: آلاف الأسر, عشرات القتلى (no exact amount)
_VAGUE = frozenset(_key(w) for w in ["آلاف", "الاف", "ملايين", "مليارات", "تريليونات", "ترليونات", "مئات", "عشرات"])


# a time zone after a clock time (20،30 تغ: توقيت غرينتش)
_CLOCK_ZONES = frozenset(_key(w) for w in ["تغ", "غرينتش", "جرينتش"])
# names that end in a number: the number counts nothing (فرانس 24)
_NAMED_WITH_A_NUMBER = frozenset(_key(w) for w in ["فرانس"])


_ROUNDS = frozenset(_key(w) for w in "دور الدور لدور بدور ودور".split())
_ERA_AFTER = frozenset(_key(w) for w in "للميلاد ميلادية ميلادي م هـ ه للهجرة هجرية هجري قبل".split())


def _not_a_quantity(span: QuantitySpan, toks: Sequence[Tok], i: int, after: int) -> bool:
    """A number inside a relative date (قبل ثلاثة أيام، منذ نحو أسبوعين) is a date, unless
    it is counted from something (قبل ثلاث دقائق من نهاية المباراة); a bare vague plural
    (آلاف الأسر) is no amount."""
    words = _key(span.text).split()
    if words and words[0] in _VAGUE:
        return True
    if i and toks[i - 1].text in _NAMED_WITH_A_NUMBER:
        return True  # فرانس 24 / أ ف ب: a channel's name
    if _key(span.counted) in _CLOCK_ZONES:
        return True  # 20،30 تغ: a time of day in GMT
    if after < len(toks) and toks[after].text == _key("مبروك"):
        return True  # ألف مبروك: a wish
    if i >= 2 and toks[i - 1].text == "ال" and toks[i - 2].text in _ROUNDS:
        return True  # دور الـ16: the round of sixteen, a name
    if i >= 1 and toks[i - 1].text == "يا":
        return True  # يا ست فاتن: madam, not six
    if (i >= 1 and toks[i - 1].text in _YEAR_NOUNS and after < len(toks)
            and toks[after].text in _ERA_AFTER and not span.counted):
        return True  # سنة 630 للميلاد: a year
    if _key(span.counted) not in _TIME_UNITS:
        return False
    if after < len(toks) and toks[after].text == "من":
        return False
    k = i - 1
    if k >= 0 and toks[k].text in _qualifiers_flat():
        k -= 1
    return k >= 0 and toks[k].text in _RELATIVE_CUES


def _make(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    i: int,
    j: int,
    value: float,
    value_max: float | None,
    unit: str,
    counted: str,
) -> QuantitySpan:
    first = toks[i].start
    stripped = _strip_prefix_num(toks[i].text, True) if toks[i].text[:1] in "وبلف" else None
    if stripped is not None and stripped[0] != toks[i].text:
        first += 1  # وثلاثة أمريكيين, بثلاثة أهداف: the number without its و or ب
    start, end = norm.to_original(first, toks[j - 1].end)
    qualifier = ""
    found = _qualifier(toks, i)
    if found:
        qs, _ = norm.to_original(toks[found[0]].start, toks[found[0]].end)
        qualifier = light(text[qs:start]).strip()
        qualifier = (
            qualifier.lstrip("وبلف") if _key(qualifier) not in _qualifiers_flat() else qualifier
        )
    return QuantitySpan(
        start,
        end,
        text[start:end],
        value=_tidy(value),
        value_max=None if value_max is None else _tidy(value_max),
        unit=unit,
        counted=counted,
        qualifier=qualifier,
    )


@lru_cache(maxsize=1)
def _qualifiers_flat() -> frozenset[str]:
    return frozenset(" ".join(k) for k in _qualifiers())


def _tidy(value: float) -> float:
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else round(value, 6)


def _preposition_phrase(word: str) -> bool:
    """ب/ل + a place or an ordinary word as the resources know them (بروسيا, بفضل, لصالح), not
    a noun that starts with ب/ل (لاجئ, برميل, لتر: the letters after it are no word)."""
    if word[:1] not in "بل" or len(word) < 4:
        return False
    from khabar.extract.entities import a_place
    from khabar.extract.ner import plain_word, word_key

    return a_place(word[1:]) or plain_word(word_key(word[1:]))


def _conjunction_glued(word: str) -> bool:
    """و/ب/ل + a word (وقانون, بيوم), not a word that starts with the letter (وزير, بلد)."""
    from khabar.extract.ner import plain_word, word_key

    return len(word) > 3 and plain_word(word_key(word[1:])) and (word[1] == "و" or not plain_word(word_key(word)))


# أسبوع واحد, وجيشا واحدا (normalized: no ة, no tanween)
# nouns of the idioms of unity (صفا واحدا, يدا واحدة, جسدا واحدا, بصوت واحد): no count
_AS_ONE = frozenset(_key(w) for w in "بصوت قلب".split())
# and in the accusative (وقفوا صفا واحدا, يدا واحدة): في صف واحد, صوت واحد can be counts
_AS_ONE_ACCUSATIVE = frozenset(_key(w) for w in "صف يد جسد".split())
_ONE_AFTER_A_NOUN = frozenset(_key(w) for w in "واحد واحدة واحدا".split())

# عام ألفين, السنة ألفين وعشرين: a year in words (not منذ ألفي عام, two thousand years)
_YEAR_NOUNS = frozenset(_key(w) for w in "عام العام سنة السنة".split())

# words before a year that is followed by a verb or a name more often than anything counted
_BEFORE_A_YEAR = frozenset(
    _key(w)
    for w in ("في وفي ففي منذ ومنذ حتى وحتى خلال قبل وقبل بعد وبعد حرب نهائي مونديال بطل انتخابات دورة نسخة أولمبياد"
              " خطة استراتيجية").split()
)

_PLAN_OF_A_YEAR = frozenset(_key(w) for w in "موازنة ميزانية رؤية لموازنة لميزانية برؤية".split())

# 11 من الشهر: a day of the month, not eleven of its months
_CALENDAR_NOUNS = frozenset(_key(w) for w in "شهر عام سنة أسبوع يوم".split())
_TIME_NOUNS = _CALENDAR_NOUNS | frozenset(_key(w) for w in "ساعة دقيقة ثانية ليلة".split())


_OF_THEM = frozenset(_key(w) for w in "منها منهم منهن".split())


def _and_a_noun(word: str) -> bool:
    """و + a noun (وإصابة), not a noun that begins with و (وظيفة, ولايات, وحدة): the rest is a
    known counted noun or an ordinary word, and the whole word is neither."""
    from khabar.extract.ner import load_extractor, plain_word, word_key

    if word in _all_singulars() or word in _plurals() or word in _known_singulars():
        return False
    rest = word[1:]
    if rest in _all_singulars() or rest in _plurals() or rest in _known_singulars():
        return True
    lexicon = load_extractor().lexicon
    whole, bare = word_key(word), word_key(rest)
    return bare in lexicon and plain_word(bare) and not (whole in lexicon and plain_word(whole))


@lru_cache(maxsize=1)
def _clause_verbs() -> frozenset[str]:
    """Past verbs that begin a clause after a number (قتل 5 [وأصيب] 10): the reporting verbs'
    (resources/extract/reporting_verbs.tsv) and those of news events, which count nothing."""
    forms = {_key(form) for form, _lemma, kind in load_table("reporting_verbs.tsv") if kind == "verb"}
    return frozenset(forms | {_key(w) for w in (
        "أصيب أصيبت أصيبوا قتل قتلت قتلوا جرح جرحت جرحوا فاز فازت حصل حصلت انضم انضمت توفي توفيت"
        " نجا نجت أسفر أسفرت بلغ بلغت وصل وصلت سجل سجلت تخرج تخرجت دفن اعتقل اعتقلت أصاب أصابت"
        " شارك شاركت تمكن تمكنت ارتفع ارتفعت انخفض انخفضت تراجع تراجعت").split()})


def _verbal_noun(key: str) -> bool:
    """A verbal noun of the pattern تفعيل (تعديل, تغيير): after a year it begins a clause (رفضوا في
    2013 تعديل المادة), however often it is counted elsewhere (3 تعديلات)."""
    return len(key) == 5 and key[0] == "ت" and key[3] == "ي"


_THAT_WITH_A_PRONOUN = frozenset(_key(w) for w in (
    "أنه أنها إنه إنها بأنه بأنها وأنه وأنها لأنه لأنها كأنه كأنها").split())


def _counted_after(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    j: int,
    plural_context: bool,
    months: frozenset[str],
) -> tuple[int, str, str] | None:
    """(index after, counted, unit code) for the noun or unit at toks[j]."""
    if j >= len(toks):
        return None
    unit = _match_units(toks, j)
    if unit:
        end, (singular_form, code, _kind) = unit
        return end, singular_form, code
    tok = toks[j]
    if not _is_word(tok):
        return None
    word = tok.text
    if (
        word in ("من", "بين")
        and j + 1 < len(toks)
        and toks[j + 1].text.startswith("ال")
        and word == "من"
    ):
        nxt = toks[j + 1]
        if len(nxt.text) > 4 and nxt.text not in months and _key(nxt.text[2:]) not in _CALENDAR_NOUNS:
            s, e = norm.to_original(nxt.start, nxt.end)
            return j + 2, singular(light(text[s:e])[2:], plural_context), ""
        return None
    if (word == "عدد" and j + 1 < len(toks) and toks[j + 1].text.startswith("ال") and len(toks[j + 1].text) > 4
            and j > 0 and any(c.isdigit() for c in toks[j - 1].text)):  # خمس عدد السكان: a fifth of
        # رفع إلى 245 عدد الضحايا: 245 is the number of the victims, not 245 numbers
        s, e = norm.to_original(toks[j + 1].start, toks[j + 1].end)
        return j + 2, singular(light(text[s:e])[2:], plural_context), ""
    if word in _STOP or word in _NOT_COUNTED or word.startswith("ال") or word in months or _num_word(word):
        return None
    if word in ("هـ", "ه", "م") or len(word) < 2:
        return None
    if word.startswith(("لل", "بال", "وال")):
        return None
    if word[0] in "بلك" and len(word) > 4 and word[1] in "ميتن":
        return None  # بمقدار، ليسجل، بتكلفة: a preposition or a verb, not a counted noun
    if word[0] in "ولب" and len(word) > 3 and _known_name(word[1:]):
        return None  # مجموعة 5 وإيران, و100 لإيطاليا: and a name, for a name, not five Irans
    if word[0] == "و" and len(word) > 2 and (_key(word[1:]) in _STOP or _key(word[1:]) in _clause_verbs()
                                             or _num_word(word[1:])
                                             or (word[1] == "س" and word[2] in "تين" and len(word) >= 5)):
        return None  # من 2008 وحتى 2010, قتل 5 وأصيب 10, 2018 وسنعمل, 6 وستة: and a new clause or number
    if (word[0] == "و" and j + 1 < len(toks)
            and (toks[j + 1].text[0].isdigit() or _num_word(toks[j + 1].text)
                 or (toks[j + 1].text == "(" and j + 2 < len(toks) and toks[j + 2].text[0].isdigit()))
            and _and_a_noun(word)
            and not (j + 2 < len(toks) and toks[j + 2].text in _OF_THEM)):
        # مقتل 13 وإصابة 21: the next noun has its own number (not 224 وحدة (تي إي يو), 500 وظيفة
        # 200 منها: a noun that begins with و)
        return None
    if word[0] == "ي" and word.endswith("ون") and not word.endswith("يون") and len(word) > 4:
        return None  # 24,5 مليون يتوزعون: a verb (they are spread), not what is counted
    if word.startswith(("ان", "است", "ات")) and word.endswith("ت") and not word.endswith("ات") and len(word) >= 5:
        return None  # يوروموني الـ13 انطلقت: a verb in the past (انطلقت, استمرت), not a noun
    if word in _THAT_WITH_A_PRONOUN:
        return None  # يشعرون بأنه واحد منهم: one of them, no count of بأنه
    s, e = norm.to_original(tok.start, tok.end)
    return j + 1, singular(text[s:e], plural_context), ""


def _finish(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    i: int,
    j: int,
    value: float,
    value_max: float | None,
    plural_context: bool,
    months: frozenset[str],
    bare_ok: bool,
) -> tuple[QuantitySpan | None, int]:
    counted = _counted_after(text, norm, toks, j, plural_context, months)
    unit = ""
    name = ""
    if counted:
        j, name, unit = counted
        if not unit:
            found = _unit_by_singular().get(_key(name))
            unit = found[0] if found else ""
        if j < len(toks) and toks[j].text in ("ونصف", "وربع"):
            value += 0.5 if toks[j].text == "ونصف" else 0.25
            j += 1
    elif not bare_ok:
        return None, j
    return _make(text, norm, toks, i, j, value, value_max, unit, name), j


def _digit_quantity(
    text: str,
    norm: Normalized,
    toks: list[Tok],
    i: int,
    pii: list[tuple[int, int]],
    months: frozenset[str],
    with_bare: bool,
) -> tuple[QuantitySpan | None, int] | None:
    tok = toks[i]
    n = len(toks)
    prev = toks[i - 1] if i > 0 else None
    nxt = toks[i + 1] if i + 1 < n else None
    if _overlaps(tok.start, tok.end, pii):
        return None, i + 1
    # clock times, numeric dates, versions: 10:30, 26/4/1947
    if (
        nxt
        and _adjacent(tok, nxt)
        and nxt.text in (":", "/", "\\")
        and i + 2 < n
        and toks[i + 2].text[0].isdigit()
    ):
        j = i + 2
        while (
            j + 1 < n
            and toks[j + 1].text in (":", "/", "\\")
            and j + 2 < n
            and toks[j + 2].text[0].isdigit()
        ):
            j += 2
        return None, j + 1
    if prev and prev.text in ("/", ":") and i > 1 and toks[i - 2].text[0].isdigit():
        return None, i + 1
    # labels glued to Latin letters (A320), model numbers
    if prev and _adjacent(prev, tok) and prev.text[0].isascii() and prev.text[0].isalpha():
        return None, i + 1
    if nxt and _adjacent(tok, nxt) and nxt.text[0].isascii() and nxt.text[0].isalpha():
        return None, i + 1
    if _designation(toks, i):
        # the type of a plane or a weapon (ميغ-31 تابعة, بوينغ 737-800), no count: its parts
        # after a hyphen go with it, so that 800 is not read as a count either
        j = i + 1
        while j + 1 < n and toks[j].text in _HYPHENS and toks[j + 1].text[0].isdigit() \
                and _adjacent(toks[j - 1], toks[j]) and _adjacent(toks[j], toks[j + 1]):
            j += 2
        return None, j
    s, e = norm.to_original(tok.start, tok.end)
    raw = text[s:e]
    digits = tok.text.replace(",", "").replace(".", "")
    if len(digits) >= 7 and (digits.startswith("0") or (prev and prev.text == "+")):
        return None, i + 1
    if len(tok.text) >= 8 and tok.text.isdigit():
        return (
            None,
            i + 1,
        )  # an ID, account or phone number: amounts this long are written 3,601,115
    value = _digits_value(tok.text, raw)
    if value is None:
        # a number that cannot be read takes its multiplier with it: `1,2,3 مليون` is no million
        if nxt is not None and (_num_word(nxt.text) or ("", ""))[1] in ("multiplier", "dual_multiplier"):
            return None, i + 2
        return None, i + 1
    j = i + 1
    last_mult = 0.0
    half = _and_a_fraction(toks, j)
    if half and float(value).is_integer():
        value, j = value + half, j + 1  # 14 ونصف مليون, 3 ونصف: fourteen and a half
    # multipliers: 1.5 مليون، ٣ آلاف، 42 ألف، 650 ألفاً
    if j < n:
        words = [t.text for t in toks[j : j + 4]]
        mult = _num_word(words[0]) if words else None
        if mult and _scale_after_digits(words[0]) and mult[1] == "dual_multiplier":
            mult = (_scale_after_digits(words[0]), "multiplier")
        if mult and mult[1] == "multiplier" and mult[0] >= 1000:
            parsed = parse_number_words(words)
            value *= mult[0]
            j += 1
            last_mult = mult[0]
            if parsed and parsed[1] > 1:
                # 3 آلاف وخمسمائة
                rest = parse_number_words(words[1:])
                if rest and words[1].startswith("و"):
                    value += rest[0]
                    j += rest[1]
            else:
                value, j = _rest_in_digits(toks, j, value, last_mult)
            half = _and_a_fraction(toks, j, after_a_multiplier=True)
            if half and j == i + 2 and float(value / last_mult).is_integer():
                # 5 ملايين وربع (المليون): and a quarter of a million
                value += half * last_mult
                j += 2 if j + 1 < n and toks[j + 1].text[2:] and _num_word(toks[j + 1].text[2:]) else 1
    is_int = float(value).is_integer() and "." not in tok.text
    # years: 2003, عام 2023, 1447هـ, 2002م
    year_like = is_int and last_mult == 0 and 1000 <= value <= 2100 and len(digits) == 4
    if year_like and prev is not None and prev.text in _YEAR_CUES:
        return None, j
    if (
        year_like
        and prev is not None
        and prev.text in _YEAR_CUE_QUALIFIERS
        and i > 1
        and toks[i - 2].text in _YEAR_CUES
    ):
        return None, j
    if year_like and prev is not None and prev.text in months:
        return None, j  # مارس/آذار 2017 بيعت: a month's year, then a verb
    if nxt is not None and nxt.text in months and last_mult == 0:
        return None, j
    if nxt is not None and nxt.text in ("هـ", "ه", "م", "ق") and last_mult == 0:
        return None, j + 1
    # listicle counts: أكثر 5 أمراض
    if prev is not None and prev.text in (
        "اكثر",
        "افضل",
        "اهم",
        "اغرب",
        "اخطر",
        "اقوى",
        "اسوا",
        "ابرز",
    ):
        return None, j
    # clock: الساعة 4, الرابعة و12 دقيقة
    if prev is not None and prev.text in _CLOCK_WORDS:
        return None, j
    if prev is not None and prev.text == "و" and i > 1 and toks[i - 2].text in _CLOCK_WORDS:
        return None, j
    if (
        prev is not None
        and prev.text == "و"
        and _adjacent(prev, tok)
        and i > 1
        and toks[i - 2].text in _CLOCK_WORDS
    ):
        return None, j
    value_max = None
    # ranges: 10-15, 10 - 15, من 10 إلى 15, بين 10 و15
    if (
        j + 1 < n
        and toks[j].text in ("-", "–")
        and toks[j + 1].text[0].isdigit()
        and last_mult == 0
    ):
        other = _digits_value(toks[j + 1].text, toks[j + 1].text)
        if other is not None:
            value_max = other
            j += 2
    elif (
        j + 1 < n
        and toks[j].text in ("الي", "و")
        and toks[j + 1].text[0].isdigit()
        and prev is not None
        and prev.text in ("من", "بين", "ما")
    ):
        other = _digits_value(toks[j + 1].text, toks[j + 1].text)
        if other is not None:
            if (
                j + 2 < n
                and _num_word(toks[j + 2].text)
                and _num_word(toks[j + 2].text)[1] == "multiplier"
            ):
                other *= _num_word(toks[j + 2].text)[0]
                j += 1
            value_max = other
            j += 2
    plural_context = last_mult == 0 and 3 <= value < 11
    bare_ok = with_bare
    if year_like or (prev is not None and (prev.text == "(" or prev.text in _LABEL_WORDS)):
        bare_ok = False
    if prev is not None and _is_word(prev) and prev.text.startswith("ال") and last_mult == 0:
        bare_ok = False  # الدقيقة 34، الجولة 18
    if (
        prev is not None
        and prev.text in _LABEL_NOUNS
        and last_mult == 0
        and not _match_units(toks, j)
    ):
        return None, j
    if value_max is not None and last_mult == 0:
        bare_ok = False  # scores 2-1, seasons 2024-2025
    if last_mult:
        bare_ok = True
    span, end = _finish(text, norm, toks, i, j, value, value_max, plural_context, months, bare_ok)
    if (span is not None and last_mult == 0 and value_max is None and span.counted and not span.unit
            and _THOUSANDS_DOT_RE.match(raw)):  # as written: no direction mark (a decimal typed in visual order)
        # 10.000 شخص, 2.500 عبوة: a dot before three digits groups thousands when what is counted
        # takes no fraction (people, things); a price or a measure keeps its decimals (1.250
        # دينار, 3.500 طن)
        span = replace(span, value=_tidy(value * 1000))
    if span is not None and year_like and (not span.counted or _preposition_phrase(span.text.split()[-1])):
        return None, end  # 2018 بروسيا, 2016 بفضل: a year, then ب/ل + a place or a word (1500 لاجئ counts)
    if (span is not None and year_like and value <= 2035 and not span.unit and prev is not None
            and prev.text in _BEFORE_A_YEAR and _key(span.counted) not in _CALENDAR_NOUNS
            and (_key(span.counted) not in _known_singulars() or _verbal_noun(_key(span.counted)))):
        return None, end  # وفي 2007 ضرب الإعصار, نهائي 2017 بكرديف: a year (قبل 2000 عام counts)
    if span is not None and year_like and not span.unit and prev is not None and prev.text in _PLAN_OF_A_YEAR:
        return None, end  # موازنة 2019 مبنية على …, رؤية 2030: a plan's year, whatever follows
    if span is not None and not span.counted and value == 0:
        return None, end
    if span is not None and _key(span.counted) in _TIME_PARTS:
        return None, end  # 11 مساءً, 4 عصراً: a clock time
    if span is not None and year_like and value_max is not None and 1000 <= value_max <= 2100:
        return None, end  # بين 1922 و1936: years
    if (
        span is not None
        and not span.counted
        and prev is not None
        and prev.text == "%"
        and _adjacent(prev, tok)
    ):
        s0, _e0 = norm.to_original(prev.start, prev.end)
        return replace(
            span, start=s0, text=text[s0 : span.end], unit="percent", counted="%"
        ), end  # %55
    return span, end


_THOUSANDS_DOT_RE = re.compile(r"^[1-9][0-9]{0,2}\.[0-9]{3}$")


def _and_a_fraction(toks: Sequence[Tok], j: int, after_a_multiplier: bool = False) -> float:
    """The value of ونصف/وربع at toks[j] when it adds to the number before it (14 ونصف مليون,
    5 ملايين وربع), else 0: not when it halves what follows (3 ونصف اللاعبين), unless that is
    the multiplier itself (وربع المليون)."""
    if j >= len(toks) or not toks[j].text.startswith("و"):
        return 0.0
    found = _num_word(toks[j].text[1:])
    if found is None or found[1] != "fraction":
        return 0.0
    nxt = toks[j + 1].text if j + 1 < len(toks) else ""
    if nxt.startswith("ال") and not (after_a_multiplier and _num_word(nxt[2:])):
        return 0.0
    return found[0]


def _rest_in_digits(toks: Sequence[Tok], j: int, value: float, last_mult: float) -> tuple[float, int]:
    """The rest of a number after its multiplier, written in digits (ثلاثة ملايين و888 ألفاً,
    7 آلاف و367 مرشحاً, 97 مليوناً و815 ألفاً و186): the value with it and the token after it."""
    n = len(toks)
    # part after part: 97 مليوناً و815 ألفاً و186 مسافراً is 97,815,186
    while (last_mult >= 1000 and j + 1 < n and toks[j].text == "و" and toks[j + 1].text.isascii()
            and toks[j + 1].text.isdigit()):  # ASCII digits only: ² is a digit to isdigit()
        rest = float(toks[j + 1].text)
        scale = _num_word(toks[j + 2].text) if j + 2 < n else None
        scale_value = _scale_after_digits(toks[j + 2].text) if j + 2 < n else 0.0
        if scale_value and scale_value < last_mult and rest * scale_value < last_mult:
            value, j, last_mult = value + rest * scale_value, j + 3, scale_value
            continue
        if scale is None and rest < last_mult:
            return value + rest, j + 2
        break
    return value, j


def _scale_after_digits(word: str) -> float:
    """The scale of ألف/مليون/مليار after a number in digits, the accusative (650 ألفاً, 25
    مليوناً) included, which alone would be the dual (ألفا شخص, two thousand); 0 for others."""
    found = _num_word(word)
    if found is None:
        return 0.0
    value, kind = found
    if kind == "multiplier" and value >= 1000:
        return value
    if kind == "dual_multiplier" and word.endswith("ا"):
        return value / 2
    return 0.0


def _word_quantity(
    text: str, norm: Normalized, toks: list[Tok], i: int, months: frozenset[str]
) -> tuple[QuantitySpan | None, int] | None:
    tok = toks[i]
    word = tok.text
    n = len(toks)
    # construct duals: جثتا طفلين
    if (
        word.endswith("تا")
        and len(word) >= 4
        and word[-3] not in "ويا"
        and not word.startswith("ال")
        and i + 1 < n
        and _dual(toks[i + 1].text) is not None
    ):
        s, e = norm.to_original(tok.start, tok.end)
        base = light(text[s:e])[:-2] + "ة"
        return _make(text, norm, toks, i, i + 2, 2, None, _unit_code(base), base), i + 2
    # duals: عامين, مرحلتين
    dual = _dual(word)
    if dual is not None:
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and (prev.text[0].isdigit() or _num_word(prev.text)):
            return None
        if prev is not None and _is_word(prev) and _dual(prev.text) is not None and word[0] not in "بلو":
            return None, i + 1  # طائرتين خاصتين, جثتين جديدتين: an adjective that agrees (بهدفين لهدفين: a score)
        s, e = norm.to_original(tok.start, tok.end)
        base = dual if dual else light(text[s:e])[:-3] + "ة"
        j = i + 1
        if word.endswith(("تا", "تي")) and j < n and _dual(toks[j].text) is not None:
            j += 1
        return _make(text, norm, toks, i, j, 2, None, _unit_code(base), base), j
    # noun + واحد: أسبوع واحد
    if (
        i + 1 < n
        and toks[i + 1].text in _ONE_AFTER_A_NOUN
        and word not in _STOP
        and word not in _THAT_WITH_A_PRONOUN  # يشعرون بأنه واحد منهم: one of them
        and word not in _NOT_COUNTED and not (word[:1] == "و" and word[1:] in _NOT_COUNTED)  # لكل واحدة: each one
        and not word.startswith("ال")
        and len(word) >= 3
        and not _num_word(word)
        and word not in months
    ):
        if word in _AS_ONE or (word.endswith("ا") and word[:-1] in _AS_ONE_ACCUSATIVE):
            return None, i + 2  # وقفوا صفا واحدا, يدا واحدة: as one, no count
        if i + 2 < n and toks[i + 2].text == "من" and _key(word) not in _TIME_NOUNS:
            # يعد نيل واحدا من ملايين, لا يزال واحدا من أفضل: one of (خلال أسبوع واحد من انطلاقها
            # is a week)
            return None, i + 2
        s, e = norm.to_original(tok.start, tok.end)
        base = singular(text[s:e], False)
        if word[0] in "وبل" and _conjunction_glued(_key(base)):
            base = base[1:]  # وقانون واحد: and one law; بيوم واحد: by one day
        return _make(text, norm, toks, i, i + 2, 1, None, _unit_code(base), base), i + 2
    words = [t.text for t in toks[i : i + 16]]
    if word.startswith("ال") and not _num_word(word):
        # الأربع وعشرين ساعة: a compound number made definite; الدول الثلاث alone is no count
        if not (_num_word(word[2:]) and len(words) > 1 and words[1].startswith("و")
                and _num_word(words[1][1:])):
            return None
        words[0] = word[2:]
    parsed = parse_number_words(words)
    if parsed is None:
        return None
    value, used, last_mult = parsed
    j = i + used
    value, j = _rest_in_digits(toks, j, value, last_mult)
    # ordinal compounds: الحادي عشر, الثاني عشر
    if i > 0 and toks[i - 1].text.startswith("ال") and words[0] in ("عشر", "عشره"):
        return None, j
    # the minutes of a clock time in words: الساعة العاشرة وعشرين دقيقة (like و20 دقيقة after
    # an hour in `_digit_quantity`)
    if word[0] == "و" and j < n and toks[j].text in _MINUTES and _after_an_hour(toks, i):
        return None, j + 1
    if value == 1 and used == 1:
        return None, j  # واحد alone is "one of", rarely a quantity
    if i > 0 and toks[i - 1].text in _YEAR_NOUNS and value.is_integer() and 1000 <= value <= 2100:
        return None, j  # منذ العام ألفين: a year in words
    if j < n and toks[j].text in months:
        return None, j
    value_max = None
    if last_mult == 0 and value < 10 and j < n and toks[j].text.startswith("و"):
        # ما بين ثمانية وعشرة أشخاص: a unit + و + a larger unit or ten is a range, as بين 8 و10
        # is (parse_number_words stops before it: 18 is ثمانية عشر)
        upper = parse_number_words([toks[j].text[1:], *(t.text for t in toks[j + 1 : j + 8])])
        scale = upper[2] if upper is not None and upper[2] else 1.0  # ستة وسبعة ملايين
        if upper is not None and value < upper[0] / scale <= 10:
            value, value_max, last_mult = value * scale, upper[0], upper[2]
            j += upper[1]
    # a number word before digits is something else (ثلاث 3...)
    plural_context = last_mult == 0 and 3 <= value < 11
    span, end = _finish(text, norm, toks, i, j, value, value_max, plural_context, months, last_mult > 0)
    return span, end


_MINUTES = frozenset(_key(w) for w in ("دقيقة", "دقائق", "دقيقتين"))


def _after_an_hour(toks: Sequence[Tok], i: int) -> bool:
    """The hour of a clock time ends right before token i: الساعة العاشرة, في تمام الثانية
    عشرة (not المرحلة الثالثة: الساعة or تمام comes before the hour)."""
    k = i - 1
    if k > 0 and toks[k].text in ("عشر", "عشره"):
        k -= 1
    if k < 1 or toks[k].text not in _CLOCK_WORDS:
        return False
    return any(t.text in ("الساعه", "تمام", "للساعه", "بالساعه") for t in toks[max(0, k - 2):k])


_FEM_DUAL_ENDINGS = ("تين", "تان", "تا")


@lru_cache(maxsize=1)
def _starters() -> frozenset[str]:
    numbers = set(_number_words())
    duals = {f for f, (_s, n) in _plurals().items() if n == "dual"}
    return frozenset(numbers | {p + w for w in numbers for p in "وبل"} | duals)


@lru_cache(maxsize=1)
def _all_singulars() -> dict[str, str]:
    return {_key(s): s for _f, s, n in load_table("plurals.tsv") if n == "plural"}


def _maybe_number(word: str, toks: Sequence[Tok], i: int) -> bool:
    """A cheap test before `_word_quantity`: could this word start a quantity?"""
    if word in _starters() or word.endswith(_FEM_DUAL_ENDINGS):
        return True
    if word.startswith("ال") and word[2:] in _starters() and i + 1 < len(toks) and toks[i + 1].text.startswith("و"):
        return True  # الأربع وعشرين
    if word.endswith(("ين", "ان")) and _dual(word) is not None:
        return True
    return i + 1 < len(toks) and toks[i + 1].text in _ONE_AFTER_A_NOUN


def _unit_code(base: str) -> str:
    found = _unit_by_singular().get(_key(base))
    return found[0] if found else ""


@lru_cache(maxsize=1)
def _broken_singulars() -> dict[str, str]:
    """Singulars whose plural is not the sound ـين/ـون form (قارب/قوارب، ملف/ملفات): for them a
    word ending in ـين or ـان can only be a dual."""
    rows = [(_key(f), _key(s), s) for f, s, n in load_table("plurals.tsv") if n == "plural"]
    sound = {ks for kf, ks, _s in rows if kf.endswith(("ين", "ون")) and kf[:-2] == ks}
    return {ks: s for _kf, ks, s in rows if ks not in sound}


def _dual(word: str) -> str | None:
    """The singular of a dual noun ('' for a feminine dual made by rule), None otherwise."""
    found = _plurals().get(word)
    if found and found[1] == "dual":
        return found[0]
    if word in _NAMES_LIKE_DUALS or (word[:1] in "وبلف" and word[1:] in _NAMES_LIKE_DUALS):
        return None
    if (
        found is None
        and word.endswith(("ين", "ان"))
        and len(word) >= 5
        and not _num_word(word)
        and not _num_word(word[:-2])
    ):
        # قاربين، ملفين، مسلحان: a masculine dual of a noun the table knows
        stem = word[1:-2] if word[0] in "بلو" and word[1:-2] in _broken_singulars() else word[:-2]
        if stem in _broken_singulars() or (word.endswith("ان") and stem in _all_singulars()):
            return _broken_singulars().get(stem) or _all_singulars()[stem]
    if word.startswith(("ال", "لل", "وال", "بال", "فال")) or len(word) < 5 or word in _FEM_DUAL_STOP:
        return None  # a definite dual, with its conjunction too (والأرجنتين is no dual at all)
    if _known_name(word) or (word[0] in "وبلف" and _known_name(word[1:])):
        return None  # الأرجنتين, فلسطين: a place, whatever its ending
    if _num_word(word) or (word[0] in "وبل" and _num_word(word[1:])):
        return None
    if word.endswith(("تين", "تان")):
        stem = word[:-3]
        if len(stem) >= 2 and stem[-1] not in "ويا" and not stem.endswith("س"):
            return ""
    return None
