"""Quotes and who said them, in Arabic news text.

    >>> text = 'وقال سعد الحديثي المتحدث باسم الحكومة إن "الزيارة مهمة جداً".'
    >>> [(q.speaker, q.verb, q.text, q.direct) for q in find_quotes(text)]
    [('سعد الحديثي', 'قال', 'الزيارة مهمة جداً', True)]

Direct quotes are read between quotation marks of any style (“…”, «…», "…", ‘…’), tolerating
marks that are never closed, closed with an opening mark, or stray; indirect speech is a
reporting verb with ``أن``/``إن`` and no quotation marks (``وأشار الوزير إلى أن …``).

The speaker is the phrase after the reporting verb (``وقال سعد الحديثي المتحدث باسم… إن``), or
after the quote (``"…" قال كارتر``). Verbs without a subject (``وأضاف``, ``وتابع``) and
circumstantial forms (``مشددا``, ``مبينا``, ``معلناً``) carry the previous speaker. Without
entities a name is taken from the phrase (titles and roles skipped), a surname alone is resolved
to the last full name ending with it, and a role alone (``وزير الدفاع الأميركي``) to the last
full name written with that role; an organisation or an unnamed source is kept as written.
With entities (`EntitySpan` with a canonical name) the entity inside the phrase wins.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from khabar.extract.entities import a_place
from khabar.extract.known_names import nationality_keys
from khabar.extract.quantities import (
    Tok,
    light,
    load_table,
    norm_index,
    normalized,
    tokens,
    weekday_names,
)
from khabar.model import EntitySpan, QuoteSpan
from khabar.text.normalize import Normalized, normalize_text
from khabar.text.sentences import LATIN_LETTER_NAMES
from khabar.text.tokens import derived_verbal_noun

__all__ = ["find_quotes"]

OPEN_MARKS = "“«„‘‹"
CLOSE_MARKS = "”»’›‟"
BOTH_MARKS = "\"'"
ALL_MARKS = OPEN_MARKS + CLOSE_MARKS + BOTH_MARKS
_MARK_RE = re.compile("[" + re.escape(ALL_MARKS) + "]")
_WORD_RE = re.compile(r"[^\s\"'“”«»„‘’‹›‟,،.:;!?()]+")


def _key(word: str) -> str:
    return normalize_text(word)


def _keys(words: str) -> frozenset[str]:
    return frozenset(_key(w) for w in words.split())


@lru_cache(maxsize=1)
def _verbs() -> dict[str, tuple[str, str]]:
    out = {}
    for form, lemma, kind in load_table("reporting_verbs.tsv"):
        out[_key(form)] = (lemma, kind)
    return out


_THAT = _keys(
    """أن إن ان أنه إنه انه أنها إنها انها بأن بان بأنه بانه بأنها وأن وإن فإن فان فإنه فانه أنهم إنهم
    بأنهم أننا إننا بأننا أنني إنني بأنني أنهما إنهما بأنهما أنهن إنهن بأنهن"""
)
_STOPS = _keys(
    """إلى الى عن حول مع ضمن حين عندما وفق وفقا بينما لكن حيث الذي التي الذين اللذين اللذان اللتين اللتان
    اللواتي اللاتي هو هي هم وهو وهي وهم
    منه منها منهم عنه عنها عنهم له لها لهم به بها بهم فيه فيها فيهم عليه عليها عليهم
    نقلا نقلاً ما عما مما منذ بشكل بصورة طوال طيلة إليه إليها إليهم كيف لماذا متى ماذا أين هل فور"""
)
_SOFT_STOPS = _keys("في خلال على عقب أمام لدى عبر بعد قبل أثناء خلال")
# a sentence that opens with one of these (وفي بيان …، وعقب المحاكمة …،) has its verb after the
# comma; not عبر, also a verb (وعبر الوزير عن …)
_OPENING_PREPOSITIONS = _SOFT_STOPS - _keys("عبر")
_RELATIVES = _keys("الذي التي الذين اللذين اللتين اللواتي اللاتي")
_TITLE_DOTS = _keys("د م أ")  # د. (doctor), م. (engineer), أ. (professor) before a name
_CONTEXT = _keys(
    """بيان تصريح تصريحات حديث مؤتمر كلمة لقاء مقابلة اتصال رسالة منشور تغريدة ندوة جلسة هامش
    نشرتها نشرته بلاغ تقرير اجتماع ختام افتتاح زيارة تصريحه تصريحها حديثه حديثها كلمته كلمتها
    بيانها بيانه مؤتمره مؤتمرها ردها رده معرض سياق أعقاب وقت وقفة احتفال حفل حوار جولة ختام نهاية
    المباراة مباراة المواجهة اللقاء الاجتماع الجلسة المؤتمر القمة المحادثات الزيارة التدريب"""
)
# After a reporting verb, words that say how or to whom it was said (قال مخاطباً الصحفيين) or
# what was stressed (أكد ضرورة أن …): the words after them are no speaker.
_NOT_A_SPEAKER = _keys(
    """مخاطبا مخاطبة مخاطبين متوجها متوجهة موجها موجهة ردا رداً
    ضرورة أهمية اهمية استعداد رفض حرص عزم التزام نية إمكانية امكانية احتمال وجوب أحقية
    طالبا طالبة مفضلا مفضلة رافضا رافضة"""
)
# ... and what was stressed right after the verb (أكد عدم وجود خلل، أكد مواصلة الحملة): no speaker
# there, though the words may be part of one further on (قوات تحالف دعم الشرعية)
_STRESSED = _NOT_A_SPEAKER | _keys("عدم وجود مواصلة استمرار تمسك دعم حاجة جاهزية قدرة تضامن ثقة")
_TO_WHOM = _keys(
    "للصحفيين للصحافيين للصحافة لموقع لوكالة لصحيفة لقناة لإذاعة لتلفزيون للتلفزيون للإذاعة لـ ل"
    " للصحيفة للوكالة للقناة للموقع للمجلة للجريدة للشبكة"
    # a news medium named with a glued ل: قال مصدر أمني لبي بي سي، قالت الشرطة للجزيرة
    " لبي لسي لرويترز للجزيرة للعربية لفرانس لسكاي لسبوتنيك للحرة للميادين للأناضول للحدث"
    " لشبكة لمحطة لمجلة لجريدة لراديو للشرق لبلومبرغ لبلومبيرغ لأسوشيتد لدويتشه لمونت لإندبندنت للإندبندنت للغارديان لنيويورك"
)
# how it was said (قال ساخرا): not who said it
_MANNER_OF_SAYING = _keys(
    "ساخرا ساخرة مازحا مازحة ضاحكا ضاحكة متسائلا متسائلة مجددا مجدداً مرارا مراراً تكرارا وتكرارا آنفا آنفاً"
    " ثانية ضمنا ضمنًا ضمنيا صراحة صراحةً تلميحا"  # أكد ثانية: again; أشار ضمنا: implicitly
    " فورا فوراً لاحقا لاحقاً"  # يضيف فورا أن: at once
)
_SKIP = _keys(
    "أيضا ايضا كذلك بدوره بدورها من جهته جهتها جانبه جانبها ناحيته بالقول قائلا قائلة"
    " خلاله خلالها خلالهم خلالهما"  # أكد من خلالها أنه: through it, no one
) | _MANNER_OF_SAYING
# the first person plural that begins what was said without a quotation mark (فقال نتطلع إلى …,
# فقال نحن): no speaker; with the pattern نتفعّل/نتفاعل below
_FIRST_PERSON = _keys("نحن نأمل نسعى نريد نعمل نرى نؤكد نرفض نطالب نعتقد ندعو نرحب نحرص")
_EXALTED = _keys("تعالى سبحانه")
_MORE_OR_LESS = _keys("أكثر اكثر أقل اقل")
_TIMES = _keys("مرة مرتين مرات مناسبة مناسبتين مناسبات موقف")  # أكثر من مرة: how often
# verbs of describing and accusing: verb [subject] object ب…
_OBJECT_THEN_BA = _keys("وصف اتهم")
_ALLAH = _key("الله")
_CITED_NOT_SPEAKING = frozenset({"الله", "النبي محمد"})
_HOW_SAID = _MANNER_OF_SAYING | _keys(
    "أولا أولاً ثانيا ثانياً أخيرا"
    " النظر الانتباه النقاب الستار"  # لفت النظر إلى أن, كشف النقاب عن: drew attention to, revealed
)
# after the subject, an adverb ends it (وقالت الشرطة أيضا إن), as does من before أن or جهته
_ADVERBS = _keys("أيضا ايضا أيضًا كذلك بدوره بدورها بدورهم")
_ADDED = "أضاف"  # the lemma of أضاف, also "to add" a number of things
_MUCH = _keys("كثيرا كثيراً الكثير قليلا قليلاً القليل مزيدا مزيداً المزيد")


def _an_amount(w: str) -> bool:
    """A number or an amount word right after أضاف: what was added, not a speaker."""
    from khabar.extract.quantities import parse_number_words

    return w[:1].isdigit() or w in _MUCH or parse_number_words([w]) is not None
# إن with its kasra, as written (not a key: keys fold it into أن), opens what a verb of saying
# reports, never a clause after an object; so does ان written without a hamza (never أن)
_SAID_THAT = frozenset("إن إنه إنها إنهم إنهن إننا إنني ان انه انها انهم".split())  # and without hamza
_MIN_THROUGH = _keys("خلال قبل طرف")  # من خلال (by way of), من قبل (by): how, not who
_SIDE = _keys("جهته جهتها جهتهم جانبه جانبها جانبهم ناحيته ناحيتها")
# the verb of a relative clause with no relative pronoun: مسعف يعمل في …، مسؤول رفض الكشف عن اسمه
_CLAUSE_VERBS = _keys(
    """يعمل تعمل يعملون يقيم تقيم يسكن تسكن يعيش تعيش ينتمي تنتمي رفض رفضت رفضوا طلب طلبت طلبوا
    فضلت فضلوا اشترط اشترطت"""
)
_ROLES = _keys(
    """وزير الوزير وزيرة الوزيرة رئيس الرئيس رئيسة الرئيسة نائب النائب نائبة المتحدث متحدث
    المتحدثة الناطق ناطق الناطقة المستشار مستشار مستشارة المستشارة مدير المدير مديرة المديرة
    الدكتور الدكتورة د الشيخ اللواء العميد العقيد الفريق المقدم الرائد السفير السفيرة الأمين
    عضو العضو قائد القائد محافظ المحافظ المسؤول الخبير الباحث الباحثة المحلل المحللة
    الأستاذ الأستاذة المهندس المهندسة وكيل الوكيل مساعد المساعد عميد العميدة زعيم الزعيم
    مؤسس المؤسس الكاتب الكاتبة الصحفي الصحفية المواطن المواطنة المدرب اللاعب الفنان الفنانة
    محامي محامية
    المخرج الممثل الممثلة الملك الأمير الأميرة ولي النجم القاضي المدعي المحامي المحامية
    الطبيب الطبيبة المراسل المراسلة السيد السيدة الحاج البروفيسور المفوض المبعوث رئيسي
    والمتحدث والناطق والمستشار ومدير والمدير ونائب ووزير والوزير ورئيس والرئيس مدرب الحكم
    الأب البابا المطران الإمام المرشد المنسق المنسقة الأمينة الخبيرة مراقب المراقب نقيب النقيب والي الوالي
    سعادة معالي سمو فخامة سماحة أستاذ مدرب مبعوث الناقد الناقدة الحاكم المندوب المندوبة النائبة
    سفير سفيرة مندوب مندوبة ممثل ممثلة"""
)
# place-type words: "والي ولاية وهران" is a role and a place, not a name
_PLACE_HEADS = _keys("ولاية محافظة مدينة بلدية إقليم منطقة قرية دوار مقاطعة قضاء ناحية")
# titles that are also family names when they follow a given name (هالة السيد، نبيل الحاج)
_ROLE_SURNAMES = _keys("السيد الحاج الشيخ")
_ROLES_WITH_AN = _keys("المسؤول مسؤول المسؤولة مسؤولة النائب نائب النائبة نائبة")
_CONNECT = _keys("باسم لدى في من عن ل لشؤون بن ابن بنت")
# an indefinite head that a quoted name follows (وكالة "يونهاب", صحيفة "الأيام")
# an outlet's or a firm's long foreign name follows these (صحيفة «لا غازيتا ديللو سبورت»), while
# منظمة «منافقة وأنانية …» describes
_HEADLINE_OPENERS = _keys("هذا هذه ذلك تلك هو هي نحن أنا لن لم قد إن")
_OUTLET_HEADS = _keys("وكالة صحيفة جريدة مجلة قناة شبكة موقع إذاعة اذاعة محطة شركة")
_NAMED_HEADS = _keys(
    "وكالة صحيفة جريدة مجلة قناة شبكة موقع إذاعة اذاعة محطة شركة منظمة جمعية حركة حزب تيار ائتلاف جبهة"
)
_ORG_HEADS = _keys(
    """وزارة الوزارة هيئة الهيئة دائرة مديرية المديرية شركة الشركة جامعة الجامعة مصرف المصرف
    بنك البنك وكالة الوكالة منظمة المنظمة الحكومة حكومة المعهد معهد اللجنة لجنة السلطات سلطات
    مجلس المجلس جمعية الجمعية حزب الحزب قوات القوات الجيش البيت الرئاسة رئاسة مكتب المكتب
    الحماية الشرطة مركز المركز مراكز الأمم الاتحاد اتحاد البرلمان النيابة المحكمة محكمة إدارة
    الإدارة الخارجية الداخلية المرصد المنظمون الاتحادية مؤسسة المؤسسة الهلال الصليب البعثة
    التحالف الأرصاد الدفاع المفوضية مفوضية نقابة النقابة غرفة الغرفة صندوق الصندوق البنك
    المجموعة مجموعة الائتلاف ائتلاف الحركة حركة الشبكة شبكة الصحيفة صحيفة موقع الموقع مجلة المجلة
    جريدة الجريدة قناة القناة إذاعة الإذاعة محطة شرطة"""
)
_UNNAMED = _keys(
    """مصدر مصادر مسؤول مسؤولون مسؤولة خبير خبراء شهود شاهد مواطن مواطنون مواطنة سكان إحدى أحد
    ناشط ناشطون ناشطة مراقبون محللون دبلوماسي دبلوماسيون مصدران عدد بعض طبيب أطباء
    مراسل مراسلة مراسلو مراسلون مراسلي مراسلين مسؤولين محللين مراقبين ناشطين دبلوماسيين مواطنين
    مسؤولو مسؤولي موظف موظفو موظفون موظفي موظفين
    نشطاء"""
)
_STATEMENT = _keys("بيان البيان بلاغ البلاغ تقرير التقرير نشرة النشرة تصريح التصريح رسالة الرسالة")
_CLAUSE_START = _keys('. , : ; ! ? ( ) " - كان وكان كانت وكانت لكن ولكن بينما فيما كما ثم حيث إذ')
# غير أن / إلا أن + subject + verb: the particle opens a clause
_BUT_THAT = _keys("غير إلا الا كما بيد رغم حين")  # في حين أن X قال: a clause too
_AMBIGUOUS = _keys("بين طالب كتب حذر ذكر توقع كشف لفت نوه رأى تابع")
_DEMONSTRATIVES = _keys("ذلك هذا هذه تلك هؤلاء")
_WEEKDAYS = " ".join(weekday_names())
_TIME_WORDS = _keys(
    f"""اليوم أمس الأمس {_WEEKDAYS} صباح مساء ظهر
    فجر الأسبوع الشهر العام السنة الماضي الماضية المقبل المقبلة الجاري الحالي الفائت الفارط
    وقتها حينها آنذاك وقتئذ حينئذ بعدها قبلها خلالها خلاله خلالهما يومها يومئذ ليلتها ساعتها"""
)
# نهاية الشهر الماضي, مطلع الأسبوع: a part of a time, a time too when a time word follows
_TO_IT = _keys("إليه إليها إليهم")
_WHEN = _keys("عقب بعد قبل أثناء إثر قبيل بعيد")
_WHERE_SAID_HIS = _keys(
    """مقاله مقالها بيانه بيانها حديثه حديثها تصريحه تصريحها تصريحاته تصريحاتها كلامه كلامها خطابه
    خطابها لقائه لقائها حسابه حسابها تقريره تقريرها""")
_TIME_PARTS = _keys("نهاية بداية مطلع منتصف أواخر أوائل مطلع خلال طوال")
# a time noun ends a name (بنيامين نتنياهو يوم الثلاثاء)
_DAY_WORDS = _keys(f"يوم اليوم أمس الأمس {_WEEKDAYS} صباح مساء ظهر ليلة عشية")
_NAME_JOIN = _keys("عبد أبو أبي بن ابن بنت آل ال أم")


@dataclass(slots=True)
class _Speaker:
    name: str = ""  # canonical or best name
    text_start: int = -1  # span of the speaker phrase (or the name in it) in the original text
    text_end: int = -1
    kind: str = ""  # person|org|role|unnamed|none


@dataclass(slots=True)
class _Memory:
    """What the article has said so far: last speaker, full names by surname and by role."""

    last: _Speaker | None = None
    carry: tuple[_Speaker, str] | None = None  # a quotation left open at the end of a paragraph
    said: list[_Speaker] | None = None  # every speaker so far, in order (for الوزارة / المصدر)
    surnames: dict[str, str] | None = None
    roles: list[tuple[int, tuple[str, ...], str]] | None = None
    names: frozenset[str] | None = None  # `_name_keys` of the article's entities, once needed
    masculine: set[str] | None = None  # people named as the subject of a masculine verb
    feminine: set[str] | None = None  # and of a feminine one

    def __post_init__(self) -> None:
        self.masculine = set()
        self.feminine = set()
        self.said = []
        self.surnames = {}
        self.roles = []

    def role(self, key: tuple[str, ...], pos: int) -> str | None:
        """The full name last written with this role before `pos` (or first after it)."""
        if not key:
            return None
        entries = self.roles or []
        for exact in (True, False):
            found = [
                (p, name)
                for p, k, name in entries
                if (k == key if exact else _same_role(k, key))
            ]
            if found:
                before = [f for f in found if f[0] < pos]
                return (before[-1] if before else found[0])[1]
        return None


# roles held for someone else: their holder is not the one they serve (نائب الرئيس)
_FOR_SOMEONE = _keys("نائب نائبة مساعد مساعدة وكيل متحدث متحدثة ناطق ناطقة مستشار مستشارة")
# second words that make "رئيس" another post than the bare الرئيس (the head of state)
_OTHER_POST = _keys("الوزراء الحكومة مجلس المجلس البرلمان النواب")
# the word after which a role names whom it speaks for: a third word tells such roles apart
_FOR_WHOM = _keys("باسم لدى")


def _same_role(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two role keys can name one post: the same head (نائب الرئيس is no الرئيس), and
    the same second word, or one left out (الوزير = وزير الخارجية) unless it makes another post
    (الرئيس ≠ رئيس الوزراء)."""
    if a[:1] != b[:1]:
        return False
    if len(a) >= 2 and len(b) >= 2:
        return a[1] == b[1] and (a[1] not in _FOR_WHOM or a[2:3] == b[2:3])
    longer = a if len(a) >= 2 else b
    return len(longer) < 2 or longer[1] not in _OTHER_POST


# titles that a role follows in apposition, not as its head: معالي الوزير, سمو الأمير
_HONORIFICS = _keys("سعادة معالي سمو فخامة سماحة د")


