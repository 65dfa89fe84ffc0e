"""PLOVER's coding conventions, where they differ from what allegiance keeps: intent folded
into the type, the recipient a type requires, the domestic recipient, the sentence's main act.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from ...knowledge import sectors
from ...knowledge.lexicon import Lexicon
from ...records import Event
from .arguments import Arg
from .parse import below_clause

# Types of acts that help the other side, and of acts against it. They define the PLOVER
# view (``plover_view``), a function of a type and a modality that needs no lexicon, so they
# are part of the convention rather than of the tunable lexicon.
COOPERATIVE = frozenset(["CONSULT", "AID", "COOPERATE", "CONCEDE", "RETREAT", "SUPPORT"])
FORCEFUL = frozenset(["ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"])


def plover_view(kind: str, modality: str) -> str:
    """The type under PLOVER's coding conventions, which fold intent into the type: a planned
    or promised act of cooperation is AGREE, of force THREATEN, and a refused act of
    cooperation REJECT. allegiance keeps the act and its modality apart (a planned visit is
    CONSULT, planned); this view is what PLOVER-coded data sets compare with."""
    if modality == "negated" and kind in COOPERATIVE | {"AGREE"}:
        return "REJECT"
    if modality == "planned" and kind in COOPERATIVE:
        return "AGREE"
    if modality == "planned" and kind in FORCEFUL:
        return "THREATEN"
    return kind


def coded(lex: Lexicon, plover: str, target: Arg | None) -> str | None:
    """The PLOVER type, or None where PLOVER would not code the event: cooperation, aid and
    sanctions require a recipient (PLOVER manual, "Requires recipient: Yes")."""
    return None if target is None and plover in lex.type_classes.needs_recipient else plover


def acts_at_home(lex: Lexicon, arg: Arg, doc: Doc) -> bool:
    """An actor of a home sector, or a country's people ("Algerians", "Kenyan farmers"),
    not the country as a state ("Kenya", "Kenyan")."""
    actor = arg.mention.actor
    if actor.sector in sectors.HOME:
        return True
    span = doc.char_span(arg.start, arg.end, alignment_mode="expand")
    return (
        actor.kind == "country"
        and actor.sector is None
        and span is not None
        and span.root.tag_ in ("NNS", "NNPS")
    )


def two_sides(source: Arg, target: Arg, kind: str) -> bool:
    """Whether a pair names two sides: different actors, or for an act of force the same
    country named apart ("Greek farmers would blockade Athens" is GRC -> GRC, as PLOVER codes
    a domestic act)."""
    if source.mention.actor.id != target.mention.actor.id:
        return True
    apart = source.end <= target.start or target.end <= source.start
    named = not target.indirect and not target.mention.rule.startswith("pronoun")
    return kind in FORCEFUL and apart and named and target.mention.actor.kind == "country"


def main_acts(found: list[tuple[Token, Event]]) -> Iterator[Event]:
    """The events of one sentence, an act in a clause below another act's clause taking no
    PLOVER type: PLOVER codes the sentence's main act, and a purpose ("began a strike to
    demand reforms"), a manner ("opened fire, killing one"), a relative ("who overran it")
    or a background clause ("resigned as the opposition threatened") describes it. allegiance
    keeps those acts, with their own type, for the graph. An act that names no recipient
    first takes the one its purpose clause names (``_aimed``)."""
    found = [(verb, aimed) for verb, ev in found for aimed in _aimed(verb, ev, found)]
    clauses = {verb.i for verb, ev in found if ev.plover is not None}
    for verb, ev in found:
        if ev.plover is not None and below_clause(verb, clauses):
            ev = dataclasses.replace(ev, plover=None)
        yield ev


# An act's purposes that name its recipient: what a protest demands, denounces or rejects;
# whom aid is given to support, help or work with.
_PURPOSES = {
    "PROTEST": frozenset(["REQUEST", "ACCUSE", "REJECT"]),
    "AID": frozenset(["SUPPORT", "AID", "COOPERATE"]),
}


def _at_home(ev: Event) -> bool:
    """An event with no recipient but its source's own country (implied, or a place there)."""
    target = ev.target
    if target is None or target.implied:
        return True
    return target.actor.kind == "country" and target.actor.id == ev.source.actor.country


def _aimed(verb: Token, ev: Event, found: list[tuple[Token, Event]]) -> Iterator[Event]:
    """An act that names no recipient, aimed at whom its purpose clause names: "staged rallies
    to demand reforms from the president" is a PROTEST against the president (PLOVER codes a
    demand made by demonstrating as PROTEST, and not the protest's topic apart), "provided $5
    million to support Afghan refugees" AID to the refugees. The purpose keeps its own type
    for the graph, below the act (``main_acts``)."""
    wanted = _PURPOSES.get(ev.type)
    if wanted is None or not _at_home(ev):
        yield ev
        return
    purposes = [
        other
        for below, other in found
        if other.type in wanted
        and other.source.actor.id == ev.source.actor.id
        and other.target is not None
        and not other.target.implied
        and other.target.actor.id != ev.source.actor.id
        and below.i != verb.i
        and below_clause(below, {verb.i})
    ]
    if not purposes:
        yield ev
        return
    for purpose in purposes:
        yield dataclasses.replace(
            ev,
            target=purpose.target,
            confidence=max(ev.confidence, purpose.confidence),
            plover=plover_view(ev.type, ev.modality),
            rule=f"{ev.rule}; recipient: its purpose",
        )
