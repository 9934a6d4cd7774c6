"""A story's title: its first article's title, or for an untitled one its lead, everywhere a
story is named (the store, the CLI, the JSON API, the reader) and the same after a re-ingest."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import khabar
from khabar.cli import cli
from khabar.text import lead_title

# three reports of one made-up event: two without a title, one with
LEAD = ("افتتحت وزارة المياه الأردنية، صباح الأحد، محطة جديدة لتحلية المياه في مدينة الزرقاء بطاقة "
        "تبلغ 40 ألف متر مكعب يومياً، لتخدم نحو 300 ألف نسمة في المدينة والقرى المحيطة بها.")
FIRST = ("الزرقاء - " + LEAD + " وقال وزير المياه خلال حفل الافتتاح إن المحطة كلفت 85 مليون دينار"
         " وستخفف من أزمة المياه في فصل الصيف. وأضاف أن الوزارة تخطط لبناء محطتين أخريين في"
         " محافظتي المفرق ومعان خلال العامين المقبلين.")
SECOND = ("افتتح وزير المياه الأردني الأحد محطة تحلية المياه الجديدة في الزرقاء بطاقة 40 ألف متر مكعب"
          " يومياً وبكلفة 85 مليون دينار، وهي تخدم 300 ألف نسمة في الزرقاء والقرى المحيطة. وأكد"
          " الوزير أن المحطة ستخفف من أزمة المياه في الصيف، وأن الوزارة تخطط لمحطتين في المفرق ومعان.")
THIRD = ("أعلنت وزارة المياه افتتاح محطة تحلية في مدينة الزرقاء بطاقة 40 ألف متر مكعب يومياً بكلفة 85"
         " مليون دينار لخدمة 300 ألف نسمة، على أن تتبعها محطتان في المفرق ومعان خلال العامين المقبلين.")
TITLE = "محطة تحلية جديدة في الزرقاء بكلفة 85 مليون دينار"
# the lead without its dateline, cut at the last word boundary within 80 characters
NAMED = "افتتحت وزارة المياه الأردنية، صباح الأحد، محطة جديدة لتحلية المياه في مدينة …"


def _rows(*, titled: bool) -> list[dict[str, str]]:
    rows = [{"id": "a", "outlet": "صحيفة الضفة", "published": "2026-05-03T09:00:00+03:00", "text": FIRST},
            {"id": "b", "outlet": "موقع الوادي", "published": "2026-05-03T11:00:00+03:00", "text": SECOND}]
    if titled:
        rows.append({"id": "c", "outlet": "جريدة السهل", "published": "2026-05-03T12:00:00+03:00",
                     "title": TITLE, "text": THIRD})
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def test_lead_title_is_the_first_sentence_cut_at_a_word_boundary() -> None:
    assert lead_title(FIRST, dateline="الزرقاء -") == NAMED and len(NAMED) <= 80
    assert lead_title("قال الوزير إن الطريق سيفتح غداً. وأضاف أن العمل مستمر.") == "قال الوزير إن الطريق سيفتح غداً"
    assert lead_title("هل تعود الأمطار هذا الأسبوع؟ يتوقع الراصد ذلك.") == "هل تعود الأمطار هذا الأسبوع؟"
    assert lead_title("القاهرة -\nأعلنت الوزارة فتح باب التسجيل.") == "أعلنت الوزارة فتح باب التسجيل"
    long_word = "ب" * 120
    assert lead_title(long_word) == "ب" * 78 + " …"  # no boundary to cut at: cut, and say so
    assert lead_title("") == lead_title(" ... ") == ""


def test_a_story_an_untitled_article_opens_is_named_by_its_lead(tmp_path: Path) -> None:
    # audit29 left it: the story's stored title was "" (the JSON, `khabar stories`, the API)
    db = tmp_path / "k.db"
    source = _write(tmp_path / "in.jsonl", _rows(titled=False))
    assert run(db, "ingest", str(source)).exit_code == 0
    (story,) = [json.loads(line) for line in run(db, "stories", "--json").output.splitlines()]
    assert story["title"] == NAMED and story["size"] == 2
    full = json.loads(run(db, "story", story["id"], "--json").output)
    assert full["title"] == full["headline"] == NAMED
    (line,) = run(db, "stories").output.splitlines()
    assert line.endswith(NAMED[:59] + "…") and "(no title)" not in line
    with khabar.Corpus(db) as corpus:
        assert [s["title"] for s in corpus.list_stories()] == [NAMED]
        assert corpus.stories.story_model(story["id"]).title == NAMED
        before = corpus.list_stories(limit=None)
    assert run(db, "ingest", str(source)).exit_code == 0  # nothing new, nothing renamed
    with khabar.Corpus(db) as corpus:
        assert corpus.list_stories(limit=None) == before


def test_the_first_titled_article_names_a_story_its_untitled_first_article_opened(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    untitled = _write(tmp_path / "a.jsonl", _rows(titled=False))
    later = _write(tmp_path / "b.jsonl", _rows(titled=True)[2:])
    assert run(db, "ingest", str(untitled)).exit_code == 0
    assert run(db, "ingest", str(later)).exit_code == 0
    (story,) = [json.loads(line) for line in run(db, "stories", "--json").output.splitlines()]
    assert (story["title"], story["size"]) == (TITLE, 3)
    # the same in one run, and after ingesting everything again
    one = tmp_path / "one.db"
    everything = _write(tmp_path / "all.jsonl", _rows(titled=True))
    assert run(one, "ingest", str(everything)).exit_code == 0
    assert run(one, "ingest", str(untitled), str(everything)).exit_code == 0
    (again,) = [json.loads(line) for line in run(one, "stories", "--json").output.splitlines()]
    assert again["title"] == TITLE


def test_a_titled_first_article_keeps_its_title_when_more_titled_ones_join(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    rows = _rows(titled=True)
    rows[0]["title"] = "وزارة المياه تفتتح محطة تحلية في الزرقاء"
    assert run(db, "ingest", str(_write(tmp_path / "in.jsonl", rows))).exit_code == 0
    (story,) = [json.loads(line) for line in run(db, "stories", "--json").output.splitlines()]
    assert story["title"] == rows[0]["title"]


def test_a_database_made_before_lead_titles_gets_them_when_opened(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    assert run(db, "ingest", str(_write(tmp_path / "in.jsonl", _rows(titled=False)))).exit_code == 0
    with sqlite3.connect(db) as conn:  # as the last version stored it
        conn.execute("UPDATE stories SET title=''")
        conn.execute("PRAGMA user_version=16")
    conn.close()
    with khabar.Corpus(db) as corpus:
        assert corpus.store.schema_version >= 17
        assert [s["title"] for s in corpus.list_stories()] == [NAMED]


def test_the_api_and_the_reader_name_the_story_by_its_lead(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'khabar[web]')")
    pytest.importorskip("httpx", reason="httpx is needed for the in-process client")
    from fastapi.testclient import TestClient
    from markupsafe import escape

    from khabar.web import create_app

    db = tmp_path / "k.db"
    assert run(db, "ingest", str(_write(tmp_path / "in.jsonl", _rows(titled=False)))).exit_code == 0
    app = TestClient(create_app(db))
    (story,) = app.get("/api/stories").json()["stories"]
    assert story["title"] == NAMED
    assert app.get(f"/api/stories/{story['id']}").json()["title"] == NAMED
    assert str(escape(NAMED)) in app.get("/").text
    assert str(escape(NAMED)) in app.get(f"/stories/{story['id']}").text
