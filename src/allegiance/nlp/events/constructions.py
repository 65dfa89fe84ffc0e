"""The constructions that signal an event, as a registry the extractor iterates.

Each construction is a small named unit: ``find`` gives the triggers it sees at a word (the
word, or for light and receiving verbs the event noun they govern) with their PLOVER type
and mode; ``clause`` the verb whose clause holds a trigger; and either ``pairs`` (read whole:
the source-target pairs) or ``arguments`` with its fallbacks (read by the extractor around the
override table, overrides.OVERRIDES). ``REGISTRY`` is in the order the extractor asks them at
each word: that order and ``final`` decide which construction a word belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from ...knowledge.lexicon import Lexicon
from .arguments import Arg, Finder, Pair
from .parse import children, clause_verb, expand, particle, verb_like

Hit = tuple[Token, str, str | None]  # the trigger word, its PLOVER type and mode
Find = Callable[[Lexicon, Token], Iterator[Hit]]
Arguments = Callable[[Finder, Token, str, str | None], tuple[list[Arg], list[Arg]]]
MoreArgs = Callable[[Finder, Token, str], list[Arg]]


def _no_args(f: Finder, tok: Token, kind: str) -> list[Arg]:
    return []


@dataclass(frozen=True, slots=True)
class Construction:
    """A way the text signals an event, with how to read its clause and arguments."""

    name: str
    description: str
    example: str  # a sentence the team wrote; tests/test_constructions.py parses it by hand
    find: Find
    clause: Callable[[Token], Token]  # the verb whose clause holds the trigger
    # Read whole: the source-target pairs; of the overrides only the EVENT phase applies.
    pairs: Callable[[Finder, Token], list[Pair]] | None = None
    # Or read in steps around the overrides (EventExtractor._argue): the sources and targets
    # its own words give for the trigger's type and mode; then, where the OBJECTS overrides
    # leave no target, those for the type they left (a complement clause's, a place aimed
    # at); where no source, those for that type; and where still no target after the
    # pairing of coordinated subjects, the last resort (an actor inside the object, where it
    # happened).
    arguments: Arguments | None = None
    more_targets: MoreArgs = _no_args
    more_sources: MoreArgs = _no_args
    last_targets: MoreArgs = _no_args
    final: bool = False  # a word it fires on is no later construction's
    confidence: float = 0.75
    frames: bool = False  # a trigger of an attitude type governs its complement's event
    holds_clause: bool = False  # the other events of its clause are its content
    # The words its ``find`` reads: only those in a noun's place (True, ``_nominal_slot``),
    # only verbs (False), or any (None); lets ``triggers_at`` ask each word once.
    slot: bool | None = None


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word that signals an event, the construction that saw it, its type and mode."""

    token: Token
    type: str
    mode: str | None
    construction: Construction


# Lexicon look-ups the constructions share --------------------------------------------------
def mended_lemma(lex: Lexicon, tok: Token) -> str:
    """A verb's lemma, mended where the lemmatizer cut a verb in "-e" to a noun: "staged"
    is "stag", "waged" "wag"."""
    lemma = tok.lemma_.lower()
    known = lemma in lex.verbs or lemma in lex.light
    mended = f"{lemma}e"
    if tok.lower_.endswith("ed") and not known and (mended in lex.verbs or mended in lex.light):
        return mended
    return lemma


def noun_event(lex: Lexicon, obj: Token) -> tuple[str, str | None] | None:
    """The event a noun names, its compound first ("hunger strike", "mediation effort",
    "a state of emergency")."""
    for prep in children(obj, "prep"):
        for pobj in children(prep, "pobj"):
            phrase = lex.nouns.get(f"{obj.lower_} {prep.lower_} {pobj.lower_}")
            if phrase:
                return phrase
    for mod in obj.children:
        if mod.dep_ in ("compound", "amod"):
            pair = lex.nouns.get(f"{mod.lower_} {obj.lower_}")
            if pair:
                return pair
            if mod.lower_ in lex.nouns and obj.lemma_.lower() in lex.words.efforts:
                return lex.nouns[mod.lower_]
    return lex.nouns.get(obj.lower_) or lex.nouns.get(obj.lemma_.lower())


