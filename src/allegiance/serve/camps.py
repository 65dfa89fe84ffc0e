"""Routes of the camps and the graph, and the cache that keeps them: the alignment of the
whole store takes seconds, so each window's is built once and kept until a write."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query

from ..alignment import (
    Options,
    WindowError,
    backers,
    check_spec,
    graph_json,
    shifts,
    sides_by_window,
    ties_from_rows,
)
from .guard import ApiError
from .state import TEXT, State, StateDep


# Sides and graph ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CampsQuery:
    """The query string of /api/sides and /api/graph: a theatre, the bounds of the events and
    the periods camps are computed for."""

    theatre: str | None
    since: date | None
    until: date | None
    half_life_days: float | None
    window: str = "year"


def camps_query(
    theatre: Annotated[
        str | None, Query(max_length=TEXT, description="ISO3 code or country name.")
    ] = None,
    since: date | None = None,
    until: date | None = None,
    half_life_days: Annotated[float | None, Query(gt=0)] = None,
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="Only this calendar year.")
    ] = None,
    window: Annotated[
        str,
        Query(
            max_length=8,
            description="The periods camps are computed for: year (calendar years), all "
            "(one graph), or a number of days such as 180d.",
        ),
    ] = "year",
) -> CampsQuery:
    try:
        window = check_spec(window)
    except WindowError as exc:
        raise ApiError(422, str(exc)) from None
    if year is not None:
        since = max(since or date(year, 1, 1), date(year, 1, 1))
        until = min(until or date(year, 12, 31), date(year, 12, 31))
    if since and until and since > until:
        raise ApiError(422, f"since ({since}) is after until ({until}); swap them")
    return CampsQuery(theatre or None, since, until, half_life_days, window)


CampsDep = Annotated[CampsQuery, Depends(camps_query)]


def graph_routes(r: APIRouter) -> None:
    @r.get("/api/sides", tags=["camps"])
    def sides(state: StateDep, q: CampsDep) -> dict[str, Any]:
        """The theatres (conflicts) of each window (a calendar year by default) with their
        camps, neutral actors and the evidence; ``windows`` lists the windows that have one."""
        found = _wanted_theatres(state, q)
        labels = list(dict.fromkeys(t.window.label for t in found if t.window))
        return {"windows": labels, "theatres": [t.to_dict() for t in found]}

    @r.get("/api/shifts", tags=["camps"])
    def shifts_route(state: StateDep, q: CampsDep) -> dict[str, Any]:
        """Changes of alignment between consecutive windows (joined, went quiet, changed
        sides, took a side, went neutral), each with the events before and after."""
        ties = _ties(state, q.since, q.until)
        options = Options(since=q.since, until=q.until, half_life_days=q.half_life_days)
        found = _cached(
            state,
            ("shifts", q.since, q.until, q.half_life_days, q.window),
            lambda: shifts(ties, options, q.window),
        )
        wanted = (q.theatre or "").casefold()
        return {
            "shifts": [
                s.to_dict()
                for s in found
                if not wanted or wanted in (s.country.casefold(), s.theatre.casefold())
            ]
        }

    @r.get("/api/graph", tags=["camps"])
    def graph(state: StateDep, q: CampsDep) -> dict[str, Any]:
        """Nodes with their camp per theatre, and signed edges weighted by their evidence."""
        return graph_json(_wanted_theatres(state, q))


def _wanted_theatres(state: State, q: CampsQuery) -> list[Any]:
    """The theatres a camps query asks for; 404 when it names one the store lacks."""
    found = theatres_of(state, q.theatre, q.since, q.until, q.half_life_days, q.window)
    if q.theatre and not found:
        raise ApiError(404, f"no theatre {q.theatre!r} in the store; list them with /api/sides")
    return found


# The alignment graph of the whole store is computed once per window and kept until a write:
# on 100,000 events it takes seconds, and every page view asks for it. Only the query holds
# the store's lock; building ties and camps runs beside other requests.
_CACHED_WINDOWS = 8


def _cached(state: State, key: tuple[Any, ...], make: Any) -> Any:
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


def _ties(state: State, since: date | None, until: date | None) -> list[Any]:
    def make() -> list[Any]:
        with state.lock:
            rows = state.store.ties(since, until)
        return ties_from_rows(rows)

    return _cached(state, ("ties", since, until), make)


def warm(app: FastAPI) -> threading.Thread:
    """Build the camps of the whole store in the background, so the page's first view
    does not wait for them."""
    state: State = app.state.allegiance

    def run() -> None:
        try:
            theatres_of(state, None, None, None, None)
        except Exception:  # the first request computes it again and reports why
            return

    thread = threading.Thread(target=run, name="allegiance-warm", daemon=True)
    thread.start()
    return thread


def theatres_of(
    state: State,
    theatre: str | None,
    since: date | None,
    until: date | None,
    half_life_days: float | None,
    window: str = "year",
) -> list[Any]:
    """The theatres of each window between the bounds (all, or the one named by ISO3 code or
    name)."""
    ties = _ties(state, since, until)
    options = Options(since=since, until=until, half_life_days=half_life_days)
    found = _cached(
        state,
        ("sides", since, until, half_life_days, window),
        lambda: sides_by_window(ties, options, window),
    )
    if not theatre:
        return list(found)
    wanted = theatre.casefold()
    return [t for t in found if wanted in (t.country.casefold(), t.name.casefold())]


def backers_of(
    state: State, actor_id: str, since: date | None, until: date | None
) -> dict[str, Any]:
    ties = _ties(state, since, until)
    result: dict[str, Any] = backers(ties, actor_id, Options(since=since, until=until))
    return result
