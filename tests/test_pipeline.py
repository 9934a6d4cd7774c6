from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

import khabar
from khabar.errors import PipelineError
from khabar.ingest import Rejected
from khabar.pipeline import DEFAULT_STAGES, Pipeline, registered_stages

SAMPLE = "انطلاق مهرجان المسرح\nانطلق مساء أمس مهرجان المسرح العربي في تونس.وشارك فيه 12 عرضاً."


def test_default_pipeline_is_consistent_and_every_stage_is_described() -> None:
    stages = registered_stages()
    assert set(DEFAULT_STAGES) <= set(stages)
    assert Pipeline().names == DEFAULT_STAGES
    assert all(stage.description for stage in stages.values())


def test_unknown_stage_is_refused() -> None:
    with pytest.raises(PipelineError, match="unknown stage"):
        Pipeline(["lines", "nonsense"])


def test_stage_whose_requirement_comes_later_is_refused() -> None:
    with pytest.raises(PipelineError, match="needs body"):
        Pipeline(["identify", "lines", "body"])


def test_process_returns_a_frozen_article_with_spans_into_the_text() -> None:
    article = khabar.process(SAMPLE, outlet="منبر", published="2026-03-09 21:00:00")
    assert article.title == "انطلاق مهرجان المسرح"
    assert article.language == "ar"
    assert article.published == datetime(2026, 3, 9, 21, 0)
    assert len(article.sentences) == 2
    for span in article.sentences + article.lines:
        assert SAMPLE[span.start : span.end] == span.text
    with pytest.raises(AttributeError):
        article.title = "x"  # type: ignore[misc]


def test_id_depends_on_body_and_outlet_not_on_whitespace() -> None:
    a = khabar.process(SAMPLE, outlet="منبر")
    b = khabar.process(SAMPLE.replace("\n", "\r\n") + "\n\n", outlet="منبر")
    c = khabar.process(SAMPLE, outlet="صدى")
    assert a.id == b.id != c.id


def test_process_many_accepts_texts_dicts_and_rejects_textless_dicts() -> None:
    out = list(khabar.process_many([SAMPLE, {"content": SAMPLE, "source": "صدى"}, {"title": "بلا نص"}]))
    assert [type(o).__name__ for o in out] == ["Article", "Article", "Rejected"]
    assert out[1].outlet == "صدى"
    assert isinstance(out[2], Rejected)
    # in groups of two, with the rejected item inside a group: the same items in the same order
    items = [{"title": "بلا نص"}, SAMPLE, {"content": SAMPLE, "source": "صدى"}, {"title": "x"},
             khabar.process(SAMPLE, stages=["lines"]), SAMPLE + " وانتهى."]
    grouped = list(khabar.process_many(items, group=2))
    one_by_one = [item for it in items for item in khabar.process_many([it], group=1)]
    assert [type(o).__name__ for o in grouped] == ["Rejected", "Article", "Article", "Rejected",
                                                   "Article", "Article"]
    assert [o.origin for o in grouped] == [f"<item {i}>" for i in (0, 1, 2, 3)] + ["", "<item 5>"]
    from dataclasses import replace

    def same(a: object, b: object) -> bool:  # one_by_one numbered every item 0
        return isinstance(a, Rejected) or replace(a, origin="") == replace(b, origin="")

    assert all(same(a, b) for a, b in zip(grouped, one_by_one))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2015-07-21 02:51:32", datetime(2015, 7, 21, 2, 51, 32)),
        ("Sun, 18 Feb 2018 21:35:43 +0400", "2018-02-18T21:35:43+04:00"),
        ("2026-03-14T09:30:00Z", "2026-03-14T09:30:00+00:00"),
        ("٢٠٢٦-٠٣-١٤", datetime(2026, 3, 14)),
        ("not a date", None),
        # Arabic dates as sites print them, read like the text's date lines
        ("الأحد 8 شباط 2026", datetime(2026, 2, 8)),
        ("8 فبراير 2026 - 05:20 م", datetime(2026, 2, 8, 17, 20)),
        ("٨ أيلول ٢٠٢٥ ٩:١٥ ص", datetime(2025, 9, 8, 9, 15)),
        ("8 شتنبر 2025", datetime(2025, 9, 8)),
        ("8 جوان 2025", datetime(2025, 6, 8)),
        ("تاريخ النشر: 8 فبراير 2026", datetime(2026, 2, 8)),
        ("2026-02-08 05:20 PM", datetime(2026, 2, 8, 17, 20)),
        ("20 شعبان 1447 هـ", datetime(2026, 2, 8)),
        ("31 فبراير 2026", None),
        ("أمس", None),
        # English dates as sites print them: 2:30 PM is 14:30, not 02:30
        ("Mar 11, 2018 2:30 PM", datetime(2018, 3, 11, 14, 30)),
        ("Sunday, March 11, 2018 2:30 PM", datetime(2018, 3, 11, 14, 30)),
        ("March 11, 2018", datetime(2018, 3, 11)),
        ("11 March 2018", datetime(2018, 3, 11)),
        ("11.03.2018 14:30", datetime(2018, 3, 11, 14, 30)),
    ],
)
def test_metadata_dates_in_dump_formats(raw: str, expected: object) -> None:
    article = khabar.process(SAMPLE, published=raw)
    if isinstance(expected, str):
        assert article.published is not None and article.published.isoformat() == expected
    else:
        assert article.published == expected


