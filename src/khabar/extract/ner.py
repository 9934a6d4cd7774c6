"""Offline Arabic named-entity recognition: a CRF (python-crfsuite) trained on ANERcorp.

The model tags whole whitespace/punctuation-delimited words (ANERcorp keeps clitics attached,
``والعراق``), in BIO with ANERcorp's labels (``B-PERS``, ``I-LOC``, ``B-ORG``, ``B-MISC`` ...).
`find_entities` works on raw text and returns `EntitySpan`s with offsets into that text and the
labels PER/ORG/LOC/MISC.

Features of a word (cached per word): the word, its normalized form, its clitic-stripped stem,
prefixes/suffixes of the stem, a coarse shape, trigger-word classes (``وزير`` → person role,
``وزارة`` → organisation head ...), gazetteer membership; the same (fewer) for the words at
±1 and ±2; how often the word carried each tag in the training data; and per sentence,
longest matches of multi-word gazetteer entries (personal names from Wikidata via
arabic-name-romanizer, names mined from the ANERcorp training split). A second pass makes the tags
of one document consistent: a word sequence tagged as an entity once is tagged the same where
the first pass missed it.

The model and resource files live in ``khabar/resources/ner/`` (see MODEL_CARD.md there).
"""

from __future__ import annotations

import re
import sys
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate, chain, compress, count, pairwise, repeat
from operator import itemgetter, lt
from pathlib import Path
from typing import Any

import numpy as np

from khabar.caching import GenerationalCache
from khabar.compiled import compiled
from khabar.extract.fast_crf import CachedCrf
from khabar.extract.quantities import weekday_names
from khabar.model import EntitySpan
from khabar.text import (
    derived_verbal_noun,
    normalize_text,
    split_clitics,
    split_sentences,
    token_spans,
    word_parts,
)

__all__ = [
    "MODEL_NAME",
    "FeatureExtractor",
    "Gazetteer",
    "bio_to_spans",
    "entities_in_documents",
    "entities_in_spans",
    "find_entities",
    "load_extractor",
    "load_gazetteer",
    "load_triggers",
    "resource_text",
    "tag_conll",
    "tag_document",
    "tag_documents",
    "tag_sentences",
    "tag_tokens",
    "word_key",
]

MODEL_NAME = "anercorp_crf.crfsuite"
DOC_MODEL_NAME = "anercorp_crf_doc.crfsuite"
TRIGGERS_NAME = "triggers.tsv"
LEXICON_NAME = "lex_anercorp_train.tsv"
#: Affixes of the words at ±1/±2 as features too.
NEIGHBOR_AFFIXES = False
#: Character 3-grams of the stem as features.
CHAR_NGRAMS = False
#: Conjunctions of coarse word classes with the neighbours' classes and the trigger before.
CONJUNCTIONS = True
FIRST_MIN_LEN = 4
LOOSE_MIN_LEN = 5
DOC_FIRSTS = True
#: Gazetteer files shipped with the model: (file name, source tag used in feature names).
GAZETTEER_FILES = (
    ("gaz_names.tsv", "n"),
    ("gaz_wikicats.tsv", "w"),
    ("gaz_org_misc.tsv", "o"),
    ("gaz_people.tsv", "p"),
    ("gaz_anercorp_train.tsv", "t"),
)

#: ANERcorp tag type → EntitySpan label.
LABELS = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}

_ARABIC_LETTERS = re.compile(r"[\u0621-\u064a]+")
_DIGITS = re.compile(r"^[0-9]+([.,][0-9]+)*$")
_LATIN = re.compile(r"[a-z]")
_PUNCT = re.compile(r"^[^\w]+$")


def resource_text(name: str) -> str:
    return resources.files("khabar.resources").joinpath("ner", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1 << 17)
def word_key(word: str) -> str:
    """Normalized, clitic-stripped form of a word: what gazetteers and triggers are keyed on."""
    norm = normalize_text(word).strip()
    return split_clitics(norm)[1]


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(word_key(w) for w in phrase.split())


# --------------------------------------------------------------------------- resources


def parse_triggers(text: str) -> dict[str, str]:
    """``word<TAB>class`` lines (``#`` comments) → {word_key: class}."""
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, cls = line.partition("\t")
        key = _phrase_key(word.strip())
        if len(key) == 1 and cls.strip():
            out[key[0]] = cls.strip()
    return out


class Gazetteer:
    """Phrases (tuples of `word_key`s) → type, with longest-match lookup over a sentence."""

    def __init__(self, entries: dict[tuple[str, ...], str] | None = None) -> None:
        self.entries: dict[tuple[str, ...], str] = {}
        # first key → length of the longest multi-word entry starting with it
        self.by_first: dict[str, int] = {}
        # the first two keys of every multi-word entry: where a name may start
        self.openings: set[tuple[str, str]] = set()
        for phrase, typ in (entries or {}).items():
            self.add(phrase, typ)

    def add(self, phrase: tuple[str, ...], typ: str) -> None:
        if not phrase:
            return
        self.entries[phrase] = typ
        first = phrase[0]
        if len(phrase) > 1:
            self.openings.add((first, phrase[1]))
            if self.by_first.get(first, 0) < len(phrase):
                self.by_first[first] = len(phrase)

    def __len__(self) -> int:
        return len(self.entries)

    def single(self, key: str) -> str | None:
        return self.entries.get((key,))

    def matches(self, keys: Sequence[str], firsts: Sequence[str] | None = None
                ) -> list[str | None]:
        """Per position: ``B-TYPE``/``I-TYPE`` of the longest entry covering it (greedy).

        `firsts`, when given, are second-opinion keys for a name's first word (the word with a
        glued و/ب/ل/ك/ف taken off: `وكريم بنزيمة`), tried where the key itself starts nothing.
        """
        n = len(keys)
        out: list[str | None] = [None] * n
        starts = self.by_first.keys()
        common = starts & keys
        common_firsts = starts & firsts if firsts is not None else ()
        if not common and not common_firsts:
            return out
        # only the positions where a name may start are visited (set lookups at C speed first)
        if common_firsts:
            positions = [i for i in range(n) if keys[i] in common or firsts[i] in common_firsts]
        else:
            positions = [i for i, k in enumerate(keys) if k in common]
        for start, end, typ in self._longest_names(keys, firsts or keys, positions, (n,)):
            out[start] = "B-" + typ
            for j in range(start + 1, end):
                out[j] = "I-" + typ
        return out

    def _longest_names(self, keys: Sequence[str], firsts: Sequence[str], positions: Iterable[int],
                       ends: Sequence[int]) -> list[tuple[int, int, str]]:
        """The longest entry starting at each of `positions` (in order, skipping those inside a
        name found already), none running past the end in `ends` of its sentence; an entry's
        first word is the key, or its `firsts` form where the key starts no entry."""
        by_first = self.by_first
        entries = self.entries
        out: list[tuple[int, int, str]] = []
        covered = 0  # positions before this are inside a name found already
        for i in positions:
            if i < covered:
                continue
            first = keys[i]
            longest = by_first.get(first, 0)
            if not longest:  # (an entry in by_first always has two words or more)
                first = firsts[i]
                longest = by_first[first]
            end = ends[bisect_right(ends, i)]  # (a pair across two sentences opens nothing)
            for length in range(min(longest, end - i), 1, -1):
                typ = entries.get((first, *keys[i + 1 : i + length]))
                if typ is not None:
                    out.append((i, i + length, typ))
                    covered = i + length
                    break
        return out

    def document_matches(self, keys: Sequence[str], firsts: Sequence[str], ends: Sequence[int],
                         candidates: Iterable[int] | None = None) -> list[tuple[int, int, str]]:
        """`matches` over the sentences of a document at once: `keys` and `firsts` of all its
        words in order, `ends` the (cumulative) end of each sentence. Returns each name found
        as (start, end, type), in order; the same names as `matches` sentence by sentence
        (a name never runs past its sentence's end). `candidates`, when given, are the
        positions (in order) outside of which no name of this list starts (`opening_positions`
        with this list's `openings` among those it was given)."""
        # a name can start only where its first two keys open an entry (`openings`), the
        # first being the key itself or, where the key starts no entry, its `firsts` form
        by_first = self.by_first
        openings = self.openings
        if candidates is None:
            candidates = opening_positions(keys, firsts, openings)
        positions = [i for i in candidates
                     if (keys[i], keys[i + 1]) in openings
                     or (keys[i] not in by_first and (firsts[i], keys[i + 1]) in openings)]
        return self._longest_names(keys, firsts, positions, ends) if positions else []


def opening_positions(keys: Sequence[str], firsts: Sequence[str],
                      openings: set[tuple[str, str]]) -> list[int]:
    """The positions, in order, where (key, next key) or (first form, next key) is in
    `openings` (`Gazetteer.openings`, or several lists' together)."""
    following = keys[1:]
    positions = list(compress(count(), map(openings.__contains__, zip(keys, following))))
    loose = list(compress(count(), map(openings.__contains__, zip(firsts, following))))
    if loose:
        positions = sorted(set(positions).union(loose))
    return positions


def parse_gazetteer(text: str) -> Gazetteer:
    """``phrase<TAB>TYPE`` lines (``#`` comments) → Gazetteer keyed by `word_key`s."""
    gaz = Gazetteer()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        phrase, _, typ = line.partition("\t")
        typ = typ.strip()
        if typ:
            gaz.add(_phrase_key(phrase.strip()), typ)
    return gaz


@lru_cache(maxsize=1)
def load_triggers() -> dict[str, str]:
    return parse_triggers(resource_text(TRIGGERS_NAME))


@cache
def load_gazetteer(name: str) -> Gazetteer:
    """A shipped gazetteer, parsed (or as parsed before: `khabar.compiled`)."""
    data = resources.files("khabar.resources").joinpath("ner", name).read_bytes()
    sources = _parser_sources()
    return compiled(f"ner-{name}", None if sources is None else (data, *sources),
                    lambda: parse_gazetteer(data.decode("utf-8")),
                    check=lambda value: type(value) is Gazetteer)


@cache
def _parser_sources() -> tuple[bytes, ...] | None:
    """The source of the code whose output `compiled` keeps: this module (the parsers,
    `word_key`, `Gazetteer`), the CRF's arrays, the text functions `word_key` calls (the whole
    `khabar.text` package) and `khabar.compiled`; None where a source cannot be read (an
    install without .py files): then nothing is kept."""
    names = (__name__, "khabar.extract.fast_crf", "khabar.text", "khabar.text.normalize",
             "khabar.text.sentences", "khabar.text.tokens",
             "khabar.compiled")  # all imported by this module
    try:
        return tuple(Path(sys.modules[name].__file__ or "").read_bytes() for name in names)
    except (KeyError, OSError, TypeError):
        return None


# --------------------------------------------------------------------------- features


def _shape(word: str, norm: str) -> str:
    if _DIGITS.match(norm):
        return "num"
    if _PUNCT.match(norm):
        return "p:" + norm[:3]
    if _LATIN.search(norm):
        return "lat"
    if not _ARABIC_LETTERS.search(norm):
        return "oth"
    n = len(norm)
    return "ar" + (str(n) if n < 4 else "4" if n < 6 else "6" if n < 9 else "9")


