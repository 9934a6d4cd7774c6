"""The organisations and MISC names the khabar authors wrote (benchmarks/data/gaz_org_misc_source.tsv)
and the gazetteer benchmarks/build_gazetteers.py builds from them (resources/ner/gaz_org_misc.tsv).

Sentences here are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

import sys
from collections import Counter

from conftest import ROOT, shared_path

from khabar.extract import ner

sys.path.insert(0, str(ROOT / "benchmarks"))
import build_gazetteers

RESOURCE = ROOT / "src" / "khabar" / "resources" / "ner" / "gaz_org_misc.tsv"


def _lines(text: str) -> list[tuple[str, str]]:
    out = []
    for raw in text.splitlines():
        if raw.strip() and not raw.startswith("#"):
            name, _, typ = raw.partition("\t")
            out.append((name, typ))
    return out


def test_source_lines_are_names_and_a_type() -> None:
    lines = _lines(build_gazetteers.ORG_MISC_SOURCE.read_text(encoding="utf-8"))
    assert len(lines) > 2_000
    assert {typ for _, typ in lines} == {"ORG", "MISC"}
    assert all(name.strip() == name and name for name, _ in lines)


def test_a_head_before_a_listed_name_and_names_mostly_untagged_are_left_out() -> None:
    # "وكالة رويترز": the name is listed alone, so the head stays outside it; "وكالة الأنباء
    # الكويتية": no shorter name listed, kept whole; "بيان" and "كأس النجوم": the sentences
    # below leave them untagged
    lines = ["# comment", "رويترز\tORG", "وكالة رويترز\tORG", "وكالة الأنباء الكويتية\tORG",
             "بيان\tORG", "كأس النجوم\tMISC", "جائزة القمر\tMISC"]
    source = "\n".join(lines)
    sents = [
        [("صدر", "O"), ("بيان", "O"), ("عن", "O"), ("كأس", "O"), ("النجوم", "O")],
        [("بيان", "O"), ("ثان", "O"), ("في", "O"), ("كأس", "O"), ("النجوم", "O")],
        [("جائزة", "B-MISC"), ("القمر", "I-MISC")],
    ]
    o_count, ent_count = build_gazetteers.train_counts(sents)
    entries = build_gazetteers.org_misc_entries(source, o_count, ent_count, sents)
    assert entries == {"رويترز": "ORG", "وكالة الأنباء الكويتية": "ORG", "جائزة القمر": "MISC"}


def test_the_shipped_list_is_what_the_build_makes() -> None:
    train = shared_path("data", "anercorp", "ANERcorp_CAMeLstyle_reconstructed_train.txt")
    assert train.exists()
    o_count, ent_count = build_gazetteers.train_counts()
    built = build_gazetteers.org_misc_entries(
        build_gazetteers.ORG_MISC_SOURCE.read_text(encoding="utf-8"), o_count, ent_count)
    shipped = dict(_lines(RESOURCE.read_text(encoding="utf-8")))
    assert shipped == built


def test_the_list_keys_names_as_the_tagger_reads_them() -> None:
    gaz = ner.parse_gazetteer(RESOURCE.read_text(encoding="utf-8"))
    counts = Counter(gaz.entries.values())
    assert counts["ORG"] > 1_500 and counts["MISC"] > 500
    assert gaz.single(ner.word_key("رويترز")) == "ORG"
    # hamza and the article need no variant of their own
    key = tuple(ner.word_key(w) for w in ("الاتحاد", "الاوروبي"))
    assert gaz.entries.get(key) == "ORG"
    # common words are no names
    for word in ("بيان", "أمل", "العالم", "الحياة", "وزارة"):
        assert gaz.single(ner.word_key(word)) is None, word
