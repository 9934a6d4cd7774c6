"""Exact and near-duplicate detection: which articles carry (almost) the same text.

* exact: a hash of the body's match keys (`khabar.text.match_keys`: normalized, clitics
  stripped, punctuation dropped), so re-encoded, re-punctuated or re-wrapped copies hash alike,
  for bodies of `MIN_EXACT_WORDS` keys or more;
* near: MinHash over word 3-shingles of those keys, banded LSH for candidates (tuned for
  Jaccard `lsh_threshold`, default 0.3), then the Jaccard similarity must reach `threshold`
  (default 0.5) or the containment of the shorter text in the longer must reach
  `containment` (default 0.8; a cut or extended reprint of a wire text) when the shorter has
  at least `min_containment_shingles` (25) shingles; a shorter text (a headline, a flash)
  must be almost identical (Jaccard >= `short_threshold`, 0.95): one word changed in a
  headline is another claim, not a reprint. Signatures cover the first `max_words` (250)
  keys: reprints share their start, and it keeps the cost per article flat. With `verify`
  (the default) a candidate's Jaccard and containment are exact, over the distinct shingles
  of the whole texts (`shingle_set`, kept for the articles in the LSH tables; one restored
  without its set is read again through `keys_lookup`, or else judged on the MinHash
  estimate): two texts that open alike and go on apart are no copies, and an estimate just
  under the threshold no longer splits a reprint from its source. The threshold (0.5) is the
  one that found most SaudiNewsNet silver copies scraped before 2015-08-01 while keeping the
  precision the estimate had there; the containment (0.8) is the benchmark's own definition
  of a whole-body near-duplicate, chosen with `join_share` below
  (`benchmarks/clustering.py --neardup-only`, its dev part);
* distinct: a near (not exact) copy below Jaccard `distinct_below` (0.9) is refused when a
  number slot both texts have (the words either side of a run of digits: `الموافق _ هـ`) holds
  a number in each that the other text does not write anywhere (1436/10/14 against
  1436/10/15, a toll, a price): two statements of one template (a ministry's execution
  announcements, with their boilerplate and a Qur'an verse) about two people on two days share
  most of their shingles, and what tells them apart is the few words in the template's slots,
  of which the digits are the cheap, reliable part. Numbers in sentences only one text has
  (a reprint cut, extended or given background) sit in slots the other lacks and do not count,
  nor does one date written day first in one and year first in the other. The slots of the
  signature's words (`marks`, hashed) travel after the MinHash values in the signature
  `match` returns, so a store that saves and restores the signature keeps them.

The index is streaming: `DedupIndex.add` puts one article in a copy group (the group id is
the id of the group's first article), or starts a new group. Groups never merge, so a group id
never changes once given. Being a copy is no equivalence: a page that holds two short texts
copies both, which copy nothing of each other, and the statements of one template chain their
days together. So an article joins the group where the members it copies outnumber most the
members it does not copy (of those in the LSH tables; its best copy there breaks a tie), and
only when it copies at least `join_share` (0.15) of them; else it starts a group of its own.
Before the evening of 4 December 2026 it joined the group of its single most similar copy: a
text holding an audience and a cable joined the cable's group of one, not the audience's of
three, and the weather office's bulletins of four days, carried by six outlets, made one group
of 19 through each one's closest copy. With the containment at the benchmark's 0.8 as well,
the SaudiNewsNet development part went from recall 0.955 / precision 0.931 on the silver
groups' whole-body pairs to 0.963 / 0.936, and from 0.896 to 0.920 over all of its whole-body
near-duplicate pairs; `join_share` is the one of 0, 0.1, 0.15, 0.2, 0.25, 0.34 and 0.5 with
the highest recall over all of them at a silver precision of at least 0.931 (the floor then).
Hashes are stable across processes (CRC32 of the keys, fixed seeds), so signatures can be
stored and loaded again.

A partition cannot hold every copy, so the index also records the copy relation itself:
`copies_of(article)` is every earlier article in the tables that it was verified to copy (passed
`is_copy`, not refused by `distinct`), with their Jaccard and containment, whichever group each
is in (an exact copy's candidates are checked too, so that it records what its original
copies). On the SaudiNewsNet development part the pairs it holds score recall 0.983 at
precision 1.000 on the silver groups' whole-body pairs, against 0.963 / 0.936 for the pairs
of one group (`benchmarks/clustering.py --neardup-only`); 14,827 pairs for 31,030 articles.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from khabar.text import match_keys

__all__ = [
    "Copy",
    "CopyGroup",
    "DedupIndex",
    "exact_hash",
    "find_copy_groups",
    "lsh_params",
    "marks",
    "minhash",
]

_MASK32 = np.uint64(0xFFFFFFFF)
_NO_SHINGLES = np.zeros(0, dtype=np.uint32)
DEFAULT_NUM_PERM = 128
DEFAULT_THRESHOLD = 0.5
DEFAULT_SHINGLE = 3
DEFAULT_CONTAINMENT = 0.8
DEFAULT_LSH_THRESHOLD = 0.3
MIN_CONTAINMENT_SHINGLES = 25  # below: a short text, see DedupIndex.is_copy
#: Fewest match keys for an exact copy: shorter bodies that are the same are a photo caption
#: (a name: النغيمشي under two different stories), a byline or a comment counter, not a
#: reprint (in SaudiNewsNet, every body under 8 words that appears twice is one of these).
MIN_EXACT_WORDS = 8
DEFAULT_SHORT_THRESHOLD = 0.95
DEFAULT_MAX_WORDS = 250  # near-dup signatures cover the first words (reprints share their start)
DEFAULT_DISTINCT_BELOW = 0.9  # below this Jaccard, different numbers on both sides refuse a copy
DEFAULT_JOIN_SHARE = 0.15  # a text joins a copy group only when it copies this share of it


_CRC_CACHE_MAX = 1 << 18


_NUMBER_BIT = 1 << 32


class _CrcCache(dict):  # type: ignore[type-arg]
    """key -> CRC32 of its UTF-8 bytes, plus bit 32 when the key is a number written in digits
    (what `marks` looks for: one lookup a key serves both). A dict with `__missing__`: a hit is
    one C-level lookup (an `lru_cache` hit costs several times more, and most keys of a text
    are hits); emptied when full, which bounds memory without the bookkeeping of an LRU."""

    def __missing__(self, key: str) -> int:
        if len(self) >= _CRC_CACHE_MAX:
            self.clear()
        value = self[key] = zlib.crc32(key.encode("utf-8")) | (_NUMBER_BIT * key.isdecimal())
        return value


_CRC = _CrcCache()


def _crc(key: str) -> int:
    return _CRC[key] & 0xFFFFFFFF


def _key_hashes(keys: Sequence[str]) -> np.ndarray:
    """The keys' `_CRC` values (uint64, bit 32 marking a number)."""
    return np.fromiter(map(_CRC.__getitem__, keys), dtype=np.uint64, count=len(keys))


