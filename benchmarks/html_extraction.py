"""HTML extraction: plain trafilatura vs khabar's HTML path, side by side in one run.

    python benchmarks/html_extraction.py              # both benchmarks, every page
    python benchmarks/html_extraction.py --limit 60   # a quick look (first N pages of each)

Systems:
- `trafilatura`: `trafilatura.extract(html_bytes)` with default settings (the baseline).
- `khabar[MODE]`: `khabar.ingest.html.html_bytes_to_record(..., mode=MODE)`, then
  `khabar.process(record.text, **record.fields)`; scored on `article.title + "\\n" + article.body`.
  MODE is trafilatura's trade-off ("balanced", "recall", "precision"); the mode khabar ships
  (`DEFAULT_MODE`) is the one with the best F1 on the *train* half of the trafilatura set.
- `khabar-raw[MODE]`: the record text before khabar's cleaning (what the reader hands on).
- `khabar-body[MODE]`: `article.body` alone (the Zyte gold `articleBody` has no title, so the
  title line costs `khabar[MODE]` a little precision there).

Benchmarks (read from ../shared, nothing copied into the repo):
- trafilatura_eval (trafilatura's tests/evaldata.json + tests/eval): snippet-level scoring as in
  trafilatura's tests (whitespace-normalized substring match; a `with` snippet found = TP, missing
  = FN; a `without` snippet found = FP, absent = TN), summed over pages. The one Arabic page
  (assabah.com.tn) is also reported alone.
- scrapinghub (Zyte article-extraction-benchmark): `\\w+` tokens, 4-token shingles, multiset
  overlap normalized per page, P and R averaged over pages and F1 from those, as upstream
  evaluate.py does.

Split: a page is "train" when sha1(file name) is even, else "test". Options were chosen on train.
Results go to benchmarks/results/html_extraction.json.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import platform
import re
import statistics
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "html_extraction"
TRAF_DIR = SHARED / "trafilatura_eval"
ZYTE_DIR = SHARED / "scrapinghub"
ARABIC_FILE = "assabah.com.tn.article.html"
OUTPUT = ROOT / "benchmarks" / "results" / "html_extraction.json"
MODES = ("balanced", "recall", "precision")

Runner = Callable[[bytes, str], "dict[str, str]"]


def split_of(name: str) -> str:
    return "train" if int(hashlib.sha1(name.encode()).hexdigest(), 16) % 2 == 0 else "test"


# --- the systems -------------------------------------------------------------------------


def run_trafilatura(data: bytes, origin: str) -> dict[str, str]:
    import trafilatura

    return {"trafilatura": trafilatura.extract(data) or ""}


def make_khabar_runner(mode: str, keep_captions: bool = False) -> Runner:
    import khabar
    from khabar.ingest.html import html_bytes_to_record

    def run(data: bytes, origin: str) -> dict[str, str]:
        record = html_bytes_to_record(data, origin, mode=mode, keep_captions=keep_captions)
        if not hasattr(record, "text"):
            return {f"khabar[{label}]": "", f"khabar-raw[{label}]": "", f"khabar-body[{label}]": ""}
        article = khabar.process(record.text, **record.fields)
        return {
            f"khabar[{label}]": article.title + "\n" + article.body,
            f"khabar-raw[{label}]": record.text,
            f"khabar-body[{label}]": article.body,
        }

    label = f"{mode},captions" if keep_captions else mode

    return run


# --- scoring -----------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def snippet_counts(item: dict[str, Any], result: str) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) for one page of the trafilatura set."""
    text = _norm(result)
    tp = sum(1 for s in item["with"] if _norm(s) in text)
    fp = sum(1 for s in item["without"] if _norm(s) in text)
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def snippet_scores(counts: list[tuple[int, int, int, int]]) -> dict[str, float]:
    tp, fp, fn, tn = (sum(c[i] for c in counts) for i in range(4))
    total = tp + fp + fn + tn
    return {
        "pages": len(counts),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "f1": round(2 * tp / (2 * tp + fp + fn), 4) if 2 * tp + fp + fn else 0.0,
        "accuracy": round((tp + tn) / total, 4) if total else 0.0,
    }


