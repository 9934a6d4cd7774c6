"""Exact and near-duplicate copy groups (khabar.stories.dedup)."""

from __future__ import annotations

import numpy as np
import pytest

from khabar.stories.dedup import (
    DedupIndex,
    _overlap,
    exact_hash,
    find_copy_groups,
    lsh_params,
    minhash,
    shingle_set,
)
from khabar.text import match_keys

WIRE = (
    "أعلنت وزارة الصحة العراقية، اليوم الاثنين، إطلاق حملة وطنية للتلقيح ضد الحصبة تستهدف "
    "أكثر من ثلاثة ملايين طفل في جميع المحافظات، وتستمر الحملة عشرة أيام. وقال المتحدث باسم "
    "الوزارة إن الفرق الصحية ستزور المنازل والمدارس، داعياً الأسر إلى التعاون مع الملاكات "
    "الطبية وعدم التردد في تلقيح الأطفال الذين تتراوح أعمارهم بين تسعة أشهر وخمس سنوات."
)
# the same wire text re-punctuated, with diacritics and a different alef spelling
WIRE_REENCODED = WIRE.replace("،", ",").replace("أعلنت", "اعلنت").replace("الصحة", "الصحّة")
# a reprint with a new dateline and one sentence cut
WIRE_EDITED = "بغداد - " + WIRE.replace(" وتستمر الحملة عشرة أيام.", "") + " المصدر: وكالات."
OTHER = (
    "ضربت سيول جارفة مدينة العقبة جنوب الأردن مساء الاثنين، ما أدى إلى وفاة اثني عشر شخصاً "
    "وإصابة آخرين، فيما أغلقت السلطات الطريق الصحراوي وأخلت عدداً من المنازل في الأحياء "
    "المنخفضة، وقالت مديرية الدفاع المدني إن فرق الإنقاذ ما زالت تبحث عن مفقودين."
)


def test_exact_hash_ignores_punctuation_diacritics_and_spelling_variants() -> None:
    assert exact_hash(match_keys(WIRE)) == exact_hash(match_keys(WIRE_REENCODED))
    assert exact_hash(match_keys(WIRE)) != exact_hash(match_keys(OTHER))
    assert exact_hash([]) == ""


def test_minhash_is_stable_and_estimates_jaccard() -> None:
    a, b = match_keys(WIRE), match_keys(WIRE_EDITED)
    sig = minhash(a)
    assert sig.dtype == np.uint32 and sig.shape == (128,)
    assert np.array_equal(sig, minhash(list(a)))  # deterministic across calls/processes
    near = (minhash(a) == minhash(b)).mean()
    far = (minhash(a) == minhash(match_keys(OTHER))).mean()
    assert near > 0.6
    assert far < 0.1


def test_exact_and_near_reprints_form_one_copy_group_with_outlet_count() -> None:
    groups = find_copy_groups([
        ("a1", "وكالة الرافدين", WIRE),
        ("b1", "صحيفة الفجر", OTHER),
        ("a2", "بوابة الشام", WIRE_REENCODED),
        ("a3", "صحيفة الفجر", WIRE_EDITED),
    ])
    assert len(groups) == 1
    group = groups[0]
    assert group.id == "a1" and group.members == ["a1", "a2", "a3"]
    assert group.n_outlets == 3
    assert not group.exact  # a3 is a near copy


def test_streaming_index_keeps_group_ids_and_forgets_old_signatures() -> None:
    index = DedupIndex(0.6)
    assert index.add("x", match_keys(WIRE), "o1") == "x"
    assert index.add("y", match_keys(WIRE_EDITED), "o2") == "x"
    assert index.add("x", match_keys(OTHER), "o1") == "x"  # an id seen before keeps its group
    index.forget(["x", "y"])
    # the near copy is no longer found through LSH, an exact copy still is
    assert index.add("z", match_keys(WIRE_EDITED + " تحديث"), "o3") == "z"
    assert index.add("w", match_keys(WIRE_REENCODED), "o4") == "x"


