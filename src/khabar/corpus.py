"""The Python API over a store: ingest inputs, list, read and search articles.

The CLI and (later) the HTTP API are thin layers over `Corpus`.
"""

from __future__ import annotations

import functools
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from khabar.clean.outlets import OutletLines, chrome_candidates
from khabar.clean.pii import redact
from khabar.errors import InputError
from khabar.executors.local import LocalEngine, bulk_gc, snapshot_lines
from khabar.ingest.readers import DEFAULT_FIELD_MAP, RawRecord, Rejected, Skipped, read_paths, reason_kind
from khabar.model import Article, raw_text_hash
from khabar.pipeline import (Pipeline, article_from_record, check_stage_names, stage_names, with_outlet,
                             with_stored_hashes)
from khabar.store import SearchHit, Sighting, Store
from khabar.store.lock import data_version, writer_lock
from khabar.store.reader import ReaderQueries
from khabar.store.sqlite import StoredForm
from khabar.store.stories import StoryStore
from khabar.stories.cluster import ArticleFeatures


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did. `reasons` counts the quarantined items and `skipped_reasons`
    the skipped ones, by the kind of their reason (`reason_kind`: the full reason of each
    quarantined item is in the quarantine table)."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    skipped: int = 0  # passed over on purpose (not HTML in a WARC file, a hidden file)
    skipped_reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def count_reason(self, reason: str) -> None:
        """Count a quarantined item's reason."""
        key = reason_kind(reason)
        self.reasons[key] = self.reasons.get(key, 0) + 1

    def count_skipped(self, reason: str) -> None:
        """Count a skipped item and its reason."""
        self.skipped += 1
        key = reason_kind(reason)
        self.skipped_reasons[key] = self.skipped_reasons.get(key, 0) + 1

    def add_stored(self, result: Any, rejected: Iterable[Rejected]) -> None:
        """Count what one stored batch did (a store `BatchResult`) and why items were refused."""
        self.new += result.new
        self.duplicate += result.duplicate
        self.quarantined += result.quarantined
        for item in rejected:
            self.count_reason(item.reason)

    def summary(self) -> str:
        text = (
            f"{self.read:,} read: {self.new:,} new, {self.duplicate:,} duplicate, "
            f"{self.quarantined:,} quarantined"
        )
        if self.reasons:
            text += f" ({_top_reasons(self.reasons)})"
        if self.skipped:
            text += f", {self.skipped:,} skipped"
            if self.skipped_reasons:
                text += f" ({_top_reasons(self.skipped_reasons)})"
        return text


#: Reasons named in a summary line, and the characters shown of each.
SUMMARY_REASONS = 5
SUMMARY_REASON_CHARS = 60


def _top_reasons(reasons: Mapping[str, int]) -> str:
    """`a ×3, b ×1, … and 2 more`: the commonest reasons, each shortened to a line's share."""
    ranked = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = [f"{_shortened(reason)} ×{n:,}" for reason, n in ranked[:SUMMARY_REASONS]]
    if len(ranked) > SUMMARY_REASONS:
        shown.append(f"… and {len(ranked) - SUMMARY_REASONS:,} more")
    return ", ".join(shown)


def _counts(**counts: int | None) -> None:
    """Refuse a negative or non-whole count (SQLite reads LIMIT -1 as no limit at all)."""
    for name, value in counts.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise InputError(f"{name} must be a whole number of 0 or more, not {value!r}")
        if name == "min_size" and value == 0:
            raise InputError("min_size must be 1 or more")


