"""The `khabar` command driven through click's runner on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar.cli import cli
from khabar.corpus import Corpus

ARTICLE = (
    "وزير الري يفتتح سداً جديداً في الشمال\n"
    "آخر تحديث:\n"
    "افتتح وزير الري سامر الحلبي صباح اليوم سداً جديداً على نهر الزاب، "
    "وقال إن السد سيوفر المياه لـ 40 ألف هكتار.\n"
    "وأضاف الوزير أن العمل بدأ قبل ثلاث سنوات.\n"
)


def run(db: Path, *args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=input, catch_exceptions=False)


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_ingest_seeds_twice_reports_duplicates(seeds_dir: Path, db_path: Path) -> None:
    first = run(db_path, "ingest", str(seeds_dir), "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert (report["read"], report["new"], report["duplicate"], report["quarantined"]) == (2, 2, 0, 0)
    second = run(db_path, "ingest", str(seeds_dir))
    assert second.exit_code == 0
    assert "2 read: 0 new, 2 duplicate" in second.output
    assert "nothing new" in second.output
    assert len(json_lines(run(db_path, "articles", "--json").output)) == 2


@pytest.mark.parametrize("query", ["الموصل", "موصل", "بالموصل", "المَوصِل"])
def test_search_finds_both_seeds_with_or_without_the_article(seeds_dir: Path, db_path: Path, query: str) -> None:
    run(db_path, "ingest", str(seeds_dir))
    hits = json_lines(run(db_path, "search", query, "--json").output)
    assert len(hits) == 2
    assert all(h["snippet"] for h in hits)


def test_search_matches_spelling_variants_of_american(seeds_dir: Path, db_path: Path) -> None:
    run(db_path, "ingest", str(seeds_dir / "002_94bb885acc549282.txt"))
    # That seed only ever writes الأميركي/الأميركية.
    hits = json_lines(run(db_path, "search", "الأمريكي", "--json").output)
    assert len(hits) == 1


def test_json_output_keeps_arabic_unescaped(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run(db_path, "ingest", str(tmp_path / "a.txt"))
    out = run(db_path, "articles", "--json").output
    assert "وزير الري" in out and "\\u" not in out
    row = json_lines(out)[0]
    assert row["title"] == "وزير الري يفتتح سداً جديداً في الشمال"
    shown = json.loads(run(db_path, "show", row["id"], "--json").output)
    assert shown["text"] == ARTICLE
    for sentence in shown["sentences"]:
        assert ARTICLE[sentence["start"] : sentence["end"]] == sentence["text"]


def test_same_article_in_three_encodings_gets_one_id(db_path: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "utf8.txt").write_bytes(ARTICLE.encode("utf-8"))
    (batch / "win.txt").write_bytes(ARTICLE.encode("cp1256"))
    (batch / "utf16.txt").write_bytes(ARTICLE.encode("utf-16"))
    (batch / "utf16-crlf.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-16"))
    report = json.loads(run(db_path, "ingest", str(batch), "--json").output)
    assert (report["new"], report["duplicate"]) == (1, 3)


def test_binary_and_empty_files_are_quarantined_and_the_rest_lands(db_path: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (batch / "empty.txt").write_bytes(b"")
    (batch / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8)
    (batch / "other.txt").write_text("خبر آخر\nسقطت أمطار خفيفة على العاصمة مساء أمس.", encoding="utf-8")
    result = run(db_path, "ingest", str(batch), "--json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert (report["new"], report["quarantined"]) == (2, 2)
    rows = json_lines(run(db_path, "quarantine", "--json").output)
    reasons = {Path(r["origin"]).name: r["reason"] for r in rows}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["photo.jpg"]


def test_ingest_summary_keeps_quarantine_and_skip_reasons_apart(db_path: Path, tmp_path: Path) -> None:
    from khabar.corpus import IngestReport

    report = IngestReport(read=13, new=8, quarantined=7, skipped=4)
    report.reasons = {"WARC file ends inside record N": 1, "empty file": 1,
                      "field 'author' is an object with no name/title/label key, not text": 1,
                      "a": 1, "b": 1, "c": 1, "d": 1}
    report.skipped_reasons = {"not HTML": 2, "HTTP status 404": 1, "HTTP status 301": 1}
    assert report.summary() == (
        "13 read: 8 new, 0 duplicate, 7 quarantined (WARC file ends inside record N ×1, a ×1,"
        " b ×1, c ×1, d ×1, … and 2 more), 4 skipped (not HTML ×2, HTTP status 301 ×1,"
        " HTTP status 404 ×1)")
    # whole reasons, cut at a word and never inside parentheses
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (batch / "empty.txt").write_bytes(b"")
    (batch / "list.jsonl").write_text(
        '{"text": "سقطت أمطار خفيفة على العاصمة مساء أمس.", "outlet": {"id": 4}}\n'
        '{"text": [{"p": "فقرة"}]}\n{"text": "x", "id": \n', encoding="utf-8")
    result = run(db_path, "ingest", str(batch))
    assert result.exit_code == 0, result.output
    line = result.output.splitlines()[0]
    assert line.startswith("5 read: 1 new, 0 duplicate, 4 quarantined (")
    assert "empty file ×1" in line and "invalid JSON ×1" in line
    assert "field 'text' is a list, not text ×1" in line
    assert "field 'outlet' is an object with no name/title/label key … ×1" in line
    assert line.count("(") == line.count(")") and "skipped" not in line
    report_json = json.loads(run(db_path, "ingest", str(batch), "--json").output)
    assert report_json["skipped"] == 0 and report_json["skipped_reasons"] == {}
    assert sum(report_json["reasons"].values()) == report_json["quarantined"] == 4


def test_stats_count_quarantine_reasons_by_kind(db_path: Path, tmp_path: Path) -> None:
    lines = tmp_path / "bytes.jsonl"
    lines.write_bytes(b"".join(b'{"text": "' + b"x" * n + b'\xff"}\n' for n in range(4))
                      + b'{"text": 1\n')
    assert run(db_path, "ingest", str(lines)).exit_code == 0
    stats = json.loads(run(db_path, "stats", "--json").output)
    assert stats["quarantine_reasons"] == {"not UTF-8 at byte N (JSONL must be UTF-8)": 4, "invalid JSON": 1}
    assert stats["quarantined"] == 5
    rows = json_lines(run(db_path, "quarantine", "--json").output)
    assert {r["reason"] for r in rows} >= {f"not UTF-8 at byte {10 + n} (JSONL must be UTF-8)" for n in range(4)}
    assert "not UTF-8 at byte N (JSONL must be UTF-8)" in run(db_path, "stats").output


def test_stdin_ingest(db_path: Path) -> None:
    result = run(db_path, "ingest", "-", "--outlet", "منبر", "--json", input=ARTICLE.encode())
    assert json.loads(result.output)["new"] == 1
    assert json_lines(run(db_path, "articles", "--json").output)[0]["outlet"] == "منبر"


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["ingest", "/nonexistent/input.jsonl"], 2, "no such file"),
        (["show", "ffffffffffffffff"], 3, "no article"),
        (["search", "..."], 2, "nothing to search"),
        (["ingest", "--field", "colour=red", "x"], 2, "bad --field"),
        (["stories"], 2, "no database at"),  # a mistyped --db leaves no empty database behind
        (["tag", "/nonexistent/input.conll"], 2, "No such file"),
        (["report", "--day", "2026-01-01", "-o", "/nonexistent/dir/r.md"], 2, "No such file"),
    ],
)
def test_user_errors_are_one_line_with_exit_codes(db_path: Path, args: list[str], code: int, message: str) -> None:
    if args[0] in ("show", "search", "report"):
        Corpus(db_path).close()
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args])
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    if args[0] == "stories":
        assert not db_path.exists()


def test_database_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database at all " * 100)
    result = CliRunner().invoke(cli, ["--db", str(bogus), "stats"])
    assert result.exit_code == 2 and "not a usable khabar database" in result.output


def test_stats_stages_export(seeds_dir: Path, db_path: Path, tmp_path: Path) -> None:
    run(db_path, "ingest", str(seeds_dir))
    stats = json.loads(run(db_path, "stats", "--json").output)
    assert stats["articles"] == 2 and stats["schema_version"] >= 1
    names = [r["name"] for r in json_lines(run(db_path, "stages", "--json").output)]
    assert names[:3] == ["lines", "body", "identify"]
    out = tmp_path / "export.jsonl"
    assert run(db_path, "export", "-o", str(out)).exit_code == 0
    exported = json_lines(out.read_text(encoding="utf-8"))
    assert {len(e["id"]) for e in exported} == {16}
    assert all(e["text"] for e in exported)


def test_seed_title_duplicate_title_and_phone_are_found(seeds_dir: Path, db_path: Path) -> None:
    run(db_path, "ingest", str(seeds_dir))
    articles = {Path(json.loads(run(db_path, "show", r["id"], "--json").output)["origin"]).name:
                json.loads(run(db_path, "show", r["id"], "--json").output)
                for r in json_lines(run(db_path, "articles", "--json").output)}
    first = articles["000_8ce0f60ee24a2f77.txt"]
    kinds = [line["line_kind"] for line in first["lines"]]
    assert kinds[:2] == ["title", "duplicate_title"]
    assert first["title"].startswith("كارتر:التحالف الدولي")
    assert first["language"] == "ar"
    second = articles["002_94bb885acc549282.txt"]
    assert [p["text"] for p in second["pii"]] == ["0012022773659"]


def test_demo_command_ingests_the_bundled_corpus(db_path: Path) -> None:
    result = run(db_path, "demo")
    assert result.exit_code == 0, result.output
    stats = json.loads(run(db_path, "stats", "--json").output)
    assert stats["articles"] >= 40
    assert len(stats["outlets"]) >= 5
    assert stats["quarantined"] == 0


def test_python_module_entry_point(tmp_path: Path) -> None:
    import subprocess
    import sys

    Corpus(tmp_path / "x.db").close()
    result = subprocess.run(
        [sys.executable, "-m", "khabar", "--db", str(tmp_path / "x.db"), "show", "nope"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 3
    assert result.stderr.strip().startswith("khabar: no article")
    assert "Traceback" not in result.stderr


def test_tag_reads_the_encodings_ingest_reads_and_says_why_not(tmp_path: Path) -> None:
    conll = tmp_path / "win.conll"
    conll.write_bytes("سافر\tO\nسامر\tB-PERS\nإلى\tO\nعمّان\tB-LOC\n\n".encode("cp1256"))
    result = CliRunner().invoke(cli, ["tag", str(conll), "--context", "0"])
    assert result.exit_code == 0, result.output
    assert [line.split("\t")[0] for line in result.output.splitlines() if line] == [
        "سافر", "سامر", "إلى", "عمّان"]
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 4)
    result = CliRunner().invoke(cli, ["tag", str(garbage)])
    assert result.exit_code == 2 and "binary" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_readme_python_example_prints_what_the_readme_says() -> None:
    import khabar
    from khabar.text import match_key, normalize

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    article = khabar.process(
        "سيول في المدينة\nضربت سيول جارفة المدينة مساء أمس.وأعلن الدفاع المدني إنقاذ 40 شخصاً.\n"
        "للتواصل: 00962791234567", outlet="صحيفة مثال", published="2026-03-10 09:40:00")
    assert f"# {[s.text for s in article.sentences]!r}" in readme
    assert f"# {[(p.pii_kind, p.text, p.start) for p in article.pii]!r}" in readme
    n = normalize("الأميـــركيّة ٥٦٠")
    assert f"# {n.text!r}" in readme and f"# {n.to_original(0, 9)!r}" in readme
    assert match_key("وبالأمريكية") == match_key("الأميركية")
    assert 'corpus.search("الاردن")' in readme


def test_the_readme_search_example_finds_articles_in_the_demo(db_path: Path) -> None:
    run(db_path, "demo")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    listed = run(db_path, "articles", "--limit", "3").output.strip()
    assert listed in readme, listed  # the tour shows what the demo prints
    with Corpus(db_path) as corpus:
        titles = [hit.title for hit in corpus.search("الاردن")]
    assert titles and any("الأردن" in t for t in titles)


def test_limit_0_lists_everything(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    texts = [f"قال المتحدث إن الجسر رقم {n} سيفتح أمام السيارات في المدينة الأسبوع المقبل بعد الصيانة."
             for n in ("الأول", "الثاني", "الثالث")]
    for n, text in enumerate(texts):
        (tmp_path / f"{n}.txt").write_text(text, encoding="utf-8")
    assert CliRunner().invoke(cli, ["--db", str(db), "ingest", str(tmp_path)]).exit_code == 0
    for command in ("articles", "stories"):
        everything = CliRunner().invoke(cli, ["--db", str(db), command, "--limit", "0", "--json"])
        assert everything.exit_code == 0 and len(json_lines(everything.output)) >= 1, everything.output
        one = CliRunner().invoke(cli, ["--db", str(db), command, "--limit", "1", "--json"])
        assert len(json_lines(everything.output)) >= len(json_lines(one.output))
    assert len(json_lines(CliRunner().invoke(cli, ["--db", str(db), "articles", "--limit", "0", "--json"]).output)) == 3


def test_commands_that_do_not_store_map_fields_and_fail_when_nothing_is_read(tmp_path: Path) -> None:
    source = tmp_path / "custom.jsonl"
    source.write_text(json.dumps({"story_text": "الموصل - افتتحت البلدية مكتبة عامة في الحي القديم صباح الأحد 5 نيسان 2026.",
                                  "headline": "مكتبة جديدة", "day": "2026-04-06"}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    runner = CliRunner()
    for command in ("extract", "clean", "cluster"):
        bare = runner.invoke(cli, [command, str(source)])
        assert bare.exit_code == 1 and "no text field" in bare.output and "nothing could be read" in bare.output
        mapped = runner.invoke(cli, [command, str(source), "--json", "--field", "text=story_text",
                                     "--field", "title=headline", "--field", "published=day"])
        assert mapped.exit_code == 0, mapped.output
        row = json.loads(mapped.output.splitlines()[0])
        if command != "cluster":
            assert row["origin"] == f"{source}:1" and row["title"] == "مكتبة جديدة"
    view = json.loads(runner.invoke(cli, ["extract", str(source), "--json", "--field", "text=story_text",
                                          "--field", "published=day"]).output)
    assert view["published"].startswith("2026-04-06")
    assert all(view["text"][d["start"]:d["end"]] == d["text"] for d in view["dates"]) and view["dates"]
    text = runner.invoke(cli, ["clean", str(source), "--field", "text=story_text"]).output
    assert "dateline:  الموصل -  (place: الموصل)" in text  # no "outlet: -" placeholder


def test_ingest_with_chosen_stages_stores_every_article(tmp_path: Path) -> None:
    # identify (the content id) is added when left out: without it every article after the
    # first had the same empty id and was counted its duplicate
    lines = [json.dumps({"title": f"خبر رقم {i}", "text": f"نص الخبر رقم {i} عن افتتاح مكتبة في الحي {i} بعد ترميمها."},
                        ensure_ascii=False) for i in range(5)]
    db = tmp_path / "k.db"
    result = run(db, "ingest", "-", "--stages", "lines,body", "--json", input="\n".join(lines) + "\n")
    assert json.loads(result.output)["new"] == 5
    refused = CliRunner().invoke(cli, ["--db", str(tmp_path / "other.db"), "ingest", "-", "--stages", "lines"],
                                 input=lines[0] + "\n")
    assert refused.exit_code == 2 and "needs the stages lines and body" in refused.output
    assert not (tmp_path / "other.db").exists()


@pytest.mark.parametrize("args", [
    ["stories", "--limit"], ["stories", "--min-size"], ["articles", "--limit"], ["articles", "--offset"],
    ["entities", "--limit"], ["quarantine", "--limit"], ["fetched", "--limit"],
    ["report", "--day", "2026-01-01", "--min-size"],
])
def test_a_count_sqlite_cannot_hold_is_a_usage_error(db_path: Path, args: list[str]) -> None:
    Corpus(db_path).close()
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args, str(2**63)])
    assert result.exit_code == 2 and "is not in the range" in result.output, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert CliRunner().invoke(cli, ["--db", str(db_path), *args, str(2**63 - 1)]).exit_code == 0


def test_show_of_an_empty_id_finds_nothing(db_path: Path) -> None:
    # a record with no id of its own stores '' as its external id: `show ""` printed it
    assert run(db_path, "ingest", "-", input=ARTICLE.encode()).exit_code == 0
    result = CliRunner().invoke(cli, ["--db", str(db_path), "show", ""])
    assert result.exit_code == 3 and result.output.strip().startswith("khabar: no article ''"), result.output


def test_extract_prints_both_ends_of_a_range(tmp_path: Path) -> None:
    source = tmp_path / "range.jsonl"
    source.write_text(json.dumps({"text": "ارتفع سعر الكيس من 100 إلى 150 ريالا في الأسواق هذا الأسبوع."},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(source)])
    (line,) = [x for x in result.output.splitlines() if x.startswith("quantity")]
    assert "100–150 riyal" in line, line


def test_a_read_only_command_leaves_an_empty_file_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"")
    for command in (["stats"], ["stories"], ["articles"], ["search", "جسر"]):
        result = CliRunner().invoke(cli, ["--db", str(notes), *command])
        assert result.exit_code == 2 and "is an empty file, not a khabar database" in result.output, result.output
        assert notes.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_stats_shows_a_range_in_two_offsets_also_in_utc(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    rows = [{"id": "z1", "published": "2018-01-02T01:00:00+04:00",
             "text": "افتتاح سوق\nافتتحت البلدية سوقا شعبيا جديدا في وسط المدينة."},
            {"id": "z2", "published": "2018-01-01T23:00:00+00:00",
             "text": "إغلاق طريق\nأغلقت الشرطة الطريق الساحلي بسبب العاصفة الرملية."}]
    run(db, "ingest", "-", input="".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    (line,) = [x for x in run(db, "stats").output.splitlines() if x.startswith("published:")]
    assert line.split(None, 1)[1] == ("2018-01-02T01:00:00+04:00 .. 2018-01-01T23:00:00+00:00"
                                      " (2018-01-01T21:00+00:00 .. 2018-01-01T23:00+00:00 in UTC)")
    run(db, "ingest", "-", input=json.dumps({"id": "z3", "published": "2018-01-03T10:00:00+00:00",
                                              "text": "مطر\nهطلت أمطار خفيفة على المدينة صباح اليوم."},
                                             ensure_ascii=False) + "\n")
    (line,) = [x for x in run(db, "stats").output.splitlines() if x.startswith("published:")]
    assert line.endswith(" .. 2018-01-03T10:00:00+00:00 (2018-01-01T21:00+00:00 .. 2018-01-03T10:00+00:00 in UTC)")


@pytest.mark.parametrize("stages", ["nosuch", "lines,body,nosuch", "lines,nosuch"])
def test_a_mistyped_stage_is_named_as_unknown(tmp_path: Path, stages: str) -> None:
    db = tmp_path / "k.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", "-", "--stages", stages],
                                input=json.dumps({"text": "نص قصير عن افتتاح مكتبة."}, ensure_ascii=False) + "\n")
    assert result.exit_code == 2, result.output
    assert result.output.startswith("khabar: unknown stage 'nosuch' (known: body, ") and "needs" not in result.output
    assert not db.exists()


@pytest.mark.parametrize("stages", ["", ",,", " , "])
@pytest.mark.parametrize("command", ["ingest", "ray-process"])
def test_an_empty_stage_list_is_refused_as_naming_no_stage(tmp_path: Path, stages: str, command: str) -> None:
    # audit29 left it: `--stages ''` ran every stage, where `--stages ,,` said "needs the stages
    # lines and body ... got: none"
    db = tmp_path / "k.db"
    more = ["--out", str(tmp_path / "shards")] if command == "ray-process" else []
    result = CliRunner().invoke(cli, ["--db", str(db), command, "-", "--stages", stages, *more],
                                input=json.dumps({"text": "نص قصير عن افتتاح مكتبة."}, ensure_ascii=False) + "\n")
    assert result.exit_code == 2, result.output
    assert result.output == (f"khabar: --stages {stages!r} names no stage: leave --stages out to run every"
                             " stage, or name the ones to run (`khabar stages` lists them)\n")
    assert not db.exists() and not (tmp_path / "shards").exists()


def test_stories_lists_a_story_with_no_outlet_and_no_date_in_words(tmp_path: Path) -> None:
    # audit29 left it: `- outlets` for a story none of whose articles names an outlet; an
    # undated story had a blank where the days go
    db = tmp_path / "k.db"
    other = ("مهرجان للكتاب في المدينة القديمة\nافتتحت وزارة الثقافة مهرجاناً للكتاب يستمر عشرة أيام"
             " بمشاركة مئة دار نشر.\n")
    assert run(db, "ingest", "-", input=ARTICLE.encode()).exit_code == 0
    assert run(db, "ingest", "-", "--outlet", "منبر", input=other.encode()).exit_code == 0
    lines = sorted(run(db, "stories").output.splitlines(), key=lambda line: "no outlet" in line)
    assert len(lines) == 2 and not any("- outlets" in line for line in lines)
    assert "     1 art   1 outlet   (undated)  " in lines[0]
    assert "     1 art   no outlet  (undated)  " in lines[1]


def test_an_ingest_cut_short_says_how_much_it_stored_in_one_shape() -> None:
    # audit29 left it: the interrupt, killed-worker and foreign-lock arms each wrote the "stored
    # so far" lines out again (and said "1 articles")
    from khabar.cli import _Progress
    from khabar.corpus import IngestReport

    bar = _Progress(0, enabled=False)
    assert bar.stopped("interrupted", 130).format_message() == (
        "interrupted; 0 articles stored, rerun the same command to resume")
    bar.report = IngestReport(read=1, new=1)
    error = bar.stopped("interrupted", 130)
    assert (error.format_message(), error.exit_code) == (
        "interrupted; 1 article stored, rerun the same command to resume", 130)
    bar.report = IngestReport(read=1500, new=1500)
    assert bar.stopped("a worker process ended abruptly", 70, " (with fewer --workers)").format_message() == (
        "a worker process ended abruptly; 1,500 articles stored, rerun the same command to resume"
        " (with fewer --workers)")
    assert bar.stopped("DB: locked: nothing was written", 2, failed_batch=True).format_message() == (
        "DB: locked: nothing was written (the 1,500 articles stored before it are kept; a rerun adds"
        " the rest)")
    bar.report = IngestReport(read=1, new=0)
    assert bar.stopped("DB: locked", 2, failed_batch=True).format_message() == "DB: locked"


def test_cluster_and_extract_name_an_article_without_a_title_or_outlet(tmp_path: Path) -> None:
    # they printed blanks (and `extract` a header with trailing spaces) where `articles` says so
    source = tmp_path / "n.jsonl"
    source.write_text(json.dumps({"id": "n1", "text": "افتتحت البلدية مكتبة عامة جديدة في الحي الشرقي صباح اليوم."},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    runner = CliRunner()
    lines = runner.invoke(cli, ["cluster", str(source)], catch_exceptions=False).output.splitlines()
    assert lines[-1] == "    n1  -                     (no title)"
    header = runner.invoke(cli, ["extract", str(source)], catch_exceptions=False).output.splitlines()[0]
    assert header == f"== {source}:1  (no title)"


def test_stats_of_a_store_with_nothing_dated_or_named_says_so_in_words(tmp_path: Path) -> None:
    # it printed "published:    - .. -", an empty "outlets:" and "languages:" and a blank
    db = tmp_path / "k.db"
    (tmp_path / "blank.txt").write_text("", encoding="utf-8")
    run(db, "ingest", str(tmp_path / "blank.txt"))
    lines = run(db, "stats").output.splitlines()
    assert lines[-3:] == ["published:    no dated article", "outlets:      none", "languages:    none"]
    assert run(db, "export", "-o", str(tmp_path / "x.jsonl")).output == "0 articles → " + str(tmp_path / "x.jsonl") + "\n"


def test_stats_says_how_many_outlets_it_leaves_out(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    rows = [json.dumps({"outlet": f"منبر {i}", "text": f"افتتحت البلدية مكتبة عامة رقم {i} في الحي."},
                       ensure_ascii=False) for i in range(32)]
    assert run(db, "ingest", "-", input="\n".join(rows) + "\n").exit_code == 0
    lines = run(db, "stats").output.splitlines()
    assert "    … 2 more (`khabar stats --json` lists every outlet)" in lines
    assert sum(line.startswith("           1  منبر") for line in lines) == 30


def test_entities_says_one_story_in_the_singular(tmp_path: Path) -> None:
    # it said "1 stories"
    db = tmp_path / "k.db"
    assert run(db, "ingest", "-", input=ARTICLE.encode()).exit_code == 0
    lines = run(db, "entities").output.splitlines()
    assert lines and all("    1 story    " in line for line in lines), lines
    assert not any("stories" in line for line in lines)


def test_export_to_a_path_it_cannot_write_names_that_path(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    run(db, "ingest", "-", input=ARTICLE.encode())
    target = tmp_path / "missing" / "x.jsonl"
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "-o", str(target)])
    assert result.exit_code == 2
    assert result.output.strip() == f"khabar: {target}: No such file or directory"
    done = CliRunner().invoke(cli, ["--db", str(db), "export", "-o", str(tmp_path / "out.jsonl")])
    assert done.exit_code == 0 and len(json_lines((tmp_path / "out.jsonl").read_text(encoding="utf-8"))) == 1
    assert not list(tmp_path.glob("*.part"))


def test_tag_keeps_every_blank_line_of_its_input(tmp_path: Path) -> None:
    # the output is pasted beside the gold file line by line: a run of blank lines merged into
    # one shifted every line after it
    text = "\nكلمة\nأولى\n\n\nو\n\n\nجملة\n"
    source = tmp_path / "in.conll"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["tag", str(source)])
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert [line.split("\t")[0] for line in out] == text.splitlines() + [""]


def test_a_broken_link_in_a_folder_is_quarantined_and_the_rest_lands(db_path: Path, tmp_path: Path) -> None:
    # the size for the progress bar was taken with stat() before anything was read: a dangling
    # link under the folder stopped the whole ingest with "No such file or directory"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    result = run(db_path, "ingest", str(folder), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["read"], report["new"], report["quarantined"]) == (2, 1, 1)
    (row,) = json_lines(run(db_path, "quarantine", "--json").output)
    assert row["origin"] == str(folder / "gone.txt")
    assert row["reason"] == "cannot open: No such file or directory"


def test_search_lists_an_article_without_a_title_as_articles_does(db_path: Path, tmp_path: Path) -> None:
    # audit28: `search` printed a blank where `articles` prints "(no title) <lead>"
    lead = "افتتحت البلدية مكتبة عامة جديدة في الحي الشرقي صباح اليوم."
    (tmp_path / "n.jsonl").write_text(json.dumps({"text": lead + "\nوقال رئيس البلدية إن المكتبة تضم عشرة آلاف كتاب."},
                                                 ensure_ascii=False) + "\n", encoding="utf-8")
    assert run(db_path, "ingest", str(tmp_path / "n.jsonl")).exit_code == 0
    (listed,) = run(db_path, "articles").output.splitlines()
    article_id, outlet, heading = listed.split()[0], listed.split()[1], listed.split("  ")[-1].strip()
    assert heading.startswith("(no title) افتتحت البلدية")
    found = run(db_path, "search", "المكتبة").output.splitlines()
    assert found[0].split()[:2] == [article_id, outlet] == [article_id, "-"]
    assert found[0].endswith("(no title) افتتحت البلدية مكتبة عامة جديدة في الحي الشرقي ص…")
    (story,) = run(db_path, "stories").output.splitlines()  # the story it opens: named by its lead
    assert story.startswith(article_id) and story.endswith("  افتتحت البلدية مكتبة عامة جديدة في الحي الشرقي صباح اليوم")


def test_articles_says_when_it_lists_nothing(db_path: Path, tmp_path: Path) -> None:
    # audit29: it printed nothing at all, where `stories` and `search` say so
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert run(db_path, "ingest", str(tmp_path / "a.txt"), "--outlet", "منبر").exit_code == 0
    assert run(db_path, "articles", "--outlet", "غيره").output == (
        "no article from the outlet 'غيره' (`khabar stats` lists the outlets)\n")
    assert run(db_path, "articles", "--offset", "1").output == "no articles past the first 1\n"
    assert run(db_path, "articles", "--outlet", "منبر", "--offset", "1").output == (
        "no articles from the outlet 'منبر' past the first 1\n")
    assert run(db_path, "articles", "--outlet", "غيره", "--json").output == ""  # JSON lines: none
    assert run(db_path, "articles", "--outlet", "منبر").output.count("\n") == 1
    (tmp_path / "blank.txt").write_text("", encoding="utf-8")
    empty = tmp_path / "empty.db"
    run(empty, "ingest", str(tmp_path / "blank.txt"))  # a store with nothing but a quarantined file
    assert run(empty, "articles").output == "no articles yet: ingest some first\n"
