"""Bytes to text for Arabic news files: UTF-8 (with or without BOM), UTF-16, Windows-1256 and
ISO-8859-6, told apart by how plausible each decoding is as Arabic text.

Everything that is not text gets a `DecodeError` with a one-line reason, so the reader can
quarantine the file and go on with the rest of the batch.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from khabar.errors import DecodeError

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3]")
# Latin-1 letters with accents: what Arabic bytes look like when decoded with the wrong
# single-byte table (ISO-8859-6 bytes read as Windows-1256 come out as à, â, ç, è, é, ...).
_MOJIBAKE = re.compile(r"[\u00C0-\u00FF\u0152\u0153\u0192\u02C6\u2030]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
# an Arabic word: two Arabic letters or more, with no Latin letter glued to it
_ARABIC_WORD = re.compile(
    r"(?<![A-Za-z\u0621-\u064A\u0671-\u06D3])[\u0621-\u064A\u0671-\u06D3]{2,}"
    r"(?![A-Za-z\u0621-\u064A\u0671-\u06D3])")
_CONTROL = re.compile(r"[\x00-\x08\x0B\x0E-\x1F\x7F-\x9F\uFFFD]")


#: What to do with a compressed file khabar does not open itself (it reads gzip).
_RECOMPRESS = " (decompress it first, or recompress it with gzip: khabar reads .gz)"
_EXTRACT = " (extract its files first)"

#: File signatures ("magic numbers") of formats that are not text, and what to call them: such
#: bytes are refused by name, not decoded into an "article" (a small PDF is mostly ASCII).
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "zip archive (or docx/xlsx/epub; extract a zip's files first)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document (doc/xls)"),
    (b"\x1f\x8b", "gzip data (name the file .gz)"),
    (b"\xfd7zXZ\x00", "xz data" + _RECOMPRESS),
    (b"\x28\xb5\x2f\xfd", "zstd data" + _RECOMPRESS),
    (b"7z\xbc\xaf\x27\x1c", "7z archive" + _EXTRACT),
    (b"Rar!\x1a\x07", "RAR archive" + _EXTRACT),
    (b"PAR1", "Parquet file (name it .parquet)"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x7fELF", "executable"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"OggS", "Ogg audio/video"),
    (b"ID3\x02", "MP3 audio"),
    (b"ID3\x03", "MP3 audio"),
    (b"ID3\x04", "MP3 audio"),
)
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}


def binary_kind(data: bytes) -> str | None:
    """What a file's first bytes say it is when that is a known non-text format, else None."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    if data.startswith(b"BZh") and data[4:10] == b"1AY&SY":
        return "bzip2 data" + _RECOMPRESS
    if data[257:262] == b"ustar" and b"\x00" in data[:257]:  # a tar archive (`.tar.gz` gunzipped too)
        return "tar archive" + _EXTRACT
    if data[4:8] == b"ftyp":
        return "MP4/MOV video or HEIC image"
    return None


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def _plausibility(text: str) -> float:
    """Higher is more like real text: Arabic letters count for, controls and mojibake against."""
    if not text:
        return 0.0
    arabic = len(_ARABIC_LETTER.findall(text))
    mojibake = len(_MOJIBAKE.findall(text))
    control = len(_CONTROL.findall(text))
    return (arabic - 3 * mojibake - 10 * control) / len(text)


