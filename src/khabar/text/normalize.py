"""Normalization of Arabic news text for *matching* (search keys, dedup, comparisons).

The original text is never changed: `normalize` returns the normalized string together with an
offset map back into the original, so anything found in the normalized text can be reported as a
span of the text exactly as it was received.

Rules (see `NORMALIZATION_RULES` in the tests for one example of each):

* alef forms أ إ آ ٱ ٲ ٳ → ا; ى → ي; ة → ه; ؤ → و; ئ → ي (a bare ء is kept)
* tatweel ـ, Arabic diacritics (U+064B–U+065F, U+0670), Quranic marks (U+06D6–U+06ED) and the
  small Arabic signs U+0610–U+061A are removed
* Eastern-Arabic ٠-٩ and Persian ۰-۹ digits → 0-9; ٫ → "." and ٬ → ","
* ، → ","  ؛ → ";"  ؟ → "?"  ٪ → "%"
* Persian/Urdu letters ک → ك; ی → ي; ە ۀ ھ ہ ۃ → ه
* no-break and fixed-width spaces (U+00A0, U+2000–U+200A, U+202F) and tabs → " "
* zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and bidi controls (U+200E, U+200F,
  U+061C, U+202A–U+202E, U+2066–U+2069) are removed
* Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFE) are decomposed with NFKC and then
  normalized by the rules above (ﻻ → لا, ﻷ → لا); isolated forms of diacritics vanish
* Latin letters are lowercased; curly quotes “ ” „ ‟ « » → '"' and ‘ ’ ‛ → "'"

Runs of spaces and line breaks are left alone so the offset map stays simple; use
`collapse_spaces` on the result where needed.

All of it, presentation forms included, is one precomputed `str.translate` table, so
`normalize_text` is a single `str.translate` call (a list-indexed copy of the table is used
when the text has no presentation forms, which is about twice as fast).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Normalized", "collapse_spaces", "normalize", "normalize_text"]


def _chars(first: int, last: int) -> list[str]:
    return [chr(cp) for cp in range(first, last + 1)]


# Characters that decorate the letter before them; when a normalized span ends on a letter, the
# original span is extended over these (so "جندياً" matched as "جنديا" keeps its tanween).
DIACRITICS = frozenset(
    _chars(0x064B, 0x065F) + ["\u0670"] + _chars(0x06D6, 0x06ED) + _chars(0x0610, 0x061A)
)
TATWEEL = "\u0640"
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
BIDI_CONTROLS = frozenset(
    ["\u200e", "\u200f", "\u061c", *_chars(0x202A, 0x202E), *_chars(0x2066, 0x2069)]
)
_ATTACHED_MARKS = DIACRITICS | {TATWEEL}


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}

    def put(chars: str | list[str] | frozenset[str], repl: str) -> None:
        for ch in chars:
            table[ord(ch)] = repl

    # Latin first, so nothing below can be overridden by it.
    for cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        if ch.isalpha() and ch.lower() != ch:
            low = ch.lower()
            # "İ".lower() is "i" + combining dot above; keep it one letter.
            table[cp] = low if len(low) == 1 else unicodedata.normalize("NFKD", low)[0]

    put("أإآٱٲٳ", "ا")
    put("ى", "ي")
    put("ة", "ه")
    put("ؤ", "و")
    put("ئ", "ي")
    put(TATWEEL, "")
    put(DIACRITICS, "")
    for i in range(10):
        table[0x0660 + i] = str(i)
        table[0x06F0 + i] = str(i)
    put("٫", ".")
    put("٬", ",")
    put("،", ",")
    put("؛", ";")
    put("؟", "?")
    put("٪", "%")
    put("ک", "ك")
    put("ی", "ي")
    put("ەۀھہۃ", "ه")
    put(["\u00a0", "\u202f", "\t", *_chars(0x2000, 0x200A)], " ")
    put(ZERO_WIDTH, "")
    put(BIDI_CONTROLS, "")
    put("“”„‟«»", '"')
    put("‘’‛", "'")

    base = dict(table)
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFF)):
        ch = chr(cp)
        if cp in table or unicodedata.category(ch) == "Cn":
            continue
        decomposed = unicodedata.normalize("NFKC", ch)
        if decomposed == ch:
            continue
        mapped = decomposed.translate(base)
        # Isolated diacritic forms decompose to " " + mark: drop them entirely.
        table[cp] = "" if mapped.strip() == "" else mapped
    return table


_TABLE: dict[int, str] = _build_table()
# The same table as a list indexed by code point (faster for str.translate; code points past
# its end raise IndexError, which str.translate treats as "unchanged"). Mapped characters past
# it are only presentation forms and the BOM; text containing any of them uses the dict.
_FAST_LIMIT = 0x3000
_FAST_TABLE: list[int | str | None] = list(range(_FAST_LIMIT))
for _cp, _rep in _TABLE.items():
    if _cp < _FAST_LIMIT:
        _FAST_TABLE[_cp] = (ord(_rep) if len(_rep) == 1 else _rep) if _rep else None
    elif not 0xFB50 <= _cp <= 0xFEFF:  # pragma: no cover - guards the table construction
        raise AssertionError(f"mapped code point U+{_cp:04X} outside the fast table")
del _cp, _rep
_NEEDS_FULL_TABLE_RE = re.compile("[\ufb50-\ufeff]")
# The fast table again as an array, for long texts: a text whose characters all lie in it is
# mapped as UTF-16 code units by one array gather (removed characters become _REMOVED and are
# dropped), about four times faster than `str.translate` on a whole article, which looks each
# character up through a Python object. Short texts (a word) stay with `str.translate`, which
# has no array set-up to pay for.
_ARRAY_MIN_LENGTH = 256
_REMOVED = 0xFFFF  # a code unit no text in the array's range holds
_FAST_ARRAY = np.arange(_FAST_LIMIT, dtype=np.uint16)
for _cp, _rep in enumerate(_FAST_TABLE):
    if _rep is None:
        _FAST_ARRAY[_cp] = _REMOVED
    elif isinstance(_rep, int):
        _FAST_ARRAY[_cp] = _rep
    else:  # pragma: no cover - guards the table construction
        raise AssertionError(f"U+{_cp:04X} maps to several characters")
del _cp, _rep
_FAST_ARRAY.flags.writeable = False
_PAST_FAST_ARRAY_RE = re.compile(f"[^\\x00-\\u{_FAST_LIMIT - 1:04x}]")
# Characters that do not map to exactly one character (removed or expanded).
_NON_UNIT_RE = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp, rep in sorted(_TABLE.items()) if len(rep) != 1) + "]"
)
_SPACES_RE = re.compile(r"[^\S\n\r\u2028\u2029\x0b\x0c\x85]+")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalized string and, for each of its characters, where it came from.

    `offsets[i]` is the index in the original string of the character that produced `text[i]`;
    `offsets[len(text)] == len(original)`. `original` is kept (not compared, not shown) so
    `to_original` can extend a span over the diacritics that decorate its last letter.
    """

    text: str
    offsets: tuple[int, ...]
    original: str = field(default="", repr=False, compare=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span [start, end) to the original span [start, end).

        A span ending on a character ends after that character's source, plus any diacritics
        or tatweel written right after it (they were removed by normalization and belong to
        the letter). An empty span maps to an empty span.
        """
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise ValueError(f"span [{start}, {end}) out of range for normalized length {n}")
        offsets = self.offsets
        if start == end:
            pos = offsets[start]
            return pos, pos
        begin = offsets[start]
        stop = offsets[end - 1] + 1
        original = self.original
        if original:
            limit = offsets[end]
            while stop < limit and original[stop] in _ATTACHED_MARKS:
                stop += 1
        return begin, stop


def normalize_text(text: str) -> str:
    """The normalized string alone (fast path); always equal to `normalize(text).text`."""
    if len(text) >= _ARRAY_MIN_LENGTH and _PAST_FAST_ARRAY_RE.search(text) is None:
        units = _FAST_ARRAY.take(np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16))
        kept = units != _REMOVED
        if not kept.all():
            units = units[kept]
        return units.tobytes().decode("utf-16-le")
    if _NEEDS_FULL_TABLE_RE.search(text) is None:
        return text.translate(_FAST_TABLE)
    return text.translate(_TABLE)


def normalize(text: str) -> Normalized:
    """Normalize `text` for matching and keep the offset map back into it."""
    if _NON_UNIT_RE.search(text) is None:
        return Normalized(normalize_text(text), tuple(range(len(text) + 1)), text)
    if len(text) >= _ARRAY_MIN_LENGTH and _PAST_FAST_ARRAY_RE.search(text) is None:
        # below U+3000 a character maps to one character or is removed: the offsets are the
        # kept characters' indexes (the loop below, at array speed)
        units = _FAST_ARRAY.take(np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16))
        kept = units != _REMOVED
        offsets = np.flatnonzero(kept).tolist()
        offsets.append(len(text))
        return Normalized(units[kept].tobytes().decode("utf-16-le"), tuple(offsets), text)
    table = _TABLE
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for match in _NON_UNIT_RE.finditer(text):
        i = match.start()
        if i > pos:
            pieces.append(normalize_text(text[pos:i]))
            offsets.extend(range(pos, i))
        replacement = table[ord(text[i])]
        if replacement:
            pieces.append(replacement)
            offsets.extend([i] * len(replacement))
        pos = i + 1
    if pos < len(text):
        pieces.append(normalize_text(text[pos:]))
        offsets.extend(range(pos, len(text)))
    offsets.append(len(text))
    return Normalized("".join(pieces), tuple(offsets), text)


def collapse_spaces(text: str) -> str:
    """Collapse runs of horizontal whitespace to one space and strip the ends of each line."""
    return "\n".join(_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))
