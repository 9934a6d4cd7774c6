"""Story synthesis quality floors (benchmarks/baselines.json): seeds and demo gold checks, and
ROUGE/redundancy of the summaries of the ANT multi-outlet stories (benchmarks/synthesis.py)."""

from __future__ import annotations

import json
import sys

from conftest import ROOT, shared_path

sys.path.insert(0, str(ROOT))
from benchmarks import synthesis

BASELINES = json.loads((ROOT / "benchmarks" / "baselines.json").read_text(encoding="utf-8"))


def test_seed_story_facts_speakers_names_and_dates_stay_right() -> None:
    shared_path("seeds")
    result = synthesis.eval_seeds()
    for part in ("facts", "speakers", "entities", "timeline"):
        assert result[f"{part}_accuracy"] >= BASELINES["synthesis_seeds_accuracy"], (part, result["checks"])
    assert result["conflicts_precision"] >= BASELINES["synthesis_seeds_accuracy"]


def test_demo_gold_synthesis_stays_above_its_floors() -> None:
    result = synthesis.eval_demo()
    assert result["facts_accuracy"] >= BASELINES["synthesis_demo_facts_accuracy"], result
    assert result["conflicts_accuracy"] >= BASELINES["synthesis_demo_conflicts_recall"], result
    assert result["conflicts_precision"] >= BASELINES["synthesis_demo_conflicts_precision"], result
    assert result["speakers_accuracy"] >= BASELINES["synthesis_demo_speakers_accuracy"], result
    assert result["quotes_accuracy"] >= BASELINES["synthesis_demo_merged_quotes_accuracy"], result


def test_ant_summaries_keep_their_rouge_and_stay_below_the_redundancy_ceiling() -> None:
    shared_path("eval", "stories_ant_2018-03-11_13.jsonl")
    shared_path("data", "ant", "ant_multisource_v2.1.jsonl.gz")
    result = synthesis.eval_ant_summaries()["all"]
    assert result["stories"] >= 40
    assert result["r1"] >= BASELINES["synthesis_ant_rouge1"], result
    assert result["r2"] >= BASELINES["synthesis_ant_rouge2"], result
    assert result["redundancy"] <= BASELINES["synthesis_ant_redundancy_ceiling"], result