def test_short_texts_and_threshold_validation() -> None:
    index = DedupIndex()
    assert index.add("s1", match_keys("عاجل"), "o") == "s1"
    assert index.add("s2", match_keys("عاجل جدا"), "o") == "s2"
    # the same few words under two stories are a caption or a byline, not a reprint
    assert index.add("c1", match_keys("عبدالعزيز النغيمشي"), "o") == "c1"
    assert index.add("c2", match_keys("عبدالعزيز النغيمشي"), "o") == "c2"
    # a short flash of eight words printed twice is one
    flash = "عاجل: انقطاع التيار الكهربائي عن أحياء شرق المدينة منذ الصباح"
    assert index.add("f1", match_keys(flash), "o") == "f1"
    assert index.add("f2", match_keys(flash + "."), "o2") == "f1"
    with pytest.raises(ValueError):
        DedupIndex(0.0)
    bands, rows = lsh_params(0.8)
    assert bands * rows <= 128 and rows > 1


# Two statements of one ministry template (boilerplate and a verse) about two different men,
# towns and days: most shingles are shared, the name, town, nationality and date slots differ.
_TEMPLATE = (
    "أصدرت وزارة العدل اليوم بيانا بشأن تنفيذ حكم صادر بحق مروج مواد ممنوعة، وفيما يلي نص "
    "البيان: قال تعالى في محكم التنزيل إن العدل أساس الملك وإن الظلم مؤذن بخراب العمران. "
    "فقد ألقت الجهات المختصة القبض على المدعو {name} {nation} الجنسية إثر قيامه بترويج مواد "
    "ممنوعة في {town}، وأسفر التحقيق معه عن توجيه الاتهام إليه بما نسب له، وبإحالته إلى "
    "المحكمة المختصة صدر بحقه حكم يقضي بثبوت ما نسب إليه، وتم تنفيذ الحكم يوم {day} الموافق "
    "{date}هـ في {town}. والوزارة إذ تعلن ذلك لتؤكد حرصها على أمن المجتمع وسلامة أفراده، "
    "وتحذر كل من تسول له نفسه الإقدام على مثل هذه الأفعال بأن العقاب الشرعي سيكون مصيره."
)
STATEMENT_A = _TEMPLATE.format(name="سالم فرج العتيبي", nation="يمني", town="محافظة الدرعية",
                               day="الأحد", date="1437/03/12")
STATEMENT_B = _TEMPLATE.format(name="ناصر خليل البدوي", nation="أردني", town="محافظة المجمعة",
                               day="الاثنين", date="1437/03/13")
# a reprint of A: a new dateline, the date written day first, the last sentence cut
REPRINT_A = "الرياض - " + STATEMENT_A.replace("1437/03/12", "12/03/1437").rsplit(" وتحذر", 1)[0]


def test_statements_of_one_template_about_different_people_and_dates_are_no_copies() -> None:
    index = DedupIndex()
    sig_a = index.signature(match_keys(STATEMENT_A))
    sig_b = index.signature(match_keys(STATEMENT_B))
    j, _ = index.similarity(sig_a, 100, sig_b, 100)
    assert index.threshold <= j < index.distinct_below  # the Jaccard alone calls them copies
    groups = find_copy_groups([("a", "o1", STATEMENT_A), ("b", "o2", STATEMENT_B),
                               ("r", "o3", REPRINT_A)])
    assert [g.members for g in groups] == [["a", "r"]]  # the reprint, and nothing else


def test_number_marks_travel_with_the_signature_into_a_restored_index() -> None:
    first = DedupIndex()
    _, _, sig, ehash = first.match(match_keys(STATEMENT_A))
    assert len(sig) > first.num_perm  # the MinHash, then the number slots
    restored = DedupIndex()  # as a store loads it: what match returned, saved and read back
    saved = np.frombuffer(sig.tobytes(), dtype=np.uint32).copy()
    restored.restore("a", "a", saved, ehash, "o1", size=restored.n_shingles(match_keys(STATEMENT_A)))
    assert restored.add("b", match_keys(STATEMENT_B), "o2") == "b"
    assert restored.add("r", match_keys(REPRINT_A), "o3") == "a"
    # a signature stored before marks existed is a text without numbers: no veto
    old = DedupIndex()
    old.restore("a", "a", saved[: old.num_perm], ehash, "o1",
                size=old.n_shingles(match_keys(STATEMENT_A)))
    assert old.add("b", match_keys(STATEMENT_B), "o2") == "a"


