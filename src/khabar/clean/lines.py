"""Line classification of a raw scraped article: what each line is, and why we think so.

Hand-built and explainable: every decision names its reason. Signals are the line's own shape
(length, final punctuation, Arabic share), cue phrases from `resources/line_cues.tsv`, the
position of the line relative to the title, body and block headers (a related-links header
makes the headline-shaped lines under it links; a comments header makes what follows comments),
and, when the caller knows them, the outlet's repeated lines: a line printed in many of one
outlet's articles is that site's chrome, whatever it says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources

from khabar.model import Line
from khabar.text import normalize_text, split_clitics

#: (count of the outlet's articles with this line, count of the outlet's articles) or None.
RepeatedLines = Callable[[str], "tuple[int, int] | None"]

MAX_CUE_WORDS = 25
MAX_WORDS_BY_KIND = {"byline": 8, "caption": 40, "navigation": 14, "timestamp_label": 12}
MAX_TITLE_WORDS = 30
MIN_TITLE_WORDS = 3
MAX_SUBHEADING_WORDS = 12
MAX_LINK_WORDS = 22
REPEAT_MIN_ARTICLES = 4
REPEAT_MIN_COUNT = 3
REPEAT_MIN_SHARE = 0.3

_SENTENCE_END = (".", ":", "،", ",", "؛", ";")
_STRIP_KEY = " .!?:-–—|*•·»«\"'“”()[]"
_SPACES = re.compile(r"\s+")
_BREADCRUMB = re.compile(r"\s(?:»|›|>|\||/)\s")
_AGENCY_TAIL = re.compile(
    r"(?:/|\(|-|–)\s*(?:ا ف ب|ا\.ف\.ب|رويترز|د ب ا|واس|قنا|ق ن ا|بترا|وام|سانا|كونا|واج|ومع|و م ع|وكاله[^/()]{0,40}|afp|reuters|ap|getty[^/()]*)\s*\)?$"
)
# A place, outlet or person's name: 1-4 words of letters (no digits, brackets or punctuation).
_NAME_CHAR = r"(?:[^\W\d_]|[\u0640\u064B-\u0652\u0670])"
_NAME_LIKE = re.compile(rf"^[^\W\d_]{_NAME_CHAR}*(?:[ .]{_NAME_CHAR}+){{0,3}}$")
_QUOTE_START = ("\"", "“", "«", "'", "‘", "”")
_DASH_SPLIT = re.compile(r"\s+[-–—]\s+")
_AGENCY_WORDS = ("وكاله", "رويترز", "ا ف ب", "د ب ا", "و م ع", "واس", "قنا", "بترا", "وام", "كونا", "سانا", "شبكه", "موقع", "صحيفه", "جريده", "بوابه", "وكالات", "الاناضول")
# A dateline glued to the first sentence: `بغداد/شبكة اخبار العراق- قال`, `عمّان (ق ن ا) - أفادت`,
# `القاهرة - أعلنت`, `الرباط – `. One to three words of place, then an agency or a dash.
_DASH = r"(?:[-–—]|(?<=\s)ـ(?=\s))"
_GLUED_DATELINE = re.compile(
    r"^(?P<place>[^\s/()\-–—ـ:،,.«»]{2,20}(?: [^\s/()\-–—ـ:،,.«»]{2,20}){0,2})\s*"
    r"(?:/\s*(?P<agency>[^/\-–—\n]{2,45}?)\s*|\((?P<code>[^()\n]{1,25})\)\s*)?"
    rf"(?:{_DASH}\s*(?:\((?P<code2>[^()\n]{{1,25}})\)\s*{_DASH}\s*)?|:\s+)"
)
# An agency's code in brackets after `CITY، COUNTRY` or alone, then one or two dashes:
# `دبي، الإمارات العربية المتحدة (CNN) -- `, `(CNN)-- `, `لندن، المملكة المتحدة (رويترز) - `.
_CODE_DATELINE = re.compile(
    r"^(?:(?P<place>[^\s/()\-–—ـ:،,.«»]{2,20}(?: [^\s/()\-–—ـ:،,.«»]{2,20}){0,2})"
    r"(?:\s*[،,]\s*[^\s/()\-–—ـ:،,.«»]{2,20}(?: [^\s/()\-–—ـ:،,.«»]{2,20}){0,3})?\s*"
    r"(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\s*)?)?"  # `رام الله 14-7-2026 (وفا) -`: the day between
    r"\((?P<code>[^()\n]{1,25})\)\s*[-–—]{1,2}\s*"
)
# A reporter's credit opening the first paragraph, dash-separated, ending in a colon:
# `سلمى الحربي- الرصيف- جدة: …` (names, the outlet, the place), `الرصيف- الدمام: …`.
# (a tatweel inside a word is a letter, `بـدر`; alone between spaces it is a dash, `سبق ـ أبها`)
_CREDIT_SEGMENT = r"[^\s\d/()\-–—:،,.«»\"]{2,20}(?: [^\s\d/()\-–—:،,.«»\"]{2,20}){0,2}"
_CREDIT_DASH = r"\s*(?:[-–—]|(?<=\s)ـ(?=\s))\s*"
_CREDIT_DATELINE = re.compile(
    rf"^(?:(?P<names>{_CREDIT_SEGMENT}(?:\s*[،,]\s*{_CREDIT_SEGMENT}){{0,2}}){_CREDIT_DASH})?"
    rf"(?P<source>{_CREDIT_SEGMENT}){_CREDIT_DASH}(?P<place>{_CREDIT_SEGMENT})\s*:[\s\u00a0\u200e\u200f\u202a-\u202e]*"
)
# a dateline alone on its line: `بسكرة –`, `عدن/ خاص`, `سيئون/ خاص:`
_BARE_DATELINE = re.compile(r"^(?P<place>[^\s/()\-–—ـ:،,.«»]{2,20}(?: [^\s/()\-–—ـ:،,.«»]{2,20}){0,2})\s*"
                            r"(?:[-–—ـ]|/\s*(?P<credit>[^/\-–—:\n]{2,30}?))\s*:?$")
# a photo's credit in brackets closing a caption: `(مواقع التواصل)`, `(صفحة النادي على فيسبوك)`
# (the key has lost the closing bracket)
_PHOTO_CREDIT_TAIL = re.compile(
    r"\((?:[^()]{0,20} )?(?:مواقع التواصل|التواصل الاجتماعي|وسايل التواصل|صفحه|الصفحه|ارشيف|ارشيفيه|الارشيف|"
    r"الانترنت|انترنت|متداوله|صوره متداوله|منصه|حساب|من المصدر|المصدر)[^()]{0,25}$"
)
# a photo's credit after a dash closing its caption: `… - صورة أرشيفية`, `… | أرشيف`
_CREDIT_AFTER_DASH = re.compile(r"\s[-–—|]\s*(?:صوره ارشيفيه|ارشيفيه|صوره تعبيريه|ارشيف|صوره من الارشيف|من الارشيف)$")
_LATIN_CODE = re.compile(r"^[A-Z][A-Za-z.& ]{1,20}$")
_NAMED_SOURCE = re.compile(rf"(?:خاص\s*(?:ل|بـ?)?\s*(?=[«\"]))?(?P<source>«[^»\n]{{2,35}}»|\"[^\"\n]{{2,35}}\"|[^:،,.\n«»]{{2,35}}?)\s*(?::|{_DASH})\s*")
# 12-hour clock marks, as they read after normalization (مساءً -> مساء). A lone م or ص is one
# only right after a clock time: after a year م marks the Gregorian era (2026م), after a bare
# number it may be metres, so those forms are not read as a time of day.
_PM = frozenset({"م", "مساء", "مساءا", "عصرا", "pm", "p.m", "p.m."})
_AM = frozenset({"ص", "صباحا", "فجرا", "am", "a.m", "a.m."})
_DAY_PART = r"(?:صباحا|مساءا|مساء|ظهرا|عصرا|ليلا|فجرا)"
_MERIDIEM = rf"(?:{_DAY_PART}|ص|م|[ap]\.?m\.?)"
_TIME = (
    r"(?:\s*[-–—,،|]?\s*(?:"
    rf"(?:الساعه\s*)?\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*{_MERIDIEM})?"  # 04:10, 4:10 pm, 04:10م
    rf"|(?:الساعه\s*)?\d{{1,2}}\s*{_DAY_PART}"  # 4 مساء
    r"|الساعه\s*\d{1,2}(?:\s*[صم])?"  # الساعه 4 م
    r"))?"
)
_TIME_PARTS = re.compile(rf"(?P<hour>\d{{1,2}})(?::(?P<minute>\d{{2}}))?(?::\d{{2}})?\s*(?P<mark>{_MERIDIEM})?$")


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str
    how: str
    pattern: str


@dataclass(frozen=True, slots=True)
class LineVerdict:
    """What the classifier says about an article's lines and the metadata they carry."""

    lines: tuple[Line, ...]
    title: str = ""
    author: str = ""
    dateline: str = ""
    dateline_place: str = ""
    dateline_agency: str = ""
    published: datetime | None = None


def line_key(text: str) -> str:
    """The line as compared with cues, titles and an outlet's other lines."""
    return _SPACES.sub(" ", normalize_text(text)).strip(_STRIP_KEY)


@lru_cache(maxsize=4096)
def _cached_line_key(text: str) -> str:
    return line_key(text)


@lru_cache(maxsize=1)
def load_cues() -> tuple[dict[str, Cue], tuple[Cue, ...], tuple[Cue, ...]]:
    """(exact cues by key, prefix cues, contains cues) from the resource file."""
    exact: dict[str, Cue] = {}
    prefix: list[Cue] = []
    contains: list[Cue] = []
    source = resources.files("khabar.resources") / "line_cues.tsv"
    for raw in source.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        kind, how, pattern = raw.split("\t")
        stripped = pattern.strip()
        normalized = _SPACES.sub(" ", normalize_text(stripped))
        if how != "exact" or normalized.strip(_STRIP_KEY):
            normalized = normalized.strip(_STRIP_KEY) if how == "exact" else normalized
        cue = Cue(kind, how, normalized)
        if how == "exact":
            exact[normalized] = cue
        elif how == "prefix":
            prefix.append(cue)
        else:
            contains.append(cue)
    return exact, tuple(prefix), tuple(contains)


@lru_cache(maxsize=1)
def month_names() -> dict[str, tuple[int, str]]:
    """Normalized month name -> (month number, calendar)."""
    names: dict[str, tuple[int, str]] = {}
    source = resources.files("khabar.resources") / "month_names.tsv"
    for raw in source.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            name, number, calendar, _region = raw.split("\t")
            names.setdefault(normalize_text(name), (int(number), calendar))
    return names