class FeatureExtractor:
    """Turns a sentence of words into CRF feature lists; per-word work is cached."""

    CONTEXT = (-2, -1, 1, 2)

    def __init__(
        self,
        triggers: dict[str, str],
        gazetteers: Sequence[tuple[str, Gazetteer]],
        clusters: dict[str, str] | None = None,
        lexicon: dict[str, dict[str, int]] | None = None,
    ) -> None:
        self.triggers = triggers
        self.gazetteers = list(gazetteers)
        self.clusters = clusters or {}
        self.lexicon = lexicon or {}
        self.neighbor_affixes = NEIGHBOR_AFFIXES
        self._cache: dict[str, tuple] = {}
        self._all_openings: tuple[tuple[int, ...], set[tuple[str, str]]] = ((), set())
        self._gaz_rows: dict[tuple[str, int], dict[str, tuple[int, int, int]]] = {}
        # word -> (stem, trigger class, word class, first-word key): what tagging needs of a
        # word once its feature rows are cached (`CachedCrf`); the full features are large
        self._keys: GenerationalCache[str, tuple[str, str, str, str, str]] = GenerationalCache(
            self.KEYS_GENERATION)

    #: Words per generation of the cache of `word_keys` (as `CachedCrf.GENERATION`).
    KEYS_GENERATION = 300_000

    # per-word -------------------------------------------------------------
    def word_keys(self, word: str) -> tuple[str, str, str, str, str]:
        """(stem, trigger class, word class, first-word key, `word_key`) of `word`, cached."""
        keys = self._keys.get(word)
        if keys is None:
            keys = _slim(self._word_info(word))
            self._keys.put(word, keys)
        return keys

    def trim(self) -> None:
        """Bound the caches; call between documents."""
        self._keys.age()

    def word_info(self, word: str) -> tuple:
        """Everything about a word: (features, context features by offset, stem, trigger
        class, shape, word class, first-word key, `word_key`); cached, for training and the
        string path."""
        info = self._cache.get(word)
        if info is None:
            info = self._word_info(word)
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[word] = info
        return info

    def _word_info(self, word: str) -> tuple:
        # the word normalized and split as `tokenize` splits it, remembered there (a later
        # stage tokenizing the same article finds it, instead of normalizing it again); a
        # word whose normalized form has spaces at its ends, or nothing, is stripped here
        normalized, prefixes, stem = word_parts(word)
        if not normalized or normalized[0].isspace() or normalized[-1].isspace():
            normalized = normalized.strip()
            prefixes, stem = split_clitics(normalized or word)
        norm = normalized or word
        # A looser stem: also a single و/ب/ل/ك/ف in front of a long word (a second opinion only).
        loose = stem
        if (
            not prefixes
            and len(norm) >= LOOSE_MIN_LEN
            and norm[0] in "وبلكف"
            and _ARABIC_LETTERS.fullmatch(norm)
        ):
            loose = norm[1:]
        # a name's first word with a glued conjunction or preposition (`وعلي الحجار`): only
        # ever tried as the start of a multi-word gazetteer name, so shorter words qualify
        first = loose
        if (first == stem and not prefixes and len(norm) >= FIRST_MIN_LEN
                and norm[0] in "وبلكف" and _ARABIC_LETTERS.fullmatch(norm)):
            first = norm[1:]
        shape = _shape(word, norm)
        trig = self.triggers.get(stem) or self.triggers.get(norm)
        f = [
            "bias",
            "w=" + word,
            "n=" + norm,
            "s=" + stem,
            "sh=" + shape,
            "px=" + "+".join(prefixes),
        ]
        if loose != stem:
            f.append("ls=" + loose)
        for k in (1, 2, 3, 4):
            if len(stem) > k:
                f.append(f"p{k}=" + stem[:k])
                f.append(f"s{k}=" + stem[-k:])
        if CHAR_NGRAMS and len(stem) > 3 and shape.startswith("ar"):
            padded = "<" + stem + ">"
            f.extend({"c3=" + padded[i : i + 3] for i in range(len(padded) - 2)})
        if norm.startswith("ال"):
            f.append("al")
        if trig:
            f.append("tr=" + trig)
        gz = []
        for src, gaz in self.gazetteers:
            t = gaz.single(stem)
            if t is None and loose != stem:
                t = gaz.single(loose)
            if t is not None:
                gz.append(f"g{src}={t}")
        f.extend(gz)
        lx = lexicon_features(self.lexicon.get(stem))
        f.extend(lx)
        cl = self._cluster_feats(norm, stem) if self.clusters else ()
        f.extend(cl)
        # context versions (prefixed by offset)
        ctx_base = ["n=" + norm, "s=" + stem, "sh=" + shape]
        if self.neighbor_affixes and len(stem) > 3:
            ctx_base += ["p2=" + stem[:2], "s2=" + stem[-2:], "s3=" + stem[-3:]]
        if trig:
            ctx_base.append("tr=" + trig)
        ctx_base.extend(gz)
        ctx_base.extend(v for v in lx if v.startswith("ld="))
        ctx_base.extend(v for v in cl if v.startswith("cw"))
        ctx = {}
        for off in self.CONTEXT:
            prefix = f"{off:+d}"
            if abs(off) == 2:
                ctx[off] = tuple(prefix + v for v in ctx_base if not v.startswith("n="))
            else:
                ctx[off] = tuple(prefix + v for v in ctx_base)
        # a coarse class of the word for conjunction features: ال or not, known or not,
        # majority tag in the training data, name-gazetteer hit
        known = "k" if self.lexicon.get(stem) else "u"
        ld = next((v[3:] for v in lx if v.startswith("ld=")), "")
        wclass = ("al" if norm.startswith("ال") else "na") + known + ld + (gz[0] if gz else "")
        # the word's `word_key` is its stem, but for a word that normalizes to nothing
        return (tuple(f), ctx, stem, trig or "", shape, wclass, first, stem if normalized else "")

    def _cluster_feats(self, norm: str, stem: str) -> tuple[str, ...]:
        """Clusters of the word's pieces (clusters.tsv): whole word, else first/last piece."""
        clusters = self.clusters
        for form in (norm, stem):
            cl = clusters.get("_" + form)
            if cl is not None:
                fine, _, coarse = cl.partition(" ")
                return ("cw=" + fine, "cwc=" + coarse)
        out = []
        for k in range(min(len(stem), 8), 1, -1):
            cl = clusters.get("_" + stem[:k])
            if cl is not None:
                out.append("cf=" + cl.partition(" ")[0])
                break
        for k in range(min(len(stem) - 1, 6), 1, -1):
            cl = clusters.get(stem[-k:])
            if cl is not None:
                out.append("cl=" + cl.partition(" ")[0])
                break
        return tuple(out)

    # per-sentence ---------------------------------------------------------
    def sentence_features(self, words: Sequence[str]) -> list[list[str]]:
        infos, edges, rest = self._sentence_parts(words)
        n = len(infos)
        out: list[list[str]] = []
        for i in range(n):
            feats = list(infos[i][0])
            feats.extend(edges[i])
            for off in self.CONTEXT:
                j = i + off
                if 0 <= j < n:
                    feats.extend(infos[j][1][off])
            feats.extend(rest[i])
            out.append(feats)
        return out

    def document_emissions(self, sentences: Sequence[Sequence[str]], crf: CachedCrf,
                           keys_out: list[tuple[str, str, str, str, str]] | None = None) -> np.ndarray:
        """Emission scores of every token of `sentences`, one row per token in order: the
        summed weights of the features `sentence_features` gives. The groups of features that
        belong to a word (itself, and as a neighbour at -2, -1, +1, +2) are summed once per
        distinct word (`CachedCrf.group_rows`) and added for the whole document by array
        gathers; the features that depend on the sentence (position, bigrams, the trigger
        before, class conjunctions, multi-word gazetteer matches) are found by pair lookups
        instead of built strings, over the whole document at once (the pairs that straddle two
        sentences masked). Each token's rows are added in the order of `sentence_features`, so
        the sums are the same floats. `keys_out`, when given, is extended with each token's
        `word_keys`, in order."""
        if self.CONTEXT != (-2, -1, 1, 2):  # the columns below are built by position
            raise NotImplementedError("document_emissions assumes the context offsets -2, -1, +1, +2")
        words = list(chain.from_iterable(sentences))
        infos: list[tuple[str, str, str, str, str]] = list(map(self._keys.young.get, words))
        word_rows: list[tuple[int, ...] | None] = list(map(crf.cached_groups.get, words))
        if None in infos or None in word_rows:  # words the young generations lack, in order
            for i, w in enumerate(words):
                if infos[i] is None or word_rows[i] is None:
                    infos[i], word_rows[i] = self._word_miss(w, crf)
        if keys_out is not None:
            keys_out.extend(infos)
        total = len(infos)
        if not total:
            return np.zeros((0, len(crf.labels)))
        if crf.kernel is not None:
            return self._kernel_emissions(sentences, infos, word_rows, crf)  # type: ignore[arg-type]
        lengths = np.fromiter(map(len, sentences), dtype=np.intp, count=len(sentences))
        starts = np.cumsum(lengths) - lengths
        position = np.arange(total) - np.repeat(starts, lengths)  # index in its sentence
        after = np.repeat(lengths, lengths) - 1 - position  # words after it in its sentence
        groups = np.fromiter(chain.from_iterable(word_rows), dtype=np.intp,
                             count=5 * total).reshape(total, 5)  # (token, own / -2 / -1 / +1 / +2)
        zero = crf.zero_row
        first = position == 0  # a sentence's first token (empty sentences hold none)
        last = after == 0
        # a word's row as a neighbour at offset k goes to the token k places away, if that
        # token is in the same sentence
        before2 = np.full(total, zero, dtype=np.intp)
        before2[2:] = groups[:-2, 1]
        before2[position < 2] = zero
        before1 = np.full(total, zero, dtype=np.intp)
        before1[1:] = groups[:-1, 2]
        before1[first] = zero
        after1 = np.full(total, zero, dtype=np.intp)
        after1[:-1] = groups[1:, 3]
        after1[last] = zero
        after2 = np.full(total, zero, dtype=np.intp)
        after2[:-2] = groups[2:, 4]
        after2[after < 2] = zero
        # (positions or None for every token, rows), added in this order: each token's rows
        # in the order `sentence_features` lists its features (the same float sums)
        steps: list[tuple[Any, Any]] = [(None, before2), (None, before1), (None, after1),
                                        (None, after2)]

        attributes = crf.attributes
        # the sentence's first and last words
        bos, eos = attributes.get("BOS", zero), attributes.get("EOS", zero)
        steps.append((first, bos))
        steps.append((last, eos))
        # word bigrams (few pairs are features: looked up pair by pair) and class pairs (most
        # are: two columns from a table of class pairs): ``-1=prev|this`` on the second word
        # of a pair, ``+1=prev|this`` on the first
        keys = list(map(_STEM, infos))
        bigrams = crf.pair_rows(("b-1=", "b+1="))
        found = list(map(bigrams.get, pairwise(keys)))
        if any(found):
            starting = first.tolist()
            on_second: tuple[list[int], list[int]] = ([], [])
            on_first: tuple[list[int], list[int]] = ([], [])
            for i in compress(count(1), found):
                if not starting[i]:
                    pair = found[i - 1]
                    on_second[0].append(i)
                    on_second[1].append(pair[0])
                    on_first[0].append(i - 1)
                    on_first[1].append(pair[1])
            if on_second[0]:
                steps.append(on_second)
                steps.append(on_first)
        if CONJUNCTIONS and total > 1:
            ids, on_second_rows, on_first_rows = crf.pair_grid(("wc-1=", "wc+1="))
            other = len(ids)  # a class no pair of the model holds
            cls = np.fromiter(map(ids.get, map(_WCLASS, infos), repeat(other)), dtype=np.intp,
                              count=total)
            column = np.empty(total, dtype=np.intp)
            column[0] = zero
            column[1:] = on_second_rows[cls[:-1], cls[1:]]
            column[first] = zero
            steps.append((None, column))
            column = np.empty(total, dtype=np.intp)
            column[-1] = zero
            column[:-1] = on_first_rows[cls[:-1], cls[1:]]
            column[last] = zero
            steps.append((None, column))
        steps.extend(self._sentence_steps(infos, keys, lengths.tolist(), crf))
        return crf.add_rows(groups[:, 0], steps)

    def _kernel_emissions(self, sentences: Sequence[Sequence[str]],
                          infos: list[tuple[str, str, str, str, str]],
                          word_rows: list[tuple[int, ...]], crf: CachedCrf) -> np.ndarray:
        """`document_emissions`' sums in C (`crf.kernel`): the same rows added in the same
        order, so the same floats."""
        total = len(infos)
        lengths = list(map(len, sentences))
        keys = list(map(_STEM, infos))
        zero = crf.zero_row
        attributes = crf.attributes
        if CONJUNCTIONS and total > 1:
            ids, on_second_rows, on_first_rows = crf.pair_grid(("wc-1=", "wc+1="))
            classes: list[str] | None = list(map(_WCLASS, infos))
        else:
            ids, on_second_rows, on_first_rows, classes = {}, None, None, None
        out = np.empty((total, len(crf.labels)))
        crf.kernel.document_rows(  # type: ignore[union-attr]
            crf.table(), out, word_rows, lengths, zero, attributes.get("BOS", zero),
            attributes.get("EOS", zero), keys, crf.pair_rows(("b-1=", "b+1=")), classes, ids,
            len(ids), on_second_rows, on_first_rows, infos, crf.prefixed_rows("trb="),
            crf.pair_rows(("trbc=",)) if CONJUNCTIONS else None,
            self._gazetteer_steps(infos, keys, lengths, list(accumulate(lengths)), crf))
        return out

    def _sentence_steps(self, infos: list[tuple[str, str, str, str, str]], keys: list[str],
                        lengths: list[int], crf: CachedCrf) -> list[tuple[list[int], list[int]]]:
        """The sparse steps of `document_emissions` that come last: the nearest trigger in
        the three words before and its class conjunction, then the multi-word gazetteer
        names (`_gazetteer_steps`)."""
        steps: list[tuple[list[int], list[int]]] = []
        zero = crf.zero_row
        attributes = crf.attributes
        ends = list(accumulate(lengths))
        # the nearest trigger in the three words before (in the sentence), and its class
        # conjunction with the word's class
        triggered = list(compress(count(), map(_TRIGGER, infos)))
        if triggered:
            at: list[int] = []
            trigger: list[int] = []
            trigger_class: list[int] = []
            trigger_classes = crf.pair_rows(("trbc=",))
            for k, j in enumerate(triggered):
                stop = min(j + 3, ends[bisect_right(ends, j)] - 1)  # the sentence's last word
                if k + 1 < len(triggered):
                    stop = min(stop, triggered[k + 1])
                trig = infos[j][1]
                row = attributes.get("trb=" + trig, zero)
                for i in range(j + 1, stop + 1):
                    at.append(i)
                    trigger.append(row)
                    if CONJUNCTIONS:
                        trigger_class.append(trigger_classes.get((trig, infos[i][2]), (zero,))[0])
            if at:
                steps.append((at, trigger))
                if CONJUNCTIONS:
                    steps.append((at, trigger_class))
        steps.extend(self._gazetteer_steps(infos, keys, lengths, ends, crf))
        return steps

    def _gazetteer_steps(self, infos: list[tuple[str, str, str, str, str]], keys: list[str],
                         lengths: list[int], ends: list[int], crf: CachedCrf
                         ) -> list[tuple[list[int], list[int]]]:
        """Multi-word gazetteer names: ``G`` on each of its words, ``-1G`` on the word after,
        ``+1G`` on the word before (in the sentence), as (positions, rows) steps, each list in
        turn."""
        steps: list[tuple[list[int], list[int]]] = []
        gazetteers = [(src, gaz) for src, gaz in self.gazetteers if gaz.by_first]
        if gazetteers:
            looses = list(map(_LOOSE, infos))
            candidates = opening_positions(keys, looses, self._openings(gazetteers))
            for src, gaz in gazetteers:
                found_names = gaz.document_matches(keys, looses, ends, candidates) \
                    if candidates else ()
                if not found_names:
                    continue
                rows_of = self._gazetteer_rows(src, crf)
                # (positions, rows) of -1G, G and +1G
                on_before: tuple[list[int], list[int]] = ([], [])
                on_word: tuple[list[int], list[int]] = ([], [])
                on_after: tuple[list[int], list[int]] = ([], [])
                for i, stop, typ in found_names:
                    sentence = bisect_right(ends, i)
                    end = ends[sentence]
                    base = end - lengths[sentence]  # the sentence's first word
                    for j in range(i, stop):
                        row, before_row, after_row = rows_of(("B-" if j == i else "I-") + typ)
                        on_word[0].append(j)
                        on_word[1].append(row)
                        if j + 1 < end:
                            on_before[0].append(j + 1)
                            on_before[1].append(before_row)
                        if j > base:
                            on_after[0].append(j - 1)
                            on_after[1].append(after_row)
                steps.extend(step for step in (on_before, on_word, on_after) if step[0])
        return steps

    def _openings(self, gazetteers: Sequence[tuple[str, Gazetteer]]) -> set[tuple[str, str]]:
        """The `openings` of all `gazetteers` together (remembered while their sizes stay)."""
        sizes = tuple(len(gaz.openings) for _, gaz in gazetteers)
        if self._all_openings[0] != sizes:
            self._all_openings = (sizes, set().union(*(gaz.openings for _, gaz in gazetteers)))
        return self._all_openings[1]

    def _gazetteer_rows(self, src: str, crf: CachedCrf) -> Callable[[str], tuple[int, int, int]]:
        """For a tag of gazetteer `src` (``B-PER``), the rows of ``G``, ``-1G`` and ``+1G``
        (remembered per tag)."""
        memo = self._gaz_rows.setdefault((src, id(crf)), {})

        def rows(tag: str) -> tuple[int, int, int]:
            got = memo.get(tag)
            if got is None:
                zero = crf.zero_row
                got = memo[tag] = (crf.attributes.get(f"G{src}={tag}", zero),
                                   crf.attributes.get(f"-1G{src}={tag}", zero),
                                   crf.attributes.get(f"+1G{src}={tag}", zero))
            return got
        return rows

    def _word_miss(self, word: str, crf: CachedCrf
                   ) -> tuple[tuple[str, str, str, str, str], tuple[int, ...]]:
        """`word_keys` and `crf`'s cached rows of a word the young generations lack."""
        keys = self._keys.get(word)
        rows = crf.groups.get(word)
        if keys is None or rows is None:
            info = self._word_info(word)  # not cached: the rows and keys are what is kept
            if keys is None:
                keys = _slim(info)
                self._keys.put(word, keys)
            if rows is None:
                context = info[1]
                rows = crf.group_rows(word, (info[0], *map(context.__getitem__, self.CONTEXT)))
        return keys, rows

    def _sentence_parts(
        self, words: Sequence[str]
    ) -> tuple[list[tuple], list[list[str]], list[list[str]]]:
        """Per word: its cached info, and the features that depend on the sentence (position
        first, then bigrams, the trigger before, class conjunctions, multi-word gazetteer
        matches)."""
        infos = [self.word_info(w) for w in words]
        n = len(infos)
        keys = [inf[2] for inf in infos]
        looses = [inf[6] for inf in infos]
        gaz_tags = [(src, gaz.matches(keys, looses)) for src, gaz in self.gazetteers
                    if gaz.by_first]
        edges: list[list[str]] = []
        rest: list[list[str]] = []
        for i in range(n):
            inf = infos[i]
            edge = []
            if i == 0:
                edge.append("BOS")
            if i == n - 1:
                edge.append("EOS")
            edges.append(edge)
            feats: list[str] = []
            if i > 0:
                feats.append("b-1=" + keys[i - 1] + "|" + keys[i])
            if i + 1 < n:
                feats.append("b+1=" + keys[i] + "|" + keys[i + 1])
            # nearest trigger in the 3 words before
            for j in range(i - 1, max(-1, i - 4), -1):
                if infos[j][3]:
                    feats.append("trb=" + infos[j][3])
                    if CONJUNCTIONS:
                        feats.append("trbc=" + infos[j][3] + "|" + inf[5])
                    break
            if CONJUNCTIONS:
                if i > 0:
                    feats.append("wc-1=" + infos[i - 1][5] + "|" + inf[5])
                if i + 1 < n:
                    feats.append("wc+1=" + inf[5] + "|" + infos[i + 1][5])
            for src, tags in gaz_tags:
                t = tags[i]
                if t is not None:
                    feats.append(f"G{src}={t}")
                if i > 0 and tags[i - 1] is not None:
                    feats.append(f"-1G{src}={tags[i - 1]}")
                if i + 1 < n and tags[i + 1] is not None:
                    feats.append(f"+1G{src}={tags[i + 1]}")
            rest.append(feats)
        return infos, edges, rest


