"""CSV and TSV input: one article per row, columns named by a header row and mapped like JSONL
keys (`DEFAULT_FIELD_MAP`, matched without regard to case, spaces, underscores or hyphens:
`readers.field_key`).

Streamed row by row, so a file of any size reads in bounded memory. The encoding is found from
the start of the file (UTF-8 with or without BOM, UTF-16 as spreadsheets export "Unicode text",
Windows-1256 or ISO-8859-6 as older Arabic exports are); the delimiter from the header line
(comma, semicolon, tab or bar; tab for `.tsv`). What cannot be read is one `Rejected` with a
one-line reason and the rest of the file lands: a row with more fields than the header, a row
with bytes that are not text in the file's encoding, a field longer than the csv module's limit
(which is also where an unclosed quote ends up: the lines it swallowed are named), a file cut
short inside its compression.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, BinaryIO

from khabar.errors import DecodeError
from khabar.ingest.decode import _looks_like_utf16, decode_bytes

CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".tab")
_DELIMITERS = ",;\t|"
_HEAD_BYTES = 1 << 16
# surrogateescape turns each byte that is not text in the encoding into U+DC80..U+DCFF
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _encoding(head: bytes) -> str:
    """The encoding of a file that starts with `head`; raises DecodeError when it is no text."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    even = head[: len(head) - len(head) % 2]
    guessed = _looks_like_utf16(even)
    if guessed:
        return guessed
    # UTF-8 unless bytes that are not UTF-8 are more than a stray few: a bad row near the top
    # must cost that row, not turn the whole file into Windows-1256 mojibake
    text = head.decode("utf-8", "surrogateescape")
    bad = len(_UNDECODABLE.findall(text))
    wide = sum(1 for ch in text if ch > "\x7f") - bad
    if bad <= 3 or (wide and bad <= 0.01 * wide):  # 3: a character cut at the head's end
        return "utf-8"
    # a single-byte Arabic table: cut the head at a line end so no character is split
    cut = head.rfind(b"\n")
    return decode_bytes(head[: cut if cut > 0 else len(head)]).encoding


def _delimiter(header: str, tab: bool) -> str:
    if tab:
        return "\t"
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties: the first listed (comma)
    return best if counts[best] else ","


#: A column name on standard input's first line: up to four words (`Article Text`,
#: `published_at`), not a phrase of prose that a comma happened to end.
_COLUMN_NAME = re.compile(r"[\w.-]+(?: [\w.-]+){0,3}")


def looks_like_table(head: bytes, field_map: Mapping[str, tuple[str, ...]] | None = None) -> bool:
    """Whether a stream starting with `head` is a CSV/TSV table (for input with no file name:
    standard input): its first line is two or more column names, one of them a text column,
    and the line after it holds the same delimiter."""
    from khabar.ingest.readers import DEFAULT_FIELD_MAP, HTML_KEYS, field_key

    try:
        text = head.decode(_encoding(head), "replace")
    except (DecodeError, LookupError):
        return False
    lines = (line for line in text.lstrip("\ufeff").splitlines() if line.strip())
    first, row = next(lines, ""), next(lines, "")
    delimiter = _delimiter(first, False)
    if delimiter not in row:
        return False  # no row under it split the same way: a text whose first line has commas
    names = [name.strip().strip('"').lower() for name in first.split(delimiter)]
    # an unnamed column, as pandas writes its index (`,title,text`) or a trailing delimiter
    # leaves, is still a table's header when two or more columns are named
    named = [name for name in names if name]
    if len(named) < 2 or not all(len(name) <= 40 and _COLUMN_NAME.fullmatch(name) for name in named):
        return False
    wanted = {field_key(k) for k in (*(field_map or DEFAULT_FIELD_MAP)["text"], *HTML_KEYS)}
    if wanted.isdisjoint(map(field_key, names)):
        return False
    if any(" " in name for name in named):
        # names of several words are also phrases of prose (`Home, World News, Article` over a
        # text with commas): a table's rows in the head have as many fields as its header, and
        # a second of its names is one the field map reads (`Title, Article Text`), not only
        # the text column (`Text, photos and video`: a line of prose that happens to start so)
        known = {field_key(k) for keys in (field_map or DEFAULT_FIELD_MAP).values() for k in keys}
        if sum(field_key(name) in known or field_key(name) in wanted for name in named) < 2:
            return False
        return _rows_match_header(text.lstrip("\ufeff"), delimiter, len(names))
    return True


