"""The data behind each page of the reader: one dict per page, built from `Corpus` only.

The HTML page renders this dict and its `.json` twin returns it as it is, so the two always
agree. Where the story synthesis (headline, cited summary, facts, quotes, timeline, entities)
is not available from `Corpus.story`, a story page falls back to what the articles' own spans
say (their figures, quotes, dates and names), and says so with `"synthesis": false`.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Mapping
from typing import Any

from khabar.corpus import Corpus
from khabar.errors import InputError, NotFound
from khabar.store.reader import _TIME, check_search_query
from khabar.store.stories import SORTS
from khabar.text import match_keys

#: Marks of search syntax (FTS5's) that the reader leaves out of a query rather than refuse it.
_IGNORED_MARKS = '"()*^{}+'
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})
_COLUMNS = frozenset({"title", "body"})


def plain_query(q: str) -> tuple[str, list[str]]:
    """The plain words of a reader's query, and the search syntax left out of them.

    The search takes plain words; the JSON API refuses a query holding search syntax
    (`check_search_query`), but a reader who pastes ``(الحسيمة)``, ``سيول:العقبة`` or an
    unbalanced quote gets the results for the words, and the page says which marks it left out.

    >>> plain_query('سيول:العقبة "الوطنية')
    ('سيول العقبة الوطنية', [':', '"'])
    >>> plain_query("سيول العقبة")
    ('سيول العقبة', [])
    """
    try:
        check_search_query(q)
        return q, []
    except InputError:
        pass
    typed = q
    ignored: dict[str, None] = {}
    for mark in _IGNORED_MARKS:
        if mark in q:
            ignored[mark] = None
            q = q.replace(mark, " ")
    words: list[str] = []
    for word in q.split():
        if word in _OPERATOR_WORDS or word.upper().startswith("NEAR/"):
            ignored[word] = None
            continue
        lead = word.lstrip(":-")
        if lead != word:
            ignored.update(dict.fromkeys(word[: len(word) - len(lead)]))
            word = lead
        if ":" in word and not _TIME.fullmatch(word):
            ignored[":"] = None
            column, _, rest = word.partition(":")
            parts = [rest] if column in _COLUMNS else [column, rest]
            words += [w for part in parts for w in part.replace(":", " ").split()]
            continue
        if word:
            words.append(word)
    plain = " ".join(words)
    try:
        if plain.strip():
            check_search_query(plain)
    except InputError:
        raise InputError("تعذّر البحث: اكتب كلمات البحث وحدها، دون علامات البحث ومعاملاته") from None
    return plain, sorted(ignored, key=typed.find)  # in the order they were typed

PER_PAGE = 30
MAX_PER_PAGE = 200
SORT_NAMES = {"recency": "الأحدث", "size": "الأكبر", "outlets": "الأكثر مصادر"}
_SYNTHESIS_KEYS = ("headline", "summary", "facts", "conflicts", "quotes", "timeline", "entities")
_DETAIL_LIMIT = 200  # articles of one story whose spans a page reads


def _check_paging(page: int, per_page: int) -> None:
    if page < 1:
        raise InputError(f"page must be 1 or more, got {page}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InputError(f"per_page must be between 1 and {MAX_PER_PAGE}, got {per_page}")


def front_page(
    corpus: Corpus,
    *,
    sort: str = "recency",
    page: int = 1,
    per_page: int = PER_PAGE,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    q: str | None = None,
    entity: str | None = None,
    aggregates: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The story list with its filters, paging, and the front page's charts' data."""
    if sort not in SORTS:
        raise InputError(f"unknown sort {sort!r} (choose from {', '.join(SORTS)})")
    _check_paging(page, per_page)
    q, ignored = plain_query(q) if q else ("", [])
    stories, total = corpus.find_stories(
        sort=sort, limit=per_page, offset=(page - 1) * per_page, since=since or None,
        until=until or None, outlet=outlet or None, query=q or None, entity=entity or None)
    data = {
        "sort": sort,
        "sorts": SORT_NAMES,
        "filters": {"since": since or "", "until": until or "", "outlet": outlet or "",
                    "q": q or "", "entity": entity or ""},
        "ignored": ignored,  # search syntax left out of q (`plain_query`)
        "page": page,
        "per_page": per_page,
        "pages": max(1, math.ceil(total / per_page)),
        "total": total,
        "stories": stories,
    }
    data.update(aggregates if aggregates is not None else front_aggregates(
        corpus, since=since, until=until, outlet=outlet, q=q, entity=entity))
    return data


