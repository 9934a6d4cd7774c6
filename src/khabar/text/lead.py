"""A title for a text that has none: its lead (first sentence), cut at a word boundary.

    >>> lead_title("عمّان - أعلنت السلطات، أمس، إغلاق الطريق الصحراوي. وقالت إن العمل مستمر.",
    ...            dateline="عمّان -")
    'أعلنت السلطات، أمس، إغلاق الطريق الصحراوي'
"""

from __future__ import annotations

from khabar.text.sentences import split_sentences

__all__ = ["LEAD_TITLE_CHARS", "lead_title"]

#: The longest lead title, in characters, its ` …` included: about as long as the headlines of
#: the demo corpus run (30-70 characters), so that a list shows it whole.
LEAD_TITLE_CHARS = 80

# what a title does not end with: a sentence's terminator, a comma, a dash or a colon left
# hanging by the cut, and the opening mark of a quotation the cut leaves open
_TRAILING = " \t.،,؛;:!؟?…-–—«\"“(/"
_LEADING = " \t-–—:/|"
#: How much of the text is read for its lead: a first sentence longer than this is cut anyway.
_READ = 2000


def lead_title(text: str, *, dateline: str = "", limit: int = LEAD_TITLE_CHARS) -> str:
    """The first sentence of `text` (a body), without the `dateline` it opens with and without
    its final full stop, as one line; longer than `limit` characters, cut at the last word
    boundary that fits, with ` …` after it. "" for a text with no words."""
    start = 0
    head = text.lstrip()
    if dateline and head.startswith(dateline.strip()):
        start = len(text) - len(head) + len(dateline.strip())
    text = text[: start + _READ]  # the lead is at the start: not a long body's every sentence
    spans = split_sentences(text[start:])
    if not spans:
        return ""
    first = " ".join(text[start + spans[0][0]:start + spans[0][1]].split())
    # a dateline on a line of its own (`القاهرة -`, `بغداد/وكالة الأنباء-`) or a first "sentence"
    # of marks only is not the lead: the next sentence is
    if len(spans) > 1 and (not any(c.isalnum() for c in first)
                           or (first.endswith(("-", "–", "—", ":")) and len(first.split()) <= 4)):
        first = " ".join(text[start + spans[1][0]:start + spans[1][1]].split())
    sentence = first.strip(_LEADING)
    sentence = sentence.rstrip(" .،,؛;:-–—")  # a question or an exclamation keeps its mark
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 2]  # room for " …"
    if " " in cut and not sentence[limit - 2].isspace():
        cut = cut.rsplit(" ", 1)[0]  # no word cut in two
    return f"{cut.rstrip(_TRAILING) or cut} …"
