"""Where two workers spend the CPU that one does not: `python benchmarks/worker_overhead.py`.

Issue #9 asks for two workers ≥ 1.8× one; they have measured 1.59–1.84× and spend 11–20% more
CPU than one on the same records. This script measures the parts of that difference that can be
measured apart, on the first `--records` records of a JSONL file (default: a replay of
SaudiNewsNet + ANT, `benchmarks/suite.py` writes one; or any file `khabar ingest` reads):

1. **cold word caches, paid once per worker**: one process runs the stages over the even and
   then the odd records (and, in a second process, odd then even); the half that comes first
   pays for the words new to the caches, the second finds most of them there. Two workers
   each pay the first half's price on their own share.
2. **pickling**: what a worker sends back for an article (`Prepared`: the article without its
   spans, its stored form, its clustering features), its size, `pickle.dumps` in the worker
   and `pickle.loads` in the parent, per article.
3. **the whole ingest**: `khabar ingest --workers 1` and `--workers 2` into fresh databases, CPU
   of the parent and of its children (getrusage), wall time, and the CPU each stage took in the
   process that ran it (the one process, or the two workers summed), so that a stage that costs
   more in workers shows; and the parent's main thread by part (`parent_parts`, thread CPU:
   the warm-up before the fork, storing a batch, assigning its stories, saving them).

4. **the machine**: a dictionary walk alone and two at once (do the two cores slow each other?),
   and the stages themselves: all records in one process, against each half in its own process,
   one after the other and then both at once (`apart`: learning the caches twice, and two
   processes running together, with no pool in between).

CPU seconds (`time.process_time`, getrusage) are less sensitive to other load than wall time,
but not immune (caches are shared): note the load average it prints.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

_HALVES = r"""
import json, sys, time, itertools
from khabar.ingest.readers import RawRecord, read_paths
from khabar.pipeline import DEFAULT_STAGES, Pipeline, article_from_record
from khabar.executors.local import LinesSnapshot, _prepared, run_chunk, use_bulk_gc, warm_up
path, n, order = sys.argv[1], int(sys.argv[2]), sys.argv[3]
use_bulk_gc()
arts = [article_from_record(r) for r in itertools.islice(
    (r for r in read_paths([path]) if isinstance(r, RawRecord)), n)]
warm_up(DEFAULT_STAGES)
pipeline = Pipeline(DEFAULT_STAGES)
halves = {"even": arts[0::2], "odd": arts[1::2]}
out = {}
for name in order.split(","):
    started = time.process_time()
    half = halves[name]
    for i in range(0, len(half), 250):
        _prepared(run_chunk(pipeline, half[i:i + 250], LinesSnapshot({})), keep_spans=False)
    out[name] = time.process_time() - started
print(json.dumps(out))
"""

_INGEST = r"""
import collections, json, os, resource, sys, time
import khabar.executors.local as L
import khabar.pipeline as P
from khabar.cli import main
path, db, workers, dumps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
spent = collections.defaultdict(float)  # CPU seconds by stage, in the process that ran it

def dump():
    spent["(process lifetime)"] = time.process_time()
    with open(os.path.join(dumps, f"{os.getpid()}.json"), "w") as f:
        json.dump(spent, f)

call, many, prepared, init = P.Stage.__call__, P.Stage.run_many, L._prepared, L._init_worker

def timed_call(self, article, context=None):
    started = time.process_time()
    try:
        return call(self, article, context)
    finally:
        spent[self.name] += time.process_time() - started

def timed_many(self, articles, context=None):
    if self.batch is None:
        return [timed_call(self, a, context) for a in articles]
    started = time.process_time()
    try:
        return many(self, articles, context)
    finally:
        spent[self.name] += time.process_time() - started

def timed_prepared(results, keep_spans):
    started = time.process_time()
    try:
        return prepared(results, keep_spans)
    finally:
        spent["(prepare)"] += time.process_time() - started
        dump()

def fresh_init(names):
    spent.clear()  # the parent's warm-up before the fork is not the worker's
    init(names)

P.Stage.__call__, P.Stage.run_many = timed_call, timed_many
L._prepared, L._init_worker = timed_prepared, fresh_init

# the parent's main thread, CPU by part (thread time: the pool's threads, which unpickle the
# results, are the process's CPU less the main thread's)
import khabar.corpus as C, khabar.store.sqlite as SQ, khabar.store.stories as SS, khabar.stories.stream as ST
parts = collections.defaultdict(float)

