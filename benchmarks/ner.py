"""Score khabar's SHIPPED NER model: ANERcorp test split, the seed articles, speed and memory.

    python benchmarks/ner.py            # writes benchmarks/results/ner.json
    python benchmarks/ner.py --dev-part 9 --dev-model /tmp/dev9.crfsuite   # dev only, no TEST
    python benchmarks/ner.py --seeds-only   # the seed articles only, no TEST

* with --dev-part K (dev only: TEST is not read): the news path (`find_entities`' rules after
  the model, on the K-th tenth of TRAIN as 20-sentence documents, its sentences joined with
  spaces) scored with a dev model (`python benchmarks/train_ner.py --dev --dev-part K --model
  PATH`) and the gazetteers and lexicon rebuilt from the other nine tenths, as train_ner.py's
  dev run does; with and without the cuts after the model of issue 4 (quotation marks, words
  that end a name, surnames read as places) to compare;

* ANERcorp TEST (CAMeL-style split, ../shared/data/anercorp): entity-level P/R/F1 per type and
  overall with conlleval's rules, sentence by sentence (`tag_tokens`), and with the document
  pass over windows of 20 consecutive sentences (the split has no document boundaries);
* the seed articles (../shared/seeds, gold in ../shared/eval/seeds_gold.json): unique entity
  strings per type found by `find_entities` + `canonicalize` over the whole file, compared with
  the gold strings (after the same normalization: khabar.text.normalize_text);
* speed: tokens/s of `tag_sentences` on groups of 256 sentences, as `khabar tag` tags (features included) on one core, cold (empty feature cache)
  and warm; model load time in a fresh process (the first one, which parses the resources and
  keeps them compiled, and a later one); peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from conlleval import format_table, read_conll, score

from khabar.extract import canonicalize, find_entities, ner
from khabar.extract.known_names import (
    add_known_entities,
    add_surnames,
    drop_currencies,
    surnames_read_as_places,
)
from khabar.text import normalize_text

SHARED = ROOT.parent / "shared"
TEST = SHARED / "data" / "anercorp" / "ANERcorp_CAMeLstyle_reconstructed_test.txt"
SEEDS_GOLD = SHARED / "eval" / "seeds_gold.json"
DOC_WINDOW = 20


def score_test() -> dict:
    sents = read_conll(str(TEST))
    words = [[w for w, _ in s] for s in sents]
    gold = [[t for _, t in s] for s in sents]
    pred = [ner.tag_tokens(ws) for ws in words]
    doc = []
    for a in range(0, len(words), DOC_WINDOW):
        doc.extend(ner.document_consistency(words[a : a + DOC_WINDOW], pred[a : a + DOC_WINDOW]))
    surnames = ner.tag_in_context(words, pred, DOC_WINDOW)  # what `khabar tag` prints
    news = []
    for a in range(0, len(words), DOC_WINDOW):
        window = words[a : a + DOC_WINDOW]
        keys = [[ner.word_key(w) for w in sent] for sent in window]
        # the cuts of issue 4 first, as find_entities does (quotation marks, words that end a
        # name, surnames read as places)
        tags = ner.cut_run_ons(window, ner.cut_at_quote_marks(
            window, [list(t) for t in doc[a : a + DOC_WINDOW]]))
        tags = surnames_read_as_places(window, keys, tags)
        news.extend(drop_currencies(keys, add_surnames(
            window, add_known_entities(window, tags))))
    return {"sentences": score(gold, pred), "document_pass": score(gold, doc),
            "document_pass_surnames": score(gold, surnames), "news_additions": score(gold, news)}


def score_seeds() -> dict:
    gold_all = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))["articles"]
    out = {}
    tp = fp = fn = 0
    for name, gold in gold_all.items():
        text = (SHARED / "seeds" / name).read_text(encoding="utf-8")
        ents = canonicalize(find_entities(text), text)
        found = {(e.label, normalize_text(e.text)) for e in ents}
        want = {
            (label, normalize_text(s))
            for label, strings in gold["entities"].items()
            for s in strings
        }
        hit = found & want
        tp += len(hit)
        fp += len(found - want)
        fn += len(want - found)
        out[name] = {
            "gold": len(want),
            "found": len(found),
            "correct": len(hit),
            "missed": sorted(" ".join(x) for x in want - found),
            "extra": sorted(" ".join(x) for x in found - want),
        }
    p = 100 * tp / (tp + fp) if tp + fp else 0.0
    r = 100 * tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    out["overall"] = {"precision": round(p, 2), "recall": round(r, 2), "f1": round(f, 2)}
    return out


def speed() -> dict:
    sents = read_conll(str(TEST))
    words = [[w for w, _ in s] for s in sents]
    n = sum(map(len, words))
    extractor = ner.load_extractor()
    extractor._cache.clear()
    extractor._keys.clear()
    groups = [words[i:i + 256] for i in range(0, len(words), 256)]  # as `khabar tag` does
    t0 = time.perf_counter()
    for group in groups:
        ner.tag_sentences(group)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for group in groups:
        ner.tag_sentences(group)
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    for ws in words:
        ner.tag_tokens(ws)
    one = time.perf_counter() - t0
    return {
        "tokens": n,
        "tokens_per_s_cold": round(n / cold),
        "tokens_per_s_warm": round(n / warm),
        "tokens_per_s_warm_one_sentence_at_a_time": round(n / one),
    }


def load_time() -> dict[str, float]:
    """Seconds (wall, and CPU) for a fresh process to import the NER and load what tagging
    uses (the feature extractor with its gazetteers, and the CRF's weights as arrays): the
    first time, with an empty cache folder (parsed, then kept: `khabar.compiled`), and then
    as every later process does (read back)."""
    code = (
        "import time; t=time.perf_counter(); c=time.process_time(); from khabar.extract import ner; "
        "ner.load_extractor(); ner._fast_crf(); print(time.perf_counter()-t, time.process_time()-c)"
    )
    import tempfile

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), KHABAR_CACHE_DIR=folder)
        for key in ("first", "later"):
            res = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            )
            wall, cpu = (float(x) for x in res.stdout.split())
            out[f"{key}_s"], out[f"{key}_cpu_s"] = round(wall, 3), round(cpu, 3)
    return out


def score_dev_news(part: int, model: str) -> dict:
    """The news path (what `find_entities` does after the model) on the `part`-th tenth of
    TRAIN, tagged by the dev model at `model` with gazetteers and lexicon from the other nine
    tenths; with and without the cuts of issue 4. Conlleval over ANERcorp's tokens: a token is
    in an entity when the entity's characters cover any of it."""
    import pycrfsuite
    import train_ner

    from khabar.extract import entities as entities_module
    from khabar.extract import known_names as known_names_module
    from khabar.extract.fast_crf import CachedCrf

    sents = read_conll(str(train_ner.TRAIN))
    train_sents, dev_sents = train_ner.dev_split(sents, part)
    triggers = ner.parse_triggers((train_ner.RES / "triggers.tsv").read_text(encoding="utf-8"))
    ext = train_ner.external_gazetteers(True, train_sents)
    fx = train_ner.make_extractor(train_sents, triggers, ext, train_ner.load_clusters(True), True, True)
    for module in (ner, known_names_module, entities_module):
        module.load_extractor = lambda: fx
    tagger = pycrfsuite.Tagger()
    tagger.open(model)
    ner._local.tagger = tagger
    ner._local.fast_crf = CachedCrf(tagger)
    words = [[w for w, _ in s] for s in dev_sents]
    gold = [[t for _, t in s] for s in dev_sents]
    documents = []
    for a in range(0, len(words), DOC_WINDOW):
        text, spans, offsets = "", [], []
        for ws in words[a : a + DOC_WINDOW]:
            start = len(text)
            offs = []
            for w in ws:
                offs.append((len(text), len(text) + len(w)))
                text += w + " "
            spans.append((start, len(text) - 1))
            offsets.append(offs)
            text = text[:-1] + "\n"
        documents.append((text, spans, offsets))

    def run() -> dict:
        found = ner.entities_in_documents([(t, sp) for t, sp, _ in documents])
        pred = []
        for (_, _, offsets), ents in zip(documents, found):
            for offs in offsets:
                tags = ["O"] * len(offs)
                lo, hi = offs[0][0], offs[-1][1] if offs else 0
                for ent in ents:
                    if ent.end <= lo or ent.start >= hi:
                        continue
                    inside = [k for k, (x, y) in enumerate(offs) if x < ent.end and y > ent.start]
                    typ = {"PER": "PERS"}.get(ent.label, ent.label)
                    for n, k in enumerate(inside):
                        if tags[k] == "O":
                            tags[k] = ("B-" if n == 0 else "I-") + typ
                pred.append(tags)
        return score(gold, pred)

    with_cuts = run()
    saved = (ner.cut_at_quote_marks, ner.cut_run_ons, known_names_module.surnames_read_as_places)
    ner.cut_at_quote_marks = ner.cut_run_ons = lambda _w, tags: tags
    known_names_module.surnames_read_as_places = lambda _w, _k, tags: tags
    try:
        without = run()
    finally:
        ner.cut_at_quote_marks, ner.cut_run_ons, known_names_module.surnames_read_as_places = saved
    return {"part": part, "news_path": with_cuts, "news_path_without_cuts": without}


def main() -> None:
    ap = argparse.ArgumentParser(description="Score the shipped NER model: ANERcorp TEST, seeds, "
                                 "speed (writes benchmarks/results/ner.json); with --dev-part, dev "
                                 "only (TEST is not read)")
    ap.add_argument("--dev-part", type=int, default=None,
                    help="dev only: score the news path on this tenth of TRAIN (0-9) with --dev-model")
    ap.add_argument("--dev-model", default="",
                    help="the dev model of that tenth (benchmarks/train_ner.py --dev --dev-part K --model PATH)")
    ap.add_argument("--json", default="", help="with --dev-part: write the dev scores here")
    ap.add_argument("--seeds-only", action="store_true",
                    help="score the seed articles only (TEST is not read; nothing is written)")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.seeds_only:
        seeds = score_seeds()
        for name, row in seeds.items():
            if name != "overall":
                print(name, {k: row[k] for k in ("gold", "found", "correct", "missed", "extra")})
        print("== seeds (unique entity strings):", seeds["overall"])
        return
    if args.dev_part is not None:
        if not args.dev_model:
            ap.error("--dev-part needs --dev-model")
        res = score_dev_news(args.dev_part, args.dev_model)
        print(f"== dev tenth {args.dev_part}: news path (find_entities' rules after the model)")
        print(format_table(res["news_path"]))
        print("== the same without the cuts of issue 4 (quotation marks, words that end a name, "
              "surnames read as places)")
        print(format_table(res["news_path_without_cuts"]))
        if args.json:
            Path(args.json).write_text(json.dumps(res, indent=1), encoding="utf-8")
        return
    result: dict = {}
    model = Path(str(__import__("importlib.resources").resources.files("khabar.resources")))
    model_path = model / "ner" / ner.MODEL_NAME
    result["model"] = {"file": ner.MODEL_NAME, "bytes": model_path.stat().st_size}
    loads = load_time()
    result["load_time_s"] = loads["later_s"]
    result["load_times"] = loads
    if TEST.exists():
        result["anercorp_test"] = score_test()
        print("== ANERcorp test, sentence by sentence")
        print(format_table(result["anercorp_test"]["sentences"]))
        print(f"== ANERcorp test, with the document pass (windows of {DOC_WINDOW} sentences)")
        print(format_table(result["anercorp_test"]["document_pass"]))
        print("== ANERcorp test, document pass + lone surnames of people named in full"
              " (ANERcorp's conventions)")
        print(format_table(result["anercorp_test"]["document_pass_surnames"]))
        print("== ANERcorp test, document pass + surnames + known names and nationality-qualified"
              " organisations, currencies dropped (what find_entities does; not ANERcorp's"
              " conventions)")
        print(format_table(result["anercorp_test"]["news_additions"]))
        result["speed"] = speed()
    else:
        print(f"{TEST} not found: test scores skipped")
    if SEEDS_GOLD.exists():
        result["seeds"] = score_seeds()
        print("== seeds (unique entity strings):", result["seeds"]["overall"])
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(
        f"speed {result.get('speed')}, load {result['load_time_s']} s "
        f"(the first process {loads['first_s']} s), "
        f"peak RSS {result['peak_rss_mb']} MB, model {result['model']['bytes'] / 1e6:.1f} MB"
    )
    out = ROOT / "benchmarks" / "results" / "ner.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
