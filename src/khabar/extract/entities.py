"""Canonical names of the entities of one article.

Within one article, mentions of the same thing are grouped and each gets the group's
canonical name:

* leading titles and roles (``الوزير``, ``الرئيس``, ``وزير الدفاع الأميركي`` ...) are not part
  of a person's name: `split_role` separates them (and `canonicalize` trims them off the span);
* proclitics written before ال (``والعراق``, ``بالموصل``) are trimmed off the span, and a
  bare و before a name is trimmed when the rest is mentioned elsewhere in the article; a bare
  ب/ل/ك/ف (``بسوريا``, ``لحماس``) when the whole word is not a name of its own (``بسام``,
  ``كريم``, ``لبنان`` keep their first letter) and the rest is mentioned elsewhere with the
  same type or, for places and organisations, is known as a name of that type;
* names are compared by `canonical_key` (khabar.text.match_key of each word, so
  ``الأميركي``/``الأمريكي`` and ``سورية``/``سوريا`` get one key), organisations without their
  type word (``تنظيم داعش`` and ``داعش``: see resources/ner/org_types.txt);
* a person mentioned by part of a name (``كارتر``) gets the longest full name in the same
  article that ends with or contains it (``آشتون كارتر``); an organisation mentioned without
  its type word gets the longest form (``تنظيم داعش``);
* the canonical name is the surface text of the group's longest mention (most frequent, then
  first, among equally long ones), with clitics before ال dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from khabar.extract.known_names import cited_outlet, nationality_keys
from khabar.extract.ner import EVENT_HEADS, load_extractor, load_triggers, resource_text, word_key
from khabar.model import EntitySpan
from khabar.text import match_key, normalize_text, tokenize

__all__ = ["a_place", "canonical_key", "canonicalize", "split_role", "strip_clitics"]

#: Words after a title that still belong to the role (``وزير الدفاع``, ``رئيس الوزراء``).
_ROLE_OBJECT_MAX = 3


@lru_cache(maxsize=1)
def _org_types() -> frozenset[str]:
    words = set()
    for raw in resource_text("org_types.txt").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            words.add(word_key(line))
    return frozenset(words)


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(k for k, cls in load_triggers().items() if cls == "PER_TITLE")


# Words that may follow a title inside a role: the office's domain and the country adjective.
_ROLE_TAIL_SUFFIXES = ("ي", "يه", "يين", "يون")


def _tokens(text: str):
    return [t for t in tokenize(text) if t.kind in ("word", "latin", "number")]


def split_role(mention: str) -> tuple[str, str]:
    """``(role, name)`` of a person mention: leading titles/roles split off.

    >>> split_role("وزير الدفاع الأميركي آشتون كارتر")
    ('وزير الدفاع الأميركي', 'آشتون كارتر')
    >>> split_role("الوزير كارتر")
    ('الوزير', 'كارتر')
    """
    start, _ = _role_end(mention)
    if start <= 0:
        return "", mention
    return mention[:start].strip(), mention[start:].strip()


_NAME_LINKS = frozenset(("بن", "ابن", "بنت"))
_MY_PEER = frozenset(normalize_text(w) for w in "زميلي زميلتي صديقي صديقتي نظيري نظيرتي".split())


@lru_cache(maxsize=1 << 16)
def _role_end(mention: str) -> tuple[int, int]:
    """Character offset where the name starts after leading roles (0: no role), and the number
    of tokens in the role."""
    toks = _tokens(mention)
    titles = _titles()
    i = 0
    n = len(toks)
    while i < n - 1 and word_key(toks[i].text) in titles:
        if toks[i + 1].norm in _NAME_LINKS and not toks[i].norm.startswith("ال"):
            # سلطان بن سلمان, رائد بن عبدالرحمن: a title word without its article before بن is
            # a given name (الرئيس بن علي: the title, then a surname with بن)
            break
        i += 1
        # the role's object: الدفاع / الوزراء / الخارجية + nationality adjective, but leave at
        # least one token (two when the next token is not clearly part of the role)
        j = i
        while j < n - 1 and j - i < _ROLE_OBJECT_MAX and toks[j].norm.startswith("ال"):
            j += 1
        if j > i and n - j >= 1:
            i = j
    if i == 0 or i >= n:
        return 0, 0
    return toks[i].start, i


@lru_cache(maxsize=1 << 16)
def strip_clitics(word: str) -> str:
    """A word without the proclitics written before ال (``والعراق`` → ``العراق``).

    ``للعراق`` (ل + ال, the alef dropped) becomes ``العراق``.
    """
    toks = tokenize(word)
    if len(toks) != 1 or toks[0].kind != "word" or "ال" not in toks[0].prefixes:
        return word
    prefixes = toks[0].prefixes
    lead = len(prefixes) - 1  # letters before ال, one per prefix
    if prefixes[-2:] == ("ل", "ال"):
        # written لل: drop the letters before it and the first ل, put the alef back
        return "ا" + word[lead:]
    return word[_letters_before_al(word, prefixes):]


def _letters_before_al(word: str, prefixes: Sequence[str]) -> int:
    """How many letters before ال to drop off `word`: one per proclitic, except a ك right
    before ال, which in a name is far more often its own first letter (كاليفورنيا, كالغاري,
    read by the tokenizer as ك + ال) than the preposition (كالعراق), and except the letters
    of a name that only reads so (فالنسيا, بالتيمور, والتر: resources/ner/names_read_as_glued.txt)."""
    lead = len(prefixes) - 1
    if lead and prefixes[-2] == "ك":
        lead -= 1
    names = _names_read_as_glued()
    for keep in range(lead + 1):
        if normalize_text(word[keep:]) in names:
            return keep
    return lead


@lru_cache(maxsize=1)
def _names_read_as_glued() -> frozenset[str]:
    return frozenset(normalize_text(line.strip())
                     for line in resource_text("names_read_as_glued.txt").splitlines()
                     if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1 << 16)  # pure in its string arguments; names repeat across articles
def canonical_key(name: str, label: str = "") -> str:
    """Key under which mentions of one entity match: `match_key` of each word (titles dropped
    for persons, organisation-type words for organisations)."""
    if label == "PER":
        name = split_role(name)[1]
    tokens = _tokens(name)
    keys = [match_key(t.text) for t in tokens]
    if keys and tokens[0].text.startswith("لل") and _a_name(tokens[0].text[1:]):
        keys[0] = match_key(tokens[0].text[1:])  # للبنان is ل + لبنان, not ل + ال + بنان
    if label == "ORG":
        types = _org_types()
        stripped = [k for k in keys if k not in types]
        if stripped and len(stripped) < len(keys) and keys[0] in types:
            keys = keys[1:]
    return " ".join(k for k in keys if k)


def _preposition_on_a_head(word: str, label: str) -> bool:
    """ل/ب glued to the head word of an organisation's name (or, for MISC, an event's), the
    word itself no head (لمجلس, بمنظمة, لبطولة; not لجنة)."""
    return (label in ("ORG", "MISC") and word[:1] in ("ب", "ل") and len(word) > 3
            and (load_triggers().get(word_key(word[1:])) == "ORG_HEAD"
                 or (label == "MISC" and word_key(word[1:]) in EVENT_HEADS))
            and load_triggers().get(word_key(word)) is None)


def _trim(entity: EntitySpan, text: str, known_keys: set[str],
          typed_keys: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
          ends: dict[int, str] | None = None) -> EntitySpan:
    """Trim titles (persons) and proclitics off the front of a span (`known_keys`: the
    canonical keys of the article's mentions; `typed_keys`: the same with their labels;
    `ends`: where the article's mentions end, and their labels, for a name joined by و to a
    name of its kind just before it)."""
    start, end = entity.start, entity.end
    mention = text[start:end]
    words_at = [(m.start(), m.end()) for m in _WORD.finditer(mention)]
    if _DEPUTY.search(text, max(0, start - 6), start) and normalize_text(mention) == _CROWN_PRINCE:
        # ولي [ولي العهد]: the deputy crown prince's title, whole
        start = text.rindex("ولي", 0, start)
        return replace(entity, start=start, text=text[start:end])
    servant = _SERVANT_BEFORE.search(text, max(0, start - 12), start)
    if words_at and normalize_text(mention[words_at[0][0]:words_at[0][1]]) == _TWO_MOSQUES and servant:
        # (ل)خادم [الحرمين]: the model tagged the honorific's second word alone
        start = servant.start(1)
        return replace(entity, label="PER", start=start, text=text[start:end])
    honorific = _honorific_at(mention, words_at)
    if honorific is not None:
        # الأخ العزيز خادم الحرمين: the honorific names the king; the words before it are the
        # writer's (dear brother), whatever the model tagged the run
        start += honorific
        return replace(entity, label="PER", start=start, text=text[start:end])
    if entity.label == "PER":
        family = _family_end(mention, words_at)
        if family is not None:
            # سلمان بن عبدالعزيز آل سعود المؤرخة في: a name ends with its آل family
            end = start + family
            mention = text[start:end]
        offset, _ = _role_end(mention)
        if offset > 0:
            start += offset
            mention = text[start:end]
        words = mention.split()
        if len(words) >= 2 and normalize_text(words[0]).startswith("ال") and word_key(words[0]) in nationality_keys():
            # الغاني مبارك واكاسو, الجزائري رياض محرز: the nationality, then the name (walk 22)
            start += mention.index(words[1], len(words[0]))
            mention = text[start:end]
            words = words[1:]
        if len(words) >= 3 and normalize_text(words[0]) in _MY_PEER:
            # زميلي جون كيري: "my colleague", then the name
            start += mention.index(words[1], len(words[0]))
            mention = text[start:end]
            words = words[1:]
        if len(words) >= 3 and (a_place(words[0]) or (
                # مدير مكتب العمل بخيبر فهد الرشيدي: the place came glued to its ب or ل
                words[0][0] in "بل" and len(words[0]) > 3 and a_place(words[0][1:]))):
            # رئيس بلدية الزرقاء عماد المومني: the model ran the role's place into the name
            start += mention.index(words[1], len(words[0]))
            mention = text[start:end]
    toks = tokenize(mention)
    if toks and toks[0].kind == "word":
        first = toks[0]
        prefixes = first.prefixes
        if "ال" in prefixes and len(prefixes) > 1 and prefixes[-2:] != ("ل", "ال"):
            start += _letters_before_al(first.text, prefixes)
        elif normalize_text(first.text) in _names_read_as_glued():
            pass  # والتر is no و + التر
        elif first.text[0] == "و" and len(first.text) > 3:
            rest = text[start + 1 : end]
            if (
                canonical_key(rest, entity.label) in known_keys
                or normalize_text(first.text[1:]) in _names_read_as_glued()
                # وائل, وئام, ويندوز are names of their own, not و + ائل
                or (not _name_of_its_own(first.text)
                    and (_known_name(first.text[1:]) or _conjunction_plus_name(first.text)))
                # ومجلس الأمن, وشارع الصباغ: و + the head word of a body's or a place's name
                or (entity.label != "PER" and len(toks) > 1
                    and load_triggers().get(word_key(first.text[1:])) in ("ORG_HEAD", "LOC_HEAD")
                    and load_triggers().get(word_key(first.text)) is None)
                # ولمجلس الأمن: و + ل + the head word
                or (len(toks) > 1 and _preposition_on_a_head(first.text[1:], entity.label))
                # المفرق ومعان, الطفيلة، ومعان: و joins this name to one of its kind just
                # before it (not مرسيدس وليامز, an ORG and then a person's surname)
                or (ends is not None and not _name_of_its_own(first.text)
                    and _joined_by_and(text, start, entity.label, ends))
            ):
                start += 1
                if len(toks) > 1 and _preposition_on_a_head(first.text[1:], entity.label):
                    start += 1  # ولمجلس الأمن: و, then ل + the head word of the body's name
        elif len(toks) > 1 and not first.prefixes and _preposition_on_a_head(first.text, entity.label):
            # لمجلس الأمن, بمنظمة العفو, لبطولة إنديان ويلز: ل/ب + the head word of a body's
            # or an event's name
            start += 1
        elif (first.text[0] in "بلكف" and len(first.text) > 3 and not first.prefixes
              # كاليفورنيا: the tagger's key already reads ك + ال + يفورنيا; nothing to strip
              and word_key(first.text[1:]) != word_key(first.text)
              and not _name_of_its_own(first.text)):
            rest = text[start + 1 : end]
            # a person's name is too often a foreign one that starts so (بيونغ يانغ, لويس):
            # only when the rest is in the article too
            if (
                (entity.label, canonical_key(rest, entity.label)) in typed_keys
                # لبوريس جونسون: a known first name after the letter, more of the name after it
                # (ل only: after ب too many foreign names read so, بيونغ يانغ)
                or (entity.label == "PER" and first.text[0] == "ل" and len(toks) > 1
                    and _named_as(first.text[1:], "PER"))
                or (entity.label != "PER" and _named_as(first.text[1:], entity.label)
                    # بوروسيا is no ب + وروسيا (و + روسيا): one glued letter at most
                    and not (first.text[1] in "وبلكف" and _named_as(first.text[2:], entity.label)))
            ):
                start += 1
    if start >= end:
        return entity
    return replace(entity, start=start, end=end, text=text[start:end])


_WORD = re.compile(r"\S+")
_SERVANT = normalize_text("خادم")
_TWO_MOSQUES = normalize_text("الحرمين")
_FAMILY = frozenset((normalize_text("آل"),))
_GLUED_SERVANT = re.compile(r"[وف]?[لب]?" + _SERVANT)
_SERVANT_BEFORE = re.compile(r"(?:^|[\s«\"(])[وف]?[لب]?(خادم)\s+$")


def _honorific_at(mention: str, words_at: Sequence[tuple[int, int]]) -> int | None:
    """Where خادم starts in a run that has words before (ل)خادم الحرمين, else None."""
    for i in range(1, len(words_at) - 1):
        a, b = words_at[i]
        c, d = words_at[i + 1]
        servant = _GLUED_SERVANT.fullmatch(normalize_text(mention[a:b]))
        if servant and normalize_text(mention[c:d]) == _TWO_MOSQUES:
            return mention.rfind("خ", a, b)
    return None


def _family_end(mention: str, words_at: Sequence[tuple[int, int]]) -> int | None:
    """Where a person's name ends when words follow its family name after آل (آل سعود, آل
    مكتوم: one word, and a tribe's name after it, علي آل أحمد الأسمري), else None."""
    for i in range(1, len(words_at) - 2):
        a, b = words_at[i]
        if normalize_text(mention[a:b]) in _FAMILY:
            end = i + 1
            c, d = words_at[end + 1]
            tribe = normalize_text(mention[c:d])
            if tribe.startswith("ال") and tribe.endswith("ي") and len(tribe) > 4:
                end += 1
            return words_at[end][1] if end < len(words_at) - 1 else None
    return None


