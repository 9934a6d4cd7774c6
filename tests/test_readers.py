from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from khabar.errors import InputError
from khabar.ingest import RawRecord, Rejected, parse_field_map, read_file, read_paths, read_stdin

# Records shaped like the two big dumps we ingest with no flags: one names its fields
# source/content/date_extracted, the other src/text/time/docno.
DUMP_STYLE_RECORDS = [
    {
        "source": "al-yawm",
        "url": "https://al-yawm.example/a/1",
        "date_extracted": "2026-03-02 08:15:00",
        "title": "افتتاح معرض الكتاب",
        "author": "الرياض: سارة",
        "content": "افتتح أمير المنطقة معرض الكتاب الدولي صباح اليوم.",
    },
    {
        "docno": "XN-world-7-20260302",
        "src": "xnews",
        "time": "Mon, 02 Mar 2026 10:00:00 +0300",
        "title": "أمطار غزيرة",
        "text": "هطلت أمطار غزيرة على المدينة الساحلية طوال الليل.",
    },
]


def write_jsonl(path: Path, rows: list, *, gz: bool = False) -> Path:
    data = "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_dump_field_names_map_to_article_fields_without_flags(tmp_path: Path, gz: bool) -> None:
    path = write_jsonl(tmp_path / ("d.jsonl.gz" if gz else "d.jsonl"), DUMP_STYLE_RECORDS, gz=gz)
    first, second = list(read_file(path))
    assert isinstance(first, RawRecord) and isinstance(second, RawRecord)
    assert first.fields["outlet"] == "al-yawm"
    assert first.fields["published"] == "2026-03-02 08:15:00"
    assert first.text.startswith("افتتح")
    assert second.fields["outlet"] == "xnews"
    assert second.fields["external_id"] == "XN-world-7-20260302"
    assert second.fields["published"].startswith("Mon, 02 Mar")
    assert second.origin.endswith(":2")


def test_broken_lines_are_rejected_one_by_one_and_the_rest_is_read(tmp_path: Path) -> None:
    rows = [
        DUMP_STYLE_RECORDS[0],
        '{"content": "نص مقطوع',
        "[1, 2, 3]",
        {"title": "بلا نص", "content": ""},
        {"title": "لا حقل للنص"},
        DUMP_STYLE_RECORDS[1],
    ]
    items = list(read_file(write_jsonl(tmp_path / "mixed.jsonl", rows)))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["RawRecord", "Rejected", "Rejected", "Rejected", "Rejected", "RawRecord"]
    reasons = [i.reason for i in items if isinstance(i, Rejected)]
    assert reasons[0].startswith("invalid JSON")
    assert reasons[1] == "expected a JSON object, got an array with no object in it"
    assert reasons[2] == "empty body"
    assert reasons[3].startswith("no text field")
    assert items[1].origin.endswith("mixed.jsonl:2")


def test_a_list_or_object_where_text_belongs_is_rejected_not_stored_as_its_brackets(tmp_path: Path) -> None:
    rows = [
        {"title": 5, "text": [{"p": "قائمة"}, {"p": "بدلا من نص"}]},
        {"title": "عنوان", "body": {"p": "فقرة"}},
        {"title": "عنوان", "text": "قال المتحدث إن الجسر سيفتح غدا.", "outlet": ["صحيفة", "أخرى"]},
        {"title": 7, "text": "قال المتحدث إن الجسر سيفتح غدا."},
    ]
    path = write_jsonl(tmp_path / "types.jsonl", rows)
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"text": "نص لم يغلق')  # the last line, cut short
    items = list(read_file(path))
    reasons = [i.reason if isinstance(i, Rejected) else None for i in items]
    assert reasons[:3] == ["field 'text' is a list, not text",
                           "field 'body' (read as text) is an object, not text",
                           "field 'outlet' is a list, not text"]
    assert reasons[3] is None and items[3].fields["title"] == "7"  # a number is fine as text
    assert reasons[4] == "invalid JSON: Unterminated string starting at column 10"