def front_aggregates(corpus: Corpus, *, since: str | None = None, until: str | None = None,
                     outlet: str | None = None, q: str | None = None,
                     entity: str | None = None) -> dict[str, Any]:
    """What the front page's charts show: stories per day, most cited people and places; with
    filters, of the stories the filters keep (the list beside them)."""
    filters = {"since": since or None, "until": until or None, "outlet": outlet or None,
               "query": q or None, "entity": entity or None}
    cited = corpus.cited_entities(("PER", "LOC"), limit=10, **filters)
    return {
        "stories_per_day": corpus.stories_per_day(days=30, **filters),
        "cited": {"people": cited.get("PER", []), "places": cited.get("LOC", [])},
        "charts_filtered": any(filters.values()),
        "outlets": corpus.outlets(),
    }


def _group_outlets(items: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    outlets = list(dict.fromkeys(o for o, _ in items if o))
    articles = list(dict.fromkeys(a for _, a in items))
    return outlets, articles


def _fallback_facts(members: list[dict[str, Any]], details: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Figures the story's articles give, grouped by value and what they count."""
    groups: dict[tuple[Any, str], dict[str, Any]] = {}
    for m in members:
        for q in details.get(m["id"], {}).get("quantities", ()):
            what = q.get("unit") or q.get("counted") or ""
            key = (q.get("value"), what)
            g = groups.setdefault(key, {"key": f"{q.get('value')}|{what}", "what": q.get("counted") or what,
                                        "value": q.get("value"), "unit": q.get("unit", ""),
                                        "counted": q.get("counted", ""), "text": q.get("text", ""),
                                        "pairs": []})
            g["pairs"].append((m["outlet"], m["id"]))
    facts = []
    for g in groups.values():
        outlets, articles = _group_outlets(g.pop("pairs"))
        facts.append({**g, "outlets": outlets, "articles": articles, "n_outlets": len(outlets)})
    facts.sort(key=lambda f: (-f["n_outlets"], -len(f["articles"])))
    return facts[:12]


def _fallback_quotes(members: list[dict[str, Any]], details: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    quotes: dict[tuple[str, str], dict[str, Any]] = {}
    for m in members:
        for q in details.get(m["id"], {}).get("quotes", ()):
            key = (q.get("speaker", ""), " ".join(q.get("text", "").split()))
            item = quotes.setdefault(key, {"speaker": q.get("speaker", ""), "text": q.get("text", ""),
                                           "verb": q.get("verb", ""), "direct": q.get("direct", True),
                                           "sources": []})
            item["sources"].append({"article_id": m["id"], "outlet": m["outlet"], "start": q.get("start"),
                                    "end": q.get("end"), "text": q.get("text", "")})
    out = []
    for item in quotes.values():
        item["outlets"] = list(dict.fromkeys(s["outlet"] for s in item["sources"] if s["outlet"]))
        out.append(item)
    out.sort(key=lambda q: (-len(q["outlets"]), q["speaker"] == ""))
    return out[:30]


def _fallback_timeline(members: list[dict[str, Any]], details: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    dates: dict[str, dict[str, Any]] = {}
    for m in members:
        for d in details.get(m["id"], {}).get("dates", ()):
            value = d.get("value") or ""
            if len(value) < 10:  # only dates resolved to a day make a timeline
                continue
            item = dates.setdefault(value[:10], {"date": value[:10], "granularity": d.get("granularity", "day"),
                                                 "text": d.get("text", ""), "pairs": []})
            item["pairs"].append((m["outlet"], m["id"]))
    out = []
    for item in sorted(dates.values(), key=lambda d: d["date"]):
        outlets, articles = _group_outlets(item.pop("pairs"))
        out.append({**item, "outlets": outlets, "articles": articles})
    return out


def _fallback_entities(members: list[dict[str, Any]], details: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for m in members:
        for e in details.get(m["id"], {}).get("entities", ()):
            name = e.get("canonical") or e.get("text", "")
            item = seen.setdefault((name, e.get("label", "MISC")), {"canonical": name, "label": e.get("label", "MISC"),
                                                                   "articles": set(), "outlets": set()})
            item["articles"].add(m["id"])
            item["outlets"].add(m["outlet"])
    out = [{"canonical": i["canonical"], "label": i["label"], "n_articles": len(i["articles"]),
            "n_outlets": len(i["outlets"] - {""})} for i in seen.values()]
    out.sort(key=lambda e: (-e["n_articles"], -e["n_outlets"], e["canonical"]))
    return out[:15]


def story_page(corpus: Corpus, story_id: str) -> dict[str, Any]:
    """One story: its synthesis when available (else what its articles' spans say), its
    articles with leads, and its outlets side by side."""
    data = dict(corpus.story(story_id))
    members: list[dict[str, Any]] = data["articles"]
    details = corpus.article_details([m["id"] for m in members[:_DETAIL_LIMIT]])
    for m in members:
        m["lead"] = details.get(m["id"], {}).get("lead", "")
        # the text it copies most (its copy group holds one of the texts it copies, when it
        # copies several), else its group's first article
        m["copy_of"] = (m["copies"][0] if m.get("copies") else
                        m["copy_group"] if m.get("copy_group") and m["copy_group"] != m["id"] else None)
    data["synthesis"] = any(k in data for k in _SYNTHESIS_KEYS)
    data.setdefault("headline", data.get("title", ""))
    if "facts" not in data:
        data["facts"] = _fallback_facts(members, details)
    data.setdefault("conflicts", [])
    if "quotes" not in data:
        data["quotes"] = _fallback_quotes(members, details)
    if "timeline" not in data:
        data["timeline"] = _fallback_timeline(members, details)
    if "entities" not in data:
        data["entities"] = _fallback_entities(members, details)
    data.setdefault("summary", [])
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        by_outlet.setdefault(m["outlet"] or "", []).append(m)
    data["by_outlet"] = [{"outlet": o, "articles": arts} for o, arts in by_outlet.items()]
    return data


def article_page(corpus: Corpus, article_id: str) -> dict[str, Any]:
    """One article: its clean view (every line with its kind and reason), the raw text the
    spans point into, its entities, quotes, quantities and dates, and its story."""
    from khabar.cli import clean_view
    from khabar.extract.views import extract_view

    article = corpus.article(article_id)
    data = clean_view(article)
    extracted = extract_view(article)
    for view, span in zip(extracted["quotes"], article.quotes):
        view["speaker_start"], view["speaker_end"] = span.speaker_start, span.speaker_end
    data.update(extracted)
    data["outlet"] = article.outlet
    data["text"] = article.text
    data["author"] = article.author
    story_id = corpus.story_of(article.id)
    data["story"] = None
    if story_id:
        found = corpus.stories_by_id([story_id])
        data["story"] = found[0] if found else {"id": story_id, "title": ""}
    return data


def entity_page(corpus: Corpus, key: str) -> dict[str, Any]:
    """A name: its articles, stories and quotes. Uses `Corpus.entity` when the corpus has an
    entity index, else finds the name in the stored spans."""
    data: dict[str, Any] | None = None
    lookup = getattr(corpus, "entity", None)
    if lookup is not None:
        try:
            data = dict(lookup(key))
        except (NotFound, sqlite3.OperationalError):  # not indexed, or a store without the index
            data = None
    if data is None:
        data = {"key": key, **corpus.entity_mentions(key)}
        if not data["articles"] and not data["quotes"]:
            raise NotFound(f"no entity {key!r}")
    stories = data.get("stories") or []
    ids = [s if isinstance(s, str) else s.get("id") for s in stories]
    data["n_stories"] = len([i for i in ids if i])
    data["stories"] = corpus.stories_by_id([i for i in ids if i][:100])
    data["n_articles"] = len(data.get("articles") or [])  # the page lists the newest 100
    articles = []
    for a in (data.get("articles") or [])[:100]:
        if isinstance(a, str):
            try:
                art = corpus.article(a)
            except NotFound:
                continue
            a = {"id": art.id, "title": art.title, "outlet": art.outlet,
                 "published": art.published.isoformat() if art.published else None}
        articles.append(a)
    data["articles"] = articles
    data.setdefault("canonical", key)
    data.setdefault("label", "")
    data.setdefault("aliases", [])
    data["quotes"] = _merge_quotes(data.get("quotes") or [])
    return data


def _merge_quotes(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per quote text (spaces ignored), with every article that carried it as a
    source: the same wire quote in five outlets is one quote with five sources."""
    merged: dict[str, dict[str, Any]] = {}
    for q in quotes:
        if q.get("sources"):  # already merged by the corpus
            merged[" ".join(q.get("text", "").split()) or str(len(merged))] = q
            continue
        key = " ".join(q.get("text", "").split())
        item = merged.setdefault(key, {"speaker": q.get("speaker", ""), "text": q.get("text", ""),
                                       "verb": q.get("verb", ""), "direct": q.get("direct", True),
                                       "sources": []})
        item["sources"].append({k: q.get(k) for k in ("article_id", "outlet", "start", "end")})
    out = list(merged.values())
    for item in out:
        item["outlets"] = list(dict.fromkeys(s.get("outlet") for s in item["sources"] if s.get("outlet")))
    out.sort(key=lambda q: -len(q["sources"]))
    return out


def one_label(label: str | None, type_: str | None) -> str | None:
    """The entity label a listing asks for, as `label` or as `type` (the name an article's
    entities give it: `khabar extract --json`, /api/articles); two different ones are an error."""
    if label and type_ and label != type_:
        raise InputError(f"label {label!r} and type {type_!r} disagree (they are one filter)")
    return label or type_ or None


def entities_page(corpus: Corpus, *, label: str | None = None, q: str | None = None,
                  limit: int = 100) -> dict[str, Any]:
    """The names the corpus mentions most (all time), optionally of one label or matching words."""
    if label and label not in ("PER", "ORG", "LOC", "MISC"):
        raise InputError(f"unknown label {label!r} (choose from PER, ORG, LOC, MISC)")
    if not 1 <= limit <= 1000:
        raise InputError(f"limit must be between 1 and 1000, got {limit}")
    listing = getattr(corpus, "entities", None)
    if listing is not None:
        rows = listing(label or None, limit=limit, query=q or None)
    else:  # no mentions index: the most cited names of the recent articles
        labels = (label,) if label else ("PER", "ORG", "LOC", "MISC")
        cited = corpus.cited_entities(labels, days=36500, limit=limit)
        rows = sorted((e for group in cited.values() for e in group), key=lambda e: -e["n_articles"])[:limit]
    return {"label": label or "", "query": q or "", "entities": rows}


def search_page(corpus: Corpus, q: str, *, limit: int = 30) -> dict[str, Any]:
    """Articles matching every word of `q`, and the stories they belong to."""
    if not 1 <= limit <= MAX_PER_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PER_PAGE}, got {limit}")
    # search syntax (brackets, word:word, a quote left open) is left out, and the page says so
    q, ignored = plain_query(q)
    if not any(match_keys(q)):
        # blank, or only tatweel, punctuation or search syntax: the page asks for words
        return {"query": "", "ignored": ignored, "hits": [], "stories": [], "total_stories": 0,
                "limit": limit, "more": None}
    hits = [h.to_dict() for h in corpus.search(q, limit=limit)]
    stories, total = corpus.find_stories(query=q, sort="size", limit=10)
    # a full page of hits may not be all of them: the page offers the most it can show
    more = min(MAX_PER_PAGE, limit * 4) if len(hits) == limit and limit < MAX_PER_PAGE else None
    return {"query": q, "ignored": ignored, "hits": hits, "stories": stories,
            "total_stories": total, "limit": limit, "more": more}
