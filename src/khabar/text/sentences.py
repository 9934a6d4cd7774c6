"""Sentence splitting for Arabic news text, with spans into the original string.

`split_sentences(text)` returns ``[(start, end), ...]``: spans into `text`, stripped of
surrounding whitespace (and invisible zero-width/bidi characters), in order, never empty.

A sentence ends at

* a line break (always), and
* a cluster of terminators ``. ! ? ؟ ؛ … ۔ ‼`` (``...`` and ``؟!`` are one cluster), also when
  the next sentence is glued to it (``تعبيره.وأضاف``). Closing quotes and brackets right after
  the cluster stay with the sentence that ends (``قال "انتهى."``).

A ``.`` does not end a sentence

* between digits (``3.5``; ``٣٫٥`` has no ``.`` at all),
* after a single letter (``د. أحمد``, ``أ.د. محمد``, ``J. Smith``), except م/هـ right after a
  number (``عام 2016 م.`` is a year, the sentence ends),
* after a few Latin titles (``Mr.``, ``Dr.``, ...),
* between Latin letters or digits (``example.com``, ``U.S.A``), or inside a URL or an e-mail,
* inside an abbreviation of three or more dotted pieces of Arabic letters (``بي.بي.سي``),
* after a list number at the start of a line (``1. البند الأول``).

No terminator ends a sentence inside a quotation or brackets that continue after it
(``قال "تأخرنا... لكننا وصلنا" ثم غادر``). Quote marks in scraped Arabic text are often
unbalanced or reversed, so a quotation only protects its inside when an opening mark is paired
with a closing mark on the same line, with at most `MAX_QUOTED_ENDS` sentence ends between them;
a mark opened and never closed protects nothing. Whether a ``"“”«»`` mark opens or closes is
read from its neighbours (space before and letter after: opens), not from its glyph.
"""

from __future__ import annotations

import bisect
import re

__all__ = ["MAX_QUOTED_ENDS", "split_sentences"]

#: A quotation/bracket with more sentence ends than this inside is treated as unbalanced.
MAX_QUOTED_ENDS = 3

TERMINATORS = ".!?؟؛…۔‼⁇⁈⁉"
_CLUSTER_RE = re.compile("[" + re.escape(TERMINATORS) + "]+")
_LINE_RE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x85]+")
_MARK_RE = re.compile(r'["“”„‟«»()\[\]{}]')
_MARK_CLASS = {
    '"': "dq", "“": "dq", "”": "dq", "„": "dq", "‟": "dq",
    "«": "guil", "»": "guil",
    "(": "paren", ")": "paren", "[": "brack", "]": "brack", "{": "brace", "}": "brace",
}  # fmt: skip
#: Deeper nesting than this is junk; the oldest open marks are forgotten (keeps pairing linear).
_MAX_OPEN_MARKS = 16
_BRACKET_ROLE = {"(": "open", "[": "open", "{": "open", ")": "close", "]": "close", "}": "close"}
_URL_RE = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"|(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
)
_URL_TRAILING = ".,;:!?)]}'\""
_DIACRITIC_OR_TATWEEL = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_WORDISH_RE = re.compile(rf"[^\W_]|[{_DIACRITIC_OR_TATWEEL}\u0300-\u036f]")
_MARK_ONLY_RE = re.compile(rf"[{_DIACRITIC_OR_TATWEEL}\u0300-\u036f]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_LATIN_ALNUM_RE = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")
_ALNUM_RE = re.compile(r"[^\W_]")
_LIST_NUMBER_RE = re.compile(r"\d{1,3}")
_LATIN_WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)$")
_LATIN_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs"})
_ERA_LETTERS = frozenset("مه")
_STRIP = "".join(chr(cp) for cp in range(0x3001) if chr(cp).isspace()) + (
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069"
)


def _wordish(ch: str) -> bool:
    return bool(ch) and _WORDISH_RE.match(ch) is not None


def _protected_spans(line: str) -> list[tuple[int, int]]:
    if "@" not in line and "://" not in line and "www." not in line:
        return []  # nothing a URL or e-mail could start from (the common case)
    spans = []
    for m in _URL_RE.finditer(line):
        start, end = m.span()
        while end > start and line[end - 1] in _URL_TRAILING:
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(start <= pos < end for start, end in spans)


