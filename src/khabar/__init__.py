"""khabar: raw Arabic news text to clean articles, entities, quotes and stories.

    >>> import khabar
    >>> article = khabar.process("دمشق - افتتحت البلدية مكتبة عامة في الحي القديم.",
    ...                          title="مكتبة جديدة في الحي القديم", outlet="مثال")
    >>> article.title, article.dateline_place
    ('مكتبة جديدة في الحي القديم', 'دمشق')
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from typing import Any

    from khabar.corpus import Corpus, IngestReport
    from khabar.errors import InputError, KhabarError
    from khabar.ingest.readers import Rejected
    from khabar.model import Article, Story
    from khabar.pipeline import Pipeline, process, process_many, registered_stages

__version__ = "0.1.0"

# The public names load on first use, so that `import khabar` (and the `khabar` command's
# start, which a Ctrl-C may interrupt) costs nothing until something is asked for.
_WHERE = {
    "Article": "khabar.model",
    "Corpus": "khabar.corpus",
    "IngestReport": "khabar.corpus",
    "InputError": "khabar.errors",
    "KhabarError": "khabar.errors",
    "Pipeline": "khabar.pipeline",
    "Story": "khabar.model",
    "process": "khabar.pipeline",
    "process_many": "khabar.pipeline",
    "Rejected": "khabar.ingest.readers",
    "registered_stages": "khabar.pipeline",
}

__all__ = [
    "Article",
    "Corpus",
    "IngestReport",
    "InputError",
    "KhabarError",
    "Pipeline",
    "Story",
    "__version__",
    "process",
    "process_many",
    "registered_stages",
    "Rejected",
]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'khabar' has no attribute {name!r}")
    value = getattr(import_module(where), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
