"""The type overrides: an ordered, named table of the cases where a trigger's arguments or
its clause change the type (or mode) its construction gave it, or drop it.

Each override applies at one phase of reading a trigger's arguments (``OBJECTS``: after the
construction's own objects, before the targets a complement clause gives; ``ARGUMENTS``:
after every source and target; ``EVENT``: to every trigger, also those read whole), to the
constructions it names (all when ``on`` is None), in the order of ``OVERRIDES``; an earlier
override's change is what a later one sees. The names of those that fired go into the
event's ``rule``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from ...knowledge import sectors
from ...knowledge.lexicon import Lexicon
from .arguments import Arg
from .constructions import Construction, object_type
from .parse import children, clause_verb, expand, infinitives
from .plover import FORCEFUL

OBJECTS, ARGUMENTS, EVENT = "objects", "arguments", "event"
_SCORE = re.compile(r"\b\d{1,3}-\d{1,3}\b")  # "6-1 6-4", "2-0": a game's score


@dataclass(frozen=True, slots=True)
class Reading:
    """A trigger as its arguments are read: what the overrides look at and change."""

    token: Token
    construction: Construction
    kind: str
    mode: str | None
    sentence: Span
    sources: tuple[Arg, ...] = ()
    targets: tuple[Arg, ...] = ()
    fired: tuple[str, ...] = ()  # names of the overrides that changed it

    @property
    def lemma(self) -> str:
        return self.token.lemma_.lower()


Condition = Callable[[Lexicon, Reading], bool]
Change = Callable[[Lexicon, Reading], tuple[str, str | None]]


@dataclass(frozen=True, slots=True)
class Override:
    """When a reading is taken otherwise: ``then`` gives the new type and mode (None drops
    the trigger: no event)."""

    name: str
    phase: str
    on: frozenset[str] | None  # the constructions it applies to; None: all
    when: Condition
    then: Change | None


def apply(phase: str, lex: Lexicon, reading: Reading) -> Reading | None:
    """The reading after the overrides of one phase, in table order; None if one drops it."""
    for o in OVERRIDES:
        if o.phase != phase or (o.on is not None and reading.construction.name not in o.on):
            continue
        if not o.when(lex, reading):
            continue
        if o.then is None:
            return None
        kind, mode = o.then(lex, reading)
        reading = dataclasses.replace(reading, kind=kind, mode=mode, fired=(*reading.fired, o.name))
    return reading


def _to(kind: str, mode: str | None) -> Change:
    """A change to a fixed type and mode."""
    return lambda lex, r: (kind, mode)


def _keeping_mode(kind: str) -> Change:
    """A change of type that keeps the mode."""
    return lambda lex, r: (kind, r.mode)


# OBJECTS ------------------------------------------------------------------------------------
def _verbal_attack(lex: Lexicon, r: Reading) -> bool:
    """ "a scathing attack on the minister" is words, not force."""
    return r.kind == "ASSAULT" and any(c.lower_ in lex.words.verbal for c in r.token.children)


def _aid_object_mode(lex: Lexicon, verb: Token) -> str | None:
    """What a sending's object makes of it: "sent troops" military aid, "sent food"
    humanitarian."""
    for obj in expand(children(verb, "dobj")):
        words = [obj.lower_, obj.lemma_.lower()] + [c.lower_ for c in obj.children]
        for w in words:
            if w in lex.aid_modes:
                return lex.aid_modes[w]
    return None


def _aid_named(lex: Lexicon, r: Reading) -> bool:
    return r.kind == "AID" and _aid_object_mode(lex, r.token) is not None


def _aid_mode(lex: Lexicon, r: Reading) -> tuple[str, str | None]:
    return r.kind, _aid_object_mode(lex, r.token)


def _disapproves_a_proposal(lex: Lexicon, r: Reading) -> bool:
    """ "slammed the peace plan" rejects it."""
    if r.kind != "ACCUSE":
        return False
    for obj in children(r.token, "dobj"):
        words = {obj.lower_, obj.lemma_.lower()}
        words |= {f"{c.lower_} {obj.lower_}" for c in obj.children if c.dep_ == "compound"}
        if words & lex.rejectable:
            return True
    return False


def _found_guilty(lex: Lexicon, r: Reading) -> bool:
    """ "a court found X guilty": a conviction."""
    return r.lemma == "find" and any(c.lower_ in lex.words.guilty for c in r.token.subtree)


def _asks_punishment(lex: Lexicon, r: Reading) -> bool:
    """A request for sanctions, an inquiry or a trial; or calling someone names."""
    if r.kind not in ("REQUEST", "CONSULT"):
        return False
    verb = r.token
    if r.lemma == "call" and children(verb, "oprd"):
        return True
    asked = children(verb, "dobj") + [
        o for p in children(verb, "prep") if p.lower_ == "for" for o in children(p, "pobj")
    ]
    return any(o.lower_ in lex.punitive or o.lemma_.lower() in lex.punitive for o in asked)


# ARGUMENTS ----------------------------------------------------------------------------------
def _protesters_use_force(lex: Lexicon, r: Reading) -> bool:
    """Protesters who burn a flag riot; workers who block a bridge protest."""
    return r.kind in ("ASSAULT", "COERCE") and any(
        a.mention.actor.sector in sectors.CIVILIAN
        or any(w in lex.protesters for w in a.text.lower().split())
        for a in r.sources
    )


def _protest_mode(lex: Lexicon, r: Reading) -> tuple[str, str | None]:
    return "PROTEST", "riot" if r.kind == "ASSAULT" else "obstruct"


def _vows_force(lex: Lexicon, r: Reading) -> bool:
    """ "vowed to retaliate", "swore to fight": a promise of force is a threat."""
    if r.kind != "AGREE":
        return False
    for comp in children(r.token, "xcomp", "ccomp") + infinitives(r.token):
        hit = object_type(lex, comp) or lex.verbs.get(comp.lemma_.lower(), ("",))[0]
        if hit in FORCEFUL:
            return True
    return False


def _ultimatum(lex: Lexicon, r: Reading) -> bool:
    """ "will withdraw its troops unless the junta holds elections": an act promised on a
    condition the other side must meet is a threat, whatever the act (PLOVER THREATEN;
    GUIDELINES: ultimatums). Only "unless" says the condition is the other side's to meet;
    "if" promises as often as it threatens."""
    if r.kind == "THREATEN":
        return False
    verb = r.token if r.token.pos_ in ("VERB", "AUX") else clause_verb(r.token)
    return any(
        m.dep_ == "mark" and m.lower_ == "unless"
        for c in children(verb, "advcl")
        for m in c.children
    )


def _commanded(lex: Lexicon, verb: Token) -> tuple[str, str | None] | None:
    """The act a command orders: its complement, an infinitive, a participle on its object
    ("ordered the ministers jailed") or its object noun ("ordered the arrest of")."""
    objects = children(verb, "dobj")
    clauses = children(verb, "xcomp", "ccomp") + infinitives(verb)
    clauses += [a for o in objects for a in children(o, "acl")]
    for comp in clauses:
        by_object = object_type(lex, comp)
        if by_object:
            return by_object, None
        if comp.lemma_.lower() in lex.verbs:
            return lex.verbs[comp.lemma_.lower()]
    return next((hit for o in objects if (hit := lex.nouns.get(o.lower_))), None)


def _orders_force(lex: Lexicon, r: Reading) -> bool:
    """An order to arrest, jail, ban or close is the orderer's coercion, not a request."""
    if r.kind != "REQUEST" or r.lemma not in lex.words.commands:
        return False
    ordered = _commanded(lex, r.token)
    return ordered is not None and ordered[0] == "COERCE"


