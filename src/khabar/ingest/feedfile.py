"""A saved RSS or Atom feed given as input: one record per item, as `khabar fetch` keeps an item
whose page it cannot fetch: the item's title, then the text the feed gives for it (its
summary, or `content:encoded` when that is longer), with its link, date and the feed's title as
outlet. Without the `sources` extra (feedparser) the file is refused with the install line."""

from __future__ import annotations

import re
from collections.abc import Iterator

from khabar.ingest.readers import Item, RawRecord, Rejected, within_limits

__all__ = ["looks_like_feed", "read_feed_file"]

# the root element of an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom document, after an XML
# declaration, comments or a BOM
_FEED_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*)*"
    rb"<(?:rss\b|rdf:RDF\b|feed\b[^>]*http://www\.w3\.org/2005/Atom)", re.S | re.I)


def looks_like_feed(head: bytes) -> bool:
    """Whether a document's first bytes open an RSS or Atom feed."""
    return bool(_FEED_ROOT.match(head[:4096]))


def read_feed_file(data: bytes, origin: str) -> Iterator[Item]:
    """The items of a feed document as records (`origin:N` for the Nth item), or why not."""
    from khabar.errors import KhabarError

    try:
        from khabar.sources.feeds import FeedError, parse_feed

        title, items = parse_feed(data, "")
    except FeedError as exc:
        yield Rejected(origin, str(exc))
        return
    except KhabarError as exc:  # feedparser missing: the install line
        yield Rejected(origin, f"{exc}")
        return
    if not items:
        yield Rejected(origin, f"feed {title!r} has no items" if title else "feed has no items")
        return
    for n, item in enumerate(items, 1):
        where = f"{origin}:{n}"
        if not item.summary.strip():
            yield Rejected(where, "feed item without text (only a title or a link: fetch its page with "
                                  "`khabar fetch --feed URL`)", item.title[:200])
            continue
        fields = item.fields()
        text = "\n".join([item.title, item.summary] if item.title else [item.summary])
        yield within_limits(RawRecord(text=text, origin=where, fields=fields,
                                      extra={"fetch": "feed file", "feed_item": item.key}))