def _inside_a_role(toks: Sequence[Tok], i: int) -> bool:
    """Whether the role word toks[i] completes an earlier role or body (نائب الرئيس, مستشار
    الرئيس, المتحدث باسم الرئيس) rather than heading a role of its own."""
    if i == 0:
        return False
    prev = toks[i - 1].text
    if prev in ("باسم", "لدي") or prev in _ORG_HEADS:
        return True
    role = _role_word(prev)
    return role is not None and not role.startswith("ال") and role not in _HONORIFICS


def _base(word: str) -> str:
    """A normalized word without a leading و/ف."""
    if len(word) > 2 and word[0] in "وف" and _key(word[1:]) in _verbs():
        return word[1:]
    return word


@lru_cache(maxsize=100_000)
def _verb_at(word: str) -> tuple[str, str] | None:
    verbs = _verbs()
    if word in verbs:
        return verbs[word]
    if len(word) > 3 and word[0] in "وف" and word[1:] in verbs:
        return verbs[word[1:]]
    return None


def _marks(line: str) -> list[tuple[int, int]]:
    """(start, end) of quoted stretches in `line`, tolerating unbalanced and mixed marks."""
    spans: list[tuple[int, int]] = []
    inside = -1
    opener = ""
    n = len(line)
    for match in _MARK_RE.finditer(line):
        i = match.start()
        ch = line[i]
        before = line[i - 1] if i > 0 else " "
        after = line[i + 1] if i + 1 < n else " "
        if ch in "'’‘" and before.isalpha() and after.isalpha():
            continue  # an apostrophe inside a word
        if inside < 0:
            if ch in CLOSE_MARKS:
                continue  # a stray closing mark
            if after.isspace() and ch in BOTH_MARKS:
                continue
            inside = i + 1
            opener = ch
        else:
            if ch in "'‘’" and opener not in "'‘’":
                continue  # an apostrophe inside a double-quoted stretch
            if ch in '"“”«»„' and opener in "'‘’":
                continue
            spans.append((inside, i))
            inside = -1
            # an opening mark inside a quote closes it and, unless a reporting word follows
            # (“مشددا على أن), opens the next one: “الوضع مستقر، ومن “المهم أن …”
            if ch in OPEN_MARKS and (before.isspace() or before in ",،") and not after.isspace():
                nxt = _WORD_RE.match(line, i + 1)
                if nxt is None or not _verb_at(normalize_text(nxt.group())):
                    inside = i + 1
                    opener = ch
    if inside >= 0:
        spans.append((inside, n))
    return [(s, e) for s, e in spans if line[s:e].strip()]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ALL_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ALL_MARKS):
        end -= 1
    return start, end


def find_quotes(
    text: str,
    lines: Iterable[tuple[int, int]] | None = None,
    sentences: Iterable[tuple[int, int]] | None = None,
    entities: Sequence[EntitySpan] = (),
    name_lines: Iterable[tuple[int, int]] | None = None,
    titles: Iterable[tuple[int, int]] = (),
) -> list[QuoteSpan]:
    """Direct and indirect quotes in the body `lines` of `text`, with speakers and verbs.

    `sentences` (spans in `text`) bound indirect speech; `entities` give canonical speakers;
    `name_lines` (default: `lines`) are where full names and roles are learnt (title, captions…);
    `titles` are headline lines, read for quotations only (``الزعبي: «…»``, or a quotation the
    body gives to someone: ``«لن نترك أحداً».. رئيس البلدية يتعهد``).
    """
    norm = normalized(text)
    line_spans = list(lines) if lines is not None else _all_lines(text)
    sentence_spans = sorted(sentences) if sentences is not None else None
    memory = _Memory()
    ents = sorted(entities, key=lambda e: e.start)
    _remember_names(
        text, norm, list(name_lines) if name_lines is not None else line_spans, memory, ents
    )
    out: list[QuoteSpan] = []
    at: dict[tuple[int, int], int] = {}
    people = {e.canonical or e.text for e in ents if e.label == "PER"}
    for lstart, lend in line_spans:
        for q in _line_quotes(text, norm, lstart, lend, sentence_spans, memory, ents):
            # وأضاف الوزير قائلا إن …: the verb and قائلا both cue the one clause after them;
            # where the two read other speakers, a person the entities stage found wins
            i = at.get((q.start, q.end))
            if i is None:
                at[(q.start, q.end)] = len(out)
                out.append(q)
            elif q.speaker in people and out[i].speaker not in people:
                out[i] = q
    heads: list[QuoteSpan] = []
    for tstart, tend in titles:
        heads.extend(_title_quotes(text, norm, tstart, tend, memory, out, ents))
    return sorted(heads + out, key=lambda q: q.start) if heads else out


def _title_quotes(
    text: str,
    norm: Normalized,
    tstart: int,
    tend: int,
    memory: _Memory,
    body: Sequence[QuoteSpan],
    ents: Sequence[EntitySpan],
) -> list[QuoteSpan]:
    """Quotations in a headline: 'speaker: «…»', or one the body attributes (same words)."""
    out = []
    line = text[tstart:tend]
    for s, e in _marks(line):
        qs, qe = tstart + s, tstart + e
        cs, ce = _strip_span(text, qs, qe)
        words = set(_key(text[cs:ce]).split())
        if len(words) < 3:
            continue  # a name or a title in quotation marks: «الطاقة» تطلق …
        speaker = None
        # the body quotes the same words: «لن نترك أحداً في الشارع».. / “لن تترك أحداً …”
        best, share = None, 0.0
        for q in body:
            if q.direct:
                overlap = len(words & set(_key(q.text).split())) / len(words)
                if overlap > share:
                    best, share = q, overlap
        if best is not None and share >= 0.6:
            speaker = _Speaker(best.speaker, best.speaker_start, best.speaker_end, "person")
        prefix = text[tstart : qs - 1].rstrip()
        if speaker is None and prefix.endswith(":") and 1 <= _words(prefix) <= 6:
            # الزعبي: «…» : the phrase before the colon, when it names someone the body quotes
            toks = tokens(norm.text, norm_index(norm, tstart), norm_index(norm, qs - 1))
            toks = [t for t in toks if t.text != ":"]
            if toks:
                found = _speaker_from_phrase(text, norm, toks, 0, len(toks), memory, ents)
                known = {_key(q.speaker) for q in body}
                if found.kind != "none" and _key(found.name) in known:
                    speaker = found
        if speaker is None:
            continue
        out.append(_quote(text, cs, ce, speaker, "", True))
    return out


