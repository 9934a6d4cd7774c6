from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from pathlib import Path

import pytest

import khabar
from khabar.errors import NotFound
from khabar.ingest import Rejected
from khabar.store import Store

TEXTS = [
    ("صحيفة الشروق", "ارتفاع صادرات التمور\nارتفعت صادرات التمور الأمريكية إلى أوروبا بنسبة 8% هذا العام."),
    ("موقع النخيل", "حملة تشجير في الموصل\nأطلقت بلدية الموصل حملة لزراعة ألف شجرة في الأحياء الشرقية."),
    ("موقع النخيل", "سورية تستضيف بطولة الشطرنج\nتستضيف سوريا بطولة عربية للشطرنج بمشاركة 14 دولة."),
]


@pytest.fixture
def store(db_path: Path) -> Store:
    s = Store(db_path)
    s.add_batch([khabar.process(text, outlet=outlet) for outlet, text in TEXTS])
    return s


def test_store_uses_wal_and_records_schema_version(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version == max(v for v, _, _ in Store.migrations())
    assert store.integrity_check() == "ok"


def test_reopening_does_not_rerun_migrations(store: Store, db_path: Path) -> None:
    store.close()
    again = Store(db_path)
    assert again.count() == 3


def test_adding_the_same_articles_again_adds_nothing(store: Store) -> None:
    result = store.add_batch([khabar.process(text, outlet=outlet) for outlet, text in TEXTS])
    assert (result.new, result.duplicate) == (0, 3)
    assert store.count() == 3


def test_same_text_from_another_outlet_is_another_article(store: Store) -> None:
    outlet, text = TEXTS[0]
    result = store.add_batch([khabar.process(text, outlet="وكالة أخرى")])
    assert result.new == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ("الموصل", 1),
        ("موصل", 1),
        ("الأميركية", 1),  # stored text says الأمريكية
        ("سوريا", 1),
        ("سورية", 1),
        ("الموصل التمور", 0),  # every word must match
        ("صادرات", 1),
    ],
)
def test_search_ignores_spelling_variants_and_the_article_prefix(store: Store, query: str, expected: int) -> None:
    assert len(store.search(query)) == expected


def test_a_failing_batch_leaves_nothing_behind(store: Store) -> None:
    good = khabar.process("خبر جديد\nافتتح متحف للفنون الحديثة أبوابه للزوار.", outlet="منبر")
    broken = khabar.process("خبر آخر\nنص آخر مختلف تماماً عن الأول.", outlet="منبر")
    broken = dataclasses.replace(broken, text=None)  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        store.add_batch([good, broken], [Rejected("x", "empty file")])
    assert store.count() == 3
    assert not store.has_article(good.id)
    assert store.quarantined() == []


def test_articles_round_trip_with_their_spans(store: Store) -> None:
    original = khabar.process(
        "عنوان\nاتصلوا بنا على الرقم 00201001234567 أو info@example.org.", outlet="منبر"
    )
    store.add_batch([original])
    loaded = store.article(original.id)
    assert loaded == original
    assert loaded.pii and {p.pii_kind for p in loaded.pii} == {"phone", "email"}


def test_line_and_sentence_texts_are_stored_once(store: Store) -> None:
    """Lines and sentences are slices of the text: stored as offsets, their texts rebuilt on
    reading; a span whose text is not the slice keeps it."""
    import json

    original = khabar.process("عنوان الخبر\nقال المتحدث إن الاجتماع انتهى. وأضاف أن الوفد غادر.",
                              outlet="منبر")
    odd = dataclasses.replace(original.sentences[0], text="نص آخر")
    original = dataclasses.replace(original, sentences=(odd, *original.sentences[1:]))
    store.add_batch([original])
    raw = json.loads(store.conn.execute("SELECT spans FROM articles WHERE id=?",
                                        (original.id,)).fetchone()[0])
    assert raw["lines"] and all("text" not in item for item in raw["lines"])
    assert raw["sentences"][0]["text"] == "نص آخر"
    assert all("text" not in item for item in raw["sentences"][1:])
    assert store.article(original.id) == original


