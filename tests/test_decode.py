from __future__ import annotations

import codecs

import pytest

from khabar.errors import DecodeError
from khabar.ingest import decode_bytes

# Our own sentences, with the features that make decoding hard: Arabic letters that sit on
# different bytes in Windows-1256 and ISO-8859-6, digits, punctuation and a Latin name.
ARTICLES = [
    "افتتح وزير النقل جسراً جديداً فوق نهر الفرات، وقال إن المشروع كلّف 12 مليون دينار.\n"
    "وأضاف أن الجسر سيخفف الزحام في المدينة؟",
    "عاجل: ارتفاع أسعار القمح في الأسواق المحلية بنسبة 5% خلال أسبوع واحد فقط\n",
    "قالت شركة Nova للطيران إن رحلاتها إلى عمّان ستعود يوم الخميس المقبل.",
]


@pytest.mark.parametrize("text", ARTICLES)
@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("cp1256", "cp1256"),
        ("iso-8859-6", "iso-8859-6"),
    ],
)
def test_each_supported_encoding_decodes_to_the_same_text(text: str, encoding: str, expected: str) -> None:
    if encoding == "iso-8859-6":
        # ISO-8859-6 has no shadda and no Latin-1 letters; drop what it cannot encode.
        text = text.replace("ّ", "")
    data = text.encode(encoding)
    decoded = decode_bytes(data)
    assert decoded.text == text.lstrip("\ufeff")
    assert decoded.encoding == expected


def test_utf8_bom_is_removed_from_the_text() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "خبر".encode()).text == "خبر"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"   \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_non_text_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


def test_random_bytes_are_not_passed_off_as_arabic() -> None:
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(128, 256) for _ in range(2000))
    with pytest.raises(DecodeError):
        decode_bytes(data)


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
         "binary file: PDF"),
        (b"\xff\xd8\xff\xe0", "binary file: JPEG image"),
        (b"\x89PNG\r\n\x1a\n", "binary file: PNG image"),
        (b"PK\x03\x04" + b"word/document.xml" * 3, "binary file: zip archive"),
        (b"\x1f\x8b\x08\x00", "binary file: gzip data"),
        # audit29: named, with what to do (khabar reads gzip)
        (b"\xfd7zXZ\x00\x00\x04", r"binary file: xz data \(decompress it first, or recompress it with gzip: khabar reads \.gz\)$"),
        (b"BZh91AY&SY" + bytes(20), r"binary file: bzip2 data \(decompress it first, or recompress it with gzip"),
        (b"\x28\xb5\x2f\xfd\x24\x00", r"binary file: zstd data \(decompress it first"),
        (b"Rar!\x1a\x07\x00", r"binary file: RAR archive \(extract its files first\)$"),
        (b"\xff\xfe\x00bad", "not text: its utf-16 decoding has no Arabic or Latin letter and no space"),
    ],
)
def test_known_binary_formats_and_garbage_are_refused_by_name(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=f"^{reason}"):
        decode_bytes(data)


def test_latin1_text_is_not_read_as_arabic() -> None:
    french = "Le ministre a annoncé une réforme économique à Tunis, réévaluée en mars."
    decoded = decode_bytes(french.encode("latin-1"))
    assert decoded.text == french and decoded.encoding == "cp1252"
    # a Latin name inside Arabic text stays Arabic text
    mixed = "قالت شركة Nova للطيران إن رحلاتها ستعود"
    assert decode_bytes(mixed.encode("cp1256")).text == mixed
