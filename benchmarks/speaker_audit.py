"""Who the quotes say spoke, on real news: every quote's speaker with its verb and the words
around it, for a fixed sample of ANT and SaudiNewsNet articles, and counts of speaker shapes
that are almost never a speaker.

    python benchmarks/speaker_audit.py --offset 3 --limit 120          # print every quote
    python benchmarks/speaker_audit.py --offset 3 --limit 120 --flagged  # only the odd shapes

The sample is extraction_diff's (every 79th ANT and every 37th SaudiNewsNet article from
`--offset`, at most `--limit` of each). Each line is `key | speaker | verb | context`, the
context being the speaker's words in [brackets] with 40 characters each side (or the words
before the quote when the speaker was carried from an earlier sentence, marked `(carried)`).
The shapes, counted over quotes with a speaker (a shape is a hint to read, not a verdict):
- ends_in_particle: its last word is a preposition, a time adverb or an adverb (جامعة تبوك من,
  قبيل الزيارة);
- glued_ba_la: its first word is a preposition glued to a noun (بأهميته, للوزارة);
- possessive: a word with a possessive suffix on a noun with no article (توقعاتها, رغبات ابنته);
- relative_after: the word after it is a relative pronoun (عاقبة السوء التي): a described
  object more often than a subject;
- fi_or_li_after: the word after it is في or a noun with لل (weak: قال الوزير في بيان is fine).
Needs ../shared (the corpora); exits 0 with a message when it is absent.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction_diff import SHARED, sample

PARTICLES = frozenset((
    "من", "في", "على", "إلى", "الى", "عن", "مع", "لدى", "عبر", "حول", "ضد", "بين", "منذ", "عند",
    "قبل", "بعد", "خلال", "عقب", "إثر", "اثر", "أثناء", "اثناء", "قبيل", "بعيد", "أمس", "امس",
    "اليوم", "غدا", "أيضا", "ايضا", "كذلك", "حين", "حيث", "إن", "ان", "أن",
))
RELATIVES = frozenset((
    "الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي", "اللاتي",
))
POSSESSIVE_ENDS = ("ته", "تها", "تهم", "اته", "اتها", "اتهم", "يته", "يتها", "هم", "هما", "هن", "ها")
_WORD = re.compile(r"[^\s\"'“”«»„‘’‹›‟,،.:;!?()]+")


def shapes(speaker: str, after: str) -> list[str]:
    words = speaker.split()
    if not words:
        return []
    found = []
    if len(words) >= 2 and words[-1] in PARTICLES:
        found.append("ends_in_particle")
    first = words[0]
    if len(first) > 3 and (first.startswith(("بال", "لل")) or (first[0] in "بل" and first.endswith(POSSESSIVE_ENDS))):
        found.append("glued_ba_la")
    if any(len(w) > 3 and not w.startswith(("ال", "وال")) and w.endswith(POSSESSIVE_ENDS) for w in words):
        found.append("possessive")
    nxt = _WORD.search(after)
    nxt_word = nxt.group(0) if nxt and not after[: nxt.start()].strip() else ""
    if nxt_word in RELATIVES:
        found.append("relative_after")
    if nxt_word == "في" or nxt_word.startswith("لل"):
        found.append("fi_or_li_after")
    return found


def audit(offset: int, limit: int):
    """(counts, rows) over the sample: each row (key, speaker, verb, context, shapes)."""
    import khabar

    counts: Counter[str] = Counter()
    rows = []
    for key, rec in sample(offset, limit):
        try:
            a = khabar.process(rec["text"], title=rec["title"], outlet=rec["outlet"], published=rec["published"])
        except khabar.InputError:
            continue
        counts["articles"] += 1
        text = a.text
        for q in a.quotes:
            counts["quotes"] += 1
            if not q.speaker:
                counts["no speaker"] += 1
                continue
            counts["with a speaker"] += 1
            if 0 <= q.speaker_start < q.speaker_end <= len(text):
                s, e = q.speaker_start, q.speaker_end
                after = text[e: e + 40]
                context = f"{text[max(0, s - 40): s]}[{text[s:e]}]{after}"
            else:
                after = ""
                context = f"(carried) {text[max(0, q.start - 60): q.start]}"
            found = shapes(q.speaker, after)
            counts.update(found)
            if found:
                counts["any odd shape"] += 1
            rows.append((key, q.speaker, q.verb, " ".join(context.split()), found))
    return counts, rows


COUNTED = ("quotes", "with a speaker", "no speaker", "any odd shape", "ends_in_particle", "glued_ba_la",
           "possessive", "relative_after", "fi_or_li_after")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offset", type=int, default=3, help="which articles: every 79th/37th from here")
    parser.add_argument("--limit", type=int, default=120, help="at most this many articles of each corpus")
    parser.add_argument("--flagged", action="store_true", help="print only speakers with an odd shape")
    parser.add_argument("--quiet", action="store_true", help="print the counts only")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"{SHARED} is absent: nothing to audit (the corpora live in ../shared)")
        return 0
    counts, rows = audit(args.offset, args.limit)
    for key, speaker, verb, context, found in rows:
        if args.quiet or (args.flagged and not found):
            continue
        flag = f" {{{','.join(found)}}}" if found else ""
        print(f"{key} | {speaker} | {verb} | {context}{flag}")
    print(f"{counts['articles']} articles; " + ", ".join(f"{k} {counts[k]}" for k in COUNTED))
    return 0


if __name__ == "__main__":
    sys.exit(main())
