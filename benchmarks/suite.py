"""The benchmark suite (`make bench`): every stage and the whole pipeline on SaudiNewsNet + ANT.

    python benchmarks/suite.py                        # defaults: sample 1000, curve 10k,100k,1M
    python benchmarks/suite.py --max 20000            # cap every ingest run (say so when reporting)
    python benchmarks/suite.py --sample 300 --max 3000 --workers 1,2 --quick

What it measures, in one run on this machine:

1. **Machine limit** for this kind of work: reading the same .jsonl.gz bytes, gunzip, UTF-8
   decode, JSON parse and one regular-expression pass over every text (Arabic words). Every
   other rate is also given as a share of this one.
2. **Stages**: each pipeline stage over a sample of articles from both corpora, in CPU time
   of this one process (so "per core"): articles/s and MB/s of raw text. With `--warm N`,
   N articles of each corpus go through first, untimed, so the rates are those of a long run's
   workers (their NER and lookup caches full) rather than of a cold start.
3. **Whole pipeline** (read → clean → extract → dedup → cluster → store) through
   `khabar ingest` in a child process, with 1 and 2 workers (--workers), and the scaling
   curve 10k / 100k / 1M articles made by replaying both corpora with perturbed ids, dates
   and one changed word per article (so every replayed record is a new article, and each
   replay round lands in its own time window). Wall and CPU seconds, articles/s, articles/s
   per core (CPU time of the process tree), peak RSS of the process tree (sampled from
   /proc), database size. With `--ray`, the same input is also ingested with `--engine ray`
   and its store compared with the local one, table by table.
4. **Peers** doing the same step, in the same run: datasketch MinHash against khabar's
   MinHash; scikit-learn TF-IDF + agglomerative clustering against khabar's story stream on
   the ANT gold days; trafilatura against khabar's HTML path on the Scrapinghub pages.

The machine is shared (2 cores, other jobs running): rates are noisy, CPU-time rates less so.
Results: benchmarks/results/suite.json; a Markdown table is printed for docs/performance.md.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"
CORPORA = {
    "saudinewsnet": SHARED / "saudinewsnet" / "saudinewsnet.jsonl.gz",
    "ant": SHARED / "ant" / "ant_multisource_v2.1.jsonl.gz",
}
OUT = ROOT / "benchmarks" / "results" / "suite.json"

from khabar.ingest.metadata import parse_published  # noqa: E402  (after the path set-up)
from khabar.ingest.readers import DEFAULT_FIELD_MAP  # noqa: E402
ARABIC_WORD = re.compile(r"[\u0621-\u064A]+")


def _present() -> dict[str, Path]:
    found = {k: p for k, p in CORPORA.items() if p.exists()}
    if not found:
        raise SystemExit("../shared/data is absent: nothing to benchmark")
    return found


# -- 1. the machine's limit ----------------------------------------------------------------------

def machine_limit(corpora: dict[str, Path]) -> dict[str, Any]:
    """Read + gunzip + decode + JSON + one regex pass over all of both corpora."""
    n = raw = words = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for path in corpora.values():
        with gzip.open(path, "rb") as f:
            for line in f:
                raw += len(line)
                rec = json.loads(line.decode("utf-8"))
                text = rec.get("text") or rec.get("content") or ""
                words += sum(1 for _ in ARABIC_WORD.finditer(text))
                n += 1
    cpu = time.process_time() - c0
    return {"articles": n, "mb": round(raw / 1e6, 1), "seconds": round(time.perf_counter() - t0, 2),
            "cpu_seconds": round(cpu, 2), "articles_per_s_per_core": round(n / cpu),
            "mb_per_s_per_core": round(raw / 1e6 / cpu, 1), "arabic_words": words}


# -- 2. stages -----------------------------------------------------------------------------------

def _sample(corpora: dict[str, Path], n: int) -> list[Any]:
    from khabar.ingest.readers import RawRecord, read_paths
    from khabar.pipeline import article_from_record

    out = []
    for path in corpora.values():
        items = (i for i in read_paths([path]) if isinstance(i, RawRecord))
        out += [article_from_record(r) for r in itertools.islice(items, n)]
    return out


def stages(corpora: dict[str, Path], n: int, warm: int = 0, bulk_gc: bool = True) -> dict[str, Any]:
    """CPU time of each stage over `n` articles of each corpus, in one process, after `warm`
    articles of each went through untimed (a long ingest's workers run with full caches),
    with the collector thresholds the engine's workers use (CPython's defaults without
    `bulk_gc`)."""
    from khabar.clean.outlets import OutletLines, chrome_candidates
    from khabar.executors.local import use_bulk_gc
    from khabar.pipeline import Pipeline

    if bulk_gc:
        use_bulk_gc()
    per_corpus = [_sample({name: path}, warm + n) for name, path in corpora.items()]
    warmup = [a for arts in per_corpus for a in arts[:warm]]
    articles = [a for arts in per_corpus for a in arts[warm:]]
    lines = OutletLines()
    for a in warmup + articles:  # outlet history as an ingest would have it
        lines.add(a.outlet, chrome_candidates(a.text))
    pipeline = Pipeline(context={"repeated_lines": lines})
    for a in warmup or articles[:20]:  # load models and resources (and fill caches) untimed
        pipeline(a)
    # langid loads on the first text that is not plainly Arabic: were that text in the timed
    # sample, its load (seconds) would count as one article's language stage
    from khabar.clean.language import detect_language

    detect_language("A short English line, read once so that the language model is loaded.")
    cpu = {s.name: 0.0 for s in pipeline.stages}
    for a in articles:
        for s in pipeline.stages:
            c = time.process_time()
            a = s(a, pipeline.context)
            cpu[s.name] += time.process_time() - c
    mb = sum(len(a.text.encode("utf-8")) for a in articles) / 1e6
    total = sum(cpu.values())
    rows = {name: {"cpu_seconds": round(sec, 3), "articles_per_s_per_core": round(len(articles) / sec),
                   "mb_per_s_per_core": round(mb / sec, 2), "share": round(sec / total, 3)}
            for name, sec in cpu.items()}
    clean = sum(cpu[k] for k in ("lines", "body", "identify", "language", "sentences", "pii") if k in cpu)
    return {"articles": len(articles), "warm": len(warmup), "mb": round(mb, 2), "stages": rows,
            "all_stages_articles_per_s_per_core": round(len(articles) / total, 1),
            "cleaning_articles_per_s_per_core": round(len(articles) / clean, 1) if clean else None}


def clustering_rate(corpora: dict[str, Path], n: int) -> dict[str, Any]:
    """Dedup + story clustering alone (features, LSH, stream) over cleaned articles."""
    from khabar.pipeline import Pipeline
    from khabar.stories import cluster_articles

    pipeline = Pipeline(("lines", "body", "identify", "language", "sentences"))
    articles = [pipeline(a) for a in _sample(corpora, n)]
    c = time.process_time()
    out = cluster_articles(articles)
    sec = time.process_time() - c
    return {"articles": len(articles), "cpu_seconds": round(sec, 2),
            "articles_per_s_per_core": round(len(articles) / sec), "stories": len({a.story for a in out})}


# -- 3. whole pipeline ---------------------------------------------------------------------------

#: How far each replay round moves the dates: more than both corpora span together
#: (SaudiNewsNet July-August 2015 to the end of ANT's 2018), so that every article of round k
#: comes after every article of round k - 1. With 2 years a round, round k's SaudiNewsNet part
#: (2015 + 2k) came before round k - 1's ANT part (2016 + 2k): the stream's clock was already a
#: year later, each of those articles started a story that had left the window at once, and
#: half of every round after the first was clustered as singletons.
ROUND_SHIFT_DAYS = 1461


def perturb(rec: dict[str, Any], k: int) -> dict[str, Any]:
    """Replay round `k` of a record: a new id, every date moved by 4 years a round, and a
    round mark after the longest line of the text, whichever input keys hold them (SaudiNewsNet
    writes `content` and `date_extracted`, ANT `text` and an RFC 2822 `time`). The mark is
    written digit by digit so that, as for rounds 1–9, it is no word that story clustering
    counts."""
    rec = dict(rec)
    for key in DEFAULT_FIELD_MAP["text"]:
        if rec.get(key):
            rows = str(rec[key]).split("\n")
            i = max(range(len(rows)), key=lambda j: len(rows[j]))
            # digits apart ("(1 2)", not "(12)"): one-character words are not clustering terms,
            # while a two-digit word shared by every article of a round would be one
            rows[i] = rows[i] + " (" + " ".join(str(k)) + ")"
            rec[key] = "\n".join(rows)
            break
    for key in DEFAULT_FIELD_MAP["external_id"]:
        if key in rec:
            rec[key] = f"{rec[key]}~{k}"
    for key in DEFAULT_FIELD_MAP["published"]:
        when = parse_published(str(rec[key])) if rec.get(key) else None
        if when is not None:
            rec[key] = (when + timedelta(days=ROUND_SHIFT_DAYS * k)).isoformat()
    return rec


def replay(corpora: dict[str, Path], total: int) -> Iterator[str]:
    """`total` JSONL records: both corpora in turn, then again with perturbed copies
    (`perturb`), so that every replayed record is a new article in its own time window."""
    k = 0
    produced = 0
    while produced < total:
        for path in corpora.values():
            with gzip.open(path, "rt", encoding="utf-8") as f:
                for line in f:
                    if produced >= total:
                        return
                    if k:
                        line = json.dumps(perturb(json.loads(line), k), ensure_ascii=False) + "\n"
                    produced += 1
                    yield line
        k += 1


class _TreeRSS(threading.Thread):
    """Peak of the summed RSS of a process and its descendants, sampled every 0.2 s; and the
    CPU time of the process itself at the last sample (its workers' is the rest of the tree's)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()
        self.own_cpu = 0.0
        self._tick = os.sysconf("SC_CLK_TCK")

    def _sample_own_cpu(self) -> None:
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            self.own_cpu = (int(fields[11]) + int(fields[12])) / self._tick  # utime + stime
        except (OSError, IndexError, ValueError):
            pass

    def _tree(self) -> list[int]:
        kids: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                    kids.setdefault(ppid, []).append(int(entry))
                except (OSError, IndexError, ValueError):
                    continue
        out, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            out.append(p)
            todo += kids.get(p, [])
        return out

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self.stop.wait(0.2):
            total = 0
            for p in self._tree():
                try:
                    with open(f"/proc/{p}/statm") as f:
                        total += int(f.read().split()[1]) * page
                except (OSError, IndexError, ValueError):
                    continue
            self.peak = max(self.peak, total)
            self._sample_own_cpu()


