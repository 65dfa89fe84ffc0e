"""Alignment: a signed actor graph from events, grouped into theatres and split into camps.

The stage after events. Its input is a stream of ``Tie`` records (one coded event with its
evidence: the sentences that report it), read from extraction results or from the store; its
output is ``Theatre`` records (the camps of each conflict, who is left neutral, and the events
behind every membership), rivals across theatres and the backers of one actor.

The choices, in the order the code makes them:

- Sign and weight. Backing types count for a camp (SUPPORT, AID, COOPERATE), hostile ones
  against (ASSAULT down to PROTEST); diplomacy (CONSULT, AGREE, REQUEST, CONCEDE, RETREAT)
  counts for neither, since enemies meet and sign ceasefires, but it is kept as *contact* for
  rivals. Each event's weight is ``ALIGNMENT[type] * MODALITY[modality] * confidence *
  (1 + ln(articles))``, times ``0.5 ** (age / half_life)`` when a half-life is given. An
  alleged backing therefore counts half an asserted one and a negated one not at all.
- Theatres. A country is a theatre when a party to its internal conflict takes part in an
  event (rebels, insurgents, separatists, armed opposition of that country) or when another
  state's forces attack it. States at war with each other share one theatre, named by the
  country more of the attacks fall on. An event belongs to the theatre of its most local
  party (a rebel or government side before a state), else to where it happened, else to the
  theatre the sentence names; events with none are kept for contact between rivals only.
- Nodes. In a theatre, a foreign state's government, forces and officials are the state
  (Lavrov is Russia); the theatre country's own state, government and forces are one node,
  its government side; named groups (Wagner, the LNA) and other local parties stay apart.
- Camps. Correlation clustering on the signed graph: merge the two groups with the largest
  positive weight between them while any is positive, then move single actors to the group
  they are most tied to until nothing changes. Support ends up inside camps and hostility
  across them, with as little frustration (weight on the wrong side) as this greedy search
  finds. An actor tied about as much to a second camp as to its own is neutral (a mediator
  backing both); so is one whose only ties are words (condemning, rejecting) and one with
  only diplomatic contact in the theatre.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..knowledge.kb import country_names
from ..records import Actor, ArticleResult, event_id

# How much one event says about two actors being on the same side (+) or opposite sides (-).
ALIGNMENT: dict[str, float] = {
    "SUPPORT": 1.0,
    "AID": 1.0,
    "COOPERATE": 0.6,
    "ASSAULT": -1.0,
    "COERCE": -0.8,
    "SANCTION": -0.6,
    "THREATEN": -0.6,
    "MOBILIZE": -0.5,
    "ACCUSE": -0.4,
    "REJECT": -0.3,
    "PROTEST": -0.3,
}
# Contact between two actors that does not put them on one side (for rivals: "while they meet").
CONTACT = frozenset(["CONSULT", "AGREE", "COOPERATE", "REQUEST", "SUPPORT"])
# How much a report counts, by how the text presents it.
MODALITY: dict[str, float] = {
    "asserted": 1.0,
    "reported": 0.8,
    "alleged": 0.5,
    "planned": 0.5,
    "hypothetical": 0.25,
    "negated": 0.0,
}
# Acts that make an actor a fighting party: a lone actor with one of these is a camp of its
# own (Islamic State against everyone); a lone actor with only words is neutral.
_FIGHTING = frozenset(["ASSAULT", "COERCE", "MOBILIZE"])
# Sectors of a party to a country's internal conflict.
_PARTY_SECTORS = frozenset(["REB", "INS", "SEP"])
# Sectors that are the state itself: a foreign state's officials and forces are that state.
_STATE_SECTORS = frozenset(["GOV", "MIL", "LEG", "JUD", "COP", "SPY"])
# Sectors of people an event happens to rather than parties to a conflict.
_BYSTANDERS = frozenset(["CVL", "BUS", "REF", "LAB", "EDU", "MED", "AGR", "HLH", "ENV"])
# A country is a theatre from this many events of a party to its conflict or attacks on it
# (one stray "rebels" is more often a resolution slip than a war).
_MIN_MASS = 2
# An article's ties without a theatre of their own go to the article's main theatre when
# it holds more than this share of the article's placed ties.
_MAIN_SHARE = 0.5
# A neutral actor is tied to a second camp at least this much relative to its own.
_TORN = 0.5
# Evidence listed per camp member and for the hostility between camps.
_EVIDENCE = 5


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence that reports an event."""

    article_id: str
    sentence: str
    modality: str


