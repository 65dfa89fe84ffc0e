"""Camps: correlation clustering of each theatre's signed graph, neutral actors, and the
``Theatre`` records with the evidence behind every membership."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..knowledge.kb import country_names
from ..records import Actor
from .theatres import (
    bare_state,
    find_theatres,
    is_state,
    node_of,
    party_country,
    place_ties,
    usable,
    war_evidence,
)
from .ties import Tie, tie_dict
from .weights import Options, in_window, weigh
from .windows import Window, assign, windows

# Acts that make an actor a fighting party: a lone actor with one of these is a camp of its
# own (Islamic State against everyone); a lone actor with only words is neutral.
_FIGHTING = frozenset(["ASSAULT", "COERCE", "MOBILIZE"])
# A neutral actor is tied to a second camp at least this much relative to its own.
_TORN = 0.5
# Evidence listed per camp member and for the hostility between camps.
EVIDENCE = 5


@dataclass(frozen=True, slots=True)
class Link:
    """The net relation of two nodes in one theatre, and the ties behind it."""

    a: str
    b: str
    weight: float
    ties: tuple[tuple[Tie, float], ...]


@dataclass(frozen=True, slots=True)
class Theatre:
    """One conflict: its camps, the actors left neutral and the weighed links between nodes."""

    country: str
    name: str
    camps: tuple[tuple[str, ...], ...]
    neutral: tuple[str, ...]
    nodes: dict[str, Actor] = field(hash=False)
    links: tuple[Link, ...]
    frustration: float
    window: Window | None = None  # the period its events fall in (``sides_by_window``)
    # The countries of the conflict (more than one: states at war with each other), whether
    # a party to its internal war takes part, and the evidence it stands on.
    members: tuple[str, ...] = ()
    civil_war: bool = False
    events: int = 0
    articles: int = 0
    war: float = 0.0  # the confidences of the events that make it a war, added up

    @property
    def id(self) -> str:
        """The conflict, the same in every window: its countries ("AZE+ARM" for states at war
        with each other, named first by the one attacked more) and, when it also holds a
        party to an internal war, "/civil" ("SYR/civil")."""
        others = sorted(c for c in self.members if c != self.country)
        base = "+".join([self.country, *others])
        return f"{base}/civil" if self.civil_war else base

    @property
    def kind(self) -> str:
        """internal, interstate, or both (a civil war with foreign states fighting in it)."""
        if len(self.members) > 1:
            return "interstate and internal" if self.civil_war else "interstate"
        return "internal" if self.civil_war else "interstate"

    @property
    def confidence(self) -> float:
        """How sure the theatre is a war: m / (m + 2) of the events that make it one (those of
        a party to its internal war, attacks on it), counted by their confidence (one sure
        event 0.33, four 0.67, ten 0.83)."""
        return round(self.war / (self.war + 2.0), 3)

    @property
    def key(self) -> str:
        """The theatre in its window: "SYR 2013" (the country alone without a window)."""
        return f"{self.country} {self.window.label}" if self.window else self.country

    def camp_of(self, node: str) -> int | None:
        return next((i for i, camp in enumerate(self.camps) if node in camp), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "theatre": self.name,
            "country": self.country,
            "key": self.key,
            "id": self.id,
            "kind": self.kind,
            "members": list(self.members),
            "window": self.window.to_dict() if self.window else None,
            "support": {
                "events": self.events,
                "articles": self.articles,
                "confidence": self.confidence,
            },
            "camps": [[self.nodes[n].to_dict() for n in camp] for camp in self.camps],
            "neutral": [self.nodes[n].to_dict() for n in self.neutral],
            "evidence": self.evidence(),
            "frustration": round(self.frustration, 3),
        }

    def evidence(self) -> dict[str, Any]:
        """Why each actor is in its camp (its strongest ties inside it) and why camps differ."""
        members: dict[str, list[dict[str, Any]]] = {}
        across: list[tuple[float, dict[str, Any]]] = []
        touching: dict[str, list[Link]] = defaultdict(list)
        for link in self.links:
            touching[link.a].append(link)
            touching[link.b].append(link)
        for camp in self.camps:
            for node in camp:
                inside = [
                    (w, tie)
                    for link in touching[node]
                    if link.a in camp and link.b in camp
                    for tie, w in link.ties
                    if w > 0
                ]
                inside.sort(key=lambda p: -p[0])
                members[self.nodes[node].id] = [tie_dict(t, w) for w, t in inside[:EVIDENCE]]
        for link in self.links:
            ca, cb = self.camp_of(link.a), self.camp_of(link.b)
            if ca is not None and cb is not None and ca != cb:
                across += [(w, tie_dict(t, w)) for t, w in link.ties if w < 0]
        across.sort(key=lambda p: p[0])
        return {"members": members, "between_camps": [d for _, d in across[: 3 * EVIDENCE]]}


# Camps ---------------------------------------------------------------------------------------
def partition(weights: dict[tuple[str, str], float]) -> list[set[str]]:
    """Correlation clustering of a signed graph: groups with support inside, hostility across.

    ``weights`` maps node pairs (either order) to a net signed weight. Greedy merging of the
    two groups most positively tied, then single-node moves while they lower the frustration.
    """
    adj = _adjacency(weights)
    return _refine(adj, _agglomerate(adj))


def _adjacency(weights: dict[tuple[str, str], float]) -> dict[str, dict[str, float]]:
    """Each node's net weight to each neighbour, both ways."""
    adj: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (a, b), w in weights.items():
        if a != b and w:
            adj[a][b] += w
            adj[b][a] += w
    return adj


