"""The scaling curve's replay must make every replayed record a new article in a later window."""

from __future__ import annotations

import sys

from conftest import ROOT

from khabar.ingest.metadata import parse_published
from khabar.model import raw_text_hash

sys.path.insert(0, str(ROOT))
from benchmarks.suite import perturb


def test_perturb_changes_the_text_and_moves_the_date_under_any_keys() -> None:
    records = [
        {"source": "صحيفة", "content": "سطر قصير\nسطر أطول من الأول بكثير",
         "date_extracted": "2015-07-21 02:51:32"},
        {"src": "موقع", "docno": "AB-1", "text": "نص الخبر", "time": "Sun, 18 Feb 2018 21:35:43 +0400"},
    ]
    for rec in records:
        again = perturb(rec, 2)
        text_key = "content" if "content" in rec else "text"
        assert raw_text_hash(again[text_key]) != raw_text_hash(rec[text_key])
        date_key = "date_extracted" if "date_extracted" in rec else "time"
        moved = parse_published(again[date_key]) - parse_published(rec[date_key])
        assert moved.days == 1460
    assert perturb(records[0], 1)["content"] == "سطر قصير\nسطر أطول من الأول بكثير (1)"  # longest line
    assert perturb(records[1], 1)["docno"] == "AB-1~1"
    assert records[0]["content"].endswith("بكثير")  # the input record is left as it was