def ingest_run(path: Path, folder: Path, workers: int, label: str, engine: str = "local") -> dict[str, Any]:
    db = folder / f"{label}.db"
    cmd = [sys.executable, "-m", "khabar", "--db", str(db), "ingest", str(path), "--json", "--no-progress",
           "--workers", str(workers)]
    if engine == "ray":
        cmd += ["--engine", "ray", "--parquet-out", str(folder / f"{label}.parquet")]
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    rss = _TreeRSS(proc.pid)
    rss.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    rss.stop.set()
    after = os.times()
    if proc.returncode != 0:
        raise SystemExit(f"{label}: ingest failed: {err.strip()[-500:]}")
    report = json.loads(out)
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    size = sum(p.stat().st_size for p in folder.glob(db.name + "*"))
    return {"label": label, "engine": engine, "workers": workers, "records": report["read"],
            "new": report["new"], "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "articles_per_s": round(report["read"] / seconds, 1),
            # the ingest process alone (reading, storing, dedup, clustering), up to its last
            # 0.2 s; with workers, the rest of `cpu_seconds` is theirs
            "parent_cpu_ms_per_article": round(1000 * rss.own_cpu / report["read"], 2)
            if engine == "local" else None,
            # Ray's workers are not waited-for children: their CPU time is not counted here
            "articles_per_s_per_core": round(report["read"] / cpu, 1) if cpu and engine == "local" else None,
            "ms_per_article": round(1000 * seconds / report["read"], 2),
            "input_mb": round(path.stat().st_size / 1e6, 1), "peak_rss_mb": round(rss.peak / 2**20),
            "db_mb": round(size / 1e6, 1)}


