from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# The tests (and the commands they start, which inherit the environment) keep the compiled
# NER resources (`khabar.compiled`) in a folder of their own, not in the user's ~/.cache/khabar;
# a KHABAR_CACHE_DIR already set is kept.
if "KHABAR_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="khabar-test-cache-")
    os.environ["KHABAR_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, True)


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a reason when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs ../shared/{'/'.join(parts)} (present in CI and dev checkouts, not in a user's clone)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("seeds")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"
