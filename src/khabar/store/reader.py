"""Queries for readers of the store (the web reader and the HTTP API): stories filtered by date,
outlet, name or words with a total for paging, stories per day, the most cited names, and the
articles that mention a name. As everywhere in khabar, the SQL lives in the store.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from collections.abc import Sequence
from typing import Any

from khabar.errors import InputError, NotFound
from khabar.store.order import instant, newest_first
from khabar.store.sqlite import SQL_INT_MAX, Store, fts_query
from khabar.store.stories import SORTS, summaries
from khabar.times import AHEAD, BEHIND

__all__ = ["ReaderQueries", "ascii_day", "check_search_query", "day_bounds"]

# FTS5 syntax that a user may type expecting it to work. khabar's search matches every word
# (spelling variants and clitics ignored) and takes no operators, so rather than silently
# searching for the word "or", such a query is refused with a reason.
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


_TIME = re.compile(r"\d{1,2}(?::\d{1,2}){1,2}")


def check_search_query(query: str) -> None:
    """Raise `InputError` for a query that holds search syntax khabar does not take.

    >>> check_search_query("سيول العقبة")
    >>> check_search_query("OR OR")
    Traceback (most recent call last):
    ...
    khabar.errors.InputError: search takes plain words: 'OR' is an operator, and operators are not supported
    """
    if not query.strip():
        raise InputError("empty search: give one or more words")
    if query.count('"') % 2:
        raise InputError('unbalanced quote (") in the search')
    if "(" in query or ")" in query:
        raise InputError("search takes plain words: parentheses (grouping, NEAR(...)) are not supported")
    if "*" in query:
        raise InputError("search takes plain words: * (prefix search) is not supported; spelling variants and clitics are already matched")
    for word in query.replace('"', " ").split():
        if word in _OPERATORS:
            raise InputError(f"search takes plain words: {word!r} is an operator, and operators are not supported")
        # also column filters (title:word, {title body}:word), a leading - and FTS4's NEAR/n;
        # a time or a score (10:30, ٢:١) is a plain word
        if word.startswith(("^", ":", "+", "-", "{")) or (":" in word and not _TIME.fullmatch(word)) \
                or word.upper().startswith("NEAR/"):
            raise InputError(f"search takes plain words: {word!r} holds search syntax that is not supported")


#: A day typed with Eastern Arabic or Persian digits (٢٠٢٦-٠٣-١٥) is the same day.
_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def ascii_day(value: str | None) -> str | None:
    """A day (YYYY-MM-DD) as given, its Eastern Arabic or Persian digits made ASCII."""
    return value.translate(_ASCII_DIGITS) if value else value


def day_bounds(since: str | None, until: str | None) -> tuple[float | None, float | None]:
    """UTC timestamps for an inclusive day range given as YYYY-MM-DD (either end may be open):
    the UTC midnights starting `since` and ending `until`."""

    def parse(value: str, name: str) -> date:
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise InputError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None

    start = end = None
    if since:
        start = datetime.combine(parse(since, "since"), datetime.min.time(), UTC).timestamp()
    if until:
        day_after = parse(until, "until") + timedelta(days=1)
        end = datetime.combine(day_after, datetime.min.time(), UTC).timestamp()
    if start is not None and end is not None and end <= start:
        raise InputError(f"until ({until}) is before since ({since})")
    return start, end


#: Whether a story (the `stories` row at hand) has an article whose own day is on the side
#: `op` of a given YYYY-MM-DD.
_HAS_DAY = ("EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            " WHERE sa.story_id = stories.id AND substr(a.published, 1, 10) {op} ?)")


def _like_literal(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


class ReaderQueries:
    """Read-only queries over one `Store` for the reader (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.conn

    def find_stories(
        self,
        *,
        sort: str = "recency",
        limit: int = 50,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        outlet: str | None = None,
        query: str | None = None,
        entity: str | None = None,
        story_ids: list[str] | None = None,
        min_size: int = 1,
    ) -> tuple[list[dict[str, Any]], int]:
        """(one page of story summaries, how many stories match in all).

        `since`/`until` keep stories whose time span overlaps the days; `outlet` those an outlet
        carried; `query` those with an article matching every word; `entity` those with an
        article naming it (canonical name or text); `story_ids` restricts to given stories.
        """
        if sort not in SORTS:
            raise InputError(f"unknown sort {sort!r} (choose from {', '.join(SORTS)})")
        clause, params = self.story_filter(since=since, until=until, outlet=outlet, query=query,
                                           entity=entity, story_ids=story_ids, min_size=min_size)
        total = int(self.conn.execute(f"SELECT COUNT(*) FROM stories WHERE {clause}", params).fetchone()[0])
        rows = self.conn.execute(
            "SELECT id, title, size, n_outlets, outlets, first_seen, last_seen FROM stories"
            f" WHERE {clause} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
            [*params, min(limit, SQL_INT_MAX), min(offset, SQL_INT_MAX)])
        return summaries(self.conn, rows), total

    def story_filter(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        outlet: str | None = None,
        query: str | None = None,
        entity: str | None = None,
        story_ids: list[str] | None = None,
        min_size: int = 1,
    ) -> tuple[str, list[Any]]:
        """The WHERE clause over `stories` (and its parameters) that `find_stories` filters by."""
        # every story has an article: without a real minimum the count runs on an index instead
        # of scanning the stories table (whose rows carry the clustering state)
        where = ["size >= ?"] if min_size > 1 else ["1"]
        params: list[Any] = [min(min_size, SQL_INT_MAX)] if min_size > 1 else []
        # Days are the articles' own calendar days (`khabar.times`): a story is kept when one of
        # its articles is on `since` or later and one on `until` or earlier. The UTC span decides
        # all but the stories within a zone's offset of a bound, whose articles' days are read.
        since, until = ascii_day(since), ascii_day(until)
        start, end = day_bounds(since, until)
        if start is not None:
            where.append(f"(last_ts >= ? OR (last_ts >= ? AND {_HAS_DAY.format(op='>=')}))")
            params += [start + BEHIND, start - AHEAD, (since or "").strip()[:10]]
        if end is not None:
            where.append(f"(first_ts < ? OR (first_ts < ? AND {_HAS_DAY.format(op='<=')}))")
            params += [end - AHEAD, end + BEHIND, (until or "").strip()[:10]]
        if outlet:
            where.append("id IN (SELECT story_id FROM story_articles WHERE outlet = ?)")
            params.append(outlet)
        if query:
            check_search_query(query)
            where.append(
                "id IN (SELECT sa.story_id FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
                " JOIN story_articles sa ON sa.article_id = a.id WHERE articles_fts MATCH ?)")
            params.append(fts_query(query))
        if entity:
            clause, values = self._entity_clause(entity)
            where.append(clause)
            params += values
        if story_ids is not None:
            ids = list(story_ids)[:5000] or [""]
            where.append(f"id IN ({','.join('?' * len(ids))})")
            params += ids
        return " AND ".join(where), params

    def _entity_clause(self, entity: str) -> tuple[str, list[Any]]:
        """Stories naming `entity`: through the mentions index when the name is in it (a key such
        as `PER:...`, a name in any spelling, or part of one), else by the canonical name or
        speaker written in the stored spans."""
        key = None
        try:
            from khabar.store.mentions import MentionIndex

            key = MentionIndex(self.conn).resolve(entity)
        except (ImportError, NotFound, sqlite3.OperationalError):
            key = None
        if key:
            return (("id IN (SELECT sa.story_id FROM mentions m JOIN story_articles sa ON sa.article_id = m.article_id"
                    " WHERE (m.kind = 'entity' AND m.key = ?) OR (m.kind = 'quote' AND m.key = ?))"),
                    [key, key.partition(":")[2]])
        quoted = _like_literal(json.dumps(entity, ensure_ascii=False))
        return (("id IN (SELECT sa.story_id FROM articles a JOIN story_articles sa ON sa.article_id = a.id"
                " WHERE a.spans LIKE ? ESCAPE '\\' OR a.spans LIKE ? ESCAPE '\\')"),
                [f'%"canonical":{quoted}%', f'%"speaker":{quoted}%'])

    def _latest_ts(self, within: str = "", params: Sequence[Any] = ()) -> float | None:
        row = self.conn.execute(f"SELECT MAX(published_ts) FROM story_articles sa WHERE 1{within}",
                                params).fetchone()
        return row[0] if row and row[0] is not None else None

    @staticmethod
    def _within(stories: tuple[str, list[Any]] | None, column: str) -> tuple[str, list[Any]]:
        """` AND column IN (the stories a `story_filter` clause keeps)`, or nothing."""
        if stories is None:
            return "", []
        return f" AND {column} IN (SELECT id FROM stories WHERE {stories[0]})", list(stories[1])

    def stories_per_day(self, days: int = 30, *,
                        stories: tuple[str, list[Any]] | None = None) -> list[dict[str, Any]]:
        """New stories and articles per day over the last `days` days of the data (not of the
        clock: an archive's last day is its "today"); with `stories` (a `story_filter`), of
        the stories it keeps only."""
        within, wparams = self._within(stories, "sa.story_id")
        latest = self._latest_ts(within, wparams)
        if latest is None:
            return []
        horizon = latest - days * 86400.0
        # each article on its own day (`khabar.times`), each story on its first article's day
        articles = dict(self.conn.execute(
            "SELECT substr(a.published, 1, 10), COUNT(*) FROM story_articles sa"
            f" JOIN articles a ON a.id = sa.article_id WHERE sa.published_ts > ?{within} GROUP BY 1",
            (horizon, *wparams)).fetchall())
        stories_by_day = dict(self.conn.execute(
            "SELECT day, COUNT(*) FROM (SELECT MIN(substr(a.published, 1, 10)) AS day FROM stories s"
            " JOIN story_articles sa ON sa.story_id = s.id JOIN articles a ON a.id = sa.article_id"
            f" WHERE s.first_ts > ?{within} GROUP BY s.id) GROUP BY day", (horizon, *wparams)).fetchall())
        return [{"day": day, "stories": stories_by_day.get(day, 0), "articles": articles.get(day, 0)}
                for day in sorted(set(articles) | set(stories_by_day))]

    def cited_entities(
        self, labels: tuple[str, ...] = ("PER", "LOC"), *, days: int = 30, limit: int = 10,
        max_articles: int = 2000, stories: tuple[str, list[Any]] | None = None,
    ) -> dict[str, list[dict[str, Any]]]:
        """The names most articles mention over the last `days` days of the data, per label
        (counted over at most the newest `max_articles` articles, to bound the work); with
        `stories` (a `story_filter`), in the articles of the stories it keeps only."""
        if stories is not None:
            inner, wparams = self._within(stories, "sa.story_id")
            within = f" AND id IN (SELECT sa.article_id FROM story_articles sa WHERE 1{inner})"
        else:
            within, wparams = "", []
        latest = self.conn.execute(f"SELECT MAX({instant()}) FROM articles WHERE 1{within}",
                                   wparams).fetchone()[0]
        if latest is None:
            return {label: [] for label in labels}
        horizon = latest - days  # julian days
        marks = ",".join("?" * len(labels))
        if self._has_mentions():
            return self._cited_from_mentions(labels, horizon, limit, max_articles, within, wparams)
        rows = self.conn.execute(
            "SELECT COALESCE(NULLIF(json_extract(e.value, '$.canonical'), ''),"
            " json_extract(e.value, '$.text')) AS name, json_extract(e.value, '$.label') AS label,"
            " COUNT(DISTINCT a.id) AS n"
            f" FROM (SELECT id, spans FROM articles WHERE {instant()} > ?{within}"
            f" ORDER BY {instant()} DESC LIMIT ?) a,"
            " json_each(a.spans, '$.entities') e"
            f" WHERE json_extract(e.value, '$.label') IN ({marks})"
            " GROUP BY name, label ORDER BY n DESC, name",
            (horizon, *wparams, max_articles, *labels)).fetchall()
        out: dict[str, list[dict[str, Any]]] = {label: [] for label in labels}
        for r in rows:
            if len(out[r["label"]]) < limit:
                out[r["label"]].append({"canonical": r["name"], "label": r["label"], "n_articles": r["n"]})
        return out

    def _has_mentions(self) -> bool:
        try:
            return self.conn.execute("SELECT 1 FROM mentions WHERE kind = 'entity' LIMIT 1").fetchone() is not None
        except sqlite3.OperationalError:  # a store without the mentions index
            return False

    def _cited_from_mentions(self, labels: tuple[str, ...], horizon: float, limit: int,
                             max_articles: int, within: str = "", wparams: Sequence[Any] = (),
                             ) -> dict[str, list[dict[str, Any]]]:
        """`cited_entities` through the mentions index (one row per name in an article), with
        each name's key and the canonical spelling written most often."""
        from khabar.store.mentions import MentionIndex

        marks = ",".join("?" * len(labels))
        rows = self.conn.execute(
            "SELECT m.key, m.label, COUNT(DISTINCT m.article_id) AS n"
            f" FROM (SELECT id FROM articles WHERE {instant()} > ?{within} ORDER BY {instant()} DESC LIMIT ?) a"
            # CROSS JOIN keeps this order: the period's articles first, their mentions by index
            " CROSS JOIN mentions m ON m.article_id = a.id"
            f" WHERE m.kind = 'entity' AND m.label IN ({marks})"
            " GROUP BY m.key, m.label ORDER BY n DESC, m.key",
            (horizon, *wparams, max_articles, *labels)).fetchall()
        top: dict[str, list[tuple[str, int]]] = {label: [] for label in labels}
        for key, label, n in rows:
            if len(top[label]) < limit:
                top[label].append((key, n))
        names = MentionIndex(self.conn)._canonical_names([k for group in top.values() for k, _ in group])
        return {label: [{"key": k, "canonical": names.get(k, k.partition(":")[2]), "label": label, "n_articles": n}
                        for k, n in group] for label, group in top.items()}

    def entity_mentions(self, name: str, *, limit: int = 200) -> dict[str, Any]:
        """Articles that name `name` (as an entity's canonical name or text, or as a quote's
        speaker), newest first, with their stories and the quotes `name` is given."""
        quoted = _like_literal(json.dumps(name, ensure_ascii=False))
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.published, a.spans, sa.story_id FROM articles a"
            " LEFT JOIN story_articles sa ON sa.article_id = a.id"
            " WHERE a.spans LIKE ? ESCAPE '\\' OR a.spans LIKE ? ESCAPE '\\' OR a.spans LIKE ? ESCAPE '\\'"
            f" ORDER BY {newest_first('a')} LIMIT ?",
            (f'%"canonical":{quoted}%', f'%"text":{quoted}%', f'%"speaker":{quoted}%', limit)).fetchall()
        articles: list[dict[str, Any]] = []
        quotes: list[dict[str, Any]] = []
        labels: dict[str, int] = {}
        aliases: set[str] = set()
        for r in rows:
            spans = json.loads(r["spans"] or "{}")
            hit = False
            for e in spans.get("entities", ()):
                if name in (e.get("canonical"), e.get("text")):
                    hit = True
                    labels[e.get("label", "MISC")] = labels.get(e.get("label", "MISC"), 0) + 1
                    aliases.add(e.get("text", ""))
            for q in spans.get("quotes", ()):
                if q.get("speaker") == name:
                    hit = True
                    quotes.append({"speaker": name, "text": q.get("text", ""), "verb": q.get("verb", ""),
                                   "direct": q.get("direct", True), "article_id": r["id"],
                                   "outlet": r["outlet"], "start": q.get("start"), "end": q.get("end")})
            if hit:
                articles.append({"id": r["id"], "title": r["title"], "outlet": r["outlet"],
                                 "published": r["published"], "story": r["story_id"]})
        label = max(labels, key=lambda k: labels[k]) if labels else ("PER" if quotes else "")
        stories: dict[str, int] = {}
        for a in articles:
            if a["story"]:
                stories[a["story"]] = stories.get(a["story"], 0) + 1
        return {"canonical": name, "label": label, "aliases": sorted(aliases - {name, ""}),
                "articles": articles, "stories": sorted(stories, key=lambda s: -stories[s]),
                "quotes": quotes}

    def outlets(self) -> list[dict[str, Any]]:
        """Every outlet with how many articles it has, most first."""
        return [{"outlet": r[0], "articles": r[1]} for r in self.conn.execute(
            "SELECT outlet, COUNT(*) AS n FROM articles WHERE outlet != '' GROUP BY outlet"
            " ORDER BY n DESC, outlet")]

    def stories_by_id(self, ids: list[str]) -> list[dict[str, Any]]:
        """Summaries of the given stories, in the given order (unknown ids left out)."""
        found: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for summary in summaries(self.conn, self.conn.execute(
                "SELECT id, title, size, n_outlets, outlets, first_seen, last_seen FROM stories"
                f" WHERE id IN ({','.join('?' * len(chunk))})", chunk)):
                found[summary["id"]] = summary
        return [found[i] for i in ids if i in found]

    def article_details(self, ids: list[str], *, lead_chars: int = 400) -> dict[str, dict[str, Any]]:
        """Per article id: its lead (the body's first characters) and its quantity, quote, date
        and entity spans, without building whole articles (a story page needs only these)."""
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for r in self.conn.execute(
                "SELECT id, substr(body, 1, ?) AS lead, json_extract(spans, '$.quantities') AS quantities,"
                " json_extract(spans, '$.quotes') AS quotes, json_extract(spans, '$.dates') AS dates,"
                " json_extract(spans, '$.entities') AS entities FROM articles"
                f" WHERE id IN ({','.join('?' * len(chunk))})", [lead_chars, *chunk]):
                out[r["id"]] = {
                    "lead": r["lead"],
                    **{k: json.loads(r[k]) if r[k] else [] for k in ("quantities", "quotes", "dates", "entities")},
                }
        return out
