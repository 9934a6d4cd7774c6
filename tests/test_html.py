"""HTML pages to raw records (khabar.ingest.html): text lines, metadata, encodings, hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("trafilatura")

from conftest import shared_path

from khabar.ingest.html import (
    decode_html_bytes,
    html_bytes_to_record,
    html_to_record,
    looks_like_html,
)
from khabar.ingest.readers import RawRecord, Rejected

TITLE = "وزارة الزراعة تطلق خطة لدعم صغار المزارعين في المحافظات الجنوبية"
PARAGRAPHS = [
    (
        "أعلنت وزارة الزراعة اليوم الثلاثاء عن إطلاق خطة وطنية جديدة لدعم صغار المزارعين في المحافظات "
        "الجنوبية، تشمل توزيع البذور المحسنة وتقديم قروض ميسرة بفوائد منخفضة لمدة خمس سنوات."
    ),
    (
        "وقال وزير الزراعة في مؤتمر صحفي عقده في مقر الوزارة إن الخطة تستهدف أكثر من عشرين ألف مزارع، "
        "وإن المرحلة الأولى ستبدأ مطلع الشهر المقبل في ثلاث محافظات تعاني من شح المياه."
    ),
    (
        "وأضاف الوزير أن الوزارة خصصت فرقا ميدانية لمتابعة تنفيذ الخطة وتقييم نتائجها كل ثلاثة أشهر، "
        "مشيرا إلى أن التعاون مع الجمعيات الفلاحية سيكون أساس نجاح المشروع في السنوات القادمة."
    ),
    (
        "ومن المتوقع أن تسهم الخطة في رفع إنتاج القمح والشعير بنسبة ملحوظة خلال الموسم القادم، بحسب "
        "تقديرات خبراء الوزارة الذين أشاروا إلى تحسن معدلات الأمطار هذا العام مقارنة بالعام الماضي."
    ),
]
COMMENT = "هذا تعليق من أحد القراء يقول إن الخطة جاءت متأخرة جدا ولن تنفع أحدا في القرية"
FOOTER = "جميع الحقوق محفوظة لموقع الأخبار التجريبي"
RELATED = "اقرأ أيضا: ارتفاع أسعار الخضروات في الأسواق المحلية"

ARTICLE_PAGE = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{TITLE} | أخبار الوطن</title>
<meta name="author" content="سامي الخطيب">
<meta property="og:site_name" content="أخبار الوطن">
<meta property="og:title" content="{TITLE}">
<meta property="article:published_time" content="2024-03-05T10:30:00+03:00">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{TITLE}",
  "datePublished": "2024-03-05T10:30:00+03:00", "author": {{"@type": "Person", "name": "سامي الخطيب"}},
  "publisher": {{"@type": "Organization", "name": "أخبار الوطن"}}}}
</script>
</head>
<body>
<header><nav><ul>
<li><a href="/">الرئيسية</a></li><li><a href="/politics">سياسة</a></li>
<li><a href="/economy">اقتصاد</a></li><li><a href="/sports">رياضة</a></li>
</ul></nav></header>
<main>
<article>
<h1>{TITLE}</h1>
<p>بقلم: سامي الخطيب</p>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])}
<h2>المرحلة الأولى</h2>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])}
</article>
<div class="related"><h3>أخبار ذات صلة</h3><ul>
<li><a href="/a/1">{RELATED}</a></li>
<li><a href="/a/2">اقرأ أيضا: افتتاح سوق جديد للمنتجات الريفية</a></li>
</ul></div>
<section id="comments" class="comments">
<h3>التعليقات</h3>
<div class="comment"><p>{COMMENT}</p></div>
<div class="comment"><p>تعليق آخر يشكر الوزارة على هذه المبادرة الطيبة ويتمنى لها النجاح</p></div>
</section>
</main>
<footer><p>{FOOTER}</p><a href="/privacy">سياسة الخصوصية</a></footer>
</body>
</html>
"""


def _record(html: str, **kwargs: object) -> RawRecord:
    result = html_to_record(html, "page.html", **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, RawRecord), result
    return result


