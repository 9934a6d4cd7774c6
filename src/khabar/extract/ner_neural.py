"""A small neural tagger for Arabic NER whose inference is pure numpy (no torch at run time).

It is trained by ``benchmarks/train_ner_neural.py`` (with torch) to be stacked under the CRF of
`khabar.extract.ner`: its per-token tag probabilities become CRF features (`stack_features`).
Not shipped so far: on the development split the stack gained +1.0 F1 at best (MODEL_CARD.md
in ``khabar/resources/ner/`` lists every run; two seeds: +0.9, +1.1), at the bar for shipping.

Per word: a character CNN over the normalized word (max-pooled), an embedding of the
clitic-stripped stem (rare and unseen stems share one vector) and a sum of embeddings of the
CRF's cheap per-word signals (shape, proclitics, trigger class, gazetteer hits, tag counts in
the training data). A projection, residual 1-D convolutions over the sentence (width 3,
dilations 1, 2, ...: with two, ±3 words of context) and a softmax over the BIO tags.

The weights live in one ``.npz`` file. numpy's BLAS should run on one thread
(``OPENBLAS_NUM_THREADS=1``): the matrices are small, and on a busy machine OpenBLAS threads
waiting on each other made tagging ~10x slower.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from khabar.text import normalize_text

__all__ = [
    "KEEP_FEATURES",
    "MODEL_NAME",
    "NeuralTagger",
    "input_features",
    "stack_features",
]

MODEL_NAME = "anercorp_nn.npz"

#: Feature names (the part before ``=``) of the CRF's own per-token features fed to the net.
#: Only features of the word itself (not of its sentence), so the net's input is cached per word.
KEEP_FEATURES = frozenset({"sh", "px", "tr", "gn", "gt", "lf", "lo", "ld", "al"})
#: Characters of a word the char CNN sees (longer words are cut: first MAX_CHARS letters).
MAX_CHARS = 20
PAD, UNK = 0, 1


#: Features of the word in its sentence (first/last word, trigger before, multi-word gazetteer
#: matches), used when the weights file lists them (``sentence_feats``); added per sentence.
SENTENCE_FEATURES = frozenset({"BOS", "EOS", "trb", "Gn", "Gt"})


def input_features(feats: Sequence[str], keep: frozenset[str] = KEEP_FEATURES) -> list[str]:
    """The CRF features of one token that the net uses as sparse inputs."""
    return [f for f in feats if f.partition("=")[0] in keep]


def stem_of(feats: Sequence[str]) -> str:
    for f in feats:
        if f.startswith("s="):
            return f[2:]
    return ""


def chars_of(word: str) -> str:
    norm = normalize_text(word).strip() or word
    return norm[:MAX_CHARS] or " "


def _bucket(p: float) -> str:
    return "h" if p >= 0.9 else "m" if p >= 0.6 else "l"


def stack_features(probs: np.ndarray, tags: Sequence[str]) -> list[list[str]]:
    """CRF features from the net's (n, n_tags) probabilities: its best tag, with a confidence
    bucket, the neighbours' best tags, and the best entity tag when the net says O but not
    surely."""
    n = len(probs)
    if n == 0:
        return []
    best = probs.argmax(axis=1)
    names = [tags[b] for b in best]
    o = tags.index("O")
    ent = probs.copy()
    ent[:, o] = -1.0
    best_ent = ent.argmax(axis=1)
    out = []
    for i in range(n):
        p = float(probs[i, best[i]])
        f = ["nn=" + names[i], "nnc=" + names[i] + ":" + _bucket(p)]
        if i > 0:
            f.append("nn-1=" + names[i - 1] + "|" + names[i])
        if i + 1 < n:
            f.append("nn+1=" + names[i] + "|" + names[i + 1])
        if best[i] == o:
            pe = float(probs[i, best_ent[i]])
            if pe >= 0.1:
                f.append("nne=" + tags[best_ent[i]] + ":" + ("h" if pe >= 0.3 else "l"))
        out.append(f)
    return out


class NeuralTagger:
    """Numpy inference for the weights written by benchmarks/train_ner_neural.py."""

    #: words whose projected input is kept (~0.5 KB each)
    CACHE_LIMIT = 50_000

    def __init__(self, weights: dict[str, np.ndarray],
                 pretrained: Callable[[str], np.ndarray] | None = None) -> None:
        """`pretrained`: a word's fixed vector (`PieceVectors`), for weights trained with one."""
        w = {k: np.asarray(v) for k, v in weights.items()}
        self.pretrained = pretrained
        self.tags: list[str] = [str(t) for t in w["tags"]]
        self.char_index = {str(c): i for i, c in enumerate(w["chars"])}
        self.stem_index = {str(s): i for i, s in enumerate(w["stems"])}
        self.feat_index = {str(f): i for i, f in enumerate(w["feats"])}
        f32 = np.float32
        self.cemb = w["cemb"].astype(f32)  # (n_chars, cd)
        # conv weight (cf, cd, k) → (k*cd, cf) for one matmul over stacked windows
        cw = w["cconv_w"].astype(f32)
        self.ck = cw.shape[2]
        self.cconv_w = np.ascontiguousarray(cw.transpose(2, 1, 0).reshape(-1, cw.shape[0]))
        self.cconv_b = w["cconv_b"].astype(f32)
        self.semb = w["semb"].astype(f32)
        self.femb = w["femb"].astype(f32)
        pw = w["proj_w"].astype(f32)  # (h, cf+sd+fd)
        cf, sd = self.cconv_w.shape[1], self.semb.shape[1]
        # the projection is linear: split it so the word part (chars + stem) is cached per word
        self.proj_c = np.ascontiguousarray(pw[:, :cf].T)
        self.proj_s = np.ascontiguousarray(pw[:, cf : cf + sd].T)
        # sparse features: project their embeddings once (sum of rows, then linear = sum of
        # projected rows)
        fd = self.femb.shape[1]
        self.femb_p = np.ascontiguousarray(self.femb @ pw[:, cf + sd : cf + sd + fd].T)
        self.proj_pre = np.ascontiguousarray(pw[:, cf + sd + fd :].T) if pw.shape[1] > cf + sd + fd else None
        self.stem_p = self.semb @ self.proj_s
        self.proj_b = w["proj_b"].astype(f32)
        self.convs = []
        k = 1
        while f"conv{k}_w" in w:
            name = f"conv{k}"
            k += 1
            cwt = w[name + "_w"].astype(f32)  # (h, h, 3)
            dil = int(w[name + "_dil"])
            # (h_out, h_in, 3) → (3*h_in, h_out): one matmul over the three shifted inputs
            wk = np.concatenate([cwt[:, :, j].T for j in range(3)], axis=0)
            self.convs.append((np.ascontiguousarray(wk), w[name + "_b"].astype(f32), dil))
        self.out_w = np.ascontiguousarray(w["out_w"].astype(f32).T)
        self.out_b = w["out_b"].astype(f32)
        self.sentence_keep = frozenset(str(f) for f in w.get("sentence_feats", ()))
        self._cache: dict[str, np.ndarray] = {}

    @classmethod
    def load(cls, path: str | Path, pretrained: Callable[[str], np.ndarray] | None = None
             ) -> NeuralTagger:
        with np.load(path, allow_pickle=False) as z:
            return cls({k: z[k] for k in z.files}, pretrained)

    # per word -------------------------------------------------------------
    def _char_vectors(self, words: Sequence[str]) -> np.ndarray:
        """Char-CNN outputs (len(words), cf) projected into the hidden layer."""
        seqs = [[self.char_index.get(c, UNK) for c in chars_of(w)] for w in words]
        m = len(seqs)
        L = max(len(s) for s in seqs)
        k = self.ck
        half = k // 2
        ids = np.zeros((m, L + 2 * half), dtype=np.int64)
        mask = np.zeros((m, L), dtype=bool)
        for i, s in enumerate(seqs):
            ids[i, half : half + len(s)] = s
            mask[i, : len(s)] = True
        e = self.cemb[ids]  # (m, L+2h, cd); row 0 (padding) is zero
        win = np.concatenate([e[:, j : j + L] for j in range(k)], axis=2)  # (m, L, k*cd)
        h = win @ self.cconv_w + self.cconv_b
        np.maximum(h, 0, out=h)
        h[~mask] = -np.inf
        return h.max(axis=1) @ self.proj_c

    def _word_vectors(self, words: Sequence[str], feats: Sequence[Sequence[str]]) -> np.ndarray:
        """Per word, its projected input (chars + stem + per-word features + bias). Every
        input of the net depends on the word alone, so this is cached per word form."""
        cache = self._cache
        miss = {}
        for i, w in enumerate(words):
            if w not in cache and w not in miss:
                miss[w] = i
        if miss:
            if len(cache) + len(miss) > self.CACHE_LIMIT:
                cache.clear()  # then every word of the sentence is made again
                miss = {w: i for i, w in reversed(list(enumerate(words)))}
            ws = list(miss)
            vecs = self._char_vectors(ws)
            fi, si = self.feat_index, self.stem_index
            for w, v in zip(ws, vecs):
                f = feats[miss[w]]
                rows = [fi[g] for g in input_features(f) if g in fi]
                v = v + self.stem_p[si.get(stem_of(f), UNK)] + self.proj_b
                if rows:
                    v += self.femb_p[rows].sum(axis=0)
                if self.proj_pre is not None:
                    v = v + self.pretrained(w) @ self.proj_pre
                cache[w] = v
        return np.stack([cache[w] for w in words])

    # per sentence ---------------------------------------------------------
    def probs(self, words: Sequence[str], feats: Sequence[Sequence[str]]) -> np.ndarray:
        """(len(words), n_tags) tag probabilities for one sentence, given its CRF features."""
        n = len(words)
        if n == 0:
            return np.zeros((0, len(self.tags)), dtype=np.float32)
        x = self._word_vectors(words, feats)
        if self.sentence_keep:
            fi, femb_p = self.feat_index, self.femb_p
            keep = self.sentence_keep
            first = "".join({k[0] for k in keep})
            for i, f in enumerate(feats):
                # a cheap first-letter test before the split: a token has ~60 CRF features
                rows = [
                    fi[g] for g in f if g[0] in first and g.partition("=")[0] in keep and g in fi
                ]
                if rows:
                    x[i] += femb_p[rows].sum(axis=0)
        np.maximum(x, 0, out=x)
        for w, b, dil in self.convs:
            pad = np.zeros((dil, x.shape[1]), dtype=x.dtype)
            xp = np.concatenate([pad, x, pad])
            h = np.concatenate([xp[:n], xp[dil : dil + n], xp[2 * dil :]], axis=1) @ w
            h += b
            np.maximum(h, 0, out=h)
            x += h
        logits = x @ self.out_w + self.out_b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        return p