@lru_cache(maxsize=8)
def _band_mult(rows: int) -> np.ndarray:
    rng = np.random.default_rng(rows + 7)
    return rng.integers(1, 1 << 63, size=rows, dtype=np.uint64) | np.uint64(1)


@lru_cache(maxsize=8)
def _perms(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64)
    return a, b


def exact_hash(keys: Sequence[str]) -> str:
    """16 hex digits identifying a text by its match keys (empty string for an empty text)."""
    if not keys:
        return ""
    return hashlib.blake2b(" ".join(keys).encode("utf-8"), digest_size=8).hexdigest()


def shingle_hashes(keys: Sequence[str], k: int = DEFAULT_SHINGLE, *, unique: bool = True
                   ) -> np.ndarray:
    """32-bit hashes of the word k-shingles of `keys` (the whole text when it is shorter);
    with `unique=False` a repeated shingle stays repeated (a minimum does not mind)."""
    if not keys:
        return np.zeros(0, dtype=np.uint64)
    return _shingles_of(_key_hashes(keys) & _MASK32, k, unique=unique)


def shingle_set(keys: Sequence[str], k: int = DEFAULT_SHINGLE) -> np.ndarray:
    """The distinct 32-bit hashes of the word k-shingles of all of `keys`, sorted (uint32):
    what `DedupIndex` verifies candidate copies with."""
    if not keys:
        return _NO_SHINGLES
    return _set_of(_key_hashes(keys), k)


def _set_of(hashes: np.ndarray, k: int) -> np.ndarray:
    """`shingle_set`, given the keys' `_key_hashes`."""
    out = _shingles_of(hashes & _MASK32, k, unique=False).astype(np.uint32)
    out.sort()  # what np.unique gives, at a fraction of its cost on a few hundred values
    if len(out) > 1:
        keep = np.empty(len(out), dtype=bool)
        keep[0] = True
        np.not_equal(out[1:], out[:-1], out=keep[1:])
        out = out[keep]
    return out


