"""Dates and times in Arabic news text, resolved to the calendar.

    >>> from datetime import datetime
    >>> [(d.text, d.value) for d in find_dates("وصل الوفد مساء أمس الأربعاء", published=datetime(2026, 3, 12))]
    [('مساء أمس الأربعاء', '2026-03-11')]

Found by hand-written rules over the normalized text (dateparser reads any 4-digit number as a
year), then resolved:

* explicit dates in every month series (``تموز``, ``يوليو``, ``جويلية``, ``يوليوز``), combined
  forms (``تموز/يوليو``), Hijri dates (``6 شوال 1437 هـ``, Umm al-Qura via hijridate), numeric
  dates (``11/7/2016``, ``2016-07-11``) and years (``عام 2003``);
* relative days (``أمس``, ``امس``, ``اليوم``, ``غدا``), weekdays (``الأربعاء``, ``الأحد المقبل``),
  parts of the day (``مساء``), periods (``الأسبوع الماضي``, ``الشهر الجاري``) and offsets
  (``قبل ٥ ساعات``) against the publication date;
* a missing year from the publication date or, when there is none, from weekday + day + month:
  all years in `CANDIDATE_YEARS` that fit are returned as `candidates` and `value` keeps the year
  unknown (``XXXX-07-11``) unless exactly one fits.

`DateMention.resolved_by` says how the value was obtained: ``explicit``, ``publication_year``,
``relative``, ``holiday`` (عيد الفطر, ثاني أيام عيد الأضحى, أول أيام رمضان: the holiday's
day nearest the publication date, holidays.tsv), ``relative+weekday`` (the weekday written next to أمس/غدا overruled a publication
date that disagreed), ``year_heading`` (a day and month under a chronology's year heading,
``- 2013 -`` alone on its line), ``weekday``, ``weekday_candidates``, ``unanchored`` or ``unresolved``; a
``+text_date`` suffix means the reference was the article's own date line (no publication date).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources

from khabar.extract.quantities import (
    Tok,
    load_table,
    sentence_windows,
    tokens,
)
from khabar.model import DateSpan
from khabar.text.normalize import Normalized, normalize_text

__all__ = ["CANDIDATE_YEARS", "DateMention", "find_dates", "to_date_span"]

#: Years tried when only weekday + day + month are known and there is no publication date.
CANDIDATE_YEARS = range(2000, 2031)

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str = ""
    calendar: str = "gregorian"
    granularity: str = "day"
    resolved_by: str = ""
    candidates: tuple[int, ...] = ()
    weekday: str = ""
    part_of_day: str = ""
    relative: str = ""  # e.g. "-1 day", "-1 week", "-5 hour"


def to_date_span(mention: DateMention) -> DateSpan:
    """The model's DateSpan; fields DateSpan gains later (resolved_by, candidates...) are filled too."""
    extra = {
        name: getattr(mention, name)
        for name in ("resolved_by", "candidates", "weekday", "part_of_day", "relative")
        if name in _DATE_SPAN_FIELDS
    }
    return DateSpan(
        mention.start,
        mention.end,
        mention.text,
        value=mention.value,
        calendar=mention.calendar,
        granularity=mention.granularity,
        **extra,
    )


_DATE_SPAN_FIELDS = frozenset(f.name for f in fields(DateSpan))


def _key(word: str) -> str:
    return normalize_text(word)