def object_type(lex: Lexicon, verb: Token) -> str | None:
    """The type a verb takes from its object noun ("violated the ceasefire")."""
    table = lex.objects.get(verb.lemma_.lower())
    if not table:
        return None
    objects = children(verb, "dobj", "nsubjpass") + [
        o for p in children(verb, "prep") if p.lower_ == "as" for o in children(p, "pobj")
    ]  # "held civilians as human shields"
    for obj in objects:
        found = table.get(obj.lower_) or table.get(obj.lemma_.lower())
        # "ended mediation efforts": the compound names the thing
        for mod in obj.children:
            if not found and mod.dep_ == "compound" and obj.lemma_.lower() in lex.words.efforts:
                found = table.get(mod.lower_)
        if found:
            return found
    return None


def _nominal_slot(tok: Token) -> bool:
    """A word in a noun's place: a modifier, a participle ("militiamen armed with"), or
    anything not verb-like. The noun constructions read it, the verb ones leave it."""
    participle = tok.dep_ == "acl" and tok.tag_ == "VBN"
    return tok.dep_ in ("amod", "compound") or participle or not verb_like(tok)


def _different(sources: list[Arg], targets: list[Arg]) -> list[Pair]:
    return [(a, b) for a in sources for b in targets if a.mention.actor.id != b.mention.actor.id]


# must, blame: what a report says someone must do or did -----------------------------------
def _find_must(lex: Lexicon, tok: Token) -> Iterator[Hit]:
    if (
        tok.dep_ == "ccomp"
        and (
            tok.head.lemma_.lower() in lex.modality["reported_verbs"]
            or tok.head.lemma_.lower() in lex.words.must_reporters
        )
        and any(c.dep_ == "aux" and c.lower_ in lex.words.must for c in tok.children)
    ):
        yield tok, "REQUEST", None


def _find_blame(lex: Lexicon, tok: Token) -> Iterator[Hit]:
    if (
        tok.dep_ == "ccomp"
        and tok.lemma_ == "be"
        and tok.head.lemma_.lower() in lex.modality["reported_verbs"]
        and any(c.dep_ == "acomp" and c.lower_ in lex.words.blame for c in tok.children)
    ):
        yield tok, "ACCUSE", "allege"


def _reported_pairs(f: Finder, tok: Token) -> list[Pair]:
    """The reporter to the subject of the reported clause."""
    sources = f.subjects(tok.head)
    targets = [a for h in expand(children(tok, "nsubj")) if (a := f.actor(h))]
    return _different(sources, targets)


# willing: an adjective of willingness -------------------------------------------------------
def _find_willing(lex: Lexicon, tok: Token) -> Iterator[Hit]:
    if tok.lower_ in lex.words.willing and any(c.dep_ == "xcomp" for c in tok.children):
        yield tok, "AGREE", None


def _willing_arguments(
    f: Finder, tok: Token, kind: str, mode: str | None
) -> tuple[list[Arg], list[Arg]]:
    return f.subjects(tok.head), f.complement_targets(tok)


# prep-noun, nominal: event nouns -------------------------------------------------------------
def _find_prep_noun(lex: Lexicon, tok: Token) -> Iterator[Hit]:
    if not _nominal_slot(tok) or tok.dep_ != "pobj" or tok.pos_ not in ("NOUN", "PROPN"):
        return
    prep = tok.head.lower_
    found = lex.prep_nouns.get(f"{prep} {tok.lower_}")
    for mod in tok.children:
        if mod.dep_ == "amod":
            found = found or lex.prep_nouns.get(f"{prep} {mod.lower_} {tok.lower_}")
    if found:
        yield tok, *found


def _prep_noun_arguments(
    f: Finder, tok: Token, kind: str, mode: str | None
) -> tuple[list[Arg], list[Arg]]:
    return f.subjects(tok.head.head), f.prep_objects(tok, f.lex.preps.prep_noun_target)


def _find_nominal(lex: Lexicon, tok: Token) -> Iterator[Hit]:
    if not _nominal_slot(tok) or tok.pos_ != "NOUN":
        return
    if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return
    noun = noun_event(lex, tok)
    # A light verb's object is read with the verb ("held talks"); its subject is an event of
    # its own ("Kurdish protests against X continued").
    governed = tok.dep_ in ("dobj", "nsubjpass") and (
        tok.head.lemma_.lower() in lex.light | lex.receive
    )
    if noun and not governed:
        yield tok, *noun


