"""HTTP API and web page over one store: ``create_app(ServeSettings(...))`` builds the app.

Reads page, filter and aggregate in the store (keyset paging, counts per month in SQL), so a
page of the table costs the same with 100 events or 100,000. The one write, ``POST
/api/articles``, runs the ingest pipeline on one article and needs the bearer token the server
was started with. Every failure, whatever raised it, answers with one JSON shape::

    {"error": {"status": 404, "code": "not_found", "message": "...", "fields": [...]}}
"""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import hmac
import io
import json
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..alignment import Options, backers, graph_json, sides, ties_from_rows
from ..corpus.coder import Coder
from ..corpus.store import EVENT_COLUMNS, EventFilter, Store, StoreError
from ..errors import AllegianceError
from ..hygiene import cell
from ..settings import Settings
from .guard import ApiError, BodyLimit, SecurityHeaders, add_error_handlers

_SURROGATE = re.compile("[\ud800-\udfff]")
# Largest page of events or actors one request may ask for.
MAX_PAGE = 1000
# Longest text a query parameter may hold (names, ids, cursors).
_TEXT = 200
_STATIC = {
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """Options of ``allegiance serve``; the CLI reads the environment, the app never does."""

    db: Path = field(default=Path("allegiance.duckdb"), metadata={"help": "The DuckDB store."})
    token: str | None = field(
        default=None,
        metadata={"help": "Bearer token for writes (ALLEGIANCE_TOKEN); None refuses writes."},
    )
    max_body_bytes: int = field(
        default=2_000_000, metadata={"help": "Largest request body accepted (413 above)."}
    )
    pipeline: Settings = field(
        default_factory=Settings, metadata={"help": "Settings of the ingest pipeline."}
    )


class ArticleIn(BaseModel):
    """One article to ingest: its plain text or its HTML, and what is known about it."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(None, description="Plain text of the article (or give html).")
    html: str | None = Field(None, description="The article's HTML page (or give text).")
    title: str | None = Field(None, max_length=1000, description="Headline, if not in the text.")
    published: date | None = Field(None, description="Publication date, YYYY-MM-DD.")
    id: str | None = Field(None, max_length=200, description="Your id for the article.")
    url: str | None = Field(None, max_length=2000, description="Where it was published.")

    @field_validator("text", "html", "title", "id", "url")
    @classmethod
    def _no_lone_surrogates(cls, value: str | None) -> str | None:
        # JSON can escape half a UTF-16 pair ("\ud800"), which no text encoding can store.
        if value is not None and _SURROGATE.search(value):
            raise ValueError("holds a lone surrogate escape (\\ud800-\\udfff): not text")
        return value


class _State:
    """What one app holds: the open store and a lock around it (a DuckDB connection serves
    one thread at a time), the near-duplicate index for writes, and the graph's ties of the
    current contents (cleared by every write, so it never goes stale)."""

    def __init__(self, settings: ServeSettings, store: Store) -> None:
        self.settings, self.store = settings, store
        self.lock = threading.Lock()
        self.coder = Coder(settings.pipeline)  # codes one article at a time, outside ``lock``
        self.near: Any = None
        self.generation = 0  # writes so far: a cache entry computed across one is dropped
        self.cache: dict[tuple[Any, ...], Any] = {}


# Building the app --------------------------------------------------------------------------
def create_app(settings: ServeSettings) -> FastAPI:
    """The API and page over ``settings.db``, opened read-only unless writes are allowed.

    Raises:
        StoreError: the store is missing (and writes are off), not a store, or locked.
    """
    writable = settings.token is not None
    if not writable and not Path(settings.db).exists():
        raise StoreError(
            f"{settings.db}: no such store; run `allegiance ingest ... --db {settings.db}` "
            "first, or set ALLEGIANCE_TOKEN to start an empty store that accepts articles"
        )
    store = Store.open(settings.db, read_only=not writable)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()  # the server stopped: release the file for other processes

    app = FastAPI(
        lifespan=lifespan,
        title="allegiance",
        summary="PLOVER events, actors and camps from news articles.",
        version=_version(),
        docs_url=None,  # the bundled docs pages load scripts from a CDN; the tool is offline
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.allegiance = _State(settings, store)
    add_error_handlers(app)
    router = APIRouter()
    for add in (_event_routes, _actor_routes, _graph_routes, _article_routes, _page_routes):
        add(router)
    app.include_router(router)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("allegiance")
    except PackageNotFoundError:
        return "0"


def _state(request: Request) -> _State:
    state: _State = request.app.state.allegiance
    return state


StateDep = Annotated[_State, Depends(_state)]


# Events ------------------------------------------------------------------------------------
def event_filter(
    actor: Annotated[
        str | None, Query(max_length=_TEXT, description="Actor id, code or part of its name.")
    ] = None,
    kind: Annotated[
        str | None,
        Query(alias="type", max_length=20, description="PLOVER type (act or PLOVER view)."),
    ] = None,
    country: Annotated[
        str | None,
        Query(pattern="^[A-Za-z]{3}$", description="ISO3 code of either actor or the place."),
    ] = None,
    since: Annotated[date | None, Query(description="First event date, YYYY-MM-DD.")] = None,
    until: Annotated[date | None, Query(description="Last event date, YYYY-MM-DD.")] = None,
) -> EventFilter:
    """The filters of ``allegiance events``, from the query string."""
    if since and until and since > until:
        raise ApiError(422, f"since ({since}) is after until ({until}); swap them")
    return EventFilter(actor or None, kind or None, country or None, since, until)


FilterDep = Annotated[EventFilter, Depends(event_filter)]


def encode_cursor(key: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    """The (date, id) sort key a cursor holds."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        day, event = json.loads(raw)
        if isinstance(day, str) and isinstance(event, str):
            return day, event
    except (binascii.Error, ValueError, TypeError):
        pass
    raise ApiError(
        400, f"cursor {cursor[:40]!r} is not one this server gave; leave it out for page one"
    )


def _event_routes(r: APIRouter) -> None:
    @r.get("/api/events", tags=["events"])
    def list_events(
        state: StateDep,
        where: FilterDep,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        cursor: Annotated[
            str | None, Query(max_length=_TEXT, description="next_cursor of the last page.")
        ] = None,
        fmt: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
    ) -> Any:
        """Events, newest first, a page at a time: pass ``next_cursor`` back as ``cursor``."""
        after = decode_cursor(cursor) if cursor else None
        with state.lock:
            rows, last = state.store.events_page(where, limit, after)
            total = state.store.count_events(where)
        following = encode_cursor(last) if last else None
        if fmt == "csv":
            return _csv(rows, following, total)
        return {"total": total, "limit": limit, "next_cursor": following, "events": rows}

    @r.get("/api/events/{event_id}", tags=["events"])
    def get_event(state: StateDep, event_id: str) -> dict[str, Any]:
        """One event, with each sentence that reported it and the spans in that sentence."""
        with state.lock:
            event = state.store.event(event_id)
        if event is None:
            raise ApiError(404, f"no event {event_id!r}; ids come from /api/events")
        event["reports"] = [_sentence_spans(rep) for rep in event["reports"]]
        return event

    @r.get("/api/timeline", tags=["events"])
    def timeline(state: StateDep, where: FilterDep) -> dict[str, Any]:
        """Events per month and QuadClass under the same filters as /api/events."""
        with state.lock:
            months = state.store.timeline(where)
        return {"months": months}

    @r.get("/api/health", tags=["meta"])
    def health(state: StateDep) -> dict[str, Any]:
        """Whether the server and its store answer, their size and whether writes are on."""
        with state.lock:
            stats = state.store.stats()
        writes = "on (bearer token)" if state.settings.token else "off: ALLEGIANCE_TOKEN not set"
        return {"status": "ok", "version": _version(), "writes": writes, **stats}


def _csv(rows: list[dict[str, Any]], following: str | None, total: int) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EVENT_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: cell(v) for k, v in row.items()} for row in rows)
    headers = {"X-Total-Count": str(total)}
    if following:
        headers["X-Next-Cursor"] = following
    return Response(out.getvalue(), headers=headers, media_type="text/csv; charset=utf-8")


