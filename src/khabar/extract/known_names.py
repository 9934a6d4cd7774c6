"""Entities the ANERcorp-trained model leaves untagged, added after it on raw news text.

Only for `find_entities` / the pipeline's `entities` stage (the CoNLL path, `khabar tag`,
keeps ANERcorp's conventions so that conlleval scores stay comparable):

* **Known names** (`resources/ner/known_names.tsv`): places, armed groups, parties and
  international bodies that news of the last decade names all the time and 2000s newswire
  never saw (داعش, البيشمركة, منبج, الحشد الشعبي). A run of words the model left as ``O`` that
  matches an entry, longest entry first, gets the entry's type.
* **Organisations named by what they are** (`resources/ner/org_heads.txt`): ``وزارة الدفاع
  العراقية``, ``قوات الأمن العراقية``, ``الجيش الإسرائيلي``, ``الحكومة السودانية`` — a head word
  (ministry, government, army, forces, police ...), up to two definite words, ending in a
  nationality adjective. ANERcorp leaves these untagged; a reader following a story wants to
  know which army and which ministry. Without a nationality (``الحكومة الحالية``,
  ``قوات حفظ السلام``) nothing is added.
* **Words that are not names alone** (type ``O`` in the list: ``سيول`` floods, which the model
  learnt as Seoul): the model's one-word entity on them is dropped.
* **Outlets named in quotes** (`resources/ner/media_heads.txt`): a name of up to
  `MAX_QUOTED` words in quotes or brackets right after a word such as موقع, صحيفة, قناة,
  وكالة (``لموقع (ارفع صوتك)``, ``صحيفة «الحياة»``) is an organisation, whatever the model
  made of its words (``«أخبار الخليج»`` is no place); so is a name in Latin letters right
  after such a word, quotes or not (``قناة sbc``).
* **Outlets named in a dateline**: after the ``/`` of a dateline, an outlet named by its kind
  up to the dash (``بغداد/شبكة أخبار العراق-``) is an organisation.
* **Lone surnames** (`add_surnames`): the last word of a person named in full elsewhere in the
  document, standing alone, is that person (ANERcorp tags it so too).
* **Currencies are not names** (`drop_currencies`): ANERcorp tags ``دولار``, ``يورو``, ``جنيه``
  as MISC, so the model does; in news they are the units of amounts (the quantities stage reads
  them), and as entities they crowd every list of a corpus's names. A MISC entity that is a
  currency of `resources/extract/units.tsv` and nothing else is dropped.

* **Lists of places joined by و** (`places_joined_by_and`): one-word known places (the
  dateline places of `resources/places.tsv` and the list's one-word places) joined by و are
  places, one by one (`المفرق ومعان والكرك`, which the model read as a person `معان والكرك`).

Matching is on normalized, clitic-stripped keys (`ner.word_key`); a single و/ب/ل/ف/ك glued to
a known one-word name (``وداعش``, ``لداعش``) is stripped too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from itertools import compress, count, repeat

from khabar.extract.ner import (
    FeatureExtractor,
    Gazetteer,
    bio_to_spans,
    load_extractor,
    resource_text,
    word_key,
)
from khabar.text import normalize_text, split_clitics

__all__ = ["add_family_names", "add_known_entities", "add_surnames", "currency_keys", "cited_outlet", "drop_currencies",
           "known_names", "media_heads", "nationality_keys", "not_names", "places_joined_by_and"]

KNOWN_NAMES = "known_names.tsv"
ORG_HEADS = "org_heads.txt"
#: Definite words allowed between an organisation's head and its nationality adjective.
MAX_MIDDLE = 2
MEDIA_HEADS = "media_heads.txt"
#: Longest outlet name read between quotes after a media head word.
MAX_QUOTED = 5
#: How far into a sentence a dateline's ``/`` and outlet may start (بغداد/…, مدينة نصر/…).
DATELINE_WORDS = 4
_DATELINE_END = ("-", "–", "—", ":")
_CLOSING = {"(": ")", "«": "»", '"': '"', "“": "”", "”": "”", "'": "'", "‹": "›", "[": "]"}
_GLUED = "وبلفك"


def _rows(name: str) -> list[list[str]]:
    return [raw.split("\t") for raw in resource_text(name).splitlines()
            if raw.strip() and not raw.startswith("#")]


@lru_cache(maxsize=1)
def known_names() -> Gazetteer:
    """The known-names list as a gazetteer of key tuples → type."""
    gaz = Gazetteer()
    for row in _rows(KNOWN_NAMES):
        if len(row) >= 2 and row[1].strip() in ("LOC", "ORG", "PERS", "MISC", "O"):
            gaz.add(tuple(word_key(w) for w in row[0].split()), row[1].strip())
    return gaz


@lru_cache(maxsize=1)
def _with_article() -> frozenset[str]:
    """One-word names written with ال (الموصل): without it the word is another (موصل, a
    connector), so a match needs the article too."""
    return frozenset(word_key(row[0]) for row in _rows(KNOWN_NAMES)
                     if " " not in row[0].strip() and normalize_text(row[0]).startswith("ال"))


@lru_cache(maxsize=1)
def media_heads() -> frozenset[str]:
    return frozenset(word_key(row[0].strip()) for row in _rows(MEDIA_HEADS))


@lru_cache(maxsize=1)
def _glued_media_heads() -> frozenset[str]:
    return _with_glued_letter(media_heads())


def _with_glued_letter(keys: frozenset[str] | set[str]) -> frozenset[str]:
    """`keys` and each of them with a glued و/ب/ل/ف/ك in front (a set to test a sentence
    against at once)."""
    return frozenset(keys) | {glued + k for glued in _GLUED for k in keys}


_OPENING_CHARS = "".join(_CLOSING)
_SPACES = " \t\u00a0"
#: Before a quoted name after موقع, a physical site rather than a website (قصف موقع «…»).
_SITE_VERBS = frozenset(word_key(w) for w in (
    "قصف", "قصفت", "استهدف", "استهدفت", "اقتحم", "اقتحمت", "هاجم", "هاجمت", "دمر", "دمرت",
    "سيطر", "سيطرت", "استعاد", "استعادت", "زار", "زارت"))
#: After it, the same (موقع «…» العسكري).
_SITE_ADJECTIVES = frozenset(word_key(w) for w in (
    "العسكري", "العسكرية", "الأثري", "الأثرية", "الحدودي", "الحدودية", "النووي", "النووية",
    "الاستراتيجي", "المتقدم"))


def _media_head(word: str) -> bool:
    """Is `word` موقع, صحيفة, قناة ... (a glued و/ب/ل/ف/ك allowed), not written with ال?
    With ال, what follows in quotes is mostly speech or an adjective (المجلة «لن أعود»,
    التلفزيون (الرسمي))."""
    if normalize_text(word).lstrip(_GLUED).startswith("ال"):
        return False
    key = word_key(word)
    heads = media_heads()
    return key in heads or (key[:1] in _GLUED and key[1:] in heads)


def _quoted_outlet_at(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """(start, end) of the outlet name the media head at `i` introduces, or None: a name of
    up to MAX_QUOTED words in quotes or brackets right after it, or in Latin letters (``قناة
    sbc``), or, after the ``/`` of a dateline (the head within DATELINE_WORDS of the sentence
    start), the head and the words up to the dash."""
    n = len(words)
    if not _media_head(words[i]):
        return None
    spans = []
    if 0 < i <= DATELINE_WORDS and words[i - 1] == "/":  # بغداد/شبكة أخبار العراق-
        spans.append((i, _DATELINE_END))
    if i + 1 < n and words[i + 1] in _CLOSING:
        spans.append((i + 2, (_CLOSING[words[i + 1]],)))
    for start, closings in spans:
        end = next((k for k in range(start + 1, min(n, start + 1 + MAX_QUOTED)) if words[k] in closings),
                   None)
        if end is None or not any(any(c.isalpha() for c in w) for w in words[start:end]):
            continue
        if any(not (w.isalnum() or w in "&.'") for w in words[start:end]):
            continue  # punctuation inside: no name
        if start == i + 2 and word_key(words[i]).endswith("موقع") and (
                any(word_key(w) in _SITE_VERBS for w in words[max(0, i - 2):i])
                or (end + 1 < n and word_key(words[end + 1]) in _SITE_ADJECTIVES)):
            continue  # قصف موقع «…», موقع «…» العسكري: a place
        return start, end
    # a name in Latin letters right after the head needs no quotes (قناة sbc)
    end = i + 1
    while end < min(n, i + 1 + MAX_QUOTED) and _latin_word(words[end]):
        end += 1
    return (i + 1, end) if end > i + 1 else None


def _latin_word(word: str) -> bool:
    return word.isascii() and word.isalnum() and any(c.isalpha() for c in word)


@lru_cache(maxsize=1)
def _told_verbs() -> frozenset[str]:
    """Reporting verbs (قال, أوضح, صرح ...; resources/extract/reporting_verbs.tsv) as
    written, alone and with a glued و/ف, normalized."""
    from khabar.extract.quantities import load_table

    forms = [normalize_text(form) for form, _lemma, kind in load_table("reporting_verbs.tsv")
             if kind == "verb"]
    return frozenset(f for form in forms for f in (form, "و" + form, "ف" + form))


# words between a reporting verb and the لـ of the outlet told (وقال مدير المستشفى لـ«…»)
TOLD_REACH = 4


def _told(words_before: Sequence[str]) -> bool:
    verbs = _told_verbs()
    return any(normalize_text(w) in verbs for w in words_before[-TOLD_REACH:])


def _told_outlet_at(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """(start, end) of the outlet a speaker told, `قال … لـ«الاقتصادية»`: a quoted name of up
    to MAX_QUOTED words right after a لـ that follows a reporting verb (the newspaper the words
    were said to, cited as the source; `الرياض` there is the paper, not the city)."""
    n = len(words)
    if words[i] not in ("لـ", "ل") or i + 1 >= n or words[i + 1] not in _CLOSING \
            or not _told(words[max(0, i - TOLD_REACH):i]):
        return None
    start, closing = i + 2, _CLOSING[words[i + 1]]
    end = next((k for k in range(start + 1, min(n, start + 1 + MAX_QUOTED)) if words[k] == closing),
               None)
    if end is None or not all(w.isalnum() or w in "&.'" for w in words[start:end]) \
            or not any(any(c.isalpha() for c in w) for w in words[start:end]) \
            or any(normalize_text(w) in _INSIDE_NO_OUTLET for w in words[start:end]):
        return None
    # what was told follows: إن/أن, a colon or comma, or the sentence ends (تعرض لـ«مضايقات»
    # من …, انضم لـ«قائمة» …: no outlet)
    after = normalize_text(words[end + 1]) if end + 1 < n else ""
    if after and after not in _TOLD_NEXT:
        return None
    return start, end


_INSIDE_NO_OUTLET = frozenset(normalize_text(w) for w in "في على من عن إلى الى مع".split())
_TOLD_NEXT = frozenset(normalize_text(w) for w in "إن أن ان بأن بان : ، , . إنه أنه انه".split())


def cited_outlet(text: str, start: int) -> bool:
    """Is the name starting at `start` in `text` an outlet cited as `_quoted_outlet_at` reads
    one (``لموقع (…)``, ``صحيفة «…»``, ``بغداد/شبكة …-``)? It says where a report comes from,
    not what the report is about, and names no one else in the article."""
    at = start
    while at > 0 and text[at - 1] in _SPACES:
        at -= 1
    if at > 0 and text[at - 1] == "/":
        first = text[start:start + 40].split(maxsplit=1)
        return bool(first) and _media_head(first[0])
    if at == 0 or text[at - 1] not in _OPENING_CHARS:
        return False
    at -= 1
    while at > 0 and text[at - 1] in _SPACES:
        at -= 1
    word_start = at
    while word_start > 0 and not text[word_start - 1].isspace() and text[word_start - 1] not in "/(«\"":
        word_start -= 1
    if word_start >= at:
        return False
    word = text[word_start:at]
    if word in ("لـ", "ل"):  # قال … لـ«…»: the outlet a speaker told
        return _told(text[max(0, word_start - 120):word_start].split())
    return _media_head(word)


def _written_with_article(word: str) -> bool:
    """``المشهد``, ``والمشهد``, ``الله``: the word has ال, a glued letter aside."""
    norm = normalize_text(word)
    return ("ال" in split_clitics(norm)[0] or norm.startswith("ال")
            or (norm[:1] in _GLUED and norm[1:].startswith("ال")))


def _is_number(word: str) -> bool:
    return word.isdigit()  # Western and Eastern Arabic digits alike


@lru_cache(maxsize=1)
def _month_first_keys() -> frozenset[str]:
    """`word_key`s of the first words of the month names, also with a glued letter (a cheap
    test before the real one)."""
    from khabar.extract.dates import _months

    return _with_glued_letter({word_key(name[0]) for name in _months()})


# نيسان الماضي, آذار المقبل: a month, not the carmaker or the party
_MONTH_QUALIFIERS = frozenset(normalize_text(w) for w in "الماضي المقبل القادم الحالي الجاري المنصرم".split())


def _drop_months_in_dates(words: Sequence[str], tags: list[str]) -> None:
    """A month name inside a date is no entity (``١٤ نيسان/أبريل``: the model reads نيسان as the
    carmaker, آذار as a party): a number before it, or a number or ``/`` after it, or شهر
    before it, or the other calendar's name of the month just before it (``أبريل (نيسان)``)."""
    from khabar.extract.dates import _months

    months = _months()
    for s, e, _ in bio_to_spans(tags):
        name = tuple(normalize_text(w) for w in words[s:e])
        if name not in months and (name[0][1:], *name[1:]) not in months:  # a glued و/ب/ل/ف
            continue
        before = words[s - 1] if s else ""
        after = words[e] if e < len(words) else ""
        # the other calendar's name beside it: أبريل (نيسان), أبريل/نيسان
        beside = ((before in ("(", "/") and s >= 2 and (normalize_text(words[s - 2]),) in months)
                  # نيسان (أبريل), أبريل نيسان, نيسان أبريل
                  or (after in ("(", "/") and e + 1 < len(words)
                      and (normalize_text(words[e + 1]),) in months)
                  or (normalize_text(before),) in months or (normalize_text(after),) in months)
        if (_is_number(before) or _is_number(after) or after == "/" or word_key(before) == "شهر"
                or beside or normalize_text(after) in _MONTH_QUALIFIERS):
            tags[s:e] = ["O"] * (e - s)