def _nominal_pairs(f: Finder, tok: Token) -> list[Pair]:
    """The noun's owner to the actors of its target phrases: both must be named."""
    owner = f.owner(tok)
    targets = [
        a
        for p in children(tok, "prep")
        if p.lower_ in f.lex.preps.nominal_target
        for o in children(p, "pobj")
        if (a := f.actor(o) or f.below(o))
    ]
    if owner is None or not targets:
        return []
    return [(owner, t) for t in targets if t.mention.actor.id != owner.mention.actor.id]


# agree-to, verb: the verb itself -------------------------------------------------------------
def _find_agree_to(lex: Lexicon, tok: Token) -> Iterator[Hit]:
    """ "agreed to the plan" approves a policy: SUPPORT; "agreed to a ceasefire" and "agreed
    to go" are commitments: AGREE."""
    if _nominal_slot(tok) or mended_lemma(lex, tok) != "agree":
        return
    if children(tok, "xcomp", "ccomp"):
        return
    preps = [p for p in children(tok, "prep") if p.lower_ in lex.preps.agreed]
    if not any(o.pos_ == "NOUN" for p in preps for o in children(p, "pobj")):
        return
    nouns = [o for p in children(tok, "prep") for o in children(p, "pobj")]
    if any(o.lemma_.lower() in lex.words.documents for o in nouns):
        yield tok, "SUPPORT", "endorse"
    else:
        yield tok, "AGREE", None


def _find_verb(lex: Lexicon, tok: Token) -> Iterator[Hit]:
    """A verb of the lexicon, a phrasal verb, or a verb whose object gives the type. A light
    verb with an event noun ("held talks", "stepped up attacks") is the noun's event only
    (construction "light"), unless the noun changes the verb's type ("ended the strike")."""
    if _nominal_slot(tok):
        return
    lemma = mended_lemma(lex, tok)
    by_object = object_type(lex, tok)
    if by_object:
        yield tok, by_object, None
        return
    if lemma in lex.light and any(noun_event(lex, o) for o in children(tok, "dobj", "nsubjpass")):
        return
    phrasal = next(
        (
            lex.phrasal[(lemma, c.lower_)]
            for c in tok.children
            if (lemma, c.lower_) in lex.phrasal and particle(tok, c)
        ),
        None,
    )
    if (
        lemma == "call"
        and phrasal == lex.phrasal.get(("call", "on"))
        and not (children(tok, "xcomp", "ccomp"))
    ):
        phrasal = ("CONSULT", "visit")  # "called on the president": a visit
    if phrasal:
        yield tok, *phrasal
    elif lemma in lex.verbs and not (
        lemma in lex.transitive and not children(tok, "dobj", "nsubjpass")
    ):
        yield tok, *lex.verbs[lemma]


def _verb_arguments(
    f: Finder, tok: Token, kind: str, mode: str | None
) -> tuple[list[Arg], list[Arg]]:
    sources = f.subjects(tok)
    if kind == "AID":
        targets = f.recipients(tok)
    elif kind == "MOBILIZE":
        # What is mobilised is one's own; whom against is in a phrase below.
        targets = [
            a
            for p in children(tok, "prep")
            for o in children(p, "pobj")
            if (a := f.actor(o) or f.below(o))
        ]
    elif kind == "REQUEST":
        targets = f.objects(tok) or f.prep_objects(tok, f.lex.preps.asked)
    else:
        targets = f.objects(tok, kind in f.lex.type_classes.hostile)
    own = {s.mention.actor.id for s in sources}
    # "ended its siege of the port": the subject's own thing names no recipient
    targets = [t for t in targets if not (t.indirect and t.mention.actor.id in own)]
    others = [t for t in targets if t.mention.actor.id not in own]  # not "its troops"
    if not others and (mode == "withdraw" or tok.lemma_.lower() == "withdraw"):
        # "withdrew its observers from Mali": whom a withdrawal leaves is its recipient
        targets = f.prep_objects(tok, ("from",)) or [
            a
            for p in children(tok, "prep")
            if p.lower_ == "from"
            for o in children(p, "pobj")
            if (a := f.place_below(o))
        ]
    return sources, targets