@lru_cache(maxsize=1)
def _date_line_pattern() -> re.Pattern[str]:
    months = sorted((m for m, (_, cal) in month_names().items() if cal == "gregorian"), key=len, reverse=True)
    weekday = r"(?:(?:ال)?(?:احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه|سبت)\s*[,،-]?\s*)?"
    month = "(?P<month>" + "|".join(re.escape(m) for m in months) + r")(?:\s*/\s*\S+)?"
    return re.compile(
        rf"^(?:\S+\s*:\s*)?{weekday}(?P<day>\d{{1,2}})\s*(?:من\s+)?{month}\s*,?\s*(?P<year>\d{{4}})(?:\s*م)?{_TIME}$"
        rf"|^(?:\S+\s*:\s*)?{weekday}(?P<iso>\d{{4}}[-/]\d{{1,2}}[-/]\d{{1,2}}|\d{{1,2}}[-/]\d{{1,2}}[-/]\d{{4}}){_TIME}$"
    )


@lru_cache(maxsize=1)
def _hijri_date_pattern() -> re.Pattern[str]:
    """A Hijri date `12 صفر 1448هـ`, with the `الموافق` that joins it to the Gregorian one."""
    months = sorted((m for m, (_, cal) in month_names().items() if cal == "hijri"), key=len, reverse=True)
    month = "(?:" + "|".join(re.escape(m) for m in months) + ")"
    return re.compile(
        rf"\s*[-–—|,،/]?\s*(?:الموافق\s*:?\s*)?(?P<day>\d{{1,2}})\s*(?P<month>{month})\s*(?P<year>\d{{4}})\s*(?:ه|هجريه|هجري)?"
        rf"\s*[-–—|,،/]?\s*(?:الموافق\s*:?\s*)?"
    )


def _hijri_to_gregorian(day: int, month: int, year: int) -> datetime | bool:
    """The Gregorian day of a Hijri date (Umm al-Qura), or True when it cannot be converted."""
    try:
        from hijridate import Hijri

        converted = Hijri(year, month, day).to_gregorian()
        return datetime(converted.year, converted.month, converted.day)
    except (ImportError, ValueError, OverflowError):
        return True


_UPDATE_TAIL = re.compile(rf"\s*[|،,\-–—]\s*(?:اخر تحديث|تم التحديث|محدث|تحديث)\s*:?\s*\d{{1,2}}:\d{{2}}(?:\s*{_MERIDIEM})?$")
_WEEKDAY_ONLY = re.compile(r"^(?:(?:ال)?(?:احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه|سبت)\s*[,،-]?\s*)?$")


def parse_date_line(key: str) -> datetime | None | bool:
    """A datetime when the whole line is a Gregorian date (and time), True when it is a date we
    cannot resolve, False when it is not a date line. A Hijri date beside the Gregorian one
    (`الأحد 12 صفر 1448هـ - الموافق 26 يوليو 2026م`) and the update time after the publication
    time (`… 19:05 | آخر تحديث: 21:58`) are read past."""
    match = _date_line_pattern().match(key)
    if not match and any(ch.isdigit() for ch in key):
        shorter = _UPDATE_TAIL.sub("", key)
        hijri = _hijri_date_pattern().search(shorter)
        if hijri is not None:
            rest = (shorter[:hijri.start()] + " " + shorter[hijri.end():]).strip()
            if _WEEKDAY_ONLY.match(rest):  # a Hijri date alone
                number, _calendar = month_names()[hijri.group("month")]
                return _hijri_to_gregorian(int(hijri.group("day")), number, int(hijri.group("year")))
            shorter = rest
        if shorter != key:
            return parse_date_line(shorter)
    if not match:
        return False
    time_match = _TIME_PARTS.search(key, match.end("year") if match.group("year") else match.end("iso"))
    hour, minute = 0, 0
    if time_match:
        hour = _24_hour(int(time_match.group("hour")), time_match.group("mark") or "")
        minute = int(time_match.group("minute") or 0)
    try:
        if match.group("month"):
            number, _calendar = month_names()[match.group("month")]
            return datetime(int(match.group("year")), number, int(match.group("day")), hour, minute)
        parts = re.split(r"[-/]", match.group("iso"))
        if len(parts[0]) == 4:
            return datetime(int(parts[0]), int(parts[1]), int(parts[2]), hour, minute)
        return datetime(int(parts[2]), int(parts[1]), int(parts[0]), hour, minute)
    except ValueError:
        return True


def _24_hour(hour: int, mark: str) -> int:
    """The hour on a 24-hour clock for an hour read with a 12-hour mark (or none)."""
    if not mark or hour == 0 or hour > 12:  # no mark, or a 24-hour time with a redundant one
        return hour
    if mark in _PM:
        return hour % 12 + 12
    if mark in _AM:
        return hour % 12
    if mark == "ظهرا":  # around noon: 11 in the morning, 12 or 1-5 in the afternoon
        return hour + 12 if hour < 6 else hour
    # ليلا, at night: 9 in the evening, but 12 is midnight and 2 after it
    return hour + 12 if 6 <= hour < 12 else hour % 12


_COUNT_SUFFIX = re.compile(r"\s*\(?\s*\d+\s*\)?$")
_COUNT_PREFIX = re.compile(r"^\(?\d+\)?\s+")
_RELATIVE_TIME = re.compile(
    r"^(?:نشر |محدث |اخر تحديث )?(?:منذ|قبل) (?:\d+ |بضع |عده )?(?:ثانيه|ثوان|ثواني|دقيقه|دقيقتين|دقائق|ساعه|ساعتين|ساعات|"
    r"يوم|يومين|ايام|اسبوع|اسبوعين|اسابيع|شهر|شهرين|اشهر|سنه|عام)$"
)
_COUNTER = re.compile(r"^(?:مشاهدات|المشاهدات|قراءات|القراءات|عدد الزيارات|زيارات|views)\s*:?\s*[\d,.]+(?:\s*\S+)?$")
_READING_TIME = re.compile(
    r"^(?:(?:\d+|دقيقه|دقيقتان|دقيقتين) (?:دقيقه|دقايق|دقيقتان|دقيقتين)?\s*(?:للقراءه|قراءه)"
    r"|(?:القراءه|قراءه) في (?:\d+ (?:دقيقه|دقايق)|دقيقه|دقيقتين|دقيقه واحده)|\d+ min(?:ute)?s? read)$"
)
# a clock time alone on its line (a live page's update, a time under the headline): 17:52, 4:10 م
_CLOCK_ALONE = re.compile(r"^(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*(?:ص|م|صباحا|مساء|am|pm))?$")
# a duration alone under the headline: the reading time without its word
_DURATION_ALONE = re.compile(r"^(?:\d{1,2} (?:دقايق|دقيقه)|دقيقتان|دقيقتين|دقيقه واحده)$")
# A site's menu: `الرئيسية أخبار سياسة اقتصاد …` (the home link, then section names) or a row
# of short items between pipes `محلي | عربي ودولي | اقتصاد | تقارير`.
_HOME_WORDS = tuple(line_key(w) for w in ("الرئيسية", "الصفحة الرئيسية", "home"))
_MENU_SEPARATOR = re.compile(r"\s*[|•·]\s*")
# the links of a site's foot (`من نحن - اتصل بنا - سياسة الخصوصية`)
_FOOTER_LINKS = tuple(line_key(w) for w in ("من نحن", "اتصل بنا", "سياسة الخصوصية", "شروط الاستخدام", "أعلن معنا",
                                             "هيئة التحرير", "خريطة الموقع", "عن الموقع", "privacy", "contact"))
_DASH_ITEMS = re.compile(r"\s+[-–]\s+")


_MENU_REASON = "the site's menu: the home link and section names"
# what an author's biography says the author is (كاتب، أستاذة …), not what someone said
_BIO_WORDS = frozenset(line_key(w) for w in (
    "كاتب كاتبة أستاذ أستاذة استاذ استاذة باحث باحثة صحفي صحفية رئيس رئيسة مدير مديرة محاضر"
    " محاضرة عضو عضوة أكاديمي أكاديمية خبير خبيرة مستشار مستشارة طبيب طبيبة محلل محللة روائي"
    " روائية شاعر شاعرة مهندس مهندسة إعلامي إعلامية مترجم مترجمة ناشط ناشطة دبلوماسي سفير"
    " وزير سابق سابقة مؤلف مؤلفة").split())
# words of running text that a row of section names does not hold
_SENTENCE_WORDS = frozenset(line_key(w) for w in (
    "في من على الى إلى عن مع أن إن ان قد لم لن هذا هذه التي الذي كان كانت هو هي تم بعد قبل"
    " حول بين ضد عند للموقع تعرضت").split())


def _is_home_menu(line: str, key: str) -> bool:
    """The home link alone, or opening a row of menu items (not a breadcrumb: that can follow
    the title, `الرئيسية > محليات` under the headline)."""
    if key in _HOME_WORDS:
        return True
    # a row of menu items is short and each item is a word or two; `الصفحة الرئيسية للموقع
    # تعرضت لهجوم` or `Home Depot sales miss` opens with the home word and is no menu
    items = _menu_items(line)
    short_items = len(items) >= 3 and all(len(item.split()) <= 3 for item in items)
    return (any(key.startswith(word + " ") or key.startswith(word + "|") for word in _HOME_WORDS
                if word != "home")
            and len(key.split()) <= 12 and (short_items or _menu_words_only(key))
            and not any(sign in line for sign in ("»", "›", ">", "/", "<"))
            and not _ends_like_sentence(line) and not any(ch.isdigit() for ch in key))


def _menu_items(line: str) -> list[str]:
    """The items of a row between pipes or bullets."""
    return [item for item in _MENU_SEPARATOR.split(line.strip().strip("|•·")) if item.strip()]


def _menu_words_only(key: str) -> bool:
    """A row of section names without separators: no word of it is a verb's or a sentence's
    (no particle or preposition, which running text has and a menu has not)."""
    return not any(word in _SENTENCE_WORDS for word in key.split())


def _is_menu_row(line: str, n: int) -> bool:
    """Four or more short items between pipes or bullets; not a table's row (`| 1 | name |
    5040 |`: a table converted to text opens and closes with a pipe, and holds figures)."""
    stripped = line.strip()
    if n > 24 or _ends_like_sentence(line) or (stripped.startswith("|") and stripped.endswith("|")):
        return False
    items = _menu_items(stripped)
    with_figures = sum(any(ch.isdigit() for ch in item) for item in items)
    return len(items) >= 4 and all(len(item.split()) <= 3 for item in items) and with_figures < 2


