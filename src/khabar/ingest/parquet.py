"""Parquet input: one article per row, columns mapped like JSONL keys (`DEFAULT_FIELD_MAP`).

Read a row group at a time, in slices, so memory stays bounded whatever the file's size. A file
that is not Parquet, or a row group that cannot be read, is one `Rejected` with the reason, and
the rest of the file still lands. Needs pyarrow (`pip install 'khabar[parquet]'`); without it
the file is quarantined with that one-line reason.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from khabar.errors import DecodeError
from khabar.ingest.decode import decode_bytes

PARQUET_SUFFIXES = (".parquet", ".parq")
#: Rows converted to Python objects at a time (a row group may hold millions).
SLICE_ROWS = 256


def _cell(value: Any) -> Any:
    """A Parquet cell as what `record_from_mapping` takes: text, a number, or JSON-able data.

    Raises DecodeError for bytes that are not text in any encoding khabar reads."""
    if isinstance(value, bytes | bytearray):
        return decode_bytes(bytes(value)).text if value.strip() else ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta | decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _cell(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cell(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # a UUID, an IP address, an extension type's object: its text


def _wanted(field_map: Mapping[str, tuple[str, ...]] | None) -> set[str]:
    """The column names khabar reads, folded (`readers.field_key`: `Published Date` is read)."""
    from khabar.ingest.readers import DEFAULT_FIELD_MAP, HTML_KEYS, field_key

    names = [k for keys in (field_map or DEFAULT_FIELD_MAP).values() for k in keys]
    return {field_key(k) for k in (*names, *HTML_KEYS)}


def _rows(batch: Any, wanted: set[str]) -> list[dict[str, Any] | str]:
    """A record batch as row dicts; a row whose value in a column khabar reads cannot be
    converted becomes the reason (a string), and a column it does not read that cannot be
    converted is left out."""
    from khabar.ingest.readers import field_key

    batch = _microseconds(batch)
    try:
        return batch.to_pylist()
    except Exception:  # one bad value (a timestamp out of range, an unknown zone ...): by column
        pass
    rows: list[dict[str, Any] | str] = [{} for _ in range(batch.num_rows)]
    for name, column in zip(batch.schema.names, batch.columns):
        try:
            values = column.to_pylist()
        except Exception:
            if field_key(name) not in wanted:
                continue
            values = []
            for i in range(batch.num_rows):
                try:
                    values.append(column[i].as_py())
                except Exception as exc:
                    values.append(None)
                    if isinstance(rows[i], dict):
                        rows[i] = f"column {name}: {_reason(exc)}"
        for i, value in enumerate(values):
            row = rows[i]
            if isinstance(row, dict):
                row[name] = value
    return rows


def _microseconds(batch: Any) -> Any:
    """Nanosecond timestamps as microseconds: Python's datetime has no nanoseconds, and
    without pandas pyarrow refuses to convert a value that has some."""
    import pyarrow as pa

    columns = list(batch.columns)
    changed = False
    for i, column in enumerate(columns):
        kind = column.type
        if pa.types.is_timestamp(kind) and kind.unit == "ns":
            try:
                columns[i] = column.cast(pa.timestamp("us", kind.tz), safe=False)
                changed = True
            except Exception:  # an unknown zone: left for the column-by-column conversion
                pass
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names) if changed else batch


def _row(data: Mapping[str, Any] | str, origin: str,
         field_map: Mapping[str, tuple[str, ...]] | None, wanted: set[str]) -> Any:
    from khabar.ingest.readers import Rejected, field_key, record_from_mapping

    if isinstance(data, str):
        return Rejected(origin, data)
    converted: dict[str, Any] = {}
    for key, value in data.items():
        try:
            converted[str(key)] = _cell(value)
        except DecodeError as exc:
            if field_key(str(key)) in wanted:
                return Rejected(origin, f"column {key}: {exc}")
            # binary data in a column khabar does not read (an image, a hash): left out
    try:
        return record_from_mapping(converted, origin, field_map)
    except Exception as exc:  # a value no conversion foresaw: this row only
        return Rejected(origin, f"unreadable row: {_reason(exc)}")


def read_parquet(path: Path, field_map: Mapping[str, tuple[str, ...]] | None = None,
                 progress: Any = None) -> Iterator[Any]:
    """Records of one Parquet file, row by row (origin `FILE:ROW`, rows counted from 1)."""
    from khabar.ingest.readers import Rejected

    origin = str(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Rejected(origin, "reading Parquet needs pyarrow: pip install 'khabar[parquet]'")
        return
    try:
        size = path.stat().st_size
        parquet = pq.ParquetFile(path)
        groups = parquet.metadata.num_row_groups
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ... for a bad footer
        yield Rejected(origin, f"not a readable Parquet file: {_reason(exc)}")
        return
    reported = 0
    first_row = 1
    wanted = _wanted(field_map)
    try:
        for group in range(groups):
            rows = parquet.metadata.row_group(group).num_rows
            row = first_row
            try:
                for batch in parquet.iter_batches(batch_size=SLICE_ROWS, row_groups=[group]):
                    for data in _rows(batch, wanted):
                        yield _row(data, f"{origin}:{row}", field_map, wanted)
                        row += 1
            except Exception as exc:  # a damaged page or column chunk: this row group only
                last = first_row + rows - 1
                yield Rejected(f"{origin}:{row}-{last}",
                               f"row group {group + 1} of {groups} unreadable from row {row}: "
                               f"{_reason(exc)}")
            first_row += rows
            if progress:  # the file's bytes spread over its row groups
                done = size * (group + 1) // groups
                progress(done - reported)
                reported = done
    finally:
        parquet.close()


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
