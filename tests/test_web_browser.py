"""The reader in a real browser: Debian's headless Chromium driven by Selenium against a real
`khabar serve` (uvicorn) on a loopback port, over the demo corpus plus a hostile article.

`make test` installs chromium and chromium-driver when they are missing and it runs as root;
otherwise these tests skip with the reason. Screenshots go to pytest's temporary folder
(the path is printed; `pytest -s` shows it).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'khabar[web]')")
pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[dev]')")

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from web_hostile import HOSTILE

import khabar
from khabar.cli import demo_corpus_path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
TOKEN = "browser-test-token"
ARABIC = re.compile(r"[\u0621-\u064a]{3,}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """In the server's child process: ask Linux to stop it when pytest dies (a killed test run
    must not leave a server behind)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _get(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=180) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `khabar serve` on a free loopback port over the demo corpus and a hostile article
    posted through the ingest endpoint."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver); "
                    "`make test` installs them with apt-get when run as root")
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "demo.db"
    with khabar.Corpus(db) as corpus:
        corpus.ingest([demo_corpus_path()])
    port = _free_port()
    log = open(folder / "server.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [sys.executable, "-m", "khabar", "--db", str(db), "serve", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "KHABAR_TOKEN": TOKEN},
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)  # noqa: PLW1509
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # generous: a loaded CI machine starts slowly
        while True:
            if proc.poll() is not None:
                pytest.fail(f"khabar serve exited: {(folder / 'server.log').read_text()}")
            try:
                if _get(base + "/api/stats")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("khabar serve did not answer within 180 s")
                time.sleep(0.1)
        status, body = _get(base + "/api/ingest", json.dumps(HOSTILE, ensure_ascii=False).encode(),
                            {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        assert status == 200 and json.loads(body)["new"] == 1, body
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(flag)
    try:
        linux = {"preexec_fn": _die_with_parent} if sys.platform.startswith("linux") else {}
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER), popen_kw=linux), options=options)
    except WebDriverException as exc:  # a browser that cannot start here: the environment
        pytest.skip(f"chromium could not start: {str(exc).splitlines()[0]}")
    driver.set_page_load_timeout(180)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {folder}")
    return folder


def _screenshot(driver: webdriver.Chrome, folder: Path, name: str) -> None:
    width = driver.get_window_size()["width"]
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, 600), 6000))
    driver.save_screenshot(str(folder / f"{name}.png"))
    assert (folder / f"{name}.png").stat().st_size > 1000


def _assert_rtl_arabic(driver: webdriver.Chrome) -> None:
    root = driver.find_element(By.TAG_NAME, "html")
    assert root.get_attribute("dir") == "rtl" and root.get_attribute("lang") == "ar"
    assert driver.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    visible = driver.find_element(By.TAG_NAME, "main").text
    assert ARABIC.search(visible), "no visible Arabic text"
    assert driver.execute_script("return document.scripts.length") == 0


def _assert_links_work(driver: webdriver.Chrome, base: str, limit: int = 40) -> None:
    hrefs = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    local = [h for h in dict.fromkeys(hrefs) if h.startswith("/")][:limit]
    assert local
    for href in local:
        status, _ = _get(urljoin(base, href))
        assert status == 200, f"{href} answered {status} on {driver.current_url}"


def _go(driver: webdriver.Chrome, element: object, part: str) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()  # type: ignore[attr-defined]
    WebDriverWait(driver, 120).until(lambda d: part in urlsplit(d.current_url).path)
    WebDriverWait(driver, 120).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _chart_labels(driver: webdriver.Chrome, selector: str) -> list[str]:
    chart = driver.find_element(By.CSS_SELECTOR, selector)
    assert chart.is_displayed() and chart.get_attribute("aria-label")
    return [t for t in driver.execute_script(
        "return Array.from(arguments[0].querySelectorAll('text')).map(t => t.textContent)", chart) if t]


