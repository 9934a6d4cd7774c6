"""Load: `khabar serve` on loopback driven by concurrent clients while an ingest writes.

    python benchmarks/load.py                         # 100 clients, 60 s, SaudiNewsNet store
    python benchmarks/load.py --clients 20 --seconds 10 --db /tmp/small.db --build-from x.jsonl

The store is built first when it does not exist (`khabar ingest --stages
lines,body,identify,language,sentences,pii` over all of SaudiNewsNet, ../shared/data/saudinewsnet/).
Then `khabar serve` starts, a `khabar ingest` of fresh synthetic articles (benchmarks/synthetic.py)
runs into the same store, and N asyncio clients (httpx) loop for the given seconds over a mix of
requests: the story list (sorted by size, recency or outlets, paged), one story (with its
synthesis), a search, one article. Reported: requests, errors (target 0: any status other than
200, or a failed connection), throughput, p50/p90/p99 latency overall and per kind, and how many
articles the ingest added meanwhile. Results go to benchmarks/results/load.json.

The client runs on the same machine as the server (and the ingest): on a 2-core machine the
three share the cores, so the figures are a floor, and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import generate, write_jsonl

FAST = "lines,body,identify,language,sentences,pii"
SNN = ROOT.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
WORDS = ["السعودية", "الرياض", "وزير", "أمير", "جدة", "الصحة", "التعليم", "مكة", "المملكة", "الملك",
         "النفط", "الأمطار", "الهلال", "النصر", "المرور", "الطلاب", "مجلس الوزراء", "الدفاع المدني",
         "سيول", "الشورى", "الاقتصاد", "المستشفى", "الحج", "رمضان", "العمالة"]
MIX = [("stories", 0.3), ("story", 0.25), ("search", 0.25), ("article", 0.2)]


def khabar(*args: str) -> list[str]:
    return [sys.executable, "-m", "khabar", *args]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(latencies: list[float]) -> dict[str, float]:
    return {"n": len(latencies), "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
            "p90_ms": round(percentile(latencies, 0.9) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0}


async def drive(base: str, clients: int, seconds: float, story_ids: list[str], article_ids: list[str],
                seed: int, keepalive: bool = True) -> dict[str, Any]:
    import httpx

    rng = random.Random(seed)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    latencies: dict[str, list[float]] = {k: [] for k in kinds}
    errors: dict[str, int] = {}
    samples: list[str] = []
    stop = time.monotonic() + seconds

    def request(kind: str) -> tuple[str, dict[str, Any]]:
        if kind == "stories":
            return "/api/stories", {"sort": rng.choice(["size", "recency", "outlets"]),
                                    "limit": 20, "offset": rng.choice([0, 0, 20, 40, 100])}
        if kind == "story":
            return f"/api/stories/{rng.choice(story_ids)}", {}
        if kind == "search":
            return "/api/search", {"q": " ".join(rng.sample(WORDS, rng.choice([1, 1, 2]))), "limit": 20}
        return f"/api/articles/{rng.choice(article_ids)}", {}

    # without keep-alive every request opens its own connection: no request can meet a
    # connection the server is closing for idleness (uvicorn closes them after 5 s)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients if keepalive else 0)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        async def worker() -> None:
            while time.monotonic() < stop:
                kind = rng.choices(kinds, weights)[0]
                path, params = request(kind)
                start = time.monotonic()
                try:
                    r = await client.get(path, params=params)
                    ok = r.status_code == 200
                    what = f"{kind}: HTTP {r.status_code}"
                except httpx.HTTPError as exc:
                    ok, what = False, f"{kind}: {type(exc).__name__}"
                elapsed = time.monotonic() - start
                if ok:
                    latencies[kind].append(elapsed)
                else:
                    errors[what] = errors.get(what, 0) + 1
                    if len(samples) < 10:
                        samples.append(f"{what} {path} {params}")

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.monotonic() - started
    every = [x for v in latencies.values() for x in v]
    total = len(every) + sum(errors.values())
    return {"requests": total, "ok": len(every), "errors": sum(errors.values()), "error_kinds": errors,
            "error_samples": samples, "seconds": round(wall, 1),
            "throughput_rps": round(total / wall, 1) if wall else 0.0, "latency": summary(every),
            "by_kind": {k: summary(v) for k, v in latencies.items()}}


def wait_for(base: str, proc: subprocess.Popen[bytes], timeout: float = 300) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("khabar serve exited before answering")
        try:
            if httpx.get(base + "/api/stats", timeout=30).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("khabar serve did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/khabar-load/saudinewsnet.db"))
    parser.add_argument("--build-from", type=Path, default=SNN, help="input to build the store from when it is missing")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ingest-articles", type=int, default=20000,
                        help="synthetic articles ingested while the clients run (0: no ingest)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-keepalive", action="store_true", help="a new connection for every request")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "load.json")
    args = parser.parse_args()
    import httpx

    build_seconds = None
    if not args.db.exists():
        if not args.build_from.exists():
            raise SystemExit(f"no store at {args.db} and nothing to build it from ({args.build_from})")
        args.db.parent.mkdir(parents=True, exist_ok=True)
        print(f"building {args.db} from {args.build_from} (stages {FAST}) …", flush=True)
        start = time.monotonic()
        subprocess.run(khabar("--db", str(args.db), "ingest", str(args.build_from), "--stages", FAST,
                              "--no-progress"), check=True)
        build_seconds = round(time.monotonic() - start, 1)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(args.db.with_suffix(".serve.log"), "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(khabar("--db", str(args.db), "serve", "--port", str(port)), stdout=log,
                              stderr=subprocess.STDOUT,
                              env={k: v for k, v in os.environ.items() if k != "KHABAR_TOKEN"})
    ingest = None
    try:
        wait_for(base, server)
        before = httpx.get(base + "/api/stats", timeout=60).json()
        stories = []
        for sort in ("size", "recency", "outlets"):
            stories += httpx.get(base + "/api/stories", params={"sort": sort, "limit": 200}, timeout=120).json()["stories"]
        story_ids = sorted({s["id"] for s in stories})
        article_ids: list[str] = []
        for sid in story_ids[:60]:
            data = httpx.get(f"{base}/api/stories/{sid}", timeout=120).json()
            article_ids += [a["id"] for a in data.get("articles", [])[:5]]
        print(f"store: {before['articles']:,} articles; {len(story_ids)} stories and {len(article_ids)} articles"
              " to ask for", flush=True)
        if args.ingest_articles:
            src = write_jsonl(args.db.with_suffix(".ingest.jsonl"), generate(args.ingest_articles, args.seed + 1))
            ingest = subprocess.Popen(khabar("--db", str(args.db), "ingest", str(src), "--stages", FAST,
                                             "--no-progress"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        result = asyncio.run(drive(base, args.clients, args.seconds, story_ids, article_ids, args.seed,
                                   keepalive=not args.no_keepalive))
        ingest_running = ingest is not None and ingest.poll() is None
        after = httpx.get(base + "/api/stats", timeout=60).json()
    finally:
        for proc in (ingest, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        log.close()
    report = {
        "clients": args.clients, "seconds_asked": args.seconds, "keepalive": not args.no_keepalive, "store": str(args.db),
        "store_articles_before": before["articles"], "store_articles_after": after["articles"],
        "ingest_added": after["articles"] - before["articles"], "ingest_still_running_at_end": ingest_running,
        "build_seconds": build_seconds, "stages": FAST, "mix": dict(MIX), **result,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    lat = result["latency"]
    print(f"{args.clients} clients × {result['seconds']}s: {result['requests']:,} requests, "
          f"{result['errors']} errors, {result['throughput_rps']} req/s, p50 {lat['p50_ms']} ms, "
          f"p99 {lat['p99_ms']} ms; ingest added {report['ingest_added']:,} articles meanwhile")
    for kind, s in result["by_kind"].items():
        print(f"  {kind:8s} {s['n']:>6,}  p50 {s['p50_ms']:>7} ms  p99 {s['p99_ms']:>8} ms")
    if result["errors"]:
        print("errors:", json.dumps(result["error_kinds"], ensure_ascii=False))
        for sample in result["error_samples"]:
            print("  ", sample)


if __name__ == "__main__":
    main()