def same_store(a: Path, b: Path) -> list[str]:
    """What differs between two stores (articles, records, quarantine, outlet line counts,
    copy groups, stories and their state, mentions): [] when they hold the same."""
    sys.path.insert(0, str(ROOT / "tests"))
    from store_audit import diff, snapshot

    return diff(snapshot(a), snapshot(b))


# -- 4. peers ------------------------------------------------------------------------------------

def peer_minhash(corpora: dict[str, Path], n: int) -> dict[str, Any]:
    from khabar.stories.dedup import DEFAULT_NUM_PERM, minhash
    from khabar.text import match_keys

    bodies = [match_keys(a.text) for a in _sample(corpora, n)]
    c = time.process_time()
    for keys in bodies:
        minhash(keys)
    ours = time.process_time() - c
    try:
        from datasketch import MinHash
    except ImportError:
        return {"khabar_per_s": round(len(bodies) / ours), "datasketch": "not installed"}
    c = time.process_time()
    for keys in bodies:
        m = MinHash(num_perm=DEFAULT_NUM_PERM)
        m.update_batch([" ".join(keys[i:i + 3]).encode("utf-8") for i in range(max(1, len(keys) - 2))])
    theirs = time.process_time() - c
    return {"documents": len(bodies), "num_perm": DEFAULT_NUM_PERM,
            "khabar_per_s": round(len(bodies) / ours), "datasketch_per_s": round(len(bodies) / theirs)}


