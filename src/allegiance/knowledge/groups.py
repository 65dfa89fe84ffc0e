"""What the alignment graph reads of the packaged groups files without building the base:
the roles of groups by date, the parties that field fighters, and who commands whom. Each
is read once and cached; the graph of a store does not pay for the whole base."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from .kb import packaged_files, parse_role, read_yaml, role_at


@lru_cache(maxsize=1)
def group_roles() -> dict[str, list[tuple[date, date | None, str]]]:
    """Group id -> its ``roles`` (packaged groups files): a stored event's group takes the
    sector of its date in the camps as it did when it was coded (the store keeps one row
    per actor)."""
    out = {}
    for path in packaged_files()["groups"]:
        for item in read_yaml(path).get("data") or []:
            roles = [parse_role(r) for r in item.get("roles") or []]
            if roles:
                out[str(item["id"])] = roles
    return out


def role_on(group_id: str, sector: str | None, when: date | None) -> str | None:
    """A packaged group's sector on a date (``KnowledgeBase.sector_on`` without the base)."""
    return role_at(group_roles().get(group_id, []), sector, when)


@lru_cache(maxsize=1)
def fielding_parties() -> frozenset[str]:
    """Ids of the parties the armed groups file lists (sector PTY: Hamas, Hezbollah, UNITA):
    parties that field fighters, so parties to their country's armed conflict as rebels are.
    Only that file is read."""
    groups = read_yaml(packaged_files()["groups"][0]).get("data") or []
    return frozenset(str(g["id"]) for g in groups if g.get("sector") == "PTY")


@lru_cache(maxsize=1)
def leaders() -> dict[str, str]:
    """Person id -> the id of the armed group he commands, from the groups' ``leader`` lists
    (packaged file): one party to a conflict, for the camps."""
    out = {}
    for group in read_yaml(packaged_files()["groups"][0]).get("data") or []:
        led = group.get("leader") or []
        for person in [led] if isinstance(led, str) else led:
            out[str(person)] = str(group["id"])
    return out
