"""Hostile inputs and the checks every part of khabar must pass on them.

Shared by `tests/test_hostile_input.py` (a few hundred examples per check, in the test suite)
and `benchmarks/fuzz.py` (the same checks at volume). Each check takes one input and raises
AssertionError (or the exception that escaped) when khabar misbehaves on it:

- a reader gives, for every item, a record or a `Rejected` with a one-line reason;
- every stage (the cleaner, every extractor) returns within a deadline and its spans are
  offsets inside `Article.text`;
- the clusterer gives every article a story and a copy group;
- `Corpus.ingest` accounts for every input item (a record or a quarantine row), never crashes,
  and leaves a store that passes `PRAGMA integrity_check`.

The deadline (10 s per stage and input, SIGALRM) detects hangs; it is not a speed target.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import re
import signal
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from khabar.errors import PipelineError
from khabar.ingest.readers import RawRecord, Rejected, read_file, read_stdin, record_from_mapping
from khabar.model import Article
from khabar.pipeline import Pipeline, article_from_record

DEADLINE = 10.0

# -- characters and texts ------------------------------------------------------------------------

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئىة"
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
QUOTES = "\"'«»“”„‟‹›「」『』"
PUNCT = "،؛؟.!?:;-–—…()[]{}/\\|*#@%&_ـ"
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
SPACE = " \t\n\r\u00a0\u2028\u2029\x0b\x0c\u3000\u2009"
HOSTILE_ALPHABET = ARABIC + DIACRITICS + BIDI + ZERO_WIDTH + QUOTES + PUNCT + DIGITS + SPACE + "<>&;=xX"
WORDS = ["قال", "الوزير", "إن", "مليون", "دولار", "يوم", "الاثنين", "مارس", "آذار", "2026", "١٤٤٧",
         "رمضان", "شخصاً", "بالمئة", "%", "أمس", "غداً", "وأضاف", "\"", "«", "»", ":", "-", "عمّان",
         "كتب", "المصدر", "تابعونا", "صورة", "http://x.y/z", "a@b.co", "00962791234567", "\n", "\n\n"]

texts = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=HOSTILE_ALPHABET, max_size=600),
    st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join),
    st.lists(st.sampled_from(WORDS + list(QUOTES + BIDI + ZERO_WIDTH + DIACRITICS)), max_size=200).map("".join),
    st.sampled_from([
        "", " ", "\n" * 50, "\u200b" * 40, DIACRITICS * 30, PUNCT * 20, QUOTES * 15, BIDI * 20,
        "«" * 300, "\"" * 301, "قال: \"" + "كلام " * 200, "(" * 500 + ")" * 3, "ـ" * 1000,
        "١" * 500, "9" * 400, "1.2.3.4.5.6.7.8.9." * 40, "%%%%" * 100, "مليون " * 300,
    ]),
)

published_values = st.one_of(
    st.none(),
    st.sampled_from([
        "0", "-1", "-86400", "0000-00-00", "0001-01-01", "9999-12-31 23:59:59", "99999-01-01",
        "2026-02-30", "1970-01-01T00:00:00Z", "253402300799", "253402300800", "99999999999",
        "9999999999999", "1e309", "NaN", "inf", "Thu, 01 Jan 1970 00:00:00 +1400",
        "Mon, 31 Dec 9999 23:59:59 -1200", "2026-03-10T10:00:00+14:00", "0001-01-01T00:00:00-12:00",
        "9999-12-31T23:59:59+14:00", "31/12/9999", "01/01/0001", "٢٠٢٦-٠٣-١٠", "", " ", "yesterday",
    ]),
    st.integers(min_value=-10**13, max_value=10**14).map(str),
    st.datetimes().map(lambda d: d.isoformat()),
)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                         st.floats(allow_nan=True, allow_infinity=True), texts)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
FIELD_KEYS = ["text", "content", "body", "title", "headline", "source", "outlet", "url", "link", "date",
              "published", "id", "author", "html", "raw_html", "content_html"]
records = st.dictionaries(st.sampled_from(FIELD_KEYS) | st.text(max_size=6), json_values, max_size=8)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=True)


jsonl_lines = st.lists(st.one_of(
    records.map(_dump),
    st.fixed_dictionaries({"text": texts}, optional={"title": texts, "source": texts, "date": published_values,
                                                     "id": json_values}).map(_dump),
    st.text(max_size=80),  # broken JSON, or not an object
    st.sampled_from(['{"text": "نص مقطوع', "[1, 2]", "null", '"text"', "{}", '{"text": null}',
                     '{"text": 5}', '{"text": ["ق", "ل"]}', '{"text": {"a": 1}}', "\ufeff{}",
                     '{"text": "\\ud800"}', '{"text": "a\\u0000b"}']),
), max_size=20)

def _table(header: list[str], rows: list[list[str]], delimiter: str, quoted: bool) -> str:
    """A CSV/TSV text: written by the csv module (every quote doubled) or naively joined (the
    quotes, delimiters and line breaks of the cells left as they are)."""
    if not quoted:
        return "\r\n".join(delimiter.join(r) for r in [header, *rows])
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    for r in [header, *rows]:
        writer.writerow(r)
    return out.getvalue()


csv_tables = st.builds(
    _table,
    st.lists(st.sampled_from(FIELD_KEYS + ["Text", "TITLE", ""]) | st.text(max_size=6), min_size=1, max_size=6),
    st.lists(st.lists(texts | published_values.map(str), max_size=7), max_size=12),
    st.sampled_from([",", ";", "\t", "|"]),
    st.booleans(),
)

html_pages = st.one_of(
    st.builds(lambda depth, tag, body: f"<html><body>{('<' + tag + '>') * depth}{body}{('</' + tag + '>') * (depth // 2)}",
              st.integers(0, 3000), st.sampled_from(["div", "p", "span", "table", "b", "ul><li"]), texts),
    st.builds(lambda parts: "<!doctype html><html><head><title>" + "".join(parts),
              st.lists(st.sampled_from(["<p>", "</p>", "<div", ">", "<script>", "</script>", "<!--", "-->",
                                        "<![CDATA[", "]]>", "<meta charset=windows-1256>", "&#0;", "&#x110000;",
                                        "&amp", "<p>قال الوزير «", "<br/>", "\x00", "<style>", "</style>",
                                        "<article>", "</article>", "<h1>", "عنوان", "</h1>"]), max_size=200)),
)

raw_bytes = st.one_of(
    st.binary(max_size=2000),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    texts.map(lambda t: t.encode("utf-16", "surrogatepass")),
    texts.map(lambda t: t.encode("cp1256", "replace")),
    st.tuples(texts, texts).map(lambda p: p[0].encode("utf-8", "surrogatepass") + p[1].encode("cp1256", "replace")),
    st.binary(max_size=200).map(lambda b: b"\xef\xbb\xbf" + b),
    st.binary(max_size=200).map(lambda b: b"\xff\xfe" + b),
)
SUFFIXES = [".txt", ".jsonl", ".json", ".html", ".jsonl.gz", ".ndjson", ".json.gz", ".htm.gz", ".parquet", ".csv", ".tsv.gz", ""]

# -- the deadline --------------------------------------------------------------------------------


@contextlib.contextmanager
def deadline(seconds: float = DEADLINE, what: str = "") -> Iterator[None]:
    """Fail when the block runs longer than `seconds` (SIGALRM in the main thread; elsewhere the
    time is only measured afterwards)."""
    start = time.monotonic()
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if use_alarm:
        def _expired(signum: int, frame: Any) -> None:
            raise TimeoutError(f"{what or 'input'} ran past the {seconds:.0f}s deadline (a hang?)")

        previous = signal.signal(signal.SIGALRM, _expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    elapsed = time.monotonic() - start
    assert elapsed < seconds, f"{what or 'input'} took {elapsed:.1f}s, past the {seconds:.0f}s deadline"


# -- checks --------------------------------------------------------------------------------------

_PIPELINES: dict[str, Pipeline] = {}


def _pipeline() -> Pipeline:
    if "all" not in _PIPELINES:
        from khabar.pipeline import registered_stages

        names = list(Pipeline().names)
        extra = [n for n in registered_stages() if n not in names]
        try:
            _PIPELINES["all"] = Pipeline(names + extra)
        except PipelineError:  # an extra stage that needs what no default stage gives
            _PIPELINES["all"] = Pipeline(names)
        for text in ("قال الوزير إن 12 شخصاً أصيبوا يوم الاثنين.", "The minister said on Monday that twelve people were hurt in the floods, and that the roads would reopen soon."):
            warm = article_from_record(RawRecord(text=text, origin="w"))
            _PIPELINES["all"](warm)  # models and word lists load here, not inside a deadline
    return _PIPELINES["all"]


def check_spans(article: Article) -> None:
    n = len(article.text)
    for name in ("lines", "sentences", "entities", "quotes", "quantities", "dates", "pii"):
        for span in getattr(article, name, ()):
            assert 0 <= span.start <= span.end <= n, f"{name} span {span.start}:{span.end} outside a text of {n}"
            for a, b in (("speaker_start", "speaker_end"),):
                s, e = getattr(span, a, None), getattr(span, b, None)
                if s is not None and e is not None and s >= 0:
                    assert 0 <= s <= e <= n, f"{name} speaker {s}:{e} outside a text of {n}"


def check_article(article: Article, seconds: float = DEADLINE) -> Article:
    """Every stage, one by one, under the deadline; spans inside the text after each."""
    pipeline = _pipeline()
    for stage in pipeline.stages:
        with deadline(seconds, what=f"stage {stage.name}"):
            article = stage(article, pipeline.context)
        assert isinstance(article, Article)
        check_spans(article)
    return article


def check_text(text: str, published: str | None = None, title: str = "", outlet: str = "",
               seconds: float = DEADLINE) -> Article:
    record = record_from_mapping({"text": text, "date": published, "title": title, "source": outlet}, "<fuzz>")
    if isinstance(record, Rejected):
        assert record.reason and "\n" not in record.reason
        record = RawRecord(text=text or " ", origin="<fuzz>")
    return check_article(article_from_record(record), seconds)


# a user reads the reason: a Python type or exception name in it says nothing to them
PYTHON_IN_REASON = re.compile(r"\b(?:NoneType|[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception))\b"
                              r"|\bgot (?:list|dict|int|float|str|bool|bytes)\b")


def check_items(items: list[RawRecord | Rejected], process: int | None = None) -> list[Article]:
    """Each item a record or a one-line reason; the first `process` records (all by default)
    through every stage."""
    out = []
    for item in items:
        assert isinstance(item, (RawRecord, Rejected)), type(item)
        if isinstance(item, Rejected):
            assert item.reason.strip() and "\n" not in item.reason, repr(item.reason)
            assert not PYTHON_IN_REASON.search(item.reason), repr(item.reason)
        elif process is None or len(out) < process:
            out.append(check_article(article_from_record(item)))
    return out


def check_file(data: bytes, suffix: str, *, compress: bool | None = None,
               process: int | None = None, seconds: float = DEADLINE) -> list[RawRecord | Rejected]:
    """Read `data` as a file named `input{suffix}`; for `.gz` names the bytes are gzipped first
    (`compress`; by default two inputs in three, the third only says it is gzip)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        if data[:2] in (b"\xfe\xff", b"\xff\xfe"):  # UTF-16 (its byte order mark): blank as text
            blank = not data.decode("utf-16", "replace").replace("\ufeff", "").strip()
        else:
            blank = not data.replace(b"\xef\xbb\xbf", b"").strip()
        if compress is None:
            compress = suffix.endswith(".gz") and len(data) % 3 != 0
        if compress:
            data = gzip.compress(data)
        path.write_bytes(data)
        with deadline(seconds, what=f"reading a {suffix or 'bare'} file"):
            items = list(read_file(path))
    # every file gives a record or a reason, an empty or blank one too ("empty file")
    assert items, f"a file gave nothing at all (blank: {blank})"
    check_items(items, process)
    return items


