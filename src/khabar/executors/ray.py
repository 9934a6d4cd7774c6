"""The Ray executor: the per-article stages on a Ray cluster, written as Parquet shards.

    khabar ingest dump.jsonl.gz --engine ray [--ray-address ADDR]   # process, then load
    khabar ray-process dump.jsonl.gz --out run/                      # only process
    khabar load-parquet run/                                         # load into --db

How it splits the work, and why:

- The driver reads the inputs in order with khabar's own readers (JSONL(.gz), Parquet, WARC,
  HTML and text files; encodings, quarantine of a bad record with its reason), not with Ray
  Data's readers: the bookkeeping below is sequential and order-dependent anyway; it cuts them into batches exactly as `Corpus.ingest` does, drops texts already seen in this
  run, and counts each batch's outlet lines before dispatching it. That counting is cheap
  and order-dependent (a line is chrome when the outlet printed it in enough *earlier*
  articles), so it stays on the driver and travels with the batch as a `LinesSnapshot`, as
  in the local engine.
- Each batch is one Ray task running the very functions the local engine runs
  (`khabar.executors.local.run_chunk`), on any node. It writes `shard-NNNNNN.parquet`
  (articles, sightings and rejects, in input order), `mentions-NNNNNN.parquet` (the
  entities, quotes, quantities and dates of its articles) and then a `shard-NNNNNN.done`
  marker. A rerun of the same command skips the shards that have a marker, so an
  interrupted run resumes where it stopped.
- Near-duplicate copy groups and stories are assigned when the shards are loaded
  (`load_parquet`), shard by shard in input order, with the same store code as a local
  ingest, in one transaction per shard. Story assignment is a stream (an article joins the
  stories open before it), so doing it in order is what makes the Ray path give the same
  copy groups and stories as the local one. `khabar ingest --engine ray` (`ingest_on_ray`)
  stores each shard as soon as it and every shard before it are written, so the driver's
  storing overlaps the stages on the cluster, as the local engine's parent does; `ray-process`
  then `load-parquet` store only after the whole run.

The Parquet output is self-describing (`manifest.json`) and can be read by any Parquet tool.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from khabar.clean.outlets import OutletLines, chrome_candidates
from khabar.errors import InputError
from khabar.executors.local import (LinesSnapshot, bulk_gc, default_workers, run_chunk,
                                    snapshot_lines, use_bulk_gc)
from khabar.ingest.readers import RawRecord, Rejected, Skipped, expand_paths, read_paths, reason_kind
from khabar.model import Article, raw_text_hash
from khabar.pipeline import DEFAULT_STAGES, Pipeline, article_from_record, with_outlet, with_stored_hashes

__all__ = ["RayRun", "article_from_json", "article_to_json", "ingest_on_ray", "load_parquet",
           "process_to_parquet", "require_ray"]

FORMAT = "khabar-parquet/1"


def require_ray() -> Any:
    """The `ray` module, or a one-line reason to install it."""
    try:
        import pyarrow  # noqa: F401
        import ray
    except ImportError as exc:
        raise InputError(f"the Ray engine needs Ray and pyarrow: pip install 'khabar[ray]' ({exc})") from None
    return ray


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise InputError(f"Parquet needs pyarrow: pip install 'khabar[ray]' ({exc})") from None
    return pa, pq


# -- articles as JSON (the same span encoding the store uses) ------------------------------------

def article_to_json(article: Article) -> str:
    from khabar.store.sqlite import _spans_to_json

    data = {
        "id": article.id, "text": article.text, "outlet": article.outlet, "url": article.url,
        "title": article.title, "author": article.author, "dateline": article.dateline,
        "dateline_place": article.dateline_place, "dateline_source": article.dateline_source,
        "published": article.published.isoformat() if article.published else None,
        "body": article.body, "language": article.language, "external_id": article.external_id,
        "origin": article.origin, "metadata": [list(kv) for kv in article.metadata],
        "spans": _spans_to_json(article),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def article_from_json(raw: str) -> Article:
    from khabar.store.sqlite import _spans_from_json

    data = json.loads(raw)
    spans = _spans_from_json(data.pop("spans"), data["text"])
    published = data.pop("published")
    metadata = tuple(tuple(kv) for kv in data.pop("metadata"))
    return Article(**data, published=datetime.fromisoformat(published) if published else None,
                   metadata=metadata, **spans)  # type: ignore[arg-type]


# -- the driver ------------------------------------------------------------------------------------

@dataclass(slots=True)
class RayRun:
    """What `process_to_parquet` did."""

    out: str
    read: int = 0
    shards: int = 0
    skipped_shards: int = 0  # already done by an earlier, interrupted run
    articles: int = 0  # sent to the stages (before rejects after cleaning)
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)  # skipped items, by the kind of reason
    skipped: int = 0  # passed over on purpose (a hidden file, not HTML in a WARC file)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]


def _shard_name(index: int) -> str:
    return f"shard-{index:06d}"


def _write_shard(out: Path, index: int, rows: list[dict[str, Any]], mentions: list[tuple[Any, ...]],
                 outlet_lines: Mapping[str, tuple[int, Mapping[int, int]]]) -> None:
    """Write one shard's Parquet files, then its marker (each through a temporary name, so a
    killed writer never leaves a half file under the real name)."""
    pa, pq = _pyarrow()
    name = _shard_name(index)
    lines_json = json.dumps({o: [n, [[h, c] for h, c in sorted(counts.items())]]
                             for o, (n, counts) in sorted(outlet_lines.items())}, ensure_ascii=False)
    table = pa.Table.from_pylist(rows, schema=pa.schema([
        ("pos", pa.int32()), ("kind", pa.string()), ("text_hash", pa.string()), ("id", pa.string()),
        ("outlet", pa.string()), ("published", pa.string()), ("title", pa.string()),
        ("language", pa.string()), ("origin", pa.string()), ("reason", pa.string()),
        ("payload", pa.string()),
    ], metadata={"khabar.format": FORMAT, "khabar.outlet_lines": lines_json}))
    tmp = out / f".{name}.parquet.tmp"
    pq.write_table(table, tmp)
    os.replace(tmp, out / f"{name}.parquet")
    mtable = pa.Table.from_pylist(
        [dict(zip(("article_id", "kind", "label", "key", "canonical", "text", "start", "end"),
                  (r[0], r[1], r[2], str(r[3]), r[4], r[5], r[6], r[7]))) for r in mentions],
        schema=pa.schema([("article_id", pa.string()), ("kind", pa.string()), ("label", pa.string()),
                          ("key", pa.string()), ("canonical", pa.string()), ("text", pa.string()),
                          ("start", pa.int32()), ("end", pa.int32())]))
    tmp = out / f".mentions-{index:06d}.parquet.tmp"
    pq.write_table(mtable, tmp)
    os.replace(tmp, out / f"mentions-{index:06d}.parquet")
    (out / f"{name}.done").write_text(json.dumps({"rows": len(rows), "mentions": len(mentions)}) + "\n")


_task_pipelines: dict[tuple[str, ...], Pipeline] = {}


def process_shard(out: str, index: int, stage_names: Sequence[str], items: list[tuple[str, Any]],
                  snapshot: LinesSnapshot,
                  outlet_lines: Mapping[str, tuple[int, Mapping[int, int]]]) -> int:
    """One batch on a Ray worker: run the stages over its new articles, write the shard.

    `items` are, in input order, ("article", (Article, text hash)), ("sighting", (Article,
    text hash)) for a text seen earlier in the run, or ("rejected", Rejected)."""
    from khabar.store.mentions import mention_rows

    key = tuple(stage_names)
    if key not in _task_pipelines:  # one pipeline per worker process, reused across tasks
        use_bulk_gc()
        _task_pipelines[key] = Pipeline(key)
    todo = [payload[0] for kind, payload in items if kind == "article"]
    processed = iter(run_chunk(_task_pipelines[key], todo, snapshot))
    rows: list[dict[str, Any]] = []
    mentions: list[tuple[Any, ...]] = []
    for pos, (kind, payload) in enumerate(items):
        row: dict[str, Any] = {"pos": pos, "kind": kind}
        if kind == "rejected":
            row.update(origin=payload.origin, reason=payload.reason, payload=payload.sample)
        else:
            raw, text_hash = payload
            row.update(text_hash=text_hash, origin=raw.origin)
            result = next(processed) if kind == "article" else raw
            if isinstance(result, Rejected):
                row.update(kind="rejected", reason=result.reason, payload=result.sample)
            elif kind == "sighting":
                row.update(outlet=raw.outlet, payload=json.dumps(
                    {"external_id": raw.external_id, "url": raw.url}, ensure_ascii=False))
            else:
                row.update(id=result.id, outlet=result.outlet, title=result.title,
                           language=result.language, payload=article_to_json(result),
                           published=result.published.isoformat() if result.published else None)
                mentions.extend(mention_rows(result))
        rows.append(row)
    _write_shard(Path(out), index, rows, mentions, outlet_lines)
    return index


def _batches(items: Iterable[RawRecord | Rejected], size: int) -> Iterator[list[RawRecord | Rejected]]:
    batch: list[RawRecord | Rejected] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _connect(ray: Any, address: str | None, num_cpus: int | None) -> bool:
    """Join the cluster at `address`, or start a local one; True when we started it."""
    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=num_cpus or default_workers(), include_dashboard=False, log_to_driver=False)
    return True


#: What must be equal for a run folder's shards to be reused (resumed).
_SAME_RUN = ("stages", "batch_size", "outlet", "inputs", "field_map")


def run_manifest(paths: Sequence[str | os.PathLike[str]], stages: Sequence[str], *, batch_size: int,
                 outlet: str | None, field_map: Mapping[str, tuple[str, ...]] | None) -> dict[str, Any]:
    """What identifies a run: its options and every input file with its size and modification
    time (a changed or another file is another run)."""
    inputs = []
    for path in expand_paths(paths):
        if str(path) == "-":
            inputs.append(["-", None, time.time_ns()])  # standard input: never the same run
        else:
            try:
                stat = path.stat()
            except OSError:  # a broken link: reading quarantines it with its reason
                inputs.append([str(path.absolute()), None, None])
                continue
            inputs.append([str(path.resolve()), stat.st_size, stat.st_mtime_ns])
    return {"format": FORMAT, "stages": list(stages), "batch_size": batch_size, "outlet": outlet,
            "inputs": inputs,
            "field_map": {k: list(v) for k, v in sorted(field_map.items())} if field_map else None}


def run_folder(base: str | os.PathLike[str], paths: Sequence[str | os.PathLike[str]],
               stages: Sequence[str], *, batch_size: int, outlet: str | None,
               field_map: Mapping[str, tuple[str, ...]] | None) -> Path:
    """A folder under `base` for this run's shards, named by what identifies the run: the same
    command again resumes in it, an ingest of other inputs gets its own."""
    manifest = run_manifest(paths, stages, batch_size=batch_size, outlet=outlet, field_map=field_map)
    same = json.dumps({k: manifest[k] for k in _SAME_RUN}, sort_keys=True, ensure_ascii=False)
    return Path(base) / hashlib.sha256(same.encode("utf-8")).hexdigest()[:16]


def process_to_parquet(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    stages: Sequence[str] | None = None,
    field_map: Mapping[str, tuple[str, ...]] | None = None,
    outlet: str | None = None,
    batch_size: int = 500,
    address: str | None = None,
    num_cpus: int | None = None,
    progress: Callable[[RayRun], None] | None = None,
    on_shard: Callable[[int], None] | None = None,
    known_texts: Callable[[Iterable[str]], Mapping[str, str]] | None = None,
    outlet_lines: OutletLines | None = None,
) -> RayRun:
    """Run the stages over `paths` on Ray; write Parquet shards and markers under `out`.

    Rerunning with the same inputs and options resumes: shards with a marker are skipped.
    `on_shard(index)` is called on the driver for each shard once it is written (or found
    written by an earlier run), in the order the tasks finish, which need not be input order.
    For a run into a store (`ingest_on_ray`): `known_texts(hashes)` gives the texts the store
    holds already (they become sightings, neither processed nor counted), and `outlet_lines`
    starts from the store's counts, as a local ingest does."""
    ray = require_ray()
    started = time.monotonic()
    stage_names = tuple(stages) if stages is not None else DEFAULT_STAGES
    Pipeline(stage_names)  # fail on an unknown stage before starting anything
    paths = list(paths)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = run_manifest(paths, stage_names, batch_size=batch_size, outlet=outlet,
                            field_map=field_map)
    mpath = folder / "manifest.json"
    if mpath.exists():
        before = json.loads(mpath.read_text(encoding="utf-8"))
        if {k: before.get(k) for k in _SAME_RUN} != {k: manifest[k] for k in _SAME_RUN}:
            # its shards hold other articles: resuming from them would store those instead
            raise InputError(f"{folder} holds a run of other inputs or options; use another --out")
    else:
        mpath.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    run = RayRun(out=str(folder))
    own = _connect(ray, address, num_cpus)
    task = ray.remote(process_shard)
    limit = 2 * max(1, int(ray.available_resources().get("CPU", 1)))
    pending: list[Any] = []
    lines = outlet_lines if outlet_lines is not None else OutletLines()
    seen: set[str] = set()

    def finished(indexes: list[int]) -> None:
        for index in indexes:
            if on_shard:
                on_shard(index)
        if progress:
            progress(run)

    try:
        for index, batch in enumerate(_batches(read_paths(paths, field_map), batch_size)):
            run.read += len(batch)
            items: list[tuple[str, Any]] = []
            wanted: dict[str, set[int]] = {}
            here: set[str] = set()
            fresh: list[tuple[Article, str] | RawRecord | Rejected] = []
            for item in batch:
                if isinstance(item, RawRecord):
                    article = with_outlet(article_from_record(item), outlet)
                    fresh.append((article, raw_text_hash(article.text, article.outlet)))
                else:
                    fresh.append(item)
            if known_texts is not None:
                pairs = [entry for entry in fresh if isinstance(entry, tuple)]
                older = iter(with_stored_hashes(pairs, known_texts))
                fresh = [next(older) if isinstance(entry, tuple) else entry for entry in fresh]
            stored: Mapping[str, str] = {} if known_texts is None else known_texts(
                entry[1] for entry in fresh if isinstance(entry, tuple))
            for entry in fresh:
                if isinstance(entry, Skipped):
                    kind = reason_kind(entry.reason)  # as a local ingest's report counts them
                    run.reasons[kind] = run.reasons.get(kind, 0) + 1
                    run.skipped += 1
                    continue
                if isinstance(entry, Rejected):
                    items.append(("rejected", entry))
                    continue
                article, text_hash = entry
                if text_hash in seen or text_hash in stored:  # a sighting, as in a local ingest
                    items.append(("sighting", (article, text_hash)))
                    continue
                items.append(("article", (article, text_hash)))
                if text_hash not in here:
                    here.add(text_hash)
                    hashes = chrome_candidates(article.text)
                    lines.add(article.outlet, hashes)
                    if article.outlet:
                        wanted.setdefault(article.outlet, set()).update(hashes)
            seen |= here
            snapshot = snapshot_lines(lines, wanted)
            learnt = lines.pending()
            run.shards += 1
            run.articles += sum(1 for kind, _ in items if kind == "article")
            if (folder / f"{_shard_name(index)}.done").exists():
                run.skipped_shards += 1
                if on_shard:
                    on_shard(index)
                continue
            pending.append(task.remote(str(folder), index, stage_names, items, snapshot, learnt))
            if len(pending) >= limit:
                done, pending = ray.wait(pending, num_returns=1)
                finished(ray.get(done))
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            finished(ray.get(done))
    finally:
        if own:
            ray.shutdown()
    (folder / "_SUCCESS").write_text(json.dumps(run.to_dict() | {"seconds": round(time.monotonic() - started, 2)},
                                                ensure_ascii=False) + "\n")
    run.seconds = round(time.monotonic() - started, 2)
    return run


