"""Story clustering signals measured without changing the library: `python benchmarks/story_signals.py`.

Three questions about the development golds (ANT March, ANT June, SaudiNewsNet 2015-08-03 and
2015-08-04 through the pipeline, as `clustering.py --band` scores them; never a held-out gold):

1. **Names written only in the headline.** The entities stage tags the body's sentences; the
   title is metadata, not in the text, so a name that only the headline writes is none of the
   article's names (`features` finds the title's names among the body's). Each VARIANT gives
   an article more names from its title, found one of two ways, and feeds them to one or all of
   the name signals:

   * `ner`: the title tagged by the same NER as the body (`entities_in_documents`, the title a
     document of its own) and canonicalized in it;
   * `gaz`: the title's words looked up in the known-names list (`known_names()`, longest match
     of its multi-word names, else a one-word LOC/ORG/PERS name);

   suffixed `-all` (the new names among the article's names, its people and its name words:
   every name signal), `-names` (only among its names: name agreement and the predicate bonus's
   shared name) or `-words` (only among its name words: the title's names, its leading party and
   the title name clash). A title name whose words are all words of the body's names adds
   nothing; an article without body names (text without NER) gets none. `-` is the defaults.
   `namew=W` instead weighs the words of the article's (body) names W times in its title vector.
   For each: pairwise F1 (BCubed F1) averaged over the thresholds 0.13-0.17 per gold, and the
   mean pairwise F1 of the four (`--band`'s figure).

2. **`--blame`: which term of the score decides the errors** at the shipped threshold. For each
   article (not forced into a copy's story), every active story scored exactly that holds an
   article of its gold story (a right story) or only articles of other gold stories (a wrong
   one). A right story it did not join, or a wrong one it joined, is counted under each score
   term that decides it (with the term off the score is on the other side of the threshold),
   and under `text` when none does; `--blame --list` prints each of them.

3. **`--near LOW:HIGH`**: of the article-story pairs scored in [LOW, HIGH] at the shipped
   threshold (all four golds together), how many right and wrong ones, and the median cosine to
   the story's centroid and title cosine of each, for all of them and across outlets.

`--cost` prints the CPU time per title of each way of finding the title's names. `--set
FIELD=VALUE ...` changes ClusterConfig fields for every run (as `clustering.py --band`).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from benchmarks import clustering as B
from khabar.model import Article
from khabar.stories import ClusterConfig
from khabar.stories.cluster import (
    ArticleFeatures,
    StoryClusterer,
    _dot,
    _name_words,
    _norm,
    _title_actor,
    _title_names,
    features,
)
from khabar.stories.stream import StoryStream

# the score terms `--blame` switches off one at a time (ClusterConfig fields and their "off")
TERMS: dict[str, dict[str, float]] = {
    "same_outlet": {"same_outlet_penalty": 0.0, "same_outlet_share_penalty": 0.0},
    "person_clash": {"person_clash": 0.0},
    "title_name_clash": {"title_name_clash": 0.0},
    "date_clash": {"date_clash": 0.0},
    "title_actor_clash": {"title_actor_clash": 0.0},
    "title_predicate_bonus": {"title_predicate_bonus": 0.0},
    "name_agreement": {"name_agreement": 0.0},
    "time_decay": {"decay_grace_days": 1e9},
    "title_cos_cap": {"title_cos_cap": 0.0},
}
_LABELS = ("PER", "LOC", "ORG")
_ARABIC = re.compile("[\u0621-\u064a]+")


def dev_golds() -> dict[str, tuple[list[Article], dict[str, str]]]:
    ant = B.ant_processed()
    return {"ant_march": (ant[0], ant[1]),
            "ant_june": B.ant_processed(B.ant_gold(B.ANT_DEV_2))[:2],
            "snn_2015-08-03": B.snn_gold(), "snn_2015-08-04": B.snn_gold(B.SNN_DEV_2)}


# -- names of the title --------------------------------------------------------------------

def ner_title_names(titles: list[str]) -> list[list[tuple[str, str]]]:
    """(name, label) of each title, tagged as the entities stage tags a body (one document
    each) and canonicalized within it."""
    from khabar.extract.entities import canonicalize
    from khabar.extract.ner import entities_in_documents
    from khabar.text import split_sentences

    docs = [(t, split_sentences(t)) for t in titles]
    return [[(e.canonical or e.text, e.label) for e in canonicalize(found, t)]
            for (t, _), found in zip(docs, entities_in_documents(docs))]


def gazetteer_title_names(titles: list[str]) -> list[list[tuple[str, str]]]:
    """(name, label) of each title from the known-names list: its multi-word names (longest
    match, a glued و/ب/ل/ف/ك tried off a first word), else a word that is a one-word name."""
    from khabar.extract.known_names import known_names
    from khabar.extract.ner import word_key

    gaz = known_names()
    label = {"PERS": "PER", "LOC": "LOC", "ORG": "ORG"}
    out = []
    for title in titles:
        words = _ARABIC.findall(title)
        keys = [word_key(w) for w in words]
        tags = gaz.matches(keys, [k[1:] if len(k) > 3 and k[0] in "وبلفك" else k for k in keys])
        names: list[tuple[str, str]] = []
        i = 0
        while i < len(words):
            tag = tags[i]
            if tag and tag.startswith("B-"):
                j = i + 1
                while j < len(words) and tags[j] == "I-" + tag[2:]:
                    j += 1
                if tag[2:] in label:
                    names.append((" ".join(words[i:j]), label[tag[2:]]))
                i = j
                continue
            typ = gaz.single(keys[i])
            if typ in label:
                names.append((words[i], label[typ]))
            i += 1
        out.append(names)
    return out


FINDERS = {"ner": ner_title_names, "gaz": gazetteer_title_names}


def with_title_names(f: ArticleFeatures, names: Iterable[tuple[str, str]], feed: str
                     ) -> ArticleFeatures:
    """`f` with the title's names the body does not name fed to the signals of `feed`."""
    if not f.entities:  # text without NER: no names at all, as `features` gives it
        return f
    new = {n: lab for n, lab in names if lab in _LABELS
           and _name_words(n) and not all(w in f.name_words for w in _name_words(n))}
    if not new:
        return f
    changes: dict[str, Any] = {}
    if feed in ("all", "names"):
        changes["entities"] = f.entities | set(new)
    if feed == "all":
        changes["persons"] = f.persons | {n for n, lab in new.items() if lab == "PER"}
    if feed in ("all", "words"):
        words = f.name_words | {w for n in new for w in _name_words(n)}
        changes.update(name_words=words, title_names=frozenset(_title_names(f.title_keys, words)),
                       title_actor=_title_actor(f.title_keys, words))
    return replace(f, **changes)


