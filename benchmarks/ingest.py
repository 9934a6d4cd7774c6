"""Ingest benchmark: time, rate and peak memory of `khabar ingest` on the shared dumps.

    python benchmarks/ingest.py                 # SaudiNewsNet and ANT
    python benchmarks/ingest.py --only ant      # one of them
    python benchmarks/ingest.py --limit 5000    # a quick look

Each corpus is ingested by a fresh `khabar ingest` process into a fresh database, so peak RSS
(ru_maxrss of the child) is that run's alone. Results go to benchmarks/results/ingest.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
CORPORA = {
    "saudinewsnet": SHARED / "saudinewsnet" / "saudinewsnet.jsonl.gz",
    "ant": SHARED / "ant" / "ant_multisource_v2.1.jsonl.gz",
}


def _limited_copy(src: Path, limit: int, folder: Path) -> Path:
    out = folder / f"{src.stem}.head{limit}.jsonl"
    with gzip.open(src, "rt", encoding="utf-8") as fin, open(out, "w", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            if i >= limit:
                break
            fout.write(line)
    return out


CLEANING_STAGES = "lines,body,identify,language,sentences,pii"


def run_one(name: str, path: Path, folder: Path, stages: str | None = None) -> dict:
    db = folder / f"{name}{'-' + str(abs(hash(stages)) % 1000) if stages else ''}.db"
    khabar = [sys.executable, "-m", "khabar", "--db", str(db)]
    extra = ["--stages", stages] if stages else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([*khabar, "ingest", str(path), "--json", "--no-progress", *extra],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{name}: ingest failed: {proc.stderr.strip()}")
    report = json.loads(proc.stdout)
    again_started = time.perf_counter()
    again = subprocess.run([*khabar, "ingest", str(path), "--json", "--no-progress", *extra],
                           capture_output=True, text=True)
    again_seconds = time.perf_counter() - again_started
    stats = json.loads(subprocess.run([*khabar, "stats", "--json"], capture_output=True, text=True).stdout)
    size = path.stat().st_size
    return {
        "corpus": name,
        "stages": stages or "default (all)",
        "input": str(path.relative_to(ROOT.parent)) if path.is_relative_to(ROOT.parent) else str(path),
        "input_mb": round(size / 1e6, 1),
        "records": report["read"],
        "new": report["new"],
        "duplicate": report["duplicate"],
        "quarantined": report["quarantined"],
        "quarantine_reasons": report["reasons"],
        "seconds": round(seconds, 1),
        "articles_per_s": round(report["read"] / seconds, 1),
        "cpu_seconds": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1),
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
        "db_mb": round(sum(p.stat().st_size for p in folder.glob(db.name + "*")) / 1e6, 1),
        "reingest_new": json.loads(again.stdout)["new"],
        "reingest_seconds": round(again_seconds, 1),
        "stored_articles": stats["articles"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(CORPORA))
    parser.add_argument("--limit", type=int, help="ingest only the first N records of each")
    parser.add_argument("--stages", help=f"pipeline stages (default: all; cleaning only: {CLEANING_STAGES})")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "ingest.json"))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, path in CORPORA.items():
            if args.only and name != args.only:
                continue
            if not path.exists():
                print(f"skip {name}: {path} not found (../shared is absent)")
                continue
            if args.limit:
                path = _limited_copy(path, args.limit, folder)
            result = run_one(name, path, folder, args.stages)
            results.append(result)
            print(
                f"{name:13} [{result['stages']}] {result['records']:>7,} records  {result['seconds']:>6.1f}s  "
                f"{result['articles_per_s']:>7,.0f} art/s  peak RSS {result['peak_rss_mb']:>6.0f} MB  "
                f"new {result['new']:,} dup {result['duplicate']:,} quarantined {result['quarantined']:,} "
                f"{result['quarantine_reasons']}  re-ingest adds {result['reingest_new']}"
            )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "results": results,
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"→ {out}")


if __name__ == "__main__":
    main()