def _dotted_abbreviations(words: Sequence[str], keys: Sequence[str], tags: list[str],
                          entries: dict[tuple[str, ...], str]) -> None:
    """Tag a known name written as letters with dots (بي.بي.سي, سي.آي.إيه: the tokenizer splits
    it at every dot, and the model tagged its pieces) as that one name."""
    n = len(words)
    # most sentences hold a dot only at their end: look at each piece only where some dot
    # stands between two letter pieces (list.index finds the dots at C speed)
    dot = 0
    while True:
        try:
            dot = words.index(".", dot + 1)
        except ValueError:
            return
        if dot + 1 < n and _letter_piece(words[dot - 1]) and _letter_piece(words[dot + 1]):
            break
    i = 0
    while i < n:
        if not _letter_piece(words[i]):
            i += 1
            continue
        j = i + 1
        while j + 1 < n and words[j] == "." and _letter_piece(words[j + 1]):
            j += 2
        typ = entries.get(tuple(keys[k] for k in range(i, j, 2))) if j - i >= 3 else None
        if typ in ("ORG", "LOC", "MISC", "PERS"):
            tags[i:j] = [f"B-{typ}"] + [f"I-{typ}"] * (j - i - 1)
            if j < n and tags[j].startswith("I-"):
                tags[j] = "B-" + tags[j][2:]
        i = j


def _letter_piece(word: str) -> bool:
    return 1 < len(word) <= 3 and all("\u0621" <= c <= "\u064a" for c in word)


def _quoted_outlets(words: Sequence[str], keys: Sequence[str], tags: list[str]) -> tuple[int, ...]:
    """Tag ORG the outlet names media head words introduce (see the module docstring); returns
    where the names it tagged begin."""
    heads = media_heads()
    told = "لـ" in words or "ل" in words
    if not told and _glued_media_heads().isdisjoint(keys):
        return ()  # most sentences name no outlet
    found: list[int] = []
    for i, key in enumerate(keys):
        if key not in heads and not (key[:1] in _GLUED and key[1:] in heads):
            if told and words[i] in ("لـ", "ل") and (span := _told_outlet_at(words, i)) is not None:
                start, end = span
                if not (tags[start].startswith("I-") or (end < len(tags) and tags[end].startswith("I-"))):
                    tags[start:end] = ["B-ORG"] + ["I-ORG"] * (end - start - 1)
                    found.append(start)
            continue
        span = _quoted_outlet_at(words, i)
        if span is None:
            continue
        start, end = span
        if tags[start].startswith("I-") or (end < len(tags) and tags[end].startswith("I-")):
            continue  # inside a longer entity the model found
        tags[start] = "B-ORG"
        for k in range(start + 1, end):
            tags[k] = "I-ORG"
        found.append(start)
    return tuple(found)


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    return frozenset(word_key(row[0].strip()) for row in _rows(ORG_HEADS))


