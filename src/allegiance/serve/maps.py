"""The page's map: country outlines and where the filtered events happened.

The outlines are Natural Earth's low-resolution countries as the ``countryinfo`` package
installs them (no tiles, no network: the page draws them as SVG); coordinates are rounded to
two decimals, which keeps the whole world near 200 KB and is finer than the page can show.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from .events import FilterDep
from .state import StateDep


def outlines() -> list[dict[str, Any]]:
    """Each country countryinfo knows a shape of: ISO3, name and its rings of [lon, lat]."""
    import countryinfo

    out = []
    for country in countryinfo.all_countries():
        try:
            iso3, name, shape = country.iso(3), country.name(), country.geo_json()
        except (KeyError, ValueError, AttributeError):
            continue  # a territory without a code or a shape
        rings = [
            [[round(lon, 2), round(lat, 2)] for lon, lat in ring]
            for feature in (shape or {}).get("features", [])
            for ring in _rings(feature.get("geometry") or {})
        ]
        if rings and iso3:
            out.append({"iso3": iso3.upper(), "name": name, "rings": rings})
    return sorted(out, key=lambda c: c["iso3"])


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """The outer and inner rings of a Polygon or MultiPolygon."""
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def map_routes(r: APIRouter) -> None:
    shapes: list[dict[str, Any]] = []  # read on the first request, then kept with the app

    @r.get("/api/map", tags=["events"])
    def world_map(state: StateDep, where: FilterDep) -> dict[str, Any]:
        """Country outlines, and the filtered events by the place and country they happened
        in (events whose place the text does not give are not on the map)."""
        if not shapes:
            shapes.extend(outlines())
        with state.lock:
            places = state.store.located(where)
        countries: dict[str, int] = {}
        for p in places:
            countries[p["country"]] = countries.get(p["country"], 0) + p["events"]
        points = [p for p in places if p["lat"] is not None and p["lon"] is not None]
        return {"countries": shapes, "events_by_country": countries, "places": points}
