"""Stories in the SQLite store: all of the SQL for copy groups, the copy relation, stories and
clustering state.

    stories = StoryStore(store)
    stories.assign(new_articles)        # after store.add_batch(...); idempotent
    stories.list_stories(sort="size")   # summaries
    stories.story(story_id)             # one story with its articles

The clustering state that must outlive a run (incremental idf, the stream clock, the active
window's story states, the signatures of the window's articles) is loaded lazily on the first
`assign` and saved with every batch, so a later ingest run can join a story begun earlier and
re-ingesting changes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from khabar.errors import InputError, NotFound
from khabar.model import Article, Story
from khabar.store.order import oldest_first
from khabar.store.sqlite import SQL_INT_MAX, Store
from khabar.stories.cluster import ArticleFeatures, ClusterConfig, StoryState, features
from khabar.stories.dedup import DEFAULT_THRESHOLD, exact_hash
from khabar.stories.stream import Assignment, StoryStream
from khabar.text.tokens import remembered_match_keys
from khabar.times import day

__all__ = ["SORTS", "StoryStore", "summaries"]

SORTS = {
    "size": "size DESC, last_ts DESC, id",
    "recency": "last_ts DESC, size DESC, id",
    "outlets": "n_outlets DESC, size DESC, last_ts DESC, id",
}
_CHUNK = 500


#: Where a batch's assignments are numbered on from; reads the `story_articles_seq` index
#: (migration 0009), not the table, whose scan grew with the store.
LAST_SEQ_SQL = "SELECT COALESCE(MAX(seq), 0) FROM story_articles"

#: A titled member (title, story id, article id) names its story when the story has no title,
#: or has its untitled first article's lead for one (`khabar.text.lead_title`; a story's id is
#: its first article's id) and no other member has a title: the first titled member names it,
#: and re-ingesting it names it again the same.
LEAD_TITLE_REPLACED_SQL = (
    "UPDATE stories SET title=? WHERE id=? AND (title='' OR ("
    "(SELECT TRIM(title) FROM articles WHERE id=stories.id)='' AND NOT EXISTS ("
    "SELECT 1 FROM story_articles sa JOIN articles x ON x.id=sa.article_id"
    " WHERE sa.story_id=stories.id AND sa.article_id!=? AND TRIM(x.title)!='')))")


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds") if ts is not None else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _local_spans(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, dict[str, str]]:
    """Per story: first_seen/last_seen, the published times of its earliest and latest article
    with their own offsets, and first_day/last_day, the earliest and latest day of its articles
    in their own offsets (`khabar.times`). The stories table keeps the span in UTC only, which
    put an article published 01:00+03:00 on the 15th on the 14th; read from the articles, no
    database needs rewriting."""
    spans: dict[str, dict[str, str]] = {}
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT sa.story_id, sa.published_ts, a.published FROM story_articles sa"
            " JOIN articles a ON a.id = sa.article_id"
            f" WHERE sa.story_id IN ({marks}) AND sa.published_ts IS NOT NULL"
            " AND a.published IS NOT NULL ORDER BY sa.published_ts, sa.seq", list(chunk)).fetchall()
        for story_id, _, published in rows:  # by time: the first row is the earliest article
            span = spans.get(story_id)
            if span is None:
                spans[story_id] = {"first_seen": published, "last_seen": published,
                                   "first_day": day(published), "last_day": day(published)}
            else:
                span["last_seen"] = published
                span["first_day"] = min(span["first_day"], day(published))
                span["last_day"] = max(span["last_day"], day(published))
    return spans


def summaries(conn: sqlite3.Connection, rows: Iterable[sqlite3.Row]) -> list[dict[str, Any]]:
    """Story summaries from `stories` rows (id, title, size, n_outlets, outlets, first_seen,
    last_seen), their times in the articles' own offsets (`_local_spans`)."""
    rows = list(rows)
    spans = _local_spans(conn, [r["id"] for r in rows])
    out = []
    for r in rows:
        # a story whose articles are gone keeps its stored UTC span
        span = spans.get(r["id"]) or {"first_seen": r["first_seen"], "last_seen": r["last_seen"],
                                      "first_day": day(r["first_seen"]) or None,
                                      "last_day": day(r["last_seen"]) or None}
        out.append({"id": r["id"], "title": r["title"], "size": r["size"], "n_outlets": r["n_outlets"],
                    "outlets": json.loads(r["outlets"]), **span})
    return out


