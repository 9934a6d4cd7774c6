"""Tokens with exact offsets, conservative proclitic splitting and match keys.

A token never crosses whitespace or punctuation. Kinds:

* ``word``   a maximal run of Arabic letters, diacritics and tatweel (at least one letter)
* ``latin``  a run of non-Arabic letters (Latin, but also Greek, Cyrillic, ...) and the
             Western digits inside it (``G20``, ``mp3``)
* ``number`` Western, Eastern-Arabic or Persian digits, with ``, . ٬ ٫`` allowed *between*
             digits (``3.5``, ``١٢٫٥``, ``1,000``)
* ``punct``  a punctuation character (Unicode category P*); a run of the same character
             (``...``, ``!!``) is one token
* ``symbol`` anything else that is visible (``+``, ``$``, ``﷼``, emoji, a run of tatweel)

Whitespace, zero-width characters, bidi controls and stray diacritics produce no token.

Proclitics are split without a lexicon, so only where it is safe (`split_clitics`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import repeat
from functools import lru_cache
from importlib import resources

from khabar.text.normalize import normalize_text

__all__ = [
    "Token",
    "arabic_letter_share",
    "load_spelling_variants",
    "match_key",
    "match_keys",
    "remembered_match_keys",
    "split_clitics",
    "token_spans",
    "tokenize",
    "word_parts",
]

_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x089F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFE),
)


def _class(codepoints: list[int]) -> str:
    """A regex character class body for a sorted list of code points."""
    parts: list[str] = []
    i = 0
    while i < len(codepoints):
        j = i
        while j + 1 < len(codepoints) and codepoints[j + 1] == codepoints[j] + 1:
            j += 1
        first, last = codepoints[i], codepoints[j]
        if first == last:
            parts.append(re.escape(chr(first)))
        else:
            parts.append(f"{re.escape(chr(first))}-{re.escape(chr(last))}")
        i = j + 1
    return "".join(parts)


def _arabic_classes() -> tuple[list[int], list[int]]:
    letters: list[int] = []
    marks: list[int] = []
    for first, last in _ARABIC_BLOCKS:
        for cp in range(first, last + 1):
            ch = chr(cp)
            cat = unicodedata.category(ch)
            if cat in ("Mn", "Mc", "Me") or cp == 0x0640:
                marks.append(cp)
            elif cat.startswith("L"):
                if normalize_text(ch).strip():
                    letters.append(cp)
                else:  # isolated forms of diacritics (U+FE70...) behave like marks
                    marks.append(cp)
    return letters, marks


_LETTER_CPS, _MARK_CPS = _arabic_classes()
_L = _class(_LETTER_CPS)
_M = _class(_MARK_CPS)
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_ARABIC_ANY = _class(sorted(cp for a, b in _ARABIC_BLOCKS for cp in range(a, b + 1)))

# Letters and marks, with a ZWNJ/ZWJ only between them. Written as runs of one class rather
# than an alternation tried at every letter (`(?:[LM]|[ZW](?=[LM]))*`, the same matches): the
# regex engine scans a run of one class in a tight loop, a third faster over news text.
_WORD = rf"[{_M}]*[{_L}][{_L}{_M}]*(?:[\u200c\u200d][{_L}{_M}]+)*"
_NUMBER = rf"[{_DIGIT}]+(?:[.,\u066b\u066c][{_DIGIT}]+)*"
_FOREIGN_LETTER = rf"(?![{_ARABIC_ANY}])[^\W\d_]"
_LATIN = rf"{_FOREIGN_LETTER}(?:{_FOREIGN_LETTER}|[0-9\u0300-\u036f])*"
# Whitespace, zero-width characters and bidi controls: never part of a token.
_INVISIBLE = r"\s\u200b-\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069"
_TOKEN_RE = re.compile(
    rf"(?P<word>{_WORD})|(?P<number>{_NUMBER})|(?P<latin>{_LATIN})"
    rf"|(?P<other>(?P<ch>[^{_INVISIBLE}])(?P=ch)*)"
)
# The same words, numbers and latin tokens as _TOKEN_RE finds (each position where those three
# fail would be `other` there, and fails again here), without stopping at every space.
_KEY_TOKEN_RE = re.compile(rf"{_WORD}|{_NUMBER}|{_LATIN}")
_ARABIC_LETTERS_RE = re.compile(f"[{_L}]+")
_FOREIGN_LETTERS_RE = re.compile(f"(?:{_FOREIGN_LETTER})+")
# A normalized word made only of Arabic letters (clitic splitting applies to these only).
_ARABIC_WORD_RE = re.compile(f"[{_L}]+")


@dataclass(frozen=True, slots=True)
class Token:
    """One token of the original text: `text == original[start:end]`."""

    text: str
    start: int
    end: int
    kind: str
    norm: str
    prefixes: tuple[str, ...] = ()
    stem: str = ""


# --------------------------------------------------------------------------- clitics

_DET = "ال"
# Proclitic combinations ending in the determiner, longest first: (written form, prefixes).
# ل + ال is written لل (the alef drops), so لل stands for ("ل", "ال").
_DET_COMBOS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    sorted(
        (
            (conj + prep + det_written, tuple(p for p in (conj, prep) if p) + ("ال",))
            for conj in ("", "و", "ف")
            for prep, det_written in (("", "ال"), ("ب", "ال"), ("ك", "ال"), ("ل", "ل"))
        ),
        key=lambda item: -len(item[0]),
    )
)
# What the rest of a word must start with for a bare و/ف to be split off.
# (كال is left out: وكاله/وكالات are words of their own, not و + ك + ال.)
_AFTER_BARE_CONJ = ("ال", "بال", "لل")
MIN_STEM = 3
MIN_REST_AFTER_BARE_CONJ = 4


@lru_cache(maxsize=1 << 16)
def split_clitics(word_norm: str) -> tuple[tuple[str, ...], str]:
    """Split proclitics off an already-normalized Arabic word: ``(prefixes, stem)``.

    Conservative, no lexicon:

    * the determiner ال with an optional conjunction و/ف and an optional preposition ب/ك/ل
      (ل + ال is written لل) is split only if at least 3 letters remain
      (``وبالموصل`` → ``(("و", "ب", "ال"), "موصل")``, but ``الله`` and ``الي`` stay whole);
    * a bare و/ف is split only if at least 4 letters remain and they start with ال, بال or
      لل (``والله`` → ``(("و",), "الله")``), never before other words (``وزير``, ``فرنسا``,
      ``وكالة`` stay whole); prepositions without ال are never split (``بغداد``, ``لبنان``).

    Anything that is not a run of Arabic letters is returned unchanged with no prefixes.
    """
    if len(word_norm) < 5 or _ARABIC_WORD_RE.fullmatch(word_norm) is None:
        return (), word_norm
    for written, prefixes in _DET_COMBOS:
        if word_norm.startswith(written) and len(word_norm) - len(written) >= MIN_STEM:
            return prefixes, word_norm[len(written) :]
    first = word_norm[0]
    if first in ("و", "ف"):
        rest = word_norm[1:]
        if len(rest) >= MIN_REST_AFTER_BARE_CONJ and rest.startswith(_AFTER_BARE_CONJ):
            return (first,), rest
    return (), word_norm


# --------------------------------------------------------------------------- spelling variants

_VARIANTS_FILE = "spelling_variants.tsv"


@lru_cache(maxsize=1)
def load_spelling_variants() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Read ``resources/spelling_variants.tsv`` once: ``(whole_word_rows, prefix_rows)``.

    Both sides are passed through `normalize_text`, so the file may be written with hamzas.
    Prefix rows are returned longest prefix first.
    """
    text = resources.files("khabar.resources").joinpath(_VARIANTS_FILE).read_text(encoding="utf-8")
    return parse_spelling_variants(text)


