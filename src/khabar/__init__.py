"""khabar: raw Arabic news text to clean articles, entities, quotes and stories.

    >>> import khabar
    >>> article = khabar.process("عنوان الخبر\\nنص الخبر الأول.", outlet="مثال")
    >>> article.title
    'عنوان الخبر'
"""

from khabar.corpus import Corpus, IngestReport
from khabar.model import Article, Story
from khabar.pipeline import Pipeline, process, process_many, registered_stages

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Corpus",
    "IngestReport",
    "Pipeline",
    "Story",
    "__version__",
    "process",
    "process_many",
    "registered_stages",
]