def test_lists_and_objects_with_a_sensible_reading_are_read(tmp_path: Path) -> None:
    text = "قال المتحدث إن الجسر سيفتح غدا أمام السيارات."
    rows = [
        {"id": "a1", "text": text, "author": ["سلمى يوسف", "  ", "كريم ناصر"]},
        {"id": "a2", "text": ["الفقرة الأولى من الخبر.", "", "الفقرة الثانية من الخبر."],
         "outlet": {"@type": "Organization", "Name": "صحيفة الوادي", "url": "https://x.example"}},
        {"id": "a3", "text": text, "author": [{"@type": "Person", "name": "ليلى حداد"}],
         "url": ["https://x.example/a3"]},
        {"id": "a4", "text": text, "outlet": {"id": 17, "country": "JO"}},
        {"id": "a5", "text": text, "title": ["عنوان", "وعنوان آخر"]},
    ]
    items = list(read_file(write_jsonl(tmp_path / "shapes.jsonl", rows)))
    first, second, third = items[:3]
    assert isinstance(first, RawRecord) and first.fields["author"] == "سلمى يوسف، كريم ناصر"
    assert isinstance(second, RawRecord)
    assert second.text == "الفقرة الأولى من الخبر.\n\nالفقرة الثانية من الخبر."
    assert second.fields["outlet"] == "صحيفة الوادي"
    assert isinstance(third, RawRecord) and third.fields["author"] == "ليلى حداد"
    assert third.fields["url"] == "https://x.example/a3"
    assert isinstance(items[3], Rejected)
    assert items[3].reason == "field 'outlet' is an object with no name/title/label key, not text"
    assert isinstance(items[4], Rejected) and items[4].reason == "field 'title' is a list, not text"


def test_undecodable_line_in_jsonl_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        json.dumps(DUMP_STYLE_RECORDS[0], ensure_ascii=False).encode() + b"\n"
        + b'{"content": "' + "خبر".encode("cp1256") + b'"}\n'
    )
    items = list(read_file(path))
    assert isinstance(items[0], RawRecord)
    assert isinstance(items[1], Rejected) and "not UTF-8" in items[1].reason


def test_oversized_line_is_rejected_without_losing_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar.ingest import readers

    monkeypatch.setattr(readers, "MAX_RECORD_BYTES", 1000)
    huge = json.dumps({"content": "ك" * 5000}, ensure_ascii=False)
    items = list(read_file(write_jsonl(tmp_path / "huge.jsonl", [huge, DUMP_STYLE_RECORDS[0]])))
    assert isinstance(items[0], Rejected) and "longer than" in items[0].reason
    assert isinstance(items[1], RawRecord) and items[1].origin.endswith(":2")


def test_truncated_gzip_keeps_what_was_read_and_says_where_it_broke(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "t.jsonl.gz", DUMP_STYLE_RECORDS * 200, gz=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    items = list(read_file(path))
    assert isinstance(items[-1], Rejected) and "broken" in items[-1].reason
    assert sum(isinstance(i, RawRecord) for i in items) > 10


def test_directories_are_read_recursively_in_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("خبر أول\nنص الخبر الأول.", encoding="utf-8")
    (tmp_path / "b" / "c" / "z.txt").write_text("خبر ثان\nنص الخبر الثاني.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("مخفي", encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert [Path(i.origin).name for i in items] == ["a.txt", "z.txt", ".hidden.txt"]
    assert items[-1].reason == "hidden file (its name starts with a dot)"  # skipped, counted


def test_missing_path_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_paths(["/nonexistent/khabar-input"]))


def test_stdin_jsonl_and_stdin_text() -> None:
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in DUMP_STYLE_RECORDS).encode()
    assert len(list(read_stdin(io.BufferedReader(io.BytesIO(data))))) == 2
    single = list(read_stdin(io.BufferedReader(io.BytesIO("عنوان\nنص الخبر.".encode("cp1256")))))
    assert isinstance(single[0], RawRecord) and single[0].encoding == "cp1256"


def test_jsonl_text_with_only_br_tags_gets_line_breaks() -> None:
    record = {"id": "b1", "text": "سطر أول عن الطقس.<br>سطر ثان عن المطر.<BR/>سطر ثالث عن الرياح."}
    stream = io.BufferedReader(io.BytesIO(json.dumps(record, ensure_ascii=False).encode()))
    (item,) = list(read_stdin(stream))
    assert item.text.split("\n") == ["سطر أول عن الطقس.", "سطر ثان عن المطر.", "سطر ثالث عن الرياح."]


def test_json_array_document_is_read_as_records(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps(DUMP_STYLE_RECORDS, ensure_ascii=False), encoding="utf-8")
    assert [type(i) for i in read_file(path)] == [RawRecord, RawRecord]


def test_field_map_overrides_and_rejects_unknown_fields() -> None:
    mapping = parse_field_map(["text=story_body", "outlet=site,paper"])
    assert mapping["text"] == ("story_body",)
    assert mapping["outlet"] == ("site", "paper")
    with pytest.raises(InputError):
        parse_field_map(["colour=red"])
    with pytest.raises(InputError):
        parse_field_map(["text"])