def test_article_page_keeps_title_and_paragraphs_not_comments_or_footer() -> None:
    record = _record(ARTICLE_PAGE, url="https://example.com/a/123")
    lines = record.text.split("\n")
    assert lines[0] == TITLE
    for paragraph in PARAGRAPHS:
        assert paragraph in lines, paragraph[:40]
    assert "المرحلة الأولى" in lines  # crosshead on its own line
    assert lines.index(PARAGRAPHS[0]) < lines.index("المرحلة الأولى") < lines.index(PARAGRAPHS[3])
    assert COMMENT not in record.text
    assert FOOTER not in record.text
    assert "سياسة الخصوصية" not in record.text
    assert lines.count(TITLE) == 1  # the <h1> is not repeated under the title line
    assert record.extra.get("source_format") == "html"


def test_metadata_from_meta_title_and_json_ld() -> None:
    record = _record(ARTICLE_PAGE, url="https://example.com/a/123")
    assert record.fields["title"] == TITLE
    assert record.fields["author"] == "سامي الخطيب"
    assert record.fields["outlet"] == "أخبار الوطن"
    assert record.fields["published"].startswith("2024-03-05")
    assert record.fields["url"] == "https://example.com/a/123"


def test_caller_fields_win_over_page_metadata() -> None:
    given = {"title": "عنوان من المصدر", "outlet": "وكالة الأنباء", "external_id": "42"}
    record = _record(ARTICLE_PAGE, fields=given)
    assert record.fields["title"] == "عنوان من المصدر"
    assert record.fields["outlet"] == "وكالة الأنباء"
    assert record.fields["external_id"] == "42"
    assert record.fields["author"] == "سامي الخطيب"  # not given, so the page's
    lines = record.text.split("\n")
    assert lines[0] == "عنوان من المصدر"
    assert TITLE not in lines  # the page headline is replaced, not kept as a body line


def test_figure_caption_becomes_a_line() -> None:
    caption = "صورة أرشيفية لحقول القمح في السهل الجنوبي"
    page = ARTICLE_PAGE.replace(
        "<h2>المرحلة الأولى</h2>",
        f'<figure><img src="wheat.jpg" alt=""><figcaption>{caption}</figcaption></figure><h2>المرحلة الأولى</h2>',
    )
    assert caption in _record(page, keep_captions=True).text.split("\n")
    assert caption not in _record(page).text  # off by default (see KEEP_CAPTIONS)


def test_khabar_cleaning_runs_on_the_record() -> None:
    import khabar

    record = _record(ARTICLE_PAGE)
    article = khabar.process(record.text, **record.fields)
    assert article.title == TITLE
    assert PARAGRAPHS[0] in article.body
    assert COMMENT not in article.body


def test_short_article_keeps_one_line_per_paragraph() -> None:
    # trafilatura's last-resort extractor returns short <article>s as one run-on line
    page = (
        "<html><body><article><h1>خبر قصير</h1><p>الفقرة الأولى من الخبر القصير.</p>"
        "<p>الفقرة الثانية من الخبر القصير.</p></article></body></html>"
    )
    lines = _record(page).text.split("\n")
    assert "الفقرة الأولى من الخبر القصير." in lines
    assert "الفقرة الثانية من الخبر القصير." in lines


