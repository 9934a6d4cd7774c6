"""The ingest parent's cost as the store grows: storing and story assignment alone, to 1M.

`khabar ingest --workers N` leaves the parent three jobs per batch: store the batch's articles
(rows, full-text index, mentions index, records), give them copy groups and stories, and commit.
The suite's 1M run (`benchmarks/suite.py --scale 1000000`) shows the parent's CPU per record
growing with the store; this benchmark measures that part alone, so that what grows can be
seen without running the workers for 75 minutes:

1. the first `--base` records of SaudiNewsNet + ANT go through a real ingest (2 workers) and
   what the workers send back for each batch is kept (cached in `benchmarks/results/`);
2. those batches are replayed into a fresh store, round after round, each round with new
   article ids, text hashes and external ids, dates moved 4 years a round and the round's
   number added to every body digit by digit (as the suite's replay does), through the same
   calls the parent makes (`Store.add_batch`, `StoryStore.assign`, one transaction a batch);
3. every SQL statement is timed by its kind, and per slice of `--every` articles it prints the
   parent's CPU and wall ms per article, split into statement kinds, and the database size.

    python benchmarks/store_scale.py --base 62555 --total 1000000 --out benchmarks/results/store_scale.json

The SQL timings are CPU time spent inside SQLite (page reads from the OS cache count there,
waiting for the disk does not); `python` is the parent's CPU outside SQL (clustering, dedup,
building rows); `wall` adds the waits. Nothing here
runs the article stages, so the per-article figures are the parent's share only.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import pickle
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.suite import CORPORA, ROUND_SHIFT_DAYS, replay  # noqa: E402
from khabar.corpus import Corpus  # noqa: E402
from khabar.executors.local import Prepared, use_bulk_gc  # noqa: E402
from khabar.ingest.readers import Rejected  # noqa: E402
from khabar.store.sqlite import Sighting, StoredForm  # noqa: E402
from khabar.stories.dedup import default_fingerprint  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def capture(base: int, workers: int) -> list[dict[str, Any]]:
    """Ingest the first `base` records of the replay stream; keep what each batch's workers sent."""
    batches: list[dict[str, Any]] = []
    original = Corpus._commit_oldest

    def keep(self: Corpus, report: Any) -> None:
        flight = self._inflight[0]
        results = flight.handle.get()
        batches.append({
            "results": [r for r in results],
            "hashes": list(flight.hashes),
            "sightings": list(flight.sightings),
            "rejected": list(flight.rejected),
            "outlet_lines": dict(flight.outlet_lines),
        })
        original(self, report)

    corpora = {k: p for k, p in CORPORA.items() if p.exists()}
    if not corpora:
        sys.exit("store_scale: ../shared/data (SaudiNewsNet, ANT) is not here")
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "base.jsonl"
        with open(src, "w", encoding="utf-8") as out:
            out.writelines(replay(corpora, base))
        Corpus._commit_oldest = keep  # type: ignore[method-assign]
        try:
            corpus = Corpus(Path(d) / "base.db")
            corpus.ingest([str(src)], workers=workers)
            corpus.store.close()
        finally:
            Corpus._commit_oldest = original  # type: ignore[method-assign]
    return batches


def _new_id(old: str, k: int) -> str:
    if not k:
        return old
    return hashlib.sha1(f"{old}~{k}".encode()).hexdigest()[: len(old) or 16]


def perturbed(batch: dict[str, Any], k: int) -> tuple[list[Any], list[StoredForm], list[Any],
                                                       list[str], list[Sighting], list[Rejected]]:
    """Round `k` of a captured batch: what `_commit_oldest` hands to the store and the stories."""
    shift = timedelta(days=ROUND_SHIFT_DAYS * k)
    articles, prepared, feats, hashes = [], [], [], []
    for item, text_hash in zip(batch["results"], batch["hashes"]):
        if isinstance(item, Rejected) or not isinstance(item, Prepared):
            continue
        a, form, f = item.article, item.form, item.features
        if k:
            aid = _new_id(a.id, k)
            a = replace(a, id=aid, external_id=f"{a.external_id}~{k}",
                        published=a.published + shift if a.published else None)
            form = StoredForm(form.spans_json, tuple((aid,) + row[1:] for row in form.mentions))
            body_keys = f.body_keys + list(str(k))  # the suite's mark, digit by digit
            # the dedup fingerprint made again, as the worker that read this text would have
            f = replace(f, id=aid, time=f.time + shift.total_seconds() if f.time is not None else None,
                        body_keys=body_keys,
                        fingerprint=default_fingerprint(body_keys) if f.fingerprint else None)
            text_hash = _new_id(text_hash, k)
        articles.append(a)
        prepared.append((form, f.title_keys, f.body_keys))
        feats.append(f)
        hashes.append(text_hash)
    sightings = [replace(s, article_id=_new_id(s.article_id, k), text_hash=_new_id(s.text_hash, k),
                         external_id=f"{s.external_id}~{k}" if k else s.external_id)
                 for s in batch["sightings"]]
    return articles, prepared, feats, hashes, sightings, batch["rejected"]