def peer_clustering() -> dict[str, Any]:
    from benchmarks.clustering import agglomerative_baseline, ant_gold, eval_ant

    if not (ROOT.parent / "shared" / "eval" / "stories_ant_2018-03-11_13.jsonl").exists():
        return {"skipped": "no ANT gold"}
    c = time.process_time()
    ours = eval_ant()
    ours_sec = time.process_time() - c
    articles, gold, days = ant_gold()
    theirs = agglomerative_baseline(articles, gold, days)
    return {"articles": len(articles), "khabar_bcubed_f1": ours.get("all", ours).get("bcubed", {}).get("f1")
            if isinstance(ours.get("all", ours), dict) else None,
            "khabar_cpu_seconds_incl_pipeline": round(ours_sec, 2),
            "sklearn_bcubed_f1": theirs.get("all", {}).get("bcubed", {}).get("f1"),
            "sklearn_seconds_incl_grid": theirs.get("seconds_incl_grid")}


def peer_html(limit: int) -> dict[str, Any]:
    from benchmarks.html_extraction import ZYTE_DIR, make_khabar_runner, run_trafilatura

    pages = sorted((ZYTE_DIR / "html").glob("*"))[:limit]
    if not pages:
        return {"skipped": "no Scrapinghub pages"}
    blobs = []
    for p in pages:
        data = p.read_bytes()
        blobs.append((gzip.decompress(data) if p.suffix == ".gz" else data, p.name))
    mb = sum(len(b) for b, _ in blobs) / 1e6
    out: dict[str, Any] = {"pages": len(blobs), "mb": round(mb, 1)}
    ours = make_khabar_runner("balanced")
    for name, run in (("trafilatura", run_trafilatura), ("khabar", ours)):
        c = time.process_time()
        for data, origin in blobs:
            run(data, origin)
        sec = time.process_time() - c
        out[f"{name}_pages_per_s"] = round(len(blobs) / sec, 1)
        out[f"{name}_mb_per_s"] = round(mb / sec, 2)
    return out


# -- report --------------------------------------------------------------------------------------