def _agglomerate(adj: dict[str, dict[str, float]]) -> list[set[str]]:
    group_of = {n: n for n in adj}
    members: dict[str, set[str]] = {n: {n} for n in adj}
    between: dict[str, dict[str, float]] = {n: dict(adj[n]) for n in adj}
    while True:
        best = max(
            ((w, a, b) for a, row in between.items() for b, w in row.items() if a < b),
            default=None,
        )
        if best is None or best[0] <= 0:
            break
        _, keep, drop = best
        members[keep] |= members.pop(drop)
        for n in members[keep]:
            group_of[n] = keep
        row = between.pop(drop)
        for other, w in row.items():
            if other == keep:
                continue
            between[other].pop(drop, None)
            between[keep][other] = between[keep].get(other, 0.0) + w
            between[other][keep] = between[keep][other]
        between[keep].pop(drop, None)
    return sorted(members.values(), key=lambda g: sorted(g))


def _refine(adj: dict[str, dict[str, float]], groups: list[set[str]]) -> list[set[str]]:
    """Move single nodes to the group they are most tied to while that helps."""
    groups = [set(g) for g in groups]
    for _ in range(20):
        moved = False
        for node in sorted(adj):
            here = next(i for i, g in enumerate(groups) if node in g)
            pull = [sum(adj[node].get(m, 0.0) for m in g if m != node) for g in groups]
            best = max(range(len(groups)), key=lambda i: (pull[i], i == here))
            if pull[best] > pull[here] + 1e-9:
                groups[here].discard(node)
                groups[best].add(node)
                moved = True
            elif pull[here] < -1e-9 and len(groups[here]) > 1:
                groups[here].discard(node)  # hostile to its own group: alone is better
                groups.append({node})
                moved = True
        groups = [g for g in groups if g]
        if not moved:
            break
    return groups


def frustration(weights: dict[tuple[str, str], float], groups: list[set[str]]) -> float:
    """Weight on the wrong side: support across groups plus hostility inside one."""
    where = {n: i for i, g in enumerate(groups) for n in g}
    total = 0.0
    for (a, b), w in weights.items():
        if a in where and b in where:
            same = where[a] == where[b]
            total += -w if same and w < 0 else w if not same and w > 0 else 0.0
    return total


