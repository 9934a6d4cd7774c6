"""The Ray executor on a real local Ray cluster (2 CPUs): the Ray path (stages on Ray →
Parquet shards → load) stores the same articles, mentions, copy groups and stories as a local
ingest of the same input; an interrupted run resumes from its shard markers."""

from __future__ import annotations

import gzip
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT
from store_audit import audit, diff, snapshot

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'khabar[ray]')")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'khabar[ray]')")

sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import generate
from khabar import Corpus
from khabar.cli import cli
from khabar.executors.ray import (
    article_from_json,
    article_to_json,
    ingest_on_ray,
    load_parquet,
    process_to_parquet,
)

BATCH = 40


@pytest.fixture(scope="module")
def cluster() -> Any:
    if not ray.is_initialized():
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two input shards, one gzipped, with reprints, re-sent records and unreadable lines."""
    folder = tmp_path_factory.mktemp("inputs")
    items = generate(240, 21)
    a, b = folder / "a.jsonl", folder / "b.jsonl.gz"
    with open(a, "w", encoding="utf-8") as f:
        f.writelines((item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)) + "\n" for item in items[:130])
    with gzip.open(b, "wt", encoding="utf-8") as f:
        for item in items[130:]:
            f.write((item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)) + "\n")
    return [a, b]


@pytest.fixture(scope="module")
def local_db(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.db"
    with Corpus(db) as corpus:
        corpus.ingest(inputs, batch_size=BATCH)
    return db


def _mentions(db: Path) -> set[tuple]:
    con = sqlite3.connect(db)
    try:
        return set(con.execute('SELECT article_id, kind, label, key, canonical, text, start, "end" FROM mentions'))
    finally:
        con.close()


def test_ray_path_stores_what_the_local_path_stores(cluster: Any, inputs: list[Path], local_db: Path,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "run"
    run = process_to_parquet(inputs, out, batch_size=BATCH)
    assert run.shards == 6 and run.skipped_shards == 0
    assert len(list(out.glob("shard-*.done"))) == 6 and (out / "_SUCCESS").exists()
    db = tmp_path / "ray.db"
    with Corpus(db) as corpus:
        report = load_parquet(corpus, out)
        assert report.new > 150 and report.duplicate > 0 and report.quarantined > 0
        assert any(len(g["members"]) > 1 for g in corpus.copy_groups(limit=None))
        assert any(s["size"] > 1 for s in corpus.list_stories(limit=None))
    assert audit(db) == []
    assert diff(snapshot(db), snapshot(local_db)) == []
    assert _mentions(db) == _mentions(local_db) and _mentions(db)
    # loading the same run again adds nothing
    with Corpus(db) as corpus:
        again = load_parquet(corpus, out)
    assert again.new == 0
    assert diff(snapshot(db), snapshot(local_db)) == []


def test_interrupted_run_resumes_from_its_markers(cluster: Any, inputs: list[Path], local_db: Path,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "run"
    process_to_parquet(inputs, out, batch_size=BATCH)
    # as if the run had been killed while writing shards 3 and 5
    for index in (3, 5):
        (out / f"shard-{index:06d}.done").unlink()
    (out / "shard-000005.parquet").unlink()
    (out / "_SUCCESS").unlink()
    db = tmp_path / "half.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "load-parquet", str(out)])
    assert result.exit_code == 2 and "not complete" in result.output
    again = process_to_parquet(inputs, out, batch_size=BATCH)
    assert again.skipped_shards == 4
    result = CliRunner().invoke(cli, ["--db", str(db), "load-parquet", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert diff(snapshot(db), snapshot(local_db)) == []


def test_a_run_with_other_options_is_refused(cluster: Any, inputs: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "run"
    process_to_parquet(inputs[:1], out, batch_size=BATCH, stages=["lines", "body", "identify"])
    with pytest.raises(Exception, match="other inputs or options"):
        process_to_parquet(inputs[:1], out, batch_size=BATCH)


def test_articles_round_trip_through_the_parquet_payload() -> None:
    from khabar import process

    article = process("عنوان الخبر\nقال الوزير أحمد سالم إن \"المشروع سينتهي في 12 مارس 2026\".",
                      outlet="صحيفة الاختبار", published="2026-03-01T10:00:00")
    assert article_from_json(article_to_json(article)) == article


def test_ingest_command_with_the_ray_engine(cluster: Any, inputs: list[Path], local_db: Path,
                                            tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    args = ["--db", str(db), "ingest", *map(str, inputs), "--engine", "ray", "--batch-size", str(BATCH),
            "--parquet-out", str(tmp_path / "shards"), "--json", "--no-progress"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1])["new"] > 150
    assert diff(snapshot(db), snapshot(local_db)) == []


def test_ingest_stores_each_shard_while_the_run_goes_on(cluster: Any, inputs: list[Path], local_db: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "run"
    during: list[tuple[int, bool]] = []  # (articles stored so far, whole run written yet)

    def progress(report: Any, _: int) -> None:
        during.append((report.new, (out / "_SUCCESS").exists()))

    db = tmp_path / "streamed.db"
    with Corpus(db) as corpus:
        report = ingest_on_ray(corpus, inputs, out, batch_size=BATCH, progress=progress)
    assert report.new > 150 and report.duplicate > 0 and report.quarantined > 0
    assert len(during) == 6  # one call per shard stored
    assert during[0][0] > 0 and not during[0][1]  # stored before the last shard was written
    assert audit(db) == []
    assert diff(snapshot(db), snapshot(local_db)) == []
    assert _mentions(db) == _mentions(local_db)


def test_an_interrupted_ingest_on_ray_resumes(cluster: Any, inputs: list[Path], local_db: Path,
                                              tmp_path: Path) -> None:
    out = tmp_path / "run"
    stored: list[int] = []

    def stop_after_two(report: Any, _: int) -> None:
        stored.append(report.new)
        if len(stored) == 2:
            raise KeyboardInterrupt

    db = tmp_path / "interrupted.db"
    with Corpus(db) as corpus, pytest.raises(KeyboardInterrupt):
        ingest_on_ray(corpus, inputs, out, batch_size=BATCH, progress=stop_after_two)
    assert 0 < stored[-1] < 150
    with Corpus(db) as corpus:
        report = ingest_on_ray(corpus, inputs, out, batch_size=BATCH)
    con = sqlite3.connect(db)
    try:
        (articles,) = con.execute("SELECT count(*) FROM articles").fetchone()
    finally:
        con.close()
    assert report.new + stored[-1] == articles  # the shards stored before add nothing again
    assert audit(db) == []
    assert diff(snapshot(db), snapshot(local_db)) == []


def test_parquet_input_on_ray_stores_what_a_local_ingest_stores(cluster: Any, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [item for item in generate(120, 5) if isinstance(item, dict)]
    columns = sorted({k for r in rows for k in r})
    table = pa.Table.from_pylist([{k: None if r.get(k) is None else str(r[k]) for k in columns} for r in rows])
    source = tmp_path / "input.parquet"
    pq.write_table(table, source, row_group_size=25)
    local = tmp_path / "local.db"
    with Corpus(local) as corpus:
        expected = corpus.ingest([source], batch_size=BATCH)
    assert expected.new > 50
    db = tmp_path / "ray.db"
    with Corpus(db) as corpus:
        report = ingest_on_ray(corpus, [source], tmp_path / "run", batch_size=BATCH)
    assert (report.new, report.duplicate, report.quarantined) == \
        (expected.new, expected.duplicate, expected.quarantined)
    assert diff(snapshot(db), snapshot(local)) == []


def test_a_shard_of_rejected_articles_stored_again_adds_no_line_counts(tmp_path: Path) -> None:
    """A resumed `ingest --engine ray` stores every marked shard again: a shard whose new
    articles were all rejected after cleaning must not count its outlet's lines twice."""
    from khabar.clean.lines import line_key
    from khabar.clean.outlets import OutletLines, chrome_candidates, line_hash
    from khabar.corpus import IngestReport
    from khabar.executors.local import LinesSnapshot
    from khabar.executors.ray import _InOrder, process_shard
    from khabar.model import Article, raw_text_hash

    line = "تابعونا على صفحتنا\nخبر قصير عن افتتاح مكتبة في الحي."
    article = Article(id="", text=line, outlet="صحيفة الحي", origin="in.jsonl:1")
    lines = OutletLines()
    lines.add(article.outlet, chrome_candidates(article.text))
    # the outlet prints both lines everywhere: nothing is left of the body
    everywhere = {line_hash(line_key(x)): 100 for x in line.splitlines()}
    process_shard(str(tmp_path), 0, ("lines",),
                  [("article", (article, raw_text_hash(article.text, article.outlet)))],
                  LinesSnapshot({article.outlet: (100, everywhere)}), lines.pending())
    db = tmp_path / "x.db"
    seen = []
    for _ in range(2):
        with Corpus(db) as corpus:
            report = IngestReport()
            _InOrder(corpus, tmp_path, report, None)(0)
        con = sqlite3.connect(db)
        try:
            seen.append((con.execute("SELECT articles FROM outlet_counts").fetchall(),
                         con.execute("SELECT sum(articles) FROM outlet_lines").fetchone(),
                         con.execute("SELECT count(*) FROM quarantine").fetchone()))
        finally:
            con.close()
        assert report.quarantined == 1 and report.new == 0
    assert seen[0] == seen[1] and seen[0][0] == [(1,)]


