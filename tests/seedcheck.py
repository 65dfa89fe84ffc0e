"""Match extracted events against an expected.json of the seed's shape (shared by tests)."""

from __future__ import annotations

import re
from typing import Any


def actor_matches(spec: str, actor: dict[str, Any] | None, aliases: dict[str, list[str]]) -> bool:
    """A code matches an actor's country or its code prefix; a name matches any alias."""
    if actor is None:
        return False
    if spec not in aliases and re.fullmatch(r"[A-Z]{3}", spec):
        return actor.get("country") == spec or (actor.get("code") or "").startswith(spec)
    names = {n.casefold() for n in aliases.get(spec, [spec])}
    seen = {str(actor.get(k) or "").casefold() for k in ("name", "text", "code", "id")}
    return bool(names & seen)


def event_matches(want: dict[str, Any], ev: dict[str, Any], aliases: dict[str, list[str]]) -> bool:
    if ev["type"] != want["type"]:
        return False
    if not actor_matches(want["source"], ev["source"], aliases):
        return False
    if not actor_matches(want["target"], ev["target"], aliases):
        return False
    if "date" in want and ev["date"] != want["date"]:
        return False
    if "mode" in want and ev["mode"] != want["mode"]:
        return False
    if "location" in want and (ev["location"] or {}).get("name") != want["location"]:
        return False
    if "modality" in want:
        allowed = want["modality"] if isinstance(want["modality"], list) else [want["modality"]]
        if ev["modality"] not in allowed:
            return False
    return True


def score(expected: dict[str, Any], record: dict[str, Any]) -> tuple[list, list, list]:
    """Return (found, missed, wrongly found) lists of expected entries."""
    aliases = expected.get("aliases", {})
    events = record["events"]
    found, missed = [], []
    for want in expected["must_find"]:
        (found if any(event_matches(want, e, aliases) for e in events) else missed).append(want)
    wrong = [
        w
        for w in expected.get("must_not_find", [])
        if any(event_matches(w, e, aliases) for e in events)
    ]
    return found, missed, wrong
