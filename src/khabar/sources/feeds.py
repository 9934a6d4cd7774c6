"""RSS/Atom feeds to articles: read each feed, fetch each new item's page, ingest it.

    with Corpus("news.db") as corpus:
        report = fetch_feeds(corpus, ["https://example.com/rss"])    # one pass
        print(report.summary())

Each feed is fetched with a conditional GET (the ETag and Last-Modified it last sent). Items
are known by their link (or guid): an item with an outcome in the fetch log is never fetched
again. A new item's page goes through the HTML path with the feed's URL, title, publication
time and outlet (the feed's title, or the host) winning over what the page says. An item
whose page cannot be had (robots.txt, HTTP error, timeout, too large, not HTML, no article
text) is ingested from its feed summary instead, flagged `fetch=summary` with `fetch_reason`;
the reason is recorded and reported. Items are ingested in small batches, each batch before its
outcomes are logged, and a feed's validators are saved only when all its items are done: a
run stopped anywhere is picked up where it stopped, with nothing fetched twice or missed.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import io
import queue
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Self
from urllib.parse import urljoin, urlsplit, urlunsplit

from khabar.corpus import Corpus, IngestReport
from khabar.errors import KhabarError
from khabar.ingest.readers import RawRecord, Rejected, within_limits
from khabar.ingest.responses import response_to_record
from khabar.sources.fetch import FetchOptions, PoliteClient, Response
from khabar.sources.ratelimit import host_of
from khabar.store.fetchlog import FeedState, FetchLog, ItemOutcome
from khabar.times import instant

__all__ = [
    "FeedFetcher",
    "FeedItem",
    "FeedReport",
    "FeedSpec",
    "FetchReport",
    "fetch_feeds",
    "parse_feed",
    "watch",
]


def require_feedparser() -> Any:
    try:
        import feedparser
    except ImportError:
        raise KhabarError("reading feeds needs feedparser and httpx: pip install 'khabar[sources]'") from None
    return feedparser


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """A feed to follow; `outlet` names its articles' outlet (default: the feed's title)."""

    url: str
    outlet: str = ""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, with what the feed says about it."""

    key: str
    feed_url: str
    url: str = ""
    guid: str = ""
    title: str = ""
    summary: str = ""
    published: str = ""
    outlet: str = ""
    author: str = ""  # the item's author or dc:creator

    def fields(self) -> dict[str, str]:
        """The record fields the item gives (its guid as the record's external id)."""
        return {k: v for k, v in (("url", self.url), ("title", self.title),
                                  ("published", self.published), ("outlet", self.outlet),
                                  ("author", self.author), ("external_id", self.guid)) if v}


class FeedError(Exception):
    """A feed document that cannot be read."""


_TAG = re.compile(r"<[^>]{0,2000}>")
_BLOCK_END = re.compile(r"(?i)<\s*(?:br\s*/?|/p|/div|/li|/h[1-6]|/blockquote|/tr)\s*>")
_SPACES = re.compile(r"[ \t\u00a0]+")


def summary_text(summary: str) -> str:
    """A feed summary's text: tags dropped, paragraphs and breaks kept as lines."""
    text = _BLOCK_END.sub("\n", summary)
    text = html_lib.unescape(_TAG.sub(" ", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _item_key(url: str, guid: str, title: str, summary: str) -> str:
    if url:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))
    if guid:
        return "guid:" + guid
    return "sha:" + hashlib.sha256((title + "\n" + summary).encode()).hexdigest()[:32]


def _published(entry: Any) -> str:
    """The item's time with the offset the feed gave it (01:30 +0300 stays on its own day);
    feedparser's parsed form, in UTC, when the string is one khabar cannot read itself."""
    from khabar.ingest.metadata import parse_published

    for key in ("published", "updated"):
        raw = entry.get(key)
        when = parse_published(raw) if isinstance(raw, str) and raw.strip() else None
        if when is not None:
            return when.isoformat()
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    return str(entry.get("published") or entry.get("updated") or "")


