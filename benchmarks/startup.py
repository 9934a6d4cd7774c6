"""What a fresh process spends before its first article: `python benchmarks/startup.py`.

    python benchmarks/startup.py                          # this tree, 5 later runs of each
    python benchmarks/startup.py --old /tmp/old/src       # and another tree's, alternated

Three measures, each in a fresh Python process, in CPU seconds (`time.process_time`, or
getrusage of the child for the CLI) and wall seconds:

* ``ner``: import the NER and load what tagging uses (the feature extractor with its
  gazetteers, the CRF's weights as arrays): `ner.load_extractor(); ner._fast_crf()`;
* ``warm_up``: what `khabar ingest` does before it forks its workers: import the pipeline and
  run the warm-up text through every default stage (`khabar.executors.local.warm_up`);
* ``ingest_1``: the whole CLI, `khabar ingest` of a one-record JSONL file (written by this
  script) into a fresh database, one worker.

`--formats` instead times reading back what `khabar.compiled` keeps, as the pickle it is and in
formats that unpickle no code (the CRF's weights as .npy with ``allow_pickle=False`` and its
feature names as one string; a gazetteer as marshal, or as JSON rebuilt through
`Gazetteer.add`): CPU ms per resource, the best of `--runs`.

Each tree's bytecode is compiled first (one uncounted run). Each measure is run once with an empty cache folder (``first``: the gazetteers and the CRF are parsed
and kept, `khabar.compiled`), then `--runs` times as every later process runs it (``later``,
median and range). With `--old`, the other tree's processes run alternated with this tree's
(the host is shared: alternate, compare CPU). Results: benchmarks/results/startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_TIMED = (
    "import time; t = time.perf_counter(); c = time.process_time()\n"
    "{body}\n"
    "print(time.perf_counter() - t, time.process_time() - c)\n"
)
BODIES = {
    "ner": "from khabar.extract import ner; ner.load_extractor(); ner._fast_crf()",
    "warm_up": ("from khabar.executors.local import warm_up\n"
                "from khabar.pipeline import DEFAULT_STAGES\n"
                "warm_up(DEFAULT_STAGES)"),
}
RECORD = {
    "source": "khabar-bench", "url": "https://example.org/startup",
    "title": "وزير الخارجية يلتقي نظيره في عمّان",
    "content": ("التقى وزير الخارجية أيمن الصفدي نظيره الفرنسي في عمّان يوم الأحد، وبحث "
                "الجانبان سبل تعزيز التعاون بين البلدين. وقال الصفدي إن اللقاء كان مثمراً."),
}


def one(kind: str, src: Path, cache: Path, work: Path) -> tuple[float, float]:
    """(wall s, CPU s) of one fresh process running `kind` with the code under `src`."""
    env = dict(os.environ, PYTHONPATH=str(src), KHABAR_CACHE_DIR=str(cache))
    if kind in BODIES:
        res = subprocess.run([sys.executable, "-c", _TIMED.format(body=BODIES[kind])],
                             capture_output=True, text=True, env=env, check=True, cwd=work)
        wall, cpu = (float(x) for x in res.stdout.split())
        return wall, cpu
    db = work / "startup.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "khabar", "--db", str(db), "ingest",
                    str(work / "one.jsonl"), "--workers", "1", "--no-progress"],
                   capture_output=True, text=True, env=env, check=True, cwd=work)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def formats(runs: int) -> dict:
    """CPU ms to read each kept resource back as pickle and as formats with no pickle."""
    import io
    import json as json_module
    import marshal
    import pickle

    import numpy as np

    from khabar.compiled import compiled
    from khabar.extract import ner

    def best(fn) -> float:
        times = []
        for _ in range(runs):
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
        return round(min(times) * 1000, 1)

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KHABAR_CACHE_DIR"] = tmp
        values: dict = {f"ner-{name}": ner.load_gazetteer(name) for name, _ in ner.GAZETTEER_FILES}
        values["crf"] = compiled("crf-x", [b"x"], lambda: ner.CachedCrf.model_of(ner._tagger()))
    for key, value in values.items():
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        row = {"bytes": len(data), "pickle": best(lambda d=data: pickle.loads(d))}
        if key == "crf":
            labels, attributes, weights, transitions = value
            buf = io.BytesIO()
            np.save(buf, weights, allow_pickle=False)
            np.save(buf, transitions, allow_pickle=False)
            arrays, names = buf.getvalue(), "\n".join(attributes)
            labels_text = "\n".join(labels)

            def no_pickle(arrays: bytes = arrays, names: str = names, labels_text: str = labels_text) -> None:
                stream = io.BytesIO(arrays)
                np.load(stream, allow_pickle=False)
                np.load(stream, allow_pickle=False)
                split = names.split("\n")
                dict(zip(split, range(len(split)), strict=True))
                labels_text.split("\n")
            row["npy_and_text"] = best(no_pickle)
        else:
            packed = marshal.dumps((value.entries, value.by_first, value.openings))
            row["marshal"] = best(lambda m=packed: marshal.loads(m))
            text = json_module.dumps([[list(k), t] for k, t in value.entries.items()], ensure_ascii=False)

            def rebuilt(text: str = text) -> None:
                gaz = ner.Gazetteer()
                for phrase, typ in json_module.loads(text):
                    gaz.add(tuple(phrase), typ)
            row["json_rebuilt"] = best(rebuilt)
        out[key] = row
        print(key, row)
    pickled = sum(r["pickle"] for r in out.values())
    safe = sum(r.get("npy_and_text", r.get("json_rebuilt", 0)) for r in out.values())
    marshalled = sum(r.get("npy_and_text", r.get("marshal", 0)) for r in out.values())
    out["all"] = {"pickle": round(pickled, 1), "npy_and_json": round(safe, 1),
                  "npy_and_marshal": round(marshalled, 1)}
    print("all:", out["all"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, help="another tree's src/ folder, run alternated with this one")
    ap.add_argument("--runs", type=int, default=5, help="later runs of each measure (default 5)")
    ap.add_argument("--kinds", default="ner,warm_up,ingest_1")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "startup.json")
    ap.add_argument("--formats", action="store_true", help="time reading the kept resources back, pickle and no pickle")
    args = ap.parse_args()
    if args.formats:
        result_formats = formats(args.runs)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.with_name("startup_formats.json").write_text(
            json.dumps(result_formats, indent=2) + "\n", encoding="utf-8")
        return
    trees = {"new": ROOT / "src"}
    if args.old:
        trees = {"old": args.old.resolve(), **trees}
    kinds = args.kinds.split(",")
    result: dict = {"load_at_start": os.getloadavg()[0], "trees": {k: str(v) for k, v in trees.items()}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "one.jsonl").write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
        caches = {name: work / f"cache-{name}" for name in trees}
        samples: dict[str, dict[str, list[tuple[float, float]]]] = {
            name: {kind: [] for kind in kinds} for name in trees}
        firsts: dict[str, dict[str, tuple[float, float]]] = {name: {} for name in trees}
        for name, src in trees.items():  # bytecode compiled (a fresh checkout), not counted
            one("warm_up", src, work / f"prime-{name}", work)
        for kind in kinds:
            for name, src in trees.items():  # the first process: an empty cache folder
                cache = caches[name] / kind
                firsts[name][kind] = one(kind, src, cache, work)
            for _ in range(args.runs):  # later processes, the trees alternated
                for name, src in trees.items():
                    samples[name][kind].append(one(kind, src, caches[name] / kind, work))
        for name in trees:
            out = result.setdefault(name, {})
            for kind in kinds:
                cpus = [c for _w, c in samples[name][kind]]
                walls = [w for w, _c in samples[name][kind]]
                out[kind] = {
                    "first_cpu_s": round(firsts[name][kind][1], 3),
                    "first_s": round(firsts[name][kind][0], 3),
                    "later_cpu_s": round(statistics.median(cpus), 3),
                    "later_cpu_range": [round(min(cpus), 3), round(max(cpus), 3)],
                    "later_s": round(statistics.median(walls), 3),
                }
                print(f"{name:4} {kind:9} first {out[kind]['first_cpu_s']:.3f} CPU s "
                      f"({out[kind]['first_s']:.3f} s), later {out[kind]['later_cpu_s']:.3f} CPU s "
                      f"[{out[kind]['later_cpu_range'][0]:.3f}-{out[kind]['later_cpu_range'][1]:.3f}] "
                      f"({out[kind]['later_s']:.3f} s)")
    result["load_at_end"] = os.getloadavg()[0]
    print(f"load {result['load_at_start']:.2f} → {result['load_at_end']:.2f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
