"""Feeds and polite fetching against a real HTTP server on loopback.

The server (http.server in a thread, bound to 127.0.0.1) serves feeds and pages generated
here: slow, failing then working, always failing, redirecting (once and in a loop), huge (with
and without a Content-Length), Windows-1256 encoded, not HTML, missing, and disallowed by
robots.txt. `127.0.0.1` and `localhost` are two host names for it, so per-host rate limits are
checked per name from the server's own arrival times.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

pytest.importorskip("httpx")
pytest.importorskip("feedparser")

import itertools

from khabar import Corpus
from khabar.cli import cli
from khabar.sources import FeedFetcher, FetchOptions, HostRateLimiter
from khabar.sources.robots import RobotsCache
from khabar.store.fetchlog import FetchLog

ROOT = Path(__file__).resolve().parents[1]
FAST_STAGES = ["lines", "body", "identify"]

SENTENCES = [
    "أعلنت وزارة الأشغال العامة أن أعمال صيانة الطريق الساحلي ستبدأ الأسبوع المقبل وتستمر شهرين.",
    "وقال مدير المشروع إن الفرق الفنية أنهت مسح الجسور القديمة على امتداد الطريق.",
    "وأوضح أن حركة المرور ستحول إلى طرق فرعية خلال ساعات الليل لتقليل الازدحام.",
    "ودعت الوزارة السائقين إلى الالتزام بالإشارات المؤقتة والتقيد بالسرعة المحددة.",
    "وتبلغ كلفة المشروع نحو اثني عشر مليون دينار بتمويل من الموازنة العامة للدولة.",
    "وأشار المدير إلى أن المرحلة الأولى تشمل إعادة تأهيل أربعين كيلومتراً من الطريق.",
    "ويأتي المشروع ضمن خطة حكومية لتحسين البنية التحتية في المحافظات الجنوبية.",
    "وكانت بلدية المدينة قد طالبت مراراً بإصلاح الطريق بعد حوادث متكررة في الشتاء الماضي.",
]


def page_text(n: int) -> tuple[str, list[str]]:
    """A title and paragraphs unique to `n` (so each page is its own article)."""
    title = f"صيانة الطريق الساحلي: المرحلة {n} تبدأ الأسبوع المقبل"
    paragraphs = []
    for p in range(3):
        picked = [SENTENCES[(n + p * 3 + k) % len(SENTENCES)] for k in range(3)]
        paragraphs.append(" ".join(picked) + f" وذكر البيان رقم {n * 10 + p} أن العمل يسير وفق الجدول.")
    return title, paragraphs


def page_html(n: int, charset: str = "utf-8", meta: bool = True) -> str:
    title, paragraphs = page_text(n)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    meta_tag = f'<meta charset="{charset}">' if meta else ""
    return (
        f"<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head>{meta_tag}<title>{title}</title>"
        f'<meta property="og:site_name" content="صحيفة الساحل"></head><body>'
        f'<nav><a href="/">الرئيسية</a> | <a href="/local">محليات</a></nav>'
        f"<article><h1>{title}</h1>{body}</article><footer>جميع الحقوق محفوظة</footer></body></html>"
    )


Route = Callable[["Handler"], tuple[int, dict[str, str], bytes]]


class Site:
    """What the server serves, and every request it saw: (host name, path, arrival time)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, str, float]] = []
        self.agents: set[str] = set()
        self.lock = threading.Lock()

    def page(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
             status: int = 200, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = lambda h: (status, {"Content-Type": content_type, **(headers or {})}, data)

    def count(self, path: str) -> int:
        return sum(1 for _, p, _ in self.hits if p == path)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Site

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout, size cap): expected here

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        with self.site.lock:
            self.site.hits.append((host, self.path, time.monotonic()))
            self.site.agents.add(self.headers.get("User-Agent", ""))
        route = self.site.routes.get(self.path)
        if route is None:
            status, headers, body = 404, {"Content-Type": "text/html"}, b"<html><body>not here</body></html>"
        else:
            status, headers, body = route(self)
        if status == -1:  # a streamed body without a length, delimited by closing the connection
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            for _ in range(64):
                self.wfile.write(body)
            return
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site():
    state = Site()
    handler = type("BoundHandler", (Handler,), {"site": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.port = server.server_address[1]  # type: ignore[attr-defined]
    yield state
    server.shutdown()
    server.server_close()


def rss(title: str, items: list[dict[str, str]]) -> str:
    out = [(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
           "<link>http://127.0.0.1/</link><description>آخر الأخبار</description>")]
    for item in items:
        out.append("<item>")
        out.append(f"<title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>")
        out.append(f"<guid>{escape(item['link'])}</guid><pubDate>{item['date']}</pubDate>")
        if item.get("summary"):
            out.append(f"<description>{escape(item['summary'])}</description>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "".join(out)


def atom_cp1256(title: str, items: list[dict[str, str]]) -> bytes:
    out = [(f'<?xml version="1.0" encoding="windows-1256"?><feed xmlns="http://www.w3.org/2005/Atom">'
           f"<title>{escape(title)}</title><id>urn:khabar:test</id><updated>2026-03-10T10:00:00Z</updated>")]
    for item in items:
        out.append(f"<entry><title>{escape(item['title'])}</title><link href=\"{escape(item['link'])}\"/>"
                   f"<id>{escape(item['link'])}</id><updated>{item['iso']}</updated>"
                   f"<summary>{escape(item['summary'])}</summary></entry>")
    out.append("</feed>")
    return "".join(out).encode("cp1256")


def feed_route(site: Site, path: str, make: Callable[[], bytes], content_type: str) -> None:
    """A feed answering conditional GETs: ETag and Last-Modified from its current content."""
    def route(h: Handler) -> tuple[int, dict[str, str], bytes]:
        body = make()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = format_datetime(datetime(2026, 3, 10, tzinfo=UTC) + timedelta(seconds=len(body)), usegmt=True)
        headers = {"Content-Type": content_type, "ETag": etag, "Last-Modified": modified}
        if h.headers.get("If-None-Match") == etag or (
            not h.headers.get("If-None-Match") and h.headers.get("If-Modified-Since") == modified
        ):
            return 304, headers, b""
        return 200, headers, body
    site.routes[path] = route


def item(site: Site, n: int, path: str, host: str = "127.0.0.1", summary: bool = True) -> dict[str, str]:
    title, paragraphs = page_text(n)
    when = datetime(2026, 3, 10, 8, 0, tzinfo=UTC) + timedelta(minutes=n)
    return {
        "title": title,
        "link": f"http://{host}:{site.port}{path}",  # type: ignore[attr-defined]
        "date": format_datetime(when, usegmt=True),
        "iso": when.isoformat().replace("+00:00", "Z"),
        "summary": paragraphs[0] if summary else "",
    }


def build_site(site: Site) -> dict[str, list[dict[str, str]]]:
    """Feed A (RSS, UTF-8, on 127.0.0.1) with every kind of trouble; feed B (Atom in
    Windows-1256, on `localhost`) with plain pages and one item also listed in feed A."""
    site.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    a: list[dict[str, str]] = []
    for n in range(1, 6):
        site.page(f"/a/news/{n}.html", page_html(n))
        a.append(item(site, n, f"/a/news/{n}.html"))

    def slow(h: Handler) -> tuple[int, dict[str, str], bytes]:
        time.sleep(4.0)  # past the client's 1.5 s timeout, twice
        return 200, {"Content-Type": "text/html"}, page_html(6).encode()
    site.routes["/a/slow.html"] = slow
    a.append(item(site, 6, "/a/slow.html"))

    calls = {"n": 0}

    def flaky(h: Handler) -> tuple[int, dict[str, str], bytes]:
        calls["n"] += 1
        if calls["n"] == 1:
            return 500, {"Content-Type": "text/html"}, b"<html><body>busy</body></html>"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page_html(7).encode()
    site.routes["/a/flaky.html"] = flaky
    a.append(item(site, 7, "/a/flaky.html"))
    site.page("/a/broken.html", "<html><body>error</body></html>", status=500)
    a.append(item(site, 8, "/a/broken.html"))
    site.page("/a/old/9", "", status=301, headers={"Location": "/a/news/9.html"})
    site.page("/a/news/9.html", page_html(9))
    a.append(item(site, 9, "/a/old/9"))
    for k in range(6):
        site.page(f"/a/loop/{k}", "", status=302, headers={"Location": f"/a/loop/{k + 1}"})
    a.append(item(site, 10, "/a/loop/0"))
    site.page("/a/huge.html", page_html(11) + "<!--" + "x" * (3 << 20) + "-->")
    a.append(item(site, 11, "/a/huge.html"))
    chunk = ("<p>" + "حشو " * 4000 + "</p>").encode()
    site.routes["/a/stream.html"] = lambda h: (-1, {}, chunk)  # 64 x 32 KB, no Content-Length
    a.append(item(site, 12, "/a/stream.html"))
    site.page("/a/cp1256.html", page_html(13, "windows-1256", meta=False).encode("cp1256"),
              "text/html; charset=windows-1256")
    a.append(item(site, 13, "/a/cp1256.html"))
    site.page("/a/meta1256.html", page_html(14, "windows-1256").encode("cp1256"), "text/html")
    a.append(item(site, 14, "/a/meta1256.html"))
    site.page("/private/15.html", page_html(15))
    a.append(item(site, 15, "/private/15.html"))
    a.append(item(site, 16, "/a/missing.html", summary=False))
    site.page("/a/photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
    a.append(item(site, 17, "/a/photo.png"))
    b: list[dict[str, str]] = []
    for n in range(20, 24):
        site.page(f"/b/news/{n}.html", page_html(n))
        b.append(item(site, n, f"/b/news/{n}.html", host="localhost"))
    b.append(dict(a[0]))  # also in feed A: fetched once
    feeds = {"a": a, "b": b}
    feed_route(site, "/a/rss.xml", lambda: rss("صحيفة الساحل", list(reversed(feeds["a"]))).encode(),
               "application/rss+xml")
    feed_route(site, "/b/atom.xml", lambda: atom_cp1256("وكالة الجنوب", feeds["b"]),
               "application/atom+xml")
    site.page("/a/notafeed.html", "<html><body><p>ليست قناة أخبار</p></body></html>")
    return feeds


ALLOWED = [f"/a/news/{n}.html" for n in (1, 2, 3, 4, 5)] + ["/a/old/9",
    "/a/flaky.html", "/a/cp1256.html", "/a/meta1256.html"] + [f"/b/news/{n}.html" for n in range(20, 24)]
SUMMARY_ONLY = {
    "/a/slow.html": "timed out after 1.5s (2 attempts)",
    "/a/broken.html": "HTTP 500 after 2 attempts",
    "/a/loop/0": "too many redirects (more than 3)",
    "/a/huge.html": "page larger than 1 MiB",
    "/a/stream.html": "page larger than 1 MiB",
    "/private/15.html": "disallowed by robots.txt",
    "/a/photo.png": "not HTML: image/png",
}


def write_feeds_toml(path: Path, site: Site) -> Path:
    port = site.port  # type: ignore[attr-defined]
    path.write_text(
        f"""poll_interval = 60
timeout = 1.5  # generous: a loaded test machine must not time out ordinary pages
max_bytes = 1048576
retries = 1
backoff = 0.01
max_redirects = 3

[rate]
default = 0.05
localhost = 0.08

[[feed]]
url = "http://127.0.0.1:{port}/a/rss.xml"

[[feed]]
url = "http://localhost:{port}/b/atom.xml"

[[feed]]
url = "http://127.0.0.1:{port}/a/notafeed.html"
""",
        encoding="utf-8",
    )
    return path


def _articles_by_path(db: Path) -> dict[str, list]:
    with Corpus(db) as corpus:
        found: dict[str, list] = {}
        for article in corpus.articles(limit=None):
            path = "/" + article.url.split("/", 3)[3] if article.url.count("/") >= 3 else article.url
            found.setdefault(path, []).append(article)
        return found


def test_watch_ingests_each_allowed_item_once_across_restarts(site: Site, tmp_path: Path) -> None:
    feeds = build_site(site)
    toml = write_feeds_toml(tmp_path / "feeds.toml", site)
    db = tmp_path / "news.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", str(db), "watch", str(toml), "--max-rounds", "2", "--interval", "0.05"])
    assert first.exit_code == 0, first.output
    out = first.output
    # every failure is reported with its reason
    for path, reason in SUMMARY_ONLY.items():
        assert f"{path}: {reason} (kept the feed summary)" in out, (path, out)
    assert "/a/missing.html: HTTP 404; the feed has no summary (not ingested)" in out
    assert "notafeed.html: failed: not an RSS/Atom feed" in out
    assert "[pass 2] feed http://127.0.0.1" in out and ": unchanged" in out

    # a restart with two new items in feed A (its ETag changes): only those are fetched
    for n in (30, 31):
        site.page(f"/a/news/{n}.html", page_html(n))
        feeds["a"].append(item(site, n, f"/a/news/{n}.html"))
    second = runner.invoke(cli, ["--db", str(db), "watch", str(toml), "--once", "--json"])
    assert second.exit_code == 0, second.output
    assert '"new": 2' in second.output or '"new": 2,' in second.output

    allowed = [*ALLOWED, "/a/news/30.html", "/a/news/31.html"]
    articles = _articles_by_path(db)
    for path in allowed:
        assert len(articles.get(path, [])) == 1, (path, sorted(articles))
        meta = dict(articles[path][0].metadata)
        assert meta["fetch"] == "page"
        # fetched exactly once over both runs (the flaky page: once failing, once working)
        expected_hits = 2 if path == "/a/flaky.html" else 1
        assert site.count(path) == expected_hits, (path, site.count(path))
    for path, reason in SUMMARY_ONLY.items():
        (article,) = articles[path]
        meta = dict(article.metadata)
        assert meta["fetch"] == "summary" and meta["fetch_reason"] == reason
    assert "/a/missing.html" not in articles
    assert site.count("/private/15.html") == 0  # robots.txt respected
    assert len(articles) == len(allowed) + len(SUMMARY_ONLY)

    # feed metadata carried into the articles; non-UTF-8 pages decoded
    one = articles["/a/news/1.html"][0]
    assert one.outlet == "صحيفة الساحل" and one.title == page_text(1)[0]
    assert one.published is not None and one.published.minute == 1
    assert articles["/b/news/20.html"][0].outlet == "وكالة الجنوب"
    for path in ("/a/cp1256.html", "/a/meta1256.html"):
        assert "صيانة الطريق الساحلي" in articles[path][0].text
    assert dict(articles["/a/old/9"][0].metadata)["final_url"].endswith("/a/news/9.html")
    assert site.count("/a/news/9.html") == 1

    # the quarantine and the fetch log say why
    with Corpus(db) as corpus:
        reasons = {row["reason"] for row in corpus.quarantine()}
        log = FetchLog(corpus.store)
        failed = log.items(status="failed")
        counts = log.counts()
    assert "page failed: HTTP 404; the feed has no summary" in reasons
    assert [f["url"].rsplit("/", 1)[1] for f in failed] == ["missing.html"]
    assert counts == {"page": len(allowed), "summary": len(SUMMARY_ONLY), "failed": 1}

    # never faster than the per-host rate, from the server's own clock
    assert any(h == "localhost" for h, _, _ in site.hits)
    for host, interval in (("127.0.0.1", 0.05), ("localhost", 0.08)):
        times = sorted(t for h, _, t in site.hits if h == host)
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert gaps and min(gaps) >= interval, (host, min(gaps))
    assert all(agent.startswith("khabar/") for agent in site.agents)


def test_stopped_pass_resumes_without_refetching_or_missing(site: Site, tmp_path: Path) -> None:
    port = site.port  # type: ignore[attr-defined]
    stop = threading.Event()

    def held(n: int) -> Route:
        # pages past the first batch answer only once the pass is told to stop, so that on a
        # busy machine the fetching thread cannot have brought everything back before the stop
        def route(h: Handler) -> tuple[int, dict[str, str], bytes]:
            stop.wait(10)
            return 200, {"Content-Type": "text/html; charset=utf-8"}, page_html(n).encode()
        return route

    items = []
    for n in range(40, 47):
        if n < 43:
            site.page(f"/c/{n}.html", page_html(n))
        else:
            site.routes[f"/c/{n}.html"] = held(n)
        items.append(item(site, n, f"/c/{n}.html"))
    feed_route(site, "/c/rss.xml", lambda: rss("صحيفة الساحل", items).encode(), "application/rss+xml")
    url = f"http://127.0.0.1:{port}/c/rss.xml"
    options = FetchOptions(host_interval=0.01, timeout=12, retries=0)
    db = tmp_path / "c.db"
    with Corpus(db, stages=FAST_STAGES) as corpus:
        fetcher = FeedFetcher(corpus, options, batch_size=3, stop=stop, on_batch=lambda r: stop.set())
        with fetcher:
            report = fetcher.run([url])
        # the batch in hand and what the fetching thread had already brought back
        assert report.stopped and 3 <= report.new < 7
        first = report.new
        assert FetchLog(corpus.store).feed(url) is None or not FetchLog(corpus.store).feed(url).etag
    with Corpus(db, stages=FAST_STAGES) as corpus:
        with FeedFetcher(corpus, options, batch_size=3) as fetcher:
            report = fetcher.run([url])
            again = fetcher.run([url])
        assert report.new == 7 - first and not report.stopped
        assert again.feeds[0].status == "unchanged"
        assert corpus.stats()["articles"] == 7
    for n in range(40, 47):
        assert site.count(f"/c/{n}.html") == 1


def test_fetch_command_and_fetch_log(site: Site, tmp_path: Path) -> None:
    port = site.port  # type: ignore[attr-defined]
    site.page("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    items = [item(site, 50, "/d/50.html"), item(site, 51, "/d/gone.html")]
    site.page("/d/50.html", page_html(50))
    feed_route(site, "/d/rss.xml", lambda: rss("صحيفة الساحل", items).encode(), "application/rss+xml")
    db = tmp_path / "d.db"
    args = ["fetch", "--db", str(db), "--feed", f"http://127.0.0.1:{port}/d/rss.xml",
            "--host-interval", "0.01", "--retries", "0", "--timeout", "2", "--outlet", "الساحل"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 feed: 2 new: 1 from their page, 1 from the feed summary, 0 failed" in result.output
    assert "/d/gone.html: HTTP 404 (kept the feed summary)" in result.output
    again = CliRunner().invoke(cli, args)
    assert "unchanged" in again.output and site.count("/d/50.html") == 1
    log = CliRunner().invoke(cli, ["--db", str(db), "fetched", "--status", "summary"])
    assert log.exit_code == 0 and "/d/gone.html  (HTTP 404)" in log.output
    with Corpus(db) as corpus:
        assert {a.outlet for a in corpus.articles(limit=None)} == {"الساحل"}
    bad = CliRunner().invoke(cli, ["--db", str(db), "fetch", "--feed", "ftp://example.org/x"])
    assert bad.exit_code == 2 and "not an http(s) feed URL" in bad.output
    bad = CliRunner().invoke(cli, ["--db", str(db), "fetch", "--feed", f"http://127.0.0.1:{port}/d/rss.xml",
                                   "--rate", "nonsense"])
    assert bad.exit_code == 2 and "bad --rate" in bad.output


def test_watch_stops_cleanly_on_sigterm(site: Site, tmp_path: Path) -> None:
    port = site.port  # type: ignore[attr-defined]
    site.page("/e/60.html", page_html(60))
    items = [item(site, 60, "/e/60.html")]
    feed_route(site, "/e/rss.xml", lambda: rss("صحيفة الساحل", items).encode(), "application/rss+xml")
    toml = tmp_path / "feeds.toml"
    toml.write_text(f'feeds = ["http://127.0.0.1:{port}/e/rss.xml"]\n[rate]\ndefault = 0.01\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "khabar", "--db", str(tmp_path / "e.db"), "watch", str(toml), "--interval", "600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("[pass 1] 1 feed: "):  # the first pass is done; now it waits
                break
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped after 1 pass" in err


def test_hosts_are_fetched_at_the_same_time(site: Site, tmp_path: Path) -> None:
    port = site.port  # type: ignore[attr-defined]
    b_arrived = threading.Event()
    seen: list[bool] = []

    def a_page(h: Handler) -> tuple[int, dict[str, str], bytes]:
        # answers once host B's page is asked for too (or gives up after 5 s): only a client
        # that fetches two hosts at once gets here with B already in
        seen.append(b_arrived.wait(5))
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page_html(70).encode()

    def b_page(h: Handler) -> tuple[int, dict[str, str], bytes]:
        b_arrived.set()
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page_html(71).encode()

    site.routes["/f/70.html"] = a_page
    site.routes["/f/71.html"] = b_page
    a_items = [item(site, 70, "/f/70.html")]
    b_items = [item(site, 71, "/f/71.html", host="localhost")]
    feed_route(site, "/f/a.xml", lambda: rss("صحيفة الساحل", a_items).encode(), "application/rss+xml")
    feed_route(site, "/f/b.xml", lambda: rss("وكالة الجنوب", b_items).encode(), "application/rss+xml")
    options = FetchOptions(host_interval=0.01, timeout=10, retries=0, concurrency=2)
    with Corpus(tmp_path / "f.db", stages=FAST_STAGES) as corpus, FeedFetcher(corpus, options) as fetcher:
        report = fetcher.run([f"http://127.0.0.1:{port}/f/a.xml", f"http://localhost:{port}/f/b.xml"])
    assert report.new == 2 and not report.failures
    assert seen == [True]


def test_a_restart_keeps_to_the_rate(site: Site, tmp_path: Path) -> None:
    port = site.port  # type: ignore[attr-defined]
    site.page("/g/80.html", page_html(80))
    items = [item(site, 80, "/g/80.html")]
    feed_route(site, "/g/rss.xml", lambda: rss("صحيفة الساحل", items).encode(), "application/rss+xml")
    options = FetchOptions(host_interval=0.3, timeout=5, retries=0)
    with Corpus(tmp_path / "g.db", stages=FAST_STAGES) as corpus:
        for _ in range(2):  # two runs back to back, each with a fresh client (as after a restart)
            with FeedFetcher(corpus, options) as fetcher:
                fetcher.run([f"http://127.0.0.1:{port}/g/rss.xml"])
    times = sorted(t for _, _, t in site.hits)
    assert len(times) == 5  # robots.txt, feed, page; robots.txt, feed (unchanged)
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.3


def test_rate_limiter_and_robots_rules() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    limiter = HostRateLimiter(1.0, {"example.com": 5.0, "fast.example.com": 0.5},
                              clock=lambda: now[0], sleep=sleep)
    assert limiter.interval("www.example.com") == 5.0
    assert limiter.interval("fast.example.com") == 0.5
    assert limiter.interval("other.org") == 1.0
    for _ in range(3):
        with limiter.slot("www.example.com"):
            now[0] += 0.25  # the request itself
    assert slept == [5.0, 5.0]
    limiter.at_least("other.org", 3.0)
    assert limiter.interval("other.org") == 3.0

    answers = {"http://a.test/robots.txt": (200, b"User-agent: khabar\nDisallow: /x/\n", ""),
               "http://b.test/robots.txt": (503, b"", ""),
               "http://c.test/robots.txt": (404, b"", ""),
               "http://d.test/robots.txt": (0, b"", "timed out after 1s")}
    robots = RobotsCache(lambda url: answers[url], "khabar")
    assert robots.allowed("http://a.test/y/1").allowed
    assert robots.allowed("http://a.test/x/1").reason == "disallowed by robots.txt"
    assert robots.allowed("http://b.test/").reason == "robots.txt unreachable (HTTP 503)"
    assert robots.allowed("http://c.test/anything").allowed
    assert robots.allowed("http://d.test/").reason == "robots.txt unreachable (timed out after 1s)"


def test_feeds_toml_errors(tmp_path: Path) -> None:
    from khabar.errors import InputError
    from khabar.sources import load_watch_config

    path = tmp_path / "f.toml"
    for text, message in [
        ("poll_interval = 1\n", "no feeds listed"),
        ('feeds = ["file:///etc/passwd"]\n', "not an http(s) feed URL"),
        ('feeds = ["http://x.test/rss"]\ntimeout = "soon"\n', "timeout: expected float"),
        ("feeds = [\n", "not valid TOML"),
    ]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=re.escape(message)):
            load_watch_config(path)
    path.write_text('feeds = ["http://x.test/rss"]\n[rate]\ndefault = 2\n"x.test" = 7\n'
                    '[[feed]]\nurl = "http://y.test/atom"\noutlet = "واي"\n', encoding="utf-8")
    config = load_watch_config(path)
    assert [f.url for f in config.feeds] == ["http://x.test/rss", "http://y.test/atom"]
    assert config.feeds[1].outlet == "واي"
    assert config.options.host_interval == 2.0 and config.options.host_intervals == {"x.test": 7.0}


def test_parse_feed_keys_links_and_fallback_text() -> None:
    from khabar.sources import parse_feed

    doc = """<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>صحيفة الساحل</title>
<item><title>أ</title><link>/news/1#top</link><description>موجز قصير</description>
<content:encoded><![CDATA[<p>الفقرة الأولى من الخبر.</p><p>الفقرة الثانية &amp; الأخيرة.</p>]]></content:encoded></item>
<item><title>ب</title><guid isPermaLink="false">id-2</guid><description>بلا رابط</description></item>
<item><title>ج</title><description>لا رابط ولا معرّف</description></item>
</channel></rss>""".encode()
    title, items = parse_feed(doc, "http://news.test/feeds/rss.xml")
    assert title == "صحيفة الساحل"
    first, second, third = items
    assert first.url == "http://news.test/news/1#top" and first.key == "http://news.test/news/1"
    assert first.summary == "الفقرة الأولى من الخبر.\nالفقرة الثانية & الأخيرة."
    assert second.key == "guid:id-2" and second.url == ""
    assert third.key.startswith("sha:") and third.outlet == "صحيفة الساحل"


def test_retry_after_ignores_non_ascii_digits() -> None:
    from khabar.sources.fetch import _retry_after

    assert _retry_after("²") is None  # "²".isdigit() is True, int("²") raises
    assert _retry_after(" 12 ") == 12.0


def test_an_item_keeps_the_offset_its_feed_gave_it() -> None:
    from khabar.sources import parse_feed

    doc = """<?xml version="1.0"?><rss version="2.0"><channel><title>صحيفة الساحل</title>
<item><title>أ</title><link>http://news.test/a</link><description>خبر</description>
<pubDate>Wed, 13 May 2026 01:30:00 +0300</pubDate></item>
<item><title>ب</title><link>http://news.test/b</link><description>خبر</description>
<pubDate>Wed, 13 May 2026 01:30:00 GMT</pubDate></item>
</channel></rss>""".encode()
    _, (east, utc) = parse_feed(doc, "http://news.test/rss.xml")
    assert east.published == "2026-05-13T01:30:00+03:00"  # its own day, not 22:30 on the 12th
    assert utc.published == "2026-05-13T01:30:00+00:00"


def test_fetch_shows_each_feeds_failures_under_it_and_fails_when_every_feed_did(site: Site, tmp_path: Path) -> None:
    port = site.port  # type: ignore[attr-defined]
    site.page("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    site.page("/e/60.html", page_html(60))
    site.page("/f/70.html", page_html(70))
    feed_route(site, "/e/rss.xml", lambda: rss("صحيفة الشرق", [item(site, 60, "/e/60.html"),
                                                               item(site, 61, "/e/gone.html")]).encode(),
               "application/rss+xml")
    feed_route(site, "/f/rss.xml", lambda: rss("صحيفة الغرب", [item(site, 70, "/f/70.html")]).encode(),
               "application/rss+xml")
    db = tmp_path / "e.db"
    base = ["fetch", "--db", str(db), "--host-interval", "0.01", "--retries", "0", "--timeout", "2"]
    result = CliRunner().invoke(cli, [*base, "--feed", f"http://127.0.0.1:{port}/e/rss.xml",
                                      "--feed", f"http://127.0.0.1:{port}/f/rss.xml"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    first = next(i for i, line in enumerate(lines) if "/e/rss.xml" in line)
    second = next(i for i, line in enumerate(lines) if "/f/rss.xml" in line)
    gone = next(i for i, line in enumerate(lines) if "/e/gone.html" in line)
    assert first < gone < second  # the missing page is listed under its own feed
    assert "2 items, 2 new (1 page," in lines[first] and "1 item, 1 new (1 page," in lines[second]
    site.page("/g/notafeed.html", "<html><body><p>ليست قناة أخبار</p></body></html>")
    failed = CliRunner().invoke(cli, [*base, "--feed", f"http://127.0.0.1:{port}/g/notafeed.html",
                                      "--feed", f"http://127.0.0.1:{port}/g/missing.xml"])
    assert failed.exit_code == 1, failed.output
    assert failed.output.count(": failed: ") == 2


def test_a_page_too_long_for_one_article_keeps_the_feed_summary(site: Site, tmp_path: Path) -> None:
    # audit29: the 100,000-character cap on one article's text held for files, but a fetched
    # page past it was stored as one article
    port = site.port  # type: ignore[attr-defined]
    site.page("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    items = [item(site, 60, "/e/long.html")]
    title, _ = page_text(60)
    paragraphs = "".join(f"<p>{' '.join(page_text(n)[1])}</p>" for n in range(300))
    site.page("/e/long.html", f"<html lang='ar'><head><meta charset='utf-8'><title>{title}</title></head>"
                              f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")
    feed_route(site, "/e/rss.xml", lambda: rss("صحيفة الساحل", items).encode(), "application/rss+xml")
    db = tmp_path / "e.db"
    result = CliRunner().invoke(cli, ["fetch", "--db", str(db), "--feed", f"http://127.0.0.1:{port}/e/rss.xml",
                                      "--host-interval", "0.01", "--retries", "0", "--timeout", "5"])
    assert result.exit_code == 0, result.output
    assert "1 feed: 1 new: 0 from their page, 1 from the feed summary, 0 failed" in result.output
    assert "/e/long.html: text longer than 100,000 characters (" in result.output
    with Corpus(db) as corpus:
        (article,) = corpus.articles(limit=None)
    assert len(article.text) < 1000