@dataclass(frozen=True, slots=True)
class Tie:
    """One coded event between two actors, as the graph needs it."""

    id: str
    type: str
    mode: str | None
    source: Actor
    target: Actor
    date: str | None
    modality: str
    confidence: float
    articles: int
    location_country: str | None = None
    context: tuple[str, ...] = ()  # countries the reporting sentences name, in order
    evidence: tuple[Evidence, ...] = ()

    @property
    def day(self) -> date | None:
        return as_date(self.date)


@dataclass(frozen=True, slots=True)
class Options:
    """How ties are weighed: a time window and an optional half-life for decay."""

    since: date | None = None
    until: date | None = None
    half_life_days: float | None = None
    theatre: str | None = None  # ISO3 code or country name


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

    def camp_of(self, node: str) -> int | None:
        return next((i for i, camp in enumerate(self.camps) if node in camp), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "theatre": self.name,
            "country": self.country,
            "camps": [[actor_dict(self.nodes[n]) for n in camp] for camp in self.camps],
            "neutral": [actor_dict(self.nodes[n]) for n in self.neutral],
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
                members[self.nodes[node].id] = [tie_dict(t, w) for w, t in inside[:_EVIDENCE]]
        for link in self.links:
            ca, cb = self.camp_of(link.a), self.camp_of(link.b)
            if ca is not None and cb is not None and ca != cb:
                across += [(w, tie_dict(t, w)) for t, w in link.ties if w < 0]
        across.sort(key=lambda p: p[0])
        return {"members": members, "between_camps": [d for _, d in across[: 3 * _EVIDENCE]]}


def actor_dict(actor: Actor) -> dict[str, Any]:
    """An actor as the extract contract gives it."""
    return {
        "id": actor.id,
        "name": actor.name,
        "country": actor.country,
        "sector": actor.sector,
        "code": actor.code,
    }


def tie_dict(tie: Tie, weight: float | None = None) -> dict[str, Any]:
    """A tie as evidence: the event, its weight and the first sentence that reports it."""
    first = tie.evidence[0] if tie.evidence else None
    out = {
        "event": tie.id,
        "type": tie.type,
        "mode": tie.mode,
        "source": actor_dict(tie.source),
        "target": actor_dict(tie.target),
        "date": tie.date,
        "modality": tie.modality,
        "articles": tie.articles,
        "sentence": first.sentence if first else None,
        "article": first.article_id if first else None,
    }
    if weight is not None:
        out["weight"] = round(weight, 3)
    return out


# Dates ----------------------------------------------------------------------------------------
def as_date(value: str | None) -> date | None:
    """The first day a TIMEX3-style value covers (``2020-06-14``, ``2020-W24``, ``2020-06``)."""
    if not value:
        return None
    try:
        if "W" in value:
            year, week = value.split("-W")
            return date.fromisocalendar(int(year), int(week[:2]), 1)
        parts = value[:10].split("-")
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1)
        return date(int(parts[0]), 1, 1)
    except ValueError:
        return None


