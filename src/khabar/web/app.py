"""The reader and the HTTP JSON API: one FastAPI app over one khabar database.

    app = create_app("news.db", token="s3cret")      # uvicorn.run(app), or `khabar serve`

HTML pages are rendered on the server (Jinja2, autoescaped, Arabic, right to left); each has a
`.json` twin with the same data. The API lives under `/api/` (OpenAPI at `/openapi.json`). Every
error, HTML or JSON, has one shape: `{"error": {"status": 404, "message": "..."}}`.
"""

from __future__ import annotations

import hmac
import io
import json
import os
import threading
import zlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from khabar.corpus import Corpus
from khabar.errors import DatabaseBusy, KhabarError, NotFound
from khabar.times import day, minute
from khabar.web import charts, views
from khabar.web.messages import reader_message, validation_message
from khabar.web.render import LABELS_AR, bidi, body_blocks, count_ar, entity_href, safe_url

DEFAULT_MAX_BODY = 16 * 1024 * 1024
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    """A request body over the server's limit."""


class _Guard:
    """ASGI middleware: security headers on every response, and a cap on request bodies
    (refused up front by Content-Length, or as soon as the bytes read pass the cap)."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        head = scope.get("method") == "HEAD"
        if head:  # answered as GET without the body (headers, Content-Length included)
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names]
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            response = _error_json(413, f"request body over the limit of {self.max_body:,} bytes")
            await response(scope, receive, send_with_headers)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(f"request body over the limit of {self.max_body:,} bytes")
            return message

        await self.app(scope, limited, send_with_headers)


def _error_json(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status,
                        headers=headers)


#: What the reader shows for an article or a story without a title.
UNTITLED_AR = "بلا عنوان"


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/") or path.endswith(".json") or "application/json" in request.headers.get("accept", "")


def _split_json(ref: str) -> tuple[str, bool]:
    return (ref[:-5], True) if ref.endswith(".json") else (ref, False)


class _State:
    """The database path, the token and one `Corpus` per worker thread (SQLite connections
    belong to the thread that opened them). Ingest runs on a fresh `Corpus` under a lock, so
    the story clustering state it loads is never stale."""

    def __init__(self, db: Path, token: str | None) -> None:
        self.db = db
        self.token = token
        self.local = threading.local()
        self.ingest_lock = threading.Lock()
        self.cache_lock = threading.Lock()
        self.cache: OrderedDict[tuple[str, ...], Any] = OrderedDict()
        self.cache_version: tuple[int, int] | None = None
        self.generation = 0

    def corpus(self) -> Corpus:
        corpus = getattr(self.local, "corpus", None)
        if corpus is None:
            corpus = self.local.corpus = Corpus(self.db)
            # create_app assigned every stored article a story before serving, and ingest runs on
            # its own Corpus: a reader's Corpus skips that check (a scan of every article id)
            corpus._clustered = True
        return corpus

    def cached(self, corpus: Corpus, key: tuple[str, ...], build: Callable[[], Any]) -> Any:
        """What `build` returns, kept until articles are added (an ingest through this server
        or an article count that moved): story lists, the front page's charts and story pages
        (whose synthesis is the slow part) change only then. The newest 256 entries are kept."""
        version = (self.generation, corpus.store.count())
        with self.cache_lock:
            if self.cache_version != version:
                self.cache.clear()
                self.cache_version = version
            if key in self.cache:
                self.cache.move_to_end(key)
                return self.cache[key]
        value = build()
        with self.cache_lock:
            if self.cache_version == version:
                self.cache[key] = value
                while len(self.cache) > 256:
                    self.cache.popitem(last=False)
        return value

    def front_aggregates(self, corpus: Corpus, **filters: str) -> dict[str, Any]:
        key = ("front", *(f"{k}={v}" for k, v in sorted(filters.items()) if v))
        return self.cached(corpus, key, lambda: views.front_aggregates(corpus, **filters))

    def story_page(self, corpus: Corpus, story_id: str) -> dict[str, Any]:
        # shared between requests: pages and JSON only read it
        return self.cached(corpus, ("story", story_id), lambda: views.story_page(corpus, story_id))


def _templates() -> Environment:
    folder = Path(str(resources.files("khabar.web") / "templates"))
    env = Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(["html", "svg"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["bidi"] = bidi
    # an article (or the story it opens) without a title: a link still needs words to click
    env.filters["titled"] = lambda title: title or UNTITLED_AR
    # an article's own day and clock, offset shown (khabar.times): never a bare UTC time
    env.filters["day"] = day
    env.filters["minute"] = lambda value: minute(value).replace("T", " ")
    env.filters["label_ar"] = lambda label: LABELS_AR.get(label or "", label or "")
    env.filters["name_bars"] = lambda items: [
        {"name": i.get("canonical", ""), "n": i.get("n_articles", 0), "href": entity_href(i.get("key") or i.get("canonical", ""))}
        for i in items]
    env.filters["fact_rows"] = lambda facts: [
        {"label": f.get("text") or " ".join(str(x) for x in (f.get("value"), f.get("counted")) if x not in (None, "")),
         "outlets": f.get("outlets") or []}
        for f in facts]
    env.globals["entity_href"] = entity_href
    env.globals["safe_url"] = safe_url
    env.globals["charts"] = charts
    env.globals["body_blocks"] = body_blocks
    env.globals["count_ar"] = count_ar
    return env


# What POST /api/ingest reads, by Content-Type. No type, form-encoded (curl -d's default) and
# the JSON types are read as JSON (one object, a list, or JSON Lines); text/plain is sniffed
# as `khabar ingest -` sniffs standard input; anything else (gzip, WARC, PDF …) is refused
# rather than read as JSON lines into a quarantine table full of noise.
_JSON_TYPES = frozenset({"", "application/json", "application/x-ndjson", "application/ndjson",
                         "application/jsonl", "application/x-jsonlines", "application/json-seq",
                         "text/json", "application/x-www-form-urlencoded"})
_TABLE_TYPES = frozenset({"text/csv", "text/tab-separated-values"})
_ACCEPTED = ("application/json (one object, a list, or JSON Lines), text/csv, "
             "text/tab-separated-values, text/html (one page), text/plain (one article, or JSON)")


class UnsupportedBody(ValueError):
    """A request body of a type or an encoding POST /api/ingest does not read (answered 415)."""


class BrokenBody(ValueError):
    """A gzip body that does not decompress (answered 400)."""


def _gunzip(data: bytes, max_body: int) -> bytes:
    """The bytes of a gzip body (every member), never holding more than `max_body` of them:
    a small body that inflates past the limit is `BodyTooLarge`, as a large one is."""
    out = bytearray()
    while data:
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += member.decompress(data, max_body + 1 - len(out))
        except zlib.error as exc:
            raise BrokenBody(f"the body is not valid gzip: {exc}") from None
        if len(out) > max_body:
            raise BodyTooLarge(f"request body over the limit of {max_body:,} bytes once decompressed")
        if not member.eof:
            raise BrokenBody("the gzip body ends before its end (truncated?)")
        data = member.unused_data.lstrip(b"\x00")  # zero padding after a member, as gzip allows
    return bytes(out)


def _decoded_body(body: bytes, encoding: str, max_body: int) -> bytes:
    """The body without its Content-Encoding (only gzip is read); gzip sent without one is
    decompressed too, once, as `khabar ingest -` reads it."""
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip().lower() not in ("", "identity")]
    if codings and codings != ["gzip"] and codings != ["x-gzip"]:
        raise UnsupportedBody(f"cannot read a body with Content-Encoding {encoding.strip()}:"
                              " send it uncompressed or as gzip")
    if codings or body.startswith(b"\x1f\x8b"):
        return _gunzip(body, max_body)
    return body


def _parse_ingest_body(body: bytes, request_id: str, content_type: str = "", *, encoding: str = "",
                       max_body: int = DEFAULT_MAX_BODY) -> list[Any]:
    """One JSON object, a JSON list of objects, JSON Lines, a CSV or TSV table with a header
    row, an HTML page or a plain-text article (by Content-Type), plain or gzipped (`encoding`,
    the Content-Encoding): records or rejects with reasons. Raises `UnsupportedBody` for any
    other type or encoding, `BrokenBody` for broken gzip and `BodyTooLarge` for a body that
    inflates past `max_body`."""
    from khabar.errors import DecodeError
    from khabar.ingest.decode import decode_bytes
    from khabar.ingest.delimited import read_delimited
    from khabar.ingest.readers import (Rejected, _read_jsonl, json_kind, read_stdin, record_from_mapping,
                                       within_limits)
    from khabar.ingest.responses import HTML_TYPES, response_to_record

    origin = f"http:{request_id}"
    media = content_type.split(";", 1)[0].strip().lower()
    if media not in _JSON_TYPES | _TABLE_TYPES | set(HTML_TYPES) | {"text/plain"}:
        raise UnsupportedBody(f"cannot read a body of type {media}: send {_ACCEPTED}")
    body = _decoded_body(body, encoding, max_body)
    if not body.strip():
        return []
    if media == "application/x-www-form-urlencoded" and not body.lstrip().startswith((b"{", b"[")):
        # curl -d sends JSON with this type; real form fields (text=…) are not read
        raise UnsupportedBody(f"form fields are not read: send {_ACCEPTED}")
    if media in _TABLE_TYPES:
        return list(read_delimited(io.BufferedReader(io.BytesIO(body)), origin, None,  # type: ignore[arg-type]
                                   tab=media == "text/tab-separated-values"))
    if media in HTML_TYPES:
        return [within_limits(response_to_record(body, content_type, origin))]
    text = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if media == "text/plain":
        # as `khabar ingest -` reads it: JSON lines or a JSON document, a feed, an HTML page,
        # or one article ("[عاجل] …" too)
        # gzip was decompressed above, within the limit: a second level is not
        return list(read_stdin(io.BytesIO(body), origin=origin, gunzipped=True))
    if text.startswith(b"["):
        try:
            doc = json.loads(text.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return [Rejected(origin, f"invalid JSON: {exc}")]
        return [record_from_mapping(item, f"{origin}[{i}]") if isinstance(item, dict)
                else Rejected(f"{origin}[{i}]", f"expected a JSON object, got {json_kind(item)}")
                for i, item in enumerate(doc, 1)]
    try:
        doc = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        if not text.startswith((b"{", b"[")):
            # bytes that are not text are one input with one reason, as a binary file is,
            # not one "invalid JSON" per newline byte in them
            try:
                decode_bytes(body)
            except DecodeError as exc:
                return [Rejected(origin, str(exc), body[:80].decode("latin-1"))]
        return list(_read_jsonl(io.BytesIO(text), origin, None))  # JSON Lines
    if not isinstance(doc, dict):
        return [Rejected(origin, f"expected a JSON object, got {json_kind(doc)}")]
    return [record_from_mapping(doc, origin)]


def create_app(db: str | os.PathLike[str], *, token: str | None = None,
               max_body: int = DEFAULT_MAX_BODY) -> FastAPI:
    """The reader and API over the database at `db` (created if missing). `token` enables
    `POST /api/ingest` for clients that send `Authorization: Bearer <token>`."""
    state = _State(Path(db), token or None)
    # Assign stories to any stored article that has none yet, once, before serving: reader
    # threads then never write.
    with Corpus(state.db) as first:
        first.list_stories(limit=1)
    env = _templates()
    app = FastAPI(
        title="khabar", version="1", docs_url=None, redoc_url=None,  # their pages load a CDN
        description="Arabic news as clean articles and stories. Every error: "
                    '{"error": {"status": <code>, "message": <why>}}.',
    )
    app.state.khabar = state
    app.add_middleware(_Guard, max_body=max_body)
    static = Path(str(resources.files("khabar.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")

    def render(request: Request, template: str, data: dict[str, Any], json_url: str, **extra: Any) -> HTMLResponse:
        html = env.get_template(template).render(data=data, json_url=json_url, request=request, **extra)
        return HTMLResponse(html)

    def error_page(request: Request, status: int, message: str, headers: dict[str, str] | None = None,
                   arabic: str | None = None) -> Response:
        """The API's English error, or the reader's page with the message in Arabic (`arabic`, else
        `reader_message`'s reading of the English one)."""
        if _wants_json(request):
            return _error_json(status, message, headers)
        shown = arabic if arabic is not None else reader_message(status, message)
        html = env.get_template("error.html").render(
            data={"error": {"status": status, "message": shown}}, json_url=None, request=request)
        return HTMLResponse(html, status_code=status, headers=headers)

    def public(message: str) -> str:
        """An error's message without the server's path to its database, which the CLI's
        messages name (`no article 'x' in /srv/news.db`) and a client has no business with."""
        where = str(state.db)
        if message.startswith(where + ": "):
            message = message[len(where) + 2:]
        if message.endswith(" in " + where):
            message = message[: -len(where)] + "the database"
        return message

    @app.exception_handler(KhabarError)
    async def _khabar_error(request: Request, exc: KhabarError) -> Response:
        if isinstance(exc, DatabaseBusy):  # another process's write lock: not the request's fault
            return error_page(request, 503, public(str(exc)), {"Retry-After": "30"})
        return error_page(request, 404 if isinstance(exc, NotFound) else 400, public(str(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail, ensure_ascii=False)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        elif exc.status_code == 405 and message == "Method Not Allowed":
            allowed = (getattr(exc, "headers", None) or {}).get("Allow", "")
            message = f"{request.method} is not allowed at {request.url.path}" + (f" (only {allowed})" if allowed else "")
        return error_page(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", "invalid"))
        return error_page(request, 400, "; ".join(parts) or "invalid request",
                          arabic=validation_message(exc.errors()))

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: BodyTooLarge) -> Response:
        return error_page(request, 413, str(exc))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        return error_page(request, 500, f"internal error ({type(exc).__name__}); see the server log")

    # -- HTML pages and their .json twins -------------------------------------------------------

    def _front(request: Request, sort: str, page_no: int, per_page: int, since: str, until: str,
               outlet: str, q: str, entity: str) -> dict[str, Any]:
        corpus = state.corpus()
        key = ("list", sort, str(page_no), str(per_page), since, until, outlet, q, entity)
        return state.cached(corpus, key, lambda: views.front_page(
            corpus, sort=sort, page=page_no, per_page=per_page, since=since, until=until, outlet=outlet,
            q=q, entity=entity, aggregates=state.front_aggregates(
                corpus, since=since, until=until, outlet=outlet, q=views.plain_query(q)[0] if q else q,
                entity=entity)))

    def _query_url(base: str, request: Request, **changes: Any) -> str:
        params = {k: v for k, v in request.query_params.items() if v}
        params.update({k: str(v) for k, v in changes.items()})
        params = {k: v for k, v in params.items() if v}
        return base + ("?" + urlencode(params) if params else "")

    @app.get("/", include_in_schema=False)
    @app.get("/index.json", include_in_schema=False)
    def front(request: Request, sort: str = "recency", page: int = 1, per_page: int = views.PER_PAGE,
              since: str = "", until: str = "", outlet: str = "", q: str = "", entity: str = "") -> Response:
        data = _front(request, sort, page, per_page, since, until, outlet, q, entity)
        if request.url.path.endswith(".json"):
            return JSONResponse(data)
        return render(request, "index.html", data, _query_url("/index.json", request),
                    url=lambda **kw: _query_url("/", request, **kw))

    @app.get("/stories/{ref}", include_in_schema=False)
    def story_html(request: Request, ref: str) -> Response:
        story_id, as_json = _split_json(ref)
        corpus = state.corpus()
        data = state.story_page(corpus, story_id)
        if as_json:
            return JSONResponse(data)
        return render(request, "story.html", data, f"/stories/{data['id']}.json")

    @app.get("/articles/{ref}", include_in_schema=False)
    def article_html(request: Request, ref: str) -> Response:
        article_id, as_json = _split_json(ref)
        data = views.article_page(state.corpus(), article_id)
        if as_json:
            return JSONResponse(data)
        return render(request, "article.html", data, f"/articles/{data['id']}.json")

    @app.get("/entities", include_in_schema=False)
    @app.get("/entities.json", include_in_schema=False)
    def entities_html(request: Request, label: str = "", type: str = "", q: str = "",
                      limit: int = 100) -> Response:
        data = views.entities_page(state.corpus(), label=views.one_label(label, type), q=q, limit=limit)
        if request.url.path.endswith(".json"):
            return JSONResponse(data)
        return render(request, "entities.html", data, _query_url("/entities.json", request))

    @app.get("/entities/{ref}", include_in_schema=False)
    def entity_html(request: Request, ref: str) -> Response:
        key, as_json = _split_json(ref)
        data = views.entity_page(state.corpus(), key)
        if as_json:
            return JSONResponse(data)
        return render(request, "entity.html", data, entity_href(key) + ".json")

    @app.get("/search", include_in_schema=False)
    @app.get("/search.json", include_in_schema=False)
    def search_html(request: Request, q: str = "", limit: int = 30) -> Response:
        data = views.search_page(state.corpus(), q, limit=limit)
        if request.url.path.endswith(".json"):
            return JSONResponse(data)
        return render(request, "search.html", data, _query_url("/search.json", request))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response((static / "favicon.svg").read_bytes(), media_type="image/svg+xml")

    # -- JSON API -------------------------------------------------------------------------------

    @app.get("/api/stories", tags=["stories"], summary="Stories, filtered and paged")
    def api_stories(
        sort: str = Query("recency", description="recency, size or outlets"),
        limit: int = Query(50, ge=1, le=views.MAX_PER_PAGE),
        offset: int = Query(0, ge=0),
        since: str | None = Query(None, description="first day, YYYY-MM-DD (an article's day is the one in its own published offset)"),
        until: str | None = Query(None, description="last day, YYYY-MM-DD (inclusive)"),
        outlet: str | None = Query(None, description="only stories this outlet carried"),
        entity: str | None = Query(None, description="only stories naming this person, organisation or place"),
        q: str | None = Query(None, description="only stories with an article matching every word"),
    ) -> dict[str, Any]:
        corpus = state.corpus()
        key = ("api-list", sort, str(limit), str(offset), *(x or "" for x in (since, until, outlet, q, entity)))
        stories, total = state.cached(corpus, key, lambda: corpus.find_stories(
            sort=sort, limit=limit, offset=offset, since=since, until=until, outlet=outlet, query=q,
            entity=entity))
        next_offset = offset + limit if offset + limit < total else None
        return {"total": total, "limit": limit, "offset": offset, "next_offset": next_offset,
                "stories": stories}

    @app.get("/api/stories/{story_id}", tags=["stories"], summary="One story")
    def api_story(story_id: str) -> dict[str, Any]:
        corpus = state.corpus()
        return state.story_page(corpus, story_id)

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One article with its spans")
    def api_article(article_id: str) -> dict[str, Any]:
        return views.article_page(state.corpus(), article_id)

    @app.get("/api/entities", tags=["entities"], summary="The most mentioned names")
    def api_entities(label: str | None = Query(None, description="PER, ORG, LOC or MISC"),
                     type: str | None = Query(None, description="the same as label (an article's "
                                              "entities name it type)"),
                     q: str | None = Query(None, description="names containing these words"),
                     limit: int = Query(100, ge=1, le=1000)) -> dict[str, Any]:
        return views.entities_page(state.corpus(), label=views.one_label(label, type), q=q, limit=limit)

    @app.get("/api/entities/{key}", tags=["entities"], summary="A person, organisation or place")
    def api_entity(key: str) -> dict[str, Any]:
        return views.entity_page(state.corpus(), key)

    @app.get("/api/search", tags=["articles"], summary="Articles matching every word")
    def api_search(q: str = Query(..., description="plain words; spelling variants and clitics are matched"),
                   limit: int = Query(20, ge=1, le=views.MAX_PER_PAGE)) -> dict[str, Any]:
        corpus = state.corpus()
        return {"query": q, "hits": [h.to_dict() for h in corpus.search(q, limit=limit)]}

    @app.get("/api/stats", tags=["corpus"], summary="Counts: articles, outlets, languages, stories")
    def api_stats() -> dict[str, Any]:
        corpus = state.corpus()
        data = corpus.stats()
        data.pop("database", None)  # the server's file path is nobody's business
        return data

    @app.post("/api/ingest", tags=["corpus"],
              summary="Add articles (one JSON object, a list, JSON Lines, CSV/TSV with a header, an HTML page or a plain-text article)",
              responses={400: {"description": "an empty body, or gzip that does not decompress"},
                         401: {"description": "missing or wrong bearer token"},
                         403: {"description": "the server was started without a token"},
                         413: {"description": "body over the limit (a gzip body: once decompressed)"},
                         415: {"description": "a body of a type or Content-Encoding it does not read"}})
    async def api_ingest(request: Request) -> Response:
        if state.token is None:
            return _error_json(403, "ingest is disabled: start the server with --token or KHABAR_TOKEN")
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return _error_json(401, "a bearer token is required: Authorization: Bearer <token>",
                               {"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(value.strip().encode(), state.token.encode()):
            return _error_json(401, "wrong bearer token", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        body = await request.body()
        try:
            items = _parse_ingest_body(body, os.urandom(4).hex(), request.headers.get("content-type", ""),
                                       encoding=request.headers.get("content-encoding", ""), max_body=max_body)
        except UnsupportedBody as exc:
            return _error_json(415, str(exc))
        except BrokenBody as exc:
            return _error_json(400, str(exc))
        except BodyTooLarge as exc:
            return _error_json(413, str(exc))
        if not items:
            return _error_json(400, f"empty body: send {_ACCEPTED}")

        def run() -> dict[str, Any]:
            with state.ingest_lock, Corpus(state.db) as corpus:
                report = corpus.ingest_records(items)
                state.generation += 1
                return report.to_dict()

        return JSONResponse(await run_in_threadpool(run))

    return app