# -- loading ---------------------------------------------------------------------------------------

def _shards(folder: Path) -> list[Path]:
    if not (folder / "manifest.json").exists():
        raise InputError(f"{folder} is not a khabar Parquet run (no manifest.json)")
    shards = sorted(folder.glob("shard-*.parquet"))
    done = [s for s in shards if (folder / f"{s.stem}.done").exists()]
    if len(done) != len(shards) or not (folder / "_SUCCESS").exists():
        raise InputError(f"{folder}: the run is not complete ({len(done)} shards done); rerun the same "
                         "command to finish it")
    return done


def load_parquet(corpus: Any, out: str | os.PathLike[str],
                 progress: Callable[[Any, int], None] | None = None) -> Any:
    """Store a finished run's shards in `corpus`, in order, one transaction per shard, with
    copy groups and stories assigned exactly as a local ingest assigns them. Loading twice
    adds nothing the second time. Returns an `IngestReport`."""
    from khabar.corpus import _one_writer

    # one writer per database, as for `Corpus.ingest` (waits for a running ingest)
    with bulk_gc():
        return _one_writer(_load)(corpus, out, progress)


def _load(corpus: Any, out: str | os.PathLike[str],
          progress: Callable[[Any, int], None] | None = None) -> Any:
    from khabar.corpus import IngestReport

    report = IngestReport()
    corpus._cluster_pending()
    for shard in _shards(Path(out)):
        _load_shard(corpus, shard, report)
        if progress:
            progress(report, 0)
    return report


