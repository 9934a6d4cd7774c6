"""Web reader benchmark: server-side render time (p50, p95) of the story list and of story pages
on a store holding all of SaudiNewsNet.

    python benchmarks/web.py                       # builds the store once (cleaning stages), then measures
    python benchmarks/web.py --db snn.db           # an existing store (any stages)
    python benchmarks/web.py --stages all          # build it with the full pipeline (much slower)

The app runs in process (Starlette's test client: routing, the Corpus queries, Jinja rendering
and the SVG charts, no network). The story list is timed for each sort order over its first pages, each
page once (first views; the reader caches lists until articles are added, timed apart as
`story_list_again`), after one request that fills the front page's cache of per-day counts and
most cited names (reported apart as `cold`); story pages are timed once each over the biggest stories
and a seeded random sample of the rest (first views: the synthesis is computed), then the 20
biggest again (served from the reader's page cache). Results go to benchmarks/results/web.json.
Timings are wall-clock on a shared machine: noisy, compare runs made side by side.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SNN = ROOT.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
CLEANING_STAGES = "lines,body,identify,language,sentences,pii"


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {"n": len(ordered), "p50_ms": round(pick(0.5) * 1000, 1), "p95_ms": round(pick(0.95) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1), "mean_ms": round(statistics.fmean(ordered) * 1000, 1)}


def build(db: Path, stages: str) -> float:
    args = [sys.executable, "-m", "khabar", "--db", str(db), "ingest", str(SNN), "--no-progress"]
    if stages != "all":
        args += ["--stages", stages]
    started = time.perf_counter()
    subprocess.run(args, check=True)
    return time.perf_counter() - started


def timed(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.text[:300]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "khabar-bench" / "saudinewsnet-web.db",
                        help="the store (built when missing; kept for later runs)")
    parser.add_argument("--stages", default=CLEANING_STAGES,
                        help=f"stages to build the store with when it is missing ('all' for the full pipeline; default {CLEANING_STAGES})")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per story-list sort order")
    parser.add_argument("--stories", type=int, default=60, help="story pages timed (20 biggest + a random sample)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "web.json")
    args = parser.parse_args()

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from khabar.web import create_app

    built_in = None
    if not args.db.exists():
        if not SNN.exists():
            raise SystemExit(f"needs {SNN} (or --db with a store)")
        args.db.parent.mkdir(parents=True, exist_ok=True)
        built_in = build(args.db, args.stages)
    started = time.perf_counter()
    app = create_app(args.db)
    startup = time.perf_counter() - started
    with TestClient(app) as client:  # one event loop and its worker threads, as in a server
        result = measure(client, args, startup, built_in)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


def measure(client: Any, args: argparse.Namespace, startup: float, built_in: float | None) -> dict[str, Any]:
    """Time the pages; returns the figures."""
    stats = client.get("/api/stats").json()
    spans = client.get("/api/stories?limit=1&sort=size").json()

    cold = timed(client, "/")
    # each list page once (first views: the reader caches a list until articles are added),
    # pages 1..repeat of each sort order; then page 1 of each again, from the cache
    lists: dict[str, list[float]] = {}
    for sort in ("recency", "size", "outlets"):
        lists[sort] = [timed(client, f"/?sort={sort}&page={page}") for page in range(1, args.repeat + 1)]
    again = [timed(client, f"/?sort={sort}") for sort in ("recency", "size", "outlets") for _ in range(10)]
    api_list = [timed(client, f"/api/stories?limit=50&offset={50 * i}") for i in range(args.repeat)]

    biggest = [s["id"] for s in client.get("/api/stories?sort=size&limit=20").json()["stories"]]
    total = spans["total"]
    rng = random.Random(8)
    offsets = rng.sample(range(20, total), min(max(0, args.stories - len(biggest)), max(0, total - 20)))
    sample = biggest + [client.get(f"/api/stories?sort=size&limit=1&offset={o}").json()["stories"][0]["id"]
                        for o in offsets]
    story_times = [timed(client, f"/stories/{sid}") for sid in sample]
    big_times = story_times[:len(biggest)]
    repeat_times = [timed(client, f"/stories/{sid}") for sid in biggest]  # served from the page cache
    article_ids = [client.get(f"/api/stories/{sid}").json()["articles"][0]["id"] for sid in sample[:30]]
    article_times = [timed(client, f"/articles/{aid}") for aid in article_ids]
    sizes = [client.get(f"/api/stories/{sid}").json()["size"] for sid in biggest[:1]]

    all_lists = [t for ts in lists.values() for t in ts]
    return {
        "db": str(args.db),
        "stages": args.stages if built_in is not None else "(existing store: see --stages of its build)",
        "build_seconds": round(built_in, 1) if built_in is not None else None,
        "articles": stats["articles"],
        "stories": total,
        "biggest_story_size": sizes[0] if sizes else None,
        "app_startup_ms": round(startup * 1000, 1),
        "story_list_cold_ms": round(cold * 1000, 1),
        "story_list": _percentiles(all_lists),
        "story_list_by_sort": {k: _percentiles(v) for k, v in lists.items()},
        "story_list_again": _percentiles(again),
        "api_stories": _percentiles(api_list),
        "story_page": _percentiles(story_times),
        "story_page_20_biggest": _percentiles(big_times),
        "story_page_20_biggest_again": _percentiles(repeat_times),
        "article_page": _percentiles(article_times),
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
    }


if __name__ == "__main__":
    main()