_TOKEN = re.compile(r"\w+")


def shingle_counts(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Per-page (tp, fp, fn) over 4-token shingles, normalized to sum to 1 (upstream's metric)."""

    def shingles(text: str) -> Counter[tuple[str, ...]]:
        tokens = _TOKEN.findall(text or "")
        return Counter(
            tuple(tokens[i : i + n])
            for i in range(max(1, len(tokens) - n + 1))
            if tokens[i : i + n]
        )

    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def shingle_scores(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    def precision(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fn == 0 else tp / (tp + fn)

    ps = [precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [recall(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return {
        "pages": len(counts),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


# --- benchmarks --------------------------------------------------------------------------


def _run_all(runners: dict[str, Runner], pages: list[tuple[str, bytes]]) -> tuple[dict, dict]:
    """outputs[system][page] and seconds per runner (each runner over every page)."""
    outputs: dict[str, dict[str, str]] = {}
    seconds: dict[str, float] = {}
    for name, runner in runners.items():
        started = time.perf_counter()
        for page, data in pages:
            try:
                produced = runner(data, page)
            except Exception as exc:  # noqa: BLE001 - a crash is a full miss, as upstream
                print(f"  {name} crashed on {page}: {type(exc).__name__}: {exc}", file=sys.stderr)
                produced = {}
            for system, text in produced.items():
                outputs.setdefault(system, {})[page] = text
        seconds[name] = round(time.perf_counter() - started, 2)
        print(f"  {name}: {seconds[name]:.1f} s for {len(pages)} pages", file=sys.stderr)
    return outputs, seconds


def trafilatura_eval(runners: dict[str, Runner], limit: int | None) -> dict[str, Any]:
    gold: dict[str, dict[str, Any]] = json.loads(
        (TRAF_DIR / "evaldata.json").read_text(encoding="utf-8")
    )
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(TRAF_DIR / "eval_html.tar.gz") as tar:
            tar.extractall(tmp, filter="data")
        folder = Path(tmp) / "tests" / "eval"
        items = [(url, item) for url, item in gold.items() if (folder / item["file"]).is_file()]
        missing = len(gold) - len(items)
        items.sort(key=lambda x: x[1]["file"])
        if limit:
            arabic = [x for x in items if x[1]["file"] == ARABIC_FILE]
            items = items[:limit] + [x for x in arabic if x not in items[:limit]]
        pages = [(item["file"], (folder / item["file"]).read_bytes()) for _, item in items]
    print(
        f"trafilatura_eval: {len(pages)} pages ({missing} gold entries have no HTML file)",
        file=sys.stderr,
    )
    outputs, seconds = _run_all(runners, pages)
    by_file = {item["file"]: item for _, item in items}
    result: dict[str, Any] = {
        "pages": len(pages),
        "gold_without_html": missing,
        "seconds": seconds,
        "systems": {},
    }
    for system, texts in outputs.items():
        counts = {f: snippet_counts(by_file[f], texts.get(f, "")) for f in by_file}
        result["systems"][system] = {
            "all": snippet_scores(list(counts.values())),
            "train": snippet_scores([c for f, c in counts.items() if split_of(f) == "train"]),
            "test": snippet_scores([c for f, c in counts.items() if split_of(f) == "test"]),
            "arabic_page": snippet_scores([counts[ARABIC_FILE]]) if ARABIC_FILE in counts else {},
        }
    return result


def scrapinghub(runners: dict[str, Runner], limit: int | None) -> dict[str, Any]:
    gold: dict[str, dict[str, str]] = json.loads(
        (ZYTE_DIR / "ground-truth.json").read_text(encoding="utf-8")
    )
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    pages = [(i, gzip.decompress((ZYTE_DIR / "html" / f"{i}.html.gz").read_bytes())) for i in ids]
    print(f"scrapinghub: {len(pages)} pages", file=sys.stderr)
    outputs, seconds = _run_all(runners, pages)
    result: dict[str, Any] = {"pages": len(pages), "seconds": seconds, "systems": {}}
    for system, texts in outputs.items():
        counts = {i: shingle_counts(gold[i].get("articleBody", ""), texts.get(i, "")) for i in ids}
        result["systems"][system] = {
            "all": shingle_scores(list(counts.values())),
            "train": shingle_scores([c for i, c in counts.items() if split_of(i) == "train"]),
            "test": shingle_scores([c for i, c in counts.items() if split_of(i) == "test"]),
        }
    return result


#: Train F1 within this of the best counts as a tie (about 2 snippets of ~2,700 on the train half).
TIE = 0.002


def choose_mode(train: dict[str, dict[str, float]]) -> str:
    """Best train F1; among modes tied with it, the one with the higher recall (news favours
    recall a little: a lost paragraph is worse than a stray line the line classifier can drop)."""
    best = max(s["f1"] for s in train.values())
    tied = [m for m, s in train.items() if s["f1"] >= best - TIE]
    return max(tied, key=lambda m: (train[m]["recall"], train[m]["f1"]))


def print_table(title: str, result: dict[str, Any], columns: tuple[str, ...]) -> None:
    print(f"\n{title} ({result['pages']} pages)")
    head = f"{'system':<32}" + "".join(f"{c + ' P/R/F1':>26}" for c in columns)
    print(head)
    print("-" * len(head))
    for system, scores in result["systems"].items():
        cells = []
        for c in columns:
            s = scores.get(c) or {}
            cells.append(
                f"{s.get('precision', 0):.3f}/{s.get('recall', 0):.3f}/{s.get('f1', 0):.3f}"
                if s
                else "-"
            )
        print(f"{system:<32}" + "".join(f"{cell:>26}" for cell in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="only the first N pages of each set"
    )
    parser.add_argument(
        "--modes", nargs="+", default=list(MODES), choices=MODES, help="khabar modes to run"
    )
    parser.add_argument(
        "--only", choices=("trafilatura_eval", "scrapinghub"), help="run one benchmark"
    )
    parser.add_argument(
        "--ablate-captions",
        action="store_true",
        help="also run each mode with keep_captions=True (<figcaption> kept as lines)",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if not TRAF_DIR.is_dir():
        raise SystemExit(f"needs {SHARED} (the shared data checkout)")

    from khabar.ingest.html import DEFAULT_MODE

    runners: dict[str, Runner] = {"trafilatura": run_trafilatura}
    for mode in args.modes:
        runners[f"khabar[{mode}]"] = make_khabar_runner(mode)
        if args.ablate_captions:
            runners[f"khabar[{mode},captions]"] = make_khabar_runner(mode, keep_captions=True)

    started = time.perf_counter()
    report: dict[str, Any] = {
        "versions": {p: version(p) for p in ("trafilatura", "lxml", "htmldate")},
        "python": platform.python_version(),
        "limit": args.limit,
        "split": "train: sha1(file name or page id) even; test: odd",
        "khabar_default_mode": DEFAULT_MODE,
    }
    if args.only in (None, "trafilatura_eval"):
        report["trafilatura_eval"] = trafilatura_eval(runners, args.limit)
        train = {
            m: report["trafilatura_eval"]["systems"][f"khabar[{m}]"]["train"] for m in args.modes
        }
        report["trafilatura_eval"]["best_mode_on_train"] = choose_mode(train)
        print_table(
            "trafilatura eval: snippet P/R/F1",
            report["trafilatura_eval"],
            ("all", "train", "test", "arabic_page"),
        )
        print(
            f"best khabar mode on train (F1): {report['trafilatura_eval']['best_mode_on_train']}"
            f"  (shipped default: {DEFAULT_MODE})"
        )
    if args.only in (None, "scrapinghub"):
        report["scrapinghub"] = scrapinghub(runners, args.limit)
        print_table(
            "scrapinghub: 4-gram shingle P/R/F1", report["scrapinghub"], ("all", "train", "test")
        )
    report["seconds_total"] = round(time.perf_counter() - started, 1)
    print(f"\ntotal {report['seconds_total']:.0f} s; per-system seconds are in the JSON")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(
        f"wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