def parse_feed(content: bytes, feed_url: str, content_type: str = "", outlet: str = "") -> tuple[str, list[FeedItem]]:
    """(feed title, items in the feed's order) of an RSS or Atom document; raises `FeedError`."""
    feedparser = require_feedparser()
    parsed = feedparser.parse(
        io.BytesIO(content),
        response_headers={"content-type": content_type or "application/xml", "content-location": feed_url},
    )
    if parsed.bozo and not parsed.entries:
        exc = parsed.get("bozo_exception")
        why = f"{type(exc).__name__}: {exc}" if exc else "unknown format"
        raise FeedError(f"not an RSS/Atom feed ({why})"[:300])
    title = " ".join(str(parsed.feed.get("title", "")).split())
    name = outlet or title or (urlsplit(feed_url).hostname or "")
    items = []
    for entry in parsed.entries:
        link = str(entry.get("link") or "").strip()
        if link:
            link = urljoin(feed_url, link)
        guid = str(entry.get("id") or "").strip()
        summary = str(entry.get("summary") or "")
        for block in entry.get("content") or []:  # content:encoded often holds the whole text
            value = str(block.get("value", ""))
            if len(value) > len(summary):
                summary = value
        # a title with escaped markup (&lt;b&gt;…) comes back as tags: their text is the title
        item_title = " ".join(html_lib.unescape(_TAG.sub(" ", str(entry.get("title") or ""))).split())
        author = " ".join(str(entry.get("author") or "").split())
        items.append(FeedItem(
            key=_item_key(link, guid, item_title, summary), feed_url=feed_url, url=link, guid=guid,
            title=item_title, summary=summary_text(summary), published=_published(entry),
            outlet=name, author=author,
        ))
    return title, items


@dataclass(slots=True)
class FeedReport:
    """What one pass did with one feed."""

    url: str
    title: str = ""
    status: str = ""  # changed, unchanged, failed, stopped
    error: str = ""
    items: int = 0
    new: int = 0
    pages: int = 0
    summaries: int = 0
    failed: int = 0


@dataclass(slots=True)
class FetchReport:
    """What one pass over the feeds did; `failures` lists every item or feed that failed, and why."""

    feeds: list[FeedReport] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)
    failures: list[dict[str, str]] = field(default_factory=list)
    requests: int = 0
    stopped: bool = False

    @property
    def new(self) -> int:
        return sum(f.new for f in self.feeds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "feeds": [asdict(f) for f in self.feeds],
            "ingest": self.ingest.to_dict(),
            "failures": self.failures,
            "requests": self.requests,
            "stopped": self.stopped,
        }

    def summary(self) -> str:
        n = len(self.feeds)
        unchanged = sum(f.status == "unchanged" for f in self.feeds)
        failed = sum(f.status == "failed" for f in self.feeds)
        pages = sum(f.pages for f in self.feeds)
        summaries = sum(f.summaries for f in self.feeds)
        lost = sum(f.failed for f in self.feeds)
        parts = [f"{n} feed{'s' if n != 1 else ''}"]
        notes = [f"{unchanged} unchanged"] if unchanged else []
        if failed:
            notes.append(f"{failed} failed")
        if notes:
            parts[0] += f" ({', '.join(notes)})"
        text = f"{parts[0]}: {self.new} new: {pages} from their page, {summaries} from the feed summary, {lost} failed"
        if self.ingest.read:
            text += f"; {self.ingest.summary()}"
        if self.stopped:
            text += "; stopped before the end"
        return text


def _merge(into: IngestReport, part: IngestReport) -> None:
    into.read += part.read
    into.new += part.new
    into.duplicate += part.duplicate
    into.quarantined += part.quarantined
    into.skipped += part.skipped
    for reason, count in part.reasons.items():
        into.reasons[reason] = into.reasons.get(reason, 0) + count
    for reason, count in part.skipped_reasons.items():
        into.skipped_reasons[reason] = into.skipped_reasons.get(reason, 0) + count


def _as_spec(feed: FeedSpec | str) -> FeedSpec:
    return feed if isinstance(feed, FeedSpec) else FeedSpec(str(feed))


@dataclass(slots=True)
class _Pending:
    """A feed whose new items are being fetched: its report, the state to save once all of
    them have an outcome, and how many have none yet."""

    feed: FeedReport
    done: FeedState
    remaining: int = 0