_AND_GAP = re.compile(r"\s*[،,]?\s+")


def _joined_by_and(text: str, start: int, label: str, ends: dict[int, str]) -> bool:
    """Does another mention labelled `label` end just before `start` (a space, or a comma and a
    space, between)? Then the و that opens this one is the conjunction (في المفرق ومعان)."""
    left = start
    while left > 0 and start - left < 4 and text[left - 1] in " \t\u00a0،,":
        left -= 1
    return left < start and ends.get(left) == label and _AND_GAP.fullmatch(text[left:start]) is not None


def _known_name(word: str) -> bool:
    """Is `word` (a first word without its و) known as (part of) a name: in the known-names
    list, mostly tagged as an entity in the training data, or in the personal-names gazetteer?"""
    extractor = load_extractor()
    key = word_key(word)
    from khabar.extract.known_names import known_names

    if known_names().entries.get((key,), "O") != "O":
        return True
    counts = extractor.lexicon.get(key)
    if counts:
        ent = sum(c for t, c in counts.items() if t != "O")
        return ent > counts.get("O", 0)
    # a rare entry of the names list (ائل) is no evidence
    entries = (gaz.single(key) for src, gaz in extractor.gazetteers if src == "n")
    return any(entry is not None and not entry.endswith("r") for entry in entries)