def thread_timed(owner, name, label):
    inner = getattr(owner, name)

    def timed(*args, **kwargs):
        started = time.thread_time()
        try:
            return inner(*args, **kwargs)
        finally:
            parts[label] += time.thread_time() - started
    setattr(owner, name, timed)

for owner, name, label in ((L, "warm_up", "warm_up"), (C.Corpus, "_commit_oldest", "store and assign"),
                           (SQ.Store, "add_batch", "store: add_batch"),
                           (SS.StoryStore, "assign", "assign"),
                           (ST.StoryStream, "assign", "assign: stream"),
                           (SS.StoryStore, "_save", "assign: save")):
    thread_timed(owner, name, label)
main_started = time.thread_time()
started = time.time()
try:
    main(["--db", db, "ingest", path, "--workers", workers, "--no-progress", "--json"])
except SystemExit:
    pass
parts["main thread (ingest)"] = time.thread_time() - main_started
parts["main thread (all)"] = time.thread_time()
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": time.time() - started, "parent": me.ru_utime + me.ru_stime,
                  "children": kids.ru_utime + kids.ru_stime,
                  "parent_parts": {k: round(v, 3) for k, v in parts.items()}}), file=sys.stderr)
"""

_SPIN = r"""
import random, time
random.seed(1)
table = {random.getrandbits(40): i for i in range(2_000_000)}
keys = list(table)[:1_000_000]
random.shuffle(keys)
started = time.process_time()
total = 0
for _ in range(3):
    for k in keys:
        total += table[k]