class FeedFetcher:
    """Passes over feeds into one corpus. Keep one for a whole watch: its rate limits and its
    robots.txt cache carry from pass to pass. `stop` (an Event) ends a pass after the batch in
    hand; `on_batch(report)` is called after each batch is ingested and logged."""

    def __init__(
        self,
        corpus: Corpus,
        options: FetchOptions | None = None,
        *,
        batch_size: int = 20,
        stop: threading.Event | None = None,
        on_batch: Callable[[FetchReport], None] | None = None,
    ) -> None:
        require_feedparser()
        self.corpus = corpus
        self.stop = stop or threading.Event()
        self.client = PoliteClient(options, stop=self.stop)
        self.log = FetchLog(corpus.store)
        self.batch_size = max(1, batch_size)
        self.on_batch = on_batch
        self._space_from_last_run()

    def _space_from_last_run(self) -> None:
        """Start each host's interval from its last request in the log, so a restart right
        after a run does not hit a host sooner than its rate allows."""
        opts = self.client.options
        window = max([opts.host_interval, *opts.host_intervals.values()])
        if window <= 0:
            return
        now = datetime.now(UTC)
        since = (now - timedelta(seconds=window + 1)).isoformat(timespec="milliseconds")
        for url, when in self.log.recent_requests(since):
            try:
                ago = (now - datetime.fromisoformat(when)).total_seconds()
            except (TypeError, ValueError):
                continue
            self.client.limiter.ended(host_of(url), ago)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, feeds: Iterable[FeedSpec | str]) -> FetchReport:
        """One pass: every feed once, every new item of each.

        The feeds are read one after another; then the new items' pages are fetched with one
        thread per host (at most `options.concurrency` hosts at once, each host one request at
        a time), and this thread ingests and logs them in batches as they come back.
        """
        report = FetchReport()
        before = self.client.requests
        work: list[tuple[_Pending, FeedItem]] = []
        claimed: set[str] = set()  # an item listed by two feeds is fetched for the first one
        pending: list[_Pending] = []
        for spec in map(_as_spec, feeds):
            if self.stop.is_set():
                break
            read = self._read_feed(spec, report)
            if read is None:
                continue
            feed_pending, todo = read
            todo = [item for item in todo if item.key not in claimed]
            claimed.update(item.key for item in todo)
            feed_pending.remaining = len(todo)
            pending.append(feed_pending)
            if not todo:
                self._finish(feed_pending)
            work.extend((feed_pending, item) for item in todo)
        self._fetch_items(work, report)
        for feed_pending in pending:
            if feed_pending.remaining:
                # validators not saved: the next pass re-reads the feed and goes on from here
                feed_pending.feed.status = "stopped"
        report.requests = self.client.requests - before
        report.stopped = self.stop.is_set()
        return report

    def _read_feed(self, spec: FeedSpec, report: FetchReport) -> tuple[_Pending, list[FeedItem]] | None:
        """The feed's new items, oldest first, or None when it is unchanged or failed."""
        state = self.log.feed(spec.url) or FeedState(spec.url)
        feed = FeedReport(spec.url, title=state.title)
        report.feeds.append(feed)
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        response = self.client.get(spec.url, headers)
        if response.status == 304 and not response.error:
            feed.status = "unchanged"
            self.log.save_feed(FeedState(**{**asdict(state), "checked_at": None, "http_status": 304, "error": ""}))
            return None
        if not response.ok:
            error = response.error or f"HTTP {response.status}"
            self._feed_failed(feed, state, report, error, response.status or None)
            return None
        try:
            title, items = parse_feed(response.content, response.final_url or spec.url,
                                      response.content_type, spec.outlet)
        except FeedError as exc:
            self._feed_failed(feed, state, report, str(exc), response.status)
            return None
        feed.title, feed.items = title, len(items)
        ordered = list(reversed(items))  # feeds list newest first; ingest oldest first
        times = [instant(i.published) for i in ordered]
        if None not in times:  # ISO dates, all of them: by the instant (offsets may differ)
            ordered = [i for _, i in sorted(zip(times, ordered), key=lambda pair: pair[0])]
        fresh: dict[str, FeedItem] = {}
        for item in ordered:
            fresh.setdefault(item.key, item)
        known = self.log.known(fresh.keys())
        todo = [item for key, item in fresh.items() if key not in known]
        now = datetime.now(UTC).isoformat(timespec="seconds")
        done = FeedState(
            spec.url, title=title, etag=response.headers.get("etag", ""),
            last_modified=response.headers.get("last-modified", ""), changed_at=now,
            http_status=response.status, items=len(items),
        )
        return _Pending(feed, done), todo

    def _finish(self, pending: _Pending) -> None:
        """Every item of the feed has an outcome: its validators can be saved."""
        pending.feed.status = "changed"
        self.log.save_feed(pending.done)

    def _feed_failed(self, feed: FeedReport, state: FeedState, report: FetchReport, error: str,
                     status: int | None) -> None:
        feed.status, feed.error = "failed", error
        report.failures.append({"feed": feed.url, "url": feed.url, "reason": error, "kept": "nothing"})
        # keep the old validators: the feed is re-read in full next time
        self.log.save_feed(FeedState(**{**asdict(state), "checked_at": None, "http_status": status,
                                        "error": error}))

    def _fetch_items(self, work: Sequence[tuple[_Pending, FeedItem]], report: FetchReport) -> None:
        if not work:
            return
        by_host: dict[str, list[tuple[_Pending, FeedItem]]] = {}
        for job in work:
            by_host.setdefault(host_of(job[1].url) if job[1].url else "", []).append(job)
        results: queue.Queue[tuple[_Pending, FeedItem, Response | None] | None] = queue.Queue()

        def fetch_host(jobs: list[tuple[_Pending, FeedItem]]) -> None:
            try:
                for feed_pending, item in jobs:
                    if self.stop.is_set():
                        break
                    results.put((feed_pending, item, self.client.get(item.url) if item.url else None))
            finally:
                results.put(None)  # this host is done

        workers = max(1, min(self.client.options.concurrency, len(by_host)))
        batch: list[tuple[_Pending, FeedItem, Response | None]] = []
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="khabar-fetch") as pool:
            futures = [pool.submit(fetch_host, jobs) for jobs in by_host.values()]
            running = len(futures)
            while running:
                try:
                    got = results.get(timeout=0.5)
                except queue.Empty:
                    continue
                if got is None:
                    running -= 1
                    continue
                batch.append(got)
                if len(batch) >= self.batch_size:
                    self._flush(batch, report)
                    batch = []
            if batch:
                self._flush(batch, report)
            for future in futures:
                future.result()  # a bug in a fetching thread is not swallowed

    def _flush(self, batch: Sequence[tuple[_Pending, FeedItem, Response | None]], report: FetchReport) -> None:
        """Ingest a batch, then log its outcomes (a crash in between redoes, never loses)."""
        records: list[RawRecord | Rejected] = []
        outcomes: list[ItemOutcome] = []
        for feed_pending, item, response in batch:
            record, outcome = self._item(item, response)
            records.append(record)
            outcomes.append(outcome)
            feed = feed_pending.feed
            feed.new += 1
            if outcome.status == "page":
                feed.pages += 1
            else:
                if outcome.status == "summary":
                    feed.summaries += 1
                else:
                    feed.failed += 1
                report.failures.append({"feed": item.feed_url, "url": item.url or item.key,
                                        "reason": outcome.reason, "kept": outcome.status})
        _merge(report.ingest, self.corpus.ingest_records(records, batch_size=len(records) + 1))
        self.log.record_items(outcomes)
        for feed_pending, _, _ in batch:
            feed_pending.remaining -= 1
            if feed_pending.remaining == 0:
                self._finish(feed_pending)
        if self.on_batch:
            self.on_batch(report)

    def _item(self, item: FeedItem, response: Response | None) -> tuple[RawRecord | Rejected, ItemOutcome]:
        fields = item.fields()
        base = {"feed": item.feed_url}
        outcome = {"item_key": item.key, "feed_url": item.feed_url, "url": item.url,
                   "guid": item.guid, "title": item.title}
        origin = item.url or item.key
        if response is None:
            reason = "the item has no link"
            response = Response(origin)
        else:
            reason = response.error or ("" if response.ok else f"HTTP {response.status}")
            if not reason:
                extra = {**base, "fetch": "page"}
                if response.final_url and response.final_url != item.url:
                    extra["final_url"] = response.final_url
                record = within_limits(response_to_record(
                    response.content, response.content_type, origin, url=item.url, fields=fields,
                    extra=extra, last_modified=response.headers.get("last-modified")))
                if isinstance(record, RawRecord):
                    return record, ItemOutcome(**outcome, status="page", http_status=response.status,
                                               final_url=response.final_url, bytes=len(response.content))
                reason = record.reason
        http = {"http_status": response.status or None, "final_url": response.final_url,
                "bytes": len(response.content)}
        if item.summary.strip():
            lines = [item.title] if item.title else []
            text = "\n".join([*lines, item.summary])
            record = RawRecord(text=text, origin=origin, fields=fields,
                               extra={**base, "fetch": "summary", "fetch_reason": reason})
            return record, ItemOutcome(**outcome, status="summary", reason=reason, **http)
        reason = f"{reason}; the feed has no summary"
        return Rejected(origin, f"page failed: {reason}", item.title), ItemOutcome(
            **outcome, status="failed", reason=reason, **http)