_LEXICON_TYPES = {"PER": "PERS", "ORG": "ORG", "LOC": "LOC"}


@lru_cache(maxsize=1 << 16)
def _named_as(word: str, label: str) -> bool:
    """Is `word` known as a name of type `label`: in the known-names list, mostly tagged so in
    the training data, or in the names mined from it? (Not in the personal-names gazetteer: too
    many of its forms are a name with a letter cut off, ``ريم`` of ``كريم``.)"""
    typ = _LEXICON_TYPES.get(label)
    key = word_key(word)
    if typ is None or len(key) < 3:
        return False
    from khabar.extract.known_names import known_names

    listed = known_names().entries.get((key,))
    if listed is not None:
        return listed == typ
    extractor = load_extractor()
    counts = extractor.lexicon.get(key)
    if counts:
        named = sum(c for t, c in counts.items() if t.endswith("-" + typ))
        return named > counts.get("O", 0) and 2 * named > sum(counts.values())
    return any(gaz.single(key) == typ for src, gaz in extractor.gazetteers if src == "t")


@lru_cache(maxsize=1 << 16)
def a_place(word: str) -> bool:
    """Is `word` a place: listed as one, or mostly tagged so in the training data?"""
    from khabar.extract.known_names import known_names

    key = word_key(word)
    listed = known_names().entries.get((key,))
    if listed is not None:
        return listed == "LOC"
    counts = load_extractor().lexicon.get(key)
    return bool(counts) and 2 * counts.get("B-LOC", 0) > sum(counts.values())


