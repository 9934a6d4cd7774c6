"""Linear-chain CRF inference in numpy, for a model trained by python-crfsuite.

Why not `pycrfsuite.Tagger.tag`: it looks up every feature string of every token (≈ 80 per
word in khabar's NER), and most of them belong to the word itself or to a neighbour (the
word's form, stem, affixes, gazetteer hits, and the same at ±1, ±2). Here the label scores of
those per-word feature groups are summed once per distinct word and cached as rows of one
table; a token's emission scores are then the sum of a handful of cached rows plus the few
features that depend on the sentence (bigrams, position, conjunctions). Viterbi runs over many
sentences at once (all those of the documents tagged together), side by side by length.

The tags equal crfsuite's up to ties between paths whose scores differ by less than the
rounding of the weights crfsuite exports (6 decimals); `benchmarks/ner.py` counts agreements.

Where the optional C module `khabar.extract._crf_kernel` was built (`pip install -e .` builds
it when a C compiler is found), a document's emission sums and the Viterbi steps run there
instead of in numpy: the same floats, added in the same order, and the same tags
(tests/test_crf_kernel.py compares the two paths). `KHABAR_PURE_PYTHON=1` in the environment
keeps to numpy; `CachedCrf.kernel` is the module in use (None: numpy).
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from khabar.caching import GenerationalCache

__all__ = ["KERNEL", "CachedCrf", "Model", "PairRows", "load_kernel"]

#: ``(a, b)`` → one table row per feature prefix (see `CachedCrf.pair_rows`).
PairRows = dict[tuple[str, str], tuple[int, ...]]
#: What `CachedCrf.model_of` reads out of a tagger: labels, {attribute: row}, weights, transitions.
Model = tuple[list[str], dict[str, int], np.ndarray, np.ndarray]


def load_kernel() -> ModuleType | None:
    """The C module, or None where it was not built or `KHABAR_PURE_PYTHON` is set (to
    anything but empty or ``0``)."""
    if os.environ.get("KHABAR_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        from khabar.extract import _crf_kernel
    except ImportError:
        return None
    return _crf_kernel


#: What a new `CachedCrf` uses (see `load_kernel`).
KERNEL = load_kernel()


class CachedCrf:
    """Weights of a crfsuite model as arrays, with a cache of summed feature groups.

    `group_rows(key, groups)` returns the rows of the table holding the summed label scores of
    each group of features (cached under `key`, e.g. a word); `sum_rows` adds rows up into
    emission scores (`attribute_row` for a single feature) and `tag_emissions` tags sentences
    from them.
    """

    #: Keys (words) per generation of the cache (`khabar.caching.GenerationalCache`); a word
    #: holds 5 rows, so the table stays under ~10 rows × this, ~220 MB at 9 labels. Each worker
    #: of a 2-worker ingest of SaudiNewsNet + ANT meets about 300,000 distinct words; with
    #: 100,000 a generation, a long ingest analysed about 14 words an article again, with
    #: 300,000 none once the corpus had been seen (`benchmarks/word_cache.py`).
    GENERATION = 300_000

    def __init__(self, tagger: Any = None, *, model: Model | None = None) -> None:
        """From an open `tagger` (pycrfsuite.Tagger), or from the `model` that `model_of` read
        out of one (kept compiled by `khabar.compiled`: reading a tagger's weights through
        crfsuite's text dump is most of the cost of loading the NER)."""
        if model is None:
            if tagger is None:
                raise TypeError("CachedCrf needs a tagger or a model")
            model = self.model_of(tagger)
        labels, attributes, weights, transitions = model
        self.labels: list[str] = list(labels)
        n_labels = len(self.labels)
        self.attributes: dict[str, int] = attributes
        self.zero_row = len(self.attributes)
        self.transitions = np.ascontiguousarray(transitions, dtype=np.float64)
        self._base_rows = weights.shape[0]
        self._table = np.zeros((self._base_rows + 8192, n_labels))
        self._table[: self._base_rows] = weights
        self._used = self._base_rows
        self.groups: GenerationalCache[Hashable, tuple[int, ...]] = GenerationalCache(self.GENERATION)
        self._free: list[int] = []  # rows of keys the cache dropped, to be reused
        # rows handed out but not computed yet: row ids, their attribute ids, group starts
        self._pending_rows: list[int] = []
        self._pending_starts: list[int] = []
        self._pending_attrs: list[int] = []
        self._pair_tables: dict[tuple[tuple[str, ...], str], PairRows] = {}
        self._pair_grids: dict[tuple[tuple[str, ...], str], tuple[dict[str, int], np.ndarray, np.ndarray]] = {}
        self._prefixed: dict[str, dict[str, int]] = {}
        #: the C module doing the array work, or None for numpy (the same results)
        self.kernel: ModuleType | None = KERNEL

    @staticmethod
    def model_of(tagger: Any) -> Model:
        """(labels, {attribute: row}, weights with one row per attribute and a last all-zero
        row, transitions) of an open pycrfsuite.Tagger."""
        info = tagger.info()
        labels: list[str] = list(tagger.labels())
        index = {label: i for i, label in enumerate(labels)}
        n_labels = len(labels)
        attributes: dict[str, int] = {}
        for attr, _label in info.state_features:
            if attr not in attributes:
                attributes[attr] = len(attributes)
        weights = np.zeros((len(attributes) + 1, n_labels))  # last row: all zeros
        for (attr, label), w in info.state_features.items():
            weights[attributes[attr], index[label]] = w
        transitions = np.zeros((n_labels, n_labels))
        for (a, b), w in info.transitions.items():
            transitions[index[a], index[b]] = w
        return labels, attributes, weights, transitions

    # ------------------------------------------------------------------ rows
    def attribute_row(self, feature: str) -> int:
        """Row of one feature's weights; the all-zero row for a feature the model never saw."""
        return self.attributes.get(feature, self.zero_row)

    def pair_rows(self, prefixes: tuple[str, ...], sep: str = "|") -> PairRows:
        """For features spelled ``prefix + a + sep + b``: ``(a, b)`` → the row of each prefix's
        feature (the zero row where the model has none), so a hot loop looks a pair up once
        instead of building the strings. Built once per `prefixes`."""
        table = self._pair_tables.get((prefixes, sep))
        if table is None:
            table = {}
            zero = self.zero_row
            for attr, row in self.attributes.items():
                for k, prefix in enumerate(prefixes):
                    if not attr.startswith(prefix):
                        continue
                    body = attr[len(prefix) :]
                    at = body.find(sep)
                    while at >= 0:  # every split: a word may itself hold the separator
                        pair = (body[:at], body[at + len(sep) :])
                        rows = list(table.get(pair, (zero,) * len(prefixes)))
                        rows[k] = row
                        table[pair] = tuple(rows)
                        at = body.find(sep, at + 1)
            self._pair_tables[(prefixes, sep)] = table
        return table

    def prefixed_rows(self, prefix: str) -> dict[str, int]:
        """For features spelled ``prefix + a``: ``a`` → its row (built once per `prefix`; a
        value missing has the zero row)."""
        table = self._prefixed.get(prefix)
        if table is None:
            table = {attr[len(prefix) :]: row for attr, row in self.attributes.items()
                     if attr.startswith(prefix)}
            self._prefixed[prefix] = table
        return table

    def pair_grid(self, prefixes: tuple[str, str], sep: str = "|"
                  ) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """`pair_rows` of two prefixes over a small vocabulary (word classes) as arrays:
        {item: index}, and per prefix the row of each (a, b) pair at [index of a, index of b]
        (the zero row where the model has no such feature). An item the map lacks takes the
        index one past its last, whose rows are all the zero row. Built once per `prefixes`."""
        grid = self._pair_grids.get((prefixes, sep))
        if grid is None:
            table = self.pair_rows(prefixes, sep)
            ids: dict[str, int] = {}
            for a, b in table:
                ids.setdefault(a, len(ids))
                ids.setdefault(b, len(ids))
            rows = np.full((2, len(ids) + 1, len(ids) + 1), self.zero_row, dtype=np.intp)
            for (a, b), pair in table.items():
                rows[0, ids[a], ids[b]] = pair[0]
                rows[1, ids[a], ids[b]] = pair[1]
            grid = (ids, rows[0], rows[1])
            self._pair_grids[(prefixes, sep)] = grid
        return grid

    @property
    def cached_groups(self) -> dict[Hashable, tuple[int, ...]]:
        """The cache's young generation: hot loops look keys up here first and call
        `group_rows` only when it misses (valid until the next `trim`)."""
        return self.groups.young

    def group_rows(self, key: Hashable, groups: Sequence[Iterable[str]]) -> tuple[int, ...]:
        """Rows holding the summed weights of each group of features, cached under `key`."""
        rows = self.groups.get(key)
        if rows is None:
            rows = self.new_rows(groups)
            self.groups.put(key, rows)
        return rows

    def new_rows(self, groups: Sequence[Iterable[str]]) -> tuple[int, ...]:
        """Rows holding the summed weights of each group of features (not cached: the caller
        keeps them, as `group_rows` does). With the C module all of them in one call, the
        rows handed out as `_new_row` hands them out one by one (the same rows, the same
        floats)."""
        kernel = self.kernel
        if kernel is None or not isinstance(groups, (tuple, list)):
            return tuple(self._new_row(g) for g in groups)
        free = self._free
        n = len(groups)
        taken = min(n, len(free))
        rows: list[int] = []
        if taken:  # popped from the end, one by one
            rows = free[len(free) - taken :]
            rows.reverse()
            del free[len(free) - taken :]
        if taken < n:
            used = self._used
            rows.extend(range(used, used + n - taken))
            self._used = used + n - taken
            while self._used > self._table.shape[0]:
                self._grow()
        kernel.fill_rows(self._table, rows, self.attributes, groups, self.zero_row)
        return tuple(rows)

    def _new_row(self, features: Iterable[str]) -> int:
        """Reserve a row for the sum of `features`; it is filled (in bulk) before tagging,
        or at once by the C module (the same floats)."""
        attributes = self.attributes
        if self._free:
            row = self._free.pop()
        else:
            row = self._used
            self._used += 1
        if self.kernel is not None:
            if row >= self._table.shape[0]:
                self._grow()
            self.kernel.fill_row(self._table, row, attributes, features, self.zero_row)
            return row
        self._pending_rows.append(row)
        self._pending_starts.append(len(self._pending_attrs))
        self._pending_attrs.append(self.zero_row)  # no group is empty for reduceat
        self._pending_attrs.extend(attributes[f] for f in features if f in attributes)
        return row

    def _grow(self) -> None:
        grown = np.zeros((max(self._used, self._table.shape[0] * 2), self._table.shape[1]))
        grown[: self._table.shape[0]] = self._table
        self._table = grown

    def _fill_pending(self) -> None:
        if not self._pending_rows:
            return
        if self._used > self._table.shape[0]:
            self._grow()
        sums = np.add.reduceat(self._table[np.asarray(self._pending_attrs, dtype=np.intp)],
                               np.asarray(self._pending_starts, dtype=np.intp), axis=0)
        self._table[np.asarray(self._pending_rows, dtype=np.intp)] = sums
        self._pending_rows, self._pending_starts, self._pending_attrs = [], [], []

    def trim(self) -> None:
        """Start a new cache generation when the young one is full, freeing the rows of the
        keys dropped; call only between documents (rows handed out before may be reused)."""
        dropped = self.groups.age()
        if dropped:
            self._fill_pending()
            free = self._free
            for rows in dropped.values():
                free.extend(rows)

    def sum_rows(self, columns: Sequence[np.ndarray], extra_positions: Sequence[int] = (),
                 extra_rows: Sequence[int] = ()) -> np.ndarray:
        """Per token, the sum of its rows: one row per token in each of `columns` (arrays of
        row ids, the zero row where a token has none), plus `extra_rows[k]` at token
        `extra_positions[k]`. The emission scores of a document in a few array operations."""
        self._fill_pending()
        table = self._table
        total = table[columns[0]]
        for column in columns[1:]:
            total += table[column]
        if len(extra_positions):
            np.add.at(total, np.asarray(extra_positions, dtype=np.intp),
                      table[np.asarray(extra_rows, dtype=np.intp)])
        return total

    def table(self) -> np.ndarray:
        """The table of rows, every reserved row filled (valid until rows are reserved again)."""
        self._fill_pending()
        return self._table

    def add_rows(self, first: np.ndarray, steps: Sequence[tuple[Any, Any]]) -> np.ndarray:
        """Per token, the sum of its rows: `first` (one row id per token), then each step in
        order, a step being ``(None, rows)`` (one row id per token, the zero row where a token
        has none), ``(positions, rows)`` (row ids for those tokens, each token at most once a
        step) or ``(mask, row)`` (one row for the tokens of a boolean mask). Each token's rows
        are added one after the other in that order, so the sums do not depend on how the
        steps are split."""
        self._fill_pending()
        table = self._table
        total = table[first]
        for positions, rows in steps:
            if positions is None:
                total += table[rows]
            else:
                if not isinstance(positions, np.ndarray):
                    positions = np.asarray(positions, dtype=np.intp)
                    rows = np.asarray(rows, dtype=np.intp)
                total[positions] += table[rows]
        return total

    # ------------------------------------------------------------------ tagging
    def tag_emissions(self, emissions: np.ndarray, lengths: Sequence[int]) -> list[list[str]]:
        """Tags for sentences of `lengths` tokens whose emission scores are the consecutive
        rows of `emissions`."""
        if self.kernel is not None:
            return self.kernel.viterbi(np.ascontiguousarray(emissions, dtype=np.float64),
                                       list(lengths), self.transitions, self.labels)
        offsets = [0]
        for n in lengths:
            offsets.append(offsets[-1] + n)
        # sentences of similar length side by side, so that padding stays small in long documents
        order = sorted(range(len(lengths)), key=lengths.__getitem__)
        out: list[list[str]] = [[] for _ in lengths]
        for k in range(0, len(order), self.BATCH):
            chunk = order[k : k + self.BATCH]
            chunk_lengths = [lengths[i] for i in chunk]
            if not chunk_lengths[-1]:
                continue
            parts = [emissions[offsets[i] : offsets[i + 1]] for i in chunk]
            for i, tags in zip(chunk, self._viterbi(parts, chunk_lengths)):
                out[i] = tags
        return out

    #: Sentences decoded side by side (sorted by length, so little padding).
    BATCH = 64

    def _viterbi(self, emissions: Sequence[np.ndarray], lengths: list[int]) -> list[list[str]]:
        n_labels = len(self.labels)
        longest = max(lengths)
        count = len(lengths)
        # time-major and padded, so that each step reads and writes contiguous blocks; padding
        # never feeds a real position's result
        scores = np.zeros((longest, count, n_labels))
        for s, n in enumerate(lengths):
            scores[:n, s] = emissions[s]
        back = np.zeros((longest, count, n_labels), dtype=np.intp)
        history = np.empty((longest, count, n_labels))
        history[0] = scores[0]
        trans = self.transitions[None, :, :]
        total = np.empty((count, n_labels, n_labels))
        # the best score of each (sentence, to) is read at its best `from` (the argmax) out of
        # the flat `total`, which costs a fraction of a second reduction over `from` (a max
        # over a middle axis of so small an array is slow in numpy); the same floats
        flat = total.reshape(-1)
        first_from = (np.arange(count, dtype=np.intp) * (n_labels * n_labels))[:, None] \
            + np.arange(n_labels, dtype=np.intp)  # flat index of (sentence, from 0, to)
        at = np.empty((count, n_labels), dtype=np.intp)
        add, multiply, take = np.add, np.multiply, np.take
        for t in range(1, longest):
            add(history[t - 1][:, :, None], trans, out=total)  # (sentence, from, to)
            total.argmax(axis=1, out=back[t])
            multiply(back[t], n_labels, out=at)
            add(at, first_from, out=at)
            take(flat, at, out=history[t])
            add(history[t], scores[t], out=history[t])
        labels = self.labels
        # the backtrace of all sentences together, a step at a time from the longest one's end;
        # a sentence joins at its own last position with its best final label
        sentences = np.arange(count)
        ends = np.maximum(np.asarray(lengths, dtype=np.intp) - 1, 0)
        best_last = history[ends, sentences].argmax(axis=1)
        ending_at: dict[int, list[int]] = {}
        for s, t in enumerate(ends.tolist()):
            ending_at.setdefault(t, []).append(s)
        paths = np.empty((longest, count), dtype=np.intp)
        current = np.zeros(count, dtype=np.intp)
        for t in range(longest - 1, -1, -1):
            joining = ending_at.get(t)
            if joining is not None:
                current[joining] = best_last[joining]
            paths[t] = current
            if t:
                current = back[t, sentences, current]
        rows = paths.T.tolist()
        return [[labels[i] for i in rows[s][:n]] for s, n in enumerate(lengths)]