class TitleNameWeight(StoryClusterer):
    """`StoryClusterer` whose title vectors weigh the article's name words (maybe with a glued
    و/ب/ل/ف) `weight` times (before the vector is normalized)."""

    def __init__(self, config: ClusterConfig, weight: float) -> None:
        super().__init__(config)
        self.weight = weight

    def vectors(self, f: ArticleFeatures, tf: Any = None) -> Any:
        vec, tvec = super().vectors(f, tf)
        names = f.name_words
        if names and self.weight != 1.0:
            tvec = _norm({t: v * (self.weight if t in names or (
                len(t) > 3 and t[0] in "وبلف" and t[1:] in names) else 1.0)
                for t, v in tvec.items()})
        return vec, tvec


def variant_features(golds: dict[str, tuple[list[Article], dict[str, str]]], variant: str,
                     cache: dict[str, dict[str, list[list[tuple[str, str]]]]]
                     ) -> dict[str, list[ArticleFeatures]]:
    out = {}
    for name, (articles, _) in golds.items():
        feats = [features(a) for a in articles]
        if variant != "-" and not variant.startswith("namew="):
            way, _, feed = variant.partition("-")
            if way not in FINDERS or feed not in ("all", "names", "words"):
                raise SystemExit(f"unknown variant {variant!r} (ner-all, gaz-names, ...; - the defaults)")
            if name not in cache.setdefault(way, {}):
                cache[way][name] = FINDERS[way]([a.title or "" for a in articles])
            feats = [with_title_names(f, ns, feed) for f, ns in zip(feats, cache[way][name])]
        out[name] = feats
    return out