def _sentence_spans(report: dict[str, Any]) -> dict[str, Any]:
    """A report with its source, target and trigger as spans of its sentence."""
    base = report["sentence_start"]
    spans = []
    for kind in ("source", "target", "trigger"):
        text, start = report.get(f"{kind}_text"), report.get(f"{kind}_start")
        if text and start is not None and start >= base:
            spans.append(
                {"kind": kind, "text": text, "start": start - base, "end": start - base + len(text)}
            )
    return {**report, "spans": sorted(spans, key=lambda s: s["start"])}


# Actors -------------------------------------------------------------------------------------
def _actor_routes(r: APIRouter) -> None:
    @r.get("/api/actors", tags=["actors"])
    def list_actors(
        state: StateDep,
        q: Annotated[
            str | None, Query(max_length=_TEXT, description="Part of an id or name, or a code.")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    ) -> dict[str, Any]:
        """Actors, most mentioned first, with their mention and event counts."""
        with state.lock:
            rows, total = state.store.actors_page(q, limit, offset)
        return {"total": total, "limit": limit, "offset": offset, "actors": rows}

    @r.get("/api/actors/{actor_id}", tags=["actors"])
    def get_actor(
        state: StateDep,
        actor_id: str,
        since: date | None = None,
        until: date | None = None,
    ) -> dict[str, Any]:
        """One actor, its events by type, and who backs and opposes it, year by year."""
        with state.lock:
            actor = state.store.actor(actor_id)
        if actor is None:
            raise ApiError(404, f"no actor {actor_id!r}; search them with /api/actors?q=...")
        sides = _backers(state, actor_id, since, until)
        return {**actor, "backers": sides["backers"], "opponents": sides["opponents"]}


# Sides and graph ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CampsQuery:
    """The query string of /api/sides and /api/graph: a theatre and a time window."""

    theatre: str | None
    since: date | None
    until: date | None
    half_life_days: float | None


def camps_query(
    theatre: Annotated[
        str | None, Query(max_length=_TEXT, description="ISO3 code or country name.")
    ] = None,
    since: date | None = None,
    until: date | None = None,
    half_life_days: Annotated[float | None, Query(gt=0)] = None,
) -> CampsQuery:
    return CampsQuery(theatre or None, since, until, half_life_days)


CampsDep = Annotated[CampsQuery, Depends(camps_query)]


def _graph_routes(r: APIRouter) -> None:
    @r.get("/api/sides", tags=["camps"])
    def sides(state: StateDep, q: CampsDep) -> dict[str, Any]:
        """The theatres (conflicts) with their camps, neutral actors and the evidence."""
        return {"theatres": [t.to_dict() for t in _wanted_theatres(state, q)]}

    @r.get("/api/graph", tags=["camps"])
    def graph(state: StateDep, q: CampsDep) -> dict[str, Any]:
        """Nodes with their camp per theatre, and signed edges weighted by their evidence."""
        return graph_json(_wanted_theatres(state, q))


def _wanted_theatres(state: _State, q: CampsQuery) -> list[Any]:
    """The theatres a camps query asks for; 404 when it names one the store lacks."""
    found = _theatres(state, q.theatre, q.since, q.until, q.half_life_days)
    if q.theatre and not found:
        raise ApiError(404, f"no theatre {q.theatre!r} in the store; list them with /api/sides")
    return found


# The alignment graph of the whole store is computed once per window and kept until a write:
# on 100,000 events it takes seconds, and every page view asks for it. Only the query holds
# the store's lock; building ties and camps runs beside other requests.
_CACHED_WINDOWS = 8


def _cached(state: _State, key: tuple[Any, ...], make: Any) -> Any:
    with state.lock:
        if key in state.cache:
            return state.cache[key]
        generation = state.generation
    value = make()
    with state.lock:
        if state.generation == generation:  # no write meanwhile: the value is current
            if len(state.cache) >= _CACHED_WINDOWS:
                state.cache.clear()
            state.cache[key] = value
    return value


def _ties(state: _State, since: date | None, until: date | None) -> list[Any]:
    def make() -> list[Any]:
        with state.lock:
            rows = state.store.ties(since, until)
        return ties_from_rows(rows)

    return _cached(state, ("ties", since, until), make)


def warm(app: FastAPI) -> threading.Thread:
    """Build the camps of the whole store in the background, so the page's first view
    does not wait for them."""
    state: _State = app.state.allegiance

    def run() -> None:
        try:
            _theatres(state, None, None, None, None)
        except Exception:  # the first request computes it again and reports why
            return

    thread = threading.Thread(target=run, name="allegiance-warm", daemon=True)
    thread.start()
    return thread


def _theatres(
    state: _State,
    theatre: str | None,
    since: date | None,
    until: date | None,
    half_life_days: float | None,
) -> list[Any]:
    """The theatres in the window (all, or the one named by ISO3 code or name)."""
    ties = _ties(state, since, until)
    options = Options(since=since, until=until, half_life_days=half_life_days)
    found = _cached(state, ("sides", since, until, half_life_days), lambda: sides(ties, options))
    if not theatre:
        return list(found)
    wanted = theatre.casefold()
    return [t for t in found if wanted in (t.country.casefold(), t.name.casefold())]


def _backers(
    state: _State, actor_id: str, since: date | None, until: date | None
) -> dict[str, Any]:
    ties = _ties(state, since, until)
    result: dict[str, Any] = backers(ties, actor_id, Options(since=since, until=until))
    return result


# Articles -----------------------------------------------------------------------------------
def _article_routes(r: APIRouter) -> None:
    @r.get("/api/articles/{article_id}", tags=["articles"])
    def get_article(state: StateDep, article_id: str) -> dict[str, Any]:
        """An article's text with its actor mentions and event triggers as character spans."""
        with state.lock:
            article = state.store.article(article_id)
        if article is None:
            raise ApiError(404, f"no article {article_id!r}; event reports give article ids")
        article["spans"] = _article_spans(article)
        return article

    @r.post(
        "/api/articles",
        tags=["articles"],
        status_code=201,
        responses={200: {"description": "Already in the store"}, 401: {}, 403: {}, 413: {}},
        # The body is read after the token is checked (a refused client learns why first,
        # and a stranger's body is never parsed), so its schema is declared here.
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ArticleIn.model_json_schema()}},
            }
        },
        dependencies=[Depends(_require_token)],
    )
    async def post_article(state: StateDep, request: Request, response: Response) -> dict[str, Any]:
        """Ingest one article (text or HTML) through the ``ingest`` pipeline. Needs
        ``Authorization: Bearer <ALLEGIANCE_TOKEN>``."""
        article = _article_in(await request.body())
        outcome = await run_in_threadpool(_ingest, state, article)
        if outcome.status == "rejected":
            raise ApiError(
                422,
                f"article rejected: {outcome.reason}"
                + (f" ({outcome.detail})" if outcome.detail else ""),
            )
        if outcome.status != "stored":
            response.status_code = 200
        response.headers["Location"] = f"/api/articles/{outcome.article_id}"
        return {
            "status": outcome.status,
            "article_id": outcome.article_id,
            "events": outcome.events,
        }


