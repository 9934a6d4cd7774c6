"""Where articles live: an embedded SQLite store (the default)."""

from khabar.store.sqlite import BatchResult, SearchHit, Sighting, Store

__all__ = ["BatchResult", "SearchHit", "Sighting", "Store"]
