"""Readers: files, directories, JSONL(.gz), Parquet, WARC and stdin to raw records with metadata.

A reader never raises on bad input; it yields a `Rejected` with a one-line reason for each
item it cannot read and goes on with the rest.
"""

from __future__ import annotations

import contextlib
import codecs
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from khabar.errors import DecodeError, InputError
from khabar.ingest.decode import decode_bytes
from khabar.ingest.delimited import CSV_SUFFIXES, looks_like_table, read_delimited
from khabar.ingest.html import (
    HTML_SUFFIXES,
    br_to_lines,
    html_bytes_to_record,
    html_to_record,
    looks_like_html,
)
from khabar.ingest.parquet import PARQUET_SUFFIXES

#: Each canonical field and the input keys that fill it, first match wins.
DEFAULT_FIELD_MAP: Mapping[str, tuple[str, ...]] = {
    # the later keys are those of common crawlers and markup (news-please's maintext,
    # date_publish and source_domain; schema.org's articleBody and datePublished)
    "text": ("text", "content", "body", "article", "full_text", "maintext", "articleBody", "article_body",
             "article_text"),
    "title": ("title", "headline"),
    # not `domain`: in classification datasets it is the topic (sports, economy)
    "outlet": ("outlet", "source", "src", "site", "publisher", "source_name", "newspaper", "source_domain"),
    "url": ("url", "link"),
    # `time` last: beside a date column a spreadsheet's `Time` is the clock time alone
    "published": ("published", "date", "date_extracted", "pubdate", "datetime", "date_publish",
                  "datePublished", "published_at", "published_date", "publish_date", "publication_date",
                  "pub_date", "time"),
    "external_id": ("id", "docno", "doc_id", "docid", "_id", "uid", "guid", "article_id"),
    "author": ("author", "byline", "authors"),
}
#: Input keys that hold a raw HTML page instead of text.
HTML_KEYS = ("html", "raw_html", "content_html")
_NAME_JOINERS = re.compile(r"[\s_.\-]+")


@lru_cache(maxsize=4096)  # a file's records repeat the same few keys
def field_key(name: str) -> str:
    """An input key or column name as it is matched against the field map: in any case and
    with spaces, underscores, hyphens and dots not counted, so that `Article Body`,
    `article_body`, `articleBody` and `ARTICLE-BODY` are one name (spreadsheets, CSV exports
    and flattened JSON write a field's name each their own way)."""
    return _NAME_JOINERS.sub("", name).casefold()

MAX_RECORD_BYTES = 8 * 1024 * 1024
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Longest text taken as one article (the longest SaudiNewsNet article has about 34,000): a
#: longer "article" is a concatenated dump or garbage; the limit bounds what one article costs
#: every stage in time and memory.
MAX_TEXT_CHARS = 100_000
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json", ".json.gz")


