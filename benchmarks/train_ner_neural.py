"""Train the neural tagger stacked under khabar's NER CRF (ANERcorp TRAIN only).

    pip install torch==2.13.0       # training only (CPU wheel); khabar never imports torch
    python benchmarks/train_ner_neural.py --dev   # TRAIN minus dev: score dev (neural, CRF+neural)
    python benchmarks/train_ner_neural.py --dev --dev-part 0 --pretrained PIECES.npz
                                                  # another tenth as dev; USE piece vectors as
                                                  # an input (benchmarks/build_piece_vectors.py)
    python benchmarks/train_ner_neural.py         # all of TRAIN: ship the .npz and the CRF

Steps (see khabar.extract.ner_neural for the net):
1. the CRF features of the training sentences, jackknifed as in benchmarks/train_ner.py;
2. the net's out-of-fold probabilities on the training sentences (5 folds: each fold tagged by
   a net trained on the other four), so the CRF learns how far the net can be trusted on
   unseen text; and a net trained on all the training sentences (the one that ships);
3. the CRF trained on its own features plus `stack_features` of those probabilities.

Deterministic (fixed seeds, one thread): the same command writes the same files. A --dev run
takes ~15-20 min on one busy core (6 nets of ~2-6 min each, then the CRF); --cache keeps the
out-of-fold probabilities. The runs so far and their dev F1 are in MODEL_CARD.md (best:
`--epochs 15 --layers 3 --sentence-features`, +1.0 with the document pass over two seeds; not
shipped). Shipping would also need `khabar.extract.ner` to add `stack_features` to the rows
it tags with.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

# one core: OpenBLAS threads on the net's small matrices only wait on each other
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import train_ner as tn
from conlleval import format_table, read_conll, score

from khabar.extract import ner, ner_neural
from khabar.extract.ner_neural import PAD, UNK, NeuralTagger

PRE = None
TAGS = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


class Net(nn.Module):
    def __init__(self, n_chars, n_stems, n_feats, a):
        super().__init__()
        self.cemb = nn.Embedding(n_chars, a.cd, padding_idx=PAD)
        self.cconv = nn.Conv1d(a.cd, a.cf, 3, padding=1)
        self.semb = nn.Embedding(n_stems, a.sd, padding_idx=PAD)
        self.femb = nn.Embedding(n_feats, a.fd, padding_idx=PAD)
        self.pd = PRE.dim if PRE is not None else 0
        self.proj = nn.Linear(a.cf + a.sd + a.fd + self.pd, a.h)
        self.dils = [2**k for k in range(a.layers)]  # 1, 2, 4 ...: ±(2^layers - 1) words
        self.convs = nn.ModuleList(nn.Conv1d(a.h, a.h, 3, padding=d, dilation=d) for d in self.dils)
        self.out = nn.Linear(a.h, len(TAGS))
        self.drop = nn.Dropout(a.dropout)
        self.wdrop = a.word_dropout
        self.keep = a.keep
        self.sentence_feats = sorted(a.keep - ner_neural.KEEP_FEATURES)

    def forward(self, chars, stems, feats, mask, pre=None):
        # chars (B, T, C); stems (B, T); feats (B, T, F); mask (B, T)
        B, T, C = chars.shape
        ce = self.cemb(chars.view(B * T, C)).transpose(1, 2)  # (BT, cd, C)
        ch = torch.relu(self.cconv(ce))  # (BT, cf, C)
        cmask = (chars.view(B * T, C) != PAD).unsqueeze(1)
        ch = ch.masked_fill(~cmask, -1e9).max(dim=2).values
        ch = torch.where(ch < -1e8, torch.zeros_like(ch), ch).view(B, T, -1)
        if self.training and self.wdrop > 0:
            drop = (torch.rand(stems.shape) < self.wdrop) & (stems != PAD)
            stems = torch.where(drop, torch.full_like(stems, UNK), stems)
        se = self.semb(stems)
        fe = self.femb(feats).sum(dim=2)
        parts = [ch, se, fe] + ([pre] if self.pd else [])
        x = self.drop(torch.cat(parts, dim=2))
        m = mask.unsqueeze(2).float()
        x = torch.relu(self.proj(x)) * m
        for conv in self.convs:
            h = torch.relu(conv(x.transpose(1, 2))).transpose(1, 2) * m
            x = x + h
        return self.out(self.drop(x))

    def export(self, vocab) -> dict[str, np.ndarray]:
        g = lambda t: t.detach().numpy().astype(np.float32)
        return {
            "tags": np.array(TAGS),
            "chars": np.array(vocab["chars"]),
            "stems": np.array(vocab["stems"]),
            "feats": np.array(vocab["feats"]),
            "sentence_feats": np.array(self.sentence_feats, dtype=str),
            "cemb": g(self.cemb.weight),
            "cconv_w": g(self.cconv.weight),
            "cconv_b": g(self.cconv.bias),
            "semb": g(self.semb.weight),
            "femb": g(self.femb.weight),
            "proj_w": g(self.proj.weight),
            "proj_b": g(self.proj.bias),
            "out_w": g(self.out.weight),
            "out_b": g(self.out.bias),
        } | {
            f"conv{k + 1}_{part}": v
            for k, (conv, d) in enumerate(zip(self.convs, self.dils))
            for part, v in (("w", g(conv.weight)), ("b", g(conv.bias)), ("dil", np.array(d)))
        }


def build_vocab(words, feats, a) -> dict[str, list[str]]:
    """Vocabularies from the training sentences; index 0 is padding, 1 unknown."""
    cc, sc, fc = Counter(), Counter(), Counter()
    for ws, fs in zip(words, feats):
        for w, f in zip(ws, fs):
            cc.update(ner_neural.chars_of(w))
            sc[ner_neural.stem_of(f)] += 1
            fc.update(ner_neural.input_features(f, a.keep))
    head = ["<pad>", "<unk>"]
    return {
        "chars": head + sorted(c for c, n in cc.items() if n >= 2),
        "stems": head + sorted(s for s, n in sc.items() if n >= a.min_stem),
        "feats": head + sorted(f for f, n in fc.items() if n >= 3),
    }


def encode(words, feats, tags, vocab, keep):
    ci = {c: i for i, c in enumerate(vocab["chars"])}
    si = {s: i for i, s in enumerate(vocab["stems"])}
    fi = {f: i for i, f in enumerate(vocab["feats"])}
    ti = {t: i for i, t in enumerate(TAGS)}
    out = []
    for k, (ws, fs) in enumerate(zip(words, feats)):
        chars = [[ci.get(c, UNK) for c in ner_neural.chars_of(w)] for w in ws]
        stems = [si.get(ner_neural.stem_of(f), UNK) for f in fs]
        fids = [[fi[g] for g in ner_neural.input_features(f, keep) if g in fi] for f in fs]
        y = [ti[t] for t in tags[k]] if tags is not None else [0] * len(ws)
        pre = [PRE(w) for w in ws] if PRE is not None else None
        out.append((chars, stems, fids, y, pre))
    return out


def batchify(items):
    B = len(items)
    T = max(len(it[1]) for it in items)
    C = max(len(c) for it in items for c in it[0])
    F = max([len(f) for it in items for f in it[2]] + [1])
    chars = torch.zeros((B, T, C), dtype=torch.long)
    stems = torch.zeros((B, T), dtype=torch.long)
    feats = torch.zeros((B, T, F), dtype=torch.long)
    mask = torch.zeros((B, T), dtype=torch.bool)
    y = torch.full((B, T), -100, dtype=torch.long)
    pre = torch.zeros((B, T, PRE.dim), dtype=torch.float32) if PRE is not None else None
    for b, (cs, ss, fs, ys, ps) in enumerate(items):
        if pre is not None:
            pre[b, : len(ps)] = torch.from_numpy(np.stack(ps))
        n = len(ss)
        for t in range(n):
            chars[b, t, : len(cs[t])] = torch.tensor(cs[t])
            if fs[t]:
                feats[b, t, : len(fs[t])] = torch.tensor(fs[t])
        stems[b, :n] = torch.tensor(ss)
        mask[b, :n] = True
        y[b, :n] = torch.tensor(ys)
    return chars, stems, feats, mask, y, pre


def train_net(words, feats, tags, a, seed: int) -> dict[str, np.ndarray]:
    torch.manual_seed(seed)
    rng = random.Random(seed)
    vocab = build_vocab(words, feats, a)
    data = encode(words, feats, tags, vocab, a.keep)
    net = Net(len(vocab["chars"]), len(vocab["stems"]), len(vocab["feats"]), a)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    order = sorted(range(len(data)), key=lambda i: len(data[i][1]))
    batches = [order[i : i + a.batch] for i in range(0, len(order), a.batch)]
    prepared = [batchify([data[i] for i in b]) for b in batches]
    lossf = nn.CrossEntropyLoss(ignore_index=-100)
    total_steps = a.epochs * len(prepared)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.05, 1 - s / total_steps))
    for ep in range(a.epochs):
        net.train()
        idx = list(range(len(prepared)))
        rng.shuffle(idx)
        tot = 0.0
        for i in idx:
            chars, stems, fts, mask, y, pre = prepared[i]
            opt.zero_grad()
            logits = net(chars, stems, fts, mask, pre)
            loss = lossf(logits.view(-1, len(TAGS)), y.view(-1))
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            tot += float(loss.detach())
        if a.verbose:
            print(f"  epoch {ep + 1}: loss {tot / len(prepared):.4f}", flush=True)
    net.eval()
    return net.export(vocab), net, vocab


def check_parity(net, vocab, weights, words, feats) -> None:
    """The numpy inference must give the torch net's probabilities."""
    data = encode(words, feats, None, vocab, net.keep)
    with torch.no_grad():
        chars, stems, fts, mask, _, pre = batchify(data)
        p = torch.softmax(net(chars, stems, fts, mask, pre), dim=2).numpy()
    for b, q in enumerate(predict(weights, words, feats)):
        diff = np.abs(p[b, : len(q)] - q).max()
        assert diff < 1e-4, f"numpy and torch differ by {diff}"


