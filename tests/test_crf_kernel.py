"""The optional C module of the CRF tagger (`khabar.extract._crf_kernel`) against the numpy
path it stands in for: the same emission floats, bit for bit, the same tags and the same
entities; and `KHABAR_PURE_PYTHON=1` keeps to numpy. Where the module was not built (no C
compiler at install), the comparisons skip and the numpy path is what runs everywhere."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from khabar.extract import fast_crf

pytest.importorskip("pycrfsuite")

from khabar.extract.ner import (
    _fast_crf,
    _tag_features,
    entities_in_spans,
    load_extractor,
    tag_documents,
)
from khabar.text import split_sentences, token_spans

KERNEL = fast_crf.load_kernel()
needs_kernel = pytest.mark.skipif(KERNEL is None, reason="the C module was not built (no compiler "
                                  "at install, or KHABAR_PURE_PYTHON set)")

TEXTS = [
    ("قال وزير الخارجية المصري سامح عبد الرؤوف في القاهرة إن الحكومة ستدعم منظمة الصحة العالمية. "
    "وأضاف عبد الرؤوف أن شركة النيل للطيران نقلت ١٢٠ مسافرا إلى الخرطوم، ثم إلى جدة؟ "
    "وذكرت وكالة الأنباء الأردنية أن الملك زار مدينة إربد، بينما استقبل رئيس الوزراء سفير اليابان."),
    ("أعلنت وزارة الصحة في عمان عن إصابات جديدة. وقال الناطق باسم الجيش اللبناني إن الوضع هادئ. "
    "التقى وكريم بنزيمة بلاعبي ريال مدريد في باريس، وزار الرئيس محمد بن سلمان مدينة جدة أمس."),
    ("هطلت أمطار غزيرة. نعم. وأكد الأمين العام للأمم المتحدة أنطونيو غوتيريش في نيويورك أن "
    "المنظمة | ستواصل عملها، وقالت الدكتورة ليلى عبد الله من جامعة الملك سعود إن النتائج مشجعة."),
]


def _sentences(text: str) -> list[list[str]]:
    return [[t[0] for t in token_spans(text[a:b])] for a, b in split_sentences(text)]


# every shape the emission pass meets: empty sentences, one-word sentences, a lone document
# word, the pair separator inside a word, triggers before names, multi-word gazetteer names
DOCUMENTS = [_sentences(t) for t in TEXTS] + [
    [["قال", "وزير", "الخارجية", "سامح", "عبد", "الرؤوف", "إن", "الأمم", "المتحدة", "ستدعم"],
     ["أ|ب", "|", "زار", "الرئيس", "محمد", "بن", "سلمان", "مدينة", "جدة", "|"],
     ["القاهرة"], [], ["وزير", "الخارجية"], ["وقال", "الناطق", "باسم", "الجيش", "اللبناني"]],
    [["القاهرة"]],
    [[], ["جدة"], []],
    [["أ", "ب"]],
]


@pytest.fixture
def numpy_path() -> Iterator[None]:
    """The shared tagger on numpy for the test (and back to what it used after)."""
    crf = _fast_crf()
    kept = crf.kernel
    crf.kernel = None
    try:
        yield
    finally:
        crf.kernel = kept


def _both(run):  # type: ignore[no-untyped-def]
    """`run()` with the C module and with numpy, on the same tagger."""
    crf = _fast_crf()
    kept = crf.kernel
    try:
        crf.kernel = KERNEL
        with_c = run()
        crf.kernel = None
        with_numpy = run()
    finally:
        crf.kernel = kept
    return with_c, with_numpy


@needs_kernel
@pytest.mark.parametrize("sentences", DOCUMENTS)
def test_the_emission_floats_are_the_same_bit_for_bit(sentences: list[list[str]]) -> None:
    extractor = load_extractor()
    crf = _fast_crf()

    def run():  # type: ignore[no-untyped-def]
        keys: list = []
        return extractor.document_emissions(sentences, crf, keys), keys

    (with_c, keys_c), (with_numpy, keys_numpy) = _both(run)
    assert with_c.shape == with_numpy.shape == (sum(map(len, sentences)), len(crf.labels))
    assert with_c.tobytes() == with_numpy.tobytes()
    assert keys_c == keys_numpy
    # and they are the weights of the features the string path builds
    want = [crf._table[[crf.attribute_row(f) for f in feats]].sum(axis=0)
            for words in sentences if words for feats in extractor.sentence_features(words)]
    assert np.allclose(with_c, np.array(want).reshape(with_c.shape), atol=1e-9)


@needs_kernel
def test_the_tags_are_the_same_and_crfsuites() -> None:
    extractor = load_extractor()
    crf = _fast_crf()
    named = 0
    for sentences in DOCUMENTS:
        lengths = [len(s) for s in sentences]
        emissions = extractor.document_emissions(sentences, crf)
        with_c, with_numpy = _both(lambda: crf.tag_emissions(emissions, lengths))  # noqa: B023
        assert with_c == with_numpy == [_tag_features(extractor.sentence_features(s)) if s else []
                                        for s in sentences]
        named += sum(t != "O" for s in with_c for t in s)
    assert named > 10


@needs_kernel
def test_viterbi_ties_go_to_the_first_label_as_numpy_argmax_gives_them() -> None:
    """Scores built to tie (all equal, or equal in pairs): the paths must agree, which is
    where a different order of comparison would show."""
    crf = _fast_crf()
    n = len(crf.labels)
    rng = np.random.default_rng(7)
    emissions = np.concatenate([
        np.zeros((5, n)),
        np.repeat(rng.integers(0, 3, size=(7, (n + 1) // 2)).astype(float), 2, axis=1)[:, :n],
        rng.integers(-2, 2, size=(40, n)).astype(float),
    ])
    lengths = [5, 7, 1, 0, 39]
    with_c, with_numpy = _both(lambda: crf.tag_emissions(emissions, lengths))
    assert with_c == with_numpy
    assert [len(t) for t in with_c] == lengths


@needs_kernel
def test_tag_documents_and_entities_are_the_same() -> None:
    with_c, with_numpy = _both(lambda: tag_documents(DOCUMENTS))
    assert with_c == with_numpy
    for text in TEXTS:
        spans = split_sentences(text)
        c, numpy_ = _both(lambda: entities_in_spans(text, spans))  # noqa: B023
        assert c == numpy_ and c


@needs_kernel
def test_the_reserved_rows_hold_the_same_sums() -> None:
    """`fill_row` (a new word's rows, summed at once) gives the floats numpy's `reduceat`
    gives: real words, and groups of no feature, of unknown ones, of fewer than 8, of more
    than 128 and of more than 256 (numpy's pairwise sum splits them), repeats included."""
    import random

    from khabar.extract.ner import _tagger

    extractor = load_extractor()
    model = fast_crf.CachedCrf.model_of(_tagger())
    names = list(model[1])
    pick = random.Random(5)
    groups = [[], ["no such feature"], names[:3], names[5:20] + ["no such feature"],
              pick.sample(names, 129), pick.sample(names, 300), names[:7] * 3]
    words = ["الخارجية", "سامح", "وبالموصل", "G20", "«", "٣٫٥", "ـــ"]
    tables = []
    for kernel in (KERNEL, None):
        crf = fast_crf.CachedCrf(model=model)
        crf.kernel = kernel
        extractor.document_emissions([words], crf)
        rows = crf.group_rows("a key no word has", groups)
        tables.append((crf.table()[crf._base_rows : crf._used].tobytes(),
                       crf.table()[list(rows)].tobytes()))
    assert tables[0] == tables[1]
    assert len(tables[0][1]) == len(groups) * len(model[0]) * 8


@needs_kernel
def test_a_words_rows_in_one_call_are_the_rows_handed_out_one_by_one() -> None:
    """`new_rows` (a word's groups summed by one `fill_rows` call) takes the rows `_new_row`
    takes one by one (the rows of dropped words first, the last freed first, then new ones)
    and fills them with the same floats."""
    from khabar.caching import GenerationalCache
    from khabar.extract.ner import _tagger

    model = fast_crf.CachedCrf.model_of(_tagger())
    names = list(model[1])
    got = []
    for kernel in (KERNEL, None):
        crf = fast_crf.CachedCrf(model=model)
        crf.kernel = kernel
        crf.groups = GenerationalCache(2)
        handed = []
        for k in range(9):  # every second key ages the cache: the oldest keys' rows are freed
            groups = [names[k : k + 4], ["no such feature"], names[40 + k :: 997]][: 1 + k % 3]
            handed.append(crf.group_rows(f"key {k}", groups))
            crf.trim()
        got.append((handed, crf._free, crf.table()[: crf._used].tobytes()))
    assert got[0] == got[1]
    handed = got[0][0]
    assert set(handed[-1]) <= {row for rows in handed[:-1] for row in rows}  # all freed rows


@needs_kernel
def test_fill_rows_refuses_what_fill_row_refuses() -> None:
    crf = _fast_crf()
    table = crf.table()
    zero = crf.zero_row
    with pytest.raises(ValueError):
        KERNEL.fill_rows(table, [zero], crf.attributes, [[], []], zero)
    with pytest.raises(IndexError):
        KERNEL.fill_rows(table, [table.shape[0]], crf.attributes, [[]], zero)
    with pytest.raises(IndexError):
        KERNEL.fill_rows(table, [zero], crf.attributes, [[]], table.shape[0])
    with pytest.raises(TypeError):
        KERNEL.fill_rows(table, [zero], crf.attributes, [3], zero)


def test_the_numpy_path_alone_tags_as_crfsuite(numpy_path: None) -> None:
    """Without the C module (as an install with no compiler runs)."""
    extractor = load_extractor()
    crf = _fast_crf()
    assert crf.kernel is None
    for sentences in DOCUMENTS:
        got = crf.tag_emissions(extractor.document_emissions(sentences, crf),
                                [len(s) for s in sentences])
        assert got == [_tag_features(extractor.sentence_features(s)) if s else [] for s in sentences]


def test_khabar_pure_python_keeps_to_numpy() -> None:
    code = ("import khabar.extract.fast_crf as f, khabar.extract.ner as n; "
            "print(f.KERNEL is None, n._fast_crf().kernel is None)")
    env = {**os.environ, "KHABAR_PURE_PYTHON": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=True)
    assert done.stdout.split() == ["True", "True"]
    env["KHABAR_PURE_PYTHON"] = "0"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=True)
    built = importlib.util.find_spec("khabar.extract._crf_kernel") is not None
    assert done.stdout.split() == [str(not built)] * 2


@needs_kernel
def test_the_kernel_refuses_rows_outside_the_table() -> None:
    crf = _fast_crf()
    table = crf.table()
    out = np.empty((1, len(crf.labels)))
    zero = crf.zero_row
    info = [("x", "", "na", "x", "x")]

    def rows(word_rows, lengths, extra=(), trigger_rows=None):  # type: ignore[no-untyped-def]
        KERNEL.document_rows(table, out, word_rows, lengths, zero, zero, zero, ["x"], {}, None,
                             {}, 0, None, None, info, trigger_rows or {}, None, list(extra))

    rows([(zero,) * 5], [1])
    assert not out.any()
    with pytest.raises(IndexError):
        rows([(zero, zero, zero, zero, table.shape[0])], [1])
    with pytest.raises(IndexError):
        rows([(zero,) * 5], [1], [([1], [zero])])
    with pytest.raises(IndexError):
        rows([(zero,) * 5], [1], [([0], [-1])])
    with pytest.raises(ValueError):
        rows([(zero,) * 5], [2])
    with pytest.raises(TypeError):
        KERNEL.viterbi(np.zeros((2, 3), dtype=np.float32), [2], crf.transitions, crf.labels)
