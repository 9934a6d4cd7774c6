"""An article's day is the calendar day in its own published offset, everywhere: `stories`,
`report --day`, `story`, the HTTP API and the reader. Times shown keep their offset."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar.cli import cli
from khabar.times import minute


def _record(published: str) -> str:
    return json.dumps({
        "title": "افتتاح مكتبة عامة في الحي القديم",
        "text": "الموصل - افتتحت البلدية مكتبة عامة في الحي القديم مساء أمس بعد ترميم مبنى"
                " الخان التاريخي، وتضم المكتبة أكثر من ثلاثة آلاف كتاب للأطفال والكبار.",
        "outlet": "جريدة نينوى", "published": published}, ensure_ascii=False)


def run(db: Path, *args: str, input: str | None = None):
    result = CliRunner().invoke(cli, ["--db", str(db), *args], input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _one_story(db: Path, published: str) -> dict:
    run(db, "ingest", "-", input=_record(published) + "\n")
    rows = [json.loads(line) for line in run(db, "stories", "--json").output.splitlines()]
    assert len(rows) == 1
    return rows[0]


def _report_count(db: Path, day: str) -> int:
    said = run(db, "report", "--day", day).output.splitlines()[0].split("·")[2].strip()
    words = {"لا قصص": 0, "قصة واحدة": 1, "قصتان": 2}
    return words[said] if said in words else int(said.split()[0])


def test_minute_keeps_the_offset() -> None:
    assert minute("2026-04-15T01:00:00+03:00") == "2026-04-15T01:00+03:00"
    assert minute("2026-04-14T22:00:00+00:00") == "2026-04-14T22:00+00:00"
    assert minute("2026-04-15T01:00:00") == "2026-04-15T01:00"  # naive: no zone to show
    assert minute("2026-04-15T00:00:00") == "2026-04-15"  # a date without a time: no invented 00:00
    assert minute("2026-04-15T00:00:00+03:00") == "2026-04-15T00:00+03:00"  # a stated midnight
    assert minute(None) == "" and minute("not a date at all") == "not a date at al"


def test_an_article_after_midnight_east_of_utc_is_on_its_own_day(db_path: Path) -> None:
    # 01:00+03:00 on the 15th is 22:00 UTC on the 14th: the outlet printed the 15th
    row = _one_story(db_path, "2026-04-15T01:00:00+03:00")
    assert row["first_day"] == row["last_day"] == "2026-04-15"
    assert row["first_seen"] == "2026-04-15T01:00:00+03:00"
    assert "2026-04-15 " in run(db_path, "stories").output
    assert "2026-04-15T01:00+03:00" in run(db_path, "articles").output
    assert _report_count(db_path, "2026-04-15") == 1 and _report_count(db_path, "2026-04-14") == 0
    data = json.loads(run(db_path, "story", row["id"], "--json").output)
    assert data["first_day"] == "2026-04-15"
    assert [a["published"] for a in data["articles"]] == ["2026-04-15T01:00:00+03:00"]
    text = run(db_path, "story", row["id"]).output
    assert "· 2026-04-15T01:00+03:00 ·" in text and "2026-04-14T" not in text
    assert "2026-04-14: " in text  # the timeline's "أمس" is the day before the outlet's 15th
    assert "2026-04-15T01:00+03:00" in run(db_path, "story", row["id"], "--markdown").output


def test_an_article_before_midnight_west_of_utc_is_on_its_own_day(db_path: Path) -> None:
    # 22:00-05:00 on the 14th is 03:00 UTC on the 15th
    row = _one_story(db_path, "2026-04-14T22:00:00-05:00")
    assert row["first_day"] == "2026-04-14"
    assert _report_count(db_path, "2026-04-14") == 1 and _report_count(db_path, "2026-04-15") == 0


@pytest.mark.parametrize("published", ["2026-04-15T23:30:00", "2026-04-15T23:30:00+00:00"])
def test_naive_and_utc_articles_keep_their_day(db_path: Path, published: str) -> None:
    row = _one_story(db_path, published)
    assert row["first_day"] == "2026-04-15" and row["first_seen"] == published
    assert _report_count(db_path, "2026-04-15") == 1 and _report_count(db_path, "2026-04-16") == 0
    text = run(db_path, "story", row["id"]).output
    assert f"· {minute(published)} ·" in text


def test_api_and_reader_use_the_articles_own_day(db_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'khabar[web]')")
    pytest.importorskip("httpx", reason="httpx is needed for the in-process client")
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from khabar.web import create_app

    row = _one_story(db_path, "2026-04-15T01:00:00+03:00")
    client = TestClient(create_app(db_path))
    on = client.get("/api/stories", params={"since": "2026-04-15", "until": "2026-04-15"}).json()
    assert on["total"] == 1 and on["stories"][0]["first_day"] == "2026-04-15"
    for since, until in (("2026-04-14", "2026-04-14"), ("2026-04-16", "2026-04-20")):
        assert client.get("/api/stories", params={"since": since, "until": until}).json()["total"] == 0
    assert client.get("/api/stories", params={"until": "2026-04-14"}).json()["total"] == 0
    assert client.get("/api/stories", params={"since": "2026-04-15"}).json()["total"] == 1
    story = client.get(f"/api/stories/{row['id']}").json()
    assert story["first_seen"] == story["articles"][0]["published"] == "2026-04-15T01:00:00+03:00"
    front = client.get("/index.json").json()
    assert [d["day"] for d in front["stories_per_day"]] == ["2026-04-15"]
    page = client.get(f"/stories/{row['id']}").text
    assert "2026-04-15 01:00+03:00" in page and "2026-04-14T" not in page
    # the coverage chart puts every outlet on one UTC axis, and says so where it shows a time
    assert "2026-04-14 22:00 UTC: 1" in page and "2026-04-14 22:00:" not in page
    assert '<bdi dir="ltr">2026-04-15</bdi>' in client.get("/").text


def test_articles_are_listed_by_the_instant_they_were_published(db_path: Path) -> None:
    from khabar.store import Store

    # as strings these sort the other way round: 01:00+03:00 on the 15th is 22:00 UTC on the 14th
    texts = {
        "2026-04-15T01:00:00+03:00": ("افتتاح جسر المشاة فوق النهر", "افتتحت البلدية جسراً للمشاة فوق النهر بعد عامين من العمل."),
        "2026-04-14T23:30:00+00:00": ("أمطار غزيرة على الساحل الشمالي", "هطلت أمطار غزيرة على مدن الساحل الشمالي طوال الليل."),
        "2026-04-14T12:00:00-04:00": ("معرض للكتاب المستعمل في الميناء", "يفتتح معرض للكتاب المستعمل في مبنى الميناء القديم."),
    }
    lines = [json.dumps({"title": t, "text": body, "outlet": "نشرة المدينة", "published": when},
                        ensure_ascii=False) for when, (t, body) in texts.items()]
    lines.append(json.dumps({"title": "بلا تاريخ", "text": "خبر قصير بلا تاريخ نشر عن سوق الخضار في المدينة."},
                            ensure_ascii=False))
    run(db_path, "ingest", "-", input="\n".join(lines) + "\n")
    with Store(db_path) as store:
        listed = [a.published.isoformat() if a.published else None for a in store.articles()]
        stats = store.stats()
    newest_first = ["2026-04-14T23:30:00+00:00", "2026-04-15T01:00:00+03:00", "2026-04-14T12:00:00-04:00", None]
    assert listed == newest_first
    assert (stats["first_published"], stats["last_published"]) == (newest_first[2], newest_first[0])
    out = run(db_path, "articles").output
    assert out.index("2026-04-14T23:30+00:00") < out.index("2026-04-15T01:00+03:00") < out.index("2026-04-14T12:00-04:00")
