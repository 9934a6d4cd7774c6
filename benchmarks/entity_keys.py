"""How well mentions of one entity share one canonical key, on real news: `python benchmarks/entity_keys.py`.

Runs the full pipeline (`khabar.process`) over a sample of ANT articles (every `--step`-th of
the first `--articles`) and counts, over all entity mentions:

* **glued**: mentions whose key is a ب/ل/ك/ف plus a key that is itself an entity of the same
  type in the sample (``بسوريا`` beside ``سوريا``): one entity split in two in `khabar entities`.
  Not all of them are errors (``بشير`` beside ``شير``), so they are listed;
* **currencies**: MISC mentions that are a currency (ANERcorp's convention, dropped on news text);
* **cut**: mentions whose span starts inside a word (a letter taken off as if it were a glued
  و/ب/ل/ك/ف) although the cut form never stands alone in the sample's texts (``اشنطن`` of
  ``واشنطن``): a name shown without its first letter. Listed too.

Needs ../shared (ANT); prints a one-line summary and writes benchmarks/results/entity_keys.json.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant" / "ant_multisource_v2.1.jsonl.gz"
sys.path.insert(0, str(ROOT / "src"))

from khabar.extract.entities import canonical_key  # noqa: E402
from khabar.extract.ner import word_key  # noqa: E402
from khabar.extract.quantities import load_table  # noqa: E402
from khabar.pipeline import process  # noqa: E402


def currency_keys() -> frozenset[tuple[str, ...]]:
    # the currencies of units.tsv as word-key tuples, accusative alif included; defined here
    # (not imported) so that the benchmark also runs on commits from before they were dropped
    def key(word: str) -> str:
        k = word_key(word)
        return k[:-1] if len(k) > 3 and k.endswith("ا") else k

    return frozenset(tuple(key(w) for w in form.split())
                     for form, _s, _c, kind in load_table("units.tsv") if kind == "currency")


def measure(articles: int = 3000, step: int = 5) -> dict:
    """The counts above over every `step`-th of the first `articles` ANT articles."""
    keys: Counter[tuple[str, str]] = Counter()
    currencies = 0
    seen = 0
    currency = currency_keys()
    words_seen: Counter[str] = Counter()
    cut_candidates: Counter[tuple[str, str]] = Counter()
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, 0, articles, step):
            d = json.loads(line)
            article = process(d.get("text") or "", title=d.get("title") or "")
            seen += 1
            text = article.text
            words_seen.update(text.split())
            for e in article.entities:
                keys[(e.label, canonical_key(e.text, e.label))] += 1
                if e.start > 0 and text[e.start - 1].isalpha() and e.text.split():
                    cut_candidates[(e.label, e.text.split()[0])] += 1
                words = [word_key(w) for w in e.text.split()]
                if e.label == "MISC" and tuple(w[:-1] if len(w) > 3 and w.endswith("ا") else w
                                               for w in words) in currency:
                    currencies += 1
    glued = {f"{label} {key}": [n, keys[(label, key[1:])]] for (label, key), n in keys.items()
             if key[:1] in "بلكف" and len(key) > 3 and (label, key[1:]) in keys}
    cut = {f"{label} {word}": n for (label, word), n in cut_candidates.items()
           if not words_seen[word]}
    return {"articles": seen, "mentions": sum(keys.values()), "distinct_keys": len(keys),
            "glued_mentions": sum(n for n, _ in glued.values()), "glued_keys": len(glued),
            "currency_mentions": currencies, "cut_mentions": sum(cut.values()),
            "cut_names": len(cut), "glued": dict(sorted(glued.items())),
            "cut": dict(sorted(cut.items(), key=lambda kv: -kv[1]))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--step", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "entity_keys.json"))
    args = ap.parse_args()
    if not ANT.exists():
        raise SystemExit(f"needs {ANT}")
    result = measure(args.articles, args.step)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{result['articles']} articles, {result['mentions']} mentions, {result['distinct_keys']} keys; "
          f"glued to a separate entity: {result['glued_mentions']} mentions ({result['glued_keys']} keys); "
          f"currency MISC: {result['currency_mentions']}; cut off a letter: {result['cut_mentions']} "
          f"mentions ({result['cut_names']} names) -> {args.out}")


if __name__ == "__main__":
    main()
