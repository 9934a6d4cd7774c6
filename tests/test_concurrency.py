"""Concurrency: readers while `khabar ingest` writes, two ingests into one store at once, and
`khabar serve` answering while an ingest runs. Real processes, real SQLite files, real HTTP on
loopback; nothing is mocked.

What must hold: a reader sees whole batches only (every article has its story, every story's
size is its member count, a story lists no missing article, the input items the store accounts
for are whole batches of the input); two ingests at once both finish (one waits for the other)
and leave exactly what one ingest, or the two one after the other, would have left.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Self

import pytest
from conftest import ROOT
from store_audit import audit, covered_origins, diff, snapshot

sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import generate, write_jsonl

FAST = "lines,body,identify,language,sentences,pii"
HANG = 180  # seconds: a hang detector, not a timing threshold


def _ingest(db: Path, src: Path, batch: int = 100) -> list[str]:
    return [sys.executable, "-m", "khabar", "--db", str(db), "ingest", str(src), "--stages", FAST,
            "--batch-size", str(batch), "--no-progress"]


def _done(proc: subprocess.Popen[bytes]) -> None:
    _out, err = proc.communicate(timeout=HANG)
    assert proc.returncode == 0, (err or b"").decode()[-2000:]


def _whole_batches(db: Path, batch: int, total: int) -> int:
    lines = sorted(int(o.rsplit(":", 1)[1]) for o in covered_origins(db))
    assert lines == list(range(1, len(lines) + 1)), "a reader saw input items that are not a prefix"
    assert len(lines) % batch == 0 or len(lines) == total, f"a reader saw {len(lines)} items: half a batch"
    return len(lines)


def _check_story(story: dict[str, Any]) -> None:
    ids = [a["id"] for a in story["articles"]]
    assert story["size"] == len(ids), f"story {story['id']}: size {story['size']}, {len(ids)} articles listed"
    assert len(set(ids)) == len(ids)
    assert all(a.get("title") is not None for a in story["articles"])


def test_readers_see_whole_batches_while_an_ingest_writes(tmp_path: Path) -> None:
    import khabar

    src = write_jsonl(tmp_path / "in.jsonl", generate(1500, 11))
    db = tmp_path / "news.db"
    proc = subprocess.Popen(_ingest(db, src), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    reads = stories_read = 0
    seen: list[int] = []
    deadline = time.monotonic() + HANG
    try:
        while not db.exists() and proc.poll() is None:
            time.sleep(0.01)
        corpus = None
        while time.monotonic() < deadline:
            finished = proc.poll() is not None
            try:
                problems = audit(db)
            except Exception as exc:  # the schema may not be there yet
                if "no such table" in str(exc):
                    continue
                raise
            assert problems == [], problems
            seen.append(_whole_batches(db, 100, 1500))
            if corpus is None:
                corpus = khabar.Corpus(db)
            for summary in corpus.list_stories(sort="recency", limit=15):
                story = corpus.story(summary["id"], synthesis=False)
                _check_story(story)
                assert story["size"] >= summary["size"]  # stories only grow
                for member in story["articles"][:3]:
                    assert corpus.article(member["id"]).id == member["id"]
                stories_read += 1
            reads += 1
            if finished:
                break
        assert proc.poll() is not None, "the ingest did not finish"
    finally:
        if proc.poll() is None:
            proc.kill()
        _done(proc)
    if corpus is not None:
        corpus.close()
    print(f"{reads} consistent reads ({stories_read} stories) of {len(set(seen))} distinct states")
    assert seen[-1] == 1500
    assert len(set(seen)) >= 2  # the reads did overlap the ingest


def test_two_ingests_of_the_same_input_at_once(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", generate(1000, 12))
    ref = tmp_path / "ref.db"
    subprocess.run(_ingest(ref, src), check=True, capture_output=True)
    db = tmp_path / "news.db"
    procs = [subprocess.Popen(_ingest(db, src), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for _ in range(2)]
    for proc in procs:
        _done(proc)
    assert audit(db) == []
    assert diff(snapshot(db), snapshot(ref)) == []


def test_two_ingests_of_different_inputs_at_once(tmp_path: Path) -> None:
    items = generate(1200, 13)
    a = write_jsonl(tmp_path / "a.jsonl", items[:600])
    b = write_jsonl(tmp_path / "b.jsonl", items[600:])
    refs = {}
    for order in ("ab", "ba"):
        ref = tmp_path / f"ref-{order}.db"
        for name in order:
            subprocess.run(_ingest(ref, a if name == "a" else b), check=True, capture_output=True)
        refs[order] = snapshot(ref)
    db = tmp_path / "news.db"
    procs = [subprocess.Popen(_ingest(db, path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for path in (a, b)]
    for proc in procs:
        _done(proc)
    assert audit(db) == []
    final = snapshot(db)
    differences = {order: diff(final, ref) for order, ref in refs.items()}
    assert [] in differences.values(), f"equal to neither order: {differences}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_whole_stories_while_an_ingest_runs(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    httpx = pytest.importorskip("httpx")
    items = generate(1500, 14)
    first = write_jsonl(tmp_path / "first.jsonl", items[:500])
    rest = write_jsonl(tmp_path / "rest.jsonl", items[500:])
    db = tmp_path / "news.db"
    subprocess.run(_ingest(db, first), check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "khabar", "--db", str(db), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    ingest = None
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            deadline = time.monotonic() + HANG
            while True:
                try:
                    if client.get("/api/stats").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None, server.stderr.read().decode()[-2000:] if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
            ingest = subprocess.Popen(_ingest(db, rest), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            requests = 0
            counts = []
            while True:
                finished = ingest.poll() is not None
                r = client.get("/api/stories", params={"sort": "recency", "limit": 10})
                assert r.status_code == 200, r.text[:300]
                for summary in r.json()["stories"][:5]:
                    s = client.get(f"/api/stories/{summary['id']}")
                    assert s.status_code == 200, s.text[:300]
                    _check_story(s.json())
                    article = s.json()["articles"][0]["id"]
                    assert client.get(f"/api/articles/{article}").status_code == 200
                    requests += 3
                r = client.get("/api/search", params={"q": "سيول"})
                assert r.status_code == 200, r.text[:300]
                stats = client.get("/api/stats").json()
                counts.append(stats["articles"])
                requests += 3
                if finished:
                    break
                assert time.monotonic() < deadline, "the ingest did not finish"
            _done(ingest)
            print(f"{requests} requests answered while the ingest ran; article counts seen {sorted(set(counts))[:3]}…")
            assert counts == sorted(counts)  # never goes back
            assert len(set(counts)) >= 2
    finally:
        for proc in (ingest, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    assert audit(db) == []


def _holders(path: Path) -> set[int]:
    """Processes with a file under `path`'s folder open (Linux /proc)."""
    found = set()
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            if str(fd.readlink()).startswith(str(path.parent)):
                found.add(int(fd.parts[2]))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux /proc")