# Page widgets that stand around the headline: the weather (`أبوظبي 41° مشمس`), the day's
# prayer times, a market ticker (`تاسي 11,245.32 ▲ 0.41% | نمو …`), a language switch
# (`English`, `FR | AR`), the channel's live stream link, a cookie notice.
_TEMPERATURE = re.compile(r"[-+]?\d{1,2}\s*(?:°|º|℃|درجه مئويه)")
_PRAYER_TIME = re.compile(r"(?:الفجر|الشروق|الظهر|العصر|المغرب|العشاء)\s*:?\s*\d{1,2}:\d{2}")
_TICKER_SIGNS = ("▲", "▼", "↑", "↓", "🔺", "🔻", "⬆", "⬇")
_LANGUAGE_NAMES = frozenset({"english", "en", "ar", "fr", "français", "francais", "français", "عربي", "العربيه",
                             "english version", "النسخه الانجليزيه", "النسخه الفرنسيه", "فرنسي", "انجليزي",
                             "español", "türkçe", "kurdî", "كوردي", "كردي"})
_LIVE_STREAM = frozenset({"البث المباشر", "شاهد البث المباشر", "بث مباشر", "البث الحي", "شاهد البث الحي",
                          "live", "watch live", "شاهد مباشر"})
_COOKIE_WORDS = ("ملفات تعريف الارتباط", "الكوكيز", "ملفات الكوكيز", "cookies")
# the site speaking of itself (a how-to about clearing cookies does not)
_SITE_SPEAKS = ("نستخدم", "يستخدم الموقع", "يستخدم موقعنا", "يستخدم هذا الموقع", "هذا الموقع يستخدم", "موقعنا",
                "we use", "this site", "this website")
_CONSENT_WORDS = ("توافق", "موافقت", "تجربتك", "التصفح", "استخدامك", "سياسه الخصوصيه", "you agree", "experience")


def _widget(line: str, key: str, n: int) -> str:
    """The reason when the line is a page widget (weather, prayer times, a market ticker, a
    language switch, the live stream link, a cookie notice), else ''."""
    if n <= 6:
        if n <= 5 and ("°" in line or "º" in line or "℃" in line or "درجه" in key) and _TEMPERATURE.search(line) \
                and not _ends_like_sentence(line):
            return "a weather widget: a place and its temperature"
        items = [item.strip() for item in re.split(r"[|/•·]", key) if item.strip()]
        if items and all(item in _LANGUAGE_NAMES for item in items):
            return "a language switch"
        if key in _LIVE_STREAM:
            return "a link to the live stream"
    if n > 40:
        return ""
    if ":" in key and ("الفجر" in key or "المغرب" in key) and len(_PRAYER_TIME.findall(key)) >= 3:
        return "the day's prayer times"
    if any(sign in line for sign in _TICKER_SIGNS) and sum(line.count(sign) for sign in _TICKER_SIGNS) >= 2 \
            and not _ends_like_sentence(line):
        return "a market ticker: indexes with their moves"
    if (any(w in key for w in _COOKIE_WORDS) and any(w in key for w in _CONSENT_WORDS)
            and any(w in key for w in _SITE_SPEAKS)):
        return "a cookie notice"
    return ""


# `3 تعليقات على “العنوان”`, `تعليقان على …`, `لا توجد تعليقات`: the header of a comment list
_COMMENT_COUNT = re.compile(
    r"^(?:\d+ (?:تعليق|تعليقات|رد|ردود)|تعليقان|تعليق واحد|ردان|رد واحد"
    r"|(?:one|\d+) (?:comment|comments|response|responses|thoughts?)) (?:علي|on) [“”«\"']"
)
# `← المقالة السابقة: …`, `المقال التالي: … →`: a link to the neighbouring post
_NEIGHBOUR_POST = re.compile(
    r"^[←→‹›<>«»\s]*(?:(?:المقاله|المقال|الخبر|الموضوع|التدوينه|المنشور)\s*(?:السابقه|السابق|التاليه|التالي)"
    r"|previous post|next post|previous|next)\s*:"
)
_SOCIAL = r"(?:فيسبوك|فيس بوك|فايسبوك|تويتر|اكس|واتساب|واتس اب|تيليجرام|تيلجرام|تلغرام|تليغرام|انستغرام|انستجرام|انستقرام|يوتيوب|تيك توك|لينكدان|لينكد ان|سناب شات|facebook|twitter|x|whatsapp|telegram|instagram|youtube|tiktok|linkedin)"
_SHARE_BAR = re.compile(rf"^(?:(?:شارك|مشاركه|انشر|share)\s*(?:على|عبر)?\s*:?\s*)?{_SOCIAL}(?:\s*[|/،,\-–•·]?\s*{_SOCIAL})+$")
# one button of a share bar printed on its own line
_SHARE_ITEM = re.compile(
    rf"^(?:{_SOCIAL}|ماسنجر|messenger|بنترست|pinterest|reddit|نسخ الرابط|انسخ الرابط|نسخ|copy link|"
    r"البريد الالكتروني|بريد الكتروني|ايميل|email|e-mail|طباعه|print)$"
)
_SOCIAL_ONLY = re.compile(rf"^{_SOCIAL}$")
_FOLLOW_PROMO = re.compile(rf"(?:تابع|تابعوا|تابعونا|تابعنا|انضم|انضموا|اشترك|اشتركوا|حمل|حملوا|نزل|follow|join)[^\n]{{0,80}}{_SOCIAL}")
_REPORTER_BYLINE = re.compile(r"^(?P<name>[^\W\d_][^\s\-–—ـ]*(?: [^\W\d_][^\s\-–—ـ]*){0,3})\s+[-–—ـ]\s+(?:مراسل|مراسله|محرر|محرره|صحفي|مندوب|موفد)\b")
# a name with an initial: `س. مراد`, `ح. نور الدين`, `م.ع. الحسن`
_INITIALS_BYLINE = re.compile(r"^(?:[^\W\d_]\.\s?){1,2}[^\W\d_]{2,}(?: [^\W\d_]{2,}){0,2}$")
# an editor's initials between slashes closing an agency item: `/ح.س/`, `/ م ع /`
_EDITOR_CODE = re.compile(r"^/\s*[^\W\d_]{1,3}(?:\s*[.\s]\s*[^\W\d_]{1,3}){0,3}\.?\s*/$")
# `مراسلنا في عدن`, `سامي الجعبري، مراسل «سنابل» في الخليل – s.j@x.ps`
_CORRESPONDENT_IN = re.compile(
    r"^(?:(?P<name>[^\W\d_][^\s،,]*(?: [^\W\d_][^\s،,]*){1,3})\s*[،,]\s*)?"
    r"(?:مراسلنا|مراسلتنا|موفدنا|موفدتنا|مراسل[ةه]?|موفد[ةه]?)(?:\s+[^\s]+){0,3}?\s+(?:في|ب)\s*"
    r"(?P<place>[^\W\d_][^\s\-–—،,]*(?: [^\W\d_][^\s\-–—،,]*){0,2})"
    r"(?:\s*[-–—]\s*\S+@\S+)?$"
)
# staff of the outlet on the right of `place - …`: `بيروت – فريق ستاد الشام`, `كسلا - مراسل …`
_STAFF_WORDS = ("مراسل", "مراسله", "مراسلو", "محرر", "محرره", "محررو", "فريق", "قسم", "وحده", "مكتب")
# a collective credit, no one's name: `أسرة التحرير`
# labels over a promoted item (the item itself follows on the next line)
# an offer's words: a call to act and a price
_PROMO_WORDS = frozenset(line_key(w) for w in (
    "اكتشف احجز احجزوا سجل سجلوا اطلب اطلبوا قدم وفر احصل اشتر تسوق تعلم جرب الآن مجانا مجاني مجانية"
    " خصم خصومات تخفيض تخفيضات عروض عرض بأسعار").split())
# a section's label is no one's name (`أخبار محلية`, `شؤون دولية`)
_SECTION_WORDS = frozenset(line_key(w) for w in (
    "أخبار اخبار شؤون اقتصاد رياضة ثقافة فن فنون منوعات محليات محلية دولية عربية عالمية تقارير حوارات مقالات"
    " رأي آراء تحقيقات صحة تكنولوجيا علوم سياسة مجتمع حوادث قضايا مال أعمال سياحة بيئة تعليم فيديو صور").split())
_HEADER_KINDS = frozenset({"title", "duplicate_title", "timestamp_label", "navigation", "share", "dateline"})
# an item of a numbered or bulleted list: `1. …`, `3- …`, `* …`, `• …`
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[.\-–)]|[*•·\-–])\s*")
_LISTED = re.compile(r"^\s*(?:\d{1,2}\s*[.\-–)]|[*•·])\s*")
_SPONSORED_LABELS = frozenset(line_key(w) for w in (
    "محتوى ممول", "محتوى إعلاني", "محتوى مدعوم", "محتوى ترويجي", "محتوى برعاية", "إعلان ممول", "إعلان مدفوع",
    "sponsored", "sponsored content", "promoted"))
_COLLECTIVE_CREDIT = frozenset({"اسره التحرير", "هييه التحرير", "فريق التحرير", "التحرير", "المحرر",
                                "محرر الموقع", "قسم الاخبار"})
_SOURCE_CREDIT = re.compile(r"^(?:المصدر|مصدر الخبر|المصادر|source)\s*:")
_HONORIFIC = re.compile(r"^(?:د\.|د |الدكتور(?:ه|ة)? |دكتور |ا\.|أ\.|م\.|المهندس(?:ه|ة)? |الاستاذ(?:ه|ة)? |الأستاذ(?:ة)? |الشيخ )\s*")
# timestamp cues that give when a page was changed, not when it was first published
_UPDATE_CUES = ("اخر تحديث", "تاريخ التحديث", "اخر تعديل", "تم التحديث", "محدث", "last updated",
                "updated")
# the right side of `المنبر – متابعات`: the item is compiled from other reports, no one's byline
# words that make a dash-separated opening a sentence, not a credit
_CREDIT_STOP = frozenset({"كما", "قال", "قالت", "في", "من", "على", "الى", "عن", "ان", "لا", "لم", "لن",
                          "قد", "هو", "هي", "ما", "كان", "هذا", "هذه", "الذي", "التي", "مع", "بعد", "قبل"})