class PieceVectors:
    """Per word, the mean of the vectors of its Arabic word pieces (`pieces.npz`, built by
    ``benchmarks/build_piece_vectors.py`` from USE multilingual v3's SentencePiece vocabulary
    and input embeddings, Apache-2.0): the word is split as SentencePiece's unigram model
    would (the segmentation of the highest total score), over the Arabic pieces only; letters
    no piece covers add nothing. Cached per word."""

    MAX_PIECE = 16

    def __init__(self, pieces: Sequence[str], scores: np.ndarray, vectors: np.ndarray) -> None:
        self.index = {p: i for i, p in enumerate(pieces)}
        self.scores = [float(x) for x in scores]
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.dim = self.vectors.shape[1]
        self._zero = np.zeros(self.dim, dtype=np.float32)
        self._cache: dict[str, np.ndarray] = {}

    @classmethod
    def load(cls, path: str | Path) -> PieceVectors:
        with np.load(path, allow_pickle=False) as z:
            return cls([str(p) for p in z["pieces"]], z["scores"], z["vectors"])

    def segment(self, word: str) -> list[int]:
        """Piece ids of `word` (unigram Viterbi; a letter no piece covers is skipped)."""
        text = "\u2581" + unicodedata.normalize("NFKC", word)
        n = len(text)
        index, scores = self.index, self.scores
        best = [0.0] + [-1e18] * n
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        for end in range(1, n + 1):
            # an uncovered letter: a heavy penalty, no piece
            best[end], back[end] = best[end - 1] - 20.0, (end - 1, -1)
            for start in range(max(0, end - self.MAX_PIECE), end):
                pid = index.get(text[start:end])
                if pid is not None and best[start] + scores[pid] > best[end]:
                    best[end], back[end] = best[start] + scores[pid], (start, pid)
        out = []
        end = n
        while end > 0:
            start, pid = back[end]
            if pid >= 0:
                out.append(pid)
            end = start
        return out[::-1]

    def __call__(self, word: str) -> np.ndarray:
        v = self._cache.get(word)
        if v is None:
            ids = self.segment(word)
            v = self.vectors[ids].mean(axis=0) if ids else self._zero
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[word] = v
        return v