def test_a_fingerprint_made_ahead_is_what_matching_computes_and_other_parameters_are_ignored() -> None:
    """Workers make each article's fingerprint with its features; matching takes it only when
    it was made with the index's own parameters, else it computes its own."""
    from khabar.model import Article
    from khabar.stories.cluster import features
    from khabar.stories.dedup import default_fingerprint

    keys = match_keys(STATEMENT_A)
    index = DedupIndex()
    _, _, sig, ehash = index.match(keys)
    made = default_fingerprint(keys)
    assert np.array_equal(made.signature, sig) and made.exact_hash == ehash
    assert len(made.signature) > index.num_perm  # with its number marks
    from khabar.stories.dedup import shingle_set

    assert np.array_equal(made.shingles, shingle_set(keys))  # the whole text's, for verifying
    assert DedupIndex(verify=False).fingerprint(keys).shingles is None
    f = features(Article(id="a", text=STATEMENT_A, body=STATEMENT_A))
    assert np.array_equal(f.fingerprint.signature, sig)

    index.restore("a", "a", sig, ehash, "o1", size=index.n_shingles(keys))
    other_keys = match_keys(REPRINT_A)
    assert index.match(other_keys, fingerprint=default_fingerprint(other_keys))[0] == "a"
    # made with 64 permutations: not this index's signature, so not used
    small = DedupIndex(num_perm=64).fingerprint(other_keys)
    assert small.params != index.signature_params
    other, _, own_sig, _ = index.match(other_keys, fingerprint=small)
    assert other == "a" and len(own_sig) >= index.num_perm
    # one with the right parameters is taken as it comes, not computed again
    marked = made._replace(exact_hash="0" * 16)
    assert index.match(keys, fingerprint=marked)[3] == "0" * 16


# Long texts made of sentences of our own: every sentence a different combination, so that
# a text of a few hundred words has few repeated shingles.
_VERBS = ("أعلن", "أكد", "نفى", "أوضح", "كشف", "بين", "ذكر", "رجح", "أفاد", "قال", "لفت")
_SUBJECTS = ("الوزير", "المحافظ", "رئيس البلدية", "المتحدث الرسمي", "مدير الشرطة",
             "قائد الدفاع المدني", "نقيب المهندسين")
_TOPICS = ("افتتاح الجسر الجديد", "تأجيل الامتحانات", "ارتفاع أسعار الخبز", "تمديد ساعات الدوام",
           "إغلاق الميناء", "توزيع المساعدات", "صيانة شبكة المياه", "إنشاء مستشفى للأطفال",
           "زيادة الرواتب", "ترميم المدارس", "نقل الأسواق", "حماية الغابات", "دعم المزارعين")
_PLACES = ("في المدينة القديمة", "في الضاحية الشرقية", "قرب الساحل", "في القرى الجبلية",
           "وسط العاصمة")
_FIRST = ("سامي", "ليلى", "مروان", "هدى", "كريم", "سلمى", "طارق", "نادية", "وليد", "رنا", "باسل",
          "عبير", "جميل", "دعاء", "فارس", "منى", "حسان")
_FAMILY = ("الخطيب", "النجار", "الحداد", "العطار", "الصباغ", "الفخراني", "البزاز", "الدباغ",
           "الصيرفي", "الخياط", "القباني", "الطحان", "السقا", "الزيات", "الحلاق", "النحاس",
           "الجزار", "الفران", "الشماع")


def _sentences(start: int, n: int) -> str:
    return " ".join(f"{_VERBS[i % 11]} {_SUBJECTS[i % 7]} {_FIRST[i // 7 % 17]} "
                    f"{_FAMILY[i // 3 % 19]} أن {_TOPICS[i % 13]} سيكون {_PLACES[i % 5]} قريبا."
                    for i in range(start, start + n))


_TEAMS = ("النادي الأهلي", "فريق الشباب", "نادي الوحدة", "فريق النصر", "نادي الاتحاد",
          "فريق الرائد", "نادي الفيصلي")
