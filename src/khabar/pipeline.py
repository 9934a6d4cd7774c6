"""Named stages and the pipeline that runs them.

A stage is a pure function `Article -> Article`, registered with the Article fields it needs
and the fields it fills. A pipeline is checked when it is built: every field a stage needs
must be present on a fresh article or filled by an earlier stage.

A stage may also register a batch function (`batch_stage`): the same results for a list of
articles, computed together because that is cheaper (the `entities` stage decodes the sentences
of all the articles in one go). `Pipeline.run_many`, which the engines and `process_many` use,
calls it; calling a pipeline on one article never does.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from khabar.errors import DecodeError, InputError, PipelineError, UnknownStage
from khabar.ingest.decode import decode_bytes
from khabar.ingest.html import br_to_lines, html_bytes_to_record, html_to_record, looks_like_html
from khabar.ingest.metadata import parse_published
from khabar.ingest.readers import RawRecord, Rejected, record_from_mapping
from khabar.model import Article, raw_text_hash
from khabar.text.normalize import BIDI_CONTROLS, ZERO_WIDTH

StageFn = Callable[[Article], Article]
BatchFn = Callable[[list[Article]], list[Article]]

#: Fields a freshly read article has before any stage runs.
INPUT_FIELDS = frozenset(
    {"text", "outlet", "url", "title", "author", "published", "external_id", "origin", "metadata"}
)


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    func: StageFn
    requires: frozenset[str]
    provides: frozenset[str]
    description: str
    module: str
    uses: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()  # empty: any language
    batch: BatchFn | None = None  # the same function over several articles (`batch_stage`)

    def applies_to(self, article: Article) -> bool:
        return not (self.languages and article.language and article.language not in self.languages)

    def __call__(self, article: Article, context: Mapping[str, Any] | None = None) -> Article:
        if not self.applies_to(article):
            return article
        if self.uses:
            context = context or {}
            return self.func(article, **{name: context.get(name) for name in self.uses})  # type: ignore[call-arg]
        return self.func(article)

    def run_many(self, articles: list[Article], context: Mapping[str, Any] | None = None) -> list[Article]:
        """The stage over each of `articles`, through its batch function when it has one."""
        if self.batch is None:
            return [self(article, context) for article in articles]
        todo = [i for i, article in enumerate(articles) if self.applies_to(article)]
        if not todo:
            return list(articles)
        context = context or {}
        done = self.batch([articles[i] for i in todo],
                          **{name: context.get(name) for name in self.uses})  # type: ignore[call-arg]
        if len(done) != len(todo):
            raise PipelineError(f"stage {self.name!r}: its batch function returned {len(done)} "
                                f"articles for {len(todo)}")
        out = list(articles)
        for i, article in zip(todo, done):
            out[i] = article
        return out


_REGISTRY: dict[str, Stage] = {}

#: Modules whose import registers stages, in the order their stages usually run.
STAGE_MODULES = ("khabar.clean.stages", "khabar.extract.stages", "khabar.extract.mention_stages")

#: The stages `process` runs when none are named.
DEFAULT_STAGES = (
    "lines",
    "body",
    "identify",
    "language",
    "sentences",
    "pii",
    "entities",
    "quotes",
    "quantities",
    "dates",
)


def stage(
    name: str,
    *,
    requires: Iterable[str] = (),
    provides: Iterable[str] = (),
    uses: Iterable[str] = (),
    languages: Iterable[str] = (),
) -> Callable[[StageFn], StageFn]:
    """Register a function as a stage. Its docstring's first line describes it.

    `uses` names optional context the pipeline passes as keyword arguments (None when the
    caller has none), e.g. an outlet's repeated lines known from earlier articles.
    `languages` limits a stage to articles in those languages (Arabic-only models); articles
    in other languages pass through it unchanged.
    """

    def register(func: StageFn) -> StageFn:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise PipelineError(f"stage {name!r} registered twice")
        doc = (func.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = Stage(
            name=name,
            func=func,
            requires=frozenset(requires),
            provides=frozenset(provides),
            description=doc[0] if doc else "",
            module=func.__module__,
            uses=frozenset(uses),
            languages=frozenset(languages),
        )
        return func

    return register


def batch_stage(name: str) -> Callable[[BatchFn], BatchFn]:
    """Register a batch function for the stage `name` (registered before, in the same
    module): `func(articles, **uses)` returns, in order, what the stage's own function returns
    for each article, computed together because that is cheaper (one model call for a
    chunk). `Pipeline.run_many` uses it; a pipeline called on one article does not."""

    def register(func: BatchFn) -> BatchFn:
        current = _REGISTRY.get(name)
        if current is None:
            raise PipelineError(f"batch function for unknown stage {name!r}")
        _REGISTRY[name] = replace(current, batch=func)
        return func

    return register


def registered_stages() -> dict[str, Stage]:
    """All known stages by name (importing the modules that define them)."""
    for module in STAGE_MODULES:
        importlib.import_module(module)
    return dict(_REGISTRY)


def check_stage_names(names: Iterable[str]) -> None:
    """Raise `UnknownStage` for the first name no registered stage has, listing the known ones."""
    stages = registered_stages()
    unknown = next((name for name in names if name not in stages), None)
    if unknown is not None:
        raise UnknownStage(f"unknown stage {unknown!r} (known: {', '.join(sorted(stages))})")


def stage_names(names: Iterable[str] | str) -> tuple[str, ...]:
    """Stage names from a list, or from one string of comma-separated names as the CLI's
    `--stages` takes them (a string is not a list of one-letter stages)."""
    if isinstance(names, str):
        return tuple(n.strip() for n in names.split(",") if n.strip())
    try:
        out = tuple(names)
    except TypeError:
        raise TypeError(f"stages: expected stage names (a list or a comma-separated string), "
                        f"got {type(names).__name__}") from None
    wrong = next((n for n in out if not isinstance(n, str)), None)
    if wrong is not None:
        raise TypeError(f"stages: expected stage names as strings, got {type(wrong).__name__}")
    return out


class Pipeline:
    """An ordered list of stages, checked for missing requirements when built.

    `context` is handed to the stages that declare they use it (see `stage(uses=...)`).
    """

    def __init__(
        self, names: Iterable[str] | str = DEFAULT_STAGES, *, context: Mapping[str, Any] | None = None
    ) -> None:
        self.context: dict[str, Any] = dict(context or {})
        stages = registered_stages()
        self.stages: tuple[Stage, ...] = ()
        available = set(INPUT_FIELDS)
        chosen: list[Stage] = []
        for name in stage_names(names):
            check_stage_names([name])
            current = stages[name]
            missing = current.requires - available
            if missing:
                raise PipelineError(
                    f"stage {name!r} needs {', '.join(sorted(missing))}, which no earlier stage provides"
                )
            available |= current.provides
            chosen.append(current)
        self.stages = tuple(chosen)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    def __call__(self, article: Article) -> Article:
        for current in self.stages:
            article = current(article, self.context)
        return article

    def run_many(self, articles: Iterable[Article]) -> list[Article]:
        """The pipeline over each article: the same articles as calling it on each, but a
        stage with a batch function sees them all together. The stages between two such
        stages go article by article, so what one stage caches about an article's text (its
        normalized form, its tokens) is still there for the next."""
        done = list(articles)
        run: list[Stage] = []
        for current in (*self.stages, None):
            if current is not None and current.batch is None:
                run.append(current)
                continue
            if run:
                done = [self._through(run, article) for article in done]
                run = []
            if current is not None:
                done = current.run_many(done, self.context)
        return done

    def _through(self, stages: list[Stage], article: Article) -> Article:
        for current in stages:
            article = current(article, self.context)
        return article


def article_from_record(
    record: RawRecord, published: str | datetime | date | float | None = None
) -> Article:
    """A fresh article (no stage run yet) from what a reader produced; `published`, when
    given, wins over the record's own."""
    fields = record.fields
    raw_published: Any = fields.get("published", "") if published is None else published
    extra = dict(record.extra)
    published = parse_published(raw_published)
    if raw_published not in ("", None) and published is None:
        extra["published_raw"] = str(raw_published)  # kept for a look later, never guessed
    outlet = fields.get("outlet", "")
    if not outlet:
        # a dump without an outlet field still says where each text was published: without an
        # outlet the cleaner cannot learn a site's repeated lines and the clusterer cannot tell
        # one outlet's two briefs of one template from two outlets' reports of one event
        outlet = url_host(fields.get("url", ""))
        if outlet:
            extra["outlet_from"] = "url"
    return Article(
        id="",
        text=record.text,
        outlet=outlet,
        url=fields.get("url", ""),
        title=fields.get("title", ""),
        author=fields.get("author", ""),
        published=published,
        external_id=fields.get("external_id", ""),
        origin=record.origin,
        metadata=tuple(sorted(extra.items())),
    )