class TimedCursor:
    """A cursor whose execute/executemany add their CPU time (of this thread: SQLite runs in
    the caller's thread) to `times[kind of statement]`."""

    def __init__(self, cur: sqlite3.Cursor, times: dict[str, float]) -> None:
        self._cur, self._times = cur, times

    def _kind(self, sql: str) -> str:
        words = sql.split()
        head = " ".join(words[:3]).upper()
        for marker in ("articles_fts", "mentions", "story_articles", "story_df", "story_meta",
                       "stories", "records", "quarantine", "outlet_lines", "outlet_counts",
                       "articles"):
            if marker in sql:
                return f"{words[0].upper()} {marker}"
        return head

    def execute(self, sql: str, params: Any = ()) -> Any:
        t = time.thread_time()
        try:
            return self._cur.execute(sql, params)
        finally:
            self._times[self._kind(sql)] += time.thread_time() - t

    def executemany(self, sql: str, rows: Any) -> Any:
        rows = list(rows)
        t = time.thread_time()
        try:
            return self._cur.executemany(sql, rows)
        finally:
            self._times[self._kind(sql)] += time.thread_time() - t

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


class TimedConnection:
    def __init__(self, conn: sqlite3.Connection, times: dict[str, float]) -> None:
        self._conn, self._times = conn, times

    def cursor(self) -> TimedCursor:
        return TimedCursor(self._conn.cursor(), self._times)

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self.cursor().execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=int, default=62555, help="records ingested for real, then replayed")
    ap.add_argument("--total", type=int, default=1_000_000, help="articles to store in all")
    ap.add_argument("--every", type=int, default=50_000, help="print a line per this many articles")
    ap.add_argument("--workers", type=int, default=2, help="workers of the capture ingest")
    ap.add_argument("--db", help="database to fill (default: a temporary file, deleted)")
    ap.add_argument("--out", default=str(RESULTS / "store_scale.json"))
    ap.add_argument("--sql", action="append", default=[],
                    help="a statement run on the new store before filling it (a PRAGMA, an FTS5"
                         " setting), to compare settings; repeatable")
    args = ap.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    cache = RESULTS / f"store_scale_capture_{args.base}.pkl"
    if cache.exists():
        with open(cache, "rb") as fh:
            batches = pickle.load(fh)
        print(f"capture: {len(batches)} batches from {cache}", flush=True)
    else:
        t = time.perf_counter()
        batches = capture(args.base, args.workers)
        with open(cache, "wb") as fh:
            pickle.dump(batches, fh, protocol=pickle.HIGHEST_PROTOCOL)
        print(f"capture: {len(batches)} batches in {time.perf_counter() - t:.1f} s -> {cache}", flush=True)

    # as in an ingest, whose parent collects cycles less often; and the captured batches (the
    # replay's input, not the parent's state) kept out of the collector's walks
    use_bulk_gc()
    gc.freeze()
    tmp = None
    if args.db:
        db = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory(dir=RESULTS)
        db = Path(tmp.name) / "scale.db"
    corpus = Corpus(db)
    store, stories = corpus.store, corpus.stories
    for statement in args.sql:
        store.conn.execute(statement)
    times: dict[str, float] = defaultdict(float)
    raw = store.conn
    timed = TimedConnection(raw, times)
    store.conn = timed  # type: ignore[assignment]
    stories.conn = timed  # type: ignore[assignment]

    rows: list[dict[str, Any]] = []
    done = slice_start = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    slice_times: dict[str, float] = defaultdict(float)
    k = 0
    while done < args.total:
        for batch in batches:
            if done >= args.total:
                break
            articles, prepared, feats, hashes, sightings, rejected = perturbed(batch, k)
            before = dict(times)
            c0, w0 = time.process_time(), time.perf_counter()
            with store.transaction():
                store.add_batch(articles, rejected, text_hashes=hashes, sightings=sightings,
                                outlet_lines=batch["outlet_lines"], prepared=prepared)
                t_assign = time.thread_time()
                if feats:
                    stories.assign(feats)
                times["assign (all)"] += time.thread_time() - t_assign
            c1, w1 = time.process_time(), time.perf_counter()
            slice_times["cpu"] += c1 - c0
            slice_times["wall"] += w1 - w0
            for key, v in times.items():
                slice_times[key] += v - before.get(key, 0.0)
            done += len(articles)
            if done - slice_start >= args.every or done >= args.total:
                n = done - slice_start
                sql = sum(v for key, v in slice_times.items()
                          if key not in ("cpu", "wall", "assign (all)"))
                row = {"articles": done, "slice": n,
                       "cpu_ms": round(1000 * slice_times["cpu"] / n, 3),
                       "wall_ms": round(1000 * slice_times["wall"] / n, 3),
                       "sql_ms": round(1000 * sql / n, 3),
                       "python_ms": round(1000 * (slice_times["cpu"] - sql) / n, 3),
                       "db_mb": round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6, 1),
                       "kinds": {key: round(1000 * v / n, 3) for key, v in
                                 sorted(slice_times.items(), key=lambda kv: -kv[1])
                                 if key not in ("cpu", "wall")}}
                rows.append(row)
                top = ", ".join(f"{key} {v:.3f}" for key, v in list(row["kinds"].items())[:9])
                print(f"{done:>9,} articles  cpu {row['cpu_ms']:.3f}  wall {row['wall_ms']:.3f}"
                      f"  sql {row['sql_ms']:.3f}  python {row['python_ms']:.3f} ms/article"
                      f"  db {row['db_mb']:,.0f} MB | {top}", flush=True)
                slice_start = done
                slice_times = defaultdict(float)
        k += 1
    total = {"articles": done, "rounds": k, "cpu_s": round(time.process_time() - cpu0, 1),
             "wall_s": round(time.perf_counter() - wall0, 1), "rows": rows,
             "base": args.base, "sql": args.sql, "sqlite": sqlite3.sqlite_version}
    store.conn = raw  # type: ignore[assignment]
    store.close()
    Path(args.out).write_text(json.dumps(total, indent=1), encoding="utf-8")
    print(f"{done:,} articles in {total['wall_s']} s ({total['cpu_s']} s CPU) -> {args.out}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