_WEATHER = ("تهب رياح نشطة", "تنخفض درجات الحرارة", "تتكون سحب ركامية", "يسود طقس معتدل",
            "تتشكل موجة غبار", "ترتفع نسبة الرطوبة", "تهطل أمطار خفيفة", "يتكون ضباب كثيف",
            "تشتد سرعة الرياح", "يعود الجو صحوا", "تتراجع مدى الرؤية")


def _matches(start: int, n: int) -> str:
    return " ".join(f"فاز {_TEAMS[i % 7]} على ضيفه {_FIRST[i // 7 % 17]} {_FAMILY[i % 19]} "
                    f"في مباراة الجولة {_PLACES[i // 2 % 5]}." for i in range(start, start + n))


def _weather(start: int, n: int) -> str:
    return " ".join(f"{_WEATHER[i % 11]} على {_PLACES[i % 5]} حيث يتوقع {_FIRST[i % 17]} "
                    f"{_FAMILY[i // 5 % 19]} ذلك." for i in range(start, start + n))


# two texts that open with the same 40 sentences (more than the 250 words a MinHash signature
# covers) and go on with 50 sentences of their own each; and a reprint of the first, cut short
SHARED_HEAD = _sentences(0, 40)
LONG_A = SHARED_HEAD + " " + _matches(0, 50)
LONG_B = SHARED_HEAD + " " + _weather(0, 50)
LONG_A_CUT = SHARED_HEAD + " " + _matches(0, 30)


def test_copies_are_judged_on_the_whole_texts_not_on_the_signature_window() -> None:
    keys_a, keys_b = match_keys(LONG_A), match_keys(LONG_B)
    index = DedupIndex()
    assert len(keys_a) > index.max_words and keys_a[: index.max_words] == keys_b[: index.max_words]
    # the MinHash windows are the same text ...
    assert np.array_equal(index.signature(keys_a), index.signature(keys_b))
    # ... the whole texts share less than half of their shingles: two texts, no copy
    assert find_copy_groups([("a", "o1", LONG_A), ("b", "o2", LONG_B)]) == []
    assert not index.compare(keys_a, keys_b)
    groups = find_copy_groups([("a", "o1", LONG_A), ("b", "o2", LONG_B), ("c", "o3", LONG_A_CUT)])
    assert [g.members for g in groups] == [["a", "c"]]  # the cut reprint: contained in a
    # the estimate on the windows alone (verify=False) calls them copies
    estimated = DedupIndex(verify=False)
    assert estimated.compare(keys_a, keys_b)
    assert estimated.add("a", keys_a) == "a" and estimated.add("b", keys_b) == "a"


def test_a_restored_article_is_checked_on_the_keys_its_lookup_gives() -> None:
    keys_a, keys_b = match_keys(LONG_A), match_keys(LONG_B)
    first = DedupIndex()
    _, _, sig, ehash = first.match(keys_a)
    size = first.n_shingles(keys_a)
    # restored without its shingle set and with no lookup: judged on the MinHash estimate
    blind = DedupIndex()
    blind.restore("a", "a", sig, ehash, "o1", size=size)
    assert blind.add("b", keys_b, "o2") == "a"
    # with a lookup (a store reads the article's body again): judged on the whole texts
    asked = []
    restored = DedupIndex(keys_lookup=lambda aid: asked.append(aid) or keys_a)
    restored.restore("a", "a", sig, ehash, "o1", size=size)
    assert restored.add("b", keys_b, "o2") == "b"
    assert restored.add("c", match_keys(LONG_A_CUT), "o3") == "a"
    assert asked == ["a"]  # once: the set is kept while the article is indexed


# A report of 20 sentences; a rewrite of it that keeps 13 and writes 7 of its own (word
# 3-shingle Jaccard 0.56 over the whole texts); a cut reprint that keeps 9 of its sentences and
# adds 2 (Jaccard 0.48, 82% of its shingles in the report); a text that quotes 7 of them and
# adds 2 (Jaccard 0.39, 78%)
REPORT = _sentences(0, 20)
REPORT_REWRITE = _sentences(0, 13) + " " + _matches(0, 7)
REPORT_CUT = _sentences(0, 9) + " " + _weather(0, 2)
REPORT_QUOTED = _sentences(0, 7) + " " + _weather(5, 2)


