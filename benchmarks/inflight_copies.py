"""How often a batch of an ingest holds a text that a batch still in flight also holds.

    python benchmarks/inflight_copies.py                 # SaudiNewsNet + ANT, batches of 500
    python benchmarks/inflight_copies.py --batch 500 --in-flight 2 --max 16000

With two workers the local engine keeps two batches in flight while it reads the next one
(`LocalEngine.backlog`). A record whose raw text (and outlet) equals one of theirs is a sighting
of that article, known only once the workers are done with it. Until the seventh round the
ingest then stored every batch in flight before going on, and the workers sat idle meanwhile;
this counts how many batches of the benchmark input would do that. No stage runs: it hashes
the records as `Corpus.ingest` does (`raw_text_hash`), in the order the suite feeds them.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.suite import _present  # noqa: E402  (after the path set-up)
from khabar.ingest.readers import RawRecord, read_paths  # noqa: E402
from khabar.model import raw_text_hash  # noqa: E402
from khabar.pipeline import article_from_record  # noqa: E402


def count(paths: list[Path], batch: int, in_flight: int, limit: int | None) -> dict[str, int]:
    records = (r for r in read_paths(paths) if isinstance(r, RawRecord))
    if limit:
        records = itertools.islice(records, limit)
    stored: set[str] = set()
    flight: deque[set[str]] = deque()
    batches = holding = copies = 0
    while True:
        chunk = list(itertools.islice(records, batch))
        if not chunk:
            break
        batches += 1
        hashes = set()
        for record in chunk:
            article = article_from_record(record)
            hashes.add(raw_text_hash(article.text, article.outlet))
        pending = hashes - stored
        hits = [h for h in pending if any(h in f for f in flight)]
        holding += bool(hits)
        copies += len(hits)
        flight.append(pending)
        while len(flight) > in_flight:
            stored |= flight.popleft()
    return {"batches": batches, "batches_holding_a_text_in_flight": holding, "texts": copies}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=500, help="records per batch (the ingest's default)")
    ap.add_argument("--in-flight", type=int, default=2, help="batches in flight while the next is read")
    ap.add_argument("--max", type=int, help="only the first N records")
    args = ap.parse_args()
    result = count(list(_present().values()), args.batch, args.in_flight, args.max)
    print(result)


if __name__ == "__main__":
    main()
