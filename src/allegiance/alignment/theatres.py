"""Theatres and nodes: which conflicts the events make, which events belong to which, and
which actors count as one node in a theatre."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from ..knowledge import sectors
from ..knowledge.groups import fielding_parties, leaders
from ..records import Actor
from .ties import Tie
from .weights import ALIGNMENT

# A country is a theatre from this much confidence in events of a party to its conflict or
# attacks on it (one stray "rebels" is more often a resolution slip than a war); two states
# are at war from as much in attacks between them, each one of at least _SURE. Counting by
# confidence matters for the learned coder's many uncertain events: on news.dev's camps it
# keeps 69% of 45 camp pairs agreeing where counting events gave 65% of 46 and spurious wars
# merged unrelated theatres; the rules' camps are the same either way (61% of 18). The
# mass must come from two events at least: one sentence that names a party and an attack
# counts twice, and is still one sentence.
_MIN_MASS = 1.0
_MIN_EVENTS = 2
_SURE = 0.5
# An article's ties without a theatre of their own go to the article's main theatre when
# it holds more than this share of the article's placed ties.
_MAIN_SHARE = 0.5


# Theatres and nodes --------------------------------------------------------------------------
def party_country(actor: Actor) -> str | None:
    """The country whose internal conflict an actor is a party to (rebels, insurgents, a
    party that fields fighters such as Hamas)."""
    if actor.kind != "country" and actor.sector in sectors.ARMED_PARTIES:
        return actor.country
    if actor.kind == "group" and actor.sector == "PTY" and actor.id in fielding_parties():
        return actor.country
    return None


def is_state(actor: Actor) -> bool:
    """The state itself (or a place in it), or its government, forces or officials, not a
    named armed group."""
    return actor.country is not None and (
        (actor.kind in ("country", "place") and actor.sector is None)
        or (actor.kind != "group" and actor.sector in sectors.STATE)
    )


def bare_state(actor: Actor, members: set[str]) -> bool:
    """The theatre's country named as a country or place, not as a government or force."""
    # (a state acting under its own name carries GOV, as the resolver codes "Libya said")
    return (
        actor.country in members
        and actor.kind in ("country", "place")
        and actor.sector in (None, "GOV")
    )


def usable_target(actor: Actor) -> bool:
    """Whether an actor is an identified party: not an unresolved name, not a bystander."""
    return actor.code != "UNK" and actor.sector not in sectors.BYSTANDERS


def usable(tie: Tie) -> bool:
    return usable_target(tie.source) and usable_target(tie.target)


def find_theatres(ties: Iterable[Tie]) -> dict[str, str]:
    """Countries with a conflict, each mapped to the theatre it belongs to (states at war with
    each other share one theatre, named by the country more attacks fall on)."""
    ties = list(ties)
    # Each event counts by its confidence: a run of improbable events does not make a war.
    mass: Counter[str] = Counter()
    internal: Counter[str] = Counter()  # mass of parties to a country's own war
    struck: Counter[str] = Counter()
    wars: Counter[tuple[str, str]] = Counter()
    by_name: Counter[tuple[str, str]] = Counter()  # of those, strikes on a bare country
    seen: Counter[str] = Counter()  # events of evidence: one sentence is no war
    for tie in ties:
        for country in set(evidence := war_evidence(tie)):
            seen[country] += 1
        for country in evidence:
            mass[country] += tie.confidence
        for country in {c for a in (tie.source, tie.target) if (c := party_country(a))}:
            internal[country] += tie.confidence
        s, t = tie.source.country, tie.target.country
        if tie.type in ("ASSAULT", "COERCE") and t and s != t and usable_target(tie.target):
            struck[t] += tie.confidence
            if s:
                struck[s] -= tie.confidence
            if s and is_state(tie.source) and is_state(tie.target) and tie.confidence >= _SURE:
                wars[(s, t)] += tie.confidence
                if bare_state(tie.target, {t}):
                    by_name[(s, t)] += tie.confidence
    found = {c for c, n in mass.items() if n >= _MIN_MASS and seen[c] >= _MIN_EVENTS}
    # Strikes on a country at civil war named only by its name ("US strikes in Afghanistan")
    # hit a side the words do not name, most often the insurgents: no war between states.
    for (s, t), n in by_name.items():
        if internal[t] >= _MIN_MASS:
            wars[(s, t)] -= n
    parent = {c: c for c in found}

    def root(c: str) -> str:
        while parent[c] != c:
            c = parent[c]
        return c

    for a, b in sorted(pair for pair, n in wars.items() if n >= _MIN_MASS):
        if a in parent and b in parent:
            ra, rb = root(a), root(b)
            if ra != rb:
                # the country attacked more than it attacks names the war
                keep, drop = sorted((ra, rb), key=lambda c: (-struck[c], c))
                parent[drop] = keep
    return {c: root(c) for c in sorted(found)}


