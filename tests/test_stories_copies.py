"""The direct copy relation beside the copy groups: recorded at ingest, kept in the store, given
by `Corpus` and by `khabar cluster --json` (khabar.stories.dedup.DedupIndex.copies_of)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from khabar.cli import cli
from khabar.corpus import Corpus

# Sentences written for this test: a council's report, a league's results, and a paper's page
# that prints the report and then the results (it copies both, they copy nothing of each other)
_PLACES = ("في المدينة القديمة", "قرب الميناء", "على الطريق الساحلي", "في الحي الشرقي",
           "عند مدخل السوق")
_ITEMS = ("الحدائق العامة", "شبكة المياه", "الأرصفة", "إنارة الشوارع", "المدارس الابتدائية",
          "مواقف السيارات", "المكتبة البلدية")
_TEAMS = ("نادي الساحل", "فريق الجبل", "نادي الواحة", "فريق النخيل", "نادي المرفأ", "فريق الرمال")
_SCORERS = ("سامر", "وليد", "هشام", "كريم", "ماجد", "نبيل", "طارق")

REPORT = " ".join(f"قال رئيس المجلس البلدي إن أعمال صيانة {_ITEMS[i % 7]} {_PLACES[i % 5]} "
                  f"ستبدأ في الأسبوع {['الأول', 'الثاني', 'الثالث'][i % 3]} من الشهر المقبل بكلفة {_SCORERS[i % 7]} معلنة."
                  for i in range(7))
RESULTS = " ".join(f"تغلب {_TEAMS[i % 6]} على {_TEAMS[(i + 2) % 6]} بهدف سجله اللاعب {_SCORERS[i % 7]} "
                   f"في الدقيقة {['الأخيرة', 'الأولى', 'العاشرة', 'الثلاثين'][i % 4]} من المباراة {_PLACES[i % 5]}."
                   for i in range(7))
PAGE = REPORT + " " + RESULTS
OTHER = ("افتتحت وزارة الزراعة معرضا للتمور يستمر أسبوعا ويشارك فيه مزارعون من مختلف المناطق، "
         "وتعرض فيه أصناف نادرة من النخيل وأدوات الري الحديثة، كما تقام على هامشه ندوات عن "
         "تسويق المحاصيل وحماية البساتين من الآفات الزراعية وترشيد استهلاك المياه في المزارع.")


def _write(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for rid, outlet, day, text in rows:
            fh.write(json.dumps({"id": rid, "outlet": outlet, "published": day, "title": "",
                                 "text": text}, ensure_ascii=False) + "\n")
    return path


ROWS = [("r", "صحيفة أ", "2026-03-01T08:00:00+03:00", REPORT),
        ("s", "صحيفة ب", "2026-03-01T09:00:00+03:00", RESULTS),
        ("o", "صحيفة ج", "2026-03-01T09:30:00+03:00", OTHER),
        ("p", "صحيفة د", "2026-03-01T10:00:00+03:00", PAGE)]


def _ids(rows: list[dict]) -> dict[str, str]:
    return {r["id"]: r["article_id"] for r in rows}


def test_cluster_json_gives_each_article_the_earlier_articles_it_copies(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", ROWS)
    result = CliRunner().invoke(cli, ["cluster", str(src), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    ids = _ids(rows)
    by_id = {r["id"]: r for r in rows}
    # the page is in one copy group (a partition) and copies both texts (a relation)
    assert by_id["p"]["copy_group"] in {ids["r"], ids["s"]}
    assert sorted(by_id["p"]["copies"]) == sorted([ids["r"], ids["s"]])
    assert by_id["r"]["copies"] == by_id["s"]["copies"] == by_id["o"]["copies"] == []


def test_the_store_keeps_the_copies_and_reingesting_changes_nothing(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", ROWS)
    db = tmp_path / "k.db"
    with Corpus(db) as corpus:
        corpus.ingest([src])
        ids = {r[1]: r[0] for r in corpus.store.conn.execute(
            "SELECT article_id, external_id FROM records")}
        copies = corpus.copies_of(ids["p"])
        assert sorted(c["id"] for c in copies) == sorted([ids["r"], ids["s"]])
        for c in copies:  # each text is all inside the page, which is twice as long
            assert c["containment"] == 1.0 and 0.3 < c["jaccard"] < 0.7
        assert [c["id"] for c in corpus.copied_by(ids["r"])] == [ids["p"]]
        assert corpus.copies_of(ids["o"]) == corpus.copies_of(ids["r"]) == []
        story = corpus.story(corpus.story_of(ids["p"]), synthesis=False)
        member = next(a for a in story["articles"] if a["id"] == ids["p"])
        assert sorted(member["copies"]) == sorted([ids["r"], ids["s"]])
        table = corpus.store.conn.execute("SELECT * FROM article_copies ORDER BY 1, 2").fetchall()
        assert len(table) == 2
    # re-ingesting, in another run, changes nothing
    with Corpus(db) as corpus:
        assert corpus.ingest([src]).new == 0
        assert corpus.store.conn.execute(
            "SELECT * FROM article_copies ORDER BY 1, 2").fetchall() == table


def test_a_later_run_records_copies_of_articles_stored_by_an_earlier_one(tmp_path: Path) -> None:
    """The index is restored from the store (signatures, no shingle sets: the bodies are read
    again) and the page, ingested alone later, records both texts, as in one run."""
    db = tmp_path / "k.db"
    with Corpus(db) as corpus:
        corpus.ingest([_write(tmp_path / "first.jsonl", ROWS[:3])])
    with Corpus(db) as corpus:
        corpus.ingest([_write(tmp_path / "second.jsonl", ROWS[3:])])
        ids = {r[1]: r[0] for r in corpus.store.conn.execute(
            "SELECT article_id, external_id FROM records")}
        assert sorted(c["id"] for c in corpus.copies_of(ids["p"])) == sorted([ids["r"], ids["s"]])


def test_a_store_made_before_the_copy_relation_is_migrated_and_read(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", ROWS)
    db = tmp_path / "k.db"
    with Corpus(db) as corpus:
        corpus.ingest([src])
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TABLE article_copies")
    conn.execute("PRAGMA user_version=15")
    conn.close()
    with Corpus(db) as corpus:  # migration 16 makes the table; the articles stored have no rows
        ids = {r[1]: r[0] for r in corpus.store.conn.execute(
            "SELECT article_id, external_id FROM records")}
        assert corpus.store.schema_version >= 16
        assert corpus.copies_of(ids["p"]) == []
        # a new article is recorded as before
        corpus.ingest([_write(tmp_path / "more.jsonl", [
            ("p2", "صحيفة هـ", "2026-03-01T11:00:00+03:00", "الرياض - " + PAGE)])])
        ids = {r[1]: r[0] for r in corpus.store.conn.execute(
            "SELECT article_id, external_id FROM records")}
        assert {c["id"] for c in corpus.copies_of(ids["p2"])} == {ids["p"], ids["r"], ids["s"]}
