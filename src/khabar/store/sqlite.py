"""The SQLite store. All of khabar's SQL lives in this room."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import cache
from operator import attrgetter
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from khabar.errors import DatabaseBusy, InputError, NotFound
from khabar.ingest.readers import Rejected, reason_kind
from khabar.model import (
    Article,
    DateSpan,
    EntitySpan,
    Line,
    PIISpan,
    QuantitySpan,
    QuoteSpan,
    Sentence,
    Span,
)
from khabar.store.mentions import MENTIONS_INSERT, mention_rows
from khabar.store.order import instant, newest_first
from khabar.text import match_keys, remembered_match_keys

SPAN_FIELDS: dict[str, type[Span]] = {
    "lines": Line,
    "sentences": Sentence,
    "entities": EntitySpan,
    "quotes": QuoteSpan,
    "quantities": QuantitySpan,
    "dates": DateSpan,
    "pii": PIISpan,
}
# SQLite's largest integer: a LIMIT or OFFSET past it is past the end of any table anyway
SQL_INT_MAX = 2**63 - 1
_ARTICLE_COLUMNS = ["id", "outlet", "url", "title", "author", "dateline", "dateline_place", "dateline_source", "published", "language", "external_id", "origin", "text", "body", "spans", "metadata"]


@dataclass(frozen=True, slots=True)
class BatchResult:
    new: int = 0
    duplicate: int = 0
    quarantined: int = 0


@dataclass(frozen=True, slots=True)
class Sighting:
    """One more input record of an article already stored (a re-ingest or a same-outlet copy)."""

    article_id: str
    external_id: str = ""
    origin: str = ""
    outlet: str = ""
    url: str = ""
    text_hash: str = ""


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: str
    title: str
    outlet: str
    published: str | None
    snippet: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


#: Span kinds stored without their text when it is the article text's [start, end) slice: lines
#: and sentences cover the whole text, so their copies would double what is stored and sent.
_SLICED_SPANS = frozenset({"lines", "sentences"})


@dataclass(frozen=True, slots=True)
class StoredForm:
    """What storing an article derives from its spans, computed where the article was processed
    (a worker process): its spans as the stored JSON, and its rows of the mentions index. With
    it the writer needs only the article's plain fields, so a worker can send the article
    without its span objects, which cost the parent more to unpickle than the rows do."""

    spans_json: str
    mentions: tuple[tuple[Any, ...], ...]


def stored_form(article: Article) -> StoredForm:
    return StoredForm(_spans_to_json(article), tuple(mention_rows(article)))


def _spans_to_json(article: Article) -> str:
    data = {}
    text = article.text or ""
    for name in SPAN_FIELDS:
        spans = getattr(article, name)
        if not spans:
            continue
        items = []
        for s in spans:
            names, values = _field_reader(type(s))
            item = dict(zip(names, values(s)))
            if name in _SLICED_SPANS and item["text"] == text[s.start : s.end]:
                del item["text"]
            items.append(item)
        data[name] = items
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@cache
def _field_reader(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    """A span class's field names and a function reading them all (`fields` per span is slow)."""
    names = tuple(f.name for f in fields(cls))
    getter = attrgetter(*names)
    return names, (getter if len(names) > 1 else lambda obj: (getter(obj),))


def _spans_from_json(raw: str, text: str = "") -> dict[str, tuple[Span, ...]]:
    """Spans as `_spans_to_json` wrote them; `text` (the article's) fills the texts it left out."""
    data = json.loads(raw or "{}")
    out: dict[str, tuple[Span, ...]] = {}
    for name, cls in SPAN_FIELDS.items():
        spans = []
        for item in data.get(name, ()):
            values = {k: tuple(v) if isinstance(v, list) else v for k, v in item.items()}
            if "text" not in values:
                values["text"] = text[values["start"] : values["end"]]
            spans.append(cls(**values))
        out[name] = tuple(spans)
    return out


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression for a user query: every word's match key must occur."""
    keys = [k for k in match_keys(query) if k]
    if not keys:
        raise InputError(f"nothing to search for in {query!r}")
    return " ".join('"' + k.replace('"', '""') + '"' for k in keys)


