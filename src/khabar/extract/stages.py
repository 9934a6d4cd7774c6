"""The `entities` stage: named entities of the article body, with canonical names."""

from __future__ import annotations

from dataclasses import replace

from khabar.extract.entities import canonicalize
from khabar.extract.ner import entities_in_documents, entities_in_spans
from khabar.model import Article
from khabar.pipeline import batch_stage, stage


@stage("entities", requires=("sentences",), provides=("entities",))
def find_article_entities(article: Article) -> Article:
    """Persons, organisations, places and other names in the body sentences (offline CRF)."""
    spans = [(s.start, s.end) for s in article.sentences]
    entities = entities_in_spans(article.text, spans)
    return replace(article, entities=tuple(canonicalize(entities, article.text)))


@batch_stage("entities")
def find_entities_in_articles(articles: list[Article]) -> list[Article]:
    """`find_article_entities` over several articles, their sentences tagged together."""
    found = entities_in_documents(
        [(a.text, [(s.start, s.end) for s in a.sentences]) for a in articles])
    return [replace(a, entities=tuple(canonicalize(entities, a.text)))
            for a, entities in zip(articles, found)]