def _load_shard(corpus: Any, shard: Path, report: Any) -> None:
    """Store one shard in `corpus` in one transaction, adding what happened to `report`."""
    from khabar.store import Sighting

    _, pq = _pyarrow()
    table = pq.read_table(shard)
    meta = table.schema.metadata or {}
    learnt = {o: (n, {int(h): int(c) for h, c in pairs})
              for o, (n, pairs) in json.loads(meta.get(b"khabar.outlet_lines", b"{}")).items()}
    rows = table.to_pylist()
    report.read += len(rows)
    hashes = {r["text_hash"] for r in rows if r["text_hash"]}
    known = corpus.store.articles_for_text_hashes(hashes)
    # a shard loaded before (or into a store that has its texts): its line counts are in; so
    # are they when its only new articles were rejected after cleaning and are in quarantine
    reloaded = any(r["kind"] == "article" and r["text_hash"] in known for r in rows) or any(
        r["kind"] == "rejected" and r["text_hash"] and corpus.store.is_quarantined(r["origin"], r["reason"])
        for r in rows)
    articles: list[Article] = []
    text_hashes: list[str] = []
    sightings: list[Sighting] = []
    rejected: list[Rejected] = []
    for r in sorted(rows, key=lambda r: r["pos"]):
        if r["kind"] == "rejected":
            rejected.append(Rejected(r["origin"], r["reason"], r["payload"] or ""))
        elif r["kind"] == "sighting" or r["text_hash"] in known:
            extra = json.loads(r["payload"])  # a sighting's ids, or the article itself
            aid = known.get(r["text_hash"])
            if aid is None:  # its first copy was rejected after cleaning: so is this one
                rejected.append(Rejected(r["origin"], "empty body after cleaning", ""))
                continue
            sightings.append(Sighting(aid, extra.get("external_id", ""), r["origin"],
                                      r["outlet"] or extra.get("outlet", ""), extra.get("url", ""),
                                      r["text_hash"]))
        else:
            articles.append(article_from_json(r["payload"]))
            text_hashes.append(r["text_hash"])
    with corpus.store.transaction():
        result = corpus.store.add_batch(articles, rejected, text_hashes=text_hashes,
                                        sightings=sightings, outlet_lines={} if reloaded else learnt)
        if articles:
            corpus.stories.assign(articles)
    report.add_stored(result, rejected)