_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>نشرة الساحل</title><link>https://sahel.example/</link>
<item><title>افتتاح ميناء الصيد الجديد</title><link>https://sahel.example/news/1</link>
<pubDate>Tue, 10 Mar 2026 08:30:00 +0300</pubDate>
<description>افتتح المحافظ ميناء الصيد الجديد.</description>
<content:encoded><![CDATA[<p>افتتح المحافظ صباح الثلاثاء ميناء الصيد الجديد في المدينة.</p><p>ويتسع الميناء لمئة وعشرين قارباً.</p>]]></content:encoded></item>
<item><title>عنوان بلا نص</title><link>https://sahel.example/news/2</link></item>
</channel></rss>"""

_ATOM = """<feed xmlns="http://www.w3.org/2005/Atom"><title>مدونة الاقتصاد</title>
<entry><title>ارتفاع أسعار الأسمنت</title><id>urn:x:1</id><updated>2026-03-11T12:00:00+02:00</updated>
<link href="https://iqtisad.example/1"/><summary>ارتفعت أسعار الأسمنت في الأسواق المحلية للشهر الثالث على التوالي.</summary></entry>
</feed>"""


def test_a_saved_feed_is_read_item_by_item(tmp_path: Path) -> None:
    (tmp_path / "sahel.xml").write_text(_RSS, encoding="utf-8")
    (tmp_path / "atom.atom").write_text(_ATOM, encoding="utf-8")
    items = list(read_paths([tmp_path]))
    records = [i for i in items if isinstance(i, RawRecord)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert [r.fields["title"] for r in records] == ["ارتفاع أسعار الأسمنت", "افتتاح ميناء الصيد الجديد"]
    atom, rss = records
    assert atom.fields["outlet"] == "مدونة الاقتصاد" and atom.fields["url"] == "https://iqtisad.example/1"
    assert rss.fields["published"] == "2026-03-10T08:30:00+03:00" and rss.origin.endswith("sahel.xml:1")
    assert "لمئة وعشرين قارباً" in rss.text  # content:encoded, longer than the description
    assert "<p>" not in rss.text and rss.text.startswith("افتتاح ميناء الصيد الجديد\n")
    (bad,) = rejected
    assert bad.origin.endswith("sahel.xml:2") and "without text" in bad.reason


SHAPE_ROWS = [
    {"id": "s1", "title": "افتتاح طريق جديد", "text": "افتتحت البلدية صباح اليوم طريقاً جديداً يربط الحيين."},
    {"id": "s2", "title": "أمطار غزيرة", "text": "هطلت أمطار غزيرة على المدينة مساء أمس دون أضرار."},
]


def _texts(items: list) -> list[str]:
    return [i.text if isinstance(i, RawRecord) else f"✗ {i.reason}" for i in items]


def test_json_lines_under_another_name_are_sniffed(tmp_path: Path) -> None:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SHAPE_ROWS).encode()
    (tmp_path / "dump.gz").write_bytes(gzip.compress(lines))
    (tmp_path / "dump.txt").write_bytes(lines)
    (tmp_path / "one.txt").write_text(json.dumps(SHAPE_ROWS[0], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "plain.txt").write_text("[عاجل] " + SHAPE_ROWS[1]["text"], encoding="utf-8")
    texts = [r["text"] for r in SHAPE_ROWS]
    assert _texts(list(read_file(tmp_path / "dump.gz"))) == texts
    assert _texts(list(read_file(tmp_path / "dump.txt"))) == texts
    (one,) = read_file(tmp_path / "one.txt")
    assert isinstance(one, RawRecord) and one.fields["external_id"] == "s1"
    # text that merely starts with a bracket is still one article
    assert _texts(list(read_file(tmp_path / "plain.txt"))) == ["[عاجل] " + texts[1]]


def test_json_in_the_wrong_shape_is_read_as_what_it_is(tmp_path: Path) -> None:
    texts = [r["text"] for r in SHAPE_ROWS]
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in SHAPE_ROWS).encode("utf-16"))
    items = list(read_file(utf16))
    assert _texts(items) == texts and items[1].origin == f"{utf16}:2"
    pretty = tmp_path / "pretty.jsonl"
    pretty.write_text(json.dumps(SHAPE_ROWS[0], ensure_ascii=False, indent=2), encoding="utf-8")
    assert _texts(list(read_file(pretty))) == texts[:1]
    two = tmp_path / "two.json"
    two.write_text("\n".join(json.dumps(r, ensure_ascii=False, indent=2) for r in SHAPE_ROWS), encoding="utf-8")
    items = list(read_file(two))
    assert _texts(items) == texts and items[1].origin == f"{two}:6"
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(SHAPE_ROWS[0], indent=2)[:-3], encoding="utf-8")
    first, *rest = read_file(broken)
    assert isinstance(first, Rejected) and first.reason == (  # where the document breaks
        "invalid JSON: Expecting property name enclosed in double quotes at column 1;"
        " read whole, not a JSON document either: Unterminated string starting at line 4 column 11")
    assert all(isinstance(i, Rejected) and " either" not in i.reason for i in rest)
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"status": "ok", "total": 2, "articles": SHAPE_ROWS}), encoding="utf-8")
    items = list(read_file(wrapped))
    assert _texts(items) == texts and items[0].origin == f"{wrapped}.articles[1]"


def test_hidden_files_and_folders_are_counted_as_skipped(tmp_path: Path) -> None:
    from khabar.ingest.readers import Skipped

    (tmp_path / "news.txt").write_text(SHAPE_ROWS[0]["text"], encoding="utf-8")
    (tmp_path / ".draft.txt").write_text(SHAPE_ROWS[1]["text"], encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "old.txt").write_text(SHAPE_ROWS[1]["text"], encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert _texts(items[:1]) == [SHAPE_ROWS[0]["text"]]
    assert [(type(i), i.origin, i.reason) for i in items[1:]] == [
        (Skipped, str(tmp_path / ".cache"), "hidden folder (its name starts with a dot)"),
        (Skipped, str(tmp_path / ".draft.txt"), "hidden file (its name starts with a dot)")]
    # a hidden file named on the command line is read
    assert _texts(list(read_paths([tmp_path / ".draft.txt"]))) == [SHAPE_ROWS[1]["text"]]


def test_a_link_to_a_folder_inside_a_folder_is_counted_as_skipped(tmp_path: Path) -> None:
    # os.walk does not follow it (a link to a folder above would loop): its files went unread
    # and unmentioned
    from khabar.ingest.readers import Skipped

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text(SHAPE_ROWS[1]["text"], encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SHAPE_ROWS[0]["text"], encoding="utf-8")
    (folder / "more").symlink_to(elsewhere, target_is_directory=True)
    (folder / "up").symlink_to(folder, target_is_directory=True)
    items = list(read_paths([folder]))
    assert _texts(items[:1]) == [SHAPE_ROWS[0]["text"]]
    assert [(type(i), i.origin, i.reason) for i in items[1:]] == [
        (Skipped, str(folder / "more"), "link to a folder (not followed: name it to read it)"),
        (Skipped, str(folder / "up"), "link to a folder (not followed: name it to read it)")]
    # named, it is read
    assert _texts(list(read_paths([folder / "more"]))) == [SHAPE_ROWS[1]["text"]]


def test_stdin_sniffs_gzip_warc_parquet_and_json_documents() -> None:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SHAPE_ROWS).encode()
    texts = [r["text"] for r in SHAPE_ROWS]

    def stdin(data: bytes) -> list:
        return list(read_stdin(io.BufferedReader(io.BytesIO(data))))

    items = stdin(gzip.compress(lines))
    assert _texts(items) == texts and items[0].origin == "-:1"
    assert _texts(stdin(json.dumps(SHAPE_ROWS, ensure_ascii=False, indent=1).encode())) == texts
    assert _texts(stdin(b"PAR1\x15\x04" + bytes(40))) == [
        "✗ Parquet data on standard input: pass the file's path instead"]
    (item,) = stdin(gzip.compress(b"\x1f\x8b\x08 not really gzip"))  # gzip in gzip: one level only
    assert isinstance(item, Rejected) and item.reason == "binary file: gzip data (name the file .gz)"
    (item,) = stdin(gzip.compress(lines)[:30])
    assert isinstance(item, Rejected) and item.reason.startswith("cannot read")


def test_stdin_reads_a_csv_or_tsv_table_row_by_row() -> None:
    rows = ["قرر المجلس البلدي أمس توسيع شبكة المياه في الأحياء الشرقية، وفق بيان رسمي.",
            "افتتحت الجامعة مختبرا جديدا للطاقة الشمسية بحضور عدد من الباحثين."]

    def stdin(data: bytes) -> list:
        return list(read_stdin(io.BufferedReader(io.BytesIO(data))))

    csv_text = 'id,Title,TEXT\n7,مياه,"' + rows[0] + '"\n8,طاقة,"' + rows[1] + '"\n'
    items = stdin(csv_text.encode())
    assert _texts(items) == rows and items[0].fields["title"] == "مياه" and items[1].origin == "-:3"
    assert _texts(stdin(("\ufeffcontent\tid\n" + rows[1] + "\t9\n").encode("utf-16"))) == [rows[1]]
    # an article whose first line happens to hold commas is still one article
    one = "تحديث, عاجل, خبر\n" + rows[0]
    assert _texts(stdin(one.encode())) == [one]
    assert _texts(stdin(b"id,title\n1,x\n")) == ["id,title\n1,x\n"]  # no text column: one text
    # review 20: a first line of words that happen to name a text column, then plain text
    crumbs = "Home,News,Article\n" + rows[1]
    assert _texts(stdin(crumbs.encode())) == [crumbs]
    # column names of two words, as a spreadsheet's export writes them
    sheet = 'Title,Article Text,Published Date\nمياه,"' + rows[0] + '",2026-04-02\n'
    (item,) = stdin(sheet.encode())
    assert item.text == rows[0] and item.fields == {"title": "مياه", "published": "2026-04-02"}
    # a first line of words of which only one is a field's name, over a paragraph with as many
    # commas, is prose (review 21), while Title, Article Text above is a table's header
    caption = "Text, photos and video\nعمان, 3 آذار - افتتح المدير المعرض الذي يفتح أبوابه للزوار غدا.\n"
    assert _texts(stdin(caption.encode())) == [caption]
    # a first line of prose phrases between commas is no header, even with a text column's name
    prose = "قال الوزير في المؤتمر الصحفي أمس, Article Text, الخبر\n" + rows[1] + ", تابع"
    assert _texts(stdin(prose.encode())) == [prose]


def test_stdin_reads_a_table_whose_first_column_has_no_name() -> None:
    """pandas writes its index as an unnamed first column (`,title,text`): still a table, read
    row by row on standard input as it is from a .csv file."""
    rows = ["قرر المجلس البلدي أمس توسيع شبكة المياه في الأحياء الشرقية، وفق بيان رسمي.",
            "افتتحت الجامعة مختبرا جديدا للطاقة الشمسية بحضور عدد من الباحثين."]
    data = (',title,text\n0,مياه,"' + rows[0] + '"\n1,طاقة,"' + rows[1] + '"\n').encode()
    assert _texts(list(read_stdin(io.BufferedReader(io.BytesIO(data))))) == rows
    trailing = ('title,text,\nمياه,"' + rows[0] + '",\n').encode()
    assert _texts(list(read_stdin(io.BufferedReader(io.BytesIO(trailing))))) == [rows[0]]
    one = ",\n" + rows[0]  # a lone comma is no header
    assert _texts(list(read_stdin(io.BufferedReader(io.BytesIO(one.encode()))))) == [one]


def test_stdin_reads_a_warc_stream(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = ("<html><head><title>افتتاح طريق جديد</title></head><body><article><p>"
            + SHAPE_ROWS[0]["text"] * 3 + "</p></article></body></html>").encode()
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/1", "response",
                                                  payload=io.BytesIO(page), http_headers=headers))
    (item,) = list(read_stdin(io.BufferedReader(io.BytesIO(out.getvalue()))))
    assert isinstance(item, RawRecord) and item.fields["url"] == "https://x.example/1"
    assert SHAPE_ROWS[0]["text"] in item.text


def test_field_names_in_any_case_and_repeated_fields_add_keys() -> None:
    mapping = parse_field_map(["TEXT=story_text", "text=body_html", "Outlet=site"])
    assert mapping["text"] == ("story_text", "body_html") and mapping["outlet"] == ("site",)


def test_a_broken_first_json_line_costs_that_line_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.ingest.readers as readers

    good = [json.dumps({"title": f"خبر {i}", "text": f"نص الخبر رقم {i} عن افتتاح سوق جديد في المدينة."},
                       ensure_ascii=False) for i in range(50)]
    long_broken = '{"title": "خبر مقطوع", "text": "' + "نص طويل " * 60 + '",'
    short_broken = '{"title": "خبر مقطوع", "text": "نص قصير",'
    for first in (long_broken, short_broken):
        path = tmp_path / "dump.jsonl"
        path.write_text("\n".join([first, *good]) + "\n", encoding="utf-8")
        items = list(read_file(path))
        assert sum(isinstance(i, RawRecord) for i in items) == 50
        assert [i.origin for i in items if isinstance(i, Rejected)] == [f"{path}:1"]
    # too large to read whole as one document: JSON lines after all, every good line lands
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 2000)
    items = list(read_file(path))
    assert sum(isinstance(i, RawRecord) for i in items) == 50
    assert [i.origin for i in items if isinstance(i, Rejected)] == [f"{path}:1"]


def test_an_article_with_its_page_and_a_list_of_images_is_one_article(tmp_path: Path) -> None:
    page = ("<html><body><article><h1>افتتاح جسر جديد فوق النهر</h1><p>افتتح المحافظ صباح اليوم جسراً جديداً"
            " فوق النهر يربط ضفتي المدينة.</p><p>وقال إن الجسر سيخفف الازدحام.</p></article></body></html>")
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"url": "https://x.example/1", "html": page,
                                "images": [{"src": "a.jpg"}, {"src": "b.jpg"}]}, ensure_ascii=False),
                    encoding="utf-8")
    (item,) = list(read_file(path))
    assert isinstance(item, RawRecord) and "افتتاح جسر جديد" in item.text
    # a wrapper's list holds records with a text; a list of images does not make one
    path.write_text(json.dumps({"status": "ok", "images": [{"src": "a.jpg"}],
                                "articles": [{"text": "نص الخبر الأول عن السوق."}, {"text": "نص الخبر الثاني."}]},
                               ensure_ascii=False), encoding="utf-8")
    assert [isinstance(i, RawRecord) for i in read_file(path)] == [True, True]


def test_a_feed_on_standard_input_is_read_item_by_item() -> None:
    items = list(read_stdin(io.BytesIO(_ATOM.encode("utf-8"))))
    assert [i.fields["title"] for i in items if isinstance(i, RawRecord)] == ["ارتفاع أسعار الأسمنت"]


def test_truncated_gzip_on_stdin_keeps_every_whole_line_the_file_keeps(tmp_path: Path) -> None:
    # stdin used to read the gzip through a second 64 KiB buffer, which dropped the chunk it
    # was filling when the stream broke off: fewer records, and the wrong line in the reason
    import random

    rng = random.Random(18)
    words = "افتتح المحافظ جسرا جديدا فوق النهر صباح الأحد وقال إن العمل استمر عامين كاملين".split()
    rows = [{"id": f"r{i}", "title": f"خبر {i}", "text": " ".join(rng.choice(words) for _ in range(120))}
            for i in range(600)]
    path = write_jsonl(tmp_path / "t.jsonl.gz", rows, gz=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    from_file = list(read_file(path))
    from_stdin = list(read_stdin(io.BufferedReader(io.BytesIO(path.read_bytes())), origin=str(path)))
    assert sum(isinstance(i, RawRecord) for i in from_file) > 100
    assert [(i.origin, getattr(i, "reason", "")) for i in from_stdin] == [
        (i.origin, getattr(i, "reason", "")) for i in from_file]


def test_a_json_array_on_one_line_of_a_jsonl_file_is_its_records(tmp_path: Path) -> None:
    first = {"content": "افتتحت البلدية مكتبة عامة جديدة في الحي الشرقي.", "title": "مكتبة جديدة"}
    second = {"content": "هطلت أمطار غزيرة على المدينة طوال الليل."}
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps([first, second], ensure_ascii=False)
                    + "\n[]\n" + json.dumps(["نص", 3], ensure_ascii=False)
                    + "\n" + json.dumps([first, 4], ensure_ascii=False) + "\n", encoding="utf-8")
    items = list(read_file(path))
    assert [(i.origin.removeprefix(str(path)), getattr(i, "reason", i.text if isinstance(i, RawRecord) else ""))
            for i in items] == [
        (":1[1]", first["content"]), (":1[2]", second["content"]),
        (":2", "expected a JSON object, got an empty array"),
        (":3", "expected a JSON object, got an array with no object in it"),
        (":4[1]", first["content"]), (":4[2]", "expected a JSON object, got a number")]
    assert items[0].fields["title"] == "مكتبة جديدة"
    # the same array in a .json file reads the same records
    as_json = tmp_path / "dump.json"
    as_json.write_text(json.dumps([first, second], ensure_ascii=False), encoding="utf-8")
    assert _texts(list(read_file(as_json))) == _texts(items[:2])


def test_a_number_where_the_text_belongs_is_rejected_not_stored_as_its_digits(tmp_path: Path) -> None:
    rows = [{"content": 5}, {"text": 2.5, "title": "رقم"}, {"body": True},
            {"id": 12, "title": 2026, "content": "قال المتحدث إن الجسر سيفتح غدا."}]
    items = list(read_file(write_jsonl(tmp_path / "numbers.jsonl", rows)))
    assert [getattr(i, "reason", None) for i in items] == [
        "field 'content' (read as text) is a number, not text", "field 'text' is a number, not text",
        "field 'body' (read as text) is true or false, not text", None]
    assert items[1].sample == "رقم"
    assert items[3].fields["title"] == "2026" and items[3].fields["external_id"] == "12"


def test_a_crawlers_field_names_are_read_without_a_field_map() -> None:
    from khabar.ingest.readers import record_from_mapping

    record = record_from_mapping({
        "maintext": "نص الخبر كاملا كما نشره الموقع.", "title": "عنوان", "date_publish": "2018-03-11 14:30:00",
        "source_domain": "example.com", "authors": ["سامي الحربي"], "_id": "x-17"}, "in.jsonl:1")
    assert record.text == "نص الخبر كاملا كما نشره الموقع."
    assert {k: record.fields[k] for k in ("outlet", "published", "external_id", "author")} == {
        "outlet": "example.com", "published": "2018-03-11 14:30:00", "external_id": "x-17", "author": "سامي الحربي"}


@pytest.mark.parametrize("doc", [
    ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
     "<url><loc>https://example.com/a</loc></url></urlset>"),
    '<?xml version="1.0"?><!-- NewsML --><newsMessage><itemSet><newsItem>نص الخبر</newsItem></itemSet></newsMessage>',
])
def test_an_xml_document_that_is_no_feed_is_quarantined_not_stored_as_markup(tmp_path: Path, doc: str) -> None:
    path = tmp_path / "doc.xml"
    path.write_text(doc, encoding="utf-8")
    (item,) = read_paths([path])
    assert isinstance(item, Rejected) and item.reason.startswith("XML document with the root element <"), item
    assert "not an RSS or Atom feed" in item.reason and "\n" not in item.reason
    (piped,) = read_stdin(io.BytesIO(doc.encode()))
    assert isinstance(piped, Rejected) and piped.reason == item.reason
    # a feed and an XHTML page with an XML declaration are still read
    xhtml = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">'
             "<head><title>عنوان الصفحة</title></head><body><article><h1>عنوان الصفحة</h1>"
             "<p>افتتحت البلدية اليوم حديقة عامة جديدة في وسط المدينة بمساحة اثني عشر دونما.</p>"
             "</article></body></html>")
    (page,) = read_paths([_write(tmp_path / "page.xhtml", xhtml)])
    assert isinstance(page, RawRecord) and "حديقة عامة" in page.text


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_feed_items_author_guid_and_marked_up_title_are_read(tmp_path: Path) -> None:
    rss = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>صحيفة الساحل</title>
<item><title>&lt;b&gt;افتتاح المكتبة العامة&lt;/b&gt;</title><link>https://sahel.example/7</link>
<guid isPermaLink="false">sahel-7</guid><dc:creator>ليلى حسن</dc:creator>
<description>افتتحت البلدية صباح اليوم المكتبة العامة الجديدة في وسط المدينة بحضور عدد من الكتاب.</description>
</item></channel></rss>"""
    (tmp_path / "sahel.xml").write_text(rss, encoding="utf-8")
    (record,) = [i for i in read_paths([tmp_path]) if isinstance(i, RawRecord)]
    assert record.fields["title"] == "افتتاح المكتبة العامة"
    assert record.fields["author"] == "ليلى حسن" and record.fields["external_id"] == "sahel-7"