def url_host(url: str) -> str:
    """The web host of a URL, lower case, without `www.` ('' for none or a bad URL)."""
    if not url or "//" not in url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:  # an unbalanced [ in the host
        return ""
    host = host.removeprefix("www.")
    return host if "." in host else ""


def _outlet_guessed(article: Article) -> bool:
    """Whether the article's outlet is only its web host: an HTML page without a site name, or
    a record without an outlet field named after its URL."""
    return any(item in article.metadata for item in (("outlet_from", "host"), ("outlet_from", "url")))


def with_outlet(article: Article, outlet: str | None) -> Article:
    """The article with `outlet` when it names none of its own, or only its web host guessed
    from its URL: what `--outlet` and `outlet=` mean."""
    if outlet and (not article.outlet or _outlet_guessed(article)):
        metadata = tuple(item for item in article.metadata if item[0] != "outlet_from")
        return replace(article, outlet=outlet, metadata=metadata)
    return article


def with_stored_hashes(fresh: list[tuple[Article, str]],
                       lookup: Callable[[Iterable[str]], Mapping[str, str]]) -> list[tuple[Article, str]]:
    """`(article, raw text hash)` pairs, where an article whose outlet is named after its URL was
    stored by an older khabar under the hash of its text with no outlet, with that hash: its
    re-ingest is then a sighting of the stored article, as before. `lookup` is the store's
    text hash -> article id."""
    older = {i: raw_text_hash(article.text, "") for i, (article, _) in enumerate(fresh)
             if ("outlet_from", "url") in article.metadata}
    if not older:
        return fresh
    found = lookup([*(fresh[i][1] for i in older), *older.values()])
    out = list(fresh)
    for i, old_hash in older.items():
        if fresh[i][1] not in found and old_hash in found:
            out[i] = (fresh[i][0], old_hash)
    return out