def test_windows_1256_page_with_meta_charset() -> None:
    page = ARTICLE_PAGE.replace(
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
    )
    data = page.encode("cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_html_bytes(data) == page
    record = html_bytes_to_record(data, "page.html")
    assert isinstance(record, RawRecord)
    assert record.encoding == "cp1256"
    assert PARAGRAPHS[0] in record.text


def test_meta_charset_short_form_and_mislabelled_latin1() -> None:
    short = ARTICLE_PAGE.replace('<meta charset="utf-8">', "<meta charset=windows-1256>")
    assert decode_html_bytes(short.encode("cp1256")) == short
    # Declared ISO-8859-1 but really Windows-1256: the Arabic reading wins.
    lying = ARTICLE_PAGE.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    assert decode_html_bytes(lying.encode("cp1256")) == lying


@pytest.mark.parametrize("declared", ["windows-1256", "iso-8859-6", "iso-8859-1", "koi8-r"])
def test_utf8_bytes_win_over_a_declared_single_byte_charset(declared: str) -> None:
    # a site that moved to UTF-8 and kept its old meta tag: every single-byte table decodes
    # these bytes, into mojibake
    page = ARTICLE_PAGE.replace(
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">',
    )
    assert decode_html_bytes(page.encode("utf-8")) == page
    record = html_bytes_to_record(page.encode("utf-8"), "page.html")
    assert isinstance(record, RawRecord) and record.encoding == "utf-8"
    assert PARAGRAPHS[0] in record.text


def test_utf8_over_a_declared_charset_in_http_headers() -> None:
    from khabar.ingest.responses import decode_response, response_to_record

    body = ARTICLE_PAGE.replace('<meta charset="utf-8">', "").encode("utf-8")
    for header in ("text/html; charset=windows-1256", "text/html; charset=ISO-8859-6"):
        assert decode_response(body, header).encoding == "utf-8"
        record = response_to_record(body, header, "page")
        assert isinstance(record, RawRecord) and PARAGRAPHS[0] in record.text
    # bytes that are not UTF-8 still follow the header
    cp1256 = ARTICLE_PAGE.replace('<meta charset="utf-8">', "").encode("cp1256")
    assert decode_response(cp1256, "text/html; charset=windows-1256").encoding == "cp1256"


def test_bom_wins_over_meta() -> None:
    page = ARTICLE_PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1256">')
    assert decode_html_bytes(b"\xef\xbb\xbf" + page.encode("utf-8")) == page
    assert decode_html_bytes(page.encode("utf-16")) == page


HOSTILE = {
    "nested_divs": "<html><body>"
    + "<div>" * 10_000
    + "<p>نص</p>"
    + "</div>" * 10_000
    + "</body></html>",
    "empty": "",
    "blank": "  \n\t ",
    "script_only": "<html><head><script>var x = 1;</script></head><body><script>alert('x')</script></body></html>",
    "nav_only": "<html><body><nav><ul><li><a href='/'>الرئيسية</a></li><li><a href='/s'>رياضة</a></li></ul></nav></body></html>",
    "huge_attribute": "<html><body><div title='"
    + "ا" * 3_000_000
    + "'><p>"
    + "كلمة " * 80
    + "</p></div></body></html>",
    "garbage_text": "\x00\x01\ud800<<<>>>&&&;;" * 2_000,
    "unclosed_tags": "<html><body>" + "<p><b><i><span>" * 3_000 + "كلام",
    "huge_script_page": "<html><body><script>"
    + "x" * 21_000_000
    + "</script><p>"
    + "كلمة " * 80
    + "</p></body></html>",
    "too_large": "<html><body>" + "<p>كلمة</p>" * 2_200_000 + "</body></html>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_html_never_raises(name: str) -> None:
    result = html_to_record(HOSTILE[name], name)
    assert isinstance(result, (RawRecord, Rejected))
    if isinstance(result, Rejected):
        assert result.reason and "\n" not in result.reason
    else:
        assert result.text.strip()


@pytest.mark.parametrize("name", ["empty", "blank", "script_only"])
def test_pages_without_text_are_rejected(name: str) -> None:
    result = html_to_record(HOSTILE[name], name)
    assert isinstance(result, Rejected)


def test_too_large_page_is_rejected_with_reason() -> None:
    result = html_to_record(HOSTILE["too_large"], "big.html")
    assert isinstance(result, Rejected)
    assert "too large" in result.reason


def test_big_page_of_script_is_shrunk_not_rejected() -> None:
    result = html_to_record(HOSTILE["huge_script_page"], "big.html")
    assert isinstance(result, RawRecord)
    assert "كلمة" in result.text


def test_big_page_with_comments_keeps_the_article_between_them() -> None:
    # A page over the shrink threshold whose comments sit around the article: cutting a
    # comment must stop at its own "-->", not at the next comment's.
    paragraphs = "".join(
        f"<p>الفقرة رقم {i} من المقال تتحدث عن افتتاح الجسر الجديد فوق النهر في المدينة.</p>"
        for i in range(12)
    )
    page = (
        "<html><head><title>افتتاح الجسر الجديد</title></head><body>"
        "<!-- header -->" + "<script>var x = 1;</script>" * 40_000
        + "<article><h1>افتتاح الجسر الجديد</h1>" + paragraphs + "</article>"
        "<!-- footer --><footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    assert len(page) > 1_000_000
    result = html_to_record(page, "big.html")
    assert isinstance(result, RawRecord)
    assert "الفقرة رقم 0 " in result.text and "الفقرة رقم 11 " in result.text


@pytest.mark.parametrize(
    "data",
    [b"", bytes(range(256)) * 64, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16, b"\xff\xfe\x00"],
)
def test_binary_bytes_are_rejected(data: bytes) -> None:
    result = html_bytes_to_record(data, "x.html")
    assert isinstance(result, Rejected)
    assert "\n" not in result.reason


def test_extraction_errors_become_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.ingest.html as module

    def boom(*args: object, **kwargs: object) -> None:
        raise RecursionError("too deep")

    monkeypatch.setattr(module, "_extract", boom)
    result = html_to_record(ARTICLE_PAGE, "page.html")
    assert isinstance(result, Rejected)
    assert result.reason == "HTML extraction failed: its markup is nested too deeply"


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body>x</body></html>",
        "  \n<html lang='ar'><head></head>",
        '<?xml version="1.0"?>\n<!doctype HTML>',
        "<div class='x'><p>فقرة</p><p>أخرى</p></div>",
        "<p>فقرة أولى</p><p>فقرة ثانية</p>",
        "مقدمة\n<div>نص</div>\n<p>نص آخر</p><br>",
    ],
)
def test_looks_like_html_true(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ارتفع المؤشر بنسبة < 5% مقارنة بالعام الماضي، وبقي التضخم > 3%.",
        "قال الوزير إن a<b وإن x > y في المعادلة",
        "عنوان الخبر\nنص الخبر الأول.\nنص الخبر الثاني.",
        "سعر الصرف <1500 دينار> بحسب البنك المركزي",
        json.dumps({"text": "نص"}, ensure_ascii=False),
    ],
)
def test_looks_like_html_false(text: str) -> None:
    assert not looks_like_html(text)