def test_stdin_prose_under_a_first_line_of_several_word_phrases_stays_one_text() -> None:
    """Column names of up to four words (`Article Text`) are also prose: a page's breadcrumbs
    (`Home, World News, Article`) over an Arabic text that writes Latin commas had been read as a
    table, the article cut into cells and its first line's third phrase stored as its text. A
    table's rows have as many fields as its header."""
    def stdin(data: bytes) -> list:
        return list(read_stdin(io.BufferedReader(io.BytesIO(data))))

    page = ("Home, World News, Article\n"
            "أعلن مدير مستشفى الجامعة, في مؤتمر صحفي صباح اليوم, افتتاح قسم جديد لعلاج الحروق.\n"
            "وأوضح أن القسم يضم عشرين سريرا وغرفتي عمليات.\n")
    assert _texts(stdin(page.encode())) == [page]
    # a table under such a header, one row or several, some cells quoted over lines
    rows = ["افتتحت البلدية حديقة عامة جديدة, وقالت إنها تتسع لألف زائر.",
            "وقع الطرفان اتفاقية تعاون\nفي مجال النقل البري."]
    sheet = ("Doc ID,Article Text,Source Name\n"
             + "".join(f'{n},"{text}",وكالة الأنباء\n' for n, text in enumerate(rows)))
    assert _texts(stdin(sheet.encode())) == rows
    assert _texts(stdin(sheet.split("\n1,")[0].encode())) == rows[:1]  # no line break at its end