# what stands after `place/` instead of an agency: the item is the outlet's own
_SPECIAL_CREDITS = frozenset({"خاص", "حصري", "متابعات", "وكالات"})
_CREDIT_WORDS = frozenset({"متابعات", "متابعه", "وكالات", "المحرر", "محرر الموقع"})
_DATELINE_STOP = frozenset({"عاجل", "خاص", "حصري", "تقرير", "تحليل", "راي", "فيديو", "صور", "متابعه", "ملاحظه", "تنويه", "تحديث", "اولا", "ثانيا", "س", "ج", "سؤال", "جواب", "المصدر", "الموضوع"})


# an editor's initials alone after the last paragraph: `ع.ح`, `هـ.ع`, `م. ن.`
_EDITOR_INITIALS = re.compile(r"^[^\W\d_]ـ?\.\s?[^\W\d_]ـ?(?:\.\s?[^\W\d_]ـ?)?\.?$")


def _place_colon_name(line: str, n: int) -> tuple[str, str] | None:
    """(place, name) of a `place: name` credit (`دبي: ريم الكعبي`), or None."""
    if n > 5 or ":" not in line or line.rstrip().endswith(":"):
        return None
    place, _, name = (part.strip() for part in line.strip().partition(":"))
    name_key = line_key(name)
    if not (_NAME_LIKE.match(place) and is_known_place(place) and 2 <= len(name.split()) <= 3
            and _NAME_LIKE.match(name) and not is_known_place(name) and not name_key.startswith("ال")):
        return None
    if any(w in _SENTENCE_WORDS or w in _SECTION_WORDS or w in _DATELINE_STOP for w in name_key.split()):
        return None
    return place, name


def _cue_kind(key: str, words: int, sentence_like: bool = False) -> tuple[str, str] | None:
    """The kind a cue phrase gives the line. Prefix and short cues are weak evidence against a
    line that reads like a sentence (8+ words ending in a full stop): running text often opens
    with the same words (`شارك آلاف…`, `للتواصل مع الأهالي…`)."""
    if words > MAX_CUE_WORDS:
        return None
    exact, prefixes, contains = load_cues()
    cue = exact.get(key) or exact.get(_COUNT_SUFFIX.sub("", key)) or exact.get(_COUNT_PREFIX.sub("", key))
    if cue is not None:
        return cue.kind, f"is the cue {cue.pattern!r}"
    weak_only = sentence_like and words >= 8
    for cue in prefixes:
        # a cue followed by a colon is a label, whatever follows it (`اقرأ أيضا: لماذا …؟`)
        labelled = key[len(cue.pattern):].lstrip().startswith((":", "..", "…"))
        if weak_only and cue.kind not in ("caption", "byline") and not labelled:
            continue
        if key.startswith(cue.pattern) and words <= MAX_WORDS_BY_KIND.get(cue.kind, MAX_CUE_WORDS):
            return cue.kind, f"starts with the cue {cue.pattern!r}"
    for cue in contains:
        if weak_only and cue.how == "short":
            continue
        limit = 14 if cue.how == "short" else MAX_WORDS_BY_KIND.get(cue.kind, MAX_CUE_WORDS)
        if words <= limit and cue.pattern in key:
            return cue.kind, f"contains the cue {cue.pattern!r}"
    return None


def _ends_like_sentence(text: str) -> bool:
    stripped = text.rstrip(" *\u200f\u200e")
    return stripped.endswith(_SENTENCE_END) or stripped.endswith(("\"", "”", "»")) and len(stripped) > 1 and stripped[-2] in ".!؟?"


def _headline_shaped(text: str, words: int, max_words: int) -> bool:
    return 0 < words <= max_words and not _ends_like_sentence(text)


_AGENCY_CODES = frozenset(w for w in _AGENCY_WORDS if len(w) <= 4 and " " not in w)  # واس, وام, كونا


def _is_agency_like(key: str, outlet_key: str, *, whole_codes: bool = False) -> bool:
    """Whether a line key names an agency or the outlet; with `whole_codes`, a short agency code
    counts only as a word of its own (`وام` is not found in `وامريكا`, nor `واس` in `الدواسر`)."""
    if outlet_key and (key in outlet_key or outlet_key in key):
        return True
    if whole_codes:
        words = key.split()
        return any(w in words if w in _AGENCY_CODES else w in key for w in _AGENCY_WORDS)
    return any(word in key for word in _AGENCY_WORDS)