def test_reader_flow(server: str, browser: webdriver.Chrome, shots: Path) -> None:
    d = browser
    d.set_window_size(1280, 1000)
    # the story list, biggest first
    d.get(server + "/?sort=size")
    _assert_rtl_arabic(d)
    cards = d.find_elements(By.CSS_SELECTOR, ".story-card .story-link")
    assert len(cards) >= 10 and all(ARABIC.search(c.text) for c in cards[:10])
    assert any(re.fullmatch(r"\d+", t) for t in _chart_labels(d, "svg.chart.perday"))
    people = _chart_labels(d, "#chart-people svg.chart")
    assert any(ARABIC.search(t) for t in people) and any(re.fullmatch(r"\d+", t) for t in people)
    _assert_links_work(d, server)
    _screenshot(d, shots, "1-stories")

    # the biggest story
    _go(d, d.find_elements(By.CSS_SELECTOR, ".story-card .story-link")[0], "/stories/")
    _assert_rtl_arabic(d)
    story_id = urlsplit(d.current_url).path.rsplit("/", 1)[1]
    story = json.loads(_get(f"{server}/api/stories/{story_id}")[1])
    assert d.find_element(By.CSS_SELECTOR, "h1.headline").text.strip()
    coverage = _chart_labels(d, "svg.chart.coverage")
    for outlet in story["outlets"]:
        assert any(label.rstrip("…") and outlet.startswith(label.rstrip("…")) for label in coverage), outlet
    assert d.find_elements(By.CSS_SELECTOR, "svg.chart.facts rect.cell.on")
    assert any(ARABIC.search(t) for t in _chart_labels(d, "svg.chart.facts"))
    assert d.find_elements(By.CSS_SELECTOR, ".badge.corroborated")
    assert len(d.find_elements(By.CSS_SELECTOR, "#outlets .column")) == len(story["by_outlet"])
    _assert_links_work(d, server)
    _screenshot(d, shots, "2-story")

    # its first article: highlighted spans and the removed lines folded with reasons
    _go(d, d.find_element(By.CSS_SELECTOR, "#articles .article-list a"), "/articles/")
    _assert_rtl_arabic(d)
    for selector in ("mark.hl.ent", "mark.hl.qty", "mark.hl.date", "mark.hl.quote"):
        marks = [m for m in d.find_elements(By.CSS_SELECTOR, f".body {selector}") if m.is_displayed()]
        assert marks, selector
        colour = d.execute_script("return getComputedStyle(arguments[0]).backgroundColor", marks[0])
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), f"{selector} is not highlighted"
    folded = d.find_elements(By.CSS_SELECTOR, "details.removed")
    assert folded and not folded[0].find_element(By.CSS_SELECTOR, ".reason").is_displayed()
    folded[0].find_element(By.TAG_NAME, "summary").click()
    assert folded[0].find_element(By.CSS_SELECTOR, ".reason").is_displayed()
    _assert_links_work(d, server)
    _screenshot(d, shots, "3-article")

    # a name in the text leads to its page
    person = d.find_element(By.CSS_SELECTOR, ".body mark.ent-per a")
    name = person.text
    _go(d, person, "/entities/")
    _assert_rtl_arabic(d)
    assert d.find_element(By.TAG_NAME, "h1").text.startswith(name.split()[0])
    assert d.find_elements(By.CSS_SELECTOR, ".story-list .story-link")
    _assert_links_work(d, server)
    _screenshot(d, shots, "4-entity")

    # search from the header
    box = d.find_element(By.CSS_SELECTOR, "header form.search input[name=q]")
    box.clear()
    box.send_keys("سيول العقبة")
    box.submit()
    WebDriverWait(d, 120).until(lambda drv: "/search" in drv.current_url)
    _assert_rtl_arabic(d)
    hits = d.find_elements(By.CSS_SELECTOR, "ol.hits li a")
    assert hits and all(ARABIC.search(h.text) for h in hits)
    _assert_links_work(d, server)
    _screenshot(d, shots, "5-search")
    _go(d, hits[0], "/articles/")
    assert d.find_elements(By.CSS_SELECTOR, ".body mark.hl")

    # a phone: nothing wider than the screen
    d.set_window_size(390, 844)
    d.get(f"{server}/stories/{story_id}")
    overflow = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the story page is {overflow}px wider than a phone"
    _screenshot(d, shots, "6-story-phone")
    # and no date broken across two lines in the story list
    d.set_window_size(320, 844)
    d.get(f"{server}/")
    broken = d.execute_script(
        "return [...document.querySelectorAll('time')].filter(t => t.getClientRects().length > 1).length")
    assert broken == 0, f"{broken} dates break across lines on a narrow screen"
    d.set_window_size(1280, 1000)


