"""Stories through `Corpus` and the CLI on a real SQLite file: assigned at ingest, stable, listed."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar.cli import cli, demo_corpus_path
from khabar.corpus import Corpus

GOLD = json.loads((demo_corpus_path().parent / "gold.json").read_text(encoding="utf-8"))


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def external_ids(corpus: Corpus) -> dict[str, str]:
    """article id → the demo record's own id (demo-NNN)."""
    rows = corpus.store.conn.execute("SELECT article_id, external_id FROM records").fetchall()
    return {r[0]: r[1] for r in rows}


# The one demo story the clusterer used to split: three reports of the Sfax floods that share
# almost no words (سيول / فيضانات / أمطار, `بصفاقس` / `صفاقس`, `3` / `ثلاثة`; text scores
# 0.11-0.14 against a threshold of 0.15). A shared-name bonus used to join them, by 0.001, at a
# cost of 0.05 pairwise F1 on the real ANT gold through the full pipeline (it merges sagas); it
# is off. Since the title predicate bonus (December 2026) they join in an ingest: `مصرع 3 أشخاص`
# and `ثلاثة قتلى` report one kind of action (kill) in the same city within half a day.
SPLIT_DEMO_STORIES = {"Deadly floods in Sfax, Tunisia (night of 15-16 March)"}


def _demo_stories(db_path: Path) -> dict[str, str | None]:
    with Corpus(db_path) as corpus:
        corpus.ingest([demo_corpus_path()])
        ext = external_ids(corpus)
        return {ext[a.id]: corpus.story_of(a.id) for a in corpus.articles(limit=None)}


def test_ingest_assigns_every_article_a_story_and_the_gold_stories_hold(db_path: Path) -> None:
    story = _demo_stories(db_path)
    assert len(story) == 46 and all(story.values())
    for gold in GOLD["stories"].values():
        if gold["label"] in SPLIT_DEMO_STORIES:
            continue
        members = gold["articles"]
        assert len({story[m] for m in members}) == 1, gold["label"]
    a, b = GOLD["exact_reprints"][0]
    assert story[a] == story[b]


def test_the_once_split_demo_stories_hold(db_path: Path) -> None:
    story = _demo_stories(db_path)
    for gold in GOLD["stories"].values():
        if gold["label"] in SPLIT_DEMO_STORIES:
            assert len({story[m] for m in gold["articles"]}) == 1, gold["label"]


def test_reingest_and_reopen_change_no_story(db_path: Path) -> None:
    with Corpus(db_path) as corpus:
        corpus.ingest([demo_corpus_path()])
        before = corpus.list_stories(limit=None)
    with Corpus(db_path) as corpus:
        report = corpus.ingest([demo_corpus_path()])
        assert report.new == 0
        assert corpus.list_stories(limit=None) == before


def test_split_ingest_joins_stories_begun_in_an_earlier_run(db_path: Path, tmp_path: Path) -> None:
    lines = demo_corpus_path().read_text(encoding="utf-8").splitlines()
    (tmp_path / "first.jsonl").write_text("\n".join(lines[:23]) + "\n", encoding="utf-8")
    (tmp_path / "second.jsonl").write_text("\n".join(lines[23:]) + "\n", encoding="utf-8")
    whole = tmp_path / "whole.db"
    with Corpus(whole) as corpus:
        corpus.ingest([demo_corpus_path()])
        sizes_whole = sorted(s["size"] for s in corpus.list_stories(limit=None))
    with Corpus(db_path) as corpus:
        corpus.ingest([tmp_path / "first.jsonl"])
    with Corpus(db_path) as corpus:
        corpus.ingest([tmp_path / "second.jsonl"])
        sizes_split = sorted(s["size"] for s in corpus.list_stories(limit=None))
    assert sizes_split == sizes_whole


def test_database_made_before_stories_is_backfilled(db_path: Path) -> None:
    with Corpus(db_path) as corpus:
        corpus.ingest([demo_corpus_path()])
        corpus.store.conn.execute("DELETE FROM story_articles")
        corpus.store.conn.execute("DELETE FROM stories")
    with Corpus(db_path) as corpus:
        stories = corpus.list_stories(limit=None)
    assert sum(s["size"] for s in stories) == 46