@lru_cache(maxsize=1 << 16)
def _a_name(word: str) -> bool:
    """Is `word` a name (any type) as written: in the known-names list, or mostly tagged as an
    entity in the training data? (``لبنان`` is; ``لحكومة``, ``لمجلس`` are glued words.)"""
    from khabar.extract.known_names import known_names

    key = word_key(word)
    listed = known_names().entries.get((key,))
    if listed is not None:
        return listed != "O"
    counts = load_extractor().lexicon.get(key)
    if not counts:
        return False
    named = sum(c for t, c in counts.items() if t != "O")
    return 2 * named > sum(counts.values())


@lru_cache(maxsize=1 << 16)
def _name_of_its_own(word: str) -> bool:
    """Is `word`, first letter and all, a name or an ordinary word (``بسام``, ``لبنان``,
    ``كريم``) rather than a name with a glued preposition?"""
    from khabar.extract.known_names import known_names

    key = word_key(word)
    if known_names().entries.get((key,)) is not None:
        return True
    extractor = load_extractor()
    for src, gaz in extractor.gazetteers:
        if src == "n" and (kind := gaz.single(key)) is not None:
            # a rare entry that is a glued letter and a common given name (لمحمد, walk 22:
            # لمحمد صلاح had kept its ل and was a second person) is no name of its own
            return not (kind.endswith("r") and word[:1] in "وبلكف" and len(word) > 3
                        and _named_as(word[1:], "PER"))
    counts = extractor.lexicon.get(key)
    return bool(counts) and 2 * counts.get("O", 0) > sum(counts.values())


