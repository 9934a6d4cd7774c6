"""One writer at a time: the ingest lock of a database, and how to tell that another process wrote.

SQLite already makes each batch's transaction atomic, but an ingest also keeps state in memory
between batches (the outlets' line counts, the story clustering state) that it loaded from the
database. Two ingests interleaving their batches would each work from a stale copy and write
it back. So an ingest holds an advisory lock on `<db>.lock` for its whole run (a POSIX record
lock: released by the kernel when the process dies, even by SIGKILL, and never held by worker
processes it forked); a second ingest waits for it, then reloads what it keeps in memory if
the database changed (`data_version`). Readers never take
the lock: WAL lets them read while a batch is written, and they see whole batches only.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no POSIX locks; one ingest at a time is then the caller's business
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("khabar")
_held = threading.local()  # lock paths this thread holds (a nested ingest must not wait on itself)


def lock_path(db: str | os.PathLike[str]) -> Path:
    return Path(f"{os.fspath(db)}.lock")


_threads: dict[str, threading.Lock] = {}
_threads_guard = threading.Lock()


@contextmanager
def writer_lock(db: str | os.PathLike[str], *, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the ingest lock of `db` (waiting for another holder to finish).

    A POSIX record lock (`lockf`), not `flock`: it belongs to this process alone, so worker
    processes forked while it is held do not keep it alive after this process dies. POSIX locks
    do not exclude threads of one process, so a per-path thread lock does that."""
    path = lock_path(db)
    key = str(path.resolve())
    held: set[str] = getattr(_held, "paths", set())
    _held.paths = held
    if fcntl is None or key in held:
        yield
        return
    with _threads_guard:
        thread_lock = _threads.setdefault(key, threading.Lock())
    waited = False
    if not thread_lock.acquire(blocking=False):
        (on_wait or log.warning)(f"waiting for another ingest into {db} to finish")
        waited = True
        thread_lock.acquire()
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                if not waited:
                    (on_wait or log.warning)(f"waiting for another ingest into {db} to finish")
                fcntl.lockf(fd, fcntl.LOCK_EX)
            held.add(key)
            try:
                yield
            finally:
                held.discard(key)
                fcntl.lockf(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    finally:
        thread_lock.release()


def data_version(conn: sqlite3.Connection) -> int:
    """Changes whenever another connection commits to the database (SQLite's data_version)."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])
