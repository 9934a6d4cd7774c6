"""The local engine: the per-article stages in worker processes, everything else in order.

`Corpus.ingest(..., workers=N)` reads, deduplicates and counts each batch's outlet lines in the
parent, hands the batch's new articles to `LocalEngine` and, batch by batch in input order,
stores them and assigns their stories in one transaction. Only the pure per-article stages run
in the workers, so the result does not depend on how many there are:

- the one piece of shared state a stage reads, an outlet's repeated lines, is counted in the
  parent before the batch is dispatched and sent along as a `LinesSnapshot` (the counts the
  `lines` stage can see for exactly those articles, as a single process would see them);
- at most `workers + 1` batches are out at a time, so memory stays bounded however long the
  input is, and the parent stores batch k while the workers process batch k+1.

With `workers=1` nothing is started: the same functions run in the calling process.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
from concurrent.futures import Future, ProcessPoolExecutor
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from khabar.clean.lines import REPEAT_MIN_ARTICLES, REPEAT_MIN_COUNT, REPEAT_MIN_SHARE
from khabar.clean.outlets import OutletLines, line_hash
from khabar.ingest.readers import Rejected
from khabar.model import Article
from khabar.pipeline import Pipeline
from khabar.store.sqlite import SPAN_FIELDS, StoredForm, stored_form
from khabar.stories.cluster import ArticleFeatures, features

__all__ = ["WARM_UP_TEXT", "LinesSnapshot", "LocalEngine", "Prepared", "bulk_gc", "default_workers",
           "prepare", "process_one", "snapshot_lines", "use_bulk_gc", "warm_up"]

#: The fewest articles per task sent to a worker. A batch is split into one task per worker
#: (`LocalEngine.submit`), no smaller than this: each task's articles go through the stages
#: together (one NER decoding for all their sentences) and its results come back in one
#: message, and the next batches already wait in the queue, so bigger tasks leave no worker
#: idle. On 16,000 articles with 2 workers: 66.7 s with tasks of 25, 64.2 s of 100, 62.5 s of
#: 250 (a batch of 500 split in two).
CHUNK = 25


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


#: Garbage-collector thresholds for long runs (CPython's defaults are 700, 10, 10).
BULK_GC_THRESHOLDS = (50_000, 20, 100)


def use_bulk_gc() -> tuple[int, int, int]:
    """Collect cyclic garbage less often; returns the thresholds it replaced.

    The stages keep large per-process caches (NER word features and score rows, quote and
    entity lookups) and allocate many small tuples per token, so with CPython's default
    thresholds the collector keeps re-walking containers that will never be garbage: about a
    fifth of a worker's time on the news corpus (`benchmarks/suite.py`). Nothing here relies on
    the collector to free memory (reference counting frees everything but cycles, and cycles
    are still collected, only less often).
    """
    old = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(old, BULK_GC_THRESHOLDS)))
    return old  # type: ignore[return-value]


@contextmanager
def bulk_gc() -> Iterator[None]:
    """`use_bulk_gc` for the duration of a block (an ingest in the caller's process)."""
    old = use_bulk_gc()
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _passes(count: int, total: int) -> bool:
    # the `lines` stage's rule for "this outlet prints this line everywhere" (clean/lines.py)
    return total >= REPEAT_MIN_ARTICLES and count >= REPEAT_MIN_COUNT and count / total >= REPEAT_MIN_SHARE


@dataclass(frozen=True, slots=True)
class LinesSnapshot:
    """Picklable stand-in for `OutletLines` in a worker: outlet -> (articles, {line hash: n}).

    Only the counts that can change a verdict are kept (a line under the repeat thresholds
    classifies exactly as an unknown one), so a snapshot is a few hundred numbers at most.
    """

    counts: Mapping[str, tuple[int, Mapping[int, int]]]

    def __call__(self, outlet: str) -> Callable[[str], tuple[int, int] | None]:
        total, counts = self.counts.get(outlet, (0, {}))

        def seen(key: str) -> tuple[int, int] | None:
            count = counts.get(line_hash(key), 0)
            return (count, total) if count else None

        return seen


def snapshot_lines(outlet_lines: OutletLines, wanted: Mapping[str, Iterable[int]]) -> LinesSnapshot:
    """The counts `outlet_lines` holds now for the line hashes of a batch's articles."""
    out: dict[str, tuple[int, dict[int, int]]] = {}
    for outlet, hashes in wanted.items():
        total, counts = outlet_lines.counts_for(outlet, hashes)
        out[outlet] = (total, {h: n for h, n in counts.items() if _passes(n, total)})
    return LinesSnapshot(out)


def process_one(pipeline: Pipeline, article: Article) -> Article | Rejected:
    """Run the pipeline; an article that comes out with no body is rejected, not stored."""
    return _kept(article, pipeline(article))


def _kept(article: Article, processed: Article) -> Article | Rejected:
    if not processed.body.strip():
        return Rejected(article.origin, "empty body after cleaning", article.text[:200])
    return processed


# -- worker side ---------------------------------------------------------------------------------

_worker_pipeline: Pipeline | None = None


def _init_worker(stage_names: Sequence[str]) -> None:
    global _worker_pipeline
    # Ctrl-C reaches the whole process group, but only the parent acts on it (it stops the
    # workers): a worker interrupted itself dies with a traceback, and one interrupted inside
    # the task queue's `get` dies holding the queue's lock, so the others wait on it forever.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked while we were started
    use_bulk_gc()  # a worker process is ours for its whole life
    _worker_pipeline = Pipeline(stage_names)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    # A parent killed outright (SIGKILL) never shuts the pool down: its workers would wait on
    # the queue forever, holding memory and every file the parent had open.
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A processed article as a worker sends it back: its plain fields (no spans), what the
    store writes from its spans (`StoredForm`) and what dedup and clustering read from it
    (`ArticleFeatures`). Unpickling the span objects themselves (lines, sentences, entities,
    ...: a few hundred per article) cost the parent, which stores and clusters batch after
    batch alone, as much as the rest of its work on the article."""

    article: Article
    form: StoredForm
    features: ArticleFeatures


_NO_SPANS = {name: () for name in SPAN_FIELDS}


def prepare(article: Article, *, keep_spans: bool = False) -> Prepared:
    """`article` with its stored form and features; its spans left out unless `keep_spans`
    (in the process that stores it, where nothing is pickled)."""
    slim = article if keep_spans else replace(article, **_NO_SPANS)
    return Prepared(slim, stored_form(article), features(article))


def _prepared(results: list[Article | Rejected], keep_spans: bool) -> list[Prepared | Rejected]:
    return [item if isinstance(item, Rejected) else prepare(item, keep_spans=keep_spans)
            for item in results]


def _run_chunk(articles: list[Article], snapshot: LinesSnapshot) -> list[Prepared | Rejected]:
    assert _worker_pipeline is not None, "worker not initialised"
    return _prepared(run_chunk(_worker_pipeline, articles, snapshot), keep_spans=False)


def run_chunk(pipeline: Pipeline, articles: Iterable[Article], snapshot: LinesSnapshot) -> list[Article | Rejected]:
    """Process articles with `snapshot` as the outlet-lines context (same code in every engine).
    An article a stage fails on (a bug its text trips) is quarantined with the error's one-line
    reason, and the others land: they are run again one by one."""
    pipeline.context["repeated_lines"] = snapshot
    articles = list(articles)
    try:
        done: list[Article | Rejected] = list(pipeline.run_many(articles))
    except Exception:  # noqa: BLE001 - which article it was is found one by one
        done = [_one(pipeline, a) for a in articles]
    return [d if isinstance(d, Rejected) else _kept(a, d) for a, d in zip(articles, done)]


def _one(pipeline: Pipeline, article: Article) -> Article | Rejected:
    try:
        return pipeline(article)
    except Exception as exc:  # noqa: BLE001 - reported per article, never a traceback
        detail = " ".join(str(exc).split())[:200]
        return Rejected(article.origin, f"internal error in a pipeline stage ({type(exc).__name__}"
                        f"{': ' + detail if detail else ''}); please report it", article.text[:200])


# -- parent side ---------------------------------------------------------------------------------

class _Done:
    """A batch processed in this process: already finished."""

    def __init__(self, results: list[Prepared | Rejected]) -> None:
        self._results = results

    def get(self) -> list[Prepared | Rejected]:
        return self._results


class _Pending:
    """A batch split into chunks on the pool; `get` waits for all of them, in order (and
    raises what a stage raised, or BrokenProcessPool when a worker died, instead of hanging)."""

    def __init__(self, parts: list[Future[list[Prepared | Rejected]]]) -> None:
        self._parts = parts

    def get(self) -> list[Prepared | Rejected]:
        out: list[Prepared | Rejected] = []
        for part in self._parts:
            out.extend(part.result())
        return out


#: Goes through every stage once in the parent before the workers are forked, so that they start
#: with the models, word lists and lookups loaded (fork shares them) instead of each loading its
#: own. Written for khabar; it only fills caches of pure functions, so results do not change.
WARM_UP_TEXT = (
    "عمّان - قال وزير الصحة الأردني سامر الخطيب يوم الأحد ١٢ آذار ٢٠٢٣ إن «٣٥٠ مريضا غادروا "
    "المستشفى الجامعي بعد أن تعافوا»، وأضاف أن الحكومة ستنفق مليوني دينار على المراكز الصحية "
    "في محافظات الشمال خلال الأشهر الثلاثة المقبلة.\n"
    "وذكرت وكالة الأنباء الأردنية (بترا) أن الوزير زار مدينة إربد الثلاثاء الماضي."
)


def warm_up(stage_names: Sequence[str]) -> None:
    """Run `WARM_UP_TEXT` through the stages in this process (loads what they load lazily).
    Best effort: a failure here only means the workers load things themselves, as before."""
    try:
        pipeline = Pipeline(stage_names)
        run_chunk(pipeline, [Article(id="", text=WARM_UP_TEXT, outlet="khabar-warm-up")],
                  LinesSnapshot({}))
        if "language" in stage_names:  # the Arabic text above never reaches langid
            from khabar.clean.language import _identifier

            _identifier()
    except Exception:  # noqa: BLE001 - the real articles will meet the same stage and report it
        pass


def _context() -> Any:
    # fork when this process has no other threads: children start at once with everything
    # imported and never re-import the caller's main script. With threads about, fork may copy
    # a held lock, so children come from a forkserver (khabar preloaded) instead.
    methods = mp.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return mp.get_context("fork")
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["khabar.pipeline", "khabar.clean.stages", "khabar.extract.stages",
                                    "khabar.extract.mention_stages"])
        return ctx
    return mp.get_context("spawn")


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold back SIGINT in this thread (delivered when the block ends) while workers are started.

    A worker inherits the mask, so a Ctrl-C between its fork and `_init_worker` waits instead of
    killing it with a traceback; and the parent is never interrupted inside
    `ProcessPoolExecutor.submit` between forking its workers and starting the thread that stops
    them (nothing would stop them then, and the exiting parent would wait for them forever)."""
    if not hasattr(signal, "pthread_sigmask"):  # not on POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT for a block (one that must finish: stopping the workers), in the main thread."""
    try:
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: its signals are not ours to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


class LocalEngine:
    """Runs `stage_names` over batches of articles, in `workers` processes (started lazily).

        with LocalEngine(("lines", "body"), workers=2) as engine:
            handle = engine.submit(articles, snapshot)
            results = handle.get()   # Prepared (or Rejected), in the order of `articles`
    """

    def __init__(self, stage_names: Sequence[str], workers: int | None = None, *, chunk: int = CHUNK) -> None:
        self.stage_names = tuple(stage_names)
        self.workers = max(1, workers if workers else default_workers())
        self.chunk = max(1, chunk)
        self._pool: Any = None
        self._local: Pipeline | None = None

    @property
    def backlog(self) -> int:
        """How many batches may wait in flight while the caller reads and prepares the next
        (bounds memory; 0 with one worker: each batch is stored before the next is read)."""
        return 0 if self.workers == 1 else self.workers

    def submit(self, articles: list[Article], snapshot: LinesSnapshot) -> _Done | _Pending:
        if self.workers == 1 or len(articles) <= self.chunk and self._pool is None:
            # one worker, or a batch too small to be worth starting processes for
            if self._local is None:
                self._local = Pipeline(self.stage_names)
            return _Done(_prepared(run_chunk(self._local, articles, snapshot), keep_spans=True))
        if self._pool is None:
            context = _context()
            if context.get_start_method() == "fork":
                warm_up(self.stage_names)
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker,
                                             initargs=(self.stage_names,))
        size = max(self.chunk, -(-len(articles) // self.workers))
        with _sigint_deferred():  # submit starts the workers
            parts = [self._pool.submit(_run_chunk, articles[i:i + size], snapshot)
                     for i in range(0, len(articles), size)]
        return _Pending(parts)

    def close(self) -> None:
        """Let the workers finish what they were given, then stop them."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def abort(self) -> None:
        """Stop the workers where they are: what is in flight is not wanted (interrupted, or a
        batch failed), and each would otherwise finish its chunk first (seconds).

        A second Ctrl-C meanwhile is ignored: cut short, this would leave workers running."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        with _sigint_ignored():
            # the pool's internals: no public way to stop its workers before Python 3.14
            processes = list((pool._processes or {}).values())
            for process in processes:
                process.terminate()
            # reaped before the pool looks: it then sends no stop message down a queue no process
            # reads any more (its feeder thread would print the broken pipe's traceback)
            for process in processes:
                process.join(10)
                if process.exitcode is None:
                    process.kill()
                    process.join()
            # a worker stopped while sending its results left the pool's thread waiting for the
            # rest of the message, and `shutdown` waiting for that thread: with this process's
            # end of the pipe closed too (no worker is left to write), it reads end of file
            pool._result_queue._writer.close()
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is not None:
            self.abort()
        self.close()