def _quote_role(line: str, i: int, open_here: bool) -> str | None:
    """Whether the symmetric quote mark at `i` opens or closes, read from its neighbours."""
    prev = line[i - 1] if i > 0 else ""
    nxt = line[i + 1] if i + 1 < len(line) else ""
    if prev and prev in TERMINATORS:
        return "close"
    prev_word, next_word = _wordish(prev), _wordish(nxt)
    if prev_word and next_word:  # glued on both sides
        return "close" if open_here else "open"
    if prev_word:
        return "close"
    if next_word:
        return "open"
    prev_space = not prev or prev.isspace()
    next_space = not nxt or nxt.isspace()
    if prev_space and not next_space:
        return "open"
    if next_space and not prev_space:
        return "close"
    if prev_space and next_space:
        return None
    return "close" if open_here else "open"


def _pair_marks(
    line: str, protected: list[tuple[int, int]]
) -> tuple[dict[int, str], list[tuple[int, int]]]:
    """Roles of the quote/bracket marks of one line and the (open, close) pairs they form."""
    roles: dict[int, str] = {}
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _MARK_RE.finditer(line):
        i = m.start()
        if protected and _inside(protected, i):
            continue
        ch = line[i]
        cls = _MARK_CLASS[ch]
        role = _BRACKET_ROLE.get(ch)
        if role is None:
            role = _quote_role(line, i, any(c == cls for c, _ in stack))
            if role is None:
                continue
        roles[i] = role
        if role == "open":
            if cls in ("dq", "guil"):
                # A second opening quote of the same kind: the first one was never closed.
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k][0] == cls:
                        del stack[k:]
                        break
            stack.append((cls, i))
            if len(stack) > _MAX_OPEN_MARKS:
                del stack[0]
        else:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == cls:
                    regions.append((stack[k][1], i))
                    del stack[k:]
                    break
    return roles, regions


def _single_letter_before(line: str, cs: int) -> int | None:
    """Index of the letter before `cs` if it is a one-letter word (diacritics allowed)."""
    k = cs - 1
    while k >= 0 and _MARK_ONLY_RE.match(line[k]):
        k -= 1
    if k < 0 or not _LETTER_RE.match(line[k]):
        return None
    before = line[k - 1] if k > 0 else ""
    if before and (_LETTER_RE.match(before) or _MARK_ONLY_RE.match(before)):
        return None
    return k


def _arabic_piece(line: str, start: int, step: int) -> int:
    """Length of the run of Arabic letters from `start` going `step` (+1 or -1)."""
    n = 0
    k = start
    while 0 <= k < len(line) and "\u0621" <= line[k] <= "\u064a":
        n += 1
        k += step
    return n


# Latin letters as Arabic writes them: dotted with spaces (بي. بي. سي.) they still make one name
LATIN_LETTER_NAMES = frozenset(
    "إي اي أي آي بي سي دي إف اف جي إتش اتش جاي كي إل ال إم ام إن ان أو او كيو آر ار إس اس تي يو"
    " في فى دبليو إكس اكس واي زد زي إيه ايه".split()
)


def _pieces_before(line: str, dot: int) -> int:
    """Pieces of one to three Arabic letters chained by dots (and one space) ending at `dot`."""
    n = 0
    k = dot
    while True:
        p = _arabic_piece(line, k - 1, -1)
        if not 0 < p <= 3:
            return n
        n += 1
        j = k - p - 1  # the character before the piece
        if j >= 0 and line[j] == ".":
            k = j
        elif (j >= 1 and line[j] == " " and line[j - 1] == "." and line[k - p : k] in LATIN_LETTER_NAMES
              and line[j - 1 - _arabic_piece(line, j - 2, -1) : j - 1] in LATIN_LETTER_NAMES):
            k = j - 1
        else:
            return n


def _pieces_after(line: str, after_dot: int) -> int:
    """Pieces of one to three Arabic letters chained by dots (and one space) from `after_dot`."""
    n = 0
    k = after_dot
    while True:
        spaced = line[k : k + 1] == " "
        if spaced:
            k += 1
        p = _arabic_piece(line, k, 1)
        if not 0 < p <= 3:
            return n
        if spaced and not (line[k : k + p] in LATIN_LETTER_NAMES
                           and line[k - 2 - _arabic_piece(line, k - 3, -1) : k - 2] in LATIN_LETTER_NAMES):
            return n
        n += 1
        if line[k + p : k + p + 1] != ".":
            return n
        k += p + 1


def _nisba_next(line: str, ce: int) -> bool:
    """The word after [ce) is a definite relative adjective (البريطانية, الأمريكي)."""
    k = ce + 1 if line[ce : ce + 1] == " " else ce
    n = _arabic_piece(line, k, 1)
    word = line[k : k + n]
    return n > 4 and word.startswith("ال") and word.endswith(("ي", "ية", "يه"))


