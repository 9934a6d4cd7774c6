"""Live source commands: `khabar fetch` (one pass over feeds), `khabar watch` (keep polling),
`khabar fetched` (what the fetch log holds)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import click

from khabar.cli import _open, _print_json, _short, cli, rows_range
from khabar.errors import InputError
from khabar.stories.render import count


def _fetch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The politeness options shared by `fetch` and `watch` (for `watch` they override FEEDS.toml)."""
    options = [
        click.option("--host-interval", type=click.FloatRange(0), metavar="SECONDS",
                     help="Seconds between two requests to one host [fetch default: 1.0]."),
        click.option("--rate", "rates", multiple=True, metavar="HOST=SECONDS",
                     help="Seconds between requests to one host (and its subdomains), e.g. "
                          "--rate example.com=5."),
        click.option("--timeout", type=click.FloatRange(0, min_open=True), metavar="SECONDS",
                     help="Whole-request time limit [default: 20]."),
        click.option("--max-bytes", type=click.IntRange(1), help="Largest page read [default: 5 MiB]."),
        click.option("--retries", type=click.IntRange(0), help="Retries on timeouts and 429/5xx [default: 3]."),
        click.option("--backoff", type=click.FloatRange(0), metavar="SECONDS",
                     help="Wait before the first retry, doubled each time [default: 1]."),
        click.option("--user-agent", help="User-Agent header (default names khabar and its version)."),
        click.option("--concurrency", type=click.IntRange(1),
                     help="Hosts fetched at the same time, each one request at a time [default: 8]."),
        click.option("--batch-size", default=20, show_default=True, type=click.IntRange(1),
                     help="Items ingested (and logged) per transaction."),
        click.option("--json", "as_json", is_flag=True, help="Print each pass's report as JSON."),
        click.option("--db", "db_path", type=click.Path(dir_okay=False),
                     help="SQLite database file (the same as `khabar --db`)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _apply(base: Any, kw: dict[str, Any]) -> Any:
    from khabar.sources import FetchOptions

    opts: FetchOptions = base
    changes: dict[str, Any] = {}
    for key in ("host_interval", "timeout", "max_bytes", "retries", "backoff", "user_agent", "concurrency"):
        if kw.get(key) is not None:
            changes[key] = kw[key]
    if kw.get("rates"):
        hosts = dict(opts.host_intervals)
        for pair in kw["rates"]:
            host, sep, seconds = pair.partition("=")
            try:
                value = float(seconds)
            except ValueError:
                value = -1.0
            if not sep or not host.strip() or value < 0:
                raise InputError(f"bad --rate {pair!r}: expected HOST=SECONDS")
            hosts[host.strip().lower()] = value
        changes["host_intervals"] = hosts
    return replace(opts, **changes)


def _show(report: Any, as_json: bool, prefix: str = "") -> None:
    if as_json:
        _print_json(report.to_dict())
        return
    failures: dict[str, list[dict[str, Any]]] = {}
    for failure in report.failures:
        if failure["kept"] == "nothing" and failure["url"] == failure["feed"]:
            continue  # a feed's failure, shown on the feed's line
        failures.setdefault(failure["feed"], []).append(failure)
    for feed in report.feeds:
        if feed.status == "failed":
            click.echo(f"{prefix}feed {feed.url}: failed: {feed.error}")
        elif feed.status == "unchanged":
            click.echo(f"{prefix}feed {feed.url}: unchanged")
        else:
            click.echo(f"{prefix}feed {feed.url}: {_short(feed.title, 40) or '(no title)'}: "
                       f"{count(feed.items, 'item')}, {feed.new} new ({count(feed.pages, 'page')}, "
                       f"{feed.summaries} summary only, {feed.failed} failed)"
                       + (" — stopped" if feed.status == "stopped" else ""))
        for failure in failures.pop(feed.url, []):  # each item's failure under its own feed
            kept = "kept the feed summary" if failure["kept"] == "summary" else "not ingested"
            click.echo(f"{prefix}  ✗ {failure['url']}: {failure['reason']} ({kept})")
    for rest in failures.values():
        for failure in rest:
            kept = "kept the feed summary" if failure["kept"] == "summary" else "not ingested"
            click.echo(f"{prefix}  ✗ {failure['url']}: {failure['reason']} ({kept})")
    click.echo(f"{prefix}{report.summary()}")


def _every_feed_failed(report: Any) -> bool:
    return bool(report.feeds) and all(feed.status == "failed" for feed in report.feeds)


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An Event set by SIGINT or SIGTERM (a second SIGINT interrupts at once)."""
    stop = threading.Event()
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        click.echo("khabar: stopping after the current item (Ctrl-C again to interrupt)", err=True)

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[sig] = signal.signal(sig, handler)
        except ValueError:  # not the main thread (e.g. an embedding app): no signal handling
            pass
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@cli.command()
@click.option("--feed", "feeds", multiple=True, required=True, metavar="URL",
              help="RSS or Atom feed URL (repeat for several).")
@click.option("--outlet", help="Outlet name for the articles (default: each feed's title).")
@_fetch_options
@click.pass_context
def fetch(ctx: click.Context, feeds: tuple[str, ...], outlet: str | None, **kw: Any) -> None:
    """One pass over RSS/Atom feeds: fetch each new item's page politely and ingest it."""
    from khabar.sources import FeedFetcher, FeedSpec, FetchOptions

    if kw["db_path"]:
        ctx.obj["db"] = kw["db_path"]
    for url in feeds:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"not an http(s) feed URL: {url!r}")
    options = _apply(FetchOptions(), kw)
    specs = [FeedSpec(url, outlet or "") for url in feeds]
    with _stop_on_signals() as stop, _open(ctx, create=True) as corpus, FeedFetcher(
        corpus, options, batch_size=kw["batch_size"], stop=stop
    ) as fetcher:
        report = fetcher.run(specs)
    _show(report, kw["as_json"])
    if _every_feed_failed(report):
        raise click.exceptions.Exit(1)  # nothing could be fetched: a script must notice


@cli.command()
@click.argument("feeds_toml", type=click.Path(dir_okay=False))
@click.option("--once", is_flag=True, help="One pass, then exit (same as --max-rounds 1).")
@click.option("--max-rounds", type=click.IntRange(1), help="Stop after this many passes.")
@click.option("--interval", type=click.FloatRange(0), metavar="SECONDS",
              help="Seconds between passes (overrides poll_interval in the file).")
@_fetch_options
@click.pass_context
def watch(ctx: click.Context, feeds_toml: str, once: bool, max_rounds: int | None,
          interval: float | None, **kw: Any) -> None:
    """Keep polling the feeds listed in FEEDS.toml (see `khabar.sources.config`) until
    interrupted; SIGINT or SIGTERM stops it cleanly after the item in hand."""
    from khabar.sources import load_watch_config
    from khabar.sources import watch as run_watch

    if kw["db_path"]:
        ctx.obj["db"] = kw["db_path"]
    config = load_watch_config(feeds_toml)
    options = _apply(config.options, kw)
    rounds = 1 if once else max_rounds
    poll = config.poll_interval if interval is None else interval
    as_json = kw["as_json"]
    if not as_json:
        click.echo(f"watching {count(len(config.feeds), 'feed')} every {poll:g}s → {ctx.obj['db']}", err=True)

    def on_round(n: int, report: Any) -> None:
        _show(report, as_json, prefix="" if as_json else f"[pass {n}] ")

    with _stop_on_signals() as stop, _open(ctx, create=True) as corpus:
        done = run_watch(corpus, config.feeds, options, poll_interval=poll, rounds=rounds,
                         stop=stop, on_round=on_round, batch_size=kw["batch_size"])
    if not as_json:
        why = "stopped" if stop.is_set() else "done"
        click.echo(f"{why} after {done} pass{'es' if done != 1 else ''}", err=True)


@cli.command()
@click.option("--status", type=click.Choice(["page", "summary", "failed"]),
              help="Only items with this outcome.")
@click.option("--feed", help="Only items of this feed URL.")
@click.option("--limit", default=50, show_default=True, type=rows_range(), help="How many (0: all).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per item.")
@click.pass_context
def fetched(ctx: click.Context, status: str | None, feed: str | None, limit: int, as_json: bool) -> None:
    """What the fetch log holds: feeds, and items with their outcome and reason, newest first."""
    from khabar.store.fetchlog import FetchLog

    with _open(ctx) as corpus:
        log = FetchLog(corpus.store)
        items = log.items(feed_url=feed, status=status, limit=limit or None)
        feeds = log.feeds()
        counts = log.counts()
    if as_json:
        for item in items:
            _print_json(item)
        return
    for state in feeds:
        error = f"  last error: {state.error}" if state.error else ""
        click.echo(f"feed {state.url}  {_short(state.title, 30)}  checked {state.checked_at}  "
                   f"{state.items} items{error}")
    total = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no items yet"
    click.echo(f"items: {total}")
    for item in items:
        reason = f"  ({item['reason']})" if item["reason"] else ""
        click.echo(f"  {item['fetched_at']}  {item['status']:7}  {_short(item['url'] or item['item_key'], 70)}{reason}")
