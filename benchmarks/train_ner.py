"""Train khabar's Arabic NER model (CRF, python-crfsuite) on the ANERcorp training split.

    python benchmarks/train_ner.py            # train on all of TRAIN, ship to resources/ner/
    python benchmarks/train_ner.py --dev      # train on TRAIN minus dev (last 10%), score dev
    python benchmarks/train_ner.py --dev --dev-part 0   # dev is the first tenth instead

Steps: mine a gazetteer of entity names from the training sentences (for the training
features themselves it is mined jackknife-style: each fold sees names from the other folds
only, so the model learns how far a gazetteer hit can be trusted on unseen text), extract
features (khabar.extract.ner.FeatureExtractor), train, and score the dev split with the
conlleval rules. The external gazetteer (resources/ner/gaz_cldr.tsv) is built beforehand by
benchmarks/build_gazetteers.py.

Only the TRAIN file is read here; the TEST file is scored by benchmarks/ner.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pycrfsuite

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from conlleval import format_table, read_conll, score

from khabar.extract import ner
from khabar.extract.known_names import add_surnames

DATA = ROOT.parent / "shared" / "data" / "anercorp"
TRAIN = DATA / "ANERcorp_CAMeLstyle_reconstructed_train.txt"
RES = ROOT / "src" / "khabar" / "resources" / "ner"
DEV_SHARE = 0.10
FOLDS = 5
FOLDS_ARG = [FOLDS]
EXT_SOURCES = {"n", "w"}


def mine_gazetteer(sents: list[list[tuple[str, str]]]) -> dict[tuple[str, ...], str]:
    """Entity names tagged in `sents` → majority type; single words mostly seen as O dropped."""
    votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    o_count: Counter = Counter()
    for sent in sents:
        words = [w for w, _ in sent]
        tags = [t for _, t in sent]
        keys = [ner.word_key(w) for w in words]
        for s, e, typ in ner.bio_to_spans(tags):
            votes[tuple(keys[s:e])][typ] += 1
        for k, t in zip(keys, tags):
            if t == "O":
                o_count[k] += 1
    out: dict[tuple[str, ...], str] = {}
    for phrase, v in votes.items():
        typ = v.most_common(1)[0][0]
        if len(phrase) == 1 and (len(phrase[0]) < 2 or o_count[phrase[0]] > sum(v.values())):
            continue
        out[phrase] = typ
    return out


def mine_lexicon(sents) -> dict[str, dict[str, int]]:
    """Word key → {tag: count} over `sents`."""
    lex: dict[str, Counter] = defaultdict(Counter)
    for sent in sents:
        for w, t in sent:
            lex[ner.word_key(w)][t] += 1
    return {k: dict(v) for k, v in lex.items()}


def write_lexicon(path: Path, lex: dict[str, dict[str, int]]) -> None:
    lines = [LEXICON_HEADER.rstrip("\n")]
    for k in sorted(lex):
        lines.append(k + "\t" + " ".join(f"{t}:{c}" for t, c in sorted(lex[k].items())))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


LEXICON_HEADER = """\
# lex_anercorp_train.tsv: how often each word (normalized, clitic-stripped) carries each tag in
# the ANERcorp TRAINING split, counted by benchmarks/train_ner.py: key<TAB>TAG:count ...
# Source: ANERcorp, Y. Benajiba, P. Rosso, J.M. Benedi Ruiz (2007), corrected split by the
# CAMeL Lab (Obeid et al. 2020). Licence: CC BY-SA 4.0
# (https://creativecommons.org/licenses/by-sa/4.0/); this derived list is under the same licence.
"""


def write_gazetteer(path: Path, entries: dict[tuple[str, ...], str], header: str) -> None:
    lines = [header.rstrip("\n")]
    for phrase, typ in sorted(entries.items(), key=lambda kv: (kv[1], kv[0])):
        lines.append(" ".join(phrase) + "\t" + typ)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


TRAIN_GAZ_HEADER = """\
# gaz_anercorp_train.tsv: entity names tagged in the ANERcorp TRAINING split (CAMeL Lab split
# recipe), mined by benchmarks/train_ner.py: name (normalized, clitic-stripped words)<TAB>type.
# One-word names that are more often tagged O than as an entity are left out.
# Source: ANERcorp, Y. Benajiba, P. Rosso, J.M. Benedi Ruiz (2007), corrected split by the
# CAMeL Lab (Obeid et al. 2020). Licence: CC BY-SA 4.0
# (https://creativecommons.org/licenses/by-sa/4.0/); this derived list is under the same licence.
"""


def external_gazetteers(use_ext: bool, filter_sents: list | None = None
                        ) -> list[tuple[str, ner.Gazetteer]]:
    """The external gazetteers of EXT_SOURCES. With `filter_sents` (a dev run: the training
    part), the ORG/MISC list is rebuilt from its source and filtered by those sentences only,
    so that no count of the dev part decides what it holds."""
    if not use_ext:
        return []
    out = []
    files = (("gaz_cldr.tsv", "x"), ("gaz_geonames.tsv", "g"), ("gaz_names.tsv", "n"),
             ("gaz_wikicats.tsv", "w"), ("gaz_org_misc.tsv", "o"), ("gaz_people.tsv", "p"))
    for name, src in files:
        if src not in EXT_SOURCES:
            continue
        if src in ("o", "p") and filter_sents is not None:
            import build_gazetteers

            o_count, ent_count = build_gazetteers.train_counts(filter_sents)
            if src == "o":
                text = build_gazetteers.ORG_MISC_SOURCE.read_text(encoding="utf-8")
                entries = build_gazetteers.org_misc_entries(text, o_count, ent_count, filter_sents)
            else:
                text = build_gazetteers.PEOPLE_SOURCE.read_text(encoding="utf-8")
                entries = build_gazetteers.people_entries(text, o_count, ent_count, filter_sents)
            text = "\n".join(f"{name}\t{typ}" for name, typ in entries.items())
        else:
            text = (RES / name).read_text(encoding="utf-8")
        out.append((src, ner.parse_gazetteer(text)))
    return out


def load_clusters(use: bool) -> dict[str, str]:
    path = RES / "clusters.tsv"
    if not use or not path.exists():
        return {}
    return ner.parse_clusters(path.read_text(encoding="utf-8"))


def make_extractor(sents, triggers, ext, clusters, use_train_gaz, use_lex):
    gazs = list(ext)
    if use_train_gaz:
        gazs.append(("t", ner.Gazetteer(mine_gazetteer(sents))))
    lex = mine_lexicon(sents) if use_lex else None
    return ner.FeatureExtractor(triggers, gazs, clusters, lex)


def featurize_jackknife(sents, triggers, ext, clusters, use_train_gaz, jackknife, use_lex):
    """Features for training sentences; the train gazetteer/lexicon of each fold excludes it."""
    if not jackknife or not (use_train_gaz or use_lex):
        fx = make_extractor(sents, triggers, ext, clusters, use_train_gaz, use_lex)
        return [fx.sentence_features([w for w, _ in s]) for s in sents]
    n = len(sents)
    FOLDS = FOLDS_ARG[0]
    bounds = [round(n * k / FOLDS) for k in range(FOLDS + 1)]
    feats = []
    for k in range(FOLDS):
        a, b = bounds[k], bounds[k + 1]
        fx = make_extractor(sents[:a] + sents[b:], triggers, ext, clusters, use_train_gaz, use_lex)
        feats.extend(fx.sentence_features([w for w, _ in s]) for s in sents[a:b])
    return feats


ALGORITHM = ["lbfgs"]


#: --piece-vectors: (PieceVectors, with the neighbours' too, scale) when dense features are on
PIECES: list = [None]


def with_piece_values(words, feats) -> list:
    """A sentence's features as crfsuite items with the word's USE piece vector (and its
    neighbours', with --pv-context) as real-valued features ``pv0``…; unchanged without."""
    if PIECES[0] is None:
        return feats
    from collections import Counter

    pv, context, scale = PIECES[0]
    vecs = [pv(w) * scale for w in words]
    out = []
    for i, f in enumerate(feats):
        item = dict(Counter(f))
        offsets = (-1, 0, 1) if context else (0,)
        for off in offsets:
            j = i + off
            if 0 <= j < len(words):
                name = "pv" if off == 0 else f"{off:+d}pv"
                item.update({f"{name}{k}": float(v) for k, v in enumerate(vecs[j])})
        out.append(item)
    return out


def train(feats, sents, model_path: Path, c1: float, c2: float, iters: int) -> float:
    trainer = pycrfsuite.Trainer(algorithm=ALGORITHM[0], verbose=False)
    for x, s in zip(feats, sents):
        x = with_piece_values([w for w, _ in s], x)
        trainer.append(x, [t for _, t in s])
    params = {"max_iterations": iters, "feature.possible_transitions": True}
    if ALGORITHM[0] == "lbfgs":
        params.update({"c1": c1, "c2": c2})
    trainer.set_params(params)
    t0 = time.time()
    trainer.train(str(model_path))
    return time.time() - t0


def dev_split(sents: list, part: int = 9) -> tuple[list, list]:
    """(training part, dev part): dev is the `part`-th tenth of the sentences (9: the last)."""
    if not 0 <= part < round(1 / DEV_SHARE):
        raise ValueError(f"dev part {part} is not in 0-{round(1 / DEV_SHARE) - 1}")
    n = len(sents)
    n_dev = round(n * DEV_SHARE)
    a = n - n_dev if part == round(1 / DEV_SHARE) - 1 else round(n * DEV_SHARE * part)
    return sents[:a] + sents[a + n_dev :], sents[a : a + n_dev]


def windows(n: int, size: int):
    return [(a, min(n, a + size)) for a in range(0, n, size)]


def stack_features(words, feats, tags, fx, doc_window):
    out = []
    for a, b in windows(len(words), doc_window):
        out.extend(ner.doc_features(words[a:b], feats[a:b], tags[a:b], fx))
    return out


def train_stacker(feats, sents, model_path: Path, doc_window: int, fx, c1, c2, iters) -> Path:
    """Second-pass CRF over document features; first-pass tags on TRAIN come from models that
    did not see the sentences they tag (k folds)."""
    n = len(sents)
    k = FOLDS_ARG[0]
    bounds = [round(n * i / k) for i in range(k + 1)]
    first = [None] * n
    for i in range(k):
        a, b = bounds[i], bounds[i + 1]
        tmp = model_path.with_suffix(f".fold{i}")
        train(feats[:a] + feats[b:], sents[:a] + sents[b:], tmp, c1, c2, iters)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(tmp))
        for j in range(a, b):
            first[j] = list(tagger.tag(feats[j]))
        tagger.close()
        tmp.unlink()
    words = [[w for w, _ in s] for s in sents]
    dfeats = stack_features(words, feats, first, fx, doc_window)
    doc_path = model_path.with_name(model_path.name.replace(".crfsuite", "") + "_doc.crfsuite")
    if doc_path == model_path:
        doc_path = model_path.with_suffix(".doc")
    train(dfeats, sents, doc_path, c1, c2, iters)
    return doc_path


