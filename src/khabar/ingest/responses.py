"""HTTP response bodies (fetched pages, WARC records) to raw records through the HTML path.

What the HTTP headers say about a body comes first: a `Content-Type` that is not HTML is
skipped, and its `charset` is used unless it is a Latin one (Arabic sites often declare
ISO-8859-1 for Windows-1256 bytes), does not decode, or the body is valid UTF-8 with non-ASCII
characters (`trusted_charset`: then it is UTF-8); then the page's own declaration and the
Arabic-aware guess of `decode_html` decide.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping

from khabar.errors import DecodeError
from khabar.ingest.decode import Decoded, trusted_charset
from khabar.ingest.html import _checked_text, decode_html, html_to_record, looks_like_html
from khabar.ingest.metadata import parse_published
from khabar.ingest.readers import RawRecord, Rejected

#: Media types read as HTML pages.
HTML_TYPES = ("text/html", "application/xhtml+xml")
_LATIN = ("latin-1", "iso8859-1", "ascii", "cp1252")


def media_type(content_type: str | None) -> str:
    """`text/html; charset=utf-8` -> `text/html` (lowercase; empty when absent)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def header_charset(content_type: str | None) -> str | None:
    """The Python codec named by a Content-Type's `charset` parameter, or None."""
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip("\"'").lower()).name
            except LookupError:
                return None
    return None


def is_html(content_type: str | None, body: bytes = b"") -> bool:
    """Whether a response is an HTML page: by its media type, or by sniffing when it has none."""
    kind = media_type(content_type)
    if kind:
        return kind in HTML_TYPES
    return looks_like_html(body[:4096].decode("latin-1"))


def decode_response(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML response body; raises `DecodeError` with a one-line reason if not text."""
    charset = trusted_charset(body, header_charset(content_type))
    if charset and charset not in _LATIN and not charset.startswith(("utf-16", "utf-32")):
        if body.startswith(codecs.BOM_UTF8):
            charset = "utf-8"
            body = body[3:]
        try:
            return _checked_text(Decoded(body.decode(charset), charset))
        except (UnicodeDecodeError, DecodeError):
            pass  # the header lies: the page's own declaration and the guess decide
    return decode_html(body)


def response_to_record(
    body: bytes,
    content_type: str | None,
    origin: str,
    *,
    url: str = "",
    fields: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
    last_modified: str | None = None,
) -> RawRecord | Rejected:
    """A raw record for an HTML response body, or a `Rejected` saying why not.

    `fields` (canonical names) win over what the page says; `extra` is added to the record's
    metadata. `last_modified` (the HTTP header) is the publication time only when neither the
    caller nor the page gives one, and the metadata then says so (`published_source`).
    """
    if not is_html(content_type, body):
        return Rejected(origin, f"not HTML: {media_type(content_type) or 'unknown type'}")
    try:
        decoded = decode_response(body, content_type)
    except DecodeError as exc:
        return Rejected(origin, str(exc), body[:80].decode("latin-1"))
    found = html_to_record(decoded.text, origin, url=url, fields=fields)
    if isinstance(found, Rejected):
        return found
    found_fields, notes = dict(found.fields), {**found.extra, **(extra or {})}
    if last_modified and not found_fields.get("published"):
        when = parse_published(last_modified)
        if when is not None:  # when the server last changed the page: a fallback, marked
            found_fields["published"] = when.isoformat()
            notes["published_source"] = "http last-modified"
    return RawRecord(
        text=found.text,
        origin=origin,
        fields=found_fields,
        extra=notes,
        encoding=decoded.encoding,
    )