def parse_spelling_variants(
    text: str,
) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Parse the spelling-variants TSV format (see the file's header)."""
    words: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0].strip() or not fields[1].strip():
            raise ValueError(
                f"{_VARIANTS_FILE}:{lineno}: expected 'variant<TAB>canonical': {raw!r}"
            )
        variant, canonical = (f.strip() for f in fields)
        target = words
        if variant.startswith("prefix:"):
            variant = variant[len("prefix:") :]
            target = prefixes
        variant, canonical = normalize_text(variant), normalize_text(canonical)
        if variant in target:
            raise ValueError(f"{_VARIANTS_FILE}:{lineno}: duplicate variant {variant!r}")
        target[variant] = canonical
    ordered = tuple(sorted(prefixes.items(), key=lambda item: (-len(item[0]), item[0])))
    return words, ordered


def _canonical_spelling(stem: str) -> str:
    words, prefixes = load_spelling_variants()
    canonical = words.get(stem)
    if canonical is not None:
        return canonical
    for variant, replacement in prefixes:
        if stem.startswith(variant):
            return replacement + stem[len(variant) :]
    return stem


# --------------------------------------------------------------------------- match keys


@lru_cache(maxsize=1 << 18)
def _key_from_stem(stem: str) -> str:
    # A stem that still starts with ال (الالتزام → التزام) loses it too, so that the word
    # with and without the article (التزام → تزام) gets the same key.
    if stem.startswith(_DET) and len(stem) - 2 >= MIN_STEM and _ARABIC_WORD_RE.fullmatch(stem):
        stem = stem[2:]
    return _canonical_spelling(stem)


