"""The bundled demo corpus and its gold file are consistent, and the whole corpus ingests."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import pytest

import khabar

DEMO = resources.files("khabar.demo")
ROWS = [json.loads(line) for line in (DEMO / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
GOLD = json.loads((DEMO / "gold.json").read_text(encoding="utf-8"))
BY_ID = {row["id"]: row for row in ROWS}


def test_corpus_size_outlets_and_stories_meet_the_brief() -> None:
    assert len(ROWS) >= 40
    assert len(BY_ID) == len(ROWS)
    assert len({row["outlet"] for row in ROWS}) >= 5
    stories = GOLD["stories"]
    multi = [s for s in stories.values() if len({BY_ID[a]["outlet"] for a in s["articles"]}) >= 2]
    assert len(multi) >= 8
    assert all(2 <= len({BY_ID[a]["outlet"] for a in s["articles"]}) <= 6 for s in multi)
    assert sum(len(s["articles"]) == 1 for s in stories.values()) >= 5
    placed = Counter(a for s in stories.values() for a in s["articles"])
    assert set(placed) == set(BY_ID) and set(placed.values()) == {1}


def test_reprint_pairs_are_what_they_claim() -> None:
    for a, b in GOLD["exact_reprints"]:
        assert BY_ID[a]["outlet"] != BY_ID[b]["outlet"]
        assert khabar.process(BY_ID[a]["text"]).body == khabar.process(BY_ID[b]["text"]).body
    for a, b in GOLD["near_reprints"]:
        assert BY_ID[a]["text"] != BY_ID[b]["text"]


def _exact_strings(gold: dict) -> list[str]:
    strings = [gold["title"]] if gold.get("title") else []
    if gold.get("author"):
        strings.append(gold["author"])
    if gold.get("dateline"):
        strings.append(gold["dateline"]["text"])
    strings += [p["text"] for p in gold.get("pii", [])]
    strings += [e for names in gold.get("entities", {}).values() for e in names]
    strings += [q["contains"] for q in gold.get("quotes", [])]
    strings += [q["text"] for q in gold.get("quantities", [])]
    strings += gold.get("not_quantities", [])
    strings += [d["text"] for d in gold.get("dates", [])]
    return strings


@pytest.mark.parametrize("article_id", sorted(GOLD["articles"]))
def test_gold_strings_are_exact_substrings_and_lines_exist(article_id: str) -> None:
    text = BY_ID[article_id]["text"]
    gold = GOLD["articles"][article_id]
    for string in _exact_strings(gold):
        assert string in text, string
    lines = text.split("\n")
    for number in gold["lines"]:
        assert lines[int(number) - 1].strip()
    labelled = {int(n) for n in gold["lines"]}
    assert labelled == {i for i, line in enumerate(lines, 1) if line.strip()}


def test_every_demo_article_processes_with_spans_inside_its_text() -> None:
    for row in ROWS:
        article = khabar.process(row["text"], outlet=row["outlet"], published=row.get("date"))
        assert article.language == "ar"
        assert article.body
        for span in article.lines + article.sentences + article.pii:
            assert row["text"][span.start : span.end] == span.text