def _rows_match_header(text: str, delimiter: str, width: int) -> bool:
    """Whether every complete row of `text` after its header has `width` fields (the last one
    counts only when `text` ends with a line break outside quotes: the head may cut it)."""
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]
    except csv.Error:
        return False
    if not (text.endswith(("\n", "\r")) and text.count('"') % 2 == 0):
        rows = rows[:-1]  # cut by the head's end: its fields are not all there
    return all(len(r) == width for r in rows[1:])


def _has_undecodable(values: list[str]) -> bool:
    return any(_UNDECODABLE.search(v) for v in values if not v.isascii())


def read_delimited(stream: BinaryIO, origin: str, field_map: Mapping[str, tuple[str, ...]] | None,
                   *, tab: bool = False) -> Iterator[Any]:
    """Records (or `Rejected`) of a CSV/TSV byte stream whose first row names the columns."""
    from khabar.ingest.readers import (DEFAULT_FIELD_MAP, HTML_KEYS, RawRecord, Rejected, field_key,
                                       record_from_mapping)

    try:
        head = stream.peek(_HEAD_BYTES)[:_HEAD_BYTES]  # type: ignore[attr-defined]
    except (EOFError, OSError, zlib.error) as exc:
        yield Rejected(origin, f"cannot read: {exc}")
        return
    if not head.strip():
        yield Rejected(origin, "empty file")
        return
    try:
        encoding = _encoding(head)
    except DecodeError as exc:
        yield Rejected(origin, f"not a text table: {exc}", head[:80].decode("latin-1"))
        return
    text = io.TextIOWrapper(stream, encoding=encoding, newline="",
                            errors="surrogateescape" if encoding.startswith("utf-8") else "replace")
    try:
        first = _first_line(text)
    except (EOFError, OSError, zlib.error) as exc:
        yield Rejected(origin, f"cannot read: {exc}")
        return
    if first is None:
        yield Rejected(origin, "empty file")
        return
    reader = csv.reader(_chain(first, text), delimiter=_delimiter(first, tab))
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except (csv.Error, StopIteration) as exc:
        yield Rejected(f"{origin}:1", f"unreadable header row: {exc}")
        return
    folded = {field_key(name) for name in header}
    text_keys = (field_map or DEFAULT_FIELD_MAP)["text"]
    if not any(field_key(k) in folded for k in (*text_keys, *HTML_KEYS)):
        found = ", ".join(_shown(name) for name in header[:12]) or "none"
        yield Rejected(origin, f"no text column in the header (looked for {'/'.join(text_keys)};"
                               f" found {found})")
        return
    width = len(header)
    rows = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            lines = f"lines {start}-{reader.line_num}" if reader.line_num > start else f"line {start}"
            yield Rejected(f"{origin}:{start}", f"{lines} unreadable ({exc}; an unclosed quote?)")
            continue
        except (EOFError, OSError, zlib.error) as exc:
            yield Rejected(f"{origin}:{start}", f"file broken after line {start - 1}: {exc}")
            return
        where = f"{origin}:{start}"
        if not any(v.strip() for v in row):
            continue
        rows += 1
        if len(row) > width and any(v.strip() for v in row[width:]):
            # a quote left open runs the next line's row into this one: name the lines it took
            spans = f" (lines {start}-{reader.line_num}: an unclosed quote?)" if reader.line_num > start else ""
            yield Rejected(where, f"{len(row)} fields where the header has {width}{spans}",
                           ",".join(row)[:200])
            continue
        if _has_undecodable(row):
            yield Rejected(where, f"bytes that are not {encoding} text in this row",
                           ",".join(row)[:200].encode("utf-8", "replace").decode("utf-8"))
            continue
        item = record_from_mapping(dict(zip(header, row)), where, field_map)
        if encoding != "utf-8" and isinstance(item, RawRecord):
            item = replace(item, encoding=encoding)
        yield item
    if not rows:
        yield Rejected(origin, "no rows after the header")


def _shown(name: str) -> str:
    """A column name as a reason shows it: one line, printable, at most 40 characters (a quoted
    header may hold line breaks and control characters)."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    return repr(name) if not flat else flat[:40]


def _first_line(text: io.TextIOWrapper) -> str | None:
    """The first line that is not blank (the header), read without its newline being lost."""
    for line in text:
        if line.strip():
            return line
    return None


def _chain(first: str, rest: io.TextIOWrapper) -> Iterator[str]:
    yield first
    yield from rest
