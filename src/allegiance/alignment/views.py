"""Views of the graph: rivals across theatres, the backers of one actor, the timeline of a
pair, and the graph as JSON nodes and edges."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from ..records import Actor
from .camps import EVIDENCE, Theatre, representative, sides_by_window
from .theatres import is_state, node_of
from .ties import Tie, tie_dict
from .weights import ALIGNMENT, CONTACT, MODALITY, Options, in_window, weigh


# Rivals and backers --------------------------------------------------------------------------
def rivals(
    ties: Iterable[Tie], options: Options | None = None, min_theatres: int = 2, spec: str = "year"
) -> list[dict[str, Any]]:
    """Pairs of actors on opposite sides in ``min_theatres`` or more theatres (each war's
    camps taken in each window), with their contact (meetings, agreements) meanwhile."""
    options = options or Options()
    ties = [t for t in ties if in_window(t, options)]
    theatres = sides_by_window(ties, replace(options, theatre=None), spec)
    opposed: dict[tuple[str, str], list[Theatre]] = defaultdict(list)
    shown: dict[str, Actor] = {}
    for th in theatres:
        for i, camp in enumerate(th.camps):
            for j, other in enumerate(th.camps):
                if i < j:
                    for a in camp:
                        for b in other:
                            pair = (min(a, b), max(a, b))
                            opposed[pair].append(th)
                            shown.setdefault(a, th.nodes[a])
                            shown.setdefault(b, th.nodes[b])
    out = []
    for (a, b), where in sorted(opposed.items()):
        if len({t.country for t in where}) < min_theatres:
            continue
        contact = [
            t
            for t in ties
            if t.type in CONTACT
            and MODALITY.get(t.modality, 0) > 0
            and {_state_or_self(t.source), _state_or_self(t.target)} == {a, b}
        ]
        out.append(
            {
                "a": shown[a].to_dict(),
                "b": shown[b].to_dict(),
                "theatres": [
                    {"theatre": t.name, "country": t.country, "window": _label(t)} for t in where
                ],
                "contact": bool(contact),
                "contacts": [tie_dict(t) for t in contact[:EVIDENCE]],
            }
        )
    out.sort(key=lambda r: (-len(r["theatres"]), not r["contact"], r["a"]["id"], r["b"]["id"]))
    return out


def _label(theatre: Theatre) -> str | None:
    return theatre.window.label if theatre.window else None


def _state_or_self(actor: Actor) -> str:
    return str(actor.country) if is_state(actor) else node_of(actor, "")


def backers(ties: Iterable[Tie], who: str, options: Options | None = None) -> dict[str, Any]:
    """Who backs and who opposes an actor (matched by id, code or name), year by year."""
    options = options or Options()
    ties = [t for t in ties if in_window(t, options)]
    days = [d for t in ties if (d := t.day) is not None]
    reference = options.until or (max(days) if days else None)

    exact = any(_named(a, who) for t in ties for a in (t.source, t.target))

    def matches(actor: Actor) -> bool:
        # "Haftar" finds Khalifa Haftar when no actor is called exactly that
        return _named(actor, who) if exact else who.casefold() in actor.name.casefold()

    found: Actor | None = None
    sides_: dict[str, dict[str, Any]] = {}
    for tie in ties:
        w = weigh(tie, options, reference)
        if not w:
            continue
        for me, other in ((tie.source, tie.target), (tie.target, tie.source)):
            if not matches(me) or matches(other):
                continue
            found = found or me
            key = _state_or_self(other)
            entry = sides_.setdefault(
                key, {"actor": other, "weight": 0.0, "years": Counter(), "events": []}
            )
            entry["weight"] += w
            if (day := tie.day) is not None:
                entry["years"][day.year] += w
            entry["events"].append((abs(w), tie_dict(tie, w)))
    rows = []
    for key, entry in sides_.items():
        actor = entry["actor"]
        if is_state(actor):
            actor = representative(key, Counter([actor]))
        rows.append(
            {
                "actor": actor.to_dict(),
                "weight": round(entry["weight"], 3),
                "years": {str(y): round(v, 3) for y, v in sorted(entry["years"].items())},
                "events": [e for _, e in sorted(entry["events"], key=lambda p: -p[0])][:EVIDENCE],
            }
        )
    rows.sort(key=lambda r: (-abs(r["weight"]), r["actor"]["id"]))
    return {
        "actor": found.to_dict() if found else None,
        "backers": [r for r in rows if r["weight"] > 0],
        "opponents": [r for r in rows if r["weight"] < 0],
    }


# Graph export --------------------------------------------------------------------------------
def graph_json(theatres: Iterable[Theatre]) -> dict[str, Any]:
    """Nodes (with their camp in each theatre, keyed by ``Theatre.key``: "SYR 2013") and
    signed, weighted edges per theatre."""
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for th in theatres:
        for node, actor in th.nodes.items():
            entry = nodes.setdefault(
                node, {**actor.to_dict(), "actor_id": actor.id, "id": node, "camps": {}}
            )
            camp = th.camp_of(node)
            entry["camps"][th.key] = camp if camp is not None else "neutral"
        for link in th.links:
            if not link.weight:
                continue
            edges.append(
                {
                    "source": link.a,
                    "target": link.b,
                    "theatre": th.key,
                    "country": th.country,
                    "window": _label(th),
                    "weight": round(abs(link.weight), 3),
                    "sign": 1 if link.weight > 0 else -1,
                    "events": len(link.ties),
                }
            )
    return {"nodes": sorted(nodes.values(), key=lambda n: n["id"]), "edges": edges}


def timeline(
    ties: Iterable[Tie], a: str, b: str, options: Options | None = None
) -> list[tuple[date, float, float]]:
    """Cooperation and conflict between two actors month by month: (month, plus, minus)."""
    options = options or Options()
    months: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for tie in ties:
        if not in_window(tie, options) or (day := tie.day) is None:
            continue
        s, t = tie.source, tie.target
        if not ((_named(s, a) and _named(t, b)) or (_named(s, b) and _named(t, a))):
            continue
        sign = ALIGNMENT.get(tie.type, 0.0) or (0.3 if tie.type in CONTACT else 0.0)
        w = sign * MODALITY.get(tie.modality, 0.5) * tie.confidence
        month = day.replace(day=1)
        months[month][0 if w > 0 else 1] += w
    return [(m, v[0], v[1]) for m, v in sorted(months.items())]


def _named(actor: Actor, query: str) -> bool:
    """Whether a query (id, code, name, or a state's ISO3 code) names this actor."""
    names = {actor.id, actor.code, actor.name, _state_or_self(actor)}
    return query.casefold() in {n.casefold() for n in names}