_JUNK = b"<html>not gzip: a proxy's error page appended to the download</html>\n"


def _as_gzip_file(suffix: str) -> tuple[bytes, list[str]]:
    """The bytes of a file named `suffix` holding SHAPE_ROWS, and the texts read from it."""
    texts = [r["text"] for r in SHAPE_ROWS]
    if suffix == ".jsonl.gz":
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SHAPE_ROWS)
    elif suffix == ".json.gz":
        data = json.dumps(SHAPE_ROWS, ensure_ascii=False, indent=1)
    elif suffix == ".csv.gz":
        data = "id,title,text\n" + "".join(f"{r['id']},{r['title']},{r['text']}\n" for r in SHAPE_ROWS)
    else:  # one article per file
        data, texts = SHAPE_ROWS[0]["text"], texts[:1]
    return data.encode("utf-8"), texts


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".json.gz", ".csv.gz", ".txt.gz"])
def test_a_gzip_file_with_junk_after_its_data_keeps_its_records(tmp_path: Path, suffix: str) -> None:
    # audit28: such a file was quarantined whole ("cannot read: Not a gzipped file"), or its
    # junk read as a broken line; gzip -d keeps the data and ignores the junk (with a warning)
    data, texts = _as_gzip_file(suffix)
    packed = gzip.compress(data)
    path = tmp_path / f"news{suffix}"
    path.write_bytes(packed + _JUNK)
    items = list(read_file(path))
    assert _texts(items[:-1]) == texts
    reason = (f"trailing bytes after the gzip data: not gzip, not read (from byte {len(packed):,};"
              " what came before it is kept, as gzip -d keeps it)")
    assert (items[-1].origin, items[-1].reason) == (str(path), reason)
    assert items[-1].sample.startswith("<html>not gzip")
    # the same bytes on standard input
    items = list(read_stdin(io.BufferedReader(io.BytesIO(packed + _JUNK)), origin="-"))
    if suffix != ".txt.gz":  # one article on stdin is read as JSON or a table by its content
        assert _texts(items[:-1]) == texts
    assert items[-1].reason.startswith("trailing bytes after the gzip data: not gzip, not read")


