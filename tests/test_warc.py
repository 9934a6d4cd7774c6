"""WARC input: files written here with warcio, read through the HTML path."""

from __future__ import annotations

import gzip
import io
import re
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("warcio")

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from khabar import Corpus
from khabar.cli import cli
from khabar.ingest.readers import RawRecord, Rejected, Skipped, read_paths

FAST_STAGES = ["lines", "body", "identify"]

PLACES = ["عمّان", "بغداد", "بيروت", "القاهرة", "تونس", "الرباط", "الدوحة", "مسقط", "صنعاء", "دمشق"]
SUBJECTS = ["وزارة الصحة", "هيئة الطرق", "البنك المركزي", "مجلس المدينة", "وزارة الزراعة",
            "الدفاع المدني", "هيئة الطيران", "وزارة التعليم", "سلطة المياه", "غرفة التجارة"]
ACTIONS = ["أعلنت", "أكدت", "كشفت", "أوضحت", "ذكرت"]
OUTLETS = ["صحيفة الساحل", "وكالة الجنوب", "موقع النهار الجديد", "إذاعة الوادي"]


def page(n: int) -> tuple[str, str, str]:
    """(url, title, html) of a generated news page, unique to `n`."""
    place = PLACES[n % len(PLACES)]
    subject = SUBJECTS[(n // 10) % len(SUBJECTS)]
    action = ACTIONS[n % len(ACTIONS)]
    outlet = OUTLETS[n % len(OUTLETS)]
    url = f"https://news{n % len(OUTLETS)}.example/{2026}/03/{n:05d}.html"
    title = f"{subject} في {place}: خطة جديدة رقم {n} للعام المقبل"
    paragraphs = [
        (f"{place} - {action} {subject} اليوم أنها ستبدأ تنفيذ خطة جديدة تحمل الرقم {n} "
        f"خلال الأشهر الستة المقبلة، بكلفة تقدر بنحو {n * 3 + 7} مليون دينار."),
        (f"وقال المتحدث باسم {subject} في مؤتمر صحفي إن الخطة تشمل {n % 17 + 3} مشروعاً "
        "في المحافظات، وإن العمل سيبدأ بالمناطق الأكثر حاجة."),
        (f"وأضاف أن فرقاً فنية زارت {n % 29 + 2} موقعاً خلال الأسابيع الماضية لتقدير الاحتياجات، "
        "وأن النتائج ستنشر في تقرير مفصل نهاية الشهر."),
        "ورحب عدد من أعضاء المجلس البلدي بالخطة، مطالبين بجدول زمني واضح ورقابة على الإنفاق.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{title}</title><link rel=\"canonical\" href=\"{url}\">"
        f'<meta property="og:url" content="{url}">'
        f'<meta property="og:site_name" content="{outlet}">'
        f'<meta property="article:published_time" content="2026-03-{n % 28 + 1:02d}T{n % 24:02d}:15:00+00:00">'
        f'</head><body><header><nav><a href="/">الرئيسية</a> | <a href="/x">أخبار محلية</a></nav></header>'
        f"<main><article><h1>{title}</h1>{body}</article></main>"
        "<footer><p>جميع الحقوق محفوظة</p></footer></body></html>"
    )
    return url, title, html


def write_warc(path: Path, pages: list[tuple[str, bytes, str]], *, extras: bool = True,
               compress: bool = True) -> None:
    """A WARC with a warcinfo record, then per page a request and a response record; with
    `extras`, non-HTML responses, a 404, a redirect and a metadata record among them."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "khabar tests"}))
        for i, (url, body, content_type) in enumerate(pages):
            request = writer.create_warc_record(
                url, "request", payload=io.BytesIO(f"GET {url} HTTP/1.1\r\n\r\n".encode()))
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
            if extras and i % 100 == 0:
                for kind, data in (("image/jpeg", b"\xff\xd8\xff\xe0" + bytes(200)),
                                   ("text/css", b"body{direction:rtl}"),
                                   ("application/json", b'{"a": 1}')):
                    headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
                    writer.write_record(writer.create_warc_record(
                        url + f".{kind.split('/')[1]}", "response", payload=io.BytesIO(data),
                        http_headers=headers))
                missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")],
                                           protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url + "?gone", "response", payload=io.BytesIO(b"<html><body>not found</body></html>"),
                    http_headers=missing))
                moved = StatusAndHeaders("301 Moved Permanently", [("Location", url)], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url.replace("https:", "http:"), "response", payload=io.BytesIO(b""), http_headers=moved))
                writer.write_record(writer.create_warc_record(
                    url, "metadata", payload=io.BytesIO(b"outlinks: none"),
                    warc_content_type="application/warc-fields"))


def _rows(db: Path) -> set[tuple[str, str, str, str, str, str]]:
    with Corpus(db) as corpus:
        return {(a.id, a.title, a.body, a.outlet, a.url, a.published.isoformat() if a.published else "")
                for a in corpus.articles(limit=None)}


def test_warc_of_1000_pages_ingests_like_the_html_files(tmp_path: Path) -> None:
    html_dir = tmp_path / "pages"
    html_dir.mkdir()
    pages = []
    for n in range(1000):
        url, _, html = page(n)
        (html_dir / f"{n:05d}.html").write_text(html, encoding="utf-8")
        pages.append((url, html.encode("utf-8"), "text/html; charset=utf-8"))
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages)

    with Corpus(tmp_path / "html.db", stages=FAST_STAGES) as corpus:
        from_html = corpus.ingest([html_dir])
    with Corpus(tmp_path / "warc.db", stages=FAST_STAGES) as corpus:
        from_warc = corpus.ingest([warc])
    assert from_html.new == 1000 and from_html.quarantined == 0
    assert from_warc.new == 1000 and from_warc.quarantined == 0
    # 10 x (jpeg, css, json, a 404 and a redirect) counted, not quarantined; request,
    # metadata and warcinfo records passed over silently
    assert from_warc.skipped == 50
    assert from_warc.skipped_reasons == {"not HTML": 30, "HTTP status 404": 10, "HTTP status 301": 10}
    assert from_warc.reasons == {}
    assert from_warc.read == 1050
    assert _rows(tmp_path / "html.db") == _rows(tmp_path / "warc.db")


def test_warc_record_metadata_encodings_and_cli(tmp_path: Path) -> None:
    url, title, html = page(7)
    url = "https://news3.example/story-seven.html"  # no date in the URL either
    undated = re.sub(r'<meta property="article:published_time"[^>]*>', "", html).replace(page(7)[0], url)
    cp1256 = page(8)[2].replace('<meta charset="utf-8">', "").encode("cp1256")
    warc = tmp_path / "small.warc"
    write_warc(warc, [
        (url, undated.encode(), "text/html"),
        ("https://news0.example/cp1256.html", cp1256, "text/html; charset=windows-1256"),
        ("https://news0.example/feed.xml", b"<rss/>", "application/rss+xml"),
    ], extras=False, compress=False)
    items = list(read_paths([warc]))
    records = [i for i in items if isinstance(i, RawRecord)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(records) == 2 and len(skipped) == 1
    assert skipped[0].reason == "not HTML: application/rss+xml"
    first = records[0]
    assert first.fields["url"] == url and first.fields["title"] == title
    # no date in the page: the capture date fills in, and is kept as warc_date either way
    assert first.fields["published"] == first.extra["warc_date"]
    assert first.origin == f"{warc}:3"
    assert records[1].encoding == "cp1256" and "خطة جديدة رقم 8" in records[1].text

    db = tmp_path / "w.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(warc)])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output and "1 skipped (not HTML ×1)" in result.output


def test_broken_warc_keeps_what_came_before(tmp_path: Path) -> None:
    pages = [(page(n)[0], page(n)[2].encode(), "text/html") for n in range(3)]
    whole = tmp_path / "whole.warc"
    write_warc(whole, pages, extras=False, compress=False)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[:-400])  # inside the last page's response record
    items = list(read_paths([cut]))
    assert sum(isinstance(i, RawRecord) for i in items) == 2
    assert isinstance(items[-1], Rejected)
    assert items[-1].reason.startswith("WARC file ends inside record 7 (https://")
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(gzip.compress(b"this is not a WARC file at all\n" * 10))
    (item,) = list(read_paths([garbage]))
    assert isinstance(item, Rejected) and item.reason == "not a WARC file (starts with 'this ', expected 'WARC/')"


def test_missing_warcio_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warc = tmp_path / "one.warc.gz"
    write_warc(warc, [(page(1)[0], page(1)[2].encode(), "text/html")], extras=False)
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)  # as if not installed
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "ingest", str(warc)])
    assert result.exit_code == 1
    assert result.output.strip() == "khabar: reading WARC files needs warcio: pip install 'khabar[sources]'"


def _gzip_members(data: bytes) -> list[int]:
    """Offsets where the gzip members of `data` start."""
    starts, pos = [], 0
    while pos < len(data):
        starts.append(pos)
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        member.decompress(data[pos:])
        pos = len(data) - len(member.unused_data)
    return starts


@pytest.mark.parametrize("compress", [True, False])
def test_warc_cut_inside_the_last_record_headers_is_quarantined(tmp_path: Path, compress: bool) -> None:
    pages = [(page(n)[0], page(n)[2].encode(), "text/html") for n in range(3)]
    whole = tmp_path / ("whole.warc.gz" if compress else "whole.warc")
    write_warc(whole, pages, extras=False, compress=compress)
    data = whole.read_bytes()
    last = _gzip_members(data)[-1] if compress else data.rfind(b"WARC/1.0")
    for keep in (60, 200):  # inside the last record's WARC headers
        cut = tmp_path / ("cut.warc.gz" if compress else "cut.warc")
        cut.write_bytes(data[:last + keep])
        items = list(read_paths([cut]))
        assert sum(isinstance(i, RawRecord) for i in items) == 2
        assert isinstance(items[-1], Rejected) and not isinstance(items[-1], Skipped)
        assert items[-1].reason == "WARC file ends inside record 7 (in its headers)", keep
        assert items[-1].origin == f"{cut}:7"
    # the whole file: nothing rejected, nor with blank lines after its last record
    assert not any(isinstance(i, Rejected) for i in read_paths([whole]))
    for tail in (b"\n", b"\r\n\r\n"):
        padded = tmp_path / ("padded.warc.gz" if compress else "padded.warc")
        padded.write_bytes(data + tail)
        assert not any(isinstance(i, Rejected) for i in read_paths([padded])), tail


def test_a_record_warcio_cannot_read_is_named_without_python(tmp_path: Path) -> None:
    # a response with no WARC-Target-URI made warcio fail with an AttributeError, and the
    # reason quoted it: "AttributeError: 'NoneType' object has no attribute 'startswith'"
    page = "<html><body><p>افتتحت البلدية حديقة جديدة.</p></body></html>".encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n"
              b"WARC-Record-ID: <urn:uuid:0001>\r\nContent-Type: application/http; msgtype=response\r\n"
              b"Content-Length: " + str(len(http)).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
    warc = tmp_path / "no-uri.warc"
    warc.write_bytes(record)
    (item,) = list(read_paths([warc]))
    assert isinstance(item, Rejected) and item.reason == (
        "WARC file broken after record 0: the headers of record 1 cannot be read (a WARC header missing or malformed)")


def test_a_page_too_long_for_one_article_is_quarantined_as_the_same_html_file_is(tmp_path: Path) -> None:
    # audit29: the 100,000-character cap on one article's text held for an HTML file, a JSON
    # record and standard input, but a WARC response past it was stored as one article
    paragraphs = "".join(f"<p>{page(n)[1]}. {' '.join(page(n)[1].split()[::-1])} رقم {n}.</p>\n" for n in range(1500))
    html = (f"<html lang='ar'><head><meta charset='utf-8'><title>خبر طويل</title></head><body><article>"
            f"<h1>خبر طويل</h1>{paragraphs}</article></body></html>")
    (tmp_path / "long.html").write_text(html, encoding="utf-8")
    write_warc(tmp_path / "long.warc.gz", [("https://news.example/long", html.encode(), "text/html; charset=utf-8"),
                                           (page(1)[0], page(1)[2].encode(), "text/html")], extras=False)
    items = list(read_paths([tmp_path / "long.html", tmp_path / "long.warc.gz"]))
    (from_file, from_warc, short) = items
    assert isinstance(from_file, Rejected) and from_file.reason.startswith("text longer than 100,000 characters (")
    assert isinstance(from_warc, Rejected) and from_warc.reason == from_file.reason
    assert isinstance(short, RawRecord)  # the next page lands