def _article_in(body: bytes) -> ArticleIn:
    """The posted article, or a 422 naming what is wrong with the body."""
    try:
        return ArticleIn.model_validate_json(body)
    except ValidationError as exc:
        fields = [
            {"where": ".".join(str(p) for p in ("body", *e.get("loc", ()))), "message": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        first = fields[0]
        raise ApiError(
            422, f"invalid article: {first['where']}: {first['message']}", fields=fields
        ) from None


def _article_spans(article: dict[str, Any]) -> list[dict[str, Any]]:
    """Actor and place mentions and event triggers, sorted; the page marks them in the text."""
    spans = [
        {
            "kind": "place" if m["is_place"] else "actor",
            "start": m["start"],
            "end": m["end"],
            "text": m["text"],
            "actor_id": m["actor_id"],
            "label": f"{m['code']} {m['name']}",
        }
        for m in article["mentions"]
    ]
    triggers = {}
    for rep in article["reports"]:
        start, text = rep["trigger_start"], rep["trigger_text"]
        label = rep["type"] + (f"/{rep['mode']}" if rep["mode"] else "")
        entry = triggers.setdefault(
            start,
            {
                "kind": "trigger",
                "start": start,
                "end": start + len(text),
                "text": text,
                "event_ids": [],
                "label": label,
            },
        )
        entry["event_ids"].append(rep["event_id"])
    spans += triggers.values()
    return sorted(spans, key=lambda s: (s["start"], -s["end"]))


def _require_token(state: StateDep, request: Request) -> None:
    """Writes need the server's bearer token; with none set, they are off."""
    expected, header = state.settings.token, request.headers.get("authorization")
    if expected is None:
        raise ApiError(
            403,
            "writes are off: this server was started without ALLEGIANCE_TOKEN; set it in the "
            "server's environment and send it as 'Authorization: Bearer <token>'",
        )
    scheme, _, given = (header or "").partition(" ")
    # Compared as bytes: a header may carry any byte (read as Latin-1), which a comparison
    # of text would refuse with an error instead of a no.
    given_bytes = given.strip().encode("latin-1", errors="replace")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given_bytes, expected.encode()):
        raise ApiError(
            401,
            "missing or wrong bearer token; send 'Authorization: Bearer <ALLEGIANCE_TOKEN>'",
            {"WWW-Authenticate": "Bearer"},
        )


def _ingest(state: _State, article: ArticleIn) -> Any:
    """Code the article outside the store's lock (readers go on meanwhile; one article is
    coded at a time), then take the lock only to write it."""
    from ..corpus.run import NearDuplicates, store_coded
    from ..records import RawDoc

    if (article.text is None) == (article.html is None):
        raise ApiError(422, "give the article as exactly one of 'text' or 'html'")
    body = article.html if article.html is not None else article.text
    assert body is not None
    # The input key is the content's hash: posting the same article again is a no-op.
    digest = hashlib.sha256(article.model_dump_json().encode("utf-8")).hexdigest()[:16]
    key = f"api:{article.id}:{digest}" if article.id else f"api:{digest}"
    with state.lock:
        if state.store.seen([key]):
            return _outcome(state, key, already=True)
    raw = RawDoc(
        article.id,
        key,
        body,
        article.html is not None,
        article.title,
        article.published,
        url=article.url,
    )
    try:
        coded = state.coder.code([raw])  # one at a time, outside the store's lock
    except AllegianceError as exc:
        raise ApiError(500, f"the pipeline could not run: {exc}") from exc
    with state.lock:
        if state.store.seen([key]):  # the same article, posted meanwhile, was written first
            return _outcome(state, key, already=True)
        if state.near is None:
            state.near = NearDuplicates(state.store)
        written = store_coded([(key, *coded[0])], state.store, state.near)
        state.generation += 1
        state.cache.clear()
        return _outcome(state, key, already=False, events=written.events)


def _outcome(state: _State, key: str, already: bool, events: int = 0) -> Any:
    from ..corpus.run import Outcome

    row = state.store.input_outcome(key) or {"status": "rejected", "article_id": None}
    if already:
        return Outcome("already-read", row["article_id"])
    if row["status"] == "rejected":
        first = (row.get("rejects") or [{}])[0]
        return Outcome("rejected", None, reason=first.get("reason"), detail=first.get("detail"))
    return Outcome(row["status"], row["article_id"], events)


# The page -----------------------------------------------------------------------------------
def _page_routes(r: APIRouter) -> None:
    @r.get("/", include_in_schema=False)
    def index() -> Response:
        return Response(_asset("index.html"), media_type="text/html; charset=utf-8")

    @r.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in _STATIC:
            raise ApiError(404, f"no static file {name!r}")
        return Response(_asset(name), media_type=_STATIC[name])


def _asset(name: str) -> bytes:
    """A file of the page, shipped in the package as ``allegiance/web/NAME``."""
    return (resources.files("allegiance.serve") / "web" / name).read_bytes()