def test_arabic_eval_page_at_least_as_good_as_trafilatura() -> None:
    folder = shared_path("data", "html_extraction", "trafilatura_eval", "arabic_page")
    import trafilatura

    gold = next(
        iter(json.loads((folder / "assabah_gold.json").read_text(encoding="utf-8")).values())
    )
    data = (folder / gold["file"]).read_bytes()

    def found(text: str) -> int:
        norm = " ".join(text.split())
        return sum(1 for snippet in gold["with"] if " ".join(snippet.split()) in norm)

    baseline = trafilatura.extract(data) or ""
    record = html_bytes_to_record(data, gold["file"])
    assert isinstance(record, RawRecord)
    import khabar

    article = khabar.process(record.text, **record.fields)
    ours = article.title + "\n" + article.body
    assert found(ours) >= found(baseline)
    assert found(ours) == len(gold["with"])


def test_a_page_keeps_the_full_publication_time_it_states() -> None:
    page = ("<html><head><title>افتتاح مكتبة</title>"
            '<meta property="article:published_time" content="2026-05-10T09:00:00+03:00"></head>'
            "<body><article><h1>افتتاح مكتبة</h1><p>افتتح المحافظ صباح اليوم مكتبة عامة جديدة في "
            "وسط المدينة تضم آلاف الكتب والمخطوطات النادرة.</p><p>وقال المحافظ إن المكتبة ستفتح "
            "أبوابها للطلاب والباحثين طوال أيام الأسبوع دون رسوم.</p></article></body></html>")
    record = html_to_record(page, "page.html")
    assert record.fields["published"] == "2026-05-10T09:00:00+03:00"  # not the day alone
    day_only = page.replace('property="article:published_time" content="2026-05-10T09:00:00+03:00"',
                            'name="date" content="2026-05-10"')
    assert html_to_record(day_only, "page.html").fields["published"] == "2026-05-10"


# --- what the page states about itself: publication time, headline, the story among teasers ---

LEAD = ("أعلنت بلدية المدينة الساحلية صباح اليوم افتتاح جسر المشاة الجديد فوق الطريق السريع بعد "
        "عامين من أعمال البناء المتواصلة بكلفة قاربت ثلاثين مليون دينار.")