def _conjunction_plus_name(word: str) -> bool:
    """Is `word` a name written with the conjunction و in front (``وليبيا``), as the training
    data tags it, rather than a name that starts with و (``وليد``, ``وائل``)?"""
    if len(word) < 5:
        return False
    extractor = load_extractor()
    key = word_key(word)
    if any(gaz.single(key) is not None for src, gaz in extractor.gazetteers if src == "n"):
        return False
    counts = extractor.lexicon.get(key)
    if not counts:
        return False
    ent = sum(c for t, c in counts.items() if t.startswith("B-"))
    # seen often, and never without its و: a name that starts with و (واشنطن 41 times, never
    # اشنطن), not a conjunction, which comes and goes (وليبيا / ليبيا)
    return ent > counts.get("O", 0) and sum(counts.values()) < 3


def _of_the_part(long: str, part: Sequence[str]) -> bool:
    """Is `part` (keys) within the name `long` after a glued ل, "of" (للأمم المتحدة in
    الجمعية العامة للأمم المتحدة): the longer name is a body of the one `part` names."""
    surface = [t.text for t in _tokens(long)]
    if len(surface) <= len(part):
        return False
    keys = [match_key(w) for w in surface]
    n = len(part)
    for i in range(1, len(keys) - n + 1):
        if keys[i : i + n] == list(part):
            word = normalize_text(surface[i])
            return word.startswith("ل") and not keys[i].startswith("ل")
    return False


def _is_part(short: Sequence[str], long: Sequence[str]) -> bool:
    """Is `short` a contiguous run of `long` (and shorter)?"""
    n, m = len(short), len(long)
    if n >= m or n == 0:
        return False
    return any(tuple(long[i : i + n]) == tuple(short) for i in range(m - n + 1))


_HASHTAG_TO_SPACE = str.maketrans({"_": " ", "#": " ", "＃": " "})