@dataclass(frozen=True, slots=True)
class RawRecord:
    """Text as received plus whatever metadata came with it (canonical field names)."""

    text: str
    origin: str
    fields: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input item that could not be read, and why."""

    origin: str
    reason: str
    sample: str = ""


@dataclass(frozen=True, slots=True)
class Skipped(Rejected):
    """An input item passed over on purpose (an image in a WARC file): counted, not quarantined."""


Item = RawRecord | Rejected

_URL_OR_NUMBER_IN_PARENS = re.compile(r"\s*\((?:[^()]*://[^()]*|[\d,.\s]+)\)")
# positions, counts and sizes vary per item; an HTTP status or a limit (8 MiB, 100,000
# characters) is part of the kind
_NUMBER = re.compile(
    r"(?<!status )(?<![\w.-])\d[\d,]*(?:\.\d+)?(?:-\d[\d,]*)?(?![\d,.]*(?: MiB| characters))")


def reason_kind(reason: str) -> str:
    """What a reason says, without what varies per item, to count reasons by: the part before
    the first `: ` outside parentheses (the details after it: an exception's message, a media
    type), positions and counts as N, a URL or a number in parentheses left out.

    `not UTF-8 at byte 17 (JSONL must be UTF-8)` -> `not UTF-8 at byte N (JSONL must be UTF-8)`;
    `WARC file ends inside record 28 (https://x.example/8)` -> `WARC file ends inside record N`.
    """
    depth = 0
    for i, char in enumerate(reason):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == ":" and depth == 0 and reason[i + 1:i + 2] in (" ", ""):
            reason = reason[:i]
            break
    reason = _URL_OR_NUMBER_IN_PARENS.sub("", reason)
    return _NUMBER.sub("N", reason).strip()


def within_limits(item: Item) -> Item:
    """The record, or a `Rejected` when its text is longer than `MAX_TEXT_CHARS`."""
    if isinstance(item, RawRecord) and len(item.text) > MAX_TEXT_CHARS:
        return Rejected(item.origin, f"text longer than {MAX_TEXT_CHARS:,} characters"
                        f" ({len(item.text):,}): not one article", item.text[:200])
    return item
ProgressFn = Callable[[int], None]


def parse_field_map(pairs: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """`["text=content", "outlet=site,src"]` -> a field map overriding the defaults."""
    mapping = dict(DEFAULT_FIELD_MAP)
    given: dict[str, tuple[str, ...]] = {}
    for pair in pairs:
        name, sep, keys = pair.partition("=")
        name = name.strip().lower()  # TEXT=…: field names, like input keys, in any case
        if not sep or name not in DEFAULT_FIELD_MAP or not keys.strip():
            known = ", ".join(DEFAULT_FIELD_MAP)
            raise InputError(f"bad --field {pair!r}: expected NAME=KEY[,KEY...] with NAME in {known}")
        # --field text=a --field text=b: both keys, in the order given (the last one had won)
        found = tuple(k.strip() for k in keys.split(",") if k.strip())
        given[name] = tuple(dict.fromkeys(given.get(name, ()) + found))
    mapping.update(given)
    return mapping


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(text: str) -> str:
    """JSON may escape half a UTF-16 pair (`"\\ud800"`): not a character, and not storable as
    UTF-8; it becomes U+FFFD so the rest of the record lands."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def json_kind(value: Any) -> str:
    """What a parsed JSON value is, in JSON's words, for a reason a user reads.

    >>> json_kind(None), json_kind([1]), json_kind(2.5), json_kind(True)
    ('null', 'an array', 'a number', 'true or false')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    return "an object" if isinstance(value, dict) else "not JSON"


def _as_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _unicode(value)
    if isinstance(value, (int, float)):
        return str(value)
    return _unicode(json.dumps(value, ensure_ascii=False))


#: Keys that name a thing, in an object standing for an outlet or a person (JSON-LD's
#: `{"@type": "Organization", "name": …}`).
_NAME_KEYS = ("name", "title", "label")
#: Fields where an object is read as its name.
_NAMED_FIELDS = ("outlet", "author")
#: How a list of strings is joined, by field: paragraphs with a blank line, authors with an
#: Arabic comma. A list of several strings in any other field has no sensible reading.
_LIST_JOINS = {"text": "\n\n", "author": "، "}


def _name_of(value: Mapping[str, Any]) -> str | None:
    folded = {k.lower(): v for k, v in value.items() if isinstance(k, str)}
    return next((v.strip() for v in (folded.get(k) for k in _NAME_KEYS)
                 if isinstance(v, str) and v.strip()), None)


def _text_of(name: str, value: Any) -> str | None:
    """The text a list or an object in canonical field `name` stands for, or None when it has
    no sensible reading: a list of strings joined (`_LIST_JOINS`; one string in any field), an
    outlet or author object by its name (`_NAME_KEYS`)."""
    if isinstance(value, dict):
        return _name_of(value) if name in _NAMED_FIELDS else None
    parts: list[str] = []
    for part in value:
        if isinstance(part, dict) and name in _NAMED_FIELDS:
            part = _name_of(part)  # JSON-LD: a list of Person objects
        if part is None or (isinstance(part, str) and not part.strip()):
            continue
        if not isinstance(part, str):
            return None  # a list of objects or of lists: not text
        parts.append(part.strip())
    if len(parts) <= 1:
        return parts[0] if parts else ""
    joiner = _LIST_JOINS.get(name)
    return joiner.join(parts) if joiner else None


def record_from_mapping(
    data: Mapping[str, Any], origin: str, field_map: Mapping[str, tuple[str, ...]] | None = None
) -> Item:
    """Map one input object onto canonical fields; the rest is kept as `extra`."""
    field_map = field_map or DEFAULT_FIELD_MAP
    fields: dict[str, str] = {}
    used: set[str] = set()
    folded: dict[str, str] | None = None  # lower-cased key -> key, built when first needed
    for name, keys in field_map.items():
        exact = next((i for i, key in enumerate(keys) if key in data and data[key] not in (None, "")),
                     len(keys))
        found = keys[exact] if exact < len(keys) else None
        if exact:  # `Title`, `Article Body`: headers as spreadsheets write them; a key the map
            # ranks higher wins however it is written (`Date` over date_extracted, the crawl's)
            if folded is None:
                folded = {}
                for k in data:
                    if isinstance(k, str):
                        folded.setdefault(field_key(k), k)
            found = next((real for real in (folded.get(field_key(key)) for key in keys[:exact])
                          if real is not None and data[real] not in (None, "")), found)
        if found is not None:
            value = data[found]
            kind = ""
            if isinstance(value, (list, tuple, dict)):
                read = _text_of(name, value)
                if read is None:
                    # no sensible reading: a broken export, not an article to store with its
                    # brackets as its body, title or outlet
                    kind = "an object" if isinstance(value, dict) else "a list"
                    if isinstance(value, dict) and name in _NAMED_FIELDS:
                        kind += f" with no {'/'.join(_NAME_KEYS)} key"
                value = read
            elif name == "text" and isinstance(value, (int, float)):
                # a title or an id may be a number; an article's body never is
                kind = json_kind(value)
            if kind:
                shown = repr(_unicode(found)) + ("" if found == name else f" (read as {name})")
                return Rejected(origin, f"field {shown} is {kind}, not text",
                                _as_string(data.get("title", ""))[:200]
                                if isinstance(data.get("title"), str) else "")
            fields[name] = _as_string(value)
            used.add(found)
    html_key = next((k for k in HTML_KEYS if isinstance(data.get(k), str) and data[k].strip()), None)
    if html_key is None:
        # `Raw HTML`, `HTML`: a page's column named as the header check names it (field_key)
        if folded is None:
            folded = {}
            for k in data:
                if isinstance(k, str):
                    folded.setdefault(field_key(k), k)
        html_key = next((real for real in (folded.get(field_key(k)) for k in HTML_KEYS)
                         if real is not None and isinstance(data[real], str) and data[real].strip()),
                        None)
    if html_key:
        used.add(html_key)  # the page becomes the text; keep it out of `extra`
    extra = {_unicode(k): _as_string(v) for k, v in data.items() if k not in used and v not in (None, "")}
    text = br_to_lines(fields.pop("text", ""))
    if looks_like_html(text[:4096]):
        page: str | None = text
    elif html_key and not text.strip():
        page = _unicode(data[html_key])
    else:
        page = None
    if page is not None:
        found = html_to_record(page, origin, url=fields.get("url", ""), fields=fields)
        if isinstance(found, Rejected):
            return found
        return within_limits(RawRecord(text=found.text, origin=origin, fields=found.fields,
                                       extra={**found.extra, **extra}))
    if not text.strip():
        wanted = "/".join(field_map["text"])
        has_key = any(k in data or field_key(k) in (folded or ()) for k in field_map["text"])
        reason = "empty body" if has_key else f"no text field (looked for {wanted})"
        return Rejected(origin, reason, fields.get("title", "")[:200])
    return within_limits(RawRecord(text=text, origin=origin, fields=fields, extra=extra))


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and reports how many bytes have been read from it."""

    def __init__(self, raw: BinaryIO, progress: ProgressFn | None) -> None:
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        if self._progress and n:
            self._progress(n)
        return n