def test_gzip_members_one_after_another_with_zero_padding_are_all_read(tmp_path: Path) -> None:
    lines = [json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in SHAPE_ROWS]
    path = tmp_path / "cat.jsonl.gz"  # `cat a.gz b.gz`, then padded as tape archives pad
    path.write_bytes(gzip.compress(lines[0]) + gzip.compress(lines[1]) + bytes(512))
    assert _texts(list(read_file(path))) == [r["text"] for r in SHAPE_ROWS]
    # one member split mid-line into two
    both = b"".join(lines)
    path.write_bytes(gzip.compress(both[:40]) + gzip.compress(both[40:]))
    assert _texts(list(read_file(path))) == [r["text"] for r in SHAPE_ROWS]


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".json.gz", ".csv.gz", ".txt.gz", ".gz"])
def test_a_file_named_gz_that_is_not_gzip_says_so_plainly(tmp_path: Path, suffix: str) -> None:
    # audit28: a fake .jsonl.gz read "file broken after line 0: Not a gzipped file (b'{\"')",
    # the others "cannot read: Not a gzipped file (…)"
    data, _ = _as_gzip_file(suffix)
    path = tmp_path / f"news{suffix}"
    path.write_bytes(data)
    (item,) = read_file(path)
    assert (item.origin, item.reason) == (str(path), "not gzip data, though the name ends in .gz")
    assert item.sample == data[:80].decode("latin-1")


