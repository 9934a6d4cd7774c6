"""The `khabar` command: a thin layer over `khabar.Corpus`.

Every command that prints data takes `--json` (UTF-8, Arabic unescaped). User errors print
one line and exit non-zero: 1 general, 2 bad input or usage, 3 not found, 70 internal error.

This module holds the group, the shared helpers and the article commands; each other room's
commands live in a module of this package (`stories.py`, ...) imported at the bottom, which
registers them on `cli`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import click

from khabar.corpus import Corpus, IngestReport
from khabar.errors import DatabaseBusy, InputError, KhabarError
from khabar.ingest.readers import RawRecord, Rejected, parse_field_map, total_bytes
from khabar.model import BOILERPLATE_LINE_KINDS, Article
from khabar.store.sqlite import SQL_INT_MAX
from khabar.stories.render import count, count_outlets
from khabar.times import minute

DEFAULT_DB = "khabar.db"


FIELD_HELP = "Map input keys to fields, e.g. --field text=content --field outlet=site."


def rows_range(minimum: int = 0) -> click.IntRange:
    """A `--limit`, `--offset` or `--min-size`: bounded by the largest integer SQLite holds, so a
    huge value is a usage error (exit 2), not an overflow in the query."""
    return click.IntRange(minimum, SQL_INT_MAX)


def published_span(first: str | None, last: str | None, missing: str = "-") -> str:
    """The first and last publication times as stored (each in its outlet's offset), and, when
    their offsets differ, the same two in UTC: 01:00+04:00 on the 2nd is before 23:00+00:00 on
    the 1st, which reads backwards without them."""
    shown = f"{first or missing} .. {last or missing}"
    try:
        ends = [datetime.fromisoformat(v) for v in (first or "", last or "")]
    except ValueError:
        return shown
    if ends[0].utcoffset() == ends[1].utcoffset():
        return shown
    # a naive time counts as UTC, as the store orders it
    utc = [(e if e.tzinfo else e.replace(tzinfo=UTC)).astimezone(UTC).isoformat(timespec="minutes") for e in ends]
    return f"{shown} ({utc[0]} .. {utc[1]} in UTC)"


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None, default=str))


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _open(ctx: click.Context, *, create: bool = False) -> Corpus:
    """The database of `--db`; a command that only reads it refuses one that does not exist or
    is an empty file (a mistyped path would otherwise leave an empty database behind and answer
    "nothing")."""
    db = ctx.obj["db"]
    if not create and db != ":memory:":
        if not Path(db).exists():
            raise InputError(f"no database at {db} (`khabar --db {db} ingest FILES` makes one)")
        # SQLite takes an empty file for an empty database and would write one over it
        if Path(db).is_file() and Path(db).stat().st_size == 0:
            raise InputError(f"{db} is an empty file, not a khabar database"
                             f" (`khabar --db {db} ingest FILES` makes one)")
    return Corpus(db)


class UserError(click.ClickException):
    """A `KhabarError` on its way to the terminal: one line, its own exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"khabar: {self.format_message()}", err=True)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KhabarError as exc:
            raise UserError(str(exc), exc.exit_code) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise SystemExit(0) from None
        except KeyboardInterrupt:  # one line, as the shell expects of Ctrl-C (not click's "Aborted!")
            raise UserError("interrupted", 130) from None
        except OSError as exc:  # an output folder that is missing, a file we may not write ...
            where = f"{exc.filename}: " if exc.filename else ""
            raise UserError(f"{where}{exc.strerror or exc}", 2) from None
        except sqlite3.OperationalError as exc:
            raise UserError(_database_problem(ctx, exc), 2) from None


