"""Parquet input: one article per row, the same field mapping as JSONL, bad rows and bad files
quarantined with a reason while the rest lands, and the same articles as from JSONL."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from store_audit import ingest_and_snapshot

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'khabar[parquet]')")
import pyarrow.parquet as pq  # noqa: E402

from khabar.ingest.readers import RawRecord, Rejected, read_paths  # noqa: E402

FAST_STAGES = ["lines", "body", "identify"]
PLACES = ["إربد", "الموصل", "صيدا", "أسوان", "سوسة", "فاس", "صلالة", "الزرقاء"]
WORKS = ["جسر المشاة", "محطة تحلية المياه", "مدرسة البنات الثانوية", "سوق الخضار المركزي"]


def row(n: int) -> dict:
    place, work = PLACES[n % len(PLACES)], WORKS[n % len(WORKS)]
    return {
        "id": f"art-{n}",
        "title": f"افتتاح {work} في {place} بعد تأخير دام {n + 2} أشهر",
        "text": (f"افتتح محافظ {place} صباح اليوم {work} الذي انتظره السكان طويلاً، "
                 f"وقال إن كلفته بلغت {n + 3} ملايين دينار.\u00a0وأضاف أن العمل سيبدأ "
                 f"في مشروع ثانٍ خلال {n % 9 + 1} أسابيع؛ فهل يُنجز في موعده؟ "
                 f"رقم المتابعة {n * 7919}."),
        "source": f"صحيفة {place}",
        "date": dt.datetime(2026, 3, 1 + n % 20, 8, n % 60, tzinfo=dt.timezone.utc),
        "tags": ["محليات", place],
        "thumbnail": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01",  # binary, not read
    }


def write(path: Path, rows: list[dict], row_group_size: int = 4) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return path


def test_rows_become_records_with_mapped_fields(tmp_path: Path) -> None:
    path = write(tmp_path / "news.parquet", [row(n) for n in range(10)])
    items = list(read_paths([path]))
    assert [i.origin for i in items] == [f"{path}:{n}" for n in range(1, 11)]  # over 3 row groups
    first = items[0]
    assert isinstance(first, RawRecord)
    assert first.text == row(0)["text"]
    assert first.fields["title"] == row(0)["title"]
    assert first.fields["outlet"] == "صحيفة إربد"
    assert first.fields["external_id"] == "art-0"
    assert first.fields["published"] == "2026-03-01T08:00:00+00:00"
    assert json.loads(first.extra["tags"]) == ["محليات", "إربد"]
    assert "thumbnail" not in first.extra


def test_bad_rows_are_quarantined_and_the_rest_lands(tmp_path: Path) -> None:
    rows = [row(n) for n in range(6)]
    rows[1]["text"] = ""
    rows[3]["text"] = None
    rows[4]["title"] = "\x00\x01\x02 not text".encode()  # a mapped column that is not text
    for r in rows:
        r["title"] = r["title"] if isinstance(r["title"], bytes) else r["title"].encode("utf-8")
    items = list(read_paths([write(tmp_path / "mixed.parquet", rows)]))
    reasons = {i.origin.rsplit(":", 1)[1]: i.reason for i in items if isinstance(i, Rejected)}
    assert reasons == {"2": "empty body", "4": "empty body",
                       "5": "column title: binary file (contains NUL bytes and is not UTF-16)"}
    kept = [i for i in items if isinstance(i, RawRecord)]
    assert [r.fields["title"] for r in kept] == [row(n)["title"] for n in (0, 2, 5)]  # bytes decoded


def test_a_file_that_is_not_parquet_is_one_reason(tmp_path: Path) -> None:
    fake = tmp_path / "a.parquet"
    fake.write_text("هذا ليس ملف باركيه", encoding="utf-8")
    good = write(tmp_path / "b.parquet", [row(n) for n in range(3)])
    cut = tmp_path / "c.parquet"
    cut.write_bytes(good.read_bytes()[:-40])  # the footer cut off
    items = list(read_paths([tmp_path]))
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert [(Path(r.origin).name, r.reason.split(":")[0]) for r in rejected] == [
        ("a.parquet", "not a readable Parquet file"), ("c.parquet", "not a readable Parquet file")]
    assert all(len(r.reason.splitlines()) == 1 for r in rejected)
    assert sum(isinstance(i, RawRecord) for i in items) == 3


def test_without_pyarrow_the_file_is_quarantined_with_the_install_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "news.parquet", [row(0)])
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # import fails as if not installed
    (item,) = read_paths([path])
    assert isinstance(item, Rejected)
    assert item.reason == "reading Parquet needs pyarrow: pip install 'khabar[parquet]'"


def test_ingest_stores_the_same_articles_from_parquet_as_from_jsonl(tmp_path: Path) -> None:
    rows = [row(n) for n in range(12)]
    rows.append(dict(row(0), id="art-0-again"))  # a reprint: the same text again
    (tmp_path / "p").mkdir()
    (tmp_path / "j").mkdir()
    write(tmp_path / "p" / "news.parquet", rows)
    with open(tmp_path / "j" / "news.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            r = {k: v.isoformat() if isinstance(v, dt.datetime) else v
                 for k, v in r.items() if k != "thumbnail"}
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    snaps = {}
    for kind, name in (("p", "news.parquet"), ("j", "news.jsonl")):
        report, snaps[kind] = ingest_and_snapshot(tmp_path / f"{kind}.db", tmp_path / kind / name,
                                                  FAST_STAGES)
        assert (report["new"], report["duplicate"]) == (12, 1)
    for part in ("articles", "story_members", "outlet_counts", "outlet_lines"):
        assert snaps["p"][part] == snaps["j"][part], part
    published = {title: when for _, _, title, _, when, _, _ in snaps["p"]["articles"]}
    assert published[row(3)["title"]].startswith("2026-03-04T08:03")  # the timestamp column


def test_a_parquet_file_cut_anywhere_gives_records_or_reasons(tmp_path: Path) -> None:
    whole = write(tmp_path / "whole.parquet", [row(n) for n in range(9)], row_group_size=3).read_bytes()
    cut = tmp_path / "cut.parquet"
    for end in range(0, len(whole), 97):
        cut.write_bytes(whole[:end])
        items = list(read_paths([cut]))
        assert items, end
        for item in items:
            assert isinstance(item, RawRecord) or len(item.reason.splitlines()) == 1
    # damage inside the data, footer intact: a row group may be lost, never the file's others
    damaged = bytearray(whole)
    damaged[200:260] = b"\xff" * 60
    cut.write_bytes(bytes(damaged))
    items = list(read_paths([cut]))
    assert [i.text for i in items if isinstance(i, RawRecord)] == [row(n)["text"] for n in range(3, 9)]
    (lost,) = [i for i in items if isinstance(i, Rejected)]
    assert lost.origin.endswith(":1-3") and lost.reason.startswith("row group 1 of 3 unreadable")


def test_one_bad_value_costs_its_row_only(tmp_path: Path) -> None:
    n = 300
    dates = pa.array([10**12] * 149 + [2**50] + [10**12] * 150, pa.int64()).cast(pa.timestamp("ms"))
    table = pa.table({
        "text": [row(i)["text"] for i in range(n)],
        "date": dates,  # read (published): the bad value rejects its row
        "stamp": dates,  # not read: the column is left out
        "nanos": pa.array([i * 10**9 + 7 for i in range(n)], pa.timestamp("ns")),
        "odd": pa.array([dt.timedelta(days=i) for i in range(n)], pa.duration("s")),
    })
    path = tmp_path / "one_bad.parquet"
    pq.write_table(table, path, row_group_size=n)
    items = list(read_paths([path]))
    rejected = [(i.origin.rsplit(":", 1)[1], i.reason) for i in items if isinstance(i, Rejected)]
    assert rejected == [("150", "column date: date value out of range")]
    kept = [i for i in items if isinstance(i, RawRecord)]
    assert len(kept) == n - 1
    assert kept[0].fields["published"] == "2001-09-09T01:46:40"
    assert kept[1].extra["nanos"] == "1970-01-01T00:00:01"  # to the microsecond


def test_list_and_struct_columns_in_mapped_fields_are_read(tmp_path: Path) -> None:
    rows = [dict(row(n), author=["هدى سالم", "مازن خليل"][: n + 1],
                 source={"name": f"صحيفة {PLACES[n]}", "country": "JO"}) for n in range(2)]
    rows[0]["text"] = [rows[0]["text"]]
    rows[1]["text"] = ["فقرة أولى من الخبر المنشور اليوم.", "فقرة ثانية من الخبر نفسه."]
    items = list(read_paths([write(tmp_path / "lists.parquet", rows)]))
    assert all(isinstance(i, RawRecord) for i in items), items
    assert items[0].fields["author"] == "هدى سالم" and items[0].text == row(0)["text"]
    assert items[1].fields["author"] == "هدى سالم، مازن خليل"
    assert items[1].fields["outlet"] == "صحيفة الموصل"
    assert items[1].text == "فقرة أولى من الخبر المنشور اليوم.\n\nفقرة ثانية من الخبر نفسه."


def test_binary_cells_are_not_text(tmp_path: Path) -> None:
    rows = [dict(row(n), thumbnail=b"\xff\xd8\xff\xe0" + bytes(range(40))) for n in range(2)]
    rows[1]["text"] = b"\xff\xfe\x00bad"
    rows[0]["text"] = rows[0]["text"].encode()
    items = list(read_paths([write(tmp_path / "bin.parquet", rows)]))
    assert isinstance(items[0], RawRecord) and "thumbnail" not in items[0].extra  # a JPEG: left out
    assert isinstance(items[1], Rejected) and items[1].reason.startswith("column text: not text")


def test_a_bad_value_in_a_column_read_by_its_folded_name_costs_its_row(tmp_path: Path) -> None:
    """`Published Date` is read as published (names are folded), so a value in it that cannot
    be converted rejects its row as `date` would, instead of the column being dropped as one
    khabar does not read and the row landing undated."""
    n = 4
    dates = pa.array([10**12, 2**50, 10**12, 10**12], pa.int64()).cast(pa.timestamp("ms"))
    table = pa.table({"Article Text": [row(i)["text"] for i in range(n)], "Published Date": dates})
    path = tmp_path / "sheet.parquet"
    pq.write_table(table, path)
    items = list(read_paths([path]))
    rejected = [(i.origin.rsplit(":", 1)[1], i.reason) for i in items if isinstance(i, Rejected)]
    assert rejected == [("2", "column Published Date: date value out of range")]
    assert [i.fields["published"] for i in items if isinstance(i, RawRecord)] == ["2001-09-09T01:46:40"] * 3
    # the same for bytes that are no text, in a text column named as a spreadsheet names it
    table = pa.table({"Article Text": [row(0)["text"].encode(), b"\x00\x01\x02 not text"]})
    pq.write_table(table, path)
    items = list(read_paths([path]))
    assert isinstance(items[0], RawRecord)
    assert isinstance(items[1], Rejected) and items[1].reason.startswith("column Article Text: "), items[1]
