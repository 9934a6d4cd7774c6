"""benchmarks/name_spellings.py lists the spellings story synthesis joins (a store of its own)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import ROOT

from khabar import Corpus

sys.path.insert(0, str(ROOT / "benchmarks"))
import name_spellings  # noqa: E402


def test_the_joins_of_a_story_are_listed(tmp_path: Path) -> None:
    rows = [
        {"text": "إصابة المهاجم غونزالو هيغواين في التدريب\nقال المهاجم غونزالو هيغواين إن الإصابة خفيفة "
                 "وإنه سيعود إلى التدريبات الأسبوع المقبل مع الفريق.", "outlet": "أ",
         "date": "2026-03-12 09:00:00"},
        {"text": "هيجوين: إصابتي خفيفة وأعود قريبا\nأكد المهاجم جونزالو هيجوين أن إصابته في التدريب خفيفة "
                 "وأنه سيعود إلى التدريبات الأسبوع المقبل مع الفريق.", "outlet": "ب",
         "date": "2026-03-12 10:00:00"},
    ]
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    with Corpus(db) as corpus:
        corpus.ingest([inputs])
        assert any(s["size"] == 2 for s in corpus.list_stories()), "the two reports are one story"
    joined = name_spellings.joins([str(db)])
    assert {frozenset(pair) for pair in joined} == {frozenset(("غونزالو هيغواين", "جونزالو هيجوين"))}, joined
