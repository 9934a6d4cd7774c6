"""Resources parsed once, then kept in their parsed form in the user's cache folder.

Every process that tags entities used to parse the NER gazetteers (~100,000 phrases, each
word normalized and stripped of its clitics) and the CRF's weights (read out of the model
through python-crfsuite's text dump): about 0.4 s of CPU at the start of every ingest, test
or command, before the workers are forked, when only one core is busy. `compiled` keeps what
such a parse returns as a pickle in `cache_dir()`: ``$KHABAR_CACHE_DIR`` when set, else
``$XDG_CACHE_HOME/khabar`` (an absolute XDG_CACHE_HOME only, as the XDG spec says), else
``~/.cache/khabar``; ``KHABAR_CACHE_DIR=`` (empty, or ``0``/``off``/``no``/``none``) turns it
off. Loading the pickle takes a tenth of the parse.

* **Never stale**: a file is named by a digest of everything the result depends on (the
  resource's bytes, the source of the code that parses it, the Python and numpy versions and
  this module's `FORMAT`), so an edited resource or parser gets a new name and is parsed again.
* **Never needed**: a missing, unreadable, truncated or corrupt file, an unwritable or missing
  folder, a read-only or missing home, a full disk all mean the resource is parsed as before,
  silently (what the parse returns is what a stage uses either way, so nothing a stage outputs
  depends on the cache). Only an error of the parse itself reaches the caller.
* **Whole or not at all**: a file is written to a temporary file in the same folder and moved
  into place with `os.replace`, so two processes starting at once (two workers, two CLI runs)
  never read a half-written file; the last writer's file, identical, wins.
* **Trusted or not read**: unpickling runs code that the data names, so a file is unpickled
  only when the folder and the file are owned by the current user and writable by no one else
  (the folder is made 0700, files 0600), and the file is no symbolic link. A folder that is
  not (say ``KHABAR_CACHE_DIR=/tmp``) is not used at all.
* **Bounded**: at most `KEEP` files per resource name (the most recently used, so two
  checkouts of different code do not evict each other at every start), and any kept file or
  leftover temporary file unused for `STALE_DAYS` is removed when a file is written.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

__all__ = ["cache_dir", "compiled"]

T = TypeVar("T")

#: Bumped when the file layout changes (the code's source is in the digest anyway).
FORMAT = 2
#: Files kept per resource name (different digests: other code or data).
KEEP = 2
#: A kept file not used (read or written) for this long is removed when any file is written.
STALE_DAYS = 30
#: A temporary file older than this is what a killed writer left: removed when a file is written.
STALE_TEMPORARY_S = 3600

_OFF = {"", "0", "off", "none", "no"}
_NAME = re.compile(r"[A-Za-z0-9._-]+")
_KEPT = re.compile(r"(?P<name>[A-Za-z0-9._-]+)-[0-9a-f]{32}\.pickle")
_TEMPORARY = re.compile(r"\.[A-Za-z0-9._-]+-[A-Za-z0-9_]+\.tmp")
_MISS = object()


def cache_dir() -> Path | None:
    """Where compiled resources are kept; None when turned off (``KHABAR_CACHE_DIR=``) or when
    there is no home to put them in."""
    value = os.environ.get("KHABAR_CACHE_DIR")
    if value is not None:
        if value.strip().lower() in _OFF:
            return None
        return Path(os.path.abspath(os.path.expanduser(value)))
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "khabar"
    home = os.path.expanduser("~")  # $HOME, else the password database; "~" when neither
    if not os.path.isabs(home):
        return None
    return Path(home) / ".cache" / "khabar"


def compiled(name: str, inputs: Iterable[bytes] | None, build: Callable[[], T],
             check: Callable[[object], bool] | None = None) -> T:
    """`build()`, or what an earlier `build()` of the same `inputs` returned (unpickled).

    `name` names the resource (letters, digits, ``._-``); `inputs` are all the bytes the result
    depends on (the resource file and the source of the code that parses it), None when they
    cannot be known (then `build()` every time). `check`, when given, must accept what is read
    back (else it is built again): a guard against a file that unpickles to something else."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"compiled: bad resource name {name!r}")
    folder = cache_dir()
    if folder is None or inputs is None:
        return build()
    digest = hashlib.blake2b(digest_size=16)
    numpy = sys.modules.get("numpy")
    digest.update(f"{FORMAT}|{sys.implementation.cache_tag}|{sys.version_info[:3]}|"
                  f"{getattr(numpy, '__version__', '-')}|{name}".encode())
    for data in inputs:
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    path = folder / f"{name}-{digest.hexdigest()}.pickle"
    value = _load(folder, path)
    if value is not _MISS and (check is None or _checked(check, value)):
        return value  # type: ignore[return-value]
    value = build()
    _save(folder, name, path, value)
    return value


def _checked(check: Callable[[object], bool], value: object) -> bool:
    try:
        return bool(check(value))
    except Exception:  # noqa: BLE001 - a value the check cannot even look at is no good value
        return False


def _trusted(info: os.stat_result, *, folder: bool) -> bool:
    """Owned by this user (where there are users) and writable by no one else."""
    if not (stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)):
        return False
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None and info.st_uid != geteuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _folder_trusted(folder: Path) -> bool:
    try:
        return _trusted(os.lstat(folder), folder=True)
    except OSError:
        return False


def _load(folder: Path, path: Path) -> object:
    """What `path` holds, or _MISS (absent, untrusted, unreadable, cut short, corrupt)."""
    try:
        if not _folder_trusted(folder):
            return _MISS
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)  # a symbolic link fails here (ELOOP)
        with os.fdopen(fd, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not _trusted(info, folder=False):
                return _MISS
            value = pickle.load(stream)
            if stream.read(1):  # trailing bytes: not a file this module wrote
                return _MISS
        if time.time() - info.st_mtime > 86400:  # used: kept over other digests (see `_prune`)
            with suppress(OSError):
                os.utime(path)
        return value
    except Exception:  # noqa: BLE001 - missing, unreadable, cut short or corrupt: parsed again
        return _MISS


def _save(folder: Path, name: str, path: Path, value: object) -> None:
    """Keep `value` at `path`, whole or not at all; silently nothing when that fails."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _folder_trusted(folder):
            return
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)  # whole or not at all, even with several processes
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(folder, name, path)
    except Exception:  # noqa: BLE001, S110 - no cache: the next process parses again, as before
        pass


def _prune(folder: Path, name: str, path: Path) -> None:
    """Keep the `KEEP` most recently used files of `name` (`path`, just written, among them);
    remove any kept file unused for `STALE_DAYS` and temporary files a killed writer left."""
    now = time.time()
    same: list[tuple[float, Path]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                mtime = entry.stat(follow_symlinks=False).st_mtime
            except OSError:
                continue
            kept = _KEPT.fullmatch(entry.name)
            if kept is not None:
                if kept["name"] == name:
                    if entry.name != path.name:
                        same.append((mtime, Path(entry.path)))
                elif now - mtime > STALE_DAYS * 86400:
                    with suppress(OSError):
                        os.unlink(entry.path)
            elif _TEMPORARY.fullmatch(entry.name) and now - mtime > STALE_TEMPORARY_S:
                with suppress(OSError):
                    os.unlink(entry.path)
    same.sort(reverse=True)
    for _mtime, old in same[KEEP - 1:]:
        with suppress(OSError):
            old.unlink()
