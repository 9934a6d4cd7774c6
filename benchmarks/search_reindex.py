"""What migration 18 (a decimal is one search word) costs a store made before it: the search
index is made again and every stored article's title and body indexed again, once, the first
time the store is opened writable.

    khabar --db /tmp/snn.db ingest --field text=content --stages lines,body,identify,language \\
        first-3000-saudinewsnet.jsonl
    python benchmarks/search_reindex.py /tmp/snn.db

The store is copied to a temporary folder, set back to schema v17 there, and opened; the
opening's CPU and wall time are printed (the migration is all of it but a few ms). The store
given is not changed.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from khabar.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="a khabar store (not changed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "old.db"
        src = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
        dst = sqlite3.connect(db)
        src.backup(dst)
        src.close()
        dst.execute("PRAGMA user_version=17")
        dst.commit()
        articles = dst.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        chars = dst.execute("SELECT COALESCE(SUM(LENGTH(title) + LENGTH(body)), 0) FROM articles").fetchone()[0]
        dst.close()
        wall, cpu = time.perf_counter(), time.process_time()
        store = Store(db)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert store.schema_version >= 18
        indexed = store.conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
        print(f"{articles} articles ({chars / 1e6:.1f} M characters), {indexed} indexed again: "
              f"CPU {cpu:.2f} s ({1000 * cpu / max(articles, 1):.3f} ms an article), wall {wall:.2f} s")
        store.close()


if __name__ == "__main__":
    main()