def _all_lines(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for part in text.split("\n"):
        if part.strip():
            spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans


# --------------------------------------------------------------------------- names


def _phrase(toks: Sequence[Tok], i: int, limit: int = 14) -> int:
    """Index after the speaker phrase that starts at toks[i]."""
    j = i
    while j < len(toks) and j - i < limit:
        w = toks[j].text
        if w == "عن" and j > i and toks[j - 1].text in _ROLES_WITH_AN:
            j += 1  # المسؤول عن الورشة سيف الدين سليم
            continue
        if w == "." and j > i and _letter_name_dot(toks, j):
            j += 1  # شبكة بي. بي. سي. البريطانية
            continue
        if (w == "." and j > i and toks[j - 1].text in _TITLE_DOTS and toks[j - 1].end == toks[j].start
                and j + 1 < len(toks)):
            j += 1  # أمين المنطقة د. سامي العلي: a title's abbreviation (doctor, engineer)
            continue
        if (j > i + 1 and toks[j - 1].text == "." and w in _latin_letter_keys() and _letter_name_dot(toks, j - 1)
                and (toks[j - 1].end == toks[j].start
                     or (j + 1 < len(toks) and toks[j + 1].text == "." and toks[j + 1].start == toks[j].end))):
            j += 1  # شبكة سي.إن.إن: إن is a letter here, not the particle
            continue
        if w in _THAT or w in _STOPS or w in (",", ":", ";", ".", "(", ")", "-", "!", "?"):
            break
        if _first_person(w):
            break  # فقال نتطلع لدور …: what was said begins
        if j > i and (w in _DAY_WORDS or w[0].isdigit()):
            break  # وأعلنت الولايات المتحدة أمس أن
        if (j > i and w in _MORE_OR_LESS and j + 1 < len(toks) and toks[j + 1].text == "من"
                and toks[j - 1].text not in _SOFT_STOPS):
            break  # استقبل مركز المناصحة أكثر من …: what it did, the share begins no name
        if w in _DEMONSTRATIVES and (j - i >= 2 or (j > i and j + 1 < len(toks) and toks[j + 1].text in _TIME_WORDS)):
            # رفضت الرابطة الإسبانية هذا الاتفاق, أبلغت لجنة برلمانية هذا الأسبوع أن: the object
            # or a time after a noun and its adjective; رئيس هذه اللجنة is one phrase
            break
        if j > i and (w in _ADVERBS or w in _CLAUSE_VERBS or w in _NOT_A_SPEAKER or w in _HOW_SAID):
            break  # الشركة أيضا، مسؤول رفض الكشف عن اسمه، الوزير على أهمية، الاستطلاع مجددا
        if (
            j > i
            and w == "من"
            and j + 1 < len(toks)
            and (toks[j + 1].text in _THAT or toks[j + 1].text in _SIDE or toks[j + 1].text in _MIN_THROUGH)
        ):
            break  # وحذرت الشركة من أن، وقال الوزير من جهته إن، أوضحت الجامعة من خلال بيان
        if w in ('"', "'"):
            # a short quoted name inside the phrase: شركة «الأفق» للوساطة رانيا منصور إن
            reach = 7 if j > i and toks[j - 1].text in _NAMED_HEADS else 5  # صحيفة «لا غازيتا ديللو سبورت»
            close = next((c for c in range(j + 1, min(j + reach, len(toks))) if toks[c].text == w), -1)
            if close > j + 1 and any(t.text in _THAT for t in toks[close + 1 : close + 8]):
                if j > i and toks[j - 1].text in _NAMED_HEADS:
                    j = _describing_words_end(toks, close + 1)
                    if j < len(toks) and toks[j].text.startswith("ال"):
                        break  # انتقد حزب "…" المشروع: the name ends, its object follows
                    continue
                j = close + 1
                continue
            if (close > j + 1 and j > i and toks[j - 1].text in _NAMED_HEADS
                    and not any(t.text in (".", ",", "،") for t in toks[j + 1 : close])):
                # وكالة "يونهاب" للأنباء الكورية الجنوبية الرسمية، الثلاثاء، إن: an indefinite
                # head is always followed by its name, however far the أن, and by the words
                # that describe it; what comes after them is the verb's object (طالبت صحيفة
                # "الصباح" لاعبي المدرب …, كشفت صحيفة "النهار" علاقتها …) unless a short
                # name runs on to the speech (شبكة "بي إن" ناصر الخليفي:)
                j = _describing_words_end(toks, close + 1)
                if j - i < limit and _speech_ahead(toks, j):
                    continue
            break
        if _verb_at(w):
            break
        if j > i and _object_verbal_noun(toks, i, j):
            break  # رفضت شركة أبل التعليق، رفضت الحكومة الرد: the verb's object, not the name's
        if w in _TO_WHOM and j > i:
            break  # وقال مصدر مقرب من الإطار لـ"دجلة نيوز": the listener ends the speaker
        if w in _TO_WHOM and j + 1 < len(toks) and toks[j + 1].text in ('"', "'"):
            close = next(
                (
                    c
                    for c in range(j + 2, min(j + 6, len(toks)))
                    if toks[c].text == toks[j + 1].text
                ),
                -1,
            )
            if close > 0:
                j = close + 1  # قال لـ"بوابة الشام":
                continue
        if w in _SOFT_STOPS and j == i:
            break
        if w in _WHEN and j > i:
            break  # رئيس الوزراء الفرنسي عقب أحداث "…": when he spoke, no part of who
        if j > i and _possessed(w) and (toks[j - 1].text.startswith(("ال", "لل")) or toks[j - 1].text in _given_names()):
            # أكد المدرب ثقته, قدم الشيخ سعد تهنئته: a noun with a possessive pronoun after a
            # definite noun or a name starts the verb's object (no construct follows ال); after
            # an indefinite head it is the head's genitive (وزير خارجيتها)
            break
        if w in _AS and j > i:
            break  # أعلن الهضبة كما يلقبه جمهوره: how he is called, no part of the name
        if w in _SOFT_STOPS and j + 1 < len(toks):
            nxt = toks[j + 1].text
            if (
                nxt in _CONTEXT
                or nxt[0].isdigit()
                or nxt in _DAY_WORDS
                or nxt.endswith(("ته", "تها"))
                or nxt in _WHERE_SAID_HIS
            ):
                break  # الوزير السابق في مقاله: where he said it, no part of who
            if (
                w == "علي"
                and j > i
                and toks[j - 1].text.startswith("ال")
                # not a title, then a name (المهندس علي قطيشات, السيد علي فضل الله): علي is the name
                and not ((toks[j - 1].text in _ROLES or _role_word(toks[j - 1].text) is not None
                          or toks[j - 1].text[2:] in _ROLES) and nxt not in _THAT and _is_name_start(nxt))
                and not nxt.startswith("ال")
                and nxt[0].isalpha()
                and nxt not in _name_gazetteer()
            ):
                # وأكدت المصادر على استناد …: the verb's complement, unlike "المشرف على
                # الحملة" or the name علي (normalized like على: عبد الله علي صالح)
                break
            if nxt in ('"', "'", ":") or nxt in _DEMONSTRATIVES:
                break  # وردّت الوزيرة على ذلك بالقول
        if w in _TO_WHOM:
            break  # للصحفيين، لموقع
        j += 1
    return j


# verbal nouns of the first form a verb takes as its object after its subject (رفض الوزير
# الرد، واصلت الشرطة البحث); the derived forms (التعليق، الإدلاء، الاعتراف) are known by shape.
# Not those that are adjectives too (الحديث modern; المشاركة، الموافقة participating, agreeing:
# أحد المتحدثين باسم البعثة الروسية المشاركة)
_OBJECT_NOUNS = _keys(
    "رد كشف خوض كلام بت نشر حضور بحث دخول سماح قبول إجابة اجابة"
    " إدلاء إفصاح")  # إفعال is by shape a plural too (الأتراك، الأطفال، الأعمال): these two only
# adjectives whose genitive is a verbal noun (صحيفة بيلد الواسعة الانتشار: widely read)
_IMPROPER_ANNEXATION = _keys(
    "الواسع الواسعة الواسعي السريع السريعة الكثير الكثيرة القليل القليلة العديم العديمة المتعدد"
    " المتعددة الحسن الحسنة الطويل الطويلة البعيد البعيدة المحدود المحدودة")


def _object_verbal_noun(toks: Sequence[Tok], i: int, j: int) -> bool:
    """Whether toks[j], after the name toks[i:j], is a definite verbal noun that the verb has for
    its object (رفضت شركة أبل التعليق، رفضت الحكومة الرد) rather than a word of the name: after
    a definite word, which takes no genitive, or after a name that an indefinite head names
    (شركة أبل); never the genitive of a head (وزارة التعليم، رئيس هيئة الاستثمار، شركة صناعة
    التعدين), a plural of the shape أفعال (اتحاد الصحافيين الأتراك) nor a known surname."""
    w = toks[j].text
    if not w.startswith("ال") or len(w) < 4:
        return False
    bare = w[2:]
    if bare not in _OBJECT_NOUNS and (
            not derived_verbal_noun(bare) or (len(bare) == 5 and bare[0] == "ا" and bare[3] == "ا")):
        return False
    if bare in _name_gazetteer():
        return False
    prev = toks[j - 1].text
    if prev.startswith("ال"):
        return not (prev in _ROLES or _role_word(prev) is not None or prev in _IMPROPER_ANNEXATION)
    if j - 1 <= i or toks[j - 2].text not in _NAMED_HEADS:
        return False
    return not (
        prev.endswith(("ة", "ه", "ات", "ون", "ين"))  # a noun or a plural: وكالة معدلات الاستثمار
        or derived_verbal_noun(prev)
        or prev in _ORG_HEADS
        or prev in _NAMED_HEADS
        or prev in _ROLES
        or _role_word(prev) is not None
        or prev in _UNNAMED
        or prev in _PLACE_HEADS
    )


_SELF_ALL = _keys("نفس ذات كل جميع كلا كلتا بعض أنفس عين")  # الوزير نفسه, المسؤولون جميعهم
_POSSESSIVE_ENDS = ("تهما", "تهم", "تهن", "تها", "ته", "هما", "هم", "هن", "ها")


def _possessed(w: str) -> bool:
    """A noun with a possessive pronoun and no article (ثقته, توقعاتها, عائلته), not نفسه/كلهم
    nor باسمه: it is definite by its pronoun, so it starts a noun phrase of its own."""
    if w.startswith(("ال", "باسم")) or w[:1] in "وف":
        return False  # ووصفها, فأكدها: a verb and its object after و as often as a noun
    ends = [end for end in _POSSESSIVE_ENDS if w.endswith(end)]
    for end in ends:  # ذاتها: ذات and ها, though تها matches first
        stem = w[: -len(end)]
        if {stem, stem + "ه", stem + "ت"} & (_SELF_ALL | _ORG_HEADS):  # ذاته: ذات and ه
            return False  # نفسها, كلهم; وقالت حكومته, وزارتها: a body, though named by a pronoun
    if not ends:
        return False
    # ته/تها: a feminine noun (ة written ت before the pronoun); ها/هم alone: a longer stem
    return len(w) - len(ends[0]) >= (2 if ends[0].startswith("ت") else 3)


_KIN_AND_COMPANY = _keys(
    """والد والدة أم ابن ابنة بنت شقيق شقيقة أخ أخت زوج زوجة جد جدة عم عمة خال خالة عائلة أسرة أهل
    أقارب أبناء بنات ذوي ذوو أصدقاء زملاء رفاق أنصار مؤيدي مؤيدو معارضو معارضي منتقدو منتقدي
    ناقدو ناقدي محامي محامو
    فضيلة سعادة جلالة فخامة سماحة سمو معالي أحد إحدى معظم أغلب غالبية أكثر نصف ثلث ربع خمس عشر""")


def _a_possessed_person(w: str) -> bool:
    """والدته, رئيسها, مسؤولوها, فضيلته: a person or people named by a pronoun's noun."""
    for end in _POSSESSIVE_ENDS:
        if w.endswith(end):
            stem = w[: -len(end)]
            nouns = (stem + "ه", stem + "ة") if end.startswith("ت") else (stem, stem + "ة")
            if stem[-1:] in "وي":
                nouns += (stem[:-1] + "ء",)  # زملاؤها, زملائها: the plural's hamza before the pronoun
            if stem[-1:] == "ا":
                nouns += (stem[:-1] + "ي",)  # إحداهن: إحدى, its ى written ا before the pronoun
            if any(n in _KIN_AND_COMPANY or n in _UNNAMED or n in _ROLES or "ال" + n in _ROLES
                   or _role_word(n) is not None for n in nouns):
                return True
    return False


def _letter_name_dot(toks: Sequence[Tok], j: int) -> bool:
    """The "." at toks[j] is one of a name spelt in Latin letters (بي. بي. سي.), not an end."""
    prev = toks[j - 1]
    if prev.end != toks[j].start or prev.text not in _latin_letter_keys():
        return False
    if j + 1 < len(toks) and toks[j + 1].text in _latin_letter_keys():
        return True
    return j >= 2 and toks[j - 2].text == "."


@lru_cache(maxsize=1)
def _latin_letter_keys() -> frozenset[str]:
    return frozenset(_key(w) for w in LATIN_LETTER_NAMES)


def _speech_ahead(toks: Sequence[Tok], j: int, reach: int = 12) -> bool:
    """Whether أن, a colon or a day comes within `reach` words of toks[j], before a full stop, a quote
    mark or a verb: the words between can still hold the speaker (منظمة "…" في اليمن حسن
    بوسنين إن); otherwise they are the verb's object (طالبت صحيفة "…" لاعبي المدرب … بـ"…")."""
    for t in toks[j : j + reach]:
        if t.text in _THAT or t.text == ":" or t.text in _DAY_WORDS:
            return True  # وأعلن رئيس بعثة منظمة "…" في اليمن حسن بوسنين أمس عن …
        if t.text in (".", '"', "'") or _verb_at(t.text):
            return False
    return False


def _describing_words_end(toks: Sequence[Tok], j: int) -> int:
    """The index after the words that describe a name at toks[j] (للأنباء الكورية الجنوبية
    الرسمية, غير الحكومية الإيطالية): words with the article or لل, not a clause's start."""
    while j < len(toks):
        w = toks[j].text
        nxt = toks[j + 1].text if j + 1 < len(toks) else ""
        if w == "غير" and nxt.startswith("ال"):
            j += 1
            continue
        if (not w.startswith(("ال", "لل")) or w in _THAT or w in _STOPS or w in _DAY_WORDS
                or w in _CONTEXT or _verb_at(w)):
            break
        if w.startswith("ال") and not w.endswith(("ي", "ه", "يين", "يون")):
            break  # انتقد حزب "…" القانون: a definite noun, the verb's object, describes nothing
        j += 1
    return j


@lru_cache(maxsize=100_000)
def _is_name_start(w: str) -> bool:
    return (
        len(w) >= 2
        and "\u0621" <= w[0] <= "\u064a"
        and not w.startswith("ال")
        and not w.startswith(("لل", "بال", "وال", "كال", "فال"))
        and w not in _ROLES
        and _role_word(w) is None
        and w not in _CONNECT
        and w not in _SKIP
        and w not in _ORG_HEADS
        and w not in _PLACE_HEADS
        and not (w[0] in "بلوف" and (w[1:] in _ORG_HEADS or w[1:] in _PLACE_HEADS))
        and w not in _UNNAMED
        and w not in _TO_WHOM
        and w not in _SOFT_STOPS
        and w not in _STOPS
        and not (w[:1] in "وف" and w[1:] in _STOPS)  # وعندما, فحيث: a clause, not a name
        and w not in _THAT
        and w not in _DAY_WORDS
        and w not in _month_words()
        and not _verb_at(w)
        and not _is_number_word(w)
        and w not in _function_words()
        and (w[0] != "ل" or w in _given_names())  # لريال مدريد: "of", not a name
        # بشكل رسمي, بضرورة: ب + an ordinary word, no name (بشار, بدر are given names)
        and (w[0] != "ب" or w in _given_names() or not _ordinary_after_ba(w))
        and not _first_person(w)
        # ثقته, توقعاتها, عائلته: a noun a pronoun makes definite, never a name
        and (not _possessed(w) or w in _given_names() or _a_possessed_person(w))
    )


def _first_person(w: str) -> bool:
    """A verb of the first person plural (نتطلع, نتوقع, نأمل), which the training data knows as
    an ordinary word: what was said begins (نتنياهو is a name there); or a verb of the present
    plural (يتحدثون, يعتقدون) the training data knows as one."""
    if w in _FIRST_PERSON:
        return True
    if len(w) >= 6 and w[0] == "ي" and w.endswith("ون") and not w.endswith("يون"):  # not تلفزيون
        from khabar.extract.ner import load_extractor, plain_word, word_key

        key = word_key(w)
        return key in load_extractor().lexicon and plain_word(key)
    if not (w.startswith("نت") and len(w) == 5 and w[2] not in "اي"):
        return False  # نتائج, نتيجة: nouns
    from khabar.extract.ner import load_extractor, plain_word, word_key

    key = word_key(w)
    if key in load_extractor().lexicon:
        return plain_word(key)
    return w not in _name_gazetteer()  # unseen: a verb unless a listed name

@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from khabar.extract.quantities import _STOP

    return frozenset(_STOP) | _keys("غير ذلك هذا هذه تلك منذ حتى مرة أول آخر كل بعض أي إنما وما نبارك سواء")


def _is_number_word(w: str) -> bool:
    from khabar.extract.quantities import _number_words

    numbers = _number_words()
    return w in numbers or (w[:1] in "وبل" and w[1:] in numbers)


@lru_cache(maxsize=100_000)
def _role_word(w: str) -> str | None:
    """The role a word names, also with a و before it or a pronoun after it (رئيسها)."""
    if w in _ROLES:
        return w
    if w[:1] == "و" and w[1:] in _ROLES:
        return w[1:]
    for suffix in ("ها", "هم", "ه"):
        if w.endswith(suffix) and w[: -len(suffix)] in _ROLES:
            return w[: -len(suffix)]
    return None


@lru_cache(maxsize=1)
def _role_forms() -> frozenset[str]:
    """Every written form `_role_word` accepts (a fast filter)."""
    forms = set(_ROLES)
    for r in _ROLES:
        forms.add("و" + r)
        forms.update(r + suffix for suffix in ("ها", "هم", "ه"))
    return frozenset(forms)


@lru_cache(maxsize=1)
def _verb_forms() -> frozenset[str]:
    forms = set(_verbs())
    forms |= {p + f for f in _verbs() for p in "وف"}
    return frozenset(forms)


@lru_cache(maxsize=1)
def _month_words() -> frozenset[str]:
    from khabar.extract.quantities import _month_words as months

    return months()


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """One-word place names from the NER gazetteers (to tell "محافظ أسوان" from a name)."""
    out: set[str] = set()
    for name in ("gaz_cldr.tsv", "gaz_geonames.tsv"):
        try:
            text = (resources.files("khabar.resources") / "ner" / name).read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            continue
        for line in text.splitlines():
            if line.startswith("#") or "\t" not in line:
                continue
            form, label = line.split("\t")[:2]
            if label.startswith("LOC") and " " not in form.strip():
                out.add(_key(form.strip()))
    return frozenset(out)


@lru_cache(maxsize=1)
def _name_gazetteer() -> dict[str, str]:
    """One-word names and their types (PGIV, PSUR, PNAM, r when rare) from the NER name
    gazetteer (Wikidata labels of people, CC0); surnames are written without the article."""
    out: dict[str, str] = {}
    try:
        text = (resources.files("khabar.resources") / "ner" / "gaz_names.tsv").read_text(
            encoding="utf-8"
        )
    except (FileNotFoundError, OSError):
        return out
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        form, label = line.split("\t")[:2]
        if label != "PERS" and " " not in form.strip():
            out.setdefault(_key(form.strip()), label)
    return out


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """Given names from the NER name gazetteer."""
    return frozenset(w for w, label in _name_gazetteer().items() if label in ("PGIV", "PGIVr", "PNAM"))


def _object_after_name(toks: Sequence[Tok], start: int, end: int) -> int:
    """The end of the name toks[start:end] without the verb's object run on after it (أكد
    سامر حمدان نبأ الاعتقال, وصف سامر حداد الهجوم): a last word with the article that the
    gazetteer knows as no name, and an uncommon word before it that heads it."""
    names = _name_gazetteer()
    last = toks[end - 1].text
    if (
        end - start >= 3
        and last.endswith(("ته", "تها", "تهم"))
        and last not in names
        and not last.startswith("ال")
    ):
        return end - 1  # الرئيس دونالد ترمب جنازته: a noun with a pronoun, not a surname
    if (
        end - start < 3
        or toks[start].text not in _given_names()  # not a person's name: مؤشر مديري المشتريات
        or not last.startswith("ال")
        or last[2:] in names
        or toks[end - 2].text in _NAME_JOIN
        or last in _given_names()
    ):
        return end
    end -= 1
    if end - start >= 3 and names.get(toks[end - 1].text) not in ("PGIV", "PSUR", "PNAM"):
        end -= 1  # نبأ الوفاة: the noun the object hangs on
    return end


def _name_runs(toks: Sequence[Tok], i: int, j: int) -> list[tuple[int, int, int]]:
    """Runs of name-like words in toks[i:j]: (start, end, units). عبد/أبو/بن join two words."""
    runs: list[tuple[int, int, int]] = []
    k = i
    while k < j:
        if not _is_name_start(toks[k].text):
            k += 1
            continue
        run = _run_at(toks, k, j)
        if run is None:
            k += 1
            continue
        runs.append(run)
        k = run[1]
    return runs


def _run_at(toks: Sequence[Tok], k: int, j: int) -> tuple[int, int, int] | None:
    """The name run starting at toks[k] (which must be a name start), or None."""
    start, units = k, 0
    while k < j and units < 4:
        w = toks[k].text
        if w == "#" and k > start and k + 1 < j:
            k += 1  # دونالد #ترمب: a hashtag's mark inside the name
            continue
        if w in _NAME_JOIN and k + 1 < j and "\u0621" <= toks[k + 1].text[0] <= "\u064a":
            k += 2
            units += 1
            continue
        if not ("\u0621" <= w[0] <= "\u064a") or (
            k > start and not _name_part(w) and w not in _ROLE_SURNAMES
        ):
            break
        if k > start and w.startswith("ال"):
            k += 1
            units += 1
            break  # a surname with the article ends the name
        if k == start and w.startswith("ال"):
            break
        k += 1
        units += 1
    return (start, k, units) if units else None


@lru_cache(maxsize=100_000)
def _name_part(w: str) -> bool:
    if w.startswith("ال"):
        return (
            w not in _ROLES
            and w not in _ORG_HEADS
            and w not in _DAY_WORDS
            and not w.startswith("الل")
            or w == "الله"
        )
    return _is_name_start(w) or w in _NAME_JOIN


# role words that head a construct without the article (سفير خادم الحرمين، مدرب برشلونة): the
# word after them is the post's complement, not the holder's name; titles a name follows are not
_CONSTRUCT_HEADS = frozenset(
    r for r in _ROLES if not r.startswith(("ال", "و")) and r not in _HONORIFICS
) - _keys("رئيسي")


_BODY_OR_PLACE_AFTER = _keys("في لدى باسم لشؤون ب")


def _complement_after(w: str) -> bool:
    """Whether a name run right after the word w names a post's complement, body or place
    (سفير [روسيا], دائرة [مكافحة الإرهاب], في [موقع التواصل]) rather than a person."""
    return w in _CONSTRUCT_HEADS or w in _BODY_OR_PLACE_AFTER or (
        w in _ORG_HEADS and not w.startswith("ال"))


def _past_the_complement(toks: Sequence[Tok], run: tuple[int, int, int]) -> tuple[int, int, int] | None:
    """A name run that opens on a construct's complement, a body or a place (سفير [خادم الحرمين],
    مدرب [برشلونة لويس إنريكي], لدى [أستراليا]) starts at the given name inside it, if any;
    else it names the post only."""
    start, end, units = run
    before = start - 1
    if before > 0 and toks[before].text == "#":
        before -= 1  # سفير #روسيا
    if before < 0 or not _complement_after(toks[before].text):
        return run
    given = _given_names()
    later = next((k for k in range(start + 1, end - 1) if toks[k].text in given), None)
    if later is None and end - start >= 3 and a_place(toks[start].text):
        later = start + 1  # في مصر أحمد قطان
    if later is None:
        return None
    return later, end, max(1, units - (later - start))


def _find_name(toks: Sequence[Tok], i: int, j: int) -> tuple[int, int] | None:
    """Token range of a person's name inside the phrase toks[i:j] (titles and roles skipped).

    A name right after the verb is the speaker (قال سعد الحديثي المتحدث باسم…); otherwise the
    last name in the phrase is (قال مدير مستشفى العقبة الدكتور فراس المعايطة).
    """
    while i < j and toks[i].text in _SKIP:
        i += 1
    runs = [r for r in (_past_the_complement(toks, run) for run in _name_runs(toks, i, j)) if r
            # وزير خارجية مصر: the portfolio, not a name (masculine ones are names too: سامي)
            and not (r[0] > i and _role_word(toks[r[0] - 1].text) is not None and toks[r[0]].text.endswith("يه"))
            and not _secretary_general(toks, r[0])]
    if not runs:
        return None
    for run in runs:
        # وزير الطاقة عمر الحياري ونظيراه العراقي…: a conjunction ends the phrase
        if (
            run[2] >= 2
            and run[1] < j
            and toks[run[1]].text[:1] == "و"
            and toks[run[1]].text not in _NAME_JOIN
        ):
            runs = runs[: runs.index(run) + 1]
            break
    given = _given_names()
    if runs[0][0] == i:
        start, end, _units = runs[0]
    else:
        longer = [r for r in runs if r[2] >= 2]
        named = [r for r in longer if toks[r[0]].text in given]
        start, end, _units = (named or longer or runs)[-1]
    if end - start >= 3 and (toks[start].text in _places() or a_place(toks[start].text)):
        start += 1  # سفير … في مصر أحمد قطان: the post's place, not the name
    end = _object_after_name(toks, start, end)
    if toks[start].text not in given and toks[start].text not in _NAME_JOIN:
        # محافظ صفاقس منير بن سالم: the name starts at the given name
        later = [k for k in range(start + 1, end - 1) if toks[k].text in given]
        if later:
            start = later[0]
    return start, end


def _secretary_general(toks: Sequence[Tok], k: int) -> bool:
    """أمين عام (الاتحاد …), أمين سر, أمين منطقة عسير, أمين مجلس …, أمين النقابة at toks[k]: a
    title (secretary, mayor of), not the given name أمين (أمين الحافظ)."""
    if toks[k].text != _AMIN or k + 1 >= len(toks):
        return False
    nxt = toks[k + 1].text
    return (nxt in _AMIN_OF or nxt in _ORG_HEADS or nxt in _PLACE_HEADS
            or _indefinite(nxt) in _ORG_HEADS or _indefinite(nxt) in _PLACE_HEADS)


_AMIN = _key("أمين")
_AMIN_OF = _keys("عام سر العاصمة النقابة الصندوق صندوق المتحف متحف")


def _role_key(words: Sequence[str]) -> tuple[str, ...]:
    kept = [_role_word(w) or w for w in words if w not in _SKIP]
    if kept and kept[0].startswith("ال") and kept[0][2:] in _ROLES:
        kept[0] = kept[0][2:]  # الوزير -> وزير
    kept = [w.replace("امريك", "اميرك") for w in kept]
    if len(kept) >= 3 and kept[1] in _FOR_WHOM:
        return tuple(kept[:3])  # المتحدث باسم الحكومة is no المتحدث باسم الشرطة
    return tuple(kept[:2])


def _remember_names(
    text: str,
    norm: Normalized,
    lines: list[tuple[int, int]],
    memory: _Memory,
    ents: Sequence[EntitySpan],
) -> None:
    """Fill the surname and role maps from every 'role + name' in the body (document order)."""
    assert memory.surnames is not None and memory.roles is not None
    for ent in ents:
        if ent.label == "PER" and not _a_complement(text, ent.start):
            name = ent.canonical or ent.text
            parts = _key(name).split()
            if len(parts) >= 2:
                memory.surnames.setdefault(parts[-1], name)
    per_ends = {
        e.end: e for e in ents
        if e.label == "PER" and len((e.canonical or e.text).split()) >= 2
        and not _a_complement(text, e.start)
    }
    for lstart, lend in lines:
        toks = _ali_as_a_name(text, norm, tokens(norm.text, norm_index(norm, lstart), norm_index(norm, lend)),
                              ents)
        roles = _role_forms()
        for i, tok in enumerate(toks):
            if tok.text not in roles or _inside_a_role(toks, i):
                continue
            j = _phrase(toks, i, limit=10)
            found = _find_name(toks, i, j)
            if not found or found[1] - found[0] < 2:
                app = _apposition(toks, j)
                if app is None:
                    continue
                found = app[:2]
            ns, ne = found
            s, e = norm.to_original(toks[ns].start, toks[ne - 1].end)
            last = toks[ne - 1].text
            # the person the entities stage found there ends the name: الرئيس الأمريكي دونالد
            # ترامب وافق على … had remembered "دونالد ترامب وافق" for every later الرئيس (walk 22)
            person = next((x for x in ents if x.label == "PER" and x.start <= s < x.end < e
                           and len(x.text.split()) >= 2), None)
            if person is not None:
                e = person.end
                last = _key(text[s:e].split()[-1])
            name = light(text[s:e])
            role = _role_key([t.text for t in toks[i:ns]])
            if role:
                memory.roles.append((tok.start, role, name))
            if not a_place(last):  # الشيخ تميم أمير قطر: قطر is no surname
                memory.surnames.setdefault(last, name)
        # a person the entities stage found, then "، role" (أحمد قطان، سفير خادم الحرمين)
        for k in range(1, len(toks) - 1):
            if toks[k].text != "," or not _role_word(toks[k + 1].text):
                continue
            ent = per_ends.get(norm.to_original(toks[k - 1].start, toks[k - 1].end)[1])
            if ent is not None:
                stop = _phrase(toks, k + 1, limit=6)
                role = _role_key([t.text for t in toks[k + 1 : stop]])
                if role:
                    memory.roles.append((toks[k - 1].start, role, ent.canonical or ent.text))
        # any "given name + surname" (وكان البديل يونس العمراني …), and "name، role" appositions
        given = _given_names()
        n = len(toks)
        for k0 in [k for k, t in enumerate(toks) if t.text in given]:
            tok0 = toks[k0]
            if not _is_name_start(tok0.text):
                continue
            run = _run_at(toks, k0, n)
            if run is not None and run[0] == k0:
                run = _past_the_complement(toks, run)  # سفير خادم الحرمين: no name
            if run is None or run[2] < 2 or run[0] != k0:
                continue
            start, end, _units = run
            s, e = norm.to_original(toks[start].start, toks[end - 1].end)
            name = light(text[s:e])
            if toks[start].text in given:
                memory.surnames.setdefault(toks[end - 1].text, name)
            if end + 1 < len(toks) and toks[end].text == "," and _role_word(toks[end + 1].text):
                stop = _phrase(toks, end + 1, limit=6)
                role = _role_key([t.text for t in toks[end + 1 : stop]])
                if role:
                    memory.roles.append((toks[start].start, role, name))
                    memory.surnames.setdefault(toks[end - 1].text, name)


def _speaker_from_phrase(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    i: int,
    j: int,
    memory: _Memory,
    ents: Sequence[EntitySpan],
) -> _Speaker:
    """Who the phrase toks[i:j] names; a bare definite head (الوزارة، المصدر، المدرب) is the
    fuller name written before it."""
    found = _speaker_with_entities(text, norm, toks, i, j, memory, ents)
    if found.kind in ("org", "role", "unnamed") and i < j:
        better = _definite_coreference(text, norm, toks, i, j, found, memory)
        if better is not None:
            return better
    return found


_PARTICLES_WITHOUT_AL = _keys("مثل غير")


_DOMAIN_ADJECTIVES = _keys(
    "أمني أمنية عسكري عسكرية طبي طبية حكومي حكومية رسمي رسمية ميداني ميدانية محلي محلية"
    " قضائي قضائية دبلوماسي دبلوماسية برلماني برلمانية")


def _adjective_fits(adjective: str, word: str) -> bool:
    """Whether a word of an earlier name carries the adjective (الأمني in مصدر أمني) or the noun
    it is made from (الحقوقي: لحقوق الإنسان, الأممي: الأمم المتحدة)."""
    stem = adjective[:-2] if adjective.endswith("يه") else adjective[:-1]
    return word in (adjective, "ال" + adjective) or (len(stem) >= 3 and stem in word)


def _definite_coreference(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    i: int,
    j: int,
    found: _Speaker,
    memory: _Memory,
) -> _Speaker | None:
    j = min(j, len(toks))
    while i < j and toks[i].text in _SKIP:
        i += 1
    if i >= j or j - i > 2:
        return None
    first = toks[i].text
    if first[:1] in "وف" and first[1:].startswith("ال"):
        first = first[1:]
    if not first.startswith("ال") or len(first) < 5:
        return None
    head = first[2:]
    if j - i == 2 and not toks[i + 1].text.startswith("ال"):
        return None  # الوزير عمر: a name follows, not a bare head
    # 1. someone who already spoke under that head: المصدر -> مصدر أمني في قيادة …
    # المصدر الأمني is not the مصدر عسكري named before, الخارجية الكندية not the السعودية one: an
    # adjective of nationality or of domain must be the earlier one's
    adjective = toks[i + 1].text[2:] if j - i == 2 else ""
    if adjective and adjective not in nationality_keys() and adjective not in _DOMAIN_ADJECTIVES:
        adjective = ""  # المنظمة الحقوقية, المجلة العريقة: an epithet, any earlier one of that head
    for prev in reversed((memory.said or [])[-50:]):
        words = _key(prev.name).split()
        if words and words[0] in (head, "ال" + head) and len(words) >= 2:
            if adjective and not any(_adjective_fits(adjective, w) for w in words[1:]):
                continue
            return _Speaker(prev.name, found.text_start, found.text_end, prev.kind)
    if head in _ROLES:
        # المدرب / المبعوث with no role learnt: the last person who spoke, unless a role of
        # theirs is another one (المتحدث باسم الرئيس, then "قال الرئيس")
        key = _role_key([toks[i].text])  # the head only: وأبلغ الوزير الصحافيين
        for prev in reversed((memory.said or [])[-50:]):
            if prev.kind == "person":
                theirs = [k for _p, k, name in memory.roles or [] if name == prev.name]
                if (key[0] in _FOR_SOMEONE and prev.text_start >= 0 and not any(k[0] == key[0] for k in theirs)
                        and key[0] not in _key(text[max(0, prev.text_start - 40):prev.text_start])):
                    # وقال الوزير أحمد علي …. وقال المتحدث: the spokesman is the one named with that
                    # title, not the minister (المدرب may be the one named المدير الفني)
                    return None
                if any(
                    (k[0] == key[0] and not _same_role(k, key))
                    or (k[0] in _FOR_SOMEONE and k[0] != key[0])
                    for k in theirs
                ):
                    return None
                return _Speaker(prev.name, found.text_start, found.text_end, "person")
        return None
    # 2. the fullest earlier mention of the head: المنظمة -> المنظمة الدولية للهجرة
    if head in _PARTICLES_WITHOUT_AL:
        return None  # يقول المثل: the saying; مثل without ال is "such as", no earlier mention
    limit = toks[i].start
    best = None
    for tok in tokens(norm.text, max(0, limit - 3000), limit):
        w = tok.text
        if w in (head, "ال" + head) or (w[:1] in "لبو" and w[1:] in (head, "ال" + head)):
            best = tok
    if best is None:
        return None
    following = tokens(norm.text, best.end, min(len(norm.text), best.end + 80))
    end_tok = None
    for t in following[:4]:
        w = t.text
        if (not w.startswith(("ال", "لل", "بال")) or w in _DAY_WORDS or w in _RELATIVES or _verb_at(w)
                or _a_time_word(w)):
            break  # (المنظمة التي: a relative clause; البنك الدولي للعام: a time, no part of the name)
        if w.startswith("بال") and end_tok is not None:
            break  # احتفلت الأمم المتحدة باليوم العالمي: what it did, no part of the name
        end_tok = t
    if end_tok is None or a_place(light(text[slice(*norm.to_original(best.start, best.end))]).strip()):
        return None  # أدان السودان الجريمة: a place's name takes no words after it
    if adjective and not any(_adjective_fits(adjective, t.text)
                             for t in following[:4] if t.start <= end_tok.start):
        return None  # الخارجية الكندية is not the الخارجية السعودية written before
    s, e = norm.to_original(best.start, end_tok.end)
    name = light(text[s:e]).strip()
    if _key(name.split()[0]) not in (head, "ال" + head):
        name = name[1:]  # لشرطة الشارقة -> شرطة الشارقة
    return _Speaker(name, found.text_start, found.text_end, "org")


def _apposition(toks: Sequence[Tok], j: int) -> tuple[int, int, int] | None:
    """'role، [title] Name،' : the name after the comma at toks[j] (start, end, phrase end).

    وقال المتحدث باسم الوزارة، الأستاذ فهد العتيبي، إن … ; a second role may come between:
    وزير الإسكان، الناطق باسم الحكومة، سيدي محمد ولد أحمدو، …
    """
    for _hop in range(2):
        if j >= len(toks) or toks[j].text != ",":
            return None
        j2 = _phrase(toks, j + 1, limit=8)
        if j2 <= j + 1:
            return None
        first = toks[j + 1].text
        if first in _TIME_WORDS or first in _DAY_WORDS:
            return None  # ذكر تقرير للحكومة، الأسبوع الماضي، أن: when, not who
        found = _find_name(toks, j + 1, j2)
        if (
            found
            and found[1] < j2
            and j2 - found[1] <= 2
            and all(_name_part(t.text) for t in toks[found[1] : j2])
        ):
            found = (found[0], j2)  # محمد الصغير بوزيدي: a name part after the surname-with-article
        if (
            found
            and found[1] - found[0] >= 2
            and found[1] == j2
            and (
                found[0] == j + 1
                or toks[found[0]].text in _given_names()
                or (
                    _role_word(first) is not None
                    and all(
                        _role_word(t.text) is not None or t.text.startswith("ال")
                        for t in toks[j + 1 : found[0]]
                    )
                )
            )
        ):
            return found[0], found[1], j2
        if (
            j2 - j == 3
            and all(
                t.text.startswith("ال")
                and _role_word(t.text) is None
                and t.text[2:] not in _ROLES
                and t.text not in _ORG_HEADS
                and t.text not in _DAY_WORDS
                for t in toks[j + 1 : j2]
            )
            and j2 < len(toks)
            and (toks[j2].text == "," or toks[j2].text in _THAT)
        ):
            return j + 1, j2, j2  # ، الهادي الشعري، : a name that starts with the article
        if _role_word(first) is None and not (first.startswith("ال") and first[2:] in _ROLES):
            return None
        j = j2
    return None


def _entities_prefer(app: tuple[int, int, int], speaker: _Speaker, toks: Sequence[Tok], norm: Normalized,
                     ents: Sequence[EntitySpan]) -> bool:
    """The name in commas after the phrase is a person the entities stage found and the phrase
    read as a name is none (صانع ألعاب فريق ليستر سيتي، رياض محرز، إن: walk 22)."""
    s, _e = norm.to_original(toks[app[0]].start, toks[app[1] - 1].end)
    return (any(e.label == "PER" and e.start <= s < e.end for e in ents)
            and not any(e.label == "PER" and e.start < speaker.text_end and speaker.text_start < e.end
                        for e in ents))


def _a_complement(text: str, start: int) -> bool:
    """Whether the person entity at `start` is the complement of a role or body before it
    (سفير [خادم الحرمين]): a title, not the one who speaks."""
    before = text[max(0, start - 30) : start].split()
    return bool(before) and _complement_after(_key(before[-1]))


def _speaker_with_entities(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    i: int,
    j: int,
    memory: _Memory,
    ents: Sequence[EntitySpan],
) -> _Speaker:
    """Who the phrase toks[i:j] names: the rules below, reconciled with the entities if any."""
    found = _speaker_by_rules(text, norm, toks, i, j, memory, ents)
    if not ents or i >= j or found.kind == "none":
        return found
    s, e = norm.to_original(toks[i].start, toks[j - 1].end)
    if found.kind == "person":
        # the person entity on the name the rules found; keep the rules' name when the
        # entity only has part of it (نوري for نصير نوري)
        people = [x for x in ents if x.label == "PER"]
        ent = _entity_in(people, found.text_start, found.text_end)
        if ent is None and not _entity_in(ents, found.text_start, found.text_end):
            # the rules took words no entity covers (لاعب نادي الشباب عمر الغامدي بعد اعتزاله
            # الكرة: the last run of the phrase) while a person the entities stage found
            # stands earlier in it: that person
            ent = _entity_in(people, s, found.text_start)
            if ent is not None and not _a_complement(text, ent.text_start):
                return ent
            ent = None
        if ent is None or _a_complement(text, ent.text_start) or (
            ent.text_end > e
            and j < len(toks)
            and (
                toks[j].text in _TO_WHOM
                or (toks[j].text in _THAT and toks[j].text[0] != "ف")  # فان غال: a name
                or toks[j].text in _ADVERBS
            )
        ):
            # none, or one run on past where the phrase stops: into the listener (أحمد سالم
            # لبي بي سي) or a particle (علاء يوسف بأن)
            return found
        if _object_after_person(text, ent, found):
            return ent  # رحب دونالد ترامب الخطوة, دعا جاستن ترودو مواطنيه: the verb's object
        if _key(ent.name) in _key(found.name) and _key(ent.name) != _key(found.name):
            # the rest is a place or a body of the role (محافظ طرطوس أحمد الخطيب), not the name
            rest = [x for x in ents if x.label != "PER" and x.start < found.text_end
                    and x.end > found.text_start and not (ent.text_start <= x.start < ent.text_end)]
            before = text[found.text_start:ent.text_start].split()
            if not rest and not (before and all(a_place(w) for w in before)):
                return found
        return ent
    if found.kind in ("role", "org"):
        if found.kind == "org" and _indefinite(_base_org(toks[i].text)) in _ORG_HEADS:
            # an organisation's phrase ends where the rules cut it: a person right after it,
            # or after where it is, holds its post (مكتب رئيسة الوزراء تيريزا ماي); one after
            # another noun is the verb's object (حمّلت منظمة التحرير حكومة … نتنياهو)
            person = _entity_in([x for x in ents if x.label == "PER"], s, e)
            if person is not None and all(
                w.startswith(("ال", "لل", "بال")) or w in _SOFT_STOPS
                for w in _WORD_RE.findall(_key(text[found.text_end : person.text_start]))
            ):
                return person  # مفوضية السياسة الخارجية في الاتحاد الأوروبي فيديريكا موغيريني
            s, e = found.text_start, found.text_end
        ent = _entity_in(ents, s, e)
        if ent is not None and ent.kind == "person" and _a_complement(text, ent.text_start):
            return found  # سفير خادم الحرمين الشريفين في القاهرة: the title is no holder
        if ent is not None and (ent.kind == "person" or ent.text_start <= s + 2):
            return ent
    return found


def _a_given_name(key: str) -> bool:
    """A given name: in the name gazetteer's, or mostly the first word of a name in the NER
    training data (محمد, إبراهيم)."""
    if key in _given_names():
        return True
    from khabar.extract.ner import load_extractor

    counts = load_extractor().lexicon.get(key) or {}
    return counts.get("B-PERS", 0) >= 5 and counts.get("B-PERS", 0) > counts.get("I-PERS", 0)


def _object_after_person(text: str, ent: EntitySpan, found: _Speaker) -> bool:
    """The rules' name is a person entity and then an ordinary word that the NER training data
    nearly always saw outside names (وصف ترامب الخطوة, رحب دونالد ترامب الخطوة): the verb's
    object run on into the name, which `_object_after_name` misses when the given name is
    foreign or the object has no article. Not when the entity ends on a given name (جعفر,
    محمد إبراهيم, عبد الله: the surname may be an ordinary word, العبيد, المطلق), nor after one
    word unless the next has the article (هنرييت فور), nor a plural in construct (معدو الدراسة);
    a plural with a pronoun after a full name is no name part either (ترودو مواطنيه)."""
    if ent.text_start != found.text_start or ent.text_end >= found.text_end:
        return False
    after = text[found.text_end : found.text_end + 12].split()
    if after and (after[0] in _SAID_THAT or after[0][0] == ":"):
        return False  # قال سنان العلي إن: what is said follows, so no object stands between
    rest = text[ent.text_end:found.text_end].split()
    words = [_key(w) for w in ent.name.split()]
    if not rest or not words or _key(rest[0]) in _NAME_JOIN or _a_given_name(words[-1]):
        return False
    if words[0] in _NAME_JOIN and len(words) == 2:
        return False  # عبد الله, أبو بكر: a given name
    if len(words) < 2:  # ترامب الخطوة
        if not rest[0].startswith("ال") or words[-1].endswith("و"):
            return False
    elif not rest[0].startswith("ال") and rest[0].endswith(("يه", "يها", "يهم")):
        return True  # a plural with a pronoun (مواطنيه, ناخبيها)
    from khabar.extract.ner import plain_word, word_key

    return plain_word(word_key(rest[0]))


def _speaker_by_rules(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    i: int,
    j: int,
    memory: _Memory,
    ents: Sequence[EntitySpan],
) -> _Speaker:
    """Who the phrase toks[i:j] names (kind none when it names no one)."""
    while i < j and toks[i].text in _SKIP:
        i += 1
    if i >= j:
        return _Speaker(kind="none")
    first = toks[i].text
    if first in _BA_VERBS:
        return _Speaker(kind="none")  # كما بدأ البحث فجر أمس مؤكدا: a verb, not who spoke
    if _possessed(first) and not _a_possessed_person(first):
        # أكدت توقعاتها, أبدى سعادته: a thing of someone's heads the words after the verb, its
        # object; his mother, its spokesman, some of them, his eminence (فضيلته) do speak
        return _Speaker(kind="none")
    if first == _key("صلى") and j - i >= 2 and toks[i + 1].text == _ALLAH:
        # قال صلى الله عليه وسلم: the Prophet, named by the blessing that follows his mention
        s0, e0 = norm.to_original(toks[i].start, toks[i].end)
        return _Speaker("النبي محمد", s0, e0, "person")
    if first in _MORE_OR_LESS and i + 2 < len(toks) and toks[i + 1].text == "من" and toks[i + 2].text in _TIMES:
        return _Speaker(kind="none")  # أكد أكثر من مرة: how often, the subject is earlier
    if first in _MORE_OR_LESS and i + 2 < len(toks) and toks[i + 1].text == "من":
        # أشار أكثر من ثلث المهنيين, قال أكثر من 20 نائبا: a share of a group, not a name
        end = i + 2
        while (end < len(toks) and end - i < 8 and toks[end].text not in _THAT and toks[end].text not in _STOPS
               and toks[end].text not in _SOFT_STOPS and toks[end].text not in (",", ".", ":", ";", "(", ")", "-", '"')):
            end += 1
        s0, e0 = norm.to_original(toks[i].start, toks[end - 1].end)
        return _Speaker(light(text[s0:e0]).strip(), s0, e0, "unnamed")
    if first in _EXALTED or (first == _ALLAH and (j - i == 1 or toks[i + 1].text in _EXALTED or toks[i + 1].text == "عز")):
        # قال تعالى / قال سبحانه: God, named by the praise that stands for the name
        s0, e0 = norm.to_original(toks[i].start, toks[i].end)
        return _Speaker("الله", s0, e0, "person")
    if (first[:1] == "ب" and len(first) > 2 and first not in _given_names() and first not in _STATEMENT
            and first not in _ORG_HEADS and first not in _PLACE_HEADS and first not in _UNNAMED):
        s0 = norm.to_original(toks[i].start, toks[i].end)[0]
        if _ordinary_after_ba(first) and not any(x.start <= s0 < x.end for x in ents):
            # وأضاف بكل وضوح أن, وتابع بقوله:, وطالبت بضرورة أن: a preposition's phrase, no
            # one named (the one who spoke before goes on)
            return _Speaker(kind="none")
    # بيان لوزارة الفلاحة -> وزارة الفلاحة ; البيان alone -> the last speaker
    if first in _STATEMENT:
        if (
            i + 2 < len(toks)
            and toks[i + 1].text in ("صادر", "الصادر", "صادره", "الصادره")
            and toks[i + 2].text in ("عن", "من")
        ):
            return _speaker_by_rules(text, norm, toks, i + 3, _phrase(toks, i + 3), memory, ents)
        if i + 1 < j and toks[i + 1].text.startswith("ل") and len(toks[i + 1].text) > 3:
            # بيان لوزارة الداخلية تلقت «الشرق الأوسط» نسخة منه: the body ends before the verb
            j = _noun_phrase_end(toks, i + 1, j)
            s, e = norm.to_original(toks[i + 1].start, toks[j - 1].end)
            raw = light(text[s:e]).strip()
            name = "ا" + raw[1:] if raw.startswith("لل") else raw[1:]
            speaker = _with_entity(_Speaker(name, s + 1, e, "org"), ents)
            if toks[i + 1].text.startswith("لل") and j - i <= 3:
                speaker = _org_coreference(text, norm, speaker, toks[i + 1 : j])
            return speaker
        if i + 1 < j and _heads_a_body(toks[i + 1].text):
            # بيان وزارة الخارجية, تقرير المنظمة: the body whose statement it is (تقرير شركة
            # المزايا الأسبوعي: the report is weekly, not the company)
            while j > i + 2 and (toks[j - 1].text in _PERIODIC or (
                    # تقرير الأمم المتحدة العالمي: a masculine adjective after a feminine word
                    # describes the report, not the body
                    toks[j - 1].text.startswith("ال") and toks[j - 1].text.endswith("ي")
                    and toks[j - 2].text.endswith("ه") and first in _MASCULINE_STATEMENTS)):
                j -= 1
            return _speaker_by_rules(text, norm, toks, i + 1, j, memory, ents)
        return _Speaker(kind="none")
    if first in _FIGURES and i + 1 < j and _heads_a_body(toks[i + 1].text):
        # وتشير أرقام وزارة الداخلية إلى أن: the body whose figures they are
        return _speaker_by_rules(text, norm, toks, i + 1, j, memory, ents)
    s, e = norm.to_original(toks[i].start, toks[j - 1].end)
    surnames = memory.surnames or {}
    if (
        first in _ORG_HEADS
        or first in _UNNAMED
        or (first[0] in "وف" and first[1:] in _ORG_HEADS)
        or (first in _PLACE_HEADS and j - i >= 2)  # وقالت بلدية الميناء / محافظة البصرة
    ):
        cut = next((k for k in range(i + 1, j) if toks[k].text in _SOFT_STOPS), j)
        if first not in _UNNAMED:  # مسؤول الإغاثة سانجاي كومار: the name is read below
            cut = _noun_phrase_end(toks, i, cut)
        s, e = norm.to_original(toks[i].start, toks[cut - 1].end)
        if cut - i <= 2 and any(
            t.text.startswith(("ال", "لل")) and _indefinite(t.text) in _ORG_HEADS
            for t in toks[i:cut]
        ):
            return _org_coreference(
                text, norm, _Speaker(light(text[s:e]).strip(), s, e, "org"), toks[i:cut]
            )
        if first in _UNNAMED:
            runs = [r for r in _name_runs(toks, i + 1, cut) if r[2] >= 2 and not _nisba_after_head(toks, i, r[0])
                    # موظفو الإدارة ومساعدو ترامب: a second group joined by و, no name
                    and not (toks[r[0]].text[:1] == "و" and (toks[r[0]].text.endswith("و")
                                                              or toks[r[0]].text[1:] in _UNNAMED))]
            if runs:
                ns, ne = runs[-1][0], runs[-1][1]
                s2, e2 = norm.to_original(toks[ns].start, toks[ne - 1].end)
                name = light(text[s2:e2])
                if memory.surnames is not None:
                    memory.surnames[toks[ne - 1].text] = name
                return _Speaker(name, s2, e2, "person")
        name = light(text[s:e]).strip()
        if first[0] in "وف" and first[1:] in _ORG_HEADS:
            name = name[1:]
        return _Speaker(name, s, e, "unnamed" if first in _UNNAMED else "org")
    found = _find_name(toks, i, j)
    if found:
        ns, ne = found
        s2, e2 = norm.to_original(toks[ns].start, toks[ne - 1].end)
        name = light(text[s2:e2])
        if ne - ns == 1 and toks[ns].text in surnames:
            name = surnames[toks[ns].text]
        if ne - ns >= 2 and memory.surnames is not None:
            memory.surnames[toks[ne - 1].text] = name
        return _Speaker(name, s2, e2, "person")
    # a surname with the article alone: الحديثي
    for k in range(i, j):
        if (k > i and _complement_after(toks[k - 1].text)) or (
            k > i + 1 and _complement_after(toks[k - 2].text) and _is_name_start(toks[k - 1].text)
        ):
            continue  # سفير خادم الحرمين: a title, though a person who holds it was named
        if toks[k].text in surnames and toks[k].text not in _ROLES:
            s2, e2 = norm.to_original(toks[k].start, toks[k].end)
            return _Speaker(surnames[toks[k].text], s2, e2, "person")
    if _role_word(first) is not None or (first.startswith("ال") and first[2:] in _ROLES) or _secretary_general(toks, i):
        role = _role_key([t.text for t in toks[i:j]])
        name = memory.role(role, toks[i].start)
        if name:
            return _Speaker(name, s, e, "person")
        return _Speaker(light(text[s:e]).strip(), s, e, "role")
    if first.startswith("ال") or first in _STATEMENT:
        return _org_coreference(
            text, norm, _Speaker(light(text[s:e]).strip(), s, e, "org"), toks[i:j]
        )
    return _Speaker(kind="none")  # not a name, a role or an organisation: ترى نفسك بمفردك…


_MASCULINE_STATEMENTS = _keys("بيان البيان بلاغ البلاغ تقرير التقرير تصريح التصريح")
_PERIODIC = _keys("اليومي الأسبوعي الشهري الفصلي السنوي الدوري الأخير الجديد الصادر")
_FIGURES = _keys("أرقام الأرقام إحصاءات الإحصاءات إحصائيات الإحصائيات معطيات المعطيات بيانات البيانات")


def _heads_a_body(word: str) -> bool:
    """Whether a word right after a statement's noun begins the body that issued it."""
    return word in _ORG_HEADS or _indefinite(word) in _ORG_HEADS


def _nisba_after_head(toks: Sequence[Tok], head: int, k: int) -> bool:
    """toks[k], right after an unnamed source's head, describes it (مصدر أمني, مصادر عسكرية)."""
    w = toks[k].text
    return k == head + 1 and len(w) > 3 and w.endswith(("ي", "يه")) and w not in _given_names()


def _base_org(word: str) -> str:
    """A word without a leading و/ف before an organisation's head (وقالت والشرطة → الشرطة)."""
    if word[:1] in "وف" and (word[1:] in _ORG_HEADS or _indefinite(word[1:]) in _ORG_HEADS):
        return word[1:]
    return word


_TIME_NOUNS_BARE = _keys("عام سنة شهر أسبوع يوم")
_YEAR_WORDS = _keys("العام عام")


def _a_time_word(word: str) -> bool:
    """A time word, bare or after ل (للعام, لعام): where a body's name has ended."""
    if word in _TIME_WORDS:
        return True
    if word.startswith(("لل", "بال")):
        return "ال" + word[2 if word[1] == "ل" else 3:] in _TIME_WORDS
    return word[:1] == "ل" and word[1:] in _TIME_NOUNS_BARE


def _noun_phrase_end(toks: Sequence[Tok], i: int, j: int) -> int:
    """Where the organisation's name toks[i:j] ends: a bare noun after a word with the article
    starts another noun phrase, the verb's object (نقابة الأطباء | وزارة الصحة), unless a title
    comes before it (جامعة الملك سعود), or a quotation mark opened before it and not closed
    (موقع "الأفق نيوز")."""
    quoted = False
    for k in range(i + 1, j):
        w, prev = toks[k].text, toks[k - 1].text
        if prev in ('"', "'"):
            quoted = not quoted
        if not quoted and _a_time_word(w) and (w not in _YEAR_WORDS or (
                k + 1 < len(toks) and (toks[k + 1].text[:1].isdigit() or toks[k + 1].text in _TIME_WORDS))):
            # البنك الدولي للعام الجاري, لعام 2014: a time, no word of the name (مكتب المدعي
            # العام: the attorney general's)
            return k
        if quoted or not prev.startswith("ال") or _role_word(prev) is not None or prev[2:] in _ROLES:
            continue
        if not ("\u0621" <= w[0] <= "\u064a") or w.startswith(("ال", "لل", "بال", "وال", "ل")):
            continue
        if w in _NAME_JOIN or w == "غير" or (w[:1] == "و" and w[1:].startswith("ال")):
            continue  # المنظمة غير الحكومية
        return k
    return j


def _org_coreference(
    text: str, norm: Normalized, speaker: _Speaker, toks: Sequence[Tok]
) -> _Speaker:
    """الجامعة / إدارة الجامعة / للشركة -> the full name written earlier (جامعة عمّان الوطنية)."""
    heads = [
        t for t in toks[:3] if t.text.startswith(("ال", "لل")) and _indefinite(t.text) in _ORG_HEADS
    ]
    if not heads or len(toks) > 3:
        return speaker
    head = _indefinite(heads[0].text)
    limit = toks[0].start
    best = None
    for tok in tokens(norm.text, max(0, limit - 3000), limit):
        if tok.text == head or tok.text == "و" + head or tok.text == "ل" + head:
            best = tok
    if best is None:
        return speaker
    following = tokens(norm.text, best.end, min(len(norm.text), best.end + 80))
    words = 0
    end_tok = best
    for n, t in enumerate(following[:4]):
        w = t.text
        if w in ('"', "'") and words:
            # وكالة أنباء "الأناضول": the name in quotation marks is the body's
            close = next((c for c in range(n + 1, min(n + 5, len(following))) if following[c].text == w), -1)
            if close > n + 1:
                end_tok = following[close]
                words += close - n
            break
        if (
            not ("\u0621" <= w[0] <= "\u064a")
            or w in _TIME_WORDS  # نفذت وزارة الداخلية أمس حكم …
            or w in _ADVERBS
            or w in _STOPS
            or w in _SOFT_STOPS
            or w in _THAT
            or _verb_at(w)
        ):
            break
        if w in ("و",) or w.startswith("لل") and words:
            break
        if words and end_tok.text.startswith("ال") and not w.startswith(("ال", "بال", "وال")):
            break  # منظمة الأفق الدولية تقريرها: a bare noun after the article's word begins another phrase
        end_tok = t
        words += 1
    if not words:
        return speaker
    s, e = norm.to_original(best.start, end_tok.end)
    name = light(text[s:e])
    if name[:1] in "ول" and _key(name[1:]).startswith(head):
        name = name[1:]
    return _Speaker(name, speaker.text_start, speaker.text_end, "org")


def _indefinite(word: str) -> str:
    if word.startswith("لل"):
        return word[2:]
    if word.startswith("ال"):
        return word[2:]
    return word


def _entity_in(ents: Sequence[EntitySpan], start: int, end: int) -> _Speaker | None:
    best = None
    for ent in ents:
        if ent.start >= end:
            break
        if ent.end <= start or ent.label not in ("PER", "ORG"):
            continue
        if best is None or (ent.label == "PER" and best.label != "PER"):
            best = ent
    if best is None:
        return None
    return _Speaker(
        best.canonical or best.text,
        best.start,
        best.end,
        "person" if best.label == "PER" else "org",
    )


def _named_subject(norm: Normalized, toks: Sequence[Tok], start: int, end: int,
                   ents: Sequence[EntitySpan], memory: _Memory) -> _Speaker | None:
    """The speaker when the words before a reporting verb are a name the entities stage found,
    whole (روسيا, الكرملين, شرطة مكافحة الإرهاب), with من جهتها / بدوره after it allowed."""
    while end > start and toks[end - 1].text in _SKIP:
        end -= 1
    if end <= start or end - start > 6:
        return None
    s, e = norm.to_original(toks[start].start, toks[end - 1].end)
    for ent in ents:
        if ent.start > s + 1:
            break
        if ent.start >= s and ent.end >= e - 1 and ent.end <= e and ent.label in ("PER", "ORG", "LOC"):
            name = ent.canonical or ent.text
            if ent.label == "PER" and end - start == 1 and toks[start].text in (memory.surnames or {}):
                name = (memory.surnames or {})[toks[start].text]  # هاريدي: the full name said before
            return _Speaker(name, ent.start, ent.end, "person" if ent.label == "PER" else "org")
    return None


def _person_before_verb(norm: Normalized, toks: Sequence[Tok], start: int, end: int,
                        ents: Sequence[EntitySpan]) -> _Speaker | None:
    """A person's name that ends the words before a verb, after a title (لكن المعارض عادل
    منصور يرى أن …): the verb's subject."""
    if end <= start or end - start > 8:
        return None
    s, e = norm.to_original(toks[start].start, toks[end - 1].end)
    for ent in ents:
        if ent.start >= e:
            break
        if ent.label == "PER" and ent.start >= s and e - 1 <= ent.end <= e:
            first = next((x for x in range(start, end) if norm.to_original(toks[x].start, toks[x].end)[0] == ent.start), -1)
            # titles before it (المعارض, كبير مفاوضي كوريا), not a preposition or a source: after
            # وعن, على خلفية قرار or مصدرا على صلة بـ the name is no subject
            if first >= 0 and not any(_not_a_title(t.text) for t in toks[start:first]):
                return _Speaker(ent.canonical or ent.text, ent.start, ent.end, "person")
            return None
    return None


def _a_title_at(word: str) -> bool:
    """A title or trade (مدير, الممثلة, رئيسها): what describes a person after the name."""
    return _role_word(word) is not None or (word.startswith("ال") and word[2:] in _ROLES)


def _person_then_description(norm: Normalized, toks: Sequence[Tok], start: int, end: int,
                              ents: Sequence[EntitySpan]) -> _Speaker | None:
    """A person's name that opens the words before a verb, then a title or trade that
    describes them (رضوى السويفي رئيس قطاع البحوث بشركة فاروس أكدت أن …): the verb's subject."""
    if end - start < 3 or end - start > 12:
        return None
    s = norm.to_original(toks[start].start, toks[start].end)[0]
    ent = next((e for e in ents if e.label == "PER" and s <= e.start <= s + 1), None)
    if ent is not None:
        after = next((x for x in range(start + 1, end)
                      if norm.to_original(toks[x].start, toks[x].end)[0] >= ent.end), end)
    elif _is_name_start(toks[start].text) and (run := _run_at(toks, start, end)) and run[2] >= 2:
        after = run[1]  # a name the entities stage missed: a given name and the words after it
    else:
        return None
    if after >= end:
        return None
    if not _a_title_at(toks[after].text):
        return None
    if any(_verb_at(t.text) or t.text in _THAT or t.text in _CLAUSE_START for t in toks[after:end]):
        return None
    if ent is not None:
        return _Speaker(ent.canonical or ent.text, ent.start, ent.end, "person")
    s2, e2 = norm.to_original(toks[start].start, toks[after - 1].end)
    return _Speaker(light(norm.original[s2:e2]), s2, e2, "person")


_NOT_TITLES = _keys("من عن علي على الى إلى في لدى مع بين حول بشان خلفية قرار مصدر مصدرا مصادر بحسب وفق")


def _not_a_title(word: str) -> bool:
    bare = word[1:] if word[:1] in "وف" and len(word) > 2 else word
    return word in _NOT_TITLES or bare in _NOT_TITLES


def _with_entity(speaker: _Speaker, ents: Sequence[EntitySpan]) -> _Speaker:
    found = _entity_in(ents, speaker.text_start, speaker.text_end)
    return found or speaker


# --------------------------------------------------------------------------- quotes


@dataclass(slots=True)
class _Cue:
    verb: str
    lemma: str
    kind: str  # verb|continuation|noun
    verb_index: int  # token index of the verb
    phrase_end: int  # token index after the speaker phrase
    speaker: _Speaker
    that_index: int  # token index of أن/إن after the phrase, -1 if none


def _cue_at(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    k: int,
    memory: _Memory,
    ents: Sequence[EntitySpan],
) -> _Cue | None:
    w = toks[k].text
    found = _verb_at(w)
    if not found:
        return None
    lemma, kind = found
    s, e = norm.to_original(toks[k].start, toks[k].end)
    verb = text[s:e]  # as written (tanween kept), without a leading و/ف
    if len(verb) > 3 and verb[0] in "وف" and _verb_at(_key(verb[1:])):
        verb = verb[1:]
    if kind == "noun" and w in ("قوله", "قولها"):
        # نقلت الصحيفة عن مصدر حكومي قوله: the speaker is before
        back = k - 1
        while back >= 0 and k - back <= 8 and toks[back].text != "عن":
            back -= 1
        speaker = (
            _speaker_from_phrase(text, norm, toks, back + 1, k, memory, ents)
            if back >= 0 and toks[back].text == "عن"
            else _Speaker(kind="none")
        )
        return _Cue(verb, lemma, kind, k, k + 1, speaker, _that_after(toks, k + 1))
    if kind == "noun" and lemma == "بحسب":
        j = _phrase(toks, k + 1, limit=10)
        that = (
            j + 1
            if j + 1 < len(toks)
            and toks[j].text in (",", "،")
            and toks[j + 1].text in ("فان", "فانه", "فانها")
            else -1
        )
        if that < 0 and j < len(toks) and toks[j].text in ("فان", "فانه", "فانها"):
            that = j
        if that < 0:
            return None
        return _Cue(
            verb,
            lemma,
            kind,
            k,
            j,
            _speaker_from_phrase(text, norm, toks, k + 1, j, memory, ents),
            that,
        )
    if kind == "continuation":
        prev = toks[k - 1].text if k > 0 else "."
        nxt = toks[k + 1].text if k + 1 < len(toks) else "."
        if not (
            prev in (",", ".", ":", ";", "-", "و", "ثم")
            or _verb_at(prev)
            or nxt in _THAT
            or nxt in ("الي", "علي", ":", '"', "'", "بالقول")
        ):
            return None  # كان متوقعاً، / المتابعة: an adjective or a noun, not "…, adding that"
        that = _that_after(toks, k + 1)
        speaker, head = _sentence_subject(text, norm, toks, k, memory, ents)
        if head >= 0 and w == "بالقول":
            particle = toks[head].text
            if (particle[1:] if particle[:1] in "وف" else particle) in _BEFORE_A_VERB and head + 1 < k:
                head += 1  # ولم يذكر غراي …، لكنه اكتفى بالقول: the verb after لم
            s2, e2 = norm.to_original(toks[head].start, toks[head].end)
            verb = text[s2:e2]  # وختم شتيوي بالقول: the verb is ختم
            if len(verb) > 3 and verb[0] in "وف":
                verb = verb[1:]
        if (
            that < 0
            and lemma in ("أشار", "لفت", "نوه")
            and k + 1 < len(toks)
            and toks[k + 1].text == "الي"
        ):
            that = k + 1
        return _Cue(verb, lemma, kind, k, k + 1, speaker, that)
    bare = w[1:] if w[0] in "وف" and w[1:] in _verbs() else w
    if bare in _AMBIGUOUS and w == bare:
        prev = toks[k - 1].text if k > 0 else ""
        if prev not in ("قد", "لقد") and not (
            prev == "," and _that_after(toks, _phrase(toks, k + 1)) >= 0
        ):
            return None  # بين (between), طالب (student), كتب (books)... need a و to be a verb here
    if lemma == _ADDED and k + 1 < len(toks) and _an_amount(toks[k + 1].text):
        return None  # بعد أن أضاف 2 نقطة, أضافت كثيراً من الألق: added points, not words
    start = k + 1
    while start < len(toks) and start - k <= 3 and (
            toks[start].text in _TIME_WORDS or toks[start].text in _HOW_SAID or toks[start].text in _ADVERBS
            or (toks[start].text in _TIME_PARTS and start + 1 < len(toks) and toks[start + 1].text in _TIME_WORDS)
            # ما أشارت إليه صحيفة "آس", تقديرات أشارت إليها قيادة الأركان: the subject follows
            or (start == k + 1 and toks[start].text in _TO_IT)):
        start += 1  # وحذّر الأسبوع الماضي من أن / وقال أمس الوزير … / قال ساخرا / أكد نهاية الشهر الماضي
    j = _phrase(toks, start)
    said_as = False
    if k > 0 and toks[k - 1].text in _AS:
        # وكما يقول المثل "رب ضارة نافعة"، فإن …: the words in quotation marks are what was
        # said, not part of who said it, and what follows فإن is the writer's conclusion
        mark = next((m for m in range(start, j) if toks[m].text in ('"', "'")), -1)
        close = next((c for c in range(mark + 1, min(mark + 30, len(toks))) if toks[c].text == toks[mark].text), -1) if mark >= 0 else -1
        ends = close >= 0 and (close + 1 >= len(toks) or toks[close + 1].text in (",", "،", ".") or toks[close + 1].text in ("فان", "فانه", "فانها"))
        if mark > start and ends and toks[mark - 1].text not in _NAMED_HEADS and toks[mark - 1].text not in _NAMING_NOUNS:
            j, said_as = mark, True  # (صحيفة "الحياة": a name)
    that = _that_after(toks, j)
    if said_as and that >= 0 and toks[that].text[:1] == "ف":
        that = -1
    if lemma in _OBJECT_THEN_BA:
        # ووصف الصينيين بأنهم "…", وصف الوزير القرار بأنه / بـ"…": the last word before ب is the
        # object described, not who spoke
        ba = next((m for m in range(start + 1, min(j + 1, len(toks)))
                   if toks[m].text in ("ب", "بان", "بانه", "بانها", "بانهم")), -1)
        if ba > start:
            j = ba - 1
            while j - 1 > start and toks[j - 1].text in _DEMONSTRATIVES:
                j -= 1  # ووصف المسؤول هذه الحادثة بأنها
        that = _that_after(toks, j)
    if k + 1 < len(toks) and toks[k + 1].text in _TO_WHOM:
        speaker = _Speaker(kind="none")  # قال لـ"بوابة الشام": the listener, not the speaker
        return _Cue(verb, lemma, kind, k, j, speaker, that)
    if start < len(toks) and toks[start].text in _STRESSED:
        # the speaker is the sentence's subject before the verb, or the one speaking before
        speaker = _Speaker(kind="none")
        if toks[k].text[:1] not in "وف":
            back = k - 1
            while back >= 0 and k - back <= 7 and toks[back].text not in _CLAUSE_START and not _verb_at(toks[back].text):
                back -= 1
            if back == -1 or toks[back].text in _CLAUSE_START:
                speaker = _named_subject(norm, toks, back + 1, k, ents, memory) or speaker
        return _Cue(verb, lemma, kind, k, j, speaker, that)
    if j > start and kind == "verb" and k >= 2 and toks[k - 1].text in ("قد", "لقد"):
        # وكان الرئيس الإيراني حسن روحاني قد حذر ترامب …: between كان and قد is the subject;
        # the name after the verb is its object
        back = _clause_start_before(toks, k - 1)
        if back >= 0 and toks[back].text in _WAS and k - 1 - back > 1:
            surnames = memory.surnames or {}
            if k - 1 - back == 2 and toks[back + 1].text in surnames:
                # وكان الحاج قد حذّر: a surname said before stands for the full name
                s2, e2 = norm.to_original(toks[back + 1].start, toks[back + 1].end)
                speaker = _Speaker(surnames[toks[back + 1].text], s2, e2, "person")
            else:
                speaker = (_named_subject(norm, toks, back + 1, k - 1, ents, memory)
                           or _speaker_from_phrase(text, norm, toks, back + 1, k - 1, memory, ents))
            if speaker.kind != "none":
                return _Cue(verb, lemma, kind, k, j, speaker, that)
    if j > start and kind == "verb" and toks[k].text[:1] not in "وف":
        # روسيا نفت أي علاقة …, بريطانيا حذرت روسيا: a name the clause opens with is the subject;
        # the words after the verb are its object
        back = k - 1
        while back >= 0 and k - back <= 7 and toks[back].text not in _CLAUSE_START and not _verb_at(toks[back].text):
            back -= 1
        if back == -1 or (back >= 0 and toks[back].text in _CLAUSE_START):
            named = (_named_subject(norm, toks, back + 1, k, ents, memory)
                     or _person_before_verb(norm, toks, back + 1, k, ents))
            if named is not None:
                return _Cue(verb, lemma, kind, k, j, named, that)
    if j == start and kind == "verb":
        # وكان وزير الدفاع آشتون كارتر أعلن …, لكن المسؤول الحكومي قال إن …: the subject is
        # written before the verb, back to كان or the start of the clause
        subject_end = k
        back = _clause_start_before(toks, k)
        apposed = False
        if (back >= 1 and toks[back].text == ","
                and all(t.text in ("قد", "لقد") for t in toks[back + 1 : k])):
            # وكان غولدشتاين، وهو وكيل الوزارة، قد قال …: the subject is before the apposition
            opening = next((b for b in range(back - 1, max(-1, back - 16), -1)
                            if toks[b].text == ","), -1)
            if opening >= 1 and (toks[opening + 1].text in _HE_IS or (
                    # سامي العلي، مدير الشركة، أكد أن …: the person the title describes
                    back == k - 1 and toks[k].text[:1] not in "وف" and _a_title_at(toks[opening + 1].text))):
                subject_end = opening
                back = _clause_start_before(toks, opening)
                apposed = True
        fa = toks[k].text[:1] == "ف" or toks[k - 1].text == "فقد"
        while subject_end > back + 1 and toks[subject_end - 1].text in ("قد", "لقد", "فقد"):
            subject_end -= 1  # وكان الحاج قد حذّر
        opened_by_amma = back + 2 < subject_end and toks[back + 1].text in ("اما", "واما") and fa
        if opened_by_amma:
            back += 1  # أما رئيس البلدية فيؤكد أن …: the subject is between أما and the verb
        if (
            back >= 1
            and toks[back].text == ","
            and toks[back + 1].text in ("فقد", "فان", "فانه", "فانها")
        ):
            # أما وزارة الزراعة، فقد أعلنت …: the subject is between أما and the comma
            opener = next(
                (b for b in range(back - 1, max(-1, back - 8), -1) if toks[b].text == "اما"), -1
            )
            if opener >= 0 and back - opener > 1:
                speaker = _speaker_from_phrase(text, norm, toks, opener + 1, back, memory, ents)
                if speaker.kind != "none":
                    return _Cue(verb, lemma, kind, k, j, speaker, that)
        if (
            back >= -1
            and subject_end - back > 1
            and (back == -1 or toks[back].text in _CLAUSE_START or toks[back].text in _THAT or opened_by_amma)
        ):
            first = toks[back + 1].text
            bare_first = first
            if first[:1] in "وف" and (first[1:] in _UNNAMED or first[1:] in _ORG_HEADS or first[1:3] == "ال"):
                bare_first = first[1:]  # وشهود عيان قالوا, والمعارضة قالت
            if (
                _role_word(first)
                or first in _ORG_HEADS
                or first in _UNNAMED
                or first in _given_names()
                or (first.startswith("ال") and first[2:] in _ROLES)
                or bare_first in _UNNAMED
                or bare_first in _ORG_HEADS
            ):
                speaker = _speaker_from_phrase(
                    text, norm, toks, back + 1, subject_end, memory, ents
                )
                if bare_first != first and speaker.name[:1] in "وف" and _key(speaker.name.split()[0]) == first:
                    speaker = _Speaker(speaker.name[1:], speaker.text_start + 1, speaker.text_end, speaker.kind)
                if speaker.kind != "none":
                    return _Cue(verb, lemma, kind, k, j, speaker, that)
            named = (_named_subject(norm, toks, back + 1, subject_end, ents, memory)
                     or _person_before_verb(norm, toks, back + 1, subject_end, ents)
                     or _person_then_description(norm, toks, back + 1, subject_end, ents))
            if named is None and apposed and _is_name_start(first):
                run = _run_at(toks, back + 1, subject_end)
                if run is not None and run[1] == subject_end and run[2] >= 2:
                    s2, e2 = norm.to_original(toks[back + 1].start, toks[subject_end - 1].end)
                    named = _Speaker(light(text[s2:e2]), s2, e2, "person")
            if named is not None:
                return _Cue(verb, lemma, kind, k, j, named, that)  # روسيا من جهتها نفت …
            if (subject_end - back == 2 and bare_first.startswith("ال") and len(bare_first) >= 5
                    and toks[back + 1].text not in (memory.surnames or {})
                    and bare_first not in _DAY_WORDS and bare_first not in _TIME_WORDS
                    and bare_first not in _STOPS and not _verb_at(bare_first)):
                # والمعارضة قالت إن …: one definite noun opening the clause is who spoke
                s2, e2 = norm.to_original(toks[back + 1].start, toks[back + 1].end)
                name = light(text[s2:e2]).strip()
                if bare_first != first:
                    name, s2 = name[1:], s2 + 1
                speaker = _Speaker(name, s2, e2, "org")
                # إلا أن المصدر يقول: the source named in full before
                speaker = _definite_coreference(text, norm, toks, back + 1, subject_end, speaker, memory) or speaker
                return _Cue(verb, lemma, kind, k, j, speaker, that)
    quoted_next = j < len(toks) and (toks[j].text in ('"', ":", "'") or (
        # وكتب غرويسمان على فيسبوك "…": where it was written, then the quotation
        toks[j].text == "علي" and any(t.text in ('"', ":", "'") for t in toks[j + 1 : j + 4])))
    if bare in _AMBIGUOUS and that < 0 and not quoted_next and (
            bare in _NOUNS_MOSTLY or not _quotation_follows(toks, j)):
        return None  # وبين هاني رمزي في 3 أفلام هم "…": between, not explained
    speaker = _speaker_from_phrase(text, norm, toks, start, j, memory, ents)
    if (speaker.kind == "none" and kind == "verb" and k > 0 and toks[k - 1].text == ","
            # nothing between the verb and what it reports but whom it was said to (للحاضرين)
            and (j == start or (j == start + 1 and toks[start].text[:1] == "ل"))
            and toks[k].text[:1] == "و"):
        # وصل الوزير سامي العلي إلى المدينة، وقال إن …: the subject of the sentence's first verb
        # when it is a person the entities stage found, whoever was quoted before (كما قدم
        # العلي اعتذاره للمخرج …، وقال له: العلي, not the lawyer quoted a paragraph before)
        subject, _head = _sentence_subject(text, norm, toks, k, memory, ents)
        found = next((e for e in ents if e.label == "PER" and subject.name in (e.canonical, e.text)), None) \
            if subject.kind == "person" else None
        if found is not None and (memory.last is None or _opens_the_clause(norm, toks, _head, k, subject, ents)):
            # by the full name the text gave before (ترامب: دونالد ترامب), as the last speaker is
            name = found.canonical or subject.name
            if " " not in name:
                name = (memory.surnames or {}).get(_key(name), name)
            speaker = _Speaker(name, subject.text_start, subject.text_end, "person")
    if bare in _AMBIGUOUS and that < 0 and not quoted_next and not (
            speaker.kind == "person"
            and any(e.label == "PER" and speaker.name in (e.canonical, e.text) for e in ents)):
        # وكتب ترامب على حسابه في تويتر قائلا "…" is a person's the entities stage found;
        # وكتب تفاصيل رحلته في ستة مجلدات بعنوان "…" (wrote books) no one's, and for وتابع
        # الضابط بالقول (a role) the cue بالقول reads the speaker
        return None
    if speaker.kind in ("role", "org", "person") and j < len(toks) and toks[j].text == ",":
        app = _apposition(toks, j)
        inside = _find_name(toks, start, j)
        if app is not None and (
            speaker.kind != "person"
            or _entities_prefer(app, speaker, toks, norm, ents)
            or inside is None
            or inside[1] - inside[0] < 2
            or (
                _role_word(toks[k + 1].text) is not None
                and toks[inside[0]].text not in _given_names()
                and (
                    toks[app[0]].text in _given_names()
                    or _role_word(toks[app[0] - 1].text) is not None
                )
            )
        ):
            ns, ne, j = app
            s2, e2 = norm.to_original(toks[ns].start, toks[ne - 1].end)
            # the person the entities stage found there, whole (عادل بن محمد الملحم, not عادل بن)
            e2 = max([e2] + [e.end for e in ents if e.label == "PER" and e.start <= s2 < e.end])
            speaker = _Speaker(light(text[s2:e2]), s2, e2, "person")
            that = _that_after(toks, j)
    if (
        j + 2 < len(toks)
        and toks[j].text in (",",)
        and toks[j + 1].text in ("ويدعي", "يدعي", "واسمه", "واسمها", "وتدعي")
    ):
        runs = _name_runs(toks, j + 2, min(len(toks), j + 7))
        if runs and runs[0][0] == j + 2:
            ns, ne = runs[0][0], runs[0][1]
            s2, e2 = norm.to_original(toks[ns].start, toks[ne - 1].end)
            speaker = _Speaker(light(text[s2:e2]), s2, e2, "person")
            j = ne
            that = _that_after(toks, j)
    if that < 0 and lemma in ("أشار", "لفت", "نوه") and j < len(toks) and toks[j].text == "الي":
        that = j  # أشارت السلطات إلى تشقق جدران 23 منزلاً
    return _Cue(verb, lemma, kind, k, j, speaker, that)


_SAYING = _keys("قائلا قائلة بالقول")
_BIL_QAWL = _key("بالقول")  # علق مانافورت على الاعتراف بالقول: the verb's subject said it
# ب + a noun: an adverb of manner, not who spoke (the training data knows these nouns rarely)
_MANNER = _keys("بشدة بصراحة بحزم بإيجاز باختصار بحسرة بأسف بفخر باعتزاز بثقة")
# nouns whose letters after ب are a word too (بحث: حث), sources that do speak
_BA_NOUNS = _keys("بحث بحوث بلاغ")
# past verbs that start with ب, which the test on the letters after ب cannot tell from a noun
_BA_VERBS = _keys("بدأ بدأت بات باتت بقي بقيت بلغ بلغت برر بررت برز برزت بعث بعثت")


@lru_cache(maxsize=1 << 14)
def _ordinary_after_ba(word: str) -> bool:
    """ب + a word the NER training data knows as an ordinary one (بكل, بضرورة, بقوله, بوضوح),
    or an adverb of manner (بشدة): a preposition's phrase. Not a noun that starts with ب
    (بعضهم, باحث, بعثة, برنامج: ب + no word), nor a name (برزنجي, بومبيو: unknown words)."""
    from khabar.extract.ner import plain_word, word_key

    if word in _MANNER:
        return True
    if word in _BA_NOUNS:
        return False
    rest = word[1:]
    if plain_word(word_key(rest)):
        return True
    # with a pronoun (بإنزاله, بإعلانها): the noun without it is an ordinary word
    suffix = next((x for x in ("هما", "هم", "ها", "ه") if rest.endswith(x)), "")
    return bool(suffix) and len(rest) - len(suffix) >= 4 and plain_word(word_key(rest[:-len(suffix)]))


_NOUNS_MOSTLY = _keys("بين طالب")  # between, a student: no verb of saying after a name
_HE_IS = _keys("وهو وهي وهم وهما")  # an apposition: وكان X، وهو …، قد قال
_WAS = _keys("كان وكان كانت وكانت")


def _clause_start_before(toks: Sequence[Tok], k: int) -> int:
    """Index of the clause start (كان, a comma, a stop …) before toks[k], within 10 tokens;
    -1 at the line's start, -2 when a verb or أن comes first (no subject written before k)."""
    back = k - 1
    while back >= 0 and k - back <= 10 and toks[back].text not in _CLAUSE_START:
        if toks[back].text in _THAT and back > 0 and toks[back - 1].text in _BUT_THAT:
            break  # غير أن جمعية المودعين اعتبرت …
        if _verb_at(toks[back].text) or toks[back].text in _THAT:
            return -2
        back -= 1
    return back


_WHERE_WRITTEN = _keys("علي عبر في")  # وكتب ترامب على حسابه في تويتر


def _quotation_follows(toks: Sequence[Tok], j: int) -> bool:
    """Whether a quotation (or what was said, after قائلا) follows the subject of an ambiguous
    verb further than right after it: وكتب ترامب على حسابه في تويتر قائلا "…", وكتب ترامب في
    تغريدة: "…", وتابع ترامب قائلا إن … (كتب, تابع with a noun after them are no cue)."""
    if j >= len(toks):
        return False
    end = min(len(toks), j + ((12 if j + 1 < len(toks) and toks[j + 1].text in _WHERE_SAID_HIS else 7) if toks[j].text in _WHERE_WRITTEN else 1))
    for x in range(j, end):
        t = toks[x].text
        if t in ('"', ":", "'"):
            return True
        if t in _SAYING:
            return x + 1 < len(toks) and (toks[x + 1].text in ('"', ":", "'") or toks[x + 1].text in _THAT)
    return False


_AS = _keys("كما وكما")
_BUT = _keys("إلا الا غير")  # إلا أن / غير أن: a clause of its own, its subject before its verb
_BUT_ALONE = _keys("لكن ولكن")  # كما يقول المثل: "as the saying goes"
_BEFORE_A_VERB = _keys("لم لن لا قد سوف")
_OPENERS = _keys(
    "و في المقابل من جهته جهتها جانبه جانبها جانبهم بدوره بدورها ذلك السياق ذاته نفسه هذا الصدد ,"
)


def _opens_the_clause(norm: Normalized, toks: Sequence[Tok], head: int, k: int, subject: _Speaker,
                      ents: Sequence[EntitySpan] = ()) -> bool:
    """Whether the subject comes right after the verb heading its sentence, after no more than
    titles and their adjectives (كما زار الممثل فيصل المنصور …), or as the apposition of the
    noun there (عبّرت زوجة الطبيب، …، ليلى منصور): over a speaker quoted before, not a name
    further in (وجهة نظر الدهلوس اتفق معها …; صحيفة … عادت على إقالة ترامب)."""
    if head < 0:
        return False
    x = head + 1
    if x < k and (toks[head].text[1:] if toks[head].text[:1] in "وف" else toks[head].text) in _BEFORE_A_VERB:
        x += 1  # ولم يتردد المدرب …

    def reached(i: int) -> bool:
        return norm.to_original(toks[i].start, toks[i].end)[0] >= subject.text_start

    def title(i: int) -> bool:
        t = toks[i].text
        return t.startswith(("ال", "لل")) or _a_title_at(t)

    def a_place_or_body(i: int) -> bool:
        s, _ = norm.to_original(toks[i].start, toks[i].end)
        return any(e.label in ("LOC", "ORG") and e.start <= s < e.end for e in ents)

    need_comma = False
    # ومنحت الإكوادور أسانغ اللجوء، وقالت: a place or body right after the verb is its subject
    if x < k and not reached(x) and (not title(x) or a_place_or_body(x)):
        x += 1  # the subject's head noun: its name only after a comma
        need_comma = True
    for _ in range(6):
        if x >= k:
            return False
        if reached(x):
            return not need_comma
        if toks[x].text == ",":
            return True  # an apposition `_sentence_subject` checked
        if not title(x):
            return False
        x += 1
    return False


def _sentence_subject(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    k: int,
    memory: _Memory,
    ents: Sequence[EntitySpan],
) -> tuple[_Speaker, int]:
    """Who does the main verb of the sentence that toks[k] (مؤكداً، بالقول) continues:
    طمأن وزير التربية، محمد بوزيدي، المترشحين …، مؤكداً أن … -> محمد بوزيدي. A reporting verb
    heading the sentence has already set the last speaker: none then (and its index)."""
    h = k - 1
    while h >= 0 and k - h < 60 and toks[h].text not in (".", "!", "?", ":"):
        h -= 1
    h += 1
    said_at = next((v for v in range(h - 2, max(-1, h - 9), -1) if _verb_at(toks[v].text)), -1) if (
        h >= 2 and toks[h - 1].text == ":") else -1
    if said_at >= 0:
        # وقالت الوزارة: إن المحتجزين اعترفوا …، مضيفة أن: what was said runs from the colon;
        # the cue goes on with who said it, named between the verb and the colon (or the last
        # speaker), not with the words said
        if _phrase(toks, said_at + 1) == h - 1 and said_at + 1 < h - 1:
            speaker = _speaker_from_phrase(text, norm, toks, said_at + 1, h - 1, memory, ents)
            if speaker.kind != "none" and speaker.name:
                return speaker, said_at
        return _Speaker(kind="none"), -1
    dash = next((x for x in range(h, min(k, h + 5)) if toks[x].text == "-"), -1)
    if dash >= 0:
        h = dash + 1  # the dateline: عمّان - …
    while h < k and toks[h].text in _OPENERS:
        h += 1
    first = toks[h].text if h < k else ""
    if first in _OPENING_PREPOSITIONS or (first[:1] in "وف" and first[1:] in _OPENING_PREPOSITIONS):
        # وفي بيان نقله محاميه، علق مانافورت …: the clause after the comma holds the verb
        comma = next((x for x in range(h + 1, min(k, h + 10)) if toks[x].text == ","), -1)
        if comma > 0:
            if any(t.text in _RELATIVES for t in toks[comma + 1:k]):
                # وفي عام 2011، شارك ريك في فيديو للمغنية التي نعته قائلة: the cue is the
                # relative clause's, whose subject is not the sentence's
                return _Speaker(kind="none"), -1
            h = comma + 1
    if h >= k - 1:
        return _Speaker(kind="none"), -1
    but = next((x for x in range(k - 3, h - 1, -1)
                if (toks[x].text in _BUT and toks[x + 1].text in ("ان", "انه")) or toks[x].text in _BUT_ALONE), -1)
    if but >= 0:
        # جاءه سؤال …، إلا أن فهمي أجاب قائلا: the last clause's subject, written before its verb
        first = but + (1 if toks[but].text in _BUT_ALONE else 2)
        surnames = memory.surnames or {}
        if k - 1 - first == 1 and toks[first].text in surnames:
            s2, e2 = norm.to_original(toks[first].start, toks[first].end)
            return _Speaker(surnames[toks[first].text], s2, e2, "person"), -1
        named = (_named_subject(norm, toks, first, k - 1, ents, memory)
                 or _person_before_verb(norm, toks, first, k - 1, ents))
        if named is not None:
            return named, -1
        verb_at = first + 1 if first + 1 < k - 1 else -1  # the clause's verb after its subject
        feminine_verb = verb_at >= 0 and (toks[verb_at].text.endswith("ت") or toks[verb_at].text.startswith("ت"))
        feminine_cue = toks[k].text.endswith("ه")
        if verb_at < 0 or feminine_verb == feminine_cue:
            return _Speaker(kind="none"), -1  # غير أن الموظف رفض ذلك، مؤكدا: he, though no name
        # لكن إسرائيل رفضت …، مشيرا: not her; the sentence's subject before لكن
    head = toks[h].text
    if head in _AS and h + 1 < k and _verb_at(toks[h + 1].text) is not None:
        h += 1  # كما نبه البيان …، لافتاً: the reporting verb after كما heads the sentence
        head = toks[h].text
    after_as = False
    if head in _AS and h + 2 < k and _verb_at(toks[h + 1].text) is None:
        # كما قدم العلي اعتذاره …، وقال له: another verb after كما heads it too, when its
        # subject is a person the entities stage found (كما بدأ البحث فجر أمس: no one; كما أن:
        # none)
        h += 1
        head = toks[h].text
        after_as = True
    verb_heads = _verb_at(head) is not None
    if verb_heads and not (toks[k].text == _BIL_QAWL and not any(_verb_at(t.text) for t in toks[h + 1:k])):
        return _Speaker(kind="none"), h
    if any(_verb_at(t.text) for t in toks[h + verb_heads:k]):
        return _Speaker(kind="none"), -1  # a reporting verb in the sentence set the speaker
    bare = head[1:] if head[:1] in "وف" else head
    if (
        head.startswith(("ال", "لل", "بال"))
        or bare in _STOPS
        or bare in _SOFT_STOPS
        or head in _STOPS
        or head in _SOFT_STOPS
        or not ("\u0621" <= head[0] <= "\u064a")
    ):
        return _Speaker(kind="none"), -1  # not a verb: وفي تعليق على العملية، …
    if derived_verbal_noun(bare):
        # احتفال خاص قدمته النجمة نادين نجيم …، وعلقت عليه قائلة: a noun heads the sentence;
        # the person a title names in it is who goes on to speak, or no one
        for x in range(h + 1, k - 1):
            if _a_title_at(toks[x].text):
                person = _entity_in(ents, *norm.to_original(toks[x + 1].start, toks[x + 1].end))
                if person is not None and person.kind == "person":
                    return person, -1
        return _Speaker(kind="none"), -1
    start = h + 1  # وكان النائب أحمد السلوم قد انتقد …، معتبراً: the subject after كان too
    particle = bare in _BEFORE_A_VERB
    if particle and start < k - 1:
        start += 1  # ولم يتردد المدرب سامي العلي …، قائلا: the subject follows the verb after لم
    if start < k and (toks[start].text in _SOFT_STOPS or toks[start].text in _STOPS or toks[start].text == "من"):
        return _Speaker(kind="none"), h  # طلب من المطربة …: the verb's subject is not written here
    end = _phrase(toks, start, limit=10)
    if end <= start or end > k:
        return _Speaker(kind="none"), h
    surnames = memory.surnames or {}
    if toks[start].text in surnames:
        # وكان الخطيب زار المدينة: a known surname first is the subject
        s2, e2 = norm.to_original(toks[start].start, toks[start].end)
        name = surnames[toks[start].text]
        # the person the entities stage found in full (رجب طيب أردوغان: رجب, a month's name too,
        # is missing from the remembered name)
        name = max((e.text for e in ents if e.label == "PER" and e.text.endswith(" " + name)), key=len, default=name)
        return _Speaker(name, s2, e2, "person"), h
    speaker = _speaker_from_phrase(text, norm, toks, start, end, memory, ents)
    if speaker.kind in ("role", "org", "person") and end < len(toks) and toks[end].text == ",":
        app = _apposition(toks, end)
        if app is not None and app[2] < k:
            # خطيبة الصحفي المختفي، جمال خاشقجي، خديجة جنكيز، …: a second name right after the
            # first is the head's when the head's genitive is a person (the first names it);
            # after وزيرة الثقافة، إيناس عبد الدايم، the next name is the verb's object
            second = (_apposition(toks, app[2]) if app[2] == app[1] and end - start >= 2
                      and _a_title_at(toks[start + 1].text) else None)
            if second is not None and second[2] < k:
                app = second
            s2, e2 = norm.to_original(toks[app[0]].start, toks[app[1] - 1].end)
            speaker = _Speaker(light(text[s2:e2]), s2, e2, "person")
    opening = toks[start].text
    if particle and speaker.kind == "unnamed":
        # ولم يستبعد مصدر أمني وقوع …: the source and its adjectives, not the verb's object
        e = start + 1
        if toks[start].text.endswith("و"):
            # ولا يرى موظفو الإدارة الأميركية …: a plural in construct, and whose they are
            while e < min(k, start + 4) and toks[e].text.startswith("ال"):
                e += 1
        while e < min(k, start + 3) and toks[e].text.endswith(("ي", "يه", "ه")) and not toks[e].text.startswith("ال"):
            e += 1
        s2, e2 = norm.to_original(toks[start].start, toks[e - 1].end)
        speaker = _Speaker(light(text[s2:e2]).strip(), s2, e2, "unnamed")
    if (speaker.kind == "role" and not _speaks_for_a_body(speaker.name)) or (particle and (
            speaker.kind not in ("person", "org", "unnamed")
            or (_entity_in(ents, speaker.text_start, speaker.text_end) is None
                and _role_word(opening) is None and opening[2:] not in _ROLES
                and _indefinite(opening) not in _ORG_HEADS
                and not _two_bare_words_at(text, norm, toks[start], speaker)))):
        # ولم يتوقف حديث رمضان …: after لم and its verb, the subject is a name the entities
        # stage found, a title's holder (المدرب سامي العلي), a body or a name of two words
        # without the article (لا يتوقع سايمون أشروود); حديث (the talk) and والد الشهيد (a
        # kin, not a name) are none
        return _Speaker(kind="none"), h
    if after_as and (speaker.kind != "person" or getattr(
            _entity_in(ents, speaker.text_start, speaker.text_end), "kind", "") != "person"):
        return _Speaker(kind="none"), -1
    return speaker, h


def _speaks_for_a_body(role: str) -> bool:
    """المتحدث باسم الشركة, الناطق باسم الجيش: whoever holds the role speaks for the body it
    names, so the role is who goes on to speak (رفض المتحدث باسم الشركة الإدلاء بتصريح قائلا)."""
    words = _key(role).split()
    return len(words) >= 3 and words[1] in _FOR_A_BODY_WORDS


_FOR_A_BODY_WORDS = frozenset(_key(w) for w in ("باسم", "بإسم"))


def _two_bare_words_at(text: str, norm: Normalized, tok: Tok, speaker: _Speaker) -> bool:
    """Whether the speaker is a name of two or more words without the article, beginning at tok."""
    words = speaker.name.split()
    return (norm.to_original(tok.start, tok.end)[0] == speaker.text_start and len(words) >= 2
            and not any(w.startswith("ال") for w in words))


_CLAUSE_WHEN = _keys("عندما حينما حين بينما لما كلما إذا اذا لو")


def _that_after(toks: Sequence[Tok], j: int) -> int:
    """Index of أن/إن at or shortly after j (skipping في بيان, إلى, ، ...), -1 if none."""
    k = j
    while k < len(toks) and k - j < 16:
        w = toks[k].text
        if (w in ("سي", "لسي") and k + 3 < len(toks) and toks[k + 1].text == toks[k + 2].text == "ان"
                and toks[k + 3].text in _THAT):
            k += 3  # لسي إن إن إن …: the medium's name, then the أن
            continue
        if w in _THAT:
            return k
        if w in _AS and k + 1 < len(toks) and _verb_at(toks[k + 1].text):
            k += 2  # ويرى البحر كما يرى المضف أن …: an aside, then the أن of the main verb
            continue
        if w in ('"', "'"):
            # a short quoted name (لـ"دجلة نيوز"، برنامج "أوراش") before the أن
            close = next((c for c in range(k + 1, min(k + 5, len(toks))) if toks[c].text == w), -1)
            if close > k + 1 and any(t.text in _THAT for t in toks[close + 1 : close + 14]):
                k = close + 1
                continue
        if w in ('"', "'", ".", "!", "?", ":") or (_verb_at(w) and k > j):
            return -1
        if k > j and (w in _CLAUSE_WHEN or (w[:1] in "وف" and w[1:] in _CLAUSE_WHEN)):
            return -1  # لا يقول الحقيقة، وعندما تتوه …، تأكد أن: another clause's أن
        if k == j and k > 0 and toks[k - 1].text in ('"', "'") and (_verb_at(w) or ("", ""))[1] == "verb":
            return -1  # وصف … بـ«العمل الإرهابي» قال المتحدث … إن: the next verb's own أن
        k += 1
    return -1


def _said(memory: _Memory, speaker: _Speaker, verb: str = "") -> None:
    """`verb`: the verb that names the speaker as its subject, to learn a person's gender."""
    if speaker.name in _CITED_NOT_SPEAKING:
        return  # a verse or a hadith cited: the preacher who cites it goes on speaking
    memory.last = speaker
    if memory.said is not None and speaker.kind != "none":
        memory.said.append(speaker)
    if verb and speaker.kind == "person" and memory.masculine is not None and memory.feminine is not None:
        gender = _gender(verb)
        if gender == "m":
            memory.masculine.add(speaker.name)
            memory.feminine.discard(speaker.name)
        elif gender == "f":
            memory.masculine.discard(speaker.name)
            memory.feminine.add(speaker.name)


_SAY = "قال"


def _lemma(verb: str) -> str:
    found = _verbs().get(_base(_key(verb)))
    return _key(found[0]) if found is not None else ""


@lru_cache(maxsize=4096)
def _gender(verb: str) -> str:
    """'f' for a feminine form of a reporting verb (قالت، تقول، مؤكدة), 'm' for a masculine one
    (قال، يقول، مؤكداً), '' when the form does not tell (a noun, بحسب)."""
    w = _base(_key(verb))
    found = _verbs().get(w)
    if found is None:
        return ""
    lemma, kind = _key(found[0]), found[1]
    if kind == "continuation":
        return "f" if w.endswith("ه") else "m" if w.endswith("ا") else ""
    if kind != "verb":
        return ""
    if w == lemma + "ت" or (w[:1] == "ت" and "ي" + w[1:] in _verbs()):
        return "f"
    if w == lemma or w[:1] == "ي":
        return "m"
    return ""


def _resolve(
    speaker: _Speaker,
    memory: _Memory,
    text: str = "",
    verb: str = "",
    at: int = -1,
    ents: Sequence[EntitySpan] = (),
) -> _Speaker:
    """The cue's speaker, or the last one when the cue names none; a feminine verb (وقالت،
    مؤكدة) does not go back to a man: it takes the nearest organisation instead, or no one; a
    masculine one (فقال) does not go back to a woman the text gave a feminine verb."""
    if speaker.kind == "none" or not speaker.name:
        last = memory.last
        topic = (_topic_person(text, at, ents, verb)
                 if text and at >= 0 and _lemma(verb) not in _GOING_ON and _gender(verb) else None)
        other_gender = (memory.masculine if _gender(verb) == "f" else memory.feminine) or set()
        if topic is not None and (last is None or topic.name != last.name) and topic.name not in other_gender:
            return topic
        if last is None:
            return speaker
        if _gender(verb) == "f" and (
            (last.kind == "person" and last.name in (memory.masculine or ()))
            or _a_mans_title(last.name)
        ):
            return _feminine_subject(text, memory, at, ents) or _Speaker(kind="none")
        if (_gender(verb) == "m" and last.kind == "person" and last.name in (memory.feminine or ())
                and _lemma(verb) == _SAY):
            # nor فقال to a woman the text gave قالت (a masculine أضاف or مضيفا after a woman
            # is a slip news copy makes, and goes on with her)
            return _Speaker(kind="none")
        return _Speaker(last.name, last.text_start, last.text_end, last.kind)
    return speaker


_TOPIC_OPENERS = _keys("كان وكان أما وأما")
#: verbs that go on with whoever spoke last (وأضاف, وتابع) or are no speech of a person (كتب
#: books, وصف), whom a sentence's opening person does not take over
_GOING_ON = _keys("أضاف تابع أردف استطرد كتب وصف")
_FULL_STOP = re.compile(r"(?<!\s\w)(?<!^\w)\.")


def _topic_person(text: str, at: int, ents: Sequence[EntitySpan], verb: str) -> _Speaker | None:
    """The person a sentence opens with, after no more than a title and its adjectives
    (المغنية الرومانية ألكسندرا ستان …، قالت; وكان للممثلة كارين رزق الله حصة … وقالت; الممثل
    بديع أبو شقرا كان من المكرمين فقال), when the title's gender does not contradict the verb's:
    whom a reporting verb with no subject reports (see `_resolve`), not whoever was quoted
    before."""
    start = max(text.rfind(c, 0, at) for c in "!?\n")
    for stop in _FULL_STOP.finditer(text, max(0, start), at):
        start = stop.end() - 1  # not the dot of an abbreviated title (الشيخ د. أسامة)
    start += 1
    person = next((e for e in ents if e.label == "PER" and start <= e.start and e.end <= at), None)
    if person is None:
        return None
    base = _base(_key(verb))
    if base.endswith(("ون", "وا")) or ":" in text[person.end:at]:
        # وآخرين يقولون: a plural says for others; أوضح قائلا: … وقال: a verb inside the
        # quotation another opened
        return None
    words = [_key(w) for w in text[start:person.start].split()]
    if not words and " " not in person.text.strip() and (person.canonical or person.text) == person.text:
        return None  # one word, no title, no fuller name (وطمأن: a verb the entities took for one)
    if len(words) > 3 or any(c in text[start:person.start] for c in ",،:\"«»"):
        return None
    if any(c in text[person.end:at] for c in "-–"):
        return None  # سعود الدعجاني- سبق- بيشة : أكدت …: a byline and a dateline, not a subject
    raw = text[start:person.start].split()
    while words and words[0] in _TOPIC_OPENERS:
        words, raw = words[1:], raw[1:]
    # the article as written: وألمح (a verb) is no والـ once its hamza is normalized away
    if not all(w.startswith(("ال", "لل", "وال")) and r.startswith(("ال", "لل", "وال")) and len(w) > 4
               for w, r in zip(words, raw)):
        return None
    gender = _gender(verb)
    title = words[0] if words else ""
    if title and gender and (title.endswith("ه") != (gender == "f")):
        return None  # الممثل … قالت: the verb is another's
    return _Speaker(person.canonical or person.text, person.start, person.end, "person")


def _a_mans_title(name: str) -> bool:
    """A speaker named by a man's title (الوزير السابق, المنتج المصري): no subject of وقالت."""
    words = _key(name).split()
    if not words:
        return False
    head = words[0][2:] if words[0].startswith("ال") else words[0]
    return head in _ROLES and not head.endswith("ه") and _role_word(words[0]) is not None


def _feminine_subject(
    text: str, memory: _Memory, at: int, ents: Sequence[EntitySpan]
) -> _Speaker | None:
    """The nearest organisation named in the verb's own sentence, after the last speaker
    (استنكرت الأمانة العامة لمنظمة التعاون … وقالت); one further back is too often another
    body than the verb's subject (a tweet, a clan, a study), so no one then."""
    last = memory.last
    since = max(last.text_end if last is not None else 0, at - 300)
    near = [
        e for e in ents
        if e.label == "ORG" and since <= e.start and e.end <= at
        and not any(c in text[e.end:at] for c in ".!?\n")
    ]
    if near:
        ent = near[-1]
        return _Speaker(ent.canonical or ent.text, ent.start, ent.end, "org")
    return None


def _sentence_at(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """The sentence (sorted, non-overlapping spans) that holds `pos`."""
    at = bisect_right(sentences, (pos, len(sentences) and sentences[-1][1] + 1)) - 1
    if at >= 0 and sentences[at][0] <= pos < sentences[at][1]:
        return sentences[at]
    return None


def _crosses_sentence(sentences: list[tuple[int, int]] | None, a: int, b: int) -> bool:
    if not sentences:
        return False
    found = _sentence_at(sentences, a)
    return found is not None and b > found[1] + 1


def _sentence_end(sentences: list[tuple[int, int]] | None, pos: int, line_end: int) -> int:
    if sentences:
        found = _sentence_at(sentences, pos)
        if found is not None:
            return min(found[1], line_end)
    return line_end


# nouns that a name in quotation marks follows: شعار «…», عصابات «…», حساب «…» على تويتر
_NAMING_NOUNS = _keys(
    """شعار اسم عنوان بعنوان حملة عملية مبادرة مشروع برنامج كتاب فيلم مسلسل أغنية تطبيق حساب
    صفحة موقع قناة تلفزيون مجلة مجلتا جريدة وكالة منظمة جماعة جماعات عصابة عصابات تنظيم
    مجموعة نظام قانون جائزة مسابقة بطولة مهرجان لقب وسم هاشتاغ خطة عقيدة مصطلح عبارة وثيقة
    مؤتمر منتدى معرض ملتقى صندوق منصة فرقة نادي مسجد مستشفى مدرسة قضية قضايا ملف وفاة مقتل
    حزب حركة تيار ائتلاف تحالف جبهة جمعية رابطة نقابة شركة مؤسسة مركز شبكة صحيفة إذاعة"""
)


def _colon_before(line: str, pos: int) -> bool:
    """Whether the last character before `pos` that is not whitespace is a colon. Walks back
    over the spaces instead of stripping `line[:pos]`: a copy of the line's head per quotation
    made a line of many quotations quadratic."""
    i = pos
    while i > 0 and line[i - 1].isspace():
        i -= 1
    return i > 0 and line[i - 1] == ":"


def _a_quoted_name(line: str, s: int, e: int, names: frozenset[str] = frozenset()) -> bool:
    """A name or a term in quotation marks (إدارة الكوارث «آفاد», عملية «الفجر»), not
    something said: one word not after a colon (قال: «لا» is speech); or up to three words
    that are a name of the article (`names`, normalized), follow a noun that names things
    (شعار «تدفيع الثمن»), or end in a ل with its noun cut off by a nested mark (سنتوجه لـ«…)."""
    inner = line[s:e].strip(" \t\u00a0\"'«»“”„‘’")
    words = inner.split()
    if not words or len(words) > 5:
        return False
    if len(words) > 3:
        # صحيفة «لا غازيتا ديللو سبورت»: a longer name only right after a noun that names things,
        # not a headline (صحيفة «هذا يوم أسود للجمهورية»)
        if _key(words[0]) in _HEADLINE_OPENERS:
            return False
        before = _WORD_RE.findall(_key(line[max(0, s - 30) : s]))
        w = before[-1] if before else ""
        return not _colon_before(line, max(0, s - 1)) and (
            w in _OUTLET_HEADS or (w[:1] in "وبل" and w[1:] in _OUTLET_HEADS))
    if words[-1].rstrip("ـ") in ("ل", "ب", "لل") or inner.endswith("ـ"):
        return True
    after_colon = _colon_before(line, max(0, s - 1))
    if len(words) == 1:
        return not after_colon
    if after_colon:
        return False
    key = _key(inner)
    if key in names or (key[:1] in "وبل" and key[1:] in names):
        return True
    before = _WORD_RE.findall(_key(line[max(0, s - 30) : s]))
    if before:
        w = before[-1]
        return w in _NAMING_NOUNS or (w[:1] in "وبل" and w[1:] in _NAMING_NOUNS)
    return False


def _name_keys(ents: Sequence[EntitySpan]) -> frozenset[str]:
    """The normalized names of an article's entities, as written and canonical; a MISC one
    only when written twice (a quotation is often taken for one: بأنها «دمل من الخاسرين»)."""
    out = set()
    misc: dict[str, int] = {}
    for ent in ents:
        keys = {_key(ent.text), _key(ent.canonical or ent.text)}
        if ent.label in ("PER", "ORG", "LOC"):
            out |= keys
        else:
            for k in keys:
                misc[k] = misc.get(k, 0) + 1
    return frozenset(out | {k for k, n in misc.items() if n >= 2})


_ALI = frozenset(("علي", "وعلي", "فعلي"))


def _ali_as_a_name(text: str, norm: Normalized, toks: list[Tok], ents: Sequence[EntitySpan]) -> list[Tok]:
    """`toks` with the given name علي told from the preposition على, which normalizing made
    the same word: where a person's name the entities stage found starts at it, the token is
    given another text (علي·), so that no rule stops at it as at على (وقال علي الأحمد إن)."""
    if not ents or not any(t.text in _ALI for t in toks):
        return toks
    starts = {e.start for e in ents if e.label == "PER"}
    if not starts:
        return toks
    out = list(toks)
    for k, tok in enumerate(toks):
        if tok.text not in _ALI:
            continue
        s, e = norm.to_original(tok.start, tok.end)
        if (s in starts or s + 1 in starts) and text[s:e].endswith("\u064a"):  # written with ي, not ى
            out[k] = Tok(tok.start, tok.end, tok.text + "·")
    return out


def _late_coreference(text: str, norm: Normalized, toks: Sequence[Tok], starts: list[int],
                      speaker: _Speaker, memory: _Memory) -> _Speaker | None:
    """A bare definite head (المصدر, المجلة العريقة) read again once the speakers before it in its own
    paragraph are known: the paragraph's cues are all read before any of them is said."""
    words = _key(speaker.name).split()
    if speaker.kind not in ("org", "unnamed", "role") or len(words) > 2 or not all(w.startswith("ال") for w in words):
        return None
    at = bisect_left(starts, speaker.text_start)
    if at + len(words) > len(toks) or starts[at] != speaker.text_start:
        return None  # a name of more words than the line holds after its start: no bare head
    return _definite_coreference(text, norm, toks, at, at + len(words), speaker, memory)


def _line_quotes(
    text: str,
    norm: Normalized,
    lstart: int,
    lend: int,
    sentences: list[tuple[int, int]] | None,
    memory: _Memory,
    ents: Sequence[EntitySpan],
) -> list[QuoteSpan]:
    line = text[lstart:lend]
    marks = _marks(line)
    if marks and memory.names is None:
        memory.names = _name_keys(ents) if ents else frozenset()
    names = memory.names or frozenset()
    quoted = [(lstart + s, lstart + e) for s, e in marks if not _a_quoted_name(line, s, e, names)]
    toks = _ali_as_a_name(text, norm, tokens(norm.text, norm_index(norm, lstart), norm_index(norm, lend)), ents)
    # original offsets of tokens
    starts = [norm.offsets[t.start] for t in toks]
    out: list[QuoteSpan] = []

    quoted_starts = [qs for qs, _qe in quoted]

    def inside(pos: int) -> bool:
        at = bisect_right(quoted_starts, pos) - 1
        return at >= 0 and pos < quoted[at][1]

    events: list[tuple[int, str, int]] = []  # (position, kind, index)
    for qi, (qs, _qe) in enumerate(quoted):
        events.append((qs, "quote", qi))
    cues: dict[int, _Cue] = {}
    verb_forms = _verb_forms()
    for k in [k for k, t in enumerate(toks) if t.text in verb_forms]:
        if inside(starts[k]):
            continue
        if _verb_at(toks[k].text):
            cue = _cue_at(text, norm, toks, k, memory, ents)
            if cue is not None:
                cues[k] = cue
                events.append((starts[k], "cue", k))
    events.sort()
    pending: _Cue | None = None
    covered: list[tuple[int, int]] = []
    prev_quote_end = lstart
    after_cue: _Cue | None = None
    carry, memory.carry = memory.carry, None
    used_cues: set[int] = set()
    for pos, kind, idx in events:
        if kind == "cue":
            cue = cues[idx]
            later = _late_coreference(text, norm, toks, starts, cue.speaker, memory)
            if later is not None:
                # وقال مصدر عسكري …. وقال المصدر إن …: a speaker named earlier in this paragraph
                cue = cues[idx] = replace(cue, speaker=later)
            pending = cue
            if cue.speaker.kind in ("person", "org", "unnamed") and cue.kind == "verb":
                _said(memory, cue.speaker, cue.verb)
            # indirect speech: verb ... أن clause, with no quotation mark before the sentence ends
            if cue.that_index >= 0:
                that_tok = toks[cue.that_index]
                clause_start = norm.to_original(that_tok.end, that_tok.end)[0]
                particle = text[slice(*norm.to_original(that_tok.start, that_tok.end))]
                after_tok = toks[cue.that_index + 1] if cue.that_index + 1 < len(toks) else None
                after = after_tok.text if after_tok else ""
                # as written: the normalized form ends in ه for a ta marbuta and a ha alike
                after_written = text[slice(*norm.to_original(after_tok.start, after_tok.end))] if after_tok else ""
                if (
                    that_tok.text == "ان"
                    and not particle.startswith("إ")  # إنّ, never أنْ: إن تركيا، إن نسبة …
                    and len(after) >= 4
                    and after[0] in "يتن"
                    and not after_written.endswith("ة")  # a noun: أن تكلفة، أن نسبة (not يتوجه)
                    and _key(after) not in _THAT
                ):
                    # أنْ + a verb (توقعت أن تتأثر المملكة): the particle belongs to what was said
                    clause_start = norm.to_original(that_tok.start, that_tok.start)[0]
                clause_end = _sentence_end(sentences, clause_start, lend)
                # the clause ends at the next reporting cue: a quotation after it (مضيفاً: "…")
                # belongs to that cue, not to this clause
                clause_end = _clause_end(text, toks, starts, cue.that_index, clause_end, cues)
                inner = quoted[
                    bisect_left(quoted_starts, clause_start) : bisect_left(
                        quoted_starts, clause_end
                    )
                ]
                # a quotation of three words or more in the clause is a (partial) direct quote;
                # shorter ones are names, titles or scare quotes inside the indirect speech
                long_quote = next(
                    ((qs, qe) for qs, qe in inner if len(text[qs:qe].split()) >= 3), None
                )
                split = False
                absorbed: tuple[int, int] | None = None
                if long_quote is not None:
                    lead = [w for w in (w.strip(ALL_MARKS) for w in text[clause_start : long_quote[0]].split()) if w]
                    n_lead = _words(" ".join(lead))
                    if n_lead <= 3 and not (n_lead >= 2 and _key(lead[-1]) in _BEFORE_OBJECT):
                        continue  # إن "…" / أن الوزارة "…": the direct quote attaches there
                    # (not إن تغيير الكلمة إلى "يطور أو ينمي" ستكون …: the quoted words are the
                    # object of a preposition inside the clause said)
                    if _continues_clause(text, clause_start, long_quote[0]):
                        # إن روسيا لها سجل في "الاغتيالات التي ترعاها الدولة": the quoted words
                        # are part of the sentence said, not a second quote
                        absorbed = long_quote
                    else:
                        # أن المملكة تستضيف …، وأن "…": the indirect part, then the quote
                        clause_end = long_quote[0]
                        split = True
                cs, ce = _strip_span(text, clause_start, clause_end)
                ce = _trim_end(text, cs, ce)
                if split:
                    ce = _trim_joiners(text, cs, ce)
                cs, ce = _balance_marks(text, cs, ce)
                if ce - cs < 8 or cue.kind == "noun" and cue.lemma not in ("قول", "بحسب"):
                    continue
                speaker = _resolve(cue.speaker, memory, text, cue.verb, starts[cue.verb_index], ents)
                if speaker.kind == "none":
                    continue
                whole = any(_strip_span(text, qs, qe) == (cs, ce) for qs, qe in inner)
                out.append(_quote(text, cs, ce, speaker, cue.verb, whole))
                covered.append((cs, ce))
                if absorbed is not None and not (cs <= absorbed[0] < ce):
                    covered.append(absorbed)
                _said(memory, speaker)
                if not split:
                    used_cues.add(idx)
                    pending = None
            continue
        qs, qe = quoted[idx]
        cs, ce = _strip_span(text, qs, qe)
        if ce <= cs or any(a <= qs < b for a, b in covered[-4:]):
            continue
        near = bisect_left(starts, qs)  # speaker phrases are short: only cues just before count
        if any(
            starts[c.verb_index] < qs and c.phrase_end < len(toks) and qs < starts[c.phrase_end]
            for c in (cues[x] for x in range(max(0, near - 24), near) if x in cues)
        ):
            continue  # a name in quotation marks inside a speaker phrase: قال لـ"بوابة الشام":
        before = text[max(lstart, qs - 12) : qs - 1].rstrip(" \u0640")
        if before.split()[-1:] and _key(before.split()[-1]) in _TO_WHOM:
            continue  # the listener: قال مصدر أمني لـ"شبكة أخبار الرافدين" إن …
        cue = pending
        if cue is not None and cue.verb_index in used_cues:
            cue = None
        if cue is not None and _crosses_sentence(sentences, starts[cue.verb_index], qs):
            cue = None
        if cue is None:
            cue = _cue_after(text, norm, toks, starts, qe, cues)
        if cue is None:
            # a quote right after another one (same speaker), or a title / scare quote
            words = len(text[cs:ce].split())
            if memory.last is not None and out and qs - prev_quote_end < 40 and words >= 3:
                out.append(_quote(text, cs, ce, memory.last, out[-1].verb, True))
                prev_quote_end = qe
                if qe >= lend:
                    memory.carry = (memory.last, out[-1].verb)
            elif (
                after_cue is not None
                and out
                and words >= 3
                and starts[after_cue.verb_index] < qs
                and not _crosses_sentence(sentences, prev_quote_end, qs)
                and not any(
                    x in cues and x != after_cue.verb_index
                    for x in range(bisect_right(starts, prev_quote_end), bisect_left(starts, qs))
                )
            ):
                # "…"، قال عبد السلام المقريف، وهو موظف …، "…": the same speaker goes on
                out.append(
                    _quote(text, cs, ce, _resolve(after_cue.speaker, memory), after_cue.verb, True)
                )
                prev_quote_end = qe
            elif carry is not None and qs - lstart <= 2 and words >= 3:
                # a paragraph that opens with a quotation mark continues the quotation left
                # open at the end of the previous one (the usual way to quote several paragraphs)
                out.append(_quote(text, cs, ce, carry[0], carry[1], True))
                _said(memory, carry[0])
                prev_quote_end = qe
                if qe >= lend:
                    memory.carry = carry
            continue
        if len(text[cs:ce].split()) <= 2 and _gap_tokens(toks, starts, cue.phrase_end, qs) > 2:
            continue  # a name or a title in quotation marks: أعلن ترشحه لرئاسة "الفيفا"
        used_cues.add(cue.verb_index)
        speaker = _resolve(cue.speaker, memory, text, cue.verb, starts[cue.verb_index], ents)
        if speaker.kind == "none":
            continue
        out.append(_quote(text, cs, ce, speaker, cue.verb, True))
        _said(memory, speaker)
        pending = None
        prev_quote_end = qe
        after_cue = cue if starts[cue.verb_index] > qs else None
        if qe >= lend:
            memory.carry = (speaker, cue.verb)
        more = _then_that(text, toks, starts, qe, _sentence_end(sentences, qe - 1, lend), cues)
        if more is not None:
            # … إن موكليه «فقدوا مدخرات العمر»، وإنه سيطالب …: the same verb goes on indirectly
            out.append(_quote(text, more[0], more[1], speaker, cue.verb, False))
            covered.append(more)
    return out


def _then_that(
    text: str,
    toks: Sequence[Tok],
    starts: list[int],
    qe: int,
    limit: int,
    cues: dict[int, _Cue],
) -> tuple[int, int] | None:
    """The indirect clause in '"…"، وإن/وأن …' right after a quotation, if any."""
    t = bisect_right(starts, qe)
    if t >= len(toks):
        return None
    while t < len(toks) and toks[t].text in ('"', "'"):
        t += 1
    if t + 2 >= len(toks) or toks[t].text != "," or toks[t + 1].text not in _AND_THAT:
        return None
    end = _clause_end(text, toks, starts, t + 1, limit, cues)
    start = starts[t + 2]
    cs, ce = _strip_span(text, start, end)
    ce = _trim_end(text, cs, ce)
    if ce - cs < 8:
        return None
    return cs, ce


def _gap_tokens(toks: Sequence[Tok], starts: list[int], first: int, pos: int) -> int:
    """How many words lie between token `first` and the original offset `pos`."""
    return sum(1 for k in range(first, bisect_left(starts, pos)) if toks[k].text[0].isalnum())


def _cue_after(
    text: str,
    norm: Normalized,
    toks: Sequence[Tok],
    starts: list[int],
    qe: int,
    cues: dict[int, _Cue],
) -> _Cue | None:
    """A reporting verb with a named subject right after a quote: "…" قال كارتر, "…"، هكذا
    لخّص …, "…"، بحسب ما قاله …"""
    first = bisect_left(starts, qe)
    for k in range(first, min(len(toks), first + 8)):
        if k in cues and cues[k].kind == "verb" and cues[k].speaker.kind != "none":
            return cues[k]
        if k in cues:
            return None
        if toks[k].text not in (",", "،", "-", ".", '"', "'") and toks[k].text not in _AFTER_SKIP:
            return None
    return None


_AFTER_SKIP = _keys("هكذا بحسب حسب ما كما وفق وفقا")


def _clause_end(
    text: str,
    toks: Sequence[Tok],
    starts: list[int],
    that_index: int,
    limit: int,
    cues: dict[int, _Cue],
) -> int:
    """Indirect speech ends at the sentence end or at the next reporting cue (and within 150
    words: a longer 'clause' is a run-on line, and scanning it again per cue is quadratic)."""
    if that_index + 150 < len(toks):
        limit = min(limit, starts[that_index + 150])
    for k in range(that_index + 1, len(toks)):
        if starts[k] >= limit:
            break
        if k in cues and cues[k].kind in ("continuation",):
            return starts[k]
        if k in cues and cues[k].kind == "verb" and toks[k - 1].text in (",", "،", "."):
            return starts[k]
    return limit


_WORDISH_RE = re.compile(r"[^\W_]{2,}")


def _words(text: str) -> int:
    """Words of two letters or more (marks and punctuation are not words)."""
    return len(_WORDISH_RE.findall(text))


_AND_THAT = _keys("وإن وأن وان وإنه وأنه وانه وإنها وأنها وانها وبأن وبان وإنهم وأنهم")
_JOINERS = _keys("و أن إن ان بأن وأن وإن وان إذ اذ حيث لكن بل فيما كما")


_BEFORE_OBJECT = _keys("إلى الى على عن في من مع بين ضد حول")


def _continues_clause(text: str, start: int, mark: int) -> bool:
    """Whether a quotation at `mark` goes on the indirect clause begun at `start` mid-sentence
    (… لها سجل في "…", … قد "قتل …") rather than after a comma, a colon or a joining أن."""
    before = text[start:mark].rstrip(" \t\u00a0")
    while before and before[-1] in ALL_MARKS:
        before = before[:-1].rstrip()
    if not before or before[-1] in ".،,;:؛!?؟-–—(":
        return False
    words = before.split()
    if any(_verb_at(_key(w)) for w in words):
        return False  # … فيما قال أحد السكان إن القرية "…": the quotation is another cue's
    return _key(words[-1]) not in _JOINERS and _key(words[-1]) not in _THAT


def _trim_joiners(text: str, start: int, end: int) -> int:
    """Drop the words that join an indirect clause to the quotation after it (، وأن / إذ)."""
    while True:
        end = _trim_end(text, start, end)
        cut = text.rfind(" ", start, end)
        last = text[cut + 1 : end]
        if cut <= start or _key(last) not in _JOINERS:
            return end
        end = cut


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1] in " \t\u00a0.،,;:؛" or text[end - 1] in ALL_MARKS):
        end -= 1
    return end