class _InOrder:
    """Loads shards into a store in input order as they become ready in any order."""

    def __init__(self, corpus: Any, folder: Path, report: Any,
                 progress: Callable[[Any, int], None] | None) -> None:
        self.corpus, self.folder, self.report, self.progress = corpus, folder, report, progress
        self.next = 0
        self.ready: set[int] = set()

    def __call__(self, index: int) -> None:
        self.ready.add(index)
        while self.next in self.ready:
            self.ready.discard(self.next)
            name = _shard_name(self.next)
            if not (self.folder / f"{name}.done").exists():
                raise InputError(f"{self.folder}: shard {name} has no completion marker")
            _load_shard(self.corpus, self.folder / f"{name}.parquet", self.report)
            self.next += 1
            if self.progress:
                self.progress(self.report, 0)


def ingest_on_ray(corpus: Any, paths: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str],
                  *, progress: Callable[[Any, int], None] | None = None, **options: Any) -> Any:
    """`process_to_parquet` (same `options`) and `load_parquet` at once: each shard is stored
    in `corpus` as soon as it and every shard before it are written, so storing and story
    assignment on the driver overlap the stages on the cluster instead of following them.
    Stores what `load_parquet` after `process_to_parquet` stores; rerunning after an
    interruption resumes (shards stored before are found and add nothing). Returns an
    `IngestReport`."""
    from khabar.corpus import IngestReport, _one_writer

    options.setdefault("stages", corpus.pipeline.names)  # as `corpus.ingest` would run

    def run(corpus: Any) -> Any:
        report = IngestReport()
        corpus._cluster_pending()
        done = process_to_parquet(list(paths), out, on_shard=_InOrder(corpus, Path(out), report, progress),
                                  known_texts=corpus.store.articles_for_text_hashes,
                                  outlet_lines=OutletLines(corpus.store.outlet_line_counts), **options)
        # what was passed over on purpose, said as a local ingest says it
        report.skipped += done.skipped
        for kind, n in done.reasons.items():
            report.skipped_reasons[kind] = report.skipped_reasons.get(kind, 0) + n
        return report

    with bulk_gc():
        return _one_writer(run)(corpus)