#: How long opening a database waits for another process's lock before giving up.
OPEN_BUSY_SECONDS = 60.0
#: How long a write waits for another process's write lock (SQLite's busy timeout), and after
#: how long of it the wait is said, so that a user is not left looking at a silent command.
WRITE_BUSY_SECONDS = 30.0
WRITE_BUSY_NOTICE_SECONDS = 1.0

log = logging.getLogger("khabar")


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


class Store:
    """One SQLite file: articles, the input records behind them, quarantine, full-text index."""

    _transaction: object | None = None  # the write transaction `transaction()` has open

    def __init__(self, path: str | Path = "khabar.db") -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError(f"{self.path} is a directory, expected a database file")
        if self.path.parent and not self.path.parent.exists():
            raise InputError(f"folder for the database does not exist: {self.path.parent}")
        self.read_only = self.path.exists() and not (
            os.access(self.path, os.W_OK) and os.access(self.path.parent or Path("."), os.W_OK))
        if self.read_only:
            self._open_read_only()
            return
        deadline = time.monotonic() + OPEN_BUSY_SECONDS
        while True:
            try:
                self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=WRITE_BUSY_SECONDS)
                self.conn.row_factory = sqlite3.Row
                # Switching to WAL needs an exclusive lock and SQLite does not wait for it, so a
                # database another process is writing could refuse the switch: only switch once.
                mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                self.conn.execute("PRAGMA cache_size=-65536")
                self.migrate()
                return
            except sqlite3.OperationalError as exc:
                busy = _busy(exc)
                if busy and time.monotonic() < deadline:
                    if getattr(self, "conn", None) is not None:
                        self.conn.close()
                    time.sleep(0.05)
                    continue
                if busy:
                    raise InputError(f"{self.path} is busy: another process holds it locked ({exc})") from None
                if "readonly" in str(exc) or "unable to open" in str(exc):
                    # SQLite writes a -wal and a -shm file beside the database, even to read it
                    raise InputError(
                        f"{self.path}: cannot open the database for writing ({exc}): khabar needs "
                        "to write the file and, in its folder, its -wal and -shm files (is the "
                        "file or its folder read-only, or the folder missing?)") from None
                raise InputError(f"{self.path} is not a usable khabar database: {exc}") from None
            except sqlite3.DatabaseError as exc:
                raise InputError(f"{self.path} is not a usable khabar database: {exc}") from None

    # -- schema -----------------------------------------------------------------------------

    @staticmethod
    def migrations() -> list[tuple[int, str, str]]:
        """(version, name, sql) of every migration shipped, in order."""
        folder = resources.files("khabar.store") / "migrations"
        found = []
        for entry in folder.iterdir():
            if entry.name.endswith(".sql"):
                version = int(entry.name.split("_", 1)[0])
                found.append((version, entry.name, entry.read_text(encoding="utf-8")))
        return sorted(found)

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _open_read_only(self) -> None:
        """A database nobody here may write (a read-only file or folder, a published copy):
        open it immutable, so that reading needs no -wal or -shm file beside it. Writing then
        fails with SQLite's read-only error, which the CLI says in one line."""
        uri = f"file:{urllib.parse.quote(str(self.path.resolve()))}?immutable=1"
        try:
            self.conn = sqlite3.connect(uri, uri=True, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            version = self.schema_version
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path} is not a usable khabar database: {exc}") from None
        latest = max(v for v, _name, _sql in self.migrations())
        if version > latest:
            self.conn.close()
            raise InputError(f"{self.path} was written by a newer khabar (schema v{version}, this one"
                             f" reads v{latest}): upgrade khabar to read it") from None
        missing = [sql for v, _name, sql in self.migrations() if v > version]
        # a migration that only adds an index changes no query's answer: a store that lacks
        # it is read as it is (the queries are slower on it, not wrong); nor does one that
        # adds a table the readers do without (`_READ_WITHOUT`)
        if not all(statement.lstrip().upper().startswith(("CREATE INDEX", *_READ_WITHOUT))
                   for sql in missing for statement in _statements(sql)):
            self.conn.close()
            raise InputError(
                f"{self.path} is read-only and at schema v{version}, not v{latest}: open it once "
                "where it can be written, to upgrade it") from None

    def migrate(self) -> None:
        current = self.schema_version
        for version, _name, sql in self.migrations():
            if version <= current:
                continue
            self.conn.execute("BEGIN IMMEDIATE")
            if self.schema_version >= version:  # another process migrated while we waited
                self.conn.execute("COMMIT")
                continue
            try:
                for statement in _statements(sql):
                    self.conn.execute(statement)
                step = _DATA_STEPS.get(version)
                if step is not None:
                    step(self.conn)
                self.conn.execute(f"PRAGMA user_version={version:d}")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------------

    def add_batch(
        self,
        articles: Sequence[Article],
        rejected: Iterable[Rejected] = (),
        *,
        text_hashes: Sequence[str] | None = None,
        sightings: Iterable[Sighting] = (),
        outlet_lines: Mapping[str, tuple[int, Mapping[int, int]]] | None = None,
        prepared: Sequence[tuple[StoredForm, Sequence[str], Sequence[str]]] | None = None,
    ) -> BatchResult:
        """Write one batch in one transaction: new articles, sightings of known ones, rejects,
        and the outlet line counts learnt from the batch. All of it lands, or none of it.

        `prepared`, one per article, holds each article's `StoredForm` and the match keys of
        its title and body, computed elsewhere; such an article may come without its spans.
        (By position, not by id: two texts of a batch may clean to one article id.)"""
        new = duplicate = quarantined = 0
        now = _now()
        hashes = list(text_hashes) if text_hashes is not None else [""] * len(articles)
        with self.transaction() as cur:
            for i, (article, text_hash) in enumerate(zip(articles, hashes)):
                exists = cur.execute("SELECT 1 FROM articles WHERE id=?", (article.id,)).fetchone()
                if exists:
                    duplicate += 1
                else:
                    new += 1
                    self._insert_article(cur, article, now, prepared[i] if prepared else None)
                self._insert_record(cur, Sighting(article.id, article.external_id, article.origin,
                                                  article.outlet, article.url, text_hash), now)
            for sighting in sightings:
                duplicate += 1
                self._insert_record(cur, sighting, now)
            for item in rejected:
                quarantined += 1
                cur.execute(
                    "INSERT INTO quarantine(origin, reason, sample, ingested_at) VALUES (?,?,?,?)"
                    " ON CONFLICT(origin, reason) DO UPDATE SET ingested_at=excluded.ingested_at",
                    (item.origin, item.reason, item.sample[:500], now),
                )
            for outlet, (added, counts) in (outlet_lines or {}).items():
                cur.execute(
                    "INSERT INTO outlet_counts(outlet, articles) VALUES (?, ?)"
                    " ON CONFLICT(outlet) DO UPDATE SET articles = articles + excluded.articles",
                    (outlet, added),
                )
                cur.executemany(
                    "INSERT INTO outlet_lines(outlet, line_hash, articles) VALUES (?, ?, ?)"
                    " ON CONFLICT(outlet, line_hash) DO UPDATE SET articles = articles + excluded.articles",
                    [(outlet, h, n) for h, n in counts.items()],
                )
        return BatchResult(new, duplicate, quarantined)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on any error). Inside an
        open transaction it joins it, so callers can make several writes land together."""
        cur = self.conn.cursor()
        if self.conn.in_transaction:
            yield cur
            return
        self.begin_write(cur)
        mine = self._transaction = object()
        try:
            yield cur
        except GeneratorExit:
            # an interrupt that landed inside the `with` statement's own exit left this generator
            # suspended; it is closed when collected: perhaps after the store was closed (which
            # rolled the transaction back already, and a traceback then would reach the user),
            # perhaps after a later transaction began (which is not this one to roll back)
            if self._transaction is mine and _in_transaction(self.conn):
                cur.execute("ROLLBACK")
            raise
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        finally:
            if self._transaction is mine:
                self._transaction = None
        cur.execute("COMMIT")

    def begin_write(self, cur: sqlite3.Cursor) -> None:
        """BEGIN IMMEDIATE, waiting up to WRITE_BUSY_SECONDS for a write lock another process
        holds (an open `sqlite3` shell, a database browser, a backup): after a second the wait
        is said, and at its end `DatabaseBusy` names the cause. Nothing is written before."""
        notice_ms = int(WRITE_BUSY_NOTICE_SECONDS * 1000)
        self.conn.execute(f"PRAGMA busy_timeout={notice_ms}")
        try:
            cur.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
        finally:
            self.conn.execute(f"PRAGMA busy_timeout={int(WRITE_BUSY_SECONDS * 1000)}")
        log.warning(f"waiting for another process to release its write lock on {self.path}"
                    f" (up to {WRITE_BUSY_SECONDS:g} s)")
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
            raise DatabaseBusy(
                f"{self.path}: another process holds a write lock on the database (an open sqlite3"
                " shell or database browser, a backup?) and kept it past"
                f" {WRITE_BUSY_SECONDS + WRITE_BUSY_NOTICE_SECONDS:g} s: nothing was written;"
                " retry when it finishes") from None

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads that see one state of the database (a read transaction): a batch
        another process commits meanwhile is seen whole by the next reading, not half by this."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @staticmethod
    def _insert_record(cur: sqlite3.Cursor, sighting: Sighting, now: str) -> None:
        cur.execute(
            "INSERT OR IGNORE INTO records(article_id, external_id, origin, outlet, url, text_hash,"
            " ingested_at) VALUES (?,?,?,?,?,?,?)",
            (sighting.article_id, sighting.external_id, sighting.origin, sighting.outlet,
             sighting.url, sighting.text_hash, now),
        )

    def is_quarantined(self, origin: str, reason: str) -> bool:
        """Is this item in quarantine for this reason already?"""
        return self.conn.execute("SELECT 1 FROM quarantine WHERE origin=? AND reason=?",
                                 (origin, reason)).fetchone() is not None

    def articles_for_text_hashes(self, hashes: Iterable[str]) -> dict[str, str]:
        """text hash -> article id, for the raw texts already ingested."""
        wanted = [h for h in set(hashes) if h]
        found: dict[str, str] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT text_hash, article_id FROM records WHERE text_hash IN ({marks})", chunk
            ):
                found[row[0]] = row[1]
        return found

    def outlet_line_counts(self, outlet: str) -> tuple[int, dict[int, int]]:
        """(articles of the outlet, {line hash: articles containing it})."""
        row = self.conn.execute("SELECT articles FROM outlet_counts WHERE outlet=?", (outlet,)).fetchone()
        if row is None:
            return 0, {}
        counts = dict(
            self.conn.execute(
                "SELECT line_hash, articles FROM outlet_lines WHERE outlet=?", (outlet,)
            ).fetchall()
        )
        return int(row[0]), counts

    def _insert_article(self, cur: sqlite3.Cursor, article: Article, now: str,
                        prepared: tuple[StoredForm, Sequence[str], Sequence[str]] | None = None
                        ) -> None:
        if prepared is None:
            form = stored_form(article)
            title_keys: Sequence[str] = remembered_match_keys(article.title)
            body_keys: Sequence[str] = remembered_match_keys(article.body)
        else:
            form, title_keys, body_keys = prepared
        published = article.published.isoformat() if article.published else None
        cur.execute(
            "INSERT INTO articles(id, outlet, url, title, author, dateline, dateline_place,"
            " dateline_source, published, language, external_id, origin, text, body, spans,"
            " metadata, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.outlet,
                article.url,
                article.title,
                article.author,
                article.dateline,
                article.dateline_place,
                article.dateline_source,
                published,
                article.language,
                article.external_id,
                article.origin,
                article.text,
                article.body,
                form.spans_json,
                json.dumps(dict(article.metadata), ensure_ascii=False),
                now,
            ),
        )
        cur.execute(
            "INSERT INTO articles_fts(rowid, title, body) VALUES (?,?,?)",
            (cur.lastrowid, " ".join(title_keys), " ".join(body_keys)),
        )
        cur.executemany(MENTIONS_INSERT, form.mentions)

    # -- reading ------------------------------------------------------------------------------

    def _article(self, row: sqlite3.Row) -> Article:
        published = datetime.fromisoformat(row["published"]) if row["published"] else None
        return Article(
            id=row["id"],
            text=row["text"],
            outlet=row["outlet"],
            url=row["url"],
            title=row["title"],
            author=row["author"],
            dateline=row["dateline"],
            dateline_place=row["dateline_place"],
            dateline_source=row["dateline_source"],
            published=published,
            body=row["body"],
            language=row["language"],
            external_id=row["external_id"],
            origin=row["origin"],
            metadata=tuple(sorted(json.loads(row["metadata"] or "{}").items())),
            **_spans_from_json(row["spans"], row["text"]),  # type: ignore[arg-type]
        )

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def article(self, article_id: str) -> Article:
        """One article by id, by a unique id prefix of at least 4 characters, or by the id its
        input gave it (when only one article has that id)."""
        cols = ", ".join(_ARTICLE_COLUMNS)
        row = self.conn.execute(f"SELECT {cols} FROM articles WHERE id=?", (article_id,)).fetchone()
        if row is None and len(article_id) >= 4:
            rows = self.conn.execute(
                f"SELECT {cols} FROM articles WHERE id >= ? AND id < ? LIMIT 2",
                (article_id, article_id + "\uffff"),
            ).fetchall()
            if len(rows) == 1:
                row = rows[0]
            elif len(rows) > 1:
                raise NotFound(f"article id prefix {article_id!r} is ambiguous; give more characters")
        if row is None and article_id.strip():
            # the input's own id ('' is stored for records that had none: it names nothing);
            # one the inputs gave to two articles is ambiguous, as a short prefix is
            owners = [r[0] for r in self.conn.execute(
                "SELECT DISTINCT article_id FROM records WHERE external_id=? ORDER BY article_id LIMIT 2",
                (article_id,))]
            if len(owners) > 1:
                raise NotFound(f"external id {article_id!r} is ambiguous: articles {owners[0]} and"
                               f" {owners[1]} have it; give an article id")
            if owners:
                row = self.conn.execute(f"SELECT {cols} FROM articles WHERE id=?", (owners[0],)).fetchone()
        if row is None:
            raise NotFound(f"no article {article_id!r} in {self.path}")
        return self._article(row)

    def articles(
        self, *, limit: int | None = 50, offset: int = 0, outlet: str | None = None
    ) -> list[Article]:
        """Articles, newest publication first (undated last, in ingest order)."""
        return list(self.iter_articles(limit=limit, offset=offset, outlet=outlet))

    def iter_articles(
        self, *, limit: int | None = None, offset: int = 0, outlet: str | None = None
    ) -> Iterator[Article]:
        cols = ", ".join(_ARTICLE_COLUMNS)
        sql = f"SELECT {cols} FROM articles"
        params: list[Any] = []
        if outlet:
            sql += " WHERE outlet=?"
            params.append(outlet)
        sql += f" ORDER BY {newest_first()}"
        sql += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else min(limit, SQL_INT_MAX), min(offset, SQL_INT_MAX)]
        for row in self.conn.execute(sql, params):
            yield self._article(row)

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Articles matching every word of the query, spelling variants and clitics ignored."""
        expression = fts_query(query)
        wanted = set(match_keys(query))
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.published, a.body, bm25(articles_fts) AS score"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY score LIMIT ?",
            (expression, limit),
        ).fetchall()
        return [
            SearchHit(
                article_id=row["id"],
                title=row["title"],
                outlet=row["outlet"],
                published=row["published"],
                snippet=_snippet(row["body"], wanted),
                score=round(-float(row["score"]), 4),
            )
            for row in rows
        ]

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def stats(self) -> dict[str, Any]:
        one = self.conn.execute
        outlets = one(
            "SELECT outlet, count(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC, outlet"
        ).fetchall()
        languages = one(
            "SELECT language, count(*) AS n FROM articles GROUP BY language ORDER BY n DESC"
        ).fetchall()
        span = [one(f"SELECT published FROM articles WHERE {instant()} IS NOT NULL"
                    f" ORDER BY {instant()} {way} LIMIT 1").fetchone() for way in ("", "DESC")]
        span = [row[0] if row else None for row in span]
        # by kind: one row per byte offset or record number says nothing; the table keeps
        # each full reason (`khabar quarantine`)
        kinds: dict[str, int] = {}
        for row in one("SELECT reason, count(*) AS n FROM quarantine GROUP BY reason"):
            kind = reason_kind(row["reason"])
            kinds[kind] = kinds.get(kind, 0) + row["n"]
        return {
            "database": str(self.path),
            "schema_version": self.schema_version,
            "articles": self.count(),
            "records": int(one("SELECT count(*) FROM records").fetchone()[0]),
            "quarantined": int(one("SELECT count(*) FROM quarantine").fetchone()[0]),
            "quarantine_reasons": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
            "outlets": {r["outlet"] or "(unknown)": r["n"] for r in outlets},
            "languages": {r["language"] or "(unknown)": r["n"] for r in languages},
            "first_published": span[0],
            "last_published": span[1],
        }

    def quarantined(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT origin, reason, sample, ingested_at FROM quarantine ORDER BY seq LIMIT ?",
            (-1 if limit is None else limit,),
        ).fetchall()
        return [dict(row) for row in rows]

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])


