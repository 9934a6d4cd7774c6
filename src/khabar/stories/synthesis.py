"""What a story says: one record built from its articles, every statement citing its source.

    >>> report = synthesize(articles)            # the articles of one story
    >>> report.headline, [s.text for s in report.summary]
    >>> report.to_dict()                          # the JSON the CLI, the web reader and the API show

* **headline**: the story's own title when it is given (`synthesize(..., title=)`: the title the
  store keeps and every story list shows, so that a reader who clicks a title lands on the same
  headline); else the member title closest to the story's centroid, cleaned of outlet tags (with
  no titled member, the lead of its first article, as the store names the story).
* **central**: the titled member closest to the story's centroid (article id, cleaned title,
  outlet), the lead article a page shows under the headline; None without a titled member.
* **summary**: 3–6 sentences picked from the articles by centroid score and MMR (maximal
  marginal relevance: each pick must add something the earlier picks do not say), ordered by
  where they sit in their articles; each cites its article and its offsets into `Article.text`.
  A one-article story is summarised by its lead.
* **facts**: quantities aligned across articles by what they count — a class of nouns
  (`جندي`/`عسكري` → troops, `قتيل`/`وفاة`/`شخص` + `مصرع` → dead; see
  resources/synthesis/fact_classes.tsv), else the counted noun or the unit — and their value;
  each fact lists the outlets and articles that report it.
* **conflicts**: the same thing given different values by different articles, when no article
  gives both (an article that reports 560 new troops and 4647 in total is not contradicting
  itself), the values are close (within a factor of 2.5) and the contexts alike; a bound
  (أكثر من 12, 12 على الأقل) or more of them (3 آخرين after two of the same) is no rival
  figure, nor a toll that rose over days (a larger toll from a later day); and one event
  dated differently (stated days within a week, in alike sentences, neither article naming the
  other day).
* **quotes**: grouped by speaker (a short name joins the one full name that contains it); the
  same quote carried by several articles, with small wording differences, is one quote with
  several sources.
* **timeline**: the resolved dates of the story in order, each with the sentence it sits in.

Everything here is plain Python and numpy (no model to download); matching uses khabar.text
match keys, so spelling variants and clitics do not split facts or quotes.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np

from khabar.model import Article, DateSpan, QuantitySpan
from khabar.stories.cluster import STOPWORDS
from khabar.text import lead_title, match_key, match_keys, normalize_text, split_sentences

__all__ = [
    "Conflict",
    "ConflictValue",
    "EntityScore",
    "Fact",
    "Mention",
    "MergedQuote",
    "QuoteSource",
    "StoryReport",
    "SummarySentence",
    "TimelineEvent",
    "lead_sentences",
    "summarize",
    "synthesize",
]

#: The keys `StoryReport.to_dict()` adds to a story record (the web reader renders these).
REPORT_KEYS = ("headline", "central", "language", "copy_groups", "entities", "summary", "facts",
               "conflicts", "quotes", "timeline")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    article_id: str
    outlet: str
    start: int
    end: int
    # the text to show when it says اليوم/أمس + a weekday of another day than the story's
    # last: "اليوم الأربعاء (29 يوليو)"; "" when `text` reads right as it is
    dated: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: str
    outlet: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Fact:
    key: str
    what: str
    value: float
    unit: str
    counted: str
    text: str
    outlets: tuple[str, ...]
    articles: tuple[str, ...]
    mentions: tuple[Mention, ...]
    #: independent texts among `articles`: a wire copy reprinted by four outlets is one text
    #: (copy groups), and an outlet's own articles are one source however many it ran (its
    #: follow-up repeats its figure; it does not corroborate it), so never more than the
    #: outlets when every article names one; 0 when not counted
    n_texts: int = 0

    @property
    def n_outlets(self) -> int:
        return len(self.outlets)


@dataclass(frozen=True, slots=True)
class ConflictValue:
    value: float | str  # a number, or an ISO date for outlets dating one event differently
    text: str
    outlets: tuple[str, ...]
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    what: str
    values: tuple[ConflictValue, ...]


@dataclass(frozen=True, slots=True)
class QuoteSource:
    article_id: str
    outlet: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class MergedQuote:
    speaker: str
    text: str
    verb: str
    direct: bool
    outlets: tuple[str, ...]
    sources: tuple[QuoteSource, ...]


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str
    granularity: str
    text: str
    outlets: tuple[str, ...]
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityScore:
    canonical: str
    label: str
    salience: float
    n_articles: int
    n_outlets: int


@dataclass(frozen=True, slots=True)
class StoryReport:
    """What a story says (see the module docstring)."""

    headline: str
    language: str
    first_seen: str | None
    last_seen: str | None
    outlets: tuple[str, ...]
    n_articles: int
    copy_groups: tuple[tuple[str, tuple[str, ...]], ...]
    entities: tuple[EntityScore, ...]
    summary: tuple[SummarySentence, ...]
    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    quotes: tuple[MergedQuote, ...]
    timeline: tuple[TimelineEvent, ...]
    #: the titled member closest to the centroid: {"article_id", "title", "outlet"}, or None
    central: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the keys of `REPORT_KEYS` plus first/last seen, outlets and count."""
        from khabar.store.mentions import entity_key

        return {
            "headline": self.headline,
            "central": dict(self.central) if self.central else None,
            "language": self.language,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "outlets": list(self.outlets),
            "n_articles": self.n_articles,
            "copy_groups": [{"id": gid, "members": list(members)} for gid, members in self.copy_groups],
            # key: the entity's key in the names index (`Corpus.entity(key)`)
            "entities": [{**asdict(e), "key": entity_key(e.canonical, e.label)} for e in self.entities],
            "summary": [asdict(s) for s in self.summary],
            "facts": [
                {"key": f.key, "what": f.what, "value": _num(f.value), "unit": f.unit,
                 "counted": f.counted, "text": f.text, "outlets": list(f.outlets),
                 "articles": list(f.articles), "n_outlets": f.n_outlets, "n_texts": f.n_texts,
                 "mentions": [asdict(m) for m in f.mentions]}
                for f in self.facts
            ],
            "conflicts": [
                {"what": c.what, "values": [
                    {"value": _num(v.value), "text": v.text, "outlets": list(v.outlets),
                     "articles": list(v.articles)} for v in c.values]}
                for c in self.conflicts
            ],
            "quotes": [
                {"speaker": q.speaker, "text": q.text, "verb": q.verb, "direct": q.direct,
                 "outlets": list(q.outlets), "sources": [asdict(s) for s in q.sources]}
                for q in self.quotes
            ],
            "timeline": [
                {"date": t.date, "granularity": t.granularity, "text": t.text,
                 "outlets": list(t.outlets), "articles": list(t.articles)}
                for t in self.timeline
            ],
        }


def _num(value: float | str) -> float | int | str:
    if isinstance(value, str):
        return value
    return int(value) if float(value).is_integer() else value


# --------------------------------------------------------------------------- text helpers


@lru_cache(maxsize=1 << 15)
def _keys(text: str) -> tuple[str, ...]:
    """Match keys of a text, cached: the same sentences are read for the summary, the
    headline and the names, and reprints repeat them across articles."""
    return tuple(match_keys(text))


def _terms(text: str) -> list[str]:
    """Content match keys of a text (stop words and one-letter keys dropped)."""
    return [k for k in _keys(text) if len(k) > 1 and k not in STOPWORDS]


def _article_keys(article: Article) -> str:
    """Every match key of the title and body sentences, space-separated with spaces around."""
    parts = [" ".join(_keys(article.title))]
    parts += [" ".join(_keys(article.text[s:e])) for s, e in _sentence_spans(article)]
    return " " + " ".join(p for p in parts if p) + " "


def _sentence_spans(article: Article) -> list[tuple[int, int]]:
    """Body sentences of an article as (start, end) into its text."""
    if article.sentences:
        return [(s.start, s.end) for s in article.sentences]
    body_lines = [ln for ln in article.lines if ln.line_kind in ("body", "dateline")]
    if body_lines:
        return [(ln.start + s, ln.start + e) for ln in body_lines for s, e in split_sentences(ln.text)]
    text = article.text
    spans = split_sentences(text)
    # without line kinds the title is the first line: leave it out of the sentences
    if article.title and spans and text[spans[0][0]:spans[0][1]].strip() == article.title.strip():
        spans = spans[1:]
    return spans


def _trim_dateline(article: Article, start: int, end: int) -> int:
    """Move a sentence's start past a dateline glued to it (`بغداد/وكالة- قال …`)."""
    if article.dateline:
        at = article.text.find(article.dateline, start, min(end, start + len(article.dateline) + 4))
        if at >= 0:
            new = at + len(article.dateline)
            while new < end and article.text[new] in " \u00a0-–—:)(/":
                new += 1
            if end - new > 20:
                return new
    return start