@lru_cache(maxsize=1)
def organisation_type_keys() -> frozenset[str]:
    """Keys of the words that say what kind of body a name is (``تنظيم``, ``حركة``, ``وكالة``:
    resources/ner/org_types.txt); entity keys fold them (``تنظيم داعش`` = ``داعش``)."""
    return frozenset(word_key(row[0].strip()) for row in _rows("org_types.txt"))


@lru_cache(maxsize=1)
def nationality_keys() -> frozenset[str]:
    """Keys of nationality adjectives (عراقي, عراقيه, امريكي, سوريه ...), derived from the
    one-word place names of the known-names list."""
    out: set[str] = set()
    for phrase, typ in known_names().entries.items():
        if typ != "LOC" or len(phrase) != 1:
            continue
        stem = phrase[0]
        bases = {stem}
        if stem.endswith(("ا", "ه")):
            bases.add(stem[:-1])  # امريكا → امريك, سوريه → سوري
        if stem.endswith(("يه", "يا")):
            bases.add(stem[:-2])  # سعوديه → سعود, تركيا → ترك
        for base in bases:
            if len(base) >= 3:
                out.update((base + "ي", base + "يه"))
    return frozenset(out)


@lru_cache(maxsize=1)
def not_names() -> frozenset[str]:
    """Keys the known-names list marks as no name alone (type O)."""
    return frozenset(k for k, typ in _singles().items() if typ == "O")


@lru_cache(maxsize=1)
def _singles() -> dict[str, str]:
    return {phrase[0]: typ for phrase, typ in known_names().entries.items() if len(phrase) == 1}


@lru_cache(maxsize=1 << 16)
def _single(key: str, word: str) -> str | None:
    """The known-names list's type of the one-word name `word` (whose `word_key` is `key`),
    or of it behind a glued و/ب/ل/ف; None where the list has none or its article disagrees.
    Asked of most words that start with such a letter, the same words in every article:
    remembered (it normalizes the word again when the list has it)."""
    singles = _singles()
    typ = singles.get(key)
    if typ is None and len(key) >= 4 and key[0] in _GLUED and word[:1] in _GLUED:
        word = word[1:]
        key = word_key(word)
        typ = singles.get(key)
    if typ is not None and not _article_agrees(word, key):
        return None
    return typ


def _article_agrees(word: str, key: str) -> bool:
    """Whether `word` has ال exactly when the list writes its one-word name `key` with it:
    الموصل needs its article (موصل is a connector); سورية must not have one (السورية is the
    adjective "Syrian"), nor بوتان (البوتان is butane)."""
    return ("ال" in split_clitics(normalize_text(word))[0]) == (key in _with_article())


def add_known_entities(
    sentences: Sequence[Sequence[str]],
    tags: list[list[str]],
    keys: Sequence[Sequence[str]] | None = None,
) -> list[list[str]]:
    """`tags` with known names and nationality-qualified organisations added where the model
    left every word of them untagged (``O``); existing entities are never changed. `keys`:
    the words' `word_key`s when the caller has them."""
    gaz = known_names()
    heads = _heads()
    nationalities = nationality_keys()
    singles = _singles()
    glued_firsts = _glued_first_keys()
    if keys is None:
        keys = [[word_key(w) for w in words] for words in sentences]
    out: list[list[str]] = []
    for words, sent_keys, sent_tags in zip(sentences, keys, tags):
        st = list(sent_tags)
        n = len(sent_keys)
        outlets = _quoted_outlets(words, sent_keys, st)
        if "." in words:
            _dotted_abbreviations(words, sent_keys, st, gaz.entries)
        # a one-word entity on a word listed as not a name (only a B- tag is changed, and only
        # its own: the positions are read at C speed first)
        for i in list(compress(count(), map(str.startswith, st, repeat("B-")))):
            key = sent_keys[i]
            if i and sent_keys[i - 1] in _COMPANY:
                continue  # شركة فيسبوك: the company, though the platform is no name
            if outlets and i in outlets and _written_with_article(words[i]):
                # صحيفة «المدينة»: the newspaper, though the word alone is no name (a platform
                # in quotes, موقع «تويتر», still goes)
                continue
            if ((singles.get(key) == "O" or (
                    key[:1] in _GLUED and words[i][:1] in _GLUED and singles.get(key[1:]) == "O"))
                    and (i + 1 == n or not st[i + 1].startswith("I-"))
                    # المشهد (the scene) is listed with its article: مشهد (Mashhad) stays
                    and (key not in _with_article() or _written_with_article(words[i]))):
                st[i] = "O"
        if not _month_first_keys().isdisjoint(sent_keys):
            _drop_months_in_dates(words, st)
        glued = glued_firsts.intersection(sent_keys)
        # لمنظمة حظر الأسلحة, وقناة السويس: a known name's first word with a glued letter
        multi = gaz.matches(sent_keys, [k[1:] if k in glued else k for k in sent_keys]
                            if glued else None)
        i = 0
        while i < n:
            if st[i] != "O":
                end = _known_over_fragments(st, sent_keys, multi, i) if st[i].startswith("B-") else 0
                i = end or i + 1
                continue
            key = sent_keys[i]
            span = None
            if key in heads:
                span = _organisation_at(words, sent_keys, st, i, heads, nationalities)
            if span is not None:  # it may take over an adjective the model tagged as a place
                for k in range(i, span[0]):
                    st[k] = "O"
            else:
                m = multi[i]
                if m is not None and m.startswith("B-"):
                    j = i + 1
                    while j < n and multi[j] is not None and multi[j].startswith("I-"):
                        j += 1
                    span = (j, m[2:]) if m[2:] != "O" else None
                    if span is None and i and sent_keys[i - 1] in _COMPANY:
                        span = (j, "ORG")  # أعلنت شركة فيسبوك: the company
                    if span is not None and key == _REGION and j < n and sent_keys[j] == _FROM:
                        span = None  # المنطقة الشرقية من ليبيا: a region of another place
                elif key in singles or (key[:1] in _GLUED and len(key) >= 4):
                    typ = _single(key, words[i])
                    if typ == "O" and i and sent_keys[i - 1] in _COMPANY:
                        typ = "ORG"  # أعلنت شركة فيسبوك
                    if typ is not None and typ != "O":
                        span = (i + 1, typ)
            if span is not None and (all(t == "O" for t in st[i : span[0]])
                                     or _known_over_fragments(st, sent_keys, multi, i)):
                end, typ = span
                st[i] = "B-" + typ
                for k in range(i + 1, end):
                    st[k] = "I-" + typ
                i = end
                continue
            i += 1
        out.append(st)
    return out


@lru_cache(maxsize=1)
def _glued_first_keys() -> frozenset[str]:
    """The first keys of the multi-word known names with a ب/ل/و/ف glued on (لمنظمه, وقناه):
    where a sentence holds one, the name is looked for behind the letter too."""
    return frozenset(c + k for k in known_names().by_first for c in "بلوف" if not k.startswith("ال"))


def _known_over_fragments(tags: list[str], keys: Sequence[str], multi: Sequence[str | None],
                          i: int) -> int:
    """Tag the known multi-word name starting at `i` over the model's fragments of it (``حرام``
    of ``بوكو حرام``): entities of the same type lying inside it, or of another type where none
    begins at the name's first word (``الخليج العربية`` tagged a place inside ``مجلس التعاون
    لدول الخليج العربية``), none of them a listed name (but for a body's listed name behind
    its type word, ``تنظيم [داعش]``: entity keys fold the type word, one entity keeps one key),
    nor a first word the training data tags by itself as a name of that type, so that ``مكة``
    does not become ``مكة المكرمة``: one place would get two names across a corpus (``نيو``
    only begins names, ``نيو ساوث ويلز``). Returns the name's end, 0 when nothing was changed."""
    m = multi[i]
    if m is None or not m.startswith("B-") or m[2:] == "O" or tags[i].startswith("I-"):
        return 0
    typ = m[2:]
    n = len(tags)
    end = i + 1
    while end < n and multi[end] == "I-" + typ:
        end += 1
    if end - i < 2 or (end < n and tags[end].startswith("I-")):
        return 0
    inside = bio_to_spans(tags[i:end])
    if not inside or (any(t[2:] not in ("", typ) for t in tags[i:end] if t != "O")
                      # a fragment of another type inside the name, none at its first word
                      # (the model's place الخليج العربية of مجلس التعاون لدول الخليج
                      # العربية, its body السويس of قناة السويس): the known name's type
                      and any(a == 0 for a, _, _ in inside)):
        return 0
    entries = known_names().entries
    extractor = load_extractor()
    lexicon = extractor.lexicon
    # the names the training data tags by themselves (نيو of نيو ساوث ويلز only begins names)
    alone = next((g for src, g in extractor.gazetteers if src == "t"), None)
    for a, b, _ in inside:
        if entries.get(tuple(keys[i + a : i + b])) not in (None, "O") and not (
                # الولايات المتحدة of الولايات المتحدة الأميركية: the country's own adjective
                # completes its name (both are one entity's names: aliases.tsv)
                a == 0 and len(inside) == 1 and i + b < end
                and all(k in nationality_keys() for k in keys[i + b:end])) and not (
                # داعش of تنظيم داعش: the body's type word completes its name (entity keys
                # fold it: one entity)
                typ == "ORG" and a == 1 and b == end - i and len(inside) == 1
                and keys[i] in organisation_type_keys()):
            return 0
        counts = lexicon.get(keys[i]) if a == 0 and b == 1 else None
        if (counts and 2 * counts.get("B-" + typ, 0) > sum(counts.values())
                and (alone is None or alone.single(keys[i]) == typ)):
            return 0  # a name of this type by itself that the known name would only lengthen
    tags[i] = "B-" + typ
    for k in range(i + 1, end):
        tags[k] = "I-" + typ
    return end