def _snippet(body: str, wanted: set[str], width: int = 160) -> str:
    """The first body line that contains a query word, cut around it."""
    for line in body.splitlines():
        if wanted & set(match_keys(line)):
            return line if len(line) <= width else line[:width].rsplit(" ", 1)[0] + " …"
    first = body.splitlines()[0] if body else ""
    return first if len(first) <= width else first[:width].rsplit(" ", 1)[0] + " …"


#: Tables whose absence a reader takes as "nothing recorded" (a read-only store made before
#: them is read as it is): the copy relation (migration 16, `khabar.store.stories`); and the
#: search index made again with decimals as one token (migration 18), whose old form answers
#: the same but that ١٢ also finds ١٢٫٥
_READ_WITHOUT = ("CREATE TABLE IF NOT EXISTS ARTICLE_COPIES ", "DROP TABLE IF EXISTS ARTICLES_FTS",
                 "CREATE VIRTUAL TABLE ARTICLES_FTS ")


def _backfill_mentions(conn: sqlite3.Connection) -> None:
    from khabar.store.mentions import backfill

    backfill(conn)


# Python steps that fill what a migration created from the data already stored; they run in
# the migration's transaction, so a database is never left half-migrated.
def _rekey_mentions(conn: sqlite3.Connection) -> None:
    from khabar.store.mentions import rekey

    rekey(conn)


