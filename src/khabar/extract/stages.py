"""The `entities` stage: named entities of the article body, with canonical names."""

from __future__ import annotations

from dataclasses import replace

from khabar.extract.entities import canonicalize
from khabar.extract.ner import entities_in_documents
from khabar.model import Article
from khabar.pipeline import batch_stage, stage


@stage("entities", requires=("sentences",), provides=("entities",))
def find_article_entities(article: Article) -> Article:
    """Persons, organisations, places and other names in the body sentences (offline CRF)."""
    return find_entities_in_articles([article])[0]


@batch_stage("entities")
def find_entities_in_articles(articles: list[Article]) -> list[Article]:
    """`find_article_entities` over several articles, their sentences tagged together."""
    found = entities_in_documents(
        [(a.text, [(s.start, s.end) for s in a.sentences]) for a in articles])
    return [replace(a, entities=tuple(canonicalize(entities, a.text)))
            for a, entities in zip(articles, found)]