def _assert_nothing_ran(d: webdriver.Chrome) -> None:
    assert d.execute_script("return typeof window.__xss") == "undefined"
    try:
        alert = d.switch_to.alert
    except NoAlertPresentException:
        alert = None
    assert alert is None, "an alert opened"
    assert d.execute_script("return document.scripts.length") == 0
    assert not d.find_elements(By.CSS_SELECTOR, "main img, main iframe, main svg[onload], main b")
    assert not d.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
    # the page's frame is whole: header, main and footer in order, right to left
    assert d.execute_script(
        "const h = document.querySelector('header.site'), m = document.querySelector('main'),"
        " f = document.querySelector('footer.site');"
        " return !!(h && m && f) && h.getBoundingClientRect().bottom <= m.getBoundingClientRect().top + 1"
        " && m.getBoundingClientRect().bottom <= f.getBoundingClientRect().top + 1")
    assert d.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"


def test_hostile_article_runs_nothing(server: str, browser: webdriver.Chrome, shots: Path) -> None:
    d = browser
    d.set_window_size(1280, 1000)
    article = json.loads(_get(f"{server}/api/articles/xss-1")[1])
    assert "<script>" in article["title"] and "onerror" in article["body"]
    story_id = article["story"]["id"]
    pages = {"article": f"/articles/{article['id']}", "story": f"/stories/{story_id}",
             "stories": "/?sort=recency", "search": "/search?q=الحصيلة"}
    for name, path in pages.items():
        d.get(server + path)
        _assert_nothing_ran(d)
        _screenshot(d, shots, f"xss-{name}")
    d.get(server + pages["article"])
    title = d.find_element(By.TAG_NAME, "h1")
    assert "<script>window.__xss=1</script>" in title.text  # shown as text
    assert d.execute_script("return getComputedStyle(arguments[0].querySelector('bdi')).unicodeBidi", title) == "isolate"
    body = d.find_element(By.CSS_SELECTOR, ".body").text
    assert '<img src=x onerror="window.__xss=2;alert(2)">' in body and "javascript:alert(1)" in body
    assert not d.find_elements(By.CSS_SELECTOR, "a.source")  # a javascript: URL is not a link
    # the override character stays inside its line: the next line still reads right to left
    lines = d.find_elements(By.CSS_SELECTOR, ".body p.line")
    assert len(lines) == 3
    assert d.execute_script("return getComputedStyle(arguments[0]).direction", lines[2]) == "rtl"


def test_a_number_with_an_arabic_comma_reads_as_written(server: str, browser: webdriver.Chrome) -> None:
    """`322،8 مليار` (the Arabic comma as the decimal mark, as Gulf papers type it) is drawn as
    one number, left to right, as the browser draws it in plain text: not cut into `8،322`."""
    d = browser
    record = {"id": "decimal-comma-1", "outlet": "صحيفة الأرقام", "date": "2026-03-16 11:00:00",
              "title": "ارتفاع القروض الاستهلاكية",
              "text": "وارتفعت القروض الاستهلاكية إلى 322،8 مليار ريال بنهاية الربع الثاني من العام.\n"}
    status, body = _get(server + "/api/ingest", json.dumps(record, ensure_ascii=False).encode(),
                        {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert status == 200, body
    article = json.loads(_get(f"{server}/api/articles/decimal-comma-1")[1])
    d.get(f"{server}/articles/{article['id']}")
    # the x of each character of the number, in the order they are written
    xs = d.execute_script("""
        const body = document.querySelector('.body'), out = [];
        const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
        let text = '', nodes = [], n;
        while ((n = walker.nextNode())) { nodes.push([n, text.length]); text += n.data; }
        const at = text.indexOf(arguments[0]);
        for (let k = at; k < at + arguments[0].length; k++) {
            const [node, offset] = nodes.filter(([nd, o]) => o <= k).pop();
            const range = document.createRange();
            range.setStart(node, k - offset); range.setEnd(node, k - offset + 1);
            out.push(range.getBoundingClientRect().left);
        }
        return out;""", "322،8")
    assert len(xs) == 5 and xs == sorted(xs), f"the number is not drawn left to right: {xs}"