def _chunks(items: Sequence[str], n: int = _CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


class StoryStore:
    """Stories of one `Store` (see the module docstring)."""

    def __init__(self, store: Store, config: ClusterConfig | None = None, *,
                 dedup_threshold: float = DEFAULT_THRESHOLD) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.conn
        self.config = config or ClusterConfig()
        self.dedup_threshold = dedup_threshold
        self._stream: StoryStream | None = None

    # -- state ----------------------------------------------------------------------------------

    def _story_of(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT story_id FROM story_articles WHERE article_id=?",
                                (article_id,)).fetchone()
        return row[0] if row else None

    def stream(self) -> StoryStream:
        """The stream with the state saved so far (loaded once per StoryStore)."""
        if self._stream is not None:
            return self._stream
        stream = StoryStream(self.config, dedup_threshold=self.dedup_threshold,
                             story_lookup=self._story_of)
        # the articles loaded below come without their shingle sets: the index asks for a
        # candidate's keys when it needs them (see DedupIndex.keys_lookup)
        stream.dedup.keys_lookup = self._body_keys
        cl = stream.clusterer
        meta = dict(self.conn.execute("SELECT key, value FROM story_meta").fetchall())
        cl.n_docs = int(meta.get("n_docs", 0))
        cl.now = float(meta["now"]) if meta.get("now") else None
        cl.df.update(dict(self.conn.execute("SELECT term, df FROM story_df").fetchall()))
        if cl.now is not None:
            horizon = cl.now - self.config.window_days * 86400.0
            rows = self.conn.execute(
                "SELECT id, title, first_ts, last_ts, size, state FROM stories"
                " WHERE last_ts >= ? OR last_ts IS NULL ORDER BY rowid", (horizon,)).fetchall()
        else:
            rows = self.conn.execute(
                "SELECT id, title, first_ts, last_ts, size, state FROM stories ORDER BY rowid"
            ).fetchall()
        for row in rows:
            try:
                state = json.loads(row["state"] or "{}")
                if not state:
                    continue
                restored = StoryState.from_json(row["id"], row["title"], row["first_ts"],
                                                row["last_ts"], row["size"], state)
            except (ValueError, KeyError, TypeError, AttributeError) as e:  # binascii.Error too
                raise InputError(f"story {row['id']}: its clustering state in the database is "
                                 f"damaged and cannot be loaded ({type(e).__name__}: {e})") from e
            cl.restore(restored)
        # The near-duplicate index holds what the run that saved this state held: every article
        # inside the window, whatever its story's state (a copy can join a story that has left the
        # window), and the undated articles of the active stories.
        cols = ("SELECT seq, article_id, story_id, copy_group, exact_hash, minhash, shingles, outlet,"
                " published_ts FROM story_articles")
        if cl.now is None:
            found = self.conn.execute(cols).fetchall()
        else:
            found = self.conn.execute(cols + " WHERE published_ts >= ?",
                                      (cl.now - self.config.window_days * 86400.0,)).fetchall()
            for chunk in _chunks(list(cl.active)):
                marks = ",".join("?" * len(chunk))
                found += self.conn.execute(
                    cols + f" WHERE published_ts IS NULL AND story_id IN ({marks})", list(chunk)
                ).fetchall()
        for r in sorted(found, key=lambda r: r["seq"]):
            sig = np.frombuffer(r["minhash"], dtype=np.uint32).copy() if r["minhash"] else None
            stream.dedup.restore(r["article_id"], r["copy_group"], sig, r["exact_hash"],
                                 r["outlet"], size=r["shingles"] or None)
            stream.story_of[r["article_id"]] = r["story_id"]
            if r["published_ts"] is not None and sig is not None:
                stream._recent.append((r["published_ts"], r["article_id"]))
        stream._recent.sort()  # a sorted list is a heap
        self._stream = stream
        return stream

    def _body_keys(self, article_id: str) -> Sequence[str] | None:
        """A stored article's body keys, as `features` makes them (None: not stored)."""
        row = self.conn.execute("SELECT body, text FROM articles WHERE id=?",
                                (article_id,)).fetchone()
        return None if row is None else remembered_match_keys(row[0] or row[1])

    def forget_state(self) -> None:
        """Drop the clustering state held in memory (another process wrote): reloaded on the
        next `assign`."""
        self._stream = None

    def _known(self, ids: Sequence[str]) -> set[str]:
        known: set[str] = set()
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            known.update(r[0] for r in self.conn.execute(
                f"SELECT article_id FROM story_articles WHERE article_id IN ({marks})", list(chunk)))
        return known

    def _load_exact(self, stream: StoryStream, feats: Sequence[ArticleFeatures]) -> None:
        """Make earlier articles with the same text as this batch's known to the dedup index,
        however old they are (the LSH index only holds the active window)."""
        own = (f.fingerprint.exact_hash if f.fingerprint else exact_hash(f.body_keys) for f in feats)
        hashes = sorted({h for h in own if h}
                        - set(stream.dedup._exact))
        for chunk in _chunks(hashes):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                "SELECT article_id, story_id, copy_group, exact_hash, outlet FROM story_articles"
                f" WHERE exact_hash IN ({marks}) ORDER BY seq", list(chunk)):
                if r["article_id"] in stream.dedup:
                    continue
                stream.dedup.restore(r["article_id"], r["copy_group"], None, r["exact_hash"],
                                     r["outlet"])
                stream.story_of[r["article_id"]] = r["story_id"]

    # -- writing ---------------------------------------------------------------------------------

    def assign(self, articles: Iterable[Article | ArticleFeatures]) -> list[Assignment]:
        """Give each new article a copy group and a story and save it (articles already
        assigned are skipped, so re-ingesting changes nothing). Runs in the caller's
        transaction when one is open, else in its own."""
        feats = [a if isinstance(a, ArticleFeatures) else features(a) for a in articles]
        if not feats:
            return []
        known = self._known([f.id for f in feats])
        feats = [f for f in feats if f.id not in known]
        if not feats:
            return []
        stream = self.stream()
        self._load_exact(stream, feats)
        cl = stream.clusterer
        cl.dirty_terms.clear()
        cl.touched.clear()
        try:
            assignments = stream.assign(feats)
            self._save(stream, assignments)
        except BaseException:
            self._stream = None  # memory may be ahead of the database: reload next time
            raise
        return assignments

    def unassigned_ids(self) -> list[str]:
        """Stored articles with no story yet (a database made before stories existed, or a
        run that stopped between storing a batch and clustering it)."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles)"
            f" ORDER BY {oldest_first()}")]

    def backfill(self, batch_size: int = 1000) -> int:
        """Assign every stored article that has no story yet; returns how many."""
        ids = self.unassigned_ids()
        done = 0
        for chunk in _chunks(ids, batch_size):
            done += len(self.assign([self.store.article(i) for i in chunk]))
        return done

    def _save(self, stream: StoryStream, assignments: list[Assignment]) -> None:
        own = not self.conn.in_transaction
        cur = self.conn.cursor()
        if own:
            self.store.begin_write(cur)
        try:
            now = _now()
            seq = cur.execute(LAST_SEQ_SQL).fetchone()[0]
            added: dict[str, list[Assignment]] = {}  # the members this batch really stored
            for a in assignments:
                cur.execute(
                    "INSERT OR IGNORE INTO stories(id, title, first_ts, last_ts, updated_at)"
                    " VALUES (?,?,?,?,?)", (a.story, a.story_title, a.time, a.time, now))
                seq += 1
                cur.execute(
                    "INSERT OR IGNORE INTO story_articles(article_id, story_id, copy_group,"
                    " exact_hash, minhash, shingles, outlet, published_ts, score, seq)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (a.article_id, a.story, a.copy_group, a.exact_hash,
                     a.signature.tobytes() if a.signature is not None else None, a.shingles,
                     a.outlet, a.time, a.score, seq))
                if cur.rowcount == 1:
                    added.setdefault(a.story, []).append(a)
                    if a.copies:
                        cur.executemany(
                            "INSERT OR IGNORE INTO article_copies(article_id, copies, jaccard,"
                            " containment) VALUES (?,?,?,?)",
                            [(a.article_id, c.id, round(c.jaccard, 6), round(c.containment, 6))
                             for c in a.copies])
                if a.title.strip():
                    # the first titled member names a story that its untitled first article
                    # named by its lead (the story's id is that article's id)
                    cur.execute(LEAD_TITLE_REPLACED_SQL, (a.title, a.story, a.article_id))
            cl = stream.clusterer
            for sid in sorted({a.story for a in assignments}):
                # the story's totals carried on from its row with the members just stored, in
                # seq order (as COUNT, MIN and MAX of published_ts and the outlets by their
                # first member over story_articles give them, without reading every member of
                # a long story again at each batch that touches it)
                size, first, last, outlets_json = cur.execute(
                    "SELECT size, first_ts, last_ts, outlets FROM stories WHERE id=?", (sid,)).fetchone()
                outlets: list[str] = json.loads(outlets_json) if size else []
                times = [] if not size else [t for t in (first, last) if t is not None]
                new = added.get(sid, ())
                times.extend(a.time for a in new if a.time is not None)
                seen = set(outlets)
                for a in new:
                    if a.outlet and a.outlet not in seen:
                        seen.add(a.outlet)
                        outlets.append(a.outlet)
                agg = (size + len(new), min(times, default=None), max(times, default=None))
                state = cl.active.get(sid)
                cur.execute(
                    "UPDATE stories SET size=?, first_ts=?, last_ts=?, first_seen=?, last_seen=?,"
                    " n_outlets=?, outlets=?, state=?, updated_at=? WHERE id=?",
                    (agg[0], agg[1], agg[2], _iso(agg[1]), _iso(agg[2]), len(outlets),
                     json.dumps(outlets, ensure_ascii=False),
                     state.to_json_text() if state is not None else "{}", now, sid))
            cur.executemany(
                "INSERT INTO story_df(term, df) VALUES (?,?)"
                " ON CONFLICT(term) DO UPDATE SET df=excluded.df",
                [(t, cl.df[t]) for t in sorted(cl.dirty_terms)])
            cur.executemany(
                "INSERT INTO story_meta(key, value) VALUES (?,?)"
                " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                [("n_docs", str(cl.n_docs)), ("now", repr(cl.now) if cl.now is not None else "")])
            # stories that left the window keep their summary but drop their state
            if cl.now is not None:
                horizon = cl.now - self.config.window_days * 86400.0
                cur.execute("UPDATE stories SET state='{}' WHERE last_ts < ? AND state != '{}'",
                            (horizon,))
        except BaseException:
            if own:
                cur.execute("ROLLBACK")
            raise
        if own:
            cur.execute("COMMIT")
        stream.clusterer.dirty_terms.clear()

    # -- reading ---------------------------------------------------------------------------------

    def list_stories(self, sort: str = "size", limit: int | None = 50, *,
                     min_size: int = 1) -> list[dict[str, Any]]:
        """Story summaries: id, title, size, outlets, first/last time."""
        if sort not in SORTS:
            raise InputError(f"unknown sort {sort!r} (choose from {', '.join(SORTS)})")
        sql = ("SELECT id, title, size, n_outlets, outlets, first_seen, last_seen FROM stories"
               f" WHERE size >= ? ORDER BY {SORTS[sort]}")
        params: list[Any] = [min(min_size, SQL_INT_MAX)]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(min(limit, SQL_INT_MAX))
        return summaries(self.conn, self.conn.execute(sql, params))

    def story(self, story_id: str) -> dict[str, Any]:
        """One story with its articles (id, outlet, published, title, copy group)."""
        with self.store.reading():  # the summary and the members from the same batch
            return self._story(story_id)

    def _story(self, story_id: str) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT id, title, size, n_outlets, outlets, first_seen, last_seen FROM stories"
            " WHERE id=?", (story_id,)).fetchone()
        if row is None:
            # as with article ids, an unambiguous prefix of at least 4 characters is enough
            found = self.conn.execute(
                "SELECT id FROM stories WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                (story_id, story_id + "\uffff")).fetchall() if len(story_id) >= 4 else []
            if len(found) == 2:
                raise NotFound(f"story id prefix {story_id!r} is ambiguous; give more characters")
            if not found:
                raise NotFound(f"no story {story_id!r}")
            return self._story(found[0][0])
        members = self.conn.execute(
            "SELECT sa.article_id, sa.copy_group, sa.outlet, sa.published_ts, sa.score,"
            " a.title AS title, a.published AS published FROM story_articles sa"
            " LEFT JOIN articles a ON a.id = sa.article_id"
            " WHERE sa.story_id=? ORDER BY sa.seq", (story_id,)).fetchall()
        copies = self._copies([m["article_id"] for m in members])
        return {
            **summaries(self.conn, [row])[0],
            "articles": [
                # published as the outlet gave it, offset included (UTC only if the article is gone)
                {"id": m["article_id"], "outlet": m["outlet"],
                 "published": m["published"] or _iso(m["published_ts"]),
                 "title": m["title"] or "", "copy_group": m["copy_group"],
                 "copies": [c["id"] for c in copies.get(m["article_id"], ())], "score": m["score"]}
                for m in members
            ],
        }

    def story_model(self, story_id: str) -> Story:
        data = self.story(story_id)
        return Story(
            id=data["id"], article_ids=tuple(a["id"] for a in data["articles"]),
            title=data["title"], outlets=tuple(data["outlets"]),
            first_seen=datetime.fromisoformat(data["first_seen"]) if data["first_seen"] else None,
            last_seen=datetime.fromisoformat(data["last_seen"]) if data["last_seen"] else None,
        )

    def story_of(self, article_id: str) -> str | None:
        return self._story_of(article_id)

    def _has_copies(self) -> bool:
        """Whether the store has the copy relation's table (a read-only store made before
        migration 16 is read without it)."""
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table'"
                                 " AND name='article_copies'").fetchone() is not None

    def _copies(self, ids: Sequence[str], *, later: bool = False
                ) -> dict[str, list[dict[str, Any]]]:
        """Article id -> the earlier articles it copies (`later`: the later articles that copy
        it), each {id, jaccard, containment}, most similar first (as `DedupIndex.copies_of`)."""
        if not ids or not self._has_copies():
            return {}
        own, other = ("copies", "article_id") if later else ("article_id", "copies")
        out: dict[str, list[dict[str, Any]]] = {}
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                    f"SELECT {own}, {other}, jaccard, containment FROM article_copies"
                    f" WHERE {own} IN ({marks})"
                    f" ORDER BY MAX(jaccard, containment * 0.99) DESC, {other}", list(chunk)):
                out.setdefault(r[0], []).append({"id": r[1], "jaccard": r[2], "containment": r[3]})
        return out

    def copies_of(self, article_id: str) -> list[dict[str, Any]]:
        """The earlier articles an article was verified to copy when it was clustered, whichever
        copy group each is in: [{id, jaccard, containment}], most similar first (none for an
        article clustered before the store recorded them)."""
        return self._copies([article_id]).get(article_id, [])

    def copied_by(self, article_id: str) -> list[dict[str, Any]]:
        """The later articles verified to copy an article: [{id, jaccard, containment}]."""
        return self._copies([article_id], later=True).get(article_id, [])

    def copy_groups(self, limit: int | None = 50) -> list[dict[str, Any]]:
        """Copy groups with ≥ 2 members: id, size, how many outlets carried the text, members
        (a partition: an article copying texts of two groups is in one; `copies_of` has all)."""
        sql = "SELECT id, size, n_outlets FROM copy_groups ORDER BY size DESC, first_seq"
        rows = self.conn.execute(sql + (" LIMIT ?" if limit is not None else ""),
                                 (limit,) if limit is not None else ()).fetchall()
        out = []
        for r in rows:
            members = [m[0] for m in self.conn.execute(
                "SELECT article_id FROM story_articles WHERE copy_group=? ORDER BY seq", (r[0],))]
            out.append({"id": r[0], "size": r[1], "n_outlets": r[2], "members": members})
        return out
