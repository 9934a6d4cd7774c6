"""Stories: exact/near-duplicate copy groups and streaming story clustering across outlets.

    >>> from khabar.stories import cluster_articles, find_copy_groups
"""

from khabar.stories.cluster import ClusterConfig, StoryClusterer, dense_config, features
from khabar.stories.dedup import CopyGroup, DedupIndex, exact_hash, find_copy_groups, minhash
from khabar.stories.stream import Assignment, StoryStream, cluster_articles, cluster_records

__all__ = [
    "Assignment",
    "ClusterConfig",
    "CopyGroup",
    "DedupIndex",
    "StoryClusterer",
    "StoryStream",
    "cluster_articles",
    "cluster_records",
    "dense_config",
    "exact_hash",
    "features",
    "find_copy_groups",
    "get_story",
    "list_stories",
    "minhash",
]


def list_stories(store, sort: str = "size", limit: int | None = 50) -> list[dict]:  # type: ignore[no-untyped-def]
    """For `khabar stories [--sort size|recency|outlets]`: story summaries from a `Store`."""
    from khabar.store.stories import StoryStore

    return StoryStore(store).list_stories(sort, limit)


def get_story(store, story_id: str) -> dict:  # type: ignore[no-untyped-def]
    """One story with its articles, from a `Store`."""
    from khabar.store.stories import StoryStore

    return StoryStore(store).story(story_id)