# Ties from extraction results ----------------------------------------------------------------
def ties_from_results(results: Iterable[ArticleResult]) -> list[Tie]:
    """Ties of extracted articles; one event told by several articles is one tie."""
    merged: dict[str, Tie] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    for result in results:
        places = [(m.start, m.actor.country) for m in result.mentions if m.actor.country]
        for ev in result.events:
            if ev.target is None or ev.target.implied or ev.target.actor.id == ev.source.actor.id:
                continue  # an implied recipient (a domestic act's own country) is no tie
            eid = event_id(ev)
            sources[eid].add(result.article.id)
            said = Evidence(result.article.id, ev.sentence, ev.modality)
            context = tuple(
                dict.fromkeys(c for s, c in places if ev.sentence_start <= s < ev.sentence_end)
            )
            old = merged.get(eid)
            if old is None:
                merged[eid] = Tie(
                    eid,
                    ev.type,
                    ev.mode,
                    ev.source.actor,
                    ev.target.actor,
                    ev.date,
                    ev.modality,
                    ev.confidence,
                    1,
                    ev.location.country if ev.location else None,
                    context,
                    (said,),
                )
            else:
                merged[eid] = _merge(old, said, context, len(sources[eid]))
    return list(merged.values())


def ties_from_store(store: Any, since: date | None = None, until: date | None = None) -> list[Tie]:
    """Ties of the events in a store (``Store.ties`` rows)."""
    return [_tie_of_row(row) for row in store.ties(since, until)]


def _tie_of_row(row: dict[str, Any]) -> Tie:
    def actor(p: str) -> Actor:
        return Actor(
            id=row[p + "id"],
            name=row[p + "name"],
            country=row[p + "country"],
            sector=row[p + "sector"],
            kind=row[p + "kind"] or "unknown",
            cameo=row[p + "code"],
        )

    said = zip(
        row["report_articles"] or [], row["sentences"] or [], row["modalities"] or [], strict=True
    )
    return Tie(
        id=row["id"],
        type=row["type"],
        mode=row["mode"],
        source=actor("s_"),
        target=actor("t_"),
        date=row["date"],
        modality=row["modality"],
        confidence=row["confidence"],
        articles=max(1, row["articles"] or 1),
        location_country=row["location"],
        context=tuple(dict.fromkeys(row["context"] or [])),
        evidence=tuple(Evidence(a, s, m) for a, s, m in said),
    )


def _merge(old: Tie, said: Evidence, context: tuple[str, ...], articles: int) -> Tie:
    """Another report of the same event: the surer modality wins, the evidence adds up."""
    surer = MODALITY.get(said.modality, 0) > MODALITY.get(old.modality, 0)
    return replace(
        old,
        modality=said.modality if surer else old.modality,
        articles=articles,
        context=tuple(dict.fromkeys(old.context + context)),
        evidence=(*old.evidence, said),
    )


# Theatres and nodes --------------------------------------------------------------------------
def _party_country(actor: Actor) -> str | None:
    """The country whose internal conflict an actor is a party to (rebels, insurgents...)."""
    if actor.kind != "country" and actor.sector in _PARTY_SECTORS:
        return actor.country
    return None


def _is_state(actor: Actor) -> bool:
    """The state itself (or a place in it), or its government, forces or officials, not a
    named armed group."""
    return actor.country is not None and (
        (actor.kind in ("country", "place") and actor.sector is None)
        or (actor.kind != "group" and actor.sector in _STATE_SECTORS)
    )


def _bare_state(actor: Actor, members: set[str]) -> bool:
    """The theatre's country named as a country or place, not as a government or force."""
    return actor.country in members and actor.kind in ("country", "place") and not actor.sector


def usable_target(actor: Actor) -> bool:
    """Whether an actor is an identified party: not an unresolved name, not a bystander."""
    return actor.code != "UNK" and actor.sector not in _BYSTANDERS


def usable(tie: Tie) -> bool:
    return usable_target(tie.source) and usable_target(tie.target)


