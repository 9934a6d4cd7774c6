"""How often cleaning finds each outlet's credit lines, on real SaudiNewsNet days.

    python benchmarks/outlet_credits.py                      # 2015-07-31 and 2015-08-01
    python benchmarks/outlet_credits.py --days 2015-07-26

Every article of the given scrape days (`date_extracted`) goes through `khabar.process`; per
outlet it counts the articles with a dateline, with an author, with the outlet's tag list cut
off the last line (`… سمات تبوك جامعة`), and with a reporter's credit opening the body
(`الاسم- المنبر- المدينة:`), and prints up to three credits found per outlet, so a credit
found where there is none shows. There is no gold: the counts say how much of each outlet's
copy the rules reach, the examples whether they read it right.
Needs ../shared (SaudiNewsNet); writes benchmarks/results/outlet_credits.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNN = ROOT.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
sys.path.insert(0, str(ROOT / "src"))

from khabar.pipeline import process  # noqa: E402

try:  # absent before December 2026: the script also runs on older commits, for a before figure
    from khabar.clean.lines import find_credit_dateline
except ImportError:  # pragma: no cover
    def find_credit_dateline(line: str, outlet_key: str = "") -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", nargs="+", default=["2015-07-31", "2015-08-01"])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "outlet_credits.json")
    args = parser.parse_args()
    if not SNN.exists():
        sys.exit(f"needs {SNN} (../shared)")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    with gzip.open(SNN, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record.get("date_extracted", "")[:10] not in args.days:
                continue
            text = record.get("content") or ""
            if len(text.split()) < 5:
                continue
            outlet = record.get("source", "")
            article = process(text, title=record.get("title", ""), outlet=outlet)
            c = counts[outlet]
            c["articles"] += 1
            c["dateline"] += bool(article.dateline)
            c["author"] += bool(article.author)
            c["tag_list"] += any(line.reason.startswith("the outlet's tag list") for line in article.lines)
            first = next((line.text for line in article.lines if line.line_kind == "body"), "")
            credit = find_credit_dateline(first)
            if credit:
                c["credit"] += 1
                if len(examples[outlet]) < 3:
                    examples[outlet].append(first[:credit[0]].strip())
    result = {outlet: {**counts[outlet], "examples": examples[outlet]} for outlet in sorted(counts)}
    print(f"{'outlet':<14}{'articles':>9}{'dateline':>9}{'author':>8}{'credit':>8}{'tags':>6}  examples")
    for outlet, row in result.items():
        print(f"{outlet:<14}{row['articles']:>9}{row.get('dateline', 0):>9}{row.get('author', 0):>8}"
              f"{row.get('credit', 0):>8}{row.get('tag_list', 0):>6}  {' | '.join(row['examples'])}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"days": args.days, "outlets": result}, ensure_ascii=False, indent=1),
                        encoding="utf-8")


if __name__ == "__main__":
    main()