def _database_problem(ctx: click.Context, exc: sqlite3.OperationalError) -> str:
    """One line on why SQLite refused the database (read-only file or folder, no folder)."""
    db = (ctx.obj or {}).get("db", "the database")
    message = str(exc)
    if "readonly" in message:
        return (f"{db}: the database is read-only (khabar writes to the file and, beside it, "
                f"to its -wal and -shm files: check the permissions of the file and its folder)")
    if "unable to open" in message:
        return f"{db}: cannot open the database (a missing or unwritable folder?)"
    return f"{db}: {message}"


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    envvar="KHABAR_DB",
    type=click.Path(dir_okay=False),
    help="SQLite database file (created if missing).",
)
@click.version_option(package_name="khabar")
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """khabar: Arabic news text to clean articles and stories."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


class _Progress:
    """A one-line progress bar on stderr (a line every few seconds when not a terminal)."""

    def __init__(self, total_bytes: int, enabled: bool) -> None:
        self.total = total_bytes
        self.done = 0
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.interval = 0.1 if self.tty else 5.0
        self.report: IngestReport | None = None  # the run's, kept up to date by the ingest

    def add_bytes(self, n: int) -> None:
        self.done += n

    def stopped(self, what: str, code: int, hint: str = "", *, failed_batch: bool = False) -> UserError:
        """The one-line error of an ingest cut short by `what`, with how many articles it
        stored before that: every batch is stored whole (one transaction) or not at all, so a
        rerun of the same command adds exactly the rest. Ends the progress line first.
        `failed_batch`: `what` already says that its own batch was not written."""
        if self.enabled and self.tty:
            click.echo("", err=True)  # off the progress line
        n = self.report.new if self.report else 0
        if failed_batch:
            kept = (f" (the {count(n, 'article')} stored before it {'is' if n == 1 else 'are'}"
                    " kept; a rerun adds the rest)") if n else ""
            return UserError(what + kept, code)
        return UserError(f"{what}; {count(n, 'article')} stored, rerun the same command to resume{hint}",
                         code)

    def __call__(self, report: IngestReport, pending: int, final: bool = False) -> None:
        self.report = report
        if not self.enabled:
            return
        now = time.monotonic()
        if not final and now - self.last < self.interval:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = report.read / elapsed
        counts = (
            f"{report.read:,} read · {report.new:,} new · {report.duplicate:,} duplicate · "
            f"{report.quarantined:,} quarantined · {rate:,.0f}/s"
        )
        if self.total:
            share = min(1.0, self.done / self.total)
            filled = int(share * 24)
            bar = "█" * filled + "░" * (24 - filled)
            line = f"[{bar}] {share:4.0%} {counts}"
        else:
            line = counts
        if self.tty:
            click.echo("\r" + line + "\x1b[K", nl=final, err=True)
        else:
            click.echo(line, err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--outlet", help="Outlet name for records that do not carry one.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="NAME=KEY[,KEY]",
    help=FIELD_HELP,
)
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--stages",
    "stage_names",
    metavar="NAME,NAME",
    help="Run only these stages, in this order (see `khabar stages`), e.g. to ingest fast "
    "without entities, quotes, quantities and dates.",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--workers", default=0, show_default=True, type=click.IntRange(0, 1024),
              help="Processes for the per-article stages (0: all cores).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: run the stages on Ray, write Parquet shards, then load them (khabar[ray]).")
@click.option("--ray-address", metavar="ADDR", help="Ray cluster to join (default: start a local one).")
@click.option("--parquet-out", metavar="DIR",
              help="Where --engine ray writes its shards (default: a folder under DB.parquet/ named by "
              "the run's inputs and options).")
@click.option("--dense", is_flag=True,
              help="Blend sentence-embedding similarity into story clustering (khabar[dense]; slow).")
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    outlet: str | None,
    fields: tuple[str, ...],
    batch_size: int,
    stage_names: str | None,
    progress: bool | None,
    as_json: bool,
    workers: int = 0,
    engine: str = "local",
    ray_address: str | None = None,
    parquet_out: str | None = None,
    dense: bool = False,
) -> None:
    """Read articles from files and folders (JSON lines, JSON, CSV/TSV, Parquet, HTML, WARC, saved
    feeds, plain text; gzipped or not) or - (stdin) into the database."""
    field_map = parse_field_map(fields)
    size = total_bytes(paths)
    show = sys.stderr.isatty() if progress is None else progress
    bar = _Progress(size, enabled=show and not as_json)
    stages = stage_list(stage_names)
    try:
        with Corpus(ctx.obj["db"], stages=stages, workers=workers, dense=dense) as corpus:
            if engine == "ray":
                from khabar.cli.scale import default_parquet_out, ingest_with_ray

                # the stages the corpus runs (identify added when left out), on the cluster too
                names = list(corpus.pipeline.names) if stages is not None else None
                out = parquet_out or default_parquet_out(
                    ctx.obj["db"], paths, stages=corpus.pipeline.names,
                    batch_size=batch_size, outlet=outlet, field_map=field_map)
                report = ingest_with_ray(corpus, paths, field_map=field_map, outlet=outlet,
                                         batch_size=batch_size, stages=names, address=ray_address,
                                         out=out, progress=bar)
            else:
                report = corpus.ingest(
                    paths,
                    field_map=field_map,
                    outlet=outlet,
                    batch_size=batch_size,
                    progress=bar,
                    bytes_read=bar.add_bytes,
                )
    except KeyboardInterrupt:
        raise bar.stopped("interrupted", 130) from None
    except BrokenProcessPool:  # a worker killed (the OOM killer, a kill) or crashed
        raise bar.stopped("a worker process ended abruptly (killed, out of memory, or a crash)", 70,
                          " (with fewer --workers if memory ran out)") from None
    except DatabaseBusy as exc:
        raise bar.stopped(str(exc), exc.exit_code, failed_batch=True) from None
    bar(report, 0, final=True)
    elapsed = time.monotonic() - bar.started
    if as_json:
        _print_json({**report.to_dict(), "seconds": round(elapsed, 2), "db": ctx.obj["db"]})
    else:
        click.echo(f"{report.summary()} in {elapsed:.1f}s → {ctx.obj['db']}")
        if report.duplicate and not report.new:
            click.echo("nothing new: every article was already in the database")
        if report.quarantined:
            click.echo("see `khabar quarantine` for the reasons")
    if report.read == 0:
        raise KhabarError("no input records found")


def stage_list(stage_names: str | None) -> list[str] | None:
    """The stages `--stages` names (None when it is not given: every stage); an empty list
    (`--stages ''`, `--stages ,,`) is refused, not read as "every stage" nor as "none"."""
    if stage_names is None:
        return None
    stages = [n.strip() for n in stage_names.split(",") if n.strip()]
    if not stages:
        raise InputError(f"--stages {stage_names!r} names no stage: leave --stages out to run every"
                         " stage, or name the ones to run (`khabar stages` lists them)")
    return stages


def _heading(title: str | None, lead: str) -> str:
    """What a list shows for an article: its title, or `(no title)` and its body's first line."""
    return title or "(no title) " + lead.split("\n", 1)[0]


