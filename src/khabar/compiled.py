"""Resources parsed once, then kept in their parsed form in the user's cache folder.

Every process that tags entities used to parse the NER gazetteers (~100,000 phrases, each
word normalized and stripped of its clitics) and the CRF's weights (read out of the model
through python-crfsuite's text dump): about 0.6 s of CPU at the start of every ingest, test
or command, before the workers are forked, when only one core is busy. `compiled` keeps what
such a parse returns as a pickle in ``$KHABAR_CACHE_DIR`` (default
``$XDG_CACHE_HOME/khabar``, else ``~/.cache/khabar``), named by a digest of everything the
result depends on: the resource's bytes and the source of the code that parses it (so an
edited resource or parser is parsed again, never read stale). Loading the pickle takes a
tenth of the parse. ``KHABAR_CACHE_DIR=`` (empty) turns it off.

The cache only ever holds what the parse returns, so nothing a stage outputs depends on it. A
file that cannot be read or written (read-only home, a full disk, a half-written file) means
the resource is parsed as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

__all__ = ["cache_dir", "compiled"]

T = TypeVar("T")

#: Bumped when the file layout changes (the code's source is in the digest anyway).
FORMAT = 1

_OFF = {"", "0", "off", "none", "no"}


def cache_dir() -> Path | None:
    """Where compiled resources are kept; None when turned off (``KHABAR_CACHE_DIR=``)."""
    value = os.environ.get("KHABAR_CACHE_DIR")
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "khabar"


def compiled(name: str, inputs: Iterable[bytes], build: Callable[[], T]) -> T:
    """`build()`, or what an earlier `build()` of the same `inputs` returned (unpickled).

    `name` names the resource (letters, digits, ``._-``); `inputs` are all the bytes the result
    depends on (the resource file and the source of the code that parses it)."""
    folder = cache_dir()
    if folder is None:
        return build()
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}|{sys.version_info[0]}.{sys.version_info[1]}|{name}".encode())
    for data in inputs:
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    path = folder / f"{name}-{digest.hexdigest()}.pickle"
    try:
        with open(path, "rb") as stream:
            return pickle.load(stream)
    except Exception:  # noqa: BLE001, S110 - missing, unreadable or cut short: parsed again below
        pass
    value = build()
    _save(folder, name, path, value)
    return value


def _save(folder: Path, name: str, path: Path, value: object) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)  # whole or not at all, even with several processes
        except BaseException:
            os.unlink(temporary)
            raise
        for old in folder.glob(f"{name}-*.pickle"):  # the same resource, older code or data
            if old != path:
                old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001, S110 - no cache: the next process parses again, as before
        pass