# what goes on with a country's adjective in a body's name: its direction (السفارة الكورية
# الشمالية), or that it is the country's central one (وكالة الأنباء الكورية المركزية; not
# الرسمية, which describes وكالة الأنباء السعودية and is no part of its name)
_DIRECTIONS = frozenset(word_key(w) for w in "الشمالية الجنوبية الشمالي الجنوبي المركزية".split())
_COMPANY = frozenset(word_key(w) for w in "شركة شركات لشركة بشركة وشركة لشركات الشركة".split())
_TECHNICAL = (word_key("الجهاز"), word_key("الفني"))
_REGION, _FROM = word_key("المنطقة"), word_key("من")


def _organisation_at(
    words: Sequence[str],
    keys: Sequence[str],
    tags: Sequence[str],
    i: int,
    heads: frozenset[str],
    nationalities: frozenset[str],
) -> tuple[int, str] | None:
    """(end, "ORG") for head + up to MAX_MIDDLE definite words + nationality adjective(s)."""
    head = keys[i]
    if head not in heads or (head == _TECHNICAL[0] and keys[i + 1:i + 2] == [_TECHNICAL[1]]):
        return None  # مدير الجهاز الفني اليوناني: a club's technical staff and its coach
    # the adjective agrees with the head: وزارة/قوات → ـية, جيش/مجلس → ـي (so that in وزير
    # الخارجية الروسي the adjective, which qualifies the minister, is not taken)
    ending = "يه" if head.endswith(("ه", "ات")) else "ي"
    n = len(keys)
    end = None
    j = i + 1
    middle = 0
    while j < n and middle <= MAX_MIDDLE:
        if not normalize_text(words[j]).startswith("ال"):
            break  # the words of such a name are definite: a bare word or a و/ب starts another
        key = keys[j]
        # the model sometimes tags the adjective alone as a place (السورية → LOC): allow it
        if tags[j] != "O" and not (tags[j] == "B-LOC" and key in nationalities):
            break
        agrees = key.endswith(ending) and (ending == "يه" or not key.endswith("يه"))
        if key in nationalities and agrees:
            end = j + 1
            # السفارة الكورية الشمالية: the country's own adjective goes with it (the model's
            # place on الكورية الشمالية would otherwise leave a place الشمالية behind)
            if j + 1 < n and keys[j + 1] in _DIRECTIONS and tags[j + 1] in ("O", "I-LOC"):
                j += 1
                end = j + 1
        elif end is not None:
            break
        else:
            middle += 1
        j += 1
    if end is not None and head in _PURPOSE_HEADS:
        # الهيئة السعودية للسياحة والتراث الوطني, … للحياة الفطرية: a body's purpose names it
        # (without it three bodies were one الهيئة السعودية)
        j = end
        if (j < n and tags[j] == "O" and normalize_text(words[j]).startswith("لل")
                and keys[j] not in _NOT_A_PURPOSE
                # للتحقيق في, للنظر في: what the body set out to do, not its name
                and not (j + 1 < n and normalize_text(words[j + 1]) in _PREPOSITIONS)):
            j += 1
            while j < n and j - end < 4 and tags[j] == "O" and _purpose_word(normalize_text(words[j])):
                j += 1
            end = j
    return (end, "ORG") if end is not None else None


def _purpose_word(norm: str) -> bool:
    """A word that goes on with a body's purpose: و + a definite noun (والتراث), or a definite
    adjective (الوطني, الصحية, المتجددة, العامة); not the verb's object after it (الخريجين),
    الذي or إلى, or a day (الجمعة)."""
    if norm.startswith("وال"):
        return True
    return (norm.startswith("ال") and norm.endswith(("ي", "ه"))
            and norm not in ("الذي", "التي", "الي", "الجمعه"))


_PURPOSE_HEADS = frozenset(word_key(w) for w in "هيئة مجلس وكالة جهاز".split())
# ل + the people told (قالت الهيئة السعودية للصحفيين) or a time (للمرة الأولى, لليوم الثاني):
# no purpose of the body's
_NOT_A_PURPOSE = frozenset(word_key(w) for w in (
    "للصحفيين للصحافيين للصحافة للمراسلين للمواطنين للجميع"
    " للمرة لليوم للعام للسنة للأسبوع للاسبوع للشهر للمرات").split())
# للتحقيق في, للحصول على: what the body set out to do (للأنباء عن: a source, not its purpose)
_PREPOSITIONS = frozenset(normalize_text(w) for w in "في على بشأن حول".split())


# `مطار الملك عبدالعزيز الدولي`, `جامعة الملك سعود`: a place or body named after a king or prince
# is that place or body, not the person (whose given name the model tags alone).
_NAMED_AFTER_HEADS = {
    **{word_key(w): "LOC" for w in "مطار شارع طريق ميناء قاعدة جسر ملعب استاد قصر حي مدينة".split()},
    **{word_key(w): "ORG" for w in ("جامعة مستشفى مركز مجمع برنامج مؤسسة كلية معهد صندوق جائزة مكتبة"
                                    " دارة مشروع مستشفيات مدارس كرسي").split()},
}
_NAMED_AFTER_TITLES = frozenset(word_key(w) for w in "الملك الأمير الشيخ الإمام السلطان".split())
# words that go on with the place's or body's name after the person's
_NAMED_AFTER_TAIL = frozenset(word_key(w) for w in (
    "الدولي الدولية التخصصي التخصصية الجامعي الجامعية الطبي الطبية العسكري العسكرية الاقتصادية"
    " الصناعية الوطني الوطنية العالمي العالمية الخيري الخيرية الإسلامية للعلوم والتقنية للأبحاث"
    " الثقافي الثقافية الرياضي الرياضية المركزي المركزية"
    " للدراسات والبحوث للإغاثة والأعمال الإنسانية للثقافة العالمي").split())