def markdown(res: dict[str, Any]) -> str:
    lim = res["limit"]
    rows = ["| what | articles/s per core | MB/s per core | share of the machine limit |",
            "|---|---:|---:|---:|",
            f"| machine limit (read + gunzip + decode + JSON + one regex) | {lim['articles_per_s_per_core']:,} "
            f"| {lim['mb_per_s_per_core']} | 1 |"]
    st = res["stages"]
    for name, r in st["stages"].items():
        rows.append(f"| stage `{name}` | {r['articles_per_s_per_core']:,} | {r['mb_per_s_per_core']} "
                    f"| {r['articles_per_s_per_core'] / lim['articles_per_s_per_core']:.4f} |")
    rows.append(f"| all stages | {st['all_stages_articles_per_s_per_core']:,} | | "
                f"{st['all_stages_articles_per_s_per_core'] / lim['articles_per_s_per_core']:.4f} |")
    if res.get("clustering"):
        c = res["clustering"]
        rows.append(f"| dedup + story clustering | {c['articles_per_s_per_core']:,} | | |")
    out = ["\n".join(rows), "",
           "| ingest run | engine | workers | records | wall s | art/s | art/s per core | ms/article "
           "| parent CPU ms/article | peak RSS MB |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in res["ingest"]:
        out.append(f"| {r['label']} | {r['engine']} | {r['workers']} | {r['records']:,} | {r['seconds']} "
                   f"| {r['articles_per_s']} | {r['articles_per_s_per_core']} | {r['ms_per_article']} "
                   f"| {r.get('parent_cpu_ms_per_article')} | {r['peak_rss_mb']} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=1000, help="articles per corpus for the stage rates")
    ap.add_argument("--default-gc", action="store_true",
                    help="time the stages with CPython's default collector thresholds")
    ap.add_argument("--warm", type=int, default=0,
                    help="articles per corpus run through the stages untimed before the sample")
    ap.add_argument("--scale", default="10000,100000,1000000", help="sizes of the scaling curve")
    ap.add_argument("--max", type=int, help="cap every ingest run at N records")
    ap.add_argument("--workers", default="1,2", help="worker counts for the speed-up runs")
    ap.add_argument("--speedup-size", type=int, default=10000, help="records for the 1-vs-N worker runs")
    ap.add_argument("--ray", action="store_true", help="also ingest the speed-up input with --engine ray")
    ap.add_argument("--quick", action="store_true", help="no peers")
    ap.add_argument("--stages-only", action="store_true",
                    help="machine limit, stages and clustering rate only (no ingest runs, no peers)")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--write-replay", type=Path, metavar="PATH",
                    help="write the replay of --speedup-size records to PATH (JSONL, the input of the "
                         "speed-up runs, for benchmarks/worker_overhead.py or a timed `khabar ingest`) and stop")
    args = ap.parse_args()
    corpora = _present()
    if args.write_replay:
        with open(args.write_replay, "w", encoding="utf-8") as f:
            f.writelines(replay(corpora, args.speedup_size))
        print(f"{args.speedup_size} records -> {args.write_replay}")
        return
    res: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                       "platform": platform.platform(),
                                       "load_before": os.getloadavg()},
                           "args": vars(args)}
    print("machine limit …", flush=True)
    res["limit"] = machine_limit(corpora)
    print(json.dumps(res["limit"]), flush=True)
    print("stages …", flush=True)
    res["stages"] = stages(corpora, args.sample, args.warm, bulk_gc=not args.default_gc)
    print(json.dumps(res["stages"]), flush=True)
    res["clustering"] = clustering_rate(corpora, args.sample)
    print(json.dumps(res["clustering"]), flush=True)
    res["ingest"] = []
    cap = args.max or 10**12
    if args.stages_only:
        args.quick = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def data(n: int) -> Path:
            path = folder / f"replay{n}.jsonl"
            if not path.exists():
                with open(path, "w", encoding="utf-8") as f:
                    f.writelines(replay(corpora, n))
            return path

        n = min(args.speedup_size, cap)
        for w in ([] if args.stages_only else (int(x) for x in args.workers.split(","))):
            r = ingest_run(data(n), folder, w, f"{n}-w{w}")
            res["ingest"].append(r)
            print(json.dumps(r), flush=True)
        if args.ray and not args.stages_only:
            r = ingest_run(data(n), folder, 2, f"{n}-ray", engine="ray")
            local = [x for x in res["ingest"] if x["label"].startswith(f"{n}-w")]
            if local:  # the store the tests compare, table by table, against the local one
                r["differences_from_" + local[-1]["label"]] = same_store(
                    folder / f"{n}-ray.db", folder / f"{local[-1]['label']}.db")
            res["ingest"].append(r)
            print(json.dumps(r), flush=True)
        workers = max(int(x) for x in args.workers.split(","))
        done = {n}
        for size in ([] if args.stages_only else (int(x) for x in args.scale.split(","))):
            size = min(size, cap)
            if size in done:
                continue
            done.add(size)
            r = ingest_run(data(size), folder, workers, f"{size}-w{workers}")
            res["ingest"].append(r)
            print(json.dumps(r), flush=True)
            data(size).unlink()
    if not args.quick:
        print("peers …", flush=True)
        res["peers"] = {"minhash": peer_minhash(corpora, args.sample), "clustering": peer_clustering(),
                        "html": peer_html(60)}
        print(json.dumps(res["peers"]), flush=True)
    res["machine"]["load_after"] = os.getloadavg()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print()
    print(markdown(res))
    print(f"\n→ {args.out}")


if __name__ == "__main__":
    main()