def test_default_thresholds_take_a_half_rewritten_or_cut_report_and_leave_a_text_quoting_it(
) -> None:
    index = DedupIndex()
    # containment 0.8: the benchmark's own test of a whole-body near-duplicate
    assert (index.threshold, index.containment) == (0.5, 0.8)
    report, rewrite, cut, quoted = (match_keys(t) for t in (REPORT, REPORT_REWRITE, REPORT_CUT,
                                                             REPORT_QUOTED))
    assert index.compare(report, rewrite)
    assert index.compare(report, cut)  # refused at the containment of 0.85 used before
    assert not index.compare(report, quoted)
    groups = find_copy_groups([("r", "o1", REPORT), ("w", "o2", REPORT_REWRITE),
                               ("c", "o3", REPORT_CUT)])
    assert [g.members for g in groups] == [["r", "w", "c"]]
    assert find_copy_groups([("r", "o1", REPORT), ("q", "o4", REPORT_QUOTED)]) == []


# An audience report printed by three papers, a short cable, and a page that holds the
# audience (its last sentence cut) and then the cable: a copy of all four texts, which copy
# nothing of each other.
AUDIENCE = _sentences(100, 20)
CABLE = _matches(0, 4)
PAGE = _sentences(100, 19) + " " + CABLE


def test_a_text_copying_two_groups_joins_the_one_it_copies_most_members_of() -> None:
    keys = {name: match_keys(text) for name, text in (("a", AUDIENCE), ("c", CABLE),
                                                      ("p", PAGE))}
    # one-row bands: the cable, a sixth of the page, is a candidate (it is for 5 bands of 128)
    index = DedupIndex(lsh_threshold=0.05)
    assert not index.compare(keys["a"], keys["c"])
    assert index.compare(keys["p"], keys["a"]) and index.compare(keys["p"], keys["c"])
    for i, outlet in enumerate(("o1", "o2", "o3")):
        assert index.add(f"x{i}", keys["a"] if i != 1 else ["الرياض"] + keys["a"], outlet) == "x0"
    assert index.add("b", keys["c"], "o4") == "b"
    # the cable is the closer copy (all of it is in the page; 95% of the audience is), but the
    # page copies the three members of the audience's group and one of the cable's
    assert index.add("p", keys["p"], "o5") == "x0"
    # the same decision in an index restored as a store restores it
    restored = DedupIndex(lsh_threshold=0.05)
    for aid, text in (("x0", keys["a"]), ("x1", ["الرياض"] + keys["a"]), ("x2", keys["a"]),
                      ("b", keys["c"])):
        _, _, sig, ehash = index.match(text)
        restored.restore(aid, index.group_of(aid) or aid, sig, ehash,
                         size=restored.n_shingles(text), shingles=text)
    assert restored.match(keys["p"])[0] in {"x0", "x1", "x2"}
    # with two of the audience's copies gone from the window, one member each: the closer copy
    restored.forget(["x1", "x2"])
    assert restored.match(keys["p"])[0] == "b"


def test_a_chain_of_texts_each_copying_the_one_before_is_cut() -> None:
    """Nine texts, each a copy of the one before it (Jaccard 0.65) and of no older one (0.39):
    the statements of one template on successive days. Each joins the group while the one
    member it copies is at least `join_share` of the group's members; then a new group starts."""
    texts = [match_keys(_sentences(6 * i, 20)) for i in range(9)]
    index = DedupIndex()
    assert index.compare(texts[0], texts[1]) and not index.compare(texts[0], texts[2])
    groups = [index.add(f"d{i}", keys, f"o{i}") for i, keys in enumerate(texts)]
    cut = next(i for i in range(1, 9) if 1 / i < index.join_share)  # 7 at 0.15
    assert groups == ["d0"] * cut + [f"d{cut}"] * (9 - cut)
    # one text copying one member of a group of two joins it all the same
    assert DedupIndex(join_share=0.5).add("x", texts[1], "o") == "x"  # a new index: nothing


# A compilation page: a report and a results bulletin printed one after the other, each text
# also printed alone before it (they share nothing with each other).
BULLETIN = _matches(0, 6)
COMPILATION = _sentences(0, 6) + " " + BULLETIN


