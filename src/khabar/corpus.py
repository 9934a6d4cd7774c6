"""The Python API over a store: ingest inputs, list, read and search articles.

The CLI and (later) the HTTP API are thin layers over `Corpus`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from khabar.ingest.readers import RawRecord, Rejected, read_paths
from khabar.model import Article
from khabar.pipeline import Pipeline, article_from_record
from khabar.store import SearchHit, Store


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        text = (
            f"{self.read:,} read: {self.new:,} new, {self.duplicate:,} duplicate, "
            f"{self.quarantined:,} quarantined"
        )
        if self.reasons:
            top = ", ".join(f"{reason} ×{n:,}" for reason, n in
                            sorted(self.reasons.items(), key=lambda kv: -kv[1])[:5])
            text += f" ({top})"
        return text


ProgressFn = Callable[[IngestReport, int], None]


def _reason_key(reason: str) -> str:
    """Group quarantine reasons by their kind (drop positions and details after a colon)."""
    return reason.split(":", 1)[0].split(" at byte", 1)[0]


class Corpus:
    """A khabar database: `Corpus("news.db").ingest(["dump.jsonl.gz"])`."""

    def __init__(self, path: str | os.PathLike[str] = "khabar.db", *, stages: Iterable[str] | None = None) -> None:
        self.store = Store(path)
        self.pipeline = Pipeline(stages) if stages is not None else Pipeline()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        field_map: Mapping[str, tuple[str, ...]] | None = None,
        outlet: str | None = None,
        batch_size: int = 500,
        progress: ProgressFn | None = None,
        bytes_read: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Read, process and store everything under `paths`; one transaction per batch."""
        return self.ingest_records(
            read_paths(paths, field_map, bytes_read), outlet=outlet, batch_size=batch_size,
            progress=progress,
        )

    def ingest_records(
        self,
        items: Iterable[RawRecord | Rejected],
        *,
        outlet: str | None = None,
        batch_size: int = 500,
        progress: ProgressFn | None = None,
    ) -> IngestReport:
        report = IngestReport()
        articles: list[Article] = []
        rejected: list[Rejected] = []

        def flush() -> None:
            result = self.store.add_batch(articles, rejected)
            report.new += result.new
            report.duplicate += result.duplicate
            report.quarantined += result.quarantined
            for item in rejected:
                key = _reason_key(item.reason)
                report.reasons[key] = report.reasons.get(key, 0) + 1
            articles.clear()
            rejected.clear()

        for item in items:
            report.read += 1
            if isinstance(item, Rejected):
                rejected.append(item)
            else:
                article = article_from_record(item)
                if outlet and not article.outlet:
                    article = replace(article, outlet=outlet)
                processed = self.process_article(article)
                if isinstance(processed, Rejected):
                    rejected.append(processed)
                else:
                    articles.append(processed)
            if len(articles) + len(rejected) >= batch_size:
                flush()
            if progress:
                progress(report, len(articles) + len(rejected))
        flush()
        if progress:
            progress(report, 0)
        return report

    def process_article(self, article: Article) -> Article | Rejected:
        """Run the pipeline; an article that comes out with no body is rejected, not stored."""
        processed = self.pipeline(article)
        if not processed.body.strip():
            return Rejected(article.origin, "empty body after cleaning", article.text[:200])
        return processed

    # -- reading --------------------------------------------------------------------------------

    def article(self, article_id: str) -> Article:
        return self.store.article(article_id)

    def articles(self, *, limit: int | None = 50, offset: int = 0, outlet: str | None = None) -> list[Article]:
        return self.store.articles(limit=limit, offset=offset, outlet=outlet)

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        return self.store.search(query, limit=limit)

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def quarantine(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        return self.store.quarantined(limit=limit)

    def export(self, stream: IO[str], *, format: str = "jsonl") -> int:
        """Write every article as one JSON object per line; returns how many."""
        if format != "jsonl":
            from khabar.errors import InputError

            raise InputError(f"unknown export format {format!r} (supported: jsonl)")
        count = 0
        for article in self.store.iter_articles():
            stream.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            count += 1
        return count

    def iter_articles(self) -> Iterator[Article]:
        return self.store.iter_articles()


def open_corpus(path: str | Path = "khabar.db") -> Corpus:
    return Corpus(path)