def find_theatres(ties: Iterable[Tie]) -> dict[str, str]:
    """Countries with a conflict, each mapped to the theatre it belongs to (states at war with
    each other share one theatre, named by the country more attacks fall on)."""
    ties = list(ties)
    mass: Counter[str] = Counter()
    struck: Counter[str] = Counter()
    wars: set[tuple[str, str]] = set()
    for tie in ties:
        for country in {_party_country(a) for a in (tie.source, tie.target)} - {None}:
            mass[str(country)] += 1
        s, t = tie.source.country, tie.target.country
        if tie.type in ("ASSAULT", "COERCE") and t and s != t and usable_target(tie.target):
            mass[t] += 1  # an unclaimed strike ("missiles hit Kyiv") counts too
            struck[t] += 1
            if s:
                struck[s] -= 1
            if s and _is_state(tie.source) and _is_state(tie.target):
                wars.add((s, t))
    found = {c for c, n in mass.items() if n >= _MIN_MASS}
    parent = {c: c for c in found}

    def root(c: str) -> str:
        while parent[c] != c:
            c = parent[c]
        return c

    for a, b in sorted(wars):
        if a in parent and b in parent:
            ra, rb = root(a), root(b)
            if ra != rb:
                # the country attacked more than it attacks names the war
                keep, drop = sorted((ra, rb), key=lambda c: (-struck[c], c))
                parent[drop] = keep
    return {c: root(c) for c in sorted(found)}


def theatre_of(tie: Tie, theatres: dict[str, str]) -> str | None:
    """The theatre an event belongs to: its most local party's, else where it happened, else
    the one its sentence names."""

    def rank(actor: Actor) -> int:
        if actor.country not in theatres:
            return 0
        return 1 if actor.kind in ("country", "place") else 2

    best = max((tie.target, tie.source), key=rank)  # the target first when equally local
    if rank(best):
        return theatres[best.country or ""]
    if tie.location_country in theatres:
        return theatres[tie.location_country or ""]
    return next((theatres[c] for c in tie.context if c in theatres), None)


def place_ties(ties: list[Tie], theatres: dict[str, str]) -> Iterator[tuple[Tie, str]]:
    """Each tie with its theatre; a tie with none of its own takes its article's main one."""
    placed = {t.id: theatre_of(t, theatres) for t in ties}
    per_article: dict[str, Counter[str]] = defaultdict(Counter)
    for tie in ties:
        if (where := placed[tie.id]) is not None:
            for art in {e.article_id for e in tie.evidence}:
                per_article[art][where] += 1
    for tie in ties:
        where = placed[tie.id]
        if where is None and ALIGNMENT.get(tie.type):
            # only a tie that counts for the camps; contact placed by article alone would list
            # every visitor the story mentions as a neutral party of its war
            votes: Counter[str] = Counter()
            for art in {e.article_id for e in tie.evidence}:
                counts = per_article.get(art)
                if counts:
                    top, n = counts.most_common(1)[0]
                    if n > _MAIN_SHARE * sum(counts.values()):
                        votes[top] += 1
            where = votes.most_common(1)[0][0] if votes else None
        if where is not None:
            yield tie, where


def node_of(actor: Actor, theatre: str, members: Iterable[str] = ()) -> str:
    """The graph node an actor stands for in a theatre."""
    home = actor.country == theatre or actor.country in members
    if _is_state(actor):
        return f"{actor.country}GOV" if home else str(actor.country)
    if actor.kind in ("group", "igo") or actor.country is None:
        return actor.id
    return actor.code


# Weighing ------------------------------------------------------------------------------------
def weigh(tie: Tie, options: Options, reference: date | None) -> float:
    """The signed weight of one tie for the camps (0 for diplomacy and negated reports)."""
    base = ALIGNMENT.get(tie.type, 0.0)
    if not base or (tie.type == "SUPPORT" and tie.mode == "sign"):
        return 0.0  # diplomacy; signing a deal is what enemies do to end a war
    w = base * MODALITY.get(tie.modality, 0.5) * tie.confidence * (1 + math.log(tie.articles))
    if options.half_life_days and reference is not None and (day := tie.day) is not None:
        age = max(0, (reference - day).days)
        w *= 0.5 ** (age / options.half_life_days)
    return w


def in_window(tie: Tie, options: Options) -> bool:
    if options.since is None and options.until is None:
        return True
    day = tie.day
    if day is None:
        return False
    return (options.since is None or day >= options.since) and (
        options.until is None or day <= options.until
    )


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