def band(feats: dict[str, list[ArticleFeatures]], golds: dict[str, Any],
         config: ClusterConfig | None = None, name_weight: float | None = None) -> dict[str, Any]:
    config = config or ClusterConfig()
    row: dict[str, Any] = {}

    def stream(t: float) -> StoryStream:
        st = StoryStream(replace(config, threshold=t))
        if name_weight is not None:
            st.clusterer = TitleNameWeight(replace(config, threshold=t), name_weight)
        return st

    for name, fs in feats.items():
        gold = golds[name][1]
        runs = [B.scores({a.article_id: a.story for a in stream(t).assign(fs)}, gold)
                for t in B.BAND]
        row[name] = {k: round(sum(r[k]["f1"] for r in runs) / len(runs), 4)
                     for k in ("pairwise", "bcubed")}
    row["mean_pairwise"] = round(sum(v["pairwise"] for v in row.values()) / len(feats), 4)
    return row


# -- which term decides ------------------------------------------------------------------

class Recorder(StoryClusterer):
    """`StoryClusterer` that scores each article against every active story (exactly, and with
    each of TERMS off) just before it decides, as it would score a candidate. Same decisions."""

    def __init__(self, config: ClusterConfig, gold: dict[str, str]) -> None:
        super().__init__(config)
        self.gold = gold
        self.members: dict[str, list[str]] = {}
        self.rows: list[dict[str, Any]] = []
        self._current: ArticleFeatures | None = None
        self._tvec: dict[str, float] = {}

    def vectors(self, f: ArticleFeatures, tf: Any = None) -> Any:
        vec, tvec = super().vectors(f, tf)
        self._tvec = tvec
        return vec, tvec

    def candidates(self, vec: dict[str, float]) -> list[str]:
        f = self._current
        found = super().candidates(vec)
        if f is None or f.id not in self.gold:
            return found
        mine = self.gold[f.id]
        for sid, story in self.active.items():
            golds = {self.gold[m] for m in self.members.get(sid, ()) if m in self.gold}
            if not golds:
                continue
            score = self.score(f, vec, self._tvec, story)
            cos = _dot(vec, story.centroid) / story.cnorm if story.cnorm else 0.0
            tcos = story.title_cos(self._tvec) if self._tvec else 0.0
            without = {}
            config = self.config
            for term, off in TERMS.items():
                self.config = replace(config, **off)
                without[term] = self.score(f, vec, self._tvec, story)
            self.config = config
            self.rows.append({"article": f.id, "story": sid, "right": mine in golds,
                              "score": score, "without": without, "candidate": sid in found,
                              "cos": cos, "tcos": tcos, "same_outlet": f.outlet in story.outlets})
        return found

    def add(self, f: ArticleFeatures, *, force_story: str | None = None) -> Any:
        self._current = f if force_story is None else None
        decision = super().add(f, force_story=force_story)
        self._current = None
        self.members.setdefault(decision.story_id, []).append(f.id)
        for row in self.rows:
            if row["article"] == f.id and "joined" not in row:
                row["joined"] = row["story"] == decision.story_id
        return decision


def blame(feats: dict[str, list[ArticleFeatures]], golds: dict[str, Any], listing: bool = False,
          config: ClusterConfig | None = None) -> dict[str, Any]:
    config = config or ClusterConfig()
    t = config.threshold
    out: dict[str, Any] = {}
    for name, fs in feats.items():
        articles = {a.id: a for a in golds[name][0]}
        stream = StoryStream(config)
        stream.clusterer = rec = Recorder(config, golds[name][1])
        stream.assign(fs)
        counts: dict[str, Counter[str]] = {"right_not_joined": Counter(), "wrong_joined": Counter()}
        for row in rec.rows:
            if row["right"] == row["joined"]:
                continue
            kind = "wrong_joined" if row["joined"] else "right_not_joined"
            terms = [k for k, v in row["without"].items() if (v >= t) != (row["score"] >= t)]
            for k in terms or ["text"]:
                counts[kind][k] += 1
            counts[kind]["all"] += 1
            if listing:
                a = articles[row["article"]]
                s = articles.get(row["story"])
                print(f"{name} {kind} {row['score']:.3f} [{', '.join(terms) or 'text'}] "
                      f"{a.outlet}: {(a.title or '')[:60]} || {(s.title if s else row['story'])[:50]}")
        out[name] = {k: dict(v.most_common()) for k, v in counts.items()}
    return out