def test_a_second_ray_ingest_of_other_inputs_gets_its_own_run(cluster: Any, inputs: list[Path],
                                                             tmp_path: Path) -> None:
    db, local = tmp_path / "two.db", tmp_path / "local_two.db"
    for path in inputs:  # default --parquet-out: one folder per run under two.db.parquet/
        args = ["--db", str(db), "ingest", str(path), "--engine", "ray", "--batch-size", str(BATCH),
                "--json", "--no-progress"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        report = json.loads(result.output.strip().splitlines()[-1])
        with Corpus(local) as corpus:
            expected = corpus.ingest([path], batch_size=BATCH)
        # the second input's own records (before: the first run's shards, stored again as
        # duplicates), with the texts the store holds as sightings and its line counts
        assert (report["read"], report["new"], report["duplicate"]) == \
            (expected.read, expected.new, expected.duplicate) and expected.new > 0
    assert len(list((tmp_path / "two.db.parquet").iterdir())) == 2
    assert diff(snapshot(db), snapshot(local)) == []
    with pytest.raises(Exception, match="other inputs or options"):
        process_to_parquet(inputs[1:], next((tmp_path / "two.db.parquet").iterdir()), batch_size=BATCH)


def test_an_ingest_on_ray_reports_what_it_passed_over_as_a_local_ingest_does(cluster: Any, inputs: list[Path],
                                                                             tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(inputs[0].read_bytes())
    (folder / ".draft.jsonl").write_text('{"text": "مسودة لم تنشر بعد في أي مكان"}\n', encoding="utf-8")
    with Corpus(tmp_path / "local.db") as corpus:
        local = corpus.ingest([folder], batch_size=BATCH)
    with Corpus(tmp_path / "ray.db") as corpus:
        on_ray = ingest_on_ray(corpus, [folder], tmp_path / "run", batch_size=BATCH)
    assert local.skipped == on_ray.skipped == 1
    assert on_ray.skipped_reasons == local.skipped_reasons
    assert "1 skipped" in on_ray.summary()


def test_a_broken_link_in_a_folder_still_names_a_run(tmp_path: Path) -> None:
    # the run's manifest took every input's size with stat(): a dangling link under the folder
    # stopped `khabar ingest --engine ray` before any record was read (reading quarantines it)
    from khabar.executors.ray import run_manifest

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("افتتحت البلدية حديقة عامة جديدة في الحي الشرقي.", encoding="utf-8")
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    manifest = run_manifest([folder], ["lines", "body"], batch_size=10, outlet=None, field_map=None)
    assert [name.rsplit("/", 1)[-1] for name, *_ in manifest["inputs"]] == ["a.txt", "gone.txt"]
    assert manifest["inputs"][1][1:] == [None, None]