def _verb_more_targets(f: Finder, tok: Token, kind: str) -> list[Arg]:
    return f.complement_targets(tok) if kind in f.lex.attitude else []


def _verb_more_sources(f: Finder, tok: Token, kind: str) -> list[Arg]:
    """ "a roadside bombing near Samarra killed a U.S. soldier": unclaimed violence is coded
    to where it happened, as PLOVER's coders do."""
    if kind != "ASSAULT":
        return []
    return [a for s in children(tok, "nsubj") for a in f.verb_places(s)]


def _verb_last_targets(f: Finder, tok: Token, kind: str) -> list[Arg]:
    return _inside_or_where(f, tok, children(tok, "dobj", "nsubjpass"), kind)


def _inside_or_where(f: Finder, head: Token, objects: list[Token], kind: str) -> list[Arg]:
    """An actor inside the object ("froze a training mission for Malian troops", "a clinic for
    Sudanese refugees was shelled"), for a giving act one it is given to or for; else where
    the act happened stands for whom it concerns ("ended the curfew in Tigray", "marched in
    Chile"), as PLOVER coders do."""
    lex = f.lex
    through = lex.preps.recipient if kind in lex.type_classes.given else None
    targets = [a for a in (f.below(o, through) for o in objects) if a is not None]
    if not targets:
        targets = [a for a in (f.place_below(o) for o in objects) if a is not None]
        targets = targets or f.verb_places(head)
    return targets


# light, receive: a verb and its event noun ---------------------------------------------------
def _governed_nouns(lex: Lexicon, tok: Token, receiving: bool) -> Iterator[Hit]:
    """The event nouns a light verb, or a verb of receiving, takes as object ("held talks",
    "enjoyed the support of"); not where the noun changes the verb's own type."""
    lemma = mended_lemma(lex, tok)
    if _nominal_slot(tok) or not (lemma in lex.light or lemma in lex.receive):
        return
    if object_type(lex, tok):
        return
    for obj in children(tok, "dobj", "nsubjpass"):
        noun = noun_event(lex, obj)
        if noun and (lemma in lex.receive and obj.dep_ == "dobj") == receiving:
            yield obj, *noun


def _find_light(lex: Lexicon, tok: Token) -> Iterator[Hit]:
    return _governed_nouns(lex, tok, receiving=False)


def _light_arguments(
    f: Finder, tok: Token, kind: str, mode: str | None
) -> tuple[list[Arg], list[Arg]]:
    preps = f.lex.preps.nominal_target
    targets = f.prep_objects(tok, preps) or f.prep_objects(tok.head, preps) or f.datives(tok.head)
    return f.subjects(tok.head), targets


def _light_more_targets(f: Finder, tok: Token, kind: str) -> list[Arg]:
    targets = []
    if kind in f.lex.attitude:
        targets = f.complement_targets(tok) or f.complement_targets(tok, host=tok.head)
    if not targets:
        # "mounted its invasion of South Lebanon": the place the act is aimed at
        targets = [
            a
            for p in children(tok, "prep")
            if p.lower_ in f.lex.preps.aimed
            for o in children(p, "pobj")
            if (a := f.place_below(o))
        ]
    return targets


def _light_last_targets(f: Finder, tok: Token, kind: str) -> list[Arg]:
    return _inside_or_where(f, tok.head, [tok], kind)


def _find_receive(lex: Lexicon, tok: Token) -> Iterator[Hit]:
    return _governed_nouns(lex, tok, receiving=True)


def _receive_arguments(
    f: Finder, tok: Token, kind: str, mode: str | None
) -> tuple[list[Arg], list[Arg]]:
    """The giver of what is received to the receiver: "X enjoyed the support of Y" is Y->X."""
    sources = f.prep_objects(tok, f.lex.preps.giver) or f.owners(tok)
    return sources, f.subjects(tok.head)


def _head(tok: Token) -> Token:
    return tok.head


def _head_of_head(tok: Token) -> Token:
    return tok.head.head


def _itself(tok: Token) -> Token:
    return tok