def camps_and_neutral(
    weights: dict[tuple[str, str], float], fighters: set[str], local: set[str]
) -> tuple[list[list[str]], list[str]]:
    """Camps of a theatre (largest first) and the nodes left out of every camp."""
    adj = _adjacency(weights)
    groups = _refine(adj, _agglomerate(adj))
    neutral: list[str] = []
    camps: list[list[str]] = []
    for group in groups:
        keep = []
        for node in sorted(group):
            own = sum(adj[node].get(m, 0.0) for m in group if m != node)
            other = max(
                (sum(adj[node].get(m, 0.0) for m in g) for g in groups if g is not group),
                default=0.0,
            )
            if len(group) > 1 and other > 0 and other >= _TORN * own:
                neutral.append(node)  # backs two camps about as much: a mediator
            else:
                keep.append(node)
        if len(keep) > 1 or (keep and (keep[0] in fighters or keep[0] in local)):
            camps.append(keep)
        else:
            neutral += keep
    camps = _attach_outsiders(camps, adj, local)
    camps.sort(key=lambda c: (-len(c), c))
    return camps, sorted(neutral)


def _attach_outsiders(
    camps: list[list[str]], adj: dict[str, dict[str, float]], local: set[str]
) -> list[list[str]]:
    """The enemy of my enemy, used only where nothing else ties a camp to another.

    A camp of outsiders only (foreign powers striking one side) joins the local camp that
    fights the same enemy, so three states bombing the Houthis do not make three camps. A
    lone local fighter ("Haftar's forces attacked the GNA" where Haftar's backers are named
    apart) joins the one other local camp it is not hostile to, when there is exactly one.
    """
    camps = [list(c) for c in camps]

    def net(x: list[str], y: list[str]) -> float:
        return sum(adj[a].get(b, 0.0) for a in x for b in y)

    def target(i: int) -> int | None:
        camp = camps[i]
        enemies = {j: -net(camp, o) for j, o in enumerate(camps) if j != i and net(camp, o) < 0}
        if not enemies:
            return None
        others = [j for j in range(len(camps)) if j != i and j not in enemies]
        if any(n in local for n in camp):
            if len(camp) > 1:
                return None
            free = [j for j in others if any(n in local for n in camps[j])]
            return free[0] if len(free) == 1 and net(camp, camps[free[0]]) == 0 else None
        best, score = None, 0.0
        for j in others:
            if net(camp, camps[j]) < 0:
                continue
            shared = sum(
                min(w, -net(camps[j], camps[k]))
                for k, w in enemies.items()
                if net(camps[j], camps[k]) < 0
            )
            if shared > score:
                best, score = j, shared
        return best

    changed = True
    while changed:
        changed = False
        for i in range(len(camps)):
            j = target(i)
            if j is not None:
                camps[j] += camps[i]
                del camps[i]
                changed = True
                break
    return camps


# The whole stage -----------------------------------------------------------------------------
def sides(ties: Iterable[Tie], options: Options | None = None) -> list[Theatre]:
    """The theatres of a set of ties, each with its camps, neutral actors and evidence."""
    options = options or Options()
    ties = [t for t in ties if in_window(t, options)]
    theatres = find_theatres(ties)
    ties = [t for t in ties if usable(t)]
    members: dict[str, set[str]] = defaultdict(set)
    for country, name in theatres.items():
        members[name].add(country)
    days = [d for t in ties if (d := t.day) is not None]
    reference = options.until or (max(days) if days else None)
    by_theatre: dict[str, list[Tie]] = defaultdict(list)
    for tie, where in place_ties(ties, theatres):
        by_theatre[where].append(tie)
    wanted = _wanted(options.theatre)
    out = []
    for country in sorted(by_theatre):
        if wanted and country != wanted and country_names().get(country, "").casefold() != wanted:
            continue
        theatre = _theatre(country, by_theatre[country], members[country], options, reference)
        if len(theatre.camps) > 1:  # one camp alone is no conflict found
            out.append(theatre)
    return out


def sides_by_window(
    ties: Iterable[Tie], options: Options | None = None, spec: str = "year"
) -> list[Theatre]:
    """The theatres of each window (``windows.windows``: a calendar year by default) in time
    order, each with its window: one graph per period, never one of all years."""
    options = options or Options()
    ties = list(ties)
    out = []
    for w, inside in assign(ties, windows(ties, spec, options.since, options.until)).items():
        bounded = replace(options, since=w.since, until=w.until)
        out += [replace(th, window=w) for th in sides(inside, bounded)]
    return out


