"""CPU of the text kernels every article goes through: `python benchmarks/text_kernels.py FILE`.

Times, over the bodies of the first `--records` records of a JSONL file (the suite's replay, or
any file `khabar ingest` reads), the functions the stages call on a whole article: the
normalized text (`normalize_text`), the normalized text with its offsets (`normalize`, what the
quote, quantity and date extractors share), the match keys (`match_keys`, the store's index and
the clustering features) and the extractors' shared tokenizer. Each is run `--rounds` times
over all the texts and the best round kept (µs an article, CPU time, with the collector's
thresholds of an ingest). The khabar imported is the
one on PYTHONPATH, so the same command times an older tree's src:

    python benchmarks/text_kernels.py /tmp/replay16000.jsonl
    PYTHONPATH=/tmp/old/src python benchmarks/text_kernels.py /tmp/replay16000.jsonl
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import os
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", type=Path)
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    from khabar.executors.local import use_bulk_gc
    from khabar.ingest.readers import RawRecord, read_paths
    from khabar.pipeline import article_from_record

    use_bulk_gc()  # the collector's thresholds of an ingest's processes

    normalize_module = importlib.import_module("khabar.text.normalize")
    tokens_module = importlib.import_module("khabar.text.tokens")
    quantities = importlib.import_module("khabar.extract.quantities")
    texts = [article_from_record(r).text for r in itertools.islice(
        (r for r in read_paths([args.input]) if isinstance(r, RawRecord)), args.records)]
    normalized = [normalize_module.normalize_text(t) for t in texts]
    kernels = {
        "normalize_text": (normalize_module.normalize_text, texts),
        "normalize": (normalize_module.normalize, texts),
        "match_keys": (tokens_module.match_keys, texts),
        # the cache in front of it would answer every round after the first
        "tokens": (getattr(quantities._all_tokens, "__wrapped__", quantities._all_tokens), normalized),
    }
    out = {"khabar": str(Path(normalize_module.__file__).parents[2]), "articles": len(texts),
           "mean_chars": round(sum(map(len, texts)) / max(1, len(texts))), "load_average": os.getloadavg()}
    for name, (func, inputs) in kernels.items():
        best = float("inf")
        for _ in range(args.rounds):
            started = time.process_time()
            for text in inputs:
                func(text)
            best = min(best, time.process_time() - started)
        out[f"{name}_us_per_article"] = round(1e6 * best / max(1, len(inputs)), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