def test_a_gzip_file_cut_inside_its_header_is_broken_not_unknown(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(b"\x1f")
    (item,) = read_file(path)
    assert item.reason == "file broken after line 0: Compressed file ended before the end-of-stream marker was reached"



def test_a_tar_archive_gzipped_or_not_is_named_with_what_to_do(tmp_path: Path) -> None:
    # audit29: "binary file (contains NUL bytes and is not UTF-16)"
    import tarfile

    inner = tmp_path / "news.jsonl"
    inner.write_text(json.dumps(SHAPE_ROWS[0], ensure_ascii=False) + "\n", encoding="utf-8")
    for name, mode in (("dump.tar", "w"), ("dump.tar.gz", "w:gz")):
        with tarfile.open(tmp_path / name, mode) as archive:
            archive.add(inner, arcname="news.jsonl")
        (item,) = read_file(tmp_path / name)
        assert item.reason == "binary file: tar archive (extract its files first)", name


@pytest.mark.parametrize(("name", "data"), [
    ("empty.jsonl", b""),
    ("blank.jsonl", b"\n  \n\t\n"),
    ("bom.jsonl", b"\xef\xbb\xbf\n"),
    ("utf16.jsonl", b"\xff\xfe \x00\n\x00"),
    ("blank.json", b"  \n\t"),
    ("empty.jsonl.gz", None),
])
def test_an_empty_or_blank_json_file_is_quarantined_as_empty(tmp_path: Path, name: str, data: bytes | None) -> None:
    # as an empty .txt is: one reason for the file, not nothing at all
    path = tmp_path / name
    path.write_bytes(gzip.compress(b"\n") if data is None else data)
    assert [(type(i).__name__, getattr(i, "reason", "")) for i in read_file(path)] == [("Rejected", "empty file")]