def test_a_killed_ingest_with_workers_leaves_nothing_holding_the_store(tmp_path: Path) -> None:
    """Regression: the ingest lock was an flock, which forked workers inherit, and the workers of
    a SIGKILLed ingest lived on: the next ingest waited forever. Now the lock is the process's
    own and the workers exit with their parent."""
    import signal

    src = write_jsonl(tmp_path / "in.jsonl", generate(1500, 15))
    db = tmp_path / "news.db"
    cmd = _ingest(db, src) + ["--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + HANG
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if db.exists() and len(covered_origins(db)) >= 200:
                break
        except sqlite3.Error:  # the schema is not there yet
            pass
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    while _holders(db) and time.monotonic() < deadline:  # the workers notice within a second or so
        time.sleep(0.2)
    assert not _holders(db), f"processes still hold the store: {_holders(db)}"
    again = subprocess.run(cmd, check=False, capture_output=True, timeout=HANG)
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    assert audit(db) == [] and len(covered_origins(db)) == 1500


class _ForeignWriteLock:
    """Another program (a `sqlite3` shell, a database browser) holding a write lock on `db`:
    a real process with `BEGIN EXCLUSIVE` open until it is stopped."""

    def __init__(self, db: Path) -> None:
        code = ("import sqlite3, sys\n"
                "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                "c.execute('BEGIN EXCLUSIVE')\n"
                "print('held', flush=True)\n"
                "sys.stdin.read()\n")
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)

    def __enter__(self) -> Self:
        assert self.proc.stdout is not None and self.proc.stdout.readline() == b"held\n"
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.communicate(timeout=HANG)