def tag_sents(model_path: Path, fx: ner.FeatureExtractor, sents, doc_window: int):
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    words = [[w for w, _ in s] for s in sents]
    pred = [list(tagger.tag(with_piece_values(ws, fx.sentence_features(ws)))) for ws in words]
    if doc_window:
        out = []
        for a in range(0, len(words), doc_window):
            out.extend(
                ner.document_consistency(words[a : a + doc_window], pred[a : a + doc_window], fx)
            )
        return pred, out
    return pred, None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", action="store_true", help="train on TRAIN minus dev and score dev")
    ap.add_argument(
        "--dev-part",
        type=int,
        default=9,
        help="with --dev: which tenth of TRAIN's sentences is dev (0-9; default 9, the last)",
    )
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--iters", type=int, default=150)
    ap.add_argument("--no-ext", action="store_true", help="no external (CLDR/GeoNames) gazetteer")
    ap.add_argument("--no-train-gaz", action="store_true", help="no gazetteer mined from TRAIN")
    ap.add_argument("--no-jackknife", action="store_true")
    ap.add_argument("--no-triggers", action="store_true")
    ap.add_argument("--no-clusters", action="store_true")
    ap.add_argument("--no-lex", action="store_true", help="no word/tag lexicon from TRAIN")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--algorithm", default="lbfgs", help="crfsuite training algorithm")
    ap.add_argument("--neighbor-affixes", action="store_true")
    ap.add_argument("--char-ngrams", action="store_true")
    ap.add_argument("--no-conjunctions", action="store_true")
    ap.add_argument("--stack", action="store_true", help="also train a second-pass document CRF")
    ap.add_argument(
        "--ext",
        default="nwop",
        help="external gazetteers to use (x: CLDR places, g: GeoNames cities, n: names, "
        "w: ArWikiCats clubs and people, o: organisations and MISC names written by the khabar "
        "authors, p: well-known people written by the khabar authors)",
    )
    ap.add_argument("--people-one-word", action="store_true",
                    help="with p: keep the people list's one-word names (a dev run's rebuild)")
    ap.add_argument("--no-people-surnames", action="store_true",
                    help="with p: no last word of a listed name alone (PSUR; a dev run's rebuild)")
    ap.add_argument("--no-surname-stop", action="store_true",
                    help="with p: keep the surnames that are also common words (PSUR; a dev run's "
                    "rebuild; benchmarks/data/gaz_people_surname_stop.txt)")
    ap.add_argument("--doc-window", type=int, default=20, help="sentences per pseudo-document")
    ap.add_argument("--piece-vectors", default="", metavar="PIECES_NPZ",
                    help="each word's USE piece vector as real-valued features "
                    "(the file benchmarks/build_piece_vectors.py writes; an experiment, not shipped)")
    ap.add_argument("--pv-context", action="store_true", help="with --piece-vectors: also the neighbours'")
    ap.add_argument("--pv-scale", type=float, default=0.5, help="with --piece-vectors: their scale")
    ap.add_argument("--model", default="", help="where to write the model (default: resources)")
    ap.add_argument("--json", default="", help="write dev scores here")
    ap.add_argument(
        "--predictions",
        default="",
        help="write dev as CoNLL here: word, gold tag, tag after the document pass",
    )
    args = ap.parse_args()

    FOLDS_ARG[0] = args.folds
    ALGORITHM[0] = args.algorithm
    ner.NEIGHBOR_AFFIXES = args.neighbor_affixes
    ner.CHAR_NGRAMS = args.char_ngrams
    ner.CONJUNCTIONS = not args.no_conjunctions
    EXT_SOURCES.clear()
    EXT_SOURCES.update(args.ext)
    if args.people_one_word:
        import build_gazetteers

        build_gazetteers.PEOPLE_ONE_WORD = True
    if args.no_people_surnames:
        import build_gazetteers

        build_gazetteers.PEOPLE_SURNAMES = False
    if args.no_surname_stop:
        import build_gazetteers

        build_gazetteers.PEOPLE_USE_SURNAME_STOP = False
    if args.piece_vectors:
        from khabar.extract.ner_neural import PieceVectors

        PIECES[0] = (PieceVectors.load(args.piece_vectors), args.pv_context, args.pv_scale)
    sents = read_conll(str(TRAIN))
    train_sents, dev_sents = dev_split(sents, args.dev_part)
    if not args.dev:
        train_sents = sents
    triggers = (
        {}
        if args.no_triggers
        else ner.parse_triggers((RES / "triggers.tsv").read_text(encoding="utf-8"))
    )
    ext = external_gazetteers(not args.no_ext, train_sents if args.dev else None)
    clusters = load_clusters(not args.no_clusters)
    t0 = time.time()
    feats = featurize_jackknife(
        train_sents,
        triggers,
        ext,
        clusters,
        not args.no_train_gaz,
        not args.no_jackknife,
        not args.no_lex,
    )
    t_feat = time.time() - t0
    model_path = Path(args.model) if args.model else RES / ner.MODEL_NAME
    if args.dev and not args.model:
        model_path = Path("/tmp/khabar_ner_dev.crfsuite")
    t_train = train(feats, train_sents, model_path, args.c1, args.c2, args.iters)
    if not args.dev:
        if not args.no_train_gaz:
            write_gazetteer(
                RES / "gaz_anercorp_train.tsv", mine_gazetteer(train_sents), TRAIN_GAZ_HEADER
            )
        if not args.no_lex:
            write_lexicon(RES / ner.LEXICON_NAME, mine_lexicon(train_sents))
    fx = make_extractor(
        train_sents, triggers, ext, clusters, not args.no_train_gaz, not args.no_lex
    )
    pred, pred_doc = tag_sents(model_path, fx, dev_sents, args.doc_window)
    gold = [[t for _, t in s] for s in dev_sents]
    res = score(gold, pred)
    label = "dev" if args.dev else "dev (seen in training: not a held-out score)"
    print(f"features {t_feat:.0f}s, training {t_train:.0f}s, {len(train_sents)} sentences")
    print(f"== {label}, first pass\n" + format_table(res))
    out = {"args": vars(args), "dev": res}
    if pred_doc is not None:
        res_doc = score(gold, pred_doc)
        print(f"== {label}, with document consistency (window {args.doc_window})")
        print(format_table(res_doc))
        out["dev_doc"] = res_doc
        words = [[w for w, _ in s] for s in dev_sents]
        with_surnames = []
        for a, b in windows(len(words), args.doc_window):
            with_surnames.extend(add_surnames(words[a:b], pred_doc[a:b], extractor=fx))
        res_sur = score(gold, with_surnames)
        print(f"== {label}, with document consistency + lone surnames")
        print(format_table(res_sur))
        out["dev_doc_surnames"] = res_sur
    print(f"model: {model_path} ({model_path.stat().st_size / 1e6:.1f} MB)")
    if args.stack:
        t0 = time.time()
        doc_path = train_stacker(
            feats, train_sents, model_path, args.doc_window, fx, args.c1, args.c2, args.iters
        )
        words = [[w for w, _ in s] for s in dev_sents]
        dev_feats = [fx.sentence_features(ws) for ws in words]
        dfeats = stack_features(words, dev_feats, pred, fx, args.doc_window)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(doc_path))
        pred2 = [list(tagger.tag(f)) for f in dfeats]
        res2 = score(gold, pred2)
        print(f"== {label}, second-pass document CRF ({time.time() - t0:.0f}s)")
        print(format_table(res2))
        pred3 = []
        for a, b in windows(len(words), args.doc_window):
            pred3.extend(ner.document_consistency(words[a:b], pred2[a:b], fx))
        res3 = score(gold, pred3)
        print(f"== {label}, second-pass CRF + consistency rule")
        print(format_table(res3))
        out["dev_stack"] = res2
        out["dev_stack_rule"] = res3
        print(f"doc model: {doc_path} ({doc_path.stat().st_size / 1e6:.1f} MB)")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    if args.predictions:
        chosen = pred_doc if pred_doc is not None else pred
        with open(args.predictions, "w", encoding="utf-8") as f:
            for sent, tags in zip(dev_sents, chosen):
                for (word, gold_tag), tag in zip(sent, tags):
                    f.write(f"{word}\t{gold_tag}\t{tag}\n")
                f.write("\n")


if __name__ == "__main__":
    main()