def _split_lines(text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    for raw_line in text.splitlines(keepends=True):
        content = raw_line.rstrip("\r\n")
        stripped = content.strip()
        if stripped:
            start = position + (len(content) - len(content.lstrip()))
            spans.append((start, start + len(stripped)))
        position += len(raw_line)
    return spans


# A slider's or pager's Latin controls run into the line after them on some sites (" Next
# Previous عين اليوم – جدة"): a line of their own, so that the rest reads as the byline or
# dateline it is.
_UI_HEAD = re.compile(r"(?:(?:next|previous|prev|older|newer|share|tweet|print|e-?mail|home|menu|search|"
                      r"close|more)\b[\s\u00a0|»«›‹<>/-]*)+(?=[\u0600-\u06ff])", re.IGNORECASE)


_BREADCRUMB_HOME = re.compile(r"home\s*[/»›>]", re.IGNORECASE)
_UI_ONLY = re.compile(_UI_HEAD.pattern.removesuffix(r"(?=[\u0600-\u06ff])"), re.IGNORECASE)


def _split_ui_heads(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` with each line that begins with site controls in Latin and goes on in Arabic cut
    in two: the controls, and the rest."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        found = _UI_HEAD.match(text, start, end) if text[start] in "NPnpOoSsTtEeHhMmCc" else None
        if found is not None and _BREADCRUMB_HOME.match(text, start, found.end()):
            found = None  # `Home / الأسواق / الأسهم`: a breadcrumb, one line
        if found is None:
            out.append((start, end))
            continue
        head = text[start:found.end()].rstrip(" \u00a0|»«›‹<>/-")
        out.append((start, start + len(head)))
        out.append((found.end(), end))
    return out


def _line_indexes(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """For each span, the index of its line in `text.splitlines()`."""
    indexes = []
    position = 0
    number = 0
    lines = text.splitlines(keepends=True)
    for start, _end in spans:
        while position + len(lines[number]) <= start:
            position += len(lines[number])
            number += 1
        indexes.append(number)
    return indexes


_CREDIT_VERB = (r"(?:بقلم|كتبت?|إعداد|اعداد|تقرير|بواسطة|بواسطه|تحرير|متابعة|متابعه|المحرر|حاورها|حاورهم|حاوره|حاورته|"
                r"(?:أجرى|اجرى|أجرت|اجرت) الحوار|حوار|ترجمة|ترجمه|by)")


def _byline_author(text: str) -> str:
    author = re.sub(
        rf"^\s*[-–—]?\s*{_CREDIT_VERB}(?:\s*و\s*{_CREDIT_VERB})*"
        r"\s*[:：\-–—/]?\s*",
        "",
        text,
        flags=re.IGNORECASE,
    )
    return author.strip(" :-–—*")


def credit_parts(line: str) -> list[str]:
    """The sides of a short `A – B` line (a byline, a dateline, an outlet's credit)."""
    return _DASH_SPLIT.split(line.strip().rstrip(":").strip())


def _outlet_credit(repeated: RepeatedLines | None, key: str) -> bool:
    """Is `key` how the outlet credits itself: on one side of such lines in many of its articles?"""
    if repeated is None or not key:
        return False
    seen = repeated(key)
    return bool(seen) and seen[0] >= REPEAT_MIN_ARTICLES and seen[0] >= 0.1 * seen[1]


# the first words of a dashed apposition that is a sentence, not a reporter's credit
_CREDIT_ROLES = frozenset(line_key(w) for w in (
    "رئيس الرئيس وزير الوزير امير الامير مدير المدير الملك ولي نائب سفير المتحدث الناطق الشيخ"
    " الدكتور اللواء العميد المستشار الامين محافظ المحافظ قائد القائد مصادر مصدر").split())
_CREDIT_DAYS = frozenset(line_key(w) for w in "امس اليوم غدا الليله الان".split())


@lru_cache(maxsize=1)
def _speech_verbs() -> frozenset[str]:
    """Reporting verbs as line keys (resources/extract/reporting_verbs.tsv)."""
    text = (resources.files("khabar.resources") / "extract" / "reporting_verbs.tsv").read_text(encoding="utf-8")
    return frozenset(line_key(row.split("\t")[0]) for row in text.splitlines()
                     if row.strip() and not row.startswith("#"))


def find_credit_dateline(line: str, outlet_key: str = "") -> tuple[int, str, str, str] | None:
    """(length, author, source, place) of a reporter's credit that opens a body line
    (`الاسم- المنبر- المدينة: …`), or None. With names before them, the three dash-separated
    parts vouch for themselves; the outlet and place alone must be an agency or a known place."""
    match = _CREDIT_DATELINE.match(line)
    if not match or match.end() > 90 or len(line[match.end():].split()) < 3:
        return None
    names, source, place = (match.group(g) or "" for g in ("names", "source", "place"))
    compiled = line_key(place) in _CREDIT_WORDS  # `- سبق- متابعة:`: compiled, from no place
    keys = [line_key(x) for x in (names, source, "" if compiled else place) if x]
    if any(k in _DATELINE_STOP or k.split()[0] in _DATELINE_STOP for k in keys):
        return None
    if len(names.split("،")[0].split()) > 3 or len(place.split()) > 2 or any(
            w in _CREDIT_STOP for k in keys for w in k.split()):
        return None  # `المنتخب- كما قال المدرب- جاهز: …` is a sentence
    if names and (len(source.split()) > 2
                  or any(len(n.split()) < 2 for n in re.split(r"\s*[،,]\s*", names.strip()))):
        return None  # a reporter is named in full, the outlet in a word or two
    # a sentence with dashed appositions: a role or a verb first (الرئيس الأمريكي- دونالد ترامب-
    # أكد:), a day or a verb for the place (… - أمس:), a preposition on the outlet (مصادر- لسبق- تؤكد:)
    first_words = [k.split()[0] for k in keys]
    if (any(w in _CREDIT_ROLES or w in _speech_verbs() for w in first_words)
            or (not compiled and (line_key(place) in _CREDIT_DAYS or line_key(place) in _speech_verbs()))
            or line_key(source)[:1] == "ل"):
        return None
    if names and line_key(source).startswith("ال") and not (compiled or is_known_place(place)):
        return None  # المنتخب السعودي- الأخضر- جاهز: a definite noun is an outlet only before a place we know
    if compiled:
        place = ""
    elif not names and not (is_known_place(place) or _is_agency_like(line_key(source), outlet_key)):
        if len(source.split()) >= 2 and len(place.split()) == 1:
            names, source, place = source, place, ""  # `الاسم- المنبر: …`
        elif len(source.split()) > 1 or line_key(source).startswith("ال"):
            # two words, or a definite noun (الرئيس- الحكومة:), a dash and a place we do not
            # know: too like a sentence; an outlet's own short name (سبق- الباحة:) is not
            return None
    return match.end(), names.strip(), source.strip(), place.strip()


def find_glued_dateline(line: str, outlet_key: str = "") -> tuple[int, str, str] | None:
    """(length, place, agency) of a dateline that opens a body line, or None."""
    coded = _CODE_DATELINE.match(line)
    if coded and coded.end() <= 70 and len(line[coded.end():].split()) >= 3:
        place, code = (coded.group("place") or "").strip(), coded.group("code").strip()
        # the code vouches for a dateline when it names an agency (CNN, رويترز); the place,
        # when it is one we know (`وقال الوزير، في تصريح (خاص) -` is a sentence)
        vouched = bool(_LATIN_CODE.match(code)) or _is_agency_like(line_key(code), outlet_key)
        if (not place and vouched) or (place and (vouched or is_known_place(place))
                                       and line_key(place) not in _DATELINE_STOP and _NAME_LIKE.match(place)):
            end = coded.end()
            named = _NAMED_SOURCE.match(line, end)
            if named and named.end() - end <= 30 and len(line[named.end():].split()) >= 3 and (
                    _is_agency_like(line_key(named.group("source")), outlet_key)
                    or line_key(named.group("source")) in _CREDIT_WORDS):
                end = named.end()  # `طرابلس (ليبيا) – وكالات:`: the agency after the country
            return end, place, code
    match = _GLUED_DATELINE.match(line)
    if not match or match.end() > 70:
        return None
    place = match.group("place")
    place_key = line_key(place)
    if place_key in _DATELINE_STOP or not _NAME_LIKE.match(place.strip()):
        return None
    if place_key[:1] in ("و", "ف") and " " in place_key and not is_known_place(place):
        return None  # `وأكد المجلس -`: a sentence, not a place
    agency = (match.group("agency") or match.group("code") or match.group("code2") or "").strip()
    end = match.end()
    by_colon = line[match.start():end].rstrip().endswith(":")
    if by_colon and ((agency and line_key(agency) not in _SPECIAL_CREDITS
                      and not _is_agency_like(line_key(agency), outlet_key)) or len(place_key.split()) > 2):
        return None
    if not by_colon:
        named = _NAMED_SOURCE.match(line, end)
        if named and _is_agency_like(line_key(named.group("source")), outlet_key):
            agency = agency or named.group("source").strip().strip("«»\"")
            end = named.end()
    rest = line[end:]
    if rest and len(rest.split()) < 3:
        return None
    # Without an agency or outlet to vouch for it, the place must be a place we know: running
    # text opens with `X -` and `X:` too (`اسم الطبق:`, `وقال:`).
    if not agency and not is_known_place(place):
        return None
    return end, place.strip(), agency


# The outlet's tag list glued after the last sentence: `… بكلية الطب. سمات تبوك جامعة معلمة`.
_TAG_TAIL = re.compile(r"(?<=[.!؟?»”\"')])\s+(?P<tags>(?:سمات|الوسوم|وسوم|كلمات دالة|الكلمات الدالة|tags)\s*:?\s+[^.!؟?،,:؛\n]{2,160}?)\s*$",
                       re.IGNORECASE)


# a tags header alone on its line, the tags one a line under it
_TAG_HEADERS = frozenset(line_key(w) for w in ("الوسوم", "وسوم", "الكلمات المفتاحية", "كلمات مفتاحية", "كلمات البحث",
                                                "الكلمات الدالة", "كلمات دالة", "Tags", "المواضيع"))
_POLL_HEADERS = frozenset(line_key(w) for w in ("استطلاع الرأي", "استطلاع رأي", "استطلاع", "استفتاء", "شارك برأيك",
                                                 "صوّت", "Poll"))
_POLL_BUTTONS = frozenset(line_key(w) for w in ("صوّت", "صوت الآن", "تصويت", "التصويت", "النتائج", "عرض النتائج",
                                                 "شارك", "Vote"))
_TAG_WORDS = ("سمات", "وسوم", "كلمات دال", "tags", "Tags", "TAGS")
# words a list of tags does not hold: a sentence's particles and pronouns
_TAG_STOP = frozenset(line_key(w) for w in (
    "في من على الى عن ان أن التي الذي الذين هذا هذه هو هي كان كانت لا لم لن قد مع بعد قبل حتى كل"
    " اكثر اكبر يجب تتطلب يتطلب").split())


def _split_tag_tail(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The last body line without a tag list glued to its end; the list as its own line."""
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].line_kind == "body"), None)
    if last is None:
        return lines
    line = lines[last]
    if not any(word in line.text for word in _TAG_WORDS):
        return lines  # most articles: no regex search over their last line
    match = _TAG_TAIL.search(line.text)
    if match is None or len(match.group("tags").split()) > 14:
        return lines
    if any(line_key(w) in _TAG_STOP for w in match.group("tags").split()[1:]):
        return lines  # a sentence (سمات المرحلة تتطلب وعيا أكبر من الجميع), not a list of tags
    cut = match.start()
    tags_start = match.start("tags")
    head = Line(line.start, line.start + cut, line.text[:cut], "body", line.reason)
    tail = Line(line.start + tags_start, line.start + match.end("tags"), match.group("tags"),
                "navigation", "the outlet's tag list after the last sentence")
    return (*lines[:last], head, tail, *lines[last + 1:])


# "link to the story in the paper: its headline" glued after the last sentence (a scraped page
# that lost the line break): رابط الخبر بصحيفة الوئام: … ; the words before the colon are few.
# At the line's start or after a sentence's end; anywhere when it names the paper it links to
_LINK_TAIL = re.compile(r"(?:^|(?<=[.!؟…\"”»)])|(?<=\s)(?=(?:رابط|لينك) (?:الخبر|المقال) (?:ب|في )(?:صحيفة|صحيفه|موقع|جريدة|جريده)))"
                        r"\s*(?P<link>(?:رابط|لينك) (?:الخبر|المقال|الموضوع|التقرير)(?: [^\s:]+){0,3}\s*:\s*(?P<title>[^\n]{0,200}))$")


def _split_link_tail(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The last body line without the link to the story glued to its end; that as its own line."""
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].line_kind == "body"), None)
    if last is None:
        return lines
    line = lines[last]
    if "رابط" not in line.text and "لينك" not in line.text:
        return lines
    match = _LINK_TAIL.search(line.text)
    if match is None or len(match.group("title").split()) > 25:
        return lines
    at = match.start("link")
    cut = len(line.text[:at].rstrip())
    tail = Line(line.start + at, line.end, line.text[at:], "related_link",
                "a link to the story glued after the last sentence")
    if not cut:
        return (*lines[:last], tail, *lines[last + 1:])
    head = Line(line.start, line.start + cut, line.text[:cut], "body", line.reason)
    return (*lines[:last], head, tail, *lines[last + 1:])


# a share bar glued before the first sentence (شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك أكد …)
_SHARE_OPENERS = frozenset(line_key(w) for w in ("شارك", "شاركوا", "انشر", "مشاركة"))
_SHARE_WORDS = frozenset(line_key(w) for w in (
    "من خلال عبر على في تويتر تويتير فيسبوك فيس بوك جوجل غوغل بلس واتساب واتس اب لينكدإن تيليجرام"
    " تلغرام إنستغرام انستجرام البريد الإلكتروني طباعة اكتب أضف رأيك تعليقك تعليق twitter facebook"
    " google plus whatsapp").split())
_SHARE_UI = frozenset(line_key(w) for w in "بلس اكتب أضف رأيك تعليقك طباعة البريد".split())
_NETWORKS = frozenset(line_key(w) for w in (
    "تويتر تويتير فيسبوك فيس جوجل غوغل واتساب واتس لينكدإن تيليجرام تلغرام إنستغرام انستجرام twitter"
    " facebook google whatsapp").split())


def _split_share_head(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The first body line without a share bar glued before its first sentence; that as its own line."""
    first = next((i for i, line in enumerate(lines) if line.line_kind == "body"), None)
    if first is None:
        return lines
    line = lines[first]
    words = line.text.split(maxsplit=12)
    if not words or line_key(words[0]) not in _SHARE_OPENERS:
        return lines
    n = 1
    while n < len(words) - 1 and line_key(words[n]) in _SHARE_WORDS:
        n += 1
    bar = [line_key(w) for w in words[1:n]]
    networks = sum(w in _NETWORKS for w in bar)
    if n < 3 or not (networks >= 2 or (networks and any(w in _SHARE_UI for w in bar))):
        return lines  # شارك آلاف المواطنين في …, شارك عبر تويتر آلاف …: a sentence
    cut = 0
    for word in words[:n]:
        cut = line.text.index(word, cut) + len(word)
    rest = len(line.text) - len(line.text[cut:].lstrip())
    if len(line.text[rest:].split()) < 5:
        return lines
    bar = Line(line.start, line.start + cut, line.text[:cut], "share", "a share bar glued before the first sentence")
    body = Line(line.start + rest, line.end, line.text[rest:], "body", line.reason)
    return (*lines[:first], bar, body, *lines[first + 1:])


# A page's style sheet or script glued after the text (`… أنت؟ #vote_area2 ul { padding: 0; }`):
# found by its sign (str.find), then the selector is matched in a bounded window before it, so a
# long line of Latin words costs one pass, not one regex walk per word
_CODE_SIGNS = ("{", "jQuery", "$(", "function", "document.", "var ")
_CSS_SELECTOR = re.compile(r"(?:^|(?<=\s))[#.]?[A-Za-z_][\w-]{0,40}(?:\s+[#.]?[\w-]{1,40}){0,6}\s*\{\s*[\w-]+\s*:")
_SCRIPT_START = re.compile(r"(?:^|(?<=\s))(?:(?:jQuery|\$)\s*\(|function\s*\(|document\.write\s*\(|var\s+\w{1,40}\s*=)")


def _code_start(text: str) -> int:
    """Where a style sheet or script starts in `text`, or -1."""
    best = -1
    brace = text.find("{")
    while brace >= 0:
        lo = max(0, brace - 300)
        match = _CSS_SELECTOR.search(text, lo, min(len(text), brace + 60))
        if match is not None:
            best = match.start()
            break
        brace = text.find("{", brace + 1)
    for sign in ("jQuery", "$(", "function", "document.", "var "):
        at = text.find(sign)
        if at >= 0 and (best < 0 or at < best):
            match = _SCRIPT_START.match(text, at) if at == 0 or text[at - 1].isspace() else None
            if match is not None:
                best = at
    return best


def _split_code_tails(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """Body lines without the style sheet or script glued to their end; that as its own line."""
    out: list[Line] = []
    for line in lines:
        text = line.text
        start = (_code_start(text) if line.line_kind == "body"
                 and any(sign in text for sign in _CODE_SIGNS) else -1)
        if start < 0:
            out.append(line)
            continue
        code = text[start:]
        if sum(c.isascii() for c in code) < 0.8 * len(code) or len(code) < 20:
            out.append(line)  # Arabic text after it: not code
            continue
        cut = len(text[:start].rstrip())
        if cut:
            out.append(Line(line.start, line.start + cut, text[:cut], "body", line.reason))
        out.append(Line(line.start + start, line.end, code, "navigation",
                        "a style sheet or script glued to the text"))
    return tuple(out)


@lru_cache(maxsize=1)
def _known_places() -> frozenset[str]:
    """Place names (normalized, clitic-stripped) from the shipped gazetteers, if present."""
    names: set[str] = set()
    base = resources.files("khabar.resources")
    for source in (base / "places.tsv", base / "ner" / "gaz_geonames.tsv", base / "ner" / "gaz_cldr.tsv"):
        if not source.is_file():
            continue
        for raw in source.read_text(encoding="utf-8").splitlines():
            if raw and not raw.startswith("#"):
                entry, _, kind = raw.partition("\t")
                if kind.strip() in ("LOC", ""):
                    names.add(entry.strip())
                    names.add(_place_key(entry.strip()))
    return frozenset(names)


def _place_key(place: str) -> str:
    return " ".join(split_clitics(word)[1] for word in normalize_text(place).split())


def is_known_place(place: str) -> bool:
    """True when the gazetteers know `place` (with or without its article)."""
    places = _known_places()
    if not places:
        return True  # no gazetteer shipped: fall back to the shape rules alone
    key = _place_key(place)
    return key in places or normalize_text(place).strip() in places


def classify_lines(
    text: str,
    *,
    title: str = "",
    outlet: str = "",
    repeated: RepeatedLines | None = None,
) -> LineVerdict:
    """Every non-blank line of `text` with a kind and a reason, plus the metadata they give."""
    spans = _split_lines(text)
    if not spans:
        return LineVerdict(lines=(), title=title)
    lines_in_text = len(spans)
    spans = _split_ui_heads(text, spans)
    raw = [text[s:e] for s, e in spans]
    # One translate for the whole text: normalization never adds or removes a line break, so
    # the normalized text splits into the same lines.
    normalized_lines = normalize_text(text).splitlines()
    if len(normalized_lines) == len(text.splitlines()) and len(spans) == lines_in_text:
        line_of = _line_indexes(text, spans)
        keys = [" ".join(normalized_lines[n].split()).strip(_STRIP_KEY) for n in line_of]
    else:
        keys = [line_key(r) for r in raw]
    words = [len(r.split()) for r in raw]
    outlet_key = _cached_line_key(outlet) if outlet else ""
    # an outlet named after the page's title (a page without a site name) names no line
    title_key_given = line_key(title) if title else ""
    sentences = [j for j, r in enumerate(raw) if words[j] >= 8 and _ends_like_sentence(r)]
    first_sentence, last_sentence = (sentences[0], sentences[-1]) if sentences else (len(raw), -1)
    sentences_before = [0] * (len(raw) + 1)  # sentence lines above line i
    for j in sentences:
        sentences_before[j + 1] = 1
    for j in range(len(raw)):
        sentences_before[j + 1] += sentences_before[j]
    kinds: list[str | None] = [None] * len(spans)
    reasons: list[str] = [""] * len(spans)
    author = ""
    dateline = dateline_place = dateline_agency = ""
    published: datetime | None = None
    updated: datetime | None = None
    fallback_place = ""  # a place named in a byline, the dateline when no line gives one

    def between_paragraphs(i: int) -> bool:
        # two sentence lines above and one below: deep in the body, where a short line with a
        # dash is a crosshead unless it names an agency or the outlet
        return sentences_before[i] >= 2 and i < last_sentence

    def mark(i: int, kind: str, reason: str) -> None:
        kinds[i] = kind
        reasons[i] = reason

    # 1. What each line says about itself.
    for i, (line, key, n) in enumerate(zip(raw, keys, words)):
        if not key:
            mark(i, "navigation", "no letters or digits, only symbols")
            continue
        widget = _widget(line, key, n) if i < first_sentence + 3 or i > last_sentence else ""
        if widget:
            mark(i, "navigation", widget)
            continue
        cue = _cue_kind(key, n, line.rstrip().endswith((".", "؟", "?", "!")))
        if cue and cue[0] == "timestamp_label":
            date = parse_date_line(re.sub(r"^[^:]*:\s*", "", key)) if ":" in key else False
            if isinstance(date, datetime):
                # a "last updated" time is the publication time only when nothing else is
                if key.startswith(_UPDATE_CUES):
                    updated = updated or date
                elif published is None:
                    published = date
            mark(i, *cue)
            continue
        if n <= 8 and _UI_ONLY.fullmatch(line):
            mark(i, "navigation", "site controls (next, previous, share ...)")
            continue
        if n <= 6 and _READING_TIME.match(key):
            mark(i, "navigation", "the reading time")
            continue
        if n <= MAX_CUE_WORDS and _COMMENT_COUNT.match(key):
            mark(i, "comments", "counts the comments on the article")
            continue
        if n <= MAX_LINK_WORDS + 3 and _NEIGHBOUR_POST.match(key) and not _ends_like_sentence(line):
            mark(i, "related_link", "a link to the previous or next post")
            continue
        if n <= 6 and (_RELATIVE_TIME.match(key) or _COUNTER.match(key)):
            mark(i, "timestamp_label" if _RELATIVE_TIME.match(key) else "navigation",
                 "relative time alone on a line" if _RELATIVE_TIME.match(key) else "a view or reading counter")
            continue
        date = parse_date_line(key) if n <= MAX_WORDS_BY_KIND["timestamp_label"] else False
        if date is False and n <= 16 and "|" in key and any(ch.isdigit() for ch in key):
            # `نُشر: 14 يوليو 2026 08:15 | حُدّث: 14 يوليو 2026 10:02`: two dates, each labelled
            stamps = [parse_date_line(part.strip()) for part in key.split("|")]
            date = stamps[0] if all(stamp is not False for stamp in stamps) else False
        if date is False and n <= 3 and _CLOCK_ALONE.match(key):
            mark(i, "timestamp_label", "a clock time alone on a line")  # a live page's update
            continue
        if date is False and n <= 3 and i < first_sentence and _DURATION_ALONE.match(key):
            mark(i, "navigation", "a reading time above the text")  # `3 دقائق` under the headline
            continue
        if date is not False and 8 <= i < last_sentence and _hijri_date_pattern().search(key):
            date = False  # الأحد 10 شوال 1436 between the paragraphs: a day the text lists
        if date is not False:
            mark(i, "timestamp_label", "the line is only a date and time")
            if isinstance(date, datetime) and published is None:
                published = date
            continue
        if cue:
            mark(i, *cue)
            if cue[0] == "byline" and not author:
                author = _byline_author(line)
                sides = credit_parts(author)
                if len(sides) == 2 and len(sides[0].split()) >= 2 and is_known_place(sides[1].strip(" :")) \
                        and _NAME_LIKE.match(sides[1].strip(" :")):
                    author = sides[0].strip()  # `تقرير: فهد العديني – تعز`: the name, then the place
                    fallback_place = fallback_place or sides[1].strip(" :")
            continue
        if n <= 16 and _SHARE_BAR.match(key):
            mark(i, "share", "a row of social network names")
            continue
        items = n - sum(word in ("|", "•", "·") for word in line.split()) if "|" in line or "•" in line or "·" in line else n
        if items <= 16 and (_is_home_menu(line, key) or _is_menu_row(line, items)):
            mark(i, "navigation", _MENU_REASON)
            continue
        if (n <= 16 and (i < first_sentence or i > last_sentence) and not _ends_like_sentence(line)
                and any(word in key for word in _FOOTER_LINKS) and _is_menu_row(_DASH_ITEMS.sub(" | ", line), n)):
            # `من نحن - هيئة التحرير - اتصل بنا - سياسة الخصوصية` over or under the text (between
            # paragraphs such a row may be a list the text gives: `مصر - تونس - المغرب - الجزائر`)
            mark(i, "navigation", "the site's links between dashes, over or under the text")
            continue
        if 2 <= n <= 12 and line.lstrip().startswith("#") and all(word.startswith("#") for word in line.split()):
            mark(i, "navigation", "a row of hashtags")
            continue
        if n <= 20 and not _ends_like_sentence(line.rstrip(")")) and (
                (("ارشيف" in key or "تعبيريه" in key) and _CREDIT_AFTER_DASH.search(key))
                or (outlet_key and n <= 15 and key.endswith("(" + outlet_key) and line.rstrip().endswith(")")
                    and len(key) > len(outlet_key) + 8)
                or (n <= 12 and key.startswith("جانب من ") and i > 0)):
            # `محافظ … خلال جولته - صورة أرشيفية`, `الجسر بعد افتتاحه (the outlet)`, `جانب من الحفل`
            mark(i, "caption", "a photo's caption: its credit after a dash, the outlet's own photo, or 'جانب من'")
            continue
        if outlet_key and key == outlet_key and key != title_key_given and len(key.split()) <= 5:
            mark(i, "navigation", "the outlet's name on a line of its own")
            continue
        if n <= 20 and not _ends_like_sentence(line) and _FOLLOW_PROMO.search(key):
            mark(i, "contact_promo", "asks readers to follow or join on a social network")
            continue
        correspondent = _CORRESPONDENT_IN.match(line.strip()) if n <= 16 else None
        if correspondent and is_known_place(correspondent.group("place")):
            mark(i, "byline", "the outlet's correspondent in a place")
            if not author and correspondent.group("name"):
                author = correspondent.group("name").strip()
            fallback_place = fallback_place or correspondent.group("place").strip()
            continue
        # د. أحمد زويل is a title and a name, not initials; and a name with initials signs the
        # text at its head or after its last sentence, not between its paragraphs
        initials = (_INITIALS_BYLINE.match(line.strip()) and not _HONORIFIC.match(line.strip())
                    and (i < first_sentence or i > last_sentence))
        if n <= 4 and (initials or _EDITOR_CODE.match(line.strip())):
            mark(i, "byline", "a name with initials, or an editor's initials")
            if not author and initials:
                author = line.strip()
            continue
        if n <= 2 and i > last_sentence and _EDITOR_INITIALS.match(line.strip()):
            mark(i, "byline", "an editor's initials closing the text")  # `ع.ح`, `هـ.ع`
            continue
        place_credit = _place_colon_name(line, n) if i < first_sentence else None
        if place_credit and any(kinds[j] is None and words[j] >= MIN_TITLE_WORDS and not _ends_like_sentence(raw[j])
                                for j in range(i)):
            # `دبي: ريم الكعبي` under the headline: the reporter and where the report was filed
            mark(i, "byline", "place: name under the headline")
            if not author:
                author = place_credit[1]
            fallback_place = fallback_place or place_credit[0]
            continue
        if key in _COLLECTIVE_CREDIT:
            mark(i, "byline", "a collective credit: the editors")
            continue
        reporter = _REPORTER_BYLINE.match(line.strip()) if n <= 12 else None
        if reporter:
            mark(i, "byline", "name - reporter of the outlet")
            name = reporter.group("name").strip()
            if is_known_place(name):
                fallback_place = fallback_place or name  # `كسلا - مراسل …`: the place, not a name
            elif not author:
                author = name
            continue
        parts = credit_parts(line) if n <= 10 else ()
        if len(parts) == 2 and _NAME_LIKE.match(parts[0].strip()) and is_known_place(parts[0].strip()):
            right = parts[1].strip(" :")
            right_key = line_key(right)
            credit = _cue_kind(right_key, len(right.split()))
            if credit and credit[0] == "byline":
                mark(i, "byline", "place - byline")  # `دمشق – حوار: رامي الأطرش`
                if not author:
                    author = _byline_author(right)
                fallback_place = fallback_place or parts[0].strip()
                continue
            if right_key.split(" ", 1)[0] in _STAFF_WORDS and len(right.split()) >= 2:
                mark(i, "byline", "place - the outlet's staff")  # `بيروت – فريق الموقع`
                fallback_place = fallback_place or parts[0].strip()
                continue
        bare = _BARE_DATELINE.match(line.strip()) if n <= 5 else None
        if bare and _NAME_LIKE.match(bare.group("place")) and is_known_place(bare.group("place")) and (
                bare.group("credit") is None or line_key(bare.group("credit")) in _SPECIAL_CREDITS
                or _is_agency_like(line_key(bare.group("credit")), outlet_key)):
            mark(i, "dateline", "a place (and its source) on a line of its own")
            if not dateline:
                dateline, dateline_place, dateline_agency = line.strip(), bare.group("place"), (bare.group("credit") or "").strip()
            continue
        alone = find_glued_dateline(line, outlet_key) if n <= 6 else None
        if alone and between_paragraphs(i) and not _is_agency_like(line_key(alone[2]), outlet_key, whole_codes=True):
            alone = None  # a crosshead (`السعودية- وأمريكا وقانون جاستا:`), not a dateline
        if alone and not line[alone[0]:].strip():
            mark(i, "dateline", "place and source on a line of their own")
            if not dateline:
                dateline, dateline_place, dateline_agency = line.strip(), alone[1], alone[2]
            continue
        if n <= MAX_WORDS_BY_KIND["navigation"] and "http" not in key and "www" not in key and (
            (("»" in line or "›" in line) and _BREADCRUMB.search(f" {line.strip()} ")) or (n <= 10 and len(_BREADCRUMB.findall(line)) >= 2)
        ):
            mark(i, "navigation", "breadcrumb: short segments between » / > | separators")
            continue
        if n <= MAX_WORDS_BY_KIND["caption"] and _AGENCY_TAIL.search(key) and not _ends_like_sentence(line.rstrip(")")):
            mark(i, "caption", "ends with a photo agency credit")
            continue
        if n <= 15 and _PHOTO_CREDIT_TAIL.search(key) and not _ends_like_sentence(line.rstrip(")")):
            mark(i, "caption", "ends with a photo credit in brackets")
            continue
        parts = credit_parts(line) if n <= 7 else ()
        if len(parts) == 2 and not _ends_like_sentence(line.rstrip(":")) and _NAME_LIKE.match(parts[0].strip()) and _NAME_LIKE.match(parts[1].strip(" :")):
            left, right = (line_key(p) for p in parts)
            if between_paragraphs(i) and not any(
                    _outlet_credit(repeated, side) or _is_agency_like(side, outlet_key, whole_codes=True)
                    for side in (left, right)):
                # a short `A – B` line between paragraphs that names no agency or outlet is a
                # crosshead (`السعودية- وأمريكا وقانون جاستا:`), not a byline or a dateline
                continue
            if right in _CREDIT_WORDS:
                mark(i, "byline", "'outlet - compiled from reports' line")
                continue
            own = [side for side, key in enumerate((left, right)) if _outlet_credit(repeated, key)]
            if len(own) == 1:
                # one side is how the outlet credits itself (it is there in many of its articles)
                other = parts[1 - own[0]].strip(" :")
                if is_known_place(other):
                    mark(i, "dateline", "the outlet's credit - place")
                    if not dateline:
                        dateline, dateline_place, dateline_agency = line.strip(), other, parts[own[0]].strip(" :")
                else:
                    mark(i, "byline", "name - the outlet's credit")
                    if not author and len(other.split()) >= 2 and line_key(other) not in _CREDIT_WORDS:
                        author = other
                continue
            if (is_known_place(parts[1].strip(" :")) and not is_known_place(parts[0].strip())
                    and len(left.split()) >= 2 and not _is_agency_like(left, outlet_key)):
                mark(i, "byline", "short 'name - place' line")  # غالب السهلي – بريدة
                if not author:
                    author = parts[0].strip()
                if not dateline:
                    dateline, dateline_place = line.strip(), parts[1].strip(" :")
                continue
            if (_is_agency_like(left, outlet_key) and not _is_agency_like(right, outlet_key)
                    and is_known_place(parts[1].strip(" :"))):
                mark(i, "dateline", "outlet or agency - place on a line of its own")  # وكالة النهار – جدة
                if not dateline:
                    dateline, dateline_place, dateline_agency = line.strip(), parts[1].strip(" :"), parts[0].strip()
                continue
            if _is_agency_like(right, outlet_key, whole_codes=True) and not _is_agency_like(left, outlet_key):
                mark(i, "dateline", "place - outlet or agency on a line of its own")
                if not dateline:
                    dateline, dateline_place, dateline_agency = line.strip(), parts[0].strip(), parts[1].strip()
            elif _is_agency_like(left, outlet_key) or len(parts[1].split()) >= 2:
                mark(i, "byline", "short 'place or outlet - name' line")
                name = parts[1].strip(" :")
                if not author and not _is_agency_like(line_key(name), ""):
                    author = name
                # the place, when the left side is one (`رأي – الاسم` names a section, not a place);
                # a credit that opens the text with a colon (`القاهرة - هند فاروق:`) keeps its dash,
                # the demo gold's way; a byline line alone (`بيروت – سامر حداد`) gives the place, dev3's
                if not dateline and not _is_agency_like(left, outlet_key) and is_known_place(parts[0].strip()):
                    dash = line[line.index(parts[0]) + len(parts[0]):].lstrip()[:1]
                    dateline_place = parts[0].strip()
                    dateline = f"{dateline_place} {dash}" if line.rstrip().endswith(":") else dateline_place
            continue

    # 1b. Share buttons one to a line: network names under a share cue, or two or more together.
    i = 0
    while i < len(spans):
        j = i
        while j < len(spans) and words[j] <= 3 and _SHARE_ITEM.match(keys[j]) and kinds[j] in (None, "comment_form", "navigation", "share"):
            j += 1
        networks = sum(bool(_SOCIAL_ONLY.match(keys[k])) for k in range(i, j))
        # a sentence announcing a list (حجبت السلطات المنصات التالية:) lists them, no buttons
        announced = i > 0 and kinds[i - 1] != "share" and raw[i - 1].rstrip().endswith(":") and words[i - 1] > 3
        if j > i and networks and not announced and (networks >= 2 or (i > 0 and kinds[i - 1] == "share")):
            for k in range(i, j):
                if kinds[k] != "share":
                    mark(k, "share", "a share button: the network's name on its own line")
        i = max(j, i + 1)

    # 2. The outlet's own chrome: lines it prints in many of its articles.
    if repeated is not None:
        for i, key in enumerate(keys):
            if kinds[i] is not None or not key:
                continue
            seen = repeated(key)
            if seen and seen[1] >= REPEAT_MIN_ARTICLES and seen[0] >= REPEAT_MIN_COUNT and seen[0] / seen[1] >= REPEAT_MIN_SHARE:
                mark(i, "repeated", f"printed in {seen[0]} of this outlet's {seen[1]} articles")

    # 3. The title: given, or the first headline-shaped line before the text starts.
    # (words of letters or digits: `FR | AR` is two words, not three)
    def real_words(i: int) -> int:
        if not any(sign in raw[i] for sign in "|/•·»›<>"):
            return words[i]
        return sum(not all(ch in "|/•·»›<>" for ch in w) for w in raw[i].split())

    def _short_lines_then_headline(i: int) -> bool:
        """Line i opens or continues a run of lines of one or two words (a menu printed one
        item a line) that ends on a longer line, the headline, within a dozen lines."""
        for j in [j for j in range(i + 1, len(spans)) if kinds[j] is None][:12]:
            if real_words(j) >= MIN_TITLE_WORDS:
                return True
            if _ends_like_sentence(raw[j]):
                return False
        return False

    title_key = line_key(title) if title else ""
    from_metadata = bool(title_key)
    title_index = -1
    if title_key:
        for i, key in enumerate(keys):
            if key == title_key and kinds[i] in (None, "repeated"):
                title_index = i
                break
    else:
        # The site's name and motto stand above its menu: nothing over the home link is the title.
        menu = next((i for i in range(min(len(spans), 12)) if kinds[i] == "navigation" and (
            _is_home_menu(raw[i], keys[i]) or reasons[i] == _MENU_REASON)), -1)
        # … when a headline follows the menu (a page whose title stands over it keeps it)
        below = next((j for j in range(menu + 1, len(spans)) if kinds[j] is None and words[j] > 2), -1) if menu > 0 else -1
        if below < 0 or not _headline_shaped(raw[below], words[below], MAX_TITLE_WORDS):
            menu = -1
        elif keys[menu] in _HOME_WORDS and below - menu <= 3:
            menu = -1  # الرئيسية / أخبار لبنان under the headline: a breadcrumb, one crumb a line
        for i in range(menu):
            if kinds[i] is None and words[i] <= 6 and not _ends_like_sentence(raw[i]):
                mark(i, "navigation", "above the site's menu: the site's name or motto")
        for i in range(len(spans)):
            if kinds[i] is not None:
                if kinds[i] in ("byline", "dateline"):
                    break
                if kinds[i] == "contact_promo" and words[i] <= 3:
                    mark(i, "navigation", "a menu link above the title")
                continue
            if real_words(i) <= 2 and not _ends_like_sentence(raw[i]) and _short_lines_then_headline(i):
                mark(i, "navigation", "one or two words above the title: a menu item")
                continue
            if (
                MIN_TITLE_WORDS <= real_words(i)
                and _headline_shaped(raw[i], words[i], MAX_TITLE_WORDS)
                and any(k is None for k in kinds[i + 1 :])
            ):
                title_index = i
                title = raw[i].strip()
                title_key = keys[i]
            break
    if title_index >= 0:
        why = "matches the title in the metadata" if from_metadata else "first headline-shaped line"
        mark(title_index, "title", why)
    if title_key:
        for i, key in enumerate(keys):
            if i != title_index and key == title_key:
                mark(i, "duplicate_title", "repeats the title")

    # 3b. A name alone between the header's chrome lines under the title (timestamp, reading
    # time, share bar): the byline without its cue.
    if title_index >= 0:
        for i in range(title_index + 1, min(len(spans) - 1, title_index + 6)):
            if kinds[i] is None and words[i] > MAX_SUBHEADING_WORDS:
                break
            if (kinds[i] is None and 2 <= words[i] <= 3 and _NAME_LIKE.match(raw[i].strip())
                    and kinds[i - 1] in _HEADER_KINDS and kinds[i + 1] in _HEADER_KINDS and kinds[i + 1] != "title"
                    and not is_known_place(raw[i].strip()) and not keys[i].startswith("ال")
                    and not any(w in _DATELINE_STOP or w in _SECTION_WORDS for w in keys[i].split())):
                mark(i, "byline", "a name alone among the header lines under the title")
                if not author:
                    author = raw[i].strip()
                break

    # 4. Blocks: links under a related header, everything under a comments header.
    i = 0
    while i < len(spans):
        if kinds[i] == "related_header" and reasons[i].startswith("starts with") and words[i] >= 5 and (
                ":" in raw[i] or ".." in raw[i] or "…" in raw[i]):
            mark(i, "related_link", "a related headline after its header on one line")
        elif (kinds[i] == "read_more" and words[i] <= 3 and sum(
                1 for j in range(i + 1, min(i + 3, len(spans))) if kinds[j] is None
                and not raw[j].lstrip().startswith(_QUOTE_START)
                and _headline_shaped(raw[j], words[j], MAX_LINK_WORDS) and words[j] >= MIN_TITLE_WORDS) == 2):
            # `اقرأ المزيد` over two or more headlines heads a list of links, not one link
            mark(i, "related_header", "a 'read more' label over a list of headlines")
            continue  # its links are marked on the next pass of this loop
        elif kinds[i] == "related_header" and reasons[i].startswith(("is the cue", "starts with", "a 'read more'")):
            j = i + 1
            while j < len(spans) and kinds[j] is None and not raw[j].lstrip().startswith(_QUOTE_START) and _headline_shaped(raw[j], words[j], MAX_LINK_WORDS):
                mark(j, "related_link", "headline-shaped line under a related-links header")
                j += 1
            i = j
            continue
        if kinds[i] == "advert" and keys[i] in _SPONSORED_LABELS and i + 1 < len(spans) and kinds[i + 1] is None \
                and 6 <= words[i + 1] <= 30 and (all(k is not None for k in kinds[i + 2:]) or (
                    not _ends_like_sentence(raw[i + 1]) and any(w in _PROMO_WORDS for w in keys[i + 1].split()))):
            # the promoted item under its label: an offer, or the page's last text (an empty
            # slot's label can stand over a crosshead: `محتوى إعلاني` then `تفاصيل القضية`)
            mark(i + 1, "advert", "the sponsored item under its label")
        if kinds[i] == "navigation" and keys[i] in _TAG_HEADERS:
            # the tags under their header, one a line: short lines without a sentence's end
            j = i + 1
            while (j < len(spans) and kinds[j] in (None, "repeated") and words[j] <= 4 and not _ends_like_sentence(raw[j])
                   and not any(w in _TAG_STOP for w in keys[j].split())):
                mark(j, "navigation", "a tag under the tags header")
                j += 1
        if kinds[i] == "navigation" and keys[i] in _POLL_HEADERS and i > last_sentence:
            # a poll: its question, its answers and its button
            j = i + 1
            while j < len(spans) and j <= i + 8 and kinds[j] in (None, "comment_form", "repeated") and (
                    words[j] <= 4 or (j == i + 1 and raw[j].rstrip().endswith(("؟", "?")) and words[j] <= 25)):
                j += 1
                if keys[j - 1] in _POLL_BUTTONS:
                    for k in range(i + 1, j):  # up to its button: what follows is another box
                        mark(k, "navigation", "the poll under its header: question, answers, button")
                    break
        if kinds[i] in (None, "repeated") and i > last_sentence and i + 1 < len(spans) and kinds[i + 1] == "newsletter" \
                and words[i] <= 5 and not _ends_like_sentence(raw[i]):
            mark(i, "newsletter", "the newsletter's name over its sign-up box")
        if kinds[i] == "comments" and i >= len(spans) * 0.4:
            for j in range(i + 1, len(spans)):
                if kinds[j] in (None, "timestamp_label", "repeated"):
                    mark(j, "comments", "after the comments header")
        i += 1

    # 5. What remains is text: body, or a crosshead between body lines.
    content = [i for i, k in enumerate(kinds) if k is None]
    for position, i in enumerate(content):
        line = raw[i]
        between = 0 < position < len(content) - 1
        first_word = keys[i].split(" ", 1)[0] if keys[i] else ""
        if (
            between
            and _headline_shaped(line, words[i], MAX_SUBHEADING_WORDS)
            and not (line.rstrip().endswith(("?", "؟", "!")) and (":" in line or first_word[:1] in ("و", "ف")))
            and not line.lstrip().startswith(_QUOTE_START + ("(", "[", "-", "*", "•"))
            and not (first_word[:1] in ("و", "ف") and len(first_word) >= 4 and ":" in line)
            and (words[content[position - 1]] > MAX_SUBHEADING_WORDS
                 # after a list's last item (a short full sentence) and before a paragraph
                 # (numbered or bulleted: a `- ` line is as often an interview's answer), not
                 # the list's last item itself
                 or (_LISTED.match(raw[content[position - 1]]) and _ends_like_sentence(raw[content[position - 1]])
                     and not _LIST_ITEM.match(line)
                     and words[content[position + 1]] > MAX_SUBHEADING_WORDS))
        ):
            mark(i, "subheading", "short headline-shaped line between paragraphs")
        else:
            mark(i, "body", "running text")

    # 5b. After the last paragraph, a short `المصدر: …` line credits the source.
    text_rows = [i for i, k in enumerate(kinds) if k in ("body", "subheading")]
    if text_rows:
        for i in range(text_rows[-1], len(spans)):
            if kinds[i] in ("body", "subheading") and words[i] <= 8 and _SOURCE_CREDIT.match(keys[i]) and i != text_rows[0]:
                mark(i, "copyright", "credits the source after the text")

    # 5c. The author's short biography closing the text: it opens with the author's name, or
    # with an asterisk (`* أستاذة الأدب المقارن …`).
    if author and len(text_rows) >= 3:
        last = next(i for i in range(len(spans) - 1, -1, -1) if kinds[i] in ("body", "subheading"))
        name_key = line_key(_HONORIFIC.sub("", _byline_author(author)).strip())
        bio_key = line_key(_HONORIFIC.sub("", raw[last].strip()))
        after_name = bio_key[len(name_key):].split()[:6] if bio_key.startswith(name_key + " ") else []
        starred = bio_key.split()[:6] if raw[last].lstrip().startswith("*") and words[last] <= 20 else []
        listed = last > 0 and raw[last - 1].lstrip().startswith("*")  # the last item of a starred list
        if len(name_key.split()) >= 2 and words[last] <= 35 and (
                any(w in _BIO_WORDS or (w[:1] == "و" and w[1:] in _BIO_WORDS) for w in after_name[:3])
                or (starred and not listed and any(w in _BIO_WORDS for w in starred))):
            mark(last, "byline", "the author's short biography after the text")

    # 6. Repeated lines take the kind their place suggests.
    body_rows = [i for i, k in enumerate(kinds) if k in ("body", "subheading")]
    first_body = body_rows[0] if body_rows else len(spans)
    last_body = body_rows[-1] if body_rows else -1
    for i, kind in enumerate(kinds):
        if kind == "repeated":
            place = "navigation" if i < first_body else "contact_promo" if i > last_body else "advert"
            mark(i, place, reasons[i])

    # 7. A dateline glued to the first body line.
    # It opens the first paragraph, or the second when the first is a standfirst under the title.
    for row in body_rows[:2] if not dateline else ():
        first = raw[row]
        credit = find_credit_dateline(first, outlet_key)
        if credit is not None:
            length, names, dateline_agency, dateline_place = credit
            dateline = first[:length].strip().strip("\u200e\u200f\u202a\u202b\u202c\u202d\u202e").strip()
            if names and not author:
                author = names
            break
        found = find_glued_dateline(first, outlet_key)
        if found and first[found[0]:].strip():
            length, dateline_place, dateline_agency = found
            dateline = first[:length].strip()
            break

    if not dateline and fallback_place:
        dateline = dateline_place = fallback_place
    author = _HONORIFIC.sub("", author.strip()).strip() if author else ""
    lines = tuple(
        Line(start, end, line, kind or "body", reason)
        for (start, end), line, kind, reason in zip(spans, raw, kinds, reasons)
    )
    lines = _split_code_tails(_split_share_head(_split_link_tail(_split_tag_tail(lines))))
    return LineVerdict(
        lines=lines,
        title=title.strip(),
        author=author,
        dateline=dateline,
        dateline_place=dateline_place,
        dateline_agency=dateline_agency,
        published=published or updated,
    )