def _camps_and_neutral(
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
    civil_war = any(_party_country(a) in members for tie in ties for a in (tie.source, tie.target))
    for tie in ties:
        a = node_of(tie.source, country, members)
        b = node_of(tie.target, country, members)
        if a == b:
            continue
        seen[a][tie.source] += 1
        seen[b][tie.target] += 1
        local |= {n for n, actor in ((a, tie.source), (b, tie.target)) if actor.country in members}
        w = weigh(tie, options, reference)
        if civil_war and tie.type == "AID" and _bare_state(tie.target, members):
            # "sent jets to Libya" in a civil war arms a side the words do not name (while
            # "backs Damascus" names the government by its capital)
            w = 0.0
        if tie.type in _FIGHTING and w:
            fighters |= {a, b}
        link_ties[(min(a, b), max(a, b))].append((tie, w))
    weights = {pair: sum(w for _, w in tw) for pair, tw in link_ties.items()}
    weights = {pair: w for pair, w in weights.items() if w}
    camps, neutral = _camps_and_neutral(weights, fighters, local)
    in_camps = {n for c in camps for n in c}
    tied = {x for a, b in link_ties for x, y in ((a, b), (b, a)) if y in in_camps}
    contacts = sorted(n for n in seen if n not in in_camps and n not in neutral and n in tied)
    nodes = {n: _representative(n, counts) for n, counts in seen.items()}
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
    )


def _representative(node: str, counts: Counter[Actor]) -> Actor:
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


# Rivals and backers --------------------------------------------------------------------------
def rivals(
    ties: Iterable[Tie], options: Options | None = None, min_theatres: int = 2
) -> list[dict[str, Any]]:
    """Pairs of actors on opposite sides in ``min_theatres`` or more theatres, with their
    contact (meetings, agreements) meanwhile."""
    options = options or Options()
    ties = [t for t in ties if in_window(t, options)]
    theatres = sides(ties, replace(options, theatre=None))
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
                "a": actor_dict(shown[a]),
                "b": actor_dict(shown[b]),
                "theatres": [{"theatre": t.name, "country": t.country} for t in where],
                "contact": bool(contact),
                "contacts": [tie_dict(t) for t in contact[:_EVIDENCE]],
            }
        )
    out.sort(key=lambda r: (-len(r["theatres"]), not r["contact"], r["a"]["id"], r["b"]["id"]))
    return out


def _state_or_self(actor: Actor) -> str:
    return str(actor.country) if _is_state(actor) else node_of(actor, "")


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
        if _is_state(actor):
            actor = _representative(key, Counter([actor]))
        rows.append(
            {
                "actor": actor_dict(actor),
                "weight": round(entry["weight"], 3),
                "years": {str(y): round(v, 3) for y, v in sorted(entry["years"].items())},
                "events": [e for _, e in sorted(entry["events"], key=lambda p: -p[0])][:_EVIDENCE],
            }
        )
    rows.sort(key=lambda r: (-abs(r["weight"]), r["actor"]["id"]))
    return {
        "actor": actor_dict(found) if found else None,
        "backers": [r for r in rows if r["weight"] > 0],
        "opponents": [r for r in rows if r["weight"] < 0],
    }


# Graph export --------------------------------------------------------------------------------
def graph_json(theatres: Iterable[Theatre]) -> dict[str, Any]:
    """Nodes (with their camp in each theatre) and signed, weighted edges per theatre."""
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for th in theatres:
        for node, actor in th.nodes.items():
            entry = nodes.setdefault(
                node, {**actor_dict(actor), "actor_id": actor.id, "id": node, "camps": {}}
            )
            camp = th.camp_of(node)
            entry["camps"][th.country] = camp if camp is not None else "neutral"
        for link in th.links:
            if not link.weight:
                continue
            edges.append(
                {
                    "source": link.a,
                    "target": link.b,
                    "theatre": th.country,
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