_OUTLET_TAG = re.compile(r"\s*[|\-–—]\s*[^|\-–—]{2,40}$")


def _clean_title(title: str, outlet: str) -> str:
    title = " ".join(title.split())
    match = _OUTLET_TAG.search(title)
    if match and outlet and match_keys(outlet)[:1] and set(match_keys(outlet)) & set(match_keys(match.group())):
        title = title[: match.start()]
    return title.strip(" -–—|")


def _cos_rows(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    return matrix @ vector if matrix.size else np.zeros(0)


def _l2(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


# --------------------------------------------------------------------------- summary


@dataclass(slots=True)
class _Cand:
    article: Article
    start: int
    end: int
    position: int
    n_in_article: int
    terms: list[str]


def lead_sentences(article: Article, *, max_sentences: int = 3, min_words: int = 25) -> list[SummarySentence]:
    """An article's lead: its first body sentence, plus the next ones while short (≤ 3)."""
    out: list[SummarySentence] = []
    words = 0
    for start, end in _sentence_spans(article):
        start = _trim_dateline(article, start, end) if not out else start
        text = article.text[start:end]
        if len(match_keys(text)) < 3:
            continue
        out.append(SummarySentence(text, article.id, article.outlet, start, end))
        words += len(text.split())
        if words >= min_words or len(out) >= max_sentences:
            break
    return out


_RETOLD_SIMILARITY = 0.1  # chosen on ANT days 11-12: redundancy 0.340 -> 0.334, ROUGE-2 0.307 -> 0.303


def _figures(cand: _Cand) -> frozenset[str]:
    """The numbers a candidate sentence gives (other than 1), as value keys."""
    return frozenset(_value_key(q.value) for q in cand.article.quantities
                     if cand.start <= q.start and q.end <= cand.end and q.value and q.value != 1)


# a verse quoted in an official statement's boilerplate (قال الله تعالى: ((إنما جزاء …))) tells
# nothing of the event
_SCRIPTURE = re.compile(r"قال (?:الله|تعالى)|(?:الله|المولى) عز وجل|\(\(|﴿|صدق الله")


# a sentence that only announces the text after it (a statement, a letter, a quote): it ends at
# the colon (or at the basmala that opens the text), whatever its length
# a prayer for someone (حفظ الله خادم الحرمين الشريفين في سفره وإقامته): a closing formula
_PRAYER = re.compile(r"\W*و?(?:حفظ|رحم|وفق|أعان|سدد|أدام|نصر|تغمد)(?:ه|ها|هم)?\s+(?:الله|المولى)")
_INTRODUCES = re.compile(r"[:：]\s*[-–—ـ]*\s*(?:بسم الله الرحمن الرحيم\s*[.:]?\s*)?$")


def _candidates(articles: Sequence[Article], per_article: int = 30) -> list[_Cand]:
    cands: list[_Cand] = []
    for article in articles:
        spans = _sentence_spans(article)[:per_article]
        for pos, (start, end) in enumerate(spans):
            if pos == 0:
                start = _trim_dateline(article, start, end)
            text = article.text[start:end]
            n_words = len(text.split())
            if n_words < 6 or n_words > 80 or _SCRIPTURE.search(text):
                continue
            if n_words < 12 and text.rstrip().endswith(("؛", ";", "،", ",", ":")):
                continue  # a clause cut at a semicolon (تواصل تدفق المواد إلى عدن، أمس؛)
            if _INTRODUCES.search(text) or _PRAYER.match(text):
                continue  # صدر بيان فيما يلي نصه :- / قال في رسالته الآتي نصها: what follows is the news
            terms = _terms(text)
            if len(terms) < 3:
                continue
            cands.append(_Cand(article, start, end, pos, len(spans), terms))
    return cands


def _vectors(docs: Sequence[Sequence[str]]) -> np.ndarray:
    """TF-IDF rows (l2-normalized) with idf over the given documents."""
    vocab: dict[str, int] = {}
    for doc in docs:
        for t in doc:
            vocab.setdefault(t, len(vocab))
    matrix = np.zeros((len(docs), max(len(vocab), 1)), dtype=np.float32)
    for i, doc in enumerate(docs):
        for t, n in Counter(doc).items():
            matrix[i, vocab[t]] = 1.0 + math.log(n)
    df = (matrix > 0).sum(axis=0)
    idf = np.log((len(docs) + 1) / (df + 1)) + 1.0
    return _l2(matrix * idf)


def summarize(articles: Sequence[Article], *, max_sentences: int = 6, min_sentences: int = 3,
              lambda_: float = 0.7, max_similarity: float = 0.3,
              position_weight: float = 0.25) -> list[SummarySentence]:
    """Centroid + MMR extractive summary of a set of articles (distinct texts), in reading order.

    Each article weighs the same in the centroid however long it is; a lead sentence gets a
    small bonus (news puts the event first); a sentence too close to one already picked
    (cosine > `max_similarity`) is never picked.
    """
    cands = _candidates(articles)
    if not cands:
        return []
    vecs = _vectors([c.terms for c in cands])
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        by_article[c.article.id].append(i)
    doc_vecs = _l2(np.stack([vecs[idx].sum(axis=0) for idx in by_article.values()]))
    centroid = doc_vecs.mean(axis=0)
    norm = float(np.linalg.norm(centroid)) or 1.0
    centroid = centroid / norm
    position = np.array([1.0 / (1.0 + c.position) for c in cands], dtype=np.float32)
    score = _cos_rows(vecs, centroid) + position_weight * position
    # one sentence more than there are texts: every outlet's angle plus the lead (parameters
    # chosen on ANT days 11-12: ROUGE against the leads vs redundancy, benchmarks/synthesis.py)
    k = max(min_sentences, min(max_sentences, len(by_article) + 1))
    chosen: list[int] = []
    closest = np.zeros(len(cands), dtype=np.float32)  # max similarity to a sentence picked so far
    available = np.ones(len(cands), dtype=bool)
    figures = [_figures(c) for c in cands]
    while len(chosen) < k:
        value = lambda_ * score - (1 - lambda_) * closest
        value[~available | (closest > max_similarity)] = -np.inf
        best = int(np.argmax(value))
        if not np.isfinite(value[best]):
            break
        chosen.append(best)
        available[best] = False
        similarity = vecs @ vecs[best]
        closest = np.maximum(closest, similarity)
        # the same figures in other words is the same fact retold (قتل 26 شخصاً وأصيب 18 / أسفر
        # الهجوم عن 26 قتيلاً و18 جريحاً): lexically apart, but nothing new for the reader
        if figures[best]:
            for i, f in enumerate(figures):
                if available[i] and f and f <= figures[best] and similarity[i] > _RETOLD_SIMILARITY:
                    available[i] = False
    first_time = {a.id: (a.published.timestamp() if a.published else float(n)) for n, a in enumerate(articles)}
    chosen.sort(key=lambda i: (cands[i].position > 0, cands[i].position / max(cands[i].n_in_article, 1),
                               first_time[cands[i].article.id]))
    return [SummarySentence(cands[i].article.text[cands[i].start:cands[i].end], cands[i].article.id,
                            cands[i].article.outlet, cands[i].start, cands[i].end) for i in chosen]


# --------------------------------------------------------------------------- facts


@cache
def _fact_classes() -> tuple[dict[str, tuple[str, str]], dict[str, str], dict[str, str]]:
    """(counted key → (class, label), cue key → class, class → label) from
    resources/synthesis/fact_classes.tsv."""
    text = (resources.files("khabar.resources") / "synthesis" / "fact_classes.tsv").read_text(encoding="utf-8")
    nouns: dict[str, tuple[str, str]] = {}
    cues: dict[str, str] = {}
    labels: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t") + ["", "", ""]
        cls, label, words, cue_words = parts[0].strip(), parts[1].strip(), parts[2], parts[3]
        labels[cls] = label
        for w in words.split():
            nouns[match_key(w)] = (cls, label)
        for w in cue_words.split():
            cues.setdefault(match_key(w), cls)
    return nouns, cues, labels


_PERSON_NOUNS = frozenset(match_key(w) for w in ["شخص", "مواطن", "فرد", "نسمة", "انسان", "إنسان", "آخر", "اخرين", "طفل", "امرأة", "رجل"])
_BOUNDS = frozenset(match_key(w) for w in ["أكثر", "اكثر", "يزيد", "أقل", "اقل", "يقل", "يتجاوز", "تجاوز", "حتى"])
_LOWER_BOUNDS = frozenset(match_key(w) for w in ["يقل", "يزيد", "يتجاوز", "تجاوز"])


def _class_of(article: Article, q: QuantitySpan) -> tuple[str, str]:
    """(what key, readable what) of a quantity."""
    nouns, _cues, labels = _fact_classes()
    ckey = match_key(q.counted) if q.counted else ""
    if ckey in nouns:
        return nouns[ckey]
    head = match_key(q.counted.split()[0]) if q.counted.strip() else ""
    if head in nouns:  # فرصة عمل → فرصة
        return nouns[head]
    if (ckey in _PERSON_NOUNS or (not ckey and not q.unit)) and (found := _cue_class(article, q)):
        return found, labels[found]
    if q.unit:
        return f"unit:{q.unit}", q.counted or q.unit
    return f"n:{ckey}", q.counted


def _cue_class(article: Article, q: QuantitySpan) -> str:
    """The fact class the verb or verbal noun of the number's clause gives it (قتل, إصابة), or ""."""
    _nouns, cues, _labels = _fact_classes()
    # The cue is looked for in the number's own clause: before it first (Arabic puts the
    # verb first: قتل 26 شخصاً وأصيب 18), then after it (26 شخصاً لقوا حتفهم); never across
    # a comma or a full stop, where the next clause's cue belongs to the next number
    # (لمقتل 26 شخصاً على الأقل، وإصابة 18 آخرين).
    before_text = _CLAUSE_END.split(article.text[max(0, q.start - 60):q.start])[-1]
    after_text = _CLAUSE_END.split(article.text[q.end:q.end + 50])[0]
    found = ""
    for key in reversed(match_keys(before_text)[-5:]):
        if key.isdigit():
            break  # another number's cue (قتل 3 وأصيب 12)
        if found := _cue(key, cues):
            break
    if not found:
        keys = match_keys(after_text)[:5]
        for n, key in enumerate(keys):
            if key.isdigit():
                break
            if found := _cue(key, cues):
                if any(k.isdigit() for k in keys[n + 1:n + 3]):
                    found = ""  # the cue of the number after it (شخصان كما أصيب 4)
                break
    return found


_CLAUSE_END = re.compile(r"[.،,؛;!?؟:\n]")


def _cue(key: str, cues: Mapping[str, str]) -> str:
    if key in cues:
        return cues[key]
    # a conjunction or preposition glued to a verb or a verbal noun is not split by match_key
    # (وفقد, فقتل, لمقتل, بإصابة, ولإصابة)
    for n in (1, 2):
        if len(key) > n + 2 and all(c in "وفلبك" for c in key[:n]) and key[n:] in cues:
            return cues[key[n:]]
    return ""


def _context(article: Article, q: QuantitySpan, width: int = 70) -> set[str]:
    text = article.text[max(0, q.start - width):q.start] + " " + article.text[q.end:q.end + width]
    return {t for t in _terms(text) if not t.isdigit()}


@dataclass(slots=True)
class _QMention:
    article: Article
    q: QuantitySpan
    what: str
    label: str
    bound: bool
    context: set[str]
    names: frozenset[str] = frozenset()  # the words of the names in the number's sentence: whose number it is
    days: frozenset[str] = frozenset()  # the days and years its sentence dates: when it was so
    # when the number itself was so: the days, months or years dated in its own clause (56.8
    # نقطة في شهر يناير), else, for a reading of the day (a price, an index) in a sentence that
    # dates nothing, the day its article was published
    when: frozenset[str] = frozenset()


def _sentence_of(article: Article, q: QuantitySpan) -> tuple[int, int] | None:
    """The bounds of the sentence that holds the number, or None."""
    return next(((x.start, x.end) for x in article.sentences if x.start <= q.start < x.end), None)


def _sentence_names(article: Article, q: QuantitySpan,
                    sentence: tuple[int, int] | None = None) -> frozenset[str]:
    start, end = sentence or (max(0, q.start - 80), q.end + 80)
    # the names' words, so that ناريمان and ناريمان التميمي are one subject
    return frozenset(k for e in article.entities
                     if start <= e.start and e.end <= end and e.label in ("PER", "ORG", "LOC")
                     for k in match_keys(e.canonical or e.text) if len(k) > 2)


def _sentence_days(article: Article, sentence: tuple[int, int] | None) -> frozenset[str]:
    """The resolved days (2026-03-14) and years (2013) that dates in the number's sentence name:
    two values of one thing on different days (Wednesday's close and Thursday's, a toll from
    a 2013 raid in a chronology) are no rival figures."""
    if sentence is None:
        return frozenset()
    start, end = sentence
    return frozenset(d.value[:10] if d.granularity == "day" and len(d.value) >= 10 else d.value[:4]
                     for d in article.dates if start <= d.start < end and d.value[:4].isdigit())


def _different_days(a: _QMention, b: _QMention) -> bool:
    if a.when and b.when and not any(x.startswith(y) or y.startswith(x) for x in a.when for y in b.when):
        return True  # January's reading and February's; Monday's price and Tuesday's
    if not a.days or not b.days:
        return False
    if a.days & b.days:
        return False
    years_a, years_b = {d[:4] for d in a.days}, {d[:4] for d in b.days}
    days_a, days_b = {d for d in a.days if len(d) == 10}, {d for d in b.days if len(d) == 10}
    # different years, or both dated to the day and on different days
    return years_a.isdisjoint(years_b) or bool(days_a and days_b and days_a.isdisjoint(days_b))


def _number_when(article: Article, q: QuantitySpan, sentence: tuple[int, int] | None,
                 sentence_days: frozenset[str]) -> frozenset[str]:
    """See `_QMention.when`: the dates of the number's own clause (after it first, up to the
    next number or clause end, then before it), or the publication day of a reading of the day
    whose sentence dates nothing."""
    start, end = sentence or (max(0, q.start - 80), q.end + 80)
    others = [x for x in article.quantities if x is not q and start <= x.start < end]
    after_end = min([x.start for x in others if x.start >= q.end] + [end])
    before_start = max([x.end for x in others if x.end <= q.start] + [start])
    after = article.text[q.end:after_end]
    after_end = q.end + len(_CLAUSE_END.split(after)[0])
    before = article.text[before_start:q.start]
    before_start = q.start - len(_CLAUSE_END.split(before)[-1])
    for lo, hi in ((q.end, after_end), (before_start, q.start)):
        found = frozenset(_date_key(d) for d in article.dates
                          if lo <= d.start < hi and d.value[:4].isdigit() and d.granularity in _DATED)
        if found:
            return found
    if sentence is not None and not sentence_days and article.published is not None:
        words = {k.lstrip("وف") if len(k) > 3 else k for k in match_keys(article.text[start:end])}
        if words & _READING_WORDS:
            return frozenset({article.published.date().isoformat()})
    return frozenset()


_DATED = frozenset({"day", "month", "year"})
# a sentence with one of these reports a reading of its day (a price, a close, a rate)
_READING_WORDS = frozenset(match_key(w) for w in (
    "سعر", "أسعار", "برميل", "سهم", "أسهم", "مؤشر", "بورصة", "صرف", "أغلق", "إغلاق", "يغلق", "تداول", "تداولات"))


def _date_key(d: DateSpan) -> str:
    return d.value[:{"day": 10, "month": 7}.get(d.granularity, 4)]


# counts that grow as a story unfolds (the dead, the injured, the rescued, the detained, the
# displaced): a larger one a day later is the count risen, not a rival figure
_TOLLS = frozenset({"dead", "injured", "rescued", "detained", "displaced"})


def _toll_rose(what: str, a: _QMention, b: _QMention) -> bool:
    """A toll that rose over days: the larger figure is from an article published on a later
    day (12 dead on Monday, 15 on Tuesday). A smaller figure a day later still conflicts (the
    toll does not fall), and so do two figures of one day."""
    pa, pb = a.article.published, b.article.published
    if what not in _TOLLS or pa is None or pb is None or pa.date() == pb.date():
        return False
    early, late = (a, b) if pa.date() < pb.date() else (b, a)
    return late.q.value > early.q.value


def _quantity_mentions(articles: Sequence[Article]) -> list[_QMention]:
    out: list[_QMention] = []
    for article in articles:
        dates = [(d.start, d.end) for d in article.dates]
        for q in article.quantities:
            if not q.value or (not q.counted and not q.unit):
                continue
            if any(s < q.end and q.start < e for s, e in dates):
                continue
            what, label = _class_of(article, q)
            if (q.value in (1, 2) and what.startswith("n:") and not any(c.isdigit() for c in q.text)
                    and (q.value == 1 or what[2:] not in _PERSON_NOUNS)):
                continue  # ولاية واحدة, منزلين: a word's one or two things, no figure to report
            bound = bool(q.qualifier) and bool(set(match_keys(q.qualifier)) & _BOUNDS)
            # a bound the quantity's qualifier does not hold: ما لا يقل عن شخصين (not حتى: حتى
            # الآن, so far, comes before the very tolls outlets disagree on)
            bound = bound or bool(set(match_keys(article.text[max(0, q.start - 20):q.start])[-3:]) & _LOWER_BOUNDS)
            # or after it: قتيلين على الأقل, 26 شخصاً في الأقل (at least: no rival of a larger figure)
            bound = bound or tuple(match_keys(article.text[q.end:q.end + 20])[:2]) in _AT_LEAST
            sentence = _sentence_of(article, q)  # read once for whose number it is and when
            out.append(_QMention(article, q, what, label, bound, _context(article, q),
                                 _sentence_names(article, q, sentence), days := _sentence_days(article, sentence),
                                 _number_when(article, q, sentence, days)))
    # "12 شخصاً" with its cue out of reach joins the one class the story gives 12 (قتلى)
    classes = set(_fact_classes()[2])
    by_value: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m in out:
        if m.what in classes:
            by_value[_value_key(m.q.value)].add((m.what, m.label))
    for m in out:
        if m.what.startswith("n:") and m.what[2:] in _PERSON_NOUNS and not _made_of(m):
            found = by_value.get(_value_key(m.q.value), set())
            if len(found) == 1:
                m.what, m.label = next(iter(found))
    # "3 آخرين" after a figure of the same thing in its sentence is more of them (وفاة راكبين
    # في الموقع، بينما أعلنت وفاة 3 آخرين في المستشفى: five dead), not the article's toll: no
    # rival figure. The earlier one is of the same thing by its class or by its own cue
    # (راكبين counts passengers; وفاة before it makes them dead).
    for m in out:
        if m.what.startswith(("n:", "unit:")) or (match_keys(m.q.text) or [""])[-1] not in _OTHERS:
            continue
        sentence = _sentence_of(m.article, m.q) or (max(0, m.q.start - 200), m.q.start)
        if any(sentence[0] <= q.start < m.q.start
               and (_class_of(m.article, q)[0] == m.what or _cue_class(m.article, q) == m.what)
               for q in m.article.quantities):
            m.bound = True
    return out


_AT_LEAST = frozenset({(match_key("على"), match_key("الأقل")), (match_key("في"), match_key("الأقل"))})
_OTHERS = frozenset(match_key(w) for w in ("آخرين", "آخرون", "أخرى", "أخريات"))


_MADE_OF = frozenset(match_key(w) for w in ["المؤلفة", "المؤلف", "المكونة", "المكون", "مؤلفة", "مكونة",
                                            "تتألف", "يتألف", "تتكون", "يتكون", "تضم", "يضم", "فريق", "وفد", "لجنة"])


def _made_of(m: _QMention) -> bool:
    """A count of members (اللجنة المؤلفة من 18 شخصاً, وفد من 12 شخصاً), not a toll."""
    before = match_keys(m.article.text[max(0, m.q.start - 40):m.q.start])[-3:]
    return "من" in before[-1:] and bool(set(before) & _MADE_OF) or bool(set(before[-2:]) & _MADE_OF)


def _value_key(value: float) -> str:
    return f"{value:.6g}"


def _without_glued_preposition(text: str) -> str:
    """A figure as a fact shows it: without a ب/ل glued to its number (بثلاثة أهداف -> ثلاثة
    أهداف, ب12 طناً -> 12 طناً); the mentions keep their spans as written."""
    if len(text) > 2 and text[0] in "بل" and (text[1].isdigit() or _number_word_start(text[1:])):
        return text[1:].lstrip()
    return text


def _number_word_start(text: str) -> bool:
    from khabar.extract.quantities import _key, _num_word

    first = text.split(maxsplit=1)[0] if text.split() else ""
    return _num_word(_key(first)) is not None


def _facts(articles: Sequence[Article], mentions: list[_QMention], limit: int,
           copy_groups: Mapping[str, str] | None = None) -> list[Fact]:
    """The figures the articles give, grouped by what they count and their value; those that
    more independent texts give first (reprints of one wire copy are one text), then more
    outlets."""
    copy_groups = copy_groups or {}
    groups: dict[tuple[str, str], list[_QMention]] = defaultdict(list)
    for m in mentions:
        groups[(m.what, _value_key(m.q.value))].append(m)
    order = {a.id: i for i, a in enumerate(articles)}
    facts: list[tuple[tuple[Any, ...], Fact]] = []
    for (what, vkey), ms in groups.items():
        arts = sorted({m.article.id for m in ms}, key=order.__getitem__)
        outlets = tuple(dict.fromkeys(m.article.outlet for m in sorted(ms, key=lambda m: order[m.article.id]) if m.article.outlet))
        texts = Counter(_without_glued_preposition(m.q.text) for m in ms)
        first = min(ms, key=lambda m: (order[m.article.id], m.q.start))
        counted = Counter(m.q.counted for m in ms).most_common(1)[0][0]
        fact = Fact(
            key=f"{what}:{vkey}", what=ms[0].label, value=ms[0].q.value, unit=ms[0].q.unit,
            counted=counted, text=_fact_text(texts, counted), outlets=outlets, articles=tuple(arts),
            mentions=tuple(Mention(m.article.id, m.article.outlet, m.q.text, m.q.start, m.q.end)
                           for m in sorted(ms, key=lambda m: (order[m.article.id], m.q.start))),
            n_texts=_independent(arts, {m.article.id: m.article.outlet for m in ms}, copy_groups),
        )
        # a span of time (21 عاماً, an age; ثلاث ساعات) or a number of times (3 مرات) is rarely
        # what a story reports: after the counts of people, money and things
        facts.append(((what in _TIME_UNITS or what in _TIMES, -fact.n_texts, -len(outlets), -len(arts), order[first.article.id],
                       first.q.start), fact))
    facts.sort(key=lambda kv: kv[0])
    return [f for _, f in facts[:limit]]


def _fact_text(texts: Counter[str], counted: str) -> str:
    """The wording most mentions use; on a tie, one that names what is counted (تسعة ملايين
    يورو rather than 9 ملايين أخرى, 'nine million more', of the same fact)."""
    key = match_key(counted) if counted else ""
    return max(texts, key=lambda t: (texts[t], bool(key) and key in match_keys(t)))


def _independent(articles: Sequence[str], outlets: Mapping[str, str], copy_groups: Mapping[str, str]) -> int:
    """How many independent sources the articles are: articles of one copy group or of one
    outlet are one (walk 22: a figure one outlet gave in two articles and a wire copy two
    others reprinted counted as four texts of four outlets)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a in articles:
        keys = ["g:" + copy_groups.get(a, a)] + (["o:" + outlets[a]] if outlets.get(a) else [])
        for key in keys:
            parent[root(key)] = root("a:" + a)
    return len({root("a:" + a) for a in articles})


def _conflicts(articles: Sequence[Article], mentions: list[_QMention], *, max_ratio: float = 2.5,
               min_context: float = 0.15) -> list[Conflict]:
    """Values of one thing that different articles disagree on (see the module docstring)."""
    order = {a.id: i for i, a in enumerate(articles)}
    # Each article's headline number for a thing is its largest value: a smaller one next to
    # it is a part (2 of the 14 bodies were children) or another measure, not a rival figure.
    top: dict[tuple[str, str], float] = {}
    for m in mentions:
        if not m.bound:
            k = (m.article.id, m.what)
            top[k] = max(top.get(k, m.q.value), m.q.value)
    by_what: dict[str, dict[str, list[_QMention]]] = defaultdict(lambda: defaultdict(list))
    for m in mentions:
        if not m.bound and m.q.value == top[(m.article.id, m.what)]:
            by_what[m.what][_value_key(m.q.value)].append(m)
    # every value each article gives a thing, its smaller ones included: an article that
    # states both values of a pair is talking about two things (the leader's 8 points and the
    # runner-up's 5), whichever of them is its headline number
    stated: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in mentions:
        stated[(m.what, _value_key(m.q.value))].add(m.article.id)
    classes = set(_fact_classes()[2])
    outlet_of = {a.id: a.outlet or a.id for a in articles}
    out: list[Conflict] = []
    for what, values in by_what.items():
        # spans of time (خلال ثلاث سنوات، خلال عامين) are said of many things in one story
        if len(values) < 2 or what in _TIME_UNITS:
            continue
        arts = {v: {m.article.id for m in ms} for v, ms in values.items()}
        involved: set[str] = set()
        keys = sorted(values, key=float)
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                va, vb = float(a), float(b)
                if min(va, vb) <= 0 or max(va, vb) / min(va, vb) > max_ratio:
                    continue
                # one is the other rounded to what it writes (4.4 مليون of 4.41 مليون, 95% of 95.4%)
                if abs(va - vb) < max(_precision(values[a][0].q), _precision(values[b][0].q)):
                    continue
                only_a, only_b = arts[a] - arts[b], arts[b] - arts[a]
                if not only_a or not only_b:
                    continue
                # outlets that disagree: one outlet giving both (two articles of one paper, a
                # price at noon and at the close) has updated or told two things
                by_a, by_b = {outlet_of[x] for x in only_a}, {outlet_of[x] for x in only_b}
                if not by_a - by_b or not by_b - by_a:
                    continue
                # an article that reports both values elsewhere is talking about two things
                if arts[a] & arts[b] or stated[(what, a)] & stated[(what, b)]:
                    continue
                # whose number: two sentences that name different people, teams or places give
                # numbers of different subjects (Liverpool's 63 points, Inter's 55)
                pairs = [(ma, mb) for ma in values[a] for mb in values[b]
                         if not (ma.names and mb.names and ma.names.isdisjoint(mb.names))
                         and not _different_days(ma, mb) and not _toll_rose(what, ma, mb)]
                if not pairs:
                    continue
                if what not in classes:
                    ctx = max(_jaccard(ma.context, mb.context) for ma, mb in pairs)
                    if ctx < min_context:
                        continue
                involved.update((a, b))
        if involved:
            cvals = []
            for v in sorted(involved, key=lambda v: min(order[m.article.id] for m in values[v])):
                ms = sorted(values[v], key=lambda m: (order[m.article.id], m.q.start))
                cvals.append(ConflictValue(
                    value=ms[0].q.value, text=ms[0].q.text,
                    outlets=tuple(dict.fromkeys(m.article.outlet for m in ms if m.article.outlet)),
                    articles=tuple(dict.fromkeys(m.article.id for m in ms))))
            out.append(Conflict(what=values[keys[0]][0].label, values=tuple(cvals)))
    return out


_TIME_UNITS = frozenset(f"unit:{u}" for u in ("year", "month", "week", "day", "h", "min", "s"))
_TIMES = frozenset(f"n:{match_key(w)}" for w in ("مرة", "مرات"))
_WRITTEN_NUMBER = re.compile(r"[0-9\u0660-\u0669]+(?:[,\u066c][0-9\u0660-\u0669]{3})*(?:[.\u066b][0-9\u0660-\u0669]+)?")
_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩٫٬", "0123456789.,")


def _precision(q: QuantitySpan) -> float:
    """How far the value may be from what the text means by it: half a unit of its last written
    digit, at its scale (4.4 مليون: 50,000; 95%: 0.5). 0 for a number written in words."""
    match = _WRITTEN_NUMBER.search(q.text.replace("\u200f", "").replace("\u200e", ""))
    if match is None:
        return 0.0
    written = match.group().translate(_ASCII).replace(",", "")
    try:
        number = float(written)
    except ValueError:
        return 0.0
    if not number:
        return 0.0
    decimals = len(written.split(".", 1)[1]) if "." in written else 0
    scale = abs(q.value / number)
    if not any(abs(scale - p) <= 1e-9 * p for p in (1.0, 1e3, 1e6, 1e9, 1e12)):
        return 0.0  # the value is not the written number at a scale (1,5 مليون read otherwise)
    return 0.5 * 10.0 ** -decimals * scale  # half its last digit: 4.4 is 4.35..4.45


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


# --------------------------------------------------------------------------- quotes


_TITLE_WORDS = frozenset(match_key(w) for w in ["الوزير", "وزير", "الرئيس", "رئيس", "السيد", "الدكتور", "د", "المتحدث", "الناطق", "المستشار", "الشيخ", "العميد", "اللواء"])


@lru_cache(maxsize=1 << 14)
def _speaker_key(name: str) -> tuple[str, ...]:
    return tuple(k for k in _keys(name) if k and k not in _TITLE_WORDS)


_NASAB = frozenset(match_key(w) for w in ("بن", "ابن", "بنت"))
# someone who speaks for a body named after them (مسؤول بالبيت الأبيض, مصدر في الكرملين): the
# body's own statements (وقال البيت الأبيض في بيان) are not theirs, whatever its name starts with
_FOR_A_BODY = frozenset(match_key(w) for w in ("مسؤول", "مسؤولة", "مسؤولون", "مصدر", "مصادر", "متحدث",
                                               "متحدثة", "ناطق", "ناطقة", "مستشار", "عضو", "موظف"))


@cache
def _body_heads() -> frozenset[str]:
    """Words that make a name a body's (وزارة, الجيش, وكالة, صحيفة, حركة …), from the NER
    resources' head lists: such a name is no person's surname or given name."""
    words: set[str] = set()
    for name in ("org_heads.txt", "media_heads.txt", "org_types.txt"):
        text = (resources.files("khabar.resources") / "ner" / name).read_text(encoding="utf-8")
        words.update(match_key(line.strip()) for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))
    return frozenset(words)


def _speaker_map(names: Iterable[str]) -> dict[str, str]:
    """Speaker as written → the speaker it is shown under: a name whose words are all in one
    longer name of the story (`كارتر` ⊂ `آشتون كارتر`) joins that name."""
    written = Counter(n for n in names if n)
    # a name written with a glued ل/ب/و (لريكس تيلرسون, the tagger's span) is the same name
    # written without it, where the story has that one: else كارتر would find two longer names
    glued = {n: n[1:] for n in written if n[:1] in "لبوفك" and len(n.split()[0]) > 3
             and written.get(n[1:], 0) > written[n]}  # وليد stays itself beside ليد written as often
    counts = Counter()
    for n, k in written.items():
        counts[glued.get(n, n)] += k
    names = list(counts)
    keys = {n: _speaker_key(n) for n in names}
    from khabar.store.mentions import entity_words

    index_key = {n: entity_words(n) for n in names}
    heads = _body_heads()
    mapping: dict[str, str] = {}
    for n in names:
        k = set(keys[n])
        if not k:
            mapping[n] = n
            continue
        # a body's name (الجيش الإسرائيلي) ending a longer name that is no body's (متحدث باسم
        # الجيش الإسرائيلي) names someone who speaks for it, not the body; وزارة الخارجية is
        # still الخارجية, and كارتر still آشتون كارتر
        body = keys[n][0] in heads
        # كارتر joins آشتون كارتر: the shorter name starts or ends the longer one (a name the
        # tagger ran over two people, دونالد ترامب جينا هاسبل, must not take every ترامب quote)
        longer = [m for m in names if m != n and len(keys[m]) > len(k) and k <= set(keys[m])
                  and (keys[n] == keys[m][:len(keys[n])] or ((not body or keys[m][0] in heads) and keys[m][0] not in _FOR_A_BODY
                                                              and keys[n] == keys[m][-len(keys[n]):])
                       # جديع القحطاني is جديع بن نهار القحطاني: the first and the last name;
                       # not a nasab (سلطان بن عبدالعزيز is no سلطان بن سلمان بن عبدالعزيز)
                       or (len(keys[n]) > 1 and keys[n][0] == keys[m][0] and keys[n][-1] == keys[m][-1]
                           and _NASAB.isdisjoint(keys[n])))
                  and not _runs_on(n, m, counts)]
        # the longer names as the names index keys them: one person written two ways (علي
        # عبدالله صالح, علي عبد الله صالح) is one target, not two that would tie صالح
        targets = {index_key[m] for m in longer}
        weight = Counter()
        for m in longer:
            weight[index_key[m]] += counts[m]
        top = max(targets, key=lambda t: (weight[t], t), default=None)
        if len(targets) > 1 and weight[top] < 2 * (sum(weight.values()) - weight[top]):
            top = None  # محمد: محمد بن سلمان and محمد بن نايف, both written often
        if top is not None:
            # تيلرسون joins ريكس تيلرسون (36 times) though a faulty span ran it on once
            # (تيلرسون كوزير): a name written far more often than the others that hold it
            mapping[n] = max((m for m in longer if index_key[m] == top), key=lambda m: (counts[m], len(m)))
        else:
            # the same name written twice (spelling variants) is shown one way; a definite
            # name run on into the next words (الجيش الإسرائيلي القناصين, once, against the
            # army seven times) is shown as the name
            same = [m for m in names if keys[m] == keys[n]]
            shorter = [m for m in names if _runs_on(m, n, counts)]
            mapping[n] = max(shorter, key=lambda m: counts[m]) if shorter else same[0]
    for n, bare in glued.items():
        mapping[n] = mapping[bare]
    return _one_spelling(mapping, counts)


# Foreign names come to Arabic in many spellings (غونزالو هيغواين, هيغوايين, إغوايين, جونزالو
# هيجوين): the same consonants less the long vowels, with غ/ج/ك/ق for g and similar pairs.
# A word's skeleton is what outlets agree on.
_SKELETON = str.maketrans({"غ": "ك", "ج": "ك", "ق": "ك", "ط": "ت", "ص": "س", "ث": "س", "ذ": "ز",
                           "ظ": "ز", "ض": "د", "خ": "ح", "ه": "ح", "ڤ": "ف", "پ": "ب",
                           "ا": None, "و": None, "ي": None, "ى": None, "ء": None, "ئ": None,
                           "ؤ": None, "أ": None, "إ": None, "آ": None, "ة": None, ".": None,
                           "-": None, "ـ": None})


@cache
def _common_name_words() -> frozenset[str]:
    """Words of many personal names (محمد, محمود, عمر …: 5 or more in the NER's name list): Arabic
    given names that differ by a long vowel are other people, not other spellings."""
    counts: Counter[str] = Counter()
    text = (resources.files("khabar.resources") / "ner" / "gaz_names.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            counts.update(normalize_text(w) for w in line.split("\t", 1)[0].split())
    return frozenset(w for w, n in counts.items() if n >= 5)


def _skeleton(word: str) -> str:
    return normalize_text(word).translate(_SKELETON)


def _one_edit_apart(a: str, b: str) -> bool:
    """Skeletons alike, or one edit apart where both have four letters or more (الشناوي and
    النني, two footballers, are three letters each and one apart)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 4:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _spellings_of_one_name(a: Sequence[tuple[str, str]], b: Sequence[tuple[str, str]],
                           common: frozenset[str]) -> bool:
    """Whether two written names, as (normalized word, skeleton) pairs, are one foreign name
    spelled two ways: as many words, each pair written alike or, where neither is a common
    given name, one skeleton edit apart."""
    if len(a) != len(b) or a == b:
        return False
    for (nx, sx), (ny, sy) in zip(a, b):
        if nx != ny and (nx in common or ny in common or not _one_edit_apart(sx, sy)):
            return False
    return True


def _one_spelling(mapping: dict[str, str], counts: Counter[str]) -> dict[str, str]:
    """Speakers' names shown one way where outlets spell one foreign name differently: each
    group of spellings under the one written most often."""
    heads = _body_heads()
    shown = Counter()
    for written, target in mapping.items():
        shown[target] += counts.get(written, 0)
    by_length: dict[int, list[tuple[str, tuple[tuple[str, str], ...]]]] = defaultdict(list)
    for n in shown:
        words = n.split()
        if len(words) >= 2 and not (set(_speaker_key(n)) & (heads | _TITLE_WORDS)):
            by_length[len(words)].append((n, tuple((normalize_text(w), _skeleton(w)) for w in words)))
    common = _common_name_words() if by_length else frozenset()
    best: dict[str, str] = {}
    for group in by_length.values():
        for i, (a, wa) in enumerate(group):
            for b, wb in group[i + 1:]:
                if _spellings_of_one_name(wa, wb, common):
                    ra, rb = best.get(a, a), best.get(b, b)
                    top = max((ra, rb), key=lambda n: (shown[n], n))
                    for n, r in list(best.items()) + [(a, ra), (b, rb)]:
                        if r in (ra, rb):
                            best[n] = top
    if not best:
        return mapping
    return {written: best.get(target, target) for written, target in mapping.items()}


def _runs_on(short: str, long: str, counts: Counter[str]) -> bool:
    """Whether `long` is the definite name `short` with words run on after it by a faulty
    span, rather than its fuller form: `short` opens it and is written more often."""
    a, b = _speaker_key(short), _speaker_key(long)
    return (len(b) > len(a) > 0 and b[:len(a)] == a and short.lstrip().startswith("ال")
            and counts[short] > counts[long])


def _quotes(articles: Sequence[Article], *, min_overlap: float = 0.6) -> list[MergedQuote]:
    order = {a.id: i for i, a in enumerate(articles)}
    items = [(a, q) for a in articles for q in a.quotes if q.speaker and q.text.strip()]
    mapping = _speaker_map(q.speaker for _, q in items)
    by_speaker: dict[str, list[list[tuple[Article, Any, set[str]]]]] = defaultdict(list)
    for article, q in items:
        speaker = mapping.get(q.speaker, q.speaker)
        terms = set(_terms(q.text))
        clusters = by_speaker[speaker]
        home = None
        for cluster in clusters:
            for _, other_q, other in cluster:
                small = min(len(terms), len(other))
                # a short quote (هذا الفصل قد انتهى) has too few terms to measure overlap by, but
                # the same words carried again are the same quote
                if (small >= 3 and len(terms & other) / small >= min_overlap
                        or _keys(q.text) == _keys(other_q.text)):
                    home = cluster
                    break
            if home is not None:
                break
        if home is None:
            clusters.append([(article, q, terms)])
        elif not any(other is article for other, _, _ in home):
            home.append((article, q, terms))  # an article repeating a quote cites it once
    ranked: list[tuple[tuple[Any, ...], MergedQuote]] = []
    speaker_weight = {s: sum(len(c) for c in cs) for s, cs in by_speaker.items()}
    speaker_rank = {s: i for i, s in enumerate(sorted(by_speaker, key=lambda s: -speaker_weight[s]))}
    for speaker, clusters in by_speaker.items():
        for cluster in clusters:
            cluster.sort(key=lambda item: (order[item[0].id], item[1].start))
            best = max(cluster, key=lambda item: (item[1].direct, len(item[2])))
            outlets = tuple(dict.fromkeys(a.outlet for a, _, _ in cluster if a.outlet))
            sources = tuple(QuoteSource(a.id, a.outlet, q.start, q.end, q.text) for a, q, _ in cluster)
            first = cluster[0]
            merged = MergedQuote(speaker, best[1].text, best[1].verb, best[1].direct, outlets, sources)
            ranked.append(((speaker_rank[speaker], -len(outlets), order[first[0].id], first[1].start), merged))
    ranked.sort(key=lambda kv: kv[0])
    return [q for _, q in ranked]


# --------------------------------------------------------------------------- timeline


def _sentence_around(article: Article, start: int, end: int, limit: int = 220) -> str:
    for s, e in _sentence_spans(article) or [(0, len(article.text))]:
        if s <= start and end <= e:
            # without the dateline glued to it (عمّان/وكالة …- وقّع …), unless the date is in it
            cut = _trim_dateline(article, s, e)
            text = article.text[cut if cut <= start else s:e]
            break
    else:
        line_start = article.text.rfind("\n", 0, start) + 1
        line_end = article.text.find("\n", end)
        text = article.text[line_start: line_end if line_end >= 0 else len(article.text)]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


_PRECISION = {"datetime": 0, "time": 0, "day": 0, "week": 1, "month": 2, "year": 3}
_SINCE = frozenset(match_key(w) for w in ["منذ", "ومنذ"])
_BEFORE = frozenset(match_key(w) for w in ["قبل", "وقبل"])


def _since(article: Article, d: DateSpan) -> bool:
    """منذ أربعة أشهر, منذ شهر أبريل الماضي, منذ أواخر عام 2003: where a period starts, not an
    event of the story; قبل عامين likewise (قبل يومين still dates an event)."""
    words = match_keys(d.text)[:1] + match_keys(article.text[max(0, d.start - 24):d.start])[-2:]
    if any(w in _SINCE for w in words):
        return True
    return d.granularity in ("month", "year") and bool(words[:1]) and words[0] in _BEFORE


# a numbered document's date (بالمرسوم الملكي رقم م/ 59 في 4 / 11 / 1426هـ, القرار رقم 12
# وتاريخ …): when a law or a decision was issued, cited, not an event of the story
_NUMBERED_DOCUMENT = re.compile(r"رقم\s*[(«\"]?\s*[\w/\-]{1,10}(?:\s*/\s*\w{1,8})?\s*[)»\"]?\s*"
                                r"(?:(?:الصادر[ةه]?\s+)?في|و?بتاريخ|وتاريخ|المؤرخ[ةه]?)\s*$")


def _numbered_document(article: Article, d: DateSpan) -> bool:
    return bool(_NUMBERED_DOCUMENT.search(article.text, max(0, d.start - 48), d.start))


def _timeline(articles: Sequence[Article], limit: int = 15) -> list[TimelineEvent]:
    order = {a.id: i for i, a in enumerate(articles)}
    groups: dict[str, list[tuple[Article, DateSpan]]] = defaultdict(list)
    for article in articles:
        secondary = _secondary_days(article)
        for d in article.dates:
            if d.value and d.granularity in _PRECISION and (
                    d.granularity == "day" or d.granularity == "datetime" or d.value[:4] != "XXXX"):
                if _since(article, d) or (d.start, d.end) in secondary or _numbered_document(article, d):
                    continue
                groups[d.value[:10] if d.granularity in ("day", "datetime", "time") else d.value].append((article, d))
    # a date only there because an article said "today" about itself is no event
    candidates = []
    year = next((a.published.year for a in articles if a.published), None)
    for value, items in groups.items():
        items.sort(key=lambda item: (order[item[0].id], item[1].start))
        specific = [it for it in items if it[1].resolved_by != "relative" or len(it[1].text.split()) > 1]
        # a line that is only the page's date stamp is not an event
        specific = [it for it in specific
                    if len(_sentence_around(it[0], it[1].start, it[1].end)) - len(it[1].text) > 15]
        if specific:
            candidates.append((value, items, specific))
    # the background years and months of a story that has days (كان قد زار البلاد عام 1956,
    # منذ بداية 2014) crowd out its events
    has_days = any(_PRECISION[spec[0][1].granularity] == 0 for _, _, spec in candidates)
    if has_days:
        candidates = [c for c in candidates if _PRECISION[c[2][0][1].granularity] < 2]
    # one sentence under one date, its most precise one (a sentence that names a day and its
    # year; a reprint dated against another crawl day), the date more outlets give first
    candidates.sort(key=lambda c: (_PRECISION[c[2][0][1].granularity],
                                   -len({a.outlet for a, _ in c[1]}), c[0]))
    used: set[str] = set()
    events = []
    for value, items, specific in candidates:
        for article, d in specific:
            text = _sentence_around(article, d.start, d.end)
            if text not in used:
                break
        else:
            continue
        used.add(text)
        # cite the articles whose sentence says much the same, not every one with that day
        shown = _date_context(article, d)
        cited = [(a, x) for a, x in items
                 if a.id == article.id or _cosine(shown, _date_context(a, x)) >= _SAME_SENTENCE]
        outlets = tuple(dict.fromkeys(a.outlet for a, _ in cited if a.outlet))
        sort_key = _timeline_key(value.replace("XXXX", str(year) if year else "9999"))
        events.append((sort_key, TimelineEvent(value, d.granularity if d.granularity != "datetime" else "day",
                                               text, outlets, tuple(dict.fromkeys(a.id for a, _ in cited)))))
    days = {e.date[:7] for _, e in events if e.granularity == "day"}
    # "في آذار" in a story of 10 March adds nothing to the day itself
    years = {d[:4] for d in days}
    events = [(k, e) for k, e in events if not (e.granularity == "month" and e.date[:7] in days)
              and not (e.granularity == "year" and e.date[:4] in years)]
    events.sort(key=lambda kv: (kv[0], -len(kv[1].outlets)))
    if len(events) > limit:
        keep = sorted(events, key=lambda kv: -len(kv[1].articles))[:limit]
        events = sorted(keep, key=lambda kv: kv[0])
    return [e for _, e in events]


#: how alike two dated sentences must be to tell one event (the timeline's citations, the dates'
#: conflicts)
_SAME_SENTENCE = 0.25


def _secondary_days(article: Article) -> set[tuple[int, int]]:
    """Day mentions after the first one of their sentence: يلعب الأهلي مساء اليوم الأربعاء …
    ويستمر معسكره حتى السبت المقبل is Wednesday's event; Saturday is no entry for it."""
    days = sorted((d.start, d.end) for d in article.dates
                  if d.value and d.granularity in ("day", "datetime") and not _since(article, d))
    out: set[tuple[int, int]] = set()
    for s, e in _sentence_spans(article):
        inside = [span for span in days if s <= span[0] and span[1] <= e]
        out.update(inside[1:])
    return out


def _date_context(article: Article, d: DateSpan) -> Counter[str]:
    """The content terms of the sentence around a date mention, without the date's own words."""
    words = set(_keys(d.text))
    return Counter(t for t in _terms(_sentence_around(article, d.start, d.end, limit=10_000))
                   if t not in words and not t.isdigit())


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(a[k] * b[k] for k in a.keys() & b.keys())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _timeline_key(value: str) -> str:
    """A date value as text that sorts in time order: an ISO week (2018-W10) as its Monday's
    day, which would otherwise sort after every month and day of its year."""
    year, _, week = value.partition("-W")
    if week[:2].isdigit() and year.isdigit():
        try:
            return date.fromisocalendar(int(year), int(week[:2]), 1).isoformat()
        except ValueError:
            return value
    return value


_STATED = ("explicit", "publication_year")  # the text gives the day and month itself


def _date_conflicts(articles: Sequence[Article], *, min_similarity: float = _SAME_SENTENCE,
                    max_days: int = 7) -> list[Conflict]:
    """One event dated differently by different outlets: two stated days in sentences that say
    much the same thing, from articles that never mention the other's day."""
    order = {a.id: i for i, a in enumerate(articles)}
    mentions: list[tuple[Article, DateSpan, Counter[str]]] = []
    days_of: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        for d in a.dates:
            if not d.value or len(d.value) < 10 or d.value.startswith("XXXX"):
                continue
            days_of[a.id].add(d.value[:10])
            if d.granularity in ("day", "datetime") and d.resolved_by.split("+")[0] in _STATED:
                mentions.append((a, d, _date_context(a, d)))
    pairs: dict[frozenset[str], list[tuple[Article, DateSpan]]] = defaultdict(list)
    for i, (a, da, ca) in enumerate(mentions):
        for b, db, cb in mentions[i + 1:]:
            va, vb = da.value[:10], db.value[:10]
            if va == vb or a.outlet == b.outlet or vb in days_of[a.id] or va in days_of[b.id]:
                continue
            # a misdated event is off by a few days; dates years apart are other events
            try:
                gap = abs((date.fromisoformat(va) - date.fromisoformat(vb)).days)
            except ValueError:
                continue
            if gap > max_days:
                continue
            if _cosine(ca, cb) >= min_similarity:
                pairs[frozenset((va, vb))] += [(a, da), (b, db)]
    out = []
    for items in pairs.values():
        by_day: dict[str, list[tuple[Article, DateSpan]]] = defaultdict(list)
        for a, d in items:
            if all(a.id != x.id for x, _ in by_day[d.value[:10]]):
                by_day[d.value[:10]].append((a, d))
        values = []
        for day, its in sorted(by_day.items(), key=lambda kv: min(order[a.id] for a, _ in kv[1])):
            its.sort(key=lambda it: order[it[0].id])
            values.append(ConflictValue(day, its[0][1].text,
                                        tuple(dict.fromkeys(a.outlet for a, _ in its if a.outlet)),
                                        tuple(a.id for a, _ in its)))
        out.append(Conflict(what="التاريخ", values=tuple(values)))
    return out


# --------------------------------------------------------------------------- entities


def _in_dateline(article: Article, e: Any) -> bool:
    """Whether the entity sits in the article's dateline as the text writes it at its head."""
    if not article.dateline:
        return False
    start = article.text.find(article.dateline, 0, 400 + len(article.dateline))
    return start >= 0 and start <= e.start and e.end <= start + len(article.dateline)


def _one_per_index_key(per: Mapping[tuple[str, str], dict[str, Any]]
                       ) -> list[tuple[str, dict[str, Any]]]:
    """The story's names merged where the names index holds them under one key (السعودية and
    المملكة العربية السعودية, عبدربه منصور هادي and عبد ربه منصور هادي) or, for a one-word place,
    where they have one skeleton (كاتماندو, كاتمندو): one entity, listed once, with the articles
    and outlets of all its forms."""
    from khabar.store.mentions import entity_key

    merged: dict[str, tuple[str, dict[str, Any]]] = {}
    for (_, label), rec in per.items():
        index_key = entity_key(rec["names"].most_common(1)[0][0], label)
        if index_key not in merged:
            merged[index_key] = (label, {"names": Counter(), "articles": set(), "outlets": set(),
                                         "mentions": 0, "title": set()})
        _merge_into(merged[index_key][1], rec)
    return _places_by_skeleton(list(merged.values()))


def _places_by_skeleton(named: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """One place spelled two ways, one entry: the same skeleton of four letters or more (not
    bodies: the clubs الشباب and الشبيبة share theirs)."""
    by_skeleton: dict[str, dict[str, Any]] = {}
    out = []
    for label, rec in named:
        name = rec["names"].most_common(1)[0][0]
        skeleton = _skeleton(name)
        if label == "LOC" and " " not in name.strip() and len(skeleton) >= 4:
            if skeleton in by_skeleton:
                _merge_into(by_skeleton[skeleton], rec)
                continue
            by_skeleton[skeleton] = rec
        out.append((label, rec))
    return out


def _merge_into(into: dict[str, Any], rec: Mapping[str, Any]) -> None:
    into["names"].update(rec["names"])
    into["mentions"] += rec["mentions"]
    for field in ("articles", "outlets", "title"):
        into[field] |= rec[field]


def _surnames_are_people(majority: dict[str, str], votes: Mapping[str, Counter[str]]) -> None:
    """A one-word name the tagger made a place or a body that is the surname of one person of
    the story, named at least as often (سكريبال beside سيرغي سكريبال), is that person: its
    type becomes PER, and the speaker map then joins it to the full name."""
    from khabar.store.mentions import entity_words

    # a surname's people as the names index keys them (عبدربه منصور هادي and عبد ربه منصور
    # هادي: one person), with how often each is named
    surnames: dict[str, Counter[str]] = defaultdict(Counter)
    for name, label in majority.items():
        words = name.split()
        if label == "PER" and len(words) >= 2:
            surnames[normalize_text(words[-1])][entity_words(name, "PER")] += sum(votes[name].values())
    for name, label in majority.items():
        if label == "PER" or " " in name.strip():
            continue
        people = surnames.get(normalize_text(name), Counter())
        if len(people) == 1 and next(iter(people.values())) >= sum(votes[name].values()):
            majority[name] = "PER"


def _entities(articles: Sequence[Article], limit: int = 12) -> list[EntityScore]:
    n = len(articles) or 1
    per: dict[tuple[str, str], dict[str, Any]] = {}
    # one name, one type: the type most of its mentions in the story have (the tagger called
    # تيلرسون a person 14 times, a place and a body once each: one person, not three names)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    # the names of the story, not of the newsroom: a dateline's place and source (دبي،
    # الإمارات العربية المتحدة (CNN) – at the head of every CNN article; walk 22) are left out
    named = {a.id: [e for e in a.entities if not _in_dateline(a, e)] for a in articles}
    # a name's type: the one most of its mentions have; in a tie, the one more of the articles
    # give it, then its first mention's (السويس a place twice and a body twice is one name)
    spread: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for article in articles:
        for e in named[article.id]:
            if e.label in ("PER", "ORG", "LOC"):
                votes[e.canonical or e.text][e.label] += 1
                spread[e.canonical or e.text][e.label].add(article.id)
    majority = {name: max(counts, key=lambda label: (counts[label], len(spread[name][label])))
                for name, counts in votes.items()}
    _surnames_are_people(majority, votes)

    def label_of(name: str, label: str) -> str:
        return majority.get(name, label)

    names = [e.canonical or e.text for a in articles for e in named[a.id]
             if e.label in ("PER", "ORG", "LOC") and label_of(e.canonical or e.text, e.label) == "PER"]
    mapping = _speaker_map(names)
    for article in articles:
        title_keys = set(_keys(article.title))
        for e in named[article.id]:
            if e.label not in ("PER", "ORG", "LOC"):
                continue
            name = e.canonical or e.text
            label = label_of(name, e.label)
            if label == "PER":
                name = mapping.get(name, name)
            key = (" ".join(_speaker_key(name)) or name, label)
            rec = per.setdefault(key, {"names": Counter(), "articles": set(), "outlets": set(),
                                       "mentions": 0, "title": set()})
            rec["names"][name] += 1
            rec["articles"].add(article.id)
            if article.outlet:
                rec["outlets"].add(article.outlet)
            rec["mentions"] += 1
            if set(_speaker_key(name)) and set(_speaker_key(name)) <= title_keys:
                rec["title"].add(article.id)
    # NER misses names an outlet did write: count an article when the name's words occur in it
    if len(articles) > 1:
        texts = {a.id: _article_keys(a) for a in articles}
        outlet_of = {a.id: a.outlet for a in articles}
        for (key, _label), rec in per.items():
            if len(key) < 4:
                continue
            for aid, text in texts.items():
                if aid not in rec["articles"] and f" {key} " in text:
                    rec["articles"].add(aid)
                    if outlet_of[aid]:
                        rec["outlets"].add(outlet_of[aid])
    scored = []
    for label, rec in _one_per_index_key(per):
        share = len(rec["articles"]) / n
        salience = share * (1.0 + 0.5 * len(rec["title"]) / n) + 0.1 * math.log1p(rec["mentions"])
        scored.append(EntityScore(rec["names"].most_common(1)[0][0], label, round(salience, 4),
                                  len(rec["articles"]), len(rec["outlets"])))
    scored.sort(key=lambda e: (-e.salience, e.canonical))
    return scored[:limit]


# --------------------------------------------------------------------------- the report


def _central(articles: Sequence[Article]) -> Article | None:
    """The titled article whose title (and first sentences) sit closest to the centroid of the
    titled articles; None without one."""
    titled = [a for a in articles if a.title.strip()]
    if len(titled) <= 1:
        return titled[0] if titled else None
    docs = [_terms(a.title) + [t for st, en in _sentence_spans(a)[:3] for t in _terms(a.text[st:en])]
            for a in titled]
    titles = [_terms(a.title) for a in titled]
    vecs = _vectors(docs + titles)
    centroid = vecs[: len(docs)].mean(axis=0)
    scores = vecs[len(docs):] @ centroid
    return titled[int(np.argmax(scores))]


def _headline(articles: Sequence[Article], summary: Sequence[SummarySentence],
              central: Article | None, title: str | None = None) -> str:
    if title and title.strip():
        return " ".join(title.split())  # the story's title, as the story lists show it
    if central is None:
        # the title the store gives a story its untitled first article opens
        lead = lead_title(articles[0].body or articles[0].text,
                          dateline=articles[0].dateline) if articles else ""
        if lead:
            return lead
        if summary:
            words = summary[0].text.split()
            return " ".join(words[:14]) + (" …" if len(words) > 14 else "")
        return ""
    return _clean_title(central.title, central.outlet)


def synthesize(
    articles: Sequence[Article],
    *,
    copy_groups: Mapping[str, str] | None = None,
    max_sentences: int = 6,
    max_facts: int = 30,
    title: str | None = None,
) -> StoryReport:
    """What the articles of one story say, each statement with its sources.

    `copy_groups` maps article id → copy group id (reprints of one text); the summary reads
    one text per copy group, while facts and quotes still count every outlet that carried them
    (a fact also counts its independent texts, `Fact.n_texts`, and ranks by them first).
    Without it every article is its own text. `title`, the story's stored title, is the
    headline when given (the central article is still reported, as `central`).
    """
    articles = sorted(articles, key=lambda a: (a.published is None,
                                               a.published.timestamp() if a.published else 0.0))
    groups = dict(copy_groups or {})
    seen_groups: set[str] = set()
    distinct: list[Article] = []
    for a in articles:
        g = groups.get(a.id, a.id)
        if g not in seen_groups:
            seen_groups.add(g)
            distinct.append(a)
    if len(distinct) == 1:
        summary = lead_sentences(distinct[0])
    else:
        summary = summarize(distinct, max_sentences=max_sentences)
    summary = _dated_summary(summary, articles)
    members: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        members[groups.get(a.id, a.id)].append(a.id)
    copy = tuple((gid, tuple(ids)) for gid, ids in members.items() if len(ids) > 1)
    languages = Counter(a.language for a in articles if a.language)
    times = [a.published for a in articles if a.published]
    mentions = _quantity_mentions(articles)
    central = _central(distinct)
    return StoryReport(
        headline=_headline(distinct, summary, central, title),
        central={"article_id": central.id, "title": _clean_title(central.title, central.outlet),
                 "outlet": central.outlet} if central is not None else None,
        language=languages.most_common(1)[0][0] if languages else "",
        first_seen=min(times, key=_published).isoformat() if times else None,
        last_seen=max(times, key=_published).isoformat() if times else None,
        outlets=tuple(dict.fromkeys(a.outlet for a in articles if a.outlet)),
        n_articles=len(articles),
        copy_groups=copy,
        entities=tuple(_entities(articles)),
        summary=tuple(summary),
        facts=tuple(_facts(articles, mentions, max_facts, groups)),
        conflicts=tuple(_conflicts(articles, mentions) + _date_conflicts(articles)),
        quotes=tuple(_quotes(articles)),
        timeline=tuple(_timeline(articles)),
    )


_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
           "أكتوبر", "نوفمبر", "ديسمبر")


def _dated_summary(summary: Sequence[SummarySentence], articles: Sequence[Article]) -> list[SummarySentence]:
    """Each sentence that says اليوم/أمس + a weekday of a day before the story's last gets its
    day written beside it: "أكد البيت الأبيض اليوم الأربعاء" read in a story of Saturday is stale."""
    last = max((a.published.date() for a in articles if a.published), default=None)
    by_id = {a.id: a for a in articles}
    out = []
    for s in summary:
        article = by_id.get(s.article_id)
        notes = []
        for d in article.dates if article and last else ():
            if (s.start <= d.start and d.end <= s.end and d.weekday and d.relative in ("0 day", "-1 day", "-2 day")
                    and len(d.value) == 10 and d.value[:4].isdigit() and d.value < last.isoformat()):
                day = date.fromisoformat(d.value)
                notes.append((d.end - s.start, f" ({day.day} {_MONTHS[day.month - 1]})"))
        if notes:
            text = s.text
            for at, note in sorted(notes, reverse=True):
                text = text[:at] + note + text[at:]
            s = SummarySentence(s.text, s.article_id, s.outlet, s.start, s.end, text)
        out.append(s)
    return out


def _published(value: datetime | None) -> float:
    return value.timestamp() if value else 0.0