def _ordered_mode(lex: Lexicon, r: Reading) -> tuple[str, str | None]:
    ordered = _commanded(lex, r.token)
    return "COERCE", ordered[1] if ordered else None


def _brings_aid(lex: Lexicon, r: Reading) -> bool:
    """Peacekeepers arriving, medicine flown in: a movement or a deployment that is aid."""
    if r.kind not in ("MOBILIZE", "CONSULT"):
        return False
    verb = r.token
    clause = verb if verb.pos_ in ("VERB", "AUX") else clause_verb(verb)
    words = {
        w
        for head in {verb, clause}
        for c in head.children
        if c.dep_ not in ("ccomp", "advcl", "relcl")
        for t in c.subtree
        for w in (t.lower_, t.lemma_.lower())
    }
    return bool(words & lex.aid_words) and r.lemma not in lex.words.meeting


def _purpose_type(lex: Lexicon, verb: Token) -> str | None:
    """What a sending or a call is for: "sent experts to investigate" is ACCUSE, "called
    the president to congratulate him" SUPPORT."""
    purposes = lex.purposes.get(verb.lemma_.lower())
    if purposes is None:
        return None
    for comp in children(verb, "xcomp", "advcl"):
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in comp.children):
            hit = lex.verbs.get(comp.lemma_.lower())
            if hit and hit[0] in purposes:
                return hit[0]
    return None