_default_pipeline: Pipeline | None = None


def _pipeline(stages: Iterable[str] | str | None) -> Pipeline:
    global _default_pipeline
    if stages is not None:
        return Pipeline(stages)
    if _default_pipeline is None:
        _default_pipeline = Pipeline()
    return _default_pipeline


#: Bytes that a file's reader opens by the file's name (and whose reason says to name the file
#: so), and what `process` says to do with them instead: by their first bytes.
_BYTES_ADVICE = (
    (b"\x1f\x8b", ("binary file: gzip data (decompress it first, gzip.decompress(data), or give the"
                   " file's path to Corpus.ingest, which reads .gz)")),
    (b"PAR1", ("binary file: Parquet data (give the file's path to Corpus.ingest, which reads"
               " .parquet with khabar[parquet])")),
)


def _bytes_reason(data: bytes, exc: DecodeError) -> str:
    return next((advice for magic, advice in _BYTES_ADVICE if data.startswith(magic)), str(exc))


def record_from_text(
    text: str | bytes, origin: str = "", fields: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
) -> RawRecord | Rejected:
    """A raw record for one article's text or bytes, as `khabar ingest -` reads it: an HTML
    page (sniffed as the readers do) is extracted, bytes are decoded; `fields` (canonical
    names) win over what a page says about itself."""
    fields = {k: v for k, v in (fields or {}).items() if v}
    if isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
        if looks_like_html(data[:4096].decode("latin-1")):
            found = html_bytes_to_record(data, origin, url=fields.get("url", ""), fields=fields)
        else:
            try:
                text = decode_bytes(data).text if data else ""
            except DecodeError as exc:
                return Rejected(origin, _bytes_reason(data, exc), data[:80].decode("latin-1"))
            return _with_text(RawRecord(text=br_to_lines(text), origin=origin, fields=fields,
                                        extra=dict(extra or {})))
    elif isinstance(text, str) and looks_like_html(text[:4096]):
        found = html_to_record(text, origin, url=fields.get("url", ""), fields=fields)
    elif isinstance(text, str):
        # <br> as the only markup becomes line breaks, as JSON and JSONL texts do
        return _with_text(RawRecord(text=br_to_lines(text), origin=origin, fields=fields,
                                    extra=dict(extra or {})))
    else:
        raise TypeError(f"text: expected str or bytes, got {type(text).__name__}")
    if isinstance(found, Rejected):
        return found
    return RawRecord(text=found.text, origin=origin, fields=found.fields,
                     extra={**found.extra, **(extra or {})}, encoding=found.encoding)