_GZIP_MAGIC = b"\x1f\x8b"


class _Gunzip(io.RawIOBase):
    """The data of a gzip stream, every member in turn (zero padding between them skipped),
    as gzip(1) reads it: bytes after the last member that are not gzip end the data and are
    noted in `junk_at` (their offset in the compressed stream) and `junk` (their first bytes)
    instead of failing the read, so the members before them are kept. A stream cut short
    raises EOFError, broken data zlib.error, only once the data before the break has been
    returned: a buffer over this one loses no more than the line it was filling."""

    def __init__(self, raw: BinaryIO, chunk: int = 1 << 16) -> None:
        self._raw = raw
        self._chunk = chunk
        self._pending = b""  # compressed bytes read and not yet given to a decompressor
        self._taken = 0  # compressed bytes read from `raw`
        self._member: Any = None  # the decompressor of the member being read
        self._members = 0
        self._done = False
        self.junk_at: int | None = None
        self.junk = b""

    def readable(self) -> bool:
        return True

    def _more(self) -> bool:
        data = self._raw.read(self._chunk)
        self._taken += len(data)
        self._pending += data
        return bool(data)

    def _next_member(self) -> bool:
        """Opens the next member; False at the end of the data (or at trailing junk)."""
        while True:
            if self._members:
                self._pending = self._pending.lstrip(b"\x00")
            if len(self._pending) >= len(_GZIP_MAGIC) or not self._more():
                break
        if not self._pending:
            return False
        if not self._pending.startswith(_GZIP_MAGIC):
            if not self._members:
                if _GZIP_MAGIC.startswith(self._pending):  # the start of a header, and no more
                    raise EOFError("Compressed file ended before the end-of-stream marker was reached")
                raise gzip.BadGzipFile("not gzip data")
            self.junk_at = self._taken - len(self._pending)
            self.junk = self._pending[:80]
            return False
        self._member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._members += 1
        return True

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        while size and not self._done:
            if self._member is None and not self._next_member():
                self._done = True
                break
            fed = bool(self._pending) or self._more()
            out = self._member.decompress(self._pending, size)
            if self._member.eof:
                self._pending, self._member = self._member.unused_data, None
            else:
                self._pending = self._member.unconsumed_tail
            if out:
                buffer[:len(out)] = out
                return len(out)
            if not fed and self._member is not None:
                raise EOFError("Compressed file ended before the end-of-stream marker was reached")
        return 0