def fetch_feeds(
    corpus: Corpus,
    feeds: Iterable[FeedSpec | str],
    options: FetchOptions | None = None,
    *,
    batch_size: int = 20,
    stop: threading.Event | None = None,
) -> FetchReport:
    """One pass over `feeds` into `corpus` (see the module docstring)."""
    with FeedFetcher(corpus, options, batch_size=batch_size, stop=stop) as fetcher:
        return fetcher.run(feeds)


def watch(
    corpus: Corpus,
    feeds: Sequence[FeedSpec | str],
    options: FetchOptions | None = None,
    *,
    poll_interval: float = 300.0,
    rounds: int | None = None,
    stop: threading.Event | None = None,
    on_round: Callable[[int, FetchReport], None] | None = None,
    batch_size: int = 20,
) -> int:
    """Pass over `feeds` every `poll_interval` seconds until `stop` is set or `rounds` passes
    are done; returns how many passes ran. `on_round(n, report)` follows each pass."""
    stop = stop or threading.Event()
    done = 0
    with FeedFetcher(corpus, options, batch_size=batch_size, stop=stop) as fetcher:
        while not stop.is_set():
            report = fetcher.run(feeds)
            done += 1
            if on_round:
                on_round(done, report)
            if rounds is not None and done >= rounds:
                break
            if stop.wait(poll_interval):
                break
    return done
