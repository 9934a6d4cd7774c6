"""The reader's error messages in Arabic.

The JSON API (and the reader's `.json` twins) keep their English messages: that is their
contract with clients. An HTML page says the same in Arabic: `reader_message` reads the English
message the corpus, the store or the web layer raised and writes it in Arabic, keeping the
values the reader typed (a page number, a date, an id) as they were typed; a message it does not
know gives the page's general reason for its status, never English in an Arabic page.

    >>> reader_message(400, "page must be 1 or more, got 0")
    'رقم الصفحة يبدأ من 1، وكُتب: 0'
    >>> reader_message(404, "no story 'abc'")
    'لا قصة بالمعرّف «abc».'
    >>> reader_message(400, "something new went wrong")
    'في الطلب قيمة غير صالحة.'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

#: What each query parameter of the reader is, in Arabic.
PARAMETERS_AR = {
    "page": "رقم الصفحة",
    "per_page": "عدد القصص في الصفحة",
    "limit": "عدد النتائج",
    "since": "تاريخ البداية (من)",
    "until": "تاريخ النهاية (إلى)",
    "sort": "الترتيب",
    "label": "نوع الاسم",
    "type": "نوع الاسم",
    "q": "عبارة البحث",
    "outlet": "المصدر",
    "entity": "الاسم",
}

_SORTS_AR = {"recency": "الأحدث", "size": "الأكبر", "outlets": "الأكثر مصادر"}
_LABELS_AR = {"PER": "شخص", "ORG": "جهة", "LOC": "مكان", "MISC": "أخرى"}

#: The general reason for each status, when the message is none of those below.
GENERAL_AR = {
    400: "في الطلب قيمة غير صالحة.",
    404: "لا توجد صفحة بهذا العنوان.",
    405: "هذه الطريقة غير مسموحة لهذا العنوان.",
    413: "الطلب أكبر من الحد المسموح.",
    500: "حدث خطأ داخلي في الخادم؛ التفاصيل في سجل الخادم.",
    503: "قاعدة البيانات مشغولة الآن بعملية أخرى؛ أعد المحاولة بعد قليل.",
}


def _value(text: str) -> str:
    """A value as Python's repr wrote it ('x'), without the quotes, between Arabic ones."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return f"«{text}»"


def _param(name: str) -> str:
    return PARAMETERS_AR.get(name, f"«{name}»")


def _choices(names: str, table: Mapping[str, str]) -> str:
    words = [table.get(n.strip(), n.strip()) for n in names.split(",") if n.strip()]
    return " أو ".join(f"«{w}»" for w in words)


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