SECOND = "وقال رئيس البلدية إن الجسر سيخدم آلاف الطلاب الذين يعبرون الطريق يوميا إلى مدارسهم."
HEADLINE = "افتتاح جسر المشاة الجديد فوق الطريق السريع"


def _dated_page(head: str = "", before: str = "", canonical: str = "") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f"<html><head><title>جسر المشاة</title>{link}{head}</head><body><article>{before}"
            f"<h1>{HEADLINE}</h1><p>{LEAD}</p><p>{SECOND}</p></article></body></html>")


STATED = "2026-04-02T11:30:00+03:00"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (_dated_page(f'<meta content="{STATED}" property="article:published_time">'), STATED),
        (_dated_page(f'<meta content="{STATED}" itemprop="datePublished">'), STATED),
        (_dated_page('<meta name="pubdate" content="2026-04-02 11:30:00">'), "2026-04-02T11:30:00"),
        (_dated_page(before=f'<time datetime="{STATED}" pubdate>2 نيسان</time>'), STATED),
        (_dated_page(before=f'<time datetime="{STATED}">2 نيسان</time>'), STATED),
        (_dated_page('<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
                     f'{{"@type": "NewsArticle", "datePublished": "{STATED}"}}]}}</script>'), STATED),
        # published beats modified, and beats a day in the URL
        (_dated_page('<meta property="article:modified_time" content="2026-04-05T08:00:00+03:00">'
                     '<script type="application/ld+json">[{"@type": "NewsArticle", "datePublished": '
                     f'"{STATED}", "dateModified": "2026-04-05T08:00:00+03:00"}}]</script>'), STATED),
        (_dated_page(f'<meta property="article:published_time" content="{STATED}">',
                     canonical="https://x.example/2026/03/30/bridge"), STATED),
        # epoch seconds, and a naive meta time that JSON-LD states with its offset
        (_dated_page('<meta property="article:published_time" content="1775118600">'),
         "2026-04-02T08:30:00+00:00"),
        (_dated_page('<meta property="article:published_time" content="2026-04-02T11:30:00">'
                     '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
                     f'"{STATED}"}}</script>'), STATED),
    ],
)
def test_the_stated_publication_time_is_kept_with_its_offset(page: str, expected: str) -> None:
    assert _record(page).fields["published"] == expected


def test_a_placeholder_epoch_date_is_not_the_publication_time() -> None:
    page = _dated_page('<script type="application/ld+json">{"@type": "NewsArticle", '
                       '"datePublished": "1970-01-01T01:00:00+01:00"}</script>'
                       '<meta name="date" content="2026-04-02">')
    assert _record(page).fields["published"] == "2026-04-02"


def test_a_date_line_beside_the_headline_outside_the_text_gives_the_time() -> None:
    page = ('<html><head><meta charset="utf-8"><title>شبكة المرفأ</title></head><body>'
            '<div class="top">روابط سريعة | اتصل بنا</div><div class="main">'
            f'<h2 class="entry-title">{HEADLINE}</h2>'
            '<div class="meta">نشر في: 9 أيار 2026 الساعة 14:05</div>'
            f'<div class="entry-content"><p>{LEAD}</p><p>{SECOND}</p></div></div></body></html>')
    assert _record(page).fields["published"] == "2026-05-09T14:05:00"


def test_a_logo_in_h1_is_not_the_title() -> None:
    page = ('<html><head><meta charset="utf-8"><title>شبكة المرفأ الإخبارية</title></head><body>'
            '<header><h1 class="logo"><a href="/">شبكة المرفأ الإخبارية</a></h1></header>'
            f'<div id="content"><div class="post"><h2>{HEADLINE}</h2><p>{LEAD}</p><p>{SECOND}</p>'
            '</div></div></body></html>')
    record = _record(page)
    assert record.fields["title"] == HEADLINE
    assert record.text.split("\n")[:2] == [HEADLINE, LEAD]  # the headline once, as the title


def test_the_site_name_before_the_headline_in_title_is_not_the_title() -> None:
    page = (f'<html><head><meta charset="utf-8"><title>موقع المرفأ - {HEADLINE}</title></head>'
            f"<body><div><p>{LEAD}</p><p>{SECOND}</p></div></body></html>")
    assert _record(page).fields["title"] == HEADLINE