def _foreign_strike(tie: Tie, members: set[str]) -> bool:
    """An attack by a state from outside the theatre (not at war with its country)."""
    return (
        tie.type in _FIGHTING
        and tie.source.country is not None
        and tie.source.country not in members
        and is_state(tie.source)
    )


def _wanted(theatre: str | None) -> str | None:
    if not theatre:
        return None
    return theatre.upper() if len(theatre) == 3 and theatre.isalpha() else theatre.casefold()


def _theatre(
    country: str, ties: list[Tie], members: set[str], options: Options, reference: date | None
) -> Theatre:
    seen: dict[str, Counter[Actor]] = defaultdict(Counter)
    link_ties: dict[tuple[str, str], list[tuple[Tie, float]]] = defaultdict(list)
    fighters: set[str] = set()
    local: set[str] = set()
    civil_war = any(party_country(a) in members for tie in ties for a in (tie.source, tie.target))
    for tie in ties:
        a = node_of(tie.source, country, members)
        b = node_of(tie.target, country, members)
        if a == b:
            continue
        seen[a][tie.source] += 1
        seen[b][tie.target] += 1
        local |= {n for n, actor in ((a, tie.source), (b, tie.target)) if actor.country in members}
        w = weigh(tie, options, reference)
        if civil_war and tie.type == "AID" and bare_state(tie.target, members):
            # "sent jets to Libya" in a civil war arms a side the words do not name (while
            # "backs Damascus" names the government by its capital)
            w = 0.0
        if civil_war and _foreign_strike(tie, members) and bare_state(tie.target, members):
            # "US strikes in Afghanistan" hit a side the words do not name (most often the
            # insurgents); a state at war with this one is a member of the theatre
            w = 0.0
        if tie.type in _FIGHTING and w:
            fighters |= {a, b}
        link_ties[(min(a, b), max(a, b))].append((tie, w))
    weights = {pair: sum(w for _, w in tw) for pair, tw in link_ties.items()}
    weights = {pair: w for pair, w in weights.items() if w}
    camps, neutral = camps_and_neutral(weights, fighters, local)
    in_camps = {n for c in camps for n in c}
    tied = {x for a, b in link_ties for x, y in ((a, b), (b, a)) if y in in_camps}
    contacts = sorted(n for n in seen if n not in in_camps and n not in neutral and n in tied)
    nodes = {n: representative(n, counts) for n, counts in seen.items()}
    links = tuple(
        Link(a, b, weights.get((a, b), 0.0), tuple(tw)) for (a, b), tw in sorted(link_ties.items())
    )
    return Theatre(
        country=country,
        name=country_names().get(country, country),
        camps=tuple(tuple(c) for c in camps),
        neutral=tuple(sorted(set(neutral) | set(contacts))),
        nodes=nodes,
        links=links,
        frustration=frustration(weights, [set(c) for c in camps]),
        members=tuple(sorted(members)),
        civil_war=civil_war,
        events=len(ties),
        articles=len({e.article_id for t in ties for e in t.evidence}),
        war=sum(t.confidence for t in ties if members & set(war_evidence(t))),
    )


def representative(node: str, counts: Counter[Actor]) -> Actor:
    """The actor a node is shown as: the state itself for a foreign state, the most named
    actor coded as the government for a theatre's own state, else its most named actor."""
    names = country_names()
    if node in names:
        return Actor(id=node, name=names[node], country=node, sector=None, kind="country")
    coded = Counter({a: n for a, n in counts.items() if a.code == node})
    if node.endswith("GOV") and not coded and node[:3] in names:
        name = f"{names[node[:3]]} (government side)"
        return Actor(id=node, name=name, country=node[:3], sector="GOV", kind="agent")
    pool = coded or counts
    return min(pool, key=lambda a: (-pool[a], a.kind != "country", a.id))