print(round(time.process_time() - started, 3))
"""


def side_by_side() -> dict[str, Any]:
    """CPU time of a dictionary walk alone and as two processes at once: whether the two cores
    slow each other (SMT siblings would), apart from anything khabar does."""
    def start() -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True)

    alone = float(start().communicate()[0])
    pair = [start(), start()]
    together = [float(p.communicate()[0]) for p in pair]
    return {"alone_cpu_s": alone, "two_at_once_cpu_s": together}


def _python(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    return done.stdout if code is _HALVES else done.stderr.strip().splitlines()[-1]


def cold_caches(path: Path, records: int) -> dict[str, Any]:
    first = json.loads(_python(_HALVES, str(path), str(records), "even,odd"))
    second = json.loads(_python(_HALVES, str(path), str(records), "odd,even"))
    cold = (first["even"] + second["odd"]) / 2
    warm = (first["odd"] + second["even"]) / 2
    return {"first_half_cpu_s": round(cold, 2), "second_half_cpu_s": round(warm, 2),
            "cold_share_of_a_half": round(1 - warm / cold, 3), "runs": [first, second]}


def apart(path: Path, records: int) -> dict[str, Any]:
    """The stages over all records in one process, against the even and the odd half each in a
    process of its own, first one after the other and then both at once: the first difference is
    what learning the caches twice costs, the second what two processes running together cost
    each other (shared caches and memory bandwidth, switching), with no pool and no parent."""
    def start(order: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-c", _HALVES, str(path), str(records), order],
                                stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})

    def halves(runs: list[subprocess.Popen[str]]) -> float:
        return sum(sum(json.loads(p.communicate()[0]).values()) for p in runs)

    one = halves([start("even,odd")])
    sequential = halves([start("even")]) + halves([start("odd")])
    together = halves([start("even"), start("odd")])
    return {"one_process_cpu_s": round(one, 2), "two_processes_one_after_the_other_cpu_s": round(sequential, 2),
            "two_processes_at_once_cpu_s": round(together, 2),
            "caches_learnt_twice": round(sequential / one - 1, 3),
            "running_together": round(together / sequential - 1, 3)}


def pickling(path: Path, records: int) -> dict[str, Any]:
    from khabar.executors.local import LinesSnapshot, _prepared, run_chunk, use_bulk_gc, warm_up
    from khabar.ingest.readers import RawRecord, read_paths
    from khabar.pipeline import DEFAULT_STAGES, Pipeline, article_from_record

    use_bulk_gc()
    arts = [article_from_record(r) for r in itertools.islice(
        (r for r in read_paths([path]) if isinstance(r, RawRecord)), min(records, 600))]
    warm_up(DEFAULT_STAGES)
    pipeline = Pipeline(DEFAULT_STAGES)
    prepared = _prepared(run_chunk(pipeline, arts, LinesSnapshot({})), keep_spans=False)
    n = len(prepared)
    dumps = loads = float("inf")
    data = b""
    for _ in range(3):
        started = time.process_time()
        data = pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL)
        dumps = min(dumps, time.process_time() - started)
        started = time.process_time()
        pickle.loads(data)
        loads = min(loads, time.process_time() - started)
    return {"articles": n, "kb_per_article": round(len(data) / n / 1024, 1),
            "dumps_ms_per_article": round(1000 * dumps / n, 3),
            "loads_ms_per_article": round(1000 * loads / n, 3)}


def ingests(path: Path, records: int, counts: tuple[str, ...] = ("1", "2")) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.jsonl"
        with path.open(encoding="utf-8") as src, sample.open("w", encoding="utf-8") as dst:
            dst.writelines(itertools.islice(src, records))
        for workers in counts:
            dumps = Path(tmp) / f"stages{workers}"
            dumps.mkdir()
            out[f"workers_{workers}"] = row = json.loads(
                _python(_INGEST, str(sample), str(Path(tmp) / f"w{workers}.db"), workers, str(dumps)))
            row["cpu"] = row["parent"] + row["children"]
            for key in ("wall", "parent", "children", "cpu"):
                row[key] = round(row[key], 2)
            # CPU by stage, summed over the processes that ran the stages (the workers, or the
            # one process); "(process lifetime)" is those processes' whole CPU
            by_stage: dict[str, float] = {}
            for dumped in dumps.glob("*.json"):
                for name, seconds in json.loads(dumped.read_text(encoding="utf-8")).items():
                    by_stage[name] = by_stage.get(name, 0.0) + seconds
            row["stage_cpu"] = {k: round(v, 2) for k, v in sorted(by_stage.items(), key=lambda kv: -kv[1])}
    if "1" not in out or "2" not in out:
        return out
    one, two = out["workers_1"], out["workers_2"]
    out["speedup"] = round(one["wall"] / two["wall"], 3)
    out["extra_cpu_of_two"] = round(two["cpu"] / one["cpu"] - 1, 3)
    stages = [k for k in one["stage_cpu"] if not k.startswith("(process")]
    out["stage_cpu_two_over_one"] = {k: round(two["stage_cpu"].get(k, 0.0) / one["stage_cpu"][k], 3)
                                     for k in stages if one["stage_cpu"][k]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", type=Path, help="a JSONL file of records (e.g. the suite's replay)")
    ap.add_argument("--records", type=int, default=3000)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "worker_overhead.json")
    ap.add_argument("--ingest-only", action="store_true",
                    help="only part 3, the two ingests (CPU of the parent and the workers a record; "
                         "the khabar imported is the one on PYTHONPATH, so an older tree's src can be timed)")
    ap.add_argument("--workers", default="1,2",
                    help="the ingests of part 3: `1` runs the one-worker ingest alone (old and new code "
                         "alternated in half the time)")
    args = ap.parse_args()
    if not args.input.exists():
        sys.exit(f"no such file: {args.input}")
    result: dict[str, Any] = {"input": str(args.input), "records": args.records,
                              "load_average_at_start": os.getloadavg()}
    if not args.ingest_only:
        result["side_by_side"] = side_by_side()
        print("two processes side by side:", json.dumps(result["side_by_side"]), flush=True)
        result["cold_caches"] = cold_caches(args.input, args.records)
        print("cold caches:", json.dumps(result["cold_caches"]), flush=True)
        result["apart"] = apart(args.input, args.records)
        print("halves apart:", json.dumps(result["apart"]), flush=True)
        result["pickling"] = pickling(args.input, args.records)
        print("pickling:", json.dumps(result["pickling"]), flush=True)
    counts = tuple(args.workers.split(","))
    result["ingest"] = ingests(args.input, args.records, counts)
    print("ingest:", json.dumps(result["ingest"]), flush=True)
    for workers in counts:
        row = result["ingest"][f"workers_{workers}"]
        n = args.records
        print(f"{workers} worker(s): wall {row['wall']} s, CPU ms a record: parent {1000 * row['parent'] / n:.2f}, "
              f"workers {1000 * row['children'] / n:.2f}, all {1000 * row['cpu'] / n:.2f}", flush=True)
        print("   the parent's main thread, CPU ms a record: " + ", ".join(
            f"{k} {1000 * v / n:.3f}" for k, v in row["parent_parts"].items()), flush=True)
    result["load_average_at_end"] = os.getloadavg()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["peak_rss_mb_of_this_process"] = round(usage.ru_maxrss / 1024)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"load average {result['load_average_at_start']} -> {result['load_average_at_end']}; "
          f"written to {args.out}")


if __name__ == "__main__":
    main()
