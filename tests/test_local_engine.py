"""The local engine: the per-article stages in worker processes give the same database as one
process, batch by batch in input order, and re-ingesting still adds nothing."""

from __future__ import annotations

import gzip
import itertools
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import shared_path

from khabar import Corpus
from khabar.clean.lines import line_key
from khabar.clean.outlets import OutletLines, chrome_candidates
from khabar.executors.local import LinesSnapshot, LocalEngine, snapshot_lines
from khabar.ingest.readers import RawRecord, Rejected, read_paths
from khabar.model import Article
from khabar.pipeline import stage

CHROME = ["تابعونا على فيسبوك وتويتر", "جميع الحقوق محفوظة للموقع", "اقرأ أيضا"]
EVENTS = [
    ("افتتح وزير النقل جسرا جديدا فوق النهر في وسط المدينة", "وقال الوزير إن الجسر سيخفف الازدحام"),
    ("ضربت عاصفة رملية شديدة المناطق الشرقية صباح اليوم", "وأعلنت الأرصاد أن الرياح ستهدأ مساء"),
    ("فاز المنتخب الوطني على ضيفه بثلاثة أهداف مقابل هدف", "وأشاد المدرب بأداء اللاعبين في الشوط الثاني"),
    ("ارتفعت أسعار الذهب في الأسواق المحلية للأسبوع الثالث", "وتوقع تجار أن تستمر الزيادة حتى نهاية الشهر"),
]


def _records(n: int) -> list[dict[str, str]]:
    """Articles from three outlets that print the same chrome lines, with reprints and
    re-sent texts spread over several batches."""
    out = []
    for i in range(n):
        outlet = ["صحيفة النهار", "وكالة الأنباء", "موقع الخبر"][i % 3]
        lead, follow = EVENTS[i % len(EVENTS)]
        body = f"{lead} في يومه رقم {i // 7}.\n{follow}، بحسب ما نقل المراسل {i % 5}."
        if i % 11 == 0:
            body = f"{lead}.\n{follow}."  # the same wire text at several outlets
        text = "\n".join([f"عنوان الخبر {i}", CHROME[i % 3], body, CHROME[(i + 1) % 3]])
        out.append({"id": f"r{i}", "outlet": outlet, "text": text,
                    "published": f"2026-03-{1 + i % 20:02d}T{8 + i % 9:02d}:00:00"})
    out.append(dict(out[3], id="again"))  # a text sent twice, far apart
    out.append({"id": "empty", "outlet": "موقع الخبر", "text": ""})  # no text: quarantined
    return out