def canonicalize(entities: list[EntitySpan], text: str) -> list[EntitySpan]:
    """Fill `canonical` on the entities of one article (offsets into `text`).

    Spans are also trimmed: person titles and proclitics before ال go, so ``الوزير كارتر``
    becomes the span ``كارتر`` with canonical ``آشتون كارتر`` if that full name occurs.
    """
    if not entities:
        return []
    typed_keys = {(e.label, canonical_key(text[e.start : e.end], e.label)) for e in entities}
    first_keys = {k for _, k in typed_keys}
    ends: dict[int, str] = {}
    for e in entities:
        ends.setdefault(e.end, e.label)
    trimmed = [_trim(e, text, first_keys, typed_keys, ends) for e in entities]
    # a role whose holder the model left out leaves its adjective (الرئيس التركي، رجب …): no one
    nationalities = nationality_keys()
    kept = [i for i, (e, t) in enumerate(zip(entities, trimmed))
            if not (e.label == "PER" and " " not in t.text.strip() and word_key(t.text) in nationalities
                    # or a nationality alone (الغاني), no one's name
                    and (t.start > e.start or normalize_text(t.text).startswith("ال")))]
    if len(kept) < len(trimmed):
        entities, trimmed = [entities[i] for i in kept], [trimmed[i] for i in kept]
        if not trimmed:
            return []
    trimmed = _one_type_per_name(_clubs(trimmed, text), text)
    keys = [canonical_key(e.text, e.label) for e in trimmed]
    # group by (label, key); then attach partial person/org mentions to a longer mention
    groups: dict[tuple[str, str], list[int]] = {}
    for i, (e, k) in enumerate(zip(trimmed, keys)):
        groups.setdefault((e.label, k or e.text), []).append(i)
    parent: dict[tuple[str, str], tuple[str, str]] = {}
    by_label: dict[str, list[tuple[str, str]]] = {}
    for g in groups:
        by_label.setdefault(g[0], []).append(g)
    # an outlet cited by its kind (صحيفة «لاتسيو ستايل») names nothing else in the article
    outlets = {g for g, idx in groups.items()
               if g[0] == "ORG" and all(cited_outlet(text, trimmed[i].start) for i in idx)}
    for label, gs in by_label.items():
        if label not in ("PER", "ORG"):
            continue
        for g in gs:
            if g in outlets:
                continue
            words = g[1].split()
            candidates = [h for h in gs if h != g and h not in outlets and _is_part(words, h[1].split())]
            if label == "PER":
                # a one-word mention is the surname (last word) or the first name of the full one
                candidates = [
                    h
                    for h in candidates
                    if h[1].split()[-len(words) :] == words or h[1].split()[: len(words)] == words
                ]
            else:
                # a body of another (الجمعية العامة للأمم المتحدة) is not that other (الأمم المتحدة)
                candidates = [h for h in candidates if not _of_the_part(trimmed[groups[h][0]].text, words)]
            if not candidates:
                continue
            best = max(candidates, key=lambda h: (len(h[1].split()), len(groups[h]), -groups[h][0]))
            # only when unambiguous: all candidates must be parts of the best one (or equal)
            if all(c == best or _is_part(c[1].split(), best[1].split()) for c in candidates):
                parent[g] = best

    def root(g: tuple[str, str]) -> tuple[str, str]:
        seen = set()
        while g in parent and g not in seen:
            seen.add(g)
            g = parent[g]
        return g

    members: dict[tuple[str, str], list[int]] = {}
    for g, idx in groups.items():
        members.setdefault(root(g), []).extend(idx)
    canonical_of: dict[int, str] = {}
    for idx in members.values():
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        for i in idx:
            surface = " ".join(  # a hashtag's name (دونالد_ترمب, سيرغي #لافروف) without its marks
                strip_clitics(w) if n == 0 else w
                for n, w in enumerate(trimmed[i].text.translate(_HASHTAG_TO_SPACE).split())
            )
            counts[surface] = counts.get(surface, 0) + 1
            first.setdefault(surface, i)
        best = max(counts, key=lambda s: (len(s.split()), counts[s], -first[s]))
        for i in idx:
            canonical_of[i] = best
    _honour_the_holder(text, trimmed, keys, canonical_of)
    counts: tuple[int, int] | None = None  # the article's Amman and Oman cues, counted once
    for i, k in enumerate(keys):
        if k == "عمان" and trimmed[i].label == "LOC":
            if counts is None:
                counts = len(_AMMAN_CUES.findall(text)), len(_OMAN_CUES.findall(text))
            canonical_of[i] = _amman_or_oman(text, trimmed[i], counts)
    return [replace(e, canonical=canonical_of[i]) for i, e in enumerate(trimmed)]


_CLUB_WORDS = frozenset(normalize_text(w) for w in (
    "نادي", "فريق", "لاعب", "لاعبي", "مدرب", "مهاجم", "مدافع", "حارس", "جماهير", "قميص", "صفوف"))
_MATCH_VERBS = frozenset(normalize_text(w) for w in (
    "فاز", "يفوز", "تعادل", "يتعادل", "خسر", "يخسر", "تغلب", "يتغلب", "هزم", "يهزم", "سحق", "يسحق",
    "اكتسح", "أقصى", "واجه", "يواجه", "التقى", "يلتقي"))
_AGAINST = frozenset(normalize_text(w) for w in ("على", "مع", "أمام", "ضد"))
_POSITIONS = frozenset(normalize_text(w) for w in ("وسط", "دفاع", "هجوم", "مرمى"))


