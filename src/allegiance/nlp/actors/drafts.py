"""Mentions in the making: the mutable draft the actor passes share, and their word lists.

Internal to the actors stage (actors, compounds, coref); the stage hands out frozen Mentions.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ...knowledge import sectors
from ...knowledge.kb import KnowledgeBase, fold
from ...records import Actor

# Entity labels that never name an actor, even when a token spells a known name ("May").
NOT_ACTOR_ENTS = frozenset(["DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"])
# A name after one of these prepositions is where something happens, not who does it.
# Nouns whose "of X" or "X ..." names a place ("the city of Goma", "the Kalbajar district").
SETTLEMENTS = frozenset(
    ["city", "town", "village", "capital", "province", "region", "district", "districts"]
)

PLACE_PREPS = frozenset(
    [
        "in",
        "at",
        "near",
        "into",
        "inside",
        "outside",
        "across",
        "around",
        "throughout",
        "within",
        "towards",
        "toward",
        "onto",
    ]
)
# Country-like kinds: a place when used as one, the state otherwise.
# Words that put a title in the past: "former president", "ex-minister".
FORMER = frozenset(["former", "ex", "ex-", "erstwhile", "onetime", "one-time"])
COUNTRYISH = frozenset(["country", "former", "capital", "seat", "demonym"])
# Kinds preferred when one alias names several entries.
KIND_RANK = {
    "person": 0,
    "group": 1,
    "igo": 2,
    "country": 3,
    "former": 4,
    "capital": 5,
    "seat": 6,
    "demonym": 7,
    "surname": 8,
}
# Head nouns that stand for the group or person modifying them ("the Wagner group").
COLLECTIVES = frozenset(
    [
        "group",
        "groups",
        "movement",
        "organisation",
        "organization",
        "faction",
        "wing",
        "brigade",
        "brigades",
        "unit",
        "units",
        "network",
        "company",
        "firm",
        "camp",
        "side",
    ]
)
# Longest multi-word agent noun looked for ("self - defence groups" is four tokens).
MAX_AGENT_WORDS = 4


@dataclass(slots=True)
class Draft:
    """A mention being resolved: token span, actor so far, and the rule that said so."""

    start: int  # token offsets
    end: int
    actor: Actor
    rule: str
    kind: str = ""
    is_place: bool = False
    head: int = -1  # the token that carries the mention in the parse
    lat: float | None = None
    lon: float | None = None
    text: str = ""


def by_token(drafts: list[Draft]) -> dict[int, Draft]:
    """Each token index to the draft covering it (later drafts win)."""
    return {i: d for d in drafts for i in range(d.start, d.end)}


def agent_at(kb: KnowledgeBase, doc: Doc, tok: Token) -> tuple[str | None, int]:
    """The sector of the agent noun ending at tok (longest phrase first) and its start.

    A phrase opening on a coordinated word is skipped: in "foreign and defence ministers"
    the noun is "ministers", not "defence ministers".
    """
    tail = fold(tok.text)
    if tail in _STAFF and tok.i > 0 and doc[tok.i - 1].dep_ in ("compound", "amod", "nmod"):
        # "army spokesman", "police officials", "military authorities": the service's staff
        service, first = agent_at(kb, doc, doc[tok.i - 1])
        if service in _SERVICES:
            return service, first
    if tail not in kb.agent_tails:  # most words end no multi-word agent noun
        return kb.agents.get(tail) or kb.agents.get(fold(tok.lemma_)), tok.i
    for n in range(MAX_AGENT_WORDS, 1, -1):
        first = tok.i - n + 1
        if first < 0 or doc[first].dep_ == "conj":
            continue
        phrase = " ".join(fold(t.text) for t in doc[first : tok.i + 1])
        if phrase in kb.agents:
            return kb.agents[phrase], first
    return kb.agents.get(fold(tok.text)) or kb.agents.get(fold(tok.lemma_)), tok.i


# Words for the people who speak or act for a body: after the name of a service or an armed
# or political body ("army", "police", "rebel", "opposition") they are its, not the
# government's ("deputy spokesman" stays the government's). Leaders and chiefs are left out:
# a known one keeps his own entry's sector ("militia leader Khalifa Haftar" is no militia).
_STAFF = frozenset(
    "spokesman spokeswoman spokesperson spokesmen spokeswomen spokespeople official officials "
    "authorities source sources personnel leadership command".split()
)
_SERVICES = frozenset(["MIL", "COP", "SPY", "REB", "INS", "UAF", "SEP", "OPP", "PTY"])


def country_agent(kb: KnowledgeBase, demonyms: dict[str, str], iso3: str, sector: str) -> Actor:
    """The actor for a country's sector: ("SYR", "REB") -> SYRREB "Syrian rebels"."""
    country = kb.countries.get(iso3)
    adjective = demonyms.get(iso3) or (country.name if country else iso3)
    return Actor(
        id=f"{iso3}{sector}",
        name=f"{adjective} {sectors.NOUNS.get(sector, sector)}",
        country=iso3,
        sector=sector,
        kind="agent",
    )


def first_demonyms(kb: KnowledgeBase) -> dict[str, str]:
    """Each country's first demonym, for naming its agents ("Syrian")."""
    found: dict[str, str] = {}
    for entries in kb.index.values():
        for e in entries:
            if e.kind == "demonym" and e.actor.country and e.actor.country not in found:
                found[e.actor.country] = " ".join(e.tokens)
    return found


def for_body(title: str | None) -> bool:
    """Whether a title says only what post someone holds in the body named before it: none,
    or a generic post alone ("leader", "director", "spokesman"), not an office of state
    ("Labour Prime Minister", "Tory Home Secretary", "Green MEP")."""
    return title is None or fold(title) in GENERIC_TITLES


# Posts any body has: in "<body> <post> <name>" the body says what he is.
GENERIC_TITLES = frozenset(
    "leader leaders chief head director chairman chairwoman chair co-chairman co-chair "
    "president spokesman spokeswoman spokesperson coordinator co-ordinator official "
    "officials member candidate secretary deputy commander founder boss".split()
)