def _tag_span(tags: list[str], start: int, end: int, label: str) -> None:
    """Tag words start..end-1 as one `label` name in place; a name running on after it (its
    words tagged I-) begins anew at `end`."""
    tags[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
    if end < len(tags) and tags[end].startswith("I-"):
        tags[end] = "B-" + tags[end][2:]


def name_institutions(words: Sequence[Sequence[str]], keys: Sequence[Sequence[str]],
                      tags: list[list[str]]) -> list[list[str]]:
    """Tag `HEAD TITLE Name [tail]` (مطار الملك عبدالعزيز الدولي) as one place or organisation
    where the model tagged the person's name (or part of it) inside."""
    out = []
    for sent_words, sent_keys, sent_tags in zip(words, keys, tags):
        if _NAMED_AFTER_TITLES.isdisjoint(sent_keys):  # most sentences: no title, no such name
            out.append(sent_tags)
            continue
        n = len(sent_keys)
        found = []
        for i in range(n - 2):
            head = sent_keys[i]
            label = _NAMED_AFTER_HEADS.get(head) or (
                _NAMED_AFTER_HEADS.get(head[1:]) if head[:1] in _GLUED else None)
            if (label is None or sent_keys[i + 1] not in _NAMED_AFTER_TITLES
                    # the title as written, with its article: الطريق أمام حزب الله is no imam's road
                    or not normalize_text(sent_words[i + 1]).startswith("ال")):
                continue
            j = i + 2
            # the model saw a name there, a person's or one it typed a body (مركز الملك [فهد]),
            # or a one-word name is followed by a word of such names' ends (مركز الملك فهد
            # الثقافي)
            if not (sent_tags[j] != "O" or sent_tags[i + 1] != "O" or sent_tags[i] != "O"
                    or (j + 1 < n and sent_keys[j + 1] in _NAMED_AFTER_TAIL
                        and sent_words[j][:1].isalpha())):
                continue  # nobody's name the model saw: leave it
            while j < n and j < i + 6 and (sent_tags[j].endswith("PERS") or sent_keys[j] in ("بن", "ابن", "ال")
                                           or (j == i + 2 and sent_words[j][:1].isalpha())):
                j += 1
            tail = j
            while j < n and (sent_keys[j] in _NAMED_AFTER_TAIL or (
                    # the model ran its own span on past the name (مستشفى الملك فهد المركزي)
                    sent_tags[j].startswith("I-") and sent_tags[j - 1] != "O"
                    and not sent_tags[j].endswith("PERS"))):
                j += 1
            if label == "LOC" and any(w.startswith("لل") for w in sent_words[tail:j]):
                label = "ORG"  # مدينة الملك عبدالعزيز للعلوم والتقنية: a research body
            if j > i + 2:
                found.append((i, j, label))
        if found:
            sent_tags = list(sent_tags)
            for i, j, label in found:
                _tag_span(sent_tags, i, j, label)
        out.append(sent_tags)
    return out


# `شركة الواحة للاتصالات`, `مجموعة النخيل القابضة`: a company named after its head word, its
# name ended by what it does (ل + a trade) or by القابضة/العقارية. The head stays out of the
# name (the model tags `أرامكو السعودية` after `شركة` the same way).
_COMPANY_HEADS = frozenset(word_key(w) for w in "شركة مجموعة".split())
_COMPANY_ENDS = frozenset(normalize_text(w) for w in (
    "القابضة العقارية للاتصالات للطيران للتأمين للاستثمار للاستثمارات للتطوير للصناعات للبترول"
    " للنفط للإسمنت للأسمنت للمقاولات للتجارة للأغذية للطاقة للسيارات للبتروكيماويات"
    " للتعدين للإعلام للنشر للسياحة للعقارات للحديد للصلب للأدوية للشحن للملاحة للتكنولوجيا"
    " للتقنية للإنشاءات للتعمير للتمويل للصرافة للأسمدة للغاز للألبان للدواجن للفنادق"
    ).split())
_COMPANY_END_KEYS = frozenset(map(word_key, _COMPANY_ENDS))  # to pass over sentences quickly
_COMPANY_MIDDLE_MAX = 3
# words that end a name rather than carry it: prepositions, relatives, demonstratives
_NOT_IN_A_COMPANY_NAME = frozenset(normalize_text(w) for w in (
    "في من على إلى الى عن مع التي الذي اللتين هذه هذا تلك ذلك"
    " التابعة المملوكة المتخصصة الرائدة العاملة الكبرى الحكومية الخاصة الوطنية الجديدة"
    " تابعة مملوكة متخصصة رائدة عاملة كبرى حكومية خاصة وطنية جديدة ناشئة صغيرة كبيرة"
    " عالمية محلية أجنبية عربية خليجية دولية عملاقة منتجة مصنعة مشغلة"
    " أوروبية آسيوية أفريقية إفريقية أمريكية أميركية"
    " تأمين طيران اتصالات استثمار مقاولات تطوير صناعات").split())


def _trade_adjective(norm: str) -> bool:
    """A definite adjective (العقاري, الثقيلة, الأساسية), not a nationality's or a day's."""
    return (norm.startswith("ال") and norm.endswith(("ي", "يه", "ه")) and len(norm) > 4
            and word_key(norm) not in nationality_keys() and norm not in ("الذي", "التي", "الجمعه"))


def name_companies(words: Sequence[Sequence[str]], keys: Sequence[Sequence[str]],
                   tags: list[list[str]]) -> list[list[str]]:
    """Tag `شركة|مجموعة Name... ENDING` (ENDING a trade after ل, or القابضة/العقارية) as one
    organisation, the name and its ending (`شركة مصر للطيران`: the airline, not the country;
    `آسيا للاستثمار`, not the continent). One to three name words (two where the model saw
    no name among them); the first no describing
    word (`شركة صينية للتطوير`, `شركة تابعة للتأمين`: a kind of company, no name), none a
    preposition or a relative; after a name the model found inside, at most one more word
    (`دايملر الألمانية للسيارات`, not `إيني حققت كشفا للغاز`). A longer organisation the model
    tagged from the same word keeps its length (`هيونداي الكورية للصناعات الثقيلة`)."""
    nationalities = nationality_keys()
    out = []
    for sent_words, sent_keys, sent_tags in zip(words, keys, tags):
        if _COMPANY_END_KEYS.isdisjoint(sent_keys):  # most sentences: no company's ending
            out.append(sent_tags)
            continue
        n = len(sent_keys)
        found = []
        for i in range(n - 2):
            head = sent_keys[i]
            if head not in _COMPANY_HEADS and not (
                    head[:1] in "وبل" and head[1:] in _COMPANY_HEADS):
                continue
            if normalize_text(sent_words[i]).lstrip("وبل").startswith("ال"):
                continue  # الشركة, المجموعة: a company named before, not named here
            first = normalize_text(sent_words[i + 1])
            if not first.startswith("ال") and sent_keys[i + 1] in nationalities:
                continue  # شركة صينية, شركة سعودية: what kind of company, not its name
            j = i + 1
            last_named = None  # the last name word the model tagged
            while j < n and j - i - 1 < _COMPANY_MIDDLE_MAX:
                norm = normalize_text(sent_words[j])
                if (norm in _COMPANY_ENDS or norm in _NOT_IN_A_COMPANY_NAME
                        or norm.startswith("و") or not sent_words[j][:1].isalpha()):
                    break
                if sent_tags[j] != "O":
                    last_named = j
                j += 1
            if j == i + 1 or j >= n or normalize_text(sent_words[j]) not in _COMPANY_ENDS:
                continue
            if last_named is not None and j - last_named - 1 > 1:
                continue  # the model's name, then words of a sentence: حققت كشفا للغاز
            if last_named is None and j - i - 1 > 2:
                continue  # three words the model saw no name in: a sentence's, most likely
            end = j + 1
            if end < n and sent_tags[end] in ("O", "I-ORG", "I-PERS", "I-LOC") \
                    and _trade_adjective(normalize_text(sent_words[end])):
                end += 1  # للتطوير العقاري, للصناعات الثقيلة: the trade's own adjective
            while end < n and sent_tags[end] == "I-ORG":
                end += 1  # the model's organisation goes on past the ending
            found.append((i, i + 1, end))
        if found:
            sent_tags = list(sent_tags)
            for h, s, e in found:
                if sent_tags[h] != "O" and (h + 1 >= n or sent_tags[h + 1].startswith("I-")):
                    sent_tags[h] = "O"  # the head word is no part of the name
                _tag_span(sent_tags, s, e, "ORG")
        out.append(sent_tags)
    return out


# a place named in the dual with another: قريتي نبل والزهراء, بلدتي الفوعة وكفريا
_DUAL_PLACE_HEADS = frozenset(normalize_text(w) for w in (
    "قريتي بلدتي مدينتي محافظتي ولايتي منطقتي مخيمي ناحيتي جزيرتي إمارتي").split())
# the first word of a two-word place name (كفر نبل, دير الزور, تل أبيض, معرة النعمان)
_PLACE_FIRST_WORDS = frozenset(normalize_text(w) for w in (
    "كفر دير تل عين بيت جسر معرة خان رأس أم أبو بني سيدي بئر جبل عرب قصر حي سوق باب لوس سان سانت نيو"
    " الشيخ").split())
_POSSESSIVE_ENDINGS = ("ها", "هم", "هما", "هن", "كم", "نا")


def _dual_place_name(words: Sequence[str], keys: Sequence[str], i: int, joined: bool) -> int | None:
    """The end of a place name of one word (two after كفر, دير, تل ...) at word i, which must
    start with و when `joined`; None for a word that is no name: a function word, one the
    known-names list marks as none, one mostly untagged in the training data (الصغيرة,
    القديمة: my old village), one with a possessive ending (وأهلها)."""
    if i >= len(words) or not words[i][:1].isalpha():
        return None
    norm = normalize_text(words[i])
    if joined:
        if not norm.startswith("و") or len(norm) < 3:
            return None
        norm = norm[1:]
    if (norm in _INSIDE_NO_OUTLET or norm.endswith(_POSSESSIVE_ENDINGS) or keys[i] in not_names()
            or len(norm) < 3):
        return None
    if norm in _PLACE_FIRST_WORDS and i + 1 < len(words) and words[i + 1][:1].isalpha():
        return i + 2
    counts = load_extractor().lexicon.get(keys[i])
    if counts and sum(counts.values()) >= 3 and 4 * counts.get("O", 0) >= 3 * sum(counts.values()):
        return None
    return i + 1


@lru_cache(maxsize=1 << 17)
def _is_dual_place_head(word: str) -> bool:
    """`word` is a dual place word (`مدينتي`), alone or behind و/ب/ل/ف. Asked of every word of
    every sentence, so remembered per word (three normalizations a word cost 2% of an ingest)."""
    norm = normalize_text(word)
    return norm in _DUAL_PLACE_HEADS or norm[:1] in "وبلف" and norm[1:] in _DUAL_PLACE_HEADS


@lru_cache(maxsize=1)
def _dual_head_keys() -> frozenset[str]:
    """The `word_key`s a dual place word can have: every form `_is_dual_place_head` takes
    (the head, or و/ب/ل/ف and the head), its clitics split as `word_key` splits them."""
    forms = _DUAL_PLACE_HEADS | {c + h for h in _DUAL_PLACE_HEADS for c in "وبلف"}
    return frozenset(split_clitics(form)[1] for form in forms)


def places_after_dual_heads(words: Sequence[Sequence[str]], keys: Sequence[Sequence[str]],
                            tags: list[list[str]]) -> list[list[str]]:
    """`tags` with both names after a dual place word tagged as places: `قريتي نبل والزهراء`
    (the villages of Nubl and Zahraa; the model read والزهراء as a woman), `بلدتي الفوعة
    وكفريا`, `مدينتي حمص وحماة`. Only two names joined by و right after the head: `مدينتي
    الجميلة وأهلها` ("my beautiful city") is no pair of places. `keys`: the words' `word_key`s."""
    out = []
    head_keys = _dual_head_keys()
    for sent_words, sent_keys, sent_tags in zip(words, keys, tags):
        if head_keys.isdisjoint(sent_keys):
            # no key of a head (a set operation, at C speed): no word here is one, since a
            # head's normalized form has no space and its `word_key` is that form split
            out.append(sent_tags)
            continue
        heads = list(compress(count(), map(_is_dual_place_head, sent_words)))
        found = []
        for h in heads:
            first_end = _dual_place_name(sent_words, sent_keys, h + 1, joined=False)
            if first_end is None:
                continue
            second_end = _dual_place_name(sent_words, sent_keys, first_end, joined=True)
            if second_end is None:
                continue
            found.append((h + 1, first_end, second_end))
        if found:
            sent_tags = list(sent_tags)
            for start, middle, end in found:
                if sent_tags[start - 1] != "O":
                    sent_tags[start - 1] = "O"  # the head is no part of the names
                # a longer name the model found from the same word keeps its length (صلاح الدين)
                while end < len(sent_tags) and sent_tags[end].startswith("I-") and sent_tags[middle] != "O":
                    end += 1
                _tag_span(sent_tags, start, middle, "LOC")
                _tag_span(sent_tags, middle, end, "LOC")
        out.append(sent_tags)
    return out


@lru_cache(maxsize=1)
def _one_word_places() -> frozenset[str]:
    """Keys of one-word places: the dateline places (`resources/places.tsv`) and the one-word
    places of the known-names list."""
    out = {phrase[0] for phrase, typ in known_names().entries.items() if len(phrase) == 1 and typ == "LOC"}
    text = (resources.files("khabar.resources") / "places.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        name = line.split("\t")[0].strip()
        if name and not line.startswith("#") and " " not in name:
            out.add(word_key(name))
    return frozenset(out - not_names())


@lru_cache(maxsize=1 << 14)
def _place_word(word: str, joined: bool) -> bool:
    """Whether `word` (behind a glued و when `joined`) is a one-word known place, and not a word
    mostly untagged in the training data (العين the eye, العمارة the building, صور pictures)."""
    if joined:
        if len(word) < 4 or word[0] != "و":
            return False
        word = word[1:]
    key = word_key(word)
    if key not in _one_word_places():
        return False
    counts = load_extractor().lexicon.get(key)
    return not (counts and sum(counts.values()) >= 3 and 4 * counts.get("O", 0) >= 3 * sum(counts.values()))


#: The fewest places in a list joined by و that are read as places though the model tagged
#: none of their words (معان is also "meanings", the model's O on it alone is kept).
LIST_OF_PLACES = 3


def places_joined_by_and(words: Sequence[Sequence[str]], tags: list[list[str]]) -> list[list[str]]:
    """`tags` with a list of known places joined by و tagged as places, one by one: `زار
    الوزير المفرق ومعان والكرك` (the model read `معان والكرك` as a person). A list of two or
    more places where the model tagged some word and every name it found lies inside the list,
    or of `LIST_OF_PLACES` or more; a name running on past the list (`عمان وسامي العلي`) keeps
    the model's tags."""
    out = []
    for sent_words, sent_tags in zip(words, tags):
        i = 0
        n = len(sent_words)
        while i < n:
            if not _place_word(sent_words[i], joined=False):
                i += 1
                continue
            end = i + 1
            while end < n and _place_word(sent_words[end], joined=True):
                end += 1
            start = i
            i = end
            if end - start < 2:
                continue
            inside = sent_tags[start:end]
            tagged = any(t != "O" for t in inside)
            if inside[0].startswith("I-") or (end < n and sent_tags[end].startswith("I-")):
                continue  # a name from before or after the list runs over it
            if not tagged and end - start < LIST_OF_PLACES:
                continue
            if all(t.endswith("-LOC") for t in inside) and all(t.startswith("B-") for t in inside):
                continue
            sent_tags = list(sent_tags)
            for k in range(start, end):
                sent_tags[k] = "B-LOC"
        out.append(sent_tags)
    return out


# words that stand before بنت without being a woman's given name (عن بنت الوزير, لكن ابنته)
_NOT_GIVEN_BEFORE_BINT = frozenset(normalize_text(w) for w in (
    "من عن إلى الى على في مع أو او ثم لكن بل إن أن ان قد لقد هي هو كل بعد قبل عند لدى"
    " سمو صاحبة السمو الملكي زوجة والدة ابنة شقيقة").split())


def given_names_before_bint(words: Sequence[Sequence[str]], tags: list[list[str]]) -> list[list[str]]:
    """`tags` with the word before `بنت` joined to a person's name the model began at `بنت`
    (`حصة [بنت سلمان]`, `نورة [بنت عبدالله]`): a woman is named by her given name and her
    father's, and the given name may be a common word (حصة, a share) the model passed over.
    Not a definite word (a title: `الأميرة`), a preposition, a kinship word or a verb before
    it."""
    out = []
    for sent_words, sent_tags in zip(words, tags):
        if "بنت" not in sent_words:
            out.append(sent_tags)
            continue
        sent_tags = list(sent_tags)
        for i in range(1, len(sent_words)):
            if sent_words[i] != "بنت" or sent_tags[i] != "B-PERS" or sent_tags[i - 1] != "O":
                continue
            before = sent_words[i - 1]
            norm = normalize_text(before)
            # a verb (تتحدث, وتشاركها) is none either: a glued و, or تت/يت of a form-V verb
            if (len(norm) < 3 or not before.isalpha() or norm.startswith(("ال", "و", "تت", "يت"))
                    or norm in _NOT_GIVEN_BEFORE_BINT):
                continue
            sent_tags[i - 1], sent_tags[i] = "B-PERS", "I-PERS"
        out.append(sent_tags)
    return out


@lru_cache(maxsize=1)
def _clubs() -> Gazetteer | None:
    from khabar.extract.ner import load_extractor

    return dict(load_extractor().gazetteers).get("w")


def known_place_or_body(words: Sequence[str], glued: bool = True, clubs: bool = True
                        ) -> str | None:
    """"LOC" or "ORG" when `words` are a known place or body, maybe (`glued`) with a glued
    و/ب/ل/ف/ك on the first word (لبي بي سي): a name of the known-names list (one word written
    with ال where the list writes it so, and without where it does not: البوتان is no بوتان), or
    a sports club of two words or more (ليستر سيتي; ArWikiCats, the `w` gazetteer)."""
    if not words:
        return None
    entries = known_names().entries
    club_names = _clubs() if clubs else None
    keys = tuple(word_key(w) for w in words)
    forms = [(keys, words[0])]
    if glued and len(words[0]) >= 3 and words[0][0] in _GLUED:
        first = words[0][1:]  # the word's letters after the glued one, keyed anew (للسباحة: no باحة)
        forms.append(((word_key(first), *keys[1:]), first))
    for form, first in forms:
        known = entries.get(form)
        if known in ("LOC", "ORG"):
            if len(form) == 1 and not _article_agrees(first, form[0]):
                continue
            return known
        if len(form) >= 2 and club_names is not None and club_names.entries.get(form) == "ORG":
            return "ORG"
    return None


def retype_known_names(sentences: Sequence[Sequence[str]], keys: Sequence[Sequence[str]],
                       tags: list[list[str]]) -> list[list[str]]:
    """`tags` with an entity the model typed as a person or MISC retyped where it is exactly a
    known place or organisation (تبوك tagged MISC, بيونغ يانغ a person, البيت الأبيض MISC, ليستر
    سيتي or لبي بي سي a person)."""
    entries = known_names().entries
    out: list[list[str]] = []
    for words, sent_keys, sent_tags in zip(sentences, keys, tags):
        st = sent_tags
        for s, e, typ in bio_to_spans(sent_tags):
            phrase = tuple(sent_keys[s:e])
            if e - s > 1 and (s == 0 or sent_keys[s - 1] not in _COMPANY) and (
                    entries.get(phrase) == "O" or (
                        len(words[s]) >= 4 and words[s][0] in _GLUED
                        and entries.get((word_key(words[s][1:]), *phrase[1:])) == "O")):
                if st is sent_tags:
                    st = list(sent_tags)
                st[s:e] = ["O"] * (e - s)  # فيس بوك tagged a person: listed as no name
                continue
            if typ not in ("MISC", "PERS"):
                continue
            # the clubs' list holds a few events too (بطولة كأس العالم): a MISC stays one
            known = known_place_or_body(words[s:e], clubs=typ == "PERS")
            if known in ("LOC", "ORG"):
                if st is sent_tags:
                    st = list(sent_tags)
                st[s:e] = [f"B-{known}"] + [f"I-{known}"] * (e - s - 1)
        out.append(st)
    return out


def join_known_fragments(sentences: Sequence[Sequence[str]], tags: list[list[str]]) -> list[list[str]]:
    """`tags` with two entities side by side that together are one known place or body (a
    name of the known-names list, or a club of the ArWikiCats list) made that one entity: the
    model's ``[أتلتيكو] [مدريد]``, ``[الجمعية العامة] [للأمم المتحدة]``, ``[شبه جزيرة]
    [القرم]`` are ``أتلتيكو مدريد``, ``الجمعية العامة للأمم المتحدة``, ``شبه جزيرة القرم``."""
    out: list[list[str]] = []
    for words, sent_tags in zip(sentences, tags):
        st = sent_tags
        spans = bio_to_spans(sent_tags) if sent_tags.count("O") < len(sent_tags) - 1 else []
        for (s1, e1, _), (s2, e2, _) in zip(spans, spans[1:]):
            if e1 != s2 or (st is not sent_tags and st[s1][:2] != "B-"):
                continue
            known = known_place_or_body(words[s1:e2])
            if known is None:
                continue
            if st is sent_tags:
                st = list(sent_tags)
            typ = "ORG" if known == "ORG" else "LOC"
            st[s1:e2] = ["B-" + typ] + ["I-" + typ] * (e2 - s1 - 1)
        out.append(st)
    return out


def join_split_names(keys: Sequence[Sequence[str]], tags: list[list[str]],
                     extractor: FeatureExtractor | None = None,
                     sentences: Sequence[Sequence[str]] | None = None) -> list[list[str]]:
    """`tags` with a person's name that the model cut short (`الرئيس [دونالد] ترامب`) run on
    over the next, untagged word when that word is a person's name elsewhere in the document
    (`ترامب` tagged alone or as the end of a name). A word the training data mostly saw as an
    ordinary word, or a title, is not taken. With the `sentences`' words, a given name alone
    followed by a name the document pass tagged on its own (`[دونالد] [ترامب]`) is one name."""
    if extractor is None:
        extractor = load_extractor()
    names: set[str] = set()
    for sent_keys, sent_tags in zip(keys, tags):
        for s, e, typ in bio_to_spans(sent_tags):
            if typ in ("PERS", "PER"):
                names.add(sent_keys[e - 1])
    if not names:
        return tags
    out: list[list[str]] = []
    given_names = None
    for k, (sent_keys, sent_tags) in enumerate(zip(keys, tags)):
        st = sent_tags
        for s, e, typ in bio_to_spans(sent_tags):
            if typ not in ("PERS", "PER") or e >= len(st):
                continue
            if st[e] == "B-" + typ and sentences is not None:
                # الرئيس [دونالد] [ترامب]: a given name alone, then a name of the same type
                # that begins right after it (the document pass tagged the surname on its own):
                # one name; not a family name (السيسي موسى مصطفى: two candidates), nor before
                # a و (دانيال ودفينا ديكسون: two people)
                key = sent_keys[s]
                if (e - s == 1 and not normalize_text(sentences[k][s]).startswith("ال")
                        and sentences[k][e][:1] != "و"):
                    if given_names is None:
                        given_names = next((g for src, g in extractor.gazetteers if src == "n"), Gazetteer())
                    if _given_name(key, given_names, extractor):
                        if st is sent_tags:
                            st = list(sent_tags)
                        st[e] = "I-" + typ
                continue
            if st[e] != "O":
                continue
            key = sent_keys[e]
            if key not in names or key == sent_keys[e - 1] or len(key) < 3 or key in extractor.triggers:
                continue
            counts = extractor.lexicon.get(key) or {}
            plain = counts.get("O", 0)
            if plain > sum(counts.values()) - plain:
                continue
            if st is sent_tags:
                st = list(sent_tags)
            st[e] = "I-" + typ
        out.append(st)
    return out


# epithets, titles and the adjectives of a party or a creed after a name (توني بلير العمالي)
_NOT_FAMILY = frozenset(word_key(w) for w in (
    "المرشد الشهم الراحل الفقيد الأمين الزعيم المزعوم العمالي الجمهوري الديمقراطي المحافظ"
    " الليبرالي الاشتراكي الشيوعي الإصلاحي الإسلامي المعارض المستقل اليساري اليميني").split())


def _participle(norm: str) -> bool:
    """Shaped like a participle with the article: المتحدث, المستشار, المنتمي (form VIII). Not
    مفعول: family names take that shape too (المرعول, المزروع)."""
    rest = norm[2:]
    return rest.startswith(("مت", "مست")) or (len(rest) >= 5 and rest[0] == "م" and rest[2] == "ت")


def _given_name(key: str, names: Gazetteer, extractor: FeatureExtractor) -> bool:
    """A given name: one the name list gives as such (or as a rare surname: إبراهيم), or, for
    those it leaves out as too common (محمد, أحمد, ناصر), one the training data mostly tags as
    the first word of a person's name. A family name (خاشقجي, مرسي) is none."""
    typ = names.single(key)
    if typ is not None:
        return typ != "PSUR"
    counts = extractor.lexicon.get(key) or {}
    return counts.get("B-PERS", 0) * 2 > sum(counts.values())


def add_family_names(sentences: Sequence[Sequence[str]], keys: Sequence[Sequence[str]],
                     tags: list[list[str]], extractor: FeatureExtractor | None = None
                     ) -> list[list[str]]:
    """`tags` with a person's name that the model ended at a given name (عدنان [المعيبد],
    عبدالرحمن [المحنّا]) run on over the family name after it: an untagged word with the article
    that the name list knows as a surname (الخليفي) or that the training data never saw, and that
    is shaped like no adjective, participle or plural agreeing with the name (هادي المدعوم,
    الموظفة, المتواجدان). ANERcorp's names are mostly foreign; Saudi and Gulf news name people
    by such family names, which the model had rarely seen after a given name."""
    if extractor is None:
        extractor = load_extractor()
    names = next((gaz for src, gaz in extractor.gazetteers if src == "n"), None)
    if names is None:
        return tags
    nationalities = nationality_keys()
    out: list[list[str]] = []
    for words, sent_keys, sent_tags in zip(sentences, keys, tags):
        st = sent_tags
        for s, e, typ in bio_to_spans(sent_tags):
            if typ not in ("PERS", "PER") or e >= len(st) or st[e] != "O":
                continue
            word, last = words[e], normalize_text(words[e - 1])
            father = e - 2 >= s and normalize_text(words[e - 2]) in ("بن", "ابن")
            if last.startswith("ال") or not (father or _given_name(sent_keys[e - 1], names, extractor)):
                continue  # (a father's name after بن is a given name too: محمد بن عبدالله المرعول)
            norm = normalize_text(word)
            key = sent_keys[e]
            if (not word.startswith("ال") or len(norm) < 5 or _participle(norm)
                    or norm.endswith(("ه", "ات", "ين", "ون", "ان")) or key in extractor.triggers
                    or key in nationalities or norm in nationalities or key in _NOT_FAMILY):
                continue
            listed = (names.single(key) or "").startswith("PSUR")
            if not listed and key in extractor.lexicon:
                continue
            if e + 1 < len(words) and normalize_text(words[e + 1]) == "من":
                continue  # هادي المدعوم من التحالف: a participle and its agent
            if st is sent_tags:
                st = list(sent_tags)
            st[e] = "I-" + typ
        out.append(st)
    return out


def _full_name_surnames(keys: Sequence[Sequence[str]], tags: list[list[str]],
                        extractor: FeatureExtractor, not_names: frozenset[str] = frozenset(),
                        given: Callable[[tuple[str, ...]], bool] | None = None) -> set[str]:
    """The last words of the people named in full (two words or more) in a document, less
    those the training data mostly saw as ordinary words, titles and `not_names`; with
    `given`, only of the names (their keys) it takes for people's."""
    surnames: set[str] = set()
    for sent_keys, sent_tags in zip(keys, tags):
        for s, e, typ in bio_to_spans(sent_tags):
            if typ not in ("PERS", "PER") or e - s < 2:
                continue
            if given is not None and not given(tuple(sent_keys[s:e])):
                continue
            key = sent_keys[e - 1]
            counts = extractor.lexicon.get(key) or {}
            plain = counts.get("O", 0)
            if (len(key) < 3 or key in extractor.triggers or key in not_names
                    or plain > sum(counts.values()) - plain):
                continue
            surnames.add(key)
    return surnames


def surnames_read_as_places(sentences: Sequence[Sequence[str]], keys: Sequence[Sequence[str]],
                            tags: list[list[str]]) -> list[list[str]]:
    """`tags` where a one-word place or body that is the surname of a person named in full in
    the same document is that person (`ديفيد كاميرون` … `وقال كاميرون`: TRAIN tags `كاميرون`
    twice, as Cameroon, so the model reads it as a place, and an entity key folds the
    article, so it was the country `الكاميرون`), unless the word is itself a known place or
    body (`جورج واشنطن` … `واشنطن` stays the city; `الكاميرون` stays the country)."""
    extractor = load_extractor()
    names = dict(extractor.gazetteers).get("n")
    if names is None:
        return tags
    people = [gaz for src, gaz in extractor.gazetteers if src in ("p", "w")]

    def named(phrase: tuple[str, ...]) -> bool:
        # only people whose first word the name list gives as a common given name (not a rare
        # one: أنوية) that TRAIN does not mostly tag otherwise (كوكب, a club), or whose whole
        # name a people list holds: the model's wrong persons (كوكب بلوتو، أنوية كورتيكس،
        # بيونغ تشانغ، ستريت كوربورشن) make no place a person
        if any(gaz.entries.get(phrase) == "PERS" for gaz in people):
            return True
        counts = extractor.lexicon.get(phrase[0]) or {}
        return (names.single(phrase[0]) == "PGIV"
                and counts.get("B-PERS", 0) * 2 >= sum(counts.values()))

    surnames = _full_name_surnames(keys, tags, extractor, given=named)
    if not surnames:
        return tags
    out: list[list[str]] = []
    for words, sent_keys, sent_tags in zip(sentences, keys, tags):
        st = sent_tags
        for s, e, typ in bio_to_spans(sent_tags):
            if (e - s == 1 and typ in ("LOC", "ORG") and sent_keys[s] in surnames
                    and known_place_or_body([words[s]], glued=False) is None):
                if st is sent_tags:
                    st = list(sent_tags)
                st[s] = "B-PERS"
        out.append(st)
    return out


def add_surnames(
    sentences: Sequence[Sequence[str]],
    tags: list[list[str]],
    keys: Sequence[Sequence[str]] | None = None,
    extractor: FeatureExtractor | None = None,
    not_names: frozenset[str] = frozenset(),
) -> list[list[str]]:
    """`tags` with the surname of a person named in full elsewhere in the document tagged as a
    person where it stands alone untagged (حيدر العبادي … وقال العبادي). A surname that the
    training data mostly saw as an ordinary word, or a title, is left alone (`extractor`: whose
    lexicon and triggers say so; the shipped one by default), and so is one of `not_names`
    (on news text, the known-names list's words that are no names alone: الله of عبد الله)."""
    if keys is None:
        keys = [[word_key(w) for w in words] for words in sentences]
    if extractor is None:
        extractor = load_extractor()
    surnames = _full_name_surnames(keys, tags, extractor, not_names)
    # a surname whose key is a particle's (العلي: على) is matched by its own letters, ال and
    # all, so the particle itself is never taken for it
    written = _surnames_keyed_as_particles(sentences, keys, tags, not_names)
    if not surnames and not written:
        return tags
    out: list[list[str]] = []
    for words, sent_keys, sent_tags in zip(sentences, keys, tags):
        st = list(sent_tags)
        n = len(st)
        for i, key in enumerate(sent_keys):
            if ((key in surnames or (written and key in _PARTICLE_KEYS
                                     and _without_conjunction(words[i]) in written))
                    and st[i] == "O"
                    and (i == 0 or st[i - 1] == "O")
                    and (i + 1 == n or not st[i + 1].startswith("I-"))):
                st[i] = "B-PERS"
        out.append(st)
    return out


#: Particles whose key a surname with ال shares once the ال is taken off (العلي: على), so the
#: training data's counts of the key say nothing of the surname
_PARTICLE_KEYS = frozenset(word_key(w) for w in "على إلى".split())


def _without_conjunction(word: str) -> str:
    norm = normalize_text(word)
    return norm[1:] if norm[:1] in "وف" and norm[1:3] == "ال" else norm


def _surnames_keyed_as_particles(sentences: Sequence[Sequence[str]], keys: Sequence[Sequence[str]],
                                 tags: list[list[str]], not_names: frozenset[str]) -> set[str]:
    """The last words (normalized, ال and all) of the people named in full in a document
    whose key is a particle's (طارق العلي)."""
    found: set[str] = set()
    for words, sent_keys, sent_tags in zip(sentences, keys, tags):
        for s, e, typ in bio_to_spans(sent_tags):
            if typ not in ("PERS", "PER") or e - s < 2:
                continue
            key = sent_keys[e - 1]
            norm = _without_conjunction(words[e - 1])
            if key in _PARTICLE_KEYS and key not in not_names and norm.startswith("ال"):
                found.add(norm)
    return found


def _unit_key(key: str) -> str:
    # the accusative's alif (دولاراً, درهماً once the tanween is normalized away)
    return key[:-1] if len(key) > 3 and key.endswith("ا") else key


@lru_cache(maxsize=1)
def currency_keys() -> frozenset[tuple[str, ...]]:
    """The currencies of `resources/extract/units.tsv` as tuples of word keys."""
    from khabar.extract.quantities import load_table

    return frozenset(tuple(_unit_key(word_key(w)) for w in form.split())
                     for form, _singular, _code, kind in load_table("units.tsv")
                     if kind == "currency")


_SCALE_KEYS = frozenset(word_key(w) for w in "ألف آلاف الف الاف مليون ملايين مليار مليارات تريليون".split())


def _amount_word(key: str) -> bool:
    """A number or a scale word: what comes before a currency's name in an amount."""
    return key in _SCALE_KEYS or any(c.isdigit() for c in key)


def drop_currencies(keys: Sequence[Sequence[str]], tags: list[list[str]]) -> list[list[str]]:
    """`tags` without the MISC entities that are a currency and nothing else, nationality
    adjectives and و aside (`keys`: the words' `word_key`s); the model's person or place on
    one (a `دينار` tagged as a person) goes too. Organisations stay (`الريال` is Real Madrid),
    but not after an amount (`74 مليار ريال`)."""
    currencies = currency_keys()
    words = {w for form in currencies for w in form}
    nationalities = nationality_keys()

    def currency(span: Sequence[str]) -> bool:
        if len(span) == 1 and span[0] not in words and _unit_key(span[0]) not in words:
            return False  # the usual case, decided without building tuples
        units = tuple(_unit_key(k) for k in span)
        # الريال السعودي والجنيه, الدولار الكندي: currencies with their nationality adjectives
        return units in currencies or (any(u in words for u in units) and all(
            u in words or k in nationalities or k == "و" for u, k in zip(units, span)))

    out: list[list[str]] = []
    for sent_keys, sent_tags in zip(keys, tags):
        spans = [(s, e) for s, e, typ in bio_to_spans(sent_tags)
                 if (typ in ("MISC", "PERS", "LOC") or (typ == "ORG" and s and _amount_word(sent_keys[s - 1])))
                 and currency(sent_keys[s:e])]
        if spans:
            sent_tags = list(sent_tags)
            for s, e in spans:
                sent_tags[s:e] = ["O"] * (e - s)
        out.append(sent_tags)
    return out
