"""Fuzzing at volume: the hostile-input checks of `benchmarks/hostile.py` (readers, cleaner, every
extractor, clusterer, the store) run by hypothesis with many more examples than the test suite.

    python benchmarks/fuzz.py                      # default volume (about 10 minutes on 1 core)
    python benchmarks/fuzz.py --scale 0.1          # a tenth of it
    python benchmarks/fuzz.py --seed 3 --json benchmarks/results/fuzz.json

Prints, per target, how many inputs were tried and every failure (the input hypothesis shrank
it to, and the error); exits 1 when anything failed. Results go to benchmarks/results/fuzz.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from benchmarks import hostile as h

#: target -> (strategy of one input, check, examples at scale 1)
TARGETS: dict[str, tuple[Any, Callable[..., Any], int]] = {
    "stages on hostile text": (st.tuples(h.texts, h.published_values, h.texts),
                               lambda x: h.check_text(x[0], x[1], x[2][:200]), 6000),
    "readers on hostile bytes": (st.tuples(h.raw_bytes, st.sampled_from(h.SUFFIXES)),
                                 lambda x: h.check_file(x[0], x[1]), 4000),
    "stdin on hostile bytes": (h.raw_bytes, h.check_stdin, 1500),
    "JSONL, broken lines, wrong types": (h.jsonl_lines, lambda x: h.check_file(
        "\n".join(x).encode("utf-8", "surrogatepass"), ".jsonl"), 3000),
    "CSV and TSV, quoted and broken rows": (st.tuples(h.csv_tables, st.sampled_from([".csv", ".tsv.gz"])),
                                            lambda x: h.check_file(x[0].encode("utf-8", "surrogatepass"), x[1]), 1500),
    "broken and nested HTML": (h.html_pages, lambda x: h.check_file(x.encode("utf-8", "surrogatepass"), ".html"), 600),
    "clusterer": (st.lists(st.tuples(h.texts, h.published_values), min_size=1, max_size=12),
                  lambda x: h.check_clusters([h.check_text(t, d, outlet=f"o{i % 3}") for i, (t, d) in enumerate(x)]),
                  400),
    "ingest into a store": (h.jsonl_lines, h.check_ingest, 300),
}


def run(name: str, scale: float, run_seed: int) -> dict[str, Any]:
    strategy, check, examples = TARGETS[name]
    n = max(1, int(examples * scale))
    tried = 0
    failures: list[dict[str, str]] = []

    @seed(run_seed)
    @settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              phases=[Phase.generate, Phase.shrink], report_multiple_bugs=True)
    @given(strategy)
    def fuzz(value: Any) -> None:
        nonlocal tried
        tried += 1
        check(value)

    start = time.monotonic()
    try:
        fuzz()
    except Exception as exc:  # noqa: BLE001 - every failure is reported, not raised
        groups = exc.exceptions if hasattr(exc, "exceptions") else [exc]
        for err in groups:
            note = "\n".join(getattr(err, "__notes__", []))
            failures.append({"error": f"{type(err).__name__}: {err}"[:500], "input": note[:1500],
                             "where": "".join(traceback.format_tb(err.__traceback__)[-2:])[-800:]})
    return {"target": name, "inputs": tried, "planned": n, "failures": failures,
            "seconds": round(time.monotonic() - start, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every target's example count")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", action="append", help="run only targets whose name contains this")
    parser.add_argument("--json", type=Path, default=Path(__file__).parent / "results" / "fuzz.json")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # trafilatura logs every page it cannot parse
    results = []
    for name in TARGETS:
        if args.only and not any(o in name for o in args.only):
            continue
        result = run(name, args.scale, args.seed)
        results.append(result)
        status = "ok" if not result["failures"] else f"{len(result['failures'])} FAILED"
        print(f"{name:34s} {result['inputs']:>7,} inputs  {result['seconds']:>7.1f}s  {status}", flush=True)
        for failure in result["failures"]:
            print(f"    {failure['error']}\n    {failure['input']}\n{failure['where']}")
    total = sum(r["inputs"] for r in results)
    failed = sum(len(r["failures"]) for r in results)
    print(f"{total:,} inputs tried, {failed} failures (seed {args.seed}, scale {args.scale})")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"seed": args.seed, "scale": args.scale, "inputs": total, "failures": failed,
                                     "targets": results, "python": platform.python_version()},
                                    ensure_ascii=False, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