def test_stories_and_story_commands(db_path: Path) -> None:
    assert run(db_path, "demo", "--limit", "0").exit_code == 0
    rows = json_lines(run(db_path, "stories", "--json", "--limit", "100").output)
    assert sum(r["size"] for r in rows) == 46
    assert [r["size"] for r in rows] == sorted((r["size"] for r in rows), reverse=True)
    by_outlets = json_lines(run(db_path, "stories", "--sort", "outlets", "--json").output)
    assert by_outlets[0]["n_outlets"] == max(r["n_outlets"] for r in rows)
    recent = json_lines(run(db_path, "stories", "--sort", "recency", "--json").output)
    assert recent[0]["last_seen"] == max(r["last_seen"] for r in rows if r["last_seen"])
    big = rows[0]
    shown = json.loads(run(db_path, "story", big["id"], "--json").output)
    assert len(shown["articles"]) == big["size"]
    text = run(db_path, "story", big["id"]).output
    assert big["title"] in text
    assert run(db_path, "story", big["id"][:8], "--json").output == run(db_path, "story", big["id"], "--json").output
    missing = CliRunner().invoke(cli, ["--db", str(db_path), "story", "nope"])
    assert missing.exit_code == 3 and "no story" in missing.output


def test_cluster_command_groups_without_storing(tmp_path: Path) -> None:
    db = tmp_path / "untouched.db"
    result = run(db, "cluster", str(demo_corpus_path()), "--json")
    assert result.exit_code == 0, result.output
    rows = json_lines(result.output)
    assert len(rows) == 46
    assert not db.exists()
    story_of = {r["article_id"]: r["story"] for r in rows}
    assert [r["id"] for r in rows] == [f"demo-{n:03d}" for n in range(1, 47)]  # the input's ids, in its order
    assert [r["origin"].rsplit(":", 1)[1] for r in rows] == [str(n) for n in range(1, 47)]  # and lines
    with Corpus(tmp_path / "stored.db") as corpus:
        corpus.ingest([demo_corpus_path()])
        stored = {a.id: corpus.story_of(a.id) for a in corpus.articles(limit=None)}
    assert set(story_of) == set(stored)
    for a, b in combinations(sorted(story_of), 2):
        assert (story_of[a] == story_of[b]) == (stored[a] == stored[b]), (a, b)
    text = run(db, "cluster", str(demo_corpus_path())).output
    assert text.startswith(f"46 articles, {len(set(story_of.values()))} stories")


def test_cluster_with_an_outlet_gives_the_ids_ingest_gives(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"title": "خبر", "text": "افتتحت البلدية مكتبة عامة في الحي القديم بعد ترميم طويل."},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    clustered = CliRunner().invoke(cli, ["cluster", str(src), "--outlet", "صحيفة س", "--json"]).output
    db = tmp_path / "k.db"
    CliRunner().invoke(cli, ["--db", str(db), "ingest", str(src), "--outlet", "صحيفة س"])
    stored = CliRunner().invoke(cli, ["--db", str(db), "articles", "--json"]).output
    assert json.loads(clustered)["article_id"] == json.loads(stored)["id"]


def test_the_text_story_shows_at_most_three_quotes_a_speaker() -> None:
    from khabar.stories.render import to_text

    quotes = [{"speaker": "سامر يوسف", "verb": "قال", "text": f"الجملة رقم {i}", "direct": True,
               "outlets": ["أ"], "sources": [{"article_id": "a1"}]} for i in range(8)]
    quotes.append({"speaker": "منى علي", "verb": "قالت", "text": "جملة أخرى", "direct": True,
                   "outlets": ["ب"], "sources": [{"article_id": "a1"}]})
    text = to_text({"id": "s1", "headline": "خبر", "articles": [{"id": "a1", "outlet": "أ"}], "quotes": quotes,
                    "size": 1, "n_outlets": 1})
    assert text.count("سامر يوسف (قال)") == 3 and "منى علي" in text
    assert "(+5 more quotes" in text


def test_a_story_of_articles_with_no_outlet_or_date_says_so(tmp_path: Path) -> None:
    """Articles read from plain text files have no outlet and no date: the story's sources, facts
    and quotes say so instead of leaving blanks (`[2]  ·  · …`, `—  [2]`)."""
    text = ("ارتفاع التضخم في الربع الأول\n"
            "قال محافظ البنك المركزي سامي العلي إن نسبة التضخم بلغت 3.5 بالمئة خلال الربع الأول من العام، "
            "مقارنة بنسبة 2.1 بالمئة في الربع نفسه من العام الماضي.\n")
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text.replace("الماضي.", "الماضي، بحسب بيان البنك."), encoding="utf-8")
    db = tmp_path / "k.db"
    with Corpus(db) as corpus:
        corpus.ingest(folder)
        (story,) = corpus.list_stories()
    for args in (["story", story["id"]], ["story", story["id"], "--markdown"]):
        out = run(db, *args).output
        assert "(no outlet) · undated · ارتفاع التضخم في الربع الأول" in out, out
        assert "no named outlet [" in out and "— (no outlet) [" in out, out
        assert " ·  · " not in out and "—  [" not in out and ":  [" not in out, out
    html = run(db, "report", "--story", story["id"], "--format", "html").output
    assert "مصدر غير مسمّى · بلا تاريخ · ارتفاع التضخم" in html and "— مصدر غير مسمّى <a" in html, html


