"""Resources kept in their parsed form (`khabar.compiled`): read back as they were parsed, parsed
again when their data or code changes, and never needed (no folder, a broken file)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from khabar.compiled import cache_dir, compiled


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return value
    return calls, build


def test_a_result_is_built_once_then_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path / "kept"))
    value = {("قال", "وزير"): "PERS", "n": [1, 2.5, None]}
    calls, build = _counting(value)
    assert compiled("t-a", [b"data", b"code"], build) == value
    assert compiled("t-a", [b"data", b"code"], build) == value
    assert calls == [1]
    assert len(list((tmp_path / "kept").glob("t-a-*.pickle"))) == 1


def test_changed_inputs_are_built_again_and_the_old_file_goes(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path))
    calls, build = _counting(1)
    compiled("t-b", [b"data", b"code"], build)
    compiled("t-b", [b"data", b"code, edited"], build)
    compiled("t-b", [b"data, edited", b"code, edited"], build)
    # the same bytes split differently are other inputs
    compiled("t-b", [b"data, edite", b"dcode, edited"], build)
    assert calls == [1, 1, 1, 1]
    assert len(list(tmp_path.glob("t-b-*.pickle"))) == 1
    compiled("t-b", [b"data, edite", b"dcode, edited"], build)
    assert calls == [1, 1, 1, 1]
    # another resource's file is left alone
    compiled("t-b2", [b"data"], build)
    assert len(list(tmp_path.glob("t-b*.pickle"))) == 2


def test_a_broken_file_is_built_again_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path))
    calls, build = _counting([1, 2, 3])
    compiled("t-c", [b"x"], build)
    (path,) = tmp_path.glob("t-c-*.pickle")
    path.write_bytes(path.read_bytes()[:5])  # cut short
    assert compiled("t-c", [b"x"], build) == [1, 2, 3]
    assert compiled("t-c", [b"x"], build) == [1, 2, 3]
    assert calls == [1, 1]


def test_turned_off_or_unwritable_means_built_every_time(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_CACHE_DIR", "")
    assert cache_dir() is None
    calls, build = _counting("v")
    assert compiled("t-d", [b"x"], build) == "v"
    assert compiled("t-d", [b"x"], build) == "v"
    assert calls == [1, 1]
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(blocked / "kept"))
    assert compiled("t-d", [b"x"], build) == "v"
    assert calls == [1, 1, 1]
    monkeypatch.delenv("KHABAR_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "khabar"


def test_no_temporary_file_is_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path))
    compiled("t-e", [b"x"], lambda: list(range(1000)))
    # a value pickle cannot write: returned, nothing kept, no temporary file left behind
    assert callable(compiled("t-f", [b"x"], lambda: (lambda: None)))
    assert sorted(p.name.split("-")[1] for p in tmp_path.iterdir()) == ["e"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_the_shipped_gazetteers_and_crf_read_back_as_parsed(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """What an ingest loads from the folder is what parsing the shipped files gives: the same
    entries in the same order, the same CRF arrays (so the same tags)."""
    pytest.importorskip("pycrfsuite")
    import numpy as np

    from khabar.extract import ner
    from khabar.extract.fast_crf import CachedCrf

    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path))
    for name, _src in ner.GAZETTEER_FILES:
        parsed = ner.parse_gazetteer(ner.resource_text(name))
        ner.load_gazetteer.cache_clear()
        try:
            built = ner.load_gazetteer(name)  # parsed, then kept
            ner.load_gazetteer.cache_clear()
            read = ner.load_gazetteer(name)  # read back
        finally:
            ner.load_gazetteer.cache_clear()
        assert read is not built
        assert len(list(tmp_path.glob(f"ner-{name}-*.pickle"))) == 1
        for gaz in (built, read):
            assert list(gaz.entries.items()) == list(parsed.entries.items())
            assert list(gaz.by_first.items()) == list(parsed.by_first.items())
            assert gaz.openings == parsed.openings

    def in_a_new_thread() -> CachedCrf:  # `_fast_crf` keeps one per thread
        got: list[CachedCrf] = []
        thread = threading.Thread(target=lambda: got.append(ner._fast_crf()))
        thread.start()
        thread.join()
        return got[0]

    plain = CachedCrf.model_of(ner._tagger())
    for _ in range(2):  # parsed and kept, then read back
        crf = in_a_new_thread()
        assert crf.labels == plain[0]
        assert list(crf.attributes.items()) == list(plain[1].items())
        assert np.array_equal(crf._table[: crf._base_rows], plain[2])
        assert np.array_equal(crf.transitions, plain[3])
    assert len(list(tmp_path.glob("crf-*.pickle"))) == 1
    assert os.access(next(tmp_path.glob("crf-*.pickle")), os.R_OK)