def war_evidence(tie: Tie) -> list[str]:
    """The countries an event is evidence of a war in, once for each reason: a party to its
    internal war takes part, two of its armed organisations fight each other (the LNA and
    the GNA), or it is attacked from outside (an unclaimed strike, "missiles hit Kyiv", too)."""
    found = sorted({c for a in (tie.source, tie.target) if (c := party_country(a))})
    s, t = tie.source.country, tie.target.country
    if tie.type == "ASSAULT" and s and s == t and _factions(tie):
        found.append(s)
    if tie.type in ("ASSAULT", "COERCE") and t and s != t and usable_target(tie.target):
        found.append(t)
    return found


def _factions(tie: Tie) -> bool:
    """Two parties of one country fighting each other, one of them a named armed group or
    force (the LNA against the GNA), not a state and its people."""
    a, b = tie.source, tie.target
    return (
        a.id != b.id
        and usable(tie)
        and "group" in (a.kind, b.kind)
        and not (a.kind == "country" or b.kind == "country")
    )


def theatre_of(tie: Tie, theatres: dict[str, str]) -> str | None:
    """The theatre an event belongs to: its most local party's, else where it happened, else
    the one its sentence names."""

    def rank(actor: Actor) -> int:
        if actor.country not in theatres:
            return 0
        return 1 if actor.kind in ("country", "place") else 2

    best = max((tie.target, tie.source), key=rank)  # the target first when equally local
    if rank(best) and _belongs(tie, best, theatres):
        return theatres[best.country or ""]
    other = tie.source if best is tie.target else tie.target
    if rank(other) and _belongs(tie, other, theatres):
        return theatres[other.country or ""]
    # where it happened, or a country its sentence names, only as a war's own country: a
    # meeting in Washington is no event of the Afghan war the US fights in
    if theatres.get(tie.location_country or "") == tie.location_country:
        return tie.location_country
    return next((c for c in tie.context if theatres.get(c) == c), None)


def _belongs(tie: Tie, party: Actor, theatres: dict[str, str]) -> bool:
    """Whether a party places a tie in its theatre: a party of the theatre's own country
    does; a foreign state at war there (the US, merged into Afghanistan's theatre) only
    with the other party or the place of the event in that theatre too, so that its
    dealings with Colombia or Venezuela stay out of the Afghan war."""
    where = theatres[party.country or ""]
    if party.country == where:
        return True
    other = tie.source if party is tie.target else tie.target
    abroad = other.country != party.country and theatres.get(other.country or "") == where
    return abroad or tie.location_country == where


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
    """The graph node an actor stands for in a theatre; a commander acting as such stands
    for his group (Haftar for the Libyan National Army)."""
    if actor.kind == "person" and actor.sector in sectors.NON_STATE:
        group = leaders().get(actor.id)
        if group is not None:
            return group
    home = actor.country == theatre or actor.country in members
    if is_state(actor):
        return f"{actor.country}GOV" if home else str(actor.country)
    if actor.kind in ("group", "igo") or actor.country is None:
        return actor.id
    if actor.kind in ("person", "org") and not actor.sector:
        # a person of unknown role that day, or a body of unknown kind, is not its state
        return actor.id
    return actor.code