# Articles of other outlets, weeks before the demo's first (8 March 2026): a store's history.
HISTORY = [
    ("نشرة الوادي", "2026-02-10T09:00:00+03:00", "افتتاح جسر جديد فوق نهر العاصي في مدينة حماة",
     ("افتتح محافظ حماة صباح السبت جسرا جديدا فوق نهر العاصي يربط الأحياء الشرقية بوسط المدينة بعد "
      "عامين من العمل، وقال المهندس المشرف إن الجسر يخفف الازدحام عن الطرق القديمة في المدينة.")),
    ("إذاعة الجبل", "2026-02-10T13:00:00+03:00", "حماة تفتتح جسر العاصي بعد عامين من الأشغال",
     ("شهدت مدينة حماة افتتاح الجسر الجديد فوق نهر العاصي، وأوضح المحافظ أن المشروع يربط الأحياء "
      "الشرقية بالوسط ويخفف الازدحام في الطرق القديمة، وحضر الافتتاح وزير النقل ومسؤولون محليون.")),
    ("نشرة الوادي", "2026-02-11T10:00:00+03:00", "مهرجان للكتاب في اللاذقية يستقبل مئة دار نشر",
     ("انطلقت في اللاذقية فعاليات مهرجان الكتاب السنوي بمشاركة مئة دار نشر عربية، ويستمر المهرجان "
      "عشرة أيام مع ندوات وأمسيات شعرية في المركز الثقافي، وتخصص إدارته جناحا لكتب الأطفال.")),
    ("إذاعة الجبل", "2026-02-12T18:00:00+03:00", "أمطار غزيرة وسيول في ريف حلب",
     ("هطلت أمطار غزيرة على ريف حلب الشمالي وتسببت في سيول جرفت عددا من الخيام، وقال الدفاع المدني "
      "إن فرقه أخلت عشرات العائلات إلى مراكز إيواء مؤقتة ووزعت عليها الأغطية والطعام.")),
]


def _dated_demo(tmp_path: Path) -> Path:
    """The demo corpus without its undated articles (an undated article is counted at the
    stream's clock, which a store with history has and an empty one has not)."""
    with Corpus(tmp_path / "dates.db") as corpus:
        corpus.ingest([demo_corpus_path()])
        undated = {r[0] for r in corpus.store.conn.execute(
            "SELECT r.external_id FROM records r JOIN articles a ON a.id = r.article_id"
            " WHERE a.published IS NULL")}
    lines = [line for line in demo_corpus_path().read_text(encoding="utf-8").splitlines()
             if json.loads(line)["id"] not in undated]
    path = tmp_path / "dated.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _after(db: Path, history: Path | None, corpus_path: Path) -> tuple[list[dict], set]:
    """The stories of `corpus_path` (summaries) and their saved clustering state and member
    scores, ingested into a store that already holds `history`, or into an empty one."""
    with Corpus(db) as corpus:
        if history is not None:
            corpus.ingest([history])
        before = {s["id"] for s in corpus.list_stories(limit=None)}
        corpus.ingest([corpus_path])
        stories = [s for s in corpus.list_stories(limit=None) if s["id"] not in before]
        ids = {s["id"] for s in stories}
        rows = corpus.store.conn.execute(
            "SELECT s.id, s.state, sa.article_id, sa.score FROM stories s"
            " JOIN story_articles sa ON sa.story_id = s.id").fetchall()
        return stories, {tuple(r) for r in rows if r[0] in ids}


@pytest.mark.xfail(strict=True, reason="the idf counts hold a store's whole history (issue #6): "
                   "an 18-hour window made this pass but cost the held-out ANT day 0.10 "
                   "(docs/performance.md, the idf over a window)")
def test_an_ingest_into_a_store_with_history_clusters_as_into_an_empty_one(tmp_path: Path) -> None:
    """Weeks of history would change no story, no score and no saved vector of a later ingest
    if the idf counts forgot them; they do not, so the scores and vectors move."""
    history = tmp_path / "history.jsonl"
    history.write_text("".join(json.dumps({"outlet": o, "published": p, "title": t, "text": f"{t}\n{b}"},
                                          ensure_ascii=False) + "\n" for o, p, t, b in HISTORY),
                       encoding="utf-8")
    demo = _dated_demo(tmp_path)
    warm = _after(tmp_path / "warm.db", history, demo)
    cold = _after(tmp_path / "cold.db", None, demo)
    assert len(warm[0]) == len(cold[0]) > 20
    assert warm == cold