def _lead_titles(conn: sqlite3.Connection) -> None:
    """Name the stories with no title whose first article (the story's id) has none by that
    article's lead, as `khabar.store.stories` names them when it stores them."""
    from khabar.text import lead_title

    rows = conn.execute(
        "SELECT s.id, a.body, a.text, a.dateline FROM stories s JOIN articles a ON a.id = s.id"
        " WHERE s.title = '' AND TRIM(a.title) = ''").fetchall()
    conn.executemany("UPDATE stories SET title=? WHERE id=?",
                     [(title, r[0]) for r in rows
                      if (title := lead_title(r[1] or r[2], dateline=r[3]))])


def _index_again(conn: sqlite3.Connection) -> None:
    """Fill the search index (made again empty by migration 18) from the stored articles, as
    `Store.add_batch` does: the match keys of each title and body, joined by spaces."""
    rows = conn.execute("SELECT seq, title, body FROM articles ORDER BY seq")
    while batch := rows.fetchmany(2000):
        conn.executemany("INSERT INTO articles_fts(rowid, title, body) VALUES (?,?,?)",
                         [(seq, " ".join(match_keys(title or "")), " ".join(match_keys(body or "")))
                          for seq, title, body in batch])


_DATA_STEPS = {5: _backfill_mentions, 11: _rekey_mentions, 12: _rekey_mentions, 13: _rekey_mentions,
               14: _rekey_mentions, 15: _rekey_mentions, 17: _lead_titles, 18: _index_again}


def _in_transaction(conn: sqlite3.Connection) -> bool:
    try:
        return conn.in_transaction
    except sqlite3.ProgrammingError:  # closed
        return False


def _statements(sql: str) -> Iterator[str]:
    """Split a migration into statements (they contain no semicolons inside literals)."""
    buffer: list[str] = []
    for line in sql.splitlines():
        if line.strip().startswith("--"):
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            statement = "\n".join(buffer).strip()
            buffer = []
            if statement.strip(";").strip():
                yield statement
    rest = "\n".join(buffer).strip()
    if rest:
        yield rest