def gunzip(raw: BinaryIO) -> tuple[BinaryIO, _Gunzip]:
    """A buffered stream of the data of gzip bytes (see `_Gunzip`), and its reader, which says
    whether trailing bytes were left unread (`trailing_junk`)."""
    reader = _Gunzip(raw)
    return io.BufferedReader(reader, buffer_size=1 << 20), reader  # type: ignore[return-value]


def trailing_junk(reader: _Gunzip, origin: str) -> Rejected | None:
    """The reject for the bytes after the gzip data that were not read, if there were any."""
    if reader.junk_at is None:
        return None
    return Rejected(origin, f"trailing bytes after the gzip data: not gzip, not read (from byte {reader.junk_at:,};"
                            " what came before it is kept, as gzip -d keeps it)", reader.junk.decode("latin-1"))


def _read_jsonl(
    stream: BinaryIO, origin: str, field_map: Mapping[str, tuple[str, ...]] | None,
    *, sniff: bool = True, note: str = "",
) -> Iterator[Item]:
    """Records of JSON lines, one per line; with `sniff`, a UTF-16 file and a file whose first
    value goes on past its line (a pretty-printed JSON document) are read whole as what they are."""
    line_no = 0
    first = sniff  # no non-blank line yet, and the file's shape still to sniff
    while True:
        try:
            line = stream.readline(MAX_RECORD_BYTES + 1)
        except (EOFError, OSError, zlib.error) as exc:
            yield Rejected(f"{origin}:{line_no + 1}", f"file broken after line {line_no}: {exc}")
            return
        if not line:
            if first and sniff:  # no line but blank ones: an empty file, said as for any other
                yield Rejected(origin, "empty file")
            return
        line_no += 1
        where = f"{origin}:{line_no}"
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            # Skip the rest of an oversized line without holding it in memory.
            while line and not line.endswith(b"\n"):
                line = stream.readline(MAX_RECORD_BYTES)
            yield Rejected(where, f"line longer than {MAX_RECORD_BYTES // (1024 * 1024)} MiB")
            continue
        if line_no == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if sniff and line_no == 1 and _utf16_start(line):
            # a file saved as "Unicode text": read whole, as UTF-8, line numbers kept
            yield from _whole(line, stream, origin, field_map, jsonl=True)
            return
        if not line.strip():
            continue
        was_first, first = first, False
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Rejected(where, f"not UTF-8 at byte {exc.start} (JSONL must be UTF-8)")
            continue
        try:
            data = json.loads(decoded)
        except json.JSONDecodeError as exc:
            if (was_first and line_no < 1000 and decoded.lstrip()[:1] in ("{", "[")
                    and len(decoded.strip()) <= _PRETTY_FIRST_LINE
                    and exc.pos >= len(decoded.rstrip()) and not _unterminated(exc)):
                # the first value goes on past its line: a pretty-printed JSON document (or
                # several), not JSON lines; read as such rather than one error per line
                yield from _whole(b"\n" * (line_no - 1) + line, stream, origin, field_map)
                return
            # json's "Unterminated string starting at" already ends with its "at"
            msg = exc.msg.removesuffix(" at")
            yield Rejected(where, f"invalid JSON: {msg} at column {exc.colno}{note}", decoded[:200])
            note = ""
            continue
        if isinstance(data, list) and any(isinstance(item, dict) for item in data):
            # a whole array on one line (an API's answer saved as .jsonl): its objects are
            # records, as in a .json file
            yield from _document_records(data, where, field_map)
            continue
        if not isinstance(data, dict):
            kind = json_kind(data)
            if isinstance(data, list):
                kind = "an array with no object in it" if data else "an empty array"
            yield Rejected(where, f"expected a JSON object, got {kind}", decoded[:200])
            continue
        yield record_from_mapping(data, where, field_map)


