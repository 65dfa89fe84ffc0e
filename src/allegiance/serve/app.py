"""HTTP API and web page over one store: ``create_app(ServeSettings(...))`` builds the app.

Reads page, filter and aggregate in the store (keyset paging, counts per month in SQL), so a
page of the table costs the same with 100 events or 100,000. The one write, ``POST
/api/articles``, runs the ingest pipeline on one article and needs the bearer token the server
was started with. Every failure, whatever raised it, answers with one JSON shape::

    {"error": {"status": 404, "code": "not_found", "message": "...", "fields": [...]}}
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import Response

from ..corpus.store import Store, StoreError
from .articles import article_routes
from .camps import graph_routes
from .events import actor_routes, event_routes, export_routes
from .guard import ApiError, BodyLimit, SecurityHeaders, add_error_handlers, known_parameters
from .maps import map_routes
from .state import ServeSettings, State, version

_STATIC = {
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}


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
        version=version(),
        docs_url=None,  # the bundled docs pages load scripts from a CDN; the tool is offline
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.allegiance = State(settings, store)
    add_error_handlers(app)
    router = APIRouter(dependencies=[Depends(known_parameters)])
    routes = (event_routes, export_routes, map_routes, actor_routes, graph_routes, article_routes)
    for add in (*routes, _page_routes):
        add(router)
    app.include_router(router)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


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
