"""The well-known people the khabar authors wrote (benchmarks/data/gaz_people_source.tsv) and the
gazetteer benchmarks/build_gazetteers.py builds from them (resources/ner/gaz_people.tsv).

Sentences here are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

import sys
from collections import Counter

from conftest import ROOT, shared_path

from khabar.extract import ner

sys.path.insert(0, str(ROOT / "benchmarks"))
import build_gazetteers

RESOURCE = ROOT / "src" / "khabar" / "resources" / "ner" / "gaz_people.tsv"
TITLES = {"الرئيس", "الملك", "الأمير", "الشيخ", "البابا", "الوزير", "السلطان", "الملا"}


def _lines(text: str) -> list[tuple[str, str]]:
    out = []
    for raw in text.splitlines():
        if raw.strip() and not raw.startswith("#"):
            name, _, typ = raw.partition("\t")
            out.append((name, typ))
    return out


def test_source_lines_are_names_without_titles() -> None:
    lines = _lines(build_gazetteers.PEOPLE_SOURCE.read_text(encoding="utf-8"))
    assert len(lines) > 3_000
    assert {typ for _, typ in lines} == {"PERS"}
    assert all(name.strip() == name and name for name, _ in lines)
    # ANERcorp keeps a title out of the name it precedes
    assert not [name for name, _ in lines if name.split()[0] in TITLES]
    # one spelling per line, no line twice
    assert len({name for name, _ in lines}) == len(lines)


def test_one_word_names_left_out_surnames_added_and_untagged_names_dropped() -> None:
    source = ("# comment\nجورج بوش\tPERS\nسعيد عقل\tPERS\nبيليه\tPERS\n"
              "سلمان بن عبد العزيز\tPERS\nنور الدين\tPERS")
    sents = [
        [("قال", "O"), ("نور", "O"), ("الدين", "O")],
        [("نور", "O"), ("الدين", "O"), ("و", "O"), ("عقل", "O")],
        [("عقل", "O"), ("الإنسان", "O"), ("عقل", "O")],
    ]
    o_count, ent_count = build_gazetteers.train_counts(sents)
    entries = build_gazetteers.people_entries(source, o_count, ent_count, sents)
    # the mononym is left out; a surname stands alone (PSUR) unless the sentences mostly leave it
    # untagged (عقل) or it ends a nasab (عبد العزيز); نور الدين is mostly untagged
    assert entries == {"جورج بوش": "PERS", "سعيد عقل": "PERS", "سلمان بن عبد العزيز": "PERS",
                       "بوش": "PSUR"}


def test_the_shipped_list_is_what_the_build_makes() -> None:
    train = shared_path("data", "anercorp", "ANERcorp_CAMeLstyle_reconstructed_train.txt")
    assert train.exists()
    o_count, ent_count = build_gazetteers.train_counts()
    built = build_gazetteers.people_entries(
        build_gazetteers.PEOPLE_SOURCE.read_text(encoding="utf-8"), o_count, ent_count)
    shipped = dict(_lines(RESOURCE.read_text(encoding="utf-8")))
    assert shipped == built


def test_the_list_keys_names_as_the_tagger_reads_them() -> None:
    gaz = ner.parse_gazetteer(RESOURCE.read_text(encoding="utf-8"))
    counts = Counter(gaz.entries.values())
    assert counts["PERS"] > 2_500 and counts["PSUR"] > 1_000
    # hamza and ى need no variant of their own
    key = tuple(ner.word_key(w) for w in ("كوفى", "انان"))
    assert gaz.entries.get(key) == "PERS"
    assert gaz.single(ner.word_key("شارون")) == "PSUR"
    # a glued و on the first word is read as the tagger reads it
    keys = [ner.word_key(w) for w in ("التقى", "وتوني", "بلير")]
    firsts = [ner.load_extractor().word_info(w)[6] for w in ("التقى", "وتوني", "بلير")]
    assert gaz.matches(keys, firsts) == [None, "B-PERS", "I-PERS"]
    # common words are no names
    for word in ("قال", "العالم", "الرئيس", "وزير"):
        assert gaz.single(ner.word_key(word)) is None, word


def test_surnames_that_are_common_words_are_not_listed_alone() -> None:
    stop = build_gazetteers.surname_stop()
    # the stop list is keyed as the tagger keys words: ال with a glued و or ب, hamza forms and
    # ى need no line of their own
    assert {ner.word_key(w) for w in ("بري", "الهادئ", "والشريف", "بالشريف", "يحيي")} <= stop
    gaz = ner.parse_gazetteer(RESOURCE.read_text(encoding="utf-8"))
    for word in ("بري", "البري", "الهادئ", "هادي", "عادل", "الشريف", "مبارك", "الحوثي", "صدام",
                 "سلال", "ستون", "إيران", "واشنطن", "نوبل"):
        assert gaz.single(ner.word_key(word)) is None, word
    # the full names they end stay listed, and other surnames stay
    for name in ("نبيه بري", "عبدربه منصور هادي", "نواز شريف", "حسني مبارك", "عبدالملك الحوثي"):
        assert gaz.entries.get(tuple(ner.word_key(w) for w in name.split())) == "PERS", name
    for word in ("شارون", "أردوغان", "البشير", "المالكي"):
        assert gaz.single(ner.word_key(word)) == "PSUR", word


def test_every_stop_list_word_is_a_surname_of_the_source() -> None:
    # no line of the stop list is dead: each would otherwise be listed alone
    o_count, ent_count = build_gazetteers.train_counts()
    source = build_gazetteers.PEOPLE_SOURCE.read_text(encoding="utf-8")
    try:
        build_gazetteers.PEOPLE_USE_SURNAME_STOP = False
        unstopped = build_gazetteers.people_entries(source, o_count, ent_count)
    finally:
        build_gazetteers.PEOPLE_USE_SURNAME_STOP = True
    surnames = {ner.word_key(n) for n, t in unstopped.items() if t == "PSUR"}
    assert build_gazetteers.surname_stop() <= surnames
    assert len(build_gazetteers.surname_stop()) >= 80


def test_the_stop_list_applies_to_a_built_source() -> None:
    source = "نبيه بري\tPERS\nجورج بوش\tPERS"
    entries = build_gazetteers.people_entries(source, Counter(), Counter(), [])
    assert entries == {"نبيه بري": "PERS", "جورج بوش": "PERS", "بوش": "PSUR"}