_VENUES = frozenset(normalize_text(w) for w in ("استاد", "ستاد", "ملعب", "مدينة", "صالة"))
_PLACE_BEFORE = frozenset(normalize_text(w) for w in ("مدينة", "بمدينة", "لمدينة", "ومدينة", "ولاية", "إقليم", "منطقة"))


def _forms(word: str) -> set[str]:
    """`word` normalized, and without a glued و/ف and then ب/ل (وفاز, ولاعب, بفريق)."""
    word = normalize_text(word)
    forms = {word} | ({word[1:]} if len(word) > 3 and word[0] in "وف" else set())
    return forms | {w[1:] for w in forms if len(w) > 3 and w[0] in "بل"}


def _club_cue(text: str, e: EntitySpan) -> bool:
    """A place's name in a club's slot: after a club word (لاعب برشلونة, نادي ليفربول), as the
    subject of a match verb before its opponent (فاز برشلونة على), or as the opponent
    (تغلب ريال مدريد على برشلونة)."""
    before = text[max(0, e.start - 60):e.start].split()
    if not before or normalize_text(e.text.split()[0]) in _VENUES:
        return False  # يلتقيان على استاد …: where they play
    prev = _forms(before[-1])
    if prev & _CLUB_WORDS or (prev & _POSITIONS and len(before) > 1 and _forms(before[-2]) & _CLUB_WORDS):
        return True  # لاعب برشلونة, لاعب وسط برشلونة
    after = text[e.end:e.end + 12].split()
    if prev & _MATCH_VERBS and after and normalize_text(after[0]) in _AGAINST:
        return True
    return normalize_text(before[-1]) in _AGAINST and any(_forms(w) & _MATCH_VERBS for w in before[-6:-1])


def _clubs(spans: list[EntitySpan], text: str) -> list[EntitySpan]:
    """A place's name that one of its mentions in the article gives a club's slot (see
    `_club_cue`) is the club in all of them but those after a place's head (مدينة برشلونة): the
    model and the gazetteers know برشلونة the city, and the vote of `_one_type_per_name` had made
    the club of a match report a place (walk 22). Not a name the known-names list types
    (مصر, روما, مدريد: the country or city first)."""
    from khabar.extract.known_names import known_names

    entries = known_names().entries
    if not any(e.label == "LOC" for e in spans):
        return spans
    clubs = {canonical_key(e.text) for e in spans if e.label in ("LOC", "ORG") and _club_cue(text, e)}
    clubs = {k for k in clubs if k and entries.get(tuple(word_key(w) for w in k.split())) is None}
    if not clubs:
        return spans
    out = []
    for e in spans:
        if e.label == "LOC" and canonical_key(e.text) in clubs and not _after_a_place_head(text, e):
            e = replace(e, label="ORG")
        out.append(e)
    return out


def _after_a_place_head(text: str, e: EntitySpan) -> bool:
    before = text[max(0, e.start - 20):e.start].split()
    return bool(before) and normalize_text(before[-1]) in _PLACE_BEFORE


def _one_type_per_name(spans: list[EntitySpan], text: str) -> list[EntitySpan]:
    """The same name written alike takes, within one article, the type most of its mentions
    have (برشلونة the club three times and the place once: the club). Only where one type has
    more than half of them; not a name the known-names list types (الشرق الأوسط the region
    and the newspaper, المكسيك the country and the team), nor an outlet cited by its kind."""
    if len(spans) < 3:
        return spans
    seen: dict[str, str] = {}
    for e in spans:  # most articles write no name with two types: a cheap look first
        if seen.setdefault(e.text, e.label) != e.label:
            break
    else:
        return spans
    labels: dict[str, dict[str, int]] = {}
    plain = [canonical_key(e.text) for e in spans]
    for e, k in zip(spans, plain):
        by = labels.setdefault(k, {})
        by[e.label] = by.get(e.label, 0) + 1
    mixed = {k: by for k, by in labels.items() if len(by) > 1}
    if not mixed:
        return spans
    from khabar.extract.known_names import known_names

    entries = known_names().entries
    out = list(spans)
    for k, by in mixed.items():
        label, n = max(by.items(), key=lambda kv: kv[1])
        if 2 * n <= sum(by.values()) or not k:
            continue
        idx = [i for i, p in enumerate(plain) if p == k and spans[i].label != label]
        if entries.get(tuple(word_key(w) for w in spans[idx[0]].text.split())) is not None:
            continue
        for i in idx:
            # مدينة برشلونة stays the city however often the article names the club
            if not cited_outlet(text, spans[i].start) and not (
                    label == "ORG" and spans[i].label == "LOC" and _after_a_place_head(text, spans[i])):
                out[i] = replace(spans[i], label=label)
    return out


