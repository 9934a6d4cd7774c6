"""WARC ingest throughput: pages/s and MB/s on generated WARC files.

    python benchmarks/warc.py                      # 1,000 and 10,000 pages
    python benchmarks/warc.py --pages 1000         # one size
    python benchmarks/warc.py --full-pipeline      # also every stage (slow: ~50 pages/s/core)

Pages are generated here (Arabic news pages of ~25 KB with navigation, related links, a script
and a footer, like a news site's), written as a gzipped WARC with a request and a response
record per page (warcio), plus one non-HTML response per 50 pages. Measured, each in this
process, wall and CPU time:

- `warcio`: iterating the records and reading the payloads (the WARC layer alone);
- `read`: `read_paths` on the WARC, i.e. WARC + HTML extraction (trafilatura) to raw records;
- `read_html_files`: `read_paths` on the same pages as .html files (what WARC costs on top);
- `ingest_cleaning`: `Corpus.ingest` with the cleaning stages into a fresh database.

MB/s is over the uncompressed HTML payload bytes. Results go to benchmarks/results/warc.json.
The machine is shared and has 2 cores: timings are noisy; CPU seconds are steadier than wall.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from khabar import Corpus
from khabar.ingest.readers import RawRecord, read_paths

CLEANING_STAGES = ["lines", "body", "identify", "language", "sentences", "pii"]
PLACES = ["عمّان", "بغداد", "بيروت", "القاهرة", "تونس", "الرباط", "الدوحة", "مسقط", "صنعاء", "دمشق",
          "الخرطوم", "الجزائر", "طرابلس", "الكويت", "المنامة"]
SUBJECTS = ["وزارة الصحة", "هيئة الطرق", "البنك المركزي", "مجلس المدينة", "وزارة الزراعة",
            "الدفاع المدني", "هيئة الطيران", "وزارة التعليم", "سلطة المياه", "غرفة التجارة",
            "وزارة الطاقة", "اتحاد الكرة", "نقابة المعلمين", "هيئة الاستثمار"]
VERBS = ["أعلنت", "أكدت", "كشفت", "أوضحت", "ذكرت", "قالت"]
OUTLETS = ["صحيفة الساحل", "وكالة الجنوب", "موقع النهار الجديد", "إذاعة الوادي", "بوابة الشرق"]
FILLER = [
    "وأشار المسؤول إلى أن الجهات المعنية ستتابع التنفيذ عن كثب وتنشر تقارير دورية عن سير العمل.",
    "ولفت إلى أن المرحلة الأولى ستركز على المناطق الأكثر حاجة قبل التوسع إلى باقي المحافظات.",
    "ودعا المواطنين إلى التعاون مع الفرق الميدانية والإبلاغ عن أي ملاحظات عبر القنوات الرسمية.",
    "وتأتي هذه الخطوة ضمن برنامج أوسع أقرته الحكومة مطلع العام لتحسين الخدمات العامة.",
    "وكان عدد من النواب قد انتقدوا تأخر المشاريع السابقة وطالبوا بجداول زمنية ملزمة.",
    "ويرى خبراء أن نجاح الخطة يتوقف على توفير التمويل اللازم في الموعد المحدد.",
]


def page(n: int) -> tuple[str, bytes]:
    """(url, HTML bytes) of a generated news page unique to `n`, about 25 KB."""
    place, subject = PLACES[n % len(PLACES)], SUBJECTS[(n // 7) % len(SUBJECTS)]
    verb, outlet = VERBS[n % len(VERBS)], OUTLETS[n % len(OUTLETS)]
    url = f"https://www.site{n % len(OUTLETS)}.example/news/{n:06d}.html"
    title = f"{subject} في {place}: برنامج جديد رقم {n} بكلفة {n % 97 + 3} مليون دينار"
    paragraphs = [(f"{place} - {verb} {subject} اليوم أنها ستطلق البرنامج رقم {n} خلال الأشهر المقبلة، "
                  f"ويشمل {n % 23 + 2} مشروعاً في {n % 11 + 2} محافظات.")]
    for k in range(6 + n % 5):
        paragraphs.append(FILLER[(n + k) % len(FILLER)] + f" وبلغ عدد المستفيدين {n * 7 + k * 13} شخصاً.")
    nav = "".join(f'<li><a href="/section/{i}">قسم {i}</a></li>' for i in range(40))
    related = "".join(f'<li><a href="/news/{(n + i) % 100000:06d}.html">{SUBJECTS[i % len(SUBJECTS)]} '
                      f"تبحث ملف {PLACES[i % len(PLACES)]}</a></li>" for i in range(15))
    script = "var config = {" + ",".join(f'"k{i}": "{"x" * 40}"' for i in range(150)) + "};"
    html = (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f'<title>{title} | {outlet}</title><meta property="og:site_name" content="{outlet}">'
        f'<link rel="canonical" href="{url}"><meta property="article:published_time" '
        f'content="2026-03-{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}:00+03:00"><script>{script}</script>'
        f"</head><body><header><ul class=\"nav\">{nav}</ul></header><main><article><h1>{title}</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + f'</article><aside><h3>أخبار ذات صلة</h3><ul>{related}</ul></aside></main>'
        f"<footer><p>جميع الحقوق محفوظة © {outlet} 2026</p></footer></body></html>"
    )
    return url, html.encode("utf-8")


def write_warc(path: Path, pages: int, html_dir: Path | None) -> int:
    """Write the WARC (and the pages as .html files); returns the HTML payload bytes."""
    payload = 0
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "khabar benchmark"}))
        for n in range(pages):
            url, body = page(n)
            payload += len(body)
            if html_dir is not None:
                (html_dir / f"{n:06d}.html").write_bytes(body)
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(f"GET {url} HTTP/1.1\r\n\r\n".encode())))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
            if n % 50 == 0:
                image = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url + ".jpg", "response", payload=io.BytesIO(bytes(2000)), http_headers=image))
    return payload


def timed(func):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def rates(pages: int, payload: int, wall: float, cpu: float) -> dict:
    return {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "pages_per_s": round(pages / wall, 1), "pages_per_cpu_s": round(pages / cpu, 1),
            "mb_per_s": round(payload / 1e6 / wall, 2)}


def run(pages: int, folder: Path, html_files: bool) -> dict:
    warc = folder / f"pages{pages}.warc.gz"
    html_dir = folder / f"html{pages}"
    html_dir.mkdir()
    payload = write_warc(warc, pages, html_dir if html_files else None)
    out: dict = {"pages": pages, "warc_bytes": warc.stat().st_size, "html_payload_bytes": payload}

    def warcio_only() -> int:
        count = 0
        with open(warc, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    record.content_stream().read()
                    count += 1
        return count

    _, wall, cpu = timed(warcio_only)
    out["warcio"] = rates(pages, payload, wall, cpu)
    records, wall, cpu = timed(lambda: sum(isinstance(i, RawRecord) for i in read_paths([warc])))
    assert records == pages, (records, pages)
    out["read"] = rates(pages, payload, wall, cpu)
    if html_files:
        records, wall, cpu = timed(lambda: sum(isinstance(i, RawRecord) for i in read_paths([html_dir])))
        assert records == pages
        out["read_html_files"] = rates(pages, payload, wall, cpu)
    with Corpus(folder / f"clean{pages}.db", stages=CLEANING_STAGES) as corpus:
        report, wall, cpu = timed(lambda: corpus.ingest([warc]))
    assert report.new == pages and report.skipped == (pages + 49) // 50, report
    out["ingest_cleaning"] = rates(pages, payload, wall, cpu)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default="1000,10000", help="comma-separated WARC sizes in pages")
    parser.add_argument("--full-pipeline", action="store_true",
                        help="also ingest the smallest WARC with every stage")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "warc.json"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.pages.split(",") if s.strip()]
    results = {"machine": f"{platform.machine()} {platform.python_version()}", "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        for pages in sizes:
            folder = Path(tmp) / str(pages)
            folder.mkdir()
            result = run(pages, folder, html_files=True)
            results["runs"].append(result)
            print(f"{pages:,} pages, WARC {result['warc_bytes'] / 1e6:.1f} MB gzipped, "
                  f"{result['html_payload_bytes'] / 1e6:.1f} MB of HTML")
            for key in ("warcio", "read", "read_html_files", "ingest_cleaning"):
                if key in result:
                    r = result[key]
                    print(f"  {key:16} {r['pages_per_s']:8.1f} pages/s {r['mb_per_s']:7.2f} MB/s "
                          f"({r['seconds']:.1f} s wall, {r['pages_per_cpu_s']:.1f} pages per CPU s)")
        if args.full_pipeline:
            pages = min(sizes)
            warc = Path(tmp) / str(pages) / f"pages{pages}.warc.gz"
            payload = results["runs"][0]["html_payload_bytes"]
            with Corpus(Path(tmp) / "full.db") as corpus:
                _, wall, cpu = timed(lambda: corpus.ingest([warc]))
            results["runs"][0]["ingest_all_stages"] = rates(pages, payload, wall, cpu)
            r = results["runs"][0]["ingest_all_stages"]
            print(f"  all stages       {r['pages_per_s']:8.1f} pages/s {r['mb_per_s']:7.2f} MB/s")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"→ {args.out}")


if __name__ == "__main__":
    main()