def test_article_lookup_by_prefix_and_external_id(store: Store) -> None:
    article = khabar.process("عنوان\nنص فريد عن معرض الزهور السنوي.", outlet="منبر", external_id="DOC-9")
    store.add_batch([article])
    assert store.article(article.id[:8]).id == article.id
    assert store.article("DOC-9").id == article.id


def test_opening_waits_for_another_process_lock(tmp_path: Path) -> None:
    # A writer holding a new database (a write transaction that has not committed yet, as a
    # second ingest racing the first) makes the opener wait, not call the file "not a usable
    # khabar database": SQLite refuses the switch to WAL at once instead of waiting.
    import threading

    path = tmp_path / "busy.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.5, lambda: holder.execute("COMMIT")).start()
    with Store(path) as store:
        assert store.schema_version == max(v for v, _, _ in Store.migrations())
    holder.close()


def test_numbering_a_batch_of_stories_reads_an_index_not_the_table(store: Store) -> None:
    # `StoryStore._save` numbers each batch on from the largest seq; scanning story_articles
    # for it made every batch slower as the store grew (benchmarks/store_scale.py)
    from khabar.store.stories import LAST_SEQ_SQL

    plan = " ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + LAST_SEQ_SQL))
    assert "story_articles_seq" in plan and "SCAN" not in plan


def test_a_database_nobody_here_may_write_is_read_without_wal_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only file or folder (a published copy): reading works and writes nothing beside
    it; writing is a one-line error. The permission check is simulated (tests may run as root,
    which may write anywhere); SQLite's read-only opening is real."""
    from click.testing import CliRunner

    from khabar.cli import cli
    from khabar.corpus import Corpus

    db = tmp_path / "shared.db"
    (tmp_path / "in.txt").write_text("قال المتحدث إن الجسر الجديد سيفتح أمام السيارات الأسبوع المقبل.",
                                     encoding="utf-8")
    with Corpus(db) as corpus:
        corpus.ingest([tmp_path / "in.txt"], workers=1)
    before = sorted(p.name for p in tmp_path.iterdir())
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: (
        False if mode == os.W_OK and str(p).startswith(str(tmp_path)) else real_access(p, mode, **kw)))
    result = CliRunner().invoke(cli, ["--db", str(db), "search", "الجسر"])
    assert result.exit_code == 0 and "الجسر" in result.output, result.output
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(tmp_path / "in.txt")])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -wal, -shm or lock file
    with Store(db) as store:
        assert store.read_only
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("DELETE FROM articles")

    # a read-only store one index-only migration behind (v9, before 0010's index) is read as
    # it is; one behind a migration that changes tables is refused with the way out
    monkeypatch.undo()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP INDEX articles_published_instant")
    conn.execute("PRAGMA user_version=9")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # into the file an immutable reader sees
    conn.close()
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: (
        False if mode == os.W_OK and str(p).startswith(str(tmp_path)) else real_access(p, mode, **kw)))
    result = CliRunner().invoke(cli, ["--db", str(db), "articles"])
    assert result.exit_code == 0 and "الجسر" in result.output, result.output
    monkeypatch.undo()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA user_version=3")  # 0004 makes the stories tables
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: (
        False if mode == os.W_OK and str(p).startswith(str(tmp_path)) else real_access(p, mode, **kw)))
    result = CliRunner().invoke(cli, ["--db", str(db), "articles"])
    assert result.exit_code == 2 and "open it once where it can be written" in result.output, result.output