# An honorific or a title that stands for one person (خادم الحرمين الشريفين: the Saudi king;
# ولي العهد: the crown prince), which the model tags as a person of its own; written before the
# holder's name (خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز, ولي العهد الأمير محمد بن نايف),
# it names him wherever it stands alone in the article. Each title has its own holder.
_HONORIFICS = {"خادم حرمين": "خادم حرمين", "خادم حرمين شريفين": "خادم حرمين", "ولي عهد": "ولي عهد",
               "ولي ولي عهد": "ولي ولي عهد"}
_CROWN_PRINCE = normalize_text("ولي العهد")
_HONORIFIC_GAP = re.compile(r"^[\s،,]*(?:الشريفين\s+)?(?:السعودي\s+|الأردني\s+|البحريني\s+|الكويتي\s+)?"
                            r"(?:صاحب السمو الملكي\s+)?(?:الملك|العاهل السعودي|الأمير|الشيخ)?\s*$")
_ROYAL_BEFORE = re.compile(r"(?:الأمير|الامير|الشيخ|الملك)\s+$")
_NEXT_TO = re.compile(r"^[\s،,]{0,3}$")
_DEPUTY = re.compile(r"(?:^|\s)(?:و|ل|ب)?ولي\s+$")


def _honour_the_holder(text: str, spans: list[EntitySpan], keys: list[str],
                       canonical_of: dict[int, str]) -> None:
    """Give an honorific's mentions the canonical name of the person it stands before (or,
    a royal's, right after: الأمير X بن Y ولي العهد), each honorific its own holder."""
    titled: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        if spans[i].label == "PER" and k in _HONORIFICS:
            titled.setdefault(_HONORIFICS[k], []).append(i)
    for mentions in titled.values():
        holder = None
        for i in mentions:
            for j in range(i + 1, len(spans)):
                if spans[j].label == "PER" and keys[j] not in _HONORIFICS:
                    if spans[j].start - spans[i].end <= 32 and _HONORIFIC_GAP.match(
                            text[spans[i].end:spans[j].start]):
                        holder = canonical_of[j]
                    break
            if holder is not None:
                break
            # الأمير محمد بن نايف بن عبدالعزيز ولي العهد: the name, then its title
            before = max((j for j in range(i) if spans[j].label == "PER" and keys[j] not in _HONORIFICS),
                         default=None)
            if (before is not None and _NEXT_TO.match(text[spans[before].end:spans[i].start])
                    # a royal's name (X بن Y, الأمير X), not a visitor received by him (استقبل
                    # الرئيس فرانسوا هولاند ولي العهد)
                    and (" بن " in spans[before].text or _ROYAL_BEFORE.search(
                        text, max(0, spans[before].start - 24), spans[before].start))):
                holder = canonical_of[before]
                break
        if holder is not None:
            for i in mentions:
                canonical_of[i] = holder


# عمان is Oman (عُمان) or Amman (عمّان), told apart by the vowels where they are written, else by
# the article: Jordan and Jordanians around it, or the sultanate, its sea and its people.
_AMMAN_CUES = re.compile(r"الأردن|الاردن|الأردني|الاردني|عمّان|عَمّان|عمَّان|بترا|الهاشمي")
_OMAN_CUES = re.compile(r"سلطن[ةه] عمان|سلطان عمان|(?:بحر|خليج) عمان|العماني|مسقط|عُمان")
AMMAN, OMAN = "عمّان", "عُمان"


def _amman_or_oman(text: str, entity: EntitySpan, counts: tuple[int, int]) -> str:
    """عمّان, عُمان, or عمان as written when nothing in the article tells them apart."""
    written = text[entity.start:entity.end]
    if "\u0651" in written or "\u064e" in written:  # shadda or fatha: عمّان
        return AMMAN
    if "\u064f" in written:  # damma: عُمان
        return OMAN
    before = text[max(0, entity.start - 12):entity.start]
    if re.search(r"سلطن[ةه]\s*$|سلطان\s*$", before):
        return OMAN
    if re.search(r"البحرين|الكويت|قطر|الإمارات|الامارات|السعودية", text[max(0, entity.start - 40):entity.start]):
        return OMAN  # … والبحرين وعمان: a list of the Gulf states
    amman, oman = counts
    if amman == oman:
        return "عمان"  # no evidence either way: the old, shared name rather than a guess
    return AMMAN if amman > oman else OMAN