def _shortened(reason: str, limit: int = SUMMARY_REASON_CHARS) -> str:
    """A reason cut at a word boundary, before an unclosed parenthesis, with `…` when cut."""
    if len(reason) <= limit:
        return reason
    cut = reason[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    if cut.count("(") > cut.count(")"):
        cut = cut[:cut.rindex("(")].rstrip()
    return cut + " …"


ProgressFn = Callable[[IngestReport, int], None]


@dataclass(slots=True)
class _InFlight:
    """A batch handed to the engine and not stored yet."""

    hashes: list[str]  # raw text hashes of the articles being processed, in order
    rejected: list[Rejected]
    sightings: list[Sighting]
    outlet_lines: Mapping[str, Any]  # the counts learnt from this batch, stored with it
    handle: Any  # .get() -> Prepared articles (or Rejected), in order


def _one_writer(method: Callable[..., IngestReport]) -> Callable[..., IngestReport]:
    """One ingest at a time per database (`khabar.store.lock`): a second one waits for the
    first, then drops what it keeps in memory (outlet line counts, clustering state) when
    another process wrote meanwhile, so it never writes back a stale copy."""

    @functools.wraps(method)
    def run(self: Corpus, *args: Any, **kwargs: Any) -> IngestReport:
        with writer_lock(self.store.path):
            if data_version(self.store.conn) != getattr(self, "_data_version", None):
                self.stories.forget_state()
                self.outlet_lines.__init__(self.store.outlet_line_counts)  # same object: the pipeline holds it
            try:
                return method(self, *args, **kwargs)
            finally:
                self._data_version = data_version(self.store.conn)

    return run


def _checked_workers(workers: int) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise TypeError(f"workers: expected a whole number, got {type(workers).__name__}")
    if workers < 0:
        raise ValueError(f"workers: expected 0 (all cores) or more, got {workers}")
    return workers


def _checked_field_map(field_map: Mapping[str, Iterable[str] | str] | None) -> dict[str, tuple[str, ...]] | None:
    """A field map over the defaults, as the CLI's `--field` makes one: a name not given keeps
    its default keys, and one key may be given as a string."""
    if field_map is None:
        return None
    if not isinstance(field_map, Mapping):
        raise TypeError(f"field_map: expected a mapping of field name to input keys, "
                        f"got {type(field_map).__name__}")
    mapping = dict(DEFAULT_FIELD_MAP)
    for name, keys in field_map.items():
        if name not in DEFAULT_FIELD_MAP:
            raise ValueError(f"field_map: unknown field {name!r} (known: {', '.join(DEFAULT_FIELD_MAP)})")
        keys = (keys,) if isinstance(keys, str) else tuple(keys)  # "story_text" is one key, not letters
        if not keys or not all(isinstance(k, str) and k for k in keys):
            raise ValueError(f"field_map: {name!r} needs one or more input keys (strings), got {keys!r}")
        mapping[name] = keys
    return mapping


def _storable(stages: Iterable[str] | str) -> tuple[str, ...]:
    """The stages asked for, with `identify` after `body` when left out: a stored article needs
    its content id (without it every article after the first had the same, empty id and was
    counted a duplicate of it: `--stages lines,body` stored one article of 3,000)."""
    names = stage_names(stages)
    check_stage_names(names)  # a mistyped name says so, not that body is missing
    if "body" not in names:
        # every article would be quarantined as "empty body after cleaning"
        raise InputError(f"storing articles needs the stages lines and body (and identify, added when"
                         f" left out); got: {', '.join(names) or 'none'}")
    if "identify" in names:
        return names
    at = names.index("body") + 1
    return (*names[:at], "identify", *names[at:])


class Corpus:
    """A khabar database: `Corpus("news.db").ingest(["dump.jsonl.gz"])`."""

    def __init__(self, path: str | os.PathLike[str] = "khabar.db", *, stages: Iterable[str] | str | None = None,
                 workers: int = 1, dense: bool = False) -> None:
        self.workers = _checked_workers(workers)  # processes for the per-article stages; 0 = all cores
        self._engine: LocalEngine | None = None
        self._inflight: deque[_InFlight] = deque()
        config = None
        if dense:  # optional dense similarity in story clustering (khabar[dense])
            from khabar.stories.cluster import dense_config
            from khabar.stories.dense import require

            require()  # a missing package fails here, in one line, before anything is read
            config = dense_config()
        names = _storable(stages) if stages is not None else None  # refused before a file is made
        self.store = Store(path)
        self.stories = StoryStore(self.store, config)
        self._clustered = False
        self._reader: ReaderQueries | None = None
        self.outlet_lines = OutletLines(self.store.outlet_line_counts)
        context = {"repeated_lines": self.outlet_lines}
        self.pipeline = (Pipeline(names, context=context) if names is not None
                         else Pipeline(context=context))

    def close(self) -> None:
        """Close the database (what `with Corpus(...)` does on leaving the block)."""
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
        *,
        field_map: Mapping[str, Iterable[str] | str] | None = None,
        outlet: str | None = None,
        batch_size: int = 500,
        progress: ProgressFn | None = None,
        bytes_read: Callable[[int], None] | None = None,
        workers: int | None = None,
    ) -> IngestReport:
        """Read, process and store everything under `paths` (one path or several); one
        transaction per batch. `field_map` maps canonical fields (text, title, outlet, url,
        published, external_id, author) to input keys, over the defaults."""
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]  # one path, not its characters
        mapping = _checked_field_map(field_map)
        return self.ingest_records(
            read_paths(paths, mapping, bytes_read), outlet=outlet, batch_size=batch_size,
            progress=progress, workers=workers,
        )

    @_one_writer
    def ingest_records(
        self,
        items: Iterable[RawRecord | Rejected],
        *,
        outlet: str | None = None,
        batch_size: int = 500,
        progress: ProgressFn | None = None,
        workers: int | None = None,
    ) -> IngestReport:
        """Process and store records in batches of `batch_size`, one transaction each.

        A record whose raw text (and outlet) was ingested before is recorded as another
        sighting without being processed again, so re-ingesting is fast and changes nothing.
        Before a batch is processed, its articles' short lines are counted per outlet, so a line
        that an outlet prints in many articles is recognised as chrome even in the first batch.
        Each batch's new articles are then given a copy group (near-duplicates) and a story.

        With `workers` > 1 (0: all cores; default: the corpus's `workers`) the per-article
        stages run in that many processes (`khabar.executors.local`); batches are still stored
        and clustered one by one in input order, so the database ends up the same.
        """
        if workers is not None:
            _checked_workers(workers)
        self._cluster_pending()
        report = IngestReport()
        batch: list[RawRecord | Rejected] = []
        self._engine = LocalEngine(self.pipeline.names, self.workers if workers is None else workers)
        with bulk_gc():  # many long-lived cached objects: collect cycles less often
            try:
                for item in items:
                    report.read += 1
                    batch.append(item)
                    if len(batch) >= batch_size:
                        self._ingest_batch(batch, outlet, report)
                        batch = []
                    if progress:
                        progress(report, len(batch))
                if batch:
                    self._ingest_batch(batch, outlet, report)
                self._drain(report)
            except BaseException:
                self._engine.abort()  # the batches in flight are dropped: no use finishing them
                raise
            finally:
                # batches not stored yet are simply not there: a rerun adds them
                self._inflight.clear()
                self._engine.close()
                self._engine = None
        if progress:
            progress(report, 0)
        return report

    def _ingest_batch(self, batch: list[RawRecord | Rejected], outlet: str | None, report: IngestReport) -> None:
        rejected = []
        for item in batch:
            if isinstance(item, Skipped):  # on purpose (not HTML in a WARC): counted, not quarantined
                report.count_skipped(item.reason)
            elif isinstance(item, Rejected):
                rejected.append(item)
        fresh = []
        for item in batch:
            if isinstance(item, RawRecord):
                article = with_outlet(article_from_record(item), outlet)
                fresh.append((article, raw_text_hash(article.text, article.outlet)))
        fresh = with_stored_hashes(fresh, self.store.articles_for_text_hashes)
        in_flight = self._in_flight_ids({h for _, h in fresh}, report)
        known = self.store.articles_for_text_hashes(h for _, h in fresh)
        known.update(in_flight)
        sightings: list[Sighting] = []
        todo: list[tuple[Article, str]] = []
        seen_here: dict[str, int] = {}
        wanted: dict[str, set[int]] = {}  # outlet -> line hashes the `lines` stage may look up
        for article, text_hash in fresh:
            if text_hash in known:
                sightings.append(Sighting(known[text_hash], article.external_id, article.origin,
                                          article.outlet, article.url, text_hash))
            elif text_hash in seen_here:
                todo.append((article, text_hash))  # same text twice in one batch: one article
            else:
                seen_here[text_hash] = len(todo)
                todo.append((article, text_hash))
                lines = chrome_candidates(article.text)
                self.outlet_lines.add(article.outlet, lines)
                if article.outlet:
                    wanted.setdefault(article.outlet, set()).update(lines)
        # the workers see the outlet counts as they are now, whatever else is in flight
        assert self._engine is not None
        handle = self._engine.submit([a for a, _ in todo], snapshot_lines(self.outlet_lines, wanted))
        self._inflight.append(_InFlight([h for _, h in todo], rejected, sightings,
                                        self.outlet_lines.pending(), handle))
        while len(self._inflight) > self._engine.backlog:
            self._commit_oldest(report)

    def _in_flight_ids(self, hashes: set[str], report: IngestReport) -> dict[str, str]:
        """Text hash -> article id for those of `hashes` that a batch still in flight holds.

        Such a text is a sighting of that batch's article, as when batches run one by one,
        unless the article was rejected (then, as then, it is processed again). The batches
        before the last one holding such a text are stored first (they are due first anyway);
        that one's results are waited for, not stored, so the workers are not left idle while
        the parent stores every batch in flight. (A same-outlet copy a batch or two apart is
        common: SaudiNewsNet has one in about every fifth batch of 500.)"""
        holding = [i for i, flight in enumerate(self._inflight) if not hashes.isdisjoint(flight.hashes)]
        if not holding:
            return {}
        for _ in range(holding[-1]):
            self._commit_oldest(report)
        flight = self._inflight[0]
        return {text_hash: processed.article.id
                for processed, text_hash in zip(flight.handle.get(), flight.hashes)
                if text_hash in hashes and not isinstance(processed, Rejected)}

    def _drain(self, report: IngestReport) -> None:
        while self._inflight:
            self._commit_oldest(report)

    def _commit_oldest(self, report: IngestReport) -> None:
        flight = self._inflight[0]
        rejected = list(flight.rejected)
        articles: list[Article] = []
        hashes: list[str] = []
        # what is stored and clustered from each article comes computed with it (in a worker
        # process, where the article's spans stay)
        feats: list[ArticleFeatures] = []
        prepared: list[tuple[StoredForm, list[str], list[str]]] = []
        for processed, text_hash in zip(flight.handle.get(), flight.hashes):
            if isinstance(processed, Rejected):
                rejected.append(processed)
                continue
            f = processed.features
            prepared.append((processed.form, f.title_keys, f.body_keys))
            feats.append(f)
            articles.append(processed.article)
            hashes.append(text_hash)
        # the batch and its story assignments land together, or neither does
        with self.store.transaction():
            result = self.store.add_batch(
                articles, rejected, text_hashes=hashes, sightings=flight.sightings,
                outlet_lines=flight.outlet_lines, prepared=prepared,
            )
            if feats:
                self.stories.assign(feats)
        self._inflight.popleft()
        report.add_stored(result, rejected)

    def process_article(self, article: Article) -> Article | Rejected:
        """Run the pipeline; an article that comes out with no body is rejected, not stored."""
        processed = self.pipeline(article)
        if not processed.body.strip():
            return Rejected(article.origin, "empty body after cleaning", article.text[:200])
        return processed

    # -- reading --------------------------------------------------------------------------------

    def article(self, article_id: str) -> Article:
        """One stored article with its spans; raises `NotFound` for an unknown id."""
        return self.store.article(article_id)

    def articles(self, *, limit: int | None = 50, offset: int = 0, outlet: str | None = None) -> list[Article]:
        """Stored articles, newest publication first (undated last, in ingest order); `limit=None`
        for all, `outlet` to keep one outlet's."""
        _counts(limit=limit, offset=offset)
        return self.store.articles(limit=limit, offset=offset, outlet=outlet)

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Articles matching every word (plain words only: FTS syntax such as `OR`, `NEAR(`,
        `*` or an unbalanced quote is an `InputError` with the reason)."""
        from khabar.store.reader import check_search_query

        check_search_query(query)
        _counts(limit=limit)
        return self.store.search(query, limit=limit)

    def list_stories(self, *, sort: str = "size", limit: int | None = 50, min_size: int = 1) -> list[dict[str, Any]]:
        """Story summaries (id, title, size, outlets, first/last seen), sorted by size, recency or outlets."""
        _counts(limit=limit, min_size=min_size)
        self._cluster_pending()
        return self.stories.list_stories(sort, limit, min_size=min_size)

    def story(self, story_id: str, *, synthesis: bool = True) -> dict[str, Any]:
        """One story with its member articles and their copy groups, and (with `synthesis`)
        what it says: headline (the story's title, as the story lists show it), the central
        article (the member closest to the centroid, the page's lead), language, copy groups,
        entities, a cited summary, facts with the outlets reporting them, conflicts, quotes by
        speaker and a timeline (`khabar.stories.synthesis`)."""
        self._cluster_pending()
        data = self.stories.story(story_id)
        if synthesis:
            from khabar.stories.synthesis import REPORT_KEYS, synthesize

            articles = [self.store.article(a["id"]) for a in data["articles"]]
            report = synthesize(articles, copy_groups={a["id"]: a["copy_group"] for a in data["articles"]},
                                title=data.get("title"))
            data.update({k: v for k, v in report.to_dict().items() if k in REPORT_KEYS})
        return data

    def story_report(self, story_id: str) -> Any:
        """The `StoryReport` of a story (the dataclass behind `story()`'s synthesis keys)."""
        from khabar.stories.synthesis import synthesize

        data = self.story(story_id, synthesis=False)
        articles = [self.store.article(a["id"]) for a in data["articles"]]
        return synthesize(articles, copy_groups={a["id"]: a["copy_group"] for a in data["articles"]},
                          title=data.get("title"))

    def entities(self, label: str | None = None, *, limit: int | None = 50,
                 query: str | None = None) -> list[dict[str, Any]]:
        """Named entities by how many articles name them: [{key, canonical, label, n_articles,
        n_stories}]; `label` PER/ORG/LOC/MISC, `query` words the name must contain."""
        from khabar.store.mentions import MentionIndex

        self._cluster_pending()
        _counts(limit=limit)
        return MentionIndex(self.store.conn).entities(label, limit=limit, query=query)

    def entity(self, key: str, *, wider: bool = False) -> dict[str, Any]:
        """One entity by key (`PER:اشتون_كارتر`, from `entities()`) or by name in any spelling:
        {key, canonical, label, aliases, articles, stories, quotes}; NotFound when unknown.
        With `wider`, also `wider`: up to three longer names that hold this one's words and more
        articles (for سلمان, سلمان بن عبدالعزيز آل سعود), as `entities()` rows, the one a reader
        may have meant; it reads the whole names index, as `entities(query=...)` does."""
        from khabar.store.mentions import MentionIndex

        self._cluster_pending()
        index = MentionIndex(self.store.conn)
        data = index.entity(key)
        if wider:
            data["wider"] = [row for row in index.entities(limit=8, query=data["canonical"])
                             if row["key"] != data["key"] and row["n_articles"] > data["n_articles"]][:3]
        return data

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article belongs to (None for an unknown article)."""
        self._cluster_pending()
        return self.stories.story_of(article_id)

    def copy_groups(self, *, limit: int | None = 50) -> list[dict[str, Any]]:
        """Groups of near-identical texts (reprints), largest first. They are a partition (one
        group per article): `copies_of` has every text an article copies."""
        self._cluster_pending()
        _counts(limit=limit)
        return self.stories.copy_groups(limit)

    def copies_of(self, article_id: str) -> list[dict[str, Any]]:
        """The earlier articles an article was verified to copy, whichever copy group each is
        in (a page that prints two texts copies both): [{id, jaccard, containment}], most
        similar first; `story()` gives each article's as `copies` (ids)."""
        self._cluster_pending()
        return self.stories.copies_of(article_id)

    def copied_by(self, article_id: str) -> list[dict[str, Any]]:
        """The later articles verified to copy an article: [{id, jaccard, containment}]."""
        self._cluster_pending()
        return self.stories.copied_by(article_id)

    def _cluster_pending(self) -> None:
        # a database from before stories existed, or a run stopped between storing and clustering
        if not self._clustered:
            self.stories.backfill()
            self._clustered = True

    def stats(self) -> dict[str, Any]:
        """Counts: articles, records, quarantined items by reason, outlets, languages, and the
        first and last publication times."""
        return self.store.stats()

    # -- reader queries (web reader, HTTP API) ---------------------------------------------------

    @property
    def reader(self) -> ReaderQueries:
        if self._reader is None:
            self._reader = ReaderQueries(self.store)
        return self._reader

    def find_stories(self, *, sort: str = "recency", limit: int = 50, offset: int = 0,
                     since: str | None = None, until: str | None = None, outlet: str | None = None,
                     query: str | None = None, entity: str | None = None,
                     story_ids: list[str] | None = None,
                     min_size: int = 1) -> tuple[list[dict[str, Any]], int]:
        """One page of story summaries filtered by days (YYYY-MM-DD, inclusive), outlet, words,
        a name and size, and how many stories match in all."""
        self._cluster_pending()
        _counts(limit=limit, offset=offset)
        return self.reader.find_stories(sort=sort, limit=limit, offset=offset, since=since,
                                        until=until, outlet=outlet, query=query, entity=entity,
                                        story_ids=story_ids, min_size=min_size)

    def stories_per_day(self, *, days: int = 30, since: str | None = None, until: str | None = None,
                        outlet: str | None = None, query: str | None = None,
                        entity: str | None = None) -> list[dict[str, Any]]:
        """New stories and articles per day over the last `days` days of the data; with
        filters (as `find_stories`), of the stories they keep."""
        self._cluster_pending()
        return self.reader.stories_per_day(days, stories=self._story_filter(
            since=since, until=until, outlet=outlet, query=query, entity=entity))

    def cited_entities(self, labels: tuple[str, ...] = ("PER", "LOC"), *, days: int = 30,
                       limit: int = 10, since: str | None = None, until: str | None = None,
                       outlet: str | None = None, query: str | None = None,
                       entity: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """The names the most articles mention over the last `days` days, per label; with
        filters (as `find_stories`), in the articles of the stories they keep."""
        stories = self._story_filter(since=since, until=until, outlet=outlet, query=query, entity=entity)
        if stories is not None:
            self._cluster_pending()
        _counts(limit=limit, days=days)
        return self.reader.cited_entities(labels, days=days, limit=limit, stories=stories)

    def _story_filter(self, **filters: str | None) -> tuple[str, list[Any]] | None:
        if not any(filters.values()):
            return None
        return self.reader.story_filter(**{k: v or None for k, v in filters.items()})

    def entity_mentions(self, name: str, *, limit: int = 200) -> dict[str, Any]:
        """Articles, stories and quotes naming `name` (canonical name, text or speaker)."""
        self._cluster_pending()
        _counts(limit=limit)
        return self.reader.entity_mentions(name, limit=limit)

    def outlets(self) -> list[dict[str, Any]]:
        """Every outlet with its number of articles, most first."""
        return self.reader.outlets()

    def stories_by_id(self, ids: list[str]) -> list[dict[str, Any]]:
        """Summaries (title, size, outlets, first and last seen) of the stories with these ids, in
        the given order (unknown ids left out)."""
        return self.reader.stories_by_id(ids)

    def article_details(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Per article id: lead, quantities, quotes, dates and entities (as stored dicts)."""
        return self.reader.article_details(ids)

    def quarantine(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        """What could not be read, oldest first: origin, reason, a sample and when."""
        _counts(limit=limit)
        return self.store.quarantined(limit=limit)

    def export(self, stream: IO[str], *, format: str = "jsonl", redact_pii: bool = False) -> int:
        """Write every article as one JSON object per line; returns how many.

        With `redact_pii`, phone numbers, e-mails and ID numbers are replaced in every text
        field (same length, so the spans still line up)."""
        if format != "jsonl":
            from khabar.errors import InputError

            raise InputError(f"unknown export format {format!r} (supported: jsonl)")
        count = 0
        for article in self.store.iter_articles():
            if redact_pii:
                article = redact(article)
            stream.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            count += 1
        return count

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article, one at a time, newest publication first (for exports of any size)."""
        return self.store.iter_articles()


def open_corpus(path: str | Path = "khabar.db") -> Corpus:
    return Corpus(path)