def test_corpus_arguments_as_a_python_user_writes_them(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text('{"story_text": "' + TEXTS[1][1].replace("\n", "\\n") + '", "headline": "حملة تشجير"}\n',
                    encoding="utf-8")
    with khabar.Corpus(tmp_path / "c.db") as corpus:
        # one path as a string, one key as a string: not their characters
        report = corpus.ingest(str(dump), field_map={"text": "story_text"})
        assert (report.new, report.quarantined) == (1, 0)
        assert corpus.articles()[0].title == "حملة تشجير"  # the other fields keep their defaults
        with pytest.raises(ValueError, match="unknown field 'txt'.*known: text, title"):
            corpus.ingest([dump], field_map={"txt": ("story_text",)})
        with pytest.raises(ValueError, match="workers"):
            corpus.ingest([dump], workers=-1)
    with pytest.raises(ValueError, match="workers: expected 0 .* got -3"):
        khabar.Corpus(tmp_path / "d.db", workers=-3)
    with pytest.raises(khabar.errors.InputError, match="is a directory") as raised:
        khabar.Corpus(tmp_path)
    assert "--db" not in str(raised.value)


def test_a_transaction_left_open_by_an_interrupt_closes_quietly_after_the_store(db_path: Path) -> None:
    """Regression: Ctrl-C landing inside a `with store.transaction()` statement's own exit left
    the generator suspended; collected after the CLI had closed the store, it tried to roll back
    on the closed connection and Python printed a traceback under the one-line message."""
    import gc
    import sys

    unraisable: list[object] = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        store = Store(db_path)
        suspended = store.transaction()
        suspended.__enter__().execute("CREATE TABLE scratch(a)")
        store.close()  # closing rolls the open transaction back
        del suspended
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert unraisable == []
    with Store(db_path) as again:
        assert again.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name='scratch'").fetchone()[0] == 0


def test_a_transaction_left_open_by_an_interrupt_spares_a_later_one(db_path: Path) -> None:
    """Regression (review 16): the suspended generator, collected while a later transaction was
    open on the same connection, rolled that one back."""
    import gc

    store = Store(db_path)
    suspended = store.transaction()
    suspended.__enter__().execute("CREATE TABLE first_try(a)")
    store.conn.execute("ROLLBACK")  # the interrupted batch is given up
    with store.transaction() as cur:
        cur.execute("CREATE TABLE later(a)")
        del suspended
        gc.collect()
    assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE name='later'").fetchone()[0] == 1
    store.close()


def test_a_dump_without_outlets_names_each_article_after_its_url_host(tmp_path: Path) -> None:
    """Without an outlet, one site's repeated lines are not learnt and one outlet's two briefs
    look like two outlets' reports of one event; the URL says which site printed the text."""
    dump = tmp_path / "dump.jsonl"
    rows = [{"text": text, "url": url} for (_, text), url in zip(TEXTS[:2], (
        "https://www.alshorouk.example/news/1", "http://nakheel.example:8080/a?id=2"))]
    rows.append({"text": TEXTS[2][1], "url": "https://www.alshorouk.example/n/3", "outlet": "الشروق"})
    rows.append({"text": TEXTS[2][1] + "\nوتستمر البطولة أسبوعا.", "url": "not a url"})
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with khabar.Corpus(tmp_path / "c.db") as corpus:
        assert corpus.ingest([dump]).new == 4
        outlets = sorted(a.outlet for a in corpus.articles())
        assert outlets == ["", "alshorouk.example", "nakheel.example", "الشروق"]
    with khabar.Corpus(tmp_path / "d.db") as corpus:  # the caller's outlet beats a host
        corpus.ingest([dump], outlet="موقع")
        assert sorted(a.outlet for a in corpus.articles()) == ["الشروق", "موقع", "موقع", "موقع"]
        assert not any(dict(a.metadata).get("outlet_from") for a in corpus.articles())


def test_a_text_stored_before_outlets_came_from_urls_is_recognised_when_ingested_again(
        tmp_path: Path) -> None:
    """An older khabar stored a record without an outlet under the hash of its text alone and
    an id made without an outlet, as it still stores a record without a URL."""
    row = {"text": TEXTS[1][1]}
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    old.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    new.write_text(json.dumps(row | {"url": "https://nakheel.example/2"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    with khabar.Corpus(tmp_path / "c.db") as corpus:
        corpus.ingest([old])
        report = corpus.ingest([new])
        assert (report.new, [a.outlet for a in corpus.articles()]) == (0, [""])


def test_limits_and_offsets_past_sqlite_integers_read_nothing(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("افتتاح مكتبة عامة\nافتتحت البلدية مكتبة عامة جديدة في وسط المدينة.",
                                     encoding="utf-8")
    with khabar.Corpus(tmp_path / "k.db") as corpus:
        corpus.ingest([tmp_path / "in.txt"], workers=1)
        huge = 2**64
        assert len(corpus.list_stories(limit=huge)) == 1 and len(corpus.articles(limit=huge)) == 1
        assert corpus.find_stories(offset=huge) == ([], 1)
        assert corpus.find_stories(min_size=huge)[0] == [] and corpus.list_stories(min_size=huge) == []
        assert corpus.articles(offset=huge) == []


def test_an_empty_or_shared_external_id_names_no_one_article(store: Store) -> None:
    # the store's own articles have no external id (stored as ''): "" named an arbitrary one
    with pytest.raises(NotFound, match="no article ''"):
        store.article("")
    with pytest.raises(NotFound, match="no article"):
        store.article("  ")
    one = khabar.process("عنوان أول\nافتتح الوزير مصنعا جديدا للإسمنت في الجنوب.", outlet="منبر", external_id="7")
    two = khabar.process("عنوان ثان\nأغلقت الشرطة طريقا رئيسيا بسبب الأمطار.", outlet="منبر آخر", external_id="7")
    store.add_batch([one])
    assert store.article("7").id == one.id
    store.add_batch([two])
    with pytest.raises(NotFound, match="external id '7' is ambiguous") as found:
        store.article("7")
    assert one.id in str(found.value) and two.id in str(found.value)
    assert store.article(two.id).id == two.id


def test_a_time_in_a_search_is_plain_words_but_a_column_filter_is_refused(tmp_path: Path) -> None:
    from khabar.errors import InputError
    from khabar.store.reader import check_search_query

    store = Store(tmp_path / "s.db")
    store.add_batch([khabar.process("موعد الافتتاح\nيبدأ حفل الافتتاح عند الساعة 10:30 صباحا في القاعة الكبرى.",
                                    outlet="منبر")])
    check_search_query("الافتتاح 10:30")
    assert len(store.search("الافتتاح 10:30")) == 1
    for query in ("title:الافتتاح", "-الافتتاح"):
        with pytest.raises(InputError, match="search syntax"):
            check_search_query(query)


def test_the_python_api_refuses_a_negative_count_instead_of_reading_it_as_all(tmp_path: Path) -> None:
    """SQLite reads LIMIT -1 as no limit: Corpus.articles(limit=-1) returned every article."""
    from khabar import Corpus
    from khabar.errors import InputError

    src = tmp_path / "two.jsonl"
    src.write_text("".join(json.dumps({"text": t, "outlet": "منبر"}, ensure_ascii=False) + "\n" for t in (
        "افتتاح مكتبة\nافتتحت البلدية صباح اليوم مكتبة عامة جديدة في وسط المدينة.",
        "أمطار غزيرة\nهطلت أمطار غزيرة على المدينة مساء أمس دون أن تسفر عن أضرار.")), encoding="utf-8")
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.ingest(src)
        assert len(corpus.articles(limit=None)) == 2 and len(corpus.articles(limit=1)) == 1
        for call in (lambda: corpus.articles(limit=-1), lambda: corpus.articles(offset=-1),
                     lambda: corpus.list_stories(limit=-1), lambda: corpus.list_stories(min_size=0),
                     lambda: corpus.entities(limit=-2), lambda: corpus.search("مكتبة", limit=-1),
                     lambda: corpus.quarantine(limit=-1), lambda: corpus.copy_groups(limit=-1),
                     lambda: corpus.articles(limit=1.5)):
            with pytest.raises(InputError, match="must be"):
                call()


def test_each_storys_totals_equal_its_members_after_batches_and_a_reingest(tmp_path: Path) -> None:
    """The stories table carries a story's size, first/last time and outlets on from batch to
    batch; they must be what its members in story_articles say."""
    import gzip

    from conftest import shared_path

    from khabar import Corpus

    src = shared_path("data", "ant", "ant_multisource_v2.1.jsonl.gz")
    rows = []
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("time", "").startswith(("Sun, 11 Mar 2018", "Mon, 12 Mar 2018")):
                rows.append({"docno": d["docno"], "title": d.get("title"), "text": d.get("text"),
                             "time": d.get("time"), "source": d["path"].split("/")[0]})
    half = len(rows) // 2
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for path, part in ((first, rows[:half]), (second, rows[half - 20:])):  # 20 again: ignored
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
    db = tmp_path / "s.db"
    with Corpus(db) as corpus:
        corpus.ingest(first, workers=1, batch_size=40)
        corpus.ingest(second, workers=1, batch_size=40)
        corpus.ingest(first, workers=1, batch_size=40)
    conn = sqlite3.connect(db)
    stories = conn.execute("SELECT id, size, first_ts, last_ts, n_outlets, outlets FROM stories").fetchall()
    assert len(stories) > 50 and any(r[1] > 3 for r in stories)
    for sid, size, first_ts, last_ts, n_outlets, outlets in stories:
        agg = conn.execute("SELECT COUNT(*), MIN(published_ts), MAX(published_ts) FROM story_articles"
                           " WHERE story_id=?", (sid,)).fetchone()
        by_first = [r[0] for r in conn.execute(
            "SELECT outlet FROM story_articles WHERE story_id=? AND outlet != ''"
            " GROUP BY outlet ORDER BY MIN(seq)", (sid,))]
        assert (size, first_ts, last_ts) == agg, sid
        assert json.loads(outlets) == by_first and n_outlets == len(by_first), sid


_DECIMALS = [
    ("موازنة البلدية", "خصصت البلدية ١٢٫٥ مليون دينار لصيانة شبكة الطرق هذا العام."),
    ("مدارس جديدة", "افتتحت الوزارة ١٢ مدرسة في القرى الشمالية بكلفة 3.75 مليون دينار."),
]


def test_a_decimal_is_one_search_word(tmp_path: Path) -> None:
    """audit30: ١٢ also found ١٢٫٥ مليون (the index's tokenizer cut the decimal in two)."""
    store = Store(tmp_path / "s.db")
    store.add_batch([khabar.process(text, title=title, outlet="منبر") for title, text in _DECIMALS])

    def titles(q: str) -> list[str]:
        return sorted(hit.title for hit in store.search(q))

    assert titles("١٢") == ["مدارس جديدة"]
    assert titles("١٢٫٥") == titles("12.5") == titles("١٢٫٥ مليون") == ["موازنة البلدية"]
    assert titles("3.75") == titles("٣٫٧٥") == ["مدارس جديدة"]
    assert titles("3") == titles("75") == titles("5") == []
    assert titles("مليون") == ["مدارس جديدة", "موازنة البلدية"]


def test_a_store_indexed_before_decimal_words_is_indexed_again_when_opened(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    store = Store(db)
    store.add_batch([khabar.process(text, title=title, outlet="منبر") for title, text in _DECIMALS])
    # as migration 17 left it: the index's old tokenizer, which splits 12.5 into 12 and 5
    store.conn.execute("DROP TABLE articles_fts")
    store.conn.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='',"
                       " tokenize='unicode61 remove_diacritics 0')")
    from khabar.text import match_keys

    for seq, title, body in store.conn.execute("SELECT seq, title, body FROM articles").fetchall():
        store.conn.execute("INSERT INTO articles_fts(rowid, title, body) VALUES (?,?,?)",
                           (seq, " ".join(match_keys(title)), " ".join(match_keys(body))))
    store.conn.execute("PRAGMA user_version=17")
    assert len(store.search("١٢")) == 2  # the old index's answer
    store.close()
    with Store(db) as again:
        assert again.schema_version >= 18
        assert [hit.title for hit in again.search("١٢")] == ["مدارس جديدة"]
        assert [hit.title for hit in again.search("12.5")] == ["موازنة البلدية"]
        assert len(again.search("مليون")) == 2
        assert again.integrity_check() == "ok"