def check_stdin(data: bytes) -> None:
    with deadline(what="reading stdin"):
        items = list(read_stdin(io.BytesIO(data)))
    assert items
    check_items(items)


def check_clusters(articles: list[Article]) -> None:
    from khabar.stories.stream import cluster_articles

    kept = [a for a in articles if a.id]
    with deadline(what="clustering"):
        assignments = cluster_articles(kept)
    assert {a.article_id for a in assignments} == {a.id for a in kept}
    for a in assignments:
        assert a.story and a.copy_group


def check_ingest(lines: list[str], batch_size: int = 7) -> None:
    """The whole path through the store: every line is a record or a quarantine row."""
    from khabar.corpus import Corpus

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(line.replace("\n", " ").replace("\r", " ").replace("\u2028", " ")
                               .replace("\u2029", " ").replace("\x85", " ").replace("\x0b", " ")
                               .replace("\x0c", " ").replace("\x1c", " ").replace("\x1d", " ")
                               .replace("\x1e", " ") + "\n" for line in lines),
                       encoding="utf-8", errors="surrogatepass")
        # one record or reason a line; a file of blank lines is one reason ("empty file")
        expected = sum(1 for line in src.read_bytes().split(b"\n") if line.strip()) or 1
        db = Path(tmp) / "fuzz.db"
        with deadline(30, "ingesting"), Corpus(db) as corpus:
            report = corpus.ingest([src], batch_size=batch_size)
        assert report.read == expected, (report.read, expected)
        assert report.new + report.duplicate + report.quarantined == report.read, report
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            covered = {r[0] for r in conn.execute("SELECT origin FROM records")} | {
                r[0] for r in conn.execute("SELECT origin FROM quarantine")}
            assert len(covered) == expected, f"{expected} lines, {len(covered)} accounted for"
            orphans = conn.execute("SELECT count(*) FROM story_articles WHERE article_id NOT IN"
                                   " (SELECT id FROM articles)").fetchone()[0]
            unassigned = conn.execute("SELECT count(*) FROM articles WHERE id NOT IN"
                                      " (SELECT article_id FROM story_articles)").fetchone()[0]
            assert orphans == unassigned == 0
        finally:
            conn.close()


def printable(value: Any, width: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= width else text[:width] + f"… ({len(text)} chars)"