_OPENER_OF = {"»": "«", "”": "“", "’": "‘", "›": "‹", "‟": "„"}


def _balance_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """An indirect clause trimmed of its edge marks gets back the one that closes (or opens) a
    quotation inside it: `أن حالة ثلاثة من المصابين «حرجة».` says `… «حرجة»`, not `… «حرجة`."""
    span = text[start:end]
    after = text[end] if end < len(text) else ""
    before = text[start - 1] if start > 0 else ""
    if span.count('"') % 2 == 1:
        if after == '"':
            end += 1
        elif before == '"':
            start -= 1
        return start, end
    for closer, opener in _OPENER_OF.items():
        depth = lowest = 0
        for ch in span:
            if ch == opener:
                depth += 1
            elif ch == closer:
                depth -= 1
                lowest = min(lowest, depth)
        if lowest < 0 and before == opener:  # «الوضع» تحت …: a closer with no opener
            start -= 1
        if depth > lowest and after == closer:  # … «حرجة: an opener with no closer
            end += 1
    return start, end


_HASHTAG_TO_SPACE = str.maketrans({"_": " ", "#": " ", "＃": " "})


# what the phrase after a verb runs into past its speaker: أشارت المصادر إلى …, قال مارك لوكوك
# الخميس …
_TRAILING_PREPOSITIONS = frozenset(("إلى", "الى", "على", "من", "في", "عن", "مع", "لدى", "عبر", "منذ", "حول"))
_TRAILING_DAYS = _keys(f"{_WEEKDAYS} أمس اليوم")  # keys: matched on the word's key


