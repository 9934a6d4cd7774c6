"""The mentions index: entities, quotes, quantities and dates of every article, one row each.

Rows are written by `Store.add_batch` with their article (same transaction; `mention_rows`, in
the worker that processed the article when there is one) and backfilled for
databases made before the table existed (`backfill`). `MentionIndex` answers the name queries
behind `Corpus.entities()` / `Corpus.entity()` and `khabar entities` / `khabar entity`.

An entity's key is ``LABEL:words`` where the words are the match keys of its canonical name
(khabar.text), so `الولايات المتحدة الأميركية` and `الولايات المتحدة الامريكية` share a key and
a lookup by any spelling finds it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from khabar.errors import InputError, NotFound
from khabar.model import Article
from khabar.text import normalize_text, whole_word_key
from khabar.store.order import newest_first
from khabar.text import match_keys

__all__ = ["ENTITY_LABELS", "MENTIONS_INSERT", "MentionIndex", "backfill", "entity_key", "entity_words",
           "mention_rows", "rekey"]

ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")
MENTIONS_INSERT = ('INSERT INTO mentions(article_id, kind, label, key, canonical, text, start, "end")'
           " VALUES (?,?,?,?,?,?,?,?)")


@lru_cache(maxsize=1 << 16)  # pure in its string; the same names come back article after article
def name_key(name: str) -> str:
    """Match keys of a name joined by `_` (spelling variants and clitics folded), a word whose
    first letters only look like a glued letter and ال kept whole (كاليفورنيا, بالتيمور: no
    يفورنيا, nor تيمور, which is Timor)."""
    keys: list[str] = []
    words = name.split()
    for i, word in enumerate(words):
        if _reads_as_glued(word, words[i + 1:]):
            keys.append(whole_word_key(word))
        else:
            keys.extend(k for k in match_keys(word) if k)
    return "_".join(keys)


def _reads_as_glued(word: str, after: Sequence[str] = ()) -> bool:
    """A name the entity spans keep whole though it reads as a glued letter and ال:
    resources/ner/names_read_as_glued.txt, and a name beginning with كال whose letters after
    the ك are no known place or body and no ordinary word (كالابريا, كالتشيو; not كالصين,
    like China)."""
    norm = normalize_text(word)
    if norm[:1] not in "وبفلك" or "ال" not in norm[:3]:
        return False
    from khabar.extract.ner import _names_read_as_glued, plain_word, word_key

    if norm in _names_read_as_glued():
        return True
    if not norm.startswith("كال") or len(norm) <= 4:
        return False
    from khabar.extract.known_names import known_place_or_body

    rest = norm[1:]
    return (known_place_or_body([rest], glued=False) is None
            and known_place_or_body([rest, *after], glued=False) is None  # كالولايات المتحدة
            and not plain_word(word_key(rest)))


@lru_cache(maxsize=1 << 16)
def entity_words(name: str, label: str = "") -> str:
    """The words of an entity's key: `name_key`, without an organisation's type word in front
    (تنظيم داعش = داعش) and with another name of the same entity folded into its main one
    (resources/ner/aliases.tsv: المملكة العربية السعودية = السعودية). `label` "" (a quote's
    speaker) folds the names of every label."""
    if name == _AMMAN:  # canonicalize tells Amman from Oman (both عمان): its own key
        return "عمان_الاردن"
    if label == "LOC":
        name = _without_place_type(name)
    words = _without_family(_joined_compounds(_without_type_word(name_key(name), label)), label, name)
    table = _aliases()
    return table.get((label, words)) or (table.get(("", words)) if not label else None) or words


def _without_place_type(name: str) -> str:
    """A place named with what kind of place it is, مدينة جدة or محافظة القطيف, by its own name
    (جدة): the kind written without the article (المدينة المنورة, المنطقة الشرقية are names),
    and no title after it (مدينة الملك عبدالعزيز is named after a king)."""
    words = name.split()
    if (len(words) < 2 or normalize_text(words[0]) not in _PLACE_TYPES
            or normalize_text(words[1]) in _TITLES):
        return name
    return " ".join(words[1:])


def _without_family(words: str, label: str, name: str = "") -> str:
    """One key for the ways one person's name is written with his father's:

    - سلمان بن عبدالعزيز آل سعود = سلمان بن عبدالعزيز: named by his father (a بن link), with or
      without the royal family's name after it;
    - محمد بن نايف بن عبدالعزيز = محمد بن نايف: a grandson of King Abdulaziz, by his father,
      as the news names him (other chains of fathers tell people apart: سعود بن عبدالله بن محمد
      is no سعود بن عبدالله بن ثنيان, nor فهد بن عبدالعزيز بن معمر King Fahd);
    - عادل بن أحمد الجبير = عادل الجبير: a given name, fathers and a family name (written with
      the article, or one the name list knows: `name`'s last word), by the given and family
      names, as the news names him most days.

    A name without a father keeps its family name (عبداللطيف آل الشيخ is no عبداللطيف), and
    so do a family name that begins with بن (أسامة بن لادن: three words), a kunya's father
    (علي بن أبي طالب), a royal branch's name (سعود بن خالد الفيصل is no سعود الفيصل) and a name
    whose last word is no family name at all (a verb or a word the span ran on into)."""
    if label not in ("PER", "") or "_بن_" not in words:
        return words
    parts = words.split("_")
    if len(parts) >= 5 and parts[-2] == "ال" and "بن" in parts[1:-3]:
        parts = parts[:-2]
    if len(parts) < 4 or parts[1] != "بن" or parts[2] in _KUNYA_FATHERS or "ال" in parts:
        return "_".join(parts)
    if parts[-2] == "بن":  # X بن Y بن Z: only a king's grandson (one of many)
        if len(parts) == 5 and parts[-1] == _FOUNDER:
            parts = parts[:3]
    elif (parts[-1] not in _NOT_FAMILY_NAMES and _family_name(name.split()[-1] if name else "")
          and not (name and len(name.split()) > 1 and name.split()[-2] in ("عبد", "عبدال"))):
        parts = [parts[0], parts[-1]]  # X بن Y [بن W] F
    return "_".join(parts)


_KUNYA_FATHERS = frozenset(("ابي", "ابو"))
#: Last words that are no family name (عمر بن الخطاب رضي الله, الحسين بن عبد الله الثاني) and the
#: royal branches named after a father (الفيصل, السعود …), whose members are no one person.
_NOT_FAMILY_NAMES = frozenset(("الله", "ثاني", "اول", "فيصل", "سعود", "ثنيان", "جلوي", "فرحان", "كبير"))


def _family_name(word: str) -> bool:
    """A family name as written: with the article (not a glued preposition before it), or one
    the name list knows as a surname."""
    if not word:
        return False
    if word.startswith(("ال", "آل")) and word not in ("الى", "الي"):  # إلى written bare
        return True
    from khabar.extract.ner import load_gazetteer, word_key

    return (load_gazetteer("gaz_names.tsv").single(word_key(word)) or "").startswith("PSUR")


_FOUNDER = "عبدعزيز"  # عبدالعزيز as `_joined_compounds` keys it


def _joined_compounds(words: str) -> str:
    """عبد ربه = عبدربه, عبد الفتاح = عبدالفتاح, أبو بكر = أبوبكر, أبو ظبي = أبوظبي: a compound
    name written in one word or two has one key (the article inside it dropped, as `match_key`
    drops it from the second word: عبد فتاح; الله kept, as it keeps it)."""
    if "عبد" not in words and "ابو" not in words:
        return words
    out: list[str] = []
    for part in words.split("_"):
        for head in ("عبدال", "ابوال"):
            if part.startswith(head) and len(part) > 6 and part[3:] != "الله":
                part = part[:3] + part[5:]
        if out and out[-1] in ("عبد", "ابو"):
            out[-1] += part
        else:
            out.append(part)
    return "_".join(out)


_AMMAN = "عمّان"  # khabar.extract.entities.AMMAN, with its shadda


def _without_type_word(words: str, label: str) -> str:
    if label not in ("ORG", "") or "_" not in words:
        return words
    first, rest = words.split("_", 1)
    # حزب الله keeps its type word: "الله" alone names something else; so do the bodies named
    # by a common word (حركة الشباب, the Somali militants, is no club الشباب; حزب العمال)
    return rest if first in _type_words() and rest not in _COMMON_REMAINDERS else words


_COMMON_REMAINDERS = frozenset(name_key(w) for w in (
    "الله الشباب العمال الشعب الوطن الامة التحرير النهضة العدالة الاصلاح المستقبل الاستقلال"
    " التغيير الجهاد الوفاق الوحدة الحرية التقدم البناء الامل الكرامة الشعبية الوطنية").split())


#: what kind of place a name is, written before it without the article (not حي, مخيم or جبل:
#: the camp, quarter or mountain and what it is named after are other places)
_PLACE_TYPES = frozenset(normalize_text(w) for w in
                         "مدينة ولاية محافظة منطقة بلدة قرية جزيرة إقليم مقاطعة ناحية قضاء دولة".split())
#: titles a place is named after (مدينة الملك عبدالعزيز للعلوم is no الملك عبدالعزيز)
_TITLES = frozenset(normalize_text(w) for w in "الملك الأمير الشيخ السلطان الإمام الرئيس".split())


@lru_cache(maxsize=1)
def _type_words() -> frozenset[str]:
    return frozenset(name_key(line.strip()) for line in _ner_resource("org_types.txt").splitlines()
                     if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _aliases() -> dict[tuple[str, str], str]:
    """(label, words of another name) -> words of the main name; also under label "" (speakers)."""
    table: dict[tuple[str, str], str] = {}
    for line in _ner_resource("aliases.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, main, others = line.split("\t")
        target = _joined_compounds(_without_type_word(name_key(main), label))
        for other in others.split("|"):
            words = _joined_compounds(_without_type_word(name_key(other), label))
            if words and words != target:
                table[(label, words)] = target
                table.setdefault(("", words), target)
    return table


def _ner_resource(name: str) -> str:
    return resources.files("khabar.resources").joinpath("ner", name).read_text(encoding="utf-8")


def entity_key(name: str, label: str) -> str:
    return f"{label}:{entity_words(name, label)}"


def _num(value: float) -> str:
    return f"{value:.6g}"


def mention_rows(article: Article) -> Iterator[tuple[Any, ...]]:
    """(article_id, kind, label, key, canonical, text, start, end) for every span to index."""
    aid = article.id
    for e in article.entities:
        canonical = e.canonical or e.text
        key = entity_words(canonical, e.label)
        if key:
            yield (aid, "entity", e.label, f"{e.label}:{key}", canonical, e.text, e.start, e.end)
    for q in article.quotes:
        yield (aid, "quote", q.verb, entity_words(q.speaker), q.speaker, q.text, q.start, q.end)
    for n in article.quantities:
        yield (aid, "quantity", n.unit or n.counted, _num(n.value), n.counted, n.text, n.start, n.end)
    for d in article.dates:
        yield (aid, "date", d.granularity, d.value, d.value, d.text, d.start, d.end)


def backfill(conn: sqlite3.Connection, batch: int = 500) -> int:
    """Index the articles that have no mention rows yet, from their stored spans; returns how
    many articles were read. Runs inside the caller's transaction (the migration's)."""
    from khabar.store.sqlite import _spans_from_json

    done = 0
    rows = conn.execute(
        "SELECT id, spans FROM articles WHERE id NOT IN (SELECT DISTINCT article_id FROM mentions)"
    ).fetchall()
    for row in rows:
        spans = _spans_from_json(row[1])
        article = Article(id=row[0], text="", entities=spans["entities"], quotes=spans["quotes"],  # type: ignore[arg-type]
                          quantities=spans["quantities"], dates=spans["dates"])  # type: ignore[arg-type]
        conn.executemany(MENTIONS_INSERT, list(mention_rows(article)))
        done += 1
    return done


def rekey(conn: sqlite3.Connection, batch: int = 50_000) -> int:
    """Rewrite the stored entity and speaker keys with `entity_words` (the migrations to v11
    and v12);
    returns how many rows changed. Runs inside the caller's transaction."""
    changed = 0
    last = 0
    while True:
        rows = conn.execute(
            "SELECT rowid, kind, label, key, canonical FROM mentions"
            " WHERE rowid > ? AND kind IN ('entity', 'quote') ORDER BY rowid LIMIT ?",
            (last, batch)).fetchall()
        if not rows:
            return changed
        last = rows[-1][0]
        updates = []
        for rowid, kind, label, key, canonical in rows:
            if kind == "entity":
                words = entity_words(canonical or "", label)
                new = f"{label}:{words}" if words else key
            else:
                new = entity_words(canonical or "")
            if new != key:
                updates.append((new, rowid))
        conn.executemany("UPDATE mentions SET key = ? WHERE rowid = ?", updates)
        changed += len(updates)