def _article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "outlet": article.outlet,
        "published": article.published.isoformat() if article.published else None,
        "title": article.title,
        "lead": article.body.split("\n", 1)[0][:200],
        "language": article.language,
        "chars": len(article.body),
    }


def clean_view(article: Article) -> dict[str, Any]:
    """The `khabar clean --json` shape of one processed article."""
    line_numbers = {}
    number = 1
    for index, char in enumerate(article.text):
        if char == "\n":
            number += 1
            line_numbers[index + 1] = number
    starts = sorted(line_numbers)

    def line_number(offset: int) -> int:
        import bisect

        position = bisect.bisect_right(starts, offset)
        return line_numbers[starts[position - 1]] if position else 1

    return {
        "id": article.id,
        "title": article.title,
        "author": article.author,
        "dateline": {"text": article.dateline, "place": article.dateline_place,
                     "outlet": article.dateline_source} if article.dateline else None,
        "source": article.outlet,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "body": article.body,
        "paragraphs": [line.text for line in article.lines if line.line_kind in ("body", "subheading")],
        "lines": [
            {"n": line_number(line.start), "kind": line.line_kind, "removed": line.line_kind in BOILERPLATE_LINE_KINDS,
             "reason": line.reason, "text": line.text, "start": line.start, "end": line.end}
            for line in article.lines
        ],
        "pii": [{"kind": p.pii_kind, "text": p.text, "start": p.start, "end": p.end} for p in article.pii],
    }


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--outlet and --field, for the commands that read articles without storing them."""
    command = click.option("--field", "fields", multiple=True, metavar="NAME=KEY[,KEY]", help=FIELD_HELP)(command)
    return click.option("--outlet", help="Outlet name for records that do not carry one.")(command)


def readable_records(paths: Iterable[str], fields: Iterable[str] = ()) -> Iterator[RawRecord]:
    """The records under `paths` (keys mapped by `--field` pairs); each unreadable item is one
    line on stderr, and when nothing at all could be read that is an error (exit 1), not an
    empty answer."""
    from khabar.ingest.readers import read_paths

    field_map = parse_field_map(fields)
    read = rejected = 0
    for item in read_paths(paths, field_map):
        if isinstance(item, Rejected):
            rejected += 1
            click.echo(f"khabar: {item.origin}: {item.reason}", err=True)
            continue
        read += 1
        yield item
    if not read:
        raise KhabarError(f"nothing could be read ({rejected} unreadable)" if rejected else "no input records found")


def _processed(paths: Iterable[str], outlet: str | None, fields: Iterable[str] = ()) -> Iterator[tuple[str, Article]]:
    """(origin, article through the default pipeline) for each record under `paths`, for the
    commands that show articles without storing them; unreadable items are reported on stderr."""
    from khabar.pipeline import Pipeline, article_from_record, with_outlet

    pipeline = Pipeline()
    for item in readable_records(paths, fields):
        article = with_outlet(article_from_record(item), outlet)
        yield item.origin, pipeline(article)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article.")
@click.option("--redact-pii", is_flag=True, help="Replace phone numbers and e-mails in the output.")
def clean(paths: tuple[str, ...], outlet: str | None, fields: tuple[str, ...], as_json: bool,
          redact_pii: bool) -> None:
    """Clean articles without storing them: line kinds with reasons, title, author, dateline, PII."""
    from khabar.clean.pii import redact

    for origin, article in _processed(paths, outlet, fields):
        if redact_pii:
            article = redact(article)
        view = clean_view(article)
        if as_json:
            _print_json({"origin": origin, **view})
            continue
        click.echo(f"== {origin}")
        for label in ("title", "author", "source", "published", "language"):
            if view[label]:
                click.echo(f"{label + ':':11}{view[label]}")
        if view["dateline"]:
            d = view["dateline"]
            parts = [f"place: {d['place']}" if d["place"] else "", f"outlet: {d['outlet']}" if d["outlet"] else ""]
            click.echo(f"dateline:  {d['text']}" + (f"  ({', '.join(p for p in parts if p)})" if any(parts) else ""))
        for p in view["pii"]:
            click.echo(f"pii:       {p['kind']} {p['text']}")
        click.echo("")
        for line in view["lines"]:
            mark = "✗" if line["removed"] else " "
            click.echo(f"{line['n']:>3} {mark} {line['kind']:16} {_short(line['text'], 70)}")
            if line["removed"] or line["kind"] not in ("body",):
                click.echo(f"{'':22}↳ {line['reason']}")
        click.echo("")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article.")
def extract(paths: tuple[str, ...], outlet: str | None, fields: tuple[str, ...], as_json: bool) -> None:
    """Who, what, how many, when: entities, quotes, quantities and dates of articles."""
    from khabar.extract.views import extract_view

    for origin, article in _processed(paths, outlet, fields):
        view = {"id": article.id, "origin": origin, "title": article.title, "outlet": article.outlet,
                # the dates' anchor, and the text their offsets point into
                "published": article.published.isoformat() if article.published else None,
                "text": article.text, **extract_view(article)}
        if as_json:
            _print_json(view)
            continue
        click.echo(f"== {origin}" + (f"  {article.title}" if article.title else "  (no title)"))
        for entity in view.get("entities", []):
            click.echo(f"entity    {entity['type']:4} {entity['text']}  → {entity['canonical']}")
        for quote in view["quotes"]:
            kind = "direct" if quote["direct"] else "indirect"
            click.echo(f"quote     {quote['speaker'] or '?'} ({quote['verb']}, {kind}): {_short(quote['text'], 70)}")
        for q in view["quantities"]:
            value = str(q["value"]) if q.get("value_max") is None else f"{q['value']}–{q['value_max']}"
            what = " ".join(x for x in (q["qualifier"], value, q["unit"], q["counted"]) if x)
            click.echo(f"quantity  {what:30} ← {q['text']}")
        for d in view["dates"]:
            click.echo(f"date      {d['value'] or '?':20} {d['granularity']:6} ← {d['text']}  ({d['resolved_by']})")
        click.echo("")


@cli.command()
@click.argument("source", default="-")
@click.option("--context", default=20, show_default=True, type=click.IntRange(0),
              help="Read each run of this many consecutive sentences (restarting at a -DOCSTART- "
                   "line) as one document: a name tagged once is tagged where it recurs, a lone "
                   "surname of a person named in full is tagged; 0 tags sentence by sentence.")
def tag(source: str, context: int) -> None:
    """Tag CoNLL input (one token per line, blank line between sentences) with NER labels.

    Prints `token<TAB>TAG` in BIO with ANERcorp's labels (B-PERS, I-LOC, B-ORG, B-MISC, ...),
    so any conlleval scorer can score it. A second column in the input (gold) is ignored.
    """
    from khabar.errors import DecodeError
    from khabar.extract.ner import tag_conll
    from khabar.ingest.decode import decode_bytes

    try:  # any encoding ingest reads (UTF-8, UTF-16, Windows-1256 ...), so say why not
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        text = decode_bytes(data).text
    except DecodeError as exc:
        raise InputError(f"{source}: {exc}") from None
    except OSError as exc:
        raise InputError(f"{source}: {exc.strerror or exc}") from None
    lines = text.splitlines()
    gaps = iter(_blank_runs(lines))
    if any(line.strip() for line in lines):
        click.echo("\n" * next(gaps), nl=False)
    for line in tag_conll(lines, context=context):
        # one blank line ends each sentence; as many as the input had, so that the output
        # lines up with the input (and its gold) line by line
        click.echo(line if line else "\n" * max(1, next(gaps, 1)), nl=bool(line))


def _blank_runs(lines: list[str]) -> list[int]:
    """How many blank lines come before the first sentence, after each sentence between
    them, and after the last.

    >>> _blank_runs(["", "w1", "w2", "", "", "w3"])
    [1, 2, 0]
    """
    runs, blank, seen = [], 0, False
    for line in lines:
        if line.strip():
            if blank or not seen:
                runs.append(blank)
                blank = 0
            seen = True
        else:
            blank += 1
    runs.append(blank)
    return runs


@cli.command()
@click.option("--limit", default=20, show_default=True, type=rows_range(), help="How many (0: all).")
@click.option("--offset", default=0, type=rows_range())
@click.option("--outlet", help="Only this outlet.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def articles(ctx: click.Context, limit: int, offset: int, outlet: str | None, as_json: bool) -> None:
    """List articles, newest first."""
    with _open(ctx) as corpus:
        rows = [_article_row(a) for a in corpus.articles(limit=limit or None, offset=offset, outlet=outlet)]
    if as_json:
        for row in rows:
            _print_json(row)
        return
    if not rows:  # said, as `stories` and `search` say it, rather than nothing at all
        source = f" from the outlet {outlet!r}" if outlet else ""
        if offset:
            click.echo(f"no articles{source} past the first {offset:,}")
        elif outlet:
            click.echo(f"no article{source} (`khabar stats` lists the outlets)")
        else:
            click.echo("no articles yet: ingest some first")
        return
    for row in rows:
        date = minute(row["published"])  # with its offset: outlets' clocks differ
        heading = _heading(row["title"], row["lead"])
        click.echo(f"{row['id']}  {date:22}  {_short(row['outlet'] or '-', 24):24}  {_short(heading, 70)}")


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="The whole article with its spans.")
@click.option("--raw", is_flag=True, help="Also print the raw text and each line's kind.")
@click.pass_context
def show(ctx: click.Context, article_id: str, as_json: bool, raw: bool) -> None:
    """Show one article (id, id prefix or the input's own id)."""
    with _open(ctx) as corpus:
        article = corpus.article(article_id)
    if as_json:
        _print_json(article.to_dict())
        return
    click.echo(f"id:        {article.id}")
    for label, value in (
        ("title", article.title),
        ("outlet", article.outlet),
        ("published", article.published.isoformat() if article.published else ""),
        ("author", article.author),
        ("dateline", article.dateline),
        ("url", article.url),
        ("language", article.language),
        ("from", article.origin),
    ):
        if value:
            click.echo(f"{label + ':':10} {value}")
    if article.pii:
        click.echo("pii:       " + ", ".join(f"{p.pii_kind} {p.text}" for p in article.pii))
    click.echo("")
    click.echo(article.body)
    removed = [line for line in article.lines if line.line_kind in BOILERPLATE_LINE_KINDS]
    if removed and not raw:
        click.echo(f"\n({count(len(removed), 'line')} removed as site chrome; --raw shows every line and why)")
    if raw:
        click.echo("\n--- lines ---")
        for line in article.lines:
            mark = "✗" if line.line_kind in BOILERPLATE_LINE_KINDS else " "
            click.echo(f"{mark} {line.line_kind:16} {_short(line.text, 80)}    ({line.reason})")


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Full-text search, matching across spelling variants, clitics and diacritics."""
    text = " ".join(query)
    with _open(ctx) as corpus:
        hits = corpus.search(text, limit=limit)
        # an article without a title is listed by its lead, as `khabar articles` lists it
        untitled = [hit.article_id for hit in hits if not hit.title and not as_json]
        leads = corpus.article_details(untitled) if untitled else {}
    if as_json:
        for hit in hits:
            _print_json(hit.to_dict())
        return
    if not hits:
        click.echo(f"no article matches {text!r}")
        return
    for hit in hits:
        heading = _heading(hit.title, leads.get(hit.article_id, {}).get("lead", ""))
        click.echo(f"{hit.article_id}  {_short(hit.outlet or '-', 20):20}  {_short(heading, 60)}")
        click.echo(f"    {_short(hit.snippet, 110)}")


@cli.command()
@click.option("--format", "fmt", default="jsonl", type=click.Choice(["jsonl"]), show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="File to write (default stdout).")
@click.option("--redact-pii", is_flag=True, help="Replace phone numbers, e-mails and ID numbers.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str | None, redact_pii: bool) -> None:
    """Export every article with its spans."""
    with _open(ctx) as corpus:
        if output:
            tmp = Path(output + ".part")
            try:
                with open(tmp, "w", encoding="utf-8") as stream:
                    written = corpus.export(stream, format=fmt, redact_pii=redact_pii)
                os.replace(tmp, output)
            except BaseException as exc:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                if isinstance(exc, OSError):
                    # the user named `output`: the temporary file beside it is ours
                    raise OSError(exc.errno, exc.strerror, output) from None
                raise
            click.echo(f"{count(written, 'article')} → {output}", err=True)
        else:
            corpus.export(sys.stdout, format=fmt, redact_pii=redact_pii)


#: How many outlets `khabar stats` lists (the biggest; `--json` has them all).
STATS_OUTLETS = 30


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts: articles, outlets, languages, dates, quarantine."""
    with _open(ctx) as corpus:
        data = corpus.stats()
    if as_json:
        _print_json(data)
        return
    click.echo(f"database:     {data['database']} (schema v{data['schema_version']})")
    click.echo(f"articles:     {data['articles']:,} from {data['records']:,} input records")
    click.echo(f"quarantined:  {data['quarantined']:,}")
    for reason, n in data["quarantine_reasons"].items():
        click.echo(f"    {n:>8,}  {reason}")
    span = published_span(data["first_published"], data["last_published"])
    click.echo(f"published:    {span if data['first_published'] else 'no dated article'}")
    outlets = list(data["outlets"].items())
    click.echo("outlets:" if outlets else "outlets:      none")
    for name, n in outlets[:STATS_OUTLETS]:
        click.echo(f"    {n:>8,}  {name}")
    if len(outlets) > STATS_OUTLETS:
        click.echo(f"    … {len(outlets) - STATS_OUTLETS:,} more (`khabar stats --json` lists every outlet)")
    click.echo("languages:    " + (", ".join(f"{k} {v:,}" for k, v in data["languages"].items()) or "none"))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
def stages(as_json: bool) -> None:
    """The pipeline's stages: what each needs and adds."""
    from khabar.pipeline import DEFAULT_STAGES, registered_stages

    known = registered_stages()
    order = list(DEFAULT_STAGES) + sorted(set(known) - set(DEFAULT_STAGES))
    rows = [
        {
            "name": name,
            "default": name in DEFAULT_STAGES,
            "requires": sorted(known[name].requires),
            "provides": sorted(known[name].provides),
            "description": known[name].description,
            "module": known[name].module,
        }
        for name in order
    ]
    if as_json:
        for row in rows:
            _print_json(row)
        return
    table = [(r["name"], ", ".join(r["requires"]) or "-", ", ".join(r["provides"]), r["description"]) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    click.echo(f"{'stage':{widths[0]}}  {'needs':{widths[1]}}  {'adds':{widths[2]}}  what it does")
    for name, needs, adds, description in table:
        click.echo(f"{name:{widths[0]}}  {needs:{widths[1]}}  {adds:{widths[2]}}  {description}")


@cli.command()
@click.option("--limit", default=100, show_default=True, type=rows_range(), help="How many (0: all).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def quarantine(ctx: click.Context, limit: int, as_json: bool) -> None:
    """Inputs that could not be read, each with its reason."""
    with _open(ctx) as corpus:
        rows = corpus.quarantine(limit=limit or None)
    if as_json:
        for row in rows:
            _print_json(row)
        return
    if not rows:
        click.echo("quarantine is empty")
    for row in rows:
        click.echo(f"{row['origin']}: {row['reason']}")


def demo_corpus_path() -> Path:
    """The bundled demo corpus (fictional articles written for khabar)."""
    return Path(str(resources.files("khabar.demo") / "corpus.jsonl"))


@cli.command()
@click.option("--limit", default=60, show_default=True, type=rows_range(), help="How many (0: all).")
@click.pass_context
def demo(ctx: click.Context, limit: int) -> None:
    """Ingest the bundled demo corpus and show what khabar found in it."""
    path = demo_corpus_path()
    with _open(ctx, create=True) as corpus:
        report = corpus.ingest([path])
        click.echo(f"demo corpus {path.name}: {report.summary()} → {ctx.obj['db']}")
        data = corpus.stats()
        click.echo(
            f"{count(data['articles'], 'article')} from {count_outlets(len(data['outlets']))}, "
            f"{published_span(data['first_published'], data['last_published'], '?')}\n"
        )
        for article in corpus.articles(limit=limit or None):
            date = article.published.isoformat(" ", "minutes") if article.published else "(undated)"
            pii = f"  [pii: {len(article.pii)}]" if article.pii else ""
            click.echo(f"{article.id}  {date:22}  {_short(article.outlet, 22):22}  {_short(article.title, 60)}{pii}")


def main(argv: Iterable[str] | None = None) -> None:
    """Entry point: click reports user errors; anything else is a bug, said in one line."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="khabar")
    except KeyboardInterrupt:
        click.echo("khabar: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("KHABAR_DEBUG"):
            traceback.print_exc()
        click.echo(
            f"khabar: internal error: {type(exc).__name__}: {exc} "
            "(set KHABAR_DEBUG=1 for the traceback and please report it)",
            err=True,
        )
        sys.exit(70)


# Command modules register themselves on `cli` when imported.
from khabar.cli import entities as _entities  # noqa: F401
from khabar.cli import scale as _scale  # noqa: F401
from khabar.cli import sources as _sources  # noqa: F401
from khabar.cli import stories as _stories  # noqa: F401
from khabar.cli import web as _web  # noqa: F401

if __name__ == "__main__":
    main()