@lru_cache(maxsize=1 << 18)
def match_key(word: str) -> str:
    """The key under which `word` is searched and matched.

    normalize → strip proclitics (`split_clitics`) → canonical spelling (spelling_variants.tsv).
    Latin words come back lowercased and numbers with Western digits.
    """
    norm = normalize_text(word).strip()
    return _key_from_stem(split_clitics(norm)[1])


def whole_word_key(word: str) -> str:
    """`match_key` of a word whose first letters only look like a glued letter and ال (a name:
    فالنسيا, بالتيمور, كاليفورنيا): normalized and spelt canonically, nothing split off."""
    norm = normalize_text(word).strip()
    return _canonical_spelling(norm) if _ARABIC_WORD_RE.fullmatch(norm) else match_key(word)


def match_keys(text: str) -> list[str]:
    """`match_key` of every word, latin and number token of `text`, in order."""
    tokens = _KEY_TOKEN_RE.findall(text)
    # a plain dictionary's `get` mapped over the tokens (a bounded `lru_cache` costs several
    # times as much a hit: its keys ~1% of an ingest's CPU); misses filled in one by one
    keys = list(map(_TOKEN_KEYS.get, tokens))
    if None in keys:
        for i, key in enumerate(keys):
            if key is None:
                keys[i] = _token_key_miss(tokens[i])
    return keys  # type: ignore[return-value]


#: `_token_key` of the tokens seen lately, in two generations: the young one is looked up
#: first; when it holds `_TOKEN_KEYS_GENERATION` tokens it becomes the old one (the previous
#: old one dropped) and a token found only in the old one moves back to the young.
_TOKEN_KEYS_GENERATION = 1 << 17
_TOKEN_KEYS: dict[str, str] = {}
_TOKEN_KEYS_OLD: dict[str, str] = {}


def _token_key_miss(token: str) -> str:
    global _TOKEN_KEYS, _TOKEN_KEYS_OLD
    key = _TOKEN_KEYS_OLD.get(token)
    if key is None:
        key = _token_key(token)
    if len(_TOKEN_KEYS) >= _TOKEN_KEYS_GENERATION:
        _TOKEN_KEYS_OLD, _TOKEN_KEYS = _TOKEN_KEYS, {}
    _TOKEN_KEYS[token] = key
    return key