def test_an_old_table_layout_page_keeps_its_lines_and_headline() -> None:
    page = ('<html><head><title>صحيفة المرفأ</title></head><body><table width="100%"><tr>'
            '<td class="menu"><a href="/">الرئيسية</a><br><a href="/l">محليات</a></td>'
            f'<td class="main"><font size="5"><b>{HEADLINE}</b></font><br><br>'
            f'<font size="2">السبت 9 أيار 2026</font><br><br>{LEAD}<br><br>{SECOND}'
            '</td></tr></table><table><tr><td>جميع الحقوق محفوظة لصحيفة المرفأ</td></tr></table>'
            "</body></html>")
    record = _record(page)
    assert record.fields["title"] == HEADLINE
    assert LEAD in record.text.split("\n") and SECOND in record.text.split("\n")


def test_teaser_articles_beside_the_story_are_left_out() -> None:
    teasers = ["بدأت اليوم بطولة السباحة المدرسية بمشاركة مئة طالب من عشر محافظات.",
               "تراجعت أسعار الحديد في السوق المحلية بنسبة خمسة بالمئة خلال الشهر الماضي."]
    # a short story: trafilatura then falls back to the whole body, teasers included
    story = ["افتتحت البلدية اليوم جسرا للمشاة فوق الطريق السريع بكلفة ثلاثين مليون دينار.",
             "ويخدم الجسر طلاب المدارس القريبة."]
    page = (f'<html><head><meta charset="utf-8"><title>الأخبار</title></head><body>\n<article>'
            f'<h1>{HEADLINE}</h1>' + "".join(f"<p>{p}</p>" for p in story) + "</article>\n"
            + "".join(f'<article class="teaser"><h2>خبر آخر</h2><p>{t}</p></article>\n'
                      for t in teasers) + "</body></html>")
    record = _record(page)
    assert record.text.split("\n") == [HEADLINE, *story]


LIVE_ENTRIES = [
    ("اجتاحت العاصفة القرى الجبلية فجر اليوم وقطعت الطرق المؤدية إليها، وقالت فرق الإنقاذ إنها "
     "أجلت عشرات العائلات من المنازل القريبة من مجرى الوادي، وإن المدارس ستبقى مغلقة يومين "
     "على الأقل ريثما تفتح الطرق وتعود الكهرباء إلى الأحياء المتضررة."),
    "توقف حركة القطارات بين العاصمة والمدن الشمالية حتى المساء.",
    "الهلال الأحمر يفتح ثلاثة مراكز إيواء في البلدات المنكوبة.",
]


def test_live_blog_entries_around_an_outside_headline_are_all_kept() -> None:
    # the h1 sits outside the entries: no <article> is the story, the others its teasers;
    # a <time> in an entry of class "update" is the entry's time, not a modification time
    page = ('<html><head><meta charset="utf-8"><title>مباشر: العاصفة في القرى الجبلية</title>'
            '</head><body><main><h1>مباشر: العاصفة في القرى الجبلية</h1>'
            + "".join(f'<article class="update"><time datetime="2026-02-0{3 - i}T0{8 - i}:15:00'
                      f'+02:00">0{8 - i}:15</time><p>{text}</p></article>'
                      for i, text in enumerate(LIVE_ENTRIES))
            + "</main></body></html>")
    record = _record(page)
    assert all(text in record.text.split("\n") for text in LIVE_ENTRIES)
    assert record.fields["published"] == "2026-02-03T08:15:00+02:00"


def test_linked_teasers_are_left_out_when_the_headline_is_outside_the_story() -> None:
    teasers = ["بدأت اليوم بطولة السباحة المدرسية بمشاركة مئة طالب من عشر محافظات.",
               "تراجعت أسعار الحديد في السوق المحلية بنسبة خمسة بالمئة خلال الشهر الماضي."]
    page = (f'<html><head><meta charset="utf-8"><title>{HEADLINE}</title></head><body>'
            f'<header><h1>{HEADLINE}</h1></header><article><p>{LEAD}</p><p>{SECOND}</p>'
            f'<p>{LEAD}</p></article>'
            + "".join(f'<article class="related"><h3><a href="/n/{i}">خبر آخر {i}</a></h3>'
                      f'<p>{t}</p></article>' for i, t in enumerate(teasers))
            + "</body></html>")
    lines = _record(page).text.split("\n")
    assert LEAD in lines and not any(t in lines for t in teasers)


