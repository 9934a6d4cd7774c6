"""Dedup + clustering together, as one stream whose state can be saved and loaded.

`StoryStream.assign(articles)` sorts a batch into publication order and gives each article a
copy group and a story. Story ids are the id of the story's first article, copy group ids the
id of the group's first article, so they never change once given (see `khabar.store.stories`
for the state kept between ingest runs).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from khabar.model import Article
from khabar.stories.cluster import (
    ArticleFeatures,
    ClusterConfig,
    StoryClusterer,
    features,
    sort_for_stream,
)
from khabar.stories.dedup import DEFAULT_THRESHOLD, Copy, DedupIndex

__all__ = ["Assignment", "StoryStream", "cluster_articles", "cluster_records"]

#: A copy whose text is this many times shorter or longer than the text it copies (a containment
#: match, see `DedupIndex`) joins its copy group but is clustered on its own.
LOPSIDED = 1.5


@dataclass(slots=True)
class Assignment:
    article_id: str
    story: str
    copy_group: str
    score: float
    new_story: bool
    outlet: str = ""
    time: float | None = None
    title: str = ""
    exact_hash: str = ""
    signature: np.ndarray | None = None
    shingles: int = 0
    #: the earlier articles it was verified to copy, most similar first (`DedupIndex.copies_of`),
    #: whichever copy groups they are in
    copies: tuple[Copy, ...] = ()
    #: the story's title if this article opens it: its title, or for an untitled article its
    #: lead (`khabar.text.lead_title`)
    story_title: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.article_id, "story": self.story, "copy_group": self.copy_group,
                "copies": [c.id for c in self.copies],
                "outlet": self.outlet, "title": self.title, "score": round(self.score, 4)}


class StoryStream:
    """In-memory stream state: a `DedupIndex`, a `StoryClusterer` and article → story."""

    def __init__(self, config: ClusterConfig | None = None, *,
                 dedup_threshold: float = DEFAULT_THRESHOLD,
                 story_lookup: Callable[[str], str | None] | None = None) -> None:
        self.clusterer = StoryClusterer(config)
        self.dedup = DedupIndex(dedup_threshold)
        self.story_of: dict[str, str] = {}
        self._story_lookup = story_lookup  # article id -> story id for articles not in memory
        # (time, article id) of articles with a signature, a heap: every article older than the
        # window is forgotten whatever order the batches came in, as after loading saved state
        self._recent: list[tuple[float, str]] = []

    @property
    def config(self) -> ClusterConfig:
        return self.clusterer.config

    def _story_for(self, article_id: str) -> str | None:
        sid = self.story_of.get(article_id)
        if sid is None and self._story_lookup is not None:
            sid = self._story_lookup(article_id)
        return sid

    def _forget_old(self) -> None:
        now = self.clusterer.now
        if now is None:
            return
        horizon = now - self.config.window_days * 86400.0
        old = []
        while self._recent and self._recent[0][0] < horizon:
            old.append(heapq.heappop(self._recent)[1])
        if old:
            self.dedup.forget(old)

    def add(self, f: ArticleFeatures) -> Assignment:
        if f.id in self.dedup:  # seen already: nothing changes
            group = self.dedup.group_of(f.id) or f.id
            return Assignment(f.id, self._story_for(f.id) or f.id, group, 1.0, False, f.outlet,
                              f.time, f.title, copies=self.dedup.copies_of(f.id),
                              story_title=f.title if f.title.strip() else f.lead_title)
        other, sim, sig, ehash = self.dedup.match(f.body_keys, fingerprint=f.fingerprint)
        group = f.id
        force = None
        size = self.dedup.n_shingles(f.body_keys)
        if other is not None:
            group = self.dedup.group_of(other) or other
            if not self._lopsided(other, size):
                force = self._story_for(other)
        self.dedup.restore(f.id, group, sig, ehash, f.outlet, exact=sim >= 1.0, size=size)
        copies = self.dedup.copies_of(f.id)  # before the article can age out of the window
        decision = self.clusterer.add(f, force_story=force)
        self.story_of[f.id] = decision.story_id
        t = f.time if f.time is not None else self.clusterer.now
        if t is not None:
            heapq.heappush(self._recent, (t, f.id))
            self._forget_old()
        return Assignment(f.id, decision.story_id, group, decision.score, decision.new_story,
                          f.outlet, f.time, f.title, ehash, sig, size, copies,
                          story_title=f.title if f.title.strip() else f.lead_title)

    def _lopsided(self, other: str, size: int) -> bool:
        """Whether a copy of `other` is one text inside a much longer one (a cable inside a
        paper's page of the day's cables, which also holds a royal audience): the copy group
        says so, but the longer text's story is no reason for the shorter's."""
        osize = self.dedup.size_of(other)
        return osize is not None and max(osize, size) >= LOPSIDED * min(osize, size)

    def assign(self, articles: Iterable[Article | ArticleFeatures]) -> list[Assignment]:
        """Assign a batch, in publication order (stable for undated articles)."""
        feats = [a if isinstance(a, ArticleFeatures) else features(a) for a in articles]
        seen: set[str] = set()
        unique = []
        for f in feats:
            if f.id not in seen:
                seen.add(f.id)
                unique.append(f)
        if self.config.dense_weight:
            from khabar.stories.dense import embed_features

            embed_features(unique)  # in batches: one encoding per article, before the stream
        return [self.add(f) for f in sort_for_stream(unique, lambda f: f.time)]


def cluster_articles(articles: Iterable[Article], config: ClusterConfig | None = None,
                     dedup_threshold: float = DEFAULT_THRESHOLD) -> list[Assignment]:
    """Cluster a finished collection of articles in publication order (no store)."""
    return StoryStream(config, dedup_threshold=dedup_threshold).assign(articles)


def cluster_records(records: Iterable[Any], config: ClusterConfig | None = None,
                    dedup_threshold: float = DEFAULT_THRESHOLD, *,
                    outlet: str | None = None) -> Iterator[dict[str, Any]]:
    """For `khabar cluster INPUT --json`: one `{id, article_id, story, copy_group, copies,
    origin, ...}` per input article, in input order, so the output lines up with the input and
    joins with it (by the input's id, or by `origin`, its file and line). `story`, `copy_group`
    and `copies` (the earlier articles it copies, whichever copy group each is in) are given in
    article ids.

    `id` is the input's own id (its `id`/`docno` field) when it has one, else the article's
    content id (`article_id`, the id `khabar ingest` stores it under); two inputs with one
    text are one article, each with its own line. `records` may be Articles, or raw records /
    input dicts (they go through the default pipeline first); rejected records and records
    with no body are skipped; `outlet` is given to articles that have none. The articles are
    clustered in publication order (input order for undated ones).
    """
    from khabar.ingest.readers import RawRecord, Rejected
    from khabar.pipeline import article_from_record, process_many, with_outlet

    items = list(records)
    # the outlet before the stages, as ingest gives it: an article's id is made from it
    raw = [with_outlet(article_from_record(r), outlet) if isinstance(r, RawRecord) else r
           for r in items if not isinstance(r, Article)]
    processed = iter(process_many(raw)) if raw else iter(())
    articles: list[Article] = []
    for item in items:
        article = item if isinstance(item, Article) else next(processed)
        if isinstance(article, Rejected) or not isinstance(article, Article):
            continue
        if (article.body or article.text).strip():
            articles.append(with_outlet(article, outlet) if outlet else article)
    assigned = {a.article_id: a for a in cluster_articles(articles, config, dedup_threshold)}
    for article in articles:
        row = assigned[article.id].to_dict()
        row["article_id"] = row["id"]
        row["id"] = article.external_id or article.id
        row["origin"] = article.origin  # file:line, for inputs with no id of their own
        yield row


def story_partition(assignments: Iterable[Assignment]) -> Mapping[str, str]:
    return {a.article_id: a.story for a in assignments}
