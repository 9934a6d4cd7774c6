"""Personal data in article text: phone numbers, e-mail addresses, national-ID-like numbers.

A phone number is flagged here so that later stages never read it as a quantity or a year.
"""

from __future__ import annotations

import re
from dataclasses import replace

from khabar.model import Article, PIISpan

_DIGIT = r"[0-9\u0660-\u0669\u06F0-\u06F9]"
_PHONE = re.compile(rf"\+?{_DIGIT}(?:[ \-\u00A0]?{_DIGIT}){{7,15}}")
_GLUED = re.compile(r"[\w.,\u066B\u066C/-]")
# Phones have 8+ digits and cued IDs 6+: texts without such a run (most, whose longest digit
# runs are years) skip the slower scans.
_LONG_DIGITS = re.compile(rf"{_DIGIT}(?:[ \-\u00A0]?{_DIGIT}){{5}}")
_ID_WORDS = ("رقم", "سجل", "بطاق", "جواز", "هوي")
_PHONE_PREFIXED = re.compile(rf"^(?:\+|00|0|\u0660){_DIGIT}")
_EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# An ID number is only recognised after words that name one: a bare long number is as often
# an amount or a reference as an identity.
_ID_CUE = re.compile(
    r"(?:رقم (?:ال)?(?:هوي[ةه]|بطاق[ةه]|جواز|قيد)|(?:ال)?رقم (?:ال)?(?:وطني|قومي|مدني|شخصي)|"
    r"(?:ال)?سجل (?:ال)?مدني|بطاق[ةه] (?:ال)?(?:هوي[ةه]|رقم قومي)|جواز (?:ال)?سفر(?: رقم)?|"
    # an identity or residence card named without رقم before it, with رقم after it or وطنية:
    # الهوية الوطنية 10…, هويته رقم 10…, الإقامة رقم … (a bare إقامة is also "building", هوية "identity")
    r"(?:ال)?هوي[ةه] (?:ال)?وطني[ةه](?: رقم)?|(?:ال)?هوي[ةه] رقم|هويت(?:ه|ها|ي) رقم|"
    r"(?:ال)?[اإ]قام[ةه] رقم|[اإ]قامت(?:ه|ها|ي) رقم)"
    rf"[^0-9\u0660-\u0669\u06F0-\u06F9\n]{{0,12}}(?P<number>[A-Z]?{_DIGIT}{{6,16}})"
)
_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
REDACTION = "█"


_PHONE_CUE = re.compile(
    r"(?:هاتف|الهاتف|تلفون|تليفون|جوال|الجوال|موبايل|محمول|واتساب|واتس اب|فاكس|الرقم|رقم|اتصال|للاتصال|"
    r"اتصل|tel|phone|mobile|whatsapp|fax)\W{0,3}(?:\S+\W{0,3}){0,3}$",
    re.IGNORECASE,
)
# numbers of things, not people and not phones: a trade register, a case, a decree, an order
_REFERENCE_NOUNS = r"(?:قضي[ةه]|دعوى|قرار|مرسوم|قانون|صك|ملف|طلب|معامل[ةه]|بلاغ|عقد|فاتور[ةه]|شحن[ةه]|رحل[ةه])"
_REFERENCE_CUE = re.compile(
    rf"(?:سجل(?:ها|ه)? (?:ال)?تجاري|رقم (?:ال)?{_REFERENCE_NOUNS}|(?:ال)?{_REFERENCE_NOUNS} رقم)"
    r"\W{0,3}(?:\S+\W{0,3}){0,2}$"
)
_AMOUNT_AFTER = re.compile(
    r"^\s*(?:دولار|دينار|ريال|جنيه|درهم|يورو|ليرة|ليره|روبية|فرنك|طن|برميل|نسمة|نسمه|شخص|متر|كيلو|"
    r"مليون|مليار|ألف|الف|بالمئة|بالمائة|%|\$)"
)


def _is_phone(candidate: str, before: str, after: str) -> bool:
    digits = [c for c in candidate.translate(_ASCII_DIGITS) if c.isdigit()]
    if len(digits) < 8 or _AMOUNT_AFTER.match(after):
        return False
    if _REFERENCE_CUE.search(before):
        return False
    if _PHONE_CUE.search(before):
        return True
    # Without a word that announces a number, only dialling prefixes make a digit run a phone:
    # long bare runs are more often amounts or references.
    return bool(_PHONE_PREFIXED.match(candidate))


def find_pii(text: str) -> list[PIISpan]:
    """Every phone number, e-mail address and cued ID number, in text order, not overlapping."""
    found: list[PIISpan] = []
    if "@" in text:
        for match in _EMAIL.finditer(text):
            found.append(PIISpan(match.start(), match.end(), match.group(), pii_kind="email"))
    if not _LONG_DIGITS.search(text):
        return found
    if any(word in text for word in _ID_WORDS):
        for match in _ID_CUE.finditer(text):
            if _AMOUNT_AFTER.match(text[match.end() : match.end() + 12]):  # رسوم الإقامة 100000 ريال: a fee
                continue
            found.append(PIISpan(match.start("number"), match.end("number"), match.group("number"), pii_kind="national_id"))
    taken = [(s.start, s.end) for s in found]
    for match in _PHONE.finditer(text):
        if (match.start() and _GLUED.match(text, match.start() - 1)) or _GLUED.match(text, match.end()):
            continue
        before, after = text[max(0, match.start() - 40) : match.start()], text[match.end() : match.end() + 12]
        if _is_phone(match.group(), before, after) and not any(a < match.end() and match.start() < b for a, b in taken):
            found.append(PIISpan(match.start(), match.end(), match.group(), pii_kind="phone"))
    found.sort(key=lambda s: s.start)
    return found



def redact(article: Article) -> Article:
    """The article with every PII span masked by █ of the same length (offsets still hold)."""
    if not article.pii:
        return article
    chars = list(article.text)
    for span in article.pii:
        chars[span.start : span.end] = REDACTION * (span.end - span.start)
    text = "".join(chars)
    body = article.body
    for span in article.pii:
        body = body.replace(span.text, REDACTION * len(span.text))
    return replace(
        article,
        text=text,
        body=body,
        lines=tuple(replace(line, text=text[line.start : line.end]) for line in article.lines),
        sentences=tuple(replace(s, text=text[s.start : s.end]) for s in article.sentences),
        pii=tuple(replace(p, text=REDACTION * (p.end - p.start)) for p in article.pii),
    )


__all__ = ["REDACTION", "find_pii", "redact"]