class MentionIndex:
    """Name queries over the mentions table of one SQLite connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _has_stories(self) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='story_articles'").fetchone() is not None

    def entities(self, label: str | None = None, *, limit: int | None = 50,
                 query: str | None = None) -> list[dict[str, Any]]:
        """Entities by how many articles name them: key, canonical, label, n_articles, n_stories."""
        if label is not None and label not in ENTITY_LABELS:
            raise InputError(f"unknown label {label!r} (choose from {', '.join(ENTITY_LABELS)})")
        where = ["m.kind = 'entity'"]
        params: list[Any] = []
        if label:
            where.append("m.label = ?")
            params.append(label)
        if query:
            # as written (ترامب finds إيفانكا ترامب too; a store keyed before v11 answers) and
            # folded (أمريكا finds الولايات المتحدة, عبد الفتاح finds عبدالفتاح)
            forms = list(dict.fromkeys(w for w in (name_key(query), entity_words(query, label or ""),
                                                   _joined_compounds(name_key(query))) if w))
            if not forms:
                raise InputError(f"nothing to look for in {query!r}")
            where.append("(" + " OR ".join(
                ["instr('_' || substr(m.key, instr(m.key, ':') + 1) || '_', ?) > 0"] * len(forms)) + ")")
            params.extend(f"_{w}_" for w in forms)
        story_join = " LEFT JOIN story_articles sa ON sa.article_id = m.article_id" if self._has_stories() else ""
        n_stories = "COUNT(DISTINCT sa.story_id)" if story_join else "0"
        sql = (f"SELECT m.key, m.label, COUNT(DISTINCT m.article_id) AS n_articles, {n_stories} AS n_stories"
               f" FROM mentions m{story_join} WHERE {' AND '.join(where)}"
               " GROUP BY m.key, m.label ORDER BY n_articles DESC, n_stories DESC, m.key")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self.conn.execute(sql, params).fetchall()
        names = self._canonical_names([r[0] for r in rows])
        return [{"key": r[0], "canonical": names.get(r[0], r[0]), "label": r[1],
                 "n_articles": r[2], "n_stories": r[3]} for r in rows]

    def _canonical_names(self, keys: list[str]) -> dict[str, str]:
        """The canonical name written most often under each key."""
        out: dict[str, str] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            counts: dict[str, Counter[str]] = defaultdict(Counter)
            for key, canonical, n in self.conn.execute(
                    f"SELECT key, canonical, COUNT(*) FROM mentions WHERE kind='entity' AND key IN ({marks})"
                    " GROUP BY key, canonical", chunk):
                counts[key][canonical] = n
            for key, c in counts.items():
                out[key] = max(c.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
        return out

    def resolve(self, key: str) -> str:
        """A stored entity key from a key or a name (any spelling; the label is guessed when the
        name is under one label only)."""
        if self.conn.execute("SELECT 1 FROM mentions WHERE kind='entity' AND key=? LIMIT 1", (key,)).fetchone():
            return key
        label, _, name = key.partition(":") if key[:4].rstrip(":") in ENTITY_LABELS and ":" in key else ("", "", key)
        name = name.replace("_", " ")
        words = name_key(name)
        if not words:
            raise NotFound(f"no entity {key!r}")
        candidates = list(dict.fromkeys(
            f"{lbl}:{folded}" for lbl in ([label] if label else ENTITY_LABELS)
            for folded in (entity_words(name, lbl), words)))
        found = [(k, n) for k in candidates for (n,) in self.conn.execute(
            "SELECT COUNT(*) FROM mentions WHERE kind='entity' AND key=?", (k,)) if n]
        if not found:
            # a part of a name (`الكعبي`) finds the full name that most articles use
            like = [(k, n) for lbl in ([label] if label else ENTITY_LABELS) for k, n in self.conn.execute(
                "SELECT key, COUNT(*) FROM mentions WHERE kind='entity' AND key >= ? AND key < ?"
                " AND instr('_' || substr(key, instr(key, ':') + 1) || '_', ?) > 0 GROUP BY key",
                (f"{lbl}:", f"{lbl};", f"_{words}_"))]
            found = like
        if not found:
            raise NotFound(f"no entity {key!r}")
        return max(found, key=lambda kv: (kv[1], kv[0]))[0]

    def entity(self, key: str, *, limit: int = 200) -> dict[str, Any]:
        """One entity: its names as written, the articles and stories naming it, its quotes."""
        key = self.resolve(key)
        label, _, words = key.partition(":")
        rows = self.conn.execute(
            'SELECT m.article_id, m.text, m.canonical, m.start, m."end", a.title, a.outlet, a.published'
            " FROM mentions m JOIN articles a ON a.id = m.article_id"
            f" WHERE m.kind='entity' AND m.key=? ORDER BY {newest_first('a')}, m.start",
            (key,)).fetchall()
        aliases: Counter[str] = Counter()
        canon: Counter[str] = Counter()
        articles: dict[str, dict[str, Any]] = {}
        for r in rows:
            aliases[r[1]] += 1
            canon[r[2]] += 1
            art = articles.get(r[0])
            if art is None:
                if len(articles) >= limit:
                    continue
                art = articles[r[0]] = {"id": r[0], "title": r[5], "outlet": r[6], "published": r[7],
                                        "mentions": []}
            art["mentions"].append({"text": r[1], "start": r[3], "end": r[4]})
        stories: list[dict[str, Any]] = []
        if self._has_stories() and articles:
            ids = list(articles)
            found: dict[str, dict[str, Any]] = {}
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for r in self.conn.execute(
                        "SELECT s.id, s.title, s.size, s.n_outlets, s.first_seen, s.last_seen,"
                        " COUNT(*) FROM story_articles sa JOIN stories s ON s.id = sa.story_id"
                        f" WHERE sa.article_id IN ({marks}) GROUP BY s.id", chunk):
                    prev = found.get(r[0])
                    n = r[6] + (prev["n_articles"] if prev else 0)
                    found[r[0]] = {"id": r[0], "title": r[1], "size": r[2], "n_outlets": r[3],
                                   "first_seen": r[4], "last_seen": r[5], "n_articles": n}
            stories = sorted(found.values(), key=lambda s: (-s["n_articles"], -s["size"], s["id"]))
        quotes = [
            {"article_id": r[0], "outlet": r[1], "speaker": r[2], "verb": r[3], "text": r[4],
             "start": r[5], "end": r[6]}
            for r in self.conn.execute(
                'SELECT m.article_id, a.outlet, m.canonical, m.label, m.text, m.start, m."end"'
                " FROM mentions m JOIN articles a ON a.id = m.article_id"
                f" WHERE m.kind='quote' AND m.key=? ORDER BY {newest_first('a')}, m.start LIMIT ?", (words, limit))
        ] if label in ("PER", "ORG") else []
        return {
            "key": key,
            "canonical": max(canon.items(), key=lambda kv: (kv[1], len(kv[0])))[0] if canon else words,
            "label": label,
            "aliases": [name for name, _ in aliases.most_common()],
            "n_articles": len({r[0] for r in rows}),
            "articles": list(articles.values()),
            "stories": stories,
            "quotes": quotes,
        }