def _arabic_abbreviation(line: str, cs: int, ce: int) -> bool:
    """A dot inside letters written with dots, three pieces or more of one to three Arabic
    letters each (بي.بي.سي, سي.آي.إيه, إف.بي.آي, بي. بي. سي.): an abbreviation, not two
    sentences; so is its last dot when a relative adjective follows (بي.بي.سي. البريطانية)."""
    before = _pieces_before(line, cs)
    if before == 0:
        return False
    after = _pieces_after(line, ce)
    if after:
        return before + after >= 3
    return before >= 3 and _nisba_next(line, ce)


def _dot_continues(line: str, cs: int, ce: int) -> bool:
    """True when the single "." at [cs, ce) is not a sentence end."""
    prev = line[cs - 1] if cs > 0 else ""
    nxt = line[ce] if ce < len(line) else ""
    if prev.isdigit() and nxt.isdigit():
        return True  # 3.5
    if prev.isdigit() and nxt in "\u200e\u200f\u061c" and line[ce + 1:ce + 2].isdigit():
        return True  # 5.\u200f0: a decimal typed in visual order with a direction mark
    if prev and nxt and _LATIN_ALNUM_RE.match(prev) and _LATIN_ALNUM_RE.match(nxt):
        return True  # example.com, U.S.A
    if _arabic_abbreviation(line, cs, ce):
        return True  # بي.بي.سي, سي.آي.إيه
    k = _single_letter_before(line, cs)
    if k is not None:
        if line[k] in _ERA_LETTERS:
            before = line[max(0, k - 4) : k].rstrip()
            if before and before[-1].isdigit():
                return False  # 2016 م. / 1437 هـ.
        return True  # د. أحمد
    latin = _LATIN_WORD_BEFORE_RE.search(line, max(0, cs - 8), cs)
    if latin and latin.group(1).lower() in _LATIN_TITLES:
        return True  # Dr. Smith
    if cs <= 12 and _LIST_NUMBER_RE.fullmatch(line[:cs].strip(_STRIP)):
        return True  # 1. البند الأول
    return False


def _line_boundaries(line: str) -> list[int]:
    protected = _protected_spans(line)
    roles, regions = _pair_marks(line, protected)

    cands: list[tuple[int, int]] = []  # (cluster start, sentence end after closing marks)
    for m in _CLUSTER_RE.finditer(line):
        cs, ce = m.span()
        if protected and _inside(protected, cs):
            continue
        if ce - cs == 1 and line[cs] == "." and _dot_continues(line, cs, ce):
            continue
        j = ce
        while roles.get(j) == "close":
            j += 1
        cands.append((cs, j))
    if not cands:
        return []

    starts = [cs for cs, _ in cands]
    ends = [j for _, j in cands]
    suppressed: set[int] = set()
    for o, c in regions:
        lo = bisect.bisect_right(starts, o)  # clusters after the opening mark
        hi = bisect.bisect_right(ends, c)  # whose sentence would end before the closing mark
        if 0 < hi - lo <= MAX_QUOTED_ENDS:
            suppressed.update(range(lo, hi))
    return [j for k, (_, j) in enumerate(cands) if k not in suppressed]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    seg = text[start:end]
    left = len(seg) - len(seg.lstrip(_STRIP))
    if left == len(seg):
        return start, start
    right = len(seg) - len(seg.rstrip(_STRIP))
    return start + left, end - right


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` into `text` (see the module docstring for the rules)."""
    spans: list[tuple[int, int]] = []
    for lm in _LINE_RE.finditer(text):
        line = lm.group()
        base = lm.start()
        line_spans: list[tuple[int, int]] = []
        seg_start = 0
        bounds = _line_boundaries(line)
        if not bounds or bounds[-1] != len(line):
            bounds.append(len(line))
        for b in bounds:
            s, e = _strip_span(line, seg_start, b)
            if s == e:
                seg_start = b
                continue
            has_content = _ALNUM_RE.search(line, s, e) is not None
            if not has_content and b != len(line):
                continue  # "..." with nothing before it: keep it with what follows
            if not has_content and line_spans:
                line_spans[-1] = (line_spans[-1][0], base + e)  # trailing "--" etc.
            else:
                line_spans.append((base + s, base + e))
            seg_start = b
        spans.extend(line_spans)
    return spans