# A pretty-printed document opens with a short line (`{`, `[`, `{"articles": [`); a JSON line
# that breaks off (a record cut after a comma) is as long as its article: one bad line, not a
# file to read whole.
_PRETTY_FIRST_LINE = 200


class _Joined:
    """`head` (bytes already read) and then the rest of `stream`, read by lines."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = io.BytesIO(head)
        self._stream = stream

    def readline(self, size: int = -1) -> bytes:
        line = self._head.readline(size)
        if line.endswith(b"\n") or (size >= 0 and len(line) >= size):
            return line
        more = self._stream.readline(size - len(line) if size >= 0 else -1)
        return line + more


def _unterminated(exc: json.JSONDecodeError) -> bool:
    # a JSON string cannot go on past its line: a line cut short, not a pretty-printed value
    return exc.msg.startswith("Unterminated string")


def _utf16_start(line: bytes) -> bool:
    """Whether a file's first line is UTF-16: a UTF-16 byte order mark, or `{`/`[` and the
    next characters each beside a zero byte."""
    if line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    head = line[:8]
    return len(head) == 8 and (
        (head[0:1] in (b"{", b"[") and head[1::2] == bytes(4))
        or (head[1:2] in (b"{", b"[") and head[0::2] == bytes(4)))


def _whole(
    head: bytes, stream: BinaryIO, origin: str, field_map: Mapping[str, tuple[str, ...]] | None,
    *, jsonl: bool = False,
) -> Iterator[Item]:
    """The rest of `stream` after `head`, read whole (up to `MAX_FILE_BYTES`): UTF-16 JSON lines
    (`jsonl`) or JSON documents."""
    try:
        data = head + stream.read(MAX_FILE_BYTES + 1)
    except (EOFError, OSError, zlib.error) as exc:
        yield Rejected(origin, f"cannot read: {exc}")
        return
    if len(data) > MAX_FILE_BYTES:
        if jsonl:
            yield Rejected(origin, f"UTF-16 JSON lines larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"
                                   " (write JSON lines in UTF-8: one object per line)")
            return
        # too large to be one document: JSON lines after all, line by line, so every good
        # line still lands (the first line's reason says why it is none)
        yield from _read_jsonl(_Joined(data, stream), origin, field_map, sniff=False,  # type: ignore[arg-type]
                               note=f"; not read whole: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        return
    note = ""
    if jsonl:
        try:
            data = _json_text(data).encode("utf-8")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: line by line, each line its reason
        if not data.replace(b"\xef\xbb\xbf", b"").strip():
            yield Rejected(origin, "empty file")  # a byte order mark and blanks: nothing in it
            return
    else:
        problem = _document_problem(data)
        if problem is None:
            yield from _read_json_document(data, origin, field_map)
            return
        # not a whole JSON document either: line by line, so the lines that are JSON objects
        # still land; the first line's reason says where the document breaks
        note = f"; read whole, not a JSON document either: {problem}"
    yield from _read_jsonl(io.BytesIO(data), origin, field_map, sniff=False, note=note)


def _json_text(data: bytes) -> str:
    """JSON bytes as text: UTF-8 (with or without BOM), or UTF-16 by its BOM or its zero bytes."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if data[:1] == b"\x00":
        return data.decode("utf-16-be")
    if data[1:2] == b"\x00":
        return data.decode("utf-16-le")
    return data.decode("utf-8-sig")


