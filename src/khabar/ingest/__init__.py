"""Readers: bytes from files, JSONL dumps and stdin to raw records with metadata."""

from khabar.ingest.decode import Decoded, decode_bytes
from khabar.ingest.metadata import parse_published
from khabar.ingest.readers import (
    DEFAULT_FIELD_MAP,
    RawRecord,
    Rejected,
    expand_paths,
    parse_field_map,
    read_file,
    read_paths,
    read_stdin,
    record_from_mapping,
    total_bytes,
)

__all__ = [
    "DEFAULT_FIELD_MAP",
    "Decoded",
    "RawRecord",
    "Rejected",
    "decode_bytes",
    "expand_paths",
    "parse_field_map",
    "parse_published",
    "read_file",
    "read_paths",
    "read_stdin",
    "record_from_mapping",
    "total_bytes",
]
