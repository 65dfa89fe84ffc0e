"""Routes of events and actors: pages by cursor, one event with its reports, the timeline,
the health of the server, actors and one actor's backers."""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ..corpus.store import EVENT_COLUMNS, EventFilter
from ..hygiene import cell
from .camps import backers_of
from .guard import ApiError
from .state import MAX_PAGE, TEXT, StateDep, version

# The choices of the ``modality`` parameter: records.MODALITIES (a test keeps them equal).
Modality = Literal["asserted", "reported", "alleged", "planned", "negated", "hypothetical"]


Sort = Literal["date", "type", "source", "target", "modality", "articles", "confidence"]
ExportFormat = Literal["csv", "parquet", "jsonl", "gdelt", "polecat", "acled"]
_SUFFIXES = {
    "csv": "csv",
    "parquet": "parquet",
    "jsonl": "jsonl",
    "gdelt": "tsv",
    "polecat": "jsonl",
    "acled": "csv",
}
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}


# Events ------------------------------------------------------------------------------------
def event_filter(
    actor: Annotated[
        str | None, Query(max_length=TEXT, description="Actor id, code or part of its name.")
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
    min_confidence: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="Least calibrated confidence.")
    ] = None,
    modality: Annotated[Modality | None, Query(description="How the event is told.")] = None,
    quad_class: Annotated[
        int | None,
        Query(ge=1, le=4, description="1, 2 verbal, material cooperation; 3, 4 conflict."),
    ] = None,
    theatre: Annotated[
        str | None,
        Query(max_length=40, description="A theatre's id or key (LBY, AZE+ARM 2020)."),
    ] = None,
) -> EventFilter:
    """The filters of ``allegiance events``, from the query string."""
    if since and until and since > until:
        raise ApiError(422, f"since ({since}) is after until ({until}); swap them")
    return EventFilter(
        actor or None,
        kind or None,
        country or None,
        since,
        until,
        min_confidence,
        modality,
        quad_class,
        theatre or None,
    )


FilterDep = Annotated[EventFilter, Depends(event_filter)]


def encode_cursor(order: str, key: tuple[Any, str]) -> str:
    raw = json.dumps([order, *key]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, order: str) -> tuple[Any, str]:
    """The (sort key, id) a cursor of this order holds."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort, value, event = json.loads(raw)
        if sort == order and isinstance(value, str | int | float) and isinstance(event, str):
            return value, event
    except (binascii.Error, ValueError, TypeError):
        pass
    raise ApiError(
        400,
        f"cursor {cursor[:40]!r} is not one this server gave for sort={order}; leave it out "
        "for page one",
    )


def event_routes(r: APIRouter) -> None:
    @r.get("/api/events", tags=["events"])
    def list_events(
        state: StateDep,
        where: FilterDep,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        cursor: Annotated[
            str | None, Query(max_length=TEXT, description="next_cursor of the last page.")
        ] = None,
        fmt: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
        sort: Annotated[
            Sort,
            Query(
                description="date (newest first), type, source, target, modality, "
                "articles or confidence (most first)."
            ),
        ] = "date",
    ) -> Any:
        """Events, newest first (or in ``sort``'s order), a page at a time: pass
        ``next_cursor`` back as ``cursor``."""
        after = decode_cursor(cursor, sort) if cursor else None
        with state.lock:
            rows, last = state.store.events_page(where, limit, after, sort)
            total = state.store.count_events(where)
        following = encode_cursor(sort, last) if last else None
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
        return {"status": "ok", "version": version(), "writes": writes, **stats}


def export_routes(r: APIRouter) -> None:
    @r.get("/api/export", tags=["events"])
    def export(
        state: StateDep,
        where: FilterDep,
        fmt: Annotated[ExportFormat, Query(alias="format")] = "csv",
        mentions: Annotated[bool, Query(description="Every report, one row each.")] = False,
    ) -> Response:
        """The filtered events as a file to download, in any format of ``allegiance
        export`` (csv, parquet, jsonl, gdelt, polecat, acled; the README lists the columns)."""
        suffix = _SUFFIXES[fmt]
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / f"events.{suffix}"
            with state.lock:
                state.store.export(out, fmt, where, mentions=mentions)
            body = out.read_bytes()
        name = f"allegiance-{'mentions' if mentions else 'events'}.{suffix}"
        return Response(
            body,
            media_type=_MEDIA[suffix],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


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
def actor_routes(r: APIRouter) -> None:
    @r.get("/api/actors", tags=["actors"])
    def list_actors(
        state: StateDep,
        q: Annotated[
            str | None, Query(max_length=TEXT, description="Part of an id or name, or a code.")
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
        sides = backers_of(state, actor_id, since, until)
        return {**actor, "backers": sides["backers"], "opponents": sides["opponents"]}