def _control_share(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(1, len(text))


def _looks_like_utf16(data: bytes) -> str | None:
    """Guess UTF-16 without a BOM from where the zero (or 0x06, Arabic block) bytes sit."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    high = (0x00, 0x06)  # high bytes of ASCII and of the Arabic block

    def share(bs: bytes) -> float:
        return sum(b in high for b in bs) / max(1, len(bs))

    if share(odd) > 0.9 and share(even) < 0.5:
        return "utf-16-le"
    if share(even) > 0.9 and share(odd) < 0.5:
        return "utf-16-be"
    return None


def trusted_charset(data: bytes, declared: str | None) -> str | None:
    """The codec to decode `data` with, given the charset a header or meta tag declares:
    the declared one, except for bytes that are valid UTF-8 holding non-ASCII characters,
    which are UTF-8 whatever is declared.

    A declared single-byte charset (windows-1256, iso-8859-x) decodes almost any bytes, so
    "it decodes" proves nothing; text in such a charset is almost never valid UTF-8 by chance,
    while Arabic sites that moved to UTF-8 often kept their old windows-1256 declaration.
    """
    if not declared or declared in ("utf-8", "utf-8-sig") or data.isascii():
        return declared
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return declared
    return "utf-8"


def decode_bytes(data: bytes) -> Decoded:
    """Decode a whole file's bytes, or raise `DecodeError` saying why it is not text."""
    if not data:
        raise DecodeError("empty file")
    kind = binary_kind(data)
    if kind:
        raise DecodeError(f"binary file: {kind}")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:], "utf-8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data, "utf-16", "utf-16")
    guessed16 = _looks_like_utf16(data)
    if guessed16:
        try:
            text = data.decode(guessed16)
        except UnicodeDecodeError:
            pass
        else:
            if _control_share(text) < 0.01:
                decoded = _nonempty(Decoded(text, guessed16))
                _letters_or_spaces(decoded)
                return decoded
    if b"\x00" in data[:65536]:
        raise DecodeError("binary file (contains NUL bytes and is not UTF-16)")
    try:
        return _nonempty(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as exc:
        utf8_error = exc
    candidates: list[Decoded] = []
    for encoding in ("cp1256", "iso-8859-6"):
        try:
            candidates.append(Decoded(data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
    candidates = [c for c in candidates if _control_share(c.text) < 0.02]
    if not candidates:
        raise DecodeError(
            f"not text: invalid UTF-8 at byte {utf8_error.start} and not Windows-1256 or "
            "ISO-8859-6 either (binary?)"
        )
    best = max(candidates, key=lambda c: _plausibility(c.text))
    if _latin_in_disguise(best.text):
        try:
            return _nonempty(Decoded(data.decode("cp1252"), "cp1252"))
        except UnicodeDecodeError:  # a byte cp1252 leaves undefined
            return _nonempty(Decoded(data.decode("latin-1"), "latin-1"))
    if _plausibility(best.text) <= 0 and not best.text.isascii():
        raise DecodeError(
            f"undecodable: invalid UTF-8 at byte {utf8_error.start}, and no Arabic single-byte "
            "encoding gives readable text"
        )
    return _nonempty(best)


def _checked(data: bytes, codec: str, name: str) -> Decoded:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {name} at byte {exc.start}: {exc.reason}") from None
    decoded = _nonempty(Decoded(text.lstrip("\ufeff"), name))
    if name.startswith("utf-16"):
        _letters_or_spaces(decoded)
    return decoded


def _letters_or_spaces(decoded: Decoded) -> None:
    """UTF-16 reads any even number of bytes as something, often CJK-looking characters:
    a decoding with no Arabic or Latin letter and no space is not a news text."""
    text = decoded.text
    if not (_ARABIC_LETTER.search(text) or _LATIN_LETTER.search(text) or any(c.isspace() for c in text)):
        raise DecodeError(f"not text: its {decoded.encoding} decoding has no Arabic or Latin letter"
                          " and no space (binary?)")


def _latin_in_disguise(text: str) -> bool:
    """Whether a single-byte decoding has Arabic letters but not one Arabic word: the letters
    sit inside Latin words or alone (`annoncى une rىforme`, `ـ Paris`), so it is Latin-1 text
    read with an Arabic table, not Arabic."""
    return bool(_ARABIC_LETTER.search(text)) and not _ARABIC_WORD.search(text)


def _nonempty(decoded: Decoded) -> Decoded:
    if not decoded.text.strip():
        raise DecodeError("empty file (only whitespace)")
    if _control_share(decoded.text) > 0.05:
        raise DecodeError(f"binary file ({decoded.encoding} decoding is mostly control characters)")
    sample = decoded.text[:20000]
    if len(sample) > 200 and sum(c.isspace() for c in sample) / len(sample) < 0.02:
        raise DecodeError(f"not text: no word breaks in its {decoded.encoding} decoding (binary?)")
    return decoded
