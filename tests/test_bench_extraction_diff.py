"""benchmarks/extraction_diff.py: a tree compared with itself changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def test_help_runs_nothing() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extraction_diff.py"), "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "--old" in out and "--offset" in out


@pytest.mark.skipif(not SHARED.exists(), reason="../shared (the ANT and SaudiNewsNet corpora) is absent")
def test_the_same_tree_changes_nothing(tmp_path: Path) -> None:
    # a one-article corpus of each kind keeps this fast: the sample reader is what is tested
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import extraction_diff
    finally:
        sys.path.pop(0)
    rows = list(extraction_diff.sample(0, limit=2))
    assert len(rows) == 4 and {key.split(":")[0] for key, _rec in rows} == {"ant", "snn"}
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extraction_diff.py"),
                          "--old", str(ROOT / "src"), "--offset", "3", "--kinds", "qn", "--limit", "15"],
                         capture_output=True, text=True, check=True, timeout=900).stdout
    assert out.strip() == "30 articles; articles changed: quotes 0, quantities 0", out[-500:]
