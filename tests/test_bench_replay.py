"""The scaling curve's replay must make every replayed record a new article in a later window."""

from __future__ import annotations

import sys

from conftest import ROOT

from khabar.ingest.metadata import parse_published
from khabar.model import raw_text_hash

sys.path.insert(0, str(ROOT))
from benchmarks.suite import ROUND_SHIFT_DAYS, perturb


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
        assert moved.days == 2 * ROUND_SHIFT_DAYS
    assert perturb(records[0], 1)["content"] == "سطر قصير\nسطر أطول من الأول بكثير (1)"  # longest line
    assert perturb(records[1], 1)["docno"] == "AB-1~1"
    assert records[0]["content"].endswith("بكثير")  # the input record is left as it was


def test_the_round_mark_is_never_a_word_that_story_clustering_counts() -> None:
    # a two-digit round number would be a term shared by every article of the round
    from khabar.stories.cluster import _is_term
    from khabar.text.tokens import match_keys

    rec = {"content": "نص الخبر"}
    marks = {perturb(rec, k)["content"] for k in range(1, 40)}
    assert len(marks) == 39  # still a new text each round
    for text in marks:
        assert not [key for key in match_keys(text[len("نص الخبر"):]) if _is_term(key)]


def test_a_replay_round_comes_after_the_whole_previous_round() -> None:
    # both corpora together span July 2015 to the end of 2018: round k must start after
    # round k - 1 ends, or the stream sees its articles as already out of the window
    first = parse_published("2015-07-01 00:00:00")
    last = parse_published("2018-12-31 23:59:59")
    moved = parse_published(perturb({"date_extracted": "2015-07-01 00:00:00"}, 1)["date_extracted"])
    assert moved > last and (moved - first).days == ROUND_SHIFT_DAYS


def test_inflight_copies_counts_batches_holding_a_text_still_in_flight(tmp_path) -> None:
    import json

    from benchmarks.inflight_copies import count

    texts = [f"خبر رقم {i} عن افتتاح مدرسة جديدة في الحي" for i in range(12)]
    # batches of 2, two in flight: record 4 repeats record 1 (one batch in flight between them),
    # record 9 repeats record 2 (stored by then), records 10 and 11 repeat each other (same batch)
    order = [0, 1, 2, 3, 1, 5, 6, 7, 8, 2, 10, 10]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"text": texts[i], "source": "وكالة"}, ensure_ascii=False) + "\n"
                            for i in order), encoding="utf-8")
    assert count([path], batch=2, in_flight=2, limit=None) == {
        "batches": 6, "batches_holding_a_text_in_flight": 1, "texts": 1}
