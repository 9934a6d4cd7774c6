"""Dedup speed, this tree against another, alternated: articles/s of CPU adding SaudiNewsNet's
31,030 articles to a `DedupIndex` with its defaults, in publication-file order.

    git archive 22727de src | tar -x -C /tmp/main        # the other tree's src/
    .venv/bin/python benchmarks/dedup_speed.py --other /tmp/main/src --rounds 2

The match keys are computed once (this tree's `match_keys`) and handed to every run as a
pickle, so only the index is timed; each run is a fresh process (`--passes` indexes, one after
the other: the first with the key hash cache cold, as `clustering.py --neardup-only` times it).
Timing on a shared host is noisy: compare runs alternated, not one each.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, pickle, sys, time
from khabar.stories.dedup import DedupIndex
items = pickle.load(open(sys.argv[1], "rb"))
out = []
for _ in range(int(sys.argv[2])):
    index = DedupIndex()
    t0 = time.process_time()
    for i, (source, keys) in enumerate(items):
        index.add(f"{i}", keys, source)
    out.append(round(len(items) / (time.process_time() - t0)))
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> list[dict[str, object]]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--other", required=True, help="the other tree's src/ folder")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--passes", type=int, default=2)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import clustering

    from khabar.text import match_keys

    items = [(d.get("source", ""), match_keys(d.get("content") or ""))
             for d in clustering.snn_records()]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        keys = Path(tmp) / "keys.pkl"
        keys.write_bytes(pickle.dumps(items, protocol=5))
        for _ in range(args.rounds):
            for name, src in (("other", args.other), ("this", str(ROOT / "src"))):
                env = {**os.environ, "PYTHONPATH": src}
                done = subprocess.run([sys.executable, "-c", _CHILD, str(keys), str(args.passes)],
                                      env=env, capture_output=True, text=True, check=True)
                row = {"tree": name, "articles_per_s": json.loads(done.stdout)}
                print(json.dumps(row), flush=True)
                results.append(row)
    return results


if __name__ == "__main__":
    main()
