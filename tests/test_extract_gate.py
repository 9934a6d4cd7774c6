"""Quality floors for quotes, quantities and dates on the seeds and demo gold (benchmarks/extract.py)."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import ROOT, shared_path

sys.path.insert(0, str(ROOT))
from benchmarks import extract

BASELINES = json.loads((ROOT / "benchmarks" / "baselines.json").read_text(encoding="utf-8"))


def _check(result: dict) -> None:
    assert result["quotes"]["precision"] >= BASELINES["extract_quotes_precision"], result["quotes"]
    assert result["quotes"]["recall"] >= BASELINES["extract_quotes_recall"], result["quotes"]
    assert result["quantities"]["f1"] >= BASELINES["extract_quantities_f1"], result["quantities"]
    assert result["dates"]["f1"] >= BASELINES["extract_dates_f1"], result["dates"]


def test_extraction_on_the_demo_gold_stays_above_its_floors() -> None:
    _check(extract.score(extract.demo_items()))


def test_extraction_on_seeds_and_demo_stays_above_its_floors() -> None:
    shared_path("eval", "seeds_gold.json")
    seeds = extract.seeds_items()
    result = extract.score(seeds + extract.demo_items())
    _check(result)
    # the seeds themselves are fully right (every quote, quantity and date)
    seeds_only = extract.score(seeds)
    assert seeds_only["quotes"]["recall"] == pytest.approx(1.0)
    assert seeds_only["quantities"]["f1"] == pytest.approx(1.0)
    assert seeds_only["dates"]["f1"] == pytest.approx(1.0)


def test_extract_floors_are_in_the_baselines_file() -> None:
    for key in (
        "extract_quotes_precision",
        "extract_quotes_recall",
        "extract_quantities_f1",
        "extract_dates_f1",
    ):
        assert 0 < BASELINES[key] <= 1


def test_extraction_on_the_development_set_stays_above_its_floors() -> None:
    """benchmarks/data/extract_dev* (33 articles written for tuning, every quote and quantity)."""
    result = extract.score(extract.dev_items(), complete=True)
    assert result["quotes"]["precision"] >= BASELINES["extract_dev_quotes_precision"], result[
        "quotes"
    ]
    assert result["quotes"]["recall"] >= BASELINES["extract_dev_quotes_recall"], result["quotes"]
    assert result["quantities"]["f1"] >= BASELINES["extract_dev_quantities_f1"], result[
        "quantities"
    ]
    assert result["dates"]["tp"] + result["dates"]["fp"] == 0  # dates are not annotated there