def test_an_entry_time_is_read_but_an_updated_time_is_not() -> None:
    updated = '<time class="updated" datetime="2026-04-05T08:00:00+03:00">5 نيسان</time>'
    assert _record(_dated_page(before=updated)).fields.get("published", "") != (
        "2026-04-05T08:00:00+03:00")
    both = updated + f'<span class="update-info"><time datetime="{STATED}">2 نيسان</time></span>'
    assert _record(_dated_page(before=both)).fields["published"] == STATED


@pytest.mark.parametrize(
    ("head", "stated"),
    [
        # a naive local time (sailthru.date) and the same moment in UTC in JSON-LD
        ('<meta name="sailthru.date" content="2026-03-01 20:30:00">', "2026-03-02T04:30:00+00:00"),
        # the same wall time to the minute, JSON-LD's seconds differing
        ('<meta property="article:published_time" content="2026-03-02 04:30">',
         "2026-03-02T04:30:17+00:00"),
        # only the day agrees
        ('<meta name="pubdate" content="2026-03-02 09:00:00">', "2026-03-02T04:30:00+00:00"),
    ],
)
def test_a_zoned_time_beats_a_naive_one_for_the_same_moment(head: str, stated: str) -> None:
    json_ld = ('<script type="application/ld+json">{"@type": "NewsArticle", '
               f'"datePublished": "{stated}"}}</script>')
    assert _record(_dated_page(head + json_ld)).fields["published"] == stated


def test_a_naive_time_on_another_day_keeps_its_rank() -> None:
    head = ('<meta name="sailthru.date" content="2026-02-20 20:30:00">'
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2026-03-02T04:30:00Z"}</script>')
    assert _record(_dated_page(head)).fields["published"] == "2026-02-20T20:30:00"


def test_http_last_modified_fills_in_only_when_the_page_states_no_time() -> None:
    from khabar.ingest.responses import response_to_record

    undated = (f"<html><head><title>{HEADLINE}</title></head><body><article><h1>{HEADLINE}</h1>"
               f"<p>{LEAD}</p><p>{SECOND}</p></article></body></html>")
    header = "Sat, 07 Mar 2026 15:20:00 GMT"
    record = response_to_record(undated.encode(), "text/html; charset=utf-8", "p",
                                last_modified=header)
    assert isinstance(record, RawRecord)
    assert record.fields["published"] == "2026-03-07T15:20:00+00:00"
    assert record.extra["published_source"] == "http last-modified"
    stated = _dated_page(f'<meta property="article:published_time" content="{STATED}">')
    record = response_to_record(stated.encode(), "text/html", "p", last_modified=header)
    assert record.fields["published"] == STATED and "published_source" not in record.extra


def test_a_given_outlet_beats_a_web_host_but_not_a_site_name(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from khabar.cli import cli

    body = (f"<article><h1>{HEADLINE}</h1><p>{LEAD}</p><p>{SECOND}</p></article>")
    bare = tmp_path / "bare.html"
    bare.write_text(f'<html><head><meta charset="utf-8"><link rel="canonical" href="https://news.example/a/1">'
                    f"</head><body>{body}</body></html>", encoding="utf-8")
    named = tmp_path / "named.html"
    named.write_text(f'<html><head><meta charset="utf-8"><meta property="og:site_name" content="صحيفة الساحل">'
                     f'<link rel="canonical" href="https://news.example/a/2"></head><body>{body}</body></html>',
                     encoding="utf-8")

    def outlet(path, *given: str) -> str:
        result = CliRunner().invoke(cli, ["clean", str(path), "--json", *given])
        return json.loads(result.output)["source"]

    assert outlet(bare) == "news.example"  # nothing better known
    assert outlet(bare, "--outlet", "إذاعة المدينة") == "إذاعة المدينة"
    assert outlet(named, "--outlet", "إذاعة المدينة") == "صحيفة الساحل"