_RULES: list[_Rule] = [(re.compile(p, re.S), f) for p, f in [
    (r"page must be 1 or more, got (.*)",
     lambda m: f"رقم الصفحة يبدأ من 1، وكُتب: {m[1]}"),
    (r"(per_page|limit) must be between (\d+) and (\d+), got (.*)",
     lambda m: f"{_param(m[1])} بين {m[2]} و{m[3]}، وكُتب: {m[4]}"),
    (r"unknown sort (.*) \(choose from (.*)\)",
     lambda m: f"ترتيب غير معروف {_value(m[1])}: اختر {_choices(m[2], _SORTS_AR)}."),
    (r"(since|until) must be a date as YYYY-MM-DD, got (.*)",
     lambda m: f"يُكتب {_param(m[1])} على صورة YYYY-MM-DD (مثل 2026-03-15)، وكُتب: {_value(m[2])}"),
    (r"until \((.*)\) is before since \((.*)\)",
     lambda m: f"تاريخ النهاية {m[1]} قبل تاريخ البداية {m[2]}."),
    (r"unknown label (.*) \(choose from (.*)\)",
     lambda m: f"نوع اسم غير معروف {_value(m[1])}: اختر " + " أو ".join(
         f"«{n.strip()}» ({_LABELS_AR.get(n.strip(), n.strip())})" for n in m[2].split(",")) + "."),
    (r"label (.*) and type (.*) disagree \(they are one filter\)",
     lambda m: f"نوع الاسم كُتب مرتين بقيمتين مختلفتين: {_value(m[1])} و{_value(m[2])}."),
    (r"nothing to (?:look|search) for in (.*)",
     lambda m: f"لا كلمات يُبحث عنها في {_value(m[1])}."),
    (r"empty search: give one or more words",
     lambda m: "البحث فارغ: اكتب كلمة أو أكثر."),
    (r"(?:unbalanced quote|search takes plain words).*",
     lambda m: "البحث بالكلمات وحدها، دون علامات البحث ومعاملاته."),
    (r"no story (.*)",
     lambda m: f"لا قصة بالمعرّف {_value(m[1])}."),
    (r"story id prefix (.*) is ambiguous; give more characters",
     lambda m: f"بداية المعرّف {_value(m[1])} تطابق أكثر من قصة: اكتب أحرفاً أكثر منه."),
    (r"no article (.*?)(?: in .*)?",
     lambda m: f"لا مقالة بالمعرّف {_value(m[1])}."),
    (r"article id prefix (.*) is ambiguous; give more characters",
     lambda m: f"بداية المعرّف {_value(m[1])} تطابق أكثر من مقالة: اكتب أحرفاً أكثر منه."),
    (r"external id (.*) is ambiguous: .*",
     lambda m: f"المعرّف {_value(m[1])} لأكثر من مقالة."),
    (r"no entity (.*)",
     lambda m: f"لا اسم بالمفتاح {_value(m[1])}."),
    (r"no page at (.*)",
     lambda m: f"لا صفحة في العنوان {m[1]}"),
    (r"(\S+) is not allowed at (\S+)(?: \(only (.*)\))?",
     lambda m: f"الطريقة {m[1]} غير مسموحة في العنوان {m[2]}" + (f" (المسموح: {m[3]})." if m[3] else ".")),
    (r"internal error \((\w+)\).*",
     lambda m: f"حدث خطأ داخلي في الخادم ({m[1]})؛ التفاصيل في سجل الخادم."),
    (r".* is busy: .*|.*database is locked.*",
     lambda m: GENERAL_AR[503]),
    (r"request body over the limit of ([\d,]+) bytes( once decompressed)?",
     lambda m: f"الطلب أكبر من الحد المسموح ({m[1]} بايت{' بعد فك ضغطه' if m[2] else ''})."),
]]


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def reader_message(status: int, message: str) -> str:
    """`message` (an error's English message, or one already in Arabic) for an Arabic page."""
    message = " ".join(message.split())
    for pattern, write in _RULES:
        m = pattern.fullmatch(message)
        if m:
            return write(m)
    if _arabic(message) and not re.search(r"[A-Za-z]{3,}", message):
        return message  # already Arabic (تعذّر البحث: …)
    return GENERAL_AR.get(status, GENERAL_AR[400] if 400 <= status < 500 else GENERAL_AR[500])


def validation_message(errors: Iterable[Mapping[str, Any]]) -> str:
    """FastAPI's validation errors (a query parameter that is no whole number) in Arabic."""
    parts = []
    for err in errors:
        names = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        name = names[-1] if names else ""
        given = err.get("input")
        kind = str(err.get("type", ""))
        if kind.startswith("int"):
            what = "عدداً صحيحاً"
        elif kind == "missing":
            parts.append(f"{_param(name)} مطلوب." if name else "في الطلب قيمة ناقصة.")
            continue
        else:
            what = "قيمة صالحة"
        written = f"، وكُتب: {_value(repr(str(given)))}" if isinstance(given, (str, int, float)) else ""
        parts.append(f"{_param(name)} يجب أن يكون {what}{written}" if name else f"في الطلب قيمة غير صالحة{written}")
    return "؛ ".join(parts) or GENERAL_AR[400]
