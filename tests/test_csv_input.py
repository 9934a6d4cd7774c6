"""CSV and TSV input: one article per row under a header, the same field mapping as JSONL
(headers matched without regard to case), the encodings spreadsheets export, and a bad row or a
bad file quarantined with a one-line reason while the rest lands."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

from store_audit import ingest_and_snapshot

from khabar.ingest.readers import RawRecord, Rejected, read_paths, record_from_mapping

FAST_STAGES = ["lines", "body", "identify"]
TOWNS = ["جرش", "طبرق", "بنزرت", "المكلا", "دمنهور", "زحلة", "نزوى"]


def row(n: int) -> dict[str, str]:
    town = TOWNS[n % len(TOWNS)]
    return {
        "id": f"r{n}",
        "title": f"بلدية {town} تعلن خطة لتوسعة الشوارع بطول {n + 4} كيلومترات",
        # commas, a doubled quote, Arabic punctuation, a no-break space and a line break
        "text": (f"قال رئيس بلدية {town}، في مؤتمر صحفي، إن \"الخطة\" تبدأ الشهر المقبل؛ "
                 f"وتشمل {n + 4} كيلومترات من الطرق.\u00a0وأضاف: هل تكفي الميزانية؟\n"
                 f"وأجاب بأن الكلفة تبلغ {n * 3 + 2} ملايين، والمتابعة رقم {n * 7907}."),
        "source": f"إذاعة {town}",
        "date": f"2026-04-{n % 27 + 1:02d}T09:{n % 60:02d}:00+00:00",
    }


def write_csv(path: Path, rows: list[dict[str, str]], *, header: list[str] | None = None,
              delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    names = header or list(rows[0])
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(names)
    for r in rows:
        writer.writerow(list(r.values()))
    data = buffer.getvalue().encode(encoding)
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def records(items: list) -> list[RawRecord]:
    return [i for i in items if isinstance(i, RawRecord)]


def test_rows_become_records_with_mapped_fields(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "news.csv", [row(n) for n in range(5)])
    items = list(read_paths([path]))
    assert all(isinstance(i, RawRecord) for i in items)
    # origins name the file's line where the row starts (the first row's text spans two lines)
    assert [i.origin for i in items] == [f"{path}:{line}" for line in (2, 4, 6, 8, 10)]
    first = items[0]
    assert first.text == row(0)["text"]
    assert first.fields == {"title": row(0)["title"], "outlet": "إذاعة جرش",
                            "published": "2026-04-01T09:00:00+00:00", "external_id": "r0"}


def test_capitalised_headers_semicolons_and_windows_1256(tmp_path: Path) -> None:
    # what an older Arabic Excel export looks like: cp1256, semicolons, capitalised names
    rows = [{"Title": r["title"], "Body": r["text"], "Source": r["source"]}
            for r in (row(n) for n in range(3))]
    path = write_csv(tmp_path / "export.csv", rows, delimiter=";", encoding="cp1256")
    items = list(read_paths([path]))
    assert [i.text for i in records(items)] == [row(n)["text"] for n in range(3)]
    assert [i.fields["title"] for i in items] == [row(n)["title"] for n in range(3)]
    assert {i.encoding for i in items} == {"cp1256"}


def test_tsv_utf16_with_bom_and_gzip(tmp_path: Path) -> None:
    rows = [row(n) for n in range(4)]
    utf16 = write_csv(tmp_path / "unicode.tsv", rows, delimiter="\t", encoding="utf-16")
    gz = write_csv(tmp_path / "news.csv.gz", rows)
    bom = write_csv(tmp_path / "bom.csv", rows, encoding="utf-8-sig")
    for path in (utf16, gz, bom):
        items = list(read_paths([path]))
        assert [i.text for i in records(items)] == [r["text"] for r in rows], path.name
        assert items[0].fields["external_id"] == "r0", path.name


def test_bad_rows_are_quarantined_and_the_rest_lands(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "mixed.csv", [row(n) for n in range(3)])
    data = path.read_bytes()
    good = row(3)
    extra = b'"x","y","z","w","v","u"\r\n'  # more fields than the header
    undecodable = ('r9,"' + good["title"] + '","').encode() + b"\xff\xfe broken\xc3" + b'","s","2026"\r\n'
    empty_text = b'r10,"title only","","s",""\r\n'
    blank = b"\r\n,,,,\r\n"
    huge = ('r11,"big","' + "ب" * 140_000 + '","s",""\r\n').encode()
    last = write_csv(tmp_path / "tail.csv", [good]).read_bytes().split(b"\r\n", 1)[1]
    path.write_bytes(data + extra + undecodable + empty_text + blank + huge + last)
    items = list(read_paths([path]))
    reasons = [(i.origin.rsplit(":", 1)[1], i.reason) for i in items if isinstance(i, Rejected)]
    assert reasons == [
        ("8", "6 fields where the header has 5"),
        ("9", "bytes that are not utf-8 text in this row"),
        ("10", "empty body"),
        ("13", "line 13 unreadable (field larger than field limit (131072); an unclosed quote?)"),
    ]
    assert [i.text for i in records(items)] == [row(n)["text"] for n in range(4)]


def test_an_unclosed_quote_names_the_lines_it_swallowed(tmp_path: Path) -> None:
    rows = [row(n) for n in range(3)]
    path = write_csv(tmp_path / "quote.csv", rows)
    broken = "r5,عنوان,\"نص يبدأ باقتباس لا يُغلق\r\n".encode()
    filler = b"".join(f"f{i},t,{'ج' * 900},s,d\r\n".encode() for i in range(200))
    path.write_bytes(path.read_bytes() + broken + filler + write_csv(
        tmp_path / "t.csv", [row(7)]).read_bytes().split(b"\r\n", 1)[1])
    items = list(read_paths([path]))
    lost = [i for i in items if isinstance(i, Rejected)]
    assert len(lost) == 1 and len(lost[0].reason.splitlines()) == 1
    assert lost[0].reason.startswith("lines 8-") and "unclosed quote" in lost[0].reason
    kept = [i.text for i in records(items)]
    assert kept[:3] == [r["text"] for r in rows]


def test_a_row_with_extra_fields_over_several_lines_names_them(tmp_path: Path) -> None:
    # a quote left open on line 2 closes on line 3 and runs the two rows into one with too many
    # fields: the reason named line 2 only, and the article of line 3 went missing unmentioned
    path = tmp_path / "short.csv"
    path.write_text('title,text\n"عنوان","قال المتحدث إن\n"عنوان آخر","افتتحت البلدية سوقا شعبية'
                    ' جديدة في الحي الغربي."\n"ثالث","وصلت قافلة المساعدات إلى القرية صباح اليوم."\n',
                    encoding="utf-8")
    items = list(read_paths([path]))
    lost = [(i.origin, i.reason) for i in items if isinstance(i, Rejected)]
    assert lost == [(f"{path}:2", "3 fields where the header has 2 (lines 2-3: an unclosed quote?)")]
    assert [i.text for i in records(items)] == ["وصلت قافلة المساعدات إلى القرية صباح اليوم."]


def test_files_that_are_no_table_are_one_reason_each(tmp_path: Path) -> None:
    (tmp_path / "a_empty.csv").write_bytes(b"")
    (tmp_path / "b_header_only.csv").write_text("title,text\r\n", encoding="utf-8")
    (tmp_path / "c_no_text.csv").write_text("name,age\r\nسلمى,30\r\n", encoding="utf-8")
    (tmp_path / "d_binary.csv").write_bytes(bytes(range(256)) * 50)
    write_csv(tmp_path / "e_good.csv", [row(0)])
    items = list(read_paths([tmp_path]))
    got = [(Path(i.origin).name.split(":")[0], i.reason) for i in items if isinstance(i, Rejected)]
    assert [name for name, _ in got] == ["a_empty.csv", "b_header_only.csv", "c_no_text.csv",
                                         "d_binary.csv"]
    assert got[0][1] == "empty file"
    assert got[1][1] == "no rows after the header"
    assert got[2][1] == ("no text column in the header (looked for text/content/body/article/"
                         "full_text/maintext/articleBody/article_body/article_text; found name, age)")
    assert got[3][1].startswith("not a text table")
    assert all(len(reason.splitlines()) == 1 for _, reason in got)
    assert [i.text for i in records(items)] == [row(0)["text"]]


def test_a_header_of_control_characters_is_named_on_one_line(tmp_path: Path) -> None:
    # found by benchmarks/fuzz.py: a quoted header name may hold a line break
    (tmp_path / "odd.csv").write_bytes(b'"\x00\n\x01","name\r\nsecond line"\r\nx,y\r\n')
    (item,) = read_paths([tmp_path / "odd.csv"])
    assert item.reason == ("no text column in the header (looked for text/content/body/article/"
                           "full_text/maintext/articleBody/article_body/article_text; found '\\x00\\n\\x01', "
                           "name second line)")


def test_a_csv_cut_anywhere_gives_records_or_reasons(tmp_path: Path) -> None:
    whole = write_csv(tmp_path / "whole.csv.gz", [row(n) for n in range(6)]).read_bytes()
    cut = tmp_path / "cut.csv.gz"
    for end in range(0, len(whole), 53):
        cut.write_bytes(whole[:end])
        for item in read_paths([cut]):
            assert isinstance(item, RawRecord) or len(item.reason.splitlines()) == 1, end


def test_json_keys_are_matched_without_regard_to_case() -> None:
    rec = record_from_mapping({"Headline": "عنوان", "TEXT": "نص الخبر", "Site": "موقع",
                               "text_lang": "ar"}, "x:1")
    assert isinstance(rec, RawRecord)
    assert (rec.text, rec.fields["title"], rec.fields["outlet"]) == ("نص الخبر", "عنوان", "موقع")
    assert rec.extra == {"text_lang": "ar"}
    exact = record_from_mapping({"text": "الأول", "Text": "الثاني"}, "x:2")
    assert exact.text == "الأول"  # an exact match comes first


def test_headers_as_spreadsheets_write_them(tmp_path: Path) -> None:
    """`Article Text`, `Published Date`, `Source Name`, `Doc-ID`: a column's name is matched in
    any case and with spaces, underscores, hyphens and dots not counted, as exports write it."""
    rows = [{"Doc-ID": r["id"], "Headline": r["title"], "Article Text": r["text"],
             "Source Name": r["source"], "Published Date": r["date"], "Page Views": "12"}
            for r in (row(n) for n in range(3))]
    path = write_csv(tmp_path / "sheet.csv", rows)
    items = list(read_paths([path]))
    assert [i.text for i in records(items)] == [row(n)["text"] for n in range(3)], items
    assert items[0].fields == {"title": row(0)["title"], "outlet": row(0)["source"],
                               "published": row(0)["date"], "external_id": "r0"}
    assert items[0].extra == {"Page Views": "12"}
    # the same from JSON keys; the field map's order decides between two text keys (full_text
    # comes before article_body), and an exact key comes before a folded one
    rec = record_from_mapping({"Article Body": "نص الخبر", "source.name": "موقع"}, "x:1")
    assert isinstance(rec, RawRecord) and (rec.text, rec.fields["outlet"]) == ("نص الخبر", "موقع")
    assert record_from_mapping({"Article Body": "نص الخبر", "full text": "نص آخر"}, "x:3").text == "نص آخر"
    assert record_from_mapping({"body": "الأول", "BODY ": "الثاني"}, "x:2").text == "الأول"
    # the map's order decides, each key tried as written and then loosely (review 21): a
    # spreadsheet's Date before the crawler's date_extracted, and its Time (the clock) last
    ranked = record_from_mapping({"text": "نص", "date_extracted": "2026-04-05 01:00", "Date": "2026-04-02"}, "x:4")
    assert ranked.fields["published"] == "2026-04-02"
    clock = record_from_mapping({"text": "نص", "Time": "09:30", "Published Date": "2026-04-02"}, "x:5")
    assert clock.fields["published"] == "2026-04-02" and clock.extra == {"Time": "09:30"}
    assert record_from_mapping({"text": "نص", "time": "1775000000"}, "x:6").fields["published"] == "1775000000"


def test_ingest_stores_the_same_articles_from_csv_as_from_jsonl(tmp_path: Path) -> None:
    rows = [row(n) for n in range(10)]
    rows.append(dict(row(0), id="r0-again"))  # a reprint: the same text again
    (tmp_path / "c").mkdir()
    (tmp_path / "j").mkdir()
    write_csv(tmp_path / "c" / "news.csv", rows)
    with open(tmp_path / "j" / "news.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    snaps = {}
    for kind, name in (("c", "news.csv"), ("j", "news.jsonl")):
        report, snaps[kind] = ingest_and_snapshot(tmp_path / f"{kind}.db", tmp_path / kind / name,
                                                  FAST_STAGES)
        assert (report["new"], report["duplicate"]) == (10, 1)
    for part in ("articles", "story_members", "outlet_counts", "outlet_lines"):
        assert snaps["c"][part] == snaps["j"][part], part


def test_an_html_column_named_as_a_spreadsheet_writes_it_is_read(tmp_path: Path) -> None:
    """`Raw HTML`, `HTML`, `Content-HTML`: the header check folds the page keys like the text
    keys, so each row must read its page from them too (they were every one rejected as 'no
    text field' under a header that had passed)."""
    page = ("<html><head><title>افتتاح جسر المشاة في حي الزيتون</title></head><body><article>"
            "<p>افتتحت البلدية صباح اليوم جسرا للمشاة فوق الطريق الدائري بعد عامين من العمل.</p>"
            "<p>وقال مدير الأشغال إن الجسر يخدم تلاميذ ثلاث مدارس في الحي.</p></article></body></html>")
    for key in ("Raw HTML", "HTML", "Content-HTML"):
        rec = record_from_mapping({"ID": "j1", key: page}, "x:1")
        assert isinstance(rec, RawRecord), (key, rec)
        assert "جسرا للمشاة" in rec.text and rec.fields["title"].startswith("افتتاح جسر")
        assert key not in rec.extra  # the page became the text
    path = write_csv(tmp_path / "pages.csv", [{"ID": "j1", "Raw HTML": page}])
    (item,) = read_paths([path])
    assert isinstance(item, RawRecord) and "تلاميذ ثلاث مدارس" in item.text, item
    # beside a text, the page is still no metadata to store
    both = record_from_mapping({"text": "نص الخبر كما نشر", "Raw HTML": page}, "x:2")
    assert isinstance(both, RawRecord) and both.text == "نص الخبر كما نشر" and not both.extra
