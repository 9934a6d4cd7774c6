"""Which names story synthesis shows one way: `python benchmarks/name_spellings.py DB [DB ...]`.

For every story of two or more articles in each ingested database, the speakers' and people's
names that `khabar.stories.synthesis` joins as outlets' spellings of one foreign name (غونزالو
هيغواين shown as جونزالو هيجوين), one line per join, and their count: to read them by hand, since
no gold says which spellings are one name. Reads the stores; writes nothing.
"""

from __future__ import annotations

import argparse
from collections import Counter

from khabar import Corpus
from khabar.stories import synthesis


def joins(paths: list[str]) -> list[tuple[str, str]]:
    """(written, shown) for each distinct join made over the stories of these stores."""
    seen: dict[tuple[str, str], None] = {}
    plain = synthesis._one_spelling

    def recording(mapping: dict[str, str], counts: Counter[str]) -> dict[str, str]:
        out = plain(mapping, counts)
        for written, shown in out.items():
            if shown != mapping[written]:
                seen.setdefault((mapping[written], shown))
        return out

    synthesis._one_spelling = recording
    try:
        for path in paths:
            with Corpus(path) as corpus:
                for story in corpus.list_stories(limit=None, min_size=2):
                    corpus.story(story["id"])
    finally:
        synthesis._one_spelling = plain
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
