"""What the size of the NER per-word caches does to a long ingest's workers.

The entities stage caches, per distinct word, its feature rows and keys in two generations
(`khabar.caching.GenerationalCache`). A word the young generations lack is analysed again
(`FeatureExtractor._word_miss`), which costs tens of microseconds. This script plays one
worker of a 2-worker ingest (every other task of 250 articles) over all of SaudiNewsNet + ANT,
then over the first tasks again as the 1M replay sends them (each text changed by a round
mark), and reports for each generation size:

- ms of CPU per article and words analysed again per article, in the first pass (a real
  corpus's first sight of its words) and in the replayed pass;
- the process's RSS after each pass.

    python benchmarks/word_cache.py --generation 100000 --generation 300000
    python benchmarks/word_cache.py --limit 2000 --replayed 4   # quick look

Each size runs in a fresh process, one after the other. With `--limit` only that many
articles of each corpus are read.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

TASK = 250


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def measure(generation: int, limit: int | None, replayed: int) -> dict[str, Any]:
    """One worker's passes with both NER word caches at `generation` words a generation."""
    from benchmarks.suite import _present, _sample
    from khabar.clean.outlets import OutletLines, chrome_candidates
    from khabar.executors.local import prepare, run_chunk, use_bulk_gc
    from khabar.extract.fast_crf import CachedCrf
    from khabar.extract.ner import FeatureExtractor
    from khabar.pipeline import Pipeline

    FeatureExtractor.KEYS_GENERATION = generation
    CachedCrf.GENERATION = generation
    analysed = [0]
    word_info = FeatureExtractor._word_info

    def counted(self: FeatureExtractor, word: str) -> tuple:
        analysed[0] += 1
        return word_info(self, word)

    FeatureExtractor._word_info = counted  # type: ignore[method-assign]
    use_bulk_gc()
    articles = _sample(_present(), limit if limit else 10**9)
    lines = OutletLines()
    for a in articles:
        lines.add(a.outlet, chrome_candidates(a.text))
    pipeline = Pipeline()
    tasks = [articles[i : i + TASK] for i in range(0, len(articles), TASK)][::2]
    again = [[replace(a, text=a.text + " (1)") for a in task] for task in tasks[:replayed]]

    def run(batch: list[list[Any]]) -> dict[str, Any]:
        analysed[0] = 0
        n = 0
        start = time.process_time()
        for task in batch:
            [prepare(r) for r in run_chunk(pipeline, task, lines) if not hasattr(r, "reason")]
            n += len(task)
        cpu = time.process_time() - start
        return {"articles": n, "cpu_ms_per_article": round(1000 * cpu / n, 3),
                "words_analysed_per_article": round(analysed[0] / n, 2),
                "rss_mb": round(_rss_mb())}

    return {"generation": generation, "first_pass": run(tasks), "replayed_pass": run(again)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generation", type=int, action="append",
                        help="words a generation (repeatable; default 100000 and 300000)")
    parser.add_argument("--limit", type=int, help="articles of each corpus (default: all)")
    parser.add_argument("--replayed", type=int, default=24, help="tasks of 250 replayed (24)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child's own size
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.limit, args.replayed)))
        return 0
    results = []
    for generation in args.generation or [100_000, 300_000]:
        cmd = [sys.executable, __file__, "--one", str(generation), "--replayed", str(args.replayed)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        for part in ("first_pass", "replayed_pass"):
            r = result[part]
            print(f"generation {generation:>7,}  {part:13s} {r['articles']:>6,} articles "
                  f"{r['cpu_ms_per_article']:.3f} ms CPU/article, "
                  f"{r['words_analysed_per_article']:.2f} words analysed/article, RSS {r['rss_mb']} MB")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
