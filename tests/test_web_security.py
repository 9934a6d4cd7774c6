"""Web security against a real `khabar serve` on a loopback port (raw HTTP where a client would
tidy the request up): path traversal in every spelling finds nothing, FTS syntax in a query is a
400 with a reason, oversized bodies are refused (by Content-Length and when streamed without
one), the ingest endpoint wants its bearer token, every response carries CSP/nosniff/
frame-ancestors, and — in headless Chromium — payloads reflected from the URL (search words,
filters, ids, entity keys) or stored in articles run nothing.

Extends tests/test_web_api.py (in-process client) and tests/test_web_browser.py (one hostile
article); nothing here repeats those.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'khabar[web]')")

import khabar

TOKEN = "sec-test-token-5678"
MAX_BODY = 4096
STORED_XSS = {
    "id": "xss-stored-2",
    "source": "<iframe src=javascript:window.__xss=11>",
    "url": "data:text/html,<script>window.__xss=12</script>",
    "date": "2026-03-16 11:00:00",
    "title": "\"><svg/onload=window.__xss=13> عنوان '-window.__xss=14-'",
    "author": "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=15>",
    "text": ("قال المتحدث باسم البلدية إن الاجتماع عقد في عمّان يوم الاثنين لبحث أضرار السيول.\n"
             "وأضاف أن {{7*7}} و ${7*7} ليست أوامر، وأن <img src=x onerror=window.__xss=16> مجرد نص.\n"
             "وأكد أن jav&#x09;ascript:window.__xss=18 لا يعمل وأن 12 شخصاً أصيبوا <script>window.__xss=17</script>.\n"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def raw(port: int, request: bytes, timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    """Send bytes exactly as given; (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def get(port: int, path: str, extra: str = "") -> tuple[int, dict[str, str], bytes]:
    return raw(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n".encode())


def post(port: int, path: str, body: bytes, extra: str = "") -> tuple[int, dict[str, str], bytes]:
    return raw(port, (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                      f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n").encode() + body)


def _start(db: Path, port: int, token: str | None, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "KHABAR_TOKEN"}
    cmd = [sys.executable, "-m", "khabar", "--db", str(db), "serve", "--port", str(port), "--max-body", str(MAX_BODY)]
    if token:
        cmd += ["--token", token]
    proc = subprocess.Popen(cmd, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 180
    while True:
        if proc.poll() is not None:
            pytest.fail(f"khabar serve exited: {log.read_text()}")
        try:
            if get(port, "/api/stats")[0] == 200:
                return proc
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("khabar serve did not answer within 180 s")
        time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    from khabar.cli import demo_corpus_path

    folder = tmp_path_factory.mktemp("websec")
    db = folder / "news.db"
    with khabar.Corpus(db) as corpus:
        corpus.ingest([demo_corpus_path()])
    (folder / "secret.txt").write_text("do-not-serve-me")
    port = _free_port()
    proc = _start(db, port, TOKEN, folder / "server.log")
    try:
        status, _, body = post(port, "/api/ingest", json.dumps(STORED_XSS, ensure_ascii=False).encode(),
                               f"Authorization: Bearer {TOKEN}\r\n")
        assert status == 200 and json.loads(body)["new"] == 1, body
        yield port, folder
    finally:
        _stop(proc)


TRAVERSALS = [
    "/static/../../../../etc/passwd", "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static/..%5c..%5c..%5c..%5cetc%5cpasswd", "/static/....//....//....//etc/passwd",
    "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/..%c0%af..%c0%afetc%c0%afpasswd",
    "/static/../../news.db", "/static/..%2f..%2fnews.db", "/static/../secret.txt",
    "/static/%2e%2e%2fsecret.txt", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
    "/stories/..%2f..%2f..%2fetc%2fpasswd", "/articles/../../../etc/passwd",
    "/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/entities/..%2f..%2fetc%2fpasswd",
    "/api/articles/..%2f..%2fetc%2fpasswd", "/static/app.css%00.txt", "/static/",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_finds_nothing(served: tuple[int, Path], path: str) -> None:
    port, _ = served
    status, headers, body = get(port, path)
    assert status in (400, 404, 405), (path, status, body[:200])
    assert b"root:" not in body and b"do-not-serve-me" not in body and b"SQLite format" not in body
    assert "content-security-policy" in headers


FTS_SYNTAX = ['"', '""', "NEAR(سيول عمان)", "سيول OR عمان", "سيول AND NOT عمان", "title:سيول", "body:*",
              "*", "سيو*", "^سيول", "(", ")", "{title body}:سيول", "سيول -عمان", "'", "a\"b", "NOT",
              "سيول + عمان", ":", "\\", "سيول NEAR/2 عمان"]


@pytest.mark.parametrize("query", FTS_SYNTAX)
def test_fts_syntax_is_a_400_with_a_reason(served: tuple[int, Path], query: str) -> None:
    port, _ = served
    status, _headers, body = get(port, f"/api/search?q={quote(query)}")
    assert status == 400, (query, status, body[:300])
    error = json.loads(body)["error"]
    assert error["status"] == 400 and error["message"] and "\n" not in error["message"]
    assert "traceback" not in body.decode().lower()
    # the reader (the page and its twin) searches the words and leaves the syntax out
    status, _headers, body = get(port, f"/search.json?q={quote(query)}")
    assert status == 200 and "traceback" not in body.decode().lower(), (query, status, body[:300])
    status, _, body = get(port, f"/search?q={quote(query)}")
    assert status == 200 and b"Traceback" not in body


def test_plain_words_still_search(served: tuple[int, Path]) -> None:
    port, _ = served
    status, _, body = get(port, f"/api/search?q={quote('سيول العقبة')}")
    assert status == 200 and json.loads(body)["hits"]


def test_oversized_bodies_are_refused(served: tuple[int, Path]) -> None:
    port, _ = served
    auth = f"Authorization: Bearer {TOKEN}\r\n"
    big = json.dumps({"text": "ن" * MAX_BODY}).encode()
    status, headers, body = post(port, "/api/ingest", big, auth)
    assert status == 413 and json.loads(body)["error"]["status"] == 413
    assert "content-security-policy" in headers
    # a declared length far beyond the limit is refused before the body is sent
    status, _, _ = raw(port, (f"POST /api/ingest HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{auth}"
                              "Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n").encode())
    assert status == 413
    # streamed without a length (chunked): refused once the bytes read pass the limit
    chunk = b"[" + b'{"text": "' + ("ن" * 600).encode() + b'"},' * 1
    chunks = b"".join(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for _ in range(8)) + b"0\r\n\r\n"
    status, _, body = raw(port, (f"POST /api/ingest HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{auth}"
                                 "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode() + chunks)
    assert status == 413, body[:300]
    # and nothing of them landed
    _, _, stats = get(port, "/api/stats")
    assert json.loads(stats)["articles"] == 47


@pytest.mark.parametrize("header", [
    "", "Authorization: Bearer\r\n", "Authorization: Bearer wrong-token\r\n",
    f"Authorization: Basic {TOKEN}\r\n", f"Authorization: {TOKEN}\r\n", f"Authorization: Bearer {TOKEN}x\r\n",
    f"Authorization: Bearer {TOKEN[:-1]}\r\n", f"X-Token: {TOKEN}\r\n", f"Cookie: token={TOKEN}\r\n",
])
def test_ingest_refuses_requests_without_the_token(served: tuple[int, Path], header: str) -> None:
    port, _ = served
    body = json.dumps({"text": "خبر لا ينبغي أن يدخل قاعدة البيانات أبداً", "source": "دخيل"}).encode()
    status, headers, answer = post(port, "/api/ingest", body, header)
    assert status == 401, (header, status, answer[:200])
    assert headers.get("www-authenticate", "").lower().startswith("bearer")
    status, _, answer = post(port, f"/api/ingest?token={TOKEN}", body)
    assert status == 401
    _, _, stats = get(port, "/api/stats")
    assert json.loads(stats)["articles"] == 47


def test_ingest_is_off_without_a_token(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    with khabar.Corpus(db):
        pass
    port = _free_port()
    proc = _start(db, port, None, tmp_path / "server.log")
    try:
        body = json.dumps({"text": "خبر", "source": "م"}).encode()
        for header in ("", f"Authorization: Bearer {TOKEN}\r\n", "Authorization: Bearer \r\n"):
            status, _, _ = post(port, "/api/ingest", body, header)
            assert status == 403
    finally:
        _stop(proc)


@pytest.mark.parametrize("path", ["/", "/index.json", "/api/stories", "/api/stats", "/search?q=x",
                                  "/stories/nope", "/api/stories/nope", "/static/app.css", "/openapi.json",
                                  "/api/search?q=%22", "/no/such/page", "/favicon.ico"])
def test_security_headers_on_every_response(served: tuple[int, Path], path: str) -> None:
    port, _ = served
    status, headers, _ = get(port, path)
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp, (path, status, headers)
    assert "script-src" not in csp or "'unsafe-inline'" not in csp
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("x-frame-options", "").upper() == "DENY"


# -- in Chromium ---------------------------------------------------------------------------------

REFLECTED = [
    "/search?q=" + quote("<script>window.__xss=21</script>"),
    "/search?q=" + quote("\"><img src=x onerror=window.__xss=22>"),
    "/?outlet=" + quote("<svg onload=window.__xss=23>") + "&sort=recency",
    "/?q=" + quote("'><script>window.__xss=24</script>"),
    "/?entity=" + quote("<img src=x onerror=window.__xss=25>"),
    "/stories/" + quote("<img src=x onerror=window.__xss=26>", safe=""),
    "/articles/" + quote("\"><script>window.__xss=27</script>", safe=""),
    "/entities/" + quote("<svg onload=window.__xss=28>", safe=""),
    "/?sort=" + quote("<script>window.__xss=29</script>"),
    "/?since=" + quote("<script>window.__xss=30</script>"),
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[dev]')")
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
    if not (chromium.exists() and driver_path.exists()):
        pytest.skip("needs Debian's chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    profile = tmp_path_factory.mktemp("chromium-sec")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    try:
        driver = webdriver.Chrome(service=Service(str(driver_path)), options=options)
    except WebDriverException as exc:
        pytest.skip(f"chromium could not start: {str(exc).splitlines()[0]}")
    driver.set_page_load_timeout(180)
    yield driver
    driver.quit()


def _inert(driver, url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import NoAlertPresentException

    driver.get(url)
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"an alert ran on {url}: {text}")
    except NoAlertPresentException:
        pass
    assert driver.execute_script("return typeof window.__xss") == "undefined", url
    assert driver.execute_script("return document.scripts.length") == 0, url
    assert driver.execute_script("return document.querySelectorAll('iframe, object, embed, svg[onload], img[onerror]').length") == 0, url


def test_reflected_payloads_stay_inert_in_chromium(served: tuple[int, Path], browser) -> None:  # type: ignore[no-untyped-def]
    port, _ = served
    for path in REFLECTED:
        _inert(browser, f"http://127.0.0.1:{port}{path}")


def test_stored_payloads_stay_inert_in_chromium(served: tuple[int, Path], browser) -> None:  # type: ignore[no-untyped-def]
    port, _ = served
    status, _, page = get(port, "/api/articles/xss-stored-2")  # found by its external id
    assert status == 200
    data = json.loads(page)
    article_id = data["id"]
    _inert(browser, f"http://127.0.0.1:{port}/articles/{article_id}")
    story = data.get("story") or {}
    story_id = story.get("id") if isinstance(story, dict) else story
    if story_id:
        _inert(browser, f"http://127.0.0.1:{port}/stories/{story_id}")
    _inert(browser, f"http://127.0.0.1:{port}/search?q={quote('الاجتماع عمان')}")
    _inert(browser, f"http://127.0.0.1:{port}/?sort=recency")