@lru_cache(maxsize=1)
def _months() -> dict[tuple[str, ...], tuple[int, str]]:
    text = (resources.files("khabar.resources") / "month_names.tsv").read_text(encoding="utf-8")
    out: dict[tuple[str, ...], tuple[int, str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, number, calendar, _region = line.split("\t")
            out[tuple(_key(name).split())] = (int(number), calendar)
    return out


@lru_cache(maxsize=1)
def _glued_month_firsts() -> frozenset[str]:
    """The first words of the month names with a glued و (وفبراير, وتشرين): looked up before a
    key is built, as most words that begin with و are no month."""
    return frozenset("و" + k[0] for k in _months() if len(k[0]) > 2)


@lru_cache(maxsize=1)
def _hijri_month_words() -> frozenset[str]:
    """The words that name a Hijri month (شوال, الحجة, رجب, الآخرة …), not the ordinals after
    ربيع and جمادى (الأول, الثانية), which are as often a stage's or a term's ordinal."""
    return frozenset(name[-1] for name, (_n, calendar) in _months().items()
                     if calendar == "hijri" and (len(name) == 1 or name[-1] not in _ORDINALS))


_ORDINALS = frozenset(_key(w) for w in "الأول الاول الأولى الاولى الثاني الثانية".split())


@lru_cache(maxsize=1)
def _relative() -> dict[str, dict[tuple[str, ...], str]]:
    out: dict[str, dict[tuple[str, ...], str]] = {}
    for phrase, kind, value in load_table("relative_dates.tsv"):
        out.setdefault(kind, {})[tuple(_key(phrase).split())] = value
    return out


_FUTURE_CUES = frozenset(
    _key(w)
    for w in [
        "حتى",
        "سوف",
        "يتوقع",
        "ويتوقع",
        "توقع",
        "توقعت",
        "وتوقع",
        "يستمر",
        "تستمر",
        "استمرار",
        "اعتبارا",
        "تبدأ",
        "يبدأ",
        "وتبدأ",
        "ويبدأ",
        "تنطلق",
        "ينطلق",
        "يعقد",
        "تعقد",
        "موعد",
        "المرتقب",
        "المقرر",
        "مقرر",
        "ستعقد",
        "سيعقد",
        "ستبدأ",
        "سيبدأ",
        "ستنطلق",
        "سينطلق",
        "ستقام",
        "سيقام",
        "تقام",
        "يقام",
        "ستجري",
        "سيجري",
        "تجري",
        "يلتقي",
        "سيلتقي",
        "تلتقي",
        "ستلتقي",
        "يزور",
        "سيزور",
        "تستضيف",
        "ستستضيف",
        "مرتقب",
        "المرتقبة",
        "يرتقب",
        "يتوقع",
        # waiting for it: ويترقب المستثمرون تقرير الوظائف يوم الجمعة
        "يترقب",
        "تترقب",
        "يترقبون",
        "ينتظر",
        "تنتظر",
        "ينتظرون",
        "المقررة",
        "مقررة",
        "المزمع",
        "المزمعة",
        "مزمع",
        # a plan or an errand: من المفترض أن, يعتزم, طلب منه التوجه السبت إلى
        "المفترض",
        "مفترض",
        "يفترض",
        "يعتزم",
        "تعتزم",
        "يزمع",
        "تزمع",
        "التوجه",
        "للتوجه",
        # a journey or a fixture told in the present (يتوجه الوفد السبت إلى, يواجه الفريق الأحد)
        "يتوجه",
        "تتوجه",
        "تصل",  # not يصل: فيصل is a name
        "يسافر",
        "تسافر",
        "يغادر",
        "تغادر",
        "يختتم",
        "تختتم",
        "يفتتح",
        "تفتتح",
        "يلعب",
        "تلعب",
        "يواجه",
        "تواجه",
        "يخوض",
        "تخوض",
    ]
)
# the particle and pronoun that open reported speech: قال إنه سيعلن قراره الثلاثاء
_THAT = frozenset(_key(w) for w in ["أن", "إن", "بأن", "أنه", "إنه", "بأنه", "أنها", "إنها", "بأنها",
                                    "أنهم", "إنهم", "بأنهم", "أننا", "إننا"])
# كان من المقرر أن تبدأ الجولة الجمعة: a plan told in the past, its day as likely past as not
_WAS = frozenset(_key(w) for w in ["كان", "وكان", "كانت", "وكانت"])
# سيعقد, وستبدأ, سنواصل: the future particle on an imperfect verb. Nouns and past verbs that
# start the same way (سيارة, سياسة, سنوات, سيطرت, ستة) are listed by their stems.
_FUTURE_PREFIX = ("سي", "ست", "سن")
_NOT_FUTURE_STEMS = tuple(
    _key(w)
    for w in [
        "سيار", "سياس", "سيطر", "سياح", "سياد", "سياق", "سينما", "سيناري", "سيناء", "سنوا",
        "سنوي", "سنتيم", "سنتات", "سندات", "ستار", "ستاند", "سيرته", "سيرتها", "سيرتهم",
        "سنتين", "سنتان", "سيدات", "سيدتين", "سيدني", "سيول",
        # names and nouns from abroad (review 15): سنغافورة, سيناتور, ستيفان …
        "سنغافور", "سيناتور", "ستيف", "ستالين", "سيمون", "سيلفا", "سيرين", "ستوكهولم", "ستاد",
        "ستوديو", "سنتر", "سيريزا", "سيرغي", "سيرجي", "سيسي", "ستراسبورغ", "ستانفورد",
    ]
)
_YEAR_CUES = frozenset(
    _key(w)
    for w in [
        "عام",
        "العام",
        "سنة",
        "السنة",
        "منذ",
        "في",
        "خلال",
        "حتى",
        "قبل",
        "بعد",
        "موسم",
        "مطلع",
        "بداية",
        "نهاية",
        "أواخر",
        "أوائل",
    ]
)
_OFFSET_UNITS = {
    _key(w): u
    for w, u in [
        ("ساعة", "hour"),
        ("ساعات", "hour"),
        ("ساعتين", "hour2"),
        ("دقيقة", "minute"),
        ("دقائق", "minute"),
        ("دقيقتين", "minute2"),
        ("يوم", "day"),
        ("أيام", "day"),
        ("يومين", "day2"),
        ("أسبوع", "week"),
        ("أسابيع", "week"),
        ("أسبوعين", "week2"),
        ("شهر", "month"),
        ("أشهر", "month"),
        ("شهور", "month"),
        ("شهرين", "month2"),
        ("عام", "year"),
        ("أعوام", "year"),
        ("سنة", "year"),
        ("سنوات", "year"),
        ("عامين", "year2"),
        ("سنتين", "year2"),
    ]
}
_NUMBER_WORDS_SMALL = {
    _key(w): v
    for w, v in [
        ("ثلاث", 3),
        ("ثلاثة", 3),
        ("أربع", 4),
        ("أربعة", 4),
        ("خمس", 5),
        ("خمسة", 5),
        ("ست", 6),
        ("ستة", 6),
        ("سبع", 7),
        ("سبعة", 7),
        ("ثماني", 8),
        ("ثمانية", 8),
        ("تسع", 9),
        ("تسعة", 9),
        ("عشر", 10),
        ("عشرة", 10),
        ("بضعة", 3),
        ("بضع", 3),
    ]
}
_BARE_YEAR_NEXT = frozenset(
    _key(w)
    for w in ["في", "من", "إلى", "الى", "حتى", "على", "عن", "مع", "بعد", "قبل", "ثم", "أو", "او"]
)
_PARTICLES = frozenset(
    _key(w) for w in ["إلى", "الى", "الذي", "التي", "الذين", "اللذين", "الا", "الآن"]
)
_AMBIGUOUS_MONTHS = frozenset(
    # أوت/آوت and جوان are also words of transliterated titles and names (غيت آوت, جوان بايز)
    _key(w) for w in ["اب", "صفر", "رجب", "شعبان", "رمضان", "محرم", "مارس", "ماي", "شوال", "أوت", "جوان"]
)


def _strip_wa(word: str) -> str:
    if len(word) > 3 and word[0] in "وف":
        return word[1:]
    return word


_FIRSTS: dict[int, frozenset[str]] = {}


def _first_words(key: int, table: dict[tuple[str, ...], str]) -> frozenset[str]:
    found = _FIRSTS.get(key)
    if found is None:
        found = _FIRSTS[key] = frozenset(k[0] for k in table)
    return found


class _Parser:
    def __init__(self, toks: Sequence[Tok]) -> None:
        self.toks = toks
        self.words = [t.text for t in toks]
        self.n = len(toks)

    def match(
        self, table: dict[tuple[str, ...], str], i: int, strip: bool = True
    ) -> tuple[int, str] | None:
        """Longest phrase of `table` starting at token i: (index after, value)."""
        word = self.words[i] if i < self.n else ""
        firsts = _first_words(id(table), table)
        if word not in firsts and not (strip and len(word) > 3 and (word[1:] in firsts)):
            return None
        for size in (4, 3, 2, 1):
            if i + size > self.n:
                continue
            key = tuple(self.words[i : i + size])
            if key in table:
                return i + size, table[key]
            if strip:
                first = _strip_wa(key[0])
                if first != key[0] and (first, *key[1:]) in table:
                    return i + size, table[(first, *key[1:])]
                if key[0][:1] in "بل" and len(key[0]) > 4 and (key[0][1:], *key[1:]) in table:
                    return i + size, table[(key[0][1:], *key[1:])]
        return None

    def month(self, i: int) -> tuple[int, int, str] | None:
        months = _months()
        for size in (2, 1):
            if i + size > self.n:
                continue
            key = tuple(self.words[i : i + size])
            if key in months:
                number, calendar = months[key]
                return i + size, number, calendar
            if (key[0] in _glued_month_firsts() and (key[0][1:], *key[1:]) in months
                    and not (i > 0 and self.words[i - 1].isdecimal() and len(self.words[i - 1]) <= 2)):  # 2 وصفر: a score
                # يناير وفبراير: a second month glued to its و
                number, calendar = months[(key[0][1:], *key[1:])]
                return i + size, number, calendar
        return None

    def number(self, i: int, low: int, high: int) -> int | None:
        if i < self.n and self.words[i].isdecimal():
            value = int(self.words[i])
            if low <= value <= high:
                return value
        return None


_DAY_ORDINAL_UNITS = {_key(w): n for n, w in enumerate(
    "الأول الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع العاشر".split(), 1)}
_DAY_ORDINAL_UNITS[_key("الاول")] = 1
_DAY_ORDINAL_TENS = {_key("عشر"): 10, _key("والعشرين"): 20, _key("والثلاثين"): 30}
_DAY_ORDINAL_ALONE = {_key("العشرين"): 20, _key("الثلاثين"): 30}


_DAY_ORDINAL_FIRSTS = frozenset(_DAY_ORDINAL_UNITS) | frozenset(_DAY_ORDINAL_ALONE) | {_key("الحادي")}


def _ordinal_day(p: _Parser, i: int, relative_month: bool = False) -> tuple[int, int] | None:
    """(day, index after من) for an ordinal day before من and a month: الخامس من مايو, الحادي
    عشر من سبتمبر, الثاني والعشرين من رمضان, العشرين من; with `relative_month`, before من and a
    month counted from the publication instead (السابع من الشهر الجاري)."""
    word = p.words[i] if i < p.n else ""
    if word in _DAY_ORDINAL_ALONE:
        day, j = _DAY_ORDINAL_ALONE[word], i + 1
    elif word in _DAY_ORDINAL_UNITS or word == _key("الحادي"):
        unit = _DAY_ORDINAL_UNITS.get(word, 1)
        j = i + 1
        tens = _DAY_ORDINAL_TENS.get(p.words[j]) if j < p.n else None
        if tens and unit < 10 and (tens > 10 or unit >= 1):
            day, j = unit + tens, j + 1
        elif word == _key("الحادي"):
            return None  # الحادي alone is no day
        else:
            day = unit
    else:
        return None
    if day > 31 or j >= p.n or p.words[j] != "من":
        return None
    if (p.match(_relative()["month"], j + 1) is None) if relative_month else (p.month(j + 1) is None):
        return None
    before = p.words[i - 1] if i > 0 else ""
    bare = before[2:] if before.startswith("لل") else before[1:] if before[:1] in "وبلف" else before
    if before and (before in _PERIOD_NOUNS or bare in _PERIOD_NOUNS or ("ال" + bare) in _PERIOD_NOUNS
                   or _names_a_day(before)):
        # النصف الثاني من مايو, الأسبوع الأول من يونيو: a part of the month; مدينة السادس من
        # أكتوبر: a place named after its day
        return None
    return day, j + 1


_PERIOD_NOUNS = frozenset(_key(w) for w in (
    "النصف الربع الثلث الأسبوع الاسبوع العشر العشرة الشطر الجزء الفصل الموسم"
    " المركز المرتبة الترتيب الشوط الدور الجولة").split())  # and ranks: المركز الثاني من


def _day_month_year(p: _Parser, i: int) -> dict | None:
    """day [من] month [/month | (month)] [year [م|هـ]] [الجاري|المقبل|الماضي] at token i; the
    day in digits or as an ordinal before من (الخامس من مايو)."""
    day = p.number(i, 1, 31)
    j = i
    if day is not None:
        j = i + 1
        if j < p.n and p.words[j] == "من":
            j += 1
    elif i < p.n and p.words[i] in _DAY_ORDINAL_FIRSTS and (ordinal := _ordinal_day(p, i)) is not None:
        day, j = ordinal
    found = p.month(j)
    if found is None:
        return None
    j, month, calendar = found
    # a bare ambiguous month name (آب/أب, رمضان, مارس...) needs a year after it
    if (
        day is None
        and _strip_wa(p.words[found[0] - 1]) in _AMBIGUOUS_MONTHS
        and not (i > 0 and p.words[i - 1] in ("شهر", "لشهر", "بشهر"))
        and not (j < p.n and p.number(j, 1900, 2100))
        and not (j + 1 < p.n and p.words[j] in _YEAR_NOUNS_AFTER and p.words[j + 1] in _YEAR_OFFSETS)
        # a Hijri month before its year (شوال 1433هـ, رجب 1395 هـ)
        and not (calendar == "hijri" and j + 1 < p.n and p.number(j, 1300, 1500)
                 and p.words[j + 1] in ("ه", "هـ"))
    ):
        return None
    # combined series: تموز/يوليو, تموز (يوليو), and side by side: أغسطس آب, مارس آذار (the
    # same month in the other series; a different month is another date)
    if j + 1 < p.n and p.words[j] in ("/", "-", "(") and p.month(j + 1):
        k = p.month(j + 1)[0]
        if p.words[j] == "(" and k < p.n and p.words[k] == ")":
            k += 1
        j = k
    elif j < p.n and (again := p.month(j)) is not None and again[1] == month and again[2] == calendar:
        j = again[0]
    year = None
    # نيسان (26/4/1947), حزيران (1984): the month written again as numbers in brackets
    if day is None and j + 2 < p.n and p.words[j] == "(":
        inner = _numeric_date(p, j + 1)
        if (
            inner
            and inner["month"] == month
            and inner["end"] < p.n
            and p.words[inner["end"]] == ")"
        ):
            return {**inner, "calendar": calendar, "end": inner["end"] + 1}
        if p.number(j + 1, 1000, 2100) and j + 2 < p.n and p.words[j + 2] == ")":
            return {
                "day": None,
                "month": month,
                "calendar": calendar,
                "year": int(p.words[j + 1]),
                "end": j + 3,
                "direction": "",
            }
    if (
        j + 2 < p.n
        and p.words[j] == "من"
        and p.words[j + 1] in ("عام", "العام", "سنه")
        and p.words[j + 2].isdecimal()
        and len(p.words[j + 2]) == 4
    ):
        j += 1  # 25 من مارس من عام 2015: "of the year"
    if (
        j + 1 < p.n
        and p.words[j] in ("عام", "العام", "سنه")
        and p.words[j + 1].isdecimal()
        and len(p.words[j + 1]) == 4
    ):
        j += 1  # نوفمبر عام 2016
    if j < p.n and p.words[j].isdecimal() and len(p.words[j]) == 4:
        year = int(p.words[j])
        j += 1
        if j < p.n and p.words[j] in ("م", "ه", "هـ"):
            j += 1
    elif j < p.n and (p.words[j].startswith(("14", "13")) and p.words[j][:4].isdecimal()):
        pass
    year_offset = None
    if (year is None and j + 2 < p.n and p.words[j] == "من" and p.words[j + 1] in _YEAR_NOUNS_AFTER
            and p.words[j + 2] in _YEAR_OFFSETS):
        j += 1  # ديسمبر من العام الماضي
    if year is None and j + 1 < p.n and p.words[j] in _YEAR_NOUNS_AFTER and p.words[j + 1] in _YEAR_OFFSETS:
        year_offset = _YEAR_OFFSETS[p.words[j + 1]]  # 6 أغسطس العام الماضي: last year's August
        j += 2
    direction = ""
    if j < p.n and year_offset is None:
        found_dir = p.match(_relative()["direction"], j, strip=False)
        if found_dir:
            j, direction = found_dir
        else:
            direction = _month_then_dual(p, j)  # بين سبتمبر ويناير الماضيين: both the last ones
    if not direction and year is None and _since_before(p, i):
        direction = "past"  # منذ سبتمبر: the last September, not the coming one
    if year is None and _every_year_after(p, j):
        return None  # في شهور يناير ويوليو من كل عام, 25 ديسمبر من كل عام: every year's, no date
    return {
        "day": day,
        "month": month,
        "calendar": calendar,
        "year": year,
        "end": j,
        "direction": direction,
        "year_offset": year_offset,
    }


_YEAR_NOUNS_AFTER = frozenset(_key(w) for w in "العام عام السنة سنة".split())
_YEAR_OFFSETS = {_key(w): n for w, n in (("الماضي", -1), ("المنصرم", -1), ("الفائت", -1), ("السابق", -1),
                                          ("المقبل", 1), ("القادم", 1), ("الحالي", 0), ("الجاري", 0))}


def _since_before(p: _Parser, i: int) -> bool:
    """منذ (or منذ شهر, منذ مطلع/منتصف) just before token i."""
    k = i - 1
    if k >= 0 and p.words[k] in ("شهر", "مطلع", "منتصف", "اواخر", "بدايه", "نهايه"):
        k -= 1
    return k >= 0 and _strip_wa(p.words[k]) == "منذ"


def _numeric_date(p: _Parser, i: int) -> dict | None:
    """11/7/2016, 11-7-2016, 2016-07-11 (digits separated by / - or .)."""
    w = p.words
    parts = []
    j = i
    while j < p.n and w[j].isdecimal() and len(parts) < 3:
        parts.append(int(w[j]))
        if len(parts) < 3:
            if j + 1 < p.n and w[j + 1] in ("/", "-") and j + 2 < p.n and w[j + 2].isdecimal():
                j += 2
                continue
            break
        j += 1
    if len(parts) != 3:
        return None
    if 1000 <= parts[0] <= 2100:
        y, m, d = parts
    elif 1000 <= parts[2] <= 2100:
        d, m, y = parts
    else:
        return None
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return {
        "day": d,
        "month": m,
        "calendar": "hijri" if y < 1600 else "gregorian",
        "year": y,
        "end": j,
        "direction": "",
    }


def _weekday_of(p: _Parser, i: int) -> tuple[int, int] | None:
    found = p.match(_relative()["weekday"], i)
    if found:
        # اثنين without ال is the number (مواطنين اثنين, اثنين من الجنود) unless يوم names it
        if _strip_wa(p.words[i]) == "اثنين" and not (i > 0 and p.words[i - 1] in ("يوم", "ويوم")):
            return None
        return found[0], int(found[1])
    return None


def _recurring(p: _Parser, k: int) -> bool:
    """أيام الأحد والثلاثاء، يومي الإثنين والثلاثاء، كل جمعة: recurring days, not dates."""
    back = k - 1
    while back >= 0 and (_weekday_of(p, back) or p.words[back] in (",", "و")):
        back -= 1
    return back >= 0 and p.words[back] in ("ايام", "يومي", "كل", "وايام", "ويومي")


def _convert(year: int, month: int, day: int, calendar: str) -> date | None:
    try:
        if calendar == "hijri":
            from hijridate import Hijri

            g = Hijri(year, month, day).to_gregorian()
            return date(g.year, g.month, g.day)
        return date(year, month, day)
    except (ValueError, OverflowError, ImportError):
        return None


def _hijri_year(d: date) -> int:
    try:
        from hijridate import Gregorian

        return Gregorian(d.year, d.month, d.day).to_hijri().year
    except (ValueError, OverflowError, ImportError):
        return round((d.year - 622) * 33 / 32)


def _pick_year(month: int, day: int, calendar: str, ref: date, direction: str) -> date | None:
    base = _hijri_year(ref) if calendar == "hijri" else ref.year
    options = [d for y in (base - 1, base, base + 1) if (d := _convert(y, month, day, calendar))]
    if not options:
        return None
    if direction == "current":
        same = [d for d in options if (d.year, d.month) == (ref.year, ref.month)]
        if calendar == "gregorian":
            same = [d for d in options if d.year == ref.year]
        if same:
            return same[0]
    if direction == "future":
        later = [d for d in options if d >= ref]
        if later:
            return min(later)
    if direction == "past":
        earlier = [d for d in options if d <= ref]
        if earlier:
            return max(earlier)
    return min(options, key=lambda d: abs((d - ref).days))


def _resolve_weekday(weekday: int, ref: date, direction: str) -> date:
    """The day of `weekday` nearest `ref` in `direction`: ``future``/``past`` (المقبل, الماضي
    written: never `ref` itself), ``ahead`` (the context looks forward: `ref` or later), or
    "" (`ref` or earlier: news mostly reports what happened)."""
    delta = (weekday - ref.weekday()) % 7
    if direction == "future":
        return ref + timedelta(days=delta or 7)
    if direction == "ahead":
        # تبدأ الجولة الجمعة in copy dated Friday: the copy was written the day before (a print
        # edition, a crawl date), not a week ahead
        return ref + timedelta(days=delta)
    if direction == "past":
        return ref - timedelta(days=(ref.weekday() - weekday) % 7 or 7)
    if delta == 0:
        return ref
    return ref - timedelta(days=(ref.weekday() - weekday) % 7)


def _perfect_before(words: Sequence[str]) -> bool:
    """قد + a past verb right before the cue (المغتربون قد دخلوا اعتبارا من الأربعاء): done, not
    ahead. Not قد + an imperfect (قد يبدأ: a maybe), nor a decision whose object is a plan (لقد
    قرر المجلس أن يبدأ الإضراب الأحد: أن after the verb still looks ahead)."""
    for k, w in enumerate(words):
        if w in ("قد", "لقد", "وقد") and k + 1 < len(words) and words[k + 1][:1] not in "يتنأا":
            # قد حددت الهيئة موعد الاقتراع الأحد: a date set, still ahead
            return (_strip_wa(words[k + 1]) not in _SET_A_DATE
                    and not any(x in ("ان", "أن", "بان", "بأن", "موعد") for x in words[k + 2:]))
    return False


_SET_A_DATE = frozenset(_key(w) for w in "حدد حددت قرر قررت أقر أقرت حدد حددوا قرروا".split())


def _future_context(p: _Parser, i: int) -> bool:
    """A cue in the ten words before token i says the weekday lies ahead (يعقد, سيزور, من
    المقرر), unless كان stands just before the cue: a plan told in the past."""
    start = max(0, i - 10)
    words = p.words[start:i]
    for k, w in enumerate(words):
        listed = w in _FUTURE_CUES or _strip_wa(w) in _FUTURE_CUES
        # a verb not listed only when it opens a clause (وسيلعب, قال إنه سيعلن, أن الحكومة ستناقش) or stands near
        # the weekday (سينتقل كيري الاثنين): names start the same way (ستيفان, سيريزا)
        opens = w[0] in "وف" or any(x in _THAT for x in words[max(0, k - 2):k])
        if listed or (_future_verb(w) and (opens or len(words) - k <= 3)):
            before = p.words[max(0, start + k - 4) : start + k]
            if not any(x in _WAS for x in before) and not _perfect_before(before):
                return True
    return False


def _tomorrow_ahead(p: _Parser, i: int, weekday: int, ref: date) -> bool:
    """A weekday with no cue either way that names the day after the publication date is that
    day, not the one six days back: يلتقي الزعيمان الجمعة in Thursday's copy, or copy dated late
    on Thursday UTC that is already Friday where it was written (غادر بيونغ يانغ فجر الجمعة).
    Not a plan or a pluperfect told with كان (وكانت المتحدثة أعلنت مساء الجمعة), nor قد + a past
    verb."""
    if (weekday - ref.weekday()) % 7 != 1:
        return False
    before = p.words[max(0, i - 10):i]
    return not any(x in _WAS for x in before) and not _perfect_before(before[-4:])


def _week_after(p: _Parser, j: int) -> str:
    """الأحد والاثنين في الأسبوع المقبل, يوم الاثنين أو الثلاثاء من الأسبوع الماضي: the week
    written after a list of weekdays gives their direction."""
    while j < p.n and (p.words[j] in ("و", "او", ",", "،", "يوم") or _weekday_of(p, j)):
        j = _weekday_of(p, j)[0] if _weekday_of(p, j) else j + 1
    if j + 1 < p.n and p.words[j] in ("في", "من", "خلال"):
        found = p.match(_relative()["week"], j + 1, strip=False)
        if found and found[1] != "0":
            return "future" if int(found[1]) > 0 else "past"
    return ""


# four-letter words that start like a future verb of a two-letter stem (ستبث, سيتم, ستقع) but
# are nouns or numbers: ستون شخصا الأحد is no plan
_NOT_FUTURE_FOUR = frozenset(_key(w) for w in (
    "سيدة سيرة ستون ستين سنين سيئة سيئ سيرك سيفا سينا سيول ستار سنتر سيده سيره سيئه"
    " سنتا سنتي ستوك").split())


def _future_verb(word: str) -> bool:
    """سيعقد, وستبدأ, سنواصل, ستبث: س on an imperfect verb (of a stem of two letters or
    more: ستبث, سيتم)."""
    word = _strip_wa(word)
    return (
        (len(word) >= 5 or (len(word) == 4 and word not in _NOT_FUTURE_FOUR))
        and word.startswith(_FUTURE_PREFIX)
        and not word.startswith(_NOT_FUTURE_STEMS)
        and not _a_name(word)
    )


@lru_cache(maxsize=4096)
def _a_name(word: str) -> bool:
    """A name the NER resources know (a place, body or person): سنغافورة is no future verb."""
    from khabar.extract.known_names import known_names
    from khabar.extract.ner import load_extractor, word_key

    key = word_key(word)
    if known_names().entries.get((key,), "O") != "O":
        return True
    extractor = load_extractor()
    counts = extractor.lexicon.get(key)
    if counts and counts.get("O", 0) * 2 < sum(counts.values()):
        return True
    return any(gaz.single(key) for _src, gaz in extractor.gazetteers)


def find_dates(
    text: str,
    spans: Iterable[tuple[int, int]] | None = None,
    *,
    published: datetime | date | None = None,
    candidate_years: Iterable[int] = CANDIDATE_YEARS,
    infer_reference: bool = True,
) -> list[DateMention]:
    """Date mentions in `text` within the (body sentence) `spans`, resolved against `published`."""
    norm, windows = sentence_windows(text, spans)
    ref = published.date() if isinstance(published, datetime) else published
    ref_dt = published if isinstance(published, datetime) else None
    years = tuple(candidate_years)
    found: list[tuple[DateMention, bool]] = []
    for wstart, wend in windows:
        toks = tokens(norm.text, wstart, wend)
        found.extend(_window_dates(text, norm, toks, ref, ref_dt, years))
    out = _range_years(text, _under_year_headings(text, _days_listed_before(
        text, [_without_glued_wa(m) for m in _one_day_per_weekday(found)])))
    if ref is None and infer_reference:
        guessed = _reference_from_text(out)
        if guessed is not None:
            again = find_dates(
                text, spans, published=guessed, candidate_years=years, infer_reference=False
            )
            return [
                m
                if m.resolved_by == "explicit"
                else replace(m, resolved_by=m.resolved_by + "+text_date")
                for m in again
            ]
    return out


_DIGITS = "[0-9\u0660-\u0669\u06f0-\u06f9]"
# a chronology's heading: a year alone on its line (- 2013 -, 2017:, عام 2015)
_YEAR_HEADING_RE = re.compile(
    rf"^[ \t\u00a0*•\-–—]*(?:عام|العام|سنة)?\s*((?:19|20){_DIGITS}{{2}}|[١٢][٩٠][٠-٩]{{2}})[ \t\u00a0:*•\-–—]*$",
    re.MULTILINE)


def _under_year_headings(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """A day and month that open a line under a chronology's year heading (`- 2013 -` on its
    own line, then `30 كانون الثاني/يناير: …`; two headings at least) are of that year, not of
    the publication's."""
    if not mentions or not any(m.resolved_by == "publication_year" for m in mentions):
        return mentions
    headings = [(h.start(), h.group(1).translate(_TO_ASCII)) for h in _YEAR_HEADING_RE.finditer(text)]
    if len(headings) < 2:
        return mentions  # a chronology has several; one figure alone on a line is no heading
    out = []
    for m in mentions:
        year = next((y for at, y in reversed(headings) if at < m.start), None)
        # an entry of the chronology opens its line with its date; a sentence after it is news
        line_start = text.rfind("\n", 0, m.start) + 1
        opens_line = not text[line_start:m.start].strip(" \t\u00a0*•-–—")
        if (year is not None and opens_line and m.resolved_by == "publication_year" and m.calendar == "gregorian"
                and m.value[:4].isdigit() and m.value[:4] != year):
            value = year + m.value[4:]
            try:
                date.fromisoformat(value if len(value) == 10 else value + "-01")
            except ValueError:  # 29 February of a year without one
                out.append(m)
                continue
            m = replace(m, value=value, resolved_by="year_heading")
        out.append(m)
    return out


# a day number and what joins it to the dated day after it: 26 و28 آذار, 26-28 آذار, من 26 إلى
# 28 آذار, 26 و27 و28 مارس (the number not itself the end of a score or a numeric date: 3-1, 23/4)
_DAY_BEFORE_RE = re.compile(
    rf"(?<![0-9\u0660-\u0669\u06f0-\u06f9/\-–.])\s*({_DIGITS}{{1,2}})\s*(و|-|–|إلى|الى|حتى)\s*$")
_WRITTEN_DAY_RE = re.compile(rf"({_DIGITS}{{1,2}})\s+[^\W\d_]")
_RANGE_OPENERS = frozenset(("من", "بين", "في", "الفترة", "يومي", "أيام", "ايام"))
_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _days_listed_before(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """The days a range or list writes before a dated day (بين 26 و28 آذار: the 26th too, the
    first day of the vote), as mentions of their own, counted back from that day (so a Hijri
    month's days land right too). A joiner other than و needs a range word before the first
    number (من 10 إلى 12 شوال, الفترة 5-7 مايو), not a score or a toll (3-1، …, إلى 12 حتى …)."""
    out: list[DateMention] = []
    for m in mentions:
        written = _WRITTEN_DAY_RE.match(m.text)
        if m.granularity == "day" and len(m.value) == 10 and m.value[:4].isdigit() and written:
            last = int(written.group(1).translate(_TO_ASCII))
            dated = date.fromisoformat(m.value)
            end = m.start
            earlier: list[tuple[int, int, int]] = []
            joiners: set[str] = set()
            while True:
                found = _DAY_BEFORE_RE.search(text, max(0, end - 16), end)
                if found is None:
                    break
                day = int(found.group(1).translate(_TO_ASCII))
                if not 1 <= day < last:
                    break
                joiners.add(found.group(2))
                earlier.append((found.start(1), found.end(1), day))
                last, end = day, found.start(1)
            if earlier and joiners - {"و"}:
                before = text[max(0, end - 12):end].split()
                if not before or before[-1] not in _RANGE_OPENERS:
                    earlier = []
            first = int(written.group(1).translate(_TO_ASCII))
            for s, e, day in reversed(earlier):
                out.append(replace(m, start=s, end=e, text=text[s:e], weekday="", relative="",
                                   value=(dated - timedelta(days=first - day)).isoformat()))
        out.append(m)
    return out


_RANGE_JOINERS = frozenset(("إلى", "الى", "حتى", "وحتى", "و", "-", "–", "لغاية", "ولغاية", "وإلى", "والى"))
_RANGE_STARTS = frozenset(("من", "بين", "الفترة", "خلال", "منذ"))


def _range_years(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """A range's first date takes the year written once at its end (من 1 يناير إلى 30 يونيو
    2015: January 2015, not the January after the publication; من 1 ديسمبر إلى 31 يناير 2016:
    December 2015). Gregorian dates of a month or a day whose year only the publication gave."""
    out = list(mentions)
    for n in range(len(out) - 1):
        a, b = out[n], out[n + 1]
        if not (a.resolved_by == "publication_year" and b.resolved_by == "explicit"
                and a.calendar == b.calendar == "gregorian" and len(a.value) >= 7 and len(b.value) >= 7
                and a.value[:4].isdigit() and b.value[:4].isdigit()):
            continue
        between = text[a.end:b.start].split()
        if len(between) != 1 or between[0] not in _RANGE_JOINERS:
            continue
        before = text[max(0, a.start - 12):a.start].split()
        pair = between[0] == "و" and (len(a.value) >= 10) == (len(b.value) >= 10)  # يناير وفبراير 2017
        if between[0] in ("و", "-", "–") and not (before and before[-1] in _RANGE_STARTS) and not pair:
            continue
        year = int(b.value[:4]) - (1 if a.value[5:7] > b.value[5:7] else 0)
        try:
            value = date(year, int(a.value[5:7]), int(a.value[8:10])).isoformat() if len(a.value) >= 10 \
                else f"{year:04d}{a.value[4:7]}"
        except ValueError:
            continue  # 29 February of a year that has none
        out[n] = replace(a, value=value, resolved_by="explicit", candidates=())
    return out


def _one_day_per_weekday(found: list[tuple[DateMention, bool]]) -> list[DateMention]:
    """A weekday read as ahead only from its context (a future verb before it, no المقبل) takes
    the day of an earlier mention of that weekday in the same text: وافقت المنظمة الاثنين ...
    وسيجري احتفال بعد ظهر الاثنين is one Monday, the copy was written that day."""
    days: dict[str, str] = {}
    out: list[DateMention] = []
    for m, bare in found:
        if m.weekday and m.granularity == "day" and len(m.value) == 10 and m.value[:4].isdigit():
            if bare and m.weekday in days and days[m.weekday] < m.value:
                m = replace(m, value=days[m.weekday])
            elif date.fromisoformat(m.value).weekday() == WEEKDAY_NAMES.index(m.weekday):
                days.setdefault(m.weekday, m.value)
        out.append(m)
    return out


def _reference_from_text(mentions: list[DateMention]) -> date | None:
    """The article's own date when it has no publication date: one of the first explicit full
    dates written as today or with its weekday (اليوم الأحد 15 آذار 2026, الثلاثاء 10 مارس 2026)."""
    for m in mentions[:3]:
        explicit_day = m.resolved_by == "explicit" and m.granularity == "day" and len(m.value) == 10
        if explicit_day and (m.relative == "0 day" or m.weekday):
            return date.fromisoformat(m.value)
    return None


_TRIGGERS: frozenset[str] | None = None


def _triggers() -> frozenset[str]:
    global _TRIGGERS
    if _TRIGGERS is None:
        words: set[str] = set()
        for table in _relative().values():
            for key in table:
                words.add(key[0])
        for key in _months():
            words.add(key[0])
        words |= {"يوم", "قبل", "منذ", "بعد", "هذا", "هذه", "خلال", "الموافق", "شهر"}
        words |= _YEAR_CUES
        words |= set(_DAY_ORDINAL_UNITS) | set(_DAY_ORDINAL_ALONE) | {_key("الحادي")}  # الخامس من مايو
        words |= {"و" + w for w in list(words)} | {"ف" + w for w in list(words)}
        words |= {"ب" + w for w in list(words) if w.startswith("ال")}
        _TRIGGERS = frozenset(words)
    return _TRIGGERS


@lru_cache(maxsize=1)
def _holiday_starts() -> frozenset[str]:
    """The words a holiday phrase may start at (عيد, وبعيد, ثاني, ليلة, رمضان ...)."""
    words = {key[0] for key in _holidays()} | set(_NTH_DAYS) | set(_EVE)
    words |= {c + w for w in list(words) for c in "بلك"}
    return frozenset(words | {c + w for w in list(words) for c in "وف"})


@lru_cache(maxsize=1)
def _holiday_triggers() -> frozenset[str]:
    """Those of them that start no other date."""
    return _holiday_starts() - _triggers()


def _window_dates(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    ref: date | None,
    ref_dt: datetime | None,
    years: tuple[int, ...],
) -> list[tuple[DateMention, bool]]:
    """The mentions of one window, each with whether it is a bare weekday."""
    p = _Parser(toks)
    triggers = _triggers()
    holidays = _holiday_triggers()
    out: list[tuple[DateMention, bool]] = []
    i = 0
    while i < p.n:
        w = p.words[i]
        if w in holidays:
            found = _holiday(p, i, ref)
        elif not (w in triggers or w[0].isdecimal()):
            i += 1
            continue
        else:
            try:
                found = _parse_at(p, i, ref, ref_dt, years)
            except OverflowError:  # the calendar cannot hold it (before year 1 or after 9999)
                found = None
        if found is None:
            i += 1
            continue
        end, fields = found
        first = fields.pop("_start", i)
        bare = fields.pop("_bare", False)
        if fields.get("resolved_by") != "explicit" and _named_after_its_day(p.words, first):
            i = end
            continue
        start_o, end_o = norm.to_original(toks[first].start, toks[end - 1].end)
        out.append((DateMention(start_o, end_o, text[start_o:end_o], **fields), bare))
        i = end
    return out


# a coalition, a revolution, a war or a place named after its day (قوى 14 آذار, ثورة 25 يناير,
# مدينة 6 أكتوبر): without a year written, no day of the article's year
_NAMED_BY_DAY = frozenset(_key(w) for w in (
    "قوى فريق فريقي تحالف تيار حركة كتلة معسكر ائتلاف ثورة انتفاضة حراك حرب"
    " مدينة جسر كوبري شارع ميدان ساحة حي جامعة").split())
_LIST_JOINERS = frozenset(("و", "-", "–", "،", ","))


def _named_after_its_day(words: Sequence[str], first: int) -> bool:
    """The day and month at `first` follow a noun named after them, maybe over a list of other
    days (فريقي 8 و14 آذار)."""
    if not words[first][:1].isdecimal():
        return False
    k = first - 1
    while k >= 0 and first - k <= 6 and (words[k][:1].isdecimal() or words[k] in _LIST_JOINERS):
        k -= 1
    if k < 0:
        return False
    return _names_a_day(words[k])


def _names_a_day(word: str) -> bool:
    """A noun named after a day (مدينة 6 أكتوبر, بمدينة السادس من أكتوبر, فريق 14 آذار)."""
    return word in _NAMED_BY_DAY or (len(word) > 3 and word[0] in "ولب" and word[1:] in _NAMED_BY_DAY)


# عين اليوم is 3alyoum's own name (its credit line "عين اليوم – جدة", لعين اليوم in the copy)
_OUTLET_TODAY_ALWAYS = frozenset(_key(w) for w in ["عين"])
# مصر اليوم, الشرق اليوم: an outlet's name only when told so (صحيفة مصر اليوم, «الشرق اليوم»,
# a masthead "مصر اليوم –"); تشهد مصر اليوم انتخابات is today
_OUTLET_TODAY = frozenset(
    _key(w) for w in ["مصر", "الشرق", "روسيا", "فلسطين", "الخليج", "الجزائر", "المغرب", "لبنان"]
)
_MEDIA_NOUNS = frozenset(
    _key(w) for w in ["صحيفة", "جريدة", "موقع", "بوابة", "مجلة", "قناة", "شبكة", "تلفزيون"]
)
_QUOTES = frozenset(['"', "«", "»", "'", "(", ")"])
_DASHES = frozenset([":", "-", "|", "–", "—"])


def _unprefixed(word: str) -> str:
    """وعين, لعين, بصحيفة: the word without a one-letter conjunction or preposition."""
    if len(word) > 3 and word[0] in "وفلب":
        return word[1:]
    return word


def _outlet_today(p: _Parser, j: int, k: int) -> bool:
    """اليوم at token j (ending at k) is the end of an outlet's name, not today."""
    if j == 0:
        return False
    w = p.words
    name = _unprefixed(w[j - 1])
    if name in _OUTLET_TODAY_ALWAYS or w[j - 1] in _OUTLET_TODAY_ALWAYS:
        return True
    if name not in _OUTLET_TODAY and w[j - 1] not in _OUTLET_TODAY:
        return False
    before = w[j - 2] if j >= 2 else ""
    after = w[k] if k < p.n else ""
    return (
        _unprefixed(before) in _MEDIA_NOUNS
        or before in _MEDIA_NOUNS
        or (before in _QUOTES and after in _QUOTES)
        or (j == 1 and after in _DASHES)
    )


def _day_word(p: _Parser, j: int) -> tuple[int, int] | None:
    """A relative day (أمس, اليوم, غدا) at token j: (index after, day offset)."""
    found = p.match(_relative()["day"], j)
    if not found:
        return None
    w = p.words
    k, value = found
    phrase = w[j]
    # اليوم الأول / اليوم الوطني: "the day", not today
    if (
        phrase.endswith("اليوم")
        and k < p.n
        and w[k].startswith("ال")
        and w[k] not in _PARTICLES
        and not _weekday_of(p, k)
    ):
        return None
    if phrase == "اليوم" and j > 0 and w[j - 1].startswith("ال") and (k >= p.n or w[k] in _DASHES):
        return None  # a masthead: الخليج اليوم:
    if phrase == "اليوم" and _outlet_today(p, j, k):
        return None
    if phrase in ("الغد",) and k < p.n and w[k].startswith("ال") and not _weekday_of(p, k):
        return None
    if phrase == "غد" and not (k < p.n and _weekday_of(p, k)):
        return None  # غد الثلاثاء is tomorrow; غد أفضل is no day
    return k, int(value)


def _parse_at(
    p: _Parser, i: int, ref: date | None, ref_dt: datetime | None, years: tuple[int, ...]
) -> tuple[int, dict] | None:
    if p.words[i] in _holiday_starts() or p.words[i] in ("اليوم", "يوم"):
        holiday = _holiday(p, i, ref)
        if holiday is not None:
            return holiday
    rel = _relative()
    w = p.words
    j = i
    part = ""
    found = p.match(rel["part"], j)
    if found and found[0] < p.n:
        # a part of the day only starts a date when a day word follows
        k = found[0]
        if k < p.n and w[k] == "يوم":
            k += 1
        if (
            p.match(rel["day"], k)
            or _weekday_of(p, k)
            or _day_month_year(p, k)
            or p.match(rel["part"], k)
        ):
            part = found[1]
            j = k
            inner = p.match(rel["part"], j)  # منتصف ليلة
            if inner and (p.match(rel["day"], inner[0]) or _weekday_of(p, inner[0])):
                j = inner[0]
    day_offset = None
    day = _day_word(p, j)
    if day is not None:
        j, day_offset = day
    elif j < p.n and w[j] in ("يوم", "ويوم") and j + 1 < p.n and w[j + 1] in ("امس", "الامس"):
        day_offset = -1
        j += 2
    weekday = None
    k = j
    if k < p.n and w[k] in ("يوم", "ويوم"):
        k += 1
    found_wd = _weekday_of(p, k)
    if found_wd and day_offset is None and not part and _recurring(p, k):
        return None
    if found_wd:
        j, weekday = found_wd
        # خطبة الجمعة غدا, الأربعاء أمس: one mention, the relative word gives the week (the
        # weekday alone had been read as last Friday while غدا said the coming one)
        if day_offset is None and (after := _day_word(p, j)) is not None:
            j, day_offset = after
    elif (
        day_offset is not None
        and k + 2 < p.n
        and w[k] == "("
        and (inner := _weekday_of(p, k + 1))
        and inner[0] < p.n
        and w[inner[0]] == ")"
    ):
        j, weekday = inner[0] + 1, inner[1]  # غدا (السبت)
    # ليلة الأحد إلى الإثنين
    if (
        weekday is not None
        and part
        and j + 1 < p.n
        and w[j] in ("الي", "علي")
        and _weekday_of(p, j + 1)
    ):
        j = _weekday_of(p, j + 1)[0]
    explicit = None
    k = j
    if weekday is not None and k < p.n and w[k] in (",", "،"):
        k += 1
    if k < p.n and (weekday is not None or day_offset is not None or k == i or part):
        explicit = _numeric_date(p, k) or _day_month_year(p, k)
        if explicit:
            j = explicit["end"]
    # الموافق: a second writing of the same day in the other calendar
    if explicit and j + 1 < p.n and w[j] in ("الموافق", "والموافق", "الموافقه"):
        other = _numeric_date(p, j + 1) or _day_month_year(p, j + 1)
        if other:
            j = other["end"]
            if other["calendar"] == "gregorian" or explicit["calendar"] != "gregorian":
                explicit = (
                    {**other, "end": j} if other["year"] or not explicit["year"] else explicit
                )
    direction = ""
    if weekday is not None and not explicit and j < p.n:
        found_dir = p.match(rel["direction"], j, strip=False)
        if found_dir:
            j, direction = found_dir
    # a part of the day written after: الأربعاء مساء
    if (
        (weekday is not None or day_offset is not None)
        and j < p.n
        and w[j] in ("صباحا", "مساء", "ظهرا", "فجرا", "ليلا", "عصرا")
    ):
        if not part:
            part = p.match(rel["part"], j)[1] if p.match(rel["part"], j) else ""
        j += 1
    fields: dict = {}
    if part:
        fields["part_of_day"] = {
            "09": "morning",
            "05": "dawn",
            "12": "noon",
            "16": "afternoon",
            "19": "evening",
            "22": "night",
            "00": "midnight",
        }.get(part, part)
    if weekday is not None:
        fields["weekday"] = WEEKDAY_NAMES[weekday]
    if day_offset is not None:
        fields["relative"] = f"{day_offset} day"
    if explicit:
        return j, {**fields, **_resolve_explicit(explicit, weekday, ref, years)}
    if day_offset is not None:
        if ref is None:
            return j, {**fields, "resolved_by": "unanchored"}
        value = ref + timedelta(days=day_offset)
        if weekday is not None and value.weekday() != weekday:
            # غدا الاثنين against a date that is not a Sunday: the weekday is what was written,
            # the publication date may be a crawl date; take that weekday nearest the offset day
            shift = (weekday - value.weekday()) % 7
            value += timedelta(days=shift if shift <= 3 else shift - 7)
            if day_offset <= 0 and value > ref:
                value -= timedelta(days=7)  # أمس (الأحد) is never after the publication day
            return j, {**fields, "value": value.isoformat(), "resolved_by": "relative+weekday"}
        return j, {**fields, "value": value.isoformat(), "resolved_by": "relative"}
    if weekday is not None:
        if direction == "":
            direction = _week_after(p, j) or ("ahead" if _future_context(p, i) else "")
        if direction == "" and ref is not None and _tomorrow_ahead(p, i, weekday, ref):
            direction = "ahead"
        if ref is None:
            return j, {**fields, "resolved_by": "unanchored"}
        bare = direction == "ahead"
        value = _resolve_weekday(weekday, ref, direction)
        return j, {**fields, "value": value.isoformat(), "resolved_by": "weekday", "_bare": bare}
    if j != i:
        return None
    return (_day_of_relative_month(p, i, ref) or _period(p, i, ref, ref_dt) or _year(p, i)
            or _month_only(p, i, ref))


# في 22 من الشهر الجاري, يوم الـ 5 من الشهر الماضي, حتى 19 من الشهر الحالي: a number names a day
# only after a word that dates (22 من الشهر الماضي alone may be a count of its days)
_BEFORE_A_DAY_NUMBER = frozenset(_key(w) for w in (
    "في وفي يوم ويوم حتى وحتى منذ ومنذ الى إلى والى وإلى قبل بعد بحلول الـ ال و").split())


def _day_of_relative_month(p: _Parser, i: int, ref: date | None) -> tuple[int, dict] | None:
    """A day of a month counted from the publication: الأول من الشهر المقبل, في 22 من الشهر
    الجاري, العاشر من الشهر الماضي."""
    w = p.words
    day = p.number(i, 1, 31)
    if day is not None:
        if not (i > 0 and w[i - 1] in _BEFORE_A_DAY_NUMBER) or i + 1 >= p.n or w[i + 1] != "من":
            return None
        j = i + 2
    elif w[i] in _DAY_ORDINAL_FIRSTS and (ordinal := _ordinal_day(p, i, relative_month=True)) is not None:
        day, j = ordinal
    else:
        return None
    found = p.match(_relative()["month"], j)
    if found is None:
        return None
    end, offset = found[0], int(found[1])
    fields = {"relative": f"{offset} month"}
    if ref is None:
        return end, {**fields, "resolved_by": "unanchored"}
    m = ref.month - 1 + offset
    try:
        value = date(ref.year + m // 12, m % 12 + 1, day)
    except ValueError:
        return None  # 31 من الشهر المقبل in a month of 30 days: no such day
    return end, {**fields, "value": value.isoformat(), "resolved_by": "relative"}


@lru_cache(maxsize=1)
def _holidays() -> dict[tuple[str, ...], tuple[str, int, int, bool]]:
    """holidays.tsv: phrase key -> (calendar, month, day, whether the phrase alone names a day)."""
    return {tuple(_key(phrase).split()): (calendar, int(month), int(day), alone == "day")
            for phrase, calendar, month, day, alone in load_table("holidays.tsv")}


#: أول أيام عيد الفطر, ثالث أيام عيد الأضحى, أول يوم من رمضان: the n-th day of a holiday
_NTH_DAYS = {_key(w): n for n, w in enumerate(("أول", "ثاني", "ثالث", "رابع", "خامس"), 1)}
#: اليوم الأول / الثاني من عيد الأضحى
_NTH_DAY_ORDINALS = {_key(w): n for n, w in enumerate(("الأول", "الثاني", "الثالث", "الرابع", "الخامس"), 1)}
#: ليلة عيد الفطر, عشية عيد الأضحى: the evening before the holiday's day
_EVE = {_key("ليلة"): "night", _key("عشية"): "evening"}
_YEAR_WORDS = frozenset(_key(w) for w in ("عام", "لعام", "العام", "سنة", "لسنة"))


def _holiday_phrase(p: _Parser, j: int) -> tuple[int, tuple[str, int, int, bool]] | None:
    """The longest holidays.tsv phrase at token j, its first word perhaps with و/ف and ب/ل/ك
    glued on (وبعيد الفطر)."""
    if j >= p.n:
        return None
    table = _holidays()
    firsts = _first_words(id(table), table)
    word = p.words[j]
    bare = _strip_wa(word)
    forms = [f for f in (word, bare, bare[1:] if bare[:1] in "بلك" else "") if f in firsts]
    for size in (4, 3, 2, 1):
        if j + size > p.n:
            continue
        rest = tuple(p.words[j + 1: j + size])
        for form in forms:
            if (form, *rest) in table:
                return j + size, table[(form, *rest)]
    return None


def _holiday(p: _Parser, i: int, ref: date | None) -> tuple[int, dict] | None:
    """عيد الفطر, ثاني أيام عيد الأضحى, أول أيام شهر رمضان, يوم عرفة, عيد العمال: the day it
    fell on, in the year the text writes (عيد الأضحى عام 2006, لعام 1436 هـ) or else the
    occurrence nearest the publication date (the coming one when the context looks ahead or
    المقبل follows, the last one after الماضي). Not a day: كل عيد, عيد الفطر من كل عام."""
    w = p.words
    first = _strip_wa(w[i])
    eve = _EVE.get(first)
    j, nth = (i + 1, 0) if eve else (i, 0)
    first = w[j] if eve and j < p.n else first
    if first in _NTH_DAYS and j + 1 < p.n and w[j + 1] in ("ايام", "يوم"):
        nth, j = _NTH_DAYS[first], j + 2
        if j < p.n and w[j] == "من":
            j += 1
    elif first in ("اليوم", "يوم") and j + 2 < p.n and w[j + 1] in _NTH_DAY_ORDINALS and w[j + 2] == "من":
        nth, j = _NTH_DAY_ORDINALS[w[j + 1]], j + 3
    found = _holiday_phrase(p, j)
    if found is None:
        return None
    j, (calendar, month, day, alone) = found
    if (i > 0 and w[i - 1] == "كل") or (j + 1 < p.n and w[j] == "من" and w[j + 1] == "كل"):
        return None
    direction = ""
    if (found_dir := p.match(_relative()["direction"], j, strip=False)) is not None:
        j, direction = found_dir
    if not (alone or nth):
        # رمضان الماضي: the month (the month names leave a bare رمضان to a year written after it)
        if not direction or ref is None:
            return None
        # رمضان الماضي written during Ramadan is last year's: the month must have ended
        d = _pick_year(month, 1, calendar, ref - timedelta(days=29) if direction == "past" else ref, direction)
        return j, {"calendar": calendar, "granularity": "month", "value": d.isoformat() if d else "",
                   "resolved_by": "publication_year"}
    day += max(nth, 1) - 1
    k = j + 1 if j < p.n and w[j] in _YEAR_WORDS else j
    fields: dict = {"calendar": calendar, **({"part_of_day": eve} if eve else {})}
    before = timedelta(days=1 if eve else 0)  # ليلة عيد الفطر: the night before its day
    if calendar == "hijri" and (year := p.number(k, 1300, 1500)) is not None:
        j = k + 2 if k + 1 < p.n and w[k + 1] == "ه" else k + 1
        d = _convert(year, month, day, calendar)
        return j, {**fields, "value": (d - before).isoformat() if d else "", "resolved_by": "explicit"}
    if (year := p.number(k, 1900, 2100)) is not None:
        hijri = range(_hijri_year(date(year, 1, 1)), _hijri_year(date(year, 12, 31)) + 1)
        days = [d for y in (hijri if calendar == "hijri" else (year,))
                if (d := _convert(y, month, day, calendar)) and d.year == year]
        if len(days) == 1 or (days and ref):
            # a Gregorian year holds a Hijri day twice about every 33 years (عيد الأضحى 2006)
            d = min(days, key=lambda d: abs((d - ref).days)) if ref else days[0]
            return k + 1, {**fields, "value": (d - before).isoformat(), "resolved_by": "explicit"}
        if days:
            return k + 1, {**fields, "resolved_by": "unresolved"}
    if ref is None:
        return j, {**fields, "resolved_by": "unanchored"}
    if not direction and _future_context(p, i):
        direction = "future"
    d = _pick_year(month, day, calendar, ref, direction)
    return j, {**fields, "value": (d - before).isoformat() if d else "", "resolved_by": "holiday"}


def _resolve_explicit(
    e: dict, weekday: int | None, ref: date | None, years: tuple[int, ...]
) -> dict:
    resolved = _resolve_written(e, weekday, ref, years)
    if e.get("year_offset") is not None and e["year"] is None and resolved.get("resolved_by") == "explicit":
        # أغسطس العام الماضي: the year is counted from the publication's
        resolved = {**resolved, "resolved_by": "publication_year"}
    return resolved


def _resolve_written(
    e: dict, weekday: int | None, ref: date | None, years: tuple[int, ...]
) -> dict:
    calendar = e["calendar"]
    day, month, year = e["day"], e["month"], e["year"]
    if year is None and e.get("year_offset") is not None and ref is not None and calendar == "gregorian":
        year = ref.year + e["year_offset"]  # أغسطس العام الماضي: the year the text counts from now
    if day is None:
        if year:
            if calendar == "hijri":
                d = _convert(year, month, 1, calendar)
                return {
                    "value": d.isoformat() if d else "",
                    "calendar": calendar,
                    "granularity": "month",
                    "resolved_by": "explicit",
                }
            return {
                "value": f"{year:04d}-{month:02d}",
                "granularity": "month",
                "resolved_by": "explicit",
            }
        if ref is not None:
            d = _pick_year(
                month,
                1,
                calendar,
                ref.replace(day=1) if calendar == "gregorian" else ref,
                e["direction"] or "",
            )
            if d:
                # a Hijri month is given by the Gregorian day it starts on
                value = d.strftime("%Y-%m") if calendar == "gregorian" else d.isoformat()
                return {
                    "value": value,
                    "calendar": calendar,
                    "granularity": "month",
                    "resolved_by": "publication_year",
                }
        return {
            "value": f"XXXX-{month:02d}",
            "calendar": calendar,
            "granularity": "month",
            "resolved_by": "unresolved",
        }
    if year:
        d = _convert(year, month, day, calendar)
        return {
            "value": d.isoformat() if d else "",
            "calendar": calendar,
            "resolved_by": "explicit",
        }
    if ref is not None:
        direction = e["direction"]
        d = _pick_year(month, day, calendar, ref, direction)
        return {
            "value": d.isoformat() if d else "",
            "calendar": calendar,
            "resolved_by": "publication_year",
        }
    if calendar == "gregorian" and weekday is not None:
        fits = tuple(
            y
            for y in years
            if (d := _convert(y, month, day, "gregorian")) and d.weekday() == weekday
        )
        if len(fits) == 1:
            return {
                "value": f"{fits[0]:04d}-{month:02d}-{day:02d}",
                "resolved_by": "weekday_candidates",
                "candidates": fits,
            }
        return {
            "value": f"XXXX-{month:02d}-{day:02d}",
            "resolved_by": "weekday_candidates",
            "candidates": fits,
        }
    if calendar == "hijri":
        return {"value": "", "calendar": calendar, "resolved_by": "unresolved"}
    return {"value": f"XXXX-{month:02d}-{day:02d}", "resolved_by": "unresolved"}


def _period(
    p: _Parser, i: int, ref: date | None, ref_dt: datetime | None
) -> tuple[int, dict] | None:
    rel = _relative()
    w = p.words
    for kind in ("week", "month", "year"):
        found = p.match(rel[kind], i)
        if found:
            j, value = found
            offset = int(value)
            fields = {"granularity": kind, "relative": f"{offset} {kind}"}
            if ref is None:
                return j, {**fields, "resolved_by": "unanchored"}
            if kind == "week":
                d = ref + timedelta(weeks=offset)
                iso = d.isocalendar()
                return j, {**fields, "value": f"{iso[0]}-W{iso[1]:02d}", "resolved_by": "relative"}
            if kind == "month":
                m = ref.month - 1 + offset
                return j, {
                    **fields,
                    "value": f"{ref.year + m // 12:04d}-{m % 12 + 1:02d}",
                    "resolved_by": "relative",
                }
            return j, {**fields, "value": f"{ref.year + offset:04d}", "resolved_by": "relative"}
    # يوما بعد يوم, عاما بعد عام, ساعة بعد ساعة: "steadily", no date
    if w[i] == "بعد" and 0 < i < p.n - 1 and _OFFSET_UNITS.get(w[i + 1]) is not None:
        before = w[i - 1][:-1] if w[i - 1].endswith("ا") else w[i - 1]
        if _OFFSET_UNITS.get(before) == _OFFSET_UNITS[w[i + 1]]:
            return None
    # قبل ٥ ساعات, منذ ثلاثة أيام, بعد يومين
    if w[i] in ("قبل", "منذ", "بعد") and i + 1 < p.n:
        sign = 1 if w[i] == "بعد" else -1
        j = i + 1
        count = None
        if w[j].isdecimal():
            count = int(w[j])
            j += 1
        elif w[j] in _NUMBER_WORDS_SMALL:
            count = _NUMBER_WORDS_SMALL[w[j]]
            j += 1
        if j < p.n:
            unit = _OFFSET_UNITS.get(w[j])
            if unit and unit.endswith("2"):
                if count is None:
                    count, unit = 2, unit[:-1]
                else:
                    unit = None
            elif unit and count is None and w[j] in ("ساعه", "يوم", "اسبوع", "شهر", "عام", "سنه"):
                count = 1 if w[i] != "منذ" else None
            if unit and count is not None:
                j += 1
                if j < p.n and w[j] == "فقط":
                    j += 1
                # بعد ستة أشهر من الحظر, قبل يومين من الانتخابات, بعد عامين على الحرب: counted from
                # another event, not from the publication: a span, no date of its own
                if j + 1 < p.n and w[j] == "من" and w[j + 1] in _NOW_WORDS:
                    j += 2  # the span takes من اليوم in: no second date for اليوم
                elif j < p.n and w[j] in ("من", "على", "علي") and w[i] != "منذ":
                    return None
                fields = {
                    "relative": f"{sign * count} {unit}",
                    "granularity": {"minute": "minute"}.get(unit, unit),
                }
                if ref is None:
                    return j, {**fields, "resolved_by": "unanchored"}
                return j, {
                    **fields,
                    **_offset_value(ref, ref_dt, sign * count, unit),
                    "resolved_by": "relative",
                }
    return None


# بعد أسبوع من اليوم, قبل يومين من الآن: counted from the publication after all
_NOW_WORDS = frozenset(_key(w) for w in ("الآن", "الان", "اليوم", "الأن", "تاريخه", "الحين"))


def _offset_value(ref: date, ref_dt: datetime | None, n: int, unit: str) -> dict:
    if unit in ("hour", "minute"):
        if ref_dt is None:
            return {"value": ref.isoformat(), "granularity": "day"}
        delta = timedelta(hours=n) if unit == "hour" else timedelta(minutes=n)
        moment = ref_dt + delta
        return {"value": moment.strftime("%Y-%m-%dT%H:%M"), "granularity": unit}
    if unit == "day":
        return {"value": (ref + timedelta(days=n)).isoformat(), "granularity": "day"}
    if unit == "week":
        return {"value": (ref + timedelta(weeks=n)).isoformat(), "granularity": "day"}
    if unit == "month":
        m = ref.month - 1 + n
        return {"value": f"{ref.year + m // 12:04d}-{m % 12 + 1:02d}", "granularity": "month"}
    return {"value": f"{ref.year + n:04d}", "granularity": "year"}


def _year(p: _Parser, i: int) -> tuple[int, dict] | None:
    w = p.words
    j = i
    cue = w[i]
    if cue[:1] in "لب" and len(cue) > 3 and (cue[1:] in _YEAR_CUES or "ا" + cue[1:] in _YEAR_CUES):
        cue = cue[1:] if cue[1:] in _YEAR_CUES else "ا" + cue[1:]  # لسنة، للعام
    if _strip_wa(cue) in _YEAR_CUES or cue in _YEAR_CUES:
        j = i + 1
        if j < p.n and w[j] in ("عام", "العام", "سنه", "السنه"):
            j += 1
    bracket = j + 2 < p.n and j > i and w[j] == "(" and w[j + 2] == ")"
    if bracket:
        j += 1  # عام (1993)
    if j >= p.n or not w[j].isdecimal() or len(w[j]) != 4:
        return None
    year = int(w[j])
    marker = j + 1 < p.n and w[j + 1] in ("م", "ه", "هـ")
    if j == i and not marker:
        # a bare year: 1900-2100 with nothing it could be counting after it
        nxt = w[j + 1] if j + 1 < p.n else ""
        if not (1900 <= year <= 2100) or (
            nxt
            and "\u0621" <= nxt[0] <= "\u064a"
            and not nxt.startswith(("ال", "و"))
            and nxt not in _BARE_YEAR_NEXT
        ):
            return None
        if j > 0 and (w[j - 1] in ("-", "/", ":", "+") or w[j - 1][0].isdecimal()):
            return None
        if j + 1 < p.n and w[j + 1] in ("-", "/", ":"):
            return None
        if _listed_with_non_years(p, j):
            return None  # القرارات 1696 و1737 … و1929 و2224: numbers of resolutions, not years
        return j + 1, {"value": f"{year:04d}", "granularity": "year", "resolved_by": "explicit"}
    if not (1000 <= year <= 2100 or (marker and w[j + 1] != "م" and 1300 <= year <= 1500)):
        return None
    if j + 1 < p.n and (w[j + 1] in ("-", "/") or _unit_after(p, j + 1)):
        return None
    start_cue = (
        i
        if _strip_wa(cue) in ("عام", "العام", "سنه", "السنه")
        or cue in ("عام", "العام", "سنه", "السنه")
        else j
    )
    end = j + 2 if marker else j + 1
    if bracket:
        end = j + 2
        marker = False
    if marker and w[j + 1] != "م":
        # a Hijri year is dated, as a Hijri month is, by its first day (1 Muharram) in the
        # Gregorian calendar; outside the Umm al-Qura tables it stays undated, and so does the
        # year of a month or day the parser did not read (الخميس (21) شوال 1436ه): 1 Muharram
        # would be months away from it
        before = {_strip_wa(x) for x in w[max(0, min(i, j) - 4) : min(i, j)]}
        first = None if before & _hijri_month_words() else _convert(year, 1, 1, "hijri")
        return end, {
            "value": first.isoformat() if first else "",
            "calendar": "hijri",
            "granularity": "year",
            "resolved_by": "explicit",
        }
    if start_cue != i:
        # في 2025: the cue word is not part of the mention
        return (
            None
            if i == j
            else (
                end,
                {
                    "value": f"{year:04d}",
                    "granularity": "year",
                    "resolved_by": "explicit",
                    "_start": j,
                },
            )
        )
    return end, {"value": f"{year:04d}", "granularity": "year", "resolved_by": "explicit"}


def _every_year_after(p: _Parser, j: int) -> bool:
    """Whether "every year" follows a month, past a second month joined by و: يناير (ويوليو) من
    كل عام."""
    w = p.words
    if j < p.n and w[j][:1] == "و" and (second := p.month(j)) is not None:
        j = second[0]
    if j < p.n and w[j] == "من":
        j += 1
    return j + 1 < p.n and w[j] == "كل" and w[j + 1] in ("عام", "سنه", "العام")


def _month_then_dual(p: _Parser, j: int) -> str:
    """The direction a dual gives two months joined by و (سبتمبر [ويناير الماضيين]), '' if none."""
    w = p.words[j] if j < p.n else ""
    if w[:1] != "و":
        return ""
    if len(w) > 3 and (w[1:],) in _months():
        k = j + 1
    elif w == "و" and j + 1 < p.n and (p.words[j + 1],) in _months():
        k = j + 2
    else:
        return ""
    if k >= p.n or not p.words[k].endswith("ين"):
        return ""
    found = p.match(_relative()["direction"], k, strip=False)
    return found[1] if found else ""


def _without_glued_wa(m: DateMention) -> DateMention:
    """وفبراير 2017: the mention begins after the و glued to its month."""
    first = re.split(r"[\s/(]", m.text, maxsplit=1)[0] if m.text else ""
    if _key(first) in _glued_month_firsts():
        return replace(m, start=m.start + 1, text=m.text[1:])
    return m


def _listed_with_non_years(p: _Parser, j: int) -> bool:
    """Whether the number at j is one of a list joined by و (1696 و1737 و1929) that is no list of
    years: after a resolution's noun, out of order, or holding a number no year is."""
    w = p.words
    listed = [w[j]]
    k = j
    while k >= 2 and w[k - 1] in ("و", ",", "،") and w[k - 2].isdecimal():
        k -= 2
        listed.append(w[k])
    lo = k
    k = j
    while k + 2 < p.n and w[k + 1] in ("و", ",", "،") and w[k + 2].isdecimal():
        k += 2
        listed.append(w[k])
    if len(listed) < 3:
        return False
    named = lo > 0 and w[lo - 1] in ("القرارات", "قرارات", "القرار", "قرار", "رقم", "الارقام", "ارقام")
    # (a two-digit year, 1993، 97، 2001, is no evidence: only four digits are)
    written = [int(w[x]) for x in range(lo, k + 1, 2) if len(w[x]) == 4]
    rising = all(a < b for a, b in zip(written, written[1:]))
    return named or not rising or any(not (1000 <= v <= 2100) for v in written)


def _unit_after(p: _Parser, j: int) -> bool:
    from khabar.extract.quantities import _units

    return (p.words[j],) in _units() and p.words[j] not in ("عام", "سنه")


def _month_only(p: _Parser, i: int, ref: date | None) -> tuple[int, dict] | None:
    w = p.words
    j = i
    if w[i] in ("شهر", "لشهر", "بشهر", "خلال"):
        j = i + 1
        if w[i] == "خلال" and j < p.n and w[j] == "شهر":
            j += 1
    found = _day_month_year(p, j)
    if not found or found["day"] is not None:
        return None
    if j == i and not found["year"] and not found["direction"]:
        return None
    return found["end"], _resolve_explicit(found, None, ref, ())
