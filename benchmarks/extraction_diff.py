"""What a change to the extractors changes on real news: quotes, entities, quantities and dates
of a sample of ANT and SaudiNewsNet articles, by an old tree and by this one, side by side.

    git worktree add /tmp/khabar-old HEAD~3
    python benchmarks/extraction_diff.py --old /tmp/khabar-old/src --offset 13

Every article whose extractions differ is printed with what went and what came; read them one
by one. The sample is every 79th ANT and every 37th SaudiNewsNet article from `--offset` (about
1,200 articles); other offsets give other articles, for a second read that nothing was tuned on.
Needs ../shared (the corpora); exits 0 with a message when it is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
CORPORA = (
    (SHARED / "ant" / "ant_multisource_v2.1.jsonl.gz", "ant", 79, "docno", "text", "src", "time"),
    (SHARED / "saudinewsnet" / "saudinewsnet.jsonl.gz", "snn", 37, None, "content", "source", "date_extracted"),
)
KINDS = {"q": "quotes", "e": "entities", "n": "quantities", "d": "dates"}


def sample(offset: int, limit: int = 0):
    """(key, record) for every stride-th article of each corpus, from the offset (at most `limit`
    of each when it is set)."""
    for path, name, stride, id_field, body, outlet, published in CORPORA:
        taken = 0
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if limit and taken >= limit:
                    break
                if i % stride == offset % stride:
                    taken += 1
                    d = json.loads(line)
                    key = f"{name}:{d.get(id_field) if id_field else i}"
                    yield key, {"text": d.get(body) or "", "title": d.get("title") or "",
                                "outlet": d.get(outlet) or "", "published": d.get(published) or None}


def dump(offset: int, out: str, limit: int = 0) -> None:
    """Run in a child whose PYTHONPATH points at the tree to measure: one JSON line per article."""
    import khabar

    with open(out, "w", encoding="utf-8") as f:
        for key, rec in sample(offset, limit):
            try:
                a = khabar.process(rec["text"], title=rec["title"], outlet=rec["outlet"], published=rec["published"])
            except khabar.InputError as exc:  # an article one side cannot read is a difference too
                row = {"k": key, "error": type(exc).__name__}
            else:
                row = {"k": key,
                       "q": [[q.text[:60], q.speaker, q.verb] for q in a.quotes],
                       "e": [[e.text, e.label] for e in a.entities],
                       "n": [[q.text, q.value, q.counted] for q in a.quantities],
                       "d": [[d.text, d.value] for d in a.dates]}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def run_side(src: Path, offset: int, out: str, limit: int = 0) -> None:
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, __file__, "--dump", out, "--offset", str(offset), "--limit", str(limit)],
                   env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, help="the src folder of the tree to compare with")
    parser.add_argument("--offset", type=int, default=13, help="which articles: every 79th/37th from here")
    parser.add_argument("--kinds", default="qend", help="q quotes, e entities, n quantities, d dates")
    parser.add_argument("--limit", type=int, default=0, help="at most this many articles of each corpus")
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"{SHARED} is absent: nothing to compare (the corpora live in ../shared)")
        return 0
    if args.dump:
        dump(args.offset, args.dump, args.limit)
        return 0
    if args.old is None:
        parser.error("--old is required")
    with tempfile.TemporaryDirectory() as tmp:
        old, new = f"{tmp}/old.jsonl", f"{tmp}/new.jsonl"
        run_side(args.old, args.offset, old, args.limit)
        run_side(ROOT / "src", args.offset, new, args.limit)
        olds = [json.loads(line) for line in Path(old).read_text(encoding="utf-8").splitlines()]
        news = [json.loads(line) for line in Path(new).read_text(encoding="utf-8").splitlines()]
    changed = {kind: 0 for kind in args.kinds}
    for a, b in zip(olds, news):
        for kind in args.kinds:
            x, y = a.get(kind, a.get("error")), b.get(kind, b.get("error"))
            if x == y:
                continue
            changed[kind] += 1
            x, y = x if isinstance(x, list) else [x], y if isinstance(y, list) else [y]
            print(f"{a['k']} {KINDS[kind]}\n  - {[v for v in x if v not in y]}\n  + {[v for v in y if v not in x]}")
    print(f"{len(news)} articles; articles changed: "
          + ", ".join(f"{KINDS[k]} {n}" for k, n in changed.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