def near(feats: dict[str, list[ArticleFeatures]], golds: dict[str, Any], low: float,
         high: float, config: ClusterConfig | None = None) -> dict[str, Any]:
    """Of the (article, story) pairs scored in [low, high] at the shipped threshold, on all the
    golds together: how many right and wrong, and the median cosine to the story's centroid and
    title cosine of each, for all of them and for those across outlets."""
    config = config or ClusterConfig()
    rows = []
    for name, fs in feats.items():
        stream = StoryStream(config)
        stream.clusterer = rec = Recorder(config, golds[name][1])
        stream.assign(fs)
        rows += [r for r in rec.rows if low <= r["score"] <= high]
    out: dict[str, Any] = {}
    for part, keep in (("all", lambda r: True), ("across_outlets", lambda r: not r["same_outlet"])):
        for side in ("right", "wrong"):
            sel = [r for r in rows if keep(r) and r["right"] == (side == "right")]
            out[f"{part}_{side}"] = {
                "n": len(sel), **{k: round(statistics.median(r[k] for r in sel), 3) if sel else None
                                  for k in ("cos", "tcos")}}
    return out


def cost(golds: dict[str, Any]) -> dict[str, float]:
    titles = [a.title or "" for articles, _ in golds.values() for a in articles]
    out = {}
    for way, finder in FINDERS.items():
        finder(titles[:50])  # resources loaded, caches warm
        t0 = time.process_time()
        finder(titles)
        out[way] = round(1e6 * (time.process_time() - t0) / len(titles), 1)
    return {"titles": len(titles), "cpu_us_per_title": out}


def main(argv: Iterable[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("variants", nargs="*", default=["-", "ner-all", "ner-names", "ner-words",
                                                    "gaz-all", "gaz-names", "gaz-words"])
    ap.add_argument("--blame", action="store_true", help="which score term decides each error")
    ap.add_argument("--list", action="store_true", help="with --blame: print each error")
    ap.add_argument("--cost", action="store_true", help="CPU time per title of each finder")
    ap.add_argument("--set", nargs="*", default=[], metavar="FIELD=VALUE",
                    help="ClusterConfig fields changed for every run (as clustering.py --band)")
    ap.add_argument("--near", metavar="LOW:HIGH",
                    help="right and wrong candidates scored in [LOW, HIGH]: median cosines")
    args = ap.parse_args(list(argv) if argv is not None else None)
    config = ClusterConfig()
    for setting in args.set:
        config = B._override(config, setting)
    golds = dev_golds()
    if args.cost:
        result = cost(golds)
        print(result)
        return result
    cache: dict[str, Any] = {}
    if args.near:
        low, _, high = args.near.partition(":")
        result = near(variant_features(golds, "-", cache), golds, float(low), float(high), config)
        for k, v in result.items():
            print(f"{k:22} {v}")
        return result
    if args.blame:
        result = blame(variant_features(golds, "-", cache), golds, args.list, config)
        for name, kinds in result.items():
            for kind, counts in kinds.items():
                print(f"{name:15} {kind:17} " + "  ".join(f"{k} {v}" for k, v in counts.items()))
        return result
    out = {}
    for variant in args.variants:
        weight = float(variant.partition("=")[2]) if variant.startswith("namew=") else None
        row = out[variant] = band(variant_features(golds, variant, cache), golds, config, weight)
        print(f"{variant:10} " + "  ".join(f"{n} {v['pairwise']:.4f} ({v['bcubed']:.4f})"
                                          for n, v in row.items() if isinstance(v, dict))
              + f"  mean {row['mean_pairwise']:.4f}", flush=True)
    return out


if __name__ == "__main__":
    main()
