"""The `entities` stage: named entities of the article body, with canonical names."""

from __future__ import annotations

from dataclasses import replace

from khabar.extract.entities import canonicalize
from khabar.extract.ner import entities_in_spans
from khabar.model import Article
from khabar.pipeline import stage


@stage("entities", requires=("sentences",), provides=("entities",))
def find_article_entities(article: Article) -> Article:
    """Persons, organisations, places and other names in the body sentences (offline CRF)."""
    spans = [(s.start, s.end) for s in article.sentences]
    entities = entities_in_spans(article.text, spans)
    return replace(article, entities=tuple(canonicalize(entities, article.text)))
