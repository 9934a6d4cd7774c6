"""Which names story synthesis shows one way: `python benchmarks/name_spellings.py DB [DB ...]`.

For every story of two or more articles in each ingested database, the speakers' and people's
names that `khabar.stories.synthesis` joins as outlets' spellings of one foreign name (غونزالو
هيغواين shown as جونزالو هيجوين) and the one-word places it joins by their skeleton (كاتماندو /
كاتمندو), one line per join, and their count: to read them by hand, since no gold says which
spellings are one name. Reads the stores; writes nothing.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from khabar import Corpus
from khabar.stories import synthesis


def joins(paths: list[str]) -> list[tuple[str, str]]:
    """(written, shown) for each distinct join made over the stories of these stores: people's
    and speakers' names, and one-word places."""
    seen: dict[tuple[str, str], None] = {}
    plain, plain_places = synthesis._one_spelling, synthesis._places_by_skeleton

    def recording(mapping: dict[str, str], counts: Counter[str]) -> dict[str, str]:
        out = plain(mapping, counts)
        for written, shown in out.items():
            if shown != mapping[written]:
                seen.setdefault((mapping[written], shown))
        return out

    def recording_places(named: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
        shown = [rec["names"].most_common(1)[0][0] for _label, rec in named]
        out = plain_places(named)
        kept = {rec["names"].most_common(1)[0][0] for _label, rec in out}
        for name, (_label, rec) in zip(shown, named):
            if name not in kept:  # joined to another place: the entry now shown under its name
                into = next(r for _l, r in out if r is rec or name in r["names"])
                seen.setdefault((name, into["names"].most_common(1)[0][0]))
        return out

    synthesis._one_spelling, synthesis._places_by_skeleton = recording, recording_places
    try:
        for path in paths:
            with Corpus(path) as corpus:
                for story in corpus.list_stories(limit=None, min_size=2):
                    corpus.story(story["id"])
    finally:
        synthesis._one_spelling, synthesis._places_by_skeleton = plain, plain_places
    return list(seen)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", nargs="+", help="a database made by khabar ingest")
    args = ap.parse_args()
    found = joins(args.db)
    for written, shown in found:
        print(f"{written}  ->  {shown}")
    print(f"{len(found)} spellings joined to another")


if __name__ == "__main__":
    main()
