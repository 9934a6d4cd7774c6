"""Quality floors: each measured figure is pinned in benchmarks/baselines.json and may not drop."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import ROOT, shared_path

sys.path.insert(0, str(ROOT))
from benchmarks import cleaning, extract  # noqa: E402

BASELINES = json.loads((ROOT / "benchmarks" / "baselines.json").read_text(encoding="utf-8"))


def test_cleaning_gets_every_seed_line_and_metadata_field_right() -> None:
    shared_path("eval", "seeds_gold.json")
    result = cleaning.score_articles(cleaning.seeds_items())
    assert result["kind_accuracy"] >= BASELINES["cleaning_seeds_kind_accuracy"]
    for field in ("title", "author", "dateline"):
        assert result[f"{field}_accuracy"] >= BASELINES["cleaning_seeds_metadata_accuracy"], field


def test_cleaning_on_the_demo_gold_stays_above_its_floor() -> None:
    result = cleaning.score_articles(cleaning.demo_items())
    assert result["boilerplate_f1"] >= BASELINES["cleaning_demo_boilerplate_f1"]
    assert result["kind_accuracy"] >= BASELINES["cleaning_demo_kind_accuracy"]


@pytest.mark.skipif(not (ROOT / "benchmarks" / "data" / "cleaning_heldout_gold.json").exists(), reason="held-out set not built")
def test_cleaning_on_held_out_outlets_stays_above_its_floor() -> None:
    result = cleaning.score_articles(cleaning.heldout_items())
    assert result["boilerplate_f1"] >= BASELINES["cleaning_heldout_boilerplate_f1"]
    assert result["kind_accuracy"] >= BASELINES["cleaning_heldout_kind_accuracy"]


def _development_set_stays_above_its_floors(name: str) -> None:
    result = cleaning.score_articles(cleaning.heldout_items(f"cleaning_{name}"))
    assert result["boilerplate_precision"] >= 0.99  # never remove article text
    assert result["boilerplate_f1"] >= BASELINES[f"cleaning_{name}_boilerplate_f1"]
    assert result["kind_accuracy"] >= BASELINES[f"cleaning_{name}_kind_accuracy"]
    for field in ("title", "author", "dateline"):
        assert result[f"{field}_accuracy"] >= BASELINES[f"cleaning_{name}_metadata_accuracy"], field


@pytest.mark.skipif(not (ROOT / "benchmarks" / "data" / "cleaning_dev3_gold.json").exists(), reason="dev3 set not built")
def test_cleaning_on_the_third_development_set_stays_above_its_floor() -> None:
    _development_set_stays_above_its_floors("dev3")


@pytest.mark.skipif(not (ROOT / "benchmarks" / "data" / "cleaning_dev4_gold.json").exists(), reason="dev4 set not built")
def test_cleaning_on_the_fourth_development_set_stays_above_its_floor() -> None:
    _development_set_stays_above_its_floors("dev4")
    ingested = cleaning.score_articles(cleaning.heldout_items("cleaning_dev4"), as_ingested=True)
    assert ingested["kind_accuracy"] >= BASELINES["cleaning_dev4_kind_accuracy"]


def test_baselines_file_is_json_with_numbers() -> None:
    assert all(isinstance(v, (int, float)) for k, v in BASELINES.items() if not k.startswith("_"))
    assert Path(cleaning.__file__).exists()


def test_cleaning_on_the_blind_test_set_stays_above_its_floor() -> None:
    """cleaning_test2 is never tuned on: this floor is the figure it scored blind."""
    result = cleaning.score_articles(cleaning.heldout_items("cleaning_test2"))
    assert result["boilerplate_precision"] >= 0.99  # never remove article text
    assert result["boilerplate_f1"] >= BASELINES["cleaning_test2_boilerplate_f1"]
    assert result["kind_accuracy"] >= BASELINES["cleaning_test2_kind_accuracy"]


def test_extraction_on_the_blind_test_set_stays_above_its_floor() -> None:
    """benchmarks/data/extract_test* is never tuned on: these floors are what it scored blind."""
    result = extract.score(extract.test_items(), complete=True)
    assert result["quotes"]["precision"] >= BASELINES["extract_test_quotes_precision"], result["quotes"]
    assert result["quotes"]["recall"] >= BASELINES["extract_test_quotes_recall"], result["quotes"]
    assert result["quantities"]["f1"] >= BASELINES["extract_test_quantities_f1"], result["quantities"]
    assert result["dates"]["f1"] >= BASELINES["extract_test_dates_f1"], result["dates"]
    # as a user gets it: the entities stage before the quotes (speakers from the names found)
    with_names = extract.score(extract.test_items(), entities=True, complete=True)
    assert with_names["quotes"]["precision"] >= BASELINES["extract_test_entities_quotes_precision"], \
        with_names["quotes"]


def test_entity_mentions_keep_one_key_on_real_news() -> None:
    """benchmarks/entity_keys.py on 600 ANT articles: a glued ب/ل/ك/ف must not split an entity's
    mentions under two keys more often than it did when measured (a ceiling), and no currency is
    an entity on news text."""
    shared_path("data", "ant", "ant_multisource_v2.1.jsonl.gz")
    from benchmarks import entity_keys

    result = entity_keys.measure()
    assert result["articles"] == 600
    assert result["glued_mentions"] <= BASELINES["entities_ant_glued_mentions_ceiling"], result["glued"]
    assert result["currency_mentions"] == 0