MUST = Construction(
    name="must",
    description="a reported clause with 'must' or 'should': the reporter asks it (REQUEST)",
    example="Chile said Peru must return the boats.",
    find=_find_must,
    clause=_head,
    pairs=_reported_pairs,
    holds_clause=True,
)
BLAME = Construction(
    name="blame",
    description="a reported clause that someone was responsible: an allegation (ACCUSE)",
    example="Kenya said Somalia was responsible.",
    find=_find_blame,
    clause=_head,
    pairs=_reported_pairs,
    holds_clause=True,
)
WILLING = Construction(
    name="willing",
    description="an adjective of willingness with a 'to' clause: a commitment (AGREE)",
    example="Armenia is ready to meet Azerbaijan.",
    find=_find_willing,
    clause=_head,
    arguments=_willing_arguments,
    final=True,
    frames=True,
)
PREP_NOUN = Construction(
    slot=True,
    name="prep-noun",
    description="a preposition and its noun that make an event of the clause ('on strike')",
    example="Nepal sent troops in support of Bhutan.",
    find=_find_prep_noun,
    clause=_head_of_head,
    arguments=_prep_noun_arguments,
    final=True,
)
NOMINAL = Construction(
    slot=True,
    name="nominal",
    description="an event noun with its owner and a target phrase ('Kurdish protests against')",
    example="Cuban protests against Spain grew.",
    find=_find_nominal,
    clause=clause_verb,
    pairs=_nominal_pairs,
)
AGREE_TO = Construction(
    slot=False,
    name="agree-to",
    description="'agreed to' a noun: a text approved (SUPPORT) or an act promised (AGREE)",
    example="Fiji agreed to the Tongan plan.",
    find=_find_agree_to,
    clause=_itself,
    arguments=_verb_arguments,
    more_targets=_verb_more_targets,
    more_sources=_verb_more_sources,
    last_targets=_verb_last_targets,
    final=True,
    confidence=0.9,
    frames=True,
)
VERB = Construction(
    slot=False,
    name="verb",
    description="a verb of the lexicon, a phrasal verb, or a verb its object types",
    example="Peru condemned Chile on Tuesday.",
    find=_find_verb,
    clause=_itself,
    arguments=_verb_arguments,
    more_targets=_verb_more_targets,
    more_sources=_verb_more_sources,
    last_targets=_verb_last_targets,
    confidence=0.9,
    frames=True,
)
LIGHT = Construction(
    slot=False,
    name="light",
    description="a light verb and its event noun: the noun's event ('held talks with')",
    example="Japan held talks with Korea.",
    find=_find_light,
    clause=_head,
    arguments=_light_arguments,
    more_targets=_light_more_targets,
    last_targets=_light_last_targets,
    frames=True,
)
RECEIVE = Construction(
    slot=False,
    name="receive",
    description="a verb of receiving and its event noun: the giver to the receiver",
    example="Belarus received the backing of Russia.",
    find=_find_receive,
    clause=_head,
    arguments=_receive_arguments,
)

# Word classes no construction reads a trigger at (each looks for a verb, a noun or an
# adjective: over the PLV dyads and 300 bench articles none fired on these), skipped because
# they are half of all words and the search runs at every word.
_INERT = frozenset("ADP CCONJ DET INTJ NUM PART PRON PUNCT SCONJ SPACE SYM X".split())

# In the order the extractor asks them at each word.
REGISTRY: tuple[Construction, ...] = (
    MUST,
    BLAME,
    WILLING,
    PREP_NOUN,
    NOMINAL,
    AGREE_TO,
    VERB,
    LIGHT,
    RECEIVE,
)


def triggers_at(lex: Lexicon, tok: Token) -> list[Trigger]:
    """The triggers the constructions see at a word: the word's own in registry order, then
    those on the nouns it governs in text order."""
    if tok.pos_ in _INERT:
        return []
    nominal = _nominal_slot(tok)
    found: list[Trigger] = []
    for construction in REGISTRY:
        if construction.slot is not None and construction.slot != nominal:
            continue
        hits = [
            Trigger(t, kind, mode, construction) for t, kind, mode in construction.find(lex, tok)
        ]
        found += hits
        if hits and construction.final:
            break
    return sorted(found, key=lambda t: (t.token.i != tok.i, t.token.i))