def _overlap(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted arrays of distinct values share."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    return int(np.count_nonzero(b[at] == a))


def _shingles_of(h: np.ndarray, k: int, *, unique: bool) -> np.ndarray:
    k = min(k, len(h))
    out = h[: len(h) - k + 1].copy()
    for i in range(1, k):
        out = (out * np.uint64(0x01000193) + h[i: len(h) - k + 1 + i]) & _MASK32
    return np.unique(out) if unique else out


def minhash(keys: Sequence[str], num_perm: int = DEFAULT_NUM_PERM, k: int = DEFAULT_SHINGLE,
            seed: int = 1) -> np.ndarray:
    """MinHash signature (`num_perm` uint32 values) of the word k-shingles of `keys`."""
    return _minhash_of(shingle_hashes(keys, k, unique=False), num_perm, seed)


def _minhash_of(shingles: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    a, b = _perms(num_perm, seed)
    if len(shingles) == 0:
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    # multiply-shift hashing (a odd): the high 32 bits of a·x + b mod 2^64
    values = np.outer(shingles, a)
    values += b
    # the shift is monotonic: shifting the column minima equals the minima of the shifted
    return (values.min(axis=0) >> np.uint64(32)).astype(np.uint32)


_NO_MARKS = np.zeros(0, dtype=np.uint32)


def marks(keys: Sequence[str]) -> np.ndarray:
    """The number slots of `keys` (`DedupIndex` passes the signature's window), as
    (slot hash, value hash) pairs of uint32, flattened. A slot is the word before and the word
    after a run of numbers written in digits (`موافق _ ه`); its value the run's digits sorted,
    so one date written day first or year first, or 363,378 written 363378 (the keys drop the
    separators), is one value."""
    return _marks_of(keys, _key_hashes(keys))


def _marks_of(keys: Sequence[str], hashes: np.ndarray) -> np.ndarray:
    """`marks`, given the keys' `_key_hashes`."""
    numbers = np.flatnonzero(hashes >> np.uint64(32)).tolist()
    if not numbers:
        return _NO_MARKS
    pairs = set()
    n, i = len(keys), 0
    while i < len(numbers):
        start = end = numbers[i]
        while i < len(numbers) and numbers[i] == end:  # the run of consecutive numbers
            end += 1
            i += 1
        if start > 0 and end < n:  # a run with a word on both sides
            # not through the key cache: slots and values would crowd the keys out of it
            slot = f"{keys[start - 1]} {keys[end]}".encode("utf-8")
            pairs.add((zlib.crc32(slot), _value_crc(keys[start:end])))
    if not pairs:
        return _NO_MARKS
    return np.array(sorted(pairs), dtype=np.uint32).ravel()


_VALUE_CRC: dict[str | tuple[str, ...], int] = {}  # a run of numbers -> the CRC32 of its _value


def _value_crc(run: Sequence[str]) -> int:
    key = run[0] if len(run) == 1 else tuple(run)
    found = _VALUE_CRC.get(key)
    if found is None:
        if len(_VALUE_CRC) >= 1 << 16:  # emptied when full, as the key cache
            _VALUE_CRC.clear()
        found = _VALUE_CRC[key] = zlib.crc32(_value(run).encode("utf-8"))
    return found


def _value(run: Sequence[str]) -> str:
    """A run of numbers as its digits sorted, leading zeros dropped (07 is 7)."""
    return "".join(sorted("".join(n.lstrip("0") or "0" for n in run)))


def _read_marks(marks_: np.ndarray) -> tuple[dict[int, set[int]], set[int]]:
    """`marks` as slot -> its values, and every value."""
    values = marks_.tolist()
    slots: dict[int, set[int]] = {}
    for i in range(0, len(values) - 1, 2):
        slots.setdefault(values[i], set()).add(values[i + 1])
    return slots, set(values[1::2])


def _distinct(read_a: tuple[dict[int, set[int]], set[int]], marks_b: np.ndarray) -> bool:
    """`DedupIndex.distinct` past its first tests, given the first text's marks read."""
    slots_a, all_a = read_a
    slots_b, all_b = _read_marks(marks_b)
    for slot, values in slots_a.items():
        other = slots_b.get(slot)
        # a value the other text writes elsewhere is the same number moved, not another one
        if other is not None and values.isdisjoint(all_b) and other.isdisjoint(all_a):
            return True
    return False


def lsh_params(threshold: float, num_perm: int = DEFAULT_NUM_PERM) -> tuple[int, int]:
    """(bands, rows) whose S-curve minimises false negatives above `threshold` (weighted ×2)
    plus false positives below it, the usual LSH parameter choice."""
    best = (num_perm, 1)
    best_cost = float("inf")
    xs = np.linspace(0.0, 1.0, 201)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if bands < 1:
            break
        p = 1.0 - (1.0 - xs**rows) ** bands
        fp = np.trapezoid(np.where(xs < threshold, p, 0.0), xs)
        fn = np.trapezoid(np.where(xs >= threshold, 1.0 - p, 0.0), xs)
        cost = fp + 2.0 * fn
        if cost < best_cost:
            best, best_cost = (bands, rows), cost
    return best


@dataclass(slots=True)
class CopyGroup:
    """Articles carrying the same text; `id` is the id of the first one seen."""

    id: str
    members: list[str] = field(default_factory=list)
    outlets: set[str] = field(default_factory=set)
    exact: bool = True  # every member's text is identical to the first one's

    @property
    def n_outlets(self) -> int:
        return len(self.outlets)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "members": list(self.members), "outlets": sorted(self.outlets),
                "n_outlets": len(self.outlets), "exact": self.exact}


class Copy(NamedTuple):
    """An earlier article a text was verified to copy (`DedupIndex.copies_of`): its id, the
    Jaccard similarity of the two texts' shingle sets and the containment of the smaller in the
    larger (exact with `verify`, else estimated on the signatures)."""

    id: str
    jaccard: float
    containment: float


def _copy_order(copy: Copy) -> tuple[float, str]:
    """Most similar first (full copies above contained ones, as groups rank them), then by id."""
    return (-max(copy.jaccard, copy.containment * 0.99), copy.id)


class Fingerprint(NamedTuple):
    """A text's signature and exact hash (`DedupIndex.fingerprint`), with the parameters
    they were made with."""

    signature: np.ndarray
    exact_hash: str
    params: tuple[int, int, int, int | None]
    shingles: np.ndarray | None = None  # the whole text's shingle set, when the index verifies


_DEFAULT_INDEX: DedupIndex | None = None


def default_fingerprint(keys: Sequence[str]) -> Fingerprint:
    """`keys`' fingerprint under the default parameters (those of every story stream)."""
    global _DEFAULT_INDEX
    if _DEFAULT_INDEX is None:
        _DEFAULT_INDEX = DedupIndex()
    return _DEFAULT_INDEX.fingerprint(keys)


class DedupIndex:
    """Streaming exact + near-duplicate index (see the module docstring)."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, *, num_perm: int = DEFAULT_NUM_PERM,
                 shingle: int = DEFAULT_SHINGLE, seed: int = 1,
                 containment: float | None = DEFAULT_CONTAINMENT,
                 lsh_threshold: float | None = None,
                 min_containment_shingles: int = MIN_CONTAINMENT_SHINGLES,
                 short_threshold: float = DEFAULT_SHORT_THRESHOLD,
                 max_words: int | None = DEFAULT_MAX_WORDS,
                 distinct_below: float = DEFAULT_DISTINCT_BELOW, verify: bool = True,
                 join_share: float = DEFAULT_JOIN_SHARE,
                 keys_lookup: Callable[[str], Sequence[str] | None] | None = None) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.containment = containment
        self.min_containment_shingles = min_containment_shingles
        self.short_threshold = short_threshold
        self.max_words = max_words
        self.distinct_below = distinct_below
        self.num_perm = num_perm
        self.shingle = shingle
        self.seed = seed
        self.verify = verify
        self.join_share = join_share
        #: article id -> its match keys, for an indexed article whose shingle set is not in
        #: memory (one restored from a store); None: such an article is judged by its MinHash
        self.keys_lookup = keys_lookup
        if lsh_threshold is None:
            lsh_threshold = min(threshold, DEFAULT_LSH_THRESHOLD) if containment else threshold
        self.bands, self.rows = lsh_params(lsh_threshold, num_perm)
        self._sizes: dict[str, int] = {}
        # what `match` computed for the text `restore` is then likely to be given: its
        # signature, band keys, shingle set (or keys) and the buckets its band keys found in
        # the tables (None when it looked none up; dropped when `forget` changes the tables)
        self._pending: tuple[np.ndarray, list[int], np.ndarray | Sequence[str] | None,
                             list[str | list[str] | None] | None] | None = None
        # band key -> the article id, or a list of ids when several share it: most buckets hold
        # one article, and a str is no container for the garbage collector to walk
        self._tables: list[dict[int, str | list[str]]] = [{} for _ in range(self.bands)]
        self._sigs: dict[str, np.ndarray] = {}
        self._marks: dict[str, np.ndarray] = {}  # of the articles with numbers, see `marks`
        # the whole text's shingle set (`shingle_set`) of the articles in the LSH tables, when
        # `verify`: a candidate copy is judged on it, not on the MinHash estimate; until an
        # article is first a candidate, its keys stand for it (not copied: not to be changed)
        self._sets: dict[str, np.ndarray | Sequence[str]] = {}
        self._group_of: dict[str, str] = {}
        # article id -> the earlier articles it copies (`copies_of`), for the articles that
        # copy any, while they are in the tables
        self._copies: dict[str, tuple[Copy, ...]] = {}
        self._pending_copies: tuple[Copy, ...] = ()
        self._active: dict[str, int] = {}  # copy group -> how many of its members are in the tables
        self._exact: dict[str, str] = {}  # exact hash -> article id
        self.groups: dict[str, CopyGroup] = {}

    def __len__(self) -> int:
        return len(self._group_of)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._group_of

    def group_of(self, article_id: str) -> str | None:
        return self._group_of.get(article_id)

    def copies_of(self, article_id: str) -> tuple[Copy, ...]:
        """The earlier articles an indexed article was verified to copy when it was added
        (see the module docstring: the direct copy relation, which its copy group, one group
        per article, cannot hold whole), most similar first; empty once it has been forgotten."""
        return self._copies.get(article_id, ())

    def signature(self, keys: Sequence[str]) -> np.ndarray:
        if self.max_words is not None:
            keys = keys[: self.max_words]
        return minhash(keys, self.num_perm, self.shingle, self.seed)

    def size_of(self, article_id: str) -> int | None:
        """The number of shingles of an indexed article (None: unknown, e.g. saved before)."""
        return self._sizes.get(article_id)

    def n_shingles(self, keys: Sequence[str]) -> int:
        n = len(keys) if self.max_words is None else min(len(keys), self.max_words)
        return max(1, n - self.shingle + 1)

    def similarity(self, sig_a: np.ndarray, size_a: int, sig_b: np.ndarray, size_b: int
                   ) -> tuple[float, float]:
        """(estimated Jaccard, estimated containment of the smaller shingle set)."""
        j = float(np.count_nonzero(sig_a == sig_b)) / self.num_perm
        small = min(size_a, size_b)
        if small <= 0:
            return j, 0.0
        inter = j * (size_a + size_b) / (1.0 + j)
        return j, min(1.0, inter / small)

    def is_copy(self, j: float, c: float, size_a: int, size_b: int) -> bool:
        small = min(size_a, size_b)
        if small < self.min_containment_shingles:
            # A short text (a headline, a flash) is a copy only when (almost) identical: one
            # word changed in ten is another claim — the contradicting rewrites of ANS swap one
            # name, number or verb and keep a word 3-shingle Jaccard of 0.6-0.9.
            return j >= max(self.threshold, self.short_threshold)
        if j >= self.threshold:
            return True
        return self.containment is not None and c >= self.containment

    def distinct(self, j: float, marks_a: np.ndarray | None, marks_b: np.ndarray | None
                 ) -> bool:
        """Whether two near copies (estimated Jaccard `j`; `marks` of each, None or empty for a
        text without numbers) are two texts of one template: a slot both write holds other
        numbers in each (see the module docstring)."""
        if j >= self.distinct_below or marks_a is None or marks_b is None \
                or not len(marks_a) or not len(marks_b):
            return False
        return _distinct(_read_marks(marks_a), marks_b)

    def _band_keys(self, sig: np.ndarray) -> list[int]:
        rows = sig[: self.bands * self.rows].astype(np.uint64).reshape(self.bands, self.rows)
        return (rows @ _band_mult(self.rows)).tolist()  # one 64-bit hash per band

    @property
    def signature_params(self) -> tuple[int, int, int, int | None]:
        """What a text's signature depends on: fingerprints made with other parameters are
        recomputed, not used."""
        return (self.num_perm, self.shingle, self.seed, self.max_words)

    def fingerprint(self, keys: Sequence[str]) -> Fingerprint:
        """What `match` computes from a text before it looks anything up: its signature (the
        MinHash followed by the text's `marks`), its exact hash and, when the index verifies
        candidates, its shingle set. A worker process computes it with each article, so the
        process that matches does not."""
        return Fingerprint(self._marked(keys, None), exact_hash(keys), self.signature_params,
                           shingle_set(keys, self.shingle) if self.verify else None)

    def _marked(self, keys: Sequence[str], sig: np.ndarray | None) -> np.ndarray:
        return self._marked_hashes(keys, sig)[0]

    def _marked_hashes(self, keys: Sequence[str], sig: np.ndarray | None
                       ) -> tuple[np.ndarray, np.ndarray]:
        """`_marked`, and the window's `_key_hashes` it made (`match` builds the whole text's
        shingle set from them, not hashing those keys again)."""
        window = self._window(keys)
        hashes = _key_hashes(window)
        if sig is None:  # what `signature` does, from the hashes the marks need too
            sig = (_minhash_of(_shingles_of(hashes & _MASK32, self.shingle, unique=False),
                               self.num_perm, self.seed) if len(window)
                   else minhash([], self.num_perm, self.shingle, self.seed))
        own = _marks_of(window, hashes)
        return (np.concatenate((sig, own)) if len(own) else sig), hashes

    def _set_of(self, article_id: str) -> np.ndarray | None:
        """An indexed article's shingle set: kept since it was added, else made from the keys
        `keys_lookup` gives (and kept while the article stays in the tables)."""
        found = self._sets.get(article_id)
        if found is None:
            if self.keys_lookup is None or article_id not in self._sigs:
                return None
            found = self.keys_lookup(article_id)
            if found is None:
                return None
        if type(found) is not np.ndarray:  # its keys: the set is made the first time it is asked
            found = self._sets[article_id] = shingle_set(found, self.shingle)
        return found

    def compare(self, keys_a: Sequence[str], keys_b: Sequence[str]) -> bool:
        """Whether `match` would call two texts copies of each other (exact, or near and not
        two statements of one template); what the benchmarks score on text pairs."""
        if len(keys_a) >= MIN_EXACT_WORDS and exact_hash(keys_a) == exact_hash(keys_b):
            return True
        if min(len(keys_a), len(keys_b)) < self.shingle:
            return False
        window_a, window_b = self._window(keys_a), self._window(keys_b)
        if self.verify:
            set_a, set_b = shingle_set(keys_a, self.shingle), shingle_set(keys_b, self.shingle)
            inter = _overlap(set_a, set_b)
            size_a, size_b = len(set_a), len(set_b)
            j = inter / (size_a + size_b - inter or 1)
            c = inter / (min(size_a, size_b) or 1)
        else:
            size_a, size_b = self.n_shingles(keys_a), self.n_shingles(keys_b)
            j, c = self.similarity(self.signature(keys_a), size_a, self.signature(keys_b), size_b)
        return self.is_copy(j, c, size_a, size_b) and not self.distinct(
            j, marks(window_a), marks(window_b))

    def _window(self, keys: Sequence[str]) -> Sequence[str]:
        return keys if self.max_words is None else keys[: self.max_words]

    def match(self, keys: Sequence[str], sig: np.ndarray | None = None,
              ehash: str | None = None, *, fingerprint: Fingerprint | None = None
              ) -> tuple[str | None, float, np.ndarray, str]:
        """The earlier article most similar to `keys` (or None), its Jaccard similarity (exact
        with `verify`, else estimated), and the signature and exact hash computed on the way.
        The signature returned is the MinHash followed by the text's `marks`, what `restore`
        takes (and a store keeps). A `fingerprint` of the same text made with this index's
        parameters saves computing them."""
        made = None  # the text's shingle set, when the fingerprint brings it
        window_hashes = None  # the `_key_hashes` of the text's window, when made here
        if fingerprint is not None and fingerprint.params == self.signature_params:
            sig, ehash = fingerprint.signature, fingerprint.exact_hash
            made = fingerprint.shingles
        else:
            ehash = exact_hash(keys) if ehash is None else ehash
            if sig is None or len(sig) == self.num_perm:
                sig, window_hashes = self._marked_hashes(keys, sig)
        band_keys = self._band_keys(sig)
        # restore() reuses them for the same signature; the keys stand for the shingle set,
        # made only when a later text has this one as a candidate (most never are one)
        self._pending = (sig, band_keys, (keys if made is None else made) if self.verify else None,
                         None)
        self._pending_copies = ()
        twin = self._exact.get(ehash) if ehash and len(keys) >= MIN_EXACT_WORDS else None
        if len(keys) < self.shingle:  # too short to tell a reprint from a coincidence
            return None, 0.0, sig, ehash
        own_marks = sig[self.num_perm:]
        candidates: set[str] = set()
        # the bucket each band key finds, which `restore` then adds the text to
        buckets = list(map(dict.get, self._tables, band_keys))
        for found in buckets:
            if found is not None:
                if type(found) is str:
                    candidates.add(found)
                else:
                    candidates.update(found)
        self._pending = (sig, band_keys, self._pending[2], buckets)  # type: ignore[index]
        size = self.n_shingles(keys)
        minhash_part = sig[: self.num_perm]
        # copy group -> [how many of its members this text copies, the best similarity, its
        # article]
        tally: dict[str, list] = {}  # type: ignore[type-arg]
        own_set = None
        own_read = None  # own_marks read (_read_marks)
        if self.verify and candidates:
            if made is not None:
                own_set = made
            elif window_hashes is None:
                own_set = _set_of(_key_hashes(keys), self.shingle)
            else:  # the window's keys hashed once: only the keys past it are left to hash
                if len(window_hashes) < len(keys):
                    window_hashes = np.concatenate(
                        (window_hashes, _key_hashes(keys[len(window_hashes):])))
                own_set = _set_of(window_hashes, self.shingle)
            self._pending = (sig, band_keys, own_set, buckets)
        copies: list[Copy] = [] if twin is None else [Copy(twin, 1.0, 1.0)]
        for other in candidates:
            if other == twin:
                continue
            other_set = self._set_of(other) if own_set is not None else None
            if other_set is not None:  # the whole texts, exactly
                inter = _overlap(own_set, other_set)  # type: ignore[arg-type]
                size_a, size_b = len(own_set), len(other_set)  # type: ignore[arg-type]
                j = inter / (size_a + size_b - inter or 1)
                c = inter / (min(size_a, size_b) or 1)
            else:  # estimated on the signatures' windows
                size_a, size_b = size, self._sizes.get(other, size)
                j, c = self.similarity(self._sigs[other], size_b, minhash_part, size_a)
            if not self.is_copy(j, c, size_a, size_b):
                continue
            if len(own_marks) and j < self.distinct_below:
                other_marks = self._marks.get(other)
                if other_marks is not None and len(other_marks):
                    if own_read is None:  # read once, for every candidate
                        own_read = _read_marks(own_marks)
                    if _distinct(own_read, other_marks):
                        continue
            copies.append(Copy(other, j, c))
            if twin is not None:
                continue
            sim = max(j, c * 0.99)  # rank full copies above contained ones
            group = self._group_of.get(other, other)
            found = tally.get(group)
            if found is None:
                tally[group] = [1, sim, other]
            else:
                found[0] += 1
                if sim > found[1] or (sim == found[1] and other < found[2]):
                    found[1], found[2] = sim, other
        if copies:
            copies.sort(key=_copy_order)
            self._pending_copies = tuple(copies)
        if twin is not None:
            return twin, 1.0, sig, ehash
        best, best_sim, most, share = None, 0.0, 0, 0.0
        for group, (n, sim, other) in tally.items():
            active = max(n, self._active.get(group, n))
            # the copies it has in the group less the members it does not copy
            net = 2 * n - active
            if best is None or net > most or (net == most and (
                    sim > best_sim or (sim == best_sim and other < best))):
                best, best_sim, most, share = other, sim, net, n / active
        if best is None or share < self.join_share:
            return None, 0.0, sig, ehash
        return best, min(best_sim, 0.999), sig, ehash

    def add(self, article_id: str, keys: Sequence[str], outlet: str = "", *,
            sig: np.ndarray | None = None) -> str:
        """Index one article; returns its copy group id (its own id when it copies nothing).
        The earlier articles it copies, whichever groups they are in, are then
        `copies_of(article_id)`."""
        if article_id in self._group_of:
            return self._group_of[article_id]
        other, sim, sig, ehash = self.match(keys, sig)
        group_id = self._group_of[other] if other is not None else article_id
        self.restore(article_id, group_id, sig, ehash, outlet, exact=sim >= 1.0,
                     size=self.n_shingles(keys))
        return group_id

    def restore(self, article_id: str, group_id: str, sig: np.ndarray | None, ehash: str,
                outlet: str = "", *, exact: bool = True, size: int | None = None,
                shingles: np.ndarray | Sequence[str] | None = None,
                copies: Sequence[Copy] | None = None) -> None:
        """Put back an article whose group is already known (state loaded from a store);
        `size` is its number of shingles (for containment); `sig` is what `match` returned
        (a MinHash alone, as stored before marks existed, is read as a text without numbers);
        `shingles` its `shingle_set` or its keys (what `match` had is taken when `sig` is what
        it returned; without either, `keys_lookup` is asked when the article is a candidate);
        `copies` the earlier articles it copies (those `match` found when `sig` is what it
        returned)."""
        self._group_of[article_id] = group_id
        if size is not None:
            self._sizes[article_id] = size
        if ehash and ehash not in self._exact:
            self._exact[ehash] = article_id
        group = self.groups.get(group_id)
        if group is None:
            group = self.groups[group_id] = CopyGroup(group_id)
        group.members.append(article_id)
        if outlet:
            group.outlets.add(outlet)
        group.exact = group.exact and exact
        if sig is not None:
            if len(sig) > self.num_perm:
                self._marks[article_id] = sig[self.num_perm:]
            if article_id not in self._sigs:
                self._active[group_id] = self._active.get(group_id, 0) + 1
            self._sigs[article_id] = sig[: self.num_perm]
            pending = self._pending
            buckets = None
            if pending is not None and pending[0] is sig:
                band_keys, buckets = pending[1], pending[3]
                if shingles is None:
                    shingles = pending[2]
                if copies is None:
                    copies = self._pending_copies
            else:
                band_keys = self._band_keys(sig)
            self._pending = None
            self._pending_copies = ()
            if shingles is not None and self.verify:
                self._sets[article_id] = shingles
            if buckets is None:
                buckets = list(map(dict.get, self._tables, band_keys))
            for table, key, bucket in zip(self._tables, band_keys, buckets):
                if bucket is None:
                    table[key] = article_id
                elif type(bucket) is str:
                    table[key] = [bucket, article_id]
                else:
                    bucket.append(article_id)
        if copies:
            self._copies[article_id] = tuple(copies)

    def forget(self, article_ids: Iterable[str]) -> None:
        """Drop articles' signatures from the LSH tables (they age out of the window); their
        exact hashes and group memberships stay known."""
        if self._pending is not None:  # the buckets `match` found may no longer be the tables'
            self._pending = self._pending[:3] + (None,)
        for article_id in article_ids:
            self._sizes.pop(article_id, None)
            self._marks.pop(article_id, None)
            self._sets.pop(article_id, None)
            self._copies.pop(article_id, None)
            sig = self._sigs.pop(article_id, None)
            if sig is None:
                continue
            group_id = self._group_of[article_id]
            left = self._active.get(group_id, 1) - 1
            if left > 0:
                self._active[group_id] = left
            else:
                self._active.pop(group_id, None)
            for table, key in zip(self._tables, self._band_keys(sig)):
                bucket = table.get(key)
                if bucket is None:
                    continue
                if type(bucket) is str:
                    if bucket == article_id:
                        del table[key]
                    continue
                try:
                    bucket.remove(article_id)
                except ValueError:
                    pass
                if len(bucket) == 1:
                    table[key] = bucket[0]
                elif not bucket:
                    del table[key]

    def copy_groups(self, min_size: int = 2) -> list[CopyGroup]:
        return [g for g in self.groups.values() if len(g.members) >= min_size]


def _keys_of(item: object) -> tuple[str, str, list[str]]:
    if isinstance(item, tuple):
        article_id, outlet, text = item  # type: ignore[misc]
        return article_id, outlet, match_keys(text)
    body = getattr(item, "body", "") or getattr(item, "text", "")
    return item.id, getattr(item, "outlet", ""), match_keys(body)  # type: ignore[attr-defined]


def find_copy_groups(items: Iterable[object], threshold: float = DEFAULT_THRESHOLD,
                     *, min_size: int = 2, **kwargs: int) -> list[CopyGroup]:
    """Copy groups among `items` (Articles, or (id, outlet, text) tuples), in input order."""
    index = DedupIndex(threshold, **kwargs)
    for item in items:
        article_id, outlet, keys = _keys_of(item)
        index.add(article_id, keys, outlet)
    return index.copy_groups(min_size)
