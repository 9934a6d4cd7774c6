"""WARC files (`.warc`, `.warc.gz`, as written by crawlers and Common Crawl) to raw records.

Each `response` record holding an HTML page goes through the HTML path with its target URL as
the article's URL; the record's `WARC-Date` (when the page was captured) fills the publication
time when the page states none, and is kept as `warc_date`. Responses that are not HTML pages
(images, scripts, feeds, redirects, errors) are `Skipped` with a reason, so the ingest report
counts them without quarantining them; `request`, `metadata`, `warcinfo` and `revisit` records
are passed over silently. A broken file yields a `Rejected` saying after which record it broke.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from khabar.errors import KhabarError
from khabar.ingest.readers import (
    MAX_FILE_BYTES,
    Item,
    ProgressFn,
    RawRecord,
    Rejected,
    Skipped,
    _CountingReader,
    within_limits,
)
from khabar.ingest.responses import is_html, media_type, response_to_record

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
#: Pages above this many bytes are skipped (a WARC record can hold a whole video).
MAX_PAGE_BYTES = MAX_FILE_BYTES // 4
_SILENT = frozenset(["request", "metadata", "warcinfo", "revisit", "conversion", "continuation"])


def _require_warcio() -> Any:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise KhabarError(
            "reading WARC files needs warcio: pip install 'khabar[sources]'"
        ) from None

    class _Archive(ArchiveIterator):  # type: ignore[misc,valid-type]
        """warcio ends the iteration without a word when the file ends inside a record's
        headers (the last gzip member cut short, most often); this one notes it in `cut`."""

        cut = False

        def _next_record(self, next_line: Any) -> Any:
            reader = getattr(self, "reader", None)
            # bytes of a record are waiting: a line read ahead (plain WARC), the next gzip
            # member's data, or what is left in the buffer
            # (blank lines after the last record are no record: a stray newline at the end)
            pending = bool(next_line and next_line.strip()) or bool(
                (getattr(reader, "starting_data", None) or b"").strip())
            try:
                pending = pending or bool(reader is not None and reader.rem_length())
            except Exception:  # noqa: BLE001 - warcio internals moved: no worse than before
                pass
            try:
                return super()._next_record(next_line)
            except EOFError:
                self.cut = pending
                raise
            except Exception:
                # headers cut before the target URI make warcio fail rather than stop
                self.cut = _at_end(reader)
                raise

    return _Archive


def _at_end(reader: Any) -> bool:
    """Whether warcio's reader has handed out every byte of the file."""
    try:
        return bool(reader.empty() and not reader.stream.read(1))
    except Exception:  # noqa: BLE001 - warcio internals moved: say "broken", as before
        return False


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def _read_capped(stream: Any, limit: int) -> bytes | None:
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def _truncated(record: Any) -> bool:
    """Whether the file ended inside this record (warcio hands out the short record silently)."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return bool(getattr(raw, "limit", 0))


def read_warc_stream(stream: BinaryIO, origin: str) -> Iterator[Item]:
    """Records of a WARC (or ARC) stream, plain or gzipped per record; see the module docstring."""
    archive_iterator = _require_warcio()
    number = 0
    records = None
    try:
        records = archive_iterator(stream, arc2warc=True)
        for record in records:
            number += 1
            where = f"{origin}:{number}"
            kind = record.rec_type
            if kind in _SILENT:
                if _truncated(record):
                    yield Rejected(where, f"WARC file ends inside record {number} ({kind})")
                    return
                continue
            headers = record.rec_headers
            url = headers.get_header("WARC-Target-URI") or ""
            if kind is None and not url and not headers.headers:
                continue  # blank lines after the last record parse as an empty one: no record
            if record.format == "warc" and headers.get_header("Content-Length") is None:
                # every WARC record states its length: headers without it were cut off
                yield Rejected(where, f"WARC file ends inside record {number} (in its headers)", url)
                return
            date = headers.get_header("WARC-Date") or ""
            if kind == "response":
                http = record.http_headers
                if http is None:  # a response record that is not HTTP (dns:, ftp:)
                    yield Skipped(where, f"not HTTP: {url.split(':', 1)[0] or 'no URL'}")
                    continue
                status = http.get_statuscode() or ""
                content_type = http.get_header("Content-Type")
                if not status.startswith("2"):
                    yield Skipped(where, f"HTTP status {status or 'missing'}", url)
                    continue
            elif kind == "resource":
                content_type = headers.get_header("Content-Type")
            else:
                yield Skipped(where, f"WARC record type {kind}", url)
                continue
            if media_type(content_type) and not is_html(content_type):
                yield Skipped(where, f"not HTML: {media_type(content_type)}", url)
                continue
            body = _read_capped(record.content_stream(), MAX_PAGE_BYTES)
            if body is not None and _truncated(record):
                yield Rejected(where, f"WARC file ends inside record {number} ({url})")
                return
            if body is None:
                yield Skipped(where, f"page larger than {MAX_PAGE_BYTES // (1024 * 1024)} MiB", url)
                continue
            if not is_html(content_type, body):
                yield Skipped(where, "not HTML: unknown type", url)
                continue
            found = response_to_record(
                body, content_type, where, url=url, fields={"url": url} if url else None,
                extra={"warc_date": date} if date else None,
            )
            if isinstance(found, RawRecord) and date and not found.fields.get("published"):
                found = RawRecord(text=found.text, origin=found.origin,
                                  fields={**found.fields, "published": date},
                                  extra=found.extra, encoding=found.encoding)
            yield within_limits(found)  # a page's text, as an HTML file's, is one article's
        if getattr(records, "cut", False):
            yield Rejected(f"{origin}:{number + 1}",
                           f"WARC file ends inside record {number + 1} (in its headers)")
    except KhabarError:
        raise
    except Exception as exc:  # noqa: BLE001 - a truncated or corrupt archive ends the file, not the run
        if getattr(records, "cut", False):
            yield Rejected(f"{origin}:{number + 1}",
                           f"WARC file ends inside record {number + 1} (in its headers)")
            return
        yield Rejected(f"{origin}:{number + 1}", f"WARC file broken after record {number}: "
                       f"{_why_broken(exc, number + 1)}"[:300])


def _why_broken(exc: Exception, number: int) -> str:
    """What a reader of the quarantine is told about a WARC file warcio gave up on: its own
    message when it has one for the file (an unknown format, broken gzip), else that the
    record's headers could not be read (a header it needs is missing: warcio then fails with
    an AttributeError or a TypeError, which says nothing to a user)."""
    from warcio.recordloader import ArchiveLoadFailed

    detail = " ".join(str(exc).split())
    if isinstance(exc, (ArchiveLoadFailed, OSError, EOFError, zlib.error)) and detail:
        return detail
    return f"the headers of record {number} cannot be read (a WARC header missing or malformed)"


def read_warc(path: Path, progress: ProgressFn | None = None) -> Iterator[Item]:
    """Records of one WARC file (see `read_warc_stream`)."""
    origin = str(path)
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        # warcio reads anything that is not WARC as the older ARC format, garbage included
        try:
            with (gzip.open(path, "rb") if name.endswith(".gz") else open(path, "rb")) as head:
                start = head.read(5)
        except (OSError, EOFError, zlib.error) as exc:
            yield Rejected(origin, f"cannot read WARC file: {exc}")
            return
        if start != b"WARC/":
            shown = start.decode("latin-1").encode("unicode_escape").decode("ascii")
            yield Rejected(origin, f"not a WARC file (starts with {shown!r}, expected 'WARC/')")
            return
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed in finally, streamed
    except OSError as exc:
        yield Rejected(origin, f"cannot open: {exc.strerror or exc}")
        return
    try:
        stream = io.BufferedReader(_CountingReader(raw, progress), buffer_size=1 << 20)
        yield from read_warc_stream(stream, origin)  # type: ignore[arg-type]
    finally:
        raw.close()