def test_an_arabic_published_field_is_a_date_and_an_unreadable_one_is_kept_raw() -> None:
    read, kept = khabar.process_many([{"text": SAMPLE, "published": "الأحد 8 شباط 2026"},
                                      {"text": SAMPLE, "published": "قبل ساعتين"}])
    assert read.published == datetime(2026, 2, 8) and "published_raw" not in dict(read.metadata)
    assert kept.published is None and dict(kept.metadata)["published_raw"] == "قبل ساعتين"


@pytest.mark.parametrize(
    "text, phones",
    [
        ("للتواصل: 0012022773659", ["0012022773659"]),
        ("هاتف +964 770 123 4567 للحجز", ["+964 770 123 4567"]),
        ("اتصل على ٠٧٧٠١٢٣٤٥٦٧ الآن", ["٠٧٧٠١٢٣٤٥٦٧"]),
        ("بلغ عدد السكان 4647 نسمة في 2016", []),
        ("بلغت الميزانية 12,500,000 دولار", []),
    ],
)
def test_phone_numbers_are_flagged_and_counts_are_not(text: str, phones: list[str]) -> None:
    article = khabar.process("عنوان\n" + text)
    assert [p.text for p in article.pii if p.pii_kind == "phone"] == phones


def test_run_many_gives_the_articles_that_one_by_one_gives() -> None:
    """Stage by stage over a chunk (entities tagged together by their batch function) must
    give exactly the articles of the pipeline called on each: the demo corpus, an English
    article the Arabic-only stages skip, and an empty one."""
    import json
    from importlib import resources

    from khabar.model import Article
    from khabar.pipeline import article_from_record
    from khabar.ingest.readers import record_from_mapping

    rows = [json.loads(line) for line in
            (resources.files("khabar.demo") / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    articles = [article_from_record(record_from_mapping(row, f"demo:{i}")) for i, row in enumerate(rows)]
    articles.insert(3, Article(id="", text="Ministers met in Geneva on Tuesday to discuss the talks.",
                               outlet="wire"))
    articles.insert(7, Article(id="", text="", outlet="wire"))
    pipeline = Pipeline()
    assert registered_stages()["entities"].batch is not None
    one_by_one = [pipeline(a) for a in articles]
    together = pipeline.run_many(articles)
    assert together == one_by_one
    assert sum(len(a.entities) for a in together) > 100
    assert Pipeline().run_many([]) == []


def test_a_batch_function_must_return_one_article_per_article() -> None:
    from dataclasses import replace

    from khabar.model import Article
    from khabar.pipeline import batch_stage

    with pytest.raises(PipelineError, match="unknown stage"):
        batch_stage("no-such-stage")(lambda articles: articles)
    broken = replace(registered_stages()["language"], batch=lambda articles: articles[:1])
    with pytest.raises(PipelineError, match="returned 1 articles for 2"):
        broken.run_many([Article(id="", text="نص"), Article(id="", text="نص آخر")])


def test_process_many_yields_what_came_before_an_article_that_fails() -> None:
    from khabar.pipeline import stage

    @stage("test-fails-on-boom", requires=("body",), provides=())
    def fails_on_boom(article):  # type: ignore[no-untyped-def]
        """Raises on an article whose body says boom (test only)."""
        if "boom" in article.body:
            raise RuntimeError("boom")
        return article

    from khabar.pipeline import _REGISTRY

    items = ["خبر أول عن المطر.", "خبر ثان عن الشمس.", "boom", "خبر رابع."]
    got = []
    try:
        with pytest.raises(RuntimeError, match="boom"):
            for item in khabar.process_many(items, stages=["lines", "body", "test-fails-on-boom"]):
                got.append(item)
    finally:
        _REGISTRY.pop("test-fails-on-boom", None)
    assert [a.body for a in got] == ["خبر أول عن المطر.", "خبر ثان عن الشمس."]


PAGE = (
    '<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>مكتبة الحي تفتح أبوابها</title>'
    '<meta property="article:published_time" content="2026-02-08T10:15:00+02:00"></head><body>'
    "<article><h1>مكتبة الحي تفتح أبوابها</h1>"
    "<p>افتتحت بلدية المدينة مكتبة عامة جديدة في الحي الشمالي تضم أكثر من عشرة آلاف كتاب للكبار والصغار.</p>"
    "<p>وقال رئيس البلدية إن المكتبة ستفتح أبوابها كل يوم من التاسعة صباحا حتى السابعة مساء.</p>"
    "</article></body></html>"
)


def test_process_reads_an_html_page_as_process_many_and_ingest_do() -> None:
    article = khabar.process(PAGE)
    assert article.title == "مكتبة الحي تفتح أبوابها"
    assert "<p>" not in article.text and "مكتبة عامة جديدة" in article.body
    assert article.published is not None and article.published.isoformat() == "2026-02-08T10:15:00+02:00"
    (many,) = khabar.process_many([PAGE])
    assert (many.title, many.body, many.published) == (article.title, article.body, article.published)
    assert khabar.process(PAGE.encode("utf-8")).body == article.body
    mine = khabar.process(PAGE, title="عنوان آخر", published="2026-02-09")
    assert mine.title == "عنوان آخر" and mine.published == datetime(2026, 2, 9)


def test_process_decodes_bytes_like_ingest() -> None:
    assert khabar.process(SAMPLE.encode("utf-8")).title == "انطلاق مهرجان المسرح"
    assert khabar.process(SAMPLE.encode("cp1256")).title == "انطلاق مهرجان المسرح"
    from khabar.errors import InputError

    with pytest.raises(InputError, match="binary"):
        khabar.process(b"\x00\x01\x02\x00\xff\x00\x00\x10")


def test_process_says_what_to_do_with_gzip_or_parquet_bytes_in_python_terms() -> None:
    # audit29 left it: `process(gzip bytes)` said "(name the file .gz)", advice for a file
    import gzip

    from khabar.errors import InputError

    packed = gzip.compress(SAMPLE.encode("utf-8"))
    gz = ("binary file: gzip data (decompress it first, gzip.decompress(data), or give the file's"
          " path to Corpus.ingest, which reads .gz)")
    with pytest.raises(InputError) as caught:
        khabar.process(packed)
    assert str(caught.value) == gz
    assert khabar.process(gzip.decompress(packed)).title == "انطلاق مهرجان المسرح"  # as it says
    parquet = b"PAR1\x15\x04" + bytes(40)
    (zipped, table) = khabar.process_many([packed, parquet])
    assert isinstance(zipped, Rejected) and zipped.reason == gz
    assert isinstance(table, Rejected) and table.reason == (
        "binary file: Parquet data (give the file's path to Corpus.ingest, which reads .parquet"
        " with khabar[parquet])")


@pytest.mark.parametrize("text", [None, 123, ["نص"]])
def test_process_names_the_argument_of_the_wrong_type(text: object) -> None:
    with pytest.raises(TypeError, match=r"text: expected str or bytes, got"):
        khabar.process(text)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"outlet": ["منبر"]}, "outlet: expected str"),
        ({"published": ["2026"]}, "published: expected"),
        ({"stages": 5}, "stages: expected"),
    ],
)
def test_process_refuses_metadata_of_the_wrong_type(kwargs: dict, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        khabar.process(SAMPLE, **kwargs)


@pytest.mark.parametrize(
    "published, expected",
    [
        (1772700000, "2026-03-05T08:40:00+00:00"),  # an epoch, as a JSONL number is read
        (1772700000.5, "2026-03-05T08:40:00.500000+00:00"),
        (date(2026, 3, 1), "2026-03-01T00:00:00"),
        (datetime(2026, 3, 1, 7, 30), "2026-03-01T07:30:00"),
    ],
)
def test_process_takes_dates_and_epochs_as_published(published: object, expected: str) -> None:
    article = khabar.process(SAMPLE, published=published)  # type: ignore[arg-type]
    assert article.published is not None and article.published.isoformat() == expected


def test_process_keeps_an_unreadable_date_and_takes_cli_shaped_arguments() -> None:
    article = khabar.process(SAMPLE, published="yesterday", outlet=None, stages="lines, body")
    assert article.published is None and dict(article.metadata) == {"published_raw": "yesterday"}
    assert article.outlet == "" and article.body.startswith("انطلق")
    assert article.sentences == ()  # only lines and body ran
    with pytest.raises(PipelineError, match="unknown stage 'nonsense'"):
        khabar.process(SAMPLE, stages="lines,nonsense")


def test_process_breaks_lines_at_br_as_ingest_does() -> None:
    article = khabar.process("عنوان الخبر<br>سطر أول من المتن عن افتتاح المكتبة.<br/>سطر ثان من المتن.")
    assert [line.text for line in article.lines] == [
        "عنوان الخبر", "سطر أول من المتن عن افتتاح المكتبة.", "سطر ثان من المتن."]


def test_a_text_of_site_chrome_only_has_no_body_and_is_quarantined(tmp_path: Path) -> None:
    """Lines the cleaner calls chrome never make the body, not even of a text that has nothing
    else: such a text is quarantined, not stored as an article of a copyright line."""
    chrome_only = ["جميع الحقوق محفوظة © صحيفة المثال 2026", "تعليقات ()", "الرئيسية"]
    for text in chrome_only:
        assert khabar.process(text).body == "", text
    # a headline alone is still the body of a record with nothing more; a menu under it is not
    assert khabar.process("انفجار في ميناء المدينة\nالرئيسية", title="انفجار في ميناء المدينة").body \
        == "انفجار في ميناء المدينة"
    src = tmp_path / "in.jsonl"
    records = [{"id": f"c{i}", "outlet": "صحيفة المثال", "text": t} for i, t in enumerate(chrome_only)]
    records.append({"id": "real", "outlet": "صحيفة المثال",
                    "text": "افتتحت البلدية اليوم حديقة عامة جديدة في وسط المدينة بمساحة 12 دونما."})
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with khabar.Corpus(tmp_path / "k.db", stages="lines,body,identify,language,sentences,pii") as corpus:
        report = corpus.ingest(src)
        assert (report.new, report.quarantined) == (1, 3), report.summary()
        assert {row["reason"] for row in corpus.quarantine()} == {"empty body after cleaning"}


def test_an_empty_or_blank_text_is_no_article() -> None:
    """process("") had returned an empty Article (walk 19); as an empty file is quarantined,
    an empty text is an InputError, and process_many gives it as Rejected with the reason;
    both are importable from the package, so a caller can catch them without knowing where
    they live."""
    from khabar.errors import InputError

    assert khabar.InputError is InputError and khabar.Rejected is Rejected
    assert issubclass(InputError, khabar.KhabarError)
    for empty in ("", "  \n\u00a0 ", b""):
        with pytest.raises(khabar.InputError, match="empty text"):
            khabar.process(empty)
    with pytest.raises(khabar.InputError, match="empty text"):
        khabar.process("", title="a headline alone is no article either, as ingest quarantines it")
    out = list(khabar.process_many(["", SAMPLE]))
    assert isinstance(out[0], khabar.Rejected) and out[0].reason.startswith("empty text") and out[0].origin == "<item 0>"
    assert isinstance(out[1], khabar.Article)


def test_a_text_of_a_byte_order_mark_or_direction_marks_alone_is_no_article() -> None:
    """A file read with open() (not utf-8-sig) that is empty but for its BOM gives '\\ufeff':
    as the same bytes are refused (decoded, they are an empty file), so is the text; so is a
    text of direction marks alone (an emptied right-to-left field)."""
    with pytest.raises(khabar.InputError):
        khabar.process(b"\xef\xbb\xbf\n")
    for blank in ("\ufeff", "\ufeff\n", "\u200f\u200e \u061c", "\u200b"):
        with pytest.raises(khabar.InputError, match="empty text"):
            khabar.process(blank)
    assert isinstance(next(iter(khabar.process_many(["\ufeff"]))), khabar.Rejected)
    # a mark beside a word is text
    assert khabar.process("\u200fمرحبا بكم في المدينة.").body
