"""Where articles live: an embedded SQLite store (the default)."""

from khabar.store.sqlite import BatchResult, SearchHit, Store

__all__ = ["BatchResult", "SearchHit", "Store"]