@lru_cache(maxsize=2048)
def remembered_match_keys(text: str) -> tuple[str, ...]:
    """`match_keys(text)`, remembered for the last texts asked: the store's full-text index and
    the story clusterer both need a new article's title and body keys, in the same batch."""
    return tuple(match_keys(text))


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    return _key_from_stem(word_parts(word)[2])


_ARABIC_START = frozenset(map(chr, _LETTER_CPS + _MARK_CPS))


def _token_key(token: str) -> str:
    # a token `_KEY_TOKEN_RE` found: a word starts with an Arabic letter or mark, a number
    # with a digit and a latin token with a letter of another script
    return _word_key(token) if token[0] in _ARABIC_START else normalize_text(token)


# --------------------------------------------------------------------------- tokenizer

_Match = re.Match


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens with offsets into `text` (see the module docstring)."""
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        tok_text = m.group()
        if kind == "word":
            norm, prefixes, stem = word_parts(tok_text)
            append(Token(tok_text, m.start(), m.end(), "word", norm, prefixes, stem))
            continue
        if kind != "number" and kind != "latin":
            kind = _other_kind(tok_text[0])
            if kind is None:
                continue
        norm = normalize_text(tok_text)
        append(Token(tok_text, m.start(), m.end(), kind, norm, (), norm))
    return tokens


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """`(text, start, end)` of the tokens `tokenize` finds, without their analyses (cheaper
    when only the words and their offsets are needed)."""
    # the tuples are built by `map` and `zip`, at C speed (a Python loop over the matches cost
    # twice as much as the matching); an `other` token of no kind (a stray mark, a control
    # character) is rare, and only a text holding one is filtered
    found = list(_TOKEN_RE.finditer(text))
    spans = list(zip(map(_Match.group, found), map(_Match.start, found), map(_Match.end, found)))
    firsts = list(map(_Match.group, found, repeat("ch")))  # an `other` token's character
    for ch in set(firsts):
        if ch is not None and _other_kind(ch) is None:
            return [span for span, ch in zip(spans, firsts) if ch is None or _other_kind(ch) is not None]
    return spans


@lru_cache(maxsize=1 << 16)
def word_parts(word: str) -> tuple[str, tuple[str, ...], str]:
    """`(normalize_text(word), *split_clitics(that))`: a word token's `norm`, `prefixes` and
    `stem` as `tokenize` gives them (remembered for the last words asked)."""
    norm = normalize_text(word)
    prefixes, stem = split_clitics(norm)
    return norm, prefixes, stem


@lru_cache(maxsize=4096)
def _other_kind(ch: str) -> str | None:
    category = unicodedata.category(ch)
    if category[0] == "P":
        return "punct"
    if category[0] in "MCZ":  # stray marks, controls, separators: nothing to keep
        return None
    return "symbol"


def arabic_letter_share(text: str) -> float:
    """Share of the letters in `text` that are Arabic (0.0 when there are no letters)."""
    arabic = sum(map(len, _ARABIC_LETTERS_RE.findall(text)))
    letters = arabic + sum(map(len, _FOREIGN_LETTERS_RE.findall(text)))
    if not letters:
        return 0.0
    return arabic / letters


def derived_verbal_noun(word: str) -> bool:
    """Whether a normalized word without its article has the shape of a verbal noun of the
    derived forms, singular: تفعيل (تأمين), إفعال (إنتاج), افتعال and انفعال (احتفال,
    انتخاب), استفعال (استيراد). A noun, not a verb's past or an adjective (تفاعل is left out:
    تبادل is a past verb too): what follows a body's name and its adjective is no word of that
    name (البنك المركزي | التأمين)."""
    n = len(word)
    if n < 5 or n > 7 or word[-1] in "ايىةه":
        return False
    if n == 5:
        return (word[0] == "ت" and word[3] == "ي") or (word[0] == "ا" and word[3] == "ا")
    if n == 6:
        return word[0] == "ا" and word[4] == "ا" and (word[1] == "ن" or word[2] == "ت")
    return word.startswith("است") and word[5] == "ا"