def _read_json_document(
    data: bytes, origin: str, field_map: Mapping[str, tuple[str, ...]] | None
) -> Iterator[Item]:
    """Records of a JSON document: an object, a list of objects, an object whose one list of
    objects holds the records (`{"articles": [...]}`), or several such documents one after the
    other (pretty-printed objects concatenated)."""
    try:
        text = _json_text(data)
    except UnicodeDecodeError as exc:
        yield Rejected(origin, f"invalid JSON document: not UTF-8 at byte {exc.start}")
        return
    decoder = json.JSONDecoder()
    pos, many, read = 0, False, False
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos == len(text):
            if not read:  # nothing but blanks
                yield Rejected(origin, "empty file")
            return
        line = text.count("\n", 0, pos) + 1
        try:
            doc, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            where = f"{origin}:{exc.lineno}" if many or exc.lineno > 1 else origin
            msg = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
            yield Rejected(where, f"invalid JSON document: {msg} at line {exc.lineno}"
                                  f" column {exc.colno}", text[pos:pos + 200])
            return
        many = many or end < len(text.rstrip())
        read = True
        yield from _document_records(doc, f"{origin}:{line}" if many else origin, field_map)
        pos = end


def _document_records(
    doc: Any, where: str, field_map: Mapping[str, tuple[str, ...]] | None
) -> Iterator[Item]:
    if isinstance(doc, dict):
        key = _records_key(doc, field_map or DEFAULT_FIELD_MAP)
        if key is None:
            yield record_from_mapping(doc, where, field_map)
            return
        doc, where = doc[key], f"{where}.{key}"
    if not isinstance(doc, list):
        yield Rejected(where, f"expected a JSON object, got {json_kind(doc)}")
        return
    for index, item in enumerate(doc, 1):
        if isinstance(item, dict):
            yield record_from_mapping(item, f"{where}[{index}]", field_map)
        else:
            yield Rejected(f"{where}[{index}]", f"expected a JSON object, got {json_kind(item)}")


def _records_key(doc: Mapping[str, Any], field_map: Mapping[str, tuple[str, ...]]) -> str | None:
    """The key of a wrapper object's list of records (`{"status": "ok", "articles": [...]}`):
    its only value that is a list of objects, when it has no text field of its own."""
    text_keys = {field_key(key) for key in (*field_map["text"], *HTML_KEYS)}

    def has_text(item: Mapping[str, Any]) -> bool:
        return any(isinstance(k, str) and field_key(k) in text_keys for k in item)

    if has_text(doc):
        return None  # an article itself (its page under `html`), whatever lists it holds
    # the records are objects with a text of their own: a list of images or tags is none
    lists = [k for k, v in doc.items()
             if isinstance(v, list) and v and all(isinstance(i, dict) for i in v) and any(has_text(i) for i in v)]
    return lists[0] if len(lists) == 1 else None


def _is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES)


def read_file(
    path: Path,
    field_map: Mapping[str, tuple[str, ...]] | None = None,
    progress: ProgressFn | None = None,
) -> Iterator[Item]:
    """Records of one file: JSONL (one per line), a JSON document, CSV/TSV or Parquet (one per
    row), WARC (one per response), or one article per file."""
    origin = str(path)
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        from khabar.ingest.warc import read_warc

        yield from read_warc(path, progress)
        return
    if name.endswith(PARQUET_SUFFIXES):
        from khabar.ingest.parquet import read_parquet

        yield from read_parquet(path, field_map, progress)
        return
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed in finally, streamed
    except OSError as exc:
        yield Rejected(origin, f"cannot open: {exc.strerror or exc}")
        return
    unzipped: _Gunzip | None = None
    try:
        counted = io.BufferedReader(_CountingReader(raw, progress), buffer_size=1 << 20)
        if name.endswith(".gz"):
            try:
                head = counted.peek(len(_GZIP_MAGIC))[:len(_GZIP_MAGIC)]
            except OSError as exc:
                yield Rejected(origin, f"cannot read: {exc.strerror or exc}")
                return
            if head and not _GZIP_MAGIC.startswith(head):
                yield Rejected(origin, "not gzip data, though the name ends in .gz",
                               counted.peek(80)[:80].decode("latin-1"))
                return
            stream, unzipped = gunzip(counted)  # type: ignore[arg-type]
        else:
            stream = counted  # type: ignore[assignment]
        yield from _read_stream(stream, path, origin, field_map)
        junk = trailing_junk(unzipped, origin) if unzipped else None
        if junk:
            yield junk
    finally:
        raw.close()


