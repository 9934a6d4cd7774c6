"""Read-only checks of a khabar database for the reliability tests (crash, concurrency).

`audit(path)` lists what is inconsistent (empty when the store is whole); `snapshot(path)`
returns everything an ingest decides (articles, records, quarantine, outlet line counts,
stories, copy groups, clustering state) without timestamps, so two stores built from the
same input can be compared with ==.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def _connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def audit(path: Path | str) -> list[str]:
    """What is wrong with the store at `path` (integrity, orphans, summaries that disagree)."""
    problems: list[str] = []
    conn = _connect(path)
    try:
        conn.execute("BEGIN")  # one snapshot for every check
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:3]}")
        tables = _tables(conn)
        # any table that points at articles or stories must point at existing ones
        for table in tables:
            if table.startswith(("articles_fts", "sqlite_")):
                continue
            cols = _columns(conn, table)
            if "article_id" in cols and table != "articles":
                n = conn.execute(f"SELECT count(*) FROM {table} WHERE article_id NOT IN"
                                 " (SELECT id FROM articles)").fetchone()[0]
                if n:
                    problems.append(f"{n} rows of {table} point at no article")
            if "story_id" in cols and "stories" in tables:
                n = conn.execute(f"SELECT count(*) FROM {table} WHERE story_id NOT IN"
                                 " (SELECT id FROM stories)").fetchone()[0]
                if n:
                    problems.append(f"{n} rows of {table} point at no story")
        n = conn.execute("SELECT count(*) FROM articles WHERE id NOT IN"
                         " (SELECT article_id FROM records)").fetchone()[0]
        if n:
            problems.append(f"{n} articles without an input record")
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        if fts != articles:
            problems.append(f"{fts} full-text rows for {articles} articles")
        if "stories" in tables:
            n = conn.execute("SELECT count(*) FROM articles WHERE id NOT IN"
                             " (SELECT article_id FROM story_articles)").fetchone()[0]
            if n:
                problems.append(f"{n} articles without a story")
            bad = conn.execute(
                "SELECT s.id, s.size, count(sa.article_id) FROM stories s"
                " LEFT JOIN story_articles sa ON sa.story_id = s.id GROUP BY s.id"
                " HAVING s.size != count(sa.article_id)").fetchall()
            if bad:
                problems.append(f"{len(bad)} stories whose size is not their member count, e.g. {bad[0]}")
            n = conn.execute("SELECT count(*) FROM story_articles WHERE copy_group NOT IN"
                             " (SELECT article_id FROM story_articles)").fetchone()[0]
            if n:
                problems.append(f"{n} articles in a copy group whose first article is missing")
        conn.execute("COMMIT")
    finally:
        conn.close()
    return problems


def covered_origins(path: Path | str) -> set[str]:
    """Origins (file:line) of every input item the store accounts for (records + quarantine)."""
    conn = _connect(path)
    try:
        # one statement, so one snapshot: two SELECTs could straddle a batch's commit
        return {r[0] for r in conn.execute(
            "SELECT origin FROM records UNION SELECT origin FROM quarantine")}
    finally:
        conn.close()


def snapshot(path: Path | str) -> dict[str, Any]:
    """Everything an ingest decided, without timestamps or row numbers."""
    conn = _connect(path)
    try:
        conn.execute("BEGIN")
        out: dict[str, Any] = {
            "articles": set(conn.execute(
                "SELECT id, outlet, title, body, published, language, spans FROM articles")),
            "records": set(conn.execute(
                "SELECT article_id, external_id, origin, outlet, url, text_hash FROM records")),
            "quarantine": set(conn.execute("SELECT origin, reason FROM quarantine")),
            "outlet_counts": set(conn.execute("SELECT outlet, articles FROM outlet_counts")),
            "outlet_lines": set(conn.execute("SELECT outlet, line_hash, articles FROM outlet_lines")),
        }
        if "stories" in _tables(conn):
            members: dict[str, set[str]] = {}
            for story, article in conn.execute("SELECT story_id, article_id FROM story_articles"):
                members.setdefault(story, set()).add(article)
            out["story_members"] = {k: frozenset(v) for k, v in members.items()}
            out["copy_groups"] = set(conn.execute("SELECT article_id, copy_group FROM story_articles"))
            out["stories"] = set(conn.execute(
                "SELECT id, title, first_seen, last_seen, size, n_outlets, outlets, state FROM stories"))
            out["story_df"] = set(conn.execute("SELECT term, df FROM story_df"))
            out["story_meta"] = set(conn.execute("SELECT key, value FROM story_meta"))
        if "mentions" in _tables(conn):
            out["mentions"] = sorted(conn.execute(
                'SELECT article_id, kind, label, key, canonical, text, start, "end" FROM mentions'))
        conn.execute("COMMIT")
        return out
    finally:
        conn.close()


def partition(snap: dict[str, Any]) -> set[frozenset[str]]:
    """The stories as a set of member sets (ids aside)."""
    return set(snap.get("story_members", {}).values())


def diff(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Which parts of two snapshots differ, with a count of rows on each side only."""
    out = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if x == y:
            continue
        if isinstance(x, set) and isinstance(y, set):
            out.append(f"{key}: {len(x - y)} only in first, {len(y - x)} only in second")
        elif isinstance(x, dict) and isinstance(y, dict):
            keys = {k for k in set(x) | set(y) if x.get(k) != y.get(k)}
            out.append(f"{key}: {len(keys)} entries differ, e.g. {sorted(keys)[:2]}")
        else:
            out.append(f"{key} differs")
    return out


def ingest_and_snapshot(db: Path, source: Path, stages: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """`khabar --db DB ingest SOURCE --stages ...` through the CLI: its JSON report and the
    store's snapshot, after checking the command succeeded and the store is consistent."""
    import json

    from click.testing import CliRunner

    from khabar.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(source), "--json", "--no-progress",
                                      "--stages", ",".join(stages)])
    assert result.exit_code == 0, result.output
    assert audit(db) == []
    return json.loads(result.output.strip().splitlines()[-1]), snapshot(db)