def predict(weights, words, feats) -> list[np.ndarray]:
    tagger = NeuralTagger(weights, PRE)
    return [tagger.probs(ws, fs) for ws, fs in zip(words, feats)]


def argmax_tags(probs) -> list[list[str]]:
    return [[TAGS[i] for i in p.argmax(axis=1)] for p in probs]


def stacked(feats, probs):
    out = []
    for fs, p in zip(feats, probs):
        extra = ner_neural.stack_features(p, TAGS)
        out.append([list(f) + e for f, e in zip(fs, extra)])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", action="store_true")
    ap.add_argument("--dev-part", type=int, default=9, help="with --dev: which tenth of TRAIN is dev")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--cd", type=int, default=24, help="char embedding size")
    ap.add_argument("--cf", type=int, default=96, help="char CNN filters")
    ap.add_argument("--sd", type=int, default=64, help="stem embedding size")
    ap.add_argument("--fd", type=int, default=32, help="sparse feature embedding size")
    ap.add_argument("--h", type=int, default=128, help="hidden size")
    ap.add_argument("--layers", type=int, default=2, help="context convolutions")
    ap.add_argument(
        "--sentence-features", action="store_true", help="BOS/EOS, trigger before, gazetteer spans"
    )
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--word-dropout", type=float, default=0.15)
    ap.add_argument("--min-stem", type=int, default=2)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--no-stack", action="store_true", help="only train and score the net")
    ap.add_argument("--cache", default="", help="npz of out-of-fold probabilities to reuse")
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--iters", type=int, default=150)
    ap.add_argument("--out", default="", help="where to write models (default: resources)")
    ap.add_argument("--json", default="")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--pretrained", default="", metavar="PIECES_NPZ",
                    help="add each word's USE piece vector (the file benchmarks/build_piece_vectors.py writes)")
    a = ap.parse_args()
    torch.set_num_threads(1)
    a.keep = ner_neural.KEEP_FEATURES | (
        ner_neural.SENTENCE_FEATURES if a.sentence_features else set()
    )
    torch.use_deterministic_algorithms(True)
    global PRE
    if a.pretrained:
        PRE = ner_neural.PieceVectors.load(a.pretrained)

    sents = read_conll(str(tn.TRAIN))
    train_sents, dev_sents = tn.dev_split(sents, a.dev_part) if a.dev else (sents, [])
    triggers = ner.parse_triggers((tn.RES / "triggers.tsv").read_text(encoding="utf-8"))
    tn.EXT_SOURCES.clear()
    tn.EXT_SOURCES.update("nwop")  # the shipped model's lists (train_ner.py --ext's default)
    ext = tn.external_gazetteers(True, train_sents if a.dev else None)
    t0 = time.time()
    feats = tn.featurize_jackknife(train_sents, triggers, ext, {}, True, True, True)
    fx = tn.make_extractor(train_sents, triggers, ext, {}, True, True)
    words = [[w for w, _ in s] for s in train_sents]
    tags = [[t for _, t in s] for s in train_sents]
    dwords = [[w for w, _ in s] for s in dev_sents]
    dgold = [[t for _, t in s] for s in dev_sents]
    dfeats = [fx.sentence_features(ws) for ws in dwords]
    print(f"features {time.time() - t0:.0f}s", flush=True)
    out_dir = Path(a.out) if a.out else (Path("/tmp/khabar_nn_dev") if a.dev else tn.RES)
    out_dir.mkdir(parents=True, exist_ok=True)
    result: dict = {"args": {k: v for k, v in vars(a).items() if k != "keep"}}

    t0 = time.time()
    weights, net, vocab = train_net(words, feats, tags, a, a.seed)
    check_parity(net, vocab, weights, words[:50], feats[:50])
    np.savez_compressed(out_dir / ner_neural.MODEL_NAME, **weights)
    print(f"net on all training sentences: {time.time() - t0:.0f}s", flush=True)
    if a.dev:
        dprobs = predict(weights, dwords, dfeats)
        res = score(dgold, argmax_tags(dprobs))
        print("== dev, the net alone\n" + format_table(res), flush=True)
        result["dev_net"] = res
    if a.no_stack:
        _finish(a, result)
        return

    # out-of-fold probabilities on the training sentences
    cache = Path(a.cache) if a.cache else None
    if cache and cache.exists():
        z = np.load(cache)
        oof = [z[str(i)] for i in range(len(words))]
    else:
        n = len(words)
        bounds = [round(n * k / a.folds) for k in range(a.folds + 1)]
        oof = []
        for k in range(a.folds):
            lo, hi = bounds[k], bounds[k + 1]
            t0 = time.time()
            w_k, _, _ = train_net(
                words[:lo] + words[hi:],
                feats[:lo] + feats[hi:],
                tags[:lo] + tags[hi:],
                a,
                a.seed + 1 + k,
            )
            oof.extend(predict(w_k, words[lo:hi], feats[lo:hi]))
            print(f"fold {k + 1}/{a.folds}: {time.time() - t0:.0f}s", flush=True)
        if cache:
            np.savez_compressed(cache, **{str(i): p for i, p in enumerate(oof)})
    res = score(tags, argmax_tags(oof))
    print(f"out-of-fold net on TRAIN: F1 {res['overall']['f1']}", flush=True)
    result["oof_net"] = res["overall"]

    model_path = out_dir / ner.MODEL_NAME
    t0 = time.time()
    tn.train(stacked(feats, oof), train_sents, model_path, a.c1, a.c2, a.iters)
    print(f"CRF: {time.time() - t0:.0f}s", flush=True)
    if not a.dev:
        tn.write_gazetteer(
            out_dir / "gaz_anercorp_train.tsv", tn.mine_gazetteer(train_sents), tn.TRAIN_GAZ_HEADER
        )
        tn.write_lexicon(out_dir / ner.LEXICON_NAME, tn.mine_lexicon(train_sents))
    else:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path))
        pred = [list(tagger.tag(f)) for f in stacked(dfeats, dprobs)]
        doc = []
        for lo in range(0, len(dwords), 20):
            doc.extend(ner.document_consistency(dwords[lo : lo + 20], pred[lo : lo + 20], fx))
        result["dev"] = score(dgold, pred)
        result["dev_doc"] = score(dgold, doc)
        print("== dev, CRF + net\n" + format_table(result["dev"]))
        print("== dev, CRF + net, with document consistency (window 20)")
        print(format_table(result["dev_doc"]))
    _finish(a, result)


def _finish(a, result) -> None:
    if a.json:
        Path(a.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