def _has_purpose(lex: Lexicon, r: Reading) -> bool:
    return _purpose_type(lex, r.token) is not None


def _purpose(lex: Lexicon, r: Reading) -> tuple[str, str | None]:
    return _purpose_type(lex, r.token) or r.kind, r.mode


def _government_protest(lex: Lexicon, r: Reading) -> bool:
    """A government's protest is a complaint."""
    return (
        r.kind == "PROTEST"
        and r.lemma == "protest"
        and any(
            a.mention.actor.kind in ("country", "igo") or a.mention.actor.sector == "GOV"
            for a in r.sources
        )
    )


def _rival_sides(lex: Lexicon, r: Reading) -> bool:
    """ "Turkey and Russia back opposing sides": rivals, not a backing of anyone named."""
    return r.kind == "SUPPORT" and any(
        o.lower_ in lex.words.sides
        and any(m.lower_ in lex.words.apart for m in o.children if m.dep_ == "amod")
        for o in children(r.token, "dobj")
    )


# EVENT --------------------------------------------------------------------------------------
def _sports_report(lex: Lexicon, r: Reading) -> bool:
    """ "beat Russia's Elena Bovina 6-1 6-4" is tennis: a contest verb in a sentence with a
    score or sports words."""
    if r.kind != "ASSAULT" or r.lemma not in lex.words.contest:
        return False
    sent = r.sentence
    return bool(_SCORE.search(sent.text)) or any(t.lower_ in lex.words.sport for t in sent)


_VERBS = frozenset(["verb", "agree-to"])

# In the order they apply: the order the extractor tested these cases in before they were a
# table.
OVERRIDES: tuple[Override, ...] = (
    Override("scathing attack", OBJECTS, frozenset(["light"]), _verbal_attack,
             _to("ACCUSE", "disapprove")),
    Override("aid mode", OBJECTS, _VERBS, _aid_named, _aid_mode),
    Override("slammed a proposal", OBJECTS, _VERBS, _disapproves_a_proposal,
             _keeping_mode("REJECT")),
    Override("found guilty", OBJECTS, _VERBS, _found_guilty, _to("ACCUSE", "convict")),
    Override("called for sanctions", OBJECTS, _VERBS, _asks_punishment,
             _to("ACCUSE", "disapprove")),
    Override("ordered force", OBJECTS, _VERBS, _orders_force, _ordered_mode),
    Override("protesters riot", ARGUMENTS, None, _protesters_use_force, _protest_mode),
    Override("vowed to retaliate", ARGUMENTS, _VERBS | {"willing"}, _vows_force,
             _keeping_mode("THREATEN")),
    Override("ultimatum", ARGUMENTS, None, _ultimatum, _keeping_mode("THREATEN")),
    Override("peacekeepers", ARGUMENTS, _VERBS | {"light"}, _brings_aid,
             _to("AID", "peacekeeping")),
    Override("purpose", ARGUMENTS, _VERBS, _has_purpose, _purpose),
    Override("government protest", ARGUMENTS, None, _government_protest,
             _to("ACCUSE", "disapprove")),
    Override("rival sides", ARGUMENTS, None, _rival_sides, None),
    Override("sports report", EVENT, None, _sports_report, None),
)  # fmt: skip
