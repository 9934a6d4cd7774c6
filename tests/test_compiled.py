"""Resources kept in their parsed form (`khabar.compiled`): read back as they were parsed, parsed
again when their data or code changes, and never needed (no folder, a broken file)."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from khabar import compiled as compiled_module
from khabar.compiled import cache_dir, compiled

ROOT = Path(__file__).resolve().parents[1]


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
    # the two most recently used digests are kept (two checkouts do not evict each other)
    assert len(list(tmp_path.glob("t-b-*.pickle"))) == compiled_module.KEEP == 2
    compiled("t-b", [b"data, edite", b"dcode, edited"], build)
    compiled("t-b", [b"data, edited", b"code, edited"], build)
    assert calls == [1, 1, 1, 1]
    # another resource's file is left alone, even one whose name starts with this one's
    compiled("t-b-x", [b"data"], build)
    compiled("t-b", [b"data"], build)
    assert len(list(tmp_path.glob("t-b-x-*.pickle"))) == 1
    assert len(list(tmp_path.glob("t-b-*.pickle"))) == 3


def test_a_broken_file_is_built_again_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path))
    calls, build = _counting([1, 2, 3])
    compiled("t-c", [b"x"], build)
    (path,) = tmp_path.glob("t-c-*.pickle")
    whole = path.read_bytes()
    path.write_bytes(whole[:5])  # cut short
    assert compiled("t-c", [b"x"], build) == [1, 2, 3]
    assert compiled("t-c", [b"x"], build) == [1, 2, 3]
    assert calls == [1, 1]
    for broken in (b"", b"not a pickle at all", whole + b"more", whole[:-1],
                   pickle.dumps("something else")):
        path.write_bytes(broken)
        assert compiled("t-c", [b"x"], build, check=lambda v: isinstance(v, list)) == [1, 2, 3]
        assert path.read_bytes() == whole  # rebuilt and written again
    assert calls == [1, 1, 1, 1, 1, 1, 1]
    path.unlink()
    path.mkdir()  # not even a file
    assert compiled("t-c", [b"x"], build) == [1, 2, 3]
    assert calls == [1] * 8


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
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/xdg")  # the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "khabar"


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


# ----------------------------------------------------------------- invalidation by the real code


def test_an_edit_to_the_parsing_code_or_a_resource_is_parsed_again(tmp_path: Path) -> None:
    """A copy of the package, edited as a developer would (a comment in the clitic splitter the
    gazetteers' keys go through, a line in a gazetteer): each edit is a new file, parsed again
    in a fresh process, and the edited parse is what is loaded."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "khabar", src / "khabar",
                    ignore=shutil.ignore_patterns("__pycache__", "demo"))
    kept = tmp_path / "kept"
    env = dict(os.environ, PYTHONPATH=str(src), KHABAR_CACHE_DIR=str(kept))
    code = ("from khabar.extract import ner; g = ner.load_gazetteer('gaz_people.tsv'); "
            "print(len(g), g.single(ner.word_key('زرزوريستان')))")

    def run() -> tuple[str, list[str]]:
        res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True, cwd=tmp_path)
        assert res.stderr == ""
        return res.stdout.split("\n")[0], sorted(p.name for p in kept.glob("ner-gaz_people*"))

    first, files = run()
    assert len(files) == 1
    assert run() == (first, files)  # read back: the same file
    tokens = src / "khabar" / "text" / "tokens.py"
    tokens.write_text(tokens.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited_code, files2 = run()
    assert edited_code == first and len(files2) == 2 and files[0] in files2
    gaz = src / "khabar" / "resources" / "ner" / "gaz_people.tsv"
    gaz.write_text(gaz.read_text(encoding="utf-8") + "زرزوريستان\tPERS\n", encoding="utf-8")
    edited_data, files3 = run()
    n = int(first.split()[0])
    assert edited_data == f"{n + 1} PERS"
    assert len(files3) == 2 and files[0] not in files3  # the least recently used one went


# ----------------------------------------------------------------- several writers at once


def _writer(folder: str, rounds: int) -> None:
    os.environ["KHABAR_CACHE_DIR"] = folder
    value = _BIG
    path = Path(folder) / f"t-conc-{'0' * 32}.pickle"
    for _ in range(rounds):
        compiled_module._save(Path(folder), "t-conc", path, value)


def _reader(folder: str, rounds: int, out: str) -> None:
    path = Path(folder) / f"t-conc-{'0' * 32}.pickle"
    bad = 0
    for _ in range(rounds):
        value = compiled_module._load(Path(folder), path)
        if value != _BIG:
            bad += 1
    Path(out).write_text(str(bad))


_BIG = {"words": [f"كلمة{i}" for i in range(60_000)], "n": list(range(60_000))}


def test_several_processes_writing_at_once_never_let_a_half_file_be_read(tmp_path: Path) -> None:
    """Two writers replacing the same file over and over (two workers, two CLI runs starting at
    once) while two processes read it: every read finds the whole value, no temporary file is
    left behind."""
    import multiprocessing

    folder = tmp_path / "kept"
    compiled_module._save(folder, "t-conc", folder / f"t-conc-{'0' * 32}.pickle", _BIG)
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(folder), 40)) for _ in range(2)]
    procs += [ctx.Process(target=_reader, args=(str(folder), 60, str(tmp_path / f"r{i}")))
              for i in range(2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    assert [(tmp_path / f"r{i}").read_text() for i in range(2)] == ["0", "0"]
    assert [p.name for p in folder.iterdir()] == [f"t-conc-{'0' * 32}.pickle"]


# ----------------------------------------------------------------- whose files are read


def _planted(tmp_path: Path, marker: Path) -> bytes:
    """A pickle that, unpickled, creates `marker` (what a file planted by someone else could do)."""

    class Plant:
        def __reduce__(self):
            return (Path.touch, (marker,))
    return pickle.dumps(Plant())


def test_a_file_others_can_write_is_never_unpickled(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "kept"
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(folder))
    calls, build = _counting("parsed")
    compiled("t-g", [b"x"], build)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (path,) = folder.glob("t-g-*.pickle")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    marker = tmp_path / "ran"
    planted = _planted(tmp_path, marker)
    # writable by the group, or by others: not read, parsed again and replaced by a 0600 file
    for mode in (0o620, 0o602, 0o666):
        path.write_bytes(planted)
        path.chmod(mode)
        assert compiled("t-g", [b"x"], build) == "parsed"
        assert not marker.exists()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(calls) == 4
    # a symbolic link (to a file of ours that says anything) is not followed
    elsewhere = tmp_path / "elsewhere.pickle"
    elsewhere.write_bytes(planted)
    elsewhere.chmod(0o600)
    path.unlink()
    path.symlink_to(elsewhere)
    assert compiled("t-g", [b"x"], build) == "parsed"
    assert not marker.exists()
    assert not path.is_symlink()
    # a folder others can write in is not used at all (neither read nor written)
    path.write_bytes(planted)
    path.chmod(0o600)
    folder.chmod(0o777)
    try:
        assert compiled("t-g", [b"x"], build) == "parsed"
        assert compiled("t-g", [b"x"], build) == "parsed"
        assert not marker.exists()
        assert path.read_bytes() == planted
    finally:
        folder.chmod(0o700)
    assert len(calls) == 7
    # the control: the same planted file, ours and 0600 in our 0700 folder, is read (as any
    # file the cache wrote itself would be)
    compiled("t-g", [b"x"], build)
    assert marker.exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to give a file to another user")
def test_a_file_or_folder_of_another_user_is_never_unpickled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "kept"
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(folder))
    calls, build = _counting("parsed")
    compiled("t-h", [b"x"], build)
    (path,) = folder.glob("t-h-*.pickle")
    marker = tmp_path / "ran"
    path.write_bytes(_planted(tmp_path, marker))
    os.chown(path, 65534, 65534)
    assert compiled("t-h", [b"x"], build) == "parsed"
    assert not marker.exists()
    assert path.stat().st_uid == 0  # replaced by ours
    path.write_bytes(_planted(tmp_path, marker))
    os.chown(folder, 65534, 65534)
    assert compiled("t-h", [b"x"], build) == "parsed"
    assert not marker.exists()
    assert calls == [1, 1, 1]


# ----------------------------------------------------------------- no home, no room


def _quiet_run(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=False, cwd=cwd, timeout=300)


def test_tagging_with_no_writable_home_works_and_says_nothing(tmp_path: Path) -> None:
    """A home that cannot be written (as root, whom file modes do not stop: /proc), a home that
    is a file, no $HOME (the password database's home then): `khabar tag` tags as ever, prints nothing on stderr, and leaves
    no folder behind."""
    text = "قال\tO\nالرئيس\tO\nعبد\tO\nالفتاح\tO\nالسيسي\tO\nفي\tO\nالقاهرة\tO\n"
    conll = tmp_path / "in.conll"
    conll.write_text(text, encoding="utf-8")
    base = {k: v for k, v in os.environ.items()
            if k not in ("HOME", "XDG_CACHE_HOME", "KHABAR_CACHE_DIR")}
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    readonly = tmp_path / "readonly-home"
    readonly.mkdir()
    readonly.chmod(0o500)
    homes = [str(a_file), str(readonly), ""]
    if os.path.isdir("/proc"):
        homes.append("/proc")
    outputs = set()
    for home in homes:
        env = dict(base, HOME=home) if home else dict(base)
        res = subprocess.run([sys.executable, "-m", "khabar", "tag", str(conll)], env=env,
                             check=False, capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert res.returncode == 0, res.stderr
        assert res.stderr == ""
        outputs.add(res.stdout)
    assert len(outputs) == 1 and "B-PERS" in outputs.pop()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "in.conll", "readonly-home"]
    readonly.chmod(0o700)


def test_a_full_disk_means_parsed_as_before_and_nothing_left(tmp_path: Path) -> None:
    """Writing fails part way (a file size limit: EFBIG, as a full disk gives ENOSPC): the
    value is returned, no file and no temporary file is left, nothing is printed."""
    folder = tmp_path / "kept"
    code = (
        "import resource, signal\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))\n"
        "from khabar.compiled import compiled\n"
        "v = compiled('t-i', [b'x'], lambda: list(range(100000)))\n"
        "w = compiled('t-i', [b'x'], lambda: list(range(100000)))\n"
        "print(len(v), len(w))\n"
    )
    env = dict(os.environ, KHABAR_CACHE_DIR=str(folder))
    res = _quiet_run(code, env, tmp_path)
    assert res.returncode == 0, res.stderr
    assert (res.stdout, res.stderr) == ("100000 100000\n", "")
    assert list(folder.iterdir()) == []


def test_a_killed_writers_leftover_is_removed_in_time(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path))
    old_tmp = tmp_path / ".t-j-abc123_x.tmp"
    new_tmp = tmp_path / ".t-j-def456.tmp"
    stale = tmp_path / f"t-gone-{'a' * 32}.pickle"  # a resource no longer used
    unrelated = tmp_path / "notes.txt"
    for path in (old_tmp, new_tmp, stale, unrelated):
        path.write_bytes(b"x")
    long_ago = 1_000_000_000
    os.utime(old_tmp, (long_ago, long_ago))
    os.utime(stale, (long_ago, long_ago))
    compiled("t-j", [b"x"], lambda: 1)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([new_tmp.name, unrelated.name,
                           next(tmp_path.glob("t-j-*.pickle")).name])
