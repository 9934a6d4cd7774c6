"""The web reader and the JSON API driven in process (HTTP client over the real app and a real
SQLite file holding the demo corpus): every route, its .json twin, the error shape, the
security headers, the body limit and the token-guarded ingest."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'khabar[web]')")
pytest.importorskip("httpx", reason="httpx is needed for the in-process client")

from click.testing import CliRunner

# Starlette's test client announces a future switch of HTTP client; nothing to act on here.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient
from markupsafe import escape
from web_hostile import HOSTILE

import khabar
from khabar.cli import cli
from khabar.cli.web import is_loopback
from khabar.web import create_app

TOKEN = "test-token-1234"
MALFORMED = ['"', "NEAR(", "*", "OR OR"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "demo.db"
    from khabar.cli import demo_corpus_path

    with khabar.Corpus(path) as corpus:
        corpus.ingest([demo_corpus_path()])
    return path


@pytest.fixture(scope="module")
def client(demo_db: Path) -> TestClient:
    return TestClient(create_app(demo_db, token=TOKEN))


@pytest.fixture(scope="module")
def biggest(client: TestClient) -> dict:
    return client.get("/api/stories", params={"sort": "size", "limit": 1}).json()["stories"][0]


def _error(response, status: int) -> str:
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert body["error"]["message"]
    return body["error"]["message"]


def _html(response) -> str:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="ar" dir="rtl">' in html
    assert "<script" not in html.lower()  # the reader runs no JavaScript at all
    return html


def test_front_page_sorts_and_twin(client: TestClient) -> None:
    for sort in ("recency", "size", "outlets"):
        html = _html(client.get("/", params={"sort": sort}))
        twin = client.get("/index.json", params={"sort": sort}).json()
        assert twin["sort"] == sort and twin["total"] == 22
        for story in twin["stories"]:
            assert f'href="/stories/{story["id"]}"' in html
    sizes = [s["size"] for s in client.get("/index.json?sort=size").json()["stories"]]
    assert sizes == sorted(sizes, reverse=True)
    outlets = [s["n_outlets"] for s in client.get("/index.json?sort=outlets").json()["stories"]]
    assert outlets == sorted(outlets, reverse=True)


def test_front_page_charts(client: TestClient) -> None:
    html = _html(client.get("/"))
    data = client.get("/index.json").json()
    assert data["stories_per_day"] and data["cited"]["people"] and data["cited"]["places"]
    for chart in ("perday", "bars"):
        assert f'<svg class="chart {chart}" role="img" aria-label=' in html
    top = data["cited"]["people"][0]
    href = f'/entities/{quote(top.get("key") or top["canonical"], safe="")}'
    assert top["canonical"] in html and f'href="{href}"' in html
    assert client.get(href).status_code == 200
    assert data["stories_per_day"][0]["day"] in html  # days are labelled
    assert not data["charts_filtered"] and "للقصص المختارة" not in html


def test_front_page_charts_follow_the_filters(client: TestClient) -> None:
    everything = client.get("/index.json").json()
    outlet = everything["outlets"][-1]["outlet"]  # the outlet with the fewest articles
    only = client.get("/index.json", params={"outlet": outlet}).json()
    assert only["charts_filtered"]
    assert "للقصص المختارة" in _html(client.get("/", params={"outlet": outlet}))
    # the charts count the listed stories' articles: fewer than the corpus's, and never more
    # stories a day than the list holds
    assert sum(d["articles"] for d in only["stories_per_day"]) < sum(
        d["articles"] for d in everything["stories_per_day"])
    assert sum(d["stories"] for d in only["stories_per_day"]) == only["total"]
    top_all = {p["canonical"]: p["n_articles"] for p in everything["cited"]["people"]}
    for person in only["cited"]["people"]:
        assert person["n_articles"] <= top_all.get(person["canonical"], person["n_articles"])
    # a filter nothing matches: empty charts, not the corpus's
    none = client.get("/index.json", params={"q": "كلمةلاتوجدأبدا"}).json()
    assert none["total"] == 0 and none["stories_per_day"] == [] and none["cited"]["people"] == []


def test_front_page_paging_and_filters(client: TestClient) -> None:
    first = client.get("/index.json", params={"per_page": 5}).json()
    second = client.get("/index.json", params={"per_page": 5, "page": 2}).json()
    assert first["pages"] == 5 and len(first["stories"]) == 5
    assert not {s["id"] for s in first["stories"]} & {s["id"] for s in second["stories"]}
    assert 'rel="next"' in _html(client.get("/", params={"per_page": 5}))
    beyond = _html(client.get("/", params={"per_page": 5, "page": 99}))  # past the end: back to the last
    assert '<a rel="prev" href="/?per_page=5&amp;page=5">→ الصفحة الأخيرة</a>' in beyond
    outlet = "جريدة الأطلس بريس"
    rows = client.get("/index.json", params={"outlet": outlet}).json()["stories"]
    assert rows and all(outlet in s["outlets"] for s in rows)
    day = client.get("/index.json", params={"since": "2026-03-17", "until": "2026-03-17"}).json()
    assert day["total"] >= 1 and all(s["last_seen"] >= "2026-03-17" for s in day["stories"])
    words = client.get("/index.json", params={"q": "سيول"}).json()
    assert 0 < words["total"] < 22
    named = client.get("/index.json", params={"entity": "حسين الكعبي"}).json()
    assert named["total"] >= 1


@pytest.mark.parametrize("params", [{"sort": "nope"}, {"page": "0"}, {"since": "yesterday"},
                                    {"since": "2026-03-17", "until": "2026-03-01"}, {"per_page": "5000"}])
def test_front_page_bad_parameters(client: TestClient, params: dict) -> None:
    _error(client.get("/index.json", params=params), 400)
    html = client.get("/", params=params)
    assert html.status_code == 400 and '<html lang="ar" dir="rtl">' in html.text


def test_api_stories(client: TestClient) -> None:
    page = client.get("/api/stories", params={"limit": 10}).json()
    assert page["total"] == 22 and page["next_offset"] == 10 and len(page["stories"]) == 10
    last = client.get("/api/stories", params={"limit": 10, "offset": 20}).json()
    assert last["next_offset"] is None and len(last["stories"]) == 2
    since = client.get("/api/stories", params={"since": "2026-03-16", "until": "2026-03-17"}).json()
    assert since["total"] and all("2026-03-16" <= s["last_seen"][:10] for s in since["stories"])
    outlet = client.get("/api/stories", params={"outlet": "صحيفة الفجر الجديد", "q": "زلزال"}).json()
    assert outlet["total"] == 1
    entity = client.get("/api/stories", params={"entity": "حسين الكعبي"}).json()
    assert entity["total"] >= 1
    _error(client.get("/api/stories", params={"limit": 0}), 400)
    _error(client.get("/api/stories", params={"sort": "size; DROP TABLE stories"}), 400)


def test_days_written_in_eastern_arabic_digits_filter_as_the_same_days(client: TestClient, demo_db: Path) -> None:
    # they were refused: "since must be a date as YYYY-MM-DD, got '٢٠٢٦-٠٣-١٦'"
    ascii_days = client.get("/api/stories", params={"since": "2026-03-16", "until": "2026-03-17"}).json()
    eastern = client.get("/api/stories", params={"since": "٢٠٢٦-٠٣-١٦", "until": "۲۰۲۶-۰۳-۱۷"}).json()
    assert eastern == ascii_days and ascii_days["total"] >= 2
    assert client.get("/index.json", params={"since": "٢٠٢٦-٠٣-١٧"}).json()["total"] >= 1
    report = CliRunner().invoke(cli, ["--db", str(demo_db), "report", "--day", "٢٠٢٦-٠٣-١٧"], catch_exceptions=False)
    assert report.exit_code == 0 and report.output.startswith("# خبر · 2026-03-17 · ")


def test_story_page_api_and_twin(client: TestClient, biggest: dict) -> None:
    sid = biggest["id"]
    api = client.get(f"/api/stories/{sid}").json()
    twin = client.get(f"/stories/{sid}.json").json()
    assert api == twin and api["id"] == sid and len(api["articles"]) == biggest["size"]
    html = _html(client.get(f"/stories/{sid}"))
    assert api["headline"] in html or api["title"] in html
    for article in api["articles"]:
        assert f'href="/articles/{article["id"]}"' in html
    assert '<svg class="chart coverage"' in html
    for outlet in api["outlets"]:
        assert outlet in html
    assert api["facts"] and '<svg class="chart facts"' in html
    assert 'class="badge corroborated"' in html
    assert api["quotes"] and 'id="quotes"' in html
    assert 'id="outlets"' in html and html.count('class="column"') == len(api["by_outlet"])


def test_a_storys_page_heads_with_the_title_its_list_shows(client: TestClient, demo_db: Path) -> None:
    # the page's headline was the member title closest to the centroid, the list the story's
    # stored title (its first titled member): a reader clicking a title landed on another one
    from html import unescape

    rows = client.get("/api/stories", params={"limit": 100}).json()["stories"]
    listed = CliRunner().invoke(cli, ["--db", str(demo_db), "stories", "--json", "--limit", "100"],
                                catch_exceptions=False)
    cli_titles = {s["id"]: s["title"] for s in map(json.loads, listed.output.splitlines())}
    leads = 0
    for row in rows:
        api = client.get(f"/api/stories/{row['id']}").json()
        assert api["headline"] == " ".join(row["title"].split()) == " ".join(cli_titles[row["id"]].split())
        html = _html(client.get(f"/stories/{row['id']}"))
        h1 = html.split('<h1 class="headline">', 1)[1].split("</h1>", 1)[0]
        assert unescape(re.sub(r"<[^>]+>", "", h1)) == api["headline"]
        shown = CliRunner().invoke(cli, ["--db", str(demo_db), "story", row["id"]], catch_exceptions=False)
        assert shown.output.splitlines()[0] == api["headline"]
        central = api["central"]
        assert central and central["article_id"] in {a["id"] for a in api["articles"]}
        if central["title"] != api["headline"]:
            leads += 1  # the central article is still the page's lead, under the headline
            assert '<p class="central">' in html and f'href="/articles/{central["article_id"]}"' in html
            assert "Lead article: " + central["title"] in shown.output
    assert leads >= 3  # the demo has stories whose first title is not their most central


_BAD_READER_REQUESTS = [
    ("/?page=0", 400), ("/?page=abc", 400), ("/?per_page=1000", 400), ("/?per_page=x", 400),
    ("/?sort=foo", 400), ("/?since=2026-13-45", 400), ("/?until=yesterday", 400),
    ("/?since=2026-03-20&until=2026-03-01", 400), ("/stories/nope", 404), ("/stories/", 404),
    ("/articles/nope", 404), ("/entities?label=XYZ", 400), ("/entities?label=PER&type=LOC", 400),
    ("/entities?limit=0", 400), ("/entities?limit=abc", 400), ("/entities?q=%22", 400),
    ("/entities/XYZ:abc", 404), ("/search?limit=0", 400), ("/search?q=a&limit=abc", 400),
    ("/nopage", 404), ("/static/nope.css", 404),
]


@pytest.mark.parametrize(("path", "status"), _BAD_READER_REQUESTS)
def test_the_readers_error_pages_say_why_in_arabic(client: TestClient, path: str, status: int) -> None:
    # they said it in English inside the Arabic page: "page must be 1 or more, got 0"
    response = client.get(path)
    assert response.status_code == status and response.headers["content-type"].startswith("text/html")
    message = re.search(r'<p class="message">(.*?)</p>', response.text, re.S)[1]
    words = re.sub(r"<[^>]+>|«[^»]*»|YYYY-MM-DD|/\S*", " ", message)  # what the reader typed
    assert not re.search(r"[A-Za-z]{2,}", words), message
    assert re.search("[\u0621-\u064a]{3,}", words), message
    # the JSON twin and the API keep their English message
    if "?" in path and path.startswith("/?"):
        english = client.get("/index.json" + path[1:])
        assert english.status_code == status and re.search(r"[A-Za-z]{3,}", _error(english, status))


@pytest.mark.parametrize(("status", "english"), [
    (413, "request body over the limit of 16,777,216 bytes"),
    (413, "request body over the limit of 1,024 bytes once decompressed"),
    (500, "internal error (KeyError); see the server log"),
    (503, "/srv/news.db is busy: another process holds it locked (database is locked)"),
    (400, "story abc: its clustering state in the database is unreadable"),  # none of the known ones
])
def test_the_readers_other_messages_are_arabic_too(status: int, english: str) -> None:
    from khabar.web.messages import reader_message

    arabic = reader_message(status, english)
    assert not re.search(r"[A-Za-z]{3,}", arabic.replace("KeyError", "")), arabic


def test_the_api_keeps_its_english_errors(client: TestClient) -> None:
    assert _error(client.get("/api/stories", params={"since": "abc"}), 400) == \
        "since must be a date as YYYY-MM-DD, got 'abc'"
    assert _error(client.get("/stories/nope.json"), 404) == "no story 'nope'"
    assert _error(client.get("/api/articles/nope"), 404).startswith("no article 'nope'")
    # a POST to a reader page: 405 in Arabic on the page, English for a JSON client
    page = client.post("/")
    assert page.status_code == 405 and "غير مسموحة" in page.text
    assert "not allowed" in _error(client.post("/", headers={"accept": "application/json"}), 405)


def test_a_figure_only_reprints_of_one_copy_carry_is_not_shown_as_corroborated(client: TestClient) -> None:
    stories = client.get("/api/stories", params={"limit": 100}).json()["stories"]
    for row in stories:
        api = client.get(f"/api/stories/{row['id']}").json()
        reprinted = [f for f in api["facts"] if f["n_outlets"] == 2 and f["n_texts"] == 1]
        if reprinted:
            break
    else:
        pytest.fail("the demo corpus has no fact that only a reprint pair carries")
    html = _html(client.get(f"/stories/{row['id']}"))
    assert 'class="badge single reprint"' in html and "نقله مصدران بنص واحد" in html
    partly = [f for f in api["facts"] if 1 < f["n_texts"] < f["n_outlets"]]
    assert not partly or "أكّده" in html


def test_story_not_found(client: TestClient) -> None:
    _error(client.get("/api/stories/0000000000000000"), 404)
    _error(client.get("/stories/0000000000000000.json"), 404)
    page = client.get("/stories/0000000000000000")
    assert page.status_code == 404 and "0000000000000000" in page.text
    assert "لا توجد صفحة بهذا العنوان" in page.text  # the reason in Arabic, the detail after it


def test_article_page_highlights_and_removed_lines(client: TestClient, biggest: dict) -> None:
    aid = biggest["id"]  # the story's first article
    api = client.get(f"/api/articles/{aid}").json()
    assert api == client.get(f"/articles/{aid}.json").json()
    assert api["entities"] and api["quantities"] and api["dates"] and api["quotes"]
    assert all(e["label"] == e["type"] for e in api["entities"])  # as /api/entities names it
    html = _html(client.get(f"/articles/{aid}"))
    for cls in ("hl ent ent-", "hl qty", "hl date", "hl quote", "speaker"):
        assert f'class="{cls}' in html or cls in html
    assert html.count('<mark class="hl') >= len(api["quantities"])
    removed = [line for line in api["lines"] if line["removed"]]
    assert removed, "the demo article has a copyright line"
    assert '<details class="removed">' in html and str(escape(removed[0]["reason"])) in html
    assert f'href="/stories/{api["story"]["id"]}"' in html
    _error(client.get("/api/articles/ffffffffffffffff"), 404)


def test_an_error_does_not_tell_a_client_where_the_database_is(client: TestClient, demo_db: Path) -> None:
    # it said "no article 'ffffffffffffffff' in /tmp/…/demo.db": the server's own path
    message = _error(client.get("/api/articles/ffffffffffffffff"), 404)
    assert message == "no article 'ffffffffffffffff' in the database"
    page = client.get("/articles/ffffffffffffffff")
    assert page.status_code == 404 and str(demo_db) not in page.text and "demo.db" not in page.text


def test_entity_page(client: TestClient) -> None:
    name = "حسين الكعبي"
    api = client.get(f"/api/entities/{quote(name)}").json()
    assert api == client.get(f"/entities/{quote(name)}.json").json()
    assert api["canonical"] == name and api["stories"] and api["articles"]
    html = _html(client.get(f"/entities/{quote(name)}"))
    for story in api["stories"]:
        assert f'href="/stories/{story["id"]}"' in html
    _error(client.get(f"/api/entities/{quote('لا أحد بهذا الاسم')}"), 404)


def test_a_one_word_names_page_links_to_the_longer_names_that_hold_it(client: TestClient) -> None:
    # الحياري alone (one article) is part of عمر الحياري (three): the page links to the names
    # search, which lists it (a link, not a list: that search reads the whole names index)
    html = _html(client.get(f"/entities/{quote('PER:حياري')}"))
    link = re.search(r'href="(/entities\?q=[^"]+)">أسماء أطول تحمل هذا الاسم', html)
    assert link, html
    names = _html(client.get(link.group(1).replace("&amp;", "&")))
    assert "عمر الحياري" in names
    assert "أسماء أطول تحمل هذا الاسم" not in _html(client.get(f"/entities/{quote('حسين الكعبي')}"))


def test_search(client: TestClient) -> None:
    api = client.get("/api/search", params={"q": "سيول العقبة"}).json()
    assert api["hits"] and all("article_id" in h for h in api["hits"])
    twin = client.get("/search.json", params={"q": "سيول العقبة"}).json()
    assert [h["article_id"] for h in twin["hits"]] == [h["article_id"] for h in api["hits"]]
    html = _html(client.get("/search", params={"q": "سيول العقبة"}))
    for hit in api["hits"]:
        assert f'href="/articles/{hit["article_id"]}"' in html
    assert _html(client.get("/search"))  # the empty form
    _error(client.get("/api/search"), 400)  # q is required
    # a full page of hits offers more; a short one does not
    capped = _html(client.get("/search", params={"q": "سيول", "limit": 1}))
    assert "أول <bdi" in capped and 'href="/search?q=' in capped and "limit=4" in capped
    assert "المزيد من المقالات" not in _html(client.get("/search", params={"q": "سيول العقبة"}))


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_search_is_400_with_a_message(client: TestClient, query: str) -> None:
    message = _error(client.get("/api/search", params={"q": query}), 400)
    assert "search" in message or "nothing" in message
    _error(client.get("/api/stories", params={"q": query}), 400)
    # the reader leaves the syntax out (nothing is left of these: it asks for words, and says
    # what it left out)
    twin = client.get("/search.json", params={"q": query})
    assert twin.status_code == 200 and twin.json()["query"] == "" and twin.json()["ignored"]
    page = _html(client.get("/search", params={"q": query}))
    assert "اكتب كلمة أو أكثر" in page and "أُهمل منه" in page


@pytest.mark.parametrize("query", ["(سيول العقبة)", "سيول:العقبة", '"سيول العقبة', "سيول OR العقبة",
                                   "NEAR(سيول العقبة)", "سيول -العقبة"])
def test_the_reader_searches_the_words_of_a_query_with_search_syntax(client: TestClient, query: str) -> None:
    """audit30: brackets, word:word or a quote left open answered the reader 400 with an English
    line inside the Arabic page; the reader searches the words and says, in Arabic, what it left
    out. The JSON API still refuses such a query with its reason."""
    plain = client.get("/search.json", params={"q": "سيول العقبة"}).json()
    assert plain["hits"] and plain["ignored"] == []
    twin = client.get("/search.json", params={"q": query}).json()
    assert twin["query"] == "سيول العقبة" and twin["ignored"]
    assert [h["article_id"] for h in twin["hits"]] == [h["article_id"] for h in plain["hits"]]
    response = client.get("/search", params={"q": query})
    assert response.status_code == 200
    page = _html(response)
    assert "البحث بالكلمات وحدها، فأُهمل منه" in page and "search takes" not in page
    for hit in plain["hits"]:
        assert f'href="/articles/{hit["article_id"]}"' in page
    # the front page's word filter too
    front = client.get("/index.json", params={"q": query})
    assert front.status_code == 200 and front.json()["ignored"] and front.json()["filters"]["q"] == "سيول العقبة"
    assert front.json()["total"] == client.get("/index.json", params={"q": "سيول العقبة"}).json()["total"] > 0
    assert "أُهمل منه" in _html(client.get("/", params={"q": query}))
    _error(client.get("/api/search", params={"q": query}), 400)
    _error(client.get("/api/stories", params={"q": query}), 400)


def test_stats_and_openapi(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 46 and "database" not in stats
    spec = client.get("/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}",
                 "/api/entities/{key}", "/api/search", "/api/stats", "/api/ingest"):
        assert path in spec["paths"], path
    assert client.get("/docs").status_code == 404  # its page would load a CDN


def test_security_headers_and_assets(client: TestClient) -> None:
    for url in ("/", "/api/stats", "/static/style.css", "/nope", "/api/nope"):
        response = client.get(url)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert "script-src" not in csp  # no scripts allowed at all (default-src 'none')
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")
    assert client.get("/favicon.ico").status_code == 200
    html = client.get("/").text
    assert not re.search(r'(src|href)="(https?:)?//', html), "every asset is served locally"
    _error(client.get("/api/nope"), 404)
    assert _error(client.get("/api"), 404) == "no page at /api"  # audit29: an HTML page
    # audit29: "Method Not Allowed", not which method is
    assert _error(client.post("/api/stats"), 405) == "POST is not allowed at /api/stats (only GET)"
    assert _error(client.get("/api/ingest"), 405) == "GET is not allowed at /api/ingest (only POST)"
    head = client.head("/")
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 1000


def test_ingest_requires_a_token(demo_db: Path, tmp_path: Path) -> None:
    closed = TestClient(create_app(demo_db))
    _error(closed.post("/api/ingest", json=HOSTILE), 403)
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN))
    assert "required" in _error(app.post("/api/ingest", json=HOSTILE), 401)
    assert _error(app.post("/api/ingest", json=HOSTILE, headers={"Authorization": "Bearer wrong"}),
                  401) == "wrong bearer token"
    _error(app.post("/api/ingest", json=HOSTILE, headers={"Authorization": TOKEN}), 401)
    assert app.get("/api/stats").json()["articles"] == 0


def test_ingest_one_article_and_a_batch(tmp_path: Path) -> None:
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert app.get("/index.json").json()["total"] == 0
    report = app.post("/api/ingest", json=HOSTILE, headers=auth).json()
    assert report["new"] == 1 and report["quarantined"] == 0
    assert app.post("/api/ingest", json=HOSTILE, headers=auth).json()["duplicate"] == 1
    lines = [json.dumps({"id": f"b{i}", "outlet": "وكالة التجربة", "text": f"عنوان رقم {i}\nنص الخبر رقم {i} عن افتتاح جسر جديد في المدينة يوم الأحد."},
                        ensure_ascii=False) for i in range(3)]
    lines.append("{broken json")
    lines.append(json.dumps({"id": "empty", "text": ""}))
    batch = app.post("/api/ingest", content="\n".join(lines).encode(), headers={**auth, "Content-Type": "application/x-ndjson"}).json()
    assert batch["read"] == 5 and batch["new"] == 3 and batch["quarantined"] == 2
    front = app.get("/index.json").json()
    assert front["total"] == app.get("/api/stories").json()["total"] >= 1
    assert "وكالة التجربة" in [o["outlet"] for o in front["outlets"]]  # the cache saw the ingest
    assert app.get("/api/stats").json()["articles"] == 4
    _error(app.post("/api/ingest", content=b"", headers=auth), 400)


def test_ingest_a_csv_table(tmp_path: Path) -> None:
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    table = ("Title,Text,Source\r\n"
             "افتتاح جسر,\"افتتح المحافظ، صباح الأحد، جسراً جديداً فوق النهر.\nوقال إن كلفته بلغت مليوني دينار.\",إذاعة المدينة\r\n"
             "سطر معطوب,له,حقول,أكثر,من,العنوان\r\n")
    report = app.post("/api/ingest", content=table.encode("cp1256"),
                      headers={**auth, "Content-Type": "text/csv; charset=windows-1256"}).json()
    assert (report["read"], report["new"], report["quarantined"]) == (2, 1, 1)
    (hit,) = app.get("/api/search", params={"q": "جسر"}).json()["hits"]
    article = app.get(f"/api/articles/{hit['article_id']}").json()
    assert article["outlet"] == "إذاعة المدينة" and article["title"] == "افتتاح جسر"
    assert "مليوني دينار" in article["text"]  # the quoted field's line break kept it whole
    tsv = "title\ttext\r\nمطر\tأمطار غزيرة تهطل على المدينة مساء السبت وتغلق طريقين.\r\n"
    report = app.post("/api/ingest", content=tsv.encode(),
                      headers={**auth, "Content-Type": "text/tab-separated-values"}).json()
    assert report["new"] == 1
    _error(app.post("/api/ingest", content=b"", headers={**auth, "Content-Type": "text/csv"}), 400)


def test_body_size_limit(tmp_path: Path) -> None:
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN, max_body=1000))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = {**HOSTILE, "text": HOSTILE["text"] * 20}
    _error(app.post("/api/ingest", json=big, headers=auth), 413)  # refused by Content-Length

    def chunks():
        for _ in range(10):
            yield b"x" * 500

    _error(app.post("/api/ingest", content=chunks(), headers=auth), 413)  # no length: counted
    assert app.get("/api/stats").json()["articles"] == 0


def test_hostile_article_is_escaped(tmp_path: Path) -> None:
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN))
    app.post("/api/ingest", json=HOSTILE, headers={"Authorization": f"Bearer {TOKEN}"})
    article = app.get("/api/articles/xss-1").json()
    assert "<script>" in article["title"] and "<img src=x" in article["body"]  # kept as text
    story = app.get("/index.json").json()["stories"][0]["id"]
    for url in ("/", f"/articles/{article['id']}", f"/stories/{story}", "/search?q=الحصيلة",
                f"/entities/{quote('أحمد السالم')}"):
        response = app.get(url)
        if response.status_code == 404:  # no such entity when the NER misses the name
            continue
        html = _html(response)
        assert "<img" not in html and "<svg onload" not in html and "<b>" not in html
        assert 'href="javascript:' not in html and "onerror=" not in html.replace("onerror=&#34;", "")
        assert "&lt;" in html and "<script" not in html  # shown as text, never as a tag


def test_serve_refuses_public_address_without_token(demo_db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(demo_db), "serve", "--host", "0.0.0.0"], env={"KHABAR_TOKEN": ""})
    assert result.exit_code == 2 and "without a token" in result.output
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")


def test_doctests_of_the_reader() -> None:
    import doctest

    import khabar.store.reader
    import khabar.web.messages
    import khabar.web.render

    for module in (khabar.web.render, khabar.store.reader, khabar.web.messages):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


def test_entities_listing(client: TestClient) -> None:
    api = client.get("/api/entities", params={"label": "PER", "limit": 5}).json()
    assert api == client.get("/entities.json", params={"label": "PER", "limit": 5}).json()
    assert 0 < len(api["entities"]) <= 5 and all(e["label"] == "PER" for e in api["entities"])
    html = _html(client.get("/entities", params={"label": "PER"}))
    first = api["entities"][0]
    href = f'/entities/{quote(first.get("key") or first["canonical"], safe="")}'
    assert f'href="{href}"' in html
    assert client.get(href).status_code == 200
    _error(client.get("/api/entities", params={"label": "XYZ"}), 400)
    # an article's entities call it type (and label): either filters the listing
    assert client.get("/api/entities", params={"type": "PER", "limit": 5}).json()["entities"] == api["entities"]
    assert client.get("/entities.json", params={"type": "PER", "limit": 5}).json()["entities"] == api["entities"]
    _error(client.get("/api/entities", params={"type": "PER", "label": "LOC"}), 400)


def test_real_server_answers_concurrent_readers_while_ingesting(demo_db: Path, tmp_path: Path) -> None:
    """uvicorn on a loopback port: many readers at once (one SQLite connection per worker
    thread) while articles are posted; every request answers 200 and the ingest lands."""
    import shutil
    import socket
    import threading
    import time
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    import uvicorn

    db = tmp_path / "copy.db"
    shutil.copy(demo_db, db)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db, token=TOKEN), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        story = json.loads(urllib.request.urlopen(base + "/api/stories?sort=size&limit=1", timeout=60).read())["stories"][0]["id"]
        pages = ["/", "/?sort=size", f"/stories/{story}", f"/articles/{story}", "/search?q=%D8%B3%D9%8A%D9%88%D9%84",
                 "/api/stats", f"/api/stories/{story}", "/entities?label=LOC"] * 5

        def get(path: str) -> int:
            with urllib.request.urlopen(base + path, timeout=120) as response:
                response.read()
                return response.status

        def post(i: int) -> int:
            record = {"id": f"live-{i}", "outlet": "وكالة الاختبار الحي",
                      "text": f"عنوان الخبر الحي {i}\nأعلنت البلدية اليوم افتتاح الحديقة رقم {i} في وسط المدينة بحضور السكان."}
            request = urllib.request.Request(base + "/api/ingest", data=json.dumps(record, ensure_ascii=False).encode(),
                                             headers={"Authorization": f"Bearer {TOKEN}"})
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status

        with ThreadPoolExecutor(8) as pool:
            writes = [pool.submit(post, i) for i in range(3)]
            reads = list(pool.map(get, pages))
        assert reads == [200] * len(pages)
        assert [w.result() for w in writes] == [200] * 3
        stats = json.loads(urllib.request.urlopen(base + "/api/stats", timeout=60).read())
        assert stats["articles"] == 46 + 3
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_ingest_reads_a_body_by_its_content_type(tmp_path: Path) -> None:
    # an HTML page or a plain-text article is one article, as `khabar ingest -` reads them; a
    # type the API does not read is refused with 415 and leaves no quarantine rows behind
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    page = ("<html lang='ar'><head><meta charset='utf-8'><title>افتتاح سوق الكتب</title></head><body>"
            "<nav>الرئيسية | محليات | رياضة</nav><article><h1>افتتاح سوق الكتب في الساحة القديمة</h1>"
            "<p>افتتحت البلدية صباح الخميس سوقاً للكتب المستعملة في الساحة القديمة يضم أربعين كشكاً.</p>"
            "<p>وقال رئيس البلدية إن السوق سيفتح أبوابه كل يوم جمعة حتى نهاية الصيف المقبل.</p>"
            "</article></body></html>")
    report = app.post("/api/ingest", content=page.encode(),
                      headers={**auth, "Content-Type": "text/html; charset=utf-8"}).json()
    assert (report["read"], report["new"], report["quarantined"]) == (1, 1, 0)
    plain = "أمطار غزيرة على الساحل\nهطلت أمطار غزيرة على مدن الساحل طوال الليل، وأغلقت ثلاثة طرق رئيسية."
    report = app.post("/api/ingest", content=plain.encode(), headers={**auth, "Content-Type": "text/plain"}).json()
    assert (report["read"], report["new"], report["quarantined"]) == (1, 1, 0)
    for word, title in (("الكتب", "افتتاح سوق الكتب في الساحة القديمة"), ("أمطار", "أمطار غزيرة على الساحل")):
        (hit,) = app.get("/api/search", params={"q": word}).json()["hits"]
        assert app.get(f"/api/articles/{hit['article_id']}").json()["title"] == title
    # JSON sent as text/plain, or with curl -d's default form type, is still JSON
    record = json.dumps({"title": "جسر", "text": "افتتح المحافظ جسراً جديداً فوق النهر صباح الأحد."}, ensure_ascii=False)
    for kind in ("text/plain", "application/x-www-form-urlencoded"):
        assert app.post("/api/ingest", content=record.encode(), headers={**auth, "Content-Type": kind}).json()["read"] == 1
    for kind in ("application/gzip", "application/warc", "application/pdf", "image/png"):
        message = _error(app.post("/api/ingest", content=b"\x1f\x8b\x08\x00binary", headers={**auth, "Content-Type": kind}), 415)
        assert kind in message and "text/csv" in message
    message = _error(app.post("/api/ingest", content=b"text=hello", headers={**auth, "Content-Type": "application/x-www-form-urlencoded"}), 415)
    assert "form fields" in message
    assert app.get("/api/stats").json()["quarantined"] == 0


def test_counts_in_the_reader_agree_with_their_number_in_arabic() -> None:
    from khabar.web.render import count_ar

    shown = {n: str(count_ar(n, "outlet")) for n in (1, 2, 3, 11, 100)}
    assert shown[1] == "مصدر واحد" and shown[2] == "مصدران"
    assert shown[3].endswith(" مصادر") and shown[11].endswith(" مصدراً") and shown[100].endswith(" مصدر")
    assert str(count_ar(2, "removed_line")) == "سطران محذوفان"


def test_a_story_whose_articles_name_no_outlet_says_so(tmp_path: Path) -> None:
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = "أمطار غزيرة على الساحل\nهطلت أمطار غزيرة على مدن الساحل طوال الليل، وأغلقت ثلاثة طرق رئيسية."
    app.post("/api/ingest", content=text.encode(), headers={**auth, "Content-Type": "text/plain"})
    (story,) = app.get("/api/stories").json()["stories"]
    page = _html(app.get(f"/stories/{story['id']}"))
    assert "بلا مصدر مسمّى" in page and "[<bdi></bdi>]" not in page


def test_plain_text_opening_with_a_bracket_is_an_article(tmp_path: Path) -> None:
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    text = "[عاجل] انقطاع الكهرباء عن أحياء المدينة\nانقطعت الكهرباء عن أحياء واسعة من المدينة مساء الخميس بسبب عطل في محطة التحويل."
    report = app.post("/api/ingest", content=text.encode(), headers=auth).json()
    assert (report["new"], report["quarantined"]) == (1, 0)


def test_a_story_with_many_quotes_shows_them_all_with_their_count(tmp_path: Path) -> None:
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    topics = ["الطرق", "المدارس", "المستشفيات", "الأسواق", "الحدائق", "الجسور", "المكتبات", "الملاعب",
              "المصانع", "الموانئ", "المطارات", "السدود", "الأنفاق", "المتاحف", "المساجد", "الأفران",
              "الصيدليات", "الفنادق", "المزارع", "المخابز", "الورش", "المعاهد"]
    lines = [f"وقال مدير قسم {t} إن العمل في {t} سيستأنف صباح الأحد بعد توقف دام أسبوعين." for t in topics]
    text = "البلدية تستأنف أعمالها بعد العاصفة\n" + "\n".join(lines)
    app.post("/api/ingest", content=text.encode(), headers=auth)
    (story,) = app.get("/api/stories").json()["stories"]
    page = _html(app.get(f"/stories/{story['id']}"))
    n = len(app.get(f"/api/stories/{story['id']}").json()["quotes"])
    assert n > 20 and page.count('class="quote-item"') == n  # none left out
    assert f"({n} تصريحاً)" in page.replace('<bdi dir="ltr">', "").replace("</bdi>", "")


def test_personal_data_is_named_in_arabic_in_the_reader() -> None:
    from khabar.web.render import article_marks

    marks = article_marks({"pii": [{"kind": "phone", "start": 0, "end": 10}, {"kind": "national_id", "start": 12, "end": 20}]})
    assert [m.title for m in marks if "pii" in m.classes] == ["بيانات شخصية: رقم هاتف", "بيانات شخصية: رقم هوية"]


def test_a_fact_names_its_class_only_where_the_words_do_not(client: TestClient) -> None:
    import re

    shown: list[str] = []
    for story in client.get("/api/stories", params={"limit": 30}).json()["stories"]:
        page = _html(client.get(f"/stories/{story['id']}"))
        shown += [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<span class="fact-text">(.*?)</span>', page, re.S)]
    assert any(s.endswith("(مصابون)") for s in shown)  # آخرون says nothing of what: the class does
    assert not any(re.search(r"\((درجة|كم|ملم|منزل)\)$", s) for s in shown), shown  # 4.8 درجات (درجة)


def test_a_page_or_offset_past_any_table_is_an_empty_page(client: TestClient) -> None:
    # an offset SQLite cannot hold (2**63 and up, or (page-1)*per_page past it) is past the end
    # of every table: the same empty page a large offset that fits gets, not a 500
    for offset in ("9223372036854775807", "9223372036854775808", "99999999999999999999999"):
        page = client.get("/api/stories", params={"offset": offset})
        assert page.status_code == 200, page.text[:300]
        assert page.json()["stories"] == [] and page.json()["next_offset"] is None
    for huge in ("307445734561825862", "9999999999999999999"):
        data = client.get("/index.json", params={"page": huge})
        assert data.status_code == 200 and data.json()["stories"] == [], data.text[:300]
        assert 'rel="prev"' in _html(client.get("/", params={"page": huge}))


def test_a_body_that_is_not_an_object_is_named_in_json_words(tmp_path: Path) -> None:
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    for body, kind in ((b"null", "null"), (b"[7]", "a number"), (b'"x"', "a string")):
        assert app.post("/api/ingest", content=body, headers=auth).json()["quarantined"] == 1
    with khabar.Corpus(tmp_path / "fresh.db") as corpus:
        reasons = sorted(row["reason"] for row in corpus.quarantine(limit=None))
    assert reasons == ["expected a JSON object, got a number", "expected a JSON object, got a string",
                       "expected a JSON object, got null"]


def test_ingest_reads_a_gzip_body_within_the_size_limit(tmp_path: Path) -> None:
    import gzip
    import random

    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN, max_body=20_000))
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    lines = "".join(json.dumps({"id": f"g{i}", "text": f"عنوان {i}\nافتتحت البلدية الحديقة رقم {i} في الحي القديم صباح الأحد."},
                               ensure_ascii=False) + "\n" for i in range(3)).encode()
    packed = gzip.compress(lines)
    report = app.post("/api/ingest", content=packed, headers={**auth, "Content-Encoding": "gzip"}).json()
    assert (report["read"], report["new"], report["quarantined"]) == (3, 3, 0)
    # gzip without the header is read as `khabar ingest -` reads it: decompressed once
    assert app.post("/api/ingest", content=packed, headers=auth).json()["duplicate"] == 3
    # a small body that inflates past the limit is refused as a large one is, not read
    bomb = gzip.compress(b'{"text": "' + b" " * 5_000_000)
    assert len(bomb) < 20_000
    assert "limit" in _error(app.post("/api/ingest", content=bomb, headers={**auth, "Content-Encoding": "gzip"}), 413)
    _error(app.post("/api/ingest", content=bomb, headers=auth), 413)
    for encoding in ("br", "deflate", "gzip, br"):
        assert encoding in _error(app.post("/api/ingest", content=packed,
                                           headers={**auth, "Content-Encoding": encoding}), 415)
    assert "gzip" in _error(app.post("/api/ingest", content=packed[: len(packed) // 2],
                                     headers={**auth, "Content-Encoding": "gzip"}), 400)
    # bytes that are not text: one item with one reason, not one per newline in them
    noise = b"\x80" + random.Random(6).randbytes(3000)
    assert noise.count(b"\n") > 3
    for kind in ("application/json", ""):
        report = app.post("/api/ingest", content=noise, headers={**auth, "Content-Type": kind}).json()
        assert (report["read"], report["quarantined"]) == (1, 1), report
    stats = app.get("/api/stats").json()
    assert stats["articles"] == 3 and stats["quarantined"] == 2


def test_a_quantitys_tooltip_names_what_it_counts_as_the_text_writes_it() -> None:
    from khabar.web.render import article_marks

    article = khabar.process("ارتفعت الأسعار بنسبة 91% خلال 18 عاما ودفع كل زائر 300 ريال.", outlet="صحيفة")
    titles = [m.title for m in article_marks(article.to_dict()) if "qty" in m.classes]
    assert titles and all(t.startswith("كمية: ") for t in titles)
    assert not any(re.search("[A-Za-z]", t) for t in titles), titles


@pytest.mark.parametrize(("text", "run"), [
    ("وارتفعت القروض إلى 322،8 مليار ريال", "322،8"),  # an Arabic comma as the decimal mark
    ("بقيمة 184،716.34 ريالاً", "184،716.34"),
    ("بنسبة 3٫5 في المائة", "3٫5"),  # the Arabic decimal mark
])
def test_a_number_with_an_arabic_separator_is_one_left_to_right_run(text: str, run: str) -> None:
    from khabar.web.render import bidi

    assert f'<bdi dir="ltr">{run}</bdi>' in str(bidi(text))
    # an Arabic comma after a number is still the sentence's own
    assert str(bidi("في 2015، قال")) == 'في <bdi dir="ltr">2015</bdi>، قال'


@pytest.mark.parametrize("q", ["", "   ", "ـــ", "؟!"])
def test_a_search_with_no_words_asks_for_words(client: TestClient, q: str) -> None:
    """Spaces, tatweel or punctuation alone are no query: the page asks for words, as an empty
    box does (it answered 'no article holds all these words' for spaces and 400 for tatweel)."""
    page = _html(client.get("/search", params={"q": q}))
    assert "اكتب كلمة أو أكثر" in page and "لا مقالات تحوي" not in page
    assert client.get("/search.json", params={"q": q}).json()["query"] == ""


def test_an_empty_database_says_it_has_no_articles_yet(tmp_path: Path) -> None:
    app = TestClient(create_app(tmp_path / "fresh.db", token=TOKEN))
    page = _html(app.get("/"))
    assert "لا مقالات في قاعدة البيانات" in page and "khabar ingest" in page
    assert "لا قصص تطابق" not in page
    # a filter that matches nothing is another thing
    filtered = _html(app.get("/", params={"q": "زلزال"}))
    assert "لا قصص تطابق هذا الاختيار" in filtered and "لا مقالات في قاعدة البيانات" not in filtered


def test_an_article_without_a_title_is_still_a_link_to_click(tmp_path: Path) -> None:
    # audit29: its link on the front page, the search page and the story page, and its page's
    # <title> and heading, were empty: an <a> with no text, which nobody can click
    db = tmp_path / "untitled.db"
    lead = "افتتحت البلدية مكتبة عامة جديدة في الحي الشرقي صباح اليوم."
    source = tmp_path / "untitled.jsonl"
    source.write_text(json.dumps({"text": lead + "\nوقال رئيس البلدية إن المكتبة تضم عشرة آلاف كتاب."},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    with khabar.Corpus(db) as corpus:
        corpus.ingest([source])
        (article,) = corpus.articles()
    app = TestClient(create_app(db))
    untitled = "<bdi>بلا عنوان</bdi></a>"
    # the story it opens is named by its lead (the article itself has no title)
    assert "<bdi>افتتحت البلدية مكتبة عامة جديدة في الحي الشرقي صباح اليوم</bdi></a>" in _html(app.get("/"))
    assert f'<a href="/articles/{article.id}">{untitled}' in _html(app.get("/search", params={"q": "المكتبة"}))
    page = _html(app.get(f"/articles/{article.id}"))
    assert "<title>بلا عنوان · " in page and "<h1><bdi>بلا عنوان</bdi></h1>" in page
    story_id = app.get(f"/api/articles/{article.id}").json()["story"]["id"]
    assert f'<a href="/articles/{article.id}">{untitled}' in _html(app.get(f"/stories/{story_id}"))
    assert app.get(f"/api/articles/{article.id}").json()["title"] == ""  # the data says what it is
