"""Score khabar's SHIPPED NER model: ANERcorp test split, the seed articles, speed and memory.

    python benchmarks/ner.py            # writes benchmarks/results/ner.json

* ANERcorp TEST (CAMeL-style split, ../shared/data/anercorp): entity-level P/R/F1 per type and
  overall with conlleval's rules, sentence by sentence (`tag_tokens`), and with the document
  pass over windows of 20 consecutive sentences (the split has no document boundaries);
* the seed articles (../shared/seeds, gold in ../shared/eval/seeds_gold.json): unique entity
  strings per type found by `find_entities` + `canonicalize` over the whole file, compared with
  the gold strings (after the same normalization: khabar.text.normalize_text);
* speed: tokens/s of `tag_sentences` on groups of 256 sentences, as `khabar tag` tags (features included) on one core, cold (empty feature cache)
  and warm; model load time in a fresh process; peak RSS.
"""

from __future__ import annotations

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
from khabar.extract.known_names import add_known_entities, add_surnames, drop_currencies
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
        news.extend(drop_currencies(keys, add_surnames(
            window, add_known_entities(window, doc[a : a + DOC_WINDOW]))))
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


def load_time() -> float:
    code = (
        "import time; t=time.perf_counter(); from khabar.extract import ner; "
        "ner.load_extractor(); ner._tagger(); print(time.perf_counter()-t)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return round(float(res.stdout.strip()), 3)


def main() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    result: dict = {}
    model = Path(str(__import__("importlib.resources").resources.files("khabar.resources")))
    model_path = model / "ner" / ner.MODEL_NAME
    result["model"] = {"file": ner.MODEL_NAME, "bytes": model_path.stat().st_size}
    result["load_time_s"] = load_time()
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
        f"speed {result.get('speed')}, load {result['load_time_s']} s, "
        f"peak RSS {result['peak_rss_mb']} MB, model {result['model']['bytes'] / 1e6:.1f} MB"
    )
    out = ROOT / "benchmarks" / "results" / "ner.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