def _write(path: Path, records: list[dict[str, str]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def _dump(db: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(db)
    tables = {
        "articles": "SELECT id, outlet, title, author, dateline, published, language, text, body,"
                    " spans, metadata FROM articles ORDER BY seq",
        "records": "SELECT article_id, external_id, origin, outlet, url, text_hash FROM records"
                   " ORDER BY article_id, origin",
        "stories": "SELECT article_id, story_id, copy_group, exact_hash, minhash, shingles, score, seq"
                   " FROM story_articles ORDER BY seq",
        "story_rows": "SELECT id, title, size, n_outlets, outlets, state FROM stories ORDER BY id",
        "outlet_lines": "SELECT outlet, line_hash, articles FROM outlet_lines ORDER BY 1, 2",
        "quarantine": "SELECT origin, reason FROM quarantine ORDER BY 1, 2",
    }
    try:
        return {name: con.execute(sql).fetchall() for name, sql in tables.items()}
    finally:
        con.close()


def _ingest(db: Path, paths: list[Path], workers: int) -> tuple[int, int, int]:
    # small batches, so several are in flight at once
    with Corpus(db, workers=workers) as corpus:
        report = corpus.ingest(paths, batch_size=17)
    return report.new, report.duplicate, report.quarantined


def test_two_workers_store_exactly_what_one_process_stores(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl.gz", _records(160))
    one = _ingest(tmp_path / "one.db", [src], workers=1)
    two = _ingest(tmp_path / "two.db", [src], workers=2)
    assert one == two
    assert one[0] > 100 and one[2] == 1
    a, b = _dump(tmp_path / "one.db"), _dump(tmp_path / "two.db")
    for table in a:
        assert a[table] == b[table], table
    # the outlet's chrome was recognised from its repeated lines, in both
    # (lines are stored as offsets into the article's text)
    kinds = {line["line_kind"] for row in a["articles"] for line in json.loads(row[9])["lines"]
             if row[7][line["start"]:line["end"]] in CHROME}
    assert kinds and "body" not in kinds


def test_reingesting_with_workers_adds_nothing(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl.gz", _records(60))
    db = tmp_path / "k.db"
    first = _ingest(db, [src], workers=2)
    before = _dump(db)
    again = _ingest(db, [src], workers=2)
    assert again[0] == 0 and again[1] == first[0] + first[1]
    after = _dump(db)
    assert after["articles"] == before["articles"] and after["stories"] == before["stories"]


def test_a_text_still_in_flight_becomes_a_sighting_as_in_one_process(tmp_path: Path) -> None:
    # the same text in two consecutive batches: the second is a sighting of the first
    records = _records(40)
    records.insert(18, dict(records[16], id="echo"))
    src = _write(tmp_path / "in.jsonl.gz", records)
    one = _ingest(tmp_path / "one.db", [src], workers=1)
    two = _ingest(tmp_path / "two.db", [src], workers=2)
    assert one == two
    assert _dump(tmp_path / "one.db") == _dump(tmp_path / "two.db")



BLANK_MARK = "[[blank]]"


@stage("test_blank_marked", requires=("body",), provides=("body",))
def _blank_marked(article: Article) -> Article:
    """Test stage: an article whose text carries `BLANK_MARK` comes out with no body."""
    return replace(article, body="") if BLANK_MARK in article.text else article


def _ingest_stages(db: Path, paths: list[Path], workers: int, stages: tuple[str, ...]) -> tuple[int, int, int]:
    with Corpus(db, workers=workers, stages=stages) as corpus:
        report = corpus.ingest(paths, batch_size=17)
    return report.new, report.duplicate, report.quarantined


def test_a_text_in_flight_whose_article_is_rejected_is_processed_again(tmp_path: Path) -> None:
    # batches of 17: records 0-16, 17-33, 34-50, 51-67 ...; with two workers two batches are
    # in flight while the next one is read
    records = _records(70)
    blank = dict(records[20], id="blank", text=records[20]["text"] + "\n" + BLANK_MARK)
    records[20] = blank
    # the first copy is rejected (no body); the second, read while the first is in flight, is
    # no sighting of it: it goes through the stages and is rejected too
    records[40] = dict(blank, id="blank-again")
    # copies of texts in the two batches in flight: sightings (the older batch is stored first)
    records[55] = dict(records[22], id="echo-of-22")
    records[56] = dict(records[45], id="echo-of-45")
    src = _write(tmp_path / "in.jsonl.gz", records)
    stages = ("lines", "body", "test_blank_marked", "identify")
    one = _ingest_stages(tmp_path / "one.db", [src], 1, stages)
    two = _ingest_stages(tmp_path / "two.db", [src], 2, stages)
    assert one == two
    a, b = _dump(tmp_path / "one.db"), _dump(tmp_path / "two.db")
    assert a == b
    rejected = {origin.rsplit(":", 1)[1] for origin, reason in a["quarantine"]
                if reason == "empty body after cleaning"}
    assert rejected == {"21", "41"}
    article_of = {row[1]: row[0] for row in a["records"]}
    assert article_of["echo-of-22"] == article_of["r22"]
    assert article_of["echo-of-45"] == article_of["r45"]

def test_snapshot_keeps_only_counts_that_can_mark_a_line() -> None:
    lines = OutletLines()
    chrome = chrome_candidates("تابعونا على فيسبوك\nسطر نادر")
    for _ in range(5):
        lines.add("النهار", chrome_candidates("تابعونا على فيسبوك"))
    lines.add("النهار", chrome)
    snap = snapshot_lines(lines, {"النهار": chrome})
    total, counts = snap.counts["النهار"]
    assert total == 6 and list(counts.values()) == [6]  # the rare line is left out
    assert snap("النهار")(line_key("تابعونا على فيسبوك")) == (6, 6)
    assert snap("النهار")(line_key("سطر نادر")) is None
    assert LinesSnapshot({})("أي منفذ")("أي سطر") is None


def test_chrome_candidates_are_the_lines_of_at_most_25_words() -> None:
    """A line of 25 words (spaces and tabs of any run between them) is a candidate, one of 26
    is not, however it is split."""
    from khabar.clean.lines import MAX_CUE_WORDS
    from khabar.clean.outlets import line_hash

    words = ["كلمة" + str(i) for i in range(MAX_CUE_WORDS + 1)]
    short = " \t ".join(words[:MAX_CUE_WORDS]) + "  "
    long = "  " + "   ".join(words)
    assert chrome_candidates(short) == {line_hash(line_key(short))}
    assert chrome_candidates(long) == chrome_candidates(long + "\n" + "\t") == set()
    assert chrome_candidates(long + "\n" + short) == {line_hash(line_key(short))}


def test_engine_returns_results_in_input_order_from_a_pool() -> None:
    from khabar.pipeline import article_from_record

    articles = [article_from_record(RawRecord(text=f"خبر رقم {i}\nنص الخبر {i} هنا.", origin=f"<{i}>"))
                for i in range(60)]
    with LocalEngine(("lines", "body", "identify"), workers=3, chunk=7) as engine:  # 3 tasks
        results = engine.submit(articles, LinesSnapshot({})).get()
    assert [r.article.origin for r in results] == [a.origin for a in articles]
    assert not any(r.article.lines for r in results)  # spans travel as their stored form
    assert all(r.form.spans_json and r.features.id == r.article.id for r in results)
    assert engine._pool is None  # closed


def test_real_corpus_slice_same_with_one_and_two_workers(tmp_path: Path) -> None:
    source = shared_path("data", "ant", "ant_multisource_v2.1.jsonl.gz")
    items = list(itertools.islice(read_paths([source]), 150))
    dumps = []
    for workers in (1, 2):
        db = tmp_path / f"ant{workers}.db"
        with Corpus(db, workers=workers) as corpus:
            corpus.ingest_records(items, batch_size=40)
        dumps.append(_dump(db))
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["articles"]) > 100


@pytest.mark.parametrize("workers", [0, 3])
def test_workers_zero_means_all_cores(workers: int) -> None:
    engine = LocalEngine(("lines",), workers=workers)
    assert engine.workers >= 1
    assert engine.backlog == (0 if engine.workers == 1 else engine.workers)


def test_ingest_command_with_two_workers(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from khabar.cli import cli

    src = _write(tmp_path / "in.jsonl.gz", _records(80))
    _ingest(tmp_path / "one.db", [src], workers=1)
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(src), "--workers", "2",
                                      "--batch-size", "17", "--json", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert _dump(db) == _dump(tmp_path / "one.db")


def test_bulk_gc_restores_the_callers_thresholds() -> None:
    import gc

    from khabar.executors.local import BULK_GC_THRESHOLDS, bulk_gc

    before = gc.get_threshold()
    with bulk_gc():
        during = gc.get_threshold()
    assert all(d >= b for d, b in zip(during, BULK_GC_THRESHOLDS))
    assert gc.get_threshold() == before


def test_warm_up_text_reaches_every_extractor() -> None:
    """The parent runs WARM_UP_TEXT through the stages before forking the workers, so that they
    start with everything loaded: the text must give every extractor something to do."""
    from khabar.executors.local import WARM_UP_TEXT, process_one
    from khabar.model import Article
    from khabar.pipeline import Pipeline

    pipeline = Pipeline()
    pipeline.context["repeated_lines"] = LinesSnapshot({})
    article = process_one(pipeline, Article(id="", text=WARM_UP_TEXT, outlet="khabar-warm-up"))
    assert not isinstance(article, Rejected)
    assert {e.label for e in article.entities} >= {"PER", "LOC", "ORG"}
    assert article.quotes and article.quantities and article.dates
    assert article.language == "ar"


BOOM_MARK = "[[boom]]"


@stage("test_boom_marked", requires=("body",), provides=())
def _boom_marked(article: Article) -> Article:
    """Test stage: fails on an article whose text carries `BOOM_MARK` (a bug its text trips)."""
    if BOOM_MARK in article.text:
        raise IndexError("list index out of range")
    return article


@pytest.mark.parametrize("workers", [1, 2])
def test_an_article_a_stage_fails_on_is_quarantined_and_the_batch_lands(tmp_path: Path, workers: int) -> None:
    records = _records(30)
    records[12] = dict(records[12], text=records[12]["text"] + "\n" + BOOM_MARK)
    src = _write(tmp_path / "in.jsonl.gz", records)
    db = tmp_path / f"w{workers}.db"
    new, duplicate, quarantined = _ingest_stages(db, [src], workers, ("lines", "body", "test_boom_marked", "identify"))
    # 30 texts (one sent twice) and an empty record: 29 stored, the failing one and the
    # empty one quarantined
    assert (new, duplicate, quarantined) == (29, 1, 2)
    reasons = sorted(reason for _, reason in _dump(db)["quarantine"])
    assert reasons[1].startswith("internal error in a pipeline stage (IndexError: list index out of range)")
    assert "\n" not in reasons[1]