def _without_trailing_words(name: str, start: int, end: int, text: str,
                            verb: str = "") -> tuple[str, int, int]:
    """A speaker's name without a preposition (2+ words) or a day (3+ words: رغد الخميس is a
    name) it ran into; the span shrinks with it where it holds the name as written. After قال
    (which takes إن with no preposition) a last على is the name علي as Egypt spells it
    (وقال الدكتور أحمد على إن)."""
    words = name.split()
    while len(words) >= 2 and (words[-1] in _TRAILING_PREPOSITIONS and not _ali_after_qala(words[-1], verb)
                               or len(words) >= 3 and _key(words[-1]) in _TRAILING_DAYS):
        last = words.pop()
        written = text[start:end].rstrip()
        if 0 <= start < end and written.endswith(last):
            end = start + len(written[: -len(last)].rstrip())
    return " ".join(words), start, end


def _ali_after_qala(word: str, verb: str) -> bool:
    # read only for a name ending in على: most quotes have no trailing word at all
    return word == "على" and bool(verb) and _verbs().get(_base(_key(verb)), ("", ""))[0] == "قال"


def _quote(
    text: str, start: int, end: int, speaker: _Speaker, verb: str, direct: bool
) -> QuoteSpan:
    # a hashtag's marks are no part of the name (دونالد #ترمب, #دونالد_ترمب)
    name = " ".join(speaker.name.translate(_HASHTAG_TO_SPACE).split()) if speaker.name else ""
    name, s_start, s_end = _without_trailing_words(name, speaker.text_start, speaker.text_end, text, verb)
    if ":" in name or name.count("«") != name.count("»") or name.count('"') % 2 or (
            name.count("“") != name.count("”")):
        # a phrase run over a quotation's opening names no one (… قائلا: "وما نريد); a name in
        # marks (موقع «بي سي ماغازين») is whole
        name, s_start, s_end = "", -1, -1
    if speaker.kind != "person" and name[:3] in ("وال", "فال") and len(name.split(maxsplit=1)[0]) > 5:
        # والمتحدث باسم الجيش أكد: the conjunction is no part of who spoke
        name = name[1:]
        if 0 <= s_start < s_end and text[s_start] in "وف":
            s_start += 1
    return QuoteSpan(
        start,
        end,
        text[start:end],
        speaker=name,
        speaker_start=s_start,
        speaker_end=s_end,
        verb=verb,
        direct=direct,
    )