def _read_stream(stream: BinaryIO, path: Path, origin: str,
                 field_map: Mapping[str, tuple[str, ...]] | None) -> Iterator[Item]:
    """The records of a file's (decompressed) bytes, by the file's name and then its content."""
    name = path.name.lower()
    if name.endswith((".json", ".json.gz")) and not _is_jsonl_content(stream):
        try:
            data = stream.read(MAX_FILE_BYTES + 1)
        except (EOFError, OSError, zlib.error) as exc:
            yield Rejected(origin, f"cannot read: {exc}")
            return
        yield from _read_json_document(data, origin, field_map)
    elif _is_jsonl(path):
        yield from _read_jsonl(stream, origin, field_map)
    elif name.endswith(CSV_SUFFIXES):
        yield from read_delimited(stream, origin, field_map, tab=name.endswith((".tsv", ".tsv.gz", ".tab")))
    elif _is_jsonl_content(stream):  # JSON lines under another name (`dump.gz`, `.txt`)
        yield from _read_jsonl(stream, origin, field_map)
    else:
        yield from _whole_input(stream, origin, field_map,
                                f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB",
                                html=name.endswith(HTML_SUFFIXES))


def _whole_input(stream: BinaryIO, origin: str, field_map: Mapping[str, tuple[str, ...]] | None,
                 too_large: str, *, html: bool = False) -> Iterator[Item]:
    """`_one_input` of a file or stream read whole, up to MAX_FILE_BYTES (`too_large`: the
    reason past that)."""
    try:
        data = stream.read(MAX_FILE_BYTES + 1)
    except (EOFError, OSError, zlib.error) as exc:
        yield Rejected(origin, f"cannot read: {exc}")
        return
    if len(data) > MAX_FILE_BYTES:
        yield Rejected(origin, too_large)
        return
    yield from _one_input(data, origin, field_map, html=html)


def _one_input(data: bytes, origin: str, field_map: Mapping[str, tuple[str, ...]] | None,
               *, html: bool = False) -> Iterator[Item]:
    """What a whole file or stream read into memory holds: a saved feed (its items), an HTML
    page, a JSON document under another name, or one article's text (`html`: by its name)."""
    from khabar.ingest.feedfile import looks_like_feed, read_feed_file

    if looks_like_feed(data):
        yield from read_feed_file(data, origin)
        return
    if html or looks_like_html(data[:4096].decode("latin-1")):
        yield within_limits(html_bytes_to_record(data, origin))
        return
    root = _xml_root(data)
    if root is not None:  # XML that is no feed and no page: its markup is no article's text
        yield Rejected(origin, f"XML document with the root element <{root}>, not an RSS or Atom feed "
                               f"nor an HTML page", data[:80].decode("latin-1"))
        return
    if _is_json_document(data):  # one JSON document under another name
        yield from _read_json_document(data, origin, field_map)
        return
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        yield Rejected(origin, str(exc), data[:80].decode("latin-1"))
        return
    yield within_limits(RawRecord(text=decoded.text, origin=origin, encoding=decoded.encoding))


_XML_DECLARATION = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\?>\s*(?:<!--.*?-->\s*|<\?[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*)*"
    rb"<([A-Za-z_][\w.:-]{0,80})", re.DOTALL)


def _xml_root(data: bytes) -> str | None:
    """The root element's name of bytes that open with an XML declaration, else None."""
    found = _XML_DECLARATION.match(data[:4096])
    return found.group(1).decode("ascii", "replace") if found else None


def _is_json_document(data: bytes) -> bool:
    """Whether bytes are one whole JSON object or list (or several, one after the other)."""
    head = data[:1 << 16].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[") and _document_problem(data) is None


def _document_problem(data: bytes) -> str | None:
    """None when bytes are JSON objects or lists one after the other, else what is wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 at byte {exc.start}"
    decoder, pos = json.JSONDecoder(), 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos == len(text):
            return None
        try:
            doc, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            return f"{exc.msg.removesuffix(' at')} at line {exc.lineno} column {exc.colno}"
        if not isinstance(doc, (dict, list)):
            return f"{json_kind(doc)} where a JSON object belongs"


def _is_jsonl_content(stream: Any) -> bool:
    """A `.json` file whose first line is a whole object is really JSONL."""
    try:
        head = stream.peek(65536)[:65536]
    except (AttributeError, OSError, EOFError, zlib.error):
        return False
    first = head.split(b"\n", 1)[0].strip().lstrip(b"\xef\xbb\xbf")
    if not first.startswith(b"{"):
        return False
    try:
        json.loads(first)
    except ValueError:
        return False
    return b"\n" in head.strip()


def expand_paths(paths: Iterable[str | os.PathLike[str]], hidden: list[Path] | None = None,
                 linked: list[Path] | None = None) -> list[Path]:
    """Files named, and every non-hidden file under directories named, in a stable order; the
    hidden files and folders passed over (names starting with a dot) are added to `hidden`, and
    the links to folders under a folder, which are not followed (one to a folder above would
    loop), to `linked`."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if str(given) == "-":
            files.append(path)
        elif path.is_dir():
            for root, dirs, names in os.walk(path):
                if hidden is not None:
                    hidden.extend(Path(root) / n for n in sorted(dirs + names) if n.startswith("."))
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                if linked is not None:
                    linked.extend(Path(root) / d for d in dirs if (Path(root) / d).is_symlink())
                files.extend(Path(root) / n for n in sorted(names) if not n.startswith("."))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"no such file or directory: {given}")
    return files