def _slim(info: tuple) -> tuple[str, str, str, str, str]:
    # the word's `word_key` too (the stem but for a word that normalizes to nothing, which
    # `_word_info` found without normalizing the word again): the known-names passes read it
    # for every token, here once per word the cache holds
    return info[2], info[3], info[5], info[6], info[7]


# the parts of a word's `_slim` keys, as functions for `map`
_STEM, _TRIGGER, _WCLASS, _LOOSE, _WORD_KEY = (itemgetter(k) for k in range(5))


def _bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2" if n < 4 else "4" if n < 10 else "10"


@lru_cache(maxsize=1 << 16)
def _lex_feats(items: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    counts = dict(items)
    total = sum(counts.values())
    o = counts.get("O", 0)
    feats = ["lf=" + _bucket(total)]
    ratio_o = o / total
    feats.append("lo=" + ("1" if ratio_o == 1 else "h" if ratio_o >= 0.5 else "l" if o else "0"))
    ents = [(c, t) for t, c in counts.items() if t != "O"]
    if ents:
        c, t = max(ents)
        r = c / total
        feats.append("ld=" + t + ("" if r >= 0.5 else "?"))
    return tuple(feats)


def lexicon_features(counts: dict[str, int] | None) -> tuple[str, ...]:
    """Features from how often a word (key) was seen with each tag in the training data."""
    if not counts:
        return ("lf=0",)
    return _lex_feats(tuple(sorted(counts.items())))


def parse_lexicon(text: str) -> dict[str, dict[str, int]]:
    """``key<TAB>TAG:count TAG:count ...`` lines (``#`` comments) → {key: {tag: count}}."""
    out: dict[str, dict[str, int]] = {}
    for raw in text.splitlines():
        if not raw or raw.startswith("#"):
            continue
        key, _, rest = raw.partition("\t")
        counts = {}
        for item in rest.split():
            tag, _, c = item.rpartition(":")
            counts[tag] = int(c)
        if counts:
            out[key] = counts
    return out


# --------------------------------------------------------------------------- model


def parse_clusters(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in text.splitlines():
        if not raw or raw.startswith("#"):
            continue
        word, _, cl = raw.partition("\t")
        if cl:
            out[word] = cl.strip()
    return out


@lru_cache(maxsize=1)
def load_extractor() -> FeatureExtractor:
    gazetteers = []
    for name, src in GAZETTEER_FILES:
        try:
            gazetteers.append((src, load_gazetteer(name)))
        except FileNotFoundError:
            continue
    try:
        clusters = parse_clusters(resource_text("clusters.tsv"))
    except FileNotFoundError:
        clusters = {}
    try:
        lexicon = parse_lexicon(resource_text(LEXICON_NAME))
    except FileNotFoundError:
        lexicon = {}
    return FeatureExtractor(load_triggers(), gazetteers, clusters, lexicon)


_local = threading.local()


def _tagger():
    """The CRF tagger, loaded once per thread (a crfsuite Tagger is not thread-safe)."""
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        path = resources.files("khabar.resources").joinpath("ner", MODEL_NAME)
        with resources.as_file(path) as real_path:
            tagger.open(str(real_path))
        _local.tagger = tagger
    return tagger


def _is_crf_model(value: object) -> bool:
    """What `CachedCrf.model_of` returns: (labels, {attribute: row}, weights, transitions)."""
    if not (isinstance(value, tuple) and len(value) == 4):
        return False
    labels, attributes, weights, transitions = value
    return (isinstance(labels, list) and isinstance(attributes, dict)
            and isinstance(weights, np.ndarray) and isinstance(transitions, np.ndarray)
            and weights.shape == (len(attributes) + 1, len(labels))
            and transitions.shape == (len(labels), len(labels)))


def _fast_crf() -> CachedCrf:
    """The shipped CRF's weights as arrays (see fast_crf), once per thread like the tagger
    (read out of the tagger once, then kept compiled: `khabar.compiled`)."""
    crf = getattr(_local, "fast_crf", None)
    if crf is None:
        data = resources.files("khabar.resources").joinpath("ner", MODEL_NAME).read_bytes()
        sources = _parser_sources()
        model = compiled(f"crf-{MODEL_NAME}", None if sources is None else (data, *sources),
                         lambda: CachedCrf.model_of(_tagger()), check=_is_crf_model)
        crf = CachedCrf(model=model)
        _local.fast_crf = crf
    return crf


def _tag_features(feats: list[list[str]]) -> list[str]:
    if not feats:
        return []
    return list(_tagger().tag(feats))


def tag_tokens(tokens: list[str]) -> list[str]:
    """BIO tags (ANERcorp labels: B-PERS, I-LOC, ...) for one pre-tokenized sentence."""
    return tag_sentences([tokens])[0] if tokens else []


def tag_sentences(sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """`tag_tokens` for many sentences at once: the same tags (no document pass), with the
    array work and the Viterbi steps shared by all of them."""
    return tag_documents([sentences], consistency=False)[0] if sentences else []


# --------------------------------------------------------------------------- document pass


def bio_to_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` token spans from BIO tags, conlleval-style (a stray I- starts one)."""
    if tags.count("O") == len(tags):  # most sentences name no one: counted at C speed
        return []
    # The document passes read the same sentence's tags again and again (~350 calls an article
    # for ~25 different tag sequences): the spans are kept by the tags' content, and each
    # caller gets its own list (some pop from it).
    key = tuple(tags)
    found = _SPANS_SEEN.get(key)
    if found is None:
        found = _bio_spans(key)
        if len(_SPANS_SEEN) >= _SPANS_SEEN_MAX:
            _SPANS_SEEN.clear()
        _SPANS_SEEN[key] = found
    return list(found)


#: Spans by tag sequence, for `bio_to_spans`; emptied when full (a few articles' sentences).
_SPANS_SEEN: dict[tuple[str, ...], tuple[tuple[int, int, str], ...]] = {}
_SPANS_SEEN_MAX = 4096


def _bio_spans(tags: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    spans: list[tuple[int, int, str]] = []
    start = -1
    typ = ""
    last = -1  # the tag before, if not O
    for i in compress(count(), map(_NOT_O, tags)):  # most words are O: skipped at C speed
        if start >= 0 and i != last + 1:  # an O ended the span
            spans.append((start, last + 1, typ))
            start = -1
        prefix, _, t = tags[i].partition("-")
        if start >= 0 and (prefix != "I" or t != typ):
            spans.append((start, i, typ))
            start = -1
        if prefix == "B" or (prefix == "I" and start < 0):
            start, typ = i, t
        last = i
    if start >= 0:  # open until the last tag that is not O
        spans.append((start, last + 1, typ))
    return tuple(spans)


_NOT_O = "O".__ne__


#: Words never taken as a one-word entity by the document pass (too ambiguous alone).
_DOC_MIN_KEY_LEN = 3


def document_consistency(
    sentences: Sequence[Sequence[str]],
    tags: list[list[str]],
    extractor: FeatureExtractor | None = None,
    infos: Sequence[Sequence[tuple[str, str, str, str, str]]] | None = None,
) -> list[list[str]]:
    """Tag again, with the same type, word sequences the first pass tagged elsewhere in the doc.

    Only untagged (all ``O``) stretches are changed; an entity string must have been tagged at
    least once and mostly with one type. `infos`, when given, are the sentences' `word_keys`
    (as `document_emissions` collects them), so they are not looked up again.
    """
    if extractor is None:
        extractor = load_extractor()
    if infos is None:
        extractor.trim()
        infos = [[extractor.word_keys(w) for w in sent] for sent in sentences]
    keys = [list(map(_STEM, sent)) for sent in infos]
    votes: dict[tuple[str, ...], dict[str, int]] = {}
    for sk, st in zip(keys, tags):
        for s, e, t in bio_to_spans(st):
            phrase = tuple(sk[s:e])
            votes.setdefault(phrase, {}).setdefault(t, 0)
            votes[phrase][t] += 1
    if not votes:
        return tags
    known: dict[tuple[str, ...], str] = {}
    for phrase, v in votes.items():
        if len(phrase) == 1 and len(phrase[0]) < _DOC_MIN_KEY_LEN:
            continue
        if extractor.triggers.get(phrase[0]) and len(phrase) == 1:
            continue
        typ, count = max(v.items(), key=lambda kv: kv[1])
        if count * 2 > sum(v.values()):
            known[phrase] = typ
    # count how often each known phrase appears untagged, to skip common words
    gaz = Gazetteer(known)
    singles = {phrase[0] for phrase in known if len(phrase) == 1}
    new_tags: list[list[str]] = []
    for sk, si, st in zip(keys, infos, tags):
        st = list(st)
        firsts = list(map(_LOOSE, si)) if DOC_FIRSTS else None
        found = gaz.matches(sk, firsts)
        if (not any(found) and singles.isdisjoint(sk)
                and (firsts is None or singles.isdisjoint(firsts))):
            new_tags.append(st)  # no known phrase in the sentence: the loop below would keep it
            continue
        # single-word entries too (Gazetteer.matches only does multi-word): handle here
        i = 0
        n = len(sk)
        while i < n:
            m = found[i]
            if m is not None and m.startswith("B-"):
                j = i + 1
                while j < n and found[j] is not None and found[j].startswith("I-"):
                    j += 1
                if all(t == "O" for t in st[i:j]):
                    typ = m[2:]
                    st[i] = "B-" + typ
                    for k in range(i + 1, j):
                        st[k] = "I-" + typ
                i = j
                continue
            if st[i] == "O":
                typ = known.get((sk[i],))
                if typ is None and firsts is not None and firsts[i] != sk[i]:
                    typ = known.get((firsts[i],))
                if typ is not None and (i + 1 >= n or not st[i + 1].startswith("I-")):
                    st[i] = "B-" + typ
            i += 1
        new_tags.append(st)
    return new_tags


def doc_features(
    sentences: Sequence[Sequence[str]],
    feats: list[list[list[str]]],
    tags: list[list[str]],
    extractor: FeatureExtractor,
) -> list[list[list[str]]]:
    """Second-pass features: the sentence features plus what the first pass said about the
    same words elsewhere in the document (other sentences)."""
    keys = [[extractor.word_info(w)[2] for w in sent] for sent in sentences]
    # key -> {sentence index -> set of types} ; phrase votes over the document
    key_types: dict[str, dict[int, set[str]]] = {}
    phrase_votes: dict[tuple[str, ...], dict[str, int]] = {}
    for si, (sk, st) in enumerate(zip(keys, tags)):
        for s, e, t in bio_to_spans(st):
            phrase = tuple(sk[s:e])
            votes = phrase_votes.setdefault(phrase, {})
            votes[t] = votes.get(t, 0) + 1
            for k in sk[s:e]:
                key_types.setdefault(k, {}).setdefault(si, set()).add(t)
    known = {
        p: max(v.items(), key=lambda kv: kv[1])[0]
        for p, v in phrase_votes.items()
        if len(p) > 1 or len(p[0]) >= _DOC_MIN_KEY_LEN
    }
    gaz = Gazetteer({p: t for p, t in known.items() if len(p) > 1})
    out: list[list[list[str]]] = []
    for si, (sk, st, sf) in enumerate(zip(keys, tags, feats)):
        multi = gaz.matches(sk)
        sent_out = []
        for i, k in enumerate(sk):
            f = list(sf[i])
            f.append("d1=" + st[i])
            other = key_types.get(k)
            if other:
                types = set()
                for sj, ts in other.items():
                    if sj != si:
                        types |= ts
                for t in sorted(types):
                    f.append("dk=" + t)
            single = known.get((k,))
            if single is not None:
                f.append("ds=" + single)
            if multi[i] is not None:
                f.append("dg=" + multi[i])
            if i > 0:
                f.append("d1-1=" + st[i - 1])
            if i + 1 < len(sk):
                f.append("d1+1=" + st[i + 1])
            sent_out.append(f)
        out.append(sent_out)
    return out


_local_doc = threading.local()


def _doc_tagger():
    """The second-pass (document) CRF, or None when it is not shipped."""
    tagger = getattr(_local_doc, "tagger", False)
    if tagger is False:
        tagger = None
        path = resources.files("khabar.resources").joinpath("ner", DOC_MODEL_NAME)
        if path.is_file():
            import pycrfsuite

            tagger = pycrfsuite.Tagger()
            with resources.as_file(path) as real_path:
                tagger.open(str(real_path))
        _local_doc.tagger = tagger
    return tagger


def tag_document(sentences: Sequence[Sequence[str]], consistency: bool = True) -> list[list[str]]:
    """Tag the sentences of one document; with `consistency`, run the document pass too
    (the second-pass CRF when shipped, then the consistency rule)."""
    return tag_documents([sentences], consistency=consistency)[0]


def _no_punctuation_starts(sentences: Sequence[Sequence[str]], tags: list[list[str]]) -> list[list[str]]:
    """`tags` where no name begins with a token of punctuation alone (a `-` before a name):
    ANERcorp's TRAIN tags such a token inside a name (a hyphen, an abbreviation's dot), never
    as its first; the name begins at the next token."""
    for words, sent_tags in zip(sentences, tags):
        if sent_tags.count("O") == len(sent_tags):  # most sentences name no one (C speed)
            continue
        for i, tag in enumerate(sent_tags):
            if tag[0] == "B" and not any(c.isalnum() for c in words[i]):
                sent_tags[i] = "O"
                if i + 1 < len(sent_tags) and sent_tags[i + 1] == "I" + tag[1:]:
                    sent_tags[i + 1] = tag
    return tags


#: Quotation marks: ANERcorp's TRAIN never tags one inside a name (`صحيفة " X "`: the name is X)
_QUOTE_MARKS = frozenset('"«»“”„‟')


def _quote_mark(word: str) -> bool:
    return bool(word) and all(c in _QUOTE_MARKS for c in word)


#: A word's first character, or "" (for `map`, at C speed).
_FIRST_CHARACTER = itemgetter(slice(None, 1))


def _holds_a_quote_mark(words: Sequence[str]) -> bool:
    """Whether some word of `words` is made of quotation marks only (`_quote_mark`): only a
    word that starts with one can be, so the words' first characters are looked at first."""
    return not _QUOTE_MARKS.isdisjoint(map(_FIRST_CHARACTER, words)) and any(map(_quote_mark, words))


@cache
def _kind_word(key: str) -> bool:
    """A word that says what kind of body or outlet a name is (منظمة، جمعية، صحيفة،
    وزارة ...: org_types.txt, media_heads.txt, org_heads.txt) and is no name by itself."""
    from khabar.extract.known_names import _heads, media_heads, organisation_type_keys

    return key in organisation_type_keys() or key in media_heads() or key in _heads()


def join_kind_words_and_letters(sentences: Sequence[Sequence[str]], tags: list[list[str]],
                                spaced: Sequence[Sequence[bool]] | None = None) -> list[list[str]]:
    """`tags` where Latin letters written with dots (`بي.بي.سي`, `بي. بي. سي.`), which the
    model tags piece by piece and type by type, are one name, and one with the kind word the
    model tagged as an ORG before them (`وكالة بي.بي.سي`, as TRAIN tags `وكالة رويترز`).
    `spaced[s][k]`: a space stands before word k of sentence s; after a dot and a space a
    letter belongs to the name only when a dot follows it too (`بي. بي. سي. إن الاجتماع`: the
    last إن is the particle)."""
    from khabar.text.sentences import LATIN_LETTER_NAMES

    for s_index, (words, st) in enumerate(zip(sentences, tags)):
        n = len(st)
        if st.count("B-ORG") > 1:  # two names of a body side by side, or none to join
            for k in range(1, n):
                # وكالة | بي بي سي (a known outlet added after the model): one name
                if (st[k] == "B-ORG" and st[k - 1] == "B-ORG" and _kind_word(word_key(words[k - 1]))
                        and not _kind_word(word_key(words[k]))):
                    st[k] = "I-ORG"
        # letters with dots: a dot as a word, not the sentence's last (a few words at most)
        dots = [k - 1 for k in range(1, n - 1) if words[k] == "."] if "." in words[:-1] else ()
        if not dots:
            continue
        gaps = spaced[s_index] if spaced is not None else [True] * n

        def short(x: int, words: Sequence[str] = words) -> bool:
            return 0 < len(words[x]) <= 3 and _ARABIC_LETTERS.fullmatch(words[x]) is not None

        def letter_after_dot(x: int, words: Sequence[str] = words, gaps: Sequence[bool] = gaps) -> bool:
            if not gaps[x]:
                return short(x, words) or words[x] in LATIN_LETTER_NAMES  # سي.آي.إيه
            return words[x] in LATIN_LETTER_NAMES and x + 1 < len(words) and words[x + 1] == "."

        k = 0
        for start in dots:  # the words before a dot, in order
            if start < k:  # inside a run of letters already joined
                continue
            k = start
            if not ((words[k] in LATIN_LETTER_NAMES or (short(k) and not gaps[k + 1]))
                    and letter_after_dot(k + 2)):
                continue
            end = k + 3
            while end + 1 < n and words[end] == "." and letter_after_dot(end + 1):
                end += 2
            types = [t[2:] for t in st[k:end] if t != "O"]
            if types:
                typ = types[0]
                joined = k > 0 and st[k - 1] == "B-ORG" and _kind_word(word_key(words[k - 1]))
                if joined:
                    typ = "ORG"  # وكالة بي.بي.سي
                st[k] = ("I-" if joined else "B-") + typ
                for x in range(k + 1, end):
                    st[x] = "I-" + typ
                if end < n and st[end].startswith("I-"):
                    st[end] = "B-" + st[end][2:]
            k = end
    return tags


def cut_at_quote_marks(sentences: Sequence[Sequence[str]], tags: list[list[str]]) -> list[list[str]]:
    """`tags` where no name holds a quotation mark. ANERcorp's TRAIN never tags one inside a
    name: `صحيفة " X "` and `جامعة « X »` name X, the kind word before the mark is none of it
    (or its own name). The model still runs a name over a mark now and then (`منظمة " الأمل`):
    the span is cut at every mark inside it; the words in the marks (or after an opening mark
    the span ends in) are the name; the words before the first mark stay a name of their own
    unless they are only kind words (`منظمة`, `جمعية`, `صحيفة`); words after a closing mark
    the model ran on into (`" الأمل " غير الحكومية`) are a description, no name."""
    for words, st in zip(sentences, tags):
        if st.count("O") == len(st) or not _holds_a_quote_mark(words):
            continue
        for s, e, typ in bio_to_spans(st):
            marks = [k for k in range(s, e) if _quote_mark(words[k])]
            if not marks:
                continue
            pieces = []  # (start, end, before the first mark, after a closing mark)
            edges = [s - 1, *marks, e]
            for n, (a, b) in enumerate(pairwise(edges)):
                if b - a > 1:
                    pieces.append((a + 1, b, n == 0 and a == s - 1, n >= 2))
            for k in range(s, e):
                st[k] = "O"
            for a, b, first, after_closing in pieces:
                if after_closing:
                    continue
                if first and all(_kind_word(word_key(w)) for w in words[a:b]):
                    continue
                st[a] = "B-" + typ
                for k in range(a + 1, b):
                    st[k] = "I-" + typ
    return tags


#: Words that end a name the model ran on into them (`الاتحاد الدولي … إن الألبوم`,
#: `ترامب ستنعكس`): conjunctions of reported speech and relative pronouns. TRAIN has إن/أن
#: inside a name only in spelt-out letters (`سي إن إن`, `أن أس أيه`), kept below
_CLAUSE_WORDS = frozenset(normalize_text(w) for w in (
    "إن أن أنه إنه أنها إنها بأن لأن وأن وإن الذي التي الذين اللذين اللتين اللواتي اللاتي"
    " والذي والتي والذين").split())
#: Words of people's trades that, with ال, begin a description of a person after a body's
#: name (`الاتحاد الدولي لصناعة الفونوغرامات المغني …`); with the PER_TITLE triggers
_TRADE_WORDS = frozenset(word_key(w) for w in (
    "المغني المغنية الموسيقار الملحن الملحنة النجم النجمة الشاعرة الروائية المخرجة اللاعبة"
    " المدربة المهاجم الحارس المصور الرسام الناشط الناشطة الداعية").split())


@cache
def _speech_verbs() -> frozenset[str]:
    """Reporting verbs (resources/extract/reporting_verbs.tsv: قال، أضاف، أكد ...) that TRAIN
    never saw inside a name (not `طالب` of `أبي طالب`, nor `بين`)."""
    from khabar.extract.quantities import load_table

    lexicon = load_extractor().lexicon
    out = set()
    for form, _lemma, kind in load_table("reporting_verbs.tsv"):
        if kind != "verb":
            continue
        counts = lexicon.get(word_key(form)) or {}
        if all(tag == "O" for tag in counts):
            out.add(normalize_text(form))
    return frozenset(out)


@cache
def future_verb(word: str) -> bool:
    """A verb in the future (ستنعكس، سيعقد، سنواصل، وسيبقى): س (after a glued و/ف) before
    the prefix of the present tense and a word TRAIN saw, never inside a name; the word itself
    no name TRAIN or the name lists know (ستالين، سيدني، سيرغي keep theirs)."""
    norm = normalize_text(word)
    if norm[:1] in "وف" and norm[1:2] == "س":
        norm = norm[1:]
    if len(norm) < 5 or norm[0] != "س" or norm[1] not in "يتنا":
        return False
    extractor = load_extractor()
    lexicon = extractor.lexicon
    key = word_key(norm)
    if any(tag != "O" for tag in lexicon.get(key) or {}):
        return False
    if any(gaz.single(key) or gaz.single(norm) for _src, gaz in extractor.gazetteers):
        return False
    rest = lexicon.get(word_key(norm[1:])) or lexicon.get(norm[1:])
    return bool(rest) and all(tag == "O" for tag in rest)


def _letters_spelt(words: Sequence[str], k: int) -> bool:
    """Is words[k] (إن، أن) one of letters spelt out (سي إن إن، أن أس أيه), not the إن
    after them (قالت سي إن إن إن …)?"""
    def letter(j: int) -> bool:
        norm = normalize_text(words[j]) if 0 <= j < len(words) else ""
        return 0 < len(norm) <= 2 and norm not in _CLAUSE_WORDS

    return letter(k - 1) or letter(k + 1) or (
        k >= 2 and normalize_text(words[k - 1]) in _CLAUSE_WORDS and letter(k - 2))


def _ends_a_name(words: Sequence[str], k: int, label: str, first: bool = False) -> bool:
    """Is words[k] a word no name of type `label` (PERS/ORG/LOC) holds: it ends one the model
    ran on into it."""
    norm = normalize_text(words[k])
    if norm in _CLAUSE_WORDS:
        return not _letters_spelt(words, k)
    core = norm[1:] if norm[:1] in "وف" and len(norm) > 3 else norm
    if label == "PERS" and _no_word_of_a_persons_name(words, k, first):
        return True
    return norm in _speech_verbs() or core in _speech_verbs() or future_verb(words[k])


# whom a person spoke to (وقالت نويرت للصحافيين): the listener, no word of the speaker's name
_LISTENERS = frozenset(normalize_text(w) for w in (
    "للصحافيين للصحفيين للصحافة للإعلاميين للاعلاميين للمراسلين لرويترز للتلفزيون للإذاعة").split())
_POSSESSIVE_ENDINGS = ("ها", "هم", "هما", "هن")
_ROYAL_TITLES = frozenset(normalize_text(w) for w in "الأمير الملك الشيخ السلطان الإمام".split())


def _no_word_of_a_persons_name(words: Sequence[str], k: int, first: bool = False) -> bool:
    """A listener (للصحافيين), a word with لل after the name's first word (محمد عدوية [للشارة]:
    ANERcorp's persons hold لل only glued to a name's first word, للزركلي) or as its first word
    before an ordinary word (للروسي سيرغي …), or an ordinary noun with a possessive ending
    (هيفاء [حديثها]: her talk)."""
    kind = _word_no_persons_name_holds(words[k], first)
    if kind == _LIL:
        # (مركز الأمير فيصل بن بندر للأورام: an institution named after a royal keeps its ل)
        return not any(normalize_text(w) in _ROYAL_TITLES for w in words[max(0, k - 6):k])
    return kind != 0


_LIL = 2


@lru_cache(maxsize=65536)
def _word_no_persons_name_holds(word: str, first: bool) -> int:
    """1 for a listener or a possessed ordinary noun, `_LIL` for a word with لل (no name's
    unless a royal's institution), 0 for a word a name may hold."""
    norm = normalize_text(word)
    if norm in _LISTENERS:
        return 1
    if norm.startswith("لل") and len(norm) > 4 and (not first or plain_word(word_key("ال" + norm[2:]))):
        return _LIL
    for ending in _POSSESSIVE_ENDINGS:
        # (a word with ال has no possessive ending: الصليهم is a surname)
        if norm.endswith(ending) and len(norm) - len(ending) >= 3 and not norm.startswith("ال"):
            stem = norm[: -len(ending)]
            stem = stem[:-1] + "ه" if stem.endswith("ت") else stem  # كلمتها: كلمة
            return 1 if plain_word(word_key(stem)) else 0
    return 0


@cache
def _person_words() -> frozenset[str]:
    return frozenset(k for k, c in load_triggers().items() if c == "PER_TITLE") | _TRADE_WORDS


def _person_word_after_a_name(words: Sequence[str], k: int) -> bool:
    """Is words[k] a person's title or trade written with ال (المغني، الرئيس، اللاعب) after a
    definite word: the description of a person that follows a body's complete name, not the
    genitive of its head (جامعة الملك سعود)?"""
    norm = normalize_text(words[k])
    return (k > 0 and norm.startswith("ال") and word_key(words[k]) in _person_words()
            and normalize_text(words[k - 1]).startswith(("ال", "وال", "لل")))


def _verbal_noun_after_an_adjective(words: Sequence[str], k: int) -> bool:
    """Is words[k] a verbal noun with ال right after a definite adjective of relation (البنك
    المركزي [التأمين] النقدي: the central bank cancelled the cash deposit): the verb's object
    after a body's complete name, since a noun after the name's adjective begins another
    phrase."""
    if k < 2:
        return False
    prev, norm = normalize_text(words[k - 1]), normalize_text(words[k])
    return (prev.startswith("ال") and len(prev) >= 6 and prev.endswith("ي")
            and norm.startswith("ال") and derived_verbal_noun(norm[2:]))


def cut_run_ons(sentences: Sequence[Sequence[str]], tags: list[list[str]]) -> list[list[str]]:
    """`tags` where a person's, body's or place's name ends before a word no name holds (see
    `_ends_a_name`: إن، أن، الذي، التي، قال، a future verb), and a body's name before a word
    of a person's trade or title written with ال after a definite word
    (`… لصناعة الفونوغرامات [المغني] البريطاني`; not `جامعة الملك سعود`, where the title
    is the construct's genitive). A name that begins with such a word loses it; after a verb
    the words the model ran on into are a name of their own (`… تضيف منيرة العجمي`: the verb
    before its subject), after إن or الذي none (`… إن الألبوم`). MISC (titles of works: a film
    may be called ستنفجر) is left as it is."""
    for words, st in zip(sentences, tags):
        if st.count("O") == len(st):
            continue
        spans = bio_to_spans(st)
        while spans:
            s, e, typ = spans.pop()
            if typ == "MISC":
                continue
            cut = next((k for k in range(s, e) if _ends_a_name(words, k, typ, k == s)), None)
            trade = None
            if typ == "ORG" and e - s >= 3:
                trade = next((k for k in range(s + 2, cut if cut is not None else e)
                              if _person_word_after_a_name(words, k) or _verbal_noun_after_an_adjective(words, k)), None)
            if trade is not None:
                cut = trade
            if cut is None:
                continue
            for k in range(cut, e):
                st[k] = "O"
            if trade is not None:
                continue
            rest = cut + 1
            if cut > s and normalize_text(words[cut]) in _CLAUSE_WORDS:
                continue  # … إن الألبوم: what follows is the clause's, no name
            if cut > s and typ == "PERS" and _no_word_of_a_persons_name(words, cut):
                continue  # سعيد أبو دهش [للجوالين الفائزين]: what the name ran on into is none
            while rest < e and _ends_a_name(words, rest, typ):
                rest += 1
            if rest < e:  # the name after the word (or the verb) is looked at again
                st[rest] = "B-" + typ
                for k in range(rest + 1, e):
                    st[k] = "I-" + typ
                spans.append((rest, e, typ))
    return tags


def tag_documents(documents: Sequence[Sequence[Sequence[str]]], consistency: bool = True,
                  word_keys_out: list[list[list[str]]] | None = None) -> list[list[list[str]]]:
    """`tag_document` for several documents at once: the same tags, with the sentences of
    all of them decoded together (a Viterbi step costs about the same for 30 sentences as
    for one, and one article's sentences are few). `word_keys_out`, when given, receives each
    document's `word_key`s sentence by sentence, as the tagger read them (left empty by a
    second-pass tagger)."""
    extractor = load_extractor()
    second = _doc_tagger() if consistency else None
    if second is not None:
        return [_tag_with_second_pass(sentences, extractor, second) for sentences in documents]
    crf = _fast_crf()
    parts = []
    lengths: list[int] = []
    keys: list[tuple[str, ...]] = []  # every token's word_keys, for the document pass
    collect = consistency or word_keys_out is not None
    for sentences in documents:
        # rows of words dropped at a trim may be reused: trim only between documents, each
        # document's scores summed before the next trim
        extractor.trim()
        crf.trim()
        parts.append(extractor.document_emissions(sentences, crf, keys if collect else None))
        lengths.extend(len(s) for s in sentences)
    flat = crf.tag_emissions(np.concatenate(parts) if len(parts) > 1 else parts[0], lengths) \
        if parts else []
    out = []
    start = 0
    token = 0
    for sentences in documents:
        tags = _no_punctuation_starts(sentences, flat[start : start + len(sentences)])
        start += len(sentences)
        if not collect:
            out.append(tags)
            continue
        infos = []
        for sentence in sentences:
            infos.append(keys[token : token + len(sentence)])
            token += len(sentence)
        if word_keys_out is not None:
            word_keys_out.append([list(map(_WORD_KEY, sentence)) for sentence in infos])
        out.append(document_consistency(sentences, tags, extractor, infos) if consistency else tags)
    return out


def _tag_with_second_pass(sentences: Sequence[Sequence[str]], extractor: FeatureExtractor,
                          second: Any) -> list[list[str]]:
    feats = [extractor.sentence_features(list(s)) if s else [] for s in sentences]
    tags = [_tag_features(f) for f in feats]
    dfeats = doc_features(sentences, feats, tags, extractor)
    tags = [list(second.tag(f)) if f else [] for f in dfeats]
    return document_consistency(sentences, tags, extractor)


# --------------------------------------------------------------------------- raw text


def find_entities(
    text: str, consistency: bool = True, known_names: bool = True
) -> list[EntitySpan]:
    """Named entities in raw `text`, with offsets into it (labels PER/ORG/LOC/MISC)."""
    return entities_in_spans(text, split_sentences(text), consistency=consistency,
                             known_names=known_names)


def entities_in_spans(
    text: str, spans: Iterable[tuple[int, int]], consistency: bool = True, known_names: bool = True
) -> list[EntitySpan]:
    """Entities in the given sentence spans of `text` (spans into `text`), as one document.
    With `known_names`, names and nationality-qualified organisations the model missed are
    added (see khabar.extract.known_names; not ANERcorp's conventions)."""
    return entities_in_documents([(text, spans)], consistency=consistency,
                                 known_names=known_names)[0]


_HASHTAG_MARKS = frozenset(("#", "_", "＃"))
# a news medium glued to the ل of the one told (قال أحمد سالم لبي بي سي): where a name the model
# tagged runs on into one, the name ends before it
_GLUED_AL = ("بال", "لل", "كال", "فال", "وال", "وبال", "ولل")


@cache
def _names_read_as_glued() -> frozenset[str]:
    """Names that only read as a glued letter and ال (والتر, فالنسيا): resources/ner."""
    return frozenset(normalize_text(line.strip()) for line in resource_text("names_read_as_glued.txt").splitlines()
                     if line.strip() and not line.startswith("#"))
_TOLD_MEDIA = frozenset(normalize_text(w) for w in (
    "لبي لسي لرويترز للجزيرة للعربية لفرانس لسكاي لسبوتنيك للحرة للميادين للأناضول للحدث لشبكة"
    " لوكالة لصحيفة لقناة لموقع لجريدة لمجلة لإذاعة لتلفزيون للتلفزيون للإذاعة للصحفيين").split())

# a glued letter and a name that is also a common noun: بحماس is "with enthusiasm" unless a word
# of belonging comes before it (عضو بحماس, مرتبطون بحماس)
_GLUED_COMMON = {normalize_text("بحماس"): frozenset(word_key(w) for w in (
    "عضو أعضاء عضوا عضوية علاقة علاقات صلة صلات مرتبط مرتبطون مرتبطين مرتبطة ارتباط اتصال"
    " اتصالات اتصاله قيادي قياديا مسؤول مسؤولا المرتبطة المرتبطين يرتبطون تربطه").split())}

# what a person sends or gives, which the model runs into the name before it (بعث الملك سلمان بن
# عبدالعزيز آل سعود برقية تهنئة): no name's word
_SENT = frozenset(normalize_text(w) for w in "برقية برقيتي برقيتين رسالة رسالتين تهنئة تعزية".split())
# the head of a role after a name (عبدالعزيز الفايز سفير خادم الحرمين): none is a name's word
_ROLE_HEADS = frozenset(normalize_text(w) for w in
                        "سفير وزير رئيس مدير مستشار محافظ عضو مندوب متحدث المتحدث ناطق الناطق نائب".split())
# kin after a name (سامر عادل حفيد حسن البنا: the grandson of another person)
_KIN = frozenset(normalize_text(w) for w in "حفيد حفيدة نجل نجلة شقيق شقيقة زوجة أرملة والد والدة".split())
# a prayer after a name (سلمان بن عبدالعزيز مد الله في عمره, … حفظه الله)
_PRAYERS = frozenset(normalize_text(w) for w in "مد حفظه حفظها رعاه يحفظه أيده رحمه رحمها".split())
_NO_NAME_WORD = _TOLD_MEDIA | _SENT | _ROLE_HEADS | _KIN | _PRAYERS  # a person's name stops before any


def _family_name_before_role(word: str) -> bool:
    """Can `word`, between a patronymic (بن إبراهيم) and the head of a role (سفير), be the
    family name (الفايز)? One word written with ال, in Arabic letters, no nationality
    adjective, weekday or other word that ends a name."""
    from khabar.extract.known_names import nationality_keys

    norm = normalize_text(word)
    return (norm.startswith("ال") and _ARABIC_LETTERS.fullmatch(norm) is not None
            and norm not in _NO_NAME_WORD and norm not in _WEEKDAYS
            and word_key(word) not in nationality_keys())

_TANWEEN = re.compile("[\u064b-\u064d]")


def _style_rule_word(text: str, start: int, end: int, sentence_start: int, sentence_end: int) -> bool:
    """Lower-case Latin words of a style sheet or a script left in the page's text (a property
    before its colon, a selector, any such word in a "sentence" of braces and semicolons): no
    names (mbc, snapchat, gsp in running text are)."""
    span = text[start:end]
    if not span.isascii() or any(c.isupper() for c in span):
        return False
    after = text[end:end + 3].lstrip()[:1]
    before = text[max(0, start - 3):start].rstrip()[-1:]
    if "_" in span or after in (":", "{") or before in ("{", ";", ".", "#"):
        return True
    sentence = text[sentence_start:sentence_end]  # only for the rare lower-case Latin span
    return sentence.count("{") + sentence.count("}") + sentence.count(";") >= 3


@cache
def _speech_participles() -> frozenset[str]:
    """The circumstantial forms that carry on a speaker's words (مبينا، مشيرا، موضحة):
    resources/extract/reporting_verbs.tsv. No name begins with one (”… مبينا انه “…: the model
    read the words after a closing quote mark as a title)."""
    from khabar.extract.quantities import load_table

    return frozenset(normalize_text(form) for form, _lemma, kind in load_table("reporting_verbs.tsv")
                     if kind == "continuation")


@cache
def _glued_speech_verbs() -> frozenset[str]:
    """Reporting verbs with a glued ف or و (فيرى، فقال، وأكد): the verb after a speaker's name,
    never a word of it (أما الفنان إبراهيم الألمعي فيرى أن …)."""
    from khabar.extract.quantities import load_table

    return frozenset(normalize_text(particle + form) for form, _lemma, kind in load_table("reporting_verbs.tsv")
                     if kind == "verb" for particle in "فو")


_GOD = frozenset(normalize_text(w) for w in "الله لله بالله والله تالله ولله فلله الرحمن الرحيم".split())
# agencies' tags after a dateline's city (كابل AFP -): Latin, but no thing's name
_AGENCY_TAGS = frozenset("AFP AP DPA UPI KUNA WAM SPA QNA MENA IRNA ANSA EFE".split())
_SCALES = frozenset(normalize_text(w) for w in "مقياس بمقياس لمقياس ومقياس".split())


def _given_name_then_surname(word: str, after: str) -> bool:
    """A given name of the name list that is no known place, then ال + a surname of the list
    that is no ordinary word (يونس العمراني): a person the model read as a place."""
    from khabar.extract.known_names import known_place_or_body

    names = load_gazetteer("gaz_names.tsv")
    if not (after.startswith("ال") and len(after) > 4) or names.single(normalize_text(word)) not in ("PGIV", "PNAM"):
        return False
    key = word_key(after)
    return (names.single(normalize_text(after[2:])) == "PSUR"
            and not (key in load_extractor().lexicon and plain_word(key))
            and not known_place_or_body([word], glued=False))


#: A place's name that is also a thing's, and the words after it that say it is the thing
#: (كابل بحري, كابل كهرباء, كابل USB: a cable; في كابل, العاصمة كابل: Kabul)
_THING_NOT_PLACE = {normalize_text("كابل"): frozenset({"latin", *(normalize_text(w) for w in (
    "كهرباء الكهرباء للكهرباء كهربائي بحري بحريا بحرية ضوئي الألياف ألياف مركب مركّب توصيل جديد"
    " يبلغ طوله نحاسي الإنترنت للإنترنت إنترنت شحن الشحن").split())})}


def _a_thing_not_a_place(word: str, after: str) -> bool:
    """A place's name that the word after it makes a thing's (كابل بحري, كابل USB; not كابل AFP)."""
    things = _THING_NOT_PLACE.get(normalize_text(word))
    if not things:
        return False  # nearly every entity: one dictionary look-up
    latin = after[:1].isascii() and after[:1].isalpha() and after.strip("().-") not in _AGENCY_TAGS
    return normalize_text(after) in things or (latin and "latin" in things)


#: A preposition with a pronoun (عليك, لديه, معها): never a name, whatever the model made of it.
#: Not with ي (علي, مني are names) nor لنا (a name too).
_PREPOSITION_PRONOUNS = frozenset(
    normalize_text(p + s) for p in ("على", "إلى", "لدى", "عن", "من", "في", "ب", "ل", "مع", "عند")
    for s in ("ك", "كم", "كما", "كن", "ه", "ها", "هم", "هما", "هن", "نا")
    if (p, s) != ("ل", "نا"))
#: God's name, which begins no name (والله الهادي إلى سواء السبيل, سائلاً الله التوفيق: the model
#: read a formula or a verb's object as a person or a thing)
_GOD_FIRST = _GOD - frozenset(normalize_text(w) for w in "الرحمن الرحيم".split())


@cache
def _months_not_names() -> frozenset[str]:
    """The first words of the Gregorian month names (khabar.resources month_names.tsv) less
    those that are also someone's or something's name (نيسان, تموز, جوان, آب)."""
    from importlib import resources as _resources

    text = (_resources.files("khabar.resources") / "month_names.tsv").read_text(encoding="utf-8")
    words = {normalize_text(line.split("\t")[0].split()[0]) for line in text.splitlines()
             if line.strip() and not line.startswith("#") and line.split("\t")[2] == "gregorian"}
    return frozenset(words - {normalize_text(w) for w in "نيسان تموز جوان آب اب".split()})

_BEFORE_A_MONTH = frozenset(normalize_text(w) for w in (
    "في من خلال منذ حتى شهر شهري مطلع منتصف نهاية أواخر أوائل بداية").split())


@cache
def _multipliers() -> frozenset[str]:
    """ألف, آلاف, مليون … (number_words.tsv's multipliers of a thousand and more)."""
    from khabar.extract.quantities import _number_words

    return frozenset(w for w, (value, kind) in _number_words().items() if kind == "multiplier" and value >= 1000)
_WEEKDAYS = frozenset(normalize_text(w) for w in weekday_names())
# the first word of a venue or firm named after its owner (استوديو فهد الكبيسي), besides the
# organisations' heads among the triggers
_VENUE_HEADS = frozenset(normalize_text(w) for w in
                         "استوديو ستوديو أستوديو مطعم فندق مقهى صالون مسرح متحف أكاديمية".split())


_RANKS = frozenset(word_key(w) for w in ("الفريق", "اللواء"))  # a body's head and a rank


def _a_body_head(word: str) -> bool:
    key = word_key(word)
    return (normalize_text(word) in _VENUE_HEADS
            or (load_triggers().get(key) == "ORG_HEAD" and key not in _RANKS))


_MOSQUE = frozenset(normalize_text(w) for w in "مسجد جامع".split())
_TIME_QUALIFIERS = frozenset(normalize_text(w) for w in "الماضي الماضية المقبل المقبلة الحالي الجاري".split())
_DAY_NOUNS = frozenset(normalize_text(w) for w in "يوم ليوم بيوم اليوم لليوم باليوم".split())


# a club's or bank's name that is also an adjective, and the nouns it qualifies as one: السلم
# الأهلي (civil peace), القطاع الأهلي (the private sector) name no club
_ADJECTIVE_NAMES = {
    word_key("الأهلي"): frozenset(word_key(w) for w in (
        "السلم القطاع التعليم المجتمع العمل الحراك الجهد الدعم التمويل النشاط الاقتتال"
        " الصراع النزاع الاحتراب التعايش الوفاق").split()),
}


def plain_word(key: str) -> bool:
    """Did the training data see this word (key) as an ordinary word nearly always?"""
    counts = load_extractor().lexicon.get(key)
    if not counts:
        return False
    total = sum(counts.values())
    return total >= 3 and counts.get("O", 0) >= 0.9 * total


def _glued_common_word(word: str) -> bool:
    """A preposition glued to an ordinary word (بإجمالي، لصالح، بمدينة): no part of a person's
    name the model ran on into it (بدر بإجمالي)."""
    if word[:1] not in "بلك" or len(word) < 4:
        return False
    key = word_key(word)
    extractor = load_extractor()
    if key in extractor.lexicon:
        return plain_word(key)
    # unseen: its letters after the ب/ل an ordinary word, and no personal name (كمال, برهان)
    return (word[0] != "ك" and plain_word(word_key(word[1:]))
            and not any(gaz.single(key) for src, gaz in extractor.gazetteers if src == "n"))


def _ba_before_a_noun(word: str) -> bool:
    """ب glued to an ordinary noun of three letters or more (بلقب, بجائزة, بقيادة, بمدينة): what
    an organisation did or where, no word of its name (أولمبيك الشاوية [بلقب كأس ...]). Not بلا
    (أطباء بلا حدود), nor a word whose letters after the ب are no known word (بلدية, بيت), nor one
    the training data or the name list knows as a name."""
    if len(word) < 4 or word[0] != "ب":
        return False
    if word[1] == "و" or word[1:3] == "ال" or (word[1] in "رل" and word[2] in "اوي"):
        return False  # بالدولة: the article's own rules; بلاي, بروس: foreign names
    if word[1:4] == "لدي":
        return False  # بلدية is no ب + لديه, which its letters spell once ة is folded
    rest, lexicon = word_key(word[1:]), load_extractor().lexicon
    whole = word_key(word)
    # a name that only reads as ب + a word (بلير, بولا) is no glued noun
    return (len(rest) >= 3 and rest in lexicon and plain_word(rest)
            and (whole not in lexicon or plain_word(whole))
            and not load_gazetteer("gaz_names.tsv").single(normalize_text(word)))


def _glued_to_a_given_name(word: str) -> bool:
    """A conjunction or preposition (و، ب، ل) glued to a given name that the name list knows,
    where the whole word is no name of its own (وفيكتور بيتوركا, بأيمن الظواهري, لويليام): the letter is
    no part of the person's name. A name whose letters after the first begin with a bare alef is
    a foreign name (بايدن, باولو), not ب before one."""
    if len(word) < 4 or word[0] not in "وبل" or word[1] == "ا" or _glued_common_word(word):
        return False
    # ب before ر or ل, or before ي and a long vowel, begins foreign names (برايس, بليز,
    # برونا, بيارا) more often than it is glued to one; ف (فلورنس, فريمان, فيوري) nearly always
    if word[0] == "ب" and (word[1] in "رل" or (word[1] == "ي" and word[2] in "اوي")):
        return False
    names = load_gazetteer("gaz_names.tsv")
    norm = normalize_text(word)
    if names.single(word_key(word)) or names.single(norm):
        return False
    return names.single(norm[1:]) in ("PGIV", "PGIVr", "PNAM")


def _open_construct(word: str) -> bool:
    """A noun with a glued ل and no article (لوسائل, لشؤون) that the training data knows as an
    ordinary word: the head of a construct whose genitive comes next. Not ب (بوادي النطرون: a
    place the name is in), nor a verbal noun of purpose (لبحث, لمناقشة: what the body does)."""
    norm = normalize_text(word)
    return (len(norm) >= 4 and norm[0] == "ل" and norm[1] not in "لا"
            and normalize_text(word[1:]) not in _PURPOSE_NOUNS and plain_word(word_key(word[1:])))


_PURPOSE_NOUNS = frozenset(normalize_text(w) for w in
                           "بحث مناقشة دراسة تعزيز تنفيذ متابعة تقديم إطلاق دعم حل".split())


def _name_after_bin(word: str) -> bool:
    """A word that can follow بن in a name: a letter first, not a particle (بن إن) or a
    weekday."""
    norm = normalize_text(word)
    return (word[:1].isalpha() and norm not in _WEEKDAYS and norm not in _PARTICLES)


_PARTICLES = frozenset(normalize_text(w) for w in "إن أن في من على عن إلى الى مع لا لم لن قد".split())


#: Head words of an event's name (بطولة إنديان ويلز, كأس العالم): alone, or with a glued ل/ب
#: (لبطولة), they name nothing
EVENT_HEADS = frozenset(word_key(w) for w in "بطولة كأس دوري مهرجان جائزة مؤتمر قمة معرض".split())


def _not_a_name_alone(word: str, label: str = "") -> bool:
    """A word that is no name on its own however the model tagged it: an adverb with its
    tanween (ميدانياً), God's name (الحمد لله), a preposition with a pronoun (عليك), one or two
    letters (the سي of سي إن إن), an event's head word (لبطولة)."""
    letters = [c for c in word if c.isalpha()]
    return ((len(letters) <= 2 and label != "LOC" and not _short_name(word))  # قم is a city
            or word.endswith(("ً", "اً", "ًا"))
            or normalize_text(word) in _GOD
            or normalize_text(word) in _PREPOSITION_PRONOUNS
            or (word[:1] in "وف" and normalize_text(word[1:]) in _PREPOSITION_PRONOUNS)
            or (label == "MISC" and (word_key(word) in EVENT_HEADS
                                     or (word[:1] in "بل" and word_key(word[1:]) in EVENT_HEADS)))
            or (label == "LOC" and _adverb_without_tanween(word)))


@cache
def _adverbs_in_ya() -> frozenset[str]:
    return frozenset(normalize_text(line.strip()) for line in resource_text("adverbs_in_ya.txt").splitlines()
                     if line.strip() and not line.startswith("#"))


def _adverb_without_tanween(word: str) -> bool:
    """ميدانيا, ثانيا: an adverb whose tanween was not written reads like a place in -يا."""
    norm = normalize_text(word)
    return norm.endswith("يا") and (norm in _adverbs_in_ya()
                                    or (norm[:1] in "وف" and norm[1:] in _adverbs_in_ya()))


@cache
def _short_name(word: str) -> bool:
    """A name of one or two letters all the same: a capitals acronym (EU, G7), or a place or
    name the resources know (قم, the Iranian city)."""
    if word.isascii() and word[:1].isupper():
        return True
    from khabar.extract.known_names import known_names

    key = word_key(word)
    extractor = load_extractor()
    return (known_names().entries.get((key,), "O") != "O"
            or any(gaz.single(key) for _src, gaz in extractor.gazetteers)
            or bool(key) and max((extractor.lexicon.get(key) or {"O": 1}).items(), key=lambda kv: kv[1])[0] != "O")


_TOKEN_START, _TOKEN_END = itemgetter(1), itemgetter(2)


def _spaced(toks: Sequence[tuple[str, int, int]]) -> list[bool]:
    """Per token of a sentence (not empty): whether it is the first or a space stands before it."""
    return [True, *map(lt, map(_TOKEN_END, toks), map(_TOKEN_START, toks[1:]))]


def entities_in_documents(
    documents: Sequence[tuple[str, Iterable[tuple[int, int]]]], consistency: bool = True,
    known_names: bool = True,
) -> list[list[EntitySpan]]:
    """`entities_in_spans` for several (text, sentence spans) documents at once (tagged
    together by `tag_documents`): the same entities, document by document."""
    tokenized = []
    for text, spans in documents:
        sent_tokens = []
        for start, end in spans:
            sentence = text[start:end]
            toks = token_spans(sentence)
            if "#" in sentence or "_" in sentence or "＃" in sentence:
                # a hashtag's words (#دونالد_ترمب) are read as words: its # and _ are no tokens
                toks = [t for t in toks if t[0] not in _HASHTAG_MARKS]
            if toks:
                sent_tokens.append((start, toks))
        tokenized.append(sent_tokens)
    first = itemgetter(0)
    words = [[list(map(first, toks)) for _, toks in sent_tokens] for sent_tokens in tokenized]
    word_keys: list[list[list[str]]] = []
    tagged = tag_documents(words, consistency=consistency, word_keys_out=word_keys) \
        if known_names else tag_documents(words, consistency=consistency)
    # no name holds a quotation mark or runs on over إن، الذي، قال, a future verb ...
    spaced = [[_spaced(toks) for _, toks in sent_tokens] for sent_tokens in tokenized]
    tagged = [join_kind_words_and_letters(
                  doc_words, cut_run_ons(doc_words, cut_at_quote_marks(doc_words, tags)), doc_spaced)
              for doc_words, tags, doc_spaced in zip(words, tagged, spaced)]
    if known_names:
        from khabar.extract.known_names import (
            add_family_names,
            add_known_entities,
            add_surnames,
            drop_currencies,
            given_names_before_bint,
            join_known_fragments,
            join_split_names,
            known_place_or_body,
            name_companies,
            name_institutions,
            not_names,
            places_after_dual_heads,
            places_joined_by_and,
            retype_known_names,
            surnames_read_as_places,
        )
    results: list[list[EntitySpan]] = []
    for k, ((text, _), sent_tokens, doc_words, tags) in enumerate(
            zip(documents, tokenized, words, tagged)):
        if known_names:
            # the tagger's keys of these words (the same `word_key`s), else looked up
            keys = word_keys[k] if word_keys else [list(map(word_key, s)) for s in doc_words]
            tags = add_family_names(doc_words, keys, join_split_names(
                keys, join_known_fragments(doc_words, retype_known_names(
                    doc_words, keys, add_known_entities(
                        doc_words, surnames_read_as_places(doc_words, keys, tags), keys))),
                sentences=doc_words))
            tags = places_joined_by_and(doc_words, places_after_dual_heads(
                doc_words, keys, given_names_before_bint(doc_words, name_companies(
                    doc_words, keys, name_institutions(doc_words, keys, drop_currencies(
                        keys, add_surnames(doc_words, tags, keys, not_names=not_names())))))))
            tags = join_kind_words_and_letters(doc_words, tags, spaced[k])
        out: list[EntitySpan] = []
        for (base, toks), st in zip(sent_tokens, tags):
            for s, e, typ in bio_to_spans(st):
                # punctuation the model ran into a name (ريم بنا ...) is no part of it
                while s < e and not any(c.isalnum() for c in toks[s][0]):
                    s += 1
                while e > s and not any(c.isalnum() for c in toks[e - 1][0]):
                    e -= 1
                if s == e:  # punctuation alone (… tagged a name): nothing left
                    continue
                if normalize_text(toks[s][0].rstrip("\u064b")) in _speech_participles():
                    s += 1  # مبينا انه: what follows is the speaker's words, no name
                    if e - s <= 1 and (s == e or plain_word(word_key(toks[s][0]))):
                        continue
                label = LABELS.get(typ, "MISC")
                if label == "PER" and e - s >= 3 and _a_body_head(toks[s][0]):
                    label = "ORG"  # استوديو فهد الكبيسي, مؤسسة محمد بن راشد: named after a person
                if (label == "MISC" and known_names and s and st[s - 1] == "O"
                        and (word_key(toks[s - 1][0]) in EVENT_HEADS or (
                            # لكأس السوبر: canonicalize takes the ل off (entities._trim)
                            toks[s - 1][0][:1] in "بل" and word_key(toks[s - 1][0][1:]) in EVENT_HEADS))
                        and not _not_a_name_alone(toks[s][0], label)):
                    s -= 1  # كأس [السوبر], جائزة [أوسكار]: the event's head word is its name's
                # a word with tanween is an indefinite noun or an adverb (جانٍ, بأمرٍ سامٍ,
                # نتنياهو مازحاً): no name's word; the name ends before it, and a "name" that
                # begins with one is none (review 18: what follows is a fragment), nor in a title
                # («وداعًا كارمن»). A name vocalised in verse (قيسٍ) is lost: rare in news
                if label != "MISC":
                    e = next((k for k in range(s, e) if _TANWEEN.search(toks[k][0])), e)
                    if s == e:
                        continue
                # الخميس is a surname (عبدالعزيز الخميس); مسجد الجمعة a mosque's name
                if label in ("ORG", "MISC", "LOC") and normalize_text(toks[s][0]) not in _MOSQUE:
                    while e - s > 1 and normalize_text(toks[e - 1][0]) in _WEEKDAYS:
                        e -= 1  # نشرت منظمة العفو الدولية الاثنين تقريرا: the day is no part of the name
                    if e - s == 1 and normalize_text(toks[s][0]) in _DAY_NOUNS:
                        continue  # ليوم الإثنين was no body either
                if label == "ORG" and e - s > 1 and e < len(toks) and _open_construct(toks[e - 1][0]):
                    # الهيئة المنظمة لوسائل [الإعلام المرئية والمسموعة]: the model stopped at a
                    # noun whose genitive follows; the name runs on over the definite words after
                    # it, not over a day or a time (… لشؤون الإعلام اليوم), a relative pronoun
                    # (… الذي) or a person's trade or title after a definite word (… الفونوغرامات
                    # المغني البريطاني: see cut_run_ons)
                    k = e
                    sent_words = [t[0] for t in toks]
                    while k < len(toks) and k - e < 4:
                        w = normalize_text(toks[k][0])
                        if (not w.startswith(("ال", "وال") if k > e else "ال")
                                or w in _WEEKDAYS or w in _DAY_NOUNS or w in _TIME_QUALIFIERS
                                or _ends_a_name(sent_words, k, "ORG")
                                or (k > e and _person_word_after_a_name(sent_words, k))):
                            break
                        k += 1
                    e = k
                if (all(normalize_text(t[0]) in _months_not_names() or t[0].isdigit() for t in toks[s:e])
                        and (any(t[0].isdigit() for t in toks[s:e + 1])
                             or (s and (toks[s - 1][0].isdigit() or normalize_text(toks[s - 1][0]) in _BEFORE_A_MONTH)))):
                    continue  # في ماي, 3 ماي 2026: a month (Maghrebi May), no person (تجاهلت ماي: Theresa May)
                if (label == "PER" and e - s == 1 and s
                        and normalize_text(toks[s - 1][0]) in _multipliers()):
                    continue  # 55 مليون قنطار: what a number counts, no person
                if e - s > 1 and normalize_text(toks[s][0]) in _GOD_FIRST:
                    continue
                if known_names and e - s == 1 and s and normalize_text(toks[s - 1][0]) in _SCALES:
                    continue  # مقياس ريختر: a scale, named after a man but no entity of the news
                if (known_names and label == "LOC" and e - s == 1 and e < len(toks)
                        and _given_name_then_surname(toks[s][0], toks[e][0])):
                    label, e = "PER", e + 1  # البديل يونس العمراني: a player, not خان يونس
                if (known_names and e - s == 1 and e < len(toks)
                        and _a_thing_not_a_place(toks[s][0], toks[e][0])):
                    continue  # كابل بحري, كابل USB: a cable, not Kabul
                if e - s == 1 and (_not_a_name_alone(toks[s][0], LABELS.get(typ, "MISC")) or (
                        s and word_key(toks[s][0]) in _ADJECTIVE_NAMES
                        and word_key(toks[s - 1][0]) in _ADJECTIVE_NAMES[word_key(toks[s][0])])):
                    continue
                if label == "PER":
                    link = normalize_text(toks[e - 1][0]) if e < len(toks) else ""
                    if (link == "بن" and _name_after_bin(toks[e][0])) or (
                            # ابن/بنت: not "aged" (ابن الأحد عشر عاما, ابن العاشرة)
                            link in ("ابن", "بنت") and _name_after_bin(toks[e][0])
                            and not normalize_text(toks[e][0]).startswith("ال")):
                        e += 1  # عبدالله بن مساعد: no name ends with بن (the model stopped at a title word)
                    elif (e - s >= 3 and e + 1 < len(toks)
                          and normalize_text(toks[e - 2][0]) in ("بن", "ابن")
                          and normalize_text(toks[e + 1][0]) in _ROLE_HEADS
                          and _family_name_before_role(toks[e][0])):
                        e += 1  # عبدالعزيز بن إبراهيم [الفايز] سفير: the family name before the role
                    e = next((k for k in range(s + 1, e) if _glued_common_word(toks[k][0])
                              or normalize_text(toks[k][0]) in _glued_speech_verbs()), e)
                    e = next((k for k in range(s + 1, e) if normalize_text(toks[k][0]) in _NO_NAME_WORD
                              # a preposition or و glued to ال ends a person's name (ترامب بالرد)
                              or (normalize_text(toks[k][0]).startswith(_GLUED_AL)
                                  and normalize_text(toks[k][0]) not in _names_read_as_glued()
                                  and plain_word(word_key(toks[k][0])))), e)
                elif label == "ORG" and known_names:
                    e = next((k for k in range(s + 1, e) if _ba_before_a_noun(toks[k][0])), e)
                if s == e:
                    continue
                a, b = base + toks[s][1], base + toks[e - 1][2]
                if _style_rule_word(text, a, b, base, base + toks[-1][2]):
                    continue  # padding: 0; .box_vote {: a page's style rules left in its text
                if label == "PER" and b - a > 4 and _glued_to_a_given_name(toks[s][0]):
                    a += 1
                if known_names and label in ("ORG", "LOC") and text[a] in "وبلفك":
                    span_words = [t[0] for t in toks[s:e]]
                    if e - s == 1 and normalize_text(span_words[0]) in _GLUED_COMMON and not (
                            s and word_key(toks[s - 1][0]) in _GLUED_COMMON[normalize_text(span_words[0])]):
                        continue  # تابع المباراة بحماس: with enthusiasm, not with Hamas
                    stripped = known_place_or_body([span_words[0][1:], *span_words[1:]], glued=False)
                    if stripped and not known_place_or_body(span_words, glued=False):
                        a += 1  # لبي بي سي: the preposition is no part of the name
                        label = stripped  # بعرعر tagged a body is the place عرعر
                out.append(EntitySpan(a, b, text[a:b], label=label))
        results.append(out)
    return results


# --------------------------------------------------------------------------- CoNLL


def read_conll(lines: Iterable[str]) -> Iterator[list[list[str]]]:
    """Sentences of a CoNLL file: each a list of the line's whitespace-separated columns."""
    sent: list[list[str]] = []
    for raw in lines:
        cols = raw.split()
        if not cols:
            if sent:
                yield sent
                sent = []
            continue
        sent.append(cols)
    if sent:
        yield sent


def tag_in_context(sentences: Sequence[Sequence[str]], tags: list[list[str]],
                   context: int) -> list[list[str]]:
    """`tags` after the document pass over runs of `context` consecutive sentences, each taken
    as one document (CoNLL input rarely marks documents): a name tagged in one sentence is
    tagged where it recurs untagged, and the lone surname of a person named in full is tagged
    (`document_consistency`, `known_names.add_surnames`; ANERcorp's conventions)."""
    from khabar.extract.known_names import add_surnames

    out: list[list[str]] = []
    for a in range(0, len(sentences), context):
        window = sentences[a : a + context]
        out.extend(add_surnames(window, document_consistency(window, tags[a : a + context])))
    return out


def tag_conll(lines: Iterable[str], group: int = 256, context: int = 0) -> Iterator[str]:
    """Tag CoNLL input (token per line, optional ignored gold column, blank line between
    sentences): yields ``token<TAB>TAG`` lines and a blank line after each sentence.
    `group` sentences at a time are tagged together (`tag_sentences`: the same tags); with
    `context`, runs of that many sentences from the start, or from a ``-DOCSTART-`` line (passed
    through as ``O``), are read as documents (`tag_in_context`)."""
    pending: list[list[str]] = []
    if context > 0:  # whole runs in every group, so the runs start where they would in one pass
        group = max(1, -(-group // context)) * context

    def flush() -> Iterator[str]:
        tags = tag_sentences(pending)
        if context > 0:
            tags = tag_in_context(pending, tags, context)
        for words, tags in zip(pending, tags):
            for word, tag in zip(words, tags):
                yield f"{word}\t{tag}"
            yield ""
        pending.clear()

    for sent in read_conll(lines):
        words = [cols[0] for cols in sent]
        if words[0] == "-DOCSTART-":  # CoNLL-2003's document mark: passed through, a new run
            yield from flush()
            yield from (f"{word}\tO" for word in words)
            yield ""
            continue
        pending.append(words)
        if len(pending) >= group:
            yield from flush()
    yield from flush()