def test_ingest_into_a_database_another_program_holds_locked_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # audit28: it waited 30 s and said only "DB: database is locked"
    from click.testing import CliRunner

    from khabar.cli import cli
    from khabar.store import sqlite as store_sqlite

    monkeypatch.setattr(store_sqlite, "WRITE_BUSY_SECONDS", 0.5)  # the wait, not what happens after it
    monkeypatch.setattr(store_sqlite, "WRITE_BUSY_NOTICE_SECONDS", 0.2)
    db = tmp_path / "k.db"
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("افتتحت البلدية مكتبة عامة جديدة في الحي الشرقي صباح اليوم.", encoding="utf-8")
    second.write_text("هطلت أمطار غزيرة على المدينة الساحلية طوال الليل دون أضرار.", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "ingest", str(first)]).exit_code == 0
    before = snapshot(db)
    with _ForeignWriteLock(db):
        result = runner.invoke(cli, ["--db", str(db), "ingest", str(second)])
        assert result.exit_code == 2, result.output
        # said when the wait begins (on stderr: the warning of the "khabar" logger), and at its end
        assert caplog.messages == [f"waiting for another process to release its write lock on {db} (up to 0.5 s)"]
        assert result.output.splitlines()[-1] == (
            f"khabar: {db}: another process holds a write lock on the database (an open sqlite3 shell"
            " or database browser, a backup?) and kept it past 0.7 s: nothing was written; retry when"
            " it finishes")
        assert "Traceback" not in result.output
        # reading goes on meanwhile
        assert runner.invoke(cli, ["--db", str(db), "stats"]).exit_code == 0
    assert snapshot(db) == before and audit(db) == []
    again = runner.invoke(cli, ["--db", str(db), "ingest", str(second)])
    assert again.exit_code == 0 and "1 new" in again.output


def test_the_ingest_api_answers_503_while_another_program_holds_the_write_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from khabar.store import sqlite as store_sqlite
    from khabar.web.app import create_app

    monkeypatch.setattr(store_sqlite, "WRITE_BUSY_SECONDS", 0.5)
    monkeypatch.setattr(store_sqlite, "WRITE_BUSY_NOTICE_SECONDS", 0.2)
    db = tmp_path / "k.db"
    app = TestClient(create_app(db, token="t0ken"))
    article = {"text": "افتتحت البلدية مكتبة عامة جديدة في الحي الشرقي صباح اليوم."}
    with _ForeignWriteLock(db):
        answer = app.post("/api/ingest", json=article, headers={"Authorization": "Bearer t0ken"})
        assert answer.status_code == 503 and answer.headers["retry-after"] == "30"
        assert "another process holds a write lock" in answer.json()["error"]["message"]
    assert app.post("/api/ingest", json=article, headers={"Authorization": "Bearer t0ken"}).json()["new"] == 1


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux /proc")
def test_a_worker_killed_mid_ingest_is_one_line_and_a_rerun_resumes(tmp_path: Path) -> None:
    """audit29: a worker killed (the OOM killer's way) gave `internal error: BrokenProcessPool:
    … please report it`, not what was stored nor that a rerun resumes."""
    import signal

    src = write_jsonl(tmp_path / "in.jsonl", generate(1500, 16))
    db = tmp_path / "news.db"
    cmd = _ingest(db, src) + ["--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + HANG
    workers: list[int] = []
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if db.exists() and len(covered_origins(db)) >= 200:
                workers = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
                if workers:
                    break
        except (sqlite3.Error, OSError):  # the schema is not there yet
            pass
        time.sleep(0.05)
    assert proc.poll() is None and workers, "the ingest finished before a worker could be killed"
    import os

    os.kill(workers[0], signal.SIGKILL)
    _out, err = proc.communicate(timeout=HANG)
    lines = err.decode().splitlines()
    assert proc.returncode == 70 and len(lines) == 1, err.decode()[-2000:]
    assert lines[0].startswith("khabar: a worker process ended abruptly (killed, out of memory, or a crash); ")
    assert lines[0].endswith(" articles stored, rerun the same command to resume (with fewer --workers if"
                             " memory ran out)")
    assert audit(db) == []
    again = subprocess.run(cmd, check=False, capture_output=True, timeout=HANG)
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    assert audit(db) == [] and len(covered_origins(db)) == 1500