def read_stdin(
    stream: BinaryIO | None = None, field_map: Mapping[str, tuple[str, ...]] | None = None,
    *, origin: str = "-", gunzipped: bool = False,
) -> Iterator[Item]:
    """Standard input (or another stream, named `origin`): JSON lines if it starts with `{`, a
    JSON document if it is one, a WARC stream, gzip (decompressed, then the same), a CSV/TSV
    table when its first line names the columns (a text column among them), otherwise one
    article (an HTML page when it looks like one)."""
    stream = stream or sys.stdin.buffer
    buffered = io.BufferedReader(stream) if not hasattr(stream, "peek") else stream
    try:
        peeked = buffered.peek(1 << 16)[: 1 << 16]  # type: ignore[union-attr]
    except (EOFError, OSError, zlib.error) as exc:
        yield Rejected(origin, f"cannot read: {exc}")
        return
    head = peeked.lstrip(b"\xef\xbb\xbf \t\r\n")
    if peeked.startswith(b"\x1f\x8b") and not gunzipped:  # one level of gzip, as for files
        # read as a .gz file is (the members in turn, trailing junk noted, not read)
        unpacked, reader = gunzip(buffered)  # type: ignore[arg-type]
        yield from read_stdin(unpacked, field_map, origin=origin, gunzipped=True)
        junk = trailing_junk(reader, origin)
        if junk:
            yield junk
        return
    if peeked.startswith(b"WARC/"):
        from khabar.ingest.warc import read_warc_stream

        yield from read_warc_stream(buffered, origin)  # type: ignore[arg-type]
        return
    if peeked.startswith(b"PAR1"):
        # Parquet is read from its footer, at the end: it needs a file to seek in
        yield Rejected(origin, "Parquet data on standard input: pass the file's path instead")
        return
    if head.startswith(b"{"):
        yield from _read_jsonl(buffered, origin, field_map)  # type: ignore[arg-type]
        return
    if looks_like_table(peeked, field_map):
        yield from read_delimited(buffered, origin, field_map)  # type: ignore[arg-type]
        return
    yield from _whole_input(buffered, origin, field_map,  # type: ignore[arg-type]
                            f"input larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB:"
                            " not one article (JSON lines start with '{')")


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
    field_map: Mapping[str, tuple[str, ...]] | None = None,
    progress: ProgressFn | None = None,
) -> Iterator[Item]:
    """Every record under the given paths (`-` is stdin); a hidden file or folder in a folder,
    and a link to a folder there, is `Skipped` (counted, so nothing goes unmentioned)."""
    hidden: list[Path] = []
    linked: list[Path] = []
    for path in expand_paths(paths, hidden, linked):
        if str(path) == "-":
            yield from read_stdin(field_map=field_map)
        else:
            yield from read_file(path, field_map, progress)
    for path in hidden:
        kind = "folder" if path.is_dir() else "file"
        yield Skipped(str(path), f"hidden {kind} (its name starts with a dot)")
    for path in linked:
        yield Skipped(str(path), "link to a folder (not followed: name it to read it)")


def total_bytes(paths: Iterable[str | os.PathLike[str]]) -> int:
    """Size on disk of everything `read_paths` would read (0 for stdin; 0 for a file it cannot
    stat, such as a broken link, which reading quarantines with its reason)."""
    size = 0
    for path in expand_paths(paths):
        if str(path) != "-":
            with contextlib.suppress(OSError):
                size += path.stat().st_size
    return size