def test_a_compilation_page_records_a_copy_of_each_text_it_holds() -> None:
    report, bulletin, page = (match_keys(t) for t in (_sentences(0, 6), BULLETIN, COMPILATION))
    index = DedupIndex()
    assert not index.compare(report, bulletin)
    assert index.compare(page, report) and index.compare(page, bulletin)
    assert index.add("r", report, "o1") == "r"
    assert index.add("b", bulletin, "o2") == "b"
    group = index.add("p", page, "o3")
    # one copy group only (a partition), but both copies recorded, with their similarity
    assert group in {"r", "b"}
    copies = index.copies_of("p")
    assert sorted(c.id for c in copies) == ["b", "r"]
    for c in copies:
        assert c.containment == 1.0 and 0.3 < c.jaccard < 0.7
    assert index.copies_of("r") == () and index.copies_of("b") == ()
    # an exact reprint of the page copies the page and, as the page does, both texts
    assert index.add("p2", page, "o4") == group
    assert index.copies_of("p2")[0].id == "p"
    assert index.copies_of("p2")[0][1:] == (1.0, 1.0)
    assert sorted(c.id for c in index.copies_of("p2")) == ["b", "p", "r"]
    # adding an article again changes nothing; forgetting it drops what was recorded
    assert index.add("p", page, "o3") == group and len(index.copies_of("p")) == 2
    index.forget(["p"])
    assert index.copies_of("p") == ()


def test_copies_are_recorded_across_groups_and_not_for_refused_templates() -> None:
    """A chain of texts each copying the one before: each records only the one it copies,
    whichever group that one is in."""
    texts = [match_keys(_sentences(6 * i, 20)) for i in range(9)]
    index = DedupIndex()
    groups = [index.add(f"d{i}", keys, f"o{i}") for i, keys in enumerate(texts)]
    assert len(set(groups)) == 2
    assert [[c.id for c in index.copies_of(f"d{i}")] for i in range(9)] == \
        [[]] + [[f"d{i - 1}"] for i in range(1, 9)]
    # two statements of one template are refused: the reprint of A records A, not B
    index = DedupIndex()
    for aid, text in (("a", STATEMENT_A), ("b", STATEMENT_B), ("r", REPRINT_A)):
        index.add(aid, match_keys(text), "o")
    assert index.copies_of("b") == ()
    assert [c.id for c in index.copies_of("r")] == ["a"]


def test_restore_after_forget_still_puts_the_text_in_the_tables() -> None:
    # match() keeps the buckets its band keys found for restore(); forget() in between
    # changes the tables, and the text must still be found by its copies afterwards
    index = DedupIndex()
    index.add("a", match_keys(WIRE), "x")
    index.add("b", match_keys(WIRE_EDITED), "y")
    other, _, sig, ehash = index.match(match_keys(WIRE_REENCODED))
    assert other == "a"
    index.forget(["a", "b"])
    index.restore("c", "a", sig, ehash, "z", size=index.n_shingles(match_keys(WIRE_REENCODED)))
    assert index.add("d", match_keys(WIRE_EDITED), "w") == "a"
    # b, forgotten, is still known by its exact hash; c is found in the tables; a is gone
    assert [copy.id for copy in index.copies_of("d")] == ["b", "c"]
    assert not any(bucket == "a" or "a" in bucket for table in index._tables
                   for bucket in table.values())


def test_a_text_longer_than_the_window_is_verified_on_its_whole_shingle_set() -> None:
    # match() hashes the window's keys once, for the signature and for the shingle set; the
    # keys past the window still count in the exact Jaccard and containment
    long_text = match_keys(" ".join([WIRE, OTHER] * 6))
    index = DedupIndex()
    assert index.max_words is not None and len(long_text) > index.max_words
    index.add("a", long_text, "x")
    tail_cut = long_text[: len(long_text) - 40]
    index.add("b", tail_cut, "y")
    set_a, set_b = shingle_set(long_text), shingle_set(tail_cut)
    inter = _overlap(set_a, set_b)
    (copy,) = index.copies_of("b")
    assert copy.id == "a"
    assert copy.jaccard == inter / (len(set_a) + len(set_b) - inter)
    assert copy.containment == inter / min(len(set_a), len(set_b))