#: Characters that show nothing: a byte order mark, zero-width and direction marks.
_INVISIBLE_MARKS = ZERO_WIDTH | BIDI_CONTROLS
_INVISIBLE = str.maketrans("", "", "".join(_INVISIBLE_MARKS))


def _with_text(record: RawRecord) -> RawRecord | Rejected:
    """The record, or why not: an empty or blank text is no article (as an empty file is not),
    nor one of invisible marks alone (a BOM read with open(): its bytes are an empty file)."""
    text = record.text.strip()
    if not text or (text[0] in _INVISIBLE_MARKS and not text.translate(_INVISIBLE).strip()):
        return Rejected(record.origin, "empty text: nothing to process")
    return record


def _text_argument(name: str, value: object) -> str:
    """A metadata argument as text: None is empty and a number its digits (as the JSONL
    reader takes them); anything else is a mistake worth a clear message."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"{name}: expected str, got {type(value).__name__}")


def process(
    text: str | bytes,
    *,
    outlet: str | None = "",
    url: str | None = "",
    title: str | None = "",
    author: str | None = "",
    published: str | datetime | date | float | None = None,
    external_id: str | int | None = "",
    stages: Iterable[str] | str | None = None,
    **metadata: Any,
) -> Article:
    """Run the pipeline over one raw article and its metadata.

    `text` is the article's text, an HTML page (extracted like `khabar ingest` does) or bytes
    (decoded like a file). `published` is a string in a dump format or an Arabic date, a
    datetime, a date (its midnight) or a Unix epoch; one that cannot be read is kept as the
    metadata `published_raw`. `stages` is a list of names or a comma-separated string.
    Raises `TypeError` for an argument of the wrong type and `InputError` for input that is
    not an article (an empty text, undecodable bytes, an HTML page with no text).
    """
    if not isinstance(text, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"text: expected str or bytes, got {type(text).__name__}")
    if not (published is None or isinstance(published, (str, datetime, date, int, float))) \
            or isinstance(published, bool):
        raise TypeError(f"published: expected str, datetime, date or an epoch number, "
                        f"got {type(published).__name__}")
    pipeline = _pipeline(stages)  # a bad stage name fails before any work
    fields = {name: _text_argument(name, value) for name, value in (
        ("outlet", outlet), ("url", url), ("title", title), ("author", author),
        ("external_id", external_id))}
    record = record_from_text(text, "", fields, {k: str(v) for k, v in metadata.items()})
    if isinstance(record, Rejected):
        raise InputError(record.reason)
    return pipeline(article_from_record(record, published))


def process_many(
    items: Iterable[str | bytes | Mapping[str, Any] | RawRecord | Article],
    *,
    stages: Iterable[str] | str | None = None,
    group: int = 32,
) -> Iterator[Article | Rejected]:
    """Process texts (an HTML page is extracted, bytes are decoded, as `process` does), input
    dicts (mapped like JSONL records), raw records or articles, in order; `group` articles at
    a time go through the stages together (`Pipeline.run_many`).

    Items that cannot become an article (a dict with no text) come out as `Rejected`.
    """
    pipeline = _pipeline(stages)
    pending: list[Article | Rejected] = []

    def flush() -> Iterator[Article | Rejected]:
        group = list(pending)
        pending.clear()
        articles = [a for a in group if isinstance(a, Article)]
        done: Iterator[Article]
        try:
            done = iter(pipeline.run_many(articles))
        except Exception:  # noqa: BLE001 - one of them fails: one by one, so that the items
            done = map(pipeline, articles)  # before it still come out, then it raises again
        for item in group:
            yield item if isinstance(item, Rejected) else next(done)

    for index, item in enumerate(items):
        if isinstance(item, (str, bytes, bytearray)):
            item = record_from_text(item, f"<item {index}>")
        elif isinstance(item, Mapping):
            item = record_from_mapping(item, f"<item {index}>")
        elif not isinstance(item, (Article, RawRecord, Rejected)):
            raise TypeError(f"item {index}: expected str, bytes, a mapping, RawRecord or Article, "
                            f"got {type(item).__name__}")
        pending.append(item if isinstance(item, (Article, Rejected)) else article_from_record(item))
        if len(pending) >= group:
            yield from flush()
    if pending:
        yield from flush()
